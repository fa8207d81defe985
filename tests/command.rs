//! The command writer: Telnet's IAC (byte 255) doubled, CR, LF and NUL
//! refused, the exact length returned, `BufferFull` when the doubled line
//! does not fit.

use ftp_reply::{Command, ErrorKind, PayloadError};
use proptest::prelude::*;

/// The wire form RFC 959 and RFC 854 ask for: `NAME[ SP arg] CRLF` with
/// every 255 of `arg` written as 255 255.
fn expected(command: Command, arg: Option<&[u8]>) -> Vec<u8> {
    let mut out = command.name().as_bytes().to_vec();
    // An empty argument is written as none: RFC 959 has no `NAME SP CRLF`.
    if let Some(arg) = arg.filter(|a| !a.is_empty()) {
        out.push(b' ');
        for &b in arg {
            out.push(b);
            if b == 255 {
                out.push(255);
            }
        }
    }
    out.extend_from_slice(b"\r\n");
    out
}

#[test]
fn iac_doubled_exact_bytes() {
    let cases: &[(Command, &[u8], &[u8])] = &[
        (Command::Retr, b"\xff", b"RETR \xff\xff\r\n"),
        (Command::Cwd, b"dir\xffname", b"CWD dir\xff\xffname\r\n"),
        (
            Command::Stor,
            b"\xff\xff\xff",
            b"STOR \xff\xff\xff\xff\xff\xff\r\n",
        ),
        (Command::Site, b"\xfe\xfd\xfb", b"SITE \xfe\xfd\xfb\r\n"),
    ];
    for (i, &(command, arg, want)) in cases.iter().enumerate() {
        let mut buf = [0u8; 64];
        let n = command.write_to(Some(arg), &mut buf).unwrap();
        assert_eq!(n, want.len(), "case {i}");
        assert_eq!(&buf[..n], want, "case {i}");
        // Exactly that many bytes suffice; one fewer is BufferFull.
        assert_eq!(
            command.write_to(Some(arg), &mut vec![0u8; want.len()]),
            Ok(want.len()),
            "case {i}"
        );
        let e = command
            .write_to(Some(arg), &mut vec![0u8; want.len() - 1])
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::BufferFull, "case {i}");
    }
}

#[test]
fn line_ends_and_nul_still_refused() {
    let cases: &[(&[u8], usize)] = &[
        (b"\xff\r\nDELE x", 1),
        (b"\xff\xffx\n", 3),
        (b"\xff\0", 1),
        (b"\r\xff", 0),
    ];
    for (i, &(arg, at)) in cases.iter().enumerate() {
        let e = Command::Retr
            .write_to(Some(arg), &mut [0u8; 64])
            .unwrap_err();
        assert_eq!(
            e.kind(),
            ErrorKind::Payload(PayloadError::ForbiddenArgument),
            "case {i}"
        );
        assert_eq!(e.offset(), at, "case {i}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn any_argument(
        index in 0..Command::ALL.len(),
        arg in proptest::collection::vec(
            prop_oneof![3 => any::<u8>(), 1 => Just(255u8)]
                .prop_filter("no CR, LF, NUL", |b| !matches!(b, b'\r' | b'\n' | 0)),
            0..40,
        ),
        some in any::<bool>(),
    ) {
        let command = Command::ALL[index];
        let arg = some.then_some(&arg[..]);
        let want = expected(command, arg);
        let mut buf = vec![0u8; want.len()];
        prop_assert_eq!(command.write_to(arg, &mut buf), Ok(want.len()));
        prop_assert_eq!(&buf, &want);
        let mut short = vec![0u8; want.len() - 1];
        prop_assert_eq!(
            command.write_to(arg, &mut short).map_err(|e| e.kind()),
            Err(ErrorKind::BufferFull)
        );
    }
}

/// `write_to_fmt`: the same line as `write_to` through any `fmt::Write`,
/// the UTF-8 argument as it is; CR, LF and NUL refused at the byte; a
/// writer that fails is `BufferFull` at the count of bytes written
/// through it before the failure.
#[test]
fn write_to_fmt_writes_refuses_and_counts() {
    let mut s = String::new();
    Command::Cwd
        .write_to_fmt(Some("/caf\u{e9}"), &mut s)
        .unwrap();
    assert_eq!(s.as_bytes(), "CWD /caf\u{e9}\r\n".as_bytes());
    let mut wire = [0u8; 32];
    let n = Command::Cwd
        .write_to(Some("/caf\u{e9}".as_bytes()), &mut wire)
        .unwrap();
    assert_eq!(&wire[..n], s.as_bytes());
    let mut s = String::new();
    Command::Pasv.write_to_fmt(None, &mut s).unwrap();
    assert_eq!(s, "PASV\r\n");
    // An empty argument is none, in every writer: no `CWD SP CRLF`.
    let mut s = String::new();
    Command::List.write_to_fmt(Some(""), &mut s).unwrap();
    assert_eq!(s, "LIST\r\n");
    let mut wire = [0u8; 8];
    let n = Command::Cwd.write_to(Some(b""), &mut wire).unwrap();
    assert_eq!(&wire[..n], b"CWD\r\n");

    let e = Command::Cwd
        .write_to_fmt(Some("x\r\nDELE y"), &mut String::new())
        .unwrap_err();
    assert_eq!(
        (e.kind(), e.offset()),
        (ErrorKind::Payload(PayloadError::ForbiddenArgument), 1)
    );

    // A writer that takes 6 bytes: "RETR " (5) goes through, the argument
    // does not.
    let mut small = heapless::String::<6>::new();
    let e = Command::Retr
        .write_to_fmt(Some("hello.txt"), &mut small)
        .unwrap_err();
    assert_eq!((e.kind(), e.offset()), (ErrorKind::BufferFull, 5));
    assert_eq!(small.as_str(), "RETR ");
}
