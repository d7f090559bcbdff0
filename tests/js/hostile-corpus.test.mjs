// A corpus of hostile bodies against the built package. It covers deep
// nesting, bodies of several megabytes and hundreds of thousands of keys.
// It also covers invalid UTF-8, lone surrogates, NUL bytes, byte-order
// marks, numbers with huge digit counts, prototype-polluting keys and
// bodies at the size limit. Each must give a report, without throwing,
// within a time limit and a wasm memory bound. hostile.test.mjs covers odd
// argument types, options and signature headers.
//
// The time and memory limits are safety nets against hangs and runaway
// growth, not benchmarks: each case finishes in tens of milliseconds on a
// 2-core machine.

import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, describe, test } from 'node:test';

import { closeServer, listen, send } from './helpers/http.mjs';
import { requireFromRoot } from './helpers/package.mjs';
import { CALL_STATUS_BODY, SECRET } from './helpers/vectors.mjs';

const cs = requireFromRoot('./pkg/node/index.cjs');
// The wasm-bindgen module behind the package. require() returns the same
// instance the package uses, so its memory is the package's memory.
const bindings = requireFromRoot('./pkg/node/freeclimb_callstatus.js');
const { createCallStatusHandler, readCallStatus, errorResponse } = requireFromRoot('./pkg/handlers/http.cjs');
const { callStatusMiddleware } = requireFromRoot('./pkg/handlers/express.cjs');
const { callStatusPlugin } = requireFromRoot('./pkg/handlers/fastify.cjs');
const express = requireFromRoot('express');
const Fastify = requireFromRoot('fastify');

const MiB = 1024 * 1024;
const DEFAULT_MAX_BYTES = MiB;
const NOW = 1_700_000_000;
const CALL_ID = JSON.parse(CALL_STATUS_BODY).callId;

// Safety nets for every case: a time limit, a cap on the growth of wasm
// memory relative to the body, and a cap on wasm memory overall. The growth
// allowance covers the input copy, the decoded strings and the report
// text (at most four times the body). A report with no issue limit is only
// held to the overall cap: its issues take up to about 180 MiB of wasm
// memory before the 16 MiB text budget ends the list, whatever the body size.
const CASE_TIME_LIMIT_MS = 2000;
const GROWTH_PER_BODY_BYTE = 8;
const GROWTH_ALLOWANCE = 16 * MiB;
const WASM_MEMORY_LIMIT = 256 * MiB;

const PAYLOAD_KEYS = new Set([
  'requestType', 'callId', 'accountId', 'from', 'to', 'callStatus', 'callEndedReason', 'direction',
  'conferenceId', 'queueId', 'callDuration', 'recordingUrl', 'recordingId', 'recordingDurationSec', 'parentCallId',
]);
const REPORT_KEYS = new Set(['valid', 'errors', 'warnings', 'payload']);
const ISSUE_KEYS = new Set(['path', 'code', 'severity', 'message', 'line', 'column', 'endLine', 'endColumn', 'offset', 'length']);
const BATCH_KEYS = new Set(['lines', 'total', 'valid', 'invalid', 'droppedReports', 'blankLines', 'reports']);
const LINE_REPORT_KEYS = new Set(['line', 'valid', 'errors', 'warnings']);

function wasmMemoryBytes() {
  return bindings.wasmMemory().buffer.byteLength;
}

function toMiB(bytes) {
  return (bytes / MiB).toFixed(1);
}

/** CALL_STATUS_BODY with `extra` added as the last members of the root object. */
function validWith(extra) {
  return `${CALL_STATUS_BODY.slice(0, -1)},${extra}}`;
}

/** Returns a valid body of exactly `size` bytes: the payload padded with spaces inside the root object. */
function validOfSize(size) {
  assert.ok(size >= CALL_STATUS_BODY.length, `a valid body needs at least ${CALL_STATUS_BODY.length} bytes`);
  return `${CALL_STATUS_BODY.slice(0, -1)}${' '.repeat(size - CALL_STATUS_BODY.length)}}`;
}

function codesOf(report) {
  return report.errors.concat(report.warnings).map((issue) => issue.code);
}

function byteLength(input) {
  if (typeof input === 'string') return Buffer.byteLength(input);
  return input.byteLength;
}

/** Asserts that the module still validates a body after a hostile one. */
function assertHealthy(label) {
  const report = cs.validate(CALL_STATUS_BODY);
  assert.equal(report.valid, true, `${label}: a valid body no longer validates`);
  assert.equal(report.payload.callId, CALL_ID, `${label}: a valid body lost its callId`);
}

