//! The client engine against real FTP servers on loopback: vsftpd,
//! proftpd, pure-ftpd and pyftpdlib, started by `tests/servers/start.sh`, logged in
//! as `ftptest`, writing in `/upload` (tests/servers/README.md).
//!
//! One test per server drives [`Client`] over plain `std::net` sockets
//! (a deadline on every wait, 127.0.0.1 only): log in, FEAT, PWD; STOR a
//! 1 MiB file of pseudo-random bytes, SIZE it, RETR it and compare byte
//! for byte; RETR again from the middle (REST); APPE 4 KiB and check the
//! new size and the appended bytes; MLSD (LIST where the server has no
//! MLSD) shows the file; MDTM is within minutes of now; RNFR/RNTO, DELE,
//! MKD, RMD; QUIT. Names are unique to the run, and what a failed run
//! leaves behind is deleted over a fresh connection.
//!
//! With the `embedded-io` feature, a second test per server plays the
//! same flow through the blocking [`Session`](ftp_reply::client::Session)
//! over a small `embedded-io` adapter of `TcpStream`.
//!
//! Each test prints what its server did differently (EPSV or PASV, the
//! 150 replies and the sizes they announce, FEAT, MDTM, MKD's path); see
//! them with `cargo test --test client_real -- --nocapture`.
//!
//! A server that is not running is skipped with a message, unless
//! `FTP_REPLY_REQUIRE_SERVERS=1`, which makes it a failure (as in
//! `tests/real_servers.rs`). Control addresses come from
//! `FTP_REPLY_VSFTPD`, `FTP_REPLY_PROFTPD`, `FTP_REPLY_PUREFTPD`,
//! `FTP_REPLY_PYFTPDLIB` (default 127.0.0.1:2121, 2122, 2123, 2124).

use std::io::{ErrorKind as IoErrorKind, Read, Write};
use std::net::{IpAddr, Ipv4Addr, Shutdown, TcpStream};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use ftp_reply::client::{
    Client, ClientError, CloseReason, DataTarget, EventKind, FailReason, Failure, FeatureSet,
};
use ftp_reply::payload::Timestamp;
use ftp_reply::{Command, Decoder};

const TIMEOUT: Duration = Duration::from_secs(15);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const USER: &[u8] = b"ftptest";
const PASS: &[u8] = b"ftptest";
const MIB: usize = 1 << 20;
const APPENDED: usize = 4096;

#[path = "common/servers.rs"]
mod servers;
use servers::{Server, connect_or_skip, control_addr};

/// `len` pseudo-random bytes (xorshift64*, seeded), starting with
/// `\r\n\n\r\r` so that an ASCII-mode transfer would show.
fn random_bytes(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    let mut v = Vec::with_capacity(len + 8);
    v.extend_from_slice(b"\r\n\n\r\r");
    while v.len() < len {
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        v.extend_from_slice(&x.wrapping_mul(0x2545_f491_4f6c_dd1d).to_le_bytes());
    }
    v.truncate(len);
    v
}

/// A name unique to this run and server.
fn unique(server: Server, what: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!(
        "client-real-{}-{what}-{}-{nanos}",
        server.name(),
        std::process::id()
    )
}

/// Seconds since 1970 of a UTC timestamp (days from civil, Howard
/// Hinnant's algorithm).
fn epoch_seconds(t: &Timestamp) -> i64 {
    let (y, m, d) = (
        i64::from(t.year()),
        i64::from(t.month()),
        i64::from(t.day()),
    );
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    days * 86_400 + i64::from(t.hour()) * 3600 + i64::from(t.minute()) * 60 + i64::from(t.second())
}

fn now_seconds() -> i64 {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock after 1970")
        .as_secs();
    i64::try_from(secs).expect("seconds fit")
}

fn show(b: &[u8]) -> String {
    String::from_utf8_lossy(b).escape_debug().to_string()
}

fn fmt_time(t: &Timestamp) -> String {
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// An engine event, owned, with the text of the reply that caused it.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Ev {
    LoggedIn,
    Features(FeatureSet),
    Connect(DataTarget),
    Started(Option<u64>),
    TransferDone,
    Size(u64),
    Modified(Timestamp),
    Path(Vec<u8>),
    Entry(Vec<u8>),
    Done,
    Failed(Failure),
    Closed(CloseReason),
    Other(String),
}

impl Ev {
    fn from(kind: &EventKind<'_>) -> Ev {
        match kind {
            EventKind::LoggedIn => Ev::LoggedIn,
            EventKind::Features(f) => Ev::Features(*f),
            EventKind::Connect(t) => Ev::Connect(*t),
            EventKind::TransferStarted(n) => Ev::Started(*n),
            EventKind::TransferDone => Ev::TransferDone,
            EventKind::Size(n) => Ev::Size(*n),
            EventKind::Modified(t) => Ev::Modified(*t),
            EventKind::Path(p) => Ev::Path(p.bytes().collect()),
            EventKind::Entry(e) => Ev::Entry(e.path().to_vec()),
            EventKind::Done => Ev::Done,
            EventKind::Failed(f) => Ev::Failed(*f),
            EventKind::Closed(r) => Ev::Closed(*r),
            other => Ev::Other(format!("{other:?}")),
        }
    }
}

/// What a transfer did.
#[derive(Debug)]
struct Transfer {
    /// The bytes read (a retrieve or listing).
    data: Vec<u8>,
    /// EPSV or PASV.
    passive: &'static str,
    /// What the 1xx announced, and its text.
    announced: Option<u64>,
    started: String,
    /// The final reply's text.
    done: String,
}

