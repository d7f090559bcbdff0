//! The rule for each documented field, applied to one value at a time.
//!
//! Every check returns the normalised value when the field is usable and
//! pushes its issues, so a valid body pays nothing for message formatting.

use std::borrow::Cow;

use crate::field::Field;
use crate::issue::{Issue, IssueCode, IssueCollector, Severity};
use crate::json::{Span, Value};
use crate::model::{
    CallEndedReason, CallStatus, Direction, KnownCallEndedReason, MAX_CALL_DURATION_SECONDS,
};
use crate::options::Mode;

/// The longest excerpt of a received value that a message quotes.
const MAX_QUOTED_CHARS: usize = 40;

/// Applies field rules under one mode and records the issues.
pub(crate) struct Checker<'c> {
    pub mode: Mode,
    /// Whether messages hide personal data in received values.
    pub mask_personal_data: bool,
    pub issues: &'c mut IssueCollector,
}

/// The form in which a message shows a received value or key.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Masking {
    /// As received, shortened when long.
    Off,
    /// Each run of five or more digits keeps only its last two digits, which
    /// hides a phone number wherever it was put.
    DigitRuns,
    /// Only a leading `+` and the last two characters stay, for the fields
    /// that carry a caller's or callee's number.
    PhoneNumber,
}

/// The shortest run of digits that masking hides: long enough to leave
/// small counts alone, short enough to catch any local phone number.
const MIN_MASKED_DIGITS: usize = 5;

/// The kind of id a field holds.
#[derive(Clone, Copy)]
pub(crate) enum IdKind {
    Call,
    Account,
    Recording,
}

impl IdKind {
    fn prefix(self) -> &'static str {
        match self {
            IdKind::Call => "CA",
            IdKind::Account => "AC",
            IdKind::Recording => "RE",
        }
    }

    fn expected(self) -> &'static str {
        match self {
            IdKind::Call => "a call id: \"CA\" followed by 40 hexadecimal digits",
            IdKind::Account => "an account id: \"AC\" followed by 40 hexadecimal digits",
            IdKind::Recording => "a recording id: \"RE\" followed by 40 hexadecimal digits",
        }
    }
}

const PHONE_EXPECTED: &str =
    "an E.164 phone number: \"+\" followed by 1 to 15 digits, the first not 0";
const FINAL_STATUSES: &str = "one of completed, busy, failed, noAnswer, canceled";
const DIRECTIONS: &str = "one of inbound, outbound, outboundAPI, outboundDial";
const DIGITS_EXPECTED: &str = "a string of ASCII digits giving whole seconds";

