//! What both bench files share: the inputs and the two baselines.

#![allow(dead_code)] // each bench file uses a part

use std::hint::black_box;
use std::io::BufRead;

use ftp_reply::{Decoder, ReplyCode, parse_complete, resume_after};

/// The memchr floor: count the line ends. No parser that looks at every
/// byte can beat it.
#[inline]
pub fn floor(bytes: &[u8]) -> usize {
    memchr::memchr_iter(b'\n', bytes).count()
}

/// The common way: `BufRead::read_line` into a `String`, then gather a
/// multi-line block by checking each line's first four bytes (`ddd-` opens
/// a block, `ddd ` with the same code closes it), as ftplib's
/// `getmultiline` and the Rust FTP clients do. The buffers are reused
/// across replies (kinder to the baseline than a `String` per line).
/// Returns the code, or `None` at the end of the input.
pub fn read_reply(reader: &mut impl BufRead, line: &mut String, block: &mut String) -> Option<u16> {
    line.clear();
    block.clear();
    if reader.read_line(line).ok()? == 0 {
        return None;
    }
    let code: u16 = line.get(..3)?.parse().ok()?;
    block.push_str(line);
    if line.as_bytes().get(3) == Some(&b'-') {
        let head = [
            line.as_bytes()[0],
            line.as_bytes()[1],
            line.as_bytes()[2],
            b' ',
        ];
        loop {
            line.clear();
            if reader.read_line(line).ok()? == 0 {
                return None;
            }
            block.push_str(line);
            if line.as_bytes().starts_with(&head) {
                break;
            }
        }
    }
    Some(code)
}

/// Every reply of `bytes` the common way; returns how many.
pub fn read_all(mut bytes: &[u8]) -> usize {
    let mut line = String::new();
    let mut block = String::new();
    let mut n = 0;
    while let Some(code) = read_reply(&mut bytes, &mut line, &mut block) {
        std::hint::black_box((code, block.len()));
        n += 1;
    }
    n
}

/// The walk over a stream: every reply, and every error skipped as
/// `resume_after` says. Returns the number of items.
pub fn walk(mut bytes: &[u8]) -> usize {
    let mut n = 0;
    while !bytes.is_empty() {
        match parse_complete(bytes) {
            Ok((rest, reply)) => {
                black_box(reply);
                bytes = rest;
            }
            Err(e) => bytes = &bytes[resume_after(bytes, &e)..],
        }
        n += 1;
    }
    n
}

/// The loop every decoder row runs: `bytes` pushed into `dec` in pieces of
/// `size`, what `push` did not take pushed again, and after each push
/// every item `next` gives (`$r`) handed to `black_box` as `$take` and
/// counted. A macro, not a
/// function over a trait, so that each decoder's `next` (which lends from
/// the decoder) keeps its own type and the loop compiles as written out.
macro_rules! push_loop {
    ($dec:expr, $bytes:expr, $size:expr, $r:ident => $take:expr) => {{
        let mut dec = $dec;
        let mut n = 0usize;
        for mut chunk in $bytes.chunks($size) {
            while !chunk.is_empty() {
                let took = dec.push(chunk);
                chunk = &chunk[took..];
                while let Some($r) = dec.next() {
                    black_box($take);
                    n += 1;
                }
            }
        }
        n
    }};
}

/// `Decoder<1024>` fed `size`-byte pushes, replies taken after each push.
pub fn decode_pushes(bytes: &[u8], size: usize) -> usize {
    push_loop!(Decoder::<1024>::new(), bytes, size, r => r.unwrap())
}

/// `Decoder<1024>` fed one byte at a time, in the same loop as
/// [`per_byte_floor`] (one pass over the bytes, one call per byte), replies
/// taken after each byte: what a firmware reading a UART does. Returns the
/// number of replies.
pub fn decode_bytes(bytes: &[u8]) -> usize {
    let mut dec = Decoder::<1024>::new();
    let mut n = 0;
    for b in bytes {
        // After `next` has said `None`, `push` takes the byte. (`assert!`,
        // not `assert_eq!`: the latter keeps the count in memory for its
        // message, a store per byte that the floor's loop does not have,
        // and which cost 15% to 20% of this row's time.)
        assert!(dec.push(std::slice::from_ref(b)) == 1);
        while let Some(r) = dec.next() {
            black_box(r.unwrap());
            n += 1;
        }
    }
    n
}