/**
 * Runs `work` on a hostile body of `size` bytes and returns its result.
 * Fails when it throws, runs past the time limit, or grows wasm memory past
 * the bounds above. Records time and memory as test diagnostics.
 */
function survive(t, label, size, work, { issueLimit = true } = {}) {
  const memoryBefore = wasmMemoryBytes();
  const started = performance.now();
  let result;
  try {
    result = work();
  } catch (error) {
    assert.fail(`${label}: threw ${error && error.name}: ${error && error.message}`);
  }
  const elapsed = performance.now() - started;
  const memoryAfter = wasmMemoryBytes();
  const growth = memoryAfter - memoryBefore;
  const allowed = GROWTH_PER_BODY_BYTE * size + GROWTH_ALLOWANCE;

  t.diagnostic(`${label}: ${elapsed.toFixed(1)} ms, wasm memory ${toMiB(memoryAfter)} MiB (+${toMiB(growth)})`);
  assert.ok(elapsed <= CASE_TIME_LIMIT_MS, `${label}: took ${elapsed.toFixed(0)} ms: expected at most ${CASE_TIME_LIMIT_MS} ms`);
  // Without an issue limit, a report's size is bounded only by its 16 MiB text budget, not by the body.
  if (issueLimit) assert.ok(growth <= allowed, `${label}: wasm memory grew by ${toMiB(growth)} MiB for a ${size} byte body: expected at most ${toMiB(allowed)} MiB`);
  assert.ok(memoryAfter <= WASM_MEMORY_LIMIT, `${label}: wasm memory is ${toMiB(memoryAfter)} MiB: expected at most ${toMiB(WASM_MEMORY_LIMIT)} MiB`);
  assertHealthy(label);
  return result;
}

/** Validates `input` as a hostile case and returns the report. */
function validateHostile(t, label, input, options) {
  const issueLimit = options === undefined || options.maxIssues === undefined || options.maxIssues <= 1000;
  return survive(t, label, byteLength(input), () => cs.validate(input, options), { issueLimit });
}

function deep(open, close, levels, inner = '') {
  return open.repeat(levels) + inner + close.repeat(levels);
}

describe('deep nesting', () => {
  const LEVELS = 100_000;
  const cases = {
    'arrays in a field': `{"a":${deep('[', ']', LEVELS)}}`,
    'objects in a field': `{"a":${deep('{"a":', '}', LEVELS, '1')}}`,
    'arrays at the root': deep('[', ']', LEVELS),
    'objects at the root': deep('{"a":', '}', LEVELS, '1'),
    'mixed in a valid payload': validWith(`"a":${deep('[{"b":', '}]', LEVELS / 2, 'null')}`),
    'unclosed arrays': `{"a":${'['.repeat(LEVELS)}`,
    'unclosed objects': '{"a":'.repeat(LEVELS),
  };

  for (const [name, body] of Object.entries(cases)) {
    test(`${name}, 100k levels`, (t) => {
      for (const maxDepth of [undefined, 1024]) {
        const options = { maxBytes: 4 * MiB, maxDepth };
        const bytes = validateHostile(t, `${name} as bytes, maxDepth ${maxDepth ?? 64}`, Buffer.from(body), options);
        assert.deepEqual(codesOf(bytes), ['too_deep'], `${name}, maxDepth ${maxDepth ?? 64}`);
        const text = validateHostile(t, `${name} as a string, maxDepth ${maxDepth ?? 64}`, body, options);
        assert.deepEqual(text, bytes, `${name}: string and bytes agree`);
      }
    });
  }

  test('deep lines in a batch', (t) => {
    const line = deep('[', ']', 100_000);
    const batch = survive(t, 'validateMany of 10 deep lines', line.length * 10, () => cs.validateMany(`${line}\n`.repeat(10), { maxBytes: MiB }));
    assert.equal(batch.invalid, 10);
    assert.deepEqual(batch.reports.map((report) => codesOf(report).join()), Array(10).fill('too_deep'));
  });

  test('deep signed body', (t) => {
    const body = `{"a":${deep('[', ']', 100_000)}}`;
    const header = cs.signPayload(body, SECRET, NOW);
    const error = survive(t, 'constructCallStatus of a deep body', body.length, () => {
      try {
        cs.constructCallStatus(body, header, SECRET, { now: NOW, maxBytes: MiB });
      } catch (caught) {
        return caught;
      }
      return undefined;
    });
    assert.ok(error instanceof cs.ValidationError, `expected a ValidationError, received ${error}`);
    assert.deepEqual(error.issues.map((issue) => issue.code), ['too_deep']);
  });
});