/// The engine over a std control connection, recording a transcript.
struct Driver {
    server: Server,
    client: Client<4096, 1024>,
    ctl: TcpStream,
    /// Every command sent and reply got, for a failure's message.
    transcript: Vec<String>,
    /// Decodes the same bytes as the engine, for the transcript.
    log: Decoder<4096>,
    /// Each reply's text (all lines), in order, for the report.
    replies: Vec<String>,
    /// Events taken out of the engine while feeding it.
    queued: std::collections::VecDeque<(Ev, Option<String>)>,
    /// Sends `EPSVX` for the engine's `EPSV`, so that the server refuses
    /// it (500) and the engine falls back to PASV.
    refuse_epsv: bool,
}

impl Driver {
    fn new(server: Server, ctl: TcpStream) -> Driver {
        ctl.set_write_timeout(Some(TIMEOUT)).expect("write timeout");
        let peer = ctl.peer_addr().expect("peer").ip();
        Driver {
            server,
            client: Client::new(peer),
            ctl,
            transcript: Vec::new(),
            log: Decoder::new(),
            replies: Vec::new(),
            queued: std::collections::VecDeque::new(),
            refuse_epsv: false,
        }
    }

    /// The last lines of the transcript, for a failure's message.
    fn tail(&self) -> String {
        let from = self.transcript.len().saturating_sub(30);
        self.transcript[from..].join("\n    ")
    }

    #[track_caller]
    fn fail(&self, what: &str) -> ! {
        panic!(
            "{}: {what}\n  transcript (last lines):\n    {}",
            self.server.name(),
            self.tail()
        )
    }

    /// Starts an operation, or fails the test.
    #[track_caller]
    fn start(&mut self, op: impl FnOnce(&mut Client<4096, 1024>) -> Result<(), ClientError>) {
        if let Err(e) = op(&mut self.client) {
            self.fail(&format!("the engine refused the operation: {e}"));
        }
    }

    fn feed(&mut self, mut bytes: &[u8]) {
        while !bytes.is_empty() {
            let n = self.client.receive(bytes);
            let mut taken = &bytes[..n];
            while !taken.is_empty() {
                let m = self.log.push(taken);
                taken = &taken[m..];
                while let Some(r) = self.log.next() {
                    match r {
                        Ok(reply) => {
                            let text = String::from_utf8_lossy(reply.as_bytes())
                                .trim_end()
                                .to_owned();
                            for line in text.lines() {
                                self.transcript.push(format!("<- {}", line.escape_debug()));
                            }
                            self.replies.push(text);
                        }
                        Err(e) => self.transcript.push(format!("<- (not a reply: {e})")),
                    }
                }
            }
            bytes = &bytes[n..];
            if !bytes.is_empty() {
                while let Some(ev) = self.client.poll_event() {
                    let text = ev
                        .reply
                        .map(|r| String::from_utf8_lossy(r.as_bytes()).into());
                    self.queued.push_back((Ev::from(&ev.kind), text));
                }
            }
        }
    }

    fn poll(&mut self) -> Option<(Ev, Option<String>)> {
        if let Some(q) = self.queued.pop_front() {
            return Some(q);
        }
        let ev = self.client.poll_event()?;
        let text = ev
            .reply
            .map(|r| String::from_utf8_lossy(r.as_bytes()).trim_end().to_owned());
        let ev = Ev::from(&ev.kind);
        self.transcript.push(format!("   event {ev:?}"));
        Some((ev, text))
    }

