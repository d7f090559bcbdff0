//! Tests of `FreeClimb-Signature` verification and signing over the public
//! API. The vectors come from the test suites of FreeClimb's SDKs, and the
//! JS layer repeats these cases.

use freeclimb_callstatus::signature::{
    compute_signature, sign, verify_at, SignatureError, DEFAULT_TOLERANCE_SECONDS,
};

// Under `wasm-pack test --node` the same tests run inside the wasm build.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const SECRET: &str = "sigsec_ead6d3b6904196c60835d039e91b3341c77a7793";
const OTHER_SECRET: &str = "sigsec_ead6d3b6904196c60835d039e91b3341c77a7794";

const BODY: &str = concat!(
    r#"{"accountId":"AC1334ffb694cd8d969f51cddf5f7c9b478546d50c","#,
    r#""callId":"CAccb0b00506553cda09b51c5477f672a49e0b2213","#,
    r#""callStatus":"ringing","conferenceId":null,"direction":"inbound","#,
    r#""from":"+13121000109","parentCallId":null,"queueId":null,"#,
    r#""requestType":"inboundCall","to":"+13121000096"}"#,
);

/// `(t, v1)` pairs for `BODY` signed with `SECRET`.
const VECTORS: &[(u64, &str)] = &[
    (
        1679944186,
        "c3957749baf61df4b1506802579cc69a74c77a1ae21447b930e5a704f9ec4120",
    ),
    (
        2130000000,
        "6835006e70c9b9f610e8fb3a8b36b52b3f28c12d0a2dab75091c46ca7ec11b20",
    ),
    (
        1679931346,
        "4945505e46930b6e31df721c069f10cd3a4cfb3c8e2ec67d2663fae49f95644f",
    ),
];

const T: u64 = 1679944186;
const V1: &str = "c3957749baf61df4b1506802579cc69a74c77a1ae21447b930e5a704f9ec4120";

/// `BODY` signed with `OTHER_SECRET` at `T`.
const OTHER_SECRET_V1: &str = "eefa65088d2ddec3c421888c08a45ef094cc4efbe2197f91a3e91a93d1fc8b39";

/// A well-formed signature that matches nothing in these tests.
const DECOY_V1: &str = "1ba18712726898fbbe48cd862dd096a709f7ad761a5bab14bda9ac24d963a6a8";

/// Verifies with the default tolerance and maps an error to its code.
fn check(body: &[u8], header: &str, secret: &str, now: u64) -> Result<u64, &'static str> {
    check_with_tolerance(body, header, secret, now, DEFAULT_TOLERANCE_SECONDS)
}

fn check_with_tolerance(
    body: &[u8],
    header: &str,
    secret: &str,
    now: u64,
    tolerance_seconds: u64,
) -> Result<u64, &'static str> {
    verify_at(body, header, secret, now, tolerance_seconds).map_err(|error| error.code())
}

fn header_for(timestamp: u64, v1: &str) -> String {
    format!("t={timestamp},v1={v1}")
}

#[test]
fn sdk_vectors_verify_at_timestamp() {
    for &(timestamp, v1) in VECTORS {
        let header = header_for(timestamp, v1);
        assert_eq!(
            check(BODY.as_bytes(), &header, SECRET, timestamp),
            Ok(timestamp),
            "header {header}"
        );
    }
}

#[test]
fn sign_reproduces_sdk_vectors() {
    for &(timestamp, v1) in VECTORS {
        assert_eq!(
            sign(BODY.as_bytes(), SECRET, timestamp),
            header_for(timestamp, v1)
        );
        assert_eq!(compute_signature(BODY.as_bytes(), SECRET, timestamp), v1);
    }
    assert_eq!(
        compute_signature(BODY.as_bytes(), OTHER_SECRET, T),
        OTHER_SECRET_V1
    );
}

#[test]
fn other_secret_vector_fails() {
    let header = header_for(T, OTHER_SECRET_V1);
    assert_eq!(
        check(BODY.as_bytes(), &header, SECRET, T),
        Err("no_matching_signature")
    );
}

#[test]
fn other_secret_vector_verifies_under_it() {
    let header = header_for(T, OTHER_SECRET_V1);
    assert_eq!(check(BODY.as_bytes(), &header, OTHER_SECRET, T), Ok(T));
}

