//! Input decoding and invariant checks shared by the fuzz targets.
//!
//! Each target reads a few fixed-size control fields from the front of the
//! fuzzer's input and treats the rest as text or body bytes. The layouts are
//! plain byte formats rather than `arbitrary` encodings, so that `seed.py`
//! can write seeds from the fixture corpus without knowing Rust's
//! serialisation. A check that fails panics, which libFuzzer records as a
//! crash.

use freeclimb_callstatus::signature::SignatureError;
use freeclimb_callstatus::{IssueCode, Mode, Options, Report};

/// Reads fixed-size fields from the front of an input. A field that runs
/// past the end reads the missing bytes as zero, so every input decodes.
pub struct Input<'a> {
    rest: &'a [u8],
}

impl<'a> Input<'a> {
    /// Starts reading `data` from its first byte.
    pub fn new(data: &'a [u8]) -> Self {
        Input { rest: data }
    }

    /// Takes `N` bytes, zero-padded when fewer remain.
    pub fn bytes<const N: usize>(&mut self) -> [u8; N] {
        let mut field = [0u8; N];
        let available = N.min(self.rest.len());
        field[..available].copy_from_slice(&self.rest[..available]);
        self.rest = &self.rest[available..];
        field
    }

    /// Takes one byte.
    pub fn u8(&mut self) -> u8 {
        self.bytes::<1>()[0]
    }

    /// Takes a little-endian `u16`.
    pub fn u16(&mut self) -> u16 {
        u16::from_le_bytes(self.bytes())
    }

    /// Takes a little-endian `u32`.
    pub fn u32(&mut self) -> u32 {
        u32::from_le_bytes(self.bytes())
    }

    /// Takes a little-endian `i32`.
    pub fn i32(&mut self) -> i32 {
        i32::from_le_bytes(self.bytes())
    }

    /// Takes a little-endian `u64`.
    pub fn u64(&mut self) -> u64 {
        u64::from_le_bytes(self.bytes())
    }

    /// Takes the bytes up to the next NUL byte and skips the NUL, or takes
    /// everything when there is no NUL.
    pub fn until_nul(&mut self) -> &'a [u8] {
        match self.rest.iter().position(|&byte| byte == 0) {
            Some(end) => {
                let field = &self.rest[..end];
                self.rest = &self.rest[end + 1..];
                field
            }
            None => std::mem::take(&mut self.rest),
        }
    }

    /// Takes everything that is left.
    pub fn rest(self) -> &'a [u8] {
        self.rest
    }
}

/// Builds validation options from two control bytes, so that the fuzzer
/// explores small and extreme limits as well as the defaults.
///
/// - `control[0]` bits 0-3: `max_depth` 0 to 14, or `usize::MAX` for 15
///   (which the reader caps at 1024);
/// - `control[0]` bits 4-5: `max_issues` 0 to 2, or `usize::MAX` for 3;
/// - `control[0]` bit 6: `mask_personal_data` when set;
/// - `control[0]` bit 7: strict mode when set;
/// - `control[1]`: `max_bytes`, `usize::MAX` for 0, `body_length + 1`,
///   `body_length` or `body_length - 1` for 1 to 3 (the boundary), else
///   8 times its value.
pub fn options_from(control: [u8; 2], body_length: usize) -> Options {
    let depth = usize::from(control[0] & 0x0f);
    let issues = usize::from((control[0] >> 4) & 0x03);
    let mode = if control[0] & 0x80 != 0 {
        Mode::Strict
    } else {
        Mode::Lenient
    };
    let max_bytes = match control[1] {
        0 => usize::MAX,
        boundary @ 1..=3 => (body_length + 2).saturating_sub(usize::from(boundary)),
        other => usize::from(other) * 8,
    };
    Options {
        mode,
        max_bytes,
        max_depth: if depth == 15 { usize::MAX } else { depth },
        max_issues: if issues == 3 { usize::MAX } else { issues },
        mask_personal_data: control[0] & 0x40 != 0,
    }
}

/// Codes of the issues that stop the read, each the only issue of its report.
const FATAL_CODES: &[IssueCode] = &[
    IssueCode::EmptyBody,
    IssueCode::InvalidJson,
    IssueCode::InvalidUtf8,
    IssueCode::TrailingData,
    IssueCode::NotAnObject,
    IssueCode::BodyTooLarge,
    IssueCode::TooDeep,
];

