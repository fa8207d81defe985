//! Conformance against real FTP servers on loopback (issue 6): vsftpd,
//! proftpd, pure-ftpd and pyftpdlib, started by `tests/servers/start.sh`.
//!
//! One test per server plays a whole session over plain `std::net`
//! (blocking, a timeout on every socket, 127.0.0.1 only). Every reply goes
//! through a `Decoder<4096>`, fed in random pieces of 1 to 16 bytes, and the
//! assertions check real values: the served file's size and time, the
//! quoted directory names, the passive ports (which must accept a data
//! connection), the feature and help lists, and the RFC class of every
//! error reply.
//!
//! A server that is not running is skipped with a message, unless
//! `FTP_REPLY_REQUIRE_SERVERS=1`, which makes it a failure.
//!
//! Environment: `FTP_REPLY_VSFTPD`, `FTP_REPLY_PROFTPD`,
//! `FTP_REPLY_PUREFTPD`, `FTP_REPLY_PYFTPDLIB` (control addresses, default
//! 127.0.0.1:2121, 2122, 2123, 2124) and `FTP_REPLY_SERVER_DIR` (start.sh's directory, default
//! `/tmp/ftp-reply-servers`; the served tree is its `root/`).

use std::io::{ErrorKind as IoErrorKind, Read, Write};
use std::net::{IpAddr, Ipv4Addr, Shutdown, SocketAddr, TcpStream};
use std::path::PathBuf;
use std::time::{Duration, UNIX_EPOCH};

use ftp_reply::payload::PassiveTarget;
use ftp_reply::payload::{Payload, Timestamp};
use ftp_reply::{Category, Class, Command, Decoder, Reply};

const TIMEOUT: Duration = Duration::from_secs(15);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

#[path = "common/servers.rs"]
mod servers;
use servers::{Server, connect_or_skip, control_addr};

impl Server {
    /// The FEAT list, in the order the server sends it (the recordings in
    /// tests/data/<server>/).
    fn features(self) -> &'static [&'static str] {
        match self {
            Server::Vsftpd => &[
                "UTF8",
                "EPRT",
                "EPSV",
                "MDTM",
                "PASV",
                "REST STREAM",
                "SIZE",
                "TVFS",
            ],
            Server::Proftpd => &[
                "CLNT",
                "CSID",
                "EPRT",
                "EPSV",
                "HOST",
                "LANG C.UTF-8*",
                "MDTM",
                "MFF modify;UNIX.group;UNIX.mode;",
                "MFMT",
                "MLST modify*;perm*;size*;type*;unique*;UNIX.group*;UNIX.groupname*;UNIX.mode*;UNIX.owner*;UNIX.ownername*;",
                "RANG STREAM",
                "REST STREAM",
                "SIZE",
                "TVFS",
                "UTF8",
            ],
            Server::PureFtpd => &[
                "UTF8",
                "EPRT",
                "IDLE",
                "MDTM",
                "SIZE",
                "MFMT",
                "REST STREAM",
                "MLST type*;size*;sizd*;modify*;UNIX.mode*;UNIX.uid*;UNIX.gid*;unique*;",
                "MLSD",
                "PRET",
                "AUTH TLS",
                "PBSZ",
                "PROT",
                "TVFS",
                "ESTA",
                "PASV",
                "EPSV",
                "ESTP",
            ],
            // Sorted; the MLST facts in lower case, the UNIX ones offered
            // but not enabled.
            Server::Pyftpdlib => &[
                "EPRT",
                "EPSV",
                "MDTM",
                "MFMT",
                "MLST type*;perm*;size*;modify*;unique*;unix.mode;unix.uid;unix.gid;",
                "REST STREAM",
                "SIZE",
                "TVFS",
                "UTF8",
            ],
        }
    }
}

impl Server {
    /// The preliminary reply to LIST and RETR when the test connects to
    /// the passive port just before it sends the command.
    fn transfer_codes(self) -> &'static [u16] {
        match self {
            // 125 "Data connection already open. Transfer starting." when
            // its event loop accepted the data connection before it read
            // the command, else 150 "File status okay. About to open data
            // connection." (both seen: a race on loopback).
            Server::Pyftpdlib => &[125, 150],
            Server::Vsftpd | Server::Proftpd | Server::PureFtpd => &[150],
        }
    }
}

/// pyftpdlib's texts for 125 and 150.
fn pyftpdlib_preliminary(r: &Reply<'_>) {
    let want: &[u8] = match r.code().get() {
        125 => b"Data connection already open. Transfer starting.",
        _ => b"File status okay. About to open data connection.",
    };
    assert_eq!(r.text(), want);
}

/// A UTC time as (year, month, day, hour, minute, second).
type Fields = (u16, u8, u8, u8, u8, u8);

