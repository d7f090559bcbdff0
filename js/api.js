// The public JavaScript API, shared by the Node (CommonJS) and browser (ES
// module) builds. scripts/assemble.mjs wraps this file in the module syntax
// of each build, so it holds no import or export of its own.

'use strict';

const DEFAULT_MAX_BYTES = 1024 * 1024;
const DEFAULT_MAX_DEPTH = 64;
const DEFAULT_MAX_ISSUES = 100;
const DEFAULT_MAX_REPORTS = 1000;
const MAX_U32 = 0xffffffff;
// The largest input copied into wasm memory, whose address space is 4 GiB
// and whose allocator cannot hand out 2 GiB at once.
const MAX_INPUT_BYTES = 1024 * 1024 * 1024;
// The deepest nesting the validator follows; deeper limits would risk the stack.
const MAX_DEPTH_LIMIT = 1024;

const MODES = ['lenient', 'strict'];
const FLAG_STRICT = 1;
const FLAG_MASK_PERSONAL_DATA = 2;

/** Thrown by parse() when the payload has at least one error. */
class ValidationError extends Error {
  constructor(errors, warnings) {
    const first = errors.length > 0 ? errors[0] : undefined;
    const rest = errors.length - 1;
    let message = 'invalid callStatus payload';
    if (first !== undefined) {
      message += `: ${first.message}`;
    }
    if (rest > 0) {
      message += ` (and ${rest} more ${rest === 1 ? 'error' : 'errors'})`;
    }
    super(message);
    this.name = 'ValidationError';
    this.code = 'ERR_CALLSTATUS_INVALID';
    this.errors = errors;
    this.warnings = warnings;
    this.issues = errors.concat(warnings);
  }
}

const DEFAULT_TOLERANCE_SECONDS = 300;
const MAX_SAFE_SECONDS = Number.MAX_SAFE_INTEGER;

/** Thrown by verifySignature() and constructCallStatus() when a request's signature does not verify. */
class SignatureVerificationError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'SignatureVerificationError';
    this.code = code;
  }
}

function describeType(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  const type = typeof value;
  if (type === 'string') {
    const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
    return `the string ${JSON.stringify(shown)}`;
  }
  if (type === 'number' || type === 'bigint' || type === 'boolean') return `the ${type} ${String(value)}`;
  if (type === 'undefined') return 'undefined';
  if (type === 'function') return 'a function';
  if (type === 'symbol') return 'a symbol';
  return `an instance of ${value.constructor && value.constructor.name ? value.constructor.name : 'Object'}`;
}

function invalidArgument(name, expected, value) {
  const error = new TypeError(`The "${name}" argument must be ${expected}. Received ${describeType(value)}`);
  error.code = 'ERR_INVALID_ARG_TYPE';
  return error;
}

function outOfRange(name, expected, value) {
  const error = new RangeError(`The value of "${name}" is out of range. It must be ${expected}. Received ${describeType(value)}`);
  error.code = 'ERR_OUT_OF_RANGE';
  return error;
}

function readLimit(options, name, fallback, max = MAX_U32) {
  const value = options[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'number') {
    throw invalidArgument(`options.${name}`, 'a number', value);
  }
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw outOfRange(`options.${name}`, `an integer from 1 to ${max}`, value);
  }
  return value;
}

/**
 * The option names one function accepts: `names` for the lookup and `list`
 * for the error message.
 */
function acceptedOptions(names) {
  return Object.freeze({ names: new Set(names), list: names.join(', ') });
}

const VALIDATE_OPTION_NAMES = ['mode', 'maxBytes', 'maxDepth', 'maxIssues', 'maxReports', 'maskPersonalData'];
const SIGNATURE_OPTION_NAMES = ['toleranceSeconds', 'now'];
const VALIDATE_OPTIONS = acceptedOptions(VALIDATE_OPTION_NAMES);
const SIGNATURE_OPTIONS = acceptedOptions(SIGNATURE_OPTION_NAMES);
const CONSTRUCT_OPTIONS = acceptedOptions([...VALIDATE_OPTION_NAMES, ...SIGNATURE_OPTION_NAMES]);