/// Returns whether `path` is a JSON Pointer (RFC 6901): empty, or `/`-prefixed
/// tokens in which every `~` is followed by `0` or `1`.
pub fn is_json_pointer(path: &str) -> bool {
    if path.is_empty() {
        return true;
    }
    if !path.starts_with('/') {
        return false;
    }
    let mut characters = path.chars();
    while let Some(character) = characters.next() {
        if character == '~' && !matches!(characters.next(), Some('0' | '1')) {
            return false;
        }
    }
    true
}

/// Panics when `report`, the result of validating `body` with `options`,
/// breaks an invariant that every report keeps.
pub fn check_report(body: &[u8], options: &Options, report: &Report) {
    assert_eq!(
        report.payload.is_some(),
        report.is_valid(),
        "the payload must be present exactly when no issue is an error: {:?}",
        report.issues
    );
    assert!(
        report.issues.len() <= options.max_issues.max(1),
        "{} issues, over the limit of {}",
        report.issues.len(),
        options.max_issues
    );

    for (index, issue) in report.issues.iter().enumerate() {
        assert!(is_json_pointer(&issue.path), "{:?} is not a JSON Pointer", issue.path);
        assert!(!issue.message.is_empty(), "empty message for {:?}", issue.code);
        assert_eq!(
            issue.location.is_some(),
            issue.span.is_some(),
            "location without span: {issue:?}"
        );
        assert_eq!(
            issue.end_location.is_some(),
            issue.span.is_some(),
            "end location without span: {issue:?}"
        );
        if let Some(span) = issue.span {
            assert!(span.start <= span.end, "span {span:?} ends before it starts: {issue:?}");
            assert!(
                span.end <= body.len(),
                "span {span:?} ends past the body's {} bytes: {issue:?}",
                body.len()
            );
        }
        if let (Some(start), Some(end)) = (issue.location, issue.end_location) {
            assert!(
                (start.line, start.column) <= (end.line, end.column),
                "location {start:?} after end location {end:?}: {issue:?}"
            );
        }
        if issue.code == IssueCode::TooManyIssues {
            assert_eq!(index + 1, report.issues.len(), "too_many_issues must be the last issue");
        }
        if FATAL_CODES.contains(&issue.code) {
            assert_eq!(
                report.issues.len(),
                1,
                "a fatal issue must be alone: {:?}",
                report.issues
            );
        }
    }

    if body.len() > options.max_bytes {
        let codes: Vec<IssueCode> = report.issues.iter().map(|issue| issue.code).collect();
        assert_eq!(codes, vec![IssueCode::BodyTooLarge], "oversized body");
    }
    if std::str::from_utf8(body).is_err() {
        assert!(!report.is_valid(), "a body that is not UTF-8 was accepted");
    }

    if let Some(payload) = &report.payload {
        assert_eq!(payload.request_type, "callStatus");
        assert!(
            payload.call_status.is_final(),
            "non-final status {:?} accepted",
            payload.call_status
        );
        assert!(payload.call_id.starts_with("CA"), "callId {:?}", payload.call_id);
        assert_eq!(payload.call_id.len(), 42, "callId {:?}", payload.call_id);
        assert!(
            payload.account_id.starts_with("AC"),
            "accountId {:?}",
            payload.account_id
        );
        assert_eq!(payload.account_id.len(), 42, "accountId {:?}", payload.account_id);
    }
}

/// Panics when strict mode accepts a body that lenient mode rejects:
/// lenient mode only ever turns errors into warnings.
pub fn check_modes_agree(lenient: &Report, strict: &Report) {
    if strict.is_valid() {
        assert!(
            lenient.is_valid(),
            "strict accepts what lenient rejects: {:?}",
            lenient.issues
        );
    }
}

/// Panics when a signature error breaks the contract of its type: a listed
/// code, a non-empty message, and quoted header text cut to 40 characters
/// plus the `...` that marks the cut.
pub fn check_signature_error(error: &SignatureError) {
    assert!(
        SignatureError::CODES.contains(&error.code()),
        "unlisted code {}",
        error.code()
    );
    assert!(!error.to_string().is_empty(), "empty message for {}", error.code());
    match error {
        SignatureError::MalformedHeader { part, .. } => {
            assert!(part.chars().count() <= 43, "quoted part not shortened: {part:?}");
        }
        SignatureError::MissingTimestamp { header } | SignatureError::MissingSignature { header } => {
            assert!(header.chars().count() <= 43, "quoted header not shortened: {header:?}");
        }
        SignatureError::NoMatchingSignature { candidates } => {
            assert!(*candidates >= 1, "no matching signature among zero candidates");
        }
        _ => {}
    }
}
