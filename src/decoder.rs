//! A streaming decoder with a fixed buffer, for firmware.
//!
//! `push` copies (and, on 64-bit targets, looks at what it copied);
//! `next` scans, and only when a line may have ended or the buffer is
//! full. (On 64-bit targets a push of 8 to 16 bytes that ends lines reads
//! them itself: see below.) The scan is resumable: where it stopped, the open block's code,
//! its line count and the first error inside it are kept between calls, so
//! no call re-reads what an earlier one scanned. On 64-bit targets the
//! bytes after the scan position that are known free of LF and NUL are
//! counted (`clean`): a push that continues them looks at its bytes for
//! the first LF or NUL (or 0x02 or 0x08, which one mask catches with
//! them, at the cost of a scan that finds no line end when text holds
//! them), so the look is the scan, and a single-line reply
//! (or an open block's line) whose LF ends that run is handed out (or
//! judged) without reading it again (`line_at_clean`, `poll_block`). A
//! push of 8 to 16 bytes (a small read, a segment cut small) keeps its
//! stops as bits (`Item::stops`) and reads the lines they end at once,
//! the single-line replies and a block's lines one after the other with no
//! byte looked at again (`read_stops`); `next` hands out a reply found
//! there and reads on from the stops left. While
//! `next` has nothing to do, every byte held is free of LF and NUL, so a
//! push carries the run on from wherever it stands and a LF pushed alone
//! ends it. A new item whose first line is held is read whole, as the walk
//! reads it (`quick`), and an open block's later lines are judged straight
//! from the buffer (`block_lines`); a microcontroller takes the general
//! step alone, which is smaller. Handed-out bytes are dropped lazily: the
//! buffer is compacted only when room is needed, and then only when the
//! move pays for itself (it moves no more than it frees) or nothing else
//! can free room (`tests::moves_pay_for_themselves` counts every move, for
//! four ways of feeding the decoder).

use crate::code::ReplyCode;
use crate::config::ParserConfig;
use crate::error::{Error, ErrorKind};
use crate::grammar::rfc959::{self, Separator};
use crate::reply::Reply;

/// Where the scanner is inside the current item.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)] // `Head` is tag 0: `Decoder::new()` stays all zero bytes
enum State {
    /// Reading the first bytes of an item: its code and separator.
    Head,
    /// In the text of a single-line reply.
    Single,
    /// In a block opened by `ddd-`: its first line or a later one.
    Block,
    /// An error was found in a single line: dropping it up to its LF.
    ErrLine,
}

/// The item (reply or error) being scanned at the front of the buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Item {
    /// Bytes of the item scanned so far, dropped ones included.
    seen: usize,
    /// Item-relative end of the first line (past its LF); 0 before it.
    first_end: usize,
    /// Lines begun after the first (0 keeps `new()` all zero bytes).
    later_lines: usize,
    /// The item-relative offset of the first error inside the item.
    err_at: usize,
    /// What that error is (`Fault::None`, tag 0, while there is none: an
    /// `Option<ErrorKind>` would make `new()` hold a non-zero niche and move
    /// a `static` decoder from `.bss` to `.data`).
    err: Fault,
    /// The first line's code (0 before the head is read).
    code: u16,
    state: State,
    /// Bytes of `head` filled.
    head_len: u8,
    /// The first bytes of the current line (the first line's code and
    /// separator, or a later line's, to tell whether it closes the block),
    /// kept here so that no rule depends on the buffer holding a line whole.
    head: [u8; 5],
    /// Scanned bytes are dropped, not kept: the item is an error, or longer
    /// than the buffer (then only the first line's head is kept).
    dropping: bool,
    /// The item did not fit: its reply will be flagged truncated.
    truncated: bool,
    /// 64-bit targets: the stops of the last small push not read yet, bit
    /// `i` for `buf[stops_at + i]` (0: none known; see
    /// `scan::stop_bits_in_two_words`). While it is not 0, that push's bytes
    /// are the last held, every byte from `pos` to the lowest bit is free of
    /// LF and NUL, and every LF and NUL after it has its bit, so `poll`
    /// reads the lines they end one after the other with no look at any
    /// byte ([`Decoder::poll_stops`]). Every other way a LF or NUL comes in
    /// (a byte pushed alone while `next` has work, a large push, a `fill`)
    /// and every move of the bytes sets it back to 0, and so does the
    /// general step, which `poll_stops` hands over to with `clean` set
    /// (forgetting them is always safe: `clean` never reaches past the
    /// next one). Kept here, in room `Item` has (`size_of::<Client<512>>()`
    /// stays under 768); a new item after a reply keeps them (`release`).
    /// Not built on 32-bit targets, where pushes do not look.
    #[cfg(target_pointer_width = "64")]
    stops: u16,
    /// Where the push that `stops` stands for starts (a push that starts
    /// past 65,535 records no stops: `clean` is set instead).
    #[cfg(target_pointer_width = "64")]
    stops_at: u16,
}

const NEW_ITEM: Item = Item {
    seen: 0,
    first_end: 0,
    later_lines: 0,
    err_at: 0,
    err: Fault::None,
    code: 0,
    state: State::Head,
    head_len: 0,
    head: [0; 5],
    dropping: false,
    truncated: false,
    #[cfg(target_pointer_width = "64")]
    stops: 0,
    #[cfg(target_pointer_width = "64")]
    stops_at: 0,
};

impl Item {
    /// Keeps the first bytes of the current line, from `bytes` (which
    /// continue it), up to the five the rules look at.
    #[inline]
    fn keep_head(&mut self, bytes: &[u8]) {
        let filled = usize::from(self.head_len);
        if filled >= self.head.len() {
            return;
        }
        // A whole head at once: a line that started in this segment.
        if filled == 0
            && let Some(head) = bytes.first_chunk::<5>()
        {
            self.head = *head;
            self.head_len = 5;
            return;
        }
        let mut added = 0u8;
        for (slot, &x) in self.head.iter_mut().skip(filled).zip(bytes) {
            *slot = x;
            added += 1;
        }
        self.head_len += added;
    }

    /// Whether `line` (a whole later line of the open block opened by
    /// `code`, without its LF) closes it, and with which code. When the
    /// line's first bytes were taken by an earlier call, its head (kept
    /// here) is judged instead.
    #[inline(always)]
    fn closes(&mut self, any: bool, line: &[u8], code: ReplyCode) -> Option<ReplyCode> {
        if self.head_len == 0 {
            // Most of a block's lines start with no digit (a help table's,
            // a feature list's): no code, so none closes it.
            if !line.first().is_some_and(u8::is_ascii_digit) {
                return None;
            }
            return rfc959::closes_block(any, line, code);
        }
        self.keep_head(line);
        let head = self
            .head
            .get(..usize::from(self.head_len))
            .unwrap_or_default();
        rfc959::closes_block(any, head, code)
    }
}

/// A reply found at `buf[start..kept]`, not yet handed out (`code` not 0),
/// or handed out and to be dropped at the next call (`code` 0, `done`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Ready {
    lines: u32,
    /// The code's number (0 when not ready, to keep `new()` all zero):
    /// always stored from a `ReplyCode`, so a ready one is a code.
    code: u16,
    truncated: bool,
    /// Handed out: drop it at the next call.
    done: bool,
}

const NOT_READY: Ready = Ready {
    lines: 0,
    code: 0,
    truncated: false,
    done: false,
};

/// An error on its way out of [`Decoder::next`]: on 64-bit targets out
/// of line, so that the reply's path does not copy the error's fields
/// before it knows which one it is (6 instructions per reply at 1460-byte
/// pushes). On a microcontroller that costs 96 B of flash: inline there.
#[cfg_attr(target_pointer_width = "64", cold, inline(never))]
#[cfg_attr(not(target_pointer_width = "64"), inline(always))]
fn reported(e: Error) -> Error {
    e
}

/// The bytes [`Decoder::look_after`] tests at once (`scan::first_stop_64`),
/// and the most a block's later lines may hold for
/// [`Decoder::poll_block`] to read them one at a time.
const LOOK: usize = 64;

/// Proof that [`Decoder::poll`] found a reply: hand it to
/// [`Decoder::reply`] to take the reply.
///
/// It holds the reply's code and which [`poll`](Decoder::poll),
/// [`clear`](Decoder::clear) or [`finish`](Decoder::finish) of its decoder
/// it comes from (counted mod 64), packed in one `u16` (the code is below
/// 1024): a token twice that size cost 10 instructions per reply in every
/// `next`, which builds one.
#[derive(PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[must_use = "the reply is taken with Decoder::reply"]
pub struct ReplyReady(u16);

impl ReplyReady {
    /// The code's bits; the count's are above them.
    const CODE_BITS: u32 = 10;
    const CODE_MASK: u16 = (1 << Self::CODE_BITS) - 1;
    /// The count's bits: mod 64.
    const EPOCH_MASK: u16 = (1 << (16 - Self::CODE_BITS)) - 1;

    /// The token for a reply of `code` found after `epoch` clears and
    /// finishes.
    #[inline(always)]
    const fn new(code: ReplyCode, epoch: u8) -> Self {
        ReplyReady(code.get() | ((epoch as u16 & Self::EPOCH_MASK) << Self::CODE_BITS))
    }

    /// The reply's code.
    const fn code(&self) -> ReplyCode {
        ReplyCode::stored(self.0 & Self::CODE_MASK)
    }

    /// Whether it was found after `epoch` clears and finishes (mod 64).
    const fn of_epoch(&self, epoch: u8) -> bool {
        self.0 >> Self::CODE_BITS == epoch as u16 & Self::EPOCH_MASK
    }
}

impl core::fmt::Debug for ReplyReady {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_tuple("ReplyReady").field(&self.code()).finish()
    }
}

/// What [`Decoder::poll_stops`] did: small enough to come back in a
/// register, so that the call costs little where it is not inlined.
#[cfg(target_pointer_width = "64")]
enum Stops {
    /// A reply is ready, with this code.
    Ready(ReplyCode),
    /// Every stop is read and what is held is clean: nothing to do until
    /// more arrives.
    Wait,
    /// The general step must read on.
    Scan,
}

/// What [`Decoder::quick`] did with a new item.
enum Quick {
    /// A single-line reply is ready.
    Ready,
    /// No line end is held yet, and what is held is scanned: nothing to
    /// do until more arrives.
    Wait,
    /// The resumable scan must read it.
    Scan,
}

/// What [`Decoder::block_lines`] stopped at.
enum BlockStep {
    Found(Found),
    /// Everything held is scanned.
    More,
    /// The general step must read on.
    Other,
}

/// What one scanning step found.
enum Found {
    Reply,
    Error(Error),
}

/// A push-bytes-in, pull-replies-out decoder over a buffer of `N` bytes.
///
/// Feed it what the control connection gives, in pieces of any size, with
/// [`push`](Self::push) or [`fill`](Self::fill); take replies out with
/// [`next`](Self::next) until it returns `None` ("need more bytes"). A
/// reply borrows the decoder's buffer until the next call.
///
/// The decoder owns no heap and never grows: `size_of::<Decoder<N>>()` is
/// `N + 128` bytes or less on a 64-bit target and `N + 80` on a 32-bit one
/// (const assertions check both), so it can live in a `static`; `new()` is
/// all zero bytes, so a `static` decoder lands in `.bss`.
///
/// # Work per byte
///
/// A push of one byte is a store and a compare. Whatever the chunking, a
/// byte is looked at a bounded number of times: when pushed (the look, on
/// 64-bit targets), when a small push ends its line (the line's head and
/// end, read once from the stops: 64-bit targets), when the reply before
/// it is handed out (the look at what follows it, when at most 64 bytes
/// are held after it: 64-bit targets), by one attempt to read its item
/// whole with the walk's grammar when more are held at the item's start
/// (64-bit targets), by the scan, which resumes where the
/// last call left it and skips what a look found clean (a line still
/// arriving is not scanned again), by one attempt to read a block whole
/// when its first line arrives (64-bit targets), and once more when an
/// item turns out to hold an error or to fill the buffer (the general step
/// then reads it again). Bytes are moved only when room is
/// needed, never more than are freed (except once per reply that outgrows
/// its place), so the total work is linear in the stream for any `N` and
/// any chunking (`tests/complexity.rs`: hostile shapes at 1-byte, 16-byte
/// and 1460-byte pushes, 4 KiB against 64 KiB).
///
/// # Errors and recovery
///
/// - Bytes that are not a reply give the parser's error once, standing for
///   the same item as in [`parse_complete`](crate::parse_complete): the line
///   at fault, or the whole block, through its closing line, once `ddd-` has
///   opened one (the closing line never comes out as a reply of its own).
///   Fed the same stream in any chunking, the decoder yields the same
///   replies and errors as [`parse_complete`](crate::parse_complete)
///   walking the whole stream, as long as every reply fits in `N` bytes
///   (`tests/laws.rs`).
/// - A reply that does not fit in `N` bytes still comes out, once, as a
///   reply with its code (the code of its closing line) and
///   [`Reply::is_truncated`] set; it holds the first line, cut to at most
///   `N / 2` bytes (the same bytes in any chunking). No later reply is
///   lost, for any `N` of 1 or more (`tests/laws.rs`, laws 4 and 5).
///
/// Error offsets count from the first byte ever pushed into the decoder,
/// modulo `usize::MAX + 1`: past that many bytes (4 GiB on a 32-bit
/// target) they wrap, and an error that straddles the wrap ends below its
/// offset (`end().wrapping_sub(offset())` is still its length). An item
/// longer than `usize::MAX` bytes gives its start inexactly. Nothing
/// overflows: no count panics, with overflow checks on or off
/// (`offsets_wrap_and_counts_saturate`).
///
/// ```
/// use ftp_reply::Decoder;
///
/// let mut dec = Decoder::<256>::new();
/// let mut codes = Vec::new();
/// for mut chunk in [&b"220 ready\r\n33"[..], b"1 need pass", b"word\r\n"] {
///     while !chunk.is_empty() {
///         let taken = dec.push(chunk);
///         chunk = &chunk[taken..];
///         while let Some(reply) = dec.next() {
///             codes.push(reply?.code().get());
///         }
///     }
/// }
/// assert_eq!(codes, [220, 331]);
/// # Ok::<(), ftp_reply::Error>(())
/// ```
#[derive(Clone)]
pub struct Decoder<const N: usize> {
    buf: [u8; N],
    /// The current item (or the ready reply) starts here.
    start: usize,
    /// End of the bytes kept of the current item (while dropping, the
    /// bytes `kept..pos` are dead, waiting for a compaction).
    kept: usize,
    /// The scan position: bytes before it are scanned.
    pos: usize,
    /// End of the bytes held.
    end: usize,
    /// Stream offset of `buf[pos]`.
    offset: usize,
    item: Item,
    ready: Ready,
    /// The configuration's block line limit (0: none), kept as a field of
    /// its own with `any_code_ends_block`: `ParserConfig`'s padding held
    /// [`epoch`](Self::epoch) at no cost (see [`config`](Self::config)).
    max_lines: u32,
    any_code_ends_block: bool,
    /// Counts the [`poll`](Self::poll)s, [`clear`](Self::clear)s and
    /// [`finish`](Self::finish)es (a [`ReplyReady`] carries it mod 64): a
    /// token from before one of them takes no reply.
    epoch: u8,
    /// How much of the buffer `with_limit` leaves unused: the usable part
    /// is `N - cut` (0, so that `new()` is all zero bytes, means all of it).
    /// (A `u32`: a limit more than 4 GiB below `N` is rounded up.)
    cut: u32,
    /// `next` has work: a LF (or a NUL) may be among the bytes not scanned
    /// yet, the buffer is full (and moving what is held to the front would
    /// not pay: then `push` cannot make room without a scan), or a reply is
    /// ready or was just handed out.
    /// While it is false, `next` returns `None` at once, so a push inside a
    /// line costs a copy and a compare.
    ///
    /// On 64-bit targets, while it is false no byte of `pos..end` is a LF
    /// or a NUL (every push looks for both before it leaves it false, and
    /// every scan that clears it has read what is held, or found it clean):
    /// so the bytes before a push are a clean run, whatever `clean` says.
    must_scan: bool,
    /// How many bytes after `pos` are known free of LF and NUL (a line
    /// still arriving, looked at by a push or by [`quick`](Self::quick)),
    /// so that no one scans them again. While `must_scan` is false it may
    /// fall short (a small push with no LF or NUL leaves it as it was):
    /// every byte held after `pos` is clean then, and the push that ends
    /// the run counts it from the positions.
    clean: u16,
    /// The last error reported was an `InvalidCode` at its line's first
    /// byte, which is no digit: a line that does not even start like a
    /// reply (an empty line, prose), which the client engine skips.
    text_line: bool,
    /// The reply `ready` holds is a block closed by a line with another
    /// code ([`Reply::closed_by_other_code`]), set with `ready`: kept here,
    /// in padding the decoder has (in `Ready` it made the decoder 8 bytes
    /// bigger on 64-bit targets, past `Client`'s size bound).
    other_closed: bool,
}

/// What `Decoder<N>` holds besides its buffer, at most (the docs' bound).
#[cfg(target_pointer_width = "64")]
const STATE_BOUND: usize = 128;
#[cfg(not(target_pointer_width = "64"))]
const STATE_BOUND: usize = 80;

/// Whether `Decoder<N>` keeps the docs' bound.
const fn within_bound<const N: usize>() -> bool {
    core::mem::size_of::<Decoder<N>>() <= N + STATE_BOUND
}

// Odd and even sizes, since padding depends on N.
const _: () = assert!(
    within_bound::<1>()
        && within_bound::<7>()
        && within_bound::<255>()
        && within_bound::<256>()
        && within_bound::<257>()
        && within_bound::<1021>()
        && within_bound::<4096>()
);

// The README's figure for a 32-bit Cortex-M: 328 bytes for N = 256.
#[cfg(target_pointer_width = "32")]
const _: () = assert!(core::mem::size_of::<Decoder<256>>() == 328);

impl<const N: usize> Default for Decoder<N> {
    fn default() -> Self {
        Self::new()
    }
}

/// What a decoder holds: its fill and its capacity, not the bytes (a
/// `Decoder<4096>` would flood the log), as its `defmt::Format` does.
impl<const N: usize> core::fmt::Debug for Decoder<N> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Decoder")
            .field("len", &self.len())
            .field("capacity", &self.capacity())
            .finish()
    }
}

impl<const N: usize> Decoder<N> {
    /// An empty decoder with the default [`ParserConfig`].
    ///
    /// `N` must be at least 1: `Decoder::<0>::new()` does not compile.
    ///
    /// ```compile_fail
    /// let decoder = ftp_reply::Decoder::<0>::new();
    /// # let _ = decoder;
    /// ```
    #[must_use]
    pub const fn new() -> Self {
        Self::with_config(ParserConfig::new())
    }

    /// An empty decoder that frames replies as `config` says (its
    /// [`max_lines`](ParserConfig::max_lines) bounds a block's lines).
    #[must_use]
    #[inline(always)]
    pub const fn with_config(config: ParserConfig) -> Self {
        const { assert!(N >= 1, "a Decoder needs a buffer of at least one byte") };
        Decoder {
            buf: [0; N],
            start: 0,
            kept: 0,
            pos: 0,
            end: 0,
            offset: 0,
            item: NEW_ITEM,
            ready: NOT_READY,
            max_lines: config.max_lines,
            any_code_ends_block: config.any_code_ends_block,
            epoch: 0,
            cut: 0,
            must_scan: false,
            clean: 0,
            text_line: false,
            other_closed: false,
        }
    }

