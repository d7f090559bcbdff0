//! A single-pass JSON reader specialised for webhook bodies.
//!
//! The reader walks the root object and hands each top-level member to the
//! caller as a [`Member`] whose value is already classified. Nested objects
//! and arrays are checked for syntax, depth and duplicate keys but never
//! materialised, because no callStatus field holds one.

use std::borrow::Cow;
use std::collections::BTreeSet;

/// A byte range in the request body, half open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    /// Offset of the first byte.
    pub start: usize,
    /// Offset one past the last byte.
    pub end: usize,
}

/// A top-level value, reduced to what the callStatus rules look at.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Value<'a> {
    Null,
    Bool(bool),
    /// The number exactly as written, already checked against the JSON grammar.
    Number(&'a str),
    String(Cow<'a, str>),
    Object,
    Array,
}

/// One member of the root object.
#[derive(Debug)]
pub(crate) struct Member<'a> {
    pub key: Cow<'a, str>,
    pub key_span: Span,
    pub value: Value<'a>,
    pub value_span: Span,
}

/// Why the body is not JSON the validator can read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum SyntaxError {
    Empty,
    ByteOrderMark,
    UnexpectedEnd { expected: &'static str },
    UnexpectedCharacter { found: char, expected: &'static str },
    InvalidUtf8,
    ControlCharacterInString(u8),
    InvalidEscape(char),
    InvalidUnicodeEscape,
    LoneSurrogate(u16),
    InvalidNumber,
    TrailingData,
    RootNotObject(&'static str),
    TooDeep { max_depth: usize },
}

/// A fatal reading error and the byte offset where it was found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ReadError {
    pub error: SyntaxError,
    pub offset: usize,
}

/// A key that appears more than once in one object, with the JSON Pointer of
/// the object that contains it (empty for the root).
#[derive(Debug)]
pub(crate) struct DuplicateKey<'a> {
    pub parent_pointer: String,
    pub key: Cow<'a, str>,
    pub key_span: Span,
}

/// Receives what the reader finds, in body order.
pub(crate) trait Visitor<'a> {
    /// A member of the root object. Duplicate keys of the root object are
    /// left to the visitor, which tracks the documented fields anyway.
    fn member(&mut self, member: Member<'a>);
    /// A key repeated inside a nested object.
    fn duplicate_key(&mut self, duplicate: DuplicateKey<'a>);
    /// Whether issues are still recorded in full; when not, duplicates are
    /// passed to `count_duplicate_key` without their pointer.
    fn accepts_details(&self) -> bool;
    /// A repeated key past the issue limit.
    fn count_duplicate_key(&mut self);
}

/// The deepest nesting the reader follows, whatever the caller asks for:
/// nested values are read recursively, and this bound keeps the recursion
/// far inside the stack of a wasm module (1 MiB) or a native thread.
pub const MAX_SUPPORTED_DEPTH: usize = 1024;

/// Reads `bytes` as one JSON object and reports its members to `visitor`.
///
/// The root object counts as depth 1; a value nested deeper than
/// `max_depth` stops the read with [`SyntaxError::TooDeep`].
pub(crate) fn read_object<'a>(
    bytes: &'a [u8],
    max_depth: usize,
    visitor: &mut impl Visitor<'a>,
) -> Result<(), ReadError> {
    let mut reader = Reader {
        bytes,
        position: 0,
        max_depth: max_depth.min(MAX_SUPPORTED_DEPTH),
    };
    reader.read_root(visitor)
}

struct Reader<'a> {
    bytes: &'a [u8],
    position: usize,
    max_depth: usize,
}

impl<'a> Reader<'a> {
    fn read_root(&mut self, visitor: &mut impl Visitor<'a>) -> Result<(), ReadError> {
        if self.bytes.starts_with(&[0xEF, 0xBB, 0xBF]) {
            return Err(self.error_at(SyntaxError::ByteOrderMark, 0));
        }

        self.skip_whitespace();
        let Some(first) = self.peek() else {
            return Err(self.error_at(SyntaxError::Empty, 0));
        };

        if first != b'{' {
            return Err(self.root_not_object(first));
        }
        if self.max_depth == 0 {
            return Err(self.error(SyntaxError::TooDeep { max_depth: 0 }));
        }

        self.read_root_members(visitor)?;

        self.skip_whitespace();
        if self.position < self.bytes.len() {
            return Err(self.error(SyntaxError::TrailingData));
        }
        Ok(())
    }