describe('bodies of several megabytes', () => {
  const SIZE = 5 * MiB;
  const RAISED = { maxBytes: 8 * MiB };

  test('5 MiB string member', (t) => {
    const body = validWith(`"pad":"${'x'.repeat(SIZE)}"`);
    const raised = validateHostile(t, '5 MiB ASCII member, maxBytes 8 MiB', Buffer.from(body), RAISED);
    assert.equal(raised.valid, true);
    assert.deepEqual(codesOf(raised), ['unknown_field']);

    const capped = validateHostile(t, '5 MiB ASCII member, default maxBytes', Buffer.from(body));
    assert.deepEqual(codesOf(capped), ['body_too_large']);
    const cappedText = validateHostile(t, '5 MiB ASCII member as a string, default maxBytes', body);
    assert.deepEqual(codesOf(cappedText), ['body_too_large']);
  });

  test('5 MiB non-ASCII and escaped members', (t) => {
    // Each "é" is two UTF-8 bytes, and each \u escape six bytes for one UTF-16 unit.
    const raw = validWith(`"pad":"${'é'.repeat(SIZE / 2)}"`);
    const text = validateHostile(t, '5 MiB of é as a string, maxBytes 8 MiB', raw, RAISED);
    assert.deepEqual(codesOf(text), ['unknown_field']);

    const escaped = validWith(`"pad":"${'\\u00e9\\ud83d\\ude00'.repeat(SIZE / 18)}"`);
    const bytes = validateHostile(t, '5 MiB of escapes, maxBytes 8 MiB', Buffer.from(escaped), RAISED);
    assert.deepEqual(codesOf(bytes), ['unknown_field']);
  });

  test('5 MiB caller id is kept', (t) => {
    const caller = 'é😀'.repeat(SIZE / 6);
    const body = CALL_STATUS_BODY.replace('+13121000109', caller);
    const report = validateHostile(t, '5 MiB from, maxBytes 8 MiB', Buffer.from(body), RAISED);
    assert.equal(report.valid, true);
    assert.deepEqual(codesOf(report), ['invalid_phone_number']);
    assert.equal(report.payload.from, caller);
    assert.ok(report.warnings[0].message.length < 500, `message of ${report.warnings[0].message.length} characters`);
  });

  test('5 MiB lines in a batch', (t) => {
    const line = validWith(`"pad":"${'x'.repeat(SIZE)}"`);
    const batch = survive(t, 'validateMany of two 5 MiB lines', 2 * line.length, () => cs.validateMany(`${line}\n${line}\n${CALL_STATUS_BODY}`, RAISED));
    assert.equal(batch.valid, 3);
    assert.deepEqual(batch.reports.map((report) => codesOf(report).join()), ['unknown_field', 'unknown_field']);
  });
});

describe('hundreds of thousands of keys', () => {
  const COUNT = 300_000;
  const members = Array.from({ length: COUNT }, (_, index) => `"k${index}":${index}`).join(',');

  test('300k keys in a nested object', (t) => {
    const body = validWith(`"wide":{${members}}`);
    const report = validateHostile(t, '300k nested keys', Buffer.from(body), { maxBytes: 8 * MiB });
    assert.equal(report.valid, true);
    assert.deepEqual(codesOf(report), ['unknown_field']);
  });

  test('300k keys at the root', (t) => {
    const body = validWith(members);
    const report = validateHostile(t, '300k root keys', body, { maxBytes: 8 * MiB });
    assert.equal(report.errors.length + report.warnings.length, 100, 'maxIssues bounds the report');
    assert.equal(report.warnings.at(-1).code, 'too_many_issues');

    // With no issue limit every key up to the text budget becomes an issue
    // object, so this part uses a third of the keys to stay well inside the time limit.
    const third = validWith(members.slice(0, members.indexOf(`"k${COUNT / 3}"`) - 1));
    const unbounded = validateHostile(t, '100k root keys, maxIssues 2^32-1', third, { maxBytes: 8 * MiB, maxIssues: 2 ** 32 - 1 });
    assert.ok(unbounded.warnings.length > 10_000, `${unbounded.warnings.length} warnings`);
    assert.equal(unbounded.warnings.at(-1).code, 'too_many_issues');
    // The README bounds the paths and messages at four times the body, at most 16 MiB.
    const textBudget = Math.min(4 * Buffer.byteLength(third), 16 * MiB);
    const text = unbounded.warnings.reduce((sum, issue) => sum + issue.path.length + issue.message.length, 0);
    assert.ok(text <= textBudget + 1024, `paths and messages take ${text} characters: expected at most ${textBudget}`);
  });

  test('300k repeats of one nested key', (t) => {
    const body = validWith(`"same":{${'"k":0,'.repeat(COUNT)}"k":0}`);
    const report = validateHostile(t, '300k nested duplicate keys', Buffer.from(body), { maxBytes: 8 * MiB });
    assert.equal(report.valid, false);
    assert.equal(report.errors.length + report.warnings.length, 100);
    assert.match(report.errors.at(-1).message, /^\d+ more issues were found but not listed/);
  });
});

