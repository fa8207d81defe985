//! The client engine (`ftp_reply::client::Client`) against any server
//! bytes, in any chunking, and any sequence of operations and reports,
//! with any arguments.
//!
//! Input layout (hand-writable; `seed.sh` writes the seeds):
//!
//! - byte 0: flags. Bit 0: `trust_offered_address(true)` from the start.
//!   Bit 1: the control peer is `2001:db8::1` (else `192.0.2.1`). Bit 2:
//!   small buffers, `Client<64, 40>` (else `Client<512>`, `T` = 96).
//!   Bit 3: auto mode: after every step the harness sends all of
//!   `transmit()`, answers `Connect` with `data_connected` and
//!   `TransferStarted` with `data_end`, as a plain caller does. Bit 4:
//!   bytes go in through `receive_with` (a reader writing into the
//!   engine's buffer) instead of `receive`. Bit 5: the parser
//!   configuration lets any code end a block; bit 6: it limits a reply to
//!   4 lines (`Client::with_config`).
//! - bytes 1 and 2: `L`, the script's length (little-endian); the next `L`
//!   bytes are the script.
//! - the rest is what the server sends, taken by the script's receive steps
//!   and, once the script is done, fed line by line in auto mode.
//!
//! The script is a list of steps, each an opcode byte (taken modulo the
//! number of steps, see `step`) and its arguments. A byte argument is a
//! length byte then that many bytes; an optional one is `None` when its
//! length byte is 255. An offset is 8 bytes, little-endian. Missing bytes
//! read as 0 / empty.
//!
//! Checked, beyond "no panic":
//!
//! - every byte the caller is handed by `transmit()` forms lines
//!   `NAME[ SP arg] CRLF`: CR and LF only as the line's end, never NUL,
//!   and each line is one of those the operation that was started may send
//!   (USER/PASS/ACCT for a login, EPSV/PASV/REST/RETR for a retrieve, ...,
//!   with a byte 255 of an argument doubled); an argument holding CR, LF or
//!   NUL is refused when the operation starts;
//! - a `Connect` goes to the control peer (same IP) unless
//!   `trust_offered_address(true)` is on, and then only to the peer or the
//!   address the 227 offered; never to port 0;
//! - the reply an event lends can cause it (`LoggedIn` a 2xx, or none
//!   for a login after a 230 greeting, `Connect` a 227 or 229, `Size` a
//!   213, `Path` a 257, a refusal the code it names, ...);
//! - an operation starts exactly when `is_idle()`; it gives at most one
//!   `Connect` (a second only after `data_failed` on a 229's, with PASV
//!   sent in place of EPSV) and one `TransferStarted`, then one final
//!   event; no event
//!   but `Closed` comes when no operation runs, none at all after `Closed`;
//!   after `Closed` the engine sends nothing, takes every byte, and refuses
//!   operations with `ClientError::Closed`;
//! - `data_connected` is accepted exactly when a `Connect` awaits it;
//! - `receive` always takes bytes once the events are drained (no stuck
//!   buffer);
//! - bounded work: events are at most one per reply-ending LF, per report
//!   and per 16 bytes received, plus 2; the bytes handed out are at most
//!   2 x `T` per operation started; each drain stops. `run.sh` passes
//!   `-timeout`, which catches work that is not linear in the input.

#![no_main]

use core::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use core::num::NonZeroU32;

use ftp_reply::ParserConfig;
use ftp_reply::client::{Client, ClientError, Event, EventKind};
use libfuzzer_sys::fuzz_target;

/// `FUZZ_CLIENT_TRACE=1` prints every event and every line sent (to read
/// what a seed or a crashing input does).
fn trace() -> bool {
    static ON: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *ON.get_or_init(|| std::env::var_os("FUZZ_CLIENT_TRACE").is_some())
}

const PEER_V4: IpAddr = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1));
const PEER_V6: IpAddr = IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1));

/// Reads the script's bytes; missing bytes read as 0 / empty.
struct Script<'a>(&'a [u8]);

