//! The readers over std::io::Read, embedded_io::Read and
//! embedded_io_async::Read: one byte at a time and random-sized pieces give
//! the same replies as parsing the whole stream.

use ftp_reply::{Decoder, ReadError};
use std::future::Future;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

const STREAM: &[u8] = include_bytes!("data/proftpd/session.raw");

/// A source that hands out at most `sizes[i]` bytes on its i-th read.
struct Pieces<'a> {
    data: &'a [u8],
    seed: u64,
    max: usize,
}

impl Pieces<'_> {
    fn next_len(&mut self) -> usize {
        // xorshift64: deterministic, no dependency.
        self.seed ^= self.seed << 13;
        self.seed ^= self.seed >> 7;
        self.seed ^= self.seed << 17;
        1 + (self.seed as usize) % self.max
    }

    fn read_some(&mut self, buf: &mut [u8]) -> usize {
        let n = self.next_len().min(buf.len()).min(self.data.len());
        buf[..n].copy_from_slice(&self.data[..n]);
        self.data = &self.data[n..];
        n
    }
}

impl std::io::Read for Pieces<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        Ok(self.read_some(buf))
    }
}

impl embedded_io::ErrorType for Pieces<'_> {
    type Error = core::convert::Infallible;
}

impl embedded_io::Read for Pieces<'_> {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, Self::Error> {
        Ok(self.read_some(buf))
    }
}

impl embedded_io_async::Read for Pieces<'_> {
    async fn read(&mut self, buf: &mut [u8]) -> Result<usize, Self::Error> {
        Ok(self.read_some(buf))
    }
}

fn block_on<F: Future>(fut: F) -> F::Output {
    let mut fut = pin!(fut);
    let mut cx = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(v) = fut.as_mut().poll(&mut cx) {
            return v;
        }
    }
}

/// (code, raw bytes) of every reply, by one complete parse.
fn expected() -> Vec<(u16, Vec<u8>)> {
    let mut out = Vec::new();
    let mut rest = STREAM;
    while !rest.is_empty() {
        let (after, reply) = ftp_reply::parse_complete(rest).expect("recorded replies parse");
        out.push((reply.code().get(), reply.as_bytes().to_vec()));
        rest = after;
    }
    out
}

fn sources() -> Vec<Pieces<'static>> {
    vec![
        Pieces {
            data: STREAM,
            seed: 1,
            max: 1,
        },
        Pieces {
            data: STREAM,
            seed: 0x9e37_79b9_7f4a_7c15,
            max: 64,
        },
        Pieces {
            data: STREAM,
            seed: 42,
            max: 7,
        },
    ]
}

#[test]
fn std_reader() {
    for mut src in sources() {
        let mut dec = Decoder::<1024>::new();
        let mut got = Vec::new();
        loop {
            match dec.read_from_std(&mut src, |_| false) {
                Ok(r) => got.push((r.code().get(), r.as_bytes().to_vec())),
                Err(ReadError::Eof) => break,
                Err(e) => panic!("{e}"),
            }
        }
        assert_eq!(got, expected(), "max piece {}", src.max);
    }
}

#[test]
fn embedded_io_reader() {
    for mut src in sources() {
        let mut dec = Decoder::<1024>::new();
        let mut got = Vec::new();
        loop {
            match dec.read_from(&mut src, |_| false) {
                Ok(r) => got.push((r.code().get(), r.as_bytes().to_vec())),
                Err(ReadError::Eof) => break,
                Err(e) => panic!("{e}"),
            }
        }
        assert_eq!(got, expected(), "max piece {}", src.max);
    }
}

#[test]
fn embedded_io_async_reader() {
    for mut src in sources() {
        let mut dec = Decoder::<1024>::new();
        let mut got = Vec::new();
        loop {
            match block_on(dec.read_from_async(&mut src, |_| false)) {
                Ok(r) => got.push((r.code().get(), r.as_bytes().to_vec())),
                Err(ReadError::Eof) => break,
                Err(e) => panic!("{e}"),
            }
        }
        assert_eq!(got, expected(), "max piece {}", src.max);
    }
}