impl Checker<'_> {
    fn tolerated(&self) -> Severity {
        tolerated_severity(self.mode)
    }

    /// Returns the masking for values received in `field`.
    fn masking(&self, field: Field) -> Masking {
        match (self.mask_personal_data, field) {
            (false, _) => Masking::Off,
            (true, Field::From | Field::To) => Masking::PhoneNumber,
            (true, _) => Masking::DigitRuns,
        }
    }

    /// Builds the usual message for a value of `field`:
    /// `<key>: expected <expected>, received <value>`, with the value masked
    /// when personal data is masked.
    fn expected_received(&self, field: Field, expected: &str, value: &Value<'_>) -> String {
        let key = field.key();
        let mut text = String::with_capacity(key.len() + expected.len() + 80);
        text.push_str(key);
        text.push_str(": expected ");
        text.push_str(expected);
        text.push_str(", received ");
        describe_into(&mut text, value, self.masking(field));
        text
    }

    pub fn report(
        &mut self,
        field: Field,
        span: Option<Span>,
        code: IssueCode,
        severity: Severity,
        message: String,
    ) {
        self.issues.push(Issue {
            path: Cow::Borrowed(field.pointer()),
            code,
            severity,
            message,
            span,
            location: None,
            end_location: None,
        });
    }

    fn wrong_type(&mut self, field: Field, value: &Value<'_>, span: Span, expected: &str) {
        let message = self.expected_received(field, expected, value);
        self.report(field, Some(span), IssueCode::WrongType, Severity::Error, message);
    }

    /// Reports an absent field with the given severity.
    pub fn missing(&mut self, field: Field, severity: Severity, expected: &str) {
        let message = message(&[field.key(), " is missing: expected ", expected]);
        self.report(field, None, IssueCode::MissingField, severity, message);
    }

    /// Reports a documented-but-optional field that strict mode requires.
    pub fn missing_tolerated(&mut self, field: Field, expected: &str) {
        let severity = self.tolerated();
        self.missing(field, severity, expected);
    }

    pub fn request_type(&mut self, value: &Value<'_>, span: Span) -> bool {
        let field = Field::RequestType;
        let Value::String(text) = value else {
            self.wrong_type(field, value, span, "the string \"callStatus\"");
            return false;
        };
        if text == "callStatus" {
            return true;
        }
        let message = message(&["requestType: expected \"callStatus\" (this validator reads only callStatus webhooks), received ", &describe(value, self.masking(field))]);
        self.report(field, Some(span), IssueCode::InvalidRequestType, Severity::Error, message);
        false
    }

    pub fn id<'a>(
        &mut self,
        field: Field,
        kind: IdKind,
        value: &Value<'a>,
        span: Span,
    ) -> Option<Cow<'a, str>> {
        let Value::String(text) = value else {
            self.wrong_type(field, value, span, kind.expected());
            return None;
        };
        if is_id(text, kind.prefix()) {
            return Some(text.clone());
        }
        let message = self.expected_received(field, kind.expected(), value);
        self.report(field, Some(span), IssueCode::InvalidId, Severity::Error, message);
        None
    }

    /// `from` and `to`: any string is usable, since a caller id may be withheld.
    pub fn phone_number<'a>(
        &mut self,
        field: Field,
        value: &Value<'a>,
        span: Span,
    ) -> Option<Cow<'a, str>> {
        let Value::String(text) = value else {
            self.wrong_type(field, value, span, PHONE_EXPECTED);
            return None;
        };
        if !is_e164(text) {
            let message = self.expected_received(field, PHONE_EXPECTED, value);
            let severity = self.tolerated();
            self.report(field, Some(span), IssueCode::InvalidPhoneNumber, severity, message);
        }
        Some(text.clone())
    }

    pub fn call_status(&mut self, value: &Value<'_>, span: Span) -> Option<CallStatus> {
        let field = Field::CallStatus;
        let Value::String(text) = value else {
            self.wrong_type(field, value, span, FINAL_STATUSES);
            return None;
        };
        match CallStatus::from_wire(text) {
            Some(status) if status.is_final() => Some(status),
            Some(status) => {
                let message = format!(
                    "callStatus: expected a final status, {}, received \"{}\", which describes a call that has not ended",
                    FINAL_STATUSES, status
                );
                self.report(field, Some(span), IssueCode::NonFinalCallStatus, Severity::Error, message);
                None
            }
            None => {
                let message = self.expected_received(field, FINAL_STATUSES, value);
                self.report(field, Some(span), IssueCode::InvalidCallStatus, Severity::Error, message);
                None
            }
        }
    }

    /// Returns `Err(())` when the value is unusable, `Ok(None)` when it is
    /// null (reported as missing).
    pub fn call_ended_reason(
        &mut self,
        value: &Value<'_>,
        span: Span,
    ) -> Result<Option<CallEndedReason>, ()> {
        let field = Field::CallEndedReason;
        let text = match value {
            Value::String(text) => text,
            Value::Null => {
                let severity = self.tolerated();
                let message = format!(
                    "callEndedReason is null: expected {}",
                    reason_list_expected()
                );
                self.report(field, Some(span), IssueCode::MissingField, severity, message);
                return Ok(None);
            }
            other => {
                self.wrong_type(field, other, span, "a string naming the reason the call ended");
                return Err(());
            }
        };

        let reason = CallEndedReason::from_wire(text);
        if let CallEndedReason::Unknown(_) = reason {
            let message = self.expected_received(field, &reason_list_expected(), value);
            let severity = self.tolerated();
            self.report(field, Some(span), IssueCode::UnknownCallEndedReason, severity, message);
        }
        Ok(Some(reason))
    }

    pub fn direction(&mut self, value: &Value<'_>, span: Span) -> Option<Direction> {
        let field = Field::Direction;
        let Value::String(text) = value else {
            self.wrong_type(field, value, span, DIRECTIONS);
            return None;
        };
        let direction = Direction::from_wire(text);
        if direction.is_none() {
            let message = self.expected_received(field, DIRECTIONS, value);
            self.report(field, Some(span), IssueCode::InvalidDirection, Severity::Error, message);
        }
        direction
    }

    /// `conferenceId` and `queueId`, documented as always null.
    pub fn null_only<'a>(
        &mut self,
        field: Field,
        value: &Value<'a>,
        span: Span,
    ) -> Result<Option<Cow<'a, str>>, ()> {
        match value {
            Value::Null => Ok(None),
            Value::String(text) => {
                let message = self.expected_received(field, "null, which FreeClimb documents for this webhook", value);
                let severity = self.tolerated();
                self.report(field, Some(span), IssueCode::ExpectedNull, severity, message);
                Ok(Some(text.clone()))
            }
            other => {
                self.wrong_type(field, other, span, "null");
                Err(())
            }
        }
    }

    /// `callDuration` and `recordingDurationSec`: a string of digits, with a
    /// JSON integer tolerated in lenient mode. `allow_empty` admits `""` as 0
    /// for a zero-length recording.
    pub fn duration(
        &mut self,
        field: Field,
        value: &Value<'_>,
        span: Span,
        allow_empty: bool,
    ) -> Option<u64> {
        let seconds = match value {
            Value::String(text) if text.is_empty() && allow_empty => return Some(0),
            Value::String(text) if is_digits(text) => parse_seconds(text),
            Value::Number(raw) if is_digits(raw) => {
                let message = message(&[field.key(), ": expected ", DIGITS_EXPECTED, " (a JSON string), received the number ", &shorten(&mask(raw, self.masking(field)))]);
                let severity = self.tolerated();
                self.report(field, Some(span), IssueCode::DurationAsNumber, severity, message);
                parse_seconds(raw)
            }
            Value::String(_) | Value::Number(_) => {
                let message = self.expected_received(field, DIGITS_EXPECTED, value);
                self.report(field, Some(span), IssueCode::InvalidDuration, Severity::Error, message);
                return None;
            }
            other => {
                self.wrong_type(field, other, span, DIGITS_EXPECTED);
                return None;
            }
        };

        let Some(seconds) = seconds else {
            let message = format!(
                "{}: expected {} that fits in 64 bits, received {}",
                field.key(),
                DIGITS_EXPECTED,
                describe(value, self.masking(field))
            );
            self.report(field, Some(span), IssueCode::InvalidDuration, Severity::Error, message);
            return None;
        };

        if seconds > MAX_CALL_DURATION_SECONDS {
            let message = format!(
                "{}: expected at most {} seconds (FreeClimb ends calls after 6 hours), received {} seconds",
                field.key(),
                MAX_CALL_DURATION_SECONDS,
                seconds
            );
            self.report(field, Some(span), IssueCode::DurationAboveMaximum, Severity::Warning, message);
        }
        Some(seconds)
    }

    pub fn recording_url<'a>(&mut self, value: &Value<'a>, span: Span) -> Option<Cow<'a, str>> {
        let field = Field::RecordingUrl;
        let expected = "an absolute http or https URL, or an empty string for a zero-length recording";
        let Value::String(text) = value else {
            self.wrong_type(field, value, span, expected);
            return None;
        };
        if text.is_empty() || is_http_url(text) {
            return Some(text.clone());
        }
        let message = self.expected_received(field, expected, value);
        self.report(field, Some(span), IssueCode::InvalidUrl, Severity::Error, message);
        None
    }

    pub fn recording_id<'a>(&mut self, value: &Value<'a>, span: Span) -> Option<Cow<'a, str>> {
        if let Value::String(text) = value {
            if text.is_empty() {
                return Some(text.clone());
            }
        }
        self.id(Field::RecordingId, IdKind::Recording, value, span)
    }

    /// Returns `Err(())` when unusable, `Ok(None)` for null.
    pub fn parent_call_id<'a>(
        &mut self,
        value: &Value<'a>,
        span: Span,
    ) -> Result<Option<Cow<'a, str>>, ()> {
        if *value == Value::Null {
            return Ok(None);
        }
        match self.id(Field::ParentCallId, IdKind::Call, value, span) {
            Some(id) => Ok(Some(id)),
            None => Err(()),
        }
    }

    /// Checks that `callEndedReason` fits `callStatus`.
    pub fn reason_fits_status(
        &mut self,
        status: CallStatus,
        reason: KnownCallEndedReason,
        span: Option<Span>,
    ) {
        let paired = match status {
            CallStatus::Busy => Some(KnownCallEndedReason::Busy),
            CallStatus::Failed => Some(KnownCallEndedReason::Failed),
            CallStatus::NoAnswer => Some(KnownCallEndedReason::NoAnswer),
            CallStatus::Canceled => Some(KnownCallEndedReason::CallCanceled),
            _ => None,
        };

        let fits = match paired {
            Some(expected) => reason == expected,
            None => reason.ends_connected_call(),
        };
        if fits {
            return;
        }

        let expected = match paired {
            Some(expected) => format!("callEndedReason \"{}\"", expected),
            None => "a reason that ends a connected call (not busy, failed, noAnswer, callCanceled, appReject, voiceDisabled, configErrorNoApplication or configErrorNoVoiceUrl)".to_owned(),
        };
        let message = format!(
            "callEndedReason \"{}\" does not fit callStatus \"{}\": expected {}",
            reason, status, expected
        );
        self.report(
            Field::CallEndedReason,
            span,
            IssueCode::ReasonStatusMismatch,
            Severity::Warning,
            message,
        );
    }

    /// Checks that `callEndedReason` can happen on a call of this direction.
    pub fn reason_fits_direction(
        &mut self,
        direction: Direction,
        reason: KnownCallEndedReason,
        span: Option<Span>,
    ) {
        let message = if direction.is_outbound() && reason.is_inbound_only() {
            format!(
                "callEndedReason \"{}\" only happens on inbound calls, but direction is \"{}\"",
                reason, direction
            )
        } else if !direction.is_outbound() && reason.is_outbound_only() {
            format!(
                "callEndedReason \"{}\" only happens on outbound calls, but direction is \"inbound\"",
                reason
            )
        } else {
            return;
        };
        self.report(
            Field::CallEndedReason,
            span,
            IssueCode::ReasonDirectionMismatch,
            Severity::Warning,
            message,
        );
    }
}

