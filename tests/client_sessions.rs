//! Scripted sessions through the client engine: each script is a server
//! transcript with the exact bytes the engine must send and the exact
//! events it must give, run with the server's bytes whole and split at
//! every byte.

use core::net::{IpAddr, Ipv4Addr};

use ftp_reply::client::{Client, EventKind};

const PEER: IpAddr = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1));

type Engine = Client<512>;

/// One step of a script.
enum Step {
    /// The server sends these bytes.
    Recv(&'static [u8]),
    /// The engine must send exactly these bytes now.
    Send(&'static [u8]),
    /// The next event must read so (see `show`).
    Ev(&'static str),
    /// The caller does something (starts an operation, reports the data
    /// connection).
    Do(fn(&mut Engine)),
}
use Step::{Do, Ev, Recv, Send};

/// An event in a few words: its kind and the code of the reply it lends.
fn show(kind: &EventKind<'_>, code: Option<u16>) -> String {
    let what = match kind {
        EventKind::Connect(t) => match (t.offered, t.concern) {
            (Some(o), Some(c)) => format!("Connect {} (offered {o}, {c:?})", t.connect_to),
            (Some(o), None) => format!("Connect {} (offered {o})", t.connect_to),
            (None, _) => format!("Connect {}", t.connect_to),
        },
        EventKind::Path(p) => format!(
            "Path {}",
            String::from_utf8_lossy(&p.bytes().collect::<Vec<_>>())
        ),
        EventKind::Entry(e) => format!("Entry {}", String::from_utf8_lossy(e.path())),
        EventKind::Failed(f) => format!(
            "Failed {} {} {:?}",
            f.command.map_or("-".into(), |c| c.to_string()),
            f.code.map_or("-".into(), |c| c.to_string()),
            f.reason
        ),
        other => format!("{other:?}"),
    };
    match code {
        Some(c) => format!("{what} <- {c}"),
        None => what,
    }
}

fn drain(c: &mut Engine, events: &mut Vec<String>) {
    while let Some(ev) = c.poll_event() {
        events.push(show(&ev.kind, ev.reply.map(|r| r.code().get())));
    }
}

/// Runs `script`, the server's bytes given in pieces of `chunk` bytes.
fn run_chunked(script: &[Step], chunk: usize) {
    let mut c = Engine::new(PEER);
    let mut events: Vec<String> = Vec::new();
    for (i, step) in script.iter().enumerate() {
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
                drain(&mut c, &mut events);
                let got = c.transmit().to_vec();
                assert_eq!(
                    String::from_utf8_lossy(&got),
                    String::from_utf8_lossy(want),
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
            Do(f) => {
                drain(&mut c, &mut events);
                f(&mut c);
            }
        }
    }
    drain(&mut c, &mut events);
    assert!(
        events.is_empty(),
        "events left over: {events:?} (chunk {chunk})"
    );
    assert_eq!(c.transmit(), b"", "bytes left to send (chunk {chunk})");
}

/// Runs `script` whole, then split at every byte.
fn run(script: &[Step]) {
    run_chunked(script, usize::MAX);
    run_chunked(script, 1);
    run_chunked(script, 7);
}

const LOGIN: &[Step] = &[
    Do(|c| c.login(b"ftptest", b"secret", None).unwrap()),
    Send(b""),
    Recv(b"220 ProFTPD Server ready.\r\n"),
    Send(b"USER ftptest\r\n"),
    Recv(b"331 Password required for ftptest\r\n"),
    Send(b"PASS secret\r\n"),
    Recv(b"230 User ftptest logged in\r\n"),
    Ev("LoggedIn <- 230"),
];

fn with_login(rest: &[Step]) -> Vec<Step> {
    let mut v: Vec<Step> = LOGIN.iter().map(copy).collect();
    v.extend(rest.iter().map(copy));
    v
}

fn copy(s: &Step) -> Step {
    match s {
        Recv(b) => Recv(b),
        Send(b) => Send(b),
        Ev(e) => Ev(e),
        Do(f) => Do(*f),
    }
}

#[test]
fn login_user_pass() {
    run(LOGIN);
}

#[test]
fn retrieve_epsv() {
    run(&with_login(&[
        Do(|c| c.retrieve(b"hello.txt", 0).unwrap()),
        Send(b"EPSV\r\n"),
        Recv(b"229 Entering Extended Passive Mode (|||40001|)\r\n"),
        Ev("Connect 192.0.2.1:40001 <- 229"),
        Send(b""),
        Do(|c| c.data_connected().unwrap()),
        Send(b"RETR hello.txt\r\n"),
        Recv(b"150 Opening BINARY mode data connection for hello.txt (12 bytes)\r\n"),
        Ev("TransferStarted(Some(12)) <- 150"),
        Recv(b"226 Transfer complete\r\n"),
        Do(|c| c.data_end().unwrap()),
        Ev("TransferDone"),
    ]));
}
