// Differential tests: the package's verdict on JSON syntax, and the field
// values it returns, against JSON.parse on thousands of generated and
// mutated bodies.
//
// The cases come from one seeded generator. Every failure message names the
// seed and the round; rerun the same cases with
// DIFFERENTIAL_SEED=<seed> node --test tests/js/differential.test.mjs.

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { requireFromRoot } from './helpers/package.mjs';
import { createRandom } from './helpers/prng.mjs';

const cs = requireFromRoot('./pkg/node/index.cjs');

const SEED = process.env.DIFFERENTIAL_SEED === undefined ? 0x5eed2024 : Number(process.env.DIFFERENTIAL_SEED);
const GENERATED_ROUNDS = 6000;
const MUTATED_ROUNDS = 6000;
const PAYLOAD_ROUNDS = 3000;
const DEFAULT_MAX_DEPTH = 64;

// The codes of a body that is not JSON at all. A report with one of them
// contains that one issue and nothing else.
const MALFORMED_CODES = new Set(['empty_body', 'invalid_json', 'invalid_utf8', 'trailing_data']);

// ignoreBOM keeps a leading U+FEFF in the text, so JSON.parse rejects it as
// the validator does. The default decoder would silently drop it.
const strictDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenientDecoder = new TextDecoder('utf-8', { ignoreBOM: true });

function describeCase(seed, round, bytes) {
  const text = lenientDecoder.decode(bytes);
  const excerpt = text.length > 400 ? `${text.slice(0, 400)}… (${bytes.length} bytes)` : text;
  return `seed ${seed}, round ${round}, body ${JSON.stringify(excerpt)}`;
}

function codesOf(report) {
  return report.errors.concat(report.warnings).map((issue) => issue.code);
}

// ---------------------------------------------------------------------------
// Generators of JSON text.