fn reason_list_expected() -> String {
    let mut expected = String::from("one of the documented reasons: ");
    for (index, reason) in KnownCallEndedReason::ALL.iter().enumerate() {
        if index > 0 {
            expected.push_str(", ");
        }
        expected.push_str(reason.as_str());
    }
    expected
}

/// Returns the severity of a departure that lenient mode tolerates: a
/// warning in lenient mode, an error in strict mode.
pub(crate) fn tolerated_severity(mode: Mode) -> Severity {
    match mode {
        Mode::Lenient => Severity::Warning,
        Mode::Strict => Severity::Error,
    }
}

/// Concatenates message parts. Messages are built this way rather than with
/// `format!`, whose machinery is slow in WebAssembly.
pub(crate) fn message(parts: &[&str]) -> String {
    let mut text = String::with_capacity(parts.iter().map(|part| part.len()).sum());
    for part in parts {
        text.push_str(part);
    }
    text
}


/// Describes a received value for a message, quoting strings as JSON and
/// shortening long ones.
pub(crate) fn describe(value: &Value<'_>, masking: Masking) -> String {
    let mut text = String::new();
    describe_into(&mut text, value, masking);
    text
}

fn describe_into(out: &mut String, value: &Value<'_>, masking: Masking) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("the boolean true"),
        Value::Bool(false) => out.push_str("the boolean false"),
        Value::Number(raw) => {
            out.push_str("the number ");
            out.push_str(&shorten(&mask(raw, masking)));
        }
        Value::String(text) => quote_into(out, &mask(text, masking)),
        Value::Object => out.push_str("an object"),
        Value::Array => out.push_str("an array"),
    }
}