    /// Classifies a non-object root so the message can name what was sent.
    fn root_not_object(&mut self, first: u8) -> ReadError {
        let start = self.position;
        let kind = match first {
            b'[' => "an array",
            b'"' => "a string",
            b't' | b'f' => "a boolean",
            b'n' => "null",
            b'-' | b'0'..=b'9' => "a number",
            _ => return self.unexpected("a JSON object"),
        };

        // Only call the root a string or an array when it really is valid
        // JSON of that kind, with nothing after it; otherwise the syntax
        // error is the better report, as JSON.parse would also reject it.
        let mut pointer = PointerStack::default();
        if let Err(error) = self.skip_value(1, &mut pointer, &mut NoDuplicates) {
            return error;
        }
        self.skip_whitespace();
        if self.position < self.bytes.len() {
            return self.unexpected("the end of the body after the root value");
        }
        self.error_at(SyntaxError::RootNotObject(kind), start)
    }

    fn read_root_members(&mut self, visitor: &mut impl Visitor<'a>) -> Result<(), ReadError> {
        self.position += 1;

        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.position += 1;
            return Ok(());
        }

        loop {
            self.skip_whitespace();
            let (key, key_span) = self.read_key()?;
            self.expect_colon()?;
            self.skip_whitespace();

            let value_start = self.position;
            let value = self.read_member_value(&key, visitor)?;
            let value_span = Span {
                start: value_start,
                end: self.position,
            };

            visitor.member(Member {
                key,
                key_span,
                value,
                value_span,
            });

            if !self.expect_comma_or_end(b'}')? {
                return Ok(());
            }
        }
    }

    fn read_member_value(
        &mut self,
        key: &str,
        visitor: &mut impl Visitor<'a>,
    ) -> Result<Value<'a>, ReadError> {
        let Some(byte) = self.peek() else {
            return Err(self.error(SyntaxError::UnexpectedEnd {
                expected: "a value",
            }));
        };

        match byte {
            b'"' => Ok(Value::String(self.read_string()?)),
            b'{' | b'[' => {
                let mut pointer = PointerStack::default();
                pointer.push_key(key);
                let mut forward = ForwardDuplicates(visitor);
                self.skip_value(2, &mut pointer, &mut forward)?;
                Ok(if byte == b'{' {
                    Value::Object
                } else {
                    Value::Array
                })
            }
            b'-' | b'0'..=b'9' => Ok(Value::Number(self.read_number()?)),
            b't' => self.read_literal("true", Value::Bool(true)),
            b'f' => self.read_literal("false", Value::Bool(false)),
            b'n' => self.read_literal("null", Value::Null),
            _ => Err(self.unexpected("a value")),
        }
    }

    /// Checks one value of any kind without keeping it. `depth` is the depth
    /// the value itself sits at.
    fn skip_value(
        &mut self,
        depth: usize,
        pointer: &mut PointerStack,
        duplicates: &mut impl DuplicateSink<'a>,
    ) -> Result<(), ReadError> {
        let Some(byte) = self.peek() else {
            return Err(self.error(SyntaxError::UnexpectedEnd {
                expected: "a value",
            }));
        };

        match byte {
            b'"' => self.read_string().map(drop),
            b'{' | b'[' => {
                if depth > self.max_depth {
                    return Err(self.error(SyntaxError::TooDeep {
                        max_depth: self.max_depth,
                    }));
                }
                if byte == b'{' {
                    self.skip_object(depth, pointer, duplicates)
                } else {
                    self.skip_array(depth, pointer, duplicates)
                }
            }
            b'-' | b'0'..=b'9' => self.read_number().map(drop),
            b't' => self.read_literal("true", ()),
            b'f' => self.read_literal("false", ()),
            b'n' => self.read_literal("null", ()),
            _ => Err(self.unexpected("a value")),
        }
    }

    fn skip_object(
        &mut self,
        depth: usize,
        pointer: &mut PointerStack,
        duplicates: &mut impl DuplicateSink<'a>,
    ) -> Result<(), ReadError> {
        self.position += 1;
        let mut seen = KeySet::default();

        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.position += 1;
            return Ok(());
        }

        loop {
            self.skip_whitespace();
            let (key, key_span) = self.read_key()?;
            self.expect_colon()?;
            self.skip_whitespace();

            pointer.push_key(&key);
            self.skip_value(depth + 1, pointer, duplicates)?;
            pointer.pop();

            if !seen.insert(&key) {
                // Building the pointer costs its length, so once the report
                // is full a duplicate is only counted.
                if duplicates.accepts_details() {
                    duplicates.report(DuplicateKey {
                        parent_pointer: pointer.to_pointer(),
                        key,
                        key_span,
                    });
                } else {
                    duplicates.count();
                }
            }

            if !self.expect_comma_or_end(b'}')? {
                return Ok(());
            }
        }
    }

    fn skip_array(
        &mut self,
        depth: usize,
        pointer: &mut PointerStack,
        duplicates: &mut impl DuplicateSink<'a>,
    ) -> Result<(), ReadError> {
        self.position += 1;

        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.position += 1;
            return Ok(());
        }

        let mut index = 0usize;
        loop {
            self.skip_whitespace();
            pointer.push_index(index);
            self.skip_value(depth + 1, pointer, duplicates)?;
            pointer.pop();
            index += 1;

            if !self.expect_comma_or_end(b']')? {
                return Ok(());
            }
        }
    }

    fn read_key(&mut self) -> Result<(Cow<'a, str>, Span), ReadError> {
        match self.peek() {
            Some(b'"') => {
                let start = self.position;
                let key = self.read_string()?;
                Ok((
                    key,
                    Span {
                        start,
                        end: self.position,
                    },
                ))
            }
            Some(_) => Err(self.unexpected("a string key in double quotes")),
            None => Err(self.error(SyntaxError::UnexpectedEnd {
                expected: "a string key",
            })),
        }
    }

    fn expect_colon(&mut self) -> Result<(), ReadError> {
        self.skip_whitespace();
        match self.peek() {
            Some(b':') => {
                self.position += 1;
                Ok(())
            }
            Some(_) => Err(self.unexpected("':' after the key")),
            None => Err(self.error(SyntaxError::UnexpectedEnd {
                expected: "':' after the key",
            })),
        }
    }

    /// Consumes a `,` (returns true: another element follows) or the closing
    /// bracket (returns false).
    fn expect_comma_or_end(&mut self, close: u8) -> Result<bool, ReadError> {
        self.skip_whitespace();
        let expected = if close == b'}' {
            "',' or '}'"
        } else {
            "',' or ']'"
        };

        match self.peek() {
            Some(b',') => {
                self.position += 1;
                Ok(true)
            }
            Some(byte) if byte == close => {
                self.position += 1;
                Ok(false)
            }
            Some(_) => Err(self.unexpected(expected)),
            None => Err(self.error(SyntaxError::UnexpectedEnd { expected })),
        }
    }

    /// Reads a string starting at its opening quote. Strings without escapes
    /// are borrowed from the body.
    fn read_string(&mut self) -> Result<Cow<'a, str>, ReadError> {
        self.position += 1;
        let start = self.position;
        let bytes = self.bytes;

        let index = scan_plain_ascii(bytes, start);

        if index < bytes.len() && bytes[index] == b'"' {
            // SAFETY: the scan stops at every byte of 0x80 or above, so the
            // slice is ASCII and therefore valid UTF-8.
            let text = unsafe { std::str::from_utf8_unchecked(&bytes[start..index]) };
            self.position = index + 1;
            return Ok(Cow::Borrowed(text));
        }

        if index < bytes.len() && bytes[index] >= 0x80 {
            return self.read_non_ascii_string(start, index);
        }

        self.position = index;
        let mut decoded = String::with_capacity(index - start + 16);
        decoded.push_str(self.utf8(&bytes[start..index], start)?);
        self.read_escaped_rest(&mut decoded)?;
        Ok(Cow::Owned(decoded))
    }

    /// Continues a string at its first non-ASCII byte. Stays borrowed unless
    /// an escape follows.
    fn read_non_ascii_string(&mut self, start: usize, mut index: usize) -> Result<Cow<'a, str>, ReadError> {
        let bytes = self.bytes;
        while index < bytes.len() {
            let byte = bytes[index];
            if byte == b'"' || byte == b'\\' || byte < 0x20 {
                break;
            }
            index += 1;
        }

        let text = self.utf8(&bytes[start..index], start)?;
        if index < bytes.len() && bytes[index] == b'"' {
            self.position = index + 1;
            return Ok(Cow::Borrowed(text));
        }

        self.position = index;
        let mut decoded = String::with_capacity(index - start + 16);
        decoded.push_str(text);
        self.read_escaped_rest(&mut decoded)?;
        Ok(Cow::Owned(decoded))
    }

    fn read_escaped_rest(&mut self, decoded: &mut String) -> Result<(), ReadError> {
        let bytes = self.bytes;
        loop {
            let run_start = self.position;
            while self.position < bytes.len() {
                let byte = bytes[self.position];
                if byte == b'"' || byte == b'\\' || byte < 0x20 {
                    break;
                }
                self.position += 1;
            }
            decoded.push_str(self.utf8(&bytes[run_start..self.position], run_start)?);

            let Some(byte) = self.peek() else {
                return Err(self.error(SyntaxError::UnexpectedEnd {
                    expected: "'\"' to close the string",
                }));
            };

            match byte {
                b'"' => {
                    self.position += 1;
                    return Ok(());
                }
                b'\\' => self.read_escape(decoded)?,
                control => return Err(self.error(SyntaxError::ControlCharacterInString(control))),
            }
        }
    }

    fn read_escape(&mut self, decoded: &mut String) -> Result<(), ReadError> {
        let escape_start = self.position;
        self.position += 1;
        let Some(byte) = self.peek() else {
            return Err(self.error(SyntaxError::UnexpectedEnd {
                expected: "an escape character after '\\'",
            }));
        };
        self.position += 1;

        let character = match byte {
            b'"' => '"',
            b'\\' => '\\',
            b'/' => '/',
            b'b' => '\u{8}',
            b'f' => '\u{c}',
            b'n' => '\n',
            b'r' => '\r',
            b't' => '\t',
            b'u' => return self.read_unicode_escape(decoded, escape_start),
            other => {
                let found = self.char_at(self.position - 1).unwrap_or(other as char);
                return Err(self.error_at(SyntaxError::InvalidEscape(found), escape_start));
            }
        };
        decoded.push(character);
        Ok(())
    }

    fn read_unicode_escape(&mut self, decoded: &mut String, escape_start: usize) -> Result<(), ReadError> {
        let first = self.read_hex4(escape_start)?;

        let code_point = match first {
            0xD800..=0xDBFF => {
                // A high surrogate must be followed by an escaped low surrogate.
                let rest = &self.bytes[self.position..];
                if !rest.starts_with(b"\\u") {
                    return Err(self.error_at(SyntaxError::LoneSurrogate(first), escape_start));
                }
                let low_start = self.position;
                self.position += 2;
                let second = self.read_hex4(low_start)?;
                if !(0xDC00..=0xDFFF).contains(&second) {
                    return Err(self.error_at(SyntaxError::LoneSurrogate(first), escape_start));
                }
                0x10000 + ((u32::from(first) - 0xD800) << 10) + (u32::from(second) - 0xDC00)
            }
            0xDC00..=0xDFFF => {
                return Err(self.error_at(SyntaxError::LoneSurrogate(first), escape_start));
            }
            other => u32::from(other),
        };

        match char::from_u32(code_point) {
            Some(character) => {
                decoded.push(character);
                Ok(())
            }
            None => Err(self.error_at(SyntaxError::InvalidUnicodeEscape, escape_start)),
        }
    }

    fn read_hex4(&mut self, escape_start: usize) -> Result<u16, ReadError> {
        let Some(digits) = self.bytes.get(self.position..self.position + 4) else {
            return Err(self.error_at(SyntaxError::InvalidUnicodeEscape, escape_start));
        };

        let mut value = 0u16;
        for &digit in digits {
            let nibble = match digit {
                b'0'..=b'9' => digit - b'0',
                b'a'..=b'f' => digit - b'a' + 10,
                b'A'..=b'F' => digit - b'A' + 10,
                _ => return Err(self.error_at(SyntaxError::InvalidUnicodeEscape, escape_start)),
            };
            value = (value << 4) | u16::from(nibble);
        }
        self.position += 4;
        Ok(value)
    }

    /// Reads a number by the JSON grammar: `-? (0 | [1-9][0-9]*) (\.[0-9]+)? ([eE][+-]?[0-9]+)?`.
    fn read_number(&mut self) -> Result<&'a str, ReadError> {
        let start = self.position;
        let bytes = self.bytes;

        if self.peek() == Some(b'-') {
            self.position += 1;
        }

        match self.peek() {
            Some(b'0') => self.position += 1,
            Some(b'1'..=b'9') => self.skip_digits(),
            _ => return Err(self.error_at(SyntaxError::InvalidNumber, start)),
        }

        if self.peek() == Some(b'.') {
            self.position += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.error_at(SyntaxError::InvalidNumber, start));
            }
            self.skip_digits();
        }

        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.position += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.position += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.error_at(SyntaxError::InvalidNumber, start));
            }
            self.skip_digits();
        }

        // A digit right after "0" (as in 012) is not JSON.
        if matches!(self.peek(), Some(b'0'..=b'9')) {
            return Err(self.error_at(SyntaxError::InvalidNumber, start));
        }

        // The grammar above admits only ASCII, so this cannot fail.
        Ok(std::str::from_utf8(&bytes[start..self.position]).unwrap_or_default())
    }

    fn skip_digits(&mut self) {
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.position += 1;
        }
    }

    fn read_literal<T>(&mut self, literal: &'static str, value: T) -> Result<T, ReadError> {
        let end = self.position + literal.len();
        if self.bytes.get(self.position..end) == Some(literal.as_bytes()) {
            self.position = end;
            return Ok(value);
        }

        // Point at the first byte that differs, as JSON.parse does.
        let mut offset = self.position;
        for &expected in literal.as_bytes() {
            if self.bytes.get(offset) != Some(&expected) {
                break;
            }
            offset += 1;
        }
        self.position = offset;
        if offset >= self.bytes.len() {
            return Err(self.error(SyntaxError::UnexpectedEnd { expected: literal }));
        }
        Err(self.unexpected(literal))
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.position += 1;
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.position).copied()
    }

    fn utf8(&self, raw: &'a [u8], start: usize) -> Result<&'a str, ReadError> {
        std::str::from_utf8(raw).map_err(|error| {
            self.error_at(SyntaxError::InvalidUtf8, start + error.valid_up_to())
        })
    }

    /// Decodes the character at `offset` for a message, or `None` when the
    /// bytes there are not UTF-8.
    fn char_at(&self, offset: usize) -> Option<char> {
        let tail = self.bytes.get(offset..)?;
        let prefix = &tail[..tail.len().min(4)];
        let text = match std::str::from_utf8(prefix) {
            Ok(text) => text,
            Err(error) => std::str::from_utf8(&prefix[..error.valid_up_to()]).ok()?,
        };
        text.chars().next()
    }

    fn unexpected(&self, expected: &'static str) -> ReadError {
        match self.char_at(self.position) {
            Some(found) => self.error(SyntaxError::UnexpectedCharacter { found, expected }),
            None if self.position >= self.bytes.len() => {
                self.error(SyntaxError::UnexpectedEnd { expected })
            }
            None => self.error(SyntaxError::InvalidUtf8),
        }
    }

    fn error(&self, error: SyntaxError) -> ReadError {
        self.error_at(error, self.position)
    }

    fn error_at(&self, error: SyntaxError, offset: usize) -> ReadError {
        ReadError { error, offset }
    }
}

