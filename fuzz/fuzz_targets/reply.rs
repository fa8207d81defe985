//! `parse_complete` on arbitrary bytes: an `Ok` reply is a prefix of the
//! input, the rest is what follows it, the line count is the number of LF
//! in it, the code is in 100..=699; an error's offset is inside the input;
//! walking the whole input with `resume_after` always makes progress.

#![no_main]

mod common;

use ftp_reply::parse_complete;
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
});
