// End-to-end tests of the inspector page in headless Chromium, against the
// real package build in pkg/ served by scripts/serve.mjs. Run with
// `make test-browser`.

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { copyFile, mkdir } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { SAMPLES } from '../../www/samples.js';
import { decodeState, maskPhoneNumber } from '../../www/share.js';
import {
  editorSelection,
  loadSample,
  setPayload,
  shownIssues,
  startInspector,
  verdict,
  waitForResult,
} from './harness.mjs';

const require = createRequire(import.meta.url);
const callstatus = require('../../pkg/node/index.cjs');

const HERE = path.dirname(fileURLToPath(import.meta.url));
const SCREENSHOTS = path.join(HERE, 'screenshots');
const README_IMAGE = path.join(HERE, '..', '..', 'docs', 'inspector.png');

const SECRET = 'sigsec_ead6d3b6904196c60835d039e91b3341c77a7793';

const sample = (id) => SAMPLES.find((candidate) => candidate.id === id);

/** Returns the issues that Node's build of the package reports, in the page's order. */
function nodeIssues(text, mode = 'lenient') {
  const report = callstatus.validate(text, { mode });
  return [...report.errors, ...report.warnings].map(({ code, path: pointer, severity }) => ({
    code,
    path: pointer,
    severity,
  }));
}

/** Computes a FreeClimb-Signature header the way FreeClimb documents it. */
function signHeader(body, secret, timestamp) {
  const signature = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${signature}`;
}

function nowSeconds() {
  return Math.floor(Date.now() / 1000);
}

async function clickIssue(page, pointer, code) {
  await page.click(`#issues button[data-path="${pointer}"][data-code="${code}"]`);
}

/** A valid single-line payload with a note holding astral and accented characters before callId. */
const ASTRAL_LINE =
  '{"requestType":"callStatus","callerNote":"📞👩‍💻 café","callId":"CA12","accountId":"AC07f210ff31de920b22925763f25083adc8b45a26",' +
  '"from":"+13125550109","to":"+17735550142","callStatus":"completed","callEndedReason":"farEndHangup","direction":"inbound",' +
  '"conferenceId":null,"queueId":null,"callDuration":"65","parentCallId":null}';

let inspector;
let page;

before(async () => {
  inspector = await startInspector();
  page = await inspector.newPage();
});

after(async () => {
  await inspector?.close();
});

describe('issues', () => {
  test('bad ids sample lists expected issues', async () => {
    await loadSample(page, 'bad-ids');

    const issues = await shownIssues(page);
    assert.equal(await verdict(page), 'invalid');
    assert.deepEqual(issues[0], { code: 'invalid_id', path: '/callId', severity: 'error' });
    assert.deepEqual(issues[1], { code: 'invalid_id', path: '/accountId', severity: 'error' });
    assert.deepEqual(issues[2], { code: 'invalid_phone_number', path: '/from', severity: 'warning' });
    assert.equal(issues.length, 3);
  });

  test('pasted payloads match Node validate', async () => {
    const cases = [
      sample('bad-ids').text,
      sample('syntax-error').text,
      sample('ringing-duplicate').text,
      ASTRAL_LINE,
      '{"requestType":"inboundCall","callId":null,"from":17735550142}',
      '[1, 2]',
      '{"requestType":"callStatus"} trailing',
    ];
    for (const text of cases) {
      await setPayload(page, text);
      assert.deepEqual(await shownIssues(page), nodeIssues(text), `issues for ${JSON.stringify(text.slice(0, 60))}`);
    }
  });

  test('typing updates the verdict live', async () => {
    await loadSample(page, 'completed');
    assert.equal(await verdict(page), 'valid');

    // Put the caret right after "CA" in the callId value and type into it.
    const text = sample('completed').text;
    const afterPrefix = text.indexOf('"CA') + 3;
    await page.focus('#payload');
    await page.$eval('#payload', (area, index) => area.setSelectionRange(index, index), afterPrefix);
    await page.keyboard.type('zz');
    await waitForResult(page);

    assert.equal(await verdict(page), 'invalid');
    assert.deepEqual(await shownIssues(page), [{ code: 'invalid_id', path: '/callId', severity: 'error' }]);
  });

  test('issue shows path, code and message', async () => {
    await loadSample(page, 'bad-ids');
    const button = page.locator('#issues button[data-path="/callId"]');
    const text = await button.textContent();

    assert.match(text, /\/callId/);
    assert.match(text, /invalid_id/);
    assert.match(text, /error/);
    assert.match(text, /line 3, column 13/);
    assert.match(text, /expected a call id/);
  });
});