impl<'a> Script<'a> {
    fn byte(&mut self) -> u8 {
        match self.0.split_first() {
            Some((&b, rest)) => {
                self.0 = rest;
                b
            }
            None => 0,
        }
    }

    fn bytes(&mut self) -> &'a [u8] {
        let n = usize::from(self.byte()).min(self.0.len());
        let (a, rest) = self.0.split_at(n);
        self.0 = rest;
        a
    }

    fn opt(&mut self) -> Option<&'a [u8]> {
        if self.0.first() == Some(&255) {
            self.byte();
            None
        } else {
            Some(self.bytes())
        }
    }

    fn u64(&mut self) -> u64 {
        let mut b = [0u8; 8];
        for x in &mut b {
            *x = self.byte();
        }
        u64::from_le_bytes(b)
    }
}

/// `NAME[ SP arg] CRLF`, a byte 255 of `arg` doubled (RFC 854); an empty
/// `arg` is none (RFC 959 has no `NAME SP CRLF`), but for PASS, whose
/// space stays (`Client::login`: as curl and ftplib send an empty one).
fn line(name: &str, arg: Option<&[u8]>) -> Vec<u8> {
    let mut v = name.as_bytes().to_vec();
    if let Some(a) = arg.filter(|a| !a.is_empty() || name == "PASS") {
        v.push(b' ');
        telnet(a, &mut v);
    }
    v.extend_from_slice(b"\r\n");
    v
}

fn telnet(a: &[u8], v: &mut Vec<u8>) {
    for &b in a {
        v.push(b);
        if b == 255 {
            v.push(255);
        }
    }
}

fn forbidden(arg: &[u8]) -> bool {
    arg.iter().any(|b| matches!(b, b'\r' | b'\n' | 0))
}

/// What an operation was asked for: the lines it may send, and whether its
/// arguments must be refused.
struct Plan {
    lines: Vec<Vec<u8>>,
    bad_arg: bool,
    /// A raw line whose command the engine runs itself (refused).
    engine_cmd: bool,
}

impl Plan {
    fn new() -> Self {
        Plan {
            lines: Vec::new(),
            bad_arg: false,
            engine_cmd: false,
        }
    }

    fn add(mut self, name: &str, arg: Option<&[u8]>) -> Self {
        self.bad_arg |= arg.is_some_and(forbidden);
        self.lines.push(line(name, arg));
        self
    }

    fn raw(mut self, l: &[u8]) -> Self {
        // The engine's own commands, as `Client::raw`'s doc lists them.
        const ENGINE: &[&str] = &[
            "USER", "PASS", "ACCT", "REIN", "QUIT", "PASV", "EPSV", "PORT", "EPRT", "REST", "RETR",
            "STOR", "STOU", "APPE", "LIST", "NLST", "MLSD", "AUTH", "CCC",
        ];
        let name = l.split(|&b| b == b' ').next().unwrap_or_default();
        self.engine_cmd = ENGINE
            .iter()
            .any(|c| c.as_bytes().eq_ignore_ascii_case(name));
        self.bad_arg |= forbidden(l);
        let mut v = Vec::new();
        telnet(l, &mut v);
        v.extend_from_slice(b"\r\n");
        self.lines.push(v);
        self
    }

    fn transfer(self, name: &str, arg: Option<&[u8]>, offset: u64) -> Self {
        let p = self.add("EPSV", None).add("PASV", None);
        let p = if offset == 0 {
            p
        } else {
            p.add("REST", Some(offset.to_string().as_bytes()))
        };
        p.add(name, arg)
    }
}

/// The harness's view of the session, and the checks.
struct Harness<'s, const N: usize, const T: usize> {
    c: Client<N, T>,
    peer: IpAddr,
    trusted: bool,
    auto: bool,
    /// Feed through `receive_with`.
    reader: bool,
    server: &'s [u8],
    /// Every byte handed out and reported sent.
    wire: Vec<u8>,
    /// Where the line being sent starts in `wire`.
    line_start: usize,
    /// The lines the running (or last) operation may send.
    allowed: Vec<Vec<u8>>,
    /// An operation runs (started, no final event yet).
    running: bool,
    connect_seen: bool,
    started_seen: bool,
    /// A `Connect` waits for `data_connected`.
    connect_waits: bool,
    /// `control_closed` or a `timer_fired` that closes was reported.
    closing: bool,
    /// `poll_event` returned `None` since bytes were last taken or the
    /// control connection's end was reported: a reader is given room.
    drained: bool,
    closed: bool,
    ops_started: usize,
    /// For the bound on events.
    lf_fed: usize,
    bytes_fed: usize,
    reports: usize,
    events: usize,
}

