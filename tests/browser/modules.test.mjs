// Node tests of the page's DOM-free modules: position conversion, NDJSON
// splitting, durations, masking and the share-link state. The browser
// tests drive the same code through the page; these pin its edge cases.

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

import { issueRange, lineColumnToIndex, lineOfIndex, rootObjectRange } from '../../www/editor.js';
import { buildFieldRows, formatDuration, readRawFields } from '../../www/fields.js';
import { splitRecords } from '../../www/records.js';
import { SAMPLES } from '../../www/samples.js';
import { buildShareUrl, decodeState, encodeState, maskPayloadText, maskPhoneNumber } from '../../www/share.js';

const require = createRequire(import.meta.url);
const callstatus = require('../../pkg/node/index.cjs');

/** UTF-16 index of a UTF-8 byte offset, computed the slow and obvious way. */
function utf16IndexOfByteOffset(text, offset) {
  return Buffer.from(text, 'utf8').subarray(0, offset).toString('utf8').length;
}

describe('lineColumnToIndex', () => {
  test('ASCII positions', () => {
    const text = '{\n  "a": 1\n}';
    assert.equal(lineColumnToIndex(text, 1, 1), 0);
    assert.equal(lineColumnToIndex(text, 2, 3), 4);
    assert.equal(lineColumnToIndex(text, 3, 1), text.length - 1);
  });

  test('astral character is one column', () => {
    const text = '"😀x"';
    assert.equal(lineColumnToIndex(text, 1, 3), 3);
    assert.equal(lineColumnToIndex(text, 1, 4), 4);
  });

  test('clamps past line and text end', () => {
    const text = 'ab\ncd';
    assert.equal(lineColumnToIndex(text, 1, 10), 2);
    assert.equal(lineColumnToIndex(text, 5, 1), text.length);
  });

  test('agrees with the byte offsets of validate', () => {
    const texts = [
      ...SAMPLES.map((entry) => entry.text),
      '{"callerNote":"📞👩‍💻 café ñ 中文","callId":"CA12","from":"☎️"}',
      '{\n\t"note": "𝄞𝄞𝄞",\n\t"callId" "CA"\n}',
      '{"a":"\u2028","b":"😀",',
    ];
    for (const text of texts) {
      const report = callstatus.validate(text, { mode: 'strict' });
      for (const issue of [...report.errors, ...report.warnings]) {
        if (issue.offset === undefined) continue;
        const range = issueRange(text, issue);
        const start = utf16IndexOfByteOffset(text, issue.offset);
        const end = utf16IndexOfByteOffset(text, Math.min(issue.offset + issue.length, Buffer.byteLength(text)));
        assert.equal(range.start, start, `start of ${issue.code} ${issue.path} in ${JSON.stringify(text.slice(0, 40))}`);
        // An error at the very end has a length of 1 but no character to cover.
        const expectedEnd = issue.line === issue.endLine && issue.column === issue.endColumn ? start : end;
        assert.equal(range.end, expectedEnd, `end of ${issue.code} ${issue.path} in ${JSON.stringify(text.slice(0, 40))}`);
      }
    }
  });

  test('issue without position has no range', () => {
    assert.equal(issueRange('{}', { path: '/callId', code: 'missing_field' }), null);
  });

  test('root object range skips leading blanks', () => {
    assert.deepEqual(rootObjectRange('  \n {"a":1}'), { start: 4, end: 5 });
    assert.deepEqual(rootObjectRange('[1]'), { start: 0, end: 0 });
    assert.deepEqual(rootObjectRange('   '), { start: 3, end: 3 });
  });

  test('lineOfIndex counts from 1', () => {
    assert.equal(lineOfIndex('a\nb\nc', 0), 1);
    assert.equal(lineOfIndex('a\nb\nc', 2), 2);
    assert.equal(lineOfIndex('a\nb\nc', 4), 3);
  });
});

