//! Validation options: the mode and the limits that bound the work done on
//! hostile input.

/// How strictly the payload is held to FreeClimb's reference.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Mode {
    /// For production handlers: rejects what a handler cannot act on and
    /// warns about the rest, so a sender that adds a field or a reason does
    /// not break a live integration.
    #[default]
    Lenient,
    /// For contract tests and the inspector: everything the reference states
    /// is enforced.
    Strict,
}

impl Mode {
    /// Parses `"lenient"` or `"strict"`.
    pub fn from_name(name: &str) -> Option<Mode> {
        match name {
            "lenient" => Some(Mode::Lenient),
            "strict" => Some(Mode::Strict),
            _ => None,
        }
    }

    /// `"lenient"` or `"strict"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Lenient => "lenient",
            Mode::Strict => "strict",
        }
    }
}

/// Default size limit for a body: 1 MiB.
pub const DEFAULT_MAX_BYTES: usize = 1024 * 1024;
/// Default nesting limit; the root object is level 1.
pub const DEFAULT_MAX_DEPTH: usize = 64;
/// Default number of issues in a report, the counting issue included.
pub const DEFAULT_MAX_ISSUES: usize = 100;

/// Options for one validation.
///
/// ```
/// use freeclimb_callstatus::{validate, Mode, Options};
///
/// let options = Options {
///     max_bytes: 64 * 1024,
///     ..Options::strict()
/// };
/// assert_eq!(options.mode, Mode::Strict);
///
/// let report = validate(&vec![b' '; 64 * 1024 + 1], &options);
/// assert_eq!(report.issues[0].code.as_str(), "body_too_large");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Options {
    /// Lenient (the default) or strict.
    pub mode: Mode,
    /// Largest body accepted, in bytes.
    pub max_bytes: usize,
    /// Deepest nesting accepted; the root object is level 1. Values above
    /// 1024 act as 1024, the deepest the reader follows without risking its
    /// stack.
    pub max_depth: usize,
    /// Most issues a report holds. Past it, the last issue counts the rest.
    pub max_issues: usize,
    /// Whether messages hide personal data, so that reports can be logged.
    /// A masked message shows only a leading `+` and the last two
    /// characters of a received `from` or `to` value, and only the last two
    /// digits of any run of five or more digits in other received values
    /// and keys. Off by default, because a person fixing a payload needs to
    /// see what was sent. Paths, codes and spans are never masked.
    pub mask_personal_data: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            mode: Mode::Lenient,
            max_bytes: DEFAULT_MAX_BYTES,
            max_depth: DEFAULT_MAX_DEPTH,
            max_issues: DEFAULT_MAX_ISSUES,
            mask_personal_data: false,
        }
    }
}

impl Options {
    /// Default options in strict mode.
    pub fn strict() -> Self {
        Options {
            mode: Mode::Strict,
            ..Options::default()
        }
    }
}
