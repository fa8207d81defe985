//! A streaming decoder with a fixed buffer, for firmware.

use crate::code::ReplyCode;
use crate::config::ParserConfig;
use crate::error::{Error, ErrorKind};
use crate::grammar::{self, rfc959};
use crate::reply::Reply;
use crate::status::Status;

/// What the decoder is throwing away after an error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)] // `No` is tag 0: `Decoder::new()` stays all zero bytes
enum Skip {
    /// Nothing: parse from the start of the buffer.
    No,
    /// Drop bytes up to and including the next LF; then, with `Some(code)`,
    /// go on dropping the block that `code` opened.
    Line(Option<ReplyCode>),
    /// At a line start inside a block opened by this code: drop lines up to
    /// and including the one that closes it.
    Block(ReplyCode),
}

/// The reply at the front of the buffer: found and not yet handed out
/// (`code` not 0), or handed out and to be dropped before the next parse
/// (`code` 0, `len` not 0). One field for both keeps the decoder small.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Ready {
    len: usize,
    lines: u32,
    /// The code's number (0 when not ready, to keep `new()` all zero).
    code: u16,
}

const NOT_READY: Ready = Ready {
    len: 0,
    lines: 0,
    code: 0,
};

/// A push-bytes-in, pull-replies-out decoder over a buffer of `N` bytes.
///
/// Feed it what the control connection gives, in pieces of any size, with
/// [`push`](Self::push) or [`fill`](Self::fill); take replies out with
/// [`next`](Self::next) until it returns `None` ("need more bytes"). A
/// reply borrows the decoder's buffer until the next call.
///
/// The decoder owns no heap and never grows: `size_of::<Decoder<N>>()` is
/// `N + 64` bytes or less (N + 64 on a 64-bit target, N + 44 on a 32-bit
/// one), so it can live in a `static`.
///
/// # Errors and recovery
///
/// - Bytes that are not a reply give the parser's error once, then are
///   dropped up to the next line end, exactly as
///   [`resume_after`](crate::resume_after) does for a whole input: fed the
///   same stream in any chunking, the decoder yields the same replies and
///   errors as [`parse_complete`](crate::parse_complete) walking the whole
///   stream, as long as every reply fits in `N` bytes.
/// - A reply that does not fit in `N` bytes gives
///   [`ErrorKind::ReplyTooLong`] once; its bytes are dropped up to its end
///   (the end of its line, or the line that closes its block) and decoding
///   goes on with the next reply, of which no byte is lost.
///
/// Error offsets count from the first byte ever pushed into the decoder.
///
/// ```
/// use ftp_reply::Decoder;
///
/// let mut dec = Decoder::<256>::new();
/// let mut codes = Vec::new();
/// for chunk in [&b"220 ready\r\n33"[..], b"1 need pass", b"word\r\n"] {
///     dec.push(chunk);
///     while let Some(reply) = dec.next() {
///         codes.push(reply?.code().get());
///     }
/// }
/// assert_eq!(codes, [220, 331]);
/// # Ok::<(), ftp_reply::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Decoder<const N: usize> {
    buf: heapless::Vec<u8, N>,
    /// Stream offset of `buf[0]`.
    base: usize,
    /// The buffer's length when the last parse ran out of input (0: parse
    /// again). A reply can only end at a LF, so until a LF arrives after
    /// it, parsing again would scan the same bytes for nothing.
    scanned: usize,
    ready: Ready,
    skip: Skip,
    config: ParserConfig,
    /// The usable part of the buffer, at most `N` (see `with_limit`); 0
    /// means `N`, so that `new()` is all zero bytes and a `static` decoder
    /// goes to `.bss`.
    limit: u32,
}

impl<const N: usize> Default for Decoder<N> {
    fn default() -> Self {
        Self::new()
    }
}

impl<const N: usize> Decoder<N> {
    /// An empty decoder with the default [`ParserConfig`].
    #[must_use]
    pub const fn new() -> Self {
        Self::with_config(ParserConfig::new())
    }

