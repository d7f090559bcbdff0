// callStatus webhooks on a plain `node:http` server.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallStatusPayload, SignatureVerificationError, ValidationError } from '../index.js';
import type { CallStatusHandlerOptions, CallStatusRequestError, ErrorResponse } from './common.js';

export type {
  CallStatusHandlerOptions,
  CallStatusRequestErrorCode,
  ErrorResponse,
  ErrorResponseBody,
  ErrorResponseCode,
} from './common.js';
export { CallStatusRequestError } from './common.js';

/** Callback for each verified, valid callStatus. It responds through `res`, or the listener sends 204. */
export type CallStatusCallback = (
  payload: CallStatusPayload,
  req: IncomingMessage,
  res: ServerResponse,
) => void | Promise<void>;

/** An error thrown by readCallStatus(), with the status code to respond with. */
export type ReadCallStatusError =
  | (SignatureVerificationError & { statusCode: 401 })
  | (ValidationError & { statusCode: 400 })
  | CallStatusRequestError;

/**
 * Creates a `(req, res)` listener for `http.createServer()`. It rejects
 * requests with 405, 415, 413, 401 or 400 and a JSON error body, and
 * otherwise calls `onCallStatus`. When that throws, the listener sends 500
 * and calls `onError`.
 * Throws TypeError for invalid options.
 */
export function createCallStatusHandler(
  options: CallStatusHandlerOptions,
  onCallStatus: CallStatusCallback,
): (req: IncomingMessage, res: ServerResponse) => void;

/**
 * Reads, verifies and validates one request and returns the payload.
 * Rejects with a ReadCallStatusError, or TypeError for invalid options.
 */
export function readCallStatus(
  req: IncomingMessage,
  options: CallStatusHandlerOptions,
): Promise<CallStatusPayload>;

/** Builds the response for an error thrown by readCallStatus(), or a 500 for any other error. */
export function errorResponse(error: unknown): ErrorResponse;
