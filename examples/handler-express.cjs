// A callStatus webhook route in Express.
//
//   node examples/handler-express.cjs
//   node examples/send-signed.cjs      (in a second terminal)
//
// PORT sets the port (default 3000) and FREECLIMB_SIGNING_SECRET the
// signing secret, as for examples/handler-http.cjs.

'use strict';

const express = require('express');

const { callStatusMiddleware } = require('../pkg/handlers/express.cjs');

/** Test only: never use it for a real FreeClimb account. */
const EXAMPLE_TEST_SECRET = 'sigsec_example_test_secret_not_for_production';

const port = Number(process.env.PORT || 3000);
const secret = process.env.FREECLIMB_SIGNING_SECRET || EXAMPLE_TEST_SECRET;
if (secret === EXAMPLE_TEST_SECRET) {
  console.warn('FREECLIMB_SIGNING_SECRET is not set: using the example test secret');
}

const app = express();

// The middleware reads the raw body itself, so this route must not go
// through express.json(). Other routes can still use it.
app.post('/freeclimb/status', callStatusMiddleware({ secret }), (req, res) => {
  const payload = req.callStatus;
  console.log(`callStatus ${payload.callId}: ${payload.callStatus} (${payload.callEndedReason})`);
  res.sendStatus(204);
});

app.post('/api/notes', express.json(), (req, res) => {
  res.json({ stored: req.body });
});

// Express 5 passes a listen error to this callback instead of throwing it.
const server = app.listen(port, '127.0.0.1', (error) => {
  if (error) throw error;
  console.log(`listening for callStatus webhooks on http://127.0.0.1:${server.address().port}/freeclimb/status`);
});

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, () => {
    console.log(`${signal} received: closing the server`);
    server.close(() => process.exit(0));
    server.closeIdleConnections();
  });
}