#[test]
fn rotated_secrets_both_verify() {
    let header = format!("t={T},v1={V1},v1={OTHER_SECRET_V1}");
    assert_eq!(check(BODY.as_bytes(), &header, SECRET, T), Ok(T));
    assert_eq!(check(BODY.as_bytes(), &header, OTHER_SECRET, T), Ok(T));
}

#[test]
fn decoy_with_real_signature_verifies() {
    let headers = [
        format!("t={T},v1={DECOY_V1},v1={V1}"),
        format!("t={T},v1={V1},v1={DECOY_V1}"),
        format!("v1={DECOY_V1},v1={V1},t={T}"),
    ];
    for header in &headers {
        assert_eq!(
            check(BODY.as_bytes(), header, SECRET, T),
            Ok(T),
            "header {header}"
        );
    }
}

#[test]
fn decoy_alone_fails() {
    let header = header_for(T, DECOY_V1);
    assert_eq!(
        check(BODY.as_bytes(), &header, SECRET, T),
        Err("no_matching_signature")
    );
}

#[test]
fn tampered_body_fails() {
    let header = header_for(T, V1);
    let original = BODY.as_bytes();
    for position in [0, 1, original.len() / 2, original.len() - 1] {
        let mut tampered = original.to_vec();
        tampered[position] ^= 0x01;
        assert_eq!(
            check(&tampered, &header, SECRET, T),
            Err("no_matching_signature"),
            "byte {position} flipped"
        );
    }

    let mut extended = original.to_vec();
    extended.push(b'\n');
    assert_eq!(
        check(&extended, &header, SECRET, T),
        Err("no_matching_signature"),
        "trailing newline appended"
    );
}

#[test]
fn tampered_timestamp_fails() {
    let header = header_for(T + 1, V1);
    assert_eq!(
        check(BODY.as_bytes(), &header, SECRET, T + 1),
        Err("no_matching_signature")
    );
}

#[test]
fn default_tolerance_edges() {
    let header = header_for(T, V1);
    let cases: &[(&str, u64, Result<u64, &str>)] = &[
        ("300 s after t", T + 300, Ok(T)),
        ("301 s after t", T + 301, Err("timestamp_outside_tolerance")),
        ("300 s before t", T - 300, Ok(T)),
        (
            "301 s before t",
            T - 301,
            Err("timestamp_outside_tolerance"),
        ),
    ];
    for &(name, now, expected) in cases {
        assert_eq!(
            check(BODY.as_bytes(), &header, SECRET, now),
            expected,
            "{name}"
        );
    }
}

#[test]
fn custom_tolerance_edges() {
    let header = header_for(T, V1);
    let cases: &[(u64, u64, Result<u64, &str>)] = &[
        (0, T, Ok(T)),
        (0, T + 1, Err("timestamp_outside_tolerance")),
        (0, T - 1, Err("timestamp_outside_tolerance")),
        (10, T + 10, Ok(T)),
        (10, T - 10, Ok(T)),
        (10, T + 11, Err("timestamp_outside_tolerance")),
        (10, T - 11, Err("timestamp_outside_tolerance")),
        (u64::MAX, 0, Ok(T)),
        (u64::MAX, u64::MAX, Ok(T)),
    ];
    for &(tolerance, now, expected) in cases {
        assert_eq!(
            check_with_tolerance(BODY.as_bytes(), &header, SECRET, now, tolerance),
            expected,
            "tolerance {tolerance}, now {now}"
        );
    }
}

#[test]
fn tolerance_error_reports_values() {
    let header = header_for(T, V1);
    let error = verify_at(BODY.as_bytes(), &header, SECRET, T + 301, 300).unwrap_err();
    assert_eq!(
        error,
        SignatureError::TimestampOutsideTolerance {
            timestamp: T,
            now: T + 301,
            tolerance_seconds: 300,
        }
    );
    let message = error.to_string();
    assert!(message.contains("1679944186"), "{message}");
    assert!(message.contains("301 seconds before"), "{message}");
    assert!(message.contains("at most 300 seconds"), "{message}");
}

