// Holds the JSON Schema shipped in pkg/schema.json to the validator's strict
// mode: on every corpus case that a JSON Schema can judge, ajv must give the
// same verdict as validate(body, { mode: 'strict' }) and flag at least the
// same top-level fields.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { createPackageSandbox } from './helpers/package.mjs';
import { createRandom } from './helpers/prng.mjs';

const require = createRequire(import.meta.url);
const callstatus = require('../../pkg/node/index.cjs');
const schema = JSON.parse(readFileSync(new URL('../../pkg/schema.json', import.meta.url), 'utf8'));
const manifest = JSON.parse(readFileSync(new URL('../../pkg/package.json', import.meta.url), 'utf8'));
const corpus = JSON.parse(readFileSync(new URL('../fixtures/corpus.json', import.meta.url), 'utf8'));

// Codes whose rule reads the raw bytes. JSON Schema only ever sees the
// value JSON.parse returns, so a case with one of these codes is skipped.
const RAW_BODY_CODES = new Map([
  ['empty_body', 'JSON.parse throws on an empty body before a schema runs'],
  ['invalid_json', 'JSON.parse throws, except on lone surrogate escapes, which it accepts'],
  ['invalid_utf8', 'decoding replaces invalid bytes with U+FFFD, so JSON.parse sees another body'],
  ['trailing_data', 'JSON.parse throws on data after the value'],
  ['duplicate_key', 'JSON.parse keeps the last value of a repeated key'],
  ['body_too_large', 'maxBytes limits the raw body'],
  ['too_deep', 'maxDepth limits the nesting while reading; a schema has no depth limit'],
]);

// Cases whose strict verdict depends on a check the schema leaves out.
const EXCLUDED_CASES = new Map([
  ['callDuration overflows 64 bits', 'the digit pattern does not bound the value to 64 bits'],
]);

function compileSchema() {
  // strict: true makes ajv reject keywords it would otherwise ignore, so a
  // typo in the schema fails here instead of silently passing everything.
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  return ajv.compile(schema);
}

function bodyText(entry) {
  if (entry.body !== undefined) return entry.body;
  return Buffer.from(entry.bodyBase64, 'base64').toString('utf8');
}

function bodyBytes(entry) {
  if (entry.body !== undefined) return Buffer.from(entry.body, 'utf8');
  return Buffer.from(entry.bodyBase64, 'base64');
}

function codesOf(expected) {
  return expected.issues.map((issue) => issue.split(' ')[1]);
}

/** The reason a case is skipped, or undefined when the schema must agree on it. */
function exclusionReason(entry) {
  if (EXCLUDED_CASES.has(entry.name)) return EXCLUDED_CASES.get(entry.name);
  const rawCode = codesOf(entry.strict).find((code) => RAW_BODY_CODES.has(code));
  if (rawCode !== undefined) return `${rawCode}: ${RAW_BODY_CODES.get(rawCode)}`;
  return undefined;
}

/** Escapes a key as one JSON Pointer token, as the validator writes paths. */
function pointerToken(key) {
  return key.replaceAll('~', '~0').replaceAll('/', '~1');
}

/** Returns the first token of a JSON Pointer, so "/extra/k" and "/extra" compare equal. */
function topLevel(pointer) {
  const second = pointer.indexOf('/', 1);
  return second === -1 ? pointer : pointer.slice(0, second);
}

/** Returns the JSON Pointer of the field an ajv error is about. */
function ajvPath(error) {
  // ajv puts required and additionalProperties errors on the parent object
  // and names the field in params.
  if (error.keyword === 'required') return `${error.instancePath}/${pointerToken(error.params.missingProperty)}`;
  if (error.keyword === 'additionalProperties') {
    return `${error.instancePath}/${pointerToken(error.params.additionalProperty)}`;
  }
  return error.instancePath;
}

/** JSON-quotes a string and escapes the invisible characters JSON.stringify keeps. */
function visible(text) {
  return JSON.stringify(text).replace(/[\u007f-\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff]/gu, (character) => {
    return `\\u${character.codePointAt(0).toString(16).padStart(4, '0')}`;
  });
}

test('schema compiles under ajv strict mode', () => {
  assert.doesNotThrow(compileSchema);
  assert.equal(schema.$schema, 'https://json-schema.org/draft/2020-12/schema');
  assert.equal(typeof schema.$id, 'string');
  assert.equal(typeof schema.title, 'string');
  assert.equal(typeof schema.description, 'string');
});

test('schema.json ships in the package', () => {
  assert.equal(manifest.exports['./schema.json'], './schema.json');
  assert.ok(manifest.files.includes('schema.json'));
  const source = JSON.parse(readFileSync(new URL('../../schema/callstatus.schema.json', import.meta.url), 'utf8'));
  assert.deepEqual(schema, source, 'pkg/schema.json is stale: run make pkg');
});

test('schema.json resolves by package name', () => {
  const sandbox = createPackageSandbox();
  try {
    const requireInSandbox = createRequire(join(sandbox.folder, 'index.cjs'));
    assert.deepEqual(requireInSandbox('freeclimb-callstatus/schema.json'), schema);
  } finally {
    sandbox.remove();
  }
});

