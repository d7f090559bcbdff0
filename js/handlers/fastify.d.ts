// callStatus webhooks in Fastify 4 and 5. These types do not import
// fastify: the plugin is typed with the few instance methods it calls.
//
// To type `request.callStatus` in route handlers, add to your code:
//
//   declare module 'fastify' {
//     interface FastifyRequest {
//       callStatus: import('freeclimb-callstatus').CallStatusPayload | null;
//     }
//   }

import type { CallStatusHandlerOptions } from './common.js';

export type {
  CallStatusHandlerOptions,
  CallStatusRequestErrorCode,
  ErrorResponseBody,
  ErrorResponseCode,
} from './common.js';
export { CallStatusRequestError } from './common.js';

/** The methods of a Fastify instance that the plugin calls. */
export interface CallStatusPluginHost {
  hasRequestDecorator(name: string): boolean;
  decorateRequest(name: string, value: null): unknown;
  hasContentTypeParser(contentType: string): boolean;
  removeContentTypeParser(contentType: string): unknown;
  addContentTypeParser(contentType: string, parser: (...args: any[]) => unknown): unknown;
  addHook(name: string, hook: (...args: any[]) => unknown): unknown;
}

/**
 * Fastify plugin: register it in the scope that declares the FreeClimb
 * webhook routes. It reads `application/json` bodies as raw bytes, rejects
 * requests with 405, 415, 413, 401 or 400 and a JSON error body, and
 * otherwise sets `request.callStatus`. Registration fails with a TypeError
 * or RangeError for invalid options.
 */
export function callStatusPlugin(
  fastify: CallStatusPluginHost,
  options: CallStatusHandlerOptions,
  done: (error?: Error) => void,
): void;
