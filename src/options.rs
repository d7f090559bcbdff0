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
}

impl Default for Options {
    fn default() -> Self {
        Options {
            mode: Mode::Lenient,
            max_bytes: DEFAULT_MAX_BYTES,
            max_depth: DEFAULT_MAX_DEPTH,
            max_issues: DEFAULT_MAX_ISSUES,
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
