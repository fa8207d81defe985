//! The byte streams that `tests/reference_decoder.rs` and
//! `tests/reference_readers.rs` feed their models: the generators of
//! `tests/reference_framing.rs` with longer texts, so that replies and
//! blocks outgrow small buffers. (The framing test keeps its own, with
//! shorter texts and more edge shapes.)

use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

use super::framing_model::{GenLine, Segment, eol, pick, push_line};

pub const CODES: &[&[u8]] = &[
    b"100", b"150", b"200", b"211", b"214", b"226", b"250", b"331", b"421", b"550", b"553",
];

/// Three bytes (or fewer) that are not a reply code.
pub const BAD: &[&[u8]] = &[b"000", b"700", b"2a0", b"20", b"", b"\x0020"];

/// What may follow a code.
pub const SEPS: &[&[u8]] = &[b" ", b" ", b" ", b" ", b"-", b"", b"x", b"\x00", b"\r"];

pub fn text() -> impl Strategy<Value = Vec<u8>> {
    let byte = prop_oneof![
        40 => select(&b"abcXYZ019 -.()"[..]),
        1 => Just(0u8),
        2 => Just(b'\r'),
        1 => Just(0xffu8),
    ];
    prop_oneof![
        3 => vec(byte.clone(), 0..8),
        1 => vec(byte, 8..80),
    ]
}

pub fn gen_line() -> impl Strategy<Value = GenLine> {
    (any::<u8>(), any::<u8>(), any::<u8>(), text(), eol()).prop_map(
        |(shape, code, sep, text, eol)| GenLine {
            shape,
            code,
            sep,
            text,
            eol,
        },
    )
}

pub fn segment() -> impl Strategy<Value = Segment> {
    prop_oneof![
        3 => gen_line().prop_map(Segment::Single),
        3 => (gen_line(), vec(gen_line(), 0..5), prop::option::weighted(0.9, gen_line()))
            .prop_map(|(first, middle, close)| Segment::Block { first, middle, close }),
    ]
}

/// Writes `seg` into `out`: a single line with a good or bad code and
/// separator, or a block whose middle lines may repeat its code, carry
/// another or none, and whose closing line may be missing, bare or another
/// code's.
pub fn push_segment(out: &mut Vec<u8>, seg: &Segment) {
    match seg {
        Segment::Single(l) => {
            let head = if l.shape % 6 == 0 {
                pick(BAD, l.code)
            } else {
                pick(CODES, l.code)
            };
            let sep = if l.shape % 3 == 0 {
                pick(SEPS, l.sep)
            } else {
                b" "
            };
            push_line(out, head, sep, l);
        }
        Segment::Block {
            first,
            middle,
            close,
        } => {
            let own = pick(CODES, first.code);
            push_line(out, own, b"-", first);
            for m in middle {
                let other = pick(CODES, m.code);
                match m.shape % 8 {
                    0 | 1 => push_line(out, own, b"-", m),
                    2 | 3 => push_line(out, b"", b" ", m),
                    4 => push_line(out, other, b" ", m),
                    5 => push_line(out, other, b"-", m),
                    6 => out.extend_from_slice(m.eol),
                    _ => push_line(out, pick(BAD, m.code), pick(SEPS, m.sep), m),
                }
            }
            if let Some(c) = close {
                match c.shape % 5 {
                    0..=2 => push_line(out, own, b" ", c),
                    3 => {
                        out.extend_from_slice(own);
                        out.extend_from_slice(c.eol);
                    }
                    _ => push_line(out, pick(CODES, c.code), b" ", c),
                }
            }
        }
    }
}

/// Unterminated last lines.
pub const TAILS: &[&[u8]] = &[
    b"2", b"20", b"200", b"200\r", b"200 ok", b"211-a", b"211-a\r", b"7", b"x",
];
