//! Validation of a raw callStatus body: one pass over the bytes, then the
//! checks that need several fields.

use std::borrow::Cow;

use crate::field::{Field, FIELD_COUNT};
use crate::issue::{locate_issues, Issue, IssueCode, IssueCollector, Report, Severity};
use crate::json::{self, push_pointer_token, DuplicateKey, KeySet, Member, ReadError, Span, SyntaxError, Value, Visitor};
use crate::model::{CallEndedReason, CallStatus, CallStatusPayload, Direction};
use crate::options::{Mode, Options};
use crate::rules::{quote, tolerated_severity, Checker, IdKind, Masking};

/// Validates a raw request body as a callStatus webhook.
///
/// Never panics: every input, including invalid UTF-8 and hostile nesting,
/// produces a [`Report`].
///
/// ```
/// use freeclimb_callstatus::{validate, Options};
///
/// let report = validate(br#"{"requestType":"inboundCall"}"#, &Options::default());
/// assert!(!report.is_valid());
/// assert_eq!(report.issues[0].path, "/requestType");
/// ```
pub fn validate(body: &[u8], options: &Options) -> Report {
    match check(body, options) {
        Outcome::Fatal(report) => *report,
        Outcome::Checked { accepted, issues, .. } => {
            let payload = if issues.has_errors() {
                None
            } else {
                build_payload(accepted)
            };
            finish(body, issues, payload)
        }
    }
}

/// What one pass over a body found. Both [`validate`] and the compact
/// summary for the wasm boundary are built from it, so they share every rule.
// `Checked` is the common case and is moved once per validation; boxing it
// would cost an allocation on every call.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Outcome<'a> {
    /// The body could not be read (too large, not JSON, too deep): a report
    /// with that one issue.
    Fatal(Box<Report>),
    /// The body was read and every rule applied.
    Checked {
        /// The first occurrence of each documented field, as read.
        #[cfg_attr(not(any(target_arch = "wasm32", test)), allow(dead_code))]
        fields: [Option<(Value<'a>, Span)>; FIELD_COUNT],
        /// The values the rules accepted.
        accepted: Accepted<'a>,
        /// Every issue, up to the limit.
        issues: IssueCollector,
    },
}

/// Reads the body and applies every rule, without building a report.
pub(crate) fn check<'a>(body: &'a [u8], options: &Options) -> Outcome<'a> {
    if body.len() > options.max_bytes {
        return Outcome::Fatal(Box::new(oversized_report(body.len() as u64, options.max_bytes, options.max_issues)));
    }

    let mut issues = IssueCollector::new(options.max_issues, body.len());

    let mut walker = BodyWalker {
        checker_mode: options.mode,
        key_masking: if options.mask_personal_data { Masking::DigitRuns } else { Masking::Off },
        issues: &mut issues,
        fields: Default::default(),
        unknown_keys: KeySet::default(),
    };
    if let Err(error) = json::read_object(body, options.max_depth, &mut walker) {
        let mut fatal = IssueCollector::new(options.max_issues, body.len());
        fatal.push(read_error_issue(&error, body));
        return Outcome::Fatal(Box::new(finish(body, fatal, None)));
    }

    let fields = walker.fields;
    let accepted = check_fields(&fields, options.mode, options.mask_personal_data, &mut issues);
    Outcome::Checked {
        fields,
        accepted,
        issues,
    }
}

/// Validates a body given as text; the same as [`validate`] on its UTF-8 bytes.
///
/// ```
/// use freeclimb_callstatus::{validate_str, IssueCode, Options};
///
/// let report = validate_str("{\"requestType\":\"callStatus\"} trailing", &Options::strict());
/// assert_eq!(report.issues.len(), 1);
/// assert_eq!(report.issues[0].code, IssueCode::TrailingData);
/// ```
pub fn validate_str(body: &str, options: &Options) -> Report {
    validate(body.as_bytes(), options)
}

/// The report for a body of `length` bytes, larger than `max_bytes`.
pub(crate) fn oversized_report(length: u64, max_bytes: usize, max_issues: usize) -> Report {
    let mut issues = IssueCollector::new(max_issues, 0);
    issues.push(body_issue(
        IssueCode::BodyTooLarge,
        format!(
            "the body is {} bytes: expected at most {} bytes (the maxBytes option)",
            length, max_bytes
        ),
        None,
    ));
    finish(&[], issues, None)
}

