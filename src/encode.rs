//! Writing replies back as wire bytes, and base64, without allocation:
//! the home of the crate's writers.
//!
//! An error from a writer is at the offset in its output where the write
//! stopped: the count of bytes that call had written (see
//! [`Error`]).

use core::fmt;

use crate::code::ReplyCode;
use crate::error::{Error, ErrorKind, PayloadError};
use crate::reply::Reply;

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
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct SliceWriter<'b> {
    out: &'b mut [u8],
    len: usize,
}

impl<'b> SliceWriter<'b> {
    /// Writes from the start of `out`.
    #[must_use]
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
    /// [`ErrorKind::BufferFull`] when they do not fit, at the offset in the
    /// buffer where the write stopped (the bytes written so far); nothing
    /// of `bytes` is written then.
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
/// formatter), counting what it wrote.
#[derive(Debug)]
pub struct FmtSink<'w, W: fmt::Write> {
    inner: &'w mut W,
    written: usize,
}

impl<'w, W: fmt::Write> FmtSink<'w, W> {
    /// Writes through `inner`.
    #[must_use]
    pub fn new(inner: &'w mut W) -> Self {
        FmtSink { inner, written: 0 }
    }

    /// Bytes written through this sink so far.
    #[must_use]
    pub const fn len(&self) -> usize {
        self.written
    }

    /// True when nothing was written.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.written == 0
    }
}

/// Shows the count written, not the writer (which need not be
/// `defmt::Format`).
#[cfg(feature = "defmt")]
impl<W: fmt::Write> defmt::Format for FmtSink<'_, W> {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(f, "FmtSink {{ written: {=usize} }}", self.written);
    }
}

impl<W: fmt::Write> Sink for FmtSink<'_, W> {
    /// # Errors
    /// `PayloadError::NotUtf8` when `bytes` are not UTF-8, nothing of them
    /// written; [`ErrorKind::BufferFull`] when the writer fails. Both at
    /// [`len`](Self::len), where the write stopped.
    fn put(&mut self, bytes: &[u8]) -> Result<(), Error> {
        let s = core::str::from_utf8(bytes)
            .map_err(|_| Error::payload(PayloadError::NotUtf8, self.written))?;
        self.inner
            .write_str(s)
            .map_err(|_| Error::new(ErrorKind::BufferFull, self.written))?;
        self.written = self.written.saturating_add(bytes.len());
        Ok(())
    }
}

/// A sink that counts what it lets through, so that an error from a
/// writer can say where the write stopped.
pub(crate) struct Counted<'s, S: Sink + ?Sized> {
    sink: &'s mut S,
    written: usize,
}

impl<'s, S: Sink + ?Sized> Counted<'s, S> {
    pub(crate) fn new(sink: &'s mut S) -> Self {
        Counted { sink, written: 0 }
    }

    /// `result`, its error moved to where the write stopped.
    pub(crate) fn stopped(&self, result: Result<(), Error>) -> Result<(), Error> {
        result.map_err(|e| Error::new(e.kind(), self.written))
    }
}

impl<S: Sink + ?Sized> Sink for Counted<'_, S> {
    fn put(&mut self, bytes: &[u8]) -> Result<(), Error> {
        self.sink.put(bytes)?;
        self.written = self.written.saturating_add(bytes.len());
        Ok(())
    }
}

/// Writes `data` as base64 of the standard alphabet, padded with `=`
/// (RFC 4648 section 4): what a 631, 632 or 633 reply carries as its text,
/// and what follows `ADAT=`.
///
/// # Errors
/// Only those of `w`.
pub fn write_base64(data: &[u8], w: &mut impl fmt::Write) -> fmt::Result {
    for chunk in data.chunks(3) {
        let (b0, b1, b2) = match *chunk {
            [a] => (a, None, None),
            [a, b] => (a, Some(b), None),
            [a, b, c] => (a, Some(b), Some(c)),
            _ => continue,
        };
        let n1 = b1.unwrap_or(0);
        let n2 = b2.unwrap_or(0);
        w.write_char(encode_char(b0 >> 2))?;
        w.write_char(encode_char((b0 << 4) | (n1 >> 4)))?;
        match b1 {
            Some(_) => w.write_char(encode_char((n1 << 2) | (n2 >> 6)))?,
            None => w.write_char('=')?,
        }
        match b2 {
            Some(_) => w.write_char(encode_char(n2))?,
            None => w.write_char('=')?,
        }
    }
    Ok(())
}