describe('issue selection', () => {
  test('click selects an ASCII value', async () => {
    await loadSample(page, 'bad-ids');
    await clickIssue(page, '/accountId', 'invalid_id');

    const text = sample('bad-ids').text;
    const value = '"ACC07F210FF31DE920B22925763F25083ADC8B45A26"';
    const start = text.indexOf(value);
    assert.deepEqual(await editorSelection(page), { start, end: start + value.length });
    assert.equal(await page.evaluate(() => document.activeElement.id), 'payload');
  });

  test('click counts astral characters as one column', async () => {
    await setPayload(page, ASTRAL_LINE);
    await clickIssue(page, '/callId', 'invalid_id');

    const start = ASTRAL_LINE.indexOf('"CA12"');
    const [issue] = callstatus.validate(ASTRAL_LINE).errors;
    // The test only proves something if code points and UTF-16 units differ here.
    assert.notEqual(issue.column - 1, start);
    assert.deepEqual(await editorSelection(page), { start, end: start + '"CA12"'.length });
  });

  test('click selects a syntax error', async () => {
    await loadSample(page, 'syntax-error');
    await clickIssue(page, '', 'invalid_json');

    // The validator stops at the "}" that follows the trailing comma.
    const text = sample('syntax-error').text;
    const start = text.lastIndexOf('}');
    assert.deepEqual(await editorSelection(page), { start, end: start + 1 });
  });

  test('click selects a syntax error after emoji', async () => {
    const text = '{"callerNote":"📞📞","callId" "CA"}';
    await setPayload(page, text);
    await clickIssue(page, '', 'invalid_json');

    const start = text.indexOf('"CA"');
    assert.deepEqual(await editorSelection(page), { start, end: start + 1 });
  });

  test('click puts the caret at an early end', async () => {
    const text = '{"callerNote":"📞",';
    await setPayload(page, text);
    await clickIssue(page, '', 'invalid_json');

    assert.deepEqual(await editorSelection(page), { start: text.length, end: text.length });
  });

  test('missing field selects the root object', async () => {
    const text = sample('completed').text.replace('  "to": "+17735550142",\n', '');
    await setPayload(page, text);
    await clickIssue(page, '/to', 'missing_field');

    assert.deepEqual(await editorSelection(page), { start: 0, end: 1 });
    assert.match(await page.locator('#issues button[data-path="/to"]').textContent(), /missing/);
  });

  test('Enter on a focused issue selects it', async () => {
    await loadSample(page, 'bad-ids');
    await page.focus('#issues button[data-path="/from"]');
    await page.keyboard.press('Enter');

    const text = sample('bad-ids').text;
    const start = text.indexOf('"(312) 555-0109"');
    assert.deepEqual(await editorSelection(page), { start, end: start + '"(312) 555-0109"'.length });
    assert.equal(await page.getAttribute('#issues button[data-path="/from"]', 'aria-current'), 'true');
  });

  test('Escape returns to the issue', async () => {
    await loadSample(page, 'bad-ids');
    await clickIssue(page, '/accountId', 'invalid_id');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'payload');
    await page.keyboard.press('Escape');

    const focused = await page.evaluate(() => document.activeElement.dataset.path);
    assert.equal(focused, '/accountId');
  });
});

