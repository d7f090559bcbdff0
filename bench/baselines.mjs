// Baselines for the benchmark: JSON.parse with a schema validator for the
// body and node:crypto for the signature, written the way a careful handler
// without this package would be, so the package is compared with good code.

import { createHmac, timingSafeEqual } from 'node:crypto';

const TOLERANCE_SECONDS = 300;
const NEWLINE = 0x0a;

/** Parses the raw body and validates it with a compiled ajv function. */
export function validateWithAjv(check, bytes) {
  const value = JSON.parse(bytes.toString('utf8'));
  return check(value) ? { valid: true, errors: [], value } : { valid: false, errors: check.errors };
}

/**
 * Verifies a FreeClimb-Signature header (`t=<seconds>,v1=<hex>...`) with
 * node:crypto: HMAC-SHA256 of `<t>.<body>`, a constant-time comparison with
 * each v1, then the timestamp tolerance. Returns the timestamp or throws.
 */
export function verifyWithNodeCrypto(body, header, secret, now) {
  let timestamp;
  const signatures = [];
  for (const part of header.split(',')) {
    const separator = part.indexOf('=');
    if (separator <= 0) throw new Error(`malformed signature header part "${part}"`);
    const key = part.slice(0, separator).trim();
    const value = part.slice(separator + 1).trim();
    if (key === 't') timestamp = value;
    else if (key === 'v1') signatures.push(value);
  }
  if (timestamp === undefined || !/^[0-9]+$/.test(timestamp)) throw new Error('missing or invalid timestamp');

  const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest();
  const matched = signatures.some((hex) => {
    const candidate = Buffer.from(hex, 'hex');
    return candidate.length === expected.length && timingSafeEqual(candidate, expected);
  });
  if (!matched) throw new Error('no matching signature');

  const seconds = Number(timestamp);
  if (Math.abs(seconds - now) > TOLERANCE_SECONDS) throw new Error('timestamp outside tolerance');
  return seconds;
}

/** Verifies with node:crypto, then parses and validates with ajv, as constructCallStatus does. Returns the body or throws. */
export function constructWithNodeCrypto(check, body, header, secret, now) {
  verifyWithNodeCrypto(body, header, secret, now);
  const report = validateWithAjv(check, body);
  if (!report.valid) throw new Error(`invalid callStatus payload: ${report.errors.length} errors`);
  return report.value;
}

/** Returns true when a line contains only JSON whitespace, which NDJSON readers skip. */
function isBlank(text) {
  return /^[ \t\r]*$/.test(text);
}

/** Returns true when a line's bytes are all JSON whitespace. The loop stops at the first other byte, usually the first one. */
function isBlankBytes(bytes) {
  for (const byte of bytes) {
    if (byte !== 0x20 && byte !== 0x09 && byte !== 0x0d) return false;
  }
  return true;
}

/**
 * Validates NDJSON line by line with JSON.parse and ajv. Returns the shape
 * validateMany returns: counts, and a report for every line with an issue.
 */
export function validateNdjsonWithAjv(check, buffer) {
  const text = buffer.toString('utf8');
  const reports = [];
  let total = 0;
  let valid = 0;
  let line = 0;
  let start = 0;

  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end === -1) end = text.length;
    const source = text.slice(start, end);
    start = end + 1;
    line++;
    if (isBlank(source)) continue;

    total++;
    let value;
    try {
      value = JSON.parse(source);
    } catch (error) {
      reports.push({ line, valid: false, errors: [{ message: error.message }], warnings: [] });
      continue;
    }
    if (check(value)) valid++;
    else reports.push({ line, valid: false, errors: check.errors, warnings: [] });
  }
  return { total, valid, invalid: total - valid, reports };
}

/**
 * Validates NDJSON with one validate() call per line, for builds that do
 * not have validateMany yet. Returns the same shape as validateMany.
 */
export function validateNdjsonPerLine(validate, buffer, options) {
  const reports = [];
  let total = 0;
  let valid = 0;
  let line = 0;
  let start = 0;

  while (start < buffer.length) {
    let end = buffer.indexOf(NEWLINE, start);
    if (end === -1) end = buffer.length;
    const bytes = buffer.subarray(start, end);
    start = end + 1;
    line++;
    if (isBlankBytes(bytes)) continue;

    total++;
    const report = validate(bytes, options);
    if (report.valid) valid++;
    if (report.errors.length > 0 || report.warnings.length > 0) {
      reports.push({ line, valid: report.valid, errors: report.errors, warnings: report.warnings });
    }
  }
  return { total, valid, invalid: total - valid, reports };
}
