//! The one error type of the crate: what was wrong, and where.

use core::fmt;

use crate::code::ReplyCode;

/// An error: what was wrong ([`ErrorKind`]), the byte offset where it was
/// found, where the bytes it stands for end, and the code of the answer it
/// consumed.
///
/// # Offsets
///
/// [`offset`](Self::offset) and [`end`](Self::end) count from the first
/// byte of the bytes the function that returned the error was given, the
/// ones the problem is in: its input for a fault in what it read (the
/// `input` of [`parse_complete`](crate::parse_complete) and
/// [`parse_streaming`](crate::parse_streaming), the `text` or `line` of a
/// payload parser such as
/// [`Timestamp::parse`](crate::payload::Timestamp::parse),
/// [`Reply::as_bytes`](crate::Reply::as_bytes) for a [`Reply`](crate::Reply)
/// accessor, the argument of [`Command::write_to`](crate::Command::write_to)),
/// its output for a write that could not be done (where the write stopped:
/// how many bytes that call had written).
///
/// So [`ErrorKind::WrongCode`] is at 0, where a reply's code stands;
/// [`ErrorKind::BufferFull`] and a value that cannot be written
/// ([`PayloadError::Unencodable`], [`PayloadError::NotUtf8`] from a
/// `core::fmt::Write` writer) are at the count of bytes written before
/// them. The one exception is the [`Decoder`](crate::Decoder), whose
/// offsets count from the first byte ever pushed into it (its stream
/// offset).
///
/// # What an error consumed
///
/// A framing error stands for a whole item of the stream, never less: the
/// line at fault, or, once a line `ddd-` has opened a block, the whole block
/// through its closing line (or through the end of the input, for
/// [`parse_complete`](crate::parse_complete), when no line closes it). So
/// the closing line of a broken block never comes out as a reply of its
/// own: one reply per reply. [`end`](Self::end) is where that item ends
/// and the next one starts; [`resume_after`](crate::resume_after) returns
/// it. [`code`](Self::code) is the item's reply code when its first three
/// bytes are one: then the server's answer with that code was consumed by
/// the error, and a client that pairs replies with commands knows which
/// answer it lost (see [`ErrorKind`] for each kind).
///
/// The type is `Copy`: 32 bytes on a 64-bit target, 20 on a 32-bit one
/// (checked by const assertions that the thumb builds compile).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Error {
    kind: ErrorKind,
    offset: usize,
    end: usize,
    code: Option<ReplyCode>,
}

#[cfg(target_pointer_width = "64")]
const _: () = assert!(core::mem::size_of::<Error>() == 32);
#[cfg(target_pointer_width = "32")]
const _: () = assert!(core::mem::size_of::<Error>() == 20);

impl Error {
    /// Builds an error of `kind` at `offset`, standing for no bytes beyond
    /// it and carrying no code.
    #[must_use]
    pub const fn new(kind: ErrorKind, offset: usize) -> Self {
        Error {
            kind,
            offset,
            end: offset,
            code: None,
        }
    }

    /// An error standing for the item that ends at `end` (at least
    /// `offset`), carrying `code`.
    #[must_use]
    pub(crate) const fn item(
        kind: ErrorKind,
        offset: usize,
        end: usize,
        code: Option<ReplyCode>,
    ) -> Self {
        Error {
            kind,
            offset,
            end: if end > offset { end } else { offset },
            code,
        }
    }

    /// A payload error of `kind` at `offset`.
    pub(crate) const fn payload(kind: PayloadError, offset: usize) -> Self {
        Error::new(ErrorKind::Payload(kind), offset)
    }

    /// The same error, standing for the bytes up to `end`.
    #[must_use]
    pub(crate) const fn ending_at(mut self, end: usize) -> Self {
        self.end = end;
        self
    }

    /// The same error, carrying `code`.
    #[must_use]
    pub(crate) const fn with_code(mut self, code: Option<ReplyCode>) -> Self {
        self.code = code;
        self
    }

    /// What was wrong.
    #[must_use]
    pub const fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// The byte offset at which the problem was found.
    #[must_use]
    pub const fn offset(&self) -> usize {
        self.offset
    }

    /// Where the bytes this error stands for end (at least
    /// [`offset`](Self::offset), but for a [`Decoder`](crate::Decoder)'s
    /// offsets that wrapped past `usize::MAX`): for a framing error, just past the line
    /// end of the line at fault or of the line that closed the broken
    /// block, or the end of the input.
    #[must_use]
    pub const fn end(&self) -> usize {
        self.end
    }

