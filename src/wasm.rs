//! The WebAssembly boundary: argument conversion only, no rules.
//!
//! The JavaScript glue checks option types and builds the public objects.
//! A body is copied into an input buffer that lives in wasm memory and is
//! reused across calls; results come back as numbers in fixed slots plus
//! one string (see `compact.rs`), or as JSON text on the rare paths, which
//! JavaScript turns into objects faster than building them across the
//! boundary field by field.

use std::cell::RefCell;

use wasm_bindgen::prelude::{wasm_bindgen, JsValue};

use crate::compact::{encode_batch, encode_issues, summarise, Summary, SUMMARY_SLOTS};
use crate::options::{Mode, Options};
use crate::signature::SigningKey;

/// Bit of the `flags` argument that selects strict mode.
const FLAG_STRICT: u32 = 1;
/// Bit of the `flags` argument that masks personal data in messages.
const FLAG_MASK_PERSONAL_DATA: u32 = 2;

fn options(flags: u32, max_bytes: u32, max_depth: u32, max_issues: u32) -> Options {
    Options {
        mode: if flags & FLAG_STRICT != 0 { Mode::Strict } else { Mode::Lenient },
        max_bytes: max_bytes as usize,
        max_depth: max_depth as usize,
        max_issues: max_issues as usize,
        mask_personal_data: flags & FLAG_MASK_PERSONAL_DATA != 0,
    }
}

/// Validates raw body bytes and returns the report as JSON text: the
/// general path, kept as the reference the tests compare the fast path with.
#[wasm_bindgen(js_name = validateBytes)]
pub fn validate_bytes(body: &[u8], flags: u32, max_bytes: u32, max_depth: u32, max_issues: u32) -> String {
    crate::validate(body, &options(flags, max_bytes, max_depth, max_issues)).to_json()
}

/// The report for a body of `length` bytes over `max_bytes`, built without
/// the body so that JavaScript need not copy it into wasm memory.
#[wasm_bindgen(js_name = oversizedReport)]
pub fn oversized_report(length: f64, max_bytes: u32, max_issues: u32) -> String {
    crate::validate::oversized_report(length as u64, max_bytes as usize, max_issues as usize).to_json()
}

/// The report for a parsed object nested deeper than `max_depth`, which the
/// JavaScript glue detects before serialising the object.
#[wasm_bindgen(js_name = tooDeepReport)]
pub fn too_deep_report(max_depth: u32, max_issues: u32) -> String {
    crate::validate::too_deep_report(max_depth as usize, max_issues as usize).to_json()
}

/// The report for a parsed object whose JSON text would pass `max_bytes`,
/// which the JavaScript glue detects before serialising the object.
#[wasm_bindgen(js_name = objectTooLargeReport)]
pub fn object_too_large_report(max_bytes: u32, max_issues: u32) -> String {
    crate::validate::object_too_large_report(max_bytes as usize, max_issues as usize).to_json()
}

/// Every enumeration value and its documented meaning, as JSON text.
#[wasm_bindgen(js_name = meaningsJson)]
pub fn meanings_json() -> String {
    crate::report_json::meanings_json()
}

/// Verifies a `FreeClimb-Signature` header. Returns an empty string when it
/// verifies, otherwise JSON text `{"code","message"}`. `now` and
/// `tolerance_seconds` are whole seconds checked by the JavaScript glue.
fn verify_signature(body: &[u8], header: &str, secret: &str, now: f64, tolerance_seconds: f64) -> String {
    match with_signing_key(secret, |key| key.verify_at(body, header, now as u64, tolerance_seconds as u64)) {
        Ok(_) => String::new(),
        Err(error) => crate::report_json::signature_error_json(&error),
    }
}


// The fast path. JavaScript copies the body into a buffer that lives in
// wasm memory and is reused across calls, calls `validateInput`, and for a
// clean body reads the summary slots instead of parsing report text.

thread_local! {
    static INPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    static SUMMARY: RefCell<[u32; SUMMARY_SLOTS]> = const { RefCell::new([0; SUMMARY_SLOTS]) };
    static REPORT: RefCell<String> = const { RefCell::new(String::new()) };
    static ISSUES: RefCell<Vec<u32>> = const { RefCell::new(Vec::new()) };
    /// The last signing secret and its prepared key: a handler verifies
    /// every request with the same secret.
    static SIGNING_KEY: RefCell<Option<(String, SigningKey)>> = const { RefCell::new(None) };
}

fn with_signing_key<R>(secret: &str, verify: impl FnOnce(&SigningKey) -> R) -> R {
    SIGNING_KEY.with(|cached| {
        let mut cached = cached.borrow_mut();
        if cached.as_ref().map(|(text, _)| text.as_str()) != Some(secret) {
            *cached = Some((secret.to_owned(), SigningKey::new(secret)));
        }
        match cached.as_ref() {
            Some((_, key)) => verify(key),
            None => verify(&SigningKey::new(secret)),
        }
    })
}