test('every excluded case is in the corpus', () => {
  const names = new Set(corpus.cases.map((entry) => entry.name));
  for (const name of EXCLUDED_CASES.keys()) assert.ok(names.has(name), `no corpus case named "${name}"`);
});

test('schema verdicts match strict mode', () => {
  const check = compileSchema();
  let agreed = 0;
  let invalidAgreed = 0;

  for (const entry of corpus.cases) {
    if (entry.options && (entry.options.maxBytes !== undefined || entry.options.maxDepth !== undefined)) continue;
    if (exclusionReason(entry) !== undefined) continue;

    let value;
    try {
      value = JSON.parse(bodyText(entry));
    } catch (error) {
      assert.fail(`${entry.name}: JSON.parse failed (${error.message}) but no excluded code covers the case`);
    }

    const ours = callstatus.validate(bodyBytes(entry), { ...entry.options, mode: 'strict' });
    assert.equal(ours.valid, entry.strict.valid, `${entry.name}: the validator disagrees with the corpus`);

    const schemaValid = check(value);
    const ajvErrors = JSON.stringify((check.errors ?? []).map((error) => `${error.keyword} ${ajvPath(error)}`));
    assert.equal(schemaValid, ours.valid, `${entry.name}: ajv returns ${schemaValid} (${ajvErrors}), strict mode ${ours.valid}`);
    agreed++;
    if (!ours.valid) invalidAgreed++;
  }

  // The corpus has 162 cases, and most of them must reach the comparison.
  assert.ok(agreed >= 110, `only ${agreed} corpus cases were compared`);
  assert.ok(invalidAgreed >= 70, `only ${invalidAgreed} invalid corpus cases were compared`);
});

test('schema flags the fields strict mode flags', () => {
  const check = compileSchema();
  let compared = 0;

  for (const entry of corpus.cases) {
    if (entry.strict.valid || exclusionReason(entry) !== undefined) continue;
    if (entry.options && (entry.options.maxBytes !== undefined || entry.options.maxDepth !== undefined)) continue;

    const ours = callstatus.validate(bodyBytes(entry), { ...entry.options, mode: 'strict' });
    // too_many_issues is on the whole body and counts the issues left out,
    // so it maps to no field.
    const ourPaths = new Set(
      ours.errors.filter((issue) => issue.code !== 'too_many_issues').map((issue) => topLevel(issue.path)),
    );

    check(JSON.parse(bodyText(entry)));
    const schemaPaths = new Set((check.errors ?? []).map((error) => topLevel(ajvPath(error))));

    for (const path of ourPaths) {
      assert.ok(schemaPaths.has(path), `${entry.name}: strict mode flags "${path}", ajv flags only ${JSON.stringify([...schemaPaths])}`);
    }
    compared++;
  }
  assert.ok(compared >= 70, `only ${compared} invalid cases were compared`);
});

test('recordingUrl pattern matches the validator', () => {
  // The schema's recordingUrl pattern restates the validator's URL check, so
  // random URL-like strings must get the same verdict from both. The format
  // check is left out here because RFC 3986 rejects more than the validator does.
  const pattern = new RegExp(schema.properties.recordingUrl.anyOf[1].pattern, 'u');
  const recorded = JSON.parse(corpus.cases.find((entry) => entry.name === 'recorded call').body);
  const pieces = [
    'http', 'HTTPS', 'hTtP', 'ftp', 's', '://', ':', '/', '?', '#', '@', '[', ']', '::1', '[::1]', ':80', ':65535', ':123456', '80',
    'example.com', 'example.com', 'a', '.', '-', '%20', '|', 'é', ' ', '\t', '\u00a0', '\u0085', '\u2003', '\u3000',
    '\ufeff', '\u0000',
  ];

  // A fixed seed keeps failures reproducible.
  const random = createRandom(12345);

  let accepted = 0;
  for (let round = 0; round < 5000; round++) {
    // Most strings start with a scheme, half of those with a host name or
    // an IPv6 literal, so the host, port and path rules all get exercised.
    const scheme = ['http://', 'https://', 'HTTP://'][Math.floor(round / 4) % 3];
    let url = ['', scheme, `${scheme}example.com`, `${scheme}[::1]`][round % 4];
    const count = 1 + random.below(5);
    for (let index = 0; index < count; index++) url += random.pick(pieces);

    const body = Buffer.from(JSON.stringify({ ...recorded, recordingUrl: url }));
    const report = callstatus.validate(body, { mode: 'strict' });
    const validatorAccepts = !report.errors.some((issue) => issue.code === 'invalid_url');
    assert.equal(pattern.test(url), validatorAccepts, `recordingUrl ${visible(url)}`);
    if (validatorAccepts) accepted++;
  }

  // Both verdicts must occur often, or the comparison proves little.
  assert.ok(accepted > 750, `only ${accepted} of 5000 generated URLs were valid`);
  assert.ok(accepted < 4000, `${accepted} of 5000 generated URLs were valid`);
});
