// The Express, Fastify and node:http helpers of the built package, tested
// with real servers on 127.0.0.1 and real HTTP requests.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { symlinkSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { abortMidBody, closeServer, listen, send, waitFor } from './helpers/http.mjs';
import { createPackageSandbox, requireFromRoot, ROOT } from './helpers/package.mjs';
import { CALL_STATUS_BODY, SECRET } from './helpers/vectors.mjs';

const api = requireFromRoot('./pkg/node/index.cjs');
const { createCallStatusHandler, readCallStatus, errorResponse, CallStatusRequestError } = requireFromRoot('./pkg/handlers/http.cjs');
const { callStatusMiddleware } = requireFromRoot('./pkg/handlers/express.cjs');
const { callStatusPlugin } = requireFromRoot('./pkg/handlers/fastify.cjs');
const express = requireFromRoot('express');
const Fastify = requireFromRoot('fastify');

/** The injected clock of every server: signatures are made at this time. */
const NOW = 1_700_000_000;
const MAX_BYTES = 4096;
const PATH = '/freeclimb/status';

const JSON_TYPE = 'application/json';

function signedHeaders(body, { secret = SECRET, timestamp = NOW, contentType = JSON_TYPE } = {}) {
  return { 'content-type': contentType, 'freeclimb-signature': api.signPayload(body, secret, timestamp) };
}

/** Creates the record of one server: payloads its route received and errors passed to onError. */
function createRecorder() {
  return { payloads: [], errors: [] };
}

function helperOptions(recorder, extra = {}) {
  return {
    secret: SECRET,
    maxBytes: MAX_BYTES,
    now: () => NOW,
    onError: (error) => recorder.errors.push(error),
    ...extra,
  };
}

function okBody(payload) {
  return JSON.stringify({ received: payload.callId });
}

async function startHttpServer(recorder) {
  const handler = createCallStatusHandler(helperOptions(recorder), (payload, req, res) => {
    recorder.payloads.push(payload);
    res.writeHead(200, { 'content-type': JSON_TYPE });
    res.end(okBody(payload));
  });
  const server = createServer((req, res) => {
    if (req.url === PATH || req.url === '/any-method') handler(req, res);
    else {
      res.writeHead(404);
      res.end();
    }
  });
  return { server, port: await listen(server) };
}

async function startExpressServer(recorder) {
  const app = express();
  const middleware = callStatusMiddleware(helperOptions(recorder));
  const route = (req, res) => {
    recorder.payloads.push(req.callStatus);
    res.type('json').send(okBody(req.callStatus));
  };

  app.post(PATH, middleware, route);
  app.use('/any-method', middleware, route);
  app.post('/after-json', express.json(), middleware, route);
  app.post('/raw', express.raw({ type: JSON_TYPE }), middleware, route);

  const server = createServer(app);
  return { server, port: await listen(server) };
}

async function startFastifyServer(recorder) {
  const app = Fastify();

  await app.register(async function freeclimbRoutes(scope) {
    await scope.register(callStatusPlugin, helperOptions(recorder));
    const route = async (request, reply) => {
      recorder.payloads.push(request.callStatus);
      return reply.type(JSON_TYPE).send(okBody(request.callStatus));
    };
    scope.post(PATH, route);
    scope.all('/any-method', route);
  });

  // Outside the plugin's scope: Fastify's own JSON parser still applies.
  app.post('/other-json', async (request) => ({ parsed: request.body }));

  await app.listen({ port: 0, host: '127.0.0.1' });
  return { server: app.server, port: app.server.address().port, close: () => app.close() };
}

const FRAMEWORKS = [
  { name: 'node:http', start: startHttpServer },
  { name: 'express', start: startExpressServer },
  { name: 'fastify', start: startFastifyServer },
];

function invalidPayloadBody() {
  const payload = JSON.parse(CALL_STATUS_BODY);
  payload.callId = 'XX-not-a-call-id';
  payload.from = 'not a phone number';
  return JSON.stringify(payload);
}