/// The base64 character of a 6-bit value (only the low 6 bits are used).
const fn encode_char(v: u8) -> char {
    let v = v & 0x3f;
    (match v {
        0..=25 => b'A' + v,
        26..=51 => b'a' + (v - 26),
        52..=61 => b'0' + (v - 52),
        62 => b'+',
        _ => b'/',
    }) as char
}

/// Writes formatted text into a sink.
pub(crate) fn put_fmt<S: Sink + ?Sized>(
    sink: &mut S,
    args: fmt::Arguments<'_>,
) -> Result<(), Error> {
    put_with(sink, |w| fmt::write(w, args))
}

/// A sink seen as a `core::fmt::Write`, keeping the sink's own error.
pub(crate) struct FmtAdapter<'s, S: Sink + ?Sized> {
    sink: &'s mut S,
    err: Option<Error>,
}

impl<S: Sink + ?Sized> fmt::Write for FmtAdapter<'_, S> {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.sink.put(s.as_bytes()).map_err(|e| {
            self.err = Some(e);
            fmt::Error
        })
    }
}

/// Lets `write` write into a sink through `core::fmt::Write`; the sink's
/// own error comes back, not `fmt::Error`.
pub(crate) fn put_with<S: Sink + ?Sized>(
    sink: &mut S,
    write: impl FnOnce(&mut FmtAdapter<'_, S>) -> fmt::Result,
) -> Result<(), Error> {
    let mut a = FmtAdapter { sink, err: None };
    write(&mut a).map_err(|_| a.err.unwrap_or(Error::new(ErrorKind::BufferFull, 0)))
}

/// `PayloadError::Unencodable` at `at`: a value no reply can carry.
pub(crate) fn unencodable(at: usize) -> Error {
    Error::new(ErrorKind::Payload(PayloadError::Unencodable), at)
}

/// Checks that a line of text can be written: no CR, LF or NUL.
pub(crate) fn check_text(text: &[u8]) -> Result<(), Error> {
    match crate::scan::find3(b'\r', b'\n', 0, text) {
        Some(at) => Err(unencodable(at)),
        None => Ok(()),
    }
}

/// Writes one reply in RFC 959 framing, line by line: the one writer of
/// `ddd-` and `ddd SP` framing in the crate. [`write_reply`] (so the status
/// and help views) and every payload's encoder write through it; a
/// single-line reply is a writer whose only line is its last
/// (`BlockWriter::new(sink, code).last(..)`).
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
    /// A writer of a reply with `code`; nothing is written yet.
    pub(crate) fn new(sink: &'s mut S, code: ReplyCode) -> Self {
        BlockWriter {
            sink,
            digits: code.to_digits(),
        }
    }

    /// Writes the first line of a block, `code-first`.
    pub(crate) fn first(&mut self, first: &[u8]) -> Result<(), Error> {
        check_text(first)?;
        self.sink.put(&self.digits)?;
        self.sink.put(b"-")?;
        self.sink.put(first)?;
        self.sink.put(b"\r\n")
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

    /// Writes the last line (the only one of a single-line reply),
    /// `code SP` and the text `body` writes into the sink. `body` checks
    /// what it writes ([`check_text`]).
    pub(crate) fn last_with(
        self,
        body: impl FnOnce(&mut S) -> Result<(), Error>,
    ) -> Result<(), Error> {
        self.sink.put(&self.digits)?;
        self.sink.put(b" ")?;
        body(self.sink)?;
        self.sink.put(b"\r\n")
    }

    /// Writes the last line, `code SP` and the concatenation of `pieces`
    /// (each checked before anything is written).
    pub(crate) fn last(self, pieces: &[&[u8]]) -> Result<(), Error> {
        for piece in pieces {
            check_text(piece)?;
        }
        self.last_with(|sink| pieces.iter().try_for_each(|piece| sink.put(piece)))
    }

    /// Writes the last line, `code SP` and formatted text (which must hold
    /// no CR, LF or NUL: numbers and fixed words).
    pub(crate) fn last_fmt(self, args: fmt::Arguments<'_>) -> Result<(), Error> {
        self.last_with(|sink| put_fmt(sink, args))
    }
}

/// Writes the lines of `reply` again, with `code`, so that the new reply's
/// [`Reply::lines`](crate::Reply::lines) are the same texts (see
/// [`write_reply`] for the framing of middle lines): how the views
/// ([`StatusLines`](crate::payload::StatusLines),
/// [`Help`](crate::payload::Help)) write themselves.
pub(crate) fn write_lines<S: Sink + ?Sized>(
    out: BlockWriter<'_, S>,
    reply: &Reply<'_>,
) -> Result<(), Error> {
    let first = reply.lines().next().unwrap_or_default();
    let last = if reply.line_count() < 2 {
        None
    } else {
        reply.lines().last()
    };
    write_block(out, first, reply.middle_lines(), last)
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
/// [`ErrorKind::BufferFull`] when the sink is full; both at the count of
/// bytes this call put into `sink` before it stopped. What was written
/// before the error stays in the sink.
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
    let mut counted = Counted::new(sink);
    let result = write_block(BlockWriter::new(&mut counted, code), first, middle, last);
    counted.stopped(result)
}

/// [`write_reply`] through a [`BlockWriter`].
fn write_block<'l, S, I>(
    mut out: BlockWriter<'_, S>,
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
        return out.last(&[first]);
    }
    out.first(first)?;
    for line in middle {
        out.line(&[line])?;
    }
    out.last(&[last.unwrap_or_default()])
}

