//! A 211's feature list: `parse_complete`, `features()` and `iter()`.

#![no_std]
#![no_main]

ftp_reply_size::harness!();

#[unsafe(no_mangle)]
#[inline(never)]
pub fn entry(input: &[u8]) -> u32 {
    match ftp_reply::parse_complete(input) {
        Ok((_, reply)) => match reply.features() {
            Some(features) => features
                .iter()
                .map(|f| f.name.len() as u32 + f.params.len() as u32)
                .sum(),
            None => 1,
        },
        Err(e) => e.offset() as u32,
    }
}
