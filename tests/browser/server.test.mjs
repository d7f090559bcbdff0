// Tests of scripts/serve.mjs: content types, the two roots, rejection of
// paths that escape them, and the command-line entry point.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { startServer } from '../../scripts/serve.mjs';

const REPOSITORY = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SERVE = path.join(REPOSITORY, 'scripts', 'serve.mjs');

/**
 * Sends a request with the path exactly as given: fetch() would normalise
 * "..", which is the very thing these tests need to send.
 */
function rawRequest(baseUrl, rawPath, method = 'GET') {
  const { hostname, port } = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const outgoing = request({ hostname, port, path: rawPath, method }, (response) => {
      const chunks = [];
      response.on('data', (chunk) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ status: response.statusCode, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    outgoing.on('error', reject);
    outgoing.end();
  });
}

/** Starts the CLI and resolves with the child and the URL it prints. */
function startCli(args, environment = {}) {
  const child = spawn(process.execPath, [SERVE, ...args], {
    env: { ...process.env, ...environment },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });

  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  const listening = new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const match = /Inspector: (http:\/\/127\.0\.0\.1:[0-9]+\/)/.exec(stdout);
      if (match !== null) resolve(match[1]);
    });
    exited.then((result) => reject(new Error(`serve.mjs exited before listening: ${JSON.stringify(result)}`)));
  });
  // A test that expects an early exit never awaits this promise.
  listening.catch(() => {});
  return { child, listening, exited };
}

describe('startServer', () => {
  let server;

  before(async () => {
    server = await startServer({ port: 0 });
  });

  after(async () => {
    await server.close();
  });

  test('binds a free port on 127.0.0.1', () => {
    assert.match(server.url, /^http:\/\/127\.0\.0\.1:[0-9]+\/$/);
    assert.notEqual(server.port, 0);
  });

  const contentTypes = [
    ['/', 'text/html; charset=utf-8'],
    ['/app.js', 'text/javascript; charset=utf-8'],
    ['/style.css', 'text/css; charset=utf-8'],
    ['/favicon.svg', 'image/svg+xml'],
    ['/pkg/web/index.js', 'text/javascript; charset=utf-8'],
    ['/pkg/api.mjs', 'text/javascript; charset=utf-8'],
    ['/pkg/web/freeclimb_callstatus_bg.wasm', 'application/wasm'],
    ['/pkg/package.json', 'application/json; charset=utf-8'],
  ];
  for (const [urlPath, type] of contentTypes) {
    test(`serves ${urlPath} as ${type.split(';')[0]}`, async () => {
      const response = await rawRequest(server.url, urlPath);
      assert.equal(response.status, 200);
      assert.equal(response.headers['content-type'], type);
      assert.equal(response.headers['x-content-type-options'], 'nosniff');
    });
  }

  test('index page is www/index.html', async () => {
    const response = await rawRequest(server.url, '/');
    assert.match(response.body, /callStatus inspector/);
  });

  test('HEAD sends headers only', async () => {
    const response = await rawRequest(server.url, '/app.js', 'HEAD');
    assert.equal(response.status, 200);
    assert.equal(response.body, '');
    assert.ok(Number(response.headers['content-length']) > 0);
  });

  test('POST is rejected with 405', async () => {
    const response = await rawRequest(server.url, '/', 'POST');
    assert.equal(response.status, 405);
    assert.equal(response.headers.allow, 'GET, HEAD');
  });

  test('missing file is 404', async () => {
    const response = await rawRequest(server.url, '/no-such-file.js');
    assert.equal(response.status, 404);
  });

  test('directory without index is 404', async () => {
    const response = await rawRequest(server.url, '/pkg/web/');
    assert.equal(response.status, 404);
  });

  const escapes = [
    '/../Makefile',
    '/../../etc/passwd',
    '/pkg/../../Makefile',
    '/%2e%2e/Makefile',
    '/%2E%2E%2FMakefile',
    '/pkg/..%2f..%2fMakefile',
    '/pkg/..%2F..%2Fscripts%2Fserve.mjs',
    '/..%5c..%5cMakefile',
    '/pkg/%2e%2e/%2e%2e/%2e%2e/Makefile',
    '//etc/passwd',
    '/%00',
    '/%zz',
  ];
  for (const rawPath of escapes) {
    test(`rejects ${rawPath}`, async () => {
      const response = await rawRequest(server.url, rawPath);
      assert.ok([400, 404].includes(response.status), `status ${response.status} for ${rawPath}`);
      assert.doesNotMatch(response.body, /wasm-pack|root:|startServer|devDependencies/);
    });
  }
});

describe('serve.mjs command', () => {
  test('--port 0 prints the URL and stops on SIGTERM', async () => {
    const { child, listening, exited } = startCli(['--port', '0']);
    const url = await listening;

    const response = await rawRequest(url, '/');
    assert.equal(response.status, 200);

    child.kill('SIGTERM');
    const result = await exited;
    assert.equal(result.code, 0);
    assert.equal(result.stderr, '');
  });

  test('PORT=0 is read from the environment', async () => {
    const { child, listening, exited } = startCli([], { PORT: '0' });
    const url = await listening;
    assert.notEqual(new URL(url).port, '8080');

    child.kill('SIGINT');
    assert.equal((await exited).code, 0);
  });

  test('invalid port exits with status 2', async () => {
    const { exited } = startCli(['--port', 'eighty']);
    const result = await exited;

    assert.equal(result.code, 2);
    assert.match(result.stderr, /invalid port "eighty"/);
  });
});
