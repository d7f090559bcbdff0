// Stability of one long-lived wasm instance: the package as loaded handles
// a million mixed calls (valid, invalid and small hostile bodies, signature
// failures, batches, thrown ValidationErrors and argument errors), each
// followed by a valid call. Every result must match the first result for
// the same input, the final results must match a fresh copy of the
// package, and neither wasm memory nor the JavaScript heap may keep growing
// after warm-up.

import assert from 'node:assert/strict';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import { PACKAGE_DIR, requireFromRoot } from './helpers/package.mjs';
import { createRandom } from './helpers/prng.mjs';
import { CALL_STATUS_BODY, OTHER_SECRET, SDK_BODY, SECRET } from './helpers/vectors.mjs';

const cs = requireFromRoot('./pkg/node/index.cjs');
const bindings = requireFromRoot('./pkg/node/freeclimb_callstatus.js');

const CALLS = 1_000_000;
const WARM_UP_CALLS = 100_000;
const SAMPLE_EVERY = 50_000;
// Wasm memory grows in 64 KiB pages and never shrinks. After warm-up every
// buffer the calls need exists, so any growth past one page is a leak.
const WASM_GROWTH_LIMIT = 64 * 1024;
// The heap is measured after a full garbage collection, so this only allows
// for caches and JIT data, not for garbage.
const HEAP_GROWTH_LIMIT = 16 * 1024 * 1024;
const TIME_LIMIT_MS = 120_000;

const NOW = 1_700_000_000;
const CALL_ID = JSON.parse(CALL_STATUS_BODY).callId;
const VALID_BYTES = Buffer.from(CALL_STATUS_BODY);

// global.gc exists only with --expose-gc, which `node --test` does not
// pass to the files it runs, so the flag is set from inside.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc');

function validWith(extra) {
  return `${CALL_STATUS_BODY.slice(0, -1)},${extra}}`;
}

function viewAtOffset(bytes, offset) {
  const whole = new Uint8Array(bytes.length + offset + 3);
  whole.fill(0x5b);
  whole.set(bytes, offset);
  return whole.subarray(offset, offset + bytes.length);
}

/**
 * Runs `call` and returns a plain record of its outcome: the value, or the
 * thrown error's class, code, message and issues.
 */
function outcome(call) {
  try {
    return { value: call() };
  } catch (error) {
    return { thrown: error.name, code: error.code, message: error.message, issues: error.issues };
  }
}

/** Returns a short fingerprint of an outcome, cheap enough to compare on every call. */
function fingerprint(result) {
  if (result.thrown !== undefined) return `${result.thrown}:${result.code}`;
  const value = result.value;
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return `string:${value.length}`;
  if (value.reports !== undefined) return `batch:${value.total}:${value.valid}:${value.reports.length}`;
  if (value.errors !== undefined) {
    const first = value.errors[0] ?? value.warnings[0];
    return `report:${value.valid}:${value.errors.length}:${value.warnings.length}:${first ? first.code : ''}:${value.payload ? value.payload.callId : ''}`;
  }
  if (value.callId !== undefined) return `payload:${value.callId}:${value.callDuration}:${value.from}`;
  return `object:${Object.keys(value).join()}`;
}

/**
 * The distinct calls of the run, each a function of the package API. Each
 * input is built once, so the long-lived and the fresh instance see the
 * same bytes.
 */
