//! A 257's path: `parse_complete`, `pathname()` and `copy_to` (the
//! unescaped bytes into a buffer).

#![no_std]
#![no_main]

ftp_reply_size::harness!();

#[unsafe(no_mangle)]
#[inline(never)]
pub fn entry(input: &[u8]) -> u32 {
    let mut buf = [0u8; 128];
    match ftp_reply::parse_complete(input) {
        Ok((_, reply)) => match reply.pathname() {
            Ok(path) => path.copy_to(&mut buf).map_or(0, |n| n as u32),
            Err(e) => e.offset() as u32,
        },
        Err(e) => e.offset() as u32,
    }
}
