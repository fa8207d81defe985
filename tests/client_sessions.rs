//! Scripted sessions through the client engine: each script is a server
//! transcript with the exact bytes the engine must send and the exact
//! events it must give, run with the server's bytes whole, split at every
//! byte, and in 7-byte pieces.
//!
//! The reply texts are those of real servers (vsftpd 3.0, ProFTPD 1.3,
//! Pure-FTPd 1.0, pyftpdlib 1.5, FileZilla Server 0.9 and 1.x, IIS 10), or
//! the RFC's own text where no server of those sends the code.
//!
//! Every event must be claimed by an `Ev` step before the next action: an
//! event the script does not expect fails it.

use core::net::{IpAddr, Ipv4Addr};

use ftp_reply::Command;
use ftp_reply::client::{
    Client, ClientError, CloseReason, EventKind, FailReason, FeatureSet, Waiting,
};

const PEER: IpAddr = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1));

/// One step of a script, for an engine with an `N`-byte reply buffer.
enum Step<const N: usize = 512> {
    /// The server sends these bytes.
    Recv(&'static [u8]),
    /// The engine must send exactly these bytes now.
    Send(&'static [u8]),
    /// The next event must read so (see `show`).
    Ev(&'static str),
    /// The caller does something (starts an operation, reports the data
    /// connection, fires the timer) and checks what it returns.
    Do(fn(&mut Client<N>)),
}
use Step::{Do, Ev, Recv, Send};

/// The features flagged in `f`, by name.
fn show_features(f: &FeatureSet) -> String {
    let names = [
        (f.epsv, "EPSV"),
        (f.mlst, "MLST"),
        (f.size, "SIZE"),
        (f.mdtm, "MDTM"),
        (f.rest_stream, "REST-STREAM"),
        (f.utf8, "UTF8"),
        (f.utf8_on, "UTF8-ON"),
    ];
    let on: Vec<&str> = names.iter().filter(|(b, _)| *b).map(|(_, n)| *n).collect();
    format!("[{}]", on.join(" "))
}

/// An error in a few words: its kind and offset.
fn show_error(e: &ftp_reply::Error) -> String {
    format!("{:?}@{}", e.kind(), e.offset())
}

/// An event in a few words: its kind and the code of the reply it lends.
fn show(kind: &EventKind<'_>, code: Option<u16>) -> String {
    let what = match kind {
        EventKind::Features(f) => format!("Features{}", show_features(f)),
        EventKind::Connect(t) => match (t.offered, t.concern) {
            (Some(o), Some(c)) => format!("Connect {} (offered {o}, {c:?})", t.connect_to),
            (Some(o), None) => format!("Connect {} (offered {o})", t.connect_to),
            (None, _) => format!("Connect {}", t.connect_to),
        },
        EventKind::Modified(t) => format!("Modified {t}"),
        EventKind::Path(p) => format!(
            "Path {}",
            String::from_utf8_lossy(&p.bytes().collect::<Vec<_>>())
        ),
        EventKind::Entry(e) => format!(
            "Entry {} type={} size={}",
            String::from_utf8_lossy(e.path()),
            String::from_utf8_lossy(e.fact("type").unwrap_or(b"-")),
            String::from_utf8_lossy(e.fact("size").unwrap_or(b"-")),
        ),
        EventKind::Failed(f) => {
            let reason = match f.reason {
                FailReason::Malformed(e) => format!("Malformed({})", show_error(&e)),
                other => format!("{other:?}"),
            };
            format!(
                "Failed {} {} {reason}",
                f.command.map_or("-".into(), |c| c.to_string()),
                f.code.map_or("-".into(), |c| c.to_string()),
            )
        }
        EventKind::Closed(r) => match r {
            CloseReason::ServiceClosing(c) => format!("Closed ServiceClosing {c}"),
            CloseReason::Refused(c) => format!("Closed Refused {c}"),
            CloseReason::Unexpected(c) => format!("Closed Unexpected {c}"),
            CloseReason::Malformed(e) => format!("Closed Malformed({})", show_error(e)),
            CloseReason::TimedOut(w) => format!("Closed TimedOut {w:?}"),
            other => format!("Closed {other:?}"),
        },
        other => format!("{other:?}"),
    };
    match code {
        Some(c) => format!("{what} <- {c}"),
        None => what,
    }
}

fn drain<const N: usize>(c: &mut Client<N>, events: &mut Vec<String>) {
    while let Some(ev) = c.poll_event() {
        events.push(show(&ev.kind, ev.reply.map(|r| r.code().get())));
    }
}

/// Runs `script`, the server's bytes given in pieces of `chunk` bytes.
fn run_chunked<const N: usize>(script: &[Step<N>], chunk: usize) {
    let mut c = Client::<N>::new(PEER);
    let mut events: Vec<String> = Vec::new();
    for (i, step) in script.iter().enumerate() {
        if !matches!(step, Ev(_)) {
            drain(&mut c, &mut events);
            assert!(
                events.is_empty(),
                "step {i}: events not in the script: {events:?} (chunk {chunk})"
            );
        }
        match step {
            Recv(bytes) => {
                for piece in bytes.chunks(chunk) {
                    let mut piece: &[u8] = piece;
                    while !piece.is_empty() {
                        let n = c.receive(piece);
                        piece = &piece[n..];
                        drain(&mut c, &mut events);
                    }
                }
            }
            Send(want) => {
                let got = c.transmit().to_vec();
                assert_eq!(
                    got.escape_ascii().to_string(),
                    want.escape_ascii().to_string(),
                    "step {i}: bytes sent (chunk {chunk})"
                );
                c.sent(got.len());
            }
            Ev(want) => {
                drain(&mut c, &mut events);
                assert!(
                    !events.is_empty(),
                    "step {i}: no event, want {want} (chunk {chunk})"
                );
                let got = events.remove(0);
                assert_eq!(got, *want, "step {i} (chunk {chunk})");
            }
            Do(f) => f(&mut c),
        }
    }
    drain(&mut c, &mut events);
    assert!(
        events.is_empty(),
        "events left over: {events:?} (chunk {chunk})"
    );
    assert_eq!(c.transmit(), b"", "bytes left to send (chunk {chunk})");
}

/// Runs `script` whole, split at every byte, and in 7-byte pieces.
fn run_n<const N: usize>(script: &[Step<N>]) {
    run_chunked(script, usize::MAX);
    run_chunked(script, 1);
    run_chunked(script, 7);
}

/// [`run_n`] with the usual 512-byte reply buffer.
fn run(script: &[Step]) {
    run_n(script);
}

/// A ProFTPD login, then `rest`, for a `Client<N>`.
fn with_login_n<const N: usize>(rest: &[Step<N>]) -> Vec<Step<N>> {
    let mut v = vec![
        Do(|c: &mut Client<N>| c.login(b"ftptest", b"secret", None).unwrap()),
        Send(b""),
        Recv(b"220 ProFTPD Server ready.\r\n"),
        Send(b"USER ftptest\r\n"),
        Recv(b"331 Password required for ftptest\r\n"),
        Send(b"PASS secret\r\n"),
        Recv(b"230 User ftptest logged in\r\n"),
        Ev("LoggedIn <- 230"),
    ];
    v.extend(rest.iter().map(copy));
    v
}

fn with_login(rest: &[Step]) -> Vec<Step> {
    with_login_n(rest)
}

/// Logged in, LIST started over EPSV (its 150 taken), then `rest`.
fn with_listing(rest: &[Step]) -> Vec<Step> {
    let mut v = with_login(LISTING);
    v.extend(rest.iter().map(copy));
    v
}

/// LIST over EPSV, up to its 150.
const LISTING: &[Step] = &[
    Do(|c| c.list(None).unwrap()),
    Send(b"EPSV\r\n"),
    Recv(b"229 Entering Extended Passive Mode (|||40001|)\r\n"),
    Ev("Connect 192.0.2.1:40001 <- 229"),
    Do(|c| c.data_connected().unwrap()),
    Send(b"LIST\r\n"),
    Recv(b"150 Here comes the directory listing.\r\n"),
    Ev("TransferStarted(None) <- 150"),
];

fn copy<const N: usize>(s: &Step<N>) -> Step<N> {
    match s {
        Recv(b) => Recv(b),
        Send(b) => Send(b),
        Ev(e) => Ev(e),
        Do(f) => Do(*f),
    }
}

/// A NOOP that must work: the session goes on.
const NOOP_OK: &[Step] = &[
    Do(|c| c.noop().unwrap()),
    Send(b"NOOP\r\n"),
    Recv(b"200 NOOP command successful\r\n"),
    Ev("Done <- 200"),
];

fn then_noop(mut v: Vec<Step>) -> Vec<Step> {
    v.extend(NOOP_OK.iter().map(copy));
    v
}

/// Every operation is refused with `Closed`.
fn all_closed<const N: usize>(c: &mut Client<N>) {
    let closed = Err(ClientError::Closed);
    assert_eq!(c.login(b"u", b"p", None), closed);
    assert_eq!(c.feat(), closed);
    assert_eq!(c.binary(), closed);
    assert_eq!(c.retrieve(b"f", 0), closed);
    assert_eq!(c.store(b"f"), closed);
    assert_eq!(c.append(b"f"), closed);
    assert_eq!(c.list(None), closed);
    assert_eq!(c.nlst(None), closed);
    assert_eq!(c.mlsd(None), closed);
    assert_eq!(c.mlst(None), closed);
    assert_eq!(c.size(b"f"), closed);
    assert_eq!(c.mdtm(b"f"), closed);
    assert_eq!(c.cwd(b"d"), closed);
    assert_eq!(c.cdup(), closed);
    assert_eq!(c.pwd(), closed);
    assert_eq!(c.mkd(b"d"), closed);
    assert_eq!(c.rmd(b"d"), closed);
    assert_eq!(c.dele(b"f"), closed);
    assert_eq!(c.rename(b"a", b"b"), closed);
    assert_eq!(c.noop(), closed);
    assert_eq!(c.quit(), closed);
    assert_eq!(c.raw(b"SITE HELP"), closed);
    assert_eq!(c.waiting(), Waiting::Closed);
    assert!(c.is_closed());
    // Bytes received now are taken whole and ignored, however many: more
    // than the reply buffer holds, and replies among them.
    let late = b"200 late\r\n".repeat(N / 10 + 100);
    assert_eq!(c.receive(&late), late.len());
    assert_eq!(c.receive(&late), late.len());
    assert!(c.poll_event().is_none());
}

/// Every operation is refused with `Busy`.
fn all_busy<const N: usize>(c: &mut Client<N>) {
    let busy = Err(ClientError::Busy);
    assert_eq!(c.login(b"u", b"p", None), busy);
    assert_eq!(c.feat(), busy);
    assert_eq!(c.binary(), busy);
    assert_eq!(c.retrieve(b"f", 0), busy);
    assert_eq!(c.store(b"f"), busy);
    assert_eq!(c.list(None), busy);
    assert_eq!(c.mlst(None), busy);
    assert_eq!(c.pwd(), busy);
    assert_eq!(c.rename(b"a", b"b"), busy);
    assert_eq!(c.noop(), busy);
    assert_eq!(c.quit(), busy);
    assert_eq!(c.raw(b"SITE HELP"), busy);
    assert!(!c.is_idle());
}

// Log in.

#[test]
fn login_user_pass() {
    run(&with_login(&[]));
}

#[test]
fn login_vsftpd_wrong_password_then_retry() {
    run(&[
        Do(|c| c.login(b"ftptest", b"wrong", None).unwrap()),
        Recv(b"220 (vsFTPd 3.0.3)\r\n"),
        Send(b"USER ftptest\r\n"),
        Recv(b"331 Please specify the password.\r\n"),
        Send(b"PASS wrong\r\n"),
        Recv(b"530 Login incorrect.\r\n"),
        Ev("Failed PASS 530 Refused <- 530"),
        Send(b""),
        Do(|c| assert!(c.is_idle())),
        Do(|c| c.login(b"ftptest", b"secret", None).unwrap()),
        Send(b"USER ftptest\r\n"),
        Recv(b"331 Please specify the password.\r\n"),
        Send(b"PASS secret\r\n"),
        Recv(b"230 Login successful.\r\n"),
        Ev("LoggedIn <- 230"),
    ]);
}

#[test]
fn an_empty_password_keeps_its_space() {
    // As curl and Python's ftplib send it (`ftp://u@h/f`): the space is
    // there, the password after it empty; every other command's empty
    // argument is none.
    run(&[
        Do(|c| c.login(b"u", b"", None).unwrap()),
        Recv(b"220 ready\r\n"),
        Send(b"USER u\r\n"),
        Recv(b"331 Password required for u\r\n"),
        Send(b"PASS \r\n"),
        Recv(b"230 Logged on\r\n"),
        Ev("LoggedIn <- 230"),
    ]);
}

#[test]
fn login_230_right_after_user_sends_no_password() {
    run(&[
        Do(|c| c.login(b"anonymous", b"guest@", None).unwrap()),
        Recv(b"220 Service ready for new user.\r\n"),
        Send(b"USER anonymous\r\n"),
        Recv(b"230 User logged in, proceed.\r\n"),
        Ev("LoggedIn <- 230"),
        Send(b""),
        Do(|c| assert!(c.is_idle())),
    ]);
}

#[test]
fn login_unknown_user_refused_after_user() {
    run(&[
        Do(|c| c.login(b"nobody", b"x", None).unwrap()),
        Recv(b"220 Microsoft FTP Service\r\n"),
        Send(b"USER nobody\r\n"),
        Recv(b"530 User cannot log in.\r\n"),
        Ev("Failed USER 530 Refused <- 530"),
        Send(b""),
    ]);
}

#[test]
fn login_acct_asked_after_user() {
    run(&[
        Do(|c| c.login(b"ftptest", b"secret", Some(b"proj7")).unwrap()),
        Recv(b"220 Service ready for new user.\r\n"),
        Send(b"USER ftptest\r\n"),
        Recv(b"332 Need account for login.\r\n"),
        Send(b"ACCT proj7\r\n"),
        Recv(b"230 User logged in, proceed.\r\n"),
        Ev("LoggedIn <- 230"),
        Send(b""),
    ]);
}

#[test]
fn login_acct_asked_after_pass() {
    run(&[
        Do(|c| c.login(b"ftptest", b"secret", Some(b"proj7")).unwrap()),
        Recv(b"220 Service ready for new user.\r\n"),
        Send(b"USER ftptest\r\n"),
        Recv(b"331 User name okay, need password.\r\n"),
        Send(b"PASS secret\r\n"),
        Recv(b"332 Need account for login.\r\n"),
        Send(b"ACCT proj7\r\n"),
        Recv(b"202 Command not implemented, superfluous at this site.\r\n"),
        Ev("LoggedIn <- 202"),
        Send(b""),
    ]);
}

/// A 3xx that asks for neither a password (331) nor an account (332)
/// refuses the login, with an account to give or not: nothing more is
/// sent. (A 331 to PASS is such a 3xx too.)
#[test]
fn login_other_3xx_is_refused() {
    run(&[
        Do(|c| c.login(b"ftptest", b"secret", Some(b"proj7")).unwrap()),
        Recv(b"220 Service ready for new user.\r\n"),
        Send(b"USER ftptest\r\n"),
        Recv(b"350 Requested file action pending further information.\r\n"),
        Ev("Failed USER 350 Refused <- 350"),
        Send(b""),
    ]);
    run(&[
        Do(|c| c.login(b"ftptest", b"secret", Some(b"proj7")).unwrap()),
        Recv(b"220 Service ready for new user.\r\n"),
        Send(b"USER ftptest\r\n"),
        Recv(b"331 User name okay, need password.\r\n"),
        Send(b"PASS secret\r\n"),
        Recv(b"331 User name okay, need password.\r\n"),
        Ev("Failed PASS 331 Refused <- 331"),
        Send(b""),
    ]);
}

#[test]
fn login_acct_not_asked_is_not_sent() {
    run(&[
        Do(|c| c.login(b"ftptest", b"secret", Some(b"proj7")).unwrap()),
        Recv(b"220 (vsFTPd 3.0.3)\r\n"),
        Send(b"USER ftptest\r\n"),
        Recv(b"331 Please specify the password.\r\n"),
        Send(b"PASS secret\r\n"),
        Recv(b"230 Login successful.\r\n"),
        Ev("LoggedIn <- 230"),
        Send(b""),
    ]);
}

#[test]
fn login_acct_asked_and_none_given_fails() {
    run(&then_noop(vec![
        Do(|c| c.login(b"ftptest", b"secret", None).unwrap()),
        Recv(b"220 Service ready for new user.\r\n"),
        Send(b"USER ftptest\r\n"),
        Recv(b"331 User name okay, need password.\r\n"),
        Send(b"PASS secret\r\n"),
        Recv(b"332 Need account for login.\r\n"),
        Ev("Failed PASS 332 NoAccount <- 332"),
        Send(b""),
    ]));
    run(&[
        Do(|c| c.login(b"ftptest", b"secret", None).unwrap()),
        Recv(b"220 Service ready for new user.\r\n"),
        Send(b"USER ftptest\r\n"),
        Recv(b"332 Need account for login.\r\n"),
        Ev("Failed USER 332 NoAccount <- 332"),
        Send(b""),
    ]);
}

#[test]
fn login_waits_for_220_after_120() {
    run(&[
        Do(|c| c.login(b"ftptest", b"secret", None).unwrap()),
        Recv(b"120 Service ready in 5 minutes.\r\n"),
        Send(b""),
        Do(|c| assert_eq!(c.waiting(), Waiting::Greeting)),
        Recv(b"220 Service ready for new user.\r\n"),
        Send(b"USER ftptest\r\n"),
        Recv(b"331 User name okay, need password.\r\n"),
        Send(b"PASS secret\r\n"),
        Recv(b"230 User logged in, proceed.\r\n"),
        Ev("LoggedIn <- 230"),
    ]);
}

#[test]
fn login_started_after_the_greeting_sends_at_once() {
    run(&[
        Recv(b"220-FileZilla Server 1.8.0\r\n220 Please visit https://filezilla-project.org/\r\n"),
        Send(b""),
        Do(|c| assert_eq!(c.waiting(), Waiting::Nothing)),
        Do(|c| c.login(b"ftptest", b"secret", None).unwrap()),
        Send(b"USER ftptest\r\n"),
        Recv(b"331 Please, specify the password.\r\n"),
        Send(b"PASS secret\r\n"),
        Recv(b"230 Login successful.\r\n"),
        Ev("LoggedIn <- 230"),
    ]);
}

const PURE_FTPD_BANNER: &[u8] =
    b"220---------- Welcome to Pure-FTPd [privsep] [TLS] ----------\r\n\
220-You are user number 1 of 50 allowed.\r\n\
220-Local time is now 09:30. Server port: 21.\r\n\
220-This is a private system - No anonymous login\r\n\
220-IPv6 connections are also welcome on this server.\r\n\
220 You will be disconnected after 15 minutes of inactivity.\r\n";

#[test]
fn login_pure_ftpd_multi_line_banner() {
    run(&[
        Do(|c| c.login(b"ftptest", b"secret", None).unwrap()),
        Recv(PURE_FTPD_BANNER),
        Send(b"USER ftptest\r\n"),
        Recv(b"331 User ftptest OK. Password required\r\n"),
        Send(b"PASS secret\r\n"),
        Recv(b"230-User ftptest has group access to:  ftpgroup\r\n230 OK. Current restricted directory is /\r\n"),
        Ev("LoggedIn <- 230"),
    ]);
}

#[test]
fn login_banner_longer_than_the_buffer() {
    // 320 bytes of banner through a 64-byte reply buffer: the truncated
    // reply keeps its code, and the engine logs in on it.
    run_n::<64>(&[
        Do(|c| c.login(b"ftptest", b"secret", None).unwrap()),
        Recv(PURE_FTPD_BANNER),
        Send(b"USER ftptest\r\n"),
        Recv(b"331 User ftptest OK. Password required\r\n"),
        Send(b"PASS secret\r\n"),
        Recv(b"230-User ftptest has group access to:  ftpgroup\r\n230 OK. Current restricted directory is /\r\n"),
        Ev("LoggedIn <- 230"),
        Do(|c| c.pwd().unwrap()),
        Send(b"PWD\r\n"),
        Recv(b"257 \"/\" is your current location\r\n"),
        Ev("Path / <- 257"),
    ]);
}

#[test]
fn greeting_230_is_logged_in_already() {
    // A server that trusts the client's address greets with 230, as curl
    // reads it: the login waiting for the greeting sends nothing.
    run(&[
        Do(|c| c.login(b"ftptest", b"secret", None).unwrap()),
        Recv(b"230 Logged in as a trusted host.\r\n"),
        Ev("LoggedIn <- 230"),
        Send(b""),
        Do(|c| c.pwd().unwrap()),
        Send(b"PWD\r\n"),
        Recv(b"257 \"/\" is the current directory\r\n"),
        Ev("Path / <- 257"),
    ]);
    // A login after that greeting gives LoggedIn with nothing sent, once;
    // the next one sends USER.
    run(&[
        Recv(b"230 Logged in as a trusted host.\r\n"),
        Send(b""),
        // Its arguments are checked all the same.
        Do(|c| {
            let e = c.login(b"a\r\nDELE x", b"secret", None).unwrap_err();
            assert!(matches!(e, ClientError::Argument(_)), "{e:?}");
        }),
        Do(|c| {
            c.login(b"ftptest", b"secret", None).unwrap();
            // Busy until the event is taken.
            assert!(!c.is_idle());
            assert_eq!(c.noop(), Err(ClientError::Busy));
        }),
        Ev("LoggedIn"),
        Send(b""),
        Do(|c| assert!(c.is_idle())),
        Do(|c| c.login(b"other", b"pw", None).unwrap()),
        Send(b"USER other\r\n"),
        Recv(b"331 Password required.\r\n"),
        Send(b"PASS pw\r\n"),
        Recv(b"230 Logged in.\r\n"),
        Ev("LoggedIn <- 230"),
    ]);
}

#[test]
fn greeting_230_while_another_operation_runs() {
    // The 230 comes while PWD waits for the greeting: PWD goes out, and
    // a login while PWD runs is Busy (nothing is taken from the 230). An
    // operation started after it (NOOP) does not forget the 230: the
    // login after it still sends nothing.
    run(&[
        Do(|c| c.pwd().unwrap()),
        Recv(b"230 Logged in as a trusted host.\r\n"),
        Send(b"PWD\r\n"),
        Do(|c| assert_eq!(c.login(b"u", b"p", None), Err(ClientError::Busy))),
        Recv(b"257 \"/\" is the current directory\r\n"),
        Ev("Path / <- 257"),
        Send(b""),
        Do(|c| c.noop().unwrap()),
        Send(b"NOOP\r\n"),
        Recv(b"200 NOOP command successful\r\n"),
        Ev("Done <- 200"),
        Do(|c| c.login(b"u", b"p", None).unwrap()),
        Ev("LoggedIn"),
        Send(b""),
        Do(|c| assert!(c.is_idle())),
    ]);
}

#[test]
fn greeting_200_is_a_greeting() {
    // Conpot (an ICS honeypot, before its 2026 fix) and Ruby's fake_ftp
    // greet with 200; Python's ftplib takes any positive greeting.
    run(&[
        Do(|c| c.login(b"ftptest", b"secret", None).unwrap()),
        Recv(b"200 Siemens, SIMATIC, S7-200\r\n"),
        Send(b"USER ftptest\r\n"),
        Recv(b"331 Password required.\r\n"),
        Send(b"PASS secret\r\n"),
        Recv(b"230 Logged in.\r\n"),
        Ev("LoggedIn <- 230"),
    ]);
    // Any other positive code is still no greeting.
    run(&[
        Recv(b"221 Goodbye.\r\n"),
        Ev("Closed Refused 221 <- 221"),
        Do(all_closed),
    ]);
}

#[test]
fn greeting_421_closes_the_session() {
    run(&[
        Do(|c| c.login(b"ftptest", b"secret", None).unwrap()),
        Recv(b"421 There are too many connections from your internet address.\r\n"),
        Ev("Closed ServiceClosing 421 <- 421"),
        Send(b""),
        Do(all_closed),
        Recv(b"220 late\r\n"),
        Send(b""),
    ]);
}

/// Replies read in the same bytes as a 421, after it: nothing more comes
/// out once the session is closed.
#[test]
fn replies_after_a_421_give_no_event() {
    run(&with_login(&[
        Do(|c| c.noop().unwrap()),
        Send(b"NOOP\r\n"),
        Recv(b"421 Timeout.\r\n200 NOOP ok.\r\n226 Transfer complete.\r\n"),
        Ev("Closed ServiceClosing 421 <- 421"),
        Do(all_closed),
        Send(b""),
    ]));
}

#[test]
fn greeting_refused_closes_the_session() {
    run(&[
        Recv(b"530 Connection refused by the server.\r\n"),
        Ev("Closed Refused 530 <- 530"),
        Do(all_closed),
    ]);
}

#[test]
fn greeting_421_block_during_the_120_wait() {
    run(&[
        Do(|c| c.login(b"ftptest", b"secret", None).unwrap()),
        Recv(b"120 Service ready in 5 minutes.\r\n"),
        Recv(b"421-Service not available,\r\n421 closing control connection.\r\n"),
        Ev("Closed ServiceClosing 421 <- 421"),
        Send(b""),
        Do(all_closed),
    ]);
}

#[test]
fn login_421_after_user() {
    run(&[
        Do(|c| c.login(b"ftptest", b"secret", None).unwrap()),
        Recv(b"220 ProFTPD Server ready.\r\n"),
        Send(b"USER ftptest\r\n"),
        Recv(b"421 Login timeout (300 seconds): closing control connection\r\n"),
        Ev("Closed ServiceClosing 421 <- 421"),
        Send(b""),
        Do(all_closed),
    ]);
}

#[test]
fn login_busy_while_it_runs() {
    run(&[
        Do(|c| c.login(b"ftptest", b"secret", None).unwrap()),
        Do(all_busy),
        Recv(b"220 ProFTPD Server ready.\r\n"),
        Do(all_busy),
        Send(b"USER ftptest\r\n"),
        Recv(b"331 Password required for ftptest\r\n"),
        Do(all_busy),
        Send(b"PASS secret\r\n"),
        Recv(b"230 User ftptest logged in\r\n"),
        Ev("LoggedIn <- 230"),
        Do(|c| assert!(c.is_idle())),
    ]);
}

// Replies that come before their command.

#[test]
fn reply_before_user_is_sent_closes() {
    // The server sends 230 with its banner, before it could have read USER.
    run(&[
        Do(|c| c.login(b"ftptest", b"secret", None).unwrap()),
        Recv(b"220 ProFTPD Server ready.\r\n230 User ftptest logged in\r\n"),
        Ev("Closed Unexpected 230 <- 230"),
        Send(b""),
        Do(all_closed),
    ]);
}

#[test]
fn reply_while_the_command_is_half_sent_closes() {
    run(&[
        Do(|c| c.login(b"ftptest", b"secret", None).unwrap()),
        Recv(b"220 ProFTPD Server ready.\r\n"),
        Do(|c| {
            assert_eq!(c.transmit(), b"USER ftptest\r\n");
            c.sent(5);
            assert_eq!(c.transmit(), b"ftptest\r\n");
        }),
        Recv(b"331 Password required for ftptest\r\n"),
        Ev("Closed Unexpected 331 <- 331"),
        Send(b""),
        Do(all_closed),
    ]);
}

/// A malformed reply before the command is sent answers nothing the
/// engine sent: the session closes, as for a well-formed one.
#[test]
fn malformed_reply_before_noop_is_sent_closes() {
    run(&with_login(&[
        Do(|c| c.noop().unwrap()),
        Recv(b"200 NOOP\0 ok.\r\n"),
        Ev("Closed Malformed(NulByte@98)"),
        Send(b""),
        Do(all_closed),
    ]));
}

#[test]
fn reply_before_noop_is_sent_closes() {
    run(&with_login(&[
        Do(|c| c.noop().unwrap()),
        Recv(b"200 NOOP ok.\r\n"),
        Ev("Closed Unexpected 200 <- 200"),
        Send(b""),
        Do(all_closed),
    ]));
}

#[test]
fn reply_421_before_noop_is_sent_is_still_421() {
    run(&with_login(&[
        Do(|c| c.noop().unwrap()),
        Recv(b"421 Timeout.\r\n"),
        Ev("Closed ServiceClosing 421 <- 421"),
        Send(b""),
        Do(all_closed),
    ]));
}

#[test]
fn reply_while_idle_closes() {
    run(&with_login(&[
        Recv(b"226 Transfer complete.\r\n"),
        Ev("Closed Unexpected 226 <- 226"),
        Send(b""),
        Do(all_closed),
    ]));
}

#[test]
fn reply_before_retr_is_sent_closes() {
    // The 150 comes while the engine waits for the caller's data
    // connection: RETR is not sent yet.
    run(&with_login(&[
        Do(|c| c.retrieve(b"hello.txt", 0).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering Extended Passive Mode (|||40001|)\r\n"),
        Ev("Connect 192.0.2.1:40001 <- 229"),
        Recv(b"150 Opening BINARY mode data connection for hello.txt (12 bytes)\r\n"),
        Ev("Closed Unexpected 150 <- 150"),
        Do(|c| assert_eq!(c.data_connected(), Err(ClientError::NoTransfer))),
        Send(b""),
        Do(all_closed),
    ]));
}

/// After a 229 the EPSV line stays first, and sent, until the data
/// connection opens: a reply then still answers nothing the engine sent
/// (RETR is not out), and the session closes as it does after a 227, not
/// as a refusal of the transfer (cargo-mutants: deleting on_reply's
/// `Step::Idle | Step::Connect` arm gave `Failed RETR 226 Refused`).
#[test]
fn reply_while_connecting_after_229_closes() {
    run(&with_login(&[
        Do(|c| c.retrieve(b"hello.txt", 0).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering Extended Passive Mode (|||40001|)\r\n"),
        Ev("Connect 192.0.2.1:40001 <- 229"),
        Recv(b"226 Transfer complete.\r\n"),
        Ev("Closed Unexpected 226 <- 226"),
        Do(|c| assert_eq!(c.data_connected(), Err(ClientError::NoTransfer))),
        Send(b""),
        Do(all_closed),
    ]));
}

/// The same with a reply that cannot be read (a NUL in its text): it too
/// answers nothing while the engine waits for the data connection after a
/// 229, and closes the session (cargo-mutants: deleting on_error's
/// `Step::Idle | Step::Connect` arm gave
/// `Failed RETR 226 Malformed(NulByte@150)`).
#[test]
fn malformed_reply_while_connecting_after_229_closes() {
    run(&with_login(&[
        Do(|c| c.retrieve(b"hello.txt", 0).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering Extended Passive Mode (|||40001|)\r\n"),
        Ev("Connect 192.0.2.1:40001 <- 229"),
        Recv(b"226 Transfer\0complete.\r\n"),
        Ev("Closed Malformed(NulByte@150)"),
        Do(|c| assert_eq!(c.data_connected(), Err(ClientError::NoTransfer))),
        Send(b""),
        Do(all_closed),
    ]));
}

/// A reply that answers nothing after a transfer's 226 (a second 226, a
/// 221 as the server hangs up, a 200) closes the session, but only once
/// the transfer the 226 confirmed has ended with its data: the order in
/// which the caller reads its two sockets does not decide whether the
/// file arrived. Nothing more is read from the control connection.
#[test]
fn a_reply_after_226_closes_once_the_data_ends() {
    for (stray, code) in [
        (&b"226 Directory send OK.\r\n"[..], "226"),
        (b"221 Goodbye.\r\n", "221"),
        (b"200 Whatever.\r\n500 junk\r\n", "200"),
    ] {
        let mut recv = b"226 Directory send OK.\r\n".to_vec();
        recv.extend_from_slice(stray);
        let recv: &'static [u8] = Vec::leak(recv);
        let want: &'static str = String::leak(format!("Closed Unexpected {code}"));
        run(&with_listing(&[
            Recv(recv),
            Do(|c| {
                assert!(c.poll_event().is_none(), "the data has not ended");
                assert_eq!(c.noop(), Err(ClientError::Closed));
                c.data_end().unwrap();
            }),
            Ev("TransferDone"),
            Ev(want),
            Do(all_closed),
        ]));
    }
    // Data ended first: the transfer is done at its 226, and the stray
    // reply finds the session idle.
    run(&with_listing(&[
        Do(|c| c.data_end().unwrap()),
        Recv(b"226 Directory send OK.\r\n221 Goodbye.\r\n"),
        Ev("TransferDone <- 226"),
        Ev("Closed Unexpected 221 <- 221"),
        Do(all_closed),
    ]));
}

/// Closing on a reply after a transfer's 226, the data not ended: once
/// `poll_event` has returned `None`, a reader is given room (an empty
/// slice would make its `Ok(0)` pass for the end of the stream) and what
/// it writes is dropped, as is a line begun before.
#[test]
fn receive_with_while_closing_gives_room_and_drops_the_bytes() {
    run(&with_listing(&[
        Recv(b"226 Directory send OK.\r\n221 Goodbye.\r\n230 a line begun"),
        Do(|c| {
            assert!(c.poll_event().is_none(), "the data has not ended");
            assert_eq!(c.buffered(), 0, "the line begun is dropped");
            for _ in 0..3 {
                let mut room = 0;
                let got = c.receive_with(|buf| {
                    room = buf.len();
                    buf.fill(b'\n');
                    Ok::<_, ()>(buf.len())
                });
                assert_eq!((got, room), (Ok(512), 512));
                assert!(c.poll_event().is_none());
                assert_eq!(c.buffered(), 0);
            }
            c.data_end().unwrap();
        }),
        Ev("TransferDone"),
        Ev("Closed Unexpected 221"),
        Do(all_closed),
    ]));
}

/// After a transfer's 226, before its data's end, a line that cannot be
/// read but has a code waits for the data's end as a reply does (a 421
/// too), and once one did, nothing after it is read: not even a line with
/// no code, so where the server's bytes are split changes nothing (`run`
/// feeds them whole, by 1 and by 7 bytes).
#[test]
fn a_bad_line_after_226_waits_for_the_data_end_as_a_reply_does() {
    for (recv, closed) in [
        (
            &b"226 ok\r\n221 bye\r\n2x6 junk\r\n"[..],
            "Closed Unexpected 221",
        ),
        (b"226 ok\r\n421 b\0ye\r\n", "Closed ServiceClosing 421"),
        (
            b"226 ok\r\n200 x\0y\r\n2x6 junk\r\n",
            "Closed Unexpected 200",
        ),
        (
            b"226 ok\r\n150 x\0y\r\n421 bye\r\n",
            "Closed Unexpected 150",
        ),
    ] {
        let recv: &'static [u8] = Vec::leak(recv.to_vec());
        let closed: &'static str = String::leak(closed.to_string());
        run(&with_listing(&[
            Recv(recv),
            Do(|c| {
                assert!(c.poll_event().is_none(), "the data has not ended");
                assert_eq!(c.buffered(), 0);
                c.data_end().unwrap();
            }),
            Ev("TransferDone"),
            Ev(closed),
            Do(all_closed),
        ]));
    }
}

/// `control_closed` empties `transmit` at once (a command not yet sent
/// would go to a connection that has ended), and once the session is
/// closed, `buffered` counts nothing that is never read.
#[test]
fn nothing_to_send_after_control_closed_and_nothing_held_after_closed() {
    let mut c = Client::<512>::new(PEER);
    c.login(b"u", b"p", None).unwrap();
    assert_eq!(c.receive(b"220 hi\r\n"), 8);
    assert!(c.poll_event().is_none());
    assert_eq!(c.transmit(), b"USER u\r\n");
    c.control_closed();
    assert_eq!(c.transmit(), b"");
    let mut events = Vec::new();
    drain(&mut c, &mut events);
    assert_eq!(events, ["Closed ConnectionLost"]);

    let mut c = Client::<512>::new(PEER);
    let bytes = b"421 bye\r\n200 a\r\n200 b\r\n";
    assert_eq!(c.receive(bytes), bytes.len());
    let mut events = Vec::new();
    drain(&mut c, &mut events);
    assert_eq!(events, ["Closed ServiceClosing 421 <- 421"]);
    assert_eq!(c.buffered(), 0);
}

#[test]
fn not_a_reply_after_the_final_reply_of_a_transfer_closes() {
    // Login is 90 bytes, EPSV's 229 48, the 150 39, the 226 24: the bad
    // line starts at 201, its `x` at 202.
    run(&with_listing(&[
        Recv(b"226 Directory send OK.\r\n2x6 junk\r\n"),
        Ev("Closed Malformed(InvalidCode@202)"),
        Do(all_closed),
    ]));
}

// FEAT.

const PROFTPD_FEAT: &[u8] = b"211-Features:\r\n\
 LANG en-US*\r\n\
 MDTM\r\n\
 MFMT\r\n\
 TVFS\r\n\
 UTF8\r\n\
 MFF modify;UNIX.group;UNIX.mode;\r\n\
 MLST modify*;perm*;size*;type*;unique*;UNIX.group*;UNIX.groupname*;UNIX.mode*;UNIX.owner*;UNIX.ownername*;\r\n\
 SIZE\r\n\
 EPRT\r\n\
 EPSV\r\n\
 REST STREAM\r\n\
211 End\r\n";

#[test]
fn feat_proftpd_then_opts_utf8() {
    run(&with_login(&[
        Do(|c| assert_eq!(c.features(), FeatureSet::EMPTY)),
        Do(|c| c.feat().unwrap()),
        Send(b"FEAT\r\n"),
        Recv(PROFTPD_FEAT),
        Send(b"OPTS UTF8 ON\r\n"),
        Recv(b"200 UTF8 set to on\r\n"),
        Ev("Features[EPSV MLST SIZE MDTM REST-STREAM UTF8 UTF8-ON] <- 200"),
        Send(b""),
        Do(|c| {
            let f = c.features();
            assert!(f.epsv && f.mlst && f.size && f.mdtm && f.rest_stream && f.utf8 && f.utf8_on);
            assert!(!c.passive_fallback());
        }),
    ]));
}

#[test]
fn feat_vsftpd() {
    run(&with_login(&[
        Do(|c| c.feat().unwrap()),
        Send(b"FEAT\r\n"),
        Recv(b"211-Features:\r\n EPRT\r\n EPSV\r\n MDTM\r\n PASV\r\n REST STREAM\r\n SIZE\r\n TVFS\r\n UTF8\r\n211 End\r\n"),
        Send(b"OPTS UTF8 ON\r\n"),
        Recv(b"200 Always in UTF8 mode.\r\n"),
        Ev("Features[EPSV SIZE MDTM REST-STREAM UTF8 UTF8-ON] <- 200"),
    ]));
}

/// REST counts only with STREAM as its parameter (RFC 3659 5.5): a bare
/// `REST`, or `STREAM` after another name, is not restart support.
#[test]
fn feat_rest_without_stream_is_not_rest_stream() {
    run(&with_login(&[
        Do(|c| c.feat().unwrap()),
        Send(b"FEAT\r\n"),
        Recv(b"211-Features:\r\n REST\r\n MODE STREAM\r\n SIZE\r\n211 End\r\n"),
        Ev("Features[SIZE] <- 211"),
    ]));
}

#[test]
fn feat_pure_ftpd() {
    run(&with_login(&[
        Do(|c| c.feat().unwrap()),
        Send(b"FEAT\r\n"),
        Recv(b"211-Extensions supported:\r\n EPRT\r\n IDLE\r\n MDTM\r\n SIZE\r\n MFMT\r\n REST STREAM\r\n MLST type*;size*;sizd*;modify*;UNIX.mode*;UNIX.uid*;UNIX.gid*;unique*;\r\n MLSD\r\n PRET\r\n AUTH TLS\r\n PBSZ\r\n PROT\r\n UTF8\r\n TVFS\r\n ESTA\r\n PASV\r\n EPSV\r\n ESTP\r\n211 End.\r\n"),
        Send(b"OPTS UTF8 ON\r\n"),
        Recv(b"200 OK, UTF-8 enabled\r\n"),
        Ev("Features[EPSV MLST SIZE MDTM REST-STREAM UTF8 UTF8-ON] <- 200"),
    ]));
}

/// pyftpdlib 1.5.7 (tests/data/pyftpdlib): UTF8 listed, but OPTS takes
/// MLST only, so `OPTS UTF8 ON` gets 501; MLST is flagged.
#[test]
fn feat_pyftpdlib_501_to_opts() {
    run(&then_noop(with_login(&[
        Do(|c| c.feat().unwrap()),
        Send(b"FEAT\r\n"),
        Recv(b"211-Features supported:\r\n EPRT\r\n EPSV\r\n MDTM\r\n MFMT\r\n MLST type*;perm*;size*;modify*;unique*;unix.mode;unix.uid;unix.gid;\r\n REST STREAM\r\n SIZE\r\n TVFS\r\n UTF8\r\n211 End FEAT.\r\n"),
        Send(b"OPTS UTF8 ON\r\n"),
        Recv(b"501 Invalid argument.\r\n"),
        Ev("Features[EPSV MLST SIZE MDTM REST-STREAM UTF8] <- 501"),
        Do(|c| assert!(c.features().utf8 && !c.features().utf8_on)),
    ])));
}

#[test]
fn feat_iis() {
    run(&with_login(&[
        Do(|c| c.feat().unwrap()),
        Send(b"FEAT\r\n"),
        // (`REST  STREAM ` with two spaces and a trailing one: the feature
        // line and its parameter are read trimmed.)
        Recv(b"211-Extended features supported:\r\n LANG EN*\r\n UTF8\r\n AUTH TLS;TLS-C;SSL;TLS-P;\r\n PBSZ\r\n PROT C;P;\r\n CCC\r\n HOST\r\n SIZE\r\n MDTM\r\n REST  STREAM \r\n211 END\r\n"),
        Send(b"OPTS UTF8 ON\r\n"),
        Recv(b"200 OPTS UTF8 command successful - UTF8 encoding now ON.\r\n"),
        Ev("Features[SIZE MDTM REST-STREAM UTF8 UTF8-ON] <- 200"),
    ]));
}

#[test]
fn feat_filezilla_202_to_opts_is_on() {
    run(&with_login(&[
        Do(|c| c.feat().unwrap()),
        Send(b"FEAT\r\n"),
        Recv(b"211-Features:\r\n MDTM\r\n REST STREAM\r\n SIZE\r\n MLST type*;size*;modify*;\r\n MLSD\r\n UTF8\r\n CLNT\r\n MFMT\r\n EPSV\r\n EPRT\r\n211 End\r\n"),
        Send(b"OPTS UTF8 ON\r\n"),
        Recv(b"202 UTF8 mode is always enabled. No need to send this command.\r\n"),
        Ev("Features[EPSV MLST SIZE MDTM REST-STREAM UTF8 UTF8-ON] <- 202"),
    ]));
}

#[test]
fn feat_opts_refused_keeps_utf8_off() {
    run(&then_noop(with_login(&[
        Do(|c| c.feat().unwrap()),
        Send(b"FEAT\r\n"),
        Recv(b"211-Features:\r\n SIZE\r\n UTF8\r\n211 End\r\n"),
        Send(b"OPTS UTF8 ON\r\n"),
        Recv(b"501 OPTS: UTF8 not understood\r\n"),
        Ev("Features[SIZE UTF8] <- 501"),
        Do(|c| assert!(c.features().utf8 && !c.features().utf8_on)),
    ])));
}

#[test]
fn feat_without_utf8_sends_no_opts() {
    run(&with_login(&[
        Do(|c| c.feat().unwrap()),
        Send(b"FEAT\r\n"),
        Recv(b"211-Features:\r\n LANG en-US*\r\n MDTM\r\n MFMT\r\n TVFS\r\n SIZE\r\n EPRT\r\n EPSV\r\n REST STREAM\r\n211 End\r\n"),
        Ev("Features[EPSV SIZE MDTM REST-STREAM] <- 211"),
        Send(b""),
    ]));
}

#[test]
fn feat_refused_gives_empty_features() {
    run(&then_noop(with_login(&[
        Do(|c| c.feat().unwrap()),
        Send(b"FEAT\r\n"),
        Recv(b"500 'FEAT': command not understood.\r\n"),
        Ev("Features[] <- 500"),
        Send(b""),
        Do(|c| assert_eq!(c.features(), FeatureSet::EMPTY)),
        Do(|c| c.feat().unwrap()),
        Send(b"FEAT\r\n"),
        Recv(b"502 Command not implemented.\r\n"),
        Ev("Features[] <- 502"),
        Send(b""),
        Do(|c| assert_eq!(c.features(), FeatureSet::EMPTY)),
    ])));
}

#[test]
fn feat_other_error_fails() {
    run(&then_noop(with_login(&[
        Do(|c| c.feat().unwrap()),
        Send(b"FEAT\r\n"),
        Recv(b"530 Please login with USER and PASS.\r\n"),
        Ev("Failed FEAT 530 Refused <- 530"),
        Send(b""),
    ])));
}

#[test]
fn endless_line_then_timer() {
    // `200 ` and a megabyte with no line end, through a 64-byte buffer.
    fn endless() -> &'static [u8] {
        let mut v = b"200 ".to_vec();
        v.resize(1 << 20, b'a');
        v.leak()
    }
    let mut script = vec![
        Recv(b"220 ProFTPD Server ready.\r\n"),
        Do(|c: &mut Client<64>| c.binary().unwrap()),
        Send(b"TYPE I\r\n"),
    ];
    script.push(Recv(endless()));
    script.extend([
        Do(|c| assert_eq!(c.timer_fired(), Waiting::Reply(Some(Command::Type)))),
        Ev("Closed TimedOut Reply(Some(Type))"),
        Do(all_closed),
    ]);
    run_n::<64>(&script);
}

#[test]
fn feat_longer_than_the_buffer_gives_no_features() {
    // Through a 64-byte buffer only the first line of ProFTPD's 211 is
    // kept: the engine acts on the code, with no features (and so no
    // OPTS).
    run_n::<64>(&[
        Recv(b"220 ProFTPD Server ready.\r\n"),
        Do(|c| c.feat().unwrap()),
        Send(b"FEAT\r\n"),
        Recv(PROFTPD_FEAT),
        Ev("Features[] <- 211"),
        Send(b""),
    ]);
}

#[test]
fn feat_endless_block_then_timer() {
    // `211-` and then lines that never close the block: no event, no
    // growth (a 512-byte buffer takes it all), until the timer fires.
    fn endless() -> &'static [u8] {
        let mut v = b"211-Features:\r\n".to_vec();
        for i in 0..5000 {
            v.extend_from_slice(format!(" X-FEATURE-{i} with some parameters\r\n").as_bytes());
        }
        v.leak()
    }
    let mut script = with_login(&[Do(|c| c.feat().unwrap()), Send(b"FEAT\r\n")]);
    script.push(Recv(endless()));
    script.extend(
        [
            Do(|c| assert_eq!(c.waiting(), Waiting::Reply(Some(Command::Feat)))),
            Send(b""),
            Do(|c| assert_eq!(c.timer_fired(), Waiting::Reply(Some(Command::Feat)))),
            Ev("Closed TimedOut Reply(Some(Feat))"),
            Do(all_closed),
            Recv(b"211 End\r\n"),
            Send(b""),
        ]
        .iter()
        .map(copy),
    );
    run(&script);
}

// TYPE, and replies that are not replies.

#[test]
fn binary() {
    run(&with_login(&[
        Do(|c| c.binary().unwrap()),
        Send(b"TYPE I\r\n"),
        Recv(b"200 Switching to Binary mode.\r\n"),
        Ev("Done <- 200"),
        Send(b""),
    ]));
}

#[test]
fn binary_refused() {
    run(&with_login(&[
        Do(|c| c.binary().unwrap()),
        Send(b"TYPE I\r\n"),
        Recv(b"504 Command not implemented for that parameter.\r\n"),
        Ev("Failed TYPE 504 Refused <- 504"),
        Send(b""),
    ]));
}

#[test]
fn reply_with_nul_fails_the_command_and_the_session_goes_on() {
    // Login is 14 + 35 + 13 + 28 = 90 bytes from the first one pushed;
    // the NUL is 16 bytes into the reply.
    run(&then_noop(with_login(&[
        Do(|c| c.binary().unwrap()),
        Send(b"TYPE I\r\n"),
        Recv(b"200 Switching to\0 Binary mode.\r\n"),
        Ev("Failed TYPE 200 Malformed(NulByte@106)"),
        Send(b""),
    ])));
}

#[test]
fn reply_with_bad_code_fails_the_command_and_the_session_goes_on() {
    run(&then_noop(with_login(&[
        Do(|c| c.cwd(b"pub").unwrap()),
        Send(b"CWD pub\r\n"),
        Recv(b"2x0 Directory successfully changed.\r\n"),
        // The `x` is 91 bytes from the first one pushed.
        Ev("Failed CWD - Malformed(InvalidCode@91)"),
        Send(b""),
    ])));
}

#[test]
fn a_line_with_a_code_no_reply_has_fails_the_command() {
    // `999`, `000`: three digits and a space, but no first digit a reply
    // can start with. Meant as the answer (curl fails the command at once
    // too), not text to skip: the command fails now, not at its timer.
    for line in [&b"999 No such code\r\n"[..], b"000 x\r\n", b"7\r\n"] {
        run(&then_noop(with_login(&[
            Do(|c| c.cwd(b"pub").unwrap()),
            Send(b"CWD pub\r\n"),
            Recv(line),
            Ev("Failed CWD - Malformed(InvalidCode@90)"),
            Send(b""),
        ])));
        run(&with_login(&[
            Recv(line),
            Ev("Closed Malformed(InvalidCode@90)"),
            Do(all_closed),
        ]));
    }
}

#[test]
fn text_that_is_not_a_reply_is_skipped_while_idle() {
    // No line that cannot start a code stands for an answer
    // (`ErrorKind::InvalidCode`): nothing happens, and the session goes on.
    run(&then_noop(with_login(&[Recv(b"hello\r\n\r\n   \r\n")])));
}

#[test]
fn a_line_starting_like_a_reply_with_a_bad_code_while_idle_closes() {
    // `2x0` starts like a reply: an answer no command asked for.
    run(&with_login(&[
        Recv(b"2x0 hello\r\n"),
        Ev("Closed Malformed(InvalidCode@91)"),
        Do(all_closed),
    ]));
}

#[test]
fn text_between_replies_is_skipped() {
    // Seen from servers and proxies, and skipped by curl: an empty line
    // after a reply, the rest of a banner written without its code, prose
    // before the answer. Each reply still answers its own command.
    run(&then_noop(vec![
        Do(|c| c.login(b"ftptest", b"secret", None).unwrap()),
        Send(b""),
        Recv(b"220 Welcome\r\nto my server\r\n\r\n"),
        Send(b"USER ftptest\r\n"),
        Recv(b"please wait\r\n"),
        Recv(b"331 Password required for ftptest\r\n"),
        Send(b"PASS secret\r\n"),
        Recv(b"\r\n230 User ftptest logged in\r\n\n"),
        Ev("LoggedIn <- 230"),
        Do(|c| c.size(b"f").unwrap()),
        Send(b"SIZE f\r\n"),
        Recv(b" 213 12\r\n213 1234\r\n"),
        Ev("Size(1234) <- 213"),
    ]));
}

#[test]
fn a_greeting_in_two_replies_is_one_greeting() {
    // ESP8266 nodemcu-lua's FTP server greets with two one-line 220s. The
    // second answers nothing (only the connection's start and REIN have a
    // 220, RFC 959 5.4, and the engine never sends REIN), whether it
    // comes before USER goes out, or after it, before USER's answer.
    run(&then_noop(vec![
        Do(|c| c.login(b"ftptest", b"secret", None).unwrap()),
        Send(b""),
        Recv(b"220 -- Welcome to FTP for ESP8266 nodemcu lua 1.0 --\r\n"),
        Recv(b"220 -- FTP server commands implemented: USER, PASS, RNTO --\r\n"),
        Send(b"USER ftptest\r\n"),
        Recv(b"331 Password required for ftptest\r\n"),
        Send(b"PASS secret\r\n"),
        Recv(b"230 User ftptest logged in\r\n"),
        Ev("LoggedIn <- 230"),
    ]));
    run(&then_noop(vec![
        Do(|c| c.login(b"ftptest", b"secret", None).unwrap()),
        Send(b""),
        Recv(b"220 -- Welcome to FTP for ESP8266 nodemcu lua 1.0 --\r\n"),
        Send(b"USER ftptest\r\n"),
        Recv(b"220 -- FTP server commands implemented: USER, PASS, RNTO --\r\n"),
        Send(b""),
        Recv(b"331 Password required for ftptest\r\n"),
        Send(b"PASS secret\r\n"),
        Recv(b"230 User ftptest logged in\r\n"),
        Ev("LoggedIn <- 230"),
        // While idle too: a stray 220 is skipped, and the session goes on.
        Recv(b"220 still here\r\n"),
    ]));
}

#[test]
fn text_before_the_greeting_closes() {
    // A first line that is no reply: not an FTP server (an SSH or HTTP
    // port); closing at once beats waiting for a greeting.
    run(&[
        Do(|c| c.login(b"ftptest", b"secret", None).unwrap()),
        Recv(b"\r\n"),
        Ev("Closed Malformed(InvalidCode@0)"),
        Send(b""),
        Do(all_closed),
    ]);
}

// Transfers.

#[test]
fn retrieve_epsv() {
    run(&with_login(&[
        Do(|c| c.retrieve(b"hello.txt", 0).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering Extended Passive Mode (|||40001|)\r\n"),
        Ev("Connect 192.0.2.1:40001 <- 229"),
        Send(b""),
        Do(|c| assert_eq!(c.waiting(), Waiting::DataConnection)),
        // `data_end` (not a failure) before the data connection was
        // reported open is no transfer's end: refused, nothing is sent.
        Do(|c| assert_eq!(c.data_end(), Err(ClientError::NoTransfer))),
        Send(b""),
        Do(|c| assert_eq!(c.waiting(), Waiting::DataConnection)),
        Do(|c| c.data_connected().unwrap()),
        Send(b"RETR hello.txt\r\n"),
        Recv(b"150 Opening BINARY mode data connection for hello.txt (12 bytes)\r\n"),
        Ev("TransferStarted(Some(12)) <- 150"),
        Recv(b"226 Transfer complete\r\n"),
        Do(|c| c.data_end().unwrap()),
        Ev("TransferDone"),
    ]));
}

#[test]
fn retrieve_vsftpd_data_end_first() {
    run(&with_login(&[
        Do(|c| c.retrieve(b"hello.txt", 0).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering Extended Passive Mode (|||40001|)\r\n"),
        Ev("Connect 192.0.2.1:40001 <- 229"),
        Do(|c| c.data_connected().unwrap()),
        Send(b"RETR hello.txt\r\n"),
        Recv(b"150 Opening BINARY mode data connection for hello.txt (12 bytes).\r\n"),
        Ev("TransferStarted(Some(12)) <- 150"),
        Do(|c| {
            assert_eq!(
                c.waiting(),
                Waiting::TransferEnd {
                    reply: true,
                    data: true
                }
            );
            c.data_end().unwrap();
            assert_eq!(
                c.waiting(),
                Waiting::TransferEnd {
                    reply: true,
                    data: false
                }
            );
        }),
        Do(all_busy),
        Recv(b"226 Transfer complete.\r\n"),
        Ev("TransferDone <- 226"),
        Send(b""),
        Do(|c| assert!(c.is_idle())),
    ]));
}

/// RETR hello.txt whose 226 comes before the data connection's end: the
/// transfer waits for that end.
const RETR_REPLY_FIRST: &[Step] = &[
    Do(|c| c.retrieve(b"hello.txt", 0).unwrap()),
    Send(b"EPSV\r\n"),
    Recv(b"229 Entering Extended Passive Mode (|||40001|)\r\n"),
    Ev("Connect 192.0.2.1:40001 <- 229"),
    Do(|c| c.data_connected().unwrap()),
    Send(b"RETR hello.txt\r\n"),
    Recv(b"150 Opening BINARY mode data connection for hello.txt (12 bytes).\r\n"),
    Ev("TransferStarted(Some(12)) <- 150"),
    Recv(b"226 Transfer complete.\r\n"),
    Do(|c| {
        assert_eq!(
            c.waiting(),
            Waiting::TransferEnd {
                reply: false,
                data: true
            }
        )
    }),
    Do(all_busy),
    Do(|c| c.data_end().unwrap()),
    Ev("TransferDone"),
];

#[test]
fn retrieve_reply_first_then_data_end() {
    run(&then_noop(with_login(RETR_REPLY_FIRST)));
}

#[test]
fn retrieve_filezilla_150_without_size() {
    run(&with_login(&[
        Do(|c| c.retrieve(b"/hello.txt", 0).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering Extended Passive Mode (|||50123|)\r\n"),
        Ev("Connect 192.0.2.1:50123 <- 229"),
        Do(|c| c.data_connected().unwrap()),
        Send(b"RETR /hello.txt\r\n"),
        Recv(b"150 Opening data channel for file download from server of \"/hello.txt\"\r\n"),
        Ev("TransferStarted(None) <- 150"),
        Do(|c| c.data_end().unwrap()),
        Recv(b"226 Successfully transferred \"/hello.txt\"\r\n"),
        Ev("TransferDone <- 226"),
    ]));
}

/// SimpleFTPServer (Arduino, ESP32) opens its 150 as a block and gives
/// the size on the block's last line, not in parentheses.
#[test]
fn retrieve_simpleftpserver_150_block_with_size_last() {
    run(&with_login(&[
        Do(|c| c.retrieve(b"/log.txt", 0).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering Extended Passive Mode (|||50009|)\r\n"),
        Ev("Connect 192.0.2.1:50009 <- 229"),
        Do(|c| c.data_connected().unwrap()),
        Send(b"RETR /log.txt\r\n"),
        Recv(b"150-Connected to port 50009\r\n150 1234 bytes to download\r\n"),
        Ev("TransferStarted(Some(1234)) <- 150"),
        Do(|c| c.data_end().unwrap()),
        Recv(b"226-File successfully transferred\r\n226 1 ms, 1234 bytes/s\r\n"),
        Ev("TransferDone <- 226"),
    ]));
}

#[test]
fn retrieve_with_rest_offset() {
    run(&with_login(&[
        Do(|c| c.retrieve(b"big.iso", 524_288).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering Extended Passive Mode (|||31746|)\r\n"),
        Ev("Connect 192.0.2.1:31746 <- 229"),
        // REST goes only once the data connection is open, right before
        // RETR.
        Send(b""),
        Do(|c| c.data_connected().unwrap()),
        Send(b"REST 524288\r\n"),
        Do(|c| assert_eq!(c.waiting(), Waiting::Reply(Some(Command::Rest)))),
        Recv(b"350 Restarting at 524288. Send STORE or RETRIEVE to initiate transfer\r\n"),
        Send(b"RETR big.iso\r\n"),
        Recv(b"150 Opening BINARY mode data connection for big.iso (1048576 bytes)\r\n"),
        Ev("TransferStarted(Some(1048576)) <- 150"),
        Do(|c| c.data_end().unwrap()),
        Recv(b"226 Transfer complete\r\n"),
        Ev("TransferDone <- 226"),
    ]));
}

#[test]
fn retrieve_rest_refused_fails_and_retr_is_not_sent() {
    run(&then_noop(with_login(&[
        Do(|c| c.retrieve(b"big.iso", 100).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering Extended Passive Mode (|||31746|)\r\n"),
        Ev("Connect 192.0.2.1:31746 <- 229"),
        Do(|c| c.data_connected().unwrap()),
        Send(b"REST 100\r\n"),
        Recv(b"554 Requested action not taken: invalid REST parameter.\r\n"),
        Ev("Failed REST 554 Refused <- 554"),
        Send(b""),
        Do(|c| assert_eq!(c.data_end(), Err(ClientError::NoTransfer))),
    ])));
}

#[test]
fn retrieve_550_in_place_of_150() {
    run(&then_noop(with_login(&[
        Do(|c| c.retrieve(b"nothere.txt", 0).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering Extended Passive Mode (|||40001|)\r\n"),
        Ev("Connect 192.0.2.1:40001 <- 229"),
        Do(|c| c.data_connected().unwrap()),
        Send(b"RETR nothere.txt\r\n"),
        Recv(b"550 Failed to open file.\r\n"),
        Ev("Failed RETR 550 Refused <- 550"),
        Send(b""),
        Do(|c| assert_eq!(c.data_end(), Err(ClientError::NoTransfer))),
    ])));
}

#[test]
fn retrieve_425_in_place_of_150() {
    run(&then_noop(with_login(&[
        Do(|c| c.retrieve(b"hello.txt", 0).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering Extended Passive Mode (|||40001|)\r\n"),
        Ev("Connect 192.0.2.1:40001 <- 229"),
        Do(|c| c.data_connected().unwrap()),
        Send(b"RETR hello.txt\r\n"),
        Recv(b"425 Failed to establish connection.\r\n"),
        Ev("Failed RETR 425 Refused <- 425"),
    ])));
}

#[test]
fn retrieve_426_after_a_broken_transfer() {
    run(&then_noop(with_login(&[
        Do(|c| c.retrieve(b"hello.txt", 0).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering Extended Passive Mode (|||40001|)\r\n"),
        Ev("Connect 192.0.2.1:40001 <- 229"),
        Do(|c| c.data_connected().unwrap()),
        Send(b"RETR hello.txt\r\n"),
        Recv(b"150 Opening BINARY mode data connection for hello.txt (12 bytes).\r\n"),
        Ev("TransferStarted(Some(12)) <- 150"),
        Do(|c| c.data_failed().unwrap()),
        Recv(b"426 Failure writing network stream.\r\n"),
        Ev("Failed RETR 426 Refused <- 426"),
        Send(b""),
    ])));
}

#[test]
fn retrieve_data_failed_before_the_final_reply() {
    run(&then_noop(with_login(&[
        Do(|c| c.retrieve(b"hello.txt", 0).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering Extended Passive Mode (|||40001|)\r\n"),
        Ev("Connect 192.0.2.1:40001 <- 229"),
        Do(|c| c.data_connected().unwrap()),
        Send(b"RETR hello.txt\r\n"),
        Recv(b"150 Opening BINARY mode data connection for hello.txt (12 bytes).\r\n"),
        Ev("TransferStarted(Some(12)) <- 150"),
        Do(|c| c.data_failed().unwrap()),
        Do(all_busy),
        Recv(b"226 Transfer complete.\r\n"),
        Ev("Failed RETR - DataConnection <- 226"),
        Send(b""),
    ])));
}

#[test]
fn retrieve_data_failed_after_the_final_reply() {
    run(&then_noop(with_login(&[
        Do(|c| c.retrieve(b"hello.txt", 0).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering Extended Passive Mode (|||40001|)\r\n"),
        Ev("Connect 192.0.2.1:40001 <- 229"),
        Do(|c| c.data_connected().unwrap()),
        Send(b"RETR hello.txt\r\n"),
        Recv(b"150 Opening BINARY mode data connection for hello.txt (12 bytes).\r\n"),
        Ev("TransferStarted(Some(12)) <- 150"),
        Recv(b"226 Transfer complete.\r\n"),
        Do(|c| c.data_failed().unwrap()),
        Ev("Failed RETR - DataConnection"),
        Send(b""),
    ])));
}

/// The data connection's end (or failure) and the final reply of one
/// transfer say nothing of the next: a second transfer whose 226 comes
/// first still waits for its own data end.
#[test]
fn a_second_transfer_waits_for_its_own_data_end() {
    const FIRST_ENDS: Step = Do(|c| c.data_end().unwrap());
    const FIRST_FAILS: Step = Do(|c| c.data_failed().unwrap());
    for (first, first_event) in [
        (FIRST_ENDS, "TransferDone <- 226"),
        (FIRST_FAILS, "Failed RETR - DataConnection <- 226"),
    ] {
        let mut steps = with_login(&[
            Do(|c| c.retrieve(b"a.txt", 0).unwrap()),
            Send(b"EPSV\r\n"),
            Recv(b"229 Entering Extended Passive Mode (|||40001|)\r\n"),
            Ev("Connect 192.0.2.1:40001 <- 229"),
            Do(|c| c.data_connected().unwrap()),
            Send(b"RETR a.txt\r\n"),
            Recv(b"150 Opening BINARY mode data connection for a.txt (12 bytes).\r\n"),
            Ev("TransferStarted(Some(12)) <- 150"),
            copy(&first),
            Recv(b"226 Transfer complete.\r\n"),
            Ev(first_event),
        ]);
        steps.extend(RETR_REPLY_FIRST.iter().map(copy));
        run(&then_noop(steps));
    }
}

#[test]
fn retrieve_data_failed_before_the_150() {
    run(&then_noop(with_login(&[
        Do(|c| c.retrieve(b"hello.txt", 0).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering Extended Passive Mode (|||40001|)\r\n"),
        Ev("Connect 192.0.2.1:40001 <- 229"),
        Do(|c| c.data_connected().unwrap()),
        Send(b"RETR hello.txt\r\n"),
        Do(|c| c.data_failed().unwrap()),
        Recv(b"150 Opening BINARY mode data connection for hello.txt (12 bytes).\r\n"),
        Ev("TransferStarted(Some(12)) <- 150"),
        Recv(b"226 Transfer complete.\r\n"),
        Ev("Failed RETR - DataConnection <- 226"),
        Send(b""),
    ])));
}

/// The data connection failed after it opened but before the transfer
/// command went out: the command is not sent (a STOR would create or empty
/// the server's file for nothing). Nothing of it sent: the transfer fails
/// at once. REST sent: it fails at REST's 350, and RETR does not follow.
/// Part of the line sent: the rest must go, and the server's answer ends
/// it, as before.
#[test]
fn data_failed_before_the_transfer_command_is_sent_sends_none() {
    run(&then_noop(with_login(&[
        Do(|c| c.store(b"upload/new.bin").unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering Extended Passive Mode (|||40002|)\r\n"),
        Ev("Connect 192.0.2.1:40002 <- 229"),
        Do(|c| c.data_connected().unwrap()),
        Do(|c| assert_eq!(c.transmit(), b"STOR upload/new.bin\r\n")),
        Do(|c| c.data_failed().unwrap()),
        Ev("Failed STOR - DataConnection"),
        Send(b""),
    ])));
    run(&then_noop(with_login(&[
        Do(|c| c.retrieve(b"big.iso", 100).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering Extended Passive Mode (|||31746|)\r\n"),
        Ev("Connect 192.0.2.1:31746 <- 229"),
        Do(|c| c.data_connected().unwrap()),
        Do(|c| c.data_failed().unwrap()),
        Ev("Failed RETR - DataConnection"),
        Send(b""),
    ])));
    run(&then_noop(with_login(&[
        Do(|c| c.retrieve(b"big.iso", 100).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering Extended Passive Mode (|||31746|)\r\n"),
        Ev("Connect 192.0.2.1:31746 <- 229"),
        Do(|c| c.data_connected().unwrap()),
        Send(b"REST 100\r\n"),
        Do(|c| c.data_failed().unwrap()),
        Recv(b"350 Restarting at 100.\r\n"),
        Ev("Failed RETR 350 DataConnection <- 350"),
        Send(b""),
    ])));
    run(&then_noop(with_login(&[
        Do(|c| c.store(b"upload/new.bin").unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering Extended Passive Mode (|||40002|)\r\n"),
        Ev("Connect 192.0.2.1:40002 <- 229"),
        Do(|c| c.data_connected().unwrap()),
        Do(|c| c.sent(4)),
        Do(|c| c.data_failed().unwrap()),
        Send(b" upload/new.bin\r\n"),
        Recv(b"150 Ok to send data.\r\n"),
        Ev("TransferStarted(None) <- 150"),
        Recv(b"226 Transfer complete.\r\n"),
        Ev("Failed STOR - DataConnection <- 226"),
    ])));
}

#[test]
fn retrieve_110_restart_marker_is_skipped() {
    run(&with_login(&[
        Do(|c| c.retrieve(b"hello.txt", 0).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering Extended Passive Mode (|||40001|)\r\n"),
        Ev("Connect 192.0.2.1:40001 <- 229"),
        Do(|c| c.data_connected().unwrap()),
        Send(b"RETR hello.txt\r\n"),
        Recv(b"150 Opening BINARY mode data connection for hello.txt (12 bytes).\r\n"),
        Ev("TransferStarted(Some(12)) <- 150"),
        Recv(b"110 MARK 1024 = 1024\r\n"),
        Do(|c| c.data_end().unwrap()),
        Recv(b"226 Transfer complete.\r\n"),
        Ev("TransferDone <- 226"),
    ]));
}

#[test]
fn busy_until_the_transfer_end_is_taken() {
    run(&with_login(&[
        Do(|c| c.retrieve(b"hello.txt", 0).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering Extended Passive Mode (|||40001|)\r\n"),
        Ev("Connect 192.0.2.1:40001 <- 229"),
        Do(|c| c.data_connected().unwrap()),
        Send(b"RETR hello.txt\r\n"),
        Recv(b"150 Opening BINARY mode data connection for hello.txt (12 bytes).\r\n"),
        Ev("TransferStarted(Some(12)) <- 150"),
        Recv(b"226 Transfer complete.\r\n"),
        Do(|c| {
            c.data_end().unwrap();
            // TransferDone is not taken yet.
            all_busy(c);
            assert_eq!(c.data_end(), Err(ClientError::NoTransfer));
        }),
        Ev("TransferDone"),
        Do(|c| assert!(c.is_idle())),
    ]));
}

#[test]
fn retrieve_data_connection_never_opened() {
    run(&then_noop(with_login(&[
        Do(|c| c.retrieve(b"hello.txt", 0).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering Extended Passive Mode (|||40001|)\r\n"),
        Ev("Connect 192.0.2.1:40001 <- 229"),
        // EPSV's port could not be reached (a firewall or NAT that lets
        // PASV's ports through only): PASV in its place, as curl does, and
        // for the rest of the session.
        Do(|c| c.data_failed().unwrap()),
        Send(b"PASV\r\n"),
        Do(|c| assert!(c.passive_fallback())),
        Recv(b"227 Entering Passive Mode (192,0,2,1,117,48).\r\n"),
        Ev("Connect 192.0.2.1:30000 (offered 192.0.2.1:30000) <- 227"),
        // Once only: PASV's port failing too fails the transfer.
        Do(|c| c.data_failed().unwrap()),
        Ev("Failed RETR - DataConnection"),
        // RETR was never sent.
        Send(b""),
        Do(|c| assert_eq!(c.data_connected(), Err(ClientError::NoTransfer))),
    ])));
}

#[test]
fn retrieve_after_epsv_fallback_on_connect_sends_rest_and_retr() {
    let mut steps = with_login(&[
        Do(|c| c.retrieve(b"big.iso", 100).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering Extended Passive Mode (|||40001|)\r\n"),
        Ev("Connect 192.0.2.1:40001 <- 229"),
        Do(|c| c.data_failed().unwrap()),
    ]);
    steps.extend(PASV_REST_RETR_BIG.iter().map(copy));
    run(&steps);
}

#[test]
fn epsv_connected_sends_rest_and_retr_not_epsv_again() {
    run(&with_login(&[
        Do(|c| c.retrieve(b"big.iso", 100).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering Extended Passive Mode (|||40001|)\r\n"),
        Ev("Connect 192.0.2.1:40001 <- 229"),
        // Held for the fallback, EPSV is not sent again.
        Send(b""),
        Do(|c| c.data_connected().unwrap()),
        Send(b"REST 100\r\n"),
        Recv(b"350 Restart position accepted (100).\r\n"),
        Send(b"RETR big.iso\r\n"),
        // Connected: a failure now is the transfer's, with no fallback.
        Do(|c| c.data_failed().unwrap()),
        Recv(b"426 Connection closed; transfer aborted.\r\n"),
        Ev("Failed RETR 426 Refused <- 426"),
        Do(|c| assert!(!c.passive_fallback())),
    ]));
}

#[test]
fn retrieve_421_after_150() {
    run(&with_login(&[
        Do(|c| c.retrieve(b"hello.txt", 0).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering Extended Passive Mode (|||40001|)\r\n"),
        Ev("Connect 192.0.2.1:40001 <- 229"),
        Do(|c| c.data_connected().unwrap()),
        Send(b"RETR hello.txt\r\n"),
        Recv(b"150 Opening BINARY mode data connection for hello.txt (12 bytes).\r\n"),
        Ev("TransferStarted(Some(12)) <- 150"),
        Recv(b"421 Data timeout. Reconnect. Sorry.\r\n"),
        Ev("Closed ServiceClosing 421 <- 421"),
        Send(b""),
        Do(|c| assert_eq!(c.data_end(), Err(ClientError::NoTransfer))),
        Do(all_closed),
    ]));
}

#[test]
fn store_vsftpd() {
    run(&with_login(&[
        Do(|c| c.store(b"upload/new.bin").unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering Extended Passive Mode (|||40002|)\r\n"),
        Ev("Connect 192.0.2.1:40002 <- 229"),
        Do(|c| c.data_connected().unwrap()),
        Send(b"STOR upload/new.bin\r\n"),
        Recv(b"150 Ok to send data.\r\n"),
        Ev("TransferStarted(None) <- 150"),
        Do(|c| c.data_end().unwrap()),
        Recv(b"226 Transfer complete.\r\n"),
        Ev("TransferDone <- 226"),
    ]));
}

#[test]
fn store_452_after_150() {
    run(&then_noop(with_login(&[
        Do(|c| c.store(b"upload/big.bin").unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering Extended Passive Mode (|||31751|)\r\n"),
        Ev("Connect 192.0.2.1:31751 <- 229"),
        Do(|c| c.data_connected().unwrap()),
        Send(b"STOR upload/big.bin\r\n"),
        Recv(b"150 Opening BINARY mode data connection for upload/big.bin\r\n"),
        Ev("TransferStarted(None) <- 150"),
        Do(|c| c.data_end().unwrap()),
        Recv(b"452 Transfer aborted.  No space left on device\r\n"),
        Ev("Failed STOR 452 Refused <- 452"),
        Send(b""),
    ])));
}

#[test]
fn retrieve_250_as_the_final_reply() {
    run(&with_login(&[
        Do(|c| c.retrieve(b"hello.txt", 0).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering Extended Passive Mode (|||40001|)\r\n"),
        Ev("Connect 192.0.2.1:40001 <- 229"),
        Do(|c| c.data_connected().unwrap()),
        Send(b"RETR hello.txt\r\n"),
        Recv(b"150 Opening BINARY mode data connection for hello.txt (12 bytes).\r\n"),
        Ev("TransferStarted(Some(12)) <- 150"),
        Do(|c| c.data_end().unwrap()),
        Recv(b"250 Requested file action okay, completed.\r\n"),
        Ev("TransferDone <- 250"),
    ]));
}

#[test]
fn retrieve_200_as_the_final_reply_fails() {
    // RFC 959 (5.4): RETR ends with 226 or 250; a 200 does not say the
    // file went whole (curl: "server did not report OK").
    run(&then_noop(with_login(&[
        Do(|c| c.retrieve(b"hello.txt", 0).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering Extended Passive Mode (|||40001|)\r\n"),
        Ev("Connect 192.0.2.1:40001 <- 229"),
        Do(|c| c.data_connected().unwrap()),
        Send(b"RETR hello.txt\r\n"),
        Recv(b"150 Opening BINARY mode data connection for hello.txt (12 bytes).\r\n"),
        Ev("TransferStarted(Some(12)) <- 150"),
        Do(|c| c.data_end().unwrap()),
        Recv(b"200 Command okay.\r\n"),
        Ev("Failed RETR 200 Refused <- 200"),
    ])));
}

#[test]
fn retrieve_200_in_place_of_150_fails() {
    run(&then_noop(with_login(&[
        Do(|c| c.retrieve(b"hello.txt", 0).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering Extended Passive Mode (|||40001|)\r\n"),
        Ev("Connect 192.0.2.1:40001 <- 229"),
        Do(|c| c.data_connected().unwrap()),
        Send(b"RETR hello.txt\r\n"),
        Recv(b"200 Command okay.\r\n"),
        Ev("Failed RETR 200 Refused <- 200"),
    ])));
}

#[test]
fn retrieve_or_store_226_in_place_of_150_fails() {
    // RFC 959 (5.4): RETR, STOR and APPE give 125 or 150 before their
    // 226; a 226 with none opened no file (curl: "RETR response: 226";
    // Python's ftplib raises `error_reply`). Only a listing takes it, as
    // an empty one (`mlsd_226_with_no_150`, `list_226_with_no_150`).
    run(&then_noop(with_login(&[
        Do(|c| c.retrieve(b"empty.txt", 0).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering Extended Passive Mode (|||40001|)\r\n"),
        Ev("Connect 192.0.2.1:40001 <- 229"),
        Do(|c| c.data_connected().unwrap()),
        Send(b"RETR empty.txt\r\n"),
        Recv(b"226 Transfer complete.\r\n"),
        Ev("Failed RETR 226 Refused <- 226"),
    ])));
    run(&then_noop(with_login(&[
        Do(|c| c.store(b"up.bin").unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering Extended Passive Mode (|||40001|)\r\n"),
        Ev("Connect 192.0.2.1:40001 <- 229"),
        Do(|c| c.data_connected().unwrap()),
        Send(b"STOR up.bin\r\n"),
        Recv(b"250 Requested file action okay, completed.\r\n"),
        Ev("Failed STOR 250 Refused <- 250"),
    ])));
}

#[test]
fn list_226_with_no_150() {
    // (An empty argument is none: `LIST`, not `LIST SP`.)
    run(&then_noop(with_login(&[
        Do(|c| c.list(Some(b"")).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering Extended Passive Mode (|||40001|)\r\n"),
        Ev("Connect 192.0.2.1:40001 <- 229"),
        Do(|c| c.data_connected().unwrap()),
        Send(b"LIST\r\n"),
        Recv(b"226 Transfer complete.\r\n"),
        Ev("TransferStarted(None) <- 226"),
        Do(|c| c.data_end().unwrap()),
        Ev("TransferDone"),
    ])));
}

#[test]
fn preliminary_reply_to_type_closes() {
    // RFC 959, section 6: TYPE (like CWD, NOOP, PWD) has no 1xx; the
    // final reply a 1xx promises would answer nothing.
    run(&with_login(&[
        Do(|c| c.binary().unwrap()),
        Send(b"TYPE I\r\n"),
        Recv(b"150 Opening data connection.\r\n200 Switching to Binary mode.\r\n"),
        Ev("Closed Unexpected 150 <- 150"),
        Do(all_closed),
    ]));
}

#[test]
fn preliminary_reply_to_pwd_closes() {
    run(&with_login(&[
        Do(|c| c.pwd().unwrap()),
        Send(b"PWD\r\n"),
        Recv(b"120 Service ready in 1 minute.\r\n"),
        Ev("Closed Unexpected 120 <- 120"),
        Do(all_closed),
    ]));
}

#[test]
fn preliminary_reply_to_a_step_without_one_closes() {
    // USER, PASS, ACCT, FEAT, OPTS, RNFR, RNTO, EPSV, PASV and REST have
    // no 1xx either (RFC 959, 5.4 and section 6): a 1xx that failed the
    // operation left its final reply to come, and a retried login paired
    // that 331 with the new USER and sent PASS on it.
    run(&[
        Do(|c| c.login(b"ftptest", b"secret", None).unwrap()),
        Recv(b"220 ProFTPD Server ready.\r\n"),
        Send(b"USER ftptest\r\n"),
        Recv(b"150 File status okay; about to open data connection.\r\n"),
        Ev("Closed Unexpected 150 <- 150"),
        Do(all_closed),
        Recv(b"331 Password required for ftptest\r\n"),
        Send(b""),
    ]);
    run(&[
        Do(|c| c.login(b"ftptest", b"secret", Some(b"acct")).unwrap()),
        Recv(b"220 ProFTPD Server ready.\r\n"),
        Send(b"USER ftptest\r\n"),
        Recv(b"331 Password required for ftptest\r\n"),
        Send(b"PASS secret\r\n"),
        Recv(b"332 Need account for login.\r\n"),
        Send(b"ACCT acct\r\n"),
        Recv(b"120 Service ready in 1 minute.\r\n"),
        Ev("Closed Unexpected 120 <- 120"),
        Do(all_closed),
    ]);
    run(&with_login(&[
        Do(|c| c.feat().unwrap()),
        Send(b"FEAT\r\n"),
        Recv(b"120 Service ready in 1 minute.\r\n"),
        Ev("Closed Unexpected 120 <- 120"),
        Do(all_closed),
    ]));
    run(&with_login(&[
        Do(|c| c.feat().unwrap()),
        Send(b"FEAT\r\n"),
        Recv(b"211-Features:\r\n UTF8\r\n211 End\r\n"),
        Send(b"OPTS UTF8 ON\r\n"),
        Recv(b"150 File status okay; about to open data connection.\r\n"),
        Ev("Closed Unexpected 150 <- 150"),
        Do(all_closed),
    ]));
    run(&with_login(&[
        Do(|c| c.rename(b"a", b"b").unwrap()),
        Send(b"RNFR a\r\n"),
        Recv(b"350 File exists, ready for destination name\r\n"),
        Send(b"RNTO b\r\n"),
        Recv(b"150 File status okay; about to open data connection.\r\n"),
        Ev("Closed Unexpected 150 <- 150"),
        Do(all_closed),
    ]));
    run(&with_login(&[
        Do(|c| c.retrieve(b"big.iso", 100).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"150 File status okay; about to open data connection.\r\n"),
        Ev("Closed Unexpected 150 <- 150"),
        Do(all_closed),
    ]));
    run(&with_login(&[
        Do(|c| c.retrieve(b"big.iso", 100).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering Extended Passive Mode (|||31746|)\r\n"),
        Ev("Connect 192.0.2.1:31746 <- 229"),
        Do(|c| c.data_connected().unwrap()),
        Send(b"REST 100\r\n"),
        Recv(b"150 File status okay; about to open data connection.\r\n"),
        Ev("Closed Unexpected 150 <- 150"),
        Do(all_closed),
    ]));
}

#[test]
fn unreadable_preliminary_reply_closes_at_any_step() {
    // A broken 1xx, like a readable one, leaves a final reply to come:
    // failing the operation let a retried login pair that 331 with the
    // new USER. The greeting is 27 bytes, the NUL 15 into the 150; the
    // login is 90 bytes.
    run(&[
        Do(|c| c.login(b"ftptest", b"secret", None).unwrap()),
        Recv(b"220 ProFTPD Server ready.\r\n"),
        Send(b"USER ftptest\r\n"),
        Recv(b"150 File status\0 okay; about to open data connection.\r\n"),
        Ev("Closed Malformed(NulByte@42)"),
        Do(all_closed),
        Recv(b"331 Password required for ftptest\r\n"),
        Send(b""),
    ]);
    // A raw command skips a 1xx it can read; one it cannot is no final
    // reply either.
    run(&with_login(&[
        Do(|c| c.raw(b"SITE HELP").unwrap()),
        Send(b"SITE HELP\r\n"),
        Recv(b"150 File status\0 okay; about to open data connection.\r\n"),
        Ev("Closed Malformed(NulByte@105)"),
        Do(all_closed),
    ]));
}

#[test]
fn retrieve_rest_accepted_then_retr_refused() {
    run(&with_login(&[
        Do(|c| c.retrieve(b"gone.iso", 100).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering Extended Passive Mode (|||40001|)\r\n"),
        Ev("Connect 192.0.2.1:40001 <- 229"),
        Do(|c| c.data_connected().unwrap()),
        Send(b"REST 100\r\n"),
        Recv(b"350 Restart position accepted (100).\r\n"),
        Send(b"RETR gone.iso\r\n"),
        Recv(b"550 Failed to open file.\r\n"),
        Ev("Failed RETR 550 Refused <- 550"),
        Send(b""),
    ]));
}

#[test]
fn unreadable_150_closes() {
    // Whether the transfer started cannot be told, and its final reply
    // would come unasked: the engine closes rather than guess. Login is
    // 90 bytes, the 229 48: the NUL is 12 bytes into the 150.
    run(&with_login(&[
        Do(|c| c.retrieve(b"hello.txt", 0).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering Extended Passive Mode (|||40001|)\r\n"),
        Ev("Connect 192.0.2.1:40001 <- 229"),
        Do(|c| c.data_connected().unwrap()),
        Send(b"RETR hello.txt\r\n"),
        Recv(b"150 Opening \0BINARY mode data connection.\r\n"),
        Ev("Closed Malformed(NulByte@150)"),
        Do(all_closed),
    ]));
}

#[test]
fn unreadable_226_fails_the_transfer() {
    run(&then_noop(with_login(&[
        Do(|c| c.retrieve(b"hello.txt", 0).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering Extended Passive Mode (|||40001|)\r\n"),
        Ev("Connect 192.0.2.1:40001 <- 229"),
        Do(|c| c.data_connected().unwrap()),
        Send(b"RETR hello.txt\r\n"),
        Recv(b"150 Opening BINARY mode data connection for hello.txt (12 bytes).\r\n"),
        Ev("TransferStarted(Some(12)) <- 150"),
        // 90 + 48 + 67 bytes before it; the NUL is 12 bytes in.
        Recv(b"226 Transfer\0 complete.\r\n"),
        Ev("Failed RETR 226 Malformed(NulByte@217)"),
        Do(|c| assert_eq!(c.data_end(), Err(ClientError::NoTransfer))),
    ])));
}

#[test]
fn store_refused() {
    run(&with_login(&[
        Do(|c| c.store(b"readonly.bin").unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering Extended Passive Mode (|||40002|)\r\n"),
        Ev("Connect 192.0.2.1:40002 <- 229"),
        Do(|c| c.data_connected().unwrap()),
        Send(b"STOR readonly.bin\r\n"),
        Recv(b"553 Could not create file.\r\n"),
        Ev("Failed STOR 553 Refused <- 553"),
    ]));
}

#[test]
fn append_proftpd() {
    run(&with_login(&[
        Do(|c| c.append(b"log.txt").unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering Extended Passive Mode (|||31750|)\r\n"),
        Ev("Connect 192.0.2.1:31750 <- 229"),
        Do(|c| c.data_connected().unwrap()),
        Send(b"APPE log.txt\r\n"),
        Recv(b"150 Opening BINARY mode data connection for log.txt\r\n"),
        Ev("TransferStarted(None) <- 150"),
        Do(|c| c.data_end().unwrap()),
        Recv(b"226 Transfer complete\r\n"),
        Ev("TransferDone <- 226"),
    ]));
}

#[test]
fn list_vsftpd() {
    run(&with_login(&[
        Do(|c| c.list(None).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering Extended Passive Mode (|||40003|)\r\n"),
        Ev("Connect 192.0.2.1:40003 <- 229"),
        Do(|c| c.data_connected().unwrap()),
        Send(b"LIST\r\n"),
        Recv(b"150 Here comes the directory listing.\r\n"),
        Ev("TransferStarted(None) <- 150"),
        Recv(b"226 Directory send OK.\r\n"),
        Do(|c| c.data_end().unwrap()),
        Ev("TransferDone"),
    ]));
}

/// pyftpdlib 1.5.7 says 125 when the data connection came before RETR
/// (its texts, lower-case 229 with a period after it).
#[test]
fn retrieve_pyftpdlib_125() {
    run(&then_noop(with_login(&[
        Do(|c| c.retrieve(b"hello.txt", 0).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering extended passive mode (|||40064|).\r\n"),
        Ev("Connect 192.0.2.1:40064 <- 229"),
        Do(|c| c.data_connected().unwrap()),
        Send(b"RETR hello.txt\r\n"),
        Recv(b"125 Data connection already open. Transfer starting.\r\n"),
        Ev("TransferStarted(None) <- 125"),
        Do(|c| c.data_end().unwrap()),
        Recv(b"226 Transfer complete.\r\n"),
        Ev("TransferDone <- 226"),
    ])));
}

/// pyftpdlib 1.5.7 takes any REST (350) and refuses the RETR after one
/// past the end with 554 (RFC 1123 4.1.3.4's code for a bad REST).
#[test]
fn retrieve_pyftpdlib_rest_past_the_end_554() {
    run(&then_noop(with_login(&[
        Do(|c| c.retrieve(b"big.bin", 1_052_772).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering extended passive mode (|||40061|).\r\n"),
        Ev("Connect 192.0.2.1:40061 <- 229"),
        Do(|c| c.data_connected().unwrap()),
        Send(b"REST 1052772\r\n"),
        Recv(b"350 Restarting at position 1052772.\r\n"),
        Send(b"RETR big.bin\r\n"),
        Recv(b"554 REST position (1052772) > file size (1052672)\r\n"),
        Ev("Failed RETR 554 Refused <- 554"),
    ])));
}

#[test]
fn list_iis_125() {
    run(&with_login(&[
        Do(|c| c.list(Some(b"/pub")).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering Extended Passive Mode (|||50000|)\r\n"),
        Ev("Connect 192.0.2.1:50000 <- 229"),
        Do(|c| c.data_connected().unwrap()),
        Send(b"LIST /pub\r\n"),
        Recv(b"125 Data connection already open; Transfer starting.\r\n"),
        Ev("TransferStarted(None) <- 125"),
        Do(|c| c.data_end().unwrap()),
        Recv(b"226 Transfer complete.\r\n"),
        Ev("TransferDone <- 226"),
    ]));
}

#[test]
fn nlst_proftpd_no_files() {
    run(&then_noop(with_login(&[
        Do(|c| c.nlst(Some(b"*.zip")).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering Extended Passive Mode (|||31747|)\r\n"),
        Ev("Connect 192.0.2.1:31747 <- 229"),
        Do(|c| c.data_connected().unwrap()),
        Send(b"NLST *.zip\r\n"),
        Recv(b"450 No files found\r\n"),
        Ev("Failed NLST 450 Refused <- 450"),
        Send(b""),
    ])));
}

#[test]
fn nlst_filezilla() {
    run(&with_login(&[
        Do(|c| c.nlst(None).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering Extended Passive Mode (|||50124|)\r\n"),
        Ev("Connect 192.0.2.1:50124 <- 229"),
        Do(|c| c.data_connected().unwrap()),
        Send(b"NLST\r\n"),
        Recv(b"150 Opening data channel for directory listing of \"/\"\r\n"),
        Ev("TransferStarted(None) <- 150"),
        Recv(b"226 Successfully transferred \"/\"\r\n"),
        Do(|c| c.data_end().unwrap()),
        Ev("TransferDone"),
    ]));
}

#[test]
fn mlsd_pure_ftpd_multi_line_226() {
    run(&with_login(&[
        Do(|c| c.mlsd(None).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Extended Passive mode OK (|||30012|)\r\n"),
        Ev("Connect 192.0.2.1:30012 <- 229"),
        Do(|c| c.data_connected().unwrap()),
        Send(b"MLSD\r\n"),
        Recv(b"150 Accepted data connection\r\n"),
        Ev("TransferStarted(None) <- 150"),
        Do(|c| c.data_end().unwrap()),
        Recv(b"226-Options: -a -l \r\n226 3 matches total\r\n"),
        Ev("TransferDone <- 226"),
    ]));
}

#[test]
fn mlsd_226_with_no_150() {
    // An empty directory: the server closes the data connection and
    // answers 226 at once.
    run(&then_noop(with_login(&[
        Do(|c| c.mlsd(Some(b"empty")).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering Extended Passive Mode (|||31748|)\r\n"),
        Ev("Connect 192.0.2.1:31748 <- 229"),
        Do(|c| c.data_connected().unwrap()),
        Send(b"MLSD empty\r\n"),
        Recv(b"226 Transfer complete\r\n"),
        Ev("TransferStarted(None) <- 226"),
        Do(all_busy),
        Do(|c| c.data_end().unwrap()),
        Ev("TransferDone"),
    ])));
    run(&then_noop(with_login(&[
        Do(|c| c.mlsd(Some(b"empty")).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering Extended Passive Mode (|||31748|)\r\n"),
        Ev("Connect 192.0.2.1:31748 <- 229"),
        Do(|c| c.data_connected().unwrap()),
        Send(b"MLSD empty\r\n"),
        Do(|c| c.data_end().unwrap()),
        Recv(b"226 Transfer complete\r\n"),
        Ev("TransferStarted(None) <- 226"),
        Ev("TransferDone"),
    ])));
}

#[test]
fn mlsd_550_no_such_directory() {
    run(&then_noop(with_login(&[
        Do(|c| c.mlsd(Some(b"nothere")).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering Extended Passive Mode (|||31749|)\r\n"),
        Ev("Connect 192.0.2.1:31749 <- 229"),
        Do(|c| c.data_connected().unwrap()),
        Send(b"MLSD nothere\r\n"),
        Recv(b"550 nothere: No such file or directory\r\n"),
        Ev("Failed MLSD 550 Refused <- 550"),
        Send(b""),
    ])));
}

// Passive mode.

#[test]
fn epsv_500_falls_back_to_pasv_and_remembers() {
    run(&with_login(&[
        Do(|c| c.retrieve(b"hello.txt", 0).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"500 'EPSV': command not understood.\r\n"),
        Send(b"PASV\r\n"),
        Recv(b"227 Entering Passive Mode (192,0,2,1,156,65).\r\n"),
        Ev("Connect 192.0.2.1:40001 (offered 192.0.2.1:40001) <- 227"),
        Do(|c| assert!(c.passive_fallback())),
        Do(|c| c.data_connected().unwrap()),
        Send(b"RETR hello.txt\r\n"),
        Recv(b"150 Opening BINARY mode data connection for hello.txt (12 bytes).\r\n"),
        Ev("TransferStarted(Some(12)) <- 150"),
        Do(|c| c.data_end().unwrap()),
        Recv(b"226 Transfer complete.\r\n"),
        Ev("TransferDone <- 226"),
        // The next transfer sends PASV at once.
        Do(|c| c.list(None).unwrap()),
        Send(b"PASV\r\n"),
        Recv(b"227 Entering Passive Mode (192,0,2,1,156,66).\r\n"),
        Ev("Connect 192.0.2.1:40002 (offered 192.0.2.1:40002) <- 227"),
        Do(|c| c.data_connected().unwrap()),
        Send(b"LIST\r\n"),
        Recv(b"150 Here comes the directory listing.\r\n"),
        Ev("TransferStarted(None) <- 150"),
        Do(|c| c.data_end().unwrap()),
        Recv(b"226 Directory send OK.\r\n"),
        Ev("TransferDone <- 226"),
    ]));
}

#[test]
fn epsv_502_falls_back_to_pasv() {
    run(&with_login(&[
        Do(|c| c.retrieve(b"hello.txt", 0).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"502 Command not implemented.\r\n"),
        Send(b"PASV\r\n"),
        Recv(b"227 Entering Passive Mode (192,0,2,1,117,48)\r\n"),
        Ev("Connect 192.0.2.1:30000 (offered 192.0.2.1:30000) <- 227"),
        Do(|c| assert!(c.passive_fallback())),
        // The fallback is not a feature the server offered.
        Do(|c| assert_eq!(c.features(), FeatureSet::EMPTY)),
        Do(|c| c.data_failed().unwrap()),
        Ev("Failed RETR - DataConnection"),
        Do(|c| c.store(b"up.bin").unwrap()),
        Send(b"PASV\r\n"),
        Recv(b"227 Entering Passive Mode (192,0,2,1,117,49)\r\n"),
        Ev("Connect 192.0.2.1:30001 (offered 192.0.2.1:30001) <- 227"),
        Do(|c| c.data_failed().unwrap()),
        Ev("Failed STOR - DataConnection"),
    ]));
}

/// After EPSV gave way to PASV: `retrieve("big.iso", 100)` goes on with
/// PASV's 227, REST and RETR, to its end.
const PASV_REST_RETR_BIG: &[Step] = &[
    Send(b"PASV\r\n"),
    Recv(b"227 Entering Passive Mode (192,0,2,1,117,48).\r\n"),
    Ev("Connect 192.0.2.1:30000 (offered 192.0.2.1:30000) <- 227"),
    Do(|c| c.data_connected().unwrap()),
    Send(b"REST 100\r\n"),
    Recv(b"350 Restart position accepted (100).\r\n"),
    Send(b"RETR big.iso\r\n"),
    Recv(b"150 Opening BINARY mode data connection for big.iso (1048476 bytes).\r\n"),
    Ev("TransferStarted(Some(1048476)) <- 150"),
    Recv(b"226 Transfer complete.\r\n"),
    Do(|c| c.data_end().unwrap()),
    Ev("TransferDone"),
    Do(|c| assert!(c.passive_fallback())),
];

/// `retrieve("big.iso", 100)`, EPSV answered with `answer`, then PASV,
/// REST and RETR to the end, with the fallback remembered.
fn epsv_answer_then_pasv(answer: &'static [u8]) {
    let mut steps = with_login(&[
        Do(|c| c.retrieve(b"big.iso", 100).unwrap()),
        Send(b"EPSV\r\n"),
    ]);
    steps.push(Recv(answer));
    steps.extend(PASV_REST_RETR_BIG.iter().map(copy));
    run(&steps);
}

#[test]
fn epsv_522_falls_back_to_pasv_with_rest() {
    epsv_answer_then_pasv(b"522 Network protocol not supported, use (1)\r\n");
}

#[test]
fn epsv_4xx_falls_back_to_pasv_for_the_transfer_only() {
    // A 425 (no passive port free just now) is no refusal of EPSV: PASV
    // is asked in its place, as curl asks it, and the next transfer
    // tries EPSV again.
    run(&with_login(&[
        Do(|c| c.retrieve(b"hello.txt", 0).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"425 Could not open passive connection\r\n"),
        Send(b"PASV\r\n"),
        Recv(b"227 Entering Passive Mode (192,0,2,1,117,48).\r\n"),
        Ev("Connect 192.0.2.1:30000 (offered 192.0.2.1:30000) <- 227"),
        Do(|c| assert!(!c.passive_fallback())),
        Do(|c| c.data_failed().unwrap()),
        Ev("Failed RETR - DataConnection"),
        Do(|c| c.retrieve(b"hello.txt", 0).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"425 Could not open passive connection\r\n"),
        Send(b"PASV\r\n"),
        Recv(b"425 Could not open passive connection\r\n"),
        Ev("Failed RETR 425 Refused <- 425"),
        Send(b""),
        Do(|c| assert!(!c.passive_fallback())),
    ]));
}

#[test]
fn epsv_refused_with_another_5xx_falls_back_for_the_session() {
    // A server with EPSV turned off: 501, 504 or 550, not RFC 2428's 500,
    // 502 or 522; curl sends PASV after any of them.
    for refusal in [
        &b"501 Syntax error in parameters or arguments.\r\n"[..],
        b"504 Command not implemented for that parameter.\r\n",
        b"550 EPSV is disabled.\r\n",
    ] {
        epsv_answer_then_pasv(refusal);
    }
}

#[test]
fn epsv_answered_with_no_port_falls_back_to_pasv() {
    // LBBS answers EPSV with a 227 that holds a 229's tuple
    // (`nets/net_ftp.c`): no six numbers, so no address; a 200 names
    // none either. PASV is asked, as curl asks it, for the session.
    for answer in [
        &b"227 Entering Extended Passive Mode (|||50000|)\r\n"[..],
        b"227 Entering Extended Passive Mode (|||200|)\r\n",
        b"200 EPSV ok\r\n",
    ] {
        epsv_answer_then_pasv(answer);
    }
}

#[test]
fn pasv_refused_after_the_fallback_fails() {
    run(&with_login(&[
        Do(|c| c.retrieve(b"hello.txt", 0).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"500 Unknown command.\r\n"),
        Send(b"PASV\r\n"),
        Recv(b"500 Unknown command.\r\n"),
        Ev("Failed RETR 500 Refused <- 500"),
        Send(b""),
    ]));
}

#[test]
fn pasv_address_elsewhere_connects_to_the_peer() {
    // A server behind NAT, or one aiming the client at a third host: the
    // data connection goes to the control peer, the concern is reported.
    run(&with_login(&[
        Do(|c| c.retrieve(b"hello.txt", 0).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"502 Command not implemented.\r\n"),
        Send(b"PASV\r\n"),
        Recv(b"227 Entering Passive Mode (10,0,0,7,117,48).\r\n"),
        Ev("Connect 192.0.2.1:30000 (offered 10.0.0.7:30000, DiffersFromPeer) <- 227"),
        Do(|c| c.data_failed().unwrap()),
        Ev("Failed RETR - DataConnection"),
        Do(|c| c.list(None).unwrap()),
        Send(b"PASV\r\n"),
        Recv(b"227 Entering Passive Mode (127,0,0,1,117,49).\r\n"),
        Ev("Connect 192.0.2.1:30001 (offered 127.0.0.1:30001, Loopback) <- 227"),
        Do(|c| c.data_failed().unwrap()),
        Ev("Failed LIST - DataConnection"),
        Do(|c| c.list(None).unwrap()),
        Send(b"PASV\r\n"),
        Recv(b"227 Entering Passive Mode (0,0,0,0,117,50).\r\n"),
        Ev("Connect 192.0.2.1:30002 (offered 0.0.0.0:30002, Unspecified) <- 227"),
        Do(|c| c.data_failed().unwrap()),
        Ev("Failed LIST - DataConnection"),
    ]));
}

#[test]
fn pasv_trusted_address_is_used() {
    run(&with_login(&[
        Do(|c| c.trust_offered_address(true)),
        Do(|c| c.retrieve(b"hello.txt", 0).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"502 Command not implemented.\r\n"),
        Send(b"PASV\r\n"),
        Recv(b"227 Entering Passive Mode (198,51,100,20,117,48).\r\n"),
        Ev("Connect 198.51.100.20:30000 (offered 198.51.100.20:30000, DiffersFromPeer) <- 227"),
        Do(|c| c.data_failed().unwrap()),
        Ev("Failed RETR - DataConnection"),
        Do(|c| c.trust_offered_address(false)),
        Do(|c| c.list(None).unwrap()),
        Send(b"PASV\r\n"),
        Recv(b"227 Entering Passive Mode (198,51,100,20,117,49).\r\n"),
        Ev("Connect 192.0.2.1:30001 (offered 198.51.100.20:30001, DiffersFromPeer) <- 227"),
        Do(|c| c.data_failed().unwrap()),
        Ev("Failed LIST - DataConnection"),
    ]));
}

#[test]
fn pasv_trusted_but_unspecified_address_connects_to_the_peer() {
    // 0.0.0.0 names no host to trust (a server behind NAT that does not
    // know its address); connecting to it would reach the client's own
    // host.
    run(&with_login(&[
        Do(|c| c.trust_offered_address(true)),
        Do(|c| c.retrieve(b"hello.txt", 0).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"502 Command not implemented.\r\n"),
        Send(b"PASV\r\n"),
        Recv(b"227 Entering Passive Mode (0,0,0,0,117,48).\r\n"),
        Ev("Connect 192.0.2.1:30000 (offered 0.0.0.0:30000, Unspecified) <- 227"),
        Do(|c| c.data_failed().unwrap()),
        Ev("Failed RETR - DataConnection"),
    ]));
}

#[test]
fn epsv_answered_with_227_is_guarded_too() {
    // Read by its code: a 227 to EPSV still goes through the guard, and a
    // 229 to PASV is read as a 229.
    run(&with_login(&[
        Do(|c| c.retrieve(b"hello.txt", 0).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"227 Entering Passive Mode (10,0,0,7,117,48).\r\n"),
        Ev("Connect 192.0.2.1:30000 (offered 10.0.0.7:30000, DiffersFromPeer) <- 227"),
        Do(|c| c.data_failed().unwrap()),
        Ev("Failed RETR - DataConnection"),
        Do(|c| assert!(!c.passive_fallback())),
        Do(|c| c.retrieve(b"hello.txt", 0).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"502 Command not implemented.\r\n"),
        Send(b"PASV\r\n"),
        Recv(b"229 Entering Extended Passive Mode (|||40001|)\r\n"),
        Ev("Connect 192.0.2.1:40001 <- 229"),
        Do(|c| c.data_failed().unwrap()),
        Ev("Failed RETR - DataConnection"),
    ]));
}

#[test]
fn pasv_port_zero_fails() {
    run(&then_noop(with_login(&[
        Do(|c| c.retrieve(b"hello.txt", 0).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"502 Command not implemented.\r\n"),
        Send(b"PASV\r\n"),
        Recv(b"227 Entering Passive Mode (192,0,2,1,0,0).\r\n"),
        Ev("Failed RETR 227 PortZero <- 227"),
        Send(b""),
        Do(|c| assert_eq!(c.data_connected(), Err(ClientError::NoTransfer))),
    ])));
}

#[test]
fn epsv_port_zero_fails() {
    run(&then_noop(with_login(&[
        Do(|c| c.retrieve(b"hello.txt", 0).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering Extended Passive Mode (|||0|)\r\n"),
        Ev("Failed RETR 229 PortZero <- 229"),
        Send(b""),
        Do(|c| assert_eq!(c.data_connected(), Err(ClientError::NoTransfer))),
    ])));
}

#[test]
fn epsv_unreadable_229_fails() {
    run(&then_noop(with_login(&[
        Do(|c| c.retrieve(b"hello.txt", 0).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering Extended Passive Mode (|||70000|)\r\n"),
        Ev("Failed RETR 229 Malformed(Payload(BadPort)@39) <- 229"),
        Send(b""),
    ])));
}

// Single commands.

#[test]
fn pwd_with_doubled_quotes() {
    run(&with_login(&[
        Do(|c| c.pwd().unwrap()),
        Send(b"PWD\r\n"),
        Recv(b"257 \"/home/ftptest/say \"\"hi\"\"\" is the current directory\r\n"),
        Ev("Path /home/ftptest/say \"hi\" <- 257"),
        Send(b""),
    ]));
}

#[test]
fn pwd_with_a_cr_inside_the_path_fails() {
    // A path a client might send back: a CR in it could end a command
    // early.
    run(&then_noop(with_login(&[
        Do(|c| c.pwd().unwrap()),
        Send(b"PWD\r\n"),
        Recv(b"257 \"/home/a\rDELE b\" is the current directory\r\n"),
        Ev("Failed PWD 257 Malformed(Payload(ForbiddenByte)@12) <- 257"),
        Send(b""),
    ])));
}

#[test]
fn pwd_without_quotes_fails() {
    run(&then_noop(with_login(&[
        Do(|c| c.pwd().unwrap()),
        Send(b"PWD\r\n"),
        Recv(b"257 /home/ftptest\r\n"),
        Ev("Failed PWD 257 Malformed(Payload(Missing)@4) <- 257"),
        // A quote inside a word opens no name.
        Do(|c| c.pwd().unwrap()),
        Send(b"PWD\r\n"),
        Recv(b"257 /quo\"te\r\n"),
        Ev("Failed PWD 257 Malformed(Payload(Missing)@4) <- 257"),
        Send(b""),
    ])));
}

/// MKD answered with a 257 that quotes no name (RFC 959 wants one): the
/// directory was made, so it is `Done`, not a failure. libunftp 0.24
/// (unFTP) writes the bare path, `257 /new` (`tests/data/unftp`);
/// old UNIX ftpd wrote `257 MKD command successful.`; for a name holding a
/// quote libunftp writes `257 /quo"te`, a quote inside a word, which opens
/// no name either. A quoted name that cannot be read still fails MKD: no
/// closing quote, a CR inside the quotes. PWD, whose answer is the path
/// itself, fails on all of them (`pwd_without_quotes_fails`).
#[test]
fn mkd_257_without_a_quoted_name_is_done() {
    run(&then_noop(with_login(&[
        Do(|c| c.mkd(b"new").unwrap()),
        Send(b"MKD new\r\n"),
        Recv(b"257 /new\r\n"),
        Ev("Done <- 257"),
        Do(|c| c.mkd(b"old").unwrap()),
        Send(b"MKD old\r\n"),
        Recv(b"257 MKD command successful.\r\n"),
        Ev("Done <- 257"),
        Do(|c| c.mkd(b"quo\"te").unwrap()),
        Send(b"MKD quo\"te\r\n"),
        Recv(b"257 /quo\"te\r\n"),
        Ev("Done <- 257"),
        Do(|c| c.mkd(b"open").unwrap()),
        Send(b"MKD open\r\n"),
        Recv(b"257 \"/open\r\n"),
        Ev("Failed MKD 257 Malformed(Payload(UnterminatedQuote)@10) <- 257"),
        Do(|c| c.mkd(b"cr").unwrap()),
        Send(b"MKD cr\r\n"),
        Recv(b"257 \"/c\rr\" created\r\n"),
        Ev("Failed MKD 257 Malformed(Payload(ForbiddenByte)@7) <- 257"),
        Do(|c| c.mkd(b"ok").unwrap()),
        Send(b"MKD ok\r\n"),
        Recv(b"257 \"/ok\" created\r\n"),
        Ev("Path /ok <- 257"),
        Send(b""),
    ])));
}

#[test]
fn cwd_and_cdup() {
    run(&with_login(&[
        Do(|c| c.cwd(b"pub").unwrap()),
        Send(b"CWD pub\r\n"),
        Recv(b"250 Directory successfully changed.\r\n"),
        Ev("Done <- 250"),
        Do(|c| c.cwd(b"nothere").unwrap()),
        Send(b"CWD nothere\r\n"),
        Recv(b"550 Failed to change directory.\r\n"),
        Ev("Failed CWD 550 Refused <- 550"),
        Do(|c| c.cdup().unwrap()),
        Send(b"CDUP\r\n"),
        Recv(b"250 CDUP command successful\r\n"),
        Ev("Done <- 250"),
        Do(|c| c.cdup().unwrap()),
        Send(b"CDUP\r\n"),
        Recv(b"200 CDUP command successful.\r\n"),
        Ev("Done <- 200"),
    ]));
}

#[test]
fn mkd_rmd_dele() {
    run(&with_login(&[
        Do(|c| c.mkd(b"upload/new").unwrap()),
        Send(b"MKD upload/new\r\n"),
        Recv(b"257 \"/upload/new\" - Directory successfully created\r\n"),
        Ev("Path /upload/new <- 257"),
        Do(|c| c.mkd(b"upload/new").unwrap()),
        Send(b"MKD upload/new\r\n"),
        Recv(b"550 upload/new: File exists\r\n"),
        Ev("Failed MKD 550 Refused <- 550"),
        Do(|c| c.mkd(b"d2").unwrap()),
        Send(b"MKD d2\r\n"),
        Recv(b"250 Directory created.\r\n"),
        Ev("Done <- 250"),
        Do(|c| c.rmd(b"upload/new").unwrap()),
        Send(b"RMD upload/new\r\n"),
        Recv(b"250 Remove directory operation successful.\r\n"),
        Ev("Done <- 250"),
        Do(|c| c.dele(b"upload/new.bin").unwrap()),
        Send(b"DELE upload/new.bin\r\n"),
        Recv(b"250 Delete operation successful.\r\n"),
        Ev("Done <- 250"),
        Do(|c| c.dele(b"nothere").unwrap()),
        Send(b"DELE nothere\r\n"),
        Recv(b"550 Delete operation failed.\r\n"),
        Ev("Failed DELE 550 Refused <- 550"),
        Send(b""),
    ]));
}

#[test]
fn rename() {
    run(&with_login(&[
        Do(|c| c.rename(b"old.txt", b"new.txt").unwrap()),
        Send(b"RNFR old.txt\r\n"),
        Do(all_busy),
        Recv(b"350 Ready for RNTO.\r\n"),
        Send(b"RNTO new.txt\r\n"),
        Recv(b"250 Rename successful.\r\n"),
        Ev("Done <- 250"),
        Send(b""),
    ]));
}

#[test]
fn rename_rnfr_refused_sends_no_rnto() {
    run(&then_noop(with_login(&[
        Do(|c| c.rename(b"nothere", b"new.txt").unwrap()),
        Send(b"RNFR nothere\r\n"),
        Recv(b"550 RNFR command failed.\r\n"),
        Ev("Failed RNFR 550 Refused <- 550"),
        Send(b""),
    ])));
}

#[test]
fn rename_rnto_refused() {
    run(&with_login(&[
        Do(|c| c.rename(b"old.txt", b"/etc/passwd").unwrap()),
        Send(b"RNFR old.txt\r\n"),
        Recv(b"350 File or directory exists, ready for destination name\r\n"),
        Send(b"RNTO /etc/passwd\r\n"),
        Recv(b"553 Rename failed.\r\n"),
        Ev("Failed RNTO 553 Refused <- 553"),
        Send(b""),
    ]));
}

#[test]
fn size_and_mdtm() {
    run(&with_login(&[
        Do(|c| c.size(b"hello.txt").unwrap()),
        Send(b"SIZE hello.txt\r\n"),
        Recv(b"213 12\r\n"),
        Ev("Size(12) <- 213"),
        Do(|c| c.size(b"nothere").unwrap()),
        Send(b"SIZE nothere\r\n"),
        Recv(b"550 Could not get file size.\r\n"),
        Ev("Failed SIZE 550 Refused <- 550"),
        Do(|c| c.mdtm(b"hello.txt").unwrap()),
        Send(b"MDTM hello.txt\r\n"),
        Recv(b"213 20240115093000\r\n"),
        Ev("Modified 2024-01-15T09:30:00Z <- 213"),
        Do(|c| c.mdtm(b"hello.txt").unwrap()),
        Send(b"MDTM hello.txt\r\n"),
        Recv(b"213 20240115093000.123\r\n"),
        Ev("Modified 2024-01-15T09:30:00.123Z <- 213"),
        Do(|c| c.size(b"hello.txt").unwrap()),
        Send(b"SIZE hello.txt\r\n"),
        Recv(b"213 twelve\r\n"),
        Ev("Failed SIZE 213 Malformed(Payload(BadNumber)@4) <- 213"),
        Send(b""),
    ]));
}

/// pyftpdlib 1.5.7: `Listing "<path>":` first, the absolute path after
/// the facts (lower-case fact names, no unix.mode unless asked for).
#[test]
fn mlst_pyftpdlib() {
    run(&then_noop(with_login(&[
        Do(|c| c.mlst(Some(b"hello.txt")).unwrap()),
        Send(b"MLST hello.txt\r\n"),
        Recv(b"250-Listing \"/hello.txt\":\r\n modify=20210304050607;perm=radfwMT;size=1234;type=file;unique=fe00g9ba026; /hello.txt\r\n250 End MLST.\r\n"),
        Ev("Entry /hello.txt type=file size=1234 <- 250"),
        Do(|c| c.mlst(Some(b"missing.txt")).unwrap()),
        Send(b"MLST missing.txt\r\n"),
        Recv(b"550 No such file or directory.\r\n"),
        Ev("Failed MLST 550 Refused <- 550"),
    ])));
}

#[test]
fn mlst_proftpd() {
    run(&with_login(&[
        Do(|c| c.mlst(Some(b"hello.txt")).unwrap()),
        Send(b"MLST hello.txt\r\n"),
        Recv(b"250-Start of list for /home/ftptest/hello.txt\r\n modify=20240115093000;perm=adfrw;size=12;type=file;unique=FD01U1B;UNIX.group=1000;UNIX.mode=0644;UNIX.owner=1000; /home/ftptest/hello.txt\r\n250 End of list\r\n"),
        Ev("Entry /home/ftptest/hello.txt type=file size=12 <- 250"),
        Do(|c| c.mlst(None).unwrap()),
        Send(b"MLST\r\n"),
        Recv(b"250-Listing /\r\n type=cdir;modify=20240115093000;perm=flcdmpe; /\r\n250 End.\r\n"),
        Ev("Entry / type=cdir size=- <- 250"),
        Do(|c| c.mlst(Some(b"nothere")).unwrap()),
        Send(b"MLST nothere\r\n"),
        Recv(b"550 nothere: No such file or directory\r\n"),
        Ev("Failed MLST 550 Refused <- 550"),
        Send(b""),
    ]));
}

/// `raw` refuses the commands whose state the engine keeps (as its doc
/// lists them), in any letter case, and sends nothing; the session goes
/// on, and a command that only starts like one is sent.
#[test]
fn raw_refuses_the_engines_own_commands() {
    run(&with_login(&[
        Do(|c| {
            for line in [
                &b"USER x"[..],
                b"pass x",
                b"ACCT x",
                b"REIN",
                b"QUIT",
                b"PASV",
                b"epsv",
                b"PORT 127,0,0,1,4,1",
                b"EPRT |1|127.0.0.1|1025|",
                b"REST 100",
                b"RETR f",
                b"STOR f",
                b"STOU",
                b"APPE f",
                b"LIST",
                b"NLST",
                b"MLSD",
                b"AUTH TLS",
                b"CCC",
                // Checked before the argument.
                b"RETR a\r\nDELE b",
            ] {
                let name = String::from_utf8_lossy(line).to_ascii_uppercase();
                let name = name.split(' ').next().unwrap().to_owned();
                match c.raw(line) {
                    Err(ClientError::EngineCommand(cmd)) => assert_eq!(cmd.name(), name),
                    r => panic!("{name}: {r:?}"),
                }
                assert!(c.is_idle(), "{name}");
            }
        }),
        Send(b""),
        Do(|c| c.raw(b"RETRX f").unwrap()),
        Send(b"RETRX f\r\n"),
        Recv(b"500 Unknown command.\r\n"),
        Ev("Failed - 500 Refused <- 500"),
    ]));
}

#[test]
fn noop_and_raw() {
    run(&with_login(&[
        Do(|c| c.noop().unwrap()),
        Send(b"NOOP\r\n"),
        Recv(b"200 NOOP ok.\r\n"),
        Ev("Done <- 200"),
        Do(|c| c.raw(b"SITE CHMOD 644 hello.txt").unwrap()),
        Send(b"SITE CHMOD 644 hello.txt\r\n"),
        Recv(b"200 SITE CHMOD command successful\r\n"),
        Ev("Done <- 200"),
        Do(|c| c.raw(b"SYST").unwrap()),
        Send(b"SYST\r\n"),
        Recv(b"215 UNIX Type: L8\r\n"),
        Ev("Done <- 215"),
        Do(|c| c.raw(b"STAT").unwrap()),
        Send(b"STAT\r\n"),
        Recv(b"211-FTP server status:\r\n     Connected to 192.0.2.10\r\n     Logged in as ftptest\r\n     TYPE: BINARY\r\n211 End of status\r\n"),
        Ev("Done <- 211"),
        Do(|c| c.raw(b"SITE CHMOD 644 nothere").unwrap()),
        Send(b"SITE CHMOD 644 nothere\r\n"),
        Recv(b"550 CHMOD command failed.\r\n"),
        Ev("Failed SITE 550 Refused <- 550"),
        Do(|c| c.raw(b"XYZZY").unwrap()),
        Send(b"XYZZY\r\n"),
        Recv(b"500 Unknown command.\r\n"),
        Ev("Failed - 500 Refused <- 500"),
        // A raw command may have a 1xx (RFC 959 5.4): no event, then the
        // final reply is the answer.
        Do(|c| c.raw(b"SITE EXEC make").unwrap()),
        Send(b"SITE EXEC make\r\n"),
        Recv(b"150 Running make\r\n"),
        Do(|c| assert!(!c.is_idle())),
        Recv(b"200 make done\r\n"),
        Ev("Done <- 200"),
        Send(b""),
    ]));
}

#[test]
fn quit_221() {
    run(&with_login(&[
        Do(|c| c.quit().unwrap()),
        Send(b"QUIT\r\n"),
        Do(|c| assert_eq!(c.waiting(), Waiting::Reply(Some(Command::Quit)))),
        Recv(b"221 Goodbye.\r\n"),
        Ev("Closed Quit <- 221"),
        Do(|c| c.control_closed()),
        Send(b""),
        Do(all_closed),
    ]));
}

/// A malformed answer to QUIT still ends the session as QUIT does.
#[test]
fn quit_answered_with_a_malformed_reply_closes_as_quit() {
    run(&with_login(&[
        Do(|c| c.quit().unwrap()),
        Send(b"QUIT\r\n"),
        Recv(b"221 Good\0bye.\r\n"),
        Ev("Closed Quit"),
        Send(b""),
        Do(all_closed),
    ]));
}

#[test]
fn quit_then_control_closed_without_reply() {
    run(&with_login(&[
        Do(|c| c.quit().unwrap()),
        Send(b"QUIT\r\n"),
        Do(|c| c.control_closed()),
        Ev("Closed Quit"),
        Do(all_closed),
    ]));
}

/// QUIT asked for but not sent (or not wholly): the server that hangs up
/// did not answer it, and the session's end is a lost connection.
#[test]
fn quit_not_sent_then_control_closed_is_connection_lost() {
    run(&with_login(&[
        Do(|c| c.quit().unwrap()),
        Do(|c| c.control_closed()),
        Ev("Closed ConnectionLost"),
        Do(all_closed),
    ]));
    run(&[
        Do(|c| c.quit().unwrap()),
        Do(|c| c.control_closed()),
        Ev("Closed ConnectionLost"),
        Do(all_closed),
    ]);
    run(&with_login(&[
        Do(|c| {
            c.quit().unwrap();
            c.sent(2);
            c.control_closed();
        }),
        Ev("Closed ConnectionLost"),
        Do(all_closed),
    ]));
}

#[test]
fn control_closed_while_idle() {
    run(&with_login(&[
        Do(|c| {
            c.control_closed();
            // Closed for new operations before the event is taken.
            let closed = Err(ClientError::Closed);
            assert_eq!(c.noop(), closed);
            assert_eq!(c.retrieve(b"f", 0), closed);
            assert_eq!(c.waiting(), Waiting::Closed);
            // Bytes after the end are taken and ignored, before the
            // event is taken too.
            let late = [b'2'; 2048];
            assert_eq!(c.receive(&late), late.len());
        }),
        Ev("Closed ConnectionLost"),
        Do(all_closed),
    ]));
}

#[test]
fn control_closed_after_the_transfer_ended_keeps_its_event() {
    // The caller learns of both ends at once: the transfer is done, then
    // the session is over.
    run(&with_login(&[
        Do(|c| c.retrieve(b"hello.txt", 0).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering Extended Passive Mode (|||40001|)\r\n"),
        Ev("Connect 192.0.2.1:40001 <- 229"),
        Do(|c| c.data_connected().unwrap()),
        Send(b"RETR hello.txt\r\n"),
        Recv(b"150 Opening BINARY mode data connection for hello.txt (12 bytes).\r\n"),
        Ev("TransferStarted(Some(12)) <- 150"),
        Recv(b"226 Transfer complete.\r\n"),
        Do(|c| {
            c.data_end().unwrap();
            c.control_closed();
            assert_eq!(c.noop(), Err(ClientError::Closed));
        }),
        Ev("TransferDone"),
        Ev("Closed ConnectionLost"),
        Do(all_closed),
    ]));
}

#[test]
fn replies_received_before_control_closed_come_first() {
    // The server's last replies and its end of stream, read before the
    // caller polls: the replies are not lost.
    run(&with_login(&[
        Do(|c| c.retrieve(b"hello.txt", 0).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering Extended Passive Mode (|||40001|)\r\n"),
        Ev("Connect 192.0.2.1:40001 <- 229"),
        Do(|c| c.data_connected().unwrap()),
        Send(b"RETR hello.txt\r\n"),
        Do(|c| {
            c.data_end().unwrap();
            let b = b"150 Opening BINARY mode data connection for hello.txt (12 bytes).\r\n\
226 Transfer complete.\r\n";
            assert_eq!(c.receive(b), b.len());
            c.control_closed();
        }),
        Ev("TransferStarted(Some(12)) <- 150"),
        Ev("TransferDone <- 226"),
        Ev("Closed ConnectionLost"),
        Do(all_closed),
    ]));
    run(&with_login(&[
        Do(|c| c.quit().unwrap()),
        Send(b"QUIT\r\n"),
        Do(|c| {
            assert_eq!(c.receive(b"221 Goodbye.\r\n"), 14);
            c.control_closed();
        }),
        Ev("Closed Quit <- 221"),
        Do(all_closed),
    ]));
}

#[test]
fn control_closed_after_the_timer_keeps_the_timeout() {
    run(&with_login(&[
        Do(|c| c.noop().unwrap()),
        Send(b"NOOP\r\n"),
        Do(|c| {
            assert_eq!(c.timer_fired(), Waiting::Reply(Some(Command::Noop)));
            c.control_closed();
        }),
        Ev("Closed TimedOut Reply(Some(Noop))"),
        Do(all_closed),
    ]));
}

#[test]
fn idle_421_closes() {
    run(&with_login(&[
        Recv(b"421 Timeout.\r\n"),
        Ev("Closed ServiceClosing 421 <- 421"),
        Do(all_closed),
    ]));
}

#[test]
fn an_unreadable_421_still_closes() {
    // A 421 the decoder refuses (a NUL in its line, or in its block) is
    // still the server closing: ServiceClosing, idle or answering a
    // command, not a failed command on a session that goes on.
    run(&with_login(&[
        Recv(b"421 Timeout\0.\r\n"),
        Ev("Closed ServiceClosing 421"),
        Do(all_closed),
    ]));
    run(&with_login(&[
        Do(|c| c.noop().unwrap()),
        Send(b"NOOP\r\n"),
        Recv(b"421-Going down\r\n\0\r\n421 bye\r\n"),
        Ev("Closed ServiceClosing 421"),
        Do(all_closed),
    ]));
}

// Timers.

#[test]
fn timer_while_idle_does_not_close() {
    run(&then_noop(with_login(&[
        Do(|c| assert_eq!(c.timer_fired(), Waiting::Nothing)),
        Send(b""),
        Do(|c| assert!(c.is_idle() && !c.is_closed())),
    ])));
}

/// The timer closes the session with a command line partly written (a
/// short write): the rest of it is not sent, since a reply that comes late
/// could not be paired with it.
#[test]
fn timer_drops_a_line_partly_sent() {
    run(&[
        Do(|c| c.login(b"u", b"p", None).unwrap()),
        Send(b""),
        Recv(b"220 ready\r\n"),
        Do(|c| {
            assert_eq!(c.transmit(), b"USER u\r\n");
            c.sent(3);
            assert_eq!(c.transmit(), b"R u\r\n");
            assert_eq!(c.timer_fired(), Waiting::Reply(Some(Command::User)));
            assert_eq!(c.transmit(), b"");
        }),
        Ev("Closed TimedOut Reply(Some(User))"),
        Do(all_closed),
    ]);
}

#[test]
fn timer_while_waiting_for_the_greeting() {
    run(&[
        Do(|c| c.login(b"ftptest", b"secret", None).unwrap()),
        Do(|c| assert_eq!(c.timer_fired(), Waiting::Greeting)),
        Ev("Closed TimedOut Greeting"),
        Do(all_closed),
        Recv(b"220 ProFTPD Server ready.\r\n"),
        Send(b""),
    ]);
}

#[test]
fn timer_while_waiting_for_the_data_connection() {
    run(&with_login(&[
        Do(|c| c.retrieve(b"hello.txt", 0).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering Extended Passive Mode (|||40001|)\r\n"),
        Ev("Connect 192.0.2.1:40001 <- 229"),
        Do(|c| assert_eq!(c.timer_fired(), Waiting::DataConnection)),
        Ev("Closed TimedOut DataConnection"),
        Do(|c| assert_eq!(c.data_connected(), Err(ClientError::NoTransfer))),
        Send(b""),
        Do(all_closed),
    ]));
}

#[test]
fn data_reports_after_the_timer_are_refused() {
    // The timer closed the session: a late data_end must not end the
    // transfer and keep the session going.
    run(&with_login(&[
        Do(|c| c.retrieve(b"hello.txt", 0).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering Extended Passive Mode (|||40001|)\r\n"),
        Ev("Connect 192.0.2.1:40001 <- 229"),
        Do(|c| c.data_connected().unwrap()),
        Send(b"RETR hello.txt\r\n"),
        Recv(b"150 Opening BINARY mode data connection for hello.txt (12 bytes).\r\n"),
        Ev("TransferStarted(Some(12)) <- 150"),
        Recv(b"226 Transfer complete.\r\n"),
        Do(|c| {
            assert_eq!(
                c.timer_fired(),
                Waiting::TransferEnd {
                    reply: false,
                    data: true
                }
            );
            assert_eq!(c.data_end(), Err(ClientError::NoTransfer));
            assert_eq!(c.data_failed(), Err(ClientError::NoTransfer));
        }),
        Ev("Closed TimedOut TransferEnd { reply: false, data: true }"),
        Do(all_closed),
    ]));
    run(&with_login(&[
        Do(|c| c.retrieve(b"hello.txt", 0).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering Extended Passive Mode (|||40001|)\r\n"),
        Ev("Connect 192.0.2.1:40001 <- 229"),
        Do(|c| {
            assert_eq!(c.timer_fired(), Waiting::DataConnection);
            assert_eq!(c.data_failed(), Err(ClientError::NoTransfer));
        }),
        Ev("Closed TimedOut DataConnection"),
        Do(all_closed),
    ]));
}

#[test]
fn timer_while_waiting_for_the_transfer_end() {
    run(&with_login(&[
        Do(|c| c.retrieve(b"hello.txt", 0).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering Extended Passive Mode (|||40001|)\r\n"),
        Ev("Connect 192.0.2.1:40001 <- 229"),
        Do(|c| c.data_connected().unwrap()),
        Send(b"RETR hello.txt\r\n"),
        Recv(b"150 Opening BINARY mode data connection for hello.txt (12 bytes).\r\n"),
        Ev("TransferStarted(Some(12)) <- 150"),
        Do(|c| c.data_end().unwrap()),
        Do(|c| {
            assert_eq!(
                c.timer_fired(),
                Waiting::TransferEnd {
                    reply: true,
                    data: false
                }
            )
        }),
        Ev("Closed TimedOut TransferEnd { reply: true, data: false }"),
        Recv(b"226 Transfer complete.\r\n"),
        Send(b""),
        Do(all_closed),
    ]));
}

// Caller errors.

#[test]
fn data_reports_with_no_transfer() {
    run(&then_noop(with_login(&[
        Do(|c| {
            assert_eq!(c.data_connected(), Err(ClientError::NoTransfer));
            assert_eq!(c.data_end(), Err(ClientError::NoTransfer));
            assert_eq!(c.data_failed(), Err(ClientError::NoTransfer));
        }),
        Do(|c| c.noop().unwrap()),
        Do(|c| assert_eq!(c.data_connected(), Err(ClientError::NoTransfer))),
        Send(b"NOOP\r\n"),
        Recv(b"200 NOOP ok.\r\n"),
        Ev("Done <- 200"),
        // Twice: the second one finds no Connect to answer.
        Do(|c| c.list(None).unwrap()),
        Send(b"EPSV\r\n"),
        // Before the Connect event (EPSV not answered yet) no data report
        // is taken, a failure neither (`data_failed`'s doc), and the
        // transfer goes on: EPSV's answer still gives the Connect.
        Do(|c| {
            assert_eq!(c.data_connected(), Err(ClientError::NoTransfer));
            assert_eq!(c.data_end(), Err(ClientError::NoTransfer));
            assert_eq!(c.data_failed(), Err(ClientError::NoTransfer));
        }),
        Recv(b"229 Entering Extended Passive Mode (|||40001|)\r\n"),
        Ev("Connect 192.0.2.1:40001 <- 229"),
        Do(|c| {
            c.data_connected().unwrap();
            assert_eq!(c.data_connected(), Err(ClientError::NoTransfer));
        }),
        Send(b"LIST\r\n"),
        Recv(b"150 Here comes the directory listing.\r\n"),
        Ev("TransferStarted(None) <- 150"),
        Do(|c| c.data_end().unwrap()),
        Recv(b"226 Directory send OK.\r\n"),
        Ev("TransferDone <- 226"),
        Do(|c| assert_eq!(c.data_end(), Err(ClientError::NoTransfer))),
    ])));
}

#[test]
fn arguments_with_cr_lf_nul_are_refused_and_nothing_is_sent() {
    fn forbidden(r: Result<(), ClientError>) {
        match r {
            Err(ClientError::Argument(e)) => assert_eq!(
                e.kind(),
                ftp_reply::ErrorKind::Payload(ftp_reply::PayloadError::ForbiddenArgument),
                "{e:?}"
            ),
            other => panic!("{other:?}"),
        }
    }
    run(&then_noop(with_login(&[
        Do(|c| {
            forbidden(c.cwd(b"pub\r\nDELE hello.txt"));
            forbidden(c.retrieve(b"a\nb", 0));
            forbidden(c.retrieve(b"a\0b", 10));
            forbidden(c.store(b"x\r"));
            forbidden(c.append(b"x\n"));
            forbidden(c.list(Some(b"\0")));
            forbidden(c.nlst(Some(b"a\rb")));
            forbidden(c.mlsd(Some(b"a\nb")));
            forbidden(c.mlst(Some(b"a\nb")));
            forbidden(c.size(b"a\nb"));
            forbidden(c.mdtm(b"a\nb"));
            forbidden(c.mkd(b"a\nb"));
            forbidden(c.rmd(b"a\nb"));
            forbidden(c.dele(b"a\nb"));
            // RNFR is fine, RNTO is not: neither goes out.
            forbidden(c.rename(b"old.txt", b"new\r\nDELE x"));
            forbidden(c.rename(b"old\n", b"new.txt"));
            forbidden(c.raw(b"SITE CHMOD 644 x\r\nDELE y"));
            forbidden(c.login(b"u", b"p\r\nDELE x", None));
            forbidden(c.login(b"u", b"p", Some(b"a\0")));
            assert!(c.is_idle());
        }),
        Send(b""),
    ])));
}

#[test]
fn byte_255_in_an_argument_is_doubled() {
    // Telnet's IAC: a data byte 255 goes out as 255 255.
    run(&with_login(&[
        Do(|c| c.cwd(b"caf\xff").unwrap()),
        Send(b"CWD caf\xff\xff\r\n"),
        Recv(b"250 CWD command successful\r\n"),
        Ev("Done <- 250"),
        Do(|c| c.raw(b"SITE \xffX").unwrap()),
        Send(b"SITE \xff\xffX\r\n"),
        Recv(b"200 SITE command successful\r\n"),
        Ev("Done <- 200"),
    ]));
}

#[test]
fn quit_before_the_greeting() {
    run(&[
        Do(|c| c.quit().unwrap()),
        Send(b""),
        Recv(b"220 (vsFTPd 3.0.3)\r\n"),
        Send(b"QUIT\r\n"),
        Recv(b"221 Goodbye.\r\n"),
        Ev("Closed Quit <- 221"),
        Do(all_closed),
    ]);
}

#[test]
fn greeting_that_is_not_a_reply_closes() {
    run(&[
        Do(|c| c.login(b"ftptest", b"secret", None).unwrap()),
        Recv(b"SSH-2.0-OpenSSH_9.6\r\n"),
        Ev("Closed Malformed(InvalidCode@0)"),
        Send(b""),
        Do(all_closed),
    ]);
}

#[test]
fn arguments_before_the_greeting_are_refused_too() {
    run(&[
        Do(|c| {
            assert!(matches!(
                c.login(b"ftp\r\n", b"p", None),
                Err(ClientError::Argument(_))
            ));
            assert!(c.is_idle());
        }),
        Recv(b"220 (vsFTPd 3.0.3)\r\n"),
        Send(b""),
        Do(|c| c.login(b"ftp", b"guest@", None).unwrap()),
        Send(b"USER ftp\r\n"),
        Recv(b"331 Please specify the password.\r\n"),
        Send(b"PASS guest@\r\n"),
        Recv(b"230 Login successful.\r\n"),
        Ev("LoggedIn <- 230"),
    ]);
}

#[test]
fn receive_with_after_close_drops_the_bytes() {
    let mut c = Client::<16>::new(PEER);
    let taken = c.receive_with(|buf| {
        let msg = b"421 Bye\r\n";
        buf[..msg.len()].copy_from_slice(msg);
        Ok::<_, ()>(msg.len())
    });
    assert_eq!(taken, Ok(9));
    let ev = c.poll_event().unwrap();
    assert!(matches!(ev.kind, EventKind::Closed(_)), "{:?}", ev.kind);
    assert!(c.is_closed());
    // Closed: every read is given room and dropped, however many.
    for _ in 0..10 {
        let got = c.receive_with(|buf| {
            assert_eq!(buf.len(), 16);
            buf.fill(b'x');
            Ok::<_, ()>(buf.len())
        });
        assert_eq!(got, Ok(16));
        assert!(c.poll_event().is_none());
    }
}

/// After `control_closed`, while replies received before the end still
/// wait: a read is given no room (the stream has ended), so nothing after
/// the end is taken, and the waiting replies come out, then `Closed`.
#[test]
fn receive_with_after_control_closed_gives_no_room() {
    let mut c = Client::<64>::new(PEER);
    c.login(b"u", b"p", None).unwrap();
    assert_eq!(c.buffered(), 0);
    // `buffered` counts what is held and not read: part of a reply, then
    // none once it is read.
    assert_eq!(c.receive(b"220 "), 4);
    assert_eq!(c.buffered(), 4);
    assert_eq!(c.receive(b"Hi\r\n"), 4);
    assert_eq!(c.buffered(), 8);
    assert_eq!(c.poll_event().map(|e| e.kind), None);
    assert_eq!(c.buffered(), 0);
    assert_eq!(c.transmit(), b"USER u\r\n");
    c.sent(8);
    assert_eq!(c.receive(b"331 Pass\r\n"), 10);
    assert_eq!(c.buffered(), 10);
    c.control_closed();
    let mut rooms = Vec::new();
    let got = c.receive_with(|buf| {
        rooms.push(buf.len());
        let late = b"230 late\r\n";
        let n = late.len().min(buf.len());
        buf[..n].copy_from_slice(&late[..n]);
        Ok::<_, ()>(n)
    });
    assert_eq!((got, rooms), (Ok(0), vec![0]));
    let mut events = Vec::new();
    drain(&mut c, &mut events);
    assert_eq!(events, ["Closed ConnectionLost"]);
    // PASS is not sent on a connection that has ended.
    assert_eq!(c.transmit(), b"");
}

#[test]
fn control_closed_after_226_waits_for_the_data_end() {
    // The server confirmed the transfer and hung up while its data was
    // still on the way: the transfer ends with the data, then the session.
    run(&with_login(&[
        Do(|c| c.retrieve(b"hello.txt", 0).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering Extended Passive Mode (|||40001|)\r\n"),
        Ev("Connect 192.0.2.1:40001 <- 229"),
        Do(|c| c.data_connected().unwrap()),
        Send(b"RETR hello.txt\r\n"),
        Recv(b"150 Opening BINARY mode data connection for hello.txt (12 bytes).\r\n"),
        Ev("TransferStarted(Some(12)) <- 150"),
        Recv(b"226 Transfer complete.\r\n"),
        Do(|c| {
            c.control_closed();
            assert!(c.poll_event().is_none(), "the data has not ended");
            assert_eq!(
                c.waiting(),
                Waiting::TransferEnd {
                    reply: false,
                    data: true
                }
            );
            assert_eq!(c.noop(), Err(ClientError::Closed));
            c.data_end().unwrap();
        }),
        Ev("TransferDone"),
        Ev("Closed ConnectionLost"),
        Do(all_closed),
    ]));
}

/// A 421 right after the 226 (an idle timeout as the transfer ends): the
/// server confirmed the transfer, which ends with the data, as when it just
/// hangs up; then the session closes with the 421 (not lent: it was read
/// before). Before, the 421 closed at once and the confirmed transfer was
/// lost (`data_end` gave `NoTransfer`).
#[test]
fn a_421_after_226_waits_for_the_data_end() {
    run(&with_login(&[
        Do(|c| c.retrieve(b"hello.txt", 0).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering Extended Passive Mode (|||40001|)\r\n"),
        Ev("Connect 192.0.2.1:40001 <- 229"),
        Do(|c| c.data_connected().unwrap()),
        Send(b"RETR hello.txt\r\n"),
        Recv(b"150 Opening BINARY mode data connection for hello.txt (12 bytes).\r\n"),
        Ev("TransferStarted(Some(12)) <- 150"),
        Recv(b"226 Transfer complete.\r\n421 Timeout.\r\n"),
        Do(|c| {
            assert!(c.poll_event().is_none(), "the data has not ended");
            assert_eq!(c.noop(), Err(ClientError::Closed));
            c.data_end().unwrap();
        }),
        Ev("TransferDone"),
        Ev("Closed ServiceClosing 421"),
        Do(all_closed),
    ]));
    // Before the 226, a 421 still closes at once.
    run(&with_login(&[
        Do(|c| c.retrieve(b"hello.txt", 0).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering Extended Passive Mode (|||40001|)\r\n"),
        Ev("Connect 192.0.2.1:40001 <- 229"),
        Do(|c| c.data_connected().unwrap()),
        Send(b"RETR hello.txt\r\n"),
        Recv(b"150 Opening BINARY mode data connection for hello.txt (12 bytes).\r\n"),
        Ev("TransferStarted(Some(12)) <- 150"),
        Recv(b"421 Timeout.\r\n"),
        Ev("Closed ServiceClosing 421 <- 421"),
        Do(all_closed),
    ]));
}

#[test]
fn control_closed_after_226_then_the_timer() {
    run(&with_login(&[
        Do(|c| c.retrieve(b"hello.txt", 0).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering Extended Passive Mode (|||40001|)\r\n"),
        Ev("Connect 192.0.2.1:40001 <- 229"),
        Do(|c| c.data_connected().unwrap()),
        Send(b"RETR hello.txt\r\n"),
        Recv(b"150 Opening BINARY mode data connection for hello.txt (12 bytes).\r\n"),
        Ev("TransferStarted(Some(12)) <- 150"),
        Recv(b"226 Transfer complete.\r\n"),
        Do(|c| {
            c.control_closed();
            assert_eq!(
                c.timer_fired(),
                Waiting::TransferEnd {
                    reply: false,
                    data: true
                }
            );
        }),
        Ev("Closed TimedOut TransferEnd { reply: false, data: true }"),
        Do(all_closed),
    ]));
}

#[test]
fn control_closed_before_226_closes_at_once() {
    run(&with_login(&[
        Do(|c| c.retrieve(b"hello.txt", 0).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering Extended Passive Mode (|||40001|)\r\n"),
        Ev("Connect 192.0.2.1:40001 <- 229"),
        Do(|c| c.data_connected().unwrap()),
        Send(b"RETR hello.txt\r\n"),
        Recv(b"150 Opening BINARY mode data connection for hello.txt (12 bytes).\r\n"),
        Ev("TransferStarted(Some(12)) <- 150"),
        Do(|c| c.control_closed()),
        Ev("Closed ConnectionLost"),
        Do(all_closed),
    ]));
}

#[test]
fn data_failed_after_control_closed_sends_no_pasv() {
    // The 229's port could not be reached, but the control connection
    // has ended too: no PASV goes out on it (data_connected is refused
    // then as well); the transfer fails, then the session closes.
    run(&with_login(&[
        Do(|c| c.retrieve(b"hello.txt", 0).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering Extended Passive Mode (|||40001|)\r\n"),
        Ev("Connect 192.0.2.1:40001 <- 229"),
        Do(|c| {
            c.control_closed();
            assert_eq!(c.data_connected(), Err(ClientError::NoTransfer));
            c.data_failed().unwrap();
            assert!(!c.passive_fallback());
            assert_eq!(c.transmit(), b"");
        }),
        Ev("Failed RETR - DataConnection"),
        Ev("Closed ConnectionLost"),
        Do(all_closed),
    ]));
}

/// aioftp (recorded in `tests/data/aioftp`) answers PASV with a two-line
/// 227 whose address is on the closing line; a 257 with no text answers
/// its MKD.
#[test]
fn pasv_block_with_the_address_on_its_closing_line() {
    run(&with_login(&[
        Do(|c| {
            c.use_pasv();
            c.nlst(None).unwrap();
        }),
        Send(b"PASV\r\n"),
        Recv(b"227-listen socket created\r\n227 (192,0,2,1,156,204)\r\n"),
        Ev("Connect 192.0.2.1:40140 (offered 192.0.2.1:40140) <- 227"),
        Do(|c| c.data_connected().unwrap()),
        Send(b"NLST\r\n"),
        Recv(b"150 list transfer started\r\n"),
        Ev("TransferStarted(None) <- 150"),
        Recv(b"226 list transfer done\r\n"),
        Do(|c| c.data_end().unwrap()),
        Ev("TransferDone"),
        Do(|c| c.mkd(b"new").unwrap()),
        Send(b"MKD new\r\n"),
        Recv(b"257 \r\n"),
        Ev("Done <- 257"),
    ]));
}

#[test]
fn use_pasv_skips_epsv() {
    run(&with_login(&[
        Do(|c| {
            c.use_pasv();
            assert!(c.passive_fallback());
            c.nlst(None).unwrap();
        }),
        Send(b"PASV\r\n"),
        Recv(b"227 Entering Passive Mode (192,0,2,1,156,64).\r\n"),
        Ev("Connect 192.0.2.1:40000 (offered 192.0.2.1:40000) <- 227"),
        Do(|c| c.data_connected().unwrap()),
        Send(b"NLST\r\n"),
        Recv(b"150 Here comes the directory listing.\r\n226 Directory send OK.\r\n"),
        Ev("TransferStarted(None) <- 150"),
        Do(|c| c.data_end().unwrap()),
        Ev("TransferDone"),
    ]));
}

#[test]
fn waiting_reads_as_words() {
    use ftp_reply::Command;
    assert_eq!(
        Waiting::Reply(Some(Command::Feat)).to_string(),
        "the reply to FEAT"
    );
    assert_eq!(
        Waiting::TransferEnd {
            reply: false,
            data: true
        }
        .to_string(),
        "the end of the data"
    );
    let closed = ftp_reply::client::CloseReason::TimedOut(Waiting::Greeting);
    assert_eq!(closed.to_string(), "timed out waiting for the greeting");
}

#[test]
fn epsv_multi_line_229_with_the_tuple_last() {
    run(&with_login(&[
        Do(|c| c.retrieve(b"f", 0).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229-Entering Extended Passive Mode\r\n229 (|||40001|)\r\n"),
        Ev("Connect 192.0.2.1:40001 <- 229"),
        Do(|c| c.data_connected().unwrap()),
        Send(b"RETR f\r\n"),
        Do(|c| c.data_failed().unwrap()),
        Recv(b"426 Connection closed; transfer aborted.\r\n"),
        Ev("Failed RETR 426 Refused <- 426"),
    ]));
}

#[cfg(feature = "embedded-io")]
#[path = "common/control.rs"]
mod control;

/// `client::Session` over a scripted control connection.
#[cfg(feature = "embedded-io")]
mod session {
    use super::PEER;
    use super::control::{EPSV, Server};
    use embedded_io::{ErrorKind, ErrorType, Read, Write};
    use ftp_reply::ReplyCode;
    use ftp_reply::client::{ClientError, CloseReason, Session, SessionError};

    impl Server {
        /// A server that greets and takes `user`/`secret`, then answers
        /// `rest` (the end of the stream after it, or `when_empty`).
        fn logged_in(
            rest: &[(&'static [u8], &'static [u8])],
            when_empty: Option<ErrorKind>,
        ) -> Session<Server, 512> {
            let mut script: Vec<(&'static [u8], &'static [u8])> = vec![
                (b"USER user\r\n", b"331 Password required\r\n"),
                (b"PASS secret\r\n", b"230 Logged in\r\n"),
            ];
            script.extend_from_slice(rest);
            let server = Server {
                when_empty,
                ..Server::new(b"220 ready\r\n", script)
            };
            let mut s = Session::<_, 512>::new(server, PEER);
            s.login(b"user", b"secret").unwrap();
            s
        }
    }

    #[test]
    fn pwd_longer_than_the_buffer_copies_whole_pieces_only() {
        // Session::pwd's doc read "the part that fits is copied": a name
        // with no doubled quote is one piece, and none of it is.
        let server = Server {
            script: vec![
                (b"USER ftptest\r\n", b"331 Password required\r\n"),
                (b"PASS secret\r\n", b"230 User ftptest logged in\r\n"),
                (
                    b"PWD\r\n",
                    b"257 \"/home/ftptest\" is the current directory\r\n",
                ),
                (b"PWD\r\n", b"257 \"/a\"\"bc\" is the current directory\r\n"),
            ],
            queued: b"220 ProFTPD Server ready.\r\n".to_vec(),
            written: Vec::new(),
            when_empty: None,
        };
        let mut s = Session::<_, 512>::new(server, PEER);
        s.login(b"ftptest", b"secret").unwrap();
        let mut out = [0u8; 4];
        let Err(SessionError::BufferFull(e)) = s.pwd(&mut out) else {
            panic!("BufferFull")
        };
        assert_eq!(e.offset(), 0);
        assert_eq!(out, [0; 4]);
        let Err(SessionError::BufferFull(e)) = s.pwd(&mut out) else {
            panic!("BufferFull")
        };
        assert_eq!((e.offset(), &out[..3]), (3, &b"/a\""[..]));
    }

    /// The control connection is Telnet: option negotiation and a NOP
    /// before the greeting are dropped, vsftpd's doubled 255 in a name is
    /// one byte, and a 255 that no command follows (a server that does not
    /// double it) is data, each cut at the end of a 63-byte read (the
    /// session reads into `rx[1..]`: a held IAC then a byte that is no
    /// command gives two bytes for one).
    #[test]
    fn telnet_commands_are_taken_out_across_reads() {
        let mut doubled = b"257 \"/".to_vec();
        doubled.extend_from_slice(&[b'a'; 56]);
        assert_eq!(doubled.len(), 62);
        doubled.extend_from_slice(b"\xff\xff\" is the current directory\r\n");
        let mut single = b"257 \"/".to_vec();
        single.extend_from_slice(&[b'a'; 56]);
        single.extend_from_slice(b"\xff\" is the current directory\r\n");
        let server = Server {
            script: vec![
                (b"USER ftptest\r\n", b"331 Password required\r\n"),
                (b"PASS secret\r\n", b"230 User ftptest logged in\r\n"),
                (b"PWD\r\n", doubled.leak()),
                (b"PWD\r\n", single.leak()),
            ],
            queued: b"\xff\xfb\x01\xff\xf1220 vsFTPd ready.\r\n".to_vec(),
            written: Vec::new(),
            when_empty: None,
        };
        let mut s = Session::<_, 512>::new(server, PEER);
        s.login(b"ftptest", b"secret").unwrap();
        let mut want = b"/".to_vec();
        want.extend_from_slice(&[b'a'; 56]);
        want.push(0xff);
        let mut out = [0u8; 128];
        for _ in 0..2 {
            let n = s.pwd(&mut out).unwrap();
            assert_eq!(
                out[..n].escape_ascii().to_string(),
                want.escape_ascii().to_string()
            );
        }
        assert!(s.into_inner().script.is_empty());
    }

    /// A control connection that reads at most `chunk` bytes at a time
    /// and, when it fills the buffer, says it read `over` more (no
    /// contract allows it: the session takes what fits).
    struct Chunked {
        server: Server,
        chunk: usize,
        over: usize,
    }

    impl ErrorType for Chunked {
        type Error = ErrorKind;
    }

    impl Read for Chunked {
        fn read(&mut self, buf: &mut [u8]) -> Result<usize, ErrorKind> {
            let len = buf.len().min(self.chunk);
            let n = self.server.read(&mut buf[..len])?;
            Ok(if n == buf.len() {
                n.saturating_add(self.over)
            } else {
                n
            })
        }
    }

    impl Write for Chunked {
        fn write(&mut self, buf: &[u8]) -> Result<usize, ErrorKind> {
            self.server.write(buf)
        }

        fn flush(&mut self) -> Result<(), ErrorKind> {
            Ok(())
        }
    }

    /// Telnet commands inside replies, between them, in reads of their
    /// own and cut at every read boundary (reads of 1 to 70 bytes, and
    /// reads that claim more than the buffer), a 255 the server doubled
    /// and one it did not: every reply comes whole, none is answered (the
    /// script checks every line written), and an IAC held at the end of
    /// the stream is no data; the stream ending after an IAC inside a
    /// reply is a lost connection, not a hang or a reply.
    #[test]
    fn telnet_commands_anywhere_at_any_read_size() {
        let path = &b"/\xffa\xffb"[..];
        for chunk in 1..=70 {
            for over in [0, 1, usize::MAX] {
                let server = Server::new(
                    b"\xff\xfd\x18\xff\xf1220-\xff\xfb\x01hi\r\n\xff\xf9220 ready\r\n",
                    vec![
                        (b"USER u\r\n", b"\xff\xfc\x03\xff\xf1\xff\xf1331 pw\r\n"),
                        (b"PASS p\r\n", b"230 in\xff\xf2\r\n\xff\xfe"),
                        (
                            b"PWD\r\n",
                            b"\x01\xff\xf1257 \"/\xff\xffa\xffb\" \xff\xfd\x01x\r\n",
                        ),
                        (b"NOOP\r\n", b"200-\xff\xff\r\n\xff\xf1200 ok\r\n\xff\xf9"),
                        (b"NOOP\r\n", b"200 o\xff"),
                    ],
                );
                let control = Chunked {
                    server,
                    chunk,
                    over,
                };
                let mut s = Session::<_, 512>::new(control, PEER);
                s.login(b"u", b"p").unwrap();
                let mut out = [0u8; 16];
                let n = s.pwd(&mut out).unwrap();
                assert_eq!(&out[..n], path, "chunk {chunk}, over {over}");
                s.noop().unwrap();
                let Err(SessionError::Closed(CloseReason::ConnectionLost)) = s.noop() else {
                    panic!("chunk {chunk}, over {over}: the end after an IAC")
                };
                let control = s.into_inner();
                assert!(control.server.script.is_empty());
                assert!(control.server.queued.is_empty());
            }
        }
    }

    #[test]
    fn a_reply_read_before_the_command_is_not_its_answer() {
        // The server answers NOOP twice: the second 200 comes in the
        // same read as the first. Session sent the next NOOP before giving
        // those bytes to the engine, which then paired the stale 200 with
        // it; it closes instead, and sends nothing more.
        let mut server = Server {
            script: vec![
                (b"", b"220 ProFTPD Server ready.\r\n"),
                (b"USER ftptest\r\n", b"331 Password required\r\n"),
                (b"PASS secret\r\n", b"230 User ftptest logged in\r\n"),
                (b"NOOP\r\n", b"200 NOOP ok\r\n200 NOOP ok\r\n"),
            ],
            queued: Vec::new(),
            written: Vec::new(),
            when_empty: None,
        };
        let (_, greeting) = server.script.remove(0);
        server.queued.extend_from_slice(greeting);
        let mut s = Session::<_, 512>::new(server, PEER);
        s.login(b"ftptest", b"secret").unwrap();
        s.noop().unwrap();
        let code = ReplyCode::new(200).unwrap();
        assert_eq!(
            s.noop(),
            Err(SessionError::Closed(CloseReason::Unexpected(code)))
        );
        let server = s.into_inner();
        assert_eq!(server.written, b"", "the second NOOP is not sent");
        assert!(server.script.is_empty());
    }

    /// A data connection: `reads` are what its reads give, then `end`
    /// (an error, or the end of the stream); writes take `room` bytes,
    /// then fail with `BrokenPipe`.
    struct Data {
        reads: Vec<&'static [u8]>,
        end: Option<ErrorKind>,
        room: usize,
    }

    impl ErrorType for Data {
        type Error = ErrorKind;
    }

    impl Read for Data {
        fn read(&mut self, buf: &mut [u8]) -> Result<usize, ErrorKind> {
            if self.reads.is_empty() {
                return self.end.map_or(Ok(0), Err);
            }
            let piece = self.reads.remove(0);
            buf[..piece.len()].copy_from_slice(piece);
            Ok(piece.len())
        }
    }

    impl Write for Data {
        fn write(&mut self, buf: &[u8]) -> Result<usize, ErrorKind> {
            if self.room == 0 {
                return Err(ErrorKind::BrokenPipe);
            }
            let n = buf.len().min(self.room);
            self.room -= n;
            Ok(n)
        }

        fn flush(&mut self) -> Result<(), ErrorKind> {
            Ok(())
        }
    }

    #[test]
    fn a_data_connection_that_breaks_fails_with_its_error() {
        // SessionError::Data: "the data connection's error (opening,
        // reading or writing it)". A reset after 7 bytes, which the
        // server confirms with a 426: the bytes read are given, and the
        // error is the reset, not the 426.
        let mut s = Server::logged_in(
            &[
                EPSV,
                (
                    b"RETR f\r\n",
                    b"150 Opening BINARY mode data connection for f (10 bytes).\r\n\
                      426 Failure reading network stream.\r\n",
                ),
                (b"NOOP\r\n", b"200 NOOP ok\r\n"),
            ],
            None,
        );
        let mut got = Vec::new();
        let mut to = None;
        let data = Data {
            reads: vec![b"abc", b"defg"],
            end: Some(ErrorKind::ConnectionReset),
            room: 0,
        };
        let mut data = Some(data);
        let r = s.retrieve(
            b"f",
            0,
            |at| {
                to = Some(at);
                data.take().ok_or(ErrorKind::Other)
            },
            |chunk| got.extend_from_slice(chunk),
        );
        assert_eq!(r, Err(SessionError::Data(ErrorKind::ConnectionReset)));
        assert_eq!(got, b"abcdefg");
        assert_eq!(to, Some("192.0.2.1:40000".parse().unwrap()));
        assert_eq!(s.announced_size(), Some(10));
        // The session goes on.
        s.noop().unwrap();

        // Writing: the pipe breaks after 300 bytes of a STOR.
        let mut s = Server::logged_in(
            &[
                EPSV,
                (
                    b"STOR f\r\n",
                    b"150 Ok to send data.\r\n426 Failure writing network stream.\r\n",
                ),
            ],
            None,
        );
        let data = Data {
            reads: Vec::new(),
            end: None,
            room: 300,
        };
        let mut data = Some(data);
        let r = s.store(
            b"f",
            false,
            |_| data.take().ok_or(ErrorKind::Other),
            |buf: &mut [u8]| {
                buf.fill(b'x');
                buf.len()
            },
        );
        assert_eq!(r, Err(SessionError::Data(ErrorKind::BrokenPipe)));
        assert!(s.into_inner().script.is_empty());
    }

    #[test]
    fn a_control_connection_that_ends_closes_the_session() {
        // The server closes the control connection in place of answering
        // NOOP: the session is over (ConnectionLost), and a later call
        // is refused (ClientError::Closed) and sends nothing.
        let mut s = Server::logged_in(&[(b"NOOP\r\n", b"")], None);
        assert_eq!(
            s.noop(),
            Err(SessionError::Closed(CloseReason::ConnectionLost))
        );
        assert_eq!(s.noop(), Err(SessionError::Client(ClientError::Closed)));
        let server = s.into_inner();
        assert_eq!(server.written, b"", "nothing sent after the close");
    }

    #[test]
    fn read_errors_on_the_control_connection_close_the_session() {
        // Session's doc: a read that times out fires the engine's timer,
        // so the call returns Closed(TimedOut); any other read error is
        // returned as Io and closes the session too. Either way a later
        // call is refused (ClientError::Closed) and sends nothing.
        let mut s = Server::logged_in(&[(b"NOOP\r\n", b"")], Some(ErrorKind::TimedOut));
        assert!(
            matches!(
                s.noop(),
                Err(SessionError::Closed(CloseReason::TimedOut(_)))
            ),
            "Closed(TimedOut)"
        );
        assert_eq!(s.noop(), Err(SessionError::Client(ClientError::Closed)));
        assert_eq!(s.into_inner().written, b"");

        let mut s = Server::logged_in(&[(b"NOOP\r\n", b"")], Some(ErrorKind::ConnectionAborted));
        assert_eq!(
            s.noop(),
            Err(SessionError::Io(ErrorKind::ConnectionAborted))
        );
        assert_eq!(s.noop(), Err(SessionError::Client(ClientError::Closed)));
        assert_eq!(s.into_inner().written, b"");
    }
}

#[test]
fn a_cut_reply_gives_no_value() {
    // Replies longer than the buffer (`Client<40>`) come out cut to their
    // first 20 bytes: "213 0000000000000000" would be a size of 0, and
    // "227 =192,0,2,1,156,6" port 156 * 256 + 6. The operation fails
    // instead (`PayloadError::Truncated`), and the session goes on; a cut
    // 150 is a transfer of unknown size.
    run_n::<40>(&with_login_n(&[
        Do(|c| c.size(b"f").unwrap()),
        Send(b"SIZE f\r\n"),
        Recv(b"213 00000000000000001234567890123456789\r\n"),
        Ev("Failed SIZE 213 Malformed(Payload(Truncated)@20) <- 213"),
        // A reply with no value does, cut or not.
        Do(|c| c.mkd(b"d").unwrap()),
        Send(b"MKD d\r\n"),
        Recv(b"250 Directory created, and a long comment after it.\r\n"),
        Ev("Done <- 250"),
        Do(|c| c.use_pasv()),
        Do(|c| c.retrieve(b"f", 0).unwrap()),
        Send(b"PASV\r\n"),
        Recv(b"227 =192,0,2,1,156,64 ok and some more text\r\n"),
        Ev("Failed RETR 227 Malformed(Payload(Truncated)@20) <- 227"),
        Do(|c| c.retrieve(b"f", 0).unwrap()),
        Send(b"PASV\r\n"),
        Recv(b"227 =192,0,2,1,156,64\r\n"),
        Ev("Connect 192.0.2.1:40000 (offered 192.0.2.1:40000) <- 227"),
        Do(|c| c.data_connected().unwrap()),
        Send(b"RETR f\r\n"),
        Recv(b"150 Opening data connection for f (12 bytes).\r\n"),
        Ev("TransferStarted(None) <- 150"),
        Do(|c| c.data_end().unwrap()),
        Recv(b"226 ok\r\n"),
        Ev("TransferDone <- 226"),
        // A 229 cut after its tuple still holds one: it is refused all
        // the same (the cut text might have been a block's first line).
        // (PASV answered with a 229 is read as one.)
        Do(|c| c.retrieve(b"f", 0).unwrap()),
        Send(b"PASV\r\n"),
        Recv(b"229 (|||40001|) Entering Extended Passive Mode, and a comment\r\n"),
        Ev("Failed RETR 229 Malformed(Payload(Truncated)@20) <- 229"),
    ]));
}

#[test]
fn epsv_answered_with_a_cut_227_falls_back_to_pasv() {
    // A 2xx other than a 229 whose address cannot be read, answering
    // EPSV, falls back to PASV (`src/client/mod.rs`, "Passive mode"), a
    // reply the decoder cut (`Client<40>`: its first 20 bytes) among
    // them: the tuple in "227 =192,0,2,1,156,64 ..." is cut to "156,6",
    // which is no address. (A cut 229 fails the transfer instead:
    // `a_cut_reply_gives_no_value`.)
    run_n::<40>(&with_login_n(&[
        Do(|c| c.retrieve(b"f", 0).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"227 =192,0,2,1,156,64 ok and some more text\r\n"),
        Send(b"PASV\r\n"),
        Do(|c| assert!(c.passive_fallback())),
        Recv(b"227 =192,0,2,1,156,64\r\n"),
        Ev("Connect 192.0.2.1:40000 (offered 192.0.2.1:40000) <- 227"),
        Do(|c| c.data_connected().unwrap()),
        Send(b"RETR f\r\n"),
    ]));
}