describe('invalid UTF-8', () => {
  const SEQUENCES = {
    'overlong NUL (C0 80)': [0xc0, 0x80],
    'overlong slash (C1 AF)': [0xc1, 0xaf],
    'overlong three bytes (E0 80 80)': [0xe0, 0x80, 0x80],
    'overlong four bytes (F0 80 80 80)': [0xf0, 0x80, 0x80, 0x80],
    'high surrogate in UTF-8 (ED A0 80)': [0xed, 0xa0, 0x80],
    'low surrogate in UTF-8 (ED BF BF)': [0xed, 0xbf, 0xbf],
    'past U+10FFFF (F4 90 80 80)': [0xf4, 0x90, 0x80, 0x80],
    'lead byte F5': [0xf5, 0x80, 0x80, 0x80],
    'byte FF': [0xff],
    'lone continuation byte': [0x80],
    'truncated two-byte sequence': [0xc3],
    'truncated three-byte sequence': [0xe2, 0x82],
    'truncated four-byte sequence': [0xf0, 0x9f, 0x98],
  };

  /** Concatenates the bytes of `before`, `sequence` and `after`. */
  function spliced(before, sequence, after) {
    return Buffer.concat([Buffer.from(before), Buffer.from(sequence), Buffer.from(after)]);
  }

  for (const [name, sequence] of Object.entries(SEQUENCES)) {
    test(name, (t) => {
      const head = CALL_STATUS_BODY.slice(0, CALL_STATUS_BODY.indexOf('+13121000109'));
      const places = {
        'in a field value': spliced(head, sequence, CALL_STATUS_BODY.slice(head.length)),
        'in a key': spliced('{"k', sequence, '":1}'),
        'between tokens': spliced('{"a":1,', sequence, '"b":2}'),
        'at the end of a string': spliced('{"a":"x', sequence, '"}'),
        'at the end of the body': spliced('{"a":"x', sequence, ''),
      };
      for (const [place, body] of Object.entries(places)) {
        const report = validateHostile(t, `${name} ${place}`, body);
        assert.deepEqual(codesOf(report), ['invalid_utf8'], `${name} ${place}`);
        const offset = body.indexOf(Buffer.from(sequence));
        assert.equal(report.errors[0].offset, offset, `${name} ${place}: offset of the first invalid byte`);
        assert.match(report.errors[0].message, new RegExp(`byte 0x${sequence[0].toString(16).toUpperCase()} at offset ${offset}`), `${name} ${place}`);
      }
    });
  }

  test('lone UTF-16 surrogate in a string', (t) => {
    for (const unit of ['\ud800', '\udbff', '\udc00', '\udfff']) {
      const report = validateHostile(t, `string with U+${unit.charCodeAt(0).toString(16)}`, CALL_STATUS_BODY.replace('+13121000109', `+1${unit}`));
      assert.deepEqual(codesOf(report), ['invalid_utf8'], `U+${unit.charCodeAt(0).toString(16)}`);
    }
  });
});

describe('lone surrogate escapes', () => {
  const ESCAPES = ['\\ud800', '\\uDBFF', '\\udc00', '\\uDFFF', '\\ud800\\ud800', '\\ud800\\u0041', '\\udfff\\ud800', '\\ud800\\n', '\\ud83d"'];

  test('escapes in values and keys', (t) => {
    for (const escape of ESCAPES) {
      const close = escape.endsWith('"') ? '' : '"';
      for (const [place, body] of [
        ['in a field value', CALL_STATUS_BODY.replace('+13121000109', `+1${escape}${close === '' ? '+' : ''}`)],
        ['in a key', `{"a${escape}${close}:1}`],
        ['in a nested value', `{"a":[{"b":"${escape}${close}}]}`],
        ['in a root string', `"${escape}${close}`],
      ]) {
        const report = validateHostile(t, `${escape} ${place}`, body);
        assert.deepEqual(codesOf(report), ['invalid_json'], `${escape} ${place}: ${body.slice(0, 80)}`);
        assert.match(report.errors[0].message, /surrogate/, `${escape} ${place}`);
      }
    }
  });

  test('paired escapes are characters', (t) => {
    const report = validateHostile(t, 'surrogate pair escape', CALL_STATUS_BODY.replace('+13121000109', '\\ud83d\\ude00\\uD83D\\uDE00'));
    assert.equal(report.valid, true);
    assert.equal(report.payload.from, '😀😀');
  });
});