/**
 * Throws a TypeError for an own enumerable property of `options` that is
 * not in `accepted`, because a misspelt option would otherwise keep its
 * default silently.
 */
function checkOptionNames(options, accepted) {
  // for...in avoids the array Object.keys() would allocate on every call.
  for (const key in options) {
    if (accepted.names.has(key) || !Object.prototype.hasOwnProperty.call(options, key)) continue;
    const shortKey = key.length > 40 ? `${key.slice(0, 40)}…` : key;
    const error = new TypeError(`The "options" argument has an unknown property ${JSON.stringify(shortKey)}. Accepted: ${accepted.list}`);
    error.code = 'ERR_INVALID_ARG_VALUE';
    throw error;
  }
}

/** Checks the options object once per call and fills in defaults. */
const DEFAULT_SETTINGS = Object.freeze({
  flags: 0,
  maxBytes: DEFAULT_MAX_BYTES,
  maxDepth: DEFAULT_MAX_DEPTH,
  maxIssues: DEFAULT_MAX_ISSUES,
  maxReports: DEFAULT_MAX_REPORTS,
});

function readOptions(options, accepted = VALIDATE_OPTIONS) {
  if (options === undefined || options === null) return DEFAULT_SETTINGS;
  if (typeof options !== 'object') {
    throw invalidArgument('options', 'an object', options);
  }
  checkOptionNames(options, accepted);

  const mode = options.mode === undefined ? 'lenient' : options.mode;
  if (!MODES.includes(mode)) {
    const error = new TypeError(`The "options.mode" argument must be "lenient" or "strict". Received ${describeType(mode)}`);
    error.code = 'ERR_INVALID_ARG_VALUE';
    throw error;
  }

  const mask = options.maskPersonalData === undefined ? false : options.maskPersonalData;
  if (typeof mask !== 'boolean') {
    throw invalidArgument('options.maskPersonalData', 'a boolean', mask);
  }

  return {
    flags: (mode === 'strict' ? FLAG_STRICT : 0) | (mask ? FLAG_MASK_PERSONAL_DATA : 0),
    maxBytes: readLimit(options, 'maxBytes', DEFAULT_MAX_BYTES, MAX_INPUT_BYTES),
    maxDepth: readLimit(options, 'maxDepth', DEFAULT_MAX_DEPTH, MAX_DEPTH_LIMIT),
    maxIssues: readLimit(options, 'maxIssues', DEFAULT_MAX_ISSUES),
    maxReports: readLimit(options, 'maxReports', DEFAULT_MAX_REPORTS),
  };
}

/** Counts the UTF-8 bytes of a string without encoding it. */
function utf8Length(text) {
  let length = 0;
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    if (unit < 0x80) length += 1;
    else if (unit < 0x800) length += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && index + 1 < text.length) {
      const next = text.charCodeAt(index + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        length += 4;
        index++;
      } else {
        length += 3;
      }
    } else length += 3;
  }
  return length;
}

function toBytes(input, name = 'input') {
  try {
    // Reading the length fails here, not later, for a Proxy around a buffer.
    if (input instanceof Uint8Array && input.length >= 0) return input;
    if (input instanceof ArrayBuffer) return new Uint8Array(input);
    if (typeof SharedArrayBuffer === 'function' && input instanceof SharedArrayBuffer) return new Uint8Array(input);
    if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  } catch (cause) {
    // A detached buffer cannot be viewed.
    const error = new TypeError(`The "${name}" bytes cannot be read: ${cause && cause.message}`);
    error.code = 'ERR_INVALID_ARG_VALUE';
    throw error;
  }
  return undefined;
}

/**
 * Encodes text that holds lone UTF-16 surrogates as WTF-8: each lone
 * surrogate becomes the three bytes UTF-8 would give it, which are not
 * valid UTF-8, so the validator reports invalid_utf8 at that place instead
 * of TextEncoder silently putting U+FFFD there.
 */
