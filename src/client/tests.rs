//! Unit tests of the engine's pieces; whole sessions are in
//! `tests/client_sessions.rs`.

#[cfg(test)] // the whole file is: mod.rs includes it under cfg(test)
extern crate std;

use super::*;
use core::net::Ipv4Addr;

const PEER: IpAddr = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1));

#[test]
fn decimal() {
    let mut b = [0; 20];
    assert_eq!(format_u64(0, &mut b), b"0");
    assert_eq!(format_u64(524_288, &mut b), b"524288");
    assert_eq!(format_u64(u64::MAX, &mut b), b"18446744073709551615");
}

/// The traits the API promises on the engine's types, checked at build:
/// events are plain values (`Copy`: a `match *event` needs no clone), and
/// the error types can key a map.
#[test]
fn trait_promises() {
    fn value<T: Copy + PartialEq + Eq + core::fmt::Debug>() {}
    fn key<T: core::hash::Hash + Eq + Copy>() {}
    value::<Event<'static>>();
    value::<EventKind<'static>>();
    key::<ClientError>();
    key::<Failure>();
    key::<FailReason>();
    key::<CloseReason>();
    key::<DataTarget>();
    key::<FeatureSet>();
}

#[test]
fn size_bound() {
    assert!(core::mem::size_of::<Client<512>>() < 512 + 256);
    assert!(core::mem::size_of::<Client<4096>>() < 4096 + 256);
}

#[test]
fn queue_in_order() {
    let mut q = TxQueue::<64>::new();
    q.push(Command::Epsv, None).unwrap();
    q.push(Command::Rest, Some(b"10")).unwrap();
    q.push(Command::Retr, Some(b"f")).unwrap();
    q.release();
    assert_eq!(q.out(), b"EPSV\r\n");
    assert_eq!(q.current(), Some(Command::Epsv));
    q.taken(6);
    assert!(q.is_sent());
    assert!(q.resend_as(Command::Pasv));
    assert!(!q.is_sent());
    assert_eq!(q.out(), b"PASV\r\n");
    q.taken(6);
    q.drop_current();
    assert!(q.front_is(Command::Rest));
    q.release();
    assert_eq!(q.out(), b"REST 10\r\n");
    assert!(!q.resend_as(Command::Pasv), "REST is not EPSV's length");
    q.drop_current();
    q.release();
    assert_eq!(q.out(), b"RETR f\r\n");
}

#[test]
fn queue_skips_forward() {
    let mut q = TxQueue::<64>::new();
    q.push(Command::Pass, Some(b"p")).unwrap();
    q.push(Command::Acct, Some(b"a")).unwrap();
    assert!(q.skip_to(Command::Acct));
    q.release();
    assert_eq!(q.out(), b"ACCT a\r\n");
    q.drop_current();
    assert!(!q.skip_to(Command::User));
    assert_eq!(q.out(), b"");
}

#[test]
fn queue_writes_what_write_to_writes() {
    let args: [Option<&[u8]>; 5] = [
        None,
        Some(b""),
        Some(b"a b"),
        Some(&[255, b'x', 255]),
        Some(&[0xC3, 0xA9]),
    ];
    for cmd in Command::ALL {
        for arg in args {
            let mut q = TxQueue::<64>::new();
            q.push(*cmd, arg).unwrap();
            q.release();
            let mut want = [0u8; 64];
            let n = cmd.write_to(arg, &mut want).unwrap();
            if *cmd == Command::Pass && arg == Some(b"") {
                // An empty password keeps its space (`Client::login`).
                assert_eq!(q.out(), b"PASS \r\n");
            } else {
                assert_eq!(q.out(), &want[..n], "{cmd} {arg:?}");
            }
        }
    }
    for bad in [&b"a\rb"[..], b"a\nb", b"a\0b"] {
        let mut q = TxQueue::<64>::new();
        let got = q.push(Command::Cwd, Some(bad)).unwrap_err();
        let want = Command::Cwd
            .write_to(Some(bad), &mut [0u8; 64])
            .unwrap_err();
        assert_eq!(got, want);
        assert_eq!(q.out(), b"");
    }
    let mut q = TxQueue::<8>::new();
    // Both refuse; the offsets say where each stopped (the writer before
    // the piece that did not fit, the queue at the byte).
    let got = q.push(Command::Retr, Some(b"toolong")).unwrap_err();
    let want = Command::Retr
        .write_to(Some(b"toolong"), &mut [0u8; 8])
        .unwrap_err();
    assert_eq!(got.kind(), want.kind());
    assert_eq!(q.out(), b"");
}

