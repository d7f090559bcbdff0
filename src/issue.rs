//! Issues found in a payload and the report that collects them.

use std::borrow::Cow;
use std::fmt;

use crate::json::Span;
use crate::model::CallStatusPayload;

/// The seriousness of an issue. Only errors make a payload invalid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Severity {
    /// The payload cannot be trusted or acted on.
    Error,
    /// The payload is usable but departs from FreeClimb's reference.
    Warning,
}

impl Severity {
    /// `"error"` or `"warning"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

macro_rules! issue_codes {
    ($( $(#[$doc:meta])* $variant:ident = $code:literal, )+) => {
        /// A stable, machine-readable kind of issue. The snake_case strings
        /// are part of the public API and never change meaning.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum IssueCode {
            $( $(#[$doc])* $variant, )+
        }

        impl IssueCode {
            /// Every code, for documentation and exhaustive tests.
            pub const ALL: &'static [IssueCode] = &[$(IssueCode::$variant),+];

            /// The snake_case code as it appears in reports.
            pub fn as_str(self) -> &'static str {
                match self {
                    $( IssueCode::$variant => $code, )+
                }
            }

            /// Parses a snake_case code.
            pub fn from_code(code: &str) -> Option<Self> {
                match code {
                    $( $code => Some(IssueCode::$variant), )+
                    _ => None,
                }
            }
        }
    };
}

issue_codes! {
    /// The body has no bytes, or only whitespace.
    EmptyBody = "empty_body",
    /// The body is not JSON (including a leading byte-order mark).
    InvalidJson = "invalid_json",
    /// The body is not valid UTF-8.
    InvalidUtf8 = "invalid_utf8",
    /// Something other than whitespace follows the JSON object.
    TrailingData = "trailing_data",
    /// The body is JSON but its root is not an object.
    NotAnObject = "not_an_object",
    /// The body is larger than the size limit.
    BodyTooLarge = "body_too_large",
    /// The body nests objects or arrays deeper than the depth limit.
    TooDeep = "too_deep",
    /// An object has the same key twice.
    DuplicateKey = "duplicate_key",
    /// A field is absent (or null where null means absent).
    MissingField = "missing_field",
    /// A field has the wrong JSON type.
    WrongType = "wrong_type",
    /// `requestType` is not `callStatus`.
    InvalidRequestType = "invalid_request_type",
    /// An id does not match its prefix and 40 hexadecimal digits.
    InvalidId = "invalid_id",
    /// `from` or `to` is not an E.164 number.
    InvalidPhoneNumber = "invalid_phone_number",
    /// `callStatus` is not one of the known values.
    InvalidCallStatus = "invalid_call_status",
    /// `callStatus` describes a call still in progress.
    NonFinalCallStatus = "non_final_call_status",
    /// `callEndedReason` is not one of the documented values.
    UnknownCallEndedReason = "unknown_call_ended_reason",
    /// `direction` is not one of the known values.
    InvalidDirection = "invalid_direction",
    /// `conferenceId` or `queueId` contains a string where null is documented.
    ExpectedNull = "expected_null",
    /// A duration is a JSON number where a string of digits is documented.
    DurationAsNumber = "duration_as_number",
    /// A duration is not a string of ASCII digits.
    InvalidDuration = "invalid_duration",
    /// A duration is longer than FreeClimb's 6-hour maximum.
    DurationAboveMaximum = "duration_above_maximum",
    /// `recordingUrl` is not an absolute http or https URL.
    InvalidUrl = "invalid_url",
    /// Only some of the three recording fields are present.
    IncompleteRecording = "incomplete_recording",
    /// An `outboundDial` leg has no `parentCallId`.
    MissingParentCallId = "missing_parent_call_id",
    /// `callEndedReason` does not fit `callStatus`.
    ReasonStatusMismatch = "reason_status_mismatch",
    /// `callEndedReason` cannot happen on a call of this `direction`.
    ReasonDirectionMismatch = "reason_direction_mismatch",
    /// A field that the callStatus webhook does not document.
    UnknownField = "unknown_field",
    /// More issues than the issue limit; this last issue counts the rest.
    TooManyIssues = "too_many_issues",
}

impl fmt::Display for IssueCode {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

/// A line and column in the body, both counted from 1. Columns count
/// Unicode scalar values, so a multi-byte character is one column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Location {
    /// Line number, from 1.
    pub line: usize,
    /// Column number, from 1.
    pub column: usize,
}

/// One problem found in a payload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Issue {
    /// JSON Pointer to the offending value: `""` for the whole body. The
    /// pointers of documented fields are static, so most issues allocate
    /// nothing for their path.
    pub path: Cow<'static, str>,
    /// Stable machine-readable kind.
    pub code: IssueCode,
    /// Whether the issue makes the payload invalid.
    pub severity: Severity,
    /// A plain English sentence naming the field, the value and what was expected.
    pub message: String,
    /// Bytes of the body the issue is about, when it is about a place.
    pub span: Option<Span>,
    /// The line and column where `span` starts.
    pub location: Option<Location>,
    /// The line and column where `span` ends (exclusive).
    pub end_location: Option<Location>,
}

impl Issue {
    /// Whether this issue is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Issue {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The same layout as the CLI's text output.
        let path = if self.path.is_empty() { "(body)" } else { &self.path };
        write!(formatter, "{} {}", self.severity.as_str(), path)?;
        if let Some(location) = self.location {
            write!(formatter, " at {}:{}", location.line, location.column)?;
        }
        write!(formatter, " [{}]: {}", self.code, self.message)
    }
}

/// The outcome of validating one body: every issue, and the normalised
/// payload when there is no error.
///
/// ```
/// use freeclimb_callstatus::{validate, Options};
///
/// let report = validate(br#"{"requestType":"callStatus"}"#, &Options::default());
/// assert!(!report.is_valid());
/// assert!(report.payload.is_none());
/// let paths: Vec<&str> = report.errors().map(|issue| &*issue.path).collect();
/// assert_eq!(paths, ["/callId", "/accountId", "/from", "/to", "/callStatus", "/direction"]);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    /// Errors and warnings in the order they were found.
    pub issues: Vec<Issue>,
    /// The normalised payload, present exactly when no issue is an error.
    pub payload: Option<CallStatusPayload>,
}

