//! `parse_complete` on arbitrary bytes: an `Ok` reply is a prefix of the
//! input, the rest is what follows it, the line count is the number of LF
//! in it, the code is in 100..=699; an error's offset is inside the input;
//! walking the whole input with `resume_after` always makes progress.
//! `telnet::Telnet` on the same bytes: cut anywhere, in place or copied,
//! the data is the same, never longer than the input, every byte read.

#![no_main]

mod common;

use ftp_reply::parse_complete;
use ftp_reply::telnet::Telnet;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match parse_complete(data) {
        Ok((rest, reply)) => {
            let raw = reply.as_bytes();
            assert!(!raw.is_empty());
            assert_eq!(
                raw.as_ptr(),
                data.as_ptr(),
                "raw bytes do not start the input"
            );
            assert_eq!(raw, &data[..raw.len()]);
            assert_eq!(rest, &data[raw.len()..]);
            assert_eq!(rest.as_ptr(), data[raw.len()..].as_ptr());
            assert_eq!(raw.last(), Some(&b'\n'), "a reply ends with its line end");
            let lf = raw.iter().filter(|&&b| b == b'\n').count();
            assert_eq!(reply.line_count(), lf);
            assert!(reply.line_count() >= 1);
            assert!((100..=699).contains(&reply.code().get()));
            assert_eq!(&raw[..3], &reply.code().to_digits());
            assert_eq!(reply.is_multiline(), reply.line_count() > 1);
        }
        Err(e) => {
            assert!(
                e.offset() <= data.len(),
                "offset {} past {} bytes",
                e.offset(),
                data.len()
            );
        }
    }
    common::walk(data, |_| {});
    telnet(data);
});

/// The data of `data` through `Telnet::strip` whole, then cut at a point
/// the input picks, copied and in place (one byte of room): the same.
fn telnet(data: &[u8]) {
    let mut whole = vec![0u8; data.len() + 1];
    let mut t = Telnet::new();
    let (read, n) = t.strip(data, &mut whole);
    assert_eq!(read, data.len());
    assert!(n <= data.len());
    whole.truncate(n);
    let cut = usize::from(data.first().copied().unwrap_or(0)).min(data.len());
    let (a, b) = data.split_at(cut);
    let mut copied = Vec::new();
    let mut in_place = Vec::new();
    let (mut c, mut p) = (Telnet::new(), Telnet::new());
    for piece in [a, b] {
        let mut out = vec![0u8; piece.len() + 1];
        let (read, n) = c.strip(piece, &mut out);
        assert_eq!(read, piece.len());
        copied.extend_from_slice(&out[..n]);
        let mut buf = vec![0u8];
        buf.extend_from_slice(piece);
        let (read, n) = p.strip_in_place(&mut buf, 1);
        assert_eq!(read, piece.len());
        in_place.extend_from_slice(&buf[..n]);
    }
    assert_eq!(copied, whole);
    assert_eq!(in_place, whole);
    assert_eq!((c, p), (t, t));
}