/// The async reader cannot lend the decoder's buffer across an `.await`,
/// so it reads into a chunk of its own: as much of it as the decoder has
/// room for, not a byte at a time. (Missed mutant: `Decoder::room`
/// giving 1 read the stream byte by byte, with the same replies.)
#[test]
fn embedded_io_async_reader_reads_more_than_a_byte_at_a_time() {
    struct Offered<'a> {
        src: Pieces<'a>,
        most: usize,
    }
    impl embedded_io::ErrorType for Offered<'_> {
        type Error = core::convert::Infallible;
    }
    impl embedded_io_async::Read for Offered<'_> {
        async fn read(&mut self, buf: &mut [u8]) -> Result<usize, Self::Error> {
            self.most = self.most.max(buf.len());
            Ok(self.src.read_some(buf))
        }
    }
    let mut src = Offered {
        src: Pieces {
            data: STREAM,
            seed: 1,
            max: 1,
        },
        most: 0,
    };
    let mut dec = Decoder::<1024>::new();
    let first = block_on(dec.read_from_async(&mut src, |_| false)).map(|r| r.code().get());
    assert_eq!(first.ok(), Some(expected()[0].0));
    assert!(src.most > 1, "offered {} bytes at most", src.most);
}

#[test]
fn reader_reports_bad_input_and_goes_on() {
    let data = b"garbage\r\n220 ok\r\n331-cut\r\n more";
    let mut src = Pieces {
        data,
        seed: 7,
        max: 3,
    };
    let mut dec = Decoder::<64>::new();
    assert!(
        matches!(dec.read_from_std(&mut src, |_| false), Err(ReadError::Parse(e)) if e.offset() == 0)
    );
    assert_eq!(
        dec.read_from_std(&mut src, |_| false)
            .map(|r| r.code().get())
            .ok(),
        Some(220)
    );
    match dec.read_from_std(&mut src, |_| false) {
        Err(ReadError::Parse(e)) => assert_eq!(e.kind(), ftp_reply::ErrorKind::UnterminatedBlock),
        other => panic!("{other:?}"),
    }
}

/// A reply longer than the decoder comes out of every reader as a reply,
/// truncated, with its code: not as `ReadError::Parse`, which an earlier
/// doc of `ReadError::Parse` said ("or a reply did not fit in the
/// decoder", from before `ErrorKind::ReplyTooLong` was removed). The
/// reply after it follows.
#[test]
fn reply_longer_than_the_decoder_is_a_truncated_reply() {
    // The same pieces through each reader: the banner comes out truncated,
    // with its code, and the 331 after it whole.
    fn two_replies(
        read: impl Fn(&mut Decoder<16>, &mut Pieces<'_>) -> Result<(u16, bool), String>,
    ) {
        let mut src = Pieces {
            data: b"220-A banner far longer than sixteen bytes\r\n220 ok\r\n331 pw\r\n",
            seed: 9,
            max: 5,
        };
        let mut dec = Decoder::<16>::new();
        let got: Vec<_> = (0..2).map(|_| read(&mut dec, &mut src)).collect();
        assert_eq!(got, [Ok((220, true)), Ok((331, false))]);
    }
    let take = |r: ftp_reply::Reply<'_>| (r.code().get(), r.is_truncated());
    two_replies(|dec, src| {
        dec.read_from_std(src, |_| false)
            .map(take)
            .map_err(|e| e.to_string())
    });
    two_replies(|dec, src| {
        dec.read_from(src, |_| false)
            .map(take)
            .map_err(|e| e.to_string())
    });
    two_replies(|dec, src| {
        block_on(dec.read_from_async(src, |_| false))
            .map(take)
            .map_err(|e| e.to_string())
    });
}

/// Issue #11: the natural firmware function, which returns the reply it
/// read and skips what is not a reply, compiles (a loop around `read_from`
/// that returns the reply did not: E0499) and skips the garbage, reporting
/// each skipped item to the callback.
fn next_reply<'d, R: embedded_io::Read>(
    dec: &'d mut Decoder<64>,
    src: &mut R,
    skipped: &mut Vec<ftp_reply::ErrorKind>,
) -> Result<ftp_reply::Reply<'d>, ReadError<R::Error>> {
    dec.read_from(src, |e| {
        skipped.push(e.kind());
        true
    })
}

#[test]
fn natural_loop_skips_what_is_not_a_reply() {
    let data =
        b"garbage\r\n220 ok\r\n2x0 bad\r\n211-a\r\n b\0\r\n211 End\r\n331 more\r\n331-cut\r\n";
    let mut src = Pieces {
        data,
        seed: 3,
        max: 5,
    };
    let mut dec = Decoder::<64>::new();
    let mut skipped = Vec::new();
    let mut codes = Vec::new();
    loop {
        match next_reply(&mut dec, &mut src, &mut skipped) {
            Ok(reply) => codes.push(reply.code().get()),
            Err(ReadError::Eof) => break,
            Err(e) => panic!("{e}"),
        }
    }
    use ftp_reply::ErrorKind::*;
    assert_eq!(codes, [220, 331]);
    assert_eq!(
        skipped,
        [InvalidCode, InvalidCode, NulByte, UnterminatedBlock]
    );
}

