//! The decoder with N = 512: push 64-byte pieces, take replies out with
//! `next()`, `finish()` at the end.

#![no_std]
#![no_main]

use ftp_reply::Decoder;

ftp_reply_size::harness!();

#[unsafe(no_mangle)]
#[inline(never)]
pub fn entry(input: &[u8]) -> u32 {
    let mut dec = Decoder::<512>::new();
    let mut acc = 0u32;
    for mut chunk in input.chunks(64) {
        while !chunk.is_empty() {
            let took = dec.push(chunk);
            chunk = chunk.get(took..).unwrap_or_default();
            while let Some(item) = dec.next() {
                acc = acc.wrapping_add(match item {
                    Ok(reply) => u32::from(reply.code().get()) + reply.line_count() as u32,
                    Err(e) => e.offset() as u32,
                });
            }
        }
    }
    if let Some(e) = dec.finish() {
        acc = acc.wrapping_add(e.offset() as u32);
    }
    acc
}