const WHITESPACE = [' ', '\t', '\n', '\r'];
const SHORT_ESCAPES = { '"': '\\"', '\\': '\\\\', '/': '\\/', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

// Characters for generated strings: ASCII, every character with a short
// escape, controls, two- three- and four-byte UTF-8, the line separators
// JSON allows raw, and the last code points of the BMP and of Unicode.
const STRING_CHARACTERS = [
  'a', 'Z', '0', '9', ' ', '~', '+', '-', '.', ':', '{', '}', '[', ']', ',',
  '"', '\\', '/', '\b', '\f', '\n', '\r', '\t', '\u0000', '\u0001', '\u001f', '\u007f',
  'é', 'ü', '\u00a0', '€', '中', '\u2028', '\u2029', '\ufeff', '\uffff', '😀', '𝄞', '\u{10ffff}',
];

function whitespace(random) {
  if (random.below(3) !== 0) return '';
  let text = '';
  for (let count = 1 + random.below(3); count > 0; count--) text += random.pick(WHITESPACE);
  return text;
}

function hex4(random, unit) {
  const digits = unit.toString(16).padStart(4, '0');
  return random.below(2) === 0 ? digits : digits.toUpperCase();
}

/** Returns `character` as a JSON escape: a short one where it exists, else \u, as a surrogate pair past the BMP. */
function escapeCharacter(random, character) {
  const short = SHORT_ESCAPES[character];
  if (short !== undefined && random.below(2) === 0) return short;
  const point = character.codePointAt(0);
  if (point <= 0xffff) return `\\u${hex4(random, point)}`;
  const high = 0xd800 + ((point - 0x10000) >> 10);
  const low = 0xdc00 + ((point - 0x10000) & 0x3ff);
  return `\\u${hex4(random, high)}\\u${hex4(random, low)}`;
}

/**
 * Writes `value` as a JSON string token. Characters that must be escaped
 * always are; the others are escaped once in `escapeOneIn` on average.
 */
function stringToken(random, value, escapeOneIn = 4) {
  let token = '"';
  for (const character of value) {
    const point = character.codePointAt(0);
    const mustEscape = character === '"' || character === '\\' || point < 0x20;
    token += mustEscape || random.below(escapeOneIn) === 0 ? escapeCharacter(random, character) : character;
  }
  return `${token}"`;
}

function randomText(random, maxLength = 8, pool = STRING_CHARACTERS) {
  let text = '';
  for (let length = random.below(maxLength + 1); length > 0; length--) text += random.pick(pool);
  return text;
}

/** Returns a \u escape of a surrogate that has no partner, in one of the forms JSON.parse accepts. */
function loneSurrogateEscape(random) {
  const high = 0xd800 + random.below(0x400);
  const low = 0xdc00 + random.below(0x400);
  switch (random.below(4)) {
    case 0:
      return `\\u${hex4(random, high)}`;
    case 1:
      return `\\u${hex4(random, low)}`;
    case 2:
      return `\\u${hex4(random, high)}\\u${hex4(random, high)}`;
    default:
      return `\\u${hex4(random, high)}x`;
  }
}

function digits(random, count, firstNonZero) {
  let text = firstNonZero ? String(1 + random.below(9)) : String(random.below(10));
  for (let index = 1; index < count; index++) text += String(random.below(10));
  return text;
}

/** Returns a JSON number: sign, integer part, fraction and exponent, sometimes hundreds of digits long. */
function numberToken(random) {
  const length = () => (random.below(12) === 0 ? 100 + random.below(400) : 1 + random.below(5));
  let token = random.below(3) === 0 ? '-' : '';
  token += random.below(4) === 0 ? '0' : digits(random, length(), true);
  if (random.below(3) === 0) token += `.${digits(random, length(), false)}`;
  if (random.below(3) === 0) token += `${random.pick(['e', 'E'])}${random.pick(['', '+', '-'])}${digits(random, length(), false)}`;
  return token;
}

/**
 * Generates one JSON value as text. `settings.loneSurrogates` lets strings
 * carry unpaired surrogate escapes, and `settings.duplicates` lets objects
 * repeat a key.
 */
function valueToken(random, depth, settings) {
  const kinds = depth >= settings.maxNesting ? 5 : 7;
  switch (random.below(kinds)) {
    case 0:
      return 'null';
    case 1:
      return 'true';
    case 2:
      return 'false';
    case 3:
      return numberToken(random);
    case 4:
      return generatedString(random, settings);
    case 5:
      return arrayToken(random, depth + 1, settings);
    default:
      return objectToken(random, depth + 1, settings);
  }
}

function generatedString(random, settings) {
  const token = stringToken(random, randomText(random), 1 + random.below(4));
  if (!settings.loneSurrogates || random.below(8) !== 0) return token;
  const at = 1 + random.below(token.length - 1);
  // Splitting an escape would change its meaning, so the surrogate goes at the end instead.
  const safeAt = token.slice(0, at).lastIndexOf('\\') === -1 ? at : token.length - 1;
  return `${token.slice(0, safeAt)}${loneSurrogateEscape(random)}${token.slice(safeAt)}`;
}

function arrayToken(random, depth, settings) {
  const items = [];
  for (let count = random.below(5); count > 0; count--) items.push(whitespace(random) + valueToken(random, depth, settings) + whitespace(random));
  return `[${items.join(',')}${items.length === 0 ? whitespace(random) : ''}]`;
}

function objectToken(random, depth, settings) {
  const keys = [];
  const members = [];
  for (let count = random.below(5); count > 0; count--) {
    const key = settings.duplicates && keys.length > 0 && random.below(6) === 0 ? random.pick(keys) : stringToken(random, randomText(random, 5), 3);
    keys.push(key);
    members.push(`${whitespace(random)}${key}${whitespace(random)}:${whitespace(random)}${valueToken(random, depth, settings)}${whitespace(random)}`);
  }
  return `{${members.join(',')}${members.length === 0 ? whitespace(random) : ''}}`;
}

/** Wraps `inner` in `levels` arrays or objects, to reach past the depth limit. */
function nestToken(random, inner, levels) {
  let token = inner;
  for (let level = 0; level < levels; level++) token = random.below(2) === 0 ? `[${token}]` : `{"d":${token}}`;
  return token;
}

function generateBody(random) {
  const settings = { maxNesting: 1 + random.below(5), loneSurrogates: random.below(4) === 0, duplicates: random.below(3) === 0 };
  let root;
  if (random.below(4) === 0) root = valueToken(random, 0, settings);
  else root = objectToken(random, 0, settings);
  if (random.below(20) === 0) {
    const inner = random.below(2) === 0 ? valueToken(random, 0, settings) : '[]';
    root = `{"deep":${nestToken(random, inner, 55 + random.below(20))}}`;
  }
  return Buffer.from(whitespace(random) + root + whitespace(random));
}

// Byte sequences that are not UTF-8: overlong forms, UTF-16 surrogates
// encoded as UTF-8, code points past U+10FFFF, stray continuation bytes and
// truncated sequences.
const INVALID_UTF8 = [
  [0xc0, 0x80], [0xc1, 0xbf], [0xe0, 0x80, 0x80], [0xe0, 0x9f, 0xbf], [0xf0, 0x80, 0x80, 0x80], [0xf0, 0x8f, 0xbf, 0xbf],
  [0xed, 0xa0, 0x80], [0xed, 0xbf, 0xbf], [0xf4, 0x90, 0x80, 0x80], [0xf5, 0x80, 0x80, 0x80], [0xff], [0xfe], [0x80], [0xbf],
  [0xc3], [0xe2, 0x82], [0xf0, 0x9f, 0x98],
];
const STRUCTURAL = [...'{}[]:,"\\ e.-0'].map((character) => character.charCodeAt(0));

/** Applies one to three random edits to `body`. */
function mutate(random, body) {
  let bytes = Array.from(body);
  for (let edit = 1 + random.below(3); edit > 0; edit--) {
    const at = random.below(bytes.length + 1);
    switch (random.below(8)) {
      case 0:
        if (bytes.length > 0) bytes[Math.min(at, bytes.length - 1)] = random.below(256);
        break;
      case 1:
        bytes = bytes.slice(0, at);
        break;
      case 2:
        bytes.splice(at, 0, random.pick(STRUCTURAL));
        break;
      case 3:
        bytes.splice(at, 1 + random.below(4));
        break;
      case 4:
        bytes.splice(at, 0, ...random.pick(INVALID_UTF8));
        break;
      case 5:
        bytes.splice(at, 0, random.below(0x20));
        break;
      case 6:
        bytes.unshift(0xef, 0xbb, 0xbf);
        break;
      default: {
        // Copies a slice elsewhere, which often repeats a key or a member.
        const start = random.below(bytes.length + 1);
        const piece = bytes.slice(start, start + 1 + random.below(12));
        bytes.splice(at, 0, ...piece);
      }
    }
  }
  return Buffer.from(bytes);
}

// ---------------------------------------------------------------------------
// The expected verdict.

/** Returns the deepest nesting of objects and arrays in `text`, counting the root as 1 and skipping strings. */
function maxNesting(text) {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let index = 0; index < text.length; index++) {
    const character = text[index];
    if (inString) {
      if (character === '\\') index++;
      else if (character === '"') inString = false;
    } else if (character === '"') inString = true;
    else if (character === '{' || character === '[') deepest = Math.max(deepest, ++depth);
    else if (character === '}' || character === ']') depth--;
  }
  return deepest;
}

