//! Claims of the client engine's docs (`src/client/`, `src/io.rs`) that
//! no other test caught when the code was changed to break them (a
//! mutation audit): each test here fails under its mutation, named in its
//! comment, and passes on the code as it is.
//!
//! The reply texts are real servers' (vsftpd 3.0, ProFTPD 1.3, BusyBox
//! ftpd, FileZilla Server), or the RFC's own where no server of those
//! sends the code.

use core::net::{IpAddr, Ipv4Addr, SocketAddr};

use ftp_reply::Command;
use ftp_reply::client::{Client, ClientError, CloseReason, Event, EventKind, FailReason, Waiting};

const PEER: IpAddr = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1));

/// The server sends `bytes`: the engine takes them all.
fn recv<const N: usize>(c: &mut Client<N>, bytes: &[u8]) {
    assert_eq!(c.receive(bytes), bytes.len(), "{}", bytes.escape_ascii());
}

/// The engine must send exactly `want` now; it is sent.
fn send<const N: usize>(c: &mut Client<N>, want: &[u8]) {
    assert_eq!(
        c.transmit().escape_ascii().to_string(),
        want.escape_ascii().to_string()
    );
    c.sent(want.len());
}

/// The code of the reply an event lends.
fn code(ev: &Event<'_>) -> Option<u16> {
    ev.reply.map(|r| r.code().get())
}

/// No event now.
fn quiet<const N: usize>(c: &mut Client<N>) {
    if let Some(ev) = c.poll_event() {
        panic!("unexpected event {:?}", ev.kind);
    }
}

/// Logged in after a one-line greeting, and `f` asked for: the engine's
/// next line is the EPSV (or PASV) that opens the transfer.
fn fetching(c: &mut Client<512>) {
    c.login(b"ftptest", b"secret", None).unwrap();
    recv(c, b"220 ready\r\n");
    quiet(c);
    send(c, b"USER ftptest\r\n");
    recv(c, b"230 logged in\r\n");
    assert_eq!(c.poll_event().unwrap().kind, EventKind::LoggedIn);
    c.retrieve(b"f", 0).unwrap();
}

/// Logged in to ProFTPD as ftptest.
fn logged_in<const N: usize>() -> Client<N> {
    let mut c = Client::<N>::new(PEER);
    c.login(b"ftptest", b"secret", None).unwrap();
    recv(&mut c, b"220 ProFTPD Server ready.\r\n");
    quiet(&mut c);
    send(&mut c, b"USER ftptest\r\n");
    recv(&mut c, b"331 Password required for ftptest\r\n");
    quiet(&mut c);
    send(&mut c, b"PASS secret\r\n");
    recv(&mut c, b"230 User ftptest logged in\r\n");
    let ev = c.poll_event().unwrap();
    assert_eq!((ev.kind, code(&ev)), (EventKind::LoggedIn, Some(230)));
    quiet(&mut c);
    c
}

/// A transfer started with `start`, through EPSV to the `Connect` event:
/// the engine waits for the data connection.
fn at_connect<const N: usize>(
    c: &mut Client<N>,
    start: fn(&mut Client<N>) -> Result<(), ClientError>,
) {
    start(c).unwrap();
    send(c, b"EPSV\r\n");
    recv(c, b"229 Entering Extended Passive Mode (|||40001|)\r\n");
    let ev = c.poll_event().unwrap();
    let EventKind::Connect(t) = ev.kind else {
        panic!("{:?}", ev.kind)
    };
    assert_eq!(t.connect_to, SocketAddr::new(PEER, 40001));
    quiet(c);
    assert_eq!(c.waiting(), Waiting::DataConnection);
}

/// [`at_connect`], then the data connection opened and the transfer line
/// `line` sent.
fn connected<const N: usize>(
    c: &mut Client<N>,
    start: fn(&mut Client<N>) -> Result<(), ClientError>,
    line: &[u8],
) {
    at_connect(c, start);
    c.data_connected().unwrap();
    send(c, line);
}

/// NOOP, answered: the session goes on.
fn noop_works<const N: usize>(c: &mut Client<N>) {
    c.noop().unwrap();
    send(c, b"NOOP\r\n");
    recv(c, b"200 NOOP command successful\r\n");
    let ev = c.poll_event().unwrap();
    assert_eq!((ev.kind, code(&ev)), (EventKind::Done, Some(200)));
}

/// Module doc: "a 226 in place of the 150 fails RETR, STOR and APPE".
/// APPE too (mutation: APPE's 226 with no 150 taken as a listing's empty
/// transfer).
#[test]
fn append_226_in_place_of_150_fails() {
    let mut c = logged_in::<512>();
    connected(
        &mut c,
        |c| c.append(b"upload/log.txt"),
        b"APPE upload/log.txt\r\n",
    );
    recv(&mut c, b"226 Transfer complete.\r\n");
    let ev = c.poll_event().unwrap();
    let EventKind::Failed(f) = ev.kind else {
        panic!("{:?}", ev.kind)
    };
    assert_eq!(
        (f.command, f.code.map(|c| c.get()), f.reason),
        (Some(Command::Appe), Some(226), FailReason::Refused)
    );
    assert_eq!(code(&ev), Some(226));
    quiet(&mut c);
    assert!(c.is_idle());
    noop_works(&mut c);
}

/// Module doc: a 226 in place of the 150 "is an empty listing for LIST,
/// NLST and MLSD". NLST too (mutation: NLST's 226 with no 150 fails).
#[test]
fn nlst_226_with_no_150_is_an_empty_listing() {
    let mut c = logged_in::<512>();
    connected(&mut c, |c| c.nlst(None), b"NLST\r\n");
    recv(&mut c, b"226 Transfer complete.\r\n");
    let ev = c.poll_event().unwrap();
    assert_eq!(
        (ev.kind, code(&ev)),
        (EventKind::TransferStarted(None), Some(226))
    );
    quiet(&mut c);
    c.data_end().unwrap();
    let ev = c.poll_event().unwrap();
    assert_eq!((ev.kind, code(&ev)), (EventKind::TransferDone, None));
    noop_works(&mut c);
}

/// `is_idle`: "True when no operation runs: another one may start". Not
/// once the control connection's end is reported, even before `Closed`
/// comes out (mutation: `is_idle` ignores the reported end).
#[test]
fn is_idle_is_false_once_the_control_connection_ended() {
    let mut c = logged_in::<512>();
    assert!(c.is_idle());
    c.control_closed();
    assert!(!c.is_idle());
    assert_eq!(c.noop(), Err(ClientError::Closed));
    let ev = c.poll_event().unwrap();
    assert_eq!(
        (ev.kind, code(&ev)),
        (EventKind::Closed(CloseReason::ConnectionLost), None)
    );
    assert!(!c.is_idle());
}

/// `is_closed`: "True once the session is closed (after its Closed
/// event)": not before it, while the replies received before the end are
/// still to be read (mutation: `is_closed` true as soon as
/// `control_closed` is called).
#[test]
fn is_closed_only_once_the_closed_event_is_given() {
    let mut c = logged_in::<512>();
    c.quit().unwrap();
    send(&mut c, b"QUIT\r\n");
    recv(&mut c, b"221 Goodbye.\r\n");
    c.control_closed();
    assert!(!c.is_closed());
    let ev = c.poll_event().unwrap();
    assert_eq!(
        (ev.kind, code(&ev)),
        (EventKind::Closed(CloseReason::Quit), Some(221))
    );
    assert!(c.is_closed());
    // Control closed with nothing left to read: still not before `Closed`.
    let mut c = logged_in::<512>();
    c.control_closed();
    assert!(!c.is_closed());
    assert!(matches!(
        c.poll_event().map(|e| e.kind),
        Some(EventKind::Closed(CloseReason::ConnectionLost))
    ));
    assert!(c.is_closed());
}

