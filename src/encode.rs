//! Writing replies back as wire bytes, without allocation.

use core::fmt;

use crate::code::ReplyCode;
use crate::error::{Error, ErrorKind, PayloadError};

/// Where encoded bytes go: a caller's `&mut [u8]` ([`SliceWriter`]) or a
/// `core::fmt::Write` ([`FmtSink`]).
pub trait Sink {
    /// Appends `bytes`.
    ///
    /// # Errors
    /// [`ErrorKind::BufferFull`] when they do not fit; a `fmt::Write` sink
    /// refuses bytes that are not UTF-8 with `PayloadError::NotUtf8`.
    fn put(&mut self, bytes: &[u8]) -> Result<(), Error>;
}

/// A cursor over a caller's buffer.
#[derive(Debug)]
pub struct SliceWriter<'b> {
    out: &'b mut [u8],
    len: usize,
}

impl<'b> SliceWriter<'b> {
    /// Writes from the start of `out`.
    pub fn new(out: &'b mut [u8]) -> Self {
        SliceWriter { out, len: 0 }
    }

    /// Bytes written so far.
    #[must_use]
    pub const fn len(&self) -> usize {
        self.len
    }

    /// True when nothing was written.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Appends `bytes`.
    ///
    /// # Errors
    /// [`ErrorKind::BufferFull`] (offset: bytes written so far) when they
    /// do not fit; nothing is written then.
    pub fn put(&mut self, bytes: &[u8]) -> Result<(), Error> {
        let end = self.len.saturating_add(bytes.len());
        let dst = self
            .out
            .get_mut(self.len..end)
            .ok_or(Error::new(ErrorKind::BufferFull, self.len))?;
        dst.copy_from_slice(bytes);
        self.len = end;
        Ok(())
    }
}

impl Sink for SliceWriter<'_> {
    fn put(&mut self, bytes: &[u8]) -> Result<(), Error> {
        SliceWriter::put(self, bytes)
    }
}

impl fmt::Write for SliceWriter<'_> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.put(s.as_bytes()).map_err(|_| fmt::Error)
    }
}

/// A [`Sink`] over a `core::fmt::Write` (a `heapless::String`, a
/// formatter).
#[derive(Debug)]
pub struct FmtSink<'w, W: fmt::Write>(pub &'w mut W);

impl<W: fmt::Write> Sink for FmtSink<'_, W> {
    fn put(&mut self, bytes: &[u8]) -> Result<(), Error> {
        let s = core::str::from_utf8(bytes)
            .map_err(|e| Error::new(ErrorKind::Payload(PayloadError::NotUtf8), e.valid_up_to()))?;
        self.0
            .write_str(s)
            .map_err(|_| Error::new(ErrorKind::BufferFull, 0))
    }
}

/// Writes formatted text into a sink through a small stack buffer.
pub(crate) fn put_fmt<S: Sink + ?Sized>(
    sink: &mut S,
    args: fmt::Arguments<'_>,
) -> Result<(), Error> {
    struct Adapter<'s, S: Sink + ?Sized> {
        sink: &'s mut S,
        err: Option<Error>,
    }
    impl<S: Sink + ?Sized> fmt::Write for Adapter<'_, S> {
        fn write_str(&mut self, s: &str) -> fmt::Result {
            self.sink.put(s.as_bytes()).map_err(|e| {
                self.err = Some(e);
                fmt::Error
            })
        }
    }
    let mut a = Adapter { sink, err: None };
    fmt::write(&mut a, args).map_err(|_| a.err.unwrap_or(Error::new(ErrorKind::BufferFull, 0)))
}

fn unencodable(at: usize) -> Error {
    Error::new(ErrorKind::Payload(PayloadError::Unencodable), at)
}

/// Checks that a line of text can be written: no CR, LF or NUL.
pub(crate) fn check_text(text: &[u8]) -> Result<(), Error> {
    match crate::scan::find3(b'\r', b'\n', 0, text) {
        Some(at) => Err(unencodable(at)),
        None => Ok(()),
    }
}

