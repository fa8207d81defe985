//! A 229's port: `parse_complete` and `extended_passive()`.

#![no_std]
#![no_main]

ftp_reply_size::harness!();

#[unsafe(no_mangle)]
#[inline(never)]
pub fn entry(input: &[u8]) -> u32 {
    match ftp_reply::parse_complete(input) {
        Ok((_, reply)) => match reply.extended_passive() {
            Ok(e) => u32::from(e.port()),
            Err(e) => e.offset() as u32,
        },
        Err(e) => e.offset() as u32,
    }
}