impl Report {
    /// Whether the body is a usable callStatus payload (warnings allowed).
    pub fn is_valid(&self) -> bool {
        !self.issues.iter().any(Issue::is_error)
    }

    /// The issues of severity error.
    pub fn errors(&self) -> impl Iterator<Item = &Issue> {
        self.issues.iter().filter(|issue| issue.severity == Severity::Error)
    }

    /// The issues of severity warning.
    pub fn warnings(&self) -> impl Iterator<Item = &Issue> {
        self.issues.iter().filter(|issue| issue.severity == Severity::Warning)
    }
}

/// Collects issues up to a limit, then only counts them. Once the report is
/// full, an error still takes the place of the latest listed warning, so that
/// a flood of warnings cannot hide the error that makes a payload invalid.
pub(crate) struct IssueCollector {
    issues: Vec<Issue>,
    /// Listed warnings, which a later error may replace.
    listed_warnings: usize,
    /// Set at the first replacement of a warning by an error.
    replacement: Option<Replacement>,
    max_issues: usize,
    /// Bytes of paths and messages the report may hold, so that long keys
    /// repeated in many pointers cannot make it huge.
    max_text_bytes: usize,
    text_bytes: usize,
    /// Set once an issue did not fit the text budget; later ones are only counted.
    text_full: bool,
    dropped_errors: usize,
    dropped_warnings: usize,
}

/// The warnings replaced so far and the errors that replaced them. Every
/// listed issue was found before the report filled up, and every replacing
/// error after, so `finish` restores the order found without sorting: the
/// listed issues left, then the replacing errors.
struct Replacement {
    /// Positions in `issues` of the warnings still listed, latest last.
    warning_positions: Vec<usize>,
    /// Whether the issue at each position in `issues` was replaced.
    replaced: Vec<bool>,
    errors: Vec<Issue>,
}

/// The smallest text budget of a report, whatever the body's size.
const MIN_REPORT_TEXT_BYTES: usize = 64 * 1024;
/// The largest text budget of a report, so that a huge body with a huge
/// issue limit cannot exhaust wasm memory.
pub(crate) const MAX_REPORT_TEXT_BYTES: usize = 16 * 1024 * 1024;

impl IssueCollector {
    /// `max_issues` is the most issues a report holds, the counting issue
    /// included; it is at least 1. The paths and messages together take at
    /// most four times the body's length, at least 64 KiB and at most 16 MiB.
    pub fn new(max_issues: usize, body_length: usize) -> Self {
        IssueCollector {
            issues: Vec::new(),
            listed_warnings: 0,
            replacement: None,
            max_issues: max_issues.max(1),
            max_text_bytes: body_length
                .saturating_mul(4)
                .clamp(MIN_REPORT_TEXT_BYTES, MAX_REPORT_TEXT_BYTES),
            text_bytes: 0,
            text_full: false,
            dropped_errors: 0,
            dropped_warnings: 0,
        }
    }