    /// An empty decoder that frames replies as `config` says (its
    /// [`max_lines`](ParserConfig::max_lines) bounds a block's lines).
    #[must_use]
    pub const fn with_config(config: ParserConfig) -> Self {
        Decoder {
            buf: heapless::Vec::new(),
            base: 0,
            scanned: 0,
            ready: NOT_READY,
            skip: Skip::No,
            config,
            limit: 0,
        }
    }

    /// Forgets every byte held and every error state, in place (keeping
    /// the configuration and limit): a new stream starts, with offsets from
    /// 0 again. Cheaper on a small stack than assigning `Decoder::new()`,
    /// which builds a whole new buffer first.
    pub fn clear(&mut self) {
        self.buf.clear();
        self.base = 0;
        self.scanned = 0;
        self.ready = NOT_READY;
        self.skip = Skip::No;
    }

    /// The same decoder, using only `limit` bytes of its buffer (at most
    /// `N`, at least 1): a reply longer than `limit` gives
    /// [`ErrorKind::ReplyTooLong`]. For a limit chosen at run time, such as
    /// a command-line option, with `N` as the ceiling.
    #[must_use]
    pub const fn with_limit(mut self, limit: usize) -> Self {
        let cap = if limit < N { limit } else { N };
        let cap = if cap > u32::MAX as usize {
            u32::MAX
        } else {
            cap as u32
        };
        self.limit = if cap == 0 { 1 } else { cap };
        self
    }

    /// The usable capacity: `N`, or the limit set by `with_limit`.
    const fn cap(&self) -> usize {
        let limit = self.limit as usize;
        if limit == 0 || limit > N { N } else { limit }
    }

    /// The buffer's usable capacity: `N`, or less after
    /// [`with_limit`](Self::with_limit).
    #[must_use]
    pub const fn capacity(&self) -> usize {
        self.cap()
    }

    fn is_full(&self) -> bool {
        self.buf.len() >= self.cap()
    }

    /// Bytes held and not yet handed out.
    #[must_use]
    pub fn len(&self) -> usize {
        let handed_out = if self.ready.code == 0 {
            self.ready.len
        } else {
            0
        };
        self.buf.len().saturating_sub(handed_out)
    }

    /// Room left for new bytes.
    pub fn free(&mut self) -> usize {
        self.release();
        self.cap().saturating_sub(self.buf.len())
    }

    /// True when no byte is held.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Drops the bytes of the reply handed out last.
    fn release(&mut self) {
        if self.ready.code == 0 && self.ready.len > 0 {
            let n = self.ready.len;
            self.ready = NOT_READY;
            self.drop_front(n);
        }
    }

    fn drop_front(&mut self, n: usize) {
        let len = self.buf.len();
        let n = n.min(len);
        self.buf.as_mut_slice().copy_within(n..len, 0);
        self.buf.truncate(len - n);
        self.base = self.base.saturating_add(n);
        if n > 0 {
            self.scanned = 0;
        }
    }

    /// Copies as much of `bytes` as fits and returns how many bytes that
    /// was. Fewer than `bytes.len()` means the buffer is full: take replies
    /// out with [`next`](Self::next) (which also clears a reply too long for
    /// the buffer), then push the rest.
    pub fn push(&mut self, bytes: &[u8]) -> usize {
        self.release();
        let n = bytes.len().min(self.cap().saturating_sub(self.buf.len()));
        let taken = bytes.get(..n).unwrap_or_default();
        // Cannot fail: `n` is at most the free space.
        let _ = self.buf.extend_from_slice(taken);
        n
    }