    /// Forgets every byte held and every error state, in place (keeping
    /// the configuration and limit): a new stream starts, with offsets from
    /// 0 again.
    pub fn clear(&mut self) {
        self.start = 0;
        self.kept = 0;
        self.pos = 0;
        self.end = 0;
        self.offset = 0;
        self.item = NEW_ITEM;
        self.ready = NOT_READY;
        self.must_scan = false;
        self.clean = 0;
        self.epoch = self.epoch.wrapping_add(1);
        self.forget_stops();
    }

    /// The same decoder, using only `limit` bytes of its buffer (at most
    /// `N`, at least 1): a reply longer than `limit` comes out truncated.
    /// For a limit chosen at run time, such as a command-line option, with
    /// `N` as the ceiling.
    ///
    /// It may be set on a decoder in use: what it holds stays, and once
    /// [`next`](Self::next) has returned `None` again, the next `push` makes
    /// room under the new limit (moving the bytes, cutting the reply being
    /// read, and cutting the head kept of a reply already cut to half the
    /// new limit); a `push` before that may take nothing, as one on a full
    /// buffer does. So no later reply is lost
    /// (`tests/readers.rs`: `a_limit_below_what_is_held_reads_on`,
    /// `a_limit_below_a_cut_replys_head_reads_on`). A reply already whole
    /// in the buffer when the limit shrinks comes out whole.
    #[must_use]
    pub const fn with_limit(mut self, limit: usize) -> Self {
        let cap = if limit < N { limit } else { N };
        let cap = if cap == 0 { 1 } else { cap };
        let cut = N - cap;
        self.cut = if cut > u32::MAX as usize {
            u32::MAX
        } else {
            cut as u32
        };
        // Bytes already held may fill the smaller buffer: let `next` look.
        self.must_scan = true;
        self.forget_stops();
        self
    }

    /// The configuration it was made with.
    #[inline(always)]
    const fn config(&self) -> ParserConfig {
        ParserConfig {
            any_code_ends_block: self.any_code_ends_block,
            max_lines: self.max_lines,
        }
    }

    /// The usable capacity: `N`, or the limit set by `with_limit`.
    const fn cap(&self) -> usize {
        N.saturating_sub(self.cut as usize)
    }

    /// `at < cap()`, with no saturating subtraction: what the paths taken
    /// for every reply ask.
    #[inline(always)]
    const fn below_cap(&self, at: usize) -> bool {
        (at as u64) + (self.cut as u64) < N as u64
    }

    /// The buffer's usable capacity: `N`, or less after
    /// [`with_limit`](Self::with_limit).
    #[must_use]
    pub const fn capacity(&self) -> usize {
        self.cap()
    }

    /// Bytes held and not yet handed out.
    #[must_use]
    pub const fn len(&self) -> usize {
        if self.ready.done {
            return self.end.saturating_sub(self.pos);
        }
        let kept = self.kept.saturating_sub(self.start);
        kept.saturating_add(self.end.saturating_sub(self.pos))
    }

    /// Room left for new bytes without moving any (a call to
    /// [`push`](Self::push) or [`fill`](Self::fill) may make more).
    #[must_use]
    pub const fn free(&self) -> usize {
        self.cap().saturating_sub(self.end)
    }

    /// True when no byte is held. The decoder may still be inside an item
    /// then: one it knows to be an error drops its bytes as they are read,
    /// as does a reply being cut past the head it keeps, and
    /// [`finish`](Self::finish) reports that item.
    #[must_use]
    pub const fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Drops the reply handed out last, and resets the positions when the
    /// buffer is empty (free, no bytes move).
    fn release(&mut self) {
        // (On 64-bit targets the item was made new when the reply was
        // found: `ready_from_item`.)
        if self.ready.done {
            self.ready = NOT_READY;
            self.start = self.pos;
            self.kept = self.pos;
            #[cfg(not(target_pointer_width = "64"))]
            {
                self.item = NEW_ITEM;
            }
        }
        if self.item.seen == 0 && self.pos == self.end {
            self.start = 0;
            self.kept = 0;
            self.pos = 0;
            self.end = 0;
        }
    }

    /// Moves the kept bytes of the current item and the unscanned bytes to
    /// the front of the buffer, squeezing out what was handed out or
    /// dropped.
    fn compact(&mut self) {
        self.forget_stops();
        let kept_len = self.kept.saturating_sub(self.start);
        let tail = self.end.saturating_sub(self.pos);
        // Test builds only: what this move moves and frees, and the room
        // it found (`tests::moves_pay_for_themselves`).
        #[cfg(test)]
        tests::record_move(
            if self.start > 0 { kept_len } else { 0 } + if self.pos > kept_len { tail } else { 0 },
            self.dead(),
            self.cap().saturating_sub(self.end),
        );
        if self.start > 0 {
            move_down(&mut self.buf, self.start, self.kept, 0);
        }
        if self.pos > kept_len {
            move_down(&mut self.buf, self.pos, self.end, kept_len);
        }
        self.start = 0;
        self.kept = kept_len;
        self.pos = kept_len;
        self.end = kept_len + tail;
    }

    /// Makes room at the end of the buffer, if it can, when there is none.
    /// It never scans: when bytes wait to be scanned or a reply waits to be
    /// taken, [`next`](Self::next) must run first.
    #[cold]
    #[inline(never)]
    fn make_room(&mut self) {
        // A reply `poll` found and `reply` has not taken yet stays where it
        // is: `release` would take the buffer for empty and reset it.
        if self.ready.code == 0 || self.ready.done {
            self.release();
        }
        let cap = self.cap();
        if self.end < cap {
            return;
        }
        if self.compact_if_it_pays() {
            return;
        }
        if self.ready.code != 0 || self.pos < self.end {
            return;
        }
        // Everything held is scanned and belongs to the current item, which
        // is not complete: make room whatever it costs, once per item.
        if self.dead() > 0 {
            self.compact();
            if self.end < cap {
                return;
            }
        }
        self.truncate();
        self.compact();
    }

    /// Bytes no longer needed: handed out (before `start`) or dropped
    /// (`kept..pos`).
    const fn dead(&self) -> usize {
        self.start + (self.pos - self.kept)
    }

    /// Whether [`compact_if_it_pays`](Self::compact_if_it_pays) would move
    /// (called with no reply handed out and still held).
    const fn compact_would_pay(&self) -> bool {
        let dead = self.dead();
        // ... and leaves room: after a `with_limit` that shrank the buffer,
        // what is held may fill it even moved to the front.
        dead > 0 && dead >= self.end - dead && self.below_cap(self.end - dead)
    }

    /// Moves what is held to the front when that pays for itself (it frees
    /// at least as much as it moves); true when it did.
    fn compact_if_it_pays(&mut self) -> bool {
        if self.compact_would_pay() {
            self.compact();
            return true;
        }
        false
    }

    /// Makes room if it can and returns how much there is: what the
    /// readers ask before they read.
    #[cfg(feature = "embedded-io-async")]
    pub(crate) fn room(&mut self) -> usize {
        self.make_room();
        self.free()
    }

    /// The current item fills the whole buffer: keep the head of its first
    /// line (at most half the buffer, ending with a LF) and drop the rest
    /// of it as it is scanned.
    fn truncate(&mut self) {
        self.forget_stops();
        let half = self.cap() / 2;
        let item = &mut self.item;
        item.truncated = true;
        let first = if item.dropping {
            // Cut before, and `with_limit` has shrunk the buffer since:
            // the head kept may leave no room now. Keep what the new
            // limit keeps (once it does, this changes nothing).
            self.kept.saturating_sub(self.start)
        } else if item.first_end > 0 {
            item.first_end
        } else {
            item.seen
        };
        item.dropping = true;
        let keep = first.min(half);
        if keep < first
            && keep > 0
            && let Some(b) = self.buf.get_mut(self.start + keep - 1)
        {
            *b = b'\n';
        }
        self.kept = self.start + keep;
    }
}

impl<const N: usize> Decoder<N> {
    /// Copies as much of `bytes` as fits and returns how many bytes that
    /// was. It fills the free room ([`free`](Self::free)), and makes room
    /// (moving bytes, or cutting a reply longer than the buffer) only when
    /// there is none, so fewer than `bytes.len()` means the free room is
    /// used up, not that no more could be taken: take replies out with
    /// [`next`](Self::next) until it returns `None`, then push the rest.
    /// After `next` has returned `None`, `push` always takes at least
    /// one byte (a reply longer than the buffer is truncated to make room),
    /// so that loop never spins.
    #[must_use = "the bytes not taken must be pushed again"]
    #[inline(always)]
    pub fn push(&mut self, bytes: &[u8]) -> usize {
        // One byte with room for it (a UART, a byte-at-a-time reader): a
        // store and a compare, inlined at the caller. (The byte that fills
        // the buffer takes the general path, which tells `next` to scan.)
        let end = self.end;
        if let [b] = *bytes
            && let Some(slot) = self.buf.get_mut(end)
            && (self.cut as usize) < N - end - 1
        {
            *slot = b;
            self.end = end + 1;
            // A branch, not `|=`: inside a line nothing else is written.
            // One test for LF and NUL (and 0x02 and 0x08, which only cost
            // a scan): `next` has work.
            if b & !b'\n' == 0 {
                self.byte_stop();
            }
            return 1;
        }
        if crate::scan::SHORTCUTS
            && !self.must_scan
            && let Some(n) = self.push_short(bytes)
        {
            return n;
        }
        self.push_many(bytes)
    }

    /// A byte pushed alone that may end a line (LF), or that the scan must
    /// see (NUL). On 64-bit targets, one that arrives while `next` has
    /// nothing to do ends a clean run (no byte before it is a LF or a NUL):
    /// a LF's line is handed out without a scan, and the scan for a NUL
    /// starts at it.
    #[inline]
    fn byte_stop(&mut self) {
        if crate::scan::SHORTCUTS && !self.must_scan {
            self.set_clean(self.end.saturating_sub(self.pos + 1));
        } else {
            // A LF or NUL while another waits to be read: the last small
            // push's may no longer be the only one. (While `next` has
            // nothing to do, that one is already read: past `pos`.)
            self.forget_stops();
        }
        self.must_scan = true;
    }

    /// 64-bit targets, while `next` has nothing to do (so every byte held
    /// after `pos` is free of LF and NUL: a clean run): 8 to 16 bytes (a
    /// small read, a segment cut small) that leave room after them, copied
    /// as two words and looked at in the same registers for LF and NUL (or
    /// 0x02 or 0x08, which the same mask catches: `scan::stop_flags`; they
    /// cost a look that finds no line end). With none, the run goes on;
    /// else their bits are kept (`Item::stops`) and the lines they end are
    /// read at once ([`read_stops`](Self::read_stops)): work `next` would
    /// do, done while the bytes are in registers, so that `next` hands out
    /// what it found. `None`: anything else, for the general push.
    #[inline(always)]
    fn push_short(&mut self, bytes: &[u8]) -> Option<usize> {
        let n = bytes.len();
        // 8 to 16 bytes, in one compare.
        if n.wrapping_sub(8) > 8 {
            return None;
        }
        let (Some(lo), Some(hi)) = (bytes.first_chunk::<8>(), bytes.last_chunk::<8>()) else {
            return None;
        };
        // A reply handed out last is not dropped here: `len` counts
        // nothing of it, and the line that begins the next item drops it
        // (`read_stops`, or the general step: `release`). `reply()` has
        // already moved the positions to the front when nothing is held.
        let Some(at) = self.copy_short(lo, hi, n) else {
            return self.short_after_room(lo, hi, n);
        };
        self.short_pushed(at, lo, hi, n);
        Some(n)
    }

    /// Copies the 8 to 16 bytes `lo` and `hi` stand for (`n` of them) to
    /// the end of what is held, when there is room for them and one more
    /// byte, and returns where they went.
    #[inline(always)]
    fn copy_short(&mut self, lo: &[u8; 8], hi: &[u8; 8], n: usize) -> Option<usize> {
        let at = self.end;
        let cut = self.cut as usize;
        let room = self.buf.get_mut(at..)?;
        // `below_cap(at + n)`, with no bounds check left for the copy:
        // `n + cut` cannot overflow, as `cut` is below `N`, the length of
        // an array.
        if n + cut >= room.len() {
            return None;
        }
        let dst = room.get_mut(..n)?;
        *dst.first_chunk_mut::<8>()? = *lo;
        *dst.last_chunk_mut::<8>()? = *hi;
        Some(at)
    }

    /// The 8 to 16 bytes `lo` and `hi` stand for (`n` of them), just
    /// copied to `at` by `push_short`: the end moves, and their stops are
    /// kept and read.
    #[inline(always)]
    fn short_pushed(&mut self, at: usize, lo: &[u8; 8], hi: &[u8; 8], n: usize) {
        self.end = at + n;
        // With no LF or NUL among them, the new bytes only lengthen the
        // clean run, and `clean` is left as it is: while `must_scan` is
        // false the run is everything held after `pos` (see `must_scan`),
        // so `clean` is not read until a push that ends the run sets it.
        if let Some(stops) = crate::scan::stop_bits_in_two_words([*lo, *hi], n) {
            // `must_scan` is false: every byte held before these is clean,
            // and `poll` reads on from the stops (see `stops`).
            self.must_scan = true;
            #[cfg(target_pointer_width = "64")]
            match u16::try_from(at) {
                Ok(at) => {
                    self.item.stops = stops;
                    self.item.stops_at = at;
                    // The lines these stops end are read now, while the
                    // push's bytes are in registers and cache: `next`
                    // then hands out a reply found here at once.
                    let _ = self.read_stops();
                }
                Err(_) => {
                    let first = stops.trailing_zeros() as usize;
                    self.set_clean(at.saturating_sub(self.pos) + first);
                }
            }
            #[cfg(not(target_pointer_width = "64"))]
            self.set_clean(at.saturating_sub(self.pos) + stops.trailing_zeros() as usize);
        }
    }

    /// A small push (`push_short`, `n` bytes: `lo` and `hi`) that finds
    /// no room for them and one more byte at the end of the buffer, while
    /// `next` has nothing to do: drops the reply handed out last, and
    /// moves what is held to the front when that frees at least as much as
    /// it moves (as [`make_room`](Self::make_room) does), so that a stream
    /// of small pushes keeps the small push's path when it reaches the
    /// end of the buffer. `None`: no room made, for the general push.
    #[cold]
    #[inline(never)]
    fn short_after_room(&mut self, lo: &[u8; 8], hi: &[u8; 8], n: usize) -> Option<usize> {
        self.release();
        if !self.compact_if_it_pays() {
            return None;
        }
        let at = self.copy_short(lo, hi, n)?;
        self.short_pushed(at, lo, hi, n);
        Some(n)
    }

    /// `push`, any number of bytes, in any state. (Out of line on 64-bit
    /// targets: inlined into a caller's loop of small pushes it crowds
    /// their registers, 583 to 620 instructions per reply at 16-byte
    /// pushes. On a microcontroller the compiler decides, as before.)
    #[cfg_attr(target_pointer_width = "64", inline(never))]
    fn push_many(&mut self, bytes: &[u8]) -> usize {
        let (at, cap) = self.room_for_more();
        let n = bytes.len().min(cap.saturating_sub(at));
        let (Some(dst), Some(src)) = (self.buf.get_mut(at..at + n), bytes.get(..n)) else {
            return 0;
        };
        copy_bytes(dst, src);
        self.end = at + n;
        // On a microcontroller, where a look is a byte loop, `next` scans
        // what is new at once.
        if !crate::scan::SHORTCUTS {
            self.must_scan = true;
        } else if !self.must_scan {
            self.look(at, src, cap);
        }
        n
    }

    /// What `push_many` and `fill` do before new bytes come: the small
    /// push's stops are forgotten, and room is made when a reply was handed
    /// out or the buffer is full. Where the new bytes go, and the capacity.
    #[inline(always)]
    fn room_for_more(&mut self) -> (usize, usize) {
        self.forget_stops();
        let cap = self.cap();
        if self.ready.done || self.end >= cap {
            self.make_room();
        }
        (self.end, cap)
    }

    /// Whether the bytes `src`, just pushed at `at` while `next` had
    /// nothing to do, may end a line (or hold a NUL), which is when `next`
    /// has something to find. Every byte held before them is free of LF
    /// and NUL (what `must_scan` false says), so the look is the scan
    /// itself: it carries the clean run on to the first LF or NUL, and
    /// `next` reads no byte of the line again.
    #[inline]
    fn look(&mut self, at: usize, src: &[u8], cap: usize) {
        let hit = crate::scan::find2_span(b'\n', 0, src);
        self.looked(at, hit.unwrap_or(src.len()), hit.is_some(), cap);
    }

    /// What a look found: the first `clean` bytes from `at` are free of LF
    /// and NUL, and `hit` says whether a stop ends them.
    #[inline]
    fn looked(&mut self, at: usize, clean: usize, hit: bool, cap: usize) {
        self.set_clean(at.saturating_sub(self.pos) + clean);
        self.must_scan = hit || self.end >= cap;
    }

    /// Lets `read` write straight into the free part of the buffer (a
    /// reader's `read` call, say) and keeps the bytes it says it wrote. No
    /// byte is zeroed or copied first.
    ///
    /// As with [`push`](Self::push), call it after [`next`](Self::next)
    /// (or [`poll`](Self::poll)) has returned `None`: then the free part
    /// holds at least one byte. Before, the buffer may be full, `read` is
    /// given an empty slice, and a reader's `Ok(0)` is no end of stream.
    ///
    /// Returns the count of bytes kept: what `read` says it wrote, capped
    /// at the slice it was given (a count past it is taken as the whole
    /// slice).
    ///
    /// # Errors
    /// Whatever `read` returns.
    pub fn fill<E>(
        &mut self,
        read: impl FnOnce(&mut [u8]) -> Result<usize, E>,
    ) -> Result<usize, E> {
        // As `push_many`, with `read` in place of the copy: a read of one
        // byte at a time (a UART, a server's 1-byte segments) is looked at
        // as a push is, and wakes `next` only at a LF or a NUL.
        let (at, cap) = self.room_for_more();
        let free = self.buf.get_mut(at..cap).unwrap_or_default();
        let room = free.len();
        let n = read(free)?.min(room);
        self.end = at + n;
        if !crate::scan::SHORTCUTS {
            self.must_scan |= n > 0;
        } else if !self.must_scan && n > 0 {
            let new = self.buf.get(at..at + n).unwrap_or_default();
            let hit = crate::scan::find2_span(b'\n', 0, new);
            self.looked(at, hit.unwrap_or(n), hit.is_some(), cap);
        }
        Ok(n)
    }

