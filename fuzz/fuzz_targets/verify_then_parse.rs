//! The whole webhook path. A body is signed, verified at a clock that may be
//! off in either direction, then validated. A tampered body or header must
//! never verify.
//!
//! Input, with integers little-endian:
//!
//! - the signing time in Unix seconds (u64);
//! - the clock skew in seconds (i32) and the tolerance in seconds (u32);
//! - the tamper offset (u16) and the tamper byte;
//! - two option control bytes (see `fuzz_support::options_from`);
//! - the secret and an arbitrary extra header, each up to a NUL byte;
//! - the body, the rest of the input.

#![no_main]

use freeclimb_callstatus::signature::{sign, verify_at, SignatureError};
use freeclimb_callstatus::{validate, Options};
use fuzz_support::{check_modes_agree, check_report, check_signature_error, options_from, Input};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut input = Input::new(data);
    let signed_at = input.u64();
    let skew = input.i32();
    let tolerance = u64::from(input.u32());
    let tamper_offset = usize::from(input.u16());
    let tamper_byte = input.u8();
    let control = input.bytes::<2>();
    let secret = String::from_utf8_lossy(input.until_nul()).into_owned();
    let extra_header = String::from_utf8_lossy(input.until_nul()).into_owned();
    let body = input.rest();

    let now = signed_at.saturating_add_signed(i64::from(skew));
    let header = sign(body, &secret, signed_at);
    let verified = verify_at(body, &header, &secret, now, tolerance);

    let expected = if secret.trim().is_empty() {
        Err(SignatureError::EmptySecret)
    } else if body.is_empty() {
        Err(SignatureError::EmptyBody)
    } else if signed_at.abs_diff(now) <= tolerance {
        Ok(signed_at)
    } else {
        Err(SignatureError::TimestampOutsideTolerance {
            timestamp: signed_at,
            now,
            tolerance_seconds: tolerance,
        })
    };
    assert_eq!(
        verified, expected,
        "verifying a fresh signature at skew {skew}, tolerance {tolerance}"
    );

    // Only a verified body goes on to validation, as in a webhook handler.
    if verified.is_ok() {
        let lenient_options = Options::default();
        let lenient = validate(body, &lenient_options);
        check_report(body, &lenient_options, &lenient);
        let strict_options = Options::strict();
        let strict = validate(body, &strict_options);
        check_report(body, &strict_options, &strict);
        check_modes_agree(&lenient, &strict);
        let options = options_from(control, body.len());
        check_report(body, &options, &validate(body, &options));
    }

    let can_match = !secret.trim().is_empty() && !body.is_empty();

    // Any change to one body byte breaks the signature.
    if can_match && tamper_byte != 0 {
        let mut tampered = body.to_vec();
        tampered[tamper_offset % body.len()] ^= tamper_byte;
        let result = verify_at(&tampered, &header, &secret, signed_at, tolerance);
        assert!(
            matches!(result, Err(SignatureError::NoMatchingSignature { .. })),
            "a tampered body verified or failed oddly: {result:?}"
        );
    }

    // Any change to one header byte breaks it too, except a change of case
    // in the hex digits, which verification decodes case-insensitively.
    let mut header_bytes = header.clone().into_bytes();
    let index = tamper_offset % header_bytes.len();
    let original = header_bytes[index];
    header_bytes[index] = tamper_byte;
    let case_only = index > header.find("v1=").unwrap_or(usize::MAX) && original.eq_ignore_ascii_case(&tamper_byte);
    if can_match && original != tamper_byte && !case_only {
        let tampered = String::from_utf8_lossy(&header_bytes);
        let result = verify_at(body, &tampered, &secret, signed_at, tolerance);
        match result {
            Ok(timestamp) => panic!("header {tampered:?} verified at {timestamp} after one byte changed"),
            Err(error) => check_signature_error(&error),
        }
    }

    // An arbitrary header, alone and in front of the valid one, gets a
    // result that keeps the same contract as any other.
    for candidate in [extra_header.clone(), format!("{extra_header},{header}")] {
        match verify_at(body, &candidate, &secret, now, tolerance) {
            Ok(timestamp) => assert!(
                timestamp.abs_diff(now) <= tolerance,
                "timestamp outside the tolerance accepted"
            ),
            Err(error) => check_signature_error(&error),
        }
    }
});