function encodeWithLoneSurrogates(text) {
  const bytes = [];
  for (let index = 0; index < text.length; index++) {
    let point = text.charCodeAt(index);
    const next = text.charCodeAt(index + 1);
    if (point >= 0xd800 && point <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
      point = 0x10000 + ((point - 0xd800) << 10) + (next - 0xdc00);
      index++;
    }
    if (point < 0x80) bytes.push(point);
    else if (point < 0x800) bytes.push(0xc0 | (point >> 6), 0x80 | (point & 0x3f));
    else if (point < 0x10000) bytes.push(0xe0 | (point >> 12), 0x80 | ((point >> 6) & 0x3f), 0x80 | (point & 0x3f));
    else bytes.push(0xf0 | (point >> 18), 0x80 | ((point >> 12) & 0x3f), 0x80 | ((point >> 6) & 0x3f), 0x80 | (point & 0x3f));
  }
  return Uint8Array.from(bytes);
}

/** Whether a string has no lone surrogates; String.prototype.isWellFormed where it exists. */
function isWellFormed(text) {
  if (typeof text.isWellFormed === 'function') return text.isWellFormed();
  return !/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);
}

/** Copies caller bytes into wasm memory, turning a detached or unreadable buffer into a clear TypeError. */
function copyInto(target, bytes, pointer, name) {
  try {
    target.set(bytes, pointer);
  } catch (cause) {
    const error = new TypeError(`The "${name}" bytes cannot be read: ${cause && cause.message}`);
    error.code = 'ERR_INVALID_ARG_VALUE';
    throw error;
  }
}

function inputTooLarge(name, length) {
  return outOfRange(`${name}.length`, `at most ${MAX_INPUT_BYTES} bytes (1 GiB) per call`, length);
}

/**
 * Checks a parsed value before JSON.stringify, which would overflow the
 * stack on hostile nesting and build huge strings from huge objects.
 * Returns 'too_deep' when objects and arrays nest deeper than `maxDepth`
 * (the root is level 1), 'too_large' when the JSON text would certainly
 * pass `maxBytes`, and undefined otherwise. Throws TypeError on a cycle.
 */
function screenObject(root, maxDepth, maxBytes) {
  // A lower bound of the JSON text's length: every value takes at least one
  // byte, a string its length plus quotes, a member its key plus quotes and
  // a colon. Counting stops as soon as it passes maxBytes.
  let size = 0;
  const ancestors = new Set();

  function visit(value, depth) {
    if (typeof value === 'string') {
      size += value.length + 2;
      return size > maxBytes ? 'too_large' : undefined;
    }
    size += 1;
    if (value === null || typeof value !== 'object' || typeof value.toJSON === 'function') {
      return size > maxBytes ? 'too_large' : undefined;
    }
    if (depth > maxDepth) return 'too_deep';
    if (ancestors.has(value)) {
      const error = new TypeError('The "input" object cannot be converted to JSON: it contains a circular reference');
      error.code = 'ERR_INVALID_ARG_VALUE';
      throw error;
    }

    ancestors.add(value);
    if (Array.isArray(value)) {
      for (const child of value) {
        const verdict = visit(child, depth + 1);
        if (verdict !== undefined) return verdict;
      }
    } else {
      for (const key of Object.keys(value)) {
        const child = value[key];
        // JSON.stringify leaves these members out.
        if (child === undefined || typeof child === 'function' || typeof child === 'symbol') continue;
        size += key.length + 3;
        const verdict = visit(child, depth + 1);
        if (verdict !== undefined) return verdict;
      }
    }
    ancestors.delete(value);
    return size > maxBytes ? 'too_large' : undefined;
  }

  return visit(root, 1);
}

/** Removes the positions from issues, which mean nothing for an object input. */
function withoutPositions(report) {
  const strip = (issue) => ({ path: issue.path, code: issue.code, severity: issue.severity, message: issue.message });
  report.errors = report.errors.map(strip);
  report.warnings = report.warnings.map(strip);
  return report;
}

/** Reads a whole number of seconds from an option: a number or, for `now`, a Date. */
function readSeconds(options, name, fallback, allowDate) {
  return checkSeconds(`options.${name}`, options[name], fallback, allowDate);
}