    /// The next event and its reply's text: sends what the engine has to
    /// send, reads until it gives one; the engine's timer fires after
    /// `TIMEOUT` without one.
    fn next(&mut self) -> (Ev, Option<String>) {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(ev) = self.poll() {
                return ev;
            }
            let out = self.client.transmit().to_vec();
            if !out.is_empty() {
                let line = String::from_utf8_lossy(&out).trim_end().to_owned();
                let line = if line.starts_with("PASS ") {
                    "PASS ****".to_owned()
                } else {
                    line
                };
                self.transcript.push(format!("-> {}", line.escape_debug()));
                let wire: &[u8] = if self.refuse_epsv && out == b"EPSV\r\n" {
                    self.transcript
                        .push("   (sent as EPSVX, to be refused)".into());
                    b"EPSVX\r\n"
                } else {
                    &out
                };
                if let Err(e) = self.ctl.write_all(wire) {
                    self.fail(&format!("sending: {e}"));
                }
                self.client.sent(out.len());
                continue;
            }
            let now = Instant::now();
            if now >= deadline {
                let w = self.client.timer_fired();
                self.transcript
                    .push(format!("   timer fired, waiting for {w:?}"));
                if let Some(ev) = self.poll() {
                    return ev;
                }
                self.fail("the engine waits for nothing, and gave no event");
            }
            self.ctl
                .set_read_timeout(Some((deadline - now).max(Duration::from_millis(1))))
                .expect("read timeout");
            let mut buf = [0u8; 1500];
            match self.ctl.read(&mut buf) {
                Ok(0) => {
                    self.transcript.push("   control connection closed".into());
                    self.client.control_closed();
                }
                Ok(n) => self.feed(&buf[..n]),
                Err(e) if e.kind() == IoErrorKind::Interrupted => {}
                Err(e) if matches!(e.kind(), IoErrorKind::WouldBlock | IoErrorKind::TimedOut) => {}
                Err(e) => {
                    self.transcript.push(format!("   control connection: {e}"));
                    self.client.control_closed();
                }
            }
        }
    }

    /// The next event, which must match `want`.
    #[track_caller]
    fn expect(&mut self, what: &str, want: impl FnOnce(&Ev) -> bool) -> (Ev, Option<String>) {
        let (ev, text) = self.next();
        if !want(&ev) {
            self.fail(&format!("{what}: expected, got {ev:?}"));
        }
        (ev, text)
    }

    #[track_caller]
    fn done(&mut self, what: &str) {
        self.expect(what, |e| *e == Ev::Done);
    }

    #[track_caller]
    fn size(&mut self, path: &[u8]) -> u64 {
        self.start(|c| c.size(path));
        match self.next() {
            (Ev::Size(n), _) => n,
            (other, _) => self.fail(&format!("SIZE {}: got {other:?}", show(path))),
        }
    }

    /// Runs a transfer the engine has queued: `upload` is written to the
    /// data connection, or (`None`) the data connection is read to its
    /// end.
    #[track_caller]
    fn transfer(
        &mut self,
        what: &str,
        start: impl FnOnce(&mut Client<4096, 1024>) -> Result<(), ClientError>,
        upload: Option<&[u8]>,
    ) -> Result<Transfer, (Failure, String)> {
        self.start(start);
        let target = match self.next() {
            (Ev::Connect(t), _) => t,
            (Ev::Failed(f), text) => return Err((f, text.unwrap_or_default())),
            (other, _) => self.fail(&format!("{what}: expected Connect, got {other:?}")),
        };
        let passive = if target.offered.is_some() {
            "PASV"
        } else {
            "EPSV"
        };
        assert_eq!(
            target.connect_to.ip(),
            IpAddr::V4(Ipv4Addr::LOCALHOST),
            "{what}: data connection not to the control peer"
        );
        assert!(
            self.server
                .passive_ports()
                .contains(&target.connect_to.port()),
            "{what}: port {} outside the server's passive range",
            target.connect_to.port()
        );
        assert_eq!(target.concern, None, "{what}: {target:?}");
        let mut data = match TcpStream::connect_timeout(&target.connect_to, CONNECT_TIMEOUT) {
            Ok(d) => d,
            Err(e) => self.fail(&format!("{what}: data connection: {e}")),
        };
        data.set_read_timeout(Some(TIMEOUT)).expect("timeout");
        data.set_write_timeout(Some(TIMEOUT)).expect("timeout");
        self.client.data_connected().expect("a Connect was given");
        let (announced, started) = match self.next() {
            (Ev::Started(n), text) => (n, text.unwrap_or_default()),
            (Ev::Failed(f), text) => return Err((f, text.unwrap_or_default())),
            (other, _) => self.fail(&format!("{what}: expected TransferStarted, got {other:?}")),
        };
        let mut got = Vec::new();
        let moved = match upload {
            Some(bytes) => data
                .write_all(bytes)
                .and_then(|()| data.flush())
                .and_then(|()| data.shutdown(Shutdown::Write)),
            None => data.read_to_end(&mut got).map(|_| ()),
        };
        drop(data);
        if let Err(e) = moved {
            self.fail(&format!("{what}: data connection: {e}"));
        }
        self.client.data_end().expect("a transfer runs");
        let done = match self.next() {
            (Ev::TransferDone, text) => text.unwrap_or_default(),
            (Ev::Failed(f), text) => return Err((f, text.unwrap_or_default())),
            (other, _) => self.fail(&format!("{what}: expected TransferDone, got {other:?}")),
        };
        Ok(Transfer {
            data: got,
            passive,
            announced,
            started,
            done,
        })
    }

    /// A transfer that must succeed.
    #[track_caller]
    fn transfer_ok(
        &mut self,
        what: &str,
        start: impl FnOnce(&mut Client<4096, 1024>) -> Result<(), ClientError>,
        upload: Option<&[u8]>,
    ) -> Transfer {
        match self.transfer(what, start, upload) {
            Ok(t) => t,
            Err((f, text)) => self.fail(&format!("{what}: {f} ({text})")),
        }
    }
}

/// Names a run creates in /upload, deleted over a fresh connection when
/// the run fails half-way.
struct Cleanup {
    server: Server,
    files: Vec<Vec<u8>>,
    dirs: Vec<Vec<u8>>,
    armed: bool,
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        if !self.armed {
            return;
        }
        let Ok(ctl) = TcpStream::connect_timeout(&control_addr(self.server), CONNECT_TIMEOUT)
        else {
            return;
        };
        let mut d = Driver::new(self.server, ctl);
        let step = |d: &mut Driver, op: &dyn Fn(&mut Client<4096, 1024>) -> bool| {
            if op(&mut d.client) {
                let _ = d.next();
            }
        };
        step(&mut d, &|c| c.login(USER, PASS, None).is_ok());
        step(&mut d, &|c| c.cwd(b"/upload").is_ok());
        for f in &self.files {
            step(&mut d, &|c| c.dele(f).is_ok());
        }
        for dir in &self.dirs {
            step(&mut d, &|c| c.rmd(dir).is_ok());
        }
        step(&mut d, &|c| c.quit().is_ok());
        eprintln!(
            "{}: cleaned up after a failed run: {}",
            self.server.name(),
            d.transcript.join(" | ")
        );
    }
}