#[test]
fn max_timestamp_does_not_overflow() {
    let header = sign(BODY.as_bytes(), SECRET, u64::MAX);
    assert_eq!(
        header,
        format!(
            "t={},v1={}",
            u64::MAX,
            compute_signature(BODY.as_bytes(), SECRET, u64::MAX)
        )
    );

    let cases: &[(u64, u64, Result<u64, &str>)] = &[
        (u64::MAX, 300, Ok(u64::MAX)),
        (u64::MAX - 300, 300, Ok(u64::MAX)),
        (u64::MAX - 301, 300, Err("timestamp_outside_tolerance")),
        (0, 300, Err("timestamp_outside_tolerance")),
        (0, u64::MAX, Ok(u64::MAX)),
        (0, u64::MAX - 1, Err("timestamp_outside_tolerance")),
    ];
    for &(now, tolerance, expected) in cases {
        assert_eq!(
            check_with_tolerance(BODY.as_bytes(), &header, SECRET, now, tolerance),
            expected,
            "now {now}, tolerance {tolerance}"
        );
    }
}

#[test]
fn zero_timestamp_at_zero_now() {
    let header = sign(BODY.as_bytes(), SECRET, 0);
    assert_eq!(check(BODY.as_bytes(), &header, SECRET, 0), Ok(0));
    assert_eq!(
        check(BODY.as_bytes(), &header, SECRET, u64::MAX),
        Err("timestamp_outside_tolerance")
    );
}

#[test]
fn overlong_timestamps_are_malformed() {
    let timestamps = [
        "18446744073709551616",
        "100000000000000000000",
        "99999999999999999999999999999999999999",
    ];
    for timestamp in timestamps {
        let header = format!("t={timestamp},v1={V1}");
        assert_eq!(
            check(BODY.as_bytes(), &header, SECRET, T),
            Err("malformed_header"),
            "t={timestamp}"
        );
    }
}

/// HMAC-SHA256 of `message` under `secret` as lowercase hex, computed
/// without the crate's own code.
fn reference_signature(secret: &str, message: &[u8]) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
    mac.update(message);
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

#[test]
fn reference_hmac_matches_vectors() {
    for &(timestamp, v1) in VECTORS {
        let message = format!("{timestamp}.{BODY}");
        assert_eq!(reference_signature(SECRET, message.as_bytes()), v1);
    }
}

#[test]
fn leading_zeros_are_signed_as_sent() {
    // 21 digits, yet the value fits in 64 bits.
    let padded = format!("{T:0>21}");
    let padded_v1 = reference_signature(SECRET, format!("{padded}.{BODY}").as_bytes());

    let header = format!("t={padded},v1={padded_v1}");
    assert_eq!(check(BODY.as_bytes(), &header, SECRET, T), Ok(T));

    let header = format!("t={padded},v1={V1}");
    assert_eq!(
        check(BODY.as_bytes(), &header, SECRET, T),
        Err("no_matching_signature")
    );
}

#[test]
fn odd_spacing_is_tolerated() {
    let headers = [
        format!("t = {T} ,  v1= {V1}"),
        format!("  t={T},v1={V1}  "),
        format!("t\t=\t{T}\t,\tv1\t=\t{V1}"),
        format!("t={T} , v1 = {DECOY_V1} , v1={V1}"),
    ];
    for header in &headers {
        assert_eq!(
            check(BODY.as_bytes(), header, SECRET, T),
            Ok(T),
            "header {header:?}"
        );
    }
}

#[test]
fn unknown_keys_are_ignored() {
    let headers = [
        format!("t={T},v0={DECOY_V1},v1={V1}"),
        format!("foo=bar,t={T},v1={V1}"),
        format!("t={T},v1={V1},v2=anything at all,x-y_z=1"),
        format!("t={T},v1={V1},empty="),
        format!("T=5,t={T},V1={DECOY_V1},v1={V1}"),
    ];
    for header in &headers {
        assert_eq!(
            check(BODY.as_bytes(), header, SECRET, T),
            Ok(T),
            "header {header:?}"
        );
    }
}

