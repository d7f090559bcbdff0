//! The `mask_personal_data` option: messages hide phone numbers and other
//! long digit runs, while paths, codes, severities and spans stay as they
//! are, so a masked report can be logged and still located in the body.

use freeclimb_callstatus::{validate, IssueCode, Mode, Options, Report};
use serde_json::Value;

// Under `wasm-pack test --node` the same tests run inside the wasm build.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const CORPUS: &str = include_str!("fixtures/corpus.json");

const VALID: &str = concat!(
    r#"{"requestType":"callStatus","callId":"CAccb0b00506553cda09b51c5477f672a49e0b2213","#,
    r#""accountId":"AC1334ffb694cd8d969f51cddf5f7c9b478546d50c","from":"+13121000109","#,
    r#""to":"+13121000096","callStatus":"completed","callEndedReason":"farEndHangup","#,
    r#""direction":"inbound","conferenceId":null,"queueId":null,"callDuration":"37","#,
    r#""parentCallId":null}"#,
);

/// `VALID` with the member `key` set to the raw JSON `value`.
fn with_member(key: &str, value: &str) -> String {
    let quoted_key = format!("\"{}\":", key);
    match VALID.find(&quoted_key) {
        Some(start) => {
            let value_start = start + quoted_key.len();
            let rest = &VALID[value_start..];
            let value_end = value_start + rest.find([',', '}']).expect("member ends");
            format!("{}{}{}", &VALID[..value_start], value, &VALID[value_end..])
        }
        None => format!("{},{}{}}}", &VALID[..VALID.len() - 1], quoted_key, value),
    }
}

fn masked(mode: Mode) -> Options {
    Options { mode, mask_personal_data: true, ..Options::default() }
}

fn message_of(report: &Report, code: IssueCode) -> &str {
    let issue = report.issues.iter().find(|issue| issue.code == code);
    &issue.unwrap_or_else(|| panic!("no {:?} issue in {:?}", code, report.issues)).message
}

#[test]
fn masking_is_off_by_default() {
    assert!(!Options::default().mask_personal_data);

    let body = with_member("from", r#""13121000109""#);
    let report = validate(body.as_bytes(), &Options::default());
    assert!(message_of(&report, IssueCode::InvalidPhoneNumber).contains("\"13121000109\""));
}

#[test]
fn phone_field_keeps_plus_and_last_two() {
    let body = with_member("to", r#""+013121000096""#);
    let report = validate(body.as_bytes(), &masked(Mode::Lenient));
    let message = message_of(&report, IssueCode::InvalidPhoneNumber);

    assert!(message.ends_with("received \"+**********96\""), "{}", message);
    assert!(!message.contains("3121000"), "{}", message);
}

#[test]
fn phone_field_hides_letters_too() {
    // A SIP address or a name in `from` is personal data as much as a number.
    let body = with_member("from", r#""sip:alice@example.com""#);
    let report = validate(body.as_bytes(), &masked(Mode::Lenient));
    let message = message_of(&report, IssueCode::InvalidPhoneNumber);

    assert!(message.ends_with("received \"*******************om\""), "{}", message);
    assert!(!message.contains("alice"), "{}", message);
}

#[test]
fn phone_field_number_is_masked() {
    let body = with_member("from", "13121000109");
    let report = validate(body.as_bytes(), &masked(Mode::Lenient));
    let message = message_of(&report, IssueCode::WrongType);

    assert!(message.ends_with("received the number *********09"), "{}", message);
}

#[test]
fn short_phone_value_is_hidden_whole() {
    let body = with_member("from", r#""0123""#);
    let report = validate(body.as_bytes(), &masked(Mode::Lenient));
    let message = message_of(&report, IssueCode::InvalidPhoneNumber);

    assert!(message.ends_with("received \"****\""), "{}", message);
}

#[test]
fn phone_field_non_ascii_stays_valid_text() {
    let body = with_member("to", r#""+٣١٢١٠٠٠٠٩٦ é""#);
    let report = validate(body.as_bytes(), &masked(Mode::Lenient));
    let message = message_of(&report, IssueCode::InvalidPhoneNumber);

    assert!(message.ends_with("received \"+********** é\""), "{}", message);
}

#[test]
fn digit_runs_in_other_fields_are_masked() {
    // A phone number sent in the wrong field is still a phone number.
    let body = with_member("conferenceId", r#""caller +13121000109, ext 42""#);
    let report = validate(body.as_bytes(), &masked(Mode::Lenient));
    let message = message_of(&report, IssueCode::ExpectedNull);

    assert!(message.ends_with("received \"caller +*********09, ext 42\""), "{}", message);
}

#[test]
fn short_digit_runs_are_kept() {
    let body = with_member("callDuration", r#""12a4""#);
    let report = validate(body.as_bytes(), &masked(Mode::Lenient));
    let message = message_of(&report, IssueCode::InvalidDuration);

    assert!(message.ends_with("received \"12a4\""), "{}", message);
}

#[test]
fn unknown_key_is_masked_in_message_only() {
    let body = with_member("+13121000109", "true");
    let report = validate(body.as_bytes(), &masked(Mode::Strict));
    let issue = report
        .issues
        .iter()
        .find(|issue| issue.code == IssueCode::UnknownField)
        .expect("unknown field reported");

    assert!(issue.message.contains("\"+*********09\""), "{}", issue.message);
    assert_eq!(issue.path, "/+13121000109");
}

#[test]
fn duplicate_key_is_masked() {
    let body = format!("{},\"5551234567\":1,\"5551234567\":2}}", &VALID[..VALID.len() - 1]);
    let report = validate(body.as_bytes(), &masked(Mode::Lenient));
    let message = message_of(&report, IssueCode::DuplicateKey);

    assert!(message.contains("\"********67\""), "{}", message);
}

#[test]
fn masking_keeps_everything_but_messages() {
    let corpus: Value = serde_json::from_str(CORPUS).expect("corpus.json is valid JSON");
    let cases = corpus["cases"].as_array().expect("cases is an array");

    for case in cases {
        let Some(body) = case["body"].as_str() else {
            continue;
        };
        for mode in [Mode::Lenient, Mode::Strict] {
            let plain = validate(body.as_bytes(), &Options { mode, ..Options::default() });
            let hidden = validate(body.as_bytes(), &masked(mode));
            let name = case["name"].as_str().unwrap_or("?");

            assert_eq!(plain.issues.len(), hidden.issues.len(), "{}", name);
            assert_eq!(plain.payload, hidden.payload, "{}", name);
            for (shown, masked) in plain.issues.iter().zip(&hidden.issues) {
                assert_eq!(shown.path, masked.path, "{}", name);
                assert_eq!(shown.code, masked.code, "{}", name);
                assert_eq!(shown.severity, masked.severity, "{}", name);
                assert_eq!(shown.span, masked.span, "{}", name);
                assert_eq!(shown.message.chars().count(), masked.message.chars().count(), "{}", name);
            }
        }
    }
}