/// After `poll` finds a reply, `reply` takes it with no impossible arm.
#[test]
fn poll_then_reply() {
    let mut dec = Decoder::<64>::new();
    assert_eq!(dec.push(b"220 ready\r\n"), 11);
    let Some(Ok(ready)) = dec.poll() else {
        panic!("no reply")
    };
    let reply = dec.reply(ready);
    assert_eq!(
        (reply.code().get(), reply.as_bytes()),
        (220, &b"220 ready\r\n"[..])
    );
    assert!(dec.poll().is_none());
}

/// Issue #11: a command with a byte argument goes straight to an
/// `embedded_io::Write`, with the same refusals and IAC doubling as
/// `write_to`.
#[test]
fn command_to_embedded_io_writer() {
    use ftp_reply::{Command, ErrorKind, PayloadError, WriteError};
    let mut out = [0u8; 32];
    let mut w: &mut [u8] = &mut out;
    let n = Command::Retr.write_io(Some(b"a\xffb.bin"), &mut w).unwrap();
    assert_eq!(&out[..n], b"RETR a\xff\xffb.bin\r\n");

    let mut out = [0u8; 32];
    let mut w: &mut [u8] = &mut out;
    match Command::Cwd.write_io(Some(b"x\r\nDELE y"), &mut w) {
        Err(WriteError::Argument(e)) => {
            assert_eq!(
                (e.kind(), e.offset()),
                (ErrorKind::Payload(PayloadError::ForbiddenArgument), 1)
            );
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(out, [0u8; 32], "nothing written");

    let mut small = [0u8; 6];
    let mut w: &mut [u8] = &mut small;
    assert!(matches!(
        Command::Stor.write_io(Some(b"long-name.txt"), &mut w),
        Err(WriteError::Io(_))
    ));
}

/// The three readers in one call shape, for the tests below.
#[derive(Clone, Copy, Debug)]
enum Via {
    Std,
    EmbeddedIo,
    Async,
}

/// What one read gives: the reply's code, or the error in words.
fn read_one(
    via: Via,
    dec: &mut Decoder<64>,
    src: &mut Pieces<'_>,
    skip: bool,
    seen: &mut Vec<ftp_reply::ErrorKind>,
) -> Result<u16, String> {
    let on_error = |e: &ftp_reply::Error| {
        seen.push(e.kind());
        skip
    };
    match via {
        Via::Std => dec
            .read_from_std(src, on_error)
            .map(|r| r.code().get())
            .map_err(|e| e.to_string()),
        Via::EmbeddedIo => dec
            .read_from(src, on_error)
            .map(|r| r.code().get())
            .map_err(|e| e.to_string()),
        Via::Async => block_on(dec.read_from_async(src, on_error))
            .map(|r| r.code().get())
            .map_err(|e| e.to_string()),
    }
}

/// Every reader hands each item that is not a reply to `on_error`, once:
/// `false` returns it as `ReadError::Parse` and the next call goes on;
/// `true` skips it, and the reply after it comes out of the same call. At
/// the end of the source an unterminated block goes to `on_error` too.
#[test]
fn every_reader_skips_or_returns_what_is_not_a_reply() {
    use ftp_reply::ErrorKind::{InvalidCode, UnterminatedBlock};
    let data = b"garbage\r\n220 ok\r\nx\r\n331 pass\r\n331-cut\r\n more";
    for via in [Via::Std, Via::EmbeddedIo, Via::Async] {
        for max in [1, 3, 64] {
            let piece = |seed| Pieces { data, seed, max };
            // Returned: each error in its own call.
            let (mut dec, mut src, mut seen) = (Decoder::<64>::new(), piece(7), Vec::new());
            let mut got = Vec::new();
            for _ in 0..6 {
                got.push(read_one(via, &mut dec, &mut src, false, &mut seen));
            }
            // Offsets count from the start of the stream.
            assert_eq!(
                got,
                [
                    Err("invalid reply code at byte 0".into()),
                    Ok(220),
                    Err("invalid reply code at byte 17".into()),
                    Ok(331),
                    Err("unterminated multi-line block at byte 44".into()),
                    Err("end of stream".into()),
                ],
                "{via:?} max {max}"
            );
            assert_eq!(seen, [InvalidCode, InvalidCode, UnterminatedBlock]);
            // Skipped: the replies only, then the end.
            let (mut dec, mut src, mut seen) = (Decoder::<64>::new(), piece(7), Vec::new());
            let mut got = Vec::new();
            for _ in 0..3 {
                got.push(read_one(via, &mut dec, &mut src, true, &mut seen));
            }
            assert_eq!(
                got,
                [Ok(220), Ok(331), Err("end of stream".into())],
                "{via:?} max {max}"
            );
            assert_eq!(seen, [InvalidCode, InvalidCode, UnterminatedBlock]);
        }
    }
}

/// `read_from_std` retries a read that failed with `Interrupted` (a
/// signal), and returns any other failure as `ReadError::Io`.
#[test]
fn std_reader_retries_interrupted_reads() {
    struct Flaky<'a> {
        data: &'a [u8],
        calls: usize,
    }
    impl std::io::Read for Flaky<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            self.calls += 1;
            match self.calls % 3 {
                0 => Err(std::io::ErrorKind::Interrupted.into()),
                _ if self.data.is_empty() => Err(std::io::ErrorKind::ConnectionReset.into()),
                _ => {
                    let n = buf.len().min(2).min(self.data.len());
                    buf[..n].copy_from_slice(&self.data[..n]);
                    self.data = &self.data[n..];
                    Ok(n)
                }
            }
        }
    }
    let mut src = Flaky {
        data: b"220 ready\r\n331 pass\r\n",
        calls: 0,
    };
    let mut dec = Decoder::<64>::new();
    let mut code = || {
        dec.read_from_std(&mut src, |_| false)
            .map(|r| r.code().get())
    };
    assert_eq!(code().ok(), Some(220));
    assert_eq!(code().ok(), Some(331));
    match code() {
        Err(ReadError::Io(e)) => assert_eq!(e.kind(), std::io::ErrorKind::ConnectionReset),
        other => panic!("{other:?}"),
    }
}

