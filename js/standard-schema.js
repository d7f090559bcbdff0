// The callStatus payload as a Standard Schema v1 object
// (https://standardschema.dev), for libraries that accept any such schema:
// Hono's standard-validator, tRPC, TanStack Form and others.
//
// scripts/assemble.mjs appends this file to api.js inside the same module
// wrapper, so it calls readOptions() and describeType() from there and
// contains no import or export of its own.

const SCHEMA_VENDOR = 'freeclimb-callstatus';

// Codes of the errors that validate() throws for an input it cannot read:
// a value of an unsupported type, an object JSON.stringify rejects, a
// detached buffer, or bytes too large for wasm memory.
const INPUT_ERROR_CODES = ['ERR_INVALID_ARG_TYPE', 'ERR_INVALID_ARG_VALUE', 'ERR_OUT_OF_RANGE'];

// An array index in a JSON Pointer: "0", or digits without a leading zero.
const ARRAY_INDEX = /^(?:0|[1-9][0-9]*)$/;

const schemaTextDecoder = new TextDecoder();

/** Decodes one JSON Pointer reference token: "~1" is "/" and "~0" is "~", in that order (RFC 6901). */
function unescapePointerToken(token) {
  return token.replace(/~1/g, '/').replace(/~0/g, '~');
}

/**
 * Converts a JSON Pointer into a Standard Schema path. A segment that is an
 * array index in `root` becomes a number; every other segment stays a
 * string key. `root` is the parsed body, or undefined when it is not known,
 * in which case every segment is a string.
 */
function pointerToPath(pointer, root) {
  if (pointer === '') return [];

  const path = [];
  let node = root;
  for (const token of pointer.slice(1).split('/')) {
    const key = unescapePointerToken(token);
    if (Array.isArray(node) && ARRAY_INDEX.test(key)) {
      const index = Number(key);
      path.push(index);
      node = node[index];
    } else {
      path.push(key);
      node = node !== null && typeof node === 'object' && Object.hasOwn(node, key) ? node[key] : undefined;
    }
  }
  return path;
}

/**
 * Returns the parsed body that issue paths point into, or undefined when it
 * is not needed or cannot be had. Only duplicate_key issues point below a
 * top-level field, where a segment can index an array. A parsed object
 * cannot repeat a key, so only text and bytes are parsed, and only then.
 */
function structureForPaths(input, errors) {
  const nested = errors.some((issue) => issue.path.indexOf('/', 1) !== -1);
  if (!nested) return undefined;

  const text = typeof input === 'string' ? input : undefined;
  const bytes = text === undefined ? toBytes(input) : undefined;
  if (text === undefined && bytes === undefined) return undefined;
  // NOTE: JSON.parse keeps the last value of a repeated key and the
  // validator the first, so an index below a key that repeats with values
  // of another shape stays a string.
  try {
    return JSON.parse(text === undefined ? schemaTextDecoder.decode(bytes) : text);
  } catch {
    // Not expected, because the validator has read the body as JSON; the
    // paths then keep every segment as a string.
    return undefined;
  }
}

/** Builds a failure result with one issue at the root of the body. */
function rootFailure(code, message) {
  return { issues: [{ message, path: [], code }] };
}

/**
 * Runs validate() and shapes its report as a Standard Schema result:
 * `{ value }` with the normalised payload, or `{ issues }` with one entry
 * per error. Warnings never fail the result and are not returned.
 */
function validateAsStandardSchema(validate, input, options) {
  const type = typeof input;
  if (type === 'number' || type === 'boolean') {
    // A JSON body parser can hand over a bare number or boolean; the
    // message is the one validate() gives for the same body as text.
    return rootFailure('not_an_object', `the body is a ${type}: expected a JSON object`);
  }
  if (type === 'undefined' || type === 'bigint' || type === 'symbol' || type === 'function') {
    return rootFailure('not_an_object', `the body is ${describeType(input)}: expected a JSON object, its text or its bytes`);
  }

  let report;
  try {
    report = validate(input, options);
  } catch (error) {
    if (error === null || typeof error !== 'object' || !INPUT_ERROR_CODES.includes(error.code)) throw error;
    const code = error.code === 'ERR_OUT_OF_RANGE' ? 'body_too_large' : 'invalid_json';
    return rootFailure(code, error.message);
  }

  if (report.valid) return { value: report.payload };

  const root = structureForPaths(input, report.errors);
  const issues = report.errors.map((issue) => ({
    message: issue.message,
    path: pointerToPath(issue.path, root),
    code: issue.code,
  }));
  return { issues };
}

/**
 * Creates the Standard Schema functions over one API instance. Returns
 * `callStatusSchema` (lenient, default limits) and
 * `createCallStatusSchema(options)`, which takes the options of validate().
 */
function createSchemaApi(api) {
  function createCallStatusSchema(options) {
    // Checked now, so that a wrong option fails at startup rather than as
    // an exception inside a framework's validation step.
    readOptions(options);
    const settings = options === undefined || options === null ? undefined : Object.freeze({ ...options });

    const standard = Object.freeze({
      version: 1,
      vendor: SCHEMA_VENDOR,
      validate: (value) => validateAsStandardSchema(api.validate, value, settings),
    });
    return Object.freeze({ '~standard': standard });
  }

  return {
    callStatusSchema: createCallStatusSchema(),
    createCallStatusSchema,
  };
}