    /// The reply code of the answer this error consumed, when the item at
    /// fault started with a valid code (`None` for
    /// [`ErrorKind::InvalidCode`] and for payload errors). With
    /// [`any_code_ends_block`](crate::ParserConfig::any_code_ends_block),
    /// the answer of a block that another code closed is that code, as
    /// [`Reply::code`](crate::Reply::code) of such a block is.
    #[must_use]
    pub const fn code(&self) -> Option<ReplyCode> {
        self.code
    }

    /// The same error with its offsets moved by `by` bytes (used when the
    /// input handed to a parser was a slice of a larger buffer).
    #[must_use]
    pub const fn shifted(self, by: usize) -> Self {
        Error {
            kind: self.kind,
            offset: self.offset.saturating_add(by),
            end: self.end.saturating_add(by),
            code: self.code,
        }
    }
}

/// What was wrong with the input.
///
/// For each framing kind, what the error consumed (see [`Error`]): the
/// item it stands for is skipped whole, and [`Error::code`] says which
/// answer that was when the item started with a valid code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum ErrorKind {
    /// A line that should start a reply does not start with three digits
    /// whose first is 1 to 6. The offset is the first byte that cannot be
    /// part of a code (`2x0` at 1, an empty line at 0). Consumes that line;
    /// no answer (no code).
    InvalidCode,
    /// The three digits of the code are followed by something other than a
    /// space, a hyphen or the end of the line. Consumes that line; it was
    /// meant as an answer with that code ([`Error::code`]).
    MissingSeparator,
    /// A NUL byte inside a line, refused as curl does, since it truncates
    /// C strings. (RFC 2640 sends a CR inside a pathname as `CR NUL`,
    /// Telnet's lone CR: [`telnet::Telnet`](crate::telnet::Telnet) takes
    /// that NUL out before the parser reads the line.)
    /// Consumes the answer it is in: its line, or its whole block through
    /// the closing line, with the code.
    NulByte,
    /// The input ended inside a line (complete parsing and
    /// [`Decoder::finish`](crate::Decoder::finish) only). Consumes the rest
    /// of the input, with the code when three digits were there. A NUL
    /// byte before the end is reported instead ([`NulByte`](Self::NulByte),
    /// standing for the same bytes).
    UnterminatedLine,
    /// The input ended inside a multi-line block, after its first line and
    /// before the line end of its last (a closing line that the input cuts
    /// is this kind too), in complete parsing and
    /// [`Decoder::finish`](crate::Decoder::finish) only. Consumes the rest
    /// of the input, with the block's code. A NUL byte in the block, or a
    /// line over [`max_lines`](crate::ParserConfig::max_lines), is reported
    /// instead ([`NulByte`](Self::NulByte), [`TooManyLines`](Self::TooManyLines),
    /// standing for the same bytes).
    UnterminatedBlock,
    /// A multi-line block's `limit`-th line does not close it
    /// ([`ParserConfig::max_lines`](crate::ParserConfig::max_lines)), so the
    /// block has more than `limit` lines: the offset is where the first
    /// line over the limit starts, the end of the `limit`-th line. In
    /// complete parsing the input may end there (`211-a\r\n` with a limit
    /// of 1: this kind at 7, not
    /// [`UnterminatedBlock`](Self::UnterminatedBlock)). Consumes the
    /// whole block through its closing line, or the rest of the input, with
    /// the code.
    TooManyLines {
        /// The configured limit (saturated at `u32::MAX`).
        limit: u32,
    },
    /// The reply's code does not carry the payload that was asked for. The
    /// offset is 0, where the reply's code stands in its bytes.
    WrongCode,
    /// A payload is malformed, or a value cannot be written; the detail
    /// says which. A payload error is not a framing error: the reply itself
    /// was parsed and consumed, and the error stands for no more bytes.
    Payload(PayloadError),
    /// The output is too small for what was to be written into it. The
    /// offset is where the write stopped in that output: how many bytes
    /// this call wrote before it.
    BufferFull,
}

