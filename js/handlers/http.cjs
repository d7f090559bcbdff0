// callStatus webhooks on a plain `node:http` server, with no framework.

'use strict';

const {
  CallStatusRequestError,
  readHandlerOptions,
  readCallStatusFromRequest,
  errorResponse,
  report,
  answerError,
  failRequest,
} = require('./common.cjs');

/**
 * Reads, verifies and validates one callStatus request. Returns the
 * payload, or throws an error whose `statusCode` is the status to respond
 * with: SignatureVerificationError (401), ValidationError (400) or
 * CallStatusRequestError (400, 405, 413, 415 or 500). errorResponse(error)
 * builds the matching response. Options are checked on every call.
 */
async function readCallStatus(req, options) {
  const settings = readHandlerOptions(options);
  return readCallStatusFromRequest(req, settings);
}

/**
 * Creates a `(req, res)` listener for `http.createServer()` that verifies
 * each request and calls `onCallStatus(payload, req, res)`.
 *
 * The callback responds through `res`. When it has not started a response
 * by the time it returns, or by the time the promise it returns settles,
 * the listener responds with 204 No Content. When it throws or rejects,
 * the error goes to `options.onError` and the client gets a 500 if no
 * response has started.
 */
function createCallStatusHandler(options, onCallStatus) {
  const settings = readHandlerOptions(options);
  if (typeof onCallStatus !== 'function') {
    const error = new TypeError(`The "onCallStatus" argument must be a function. Received ${onCallStatus === undefined ? 'undefined' : typeof onCallStatus}`);
    error.code = 'ERR_INVALID_ARG_TYPE';
    throw error;
  }

  async function handle(req, res) {
    let payload;
    try {
      payload = await readCallStatusFromRequest(req, settings);
    } catch (error) {
      failRequest(settings, error, req, res);
      return;
    }

    try {
      await onCallStatus(payload, req, res);
    } catch (error) {
      // An error from the callback is the server's fault whatever its type,
      // so it is always reported and the client always gets a plain 500.
      report(settings, error, req);
      answerError(settings, new Error('onCallStatus failed'), req, res);
      return;
    }

    if (!res.headersSent && !res.destroyed) {
      res.writeHead(204);
      res.end();
    }
  }

  return function handleCallStatusRequest(req, res) {
    handle(req, res).catch((error) => {
      report(settings, error, req);
      res.destroy();
    });
  };
}

exports.createCallStatusHandler = createCallStatusHandler;
exports.readCallStatus = readCallStatus;
exports.errorResponse = errorResponse;
exports.CallStatusRequestError = CallStatusRequestError;