#[test]
fn malformed_parts_are_rejected() {
    let cases = [
        ("part without equals", format!("t={T},v1={V1},junk")),
        ("empty key", format!("t={T},={V1}")),
        ("key with space inside", format!("t={T},v 1={V1}")),
        ("key with dot", format!("t={T},v.1={V1}")),
        ("repeated timestamp", format!("t={T},t={T},v1={V1}")),
        ("empty timestamp", format!("t=,v1={V1}")),
        ("signed timestamp", format!("t=+{T},v1={V1}")),
        ("negative timestamp", format!("t=-{T},v1={V1}")),
        ("fractional timestamp", format!("t={T}.5,v1={V1}")),
        (
            "timestamp with inner space",
            format!("t=1679 944186,v1={V1}"),
        ),
        ("non-ASCII digit timestamp", format!("t=١٢٣,v1={V1}")),
        ("trailing comma", format!("t={T},v1={V1},")),
        ("leading comma", format!(",t={T},v1={V1}")),
        ("double comma", format!("t={T},,v1={V1}")),
        ("semicolon separator", format!("t={T};v1={V1}")),
    ];
    for (name, header) in &cases {
        assert_eq!(
            check(BODY.as_bytes(), header, SECRET, T),
            Err("malformed_header"),
            "{name}: {header:?}"
        );
    }
}

#[test]
fn missing_timestamp_or_signature() {
    let cases = [
        (format!("v1={V1}"), "missing_timestamp"),
        (format!("foo=bar,v1={V1}"), "missing_timestamp"),
        ("foo=bar".to_owned(), "missing_timestamp"),
        (format!("t={T}"), "missing_signature"),
        (format!("t={T},v0={V1}"), "missing_signature"),
    ];
    for (header, code) in &cases {
        assert_eq!(
            check(BODY.as_bytes(), header, SECRET, T),
            Err(*code),
            "header {header:?}"
        );
    }
}

#[test]
fn uppercase_hex_is_accepted() {
    let mixed: String = V1
        .chars()
        .enumerate()
        .map(|(i, c)| {
            if i % 2 == 0 {
                c.to_ascii_uppercase()
            } else {
                c
            }
        })
        .collect();
    for v1 in [V1.to_ascii_uppercase(), mixed] {
        let header = header_for(T, &v1);
        assert_eq!(check(BODY.as_bytes(), &header, SECRET, T), Ok(T), "v1={v1}");
    }
}

#[test]
fn bad_v1_values_do_not_match() {
    let cases = [
        ("empty", String::new()),
        ("one digit short", V1[..63].to_owned()),
        ("one digit long", format!("{V1}0")),
        ("twice the length", format!("{V1}{V1}")),
        ("non-hex digit", format!("{}g", &V1[..63])),
        ("inner space", format!("{} {}", &V1[..32], &V1[32..])),
        ("0x prefix", format!("0x{}", &V1[..62])),
        (
            "base64 of the bytes",
            "w5V3Sbr2HfSxUGgCV5zGmnTHehriFEe5MOWnBPnsQSA=".to_owned(),
        ),
    ];
    for (name, v1) in &cases {
        let header = header_for(T, v1);
        assert_eq!(
            check(BODY.as_bytes(), &header, SECRET, T),
            Err("no_matching_signature"),
            "{name}: {v1:?}"
        );
    }
}

#[test]
fn bad_v1_beside_real_one_verifies() {
    let header = format!("t={T},v1=nothex,v1=,v1={V1}");
    assert_eq!(check(BODY.as_bytes(), &header, SECRET, T), Ok(T));
}

#[test]
fn non_ascii_body_round_trip() {
    let body = r#"{"from":"+33 ☎ Zoë","note":"日本語 🎉"}"#.as_bytes();
    let header = sign(body, SECRET, T);
    assert_eq!(check(body, &header, SECRET, T), Ok(T));
    assert_eq!(
        check(BODY.as_bytes(), &header, SECRET, T),
        Err("no_matching_signature")
    );
}

#[test]
fn invalid_utf8_body_round_trip() {
    // A lone 0xff, a stray continuation byte and an encoded surrogate are
    // all invalid UTF-8.
    let body: &[u8] = &[0xff, 0xfe, b'{', 0x80, 0xc3, b'}', 0x00, 0xed, 0xa0, 0x80];
    let header = sign(body, SECRET, T);
    assert_eq!(check(body, &header, SECRET, T), Ok(T));

    let mut tampered = body.to_vec();
    tampered[0] = 0xfd;
    assert_eq!(
        check(&tampered, &header, SECRET, T),
        Err("no_matching_signature")
    );
}