describe('mode', () => {
  test('strict turns tolerated issues into errors', async () => {
    const text = sample('lenient-only').text;
    await loadSample(page, 'lenient-only');
    assert.equal(await verdict(page), 'warnings');
    assert.deepEqual(await shownIssues(page), nodeIssues(text, 'lenient'));

    await page.check('input[name="mode"][value="strict"]');
    await waitForResult(page);
    assert.equal(await verdict(page), 'invalid');
    assert.deepEqual(await shownIssues(page), nodeIssues(text, 'strict'));
    assert.match(await page.textContent('#verdict'), /strict mode/);

    await page.check('input[name="mode"][value="lenient"]');
    await waitForResult(page);
    assert.equal(await verdict(page), 'warnings');
  });
});

describe('samples', () => {
  for (const entry of SAMPLES) {
    test(`sample ${entry.id} shows its verdict`, async () => {
      await loadSample(page, entry.id);
      assert.equal(await page.inputValue('#payload'), entry.text);
      assert.equal(await verdict(page), entry.expected);

      if (entry.strictExpected !== undefined) {
        await page.check('input[name="mode"][value="strict"]');
        await waitForResult(page);
        assert.equal(await verdict(page), entry.strictExpected);
        await page.check('input[name="mode"][value="lenient"]');
        await waitForResult(page);
      }
    });
  }

  test('menu closes after a choice', async () => {
    await loadSample(page, 'busy');
    assert.equal(await page.$eval('#samples-menu', (menu) => menu.open), false);
  });
});

describe('field table', () => {
  const meaningOf = async (name) =>
    page.locator('#fields-body tr', { has: page.locator(`th:text-is("${name}")`) }).locator('.meaning').textContent();
  const valueOf = async (name) =>
    page.locator('#fields-body tr', { has: page.locator(`th:text-is("${name}")`) }).locator('.value').textContent();

  test('valid payload shows meanings and durations', async () => {
    await loadSample(page, 'recorded');
    const meanings = callstatus.meanings();

    assert.equal(await page.getAttribute('#fields', 'data-source'), 'normalised');
    assert.equal(await meaningOf('callStatus'), meanings.callStatus.completed);
    assert.equal(await meaningOf('callEndedReason'), meanings.callEndedReason.appHangup);
    assert.equal(await meaningOf('direction'), meanings.direction.inbound);
    assert.equal(await meaningOf('callDuration'), '2 h 3 min 4 s, ring time included');
    assert.equal(await meaningOf('recordingDurationSec'), '2 h 1 min 51 s of recording');
    assert.equal(await valueOf('recordingId'), 'REfa28d806ad1a77fe8bb3e8f60fc79b528effc38c');
  });

  test('short durations read as seconds and minutes', async () => {
    await loadSample(page, 'completed');
    assert.equal(await meaningOf('callDuration'), '1 min 5 s, ring time included');
    await loadSample(page, 'canceled');
    assert.equal(await meaningOf('callDuration'), '9 s, ring time included');
  });

  test('invalid payload shows raw values', async () => {
    await loadSample(page, 'bad-ids');

    assert.equal(await page.getAttribute('#fields', 'data-source'), 'raw');
    assert.equal(await valueOf('callId'), 'CA7e3b1f0c9d2a');
    assert.equal(await valueOf('from'), '(312) 555-0109');
    const row = page.locator('#fields-body tr', { has: page.locator('th:text-is("callId")') });
    assert.equal(await row.getAttribute('class'), 'row-error');
  });

  test('repeated key shows the value checked', async () => {
    await loadSample(page, 'ringing-duplicate');

    assert.equal(await valueOf('callStatus'), 'ringing');
    assert.equal(await meaningOf('callStatus'), callstatus.meanings().callStatus.ringing);
  });

  test('unparsable payload hides the table', async () => {
    await loadSample(page, 'syntax-error');
    assert.equal(await page.isHidden('#fields'), true);
    assert.match(await page.textContent('#fields-note'), /not a JSON object/);
  });
});

