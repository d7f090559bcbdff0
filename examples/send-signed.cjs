// Signs a callStatus body as FreeClimb does and sends it to a local
// webhook server, or prints the equivalent curl command.
//
//   node examples/send-signed.cjs [URL]           send it, print the response
//   node examples/send-signed.cjs --curl [URL]    print a curl command instead
//
// URL defaults to http://127.0.0.1:$PORT/freeclimb/status (PORT 3000).
// The body is examples/payloads/completed-inbound.json, or a built-in copy
// when that file is missing. FREECLIMB_SIGNING_SECRET sets the secret; the
// default is the example test secret that the example servers also use.
// The signature is valid for 300 seconds, the default tolerance.

'use strict';

const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const { tmpdir } = require('node:os');
const { join } = require('node:path');

const { signPayload } = require('../pkg/node/index.cjs');

/** Test only: never use it for a real FreeClimb account. */
const EXAMPLE_TEST_SECRET = 'sigsec_example_test_secret_not_for_production';

const PAYLOAD_FILE = join(__dirname, 'payloads', 'completed-inbound.json');

/** Used when examples/payloads/ is missing: a completed inbound call. */
const BUILT_IN_BODY = `{
  "requestType": "callStatus",
  "callId": "CAccb0b00506553cda09b51c5477f672a49e0b2213",
  "accountId": "AC1334ffb694cd8d969f51cddf5f7c9b478546d50c",
  "from": "+13121000109",
  "to": "+13121000096",
  "callStatus": "completed",
  "callEndedReason": "farEndHangup",
  "direction": "inbound",
  "conferenceId": null,
  "queueId": null,
  "callDuration": "37",
  "parentCallId": null
}
`;

const USAGE = 'usage: node examples/send-signed.cjs [--curl] [URL]';

/** Quotes a value for a POSIX shell. */
function shellQuote(value) {
  return `'${value.replace(/'/g, "'\\''")}'`;
}

/** Returns the body file and its bytes, writing the built-in body to a temporary file when needed. */
function loadBody() {
  if (existsSync(PAYLOAD_FILE)) return { file: PAYLOAD_FILE, body: readFileSync(PAYLOAD_FILE) };

  const file = join(tmpdir(), 'freeclimb-callstatus-example.json');
  writeFileSync(file, BUILT_IN_BODY);
  return { file, body: Buffer.from(BUILT_IN_BODY) };
}

async function main() {
  const args = process.argv.slice(2);
  if (args.includes('--help') || args.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const printCurl = args.includes('--curl');
  const positional = args.filter((arg) => arg !== '--curl');
  if (positional.length > 1 || positional.some((arg) => arg.startsWith('-'))) {
    console.error(USAGE);
    return 2;
  }

  const url = positional[0] || `http://127.0.0.1:${process.env.PORT || 3000}/freeclimb/status`;
  const secret = process.env.FREECLIMB_SIGNING_SECRET || EXAMPLE_TEST_SECRET;
  const { file, body } = loadBody();

  // The signature covers these exact bytes, which curl's --data-binary
  // and fetch both send unchanged.
  const signature = signPayload(body, secret);

  if (printCurl) {
    const command = [
      'curl -i -X POST',
      shellQuote(url),
      `-H ${shellQuote('Content-Type: application/json')}`,
      `-H ${shellQuote(`FreeClimb-Signature: ${signature}`)}`,
      `--data-binary ${shellQuote(`@${file}`)}`,
    ];
    console.log(command.join(' '));
    return 0;
  }

  let response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'freeclimb-signature': signature },
      body,
    });
  } catch (error) {
    const reason = error.cause && error.cause.code ? error.cause.code : error.message;
    console.error(`failed to send the callStatus to ${url}: ${reason}. Is the server running (make example-server)?`);
    return 1;
  }

  const text = await response.text();
  console.log(`POST ${url} with ${file}`);
  console.log(`${response.status} ${response.statusText}${text ? `\n${text}` : ''}`);
  return response.ok ? 0 : 1;
}

main().then((code) => {
  process.exitCode = code;
});
