//! Holds `CALL_STATUS_JSON_SCHEMA` to the crate's model: its fields, the
//! fields strict mode requires, and the values of each enumeration.

use std::collections::BTreeSet;

use freeclimb_callstatus::{
    validate, CallEndedReason, CallStatus, CallStatusPayload, Direction, IssueCode,
    KnownCallEndedReason, Options, CALL_STATUS_JSON_SCHEMA,
};
use serde_json::Value;

// Under `wasm-pack test --node` the same tests run inside the wasm build.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

fn schema() -> Value {
    serde_json::from_str(CALL_STATUS_JSON_SCHEMA).expect("the schema is valid JSON")
}

/// Collects the string values of `value`, an array, into a set.
fn strings(value: &Value) -> BTreeSet<String> {
    value
        .as_array()
        .expect("an array")
        .iter()
        .map(|item| item.as_str().expect("a string").to_owned())
        .collect()
}

fn keys(value: &Value) -> BTreeSet<String> {
    value
        .as_object()
        .expect("an object")
        .keys()
        .cloned()
        .collect()
}

/// Builds a payload with every field set, recording fields included.
fn full_payload() -> CallStatusPayload {
    CallStatusPayload {
        request_type: "callStatus".to_owned(),
        call_id: format!("CA{}", "0".repeat(40)),
        account_id: format!("AC{}", "0".repeat(40)),
        from: "+13121000109".to_owned(),
        to: "+13121000096".to_owned(),
        call_status: CallStatus::Completed,
        call_ended_reason: Some(CallEndedReason::Known(KnownCallEndedReason::FarEndHangup)),
        direction: Direction::Inbound,
        conference_id: None,
        queue_id: None,
        call_duration: Some(37),
        recording_url: Some("https://example.com/recording.wav".to_owned()),
        recording_id: Some(format!("RE{}", "0".repeat(40))),
        recording_duration_sec: Some(30),
        parent_call_id: None,
    }
}

#[test]
fn schema_parses_as_object() {
    assert!(schema().is_object());
}

#[test]
fn schema_declares_2020_12() {
    assert_eq!(
        schema()["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
}

#[test]
fn schema_rejects_other_fields() {
    assert_eq!(schema()["additionalProperties"], false);
}

#[test]
fn properties_match_payload_fields() {
    // The payload's JSON always has the documented fields, and the recording
    // fields when they are set, so a full payload names every field.
    let payload: Value = serde_json::from_str(&full_payload().to_json()).expect("payload JSON");

    assert_eq!(keys(&schema()["properties"]), keys(&payload));
}

#[test]
fn required_matches_strict_missing_fields() {
    let report = validate(b"{}", &Options::strict());
    let missing: BTreeSet<String> = report
        .issues
        .iter()
        .filter(|issue| issue.code == IssueCode::MissingField)
        .map(|issue| issue.path.trim_start_matches('/').to_owned())
        .collect();

    assert_eq!(strings(&schema()["required"]), missing);
}

#[test]
fn required_matches_fields_always_sent() {
    let mut payload = full_payload();
    payload.recording_url = None;
    payload.recording_id = None;
    payload.recording_duration_sec = None;
    let always_sent: Value = serde_json::from_str(&payload.to_json()).expect("payload JSON");

    assert_eq!(strings(&schema()["required"]), keys(&always_sent));
}

#[test]
fn call_status_enum_is_final_values() {
    let final_values: BTreeSet<String> = CallStatus::ALL
        .iter()
        .filter(|status| status.is_final())
        .map(|status| status.as_str().to_owned())
        .collect();

    assert_eq!(
        strings(&schema()["properties"]["callStatus"]["enum"]),
        final_values
    );
}

#[test]
fn call_ended_reason_enum_is_known() {
    let known: BTreeSet<String> = KnownCallEndedReason::ALL
        .iter()
        .map(|reason| reason.as_str().to_owned())
        .collect();

    assert_eq!(
        strings(&schema()["properties"]["callEndedReason"]["enum"]),
        known
    );
}

#[test]
fn direction_enum_is_all_values() {
    let directions: BTreeSet<String> = Direction::ALL
        .iter()
        .map(|direction| direction.as_str().to_owned())
        .collect();

    assert_eq!(
        strings(&schema()["properties"]["direction"]["enum"]),
        directions
    );
}

#[test]
fn description_lists_gaps() {
    // The crate documents the same gaps on CALL_STATUS_JSON_SCHEMA; each
    // term here names one of them.
    let schema = schema();
    let description = schema["description"].as_str().expect("a description");
    for term in [
        "invalid UTF-8",
        "lone surrogate escapes",
        "duplicate keys",
        "maxBytes",
        "maxDepth",
        "more than 64 bits",
        "format 'uri'",
        "21600 seconds",
        "outboundDial without parentCallId",
    ] {
        assert!(
            description.contains(term),
            "the description does not mention {term:?}"
        );
    }
}