describe('signature', () => {
  const body = () => sample('completed').text;

  const signatureState = async () => ({
    state: await page.getAttribute('#signature-verdict', 'data-state'),
    code: await page.getAttribute('#signature-verdict', 'data-code'),
  });

  async function enterSignature(header, secret) {
    await page.fill('#signature-header', header);
    await page.fill('#signing-secret', secret);
    await waitForResult(page);
  }

  test('correct signature verifies', async () => {
    await loadSample(page, 'completed');
    await enterSignature(signHeader(body(), SECRET, nowSeconds()), SECRET);

    assert.deepEqual(await signatureState(), { state: 'valid', code: '' });
  });

  test('tampered body fails to verify', async () => {
    await loadSample(page, 'completed');
    await enterSignature(signHeader(body(), SECRET, nowSeconds()), SECRET);
    await setPayload(page, body().replace('"65"', '"66"'));

    assert.deepEqual(await signatureState(), { state: 'invalid', code: 'no_matching_signature' });
    assert.equal(await page.textContent('#signature-code'), 'no_matching_signature');
  });

  test('old timestamp is outside tolerance', async () => {
    await loadSample(page, 'completed');
    await enterSignature(signHeader(body(), SECRET, nowSeconds() - 3600), SECRET);

    assert.deepEqual(await signatureState(), { state: 'invalid', code: 'timestamp_outside_tolerance' });
  });

  test('wrong secret fails to verify', async () => {
    await loadSample(page, 'completed');
    await enterSignature(signHeader(body(), SECRET, nowSeconds()), `${SECRET}0`);

    assert.deepEqual(await signatureState(), { state: 'invalid', code: 'no_matching_signature' });
  });

  test('malformed header shows its code', async () => {
    await loadSample(page, 'completed');
    await enterSignature('garbage', SECRET);
    assert.deepEqual(await signatureState(), { state: 'invalid', code: 'malformed_header' });

    // A timestamp past the last date JavaScript can show must not break the page.
    await enterSignature(`t=999999999999999,v1=${'ab'.repeat(32)}`, SECRET);
    assert.equal((await signatureState()).state, 'invalid');
    assert.match(await page.textContent('#signature-detail'), /t=999999999999999/);
  });

  test('one of header and secret asks for the other', async () => {
    await loadSample(page, 'completed');
    await enterSignature(signHeader(body(), SECRET, nowSeconds()), '');
    assert.deepEqual(await signatureState(), { state: 'idle', code: '' });
    assert.match(await page.textContent('#signature-detail'), /signing secret/);
  });

  test('Sign now fills a header that verifies', async () => {
    await loadSample(page, 'completed');
    await enterSignature('', SECRET);
    await page.click('#sign-button');
    await waitForResult(page);

    const header = await page.inputValue('#signature-header');
    assert.match(header, /^t=[0-9]+,v1=[0-9a-f]{64}$/);
    const timestamp = Number(/t=([0-9]+)/.exec(header)[1]);
    assert.equal(header, signHeader(body(), SECRET, timestamp));
    assert.deepEqual(await signatureState(), { state: 'valid', code: '' });
  });

  test('secret field is a password without autocomplete', async () => {
    assert.equal(await page.getAttribute('#signing-secret', 'type'), 'password');
    assert.equal(await page.getAttribute('#signing-secret', 'autocomplete'), 'off');

    await page.click('#toggle-secret');
    assert.equal(await page.getAttribute('#signing-secret', 'type'), 'text');
    assert.equal(await page.getAttribute('#toggle-secret', 'aria-pressed'), 'true');
    await page.click('#toggle-secret');
    assert.equal(await page.getAttribute('#signing-secret', 'type'), 'password');
  });

  test('secret stays out of URL and storage', async () => {
    await inspector.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: inspector.origin });
    await loadSample(page, 'completed');
    await enterSignature(signHeader(body(), SECRET, nowSeconds()), SECRET);
    await page.click('#share-button');
    await page.waitForSelector('#action-status:has-text("Link")');

    const url = page.url();
    assert.equal(url.includes(SECRET), false);
    assert.equal(JSON.stringify(decodeState(new URL(url).hash)).includes(SECRET), false);

    const storage = await page.evaluate(() => JSON.stringify({ local: { ...localStorage }, session: { ...sessionStorage } }));
    assert.equal(storage.includes(SECRET), false);
    assert.equal(storage.includes('sigsec_'), false);

    const leaks = inspector.requests.filter((request) => request.url.includes(SECRET) || request.body.includes(SECRET));
    assert.deepEqual(leaks, []);
  });
});

