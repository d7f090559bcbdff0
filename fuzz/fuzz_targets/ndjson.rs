//! The NDJSON batch entry point, checked line by line against `validate`.
//!
//! Input: two control bytes for the options (see
//! `fuzz_support::options_from`; the size limit applies to each line), one
//! byte for the report limit, then the NDJSON text.

#![no_main]

use freeclimb_callstatus::{validate, validate_ndjson_with_max_reports, DEFAULT_MAX_REPORTS};
use fuzz_support::{check_report, options_from, Input};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut input = Input::new(data);
    let control = input.bytes::<2>();
    let max_reports = match input.u8() % 8 {
        7 => DEFAULT_MAX_REPORTS,
        small => usize::from(small),
    };
    let text = input.rest();
    let options = options_from(control, 64);

    let batch = validate_ndjson_with_max_reports(text, &options, max_reports);

    // The same split as the batch: on '\n' only, with a last line that has
    // no newline counted and an empty text having no lines.
    let mut lines: Vec<&[u8]> = text.split(|&byte| byte == b'\n').collect();
    if text.is_empty() || text.ends_with(b"\n") {
        lines.pop();
    }
    assert_eq!(batch.lines, lines.len(), "line count");
    assert_eq!(
        batch.total + batch.blank_lines.len(),
        batch.lines,
        "blank and checked lines must add up"
    );
    assert_eq!(
        batch.valid + batch.invalid,
        batch.total,
        "valid and invalid payloads must add up"
    );
    assert!(
        batch.reports.len() <= max_reports,
        "{} reports over the limit {max_reports}",
        batch.reports.len()
    );

    let mut expected_valid = 0;
    let mut with_issues = 0;
    let mut reports = batch.reports.iter().peekable();
    for (index, line) in lines.iter().enumerate() {
        let number = index + 1;
        let blank = line.iter().all(|byte| matches!(byte, b' ' | b'\t' | b'\r'));
        assert_eq!(
            batch.blank_lines.contains(&number),
            blank,
            "line {number}: blank or not"
        );
        if blank {
            continue;
        }

        let alone = validate(line, &options);
        check_report(line, &options, &alone);
        if alone.is_valid() {
            expected_valid += 1;
        }
        if !alone.issues.is_empty() {
            with_issues += 1;
        }
        if let Some((_, report)) = reports.next_if(|(reported, _)| *reported == number) {
            assert!(
                report.payload.is_none(),
                "line {number}: a batch report carries a payload"
            );
            assert_eq!(
                report.issues, alone.issues,
                "line {number}: batch report differs from validate"
            );
        }
    }
    assert!(
        reports.next().is_none(),
        "a report names a line that is blank, clean or out of order"
    );
    assert_eq!(batch.valid, expected_valid, "valid payloads");
    assert_eq!(
        batch.reports.len() + batch.dropped_reports,
        with_issues,
        "reported and dropped lines with issues"
    );
});
