//! Signing and verification of the `FreeClimb-Signature` webhook request header.
//!
//! FreeClimb signs each webhook request with the account's signing secret
//! and sends `FreeClimb-Signature: t=<Unix seconds>,v1=<hex>[,v1=<hex>...]`.
//! Each `v1` is the lowercase hex HMAC-SHA256 of `<t>.<body>`: the timestamp
//! text exactly as it appears in the header, a `.`, then the raw body bytes.
//! The key is the whole signing secret as UTF-8, `sigsec_` prefix included.
//! A header lists several `v1` entries while a secret is being rotated, and
//! a match with any one of them verifies the request.
//!
//! [`verify_at`] takes the current time from the caller, because
//! `SystemTime::now()` panics on `wasm32-unknown-unknown`. [`verify`] reads
//! the system clock and exists only on other targets.

use std::fmt::{self, Write as _};

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// Name of the HTTP request header that carries the signature.
pub const SIGNATURE_HEADER: &str = "FreeClimb-Signature";

/// Default maximum distance, in seconds, between the header's timestamp and
/// the current time, in either direction.
pub const DEFAULT_TOLERANCE_SECONDS: u64 = 300;

/// Maximum number of characters of a header or header part quoted in an
/// error message, so that a hostile header cannot flood a log.
const QUOTE_MAX_CHARS: usize = 40;

/// Byte length of an HMAC-SHA256 output.
const SIGNATURE_BYTES: usize = 32;

type HmacSha256 = Hmac<Sha256>;

/// A reason why a request's signature could not be verified.
///
/// [`SignatureError::code`] gives a stable snake_case code for each kind.
/// `Display` gives an English message that never contains the secret.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum SignatureError {
    /// The header is empty or contains only whitespace.
    MissingHeader,
    /// A comma-separated part of the header is not a valid `key=value` pair,
    /// or repeats `t`, or has a timestamp that is not a 64-bit count of
    /// seconds.
    MalformedHeader {
        /// The offending part, trimmed and shortened to 40 characters.
        part: String,
        /// Description of the expected form, such as `expected a key=value
        /// pair such as "t=1679944186"`.
        reason: &'static str,
    },
    /// The header has no `t` part.
    MissingTimestamp {
        /// The header, shortened to 40 characters.
        header: String,
    },
    /// The header has a `t` part but no `v1` part.
    MissingSignature {
        /// The header, shortened to 40 characters.
        header: String,
    },
    /// A `v1` signature matched, but the timestamp is further from the
    /// current time than the tolerance allows. The request is authentic, so
    /// this points to a replay or to a clock that is wrong on either side.
    TimestampOutsideTolerance {
        /// The header's timestamp, in Unix seconds.
        timestamp: u64,
        /// The current time used for the check, in Unix seconds.
        now: u64,
        /// The tolerance used for the check, in seconds.
        tolerance_seconds: u64,
    },
    /// No `v1` signature in the header equals the HMAC-SHA256 of the
    /// timestamp and body under the secret.
    NoMatchingSignature {
        /// Number of `v1` parts compared.
        candidates: usize,
    },
    /// The signing secret is empty or contains only whitespace.
    EmptySecret,
    /// The request body has no bytes.
    EmptyBody,
}

impl SignatureError {
    /// Every code that [`SignatureError::code`] can return.
    pub const CODES: &'static [&'static str] = &[
        "missing_header",
        "malformed_header",
        "missing_timestamp",
        "missing_signature",
        "timestamp_outside_tolerance",
        "no_matching_signature",
        "empty_secret",
        "empty_body",
    ];

    /// Returns the stable snake_case code of this kind of failure. The codes
    /// are part of the public API and never change meaning.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            SignatureError::MissingHeader => "missing_header",
            SignatureError::MalformedHeader { .. } => "malformed_header",
            SignatureError::MissingTimestamp { .. } => "missing_timestamp",
            SignatureError::MissingSignature { .. } => "missing_signature",
            SignatureError::TimestampOutsideTolerance { .. } => "timestamp_outside_tolerance",
            SignatureError::NoMatchingSignature { .. } => "no_matching_signature",
            SignatureError::EmptySecret => "empty_secret",
            SignatureError::EmptyBody => "empty_body",
        }
    }
}

/// Text shown in a message with quotes, backslashes and control characters
/// escaped, like `str::escape_debug` for the characters headers contain,
/// without the Unicode tables that would add kilobytes to the wasm module.
struct EscapedText<'t>(&'t str);