describe('splitRecords', () => {
  test('pretty-printed object is one record', () => {
    const text = SAMPLES.find((entry) => entry.id === 'completed').text;
    assert.deepEqual(splitRecords(text), { ndjson: false, records: [{ text, start: 0, line: 1 }] });
  });

  test('one-line object is one record', () => {
    assert.equal(splitRecords('{"a":1}\n').ndjson, false);
  });

  test('object lines become records', () => {
    assert.deepEqual(splitRecords('{"a":1}\n\n  {"b":2}  \n'), {
      ndjson: true,
      records: [
        { text: '{"a":1}', start: 0, line: 1 },
        { text: '  {"b":2}  ', start: 9, line: 3 },
      ],
    });
  });

  test('unclosed object line means no log', () => {
    assert.equal(splitRecords('{"a":1}\n  {"b":2}\n{"c":\n').ndjson, false);
  });

  test('CR before LF is not part of a record', () => {
    const { records } = splitRecords('{"a":1}\r\n{"b":2}\r\n');
    assert.deepEqual(records.map((record) => record.text), ['{"a":1}', '{"b":2}']);
  });

  test('broken object line stays a record', () => {
    const { ndjson, records } = splitRecords('{"a":1}\n{"b":,}\n');
    assert.equal(ndjson, true);
    assert.equal(records[1].text, '{"b":,}');
  });
});

describe('formatDuration', () => {
  const cases = [
    [0, '0 s'],
    [37, '37 s'],
    [60, '1 min'],
    [65, '1 min 5 s'],
    [3600, '1 h'],
    [3604, '1 h 4 s'],
    [7384, '2 h 3 min 4 s'],
    [21600, '6 h'],
  ];
  for (const [seconds, expected] of cases) {
    test(`${seconds} s reads "${expected}"`, () => {
      assert.equal(formatDuration(seconds), expected);
    });
  }
});

describe('buildFieldRows', () => {
  const meanings = callstatus.meanings();

  test('rows follow the documented order', () => {
    const rows = buildFieldRows({ extra: 1, callStatus: 'busy', requestType: 'callStatus' }, [], meanings);
    assert.deepEqual(rows.map((row) => row.name), ['requestType', 'callStatus', 'extra']);
    assert.equal(rows[1].meaning, meanings.callStatus.busy);
    assert.equal(rows[2].meaning, 'Not part of the callStatus webhook');
  });

  test('missing field gets a row', () => {
    const issues = [{ path: '/to', code: 'missing_field', severity: 'error', message: '' }];
    const rows = buildFieldRows({ from: '+13125550109' }, issues, meanings);
    assert.deepEqual(rows[1], { name: 'to', value: { text: 'missing', type: 'missing' }, meaning: '', severity: 'error' });
  });

  test('unknown enum value is named', () => {
    const [row] = buildFieldRows({ callEndedReason: 'alienAbduction' }, [], meanings);
    assert.equal(row.meaning, '"alienAbduction" is not a documented callEndedReason value.');
  });

  test('numeric duration still reads in units', () => {
    const [row] = buildFieldRows({ callDuration: 125 }, [], meanings);
    assert.equal(row.value.text, '125');
    assert.equal(row.meaning, '2 min 5 s, ring time included');
  });
});

describe('readRawFields', () => {
  test('repeated key keeps its first value', () => {
    assert.deepEqual({ ...readRawFields('{"callStatus":"ringing","x":1,"callStatus":"completed"}') }, {
      callStatus: 'ringing',
      x: 1,
    });
  });

  test('nested values and escapes are skipped whole', () => {
    const text = ' { "a" : [1, {"b": "}]\\""}] , "c":"q\\"" ,"d" : -1.5e3, "e":null } ';
    assert.deepEqual({ ...readRawFields(text) }, JSON.parse(text));
  });

  test('__proto__ stays a plain key', () => {
    const fields = readRawFields('{"__proto__":{"polluted":true}}');
    assert.deepEqual(Object.keys(fields), ['__proto__']);
    assert.equal({}.polluted, undefined);
  });

  test('non-objects give undefined', () => {
    for (const text of ['[1]', '"s"', 'null', '{"a":', '']) {
      assert.equal(readRawFields(text), undefined, text);
    }
  });
});

