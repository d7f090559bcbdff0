// The strict rules as ajv, zod and valibot validators, the three
// JavaScript libraries the benchmark compares against. All three take their
// patterns and enumerations from schema/callstatus.schema.json, so they
// check the same rules with the same regular expressions.

import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { fullFormats } from 'ajv-formats/dist/formats.js';
import * as z from 'zod';
import * as v from 'valibot';

export const schema = JSON.parse(readFileSync(new URL('../schema/callstatus.schema.json', import.meta.url), 'utf8'));

const properties = schema.properties;
const pattern = (field) => new RegExp(properties[field].pattern, 'u');

const CALL_ID = pattern('callId');
const ACCOUNT_ID = pattern('accountId');
const E164 = new RegExp(schema.$defs.e164.pattern, 'u');
const DIGITS = pattern('callDuration');
const RECORDING_ID = pattern('recordingId');
const RECORDING_DURATION = pattern('recordingDurationSec');
const PARENT_CALL_ID = pattern('parentCallId');
const RECORDING_URL = new RegExp(properties.recordingUrl.anyOf[1].pattern, 'u');
const CALL_STATUSES = properties.callStatus.enum;
const CALL_ENDED_REASONS = properties.callEndedReason.enum;
const DIRECTIONS = properties.direction.enum;

// ajv checks recordingUrl against format "uri" (RFC 3986) as well as the
// pattern. zod and valibot run the same ajv-formats function, so no library
// does less work than another.
const isUri = fullFormats.uri;
const isRecordingUrl = (url) => url === '' || (RECORDING_URL.test(url) && isUri(url));

/** Returns true when the recording fields are all present or all absent, null counting as absent. */
function recordingComplete(value) {
  const present = [value.recordingUrl, value.recordingId, value.recordingDurationSec].filter(
    (field) => field !== undefined && field !== null,
  ).length;
  return present === 0 || present === 3;
}

/** Compiles schema/callstatus.schema.json the way a user of ajv would: every error, formats on. */
export function compileAjv() {
  const ajv = new Ajv2020({ allErrors: true });
  addFormats(ajv);
  return ajv.compile(schema);
}

export const zodSchema = z
  .strictObject({
    requestType: z.literal('callStatus'),
    callId: z.string().regex(CALL_ID),
    accountId: z.string().regex(ACCOUNT_ID),
    from: z.string().regex(E164),
    to: z.string().regex(E164),
    callStatus: z.enum(CALL_STATUSES),
    callEndedReason: z.enum(CALL_ENDED_REASONS),
    direction: z.enum(DIRECTIONS),
    conferenceId: z.null(),
    queueId: z.null(),
    callDuration: z.string().regex(DIGITS),
    recordingUrl: z.string().refine(isRecordingUrl).nullable().optional(),
    recordingId: z.string().regex(RECORDING_ID).nullable().optional(),
    recordingDurationSec: z.string().regex(RECORDING_DURATION).nullable().optional(),
    parentCallId: z.string().regex(PARENT_CALL_ID).nullable(),
  })
  .refine(recordingComplete, { message: 'recordingUrl, recordingId and recordingDurationSec come together' });

export const valibotSchema = v.pipe(
  v.strictObject({
    requestType: v.literal('callStatus'),
    callId: v.pipe(v.string(), v.regex(CALL_ID)),
    accountId: v.pipe(v.string(), v.regex(ACCOUNT_ID)),
    from: v.pipe(v.string(), v.regex(E164)),
    to: v.pipe(v.string(), v.regex(E164)),
    callStatus: v.picklist(CALL_STATUSES),
    callEndedReason: v.picklist(CALL_ENDED_REASONS),
    direction: v.picklist(DIRECTIONS),
    conferenceId: v.null(),
    queueId: v.null(),
    callDuration: v.pipe(v.string(), v.regex(DIGITS)),
    recordingUrl: v.nullish(v.pipe(v.string(), v.check(isRecordingUrl))),
    recordingId: v.nullish(v.pipe(v.string(), v.regex(RECORDING_ID))),
    recordingDurationSec: v.nullish(v.pipe(v.string(), v.regex(RECORDING_DURATION))),
    parentCallId: v.nullable(v.pipe(v.string(), v.regex(PARENT_CALL_ID))),
  }),
  v.check(recordingComplete, 'recordingUrl, recordingId and recordingDurationSec come together'),
);

/** Runs valibot the way its documentation recommends for untrusted input: safeParse, all issues. */
export function valibotSafeParse(value) {
  return v.safeParse(valibotSchema, value);
}
