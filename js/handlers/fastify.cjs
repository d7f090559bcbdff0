// callStatus webhooks in Fastify 4 and 5. This file never requires
// fastify: the plugin only calls methods of the instance it is given.
//
// NOTE: the test suite runs Fastify 5 only. Every method called here also
// exists in Fastify 4, but no test covers it here.

'use strict';

const {
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
  errorResponse,
  shouldReport,
  report,
} = require('./common.cjs');

// Fastify passes its own register() options (prefix, logLevel,
// logSerializers) on to every plugin, so the plugin accepts them too. They
// have no effect on a plugin that skips encapsulation, as this one does.
const PLUGIN_OPTIONS = acceptedOptions([...HANDLER_OPTION_NAMES, 'prefix', 'logLevel', 'logSerializers']);

/** Request property where the body parser stores a read failure for the preValidation hook to send. */
const kReadFailure = Symbol('freeclimb-callstatus body read failure');

function replyWithError(settings, error, request, reply) {
  if (shouldReport(error)) report(settings, error, request.raw);

  const { statusCode, headers, body } = errorResponse(error);
  return reply.code(statusCode).headers(headers).send(body);
}

/**
 * Fastify plugin that verifies and validates every request of the scope it
 * is registered in, and stores the payload in `request.callStatus`.
 *
 * Register it inside the encapsulated scope that declares the FreeClimb
 * webhook routes and nothing else, because it changes that whole scope:
 *
 * - `application/json` bodies are read as raw bytes, up to `maxBytes`, and
 *   `request.body` is that Buffer. The signature covers those bytes, so
 *   Fastify's JSON parser must not run first.
 * - An `onRequest` hook responds with 405 to methods other than POST, with
 *   415 to other content types and with 413 to a Content-Length over
 *   `maxBytes`.
 * - A `preValidation` hook responds with 413 to a streamed body over the
 *   limit, with 401 to a signature that does not verify and with 400 to an
 *   invalid payload. The route handler runs only for a verified, valid
 *   callStatus.
 *
 * The plugin carries `Symbol.for('skip-override')`, as fastify-plugin would
 * set, so these changes apply to the scope that registers it rather than
 * to a child scope of their own.
 */
function callStatusPlugin(fastify, options, done) {
  // Fastify's plugin loader does not catch a synchronous throw from a
  // plugin that skips encapsulation, so errors go through done(), which
  // makes register(), ready() and listen() reject with them.
  try {
    installCallStatusPlugin(fastify, options);
  } catch (error) {
    done(error);
    return;
  }
  done();
}

function installCallStatusPlugin(fastify, options) {
  const settings = readHandlerOptions(options, PLUGIN_OPTIONS);

  if (!fastify.hasRequestDecorator('callStatus')) fastify.decorateRequest('callStatus', null);

  // Fastify lets a scope replace the JSON parser it inherited, but only
  // after removing it.
  if (fastify.hasContentTypeParser('application/json')) fastify.removeContentTypeParser('application/json');
  fastify.addContentTypeParser('application/json', function readRawJsonBody(request, payload, parsed) {
    readRawBody(payload, settings.maxBytes).then(
      (body) => parsed(null, body),
      (error) => {
        request[kReadFailure] = error;
        parsed(null, undefined);
      },
    );
  });

  fastify.addHook('onRequest', async function checkCallStatusRequest(request, reply) {
    try {
      checkMethod(request.method);
      checkContentType(request.headers['content-type']);
      checkDeclaredLength(request.headers, settings.maxBytes);
    } catch (error) {
      return replyWithError(settings, error, request, reply);
    }
    return undefined;
  });

  fastify.addHook('preValidation', async function verifyCallStatus(request, reply) {
    const failure = request[kReadFailure];
    if (failure !== undefined) return replyWithError(settings, failure, request, reply);

    if (!Buffer.isBuffer(request.body)) {
      const error = rawBodyUnavailable('a parser other than this plugin\'s has read the request');
      return replyWithError(settings, error, request, reply);
    }

    try {
      request.callStatus = constructFromRequest(request.body, request.headers, settings);
    } catch (error) {
      return replyWithError(settings, error, request, reply);
    }
    return undefined;
  });
}

callStatusPlugin[Symbol.for('skip-override')] = true;
callStatusPlugin[Symbol.for('fastify.display-name')] = 'freeclimb-callstatus';

exports.callStatusPlugin = callStatusPlugin;
exports.CallStatusRequestError = CallStatusRequestError;