/** Checks a whole number of seconds named `label` in messages; a Date is allowed when `allowDate`. */
function checkSeconds(label, value, fallback, allowDate) {
  if (value === undefined) return fallback;
  if (allowDate && value instanceof Date) {
    const time = value.getTime();
    if (Number.isNaN(time) || time < 0) throw outOfRange(label, 'a valid Date after 1970', value);
    return Math.floor(time / 1000);
  }
  if (typeof value !== 'number') {
    throw invalidArgument(label, allowDate ? 'a number of Unix seconds or a Date' : 'a number of seconds', value);
  }
  if (!Number.isInteger(value) || value < 0 || value > MAX_SAFE_SECONDS) {
    throw outOfRange(label, `a whole number of seconds from 0 to ${MAX_SAFE_SECONDS}`, value);
  }
  return value;
}

function readSignatureOptions(options, accepted = SIGNATURE_OPTIONS) {
  if (options === undefined || options === null) {
    return { now: Math.floor(Date.now() / 1000), toleranceSeconds: DEFAULT_TOLERANCE_SECONDS };
  }
  if (typeof options !== 'object') throw invalidArgument('options', 'an object', options);
  checkOptionNames(options, accepted);
  return {
    now: readSeconds(options, 'now', Math.floor(Date.now() / 1000), true),
    toleranceSeconds: readSeconds(options, 'toleranceSeconds', DEFAULT_TOLERANCE_SECONDS, false),
  };
}

const textEncoder = new TextEncoder();

/** The raw body as bytes: the signature covers bytes, so strings are encoded as UTF-8. */
function rawBodyBytes(rawBody) {
  if (typeof rawBody === 'string') return textEncoder.encode(rawBody);
  const bytes = toBytes(rawBody, 'rawBody');
  if (bytes === undefined) {
    throw invalidArgument('rawBody', 'a string, a Buffer, a Uint8Array or an ArrayBuffer (the body exactly as received)', rawBody);
  }
  return bytes;
}

function checkString(name, value) {
  if (typeof value !== 'string') throw invalidArgument(name, 'a string', value);
}

/** Accepts a header given as an array (as some frameworks do when it repeats) by joining it. */
function headerText(header) {
  if (Array.isArray(header) && header.every((part) => typeof part === 'string')) return header.join(',');
  if (header === undefined || header === null) return '';
  checkString('header', header);
  return header;
}

// Layout of the summary slots written by the wasm fast path for a clean
// body; it mirrors `src/compact.rs`.
const SUMMARY_SLOTS = 20;
const SLOT = {
  callId: 0,
  accountId: 2,
  from: 4,
  to: 6,
  callStatus: 8,
  callEndedReason: 9,
  direction: 10,
  callDuration: 11,
  parentCallId: 12,
  recordingUrl: 14,
  recordingId: 16,
  recordingDurationSec: 18,
  flags: 19,
};
const FLAG_PARENT_CALL_ID = 1;
const FLAG_RECORDING = 2;
const STATUS_CLEAN = 1;
const STATUS_ISSUES = 2;
// Slots per issue in the encoding of an invalid report, see `encode_issues`
// in `src/compact.rs`.
const ISSUE_SLOTS = 10;

// Node's Buffer decodes Latin-1 (and so ASCII) from any Uint8Array without
// copying; browsers fall back to String.fromCharCode.
const latin1Slice =
  typeof Buffer === 'function' && typeof Buffer.prototype.latin1Slice === 'function' ? Buffer.prototype.latin1Slice : undefined;

// TextDecoder's 'latin1' is windows-1252, which equals ASCII on the bytes
// of a clean body.
const latin1Decoder = typeof TextDecoder === 'function' ? new TextDecoder('latin1') : undefined;

function asciiSlice(bytes, start, end) {
  if (latin1Slice !== undefined) return latin1Slice.call(bytes, start, end);
  return latin1Decoder.decode(bytes.subarray(start, end));
}

/**
 * The raw-body fast path: the body is copied into a buffer inside wasm
 * memory that is reused across calls, and a clean result comes back as
 * offsets and indexes, so no report text is built or parsed.
 */
