//! Validation of many payloads at once: NDJSON, one payload per line, as
//! webhook logs are kept.

use crate::issue::{Report, MAX_REPORT_TEXT_BYTES};
use crate::options::Options;
use crate::validate::{check, finish, Outcome};

/// The outcome of validating every line of an NDJSON text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NdjsonReport {
    /// Lines seen, blank ones included; a last line without a newline counts.
    pub lines: usize,
    /// Payloads checked: the lines that are not blank.
    pub total: usize,
    /// Payloads without errors.
    pub valid: usize,
    /// Payloads with at least one error.
    pub invalid: usize,
    /// Line numbers (from 1) of the blank lines, which are skipped.
    pub blank_lines: Vec<usize>,
    /// A report for each payload with at least one issue, with its line
    /// number, up to the report limit. Payloads without issues are only
    /// counted, and reports here carry no payload, which keeps a batch over
    /// a clean log cheap.
    pub reports: Vec<(usize, Report)>,
    /// Payloads with issues past the report limit, counted but not reported.
    pub dropped_reports: usize,
}

/// Default number of line reports in one batch.
pub const DEFAULT_MAX_REPORTS: usize = 1000;

/// Validates each line of `input` as one callStatus body. `options` apply
/// to every line; `max_bytes` limits each line, not the whole input. At most
/// [`DEFAULT_MAX_REPORTS`] lines are reported; see
/// [`validate_ndjson_with_max_reports`].
///
/// ```
/// use freeclimb_callstatus::{validate_ndjson, IssueCode, Options};
///
/// let log = b"{\"requestType\":\"inboundCall\"}\n\n{}\n";
/// let batch = validate_ndjson(log, &Options::default());
///
/// assert_eq!(batch.lines, 3);
/// assert_eq!(batch.total, 2);
/// assert_eq!(batch.invalid, 2);
/// assert_eq!(batch.blank_lines, vec![2]);
/// let (line, report) = &batch.reports[0];
/// assert_eq!(*line, 1);
/// assert_eq!(report.issues[0].code, IssueCode::InvalidRequestType);
/// ```
pub fn validate_ndjson(input: &[u8], options: &Options) -> NdjsonReport {
    validate_ndjson_with_max_reports(input, options, DEFAULT_MAX_REPORTS)
}

/// Validates each line like [`validate_ndjson`], reporting at most
/// `max_reports` lines, and at most 16 MiB of paths and messages, so that a
/// log full of invalid payloads gives a bounded result. The other lines with
/// issues are counted in `dropped_reports`.
pub fn validate_ndjson_with_max_reports(input: &[u8], options: &Options, max_reports: usize) -> NdjsonReport {
    let mut summary = NdjsonReport::default();
    let mut report_text_bytes = 0;

    let mut start = 0;
    while start < input.len() {
        let end = input[start..]
            .iter()
            .position(|&byte| byte == b'\n')
            .map_or(input.len(), |offset| start + offset);
        let line = &input[start..end];
        summary.lines += 1;
        start = end + 1;

        if line.iter().all(|byte| matches!(byte, b' ' | b'\t' | b'\r')) {
            summary.blank_lines.push(summary.lines);
            continue;
        }

        summary.total += 1;
        let report = match check(line, options) {
            Outcome::Fatal(report) => *report,
            Outcome::Checked { issues, .. } if issues.is_empty() => {
                summary.valid += 1;
                continue;
            }
            // Past the report limit only the verdict is needed.
            Outcome::Checked { issues, .. } if summary.reports.len() >= max_reports => {
                summary.dropped_reports += 1;
                if issues.has_errors() {
                    summary.invalid += 1;
                } else {
                    summary.valid += 1;
                }
                continue;
            }
            Outcome::Checked { issues, .. } => finish(line, issues, None),
        };

        if report.is_valid() {
            summary.valid += 1;
        } else {
            summary.invalid += 1;
        }
        // The batch's text is bounded like one report's, whatever the limits.
        let text_bytes: usize = report.issues.iter().map(|issue| issue.path.len() + issue.message.len()).sum();
        if summary.reports.len() < max_reports && report_text_bytes + text_bytes <= MAX_REPORT_TEXT_BYTES {
            report_text_bytes += text_bytes;
            summary.reports.push((summary.lines, report));
        } else {
            summary.dropped_reports += 1;
        }
    }
    summary
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::issue::IssueCode;

    #[test]
    fn lines_counted_and_reported() {
        let valid = r#"{"requestType":"callStatus","callId":"CAccb0b00506553cda09b51c5477f672a49e0b2213","accountId":"AC1334ffb694cd8d969f51cddf5f7c9b478546d50c","from":"+13121000109","to":"+13121000096","callStatus":"completed","callEndedReason":"farEndHangup","direction":"inbound","conferenceId":null,"queueId":null,"callDuration":"37","parentCallId":null}"#;
        let input = format!("{valid}\n\n{}\r\n{valid}", valid.replace("\"37\"", "37"));
        let batch = validate_ndjson(input.as_bytes(), &Options::strict());

        assert_eq!(batch.lines, 4);
        assert_eq!(batch.total, 3);
        assert_eq!(batch.valid, 2);
        assert_eq!(batch.invalid, 1);
        assert_eq!(batch.blank_lines, vec![2]);
        assert_eq!(batch.reports.len(), 1);
        assert_eq!(batch.reports[0].0, 3);
        assert_eq!(batch.reports[0].1.issues[0].code, IssueCode::DurationAsNumber);
    }
}
