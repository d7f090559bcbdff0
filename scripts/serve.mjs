#!/usr/bin/env node
// Static file server for the browser inspector: www/ at / and the built
// package pkg/ at /pkg/, on 127.0.0.1 only. No dependencies beyond Node.
//
//   node scripts/serve.mjs [--port N]     (or PORT=N, and 0 picks a free port)

import { createServer } from 'node:http';
import { access, open, realpath } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import process from 'node:process';

const REPOSITORY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DEFAULT_PORT = 8080;
const DEFAULT_HOST = '127.0.0.1';

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/plain; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
  '.ndjson': 'application/x-ndjson; charset=utf-8',
};

// The same policy as the <meta> tag in www/index.html, repeated as a header
// because frame-ancestors only works there. connect-src 'self' lets the
// page fetch its own .wasm and nothing else, so a payload cannot leave.
const SECURITY_HEADERS = {
  'Content-Security-Policy':
    "default-src 'none'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; " +
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  // pkg/ is rebuilt in place by `make pkg`, so the browser must revalidate.
  'Cache-Control': 'no-cache',
};

class RequestError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/**
 * Maps a request path to a file under one of the roots, or throws a
 * RequestError. Paths that decode to somewhere outside their root are
 * rejected before the file system is touched.
 */
function resolveRequestPath(requestUrl, mounts) {
  let pathname;
  try {
    pathname = decodeURIComponent(new URL(requestUrl, 'http://localhost').pathname);
  } catch {
    throw new RequestError(400, 'malformed percent-encoding in the request path');
  }
  if (pathname.includes('\0')) {
    throw new RequestError(400, 'NUL byte in the request path');
  }

  // The longest prefix wins, so /pkg/ is tried before /.
  const mount = mounts.find((candidate) => pathname.startsWith(candidate.prefix));
  if (mount === undefined) {
    throw new RequestError(404, 'not found');
  }

  let relative = pathname.slice(mount.prefix.length);
  if (relative === '' || relative.endsWith('/')) {
    relative += 'index.html';
  }

  // decodeURIComponent may have turned %2F..%2F into real separators, so the
  // check runs on the resolved path, not on the URL.
  const filePath = path.resolve(mount.root, relative);
  if (!isInside(mount.root, filePath)) {
    throw new RequestError(404, 'not found');
  }
  return { filePath, root: mount.root };
}

function isInside(root, filePath) {
  return filePath === root || filePath.startsWith(root + path.sep);
}

async function sendFile(request, response, mounts) {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    throw new RequestError(405, `method ${request.method} not allowed: use GET or HEAD`);
  }

  const { filePath, root } = resolveRequestPath(request.url, mounts);

  // A symbolic link inside a root could still point outside it.
  let realFile;
  try {
    realFile = await realpath(filePath);
  } catch (error) {
    if (error.code === 'ENOENT' || error.code === 'ENOTDIR') throw new RequestError(404, 'not found');
    throw error;
  }
  if (!isInside(await realpath(root), realFile)) {
    throw new RequestError(404, 'not found');
  }

  const handle = await open(realFile, 'r');
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) {
      throw new RequestError(404, 'not found');
    }

    const type = CONTENT_TYPES[path.extname(realFile).toLowerCase()] ?? 'application/octet-stream';
    response.writeHead(200, { ...SECURITY_HEADERS, 'Content-Type': type, 'Content-Length': stats.size });
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    response.end(await handle.readFile());
  } finally {
    await handle.close();
  }
}

function sendError(response, status, message) {
  const headers = { ...SECURITY_HEADERS, 'Content-Type': 'text/plain; charset=utf-8' };
  if (status === 405) headers.Allow = 'GET, HEAD';
  response.writeHead(status, headers);
  response.end(`${status} ${message}\n`);
}

/**
 * Starts the server and resolves once it listens. Returns the base URL, the
 * port actually bound (useful with port 0) and close(), which stops
 * accepting requests and drops open connections.
 */
