// A callStatus webhook server on node:http, with no framework.
//
//   make example-server      (or: node examples/handler-http.cjs)
//   make example-request     (in a second terminal)
//
// PORT sets the port (default 3000). FREECLIMB_SIGNING_SECRET sets the
// signing secret. Without it the server uses the same test secret as
// examples/send-signed.cjs, so the two work together out of the box.

'use strict';

const http = require('node:http');

const { createCallStatusHandler } = require('../pkg/handlers/http.cjs');

/** Test only: never use it for a real FreeClimb account. */
const EXAMPLE_TEST_SECRET = 'sigsec_example_test_secret_not_for_production';

const WEBHOOK_PATH = '/freeclimb/status';

const port = Number(process.env.PORT || 3000);
const secret = process.env.FREECLIMB_SIGNING_SECRET || EXAMPLE_TEST_SECRET;
if (secret === EXAMPLE_TEST_SECRET) {
  console.warn('FREECLIMB_SIGNING_SECRET is not set: using the example test secret');
}

const handleCallStatus = createCallStatusHandler({ secret }, (payload, req, res) => {
  // Only verified, valid callStatus payloads get here.
  const duration = payload.callDuration === null ? 'unknown' : `${payload.callDuration} s`;
  console.log(
    `callStatus ${payload.callId}: ${payload.callStatus} (${payload.callEndedReason}), ` +
      `${payload.direction} ${payload.from} -> ${payload.to}, duration ${duration}`,
  );
  res.writeHead(204);
  res.end();
});

const server = http.createServer((req, res) => {
  // A statusCallbackUrl may carry a query string, so only the path is compared.
  const path = new URL(req.url, 'http://127.0.0.1').pathname;
  if (path === WEBHOOK_PATH) {
    handleCallStatus(req, res);
    return;
  }
  res.writeHead(404, { 'content-type': 'text/plain' });
  res.end(`not found: POST callStatus webhooks to ${WEBHOOK_PATH}\n`);
});

server.listen(port, '127.0.0.1', () => {
  console.log(`listening for callStatus webhooks on http://127.0.0.1:${server.address().port}${WEBHOOK_PATH}`);
});

// Ctrl-C and `kill` close the listener before the process exits.
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    console.log(`${signal} received: closing the server`);
    server.close(() => process.exit(0));
    server.closeIdleConnections();
  });
}
