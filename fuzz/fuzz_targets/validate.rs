//! The validator on raw bytes, in lenient and strict mode with the default
//! limits, and once more with options taken from the input.
//!
//! Input: two control bytes (see `fuzz_support::options_from`), then the
//! body. Shorter inputs are validated whole with the default options only.

#![no_main]

use freeclimb_callstatus::{validate, Options};
use fuzz_support::{check_modes_agree, check_report, options_from, Input};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let lenient_options = Options::default();
    let strict_options = Options::strict();

    let whole_lenient = validate(data, &lenient_options);
    check_report(data, &lenient_options, &whole_lenient);
    let whole_strict = validate(data, &strict_options);
    check_report(data, &strict_options, &whole_strict);
    check_modes_agree(&whole_lenient, &whole_strict);

    if data.len() < 2 {
        return;
    }
    let mut input = Input::new(data);
    let control = input.bytes::<2>();
    let body = input.rest();
    let options = options_from(control, body.len());
    let report = validate(body, &options);
    check_report(body, &options, &report);
});
