// validateMany() against validate(): the batch path must give every line
// the verdict and issues it gets alone.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const callstatus = require('../../pkg/node/index.cjs');
const corpus = JSON.parse(readFileSync(new URL('../fixtures/corpus.json', import.meta.url), 'utf8'));

/** Corpus bodies that fit on one NDJSON line and need no per-case options. */
const lineCases = corpus.cases.filter(
  (entry) => entry.body !== undefined && !/[\n\r]/.test(entry.body) && entry.body.trim() !== '' && entry.options === undefined,
);

function strip(issue) {
  return { path: issue.path, code: issue.code, severity: issue.severity, message: issue.message };
}

for (const mode of ['lenient', 'strict']) {
  test(`batch agrees with single validation, ${mode}`, () => {
    const text = lineCases.map((entry) => entry.body).join('\n');
    const batch = callstatus.validateMany(Buffer.from(text), { mode });

    assert.equal(batch.lines, lineCases.length);
    assert.equal(batch.total, lineCases.length);
    assert.deepEqual(batch.blankLines, []);

    let valid = 0;
    const reported = new Map(batch.reports.map((report) => [report.line, report]));
    lineCases.forEach((entry, index) => {
      const single = callstatus.validate(entry.body, { mode });
      if (single.valid) valid++;
      const line = reported.get(index + 1);
      if (single.errors.length + single.warnings.length === 0) {
        assert.equal(line, undefined, `${entry.name}: a clean payload is only counted`);
        return;
      }
      assert.ok(line, `${entry.name}: a payload with issues is reported`);
      assert.equal(line.valid, single.valid, entry.name);
      assert.deepEqual(line.errors.map(strip), single.errors.map(strip), entry.name);
      assert.deepEqual(line.warnings.map(strip), single.warnings.map(strip), entry.name);
    });
    assert.equal(batch.valid, valid);
    assert.equal(batch.invalid, lineCases.length - valid);
  });
}

test('blank lines are skipped and counted', () => {
  const clean = corpus.cases.find((entry) => entry.name === 'completed inbound farEndHangup').body;
  const batch = callstatus.validateMany(`\n${clean}\r\n  \n${clean}`);
  assert.equal(batch.lines, 4);
  assert.equal(batch.total, 2);
  assert.equal(batch.valid, 2);
  assert.deepEqual(batch.blankLines, [1, 3]);
  assert.deepEqual(batch.reports, []);
});

test('maxBytes limits each line', () => {
  const clean = corpus.cases.find((entry) => entry.name === 'completed inbound farEndHangup').body;
  const long = clean.replace('}', `,"pad":"${'x'.repeat(400)}"}`);
  const batch = callstatus.validateMany([clean, long, clean].join('\n'), { maxBytes: clean.length + 10 });
  assert.equal(batch.valid, 2);
  assert.equal(batch.invalid, 1);
  assert.equal(batch.reports[0].line, 2);
  assert.equal(batch.reports[0].errors[0].code, 'body_too_large');
});

test('empty input has no lines', () => {
  assert.deepEqual(callstatus.validateMany(''), { lines: 0, total: 0, valid: 0, invalid: 0, droppedReports: 0, blankLines: [], reports: [] });
});

test('bad input type throws TypeError', () => {
  assert.throws(() => callstatus.validateMany({ a: 1 }), TypeError);
  assert.throws(() => callstatus.validateMany(7), /"input"/);
});

test('reports past maxReports are only counted', () => {
  const batch = callstatus.validateMany('{}\n'.repeat(50), { maxReports: 10 });
  assert.equal(batch.total, 50);
  assert.equal(batch.invalid, 50);
  assert.equal(batch.reports.length, 10);
  assert.equal(batch.droppedReports, 40);
  assert.deepEqual(batch.reports.map((report) => report.line), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
});
