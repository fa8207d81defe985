//! A 150's size through its accessor `Reply::transfer_size()`.

#![no_std]
#![no_main]

ftp_reply_size::harness!();

#[unsafe(no_mangle)]
#[inline(never)]
pub fn entry(input: &[u8]) -> u32 {
    match ftp_reply::parse_complete(input) {
        Ok((_, reply)) => match reply.transfer_size() {
            Ok(Some(n)) => n as u32,
            Ok(None) => 1,
            Err(e) => e.offset() as u32,
        },
        Err(e) => e.offset() as u32,
    }
}
