//! Reading replies from a byte source into a [`Decoder`]: over
//! `embedded_io::Read` (feature `embedded-io`), `embedded_io_async::Read`
//! (feature `embedded-io-async`) and `std::io::Read` (feature `std`).
//!
//! Each reads until one reply is complete and returns it, borrowing the
//! decoder. Items that are not replies go to an `on_error` callback, which
//! skips them (`true`) or has them returned as `ReadError::Parse`
//! (`false`); either way the decoder has already consumed them, and the
//! next call goes on with the next item.
//!
//! The bytes reach the decoder as they are read: the Telnet layer of the
//! control connection (vsftpd's doubled 255, an `IAC NOP`) is not taken
//! off here. To take it off, read into a buffer of your own, strip it with
//! [`telnet::Telnet`](crate::telnet::Telnet) and
//! [`push`](Decoder::push) the data, as
//! [`Telnet::strip_in_place`](crate::telnet::Telnet::strip_in_place)'s
//! docs show (`client::Session` does so).

use core::fmt;

use crate::decoder::Decoder;
use crate::error::Error;
use crate::reply::Reply;

/// Why no reply was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum ReadError<E> {
    /// The source failed.
    Io(E),
    /// The bytes were not a reply; the decoder has skipped them, and the
    /// next call goes on. (A reply that does not fit in the decoder is no
    /// error: it comes out as a reply, with
    /// [`Reply::is_truncated`](crate::Reply::is_truncated) set.)
    Parse(Error),
    /// The source ended: between two replies, or inside one whose error
    /// the caller's `on_error` skipped.
    Eof,
}

impl<E: fmt::Debug> fmt::Display for ReadError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Io(e) => write!(f, "read failed: {e:?}"),
            ReadError::Parse(e) => write!(f, "{e}"),
            ReadError::Eof => f.write_str("end of stream"),
        }
    }
}

impl<E: fmt::Debug> core::error::Error for ReadError<E> {}

/// Why a command was not written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum WriteError<E> {
    /// The writer failed.
    Io(E),
    /// The argument holds CR, LF or NUL
    /// ([`PayloadError::ForbiddenArgument`](crate::PayloadError::ForbiddenArgument),
    /// at the byte): nothing was written.
    Argument(Error),
    /// The writer took no byte of what it was given (`Ok(0)`, which
    /// embedded-io's `Write` contract rules out and its `write_all` panics
    /// on): part of the line may have been written.
    WriteZero,
}

impl<E: fmt::Debug> fmt::Display for WriteError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteError::Io(e) => write!(f, "write failed: {e:?}"),
            WriteError::Argument(e) => write!(f, "{e}"),
            WriteError::WriteZero => f.write_str("write failed: the writer took no byte"),
        }
    }
}

impl<E: fmt::Debug> core::error::Error for WriteError<E> {}

/// Writes all of `bytes`, as `embedded_io::Write::write_all` does but with
/// no panic: a writer that takes no byte of a non-empty buffer (`Ok(0)`,
/// which embedded-io's contract rules out, and on which its `write_all`
/// panics) gives `Err(None)`; an `Interrupted` write is made again, as
/// `std::io::Write::write_all` does.
#[cfg(feature = "embedded-io")]
pub(crate) fn write_whole<W: embedded_io::Write>(
    w: &mut W,
    mut bytes: &[u8],
) -> Result<(), Option<W::Error>> {
    use embedded_io::Error as _;
    while !bytes.is_empty() {
        match w.write(bytes) {
            Ok(0) => return Err(None),
            Ok(n) => bytes = bytes.get(n..).unwrap_or_default(),
            Err(e) if e.kind() == embedded_io::ErrorKind::Interrupted => {}
            Err(e) => return Err(Some(e)),
        }
    }
    Ok(())
}

/// `flush`, made again after an `Interrupted` one.
#[cfg(feature = "embedded-io")]
pub(crate) fn flush_whole<W: embedded_io::Write>(w: &mut W) -> Result<(), W::Error> {
    use embedded_io::Error as _;
    loop {
        match w.flush() {
            Err(e) if e.kind() == embedded_io::ErrorKind::Interrupted => {}
            done => return done,
        }
    }
}