#[test]
fn queue_refuses_what_does_not_fit() {
    let mut q = TxQueue::<16>::new();
    let e = q
        .push(Command::Retr, Some(b"a-very-long-name"))
        .unwrap_err();
    assert_eq!(e.kind(), crate::ErrorKind::BufferFull);
    assert_eq!(q.out(), b"");
    // Behind a queued line: the offset counts the bytes this push wrote
    // before it stopped (`RETR name\r`, the 10 left; the command writer,
    // which writes CRLF whole, stops at 9), not from the buffer's start,
    // and the queued line is kept alone.
    let mut q = TxQueue::<16>::new();
    q.push(Command::Noop, None).unwrap();
    let e = q.push(Command::Retr, Some(b"name")).unwrap_err();
    assert_eq!((e.kind(), e.offset()), (crate::ErrorKind::BufferFull, 10));
    q.release();
    assert_eq!(q.out(), b"NOOP\r\n");
    q.drop_current();
    assert_eq!(q.current(), None);
    let mut c = Client::<64, 16>::new(PEER);
    assert!(matches!(
        c.retrieve(b"a-very-long-name", 0),
        Err(ClientError::Argument(_))
    ));
    assert!(c.is_idle());
    assert!(c.noop().is_ok());
}

#[test]
fn forbidden_bytes_are_refused() {
    let mut c = Client::<64>::new(PEER);
    let e = c.cwd(b"a\r\nDELE b").unwrap_err();
    let ClientError::Argument(e) = e else {
        panic!("{e:?}")
    };
    assert_eq!(e.offset(), 1);
    assert!(c.raw(b"SITE x\0").is_err());
    assert!(c.is_idle());
}

#[test]
fn feature_bits_round_trip() {
    for b in 0..128u8 {
        assert_eq!(FeatureSet::from_bits(b).bits(), b);
    }
    let all = FeatureSet::from_bits(127);
    assert!(
        all.epsv && all.mlst && all.size && all.mdtm && all.rest_stream && all.utf8 && all.utf8_on
    );
}

/// What a firmware logs for each refusal and each failure: every arm of
/// `ClientError`'s and `Failure`'s `Display`.
#[test]
fn errors_and_failures_display() {
    use std::string::ToString;
    let nul = Error::new(
        crate::ErrorKind::Payload(crate::PayloadError::ForbiddenArgument),
        1,
    );
    for (e, want) in [
        (ClientError::Busy, "another operation is running"),
        (ClientError::Closed, "the session is closed"),
        (
            ClientError::NoTransfer,
            "no transfer waits for a data connection report",
        ),
    ] {
        assert_eq!(e.to_string(), want);
    }
    assert_eq!(
        ClientError::Argument(nul).to_string(),
        std::format!("bad argument: {nul}")
    );
    for (c, want) in [
        (230, "the server sent a 230 reply that no command asked for"),
        (
            110,
            "the server sent a 110 reply that no command asked for, or to one that takes none",
        ),
    ] {
        let c = ReplyCode::new(c).unwrap();
        assert_eq!(CloseReason::Unexpected(c).to_string(), want);
    }
    let code = ReplyCode::new(550);
    let failure = |command, code, reason| Failure {
        command,
        code,
        reason,
    };
    let bad = crate::parse_complete(b"2x0 ok\r\n").unwrap_err();
    for (f, want) in [
        (
            failure(Some(Command::Retr), code, FailReason::Refused),
            "RETR failed: the server answered 550",
        ),
        (
            failure(None, None, FailReason::Refused),
            "the command failed: refused",
        ),
        (
            failure(Some(Command::Epsv), None, FailReason::PortZero),
            "EPSV failed: the passive reply named port 0",
        ),
        (
            failure(Some(Command::Pass), code, FailReason::NoAccount),
            "PASS failed: the server asks for an account",
        ),
        (
            failure(Some(Command::Stor), None, FailReason::DataConnection),
            "STOR failed: the data connection failed",
        ),
    ] {
        assert_eq!(f.to_string(), want);
    }
    assert_eq!(
        failure(Some(Command::Pasv), None, FailReason::Malformed(bad)).to_string(),
        std::format!("PASV failed: unreadable reply: {bad}")
    );
    assert_eq!(
        failure(Some(Command::Retr), code, FailReason::Malformed(bad)).to_string(),
        std::format!("RETR failed: unreadable {} reply: {bad}", code.unwrap())
    );
}

