// FreeClimb-Signature signing and verification through the built package:
// verifySignature(), constructCallStatus() and signPayload(). The cases
// repeat the important ones of tests/signature.rs across the wasm boundary,
// then compare with Node's own HMAC on random input.

import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';

import { PACKAGE_DIR, requireFromRoot } from './helpers/package.mjs';
import { createRandom } from './helpers/prng.mjs';
import {
  CALL_STATUS_BODY,
  DECOY_V1,
  OTHER_SECRET,
  OTHER_SECRET_V1,
  SDK_BODY,
  SDK_VECTORS,
  SECRET,
  T,
  V1,
} from './helpers/vectors.mjs';

const required = requireFromRoot('./pkg');
const imported = await import(pathToFileURL(join(PACKAGE_DIR, 'node', 'index.cjs')).href);

const { verifySignature, constructCallStatus, signPayload, validate, SignatureVerificationError, ValidationError } = required;

const SIGNATURE_CODES = [
  'missing_header',
  'malformed_header',
  'missing_timestamp',
  'missing_signature',
  'timestamp_outside_tolerance',
  'no_matching_signature',
  'empty_secret',
  'empty_body',
];

const header = (timestamp, ...signatures) => [`t=${timestamp}`, ...signatures.map((v1) => `v1=${v1}`)].join(',');

/** Computes the reference signature independently: Node's HMAC-SHA256 of `<t>.<body>`. */
function referenceSignature(body, secret, timestamp) {
  return createHmac('sha256', Buffer.from(secret, 'utf8')).update(`${timestamp}.`).update(body).digest('hex');
}

/** Runs verifySignature and returns 'ok' or the error code; other exceptions propagate. */
function verifyCode(body, headerValue, secret, options) {
  try {
    verifySignature(body, headerValue, secret, options);
    return 'ok';
  } catch (error) {
    if (!(error instanceof SignatureVerificationError)) throw error;
    return error.code;
  }
}

describe('SDK vectors', () => {
  const flavours = [
    ['require', required],
    ['import', imported],
  ];

  for (const [name, module] of flavours) {
    test(`verify at their timestamp via ${name}`, () => {
      for (const [timestamp, v1] of SDK_VECTORS) {
        assert.equal(module.verifySignature(SDK_BODY, header(timestamp, v1), SECRET, { now: timestamp }), undefined);
        assert.equal(module.verifySignature(SDK_BODY, header(timestamp, v1), SECRET, { now: new Date(timestamp * 1000) }), undefined);
      }
    });

    test(`signPayload reproduces them via ${name}`, () => {
      for (const [timestamp, v1] of SDK_VECTORS) {
        assert.equal(module.signPayload(SDK_BODY, SECRET, timestamp), header(timestamp, v1));
        assert.equal(module.signPayload(SDK_BODY, SECRET, new Date(timestamp * 1000 + 999)), header(timestamp, v1));
      }
      assert.equal(module.signPayload(SDK_BODY, OTHER_SECRET, T), header(T, OTHER_SECRET_V1));
    });
  }

  test('require and import share one module', () => {
    assert.equal(imported.verifySignature, required.verifySignature);
    assert.equal(imported.SignatureVerificationError, SignatureVerificationError);
  });

  test('other secret vector fails', () => {
    assert.equal(verifyCode(SDK_BODY, header(T, OTHER_SECRET_V1), SECRET, { now: T }), 'no_matching_signature');
    assert.equal(verifyCode(SDK_BODY, header(T, OTHER_SECRET_V1), OTHER_SECRET, { now: T }), 'ok');
  });

  test('rotated secrets both verify', () => {
    const rotated = header(T, V1, OTHER_SECRET_V1);

    assert.equal(verifyCode(SDK_BODY, rotated, SECRET, { now: T }), 'ok');
    assert.equal(verifyCode(SDK_BODY, rotated, OTHER_SECRET, { now: T }), 'ok');
  });

  test('decoy beside real signature verifies', () => {
    const headers = [header(T, DECOY_V1, V1), header(T, V1, DECOY_V1), `v1=${DECOY_V1},v1=${V1},t=${T}`];
    for (const value of headers) {
      assert.equal(verifyCode(SDK_BODY, value, SECRET, { now: T }), 'ok', value);
    }
  });

  test('1000 decoys then real verifies', () => {
    const signatures = Array.from({ length: 1000 }, () => DECOY_V1);
    assert.equal(verifyCode(SDK_BODY, header(T, ...signatures, V1), SECRET, { now: T }), 'ok');
    assert.equal(verifyCode(SDK_BODY, header(T, ...signatures), SECRET, { now: T }), 'no_matching_signature');
  });
});