/// A [`Sink`](crate::encode::Sink) over an `embedded_io::Write` that keeps
/// the writer's error.
#[cfg(feature = "embedded-io")]
struct IoSink<'w, W: embedded_io::Write> {
    w: &'w mut W,
    written: usize,
    failed: Option<WriteError<W::Error>>,
}

#[cfg(feature = "embedded-io")]
impl<W: embedded_io::Write> crate::encode::Sink for IoSink<'_, W> {
    fn put(&mut self, bytes: &[u8]) -> Result<(), Error> {
        match write_whole(self.w, bytes) {
            Ok(()) => {
                self.written += bytes.len();
                Ok(())
            }
            Err(e) => {
                self.failed = Some(e.map_or(WriteError::WriteZero, WriteError::Io));
                Err(Error::new(crate::ErrorKind::BufferFull, self.written))
            }
        }
    }
}

impl crate::Command {
    /// Writes `NAME[ SP arg] CRLF` to an [`embedded_io::Write`] (a socket, a
    /// modem's UART), with a byte argument, straight from the caller's
    /// bytes: no stack buffer. As [`write_to`](crate::Command::write_to),
    /// CR, LF and NUL in `arg` are refused before anything is written, and
    /// a byte 255 is doubled (Telnet's IAC). Returns the bytes written.
    /// The writer is not flushed.
    ///
    /// # Errors
    /// [`WriteError::Argument`] for a refused argument (nothing written),
    /// [`WriteError::Io`] when the writer fails (part of the line may have
    /// been written; an `Interrupted` write is made again), or
    /// [`WriteError::WriteZero`] when it takes no byte.
    #[cfg(feature = "embedded-io")]
    #[cfg_attr(docsrs, doc(cfg(feature = "embedded-io")))]
    pub fn write_io<W: embedded_io::Write>(
        self,
        arg: Option<&[u8]>,
        w: &mut W,
    ) -> Result<usize, WriteError<W::Error>> {
        crate::command::check_argument(arg).map_err(WriteError::Argument)?;
        let mut sink = IoSink {
            w,
            written: 0,
            failed: None,
        };
        match self.emit(arg, &mut sink) {
            Ok(()) => Ok(sink.written),
            Err(e) => Err(sink.failed.unwrap_or(WriteError::Argument(e))),
        }
    }
}

/// Bytes read per call by the async reader (which cannot lend the
/// decoder's buffer across an `.await`).
#[cfg(feature = "embedded-io-async")]
const ASYNC_CHUNK: usize = 64;

