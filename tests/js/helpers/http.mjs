// Starts servers on 127.0.0.1 and sends them requests with node:http, which
// unlike fetch can stream a body slowly, stop halfway or watch for an early
// response.

import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';

/** Listens on 127.0.0.1 on a free port and returns the port. */
export function listen(server) {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.removeListener('error', reject);
      resolve(server.address().port);
    });
  });
}

/** Closes the server and every connection still open on it. */
export function closeServer(server) {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}

/**
 * Sends one request and resolves with `{ status, headers, text, json,
 * bytesSent }`, where bytesSent counts the body bytes written before the
 * response arrived.
 *
 * `body` is written at once. `chunks` are written one by one with
 * `chunkDelayMs` between them and no Content-Length, so Node sends them
 * chunked. Writing stops as soon as a response arrives. Errors from writing
 * after the server responded and closed the connection are expected and
 * ignored. Rejects when no response arrives within `timeoutMs`.
 */
export function send({ port, method = 'POST', path = '/', headers = {}, body, chunks, chunkDelayMs = 2, timeoutMs = 5000 }) {
  return new Promise((resolve, reject) => {
    let responded = false;
    let bytesSent = 0;

    const outgoing = request({ host: '127.0.0.1', port, method, path, headers, agent: false });

    const timer = setTimeout(() => {
      outgoing.destroy();
      reject(new Error(`no response to ${method} ${path} within ${timeoutMs} ms`));
    }, timeoutMs);

    outgoing.on('response', (response) => {
      responded = true;
      const received = [];
      response.on('data', (chunk) => received.push(chunk));
      response.on('error', () => {});
      response.on('end', () => {
        clearTimeout(timer);
        const text = Buffer.concat(received).toString('utf8');
        let json;
        try {
          json = JSON.parse(text);
        } catch {
          json = undefined;
        }
        resolve({ status: response.statusCode, headers: response.headers, text, json, bytesSent });
        outgoing.destroy();
      });
    });

    outgoing.on('error', (error) => {
      if (responded) return;
      clearTimeout(timer);
      reject(error);
    });

    if (chunks === undefined) {
      if (body !== undefined) bytesSent = Buffer.byteLength(body);
      outgoing.end(body);
      return;
    }

    (async () => {
      for (const chunk of chunks) {
        if (responded || outgoing.destroyed) return;
        outgoing.write(chunk);
        bytesSent += chunk.length;
        await sleep(chunkDelayMs);
      }
      if (!responded && !outgoing.destroyed) outgoing.end();
    })();
  });
}

/**
 * Sends the headers and the first part of a body, then destroys the socket
 * as a client that goes away mid-body would. Resolves once the socket is
 * closed.
 */
export function abortMidBody({ port, path = '/', headers, part, declaredLength }) {
  return new Promise((resolve) => {
    const outgoing = request({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path,
      headers: { ...headers, 'content-length': String(declaredLength) },
      agent: false,
    });
    outgoing.on('error', () => {});
    outgoing.on('close', resolve);
    outgoing.write(part, () => {
      setTimeout(() => outgoing.destroy(), 20);
    });
  });
}

/** Polls `condition` until it returns true, failing after `timeoutMs`. */
export async function waitFor(condition, description, timeoutMs = 2000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${description}`);
    await sleep(5);
  }
}