for (const framework of FRAMEWORKS) {
  describe(`${framework.name} helper`, { timeout: 30_000 }, () => {
    const recorder = createRecorder();
    let running;

    before(async () => {
      running = await framework.start(recorder);
    });

    after(async () => {
      if (running.close) await running.close();
      else await closeServer(running.server);
    });

    const post = (body, headers, path = PATH) => send({ port: running.port, path, headers, body });

    test('signed callStatus is accepted', async () => {
      const before = recorder.payloads.length;
      const response = await fetch(`http://127.0.0.1:${running.port}${PATH}`, {
        method: 'POST',
        headers: signedHeaders(CALL_STATUS_BODY),
        body: CALL_STATUS_BODY,
      });

      assert.equal(response.status, 200);
      assert.deepEqual(await response.json(), { received: 'CAccb0b00506553cda09b51c5477f672a49e0b2213' });
      assert.equal(recorder.payloads.length, before + 1);
      const payload = recorder.payloads.at(-1);
      assert.equal(payload.requestType, 'callStatus');
      assert.equal(payload.callStatus, 'completed');
      assert.equal(payload.callEndedReason, 'farEndHangup');
      assert.equal(payload.callDuration, 37, 'callDuration is normalised to a number');
    });

    test('charset=utf-8 content type is accepted', async () => {
      const headers = signedHeaders(CALL_STATUS_BODY, { contentType: 'Application/JSON; charset="UTF-8"' });
      const response = await post(CALL_STATUS_BODY, headers);

      assert.equal(response.status, 200);
    });

    test('forged signature is rejected', async () => {
      const response = await post(CALL_STATUS_BODY, signedHeaders(CALL_STATUS_BODY, { secret: 'sigsec_forged' }));

      assert.equal(response.status, 401);
      assert.equal(response.headers['content-type'], 'application/json; charset=utf-8');
      assert.equal(response.json.error, 'no_matching_signature');
      assert.match(response.json.message, /^no matching signature among the 1 v1 values/);
      assert.equal(response.json.issues, undefined);
    });

    test('body changed after signing is rejected', async () => {
      const headers = signedHeaders(CALL_STATUS_BODY);
      const tampered = CALL_STATUS_BODY.replace('"37"', '"3700"');
      const response = await post(tampered, headers);

      assert.equal(response.status, 401);
      assert.equal(response.json.error, 'no_matching_signature');
    });

    test('missing signature header is rejected', async () => {
      const response = await post(CALL_STATUS_BODY, { 'content-type': JSON_TYPE });

      assert.equal(response.status, 401);
      assert.equal(response.json.error, 'missing_header');
      assert.match(response.json.message, /^missing FreeClimb-Signature header/);
    });

    test('stale timestamp is rejected', async () => {
      const response = await post(CALL_STATUS_BODY, signedHeaders(CALL_STATUS_BODY, { timestamp: NOW - 301 }));

      assert.equal(response.status, 401);
      assert.equal(response.json.error, 'timestamp_outside_tolerance');
      assert.match(response.json.message, /is 301 seconds before the current time 1700000000/);
    });

    test('timestamp at the tolerance bound is accepted', async () => {
      const response = await post(CALL_STATUS_BODY, signedHeaders(CALL_STATUS_BODY, { timestamp: NOW + 300 }));

      assert.equal(response.status, 200);
    });

    test('Content-Length over the limit is rejected', async () => {
      const body = `{"padding":"${'x'.repeat(MAX_BYTES)}"}`;
      const response = await post(body, signedHeaders(body));

      assert.equal(response.status, 413);
      assert.equal(response.headers.connection, 'close');
      assert.deepEqual(response.json, {
        error: 'payload_too_large',
        message: `request body declares a Content-Length of ${body.length} bytes: the limit is ${MAX_BYTES} bytes`,
      });
    });

    test('chunked body over the limit is cut off', async () => {
      const chunk = Buffer.alloc(1024, 0x20);
      const chunks = Array.from({ length: 64 }, () => chunk);
      const response = await send({
        port: running.port,
        path: PATH,
        headers: { 'content-type': JSON_TYPE, 'freeclimb-signature': `t=${NOW},v1=00` },
        chunks,
        chunkDelayMs: 5,
      });

      assert.equal(response.status, 413);
      assert.equal(response.json.error, 'payload_too_large');
      assert.equal(response.json.message, `request body has more than ${MAX_BYTES} bytes: the limit is ${MAX_BYTES} bytes`);
      assert.ok(
        response.bytesSent < 32 * 1024,
        `the server answered only after ${response.bytesSent} of ${64 * 1024} bytes`,
      );
    });

    test('server responds after cut-off body', async () => {
      const response = await post(CALL_STATUS_BODY, signedHeaders(CALL_STATUS_BODY));

      assert.equal(response.status, 200);
    });

    test('malformed JSON is rejected with issues', async () => {
      const body = '{"requestType": "callStatus",';
      const response = await post(body, signedHeaders(body));

      assert.equal(response.status, 400);
      assert.equal(response.json.error, 'invalid_payload');
      assert.match(response.json.message, /^invalid callStatus payload: invalid JSON/);
      assert.equal(response.json.issues.length, 1);
      assert.equal(response.json.issues[0].code, 'invalid_json');
      assert.equal(response.json.issues[0].severity, 'error');
    });

    test('invalid payload is rejected with issues', async () => {
      const body = invalidPayloadBody();
      const response = await post(body, signedHeaders(body));

      assert.equal(response.status, 400);
      assert.equal(response.json.error, 'invalid_payload');
      const codes = response.json.issues.map((issue) => `${issue.path} ${issue.code}`);
      assert.ok(codes.includes('/callId invalid_id'), codes.join(', '));
      assert.ok(codes.includes('/from invalid_phone_number'), codes.join(', '));
    });

    test('empty body is rejected', async () => {
      const response = await post('', signedHeaders('x'));

      assert.equal(response.status, 401);
      assert.equal(response.json.error, 'empty_body');
    });

    test('text/plain is unsupported', async () => {
      const response = await post(CALL_STATUS_BODY, signedHeaders(CALL_STATUS_BODY, { contentType: 'text/plain' }));

      assert.equal(response.status, 415);
      assert.deepEqual(response.json, {
        error: 'unsupported_media_type',
        message: 'unsupported Content-Type "text/plain": expected "application/json"',
      });
    });

    test('non-UTF-8 charset is unsupported', async () => {
      const headers = signedHeaders(CALL_STATUS_BODY, { contentType: 'application/json; charset=iso-8859-1' });
      const response = await post(CALL_STATUS_BODY, headers);

      assert.equal(response.status, 415);
      assert.equal(response.json.error, 'unsupported_media_type');
      assert.match(response.json.message, /charset "iso-8859-1"/);
    });

    test('missing content type is unsupported', async () => {
      const headers = { 'freeclimb-signature': api.signPayload(CALL_STATUS_BODY, SECRET, NOW) };
      const response = await post(CALL_STATUS_BODY, headers);

      assert.equal(response.status, 415);
      assert.equal(response.json.error, 'unsupported_media_type');
    });

    test('GET is not allowed', async () => {
      const response = await send({ port: running.port, method: 'GET', path: '/any-method' });

      assert.equal(response.status, 405);
      assert.equal(response.headers.allow, 'POST');
      assert.deepEqual(response.json, {
        error: 'method_not_allowed',
        message: 'method GET is not allowed: FreeClimb sends callStatus webhooks with POST',
      });
    });

    test('client abort does not crash the server', async () => {
      const errorsBefore = recorder.errors.length;
      await abortMidBody({
        port: running.port,
        path: PATH,
        headers: signedHeaders(CALL_STATUS_BODY),
        part: CALL_STATUS_BODY.slice(0, 50),
        declaredLength: CALL_STATUS_BODY.length,
      });

      await waitFor(() => recorder.errors.length > errorsBefore, 'onError to report the aborted request');
      const reported = recorder.errors.at(-1);
      assert.ok(reported instanceof CallStatusRequestError, String(reported));
      assert.equal(reported.code, 'request_aborted');

      const response = await post(CALL_STATUS_BODY, signedHeaders(CALL_STATUS_BODY));
      assert.equal(response.status, 200);
    });

    test('rejected requests are not reported', async () => {
      const errorsBefore = recorder.errors.length;
      await post(CALL_STATUS_BODY, { 'content-type': JSON_TYPE });
      await post('{', signedHeaders('{'));

      assert.equal(recorder.errors.length, errorsBefore);
    });
  });
}

