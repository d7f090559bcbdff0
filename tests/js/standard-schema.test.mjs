// The Standard Schema v1 objects of the built package: direct calls of
// ~standard.validate, the whole fixture corpus, and Hono's
// standard-validator middleware serving real requests on 127.0.0.1.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { createAdaptorServer } from '@hono/node-server';
import { sValidator } from '@hono/standard-validator';
import { Hono } from 'hono';

import { closeServer, listen, send } from './helpers/http.mjs';
import { createPackageSandbox, requireFromRoot, ROOT } from './helpers/package.mjs';
import { CALL_STATUS_BODY } from './helpers/vectors.mjs';

const callstatus = requireFromRoot('./pkg/node/index.cjs');
const { callStatusSchema, createCallStatusSchema } = callstatus;
const corpus = JSON.parse(readFileSync(join(ROOT, 'tests', 'fixtures', 'corpus.json'), 'utf8'));

const strictSchema = createCallStatusSchema({ mode: 'strict' });

/** Runs a schema's ~standard.validate, as a consumer library does. */
function check(schema, value) {
  return schema['~standard'].validate(value);
}

/** Returns the valid body with some fields replaced; `undefined` removes a field. */
function bodyWith(changes) {
  const payload = { ...JSON.parse(CALL_STATUS_BODY), ...changes };
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) delete payload[key];
  }
  return JSON.stringify(payload);
}