impl<'s, const N: usize, const T: usize> Harness<'s, N, T> {
    fn new(flags: u8, server: &'s [u8]) -> Self {
        let peer = if flags & 2 != 0 { PEER_V6 } else { PEER_V4 };
        let mut config = ParserConfig::new();
        if flags & 32 != 0 {
            config = config.any_code_ends_block(true);
        }
        if flags & 64 != 0 {
            config = config.max_lines(NonZeroU32::new(4));
        }
        let mut c = Client::<N, T>::with_config(peer, config);
        let trusted = flags & 1 != 0;
        if trusted {
            c.trust_offered_address(true);
        }
        Harness {
            c,
            peer,
            trusted,
            auto: flags & 8 != 0,
            reader: flags & 16 != 0,
            server,
            wire: Vec::new(),
            line_start: 0,
            allowed: Vec::new(),
            running: false,
            connect_seen: false,
            started_seen: false,
            connect_waits: false,
            closing: false,
            drained: false,
            closed: false,
            ops_started: 0,
            lf_fed: 0,
            bytes_fed: 0,
            reports: 0,
            events: 0,
        }
    }

    /// Takes events out until `None`, checking each.
    fn drain(&mut self) {
        let mut in_a_row = 0usize;
        loop {
            let Some(ev) = self.c.poll_event() else { break };
            if trace() {
                eprintln!(
                    "event {:?} <- {:?}",
                    ev.kind,
                    ev.reply.as_ref().map(|r| r.code().get())
                );
            }
            check_lent(&ev);
            let kind = owned(&ev);
            in_a_row += 1;
            assert!(in_a_row <= 10_000, "poll_event does not stop");
            self.on_event(kind);
        }
        self.drained = true;
        let bound = self.lf_fed + self.bytes_fed / 16 + self.reports + 2;
        assert!(
            self.events <= bound,
            "{} events for {} LF, {} bytes, {} reports",
            self.events,
            self.lf_fed,
            self.bytes_fed,
            self.reports
        );
        if self.auto {
            self.send(usize::MAX);
        }
    }

    fn on_event(&mut self, kind: Kind) {
        self.events += 1;
        assert!(!self.closed, "an event after Closed: {kind:?}");
        match kind {
            Kind::Closed => {
                self.closed = true;
                self.running = false;
                self.connect_waits = false;
                assert!(self.c.is_closed(), "Closed given, but is_closed() is false");
                assert!(self.c.transmit().is_empty(), "bytes to send after Closed");
                return;
            }
            _ => assert!(self.running, "{kind:?} with no operation running"),
        }
        match kind {
            Kind::Connect(to, offered) => {
                assert!(!self.connect_seen, "a second Connect in one operation");
                assert!(!self.started_seen, "Connect after TransferStarted");
                self.connect_seen = true;
                self.connect_waits = true;
                assert_ne!(to.port(), 0, "Connect to port 0");
                if self.trusted {
                    assert!(
                        to.ip() == self.peer || Some(to) == offered,
                        "Connect to {to}: neither the peer {} nor the offered {offered:?}",
                        self.peer
                    );
                } else {
                    assert_eq!(
                        to.ip(),
                        self.peer,
                        "Connect to {to}, not the control peer {}, with the guard on",
                        self.peer
                    );
                }
                if self.auto {
                    self.data_connected();
                }
            }
            Kind::Started => {
                assert!(!self.started_seen, "a second TransferStarted");
                assert!(self.connect_seen, "TransferStarted with no Connect");
                assert!(!self.connect_waits, "TransferStarted before data_connected");
                self.started_seen = true;
                if self.auto {
                    self.data_end(false);
                }
            }
            Kind::Final | Kind::Closed => {
                self.running = false;
                self.connect_waits = false;
            }
        }
    }

