//! The decoder fed a fuzzer-chosen chunking of a stream yields the same
//! replies and errors, in the same order, as walking the whole stream with
//! `parse_complete` and `resume_after`, then `finish()` gives the walk's
//! last error when the stream ends inside a reply.
//!
//! Input layout: byte 0 is `k`. When `k & 7` is 0, every chunk is
//! `(k >> 3) + 1` bytes long (0: byte by byte); otherwise the next `k & 7` bytes are chunk
//! lengths (each `b + 1`), used in turn. The stream is what follows, whole:
//! a reply longer than the decoder's 4096-byte buffer must come out once,
//! truncated, with its code, and every later item as the walk says.

#![no_main]

mod common;

use common::Item;
use ftp_reply::Decoder;
use libfuzzer_sys::fuzz_target;

const N: usize = 4096;

fn drain(dec: &mut Decoder<N>, out: &mut Vec<Item>) {
    while let Some(r) = dec.next() {
        out.push(match r {
            Ok(reply) => Item::reply(&reply),
            Err(e) => Item::error(&e, 0),
        });
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&k, rest)) = data.split_first() else {
        return;
    };
    let table_len = usize::from(k & 7).min(rest.len());
    let (table, stream) = rest.split_at(table_len);
    let fixed = [k >> 3];
    let sizes: &[u8] = if table.is_empty() { &fixed } else { table };

    let expected: Vec<Item> = common::walk_items(stream)
        .into_iter()
        .map(|item| match item {
            Item::Reply { code, raw, .. } if raw.len() > N => Item::Truncated { code },
            other => other,
        })
        .collect();

    let mut dec = Decoder::<N>::new();
    let mut got = Vec::new();
    let mut pos = 0;
    for &size in sizes.iter().cycle() {
        if pos >= stream.len() {
            break;
        }
        let end = (pos + usize::from(size) + 1).min(stream.len());
        let mut chunk = &stream[pos..end];
        pos = end;
        while !chunk.is_empty() {
            let n = dec.push(chunk);
            chunk = &chunk[n..];
            let before = got.len();
            drain(&mut dec, &mut got);
            assert!(
                n > 0 || got.len() > before,
                "decoder neither took bytes nor gave an item"
            );
        }
    }
    drain(&mut dec, &mut got);
    if let Some(e) = dec.finish() {
        got.push(Item::error(&e, 0));
    }
    assert!(dec.is_empty(), "finish() left bytes behind");
    assert_eq!(got, expected, "decoder vs walk of {stream:?}");
});