    /// Lets `read` write straight into the free part of the buffer (a
    /// reader's `read` call, say) and keeps the bytes it says it wrote.
    ///
    /// # Errors
    /// Whatever `read` returns.
    pub fn fill<E>(
        &mut self,
        read: impl FnOnce(&mut [u8]) -> Result<usize, E>,
    ) -> Result<usize, E> {
        self.release();
        let old = self.buf.len();
        let cap = self.cap().max(old);
        // Cannot fail: `cap` is at most N.
        let _ = self.buf.resize(cap, 0);
        let result = read(self.buf.get_mut(old..).unwrap_or_default());
        let n = match &result {
            Ok(n) => (*n).min(cap - old),
            Err(_) => 0,
        };
        self.buf.truncate(old + n);
        result.map(|_| n)
    }

    /// The next reply, or the next error, or `None` when more bytes are
    /// needed.
    #[allow(clippy::should_implement_trait)] // a lending iterator: the reply borrows `self`
    pub fn next(&mut self) -> Option<Result<Reply<'_>, Error>> {
        match self.poll() {
            Some(Ok(())) => self.take_ready().map(Ok),
            Some(Err(e)) => Some(Err(e)),
            None => None,
        }
    }

    /// Finds the next reply and keeps it for [`next`](Self::next) without
    /// borrowing: `Some(Ok(()))` when one is ready, `Some(Err(_))` for an
    /// error (reported once), `None` when more bytes are needed. The reader
    /// helpers use it to loop without holding a borrow.
    pub fn poll(&mut self) -> Option<Result<(), Error>> {
        if self.ready.code != 0 {
            return Some(Ok(()));
        }
        self.release();
        loop {
            match self.skip {
                Skip::No => return self.parse(),
                skip => {
                    if !self.skip_some(skip) {
                        return None;
                    }
                }
            }
        }
    }

    fn take_ready(&mut self) -> Option<Reply<'_>> {
        let ready = self.ready;
        if ready.code == 0 {
            return None;
        }
        // Handed out: dropped at the next call.
        self.ready.code = 0;
        let raw = self.buf.get(..ready.len)?;
        let code = ReplyCode::new(ready.code)?;
        Some(Reply::from_parts(raw, code, ready.lines as usize))
    }

    fn parse(&mut self) -> Option<Result<(), Error>> {
        if self.buf.is_empty() {
            return None;
        }
        let input = self.buf.as_slice();
        if self.scanned > 0 && !self.is_full() {
            let fresh = input.get(self.scanned..).unwrap_or_default();
            if crate::scan::find(b'\n', fresh).is_none() {
                self.scanned = input.len();
                return None;
            }
        }
        self.scanned = 0;
        match self.config.parse_streaming(input) {
            Ok(Status::Complete((rest, reply))) => {
                self.ready = Ready {
                    len: input.len() - rest.len(),
                    // A reply has at most N / 2 lines (each at least "\n"
                    // after a code); N above 8 GiB is not a firmware buffer.
                    lines: u32::try_from(reply.line_count()).unwrap_or(u32::MAX),
                    code: reply.code().get(),
                };
                Some(Ok(()))
            }
            Ok(Status::Partial) if self.is_full() => {
                let err = Error::new(
                    ErrorKind::ReplyTooLong {
                        limit: u32::try_from(self.cap()).unwrap_or(u32::MAX),
                    },
                    self.base,
                );
                self.skip = Skip::Line(block_code(input));
                Some(Err(err))
            }
            Ok(Status::Partial) => {
                self.scanned = input.len();
                None
            }
            Err(e) => {
                let err = e.shifted(self.base);
                let resume = grammar::resume_after(input, e.offset());
                // The line at fault ends in this buffer only when a LF was
                // found at or after the error (not the LF before it).
                let found_lf =
                    resume > e.offset() && input.get(..resume).is_some_and(|s| s.ends_with(b"\n"));
                self.drop_front(resume);
                if !found_lf {
                    self.skip = Skip::Line(None);
                }
                Some(Err(err))
            }
        }
    }

    /// Drops what `skip` says; returns false when more bytes are needed.
    fn skip_some(&mut self, skip: Skip) -> bool {
        let input = self.buf.as_slice();
        match skip {
            Skip::No => true,
            Skip::Line(then) => match crate::scan::find(b'\n', input) {
                Some(i) => {
                    self.drop_front(i + 1);
                    self.skip = then.map_or(Skip::No, Skip::Block);
                    true
                }
                None => {
                    self.drop_front(input.len());
                    false
                }
            },
            Skip::Block(code) => {
                let any = self.config.any_code_ends_block;
                match crate::scan::find(b'\n', input) {
                    Some(i) => {
                        let line = input.get(..i).unwrap_or_default();
                        if rfc959::closes_block(any, line, code).is_some() {
                            self.skip = Skip::No;
                        }
                        self.drop_front(i + 1);
                        true
                    }
                    // A line longer than the buffer: its first bytes tell
                    // whether it closes the block; drop it whole.
                    None if self.is_full() => {
                        let head = input.get(..4).unwrap_or(input);
                        let closes = head.get(3) == Some(&b' ')
                            && rfc959::closes_block(any, head, code).is_some();
                        self.skip = Skip::Line(if closes { None } else { Some(code) });
                        self.drop_front(input.len());
                        false
                    }
                    None => false,
                }
            }
        }
    }

    /// Call at the end of the stream: the bytes left over, if any, are an
    /// unfinished reply, reported as [`parse_complete`](crate::parse_complete)
    /// would ([`ErrorKind::UnterminatedLine`] or
    /// [`ErrorKind::UnterminatedBlock`]). The buffer is emptied.
    pub fn finish(&mut self) -> Option<Error> {
        self.release();
        self.ready = NOT_READY;
        let skipping = self.skip != Skip::No;
        self.skip = Skip::No;
        let input = self.buf.as_slice();
        let result = if input.is_empty() || skipping {
            None
        } else {
            self.config
                .parse_complete(input)
                .err()
                .map(|e| e.shifted(self.base))
        };
        self.drop_front(self.buf.len());
        result
    }
}