describe('NUL bytes', () => {
  test('raw NUL is invalid JSON', (t) => {
    const cases = {
      'in a value': ['{"a":"x\u0000y"}', 'invalid_json'],
      'in a field value': [CALL_STATUS_BODY.replace('+13121000109', '+1\u0000'), 'invalid_json'],
      'between tokens': ['{"a":1,\u0000"b":2}', 'invalid_json'],
      'as the whole body': ['\u0000', 'invalid_json'],
      'after the object': [`${CALL_STATUS_BODY}\u0000`, 'trailing_data'],
      'a megabyte of NUL': ['\u0000'.repeat(MiB), 'invalid_json'],
    };
    for (const [place, [body, code]] of Object.entries(cases)) {
      const report = validateHostile(t, `raw NUL ${place}`, Buffer.from(body));
      assert.deepEqual(codesOf(report), [code], place);
    }
  });

  test('escaped NUL is kept', (t) => {
    const report = validateHostile(t, 'escaped NUL in from', CALL_STATUS_BODY.replace('+13121000109', '\\u0000+1\\u0000'));
    assert.equal(report.valid, true);
    assert.equal(report.payload.from, '\u0000+1\u0000');

    const id = validateHostile(t, 'escaped NUL in callId', CALL_STATUS_BODY.replace(CALL_ID, `CA\\u0000${CALL_ID.slice(3)}`));
    assert.deepEqual(codesOf(id), ['invalid_id']);
    assert.doesNotMatch(id.errors[0].message, /\u0000/, 'the message escapes NUL');

    const many = validateHostile(t, '100k escaped NULs', Buffer.from(validWith(`"n":"${'\\u0000'.repeat(100_000)}"`)));
    assert.deepEqual(codesOf(many), ['unknown_field']);
  });
});

describe('byte-order marks', () => {
  const BOM = [0xef, 0xbb, 0xbf];

  test('leading BOM is invalid JSON', (t) => {
    const bytes = validateHostile(t, 'BOM then a valid body', Buffer.concat([Buffer.from(BOM), Buffer.from(CALL_STATUS_BODY)]));
    assert.deepEqual(codesOf(bytes), ['invalid_json']);
    assert.match(bytes.errors[0].message, /byte-order mark/);

    const twice = validateHostile(t, 'two BOMs', Buffer.from([...BOM, ...BOM, 0x7b, 0x7d]));
    assert.deepEqual(codesOf(twice), ['invalid_json']);

    const utf16 = validateHostile(t, 'UTF-16 BOM (FF FE)', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(CALL_STATUS_BODY, 'utf16le')]));
    assert.deepEqual(codesOf(utf16), ['invalid_utf8']);
  });

  test('BOM after whitespace is named', (t) => {
    // The README promises a message that names the byte-order mark, and an
    // invisible character quoted as-is does not name anything.
    const report = validateHostile(t, 'BOM after whitespace', ` \ufeff${CALL_STATUS_BODY}`);
    assert.deepEqual(codesOf(report), ['invalid_json']);
    assert.match(report.errors[0].message, /U\+FEFF|byte-order mark/, 'the message names the invisible character');
  });

  test('BOM inside a string is text', (t) => {
    const report = validateHostile(t, 'BOM in from', CALL_STATUS_BODY.replace('+13121000109', '\ufeff+13121000109'));
    assert.equal(report.valid, true);
    assert.equal(report.payload.from, '\ufeff+13121000109');
  });

  test('signed BOM body is rejected', () => {
    const body = `\ufeff${CALL_STATUS_BODY}`;
    const header = cs.signPayload(body, SECRET, NOW);
    assert.throws(() => cs.constructCallStatus(body, header, SECRET, { now: NOW }), (error) => {
      assert.ok(error instanceof cs.ValidationError, String(error));
      assert.deepEqual(error.issues.map((issue) => issue.code), ['invalid_json']);
      return true;
    });
  });
});