/// The per-byte floor of a decoder fed one byte at a time: each byte is
/// copied into a fixed 1 KiB array (the index wraps) and compared with LF;
/// returns the number of LF.
pub fn per_byte_floor(bytes: &[u8]) -> usize {
    let mut buf = [0u8; 1024];
    let mut at = 0;
    let mut lfs = 0;
    for &b in bytes {
        // black_box per byte: no vectorised count over the whole input.
        let b = black_box(b);
        buf[at] = b;
        lfs += usize::from(b == b'\n');
        at = (at + 1) % buf.len();
    }
    black_box(&buf);
    lfs
}

const LO7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
/// LF in every byte of a word.
const LF: u64 = 0x0a0a_0a0a_0a0a_0a0a;

/// 0x80 in each byte of `x` that is zero, exactly (no false flag above a
/// true one, unlike the cheaper `(x - 0x01..) & !x & 0x80..` test).
#[inline(always)]
fn zero_bytes(x: u64) -> u64 {
    !(((x & LO7) + LO7) | x | LO7)
}

/// The floor of a decoder fed `size`-byte pushes, without any framing: each
/// push is copied into a fixed 1 KiB array (starting over at its front when
/// the push would not fit) and its LF are counted: a push of 8 to 16 bytes
/// as two overlapping words (what `Decoder::push` does), copied and tested
/// in the same registers with the exact "which bytes are zero" test on the
/// word XORed with LF, the flags summed by one multiply; a longer push
/// eight bytes at a time, its tail byte by byte. The fastest copy-and-look
/// this crate's authors could write: 57 instructions per 16-byte push
/// (callgrind, the harness's slicing included). Before session 27 it read
/// every push eight bytes at a time through `chunks_exact` and counted
/// with `count_ones`, which x86_64's baseline (no POPCNT) turns into a
/// dozen instructions a word: 127 per push, which made this floor look
/// 2.2 times what it is. Simpler loops (`copy_from_slice` and
/// `iter().filter().count()`, or memchr) cost more still, and a loop with
/// one step per LF fewer instructions but more time (mispredicted
/// branches: whether a small push holds a LF is a coin toss). Returns the
/// number of LF.
pub fn per_push_floor(bytes: &[u8], size: usize) -> usize {
    let mut buf = [0u8; 1024];
    let mut at = 0;
    let mut lfs = 0;
    for chunk in bytes.chunks(size) {
        // black_box per push: one push at a time, as a reader gives them.
        let chunk = black_box(chunk);
        if at + chunk.len() > buf.len() {
            at = 0;
        }
        let Some(dst) = buf.get_mut(at..at + chunk.len()) else {
            continue;
        };
        // 8 to 16 bytes: two words that overlap, copied and looked at in
        // the same registers (the overlap counted once).
        let n = chunk.len();
        if let (Some(lo), Some(hi)) = (chunk.first_chunk::<8>(), chunk.last_chunk::<8>())
            && n <= 16
        {
            *dst.first_chunk_mut::<8>().unwrap() = *lo;
            *dst.last_chunk_mut::<8>().unwrap() = *hi;
            let zl = zero_bytes(u64::from_le_bytes(*lo) ^ LF) >> 7;
            let zh = (zero_bytes(u64::from_le_bytes(*hi) ^ LF) >> 7)
                .checked_shr(8 * (16 - n) as u32)
                .unwrap_or(0);
            lfs += ((zl + zh).wrapping_mul(0x0101_0101_0101_0101) >> 56) as usize;
            at += n;
            continue;
        }
        let mut words = chunk.chunks_exact(8);
        let mut out = dst.chunks_exact_mut(8);
        for (w, d) in (&mut words).zip(&mut out) {
            let w: [u8; 8] = w.try_into().unwrap();
            d.copy_from_slice(&w);
            let zero = zero_bytes(u64::from_le_bytes(w) ^ LF);
            // Counted without a branch: a loop with one step per LF costs
            // fewer instructions but loses more time to mispredicted
            // branches (whether a small push holds a LF is a coin toss).
            lfs += ((zero >> 7).wrapping_mul(0x0101_0101_0101_0101) >> 56) as usize;
        }
        for (d, &b) in out.into_remainder().iter_mut().zip(words.remainder()) {
            *d = b;
            lfs += usize::from(b == b'\n');
        }
        at += chunk.len();
    }
    black_box(&buf);
    lfs
}