/// The report for a parsed object whose JSON text would be longer than
/// `max_bytes`, found before the object is serialised.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) fn object_too_large_report(max_bytes: usize, max_issues: usize) -> Report {
    let mut issues = IssueCollector::new(max_issues, 0);
    issues.push(body_issue(
        IssueCode::BodyTooLarge,
        format!(
            "the object's JSON text is more than {} bytes: expected at most {} bytes (the maxBytes option)",
            max_bytes, max_bytes
        ),
        None,
    ));
    finish(&[], issues, None)
}

/// The report for a body nested deeper than `max_depth`.
// Only the wasm layer calls this.
#[cfg_attr(not(target_arch = "wasm32"), allow(dead_code))]
pub(crate) fn too_deep_report(max_depth: usize, max_issues: usize) -> Report {
    let error = ReadError {
        error: SyntaxError::TooDeep { max_depth },
        offset: 0,
    };
    let mut issues = IssueCollector::new(max_issues, 0);
    let mut issue = read_error_issue(&error, &[]);
    issue.span = None;
    issues.push(issue);
    finish(&[], issues, None)
}

pub(crate) fn finish(body: &[u8], issues: IssueCollector, payload: Option<CallStatusPayload>) -> Report {
    let mut issues = issues.finish();
    locate_issues(body, &mut issues);
    Report { issues, payload }
}

fn body_issue(code: IssueCode, message: String, offset: Option<usize>) -> Issue {
    Issue {
        path: Cow::Borrowed(""),
        code,
        severity: Severity::Error,
        message,
        span: offset.map(|start| Span { start, end: start + 1 }),
        location: None,
        end_location: None,
    }
}

/// Turns a fatal reading error into the single issue of its report.
fn read_error_issue(error: &ReadError, body: &[u8]) -> Issue {
    let (code, message) = match &error.error {
        SyntaxError::Empty => (
            IssueCode::EmptyBody,
            "the body is empty: expected a JSON object".to_owned(),
        ),
        SyntaxError::ByteOrderMark => (
            IssueCode::InvalidJson,
            "the body starts with a UTF-8 byte-order mark (EF BB BF): expected a JSON object with no byte-order mark, as JSON.parse requires".to_owned(),
        ),
        SyntaxError::UnexpectedEnd { expected } => (
            IssueCode::InvalidJson,
            format!("invalid JSON: the body ends early: expected {}", expected),
        ),
        SyntaxError::UnexpectedCharacter { found, expected } => (
            IssueCode::InvalidJson,
            format!(
                "invalid JSON: unexpected character {}: expected {}",
                describe_char(*found),
                expected
            ),
        ),
        SyntaxError::InvalidUtf8 => (
            IssueCode::InvalidUtf8,
            format!(
                "the body is not valid UTF-8: byte 0x{:02X} at offset {} does not start or continue a UTF-8 character",
                body.get(error.offset).copied().unwrap_or(0),
                error.offset
            ),
        ),
        SyntaxError::ControlCharacterInString(byte) => (
            IssueCode::InvalidJson,
            format!(
                "invalid JSON: control character U+{:04X} inside a string: expected it escaped (for example \\n or \\u{:04x})",
                byte, byte
            ),
        ),
        SyntaxError::InvalidEscape(found) => (
            IssueCode::InvalidJson,
            format!(
                "invalid JSON: invalid escape '\\{}' in a string: expected one of \\\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX",
                found
            ),
        ),
        SyntaxError::InvalidUnicodeEscape => (
            IssueCode::InvalidJson,
            "invalid JSON: invalid \\u escape in a string: expected \\u followed by 4 hexadecimal digits".to_owned(),
        ),
        SyntaxError::LoneSurrogate(unit) => (
            IssueCode::InvalidJson,
            format!(
                "invalid JSON: the escape \\u{:04x} is half of a UTF-16 surrogate pair without its other half, so it is not a Unicode character",
                unit
            ),
        ),
        SyntaxError::InvalidNumber => (
            IssueCode::InvalidJson,
            "invalid JSON: malformed number: expected an optional '-', digits without a leading zero, an optional fraction and exponent".to_owned(),
        ),
        SyntaxError::TrailingData => (
            IssueCode::TrailingData,
            "the body continues after the JSON object: expected only whitespace after the closing '}'".to_owned(),
        ),
        SyntaxError::RootNotObject(kind) => (
            IssueCode::NotAnObject,
            format!("the body is {}: expected a JSON object", kind),
        ),
        SyntaxError::TooDeep { max_depth } => (
            IssueCode::TooDeep,
            format!(
                "the body nests objects or arrays more than {} levels deep (the maxDepth option; the root object is level 1)",
                max_depth
            ),
        ),
    };

    let offset = match error.error {
        SyntaxError::Empty => None,
        _ => Some(error.offset),
    };
    let mut issue = body_issue(code, message, offset);
    // A read that stops at the end of the body has no byte to cover there,
    // so its span is empty rather than one byte past the body.
    if let Some(span) = &mut issue.span {
        span.end = span.end.min(body.len()).max(span.start);
    }
    issue
}