describe('express mounting', { timeout: 30_000 }, () => {
  const recorder = createRecorder();
  let running;

  before(async () => {
    running = await startExpressServer(recorder);
  });

  after(() => closeServer(running.server));

  test('after express.json() is a 500', async () => {
    const errorsBefore = recorder.errors.length;
    const response = await send({
      port: running.port,
      path: '/after-json',
      headers: signedHeaders(CALL_STATUS_BODY),
      body: CALL_STATUS_BODY,
    });

    assert.equal(response.status, 500);
    assert.equal(response.json.error, 'raw_body_unavailable');
    assert.match(response.json.message, /express\.json\(\) has already read the request/);
    assert.match(response.json.message, /mount the callStatus handler before any body parser/);
    assert.equal(recorder.errors.length, errorsBefore + 1, 'the misconfiguration is reported');
    assert.equal(recorder.errors.at(-1).code, 'raw_body_unavailable');
  });

  test('after express.raw() is accepted', async () => {
    const response = await send({
      port: running.port,
      path: '/raw',
      headers: signedHeaders(CALL_STATUS_BODY),
      body: CALL_STATUS_BODY,
    });

    assert.equal(response.status, 200);
    assert.equal(recorder.payloads.at(-1).callDuration, 37);
  });

  test('express.raw() buffer is still verified', async () => {
    const response = await send({
      port: running.port,
      path: '/raw',
      headers: signedHeaders(CALL_STATUS_BODY, { secret: 'sigsec_forged' }),
      body: CALL_STATUS_BODY,
    });

    assert.equal(response.status, 401);
    assert.equal(response.json.error, 'no_matching_signature');
  });
});