/// `receive`: "After the session is closed ... bytes are taken and
/// ignored", and `buffered` stays 0 (mutation: `receive` after `Closed`
/// pushes into the reply buffer, taking only what fits).
#[test]
fn bytes_after_the_close_are_taken_and_ignored() {
    let mut c = logged_in::<64>();
    recv(&mut c, b"421 Timeout.\r\n");
    let ev = c.poll_event().unwrap();
    assert_eq!(code(&ev), Some(421));
    assert!(matches!(
        ev.kind,
        EventKind::Closed(CloseReason::ServiceClosing(_))
    ));
    assert!(c.poll_event().is_none());
    assert_eq!(c.buffered(), 0);
    // More than the 64-byte reply buffer holds: all taken, none held.
    let late = b"200 NOOP command successful\r\n".repeat(8);
    assert_eq!(c.receive(&late), late.len());
    assert_eq!(c.buffered(), 0);
    assert!(c.poll_event().is_none());
    assert_eq!(c.transmit(), b"");
}

/// `data_connected`: `NoTransfer` "when no Connect event is waiting for
/// it"; once the timer fired, the session is closing and none waits
/// (mutation: `data_connected` ignores the timer's pending close).
#[test]
fn data_connected_after_the_timer_is_refused() {
    let mut c = logged_in::<512>();
    at_connect(&mut c, |c| c.retrieve(b"hello.txt", 0));
    assert_eq!(c.timer_fired(), Waiting::DataConnection);
    assert_eq!(c.data_connected(), Err(ClientError::NoTransfer));
    assert_eq!(c.transmit(), b"");
    let ev = c.poll_event().unwrap();
    assert_eq!(
        ev.kind,
        EventKind::Closed(CloseReason::TimedOut(Waiting::DataConnection))
    );
    assert!(c.poll_event().is_none());
    assert_eq!(c.transmit(), b"");
}

/// `raw`'s errors: "Busy or Closed first, then EngineCommand" (mutation:
/// the engine's own commands are refused before the busy check).
#[test]
fn raw_is_busy_or_closed_before_it_is_an_engine_command() {
    let mut c = logged_in::<512>();
    c.noop().unwrap();
    assert_eq!(c.raw(b"PASV"), Err(ClientError::Busy));
    assert_eq!(c.raw(b"retr x"), Err(ClientError::Busy));
    send(&mut c, b"NOOP\r\n");
    recv(&mut c, b"421 Timeout.\r\n");
    assert!(matches!(
        c.poll_event().map(|e| e.kind),
        Some(EventKind::Closed(CloseReason::ServiceClosing(_)))
    ));
    assert_eq!(c.raw(b"PASV"), Err(ClientError::Closed));
    assert_eq!(c.raw(b"QUIT"), Err(ClientError::Closed));
}

/// `raw`: "the final one gives Done (2xx, 3xx)" (mutation: a 3xx fails
/// the raw command). ProFTPD's 350 to RNFR.
#[test]
fn raw_answered_with_3xx_is_done() {
    let mut c = logged_in::<512>();
    c.raw(b"RNFR hello.txt").unwrap();
    send(&mut c, b"RNFR hello.txt\r\n");
    recv(
        &mut c,
        b"350 File or directory exists, ready for destination name\r\n",
    );
    let ev = c.poll_event().unwrap();
    assert_eq!((ev.kind, code(&ev)), (EventKind::Done, Some(350)));
    quiet(&mut c);
    c.raw(b"RNTO renamed.txt").unwrap();
    send(&mut c, b"RNTO renamed.txt\r\n");
    recv(&mut c, b"250 Rename successful\r\n");
    let ev = c.poll_event().unwrap();
    assert_eq!((ev.kind, code(&ev)), (EventKind::Done, Some(250)));
}

/// Module doc: "A 421 at any point closes the session
/// (ServiceClosing)": while the engine waits for the caller's data
/// connection too (mutation: a 421 then is read as a reply no command
/// asked for, `Unexpected`).
#[test]
fn a_421_while_waiting_for_the_data_connection_is_service_closing() {
    let mut c = logged_in::<512>();
    at_connect(&mut c, |c| c.retrieve(b"hello.txt", 0));
    // vsftpd's idle timer.
    recv(&mut c, b"421 Timeout.\r\n");
    let ev = c.poll_event().unwrap();
    assert_eq!(code(&ev), Some(421));
    let EventKind::Closed(CloseReason::ServiceClosing(code)) = ev.kind else {
        panic!("{:?}", ev.kind)
    };
    assert_eq!(code.get(), 421);
    assert!(c.is_closed());
    assert_eq!(c.data_connected(), Err(ClientError::NoTransfer));
}

/// `feat`: FEAT "Gives Features ... or Failed on another error reply":
/// a 2xx other than 211 is a FEAT with no list, empty features (mutation:
/// it fails). RFC 959's 202 text.
#[test]
fn feat_answered_with_another_2xx_gives_empty_features() {
    let mut c = logged_in::<512>();
    c.feat().unwrap();
    send(&mut c, b"FEAT\r\n");
    recv(
        &mut c,
        b"202 Command not implemented, superfluous at this site.\r\n",
    );
    let ev = c.poll_event().unwrap();
    assert_eq!(code(&ev), Some(202));
    let EventKind::Features(f) = ev.kind else {
        panic!("{:?}", ev.kind)
    };
    assert_eq!(f, ftp_reply::client::FeatureSet::EMPTY);
    assert_eq!(c.features(), ftp_reply::client::FeatureSet::EMPTY);
    quiet(&mut c);
    assert!(c.is_idle());
    assert_eq!(c.transmit(), b"");
}

/// Module doc: a 220 after the greeting "is skipped whenever it comes":
/// right after a transfer's 226 too, where another reply would close the
/// session once the data ends (mutation: a 220 there closes it,
/// `Unexpected(220)` after `TransferDone`).
#[test]
fn a_220_after_226_is_skipped() {
    let mut c = logged_in::<512>();
    connected(
        &mut c,
        |c| c.retrieve(b"hello.txt", 0),
        b"RETR hello.txt\r\n",
    );
    recv(
        &mut c,
        b"150 Opening BINARY mode data connection for hello.txt (12 bytes)\r\n",
    );
    let ev = c.poll_event().unwrap();
    assert_eq!(ev.kind, EventKind::TransferStarted(Some(12)));
    recv(&mut c, b"226 Transfer complete\r\n");
    quiet(&mut c);
    recv(&mut c, b"220 ProFTPD Server ready.\r\n");
    quiet(&mut c);
    c.data_end().unwrap();
    let ev = c.poll_event().unwrap();
    assert_eq!((ev.kind, code(&ev)), (EventKind::TransferDone, None));
    quiet(&mut c);
    assert!(!c.is_closed());
    noop_works(&mut c);
}