#[test]
fn non_ascii_secret_round_trip() {
    let secret = "sigsec_ключ-🔑";
    let header = sign(BODY.as_bytes(), secret, T);
    assert_eq!(check(BODY.as_bytes(), &header, secret, T), Ok(T));
    assert_eq!(
        check(BODY.as_bytes(), &header, SECRET, T),
        Err("no_matching_signature")
    );
}

#[test]
fn long_secret_round_trip() {
    // Longer than SHA-256's 64-byte block, so HMAC hashes the key first.
    let secret = format!("sigsec_{}", "a".repeat(200));
    let header = sign(BODY.as_bytes(), &secret, T);
    assert_eq!(check(BODY.as_bytes(), &header, &secret, T), Ok(T));
}

#[test]
fn secret_is_used_verbatim() {
    let header = header_for(T, V1);
    let variants = [
        format!("{SECRET}\n"),
        format!(" {SECRET}"),
        SECRET.trim_start_matches("sigsec_").to_owned(),
        SECRET.to_ascii_uppercase(),
    ];
    for secret in &variants {
        assert_eq!(
            check(BODY.as_bytes(), &header, secret, T),
            Err("no_matching_signature"),
            "secret {secret:?}"
        );
    }
}

#[test]
fn empty_secret_is_rejected() {
    let header = header_for(T, V1);
    for secret in ["", " ", "\n", "\t \r\n"] {
        assert_eq!(
            check(BODY.as_bytes(), &header, secret, T),
            Err("empty_secret"),
            "secret {secret:?}"
        );
    }
}

#[test]
fn empty_body_is_rejected() {
    let header = sign(b"", SECRET, T);
    assert_eq!(check(b"", &header, SECRET, T), Err("empty_body"));
}

#[test]
fn empty_header_is_rejected() {
    for header in ["", " ", "\t", "\r\n", " \t \n "] {
        assert_eq!(
            check(BODY.as_bytes(), header, SECRET, T),
            Err("missing_header"),
            "header {header:?}"
        );
    }
}

/// A request that fails two or more checks, and the code of the one that
/// runs first.
struct OrderCase<'a> {
    name: &'a str,
    body: &'a [u8],
    header: &'a str,
    secret: &'a str,
    now: u64,
    code: &'a str,
}

#[test]
fn checks_run_in_documented_order() {
    let valid = header_for(T, V1);
    let decoy = header_for(T, DECOY_V1);
    let cases = [
        OrderCase {
            name: "secret before header",
            body: b"",
            header: "",
            secret: "",
            now: T,
            code: "empty_secret",
        },
        OrderCase {
            name: "header before body",
            body: b"",
            header: "",
            secret: SECRET,
            now: T,
            code: "missing_header",
        },
        OrderCase {
            name: "malformed before body",
            body: b"",
            header: "junk",
            secret: SECRET,
            now: T,
            code: "malformed_header",
        },
        OrderCase {
            name: "malformed before missing t",
            body: BODY.as_bytes(),
            header: "v1=x,junk",
            secret: SECRET,
            now: T,
            code: "malformed_header",
        },
        OrderCase {
            name: "missing t before missing v1",
            body: BODY.as_bytes(),
            header: "foo=bar",
            secret: SECRET,
            now: T,
            code: "missing_timestamp",
        },
        OrderCase {
            name: "missing v1 before body",
            body: b"",
            header: "t=1",
            secret: SECRET,
            now: T,
            code: "missing_signature",
        },
        OrderCase {
            name: "body before signature",
            body: b"",
            header: &decoy,
            secret: SECRET,
            now: T,
            code: "empty_body",
        },
        OrderCase {
            name: "signature before tolerance",
            body: BODY.as_bytes(),
            header: &decoy,
            secret: SECRET,
            now: 0,
            code: "no_matching_signature",
        },
        OrderCase {
            name: "tolerance last",
            body: BODY.as_bytes(),
            header: &valid,
            secret: SECRET,
            now: 0,
            code: "timestamp_outside_tolerance",
        },
    ];
    for case in &cases {
        assert_eq!(
            check(case.body, case.header, case.secret, case.now),
            Err(case.code),
            "{}",
            case.name
        );
    }
}

