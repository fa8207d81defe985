//! Claims of the encoder's and the grammar's docs that no other test
//! caught when the code was changed to break them (a mutation audit):
//! each test here fails under its mutation, named in its comment.

use ftp_reply::encode::{FmtSink, Sink, SliceWriter, write_reply};
use ftp_reply::payload::{PassiveAddr, Payload};
use ftp_reply::{Error, ErrorKind, PayloadError, ReplyCode, parse_complete, resume_after};

/// `write_reply` of a 214 into a 64-byte `SliceWriter`: the bytes
/// written, or its error.
fn write_214(first: &[u8], middle: &[&[u8]], last: Option<&[u8]>) -> Result<Vec<u8>, Error> {
    let code = ReplyCode::new(214).unwrap();
    let mut buf = [0u8; 64];
    let mut w = SliceWriter::new(&mut buf);
    write_reply(&mut w, code, first, middle.iter().copied(), last)?;
    let n = w.len();
    Ok(buf[..n].to_vec())
}

fn unencodable_at(offset: usize) -> Error {
    Error::new(ErrorKind::Payload(PayloadError::Unencodable), offset)
}

/// InvalidCode: the first digit must be 1 to 6, refused at that byte
/// (mutation: `b'1'..=b'7'` in the code rule).
#[test]
fn first_digit_out_of_range_is_invalid_at_that_byte() {
    let e = parse_complete(b"7").unwrap_err();
    assert_eq!((e.kind(), e.offset()), (ErrorKind::InvalidCode, 0));
    let e = parse_complete(b"7x0 ok\r\n").unwrap_err();
    assert_eq!(
        (e.kind(), e.offset(), e.end()),
        (ErrorKind::InvalidCode, 0, 8)
    );
}

/// resume_after never points past the input it was given, even for an
/// error shifted past it (mutation: no `min(input.len())`).
#[test]
fn resume_after_stays_inside_the_input() {
    let input = b"2x0\r\n";
    let e = parse_complete(input).unwrap_err().shifted(10);
    assert_eq!(resume_after(input, &e), input.len());
}

/// write_reply refuses a NUL in a line (Unencodable, at 0: nothing
/// written; mutation: the text check looks for CR and LF only).
#[test]
fn write_reply_refuses_nul() {
    assert_eq!(write_214(b"a\0b", &[], None), Err(unencodable_at(0)));
}

/// write_reply checks a block's first line too: no CR or LF smuggled in
/// it (mutation: no text check on the first line).
#[test]
fn write_reply_checks_a_blocks_first_line() {
    assert_eq!(
        write_214(b"a\r\n200 b", &[], Some(b"OK")),
        Err(unencodable_at(0))
    );
    // The same through a view: a first line that kept a CR.
    let (_, reply) = parse_complete(b"211-Status\r\r\n x\r\n211 End\r\n").unwrap();
    let e = reply
        .payload()
        .unwrap()
        .encode_to(reply.code(), &mut [0u8; 256])
        .unwrap_err();
    assert_eq!(e.kind(), ErrorKind::Payload(PayloadError::Unencodable));
}

/// Middle lines without a last line: a block `code-first`, the middle
/// lines, `code SP` (not a single line that drops them; mutation: one
/// line whenever `last` is `None`).
#[test]
fn write_reply_keeps_middle_lines_without_a_last() {
    let wire = write_214(b"Help", &[b" ABOR"], None).unwrap();
    assert_eq!(wire, b"214-Help\r\n ABOR\r\n214 \r\n");
    let (_, r) = parse_complete(&wire).unwrap();
    assert_eq!(r.lines().collect::<Vec<_>>(), [&b"Help"[..], b" ABOR", b""]);
}

/// SliceWriter::put: BufferFull at the bytes written so far (mutation:
/// at 0; `write_reply` hides it).
#[test]
fn slice_writer_full_at_len() {
    let mut buf = [0u8; 4];
    let mut w = SliceWriter::new(&mut buf);
    w.put(b"ab").unwrap();
    assert_eq!(w.put(b"cde"), Err(Error::new(ErrorKind::BufferFull, 2)));
}

/// FmtSink::put: NotUtf8 at the bytes written so far (mutation: at 0).
#[test]
fn fmt_sink_not_utf8_at_len() {
    let mut s = String::new();
    let mut f = FmtSink::new(&mut s);
    f.put(b"ab").unwrap();
    assert_eq!(
        f.put(b"\xff"),
        Err(Error::new(ErrorKind::Payload(PayloadError::NotUtf8), 2))
    );
}

/// A sink's own error comes back from a formatted write, not
/// BufferFull (mutation: `put_with` returns BufferFull).
#[test]
fn a_sinks_own_error_comes_back() {
    struct Refusing(usize);
    impl Sink for Refusing {
        fn put(&mut self, bytes: &[u8]) -> Result<(), Error> {
            if self.0 + bytes.len() > 4 {
                return Err(Error::new(
                    ErrorKind::Payload(PayloadError::NotUtf8),
                    self.0,
                ));
            }
            self.0 += bytes.len();
            Ok(())
        }
    }
    let p = Payload::Passive(PassiveAddr {
        ip: [127, 0, 0, 1].into(),
        port: 21,
    });
    assert_eq!(
        p.encode(ReplyCode::new(227).unwrap(), &mut Refusing(0)),
        Err(Error::new(ErrorKind::Payload(PayloadError::NotUtf8), 4))
    );
}