impl<const N: usize> Decoder<N> {
    /// Reads with `read` (a `read(buf) -> Result<usize, E>` call, 0 meaning
    /// the end of the stream) until a reply is complete, and returns it.
    ///
    /// `on_error` sees every item that is not a reply (an [`Error`] that
    /// already consumed it: a bad line, a broken block): return `true` to
    /// skip it and read on, `false` to return it as [`ReadError::Parse`].
    /// With `|_| true` the call returns only replies, so a function can
    /// return the reply it read: no loop around the call is needed, and
    /// none that the borrow checker refuses.
    ///
    /// An error of `read` is returned as [`ReadError::Io`] with what the
    /// decoder holds kept: the next call reads on. (`read_with` cannot tell
    /// an `Interrupted` one apart; the typed readers below make it again.)
    ///
    /// # Errors
    /// [`ReadError::Io`] from `read`, [`ReadError::Parse`] for an item that
    /// `on_error` did not skip (a stream that ends inside a reply included),
    /// [`ReadError::Eof`] at a clean end, or at an end inside a reply whose
    /// error `on_error` skipped.
    pub fn read_with<E>(
        &mut self,
        mut read: impl FnMut(&mut [u8]) -> Result<usize, E>,
        mut on_error: impl FnMut(&Error) -> bool,
    ) -> Result<Reply<'_>, ReadError<E>> {
        let ready = loop {
            match self.poll() {
                Some(Ok(ready)) => break ready,
                Some(Err(e)) if on_error(&e) => continue,
                Some(Err(e)) => return Err(ReadError::Parse(e)),
                None => {}
            }
            if self.fill(&mut read).map_err(ReadError::Io)? == 0 {
                return match self.finish() {
                    Some(e) if !on_error(&e) => Err(ReadError::Parse(e)),
                    _ => Err(ReadError::Eof),
                };
            }
        };
        Ok(self.reply(ready))
    }

    /// Reads from an [`embedded_io::Read`] until a reply is complete
    /// (`Interrupted` reads are made again, as
    /// [`read_from_std`](Self::read_from_std) does).
    ///
    /// # Errors
    /// As [`read_with`](Self::read_with), with the same `on_error`.
    #[cfg(feature = "embedded-io")]
    #[cfg_attr(docsrs, doc(cfg(feature = "embedded-io")))]
    pub fn read_from<R: embedded_io::Read>(
        &mut self,
        reader: &mut R,
        on_error: impl FnMut(&Error) -> bool,
    ) -> Result<Reply<'_>, ReadError<R::Error>> {
        use embedded_io::Error as _;
        self.read_with(
            |buf| {
                loop {
                    match reader.read(buf) {
                        Err(e) if e.kind() == embedded_io::ErrorKind::Interrupted => {}
                        other => return other,
                    }
                }
            },
            on_error,
        )
    }

    /// Reads from an [`embedded_io_async::Read`] until a reply is complete.
    /// It cannot lend the decoder's buffer across an `.await`, so it reads
    /// at most 64 bytes a call into a buffer of its own and pushes them
    /// (`Interrupted` reads are made again; a count past the buffer it gave
    /// is taken as that buffer, as [`fill`](Self::fill) takes it).
    ///
    /// # Errors
    /// As [`read_with`](Self::read_with), with the same `on_error`.
    #[cfg(feature = "embedded-io-async")]
    #[cfg_attr(docsrs, doc(cfg(feature = "embedded-io-async")))]
    pub async fn read_from_async<R: embedded_io_async::Read>(
        &mut self,
        reader: &mut R,
        mut on_error: impl FnMut(&Error) -> bool,
    ) -> Result<Reply<'_>, ReadError<R::Error>> {
        use embedded_io_async::Error as _;
        let mut chunk = [0u8; ASYNC_CHUNK];
        let ready = loop {
            match self.poll() {
                Some(Ok(ready)) => break ready,
                Some(Err(e)) if on_error(&e) => continue,
                Some(Err(e)) => return Err(ReadError::Parse(e)),
                None => {}
            }
            let want = self.room().min(ASYNC_CHUNK);
            let buf = chunk.get_mut(..want).unwrap_or_default();
            let n = loop {
                match reader.read(buf).await {
                    Err(e) if e.kind() == embedded_io_async::ErrorKind::Interrupted => {}
                    read => break read.map_err(ReadError::Io)?.min(want),
                }
            };
            if n == 0 || want == 0 {
                return match self.finish() {
                    Some(e) if !on_error(&e) => Err(ReadError::Parse(e)),
                    _ => Err(ReadError::Eof),
                };
            }
            // Cannot take fewer: `want` is at most the room made above.
            let _ = self.push(buf.get(..n).unwrap_or_default());
        };
        Ok(self.reply(ready))
    }

    /// Reads from a [`std::io::Read`] until a reply is complete
    /// (`Interrupted` reads are retried).
    ///
    /// # Errors
    /// As [`read_with`](Self::read_with), with the same `on_error`.
    #[cfg(feature = "std")]
    #[cfg_attr(docsrs, doc(cfg(feature = "std")))]
    pub fn read_from_std<R: std::io::Read>(
        &mut self,
        reader: &mut R,
        on_error: impl FnMut(&Error) -> bool,
    ) -> Result<Reply<'_>, ReadError<std::io::Error>> {
        self.read_with(
            |buf| {
                loop {
                    match reader.read(buf) {
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                        other => return other,
                    }
                }
            },
            on_error,
        )
    }
}
