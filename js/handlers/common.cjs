// Shared by the Express, Fastify and node:http helpers: option checks,
// reading the raw body under a byte limit, the request checks, and the
// mapping from errors to HTTP responses.
//
// The helpers read the body themselves because the signature covers the
// exact bytes FreeClimb sent. A framework that parses JSON first and hands
// over an object has lost those bytes, and re-serialising the object does
// not reproduce them.

'use strict';

const api = require('../node/index.cjs');
const { acceptedOptions, checkOptionNames, MAX_INPUT_BYTES, MAX_DEPTH_LIMIT } = require('../api.cjs');

/** Key of `FreeClimb-Signature` in `req.headers`, where Node lower-cases header names. */
const SIGNATURE_HEADER = 'freeclimb-signature';

/** The same default as validate() and constructCallStatus(): 1 MiB. */
const DEFAULT_MAX_BYTES = 1024 * 1024;
const MAX_U32 = 0xffffffff;
const MODES = ['lenient', 'strict'];

const HANDLER_OPTION_NAMES = [
  'secret',
  'mode',
  'maxBytes',
  'maxDepth',
  'maxIssues',
  'maskPersonalData',
  'toleranceSeconds',
  'now',
  'onError',
];
const HANDLER_OPTIONS = acceptedOptions(HANDLER_OPTION_NAMES);

/** Content-Type of every error response. */
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * An HTTP-level failure of a callStatus request, found before or while its
 * body is read: wrong method, wrong content type, body over the limit, body
 * already consumed, or a client that went away.
 */
class CallStatusRequestError extends Error {
  constructor(code, statusCode, message, options) {
    super(message, options);
    this.name = 'CallStatusRequestError';
    this.code = code;
    this.statusCode = statusCode;
  }
}

function describeValue(value) {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') {
    const preview = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    return `the string ${JSON.stringify(preview)}`;
  }
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
    return `the ${typeof value} ${String(value)}`;
  }
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  return `an instance of ${value.constructor && value.constructor.name ? value.constructor.name : 'Object'}`;
}

function invalidOption(name, expected, value) {
  const error = new TypeError(`The "${name}" argument must be ${expected}. Received ${describeValue(value)}`);
  error.code = 'ERR_INVALID_ARG_TYPE';
  return error;
}

function optionOutOfRange(name, expected, value) {
  const error = new RangeError(`The value of "${name}" is out of range. It must be ${expected}. Received ${describeValue(value)}`);
  error.code = 'ERR_OUT_OF_RANGE';
  return error;
}

function readInteger(options, name, minimum, maximum) {
  const value = options[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'number') throw invalidOption(`options.${name}`, 'a number', value);
  if (!Number.isInteger(value) || value < minimum || value > maximum) {
    throw optionOutOfRange(`options.${name}`, `an integer from ${minimum} to ${maximum}`, value);
  }
  return value;
}

function readFunction(options, name) {
  const value = options[name];
  if (value !== undefined && typeof value !== 'function') throw invalidOption(`options.${name}`, 'a function', value);
  return value;
}

function readBoolean(options, name) {
  const value = options[name];
  if (value !== undefined && typeof value !== 'boolean') throw invalidOption(`options.${name}`, 'a boolean', value);
  return value;
}

/** Writes one line per error to stderr. The package's own error messages never include the secret. */
function logToStderr(error, req) {
  const where = req ? `${req.method} ${req.url}` : 'request';
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  process.stderr.write(`freeclimb-callstatus: ${where}: ${detail.replace(/[\r\n]+/g, ' ')}\n`);
}

/**
 * Checks a helper's options once, when the helper is created, so that a
 * missing secret fails at startup instead of on every webhook. `accepted`
 * lists the option names allowed, for helpers that take more than the
 * shared ones.
 */