/// Quotes `text` as a JSON string, cut after a fixed number of characters.
pub(crate) fn quote(text: &str, masking: Masking) -> String {
    let text = mask(text, masking);
    let mut quoted = String::with_capacity(text.len().min(64) + 2);
    quote_into(&mut quoted, &text);
    quoted
}

/// Hides personal data in a received value before a message quotes it.
pub(crate) fn mask(text: &str, masking: Masking) -> Cow<'_, str> {
    match masking {
        Masking::Off => Cow::Borrowed(text),
        Masking::PhoneNumber => Cow::Owned(mask_phone_number(text)),
        Masking::DigitRuns => mask_digit_runs(text),
    }
}

fn mask_phone_number(text: &str) -> String {
    // Two visible characters of a very short value would give most of it away.
    let count = text.chars().count();
    let visible_from = if count > 4 { count - 2 } else { count };

    let mut masked = String::with_capacity(text.len());
    for (index, character) in text.chars().enumerate() {
        let leading_plus = index == 0 && character == '+';
        if leading_plus || index >= visible_from {
            masked.push(character);
        } else {
            masked.push('*');
        }
    }
    masked
}

fn mask_digit_runs(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let mut masked: Option<String> = None;
    let mut copied = 0;
    let mut index = 0;

    while index < bytes.len() {
        if !bytes[index].is_ascii_digit() {
            index += 1;
            continue;
        }
        let run_start = index;
        while index < bytes.len() && bytes[index].is_ascii_digit() {
            index += 1;
        }
        if index - run_start < MIN_MASKED_DIGITS {
            continue;
        }

        // Digits are ASCII, so both ends of the run are character boundaries.
        let out = masked.get_or_insert_with(|| String::with_capacity(text.len()));
        out.push_str(&text[copied..run_start]);
        for _ in run_start..index - 2 {
            out.push('*');
        }
        out.push_str(&text[index - 2..index]);
        copied = index;
    }

    match masked {
        None => Cow::Borrowed(text),
        Some(mut out) => {
            out.push_str(&text[copied..]);
            Cow::Owned(out)
        }
    }
}

