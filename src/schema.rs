//! The JSON Schema of strict mode, the same file the npm package ships as
//! `freeclimb-callstatus/schema.json`.

/// A JSON Schema (draft 2020-12) of the callStatus body in strict mode, as
/// JSON text.
///
/// It is for tools that read JSON Schema rather than Rust: API gateways,
/// contract tests in other languages, editors and OpenAPI documents. A body
/// that [`validate`](fn@crate::validate) accepts with [`Options::strict`]
/// passes the schema, apart from the `format` note below. The reverse is
/// true except for these checks, which the schema leaves out because it sees the
/// value after parsing, not the raw bytes, or cannot bound a number's size:
///
/// - invalid UTF-8 and lone surrogate escapes such as `"\uD800"`;
/// - duplicate keys, which a JSON parser usually resolves by keeping the
///   last value;
/// - the `max_bytes` and `max_depth` limits of [`Options`];
/// - a `callDuration` or `recordingDurationSec` of more than 64 bits, which
///   matches the schema's pattern of digits but is an error in strict mode.
///
/// `recordingUrl` also carries `"format": "uri"` (RFC 3986, as the
/// ajv-formats package checks it). A validator that asserts formats
/// therefore rejects some URLs that this crate accepts: non-ASCII
/// characters, and some ASCII ones such as `|`.
///
/// Rules that only ever warn are left out, because they never change
/// validity: callEndedReason fitting callStatus or direction, a duration
/// above 21600 seconds, and an `outboundDial` call without parentCallId.
///
/// The schema's own `description` states these exceptions too.
///
/// ```
/// use freeclimb_callstatus::CALL_STATUS_JSON_SCHEMA;
///
/// let schema: serde_json::Value = serde_json::from_str(CALL_STATUS_JSON_SCHEMA)?;
/// assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
/// assert_eq!(schema["properties"]["callId"]["pattern"], "^CA[0-9a-fA-F]{40}$");
/// # Ok::<(), serde_json::Error>(())
/// ```
///
/// [`Options::strict`]: crate::Options::strict
/// [`Options`]: crate::Options
pub const CALL_STATUS_JSON_SCHEMA: &str = include_str!("../schema/callstatus.schema.json");