    /// The next reply, or the next error, or `None` when more bytes are
    /// needed.
    #[allow(clippy::should_implement_trait)] // a lending iterator: the reply borrows `self`
    #[must_use = "a reply or an error is lost if dropped"]
    #[inline(always)]
    pub fn next(&mut self) -> Option<Result<Reply<'_>, Error>> {
        match self.find()? {
            // `find` has just found it: `ready` holds it, not handed out.
            // (On a microcontroller through the checked `take_found`: without
            // the check there, the compiler's choices cost a Cortex-M3 176
            // instructions per reply at 1-byte pushes, for 12 B of flash.)
            #[cfg(target_pointer_width = "64")]
            Ok(code) => Some(Ok(self.hand_ready(code))),
            #[cfg(not(target_pointer_width = "64"))]
            Ok(code) => Some(Ok(self.take_found(code))),
            Err(e) => Some(Err(reported(e))),
        }
    }

    /// Finds the next reply without borrowing the decoder:
    /// `Some(Ok(ready))` when one is ready (take it with
    /// [`reply`](Self::reply)), `Some(Err(_))` for an error (reported once),
    /// `None` when more bytes are needed. A loop that reads until a reply is
    /// ready uses it, then returns `decoder.reply(ready)` with no arm that
    /// cannot happen. A token is good until the next `poll` (or
    /// [`clear`](Self::clear) or [`finish`](Self::finish)): after one, it
    /// takes an empty truncated reply. `poll` does not take the reply:
    /// until `reply` takes it, each `poll` finds the same reply again, with
    /// a new token, so a loop must take every reply it is told of
    /// (`a_token_for_a_reply_taken_takes_no_later_one`).
    #[must_use = "an error is reported once and lost if dropped"]
    #[inline(always)]
    pub fn poll(&mut self) -> Option<Result<ReplyReady, Error>> {
        let found = self.find()?;
        // A token is good until the next `poll`: one kept past it would
        // take a later reply with the same code.
        self.epoch = self.epoch.wrapping_add(1);
        Some(found.map(|code| ReplyReady::new(code, self.epoch)))
    }

    /// [`poll`](Self::poll) with the code for a token: what `next` asks,
    /// which takes the reply at once.
    #[inline(always)]
    fn find(&mut self) -> Option<Result<ReplyCode, Error>> {
        // Nothing can end before a LF arrives; when the buffer is full
        // the scan must run all the same, so that `push` may make room.
        if !self.must_scan {
            return None;
        }
        // The stops of a small push: the lines they end are read one
        // after the other (after a reply that one of them ended, found by
        // `push_short` or earlier, is taken).
        #[cfg(target_pointer_width = "64")]
        {
            // Found by a small push and not taken yet.
            if self.ready.code != 0 && !self.ready.done {
                return Some(Ok(self.ready_code()));
            }
            if self.item.stops != 0 {
                return match self.poll_stops() {
                    Stops::Ready(code) => Some(Ok(code)),
                    Stops::Wait => None,
                    Stops::Scan => self.poll_scan(),
                };
            }
            // A new item that no look has read (`clean` 0: what a large
            // push brought, after a reply read here or by the resumable
            // scan): read as the walk's grammar reads it. (Since session 37
            // at any length: a few bytes left at the end of a push came to
            // `quick` before, which read them twice when they were cut.)
            if self.clean == 0 && self.item.seen == 0 && self.end > self.pos {
                if let Some(code) = self.bulk_new() {
                    return Some(Ok(code));
                }
                // A line cut by the end of what is held, found so.
                if !self.must_scan {
                    return None;
                }
            }
        }
        // A clean run: the pushes looked at the bytes, and a line's LF may
        // end it.
        if crate::scan::SHORTCUTS && self.clean != 0 {
            return self.poll_line();
        }
        self.poll_scan()
    }

    /// 64-bit targets: `poll` while the last small push's stops are known
    /// (`stops`, not 0): the line each one ends is read straight from the
    /// buffer, with no look at any byte, as the walk reads it: a new item
    /// whose first line is a single-line reply is handed out, a block's
    /// first line opens it, a block's later line is judged (closing line or
    /// not) and counted; while stops are left, the next one is read the
    /// same way. A stop that is no LF (a NUL, 0x02, 0x08, or a false flag)
    /// and anything else (an error or a dropped item, the line that reaches
    /// the limit, a line with no code) go to the general step, with `clean`
    /// set to the run before that stop and the stops forgotten. Once every
    /// stop is read, the bytes after the last are clean, and `next` has
    /// nothing to do until more arrive (unless the buffer is full).
    #[cfg(target_pointer_width = "64")]
    #[inline(never)]
    fn poll_stops(&mut self) -> Stops {
        // (`poll` has handed out a reply found and not taken yet.)
        if self.ready.done {
            self.release();
        }
        self.read_stops()
    }

    /// [`poll_stops`](Self::poll_stops) with no reply waiting to be taken
    /// (a push takes this way only while `next` has nothing to do), inlined
    /// where a small push ends a line (`push_short`). A reply handed out
    /// may still be held (a push does not drop it): a new item's first
    /// line drops it, by `hand_out` or where it opens a block.
    #[cfg(target_pointer_width = "64")]
    #[inline(always)]
    fn read_stops(&mut self) -> Stops {
        loop {
            let bits = self.item.stops;
            let pos = self.pos;
            let lf = usize::from(self.item.stops_at) + bits.trailing_zeros() as usize;
            let rest = bits & bits.wrapping_sub(1);
            // (Every stop lies before `end`: the push that set them ended
            // there, and whatever drops or moves bytes forgets them.)
            let (Some(b'\n'), Some(line)) = (self.buf.get(lf), self.buf.get(pos..lf)) else {
                return self.stops_to_scan(lf);
            };
            if self.item.seen == 0 {
                let Some((&[a, b, c], sep)) = line.split_first_chunk::<3>() else {
                    return self.stops_to_scan(lf);
                };
                let Some(code) = ReplyCode::from_digits([a, b, c]) else {
                    return self.stops_to_scan(lf);
                };
                match sep {
                    [b' ', ..] | [] | [b'\r'] => {
                        self.item.stops = rest;
                        self.hand_out(lf + 1 - pos, code, 1, false);
                        self.clean_to_stop();
                        return Stops::Ready(code);
                    }
                    [b'-', ..] => {
                        // A new item: the reply handed out before it, if
                        // any (a push does not drop it), is dropped.
                        self.ready = NOT_READY;
                        self.start = pos;
                        self.kept = pos;
                        self.open([a, b, c], code, b'-');
                        self.take_kept(lf + 1 - pos);
                        self.item.stops = rest;
                        self.first_line_taken();
                    }
                    _ => return self.stops_to_scan(lf),
                }
            } else {
                if !self.block_open() {
                    return self.stops_to_scan(lf);
                }
                let code = ReplyCode::stored(self.item.code);
                let max = self.max_lines as usize;
                if max != 0 && self.item.later_lines.saturating_add(1) >= max {
                    return self.stops_to_scan(lf);
                }
                let closes = self.item.closes(self.any_code_ends_block, line, code);
                self.take_kept(lf + 1 - pos);
                self.item.stops = rest;
                if let Some(end_code) = closes {
                    self.clean_to_stop();
                    // The block is open with no fault (`block_open`), so it
                    // is a reply.
                    self.ready_from_item(end_code);
                    return Stops::Ready(end_code);
                }
                self.item.later_lines = self.item.later_lines.saturating_add(1);
                self.item.head_len = 0;
            }
            if self.item.stops == 0 {
                self.clean_to_stop();
                if self.below_cap(self.end) {
                    self.must_scan = false;
                    return Stops::Wait;
                }
                return Stops::Scan;
            }
        }
    }

    /// [`poll_stops`](Self::poll_stops) hands over to the general step at
    /// the stop at `at`: the bytes before it are clean.
    #[cfg(target_pointer_width = "64")]
    #[cold]
    fn stops_to_scan(&mut self, at: usize) -> Stops {
        self.item.stops = 0;
        self.set_clean(at.saturating_sub(self.pos));
        Stops::Scan
    }

    /// `clean` is the run from `pos` to the next of the last small push's
    /// stops, or to the end of what is held when none is left.
    #[cfg(target_pointer_width = "64")]
    #[inline(always)]
    fn clean_to_stop(&mut self) {
        let next = if self.item.stops == 0 {
            self.end
        } else {
            usize::from(self.item.stops_at) + self.item.stops.trailing_zeros() as usize
        };
        // Less than a small push: `pos` is past the stop just read, and
        // both ends lie inside that push.
        self.clean = next.wrapping_sub(self.pos) as u16;
    }

    /// 64-bit targets: `poll` when a single-line reply's LF ends the clean
    /// run (the common case of small pushes), in a small function; the
    /// general step otherwise.
    #[inline]
    fn poll_line(&mut self) -> Option<Result<ReplyCode, Error>> {
        if self.ready.done {
            self.release();
        }
        if self.ready.code == 0 {
            if self.item.seen == 0 {
                if let Some(code) = self.line_at_clean() {
                    return Some(Ok(code));
                }
            } else {
                return self.poll_block();
            }
        } else {
            // Found and not taken yet (a small push's line: `push_short`).
            return Some(Ok(self.ready_code()));
        }
        self.poll_scan()
    }

    /// 64-bit targets: `poll` inside an open block whose next line's LF
    /// ends the clean run (a block arriving in small pushes): the line is
    /// judged (closing line or not) and taken with no scan, and the bytes
    /// after it are looked at once; while each such look finds another LF,
    /// the next line is read the same way. Anything else (no LF at the end
    /// of the run, the line that reaches the limit, an error or a dropped
    /// item, a full buffer) goes to the general step, and so do more than
    /// 64 bytes held after the line's start (the rest of a block a large
    /// push brought, cut by the push before it): `block_lines` reads them
    /// in bulk, with no look per line (in 3 passes over the 986 blocks of
    /// the benches' stream at 1460-byte pushes, this path ran 987 times and
    /// looked 5,724 times, 120 instructions a look).
    #[cfg_attr(target_pointer_width = "64", inline(never))]
    fn poll_block(&mut self) -> Option<Result<ReplyCode, Error>> {
        let any = self.any_code_ends_block;
        let max = self.max_lines as usize;
        // Nothing in the loop changes whether the block is open, and no
        // byte comes in while it runs: what is held only shrinks. More
        // held than a small push brings (the rest of a block a large push
        // brought) is read in bulk by `block_lines`, not line by line.
        if !self.block_open() {
            return self.poll_scan();
        }
        let code = ReplyCode::stored(self.item.code);
        if self.end.saturating_sub(self.pos) > LOOK {
            return self.poll_scan();
        }
        while max == 0 || self.item.later_lines.saturating_add(1) < max {
            let pos = self.pos;
            let lf = pos + usize::from(self.clean);
            // Every byte of `pos..lf` is known free of LF and NUL.
            let Some((b'\n', line)) = self
                .buf
                .get(pos..=lf)
                .filter(|_| lf < self.end)
                .and_then(<[u8]>::split_last)
            else {
                break;
            };
            let closes = self.item.closes(any, line, code);
            self.take(lf + 1 - pos);
            self.look_next();
            if let Some(end_code) = closes {
                return match self.complete(Some(end_code)) {
                    Found::Reply => Some(Ok(self.ready_code())),
                    Found::Error(e) => {
                        self.next_item();
                        Some(Err(e))
                    }
                };
            }
            self.item.later_lines = self.item.later_lines.saturating_add(1);
            self.item.head_len = 0;
            if self.pos + usize::from(self.clean) == self.end && self.below_cap(self.end) {
                self.must_scan = false;
                return None;
            }
        }
        self.poll_scan()
    }

    /// An open block whose first line is read, with no error found in it
    /// and nothing dropped: [`block_lines`](Self::block_lines) reads on.
    /// (An error found sets `dropping` too: `record`. A block's `code` was
    /// stored from a `ReplyCode` when its head was read: `open`,
    /// `scan_head`.)
    #[inline]
    fn block_open(&self) -> bool {
        let item = &self.item;
        item.state == State::Block && item.first_end > 0 && !item.dropping
    }

    /// `poll`, when there is something to look at. (Out of line on 64-bit
    /// targets, so that [`poll_line`](Self::poll_line) stays small; on a
    /// microcontroller the compiler decides: forced out of line there, its
    /// result is copied with a `memcpy` that costs 0.7 KB of flash.)
    #[cfg_attr(target_pointer_width = "64", inline(never))]
    fn poll_scan(&mut self) -> Option<Result<ReplyCode, Error>> {
        if self.ready.code != 0 {
            if !self.ready.done {
                return Some(Ok(self.ready_code()));
            }
            self.release();
        }
        if self.pos == self.end {
            self.must_scan = false;
            return None;
        }
        // On 64-bit targets only (`scan::SHORTCUTS`): on a microcontroller
        // the resumable scan alone reads every item.
        if crate::scan::SHORTCUTS && self.item.seen == 0 {
            match self.quick() {
                Quick::Ready => return Some(Ok(self.ready_code())),
                Quick::Wait => {
                    self.must_scan = false;
                    return None;
                }
                Quick::Scan => {}
            }
        }
        match self.advance()? {
            Found::Reply => Some(Ok(self.ready_code())),
            Found::Error(e) => {
                self.next_item();
                Some(Err(e))
            }
        }
    }

    /// The code of the reply that `ready` holds, which was stored from a
    /// `ReplyCode` (see [`Ready::code`]).
    #[inline(always)]
    fn ready_code(&self) -> ReplyCode {
        ReplyCode::stored(self.ready.code)
    }

    /// The reply [`poll`](Self::poll) found. Its bytes are dropped at the
    /// next call that takes `&mut self`.
    ///
    /// `ready` proves that this decoder's `poll` found a reply (a token
    /// holds no reference to its decoder: one from another decoder takes
    /// the reply this one holds when its use count (mod 64) and its code
    /// are this one's, else an empty truncated one with its code); if the
    /// decoder was polled, cleared or finished in between (a reply found
    /// since included, whatever its code: the decoder tells the last 63
    /// polls, clears and finishes apart), or the reply was taken already,
    /// the reply is an empty truncated one with the code that was found.
    #[must_use]
    #[inline]
    pub fn reply(&mut self, ready: ReplyReady) -> Reply<'_> {
        let code = ready.code();
        if !ready.of_epoch(self.epoch) {
            return Reply::held(&[], code, 1, true, false);
        }
        self.take_found(code)
    }

    /// [`reply`](Self::reply) for a reply of `code` found since the last
    /// clear or finish: the reply `ready` holds if it is that one and not
    /// handed out yet, else an empty truncated one.
    #[inline]
    fn take_found(&mut self, code: ReplyCode) -> Reply<'_> {
        let found = self.ready;
        if found.code != code.get() || found.done {
            return Reply::held(&[], code, 1, true, false);
        }
        self.hand_ready(code)
    }

    /// [`reply`](Self::reply) once the token is known to stand for the
    /// reply `ready` holds, not handed out yet: what `poll` has just said
    /// ([`next`](Self::next) takes it at once, with nothing in between).
    #[inline(always)]
    fn hand_ready(&mut self, code: ReplyCode) -> Reply<'_> {
        let found = self.ready;
        self.ready.done = true;
        // Every byte held after it is known free of LF and NUL (64-bit
        // targets: `look_after` looked at them; bytes pushed since were
        // not, and make the run fall short of `end`), and there is room:
        // `next` has nothing to do until more bytes arrive.
        if crate::scan::SHORTCUTS
            && self.pos + usize::from(self.clean) == self.end
            && self.below_cap(self.end)
        {
            self.must_scan = false;
            if self.pos == self.end {
                // Nothing held after it: the next bytes go to the front of
                // the buffer. (Its own bytes stay where they are,
                // `start..kept`, until a push writes over them; `release`
                // forgets them.)
                self.pos = 0;
                self.end = 0;
            }
        }
        let raw = self.buf.get(self.start..self.kept).unwrap_or_default();
        // (A truncated reply's `lines` is 1: `ready_from_item`.)
        Reply::held(
            raw,
            code,
            found.lines as usize,
            found.truncated,
            self.other_closed,
        )
    }

    /// Whether the error [`poll`](Self::poll) reported last is a line whose
    /// first byte is no digit (an empty line, prose): text that stands for
    /// no reply at all. A line that starts with a digit, even one no code
    /// starts with (`999 x`, `0`), was meant as a reply.
    pub(crate) const fn last_error_is_text(&self) -> bool {
        self.text_line
    }

    /// The reply [`reply`](Self::reply) handed out last, again, while its
    /// bytes are still held (until the next call that takes `&mut self`).
    /// The client engine reads a reply once to decide, and lends it with
    /// the event it decided on.
    pub(crate) fn handed_out(&self) -> Option<Reply<'_>> {
        let found = self.ready;
        let code = ReplyCode::new(found.code)?;
        if !found.done {
            return None;
        }
        let raw = self.buf.get(self.start..self.kept).unwrap_or_default();
        Some(Reply::held(
            raw,
            code,
            found.lines as usize,
            found.truncated,
            self.other_closed,
        ))
    }

    /// A new item, looked at whole, the way the walk reads it: a
    /// single-line reply whose line is all held is made ready at once; a
    /// block's first line is taken and the resumable scan goes on after
    /// it; a line not all held waits (what is held is not scanned again);
    /// anything else (an error, a full buffer) goes to the resumable scan
    /// from the item's first byte.
    #[inline]
    fn quick(&mut self) -> Quick {
        let avail = self.buf.get(self.pos..self.end).unwrap_or_default();
        // Bytes an earlier call found free of LF and NUL are not looked at
        // again.
        let clean = (self.clean as usize).min(avail.len());
        let (lf, nul) = crate::scan::line_end_and_nul(avail.get(clean..).unwrap_or_default());
        let Some(lf) = lf.map(|i| i + clean) else {
            if nul.is_none()
                // A full buffer waits too when a push can make room
                // without a scan (moving what is held to the front pays):
                // a large push fills the buffer, and its last line is cut.
                && (self.end < self.cap() || self.compact_would_pay())
                && let Ok(held) = u16::try_from(avail.len())
            {
                self.clean = held;
                return Quick::Wait;
            }
            // A full buffer is scanned, so that `push` can make room; a
            // line longer than `clean` can count goes to the resumable
            // scan, which never reads a byte twice.
            self.clean = 0;
            return Quick::Scan;
        };
        self.clean = 0;
        if nul.is_some() {
            return Quick::Scan;
        }
        let Some((&[a, b, c], sep)) = avail.get(..lf).and_then(|l| l.split_first_chunk::<3>())
        else {
            return Quick::Scan;
        };
        let Some(code) = ReplyCode::from_digits([a, b, c]) else {
            return Quick::Scan;
        };
        // `ddd-`: a block's first line, taken here; the resumable scan goes
        // on from the line after it.
        if let [b'-', ..] = sep {
            // The whole block may be held (a large read): the grammar reads
            // it as the walk does. If not (what follows the first line is
            // too short to be worth the try: a small push), or it holds an
            // error, the first line is taken here and the resumable scan
            // goes on. (With nothing looked at, `clean` 0, `bulk_new` has
            // just tried that and failed: not again.)
            if avail.len() - lf > 64 && clean != 0 && self.bulk().is_some() {
                self.look_after();
                return Quick::Ready;
            }
            self.open([a, b, c], code, b'-');
            self.take(lf + 1);
            // Counts the line begun after the first, and checks the limit.
            let _ = self.end_line();
            return Quick::Scan;
        }
        // `ddd SP text`, or the line ends right after the code (CRLF or LF).
        if !matches!(sep, [b' ', ..] | [] | [b'\r']) {
            return Quick::Scan;
        }
        self.hand_out(lf + 1, code, 1, false);
        self.look_after();
        Quick::Ready
    }

    /// The new item at `pos`, read with the walk's grammar: its reply is
    /// handed out when all of it is held (`None` otherwise, with nothing
    /// changed). `poll` calls it first (64-bit targets, through
    /// [`bulk_new`](Self::bulk_new), which reads a single line or a block
    /// itself and leaves the rest to this) at a new item with none of its
    /// bytes looked at (`clean` 0: a large push, after a reply that left
    /// what follows unlooked at), and hands out what it reads with no look
    /// after it; anything else (the item cut by the end of what is held,
    /// or holding an error) goes to `quick` and the resumable scan, which
    /// read its bytes once more: a try that fails leaves `clean` set or
    /// the item begun, so it is not tried again. `quick` calls it for a
    /// block whose first line it has read. (Session 34 read only
    /// single-line items this way, from `quick`, and kept the look: no
    /// gain. Here the look goes too, and with it the steps between `poll`
    /// and `quick`: 437.5 to 405.1 instructions per reply at 1460-byte
    /// pushes.)
    #[inline(always)]
    fn bulk(&mut self) -> Option<ReplyCode> {
        let avail = self.buf.get(self.pos..self.end)?;
        let (rest, reply) = nom::Parser::parse(&mut rfc959::reply(&self.config()), avail).ok()?;
        let len = avail.len() - rest.len();
        let code = reply.code();
        let lines = reply.line_count();
        self.hand_out(len, code, lines, reply.other_closed());
        Some(code)
    }

    /// 64-bit targets: [`bulk`](Self::bulk) for `poll`, but a single line
    /// (`ddd SP text`) is read here, as the grammar's own first step reads
    /// it (`split_line`: one search for its LF or a NUL), with no call of
    /// the grammar: its reply is handed out when its LF is held; when not
    /// (the line a large push cut, or a NUL), `quick` and the resumable
    /// scan read it, as they read what the grammar turns down. (1460-byte
    /// pushes: 351.5 to 297.5 instructions per reply. The grammar's call
    /// returns a `Reply` through nom's `Result`, about 50 instructions a
    /// reply of plumbing, and a cut line went through its rules, a second
    /// search, before `quick`'s third.)
    #[cfg(target_pointer_width = "64")]
    #[inline(always)]
    fn bulk_new(&mut self) -> Option<ReplyCode> {
        let avail = self.buf.get(self.pos..self.end)?;
        if let [a, b, c, b' ', ref text @ ..] = *avail
            && let Some(code) = ReplyCode::from_digits([a, b, c])
        {
            let rest = match rfc959::split_line(text) {
                rfc959::LineEnd::Line { rest, .. } => rest,
                rfc959::LineEnd::Open => return self.line_cut(),
                rfc959::LineEnd::Nul(_) => return None,
            };
            self.hand_out(avail.len() - rest.len(), code, 1, false);
            return Some(code);
        }
        self.bulk_block()
    }

    /// 64-bit targets: [`bulk_new`](Self::bulk_new) found a single line with
    /// neither a LF nor a NUL held (the line a large push cut): it waits
    /// for more, as `quick` would find with a second search of its bytes,
    /// unless the buffer is full and moving what is held does not pay
    /// (then `quick` and the resumable scan read it, so that `push` can
    /// make room). `must_scan` false says it waits.
    #[cfg(target_pointer_width = "64")]
    #[cold]
    #[inline(never)]
    fn line_cut(&mut self) -> Option<ReplyCode> {
        // The reply handed out before it is dropped, as `poll_scan` does
        // before `quick` waits.
        self.release();
        if let Ok(held) = u16::try_from(self.end - self.pos)
            && (self.end < self.cap() || self.compact_would_pay())
        {
            self.clean = held;
            self.must_scan = false;
        }
        None
    }

    /// 64-bit targets: [`bulk_new`](Self::bulk_new) for a block (`ddd-`),
    /// read with the grammar's own block loop (`ReplyRule::block_lines`)
    /// and no call of the grammar. A block held whole, with no NUL and no
    /// line over the limit, is handed out; one cut by the end of what is
    /// held, with the same, is opened and all of it taken, as the resumable
    /// scan would take it (its first line by `first_line_taken`, the rest
    /// by `block_lines`, the head of the line still arriving kept), so that
    /// no byte of it is read again. Anything else goes to `quick` and the
    /// resumable scan, which report the error; an item that is no block
    /// to [`bulk`](Self::bulk). (Out of line and cold: inlined into `poll`,
    /// it cost the small pushes' paths, where it never runs, 437.0
    /// instructions per reply at 16-byte pushes against 432.9 (429.5 with
    /// the grammar's call there instead); 1460-byte pushes 283.1 out of
    /// line, 280.5 cold.)
    #[cfg(target_pointer_width = "64")]
    #[cold]
    #[inline(never)]
    fn bulk_block(&mut self) -> Option<ReplyCode> {
        let pos = self.pos;
        let opened = match self.buf.get(pos..self.end)? {
            &[a, b, c, b'-', ref body @ ..] => {
                ReplyCode::from_digits([a, b, c]).map(|code| (code, [a, b, c], body))
            }
            _ => None,
        };
        let Some((code, digits, body)) = opened else {
            // No code, no reply: `quick` and the resumable scan report the
            // error, with no call of the grammar first (a hostile stream
            // of bare LFs, 1460-byte pushes: 490 to 419 instructions per
            // line).
            if let [a, b, c, ..] = *self.buf.get(pos..self.end)?
                && ReplyCode::from_digits([a, b, c]).is_some()
            {
                return self.bulk();
            }
            return None;
        };
        let found = rfc959::reply(&self.config()).block_lines(body, code, digits);
        if found.over_at.is_some() {
            return None;
        }
        // The bytes read: up to the closing line's LF, or all of the body.
        let read = found.close.map_or(body.len(), |(lf, _)| lf);
        if crate::scan::find_rare(0, body.get(..read)?).is_some() {
            return None;
        }
        let held = 4 + body.len();
        if let Some((lf, end_code)) = found.close {
            self.hand_out(4 + lf + 1, end_code, found.lines, end_code != code);
            return Some(end_code);
        }
        // Cut: the first line must be all held (a LF seen).
        let start = found.line_start?;
        let first = crate::scan::find(b'\n', body)?;
        // A new item: the reply handed out before it, if any, is dropped
        // (as `read_stops` opens a block).
        self.ready = NOT_READY;
        self.start = pos;
        self.open(digits, code, b'-');
        self.take(4 + first + 1);
        self.first_line_taken();
        self.take(start - first - 1);
        self.item.later_lines = found.lines - 1;
        let tail = self.buf.get(pos + 4 + start..self.end).unwrap_or_default();
        self.item.keep_head(tail);
        self.take(held - 4 - start);
        None
    }

    /// A new single-line reply whose LF ends the clean run (the common
    /// case of small pushes): no byte of it is scanned again.
    #[inline]
    fn line_at_clean(&mut self) -> Option<ReplyCode> {
        let pos = self.pos;
        let lf = pos + usize::from(self.clean);
        if lf >= self.end || self.buf.get(lf) != Some(&b'\n') {
            return None;
        }
        let (&[a, b, c], sep) = self.buf.get(pos..lf)?.split_first_chunk::<3>()?;
        if !matches!(sep, [b' ', ..] | [] | [b'\r']) {
            return None;
        }
        let code = ReplyCode::from_digits([a, b, c])?;
        self.hand_out(lf + 1 - pos, code, 1, false);
        self.look_next();
        Some(code)
    }

    /// A new item of `len` bytes, all held and read (by
    /// [`quick`](Self::quick) or [`line_at_clean`](Self::line_at_clean)):
    /// its reply is ready. The caller then looks at the bytes after it
    /// ([`look_after`](Self::look_after) or [`look_next`](Self::look_next)),
    /// which are read next: when none ends a line, the call after the reply
    /// returns at once.
    #[inline]
    fn hand_out(&mut self, len: usize, code: ReplyCode, lines: usize, other_closed: bool) {
        self.start = self.pos;
        self.pos += len;
        self.kept = self.pos;
        self.offset = self.offset.wrapping_add(len);
        self.ready = Ready {
            lines: u32::try_from(lines).unwrap_or(u32::MAX),
            code: code.get(),
            truncated: false,
            done: false,
        };
        self.other_closed = other_closed;
    }

    /// [`look_after`](Self::look_after), with no call when the answer is
    /// known: a line just taken whose LF is the last byte held (a
    /// byte-at-a-time reader) leaves nothing to look at.
    /// ([`quick`](Self::quick), which reads what a large push brought,
    /// calls `look_after` itself: the tests in front of every call cost 5
    /// instructions per reply at 1460-byte pushes.)
    #[inline(always)]
    fn look_next(&mut self) {
        if self.end <= self.pos {
            self.clean = 0;
        } else {
            self.look_after();
        }
    }

    /// Looks at the bytes held after `pos` (all of them new to the scan)
    /// for a LF or NUL: sets `clean` to the run before it. The test is the
    /// one mask of a small push (0x02 and 0x08 stop the run too), on a
    /// few bytes (what is left of a small push) as two words straight from
    /// the buffer, on more as the eight words of the 64 bytes from `pos`,
    /// all tested, the first with a stop picked with no branch (which word
    /// ends the line is a coin toss: 1460-byte pushes, 34.7k to 24.9k
    /// mispredicted branches per 10,000 replies, for 40 instructions more
    /// per reply). Bytes past `end` are read too: a hit there does not count
    /// (`stale_bytes_past_the_end_are_not_looked_at`).
    #[inline]
    fn look_after(&mut self) {
        let pos = self.pos;
        let held = self.end.saturating_sub(pos);
        // More than 64 bytes held (a large push): the next item is read by
        // `bulk`, which needs no look, and `clean` 0 sends it there.
        if held == 0 || (crate::scan::SHORTCUTS && held > LOOK) {
            // Nothing held (a byte-at-a-time reader): no word is read, least
            // of all over bytes that were just written one at a time.
            self.clean = 0;
            return;
        }
        let run = match self.buf.get(pos..pos + 16) {
            // A few bytes (what is left of a small push): two words
            // straight from the buffer.
            Some(&[a, b, c, d, e, f, g, h, ref hi @ ..]) if held <= 16 => {
                let lo = [a, b, c, d, e, f, g, h];
                let hi = hi.first_chunk::<8>().copied().unwrap_or_default();
                crate::scan::stop_in_two_words([lo, hi], 8, held)
            }
            _ => match self
                .buf
                .get(pos..pos + LOOK)
                .and_then(|w| w.first_chunk::<LOOK>())
            {
                // 64 bytes from the buffer (bytes past `end` too), with no
                // branch on which word holds the stop (the line's length:
                // a coin toss).
                // (At most `LOOK` bytes are held: see above.)
                Some(window) => crate::scan::first_stop_64(window).min(held),
                None => {
                    let rest = self.buf.get(pos..self.end).unwrap_or_default();
                    crate::scan::find_stop_span(rest).unwrap_or(held)
                }
            },
        };
        self.set_clean(run);
    }

    /// `run` bytes after `pos` are free of LF and NUL. (Counted up to
    /// `u16::MAX`: a count too low only makes a scan start early.)
    #[inline]
    fn set_clean(&mut self, run: usize) {
        self.clean = u16::try_from(run).unwrap_or(u16::MAX);
    }

    /// Forgets the last small push's stops (see `Item::stops`).
    #[inline(always)]
    const fn forget_stops(&mut self) {
        #[cfg(target_pointer_width = "64")]
        {
            self.item.stops = 0;
        }
    }

    /// The item at the front is done: the next one starts at `pos`.
    fn next_item(&mut self) {
        self.start = self.pos;
        self.kept = self.pos;
        self.item = NEW_ITEM;
    }

    /// Scans `n` more bytes of the current item.
    #[inline]
    fn take(&mut self, n: usize) {
        self.pos += n;
        if crate::scan::SHORTCUTS {
            self.clean = 0;
        }
        // A stream of 2^64 bytes is not one this decoder will see.
        self.offset = self.offset.wrapping_add(n);
        self.item.seen = self.item.seen.saturating_add(n);
        if !self.item.dropping {
            self.kept = self.pos;
        }
    }

    /// [`take`](Self::take) in [`read_stops`](Self::read_stops), where
    /// the item drops nothing (a new block, or an open one:
    /// `block_open`), and `clean` is set before it is read again.
    #[cfg(target_pointer_width = "64")]
    #[inline(always)]
    fn take_kept(&mut self, n: usize) {
        self.pos += n;
        self.offset = self.offset.wrapping_add(n);
        self.item.seen = self.item.seen.saturating_add(n);
        self.kept = self.pos;
    }

    /// Records the first error inside the current item; from now on its
    /// bytes are dropped as they are scanned.
    fn record(&mut self, kind: Fault, at: usize) {
        if self.item.err == Fault::None {
            self.item.err = kind;
            self.item.err_at = at;
            self.item.dropping = true;
            self.kept = self.start;
        }
    }

    /// The public kind of a recorded fault.
    fn fault_kind(&self, fault: Fault) -> Option<ErrorKind> {
        Some(match fault {
            Fault::None => return None,
            Fault::InvalidCode => ErrorKind::InvalidCode,
            Fault::MissingSeparator => ErrorKind::MissingSeparator,
            Fault::NulByte => ErrorKind::NulByte,
            Fault::TooManyLines => ErrorKind::TooManyLines {
                limit: self.max_lines,
            },
        })
    }

    /// The current item ends here: an error (its first one), or a reply.
    fn complete(&mut self, code: Option<ReplyCode>) -> Found {
        let item = self.item;
        // Positions wrap with the stream's offset (past `usize::MAX` bytes
        // pushed); an item longer than that gives its start inexactly.
        let item_at = self.offset.wrapping_sub(item.seen);
        if let Some(kind) = self.fault_kind(item.err) {
            let at = item.err_at;
            // `head` holds the line's first byte: the rule that found the
            // fault at 0 read it (a head never filled is zeros: no digit).
            self.text_line =
                item.err == Fault::InvalidCode && at == 0 && !item.head[0].is_ascii_digit();
            return Found::Error(
                Error::new(kind, item_at.wrapping_add(at))
                    .ending_at(self.offset)
                    .with_code(code),
            );
        }
        // (With no fault, a reply has a code; were it ever missing, the
        // reply would still be one, never "not ready".)
        self.ready_from_item(code.unwrap_or(ReplyCode::MIN));
        Found::Reply
    }

    /// The current item, with no fault in it, is a reply with `code`; the
    /// item after it starts new (but for the last small push's stops,
    /// which outlive it), so that handing the reply out resets nothing.
    #[inline]
    fn ready_from_item(&mut self, code: ReplyCode) {
        let item = &self.item;
        // A truncated reply holds its first line only.
        let lines = if item.truncated {
            1
        } else {
            u32::try_from(item.later_lines.saturating_add(1)).unwrap_or(u32::MAX)
        };
        self.ready = Ready {
            lines,
            code: code.get(),
            truncated: item.truncated,
            done: false,
        };
        // `item.code` is the first line's: a block another code closed
        // (a cut reply is not flagged: its payloads refuse it).
        self.other_closed = !item.truncated && item.code != code.get();
        #[cfg(target_pointer_width = "64")]
        {
            let (stops, stops_at) = (self.item.stops, self.item.stops_at);
            self.item = NEW_ITEM;
            self.item.stops = stops;
            self.item.stops_at = stops_at;
        }
    }

    /// The resumable scan: goes on from `pos` until an item is complete or
    /// the bytes held run out.
    #[inline]
    fn advance(&mut self) -> Option<Found> {
        loop {
            let avail = self.buf.get(self.pos..self.end).unwrap_or_default();
            if avail.is_empty() {
                self.must_scan = false;
                return None;
            }
            if self.item.state == State::Head {
                if let Some(found) = self.scan_head() {
                    return Some(found);
                }
                continue;
            }
            if crate::scan::SHORTCUTS && self.block_open() {
                match self.block_lines() {
                    BlockStep::Found(found) => return Some(found),
                    BlockStep::More => {
                        self.must_scan = false;
                        return None;
                    }
                    BlockStep::Other => {}
                }
            }
            let avail = self.buf.get(self.pos..self.end).unwrap_or_default();
            if avail.is_empty() {
                self.must_scan = false;
                return None;
            }
            let state = self.item.state;
            let check_nul = self.item.err == Fault::None && state != State::ErrLine;
            let (lf, nul) = if check_nul {
                crate::scan::line_end_and_nul(avail)
            } else {
                (crate::scan::find(b'\n', avail), None)
            };
            let seg = avail.get(..lf.unwrap_or(avail.len())).unwrap_or_default();
            if state == State::Block && self.item.first_end > 0 {
                self.item.keep_head(seg);
            }
            let seg_len = seg.len();
            if let Some(z) = nul {
                let at = self.item.seen.saturating_add(z);
                if state == State::Single {
                    self.item.state = State::ErrLine;
                }
                self.record(Fault::NulByte, at);
            }
            self.take(seg_len + usize::from(lf.is_some()));
            if lf.is_some()
                && let Some(found) = self.end_line()
            {
                return Some(found);
            }
        }
    }

    /// The lines of an open block after its first, read whole where they
    /// are held whole (a line that starts in `avail` is judged from the
    /// buffer, with no copy of its head), as the walk reads them, the
    /// lines counted in registers and taken at once. Stops at the closing
    /// line, at the end of what is held (`More`, the head of a line still
    /// arriving kept), or before a NUL or the line over the limit, which
    /// the general step records (`Other`). (Taking each line as it was
    /// read, with the decoder's fields written back every time, cost about
    /// 22 instructions a line more at 1460-byte pushes, where the rest of
    /// each block a push cuts is read here: 359.4 to 351.5 per reply. One
    /// memchr iterator over the whole block, as the walk's grammar reads
    /// it, was dearer still: memchr2's dispatched routine sets up again
    /// for every line of about 70 bytes.)
    fn block_lines(&mut self) -> BlockStep {
        let any = self.any_code_ends_block;
        let max = self.max_lines as usize;
        let Some(code) = ReplyCode::new(self.item.code) else {
            return BlockStep::Other;
        };
        let avail = self.buf.get(self.pos..self.end).unwrap_or_default();
        // What a push found clean is not looked at again.
        let clean = usize::from(self.clean).min(avail.len());
        // Lines this call may end before the one that reaches the limit.
        let room = if max == 0 {
            usize::MAX
        } else {
            max.saturating_sub(self.item.later_lines.saturating_add(1))
        };
        // Where the line being read starts, and the lines ended before it.
        let mut start = 0;
        let mut begun = 0;
        let mut closed = None;
        let mut stopped = false;
        let mut from = clean;
        while let Some(at) =
            crate::scan::find2_span(b'\n', 0, avail.get(from..).unwrap_or_default())
        {
            let at = at + from;
            // A NUL, or the line that reaches the limit: the general step
            // reads it (nothing of it is kept or taken here).
            let (Some(b'\n'), Some(line)) = (avail.get(at), avail.get(start..at)) else {
                stopped = true;
                break;
            };
            if begun == room {
                stopped = true;
                break;
            }
            start = at + 1;
            from = start;
            if let Some(end_code) = self.item.closes(any, line, code) {
                closed = Some(end_code);
                break;
            }
            begun += 1;
            self.item.head_len = 0;
        }
        let held = avail.len();
        if closed.is_none() && !stopped {
            // The head of the line still arriving.
            self.item.keep_head(avail.get(start..).unwrap_or_default());
            start = held;
        }
        self.take(start);
        self.item.later_lines = self.item.later_lines.saturating_add(begun);
        match closed {
            Some(end_code) => BlockStep::Found(self.complete(Some(end_code))),
            None if stopped => BlockStep::Other,
            None => BlockStep::More,
        }
    }

    /// A new item opened by `code` (written `digits`) and `sep` (`b' '` or
    /// `b'-'`): its head, its code and whether it is a line or a block.
    fn open(&mut self, [a, b, c]: [u8; 3], code: ReplyCode, sep: u8) {
        self.item.head = [a, b, c, sep, 0];
        self.item.head_len = 4;
        self.item.code = code.get();
        self.item.state = if sep == b'-' {
            State::Block
        } else {
            State::Single
        };
    }

    /// 64-bit targets: a block's first line, opened and taken whole by
    /// [`read_stops`](Self::read_stops): what [`end_line`](Self::end_line)
    /// does at its LF. The line begun after it is counted, against the
    /// limit. (Out of line: inlined, it crowds the registers of the loop
    /// that reads the stops.)
    #[cfg(target_pointer_width = "64")]
    #[inline(never)]
    fn first_line_taken(&mut self) {
        let item = &mut self.item;
        item.first_end = item.seen;
        item.later_lines = 1;
        item.head_len = 0;
        if self.max_lines == 1 {
            self.record(Fault::TooManyLines, self.item.seen);
        }
    }

    /// Reads an item's first bytes (its code and separator) from what is
    /// held, as many as it takes at once.
    fn scan_head(&mut self) -> Option<Found> {
        let filled = usize::from(self.item.head_len);
        let avail = self.buf.get(self.pos..self.end).unwrap_or_default();
        // The common case at once: `ddd SP` or `ddd-` all held.
        if filled == 0
            && let [a, b, c, sep @ (b' ' | b'-'), ..] = *avail
            && let Some(code) = ReplyCode::from_digits([a, b, c])
        {
            self.open([a, b, c], code, sep);
            self.take(4);
            return None;
        }
        self.item.keep_head(avail);
        let seen = usize::from(self.item.head_len);
        let head = self.item.head;
        let head = head.get(..seen).unwrap_or_default();
        // How many of the head's bytes the rule used, and what it found.
        let (used, found) = match head_rule(head) {
            Head::More => (seen, None),
            Head::Bad(kind, at) => {
                self.record(Fault::of(kind), at);
                self.item.state = State::ErrLine;
                let used = (at + 1).max(filled);
                let lf = head.get(at) == Some(&b'\n') && at >= filled;
                (used, lf.then(|| rfc959::leading_code(head)))
            }
            Head::Code(code, sep) => {
                self.item.code = code.get();
                match sep {
                    Separator::Space => {
                        self.item.state = State::Single;
                        (4, None)
                    }
                    Separator::Hyphen => {
                        self.item.state = State::Block;
                        (4, None)
                    }
                    Separator::Bare => {
                        let lf = head.iter().position(|&b| b == b'\n').unwrap_or(3);
                        (lf + 1, Some(Some(code)))
                    }
                }
            }
        };
        self.item.head_len = u8::try_from(used.min(5)).unwrap_or(5);
        self.take(used.saturating_sub(filled));
        found.map(|code| self.complete(code))
    }

    /// A LF ended the current line (not inside the head).
    fn end_line(&mut self) -> Option<Found> {
        let code = ReplyCode::new(self.item.code);
        match self.item.state {
            State::Single | State::Head => return Some(self.complete(code)),
            State::ErrLine => {
                let head = self.item.head;
                let head = head
                    .get(..usize::from(self.item.head_len))
                    .unwrap_or_default();
                let code = if self.item.code == 0 {
                    rfc959::leading_code(head)
                } else {
                    code
                };
                return Some(self.complete(code));
            }
            State::Block => {}
        }
        let code = code?;
        if self.item.first_end == 0 {
            self.item.first_end = self.item.seen;
        } else {
            let head = self.item.head;
            let line = head
                .get(..usize::from(self.item.head_len))
                .unwrap_or_default();
            let any = self.any_code_ends_block;
            if let Some(end_code) = rfc959::closes_block(any, line, code) {
                return Some(self.complete(Some(end_code)));
            }
        }
        self.item.later_lines = self.item.later_lines.saturating_add(1);
        self.item.head_len = 0;
        let max = self.max_lines;
        if max != 0 && self.item.later_lines >= max as usize {
            self.record(Fault::TooManyLines, self.item.seen);
        }
        None
    }

    /// Call at the end of the stream, after [`next`](Self::next) has
    /// returned `None`: the item left over, if any, is unfinished (its
    /// bytes held, or dropped as an error's or a cut reply's are: see
    /// [`is_empty`](Self::is_empty)), reported as
    /// [`parse_complete`](crate::parse_complete) would
    /// ([`ErrorKind::UnterminatedLine`] or
    /// [`ErrorKind::UnterminatedBlock`], or the first error inside it). The
    /// buffer is emptied; replies not taken out yet are dropped.
    #[must_use = "the stream's last error is lost if dropped"]
    pub fn finish(&mut self) -> Option<Error> {
        self.forget_stops();
        self.epoch = self.epoch.wrapping_add(1);
        // A reply found (by `poll`) and not taken is dropped too; its bytes
        // are not read again as an unfinished item.
        if self.ready.code != 0 {
            self.ready.done = true;
        }
        self.release();
        while let Some(found) = self.advance() {
            match found {
                Found::Reply => {
                    self.ready.done = true;
                    self.release();
                }
                Found::Error(_) => self.next_item(),
            }
        }
        let item = self.item;
        let head = item.head;
        let head = head.get(..usize::from(item.head_len)).unwrap_or_default();
        let first_code = ReplyCode::new(item.code);
        let result = (item.seen > 0).then(|| {
            let at = self.offset.wrapping_sub(item.seen);
            let (kind, rel) = match (self.fault_kind(item.err), item.state) {
                (Some(kind), _) => (kind, item.err_at),
                (None, State::Block) if item.first_end > 0 => {
                    (ErrorKind::UnterminatedBlock, item.seen)
                }
                (None, _) => (ErrorKind::UnterminatedLine, item.seen),
            };
            let code = first_code.or_else(|| rfc959::leading_code(head));
            Error::new(kind, at.wrapping_add(rel))
                .ending_at(self.offset)
                .with_code(code)
        });
        self.ready = NOT_READY;
        self.item = NEW_ITEM;
        self.start = 0;
        self.kept = 0;
        self.pos = 0;
        self.end = 0;
        self.must_scan = false;
        self.clean = 0;
        result
    }
}

