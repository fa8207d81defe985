//! One reply per reply (issue #10): the items of a walk, replies and errors
//! alike, begin and end exactly where a naive line-by-line reading of RFC
//! 959 section 4.2 says:
//!
//! - an item that starts with a valid code and `-` is a block: it ends
//!   after the first later line that closes it (the same code, or with the
//!   lenient setting any code, then a space or the line end), or at the end
//!   of the input;
//! - any other item ends after its first LF, or at the end of the input.
//!
//! So no reply's first line lies inside a block that an earlier error
//! opened (the phantom `211 End` after a NUL in a FEAT block), whatever the
//! error. The same holds through a `Decoder<64>` fed byte by byte, whose
//! items must be the walk's (replies over 64 bytes truncated, with their
//! code).
//!
//! Input layout: byte 0 picks the setting (bit 0: lenient; bits 1..: a
//! `max_lines` of 1 to 7, or none for 0); the stream is what follows.

#![no_main]

mod common;

use common::Item;
use ftp_reply::{Decoder, ParserConfig, ReplyCode, resume_after};
use libfuzzer_sys::fuzz_target;

/// The reference: where the item starting at `at` ends.
fn item_end(input: &[u8], at: usize, lenient: bool) -> usize {
    let rest = &input[at..];
    let line_end = |from: usize| {
        rest[from..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(rest.len(), |i| from + i + 1)
    };
    let code = match rest {
        [a, b, c, b'-', ..] => ReplyCode::from_digits([*a, *b, *c]),
        _ => None,
    };
    let Some(code) = code else {
        return at + line_end(0);
    };
    let mut from = line_end(0);
    while from < rest.len() {
        let end = line_end(from);
        let line = &rest[from..end];
        let line = line.strip_suffix(b"\n").unwrap_or(line);
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.len() >= 3 && (line.len() == 3 || line[3] == b' ') {
            let digits = [line[0], line[1], line[2]];
            let same = digits == code.to_digits();
            if same || (lenient && ReplyCode::from_digits(digits).is_some()) {
                return at + end;
            }
        }
        from = end;
    }
    rest.len() + at
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, input)) = data.split_first() else {
        return;
    };
    let lenient = flags & 1 == 1;
    let config = ParserConfig::new()
        .any_code_ends_block(lenient)
        .max_lines(core::num::NonZeroU32::new(u32::from(flags >> 1) & 7));
    let mut walk = Vec::new();
    let mut pos = 0;
    while pos < input.len() {
        let rest = &input[pos..];
        let end = match config.parse_complete(rest) {
            Ok((after, reply)) => {
                walk.push(Item::reply(&reply));
                input.len() - after.len()
            }
            Err(e) => {
                walk.push(Item::error(&e, pos));
                pos + resume_after(rest, &e)
            }
        };
        assert_eq!(
            end,
            item_end(input, pos, lenient),
            "item at {pos} of {input:?}"
        );
        pos = end;
    }
    const N: usize = 64;
    let want: Vec<Item> = walk
        .into_iter()
        .map(|item| match item {
            Item::Reply { code, raw, .. } if raw.len() > N => Item::Truncated { code },
            other => other,
        })
        .collect();
    let mut dec = Decoder::<N>::with_config(config);
    let mut got = Vec::new();
    for b in input {
        assert_eq!(dec.push(&[*b]), 1, "a drained decoder refused a byte");
        while let Some(r) = dec.next() {
            got.push(match r {
                Ok(reply) => Item::reply(&reply),
                Err(e) => Item::error(&e, 0),
            });
        }
    }
    if let Some(e) = dec.finish() {
        got.push(Item::error(&e, 0));
    }
    assert_eq!(got, want, "decoder vs walk");
});
