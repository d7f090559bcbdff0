// The FreeClimb-Signature check. It runs verifySignature() from the
// package on the exact text of the current payload, and the secret is only
// ever read from the input field at the moment of the check.

/** Returns the current time in Unix seconds, the unit verifySignature() expects. */
export function unixNow() {
  return Math.floor(Date.now() / 1000);
}

/** Reads the t= value of a header for display, or undefined. */
function headerTimestamp(header) {
  const match = /(?:^|,)\s*t=([0-9]{1,15})\s*(?:,|$)/.exec(header);
  return match === null ? undefined : Number(match[1]);
}

/** Describes how far `timestamp` lies from `now`, as "3 min ago" or "in 20 s". */
function describeAge(timestamp, now) {
  const difference = now - timestamp;
  const size = Math.abs(difference);
  let amount;
  if (size < 60) amount = `${size} s`;
  else if (size < 3600) amount = `${Math.round(size / 60)} min`;
  else if (size < 172800) amount = `${Math.round(size / 3600)} h`;
  else amount = `${Math.round(size / 86400)} days`;
  return difference >= 0 ? `${amount} ago` : `in ${amount}`;
}

function describeTimestamp(timestamp, now) {
  const date = new Date(timestamp * 1000);
  // A header may carry any 15-digit t, far past the last date JavaScript can represent.
  if (Number.isNaN(date.getTime())) return `signed at t=${timestamp}`;
  return `signed at ${date.toISOString().replace('.000Z', 'Z')}, ${describeAge(timestamp, now)}`;
}

/**
 * Checks `body` against the header and secret. Returns
 * { state, title, detail, code? } where state is 'idle', 'valid',
 * 'invalid' or 'unavailable'. Nothing in it contains the secret.
 */
export function checkSignature(api, body, header, secret) {
  if (header.trim() === '' && secret === '') {
    return {
      state: 'idle',
      title: 'Signature not checked',
      detail: 'Enter the FreeClimb-Signature header and the signing secret to verify this payload.',
    };
  }
  if (typeof api.verifySignature !== 'function') {
    return {
      state: 'unavailable',
      title: 'Signature check unavailable',
      detail: 'The freeclimb-callstatus build in /pkg/ has no verifySignature(); rebuild it with `make pkg`.',
    };
  }
  if (header.trim() === '') {
    return { state: 'idle', title: 'Signature not checked', detail: 'Enter the FreeClimb-Signature header as well.' };
  }
  if (secret === '') {
    return { state: 'idle', title: 'Signature not checked', detail: 'Enter the signing secret as well.' };
  }

  const now = unixNow();
  const timestamp = headerTimestamp(header);
  const when = timestamp === undefined ? '' : ` (${describeTimestamp(timestamp, now)})`;
  try {
    api.verifySignature(body, header, secret, { now });
  } catch (error) {
    // Only a verification failure is a verdict. Anything else is a bug to surface.
    if (!(error instanceof api.SignatureVerificationError)) throw error;
    return { state: 'invalid', title: 'Signature invalid', code: error.code, detail: `${error.message}${when}` };
  }
  return {
    state: 'valid',
    title: 'Signature valid',
    detail: `The body matches the header under this secret${when}.`,
  };
}

/** Computes a header for `body` signed now, or undefined without signPayload(). */
export function signNow(api, body, secret) {
  if (typeof api.signPayload !== 'function') return undefined;
  return api.signPayload(body, secret, unixNow());
}