describe('numbers with huge digit counts', () => {
  const DIGITS = '7'.repeat(300_000);

  test('long numbers are read', (t) => {
    const cases = {
      'integer at the root': [DIGITS, ['not_an_object']],
      'negative fraction with exponent': [validWith(`"n":-${DIGITS}.${DIGITS}E-${DIGITS}`), ['unknown_field']],
      'as callDuration': [CALL_STATUS_BODY.replace('"37"', DIGITS), ['invalid_duration', 'duration_as_number']],
      'as a callDuration string': [CALL_STATUS_BODY.replace('"37"', `"${DIGITS}"`), ['invalid_duration']],
      'leading zero then digits': [validWith(`"n":0${DIGITS}`), ['invalid_json']],
      'fraction without digits': [validWith(`"n":${DIGITS}.`), ['invalid_json']],
      'exponent without digits': [validWith(`"n":${DIGITS}e+`), ['invalid_json']],
      '100k small numbers': [validWith(`"n":[${'-1.5e-300,'.repeat(100_000)}0]`), ['unknown_field']],
    };
    for (const [name, [body, codes]] of Object.entries(cases)) {
      const report = validateHostile(t, name, Buffer.from(body), { maxBytes: 4 * MiB });
      assert.deepEqual(codesOf(report), codes, name);
      for (const issue of report.errors.concat(report.warnings)) {
        assert.ok(issue.message.length < 500, `${name}: message of ${issue.message.length} characters`);
      }
    }
  });
});