/// Status of `validateInput`: the summary slots hold a clean result.
const STATUS_CLEAN: u32 = 1;
/// Status of `validateInput`: `takeReport` returns the report text.
const STATUS_REPORT: u32 = 0;
/// Status of `validateInput`: the body is invalid; `issuePointer` and
/// `issueSlotCount` give the encoded issues and `takeReport` their text.
const STATUS_ISSUES: u32 = 2;

/// The wasm memory, so JavaScript can write the input and read the summary.
#[wasm_bindgen(js_name = wasmMemory)]
pub fn wasm_memory() -> JsValue {
    wasm_bindgen::memory()
}

/// Makes the input buffer hold at least `capacity` bytes and returns its
/// address, or 0 when wasm memory cannot hold that many. The address
/// changes when the buffer grows.
#[wasm_bindgen(js_name = inputPointer)]
pub fn input_pointer(capacity: usize) -> *mut u8 {
    INPUT.with(|input| {
        let mut input = input.borrow_mut();
        if input.len() < capacity {
            // The old contents are not needed, so the old buffer is freed
            // first: growing in place could need both at once.
            *input = Vec::new();
            if input.try_reserve_exact(capacity).is_err() {
                return std::ptr::null_mut();
            }
            input.resize(capacity, 0);
        }
        input.as_mut_ptr()
    })
}

/// Signs the first `length` bytes of the input buffer for tests.
#[wasm_bindgen(js_name = signInput)]
pub fn sign_input(length: usize, secret: &str, timestamp: f64) -> String {
    INPUT.with(|input| {
        let input = input.borrow();
        crate::signature::sign(&input[..length.min(input.len())], secret, timestamp as u64)
    })
}

/// Address of the summary slots, which stays fixed.
#[wasm_bindgen(js_name = summaryPointer)]
pub fn summary_pointer() -> *const u32 {
    SUMMARY.with(|summary| summary.as_ptr() as *const u32)
}

/// Validates the first `length` bytes of the input buffer. Returns 1 when
/// the summary slots hold a clean result, 0 when `takeReport` has the report.
#[wasm_bindgen(js_name = validateInput)]
pub fn validate_input(length: usize, flags: u32, max_bytes: u32, max_depth: u32, max_issues: u32) -> u32 {
    let options = options(flags, max_bytes, max_depth, max_issues);
    INPUT.with(|input| {
        let input = input.borrow();
        let body = &input[..length.min(input.len())];
        match summarise(body, &options) {
            Summary::Clean(slots) => {
                SUMMARY.with(|summary| *summary.borrow_mut() = slots);
                STATUS_CLEAN
            }
            Summary::Invalid(report) => {
                ISSUES.with(|slots| {
                    REPORT.with(|text| encode_issues(&report, &mut slots.borrow_mut(), &mut text.borrow_mut()));
                });
                STATUS_ISSUES
            }
            Summary::Full(report) => {
                REPORT.with(|text| *text.borrow_mut() = report.to_json());
                STATUS_REPORT
            }
        }
    })
}

/// Validates the first `length` bytes of the input buffer as NDJSON. The
/// batch is then encoded like invalid issues: `issuePointer` and
/// `issueSlotCount` give the numbers, `takeReport` the text.
#[wasm_bindgen(js_name = validateManyInput)]
pub fn validate_many_input(
    length: usize,
    flags: u32,
    max_bytes: u32,
    max_depth: u32,
    max_issues: u32,
    max_reports: u32,
) {
    let options = options(flags, max_bytes, max_depth, max_issues);
    INPUT.with(|input| {
        let input = input.borrow();
        let body = &input[..length.min(input.len())];
        let batch = crate::validate_ndjson_with_max_reports(body, &options, max_reports as usize);
        ISSUES.with(|slots| {
            REPORT.with(|text| encode_batch(&batch, &mut slots.borrow_mut(), &mut text.borrow_mut()));
        });
    })
}

/// Address of the encoded issues of the last invalid body; it changes when
/// the list grows.
#[wasm_bindgen(js_name = issuePointer)]
pub fn issue_pointer() -> *const u32 {
    ISSUES.with(|slots| slots.borrow().as_ptr())
}

/// Number of `u32` slots of the encoded issues.
#[wasm_bindgen(js_name = issueSlotCount)]
pub fn issue_slot_count() -> usize {
    ISSUES.with(|slots| slots.borrow().len())
}

/// The stable issue codes in the order of the encoded code indexes, as JSON text.
#[wasm_bindgen(js_name = issueCodesJson)]
pub fn issue_codes_json() -> String {
    crate::report_json::issue_codes_json()
}

/// Verifies a `FreeClimb-Signature` header over the first `length` bytes of
/// the input buffer. Returns an empty string when it verifies, otherwise
/// JSON text `{"code","message"}`.
#[wasm_bindgen(js_name = verifyInput)]
pub fn verify_input(length: usize, header: &str, secret: &str, now: f64, tolerance_seconds: f64) -> String {
    INPUT.with(|input| {
        let input = input.borrow();
        verify_signature(&input[..length.min(input.len())], header, secret, now, tolerance_seconds)
    })
}

/// The report text of the last `validateInput` that returned 0.
#[wasm_bindgen(js_name = takeReport)]
pub fn take_report() -> String {
    REPORT.with(|text| std::mem::take(&mut *text.borrow_mut()))
}