impl fmt::Display for EscapedText<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for character in self.0.chars() {
            match character {
                '"' => f.write_str("\\\"")?,
                '\\' => f.write_str("\\\\")?,
                '\n' => f.write_str("\\n")?,
                '\r' => f.write_str("\\r")?,
                '\t' => f.write_str("\\t")?,
                control if control.is_control() => write!(f, "\\u{{{:x}}}", control as u32)?,
                other => f.write_char(other)?,
            }
        }
        Ok(())
    }
}

impl fmt::Display for SignatureError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SignatureError::MissingHeader => write!(
                f,
                "missing {SIGNATURE_HEADER} header: \
                 expected \"t=<Unix seconds>,v1=<64 hex digits>\", \
                 received an empty or whitespace-only value"
            ),
            SignatureError::MalformedHeader { part, reason } => write!(
                f,
                "malformed {SIGNATURE_HEADER} header part \"{}\": {reason}",
                EscapedText(part)
            ),
            SignatureError::MissingTimestamp { header } => write!(
                f,
                "missing timestamp in {SIGNATURE_HEADER} header \"{}\": \
                 expected a \"t=\" part in Unix seconds such as \"t=1679944186\"",
                EscapedText(header)
            ),
            SignatureError::MissingSignature { header } => write!(
                f,
                "missing signature in {SIGNATURE_HEADER} header \"{}\": \
                 expected at least one \"v1=<64 hex digits>\" part",
                EscapedText(header)
            ),
            SignatureError::TimestampOutsideTolerance {
                timestamp,
                now,
                tolerance_seconds,
            } => {
                let direction = if timestamp > now { "after" } else { "before" };
                write!(
                    f,
                    "{SIGNATURE_HEADER} timestamp {timestamp} is {} seconds {direction} \
                     the current time {now}: expected at most {tolerance_seconds} seconds \
                     before or after it. The request may be a replay, or a clock may be wrong",
                    timestamp.abs_diff(*now)
                )
            }
            SignatureError::NoMatchingSignature { candidates } => write!(
                f,
                "no matching signature among the {candidates} v1 values in the \
                 {SIGNATURE_HEADER} header: expected an HMAC-SHA256 of \"<t>.<body>\" \
                 keyed with the account's signing secret. Check the secret and pass the \
                 body bytes exactly as received"
            ),
            SignatureError::EmptySecret => write!(
                f,
                "empty signing secret: expected the account's signing secret, \
                 which starts with \"sigsec_\""
            ),
            SignatureError::EmptyBody => write!(
                f,
                "empty request body: expected the raw request body exactly as received"
            ),
        }
    }
}

impl std::error::Error for SignatureError {}

/// Computes the signature of `body` at `timestamp` as 64 lowercase hex
/// digits, the value of a `v1` part.
///
/// An empty secret is not rejected here, but [`verify_at`] rejects it.
#[must_use]
pub fn compute_signature(body: &[u8], secret: &str, timestamp: u64) -> String {
    let mac = keyed_mac(secret, &timestamp.to_string(), body);
    encode_hex(&mac.finalize().into_bytes())
}

/// Builds a `FreeClimb-Signature` header value, `t=<timestamp>,v1=<hex>`,
/// for `body` signed with `secret` at `timestamp` (Unix seconds).
///
/// An empty secret is not rejected here, but [`verify_at`] rejects it.
///
/// ```
/// use freeclimb_callstatus::signature::sign;
///
/// // A vector from the test suites of FreeClimb's SDKs.
/// let body = br#"{"accountId":"AC1334ffb694cd8d969f51cddf5f7c9b478546d50c","callId":"CAccb0b00506553cda09b51c5477f672a49e0b2213","callStatus":"ringing","conferenceId":null,"direction":"inbound","from":"+13121000109","parentCallId":null,"queueId":null,"requestType":"inboundCall","to":"+13121000096"}"#;
/// let header = sign(body, "sigsec_ead6d3b6904196c60835d039e91b3341c77a7793", 1_679_944_186);
/// assert_eq!(
///     header,
///     "t=1679944186,v1=c3957749baf61df4b1506802579cc69a74c77a1ae21447b930e5a704f9ec4120"
/// );
/// ```
#[must_use]
pub fn sign(body: &[u8], secret: &str, timestamp: u64) -> String {
    format!(
        "t={timestamp},v1={}",
        compute_signature(body, secret, timestamp)
    )
}

