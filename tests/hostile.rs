//! Hostile input against the native validator and the signature checks:
//! hostile nesting, huge keys and numbers, many duplicate keys, extreme
//! options and malformed `FreeClimb-Signature` headers. Every case must
//! return a report or an error, never panic, and finish in bounded time.
//!
//! Each test pins a way hostile input once broke the validator, or checks
//! that it does not.

use freeclimb_callstatus::signature::{sign, verify_at, SignatureError};
use freeclimb_callstatus::{validate, validate_ndjson, Issue, IssueCode, Mode, Options, Report, Severity, DEFAULT_MAX_ISSUES};

// Under `wasm-pack test --node` the same tests run inside the wasm build.
#[cfg(target_arch = "wasm32")]
use wasm_bindgen_test::wasm_bindgen_test as test;

const VALID: &str = concat!(
    r#"{"requestType":"callStatus","callId":"CAccb0b00506553cda09b51c5477f672a49e0b2213","#,
    r#""accountId":"AC1334ffb694cd8d969f51cddf5f7c9b478546d50c","from":"+13121000109","#,
    r#""to":"+13121000096","callStatus":"completed","callEndedReason":"farEndHangup","#,
    r#""direction":"inbound","conferenceId":null,"queueId":null,"callDuration":"37","#,
    r#""parentCallId":null}"#,
);

const SECRET: &str = "sigsec_ead6d3b6904196c60835d039e91b3341c77a7793";
const NOW: u64 = 1_700_000_000;

/// `VALID` with `extra` inserted as the last members of the root object.
fn valid_with(extra: &str) -> String {
    format!("{},{}}}", &VALID[..VALID.len() - 1], extra)
}

fn codes(report: &Report) -> Vec<IssueCode> {
    report.issues.iter().map(|issue| issue.code).collect()
}

/// Runs `work` and fails when it takes longer than `limit_ms`. The limit is
/// a hang guard, many times the expected time. `Instant` panics on
/// wasm32-unknown-unknown, so there the work runs unmeasured.
fn within<T>(limit_ms: u128, label: &str, work: impl FnOnce() -> T) -> T {
    #[cfg(not(target_arch = "wasm32"))]
    {
        let start = std::time::Instant::now();
        let result = work();
        let elapsed = start.elapsed().as_millis();
        assert!(elapsed <= limit_ms, "{label} took {elapsed} ms: expected at most {limit_ms} ms");
        result
    }
    #[cfg(target_arch = "wasm32")]
    {
        let _ = (limit_ms, label);
        work()
    }
}

/// Xorshift32, so that every generated case can be reproduced from its seed.
struct Random(u32);

impl Random {
    fn next(&mut self) -> u32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 17;
        self.0 ^= self.0 << 5;
        self.0
    }

    fn below(&mut self, bound: usize) -> usize {
        self.next() as usize % bound
    }
}

/// Checks the invariants every report keeps, whatever the body was.
fn assert_consistent(report: &Report, options: &Options, context: &str) {
    assert_eq!(report.payload.is_some(), report.is_valid(), "payload presence differs from validity: {context}");
    assert!(
        report.issues.len() <= options.max_issues.max(1),
        "{} issues over the limit {}: {context}",
        report.issues.len(),
        options.max_issues
    );
    for issue in &report.issues {
        assert!(!issue.message.is_empty(), "empty message for {:?}: {context}", issue.code);
        assert_eq!(issue.location.is_some(), issue.span.is_some(), "location without span: {context}");
    }
}

#[test]
fn deep_arrays_report_too_deep() {
    let depth = 100_000;
    let body = format!("{{\"a\":{}{}}}", "[".repeat(depth), "]".repeat(depth));
    let report = within(2_000, "100k nested arrays", || validate(body.as_bytes(), &Options::default()));

    assert_eq!(codes(&report), vec![IssueCode::TooDeep]);
    assert!(report.issues[0].message.contains("64 levels"), "{}", report.issues[0].message);
}