describe('prototype pollution', () => {
  // Keys that reach Object.prototype when copied with plain assignment, or
  // through obj[a][b] = value, in code that builds objects from input.
  const POLLUTING = '"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}},"prototype":{"polluted":"yes"}';
  const BODY = validWith(POLLUTING);
  const prototypeNames = Object.getOwnPropertyNames(Object.prototype).sort();

  function assertNotPolluted(label) {
    assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), prototypeNames, `${label}: Object.prototype changed`);
    assert.equal({}.polluted, undefined, `${label}: ({}).polluted`);
    assert.equal([].polluted, undefined, `${label}: [].polluted`);
    assert.equal(Object.create(null).polluted, undefined, `${label}: a null-prototype object`);
  }

  /** Asserts that `value` is a plain object whose own keys all belong to `allowed`. */
  function assertPlain(value, allowed, label) {
    assert.equal(Object.getPrototypeOf(value), Object.prototype, `${label}: prototype`);
    for (const key of Reflect.ownKeys(value)) {
      assert.ok(allowed.has(key), `${label}: unexpected own key ${String(key)}`);
    }
    assert.equal(value.polluted, undefined, `${label}.polluted`);
  }

  function assertIssues(issues, label) {
    assert.ok(Array.isArray(issues), `${label}: an array`);
    assert.equal(Object.getPrototypeOf(issues), Array.prototype, `${label}: prototype`);
    issues.forEach((issue, index) => assertPlain(issue, ISSUE_KEYS, `${label}[${index}]`));
  }

  function assertReport(report, label) {
    assertPlain(report, REPORT_KEYS, label);
    assertIssues(report.errors, `${label}.errors`);
    assertIssues(report.warnings, `${label}.warnings`);
    if (report.payload !== undefined) assertPlain(report.payload, PAYLOAD_KEYS, `${label}.payload`);
  }

  const BODIES = {
    'polluting keys at the root': BODY,
    'polluting keys, duplicated': validWith(`${POLLUTING},${POLLUTING}`),
    'polluting keys nested': validWith(`"x":{${POLLUTING},"__proto__":1}`),
    'polluting values': CALL_STATUS_BODY.replace('+13121000109', '__proto__').replace('farEndHangup', 'constructor'),
    'polluting callStatus': CALL_STATUS_BODY.replace('completed', '__proto__'),
    'escaped __proto__ key': validWith('"\\u005f_proto__":{"polluted":"yes"}'),
  };

  test('reports and payloads are plain', (t) => {
    for (const [name, body] of Object.entries(BODIES)) {
      for (const mode of ['lenient', 'strict']) {
        const bytes = validateHostile(t, `${name} (${mode})`, Buffer.from(body), { mode });
        assertReport(bytes, `${name} (${mode}) report`);
        assertReport(cs.validate(body, { mode }), `${name} (${mode}) string report`);
        // JSON.parse makes __proto__ an own property, which the object path serialises back.
        assertReport(cs.validate(JSON.parse(body), { mode }), `${name} (${mode}) object report`);
        try {
          assertPlain(cs.parse(body, { mode }), PAYLOAD_KEYS, `${name} (${mode}) parse()`);
        } catch (error) {
          assert.ok(error instanceof cs.ValidationError, `${name}: ${error}`);
          assertIssues(error.issues, `${name} (${mode}) ValidationError.issues`);
        }
        assertNotPolluted(`${name} (${mode})`);
      }
    }

    const atRoot = cs.validate(BODY);
    assert.equal(atRoot.valid, true);
    assert.deepEqual(atRoot.warnings.map((issue) => issue.path), ['/__proto__', '/constructor', '/prototype']);
    assert.deepEqual(atRoot.payload, cs.validate(CALL_STATUS_BODY).payload, 'unknown fields are not copied into the payload');
    assert.equal(cs.parse(BODIES['polluting values']).from, '__proto__');
    assert.equal(cs.parse(BODIES['polluting values']).callEndedReason, 'constructor');
  });

  test('batch reports are plain', () => {
    const batch = cs.validateMany(Object.values(BODIES).join('\n'));
    assertPlain(batch, BATCH_KEYS, 'batch');
    batch.reports.forEach((report, index) => {
      assertPlain(report, LINE_REPORT_KEYS, `batch.reports[${index}]`);
      assertIssues(report.errors, `batch.reports[${index}].errors`);
      assertIssues(report.warnings, `batch.reports[${index}].warnings`);
    });
    assert.equal(batch.reports.length, Object.keys(BODIES).length);
    assertNotPolluted('validateMany');
  });

  test('signed payloads are plain', () => {
    const header = cs.signPayload(BODY, SECRET, NOW);
    assertPlain(cs.constructCallStatus(BODY, header, SECRET, { now: NOW }), PAYLOAD_KEYS, 'constructCallStatus()');
    assertPlain(cs.meanings(), new Set(['callStatus', 'callEndedReason', 'direction']), 'meanings()');
    assertNotPolluted('constructCallStatus');
  });

  describe('handlers', () => {
    // Each route reports what it saw of the payload: the checks run on the
    // server, where the request object lives.
    function inspect(payload) {
      return {
        prototypeIsObject: Object.getPrototypeOf(payload) === Object.prototype,
        keys: Reflect.ownKeys(payload).map(String),
        polluted: payload.polluted === undefined ? null : String(payload.polluted),
        emptyObjectPolluted: {}.polluted === undefined ? null : String({}.polluted),
      };
    }

    const options = { secret: SECRET, now: () => NOW, onError: () => {} };
    const servers = [];

    before(async () => {
      const http = createServer(createCallStatusHandler(options, (payload, req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(inspect(payload)));
      }));
      servers.push({ name: 'node:http', port: await listen(http), close: () => closeServer(http) });

      const app = express();
      app.post('/', callStatusMiddleware(options), (req, res) => res.json(inspect(req.callStatus)));
      const expressServer = createServer(app);
      servers.push({ name: 'express', port: await listen(expressServer), close: () => closeServer(expressServer) });

      const fastify = Fastify();
      await fastify.register(async (scope) => {
        await scope.register(callStatusPlugin, options);
        scope.post('/', async (request) => inspect(request.callStatus));
      });
      await fastify.listen({ port: 0, host: '127.0.0.1' });
      servers.push({ name: 'fastify', port: fastify.server.address().port, close: () => fastify.close() });
    });

    after(async () => {
      for (const server of servers) await server.close();
    });

    test('request payloads are plain', async () => {
      for (const server of servers) {
        for (const [name, body] of Object.entries(BODIES)) {
          const headers = { 'content-type': 'application/json', 'freeclimb-signature': cs.signPayload(body, SECRET, NOW) };
          const response = await send({ port: server.port, headers, body });
          const label = `${server.name}, ${name}`;
          if (response.status === 400) {
            assert.equal(response.json.error, 'invalid_payload', label);
            assert.ok(response.json.issues.length > 0, label);
            continue;
          }
          assert.equal(response.status, 200, `${label}: ${response.text}`);
          assert.equal(response.json.prototypeIsObject, true, `${label}: payload prototype`);
          assert.ok(response.json.keys.every((key) => PAYLOAD_KEYS.has(key)), `${label}: payload keys ${response.json.keys}`);
          assert.equal(response.json.polluted, null, `${label}: payload.polluted`);
          assert.equal(response.json.emptyObjectPolluted, null, `${label}: ({}).polluted on the server`);
        }
      }
      assertNotPolluted('handlers');
    });

    test('readCallStatus and errorResponse are plain', async () => {
      let read;
      const server = createServer(async (req, res) => {
        try {
          read = await readCallStatus(req, options);
          res.writeHead(204).end();
        } catch (error) {
          read = error;
          const { statusCode, headers, body } = errorResponse(error);
          assertPlain(body, new Set(['error', 'message', 'issues']), 'errorResponse().body');
          res.writeHead(statusCode, headers).end(JSON.stringify(body));
        }
      });
      const port = await listen(server);
      try {
        const signed = (body) => ({ 'content-type': 'application/json', 'freeclimb-signature': cs.signPayload(body, SECRET, NOW) });
        assert.equal((await send({ port, headers: signed(BODY), body: BODY })).status, 204);
        assertPlain(read, PAYLOAD_KEYS, 'readCallStatus()');

        const invalid = BODIES['polluting callStatus'];
        assert.equal((await send({ port, headers: signed(invalid), body: invalid })).status, 400);
        assertIssues(read.issues, 'ValidationError.issues from readCallStatus()');
      } finally {
        await closeServer(server);
      }
      assertNotPolluted('readCallStatus');
    });
  });
});