/// Verifies `header` against `body` and `secret` at the system clock's
/// current time with [`DEFAULT_TOLERANCE_SECONDS`], and returns the header's
/// timestamp in Unix seconds.
///
/// Not available on `wasm32`, where [`verify_at`] takes the time from the
/// caller. A system clock set before 1970 counts as time 0.
///
/// # Errors
///
/// The same as [`verify_at`].
///
/// ```
/// use freeclimb_callstatus::signature::{sign, verify};
/// use std::time::{SystemTime, UNIX_EPOCH};
///
/// let secret = "sigsec_ead6d3b6904196c60835d039e91b3341c77a7793";
/// let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
/// let body = br#"{"requestType":"callStatus"}"#;
/// let header = sign(body, secret, now);
///
/// assert_eq!(verify(body, &header, secret), Ok(now));
/// ```
#[cfg(not(target_arch = "wasm32"))]
pub fn verify(body: &[u8], header: &str, secret: &str) -> Result<u64, SignatureError> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    verify_at(body, header, secret, now, DEFAULT_TOLERANCE_SECONDS)
}

/// Verifies `header` against `body` and `secret` at `now_seconds` (Unix
/// seconds), and returns the header's timestamp in Unix seconds.
///
/// `body` must be the raw bytes as received, before any JSON parsing or
/// re-encoding. The secret is used exactly as given, so a trailing newline
/// read from a file makes every signature fail to match. A timestamp passes
/// when it is at most `tolerance_seconds` before or after `now_seconds`,
/// bounds included.
///
/// `v1` values are decoded from hex case-insensitively, so uppercase digits
/// match even though FreeClimb sends lowercase. A `v1` value that is not 64
/// hex digits does not match but does not make the header malformed.
/// Comparison with each `v1` runs in constant time.
///
/// # Errors
///
/// Checks run in this order and the first failure is returned:
/// [`SignatureError::EmptySecret`], [`SignatureError::MissingHeader`],
/// [`SignatureError::MalformedHeader`], [`SignatureError::MissingTimestamp`],
/// [`SignatureError::MissingSignature`], [`SignatureError::EmptyBody`],
/// [`SignatureError::NoMatchingSignature`], then
/// [`SignatureError::TimestampOutsideTolerance`].
///
/// ```
/// use freeclimb_callstatus::signature::{verify_at, SignatureError, DEFAULT_TOLERANCE_SECONDS};
///
/// let secret = "sigsec_ead6d3b6904196c60835d039e91b3341c77a7793";
/// let body = br#"{"accountId":"AC1334ffb694cd8d969f51cddf5f7c9b478546d50c","callId":"CAccb0b00506553cda09b51c5477f672a49e0b2213","callStatus":"ringing","conferenceId":null,"direction":"inbound","from":"+13121000109","parentCallId":null,"queueId":null,"requestType":"inboundCall","to":"+13121000096"}"#;
/// let header = "t=1679944186,v1=c3957749baf61df4b1506802579cc69a74c77a1ae21447b930e5a704f9ec4120";
///
/// // Signed 100 seconds before `now`: within the default 300 s.
/// let verified = verify_at(body, header, secret, 1_679_944_286, DEFAULT_TOLERANCE_SECONDS);
/// assert_eq!(verified, Ok(1_679_944_186));
///
/// // Another secret, or other bytes, match no signature.
/// let error = verify_at(body, header, "sigsec_other", 1_679_944_286, DEFAULT_TOLERANCE_SECONDS)
///     .unwrap_err();
/// assert_eq!(error, SignatureError::NoMatchingSignature { candidates: 1 });
/// assert_eq!(error.code(), "no_matching_signature");
/// ```
pub fn verify_at(
    body: &[u8],
    header: &str,
    secret: &str,
    now_seconds: u64,
    tolerance_seconds: u64,
) -> Result<u64, SignatureError> {
    SigningKey::new(secret).verify_at(body, header, now_seconds, tolerance_seconds)
}