fn quote_into(out: &mut String, text: &str) {
    out.push('"');

    // Up to the limit in bytes, the text also fits the limit in characters,
    // so runs without escapes are copied whole.
    if text.len() <= MAX_QUOTED_CHARS {
        push_json_escaped(out, text);
        out.push('"');
        return;
    }

    for (count, character) in text.chars().enumerate() {
        if count == MAX_QUOTED_CHARS {
            out.push_str("\"… (");
            out.push_str(&text.chars().count().to_string());
            out.push_str(" characters)");
            return;
        }
        push_json_char(out, character);
    }
    out.push('"');
}

fn shorten(raw: &str) -> String {
    if raw.len() <= MAX_QUOTED_CHARS {
        return raw.to_owned();
    }
    format!("{}… ({} characters)", &raw[..MAX_QUOTED_CHARS], raw.len())
}

/// Appends `text` with JSON string escaping. Runs that need none are copied
/// in one go; only quotes, backslashes and control characters go through
/// [`push_json_char`]. All three are ASCII, so every cut falls on a
/// character boundary.
pub(crate) fn push_json_escaped(out: &mut String, text: &str) {
    let bytes = text.as_bytes();
    let mut run_start = 0;
    loop {
        let stop = crate::json::scan_unescaped(bytes, run_start);
        out.push_str(&text[run_start..stop]);
        let Some(&byte) = bytes.get(stop) else {
            break;
        };
        push_json_char(out, byte as char);
        run_start = stop + 1;
    }
}