/// The errors found inside an item, as small as a tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum Fault {
    None,
    InvalidCode,
    MissingSeparator,
    NulByte,
    TooManyLines,
}

impl Fault {
    fn of(kind: ErrorKind) -> Fault {
        match kind {
            ErrorKind::InvalidCode => Fault::InvalidCode,
            ErrorKind::NulByte => Fault::NulByte,
            ErrorKind::TooManyLines { .. } => Fault::TooManyLines,
            // The head rules give only the two kinds above and this one.
            _ => Fault::MissingSeparator,
        }
    }
}

/// Moves `buf[from..to]` down to `at` (`at <= from`): a forward byte loop,
/// which is all a move to lower addresses needs. `copy_within` would link
/// a general `memmove` (about 1.5 KB on a Cortex-M) for the one move the
/// decoder makes.
/// On 64-bit targets, where flash is not counted and `memmove` is fast, it
/// is `copy_within`.
#[cfg(target_pointer_width = "64")]
#[inline]
fn move_down(buf: &mut [u8], from: usize, to: usize, at: usize) {
    if from <= to && to <= buf.len() {
        buf.copy_within(from..to, at.min(from));
    }
}

#[cfg(not(target_pointer_width = "64"))]
fn move_down(buf: &mut [u8], from: usize, to: usize, at: usize) {
    for (src, dst) in (from..to).zip(at..) {
        let Some(&b) = buf.get(src) else { return };
        let Some(d) = buf.get_mut(dst) else { return };
        *d = b;
    }
}