fn describe_char(character: char) -> String {
    if character == '\u{FEFF}' {
        return "U+FEFF (a byte-order mark)".to_owned();
    }
    // Invisible format characters are named by code point so that the
    // message can be read.
    let invisible = matches!(character, '\u{00AD}' | '\u{200B}'..='\u{200F}' | '\u{2060}'..='\u{2064}');
    if character.is_control() || character.is_whitespace() || invisible {
        format!("U+{:04X}", character as u32)
    } else {
        format!("'{}'", character)
    }
}

/// Collects the first occurrence of each documented field and reports
/// duplicate and unknown keys as the reader meets them.
struct BodyWalker<'a, 'c> {
    checker_mode: Mode,
    /// Keys are quoted in messages, and a sender may use a phone number as one.
    key_masking: Masking,
    issues: &'c mut IssueCollector,
    fields: [Option<(Value<'a>, Span)>; FIELD_COUNT],
    /// Undocumented keys seen so far; it allocates only when there are some.
    unknown_keys: KeySet<'a>,
}

impl<'a> Visitor<'a> for BodyWalker<'a, '_> {
    fn member(&mut self, member: Member<'a>) {
        let duplicate = match Field::from_key(&member.key) {
            Some(field) if self.fields[field.index()].is_none() => {
                self.fields[field.index()] = Some((member.value, member.value_span));
                false
            }
            Some(_) => true,
            None if self.unknown_keys.insert(&member.key) => {
                self.unknown_field(&member.key, member.key_span);
                false
            }
            None => true,
        };

        if duplicate {
            self.duplicate_key(DuplicateKey {
                parent_pointer: String::new(),
                key: member.key,
                key_span: member.key_span,
            });
        }
    }

    fn accepts_details(&self) -> bool {
        self.issues.accepts(Severity::Error)
    }

    fn count_duplicate_key(&mut self) {
        self.issues.count_dropped(Severity::Error);
    }

    fn duplicate_key(&mut self, duplicate: DuplicateKey<'a>) {
        let mut path = duplicate.parent_pointer;
        path.push('/');
        push_pointer_token(&mut path, &duplicate.key);
        self.issues.push(Issue {
            path: Cow::Owned(path),
            code: IssueCode::DuplicateKey,
            severity: Severity::Error,
            message: format!(
                "the key {} appears more than once in the same object, so its value is ambiguous: expected each key once",
                quote(&duplicate.key, self.key_masking)
            ),
            span: Some(duplicate.key_span),
            location: None,
            end_location: None,
        });
    }
}

impl BodyWalker<'_, '_> {
    fn unknown_field(&mut self, key: &str, span: Span) {
        let mut path = String::with_capacity(key.len() + 1);
        path.push('/');
        push_pointer_token(&mut path, key);

        let severity = tolerated_severity(self.checker_mode);
        self.issues.push(Issue {
            path: Cow::Owned(path),
            code: IssueCode::UnknownField,
            severity,
            message: format!(
                "the field {} is not part of FreeClimb's callStatus webhook",
                quote(key, self.key_masking)
            ),
            span: Some(span),
            location: None,
            end_location: None,
        });
    }
}

/// Values taken from the body once each field's rule accepted them.
#[derive(Default)]
pub(crate) struct Accepted<'a> {
    pub request_type: bool,
    pub call_id: Option<Cow<'a, str>>,
    pub account_id: Option<Cow<'a, str>>,
    pub from: Option<Cow<'a, str>>,
    pub to: Option<Cow<'a, str>>,
    pub call_status: Option<CallStatus>,
    pub call_ended_reason: Option<CallEndedReason>,
    pub direction: Option<Direction>,
    pub conference_id: Option<Cow<'a, str>>,
    pub queue_id: Option<Cow<'a, str>>,
    pub call_duration: Option<u64>,
    pub recording_url: Option<Cow<'a, str>>,
    pub recording_id: Option<Cow<'a, str>>,
    pub recording_duration_sec: Option<u64>,
    pub parent_call_id: Option<Cow<'a, str>>,
}

/// Applies every field rule and the cross-field rules, and builds the
/// payload from what was accepted.
fn check_fields<'f, 'a: 'f>(
    fields: &'f [Option<(Value<'a>, Span)>; FIELD_COUNT],
    mode: Mode,
    mask_personal_data: bool,
    issues: &mut IssueCollector,
) -> Accepted<'a> {
    let mut checker = Checker { mode, mask_personal_data, issues };
    let mut accepted = Accepted::default();

    // Recording fields sent as null count as absent.
    let present = |field: Field| -> Option<&'f (Value<'a>, Span)> {
        match &fields[field.index()] {
            Some((Value::Null, _)) if is_recording_field(field) => None,
            other => other.as_ref(),
        }
    };

    for field in Field::ALL {
        match present(field) {
            Some((value, span)) => check_present(&mut checker, &mut accepted, field, value, *span),
            None => check_absent(&mut checker, field),
        }
    }

    check_recording_set(&mut checker, &present);
    check_cross_fields(&mut checker, &accepted, &present);

    accepted
}

