// Hostile input against the built package. The cases cover odd argument
// types and option values, bodies built to be slow or to exhaust memory and
// malformed signature headers. They also run the CLI on special files and
// send malformed HTTP to the node:http handler and the inspector's server.
//
// A panic inside wasm traps ("unreachable") and can leave the module broken
// for every later call. Each call that might trap therefore runs in a
// worker thread with its own copy of the module, which then checks that it
// still validates a body.

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

import { closeServer, listen, waitFor } from './helpers/http.mjs';
import { PACKAGE_DIR, requireFromRoot, ROOT } from './helpers/package.mjs';
import { createRandom } from './helpers/prng.mjs';
import { CALL_STATUS_BODY, SECRET } from './helpers/vectors.mjs';

const ENTRY = join(PACKAGE_DIR, 'node', 'index.cjs');
const CLI = join(PACKAGE_DIR, 'cli.cjs');
const cs = requireFromRoot('./pkg/node/index.cjs');
const { createCallStatusHandler } = requireFromRoot('./pkg/handlers/http.cjs');
const { startServer } = await import(pathToFileURL(join(ROOT, 'scripts', 'serve.mjs')).href);

const MAX_U32 = 2 ** 32 - 1;
const NOW = 1_700_000_000;
const VALID_BYTES = Buffer.from(CALL_STATUS_BODY);
const CALL_ID = JSON.parse(CALL_STATUS_BODY).callId;

/** CALL_STATUS_BODY with `extra` added as the last members of the root object. */
function validWith(extra) {
  return `${CALL_STATUS_BODY.slice(0, -1)},${extra}}`;
}

/** Returns a valid body of about `size` bytes, the payload padded with spaces inside the root object. */
function paddedValid(size) {
  return `${CALL_STATUS_BODY.slice(0, -1)}${' '.repeat(Math.max(0, size - CALL_STATUS_BODY.length))}}`;
}

function codes(report) {
  return report.errors.concat(report.warnings).map((issue) => issue.code);
}

/** Runs `work`, records its time as a test diagnostic and fails past `limitMs`, a hang guard. */
function timed(t, label, limitMs, work) {
  const start = performance.now();
  const result = work();
  const elapsed = performance.now() - start;
  t.diagnostic(`${label}: ${elapsed.toFixed(1)} ms`);
  assert.ok(elapsed <= limitMs, `${label} took ${elapsed.toFixed(0)} ms: expected at most ${limitMs} ms`);
  return result;
}

/** Asserts that the module in this process still validates small and large bodies. */
function assertHealthy() {
  assert.equal(cs.validate(VALID_BYTES).valid, true, 'a valid Buffer no longer validates');
  assert.equal(cs.validate(CALL_STATUS_BODY).valid, true, 'a valid string no longer validates');
  const large = paddedValid(3 * 1024 * 1024);
  assert.equal(cs.validate(Buffer.from(large), { maxBytes: 4 * 1024 * 1024 }).valid, true, 'a 3 MiB body no longer validates');
}

// The worker prelude: the package, the valid body, and health(), which
// returns 'ok' or why the module no longer works. The 3 MiB body makes the
// module grow its input buffer, which a poisoned module cannot do.
const WORKER_PRELUDE = `
const { parentPort, workerData } = require('node:worker_threads');
const cs = require(workerData.entry);
const VALID = workerData.valid;
function describeError(error) {
  return { name: error && error.name, code: error && error.code, message: String(error && error.message).slice(0, 300) };
}
function attempt(work) {
  try {
    return { value: work() };
  } catch (error) {
    return { error: describeError(error) };
  }
}
function health() {
  try {
    if (!cs.validate(Buffer.from(VALID)).valid) return 'a valid Buffer is reported invalid';
    if (!cs.validate(VALID).valid) return 'a valid string is reported invalid';
    const large = VALID.slice(0, -1) + ' '.repeat(3 * 1024 * 1024) + '}';
    if (!cs.validate(Buffer.from(large), { maxBytes: 4 * 1024 * 1024 }).valid) return 'a 3 MiB body is reported invalid';
    return 'ok';
  } catch (error) {
    return 'threw ' + error.name + ': ' + error.message;
  }
}
`;

/**
 * Runs `source`, the body of an async function with `cs`, `VALID`,
 * `attempt`, `health` and `data` in scope, in a worker thread with its own
 * copy of the package. Resolves with what it returns, or with
 * `{ timedOut: true }` when it runs past `timeoutMs` (the worker is then
 * terminated) or `{ workerError }` when the worker itself fails.
 */
function runIsolated(source, { data = {}, timeoutMs = 5000 } = {}) {
  const code = `${WORKER_PRELUDE}
(async (data) => { ${source} })(workerData.data).then(
  (value) => parentPort.postMessage({ value }),
  (error) => parentPort.postMessage({ workerError: describeError(error) }),
);`;
  return new Promise((resolve) => {
    const worker = new Worker(code, { eval: true, workerData: { entry: ENTRY, valid: CALL_STATUS_BODY, data } });
    const started = performance.now();
    let settled = false;
    const finish = (outcome) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      worker.terminate();
      resolve({ ...outcome, elapsedMs: performance.now() - started });
    };
    const timer = setTimeout(() => finish({ timedOut: true }), timeoutMs);
    worker.on('message', (message) => finish(message.value === undefined ? message : message.value));
    worker.on('error', (error) => finish({ workerError: { name: error.name, message: error.message } }));
    worker.on('exit', (code) => finish({ workerError: { message: `worker exited with code ${code}` } }));
  });
}

/** Asserts that a worker outcome finished in time with a report or a coded argument error, and left the module working. */
function assertSurvived(outcome) {
  assert.ok(!outcome.timedOut, `the call was still running after ${outcome.elapsedMs.toFixed(0)} ms`);
  assert.equal(outcome.workerError, undefined, JSON.stringify(outcome.workerError));
  const { error } = outcome.result;
  if (error !== undefined) {
    assert.ok(
      typeof error.code === 'string' && error.code.startsWith('ERR_'),
      `expected a report or a coded TypeError/RangeError, received ${error.name}: ${error.message}`,
    );
  }
  assert.equal(outcome.health, 'ok');
}

after(() => {
  // The tests share the module of this process, so a trap left behind by any of them fails here.
  assertHealthy();
});

