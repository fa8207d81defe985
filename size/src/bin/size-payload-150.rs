//! A 150's size through `Reply::payload()`: every payload parser is linked,
//! since the code is only known at run time.

#![no_std]
#![no_main]

ftp_reply_size::harness!();

#[unsafe(no_mangle)]
#[inline(never)]
pub fn entry(input: &[u8]) -> u32 {
    match ftp_reply::parse_complete(input) {
        Ok((_, reply)) => match reply.payload() {
            Ok(ftp_reply::payload::Payload::Transfer(Some(n))) => n as u32,
            Ok(_) => 1,
            Err(e) => e.offset() as u32,
        },
        Err(e) => e.offset() as u32,
    }
}