fn is_recording_field(field: Field) -> bool {
    matches!(
        field,
        Field::RecordingUrl | Field::RecordingId | Field::RecordingDurationSec
    )
}

fn check_present<'a>(
    checker: &mut Checker<'_>,
    accepted: &mut Accepted<'a>,
    field: Field,
    value: &Value<'a>,
    span: Span,
) {
    match field {
        Field::RequestType => accepted.request_type = checker.request_type(value, span),
        Field::CallId => accepted.call_id = checker.id(field, IdKind::Call, value, span),
        Field::AccountId => accepted.account_id = checker.id(field, IdKind::Account, value, span),
        Field::From => accepted.from = checker.phone_number(field, value, span),
        Field::To => accepted.to = checker.phone_number(field, value, span),
        Field::CallStatus => accepted.call_status = checker.call_status(value, span),
        Field::CallEndedReason => {
            accepted.call_ended_reason = checker.call_ended_reason(value, span).ok().flatten();
        }
        Field::Direction => accepted.direction = checker.direction(value, span),
        Field::ConferenceId => {
            accepted.conference_id = checker.null_only(field, value, span).ok().flatten();
        }
        Field::QueueId => accepted.queue_id = checker.null_only(field, value, span).ok().flatten(),
        Field::CallDuration => accepted.call_duration = checker.duration(field, value, span, false),
        Field::RecordingUrl => accepted.recording_url = checker.recording_url(value, span),
        Field::RecordingId => accepted.recording_id = checker.recording_id(value, span),
        Field::RecordingDurationSec => {
            accepted.recording_duration_sec = checker.duration(field, value, span, true);
        }
        Field::ParentCallId => {
            accepted.parent_call_id = checker.parent_call_id(value, span).ok().flatten();
        }
    }
}