/// Returns the offset of the first byte at or after `start` that ends the
/// plain ASCII run of a string (see [`STRING_STOP`]), or the body length.
#[inline]
fn scan_plain_ascii(bytes: &[u8], start: usize) -> usize {
    let index = skip_plain_words::<true>(bytes, start);
    scan_bytes(bytes, index, |byte| STRING_STOP[byte as usize])
}

/// Returns the offset of the first quote, backslash or control character at
/// or after `start`: the bytes a JSON string must escape.
#[inline]
pub(crate) fn scan_unescaped(bytes: &[u8], start: usize) -> usize {
    let index = skip_plain_words::<false>(bytes, start);
    scan_bytes(bytes, index, |byte| byte == b'"' || byte == b'\\' || byte < 0x20)
}

fn scan_bytes(bytes: &[u8], mut index: usize, stop: impl Fn(u8) -> bool) -> usize {
    while index < bytes.len() && !stop(bytes[index]) {
        index += 1;
    }
    index
}

/// Skips eight bytes at a time while no byte in the word is a quote, a
/// backslash or below 0x20, nor, with `STOP_AT_NON_ASCII`, 0x80 or above.
#[inline]
fn skip_plain_words<const STOP_AT_NON_ASCII: bool>(bytes: &[u8], start: usize) -> usize {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;

    let mut index = start;
    while let Some(chunk) = bytes.get(index..index + 8) {
        let word = u64::from_le_bytes([
            chunk[0], chunk[1], chunk[2], chunk[3], chunk[4], chunk[5], chunk[6], chunk[7],
        ]);
        let quote = word ^ (ONES * u64::from(b'"'));
        let backslash = word ^ (ONES * u64::from(b'\\'));
        // A byte is zero in `x` exactly when (x - 1) borrows into its high bit
        // while x's own high bit is clear; the same test finds bytes below 0x20.
        let mut special = (quote.wrapping_sub(ONES) & !quote)
            | (backslash.wrapping_sub(ONES) & !backslash)
            | (word.wrapping_sub(ONES * 0x20) & !word);
        if STOP_AT_NON_ASCII {
            special |= word;
        }
        if special & HIGHS != 0 {
            break;
        }
        index += 8;
    }
    index
}