    /// Reports `n` bytes of `transmit()` sent, recording and checking them.
    fn send(&mut self, n: usize) {
        let out = self.c.transmit();
        let n = n.min(out.len());
        if self.closed || self.closing {
            assert!(
                out.is_empty(),
                "bytes to send after Closed, control_closed or a timer that closes"
            );
        }
        if !self.running {
            assert!(out.is_empty(), "bytes to send with no operation running");
        }
        self.wire.extend_from_slice(&out[..n]);
        self.c.sent(n);
        // Check every line completed by these bytes.
        while let Some(lf) = self.wire[self.line_start..]
            .iter()
            .position(|&b| b == b'\n')
        {
            let end = self.line_start + lf + 1;
            let l = &self.wire[self.line_start..end];
            if trace() {
                eprintln!("sent {:?}", String::from_utf8_lossy(l));
            }
            check_line(l);
            assert!(
                self.allowed.iter().any(|a| a == l),
                "line {:?} is none of the operation's {:?}",
                String::from_utf8_lossy(l),
                self.allowed
                    .iter()
                    .map(|a| String::from_utf8_lossy(a).into_owned())
                    .collect::<Vec<_>>()
            );
            self.line_start = end;
        }
        let partial = &self.wire[self.line_start..];
        assert!(
            !partial.iter().any(|&b| b == 0)
                && !partial
                    .iter()
                    .take(partial.len().saturating_sub(1))
                    .any(|&b| b == b'\r'),
            "CR or NUL inside a line: {:?}",
            String::from_utf8_lossy(partial)
        );
        assert!(
            self.wire.len() <= self.ops_started * 2 * T,
            "{} bytes sent for {} operations (T = {T})",
            self.wire.len(),
            self.ops_started
        );
    }

    /// Feeds `bytes` in pieces of `chunk`, draining events after each.
    fn feed(&mut self, bytes: &[u8], chunk: usize) {
        for piece in bytes.chunks(chunk.max(1)) {
            let mut piece = piece;
            while !piece.is_empty() {
                let took = if self.reader {
                    let drained = self.drained;
                    let r: Result<usize, ()> = self.c.receive_with(|buf| {
                        // `poll_event` returned `None` since the last
                        // bytes: the reader is given room (its `Ok(0)`
                        // means the end of the stream).
                        assert!(
                            !drained || !buf.is_empty(),
                            "no room after poll_event's None"
                        );
                        let n = buf.len().min(piece.len());
                        buf[..n].copy_from_slice(&piece[..n]);
                        Ok(n)
                    });
                    r.expect("the reader does not fail")
                } else {
                    self.c.receive(piece)
                };
                assert!(took <= piece.len());
                if self.closed && self.reader {
                    assert!(took > 0, "no room for the reader after Closed");
                } else if self.closed {
                    assert_eq!(took, piece.len(), "bytes refused after Closed");
                }
                let (taken, rest) = piece.split_at(took);
                self.lf_fed += taken.iter().filter(|&&b| b == b'\n').count();
                self.bytes_fed += took;
                if took > 0 {
                    self.drained = false;
                }
                piece = rest;
                let before = self.events;
                self.drain();
                assert!(
                    took > 0 || self.events > before || piece.is_empty(),
                    "receive takes nothing and no event frees the buffer"
                );
            }
        }
    }

