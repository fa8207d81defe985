//! A tiny blocking FTP client over `std::net`, using `ftp-reply` for every
//! reply it reads and [`Command::write_to`] for every command it sends.
//!
//! ```text
//! cargo run --example client -- ftp://[user[:pass]@]host[:port]/path
//! ```
//!
//! Logs in (anonymous / `anonymous@` when no user is given), then lists the
//! directory when the path ends with `/` or is empty (PASV + LIST), or
//! fetches the file to standard output (TYPE I, PASV + RETR). The path is
//! sent as given, relative to the login directory. The user, password and
//! path are percent-decoded (`%22` for a quote, `%20` for a space).
//!
//! Every command sent (`-> PASV`, the password masked) and every reply got
//! (`<- 227 ...  [passive 127.0.0.1:40003]`, with its typed payload) is
//! printed on standard error. The data connection goes where the PASV guard
//! says: the control connection's peer, with the offered port; a warning is
//! printed when the server offered another address.
//!
//! Against the local test servers (tests/servers/start.sh):
//!
//! ```text
//! cargo run --example client -- ftp://ftptest:ftptest@127.0.0.1:2121/hello.txt
//! cargo run --example client -- ftp://ftptest:ftptest@127.0.0.1:2122/
//! ```

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::process::ExitCode;
use std::time::Duration;

use ftp_reply::payload::PassiveConcern;
use ftp_reply::payload::Payload;
use ftp_reply::{Class, Command, Decoder, ReadError, Reply};

const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
const IO_TIMEOUT: Duration = Duration::from_secs(30);

/// What the command line asked for.
#[derive(Debug)]
struct Target {
    user: Vec<u8>,
    pass: Vec<u8>,
    host: String,
    port: u16,
    /// Percent-decoded, without the leading `/`.
    path: Vec<u8>,
}

/// Decodes `%XX` escapes.
fn percent_decode(what: &str, s: &str) -> Result<Vec<u8>, String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = b
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| format!("bad percent escape in the {what} at byte {i}"))?;
            out.push(hex);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Ok(out)
}

fn parse_url(url: &str) -> Result<Target, String> {
    let rest = url
        .strip_prefix("ftp://")
        .ok_or_else(|| format!("not an ftp:// URL: {url}"))?;
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, ""),
    };
    let (userinfo, hostport) = match authority.rfind('@') {
        Some(i) => (Some(&authority[..i]), &authority[i + 1..]),
        None => (None, authority),
    };
    let (user, pass) = match userinfo {
        None => (b"anonymous".to_vec(), b"anonymous@".to_vec()),
        Some(ui) => match ui.split_once(':') {
            Some((u, p)) => (percent_decode("user", u)?, percent_decode("password", p)?),
            None => (percent_decode("user", ui)?, Vec::new()),
        },
    };
    if user.is_empty() {
        return Err("empty user name".into());
    }
    let (host, port) = if let Some(v6) = hostport.strip_prefix('[') {
        let (h, after) = v6
            .split_once(']')
            .ok_or_else(|| format!("unclosed [ in {hostport}"))?;
        (h, after.strip_prefix(':'))
    } else {
        match hostport.rsplit_once(':') {
            Some((h, p)) => (h, Some(p)),
            None => (hostport, None),
        }
    };
    if host.is_empty() {
        return Err(format!("no host in {url}"));
    }
    let port = match port {
        None | Some("") => 21,
        Some(p) => p.parse().map_err(|_| format!("bad port {p:?}"))?,
    };
    Ok(Target {
        user,
        pass,
        host: host.to_owned(),
        port,
        path: percent_decode("path", path)?,
    })
}

/// Bytes as readable text: UTF-8 (lossy), control bytes escaped.
fn show(b: &[u8]) -> String {
    let mut s = String::new();
    for c in String::from_utf8_lossy(b).chars() {
        if c.is_control() {
            s.extend(c.escape_default());
        } else {
            s.push(c);
        }
    }
    s
}