describe('fastify scope', { timeout: 30_000 }, () => {
  const recorder = createRecorder();
  let running;

  before(async () => {
    running = await startFastifyServer(recorder);
  });

  after(() => running.close());

  test('routes outside the scope parse JSON', async () => {
    const response = await send({
      port: running.port,
      path: '/other-json',
      headers: { 'content-type': JSON_TYPE },
      body: '{"a":1}',
    });

    assert.equal(response.status, 200);
    assert.deepEqual(response.json, { parsed: { a: 1 } });
  });

  test('registration without secret fails', async () => {
    const app = Fastify();
    app.register(callStatusPlugin, {});

    await assert.rejects(app.ready(), { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE' });
  });

  test('registration with unknown option fails', async () => {
    const app = Fastify();
    app.register(callStatusPlugin, { secret: SECRET, tolerance: 300 });

    await assert.rejects(app.ready(), {
      name: 'TypeError',
      code: 'ERR_INVALID_ARG_VALUE',
      message: /The "options" argument has an unknown property "tolerance"\. Accepted: secret, .*, prefix, logLevel, logSerializers$/,
    });
  });

  test('registration with negative maxBytes fails', async () => {
    const app = Fastify();
    app.register(callStatusPlugin, { secret: SECRET, maxBytes: -1 });

    await assert.rejects(app.ready(), { name: 'RangeError', code: 'ERR_OUT_OF_RANGE' });
  });

  test('Fastify register options are accepted', async () => {
    const app = Fastify();
    app.register(callStatusPlugin, { secret: SECRET, prefix: '/hooks', logLevel: 'warn', logSerializers: {} });

    await app.ready();
    await app.close();
  });

  test('plugin works in a prefixed scope', async () => {
    const app = Fastify();
    await app.register(
      async (scope) => {
        await scope.register(callStatusPlugin, { ...helperOptions(createRecorder()), prefix: '/ignored' });
        scope.post('/status', async (request) => ({ received: request.callStatus.callId }));
      },
      { prefix: '/hooks' },
    );

    const response = await app.inject({ method: 'POST', url: '/hooks/status', headers: signedHeaders(CALL_STATUS_BODY), payload: CALL_STATUS_BODY });
    await app.close();

    assert.equal(response.statusCode, 200);
    assert.equal(response.json().received, JSON.parse(CALL_STATUS_BODY).callId);
  });
});

describe('node:http callback', { timeout: 30_000 }, () => {
  const servers = [];

  after(() => Promise.all(servers.map(closeServer)));

  async function startWith(onCallStatus, recorder) {
    const server = createServer(createCallStatusHandler(helperOptions(recorder), onCallStatus));
    servers.push(server);
    return listen(server);
  }

  function postValid(port) {
    return send({ port, path: PATH, headers: signedHeaders(CALL_STATUS_BODY), body: CALL_STATUS_BODY });
  }

  test('throwing callback sends 500', async () => {
    const recorder = createRecorder();
    const port = await startWith(() => {
      throw new Error('database unavailable');
    }, recorder);

    const response = await postValid(port);

    assert.equal(response.status, 500);
    assert.deepEqual(response.json, {
      error: 'internal_error',
      message: 'internal error while handling the callStatus webhook',
    });
    assert.equal(recorder.errors.length, 1);
    assert.equal(recorder.errors[0].message, 'database unavailable');
  });

  test('rejecting callback sends 500', async () => {
    const recorder = createRecorder();
    const port = await startWith(async () => {
      await Promise.resolve();
      throw new Error('queue full');
    }, recorder);

    const response = await postValid(port);

    assert.equal(response.status, 500);
    assert.equal(response.json.error, 'internal_error');
    assert.equal(recorder.errors[0].message, 'queue full');
  });

  test('silent callback sends 204', async () => {
    const recorder = createRecorder();
    const port = await startWith((payload) => {
      recorder.payloads.push(payload);
    }, recorder);

    const response = await postValid(port);

    assert.equal(response.status, 204);
    assert.equal(response.text, '');
    assert.equal(recorder.payloads.length, 1);
  });

  test('throwing now option sends 500', async () => {
    const recorder = createRecorder();
    const options = helperOptions(recorder, {
      now: () => {
        throw new Error('clock unavailable');
      },
    });
    const server = createServer(createCallStatusHandler(options, () => {}));
    servers.push(server);

    const response = await postValid(await listen(server));

    assert.equal(response.status, 500);
    assert.equal(response.json.error, 'internal_error');
    assert.equal(recorder.errors[0].message, 'clock unavailable');
  });

  test('default onError writes one stderr line', async () => {
    const options = { secret: SECRET, now: () => NOW };
    const server = createServer(
      createCallStatusHandler(options, () => {
        throw new Error('database\nunavailable');
      }),
    );
    servers.push(server);
    const port = await listen(server);

    const written = [];
    const originalWrite = process.stderr.write;
    process.stderr.write = (chunk, ...rest) => {
      if (String(chunk).startsWith('freeclimb-callstatus:')) {
        written.push(String(chunk));
        return true;
      }
      return originalWrite.call(process.stderr, chunk, ...rest);
    };
    let response;
    try {
      response = await postValid(port);
    } finally {
      process.stderr.write = originalWrite;
    }

    assert.equal(response.status, 500);
    assert.deepEqual(written, [`freeclimb-callstatus: POST ${PATH}: Error: database unavailable\n`]);
  });
});

describe('readCallStatus', { timeout: 30_000 }, () => {
  let server;
  let port;
  const thrown = [];

  before(async () => {
    server = createServer(async (req, res) => {
      try {
        const payload = await readCallStatus(req, { secret: SECRET, now: () => new Date(NOW * 1000) });
        res.writeHead(200, { 'content-type': JSON_TYPE });
        res.end(okBody(payload));
      } catch (error) {
        thrown.push(error);
        const { statusCode, headers, body } = errorResponse(error);
        res.writeHead(statusCode, headers);
        res.end(JSON.stringify(body));
      }
    });
    port = await listen(server);
  });

  after(() => closeServer(server));

  test('returns the payload', async () => {
    const response = await send({ port, headers: signedHeaders(CALL_STATUS_BODY), body: CALL_STATUS_BODY });

    assert.equal(response.status, 200);
    assert.deepEqual(response.json, { received: 'CAccb0b00506553cda09b51c5477f672a49e0b2213' });
  });

  test('throws errors with statusCode', async () => {
    const cases = [
      { headers: { 'content-type': JSON_TYPE }, body: CALL_STATUS_BODY, type: api.SignatureVerificationError, statusCode: 401 },
      { headers: signedHeaders('[]'), body: '[]', type: api.ValidationError, statusCode: 400 },
      { headers: { 'content-type': 'text/csv' }, body: 'a,b', type: CallStatusRequestError, statusCode: 415 },
    ];
    for (const { headers, body, type, statusCode } of cases) {
      const response = await send({ port, headers, body });
      const error = thrown.at(-1);

      assert.ok(error instanceof type, `${statusCode}: ${error}`);
      assert.equal(error.statusCode, statusCode);
      assert.equal(response.status, statusCode);
    }
  });

  test('rejects missing secret', async () => {
    await assert.rejects(readCallStatus({ method: 'POST', headers: {} }, {}), {
      name: 'TypeError',
      message: /"options\.secret" argument must be a non-empty string/,
    });
  });
});

describe('helper options', () => {
  const factories = [
    ['createCallStatusHandler', (options) => createCallStatusHandler(options, () => {})],
    ['callStatusMiddleware', (options) => callStatusMiddleware(options)],
  ];

  for (const [name, create] of factories) {
    test(`${name} requires a secret`, () => {
      assert.throws(() => create({}), {
        name: 'TypeError',
        code: 'ERR_INVALID_ARG_TYPE',
        message: /"options\.secret" argument must be a non-empty string.*Received undefined$/,
      });
      assert.throws(() => create({ secret: '  ' }), { name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE' });
      assert.throws(() => create(undefined), { name: 'TypeError', message: /"options" argument must be an object/ });
    });

    test(`${name} checks each option`, () => {
      assert.throws(() => create({ secret: SECRET, mode: 'loose' }), { name: 'TypeError', message: /"options\.mode"/ });
      assert.throws(() => create({ secret: SECRET, maxBytes: 0 }), { name: 'RangeError', message: /"options\.maxBytes"/ });
      assert.throws(() => create({ secret: SECRET, maxBytes: '10' }), { name: 'TypeError', message: /"options\.maxBytes"/ });
      assert.throws(() => create({ secret: SECRET, toleranceSeconds: -1 }), {
        name: 'RangeError',
        message: /"options\.toleranceSeconds"/,
      });
      assert.throws(() => create({ secret: SECRET, now: NOW }), { name: 'TypeError', message: /"options\.now" argument must be a function/ });
      assert.throws(() => create({ secret: SECRET, onError: 'log' }), { name: 'TypeError', message: /"options\.onError"/ });
    });

    test(`${name} rejects unknown options`, () => {
      assert.throws(() => create({ secret: SECRET, tolerance: 300 }), {
        name: 'TypeError',
        code: 'ERR_INVALID_ARG_VALUE',
        message:
          'The "options" argument has an unknown property "tolerance". Accepted: secret, mode, maxBytes, maxDepth, ' +
          'maxIssues, maskPersonalData, toleranceSeconds, now, onError',
      });
      assert.throws(() => create({ secret: SECRET, maskPersonaldata: true }), { message: /unknown property "maskPersonaldata"/ });
      // Fastify's register options belong to the Fastify plugin only.
      assert.throws(() => create({ secret: SECRET, prefix: '/hooks' }), { message: /unknown property "prefix"/ });
    });

    test(`${name} accepts every documented option`, () => {
      const options = {
        secret: SECRET,
        mode: 'strict',
        maxBytes: 1024 * 1024 * 1024,
        maxDepth: 1024,
        maxIssues: 10,
        maskPersonalData: true,
        toleranceSeconds: 60,
        now: () => NOW,
        onError: () => {},
      };
      assert.equal(typeof create(options), 'function');
    });

    test(`${name} rejects limits validate() rejects`, () => {
      assert.throws(() => create({ secret: SECRET, maxBytes: 1024 * 1024 * 1024 + 1 }), { name: 'RangeError', message: /"options\.maxBytes"/ });
      assert.throws(() => create({ secret: SECRET, maxDepth: 1025 }), { name: 'RangeError', message: /"options\.maxDepth"/ });
    });

    test(`${name} ignores inherited properties`, () => {
      const options = Object.create({ inherited: true });
      options.secret = SECRET;
      assert.equal(typeof create(options), 'function');
    });
  }

  test('readCallStatus rejects unknown options', async () => {
    await assert.rejects(readCallStatus({ method: 'POST', headers: {} }, { secret: SECRET, mask: true }), {
      name: 'TypeError',
      code: 'ERR_INVALID_ARG_VALUE',
      message: /unknown property "mask"/,
    });
  });

  test('createCallStatusHandler requires a callback', () => {
    assert.throws(() => createCallStatusHandler({ secret: SECRET }), { name: 'TypeError', message: /"onCallStatus" argument must be a function/ });
  });
});

describe('package', { timeout: 60_000 }, () => {
  let sandbox;

  before(() => {
    sandbox = createPackageSandbox();
  });

  after(() => sandbox.remove());

  test('manifest declares subpaths and peers', () => {
    const manifest = requireFromRoot('./pkg/package.json');

    for (const helper of ['express', 'fastify', 'http']) {
      assert.deepEqual(Object.entries(manifest.exports[`./${helper}`]), [
        ['types', `./handlers/${helper}.d.ts`],
        ['default', `./handlers/${helper}.cjs`],
      ]);
    }
    assert.ok(manifest.files.includes('handlers/'));
    assert.deepEqual(manifest.peerDependencies, { express: '>=4', fastify: '>=4' });
    assert.deepEqual(manifest.peerDependenciesMeta, { express: { optional: true }, fastify: { optional: true } });
  });

  test('subpaths load with require and import', async () => {
    const probe = join(sandbox.folder, 'probe.mjs');
    writeFileSync(
      probe,
      [
        "import { createRequire } from 'node:module';",
        "import * as express from 'freeclimb-callstatus/express';",
        "import * as fastify from 'freeclimb-callstatus/fastify';",
        "import * as http from 'freeclimb-callstatus/http';",
        'const require = createRequire(import.meta.url);',
        'export const imported = { express, fastify, http };',
        "export const required = { express: require('freeclimb-callstatus/express'), http: require('freeclimb-callstatus/http') };",
      ].join('\n'),
    );
    const { imported, required } = await import(pathToFileURL(probe).href);

    assert.equal(typeof imported.express.callStatusMiddleware, 'function');
    assert.equal(typeof imported.fastify.callStatusPlugin, 'function');
    assert.equal(typeof imported.http.createCallStatusHandler, 'function');
    assert.equal(typeof imported.http.readCallStatus, 'function');
    assert.equal(required.express.callStatusMiddleware, callStatusMiddleware, 'one module instance behind both paths');
    assert.equal(required.http.CallStatusRequestError, CallStatusRequestError);
  });

  test('helpers load without express or fastify', () => {
    // A child process shows which modules loading the helpers pulls in.
    const script = [
      "require('freeclimb-callstatus/express');",
      "require('freeclimb-callstatus/fastify');",
      "require('freeclimb-callstatus/http');",
      'const loaded = Object.keys(require.cache).filter((file) => /node_modules[\\\\/](express|fastify)[\\\\/]/.test(file));',
      'process.stdout.write(JSON.stringify(loaded));',
    ].join('\n');
    const output = execFileSync(process.execPath, ['-e', script], { cwd: sandbox.folder, encoding: 'utf8' });

    assert.deepEqual(JSON.parse(output), []);
  });

  test('declarations type-check', () => {
    // fastify ships its own types; linking it lets one probe check that the
    // plugin's structural types satisfy fastify.register().
    symlinkSync(join(ROOT, 'node_modules', 'fastify'), join(sandbox.folder, 'node_modules', 'fastify'), 'dir');

    writeFileSync(
      join(sandbox.folder, 'node-only.ts'),
      [
        "import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';",
        "import type { CallStatusPayload } from 'freeclimb-callstatus';",
        "import { createCallStatusHandler, readCallStatus, errorResponse, CallStatusRequestError } from 'freeclimb-callstatus/http';",
        "import { callStatusMiddleware } from 'freeclimb-callstatus/express';",
        "import type { CallStatusHandlerOptions, ErrorResponseBody } from 'freeclimb-callstatus/http';",
        '',
        "const options: CallStatusHandlerOptions = { secret: 'sigsec_x', mode: 'strict', maxBytes: 10, now: () => new Date(), onError: (error, req) => { void error; void req.url; } };",
        'createServer(createCallStatusHandler(options, async (payload: CallStatusPayload, req, res) => { res.end(payload.callId); }));',
        'const middleware = callStatusMiddleware(options);',
        'export async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {',
        '  middleware(req, res, () => {});',
        '  try { const payload = await readCallStatus(req, options); res.end(payload.callStatus); }',
        '  catch (error) { const body: ErrorResponseBody = errorResponse(error).body; if (error instanceof CallStatusRequestError) { const status: number = error.statusCode; void status; } res.end(body.error); }',
        '}',
        "declare const request: Express.Request; const seen: CallStatusPayload | undefined = request.callStatus; void seen;",
      ].join('\n'),
    );
    writeFileSync(
      join(sandbox.folder, 'with-fastify.ts'),
      [
        "import Fastify from 'fastify';",
        "import { callStatusPlugin } from 'freeclimb-callstatus/fastify';",
        'const app = Fastify();',
        "app.register(callStatusPlugin, { secret: 'sigsec_x', toleranceSeconds: 60 });",
      ].join('\n'),
    );

    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const common = ['--noEmit', '--strict', '--module', 'node16', '--moduleResolution', 'node16', '--skipLibCheck', 'false'];
    const typeRoots = ['--typeRoots', join(ROOT, 'node_modules', '@types'), '--types', 'node'];
    for (const file of ['node-only.ts', 'with-fastify.ts']) {
      try {
        execFileSync(process.execPath, [tsc, ...common, ...typeRoots, file], { cwd: sandbox.folder, encoding: 'utf8' });
      } catch (error) {
        assert.fail(`tsc ${file} failed:\n${error.stdout}${error.stderr}`);
      }
    }
  });
});
