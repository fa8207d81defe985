//! A 150's size through the free function
//! `ftp_reply::payload::transfer_size(reply.text())`.

#![no_std]
#![no_main]

ftp_reply_size::harness!();

#[unsafe(no_mangle)]
#[inline(never)]
pub fn entry(input: &[u8]) -> u32 {
    match ftp_reply::parse_complete(input) {
        Ok((_, reply)) => match ftp_reply::payload::transfer_size(reply.text()) {
            Ok(Some(n)) => n as u32,
            Ok(None) => 1,
            Err(e) => e.offset() as u32,
        },
        Err(e) => e.offset() as u32,
    }
}
