//! A scripted FTP session through the client engine (issue 13): log in,
//! EPSV refused (502), PASV, retrieve, quit. The server's bytes are baked
//! in; the data connection is simulated with `data_connected` and
//! `data_end`. The engine must send exactly the lines of the script and
//! give exactly its events, in order, each by the step that expects it and
//! none earlier, whatever the chunking of the server's bytes.

use core::net::{IpAddr, Ipv4Addr, SocketAddr, SocketAddrV4};

use ftp_reply::client::{Client, ClientError, DataTarget, EventKind};

/// The engine's reply buffer in this session.
pub const CAP: usize = 512;

/// The engine as the session uses it (`T` = 96, the default).
pub type Engine = Client<CAP>;

/// The control connection's peer.
pub const PEER_V4: Ipv4Addr = Ipv4Addr::new(192, 0, 2, 1);
pub const PEER: IpAddr = IpAddr::V4(PEER_V4);

/// What the caller does.
#[derive(Clone, Copy)]
enum Act {
    Login,
    Retrieve,
    DataConnected,
    DataEnd,
    Quit,
}

/// One step of the script.
enum Step {
    /// The server sends these bytes.
    Recv(&'static [u8]),
    /// The engine must hand out exactly these bytes now.
    Send(&'static [u8]),
    /// The next expected event (of `EVENTS`) must have come by now.
    Ev,
    /// The caller does this (and it must succeed).
    Do(Act),
}
use Step::{Do, Ev, Recv, Send};

const SCRIPT: &[Step] = &[
    Do(Act::Login),
    Send(b""),
    Recv(b"220-Welcome to the test server.\r\n220 Ready.\r\n"),
    Send(b"USER ftp\r\n"),
    Recv(b"331 Please specify the password.\r\n"),
    Send(b"PASS guest@\r\n"),
    Recv(b"230 Login successful.\r\n"),
    Ev,
    Do(Act::Retrieve),
    Send(b"EPSV\r\n"),
    Recv(b"502 EPSV not implemented.\r\n"),
    Send(b"PASV\r\n"),
    Recv(b"227 Entering Passive Mode (192,0,2,1,156,65).\r\n"),
    Ev,
    Send(b""),
    Do(Act::DataConnected),
    Send(b"RETR hello.txt\r\n"),
    Recv(b"150 Opening BINARY mode data connection for hello.txt (12 bytes).\r\n"),
    Ev,
    Recv(b"226 Transfer complete.\r\n"),
    Do(Act::DataEnd),
    Ev,
    Do(Act::Quit),
    Send(b"QUIT\r\n"),
    Recv(b"221 Goodbye.\r\n"),
    Ev,
];

/// The events, in order, with the code of the reply each lends.
const EVENTS: &[(EventKind<'static>, Option<u16>)] = &[
    (EventKind::LoggedIn, Some(230)),
    (
        EventKind::Connect(DataTarget {
            connect_to: SocketAddr::V4(SocketAddrV4::new(PEER_V4, 40001)),
            offered: Some(SocketAddrV4::new(PEER_V4, 40001)),
            concern: None,
        }),
        Some(227),
    ),
    (EventKind::TransferStarted(Some(12)), Some(150)),
    // The 226 came first: the event comes from `data_end`, with no reply.
    (EventKind::TransferDone, None),
    (
        EventKind::Closed(ftp_reply::client::CloseReason::Quit),
        Some(221),
    ),
];

/// What went wrong, for the report: the step and what.
#[derive(Clone, Copy)]
pub struct Fail {
    pub step: usize,
    pub what: &'static str,
    /// The code of the reply the event lent, when an event was wrong.
    pub code: Option<u16>,
}

struct Run<'c> {
    c: &'c mut Engine,
    /// Events seen.
    seen: usize,
    /// How many events may have come by the end of the current step.
    limit: usize,
}

impl Run<'_> {
    /// Takes events out until `None`, comparing each with `EVENTS`.
    fn drain(&mut self, step: usize) -> Result<(), Fail> {
        while let Some(ev) = self.c.poll_event() {
            let code = ev.reply.map(|r| r.code().get());
            let fail = |what| Fail { step, what, code };
            let Some((want, want_code)) = EVENTS.get(self.seen) else {
                return Err(fail("an event after the last expected one"));
            };
            if self.seen >= self.limit {
                return Err(fail("an event before the step that expects it"));
            }
            if ev.kind != *want {
                return Err(fail("not the expected event"));
            }
            if code != *want_code {
                return Err(fail("the event lends the wrong reply"));
            }
            self.seen += 1;
        }
        Ok(())
    }

    fn act(&mut self, a: Act) -> Result<(), ClientError> {
        match a {
            Act::Login => self.c.login(b"ftp", b"guest@", None),
            Act::Retrieve => self.c.retrieve(b"hello.txt", 0),
            Act::DataConnected => self.c.data_connected(),
            Act::DataEnd => self.c.data_end(),
            Act::Quit => self.c.quit(),
        }
    }
}

/// How many events may have come by the end of step `i`: the `Ev` steps
/// up to it and those right after it.
fn limit_after(i: usize) -> usize {
    let upto = SCRIPT
        .iter()
        .take(i + 1)
        .filter(|s| matches!(s, Ev))
        .count();
    let ahead = SCRIPT
        .iter()
        .skip(i + 1)
        .take_while(|s| matches!(s, Ev))
        .count();
    upto + ahead
}

/// Runs the script on a fresh engine `c`, the server's bytes given in
/// pieces of `chunk` bytes.
#[inline(never)]
pub fn run(c: &mut Engine, chunk: usize) -> Result<(), Fail> {
    let mut r = Run {
        c,
        seen: 0,
        limit: 0,
    };
    for (i, step) in SCRIPT.iter().enumerate() {
        r.limit = limit_after(i);
        let fail = |what| Fail {
            step: i,
            what,
            code: None,
        };
        match step {
            Recv(bytes) => {
                for piece in bytes.chunks(chunk) {
                    let mut piece = piece;
                    while !piece.is_empty() {
                        let took = r.c.receive(piece);
                        piece = piece.get(took..).unwrap_or_default();
                        let before = r.seen;
                        r.drain(i)?;
                        if took == 0 && r.seen == before {
                            return Err(fail("receive takes nothing"));
                        }
                    }
                }
            }
            Send(want) => {
                r.drain(i)?;
                let got = r.c.transmit();
                if got != *want {
                    return Err(fail("not the expected bytes to send"));
                }
                let n = got.len();
                r.c.sent(n);
            }
            Ev => {
                r.drain(i)?;
                let by_now = SCRIPT
                    .iter()
                    .take(i + 1)
                    .filter(|s| matches!(s, Ev))
                    .count();
                if r.seen < by_now {
                    return Err(fail("an expected event did not come"));
                }
            }
            Do(a) => {
                r.drain(i)?;
                if r.act(*a).is_err() {
                    return Err(fail("the operation or report was refused"));
                }
            }
        }
    }
    r.drain(SCRIPT.len())?;
    if r.seen != EVENTS.len() {
        return Err(Fail {
            step: SCRIPT.len(),
            what: "events missing at the end",
            code: None,
        });
    }
    if !r.c.transmit().is_empty() || !r.c.is_closed() {
        return Err(Fail {
            step: SCRIPT.len(),
            what: "not closed, or bytes left to send, at the end",
            code: None,
        });
    }
    Ok(())
}
