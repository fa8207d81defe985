//! `parse_streaming` against `parse_complete` on the same bytes:
//!
//! - complete accepts ⇒ streaming gives the same reply and rest;
//! - every strict prefix of an accepted reply is `Partial` to streaming,
//!   and every longer prefix of the input gives the same reply;
//! - streaming errors ⇒ complete gives the same error (kind, offset, end
//!   and code);
//! - streaming `Partial` ⇒ complete's error stands for everything up to the
//!   end of the input (the item has not ended: an error is reported in
//!   streaming mode only once its whole item is there);
//! - complete's error ends before the end of the input ⇒ streaming gives
//!   that same error.

#![no_main]

use ftp_reply::{ErrorKind, Progress, parse_complete, parse_streaming};
use libfuzzer_sys::fuzz_target;

fn unterminated(kind: ErrorKind) -> bool {
    matches!(
        kind,
        ErrorKind::UnterminatedLine | ErrorKind::UnterminatedBlock
    )
}

/// The prefix lengths to try below `len`: all of them for short replies, an
/// evenly spread sample plus the last few for long ones (keeps the target
/// linear-ish in the input).
fn prefix_lengths(len: usize) -> impl Iterator<Item = usize> {
    let step = (len / 256).max(1);
    (0..len).step_by(step).chain(len.saturating_sub(4)..len)
}

fuzz_target!(|data: &[u8]| {
    let complete = parse_complete(data);
    let streaming = parse_streaming(data);
    match (&complete, &streaming) {
        (Ok((rest, reply)), Ok(Progress::Complete((srest, sreply)))) => {
            assert_eq!(reply, sreply);
            assert_eq!(rest, srest);
            let len = reply.as_bytes().len();
            for n in prefix_lengths(len) {
                let got = parse_streaming(&data[..n]);
                assert_eq!(
                    got,
                    Ok(Progress::Partial),
                    "prefix of {n} of a {len}-byte reply"
                );
            }
            let tail = data.len() - len;
            for extra in prefix_lengths(tail + 1) {
                let prefix = &data[..len + extra];
                match parse_streaming(prefix) {
                    Ok(Progress::Complete((r, got))) => {
                        assert_eq!(&got, reply);
                        assert_eq!(r, &prefix[len..]);
                    }
                    other => panic!(
                        "prefix of {} gave {other:?}, whole input {reply:?}",
                        len + extra
                    ),
                }
            }
        }
        (Ok(_), other) => panic!("complete accepted, streaming gave {other:?}"),
        (Err(e), Ok(Progress::Partial)) => {
            assert_eq!(e.end(), data.len(), "streaming Partial, complete {e:?}");
        }
        (Err(e), Err(s)) => assert_eq!(e, s, "the two modes disagree"),
        (Err(e), Ok(Progress::Complete(c))) => {
            panic!("complete refused with {e:?}, streaming accepted {c:?}")
        }
    }
    if let Err(e) = &complete {
        if e.end() < data.len() {
            assert_eq!(streaming, Err(*e));
        }
        if unterminated(e.kind()) {
            assert_eq!(streaming, Ok(Progress::Partial));
        }
    }
});