/**
 * Checks whether JSON text that JSON.parse accepts has a \u escape of a
 * surrogate without its partner. It reads the text rather than the parsed value,
 * because with a duplicate key JSON.parse keeps only the last value.
 */
function hasLoneSurrogateEscape(text) {
  // In valid JSON a backslash only starts an escape inside a string, and
  // matching escapes left to right keeps "\\u" from being read as one.
  let lowExpectedAt = -1;
  for (const match of text.matchAll(/\\(?:u([0-9a-fA-F]{4})|[^u])/g)) {
    const unit = match[1] === undefined ? -1 : Number.parseInt(match[1], 16);
    if (lowExpectedAt !== -1) {
      if (match.index === lowExpectedAt && unit >= 0xdc00 && unit <= 0xdfff) {
        lowExpectedAt = -1;
        continue;
      }
      return true;
    }
    if (unit >= 0xd800 && unit <= 0xdbff) lowExpectedAt = match.index + match[0].length;
    else if (unit >= 0xdc00 && unit <= 0xdfff) return true;
  }
  return lowExpectedAt !== -1;
}

/**
 * Decodes `bytes` and runs JSON.parse on them. Returns { utf8: false, text }
 * when they are not UTF-8, else { utf8: true, text, ok, value }.
 */
function referenceParse(bytes) {
  let text;
  try {
    text = strictDecoder.decode(bytes);
  } catch {
    return { utf8: false, text: lenientDecoder.decode(bytes) };
  }
  try {
    return { utf8: true, text, ok: true, value: JSON.parse(text) };
  } catch {
    return { utf8: true, text, ok: false };
  }
}

/**
 * Compares the report of `bytes` with JSON.parse and returns the kind of
 * body it was, so that a test can check that every kind came up. The kind
 * 'non-object root then more' is the known disagreement tested on its own
 * below. Throws an assertion error for any other disagreement.
 */
