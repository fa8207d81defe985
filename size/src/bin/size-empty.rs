//! The harness alone: `entry` sums the bytes. Its `.text` is what every
//! other probe's figure is measured against.

#![no_std]
#![no_main]

ftp_reply_size::harness!();

#[unsafe(no_mangle)]
#[inline(never)]
pub fn entry(input: &[u8]) -> u32 {
    input
        .iter()
        .fold(0u32, |a, &b| a.wrapping_add(u32::from(b)))
}