describe('masking', () => {
  test('E.164 keeps plus and last 2 digits', () => {
    // The same scheme as validate(..., { maskPersonalData: true }).
    assert.equal(maskPhoneNumber('+13125550109'), '+*********09');
    assert.equal(maskPhoneNumber('+442071838750'), '+**********50');
    assert.equal(maskPhoneNumber('+12345678'), '+******78');
  });

  test('short values are hidden whole', () => {
    assert.equal(maskPhoneNumber('+4930123'), '+*****23');
    assert.equal(maskPhoneNumber('+1'), '+*');
    assert.equal(maskPhoneNumber('1234'), '****');
  });

  test('non-numbers are masked too', () => {
    assert.equal(maskPhoneNumber('anonymous'), '*******us');
    assert.equal(maskPhoneNumber(''), '');
  });

  test('payload text changes only from and to', () => {
    const text = '{\n  "from" :  "+13125550109",\n  "to":"+17735550142",\n  "note": "+13125550109", "parentCallId": null\n}';
    const expected = '{\n  "from" :  "+*********09",\n  "to":"+*********42",\n  "note": "+13125550109", "parentCallId": null\n}';
    assert.equal(maskPayloadText(text), expected);
  });

  test('escaped key and non-string value', () => {
    assert.equal(maskPayloadText('{"fr\\u006fm":"+13125550109","to":null}'), '{"fr\\u006fm":"+*********09","to":null}');
  });

  test('value that looks like a key', () => {
    // "to" here is a value, so the string after it is not masked.
    assert.equal(maskPayloadText('{"x":"to","y":"+13125550109"}'), '{"x":"to","y":"+13125550109"}');
  });

  test('broken JSON is masked where readable', () => {
    assert.equal(maskPayloadText('{"from":"+13125550109",,, "to": "+1773'), '{"from":"+*********09",,, "to": "+1773');
  });
});

describe('share state', () => {
  test('round trip keeps Unicode text', () => {
    const state = { text: '{"note":"📞 café \u2028"}', mode: 'strict', header: 't=1,v1=ab', record: 2 };
    assert.deepEqual(decodeState(`#${encodeState(state)}`), state);
  });

  test('fragment is base64url without padding', () => {
    const encoded = encodeState({ text: '???>>>', mode: 'lenient' });
    assert.match(encoded, /^[A-Za-z0-9_-]+$/);
  });

  test('share URL replaces only the fragment', () => {
    const url = buildShareUrl('http://127.0.0.1:8080/?x=1#old', { text: '{}', mode: 'lenient' });
    assert.ok(url.startsWith('http://127.0.0.1:8080/?x=1#'));
    assert.equal(decodeState(new URL(url).hash).text, '{}');
  });

  test('unknown fields such as a secret are dropped', () => {
    const encoded = encodeState({ text: '{}', mode: 'lenient', secret: 'sigsec_abc' });
    assert.equal(Buffer.from(encoded, 'base64url').toString('utf8').includes('sigsec_abc'), false);
  });

  test('malformed fragments throw', () => {
    assert.throws(() => decodeState('#not*base64'), /not base64url/);
    assert.throws(() => decodeState(`#${Buffer.from('{"v":9,"text":""}').toString('base64url')}`), /version 1/);
    assert.throws(() => decodeState(`#${Buffer.from('{"v":1}').toString('base64url')}`), /no payload text/);
    assert.throws(() => decodeState(`#${Buffer.from([0xff, 0xfe]).toString('base64url')}`));
  });

  test('unknown mode falls back to lenient', () => {
    const encoded = Buffer.from(JSON.stringify({ v: 1, text: '{}', mode: 'loose' })).toString('base64url');
    assert.equal(decodeState(encoded).mode, 'lenient');
  });
});