    /// The next `n` bytes of the server's stream.
    fn server_take(&mut self, n: usize) -> &'s [u8] {
        let (a, rest) = self.server.split_at(n.min(self.server.len()));
        self.server = rest;
        a
    }

    /// The server's stream up to and including its next LF.
    fn server_line(&mut self) -> &'s [u8] {
        let n = self
            .server
            .iter()
            .position(|&b| b == b'\n')
            .map_or(self.server.len(), |i| i + 1);
        self.server_take(n)
    }

    /// Starts an operation, checking the outcome against `is_idle` and the
    /// arguments.
    fn op(&mut self, plan: Plan, f: impl FnOnce(&mut Client<N, T>) -> Result<(), ClientError>) {
        let idle = self.c.is_idle();
        let was_closed = self.c.is_closed();
        let r = f(&mut self.c);
        if trace() {
            eprintln!(
                "op {:?}: {r:?}",
                plan.lines
                    .last()
                    .map(|l| String::from_utf8_lossy(l).into_owned())
            );
        }
        match r {
            Ok(()) => {
                assert!(idle, "an operation started while not idle");
                assert!(!plan.engine_cmd, "raw took a command the engine runs");
                assert!(!plan.bad_arg, "an argument with CR, LF or NUL was taken");
                self.ops_started += 1;
                self.allowed = plan.lines;
                self.running = true;
                self.connect_seen = false;
                self.started_seen = false;
                self.connect_waits = false;
            }
            Err(ClientError::Busy) => assert!(!idle && !was_closed, "Busy when idle"),
            Err(ClientError::Closed) => {
                // Known closed or closing, or closing for a reply that came
                // after a transfer's 226 (the session closes once the
                // transfer ends): the engine says so.
                use ftp_reply::client::Waiting;
                assert!(
                    was_closed
                        || self.closing
                        || matches!(
                            self.c.waiting(),
                            Waiting::Closed | Waiting::TransferEnd { .. }
                        ),
                    "Closed before the session closed"
                );
                self.closing = true;
            }
            Err(ClientError::Argument(_)) => {
                assert!(idle, "Argument checked before Busy");
                assert!(!plan.engine_cmd, "Argument checked before EngineCommand");
            }
            Err(ClientError::EngineCommand(_)) => {
                assert!(idle, "EngineCommand checked before Busy");
                assert!(
                    plan.engine_cmd,
                    "raw refused a command the engine does not run"
                );
            }
            Err(e) => panic!("an operation gave {e:?}"),
        }
        if self.closed {
            assert_eq!(r, Err(ClientError::Closed), "an operation after Closed");
        }
        if idle && !self.closed && plan.engine_cmd {
            assert!(
                matches!(r, Err(ClientError::EngineCommand(_))),
                "raw with a command the engine runs: {r:?}"
            );
        } else if idle && plan.bad_arg {
            assert!(
                matches!(r, Err(ClientError::Argument(_))),
                "an argument with CR, LF or NUL: {r:?}"
            );
        }
        if self.auto {
            self.send(usize::MAX);
        }
    }

    fn data_connected(&mut self) {
        self.reports += 1;
        let r = self.c.data_connected();
        if self.connect_waits && !self.closing {
            assert_eq!(r, Ok(()), "data_connected refused while a Connect waits");
        }
        if r.is_ok() {
            assert!(self.connect_waits, "data_connected taken with no Connect");
            self.connect_waits = false;
        }
        if self.auto {
            self.send(usize::MAX);
        }
    }

    fn data_end(&mut self, failed: bool) {
        self.reports += 1;
        let waited = self.connect_waits;
        let pasv_before = self.c.passive_fallback();
        let r = if failed {
            self.c.data_failed()
        } else {
            self.c.data_end()
        };
        if r.is_ok() {
            assert!(self.running, "a data report taken with no operation");
            // `data_failed` before `data_connected`: the caller gave up
            // connecting; no `Connect` waits any more.
            self.connect_waits = false;
            if failed && waited && !pasv_before && self.c.passive_fallback() {
                // EPSV's port failed: PASV goes out, and its `Connect` may
                // come.
                assert!(!self.c.is_idle(), "fell back to PASV with no operation");
                self.connect_seen = false;
            }
            if !failed {
                assert!(
                    self.connect_seen && !self.connect_waits,
                    "data_end taken before the data connection was open"
                );
            }
        }
    }

    fn step(&mut self, s: &mut Script<'_>) {
        let p = Plan::new;
        match s.byte() % 35 {
            0 => {
                let chunk = usize::from(s.byte() % 16);
                let l = self.server_line();
                self.feed(l, if chunk == 0 { usize::MAX } else { chunk });
            }
            1 => {
                let n = usize::from(s.byte()) + 1;
                let b = self.server_take(n);
                self.feed(b, usize::MAX);
            }
            2 => self.drain(),
            3 => self.send(usize::MAX),
            4 => {
                let n = usize::from(s.byte());
                self.send(n);
            }
            5 => {
                let (u, pw, a) = (s.bytes(), s.bytes(), s.opt());
                let plan = p().add("USER", Some(u)).add("PASS", Some(pw));
                let plan = match a {
                    Some(a) => plan.add("ACCT", Some(a)),
                    None => plan,
                };
                self.op(plan, |c| c.login(u, pw, a));
            }
            6 => self.op(p().add("FEAT", None).add("OPTS", Some(b"UTF8 ON")), |c| {
                c.feat()
            }),
            7 => self.op(p().add("TYPE", Some(b"I")), |c| c.binary()),
            8 => {
                let (path, off) = (s.bytes(), s.u64());
                self.op(p().transfer("RETR", Some(path), off), |c| {
                    c.retrieve(path, off)
                });
            }
            9 => {
                let a = s.bytes();
                self.op(p().transfer("STOR", Some(a), 0), |c| c.store(a));
            }
            10 => {
                let a = s.bytes();
                self.op(p().transfer("APPE", Some(a), 0), |c| c.append(a));
            }
            11 => {
                let a = s.opt();
                self.op(p().transfer("LIST", a, 0), |c| c.list(a));
            }
            12 => {
                let a = s.opt();
                self.op(p().transfer("NLST", a, 0), |c| c.nlst(a));
            }
            13 => {
                let a = s.opt();
                self.op(p().transfer("MLSD", a, 0), |c| c.mlsd(a));
            }
            14 => {
                let a = s.opt();
                self.op(p().add("MLST", a), |c| c.mlst(a));
            }
            15 => {
                let a = s.bytes();
                self.op(p().add("SIZE", Some(a)), |c| c.size(a));
            }
            16 => {
                let a = s.bytes();
                self.op(p().add("MDTM", Some(a)), |c| c.mdtm(a));
            }
            17 => {
                let a = s.bytes();
                self.op(p().add("CWD", Some(a)), |c| c.cwd(a));
            }
            18 => self.op(p().add("CDUP", None), |c| c.cdup()),
            19 => self.op(p().add("PWD", None), |c| c.pwd()),
            20 => {
                let a = s.bytes();
                self.op(p().add("MKD", Some(a)), |c| c.mkd(a));
            }
            21 => {
                let a = s.bytes();
                self.op(p().add("RMD", Some(a)), |c| c.rmd(a));
            }
            22 => {
                let a = s.bytes();
                self.op(p().add("DELE", Some(a)), |c| c.dele(a));
            }
            23 => {
                let (f, t) = (s.bytes(), s.bytes());
                self.op(p().add("RNFR", Some(f)).add("RNTO", Some(t)), |c| {
                    c.rename(f, t)
                });
            }
            24 => self.op(p().add("NOOP", None), |c| c.noop()),
            25 => self.op(p().add("QUIT", None), |c| c.quit()),
            26 => {
                let l = s.bytes();
                self.op(p().raw(l), |c| c.raw(l));
            }
            27 => {
                let on = s.byte() & 1 != 0;
                self.c.trust_offered_address(on);
                self.trusted = on;
            }
            28 => self.data_connected(),
            29 => self.data_end(false),
            30 => self.data_end(true),
            31 => {
                self.reports += 1;
                self.c.control_closed();
                self.drained = false;
                self.closing = true;
                if self.auto {
                    self.drain();
                }
            }
            32 => {
                self.reports += 1;
                let w = self.c.timer_fired();
                use ftp_reply::client::Waiting;
                if !matches!(w, Waiting::Nothing | Waiting::Closed) {
                    self.closing = true;
                }
                if self.auto {
                    self.drain();
                }
            }
            33 => {
                // A step of the plain caller: drain, send, answer.
                self.drain();
                self.send(usize::MAX);
            }
            _ => self.c.use_pasv(),
        }
    }
}