/// `Session::announced_size` is the size "the last transfer's 125 or 150
/// announced": the engine reads a 125's as a 150's (mutation: a 125's
/// size is dropped). The 4.4BSD ftpd's (and wu-ftpd's) wording when the
/// data connection is open already: `reply(125, "Using existing data
/// connection for %s%s.", name, sizebuf)`.
#[test]
fn a_125_gives_its_size_as_a_150_does() {
    let mut c = logged_in::<512>();
    connected(
        &mut c,
        |c| c.retrieve(b"hello.txt", 0),
        b"RETR hello.txt\r\n",
    );
    recv(
        &mut c,
        b"125 Using existing data connection for hello.txt (12 bytes).\r\n",
    );
    let ev = c.poll_event().unwrap();
    assert_eq!(
        (ev.kind, code(&ev)),
        (EventKind::TransferStarted(Some(12)), Some(125))
    );
}

/// Module doc, "Passive mode": the session falls back to PASV when EPSV
/// is refused with a 5xx, answered with a 2xx other than a 229 whose
/// address cannot be read, or its 229's port cannot be reached; "A 229
/// that cannot be read fails the transfer, as in curl", and "A port of 0
/// fails the operation": neither of those falls back, and the next
/// transfer tries EPSV again (mutation: an unreadable 229 sets the
/// session's fallback; `passive_fallback` turns true, the next transfer
/// sends PASV).
#[test]
fn an_unreadable_229_fails_without_falling_back() {
    let mut c = logged_in::<512>();
    for (answer, reason) in [
        (
            &b"229 Entering Extended Passive Mode (|||70000|)\r\n"[..],
            "Malformed",
        ),
        (
            b"229 Entering Extended Passive Mode (|||0|)\r\n",
            "PortZero",
        ),
    ] {
        c.retrieve(b"hello.txt", 0).unwrap();
        send(&mut c, b"EPSV\r\n");
        recv(&mut c, answer);
        let ev = c.poll_event().unwrap();
        assert_eq!(code(&ev), Some(229));
        let EventKind::Failed(f) = ev.kind else {
            panic!("{:?}", ev.kind)
        };
        assert_eq!(
            (f.command, f.code.map(|c| c.get())),
            (Some(Command::Retr), Some(229))
        );
        assert!(format!("{:?}", f.reason).starts_with(reason), "{f:?}");
        quiet(&mut c);
        assert_eq!(c.transmit(), b"", "no PASV for this transfer");
        assert!(!c.passive_fallback());
    }
    c.retrieve(b"hello.txt", 0).unwrap();
    send(&mut c, b"EPSV\r\n");
}

/// `Client`'s `T`: the transmit buffer holds every line an operation
/// queues when it starts, the first and those it sends later; `login`'s
/// "all three lines must fit", `rename`'s "both lines must fit", and a
/// resumed retrieve's EPSV, REST and RETR lines (6 + 10 + 11 = 27 bytes
/// here): a buffer one byte short refuses the operation with
/// `BufferFull`, sends nothing and leaves the session idle; one that fits
/// exactly sends every line (mutation: a line's room one byte short).
#[test]
fn every_line_an_operation_queues_must_fit_in_t() {
    fn refused<const T: usize>(start: fn(&mut Client<64, T>) -> Result<(), ClientError>) {
        let mut c = Client::<64, T>::new(PEER);
        let Err(ClientError::Argument(e)) = start(&mut c) else {
            panic!("T = {T} fits")
        };
        assert_eq!(e.kind(), ftp_reply::ErrorKind::BufferFull, "T = {T}");
        assert!(c.is_idle());
        assert_eq!(c.receive(b"220 ready\r\n"), 11);
        assert!(c.poll_event().is_none());
        assert_eq!(c.transmit(), b"", "T = {T}");
    }
    /// Feeds `reply`, then expects the engine to send `line`.
    fn step<const T: usize>(c: &mut Client<64, T>, reply: &[u8], line: &[u8]) {
        assert_eq!(c.receive(reply), reply.len());
        assert!(c.poll_event().is_none());
        assert_eq!(
            c.transmit().escape_ascii().to_string(),
            line.escape_ascii().to_string()
        );
        c.sent(line.len());
    }

    // USER user, PASS pass, ACCT acct: 11 bytes each.
    refused::<32>(|c| c.login(b"user", b"pass", Some(b"acct")));
    let mut c = Client::<64, 33>::new(PEER);
    c.login(b"user", b"pass", Some(b"acct")).unwrap();
    step(&mut c, b"220 ready\r\n", b"USER user\r\n");
    step(&mut c, b"331 Password required\r\n", b"PASS pass\r\n");
    step(&mut c, b"332 Need account for login.\r\n", b"ACCT acct\r\n");
    assert_eq!(c.receive(b"230 Logged in\r\n"), 15);
    assert_eq!(c.poll_event().unwrap().kind, EventKind::LoggedIn);

    // RNFR a, RNTO b: 8 bytes each.
    refused::<15>(|c| c.rename(b"a", b"b"));
    let mut c = Client::<64, 16>::new(PEER);
    c.rename(b"a", b"b").unwrap();
    step(&mut c, b"220 ready\r\n", b"RNFR a\r\n");
    step(&mut c, b"350 Ready for RNTO.\r\n", b"RNTO b\r\n");

    // EPSV, REST 100, RETR file: REST and RETR alone (21 bytes) are not
    // enough.
    refused::<21>(|c| c.retrieve(b"file", 100));
    refused::<26>(|c| c.retrieve(b"file", 100));
    let mut c = Client::<64, 27>::new(PEER);
    c.retrieve(b"file", 100).unwrap();
    step(&mut c, b"220 ready\r\n", b"EPSV\r\n");
    assert_eq!(c.receive(b"229 (|||40001|)\r\n"), 17);
    assert!(matches!(
        c.poll_event().map(|e| e.kind),
        Some(EventKind::Connect(_))
    ));
    c.data_connected().unwrap();
    step(&mut c, b"", b"REST 100\r\n");
    step(&mut c, b"350 Restarting at 100.\r\n", b"RETR file\r\n");
}

/// `timer_fired`: "When it was waiting for anything at all, the session
/// is closed (`CloseReason::TimedOut`, the next event)": closed at once,
/// so an operation started before that event is taken is refused as
/// `Closed`, as after `control_closed`, not `Busy` (mutation: `begin`
/// does not look at the timer's pending close).
#[test]
fn an_operation_after_the_timer_is_closed_not_busy() {
    let mut c = logged_in::<512>();
    c.binary().unwrap();
    send(&mut c, b"TYPE I\r\n");
    assert_eq!(c.timer_fired(), Waiting::Reply(Some(Command::Type)));
    assert_eq!(c.noop(), Err(ClientError::Closed));
    assert_eq!(c.retrieve(b"f", 0), Err(ClientError::Closed));
    assert!(!c.is_idle());
    let ev = c.poll_event().unwrap();
    assert_eq!(
        (ev.kind, code(&ev)),
        (
            EventKind::Closed(CloseReason::TimedOut(Waiting::Reply(Some(Command::Type)))),
            None
        )
    );
    assert!(c.is_closed());
    assert_eq!(c.noop(), Err(ClientError::Closed));
}