describe('share link', () => {
  test('link reproduces the view in a new page', async () => {
    await inspector.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: inspector.origin });
    await loadSample(page, 'bad-ids');
    await page.check('input[name="mode"][value="strict"]');
    await waitForResult(page);
    const header = signHeader(sample('bad-ids').text, SECRET, nowSeconds());
    await page.fill('#signature-header', header);
    await page.fill('#signing-secret', SECRET);
    await waitForResult(page);

    await page.click('#share-button');
    await page.waitForSelector('#action-status:has-text("Link copied")');
    const link = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(link, page.url());

    const parsed = new URL(link);
    assert.equal(parsed.search, '');
    assert.deepEqual(decodeState(parsed.hash), { text: sample('bad-ids').text, mode: 'strict', header, record: 0 });

    const issuesBefore = await shownIssues(page);
    const second = await inspector.newPage(link);
    try {
      assert.equal(await second.inputValue('#payload'), sample('bad-ids').text);
      assert.equal(await second.isChecked('input[name="mode"][value="strict"]'), true);
      assert.equal(await second.inputValue('#signature-header'), header);
      assert.equal(await second.inputValue('#signing-secret'), '');
      assert.equal(await verdict(second), 'invalid');
      assert.deepEqual(await shownIssues(second), issuesBefore);
      assert.deepEqual(await shownIssues(second), nodeIssues(sample('bad-ids').text, 'strict'));
    } finally {
      await second.close();
    }

    await page.check('input[name="mode"][value="lenient"]');
    await page.fill('#signature-header', '');
    await page.fill('#signing-secret', '');
    await waitForResult(page);
  });

  test('link keeps the current log payload', async () => {
    await loadSample(page, 'ndjson-log');
    await page.click('#next-record');
    await page.click('#next-record');
    await page.click('#share-button');
    await page.waitForSelector('#action-status:has-text("Link")');

    const second = await inspector.newPage(page.url());
    try {
      assert.equal(await second.textContent('#record-position'), 'payload 3 of 4');
      assert.equal(await verdict(second), 'invalid');
    } finally {
      await second.close();
    }
  });

  test('broken fragment shows a message', async () => {
    const second = await inspector.newPage(`${inspector.url}#not*base64`);
    try {
      assert.match(await second.textContent('#action-status'), /could not be opened/);
      assert.equal(await verdict(second), 'empty');
    } finally {
      await second.close();
    }
  });
});