/// Bytes that end the fast scan of a string: the closing quote, a
/// backslash, control characters, and every non-ASCII byte (which needs a
/// UTF-8 check).
static STRING_STOP: [bool; 256] = {
    let mut table = [false; 256];
    let mut byte = 0;
    while byte < 256 {
        table[byte] = byte < 0x20 || byte >= 0x80 || byte == b'"' as usize || byte == b'\\' as usize;
        byte += 1;
    }
    table
};

/// Keys already seen in one object. Small objects use a linear scan; the
/// set takes over past a few keys so that a body with many thousands of
/// keys stays linear-logarithmic rather than quadratic.
#[derive(Default)]
pub(crate) struct KeySet<'k> {
    few: Vec<Cow<'k, str>>,
    many: BTreeSet<Cow<'k, str>>,
}

const LINEAR_KEY_LIMIT: usize = 24;

impl<'k> KeySet<'k> {
    /// Returns false when the key was already present.
    // The Cow is taken whole so a borrowed key is stored without copying it.
    #[allow(clippy::ptr_arg)]
    pub(crate) fn insert(&mut self, key: &Cow<'k, str>) -> bool {
        if self.many.is_empty() {
            if self.few.iter().any(|seen| seen == key) {
                return false;
            }
            if self.few.len() < LINEAR_KEY_LIMIT {
                self.few.push(key.clone());
                return true;
            }
            self.many.extend(self.few.drain(..));
        }
        self.many.insert(key.clone())
    }
}