/// Copies a push into the buffer: `copy_from_slice` on 64-bit targets; a
/// byte loop elsewhere, which keeps a general `memcpy` (about 0.7 KB on a
/// Cortex-M) out of firmware for pushes that are mostly a few bytes.
#[cfg(target_pointer_width = "64")]
#[inline]
fn copy_bytes(dst: &mut [u8], src: &[u8]) {
    if let ([d], [s]) = (&mut *dst, src) {
        *d = *s;
    } else if dst.len() == src.len() {
        dst.copy_from_slice(src);
    }
}

#[cfg(not(target_pointer_width = "64"))]
fn copy_bytes(dst: &mut [u8], src: &[u8]) {
    for (d, s) in dst.iter_mut().zip(src) {
        *d = *s;
    }
}

/// How the first bytes of an item start.
enum Head {
    /// Not enough bytes to tell.
    More,
    /// Not a reply line: what and where.
    Bad(ErrorKind, usize),
    /// A code and its separator.
    Code(ReplyCode, Separator),
}

/// The grammar's own code and separator rules, in streaming mode, over the
/// first bytes of an item.
fn head_rule(head: &[u8]) -> Head {
    use nom::Parser;
    match (rfc959::ReplyCodeRule, rfc959::separator()).parse(head) {
        Ok((_, (code, sep))) => Head::Code(code, sep),
        Err(nom::Err::Incomplete(_)) => Head::More,
        Err(nom::Err::Error(e) | nom::Err::Failure(e)) => {
            Head::Bad(e.kind, head.len().saturating_sub(e.input.len()))
        }
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::format;
    use std::vec::Vec;

    /// A token for a reply taken already takes no later reply of the same
    /// code, however the first was taken (by the token, or by `next`) and
    /// however many tokens one reply got: each `poll` makes a new token,
    /// and the ones before it stale.
    #[test]
    fn a_token_for_a_reply_taken_takes_no_later_one() {
        let mut dec = Decoder::<64>::new();
        assert_eq!(dec.push(b"200 one\r\n200 two\r\n"), 18);
        let Some(Ok(a)) = dec.poll() else {
            panic!("no reply")
        };
        let Some(Ok(b)) = dec.poll() else {
            panic!("no reply")
        };
        assert_eq!(dec.reply(b).as_bytes(), b"200 one\r\n");
        let Some(Ok(c)) = dec.poll() else {
            panic!("no reply")
        };
        let r = dec.reply(a);
        assert_eq!((r.as_bytes(), r.is_truncated()), (&b""[..], true));
        assert_eq!(dec.reply(c).as_bytes(), b"200 two\r\n");

        let mut dec = Decoder::<64>::new();
        assert_eq!(dec.push(b"200 one\r\n200 two\r\n"), 18);
        let Some(Ok(a)) = dec.poll() else {
            panic!("no reply")
        };
        assert_eq!(dec.next().unwrap().unwrap().as_bytes(), b"200 one\r\n");
        let Some(Ok(c)) = dec.poll() else {
            panic!("no reply")
        };
        let r = dec.reply(a);
        assert_eq!(
            (r.code().get(), r.as_bytes(), r.is_truncated()),
            (200, &b""[..], true)
        );
        assert_eq!(dec.reply(c).as_bytes(), b"200 two\r\n");
    }

    /// A token holds no reference to its decoder (`reply`'s doc): one from
    /// another decoder takes this one's reply when the codes are the same,
    /// and an empty truncated reply with its own code when they are not,
    /// which leaves the reply for this decoder's own token. Nor does a token
    /// 64 polls old, whose count has come round again, take a reply of its
    /// code handed out already: it takes an empty truncated one.
    #[test]
    fn a_token_takes_no_reply_of_another_code_nor_one_taken() {
        let mut a = Decoder::<64>::new();
        let mut b = Decoder::<64>::new();
        assert_eq!(a.push(b"220 Service ready\r\n"), 19);
        assert_eq!(b.push(b"331 Need password\r\n"), 19);
        let Some(Ok(from_a)) = a.poll() else {
            panic!("no reply")
        };
        let Some(Ok(own)) = b.poll() else {
            panic!("no reply")
        };
        let r = b.reply(from_a);
        assert_eq!(
            (r.code().get(), r.as_bytes(), r.is_truncated()),
            (220, &b""[..], true)
        );
        assert_eq!(b.reply(own).as_bytes(), b"331 Need password\r\n");
        let Some(Ok(again)) = a.poll() else {
            panic!("no reply")
        };
        assert_eq!(b.push(b"220 Ready too\r\n"), 15);
        let Some(Ok(_)) = b.poll() else {
            panic!("no reply")
        };
        assert_eq!(b.reply(again).as_bytes(), b"220 Ready too\r\n");

        let mut dec = Decoder::<64>::new();
        assert_eq!(dec.push(b"200 n\r\n"), 7);
        let Some(Ok(old)) = dec.poll() else {
            panic!("no reply")
        };
        assert_eq!(dec.next().unwrap().unwrap().as_bytes(), b"200 n\r\n");
        for _ in 0..64 {
            assert_eq!(dec.push(b"200 n\r\n"), 7);
            let Some(Ok(_)) = dec.poll() else {
                panic!("no reply")
            };
            assert_eq!(dec.next().unwrap().unwrap().as_bytes(), b"200 n\r\n");
        }
        let r = dec.reply(old);
        assert_eq!(
            (r.code().get(), r.as_bytes(), r.is_truncated()),
            (200, &b""[..], true)
        );
        assert!(dec.next().is_none());
    }

    /// Each count of clears or finishes up to 63 (62 and the new reply's
    /// `poll`) makes a token stale, not only 1 and 63.
    #[test]
    fn every_count_below_64_makes_a_token_stale() {
        for k in 1..=63 {
            for (by_finish, poll_new) in [(false, false), (true, false), (false, true)] {
                if poll_new && k == 63 {
                    continue; // 63 clears and a poll: 64, told apart no more
                }
                let mut dec = Decoder::<64>::new();
                assert_eq!(dec.push(b"220 first\r\n"), 11);
                let Some(Ok(old)) = dec.poll() else {
                    panic!("no reply")
                };
                for _ in 0..k {
                    if by_finish {
                        assert_eq!(dec.finish(), None);
                    } else {
                        dec.clear();
                    }
                }
                assert_eq!(dec.push(b"220 second\r\n"), 12);
                if poll_new {
                    let Some(Ok(_new)) = dec.poll() else {
                        panic!("no reply")
                    };
                }
                let r = dec.reply(old);
                let got = (r.as_bytes(), r.is_truncated());
                assert_eq!(got, (&b""[..], true), "{k} {by_finish} {poll_new}");
            }
        }
    }

    /// Offsets count from the first byte pushed: `finish` does not restart
    /// them, `clear` does.
    #[test]
    fn offsets_go_on_after_finish_and_restart_after_clear() {
        let mut dec = Decoder::<64>::new();
        assert_eq!(dec.push(b"220 ok\r\n331 x"), 13);
        assert_eq!(dec.next().unwrap().unwrap().code().get(), 220);
        assert!(dec.next().is_none());
        let e = dec.finish().unwrap();
        assert_eq!((e.offset(), e.end()), (13, 13));
        assert_eq!(dec.push(b"bad\r\n200 ok\r\n"), 13);
        let e = dec.next().unwrap().unwrap_err();
        assert_eq!((e.offset(), e.end()), (13, 18));
        dec.clear();
        assert_eq!(dec.push(b"bad\r\n"), 5);
        let e = dec.next().unwrap().unwrap_err();
        assert_eq!((e.offset(), e.end()), (0, 5));
    }

    /// `clear` in the middle of an item (a block, a bad line, a line with a
    /// NUL, a line longer than the buffer) forgets it: the next bytes are
    /// a new stream.
    #[test]
    fn clear_mid_item_forgets_it() {
        let begun: [&[u8]; 5] = [
            b"211-a\r\n b",
            b"2x0 bad",
            b"220 a\0b",
            b"220 aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
            b"211-a\r\n x\0y\r\n",
        ];
        for begun in begun {
            for size in [1, 3, 9, 64] {
                let mut dec = Decoder::<16>::new();
                for mut piece in begun.chunks(size) {
                    while !piece.is_empty() {
                        let n = dec.push(piece);
                        piece = piece.get(n..).unwrap_or_default();
                        while dec.next().is_some() {}
                    }
                }
                dec.clear();
                assert!(dec.is_empty());
                assert_eq!(dec.push(b"200 ok\r\n"), 8);
                let r = dec.next().unwrap().unwrap();
                assert_eq!(r.as_bytes(), b"200 ok\r\n", "{begun:?} by {size}");
                assert!(dec.next().is_none());
                assert_eq!(dec.finish(), None);
            }
        }
    }

    /// `handed_out` gives the reply handed out last, and none before one is
    /// (a token not taken yet is no reply handed out).
    #[test]
    fn handed_out_only_once_taken() {
        let mut dec = Decoder::<64>::new();
        assert_eq!(dec.push(b"200 a\r\n211-b\r\n211 c\r\n"), 21);
        assert!(dec.handed_out().is_none());
        let Some(Ok(t)) = dec.poll() else {
            panic!("no reply")
        };
        assert!(dec.handed_out().is_none());
        let _ = dec.reply(t);
        let h = dec.handed_out().unwrap();
        assert_eq!(h.as_bytes(), b"200 a\r\n");
        let _ = dec.next().unwrap().unwrap();
        let h = dec.handed_out().unwrap();
        let got = (h.code().get(), h.line_count(), h.as_bytes());
        assert_eq!(got, (211, 2, &b"211-b\r\n211 c\r\n"[..]));
    }

    /// A token from before a `clear` or a `finish` takes no reply found
    /// after it, however the new reply was found (a push of 8 to 16 bytes
    /// reads it at once on 64-bit targets; a `poll` on any target), and the
    /// new reply still comes out of `next`. `finish` drops a reply `poll`
    /// found and `reply` did not take, and does not read its bytes again
    /// as an unfinished item. A `with_limit` that leaves less room than
    /// what is held still lets a push in once `next` has said `None`.
    #[test]
    fn stale_tokens_finish_and_a_shrunk_limit() {
        let stale = |reset: fn(&mut Decoder<64>), poll_again: bool| {
            let mut dec = Decoder::<64>::new();
            assert_eq!(dec.push(b"220 first\r\n"), 11);
            let Some(Ok(token)) = dec.poll() else {
                panic!("no reply")
            };
            reset(&mut dec);
            assert_eq!(dec.push(b"220 second!\r\n"), 13);
            if poll_again {
                let Some(Ok(_new)) = dec.poll() else {
                    panic!("no reply")
                };
            }
            let r = dec.reply(token);
            assert_eq!((r.as_bytes(), r.is_truncated()), (&b""[..], true));
            let r = dec.next().unwrap().unwrap();
            assert_eq!(r.as_bytes(), b"220 second!\r\n");
            assert!(dec.next().is_none());
        };
        for poll_again in [false, true] {
            stale(Decoder::clear, poll_again);
            stale(|d| assert_eq!(d.finish(), None), poll_again);
            // The last 63 polls, clears and finishes are told apart (the
            // count is kept mod 64 in the token): 62 clears and the poll.
            stale(
                |d| {
                    for _ in 0..62 {
                        d.clear();
                    }
                },
                poll_again,
            );
        }
        stale(
            |d| {
                for _ in 0..63 {
                    d.clear();
                }
            },
            false,
        );

        // `finish` with a reply found, not taken: dropped, and what follows
        // it is the unfinished item.
        let mut dec = Decoder::<64>::new();
        assert_eq!(dec.push(b"211-a\r\n211 end\r\n220 x"), 21);
        let Some(Ok(_found)) = dec.poll() else {
            panic!("no reply")
        };
        let e = dec.finish().unwrap();
        assert_eq!(
            (e.kind(), e.offset(), e.end(), e.code().map(ReplyCode::get)),
            (ErrorKind::UnterminatedLine, 21, 21, Some(220))
        );
        let mut dec = Decoder::<64>::new();
        assert_eq!(dec.push(b"220 first\r\n"), 11);
        let Some(Ok(_found)) = dec.poll() else {
            panic!("no reply")
        };
        assert_eq!(dec.finish(), None);

        // Shrunk below what it holds: the reply comes out cut.
        let mut dec = Decoder::<16>::new();
        assert_eq!(dec.push(b"220 ok\r\n331 "), 12);
        assert_eq!(dec.next().unwrap().unwrap().code().get(), 220);
        let mut dec = dec.with_limit(2);
        let mut rest = &b"pw\r\n230 in\r\n"[..];
        let mut got = Vec::new();
        loop {
            while let Some(r) = dec.next() {
                got.push(r.map(|r| (r.code().get(), r.is_truncated())));
            }
            if rest.is_empty() {
                break;
            }
            let n = dec.push(rest);
            assert!(n > 0, "push took nothing after next() said None");
            rest = &rest[n..];
        }
        assert_eq!(got, [Ok((331, true)), Ok((230, true))]);
    }

    /// Past `usize::MAX` bytes pushed (4 GiB on a 32-bit target) the
    /// stream's offsets wrap, and an item's byte and line counts stop at
    /// `usize::MAX`: no arithmetic overflows (these tests run with overflow
    /// checks on), and the replies after are as before. The counters are
    /// set near their ends here; pushing 4 GiB for real is
    /// `tests/wrap.rs`, run on i686 by CI.
    #[test]
    fn offsets_wrap_and_counts_saturate() {
        // An error item of 30 bytes across the wrap, then a reply.
        let mut dec = Decoder::<64>::new();
        dec.offset = usize::MAX - 9;
        let input = b"zzzzzzzzzzzzzzzzzzzzzzzzzzzzz\n220 ok\r\n";
        assert_eq!(dec.push(input), input.len());
        let e = dec.next().unwrap().unwrap_err();
        assert_eq!(
            (e.kind(), e.offset(), e.end()),
            (ErrorKind::InvalidCode, usize::MAX - 9, 20)
        );
        assert_eq!(e.end().wrapping_sub(e.offset()), 30);
        assert_eq!(dec.next().unwrap().unwrap().code().get(), 220);
        assert!(dec.next().is_none());

        // A line longer than the buffer whose count of bytes seen reaches
        // its end: it still comes out cut, and the next reply whole.
        let mut dec = Decoder::<16>::new();
        // Pushes all of `bytes`, taking what comes out.
        let feed = |dec: &mut Decoder<16>, mut bytes: &[u8]| {
            let mut out = Vec::new();
            while !bytes.is_empty() {
                bytes = &bytes[dec.push(bytes)..];
                while let Some(r) = dec.next() {
                    out.push(r.map(|r| (r.code().get(), r.is_truncated())));
                }
            }
            out
        };
        assert_eq!(
            feed(&mut dec, b"220 xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"),
            []
        );
        dec.item.seen = usize::MAX - 3;
        assert_eq!(feed(&mut dec, &[b'x'; 100]), []);
        assert_eq!(dec.item.seen, usize::MAX);
        assert_eq!(
            feed(&mut dec, b"\r\n221 bye\r\n"),
            [Ok((220, true)), Ok((221, false))]
        );

        // A block with no line limit whose count of lines reaches its end.
        let mut dec = Decoder::<64>::new();
        assert_eq!(dec.push(b"211-a\n"), 6);
        assert!(dec.next().is_none());
        dec.item.later_lines = usize::MAX - 1;
        assert_eq!(dec.push(b"\n\n\n211 end\n"), 11);
        let block = dec.next().unwrap().unwrap();
        assert_eq!(block.code().get(), 211);
        assert!(dec.next().is_none());
        // The same block within a limit: one line too many.
        let limit = core::num::NonZeroU32::new(5);
        let mut dec = Decoder::<64>::with_config(ParserConfig::new().max_lines(limit));
        assert_eq!(dec.push(b"211-a\n"), 6);
        assert!(dec.next().is_none());
        dec.item.later_lines = usize::MAX - 1;
        assert_eq!(dec.push(b"\n211 end\n"), 9);
        let e = dec.next().unwrap().unwrap_err();
        assert!(
            matches!(e.kind(), ErrorKind::TooManyLines { limit: 5 }),
            "{e:?}"
        );
    }

    /// A record of every compaction on this thread (see
    /// `moves_pay_for_themselves`).
    #[derive(Debug, Clone, Copy, Default)]
    struct MoveLog {
        /// Compactions.
        count: usize,
        /// Bytes moved by them.
        moved: usize,
        /// Bytes they freed (handed out or dropped before the move).
        freed: usize,
        /// Compactions that moved more than they freed (the last resort of
        /// a full buffer whose one item is not complete).
        unpaid: usize,
        /// The most room (free bytes at the end) any compaction found.
        most_room: usize,
    }

    std::thread_local! {
        static MOVES: core::cell::Cell<MoveLog> = const {
            core::cell::Cell::new(MoveLog { count: 0, moved: 0, freed: 0, unpaid: 0, most_room: 0 })
        };
    }

    /// Called by `compact` in test builds: one move of `moved` bytes that
    /// frees `freed`, made with `room` bytes free at the end.
    pub(super) fn record_move(moved: usize, freed: usize, room: usize) {
        MOVES.with(|m| {
            let mut log = m.get();
            log.count += 1;
            log.moved += moved;
            log.freed += freed;
            log.unpaid += usize::from(moved > freed);
            log.most_room = log.most_room.max(room);
            m.set(log);
        });
    }

    /// (code, line count, truncated) or the error kind.
    type Out = Result<(u16, usize, bool), ErrorKind>;

    fn out(r: Result<Reply<'_>, Error>) -> Out {
        r.map(|r| (r.code().get(), r.line_count(), r.is_truncated()))
            .map_err(|e| e.kind())
    }

    fn drain<const N: usize>(dec: &mut Decoder<N>, items: &mut Vec<Out>) {
        while let Some(r) = dec.next() {
            items.push(out(r));
        }
    }

    /// Feeds `stream` one byte at a time, draining after each.
    fn bytewise<const N: usize>(dec: Decoder<N>, stream: &[u8]) -> Vec<Out> {
        chunkwise(dec, stream, 1)
    }

    /// Feeds `stream` in pushes of `size` bytes, draining after each, and
    /// finishes; every push after `next` has said `None` takes a byte.
    fn chunkwise<const N: usize>(mut dec: Decoder<N>, stream: &[u8], size: usize) -> Vec<Out> {
        let mut items = feed(&mut dec, stream, size, out);
        if let Some(e) = dec.finish() {
            items.push(Err(e.kind()));
        }
        items
    }

    /// Feeds `stream` in pushes of `size` bytes, taking every item out
    /// (through `map`) after each; every push after `next` has said `None`
    /// takes a byte. The caller finishes.
    fn feed<const N: usize, T>(
        dec: &mut Decoder<N>,
        stream: &[u8],
        size: usize,
        map: fn(Result<Reply<'_>, Error>) -> T,
    ) -> Vec<T> {
        let mut items = Vec::new();
        for mut chunk in stream.chunks(size) {
            while !chunk.is_empty() {
                let n = dec.push(chunk);
                assert!(
                    n > 0,
                    "pushes of {size}: push refused a byte after next() said None"
                );
                chunk = &chunk[n..];
                while let Some(r) = dec.next() {
                    items.push(map(r));
                }
            }
        }
        items
    }

    /// `last_error_is_text`: an `InvalidCode` at a line's first byte when
    /// that byte is no digit (a line that cannot start a code, and does
    /// not look like one: `999 x` does) and nothing else, whole or byte by
    /// byte, with a reply before it, and in a line longer than the buffer.
    #[test]
    fn text_lines_are_marked() {
        let long = [&[b'x'; 40][..], b"\r\n"].concat();
        let cases: [(&[u8], bool); 11] = [
            (b"hello\r\n", true),
            (b"\r\n", true),
            (b"\n", true),
            (b" 220 x\r\n", true),
            (b"999 x\r\n", false),
            (b"099 x\r\n", false),
            (b"7\r\n", false),
            (&long, true),
            (b"2x0 x\r\n", false),
            (b"22\r\n", false),
            (b"220 a\0b\r\n", false),
        ];
        for (line, text) in cases {
            for whole in [true, false] {
                let mut dec = Decoder::<16>::new();
                let stream = [&b"200 ok\r\n"[..], line].concat();
                let size = if whole { stream.len() } else { 1 };
                let mut marks = Vec::new();
                for mut piece in stream.chunks(size) {
                    while !piece.is_empty() {
                        let n = dec.push(piece);
                        piece = &piece[n..];
                        while let Some(r) = dec.next() {
                            if r.is_err() {
                                marks.push(dec.last_error_is_text());
                            }
                        }
                    }
                }
                assert_eq!(marks, [text], "{:?} whole {whole}", line.escape_ascii());
            }
        }
    }

    #[test]
    fn size_bound() {
        #[cfg(target_pointer_width = "64")]
        const OVERHEAD: usize = 128;
        #[cfg(not(target_pointer_width = "64"))]
        const OVERHEAD: usize = 80;
        assert!(core::mem::size_of::<Decoder<256>>() <= 256 + OVERHEAD);
        assert!(core::mem::size_of::<Decoder<1024>>() <= 1024 + OVERHEAD);
    }

    /// `with_limit` keeps the capacity within 1..=N; `clear` forgets the
    /// bytes held and the stream offset (error offsets count from 0 again)
    /// but keeps the configuration and the limit; a `ReplyReady` from
    /// before the `clear` gives an empty truncated reply with its code.
    /// A reply's code, line count and bytes (none when truncated), or an
    /// error's kind, offset and code.
    type Full = Result<(u16, usize, bool, Vec<u8>), (ErrorKind, usize, Option<u16>)>;

    /// (It also checks that the reply's flag for a block another code
    /// closed, set where the reply was found, says what
    /// `closed_by_other_code` reads from the bytes of a whole reply.)
    fn full(r: Result<Reply<'_>, Error>) -> Full {
        r.map(|r| {
            assert_eq!(
                r.other_closed(),
                r.closed_by_other_code() && !r.is_truncated(),
                "{r:?}"
            );
            (
                r.code().get(),
                r.line_count(),
                r.is_truncated(),
                r.as_bytes().to_vec(),
            )
        })
        .map_err(|e| (e.kind(), e.offset(), e.code().map(ReplyCode::get)))
    }

    /// The walk's items as a decoder with room for `limit` bytes gives
    /// them: a reply longer than that truncated, with its code and one
    /// line, the head of its first line: all of it when it fits in half
    /// the buffer, else its first `limit / 2` bytes, the last made a LF
    /// (what `Reply::is_truncated` documents). Panics when `resume_after`
    /// skips no byte after an error: the walk would never end (a hang,
    /// not a failure, under mutants of `resume_after`).
    fn walked(config: &ParserConfig, stream: &[u8], limit: usize) -> Vec<Full> {
        let mut out = Vec::new();
        let mut at = 0;
        while at < stream.len() {
            let rest = &stream[at..];
            match config.parse_complete(rest) {
                Ok((after, reply)) => {
                    out.push(if reply.as_bytes().len() > limit {
                        let bytes = reply.as_bytes();
                        let first = bytes
                            .iter()
                            .position(|&b| b == b'\n')
                            .map_or(bytes.len(), |i| i + 1);
                        let mut head = bytes[..first.min(limit / 2)].to_vec();
                        if head.len() < first
                            && let Some(last) = head.last_mut()
                        {
                            *last = b'\n';
                        }
                        Ok((reply.code().get(), 1, true, head))
                    } else {
                        full(Ok(reply))
                    });
                    at += rest.len() - after.len();
                }
                Err(e) => {
                    out.push(Err((
                        e.kind(),
                        at + e.offset(),
                        e.code().map(ReplyCode::get),
                    )));
                    let skip = crate::resume_after(rest, &e);
                    assert!(skip > 0, "the walk stopped at {at}");
                    at += skip;
                }
            }
        }
        out
    }

    /// Compaction and make_room on every path, checked against the walk:
    /// a stream of replies, blocks (one with middle lines that start with
    /// digits, one over a limit of five lines), an error inside a block
    /// (dropped bytes between the kept ones and the scan), text lines and
    /// replies longer than the buffer, through every capacity from 1 to 72
    /// bytes, with the default rules, `max_lines(5)` and
    /// `any_code_ends_block`, pushed in pieces of 1 to 9 and 64 bytes and
    /// read in through `fill` in pieces of 1, 3 and 64: every item, with its
    /// bytes and offsets, as the walk.
    #[test]
    fn every_capacity_and_chunking_gives_the_walk() {
        let stream: &[u8] = b"220-Welcome\r\n 220 x\r\n220 ok\r\n331 need password\r\n\
            garbage\r\n211-Features\r\n MD\0TM\r\n SIZE\r\n211 End\r\n226\r\n\
            214-The following commands are recognized\r\n ABOR ACCT ALLO APPE CDUP CWD\r\n\
            214 Help OK\r\n200 ok\n5x0 bad\r\n250 done\r\n221-a\r\n221 b\r\n220Welcome\r\n\
            211-Status\r\n230 x\r\n211-211 y\r\n2\r\n211 End\r\n\
            212-a\r\n b\r\n c\r\n d\r\n e\r\n212 f\r\n200 z\r\n";
        let five = ParserConfig::new().max_lines(core::num::NonZeroU32::new(5));
        let lenient = ParserConfig::new().any_code_ends_block(true);
        for (limit, config) in
            (1..=72).flat_map(|l| [(l, ParserConfig::new()), (l, five), (l, lenient)])
        {
            let want = walked(&config, stream, limit);
            // Replies taken after every push, or after every other push and
            // when a push does not take all it was given (then bytes not
            // scanned yet are held when room is made, and move with the
            // rest).
            for (size, lazy) in (1..=9).chain([64]).flat_map(|s| [(s, false), (s, true)]) {
                let mut dec = Decoder::<72>::with_config(config).with_limit(limit);
                let mut got = Vec::new();
                let mut tried = false;
                let mut pushes = 0;
                for mut chunk in stream.chunks(size) {
                    while !chunk.is_empty() {
                        let n = dec.push(chunk);
                        assert!(
                            n > 0 || (lazy && !tried),
                            "limit {limit}, pushes of {size}: no byte taken"
                        );
                        tried = n == 0;
                        pushes += 1;
                        chunk = &chunk[n..];
                        if lazy && chunk.is_empty() && pushes % 2 == 1 {
                            continue;
                        }
                        while let Some(r) = dec.next() {
                            got.push(full(r));
                        }
                    }
                }
                while let Some(r) = dec.next() {
                    got.push(full(r));
                }
                assert_eq!(dec.finish(), None);
                assert_eq!(
                    got, want,
                    "{config:?}, limit {limit}, pushes of {size}, lazy {lazy}"
                );
            }
            for size in [1, 3, 64] {
                let mut dec = Decoder::<72>::with_config(config).with_limit(limit);
                let mut got = Vec::new();
                let mut rest = stream;
                while !rest.is_empty() {
                    let n = dec
                        .fill(|buf| {
                            let n = buf.len().min(size).min(rest.len());
                            buf[..n].copy_from_slice(&rest[..n]);
                            Ok::<_, ()>(n)
                        })
                        .unwrap();
                    assert!(n > 0, "limit {limit}, fills of {size}: no room");
                    rest = &rest[n..];
                    while let Some(r) = dec.next() {
                        got.push(full(r));
                    }
                }
                assert_eq!(got, want, "{config:?}, limit {limit}, fills of {size}");
            }
        }
    }

    /// Lines longer than the 64 bytes the look after a reply tests at once,
    /// after short replies, in pushes small and large (so the look finds
    /// its stop in the first 64 bytes, past them, or none): every item as
    /// the walk, with its bytes.
    #[test]
    fn long_lines_after_a_reply_give_the_walk() {
        let mut stream = Vec::new();
        for (i, len) in [3usize, 70, 0, 64, 65, 130, 1, 200, 63, 129]
            .into_iter()
            .enumerate()
        {
            let text = std::vec![b'a' + (i as u8); len];
            stream.extend_from_slice(b"200 ok\r\n");
            stream.extend_from_slice(b"250 ");
            stream.extend_from_slice(&text);
            stream.extend_from_slice(b"\r\n211-");
            stream.extend_from_slice(&text);
            stream.extend_from_slice(b"\r\n ");
            stream.extend_from_slice(&text);
            stream.extend_from_slice(b"\r\n211 end\r\n");
        }
        let want = walked(&ParserConfig::new(), &stream, 512);
        for size in [1, 7, 16, 63, 64, 65, 100, 128, 200, 300, 512] {
            let mut dec = Decoder::<512>::new();
            let got = feed(&mut dec, &stream, size, full);
            assert_eq!(dec.finish(), None);
            assert_eq!(got, want, "pushes of {size}");
        }
    }

    /// A NUL in a single-line reply, in a middle line and in a closing
    /// line, at the start, the middle and the end of its text, with short
    /// and long text after it, fed in pushes of every size from 1 to 80:
    /// the walk's items, one error per reply. Before it, a LF after a NUL
    /// found one byte short (`line_end_and_nul` adding `i + j` for
    /// `i + 1 + j`) made a phantom error at the LF with pushes that held
    /// the whole line, and no test saw it.
    #[test]
    fn a_nul_anywhere_in_a_reply_gives_the_walk() {
        let mut stream = Vec::new();
        for text in [
            &b"\0"[..],
            b"\0ab",
            b"a\0b",
            b"ab\0",
            b"a\0bcdefghijklmnopqrstuvwxyz",
        ] {
            for (head, tail) in [
                (&b"200 "[..], &b"\r\n"[..]),
                (b"211-a\r\n ", b"\r\n211 end\r\n"),
                (b"211-a\r\n211 ", b"\n"),
            ] {
                stream.extend_from_slice(head);
                stream.extend_from_slice(text);
                stream.extend_from_slice(tail);
                stream.extend_from_slice(b"200 ok\r\n");
            }
        }
        let want = walked(&ParserConfig::new(), &stream, 256);
        assert_eq!(want.iter().filter(|item| item.is_err()).count(), 15);
        for size in 1..=80 {
            let mut dec = Decoder::<256>::new();
            let got = feed(&mut dec, &stream, size, full);
            assert_eq!(got, want, "pushes of {size}");
        }
    }

    /// A line of every length from 0 to 700 bytes after a reply, pushed
    /// whole into a buffer that holds it, so that the look after the reply
    /// runs past its first 64 bytes and past the 64 after those (where the
    /// memchr tail of `find_stop_span` answers): the walk's items. Before
    /// it, no test pushed a line of over 128 bytes at once behind a reply,
    /// and `find_stop_span` adding its head's length by multiplying lost the
    /// replies after such a line.
    #[test]
    fn a_line_of_any_length_pushed_whole_after_a_reply_gives_the_walk() {
        for len in 0..=700 {
            let text = std::vec![b'x'; len];
            for middle in [false, true] {
                let mut stream = b"200 ok\r\n".to_vec();
                stream.extend_from_slice(if middle { b"211-a\r\n " } else { b"211 " });
                stream.extend_from_slice(&text);
                stream.extend_from_slice(if middle { b"\r\n211 b\r\n" } else { b"\r\n" });
                stream.extend_from_slice(b"200 two\r\n");
                let want = walked(&ParserConfig::new(), &stream, 2048);
                assert_eq!(want.len(), 3);
                let mut dec = Decoder::<2048>::new();
                let got = feed(&mut dec, &stream, stream.len(), full);
                assert_eq!(got, want, "a line of {len} bytes, in a block: {middle}");
            }
        }
    }

    /// `len` counts the bytes held and not handed out, `is_empty` says
    /// there are none, `free` is the room left at the end (never more than
    /// the capacity less what is held): before and after pushes, a reply
    /// handed out, and the drain.
    #[test]
    fn len_free_and_is_empty() {
        let mut dec = Decoder::<16>::new();
        assert_eq!((dec.len(), dec.free(), dec.is_empty()), (0, 16, true));
        assert_eq!(dec.push(b"220 ok\r\n33"), 10);
        assert_eq!((dec.len(), dec.free(), dec.is_empty()), (10, 6, false));
        assert_eq!(dec.next().unwrap().unwrap().code().get(), 220);
        // The reply's bytes are dropped at the next call: only "33" counts.
        assert_eq!((dec.len(), dec.is_empty()), (2, false));
        assert!(dec.next().is_none());
        assert_eq!(dec.len(), 2);
        assert!(dec.free() <= 14);
        assert_eq!(dec.push(b"1 x\r\n"), 5);
        assert_eq!(dec.len(), 7);
        assert!(dec.free() <= 9);
        assert_eq!(dec.next().unwrap().unwrap().code().get(), 331);
        assert_eq!((dec.len(), dec.is_empty()), (0, true));
        assert!(dec.next().is_none());
        assert_eq!((dec.len(), dec.free(), dec.is_empty()), (0, 16, true));
        // With a limit, the room is counted against it.
        let mut dec = Decoder::<16>::new().with_limit(8);
        assert_eq!((dec.capacity(), dec.free()), (8, 8));
        assert_eq!(dec.push(b"220 a"), 5);
        assert_eq!((dec.len(), dec.free()), (5, 3));
        // Small pushes (8 to 16 bytes, 64-bit targets: `push_short`) after
        // a reply handed out: the reply's bytes count for nothing, whether
        // the push ends no line or opens a block, and the block's reply
        // holds its own bytes only.
        let mut dec = Decoder::<64>::new();
        assert_eq!(dec.push(b"220 x\r\n200 ok\r\n"), 15);
        assert_eq!(dec.next().unwrap().unwrap().as_bytes(), b"220 x\r\n");
        assert_eq!(dec.next().unwrap().unwrap().as_bytes(), b"200 ok\r\n");
        assert!(dec.next().is_none());
        assert_eq!(dec.push(b"211-Features"), 12);
        assert_eq!(dec.len(), 12);
        assert!(dec.next().is_none());
        assert_eq!(dec.push(b":\r\n MDTM\r\n211"), 13);
        assert_eq!(dec.len(), 25);
        assert!(dec.next().is_none());
        assert_eq!(dec.push(b" End\r\n220 x\r\n"), 13);
        let block = dec.next().unwrap().unwrap();
        assert_eq!(block.as_bytes(), b"211-Features:\r\n MDTM\r\n211 End\r\n");
        assert_eq!(block.line_count(), 3);
        assert_eq!(dec.len(), 7);
        assert_eq!(dec.next().unwrap().unwrap().as_bytes(), b"220 x\r\n");
        assert!(dec.is_empty());
    }

    /// glftpd's `553-` block closed by a `150 ` line, longer than the
    /// buffer: the reply is the 150, cut, and says that another code
    /// closed it; its text is what it holds of the 553 line, and the
    /// payload refuses it (`closed_by_other_code` read only whole blocks).
    #[test]
    fn a_cut_block_closed_by_another_code_says_so() {
        let glftpd: &[u8] = b"553-Could not create file.\r\n\
            150 Opening BINARY mode data connection for x (12 bytes).\r\n";
        let lenient = ParserConfig::new().any_code_ends_block(true);
        // Every reply of `input` through a `Decoder<N>`: code, cut, closed
        // by another code, text, and the payload's error kind.
        fn cut<const N: usize>(config: ParserConfig, mut input: &[u8]) -> Vec<Seen> {
            let mut dec = Decoder::<N>::with_config(config);
            let mut got = Vec::new();
            while !input.is_empty() {
                let n = dec.push(input);
                input = &input[n..];
                while let Some(item) = dec.next() {
                    let r = item.unwrap();
                    got.push((
                        r.code().get(),
                        r.is_truncated(),
                        r.closed_by_other_code(),
                        r.text().to_vec(),
                        r.payload().map(|_| ()).map_err(|e| e.kind()),
                    ));
                }
            }
            got
        }
        type Seen = (u16, bool, bool, Vec<u8>, Result<(), ErrorKind>);
        let truncated = Err(ErrorKind::Payload(crate::PayloadError::Truncated));
        let got = cut::<32>(lenient, glftpd);
        assert_eq!(got, [(150, true, true, b"Could not c".to_vec(), truncated)]);
        // Whole, the same block gives the 150's line and its size.
        let (_, whole) = lenient.parse_complete(glftpd).unwrap();
        assert!(whole.closed_by_other_code() && !whole.is_truncated());
        assert_eq!(whole.transfer_size(), Ok(Some(12)));
        // A cut reply whose code is its first line's: not closed by another.
        let got = cut::<16>(lenient, b"220-Welcome to the server\r\n220 Ready\r\n");
        assert_eq!(got, [(220, true, false, b"Wel".to_vec(), Ok(()))]);
    }

    #[test]
    fn limit_clear_and_a_stale_ready() {
        assert_eq!(Decoder::<64>::new().capacity(), 64);
        assert_eq!(Decoder::<64>::new().with_limit(100).capacity(), 64);
        assert_eq!(Decoder::<64>::new().with_limit(0).capacity(), 1);
        let two = ParserConfig::new().max_lines(core::num::NonZeroU32::new(2));
        let mut dec = Decoder::<64>::with_config(two).with_limit(32);
        assert_eq!(dec.capacity(), 32);
        assert_eq!(dec.push(b"xx\r\n220 ok\r\n3"), 13);
        assert_eq!(dec.next().map(|r| r.map_err(|e| e.offset())), Some(Err(0)));
        let Some(Ok(ready)) = dec.poll() else {
            panic!("the 220 is ready")
        };
        dec.clear();
        assert!(dec.is_empty());
        let stale = dec.reply(ready);
        assert!(stale.is_truncated());
        assert_eq!(stale.code().get(), 220);
        assert_eq!(stale.as_bytes(), b"");
        assert_eq!((stale.line_count(), stale.text()), (1, &b""[..]));
        // No closing line with another code: it has no lines at all, and
        // `lines()` says so before it is asked (its `len` was 1).
        assert!(!stale.closed_by_other_code());
        assert_eq!((stale.lines().len(), stale.lines().count()), (0, 0));
        assert_eq!(dec.capacity(), 32);
        // Offsets from 0 again, and the two-line limit still applies.
        assert_eq!(dec.push(b"211-a\r\n b\r\n211 c\r\n"), 18);
        let e = dec
            .next()
            .and_then(Result::err)
            .map(|e| (e.kind(), e.offset()));
        assert_eq!(e, Some((ErrorKind::TooManyLines { limit: 2 }, 11)));
    }

    #[test]
    fn too_long_line_then_next_reply() {
        let mut dec = Decoder::<16>::new();
        let stream = b"220 this line is far too long\r\n200 ok\r\n";
        let mut out: Vec<Out> = Vec::new();
        let mut rest = &stream[..];
        let mut kept = Vec::new();
        while !rest.is_empty() {
            let n = dec.push(rest);
            rest = &rest[n..];
            while let Some(r) = dec.next() {
                let r = r.unwrap();
                kept.push(r.as_bytes().to_vec());
                out.push(Ok((r.code().get(), r.line_count(), r.is_truncated())));
            }
        }
        assert_eq!(out, [Ok((220, 1, true)), Ok((200, 1, false))]);
        // The first line's head, cut to half the buffer, ending with a LF.
        assert_eq!(kept[0], b"220 thi\n");
        assert_eq!(kept[1], b"200 ok\r\n");
    }

    #[test]
    fn too_long_block_then_next_reply() {
        let stream = b"211-a\r\n 200 x\r\n 300 yyyyyyyyyyyyyy\r\n211 End\r\n230 ok\r\n";
        assert_eq!(
            bytewise(Decoder::<12>::new(), stream),
            [Ok((211, 1, true)), Ok((230, 1, false))]
        );
    }

    /// Issue #10: a `Decoder<4>` (or `with_limit(4)`) lost the `200`.
    #[test]
    fn tiny_buffers_lose_no_later_reply() {
        let stream = b"211-Features\r\n MDTM\r\n211\r\n200\n";
        let want: [Out; 2] = [Ok((211, 1, true)), Ok((200, 1, false))];
        assert_eq!(bytewise(Decoder::<4>::new(), stream), want);
        assert_eq!(bytewise(Decoder::<64>::new().with_limit(4), stream), want);
        // With one byte, no reply fits: each still comes out, with its code.
        let one: [Out; 2] = [Ok((211, 1, true)), Ok((200, 1, true))];
        assert_eq!(bytewise(Decoder::<1>::new(), stream), one);
        assert_eq!(bytewise(Decoder::<64>::new().with_limit(0), stream), one);
        assert_eq!(
            bytewise(Decoder::<64>::new(), stream),
            [Ok((211, 3, false)), Ok((200, 1, false))]
        );
    }

    /// Issue #10: a 2 KiB legal-notice banner through a `Decoder<512>`
    /// still answers 220, then the login goes on.
    #[test]
    fn oversized_banner_still_answers() {
        let mut stream = b"220-Authorized use only.\r\n".to_vec();
        for i in 0..45 {
            stream.extend_from_slice(
                format!("220-Line {i:02} of the legal notice, which goes on.\r\n").as_bytes(),
            );
        }
        stream.extend_from_slice(b"220 Ready.\r\n331 Password required.\r\n");
        assert!(stream.len() > 2048);
        let mut dec = Decoder::<512>::new();
        let mut out: Vec<(u16, bool)> = Vec::new();
        let mut raws = Vec::new();
        for chunk in stream.chunks(100) {
            let mut chunk = chunk;
            while !chunk.is_empty() {
                let n = dec.push(chunk);
                chunk = &chunk[n..];
                while let Some(r) = dec.next() {
                    let r = r.unwrap();
                    raws.push(r.as_bytes().to_vec());
                    out.push((r.code().get(), r.is_truncated()));
                }
            }
        }
        assert_eq!(out, [(220, true), (331, false)]);
        assert_eq!(raws[0], b"220-Authorized use only.\r\n");
    }

    /// An error inside a block consumes the block: no phantom reply.
    #[test]
    fn error_in_block_is_one_item() {
        let stream = b"211-Features:\r\n MDTM\r\n SI\0ZE\r\n211 End\r\n257 \"/\"\r\n";
        let mut dec = Decoder::<64>::new();
        let mut out = Vec::new();
        for b in stream {
            assert_eq!(dec.push(&[*b]), 1);
            while let Some(r) = dec.next() {
                out.push(
                    r.map(|r| r.code().get())
                        .map_err(|e| (e.kind(), e.offset(), e.end(), e.code().map(ReplyCode::get))),
                );
            }
        }
        assert_eq!(out, [Err((ErrorKind::NulByte, 25, 39, Some(211))), Ok(257)]);
    }

    /// Bytes pushed (or filled) while a reply waits to be taken are looked
    /// at after it: the call after the reply must not say `None` because
    /// the bytes after it were found clean before the push.
    #[test]
    fn push_while_a_reply_waits() {
        let stream: &[u8] = b"220 a\r\n331 bb\r\n211-x\r\n y\r\n211 z\r\n230 logged in now\r\n\
            200 ok\n150 about (12 bytes)\r\n226 done\r\n";
        let want = bytewise(Decoder::<256>::new(), stream);
        for size in [1, 2, 3, 7, 8, 9, 12, 16, 17, 40] {
            for use_fill in [false, true] {
                let mut dec = Decoder::<256>::new();
                let mut out = Vec::new();
                let mut chunks = stream.chunks(size);
                let feed = |dec: &mut Decoder<256>, chunk: &[u8]| {
                    if use_fill {
                        let n = dec.fill(|buf| {
                            buf[..chunk.len()].copy_from_slice(chunk);
                            Ok::<_, ()>(chunk.len())
                        });
                        assert_eq!(n, Ok(chunk.len()));
                    } else {
                        assert_eq!(dec.push(chunk), chunk.len());
                    }
                };
                while let Some(chunk) = chunks.next() {
                    feed(&mut dec, chunk);
                    while let Some(found) = dec.poll() {
                        match found {
                            Ok(ready) => {
                                // The next bytes arrive before the reply is
                                // taken.
                                if let Some(more) = chunks.next() {
                                    feed(&mut dec, more);
                                }
                                let r = dec.reply(ready);
                                out.push(Ok((r.code().get(), r.line_count(), r.is_truncated())));
                            }
                            Err(e) => out.push(Err(e.kind())),
                        }
                    }
                }
                if let Some(e) = dec.finish() {
                    out.push(Err(e.kind()));
                }
                assert_eq!(out, want, "pushes of {size} (fill: {use_fill})");
            }
        }
    }

    /// A reply read whole (64-bit targets: `quick`, `line_at_clean`) with
    /// nothing held after it: a `fill` before `reply` takes it (or a push,
    /// when the reply ends at the end of the buffer) took the buffer for
    /// empty and reset it under the reply, which came out with no bytes,
    /// not flagged truncated, and was written over.
    /// (`push_while_a_reply_waits` compares codes and line counts only.)
    #[test]
    fn a_reply_not_taken_yet_keeps_its_bytes() {
        // A fill, room to spare.
        let mut dec = Decoder::<64>::new();
        assert_eq!(dec.push(b"200 ok\n"), 7);
        let Some(Ok(ready)) = dec.poll() else {
            panic!("no reply")
        };
        let filled = dec.fill(|buf| {
            buf[..6].copy_from_slice(b"226 x\n");
            Ok::<_, ()>(6)
        });
        assert_eq!(filled, Ok(6));
        let r = dec.reply(ready);
        assert_eq!((r.code().get(), r.as_bytes()), (200, &b"200 ok\n"[..]));
        assert!(!r.is_truncated());
        assert_eq!(dec.next().unwrap().unwrap().as_bytes(), b"226 x\n");
        assert_eq!(dec.finish(), None);

        // The reply fills the buffer: no room until it is taken.
        let mut dec = Decoder::<7>::new();
        assert_eq!(dec.push(b"200 ok\n"), 7);
        let Some(Ok(ready)) = dec.poll() else {
            panic!("no reply")
        };
        assert_eq!(dec.push(b"2"), 0);
        assert_eq!(dec.fill(|buf| Ok::<_, ()>(buf.len())), Ok(0));
        let r = dec.reply(ready);
        assert_eq!((r.code().get(), r.as_bytes()), (200, &b"200 ok\n"[..]));
        assert!(!r.is_truncated());
        assert_eq!(dec.push(b"226 x\n"), 6);
        assert_eq!(dec.next().unwrap().unwrap().as_bytes(), b"226 x\n");
        assert_eq!(dec.finish(), None);
    }

    /// A full buffer whose front is a reply handed out, then a reply
    /// `poll` found and not yet taken, then the start of the next: a push
    /// before `reply` moves what is held to the front (it frees more than
    /// it moves), so it takes the bytes, and the reply waiting keeps its
    /// own. (Missed mutants: `compact_would_pay` or `below_cap` false made
    /// that push take nothing.)
    #[test]
    fn a_push_before_the_reply_is_taken_moves_it_when_that_pays() {
        let mut dec = Decoder::<32>::new();
        let stream = b"331 Password required\r\n230 ok\r\n2";
        assert_eq!(dec.push(stream), 32);
        assert_eq!(
            dec.next().unwrap().unwrap().as_bytes(),
            b"331 Password required\r\n"
        );
        let Some(Ok(ready)) = dec.poll() else {
            panic!("no reply")
        };
        assert_eq!(dec.free(), 0);
        assert_eq!(dec.push(b"21 x\r\n"), 6);
        let r = dec.reply(ready);
        assert_eq!((r.code().get(), r.as_bytes()), (230, &b"230 ok\r\n"[..]));
        assert!(!r.is_truncated());
        assert_eq!(dec.next().unwrap().unwrap().as_bytes(), b"221 x\r\n");
        assert_eq!(dec.finish(), None);
    }

    /// Pushes with no `next` between some of them: a LF pushed alone while
    /// a line already waits to be read must not be taken for the end of a
    /// clean run that starts before that line (the run is known clean only
    /// while `next` has nothing to do). Fails when `byte_stop` ignores
    /// `must_scan` (checked).
    #[test]
    fn pushes_with_no_next_between() {
        let stream: &[u8] = b"220 a\r\n331 bb\r\n211-x\r\n y\r\n211 z\r\n230 logged in now\r\n\
            200 ok\n150 about (12 bytes)\r\n2\x0026 done\r\n250 ok\r\n";
        let want = bytewise(Decoder::<256>::new(), stream);
        for size in [1, 2, 3, 8, 9, 16] {
            for every in 2..=5 {
                let mut dec = Decoder::<256>::new();
                let mut out = Vec::new();
                for (i, chunk) in stream.chunks(size).enumerate() {
                    assert_eq!(dec.push(chunk), chunk.len());
                    if i % every == 0 {
                        drain(&mut dec, &mut out);
                    }
                }
                drain(&mut dec, &mut out);
                if let Some(e) = dec.finish() {
                    out.push(Err(e.kind()));
                }
                assert_eq!(out, want, "pushes of {size}, next after every {every}");
            }
        }
    }

    /// The first 70,000 bytes or so of a 211 status block, for the small
    /// pushes that follow to start past 65,535 (`Item::stops_at` is a `u16`).
    fn status_block_past_64_kib() -> Vec<u8> {
        let mut stream = b"211-Status\r\n".to_vec();
        while stream.len() < 70_000 {
            stream.extend_from_slice(b" a line of the status\r\n");
        }
        stream
    }

    /// Small pushes (8 to 16 bytes) at offsets past 65,535 in a buffer
    /// larger than that: `Item::stops_at` is a `u16`, so such a push keeps
    /// no stops and sets the clean run to its first stop instead. A long
    /// block held whole, then a line pushed in small pieces (the first ones
    /// with no LF, so the run starts before the push that ends it), the
    /// closing line and two replies after it: the walk's replies.
    #[test]
    fn small_pushes_past_64_kib() {
        const BIG: usize = 1 << 17;
        let mut stream = status_block_past_64_kib();
        let head = stream.len();
        stream.extend_from_slice(
            b" a longer line, in pieces with no LF in the first ones\r\n211 End\r\n\
              200 this line too is long enough\r\n331 x\r\n",
        );
        let want = walked(&ParserConfig::new(), &stream, BIG);
        assert_eq!(want.len(), 3);
        let mut dec = Decoder::<BIG>::new();
        let mut got = feed(&mut dec, &stream[..head], 1000, full);
        assert!(got.is_empty());
        assert!(
            dec.end > usize::from(u16::MAX),
            "the small pushes start past 65,535"
        );
        got.extend(feed(&mut dec, &stream[head..], 16, full));
        assert_eq!(dec.finish(), None);
        assert_eq!(got, want);
    }

    /// A small push that ends one line or two, then, before `next`, more
    /// bytes with a LF by each other way in: a byte at a time, a push of
    /// fewer than 8 bytes, a push of more than 16, `fill`. The small push
    /// reads its first line at once and keeps the stops it has not read
    /// (`Item::stops`: every LF after the lowest has its bit); a LF that
    /// comes in another way breaks that, so each way must forget them, or
    /// the decoder, once it has read the last stop, takes the new bytes
    /// for clean and runs two replies into one. With one LF the stops are
    /// all read by the push; with two, one is left: removing the
    /// `forget_stops` of `byte_stop`, `push_many` or `fill` fails way 0,
    /// ways 1 and 2, or way 3 (checked).
    #[test]
    fn a_small_push_with_one_lf_then_more_by_each_way_in() {
        // 17 bytes: more than a small push.
        let rest: &[u8] = b"00 b\r\n331 ccccc\r\n";
        // Eight bytes with one LF and 15 with two: the small push path.
        let firsts: [&[u8]; 2] = [b"200 a\r\n2", b"200 a\r\n200 z\r\n2"];
        for first in firsts {
            let whole = [first, rest].concat();
            let want = bytewise(Decoder::<64>::new(), &whole);
            for way in 0..4 {
                let mut dec = Decoder::<64>::new();
                assert_eq!(dec.push(first), first.len());
                // (On 64-bit targets: the second LF's stop is kept.)
                #[cfg(target_pointer_width = "64")]
                assert_eq!(dec.item.stops != 0, first.len() > 8, "{first:?}");
                match way {
                    0 => {
                        for b in rest {
                            assert_eq!(dec.push(core::slice::from_ref(b)), 1);
                        }
                    }
                    1 => {
                        let (a, b) = rest.split_at(6);
                        assert_eq!(dec.push(a), 6);
                        assert_eq!(dec.push(b), b.len());
                    }
                    2 => assert_eq!(dec.push(rest), 17),
                    _ => {
                        let got = dec.fill(|buf: &mut [u8]| {
                            buf[..rest.len()].copy_from_slice(rest);
                            Ok::<usize, ()>(rest.len())
                        });
                        assert_eq!(got, Ok(rest.len()));
                    }
                }
                let mut out = Vec::new();
                drain(&mut dec, &mut out);
                assert_eq!(out, want, "{first:?}, way {way}");
            }
        }
    }

    /// A push that fills the buffer leaves `next` work to do (the line
    /// that fills it is cut), so the push after `next` has said `None`
    /// takes a byte, whatever the push size and however much of the buffer
    /// `with_limit` leaves: the small push path (8 to 16 bytes) must leave
    /// one byte of room, or hand over to the general push.
    #[test]
    fn a_push_that_fills_the_buffer_leaves_next_work() {
        let mut stream = b"200 ".to_vec();
        stream.resize(4 + 100, b'a');
        stream.extend_from_slice(b"\r\n331 ok\r\n");
        for limit in [16, 17, 20, 23, 24, 31, 32] {
            let want = bytewise(Decoder::<32>::new().with_limit(limit), &stream);
            assert_eq!(want, [Ok((200, 1, true)), Ok((331, 1, false))]);
            for size in 1..=20 {
                let out = chunkwise(Decoder::<32>::new().with_limit(limit), &stream, size);
                assert_eq!(out, want, "limit {limit}, pushes of {size}");
            }
        }
    }

    /// The look after a line handed out reads 64 bytes from the buffer,
    /// past `end` too, where bytes of earlier replies stay: a LF there is
    /// not one of the bytes held and must not end the clean run. (Were it
    /// counted, the run would reach past the first LF that a push made
    /// before the next `next` brings, and that line would be read with the
    /// next one in it.)
    /// A decoder used, then narrowed with `with_limit`: the byte just
    /// past its new capacity is a stale LF from before. A block's middle
    /// line that fills the buffer to that byte is not ended there (which
    /// would make its tail, `211 x`, a closing line and the real closing
    /// line a reply of its own): in pushes of every size, the walk's items.
    #[test]
    fn a_stale_lf_at_the_limit_ends_no_line() {
        let stream = b"211-a\r\n b211 x\r\n211 end\r\n200 ok\r\n";
        let want = walked(&ParserConfig::new(), stream, 9);
        assert_eq!(want.len(), 2);
        for size in 1..=stream.len() {
            let mut dec = Decoder::<16>::new();
            // `200 abcd\r\n`: its LF at 9 stays in the buffer once taken.
            let mut first = feed(&mut dec, b"200 abcd\r\n", 16, full);
            assert_eq!(first.len(), 1);
            assert!(first.pop().is_some_and(|r| r.is_ok()));
            let mut dec = dec.with_limit(9);
            let mut got = feed(&mut dec, stream, size, full);
            for item in &mut got {
                // Offsets count from the first byte ever pushed.
                if let Err((_, at, _)) = item {
                    *at -= 10;
                }
            }
            assert_eq!(got, want, "pushes of {size}");
        }
    }

    #[test]
    fn stale_bytes_past_the_end_are_not_looked_at() {
        for held in 9..=40 {
            let mut dec = Decoder::<256>::new();
            let mut out = Vec::new();
            // Bytes with a LF every 4, then drained: the positions go back
            // to the front and these stay in the buffer.
            let stale: Vec<u8> = b"200\n".repeat(40);
            assert_eq!(dec.push(&stale), stale.len());
            drain(&mut dec, &mut out);
            assert_eq!(out.len(), 40);
            // A line handed out, with `held` bytes of the next one after it
            // (no LF), and more bytes pushed before `next` is called again.
            let mut first = b"200 a\r\n331 ".to_vec();
            first.resize(7 + held, b'b');
            let more = b"c\n\n\n\n";
            let want = bytewise(Decoder::<256>::new(), &[&first[..], more].concat());
            assert_eq!(dec.push(&first), first.len());
            let mut got = Vec::new();
            let r = dec
                .next()
                .unwrap()
                .map(|r| (r.code().get(), r.line_count(), r.is_truncated()));
            got.push(r.map_err(|e| e.kind()));
            assert_eq!(dec.push(more), more.len());
            drain(&mut dec, &mut got);
            if let Some(e) = dec.finish() {
                got.push(Err(e.kind()));
            }
            assert_eq!(got, want, "held {held}");
            assert_eq!(got.get(1), Some(&Ok((331, 1, false))), "held {held}");
        }
    }

    /// 0x02 and 0x08 stop a clean run as LF and NUL do (one mask catches
    /// the four: `scan::stop_flags`), and only cost a scan that finds no line
    /// end: text that holds them, in single lines, in a block's lines and
    /// next to line ends, comes out the same whatever the push size (every
    /// size from 1 to 40, the two-word pushes of 8 to 16 bytes among them)
    /// as when read byte by byte.
    #[test]
    fn stop_bytes_that_end_no_line() {
        let stream: &[u8] = b"220 a\x02b\x08c\r\n\x02\x08\x02\x08\x02\x08\x02\x08\x02\x08\r\n\
            211-x\x08\r\n a\x02\r\n\x08\x02 bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb\x02\r\n211 e\x08\n\
            200 \x02\n331 \x08\r\n530 no\r\n";
        let want = bytewise(Decoder::<64>::new(), stream);
        assert_eq!(
            want,
            [
                Ok((220, 1, false)),
                Err(ErrorKind::InvalidCode),
                Ok((211, 4, false)),
                Ok((200, 1, false)),
                Ok((331, 1, false)),
                Ok((530, 1, false)),
            ]
        );
        for size in 1..=40 {
            let out = chunkwise(Decoder::<64>::new(), stream, size);
            assert_eq!(out, want, "pushes of {size}");
        }
    }

    /// Small pushes (8 to 16 bytes) whose stops `push` reads at once and
    /// `next` reads on from (`Item::stops`): short replies and a block's
    /// lines that end two or three to a push, a LF that is a push's last
    /// byte, stop bytes and false flags beside line ends (0x0B after a LF,
    /// 0x01 after a NUL, 0x02 and 0x08 in text), a NUL in a single line
    /// and in a block, a line with no code, a block over `max_lines(6)`,
    /// a closing line cut by a push and a reply longer than the buffer.
    /// Every size from 8 to 16, from every start offset (the first push 1
    /// to 16 bytes), with `next` drained after each push or only after every
    /// third push, in 64 and 40-byte buffers: every item, with its bytes
    /// and offsets, as the walk.
    #[test]
    fn small_pushes_with_several_stops_give_the_walk() {
        let stream: &[u8] = b"200 a\r\n200 b\r\n331 c\n230-x\r\n y\r\n z\r\n230 ok\r\n\
            211-F\r\n M\r\n S\r\n\n\x0b\r\n211\r\n226 \x02\x08\r\n250 \x00\x01\r\n\
            214-h\r\n A\x00\x01B\r\n214 e\r\nhello\r\n200\n211-1\n2\n3\n4\n5\n6\n7\n211 x\n\
            220-aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n220 b\r\n\
            221 bye\r\n";
        let config = ParserConfig::default().max_lines(core::num::NonZeroU32::new(6));
        for cap in [64usize, 40] {
            let want = walked(&config, stream, cap);
            assert_eq!(want.len(), 13, "{want:?}");
            for size in 8..=16 {
                for first in 1..=16 {
                    for every in [1, 3] {
                        let mut dec = Decoder::<64>::with_config(config).with_limit(cap);
                        let mut out = Vec::new();
                        let (head, tail) = stream.split_at(first);
                        let pushes = core::iter::once(head).chain(tail.chunks(size));
                        for (i, mut chunk) in pushes.enumerate() {
                            while !chunk.is_empty() {
                                let n = dec.push(chunk);
                                chunk = &chunk[n..];
                                if n == 0 || i % every == 0 || !chunk.is_empty() {
                                    while let Some(r) = dec.next() {
                                        out.push(full(r));
                                    }
                                }
                            }
                        }
                        while let Some(r) = dec.next() {
                            out.push(full(r));
                        }
                        assert_eq!(dec.finish(), None);
                        assert_eq!(
                            out, want,
                            "cap {cap}, first {first}, size {size}, every {every}"
                        );
                    }
                }
            }
        }
    }

    /// A line longer than `clean` can count (65,535 bytes) in a buffer that
    /// holds it: the count stops there, and the reply still comes out whole,
    /// whatever the push size.
    #[test]
    fn clean_run_longer_than_its_count() {
        let mut stream = b"220 ".to_vec();
        stream.resize(4 + 70_000, b'a');
        stream.extend_from_slice(b"\r\n331 x\r\n");
        for size in [1, 16, 1000, 4096] {
            let mut dec = std::boxed::Box::new(Decoder::<80_000>::new());
            let mut out = Vec::new();
            for mut chunk in stream.chunks(size) {
                while !chunk.is_empty() {
                    let n = dec.push(chunk);
                    chunk = &chunk[n..];
                    while let Some(r) = dec.next() {
                        let r = r.unwrap();
                        out.push((r.code().get(), r.as_bytes().len()));
                    }
                }
            }
            assert_eq!(dec.finish(), None);
            assert_eq!(out, [(220, 70_006), (331, 7)], "pushes of {size}");
        }
    }

    /// A stream of `count` items for the move tests, and how many of them
    /// are longer than `half` bytes: single-line replies, blocks, prose and
    /// NUL lines, a block with a line that starts with its code and a
    /// hyphen, and now and then an item longer than `half` (up to three
    /// times it), which reaches the rules for a full buffer.
    fn move_stream(seed: u64, count: usize, half: usize, longer: bool) -> (Vec<u8>, usize) {
        let mut next = crate::payload::testing::xorshift(seed);
        let mut stream = Vec::new();
        let mut long = 0;
        for _ in 0..count {
            let at = stream.len();
            let words = if longer && next().is_multiple_of(16) {
                half / 2 + (next() as usize % (half * 3))
            } else {
                (next() % 12) as usize
            };
            let text = |n: usize| b"word ".repeat(n / 5 + 1);
            match next() % 6 {
                0 => {
                    stream.extend_from_slice(b"214-Commands:\r\n");
                    for _ in 0..(next() % 3) {
                        stream.extend_from_slice(b" USER PASS ACCT CWD\r\n214-not the end\r\n");
                    }
                    stream.extend_from_slice(&text(words));
                    stream.extend_from_slice(b"\r\n214 Help OK.\r\n");
                }
                1 => {
                    stream.extend_from_slice(b"prose ");
                    stream.extend_from_slice(&text(words));
                    stream.extend_from_slice(b"\n");
                }
                2 => stream.extend_from_slice(b"550 a\0nul\r\n"),
                _ => {
                    stream.extend_from_slice(b"150 ");
                    stream.extend_from_slice(&text(words));
                    stream.extend_from_slice(b"\r\n");
                }
            }
            if !longer && stream.len() - at > half {
                stream.truncate(at);
                stream.extend_from_slice(b"200 ok\r\n");
            }
            long += usize::from(stream.len() - at > half);
        }
        (stream, long)
    }

    /// The compaction rule of the module's docs, counted: bytes move only
    /// when a push finds no room for itself (never with room to spare), a
    /// move frees at least as much as it moves except as the last resort
    /// of a full buffer held by one item longer than half of it (at most
    /// twice per such item), so that all the bytes moved stay within the
    /// bytes pushed plus the buffer's size per long item: linear in the
    /// stream, whatever the push size, the buffer or the way bytes arrive
    /// (`push` or `fill`, replies taken after each push or only when a
    /// push is refused).
    #[test]
    fn moves_pay_for_themselves() {
        #[derive(Debug, Clone, Copy, PartialEq)]
        enum Feed {
            /// `push`, then `next` until `None`.
            Push,
            /// `fill`, then `next` until `None`.
            Fill,
            /// `push` until one takes less than it was given, and only
            /// then `next` until `None`.
            PushUntilFull,
            /// `push`, then one `next`; `next` until `None` only when a
            /// push takes nothing.
            OneReplyPerPush,
        }
        fn run<const N: usize>(seed: u64, size: usize, feed: Feed, longer: bool) -> MoveLog {
            let (stream, long) = move_stream(seed, 400, N / 2, longer);
            MOVES.with(|m| m.set(MoveLog::default()));
            let mut dec = Decoder::<N>::new();
            let mut replies = 0usize;
            for mut chunk in stream.chunks(size) {
                while !chunk.is_empty() {
                    let n = if feed == Feed::Fill {
                        dec.fill(|free| {
                            let n = free.len().min(chunk.len());
                            free[..n].copy_from_slice(&chunk[..n]);
                            Ok::<_, ()>(n)
                        })
                        .unwrap()
                    } else {
                        dec.push(chunk)
                    };
                    let drain = match feed {
                        Feed::Push | Feed::Fill => {
                            assert!(n > 0, "N {N}, pushes of {size}");
                            true
                        }
                        Feed::PushUntilFull => n < chunk.len(),
                        Feed::OneReplyPerPush => n == 0,
                    };
                    chunk = &chunk[n..];
                    if feed == Feed::OneReplyPerPush
                        && let Some(r) = dec.next()
                    {
                        replies += usize::from(r.is_ok());
                    }
                    while drain && let Some(r) = dec.next() {
                        replies += usize::from(r.is_ok());
                    }
                }
            }
            let log = MOVES.with(|m| m.get());
            let what = format!(
                "N {N}, pushes of {size}, {feed:?}, seed {seed}, long items {long}: {log:?}"
            );
            assert!(replies > 100, "{what}");
            // Only when a push found no room for itself.
            let room = if feed == Feed::Fill { 0 } else { size };
            assert!(log.most_room <= room, "{what}");
            assert!(log.unpaid <= 2 * long, "{what}");
            assert!(log.freed <= stream.len(), "{what}");
            assert!(log.moved <= log.freed + N * log.unpaid, "{what}");
            if !longer {
                assert_eq!(log.unpaid, 0, "{what}");
                assert!(log.moved <= log.freed, "{what}");
            }
            log
        }
        let (mut paid, mut unpaid) = (0, 0);
        for seed in 1..4 {
            for size in [1, 3, 8, 16, 17, 64, 536, 1460] {
                for feed in [
                    Feed::Push,
                    Feed::Fill,
                    Feed::PushUntilFull,
                    Feed::OneReplyPerPush,
                ] {
                    for longer in [false, true] {
                        for log in [
                            run::<64>(seed, size, feed, longer),
                            run::<256>(seed, size, feed, longer),
                            run::<1024>(seed, size, feed, longer),
                        ] {
                            paid += usize::from(log.count > log.unpaid);
                            unpaid += log.unpaid;
                        }
                    }
                }
            }
        }
        // Both kinds of move were seen (the checks above had work to do).
        assert!(paid > 100 && unpaid > 100, "{paid} {unpaid}");
    }

    /// RFC 959's example of a block whose middle line starts with a code
    /// (section 4.2), its first line read before a `with_limit` and the
    /// rest pushed while `next` still has work from it (no look at the
    /// push): the line `234 ...` in the middle is no reply of its own.
    #[test]
    fn a_block_line_that_starts_with_a_code_after_with_limit() {
        let mut dec = Decoder::<128>::new();
        assert_eq!(dec.push(b"123-First line\r\n"), 16);
        assert!(dec.next().is_none());
        let mut dec = dec.with_limit(128);
        let rest = b"234 A line beginning with numbers\r\n123 The last line\r\n";
        assert_eq!(dec.push(rest), rest.len());
        let r = dec.next().unwrap().unwrap();
        assert_eq!(
            (r.code().get(), r.line_count(), r.as_bytes()),
            (123, 3, &[&b"123-First line\r\n"[..], rest].concat()[..])
        );
        assert!(dec.next().is_none());
    }

    /// Small pushes past 65,535 that each start a line, with nothing held
    /// before them (the block's lines before were all read): such a push
    /// keeps no stops, and the clean run is its own bytes up to its first
    /// LF. A status block read in one large push, then its last middle
    /// line, its closing line and a reply in pushes of 16 bytes: the
    /// walk's replies.
    #[test]
    fn small_pushes_past_64_kib_that_start_a_line() {
        const BIG: usize = 1 << 17;
        let mut stream = status_block_past_64_kib();
        let head = stream.len();
        stream.extend_from_slice(b" one more line\r\n211 End\r\n200 Command okay.\r\n");
        let want = walked(&ParserConfig::new(), &stream, BIG);
        assert_eq!(want.len(), 2);
        let mut dec = Decoder::<BIG>::new();
        let mut got = feed(&mut dec, &stream[..head], head, full);
        assert!(got.is_empty());
        assert!(dec.end > usize::from(u16::MAX) && dec.pos == dec.end);
        got.extend(feed(&mut dec, &stream[head..], 16, full));
        assert_eq!(dec.finish(), None);
        assert_eq!(got, want);
    }

    /// A line's first byte scanned alone (a limit of 1 made the buffer
    /// full), then, with the limit raised again, the rest of the line:
    /// `1220 Service ready` is one line with a missing separator, as the
    /// walk finds it, not a `220` reply after a stray byte.
    #[test]
    fn a_head_scanned_in_part_reads_on_as_one_line() {
        let stream: &[u8] = b"1220 Service ready\r\n331 Password required\r\n";
        let want = walked(&ParserConfig::new(), stream, 64);
        assert_eq!(want[0], Err((ErrorKind::MissingSeparator, 3, Some(122))));
        let mut dec = Decoder::<64>::new();
        assert_eq!(dec.push(&stream[..1]), 1);
        let mut dec = dec.with_limit(1);
        assert!(dec.next().is_none());
        let mut dec = dec.with_limit(64);
        let got = feed(&mut dec, &stream[1..], 64, full);
        assert_eq!(dec.finish(), None);
        assert_eq!(got, want);
    }

    /// A block's first line, then the rest of it in one push of more than
    /// 16 bytes: the later lines are read one after the other from what
    /// the look after each finds clean (`poll_block`), the closing line
    /// too, which is not the end of what is held until its LF.
    #[test]
    fn a_blocks_later_lines_read_one_by_one() {
        let mut dec = Decoder::<128>::new();
        assert_eq!(dec.push(b"211-a\r\n"), 7);
        assert!(dec.next().is_none());
        let rest = b" b\r\n xy\n211 End of lists\r\n";
        assert_eq!(dec.push(rest), rest.len());
        let r = dec.next().unwrap().unwrap();
        assert_eq!(
            (r.code().get(), r.line_count(), r.as_bytes()),
            (211, 4, &[&b"211-a\r\n"[..], rest].concat()[..])
        );
        assert!(dec.next().is_none());
        assert_eq!(dec.finish(), None);
    }
}
