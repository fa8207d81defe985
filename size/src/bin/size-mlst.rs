//! A 250's MLST entry: `parse_complete`, `mlst_entry()` and its facts.

#![no_std]
#![no_main]

ftp_reply_size::harness!();

#[unsafe(no_mangle)]
#[inline(never)]
pub fn entry(input: &[u8]) -> u32 {
    match ftp_reply::parse_complete(input) {
        Ok((_, reply)) => match reply.mlst_entry() {
            Ok(entry) => {
                entry
                    .facts()
                    .map(|f| f.name.len() as u32 + f.value.len() as u32)
                    .sum::<u32>()
                    + entry.path().len() as u32
            }
            Err(e) => e.offset() as u32,
        },
        Err(e) => e.offset() as u32,
    }
}