export async function startServer({
  port = DEFAULT_PORT,
  host = DEFAULT_HOST,
  wwwRoot = path.join(REPOSITORY, 'www'),
  pkgRoot = path.join(REPOSITORY, 'pkg'),
} = {}) {
  const mounts = [
    { prefix: '/pkg/', root: path.resolve(pkgRoot) },
    { prefix: '/', root: path.resolve(wwwRoot) },
  ];

  const server = createServer((request, response) => {
    sendFile(request, response, mounts).catch((error) => {
      if (error instanceof RequestError) {
        sendError(response, error.status, error.message);
        return;
      }
      console.error(`serve: ${request.method} ${request.url} failed: ${error.stack ?? error}`);
      if (response.headersSent) {
        response.destroy();
      } else {
        sendError(response, 500, 'internal server error');
      }
    });
  });
  server.on('clientError', (error, socket) => {
    console.error(`serve: bad request from a client: ${error.message}`);
    socket.destroy();
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (error) => console.error(`serve: server error: ${error.stack ?? error}`));

  const bound = server.address().port;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${bound}/`,
    port: bound,
    close() {
      return new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

/** Reads the port from `--port N`, `--port=N` or $PORT, in that order. */
function readPort(argv, environment) {
  let text = environment.PORT;
  for (let index = 0; index < argv.length; index++) {
    const argument = argv[index];
    if (argument === '--port') {
      text = argv[index + 1];
      index++;
    } else if (argument.startsWith('--port=')) {
      text = argument.slice('--port='.length);
    } else if (argument === '-h' || argument === '--help') {
      return { help: true };
    } else {
      return { error: `unknown argument ${JSON.stringify(argument)}: expected --port N` };
    }
  }

  if (text === undefined || text === '') return { port: DEFAULT_PORT };
  if (!/^[0-9]{1,5}$/.test(text) || Number(text) > 65535) {
    return { error: `invalid port ${JSON.stringify(text)}: expected a whole number from 0 to 65535 (0 picks a free port)` };
  }
  return { port: Number(text) };
}

async function main() {
  const settings = readPort(process.argv.slice(2), process.env);
  if (settings.help) {
    console.log('Usage: node scripts/serve.mjs [--port N]\n\nServes www/ at / and pkg/ at /pkg/ on 127.0.0.1.\n' +
      `The port comes from --port, else $PORT, else ${DEFAULT_PORT}; 0 picks a free port.`);
    return;
  }
  if (settings.error) {
    console.error(`serve: ${settings.error}`);
    process.exitCode = 2;
    return;
  }

  let server;
  try {
    server = await startServer({ port: settings.port });
  } catch (error) {
    const hint = error.code === 'EADDRINUSE' ? ': the port is in use, so pass --port N or set PORT=N' : '';
    console.error(`serve: cannot listen on ${DEFAULT_HOST}:${settings.port}: ${error.message}${hint}`);
    process.exitCode = 1;
    return;
  }

  // Handlers go in before the URL is printed, because a caller may send a
  // signal as soon as it reads the URL.
  let stopping = false;
  const stop = (signal) => {
    if (stopping) return;
    stopping = true;
    server.close().then(() => {
      console.log(`Inspector stopped (${signal})`);
      process.exit(0);
    });
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  try {
    await access(path.join(REPOSITORY, 'pkg', 'web', 'index.js'));
  } catch {
    console.error('serve: pkg/web/index.js is missing, so the page cannot load the validator: run `make pkg` first');
  }
  console.log(`Inspector: ${server.url}`);
}

/** Returns the file URL of the script Node was started with, symbolic links resolved. */
async function entryScriptUrl() {
  if (process.argv[1] === undefined) return undefined;
  try {
    return pathToFileURL(await realpath(process.argv[1])).href;
  } catch {
    return undefined;
  }
}

// Run as a CLI only when this file is the entry point, not when a test imports it.
if ((await entryScriptUrl()) === import.meta.url) {
  await main();
}