/// Appends one character with JSON string escaping.
pub(crate) fn push_json_char(out: &mut String, character: char) {
    match character {
        '"' => out.push_str("\\\""),
        '\\' => out.push_str("\\\\"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        control if (control as u32) < 0x20 => {
            out.push_str(&format!("\\u{:04x}", control as u32));
        }
        other => out.push(other),
    }
}

/// Whether `text` is `prefix` followed by 40 hexadecimal digits of either case.
pub(crate) fn is_id(text: &str, prefix: &str) -> bool {
    let bytes = text.as_bytes();
    bytes.len() == 42
        && bytes.starts_with(prefix.as_bytes())
        && bytes[2..].iter().all(|&byte| HEX_DIGIT[byte as usize])
}

static HEX_DIGIT: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = (byte as u8).is_ascii_hexdigit();
        byte += 1;
    }
    table
};

/// Whether `text` is `+` followed by 1 to 15 digits, the first not 0.
pub(crate) fn is_e164(text: &str) -> bool {
    let Some(digits) = text.strip_prefix('+') else {
        return false;
    };
    let bytes = digits.as_bytes();
    (1..=15).contains(&bytes.len())
        && bytes[0] != b'0'
        && bytes.iter().all(u8::is_ascii_digit)
}

fn is_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|byte| byte.is_ascii_digit())
}

/// Parses a run of ASCII digits, or `None` when it overflows 64 bits.
fn parse_seconds(digits: &str) -> Option<u64> {
    let mut seconds = 0u64;
    for byte in digits.bytes() {
        seconds = seconds
            .checked_mul(10)?
            .checked_add(u64::from(byte - b'0'))?;
    }
    Some(seconds)
}

/// Whether `text` is an absolute http or https URL with a host and no
/// whitespace or control characters.
pub(crate) fn is_http_url(text: &str) -> bool {
    let lower_scheme_end = match text.find("://") {
        Some(end) => end,
        None => return false,
    };
    let scheme = &text[..lower_scheme_end];
    if !scheme.eq_ignore_ascii_case("http") && !scheme.eq_ignore_ascii_case("https") {
        return false;
    }
    // ASCII is checked byte by byte; only non-ASCII text pays for Unicode tables.
    let has_space_or_control = if text.is_ascii() {
        text.bytes().any(|byte| byte <= b' ' || byte == 0x7f)
    } else {
        text.chars().any(|character| character.is_whitespace() || character.is_control())
    };
    if has_space_or_control {
        return false;
    }

    let rest = &text[lower_scheme_end + 3..];
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let authority = &rest[..authority_end];
    let host_and_port = match authority.rfind('@') {
        Some(at) => &authority[at + 1..],
        None => authority,
    };
    let host = if host_and_port.starts_with('[') {
        match host_and_port.find(']') {
            Some(close) => {
                let port = &host_and_port[close + 1..];
                if !port.is_empty() && !is_port(port) {
                    return false;
                }
                &host_and_port[..=close]
            }
            None => return false,
        }
    } else {
        match host_and_port.rfind(':') {
            Some(colon) => {
                if !is_port(&host_and_port[colon..]) {
                    return false;
                }
                &host_and_port[..colon]
            }
            None => host_and_port,
        }
    };
    !host.is_empty()
}

/// Whether `text` is `:` followed by 1 to 5 digits.
fn is_port(text: &str) -> bool {
    match text.strip_prefix(':') {
        Some(digits) => (1..=5).contains(&digits.len()) && is_digits(digits),
        None => false,
    }
}