/// The whole flow through the engine against `server`.
fn engine_flow(server: Server) {
    let Some(ctl) = connect_or_skip(server) else {
        return;
    };
    let name = unique(server, "file");
    let renamed = format!("{name}.renamed");
    let dir = unique(server, "dir");
    let mut cleanup = Cleanup {
        server,
        files: vec![
            name.clone().into_bytes(),
            renamed.clone().into_bytes(),
            format!("{name}.empty").into_bytes(),
        ],
        dirs: vec![dir.clone().into_bytes()],
        armed: true,
    };
    let (file, dirb, renamedb) = (name.as_bytes(), dir.as_bytes(), renamed.as_bytes());
    let mut report = Vec::new();
    let mut d = Driver::new(server, ctl);

    d.start(|c| c.login(USER, PASS, None));
    d.expect("login", |e| *e == Ev::LoggedIn);
    let banner = d.replies.first().cloned().unwrap_or_default();
    report.push(format!(
        "banner: {} line(s): {:?}",
        banner.lines().count(),
        banner.lines().next().unwrap_or_default()
    ));

    d.start(Client::feat);
    let features = match d.expect("FEAT", |e| matches!(e, Ev::Features(_))) {
        (Ev::Features(f), _) => f,
        _ => unreachable!(),
    };
    let feat_reply = d
        .replies
        .iter()
        .rev()
        .find(|r| r.starts_with("211"))
        .cloned()
        .unwrap_or_default();
    let listed: Vec<&str> = feat_reply
        .lines()
        .filter(|l| l.starts_with(' '))
        .map(str::trim)
        .collect();
    report.push(format!("FEAT: {}", listed.join(" | ")));
    report.push(format!("engine's FeatureSet: {features:?}"));
    if features.utf8 {
        let opts = d.replies.last().cloned().unwrap_or_default();
        report.push(format!(
            "OPTS UTF8 ON: {opts:?} (utf8_on = {})",
            features.utf8_on
        ));
    }
    assert!(features.epsv && features.size && features.mdtm && features.rest_stream);

    d.start(Client::pwd);
    match d.next() {
        (Ev::Path(p), _) => assert_eq!(p, b"/", "{}: PWD", server.name()),
        (other, _) => d.fail(&format!("PWD: {other:?}")),
    }
    d.start(|c| c.cwd(b"/upload"));
    d.done("CWD /upload");
    d.start(Client::binary);
    d.done("TYPE I");

    // STOR 1 MiB, SIZE, RETR, compare.
    let content = random_bytes(MIB, 0x5eed_0000_0000_0001 ^ u64::from(std::process::id()));
    let t = d.transfer_ok("STOR", |c| c.store(file), Some(&content));
    report.push(format!(
        "STOR via {}: 1xx {:?} (size {:?}); final {:?}",
        t.passive, t.started, t.announced, t.done
    ));
    assert_eq!(
        d.size(file),
        MIB as u64,
        "{}: SIZE after STOR",
        server.name()
    );
    let t = d.transfer_ok("RETR", |c| c.retrieve(file, 0), None);
    assert!(
        t.data == content,
        "{}: RETR gave {} bytes, not the {} stored",
        server.name(),
        t.data.len(),
        content.len()
    );
    report.push(format!(
        "RETR via {}: 1xx {:?} (size {:?}); final {:?}",
        t.passive, t.started, t.announced, t.done
    ));

    // Resume from the middle.
    let half = MIB / 2;
    let t = d.transfer_ok("REST+RETR", |c| c.retrieve(file, half as u64), None);
    assert!(
        t.data == content[half..],
        "{}: RETR from {half} gave {} bytes",
        server.name(),
        t.data.len()
    );
    let rest = d
        .replies
        .iter()
        .rev()
        .find(|r| r.starts_with("350"))
        .cloned()
        .unwrap_or_default();
    report.push(format!(
        "REST {half}: {rest:?}; 1xx {:?} announces {:?} ({})",
        t.started,
        t.announced,
        match t.announced {
            Some(n) if n == MIB as u64 => "the whole file",
            Some(n) if n == half as u64 => "what is left",
            Some(_) => "neither",
            None => "no size",
        }
    ));

    // APPE 4 KiB.
    let more = random_bytes(APPENDED, 0xa99e_0d00);
    let t = d.transfer_ok("APPE", |c| c.append(file), Some(&more));
    report.push(format!("APPE: 1xx {:?}; final {:?}", t.started, t.done));
    let total = (MIB + APPENDED) as u64;
    assert_eq!(d.size(file), total, "{}: SIZE after APPE", server.name());
    let t = d.transfer_ok("REST+RETR the tail", |c| c.retrieve(file, MIB as u64), None);
    assert!(t.data == more, "{}: the appended bytes", server.name());

    // REST past the end: an empty transfer or a refusal, and the session
    // goes on either way.
    let past = total + 100;
    let outcome = match d.transfer("REST past the end", |c| c.retrieve(file, past), None) {
        Ok(t) => {
            assert!(t.data.is_empty(), "{}: data past the end", server.name());
            format!("0 bytes, 1xx {:?}, final {:?}", t.started, t.done)
        }
        Err((f, text)) => format!("{} ({:?})", f, text.trim_end()),
    };
    report.push(format!("REST {past} (past the end): {outcome}"));
    d.start(Client::noop);
    d.done("NOOP after REST past the end");

    // MLSD, or LIST where the server has none.
    let listing = match d.transfer("MLSD", |c| c.mlsd(None), None) {
        Ok(t) => {
            let text = String::from_utf8_lossy(&t.data).into_owned();
            let line = text
                .lines()
                .find(|l| l.ends_with(&format!(" {name}")))
                .unwrap_or_else(|| d.fail(&format!("MLSD does not show {name}:\n{text}")));
            let facts = line.to_ascii_lowercase();
            assert!(facts.contains("type=file;"), "{line}");
            assert!(facts.contains(&format!("size={total};")), "{line}");
            format!(
                "MLSD via {}: {:?}",
                t.passive,
                line.replace(&name, "<file>")
            )
        }
        Err((f, text)) if matches!(f.code.map(|c| c.get()), Some(500 | 502)) => {
            let t = d.transfer_ok("LIST", |c| c.list(None), None);
            let text_list = String::from_utf8_lossy(&t.data).into_owned();
            let line = text_list
                .lines()
                .find(|l| l.ends_with(&name))
                .unwrap_or_else(|| d.fail(&format!("LIST does not show {name}:\n{text_list}")));
            assert!(line.contains(&total.to_string()), "{line}");
            format!(
                "MLSD refused ({:?}), LIST via {}: {:?}",
                text.trim_end(),
                t.passive,
                line.replace(&name, "<file>")
            )
        }
        Err((f, text)) => d.fail(&format!("MLSD: {f} ({text})")),
    };
    report.push(listing);

    // MDTM: within minutes of now (the file was just written).
    d.start(|c| c.mdtm(file));
    let (t, text) = match d.next() {
        (Ev::Modified(t), text) => (t, text.unwrap_or_default()),
        (other, _) => d.fail(&format!("MDTM: {other:?}")),
    };
    let skew = (epoch_seconds(&t) - now_seconds()).abs();
    assert!(
        skew < 300,
        "{}: MDTM {} is {skew} s from now",
        server.name(),
        fmt_time(&t)
    );
    report.push(format!(
        "MDTM: {text:?} = {} (nanos {}), {skew} s from now",
        fmt_time(&t),
        t.nanos()
    ));

    // MLST: the facts of one file on the control connection.
    d.start(|c| c.mlst(Some(file)));
    match d.next() {
        (Ev::Entry(path), _) => {
            assert!(path.ends_with(file), "{}: MLST path", server.name());
            let shown = String::from_utf8_lossy(&path).replace(&name, "<file>");
            report.push(format!("MLST: entry for {shown:?}"));
        }
        (Ev::Failed(f), text) if matches!(f.code.map(|c| c.get()), Some(500 | 502)) => {
            report.push(format!("MLST refused: {:?}", text.unwrap_or_default()));
        }
        (other, _) => d.fail(&format!("MLST: {other:?}")),
    }

    // A refused transfer with the data connection open: the session goes
    // on. Then an empty file, stored and retrieved.
    let missing = format!("{name}.missing");
    match d.transfer(
        "RETR of a missing file",
        |c| c.retrieve(missing.as_bytes(), 0),
        None,
    ) {
        Err((f, text)) => {
            assert_eq!(f.command, Some(Command::Retr));
            assert_eq!(f.reason, FailReason::Refused);
            report.push(format!("RETR of a missing file: {text:?}"));
        }
        Ok(t) => d.fail(&format!("RETR of a missing file succeeded: {t:?}")),
    }
    d.start(Client::noop);
    d.done("NOOP after a refused RETR");
    let empty = format!("{name}.empty");
    d.transfer_ok("STOR empty", |c| c.store(empty.as_bytes()), Some(b""));
    assert_eq!(d.size(empty.as_bytes()), 0);
    let t = d.transfer_ok("RETR empty", |c| c.retrieve(empty.as_bytes(), 0), None);
    assert!(t.data.is_empty());
    report.push(format!(
        "empty file: RETR 1xx {:?} (size {:?})",
        t.started, t.announced
    ));
    d.start(|c| c.dele(empty.as_bytes()));
    d.done("DELE empty");

    // PASV: the test makes the server refuse EPSV (it sends EPSVX), the
    // engine falls back to PASV for the rest of the session.
    d.refuse_epsv = true;
    let t = d.transfer_ok("RETR after EPSV refused", |c| c.retrieve(file, 0), None);
    assert_eq!(t.passive, "PASV");
    assert!(d.client.passive_fallback());
    assert!(t.data[..MIB] == content[..] && t.data[MIB..] == more[..]);
    let refused = d
        .replies
        .iter()
        .rev()
        .find(|r| r.starts_with('5'))
        .cloned()
        .unwrap_or_default();
    let pasv = d
        .replies
        .iter()
        .rev()
        .find(|r| r.starts_with("227"))
        .cloned()
        .unwrap_or_default();
    report.push(format!(
        "EPSV refused ({refused:?}): fell back to PASV {pasv:?}, RETR via {} compared",
        t.passive
    ));

    // Rename; the old name is gone.
    d.start(|c| c.rename(file, renamedb));
    d.done("RNFR/RNTO");
    d.start(|c| c.size(file));
    match d.next() {
        (Ev::Failed(f), text) => {
            assert_eq!(f.command, Some(Command::Size));
            assert_eq!(f.reason, FailReason::Refused);
            report.push(format!(
                "SIZE of the old name: {:?}",
                text.unwrap_or_default()
            ));
        }
        (other, _) => d.fail(&format!("SIZE after rename: {other:?}")),
    }
    assert_eq!(d.size(renamedb), total);
    d.start(|c| c.dele(renamedb));
    d.done("DELE");

    // MKD, RMD.
    d.start(|c| c.mkd(dirb));
    match d.next() {
        (Ev::Path(p), _) => {
            assert!(
                p.ends_with(dirb),
                "{}: MKD gave {}",
                server.name(),
                show(&p)
            );
            let shown = String::from_utf8_lossy(&p).replace(&dir, "<dir>");
            report.push(format!("MKD: path {shown:?}"));
        }
        (Ev::Done, text) => report.push(format!("MKD: no 257 path ({text:?})")),
        (other, _) => d.fail(&format!("MKD: {other:?}")),
    }
    d.start(|c| c.rmd(dirb));
    d.done("RMD");

    d.start(Client::quit);
    d.expect("QUIT", |e| *e == Ev::Closed(CloseReason::Quit));
    cleanup.armed = false;

    println!("{} (engine over std sockets):", server.name());
    for line in &report {
        println!("  {}", line.replace(&name, "<file>"));
    }
}