/// `quit`: "gives `Closed(Quit)` on the server's reply", whatever its
/// code: a server that does not know QUIT (500) or refuses it still ends
/// the session the caller asked to end (mutation: only a 221 closes as
/// `Quit`, another reply as `Unexpected`). The reply is lent.
#[test]
fn quit_answered_with_any_code_closes_as_quit() {
    for answer in [
        &b"221 Goodbye.\r\n"[..],
        b"500 QUIT not understood\r\n",
        b"530 Please login with USER and PASS.\r\n",
    ] {
        let mut c = logged_in::<512>();
        c.quit().unwrap();
        send(&mut c, b"QUIT\r\n");
        recv(&mut c, answer);
        let ev = c.poll_event().unwrap();
        let want = u16::from(answer[0] - b'0') * 100
            + u16::from(answer[1] - b'0') * 10
            + u16::from(answer[2] - b'0');
        assert_eq!(
            (ev.kind, code(&ev)),
            (EventKind::Closed(CloseReason::Quit), Some(want))
        );
        quiet(&mut c);
        assert!(c.is_closed());
    }
}

/// `Client`'s `Debug`: "what the engine waits for, what FEAT offered and
/// its reply buffer's fill, not the bytes" (mutation: it wrote nothing).
/// Half of vsftpd's greeting is held.
#[test]
fn debug_shows_the_wait_the_features_and_the_fill_not_the_bytes() {
    let mut c = Client::<512>::new(PEER);
    recv(&mut c, b"220 (vsFTPd 3.0");
    let shown = format!("{c:?}");
    assert_eq!(
        shown,
        format!(
            "Client {{ waiting: {:?}, features: {:?}, buffered: 15 }}",
            c.waiting(),
            c.features()
        )
    );
    assert!(!shown.contains("vsFTPd"), "{shown}");
}

#[cfg(feature = "embedded-io")]
#[path = "common/control.rs"]
mod control;

/// `client::Session` over a scripted control connection.
#[cfg(feature = "embedded-io")]
mod session {
    use super::PEER;
    use super::control::{EPSV, Server};
    use core::net::SocketAddr;
    use embedded_io::{ErrorKind, ErrorType, Read, Write};
    use ftp_reply::client::{Session, SessionError};

    /// Logged in to vsftpd, then `rest` answered.
    fn logged_in(rest: &[(&'static [u8], &'static [u8])]) -> Session<Server, 512> {
        let mut script: Vec<(&'static [u8], &'static [u8])> = vec![
            (b"USER ftptest\r\n", b"331 Please specify the password.\r\n"),
            (b"PASS secret\r\n", b"230 Login successful.\r\n"),
        ];
        script.extend_from_slice(rest);
        let server = Server::new(b"220 (vsFTPd 3.0.3)\r\n", script);
        let mut s = Session::<_, 512>::new(server, PEER);
        s.login(b"ftptest", b"secret").unwrap();
        s
    }

    /// A data connection (or any writer) that keeps what is written and
    /// counts its flushes; with `interrupt_first_flush`, the first flush
    /// is `Interrupted`. Reads give end of stream.
    #[derive(Default)]
    pub(super) struct Counting {
        pub(super) bytes: Vec<u8>,
        pub(super) flushes: usize,
        pub(super) interrupt_first_flush: bool,
    }

    impl ErrorType for Counting {
        type Error = ErrorKind;
    }

    impl Write for Counting {
        fn write(&mut self, buf: &[u8]) -> Result<usize, ErrorKind> {
            self.bytes.extend_from_slice(buf);
            Ok(buf.len())
        }

        fn flush(&mut self) -> Result<(), ErrorKind> {
            self.flushes += 1;
            if self.interrupt_first_flush && self.flushes == 1 {
                Err(ErrorKind::Interrupted)
            } else {
                Ok(())
            }
        }
    }

    impl Read for Counting {
        fn read(&mut self, _: &mut [u8]) -> Result<usize, ErrorKind> {
            Ok(0)
        }
    }

    /// Every scripted line was sent.
    fn all_sent(s: Session<Server, 512>) {
        let server = s.into_inner();
        assert!(server.script.is_empty(), "not sent: {:?}", server.script);
    }

    /// A data connection: `reads` one by one, then the end; what is
    /// written is kept.
    struct Data {
        reads: Vec<&'static [u8]>,
        written: Vec<u8>,
    }

    impl ErrorType for Data {
        type Error = ErrorKind;
    }

    impl Read for Data {
        fn read(&mut self, buf: &mut [u8]) -> Result<usize, ErrorKind> {
            if self.reads.is_empty() {
                return Ok(0);
            }
            let piece = self.reads.remove(0);
            buf[..piece.len()].copy_from_slice(piece);
            Ok(piece.len())
        }
    }

    impl Write for Data {
        fn write(&mut self, buf: &[u8]) -> Result<usize, ErrorKind> {
            self.written.extend_from_slice(buf);
            Ok(buf.len())
        }

        fn flush(&mut self) -> Result<(), ErrorKind> {
            Ok(())
        }
    }

    /// `Session::mkd` returns `None` "when the server answered with
    /// another positive code" (mutation: that is `Unexpected`). BusyBox
    /// ftpd's 257 quotes no name, and a 250 is another positive code.
    #[test]
    fn mkd_answered_with_another_positive_code_is_none() {
        let mut s = logged_in(&[
            (b"MKD new\r\n", b"257 Operation successful\r\n"),
            (
                b"MKD other\r\n",
                b"250 Requested file action okay, completed.\r\n",
            ),
            (b"MKD made\r\n", b"257 \"/made\" created\r\n"),
        ]);
        let mut out = [0u8; 16];
        assert_eq!(s.mkd(b"new", &mut out), Ok(None));
        assert_eq!(s.mkd(b"other", &mut out), Ok(None));
        assert_eq!(s.mkd(b"made", &mut out), Ok(Some(5)));
        assert_eq!(&out[..5], b"/made");
        all_sent(s);
    }

    /// `Session::retrieve` "returns the count of bytes given" to `on_data`
    /// (mutation: the count is off).
    #[test]
    fn retrieve_returns_the_bytes_given() {
        let mut s = logged_in(&[
            EPSV,
            (
                b"RETR hello.txt\r\n",
                b"150 Opening BINARY mode data connection for hello.txt (12 bytes).\r\n\
                  226 Transfer complete.\r\n",
            ),
        ]);
        let mut got = Vec::new();
        let n = s
            .retrieve(
                b"hello.txt",
                0,
                |_| {
                    Ok::<_, ErrorKind>(Data {
                        reads: vec![b"hello", b" world\n"],
                        written: Vec::new(),
                    })
                },
                |chunk| got.extend_from_slice(chunk),
            )
            .unwrap();
        assert_eq!((n, &got[..]), (12, &b"hello world\n"[..]));
        assert_eq!(s.announced_size(), Some(12));
        all_sent(s);
    }

    /// `Session::store` "returns the count of bytes sent", `source`
    /// returning 0 at the end (mutation: the count is off).
    #[test]
    fn store_returns_the_bytes_sent() {
        let mut s = logged_in(&[
            EPSV,
            (
                b"STOR up.txt\r\n",
                b"150 Ok to send data.\r\n226 Transfer complete.\r\n",
            ),
        ]);
        let mut pieces: Vec<&[u8]> = vec![b"hello", b" world\n"];
        let mut sent = Vec::new();
        let n = s
            .store(
                b"up.txt",
                false,
                |_| {
                    Ok::<_, ErrorKind>(Data {
                        reads: Vec::new(),
                        written: Vec::new(),
                    })
                },
                |buf| {
                    if pieces.is_empty() {
                        return 0;
                    }
                    let p = pieces.remove(0);
                    buf[..p.len()].copy_from_slice(p);
                    sent.extend_from_slice(p);
                    p.len()
                },
            )
            .unwrap();
        assert_eq!((n, &sent[..]), (12, &b"hello world\n"[..]));
        all_sent(s);
    }

