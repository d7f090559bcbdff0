//! A compact summary of a clean validation for the wasm boundary: offsets
//! and enumeration indexes that JavaScript turns into the payload object,
//! so a valid body crosses the boundary without any text being built.

use crate::json::{Span, Value};
use crate::model::{CallEndedReason, CallStatus, Direction, KnownCallEndedReason};
use crate::options::Options;
use crate::validate::{check, finish, Accepted, Outcome};
use crate::field::Field;
use crate::issue::{IssueCode, Report, Severity};
use crate::ndjson::NdjsonReport;

/// Number of `u32` slots in a summary.
pub const SUMMARY_SLOTS: usize = 20;

/// Slot indexes. String fields take a start and an end byte offset into the
/// body (without the quotes); enumerations take their index in the `ALL`
/// list of their type; durations take whole seconds.
pub mod slot {
    /// Start of the callId string.
    pub const CALL_ID: usize = 0;
    /// Start of the accountId string.
    pub const ACCOUNT_ID: usize = 2;
    /// Start of the from string.
    pub const FROM: usize = 4;
    /// Start of the to string.
    pub const TO: usize = 6;
    /// Index in `CallStatus::ALL`.
    pub const CALL_STATUS: usize = 8;
    /// Index in `KnownCallEndedReason::ALL`.
    pub const CALL_ENDED_REASON: usize = 9;
    /// Index in `Direction::ALL`.
    pub const DIRECTION: usize = 10;
    /// Seconds.
    pub const CALL_DURATION: usize = 11;
    /// Start of the parentCallId string; start and end are 0 when it is null or absent.
    pub const PARENT_CALL_ID: usize = 12;
    /// Start of the recordingUrl string.
    pub const RECORDING_URL: usize = 14;
    /// Start of the recordingId string.
    pub const RECORDING_ID: usize = 16;
    /// Seconds.
    pub const RECORDING_DURATION_SEC: usize = 18;
    /// Bit 0: parentCallId is set. Bit 1: the recording fields are present.
    pub const FLAGS: usize = 19;
}

/// Flag bit: parentCallId contains a call id.
pub const FLAG_PARENT_CALL_ID: u32 = 1;
/// Flag bit: recordingUrl, recordingId and recordingDurationSec are present.
pub const FLAG_RECORDING: u32 = 2;

/// The outcome of a validation for the wasm boundary.
pub enum Summary {
    /// Valid, no issue at all, and every string value plain ASCII without
    /// escapes, so JavaScript can slice it from the body bytes.
    Clean([u32; SUMMARY_SLOTS]),
    /// Invalid: the report, which has no payload, for [`encode_issues`].
    Invalid(Report),
    /// Anything else (valid with warnings, or a value that needs decoding):
    /// the full report with its payload.
    Full(Report),
}

/// Number of `u32` slots per issue written by [`encode_issues`]: the index
/// of the code in `IssueCode::ALL`, the severity (0 error, 1 warning), the
/// UTF-16 lengths of the path and the message, then line, column, end line,
/// end column, byte offset and byte length (line 0 when the issue has no
/// place).
#[cfg_attr(not(test), allow(dead_code))]
pub const ISSUE_SLOTS: usize = 10;

/// Writes the issues of a report as numbers plus one text holding each
/// issue's path then message, which JavaScript turns into objects faster
/// than it parses the same report as JSON.
pub fn encode_issues(report: &Report, slots: &mut Vec<u32>, text: &mut String) {
    slots.clear();
    text.clear();
    push_issues(report, slots, text);
}

/// Writes an NDJSON batch the same way: `lines`, `total`, `valid`,
/// `invalid`, the number of blank lines, the number of reports and the
/// number of reports left out, then the
/// blank line numbers, then for each report its line number, 1 when valid
/// and its issue count, followed by its issues as [`encode_issues`] writes them.
pub fn encode_batch(batch: &NdjsonReport, slots: &mut Vec<u32>, text: &mut String) {
    slots.clear();
    text.clear();
    for count in [
        batch.lines,
        batch.total,
        batch.valid,
        batch.invalid,
        batch.blank_lines.len(),
        batch.reports.len(),
        batch.dropped_reports,
    ] {
        slots.push(saturating_u32(count));
    }
    slots.extend(batch.blank_lines.iter().map(|line| saturating_u32(*line)));

    for (line, report) in &batch.reports {
        slots.push(saturating_u32(*line));
        slots.push(u32::from(report.is_valid()));
        slots.push(saturating_u32(report.issues.len()));
        push_issues(report, slots, text);
    }
}

fn saturating_u32(value: usize) -> u32 {
    u32::try_from(value).unwrap_or(u32::MAX)
}