/// What start.sh puts in hello.txt: numbered pangram lines, cut to 1234
/// bytes.
fn hello_bytes() -> Vec<u8> {
    let mut v = Vec::new();
    for i in 1..=20 {
        v.extend_from_slice(
            format!("hello.txt line {i:03}: The quick brown fox jumps over the lazy dog.\n")
                .as_bytes(),
        );
    }
    v.truncate(1234);
    v
}

/// The served hello.txt: (bytes, mtime as UTC fields), from the tree when
/// it can be found, else what start.sh makes.
fn served_file() -> (Vec<u8>, Fields) {
    let dir = std::env::var("FTP_REPLY_SERVER_DIR")
        .unwrap_or_else(|_| "/tmp/ftp-reply-servers".to_owned());
    let path = PathBuf::from(dir).join("root").join("hello.txt");
    let known = (2021, 3, 4, 5, 6, 7);
    match (std::fs::read(&path), std::fs::metadata(&path)) {
        (Ok(bytes), Ok(meta)) => {
            assert_eq!(meta.len(), bytes.len() as u64);
            let secs = meta
                .modified()
                .expect("mtime")
                .duration_since(UNIX_EPOCH)
                .expect("mtime after 1970")
                .as_secs();
            let fields = utc_fields(secs);
            // The tree is the one start.sh made.
            assert_eq!(bytes, hello_bytes(), "{} is not start.sh's", path.display());
            assert_eq!(fields, known, "{} mtime", path.display());
            (bytes, fields)
        }
        _ => {
            eprintln!(
                "note: {} not readable; using start.sh's known content and time",
                path.display()
            );
            (hello_bytes(), known)
        }
    }
}

/// Seconds since 1970 as UTC (year, month, day, hour, minute, second)
/// (Howard Hinnant's civil_from_days).
fn utc_fields(secs: u64) -> Fields {
    let days = (secs / 86_400) as i64;
    let rem = secs % 86_400;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    (
        year as u16,
        month as u8,
        day as u8,
        (rem / 3600) as u8,
        (rem / 60 % 60) as u8,
        (rem % 60) as u8,
    )
}

fn ts_fields(t: &Timestamp) -> Fields {
    (
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
    )
}

/// A tiny xorshift64 generator (no rand crate).
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// 1..=max
    fn piece(&mut self, max: usize) -> usize {
        1 + (self.next() % max as u64) as usize
    }
}

/// The unescaped name of a 257 reply, as a String (lossy).
fn path_of(reply: &Reply<'_>) -> String {
    let p = reply.pathname().expect("257 pathname");
    String::from_utf8(p.bytes().collect()).expect("UTF-8 path")
}

fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

struct Session {
    server: Server,
    ctrl: TcpStream,
    peer: IpAddr,
    dec: Decoder<4096>,
    rng: XorShift,
    /// Read from the socket, not yet pushed into the decoder.
    pending: Vec<u8>,
    /// Every reply's first line, for failure messages.
    log: Vec<String>,
}

impl Session {
    fn new(server: Server, ctrl: TcpStream, seed: u64) -> Session {
        ctrl.set_read_timeout(Some(TIMEOUT)).expect("read timeout");
        ctrl.set_write_timeout(Some(TIMEOUT))
            .expect("write timeout");
        let peer = ctrl.peer_addr().expect("peer").ip();
        assert!(peer.is_loopback());
        Session {
            server,
            ctrl,
            peer,
            dec: Decoder::new(),
            rng: XorShift(seed),
            pending: Vec::new(),
            log: Vec::new(),
        }
    }

    /// Sends a command through `Command::write_to`.
    fn send(&mut self, cmd: Command, arg: Option<&[u8]>) {
        let mut buf = [0u8; 512];
        let n = cmd.write_to(arg, &mut buf).expect("command fits");
        self.send_raw(&buf[..n]);
    }

    /// Sends bytes as they are (for a command the enum does not have).
    fn send_raw(&mut self, line: &[u8]) {
        // Nothing unsolicited: every byte so far belonged to a reply.
        assert!(
            self.pending.is_empty() && self.dec.is_empty(),
            "{}: unexpected bytes before {:?}",
            self.server.name(),
            lossy(line)
        );
        self.log.push(format!("-> {}", lossy(line).trim_end()));
        self.ctrl.write_all(line).expect("send command");
    }