#[test]
fn vsftpd_engine() {
    engine_flow(Server::Vsftpd);
}

#[test]
fn proftpd_engine() {
    engine_flow(Server::Proftpd);
}

#[test]
fn pure_ftpd_engine() {
    engine_flow(Server::PureFtpd);
}

#[test]
fn pyftpdlib_engine() {
    engine_flow(Server::Pyftpdlib);
}

/// The same flow through the blocking `Session` (feature `embedded-io`),
/// over a small `embedded-io` adapter of `TcpStream`.
#[cfg(feature = "embedded-io")]
mod via_session {
    use super::*;
    use ftp_reply::client::{Session, SessionError};
    use std::net::SocketAddr;

    /// A `std::io::Error` as an `embedded_io::Error`.
    #[derive(Debug)]
    struct IoError(std::io::Error);

    impl std::fmt::Display for IoError {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            self.0.fmt(f)
        }
    }

    impl std::error::Error for IoError {}

    impl embedded_io::Error for IoError {
        fn kind(&self) -> embedded_io::ErrorKind {
            use embedded_io::ErrorKind as K;
            match self.0.kind() {
                IoErrorKind::TimedOut | IoErrorKind::WouldBlock => K::TimedOut,
                IoErrorKind::ConnectionRefused => K::ConnectionRefused,
                IoErrorKind::ConnectionReset => K::ConnectionReset,
                IoErrorKind::ConnectionAborted => K::ConnectionAborted,
                IoErrorKind::BrokenPipe => K::BrokenPipe,
                IoErrorKind::NotConnected => K::NotConnected,
                IoErrorKind::Interrupted => K::Interrupted,
                _ => K::Other,
            }
        }
    }

    /// A `TcpStream` as `embedded_io::Read + Write`.
    struct Std(TcpStream);

    impl embedded_io::ErrorType for Std {
        type Error = IoError;
    }

    impl embedded_io::Read for Std {
        fn read(&mut self, buf: &mut [u8]) -> Result<usize, IoError> {
            loop {
                match self.0.read(buf) {
                    Err(e) if e.kind() == IoErrorKind::Interrupted => {}
                    r => return r.map_err(IoError),
                }
            }
        }
    }

    impl embedded_io::Write for Std {
        fn write(&mut self, buf: &[u8]) -> Result<usize, IoError> {
            self.0.write(buf).map_err(IoError)
        }

        fn flush(&mut self) -> Result<(), IoError> {
            self.0.flush().map_err(IoError)
        }
    }

    fn timeouts(s: &TcpStream) {
        s.set_read_timeout(Some(TIMEOUT)).expect("timeout");
        s.set_write_timeout(Some(TIMEOUT)).expect("timeout");
    }

    /// Opens a data connection where the engine says.
    fn data(server: Server) -> impl FnMut(SocketAddr) -> Result<Std, IoError> {
        move |to| {
            assert_eq!(to.ip(), IpAddr::V4(Ipv4Addr::LOCALHOST));
            assert!(server.passive_ports().contains(&to.port()), "{to}");
            let s = TcpStream::connect_timeout(&to, CONNECT_TIMEOUT).map_err(IoError)?;
            timeouts(&s);
            Ok(Std(s))
        }
    }

    type S = Session<Std, 4096, 1024>;
    type R<T> = Result<T, SessionError<IoError>>;

    #[track_caller]
    fn ok<T>(server: Server, what: &str, r: R<T>) -> T {
        r.unwrap_or_else(|e| panic!("{} (Session): {what}: {e}", server.name()))
    }

    /// Feeds `bytes` to a store, `buf.len()` at a time.
    fn source(bytes: &[u8]) -> impl FnMut(&mut [u8]) -> usize + '_ {
        let mut at = 0;
        move |buf| {
            let n = buf.len().min(bytes.len() - at);
            buf[..n].copy_from_slice(&bytes[at..at + n]);
            at += n;
            n
        }
    }

    fn retrieve(s: &mut S, server: Server, path: &[u8], offset: u64) -> Vec<u8> {
        let mut got = Vec::new();
        let n = ok(
            server,
            "RETR",
            s.retrieve(path, offset, data(server), |c| got.extend_from_slice(c)),
        );
        assert_eq!(n, got.len() as u64);
        got
    }

    fn session_flow(server: Server) {
        let Some(ctl) = connect_or_skip(server) else {
            return;
        };
        timeouts(&ctl);
        let peer = ctl.peer_addr().expect("peer").ip();
        let name = unique(server, "sfile");
        let renamed = format!("{name}.renamed");
        let dir = unique(server, "sdir");
        let mut cleanup = Cleanup {
            server,
            files: vec![name.clone().into_bytes(), renamed.clone().into_bytes()],
            dirs: vec![dir.clone().into_bytes()],
            armed: true,
        };
        let (file, dirb, renamedb) = (name.as_bytes(), dir.as_bytes(), renamed.as_bytes());
        let mut report = Vec::new();
        let mut s = S::new(Std(ctl), peer);

        ok(server, "login", s.login(USER, PASS));
        let f: FeatureSet = ok(server, "FEAT", s.feat());
        assert!(f.epsv && f.size && f.mdtm && f.rest_stream, "{f:?}");
        let mut path = [0u8; 512];
        let n = ok(server, "PWD", s.pwd(&mut path));
        assert_eq!(&path[..n], b"/");
        // Too small a buffer is a typed error, and the session goes on.
        match s.pwd(&mut []) {
            Err(SessionError::BufferFull(_)) => {}
            other => panic!("{}: PWD into no room: {other:?}", server.name()),
        }
        // A directory that is not there is refused with the server's 550,
        // and the session goes on where it was.
        match s.cwd(b"/no-such-directory") {
            Err(SessionError::Failed(f)) if f.code.map(|c| c.get()) == Some(550) => {}
            other => panic!("{}: CWD to nowhere: {other:?}", server.name()),
        }
        ok(server, "CWD", s.cwd(b"/upload"));
        let n = ok(server, "PWD", s.pwd(&mut path));
        assert_eq!(&path[..n], b"/upload", "{}: PWD after CWD", server.name());
        ok(server, "TYPE I", s.binary());

        let content = random_bytes(MIB / 4, 0x5e55_1011 ^ u64::from(std::process::id()));
        let n = ok(
            server,
            "STOR",
            s.store(file, false, data(server), source(&content)),
        );
        assert_eq!(n, content.len() as u64);
        report.push(format!("STOR announced {:?}", s.announced_size()));
        // No server here announces a size for an upload.
        assert_eq!(s.announced_size(), None, "{}: STOR", server.name());
        assert_eq!(ok(server, "SIZE", s.size(file)), content.len() as u64);
        assert!(retrieve(&mut s, server, file, 0) == content);
        report.push(format!("RETR announced {:?}", s.announced_size()));
        let len = content.len() as u64;
        // vsftpd's and ProFTPD's 150 say `(262144 bytes)`; Pure-FTPd's and
        // pyftpdlib's say no size.
        let whole = match server {
            Server::Vsftpd | Server::Proftpd => Some(len),
            Server::PureFtpd | Server::Pyftpdlib => None,
        };
        assert_eq!(s.announced_size(), whole, "{}: RETR", server.name());
        let half = content.len() / 2;
        assert!(retrieve(&mut s, server, file, half as u64) == content[half..]);
        report.push(format!(
            "RETR from {half} announced {:?}",
            s.announced_size()
        ));
        // After REST, vsftpd announces the whole file and ProFTPD what is
        // left (as `announced_size`'s doc warns).
        let rest = match server {
            Server::Proftpd => Some(len - half as u64),
            _ => whole,
        };
        assert_eq!(
            s.announced_size(),
            rest,
            "{}: RETR after REST",
            server.name()
        );

        let more = random_bytes(APPENDED, 7);
        ok(server, "APPE", s.append(file, data(server), source(&more)));
        let total = (content.len() + APPENDED) as u64;
        assert_eq!(ok(server, "SIZE", s.size(file)), total);
        assert!(retrieve(&mut s, server, file, content.len() as u64) == more);

        let mut listing = Vec::new();
        match s.mlsd(None, data(server), |c| listing.extend_from_slice(c)) {
            Ok(_) => report.push("MLSD".into()),
            Err(SessionError::Failed(f)) if matches!(f.code.map(|c| c.get()), Some(500 | 502)) => {
                listing.clear();
                ok(
                    server,
                    "LIST",
                    s.list(None, data(server), |c| listing.extend_from_slice(c)),
                );
                report.push(format!("LIST (MLSD: {f})"));
            }
            Err(e) => panic!("{}: MLSD: {e}", server.name()),
        }
        let text = String::from_utf8_lossy(&listing);
        assert!(
            text.lines().any(|l| l.ends_with(&name)),
            "{}: the listing does not show {name}:\n{text}",
            server.name()
        );
        let mut names = Vec::new();
        ok(
            server,
            "NLST",
            s.nlst(None, data(server), |c| names.extend_from_slice(c)),
        );
        assert!(
            String::from_utf8_lossy(&names)
                .lines()
                .any(|l| l.trim_end().ends_with(&name)),
            "{}: NLST",
            server.name()
        );

        // EPSV's port unreachable (a firewall that lets PASV's ports
        // through only; here the first connect fails): PASV goes out in
        // its place, as curl does, and the file still comes.
        assert!(!s.engine().passive_fallback());
        let mut tries = 0;
        let mut connect = data(server);
        let mut got = Vec::new();
        let n = ok(
            server,
            "RETR after an unreachable EPSV port",
            s.retrieve(
                file,
                content.len() as u64,
                |to| {
                    tries += 1;
                    if tries == 1 {
                        return Err(IoError(std::io::ErrorKind::ConnectionRefused.into()));
                    }
                    connect(to)
                },
                |c| got.extend_from_slice(c),
            ),
        );
        assert_eq!((tries, n), (2, APPENDED as u64));
        assert!(got == more);
        assert!(s.engine().passive_fallback());
        report.push("PASV after an unreachable EPSV port".into());
        // Now PASV only: a port that cannot be reached is the data
        // connection's error at once (no second try), and the session
        // goes on.
        let mut tries = 0;
        match s.retrieve(
            file,
            0,
            |_| {
                tries += 1;
                Err::<Std, _>(IoError(std::io::ErrorKind::ConnectionRefused.into()))
            },
            |_| {},
        ) {
            Err(SessionError::Data(k)) => {
                assert_eq!(k, embedded_io::ErrorKind::ConnectionRefused)
            }
            other => panic!("{}: RETR, PASV port unreachable: {other:?}", server.name()),
        }
        assert_eq!(tries, 1, "{}", server.name());
        ok(server, "NOOP", s.noop());

        let t = ok(server, "MDTM", s.mdtm(file));
        let skew = (epoch_seconds(&t) - now_seconds()).abs();
        assert!(skew < 300, "MDTM {} is {skew} s off", fmt_time(&t));

        ok(server, "RNFR/RNTO", s.rename(file, renamedb));
        match s.size(file) {
            Err(SessionError::Failed(f)) => {
                assert_eq!(f.code.map(|c| c.get()), Some(550), "{f}");
            }
            other => panic!("{}: SIZE of the old name: {other:?}", server.name()),
        }
        assert_eq!(ok(server, "SIZE", s.size(renamedb)), total);
        ok(server, "DELE", s.dele(renamedb));
        match s.size(renamedb) {
            Err(SessionError::Failed(f)) => {
                assert_eq!(f.code.map(|c| c.get()), Some(550), "{f}");
            }
            other => panic!("{}: SIZE after DELE: {other:?}", server.name()),
        }
        match ok(server, "MKD", s.mkd(dirb, &mut path)) {
            Some(n) => {
                assert!(path[..n].ends_with(dirb));
                report.push(format!(
                    "MKD {:?}",
                    String::from_utf8_lossy(&path[..n]).replace(&dir, "<dir>")
                ));
            }
            None => report.push("MKD without a path".into()),
        }
        ok(server, "RMD", s.rmd(dirb));
        match s.cwd(dirb) {
            Err(SessionError::Failed(f)) => {
                assert_eq!(f.code.map(|c| c.get()), Some(550), "{f}");
            }
            other => panic!("{}: CWD after RMD: {other:?}", server.name()),
        }
        ok(server, "NOOP", s.noop());
        ok(server, "QUIT", s.quit());
        // QUIT was answered: the engine is closed.
        assert!(s.engine().is_closed(), "{}: after QUIT", server.name());
        cleanup.armed = false;
        println!(
            "{} (blocking Session over embedded-io): ok; {}",
            server.name(),
            report.join("; ")
        );
    }

    /// A control connection that hands out scripted reads (bytes, or an
    /// error of a kind) and takes every write; past the script, the end of
    /// the stream.
    struct Scripted(std::collections::VecDeque<Result<&'static [u8], IoErrorKind>>);

    impl embedded_io::ErrorType for Scripted {
        type Error = IoError;
    }

    impl embedded_io::Read for Scripted {
        fn read(&mut self, buf: &mut [u8]) -> Result<usize, IoError> {
            match self.0.pop_front() {
                Some(Ok(b)) => {
                    buf[..b.len()].copy_from_slice(b);
                    Ok(b.len())
                }
                Some(Err(kind)) => Err(IoError(kind.into())),
                None => Ok(0),
            }
        }
    }

    impl embedded_io::Write for Scripted {
        fn write(&mut self, buf: &[u8]) -> Result<usize, IoError> {
            Ok(buf.len())
        }

        fn flush(&mut self) -> Result<(), IoError> {
            Ok(())
        }
    }

    fn scripted(reads: &[Result<&'static [u8], IoErrorKind>]) -> Session<Scripted, 512, 256> {
        Session::new(
            Scripted(reads.iter().copied().collect()),
            IpAddr::V4(Ipv4Addr::LOCALHOST),
        )
    }

    /// An interrupted read is read again; any other error but a timeout is
    /// the control connection's end: `Io` with that error, then `Closed`.
    #[test]
    fn control_read_errors() {
        use IoErrorKind::{ConnectionReset, Interrupted};
        let mut s = scripted(&[Ok(b"220 hi\r\n"), Err(Interrupted), Ok(b"230 ok\r\n")]);
        assert!(s.login(USER, PASS).is_ok());
        let mut s = scripted(&[Ok(b"220 hi\r\n"), Err(ConnectionReset)]);
        match s.login(USER, PASS) {
            Err(SessionError::Io(IoError(e))) => assert_eq!(e.kind(), ConnectionReset),
            other => panic!("login, the connection reset: {other:?}"),
        }
        let ev = s.client().poll_event().map(|e| e.kind);
        assert!(
            matches!(ev, Some(EventKind::Closed(CloseReason::ConnectionLost))),
            "{ev:?}"
        );
        assert!(matches!(
            s.noop(),
            Err(SessionError::Client(ClientError::Closed))
        ));
    }

    /// MKD answered with a 2xx that is not 257 (no path to read): `mkd`
    /// gives `None`, and the session goes on. A scripted server, as no
    /// server here does it.
    #[test]
    fn mkd_without_a_257_gives_no_path() {
        use std::io::BufRead;
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("addr");
        let server = std::thread::spawn(move || {
            let (mut c, _) = listener.accept().expect("accept");
            let mut r = std::io::BufReader::new(c.try_clone().expect("clone"));
            c.write_all(b"220 ready\r\n").expect("write");
            let mut seen = Vec::new();
            loop {
                let mut line = String::new();
                if r.read_line(&mut line).unwrap_or(0) == 0 {
                    return seen;
                }
                let reply: &[u8] = match line.split(' ').next().unwrap_or("") {
                    "USER" => b"230 Logged in.\r\n",
                    "MKD" => b"250 Directory created.\r\n",
                    _ => b"221 Bye.\r\n",
                };
                seen.push(line.trim_end().to_owned());
                c.write_all(reply).expect("write");
            }
        });
        let ctl = TcpStream::connect_timeout(&addr, CONNECT_TIMEOUT).expect("connect");
        timeouts(&ctl);
        let mut s = S::new(Std(ctl), addr.ip());
        s.login(USER, PASS).expect("login");
        let mut path = [0u8; 64];
        assert!(matches!(s.mkd(b"d", &mut path), Ok(None)));
        s.quit().expect("quit");
        drop(s);
        assert_eq!(
            server.join().expect("server"),
            ["USER ftptest", "MKD d", "QUIT"]
        );
    }

    /// A server that accepts and says nothing: the control connection's
    /// read timeout fires the engine's timer, and the session is over.
    #[test]
    fn session_times_out_on_a_silent_server() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("addr");
        let server = std::thread::spawn(move || {
            let (c, _) = listener.accept().expect("accept");
            std::thread::sleep(Duration::from_secs(2));
            drop(c);
        });
        let ctl = TcpStream::connect_timeout(&addr, CONNECT_TIMEOUT).expect("connect");
        ctl.set_read_timeout(Some(Duration::from_millis(200)))
            .expect("timeout");
        let mut s = S::new(Std(ctl), addr.ip());
        let started = Instant::now();
        match s.login(USER, PASS) {
            Err(SessionError::Closed(CloseReason::TimedOut(w))) => {
                assert_eq!(w, ftp_reply::client::Waiting::Greeting);
            }
            other => panic!("login on a silent server: {other:?}"),
        }
        assert!(started.elapsed() < Duration::from_secs(2));
        assert!(matches!(
            s.noop(),
            Err(SessionError::Client(ClientError::Closed))
        ));
        server.join().expect("server thread");
    }

    #[test]
    fn vsftpd_session() {
        session_flow(Server::Vsftpd);
    }

    #[test]
    fn proftpd_session() {
        session_flow(Server::Proftpd);
    }

    #[test]
    fn pure_ftpd_session() {
        session_flow(Server::PureFtpd);
    }

    #[test]
    fn pyftpdlib_session() {
        session_flow(Server::Pyftpdlib);
    }
}
