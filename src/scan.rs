//! Byte search. On 64-bit targets, memchr's SIMD routines (on x86_64 its
//! SSE2 ones, called by name) and word-at-a-time loops; elsewhere
//! (Cortex-M and other microcontrollers, where memchr has no SIMD to offer
//! and flash is what counts), plain loops that compile to a few
//! instructions each. Same answers either way.

/// Whether the 64-bit shortcuts are built: the decoder's whole-line and
/// whole-block reads, the grammar's single-line read, the LF look of a
/// push. They buy speed where memchr and wide registers are; on a
/// microcontroller they cost flash (384 B for the decoder's alone on
/// thumbv7em) and no speed, so the general rules run alone there.
pub(crate) const SHORTCUTS: bool = cfg!(target_pointer_width = "64");

#[cfg(target_pointer_width = "64")]
mod imp {
    /// Below this length a plain loop beats memchr's set-up (a short line,
    /// a few bytes pushed into the decoder).
    const SHORT: usize = 16;

    /// The first `a` in `hay`: on x86_64, from 16 bytes on, memchr's SSE2
    /// routine (see [`find2`]).
    #[inline]
    pub(crate) fn find(a: u8, hay: &[u8]) -> Option<usize> {
        #[cfg(target_arch = "x86_64")]
        if hay.len() >= SHORT
            && let Some(one) = memchr::arch::x86_64::sse2::memchr::One::new(a)
        {
            return one.find(hay);
        }
        find2(a, a, hay)
    }

    /// The first `a` or `b` in `hay`. Short haystacks are scanned with a
    /// plain loop. On x86_64, longer ones go to memchr's SSE2 routine,
    /// called by name: SSE2 is in every x86_64 CPU, so it needs no
    /// run-time dispatch (memchr's `memchr2` picks AVX2 or SSE2 through a
    /// function pointer), inlines here, and reads 16 bytes a step (the
    /// stream walk 260 to 221 instructions per reply, a 227 line 588 to
    /// 517; time 0.86x-1.02x and 0.82x-0.95x of before in alternating
    /// runs, `benches/RESULTS.md`).
    /// Elsewhere the first bytes of a long haystack (most FTP lines are
    /// short: a line end is usually found there) are read eight at a time
    /// in a register, which beats memchr's set-up, and the rest with
    /// memchr.
    #[inline]
    pub(crate) fn find2(a: u8, b: u8, hay: &[u8]) -> Option<usize> {
        if hay.len() < SHORT {
            return hay.iter().position(|&x| x == a || x == b);
        }
        #[cfg(target_arch = "x86_64")]
        if let Some(two) = memchr::arch::x86_64::sse2::memchr::Two::new(a, b) {
            return two.find(hay);
        }
        let (head, tail) = hay.split_at(hay.len().min(WORDS));
        if let Some(i) = super::find2_words(a, b, head) {
            return Some(i);
        }
        let found = if a == b {
            memchr::memchr(a, tail)
        } else {
            memchr::memchr2(a, b, tail)
        };
        found.map(|i| i + head.len())
    }

    /// `find2` for the decoder's spans, often a few bytes: no memchr call
    /// at all when the words cover them.
    #[inline]
    pub(crate) fn find2_span(a: u8, b: u8, hay: &[u8]) -> Option<usize> {
        if hay.len() <= WORDS {
            return super::find2_words(a, b, hay);
        }
        find2(a, b, hay)
    }

    /// The first byte of `hay` that stops a clean run (LF or NUL, or 0x02
    /// or 0x08 in its first [`WORDS`] bytes: see
    /// [`stop_flags`](super::stop_flags)): the decoder's look at what
    /// follows a line it hands out, one mask a word. (1460-byte pushes:
    /// 434 to 418 instructions per reply against `find2_span`.)
    #[inline]
    pub(crate) fn find_stop_span(hay: &[u8]) -> Option<usize> {
        // A head of known length: its words are read unrolled.
        let Some((head, tail)) = hay.split_first_chunk::<WORDS>() else {
            return super::find_stop_words(hay);
        };
        if let Some(i) = super::find_stop_words(head) {
            return Some(i);
        }
        memchr::memchr2(b'\n', 0, tail).map(|i| i + WORDS)
    }

    /// Up to this many bytes are scanned eight at a time in a register,
    /// which beats memchr's vector set-up (a decoder fed small pushes, most
    /// reply lines whole: 64 rather than 32 took the stream walk from 276
    /// to 269 instructions per reply, a 227 line from 859 to 723).
    const WORDS: usize = 64;