/// A hand-written streaming framer, the least a decoder fed `size`-byte
/// pushes must do, to say how far the crate's `Decoder` is from what any
/// decoder could reach: each push is copied into a fixed 1 KiB buffer (4
/// KiB for pushes over 512 bytes; the
/// reply being read moved to its front when the push would not fit), its
/// LF and NUL found eight bytes at a time (a push of 8 to 16 bytes as two
/// overlapping words, as `per_push_floor` reads it), and at each LF the line is
/// framed as RFC 959 4.2 says (three digits; `-` opens a block, which the
/// same code and a space close) and a finished reply handed out as a slice
/// of the buffer. No error detail, no limit, no truncation, no resumable
/// state beyond the line and block start: a floor, not a decoder. Returns
/// the number of replies.
pub fn streaming_framer(bytes: &[u8], size: usize) -> usize {
    // 1 KiB as `Decoder<1024>`; a push larger than that needs more (the
    // decoder takes a part of it instead).
    let cap = if size <= 512 { 1024 } else { 4096 };
    let mut f = Framer {
        buf: [0; 4096],
        start: 0,
        line: 0,
        block: 0,
        n: 0,
    };
    let mut end = 0;
    for chunk in bytes.chunks(size) {
        let chunk = black_box(chunk);
        if end + chunk.len() > cap {
            f.buf.copy_within(f.start..end, 0);
            f.line -= f.start;
            end -= f.start;
            f.start = 0;
        }
        // 8 to 16 bytes: two words that overlap, copied and looked at in
        // the same registers, as `per_push_floor` does (the overlap looked
        // at once).
        let n = chunk.len();
        if let (Some(lo), Some(hi)) = (chunk.first_chunk::<8>(), chunk.last_chunk::<8>())
            && n <= 16
        {
            let dst = &mut f.buf[end..end + n];
            *dst.first_chunk_mut::<8>().unwrap() = *lo;
            *dst.last_chunk_mut::<8>().unwrap() = *hi;
            let (wl, wh) = (u64::from_le_bytes(*lo), u64::from_le_bytes(*hi));
            let skip = 8 * (16 - n) as u32;
            black_box((zero_bytes(wl) | zero_bytes(wh).checked_shr(skip).unwrap_or(0)) != 0);
            let mut m = zero_bytes(wl ^ LF);
            while m != 0 {
                f.at_lf(end + (m.trailing_zeros() / 8) as usize);
                m &= m - 1;
            }
            // The high word's bytes past the low word's: the last n - 8.
            let mut m = zero_bytes(wh ^ LF).checked_shr(skip).unwrap_or(0);
            while m != 0 {
                f.at_lf(end + 8 + (m.trailing_zeros() / 8) as usize);
                m &= m - 1;
            }
            end += n;
            continue;
        }
        f.buf[end..end + chunk.len()].copy_from_slice(chunk);
        let mut words = chunk.chunks_exact(8);
        let mut base = end;
        for w in &mut words {
            let x = u64::from_le_bytes(w.try_into().unwrap());
            let lf = zero_bytes(x ^ LF);
            let nul = zero_bytes(x);
            black_box(nul != 0);
            let mut m = lf;
            while m != 0 {
                f.at_lf(base + (m.trailing_zeros() / 8) as usize);
                m &= m - 1;
            }
            base += 8;
        }
        for (i, &b) in words.remainder().iter().enumerate() {
            if b == b'\n' {
                f.at_lf(base + i);
            }
        }
        end += chunk.len();
    }
    f.n
}