function buildCases() {
  const signed = cs.signPayload(CALL_STATUS_BODY, SECRET, NOW);
  const signedOther = cs.signPayload(CALL_STATUS_BODY, OTHER_SECRET, NOW);
  const invalidBody = CALL_STATUS_BODY.replace(CALL_ID, 'CA-1234');
  const signedInvalid = cs.signPayload(invalidBody, SECRET, NOW);
  const escaped = CALL_STATUS_BODY.replace('+13121000109', '\\u002b1312100010\\u0039').replace('"37"', '"\\u0033\\u0037"');
  const recording = validWith(`"recordingUrl":"https://example.com/r\\/é","recordingId":"RE${'ab'.repeat(20)}","recordingDurationSec":"12"`);
  const warnings = CALL_STATUS_BODY.replace('+13121000109', 'Anonymous').replace('"37"', '37');
  const batchLines = [CALL_STATUS_BODY, '', '{}', invalidBody, warnings, '[1]', '{"a":', escaped, ' \t', recording, '\u0000', validWith('"x":1,"x":2')];
  const batch = batchLines.join('\n');

  return {
    // Valid bodies in every input form.
    'valid Buffer': (api) => api.validate(VALID_BYTES),
    'valid string': (api) => api.validate(CALL_STATUS_BODY),
    'valid view at offset': (api) => api.validate(viewAtOffset(VALID_BYTES, 5)),
    'valid ArrayBuffer': (api) => api.validate(new Uint8Array(VALID_BYTES).buffer),
    'valid object': (api) => api.validate(JSON.parse(CALL_STATUS_BODY)),
    'valid strict': (api) => api.validate(VALID_BYTES, { mode: 'strict' }),
    'valid escapes': (api) => api.validate(escaped),
    'valid recording': (api) => api.validate(Buffer.from(recording)),
    'valid with warnings': (api) => api.validate(warnings),
    'parse valid': (api) => api.parse(VALID_BYTES),

    // Invalid payloads.
    'empty object': (api) => api.validate('{}'),
    'invalid id': (api) => api.validate(invalidBody),
    'wrong types': (api) => api.validate('{"requestType":1,"callId":[],"accountId":{},"from":null,"to":true,"callStatus":2,"direction":3,"callDuration":-1}'),
    'unknown field strict': (api) => api.validate(validWith('"extra":1'), { mode: 'strict' }),
    'inbound call webhook': (api) => api.validate(SDK_BODY),
    'one issue allowed': (api) => api.validate('{}', { maxIssues: 1 }),
    'parse throws': (api) => api.parse('{}'),
    'parse throws strict': (api) => api.parse(warnings, { mode: 'strict' }),

    // Small hostile bodies.
    'nested 200 deep': (api) => api.validate(`{"a":${'['.repeat(200)}${']'.repeat(200)}}`),
    'nested past maxDepth 3': (api) => api.validate(validWith('"a":[[[[1]]]]'), { maxDepth: 3 }),
    'overlong UTF-8': (api) => api.validate(Buffer.from([0x7b, 0x22, 0xc0, 0x80, 0x22, 0x3a, 0x31, 0x7d])),
    'UTF-8 surrogate': (api) => api.validate(Buffer.from([0x7b, 0x22, 0xed, 0xa0, 0x80, 0x22, 0x3a, 0x31, 0x7d])),
    'lone surrogate escape': (api) => api.validate(validWith('"a":"\\ud800"')),
    'lone surrogate string': (api) => api.validate(CALL_STATUS_BODY.replace('+13121000109', '\ud800')),
    'byte-order mark': (api) => api.validate(`\ufeff${CALL_STATUS_BODY}`),
    'raw NUL': (api) => api.validate(validWith('"a":"\u0000"')),
    'trailing data': (api) => api.validate(`${CALL_STATUS_BODY}x`),
    'empty body': (api) => api.validate(''),
    'array root': (api) => api.validate('[1,2,3]'),
    'truncated': (api) => api.validate(CALL_STATUS_BODY.slice(0, 100)),
    'long number': (api) => api.validate(CALL_STATUS_BODY.replace('"37"', '9'.repeat(1000))),
    'polluting keys': (api) => api.validate(validWith('"__proto__":{"polluted":1},"constructor":{"prototype":{"polluted":1}}')),
    'many keys': (api) => api.validate(validWith(Array.from({ length: 200 }, (_, index) => `"k${index}":${index}`).join(','))),
    'duplicate keys': (api) => api.validate(validWith('"a":{"b":1,"b":2},"callId":"x"')),
    'over maxBytes': (api) => api.validate(VALID_BYTES, { maxBytes: 100 }),

    // Signatures.
    'verify valid': (api) => api.verifySignature(VALID_BYTES, signed, SECRET, { now: NOW }),
    'verify wrong secret': (api) => api.verifySignature(VALID_BYTES, signedOther, SECRET, { now: NOW }),
    'verify malformed header': (api) => api.verifySignature(VALID_BYTES, 't=abc,v1=00', SECRET, { now: NOW }),
    'verify missing header': (api) => api.verifySignature(VALID_BYTES, undefined, SECRET, { now: NOW }),
    'verify expired': (api) => api.verifySignature(VALID_BYTES, signed, SECRET, { now: NOW + 301 }),
    'verify empty body': (api) => api.verifySignature('', signed, SECRET, { now: NOW }),
    'verify empty secret': (api) => api.verifySignature(VALID_BYTES, signed, ' ', { now: NOW }),
    'construct valid': (api) => api.constructCallStatus(VALID_BYTES, signed, SECRET, { now: NOW }),
    'construct wrong secret': (api) => api.constructCallStatus(CALL_STATUS_BODY, signed, OTHER_SECRET, { now: NOW }),
    'construct invalid payload': (api) => api.constructCallStatus(invalidBody, signedInvalid, SECRET, { now: NOW }),
    'construct over maxBytes': (api) => api.constructCallStatus(VALID_BYTES, signed, SECRET, { now: NOW, maxBytes: 10 }),
    'sign': (api) => api.signPayload(VALID_BYTES, SECRET, NOW),

    // Batches.
    'batch bytes': (api) => api.validateMany(Buffer.from(batch)),
    'batch string strict': (api) => api.validateMany(batch, { mode: 'strict' }),
    'batch two reports': (api) => api.validateMany(batch, { maxReports: 2 }),

    // Argument errors.
    'maxBytes 0': (api) => api.validate(VALID_BYTES, { maxBytes: 0 }),
    'maxDepth 1025': (api) => api.validate(VALID_BYTES, { maxDepth: 1025 }),
    'mode STRICT': (api) => api.validate(VALID_BYTES, { mode: 'STRICT' }),
    'number input': (api) => api.validate(42),
    'negative now': (api) => api.verifySignature(VALID_BYTES, signed, SECRET, { now: -1 }),
    'secret not a string': (api) => api.constructCallStatus(VALID_BYTES, signed, 7),
    'batch of an object': (api) => api.validateMany({}),
    'meanings': (api) => api.meanings(),
  };
}