    /// The first `a` in `hay`, where `hay` is long and seldom holds one (a
    /// whole block checked for NUL): memchr's dispatched routine, with
    /// AVX2 where the CPU has it and run-time detection is built (memchr's
    /// `std` feature), 32 bytes a step.
    #[inline]
    pub(crate) fn find_rare(a: u8, hay: &[u8]) -> Option<usize> {
        memchr::memchr(a, hay)
    }

    #[inline]
    pub(crate) fn find3(a: u8, b: u8, c: u8, hay: &[u8]) -> Option<usize> {
        memchr::memchr3(a, b, c, hay)
    }

    /// Every `a` in `hay`: one memchr iterator over the whole block.
    #[inline]
    pub(crate) fn find_iter(a: u8, hay: &[u8]) -> impl Iterator<Item = usize> + '_ {
        memchr::memchr_iter(a, hay)
    }
}

#[cfg(not(target_pointer_width = "64"))]
mod imp {
    #[inline]
    pub(crate) fn find(a: u8, hay: &[u8]) -> Option<usize> {
        hay.iter().position(|&x| x == a)
    }

    #[inline]
    pub(crate) fn find2(a: u8, b: u8, hay: &[u8]) -> Option<usize> {
        hay.iter().position(|&x| x == a || x == b)
    }

    #[inline]
    pub(crate) fn find3(a: u8, b: u8, c: u8, hay: &[u8]) -> Option<usize> {
        hay.iter().position(|&x| x == a || x == b || x == c)
    }

    #[inline]
    pub(crate) fn find2_span(a: u8, b: u8, hay: &[u8]) -> Option<usize> {
        find2(a, b, hay)
    }

    #[inline]
    pub(crate) fn find_rare(a: u8, hay: &[u8]) -> Option<usize> {
        find(a, hay)
    }

    /// The first LF or NUL (here no other byte stops a run).
    #[inline]
    pub(crate) fn find_stop_span(hay: &[u8]) -> Option<usize> {
        find2(b'\n', 0, hay)
    }

    #[inline]
    pub(crate) fn find_iter(a: u8, hay: &[u8]) -> impl Iterator<Item = usize> + '_ {
        hay.iter()
            .enumerate()
            .filter_map(move |(i, &x)| (x == a).then_some(i))
    }
}

pub(crate) use imp::{find, find_iter, find_rare, find_stop_span, find2, find2_span, find3};

/// The flags of the bytes of `x` equal to `a` or `b`: the classic "has a
/// zero byte" test on the word XORed with each. The lowest flag is always a
/// true match (a false flag can only sit above a true one).
#[cfg(target_pointer_width = "64")]
#[inline]
const fn flags2(x: u64, a: u8, b: u8) -> u64 {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let (xa, xb) = (x ^ (LO * a as u64), x ^ (LO * b as u64));
    (xa.wrapping_sub(LO) & !xa & HI) | (xb.wrapping_sub(LO) & !xb & HI)
}