/// RFC 959 4.2 on one line (its LF included): whether it ends a reply.
/// `block` is the open block's code and a space (0: none), which a `ddd-`
/// line opens and the same code and a space close.
#[inline(always)]
fn ends_reply(l: &[u8], block: &mut u32) -> bool {
    let head = match l {
        [a, b, c, d, ..] => u32::from_le_bytes([*a, *b, *c, *d]),
        _ => 0,
    };
    let done = if *block != 0 {
        head == *block
    } else if l.len() >= 4 && l[..3].iter().all(u8::is_ascii_digit) {
        if l[3] == b'-' {
            *block = (head & 0x00ff_ffff) | u32::from(b' ') << 24;
            false
        } else {
            true
        }
    } else {
        true
    };
    if done {
        *block = 0;
    }
    done
}

/// [`streaming_framer`]'s state: the buffer, where the reply being read
/// and its current line start, the open block's code and space (0: none),
/// and the replies handed out.
struct Framer {
    buf: [u8; 4096],
    start: usize,
    line: usize,
    block: u32,
    n: usize,
}

impl Framer {
    /// The line that the LF at `p` ends.
    #[inline(always)]
    fn at_lf(&mut self, p: usize) {
        let l = &self.buf[self.line..=p];
        self.line = p + 1;
        if ends_reply(l, &mut self.block) {
            black_box(&self.buf[self.start..=p]);
            self.start = p + 1;
            self.n += 1;
        }
    }
}

/// [`streaming_framer`] behind the decoder's API: `push` copies (the reply
/// being read moved to the front when the push would not fit), `next`
/// looks from where it stopped for the next LF (or NUL) eight bytes at a
/// time, frames each line, and returns a finished reply as a slice, or
/// `None`. What a decoder with no error detail, no limit and no
/// truncation costs when each reply goes back to the caller.
pub struct MiniDecoder {
    buf: [u8; 4096],
    cap: usize,
    start: usize,
    line: usize,
    scan: usize,
    end: usize,
    block: u32,
}

impl MiniDecoder {
    pub fn new(cap: usize) -> Self {
        MiniDecoder {
            buf: [0; 4096],
            cap: cap.min(4096),
            start: 0,
            line: 0,
            scan: 0,
            end: 0,
            block: 0,
        }
    }

    #[inline(always)]
    pub fn push(&mut self, bytes: &[u8]) -> usize {
        if self.end + bytes.len() > self.cap && self.start > 0 {
            self.buf.copy_within(self.start..self.end, 0);
            self.line -= self.start;
            self.scan -= self.start;
            self.end -= self.start;
            self.start = 0;
        }
        let n = bytes.len().min(self.cap - self.end);
        self.buf[self.end..self.end + n].copy_from_slice(&bytes[..n]);
        self.end += n;
        n
    }

    #[inline(always)]
    pub fn next(&mut self) -> Option<&[u8]> {
        loop {
            let p = self.find_stop()?;
            if self.buf[p] == 0 {
                // An error in a real decoder; none in these inputs.
                continue;
            }
            let l = &self.buf[self.line..=p];
            self.line = p + 1;
            if ends_reply(l, &mut self.block) {
                let start = self.start;
                self.start = p + 1;
                return Some(&self.buf[start..=p]);
            }
        }
    }

    /// The next LF or NUL at or after `scan`, eight bytes at a time, then
    /// byte by byte; `scan` goes past it.
    #[inline(always)]
    fn find_stop(&mut self) -> Option<usize> {
        while self.scan + 8 <= self.end {
            let w: [u8; 8] = self.buf[self.scan..self.scan + 8].try_into().unwrap();
            let x = u64::from_le_bytes(w);
            let stop = zero_bytes(x ^ LF) | zero_bytes(x);
            if stop != 0 {
                let p = self.scan + (stop.trailing_zeros() / 8) as usize;
                self.scan = p + 1;
                return Some(p);
            }
            self.scan += 8;
        }
        while self.scan < self.end {
            if matches!(self.buf[self.scan], b'\n' | 0) {
                let p = self.scan;
                self.scan = p + 1;
                return Some(p);
            }
            self.scan += 1;
        }
        None
    }
}