#[cfg(test)]
mod tests {
    extern crate std;
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

    /// `write_reply`'s errors are at the count of bytes it put into the
    /// sink before it stopped, and those bytes stay written.
    #[test]
    fn write_reply_errors_say_where_it_stopped() {
        let code = ReplyCode::new(214).unwrap();
        let mut small = [0u8; 6];
        let mut w = SliceWriter::new(&mut small);
        assert_eq!(
            write_reply(&mut w, code, b"Help", [], None),
            Err(Error::new(ErrorKind::BufferFull, 4))
        );
        assert_eq!(&small[..4], b"214 ");
        let mut buf = [0u8; 64];
        let mut w = SliceWriter::new(&mut buf);
        assert_eq!(
            write_reply(&mut w, code, b"Help", [&b"a\rb"[..]], Some(b"OK")),
            Err(Error::payload(PayloadError::Unencodable, 10))
        );
        assert_eq!(w.len(), 10);
        assert_eq!(&buf[..10], b"214-Help\r\n");
    }

    /// Both writers count what they wrote: `len` is the bytes so far and
    /// `is_empty` says none, before and after a write (a refused write
    /// counts nothing).
    #[test]
    fn writers_count_what_they_wrote() {
        let mut buf = [0u8; 4];
        let mut w = SliceWriter::new(&mut buf);
        assert!(w.is_empty());
        assert_eq!(w.len(), 0);
        w.put(b"").unwrap();
        assert!(w.is_empty());
        w.put(b"ab").unwrap();
        assert!(!w.is_empty());
        assert_eq!(w.len(), 2);
        assert!(w.put(b"cde").is_err());
        assert_eq!(w.len(), 2);

        let mut text = std::string::String::new();
        let mut f = FmtSink::new(&mut text);
        assert!(f.is_empty());
        assert_eq!(f.len(), 0);
        f.put("é!".as_bytes()).unwrap();
        assert!(!f.is_empty());
        assert_eq!(f.len(), 3);
        assert!(f.put(b"\xff").is_err());
        assert_eq!(f.len(), 3);
        assert_eq!(text, "é!");
    }
}