function readHandlerOptions(options, accepted = HANDLER_OPTIONS) {
  if (options === null || typeof options !== 'object') throw invalidOption('options', 'an object', options);
  checkOptionNames(options, accepted);

  const secret = options.secret;
  if (typeof secret !== 'string' || secret.trim() === '') {
    const error = new TypeError(
      'The "options.secret" argument must be a non-empty string: the account\'s signing secret, ' +
        `which starts with "sigsec_". Received ${typeof secret === 'string' ? 'an empty or whitespace-only string' : describeValue(secret)}`,
    );
    error.code = typeof secret === 'string' ? 'ERR_INVALID_ARG_VALUE' : 'ERR_INVALID_ARG_TYPE';
    throw error;
  }

  const mode = options.mode === undefined ? 'lenient' : options.mode;
  if (!MODES.includes(mode)) {
    const error = new TypeError(`The "options.mode" argument must be "lenient" or "strict". Received ${describeValue(mode)}`);
    error.code = 'ERR_INVALID_ARG_VALUE';
    throw error;
  }

  // The limits of validate(), checked here so that a larger value fails when
  // the helper is created rather than on every request.
  const maxBytes = readInteger(options, 'maxBytes', 1, MAX_INPUT_BYTES);
  const onError = readFunction(options, 'onError');

  return {
    secret,
    mode,
    maxBytes: maxBytes === undefined ? DEFAULT_MAX_BYTES : maxBytes,
    maxDepth: readInteger(options, 'maxDepth', 1, MAX_DEPTH_LIMIT),
    maxIssues: readInteger(options, 'maxIssues', 1, MAX_U32),
    maskPersonalData: readBoolean(options, 'maskPersonalData'),
    toleranceSeconds: readInteger(options, 'toleranceSeconds', 0, Number.MAX_SAFE_INTEGER),
    now: readFunction(options, 'now'),
    onError: onError === undefined ? logToStderr : onError,
  };
}

/** Throws 405 for any method but POST, which FreeClimb sends callStatus webhooks with. */
function checkMethod(method) {
  if (method !== 'POST') {
    throw new CallStatusRequestError(
      'method_not_allowed',
      405,
      `method ${method} is not allowed: FreeClimb sends callStatus webhooks with POST`,
    );
  }
}

/**
 * Throws 415 unless the Content-Type is `application/json`, with no charset
 * or a UTF-8 one, because JSON bodies are UTF-8 and the validator reads them
 * as such.
 */
function checkContentType(header) {
  if (header === undefined || header === '') {
    throw new CallStatusRequestError(
      'unsupported_media_type',
      415,
      'missing Content-Type header: expected "application/json"',
    );
  }

  const [mediaType, ...parameters] = header.split(';');
  if (mediaType.trim().toLowerCase() !== 'application/json') {
    throw new CallStatusRequestError(
      'unsupported_media_type',
      415,
      `unsupported Content-Type ${JSON.stringify(header.slice(0, 100))}: expected "application/json"`,
    );
  }

  for (const parameter of parameters) {
    const separator = parameter.indexOf('=');
    if (separator === -1 || parameter.slice(0, separator).trim().toLowerCase() !== 'charset') continue;

    const charset = parameter.slice(separator + 1).trim().replace(/^"(.*)"$/, '$1').toLowerCase();
    if (charset !== 'utf-8' && charset !== 'utf8') {
      throw new CallStatusRequestError(
        'unsupported_media_type',
        415,
        `unsupported charset ${JSON.stringify(charset.slice(0, 40))} in Content-Type: expected UTF-8 JSON`,
      );
    }
  }
}

function payloadTooLarge(length, maxBytes, declared) {
  const measured = declared ? `declares a Content-Length of ${length} bytes` : `has more than ${maxBytes} bytes`;
  return new CallStatusRequestError(
    'payload_too_large',
    413,
    `request body ${measured}: the limit is ${maxBytes} bytes`,
  );
}

