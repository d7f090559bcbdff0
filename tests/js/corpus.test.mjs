// Runs the shared fixture corpus through the built npm package (pkg/), with
// the body as bytes, as a string and, where JSON.parse keeps every detail,
// as an already-parsed object. The Rust and wasm layers run the same file.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const callstatus = require('../../pkg/node/index.cjs');
const corpus = JSON.parse(readFileSync(new URL('../fixtures/corpus.json', import.meta.url), 'utf8'));

function bodyBytes(entry) {
  if (entry.body !== undefined) return Buffer.from(entry.body, 'utf8');
  return Buffer.from(entry.bodyBase64, 'base64');
}

function issueKeys(report) {
  return report.errors
    .concat(report.warnings)
    .map((issue) => `${issue.severity} ${issue.code} ${issue.path}`)
    .sort();
}

function checkReport(report, expected, label) {
  assert.deepEqual(issueKeys(report), [...expected.issues].sort(), `${label}: issues`);
  assert.equal(report.valid, expected.valid, `${label}: valid`);
  assert.equal(report.payload !== undefined, expected.valid, `${label}: payload presence`);
  for (const issue of report.errors) assert.equal(issue.severity, 'error', `${label}: errors hold only errors`);
  for (const issue of report.warnings) assert.equal(issue.severity, 'warning', `${label}: warnings hold only warnings`);
}

/** Whether JSON.parse keeps what the validator looks at, so the object path must agree. */
function parsedObjectOf(entry) {
  if (entry.sameAsParsedObject === false || entry.body === undefined) return undefined;
  let value;
  try {
    value = JSON.parse(entry.body);
  } catch {
    return undefined;
  }
  // A string, number or boolean passed to validate() is read as the raw body
  // text, so only objects, arrays and null take the object path.
  if (value !== null && typeof value !== 'object') return undefined;
  return { value };
}

for (const mode of ['lenient', 'strict']) {
  test(`corpus as bytes, ${mode}`, () => {
    for (const entry of corpus.cases) {
      const report = callstatus.validate(bodyBytes(entry), { ...entry.options, mode });
      checkReport(report, entry[mode], `${entry.name} (${mode}, bytes)`);
    }
  });

  test(`corpus as strings, ${mode}`, () => {
    for (const entry of corpus.cases) {
      if (entry.body === undefined) continue;
      const report = callstatus.validate(entry.body, { ...entry.options, mode });
      checkReport(report, entry[mode], `${entry.name} (${mode}, string)`);
    }
  });

  test(`corpus as parsed objects, ${mode}`, () => {
    let checked = 0;
    for (const entry of corpus.cases) {
      const parsed = parsedObjectOf(entry);
      if (parsed === undefined) continue;

      // Size limits apply to the serialised object, whose length differs from the body's.
      if (entry.options && entry.options.maxBytes !== undefined) continue;
      const report = callstatus.validate(parsed.value, { ...entry.options, mode });
      checkReport(report, entry[mode], `${entry.name} (${mode}, object)`);
      for (const issue of report.errors.concat(report.warnings)) {
        assert.equal(issue.line, undefined, `${entry.name}: object input has no positions`);
      }
      checked++;
    }
    assert.ok(checked > 100, `only ${checked} cases ran through the object path`);
  });
}

test('corpus payloads are normalised', () => {
  let checked = 0;
  for (const entry of corpus.cases) {
    if (entry.payload === undefined) continue;
    const payload = callstatus.parse(bodyBytes(entry), entry.options);
    assert.deepEqual(payload, entry.payload, entry.name);
    checked++;
  }
  assert.ok(checked >= 8);
});

test('parse throws ValidationError with issues', () => {
  const entry = corpus.cases.find((candidate) => candidate.name === 'callId too short');
  assert.throws(
    () => callstatus.parse(entry.body),
    (error) => {
      assert.ok(error instanceof callstatus.ValidationError);
      assert.ok(error instanceof Error);
      assert.equal(error.name, 'ValidationError');
      assert.equal(error.code, 'ERR_CALLSTATUS_INVALID');
      assert.deepEqual(error.issues.map((issue) => issue.code), ['invalid_id']);
      assert.match(error.message, /callId/);
      assert.match(error.message, /"CA123"/);
      return true;
    },
  );
});

test('issue positions point at the value', () => {
  const body = '{\n  "requestType": "callStatus",\n  "callId": "CA12",\n  "x": "é"\n}';
  const report = callstatus.validate(body);
  const callId = report.errors.find((issue) => issue.path === '/callId');
  assert.equal(callId.line, 3);
  assert.equal(callId.column, 13);
  assert.equal(callId.endColumn, 19);
  assert.equal(body.slice(callId.offset, callId.offset + callId.length), '"CA12"');
  const unknown = report.warnings.find((issue) => issue.path === '/x');
  assert.equal(unknown.line, 4);
  assert.equal(unknown.column, 3);
});

test('syntax error position counts characters, not bytes', () => {
  const report = callstatus.validate('{"é😀":1,}');
  assert.equal(report.errors[0].code, 'invalid_json');
  assert.equal(report.errors[0].line, 1);
  // { " é 😀 " : 1 , } : the '}' is the 9th character; é takes 2 bytes and 😀 4, so it is at byte 12.
  assert.equal(report.errors[0].column, 9);
  assert.equal(report.errors[0].offset, 12);
});