/// [`MiniDecoder`] (1 KiB, as `Decoder<1024>`) fed `size`-byte pushes, in
/// [`decode_pushes`]'s loop. Returns the number of replies.
pub fn mini_decode_pushes(bytes: &[u8], size: usize) -> usize {
    push_loop!(MiniDecoder::new(1024), bytes, size, r => r)
}

/// [`MiniDecoder`] with `Decoder::push`'s small-push look, and typed:
/// a push of 8 to 16 bytes, made when every byte before it is scanned, is
/// copied as two words and its LF and NUL recorded as a bit mask, which
/// `next` then walks (one bit per stop, no byte read again); anything
/// else takes `MiniDecoder`'s way. At each LF the line is framed as the
/// crate frames it in strict mode: a first line needs a code
/// (`ReplyCode::from_digits`) and a space, a line end or `-` (which opens
/// a block), a block's line is counted (a limit of 1,000) and closes it
/// when it starts with the code and a space or is the code alone; a
/// reply comes back with its code, line count and bytes, and a line that
/// is not a reply or a NUL as an error with its stream offset. No error
/// detail beyond that, no truncation, and anything but 8-to-16-byte pushes
/// is `MiniDecoder`'s untyped framing.
pub struct LeanDecoder {
    mini: MiniDecoder,
    /// Stops among the bytes from `base` on (bit i: `buf[base + i]`).
    stops: u32,
    base: usize,
    /// The open block's code and digits, and its lines so far.
    open: Option<(ReplyCode, [u8; 3])>,
    lines: u32,
    /// Stream offset of `buf[0]`.
    offset: usize,
}

/// What [`LeanDecoder::next`] hands out: a reply's code, line count and
/// bytes, or an error's stream offset.
pub type Lean<'a> = Result<(ReplyCode, u32, &'a [u8]), usize>;

impl LeanDecoder {
    pub fn new(cap: usize) -> Self {
        LeanDecoder {
            mini: MiniDecoder::new(cap),
            stops: 0,
            base: 0,
            open: None,
            lines: 0,
            offset: 0,
        }
    }

    #[inline(always)]
    pub fn push(&mut self, bytes: &[u8]) -> usize {
        let m = &mut self.mini;
        let n = bytes.len();
        let at = m.end;
        if let (Some(lo), Some(hi)) = (bytes.first_chunk::<8>(), bytes.last_chunk::<8>())
            && n <= 16
            && m.scan == at
            && self.stops == 0
            && at + 16 <= m.cap
        {
            let dst = &mut m.buf[at..at + 16];
            *dst.first_chunk_mut::<8>().unwrap() = *lo;
            dst[n - 8..n].copy_from_slice(hi);
            let (wl, wh) = (u64::from_le_bytes(*lo), u64::from_le_bytes(*hi));
            // LF and NUL (and 0x02 and 0x08, which `frame` skips) in one
            // test, the cheap one: a false flag only above a true one.
            let stop = |x: u64| {
                let y = x & !(LF & LO7);
                y.wrapping_sub(0x0101_0101_0101_0101) & !y & !LO7
            };
            let zl = stop(wl);
            let zh = stop(wh).checked_shr(8 * (16 - n) as u32).unwrap_or(0);
            // One bit per byte: bit 7 of each byte gathered by a multiply.
            let gather = |z: u64| ((z >> 7).wrapping_mul(0x0102_0408_1020_4080) >> 56) as u32;
            let stops = gather(zl) | gather(zh) << 8;
            m.end = at + n;
            if stops == 0 {
                m.scan = at + n;
            } else {
                self.stops = stops;
                self.base = at;
            }
            return n;
        }
        if self.stops != 0 {
            return 0;
        }
        let before = m.start;
        let took = m.push(bytes);
        self.offset += before - m.start;
        took
    }

