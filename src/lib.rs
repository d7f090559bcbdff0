//! Validation and signature verification for FreeClimb's callStatus webhook.
//!
//! FreeClimb POSTs a callStatus request to an application's
//! `statusCallbackUrl` when a call ends. [`validate()`] reads the raw body
//! bytes in one pass and returns a [`Report`] with every issue (a JSON
//! Pointer, a stable [`IssueCode`], a [`Severity`] and a message) and, when
//! there is no error, the normalised [`CallStatusPayload`]. The
//! [`signature`] module verifies the `FreeClimb-Signature` header that comes
//! with every request, and signs bodies for tests.
//!
//! The same code runs natively and, compiled to WebAssembly, in the npm
//! package `freeclimb-callstatus`. The wasm-bindgen layer and its
//! dependencies are only built for `target_arch = "wasm32"`, so a native
//! build depends on `hmac`, `sha2` and, with the default `serde` feature,
//! `serde`.
//!
//! # Validate a raw body
//!
//! Pass the bytes exactly as received. A report contains the typed payload
//! when no issue is an error; warnings do not make a body invalid.
//!
//! ```
//! use freeclimb_callstatus::{validate, CallStatus, Direction, Options};
//!
//! let body = concat!(
//!     r#"{"requestType":"callStatus","callId":"CAccb0b00506553cda09b51c5477f672a49e0b2213","#,
//!     r#""accountId":"AC1334ffb694cd8d969f51cddf5f7c9b478546d50c","from":"+13121000109","#,
//!     r#""to":"+13121000096","callStatus":"completed","callEndedReason":"farEndHangup","#,
//!     r#""direction":"inbound","conferenceId":null,"queueId":null,"callDuration":"37","#,
//!     r#""parentCallId":null}"#
//! );
//!
//! let report = validate(body.as_bytes(), &Options::default());
//! assert!(report.is_valid());
//!
//! let call = report.payload.expect("a valid report has a payload");
//! assert_eq!(call.call_status, CallStatus::Completed);
//! assert_eq!(call.direction, Direction::Inbound);
//! assert_eq!(call.call_duration, Some(37));
//! assert_eq!(call.call_ended_reason.unwrap().as_str(), "farEndHangup");
//! ```
//!
//! # Walk the issues
//!
//! Every issue is reported, not only the first. `path` is a JSON Pointer,
//! `code` a stable [`IssueCode`], and `location` the line and column.
//!
//! ```
//! use freeclimb_callstatus::{validate, IssueCode, Options, Severity};
//!
//! let body = br#"{"requestType":"callStatus","callId":"CA-1234","from":"Anonymous"}"#;
//! let report = validate(body, &Options::default());
//! assert!(!report.is_valid());
//! assert!(report.payload.is_none());
//!
//! for issue in &report.issues {
//!     // Display gives the CLI's layout:
//!     // error /callId at 1:38 [invalid_id]: callId: expected a call id: ...
//!     println!("{issue}");
//! }
//!
//! let first = &report.issues[0];
//! assert_eq!(first.path, "/callId");
//! assert_eq!(first.code, IssueCode::InvalidId);
//! assert_eq!(first.severity, Severity::Error);
//! assert_eq!(first.location.map(|at| at.column), Some(38));
//!
//! // Lenient mode keeps a withheld caller id, with a warning.
//! let from = report.warnings().find(|issue| issue.path == "/from").unwrap();
//! assert_eq!(from.code, IssueCode::InvalidPhoneNumber);
//!
//! // The other required fields are missing.
//! assert!(report.errors().any(|issue| issue.code == IssueCode::MissingField));
//! ```
//!
//! # Verify the signature, then validate
//!
//! A webhook handler checks the signature on the raw bytes first, then
//! validates them. [`signature::verify`] reads the system clock;
//! [`signature::verify_at`] and [`signature::SigningKey`] take the current
//! time from the caller, which keeps this example deterministic.
//!
//! ```
//! use freeclimb_callstatus::signature::{self, SignatureError};
//! use freeclimb_callstatus::{validate, CallStatusPayload, Options, Report};
//!
//! /// Why a request was turned away: 401 for the first, 400 for the second.
//! #[derive(Debug)]
//! enum Rejection {
//!     Signature(SignatureError),
//!     Payload(Report),
//! }
//!
//! fn receive(body: &[u8], header: &str, secret: &str, now: u64) -> Result<CallStatusPayload, Rejection> {
//!     signature::verify_at(body, header, secret, now, signature::DEFAULT_TOLERANCE_SECONDS)
//!         .map_err(Rejection::Signature)?;
//!     let report = validate(body, &Options::default());
//!     match report.payload {
//!         Some(payload) => Ok(payload),
//!         None => Err(Rejection::Payload(report)),
//!     }
//! }
//!
//! let secret = "sigsec_ead6d3b6904196c60835d039e91b3341c77a7793";
//! let body = concat!(
//!     r#"{"requestType":"callStatus","callId":"CAccb0b00506553cda09b51c5477f672a49e0b2213","#,
//!     r#""accountId":"AC1334ffb694cd8d969f51cddf5f7c9b478546d50c","from":"+13121000109","#,
//!     r#""to":"+13121000096","callStatus":"busy","callEndedReason":"busy","#,
//!     r#""direction":"outboundAPI","conferenceId":null,"queueId":null,"callDuration":"12","#,
//!     r#""parentCallId":null}"#
//! ).as_bytes();
//! let now = 1_679_944_186;
//! let header = signature::sign(body, secret, now);
//!
//! let call = receive(body, &header, secret, now).expect("signed and valid");
//! assert_eq!(call.call_duration, Some(12));
//!
//! // One changed byte breaks the signature.
//! let tampered = String::from_utf8_lossy(body).replace("\"12\"", "\"13\"");
//! let Err(Rejection::Signature(error)) = receive(tampered.as_bytes(), &header, secret, now) else {
//!     panic!("a tampered body must fail verification");
//! };
//! assert_eq!(error.code(), "no_matching_signature");
//!
//! // An authentic header from an hour ago is a replay.
//! let Err(Rejection::Signature(error)) = receive(body, &header, secret, now + 3600) else {
//!     panic!("an old signature must fail verification");
//! };
//! assert_eq!(error.code(), "timestamp_outside_tolerance");
//!
//! // A signed body that is not a callStatus is rejected by validation.
//! let other = br#"{"requestType":"inboundCall"}"#;
//! let header = signature::sign(other, secret, now);
//! assert!(matches!(receive(other, &header, secret, now), Err(Rejection::Payload(_))));
//! ```
//!
//! A server that verifies many requests prepares the key once with
//! [`signature::SigningKey::new`]. `examples/axum_handler.rs` in the
//! repository is a complete axum endpoint built this way. It responds with
//! 204, or with 400 or 401 and a JSON error body.
//!
//! # Sign bodies in tests
//!
//! [`signature::sign`] builds the header FreeClimb would send, so a test can
//! post a body to its own handler:
//!
//! ```
//! use freeclimb_callstatus::signature;
//!
//! let header = signature::sign(b"{}", "sigsec_test", 1_700_000_000);
//! assert!(header.starts_with("t=1700000000,v1="));
//! assert_eq!(signature::verify_at(b"{}", &header, "sigsec_test", 1_700_000_000, 300), Ok(1_700_000_000));
//! ```
//!
//! # Modes and limits
//!
//! [`Options`] selects [`Mode::Lenient`] (the default, for production
//! handlers) or [`Mode::Strict`] (for contract tests), and bounds the work
//! done on hostile input with a size, depth and issue limit.
//! [`validate_ndjson`] checks a log of one body per line.
//! [`CALL_STATUS_JSON_SCHEMA`] is the JSON Schema of strict mode, for tools
//! outside Rust.
//!
//! # Features
//!
//! - `serde` (default): `Serialize` and `Deserialize` for
//!   [`CallStatusPayload`] and its enumerations, with the wire field names.
//!   Without it, [`CallStatusPayload::to_json`] still serialises a payload
//!   with the wire field names.

#![deny(missing_docs)]

#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
mod compact;
mod field;
mod issue;
mod json;
mod model;
mod ndjson;
mod options;
mod report_json;
mod rules;
mod schema;
mod validate;
#[cfg(target_arch = "wasm32")]
mod wasm;
pub mod signature;

pub use issue::{Issue, IssueCode, Location, Report, Severity};
pub use json::Span;
pub use model::{
    CallEndedReason, CallStatus, CallStatusPayload, Direction, KnownCallEndedReason,
    MAX_CALL_DURATION_SECONDS,
};
pub use ndjson::{validate_ndjson, validate_ndjson_with_max_reports, NdjsonReport, DEFAULT_MAX_REPORTS};
pub use options::{Mode, Options, DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH, DEFAULT_MAX_ISSUES};
pub use report_json::meanings_json;
pub use schema::CALL_STATUS_JSON_SCHEMA;
pub use validate::{validate, validate_str};
