// Option names of the main entry: each function rejects a property it does
// not take, so that a misspelt option cannot leave its default in force.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { requireFromRoot } from './helpers/package.mjs';
import { CALL_STATUS_BODY, SECRET, T } from './helpers/vectors.mjs';

const callstatus = requireFromRoot('./pkg');
const { validate, validateMany, parse, verifySignature, constructCallStatus, createCallStatusSchema, signPayload } = callstatus;

const HEADER = signPayload(CALL_STATUS_BODY, SECRET, T);

const VALIDATE_NAMES = 'mode, maxBytes, maxDepth, maxIssues, maxReports, maskPersonalData';
const SIGNATURE_NAMES = 'toleranceSeconds, now';

/** Asserts that `call` throws the unknown-option TypeError for `key`, listing `accepted`. */
function assertUnknown(call, key, accepted) {
  assert.throws(call, (error) => {
    assert.equal(error.constructor, TypeError);
    assert.equal(error.code, 'ERR_INVALID_ARG_VALUE');
    assert.equal(error.message, `The "options" argument has an unknown property ${JSON.stringify(key)}. Accepted: ${accepted}`);
    return true;
  });
}

describe('unknown option names', () => {
  test('validate rejects a misspelt option', () => {
    assertUnknown(() => validate('{}', { maskPersonaldata: true }), 'maskPersonaldata', VALIDATE_NAMES);
  });

  test('parse rejects an unknown option', () => {
    assertUnknown(() => parse(CALL_STATUS_BODY, { strict: true }), 'strict', VALIDATE_NAMES);
  });

  test('validateMany rejects an unknown option', () => {
    assertUnknown(() => validateMany('{}\n', { maxLines: 5 }), 'maxLines', VALIDATE_NAMES);
  });

  test('verifySignature rejects validate options', () => {
    assertUnknown(() => verifySignature(CALL_STATUS_BODY, HEADER, SECRET, { now: T, mode: 'strict' }), 'mode', SIGNATURE_NAMES);
  });

  test('verifySignature rejects an unknown option', () => {
    assertUnknown(() => verifySignature(CALL_STATUS_BODY, HEADER, SECRET, { now: T, tolerance: 60 }), 'tolerance', SIGNATURE_NAMES);
  });

  test('constructCallStatus rejects an unknown option', () => {
    const call = () => constructCallStatus(CALL_STATUS_BODY, HEADER, SECRET, { now: T, tolerance: 60 });
    assertUnknown(call, 'tolerance', `${VALIDATE_NAMES}, ${SIGNATURE_NAMES}`);
  });

  test('createCallStatusSchema rejects an unknown option', () => {
    assertUnknown(() => createCallStatusSchema({ bogus: 1 }), 'bogus', VALIDATE_NAMES);
  });

  test('unknown option is reported before a bad value', () => {
    assertUnknown(() => validate('{}', { mode: 'loose', maxbytes: 10 }), 'maxbytes', VALIDATE_NAMES);
  });

  test('long unknown name is shortened', () => {
    const key = 'x'.repeat(100);
    assert.throws(() => validate('{}', { [key]: 1 }), { message: new RegExp(`unknown property "${'x'.repeat(40)}…"`) });
  });

  test('array options name their first index', () => {
    assertUnknown(() => validate('{}', ['strict']), '0', VALIDATE_NAMES);
  });
});

describe('accepted option names', () => {
  test('validate accepts every documented option', () => {
    const options = { mode: 'strict', maxBytes: 4096, maxDepth: 8, maxIssues: 5, maxReports: 5, maskPersonalData: true };
    assert.equal(validate(CALL_STATUS_BODY, options).valid, true);
  });

  test('validateMany accepts maxReports', () => {
    assert.equal(validateMany(`${CALL_STATUS_BODY}\n`, { maxReports: 1 }).valid, 1);
  });

  test('verifySignature accepts its options', () => {
    assert.equal(verifySignature(CALL_STATUS_BODY, HEADER, SECRET, { now: T, toleranceSeconds: 0 }), undefined);
  });

  test('constructCallStatus accepts both sets', () => {
    const options = { now: T, toleranceSeconds: 0, mode: 'strict', maxBytes: 4096, maxDepth: 8, maxIssues: 5, maxReports: 5, maskPersonalData: true };
    const payload = constructCallStatus(CALL_STATUS_BODY, HEADER, SECRET, options);
    assert.equal(payload.callId, JSON.parse(CALL_STATUS_BODY).callId);
  });

  test('null options mean the defaults', () => {
    assert.equal(validate(CALL_STATUS_BODY, null).valid, true);
    assert.equal(createCallStatusSchema(null)['~standard'].validate(CALL_STATUS_BODY).value.callId, JSON.parse(CALL_STATUS_BODY).callId);
  });

  test('inherited properties are ignored', () => {
    const options = Object.create({ maskPersonaldata: true });
    options.mode = 'strict';
    assert.equal(validate(CALL_STATUS_BODY, options).valid, true);
  });

  test('symbol keys are ignored', () => {
    assert.equal(validate(CALL_STATUS_BODY, { [Symbol('tag')]: 1 }).valid, true);
  });

  test('undefined value of a known option is the default', () => {
    assert.equal(validate(CALL_STATUS_BODY, { mode: undefined, maxBytes: undefined }).valid, true);
  });
});
