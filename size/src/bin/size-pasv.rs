//! Parse a 227 only: `parse_complete` and `passive()`.

#![no_std]
#![no_main]

ftp_reply_size::harness!();

#[unsafe(no_mangle)]
#[inline(never)]
pub fn entry(input: &[u8]) -> u32 {
    match ftp_reply::parse_complete(input) {
        Ok((_, reply)) => match reply.passive() {
            Ok(addr) => u32::from(addr.ip) ^ u32::from(addr.port),
            Err(e) => e.offset() as u32,
        },
        Err(e) => e.offset() as u32,
    }
}