/// The one CRLF-ended line `l`: `NAME[ SP arg] CRLF`, CR and LF only at
/// its end, no NUL.
fn check_line(l: &[u8]) {
    let body = l
        .strip_suffix(b"\r\n")
        .unwrap_or_else(|| panic!("a line not ended by CRLF: {:?}", String::from_utf8_lossy(l)));
    assert!(
        !body.iter().any(|b| matches!(b, b'\r' | b'\n' | 0)),
        "CR, LF or NUL inside a line: {:?}",
        String::from_utf8_lossy(l)
    );
}

/// The reply an event lends is one that can cause it.
fn check_lent(ev: &Event<'_>) {
    use ftp_reply::client::{CloseReason, FailReason};
    let code = ev.reply.as_ref().map(|r| r.code().get());
    let class = code.map(|c| c / 100);
    let ok = match &ev.kind {
        // None: a login after a 230 greeting, which sends nothing.
        EventKind::LoggedIn => class == Some(2) || code.is_none(),
        EventKind::Connect(_) => matches!(code, Some(227 | 229)),
        EventKind::TransferStarted(_) => matches!(class, Some(1 | 2)),
        EventKind::TransferDone => matches!(class, None | Some(2)),
        EventKind::Size(_) | EventKind::Modified(_) => code == Some(213),
        EventKind::Path(_) => code == Some(257),
        EventKind::Entry(_) => code == Some(250),
        EventKind::Done => matches!(class, Some(2 | 3)),
        EventKind::Failed(f) => match f.reason {
            FailReason::Refused => f.code.is_some() && f.code.map(|c| c.get()) == code,
            _ => true,
        },
        EventKind::Closed(CloseReason::ServiceClosing(c)) => c.get() == 421,
        // Right when it came, with that reply; or, for one that came after
        // a transfer's 226, at the transfer's end, with no reply lent.
        EventKind::Closed(CloseReason::Unexpected(c)) => code.is_none_or(|x| x == c.get()),
        _ => true,
    };
    assert!(ok, "{:?} lends reply {code:?}", ev.kind);
}

