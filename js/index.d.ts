// Types for the freeclimb-callstatus package. The same declarations cover
// the Node build and the browser build.

/** A final callStatus, the only values a callStatus webhook should carry. */
export type FinalCallStatus = 'completed' | 'busy' | 'failed' | 'noAnswer' | 'canceled';

/** Every callStatus FreeClimb knows; the last three describe calls still in progress. */
export type CallStatus = FinalCallStatus | 'queued' | 'ringing' | 'inProgress';

/** The 23 documented callEndedReason values. */
export type KnownCallEndedReason =
  | 'busy'
  | 'failed'
  | 'noAnswer'
  | 'callCanceled'
  | 'farEndHangup'
  | 'appHangup'
  | 'appReject'
  | 'appNoPercl'
  | 'appInvalidPercl'
  | 'conferenceTerminated'
  | 'conferenceEmptied'
  | 'removedFromConference'
  | 'machineDetected'
  | 'webhookFailed'
  | 'webhookInvalidResponse'
  | 'voiceDisabled'
  | 'configErrorNoApplication'
  | 'configErrorNoVoiceUrl'
  | 'maxRedirectsError'
  | 'perclProcessingError'
  | 'internalError'
  | 'grpcHangup'
  | 'maxDuration';

/**
 * A callEndedReason as received. Lenient mode keeps values newer than this
 * package verbatim, hence the open string.
 */
export type CallEndedReason = KnownCallEndedReason | (string & {});

/** `outbound` (webhook reference) and `outboundAPI` (SDKs) both mean a REST-initiated call. */
export type Direction = 'inbound' | 'outbound' | 'outboundAPI' | 'outboundDial';

/** Validation mode: `lenient` for production handlers, `strict` for contract tests. */
export type Mode = 'lenient' | 'strict';

export type Severity = 'error' | 'warning';

/** Stable issue codes. */
export type IssueCode =
  | 'empty_body'
  | 'invalid_json'
  | 'invalid_utf8'
  | 'trailing_data'
  | 'not_an_object'
  | 'body_too_large'
  | 'too_deep'
  | 'duplicate_key'
  | 'missing_field'
  | 'wrong_type'
  | 'invalid_request_type'
  | 'invalid_id'
  | 'invalid_phone_number'
  | 'invalid_call_status'
  | 'non_final_call_status'
  | 'unknown_call_ended_reason'
  | 'invalid_direction'
  | 'expected_null'
  | 'duration_as_number'
  | 'invalid_duration'
  | 'duration_above_maximum'
  | 'invalid_url'
  | 'incomplete_recording'
  | 'missing_parent_call_id'
  | 'reason_status_mismatch'
  | 'reason_direction_mismatch'
  | 'unknown_field'
  | 'too_many_issues';

/** One problem found in a payload. */
export interface Issue {
  /** JSON Pointer to the value: `""` for the whole body. */
  path: string;
  code: IssueCode;
  severity: Severity;
  /** Plain English: the field, the value received and what was expected. */
  message: string;
  /** Line of the offending value, from 1. Absent for missing fields and object input. */
  line?: number;
  /** Column, from 1, counting Unicode characters. */
  column?: number;
  endLine?: number;
  endColumn?: number;
  /** Byte offset of the value in the body. */
  offset?: number;
  /** Length of the value in bytes. */
  length?: number;
}

/** A valid callStatus body, normalised. */
export interface CallStatusPayload {
  requestType: 'callStatus';
  callId: string;
  accountId: string;
  from: string;
  to: string;
  callStatus: FinalCallStatus;
  /** null when the sender omitted it (older senders; a warning in lenient mode). */
  callEndedReason: CallEndedReason | null;
  direction: Direction;
  conferenceId: string | null;
  queueId: string | null;
  /** Seconds, including ring time; null when missing (lenient mode). */
  callDuration: number | null;
  recordingUrl?: string;
  recordingId?: string;
  /** Seconds, rounded up. */
  recordingDurationSec?: number;
  parentCallId: string | null;
}

/**
 * Options of validate(), validateMany(), parse() and createCallStatusSchema(),
 * and with SignatureOptions of constructCallStatus(). Any other property
 * throws a TypeError.
 */
