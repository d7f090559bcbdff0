// Packs pkg/ with `npm pack`, installs the tarball into an empty folder and
// uses it there as a consumer would: require and import of the main entry
// and the subpaths, the browser build, and the CLI. typescript.test.mjs
// type-checks consumers of the same tarball.

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { installTarball } from './helpers/tarball.mjs';

const root = fileURLToPath(new URL('../..', import.meta.url));
const validBody = readFileSync(join(root, 'examples', 'payloads', 'completed-inbound.json'), 'utf8');
const invalidBody = readFileSync(join(root, 'examples', 'payloads', 'invalid-ids-and-caller.json'), 'utf8');
let tarball;
let consumer;

function run(command, args, options = {}) {
  return tarball.run(command, args, options);
}

before(() => {
  tarball = installTarball('callstatus-package-');
  consumer = tarball.consumer;
});

after(() => {
  tarball?.remove();
});

test('tarball holds only the package files', () => {
  const installed = join(consumer, 'node_modules', 'freeclimb-callstatus');
  const files = readdirSync(installed).sort();
  assert.ok(files.includes('package.json'));
  assert.ok(files.includes('index.d.ts'));
  assert.ok(files.includes('node'));
  assert.ok(files.includes('web'));
  assert.ok(!files.includes('src'), 'Rust sources are not shipped');
  assert.ok(readdirSync(join(installed, 'node')).includes('freeclimb_callstatus_bg.wasm'));
});

test('require works in the installed package', () => {
  writeFileSync(join(consumer, 'body.json'), validBody);
  const script = `
    const { validate, parse, ValidationError } = require('freeclimb-callstatus');
    const fs = require('node:fs');
    const report = validate(fs.readFileSync('body.json'));
    let thrown = null;
    try { parse('{}'); } catch (error) { thrown = error instanceof ValidationError ? error.issues.length : 'wrong type'; }
    console.log(JSON.stringify({ valid: report.valid, status: report.payload.callStatus, thrown }));
  `;
  const result = run(process.execPath, ['-e', script]);
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(JSON.parse(result.stdout), { valid: true, status: 'completed', thrown: 9 });
});

test('import works in the installed package', () => {
  writeFileSync(
    join(consumer, 'check.mjs'),
    `
    import { validate, init, signPayload, verifySignature } from 'freeclimb-callstatus';
    import callstatus from 'freeclimb-callstatus';
    import { readFileSync } from 'node:fs';
    await init();
    const body = readFileSync('body.json');
    const header = signPayload(body, 'sigsec_test', 1700000000);
    verifySignature(body, header, 'sigsec_test', { now: 1700000000 });
    console.log(JSON.stringify({ named: validate(body).valid, default: callstatus.validate('{}').valid, header: header.slice(0, 13) }));
    `,
  );
  const result = run(process.execPath, ['check.mjs']);
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(JSON.parse(result.stdout), { named: true, default: false, header: 't=1700000000,' });
});

test('browser build loads with explicit wasm bytes', () => {
  // Node cannot fetch the .wasm by URL, so the page's init() path is run
  // with the bytes, which wasm-bindgen's init also accepts.
  writeFileSync(
    join(consumer, 'web.mjs'),
    `
    import { readFileSync } from 'node:fs';
    const base = './node_modules/freeclimb-callstatus/web/';
    const web = await import(base + 'index.js');
    let before = 'no error';
    try { web.validate('{}'); } catch (error) { before = error.message; }
    await web.init(readFileSync(new URL(base + 'freeclimb_callstatus_bg.wasm', import.meta.url)));
    console.log(JSON.stringify({ before, valid: web.validate(readFileSync('body.json')).valid }));
    `,
  );
  const result = run(process.execPath, ['web.mjs']);
  assert.equal(result.status, 0, result.stderr);
  const output = JSON.parse(result.stdout);
  assert.match(output.before, /await init\(\)/);
  assert.equal(output.valid, true);
});

test('CLI runs from node_modules/.bin', () => {
  const valid = run(join(consumer, 'node_modules', '.bin', 'callstatus'), ['validate', 'body.json']);
  assert.equal(valid.status, 0, valid.stderr);
  assert.match(valid.stdout, /1 payload checked: 1 valid, 0 invalid/);

  const version = run(join(consumer, 'node_modules', '.bin', 'callstatus'), ['--version']);
  assert.match(version.stdout, /^callstatus \d+\.\d+\.\d+\n$/);
});

test('CLI exits 1 on an invalid payload', () => {
  writeFileSync(join(consumer, 'invalid.json'), invalidBody);
  const result = run(join(consumer, 'node_modules', '.bin', 'callstatus'), ['validate', '--json', 'invalid.json']);
  assert.equal(result.status, 1, result.stderr);
  const report = JSON.parse(result.stdout);
  assert.equal(report.valid, false);
  assert.deepEqual(report.errors.map((issue) => issue.code), ['invalid_id', 'invalid_id']);
});

test('CLI reads standard input', () => {
  const result = run(join(consumer, 'node_modules', '.bin', 'callstatus'), ['validate', '-'], { input: validBody });
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /1 payload checked: 1 valid, 0 invalid/);
});