function checkVerdict(report, bytes, options, where) {
  const codes = codesOf(report);
  const maxBytes = options.maxBytes ?? 1024 * 1024;
  const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;

  // Exception: a body over maxBytes is not read at all.
  if (bytes.length > maxBytes) {
    assert.deepEqual(codes, ['body_too_large'], `${where}: over maxBytes`);
    return 'over maxBytes';
  }
  assert.ok(!codes.includes('body_too_large'), `${where}: body_too_large within maxBytes`);

  const reference = referenceParse(bytes);
  const nesting = maxNesting(reference.text);
  // Exception: nesting past maxDepth stops the read, so the rest of the body is never judged.
  const tooDeepAllowed = nesting > maxDepth;

  if (reference.ok) {
    const loneSurrogate = hasLoneSurrogateEscape(reference.text);
    const isObject = reference.value !== null && typeof reference.value === 'object' && !Array.isArray(reference.value);
    if (tooDeepAllowed) {
      const allowed = loneSurrogate ? ['too_deep', 'invalid_json'] : ['too_deep'];
      assert.equal(codes.length, 1, `${where}: one issue for a body past maxDepth ${maxDepth}, received ${codes}`);
      assert.ok(allowed.includes(codes[0]), `${where}: expected ${allowed.join(' or ')} past maxDepth ${maxDepth}, received ${codes}`);
      return 'JSON past maxDepth';
    }
    if (loneSurrogate) {
      // Exception: JSON.parse accepts "\ud800", but an unpaired surrogate is
      // not a Unicode character, and the README documents it as invalid_json.
      assert.deepEqual(codes, ['invalid_json'], `${where}: lone surrogate escape`);
      return 'lone surrogate escape';
    }
    if (!isObject) {
      assert.deepEqual(codes, ['not_an_object'], `${where}: JSON.parse gives a non-object`);
      return 'JSON non-object';
    }
    // Duplicate keys are not an exception here: JSON.parse keeps the last
    // value, the validator reports duplicate_key, and both read the text as JSON.
    const stopped = codes.filter((code) => MALFORMED_CODES.has(code) || code === 'too_deep' || code === 'not_an_object');
    assert.deepEqual(stopped, [], `${where}: JSON.parse accepts this object`);
    return codes.includes('duplicate_key') ? 'JSON object with duplicate keys' : 'JSON object';
  }

  // JSON.parse rejects the text, or there is no text because the bytes are
  // not UTF-8 (the validator reports invalid_utf8, or the syntax error met first).
  assert.equal(report.valid, false, `${where}: JSON.parse rejects it, but the report is valid`);
  assert.equal(codes.length, 1, `${where}: a body that cannot be read has one issue, received ${codes}`);
  if (codes[0] === 'too_deep' && tooDeepAllowed) return 'not JSON, past maxDepth';
  if (codes[0] === 'not_an_object' && !reference.text.trimStart().startsWith('{')) return 'non-object root then more';
  assert.ok(MALFORMED_CODES.has(codes[0]), `${where}: expected one of ${[...MALFORMED_CODES].join(', ')}, received ${codes[0]} (utf8: ${reference.utf8})`);
  if (!reference.utf8 && codes[0] !== 'invalid_utf8') {
    // Another error may come before the first invalid byte, but not after it.
    const firstInvalid = firstInvalidUtf8Offset(bytes);
    assert.ok(report.errors[0].offset <= firstInvalid, `${where}: ${codes[0]} at ${report.errors[0].offset}, after the invalid byte at ${firstInvalid}`);
  }
  return reference.utf8 ? 'not JSON' : 'not UTF-8';
}

/**
 * Returns the offset of the first byte that does not start a valid UTF-8
 * sequence (Rust's `valid_up_to`), or the length when all of them are valid.
 */
function firstInvalidUtf8Offset(bytes) {
  let index = 0;
  while (index < bytes.length) {
    const lead = bytes[index];
    if (lead < 0x80) {
      index++;
      continue;
    }
    // Sequence length and the range of the second byte, by RFC 3629's table.
    let length;
    let low = 0x80;
    let high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) length = 2;
    else if (lead === 0xe0) [length, low] = [3, 0xa0];
    else if (lead === 0xed) [length, high] = [3, 0x9f];
    else if (lead >= 0xe1 && lead <= 0xef) length = 3;
    else if (lead === 0xf0) [length, low] = [4, 0x90];
    else if (lead >= 0xf1 && lead <= 0xf3) length = 4;
    else if (lead === 0xf4) [length, high] = [4, 0x8f];
    else return index;

    if (index + length > bytes.length) return index;
    if (bytes[index + 1] < low || bytes[index + 1] > high) return index;
    for (let next = 2; next < length; next++) {
      if ((bytes[index + next] & 0xc0) !== 0x80) return index;
    }
    index += length;
  }
  return index;
}