export interface ValidateOptions {
  /** Default `lenient`. */
  mode?: Mode;
  /** Largest body accepted, in bytes, at most 1073741824 (1 GiB). Default 1048576 (1 MiB). */
  maxBytes?: number;
  /** Deepest nesting accepted, at most 1024; the root object is level 1. Default 64. */
  maxDepth?: number;
  /** Most issues in a report, the final counting issue included. Default 100. */
  maxIssues?: number;
  /** validateMany only: most line reports in a batch; the rest are counted. Default 1000. */
  maxReports?: number;
  /**
   * Hides personal data in issue messages so that reports can be logged:
   * a received `from` or `to` keeps only a leading `+` and its last two
   * characters, and any other run of five or more digits keeps its last two.
   * Paths, codes and spans are unchanged. Default false.
   */
  maskPersonalData?: boolean;
}

export interface ValidationReport {
  valid: boolean;
  errors: Issue[];
  warnings: Issue[];
  /** Present exactly when `valid` is true. */
  payload?: CallStatusPayload;
}

/** Raw body bytes, the body as text, or an already-parsed JSON value. */
export type ValidationInput = string | Uint8Array | ArrayBuffer | ArrayBufferView | object | null;

/** Validates a callStatus body and reports every issue. Never throws for bad bodies. */
export function validate(input: ValidationInput, options?: ValidateOptions): ValidationReport;

/** The report of one NDJSON line that has at least one issue. */
export interface LineReport {
  /** Line number, from 1. */
  line: number;
  valid: boolean;
  errors: Issue[];
  warnings: Issue[];
}

/** The outcome of validateMany(). */
export interface BatchReport {
  /** Lines seen, blank ones included. */
  lines: number;
  /** Payloads checked (non-blank lines). */
  total: number;
  valid: number;
  invalid: number;
  /** Payloads with issues past maxReports, counted in valid or invalid but not reported. */
  droppedReports: number;
  /** Line numbers of the blank lines, which are skipped. */
  blankLines: number[];
  /** Only the payloads with at least one issue; payloads are not included. */
  reports: LineReport[];
}

/** Validates NDJSON, one payload per line, in one call. `maxBytes` limits each line. */
export function validateMany(input: string | Uint8Array | ArrayBuffer | ArrayBufferView, options?: ValidateOptions): BatchReport;

/** Validates and returns the normalised payload; throws ValidationError when there is an error. */
export function parse(input: ValidationInput, options?: ValidateOptions): CallStatusPayload;

/** Thrown by parse(). */
export class ValidationError extends Error {
  readonly name: 'ValidationError';
  readonly code: 'ERR_CALLSTATUS_INVALID';
  readonly errors: Issue[];
  readonly warnings: Issue[];
  /** Errors, then warnings. */
  readonly issues: Issue[];
}

/** Stable codes of SignatureVerificationError. */
export type SignatureErrorCode =
  | 'missing_header'
  | 'malformed_header'
  | 'missing_timestamp'
  | 'missing_signature'
  | 'timestamp_outside_tolerance'
  | 'no_matching_signature'
  | 'empty_secret'
  | 'empty_body';

/** The request body exactly as received; a string is signed as its UTF-8 bytes. */
export type RawBody = string | Uint8Array | ArrayBuffer | ArrayBufferView;

/**
 * Options of verifySignature(), and with ValidateOptions of
 * constructCallStatus(). Any other property throws a TypeError.
 */
export interface SignatureOptions {
  /** Accepted clock difference in seconds, past or future. Default 300. */
  toleranceSeconds?: number;
  /** Current time as Unix seconds or a Date; default the system clock. For tests. */
  now?: number | Date;
}

/** Thrown when a request's FreeClimb-Signature does not verify. */
export class SignatureVerificationError extends Error {
  readonly name: 'SignatureVerificationError';
  readonly code: SignatureErrorCode;
}

/**
 * Verifies the FreeClimb-Signature header (`t=…,v1=…`) over the raw body.
 * Throws SignatureVerificationError when it does not verify.
 */