describe('NDJSON', () => {
  test('log steps through payloads', async () => {
    await loadSample(page, 'ndjson-log');

    assert.equal(await page.isVisible('#records'), true);
    assert.equal(await page.textContent('#record-position'), 'payload 1 of 4');
    assert.equal(await page.textContent('#record-summary'), '3 valid, 1 invalid');
    assert.equal(await page.isDisabled('#previous-record'), true);

    await page.click('#next-record');
    assert.equal(await page.textContent('#record-position'), 'payload 2 of 4');
    assert.equal(await verdict(page), 'valid');

    await page.click('#next-invalid-record');
    assert.equal(await page.textContent('#record-position'), 'payload 3 of 4');
    assert.equal(await verdict(page), 'invalid');
    assert.match(await page.textContent('#verdict'), /Payload 3 of 4/);
    assert.deepEqual(await shownIssues(page), [{ code: 'invalid_id', path: '/callId', severity: 'error' }]);

    await page.click('#previous-record');
    assert.equal(await page.textContent('#record-position'), 'payload 2 of 4');
  });

  test('issue in a log line selects in that line', async () => {
    await loadSample(page, 'ndjson-log');
    await page.click('#next-invalid-record');
    await clickIssue(page, '/callId', 'invalid_id');

    const text = sample('ndjson-log').text;
    const value = '"CAf5431c1c33fe0e50a9807b8176f2f448cc309"';
    const start = text.indexOf(value);
    assert.deepEqual(await editorSelection(page), { start, end: start + value.length });
  });

  test('payload follows the caret', async () => {
    await loadSample(page, 'ndjson-log');
    await page.focus('#payload');
    await page.keyboard.press('Control+End');
    await waitForResult(page);

    assert.equal(await page.textContent('#record-position'), 'payload 4 of 4');
    assert.equal(await page.isDisabled('#next-record'), true);
  });

  test('opened file of 120 payloads', async () => {
    const base = JSON.parse(sample('completed').text);
    const lines = [];
    for (let index = 0; index < 120; index++) {
      const callId = `CA${index.toString(16).padStart(40, '0')}`;
      // Payload 77 carries a status sent before the call ended.
      const callStatus = index === 76 ? 'ringing' : 'completed';
      lines.push(JSON.stringify({ ...base, callId, callStatus }));
    }

    await page.setInputFiles('#file-input', {
      name: 'callstatus.ndjson',
      mimeType: 'application/x-ndjson',
      buffer: Buffer.from(`${lines.join('\n')}\n`),
    });
    await page.waitForSelector('#record-position:has-text("of 120")');
    await waitForResult(page);

    assert.equal(await page.textContent('#record-position'), 'payload 1 of 120');
    assert.equal(await page.textContent('#record-summary'), '119 valid, 1 invalid');
    await page.click('#next-record');
    await page.click('#next-record');
    assert.equal(await page.textContent('#record-position'), 'payload 3 of 120');

    await page.click('#next-invalid-record');
    assert.equal(await page.textContent('#record-position'), 'payload 77 of 120');
    assert.deepEqual(await shownIssues(page), [{ code: 'non_final_call_status', path: '/callStatus', severity: 'error' }]);
  });

  test('dropped file opens', async () => {
    const text = sample('busy').text;
    await page.evaluate((content) => {
      const transfer = new DataTransfer();
      transfer.items.add(new File([content], 'busy.json', { type: 'application/json' }));
      const target = document.getElementById('editor');
      target.dispatchEvent(new DragEvent('dragover', { dataTransfer: transfer, bubbles: true, cancelable: true }));
      target.dispatchEvent(new DragEvent('drop', { dataTransfer: transfer, bubbles: true, cancelable: true }));
    }, text);
    await page.waitForFunction((content) => document.getElementById('payload').value === content, text);
    await waitForResult(page);

    assert.equal(await verdict(page), 'valid');
    assert.equal(await page.isHidden('#drop-hint'), true);
    assert.match(await page.textContent('#action-status'), /Opened busy\.json/);
  });
});