/// The typed payload in a few words, if the reply has one.
fn describe(reply: &Reply<'_>, after: Option<Command>) -> Option<String> {
    Some(match reply.payload_after(after) {
        Err(e) => format!("payload error: {e}"),
        Ok(Payload::Passive(a)) => format!("passive {}", a.socket_addr()),
        Ok(Payload::ExtendedPassive(e)) => format!("extended passive port {}", e.port()),
        Ok(Payload::Pathname(p)) => format!("path \"{}\"", show(&p.bytes().collect::<Vec<_>>())),
        Ok(Payload::Transfer(Some(n))) => format!("transfer of {n} bytes"),
        Ok(Payload::Size(n)) => format!("size {n}"),
        Ok(Payload::Time(t)) => format!(
            "time {:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            t.year(),
            t.month(),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        ),
        Ok(Payload::Features(f)) => {
            let names: Vec<String> = f.iter().map(|f| show(f.name)).collect();
            format!("features {}", names.join(" "))
        }
        Ok(Payload::Help(h)) if h.commands().next().is_some() => {
            format!("help table, {} commands", h.commands().count())
        }
        Ok(Payload::System(s)) => format!("system {}", show(s.name)),
        Ok(Payload::Restart(Some(n))) => format!("restart at {n}"),
        Ok(Payload::ReadyIn(Some(m))) => format!("ready in {m} minutes"),
        Ok(Payload::Mlst(e)) => format!("entry {} {}", show(e.path()), show(e.raw_facts())),
        Ok(_) => return None,
    })
}

/// What the session keeps of a reply once the decoder moves on.
struct Got {
    code: u16,
    class: Class,
    text: String,
    passive: Option<ftp_reply::payload::PassiveAddr>,
}

struct Control {
    stream: TcpStream,
    dec: Decoder<4096>,
}

impl Control {
    /// Sends `cmd` (printing it, the password masked).
    fn send(&mut self, cmd: Command, arg: Option<&[u8]>) -> Result<(), String> {
        let mut buf = [0u8; 1024];
        let n = cmd
            .write_to(arg, &mut buf)
            .map_err(|e| format!("cannot send {cmd}: {e}"))?;
        match (cmd, arg) {
            (Command::Pass, Some(_)) => eprintln!("-> PASS ****"),
            (_, Some(a)) => eprintln!("-> {cmd} {}", show(a)),
            (_, None) => eprintln!("-> {cmd}"),
        }
        self.stream
            .write_all(&buf[..n])
            .map_err(|e| format!("sending {cmd}: {e}"))
    }

    /// Reads one reply (to `after`, for the payload's meaning) and prints it.
    fn reply(&mut self, after: Option<Command>) -> Result<Got, String> {
        let stream = &mut self.stream;
        let reply = self
            .dec
            .read_with(
                |buf| {
                    loop {
                        match stream.read(buf) {
                            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                            other => return other,
                        }
                    }
                },
                |_| false,
            )
            .map_err(|e| match e {
                ReadError::Io(e) => format!("reading a reply: {e}"),
                ReadError::Parse(e) => {
                    format!("the server sent something that is not a reply: {e}")
                }
                ReadError::Eof => "the server closed the control connection".to_owned(),
            })?;
        let raw = reply.as_bytes();
        let lines: Vec<&[u8]> = raw
            .strip_suffix(b"\n")
            .unwrap_or(raw)
            .split(|b| *b == b'\n')
            .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
            .collect();
        let note = describe(&reply, after).map(|d| format!("  [{d}]"));
        for (i, line) in lines.iter().enumerate() {
            let tail = if i + 1 == lines.len() {
                note.as_deref().unwrap_or("")
            } else {
                ""
            };
            eprintln!("<- {}{tail}", show(line));
        }
        Ok(Got {
            code: reply.code().get(),
            class: reply.code().class(),
            text: show(reply.text()),
            passive: reply.passive().ok(),
        })
    }

    /// Sends `cmd` and reads its reply, which must be of class `want`.
    fn exchange(&mut self, cmd: Command, arg: Option<&[u8]>, want: Class) -> Result<Got, String> {
        self.send(cmd, arg)?;
        let got = self.reply(Some(cmd))?;
        if got.class != want {
            return Err(format!("{cmd} failed: {} {}", got.code, got.text));
        }
        Ok(got)
    }