/// Writes one reply in RFC 959 framing, line by line: the one block writer
/// of the crate: [`write_reply`] (so the status and help views) and the
/// FEAT and MLST encoders write their blocks through it.
///
/// The middle lines are framed so that [`Reply::lines`](crate::Reply::lines)
/// gives back exactly the text that was written, whatever it holds, with
/// either setting of
/// [`ParserConfig::any_code_ends_block`](crate::ParserConfig::any_code_ends_block):
/// a middle line that starts with an ASCII digit is written after the
/// block's code and a hyphen (`211-211 x` for the text `211 x`); any other
/// line is written as it is. A line written as it is cannot end the block
/// (that needs three digits at its start) and is not stripped (that needs
/// the block's code and a hyphen); a line written after `code-` has its
/// fourth byte a hyphen, so it cannot end the block either, and
/// `Reply::lines` strips exactly those four bytes from it.
pub(crate) struct BlockWriter<'s, S: Sink + ?Sized> {
    sink: &'s mut S,
    digits: [u8; 3],
}

impl<'s, S: Sink + ?Sized> BlockWriter<'s, S> {
    /// Writes the first line, `code-first`.
    pub(crate) fn start(sink: &'s mut S, code: ReplyCode, first: &[u8]) -> Result<Self, Error> {
        check_text(first)?;
        let digits = code.to_digits();
        sink.put(&digits)?;
        sink.put(b"-")?;
        sink.put(first)?;
        sink.put(b"\r\n")?;
        Ok(BlockWriter { sink, digits })
    }

    /// Writes a middle line whose text is the concatenation of `pieces`.
    pub(crate) fn line(&mut self, pieces: &[&[u8]]) -> Result<(), Error> {
        for piece in pieces {
            check_text(piece)?;
        }
        let leading = pieces.iter().find_map(|p| p.first());
        if leading.is_some_and(u8::is_ascii_digit) {
            self.sink.put(&self.digits)?;
            self.sink.put(b"-")?;
        }
        for piece in pieces {
            self.sink.put(piece)?;
        }
        self.sink.put(b"\r\n")
    }

    /// Writes the last line, `code SP last`.
    pub(crate) fn end(self, last: &[u8]) -> Result<(), Error> {
        check_text(last)?;
        self.sink.put(&self.digits)?;
        self.sink.put(b" ")?;
        self.sink.put(last)?;
        self.sink.put(b"\r\n")
    }
}

/// Writes a reply of `first`, then `middle` lines, then `last` with RFC 959
/// framing: one line `code SP first CRLF` when there are no other lines,
/// otherwise `code-first`, the middle lines, and `code SP last`.
///
/// A middle line that starts with an ASCII digit is written after the code
/// and a hyphen (`214-214 x` for the text `214 x`), other middle lines as
/// they are: so a line that looks like a reply line can neither end the
/// block early nor lose its start, and parsing the bytes gives back, from
/// [`Reply::lines`](crate::Reply::lines), exactly `first`, the middle lines
/// and `last` (also under
/// [`ParserConfig::any_code_ends_block`](crate::ParserConfig::any_code_ends_block)).
///
/// # Errors
/// `PayloadError::Unencodable` when a line holds CR, LF or NUL;
/// [`ErrorKind::BufferFull`] when the sink is full. What was written before
/// the error stays in the sink.
pub fn write_reply<'l, S, I>(
    sink: &mut S,
    code: ReplyCode,
    first: &[u8],
    middle: I,
    last: Option<&[u8]>,
) -> Result<(), Error>
where
    S: Sink + ?Sized,
    I: IntoIterator<Item = &'l [u8]>,
{
    let mut middle = middle.into_iter().peekable();
    if middle.peek().is_none() && last.is_none() {
        check_text(first)?;
        sink.put(&code.to_digits())?;
        sink.put(b" ")?;
        sink.put(first)?;
        return sink.put(b"\r\n");
    }
    let mut block = BlockWriter::start(sink, code, first)?;
    for line in middle {
        block.line(&[line])?;
    }
    block.end(last.unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn framing() {
        let code = ReplyCode::new(214).unwrap();
        let mut buf = [0u8; 64];
        let mut w = SliceWriter::new(&mut buf);
        write_reply(
            &mut w,
            code,
            b"Help",
            [&b"214 x"[..], b" ABOR"],
            Some(b"OK"),
        )
        .unwrap();
        let n = w.len();
        assert_eq!(&buf[..n], b"214-Help\r\n214-214 x\r\n ABOR\r\n214 OK\r\n");
        let mut small = [0u8; 4];
        let mut w = SliceWriter::new(&mut small);
        assert_eq!(
            write_reply(&mut w, code, b"Help", [], None)
                .unwrap_err()
                .kind(),
            ErrorKind::BufferFull
        );
        let mut w = SliceWriter::new(&mut buf);
        assert_eq!(
            write_reply(&mut w, code, b"a\r\nb", [], None)
                .unwrap_err()
                .kind(),
            ErrorKind::Payload(PayloadError::Unencodable)
        );
    }
}