describe('size limit boundaries', () => {
  const LIMITS = { default: DEFAULT_MAX_BYTES, custom: 1000 };

  for (const [name, limit] of Object.entries(LIMITS)) {
    test(`${name} maxBytes, at and around`, (t) => {
      const options = name === 'default' ? undefined : { maxBytes: limit };
      for (const [label, size, valid] of [
        ['one under', limit - 1, true],
        ['exactly at', limit, true],
        ['one over', limit + 1, false],
      ]) {
        const body = validOfSize(size);
        const inputs = {
          Buffer: Buffer.from(body),
          string: body,
          ArrayBuffer: new Uint8Array(Buffer.from(body)).buffer,
        };
        for (const [form, input] of Object.entries(inputs)) {
          const report = validateHostile(t, `${label} ${name} maxBytes as ${form}`, input, options);
          assert.equal(report.valid, valid, `${label} ${limit} bytes as ${form}: ${codesOf(report)}`);
          if (!valid) {
            assert.deepEqual(codesOf(report), ['body_too_large'], `${label} as ${form}`);
            assert.match(report.errors[0].message, new RegExp(`the body is ${size} bytes: expected at most ${limit} bytes`));
          }
        }

        // The same size reached with two-byte characters, where UTF-16 length and byte length differ.
        const wide = `${CALL_STATUS_BODY.slice(0, -1)},"p":"${'é'.repeat(Math.floor((size - CALL_STATUS_BODY.length - 7) / 2))}${(size - CALL_STATUS_BODY.length - 7) % 2 === 1 ? 'x' : ''}"}`;
        assert.equal(Buffer.byteLength(wide), size, 'the non-ASCII body has the intended size');
        const wideReport = validateHostile(t, `${label} ${name} maxBytes, non-ASCII string`, wide, options);
        assert.equal(wideReport.valid, valid, `${label}, non-ASCII string: ${codesOf(wideReport)}`);

        const batch = cs.validateMany(`${body}\n${body}`, options);
        assert.equal(batch.valid, valid ? 2 : 0, `${label}: each NDJSON line is held to maxBytes`);

        // Over the limit, the size is reported before the signature is checked.
        const header = cs.signPayload(body, SECRET, NOW);
        const badHeader = `t=${NOW},v1=${'0'.repeat(64)}`;
        if (valid) {
          assert.equal(cs.constructCallStatus(body, header, SECRET, { ...options, now: NOW }).callId, CALL_ID, label);
        } else {
          assert.throws(() => cs.constructCallStatus(body, badHeader, SECRET, { ...options, now: NOW }), (error) => {
            assert.ok(error instanceof cs.ValidationError, `${label}: ${error}`);
            assert.deepEqual(error.issues.map((issue) => issue.code), ['body_too_large']);
            return true;
          });
        }
      }
    });
  }

  test('limits past the maximum throw RangeError', () => {
    assert.throws(() => cs.validate(CALL_STATUS_BODY, { maxBytes: 2 ** 30 + 1 }), { name: 'RangeError', code: 'ERR_OUT_OF_RANGE' });
    assert.throws(() => cs.validate(deep('[', ']', 100_000), { maxDepth: 1025 }), { name: 'RangeError', code: 'ERR_OUT_OF_RANGE' });
    assertHealthy('after RangeError');
  });
});