/// `find2` eight bytes at a time, in plain safe integer arithmetic; the
/// answer is exact. ([`find_stop_words`] and
/// `payload::passive::first_digit` have the same loop with their own
/// tests. Written once with the tests as closures, the decoder's small
/// pushes took 7% more instructions; tried again at 23b4bf9, one generic
/// loop for the three: 16-byte pushes 578 to 603 instructions per reply,
/// 1-byte pushes 1,394 to 1,769, by inlining.)
#[cfg(target_pointer_width = "64")]
#[inline]
fn find2_words(a: u8, b: u8, hay: &[u8]) -> Option<usize> {
    let mut words = hay.chunks_exact(8);
    let mut at = 0;
    for word in words.by_ref() {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(word);
        let hit = flags2(u64::from_le_bytes(bytes), a, b);
        if hit != 0 {
            return Some(at + (hit.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    words
        .remainder()
        .iter()
        .position(|&x| x == a || x == b)
        .map(|i| at + i)
}

/// [`find2_words`] for the bytes that stop a clean run
/// ([`stop_flags`]): one mask a word instead of two compares. (The same
/// loop: see there why it is written twice.)
#[cfg(target_pointer_width = "64")]
#[inline]
fn find_stop_words(hay: &[u8]) -> Option<usize> {
    let mut words = hay.chunks_exact(8);
    let mut at = 0;
    for word in words.by_ref() {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(word);
        let hit = stop_flags(u64::from_le_bytes(bytes));
        if hit != 0 {
            return Some(at + (hit.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    words
        .remainder()
        .iter()
        .position(|&x| x & !0x0A == 0)
        .map(|i| at + i)
}

/// Where the first byte that stops a clean run ([`stop_flags`]) is among
/// bytes `0..len` held in two words: `lo` is bytes 0 to 8, `hi` bytes
/// `hi_at` to `hi_at + 8` (`hi_at` at most 8, so `hi` may overlap `lo`);
/// `len` when there is none. Two word tests and a select, no loop and no
/// branch on the data: whether a small push holds a LF is a coin toss a
/// branch predictor loses. A hit at or past `len` (bytes the caller does
/// not hold) does not count.
#[inline]
pub(crate) fn stop_in_two_words([lo, hi]: [[u8; 8]; 2], hi_at: usize, len: usize) -> usize {
    let in_lo = stop_flags(u64::from_le_bytes(lo));
    let in_hi = stop_flags(u64::from_le_bytes(hi));
    first_flag(in_lo, in_hi, hi_at).min(len)
}

/// The first byte of the 64 bytes `window` that stops a clean run
/// ([`stop_flags`]), or 64: all eight words tested, then the first word
/// with a flag picked with no branch.
#[inline]
pub(crate) fn first_stop_64(window: &[u8; 64]) -> usize {
    let (words, _) = window.as_chunks::<8>();
    let mut any = 0u32;
    let mut flags = [0u64; 8];
    for (i, (word, slot)) in words.iter().zip(flags.iter_mut()).enumerate() {
        let f = stop_flags(u64::from_le_bytes(*word));
        *slot = f;
        any |= u32::from(f != 0) << i;
    }
    let at = any.trailing_zeros() as usize;
    let f = flags.get(at).copied().unwrap_or(0);
    (at * 8 + (f.trailing_zeros() / 8) as usize).min(64)
}

/// The byte of the lowest flag of two words' flags, the second word's
/// bytes starting at `hi_at` (a word with no flag counts 64 zeros: 8 bytes,
/// past its end). A select, not a branch.
#[inline(always)]
fn first_flag(in_lo: u64, in_hi: u64, hi_at: usize) -> usize {
    let at_lo = (in_lo.trailing_zeros() / 8) as usize;
    let at_hi = hi_at + (in_hi.trailing_zeros() / 8) as usize;
    if in_lo == 0 { at_hi } else { at_lo }
}

/// The flags of the bytes of `x` that stop a clean run: LF and NUL, and
/// also 0x02 and 0x08, which one mask catches with them (bits 1 and 3
/// cleared, each of the four is zero) and which only cost a scan that
/// finds nothing, as they do when pushed alone (no FTP text holds them). As
/// in [`flags2`], the lowest flag is always a true one.
#[inline]
const fn stop_flags(x: u64) -> u64 {
    const LO: u64 = 0x0101_0101_0101_0101;
    const HI: u64 = 0x8080_8080_8080_8080;
    let y = x & !(LO * 0x0A);
    y.wrapping_sub(LO) & !y & HI
}

/// For a small push of `n` bytes (8 to 16) held in two words, `lo` its
/// bytes 0 to 7 and `hi` its last 8 (overlapping `lo` when `n` is below
/// 16): the flags of its bytes that stop a clean run
/// ([`stop_flags`]), as bits, bit `i` for its byte `i` (`None`: none). Every LF
/// and NUL has its bit; a bit may also stand for 0x02, 0x08 or a false
/// flag above a true one (`0x0B` after a LF), which the reader checks.
/// Each word's flags (bit 7 of a byte) are gathered into a byte by one
/// multiply (no two partial products meet, so none carries).
#[inline(always)]
pub(crate) fn stop_bits_in_two_words([lo, hi]: [[u8; 8]; 2], n: usize) -> Option<u16> {
    let (in_lo, in_hi) = (
        stop_flags(u64::from_le_bytes(lo)),
        stop_flags(u64::from_le_bytes(hi)),
    );
    // Most small pushes hold no stop: no bits are gathered for them.
    if in_lo | in_hi == 0 {
        return None;
    }
    const GATHER: u64 = 0x0102_0408_1020_4080;
    let gather = |flags: u64| ((flags >> 7).wrapping_mul(GATHER) >> 56) as u16;
    // `hi` holds bytes `n - 8` to `n - 1`: its bits shifted up by `n - 8`
    // (0 to 8, so no bit is lost), the overlap with `lo` counted once.
    Some(gather(in_lo) | gather(in_hi) << (n.saturating_sub(8) & 15))
}

/// Splits the first line off `hay`: the line without its LF (and without
/// its CR, if the line end was CRLF), and what follows the LF. Without a
/// LF, the whole of `hay` is the line. [`Reply::lines`](crate::Reply::lines)
/// reads a reply's lines with it.
#[inline]
pub(crate) fn next_line(hay: &[u8]) -> (&[u8], &[u8]) {
    if let [b'\n', rest @ ..] = hay {
        // An empty line: no search at all.
        return (&[], rest);
    }
    match find(b'\n', hay) {
        Some(i) => (
            strip_cr(hay.get(..i).unwrap_or_default()),
            hay.get(i + 1..).unwrap_or_default(),
        ),
        None => (strip_cr(hay), &[]),
    }
}

/// A line without its CR, if it ends with one (the line end is CRLF or a
/// bare LF).
///
/// On 32-bit targets a function of its own, and a pattern, not
/// `strip_suffix` (which compares slices): inlined into each caller it
/// cost flash in every probe (thumbv7em, opt-level "z": `size-client`
/// 76 B, `size-decoder` 24, `size-pasv` 16, `size-all` 8), and the
/// Cortex-M3 runs no more instructions per reply for the call.
#[cfg_attr(target_pointer_width = "64", inline)]
#[cfg_attr(not(target_pointer_width = "64"), inline(never))]
pub(crate) fn strip_cr(line: &[u8]) -> &[u8] {
    match line {
        [head @ .., b'\r'] => head,
        _ => line,
    }
}

/// The first LF of `hay`, and the first NUL before it: one pass for a line
/// without NUL (the common case).
#[inline]
pub(crate) fn line_end_and_nul(hay: &[u8]) -> (Option<usize>, Option<usize>) {
    match find2_span(b'\n', 0, hay) {
        Some(i) if hay.get(i) == Some(&0) => {
            let after = hay.get(i + 1..).unwrap_or_default();
            (find(b'\n', after).map(|j| i + 1 + j), Some(i))
        }
        lf => (lf, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Review of f75ff73 (`strip_cr` a slice pattern, not
    /// `strip_suffix`): one CR at the end goes, nothing else; an empty
    /// line, a lone CR, two CRs, a CR not last.
    #[test]
    fn strip_cr_drops_one_cr_at_the_end() {
        for (line, want) in [
            (&b""[..], &b""[..]),
            (b"\r", b""),
            (b"\r\r", b"\r"),
            (b"a\r", b"a"),
            (b"a", b"a"),
            (b"\ra", b"\ra"),
            (b"a\rb\r", b"a\rb"),
            (b"\n", b"\n"),
            (b"a\r\n", b"a\r\n"),
        ] {
            assert_eq!(strip_cr(line), want, "{line:?}");
            assert_eq!(strip_cr(line), line.strip_suffix(b"\r").unwrap_or(line));
        }
    }

    #[test]
    fn same_answers() {
        let hay = b"ab\r\ncd\0e\nf";
        assert_eq!(find(b'\n', hay), Some(3));
        assert_eq!(find2(b'\n', 0, hay), Some(3));
        assert_eq!(find3(b'x', 0, b'e', hay), Some(6));
        // Every length and position through the word-at-a-time path.
        for len in 0..80usize {
            for at in 0..len {
                for (a, b) in [(b'\n', 0u8), (0, b'\n'), (b'\n', b'\n')] {
                    let mut v = [b'x'; 80];
                    v[at] = b;
                    if at + 3 < len {
                        v[at + 3] = a;
                    }
                    let hay = &v[..len];
                    let want = hay.iter().position(|&x| x == a || x == b);
                    assert_eq!(find2(a, b, hay), want, "len {len} at {at}");
                }
            }
        }
        // `find` (one needle) through every path too.
        for len in 0..80usize {
            for at in 0..len {
                let mut v = [b'x'; 80];
                v[at] = b'\n';
                if at + 3 < len {
                    v[at + 3] = b'\n';
                }
                assert_eq!(find(b'\n', &v[..len]), Some(at), "len {len} at {at}");
            }
            assert_eq!(find(b'\n', &[b'x'; 80][..len]), None);
        }
        assert_eq!(
            find_iter(b'\n', hay).collect::<heapless::Vec<usize, 4>>(),
            [3, 8]
        );
    }

    /// The LF after a NUL is where it is, and the NUL is the first one.
    #[test]
    fn line_end_and_nul_exact() {
        assert_eq!(line_end_and_nul(b"ab\0cd\ne\n"), (Some(5), Some(2)));
        assert_eq!(line_end_and_nul(b"\0\0\n"), (Some(2), Some(0)));
        assert_eq!(line_end_and_nul(b"ab\0cd"), (None, Some(2)));
        assert_eq!(line_end_and_nul(b"ab\ncd\0\n"), (Some(2), None));
        assert_eq!(line_end_and_nul(b""), (None, None));
    }

    /// The 64-byte look: the first stop byte at every position, with a
    /// second one after it, among fills that make false flags, or 64.
    #[test]
    fn first_stop_64_everywhere() {
        for fill in [b'x', 0x0b, 0x01, 0x03, 0x09] {
            assert_eq!(first_stop_64(&[fill; 64]), 64);
            for stop in [b'\n', 0, 0x02, 0x08] {
                for i in 0..64 {
                    for j in [i + 1, i + 7, i + 8, 63] {
                        let mut w = [fill; 64];
                        if j < 64 {
                            w[j] = b'\n';
                        }
                        w[i] = stop;
                        assert_eq!(first_stop_64(&w), i, "fill {fill} stop {stop} at {i}, {j}");
                    }
                }
            }
        }
    }

    /// The decoder's two other looks, `find_stop_span` (from a head of
    /// `WORDS` (64) bytes on, LF and NUL only) and `stop_in_two_words` (held
    /// bytes `0..len` as two words): the first stop byte at every
    /// position, with a second one after it, among fills that make false
    /// flags. The decoder takes either answer as a run free of LF and NUL,
    /// so one too low only costs a scan; this checks the answer is exact.
    #[test]
    fn find_stop_span_and_two_words_exact() {
        let first = |hay: &[u8]| {
            // On 32-bit targets no byte but LF and NUL stops a run.
            let wide = cfg!(target_pointer_width = "64");
            hay.iter().enumerate().position(|(k, &x)| {
                matches!(x, b'\n' | 0) || (wide && k < 64 && matches!(x, 0x02 | 0x08))
            })
        };
        for fill in [b'x', 0x0b, 0x01, 0x03, 0x09] {
            for len in 0..140usize {
                let mut v = [fill; 140];
                assert_eq!(find_stop_span(&v[..len]), None, "fill {fill} len {len}");
                for i in 0..len {
                    for stop in [b'\n', 0, 0x02, 0x08] {
                        v = [fill; 140];
                        v[i] = stop;
                        if i + 9 < len {
                            v[i + 9] = b'\n';
                        }
                        let hay = &v[..len];
                        let want = first(hay);
                        assert_eq!(find_stop_span(hay), want, "fill {fill} len {len} at {i}");
                    }
                }
            }
            for len in 1..=16usize {
                for i in 0..16 {
                    for stop in [b'\n', 0, 0x02, 0x08] {
                        let mut w = [fill; 16];
                        w[i] = stop;
                        let lo = *w.first_chunk::<8>().unwrap();
                        let hi = *w.last_chunk::<8>().unwrap();
                        let want = i.min(len);
                        assert_eq!(
                            stop_in_two_words([lo, hi], 8, len),
                            want,
                            "fill {fill} len {len} at {i}"
                        );
                    }
                }
            }
        }
    }

    /// A small push's stop bits, for every length from 8 to 16 and every
    /// place of none, one or two LF, NUL, 0x02 or 0x08 (in the bytes both
    /// words hold too), beside bytes that make false flags in a word test
    /// (0x0B after a LF, 0x01 after a NUL), and bytes next to the stops in
    /// value (0x03, 0x09, 0x0B: one bit more) that are no stops: every stop
    /// has its bit, no bit is past the push, and with no byte that can make
    /// a false flag the bits are exactly the stops.
    #[test]
    fn stop_bits_in_two_words_cover_every_stop() {
        for n in 8..=16usize {
            for fill in [b'x', 0x0b, 0x01, 0x03, 0x09] {
                for i in 0..=n {
                    for j in i..=n {
                        for (a, b) in [
                            (b'\n', b'\n'),
                            (0, b'\n'),
                            (b'\n', 0),
                            (0x02, b'\n'),
                            (b'\n', 0x08),
                            (0x08, 0x02),
                        ] {
                            let mut v = [fill; 16];
                            if i < n {
                                v[i] = a;
                            }
                            if j > i && j < n {
                                v[j] = b;
                            }
                            let push = &v[..n];
                            let lo = *push.first_chunk::<8>().unwrap();
                            let hi = *push.last_chunk::<8>().unwrap();
                            let stops: u16 = (0..n)
                                .filter(|&k| matches!(push[k], b'\n' | 0 | 0x02 | 0x08))
                                .fold(0, |m, k| m | 1 << k);
                            let got = stop_bits_in_two_words([lo, hi], n).unwrap_or(0);
                            assert_eq!(got & stops, stops, "{push:?}");
                            assert_eq!(u32::from(got) >> n, 0, "{push:?}");
                            if fill == b'x' {
                                assert_eq!(got, stops, "{push:?}");
                            }
                        }
                    }
                }
            }
        }
    }
}