/// `Session`'s errors in words: its own arms, and the engine's passed
/// through as they print.
#[cfg(feature = "embedded-io")]
#[test]
fn session_errors_display() {
    use std::string::ToString;
    type E = SessionError<u8>;
    let refused = Failure {
        command: Some(Command::Dele),
        code: ReplyCode::new(550),
        reason: FailReason::Refused,
    };
    let full = Error::new(crate::ErrorKind::BufferFull, 4);
    for (e, want) in [
        (E::Io(7), "control connection: 7".to_string()),
        (
            E::Data(embedded_io::ErrorKind::TimedOut),
            "data connection: TimedOut".to_string(),
        ),
        (E::Client(ClientError::Busy), ClientError::Busy.to_string()),
        (
            E::Failed(refused),
            "DELE failed: the server answered 550".to_string(),
        ),
        (
            E::Closed(CloseReason::Quit),
            "session ended (QUIT)".to_string(),
        ),
        (E::Unexpected, "unexpected reply".to_string()),
        (
            E::BufferFull(full),
            std::format!("the reply's value does not fit: {full}"),
        ),
    ] {
        assert_eq!(e.to_string(), want);
    }
}

/// Module doc, "Passive mode": a 3xx to EPSV (a 350, a 331: no answer
/// RFC 2428 gives it) falls back to PASV for the session, as a 5xx does,
/// where it failed the transfer as `Refused` (the `client` example then
/// started it again with PASV on its own).
#[test]
fn a_3xx_to_epsv_falls_back_to_pasv_for_the_session() {
    for answer in [
        &b"350 Requested file action pending further information.\r\n"[..],
        b"331 Say more.\r\n",
    ] {
        let mut c = Client::<512>::new(PEER);
        c.login(b"ftp", b"guest@", None).unwrap();
        assert_eq!(c.receive(b"230 ready\r\n"), 11);
        assert_eq!(c.poll_event().unwrap().kind, EventKind::LoggedIn);
        assert!(c.poll_event().is_none());
        c.retrieve(b"f", 0).unwrap();
        assert_eq!(c.transmit(), b"EPSV\r\n");
        c.sent(6);
        assert_eq!(c.receive(answer), answer.len());
        assert!(c.poll_event().is_none(), "{}", answer.escape_ascii());
        assert_eq!(c.transmit(), b"PASV\r\n");
        assert!(c.passive_fallback());
        c.sent(6);
        let pasv = b"227 Entering Passive Mode (192,0,2,1,117,48).\r\n";
        assert_eq!(c.receive(pasv), pasv.len());
        let ev = c.poll_event().unwrap();
        let EventKind::Connect(t) = ev.kind else {
            panic!("{:?}", ev.kind)
        };
        assert_eq!(t.connect_to, SocketAddr::new(PEER, 30000));
        c.data_connected().unwrap();
        assert_eq!(c.transmit(), b"RETR f\r\n");
    }
}
