//! The private nom 8 grammar.
//!
//! Each rule is a `nom::Parser` whose `process::<OM>` honours the output
//! mode it is called in (never a closure, never `::streaming` or
//! `::complete` leaves), so the two entry points pick the mode once, at the
//! top, with `.parse()` or `.parse_complete()` (STYLE 2.6). The leaves are
//! hand-written (the code digits, the separator, the text line with a
//! memchr scan); `ReplyRule` composes them with nom's tuple. No nom type
//! leaves this module.

pub(crate) mod rfc959;

use nom::error::ParseError;
use nom::{Err, Parser};

use crate::code::ReplyCode;
use crate::config::ParserConfig;
use crate::error::{Error, ErrorKind};
use crate::progress::Progress;
use crate::reply::Reply;

/// The grammar's error: where (the rest of the input) and what.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct GrammarError<'a> {
    pub(crate) input: &'a [u8],
    pub(crate) kind: ErrorKind,
    /// The input after the item the error stands for, when the rule knows
    /// it (a block); `None`: the item ends at the first LF at or after the
    /// error.
    pub(crate) rest: Option<&'a [u8]>,
    /// The item's code, when its first three bytes are one.
    pub(crate) code: Option<ReplyCode>,
}

impl<'a> GrammarError<'a> {
    pub(crate) const fn new(input: &'a [u8], kind: ErrorKind) -> Self {
        GrammarError {
            input,
            kind,
            rest: None,
            code: None,
        }
    }

    pub(crate) const fn ending(mut self, rest: &'a [u8], code: Option<ReplyCode>) -> Self {
        self.rest = Some(rest);
        self.code = code;
        self
    }

    pub(crate) const fn with_code(mut self, code: Option<ReplyCode>) -> Self {
        self.code = code;
        self
    }
}

impl<'a> ParseError<&'a [u8]> for GrammarError<'a> {
    fn from_error_kind(input: &'a [u8], _kind: nom::error::ErrorKind) -> Self {
        // The leaves are this crate's own `Parser`s, which build their
        // errors with the precise kind; nom's combinators (the tuple of
        // the head of `ReplyRule`) only pass those through. This is a fallback.
        GrammarError::new(input, ErrorKind::InvalidCode)
    }

    fn append(_input: &'a [u8], _kind: nom::error::ErrorKind, other: Self) -> Self {
        other
    }
}

/// Where `rest` starts inside `input`.
#[inline]
fn offset_in(input: &[u8], rest: &[u8]) -> usize {
    input.len().saturating_sub(rest.len())
}

/// The public error for `e`, standing for its whole item. `None` when the
/// item has not ended yet (no LF after the error) and `streaming`: that
/// asks for more input, so that an error is reported once, whole.
fn to_error(input: &[u8], e: &GrammarError<'_>, streaming: bool) -> Option<Error> {
    let offset = offset_in(input, e.input);
    let end = match e.rest {
        Some(rest) => offset_in(input, rest),
        None => match line_end_from(input, offset) {
            Some(end) => end,
            None if streaming => return None,
            None => input.len(),
        },
    };
    Some(Error::item(e.kind, offset, end, e.code))
}

/// Just past the first LF at or after `offset`.
fn line_end_from(input: &[u8], offset: usize) -> Option<usize> {
    let from = input.get(offset..)?;
    crate::scan::find(b'\n', from).map(|i| offset.saturating_add(i).saturating_add(1))
}

/// The entry points live with the grammar: `config.rs` holds only the
/// settings, so the two modules do not import each other.
impl ParserConfig {
    /// Parses one reply from the start of `input`, which holds everything
    /// there is: an input that ends inside a reply is an error.
    ///
    /// Returns the rest of the input after the reply, and the reply.
    ///
    /// # Errors
    /// [`ErrorKind::InvalidCode`],
    /// [`MissingSeparator`](crate::ErrorKind::MissingSeparator),
    /// [`NulByte`](crate::ErrorKind::NulByte),
    /// [`UnterminatedLine`](crate::ErrorKind::UnterminatedLine),
    /// [`UnterminatedBlock`](crate::ErrorKind::UnterminatedBlock) or
    /// [`TooManyLines`](crate::ErrorKind::TooManyLines), with the offset
    /// into `input` where the problem was found.
    #[must_use = "parsing has no effect but its result"]
    pub fn parse_complete<'a>(&self, input: &'a [u8]) -> Result<(&'a [u8], Reply<'a>), Error> {
        complete(self, input)
    }

    /// Parses one reply from the start of `input`, which may be a prefix of
    /// what the server will send: input that ends inside a reply gives
    /// [`Progress::Partial`], not an error.
    ///
    /// Each call reads from the start of `input`: a caller that appends
    /// each read to a buffer and calls again after `Partial` reads a long
    /// reply once per read, which is quadratic in its length (a 64 KiB
    /// block of short lines, arriving 1,460 bytes at a time, is read 45
    /// times). [`Decoder`](crate::Decoder) keeps where its scan stopped
    /// and reads each byte a bounded number of times, however the bytes
    /// arrive: use it for a stream.
    ///
    /// # Errors
    /// As [`parse_complete`](Self::parse_complete), except that running out
    /// of input is never an error.
    #[must_use = "parsing has no effect but its result"]
    pub fn parse_streaming<'a>(
        &self,
        input: &'a [u8],
    ) -> Result<Progress<(&'a [u8], Reply<'a>)>, Error> {
        streaming(self, input)
    }
}

/// The complete entry point: nom's complete mode.
pub(crate) fn complete<'a>(
    config: &ParserConfig,
    input: &'a [u8],
) -> Result<(&'a [u8], Reply<'a>), Error> {
    match rfc959::reply(config).parse_complete(input) {
        Ok(done) => Ok(done),
        // Complete mode never asks for more; keep a typed answer anyway.
        Err(Err::Error(e) | Err::Failure(e)) => Err(to_error(input, &e, false)
            .unwrap_or(Error::new(ErrorKind::UnterminatedLine, input.len()))),
        Err(Err::Incomplete(_)) => Err(Error::new(ErrorKind::UnterminatedLine, input.len())),
    }
}

/// The streaming entry point: nom's streaming mode.
pub(crate) fn streaming<'a>(
    config: &ParserConfig,
    input: &'a [u8],
) -> Result<Progress<(&'a [u8], Reply<'a>)>, Error> {
    match rfc959::reply(config).parse(input) {
        Ok(done) => Ok(Progress::Complete(done)),
        Err(Err::Incomplete(_)) => Ok(Progress::Partial),
        Err(Err::Error(e) | Err::Failure(e)) => match to_error(input, &e, true) {
            Some(err) => Err(err),
            None => Ok(Progress::Partial),
        },
    }
}

/// Where parsing should resume after `error`, returned for `input`: where
/// the item it stands for ends. For an error made by hand with
/// [`Error::new`], which stands for no bytes, just past the first line end
/// at or after its offset, or the end of `input` when there is none.
#[must_use]
pub(crate) fn resume_after(input: &[u8], error: &Error) -> usize {
    let end = if error.end() > error.offset() {
        error.end()
    } else {
        line_end_from(input, error.offset()).unwrap_or(input.len())
    };
    end.min(input.len())
}