    #[inline(always)]
    pub fn next(&mut self) -> Option<Lean<'_>> {
        loop {
            let p = if self.stops != 0 {
                let p = self.base + self.stops.trailing_zeros() as usize;
                self.stops &= self.stops - 1;
                if self.stops == 0 {
                    self.mini.scan = self.mini.end;
                }
                p
            } else if self.mini.scan == self.mini.end {
                return None;
            } else {
                self.find()?
            };
            if let Some(found) = self.frame(p) {
                let m = &self.mini;
                return Some(found.map(|(code, lines, start)| (code, lines, &m.buf[start..=p])));
            }
        }
    }

    /// The next LF or NUL from `scan` on (`MiniDecoder`'s word loop), out
    /// of the lean decoder's hot loop.
    #[inline(never)]
    fn find(&mut self) -> Option<usize> {
        self.mini.find_stop()
    }

    /// The line that the stop at `p` ends: a reply's code, line count and
    /// start when it ends one, an error's offset, or `None`.
    #[inline(always)]
    fn frame(&mut self, p: usize) -> Option<Result<(ReplyCode, u32, usize), usize>> {
        let m = &mut self.mini;
        let line = m.line;
        m.line = p + 1;
        let l = &m.buf[line..p];
        let b = m.buf[p];
        if b != b'\n' && b != 0 {
            // 0x02, 0x08, or a false flag: no stop.
            m.line = line;
            return None;
        }
        if b == 0 {
            // A NUL: the item (a line, or the block so far) is an error,
            // dropped through its line.
            let at = self.offset + m.start;
            m.start = p + 1;
            self.open = None;
            return Some(Err(at));
        }
        if let Some((code, d)) = self.open {
            // A block's later line: the code and a space, or the code
            // alone, close it.
            self.lines += 1;
            let closes = match l {
                [a, b, c, b' ', ..] => [*a, *b, *c] == d,
                [a, b, c] | [a, b, c, b'\r'] => [*a, *b, *c] == d,
                _ => false,
            };
            if closes || self.lines >= 1000 {
                self.open = None;
                let start = m.start;
                m.start = p + 1;
                return Some(Ok((code, self.lines, start)));
            }
            return None;
        }
        let item = match l {
            [a, b, c, sep @ ..] => ReplyCode::from_digits([*a, *b, *c]).map(|code| (code, sep)),
            _ => None,
        };
        let start = m.start;
        match item {
            Some((code, [b'-', ..])) => {
                self.open = Some((code, code.to_digits()));
                self.lines = 1;
                None
            }
            Some((code, [] | [b' ', ..] | [b'\r'])) => {
                m.start = p + 1;
                Some(Ok((code, 1, start)))
            }
            _ => {
                m.start = p + 1;
                Some(Err(self.offset + start))
            }
        }
    }
}

/// [`LeanDecoder`] (1 KiB) fed `size`-byte pushes, in [`decode_pushes`]'s
/// loop. Returns the number of replies.
pub fn lean_decode_pushes(bytes: &[u8], size: usize) -> usize {
    push_loop!(LeanDecoder::new(1024), bytes, size, r => r.unwrap())
}

/// Every reply the walk finds as (code, line count, bytes), and
/// [`LeanDecoder`]'s items fed `size`-byte pushes: the same on the
/// benches' stream (checked at the limits bench's start-up).
pub fn lean_matches_walk(bytes: &[u8], size: usize) -> bool {
    let mut walked = Vec::new();
    let mut rest = bytes;
    while !rest.is_empty() {
        let Ok((tail, reply)) = parse_complete(rest) else {
            return false;
        };
        walked.push((reply.code(), reply.line_count(), reply.as_bytes().to_vec()));
        rest = tail;
    }
    let mut lean = Vec::new();
    let mut dec = LeanDecoder::new(1024);
    for mut chunk in bytes.chunks(size) {
        while !chunk.is_empty() {
            let took = dec.push(chunk);
            chunk = &chunk[took..];
            while let Some(r) = dec.next() {
                let Ok((code, lines, raw)) = r else {
                    return false;
                };
                lean.push((code, lines as usize, raw.to_vec()));
            }
        }
    }
    walked == lean
}