fn push_issues(report: &Report, slots: &mut Vec<u32>, text: &mut String) {
    for issue in &report.issues {
        let code = IssueCode::ALL.iter().position(|code| *code == issue.code).unwrap_or(0);
        slots.push(code as u32);
        slots.push(match issue.severity {
            Severity::Error => 0,
            Severity::Warning => 1,
        });
        slots.push(utf16_length(&issue.path));
        slots.push(utf16_length(&issue.message));
        text.push_str(&issue.path);
        text.push_str(&issue.message);

        match (issue.location, issue.end_location, issue.span) {
            (Some(start), Some(end), Some(span)) => {
                for value in [start.line, start.column, end.line, end.column, span.start, span.end - span.start] {
                    slots.push(u32::try_from(value).unwrap_or(u32::MAX));
                }
            }
            _ => slots.extend_from_slice(&[0; 6]),
        }
    }
}

/// Counts UTF-16 code units from the UTF-8 bytes: one per character, and a
/// second one for each character beyond the Basic Multilingual Plane, whose
/// UTF-8 form starts with a byte of 0xF0 or more.
fn utf16_length(text: &str) -> u32 {
    // Most paths and messages are ASCII, which std checks a word at a time.
    let length: usize = if text.is_ascii() {
        text.len()
    } else {
        text.bytes()
            .map(|byte| usize::from(byte & 0xC0 != 0x80) + usize::from(byte >= 0xF0))
            .sum()
    };
    u32::try_from(length).unwrap_or(u32::MAX)
}

/// Validates `body` and summarises it, using the same pass as [`crate::validate()`].
pub fn summarise(body: &[u8], options: &Options) -> Summary {
    let (fields, accepted, issues) = match check(body, options) {
        Outcome::Fatal(report) => return Summary::Invalid(*report),
        Outcome::Checked {
            fields,
            accepted,
            issues,
        } => (fields, accepted, issues),
    };

    if issues.is_empty() {
        let span_of = |field: Field| fields[field.index()].as_ref().map(|(value, span)| (value, *span));
        if let Some(slots) = clean_slots(&accepted, span_of) {
            return Summary::Clean(slots);
        }
    }

    // Not clean: the regular report, which builds the payload when valid.
    if issues.has_errors() {
        return Summary::Invalid(finish(body, issues, None));
    }
    let payload = crate::validate::build_payload(accepted);
    Summary::Full(finish(body, issues, payload))
}

/// Fills the slots, or returns `None` when some value needs the full path.
fn clean_slots<'f, 'a: 'f>(
    accepted: &Accepted<'a>,
    span_of: impl Fn(Field) -> Option<(&'f Value<'a>, Span)>,
) -> Option<[u32; SUMMARY_SLOTS]> {
    let mut slots = [0u32; SUMMARY_SLOTS];

    for (field, slot_index) in [
        (Field::CallId, slot::CALL_ID),
        (Field::AccountId, slot::ACCOUNT_ID),
        (Field::From, slot::FROM),
        (Field::To, slot::TO),
    ] {
        put_ascii_string(&mut slots, slot_index, span_of(field)?)?;
    }

    let status = accepted.call_status?;
    slots[slot::CALL_STATUS] = index_of(CallStatus::ALL, status)?;
    let Some(CallEndedReason::Known(reason)) = accepted.call_ended_reason else {
        return None;
    };
    slots[slot::CALL_ENDED_REASON] = index_of(KnownCallEndedReason::ALL, reason)?;
    let direction = accepted.direction?;
    slots[slot::DIRECTION] = index_of(Direction::ALL, direction)?;
    slots[slot::CALL_DURATION] = u32::try_from(accepted.call_duration?).ok()?;

    // A string conferenceId or queueId is a warning, so on this path they are null or absent.
    if accepted.parent_call_id.is_some() {
        put_ascii_string(&mut slots, slot::PARENT_CALL_ID, span_of(Field::ParentCallId)?)?;
        slots[slot::FLAGS] |= FLAG_PARENT_CALL_ID;
    }

    if accepted.recording_url.is_some() {
        put_ascii_string(&mut slots, slot::RECORDING_URL, span_of(Field::RecordingUrl)?)?;
        put_ascii_string(&mut slots, slot::RECORDING_ID, span_of(Field::RecordingId)?)?;
        slots[slot::RECORDING_DURATION_SEC] = u32::try_from(accepted.recording_duration_sec?).ok()?;
        slots[slot::FLAGS] |= FLAG_RECORDING;
    }

    Some(slots)
}

