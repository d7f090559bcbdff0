// Sharing without a server: the view state travels in the URL fragment,
// which browsers never send in a request, and phone numbers can be masked
// before a payload is pasted into a ticket or chat.

const STATE_VERSION = 1;
const MODES = ['lenient', 'strict'];

/** Encodes bytes as base64url without padding (RFC 4648, section 5). */
function toBase64Url(bytes) {
  let binary = '';
  // Chunks keep String.fromCharCode below the engine's argument limit.
  for (let index = 0; index < bytes.length; index += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(index, index + 0x8000));
  }
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text) {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) {
    throw new Error('the link fragment is not base64url');
  }
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) {
    bytes[index] = binary.charCodeAt(index);
  }
  return bytes;
}

/**
 * Encodes the shareable view state { text, mode, header?, record? } as
 * base64url of its UTF-8 JSON. The signing secret is never part of it,
 * because only the listed fields are copied.
 */
export function encodeState({ text, mode, header, record }) {
  const state = { v: STATE_VERSION, mode, text };
  if (header !== undefined && header !== '') state.header = header;
  if (record !== undefined && record > 0) state.record = record;
  return toBase64Url(new TextEncoder().encode(JSON.stringify(state)));
}

/**
 * Decodes a fragment made by encodeState() (with or without the leading
 * "#"). Throws an Error naming the problem when it is not one.
 */
export function decodeState(fragment) {
  const encoded = fragment.startsWith('#') ? fragment.slice(1) : fragment;
  const json = new TextDecoder('utf-8', { fatal: true }).decode(fromBase64Url(encoded));
  const state = JSON.parse(json);

  if (state === null || typeof state !== 'object' || state.v !== STATE_VERSION) {
    throw new Error(`the link contains no inspector state of version ${STATE_VERSION}`);
  }
  if (typeof state.text !== 'string') {
    throw new Error('the link contains no payload text');
  }
  return {
    text: state.text,
    mode: MODES.includes(state.mode) ? state.mode : 'lenient',
    header: typeof state.header === 'string' ? state.header : '',
    record: Number.isSafeInteger(state.record) && state.record > 0 ? state.record : 0,
  };
}

/** Builds the share link: the page address with the state as its fragment. */
export function buildShareUrl(pageUrl, state) {
  const url = new URL(pageUrl);
  url.hash = encodeState(state);
  return url.href;
}

/**
 * Masks a from or to value as the package's maskPersonalData option does
 * in messages: only a leading "+" and the last two characters stay, so
 * "+13125550109" becomes "+*********09". A withheld or malformed caller id
 * is masked the same way, because it is still personal. A value of four
 * characters or fewer keeps only its leading "+", because two visible
 * characters would give most of it away. Characters are counted as code
 * points, as the Rust implementation counts chars.
 */
export function maskPhoneNumber(value) {
  const characters = Array.from(value);
  const visibleFrom = characters.length > 4 ? characters.length - 2 : characters.length;
  return characters
    .map((character, index) => ((index === 0 && character === '+') || index >= visibleFrom ? character : '*'))
    .join('');
}

// A JSON string token. Outside strings JSON has no quotes, so scanning the
// text for these finds every key and string value in order.
const STRING_TOKEN = /"(?:[^"\\\n]|\\.)*"/g;
const KEY_COLON = /\s*:/y;
const MASKED_KEYS = new Set(['from', 'to']);

/**
 * Returns `text` with the string values of every "from" and "to" member
 * masked by maskPhoneNumber(). Everything else, whitespace and key order
 * included, stays byte for byte, and text that is not valid JSON is masked
 * as far as its members can be recognised.
 */
export function maskPayloadText(text) {
  let result = '';
  let copiedUpTo = 0;
  let maskNext = false;

  for (const match of text.matchAll(STRING_TOKEN)) {
    const tokenStart = match.index;
    const tokenEnd = tokenStart + match[0].length;
    const between = text.slice(copiedUpTo, tokenStart);

    const value = maskNext && /^\s*:\s*$/.test(between) ? safeParse(match[0]) : undefined;
    if (typeof value === 'string') {
      // Re-encoding the masked value changes nothing else unless the sender
      // escaped characters that need no escape.
      result += between + JSON.stringify(maskPhoneNumber(value));
      copiedUpTo = tokenEnd;
      maskNext = false;
      continue;
    }

    // A key is a string followed by a colon.
    KEY_COLON.lastIndex = tokenEnd;
    maskNext = KEY_COLON.test(text) && MASKED_KEYS.has(safeParse(match[0]));
    result += between + match[0];
    copiedUpTo = tokenEnd;
  }
  return result + text.slice(copiedUpTo);
}

function safeParse(token) {
  try {
    return JSON.parse(token);
  } catch {
    return undefined;
  }
}