#[test]
fn sign_round_trip() {
    let bodies: [&[u8]; 4] = [b"x", b"{}", BODY.as_bytes(), &[0u8; 4096]];
    for body in bodies {
        for timestamp in [0, 1, T, 9_999_999_999, u64::MAX] {
            let header = sign(body, SECRET, timestamp);
            assert_eq!(
                check(body, &header, SECRET, timestamp),
                Ok(timestamp),
                "header {header}"
            );
            let v1 = compute_signature(body, SECRET, timestamp);
            assert_eq!(v1.len(), 64);
            assert!(v1
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b)));
        }
    }
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn system_clock_verify() {
    use freeclimb_callstatus::signature::verify;

    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    let fresh = sign(BODY.as_bytes(), SECRET, now);
    assert_eq!(verify(BODY.as_bytes(), &fresh, SECRET), Ok(now));

    let stale = header_for(T, V1);
    assert_eq!(
        verify(BODY.as_bytes(), &stale, SECRET).map_err(|error| error.code()),
        Err("timestamp_outside_tolerance")
    );
}

#[test]
fn error_codes_are_stable() {
    let cases = [
        (SignatureError::MissingHeader, "missing_header"),
        (
            SignatureError::MalformedHeader {
                part: "junk".to_owned(),
                reason: "expected a key=value pair",
            },
            "malformed_header",
        ),
        (
            SignatureError::MissingTimestamp {
                header: "v1=x".to_owned(),
            },
            "missing_timestamp",
        ),
        (
            SignatureError::MissingSignature {
                header: "t=1".to_owned(),
            },
            "missing_signature",
        ),
        (
            SignatureError::TimestampOutsideTolerance {
                timestamp: 1,
                now: 1000,
                tolerance_seconds: 300,
            },
            "timestamp_outside_tolerance",
        ),
        (
            SignatureError::NoMatchingSignature { candidates: 1 },
            "no_matching_signature",
        ),
        (SignatureError::EmptySecret, "empty_secret"),
        (SignatureError::EmptyBody, "empty_body"),
    ];
    for (error, code) in &cases {
        assert_eq!(error.code(), *code);
    }
    let listed: Vec<&str> = cases.iter().map(|(_, code)| *code).collect();
    assert_eq!(SignatureError::CODES, listed.as_slice());
}

#[test]
fn messages_never_contain_secret() {
    let valid = header_for(T, V1);
    let decoy = header_for(T, DECOY_V1);
    let cases: &[(&[u8], &str, u64)] = &[
        (BODY.as_bytes(), "", T),
        (BODY.as_bytes(), "junk", T),
        (BODY.as_bytes(), "foo=bar", T),
        (BODY.as_bytes(), "t=1", T),
        (b"", &valid, T),
        (BODY.as_bytes(), &decoy, T),
        (BODY.as_bytes(), &valid, 0),
    ];
    let mut codes = Vec::new();
    for &(body, header, now) in cases {
        let error = verify_at(body, header, SECRET, now, 300).unwrap_err();
        let message = error.to_string();
        assert!(!message.contains(SECRET), "{message}");
        assert!(!message.contains(&SECRET[7..20]), "{message}");
        codes.push(error.code());
    }
    assert_eq!(
        codes.len(),
        SignatureError::CODES.len() - 1,
        "every code except empty_secret"
    );
}