    /// PASV, through the guard: where to open the data connection.
    fn passive(&mut self) -> Result<TcpStream, String> {
        let got = self.exchange(Command::Pasv, None, Class::PositiveCompletion)?;
        let addr = got
            .passive
            .ok_or_else(|| format!("PASV: no address in {} {}", got.code, got.text))?;
        let peer = self
            .stream
            .peer_addr()
            .map_err(|e| format!("peer address: {e}"))?
            .ip();
        let target = addr.guard(peer);
        if let Some(concern) = target.concern {
            let why = match concern {
                PassiveConcern::Unspecified => "no address (0.0.0.0)",
                PassiveConcern::Loopback => "a loopback address",
                PassiveConcern::LinkLocal => "a link-local address",
                PassiveConcern::Broadcast => "a broadcast or multicast address",
                PassiveConcern::DiffersFromPeer => "not the server's address",
                _ => "a suspect address",
            };
            eprintln!(
                "warning: the server offered {} ({why}); connecting to {} instead",
                target.offered, target.connect_to
            );
        }
        eprintln!("data connection to {}", target.connect_to);
        let data = TcpStream::connect_timeout(&target.connect_to, CONNECT_TIMEOUT)
            .map_err(|e| format!("data connection to {}: {e}", target.connect_to))?;
        set_timeouts(&data)?;
        Ok(data)
    }
}

fn set_timeouts(s: &TcpStream) -> Result<(), String> {
    s.set_read_timeout(Some(IO_TIMEOUT))
        .and_then(|()| s.set_write_timeout(Some(IO_TIMEOUT)))
        .map_err(|e| format!("socket timeouts: {e}"))
}

fn run(url: &str) -> Result<(), String> {
    let t = parse_url(url)?;
    let addrs: Vec<SocketAddr> = (t.host.as_str(), t.port)
        .to_socket_addrs()
        .map_err(|e| format!("cannot resolve {}: {e}", t.host))?
        .collect();
    let mut last = None;
    let mut stream = None;
    for a in &addrs {
        eprintln!("connecting to {a}");
        match TcpStream::connect_timeout(a, CONNECT_TIMEOUT) {
            Ok(s) => {
                stream = Some(s);
                break;
            }
            Err(e) => last = Some(format!("{a}: {e}")),
        }
    }
    let stream = stream.ok_or_else(|| {
        format!(
            "cannot connect to {}:{}: {}",
            t.host,
            t.port,
            last.unwrap_or_else(|| "no address".into())
        )
    })?;
    set_timeouts(&stream)?;
    let mut c = Control {
        stream,
        dec: Decoder::new(),
    };

    // Banner: 120 (wait) then 220.
    let mut banner = c.reply(None)?;
    while banner.class == Class::PositivePreliminary {
        banner = c.reply(None)?;
    }
    if banner.code != 220 {
        return Err(format!("no welcome: {} {}", banner.code, banner.text));
    }

    c.send(Command::User, Some(&t.user))?;
    let got = c.reply(Some(Command::User))?;
    match got.class {
        Class::PositiveCompletion => {}
        Class::PositiveIntermediate => {
            c.send(Command::Pass, Some(&t.pass))?;
            let got = c.reply(Some(Command::Pass))?;
            if got.class != Class::PositiveCompletion {
                return Err(format!("login failed: {} {}", got.code, got.text));
            }
        }
        _ => return Err(format!("login failed: {} {}", got.code, got.text)),
    }

    let is_dir = t.path.is_empty() || t.path.ends_with(b"/");
    let (cmd, arg) = if is_dir {
        (Command::List, (!t.path.is_empty()).then_some(&t.path[..]))
    } else {
        c.exchange(Command::Type, Some(b"I"), Class::PositiveCompletion)?;
        (Command::Retr, Some(&t.path[..]))
    };
    let mut data = c.passive()?;
    c.send(cmd, arg)?;
    let got = c.reply(Some(cmd))?;
    if got.class != Class::PositivePreliminary {
        return Err(format!("{cmd} failed: {} {}", got.code, got.text));
    }
    let copied = {
        let mut out = io::stdout().lock();
        let n = io::copy(&mut data, &mut out).map_err(|e| format!("data transfer: {e}"))?;
        out.flush().map_err(|e| format!("standard output: {e}"))?;
        n
    };
    drop(data);
    eprintln!("({copied} bytes received)");
    let got = c.reply(Some(cmd))?;
    if got.class != Class::PositiveCompletion {
        return Err(format!("{cmd} failed: {} {}", got.code, got.text));
    }

    c.send(Command::Quit, None)?;
    c.reply(Some(Command::Quit))?;
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [url] = args.as_slice() else {
        eprintln!("usage: client ftp://[user[:pass]@]host[:port]/path");
        eprintln!("  a path ending in / (or empty) is listed, any other is fetched to stdout");
        return ExitCode::from(2);
    };
    match run(url) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("client: error: {e}");
            ExitCode::FAILURE
        }
    }
}