describe('failure codes', () => {
  const valid = header(T, V1);
  const cases = [
    { code: 'empty_secret', body: SDK_BODY, header: valid, secret: '' },
    { code: 'empty_secret', body: SDK_BODY, header: valid, secret: ' \t\n' },
    { code: 'missing_header', body: SDK_BODY, header: '' },
    { code: 'missing_header', body: SDK_BODY, header: '  \t ' },
    { code: 'missing_header', body: SDK_BODY, header: undefined },
    { code: 'missing_header', body: SDK_BODY, header: null },
    { code: 'malformed_header', body: SDK_BODY, header: 'junk' },
    { code: 'malformed_header', body: SDK_BODY, header: `t=${T},,v1=${V1}` },
    { code: 'malformed_header', body: SDK_BODY, header: `${valid},` },
    { code: 'malformed_header', body: SDK_BODY, header: `t=${T},= x` },
    { code: 'malformed_header', body: SDK_BODY, header: `t=${T},v.1=x` },
    { code: 'malformed_header', body: SDK_BODY, header: `t=12a,v1=${V1}` },
    { code: 'malformed_header', body: SDK_BODY, header: `t=-5,v1=${V1}` },
    { code: 'malformed_header', body: SDK_BODY, header: `t=,v1=${V1}` },
    { code: 'malformed_header', body: SDK_BODY, header: `t=${T},t=${T},v1=${V1}` },
    { code: 'malformed_header', body: SDK_BODY, header: `t=18446744073709551616,v1=${V1}` },
    { code: 'missing_timestamp', body: SDK_BODY, header: `v1=${V1}` },
    { code: 'missing_timestamp', body: SDK_BODY, header: 'foo=bar' },
    { code: 'missing_signature', body: SDK_BODY, header: `t=${T}` },
    { code: 'missing_signature', body: SDK_BODY, header: `t=${T},v0=${V1}` },
    { code: 'empty_body', body: '', header: valid },
    { code: 'empty_body', body: Buffer.alloc(0), header: valid },
    { code: 'no_matching_signature', body: SDK_BODY, header: header(T, DECOY_V1) },
    { code: 'no_matching_signature', body: SDK_BODY, header: header(T, V1.slice(0, 62)) },
    { code: 'no_matching_signature', body: `${SDK_BODY} `, header: valid },
    { code: 'no_matching_signature', body: SDK_BODY, header: header(`0${T}`, V1) },
    { code: 'timestamp_outside_tolerance', body: SDK_BODY, header: valid, now: 0 },
  ];

  for (const { code, body, header: value, secret = SECRET, now = T } of cases) {
    test(`${code} for ${JSON.stringify(value)?.slice(0, 40) ?? String(value)}`, () => {
      assert.throws(
        () => verifySignature(body, value, secret, { now }),
        (error) => {
          assert.ok(error instanceof SignatureVerificationError);
          assert.ok(error instanceof Error);
          assert.equal(error.name, 'SignatureVerificationError');
          assert.equal(error.code, code);
          assert.ok(error.message.length > 0);
          assert.ok(!error.message.includes(SECRET.slice(7)), error.message);
          return true;
        },
      );
    });
  }

  test('every code is reachable', () => {
    assert.deepEqual([...new Set(cases.map((entry) => entry.code))].sort(), [...SIGNATURE_CODES].sort());
  });

  test('signature is checked before timestamp', () => {
    assert.equal(verifyCode(SDK_BODY, header(T, DECOY_V1), SECRET, { now: 0 }), 'no_matching_signature');
    assert.equal(verifyCode(SDK_BODY, header(T, V1), SECRET, { now: 0 }), 'timestamp_outside_tolerance');
  });

  test('messages name the value and expectation', () => {
    assert.throws(() => verifySignature(SDK_BODY, `${valid},junk`, SECRET, { now: T }), {
      message: 'malformed FreeClimb-Signature header part "junk": expected a key=value pair such as "t=1679944186"',
    });
    assert.throws(() => verifySignature(SDK_BODY, valid, SECRET, { now: T - 400 }), {
      message:
        'FreeClimb-Signature timestamp 1679944186 is 400 seconds after the current time 1679943786: ' +
        'expected at most 300 seconds before or after it. The request may be a replay, or a clock may be wrong',
    });
  });
});