    /// `Session::append` sends APPE and, as `store`, returns the count of
    /// bytes sent (mutation: it returned 0 or 1).
    #[test]
    fn append_returns_the_bytes_sent() {
        let mut s = logged_in(&[
            EPSV,
            (
                b"APPE up.txt\r\n",
                b"150 Ok to send data.\r\n226 Transfer complete.\r\n",
            ),
        ]);
        let mut piece: Option<&[u8]> = Some(b"more\n");
        let n = s.append(
            b"up.txt",
            |_| {
                Ok::<_, ErrorKind>(Data {
                    reads: Vec::new(),
                    written: Vec::new(),
                })
            },
            |buf| {
                let p = piece.take().unwrap_or_default();
                buf[..p.len()].copy_from_slice(p);
                p.len()
            },
        );
        assert_eq!(n, Ok(5));
        all_sent(s);
    }

    /// `Session::retrieve` over a 229 whose port cannot be reached: the
    /// engine sends PASV in EPSV's place and a second `Connect` follows
    /// its 227, which `connect` is asked for (mutation: the session gives
    /// up on the first failed connect with `Data`).
    #[test]
    fn an_unreachable_229_port_is_retried_over_pasv() {
        let mut s = logged_in(&[
            EPSV,
            (
                b"PASV\r\n",
                b"227 Entering Passive Mode (192,0,2,1,156,65).\r\n",
            ),
            (
                b"RETR hello.txt\r\n",
                b"150 Opening BINARY mode data connection for hello.txt (12 bytes).\r\n\
                  226 Transfer complete.\r\n",
            ),
        ]);
        let mut asked = Vec::new();
        let mut got = Vec::new();
        let n = s
            .retrieve(
                b"hello.txt",
                0,
                |to| {
                    asked.push(to);
                    if to.port() == 40000 {
                        Err(ErrorKind::ConnectionRefused)
                    } else {
                        Ok(Data {
                            reads: vec![b"hello world\n"],
                            written: Vec::new(),
                        })
                    }
                },
                |chunk| got.extend_from_slice(chunk),
            )
            .unwrap();
        assert_eq!(n, 12);
        assert_eq!(
            asked,
            [
                SocketAddr::new(PEER, 40000),
                SocketAddr::new(PEER, 156 * 256 + 65)
            ]
        );
        assert!(s.engine().passive_fallback());
        all_sent(s);
    }

    /// `Session::announced_size` is the size "the last transfer's 125 or
    /// 150 announced, if it did": a 150 that says none leaves none from
    /// the transfer before (mutation: the size is not reset per
    /// transfer). FileZilla Server's 150 says no size.
    #[test]
    fn announced_size_is_the_last_transfers() {
        let mut s = logged_in(&[
            EPSV,
            (
                b"RETR hello.txt\r\n",
                b"150 Opening BINARY mode data connection for hello.txt (12 bytes).\r\n\
                  226 Transfer complete.\r\n",
            ),
            EPSV,
            (
                b"RETR other.txt\r\n",
                b"150 Opening data channel for file download from server of \"/other.txt\"\r\n\
                  226 Successfully transferred \"/other.txt\"\r\n",
            ),
        ]);
        let data = |_| {
            Ok::<_, ErrorKind>(Data {
                reads: vec![b"hello world\n"],
                written: Vec::new(),
            })
        };
        s.retrieve(b"hello.txt", 0, data, |_| {}).unwrap();
        assert_eq!(s.announced_size(), Some(12));
        s.retrieve(b"other.txt", 0, data, |_| {}).unwrap();
        assert_eq!(s.announced_size(), None);
        all_sent(s);
    }

    /// `Session::announced_size`, as above: a transfer refused after its
    /// data connection opened (vsftpd's 550 in place of the 150) announced
    /// nothing (mutation: the size is not reset once the data connection
    /// is open).
    #[test]
    fn announced_size_is_none_after_a_refused_retr() {
        let mut s = logged_in(&[
            EPSV,
            (
                b"RETR hello.txt\r\n",
                b"150 Opening BINARY mode data connection for hello.txt (12 bytes).\r\n\
                  226 Transfer complete.\r\n",
            ),
            EPSV,
            (b"RETR gone.txt\r\n", b"550 Failed to open file.\r\n"),
        ]);
        let data = |_| {
            Ok::<_, ErrorKind>(Data {
                reads: vec![b"hello world\n"],
                written: Vec::new(),
            })
        };
        s.retrieve(b"hello.txt", 0, data, |_| {}).unwrap();
        assert_eq!(s.announced_size(), Some(12));
        let r = s.retrieve(b"gone.txt", 0, data, |_| {});
        assert!(matches!(r, Err(SessionError::Failed(_))), "{r:?}");
        assert_eq!(s.announced_size(), None);
        all_sent(s);
    }

    /// The same claim when the transfer fails before its data connection
    /// opens (mutation, and the bug this test found: the size reset only
    /// after `data_connected`, so a transfer that could not connect, or
    /// whose PASV was refused, reported the size of the one before it).
    #[test]
    fn announced_size_is_none_after_a_transfer_that_never_connected() {
        let mut s = logged_in(&[
            (
                b"PASV\r\n",
                b"227 Entering Passive Mode (192,0,2,1,156,65).\r\n",
            ),
            (
                b"RETR hello.txt\r\n",
                b"150 Opening BINARY mode data connection for hello.txt (12 bytes).\r\n\
                  226 Transfer complete.\r\n",
            ),
            (
                b"PASV\r\n",
                b"227 Entering Passive Mode (192,0,2,1,156,66).\r\n",
            ),
        ]);
        s.client().use_pasv();
        let data = |_| {
            Ok::<_, ErrorKind>(Data {
                reads: vec![b"hello world\n"],
                written: Vec::new(),
            })
        };
        s.retrieve(b"hello.txt", 0, data, |_| {}).unwrap();
        assert_eq!(s.announced_size(), Some(12));
        let r = s.retrieve(
            b"other.txt",
            0,
            |_| Err::<Data, _>(ErrorKind::ConnectionRefused),
            |_| {},
        );
        assert_eq!(r, Err(SessionError::Data(ErrorKind::ConnectionRefused)));
        assert_eq!(s.announced_size(), None);
        all_sent(s);
    }

