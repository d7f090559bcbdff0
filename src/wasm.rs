//! The WebAssembly boundary: argument conversion only, no rules.
//!
//! The JavaScript glue checks option types and builds the public objects;
//! these functions take plain numbers and bytes and return JSON text, which
//! `JSON.parse` turns into objects faster than building them across the
//! boundary field by field.

use wasm_bindgen::prelude::wasm_bindgen;

use crate::options::{Mode, Options};

fn options(strict: bool, max_bytes: u32, max_depth: u32, max_issues: u32) -> Options {
    Options {
        mode: if strict { Mode::Strict } else { Mode::Lenient },
        max_bytes: max_bytes as usize,
        max_depth: max_depth as usize,
        max_issues: max_issues as usize,
    }
}

/// Validates raw body bytes and returns the report as JSON text.
#[wasm_bindgen(js_name = validateBytes)]
pub fn validate_bytes(body: &[u8], strict: bool, max_bytes: u32, max_depth: u32, max_issues: u32) -> String {
    crate::validate(body, &options(strict, max_bytes, max_depth, max_issues)).to_json()
}

/// Validates a body given as a JavaScript string (passed as UTF-8).
#[wasm_bindgen(js_name = validateText)]
pub fn validate_text(body: &str, strict: bool, max_bytes: u32, max_depth: u32, max_issues: u32) -> String {
    crate::validate(body.as_bytes(), &options(strict, max_bytes, max_depth, max_issues)).to_json()
}

/// The report for a body of `length` bytes over `max_bytes`, built without
/// the body so that JavaScript need not copy it into wasm memory.
#[wasm_bindgen(js_name = oversizedReport)]
pub fn oversized_report(length: f64, max_bytes: u32, max_issues: u32) -> String {
    crate::validate::oversized_report(length as u64, max_bytes as usize, max_issues as usize).to_json()
}

/// Every enumeration value and its documented meaning, as JSON text.
#[wasm_bindgen(js_name = meaningsJson)]
pub fn meanings_json() -> String {
    crate::report_json::meanings_json()
}