describe('tolerance', () => {
  const valid = header(T, V1);
  const cases = [
    { name: 'exactly 300 s later', now: T + 300, expected: 'ok' },
    { name: 'one second past', now: T + 301, expected: 'timestamp_outside_tolerance' },
    { name: 'future at the bound', now: T - 300, expected: 'ok' },
    { name: 'future one past', now: T - 301, expected: 'timestamp_outside_tolerance' },
    { name: 'custom 10 s at bound', now: T + 10, toleranceSeconds: 10, expected: 'ok' },
    { name: 'custom 10 s past', now: T + 11, toleranceSeconds: 10, expected: 'timestamp_outside_tolerance' },
    { name: 'custom 10 s future past', now: T - 11, toleranceSeconds: 10, expected: 'timestamp_outside_tolerance' },
    { name: 'zero tolerance same second', now: T, toleranceSeconds: 0, expected: 'ok' },
    { name: 'zero tolerance next second', now: T + 1, toleranceSeconds: 0, expected: 'timestamp_outside_tolerance' },
    { name: 'huge tolerance from epoch', now: 0, toleranceSeconds: Number.MAX_SAFE_INTEGER, expected: 'ok' },
    { name: 'Date at the bound', now: new Date((T + 300) * 1000 + 999), expected: 'ok' },
    { name: 'Date one past', now: new Date((T + 301) * 1000), expected: 'timestamp_outside_tolerance' },
  ];

  for (const { name, now, toleranceSeconds, expected } of cases) {
    test(name, () => {
      const options = toleranceSeconds === undefined ? { now } : { now, toleranceSeconds };
      assert.equal(verifyCode(SDK_BODY, valid, SECRET, options), expected);
    });
  }

  test('default clock rejects old vector', () => {
    assert.equal(verifyCode(SDK_BODY, valid, SECRET), 'timestamp_outside_tolerance');
  });

  test('default clock accepts fresh signature', () => {
    assert.equal(verifyCode(SDK_BODY, signPayload(SDK_BODY, SECRET), SECRET), 'ok');
  });
});

describe('header forms', () => {
  test('spaces and tabs around parts verify', () => {
    const values = [` t=${T} , v1=${V1} `, `t = ${T},\tv1 =\t${V1}`, `\tt=${T},v1=${V1}\t`];
    for (const value of values) {
      assert.equal(verifyCode(SDK_BODY, value, SECRET, { now: T }), 'ok', JSON.stringify(value));
    }
  });

  test('uppercase hex verifies', () => {
    assert.equal(verifyCode(SDK_BODY, header(T, V1.toUpperCase()), SECRET, { now: T }), 'ok');
  });

  test('unknown keys are skipped', () => {
    assert.equal(verifyCode(SDK_BODY, `t=${T},v0=${DECOY_V1},scheme=hmac,v1=${V1}`, SECRET, { now: T }), 'ok');
  });

  test('keys are case-sensitive', () => {
    assert.equal(verifyCode(SDK_BODY, `T=${T},v1=${V1}`, SECRET, { now: T }), 'missing_timestamp');
    assert.equal(verifyCode(SDK_BODY, `t=${T},V1=${V1}`, SECRET, { now: T }), 'missing_signature');
  });

  test('array header is joined', () => {
    assert.equal(verifyCode(SDK_BODY, [`t=${T}`, `v1=${V1}`], SECRET, { now: T }), 'ok');
    assert.equal(verifyCode(SDK_BODY, [`t=${T},v1=${DECOY_V1}`, `v1=${V1}`], SECRET, { now: T }), 'ok');
  });
});