/// An event, without the borrow.
#[derive(Debug)]
enum Kind {
    /// Where to connect, and what a 227 offered.
    Connect(SocketAddr, Option<SocketAddr>),
    Started,
    Final,
    Closed,
}

fn owned(ev: &Event<'_>) -> Kind {
    match &ev.kind {
        EventKind::Connect(t) => Kind::Connect(t.connect_to, t.offered.map(SocketAddr::V4)),
        EventKind::TransferStarted(_) => Kind::Started,
        EventKind::Closed(_) => Kind::Closed,
        _ => Kind::Final,
    }
}

fn run<const N: usize, const T: usize>(flags: u8, script: &[u8], server: &[u8]) {
    let mut h = Harness::<N, T>::new(flags, server);
    let mut s = Script(script);
    while !s.0.is_empty() {
        h.step(&mut s);
    }
    // The rest of the server's stream, a line at a time, answered as a
    // plain caller would.
    h.auto = true;
    h.drain();
    if h.connect_waits {
        h.data_connected();
    }
    if h.started_seen {
        h.data_end(false);
    }
    h.drain();
    while !h.server.is_empty() {
        let l = h.server_line();
        h.feed(l, usize::MAX);
    }
    h.reports += 1;
    h.c.control_closed();
    h.closing = true;
    h.drain();
    assert!(h.c.is_closed(), "not closed after control_closed");
    assert_eq!(h.c.receive(b"220 x\r\n"), 7);
    assert!(h.c.poll_event().is_none());
    assert_eq!(h.c.noop(), Err(ClientError::Closed));
}

fuzz_target!(|data: &[u8]| {
    let [flags, l0, l1, rest @ ..] = data else {
        return;
    };
    let len = usize::from(u16::from_le_bytes([*l0, *l1]));
    let (script, server) = rest.split_at(len.min(rest.len()));
    if flags & 4 != 0 {
        run::<64, 40>(*flags, script, server);
    } else {
        run::<512, 96>(*flags, script, server);
    }
});