/// Why a typed payload was refused, or a value could not be written.
///
/// One enum for every payload, the 227 tuple included (its own kinds, from
/// [`FieldTooLarge`](Self::FieldTooLarge) to
/// [`TruncatedTuple`](Self::TruncatedTuple), say what was wrong with one
/// of its six fields).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum PayloadError {
    /// The payload the code promises is not in the text (for a 227: no
    /// number at all).
    Missing,
    /// A 227 field holds a number above 255 (however many digits it has).
    FieldTooLarge,
    /// A 227 field is empty (`1,,2`).
    EmptyField,
    /// A 227 field is negative (`-1`).
    NegativeField,
    /// A 227 field holds something other than decimal digits (`0x7f`,
    /// `12a`).
    NonDecimalField,
    /// The 227 tuple has this many numbers, not six (`=1,2,3,4,5`, or
    /// `(1,2,3,4,5)` closed early).
    WrongFieldCount(u8),
    /// The 227 text ends where the tuple needs more: after a comma
    /// (`=1,2,3,4,`), or inside a `(` that opened it before its sixth
    /// number (`(1,2,3,4,5`).
    TruncatedTuple,
    /// A number is malformed or out of range.
    BadNumber,
    /// The delimiters of a 229 `(|||port|)` are missing or differ.
    BadDelimiter,
    /// A port of 0, or above 65535.
    BadPort,
    /// A 257 pathname has no closing quote.
    UnterminatedQuote,
    /// A 257 pathname holds a CR, LF or NUL, which would let a server smuggle
    /// a second command into a client that sends the path back.
    ForbiddenByte,
    /// A time stamp with a field out of range (month 13, 31 April, hour 24).
    BadTime,
    /// A malformed MLST fact (`name=value;`).
    BadFact,
    /// Malformed base64.
    BadBase64,
    /// A command argument holds CR, LF or NUL.
    ForbiddenArgument,
    /// Text that must be UTF-8 here is not.
    NotUtf8,
    /// A value that cannot be written as a reply (such as a middle line of
    /// a block holding CR or LF, or a feature name with a space).
    Unencodable,
    /// A 228's tuple is not one of the two forms servers send (RFC 1639:
    /// family 4 with a 4-byte address, or 6 with 16 bytes, and a 2-byte
    /// port).
    UnsupportedAddress,
    /// The reply was longer than the [`Decoder`](crate::Decoder)'s buffer
    /// ([`Reply::is_truncated`](crate::Reply::is_truncated)): its text was
    /// cut, and a number or a name read from it could be a wrong one (a
    /// size of `213 1234567` cut to `213 1234`), so no value is read. The
    /// offset is where the bytes held end.
    Truncated,
}

impl fmt::Display for PayloadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            PayloadError::WrongFieldCount(1) => "227 tuple has 1 number instead of 6",
            PayloadError::WrongFieldCount(n) => {
                return write!(f, "227 tuple has {n} numbers instead of 6");
            }
            PayloadError::Missing => "payload missing",
            PayloadError::FieldTooLarge => "227 field above 255",
            PayloadError::EmptyField => "227 field empty",
            PayloadError::NegativeField => "227 field negative",
            PayloadError::NonDecimalField => "227 field not a decimal number",
            PayloadError::TruncatedTuple => "227 tuple cut short",
            PayloadError::BadNumber => "malformed number",
            PayloadError::BadDelimiter => "bad or mismatched delimiters",
            PayloadError::BadPort => "port out of range",
            PayloadError::UnterminatedQuote => "pathname has no closing quote",
            PayloadError::ForbiddenByte => "pathname holds cr, lf or nul",
            PayloadError::BadTime => "time stamp out of range",
            PayloadError::BadFact => "malformed fact",
            PayloadError::Truncated => "reply cut to fit the buffer",
            PayloadError::BadBase64 => "malformed base64",
            PayloadError::ForbiddenArgument => "argument holds cr, lf or nul",
            PayloadError::NotUtf8 => "not utf-8",
            PayloadError::Unencodable => "value cannot be written as a reply",
            PayloadError::UnsupportedAddress => "228 address family or length not supported",
        })
    }
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ErrorKind::InvalidCode => f.write_str("invalid reply code"),
            ErrorKind::MissingSeparator => f.write_str("missing space or hyphen after reply code"),
            ErrorKind::NulByte => f.write_str("nul byte in line"),
            ErrorKind::UnterminatedLine => f.write_str("unterminated line"),
            ErrorKind::UnterminatedBlock => f.write_str("unterminated multi-line block"),
            ErrorKind::TooManyLines { limit } => write!(f, "block has more than {limit} lines"),
            ErrorKind::WrongCode => f.write_str("reply code does not carry this payload"),
            ErrorKind::Payload(e) => write!(f, "bad payload: {e}"),
            ErrorKind::BufferFull => f.write_str("buffer full"),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} at byte {}", self.kind, self.offset)
    }
}

impl core::error::Error for Error {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_stays_small() {
        #[cfg(target_pointer_width = "64")]
        assert_eq!(core::mem::size_of::<Error>(), 32);
        #[cfg(target_pointer_width = "32")]
        assert_eq!(core::mem::size_of::<Error>(), 20);
    }
}