test('ArrayBuffer, DataView and Uint8Array views agree', () => {
  const entry = corpus.cases.find((candidate) => candidate.name === 'many problems at once');
  const bytes = Buffer.from(entry.body);
  const padded = new Uint8Array(bytes.length + 8);
  padded.set(bytes, 4);
  const expected = callstatus.validate(bytes);
  assert.deepEqual(callstatus.validate(new Uint8Array(bytes)), expected);
  assert.deepEqual(callstatus.validate(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)), expected);
  assert.deepEqual(callstatus.validate(new DataView(padded.buffer, 4, bytes.length)), expected);
  assert.deepEqual(callstatus.validate(padded.subarray(4, 4 + bytes.length)), expected);
});

test('bad arguments throw TypeError or RangeError naming them', () => {
  const cases = [
    [() => callstatus.validate(undefined), TypeError, /"input"/],
    [() => callstatus.validate(42), TypeError, /"input".*the number 42/],
    [() => callstatus.validate(() => 1), TypeError, /"input"/],
    [() => callstatus.validate('{}', { mode: 'strictest' }), TypeError, /"options.mode".*"strictest"/],
    [() => callstatus.validate('{}', { maxBytes: '10' }), TypeError, /"options.maxBytes"/],
    [() => callstatus.validate('{}', { maxBytes: 0 }), RangeError, /"options.maxBytes"/],
    [() => callstatus.validate('{}', { maxIssues: 1.5 }), RangeError, /"options.maxIssues"/],
    [() => callstatus.validate('{}', { maxDepth: -1 }), RangeError, /"options.maxDepth"/],
    [() => callstatus.validate('{}', 'strict'), TypeError, /"options"/],
  ];
  for (const [call, type, message] of cases) {
    assert.throws(call, (error) => error instanceof type && message.test(error.message));
  }
});

test('object input that cannot become JSON throws TypeError', () => {
  const cyclic = {};
  cyclic.self = cyclic;
  assert.throws(() => callstatus.validate(cyclic), TypeError);
  assert.throws(() => callstatus.validate({ callDuration: 1n }), TypeError);
});

test('oversized string and bytes are reported without validation', () => {
  const big = 'x'.repeat(2000);
  for (const input of [big, Buffer.from(big), '{"a":"' + 'é'.repeat(600) + '"}']) {
    const report = callstatus.validate(input, { maxBytes: 1000 });
    assert.equal(report.valid, false);
    assert.deepEqual(report.errors.map((issue) => issue.code), ['body_too_large']);
  }
  const report = callstatus.validate('{"a":"' + 'é'.repeat(600) + '"}', { maxBytes: 1000 });
  assert.match(report.errors[0].message, /1208 bytes/);
});

test('hostile input never poisons the module', () => {
  // A panic inside wasm would leave every later call failing, so the last
  // call must still give the right verdict.
  let seed = 7;
  const random = () => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 0x100000000;
  };
  const alphabet = '{}[]":,\\ u0123456789abcdefnrtl-+.eE\u00e9\ud83d\ude00';
  const valid = corpus.cases.find((candidate) => candidate.name === 'completed inbound farEndHangup').body;
  for (let round = 0; round < 20000; round++) {
    let text = '';
    if (round % 2 === 0) {
      const length = Math.floor(random() * 64);
      for (let index = 0; index < length; index++) text += alphabet[Math.floor(random() * alphabet.length)];
    } else {
      // Mutate a valid body: random cuts and insertions near real structure.
      const cut = Math.floor(random() * valid.length);
      text = valid.slice(0, cut) + alphabet[Math.floor(random() * alphabet.length)] + valid.slice(cut + 1);
    }
    const bytes = Buffer.from(text);
    if (round % 3 === 0 && bytes.length > 0) bytes[Math.floor(random() * bytes.length)] = Math.floor(random() * 256);
    const report = callstatus.validate(bytes, { mode: round % 4 === 0 ? 'strict' : 'lenient', maxIssues: 1 + (round % 5) });
    assert.equal(typeof report.valid, 'boolean');
    assert.ok(report.errors.length + report.warnings.length <= 1 + (round % 5));
  }
  assert.equal(callstatus.validate(valid).valid, true);
});

test('meanings cover every enumeration value', () => {
  const meanings = callstatus.meanings();
  assert.deepEqual(Object.keys(meanings.callStatus), ['completed', 'busy', 'failed', 'noAnswer', 'canceled', 'queued', 'ringing', 'inProgress']);
  assert.equal(Object.keys(meanings.callEndedReason).length, 23);
  assert.deepEqual(Object.keys(meanings.direction), ['inbound', 'outbound', 'outboundAPI', 'outboundDial']);
  assert.match(meanings.callEndedReason.callCanceled, /canceled/);
});

test('init is a harmless no-op in Node', async () => {
  await callstatus.init();
  await callstatus.init();
  assert.equal(callstatus.validate('{}').valid, false);
});