    /// Each one-reply call of `Session` sends its command and gives what
    /// the reply says: FEAT's features (and `OPTS UTF8 ON`, offered),
    /// PWD's path, SIZE's size, MDTM's time (mutations: `feat` or `size`
    /// gave a default value, `binary`, `cwd`, `rmd`, `dele`, `rename` or `noop`
    /// sent nothing and said `Ok`, or an arm lost turned the value into
    /// `Unexpected`). vsftpd's replies.
    #[test]
    fn one_reply_calls_send_their_command_and_give_its_value() {
        let mut s = logged_in(&[
            (
                b"FEAT\r\n",
                b"211-Features:\r\n EPRT\r\n EPSV\r\n MDTM\r\n PASV\r\n REST STREAM\r\n \
                  SIZE\r\n TVFS\r\n UTF8\r\n211 End\r\n",
            ),
            (b"OPTS UTF8 ON\r\n", b"200 Always in UTF8 mode.\r\n"),
            (b"TYPE I\r\n", b"200 Switching to Binary mode.\r\n"),
            (
                b"PWD\r\n",
                b"257 \"/home/ftptest\" is the current directory\r\n",
            ),
            (
                b"CWD /upload\r\n",
                b"250 Directory successfully changed.\r\n",
            ),
            (b"SIZE hello.txt\r\n", b"213 12\r\n"),
            (b"MDTM hello.txt\r\n", b"213 20240102030405\r\n"),
            (b"RNFR hello.txt\r\n", b"350 Ready for RNTO.\r\n"),
            (b"RNTO hi.txt\r\n", b"250 Rename successful.\r\n"),
            (b"DELE hi.txt\r\n", b"250 Delete operation successful.\r\n"),
            (
                b"RMD old\r\n",
                b"250 Remove directory operation successful.\r\n",
            ),
            (b"NOOP\r\n", b"200 NOOP ok.\r\n"),
        ]);
        let f = s.feat().unwrap();
        assert!(f.epsv && f.mdtm && f.rest_stream && f.size && f.utf8 && f.utf8_on);
        assert!(!f.mlst);
        assert_eq!(f, s.engine().features());
        assert_eq!(s.binary(), Ok(()));
        let mut path = [0u8; 32];
        assert_eq!(s.pwd(&mut path), Ok(13));
        assert_eq!(&path[..13], b"/home/ftptest");
        assert_eq!(s.cwd(b"/upload"), Ok(()));
        assert_eq!(s.size(b"hello.txt"), Ok(12));
        assert_eq!(
            s.mdtm(b"hello.txt"),
            Ok(ftp_reply::payload::Timestamp::new(2024, 1, 2, 3, 4, 5).unwrap())
        );
        assert_eq!(s.rename(b"hello.txt", b"hi.txt"), Ok(()));
        assert_eq!(s.dele(b"hi.txt"), Ok(()));
        assert_eq!(s.rmd(b"old"), Ok(()));
        assert_eq!(s.noop(), Ok(()));
        all_sent(s);
    }

    /// `Session::list`, `nlst` and `mlsd` give the listing to `on_data`
    /// and return its length (mutation: they returned 0 or 1). vsftpd's
    /// LIST and NLST, ProFTPD's MLSD.
    #[test]
    fn listings_return_their_length() {
        let mut s = logged_in(&[
            EPSV,
            (
                b"LIST\r\n",
                b"150 Here comes the directory listing.\r\n226 Directory send OK.\r\n",
            ),
            EPSV,
            (
                b"NLST /upload\r\n",
                b"150 Here comes the directory listing.\r\n226 Directory send OK.\r\n",
            ),
            EPSV,
            (
                b"MLSD\r\n",
                b"150 Opening ASCII mode data connection for MLSD\r\n226 Transfer complete\r\n",
            ),
        ]);
        const LIST: &[u8] =
            b"-rw-r--r--    1 1000     1000           12 Jan 02 03:04 hello.txt\r\n";
        const MLSD: &[u8] = b"modify=20240102030405;perm=adfrw;size=12;type=file; hello.txt\r\n";
        let data = |reads: Vec<&'static [u8]>| {
            move |_| {
                Ok::<_, ErrorKind>(Data {
                    reads: reads.clone(),
                    written: Vec::new(),
                })
            }
        };
        let mut got = Vec::new();
        let n = s.list(None, data(vec![&LIST[..20], &LIST[20..]]), |c| {
            got.extend_from_slice(c)
        });
        assert_eq!((n, &got[..]), (Ok(LIST.len() as u64), LIST));
        got.clear();
        let n = s.nlst(Some(b"/upload"), data(vec![b"hello.txt\r\n"]), |c| {
            got.extend_from_slice(c)
        });
        assert_eq!((n, &got[..]), (Ok(11), &b"hello.txt\r\n"[..]));
        got.clear();
        let n = s.mlsd(None, data(vec![MLSD]), |c| got.extend_from_slice(c));
        assert_eq!((n, &got[..]), (Ok(MLSD.len() as u64), MLSD));
        all_sent(s);
    }

    /// `Session::quit`: errors "not for the session's close, which is the
    /// point": a 221 is `Ok` (mutation: `Closed(Quit)` is returned as an
    /// error).
    #[test]
    fn quit_answered_is_ok() {
        let mut s = logged_in(&[(b"QUIT\r\n", b"221 Goodbye.\r\n")]);
        assert_eq!(s.quit(), Ok(()));
        assert!(s.engine().is_closed());
        all_sent(s);
    }

    /// `SessionError::Data` for a data connection that cannot be opened
    /// (over PASV: no fallback left) fails the operation, and `Failed`
    /// operations leave the session going (`EventKind::Failed`: "the
    /// session goes on"; mutation: the engine is not told of the failed
    /// connect, and stays busy).
    #[test]
    fn a_data_connection_that_cannot_open_fails_the_operation_only() {
        let mut s = logged_in(&[
            (
                b"PASV\r\n",
                b"227 Entering Passive Mode (192,0,2,1,156,65).\r\n",
            ),
            (b"NOOP\r\n", b"200 NOOP ok.\r\n"),
        ]);
        s.client().use_pasv();
        let r = s.retrieve(
            b"hello.txt",
            0,
            |_| Err::<Data, _>(ErrorKind::ConnectionRefused),
            |_| {},
        );
        assert_eq!(r, Err(SessionError::Data(ErrorKind::ConnectionRefused)));
        assert!(s.engine().is_idle());
        assert_eq!(s.noop(), Ok(()));
        all_sent(s);
    }

    /// "An `Interrupted` read or write, on either connection, is made
    /// again": also the flush after them (`flush_whole`, "`flush`, made
    /// again after an `Interrupted` one"). A data connection whose flush
    /// is `Interrupted` once, after STOR's bytes: the store is whole
    /// (mutation: `flush_whole` returns the `Interrupted`, and the store
    /// fails with `Data(Interrupted)`).
    #[test]
    fn an_interrupted_flush_is_made_again() {
        let mut s = logged_in(&[
            EPSV,
            (
                b"STOR up.txt\r\n",
                b"150 Ok to send data.\r\n226 Transfer complete.\r\n",
            ),
            (b"NOOP\r\n", b"200 NOOP ok.\r\n"),
        ]);
        let mut piece: Option<&[u8]> = Some(b"hello\n");
        let n = s.store(
            b"up.txt",
            false,
            |_| {
                Ok::<_, ErrorKind>(Counting {
                    interrupt_first_flush: true,
                    ..Counting::default()
                })
            },
            |buf| {
                let p = piece.take().unwrap_or_default();
                buf[..p.len()].copy_from_slice(p);
                p.len()
            },
        );
        assert_eq!(n, Ok(6));
        assert_eq!(s.noop(), Ok(()));
        all_sent(s);
    }
}

/// `Command::write_io`: "The writer is not flushed" (mutation: it
/// flushes after the line).
#[cfg(feature = "embedded-io")]
#[test]
fn write_io_does_not_flush() {
    let mut w = session::Counting::default();
    assert_eq!(Command::Retr.write_io(Some(b"hello.txt"), &mut w), Ok(16));
    assert_eq!(Command::Pasv.write_io(None, &mut w), Ok(6));
    assert_eq!(w.bytes, b"RETR hello.txt\r\nPASV\r\n");
    assert_eq!(w.flushes, 0);
}