// ---------------------------------------------------------------------------
// The input forms the package accepts for the same bytes.

/** Copies `bytes` to a random offset inside a larger ArrayBuffer, with junk around them, and returns a view of the copy. */
function viewAtOffset(random, bytes) {
  const before = random.below(9);
  const buffer = new ArrayBuffer(before + bytes.length + random.below(9));
  const whole = new Uint8Array(buffer);
  whole.fill(0x7b);
  whole.set(bytes, before);
  return new Uint8Array(buffer, before, bytes.length);
}

function otherForms(random, bytes, reference) {
  const forms = [['Uint8Array view at an offset', viewAtOffset(random, bytes)]];
  const copy = new Uint8Array(bytes);
  forms.push(['ArrayBuffer', copy.buffer]);
  const view = viewAtOffset(random, bytes);
  forms.push(['DataView', new DataView(view.buffer, view.byteOffset, view.byteLength)]);
  if (reference.utf8) forms.push(['string', reference.text]);
  return forms;
}

// ---------------------------------------------------------------------------

describe('JSON syntax verdict', () => {
  const knownGap = [];

  function runRounds(label, rounds, makeBody, options = () => ({})) {
    const random = createRandom(SEED ^ label.length);
    const started = performance.now();
    const kinds = {};
    for (let round = 0; round < rounds; round++) {
      const bytes = makeBody(random);
      const settings = options(random, bytes);
      const where = `${label}, ${describeCase(SEED, round, bytes)}, options ${JSON.stringify(settings)}`;

      const report = cs.validate(bytes, settings);
      const kind = checkVerdict(report, bytes, settings, where);
      kinds[kind] = (kinds[kind] ?? 0) + 1;
      if (kind === 'non-object root then more') knownGap.push(where);

      // Every form of the same bytes gets the same report, positions included.
      if (round % 3 === 0) {
        const reference = referenceParse(bytes);
        for (const [form, input] of otherForms(random, bytes, reference)) {
          assert.deepEqual(cs.validate(input, settings), report, `${where}: as ${form}`);
        }
      }
    }
    return { kinds, milliseconds: performance.now() - started };
  }

  /** Asserts that the rounds reached every kind of body in `expected`. */
  function assertReached(kinds, expected) {
    for (const kind of expected) assert.ok(kinds[kind] > 0, `no generated body was of the kind "${kind}": ${JSON.stringify(kinds)}`);
  }

  /** Picks options: mostly the defaults, sometimes strict mode, a small maxDepth, or maxBytes at the body's length or one under. */
  function randomOptions(random, bytes) {
    switch (random.below(8)) {
      case 0:
        return { maxDepth: 1 + random.below(6) };
      case 1:
        return { maxBytes: Math.max(1, bytes.length - random.below(2)) };
      case 2:
        return { mode: 'strict' };
      default:
        return {};
    }
  }

  test('generated JSON agrees', (t) => {
    const { kinds, milliseconds } = runRounds('generated', GENERATED_ROUNDS, generateBody, randomOptions);
    t.diagnostic(`${GENERATED_ROUNDS} generated bodies in ${milliseconds.toFixed(0)} ms (seed ${SEED}): ${JSON.stringify(kinds)}`);
    assertReached(kinds, ['JSON object', 'JSON object with duplicate keys', 'JSON non-object', 'lone surrogate escape', 'JSON past maxDepth', 'over maxBytes']);
  });

  test('mutated JSON agrees', (t) => {
    const { kinds, milliseconds } = runRounds('mutated', MUTATED_ROUNDS, (random) => mutate(random, generateBody(random)), randomOptions);
    t.diagnostic(`${MUTATED_ROUNDS} mutated bodies in ${milliseconds.toFixed(0)} ms (seed ${SEED}): ${JSON.stringify(kinds)}`);
    assertReached(kinds, ['JSON object', 'not JSON', 'not UTF-8', 'not JSON, past maxDepth']);
  });

  test('non-object root then more is malformed', () => {
    // The reader checks that a non-object root is valid JSON before calling
    // it not_an_object, but not what follows it, so "[1] x" is called a
    // well-formed array although JSON.parse rejects it.
    for (const text of ['[1] x', '"a" "b"', '1 2', 'null,', 'true}']) {
      const codes = codesOf(cs.validate(text));
      assert.notDeepEqual(codes, ['not_an_object'], `${JSON.stringify(text)}: JSON.parse rejects it, so it is not a well-formed non-object`);
    }
    const notUtf8 = codesOf(cs.validate(Buffer.from([0x5b, 0x5d, 0x20, 0xff])));
    assert.deepEqual(notUtf8, ['invalid_utf8'], '"[] " then byte 0xFF');
    assert.deepEqual(knownGap.slice(0, 3), [], `${knownGap.length} generated or mutated bodies show the same disagreement`);
  });

  test('lone surrogate escapes are invalid', () => {
    for (const escape of ['\\ud800', '\\uDBFF', '\\udc00', '\\uDFFF', '\\ud800\\ud800', '\\ud800\\u0041', '\\udc00\\ud800']) {
      const text = `{"a":"x${escape}y"}`;
      assert.doesNotThrow(() => JSON.parse(text), 'JSON.parse accepts it, which is why this is an exception');
      assert.deepEqual(codesOf(cs.validate(text)), ['invalid_json'], escape);
    }
  });

  test('byte-order mark agrees', () => {
    const bytes = Buffer.from('\ufeff{}');
    assert.throws(() => JSON.parse(strictDecoder.decode(bytes)), SyntaxError);
    assert.deepEqual(codesOf(cs.validate(bytes)), ['invalid_json']);
  });
});