    pub fn push(&mut self, issue: Issue) {
        if self.issues.capacity() == 0 {
            // One allocation for a typical report rather than several growths.
            self.issues.reserve(self.max_issues.min(16));
        }
        let text_bytes = self.text_bytes + issue.path.len() + issue.message.len();
        if text_bytes > self.max_text_bytes {
            self.text_full = true;
        }
        if !self.is_full() {
            self.text_bytes = text_bytes;
            if issue.severity == Severity::Warning {
                self.listed_warnings += 1;
            }
            self.issues.push(issue);
            return;
        }
        if issue.severity == Severity::Error && self.listed_warnings > 0 {
            self.replace_latest_warning(issue);
            return;
        }
        self.count_dropped(issue.severity);
    }

    /// Puts `error` in the place of the latest listed warning, when its text
    /// fits the budget that the warning frees; otherwise counts it.
    fn replace_latest_warning(&mut self, error: Issue) {
        let issues = &self.issues;
        let replacement = self.replacement.get_or_insert_with(|| Replacement {
            warning_positions: (0..issues.len())
                .filter(|&position| issues[position].severity == Severity::Warning)
                .collect(),
            replaced: vec![false; issues.len()],
            errors: Vec::new(),
        });
        let Some(&position) = replacement.warning_positions.last() else {
            self.count_dropped(Severity::Error);
            return;
        };

        let warning = &self.issues[position];
        let freed = warning.path.len() + warning.message.len();
        let text_bytes = self.text_bytes - freed + error.path.len() + error.message.len();
        if text_bytes > self.max_text_bytes {
            self.count_dropped(Severity::Error);
            return;
        }

        replacement.warning_positions.pop();
        replacement.replaced[position] = true;
        replacement.errors.push(error);
        self.text_bytes = text_bytes;
        self.listed_warnings -= 1;
        self.dropped_warnings += 1;
    }

    /// Whether further issues are only counted.
    pub fn is_full(&self) -> bool {
        self.issues.len() >= self.max_issues || self.text_full
    }

    /// Returns whether an issue of `severity` would still be listed, so that
    /// it is worth building.
    pub fn accepts(&self, severity: Severity) -> bool {
        !self.is_full() || (severity == Severity::Error && self.listed_warnings > 0)
    }

    /// Counts an issue past the limit without building it.
    pub fn count_dropped(&mut self, severity: Severity) {
        match severity {
            Severity::Error => self.dropped_errors += 1,
            Severity::Warning => self.dropped_warnings += 1,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.issues.is_empty() && self.dropped_errors + self.dropped_warnings == 0
    }

    pub fn has_errors(&self) -> bool {
        let replacing_errors = self.replacement.as_ref().is_some_and(|replacement| !replacement.errors.is_empty());
        self.dropped_errors > 0 || replacing_errors || self.issues.iter().any(Issue::is_error)
    }

    /// Returns the issues, the last one replaced by a `too_many_issues`
    /// issue when any were dropped.
    pub fn finish(mut self) -> Vec<Issue> {
        if let Some(replacement) = self.replacement.take() {
            let mut replaced = replacement.replaced.into_iter();
            self.issues.retain(|_| !replaced.next().unwrap_or(false));
            self.issues.extend(replacement.errors);
        }
        if self.dropped_errors + self.dropped_warnings == 0 {
            return self.issues;
        }

        // Make room for the counting issue so the report stays within the
        // limit, at the expense of the latest warning when there is one.
        let position = self
            .issues
            .iter()
            .rposition(|issue| issue.severity == Severity::Warning)
            .or(self.issues.len().checked_sub(1));
        if let Some(position) = position {
            let removed = self.issues.remove(position);
            self.count_dropped(removed.severity);
        }

        let dropped = self.dropped_errors + self.dropped_warnings;
        let limit = if self.issues.len() + 1 >= self.max_issues {
            format!("{} issues", self.max_issues)
        } else {
            format!("{} bytes of paths and messages", self.max_text_bytes)
        };
        let severity = if self.dropped_errors > 0 {
            Severity::Error
        } else {
            Severity::Warning
        };
        let message = format!(
            "{} more {} found but not listed ({} {}, {} {}) because the report is limited to {}",
            dropped,
            plural(dropped, "issue was", "issues were"),
            self.dropped_errors,
            plural(self.dropped_errors, "error", "errors"),
            self.dropped_warnings,
            plural(self.dropped_warnings, "warning", "warnings"),
            limit
        );
        self.issues.push(Issue {
            path: Cow::Borrowed(""),
            code: IssueCode::TooManyIssues,
            severity,
            message,
            span: None,
            location: None,
            end_location: None,
        });
        self.issues
    }
}

fn plural(count: usize, one: &'static str, other: &'static str) -> &'static str {
    if count == 1 {
        one
    } else {
        other
    }
}