/// Module doc (passive mode), with `any_code_ends_block`: a block another
/// code closed with a 229 line connects to the port of its closing line,
/// as `Reply::extended_passive` reads it (`553-(|||9|)` then
/// `229 (|||1|)`: port 1, not the other code's 9); a 227 block's address
/// and a 150 block's size are the closing line's (`Reply::passive` and
/// `Reply::transfer_size`). Offsets of an error on the closing line count
/// from the reply's first byte.
#[test]
fn a_block_another_code_closed_in_passive_mode() {
    let lenient = ftp_reply::ParserConfig::new().any_code_ends_block(true);
    let mut c = Client::<512>::with_config(PEER, lenient);
    fetching(&mut c);
    send(&mut c, b"EPSV\r\n");
    recv(&mut c, b"553-(|||9|)\r\n229 (|||1|)\r\n");
    let ev = c.poll_event().unwrap();
    let port = ev.reply.map(|r| r.extended_passive().map(|p| p.port()));
    let EventKind::Connect(t) = ev.kind else {
        panic!("{:?}", ev.kind)
    };
    assert_eq!(
        (t.connect_to, port),
        (SocketAddr::new(PEER, 1), Some(Ok(1)))
    );

    // An unreadable closing line fails, with the offset of its bad byte
    // in the reply (`553-(|||9|)\r\n` is 13 bytes, `229 (|||x|)`'s `x`
    // is byte 8 of its line), however readable the other code's line.
    let mut c = Client::<512>::with_config(PEER, lenient);
    fetching(&mut c);
    send(&mut c, b"EPSV\r\n");
    recv(&mut c, b"553-(|||9|)\r\n229 (|||x|)\r\n");
    let ev = c.poll_event().unwrap();
    let EventKind::Failed(f) = ev.kind else {
        panic!("{:?}", ev.kind)
    };
    let FailReason::Malformed(e) = f.reason else {
        panic!("{f:?}")
    };
    assert_eq!(e.offset(), 13 + 8);
    // Port 0 on the closing line is named so (its digits are found by
    // that offset in the reply).
    let mut c = Client::<512>::with_config(PEER, lenient);
    fetching(&mut c);
    send(&mut c, b"EPSV\r\n");
    recv(&mut c, b"553-(|||9|)\r\n229 (|||0|)\r\n");
    let ev = c.poll_event().unwrap();
    let EventKind::Failed(f) = ev.kind else {
        panic!("{:?}", ev.kind)
    };
    assert_eq!(f.reason, FailReason::PortZero);

    let mut c = Client::<512>::with_config(PEER, lenient);
    c.use_pasv();
    fetching(&mut c);
    send(&mut c, b"PASV\r\n");
    recv(
        &mut c,
        b"553-(9,9,9,9,9,9)\r\n227 Entering (192,0,2,1,5,6)\r\n",
    );
    let ev = c.poll_event().unwrap();
    let EventKind::Connect(t) = ev.kind else {
        panic!("{:?}", ev.kind)
    };
    assert_eq!(t.connect_to, SocketAddr::new(PEER, 5 * 256 + 6));
    c.data_connected().unwrap();
    send(&mut c, b"RETR f\r\n");
    recv(
        &mut c,
        b"553-Opening (5 bytes)\r\n150 Opening (7 bytes)\r\n",
    );
    let ev = c.poll_event().unwrap();
    assert_eq!(ev.kind, EventKind::TransferStarted(Some(7)));
}

/// Module doc (passive mode): of a block its own code closed (no
/// `any_code_ends_block` needed), a 227's address and a 150's size are
/// the first line's that holds one, as `Reply::passive` and
/// `Reply::transfer_size` read them, whatever the closing line says (the
/// doc said "the closing line's too" right after the case of a block
/// another code closed, which reads as every block's rule; helper 116).
#[test]
fn a_block_of_its_own_code_gives_its_first_lines_value() {
    let mut c = Client::<512>::new(PEER);
    c.use_pasv();
    fetching(&mut c);
    send(&mut c, b"PASV\r\n");
    recv(
        &mut c,
        b"227-Entering (9,9,9,9,9,9)\r\n227 ok (127,0,0,1,4,1)\r\n",
    );
    let ev = c.poll_event().unwrap();
    let EventKind::Connect(t) = ev.kind else {
        panic!("{:?}", ev.kind)
    };
    assert_eq!(t.connect_to, SocketAddr::new(PEER, 9 * 256 + 9));
    c.data_connected().unwrap();
    send(&mut c, b"RETR f\r\n");
    recv(&mut c, b"150-Opening (99 bytes)\r\n150 ok (3 bytes)\r\n");
    let ev = c.poll_event().unwrap();
    assert_eq!(ev.kind, EventKind::TransferStarted(Some(99)));
}

/// Module doc (passive mode): "A 229's port is read from the first `(` of
/// the reply's bytes, on whatever line it stands": a block whose first
/// line holds no `(` gives the closing line's port; one whose first line
/// holds a `(` that starts no tuple (`(see below)`) fails the transfer,
/// where `Reply::extended_passive` (the first line with a valid tuple)
/// would read on (the client example's header says so; helper 116).
#[test]
fn a_229_is_read_at_the_first_parenthesis_of_the_reply() {
    let mut c = Client::<512>::new(PEER);
    fetching(&mut c);
    send(&mut c, b"EPSV\r\n");
    recv(&mut c, b"229-Entering\r\n229 ok (|||2501|)\r\n");
    let ev = c.poll_event().unwrap();
    let EventKind::Connect(t) = ev.kind else {
        panic!("{:?}", ev.kind)
    };
    assert_eq!(t.connect_to, SocketAddr::new(PEER, 2501));

    let mut c = Client::<512>::new(PEER);
    fetching(&mut c);
    send(&mut c, b"EPSV\r\n");
    let reply = b"229-Entering (see below)\r\n229 ok (|||2501|)\r\n";
    recv(&mut c, reply);
    let ev = c.poll_event().unwrap();
    let port = ev.reply.map(|r| r.extended_passive().map(|p| p.port()));
    assert_eq!(port, Some(Ok(2501)));
    let EventKind::Failed(f) = ev.kind else {
        panic!("{:?}", ev.kind)
    };
    assert!(matches!(f.reason, FailReason::Malformed(_)), "{f:?}");
}

/// A transfer that `start` opens through EPSV's 229, its data connection
/// open and its 150 given; `lines` are what it sends from `data_connected`
/// on (REST's 350 answered for a resumed retrieve).
fn running(
    c: &mut Client<512>,
    start: fn(&mut Client<512>) -> Result<(), ClientError>,
    lines: &[&[u8]],
) {
    at_connect(c, start);
    c.data_connected().unwrap();
    for (i, line) in lines.iter().enumerate() {
        send(c, line);
        if i + 1 < lines.len() {
            recv(c, b"350 Restart position accepted (5).\r\n");
            quiet(c);
        }
    }
    recv(c, b"150 Opening BINARY mode data connection\r\n");
    let ev = c.poll_event().unwrap();
    assert!(
        matches!(ev.kind, EventKind::TransferStarted(_)),
        "{:?}",
        ev.kind
    );
    quiet(c);
}