describe('validate() input types', () => {
  test('non-body types throw TypeError', () => {
    const cases = [
      [Symbol('body'), 'Received a symbol'],
      [12n, 'Received the bigint 12'],
      [() => CALL_STATUS_BODY, 'Received a function'],
      [undefined, 'Received undefined'],
      [42, 'Received the number 42'],
      [true, 'Received the boolean true'],
    ];
    for (const [input, received] of cases) {
      for (const name of ['validate', 'parse', 'validateMany']) {
        assert.throws(
          () => cs[name](input),
          (error) => error instanceof TypeError && error.code === 'ERR_INVALID_ARG_TYPE' && error.message.endsWith(received),
          `${name}(${String(typeof input)})`,
        );
      }
    }
  });

  test('typed array views are bytes', () => {
    const padded = CALL_STATUS_BODY.length % 2 === 0 ? CALL_STATUS_BODY : `${CALL_STATUS_BODY} `;
    const words = new Uint16Array(padded.length / 2);
    Buffer.from(words.buffer).write(padded, 'latin1');

    const shared = new SharedArrayBuffer(VALID_BYTES.length);
    VALID_BYTES.copy(Buffer.from(shared));

    const pool = Buffer.from(`xxxx${CALL_STATUS_BODY}yyyy`);
    const inputs = {
      Uint16Array: words,
      'DataView over SharedArrayBuffer': new DataView(shared),
      'Uint8Array over SharedArrayBuffer': new Uint8Array(shared),
      'Buffer view into a larger buffer': pool.subarray(4, 4 + CALL_STATUS_BODY.length),
      ArrayBuffer: VALID_BYTES.buffer.slice(VALID_BYTES.byteOffset, VALID_BYTES.byteOffset + VALID_BYTES.length),
    };
    for (const [name, input] of Object.entries(inputs)) {
      const report = cs.validate(input);
      assert.equal(report.valid, true, `${name}: ${JSON.stringify(report.errors)}`);
      assert.equal(report.payload.callId, CALL_ID, name);
      assert.equal(cs.validateMany(input).valid, 1, name);
    }

    // Eight zero bytes are read as bytes, not as an array of numbers.
    assert.deepEqual(codes(cs.validate(new Float64Array(1))), ['invalid_json']);
  });

  test('SharedArrayBuffer is read as bytes', () => {
    const shared = new SharedArrayBuffer(VALID_BYTES.length);
    VALID_BYTES.copy(Buffer.from(shared));

    const report = cs.validate(shared);
    assert.equal(report.valid, true, JSON.stringify(codes(report)));
  });

  test('exotic buffers throw coded errors', () => {
    const detach = (buffer) => structuredClone(buffer, { transfer: [buffer] });
    const detachedBuffer = new ArrayBuffer(8);
    const detachedBytes = new Uint8Array(new ArrayBuffer(8));
    const detachedView = new DataView(new ArrayBuffer(8));
    detach(detachedBuffer);
    detach(detachedBytes.buffer);
    detach(detachedView.buffer);

    const inputs = {
      'detached ArrayBuffer': detachedBuffer,
      'Uint8Array over a detached buffer': detachedBytes,
      'DataView over a detached buffer': detachedView,
      'Proxy of a Buffer': new Proxy(Buffer.from(CALL_STATUS_BODY), {}),
    };
    for (const [name, input] of Object.entries(inputs)) {
      let outcome;
      try {
        outcome = cs.validate(input);
      } catch (error) {
        outcome = error;
      }
      if (outcome instanceof Error) {
        assert.match(String(outcome.code), /^ERR_INVALID_ARG_/, `${name}: ${outcome.message}`);
        assert.match(outcome.message, /"input"/, name);
      }
    }
  });

  test('parsed objects of odd kinds', () => {
    const parsed = JSON.parse(CALL_STATUS_BODY);
    assert.equal(cs.validate(new Proxy(parsed, {})).valid, true);
    assert.equal(cs.validate(Object.assign(Object.create(null), parsed)).valid, true);
    assert.deepEqual(codes(cs.validate(new Date(0))), ['not_an_object']);
    assert.deepEqual(codes(cs.validate([])), ['not_an_object']);
    assert.deepEqual(codes(cs.validate(null)), ['not_an_object']);

    const report = cs.validate({ ...parsed, extra: 1 });
    assert.equal(report.warnings[0].line, undefined, 'issues of an object input carry no position');
  });

  test('cyclic object throws TypeError', () => {
    const cyclic = JSON.parse(CALL_STATUS_BODY);
    cyclic.self = cyclic;
    assert.throws(() => cs.validate(cyclic), { name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE', message: /circular reference/ });
    assertHealthy();
  });

  test('throwing toJSON is wrapped', () => {
    const input = {
      toJSON() {
        throw new Error('toJSON failed');
      },
    };
    assert.throws(() => cs.validate(input), { name: 'TypeError', code: 'ERR_INVALID_ARG_VALUE', message: /toJSON failed/ });
  });

  test('BigInt member is wrapped', () => {
    assert.throws(() => cs.validate({ ...JSON.parse(CALL_STATUS_BODY), callDuration: 37n }), {
      name: 'TypeError',
      code: 'ERR_INVALID_ARG_VALUE',
      message: /BigInt/,
    });
  });

  test('toJSON returning undefined is named', () => {
    const input = { toJSON: () => undefined };
    let error;
    try {
      cs.validate(input);
    } catch (caught) {
      error = caught;
    }
    if (error !== undefined) {
      assert.equal(error.name, 'TypeError');
      assert.ok(!error.message.endsWith('Received undefined'), error.message);
    }
  });

  test('throwing getter propagates unchanged', () => {
    const failure = new Error('getter failed');
    const input = {
      ...JSON.parse(CALL_STATUS_BODY),
      get callId() {
        throw failure;
      },
    };
    assert.throws(() => cs.validate(input), (error) => error === failure);
    assertHealthy();
  });

  test('deep object input is too deep', (t) => {
    let nested = {};
    for (let level = 0; level < 100_000; level++) nested = { a: nested };

    const report = timed(t, '100k nested objects', 2000, () => cs.validate({ deep: nested }));
    assert.deepEqual(codes(report), ['too_deep']);

    // The deepest limit the validator takes still gives a report.
    const deepest = timed(t, '100k nested objects, maxDepth 1024', 2000, () => cs.validate({ deep: nested }, { maxDepth: 1024 }));
    assert.deepEqual(codes(deepest), ['too_deep']);
    assert.throws(() => cs.validate({ deep: nested }, { maxDepth: 1025 }), { code: 'ERR_OUT_OF_RANGE', message: /"options\.maxDepth"/ });
    assertHealthy();
  });

  test('sparse array input is bounded', async () => {
    // new Array(2 ** 32 - 1) takes 16 bytes but serialises to 20 GB of "null,".
    const outcome = await runIsolated(
      `const result = attempt(() => cs.validate({ list: new Array(2 ** 32 - 1) }).errors.map((issue) => issue.code));
       return { result, health: health() };`,
      { timeoutMs: 3000 },
    );
    assertSurvived(outcome);
    assert.deepEqual(outcome.result.value, ['body_too_large']);
  });
});

describe('validate() strings', () => {
  test('lone surrogate string is rejected', () => {
    const text = CALL_STATUS_BODY.replace('+13121000109', '+1312\uD800');
    const fromObject = cs.validate(JSON.parse(text));
    assert.equal(fromObject.valid, false, 'the object input is rejected');

    const report = cs.validate(text);
    assert.equal(report.valid, false, `payload.from is ${JSON.stringify(report.payload && report.payload.from)}`);
  });

  test('byte-order mark is rejected', () => {
    const report = cs.validate(`\uFEFF${CALL_STATUS_BODY}`);
    assert.deepEqual(codes(report), ['invalid_json']);
    assert.match(report.errors[0].message, /byte-order mark/);
  });

  test('NUL characters are named', () => {
    const escaped = cs.validate(validWith('"a\\u0000b":1'));
    assert.equal(escaped.warnings[0].path, '/a\u0000b');
    assert.match(escaped.warnings[0].message, /"a\\u0000b"/);

    const raw = cs.validate(validWith('"a\u0000b":1'));
    assert.deepEqual(codes(raw), ['invalid_json']);
    assert.match(raw.errors[0].message, /U\+0000/);
  });

  test('pointer tokens are escaped', () => {
    const report = cs.validate(validWith('"n":{"~/":{"a":1,"a":2}},"x~y/z":1'));
    const paths = report.errors.concat(report.warnings).map((issue) => issue.path);
    assert.ok(paths.includes('/n/~0~1/a'), JSON.stringify(paths));
    assert.ok(paths.includes('/x~0y~1z'), JSON.stringify(paths));
  });

  test('length near maxBytes is exact', () => {
    // Each "é" is one UTF-16 unit and two UTF-8 bytes.
    const text = validWith(`"pad":"${'é'.repeat(1000)}"`);
    const bytes = Buffer.byteLength(text);

    assert.deepEqual(codes(cs.validate(text, { maxBytes: bytes })), ['unknown_field']);
    const over = cs.validate(text, { maxBytes: bytes - 1 });
    assert.deepEqual(codes(over), ['body_too_large']);
    assert.match(over.errors[0].message, new RegExp(`the body is ${bytes} bytes: expected at most ${bytes - 1} bytes`));
  });

  test('non-ASCII issues keep their text', () => {
    const report = cs.validate(validWith('"😀é~/":{"ü":1,"ü":2}'));
    const paths = report.errors.concat(report.warnings).map((issue) => issue.path);
    assert.deepEqual(paths.sort(), ['/😀é~0~1', '/😀é~0~1/ü'].sort());
    assert.match(report.warnings[0].message, /"😀é~\/"/);
  });
});

describe('options', () => {
  test('odd limit values are rejected', () => {
    const outOfRange = [NaN, Infinity, -Infinity, -0, 0, 1.5, 2 ** 32, -1];
    const wrongType = [['10', 'the string "10"'], [{}, 'an instance of Object'], [10n, 'the bigint 10'], [null, 'null']];
    for (const name of ['maxBytes', 'maxDepth', 'maxIssues']) {
      for (const value of outOfRange) {
        assert.throws(() => cs.validate(CALL_STATUS_BODY, { [name]: value }), { name: 'RangeError', code: 'ERR_OUT_OF_RANGE' }, `${name}: ${value}`);
        assert.throws(() => cs.validateMany(CALL_STATUS_BODY, { [name]: value }), { name: 'RangeError', code: 'ERR_OUT_OF_RANGE' }, `${name}: ${value}`);
      }
      for (const [value, received] of wrongType) {
        assert.throws(
          () => cs.validate(CALL_STATUS_BODY, { [name]: value }),
          { name: 'TypeError', code: 'ERR_INVALID_ARG_TYPE', message: `The "options.${name}" argument must be a number. Received ${received}` },
        );
      }
    }
    assert.throws(() => cs.validate(CALL_STATUS_BODY, { mode: 'STRICT' }), { code: 'ERR_INVALID_ARG_VALUE', message: /Received the string "STRICT"/ });
    assert.throws(() => cs.validate(CALL_STATUS_BODY, 'strict'), { code: 'ERR_INVALID_ARG_TYPE', message: /Received the string "strict"/ });
    assert.throws(() => cs.validate(CALL_STATUS_BODY, () => ({})), { code: 'ERR_INVALID_ARG_TYPE', message: /Received a function/ });
  });

  test('limit extremes are accepted', () => {
    assert.deepEqual(codes(cs.validate(CALL_STATUS_BODY, { maxBytes: 1 })), ['body_too_large']);
    assert.equal(cs.validate(CALL_STATUS_BODY, { maxBytes: 2 ** 30, maxDepth: 1024, maxIssues: MAX_U32 }).valid, true);
    // Larger limits could not be honoured: wasm memory cannot hold the body, or the stack the nesting.
    assert.throws(() => cs.validate(CALL_STATUS_BODY, { maxBytes: 2 ** 30 + 1 }), { code: 'ERR_OUT_OF_RANGE', message: /"options\.maxBytes"/ });
    assert.throws(() => cs.validate(CALL_STATUS_BODY, { maxDepth: 1025 }), { code: 'ERR_OUT_OF_RANGE', message: /"options\.maxDepth"/ });
    assert.equal(cs.validate(CALL_STATUS_BODY, { maxDepth: 1, maxIssues: 1 }).valid, true);

    const limited = cs.validate('{}', { maxIssues: 1 });
    assert.deepEqual(codes(limited), ['too_many_issues']);
    assert.match(limited.errors[0].message, /^9 more issues were found but not listed \(7 errors, 2 warnings\)/);
  });

  test('throwing option getters propagate', () => {
    const failure = new Error('option getter failed');
    const getter = {
      get maxBytes() {
        throw failure;
      },
    };
    const proxy = new Proxy({}, {
      get() {
        throw failure;
      },
    });
    for (const options of [getter, proxy]) {
      assert.throws(() => cs.validate(CALL_STATUS_BODY, options), (error) => error === failure);
      assert.throws(() => cs.validateMany(CALL_STATUS_BODY, options), (error) => error === failure);
      assert.throws(() => cs.constructCallStatus(CALL_STATUS_BODY, 't=1,v1=a', SECRET, options), (error) => error === failure);
    }
    assert.equal(cs.validate(CALL_STATUS_BODY, new Proxy({ mode: 'strict' }, {})).valid, true);
    assertHealthy();
  });

  test('huge maxDepth survives deep nesting', async () => {
    const outcome = await runIsolated(`
      const depth = 100000;
      const body = Buffer.from('{"a":' + '['.repeat(depth) + ']'.repeat(depth) + '}');
      const result = attempt(() => cs.validate(body, { maxDepth: 2 ** 32 - 1 }).errors.map((issue) => issue.code));
      return { result, health: health() };
    `);
    assertSurvived(outcome);
  });
});

describe('bodies over 2 GiB', () => {
  // Buffer.allocUnsafe(2 ** 31) reserves address space without touching
  // it, so these cost little memory. A Vec on wasm32 can contain at most
  // 2^31 - 1 bytes, so copying the body into the module panics.
  const cases = {
    // maxBytes 2^32-1 lets the body through the size check.
    'validate()': 'cs.validate(body, { maxBytes: 2 ** 32 - 1 }).errors.map((issue) => issue.code)',
    // validateMany has no limit on the whole input, so default options do.
    'validateMany()': 'cs.validateMany(body).invalid',
    'constructCallStatus()': 'cs.constructCallStatus(body, "t=1,v1=" + "a".repeat(64), "sigsec_x", { now: 1, maxBytes: 2 ** 32 - 1 })',
    'verifySignature()': 'cs.verifySignature(body, "t=1,v1=" + "a".repeat(64), "sigsec_x", { now: 1 })',
    'signPayload()': 'cs.signPayload(body, "sigsec_x", 1)',
  };
  for (const [name, call] of Object.entries(cases)) {
    test(`${name} does not trap`, async () => {
      const outcome = await runIsolated(`
        const body = Buffer.allocUnsafe(2 ** 31);
        body.fill(0x20, 0, 16);
        const result = attempt(() => ${call});
        if (result.error && result.error.code === 'no_matching_signature') delete result.error;
        return { result, health: health() };
      `);
      assertSurvived(outcome);
    });
  }
});

describe('validateMany()', () => {
  test('blank and CRLF lines', (t) => {
    const text = `${CALL_STATUS_BODY}\r\n\r\n \t\r\n${CALL_STATUS_BODY}\n{}\n\n`;
    const batch = cs.validateMany(text);
    assert.equal(batch.lines, 6);
    assert.equal(batch.total, 3);
    assert.equal(batch.valid, 2);
    assert.deepEqual(batch.blankLines, [2, 3, 6]);
    assert.deepEqual(batch.reports.map((report) => report.line), [5]);

    const blank = timed(t, '1M blank lines', 3000, () => cs.validateMany('\n'.repeat(1_000_000)));
    assert.equal(blank.lines, 1_000_000);
    assert.equal(blank.total, 0);
  });

  test('maxBytes limits each line', (t) => {
    const line = `{"a":"${'x'.repeat(900_000)}"}`;
    const batch = timed(t, '5 lines of 900 KB', 3000, () => cs.validateMany(`${line}\n`.repeat(5), { maxBytes: 500_000 }));
    assert.equal(batch.invalid, 5);
    assert.deepEqual(batch.reports.map((report) => report.errors[0].code), Array(5).fill('body_too_large'));

    const single = cs.validateMany('x'.repeat(5_000_000));
    assert.deepEqual(single.reports[0].errors.map((issue) => issue.code), ['body_too_large']);
  });

  test('dense error batch is bounded', async () => {
    const outcome = await runIsolated(
      `const body = Buffer.from('{}\\n'.repeat(1000000));
       const result = attempt(() => cs.validateMany(body).invalid);
       return { result, health: health() };`,
      { timeoutMs: 4000 },
    );
    assertSurvived(outcome);
    assert.equal(outcome.result.value, 1_000_000);
  });
});

describe('cost of hostile bodies', () => {
  test('many keys stay fast', (t) => {
    const distinct = `{${Array.from({ length: 100_000 }, (_, index) => `"k${index}":0`).join(',')}}`;
    // With no issue limit, the report's text budget (four times the body)
    // ends the list; the last issue counts the rest.
    const wide = timed(t, '100k distinct root keys, maxIssues 2^32-1', 3000, () => cs.validate(distinct, { maxBytes: 2e6, maxIssues: MAX_U32 }));
    const listed = wide.warnings.filter((issue) => issue.code === 'unknown_field').length;
    const counted = wide.errors.concat(wide.warnings).find((issue) => issue.code === 'too_many_issues');
    assert.ok(listed > 10_000, `${listed} unknown fields listed`);
    assert.match(counted.message, /more issues were found but not listed/);

    const duplicates = `{"x":{${'"a":0,'.repeat(100_000)}"a":0}}`;
    const repeated = timed(t, '100k nested duplicate keys, maxIssues 2^32-1', 3000, () => cs.validate(duplicates, { maxIssues: MAX_U32 }));
    assert.ok(repeated.errors.filter((issue) => issue.code === 'duplicate_key').length > 10_000);
    assert.equal(repeated.errors.at(-1).code, 'too_many_issues');

    const capped = timed(t, '100k root duplicate keys', 3000, () => cs.validate(`{${'"a":0,'.repeat(100_000)}"a":0}`));
    assert.equal(capped.errors.length + capped.warnings.length, 100);
    assert.equal(capped.errors.at(-1).code, 'too_many_issues');
  });

  test('long keys and numbers stay fast', (t) => {
    const key = 'k'.repeat(1_000_000 - CALL_STATUS_BODY.length - 10);
    const report = timed(t, '1 MB key', 2000, () => cs.validate(validWith(`"${key}":1`)));
    assert.equal(report.warnings[0].path.length, key.length + 1);
    assert.ok(report.warnings[0].message.length < 200, `message of ${report.warnings[0].message.length} characters`);

    const digits = '1'.repeat(10_000);
    const number = timed(t, '10k digit duration', 1000, () => cs.validate(CALL_STATUS_BODY.replace('"37"', digits)));
    assert.deepEqual(codes(number), ['invalid_duration', 'duration_as_number']);
    assert.match(number.errors[0].message, /\(10000 characters\)$/);

    const huge = timed(t, '10k digit exponent', 1000, () => cs.validate(validWith(`"n":-${digits}.${digits}e+${digits}`)));
    assert.deepEqual(codes(huge), ['unknown_field']);
  });

  test('escapes and deep arrays stay fast', (t) => {
    const escapes = timed(t, '160k escapes', 2000, () => cs.validate(validWith(`"e":"${'\\u0041'.repeat(160_000)}"`)));
    assert.deepEqual(codes(escapes), ['unknown_field']);

    const pairs = timed(t, '80k surrogate pairs', 2000, () => cs.validate(validWith(`"e":"${'\\ud83d\\ude00'.repeat(80_000)}"`)));
    assert.deepEqual(codes(pairs), ['unknown_field']);

    const depth = 100_000;
    const deep = timed(t, '100k nested arrays', 1000, () => cs.validate(Buffer.from(`{"a":${'['.repeat(depth)}${']'.repeat(depth)}}`), { maxBytes: 1e6 }));
    assert.deepEqual(codes(deep), ['too_deep']);
  });

  test('long pointer duplicates are linear', async () => {
    const outcome = await runIsolated(
      `const body = '{"k":{"' + 'a'.repeat(100000) + '":{' + '"x":0,'.repeat(30000) + '"x":0}}}';
       const started = performance.now();
       const result = attempt(() => cs.validate(body).errors.length);
       return { result, milliseconds: performance.now() - started, health: health() };`,
      { timeoutMs: 3000 },
    );
    assertSurvived(outcome);
    assert.ok(outcome.milliseconds < 1000, `took ${outcome.milliseconds.toFixed(0)} ms`);
  });

  test('long pointer report stays small', () => {
    const body = `{"k":{"${'a'.repeat(200_000)}":{${'"x":0,'.repeat(100)}"x":0}}}`;
    const report = cs.validate(body);

    const reportLength = JSON.stringify(report).length;
    assert.ok(reportLength <= 4 * body.length, `a ${body.length} byte body gives a ${reportLength} character report`);
  });

  test('random mutations agree across paths', () => {
    const bindings = requireFromRoot('./pkg/node/freeclimb_callstatus.js');
    const random = createRandom(0x5eed);
    const pieces = ['"', '\\', '{', '}', '[', ']', ':', ',', ' ', '\n', 'é', '😀', '\\u0000', '\\ud83d\\ude00', '\\ud800', '~', '/', 'null', '-0.5e9', '"callId"', '"😀~/"'];
    const bases = [
      CALL_STATUS_BODY,
      validWith(`"😀é~/":{"a":1,"a":[{"ü":1,"ü":2}]},"recordingUrl":"https://example.com/é","recordingId":"RE${'a'.repeat(40)}","recordingDurationSec":"5"`),
    ];

    for (let round = 0; round < 3000; round++) {
      let text = random.pick(bases);
      for (let edit = 0; edit <= random.below(4); edit++) {
        const at = random.below(text.length + 1);
        const piece = random.pick(pieces);
        const kind = random.below(3);
        if (kind === 0) text = text.slice(0, at) + piece + text.slice(at);
        else if (kind === 1) text = text.slice(0, at) + text.slice(at + 1 + random.below(5));
        else text = text.slice(0, at) + piece + text.slice(at + piece.length);
      }
      const mode = random.below(2) === 0 ? 'lenient' : 'strict';
      const maxIssues = 1 + random.below(20);
      const maskPersonalData = random.below(2) === 0;
      const bytes = Buffer.from(text);

      // The fast path (encoded issues and summary slots) against the report
      // the module serialises as JSON text. The flags are bit 0 for strict
      // mode and bit 1 for masking.
      const fast = cs.validate(bytes, { mode, maxIssues, maskPersonalData });
      const flags = (mode === 'strict' ? 1 : 0) | (maskPersonalData ? 2 : 0);
      const reference = JSON.parse(bindings.validateBytes(bytes, flags, 1024 * 1024, 64, maxIssues));
      assert.deepEqual(fast, reference, `round ${round}: ${JSON.stringify(text)}`);
      // A string with a lone surrogate has no UTF-8 form: Buffer.from puts
      // U+FFFD there, while validate() reports it as invalid UTF-8.
      if (text.isWellFormed()) {
        assert.deepEqual(cs.validate(text, { mode, maxIssues, maskPersonalData }), reference, `round ${round}, as a string`);
      } else {
        // The read stops there, unless a syntax error earlier stopped it first.
        const stringCodes = codes(cs.validate(text, { mode, maxIssues }));
        assert.equal(stringCodes.length, 1, `round ${round}, as a string`);
        assert.ok(['invalid_utf8', 'invalid_json', 'not_an_object'].includes(stringCodes[0]), `round ${round}: ${stringCodes[0]}`);
      }
    }
  });
});

describe('shared memory written during validation', () => {
  /**
   * Validates a Uint8Array over a SharedArrayBuffer while another thread
   * keeps rewriting one byte of the callId between its signed value and
   * "Z". Returns the callIds of payloads reported valid that are not call
   * ids. The other thread spins one core until `stop` is set.
   */
  async function racePayloads(validateOnce) {
    const shared = new SharedArrayBuffer(VALID_BYTES.length);
    const bytes = new Uint8Array(shared);
    bytes.set(VALID_BYTES);
    const stop = new Int32Array(new SharedArrayBuffer(4));
    const offset = CALL_STATUS_BODY.indexOf(CALL_ID) + 2;

    const writer = new Worker(
      `const { workerData } = require('node:worker_threads');
       const bytes = new Uint8Array(workerData.shared);
       const stop = new Int32Array(workerData.stop);
       while (Atomics.load(stop, 0) === 0) {
         bytes[workerData.offset] = 0x5a;
         bytes[workerData.offset] = workerData.original;
       }`,
      { eval: true, workerData: { shared, stop: stop.buffer, offset, original: VALID_BYTES[offset] } },
    );
    await sleep(100);

    const unvalidated = [];
    const deadline = performance.now() + 1500;
    for (let round = 0; round < 200_000 && performance.now() < deadline && unvalidated.length === 0; round++) {
      const callId = validateOnce(bytes);
      if (callId !== undefined && !/^CA[0-9a-f]{40}$/i.test(callId)) unvalidated.push(callId);
    }
    Atomics.store(stop, 0, 1);
    await writer.terminate();
    return unvalidated;
  }

  test('validate payload is what was checked', async () => {
    const unvalidated = await racePayloads((bytes) => {
      const report = cs.validate(bytes);
      return report.valid ? report.payload.callId : undefined;
    });
    assert.deepEqual(unvalidated, []);
  });

  test('constructCallStatus payload was signed', async () => {
    const header = cs.signPayload(VALID_BYTES, SECRET, NOW);
    const unvalidated = await racePayloads((bytes) => {
      try {
        return cs.constructCallStatus(bytes, header, SECRET, { now: NOW }).callId;
      } catch {
        return undefined;
      }
    });
    assert.deepEqual(unvalidated, []);
  });
});

describe('browser build without Buffer', () => {
  test('clean 1 MB body validates', async () => {
    // Loads the web build in a worker with Buffer removed, as in a browser.
    const source = `
      const { readFileSync } = require('node:fs');
      const module = new WebAssembly.Module(readFileSync(data.wasm));
      // Node's fetch classes load lazily and need Buffer, so they load first.
      void globalThis.Response;
      void globalThis.Request;
      delete globalThis.Buffer;
      const web = await import(data.entry);
      await web.init(module);
      const body = new TextEncoder().encode(VALID.slice(0, -1) + ' '.repeat(1000000) + '}');
      return { result: attempt(() => web.validate(body).payload.callId), health: 'ok' };
    `;
    const outcome = await runIsolated(source, {
      data: {
        wasm: join(PACKAGE_DIR, 'web', 'freeclimb_callstatus_bg.wasm'),
        entry: pathToFileURL(join(PACKAGE_DIR, 'web', 'index.js')).href,
      },
    });
    assertSurvived(outcome);
    assert.equal(outcome.result.value, CALL_ID);
  });
});

describe('meanings()', () => {
  test('result is not shared', () => {
    const first = cs.meanings();
    const original = first.callStatus.completed;
    try {
      first.callStatus.completed = 'changed by a caller';
    } catch {
      // A frozen result rejects the change in strict mode, which is also fine.
    }

    const later = cs.meanings().callStatus.completed;
    if (!Object.isFrozen(first.callStatus)) first.callStatus.completed = original;
    assert.equal(later, original);
  });

  test('values match the enumerations', () => {
    const meanings = cs.meanings();
    assert.deepEqual(Object.keys(meanings).sort(), ['callEndedReason', 'callStatus', 'direction']);
    assert.equal(Object.keys(meanings.callEndedReason).length, 23);
    assert.ok(Object.values(meanings.callStatus).every((meaning) => typeof meaning === 'string' && meaning.length > 0));
  });
});

describe('signature checks', () => {
  const signed = cs.signPayload(CALL_STATUS_BODY, SECRET, NOW);
  const v1 = signed.split(',v1=')[1];

  function verifyCode(body, header, secret = SECRET, options = { now: NOW }) {
    try {
      cs.verifySignature(body, header, secret, options);
      return 'ok';
    } catch (error) {
      if (!(error instanceof cs.SignatureVerificationError)) throw error;
      return error.code;
    }
  }

  test('huge headers are fast', (t) => {
    const decoys = Array.from({ length: 15_000 }, (_, index) => `v1=${index.toString(16).padStart(64, '0')}`);
    const many = `${decoys.join(',')},${signed}`;
    assert.ok(many.length > 1_000_000);
    assert.equal(timed(t, '15k v1 parts (1 MB)', 2000, () => verifyCode(CALL_STATUS_BODY, many)), 'ok');

    const longValue = `t=${NOW},v1=${'a'.repeat(1 << 20)},v1=${v1}`;
    assert.equal(timed(t, '1 MB v1 value', 2000, () => verifyCode(CALL_STATUS_BODY, longValue)), 'ok');

    const commas = `t=${NOW},${','.repeat(1 << 20)}`;
    assert.equal(verifyCode(CALL_STATUS_BODY, commas), 'malformed_header');

    const others = `${Array.from({ length: 100_000 }, () => 'x=1').join(',')},${signed}`;
    assert.equal(timed(t, '100k unknown parts', 2000, () => verifyCode(CALL_STATUS_BODY, others)), 'ok');
  });

  test('odd timestamps are malformed', () => {
    for (const timestamp of ['9'.repeat(1000), '18446744073709551616', '١٧٠٠٠٠٠٠٠٠', '１７００', '+1700000000', '-1', '1e9', '']) {
      let error;
      try {
        cs.verifySignature(CALL_STATUS_BODY, `t=${timestamp},v1=${v1}`, SECRET, { now: NOW });
      } catch (caught) {
        error = caught;
      }
      assert.ok(error instanceof cs.SignatureVerificationError, `t=${timestamp}`);
      assert.equal(error.code, 'malformed_header', `t=${timestamp}`);
      assert.ok(error.message.length < 300, `message of ${error.message.length} characters for t=${timestamp.slice(0, 20)}`);
    }
  });

  test('leading zeros are signed text', () => {
    const timestamp = `${'0'.repeat(1000)}${NOW}`;
    const digest = createHmac('sha256', SECRET).update(`${timestamp}.`).update(CALL_STATUS_BODY).digest('hex');
    assert.equal(verifyCode(CALL_STATUS_BODY, `t=${timestamp},v1=${digest}`), 'ok');
    assert.equal(verifyCode(CALL_STATUS_BODY, `t=${timestamp},v1=${v1}`), 'no_matching_signature');
  });

  test('clock extremes', () => {
    const max = Number.MAX_SAFE_INTEGER;
    assert.equal(verifyCode(CALL_STATUS_BODY, signed, SECRET, { now: max }), 'timestamp_outside_tolerance');
    assert.equal(verifyCode(CALL_STATUS_BODY, signed, SECRET, { now: 0 }), 'timestamp_outside_tolerance');
    assert.equal(verifyCode(CALL_STATUS_BODY, signed, SECRET, { now: 0, toleranceSeconds: max }), 'ok');
    assert.equal(verifyCode(CALL_STATUS_BODY, signed, SECRET, { now: NOW, toleranceSeconds: 0 }), 'ok');
    assert.equal(verifyCode(CALL_STATUS_BODY, signed, SECRET, { now: new Date(8.64e15) }), 'timestamp_outside_tolerance');

    const atMax = cs.signPayload(CALL_STATUS_BODY, SECRET, max);
    assert.equal(atMax.split(',')[0], `t=${max}`);
    assert.equal(verifyCode(CALL_STATUS_BODY, atMax, SECRET, { now: max, toleranceSeconds: 0 }), 'ok');
  });

  test('odd clock options are rejected', () => {
    const cases = [
      [{ now: NaN }, 'RangeError', /options\.now/],
      [{ now: -1 }, 'RangeError', /options\.now/],
      [{ now: 1.5 }, 'RangeError', /options\.now/],
      [{ now: new Date(NaN) }, 'RangeError', /options\.now/],
      [{ now: '1700000000' }, 'TypeError', /options\.now/],
      [{ toleranceSeconds: Number.MAX_SAFE_INTEGER + 2 }, 'RangeError', /options\.toleranceSeconds/],
      [{ toleranceSeconds: Infinity }, 'RangeError', /options\.toleranceSeconds/],
    ];
    for (const [options, name, message] of cases) {
      assert.throws(() => cs.verifySignature(CALL_STATUS_BODY, signed, SECRET, options), { name, message }, JSON.stringify(options));
      assert.throws(() => cs.constructCallStatus(CALL_STATUS_BODY, signed, SECRET, options), { name, message }, JSON.stringify(options));
    }
  });

  test('signPayload errors name timestamp', () => {
    assert.throws(() => cs.signPayload(CALL_STATUS_BODY, SECRET, -1), {
      name: 'RangeError',
      code: 'ERR_OUT_OF_RANGE',
      message: /^The value of "timestamp" is out of range/,
    });
    assert.throws(() => cs.signPayload(CALL_STATUS_BODY, SECRET, '1700000000'), {
      name: 'TypeError',
      code: 'ERR_INVALID_ARG_TYPE',
      message: /^The "timestamp" argument must be a number of Unix seconds or a Date/,
    });
  });

  test('odd header and secret values', () => {
    assert.equal(verifyCode(CALL_STATUS_BODY, [signed, `v1=${'0'.repeat(64)}`]), 'ok');
    assert.throws(() => cs.verifySignature(CALL_STATUS_BODY, [signed, 5], SECRET), { code: 'ERR_INVALID_ARG_TYPE', message: /"header".*Received an array/ });
    assert.throws(() => cs.verifySignature(CALL_STATUS_BODY, { toString: () => signed }, SECRET), { code: 'ERR_INVALID_ARG_TYPE' });
    assert.throws(() => cs.verifySignature(CALL_STATUS_BODY, signed, Symbol('secret')), { code: 'ERR_INVALID_ARG_TYPE', message: /"secret"/ });

    assert.equal(verifyCode(CALL_STATUS_BODY, `${signed},x=\uD800`), 'ok');
    assert.equal(verifyCode(CALL_STATUS_BODY, `${signed}\r\nX-Injected: 1`), 'no_matching_signature');
    assert.equal(verifyCode(CALL_STATUS_BODY, signed, '\u00a0\u2028\u3000'), 'empty_secret');
    assert.equal(verifyCode('', signed), 'empty_body');

    let error;
    try {
      cs.verifySignature(CALL_STATUS_BODY, 't=1,"\u001b[31m\u0000', SECRET, { now: NOW });
    } catch (caught) {
      error = caught;
    }
    assert.equal(error.code, 'malformed_header');
    assert.doesNotMatch(error.message, /[\u0000-\u001f]/, 'control characters are escaped');

    const longSecret = 'k'.repeat(1 << 20);
    assert.equal(verifyCode(CALL_STATUS_BODY, cs.signPayload(CALL_STATUS_BODY, longSecret, NOW), longSecret), 'ok');
  });
});

describe('CLI', () => {
  let folder;
  before(() => {
    folder = mkdtempSync(join(tmpdir(), 'callstatus-hostile-'));
  });
  after(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  function file(name, content) {
    const path = join(folder, name);
    writeFileSync(path, content);
    return path;
  }

  function runCli(args, { input, timeout = 20_000 } = {}) {
    const result = spawnSync(process.execPath, [CLI, 'validate', ...args], { input, timeout, encoding: 'utf8', maxBuffer: 1 << 28 });
    assert.equal(result.error, undefined, String(result.error));
    return result;
  }

  test('binary garbage is invalid', () => {
    const result = runCli([file('garbage.bin', createRandom(11).bytes(100_000))]);
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stdout, /\[invalid_utf8\]|\[invalid_json\]/);
    assert.match(result.stdout, /1 payload checked: 0 valid, 1 invalid/);
  });

  test('unreadable paths are I/O errors', () => {
    const directory = join(folder, 'a-directory');
    mkdirSync(directory);
    for (const [path, error] of [
      [directory, /EISDIR/],
      [join(folder, 'missing.json'), /ENOENT/],
      ['/proc/self/mem', /EIO/],
    ]) {
      const result = runCli([path, file('after.json', CALL_STATUS_BODY)]);
      assert.equal(result.status, 2, `${path}: ${result.stderr}`);
      assert.match(result.stderr, new RegExp(`cannot read ${path}: .*${error.source}`));
      assert.match(result.stdout, /1 payload checked: 1 valid/, 'the next file is still read');
    }
  });

  test('unreadable mode is an I/O error', { skip: process.getuid && process.getuid() === 0 ? 'root reads files whatever their mode' : false }, () => {
    const path = file('locked.json', CALL_STATUS_BODY);
    chmodSync(path, 0o000);
    const result = runCli([path]);
    assert.equal(result.status, 2, result.stderr);
    assert.match(result.stderr, /EACCES/);
  });

  test('2 MB single line is oversized', () => {
    const path = file('long.ndjson', `{"a":"${'x'.repeat(2 * 1024 * 1024)}"}\n${CALL_STATUS_BODY}\n`);
    const result = runCli(['--json', path]);
    const records = result.stdout.trim().split('\n').map((line) => JSON.parse(line));
    assert.deepEqual(records.map((record) => [record.line, record.valid]), [[1, false], [2, true]]);
    assert.equal(records[0].errors[0].code, 'body_too_large');
  });

  test('CRLF and pretty-printed lines', () => {
    const pretty = JSON.stringify(JSON.parse(CALL_STATUS_BODY), null, 2);
    const path = file('mixed.ndjson', `${CALL_STATUS_BODY}\r\n\r\n${pretty}\n${CALL_STATUS_BODY}\r\n`);
    const result = runCli(['--json', path]);
    const records = result.stdout.trim().split('\n').map((line) => JSON.parse(line));
    const prettyLines = pretty.split('\n').length;

    assert.equal(records.length, 2 + prettyLines);
    assert.deepEqual(records[0], { source: path, line: 1, valid: true, errors: [], warnings: [] });
    assert.equal(records.at(-1).line, 3 + prettyLines);
    assert.equal(records.at(-1).valid, true);
    assert.ok(records.slice(1, -1).every((record) => !record.valid));
  });

  test('line numbers survive chunking', () => {
    // Lines of random length put chunk boundaries everywhere: inside lines,
    // on newlines, between a CR and its LF.
    const random = createRandom(2024);
    const lines = [];
    for (let index = 0; index < 1500; index++) {
      const kind = random.below(8);
      if (kind === 0) lines.push('');
      else if (kind === 1) lines.push(' \t\r');
      else if (kind === 2) lines.push('{}');
      else if (kind === 3) lines.push(validWith(`"pad":"${'x'.repeat(random.below(70_000))}"`));
      else if (kind === 4) lines.push(`${CALL_STATUS_BODY}\r`);
      else if (kind === 5) lines.push(`{"a":${'['.repeat(random.below(80))}`);
      else lines.push(CALL_STATUS_BODY);
    }
    const path = file('chunks.ndjson', `${lines.join('\n')}\n`);
    const result = runCli(['--json', '--max-bytes', '60000', path]);

    const actual = result.stdout.trim().split('\n').map((line) => {
      const record = JSON.parse(line);
      return [record.line, record.valid, record.errors.map((issue) => issue.code).join()];
    });
    const expected = [];
    lines.forEach((line, index) => {
      if (line.trim() === '') return;
      const report = cs.validate(Buffer.from(line), { maxBytes: 60_000 });
      expected.push([index + 1, report.valid, report.errors.map((issue) => issue.code).join()]);
    });
    assert.deepEqual(actual, expected);
  });

  test('corrupt first line keeps NDJSON', () => {
    const lines = ['{"requestType":"callS', CALL_STATUS_BODY, CALL_STATUS_BODY, CALL_STATUS_BODY, '{}'];
    const result = runCli([file('truncated.ndjson', `${lines.join('\n')}\n`)]);

    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stdout, /truncated\.ndjson:5: invalid/);
    assert.match(result.stdout, /5 payloads checked: 3 valid, 2 invalid/);
  });

  test('many small lines are fast', (t) => {
    const path = file('many.ndjson', `${CALL_STATUS_BODY}\n`.repeat(100_000));
    const result = timed(t, 'CLI on 100k valid lines (34 MB)', 15_000, () => runCli([path]));
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^100000 payloads checked: 100000 valid, 0 invalid/);
  });

  test('dense errors stay in bounded memory', (t) => {
    // The CLI validates 64 KiB chunks, so a log of "{}" lines (7 errors
    // and 2 warnings each) peaks at one chunk's reports however long it is.
    const preload = file('report-peak.cjs', "process.on('exit', () => process.stderr.write(`peak-rss-kb ${process.resourceUsage().maxRSS}\\n`));\n");
    const path = file('dense.ndjson', '{}\n'.repeat(100_000));
    const start = performance.now();
    const result = spawnSync(process.execPath, ['--require', preload, CLI, 'validate', '--json', path], {
      encoding: 'utf8',
      timeout: 30_000,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    t.diagnostic(`CLI on 100k "{}" lines: ${(performance.now() - start).toFixed(0)} ms`);

    assert.equal(result.status, 1, result.stderr.slice(0, 500));
    assert.match(result.stderr, /100000 payloads checked: 0 valid, 100000 invalid \(700000 errors, 200000 warnings\)/);
    const peakKb = Number(/peak-rss-kb (\d+)/.exec(result.stderr)[1]);
    t.diagnostic(`peak resident memory: ${(peakKb / 1024).toFixed(0)} MiB`);
    assert.ok(peakKb < 1024 * 1024, `peak resident memory ${peakKb} KiB: expected under 1 GiB`);
  });

  test('FIFO is read to its end', async () => {
    const fifo = join(folder, 'log.fifo');
    const made = spawnSync('mkfifo', [fifo]);
    if (made.status !== 0) return;

    const child = spawn(process.execPath, [CLI, 'validate', '--json', fifo], { stdio: ['ignore', 'pipe', 'pipe'] });
    const output = [];
    child.stdout.on('data', (chunk) => output.push(chunk));
    const exited = new Promise((resolve) => child.on('exit', (code) => resolve([code])));
    // Opening a FIFO for writing waits for its reader, so this runs off the main thread.
    await writeFile(fifo, `${CALL_STATUS_BODY}\n{}\n`);
    const [status] = await Promise.race([exited, sleep(10_000).then(() => ['timed out'])]);
    child.kill('SIGKILL');

    assert.equal(status, 1);
    const records = Buffer.concat(output).toString().trim().split('\n').map((line) => JSON.parse(line));
    assert.deepEqual(records.map((record) => [record.line, record.valid]), [[1, true], [2, false]]);
  });

  test('/dev/zero stays in bounded memory', async (t) => {
    // /dev/zero never ends and has no newline, so the CLI reads one endless
    // oversized line: it never finishes, but must not keep what it reads.
    const child = spawn(process.execPath, [CLI, 'validate', '--max-bytes', '1000', '/dev/zero'], { stdio: 'ignore' });
    const samples = [];
    try {
      for (let sample = 0; sample < 6; sample++) {
        await sleep(250);
        const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
        assert.doesNotMatch(status, /State:\s+Z/, 'the CLI exited while /dev/zero still had bytes');
        samples.push(Number(/VmRSS:\s+(\d+)/.exec(status)[1]));
      }
    } finally {
      child.kill('SIGKILL');
    }
    t.diagnostic(`resident memory samples (KiB): ${samples.join(', ')}`);
    assert.ok(Math.max(...samples) < 256 * 1024, `resident memory reached ${Math.max(...samples)} KiB: expected under 256 MiB`);
  });
});

/** Opens a TCP connection, writes `data`, and resolves with everything received until the server closes it or `waitMs` passes. */
function exchange(port, data, { waitMs = 1000, end = false } = {}) {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const received = [];
    const timer = setTimeout(() => socket.destroy(), waitMs);
    socket.on('data', (chunk) => received.push(chunk));
    socket.on('error', () => {});
    socket.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(received).toString('latin1'));
    });
    socket.write(data);
    if (end) socket.end();
  });
}