/** A valid call after each other call, in a rotating form, to show that no error leaves the module broken. */
const CHECK_CALLS = [
  () => cs.validate(VALID_BYTES),
  () => cs.validate(CALL_STATUS_BODY),
  () => ({ valid: true, payload: cs.parse(VALID_BYTES) }),
];

/** Returns the heap in use after a full garbage collection. */
function heapAfterCollection() {
  collectGarbage();
  collectGarbage();
  return process.memoryUsage().heapUsed;
}

function wasmMemoryBytes() {
  return bindings.wasmMemory().buffer.byteLength;
}

/** Loads a second, independent copy of the package from a copy of pkg/, with its own wasm instance. */
function loadFreshCopy() {
  const folder = mkdtempSync(join(tmpdir(), 'callstatus-fresh-'));
  cpSync(PACKAGE_DIR, folder, { recursive: true });
  const api = createRequire(join(folder, 'package.json'))('./node/index.cjs');
  return { api, wasmMemory: () => createRequire(join(folder, 'package.json'))('./node/freeclimb_callstatus.js').wasmMemory(), remove: () => rmSync(folder, { recursive: true, force: true }) };
}

const toMiB = (bytes) => (bytes / (1024 * 1024)).toFixed(2);

test('million mixed calls stay stable', { timeout: TIME_LIMIT_MS * 2 }, (t) => {
  const cases = Object.entries(buildCases());
  const baseline = new Map(cases.map(([name, call]) => [name, outcome(() => call(cs))]));
  const fingerprints = cases.map(([name]) => fingerprint(baseline.get(name)));
  const random = createRandom(0x57ab1e);

  const counts = {};
  let warmWasm;
  let warmHeap;
  let peakWasm = 0;
  const samples = [];
  const started = performance.now();

  for (let call = 0; call < CALLS; call++) {
    const index = random.below(cases.length);
    const [name, run] = cases[index];
    const result = outcome(() => run(cs));
    const actual = fingerprint(result);
    if (actual !== fingerprints[index]) {
      assert.deepEqual(result, baseline.get(name), `call ${call}, "${name}": differs from its first result`);
      assert.fail(`call ${call}, "${name}": fingerprint ${actual}, first ${fingerprints[index]}`);
    }
    counts[result.thrown ?? 'returned'] = (counts[result.thrown ?? 'returned'] ?? 0) + 1;

    const check = CHECK_CALLS[call % CHECK_CALLS.length]();
    if (!check.valid || check.payload.callId !== CALL_ID || check.payload.callDuration !== 37) {
      assert.fail(`call ${call}: a valid body failed right after "${name}": ${JSON.stringify(check).slice(0, 300)}`);
    }

    if (call + 1 === WARM_UP_CALLS) {
      warmWasm = wasmMemoryBytes();
      warmHeap = heapAfterCollection();
    }
    if ((call + 1) % SAMPLE_EVERY === 0) {
      const bytes = wasmMemoryBytes();
      peakWasm = Math.max(peakWasm, bytes);
      samples.push(toMiB(bytes));
    }
  }

  const elapsed = performance.now() - started;
  const endWasm = wasmMemoryBytes();
  const endHeap = heapAfterCollection();
  t.diagnostic(`${CALLS} mixed calls (${cases.length} distinct), each followed by a valid call, in ${(elapsed / 1000).toFixed(1)} s: ${JSON.stringify(counts)}`);
  t.diagnostic(`wasm memory after warm-up ${toMiB(warmWasm)} MiB, peak ${toMiB(peakWasm)} MiB, at the end ${toMiB(endWasm)} MiB; every ${SAMPLE_EVERY} calls: ${samples.join(', ')}`);
  t.diagnostic(`heap after collection: ${toMiB(warmHeap)} MiB after warm-up, ${toMiB(endHeap)} MiB at the end`);

  assert.ok(elapsed < TIME_LIMIT_MS, `${CALLS} calls took ${(elapsed / 1000).toFixed(1)} s: expected under ${TIME_LIMIT_MS / 1000} s`);
  assert.ok(peakWasm - warmWasm <= WASM_GROWTH_LIMIT, `wasm memory grew from ${toMiB(warmWasm)} MiB after warm-up to ${toMiB(peakWasm)} MiB`);
  assert.ok(endHeap - warmHeap <= HEAP_GROWTH_LIMIT, `the heap grew from ${toMiB(warmHeap)} MiB after warm-up to ${toMiB(endHeap)} MiB`);

  // Each distinct call, once more on the long-lived instance, against its
  // first result and against a fresh copy of the package.
  const fresh = loadFreshCopy();
  try {
    for (const [name, call] of cases) {
      const late = outcome(() => call(cs));
      assert.deepEqual(late, baseline.get(name), `"${name}": the result changed over ${CALLS} calls`);
      assert.deepEqual(late, outcome(() => call(fresh.api)), `"${name}": the long-lived and the fresh instance differ`);
    }
    t.diagnostic(`fresh instance wasm memory ${toMiB(fresh.wasmMemory().buffer.byteLength)} MiB`);
  } finally {
    fresh.remove();
  }
});

test('each error leaves the next call working', () => {
  // Each distinct call once, followed by valid calls whose full results are compared.
  const cases = Object.entries(buildCases());
  const expected = cs.validate(VALID_BYTES);
  for (const [name, call] of cases) {
    outcome(() => call(cs));
    assert.deepEqual(cs.validate(VALID_BYTES), expected, `a valid Buffer after "${name}"`);
    assert.deepEqual(cs.validate(CALL_STATUS_BODY), expected, `a valid string after "${name}"`);
  }
});