test('require resolves every subpath', () => {
  const script = `
    const express = require('freeclimb-callstatus/express');
    const fastify = require('freeclimb-callstatus/fastify');
    const http = require('freeclimb-callstatus/http');
    const schema = require('freeclimb-callstatus/schema.json');
    const manifest = require('freeclimb-callstatus/package.json');
    console.log(JSON.stringify({
      express: typeof express.callStatusMiddleware,
      fastify: typeof fastify.callStatusPlugin,
      http: typeof http.createCallStatusHandler,
      schema: schema.$schema,
      version: manifest.version,
    }));
  `;
  const result = run(process.execPath, ['-e', script]);
  assert.equal(result.status, 0, result.stderr);
  const output = JSON.parse(result.stdout);
  assert.equal(output.express, 'function');
  assert.equal(output.fastify, 'function');
  assert.equal(output.http, 'function');
  assert.equal(output.schema, 'https://json-schema.org/draft/2020-12/schema');
  assert.match(output.version, /^\d+\.\d+\.\d+/);
});

test('import resolves every subpath', () => {
  // The handlers are CommonJS. Their named exports reach ESM importers only
  // because Node detects `exports.name =` assignments, so this also checks
  // that the handlers keep that form.
  writeFileSync(
    join(consumer, 'subpaths.mjs'),
    `
    import { callStatusMiddleware } from 'freeclimb-callstatus/express';
    import { callStatusPlugin } from 'freeclimb-callstatus/fastify';
    import { createCallStatusHandler, readCallStatus, errorResponse } from 'freeclimb-callstatus/http';
    import schema from 'freeclimb-callstatus/schema.json' with { type: 'json' };
    console.log(JSON.stringify({
      express: typeof callStatusMiddleware,
      fastify: typeof callStatusPlugin,
      http: [typeof createCallStatusHandler, typeof readCallStatus, typeof errorResponse],
      schema: schema.$schema,
    }));
    `,
  );
  // Node 20 prints an ExperimentalWarning for JSON modules on stderr.
  const result = run(process.execPath, ['subpaths.mjs']);
  assert.equal(result.status, 0, result.stderr);
  const output = JSON.parse(result.stdout);
  assert.equal(output.express, 'function');
  assert.equal(output.fastify, 'function');
  assert.deepEqual(output.http, ['function', 'function', 'function']);
  assert.equal(output.schema, 'https://json-schema.org/draft/2020-12/schema');
});

test('require and import share one instance', () => {
  // Both conditions map to the same CommonJS file, so an error thrown
  // through one entry is an instance of the class from the other, and the
  // wasm module is instantiated once.
  writeFileSync(
    join(consumer, 'dual.mjs'),
    `
    import { createRequire } from 'node:module';
    import { parse, ValidationError } from 'freeclimb-callstatus';
    const required = createRequire(import.meta.url)('freeclimb-callstatus');
    let thrown;
    try { parse('{}'); } catch (error) { thrown = error; }
    console.log(JSON.stringify({
      sameClass: ValidationError === required.ValidationError,
      instance: thrown instanceof required.ValidationError,
      sameFunction: parse === required.parse,
    }));
    `,
  );
  const result = run(process.execPath, ['dual.mjs']);
  assert.equal(result.status, 0, result.stderr);
  const output = JSON.parse(result.stdout);
  assert.equal(output.sameClass, true);
  assert.equal(output.instance, true);
  assert.equal(output.sameFunction, true);
});

test('internal files are not exported', () => {
  const script = `
    const codes = [];
    for (const path of ['freeclimb-callstatus/api.cjs', 'freeclimb-callstatus/node/index.cjs', 'freeclimb-callstatus/cli.cjs']) {
      try { require(path); codes.push('loaded'); } catch (error) { codes.push(error.code); }
    }
    console.log(JSON.stringify(codes));
  `;
  const result = run(process.execPath, ['-e', script]);
  assert.equal(result.status, 0, result.stderr);
  assert.deepEqual(JSON.parse(result.stdout), Array(3).fill('ERR_PACKAGE_PATH_NOT_EXPORTED'));
});

test('http subpath accepts a signed request', () => {
  // A webhook server built from the installed package alone, on 127.0.0.1
  // with a free port: one signed request, then one with a wrong signature.
  writeFileSync(join(consumer, 'body.json'), validBody);
  writeFileSync(
    join(consumer, 'server.cjs'),
    `
    const http = require('node:http');
    const { readFileSync } = require('node:fs');
    const { signPayload } = require('freeclimb-callstatus');
    const { createCallStatusHandler } = require('freeclimb-callstatus/http');

    const secret = 'sigsec_consumer_test';
    const body = readFileSync('body.json');
    const seen = [];
    const server = http.createServer(createCallStatusHandler({ secret }, (call, req, res) => {
      seen.push(call.callStatus);
      res.writeHead(204).end();
    }));
    server.listen(0, '127.0.0.1', async () => {
      const url = 'http://127.0.0.1:' + server.address().port + '/';
      const post = (header) => fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'freeclimb-signature': header },
        body,
      }).then((response) => response.status);
      const signed = await post(signPayload(body, secret));
      const forged = await post(signPayload(body, 'sigsec_other'));
      server.close();
      console.log(JSON.stringify({ signed, forged, seen }));
    });
    `,
  );
  const result = run(process.execPath, ['server.cjs'], { timeout: 20000 });
  assert.equal(result.status, 0, result.stderr);
  const output = JSON.parse(result.stdout);
  assert.equal(output.signed, 204);
  assert.equal(output.forged, 401);
  assert.deepEqual(output.seen, ['completed']);
});