describe('body bytes', () => {
  test('non-ASCII string signs its UTF-8', () => {
    const body = '{"from":"Zoë 😀 漢字"}';
    const expected = referenceSignature(Buffer.from(body, 'utf8'), SECRET, T);

    assert.equal(signPayload(body, SECRET, T), header(T, expected));
    assert.equal(verifyCode(body, header(T, expected), SECRET, { now: T }), 'ok');
    assert.equal(verifyCode(Buffer.from(body, 'utf8'), header(T, expected), SECRET, { now: T }), 'ok');
  });

  test('invalid UTF-8 bytes verify', () => {
    const body = Buffer.from([0x7b, 0xff, 0xfe, 0x80, 0xc3, 0x28, 0x00, 0x7d]);
    const expected = referenceSignature(body, SECRET, T);

    assert.equal(signPayload(body, SECRET, T), header(T, expected));
    assert.equal(verifyCode(body, header(T, expected), SECRET, { now: T }), 'ok');
  });

  test('decoded invalid UTF-8 no longer verifies', () => {
    // Decoding replaces the invalid bytes with U+FFFD, so a handler that
    // turns the body into a string before verifying breaks the signature.
    const body = Buffer.from([0x7b, 0xff, 0x7d]);
    const signed = header(T, referenceSignature(body, SECRET, T));

    assert.equal(verifyCode(body.toString('utf8'), signed, SECRET, { now: T }), 'no_matching_signature');
  });

  test('re-serialised JSON no longer verifies', () => {
    const reserialised = JSON.stringify(JSON.parse(CALL_STATUS_BODY), null, 1);
    assert.equal(verifyCode(reserialised, signPayload(CALL_STATUS_BODY, SECRET, T), SECRET, { now: T }), 'no_matching_signature');
  });

  test('every body type is equivalent', () => {
    const bytes = Buffer.from(SDK_BODY, 'utf8');
    const padded = new Uint8Array(bytes.length + 8);
    padded.set(bytes, 4);
    const forms = [
      ['string', SDK_BODY],
      ['Buffer', bytes],
      ['Uint8Array', new Uint8Array(bytes)],
      ['ArrayBuffer', bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)],
      ['offset Uint8Array view', padded.subarray(4, 4 + bytes.length)],
      ['DataView', new DataView(padded.buffer, 4, bytes.length)],
    ];
    for (const [name, body] of forms) {
      assert.equal(signPayload(body, SECRET, T), header(T, V1), name);
      assert.equal(verifyCode(body, header(T, V1), SECRET, { now: T }), 'ok', name);
    }
  });
});

