//! Framing only: `parse_complete`, the reply's code and line count (what
//! every accessor probe below also pays).

#![no_std]
#![no_main]

ftp_reply_size::harness!();

#[unsafe(no_mangle)]
#[inline(never)]
pub fn entry(input: &[u8]) -> u32 {
    match ftp_reply::parse_complete(input) {
        Ok((_, reply)) => u32::from(reply.code().get()) + reply.line_count() as u32,
        Err(e) => e.offset() as u32,
    }
}