// ---------------------------------------------------------------------------
// Field values of valid-looking callStatus payloads.

const HEX_DIGITS = '0123456789abcdefABCDEF';
const CONSISTENT = [
  ['completed', 'farEndHangup'],
  ['completed', 'appHangup'],
  ['busy', 'busy'],
  ['failed', 'failed'],
  ['noAnswer', 'noAnswer'],
  ['canceled', 'callCanceled'],
];
// Characters for a caller id that is not E.164 (lenient mode keeps it).
const CALLER_CHARACTERS = ['A', 'n', 'o', 'y', ' ', '+', '1', '"', '\\', '/', '\u0000', '\n', 'é', '€', '😀', '\u2028', '\uffff'];
// Characters for a URL path: no whitespace or control characters, which make the URL invalid.
const URL_CHARACTERS = ['a', 'Z', '0', '-', '_', '.', '~', '%', '/', '?', '=', '&', 'é', '中', '😀', '"', '\\'];
const MAX_U64 = '18446744073709551615';

function id(random, prefix) {
  let text = prefix;
  for (let index = 0; index < 40; index++) text += random.pick(HEX_DIGITS);
  return text;
}

function phone(random) {
  return `+${digits(random, 1 + random.below(15), true)}`;
}

/**
 * Returns a duration as JSON text, and whether lenient (`valid`) and
 * strict (`clean`) mode accept it.
 */
function durationToken(random, allowEmpty) {
  switch (random.below(10)) {
    case 0: {
      const text = digits(random, 1 + random.below(3), false).padStart(1 + random.below(6), '0');
      return { token: stringToken(random, text, 2), valid: true, clean: true };
    }
    case 1:
      // Past 21600 s is only a warning, in strict mode too.
      return { token: stringToken(random, random.pick([MAX_U64, '9007199254740993', '4294967296', '21601']), 3), valid: true, clean: true };
    case 2:
      return { token: String(random.below(21601)), valid: true, clean: false };
    case 3:
      return { token: random.pick(['1e2', '12.0', '-0', '-5', '1E+2', '0.5', '37e0']), valid: false, clean: false };
    case 4:
      return { token: stringToken(random, random.pick(['1e2', ' 12', '12.0', '-0', '+1', '0x10', '١٢', '18446744073709551616']), 3), valid: false, clean: false };
    case 5:
      return { token: '""', valid: allowEmpty, clean: allowEmpty };
    case 6:
      return { token: '18446744073709551616', valid: false, clean: false };
    default: {
      const text = String(random.below(21601));
      return { token: stringToken(random, text, 3), valid: true, clean: true };
    }
  }
}

/**
 * Generates a callStatus body whose string values carry escapes, surrogate
 * pairs and non-ASCII text, with keys in random order and random spacing.
 * Returns the bytes and whether lenient and strict mode should accept it.
 */