/// The errors' `Display` says which side failed, and passes a parse
/// error's own words through.
#[test]
fn read_and_write_errors_display() {
    use ftp_reply::WriteError;
    let parse = ftp_reply::parse_complete(b"2x0 ok\r\n").unwrap_err();
    assert_eq!(parse.to_string(), "invalid reply code at byte 1");
    assert_eq!(ReadError::Io(7u8).to_string(), "read failed: 7");
    assert_eq!(ReadError::<u8>::Parse(parse).to_string(), parse.to_string());
    assert_eq!(ReadError::<u8>::Eof.to_string(), "end of stream");
    assert_eq!(WriteError::Io(7u8).to_string(), "write failed: 7");
    assert_eq!(
        WriteError::<u8>::Argument(parse).to_string(),
        parse.to_string()
    );
    assert_eq!(
        WriteError::<u8>::WriteZero.to_string(),
        "write failed: the writer took no byte"
    );
}

/// `Command::write_io` over a writer that takes no byte (`Ok(0)`, which
/// embedded-io's contract rules out and its `write_all` panics on) gives
/// `WriteError::WriteZero`, no panic; an `Interrupted` write is made
/// again, as `std::io::Write::write_all` does (session 58).
#[test]
fn command_to_an_odd_embedded_io_writer() {
    use embedded_io::{ErrorKind, ErrorType, Write};
    use ftp_reply::{Command, WriteError};
    /// Takes `take` bytes a call; every other call is `Interrupted`.
    struct Odd {
        take: usize,
        calls: usize,
        out: Vec<u8>,
    }
    impl ErrorType for Odd {
        type Error = ErrorKind;
    }
    impl Write for Odd {
        fn write(&mut self, buf: &[u8]) -> Result<usize, ErrorKind> {
            self.calls += 1;
            if self.calls % 2 == 1 {
                return Err(ErrorKind::Interrupted);
            }
            let n = self.take.min(buf.len());
            self.out.extend_from_slice(&buf[..n]);
            Ok(n)
        }
        fn flush(&mut self) -> Result<(), ErrorKind> {
            Ok(())
        }
    }
    let mut w = Odd {
        take: 3,
        calls: 0,
        out: Vec::new(),
    };
    assert_eq!(Command::Retr.write_io(Some(b"a.bin"), &mut w), Ok(12));
    assert_eq!(w.out, b"RETR a.bin\r\n");
    let mut w = Odd {
        take: 0,
        calls: 0,
        out: Vec::new(),
    };
    assert_eq!(
        Command::Retr.write_io(Some(b"a.bin"), &mut w),
        Err(WriteError::WriteZero)
    );
}