describe('argument checks', () => {
  const valid = header(T, V1);
  const typeErrors = [
    ['rawBody number', () => verifySignature(42, valid, SECRET, { now: T }), /The "rawBody" argument must be a string, a Buffer/],
    ['rawBody object', () => verifySignature({ a: 1 }, valid, SECRET, { now: T }), /"rawBody" argument.*Received an instance of Object/],
    ['secret undefined', () => verifySignature(SDK_BODY, valid, undefined, { now: T }), /The "secret" argument must be a string. Received undefined/],
    ['secret Buffer', () => verifySignature(SDK_BODY, valid, Buffer.from(SECRET), { now: T }), /The "secret" argument must be a string/],
    ['header number', () => verifySignature(SDK_BODY, 123, SECRET, { now: T }), /The "header" argument must be a string/],
    ['options string', () => verifySignature(SDK_BODY, valid, SECRET, 'fast'), /The "options" argument must be an object/],
    ['now string', () => verifySignature(SDK_BODY, valid, SECRET, { now: '1679944186' }), /"options\.now" argument must be a number of Unix seconds or a Date/],
    ['tolerance string', () => verifySignature(SDK_BODY, valid, SECRET, { now: T, toleranceSeconds: '300' }), /"options\.toleranceSeconds"/],
    ['sign secret number', () => signPayload(SDK_BODY, 7, T), /The "secret" argument must be a string/],
    ['construct secret null', () => constructCallStatus(CALL_STATUS_BODY, valid, null, { now: T }), /The "secret" argument must be a string/],
  ];

  for (const [name, call, message] of typeErrors) {
    test(`TypeError for ${name}`, () => {
      assert.throws(call, (error) => {
        assert.equal(error.constructor, TypeError);
        assert.equal(error.code, 'ERR_INVALID_ARG_TYPE');
        assert.match(error.message, message);
        return true;
      });
    });
  }

  const rangeErrors = [
    ['now negative', () => verifySignature(SDK_BODY, valid, SECRET, { now: -1 }), /"options\.now" is out of range/],
    ['now fractional', () => verifySignature(SDK_BODY, valid, SECRET, { now: T + 0.5 }), /"options\.now" is out of range/],
    ['now NaN', () => verifySignature(SDK_BODY, valid, SECRET, { now: Number.NaN }), /"options\.now" is out of range/],
    ['now invalid Date', () => verifySignature(SDK_BODY, valid, SECRET, { now: new Date('not a date') }), /"options\.now" is out of range/],
    ['tolerance negative', () => verifySignature(SDK_BODY, valid, SECRET, { now: T, toleranceSeconds: -1 }), /"options\.toleranceSeconds" is out of range/],
    ['timestamp negative', () => signPayload(SDK_BODY, SECRET, -5), /"timestamp" is out of range/],
  ];

  test('empty secret cannot sign', () => {
    assert.throws(() => signPayload(SDK_BODY, ''), (error) => error instanceof TypeError && /"secret"/.test(error.message));
    assert.throws(() => signPayload(SDK_BODY, '  '), TypeError);
  });

  test('whitespace-only secret message', () => {
    assert.throws(() => signPayload(SDK_BODY, '  '), {
      code: 'ERR_INVALID_ARG_VALUE',
      message: 'The "secret" argument must be the signing secret, not an empty or whitespace-only string',
    });
  });

  for (const [name, call, message] of rangeErrors) {
    test(`RangeError for ${name}`, () => {
      assert.throws(call, (error) => {
        assert.equal(error.constructor, RangeError);
        assert.equal(error.code, 'ERR_OUT_OF_RANGE');
        assert.match(error.message, message);
        return true;
      });
    });
  }
});