function statusLines(text) {
  return [...text.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((match) => Number(match[1]));
}

describe('node:http handler', () => {
  const errors = [];
  let server;
  let port;
  const signature = cs.signPayload(CALL_STATUS_BODY, SECRET, NOW);

  /** Builds a raw HTTP/1.1 request. `headers` replace or add to the usual ones. */
  function rawRequest({ body = CALL_STATUS_BODY, headers = {}, method = 'POST' } = {}) {
    const merged = {
      Host: '127.0.0.1',
      'Content-Type': 'application/json',
      'FreeClimb-Signature': signature,
      'Content-Length': String(Buffer.byteLength(body)),
      ...headers,
    };
    const lines = Object.entries(merged)
      .filter(([, value]) => value !== undefined)
      .flatMap(([name, value]) => (Array.isArray(value) ? value : [value]).map((one) => `${name}: ${one}\r\n`));
    return `${method} /status HTTP/1.1\r\n${lines.join('')}\r\n${body}`;
  }

  async function assertStillServes() {
    const response = await exchange(port, rawRequest({ headers: { Connection: 'close' } }));
    assert.deepEqual(statusLines(response), [200], response.slice(0, 200));
    assert.ok(response.includes(`\r\n${CALL_ID}\r\n`), response.slice(-200));
  }

  before(async () => {
    const handler = createCallStatusHandler(
      { secret: SECRET, maxBytes: 4096, now: () => NOW, onError: (error) => errors.push(error) },
      (payload, req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end(payload.callId);
      },
    );
    server = createServer(handler);
    port = await listen(server);
  });
  after(() => closeServer(server));

  test('slow body does not block others', async () => {
    const slow = connect(port, '127.0.0.1');
    slow.on('error', () => {});
    slow.write(rawRequest().slice(0, -CALL_STATUS_BODY.length + 20));
    try {
      await assertStillServes();
    } finally {
      slow.destroy();
    }
  });

  test('lying Content-Length is rejected', async () => {
    const short = await exchange(port, rawRequest({ headers: { 'Content-Length': '10' } }));
    assert.ok(statusLines(short).every((status) => status >= 400), short.slice(0, 200));

    const before = errors.length;
    const long = await exchange(port, rawRequest({ headers: { 'Content-Length': '1000' } }), { end: true });
    assert.ok(statusLines(long).every((status) => status >= 400), long.slice(0, 200));
    await waitFor(() => errors.length > before, 'onError to report the short body');
    assert.equal(errors.at(-1).code, 'request_aborted');
    await assertStillServes();
  });

  test('odd chunked bodies are rejected', async () => {
    const chunked = (chunks) => rawRequest({ body: chunks, headers: { 'Content-Length': undefined, 'Transfer-Encoding': 'chunked' } });

    const overflow = await exchange(port, chunked(`ffffffffffffffffff\r\n${'a'.repeat(100)}`));
    assert.deepEqual(statusLines(overflow), [400]);

    const big = await exchange(port, chunked(`fffffff\r\n${'a'.repeat(5000)}`));
    assert.deepEqual(statusLines(big), [413]);
    assert.match(big, /connection: close/i);

    const both = await exchange(port, rawRequest({ headers: { 'Transfer-Encoding': 'chunked' } }));
    assert.deepEqual(statusLines(both), [400]);
    await assertStillServes();
  });

  test('duplicate signature headers are rejected', async () => {
    for (const second of [signature, 'junk', `v1=${'0'.repeat(64)}`]) {
      const response = await exchange(port, rawRequest({ headers: { Connection: 'close', 'FreeClimb-Signature': [signature, second] } }));
      const status = statusLines(response)[0];
      if (second.startsWith('v1=')) assert.equal(status, 200, 'an extra v1 is one more candidate');
      else {
        assert.equal(status, 401, response.slice(0, 300));
        assert.match(response, /"error":"malformed_header"/);
      }
    }
  });

  test('non-Latin-1 header bytes are rejected', async () => {
    const utf8Signature = Buffer.from(rawRequest({ headers: { Connection: 'close', 'FreeClimb-Signature': 't=1,v1=é€😀' } }), 'utf8');
    assert.deepEqual(statusLines(await exchange(port, utf8Signature)), [401]);

    const utf8Type = Buffer.from(rawRequest({ headers: { Connection: 'close', 'Content-Type': 'application/json; charset=ütf-8' } }), 'utf8');
    assert.deepEqual(statusLines(await exchange(port, utf8Type)), [415]);

    const utf8Method = Buffer.from(rawRequest({ method: 'PÖST' }), 'utf8');
    assert.deepEqual(statusLines(await exchange(port, utf8Method)), [400]);
    await assertStillServes();
  });

  test('pipelined and 100-continue requests', async () => {
    const pipelined = await exchange(port, rawRequest() + rawRequest({ headers: { Connection: 'close' } }));
    assert.deepEqual(statusLines(pipelined), [200, 200]);

    const continued = await exchange(port, rawRequest({ headers: { Connection: 'close', Expect: '100-continue' } }));
    assert.deepEqual(statusLines(continued), [100, 200]);

    const huge = await exchange(port, rawRequest({ headers: { 'Content-Length': '99999999999999999999' } }));
    assert.deepEqual(statusLines(huge), [400]);
  });

  test('abort mid-body is reported', async () => {
    const before = errors.length;
    await exchange(port, rawRequest({ headers: { 'Content-Length': '1000' } }).slice(0, -100), { waitMs: 50 });
    await waitFor(() => errors.length > before, 'onError to report the aborted request');
    assert.equal(errors.at(-1).code, 'request_aborted');
    await assertStillServes();
  });

  test('huge headers are rejected', async () => {
    const response = await exchange(port, rawRequest({ headers: { 'X-Padding': 'a'.repeat(1 << 20) } }));
    assert.deepEqual(statusLines(response), [431]);

    const longSignature = `${signature},v1=${'a'.repeat(10_000)}`;
    const accepted = await exchange(port, rawRequest({ headers: { Connection: 'close', 'FreeClimb-Signature': longSignature } }));
    assert.deepEqual(statusLines(accepted), [200]);
  });
});

describe('inspector server', () => {
  let inspector;
  let folder;
  const wwwPackage = readFileSync(join(ROOT, 'www', 'package.json'), 'utf8');

  before(async () => {
    folder = mkdtempSync(join(tmpdir(), 'callstatus-inspector-'));
    const wwwRoot = join(folder, 'www');
    mkdirSync(wwwRoot);
    writeFileSync(join(wwwRoot, 'index.html'), '<!doctype html><title>inspector</title>');
    writeFileSync(join(wwwRoot, 'package.json'), wwwPackage);
    writeFileSync(join(folder, 'secret.txt'), 'outside the root');
    symlinkSync(join(folder, 'secret.txt'), join(wwwRoot, 'link.txt'));
    symlinkSync(folder, join(wwwRoot, 'up'));
    inspector = await startServer({ port: 0, wwwRoot, pkgRoot: PACKAGE_DIR });
  });
  after(async () => {
    await inspector.close();
    rmSync(folder, { recursive: true, force: true });
  });

  function get(path, method = 'GET') {
    return exchange(inspector.port, `${method} ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
  }

  test('traversal attempts stay inside', async () => {
    const attempts = [
      '/link.txt',
      '/up/secret.txt',
      '/%2e%2e/secret.txt',
      '/..%2Fsecret.txt',
      '/%2e%2e%2fsecret.txt',
      '/..%5Csecret.txt',
      '/..\\secret.txt',
      '/pkg%2F..%2F..%2Fsecret.txt',
      '/pkg/..%2F..%2F..%2Fsecret.txt',
      '/pkg/%2e%2e/%2e%2e/Makefile',
      '//etc/passwd',
      'http://127.0.0.1/../../etc/passwd',
      '/%2fetc%2fpasswd',
      '/%252e%252e/secret.txt',
      '/pkg/node',
      '*',
    ];
    for (const path of attempts) {
      const response = await get(path);
      assert.ok(/^HTTP\/1\.1 40[04]/.test(response), `${path}: ${response.split('\r\n')[0]}`);
      assert.doesNotMatch(response, /outside the root|root:x:0/, path);
    }

    // URL parsing removes these dot segments, so they stay at the root.
    for (const path of ['/../package.json', '/pkg/../../package.json', '/%2e%2e/package.json']) {
      const response = await get(path);
      assert.ok(response.startsWith('HTTP/1.1 200'), path);
      assert.ok(response.endsWith(wwwPackage), `${path} serves www/package.json`);
    }
  });

  test('NUL and bad escapes are 400', async () => {
    for (const path of ['/pkg/%00', '/%E0%A4%A', '/%']) {
      assert.match(await get(path), /^HTTP\/1\.1 400/, path);
    }
  });

  test('other methods are 405', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'OPTIONS', 'TRACE', 'PATCH']) {
      const response = await get('/', method);
      assert.match(response, /^HTTP\/1\.1 405/, method);
      assert.match(response, /Allow: GET, HEAD/i, method);
    }
    assert.match(await get('/', 'HEAD'), /^HTTP\/1\.1 200/);
    // Node closes the connection for CONNECT and unknown methods without a response.
    assert.equal(await get('/', 'CONNECT'), '');
    assert.equal(await get('/', 'FOO'), '');
    assert.match(await get('/'), /^HTTP\/1\.1 200/);
  });

  test('very long URLs are refused', async () => {
    const response = await get(`/${'a'.repeat(100_000)}`);
    assert.doesNotMatch(response, /^HTTP\/1\.1 [25]/);
    assert.match(await get('/pkg/package.json'), /^HTTP\/1\.1 200/);
  });
});