/// A decoder whose `with_limit` leaves less room than it holds still
/// reads on: the reply it holds comes out cut, and the reader does not take
/// a full buffer for the end of the stream. (The decoder waited for a
/// move of its bytes to make room that the move could not make: `fill`
/// offered the reader nothing, and its `Ok(0)` read as the end.)
#[test]
fn a_limit_below_what_is_held_reads_on() {
    let mut dec = Decoder::<16>::new();
    assert_eq!(dec.push(b"220 ok\r\n331 "), 12);
    assert_eq!(dec.next().unwrap().unwrap().code().get(), 220);
    let mut dec = dec.with_limit(2);
    let mut src: &[u8] = b"pw\r\n230 in\r\n";
    let got = dec
        .read_from_std(&mut src, |_| false)
        .map(|r| (r.code().get(), r.is_truncated()));
    assert!(matches!(got, Ok((331, true))), "{got:?}");
    let got = dec
        .read_from_std(&mut src, |_| false)
        .map(|r| (r.code().get(), r.is_truncated()));
    assert!(matches!(got, Ok((230, true))), "{got:?}");
    assert!(src.is_empty());
}

/// A limit shrunk below the head the decoder keeps of a reply it already
/// cut (found by the session-40 decoder audit): `push` took 0 bytes from
/// then on, and the reader took that for the end of the stream. Now the
/// head is cut to the new limit's half, and every later reply comes out,
/// truncated to the new limit as the walk's replies would be.
#[test]
fn a_limit_below_a_cut_replys_head_reads_on() {
    let mut dec = Decoder::<8>::new();
    for &b in b"220 abcdefgh" {
        assert_eq!(dec.push(&[b]), 1);
        assert!(dec.next().is_none());
    }
    assert_eq!(dec.len(), 4, "the cut reply's head");
    let mut dec = dec.with_limit(4);
    let mut src: &[u8] = b"ijk\r\n220 ok\r\n";
    for want in [220, 220] {
        let got = dec
            .read_from_std(&mut src, |_| false)
            .map(|r| (r.code().get(), r.is_truncated(), r.as_bytes().len() <= 2));
        assert!(matches!(got, Ok((c, true, true)) if c == want), "{got:?}");
    }
    assert!(src.is_empty());
    // The same by push and next, and an open block cut at N = 4 then
    // shrunk to 1: its reply comes out, with its code.
    let mut dec = Decoder::<4>::new();
    for &b in b"211-a\n" {
        assert_eq!(dec.push(&[b]), 1);
        assert!(dec.next().is_none());
    }
    let mut dec = dec.with_limit(1);
    assert_eq!(push_and_take(&mut dec, b"211 end\r\n"), [(211, true)]);
    assert_eq!(dec.finish(), None);
}

/// `with_limit`'s doc: "A reply already whole in the buffer when the limit
/// shrinks comes out whole." Replies pushed whole (a line and a block, in
/// pieces of 1, 3 and 100 bytes) before the limit drops to 4 come out
/// whole and uncut; the next one, pushed after, is cut to the new limit.
#[test]
fn a_reply_whole_before_the_limit_shrinks_comes_out_whole() {
    let held: &[u8] = b"220 ready for you\r\n211-Features:\r\n MDTM\r\n211 End\r\n";
    for piece in [1, 3, 100] {
        let mut dec = Decoder::<64>::new();
        for chunk in held.chunks(piece) {
            assert_eq!(dec.push(chunk), chunk.len());
        }
        let mut dec = dec.with_limit(4);
        let mut got = Vec::new();
        while let Some(item) = dec.next() {
            let r = item.unwrap();
            got.push((r.as_bytes().to_vec(), r.is_truncated()));
        }
        assert_eq!(
            got,
            [
                (b"220 ready for you\r\n".to_vec(), false),
                (b"211-Features:\r\n MDTM\r\n211 End\r\n".to_vec(), false),
            ],
            "pieces of {piece}"
        );
        let after = push_and_take(&mut dec, b"230 logged in\r\n");
        assert_eq!(after, [(230, true)], "pieces of {piece}");
    }
}

/// Pushes all of `bytes` (each push must take some) and takes every reply
/// that comes out: its code and whether it was cut.
fn push_and_take<const N: usize>(dec: &mut Decoder<N>, mut bytes: &[u8]) -> Vec<(u16, bool)> {
    let mut got = Vec::new();
    while !bytes.is_empty() {
        let n = dec.push(bytes);
        assert!(n > 0, "push took nothing with {bytes:?} left");
        bytes = &bytes[n..];
        while let Some(item) = dec.next() {
            let r = item.unwrap();
            got.push((r.code().get(), r.is_truncated()));
        }
    }
    got
}