/// The code of the block that `input` opens (`ddd-`), if it opens one.
fn block_code(input: &[u8]) -> Option<ReplyCode> {
    match input {
        [a, b, c, b'-', ..] => ReplyCode::from_digits([*a, *b, *c]),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::vec::Vec;

    fn drain<const N: usize>(dec: &mut Decoder<N>) -> Vec<Result<(u16, usize), ErrorKind>> {
        let mut out = Vec::new();
        while let Some(r) = dec.next() {
            out.push(
                r.map(|r| (r.code().get(), r.line_count()))
                    .map_err(|e| e.kind()),
            );
        }
        out
    }

    #[test]
    fn size_bound() {
        assert!(core::mem::size_of::<Decoder<256>>() <= 256 + 64);
        assert!(core::mem::size_of::<Decoder<1024>>() <= 1024 + 64);
    }

    #[test]
    fn too_long_line_then_next_reply() {
        let mut dec = Decoder::<16>::new();
        let stream = b"220 this line is far too long\r\n200 ok\r\n";
        let mut out = Vec::new();
        let mut rest = &stream[..];
        while !rest.is_empty() {
            let n = dec.push(rest);
            rest = &rest[n..];
            out.extend(drain(&mut dec));
        }
        out.extend(drain(&mut dec));
        assert_eq!(
            out,
            [Err(ErrorKind::ReplyTooLong { limit: 16 }), Ok((200, 1))]
        );
    }

    #[test]
    fn too_long_block_then_next_reply() {
        let mut dec = Decoder::<12>::new();
        let stream = b"211-a\r\n 200 x\r\n 300 yyyyyyyyyyyyyy\r\n211 End\r\n230 ok\r\n";
        let mut out = Vec::new();
        for b in stream {
            assert_eq!(dec.push(&[*b]), 1);
            out.extend(drain(&mut dec));
        }
        assert_eq!(
            out,
            [Err(ErrorKind::ReplyTooLong { limit: 12 }), Ok((230, 1))]
        );
    }
}
