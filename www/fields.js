// The field table: every field of the payload with its value, the
// documented meaning of enum values and durations in human units.

/** The callStatus webhook's fields, in the order of Field::ALL in src/field.rs. */
export const DOCUMENTED_FIELDS = [
  'requestType',
  'callId',
  'accountId',
  'from',
  'to',
  'callStatus',
  'callEndedReason',
  'direction',
  'conferenceId',
  'queueId',
  'callDuration',
  'recordingUrl',
  'recordingId',
  'recordingDurationSec',
  'parentCallId',
];

const ENUM_FIELDS = ['callStatus', 'callEndedReason', 'direction'];

// Maximum length, in UTF-16 units, of a value shown in full. Longer values
// are cut, because an unknown field may contain a whole nested document.
const MAX_VALUE_CHARS = 160;

/**
 * Formats whole seconds as "37 s", "1 min 5 s" or "2 h 3 min 4 s". Units
 * that are zero are left out, except for a total of "0 s".
 */
export function formatDuration(totalSeconds) {
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;

  const parts = [];
  if (hours > 0) parts.push(`${hours} h`);
  if (minutes > 0) parts.push(`${minutes} min`);
  if (seconds > 0 || parts.length === 0) parts.push(`${seconds} s`);
  return parts.join(' ');
}

/** Reads a duration sent as a digit string or a JSON integer, else undefined. */
function durationSeconds(value) {
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return value;
  if (typeof value === 'string' && /^[0-9]{1,15}$/.test(value)) return Number(value);
  return undefined;
}

/** Converts a top-level JSON Pointer such as "/from" back to its key. */
function pointerKey(path) {
  if (!path.startsWith('/') || path.indexOf('/', 1) !== -1) return undefined;
  return path.slice(1).replace(/~1/g, '/').replace(/~0/g, '~');
}

/** Describes what a value means, shown under the value. */
function describeValue(name, value, meanings) {
  if (ENUM_FIELDS.includes(name) && typeof value === 'string') {
    const meaning = meanings[name]?.[value];
    return meaning ?? `"${value}" is not a documented ${name} value.`;
  }

  if (name === 'callDuration') {
    const seconds = durationSeconds(value);
    return seconds === undefined ? '' : `${formatDuration(seconds)}, ring time included`;
  }
  if (name === 'recordingDurationSec') {
    if (value === '') return 'Empty: a zero-length recording';
    const seconds = durationSeconds(value);
    return seconds === undefined ? '' : `${formatDuration(seconds)} of recording`;
  }

  if ((name === 'conferenceId' || name === 'queueId') && value === null) {
    return 'Always null in a callStatus webhook';
  }
  if (name === 'parentCallId') {
    return value === null ? 'Not a child leg' : 'The call whose Dial command created this leg';
  }
  if (!DOCUMENTED_FIELDS.includes(name)) {
    return 'Not part of the callStatus webhook';
  }
  return '';
}

/** Renders a value as text, and names its JSON type for styling. */
function displayValue(value) {
  if (value === null) return { text: 'null', type: 'null' };
  if (typeof value === 'string') {
    const text = value.length > MAX_VALUE_CHARS ? `${value.slice(0, MAX_VALUE_CHARS)}…` : value;
    return { text: value === '' ? '(empty string)' : text, type: value === '' ? 'empty' : 'string' };
  }
  const json = JSON.stringify(value);
  const text = json.length > MAX_VALUE_CHARS ? `${json.slice(0, MAX_VALUE_CHARS)}…` : json;
  return { text, type: typeof value === 'number' ? 'number' : 'other' };
}

// Scanners for readRawFields(). They run only on text that JSON.parse
// accepted, so they need not reject anything.
const STRING_AT = /"(?:[^"\\]|\\.)*"/y;
const BLANKS_AT = /\s*/y;
const PRIMITIVE_AT = /[^\s,}\]]+/y;

function matchAt(pattern, text, index) {
  pattern.lastIndex = index;
  const match = pattern.exec(text);
  return match === null ? '' : match[0];
}

