// Types shared by the Node webhook helpers. They use Node's own request and
// response types only, so no framework's types need to be installed.

import type { IncomingMessage } from 'node:http';
import type { Issue, Mode, SignatureErrorCode } from '../index.js';

/**
 * Options of every helper. Checked when the helper is created: a property
 * not listed here throws a TypeError, except the `prefix`, `logLevel` and
 * `logSerializers` that Fastify's register() passes on to the plugin.
 */
export interface CallStatusHandlerOptions {
  /** The account's signing secret, `sigsec_…`. Required, used exactly as given. */
  secret: string;
  /** Validation mode. Default `lenient`. */
  mode?: Mode;
  /**
   * Largest body accepted, in bytes. A larger one gets a 413 as soon as
   * the limit is passed. At most 1073741824 (1 GiB). Default 1048576 (1 MiB).
   */
  maxBytes?: number;
  /** Deepest JSON nesting accepted, at most 1024. Default 64. */
  maxDepth?: number;
  /** Maximum number of issues in a 400 response. Default 100. */
  maxIssues?: number;
  /** Hides phone numbers in the messages of 400 responses, as validate() does. Default false. */
  maskPersonalData?: boolean;
  /** Accepted clock difference in seconds, past or future. Default 300. */
  toleranceSeconds?: number;
  /** Current time as Unix seconds or a Date, called once per request. For tests. */
  now?: () => number | Date;
  /**
   * Receives errors that the helper handles without rethrowing: aborted
   * requests, stream errors, misconfiguration and exceptions in your code.
   * Default: one line on stderr. Rejected requests (4xx) are not passed.
   */
  onError?: (error: unknown, req: IncomingMessage) => void;
}

/** Codes of CallStatusRequestError. */
export type CallStatusRequestErrorCode =
  | 'method_not_allowed'
  | 'unsupported_media_type'
  | 'payload_too_large'
  | 'raw_body_unavailable'
  | 'request_aborted';

/**
 * A failure found before or while the body is read: wrong method (405),
 * wrong content type (415), body over the limit (413), body already read by
 * a body parser (500) or a client that went away (400).
 */
export class CallStatusRequestError extends Error {
  readonly name: 'CallStatusRequestError';
  readonly code: CallStatusRequestErrorCode;
  readonly statusCode: 400 | 405 | 413 | 415 | 500;
}

/** The `error` field of an error response. */
export type ErrorResponseCode =
  | SignatureErrorCode
  | 'invalid_payload'
  | CallStatusRequestErrorCode
  | 'internal_error';

/** JSON body of every error response. */
export interface ErrorResponseBody {
  error: ErrorResponseCode;
  message: string;
  /** Errors, then warnings, of an `invalid_payload` response. */
  issues?: Issue[];
}

/** An error response: 400, 401, 405, 413, 415 or 500. */
export interface ErrorResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: ErrorResponseBody;
}