    /// Reads the next reply through the decoder, checks its code and hands
    /// it (still borrowing the decoder) to `check`.
    fn expect<T>(&mut self, code: u16, check: impl FnOnce(Reply<'_>) -> T) -> T {
        self.expect_in(&[code], check)
    }

    /// `expect`, with any of `codes`.
    fn expect_in<T>(&mut self, codes: &[u16], check: impl FnOnce(Reply<'_>) -> T) -> T {
        let name = self.server.name();
        let code = codes[0];
        let mut chunk = [0u8; 64];
        let ready = loop {
            match self.dec.poll() {
                Some(Ok(ready)) => break ready,
                Some(Err(e)) => panic!("{name}: decoder error {e:?}; log: {:#?}", self.log),
                None => {}
            }
            if !self.pending.is_empty() {
                let n = self.rng.piece(16).min(self.pending.len());
                let took = self.dec.push(&self.pending[..n]);
                assert!(took > 0, "{name}: decoder full without a reply");
                self.pending.drain(..took);
                continue;
            }
            let want = self.rng.piece(chunk.len());
            match self.ctrl.read(&mut chunk[..want]) {
                Ok(0) => panic!(
                    "{name}: control connection closed while waiting for {code}; log: {:#?}",
                    self.log
                ),
                Ok(n) => self.pending.extend_from_slice(&chunk[..n]),
                Err(e) if e.kind() == IoErrorKind::Interrupted => {}
                Err(e) => panic!(
                    "{name}: reading the reply (want {code}): {e}; log: {:#?}",
                    self.log
                ),
            }
        };
        let reply = self.dec.reply(ready);
        self.log.push(format!("<- {:?}", lossy(reply.as_bytes())));
        assert!(
            codes.contains(&reply.code().get()),
            "{name}: wanted {codes:?}, got {:?}; log: {:#?}",
            lossy(reply.as_bytes()),
            self.log
        );
        check(reply)
    }

    /// `expect`, also checking the class (the RFC's first digit).
    fn expect_class(&mut self, code: u16, class: Class) {
        self.expect(code, |r| {
            assert_eq!(r.code().class(), class, "{code}");
        });
    }

    /// Connects to the data port the server offered.
    fn data(&self, addr: SocketAddr) -> TcpStream {
        assert!(addr.ip().is_loopback(), "data address {addr}");
        let s = TcpStream::connect_timeout(&addr, CONNECT_TIMEOUT).unwrap_or_else(|e| {
            panic!(
                "{}: the passive port {addr} does not accept a connection: {e}",
                self.server.name()
            )
        });
        s.set_read_timeout(Some(TIMEOUT)).expect("timeout");
        s.set_write_timeout(Some(TIMEOUT)).expect("timeout");
        s
    }
}

fn read_all(mut s: TcpStream) -> Vec<u8> {
    let mut out = Vec::new();
    s.read_to_end(&mut out).expect("data connection");
    let _ = s.shutdown(Shutdown::Both);
    out
}

fn session(server: Server, seed: u64) {
    let Some(ctrl) = connect_or_skip(server) else {
        return;
    };
    let (file, mtime) = served_file();
    let file_len = file.len() as u64;
    let mut s = Session::new(server, ctrl, seed);
    let name = server.name();
    use Server::*;

    // Banner.
    s.expect(220, |r| {
        assert_eq!(r.code().class(), Class::PositiveCompletion);
        let all: Vec<String> = r.lines().map(lossy).collect();
        match server {
            Vsftpd => assert_eq!(all, ["(vsFTPd 3.0.3)"]),
            Proftpd => {
                assert_eq!(r.line_count(), 1);
                assert!(all[0].starts_with("ProFTPD Server"), "{all:?}");
            }
            PureFtpd => {
                // Five lines, each with "220-"; the first text starts with
                // hyphens.
                assert_eq!(r.line_count(), 5, "{all:?}");
                assert!(all[0].contains("Welcome to Pure-FTPd"), "{all:?}");
                assert!(all[0].starts_with("---------"), "{all:?}");
                assert!(all[1].starts_with("You are user number"), "{all:?}");
            }
            Pyftpdlib => assert_eq!(all, ["pyftpdlib 1.5.7 ready."]),
        }
    });

    // A command that needs login, before login: 530 (5yz, x3z).
    s.send(Command::Pwd, None);
    s.expect(530, |r| {
        assert_eq!(r.code().class(), Class::PermanentNegative);
        assert_eq!(r.code().category(), Category::Authentication);
        if server == Pyftpdlib {
            assert_eq!(r.text(), b"Log in with USER and PASS first.");
        }
    });

    s.send(Command::User, Some(b"ftptest"));
    s.expect_class(331, Class::PositiveIntermediate);
    s.send(Command::Pass, Some(b"ftptest"));
    s.expect_class(230, Class::PositiveCompletion);

    s.send(Command::Syst, None);
    s.expect(215, |r| match r.payload_after(Some(Command::Syst)) {
        Ok(Payload::System(sys)) => {
            assert_eq!(sys.name, b"UNIX");
            assert_eq!(sys.rest, b"Type: L8");
        }
        other => panic!("{name}: SYST payload {other:?}"),
    });

    s.send(Command::Feat, None);
    s.expect(211, |r| {
        let Ok(Payload::Features(f)) = r.payload_after(Some(Command::Feat)) else {
            panic!(
                "{name}: FEAT payload {:?}",
                r.payload_after(Some(Command::Feat))
            );
        };
        let lines: Vec<String> = f.iter().map(|f| lossy(f.line)).collect();
        assert_eq!(lines, server.features(), "{name}: FEAT");
        for feat in ["MDTM", "SIZE", "EPSV", "UTF8", "TVFS", "EPRT"] {
            assert!(f.supports(feat), "{name}: FEAT lacks {feat}");
        }
        assert_eq!(f.get("REST").map(|f| f.params), Some(&b"STREAM"[..]));
        let facts: Vec<(String, bool)> = f
            .mlst_facts()
            .map(|fs| (lossy(fs.name), fs.enabled))
            .collect();
        match server {
            Vsftpd => {
                assert!(!f.supports("MLST"));
                assert!(facts.is_empty());
            }
            Proftpd | PureFtpd => {
                assert!(f.supports("MLST"));
                for fact in ["type", "size", "modify", "unique", "UNIX.mode"] {
                    assert!(
                        facts.contains(&(fact.to_owned(), true)),
                        "{name}: MLST fact {fact} not enabled: {facts:?}"
                    );
                }
            }
            Pyftpdlib => {
                assert!(f.supports("MLST") && f.supports("MFMT"));
                let want = [
                    ("type", true),
                    ("perm", true),
                    ("size", true),
                    ("modify", true),
                    ("unique", true),
                    ("unix.mode", false),
                    ("unix.uid", false),
                    ("unix.gid", false),
                ]
                .map(|(n, on)| (n.to_owned(), on));
                assert_eq!(facts, want, "{name}: MLST facts");
            }
        }
        // Neither proftpd nor pyftpdlib lists PASV (both answer it).
        assert_eq!(f.supports("PASV"), matches!(server, Vsftpd | PureFtpd));
    });

    // HELP: the command table.
    s.send(Command::Help, None);
    s.expect(214, |r| {
        let h = r.help().expect("214 help view");
        assert!(matches!(r.payload(), Ok(Payload::Help(_))));
        let names: Vec<&str> = h.commands().map(|c| c.name).collect();
        match server {
            Vsftpd => {
                assert_eq!(names.len(), 44, "{names:?}");
                for c in ["RETR", "STOR", "LIST", "PASV", "EPSV", "SIZE", "MDTM"] {
                    assert!(h.lists(c), "{name}: HELP lacks {c}: {names:?}");
                }
                assert!(!h.lists("MLST"));
                assert!(h.commands().all(|c| !c.unimplemented));
            }
            Proftpd => {
                assert_eq!(names.len(), 56, "{names:?}");
                for c in ["RETR", "STOR", "LIST", "PASV", "EPSV", "MLST", "MLSD"] {
                    assert!(h.lists(c), "{name}: HELP lacks {c}: {names:?}");
                }
                let unimpl: Vec<&str> = h
                    .commands()
                    .filter(|c| c.unimplemented)
                    .map(|c| c.name)
                    .collect();
                assert_eq!(
                    unimpl,
                    [
                        "SMNT", "AUTH", "CCC", "CONF", "ENC", "MIC", "PBSZ", "PROT", "ACCT", "REIN"
                    ]
                );
            }
            PureFtpd => {
                // Only SITE commands, and no RETR.
                assert_eq!(names, ["ALIAS", "CHMOD", "IDLE", "UTIME"]);
                assert!(!h.lists("RETR"));
                assert!(lossy(r.text()).contains("SITE commands"));
            }
            Pyftpdlib => {
                // Eight names a line, each " %-6s" (so every line ends in
                // spaces), sorted; SITE once, without its subcommands.
                assert_eq!(
                    names,
                    [
                        "ABOR", "ALLO", "APPE", "CDUP", "CWD", "DELE", "EPRT", "EPSV", "FEAT",
                        "HELP", "LIST", "MDTM", "MFMT", "MKD", "MLSD", "MLST", "MODE", "NLST",
                        "NOOP", "OPTS", "PASS", "PASV", "PORT", "PWD", "QUIT", "REIN", "REST",
                        "RETR", "RMD", "RNFR", "RNTO", "SITE", "SIZE", "STAT", "STOR", "STOU",
                        "STRU", "SYST", "TYPE", "USER", "XCUP", "XCWD", "XMKD", "XPWD", "XRMD"
                    ]
                );
                assert!(h.commands().all(|c| !c.unimplemented));
                assert_eq!(r.line_count(), 8);
                assert_eq!(r.text(), b"The following commands are recognized:");
                let table: Vec<String> = r.lines().skip(1).take(6).map(lossy).collect();
                assert_eq!(
                    table[0],
                    " ABOR   ALLO   APPE   CDUP   CWD    DELE   EPRT   EPSV  "
                );
                assert_eq!(table[5], " XCUP   XCWD   XMKD   XPWD   XRMD  ");
                assert_eq!(
                    r.lines().last().map(lossy).as_deref(),
                    Some("Help command successful.")
                );
            }
        }
    });

    s.send(Command::Help, Some(b"RETR"));
    s.expect(214, |r| {
        let h = r.help().expect("214");
        match server {
            // Not specific: the whole table again.
            Vsftpd => assert!(h.lists("RETR") && h.commands().count() == 44),
            Proftpd => {
                assert_eq!(r.line_count(), 1);
                assert_eq!(r.text(), b"Syntax: RETR <sp> pathname");
            }
            PureFtpd => assert_eq!(h.commands().count(), 4),
            // One line: the command's syntax, no table.
            Pyftpdlib => {
                assert_eq!(r.line_count(), 1);
                assert_eq!(r.text(), b"Syntax: RETR <SP> file-name (retrieve a file).");
                assert_eq!(h.commands().count(), 0);
            }
        }
    });

    s.send(Command::Stat, None);
    s.expect(211, |r| {
        let Ok(Payload::Status(st)) = r.payload_after(Some(Command::Stat)) else {
            panic!("{name}: STAT payload");
        };
        let lines: Vec<String> = st.lines().map(lossy).collect();
        match server {
            Vsftpd => {
                assert!(lines.contains(&"     Connected to 127.0.0.1".to_owned()));
                assert!(lines.contains(&"     Logged in as ftptest".to_owned()));
            }
            Proftpd => {
                assert!(lines.contains(&" Connected from 127.0.0.1 (127.0.0.1)".to_owned()));
                assert!(lines.contains(&" Logged in as ftptest".to_owned()));
            }
            // No status at all: one line.
            PureFtpd => assert_eq!(lines, ["https://www.pureftpd.org/"]),
            // One leading space; no TYPE was sent yet.
            Pyftpdlib => {
                let port = control_addr(server).port();
                assert_eq!(
                    lines,
                    [
                        "FTP server status:".to_owned(),
                        format!(" Connected to: 127.0.0.1:{port}"),
                        " Logged in as: ftptest".to_owned(),
                        " TYPE: ASCII; STRUcture: File; MODE: Stream".to_owned(),
                        " Data connection closed.".to_owned(),
                        "End of status.".to_owned(),
                    ]
                );
            }
        }
    });

    s.send(Command::Pwd, None);
    s.expect(257, |r| assert_eq!(path_of(&r), "/"));

    s.send(Command::Cwd, Some("quo\"te".as_bytes()));
    s.expect(250, |r| {
        assert_eq!(r.code().class(), Class::PositiveCompletion);
        if server == Pyftpdlib {
            // The new directory, quoted as in a 257 but not doubled; a 250
            // has no pathname payload.
            assert_eq!(r.text(), b"\"/quo\"te\" is the current directory.");
            assert!(r.pathname().is_err());
        }
    });
    s.send(Command::Pwd, None);
    s.expect(257, |r| {
        assert_eq!(path_of(&r), "/quo\"te");
        let quoted = r.pathname().expect("257").as_quoted();
        match server {
            Vsftpd | Proftpd | Pyftpdlib => assert_eq!(quoted, b"/quo\"\"te"),
            // Not doubled (RFC 959 appendix II wants it doubled).
            PureFtpd => assert_eq!(quoted, b"/quo\"te"),
        }
    });

    // A UTF-8 name (RFC 2640), then back to the root.
    s.send(Command::Cwd, Some("/grüße".as_bytes()));
    s.expect_class(250, Class::PositiveCompletion);
    s.send(Command::Pwd, None);
    s.expect(257, |r| assert_eq!(path_of(&r), "/grüße"));
    s.send(Command::Cwd, Some(b"/"));
    s.expect_class(250, Class::PositiveCompletion);

    // MKD a name with a quote (unique: the three servers share one tree).
    let dir = format!("new\"dir-{name}-{}", std::process::id());
    s.send(Command::Mkd, Some(dir.as_bytes()));
    s.expect(257, |r| {
        let got = path_of(&r);
        match server {
            Vsftpd | Proftpd | Pyftpdlib => assert_eq!(got, format!("/{dir}")),
            // Relative: the name as given.
            PureFtpd => assert_eq!(got, dir),
        }
    });

    s.send(Command::Type, Some(b"I"));
    s.expect_class(200, Class::PositiveCompletion);

    s.send(Command::Size, Some(b"hello.txt"));
    s.expect(213, |r| {
        assert_eq!(
            r.payload_after(Some(Command::Size)),
            Ok(Payload::Size(file_len))
        );
    });
    s.send(Command::Size, Some(b"missing.txt"));
    s.expect(550, |r| {
        assert_eq!(r.code().class(), Class::PermanentNegative);
        assert_eq!(r.code().category(), Category::FileSystem);
        if server == Pyftpdlib {
            assert_eq!(r.text(), b"/missing.txt is not retrievable.");
        }
    });

    s.send(Command::Mdtm, Some(b"hello.txt"));
    s.expect(213, |r| match r.payload_after(Some(Command::Mdtm)) {
        Ok(Payload::Time(t)) => {
            assert_eq!(ts_fields(&t), mtime);
            assert_eq!(ts_fields(&t), (2021, 3, 4, 5, 6, 7));
            assert_eq!(t.fraction_digits(), 0);
        }
        other => panic!("{name}: MDTM payload {other:?}"),
    });

    // PASV, the guard, LIST over the data connection.
    s.send(Command::Pasv, None);
    let peer = s.peer;
    let target: PassiveTarget = s.expect(227, |r| {
        let a = r.passive().expect("227 tuple");
        assert_eq!(r.payload(), Ok(Payload::Passive(a)));
        assert_eq!(a.ip, Ipv4Addr::LOCALHOST);
        if server == Pyftpdlib {
            // "passive" in lower case, a period after the tuple.
            let (p1, p2) = (a.port / 256, a.port % 256);
            assert_eq!(
                lossy(r.text()),
                format!("Entering passive mode (127,0,0,1,{p1},{p2}).")
            );
        }
        a.guard(peer)
    });
    assert_eq!(target.concern, None, "{name}: offered {}", target.offered);
    assert_eq!(
        target.connect_to,
        SocketAddr::new(peer, target.offered.port())
    );
    assert!(
        server.passive_ports().contains(&target.offered.port()),
        "{name}: PASV port {}",
        target.offered.port()
    );
    let data = s.data(target.connect_to);
    s.send(Command::List, None);
    s.expect_in(server.transfer_codes(), |r| {
        assert_eq!(r.code().class(), Class::PositivePreliminary);
        assert_eq!(r.payload(), Ok(Payload::Transfer(None)));
        if server == Pyftpdlib {
            pyftpdlib_preliminary(&r);
        }
    });
    let listing = read_all(data);
    let listing = String::from_utf8(listing).expect("UTF-8 listing");
    for entry in ["hello.txt", "quo\"te", "with spaces", "grüße", dir.as_str()] {
        assert!(
            listing.lines().any(|l| l.ends_with(entry)),
            "{name}: listing lacks {entry:?}:\n{listing}"
        );
    }
    assert!(
        listing
            .lines()
            .any(|l| l.contains(" 1234 ") && l.ends_with(" hello.txt"))
    );
    s.expect(226, |r| {
        if server == PureFtpd {
            // "226-Options: -l " then "226 N matches total".
            assert_eq!(r.line_count(), 2);
            assert!(lossy(r.lines().last().unwrap()).ends_with("matches total"));
        }
        if server == Pyftpdlib {
            assert_eq!(r.text(), b"Transfer complete.");
        }
    });

    // EPSV, RETR over the data connection.
    s.send(Command::Epsv, None);
    let port = s.expect(229, |r| {
        let e = r.extended_passive().expect("229 tuple");
        assert_eq!(e.delimiter(), b'|');
        if server == Pyftpdlib {
            // Lower case, a period after the parenthesis.
            assert_eq!(
                lossy(r.text()),
                format!("Entering extended passive mode (|||{}|).", e.port())
            );
        }
        e.port()
    });
    assert!(
        server.passive_ports().contains(&port),
        "{name}: EPSV port {port}"
    );
    let data = s.data(SocketAddr::new(peer, port));
    s.send(Command::Retr, Some(b"hello.txt"));
    s.expect_in(server.transfer_codes(), |r| {
        let want = match server {
            // "(1234 bytes)" in the text.
            Vsftpd | Proftpd => Some(file_len),
            PureFtpd | Pyftpdlib => None,
        };
        if server == Pyftpdlib {
            pyftpdlib_preliminary(&r);
        }
        assert_eq!(r.payload(), Ok(Payload::Transfer(want)));
    });
    let got = read_all(data);
    assert_eq!(got, file, "{name}: RETR data");
    s.expect(226, |r| {
        if server == PureFtpd {
            assert_eq!(r.line_count(), 2);
        }
    });

    // A name that holds one double quote, written as it is before the
    // size: `for quo"te/inner.txt (14 bytes).` (vsftpd). The quote that
    // nothing closes hides no size.
    s.send(Command::Epsv, None);
    let port = s.expect(229, |r| r.extended_passive().expect("229 tuple").port());
    let data = s.data(SocketAddr::new(peer, port));
    s.send(Command::Retr, Some("quo\"te/inner.txt".as_bytes()));
    s.expect_in(server.transfer_codes(), |r| {
        let want = match server {
            Vsftpd | Proftpd => {
                assert!(lossy(r.text()).contains("quo\"te/inner.txt (14 bytes)"));
                Some(14)
            }
            PureFtpd | Pyftpdlib => None,
        };
        assert_eq!(r.payload(), Ok(Payload::Transfer(want)));
    });
    assert_eq!(read_all(data), b"inside quo\"te\n", "{name}: RETR data");
    s.expect(226, |_| {});

    s.send(Command::Rest, Some(b"100"));
    s.expect(350, |r| {
        assert_eq!(r.code().class(), Class::PositiveIntermediate);
        assert_eq!(r.payload(), Ok(Payload::Restart(Some(100))));
        if server == Pyftpdlib {
            assert_eq!(r.text(), b"Restarting at position 100.");
        }
    });
    s.send(Command::Rest, Some(b"0"));
    s.expect(350, |r| {
        assert_eq!(r.payload(), Ok(Payload::Restart(Some(0))));
    });

    // An unknown command: 500, syntax error.
    s.send_raw(b"XYZZY\r\n");
    s.expect(500, |r| {
        assert_eq!(r.code().class(), Class::PermanentNegative);
        assert_eq!(r.code().category(), Category::Syntax);
        if server == Pyftpdlib {
            assert_eq!(r.text(), b"Command \"XYZZY\" not understood.");
        }
    });

    s.send(Command::Opts, Some(b"UTF8 ON"));
    match server {
        Vsftpd | Proftpd => s.expect_class(200, Class::PositiveCompletion),
        // Lists UTF8 in FEAT, but: 504, "not implemented for that parameter".
        PureFtpd => s.expect(504, |r| {
            assert_eq!(r.code().class(), Class::PermanentNegative);
            assert_eq!(r.code().category(), Category::Syntax);
        }),
        // Lists UTF8 in FEAT too, but takes options for MLST only: 501
        // (an argument without ';').
        Pyftpdlib => s.expect(501, |r| {
            assert_eq!(r.code().class(), Class::PermanentNegative);
            assert_eq!(r.code().category(), Category::Syntax);
            assert_eq!(r.text(), b"Invalid argument.");
        }),
    }

    s.send(Command::Mlst, Some(b"hello.txt"));
    match server {
        // No MLST: 500 (not 502).
        Vsftpd => s.expect(500, |r| {
            assert_eq!(r.code().class(), Class::PermanentNegative);
        }),
        Proftpd | PureFtpd | Pyftpdlib => s.expect(250, |r| {
            let Ok(Payload::Mlst(e)) = r.payload_after(Some(Command::Mlst)) else {
                panic!(
                    "{name}: MLST payload {:?}",
                    r.payload_after(Some(Command::Mlst))
                );
            };
            assert_eq!(e.kind(), Some(&b"file"[..]));
            assert_eq!(e.size(), Some(file_len));
            assert_eq!(e.modify().as_ref().map(ts_fields), Some(mtime));
            assert!(e.unique().is_some());
            if server == Pyftpdlib {
                // The facts FEAT marks with '*': no unix.mode.
                assert_eq!(e.unix_mode(), None);
                assert_eq!(e.perm(), Some(&b"radfwMT"[..]));
                let names: Vec<String> = e.facts().map(|f| lossy(f.name)).collect();
                assert_eq!(names, ["modify", "perm", "size", "type", "unique"]);
                assert_eq!(r.text(), b"Listing \"/hello.txt\":");
                assert_eq!(r.lines().last().map(lossy).as_deref(), Some("End MLST."));
            } else {
                assert_eq!(e.unix_mode(), Some(0o644));
            }
            // proftpd and pyftpdlib give the absolute path, pure-ftpd the
            // name as asked.
            let want: &[u8] = if server == PureFtpd {
                b"hello.txt"
            } else {
                b"/hello.txt"
            };
            assert_eq!(e.path(), want);
        }),
    }

    if server == Pyftpdlib {
        // Its OPTS takes MLST facts: unix.mode on, then MLST shows it in
        // lower case (fact names are case-insensitive, RFC 3659 7.9), and
        // with Python's octal prefix: `unix.mode=0o644` (its `oct()`),
        // which `unix_mode()` reads as proftpd's and pure-ftpd's `0644`.
        // RFC 3659 leaves UNIX.mode's form open.
        s.send(Command::Opts, Some(b"MLST type;size;modify;unix.mode;"));
        s.expect(200, |r| {
            assert_eq!(r.text(), b"MLST OPTS type;size;modify;unix.mode;");
        });
        s.send(Command::Mlst, Some(b"hello.txt"));
        s.expect(250, |r| {
            let Ok(Payload::Mlst(e)) = r.payload_after(Some(Command::Mlst)) else {
                panic!("{name}: MLST payload after OPTS MLST");
            };
            let names: Vec<String> = e.facts().map(|f| lossy(f.name)).collect();
            assert_eq!(names, ["modify", "size", "type", "unix.mode"]);
            assert_eq!(e.fact("UNIX.mode"), Some(&b"0o644"[..]));
            assert_eq!(e.unix_mode(), Some(0o644));
            assert_eq!(e.size(), Some(file_len));
            assert_eq!(e.path(), b"/hello.txt");
        });
    }

    // STAT of a directory: its listing on the control connection.
    s.send(Command::Stat, Some(b"/"));
    let code = match server {
        // RFC 959 has 212 for a directory's status; only proftpd uses it.
        Proftpd => 212,
        Vsftpd | PureFtpd | Pyftpdlib => 213,
    };
    s.expect(code, |r| {
        let Ok(Payload::Status(st)) = r.payload_after(Some(Command::Stat)) else {
            panic!("{name}: STAT / payload");
        };
        let lines: Vec<String> = st.lines().map(lossy).collect();
        let hello: Vec<&String> = lines
            .iter()
            .filter(|l| l.ends_with(" hello.txt") && l.contains(" 1234 "))
            .collect();
        assert_eq!(hello.len(), 1, "{name}: STAT / {lines:#?}");
        // proftpd indents the listing by one space, the others do not.
        assert_eq!(hello[0].starts_with(" -rw-r--r--"), server == Proftpd);
        assert_eq!(hello[0].starts_with("-rw-r--r--"), server != Proftpd);
        for entry in ["quo\"te", "with spaces", "grüße", dir.as_str()] {
            assert!(
                lines.iter().any(|l| l.ends_with(&format!(" {entry}"))),
                "{name}: STAT / lacks {entry:?}: {lines:#?}"
            );
        }
        if server == Pyftpdlib {
            assert_eq!(r.text(), b"Status of \"/\":");
            assert_eq!(
                hello[0].as_str(),
                "-rw-r--r--   1 ftptest  ftptest      1234 Mar 04  2021 hello.txt"
            );
            assert_eq!(lines.last().map(String::as_str), Some("End of status."));
        }
    });

    // EPSV for IPv6 on an IPv4 connection: RFC 2428's 522, which "MUST"
    // list the protocols the server supports. Three of the four do, each
    // in its own words; vsftpd gives no list.
    s.send(Command::Epsv, Some(b"2"));
    s.expect(522, |r| {
        let want = match server {
            Vsftpd => None,
            Proftpd | PureFtpd | Pyftpdlib => Some(vec![1]),
        };
        match r.payload() {
            Ok(Payload::NetworkProtocols(p)) => {
                assert_eq!(
                    p.map(|p| p.iter().collect::<Vec<u16>>()),
                    want,
                    "{name}: 522"
                );
                assert_eq!(
                    p.map(|p| (p.contains(1), p.contains(2))),
                    want.map(|_| (true, false))
                );
            }
            other => panic!("{name}: 522 payload {other:?} ({:?})", lossy(r.text())),
        }
    });
    // LPSV (RFC 1639): none of the four has it.
    s.send_raw(b"LPSV\r\n");
    s.expect(500, |r| assert_eq!(r.payload(), Ok(Payload::Text)));

    s.send(Command::Rmd, Some(dir.as_bytes()));
    s.expect_class(250, Class::PositiveCompletion);

    s.send(Command::Quit, None);
    s.expect(221, |r| {
        assert_eq!(r.code().class(), Class::PositiveCompletion);
        if server == PureFtpd {
            assert_eq!(r.line_count(), 2);
        }
        if server == Pyftpdlib {
            assert_eq!(r.text(), b"Goodbye.");
        }
    });
    // The server closes; nothing follows the 221.
    let mut rest = Vec::new();
    s.ctrl.read_to_end(&mut rest).expect("read after QUIT");
    assert!(
        rest.is_empty() && s.pending.is_empty(),
        "{name}: bytes after 221"
    );
    assert_eq!(s.dec.finish(), None);
    println!("{name}: session OK ({} lines logged)", s.log.len());
}

/// The chunking seed: fixed per server, or `FTP_REPLY_CHUNK_SEED` (printed
/// either way, so a failure can be replayed).
fn seed(server: Server) -> u64 {
    let base = std::env::var("FTP_REPLY_CHUNK_SEED")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .unwrap_or(0x5EED_F7F0);
    let s = (base ^ (server as u64 + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15)) | 1;
    println!("{}: chunking seed {s:#x}", server.name());
    s
}

#[test]
fn vsftpd_session() {
    session(Server::Vsftpd, seed(Server::Vsftpd));
}

#[test]
fn proftpd_session() {
    session(Server::Proftpd, seed(Server::Proftpd));
}

#[test]
fn pure_ftpd_session() {
    session(Server::PureFtpd, seed(Server::PureFtpd));
}

#[test]
fn pyftpdlib_session() {
    session(Server::Pyftpdlib, seed(Server::Pyftpdlib));
}