#[test]
fn deep_objects_report_too_deep() {
    let depth = 100_000;
    let body = format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth));
    let report = within(2_000, "100k nested objects", || validate(body.as_bytes(), &Options::default()));

    assert_eq!(codes(&report), vec![IssueCode::TooDeep]);
}

#[test]
fn unclosed_nesting_reports_one_issue() {
    let body = format!("{{\"a\":{}", "[{\"b\":".repeat(50_000));
    let report = validate(body.as_bytes(), &Options { max_depth: 1_000, ..Options::default() });

    assert_eq!(codes(&report), vec![IssueCode::TooDeep]);
}

#[test]
fn depth_limit_counts_the_root() {
    // The root object is level 1, so a member array is level 2.
    let options = Options { max_depth: 1, ..Options::default() };
    let report = validate(valid_with(r#""x":[]"#).as_bytes(), &options);
    assert_eq!(codes(&report), vec![IssueCode::TooDeep]);

    let report = validate(VALID.as_bytes(), &options);
    assert!(report.is_valid(), "{:?}", report.issues);
}

#[test]
fn depth_zero_rejects_root() {
    let options = Options { max_depth: 0, ..Options::default() };
    let report = validate(VALID.as_bytes(), &options);

    assert_eq!(codes(&report), vec![IssueCode::TooDeep]);
}

/// Environment variable that makes `deep_nesting_child_process` do its work.
#[cfg(not(target_arch = "wasm32"))]
const CHILD_VARIABLE: &str = "FREECLIMB_HOSTILE_CHILD";

/// Does nothing unless started by `huge_max_depth_survives_nesting`: a
/// stack overflow aborts the whole test binary, so the deep read runs in a
/// child process of its own.
#[cfg(not(target_arch = "wasm32"))]
#[test]
fn deep_nesting_child_process() {
    if std::env::var_os(CHILD_VARIABLE).is_none() {
        return;
    }
    let depth = 1_000_000;
    let body = format!("{{\"a\":{}{}}}", "[".repeat(depth), "]".repeat(depth));
    let options = Options { max_depth: usize::MAX, max_bytes: usize::MAX, ..Options::default() };
    let report = validate(body.as_bytes(), &options);
    assert!(!report.is_valid());
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn huge_max_depth_survives_nesting() {
    let status = std::process::Command::new(std::env::current_exe().expect("test binary path"))
        .args(["--exact", "deep_nesting_child_process", "--test-threads=1", "--quiet"])
        .env(CHILD_VARIABLE, "1")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .expect("child test process starts");

    assert!(status.success(), "validate() with max_depth usize::MAX on 1M nested arrays ended the process: {status}");
}

#[test]
fn many_root_duplicates_are_capped() {
    let body = format!("{{{}\"a\":0}}", "\"a\":0,".repeat(100_000));
    let report = within(3_000, "100k duplicate root keys", || validate(body.as_bytes(), &Options::default()));

    assert_eq!(report.issues.len(), 100);
    let last = report.issues.last().expect("a counting issue");
    assert_eq!(last.code, IssueCode::TooManyIssues);
    assert_eq!(last.severity, Severity::Error);
    assert_eq!(report.issues[1].code, IssueCode::DuplicateKey);
    assert_eq!(report.issues[1].path, "/a");
}

#[test]
fn many_nested_duplicates_are_capped() {
    let body = format!("{{\"x\":{{{}\"a\":0}}}}", "\"a\":0,".repeat(100_000));
    let options = Options { max_issues: usize::MAX, ..Options::default() };
    let report = within(3_000, "100k duplicate nested keys", || validate(body.as_bytes(), &options));

    // Listed duplicates stop at the report's text budget; the counting issue
    // accounts for every other one.
    let duplicates = report.issues.iter().filter(|issue| issue.code == IssueCode::DuplicateKey).count();
    let last = report.issues.last().expect("a counting issue");
    assert_eq!(last.code, IssueCode::TooManyIssues);
    let counted = counted_errors(&last.message);
    assert!(counted >= 100_000 - duplicates, "{}", last.message);
    assert!(report.issues.iter().all(|issue| issue.code != IssueCode::DuplicateKey || issue.path == "/x/a"));
}

#[test]
fn many_distinct_keys_are_fast() {
    let members: Vec<String> = (0..100_000).map(|index| format!("\"k{index}\":0")).collect();
    let body = format!("{{\"x\":{{{}}}}}", members.join(","));
    let report = within(3_000, "100k distinct nested keys", || validate(body.as_bytes(), &Options::default()));

    assert!(!codes(&report).contains(&IssueCode::DuplicateKey));
}

/// The number of errors a `too_many_issues` message counts, from its
/// "(N errors, M warnings)" part. The missing documented fields are counted
/// there too, so it is at least the number of duplicates left out.
fn counted_errors(message: &str) -> usize {
    let start = message.find('(').expect("a count in parentheses") + 1;
    let end = message[start..].find(" error").expect("an error count") + start;
    message[start..end].parse().expect("a number of errors")
}

/// Builds a body whose object under a long key repeats one key many times,
/// so the JSON Pointer of every duplicate contains the long key.
fn long_pointer_duplicates(key_bytes: usize, duplicates: usize) -> String {
    format!(
        "{{\"k\":{{\"{}\":{{{}\"x\":0}}}}}}",
        "a".repeat(key_bytes),
        "\"x\":0,".repeat(duplicates)
    )
}

#[cfg(not(target_arch = "wasm32"))]
#[test]
fn long_pointer_duplicates_stay_linear() {
    // The body is 140 KB. With a one-byte key the same body takes a few milliseconds.
    let body = long_pointer_duplicates(20_000, 20_000);
    let report = within(1_000, "20k duplicates under a 20 KB key", || validate(body.as_bytes(), &Options::default()));

    // The report's text budget (four times the body) ends the list early;
    // the last issue counts the rest.
    let listed = report.issues.iter().filter(|issue| issue.code == IssueCode::DuplicateKey).count();
    let last = report.issues.last().expect("a counting issue");
    assert_eq!(last.code, IssueCode::TooManyIssues);
    assert!(listed < 100, "{listed} duplicates listed");
    let counted = counted_errors(&last.message);
    assert!(counted >= 20_000 - listed, "{}", last.message);
}

#[test]
fn long_pointer_report_stays_small() {
    let body = long_pointer_duplicates(200_000, 100);
    let report = validate(body.as_bytes(), &Options::default());

    let report_bytes: usize = report.issues.iter().map(|issue| issue.path.len() + issue.message.len()).sum();
    assert!(
        report_bytes <= 4 * body.len(),
        "a {} byte body gives {report_bytes} bytes of paths and messages",
        body.len()
    );
}

#[test]
fn long_key_is_shortened_in_message() {
    let key = "k".repeat(900_000);
    let body = valid_with(&format!("\"{key}\":1"));
    let report = validate(body.as_bytes(), &Options::default());

    let issue = &report.issues[0];
    assert_eq!(issue.code, IssueCode::UnknownField);
    assert_eq!(issue.path.len(), key.len() + 1);
    assert!(issue.message.len() < 200, "message of {} bytes", issue.message.len());
    assert!(issue.message.contains("(900000 characters)"), "{}", issue.message);
}

#[test]
fn long_numbers_are_bounded() {
    let digits = "1".repeat(10_000);
    let body = VALID.replace("\"37\"", &digits);
    let report = within(1_000, "10k digit duration", || validate(body.as_bytes(), &Options::default()));
    assert_eq!(codes(&report), vec![IssueCode::DurationAsNumber, IssueCode::InvalidDuration]);
    for issue in &report.issues {
        assert!(issue.message.contains("(10000 characters)"), "{}", issue.message);
        assert!(issue.message.len() < 300, "message of {} bytes", issue.message.len());
    }

    let body = VALID.replace("\"37\"", &format!("\"{digits}\""));
    let report = validate(body.as_bytes(), &Options::default());
    assert_eq!(codes(&report), vec![IssueCode::InvalidDuration]);

    let body = valid_with(&format!("\"n\":-{digits}.{digits}e-{digits}"));
    let report = validate(body.as_bytes(), &Options::default());
    assert_eq!(codes(&report), vec![IssueCode::UnknownField]);
}

#[test]
fn pointer_tokens_are_escaped() {
    let body = valid_with(r#""n":{"~/":{"a":1,"a":2}},"a\u0000b":1,"x~y/z":2"#);
    let report = validate(body.as_bytes(), &Options::default());
    let paths: Vec<&str> = report.issues.iter().map(|issue| issue.path.as_ref()).collect();

    assert!(paths.contains(&"/n/~0~1/a"), "{paths:?}");
    assert!(paths.contains(&"/a\u{0}b"), "{paths:?}");
    assert!(paths.contains(&"/x~0y~1z"), "{paths:?}");
    let message = &report.issues.iter().find(|issue| issue.path == "/a\u{0}b").expect("NUL key issue").message;
    assert!(message.contains("a\\u0000b"), "{message}");
}

#[test]
fn array_index_pointer_is_numeric() {
    let body = valid_with(r#""n":[0,{"a":1,"a":2}]"#);
    let report = validate(body.as_bytes(), &Options::default());

    assert!(report.issues.iter().any(|issue| issue.code == IssueCode::DuplicateKey && issue.path == "/n/1/a"));
}

#[test]
fn lone_surrogate_escapes_are_rejected() {
    for escape in ["\\ud800", "\\udc00", "\\ud800\\u0041", "\\ud800\\ud800"] {
        let body = VALID.replace("farEndHangup", escape);
        let report = validate(body.as_bytes(), &Options::default());
        assert_eq!(codes(&report), vec![IssueCode::InvalidJson], "{escape}");
    }

    let body = VALID.replace("farEndHangup", "\\ud83d\\ude00");
    let report = validate(body.as_bytes(), &Options::default());
    assert_eq!(codes(&report), vec![IssueCode::UnknownCallEndedReason]);
}

#[test]
fn byte_order_mark_and_nul_rejected() {
    let with_mark = [b"\xEF\xBB\xBF".as_slice(), VALID.as_bytes()].concat();
    assert_eq!(codes(&validate(&with_mark, &Options::default())), vec![IssueCode::InvalidJson]);

    let report = validate(b"\0", &Options::default());
    assert_eq!(codes(&report), vec![IssueCode::InvalidJson]);
    assert!(report.issues[0].message.contains("U+0000"), "{}", report.issues[0].message);

    let body = valid_with("\"a\0b\":1");
    assert_eq!(codes(&validate(body.as_bytes(), &Options::default())), vec![IssueCode::InvalidJson]);
}

#[test]
fn invalid_utf8_names_the_byte() {
    for (body, byte, offset) in [
        (b"{\"a\":\"\xff\"}".as_slice(), "0xFF", 6),
        (b"{\"\xc3\":1}".as_slice(), "0xC3", 2),
        (b"{\"a\":\"\xed\xa0\x80\"}".as_slice(), "0xED", 6),
    ] {
        let report = validate(body, &Options::default());
        assert_eq!(codes(&report), vec![IssueCode::InvalidUtf8]);
        let message = &report.issues[0].message;
        assert!(message.contains(byte), "{message}");
        assert!(message.contains(&format!("offset {offset}")), "{message}");
    }
}

#[test]
fn extreme_limits_do_not_panic() {
    let limits = [0, 1, 2, usize::MAX];
    for max_bytes in limits {
        for max_issues in limits {
            for max_depth in [1, 2, usize::MAX] {
                let options = Options { mode: Mode::Strict, max_bytes, max_depth, max_issues, mask_personal_data: false };
                for body in [VALID.as_bytes(), b"", b"{}", b"[", b"{\"a\":[[[]]]}"] {
                    let report = validate(body, &options);
                    assert_consistent(&report, &options, &format!("{options:?} {}", String::from_utf8_lossy(body)));
                }
            }
        }
    }
}

#[test]
fn max_bytes_zero_rejects_body() {
    let options = Options { max_bytes: 0, ..Options::default() };
    assert_eq!(codes(&validate(VALID.as_bytes(), &options)), vec![IssueCode::BodyTooLarge]);
    assert_eq!(codes(&validate(b"", &options)), vec![IssueCode::EmptyBody]);
}

#[test]
fn random_bytes_never_panic() {
    let alphabet = b"{}[]:,\"\\ \n\t0123456789-+.eEtrufalsn\xc3\xa9\xff\x00abcu";
    let mut random = Random(0x9e37_79b9);
    let options = Options { max_issues: 5, ..Options::default() };

    for round in 0..3_000 {
        let length = random.below(120);
        let body: Vec<u8> = (0..length).map(|_| alphabet[random.below(alphabet.len())]).collect();
        let report = validate(&body, &options);
        assert_consistent(&report, &options, &format!("round {round}: {:?}", String::from_utf8_lossy(&body)));
    }
}

/// Inserts, deletes or overwrites a few bytes of `body` at random places.
fn mutate(random: &mut Random, body: &[u8]) -> Vec<u8> {
    let pieces: [&[u8]; 16] = [
        b"\"", b"\\", b"{", b"}", b"[", b"]", b":", b",", b"\n", b"\xc3\xa9", b"\\u0000", b"\\ud800", b"null", b"-0.5e9",
        b"\"callId\"", b"\xf0\x9f\x98\x80",
    ];
    let mut bytes = body.to_vec();
    for _ in 0..1 + random.below(4) {
        let at = random.below(bytes.len() + 1);
        let piece = pieces[random.below(pieces.len())];
        match random.below(3) {
            0 => {
                bytes.splice(at..at, piece.iter().copied());
            }
            1 => {
                let end = (at + 1 + random.below(5)).min(bytes.len());
                bytes.drain(at..end);
            }
            _ => {
                let end = (at + piece.len()).min(bytes.len());
                bytes.splice(at..end, piece.iter().copied());
            }
        }
    }
    bytes
}

#[test]
fn mutated_bodies_agree_with_ndjson() {
    let mut random = Random(0x2545_f491);
    for round in 0..3_000 {
        let body = mutate(&mut random, VALID.as_bytes());
        if body.contains(&b'\n') || body.iter().all(|byte| matches!(byte, b' ' | b'\t' | b'\r')) {
            continue;
        }
        let mode = if random.below(2) == 0 { Mode::Lenient } else { Mode::Strict };
        let options = Options { mode, max_issues: 1 + random.below(12), ..Options::default() };
        let context = format!("round {round}: {:?}", String::from_utf8_lossy(&body));

        let single = validate(&body, &options);
        assert_consistent(&single, &options, &context);

        let batch = validate_ndjson(&body, &options);
        assert_eq!(batch.total, 1, "{context}");
        let batched = batch.reports.first().map(|(_, report)| report.issues.clone()).unwrap_or_default();
        assert_eq!(batched, single.issues, "{context}");
    }
}

#[test]
fn ndjson_blank_lines_are_linear() {
    let input = "\n".repeat(1_000_000);
    let batch = within(2_000, "1M blank lines", || validate_ndjson(input.as_bytes(), &Options::default()));

    assert_eq!(batch.lines, 1_000_000);
    assert_eq!(batch.blank_lines.len(), 1_000_000);
    assert_eq!(batch.total, 0);
}

#[test]
fn ndjson_long_line_is_oversized() {
    let input = format!("{}\n{VALID}\r\n", "x".repeat(3 * 1024 * 1024));
    let batch = validate_ndjson(input.as_bytes(), &Options::default());

    assert_eq!(batch.total, 2);
    assert_eq!(batch.valid, 1);
    assert_eq!(codes(&batch.reports[0].1), vec![IssueCode::BodyTooLarge]);
}

fn signature_code(result: Result<u64, SignatureError>) -> &'static str {
    match result {
        Ok(_) => "ok",
        Err(error) => error.code(),
    }
}

#[test]
fn header_of_many_parts_verifies() {
    let signed = sign(VALID.as_bytes(), SECRET, NOW);
    let decoys: Vec<String> = (0..15_000).map(|index| format!("v1={:064x}", index)).collect();
    let header = format!("{},{signed}", decoys.join(","));
    assert!(header.len() > 1_000_000);

    let result = within(2_000, "15k v1 parts", || verify_at(VALID.as_bytes(), &header, SECRET, NOW, 300));
    assert_eq!(result, Ok(NOW));

    let unmatched = header.replace(&signed, &format!("t={NOW}"));
    let result = verify_at(VALID.as_bytes(), &unmatched, SECRET, NOW, 300);
    assert_eq!(result, Err(SignatureError::NoMatchingSignature { candidates: 15_000 }));
}

#[test]
fn megabyte_v1_value_does_not_match() {
    let signed = sign(VALID.as_bytes(), SECRET, NOW);
    let header = format!("t={NOW},v1={}", "a".repeat(1 << 20));
    assert_eq!(signature_code(verify_at(VALID.as_bytes(), &header, SECRET, NOW, 300)), "no_matching_signature");

    let header = format!("{signed},x={}", "z".repeat(1 << 20));
    assert_eq!(signature_code(verify_at(VALID.as_bytes(), &header, SECRET, NOW, 300)), "ok");
}

#[test]
fn odd_timestamps_are_malformed() {
    let v1 = sign(VALID.as_bytes(), SECRET, NOW);
    let v1 = v1.split_once(",v1=").expect("signed header").1;
    let cases = [
        "9".repeat(1_000),
        "18446744073709551616".to_owned(),
        "١٧٠٠٠٠٠٠٠٠".to_owned(),
        "１７００".to_owned(),
        "+1700000000".to_owned(),
        "-1".to_owned(),
        "1e9".to_owned(),
        "0x10".to_owned(),
        String::new(),
    ];
    for timestamp in cases {
        let header = format!("t={timestamp},v1={v1}");
        let error = verify_at(VALID.as_bytes(), &header, SECRET, NOW, 300).expect_err("malformed timestamp");
        assert_eq!(error.code(), "malformed_header", "t={timestamp}");
        assert!(error.to_string().chars().count() < 300, "long message for t={timestamp}");
    }
}

#[test]
fn extreme_clocks_do_not_overflow() {
    let body = VALID.as_bytes();
    let at_max = sign(body, SECRET, u64::MAX);
    assert_eq!(verify_at(body, &at_max, SECRET, u64::MAX, 0), Ok(u64::MAX));
    assert_eq!(verify_at(body, &at_max, SECRET, 0, u64::MAX), Ok(u64::MAX));

    let error = verify_at(body, &at_max, SECRET, 0, 0).expect_err("far future");
    assert_eq!(error.code(), "timestamp_outside_tolerance");
    assert!(error.to_string().contains(&u64::MAX.to_string()), "{error}");

    let at_zero = sign(body, SECRET, 0);
    assert_eq!(signature_code(verify_at(body, &at_zero, SECRET, u64::MAX, u64::MAX - 1)), "timestamp_outside_tolerance");
    assert_eq!(signature_code(verify_at(body, &at_zero, SECRET, u64::MAX, u64::MAX)), "ok");
}

#[test]
fn control_characters_escaped_in_messages() {
    for header in ["t=1,\u{1b}[31mred", "\u{0}", "t=1,v1=a,\u{7f}=x", "t=1\r\nX-Injected: 1"] {
        let error = verify_at(VALID.as_bytes(), header, SECRET, NOW, 300).expect_err("malformed header");
        let message = error.to_string();
        assert!(!message.chars().any(|character| character.is_control()), "raw control character in {message:?}");
    }
}

#[test]
fn huge_secret_and_body_verify() {
    let secret = "k".repeat(1 << 20);
    let body = valid_with(&format!("\"pad\":\"{}\"", "p".repeat(1 << 20)));
    let header = sign(body.as_bytes(), &secret, NOW);

    let result = within(2_000, "1 MiB secret and body", || verify_at(body.as_bytes(), &header, &secret, NOW, 0));
    assert_eq!(result, Ok(NOW));
}

#[test]
fn truncated_body_span_stays_inside() {
    // A read that stops at the end of the body has no byte left to point
    // at, so its span must be empty there rather than run one byte past it.
    for body in ["{", "{\"a\"", "{\"a\":", "{\"a\":nul", "{\"a\":\"x", "{\"a\":\"\\u12", "{\"a\":1"] {
        let report = validate(body.as_bytes(), &Options::default());
        let span = report.issues[0].span.expect("a syntax error has a span");

        assert_eq!(codes(&report), vec![IssueCode::InvalidJson], "{body:?}");
        assert!(span.end <= body.len(), "{body:?}: span {span:?} ends past the body's {} bytes", body.len());
        assert!(span.start <= span.end, "{body:?}: span {span:?} is reversed");
    }
}

#[test]
fn warnings_cannot_hide_an_error() {
    // The unknown fields are read first and fill the report with warnings;
    // the invalid callId is checked after them.
    let extra: Vec<String> = (0..120).map(|index| format!("\"extra{index}\":0")).collect();
    let body = valid_with(&extra.join(",")).replacen("CAccb0b", "CA-b0b", 1);
    let report = validate(body.as_bytes(), &Options::default());

    assert_eq!(report.issues.len(), DEFAULT_MAX_ISSUES);
    assert!(codes(&report).contains(&IssueCode::InvalidId), "{:?}", codes(&report));
    let last = report.issues.last().expect("a counting issue");
    assert_eq!(last.code, IssueCode::TooManyIssues);
    assert!(last.message.starts_with("22 more issues were found but not listed (0 errors, 22 warnings)"), "{}", last.message);
}

#[test]
fn errors_replace_warnings_in_order() {
    let unknown: Vec<String> = (0..150).map(|index| format!("\"u{index}\":0")).collect();
    let duplicates = vec!["\"callDuration\":\"1\""; 150].join(",");
    let body = valid_with(&format!("{},{}", unknown.join(","), duplicates));
    let report = validate(body.as_bytes(), &Options::default());

    assert_eq!(report.issues.len(), DEFAULT_MAX_ISSUES);
    assert!(report.issues.iter().all(Issue::is_error), "{:?}", codes(&report));
    let listed = &report.issues[..DEFAULT_MAX_ISSUES - 1];
    assert!(listed.iter().all(|issue| issue.code == IssueCode::DuplicateKey));
    let starts: Vec<usize> = listed.iter().map(|issue| issue.span.expect("a span").start).collect();
    assert!(starts.windows(2).all(|pair| pair[0] < pair[1]), "issues out of order");
    let last = &report.issues[DEFAULT_MAX_ISSUES - 1];
    assert!(last.message.starts_with("201 more issues were found but not listed (51 errors, 150 warnings)"), "{}", last.message);
}

#[test]
fn single_counts_are_singular() {
    // A warning read first, then two invalid ids: the second error replaces
    // the warning, and the counting issue takes the place of the first error.
    let body = valid_with("\"extra0\":0").replacen("CAccb0b", "CA-b0b", 1).replacen("AC1334f", "AC-334f", 1);
    let options = Options { max_issues: 2, ..Options::default() };
    let report = validate(body.as_bytes(), &options);

    assert_eq!(codes(&report), [IssueCode::InvalidId, IssueCode::TooManyIssues]);
    let last = &report.issues[1];
    assert!(last.message.starts_with("2 more issues were found but not listed (1 error, 1 warning)"), "{}", last.message);
}