#[test]
fn messages_name_value_and_expectation() {
    let cases = [
        (
            format!("t={T},v1={V1},junk"),
            "malformed FreeClimb-Signature header part \"junk\": \
             expected a key=value pair such as \"t=1679944186\"",
        ),
        (
            format!("t={T},,v1={V1}"),
            "malformed FreeClimb-Signature header part \"\": \
             expected a key=value pair between every two commas and none at either end",
        ),
        (
            format!("t={T},= x"),
            "malformed FreeClimb-Signature header part \"= x\": \
             expected a key such as \"t\" or \"v1\" before \"=\"",
        ),
        (
            format!("t={T},v.1=x"),
            "malformed FreeClimb-Signature header part \"v.1=x\": \
             expected a key of ASCII letters, digits, \"_\" and \"-\"",
        ),
        (
            format!("t = 12a,v1={V1}"),
            "malformed FreeClimb-Signature header part \"t = 12a\": \
             expected a timestamp of ASCII digits only, such as \"t=1679944186\"",
        ),
        (
            format!("t={T},t=5,v1={V1}"),
            "malformed FreeClimb-Signature header part \"t=5\": \
             expected one \"t=\" part, but the header repeats it",
        ),
        (
            format!("t=18446744073709551616,v1={V1}"),
            "malformed FreeClimb-Signature header part \"t=18446744073709551616\": \
             expected a timestamp of at most 18446744073709551615, the 64-bit maximum",
        ),
        (
            "foo=bar".to_owned(),
            "missing timestamp in FreeClimb-Signature header \"foo=bar\": \
             expected a \"t=\" part in Unix seconds such as \"t=1679944186\"",
        ),
        (
            format!("t={T}"),
            "missing signature in FreeClimb-Signature header \"t=1679944186\": \
             expected at least one \"v1=<64 hex digits>\" part",
        ),
        (
            format!("t={T},v1=00,v1={DECOY_V1}"),
            "no matching signature among the 2 v1 values in the FreeClimb-Signature header: \
             expected an HMAC-SHA256 of \"<t>.<body>\" keyed with the account's signing \
             secret. Check the secret and pass the body bytes exactly as received",
        ),
        (
            " ".to_owned(),
            "missing FreeClimb-Signature header: \
             expected \"t=<Unix seconds>,v1=<64 hex digits>\", \
             received an empty or whitespace-only value",
        ),
    ];
    for (header, expected) in &cases {
        let message = verify_at(BODY.as_bytes(), header, SECRET, T, 300)
            .unwrap_err()
            .to_string();
        assert_eq!(&message, expected, "header {header:?}");
    }

    let header = header_for(T, V1);
    let future = verify_at(BODY.as_bytes(), &header, SECRET, T - 400, 300)
        .unwrap_err()
        .to_string();
    assert_eq!(
        future,
        "FreeClimb-Signature timestamp 1679944186 is 400 seconds after the current time \
         1679943786: expected at most 300 seconds before or after it. \
         The request may be a replay, or a clock may be wrong"
    );

    let secret_message = verify_at(BODY.as_bytes(), &header, "", T, 300)
        .unwrap_err()
        .to_string();
    assert_eq!(
        secret_message,
        "empty signing secret: expected the account's signing secret, \
         which starts with \"sigsec_\""
    );

    let body_message = verify_at(b"", &header, SECRET, T, 300)
        .unwrap_err()
        .to_string();
    assert_eq!(
        body_message,
        "empty request body: expected the raw request body exactly as received"
    );
}

#[test]
fn long_part_is_shortened() {
    let junk = "x".repeat(10_000);
    let header = format!("t={T},{junk}");
    let error = verify_at(BODY.as_bytes(), &header, SECRET, T, 300).unwrap_err();
    let SignatureError::MalformedHeader { part, .. } = &error else {
        panic!("expected MalformedHeader, got {error:?}");
    };
    assert_eq!(part, &format!("{}...", "x".repeat(40)));
    assert!(error.to_string().len() < 300, "{error}");

    let multibyte = format!("t={T},{}", "é".repeat(100));
    let error = verify_at(BODY.as_bytes(), &multibyte, SECRET, T, 300).unwrap_err();
    let SignatureError::MalformedHeader { part, .. } = &error else {
        panic!("expected MalformedHeader, got {error:?}");
    };
    assert_eq!(part.chars().count(), 43);
}

#[test]
fn control_characters_are_escaped() {
    let header = format!("t={T},evil\nline");
    let message = verify_at(BODY.as_bytes(), &header, SECRET, T, 300)
        .unwrap_err()
        .to_string();
    assert!(!message.contains('\n'), "{message}");
    assert!(message.contains("evil\\nline"), "{message}");
}

#[test]
fn many_decoys_then_real_verifies() {
    let mut header = format!("t={T}");
    for _ in 0..1000 {
        header.push_str(",v1=");
        header.push_str(DECOY_V1);
    }
    header.push_str(",v1=");
    header.push_str(V1);
    assert_eq!(check(BODY.as_bytes(), &header, SECRET, T), Ok(T));
}

/// Xorshift64: a fixed-seed generator, so a failing case reproduces.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound as u64) as usize
    }
}

const FRAGMENTS: &[&str] = &[
    "t=",
    "v1=",
    "v0=",
    ",",
    "=",
    " ",
    "\t",
    "t",
    "v1",
    "1679944186",
    "18446744073709551615",
    "99999999999999999999",
    "-",
    "+",
    "0",
    V1,
    DECOY_V1,
    "c3957749",
    "é",
    "\u{0}",
    "\n",
    ",,",
    "==",
];