type Start = fn(&mut Client<512>) -> Result<(), ClientError>;

/// Every transfer command, with the lines it sends once connected.
const TRANSFERS: &[(Start, Command, &[&[u8]])] = &[
    (|c| c.retrieve(b"f", 0), Command::Retr, &[b"RETR f\r\n"]),
    (
        |c| c.retrieve(b"f", 5),
        Command::Retr,
        &[b"REST 5\r\n", b"RETR f\r\n"],
    ),
    (|c| c.store(b"f"), Command::Stor, &[b"STOR f\r\n"]),
    (|c| c.append(b"f"), Command::Appe, &[b"APPE f\r\n"]),
    (|c| c.list(None), Command::List, &[b"LIST\r\n"]),
    (|c| c.nlst(None), Command::Nlst, &[b"NLST\r\n"]),
    (|c| c.mlsd(None), Command::Mlsd, &[b"MLSD\r\n"]),
];

/// Review of 08343c8 (the 226 after a failed data connection built by
/// `fail(None, DataConnection)` in place of `transfer_end().event()`):
/// for every transfer command, a resumed retrieve (REST answered, the
/// operation's command the transfer's again) and a 226 or a 250, the data
/// connection failing before the final reply gives the same failure as
/// failing after it: the transfer command, no code, `DataConnection`; the
/// first lends the 226, the second (a pending event) no reply. A data end
/// that did not fail gives `TransferDone` either way. The session is idle
/// after it, its queue empty: the next operation sends its own line.
#[test]
fn a_failed_data_connection_ends_a_transfer_alike_before_and_after_its_226() {
    for &(start, command, lines) in TRANSFERS {
        for done in [
            &b"226 Transfer complete\r\n"[..],
            b"250 Requested file action okay\r\n",
        ] {
            for failed in [true, false] {
                let want = if failed {
                    EventKind::Failed(ftp_reply::client::Failure {
                        command: Some(command),
                        code: None,
                        reason: FailReason::DataConnection,
                    })
                } else {
                    EventKind::TransferDone
                };
                let end = |c: &mut Client<512>| {
                    if failed {
                        c.data_failed()
                    } else {
                        c.data_end()
                    }
                    .unwrap();
                };
                // The data's end first, then the final reply.
                let mut c = logged_in::<512>();
                running(&mut c, start, lines);
                end(&mut c);
                quiet(&mut c);
                recv(&mut c, done);
                let ev = c.poll_event().unwrap();
                let what = format!("{command:?} {} failed {failed}", done.escape_ascii());
                assert_eq!(ev.kind, want, "{what}");
                assert_eq!(
                    code(&ev),
                    Some(
                        done[..3]
                            .iter()
                            .fold(0, |n, d| n * 10 + u16::from(d - b'0'))
                    ),
                    "{what}"
                );
                quiet(&mut c);
                assert!(c.is_idle(), "{what}");
                assert_eq!(c.waiting(), Waiting::Nothing, "{what}");
                noop_works(&mut c);
                // The final reply first, then the data's end.
                let mut c = logged_in::<512>();
                running(&mut c, start, lines);
                recv(&mut c, done);
                quiet(&mut c);
                end(&mut c);
                let ev = c.poll_event().unwrap();
                assert_eq!((ev.kind, code(&ev)), (want, None), "{what}");
                quiet(&mut c);
                assert!(c.is_idle(), "{what}");
                noop_works(&mut c);
            }
        }
    }
}

/// Review of 5a07912 (a 3xx to EPSV falls back to PASV for the session):
/// any 3xx (300, 332, 350, 399) gives no event and sends PASV; a 3xx to
/// that PASV (the step is no longer EPSV's) fails the transfer as
/// `Refused`, naming the transfer command and lending the reply, and the
/// session keeps PASV: the next transfer sends PASV first. A resumed
/// retrieve keeps its REST after the fall-back (the REST's own 350 is
/// REST's answer, not another fall-back). A 3xx to PASV asked by
/// `use_pasv` fails the same way.
#[test]
fn a_3xx_to_epsv_then_to_pasv_fails_and_pasv_stays() {
    for answer in [
        &b"300 What?\r\n"[..],
        b"332 Need account for login.\r\n",
        b"350 Requested file action pending further information.\r\n",
        b"399 Odd\r\n",
    ] {
        let what = answer.escape_ascii().to_string();
        let mut c = Client::<512>::new(PEER);
        fetching(&mut c);
        send(&mut c, b"EPSV\r\n");
        recv(&mut c, answer);
        quiet(&mut c);
        assert!(c.passive_fallback(), "{what}");
        send(&mut c, b"PASV\r\n");
        recv(
            &mut c,
            b"350 Requested file action pending further information.\r\n",
        );
        let ev = c.poll_event().unwrap();
        let want = EventKind::Failed(ftp_reply::client::Failure {
            command: Some(Command::Retr),
            code: ftp_reply::ReplyCode::new(350),
            reason: FailReason::Refused,
        });
        assert_eq!((ev.kind, code(&ev)), (want, Some(350)), "{what}");
        quiet(&mut c);
        assert!(c.is_idle() && c.passive_fallback(), "{what}");
        // The next transfer: PASV first, then REST and RETR.
        c.retrieve(b"f", 5).unwrap();
        send(&mut c, b"PASV\r\n");
        recv(&mut c, b"227 Entering Passive Mode (192,0,2,1,117,48).\r\n");
        let ev = c.poll_event().unwrap();
        let EventKind::Connect(t) = ev.kind else {
            panic!("{what}: {:?}", ev.kind)
        };
        assert_eq!(t.connect_to, SocketAddr::new(PEER, 30000));
        quiet(&mut c);
        c.data_connected().unwrap();
        send(&mut c, b"REST 5\r\n");
        recv(&mut c, b"350 Restart position accepted (5).\r\n");
        quiet(&mut c);
        send(&mut c, b"RETR f\r\n");
    }
    // A resumed retrieve falls back with its REST still queued.
    let mut c = logged_in::<512>();
    c.retrieve(b"f", 5).unwrap();
    send(&mut c, b"EPSV\r\n");
    recv(
        &mut c,
        b"350 Requested file action pending further information.\r\n",
    );
    quiet(&mut c);
    send(&mut c, b"PASV\r\n");
    recv(&mut c, b"227 Entering Passive Mode (192,0,2,1,117,48).\r\n");
    assert!(matches!(
        c.poll_event().unwrap().kind,
        EventKind::Connect(_)
    ));
    c.data_connected().unwrap();
    send(&mut c, b"REST 5\r\n");
    recv(&mut c, b"350 Restart position accepted (5).\r\n");
    quiet(&mut c);
    send(&mut c, b"RETR f\r\n");
    // PASV asked by use_pasv, answered with a 331.
    let mut c = logged_in::<512>();
    c.use_pasv();
    c.list(None).unwrap();
    send(&mut c, b"PASV\r\n");
    recv(&mut c, b"331 Say more.\r\n");
    let ev = c.poll_event().unwrap();
    let EventKind::Failed(f) = ev.kind else {
        panic!("{:?}", ev.kind)
    };
    assert_eq!(
        (f.command, f.code.map(|c| c.get()), f.reason),
        (Some(Command::List), Some(331), FailReason::Refused)
    );
    noop_works(&mut c);
}
