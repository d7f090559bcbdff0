//! The `FreeClimb-Signature` header parser and verifier on arbitrary
//! headers, secrets, bodies, clocks and tolerances.
//!
//! Input: the current time (u64, little-endian), the tolerance in seconds
//! (u64), the secret up to a NUL byte, the header up to a NUL byte, then the
//! body. Secret and header bytes that are not UTF-8 are replaced with U+FFFD.

#![no_main]

use freeclimb_callstatus::signature::{sign, verify_at, SignatureError, SigningKey};
use fuzz_support::{check_signature_error, Input};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut input = Input::new(data);
    let now = input.u64();
    let tolerance = input.u64();
    let secret = String::from_utf8_lossy(input.until_nul()).into_owned();
    let header = String::from_utf8_lossy(input.until_nul()).into_owned();
    let body = input.rest();

    let result = verify_at(body, &header, &secret, now, tolerance);
    let prepared = SigningKey::new(&secret).verify_at(body, &header, now, tolerance);
    assert_eq!(result, prepared, "SigningKey::verify_at differs from verify_at");

    // The checks run in a documented order: the secret comes first.
    assert_eq!(
        secret.trim().is_empty(),
        result == Err(SignatureError::EmptySecret),
        "empty_secret must be returned exactly for a blank secret"
    );

    match &result {
        Ok(timestamp) => {
            assert!(
                timestamp.abs_diff(now) <= tolerance,
                "timestamp {timestamp} outside the tolerance accepted"
            );
            assert!(!body.is_empty(), "an empty body verified");

            // HMAC-SHA256 makes a match with a changed body or key infeasible.
            let mut tampered = body.to_vec();
            tampered[0] ^= 0x01;
            let changed_body = verify_at(&tampered, &header, &secret, now, tolerance);
            assert!(
                matches!(changed_body, Err(SignatureError::NoMatchingSignature { .. })),
                "a changed body still verified: {changed_body:?}"
            );
            let other_secret = format!("{secret}x");
            let changed_secret = verify_at(body, &header, &other_secret, now, tolerance);
            assert!(
                matches!(changed_secret, Err(SignatureError::NoMatchingSignature { .. })),
                "a different secret still verified: {changed_secret:?}"
            );
        }
        Err(error) => {
            check_signature_error(error);
            let long_secret = secret.len() > 12 && secret.starts_with("sigsec_");
            if long_secret && !header.contains(&secret) {
                assert!(!error.to_string().contains(&secret), "the message reveals the secret");
            }
        }
    }

    // A header this library signs verifies at its own timestamp, whatever
    // the body and secret, unless the secret is blank or the body empty.
    let signed = sign(body, &secret, now);
    let expected = if secret.trim().is_empty() {
        Err(SignatureError::EmptySecret)
    } else if body.is_empty() {
        Err(SignatureError::EmptyBody)
    } else {
        Ok(now)
    };
    assert_eq!(
        verify_at(body, &signed, &secret, now, 0),
        expected,
        "own signature at tolerance 0"
    );

    // The fuzzed header's parts in front of a valid signature: rotation
    // headers list several v1 values, and extra parts must not break a match
    // unless they are malformed or bring their own timestamp.
    if !header.trim().is_empty() && expected.is_ok() {
        let combined = format!("{header},{signed}");
        let combined_result = verify_at(body, &combined, &secret, now, 0);
        match &result {
            // Every part parsed and none was a timestamp, so the appended
            // signature supplies both.
            Err(SignatureError::MissingTimestamp { .. }) => {
                assert_eq!(combined_result, Ok(now), "well-formed parts without t broke a match");
            }
            // The combined header splits into the same parts first.
            Err(malformed @ SignatureError::MalformedHeader { .. }) => {
                assert_eq!(
                    combined_result.as_ref(),
                    Err(malformed),
                    "the same malformed part comes first"
                );
            }
            _ => match &combined_result {
                Ok(timestamp) => assert_eq!(*timestamp, now),
                Err(error) => check_signature_error(error),
            },
        }
    }
});
