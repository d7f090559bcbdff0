//! Validation and signature verification for FreeClimb's callStatus webhook.
//!
//! FreeClimb POSTs a callStatus request to an application's
//! `statusCallbackUrl` when a call ends. [`validate`] reads the raw body
//! bytes in one pass and returns a [`Report`] with every issue (a JSON
//! Pointer, a stable [`IssueCode`], a [`Severity`] and a message) and, when
//! there is no error, the normalised [`CallStatusPayload`].
//!
//! The same code runs natively and, through the `wasm` module, in
//! WebAssembly for the npm package.

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
pub use validate::{validate, validate_str};
