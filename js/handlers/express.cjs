// callStatus webhooks in Express 4 and 5. This file never requires
// express: the middleware uses only Node's request and response objects.
//
// NOTE: the test suite runs Express 5 only. Express 4 sets the same
// `req.body` and `req._body` fields, but no test covers it here.

'use strict';

const {
  CallStatusRequestError,
  readHandlerOptions,
  checkMethod,
  checkContentType,
  checkDeclaredLength,
  readRawBody,
  rawBodyUnavailable,
  constructFromRequest,
  report,
  failRequest,
} = require('./common.cjs');

/**
 * Returns the raw body when a body parser already read it into a Buffer:
 * `req.body` from express.raw(), or `req.rawBody` as saved by a `verify`
 * callback. Returns undefined when the stream is still unread, and throws
 * when it was consumed and only a parsed value is left.
 */
function takeBufferedBody(req) {
  if (Buffer.isBuffer(req.body)) return req.body;
  if (Buffer.isBuffer(req.rawBody)) return req.rawBody;

  // body-parser sets `_body` once it has read a request, in Express 4 and 5.
  if (req._body === true || req.readableEnded) {
    throw rawBodyUnavailable('a body parser such as express.json() has already read the request');
  }
  return undefined;
}

async function readExpressCallStatus(req, settings) {
  checkMethod(req.method);
  checkContentType(req.headers['content-type']);

  const buffered = takeBufferedBody(req);
  if (buffered !== undefined) return constructFromRequest(buffered, req.headers, settings);

  checkDeclaredLength(req.headers, settings.maxBytes);
  const rawBody = await readRawBody(req, settings.maxBytes);
  return constructFromRequest(rawBody, req.headers, settings);
}

/**
 * Creates Express middleware that verifies the FreeClimb-Signature header
 * over the raw body, validates the callStatus payload, stores it in
 * `req.callStatus` and calls `next()`. A rejected request gets its JSON
 * error response here and does not reach later handlers.
 *
 * Mount it before any body parser for the route, such as express.json().
 */
function callStatusMiddleware(options) {
  const settings = readHandlerOptions(options);

  return function freeclimbCallStatus(req, res, next) {
    readExpressCallStatus(req, settings)
      .then(
        (payload) => {
          req.callStatus = payload;
          next();
        },
        (error) => failRequest(settings, error, req, res),
      )
      .catch((error) => {
        // Express catches errors thrown by later handlers itself, so this
        // only runs if next() misbehaves.
        report(settings, error, req);
      });
  };
}

exports.callStatusMiddleware = callStatusMiddleware;
exports.CallStatusRequestError = CallStatusRequestError;