fn random_header(rng: &mut XorShift) -> String {
    let mut header = String::new();
    let pieces = rng.below(12);
    for _ in 0..pieces {
        match rng.below(3) {
            0 => header.push_str(FRAGMENTS[rng.below(FRAGMENTS.len())]),
            1 => {
                let bytes: Vec<u8> = (0..rng.below(8)).map(|_| rng.next() as u8).collect();
                header.push_str(&String::from_utf8_lossy(&bytes));
            }
            _ => {
                let ascii = (0..rng.below(8)).map(|_| char::from(0x20 + (rng.next() % 95) as u8));
                header.extend(ascii);
            }
        }
    }
    header
}

#[test]
fn random_headers_never_panic() {
    let mut rng = XorShift(0x9e37_79b9_7f4a_7c15);
    for round in 0..20_000 {
        let header = random_header(&mut rng);
        let body_length = rng.below(4);
        let body: Vec<u8> = (0..body_length).map(|_| rng.next() as u8).collect();
        let now = match rng.below(3) {
            0 => 0,
            1 => u64::MAX,
            _ => rng.next(),
        };
        let tolerance = if rng.below(2) == 0 { 300 } else { rng.next() };

        let result = verify_at(&body, &header, SECRET, now, tolerance);
        let error = match result {
            Ok(timestamp) => panic!("round {round}: header {header:?} verified at {timestamp}"),
            Err(error) => error,
        };
        assert!(
            SignatureError::CODES.contains(&error.code()),
            "round {round}: unknown code {}",
            error.code()
        );
        assert!(!error.to_string().is_empty());
    }
}

#[test]
fn mutated_valid_headers_never_panic() {
    let mut rng = XorShift(0x2545_f491_4f6c_dd1d);
    let valid = header_for(T, V1).into_bytes();
    for round in 0..5_000 {
        let mut bytes = valid.clone();
        for _ in 0..=rng.below(4) {
            let position = rng.below(bytes.len() + 1);
            match rng.below(3) {
                0 if position < bytes.len() => bytes[position] = rng.next() as u8,
                1 if position < bytes.len() => {
                    bytes.remove(position);
                }
                _ => bytes.insert(position, rng.next() as u8),
            }
        }
        let header = String::from_utf8_lossy(&bytes);
        let result = verify_at(BODY.as_bytes(), &header, SECRET, T, 300);
        // A mutation that only adds spacing, changes hex case or touches an
        // ignored part still verifies, but the signed parts must survive.
        if let Ok(timestamp) = result {
            assert_eq!(timestamp, T, "round {round}: header {header:?}");
            assert!(
                header.to_ascii_lowercase().contains(V1),
                "round {round}: header {header:?}"
            );
        }
    }
}

#[test]
fn signing_key_reused_across_requests() {
    let key = freeclimb_callstatus::signature::SigningKey::new(SECRET);
    for (timestamp, signature) in VECTORS {
        let header = format!("t={timestamp},v1={signature}");
        assert_eq!(key.verify_at(BODY.as_bytes(), &header, *timestamp, 300), Ok(*timestamp));
    }
    let forged = "t=1679944186,v1=1ba18712726898fbbe48cd862dd096a709f7ad761a5bab14bda9ac24d963a6a8";
    assert_eq!(
        key.verify_at(BODY.as_bytes(), forged, 1_679_944_186, 300).map_err(|error| error.code()),
        Err("no_matching_signature")
    );
}

#[test]
fn signing_key_debug_hides_secret() {
    let key = freeclimb_callstatus::signature::SigningKey::new(SECRET);
    let shown = format!("{key:?}");
    assert_eq!(shown, "SigningKey { .. }");
}

#[test]
fn signing_key_rejects_empty_secret() {
    let key = freeclimb_callstatus::signature::SigningKey::new("  ");
    let header = "t=1679944186,v1=c3957749baf61df4b1506802579cc69a74c77a1ae21447b930e5a704f9ec4120";
    assert_eq!(key.verify_at(BODY.as_bytes(), header, 1_679_944_186, 300), Err(SignatureError::EmptySecret));
}