/// A signing secret prepared for HMAC-SHA256. Preparing the key hashes two
/// blocks, so a server that verifies many requests keeps one `SigningKey`
/// and saves that work on each request.
///
/// `Debug` prints `SigningKey { .. }`, so the key stays out of logs.
///
/// ```
/// use freeclimb_callstatus::signature::{sign, SigningKey, DEFAULT_TOLERANCE_SECONDS};
///
/// // Once, at startup.
/// let key = SigningKey::new("sigsec_ead6d3b6904196c60835d039e91b3341c77a7793");
///
/// // On each request.
/// let body = br#"{"requestType":"callStatus"}"#;
/// let header = sign(body, "sigsec_ead6d3b6904196c60835d039e91b3341c77a7793", 1_700_000_000);
/// let verified = key.verify_at(body, &header, 1_700_000_000, DEFAULT_TOLERANCE_SECONDS);
/// assert_eq!(verified, Ok(1_700_000_000));
/// assert_eq!(format!("{key:?}"), "SigningKey { .. }");
/// ```
#[derive(Clone)]
pub struct SigningKey {
    mac: HmacSha256,
    is_empty: bool,
}

impl SigningKey {
    /// Prepares `secret`, used exactly as given (UTF-8 bytes, `sigsec_`
    /// prefix included).
    #[must_use]
    pub fn new(secret: &str) -> Self {
        // HMAC hashes keys longer than the block size and pads shorter ones, so
        // in hmac 0.12 this constructor returns Ok for every key, even empty.
        let mac = HmacSha256::new_from_slice(secret.as_bytes())
            .expect("HMAC-SHA256 accepts keys of any length");
        SigningKey {
            mac,
            is_empty: secret.trim().is_empty(),
        }
    }

    /// Verifies `header` against `body` at `now_seconds`, as the free
    /// function [`verify_at`] does with this key's secret.
    ///
    /// # Errors
    ///
    /// The same as [`verify_at`], in the same order.
    pub fn verify_at(
        &self,
        body: &[u8],
        header: &str,
        now_seconds: u64,
        tolerance_seconds: u64,
    ) -> Result<u64, SignatureError> {
        if self.is_empty {
            return Err(SignatureError::EmptySecret);
        }
        if header.trim().is_empty() {
            return Err(SignatureError::MissingHeader);
        }
        let parsed = parse_header(header)?;
        if body.is_empty() {
            return Err(SignatureError::EmptyBody);
        }

        // The signature is checked before the timestamp so that a tolerance
        // failure is only ever reported for a request signed with this secret.
        let mut mac = self.mac.clone();
        mac.update(parsed.timestamp_text.as_bytes());
        mac.update(b".");
        mac.update(body);
        let matched = parsed
            .signatures
            .iter()
            .filter_map(|text| decode_hex_signature(text))
            .any(|candidate| mac.clone().verify_slice(&candidate).is_ok());
        if !matched {
            return Err(SignatureError::NoMatchingSignature {
                candidates: parsed.signatures.len(),
            });
        }

        if parsed.timestamp.abs_diff(now_seconds) > tolerance_seconds {
            return Err(SignatureError::TimestampOutsideTolerance {
                timestamp: parsed.timestamp,
                now: now_seconds,
                tolerance_seconds,
            });
        }
        Ok(parsed.timestamp)
    }
}

impl fmt::Debug for SigningKey {
    // The key material stays out of logs.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SigningKey { .. }")
    }
}

/// Returns an HMAC-SHA256 keyed with `secret` that has absorbed
/// `<timestamp_text>.<body>`.
fn keyed_mac(secret: &str, timestamp_text: &str, body: &[u8]) -> HmacSha256 {
    // HMAC hashes keys longer than the block size and pads shorter ones, so
    // in hmac 0.12 this constructor returns Ok for every key, even empty.
    let mut mac = HmacSha256::new_from_slice(secret.as_bytes())
        .expect("HMAC-SHA256 accepts keys of any length");
    mac.update(timestamp_text.as_bytes());
    mac.update(b".");
    mac.update(body);
    mac
}

/// The parts of a header that verification uses.
struct ParsedHeader<'a> {
    timestamp: u64,
    /// The timestamp's digits exactly as sent, leading zeros included,
    /// because they are what was signed.
    timestamp_text: &'a str,
    signatures: Vec<&'a str>,
}

const EMPTY_PART: &str =
    "expected a key=value pair between every two commas and none at either end";
const MISSING_EQUALS: &str = "expected a key=value pair such as \"t=1679944186\"";
const EMPTY_KEY: &str = "expected a key such as \"t\" or \"v1\" before \"=\"";
const INVALID_KEY: &str = "expected a key of ASCII letters, digits, \"_\" and \"-\"";
const REPEATED_TIMESTAMP: &str = "expected one \"t=\" part, but the header repeats it";
const TIMESTAMP_NOT_DIGITS: &str =
    "expected a timestamp of ASCII digits only, such as \"t=1679944186\"";
