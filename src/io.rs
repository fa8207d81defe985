//! Reading replies from a byte source into a [`Decoder`]: over
//! `embedded_io::Read` (feature `embedded-io`), `embedded_io_async::Read`
//! (feature `embedded-io-async`) and `std::io::Read` (feature `std`).
//!
//! Each reads until one reply is complete and returns it, borrowing the
//! decoder. Items that are not replies go to an `on_error` callback, which
//! skips them (`true`) or has them returned as `ReadError::Parse`
//! (`false`); either way the decoder has already consumed them, and the
//! next call goes on with the next item.

use core::fmt;

use crate::decoder::Decoder;
use crate::error::Error;
use crate::reply::Reply;

/// Why no reply was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum ReadError<E> {
    /// The source failed.
    Io(E),
    /// The bytes were not a reply (or a reply did not fit in the decoder);
    /// the decoder has skipped them, and the next call goes on.
    Parse(Error),
    /// The source ended between two replies.
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
    /// # Errors
    /// [`ReadError::Io`] from `read`, [`ReadError::Parse`] for an item that
    /// `on_error` did not skip (a stream that ends inside a reply included),
    /// [`ReadError::Eof`] at a clean end.
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

    /// Reads from an [`embedded_io::Read`] until a reply is complete.
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
        self.read_with(|buf| reader.read(buf), on_error)
    }

    /// Reads from an [`embedded_io_async::Read`] until a reply is complete.
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
            let n = reader.read(buf).await.map_err(ReadError::Io)?;
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
