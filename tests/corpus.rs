//! Runs the shared fixture corpus (tests/fixtures/corpus.json) through the
//! native validator. The wasm and JavaScript layers run the same file.

use std::collections::BTreeMap;

use freeclimb_callstatus::{validate, Mode, Options, Report};
use serde_json::Value;

// The same tests run natively and, under `wasm-pack test --node`, inside the
// wasm build, which is how the two are shown to give the same reports.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const CORPUS: &str = include_str!("fixtures/corpus.json");

fn cases() -> Vec<Value> {
    let corpus: Value = serde_json::from_str(CORPUS).expect("corpus.json is valid JSON");
    corpus["cases"].as_array().expect("corpus has a cases array").clone()
}

fn body_of(case: &Value) -> Vec<u8> {
    if let Some(text) = case["body"].as_str() {
        return text.as_bytes().to_vec();
    }
    let encoded = case["bodyBase64"].as_str().expect("case has body or bodyBase64");
    decode_base64(encoded)
}

fn decode_base64(encoded: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut bits = 0u32;
    let mut count = 0;
    let mut bytes = Vec::new();
    for byte in encoded.bytes().filter(|byte| *byte != b'=') {
        let value = ALPHABET.iter().position(|candidate| *candidate == byte).expect("base64 digit") as u32;
        bits = (bits << 6) | value;
        count += 6;
        if count >= 8 {
            count -= 8;
            bytes.push((bits >> count) as u8);
        }
    }
    bytes
}

fn options_of(case: &Value, mode: Mode) -> Options {
    let mut options = Options { mode, ..Options::default() };
    let settings = &case["options"];
    if let Some(max_bytes) = settings["maxBytes"].as_u64() {
        options.max_bytes = max_bytes as usize;
    }
    if let Some(max_depth) = settings["maxDepth"].as_u64() {
        options.max_depth = max_depth as usize;
    }
    if let Some(max_issues) = settings["maxIssues"].as_u64() {
        options.max_issues = max_issues as usize;
    }
    options
}

/// Issues as sorted "severity code path" strings, the corpus's notation.
fn issue_keys(report: &Report) -> Vec<String> {
    let mut keys: Vec<String> = report
        .issues
        .iter()
        .map(|issue| format!("{} {} {}", issue.severity.as_str(), issue.code, issue.path))
        .collect();
    keys.sort();
    keys
}

fn expected_keys(expected: &Value) -> Vec<String> {
    let mut keys: Vec<String> = expected["issues"]
        .as_array()
        .expect("issues array")
        .iter()
        .map(|key| key.as_str().expect("issue key string").to_owned())
        .collect();
    keys.sort();
    keys
}

#[test]
fn corpus_verdicts_match_in_both_modes() {
    let mut failures = Vec::new();

    for case in cases() {
        let name = case["name"].as_str().unwrap_or("?").to_owned();
        let body = body_of(&case);

        for (mode, key) in [(Mode::Lenient, "lenient"), (Mode::Strict, "strict")] {
            let expected = &case[key];
            let report = validate(&body, &options_of(&case, mode));

            let actual_keys = issue_keys(&report);
            let wanted_keys = expected_keys(expected);
            if actual_keys != wanted_keys {
                failures.push(format!("{name} ({key}): issues {actual_keys:?}, expected {wanted_keys:?}"));
            }
            if report.is_valid() != expected["valid"].as_bool().unwrap_or(false) {
                failures.push(format!("{name} ({key}): valid {}", report.is_valid()));
            }
            if report.payload.is_some() != report.is_valid() {
                failures.push(format!("{name} ({key}): payload presence differs from validity"));
            }
        }
    }

    assert!(failures.is_empty(), "{} corpus failures:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn corpus_payloads_are_normalised() {
    let mut checked = 0;
    for case in cases() {
        let Some(expected) = case.get("payload") else {
            continue;
        };
        let report = validate(&body_of(&case), &options_of(&case, Mode::Lenient));
        let payload = report.payload.unwrap_or_else(|| panic!("{} has no payload", case["name"]));
        let actual: Value = serde_json::from_str(&payload.to_json()).expect("payload JSON parses");

        // Compare as maps so the key order of the expectation does not matter.
        let actual: BTreeMap<String, Value> = serde_json::from_value(actual).expect("payload is an object");
        let expected: BTreeMap<String, Value> = serde_json::from_value(expected.clone()).expect("expected payload is an object");
        assert_eq!(actual, expected, "payload of {}", case["name"]);
        checked += 1;
    }
    assert!(checked >= 8, "only {checked} cases check a payload");
}

#[test]
fn every_issue_code_is_covered() {
    let mut seen = std::collections::BTreeSet::new();
    for case in cases() {
        for key in ["lenient", "strict"] {
            for issue in case[key]["issues"].as_array().expect("issues") {
                let code = issue.as_str().expect("issue key").split(' ').nth(1).expect("code").to_owned();
                seen.insert(code);
            }
        }
    }
    for code in freeclimb_callstatus::IssueCode::ALL {
        assert!(seen.contains(code.as_str()), "no corpus case expects {}", code.as_str());
    }
}

#[test]
fn corpus_is_up_to_date_with_generator() {
    let generator = include_str!("fixtures/make_corpus.py");
    // The generator names every case it writes; a case added to the script
    // without regenerating corpus.json shows up as a missing name.
    for case in cases() {
        let name = case["name"].as_str().expect("name");
        assert!(generator.contains(&format!("\"{}\"", name)), "{name} is not in make_corpus.py");
    }
    let declared = generator.matches("\ncase(\"").count();
    assert_eq!(declared, cases().len(), "make_corpus.py declares {declared} cases, corpus.json holds {}", cases().len());
}

#[test]
fn issue_display_matches_cli_layout() {
    let report = validate(b"{\n  \"callId\": \"CA12\"\n}", &Options::default());
    let call_id = report.issues.iter().find(|issue| issue.path == "/callId").expect("callId issue");
    assert_eq!(
        call_id.to_string(),
        "error /callId at 2:13 [invalid_id]: callId: expected a call id: \"CA\" followed by 40 hexadecimal digits, received \"CA12\""
    );
}