const TIMESTAMP_TOO_LARGE: &str =
    "expected a timestamp of at most 18446744073709551615, the 64-bit maximum";

/// Parses a header's comma-separated `key=value` parts. Keys are
/// case-sensitive, and keys other than `t` and `v1` are skipped, but every
/// part must still be a well-formed pair.
fn parse_header(header: &str) -> Result<ParsedHeader<'_>, SignatureError> {
    let mut timestamp: Option<(u64, &str)> = None;
    let mut signatures = Vec::new();

    for raw_part in header.split(',') {
        let part = trim_spaces(raw_part);
        let malformed = |reason| SignatureError::MalformedHeader {
            part: shorten(part),
            reason,
        };
        if part.is_empty() {
            return Err(malformed(EMPTY_PART));
        }
        let Some((raw_key, raw_value)) = part.split_once('=') else {
            return Err(malformed(MISSING_EQUALS));
        };
        let key = trim_spaces(raw_key);
        let value = trim_spaces(raw_value);
        if key.is_empty() {
            return Err(malformed(EMPTY_KEY));
        }
        if !key
            .bytes()
            .all(|byte| byte.is_ascii_alphanumeric() || byte == b'_' || byte == b'-')
        {
            return Err(malformed(INVALID_KEY));
        }

        match key {
            "t" => {
                if timestamp.is_some() {
                    return Err(malformed(REPEATED_TIMESTAMP));
                }
                let seconds = parse_unix_seconds(value).map_err(malformed)?;
                timestamp = Some((seconds, value));
            }
            "v1" => signatures.push(value),
            _ => {}
        }
    }

    let Some((timestamp, timestamp_text)) = timestamp else {
        return Err(SignatureError::MissingTimestamp {
            header: shorten(header.trim()),
        });
    };
    if signatures.is_empty() {
        return Err(SignatureError::MissingSignature {
            header: shorten(header.trim()),
        });
    }
    Ok(ParsedHeader {
        timestamp,
        timestamp_text,
        signatures,
    })
}

/// Trims the optional whitespace that HTTP allows around header tokens:
/// spaces and horizontal tabs.
fn trim_spaces(text: &str) -> &str {
    text.trim_matches(|c| c == ' ' || c == '\t')
}

/// Parses a non-empty run of ASCII digits, leading zeros allowed, into a
/// `u64`. The error is the reason for a `MalformedHeader`.
fn parse_unix_seconds(text: &str) -> Result<u64, &'static str> {
    if text.is_empty() || !text.bytes().all(|byte| byte.is_ascii_digit()) {
        return Err(TIMESTAMP_NOT_DIGITS);
    }
    text.bytes()
        .try_fold(0u64, |seconds, digit| {
            seconds
                .checked_mul(10)?
                .checked_add(u64::from(digit - b'0'))
        })
        .ok_or(TIMESTAMP_TOO_LARGE)
}

/// Decodes 64 hex digits of either case. Returns `None` for any other
/// length or for a non-hex character.
fn decode_hex_signature(text: &str) -> Option<[u8; SIGNATURE_BYTES]> {
    let digits = text.as_bytes();
    if digits.len() != SIGNATURE_BYTES * 2 {
        return None;
    }
    let mut decoded = [0u8; SIGNATURE_BYTES];
    for (byte, pair) in decoded.iter_mut().zip(digits.chunks_exact(2)) {
        let &[high, low] = pair else {
            return None;
        };
        *byte = (hex_digit_value(high)? << 4) | hex_digit_value(low)?;
    }
    Some(decoded)
}

fn hex_digit_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        b'A'..=b'F' => Some(digit - b'A' + 10),
        _ => None,
    }
}

fn encode_hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut hex = String::with_capacity(bytes.len() * 2);
    for &byte in bytes {
        hex.push(char::from(DIGITS[usize::from(byte >> 4)]));
        hex.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
    hex
}

/// Cuts `text` to [`QUOTE_MAX_CHARS`] characters, marking a cut with `...`.
fn shorten(text: &str) -> String {
    match text.char_indices().nth(QUOTE_MAX_CHARS) {
        Some((cut, _)) => format!("{}...", text.get(..cut).unwrap_or_default()),
        None => text.to_owned(),
    }
}