function generatePayload(random) {
  const members = [];
  let valid = true;
  let clean = true;
  const add = (key, token) => members.push([key, token]);

  const [status, reason] = random.pick(CONSISTENT);
  const direction = random.pick(['inbound', 'outbound', 'outboundAPI', 'outboundDial']);
  add('requestType', stringToken(random, 'callStatus', 6));
  add('callId', stringToken(random, id(random, 'CA'), 6));
  add('accountId', stringToken(random, id(random, 'AC'), 6));

  for (const key of ['from', 'to']) {
    if (random.below(3) === 0) {
      const caller = randomText(random, 12, CALLER_CHARACTERS);
      add(key, stringToken(random, caller, 3));
      // The random text is sometimes E.164 by chance, such as "+1".
      clean &&= /^\+[1-9][0-9]{0,14}$/.test(caller);
    } else add(key, stringToken(random, phone(random), 5));
  }

  add('callStatus', stringToken(random, status, 6));
  switch (random.below(6)) {
    case 0:
      add('callEndedReason', stringToken(random, `new${randomText(random, 6, CALLER_CHARACTERS)}`, 3));
      clean = false;
      break;
    case 1:
      add('callEndedReason', 'null');
      clean = false;
      break;
    default:
      add('callEndedReason', stringToken(random, reason, 6));
  }
  add('direction', stringToken(random, direction, 6));

  for (const key of ['conferenceId', 'queueId']) {
    if (random.below(8) === 0) {
      add(key, stringToken(random, `${key === 'queueId' ? 'QU' : 'CF'}${randomText(random, 6, CALLER_CHARACTERS)}`, 3));
      clean = false;
    } else add(key, 'null');
  }

  if (random.below(10) === 0) clean = false;
  else {
    const duration = durationToken(random, false);
    add('callDuration', duration.token);
    valid &&= duration.valid;
    clean &&= duration.clean;
  }

  if (random.below(3) === 0) {
    const path = randomText(random, 10, URL_CHARACTERS);
    add('recordingUrl', stringToken(random, `https://example.com/recordings/${path}`, 3));
    add('recordingId', stringToken(random, id(random, 'RE'), 6));
    const duration = durationToken(random, true);
    add('recordingDurationSec', duration.token);
    valid &&= duration.valid;
    clean &&= duration.clean;
  }

  if (direction === 'outboundDial' || random.below(3) === 0) add('parentCallId', stringToken(random, id(random, 'CA'), 6));
  else add('parentCallId', 'null');

  // Shuffle the members so that no field relies on a position.
  for (let index = members.length - 1; index > 0; index--) {
    const other = random.below(index + 1);
    [members[index], members[other]] = [members[other], members[index]];
  }
  const text = members
    .map(([key, token]) => `${whitespace(random)}${stringToken(random, key, 12)}${whitespace(random)}:${whitespace(random)}${token}${whitespace(random)}`)
    .join(',');
  return { bytes: Buffer.from(`${whitespace(random)}{${text}}${whitespace(random)}`), valid, clean };
}

/** Converts a parsed duration to what the README documents for the payload: seconds as a number, null when missing. */
function seconds(value) {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number') return value;
  return value === '' ? 0 : Number(value);
}

/**
 * Builds the payload the README promises for a body that JSON.parse reads
 * as `parsed`: wire names, strings as decoded, durations as numbers, null for
 * the documented fields that are missing, and the recording fields only
 * when sent.
 */
function expectedPayload(parsed) {
  const payload = {
    requestType: parsed.requestType,
    callId: parsed.callId,
    accountId: parsed.accountId,
    from: parsed.from,
    to: parsed.to,
    callStatus: parsed.callStatus,
    callEndedReason: parsed.callEndedReason ?? null,
    direction: parsed.direction,
    conferenceId: parsed.conferenceId ?? null,
    queueId: parsed.queueId ?? null,
    callDuration: seconds(parsed.callDuration),
  };
  if (parsed.recordingUrl !== undefined) {
    payload.recordingUrl = parsed.recordingUrl;
    payload.recordingId = parsed.recordingId;
    payload.recordingDurationSec = seconds(parsed.recordingDurationSec);
  }
  payload.parentCallId = parsed.parentCallId ?? null;
  return payload;
}