describe('constructCallStatus', () => {
  const signed = signPayload(CALL_STATUS_BODY, SECRET, T);

  test('returns the normalised payload', () => {
    const payload = constructCallStatus(CALL_STATUS_BODY, signed, SECRET, { now: T });

    assert.equal(payload.requestType, 'callStatus');
    assert.equal(payload.callId, 'CAccb0b00506553cda09b51c5477f672a49e0b2213');
    assert.equal(payload.callStatus, 'completed');
    assert.equal(payload.callDuration, 37);
    assert.equal(payload.parentCallId, null);
  });

  test('Buffer body gives the same payload', () => {
    const fromBuffer = constructCallStatus(Buffer.from(CALL_STATUS_BODY), signed, SECRET, { now: new Date(T * 1000) });
    assert.deepEqual(fromBuffer, constructCallStatus(CALL_STATUS_BODY, signed, SECRET, { now: T }));
  });

  test('forged signature throws SignatureVerificationError', () => {
    assert.throws(() => constructCallStatus(CALL_STATUS_BODY, signed, OTHER_SECRET, { now: T }), {
      name: 'SignatureVerificationError',
      code: 'no_matching_signature',
    });
  });

  test('stale signature throws before validation', () => {
    const invalid = '{"requestType":"inboundCall"}';
    assert.throws(() => constructCallStatus(invalid, signPayload(invalid, SECRET, T), SECRET, { now: T + 301 }), {
      name: 'SignatureVerificationError',
      code: 'timestamp_outside_tolerance',
    });
  });

  test('signed invalid JSON throws ValidationError', () => {
    const body = '{"callId": ';
    assert.throws(
      () => constructCallStatus(body, signPayload(body, SECRET, T), SECRET, { now: T }),
      (error) => {
        assert.ok(error instanceof ValidationError);
        assert.equal(error.code, 'ERR_CALLSTATUS_INVALID');
        assert.equal(error.errors[0].code, 'invalid_json');
        return true;
      },
    );
  });

  test('signed SDK inboundCall body is not a callStatus', () => {
    assert.throws(() => constructCallStatus(SDK_BODY, header(T, V1), SECRET, { now: T }), (error) => {
      assert.ok(error instanceof ValidationError);
      assert.ok(error.errors.some((issue) => issue.code === 'invalid_request_type'), JSON.stringify(error.errors));
      return true;
    });
  });

  test('oversized body fails before hashing', () => {
    // The forged signature would fail too, so a ValidationError shows that
    // the size check ran first.
    const body = `{"padding":"${'x'.repeat(100)}"}`;
    assert.throws(() => constructCallStatus(body, header(T, DECOY_V1), SECRET, { now: T, maxBytes: 64 }), (error) => {
      assert.ok(error instanceof ValidationError);
      assert.equal(error.errors[0].code, 'body_too_large');
      return true;
    });
  });

  test('strict mode applies', () => {
    const body = CALL_STATUS_BODY.replace('{', '{"newField":1,');
    const signedBody = signPayload(body, SECRET, T);

    assert.equal(constructCallStatus(body, signedBody, SECRET, { now: T }).callId, 'CAccb0b00506553cda09b51c5477f672a49e0b2213');
    assert.throws(() => constructCallStatus(body, signedBody, SECRET, { now: T, mode: 'strict' }), (error) => {
      assert.ok(error instanceof ValidationError);
      assert.ok(error.errors.some((issue) => issue.code === 'unknown_field'), JSON.stringify(error.errors));
      return true;
    });
  });
});

describe('signPayload', () => {
  test('round trip across timestamps', () => {
    const bodies = ['x', '{}', CALL_STATUS_BODY, Buffer.alloc(4096)];
    for (const body of bodies) {
      for (const timestamp of [0, 1, T, 9_999_999_999, Number.MAX_SAFE_INTEGER]) {
        const value = signPayload(body, SECRET, timestamp);

        assert.match(value, /^t=\d+,v1=[0-9a-f]{64}$/);
        assert.equal(value, header(timestamp, referenceSignature(body, SECRET, timestamp)));
        assert.equal(verifyCode(body, value, SECRET, { now: timestamp }), 'ok', value);
      }
    }
  });

  test('defaults to the current time', () => {
    const before = Math.floor(Date.now() / 1000);
    const timestamp = Number(/^t=(\d+),/.exec(signPayload('x', SECRET))[1]);
    const afterwards = Math.floor(Date.now() / 1000);

    assert.ok(timestamp >= before, `${timestamp} is before ${before}`);
    assert.ok(timestamp <= afterwards, `${timestamp} is after ${afterwards}`);
  });
});

