// The maskPersonalData option and the CLI's --mask flag: phone numbers are
// hidden in messages on every input path, and nothing else in a report
// changes.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { createServer } from 'node:http';
import { listen, closeServer, send } from './helpers/http.mjs';

const require = createRequire(import.meta.url);
const callstatus = require('../../pkg/node/index.cjs');
const { createCallStatusHandler } = require('../../pkg/handlers/http.cjs');
const root = fileURLToPath(new URL('../..', import.meta.url));
const cli = join(root, 'pkg', 'cli.cjs');

const SECRET = 'sigsec_ead6d3b6904196c60835d039e91b3341c77a7793';
const CALLER = '13121000109';

// A payload whose `from` lacks its "+" and whose conferenceId carries a
// phone number: a warning and, in strict mode, errors that quote both.
const payload = {
  requestType: 'callStatus',
  callId: 'CAccb0b00506553cda09b51c5477f672a49e0b2213',
  accountId: 'AC1334ffb694cd8d969f51cddf5f7c9b478546d50c',
  from: CALLER,
  to: '+13121000096',
  callStatus: 'completed',
  callEndedReason: 'farEndHangup',
  direction: 'inbound',
  conferenceId: `call back on +${CALLER}`,
  queueId: null,
  callDuration: '37',
  parentCallId: null,
};
const body = JSON.stringify(payload);

function messages(report) {
  return [...report.errors, ...report.warnings].map((issue) => issue.message).join('\n');
}

function withoutMessages(report) {
  const strip = (issue) => ({ ...issue, message: undefined });
  return { ...report, errors: report.errors.map(strip), warnings: report.warnings.map(strip) };
}

test('messages show values by default', () => {
  const report = callstatus.validate(body, { mode: 'strict' });

  assert.match(messages(report), new RegExp(CALLER));
});

for (const [name, input] of [
  ['string', body],
  ['bytes', Buffer.from(body)],
  ['object', payload],
]) {
  test(`masked ${name} hides the caller`, () => {
    const report = callstatus.validate(input, { mode: 'strict', maskPersonalData: true });
    const text = messages(report);

    assert.doesNotMatch(text, /3121000/);
    assert.match(text, /received "\*\*\*\*\*\*\*\*\*09"/);
    assert.match(text, /call back on \+\*\*\*\*\*\*\*\*\*09/);
  });
}

test('masked report differs only in messages', () => {
  for (const mode of ['lenient', 'strict']) {
    const plain = callstatus.validate(body, { mode });
    const masked = callstatus.validate(body, { mode, maskPersonalData: true });

    assert.deepEqual(withoutMessages(masked), withoutMessages(plain), mode);
    assert.notEqual(messages(masked), messages(plain), mode);
  }
});

test('masked batch hides the caller', () => {
  const log = `${body}\n${body}\n`;
  const batch = callstatus.validateMany(log, { mode: 'strict', maskPersonalData: true });

  assert.equal(batch.reports.length, 2);
  for (const report of batch.reports) {
    assert.doesNotMatch(messages(report), /3121000/);
  }
});

test('masked parse error hides the caller', () => {
  assert.throws(
    () => callstatus.parse(body, { mode: 'strict', maskPersonalData: true }),
    (error) => error instanceof callstatus.ValidationError && !/3121000/.test(error.message) && !/3121000/.test(messages(error)),
  );
});

test('masked constructCallStatus hides the caller', () => {
  const header = callstatus.signPayload(body, SECRET);

  assert.throws(
    () => callstatus.constructCallStatus(body, header, SECRET, { mode: 'strict', maskPersonalData: true }),
    (error) => error instanceof callstatus.ValidationError && !/3121000/.test(messages(error)),
  );
});

test('non-boolean maskPersonalData is rejected', () => {
  for (const value of ['yes', 1, null]) {
    assert.throws(
      () => callstatus.validate(body, { maskPersonalData: value }),
      (error) => error instanceof TypeError && error.code === 'ERR_INVALID_ARG_TYPE' && /maskPersonalData/.test(error.message),
      String(value),
    );
  }
});

test('cli --mask hides the caller', () => {
  const plain = spawnSync(process.execPath, [cli, 'validate', '--strict'], { input: body, encoding: 'utf8' });
  const masked = spawnSync(process.execPath, [cli, 'validate', '--strict', '--mask'], { input: body, encoding: 'utf8' });

  assert.equal(plain.status, 1);
  assert.match(plain.stdout, /3121000/);
  assert.equal(masked.status, 1);
  assert.doesNotMatch(masked.stdout + masked.stderr, /3121000/);
  assert.match(masked.stdout, /\*\*\*\*\*\*\*\*\*09/);
});

test('cli --mask --json hides the caller', () => {
  const masked = spawnSync(process.execPath, [cli, 'validate', '--json', '--strict', '--mask'], { input: `${body}\n${body}\n`, encoding: 'utf8' });
  const records = masked.stdout.trim().split('\n').map((line) => JSON.parse(line));

  assert.equal(records.length, 2);
  assert.doesNotMatch(masked.stdout, /3121000/);
});

test('handler 400 response is masked', async () => {
  const options = { secret: SECRET, mode: 'strict', maskPersonalData: true };
  const server = createServer(createCallStatusHandler(options, (payload, req, res) => res.writeHead(204).end()));
  const port = await listen(server);
  try {
    const headers = { 'content-type': 'application/json', 'freeclimb-signature': callstatus.signPayload(body, SECRET) };
    const response = await send({ port, headers, body });

    assert.equal(response.status, 400);
    assert.equal(response.json.error, 'invalid_payload');
    assert.ok(response.json.issues.length > 0);
    assert.doesNotMatch(response.text, /3121000/);
  } finally {
    await closeServer(server);
  }
});

test('handler rejects non-boolean maskPersonalData', () => {
  assert.throws(
    () => createCallStatusHandler({ secret: SECRET, maskPersonalData: 'yes' }, () => {}),
    (error) => error instanceof TypeError && /maskPersonalData/.test(error.message),
  );
});
