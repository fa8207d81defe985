//! A 214's command table: `parse_complete`, `help()` and `commands()`.

#![no_std]
#![no_main]

ftp_reply_size::harness!();

#[unsafe(no_mangle)]
#[inline(never)]
pub fn entry(input: &[u8]) -> u32 {
    match ftp_reply::parse_complete(input) {
        Ok((_, reply)) => match reply.help() {
            Some(help) => help
                .commands()
                .map(|c| c.name.len() as u32 + u32::from(c.unimplemented))
                .sum(),
            None => 1,
        },
        Err(e) => e.offset() as u32,
    }
}
