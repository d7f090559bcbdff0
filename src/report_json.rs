//! JSON text for reports and payloads, the shape the JavaScript API returns.
//!
//! Written by hand rather than with serde_json so the WebAssembly module
//! stays small; the wasm layer hands this text to `JSON.parse`.

use crate::issue::{Issue, Location, Report};
use crate::model::CallStatusPayload;
use crate::ndjson::NdjsonReport;
use crate::rules::push_json_escaped;

impl Report {
    /// Serialises the report as `{"valid","errors","warnings","payload"?}`,
    /// the object the JavaScript `validate` returns. Each issue carries
    /// `path`, `code`, `severity`, `message` and, when it is about a place,
    /// `line`, `column`, `endLine`, `endColumn` (from 1) and the byte
    /// `offset` and `length`.
    ///
    /// ```
    /// use freeclimb_callstatus::{validate, Options};
    ///
    /// let report = validate(b"[]", &Options::default());
    /// let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
    /// assert_eq!(json["valid"], false);
    /// assert_eq!(json["errors"][0]["code"], "not_an_object");
    /// assert_eq!(json["errors"][0]["line"], 1);
    /// ```
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(512);
        out.push_str("{\"valid\":");
        out.push_str(if self.is_valid() { "true" } else { "false" });

        out.push_str(",\"errors\":[");
        write_issues(&mut out, self.errors());
        out.push_str("],\"warnings\":[");
        write_issues(&mut out, self.warnings());
        out.push(']');

        if let Some(payload) = &self.payload {
            out.push_str(",\"payload\":");
            write_payload(&mut out, payload);
        }
        out.push('}');
        out
    }
}

impl NdjsonReport {
    /// Serialises the batch as `{"lines","total","valid","invalid",
    /// "droppedReports","blankLines","reports"}`, each report being
    /// `{"line","valid","errors","warnings"}`.
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(128 + self.reports.len() * 512);
        out.push_str("{\"lines\":");
        push_u64(&mut out, self.lines as u64);
        write_number_field(&mut out, "total", self.total as u64);
        write_number_field(&mut out, "valid", self.valid as u64);
        write_number_field(&mut out, "invalid", self.invalid as u64);
        write_number_field(&mut out, "droppedReports", self.dropped_reports as u64);

        out.push_str(",\"blankLines\":[");
        for (index, line) in self.blank_lines.iter().enumerate() {
            if index > 0 {
                out.push(',');
            }
            push_u64(&mut out, *line as u64);
        }

        out.push_str("],\"reports\":[");
        for (index, (line, report)) in self.reports.iter().enumerate() {
            if index > 0 {
                out.push(',');
            }
            out.push_str("{\"line\":");
            push_u64(&mut out, *line as u64);
            out.push_str(",\"valid\":");
            out.push_str(if report.is_valid() { "true" } else { "false" });
            out.push_str(",\"errors\":[");
            write_issues(&mut out, report.errors());
            out.push_str("],\"warnings\":[");
            write_issues(&mut out, report.warnings());
            out.push_str("]}");
        }
        out.push_str("]}");
        out
    }
}

impl CallStatusPayload {
    /// Serialises the normalised payload: wire field names, enumerations as
    /// strings, durations as numbers of seconds, recording fields only when
    /// present.
    pub fn to_json(&self) -> String {
        let mut out = String::with_capacity(512);
        write_payload(&mut out, self);
        out
    }
}

fn write_issues<'i>(out: &mut String, issues: impl Iterator<Item = &'i Issue>) {
    for (index, issue) in issues.enumerate() {
        if index > 0 {
            out.push(',');
        }
        write_issue(out, issue);
    }
}

fn write_issue(out: &mut String, issue: &Issue) {
    out.push_str("{\"path\":");
    write_string(out, &issue.path);
    out.push_str(",\"code\":\"");
    out.push_str(issue.code.as_str());
    out.push_str("\",\"severity\":\"");
    out.push_str(issue.severity.as_str());
    out.push_str("\",\"message\":");
    write_string(out, &issue.message);

    if let (Some(start), Some(span)) = (issue.location, issue.span) {
        let end = issue.end_location.unwrap_or(start);
        write_location(out, "line", "column", start);
        write_location(out, "endLine", "endColumn", end);
        write_number_field(out, "offset", span.start as u64);
        write_number_field(out, "length", (span.end - span.start) as u64);
    }
    out.push('}');
}

fn write_location(out: &mut String, line_key: &str, column_key: &str, location: Location) {
    write_number_field(out, line_key, location.line as u64);
    write_number_field(out, column_key, location.column as u64);
}

fn write_number_field(out: &mut String, key: &str, value: u64) {
    out.push_str(",\"");
    out.push_str(key);
    out.push_str("\":");
    push_u64(out, value);
}