/** Throws 413 when the Content-Length alone shows the body is over the limit, before reading it. */
function checkDeclaredLength(headers, maxBytes) {
  const declared = headers['content-length'];
  if (declared === undefined) return;

  // Node's HTTP parser has already rejected a Content-Length that is not a
  // number, so only the comparison is left.
  const length = Number(declared);
  if (length > maxBytes) throw payloadTooLarge(length, maxBytes, true);
}

function rawBodyUnavailable(reason) {
  return new CallStatusRequestError(
    'raw_body_unavailable',
    500,
    `the raw request body is unavailable because ${reason}. The FreeClimb signature covers the exact bytes ` +
      'received, so mount the callStatus handler before any body parser such as express.json(), ' +
      'or give it the bytes with express.raw({ type: "application/json" })',
  );
}

/**
 * Reads a request stream into one Buffer and rejects with a 413 as soon as
 * more than `maxBytes` have arrived.
 *
 * After the limit is passed the stream is resumed with no listener, so the
 * rest of the body is discarded rather than buffered while the 413 goes
 * out. The 413 carries `Connection: close`, so Node closes the socket once
 * the response is sent and a client that keeps sending cannot hold it open.
 */
function readRawBody(stream, maxBytes) {
  return new Promise((resolve, reject) => {
    if (stream.readableEnded) {
      reject(rawBodyUnavailable('another handler has already read the request stream'));
      return;
    }
    if (stream.readableEncoding) {
      reject(rawBodyUnavailable(`the request stream decodes its chunks as ${stream.readableEncoding} text`));
      return;
    }

    const chunks = [];
    let received = 0;
    let settled = false;

    function settle(error, body) {
      if (settled) return;
      settled = true;
      stream.removeListener('data', onData);
      stream.removeListener('end', onEnd);
      stream.removeListener('error', onStreamError);
      stream.removeListener('close', onClose);
      if (error) reject(error);
      else resolve(body);
    }

    function onData(chunk) {
      received += chunk.length;
      if (received > maxBytes) {
        chunks.length = 0;
        settle(payloadTooLarge(received, maxBytes, false));
        stream.resume();
        return;
      }
      chunks.push(chunk);
    }

    function onEnd() {
      settle(null, Buffer.concat(chunks, received));
    }

    function onStreamError(cause) {
      if (cause && (cause.code === 'ECONNRESET' || cause.code === 'ERR_STREAM_PREMATURE_CLOSE')) {
        settle(new CallStatusRequestError('request_aborted', 400, 'the client closed the connection before sending the whole body', { cause }));
        return;
      }
      settle(cause instanceof Error ? cause : new Error(String(cause)));
    }

    // A stream that closes before 'end' without an 'error' event has also
    // lost its client. A 'close' after 'end' comes after settle() and is ignored.
    function onClose() {
      settle(new CallStatusRequestError('request_aborted', 400, 'the client closed the connection before sending the whole body'));
    }

    stream.on('data', onData);
    stream.on('end', onEnd);
    stream.on('error', onStreamError);
    stream.on('close', onClose);
  });
}

function constructOptions(settings) {
  const options = { mode: settings.mode, maxBytes: settings.maxBytes };
  if (settings.maxDepth !== undefined) options.maxDepth = settings.maxDepth;
  if (settings.maxIssues !== undefined) options.maxIssues = settings.maxIssues;
  if (settings.maskPersonalData !== undefined) options.maskPersonalData = settings.maskPersonalData;
  if (settings.toleranceSeconds !== undefined) options.toleranceSeconds = settings.toleranceSeconds;
  if (settings.now !== undefined) options.now = settings.now();
  return options;
}

/**
 * Verifies the FreeClimb-Signature header over the raw body, then validates
 * the body. Returns the payload. The SignatureVerificationError or
 * ValidationError it throws gets a `statusCode` of 401 or 400.
 */
function constructFromRequest(rawBody, headers, settings) {
  if (rawBody.length > settings.maxBytes) throw payloadTooLarge(rawBody.length, settings.maxBytes, false);

  const options = constructOptions(settings);
  try {
    return api.constructCallStatus(rawBody, headers[SIGNATURE_HEADER], settings.secret, options);
  } catch (error) {
    if (error instanceof api.SignatureVerificationError) error.statusCode = 401;
    else if (error instanceof api.ValidationError) error.statusCode = 400;
    throw error;
  }
}