/// Stores the offsets of a string value that is plain ASCII without escapes.
fn put_ascii_string(slots: &mut [u32; SUMMARY_SLOTS], slot_index: usize, value: (&Value<'_>, Span)) -> Option<()> {
    let (Value::String(text), span) = value else {
        return None;
    };

    // The token is the quoted text, so an escape makes it longer than the decoded string.
    let inner = span.end.checked_sub(span.start)?.checked_sub(2)?;
    if inner != text.len() || !text.is_ascii() {
        return None;
    }

    slots[slot_index] = u32::try_from(span.start + 1).ok()?;
    slots[slot_index + 1] = u32::try_from(span.end - 1).ok()?;
    Some(())
}

fn index_of<T: PartialEq>(all: &[T], value: T) -> Option<u32> {
    let index = all.iter().position(|candidate| *candidate == value)?;
    u32::try_from(index).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    const BODY: &[u8] = br#"{"requestType":"callStatus","callId":"CAccb0b00506553cda09b51c5477f672a49e0b2213","accountId":"AC1334ffb694cd8d969f51cddf5f7c9b478546d50c","from":"+13121000109","to":"+13121000096","callStatus":"busy","callEndedReason":"busy","direction":"outboundDial","conferenceId":null,"queueId":null,"callDuration":"12","parentCallId":"CA4f6b2c0f1d9e8a7b6c5d4e3f2a1b0c9d8e7f6a5b"}"#;

    fn text(slots: &[u32; SUMMARY_SLOTS], slot_index: usize) -> &'static str {
        let start = slots[slot_index] as usize;
        let end = slots[slot_index + 1] as usize;
        std::str::from_utf8(&BODY[start..end]).unwrap()
    }

    #[test]
    fn clean_body_summarised() {
        let Summary::Clean(slots) = summarise(BODY, &Options::default()) else {
            panic!("expected a clean summary");
        };
        assert_eq!(text(&slots, slot::CALL_ID), "CAccb0b00506553cda09b51c5477f672a49e0b2213");
        assert_eq!(text(&slots, slot::FROM), "+13121000109");
        assert_eq!(text(&slots, slot::PARENT_CALL_ID), "CA4f6b2c0f1d9e8a7b6c5d4e3f2a1b0c9d8e7f6a5b");
        assert_eq!(CallStatus::ALL[slots[slot::CALL_STATUS] as usize], CallStatus::Busy);
        assert_eq!(KnownCallEndedReason::ALL[slots[slot::CALL_ENDED_REASON] as usize], KnownCallEndedReason::Busy);
        assert_eq!(Direction::ALL[slots[slot::DIRECTION] as usize], Direction::OutboundDial);
        assert_eq!(slots[slot::CALL_DURATION], 12);
        assert_eq!(slots[slot::FLAGS], FLAG_PARENT_CALL_ID);
    }

    #[test]
    fn escaped_value_takes_full_path() {
        let body = String::from_utf8(BODY.to_vec()).unwrap().replace("+13121000109", "+1312100010\\u0039");
        let Summary::Full(report) = summarise(body.as_bytes(), &Options::default()) else {
            panic!("an escaped value cannot be sliced from the body");
        };
        assert!(report.is_valid());
        assert_eq!(report.payload.unwrap().from, "+13121000109");
    }

    #[test]
    fn warning_takes_full_path() {
        let body = String::from_utf8(BODY.to_vec()).unwrap().replace("\"12\"", "12");
        let Summary::Full(report) = summarise(body.as_bytes(), &Options::default()) else {
            panic!("a body with a warning takes the full path");
        };
        assert!(report.is_valid());
        assert_eq!(report.issues.len(), 1);
    }
}

#[cfg(test)]
mod encoding_tests {
    use super::*;

    #[test]
    fn issues_encoded_with_lengths() {
        let body = "{\"callId\":\"CAé😀\",\"x😀\":1}";
        let Summary::Invalid(report) = summarise(body.as_bytes(), &Options::default()) else {
            panic!("expected an invalid report");
        };
        let mut slots = Vec::new();
        let mut text = String::new();
        encode_issues(&report, &mut slots, &mut text);

        assert_eq!(slots.len(), report.issues.len() * ISSUE_SLOTS);
        let mut offset = 0;
        for (index, issue) in report.issues.iter().enumerate() {
            let base = index * ISSUE_SLOTS;
            assert_eq!(IssueCode::ALL[slots[base] as usize], issue.code);
            let units: Vec<u16> = text.encode_utf16().collect();
            let path_end = offset + slots[base + 2] as usize;
            let message_end = path_end + slots[base + 3] as usize;
            assert_eq!(String::from_utf16(&units[offset..path_end]).unwrap(), issue.path);
            assert_eq!(String::from_utf16(&units[path_end..message_end]).unwrap(), issue.message);
            offset = message_end;
        }
    }
}

#[cfg(test)]
mod profile {
    /// Loops the invalid-body path for profiling with callgrind:
    /// `cargo test --release --lib profile_invalid -- --ignored`.
    #[test]
    #[ignore = "a profiling loop, not a check"]
    fn profile_invalid() {
        let body = include_bytes!("../bench/bodies/invalid.json");
        let options = crate::Options::strict();
        let mut slots = Vec::new();
        let mut text = String::new();
        let mut total = 0;
        for _ in 0..100_000 {
            if let super::Summary::Invalid(report) = super::summarise(std::hint::black_box(body), &options) {
                super::encode_issues(&report, &mut slots, &mut text);
                total += text.len();
            }
        }
        assert!(total > 0);
    }
}