fn check_absent(checker: &mut Checker<'_>, field: Field) {
    match field {
        Field::RequestType => checker.missing(field, Severity::Error, "the string \"callStatus\""),
        Field::CallId => checker.missing(field, Severity::Error, "a call id: \"CA\" followed by 40 hexadecimal digits"),
        Field::AccountId => checker.missing(field, Severity::Error, "an account id: \"AC\" followed by 40 hexadecimal digits"),
        Field::From | Field::To => checker.missing(field, Severity::Error, "a phone number string"),
        Field::CallStatus => checker.missing(field, Severity::Error, "one of completed, busy, failed, noAnswer, canceled"),
        Field::Direction => checker.missing(field, Severity::Error, "one of inbound, outbound, outboundAPI, outboundDial"),
        Field::CallEndedReason => checker.missing_tolerated(field, "the reason the call ended (older senders omit it)"),
        Field::CallDuration => checker.missing_tolerated(field, "a string of ASCII digits giving whole seconds"),
        Field::ConferenceId | Field::QueueId => {
            if checker.mode == Mode::Strict {
                checker.missing(field, Severity::Error, "null, which FreeClimb sends on every callStatus request");
            }
        }
        Field::ParentCallId => {
            if checker.mode == Mode::Strict {
                checker.missing(field, Severity::Error, "null or the call id of the parent call, which FreeClimb sends on every callStatus request");
            }
        }
        Field::RecordingUrl | Field::RecordingId | Field::RecordingDurationSec => {}
    }
}

/// The three recording fields come together or not at all.
fn check_recording_set<'f, 'a: 'f>(
    checker: &mut Checker<'_>,
    present: &impl Fn(Field) -> Option<&'f (Value<'a>, Span)>,
) {
    let recording = [Field::RecordingUrl, Field::RecordingId, Field::RecordingDurationSec];
    let count = recording.iter().filter(|field| present(**field).is_some()).count();
    if count == 0 || count == recording.len() {
        return;
    }

    let severity = tolerated_severity(checker.mode);
    for field in recording {
        if present(field).is_none() {
            let message = format!(
                "{} is missing although other recording fields are present: expected recordingUrl, recordingId and recordingDurationSec together",
                field.key()
            );
            checker.report(field, None, IssueCode::IncompleteRecording, severity, message);
        }
    }
}

fn check_cross_fields<'f, 'a: 'f>(
    checker: &mut Checker<'_>,
    accepted: &Accepted<'_>,
    present: &impl Fn(Field) -> Option<&'f (Value<'a>, Span)>,
) {
    let reason_span = present(Field::CallEndedReason).map(|(_, span)| *span);

    if accepted.direction == Some(Direction::OutboundDial) && accepted.parent_call_id.is_none() {
        let valid_but_null = matches!(present(Field::ParentCallId), None | Some((Value::Null, _)));
        if valid_but_null {
            let span = present(Field::ParentCallId).map(|(_, span)| *span);
            checker.report(
                Field::ParentCallId,
                span,
                IssueCode::MissingParentCallId,
                Severity::Warning,
                "parentCallId is missing or null on an outboundDial call: expected the call id of the call that created this leg".to_owned(),
            );
        }
    }

    let Some(CallEndedReason::Known(reason)) = accepted.call_ended_reason else {
        return;
    };
    if let Some(status) = accepted.call_status {
        checker.reason_fits_status(status, reason, reason_span);
    }
    if let Some(direction) = accepted.direction {
        checker.reason_fits_direction(direction, reason, reason_span);
    }
}

pub(crate) fn build_payload(accepted: Accepted<'_>) -> Option<CallStatusPayload> {
    if !accepted.request_type {
        return None;
    }
    Some(CallStatusPayload {
        request_type: "callStatus".to_owned(),
        call_id: accepted.call_id?.into_owned(),
        account_id: accepted.account_id?.into_owned(),
        from: accepted.from?.into_owned(),
        to: accepted.to?.into_owned(),
        call_status: accepted.call_status?,
        call_ended_reason: accepted.call_ended_reason,
        direction: accepted.direction?,
        conference_id: accepted.conference_id.map(Cow::into_owned),
        queue_id: accepted.queue_id.map(Cow::into_owned),
        call_duration: accepted.call_duration,
        recording_url: accepted.recording_url.map(Cow::into_owned),
        recording_id: accepted.recording_id.map(Cow::into_owned),
        recording_duration_sec: accepted.recording_duration_sec,
        parent_call_id: accepted.parent_call_id.map(Cow::into_owned),
    })
}