/** Runs every check on a Node request and returns the verified payload. */
async function readCallStatusFromRequest(req, settings) {
  checkMethod(req.method);
  checkContentType(req.headers['content-type']);
  checkDeclaredLength(req.headers, settings.maxBytes);
  const rawBody = await readRawBody(req, settings.maxBytes);
  return constructFromRequest(rawBody, req.headers, settings);
}

/**
 * Maps an error to the response for it: `{ statusCode, headers, body }`
 * where body is `{ error, message, issues? }`. Unknown errors become a 500
 * whose message reveals nothing of the error.
 */
function errorResponse(error) {
  const headers = { 'content-type': JSON_CONTENT_TYPE, 'cache-control': 'no-store' };

  if (error instanceof api.SignatureVerificationError) {
    return { statusCode: 401, headers, body: { error: error.code, message: error.message } };
  }

  if (error instanceof api.ValidationError) {
    return {
      statusCode: 400,
      headers,
      body: { error: 'invalid_payload', message: error.message, issues: error.issues },
    };
  }

  if (error instanceof CallStatusRequestError) {
    if (error.statusCode === 405) headers.allow = 'POST';
    // The rest of an oversized body is still on its way, so the connection
    // cannot carry another request.
    if (error.statusCode === 413) headers.connection = 'close';
    return { statusCode: error.statusCode, headers, body: { error: error.code, message: error.message } };
  }

  return {
    statusCode: 500,
    headers,
    body: { error: 'internal_error', message: 'internal error while handling the callStatus webhook' },
  };
}

/**
 * Returns whether an error is worth a log line: failures on the server's
 * side and aborted requests. Rejected requests (4xx) get a response but no
 * log line, so that a flood of forged webhooks cannot flood the log.
 */
function shouldReport(error) {
  if (error instanceof api.SignatureVerificationError || error instanceof api.ValidationError) return false;
  if (error instanceof CallStatusRequestError) return error.statusCode >= 500 || error.code === 'request_aborted';
  return true;
}

/** Calls the user's onError without letting an exception in it escape. */
function report(settings, error, req) {
  try {
    settings.onError(error, req);
  } catch (failure) {
    logToStderr(failure, req);
  }
}

/** Sends the error response on a Node `ServerResponse` if nothing has been sent yet. */
function sendError(res, error) {
  if (res.headersSent || res.destroyed) return;

  const { statusCode, headers, body } = errorResponse(error);
  const text = JSON.stringify(body);
  headers['content-length'] = String(Buffer.byteLength(text));
  res.writeHead(statusCode, headers);
  res.end(text);
}

/**
 * Sends the error's response, or destroys the response when one has
 * already started. Never throws: a failure to send is reported and the
 * response destroyed, so that the client is not left waiting.
 */
function answerError(settings, error, req, res) {
  try {
    if (res.headersSent) {
      if (!res.writableEnded) res.destroy();
      return;
    }
    sendError(res, error);
  } catch (failure) {
    report(settings, failure, req);
    res.destroy();
  }
}

/** Reports the error when it should be logged, then sends its response. */
function failRequest(settings, error, req, res) {
  if (shouldReport(error)) report(settings, error, req);
  answerError(settings, error, req, res);
}

module.exports = {
  SIGNATURE_HEADER,
  DEFAULT_MAX_BYTES,
  HANDLER_OPTION_NAMES,
  acceptedOptions,
  CallStatusRequestError,
  readHandlerOptions,
  checkMethod,
  checkContentType,
  checkDeclaredLength,
  readRawBody,
  rawBodyUnavailable,
  constructFromRequest,
  readCallStatusFromRequest,
  errorResponse,
  shouldReport,
  report,
  sendError,
  answerError,
  failRequest,
};
