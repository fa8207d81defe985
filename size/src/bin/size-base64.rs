//! RFC 2228's base64 alone: a 631's data through
//! `SecurityData::from_protected(reply.text())` and `decode_into`, then
//! written back with `encode::write_base64` (the canonical check's two
//! halves: decoding, and encoding the decoded bytes).

#![no_std]
#![no_main]

ftp_reply_size::harness!();

#[unsafe(no_mangle)]
#[inline(never)]
pub fn entry(input: &[u8]) -> u32 {
    let mut plain = [0u8; 96];
    let mut coded = [0u8; 128];
    match ftp_reply::parse_complete(input) {
        Ok((_, reply)) => match ftp_reply::payload::SecurityData::from_protected(reply.text()) {
            Ok(data) => match data.decode_into(&mut plain) {
                Ok(n) => {
                    let mut w = ftp_reply::encode::SliceWriter::new(&mut coded);
                    let wrote =
                        ftp_reply::encode::write_base64(plain.get(..n).unwrap_or_default(), &mut w);
                    w.len() as u32 + u32::from(wrote.is_ok())
                }
                Err(e) => e.offset() as u32,
            },
            Err(e) => e.offset() as u32,
        },
        Err(e) => e.offset() as u32,
    }
}
