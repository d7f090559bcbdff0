// callStatus webhooks in Express 4 and 5. These types do not need
// @types/express: the middleware is typed with Node's request and response,
// which Express's own types extend.

import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallStatusPayload } from '../index.js';
import type { CallStatusHandlerOptions } from './common.js';

export type {
  CallStatusHandlerOptions,
  CallStatusRequestErrorCode,
  ErrorResponseBody,
  ErrorResponseCode,
} from './common.js';
export { CallStatusRequestError } from './common.js';

/** Express middleware that sets `req.callStatus` before calling `next()`. */
export type CallStatusMiddleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => void;

/**
 * Creates middleware that verifies the FreeClimb-Signature header over the
 * raw body, validates the payload and stores it in `req.callStatus`.
 * Mount it before express.json(). Throws TypeError for invalid options.
 */
export function callStatusMiddleware(options: CallStatusHandlerOptions): CallStatusMiddleware;

declare global {
  // Merges with the Request interface of @types/express when it is
  // installed, and declares an unused namespace otherwise.
  namespace Express {
    interface Request {
      /** The verified callStatus, set by callStatusMiddleware(). */
      callStatus?: CallStatusPayload;
    }
  }
}