function createFastPath(wasm) {
  let memory;
  let memoryBytes;
  let summary;
  let summaryPointer;
  let callStatuses;
  let callEndedReasons;
  let directions;
  let issueCodes;

  function refreshViews() {
    if (memory === undefined) {
      memory = wasm.wasmMemory();
      summaryPointer = wasm.summaryPointer();

      // The enumeration tables come from the module itself, in the order of
      // the indexes it writes.
      const meanings = JSON.parse(wasm.meaningsJson());
      callStatuses = Object.keys(meanings.callStatus);
      callEndedReasons = Object.keys(meanings.callEndedReason);
      directions = Object.keys(meanings.direction);
      issueCodes = JSON.parse(wasm.issueCodesJson());
    }

    // Growing wasm memory replaces its ArrayBuffer, which empties old views.
    if (memoryBytes === undefined || memoryBytes.buffer !== memory.buffer) {
      memoryBytes = new Uint8Array(memory.buffer);
      summary = new Uint32Array(memory.buffer, summaryPointer, SUMMARY_SLOTS);
    }
  }

  /**
   * Builds the payload from the summary slots. `source` is the body as a
   * string: a clean body is all ASCII (every string value in it passed an
   * ASCII check and JSON syntax outside strings is ASCII), so byte offsets
   * are string indexes and each value is a cheap substring.
   */
  function cleanReport(source) {
    const flags = summary[SLOT.flags];
    const slice = (slot) => source.substring(summary[slot], summary[slot + 1]);
    const payload = {
      requestType: 'callStatus',
      callId: slice(SLOT.callId),
      accountId: slice(SLOT.accountId),
      from: slice(SLOT.from),
      to: slice(SLOT.to),
      callStatus: callStatuses[summary[SLOT.callStatus]],
      callEndedReason: callEndedReasons[summary[SLOT.callEndedReason]],
      direction: directions[summary[SLOT.direction]],
      conferenceId: null,
      queueId: null,
      callDuration: summary[SLOT.callDuration],
    };
    if ((flags & FLAG_RECORDING) !== 0) {
      payload.recordingUrl = slice(SLOT.recordingUrl);
      payload.recordingId = slice(SLOT.recordingId);
      payload.recordingDurationSec = summary[SLOT.recordingDurationSec];
    }
    payload.parentCallId = (flags & FLAG_PARENT_CALL_ID) !== 0 ? slice(SLOT.parentCallId) : null;
    return { valid: true, errors: [], warnings: [], payload };
  }

  // The input buffer's address changes only when it grows, so it is asked
  // for again only then.
  let inputPointer = 0;
  let inputCapacity = -1;

  function reserve(capacity) {
    if (capacity > inputCapacity) {
      inputPointer = wasm.inputPointer(capacity);
      if (inputPointer === 0) {
        inputCapacity = -1;
        const error = new RangeError(`The input of ${capacity} bytes does not fit in wasm memory; pass smaller bodies or batches`);
        error.code = 'ERR_OUT_OF_RANGE';
        throw error;
      }
      inputCapacity = capacity;
    }
    refreshViews();
    return inputPointer;
  }

  /**
   * Reads `count` encoded issues starting at slot `base`, taking their paths
   * and messages from `text` from `cursor.position` on.
   */
  function decodeIssues(slots, base, count, text, cursor, errors, warnings) {
    for (let issueBase = base; issueBase < base + count * ISSUE_SLOTS; issueBase += ISSUE_SLOTS) {
      const pathEnd = cursor.position + slots[issueBase + 2];
      const messageEnd = pathEnd + slots[issueBase + 3];
      const issue = {
        path: text.slice(cursor.position, pathEnd),
        code: issueCodes[slots[issueBase]],
        severity: slots[issueBase + 1] === 0 ? 'error' : 'warning',
        message: text.slice(pathEnd, messageEnd),
      };
      cursor.position = messageEnd;
      if (slots[issueBase + 4] !== 0) {
        issue.line = slots[issueBase + 4];
        issue.column = slots[issueBase + 5];
        issue.endLine = slots[issueBase + 6];
        issue.endColumn = slots[issueBase + 7];
        issue.offset = slots[issueBase + 8];
        issue.length = slots[issueBase + 9];
      }
      (slots[issueBase + 1] === 0 ? errors : warnings).push(issue);
    }
  }

  /** The encoded numbers and text of the last invalid body or batch. */
  function takeEncoded() {
    const pointer = wasm.issuePointer();
    const count = wasm.issueSlotCount();
    const text = wasm.takeReport();
    refreshViews();
    return { slots: new Uint32Array(memory.buffer, pointer, count), text };
  }

  /** Builds the report of an invalid body from its encoded issues. */
  function invalidReport() {
    const { slots, text } = takeEncoded();
    const errors = [];
    const warnings = [];
    decodeIssues(slots, 0, slots.length / ISSUE_SLOTS, text, { position: 0 }, errors, warnings);
    return { valid: false, errors, warnings };
  }

  /** Builds the result of validateMany from the encoded batch. */
  function batchReport() {
    const { slots, text } = takeEncoded();
    const blankCount = slots[4];
    const reportCount = slots[5];
    const droppedReports = slots[6];
    const blankLines = Array.from(slots.subarray(7, 7 + blankCount));

    const reports = [];
    const cursor = { position: 0 };
    let base = 7 + blankCount;
    for (let index = 0; index < reportCount; index++) {
      const errors = [];
      const warnings = [];
      const issueCount = slots[base + 2];
      decodeIssues(slots, base + 3, issueCount, text, cursor, errors, warnings);
      reports.push({ line: slots[base], valid: slots[base + 1] === 1, errors, warnings });
      base += 3 + issueCount * ISSUE_SLOTS;
    }
    return { lines: slots[0], total: slots[1], valid: slots[2], invalid: slots[3], droppedReports, blankLines, reports };
  }

  /** Runs the validation of `length` input bytes; returns a report unless the body is clean. */
  function run(length, settings) {
    const status = wasm.validateInput(length, settings.flags, settings.maxBytes, settings.maxDepth, settings.maxIssues);
    if (status === STATUS_CLEAN) {
      refreshViews();
      return undefined;
    }
    if (status === STATUS_ISSUES) return invalidReport();
    return JSON.parse(wasm.takeReport());
  }

  return {
    validateBytes(bytes, settings) {
      const pointer = reserve(bytes.length);
      copyInto(memoryBytes, bytes, pointer, 'input');
      const report = run(bytes.length, settings);
      if (report !== undefined) return report;

      // The payload comes from the copy that was checked: the caller's bytes
      // may be shared memory that another thread changes meanwhile.
      return cleanReport(asciiSlice(memoryBytes, pointer, pointer + bytes.length));
    },

    /** Validates NDJSON (bytes or text) in one call; returns the batch report. */
    validateMany(input, settings) {
      if (typeof input === 'string') {
        const capacity = input.length * 3;
        const pointer = reserve(capacity);
        const { written } = textEncoder.encodeInto(input, memoryBytes.subarray(pointer, pointer + capacity));
        wasm.validateManyInput(written, settings.flags, settings.maxBytes, settings.maxDepth, settings.maxIssues, settings.maxReports);
        return batchReport();
      }
      const pointer = reserve(input.length);
      copyInto(memoryBytes, input, pointer, 'input');
      wasm.validateManyInput(input.length, settings.flags, settings.maxBytes, settings.maxDepth, settings.maxIssues, settings.maxReports);
      return batchReport();
    },

    /**
     * Verifies the signature over `bytes`, then validates them, with one copy
     * into wasm memory. Returns { signatureError } or a report.
     */
    verifyThenValidate(bytes, header, secret, signature, settings) {
      const pointer = reserve(bytes.length);
      copyInto(memoryBytes, bytes, pointer, 'rawBody');
      const failure = wasm.verifyInput(bytes.length, header, secret, signature.now, signature.toleranceSeconds);
      if (failure !== '') return { signatureError: JSON.parse(failure) };
      const report = run(bytes.length, settings);
      if (report !== undefined) return report;
      return cleanReport(asciiSlice(memoryBytes, pointer, pointer + bytes.length));
    },

    /** Verifies the signature over `bytes`; returns '' or the failure as JSON text. */
    verify(bytes, header, secret, signature) {
      const pointer = reserve(bytes.length);
      copyInto(memoryBytes, bytes, pointer, 'rawBody');
      return wasm.verifyInput(bytes.length, header, secret, signature.now, signature.toleranceSeconds);
    },

    sign(bytes, secret, timestamp) {
      const pointer = reserve(bytes.length);
      copyInto(memoryBytes, bytes, pointer, 'body');
      return wasm.signInput(bytes.length, secret, timestamp);
    },

    /** `capacity` is at least the UTF-8 length of `text`. */
    validateText(text, capacity, settings) {
      const pointer = reserve(capacity);
      const { written } = textEncoder.encodeInto(text, memoryBytes.subarray(pointer, pointer + capacity));
      const report = run(written, settings);
      if (report !== undefined) return report;
      return cleanReport(text);
    },
  };
}

