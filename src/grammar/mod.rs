//! The private nom 8 grammar.
//!
//! Each rule is a `nom::Parser` whose `process::<OM>` honours the output
//! mode it is called in (never a closure, never `::streaming` or
//! `::complete` leaves), so the two entry points pick the mode once, at the
//! top, with `.parse()` or `.parse_complete()` (STYLE 2.6). The leaves are
//! hand-written (the code digits, the separator, the text line with a
//! memchr scan); `reply_line` composes them with nom's tuple. No nom type
//! leaves this module.

pub(crate) mod rfc959;

use nom::error::ParseError;
use nom::{Err, Parser};

use crate::config::ParserConfig;
use crate::error::{Error, ErrorKind};
use crate::reply::Reply;
use crate::status::Status;

/// The grammar's error: where (the rest of the input) and what.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct GrammarError<'a> {
    pub(crate) input: &'a [u8],
    pub(crate) kind: ErrorKind,
}

impl<'a> GrammarError<'a> {
    pub(crate) const fn new(input: &'a [u8], kind: ErrorKind) -> Self {
        GrammarError { input, kind }
    }
}

impl<'a> ParseError<&'a [u8]> for GrammarError<'a> {
    fn from_error_kind(input: &'a [u8], _kind: nom::error::ErrorKind) -> Self {
        // The leaves are this crate's own `Parser`s, which build their
        // errors with the precise kind; nom's combinators (the tuple of
        // `reply_line`) only pass those through. This is a fallback.
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

fn to_error(input: &[u8], e: &GrammarError<'_>) -> Error {
    Error::new(e.kind, offset_in(input, e.input))
}

/// The complete entry point: nom's complete mode.
pub(crate) fn complete<'a>(
    config: &ParserConfig,
    input: &'a [u8],
) -> Result<(&'a [u8], Reply<'a>), Error> {
    match rfc959::reply(config).parse_complete(input) {
        Ok(done) => Ok(done),
        Err(Err::Error(e) | Err::Failure(e)) => Err(to_error(input, &e)),
        // Complete mode never asks for more; keep a typed answer anyway.
        Err(Err::Incomplete(_)) => Err(Error::new(ErrorKind::UnterminatedLine, input.len())),
    }
}

/// The streaming entry point: nom's streaming mode.
pub(crate) fn streaming<'a>(
    config: &ParserConfig,
    input: &'a [u8],
) -> Result<Status<(&'a [u8], Reply<'a>)>, Error> {
    match rfc959::reply(config).parse(input) {
        Ok(done) => Ok(Status::Complete(done)),
        Err(Err::Incomplete(_)) => Ok(Status::Partial),
        Err(Err::Error(e) | Err::Failure(e)) => Err(to_error(input, &e)),
    }
}

/// Where parsing should resume after an error at `offset`: just past the
/// first line end at or after it, or the end of `input` when there is none.
#[must_use]
pub(crate) fn resume_after(input: &[u8], offset: usize) -> usize {
    let from = input.get(offset..).unwrap_or_default();
    match crate::scan::find(b'\n', from) {
        Some(i) => offset.saturating_add(i).saturating_add(1).min(input.len()),
        None => input.len(),
    }
}