describe('differential against node:crypto', () => {
  const SECRET_ALPHABET = ['a', 'Z', '0', '_', '-', ' ', 'é', 'ß', '漢', '😀', '\u0000', '\ud800'];

  function randomSecret(random) {
    let secret = 'sigsec_';
    const length = random.below(64);
    for (let index = 0; index < length; index++) {
      secret += random.below(4) === 0 ? random.pick(SECRET_ALPHABET) : random.below(16).toString(16);
    }
    return secret;
  }

  function randomBody(random) {
    const length = random.below(2001);
    if (random.below(4) > 0) return random.bytes(length);

    // A string body mixing ASCII, two-, three- and four-byte characters.
    const characters = ['{', '"', 'a', ' ', 'é', 'Ω', '€', '漢', '😀'];
    let text = '';
    while (text.length < length) text += random.pick(characters);
    return text;
  }

  test('2000 random bodies and secrets agree', () => {
    const seed = 0x5eed_1234;
    const random = createRandom(seed);
    let verified = 0;

    for (let round = 0; round < 2000; round++) {
      const body = randomBody(random);
      const secret = randomSecret(random);
      const timestamp = random.below(2 ** 31);
      const where = `seed ${seed}, round ${round}`;

      const expected = referenceSignature(typeof body === 'string' ? Buffer.from(body, 'utf8') : body, secret, timestamp);
      assert.equal(signPayload(body, secret, timestamp), header(timestamp, expected), where);

      const bodyLength = typeof body === 'string' ? Buffer.byteLength(body) : body.length;
      const outcome = verifyCode(body, header(timestamp, expected), secret, { now: timestamp });
      if (bodyLength === 0) {
        assert.equal(outcome, 'empty_body', where);
        continue;
      }
      assert.equal(outcome, 'ok', where);
      verified++;

      // One changed hex digit must no longer match.
      const position = random.below(64);
      const digit = expected[position] === '0' ? '1' : '0';
      const altered = expected.slice(0, position) + digit + expected.slice(position + 1);
      assert.equal(verifyCode(body, header(timestamp, altered), secret, { now: timestamp }), 'no_matching_signature', where);
    }

    assert.ok(verified > 1900, `only ${verified} rounds had a non-empty body`);
  });
});

describe('random headers', () => {
  const FRAGMENTS = [
    't=', 'v1=', 'v0=', ',', '=', ' ', '\t', 't', 'v1', String(T), '18446744073709551615',
    '99999999999999999999', '-', '+', '0', V1, DECOY_V1, 'c3957749', 'é', '\u0000', '\n', ',,', '==', '\ud800',
  ];

  function randomHeader(random) {
    let value = '';
    const pieces = random.below(12);
    for (let piece = 0; piece < pieces; piece++) {
      const kind = random.below(3);
      if (kind === 0) value += random.pick(FRAGMENTS);
      else if (kind === 1) value += random.bytes(random.below(8)).toString('latin1');
      else {
        for (let index = random.below(8); index > 0; index--) value += String.fromCharCode(0x20 + random.below(95));
      }
    }
    return value;
  }

  test('5000 headers throw only SignatureVerificationError', () => {
    const seed = 0x0bad_cafe;
    const random = createRandom(seed);
    const seen = new Set();

    for (let round = 0; round < 5000; round++) {
      const value = randomHeader(random);
      const body = random.bytes(random.below(4));
      const now = random.pick([0, Number.MAX_SAFE_INTEGER, random.nextUint32()]);
      const options = random.below(2) === 0 ? { now } : { now, toleranceSeconds: random.nextUint32() };
      const where = `seed ${seed}, round ${round}, header ${JSON.stringify(value)}`;

      let thrown;
      try {
        if (round % 10 === 0) constructCallStatus(body, value, SECRET, options);
        else verifySignature(body, value, SECRET, options);
      } catch (error) {
        thrown = error;
      }

      assert.ok(thrown instanceof SignatureVerificationError, `${where}: ${thrown}`);
      assert.ok(SIGNATURE_CODES.includes(thrown.code), `${where}: code ${thrown.code}`);
      assert.ok(thrown.message.length > 0, where);
      seen.add(thrown.code);
    }

    assert.ok(seen.size >= 4, `only codes ${[...seen].join(', ')} came up`);
  });

  test('module still works afterwards', () => {
    // A panic inside wasm can leave the module's memory in a broken state,
    // so every kind of call must still work after the fuzzing.
    assert.equal(verifyCode(SDK_BODY, header(T, V1), SECRET, { now: T }), 'ok');
    assert.equal(signPayload(SDK_BODY, SECRET, T), header(T, V1));
    assert.equal(validate(CALL_STATUS_BODY).valid, true);
  });
});