function createApi(wasm, requireReady) {
  let fastPath;
  function fast() {
    if (fastPath === undefined) fastPath = createFastPath(wasm);
    return fastPath;
  }

  function runValidation(input, settings) {
    if (typeof input === 'string') {
      // A string has at least as many UTF-8 bytes as UTF-16 code units and
      // at most three times as many, so only a string near the limit needs
      // its exact byte length.
      let capacity = input.length * 3;
      if (input.length > settings.maxBytes || capacity > settings.maxBytes) {
        capacity = utf8Length(input);
        if (capacity > settings.maxBytes) return JSON.parse(wasm.oversizedReport(capacity, settings.maxBytes, settings.maxIssues));
      }
      if (!isWellFormed(input)) return fast().validateBytes(encodeWithLoneSurrogates(input), settings);
      return fast().validateText(input, capacity, settings);
    }

    const bytes = toBytes(input);
    if (bytes !== undefined) {
      // Oversized bodies are reported without copying them into wasm memory.
      if (bytes.length > settings.maxBytes) {
        return JSON.parse(wasm.oversizedReport(bytes.length, settings.maxBytes, settings.maxIssues));
      }
      return fast().validateBytes(bytes, settings);
    }

    if (input === null || typeof input === 'object') {
      let verdict;
      try {
        verdict = screenObject(input, settings.maxDepth, settings.maxBytes);
      } catch (cause) {
        if (!(cause instanceof RangeError)) throw cause;
        // The stack ran out before maxDepth was reached: the nesting is hostile either way.
        verdict = 'too_deep';
      }
      if (verdict === 'too_deep') return JSON.parse(wasm.tooDeepReport(settings.maxDepth, settings.maxIssues));
      if (verdict === 'too_large') return JSON.parse(wasm.objectTooLargeReport(settings.maxBytes, settings.maxIssues));

      let text;
      try {
        text = JSON.stringify(input);
      } catch (cause) {
        const error = new TypeError(`The "input" object cannot be converted to JSON: ${cause && cause.message}`);
        error.code = 'ERR_INVALID_ARG_VALUE';
        throw error;
      }
      if (typeof text !== 'string') {
        const error = new TypeError('The "input" object converts to no JSON text at all: its toJSON() returned undefined or a function');
        error.code = 'ERR_INVALID_ARG_VALUE';
        throw error;
      }
      return withoutPositions(runValidation(text, settings));
    }

    throw invalidArgument('input', 'a string, a Buffer, a Uint8Array, an ArrayBuffer or a parsed JSON object', input);
  }

  /**
   * Validates a callStatus body: raw bytes, a string, or an already-parsed
   * object. Returns { valid, errors, warnings, payload? }.
   */
  function validate(input, options) {
    requireReady();
    const settings = readOptions(options);
    return runValidation(input, settings);
  }

  /**
   * Validates NDJSON, one payload per line, in one call. Returns
   * { lines, total, valid, invalid, blankLines, reports }, where reports
   * lists { line, valid, errors, warnings } only for payloads with issues.
   * maxBytes limits each line.
   */
  function validateMany(input, options) {
    requireReady();
    const settings = readOptions(options);
    if (typeof input !== 'string') {
      const bytes = toBytes(input);
      if (bytes === undefined) {
        throw invalidArgument('input', 'NDJSON as a string, a Buffer, a Uint8Array or an ArrayBuffer', input);
      }
      input = bytes;
    }
    if (input.length > MAX_INPUT_BYTES) throw inputTooLarge('input', input.length);
    return fast().validateMany(input, settings);
  }

  /** Validates and returns the normalised payload, or throws ValidationError. */
  function parse(input, options) {
    const report = validate(input, options);
    if (!report.valid) {
      throw new ValidationError(report.errors, report.warnings);
    }
    return report.payload;
  }

  let meaningsCache;
  /** Documented meaning of every callStatus, callEndedReason and direction value. */
  function meanings() {
    requireReady();
    if (meaningsCache === undefined) {
      // Frozen, because every caller shares this one object.
      const meanings = JSON.parse(wasm.meaningsJson());
      for (const table of Object.values(meanings)) Object.freeze(table);
      meaningsCache = Object.freeze(meanings);
    }
    return meaningsCache;
  }

  /**
   * Verifies the FreeClimb-Signature header of a request. Returns nothing;
   * throws SignatureVerificationError with a stable .code when it fails.
   */
  function verifySignature(rawBody, header, secret, options) {
    requireReady();
    const bytes = rawBodyBytes(rawBody);
    const headerValue = headerText(header);
    checkString('secret', secret);
    const settings = readSignatureOptions(options);

    if (bytes.length > MAX_INPUT_BYTES) throw inputTooLarge('rawBody', bytes.length);
    const failure = fast().verify(bytes, headerValue, secret, settings);
    if (failure !== '') {
      const { code, message } = JSON.parse(failure);
      throw new SignatureVerificationError(code, message);
    }
  }

  /**
   * Verifies the signature, then validates the body, like Stripe's
   * constructEvent. Returns the normalised payload; throws
   * SignatureVerificationError or ValidationError.
   */
  function constructCallStatus(rawBody, header, secret, options) {
    requireReady();
    const bytes = rawBodyBytes(rawBody);
    const headerValue = headerText(header);
    checkString('secret', secret);
    const signature = readSignatureOptions(options, CONSTRUCT_OPTIONS);
    const settings = readOptions(options, CONSTRUCT_OPTIONS);

    // An oversized body is rejected before any hashing.
    let report;
    if (bytes.length > settings.maxBytes) {
      report = JSON.parse(wasm.oversizedReport(bytes.length, settings.maxBytes, settings.maxIssues));
    } else {
      report = fast().verifyThenValidate(bytes, headerValue, secret, signature, settings);
    }

    if (report.signatureError !== undefined) {
      throw new SignatureVerificationError(report.signatureError.code, report.signatureError.message);
    }
    if (!report.valid) throw new ValidationError(report.errors, report.warnings);
    return report.payload;
  }

  /** Signs a body as FreeClimb would, for tests: returns the header value. */
  function signPayload(body, secret, timestamp) {
    requireReady();
    const bytes = rawBodyBytes(body);
    checkString('secret', secret);
    // A header signed with an empty secret could never verify.
    if (secret.trim() === '') {
      const error = new TypeError('The "secret" argument must be the signing secret, not an empty or whitespace-only string');
      error.code = 'ERR_INVALID_ARG_VALUE';
      throw error;
    }
    const seconds = checkSeconds('timestamp', timestamp, Math.floor(Date.now() / 1000), true);
    if (bytes.length > MAX_INPUT_BYTES) throw inputTooLarge('body', bytes.length);
    return fast().sign(bytes, secret, seconds);
  }

  return {
    validate,
    validateMany,
    parse,
    meanings,
    verifySignature,
    constructCallStatus,
    signPayload,
    ValidationError,
    SignatureVerificationError,
  };
}