/// Receives duplicate keys found inside nested values.
trait DuplicateSink<'a> {
    fn report(&mut self, duplicate: DuplicateKey<'a>);
    /// Whether a duplicate is still reported in full rather than counted.
    fn accepts_details(&self) -> bool;
    fn count(&mut self);
}

struct NoDuplicates;

impl<'a> DuplicateSink<'a> for NoDuplicates {
    fn report(&mut self, _duplicate: DuplicateKey<'a>) {}

    fn accepts_details(&self) -> bool {
        false
    }

    fn count(&mut self) {}
}

struct ForwardDuplicates<'v, V>(&'v mut V);

impl<'a, V: Visitor<'a>> DuplicateSink<'a> for ForwardDuplicates<'_, V> {
    fn report(&mut self, duplicate: DuplicateKey<'a>) {
        self.0.duplicate_key(duplicate);
    }

    fn accepts_details(&self) -> bool {
        self.0.accepts_details()
    }

    fn count(&mut self) {
        self.0.count_duplicate_key();
    }
}

/// The JSON Pointer of the value being skipped, kept only as segments so
/// that valid input never formats a pointer.
#[derive(Default)]
struct PointerStack {
    segments: Vec<Segment>,
}

enum Segment {
    Key(String),
    Index(usize),
}

impl PointerStack {
    fn push_key(&mut self, key: &str) {
        self.segments.push(Segment::Key(key.to_owned()));
    }

    fn push_index(&mut self, index: usize) {
        self.segments.push(Segment::Index(index));
    }

    fn pop(&mut self) {
        self.segments.pop();
    }

    fn to_pointer(&self) -> String {
        let mut pointer = String::new();
        for segment in &self.segments {
            pointer.push('/');
            match segment {
                Segment::Key(key) => push_pointer_token(&mut pointer, key),
                Segment::Index(index) => pointer.push_str(&index.to_string()),
            }
        }
        pointer
    }
}

/// Appends `token` to a JSON Pointer with `~` and `/` escaped (RFC 6901).
pub(crate) fn push_pointer_token(pointer: &mut String, token: &str) {
    for character in token.chars() {
        match character {
            '~' => pointer.push_str("~0"),
            '/' => pointer.push_str("~1"),
            other => pointer.push(other),
        }
    }
}
