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

/// Writes a reply of `first`, then `middle` lines, then `last` with RFC 959
/// framing: one line `code SP first CRLF` when there are no other lines,
/// otherwise `code-first`, the middle lines, and `code SP last`.
///
/// A middle line that would end the block early (it starts with the code
/// and a space, or is the code alone) gets a leading space, as RFC 959
/// section 4.2 asks.
///
/// # Errors
/// `PayloadError::Unencodable` when a line holds CR, LF or NUL;
/// [`ErrorKind::BufferFull`] when the sink is full.
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
    let digits = code.to_digits();
    check_text(first)?;
    let mut middle = middle.into_iter().peekable();
    if middle.peek().is_none() && last.is_none() {
        sink.put(&digits)?;
        sink.put(b" ")?;
        sink.put(first)?;
        return sink.put(b"\r\n");
    }
    sink.put(&digits)?;
    sink.put(b"-")?;
    sink.put(first)?;
    sink.put(b"\r\n")?;
    for line in middle {
        check_text(line)?;
        let closes = match line.split_at_checked(3) {
            Some((head, tail)) => head == digits && matches!(tail.first(), None | Some(b' ')),
            None => false,
        };
        if closes {
            sink.put(b" ")?;
        }
        sink.put(line)?;
        sink.put(b"\r\n")?;
    }
    let last = last.unwrap_or_default();
    check_text(last)?;
    sink.put(&digits)?;
    sink.put(b" ")?;
    sink.put(last)?;
    sink.put(b"\r\n")
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
        assert_eq!(&buf[..n], b"214-Help\r\n 214 x\r\n ABOR\r\n214 OK\r\n");
        let mut small = [0u8; 4];
        let mut w = SliceWriter::new(&mut small);
        assert_eq!(
            write_reply(&mut w, code, b"Help", [], None)
                .unwrap_err()
                .kind(),
            ErrorKind::BufferFull
        );
        let mut w = SliceWriter::new(&mut buf);
        assert!(write_reply(&mut w, code, b"a\r\nb", [], None).is_err());
    }
}