export function verifySignature(
  rawBody: RawBody,
  header: string | string[] | undefined | null,
  secret: string,
  options?: SignatureOptions,
): void;

/**
 * Verifies the signature, then validates and returns the payload.
 * Throws SignatureVerificationError or ValidationError.
 */
export function constructCallStatus(
  rawBody: RawBody,
  header: string | string[] | undefined | null,
  secret: string,
  options?: SignatureOptions & ValidateOptions,
): CallStatusPayload;

/** Signs a body as FreeClimb does, for tests. `timestamp` defaults to now. */
export function signPayload(body: RawBody, secret: string, timestamp?: number | Date): string;

/** The documented meaning of every value of the three enumerations. */
export interface Meanings {
  callStatus: Record<CallStatus, string>;
  callEndedReason: Record<KnownCallEndedReason, string>;
  direction: Record<Direction, string>;
}

export function meanings(): Meanings;

/**
 * Loads the WebAssembly module in browsers; a no-op in Node. Accepts a URL,
 * a Response, bytes or a WebAssembly.Module.
 */
export function init(moduleOrPath?: unknown): Promise<void>;

/**
 * The Standard Schema v1 interface (https://standardschema.dev), declared
 * here so that the package has no dependency. Any library that accepts a
 * `StandardSchemaV1` from `@standard-schema/spec` accepts this shape.
 */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly '~standard': StandardSchemaV1Props<Input, Output>;
}

/** The `~standard` property of a Standard Schema. */
export interface StandardSchemaV1Props<Input = unknown, Output = Input> {
  readonly version: 1;
  readonly vendor: string;
  /** Validates an unknown value. */
  readonly validate: (value: unknown) => StandardSchemaV1Result<Output> | Promise<StandardSchemaV1Result<Output>>;
  /** The input and output types, for type inference only; this package leaves it undefined at run time. */
  readonly types?: { readonly input: Input; readonly output: Output } | undefined;
}

/** One Standard Schema issue: a message and the keys leading to the value. */
export interface StandardSchemaV1Issue {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
}

export type StandardSchemaV1Result<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: ReadonlyArray<StandardSchemaV1Issue> };

/** An error of the payload as a Standard Schema issue. */
export interface CallStatusSchemaIssue extends StandardSchemaV1Issue {
  /** The issue's message, as in validate()'s report. */
  readonly message: string;
  /**
   * The JSON Pointer of the issue as keys: `[]` for the whole body,
   * `['callId']` for a field, with array indexes as numbers.
   */
  readonly path: ReadonlyArray<string | number>;
  /** The issue's stable code, as in validate()'s report. */
  readonly code: IssueCode;
}

/** The outcome of `callStatusSchema['~standard'].validate()`. */
export type CallStatusSchemaResult =
  | { readonly value: CallStatusPayload; readonly issues?: undefined }
  | { readonly issues: ReadonlyArray<CallStatusSchemaIssue> };

/**
 * A Standard Schema v1 of the callStatus payload. `validate` takes what
 * validate() takes (a parsed object, the body as text, or its bytes) and
 * returns `{ value }` with the normalised payload or `{ issues }` with one
 * issue per error. Warnings do not fail a payload and are not returned.
 */
export interface CallStatusSchema extends StandardSchemaV1<ValidationInput, CallStatusPayload> {
  readonly '~standard': CallStatusSchemaProps;
}

/** The `~standard` property of a CallStatusSchema: `validate` returns its result synchronously. */
export interface CallStatusSchemaProps extends StandardSchemaV1Props<ValidationInput, CallStatusPayload> {
  readonly vendor: 'freeclimb-callstatus';
  readonly validate: (value: unknown) => CallStatusSchemaResult;
}

/** The callStatus payload as a Standard Schema, in lenient mode with the default limits. */
export const callStatusSchema: CallStatusSchema;

/**
 * Creates a Standard Schema with the options of validate(), for example
 * `{ mode: 'strict' }`. Throws TypeError or RangeError for invalid options.
 */
export function createCallStatusSchema(options?: ValidateOptions): CallStatusSchema;