describe('callStatus field values', () => {
  test('payload equals JSON.parse', (t) => {
    const random = createRandom(SEED ^ 0xca11);
    const started = performance.now();
    const counts = { valid: 0, invalid: 0, strictValid: 0 };
    const lines = [];

    for (let round = 0; round < PAYLOAD_ROUNDS; round++) {
      const { bytes, valid, clean } = generatePayload(random);
      const where = `payload, ${describeCase(SEED, round, bytes)}`;
      const text = strictDecoder.decode(bytes);
      const parsed = JSON.parse(text);
      const expected = expectedPayload(parsed);

      const report = cs.validate(bytes);
      assert.equal(report.valid, valid, `${where}: lenient verdict, issues ${JSON.stringify(codesOf(report))}`);
      if (valid) {
        counts.valid++;
        assert.deepEqual(report.payload, expected, `${where}: payload`);
        assert.deepEqual(cs.parse(bytes), expected, `${where}: parse()`);
      } else {
        counts.invalid++;
        assert.ok(codesOf(report).includes('invalid_duration'), `${where}: only a duration makes it invalid, received ${codesOf(report)}`);
        assert.throws(() => cs.parse(bytes), cs.ValidationError, `${where}: parse() throws`);
      }

      const strict = cs.validate(bytes, { mode: 'strict' });
      assert.equal(strict.valid, valid && clean, `${where}: strict verdict, issues ${JSON.stringify(codesOf(strict))}`);
      if (strict.valid) {
        counts.strictValid++;
        assert.deepEqual(strict.payload, expected, `${where}: strict payload`);
      }

      // The other input forms, and the already-parsed object, give the same payload.
      assert.deepEqual(cs.validate(text), report, `${where}: as a string`);
      assert.deepEqual(cs.validate(viewAtOffset(random, bytes)), report, `${where}: as a view at an offset`);
      if (valid) assert.deepEqual(cs.validate(parsed).payload, expected, `${where}: as a parsed object`);

      // Raw CR and LF only appear as whitespace between tokens (JSON escapes them in strings), so spaces can replace them.
      lines.push({ text: text.replace(/[\r\n]/g, ' '), valid, codes: codesOf(report) });
    }

    // The same bodies as one NDJSON batch get the same verdicts and issues.
    const batch = cs.validateMany(lines.map((line) => line.text).join('\n'), { maxReports: PAYLOAD_ROUNDS });
    assert.equal(batch.total, lines.length);
    assert.equal(batch.valid, lines.filter((line) => line.valid).length);
    const expectedReports = lines.flatMap((line, index) => (line.codes.length > 0 ? [[index + 1, line.valid, line.codes]] : []));
    const actualReports = batch.reports.map((line) => [line.line, line.valid, codesOf(line)]);
    assert.deepEqual(actualReports, expectedReports, `seed ${SEED}: validateMany against validate()`);

    t.diagnostic(`${PAYLOAD_ROUNDS} payloads (${counts.valid} valid, ${counts.invalid} invalid, ${counts.strictValid} strict-valid), ${lines.length} as NDJSON, in ${(performance.now() - started).toFixed(0)} ms (seed ${SEED})`);
    assert.ok(counts.valid > PAYLOAD_ROUNDS / 3, 'most generated payloads are valid');
    assert.ok(counts.strictValid > 50, 'some generated payloads are valid in strict mode');
  });

  test('duration spellings', () => {
    // The README accepts a string of ASCII digits, or in lenient mode a JSON
    // integer written as plain digits. Other spellings are rejected, even
    // where JSON.parse gives them a whole-number value, as for 1e2 and 12.0.
    const base = (token) => generatePayloadWithDuration(token);
    for (const [token, expected] of [
      ['"37"', 37],
      ['"0037"', 37],
      ['"\\u0033\\u0037"', 37],
      ['37', 37],
      ['0', 0],
      [`"${MAX_U64}"`, 18446744073709551615],
      ['"9007199254740993"', 9007199254740992],
    ]) {
      const report = cs.validate(base(token));
      assert.equal(report.valid, true, `${token}: ${codesOf(report)}`);
      assert.equal(report.payload.callDuration, expected, token);
      assert.equal(report.payload.callDuration, seconds(JSON.parse(token)), `${token}: JSON.parse then Number()`);
    }
    for (const token of ['1e2', '12.0', '-0', '1E+2', '"1e2"', '"12.0"', '"-0"', '""', '18446744073709551616', `"${MAX_U64}0"`]) {
      assert.deepEqual(codesOf(cs.validate(base(token))).filter((code) => code === 'invalid_duration'), ['invalid_duration'], token);
    }
  });
});

function generatePayloadWithDuration(token) {
  return Buffer.from(
    '{"requestType":"callStatus","callId":"CAccb0b00506553cda09b51c5477f672a49e0b2213",' +
      '"accountId":"AC1334ffb694cd8d969f51cddf5f7c9b478546d50c","from":"+13121000109","to":"+13121000096",' +
      `"callStatus":"completed","callEndedReason":"farEndHangup","direction":"inbound","conferenceId":null,"queueId":null,"callDuration":${token},"parentCallId":null}`,
  );
}