/// Moves a line and column past `bytes`. Columns count characters, so
/// UTF-8 continuation bytes (0b10xxxxxx) do not count.
fn advance(bytes: &[u8], line: &mut usize, column: &mut usize) {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;

    let mut words = bytes.chunks_exact(8);
    for chunk in &mut words {
        let word = u64::from_le_bytes([
            chunk[0], chunk[1], chunk[2], chunk[3], chunk[4], chunk[5], chunk[6], chunk[7],
        ]);
        let newline = word ^ (ONES * u64::from(b'\n'));
        if (newline.wrapping_sub(ONES) & !newline & HIGHS) != 0 {
            // A word with a newline takes the byte-by-byte path.
            advance_bytes(chunk, line, column);
            continue;
        }
        // Continuation bytes have the high bit set and the next bit clear.
        let continuation = word & HIGHS & !(word << 1);
        *column += 8 - continuation.count_ones() as usize;
    }
    advance_bytes(words.remainder(), line, column);
}

fn advance_bytes(bytes: &[u8], line: &mut usize, column: &mut usize) {
    for &byte in bytes {
        if byte == b'\n' {
            *line += 1;
            *column = 1;
        } else if byte & 0xC0 != 0x80 {
            *column += 1;
        }
    }
}

/// Fills in the locations of every issue with a span, in one pass over the body.
pub(crate) fn locate_issues(bytes: &[u8], issues: &mut [Issue]) {
    // Each target is (offset, issue index, whether it is the end of the span).
    // Reports are small, so the targets usually fit on the stack.
    const STACK_TARGETS: usize = 32;
    let mut on_stack = [(0usize, 0usize, false); STACK_TARGETS];
    let mut on_heap = Vec::new();
    let mut count = 0;
    for (index, issue) in issues.iter().enumerate() {
        if let Some(span) = issue.span {
            for target in [(span.start, index, false), (span.end, index, true)] {
                if count < STACK_TARGETS {
                    on_stack[count] = target;
                } else {
                    if on_heap.is_empty() {
                        on_heap.extend_from_slice(&on_stack);
                    }
                    on_heap.push(target);
                }
                count += 1;
            }
        }
    }
    if count == 0 {
        return;
    }
    let targets: &mut [(usize, usize, bool)] = if count <= STACK_TARGETS {
        &mut on_stack[..count]
    } else {
        &mut on_heap
    };
    targets.sort_unstable();

    let mut line = 1;
    let mut column = 1;
    let mut offset = 0;
    for &mut (target, index, is_end) in targets {
        let target = target.min(bytes.len()).max(offset);
        advance(&bytes[offset..target], &mut line, &mut column);
        offset = target;

        let location = Some(Location { line, column });
        if is_end {
            issues[index].end_location = location;
        } else {
            issues[index].location = location;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The obvious character-by-character count, to check the word-at-a-time one.
    fn naive(text: &str) -> (usize, usize) {
        let mut line = 1;
        let mut column = 1;
        for character in text.chars() {
            if character == '\n' {
                line += 1;
                column = 1;
            } else {
                column += 1;
            }
        }
        (line, column)
    }

    #[test]
    fn advance_matches_naive_count() {
        let pieces = ["a", "\n", "é", "😀", "{\"k\":", "\r\n", "字", "        "];
        let mut seed = 0x2545_f491_u32;
        for _ in 0..2000 {
            let mut text = String::new();
            let length = (seed % 40) as usize;
            for _ in 0..length {
                seed ^= seed << 13;
                seed ^= seed >> 17;
                seed ^= seed << 5;
                text.push_str(pieces[(seed % pieces.len() as u32) as usize]);
            }
            let mut line = 1;
            let mut column = 1;
            advance(text.as_bytes(), &mut line, &mut column);
            assert_eq!((line, column), naive(&text), "{text:?}");
        }
    }
}