/** Encodes a Standard Schema path back into a JSON Pointer, the inverse of the package's conversion. */
function toPointer(path) {
  return path.map((key) => `/${String(key).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');
}

describe('~standard properties', () => {
  test('version is 1', () => {
    assert.equal(callStatusSchema['~standard'].version, 1);
  });

  test('vendor names the package', () => {
    assert.equal(callStatusSchema['~standard'].vendor, 'freeclimb-callstatus');
  });

  test('validate is a function', () => {
    assert.equal(typeof callStatusSchema['~standard'].validate, 'function');
  });

  test('schema objects are frozen', () => {
    assert.ok(Object.isFrozen(callStatusSchema));
    assert.ok(Object.isFrozen(callStatusSchema['~standard']));
  });

  test('validate works without its object', () => {
    // Some consumers keep the function and call it on its own.
    const { validate } = callStatusSchema['~standard'];
    const result = validate(CALL_STATUS_BODY);
    assert.equal(result.issues, undefined);
    assert.equal(result.value.callId, 'CAccb0b00506553cda09b51c5477f672a49e0b2213');
  });
});

describe('valid payloads', () => {
  const expected = callstatus.parse(CALL_STATUS_BODY);

  const inputs = [
    ['text', CALL_STATUS_BODY],
    ['parsed object', JSON.parse(CALL_STATUS_BODY)],
    ['Buffer', Buffer.from(CALL_STATUS_BODY)],
    ['Uint8Array', new TextEncoder().encode(CALL_STATUS_BODY)],
    ['ArrayBuffer', new TextEncoder().encode(CALL_STATUS_BODY).buffer],
  ];
  for (const [name, input] of inputs) {
    test(`${name} gives the parsed payload`, () => {
      const result = check(callStatusSchema, input);
      assert.equal(result.issues, undefined);
      assert.deepEqual(result.value, expected);
    });
  }

  test('value has durations as numbers', () => {
    const result = check(callStatusSchema, JSON.parse(CALL_STATUS_BODY));
    assert.equal(result.value.callDuration, 37);
  });

  test('result has only value', () => {
    assert.deepEqual(Object.keys(check(callStatusSchema, CALL_STATUS_BODY)), ['value']);
  });
});

describe('invalid payloads', () => {
  test('one issue per error', () => {
    const body = bodyWith({ callId: 'CA-1234', from: 'Anonymous', accountId: undefined });
    const report = callstatus.validate(body);
    const result = check(callStatusSchema, body);

    assert.equal(result.value, undefined);
    assert.equal(report.errors.length, 2);
    assert.equal(report.warnings.length, 1, 'the caller id is a warning in lenient mode');
    assert.equal(result.issues.length, report.errors.length);
  });

  test('issues carry path, message and code', () => {
    const body = bodyWith({ callId: 'CA-1234' });
    const [error] = callstatus.validate(body).errors;
    const [issue] = check(callStatusSchema, body).issues;

    assert.deepEqual(issue.path, ['callId']);
    assert.equal(issue.message, error.message);
    assert.equal(issue.code, 'invalid_id');
  });

  test('issues follow the report order', () => {
    const body = bodyWith({ callId: 'CA-1234', accountId: undefined });
    const paths = check(callStatusSchema, body).issues.map((issue) => issue.path);
    assert.deepEqual(paths, [['callId'], ['accountId']]);
  });

  test('parsed object gives the same issues', () => {
    const body = bodyWith({ callId: 'CA-1234', callStatus: 'ringing' });
    assert.deepEqual(check(callStatusSchema, JSON.parse(body)), check(callStatusSchema, body));
  });

  test('invalid JSON is one root issue', () => {
    const result = check(callStatusSchema, '{"callId": ');
    assert.equal(result.issues.length, 1);
    assert.deepEqual(result.issues[0].path, []);
    assert.equal(result.issues[0].code, 'invalid_json');
  });

  test('body over maxBytes fails', () => {
    const schema = createCallStatusSchema({ maxBytes: 64 });
    const result = check(schema, CALL_STATUS_BODY);
    assert.equal(result.issues.length, 1);
    assert.equal(result.issues[0].code, 'body_too_large');
  });
});

describe('paths', () => {
  test('root pointer is an empty path', () => {
    const [issue] = check(callStatusSchema, '[]').issues;
    assert.deepEqual(issue.path, []);
  });

  test('~1 and ~0 are unescaped', () => {
    const body = bodyWith({ 'a/b~c': 1 });
    const unknown = callstatus.validate(body, { mode: 'strict' }).errors.find((error) => error.code === 'unknown_field');
    const issue = check(strictSchema, body).issues.find((entry) => entry.code === 'unknown_field');

    assert.equal(unknown.path, '/a~1b~0c');
    assert.deepEqual(issue.path, ['a/b~c']);
  });

  test('~01 unescapes to ~1', () => {
    // RFC 6901 decodes ~1 before ~0, so "~01" is the key "~1", not "/".
    const issue = check(strictSchema, bodyWith({ '~1': 1 })).issues.find((entry) => entry.code === 'unknown_field');
    assert.deepEqual(issue.path, ['~1']);
  });

  const nestedArray = CALL_STATUS_BODY.replace(/}$/, ',"extra":[{"a":1,"a":2}]}');
  for (const [name, input] of [
    ['text', nestedArray],
    ['bytes', Buffer.from(nestedArray)],
  ]) {
    test(`array index is a number in ${name}`, () => {
      const issue = check(callStatusSchema, input).issues.find((entry) => entry.code === 'duplicate_key');
      assert.deepEqual(issue.path, ['extra', 0, 'a']);
    });
  }

  test('digit object key stays a string', () => {
    const body = CALL_STATUS_BODY.replace(/}$/, ',"extra":{"0":{"a":1,"a":2}}}');
    const issue = check(callStatusSchema, body).issues.find((entry) => entry.code === 'duplicate_key');
    assert.deepEqual(issue.path, ['extra', '0', 'a']);
  });
});

describe('warnings', () => {
  const withheldCaller = bodyWith({ from: 'Anonymous' });

  test('lenient warning does not fail', () => {
    const report = callstatus.validate(withheldCaller);
    const result = check(callStatusSchema, withheldCaller);

    assert.equal(report.warnings.length, 1);
    assert.equal(result.issues, undefined);
    assert.equal(result.value.from, 'Anonymous');
  });

  test('strict schema fails the same body', () => {
    const [issue] = check(strictSchema, withheldCaller).issues;
    assert.deepEqual(issue.path, ['from']);
    assert.equal(issue.code, 'invalid_phone_number');
  });

  test('warnings are left out of failures', () => {
    const body = bodyWith({ from: 'Anonymous', callId: 'CA-1234' });
    const codes = check(callStatusSchema, body).issues.map((issue) => issue.code);
    assert.deepEqual(codes, ['invalid_id']);
  });

  test('strict-mode warnings do not fail', () => {
    // duration_above_maximum stays a warning in strict mode too.
    const body = bodyWith({ callDuration: '30000', callEndedReason: 'maxDuration' });
    const report = callstatus.validate(body, { mode: 'strict' });
    assert.deepEqual(report.warnings.map((warning) => warning.code), ['duration_above_maximum']);
    assert.equal(check(strictSchema, body).value.callDuration, 30000);
  });
});

describe('inputs validate() rejects', () => {
  const circular = {};
  circular.self = circular;

  const cases = [
    ['number', 5, 'not_an_object', /the body is a number/],
    ['boolean', true, 'not_an_object', /the body is a boolean/],
    ['null', null, 'not_an_object', /the body is null/],
    ['array', [1], 'not_an_object', /the body is an array/],
    ['undefined', undefined, 'not_an_object', /the body is undefined/],
    ['bigint', 10n, 'not_an_object', /the body is the bigint 10/],
    ['symbol', Symbol('body'), 'not_an_object', /the body is a symbol/],
    ['function', () => {}, 'not_an_object', /the body is a function/],
    ['circular object', circular, 'invalid_json', /circular reference/],
    ['toJSON to undefined', { toJSON: () => undefined }, 'invalid_json', /converts to no JSON text/],
  ];
  for (const [name, input, code, message] of cases) {
    test(`${name} is one root issue`, () => {
      const result = check(callStatusSchema, input);
      assert.equal(result.issues.length, 1);
      assert.deepEqual(result.issues[0].path, []);
      assert.equal(result.issues[0].code, code);
      assert.match(result.issues[0].message, message);
    });
  }

  test('detached buffer is an issue', () => {
    const bytes = new TextEncoder().encode(CALL_STATUS_BODY);
    structuredClone(bytes.buffer, { transfer: [bytes.buffer] });
    const result = check(callStatusSchema, bytes);
    assert.equal(result.issues.length, 1);
    assert.equal(result.issues[0].code, 'invalid_json');
  });

  test('string is body text', () => {
    // A JSON string value is not unwrapped: '"{}"' is a string body.
    const [issue] = check(callStatusSchema, JSON.stringify('{}')).issues;
    assert.match(issue.message, /the body is a string/);
  });
});

describe('createCallStatusSchema', () => {
  test('invalid mode throws at creation', () => {
    assert.throws(() => createCallStatusSchema({ mode: 'pedantic' }), { name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE' });
  });

  test('invalid limit throws at creation', () => {
    assert.throws(() => createCallStatusSchema({ maxBytes: 0 }), { name: 'RangeError', code: 'ERR_OUT_OF_RANGE' });
  });

  test('options are copied', () => {
    const options = { mode: 'strict' };
    const schema = createCallStatusSchema(options);
    options.mode = 'lenient';
    assert.ok(check(schema, bodyWith({ from: 'Anonymous' })).issues);
  });

  test('no options means lenient', () => {
    const schema = createCallStatusSchema();
    assert.equal(check(schema, bodyWith({ from: 'Anonymous' })).issues, undefined);
  });
});

describe('corpus', () => {
  for (const entry of corpus.cases) {
    const body = entry.bodyBase64 === undefined ? entry.body : Buffer.from(entry.bodyBase64, 'base64');
    for (const mode of ['lenient', 'strict']) {
      test(`${mode}: ${entry.name}`, () => {
        const schema = createCallStatusSchema({ ...entry.options, mode });
        const result = check(schema, body);
        // The corpus lists issues as "severity code pointer", sorted.
        const expectedErrors = entry[mode].issues
          .filter((line) => line.startsWith('error '))
          .map((line) => line.slice('error '.length));

        assert.equal(result.issues === undefined, entry[mode].valid);
        const actual = (result.issues ?? []).map((issue) => `${issue.code} ${toPointer(issue.path)}`);
        assert.deepEqual(actual.sort(), expectedErrors.sort());
      });
    }
  }
});

describe('browser build', () => {
  test('validates after init()', async () => {
    const web = await import(pathToFileURL(join(ROOT, 'pkg', 'web', 'index.js')).href);
    await web.init(readFileSync(join(ROOT, 'pkg', 'web', 'freeclimb_callstatus_bg.wasm')));
    const result = web.callStatusSchema['~standard'].validate(CALL_STATUS_BODY);
    assert.equal(result.value.callStatus, 'completed');
  });
});

describe('hono standard-validator', { timeout: 30_000 }, () => {
  let server;
  let port;

  before(async () => {
    const app = new Hono();
    const respond = (c) => {
      const payload = c.req.valid('json');
      return c.json({ callId: payload.callId, callDuration: payload.callDuration, from: payload.from });
    };
    app.post('/status', sValidator('json', callStatusSchema), respond);
    app.post('/strict/status', sValidator('json', strictSchema), respond);

    server = createAdaptorServer({ fetch: app.fetch });
    port = await listen(server);
  });

  after(() => closeServer(server));

  function post(path, body) {
    return send({ port, path, headers: { 'content-type': 'application/json' }, body });
  }

  test('valid body is 200 with the value', async () => {
    const response = await post('/status', CALL_STATUS_BODY);
    assert.equal(response.status, 200, response.text);
    assert.deepEqual(response.json, { callId: 'CAccb0b00506553cda09b51c5477f672a49e0b2213', callDuration: 37, from: '+13121000109' });
  });

  test('invalid body is 400 with issues', async () => {
    const response = await post('/status', bodyWith({ callId: 'CA-1234', callStatus: 'ringing' }));
    assert.equal(response.status, 400, response.text);
    assert.equal(response.json.success, false);
    assert.deepEqual(
      response.json.error.map((issue) => [issue.code, issue.path]),
      [
        ['invalid_id', ['callId']],
        ['non_final_call_status', ['callStatus']],
      ],
    );
  });

  test('400 issues carry messages', async () => {
    const response = await post('/status', bodyWith({ callId: 'CA-1234' }));
    assert.match(response.json.error[0].message, /callId: expected a call id/);
  });

  test('lenient route accepts a withheld caller', async () => {
    const response = await post('/status', bodyWith({ from: 'Anonymous' }));
    assert.equal(response.status, 200, response.text);
    assert.equal(response.json.from, 'Anonymous');
  });

  test('strict route rejects a withheld caller', async () => {
    const response = await post('/strict/status', bodyWith({ from: 'Anonymous' }));
    assert.equal(response.status, 400, response.text);
    assert.deepEqual(response.json.error[0].path, ['from']);
  });

  test('JSON array body is 400', async () => {
    const response = await post('/status', '[1,2]');
    assert.equal(response.status, 400, response.text);
    assert.equal(response.json.error[0].code, 'not_an_object');
  });
});

describe('types', { timeout: 60_000 }, () => {
  let sandbox;

  before(() => {
    sandbox = createPackageSandbox();
    // The consumer libraries resolve from the sandbox as they would in an app.
    for (const name of ['hono', '@hono', '@standard-schema']) {
      symlinkSync(join(ROOT, 'node_modules', name), join(sandbox.folder, 'node_modules', name), 'dir');
    }
  });

  after(() => sandbox.remove());

  function compile(fileName, source) {
    writeFileSync(join(sandbox.folder, fileName), source);
    const tsc = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
    const flags = ['--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022'];
    const typeRoots = ['--typeRoots', join(ROOT, 'node_modules', '@types'), '--types', 'node'];
    try {
      execFileSync(process.execPath, [tsc, ...flags, ...typeRoots, fileName], { cwd: sandbox.folder, encoding: 'utf8' });
      return { status: 0, output: '' };
    } catch (error) {
      return { status: error.status, output: `${error.stdout}${error.stderr}` };
    }
  }

  test('schemas satisfy @standard-schema/spec', () => {
    const source = `
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { callStatusSchema, createCallStatusSchema, type CallStatusPayload } from 'freeclimb-callstatus';

const lenient: StandardSchemaV1<unknown, CallStatusPayload> = callStatusSchema;
const strict: StandardSchemaV1 = createCallStatusSchema({ mode: 'strict' });
type Output = StandardSchemaV1.InferOutput<typeof callStatusSchema>;
const output: CallStatusPayload = null as unknown as Output;

const result = callStatusSchema['~standard'].validate('{}');
if (result.issues) {
  const first = result.issues[0];
  const key: string | number | undefined = first?.path[0];
  void key;
} else {
  const seconds: number | null = result.value.callDuration;
  void seconds;
}
void lenient; void strict; void output;
`;
    const result = compile('spec.mts', source);
    assert.equal(result.status, 0, result.output);
  });

  test('hono infers the payload type', () => {
    const source = `
import { Hono } from 'hono';
import { sValidator } from '@hono/standard-validator';
import { callStatusSchema, type CallStatusPayload } from 'freeclimb-callstatus';

const app = new Hono();
app.post('/status', sValidator('json', callStatusSchema), (c) => {
  const payload: CallStatusPayload = c.req.valid('json');
  return c.json({ callId: payload.callId });
});
export default app;
`;
    const result = compile('hono.mts', source);
    assert.equal(result.status, 0, result.output);
  });

  test('tsc rejects a wrong output type', () => {
    // Proves the checks above can fail: the output is not a string.
    const source = `
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { callStatusSchema } from 'freeclimb-callstatus';
const wrong: StandardSchemaV1<unknown, string> = callStatusSchema;
void wrong;
`;
    const result = compile('wrong.mts', source);
    assert.notEqual(result.status, 0);
    assert.match(result.output, /is not assignable to type 'StandardSchemaV1<unknown, string>'/);
  });
});