/** Returns the index just past the JSON value that starts at `index`. */
function skipValue(text, index) {
  if (text[index] === '"') return index + matchAt(STRING_AT, text, index).length;
  if (text[index] !== '{' && text[index] !== '[') return index + matchAt(PRIMITIVE_AT, text, index).length;

  let depth = 0;
  while (index < text.length) {
    const character = text[index];
    if (character === '"') {
      index += matchAt(STRING_AT, text, index).length;
      continue;
    }
    if (character === '{' || character === '[') depth++;
    if (character === '}' || character === ']') depth--;
    index++;
    if (depth === 0) return index;
  }
  return index;
}

/**
 * Reads the members of the JSON object in `text` like JSON.parse, except
 * that a repeated key keeps its first value, as the validator does, where
 * JSON.parse keeps the last. Returns undefined unless `text` is a JSON
 * object. The result has no prototype, so a "__proto__" key is plain data.
 */
export function readRawFields(text) {
  try {
    const parsed = JSON.parse(text);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return undefined;
  } catch {
    return undefined;
  }

  const fields = Object.create(null);
  let index = text.indexOf('{') + 1;
  for (;;) {
    index += matchAt(BLANKS_AT, text, index).length;
    if (text[index] !== '"') break;

    const keyToken = matchAt(STRING_AT, text, index);
    const key = JSON.parse(keyToken);
    index += keyToken.length;
    index += matchAt(BLANKS_AT, text, index).length + 1;
    index += matchAt(BLANKS_AT, text, index).length;

    const end = skipValue(text, index);
    if (!(key in fields)) fields[key] = JSON.parse(text.slice(index, end));
    index = end;
    index += matchAt(BLANKS_AT, text, index).length;
    if (text[index] === ',') index++;
  }
  return fields;
}

/**
 * Builds one row per field of `source` (documented fields first, in their
 * documented order, then the rest), plus a "missing" row for each field an
 * issue reports as missing. Each row carries the worst severity among the
 * issues about that field.
 */
export function buildFieldRows(source, issues, meanings) {
  const severityByField = new Map();
  const missing = new Set();
  for (const issue of issues) {
    const key = pointerKey(issue.path);
    if (key === undefined) continue;
    if (issue.code === 'missing_field' && issue.line === undefined) missing.add(key);
    if (severityByField.get(key) !== 'error') severityByField.set(key, issue.severity);
  }

  const present = Object.keys(source);
  const names = [
    ...DOCUMENTED_FIELDS.filter((name) => present.includes(name) || missing.has(name)),
    ...present.filter((name) => !DOCUMENTED_FIELDS.includes(name)),
  ];

  return names.map((name) => {
    const severity = severityByField.get(name);
    if (!present.includes(name)) {
      return { name, value: { text: 'missing', type: 'missing' }, meaning: '', severity };
    }
    const value = source[name];
    return { name, value: displayValue(value), meaning: describeValue(name, value, meanings), severity };
  });
}

/** Fills `tbody` with the rows from buildFieldRows(). */
export function renderFieldRows(tbody, rows) {
  const fragment = document.createDocumentFragment();
  for (const row of rows) {
    const tr = document.createElement('tr');
    if (row.severity !== undefined) tr.className = `row-${row.severity}`;

    const name = document.createElement('th');
    name.scope = 'row';
    name.textContent = row.name;
    if (row.severity !== undefined) {
      // The colour alone would not reach a screen reader.
      const flag = document.createElement('span');
      flag.className = `flag flag-${row.severity}`;
      flag.textContent = row.severity === 'error' ? 'error' : 'warning';
      name.append(' ', flag);
    }

    // The meaning sits under the value, because ids leave no room for a third column.
    const cell = document.createElement('td');
    const value = document.createElement('span');
    value.className = `value value-${row.value.type}`;
    value.textContent = row.value.text;
    const meaning = document.createElement('span');
    meaning.className = 'meaning';
    meaning.textContent = row.meaning;
    cell.append(value, meaning);

    tr.append(name, cell);
    fragment.append(tr);
  }
  tbody.replaceChildren(fragment);
}