fn write_payload(out: &mut String, payload: &CallStatusPayload) {
    out.push_str("{\"requestType\":");
    write_string(out, &payload.request_type);
    write_string_field(out, "callId", Some(&payload.call_id));
    write_string_field(out, "accountId", Some(&payload.account_id));
    write_string_field(out, "from", Some(&payload.from));
    write_string_field(out, "to", Some(&payload.to));
    write_string_field(out, "callStatus", Some(payload.call_status.as_str()));
    write_string_field(
        out,
        "callEndedReason",
        payload.call_ended_reason.as_ref().map(|reason| reason.as_str()),
    );
    write_string_field(out, "direction", Some(payload.direction.as_str()));
    write_string_field(out, "conferenceId", payload.conference_id.as_deref());
    write_string_field(out, "queueId", payload.queue_id.as_deref());

    out.push_str(",\"callDuration\":");
    match payload.call_duration {
        Some(seconds) => push_u64(out, seconds),
        None => out.push_str("null"),
    }

    if let Some(url) = &payload.recording_url {
        write_string_field(out, "recordingUrl", Some(url));
    }
    if let Some(id) = &payload.recording_id {
        write_string_field(out, "recordingId", Some(id));
    }
    if let Some(seconds) = payload.recording_duration_sec {
        write_number_field(out, "recordingDurationSec", seconds);
    }

    write_string_field(out, "parentCallId", payload.parent_call_id.as_deref());
    out.push('}');
}

/// Writes `,"key":"value"`, or `,"key":null` for `None`.
fn write_string_field(out: &mut String, key: &str, value: Option<&str>) {
    out.push_str(",\"");
    out.push_str(key);
    out.push_str("\":");
    match value {
        Some(text) => write_string(out, text),
        None => out.push_str("null"),
    }
}

fn write_string(out: &mut String, text: &str) {
    out.push('"');
    push_json_escaped(out, text);
    out.push('"');
}

fn push_u64(out: &mut String, value: u64) {
    let mut digits = [0u8; 20];
    let mut index = digits.len();
    let mut rest = value;
    loop {
        index -= 1;
        digits[index] = b'0' + (rest % 10) as u8;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    // The buffer holds ASCII digits only, so the conversion cannot fail.
    out.push_str(std::str::from_utf8(&digits[index..]).unwrap_or("0"));
}

/// Serialises every enumeration value with its documented meaning:
/// `{"callStatus":{"completed":"…",…},"callEndedReason":{…},"direction":{…}}`.
///
/// ```
/// use freeclimb_callstatus::{meanings_json, CallStatus};
///
/// let meanings: serde_json::Value = serde_json::from_str(&meanings_json()).unwrap();
/// assert_eq!(meanings["callStatus"]["busy"], CallStatus::Busy.meaning());
/// ```
pub fn meanings_json() -> String {
    use crate::model::{CallStatus, Direction, KnownCallEndedReason};

    let mut out = String::with_capacity(4096);
    out.push_str("{\"callStatus\":{");
    write_meanings(&mut out, CallStatus::ALL.iter().map(|value| (value.as_str(), value.meaning())));
    out.push_str("},\"callEndedReason\":{");
    write_meanings(
        &mut out,
        KnownCallEndedReason::ALL.iter().map(|value| (value.as_str(), value.meaning())),
    );
    out.push_str("},\"direction\":{");
    write_meanings(&mut out, Direction::ALL.iter().map(|value| (value.as_str(), value.meaning())));
    out.push_str("}}");
    out
}

fn write_meanings<'m>(out: &mut String, values: impl Iterator<Item = (&'m str, &'m str)>) {
    for (index, (wire, meaning)) in values.enumerate() {
        if index > 0 {
            out.push(',');
        }
        write_string(out, wire);
        out.push(':');
        write_string(out, meaning);
    }
}

/// Serialises a signature failure as `{"code","message"}`.
// Only the wasm layer calls this.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) fn signature_error_json(error: &crate::signature::SignatureError) -> String {
    let mut out = String::with_capacity(160);
    out.push_str("{\"code\":\"");
    out.push_str(error.code());
    out.push_str("\",\"message\":");
    write_string(&mut out, &error.to_string());
    out.push('}');
    out
}

/// Serialises every issue code, in the order of `IssueCode::ALL`, as a JSON array.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) fn issue_codes_json() -> String {
    let mut out = String::from("[");
    for (index, code) in crate::issue::IssueCode::ALL.iter().enumerate() {
        if index > 0 {
            out.push(',');
        }
        write_string(&mut out, code.as_str());
    }
    out.push(']');
    out
}