describe('masking', () => {
  const maskedCompleted = () =>
    sample('completed').text.replace('"+13125550109"', '"+*********09"').replace('"+17735550142"', '"+*********42"');

  test('mask function keeps plus and last two', async () => {
    const results = await page.evaluate(async () => {
      const share = await import('/share.js');
      return [
        share.maskPhoneNumber('+13125550109'),
        share.maskPhoneNumber('+442071838750'),
        share.maskPhoneNumber('anonymous'),
        share.maskPhoneNumber('+123'),
        share.maskPhoneNumber(''),
      ];
    });
    assert.deepEqual(results, ['+*********09', '+**********50', '*******us', '+***', '']);
  });

  test('mask function matches maskPersonalData', () => {
    // Values that strict mode rejects, so the message quotes the masked value.
    const values = ['anonymous', '13121000109', '+1 312 555 0109', 'ab', '+012', 'Ünïcødé 12', '+', '😀😀😀😀😀'];
    for (const value of values) {
      const body = JSON.stringify({ ...JSON.parse(sample('completed').text), from: value });
      const report = callstatus.validate(body, { mode: 'strict', maskPersonalData: true });
      const issue = report.errors.find((candidate) => candidate.path === '/from');
      assert.ok(issue, `no /from error for ${JSON.stringify(value)}`);
      assert.ok(issue.message.endsWith(`received ${JSON.stringify(maskPhoneNumber(value))}`), `${JSON.stringify(value)}: ${issue.message}`);
    }
  });

  test('Copy masked copies the masked payload', async () => {
    await inspector.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: inspector.origin });
    await loadSample(page, 'completed');
    await page.click('#mask-button');
    await page.waitForSelector('#action-status:has-text("was copied")');

    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.equal(copied, maskedCompleted());
    assert.equal(await page.inputValue('#payload'), sample('completed').text);
  });

  test('dialog replaces a missing clipboard', async () => {
    const second = await inspector.context.newPage();
    try {
      await second.addInitScript(() => {
        Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined, configurable: true });
      });
      await second.goto(inspector.url);
      await waitForResult(second);
      await loadSample(second, 'completed');
      await second.click('#mask-button');

      await second.waitForSelector('#copy-dialog[open]');
      assert.equal(await second.inputValue('#copy-dialog-text'), maskedCompleted());
      assert.equal(await second.evaluate(() => document.activeElement.id), 'copy-dialog-text');
      await second.click('#copy-dialog-close');
      assert.equal(await second.$eval('#copy-dialog', (dialog) => dialog.open), false);
    } finally {
      await second.close();
    }
  });
});

describe('screenshots', () => {
  before(async () => {
    await mkdir(SCREENSHOTS, { recursive: true });
    await mkdir(path.dirname(README_IMAGE), { recursive: true });
  });

  test('valid payload with field table', async () => {
    await loadSample(page, 'recorded');
    await page.evaluate(() => document.activeElement.blur());
    // The whole page, because the field table runs below the first 900 pixels.
    await page.screenshot({ path: path.join(SCREENSHOTS, 'valid-fields.png'), fullPage: true });
  });

  test('invalid payload with issues', async () => {
    await loadSample(page, 'bad-ids');
    await clickIssue(page, '/accountId', 'invalid_id');
    const file = path.join(SCREENSHOTS, 'invalid-issues.png');
    await page.screenshot({ path: file });

    // The README's picture is committed, so it is replaced only on request
    // rather than on every run.
    if (process.env.UPDATE_README_IMAGE === '1') await copyFile(file, README_IMAGE);
  });

  test('dark scheme with a log', async () => {
    await page.emulateMedia({ colorScheme: 'dark' });
    try {
      await loadSample(page, 'ndjson-log');
      await page.click('#next-invalid-record');
      await clickIssue(page, '/callId', 'invalid_id');
      await page.screenshot({ path: path.join(SCREENSHOTS, 'dark-scheme.png') });
    } finally {
      await page.emulateMedia({ colorScheme: 'light' });
    }
  });
});

describe('page hygiene', () => {
  test('requests stay on the server', async () => {
    const foreign = inspector.requests.filter((request) => !request.url.startsWith(inspector.origin));
    assert.deepEqual(foreign, []);
  });

  test('console has no errors or warnings', async () => {
    assert.deepEqual(inspector.consoleProblems, []);
  });
});
