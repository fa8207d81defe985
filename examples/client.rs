//! A tiny blocking FTP client over `std::net`, driving the sans-IO engine
//! [`ftp_reply::client::Client`]: the engine decides what to send and what
//! every reply means; this file only moves bytes and keeps the clock.
//!
//! ```text
//! cargo run --example client -- ftp://[user[:pass]@]host[:port]/path
//! ```
//!
//! Logs in (anonymous / `anonymous@` when no user is given or the user
//! is empty, `ftp://@h/f`, as Python's ftplib takes it, and `anonymous@` as
//! the password of a user `anonymous` or `ftp` given none; another user
//! given none sends `PASS ` with an empty one, as curl does; a 332, an
//! account asked for after USER or PASS, fails the login, exit 1, after
//! QUIT, since a URL names no account),
//! then goes into the path's directories with one CWD per segment (RFC 1738
//! 3.2.2, as curl does: `a/b/f` is CWD a, CWD b, then f; an empty first
//! segment, `ftp://h//etc/motd`, is CWD /; other empty segments are
//! skipped), relative to the login directory. Dot segments are taken out
//! of the path first, as RFC 3986 (5.2.4) resolves them and curl sends
//! them: `a/../f` is f with no CWD, `a/.` is a, and `..` stops at the
//! login directory; only dots written as they are (`%2E%2E` is a
//! directory named `..`, sent as it is), and before `;type=` is read, as
//! curl does: a `.` or `..` that the typecode ends is a name, sent as it is
//! (`a/.;type=a` is the file `.` in a, `..;type=d` sends `CWD ..`). It
//! then lists the directory when the path ends with `/` or is empty
//! (EPSV, or PASV when the server
//! refuses EPSV with any code (a 3xx too; a 1xx, which only a transfer
//! command gets, closes the session), answers it with port 0, or names a
//! port that cannot be reached (PASV goes out once: its own refusal or
//! port 0 fails the transfer:
//! `a_port_0_from_the_pasv_after_a_4xx_to_epsv_sends_no_second_pasv`) +
//! LIST with no argument, as curl does: real servers
//! glob a LIST argument, proftpd and pure-ftpd `[...]`, and pure-ftpd
//! splits it at spaces; a `450 No files found` in place of the 150 is an
//! empty listing, as curl takes it), or fetches the file to standard output
//! (TYPE I, EPSV/PASV + RETR of the last segment); a name of up to about
//! 4,000 bytes fits (the engine's transmit buffer, `Client<65536, 4096>`,
//! holds the EPSV and RETR lines), and so does a user and password of up
//! to about 4,000 bytes together (USER and PASS are queued at once; a
//! longer pair fails before USER goes out, `cannot start: bad argument:
//! buffer full`, exit 1, after QUIT). A reply of up to 64 KiB is read whole
//! (the engine's receive buffer; RFC 959 sets no limit, and a server may
//! pad a 227 or 229 block: a 229's tuple is read at the block's first
//! `(`, so `229-Entering (see below)` then `229 ok (|||2501|)` names no
//! port and fails, as the engine reads it); a longer one is cut, and a cut 227 or 229
//! names no address, so the transfer fails. The user, password and each
//! segment of the path are percent-decoded (`%22` for a quote, `%20` for a space,
//! `%2F` for a `/` inside one CWD, as RFC 1738 reads it: a last segment
//! `%2F` is a file named `/`, and the root's listing is `ftp://h//` or
//! `ftp://h/%2F/`; `%0D`, `%0A` and `%00`, which would
//! end or split a command line, are refused before connecting, exit 1, as
//! is any control byte written in the URL as it is, a tab included: RFC
//! 3986 has none, and curl refuses them too; so is a `%` that two hex
//! digits do not follow, `ftp://h/100%`, which RFC 3986 has no reading
//! of: write `%25`, where curl sends the `%` as it is). Other bytes that
//! RFC 3986 would have percent-encoded are taken as written, where curl
//! refuses the URL (exit 3): a space (`ftp://h/with space.txt` is the
//! file `with space.txt`) and an `@` in the user info, which ends at the
//! last `@` (`ftp://me@x.org@h/f` logs in as `me@x.org`). On Unix, an argument that is
//! not UTF-8 (a Latin-1 name) is read with those bytes percent-encoded, so
//! they go out as they came, as curl sends them, but for the byte 255:
//! the engine doubles it (`%FF` is `\xff\xff` on the wire), as RFC 854
//! asks of the control connection and as ProFTPD reads it back; vsftpd
//! and Pure-FTPd take the pair as two bytes, so a name holding 255 cannot
//! be reached on them (curl sends it once, which those two read as one). A
//! port is digits, 1 to 65535. An IPv6 literal may name its zone as RFC
//! 6874 writes it: `ftp://[fe80::1%25eth0]/f` (glibc's resolver takes a
//! zone's name for a link-local address only, `fe80::` or `ff02::`; its
//! number, `[::1%251]`, for any); the data connection to the same host
//! keeps the zone (`the_data_connection_keeps_the_peers_zone`). The
//! scheme may be in any case; a
//! `#fragment` and a `?query` are dropped (an ftp URL has no query; `%3F`
//! is a `?` in a name); RFC 1738's `;type=i`, `;type=a` (TYPE A) or
//! `;type=d` (a name list: CWD into the path, then NLST) ending the path is
//! read, not sent. What comes in ASCII type (a listing, `;type=a`) has its
//! CRLF line ends turned into LF (RFC 959 3.1.1.1: the receiver converts to
//! its own line ends), as curl does; a CR that no LF follows is kept
//! (curl turns it into an LF too).
//!
//! The data connection is read as soon as it is open (a server may write
//! before its 150); what comes before the 125 or 150 is held, up to 1 MiB,
//! until it comes, so that a server that then refuses (a 550, a 425) has
//! nothing written to standard output (past 1 MiB, a server that writes the
//! whole file before its 150, it is written as it comes). A fetch in binary
//! type whose byte count differs from the size the 150 announced (`(N
//! bytes)`, or `N bytes to download`; in ASCII type the count is not
//! checked, as curl does not, since CRLF becomes LF:
//! `ascii_type_is_not_held_to_the_150s_size`) fails (curl fails a short one
//! too, and cuts a long one at the announced size): reading stops at the
//! first read that goes past that size, and standard output gets the
//! announced bytes (held bytes included; but not when over 1 MiB came
//! before the 150, which was written as it came). When every announced byte
//! has come, a data connection that is reset, or held open after the 226,
//! has ended (curl 7.88 stops reading at the reset; one held open it waits
//! on until its own timeout, exit 28); a reset before the 150 is judged
//! once it comes, by its size. A 450 in place of a listing's 150 is an
//! empty listing, whatever the data connection got before it, up to the 1
//! MiB held (past that, written as it came, the 450 fails the listing).
//! So is a 226 or 250 in place of a listing's 150, as the engine reads it
//! (curl fails it, `RETR response: 226`), when no byte has come on the
//! data connection by the time it is read: the data connection, which
//! such a server may never have taken (held open in its listener's queue,
//! or reset), is not read on. When bytes have come before it, they are
//! the listing, which the 226 says went whole: they are written and the
//! data connection is read to its end, as after a 150 with no size
//! (`a_listing_sent_with_a_226_in_place_of_its_150_is_kept`). A reply that
//! has come already when that 226 is read (a 150 after all, a second 226)
//! fails the empty listing, with no QUIT: one sent with the 226, or up to
//! about 100 ms after it, since the control connection is looked at
//! between reads of the data connection at most 100 ms apart
//! (`a_226_in_place_of_a_listings_150_is_an_empty_listing`); but the
//! session's end there, a 421 or a 221 or the connection closed, takes
//! nothing back: exit 0 and no QUIT, as after a listing sent with a 150,
//! with a warning but for the 421
//! (`a_421_behind_a_226_in_place_of_a_listings_150_is_still_an_empty_listing`).
//! A reply that comes later, once the listing has ended, is one no
//! command asked for (below): a warning, exit 0, and the listing such a
//! server then sends is not read
//! (`a_150_long_after_a_226_in_place_of_it_is_a_warning`). A 226 in place
//! of RETR's 150 fails the fetch, exit 1, then QUIT (RFC 959 puts a 1xx
//! first; curl fails it too).
//! Once the file is whole and the server has said so (226 or 250), QUIT is
//! sent and its answer waited for at most 5 s; a server that closed first,
//! never answers (or closes with no answer), or answers anything but 221
//! (or 421, closing) gets a warning, not a failure
//! (`an_odd_answer_to_quit_is_a_warning`); so does one that sends a reply
//! no command asked for before QUIT goes out (a second 226, a 550 after
//! the 226), which closes the session there, with no QUIT. After a
//! failure that leaves the session open and idle (a 550, a 530, a TYPE
//! refused, a short file after its 226), QUIT is sent too, as curl does,
//! and so it is after a data connection that cannot be opened, and after a
//! reset, or a data connection silent for the timeout, that comes after
//! the 226 (`a_data_connection_silent_after_the_226_fails_and_still_ends_with_quit`);
//! its answer is waited for at most 2 s. After a reply that does not come
//! in time, a 421, a reply the engine cannot follow, or a failure while
//! the transfer runs and before the server's final reply (a data
//! connection reset, or silent for the timeout, before the 226 and the
//! file whole), the connection is closed with no QUIT.
//!
//! The control connection is Telnet (RFC 959, RFC 854): Telnet commands in
//! what the server sends (`IAC WILL ECHO`, an `IAC NOP`) are taken out
//! before the bytes are read as replies, not answered, and `IAC IAC` is the
//! byte 255, as lftp reads it, and so is a 255 before a byte that is no
//! Telnet command (a server that does not double it in a Latin-1 name:
//! `550 caf\xff\n` ends at its LF; a CR or LF after `IAC WILL` and the
//! like is no option but the line's end); a NUL, the NVT's no-operation
//! (`CR NUL` is Telnet's CR alone), is taken out too, as curl reads past
//! it. The crate's `telnet::Telnet` does all but the NULs that no CR
//! stands before.
//!
//! A line from the server that cannot start a reply (an empty line, prose
//! with no code: its first byte is no digit) is reported on standard
//! error (`<- (not a reply: invalid reply code at byte N)`, N counting
//! the bytes the server has sent on the control connection once its
//! Telnet commands and NULs are taken out) and skipped,
//! as curl skips it; one that starts with a digit but is no reply (`999
//! x`) fails the command it answers, as in curl. Before the greeting,
//! either fails at once: a peer that does not open with a reply is no FTP
//! server (an SSH or HTTP port), and is not waited on until the timeout.
//! A multi-line reply ends only at a line that starts with its own code
//! and a space (RFC 959 4.2), or is that code alone (`226\r\n`, the
//! crate's framing rules: a code alone is a reply with empty text, where
//! curl, which needs the space, waits on): a `226-` block that a
//! `250 done` line follows has not ended, so the wait for it times out
//! (curl ends it there; and curl ends RFC 959's own example, `123-First
//! line`, at its middle line `234 A line beginning with numbers`, where
//! this client reads on to `123 The last line`).
//!
//! Every command sent (`-> EPSV`, the password masked) and every reply got
//! (`<- 229 ...  [extended passive port 40003]`, with its typed payload) is
//! printed on standard error. The data connection goes where the engine
//! says: the control connection's peer, with the offered port; a warning is
//! printed when a 227 offered another address.
//!
//! Exit status: 0 on success, 1 on any failure (`client: error: ...` on
//! standard error), 2 on a usage error (`--help` prints the usage on
//! standard output and exits 0, or 1 when it cannot be written). A standard
//! output that is closed (`client URL >&-`) cannot be told from
//! `/dev/null`: Rust's runtime opens `/dev/null` in its place before
//! `main`, so the fetch succeeds into it (curl exits 23 there); a full one
//! (`>/dev/full`) fails. Standard error is a log: one that is closed or
//! full (`client URL 2>&1 >file | head`) does not stop the transfer. Nothing
//! waits forever: a connect times out after 10 s (for each address a host
//! name resolves to, tried in turn); a reply that does not come
//! (or does not end) within 30 s of its command closes the session through
//! the engine's [`timer_fired`](ftp_reply::client::Client::timer_fired)
//! (each reply of a step that takes two, USER's and PASS's, has its own
//! 30 s; the 125 or 150 too, however much data flows before it:
//! `data_that_never_ends_without_a_150_times_out`), and a data connection
//! that stays silent for 30 s after the 150 (or after its last byte) fails
//! the transfer (`every_wait_has_its_own_timeout`).
//! `FTP_REPLY_CLIENT_TIMEOUT=<seconds>` changes the 30 s (a positive number,
//! fractions allowed, more than 10^9 taken as 10^9; anything else leaves
//! the 30 s). A
//! server that writes to the control connection without end holds none of
//! these waits: it is read 64 KiB at a time between the deadline checks.
//!
//! Against the local test servers (tests/servers/start.sh):
//!
//! ```text
//! cargo run --example client -- ftp://ftptest:ftptest@127.0.0.1:2121/hello.txt
//! cargo run --example client -- ftp://ftptest:ftptest@127.0.0.1:2122/
//! ```

use std::collections::VecDeque;
use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream, ToSocketAddrs};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use ftp_reply::client::{
    Client, ClientError, CloseReason, DataTarget, Event, EventKind, FailReason, Failure, Waiting,
};
use ftp_reply::payload::PassiveConcern;
use ftp_reply::payload::Payload;
use ftp_reply::{Command, Decoder, Reply, ReplyCode};

/// Writes a line of the log to standard error. The log is not the result:
/// a standard error that is closed or full (`client URL 2>&1 >file | head`) must
/// not stop the transfer, and std's `eprintln!` panics when its write
/// fails.
macro_rules! log {
    ($($arg:tt)*) => {{
        let _ = writeln!(io::stderr(), $($arg)*);
    }};
}

const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long the data connection waits between two checks of the control
/// connection (a 421 or a 426 while the data flows).
const DATA_SLICE: Duration = Duration::from_millis(100);
/// The most reads of the control connection in one look at what it has
/// (64 KiB), before the caller's deadlines are looked at again.
const READY_READS: usize = 16;
/// The longest wait for QUIT's answer, once the transfer is done.
const QUIT_TIMEOUT: Duration = Duration::from_secs(5);
/// The longest wait for QUIT's answer after a failure: the exit status is
/// known, and a server that refused a command and then says nothing
/// should not hold it long.
const QUIT_AFTER_FAILURE_TIMEOUT: Duration = Duration::from_secs(2);

/// The longest `FTP_REPLY_CLIENT_TIMEOUT`, in seconds; more is taken as
/// this.
const MAX_TIMEOUT: f64 = 1e9;

/// The reply and data-silence timeout (`FTP_REPLY_CLIENT_TIMEOUT`, 30 s).
fn io_timeout() -> Duration {
    timeout_from(std::env::var("FTP_REPLY_CLIENT_TIMEOUT").ok().as_deref())
}

/// The timeout `FTP_REPLY_CLIENT_TIMEOUT=value` asks for: a positive
/// number of seconds, at most [`MAX_TIMEOUT`]; 30 s for anything else.
fn timeout_from(value: Option<&str>) -> Duration {
    value
        .and_then(|s| s.parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s > 0.0)
        // At most about 31 years: a deadline that far off is still a time.
        .map_or(Duration::from_secs(30), |s| {
            Duration::from_secs_f64(s.min(MAX_TIMEOUT))
        })
}

/// What the command line asked for.
#[derive(Debug)]
struct Target {
    user: Vec<u8>,
    pass: Vec<u8>,
    host: String,
    port: u16,
    /// The directories to CWD into, one per segment of the path before the
    /// file's name (all of them for a listing), each percent-decoded on
    /// its own (RFC 1738 3.2.2, as curl does); `/` for an absolute path
    /// (`ftp://h//etc/motd`); empty segments are skipped, dot segments taken
    /// out first (`remove_dot_segments`).
    dirs: Vec<Vec<u8>>,
    /// The file's name, the path's last segment (empty for a listing).
    name: Vec<u8>,
    /// The URL's `;type=` code, lowercase: `a`, `i` or `d`.
    typecode: Option<u8>,
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
                // Two hex digits: `from_str_radix` alone takes a sign
                // (`%+A`).
                .filter(|h| h.iter().all(u8::is_ascii_hexdigit))
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| format!("bad percent escape in the {what} at byte {i}"))?;
            // A CR, LF or NUL would end the command line it goes into (or
            // smuggle a second command): refused here, before connecting,
            // as the engine refuses it before sending.
            if matches!(hex, b'\r' | b'\n' | 0) {
                return Err(format!(
                    "%{hex:02X} in the {what} at byte {i}: no command may hold it"
                ));
            }
            out.push(hex);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    Ok(out)
}

/// RFC 3986 5.2.4's `remove_dot_segments` on the path after the host's
/// `/`, as curl applies it before it reads the path: a `.` segment goes, a
/// `..` takes the segment before it (none above the login directory), and
/// one that ends the path leaves a directory (`a/..` is the login
/// directory's listing, `a/.` is a's). Only dots written as they are:
/// `%2E%2E` is a name, sent as `CWD ..` (RFC 3986 6.2.2.2 would decode
/// it first; curl does not). Empty segments stay for the caller (`//etc`
/// is the root).
fn remove_dot_segments(path: &str) -> String {
    let segments: Vec<&str> = path.split('/').collect();
    let last = segments.len() - 1;
    let mut out: Vec<&str> = Vec::with_capacity(segments.len());
    for (i, segment) in segments.into_iter().enumerate() {
        match segment {
            "." | ".." => {
                if segment == ".." {
                    out.pop();
                }
                if i == last {
                    out.push("");
                }
            }
            _ => out.push(segment),
        }
    }
    out.join("/")
}

fn parse_url(url: &str) -> Result<Target, String> {
    // RFC 3986 (2): no control byte stands in a URL as it is. A CR or LF
    // would end a command line, a tab or another control would go out in
    // one: refused before connecting, as curl refuses them (`%09` is a tab
    // in a name, asked for).
    if let Some(i) = url.bytes().position(|b| b.is_ascii_control()) {
        return Err(format!(
            "a control byte (0x{:02X}) in the URL at byte {i}: percent-encode it",
            url.as_bytes()[i]
        ));
    }
    // The scheme is case-insensitive (RFC 3986, 3.1); a fragment is the
    // client's own, never sent (3.5).
    let rest = url
        .get(..6)
        .filter(|scheme| scheme.eq_ignore_ascii_case("ftp://"))
        .and_then(|_| url.get(6..))
        .ok_or_else(|| format!("not an ftp:// URL: {}", redacted(url)))?;
    let rest = rest.split_once('#').map_or(rest, |(before, _)| before);
    // A query ends the path, or the authority when no path comes first
    // (RFC 3986, 3.2 and 3.4); ftp has none, and curl drops it. A `?` in a
    // name is `%3F`.
    let rest = rest.split_once('?').map_or(rest, |(before, _)| before);
    let (authority, path) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, ""),
    };
    let path = remove_dot_segments(path);
    let path = path.as_str();
    // RFC 1738 (3.2.2): ";type=a", ";type=i" or ";type=d" ends the path.
    let (path, typecode) = match path.rsplit_once(';') {
        Some((p, t)) => match t.as_bytes() {
            [head @ .., code]
                if head.eq_ignore_ascii_case(b"type=")
                    && matches!(code.to_ascii_lowercase(), b'a' | b'i' | b'd') =>
            {
                (p, Some(code.to_ascii_lowercase()))
            }
            _ => (path, None),
        },
        None => (path, None),
    };
    let (userinfo, hostport) = match authority.rfind('@') {
        Some(i) => (Some(&authority[..i]), &authority[i + 1..]),
        None => (None, authority),
    };
    let (mut user, mut pass) = match userinfo {
        None => (b"anonymous".to_vec(), Vec::new()),
        Some(ui) => match ui.split_once(':') {
            Some((u, p)) => (percent_decode("user", u)?, percent_decode("password", p)?),
            None => (percent_decode("user", ui)?, Vec::new()),
        },
    };
    // An empty user name (`ftp://@h/f`, `ftp://:pw@h/f`) cannot be sent:
    // RFC 959's USER takes at least one character. It logs in as
    // anonymous, as Python's ftplib and urllib do (curl sends `USER ` with
    // nothing after it, which servers refuse).
    if user.is_empty() {
        user = b"anonymous".to_vec();
    }
    // An anonymous login with no password gives the customary one (RFC
    // 1635), as Python's ftplib does: servers refuse an empty one.
    let anonymous = user.eq_ignore_ascii_case(b"anonymous") || user.eq_ignore_ascii_case(b"ftp");
    if anonymous && pass.is_empty() {
        pass = b"anonymous@".to_vec();
    }
    let (host, port) = if let Some(v6) = hostport.strip_prefix('[') {
        let (h, after) = v6
            .split_once(']')
            .ok_or_else(|| format!("unclosed [ in {hostport}"))?;
        match after.strip_prefix(':') {
            Some(p) => (h, Some(p)),
            None if after.is_empty() => (h, None),
            None => return Err(format!("bad host {hostport:?}")),
        }
    } else {
        match hostport.rsplit_once(':') {
            // A second `:` outside brackets: no host is written so.
            Some((h, _)) if h.contains(':') => return Err(format!("bad host {hostport:?}")),
            Some((h, p)) => (h, Some(p)),
            None => (hostport, None),
        }
    };
    if host.is_empty() {
        return Err(format!("no host in {}", redacted(url)));
    }
    let port = match port {
        None | Some("") => 21,
        // Digits only (RFC 3986 3.2.3; `u16`'s parser takes a `+`), and not
        // port 0, which no server listens on.
        Some(p) => p
            .bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| p.parse::<u16>().ok())
            .flatten()
            .filter(|&n| n != 0)
            .ok_or_else(|| format!("bad port {p:?}"))?,
    };
    let listing = typecode == Some(b'd') || path.is_empty() || path.ends_with('/');
    let mut segments: Vec<&str> = path.split('/').collect();
    let name = match segments.pop() {
        Some(last) if !listing => percent_decode("path", last)?,
        Some(last) => {
            segments.push(last);
            Vec::new()
        }
        None => Vec::new(),
    };
    let mut dirs = Vec::new();
    for (i, segment) in segments.iter().enumerate() {
        if !segment.is_empty() {
            dirs.push(percent_decode("path", segment)?);
        } else if i == 0 && path.starts_with('/') {
            dirs.push(b"/".to_vec());
        }
    }
    Ok(Target {
        dirs,
        name,
        user,
        pass,
        // RFC 6874: a zone in an IPv6 literal is written `%25` and the
        // zone (`[fe80::1%25eth0]`); the resolver (getaddrinfo) reads
        // `fe80::1%eth0`, with the zone's name or number.
        host: if hostport.starts_with('[') {
            host.replacen("%25", "%", 1)
        } else {
            host.to_owned()
        },
        port,
        typecode,
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
        Ok(Payload::NetworkProtocols(Some(p))) => {
            let list: Vec<String> = p.iter().map(|n| n.to_string()).collect();
            format!("network protocols {}", list.join(","))
        }
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

/// An engine event, owned (the engine lends its events only until its
/// next call).
#[derive(Debug)]
enum Ev {
    LoggedIn,
    Connect(DataTarget),
    /// The transfer started: the size announced, and the code of the
    /// reply that started it (a 125 or 150; a 226 or 250 in place of a
    /// listing's 150).
    Started(Option<u64>, u16),
    TransferDone,
    Done,
    Failed(Failure),
    Closed(CloseReason),
    /// The session ended on QUIT: with the code of its answer; none when
    /// the server closed the connection with no answer, or answered with a
    /// line that is no reply (`Control::eof` tells which).
    QuitEnded(Option<u16>),
    /// An event this client never asks for.
    Other(String),
}

impl Ev {
    fn from(ev: &Event<'_>) -> Ev {
        match &ev.kind {
            EventKind::Closed(CloseReason::Quit) => {
                Ev::QuitEnded(ev.reply.as_ref().map(|r| r.code().get()))
            }
            EventKind::LoggedIn => Ev::LoggedIn,
            EventKind::Connect(t) => Ev::Connect(*t),
            EventKind::TransferStarted(size) => {
                Ev::Started(*size, ev.reply.as_ref().map_or(0, |r| r.code().get()))
            }
            EventKind::TransferDone => Ev::TransferDone,
            EventKind::Done => Ev::Done,
            EventKind::Failed(f) => Ev::Failed(*f),
            EventKind::Closed(r) => Ev::Closed(*r),
            other => Ev::Other(format!("{other:?}")),
        }
    }

    /// The event as an error, when it is not the one wanted.
    fn error(self, wanted: &str) -> String {
        match self {
            Ev::Failed(f) => f.to_string(),
            Ev::Closed(r) => r.to_string(),
            Ev::Other(what) => format!("expected {wanted}, the engine gave {what}"),
            other => format!("expected {wanted}, the engine gave {other:?}"),
        }
    }
}

/// The engine's receive buffer: the longest reply it reads whole. A longer
/// one is cut, and a cut reply gives no value (a 227 or 229 so long fails
/// the transfer); RFC 959 sets no limit, and 64 KiB leaves room for
/// servers that pad their replies (`a_long_227_or_229_block_is_read`).
const RX: usize = 65536;

/// The control connection and the engine that reads it.
struct Control {
    stream: TcpStream,
    client: Client<RX, 4096>,
    /// Events taken out of the engine to make room for more bytes.
    events: VecDeque<Ev>,
    /// A second decoder over the same bytes, only to print every reply
    /// (the engine lends only the replies that cause an event).
    log: Decoder<RX>,
    /// The last command sent, for the meaning of the replies printed.
    last: Option<Command>,
    timeout: Duration,
    /// The Telnet commands taken out of what the server sends.
    telnet: Telnet,
    /// The control connection has ended (read 0 bytes, or failed).
    eof: bool,
}

impl Control {
    /// The next event, sending what the engine has to send and reading
    /// until it gives one. A wait longer than the timeout (no reply, or a
    /// reply that never ends) fires the engine's timer, which closes the
    /// session. The wait starts again with each command sent: a step that
    /// takes two replies (USER's and PASS's, EPSV's refusal and PASV's
    /// 227) gives each its own timeout.
    fn next(&mut self) -> Result<Ev, String> {
        let mut deadline = Instant::now() + self.timeout;
        loop {
            if let Some(ev) = self.poll() {
                return Ok(ev);
            }
            if self.client.is_closed() {
                return Err("the session is closed".into());
            }
            if !self.client.transmit().is_empty() {
                // A reply already here before the command is sent belongs
                // to no command: let the engine see it first.
                self.read_ready()?;
                if let Some(ev) = self.poll() {
                    return Ok(ev);
                }
                self.send()?;
                deadline = Instant::now() + self.timeout;
                continue;
            }
            let now = Instant::now();
            if now >= deadline {
                self.client.timer_fired();
                match self.poll() {
                    Some(ev) => return Ok(ev),
                    None => return Err("the engine waits for nothing".into()),
                }
            }
            let wait = (deadline - now).max(Duration::from_millis(1));
            self.stream
                .set_read_timeout(Some(wait))
                .map_err(|e| format!("socket timeout: {e}"))?;
            let mut buf = [0u8; 4096];
            match self.stream.read(&mut buf) {
                Ok(0) => self.close_control(),
                Ok(n) => self.feed(&buf[..n]),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) if is_timeout(&e) => {
                    // The loop fires the timer once the deadline is past.
                }
                Err(e) => {
                    log!("control connection: {e}");
                    self.close_control();
                }
            }
        }
    }

    /// The control connection has ended: tells the engine.
    fn close_control(&mut self) {
        self.eof = true;
        self.client.control_closed();
    }

    /// An event taken out earlier, or the engine's next one.
    fn poll(&mut self) -> Option<Ev> {
        if let Some(ev) = self.events.pop_front() {
            return Some(ev);
        }
        self.client.poll_event().map(|ev| Ev::from(&ev))
    }

    /// Reads what the control connection has now, without waiting (a 421
    /// or a 426 during a transfer, or a reply sent too early): at most
    /// [`READY_READS`] reads, so that a server that writes without end
    /// cannot hold the caller (and its deadlines) here.
    fn read_ready(&mut self) -> Result<(), String> {
        self.stream
            .set_nonblocking(true)
            .map_err(|e| format!("socket mode: {e}"))?;
        let mut buf = [0u8; 4096];
        for _ in 0..READY_READS {
            match self.stream.read(&mut buf) {
                Ok(0) => {
                    self.close_control();
                    break;
                }
                Ok(n) => self.feed(&buf[..n]),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => break,
                Err(e) => {
                    log!("control connection: {e}");
                    self.close_control();
                    break;
                }
            }
        }
        self.stream
            .set_nonblocking(false)
            .map_err(|e| format!("socket mode: {e}"))
    }

    /// Waits until the control connection has bytes (or has ended), at
    /// most `wait`, without reading them.
    fn wait_control(&mut self, wait: Duration) -> Result<(), String> {
        self.stream
            .set_read_timeout(Some(wait))
            .map_err(|e| format!("socket timeout: {e}"))?;
        match self.stream.peek(&mut [0u8; 1]) {
            Err(e) if !is_timeout(&e) && e.kind() != io::ErrorKind::Interrupted => {
                log!("control connection: {e}");
                self.close_control();
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// Gives received bytes to the engine (and to the log), Telnet
    /// commands taken out, taking events out when its buffer is full.
    fn feed(&mut self, raw: &[u8]) {
        let data = self.telnet.data(raw);
        let mut bytes = &data[..];
        while !bytes.is_empty() {
            let n = self.client.receive(bytes);
            self.print_replies(&bytes[..n]);
            bytes = &bytes[n..];
            if !bytes.is_empty() {
                while let Some(ev) = self.client.poll_event() {
                    self.events.push_back(Ev::from(&ev));
                }
            }
        }
    }

    /// Prints each reply that `bytes` completes, with its typed payload.
    fn print_replies(&mut self, mut bytes: &[u8]) {
        loop {
            let n = self.log.push(bytes);
            bytes = &bytes[n..];
            while let Some(got) = self.log.next() {
                match got {
                    Ok(reply) => print_reply(&reply, self.last),
                    Err(e) => log!("<- (not a reply: {e})"),
                }
            }
            if bytes.is_empty() {
                return;
            }
        }
    }

    /// Sends the line the engine has released (printing it, the password
    /// masked).
    fn send(&mut self) -> Result<(), String> {
        let line = self.client.transmit().to_vec();
        if line.is_empty() {
            return Ok(());
        }
        let text = line.strip_suffix(b"\r\n").unwrap_or(&line);
        let name = text.split(|b| *b == b' ').next().unwrap_or_default();
        self.last = Command::from_name(name);
        if self.last == Some(Command::Pass) {
            log!("-> PASS ****");
        } else {
            log!("-> {}", show(text));
        }
        self.stream
            .set_write_timeout(Some(self.timeout))
            .and_then(|()| self.stream.write_all(&line))
            .map_err(|e| format!("sending {}: {e}", show(name)))?;
        self.client.sent(line.len());
        Ok(())
    }

    /// The next event, which must be `want`.
    fn expect(&mut self, wanted: &str, want: impl FnOnce(&Ev) -> bool) -> Result<Ev, String> {
        let ev = self.next()?;
        if want(&ev) {
            Ok(ev)
        } else {
            Err(ev.error(wanted))
        }
    }

    /// Runs a transfer that `start` queues in the engine: the data
    /// connection, then its bytes to `out`; returns the count of bytes
    /// received. With `whole`, a count other than the size the 150
    /// announced fails the transfer; with `ascii`, CRLF is written as LF.
    fn transfer(
        &mut self,
        out: &mut dyn Write,
        whole: bool,
        ascii: bool,
        start: &dyn Fn(&mut Client<RX, 4096>) -> Result<(), ClientError>,
    ) -> Result<u64, String> {
        start(&mut self.client).map_err(|e| format!("cannot start: {e}"))?;
        // A 229's port that cannot be reached (a firewall or NAT that
        // lets PASV's ports through only) makes the engine send PASV in
        // EPSV's place, as curl does: a second `Connect` follows.
        let mut data = loop {
            let target = match self.next()? {
                Ev::Connect(t) => t,
                // The engine sends PASV itself when EPSV is refused (4xx,
                // 5xx) or answered with a 3xx or with no port; what is
                // left is an answer that names port 0 or is no reply: the
                // transfer starts again with PASV, as curl does for any
                // answer to EPSV but a 229 it cannot read. A refusal is
                // PASV's own (the engine sent PASV after any answer to EPSV
                // but a 1xx, which closes the session, or a 2xx): asking
                // again would only repeat it.
                // The engine's PASV after a 4xx to EPSV (for this
                // transfer only) answered with port 0 is PASV's own answer
                // too: sending PASV again would only repeat it.
                Ev::Failed(f)
                    if !self.client.passive_fallback()
                        && !unreadable_229(&f)
                        && f.reason != FailReason::Refused
                        && self.last != Some(Command::Pasv) =>
                {
                    log!("warning: no data connection from EPSV ({f}); trying PASV");
                    self.client.use_pasv();
                    start(&mut self.client).map_err(|e| format!("cannot start: {e}"))?;
                    continue;
                }
                other => return Err(other.error("a passive reply")),
            };
            if let (Some(offered), Some(concern)) = (target.offered, target.concern) {
                let why = match concern {
                    PassiveConcern::Unspecified => "no address (0.0.0.0)",
                    PassiveConcern::Loopback => "a loopback address",
                    PassiveConcern::LinkLocal => "a link-local address",
                    PassiveConcern::Broadcast => "a broadcast or multicast address",
                    PassiveConcern::DiffersFromPeer => "not the server's address",
                    _ => "a suspect address",
                };
                log!(
                    "warning: the server offered {offered} ({why}); connecting to {} instead",
                    target.connect_to
                );
            }
            let to = match self.stream.peer_addr() {
                Ok(peer) => with_zone(target.connect_to, peer),
                Err(_) => target.connect_to,
            };
            log!("data connection to {to}");
            match TcpStream::connect_timeout(&to, CONNECT_TIMEOUT) {
                Ok(d) => break d,
                Err(e) => {
                    let pasv_before = self.client.passive_fallback();
                    let _ = self.client.data_failed();
                    if pasv_before || !self.client.passive_fallback() {
                        // The transfer command was never sent: the engine
                        // fails the operation (its `Failed`, taken here)
                        // and the session is open and idle, so `run` ends
                        // it with QUIT, as after a refused PASV.
                        let _ = self.poll();
                        return Err(format!("data connection to {to}: {e}"));
                    }
                    // `next` sends the PASV.
                    log!("warning: data connection to {to}: {e}; trying PASV");
                }
            }
        };
        self.client
            .data_connected()
            .map_err(|e| format!("engine: {e}"))?;
        data.set_read_timeout(Some(DATA_SLICE))
            .map_err(|e| format!("socket timeout: {e}"))?;
        // The data is read from now on, not after the 150: a server may
        // write the file before its 150, and one larger than the socket
        // buffers would then wait for a reader that waits for the 150.
        // `None` until the 125 or 150 (or, for a listing, a 226 in its
        // place) comes.
        let mut started: Option<Option<u64>> = None;
        let mut buf = vec![0u8; 64 * 1024];
        let mut sink = Sink {
            out,
            lines: ascii.then(LineEnds::default),
            converted: Vec::new(),
            total: 0,
        };
        // Data read before the 125 or 150 waits here, up to `HOLD`, until
        // the 150 says the transfer started: a server that answers 550 (or
        // 425) after writing has sent no file, and nothing of it goes to
        // standard output. Past `HOLD` (a server that writes the whole
        // file before its 150) it is written as it comes.
        let mut held = Vec::new();
        let mut spilled = false;
        let mut data_ended = false;
        // A data connection that failed before the 150: whether it lost
        // anything is known once the 150 says how much was sent.
        let mut reset = None;
        // The silence of the data connection counts from its last byte,
        // or from the 125 or 150 when that came later: the wait for the
        // 150 has a timeout of its own, and is not taken out of this one.
        let mut quiet_since = Instant::now();
        let mut silence_counted = false;
        // The 125 or 150 must come within the timeout, data flowing or not:
        // a server that floods the data connection and never answers is
        // not read forever.
        let asked = Instant::now();
        let ended = loop {
            // The transfer command (after REST, if any) goes out; replies
            // come: the 150, or the server giving up (425, 550, 426, 421).
            // (Bytes held are not counted: a 450 after them is still an
            // empty listing, and they are dropped.)
            let taken = self.take_replies(&mut started, sink.total, held.len());
            if started.is_some() && !silence_counted {
                silence_counted = true;
                quiet_since = Instant::now();
                // The bytes held for the 150, cut at its size: written
                // even when the session fails right after the 150 (the
                // control connection lost), as bytes read after it are.
                let cap = started.flatten().filter(|_| whole);
                let cut = sink.deliver(&std::mem::take(&mut held), cap)?;
                if let (Some(size), Ok(_)) = (cut, &taken) {
                    break Err(over(size));
                }
            }
            if taken? {
                return Ok(0);
            }
            if data_ended && started.is_some() {
                break match reset.take() {
                    // Reset before the 150, after every byte it announced.
                    Some(e) if whole && started.flatten() == Some(sink.total) => {
                        log!(
                            "warning: data connection: {e}, after all {} bytes",
                            sink.total
                        );
                        Ok(())
                    }
                    Some(e) => Err(format!("data transfer: {e}")),
                    None => Ok(()),
                };
            }
            if self.client.is_closed() {
                return Err("the session is closed".into());
            }
            if started.is_none() && asked.elapsed() >= self.timeout {
                self.client.timer_fired();
                return Err(match self.poll() {
                    Some(ev) => ev.error("the transfer's start"),
                    None => "the engine waits for nothing".into(),
                });
            }
            self.send()?;
            if data_ended {
                // The data ended before the 150: wait for it on the
                // control connection.
                self.wait_control(DATA_SLICE)?;
                continue;
            }
            match data.read(&mut buf) {
                Ok(0) => data_ended = true,
                Ok(n) => {
                    let got = buf.get(..n).unwrap_or_default();
                    quiet_since = Instant::now();
                    if started.is_none() && !spilled {
                        if held.len() + n <= HOLD {
                            held.extend_from_slice(got);
                            continue;
                        }
                        // More than a reply's worth of waiting: written now.
                        spilled = true;
                        sink.deliver(&std::mem::take(&mut held), None)?;
                    }
                    // More than the 150 announced: the count fails already,
                    // so reading stops here (a server that never stops
                    // sending would otherwise be read forever); what was
                    // announced is written, as curl writes it.
                    let cap = started.flatten().filter(|_| whole);
                    if let Some(size) = sink.deliver(got, cap)? {
                        break Err(over(size));
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                // Every byte the 150 announced has come (curl stops
                // reading there): a data connection the server then keeps
                // open after its 226, or resets in place of closing, has
                // lost nothing. More bytes would still fail the count.
                Err(e) if whole && started.flatten() == Some(sink.total) => {
                    if !is_timeout(&e) {
                        log!(
                            "warning: data connection: {e}, after all {} bytes",
                            sink.total
                        );
                        break Ok(());
                    }
                    let confirmed = matches!(
                        self.client.waiting(),
                        Waiting::TransferEnd { reply: false, .. }
                    );
                    if confirmed {
                        log!("warning: the data connection stays open after the 226");
                        break Ok(());
                    }
                    if quiet_since.elapsed() >= self.timeout {
                        break Err(silent(self.timeout));
                    }
                }
                Err(e) if started.is_none() && !is_timeout(&e) => {
                    reset = Some(e);
                    data_ended = true;
                }
                // Before the 125 or 150, the wait for it says what is
                // missing (the loop's first check).
                Err(e) if is_timeout(&e) => {
                    if started.is_some() && quiet_since.elapsed() >= self.timeout {
                        break Err(silent(self.timeout));
                    }
                }
                Err(e) => break Err(format!("data transfer: {e}")),
            }
        };
        let Sink {
            out, lines, total, ..
        } = sink;
        drop(data);
        if lines.is_some_and(|l| l.cr) {
            // A CR that ends the data is no line end.
            out.write_all(b"\r")
                .map_err(|e| format!("standard output: {e}"))?;
        }
        out.flush().map_err(|e| format!("standard output: {e}"))?;
        log!("({total} bytes received)");
        if let Err(e) = ended {
            // The transfer failed whatever the server says next: no wait
            // for its final reply (a silent data connection would wait
            // out a second timeout), only what has come already.
            let _ = self.client.data_failed();
            self.read_ready()?;
            return Err(match self.poll() {
                Some(Ev::Failed(f)) => format!("{e}; {f}"),
                Some(Ev::Closed(r)) => format!("{e}; {r}"),
                _ => e,
            });
        }
        self.client.data_end().map_err(|e| format!("engine: {e}"))?;
        // The 150 came before this point (the loop waits for it when the
        // data ends first): what is left is the final reply.
        let done = self.next()?;
        match (done, started.flatten()) {
            (Ev::TransferDone, Some(n)) if whole && n != total => Err(format!(
                "received {total} bytes, but the server announced {n}"
            )),
            (Ev::TransferDone, _) => Ok(total),
            (Ev::Failed(f), _) if no_files(&f, started, total) => {
                log!("({f}: no files, an empty listing)");
                Ok(0)
            }
            (other, _) => Err(other.error("the transfer's end")),
        }
    }

    /// Takes the replies the control connection has now, during a
    /// transfer: the 125 or 150 into `started`. True for a 450 in place
    /// of a listing's 150, or a 226 or 250 there with no byte come (an
    /// empty listing); an error for anything else. `held`: the bytes held
    /// for the 150.
    fn take_replies(
        &mut self,
        started: &mut Option<Option<u64>>,
        total: u64,
        held: usize,
    ) -> Result<bool, String> {
        self.read_ready()?;
        while let Some(ev) = self.poll() {
            match ev {
                // A 226 (or 250) in place of a listing's 150, no byte
                // come yet: the engine's empty listing
                // (`list_226_with_no_150`). Such a server may never take
                // the data connection (it waits in the listener's queue,
                // or is reset when the listener closes): it is not read.
                // Bytes that came before the 226 are the listing the
                // server sent and stands behind (a 226, unlike a 450,
                // says the transfer went whole): they are written, and
                // the data connection read to its end, as after a 150
                // with no size (the next arm).
                Ev::Started(_, code)
                    if started.is_none() && total == 0 && held == 0 && code >= 200 =>
                {
                    log!("(a {code} in place of the 150: an empty listing)");
                    self.client.data_end().map_err(|e| format!("engine: {e}"))?;
                    return match self.next()? {
                        // A reply come already behind it (`226` then
                        // `150`): the server takes its empty listing back.
                        // The session's end there (a 421 or a 221, the
                        // connection closed) takes nothing back: it ends
                        // the session after the listing, as after any
                        // listing's end (exit 0, no QUIT; `quit` reads
                        // it).
                        Ev::TransferDone => match self.poll() {
                            Some(
                                ev @ Ev::Closed(
                                    CloseReason::ServiceClosing(_) | CloseReason::ConnectionLost,
                                ),
                            ) => {
                                self.events.push_front(ev);
                                Ok(true)
                            }
                            Some(ev @ Ev::Closed(CloseReason::Unexpected(code)))
                                if code.get() == 221 =>
                            {
                                self.events.push_front(ev);
                                Ok(true)
                            }
                            Some(ev) => Err(ev.error("the listing's end")),
                            None => Ok(true),
                        },
                        other => Err(other.error("the transfer's end")),
                    };
                }
                Ev::Started(size, _) if started.is_none() => {
                    note_start(size);
                    *started = Some(size);
                }
                Ev::Failed(f) if no_files(&f, *started, total) => {
                    log!("({f}: no files, an empty listing)");
                    return Ok(true);
                }
                other => return Err(other.error("nothing during the transfer")),
            }
        }
        Ok(false)
    }

    /// Sends QUIT and reads its answer, for a session whose work is done
    /// (or has failed): a server that closed first, or does not answer
    /// within `wait`, is only reported.
    fn quit(&mut self, wait: Duration) -> Result<(), String> {
        self.timeout = self.timeout.min(wait);
        if let Err(e) = self.client.quit() {
            // Closed already: the server ended the session after the
            // transfer's end (its event says how): a 421, closing, is
            // an end as QUIT's would be (as it is when it answers QUIT).
            return match self.poll() {
                Some(Ev::Closed(CloseReason::ServiceClosing(_))) => Ok(()),
                Some(ev) => Err(ev.error("QUIT")),
                None => Err(e.to_string()),
            };
        }
        // RFC 959 answers QUIT with 221 (or 500); any answer ends the
        // session, an odd one with a warning.
        match self.next()? {
            Ev::QuitEnded(Some(221)) | Ev::Closed(CloseReason::ServiceClosing(_)) => Ok(()),
            Ev::QuitEnded(Some(code)) => Err(format!("QUIT was answered {code}, not 221")),
            // No reply: the connection ended, or the answer was no reply
            // (`221bye`, which the engine takes as QUIT's end too).
            Ev::QuitEnded(None) if self.eof => {
                Err("the server closed the connection with no answer to QUIT".into())
            }
            Ev::QuitEnded(None) => Err("QUIT was answered with a line that is no reply".into()),
            other => Err(other.error("QUIT's answer")),
        }
    }
}

/// Telnet (RFC 854) on the control connection: RFC 959's control
/// connection is a Telnet connection, so in what the server sends a byte
/// 255 (IAC) starts a Telnet command. The crate's
/// [`ftp_reply::telnet::Telnet`] takes the commands out (`IAC IAC` is the
/// data byte 255; option negotiation and the other commands are dropped,
/// not answered, as lftp reads the control connection; an IAC before a
/// byte that is no command is data, and so is that byte, as curl reads
/// them: `550 caf\xff\n` still ends at its LF). A NUL is taken out here
/// too: it is the NVT's no-operation (RFC 854), and `CR NUL` is how Telnet
/// sends a CR alone, so `226 done\r\0more` is `226 done\rmore` (curl
/// takes such a line as well; the crate's grammar, which reads raw lines,
/// refuses a NUL). The state is kept across reads, since a command may be
/// cut between two.
#[derive(Debug, Default, Clone, Copy)]
struct Telnet(ftp_reply::telnet::Telnet);

impl Telnet {
    /// The data in `bytes`: `bytes` itself when no command or NUL is in it
    /// or pending (the common case), else a copy without them.
    fn data<'a>(&mut self, bytes: &'a [u8]) -> std::borrow::Cow<'a, [u8]> {
        if !self.0.is_pending() && !bytes.iter().any(|&b| b == 255 || b == 0) {
            return bytes.into();
        }
        let mut out = vec![0; bytes.len() + 1];
        let (_, n) = self.0.strip(bytes, &mut out);
        out.truncate(n);
        out.retain(|&b| b != 0);
        out.into()
    }
}

/// How much of the data that comes before the 125 or 150 is held until
/// it comes (1 MiB); more is written as it comes.
const HOLD: usize = 1 << 20;

/// The error for more data than the 150 announced.
fn over(size: u64) -> String {
    format!("the server sent more than the {size} bytes it announced")
}

/// Where a transfer's data goes: standard output, CRLF turned into LF in
/// ASCII type, and the count of bytes taken.
struct Sink<'o> {
    out: &'o mut dyn Write,
    lines: Option<LineEnds>,
    converted: Vec<u8>,
    total: u64,
}

impl Sink<'_> {
    /// Writes `got`, cut at `cap` bytes in all; returns the cap when
    /// `got` went past it.
    fn deliver(&mut self, got: &[u8], cap: Option<u64>) -> Result<Option<u64>, String> {
        let mut got = got;
        let over = match cap {
            Some(size) if self.total + got.len() as u64 > size => {
                let room = size.saturating_sub(self.total);
                got = got.get(..room as usize).unwrap_or_default();
                Some(size)
            }
            _ => None,
        };
        let bytes = match self.lines.as_mut() {
            Some(l) => {
                self.converted.clear();
                l.convert(got, &mut self.converted);
                &self.converted[..]
            }
            None => got,
        };
        self.out
            .write_all(bytes)
            .map_err(|e| format!("standard output: {e}"))?;
        self.total += got.len() as u64;
        Ok(over)
    }
}

/// CRLF to LF, for what comes in ASCII type. A CR that ends one read is
/// held until the next shows whether an LF follows; any other CR is kept.
#[derive(Debug, Default, Clone, Copy)]
struct LineEnds {
    /// The last byte seen was a CR, not written yet.
    cr: bool,
}

impl LineEnds {
    fn convert(&mut self, bytes: &[u8], out: &mut Vec<u8>) {
        for &b in bytes {
            if self.cr && b != b'\n' {
                out.push(b'\r');
            }
            self.cr = b == b'\r';
            if !self.cr {
                out.push(b);
            }
        }
    }
}

/// True for a 229 whose tuple could not be read (curl fails on one too,
/// with no PASV); a 229 naming port 0 is `PortZero`, not this.
fn unreadable_229(f: &Failure) -> bool {
    matches!(f.reason, FailReason::Malformed(_)) && f.code.map(ReplyCode::get) == Some(229)
}

/// True for a 450 in place of a listing's 150 (`450 No files found`,
/// wu-ftpd's and others' answer for an empty directory): an empty
/// listing, as curl takes it, not a failure.
/// Only before any 1xx and any data.
fn no_files(f: &Failure, started: Option<Option<u64>>, total: u64) -> bool {
    started.is_none()
        && total == 0
        && matches!(f.command, Some(Command::List | Command::Nlst))
        && f.code.map(ReplyCode::get) == Some(450)
}

/// The error for a data connection silent for `timeout`.
fn silent(timeout: Duration) -> String {
    format!("the data connection was silent for {timeout:?}")
}

/// Prints the size a 150 announced, if it did.
fn note_start(size: Option<u64>) {
    if let Some(n) = size {
        log!("(the server announces {n} bytes)");
    }
}

/// Prints a reply line by line, the typed payload after the last line.
fn print_reply(reply: &Reply<'_>, after: Option<Command>) {
    let raw = reply.as_bytes();
    let lines: Vec<&[u8]> = raw
        .strip_suffix(b"\n")
        .unwrap_or(raw)
        .split(|b| *b == b'\n')
        .map(|l| l.strip_suffix(b"\r").unwrap_or(l))
        .collect();
    let note = describe(reply, after).map(|d| format!("  [{d}]"));
    for (i, line) in lines.iter().enumerate() {
        let tail = if i + 1 == lines.len() {
            note.as_deref().unwrap_or("")
        } else {
            ""
        };
        log!("<- {}{tail}", show(line));
    }
}

/// Whether a read error is the socket's read timeout. std documents the
/// kind by platform: `WouldBlock` on Unix, `TimedOut` on Windows. On Unix
/// a `TimedOut` is ETIMEDOUT, a connection the kernel gave up on (after
/// which reads give 0, which would look like a clean end): an error.
fn is_timeout(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::WouldBlock || (cfg!(windows) && e.kind() == io::ErrorKind::TimedOut)
}

/// `url` with its password (after `user:`, before the authority's last
/// `@`) written as `****`, for an error message: the log masks it
/// everywhere (`-> PASS ****`).
fn redacted(url: &str) -> String {
    let start = url.find("//").map_or(0, |i| i + 2);
    let end = url[start..]
        .find(['/', '?', '#'])
        .map_or(url.len(), |i| start + i);
    let authority = &url[start..end];
    match authority
        .rfind('@')
        .map(|at| (authority[..at].find(':'), at))
    {
        Some((Some(colon), at)) => {
            format!("{}****{}", &url[..start + colon + 1], &url[start + at..])
        }
        _ => url.to_owned(),
    }
}

/// The data connection's address, with the control connection's IPv6
/// zone when it names the same host: the engine holds the peer as an
/// `IpAddr`, which has no zone, and a link-local address (`fe80::...`)
/// cannot be reached without one (`ftp://[fe80::1%25eth0]/f`).
fn with_zone(to: SocketAddr, peer: SocketAddr) -> SocketAddr {
    match (to, peer) {
        (SocketAddr::V6(mut to), SocketAddr::V6(peer))
            if to.scope_id() == 0 && to.ip() == peer.ip() =>
        {
            to.set_scope_id(peer.scope_id());
            SocketAddr::V6(to)
        }
        _ => to,
    }
}

fn connect(t: &Target) -> Result<TcpStream, String> {
    let addrs: Vec<SocketAddr> = (t.host.as_str(), t.port)
        .to_socket_addrs()
        .map_err(|e| format!("cannot resolve {}: {e}", t.host))?
        .collect();
    let mut last = None;
    for a in &addrs {
        log!("connecting to {a}");
        match TcpStream::connect_timeout(a, CONNECT_TIMEOUT) {
            Ok(s) => return Ok(s),
            Err(e) => last = Some(format!("{a}: {e}")),
        }
    }
    // An IPv6 literal in brackets, as in the URL: `[::1]:21`.
    let host = if t.host.contains(':') {
        format!("[{}]", t.host)
    } else {
        t.host.clone()
    };
    Err(format!(
        "cannot connect to {host}:{}: {}",
        t.port,
        last.unwrap_or_else(|| "no address".into())
    ))
}

/// Fetches or lists `url` into `out`, `timeout` being the reply and
/// data-silence timeout.
fn run(url: &str, out: &mut dyn Write, timeout: Duration) -> Result<(), String> {
    let t = parse_url(url)?;
    let stream = connect(&t)?;
    let peer = stream
        .peer_addr()
        .map_err(|e| format!("peer address: {e}"))?
        .ip();
    let mut c = Control {
        stream,
        client: Client::new(peer),
        events: VecDeque::new(),
        log: Decoder::new(),
        last: None,
        timeout,
        telnet: Telnet::default(),
        eof: false,
    };
    let done = session(&mut c, &t, out);
    if done.is_err() && c.client.is_idle() {
        // A command was refused (a 550, a 530, a short file after its
        // 226) and the session is still open and idle: it is ended as RFC
        // 959 ends one, with QUIT, as curl does, not by closing the
        // connection under the server. Its answer changes nothing.
        let _ = c.quit(QUIT_AFTER_FAILURE_TIMEOUT);
    }
    done
}

/// The session's work once connected: login, the CWDs, TYPE, and the
/// transfer, then QUIT.
fn session(c: &mut Control, t: &Target, out: &mut dyn Write) -> Result<(), String> {
    let engine = |e| format!("cannot start: {e}");

    // The engine waits for the greeting (120 then 220 is fine) before USER.
    c.client.login(&t.user, &t.pass, None).map_err(engine)?;
    c.expect("a login", |ev| matches!(ev, Ev::LoggedIn))?;

    // Into the file's directory one segment at a time (RFC 1738 3.2.2, as
    // curl does), then LIST (NLST for ;type=d) with no argument, or RETR
    // of the name: servers glob a LIST argument (proftpd and pure-ftpd
    // list `dir` for `d[i]r/`), pure-ftpd splits it at spaces (`with
    // spaces/` lists nothing), and some list a file named `f.txt/`; CWD
    // takes the name as it is.
    for dir in &t.dirs {
        c.client.cwd(dir).map_err(engine)?;
        c.expect("CWD's answer", |ev| matches!(ev, Ev::Done))?;
    }
    let is_dir = t.name.is_empty();
    if !is_dir {
        if t.typecode == Some(b'a') {
            c.client.raw(b"TYPE A").map_err(engine)?;
        } else {
            c.client.binary().map_err(engine)?;
        }
        c.expect("TYPE's answer", |ev| matches!(ev, Ev::Done))?;
    }
    let start = |client: &mut Client<RX, 4096>| match (is_dir, t.typecode) {
        (true, Some(b'd')) => client.nlst(None),
        (true, _) => client.list(None),
        (false, _) => client.retrieve(&t.name, 0),
    };
    // An ASCII transfer may change line ends: the announced size is the
    // file's, and CRLF becomes LF here.
    let ascii = is_dir || t.typecode == Some(b'a');
    c.transfer(out, !ascii, ascii, &start)?;

    // The file is whole and the server said so: how the session ends
    // (no answer to QUIT, the connection closed first) changes nothing.
    if let Err(e) = c.quit(QUIT_TIMEOUT) {
        log!("warning: after the transfer: {e}");
    }
    Ok(())
}

/// What a usage error and `--help` print.
const USAGE: &str = "usage: client ftp://[user[:pass]@]host[:port]/path
  a path ending in / (or empty) is listed (LIST; NLST for ;type=d, which
  lists any path), any other is fetched to stdout";

/// An argument as text: on Unix, a byte that is not UTF-8 (a Latin-1 `é`
/// in a name) is percent-encoded, so it goes out as it came, as curl sends
/// it; elsewhere such an argument is a usage error (None).
fn arg_text(arg: std::ffi::OsString) -> Option<String> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let mut text = String::new();
        for chunk in arg.as_bytes().utf8_chunks() {
            text.push_str(chunk.valid());
            for b in chunk.invalid() {
                text.push_str(&format!("%{b:02X}"));
            }
        }
        Some(text)
    }
    #[cfg(not(unix))]
    {
        arg.into_string().ok()
    }
}

fn main() -> ExitCode {
    // `env::args` panics on an argument that is not UTF-8 (exit 101).
    let args: Option<Vec<String>> = std::env::args_os().skip(1).map(arg_text).collect();
    let Some([url]) = args.as_deref() else {
        log!("{USAGE}");
        return ExitCode::from(2);
    };
    if url == "--help" || url == "-h" {
        // Not `println!`, which panics (exit 101) on a full or closed
        // standard output: exit 1, as a fetch into one does.
        return match writeln!(io::stdout(), "{USAGE}") {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                log!("client: error: standard output: {e}");
                ExitCode::FAILURE
            }
        };
    }
    match run(url, &mut io::stdout().lock(), io_timeout()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            log!("client: error: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The four local test servers, for the real-server test below.
#[cfg(test)]
#[path = "../tests/common/servers.rs"]
#[allow(dead_code)]
mod servers;

#[cfg(test)]
mod tests {
    //! The URL reader, and whole sessions against scripted servers on
    //! 127.0.0.1 (`[[example]] test = true` in Cargo.toml runs them).

    use super::*;
    use std::io::{BufRead, BufReader};
    use std::net::TcpListener;
    use std::thread;

    proptest::proptest! {
        #![proptest_config(proptest::test_runner::Config {
            cases: 4000,
            rng_seed: proptest::test_runner::RngSeed::Fixed(58),
            failure_persistence: None,
            ..proptest::test_runner::Config::default()
        })]

        /// Any text is a URL or an error, never a panic; a URL read has a
        /// host and a port from 1; an error that quotes the URL does not
        /// quote its password (`redacted`).
        #[test]
        fn any_text_reads_as_a_url_or_an_error(
            url in "(ftp|FTP|ftps|x)?(://)?(bob(:[a-z%0-9@:]{0,6})?@)?[a-zA-Z0-9:@/%;=.?#\\[\\]\u{e9} -]{0,40}"
        ) {
            match parse_url(&url) {
                Ok(t) => {
                    proptest::prop_assert!(!t.host.is_empty());
                    proptest::prop_assert!(t.port != 0);
                    // "`%0D`, `%0A` and `%00` ... are refused".
                    for part in t.dirs.iter().chain([&t.name, &t.user, &t.pass]) {
                        proptest::prop_assert!(!part.iter().any(|b| matches!(b, b'\r' | b'\n' | 0)));
                    }
                }
                Err(e) => {
                    let authority = url.split("//").nth(1).unwrap_or("");
                    let authority = authority.split(['/', '?', '#']).next().unwrap_or("");
                    if let Some((userinfo, _)) = authority.rsplit_once('@')
                        && let Some((_, pass)) = userinfo.split_once(':')
                        && pass.len() > 2
                        && e.contains(&url)
                    {
                        proptest::prop_assert!(false, "{e} quotes the password {pass}");
                    }
                }
            }
            let _ = redacted(&url);
            let _ = remove_dot_segments(&url);
            let _ = percent_decode("path", &url);
        }
    }

    #[test]
    fn url_anonymous_gets_a_password() {
        for url in [
            "ftp://h/f",
            "ftp://anonymous@h/f",
            "ftp://FTP:@h/f",
            "ftp://Anonymous@h/f",
        ] {
            let t = parse_url(url).unwrap();
            assert_eq!(t.pass, b"anonymous@", "{url}");
        }
        let t = parse_url("ftp://bob@h/f").unwrap();
        assert_eq!((&t.user[..], &t.pass[..]), (&b"bob"[..], &b""[..]));
        let t = parse_url("ftp://anonymous:me%40x@h/f").unwrap();
        assert_eq!(t.pass, b"me@x");
        // An empty user name is anonymous, as in Python's ftplib: USER
        // cannot be sent empty.
        for (url, pass) in [("ftp://@h/f", &b"anonymous@"[..]), ("ftp://:pw@h/f", b"pw")] {
            let t = parse_url(url).unwrap();
            assert_eq!(
                (&t.user[..], &t.pass[..]),
                (&b"anonymous"[..], pass),
                "{url}"
            );
        }
    }

    /// The directories, the name and the typecode a URL gives.
    fn steps(url: &str) -> (Vec<Vec<u8>>, Vec<u8>, Option<u8>) {
        let t = parse_url(url).unwrap();
        (t.dirs, t.name, t.typecode)
    }

    fn owned(
        dirs: &[&str],
        name: &str,
        typecode: Option<u8>,
    ) -> (Vec<Vec<u8>>, Vec<u8>, Option<u8>) {
        let dirs = dirs.iter().map(|d| d.as_bytes().to_vec()).collect();
        (dirs, name.as_bytes().to_vec(), typecode)
    }

    #[test]
    fn timeout_values() {
        assert_eq!(timeout_from(None), Duration::from_secs(30));
        assert_eq!(timeout_from(Some("2.5")), Duration::from_millis(2500));
        for bad in ["0", "-1", "NaN", "inf", "x", ""] {
            assert_eq!(timeout_from(Some(bad)), Duration::from_secs(30), "{bad}");
        }
        // Huge values are capped: a deadline that far off still adds to
        // `Instant::now()` (1e19 s panicked there).
        for huge in ["1e19", "1e300"] {
            let t = timeout_from(Some(huge));
            assert_eq!(t, Duration::from_secs_f64(MAX_TIMEOUT), "{huge}");
            assert!(Instant::now().checked_add(t).is_some());
        }
    }

    #[test]
    fn url_scheme_fragment_and_typecode() {
        let t = parse_url("FTP://h:2121/d/f.bin;type=A#top").unwrap();
        assert_eq!((&t.host[..], t.port), ("h", 2121));
        assert_eq!(
            steps("FTP://h:2121/d/f.bin;type=A#top"),
            owned(&["d"], "f.bin", Some(b'a'))
        );
        assert_eq!(steps("ftp://h/d;TYPE=d"), owned(&["d"], "", Some(b'd')));
        // Not a typecode: part of the name.
        for (url, name) in [
            ("ftp://h/f;type=x", "f;type=x"),
            ("ftp://h/a;b", "a;b"),
            ("ftp://h/%E2%82%AC;\u{20ac}\u{20ac}", "€;€€"),
        ] {
            assert_eq!(steps(url), owned(&[], name, None), "{url}");
        }
        // A query is not part of the path (RFC 3986 3.4); %3F is a `?`.
        assert_eq!(
            steps("ftp://h/d/f.bin?x=1;type=a"),
            owned(&["d"], "f.bin", None)
        );
        assert_eq!(
            steps("ftp://h/f.bin;type=a?x#y"),
            owned(&[], "f.bin", Some(b'a'))
        );
        assert_eq!(steps("ftp://h/a%3Fb"), owned(&[], "a?b", None));
        assert_eq!(steps("ftp://h/a%09b"), owned(&[], "a\tb", None));
        // CR, LF and NUL are refused before connecting, escaped or not,
        // and so is any other control byte that is not escaped (`%09` is
        // a tab in a name); a port is digits, not 0.
        for url in [
            "ftp://h/f\r\nDELE x",
            "ftp://u\n@h/f",
            "ftp://h/f\tx",
            "ftp://h/f\x01x",
            "ftp://h/f\x7f",
            "ftp://h/f%00x",
            "ftp://h/d%0D/f",
            "ftp://u%0A@h/f",
            "ftp://u:p%00@h/f",
            "ftp://h:+21/f",
            "ftp://h:0/f",
            "ftp://h:65536/f",
        ] {
            assert!(parse_url(url).is_err(), "{url}");
        }
        // A query also ends an authority that no path follows (RFC 3986
        // 3.2): a listing of the login directory.
        for url in [
            "ftp://u:p@h:2121?x=1",
            "ftp://u:p@h:2121?x/y",
            "ftp://u:p@h:2121#f?",
        ] {
            let t = parse_url(url).unwrap();
            assert_eq!((&t.host[..], t.port), ("h", 2121), "{url}");
            assert_eq!(steps(url), owned(&[], "", None), "{url}");
        }
        assert!(parse_url("http://h/f").is_err());
        assert!(parse_url("ftp:/").is_err());
        // An escape is `%` and two hex digits, no sign, no fewer.
        for url in [
            "ftp://h/a%+Ab",
            "ftp://h/a%-1",
            "ftp://h/a%4",
            "ftp://u%zz@h/f",
        ] {
            let got = parse_url(url).map(|t| t.name);
            assert!(
                got.as_ref()
                    .is_err_and(|e| e.starts_with("bad percent escape")),
                "{url}: {got:?}"
            );
        }
        // A host with a `:` outside brackets, or bytes after the `]` of
        // one in brackets, is no host: an error, not a name to resolve.
        for url in ["ftp://h:1:2/f", "ftp://::1/f", "ftp://[::1]x/f"] {
            let got = parse_url(url).map(|t| (t.host, t.port));
            assert!(
                got.as_ref().is_err_and(|e| e.starts_with("bad host")),
                "{url}: {got:?}"
            );
        }
        // `[::1]:` is the default port; a `:` in the path is a name's.
        for (url, port) in [("ftp://[::1]:2121/f", 2121), ("ftp://[::1]:/f:", 21)] {
            let got = parse_url(url).map(|t| (t.host, t.port));
            assert_eq!(got, Ok(("::1".to_owned(), port)), "{url}");
        }
        // An error names an IPv6 host in brackets, as the URL does (port 1,
        // tcpmux, is served nowhere here).
        let got = connect(&parse_url("ftp://[::1]:1/f").unwrap()).map(|_| ());
        assert!(
            got.as_ref()
                .is_err_and(|e| e.starts_with("cannot connect to [::1]:1: ")),
            "{got:?}"
        );
        // RFC 6874's zone: `%25` then the zone, given to the resolver as
        // `%zone`, which it reads (the loopback interface is 1 on Linux).
        let t = parse_url("ftp://[fe80::1%25lo]:2121/f").unwrap();
        assert_eq!(t.host, "fe80::1%lo");
        if cfg!(target_os = "linux") {
            let addr = (t.host.as_str(), t.port).to_socket_addrs().unwrap().next();
            assert_eq!(addr, Some("[fe80::1%1]:2121".parse().unwrap()));
        }
    }

    /// The data connection keeps the control connection's zone when it
    /// goes to the same host: a link-local peer has no route without it.
    #[test]
    fn the_data_connection_keeps_the_peers_zone() {
        let a = |s: &str| s.parse::<SocketAddr>().unwrap();
        let peer = a("[fe80::1%2]:21");
        assert_eq!(with_zone(a("[fe80::1]:5000"), peer), a("[fe80::1%2]:5000"));
        // Another host, a zone of its own, IPv4: as the engine named them.
        assert_eq!(with_zone(a("[fe80::2]:5000"), peer), a("[fe80::2]:5000"));
        assert_eq!(
            with_zone(a("[fe80::1%3]:5000"), peer),
            a("[fe80::1%3]:5000")
        );
        assert_eq!(
            with_zone(a("127.0.0.1:5000"), a("127.0.0.1:21")),
            a("127.0.0.1:5000")
        );
    }

    /// An error message that quotes the URL masks its password.
    #[test]
    fn a_url_in_an_error_has_its_password_masked() {
        assert_eq!(redacted("ftps://bob:s3:cr@t@h/f"), "ftps://bob:****@h/f");
        assert_eq!(redacted("ftp://bob:pw@/f?x#y"), "ftp://bob:****@/f?x#y");
        assert_eq!(redacted("ftp://bob@h/a:b@c"), "ftp://bob@h/a:b@c");
        assert_eq!(redacted("ftp://h:21/f"), "ftp://h:21/f");
        assert_eq!(redacted("bob:pw@h"), "bob:****@h");
        assert_eq!(redacted("ftp://"), "ftp://");
    }

    /// A byte that is not UTF-8 in the argument is percent-encoded, so
    /// the name goes out with the byte as it came (Unix).
    #[cfg(unix)]
    #[test]
    fn an_argument_that_is_not_utf8_is_percent_encoded() {
        use std::os::unix::ffi::OsStringExt;
        let arg = std::ffi::OsString::from_vec(b"ftp://h/caf\xe9/\xe2\x82\xac%41".to_vec());
        let text = arg_text(arg).unwrap();
        assert_eq!(text, "ftp://h/caf%E9/\u{20ac}%41");
        let want = (
            vec![b"caf\xe9".to_vec()],
            "\u{20ac}A".as_bytes().to_vec(),
            None,
        );
        assert_eq!(steps(&text), want);
    }

    #[test]
    fn url_path_is_one_cwd_per_segment() {
        // RFC 1738 3.2.2, as curl does: each directory its own CWD, each
        // segment decoded on its own (%2F is a `/` inside one CWD); an
        // empty first segment is the root, other empty ones are skipped.
        for (url, dirs, name) in [
            ("ftp://h/a/b/c.txt", &["a", "b"][..], "c.txt"),
            ("ftp://h//etc/motd", &["/", "etc"], "motd"),
            ("ftp://h/%2Fetc/motd", &["/etc"], "motd"),
            ("ftp://h/a//b/c", &["a", "b"], "c"),
            ("ftp://h/a%2Fb/c%20d", &["a/b"], "c d"),
            ("ftp://h/a/b/", &["a", "b"], ""),
            ("ftp://h/", &[], ""),
            ("ftp://h", &[], ""),
            ("ftp://h/f", &[], "f"),
        ] {
            assert_eq!(steps(url), owned(dirs, name, None), "{url}");
        }
    }

    #[test]
    fn dot_segments_are_taken_out_first() {
        // RFC 3986 5.2.4, as curl 7.88 sends them (checked against a
        // scripted server): `a/../f` is `RETR f` with no CWD, `..` stops at
        // the login directory, a dot segment that ends the path leaves a
        // directory to list; `%2E%2E` is a name, and so is `...`; the
        // typecode is read after (`a/.;type=a` is the file `.` in a).
        for (url, dirs, name, typecode) in [
            ("ftp://h/a/../f", &[][..], "f", None),
            ("ftp://h/./f", &[], "f", None),
            ("ftp://h/../../f", &[], "f", None),
            ("ftp://h/a/b/../c/./f", &["a", "c"], "f", None),
            ("ftp://h//etc/../f", &["/"], "f", None),
            ("ftp://h/a//../f", &["a"], "f", None),
            ("ftp://h/a/..", &[], "", None),
            ("ftp://h/a/../", &[], "", None),
            ("ftp://h/..", &[], "", None),
            ("ftp://h//..", &[], "", None),
            ("ftp://h/a/.", &["a"], "", None),
            ("ftp://h/a/%2E%2E/f", &["a", ".."], "f", None),
            ("ftp://h/a/%2e/f", &["a", "."], "f", None),
            ("ftp://h/a/.../f", &["a", "..."], "f", None),
            ("ftp://h/a/.hidden/f", &["a", ".hidden"], "f", None),
            ("ftp://h/a/.;type=a", &["a"], ".", Some(b'a')),
            ("ftp://h/a/..?x=../y#../z", &[], "", None),
        ] {
            assert_eq!(steps(url), owned(dirs, name, typecode), "{url}");
        }
    }

    /// The file the scripted servers serve.
    fn file(n: usize) -> Vec<u8> {
        (0..n).map(|i| (i % 251) as u8).collect()
    }

    /// Runs the client against a server on 127.0.0.1 that greets, logs in,
    /// answers TYPE and EPSV, then hands RETR's control connection and
    /// accepted data connection to `retr`; `quit` answers QUIT (or not).
    fn session(
        retr: fn(&mut TcpStream, TcpStream),
        quit: fn(&mut TcpStream),
    ) -> (Result<(), String>, Vec<u8>) {
        let (got, out, _) = session_at("f.bin", retr, quit);
        (got, out)
    }

    /// As [`session`], for the URL path `path` (after `host:port/`); CWD
    /// is answered 250 (550 for a name holding `missing`), and LIST and
    /// NLST are handed to `retr` as RETR is. Also returns the command
    /// lines the server got.
    fn session_at(
        path: &str,
        retr: fn(&mut TcpStream, TcpStream),
        quit: fn(&mut TcpStream),
    ) -> (Result<(), String>, Vec<u8>, Vec<String>) {
        session_timed(path, retr, quit, Duration::from_secs(2))
    }

    /// As [`session_at`], with `timeout` as the client's timeout.
    fn session_timed(
        path: &str,
        retr: fn(&mut TcpStream, TcpStream),
        quit: fn(&mut TcpStream),
        timeout: Duration,
    ) -> (Result<(), String>, Vec<u8>, Vec<String>) {
        let ls = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = ls.local_addr().unwrap().port();
        // EPSV names a port nothing listens on (a firewall that lets
        // PASV's ports through only).
        let dead_epsv = path.contains("dead-epsv");
        // LIST and NLST answered 450, the data connection never accepted.
        let no_files = path.contains("no-files");
        // PASS answered twice: the second 230 answers nothing.
        let double_230 = path.contains("double-230");
        // USER, PASS, EPSV (refused) and PASV each answered after
        // `SLOW_REPLY`.
        let slow = path.contains("slow-replies");
        // PASS answered 530 (vsftpd's wording), or TYPE refused.
        let login_refused = path.contains("login-refused");
        let type_refused = path.contains("type-refused");
        // EPSV not understood, and PASV's 227 names another host than
        // the server's (192.0.2.7, TEST-NET-1: nothing answers there).
        let pasv_elsewhere = path.contains("pasv-elsewhere");
        // PASV refused as well (after a 4xx to EPSV).
        let pasv_425 = path.contains("pasv-425");
        // EPSV's 229 (or, with `pasv-elsewhere` too, PASV's 227) is a
        // block of about 10 KB, its address on the closing line.
        let pad = if path.contains("long-block") {
            "-padding to make the reply longer than a small buffer.\r\n".repeat(200)
        } else {
            String::new()
        };
        // A greeting in two one-line 220 replies, with bare LF line ends
        // (nodemcu-firmware's FTP server, ESP8266).
        let greeting: &[u8] = if path.contains("two-greetings") {
            b"220 -- Welcome to FTP for ESP8266 --\n220 -- commands: USER, PASS, RNTO --\n"
        } else {
            b"220 ready\r\n"
        };
        // EPSV answered with a refusal (the engine falls back on it),
        // with port 0, or with a port out of range.
        let epsv_answer: Option<&'static [u8]> = [
            ("epsv-425", &b"425 Cannot open passive connection.\r\n"[..]),
            ("epsv-501", b"501 Syntax error.\r\n"),
            (
                "epsv-port0",
                b"229 Entering Extended Passive Mode (|||0|)\r\n",
            ),
            (
                "epsv-70000",
                b"229 Entering Extended Passive Mode (|||70000|)\r\n",
            ),
        ]
        .into_iter()
        .find(|(mark, _)| path.contains(mark))
        .map(|(_, answer)| answer);
        let server = thread::spawn(move || {
            let mut seen = Vec::new();
            let (mut c, _) = ls.accept().unwrap();
            let mut r = BufReader::new(c.try_clone().unwrap());
            c.write_all(greeting).unwrap();
            let mut dl = None;
            loop {
                let mut line = String::new();
                if r.read_line(&mut line).unwrap_or(0) == 0 {
                    return seen;
                }
                seen.push(line.trim_end().to_owned());
                let verb = line.split([' ', '\r']).next().unwrap_or("").to_owned();
                if slow && ["USER", "PASS", "EPSV", "PASV"].contains(&verb.as_str()) {
                    thread::sleep(SLOW_REPLY);
                }
                let reply: &[u8] = match verb.as_str() {
                    "EPSV" if slow || pasv_elsewhere => b"500 EPSV not understood\r\n",
                    "PASS" if login_refused => b"530 Login incorrect.\r\n",
                    "TYPE" if type_refused => {
                        b"504 Command not implemented for that parameter.\r\n"
                    }
                    "USER" => b"331 pass\r\n",
                    "PASS" if double_230 => b"230 ok\r\n230 and again\r\n",
                    "PASS" => b"230 ok\r\n",
                    "TYPE" => b"200 ok\r\n",
                    "CWD" if line.contains("missing") => b"550 no such directory\r\n",
                    "CWD" => b"250 ok\r\n",
                    "EPSV" if epsv_answer.is_some() => epsv_answer.unwrap_or_default(),
                    "EPSV" => {
                        // The dead port is 1 (tcpmux, never served here):
                        // a port freed by dropping a listener may be taken
                        // again at once by a parallel test's bind.
                        let p = if dead_epsv {
                            1
                        } else {
                            let l = TcpListener::bind("127.0.0.1:0").unwrap();
                            let p = l.local_addr().unwrap().port();
                            dl = Some(l);
                            p
                        };
                        let m = if pad.is_empty() {
                            format!("229 Entering Extended Passive Mode (|||{p}|)\r\n")
                        } else {
                            let pad = pad.replace('-', "229-");
                            format!("229-Extended passive\r\n{pad}229 (|||{p}|)\r\n")
                        };
                        c.write_all(m.as_bytes()).unwrap();
                        continue;
                    }
                    "PASV" if pasv_425 => b"425 Cannot open passive connection.\r\n",
                    "PASV" => {
                        let l = TcpListener::bind("127.0.0.1:0").unwrap();
                        let p = l.local_addr().unwrap().port();
                        dl = Some(l);
                        let (hi, lo) = (p >> 8, p & 0xff);
                        let host = if pasv_elsewhere {
                            "192,0,2,7"
                        } else {
                            "127,0,0,1"
                        };
                        let m = if pad.is_empty() {
                            format!("227 Entering Passive Mode ({host},{hi},{lo}).\r\n")
                        } else {
                            let pad = pad.replace('-', "227-");
                            format!("227-Passive\r\n{pad}227 ({host},{hi},{lo})\r\n")
                        };
                        c.write_all(m.as_bytes()).unwrap();
                        continue;
                    }
                    "LIST" | "NLST" if no_files => b"450 No files found.\r\n",
                    "RETR" | "LIST" | "NLST" => {
                        let (d, _) = dl.take().unwrap().accept().unwrap();
                        retr(&mut c, d);
                        continue;
                    }
                    "QUIT" => {
                        quit(&mut c);
                        return seen;
                    }
                    _ => b"502 no\r\n",
                };
                c.write_all(reply).unwrap();
            }
        });
        let mut out = Vec::new();
        let url = format!("ftp://u:p@127.0.0.1:{port}/{path}");
        let got = run(&url, &mut out, timeout);
        let seen = server.join().unwrap();
        (got, out, seen)
    }

    /// Sends a listing whose CRLF is split between two writes, then 226.
    fn send_listing(c: &mut TcpStream, mut d: TcpStream) {
        c.write_all(b"150 Here comes the directory listing.\r\n")
            .unwrap();
        d.write_all(b"a b.txt\r").unwrap();
        d.flush().unwrap();
        thread::sleep(Duration::from_millis(150));
        d.write_all(b"\nc\rd\r\nend\r").unwrap();
        drop(d);
        c.write_all(b"226 Directory send OK.\r\n").unwrap();
    }

    #[test]
    fn a_listing_cwds_then_lists_with_no_argument_and_gets_lf() {
        // LIST's argument is globbed or split at spaces by real servers
        // (proftpd, pure-ftpd): the client goes into the directory instead,
        // as curl does.
        let (got, out, seen) = session_at("d%5Bi%5Dr/with%20sp/", send_listing, answer_quit);
        assert_eq!(got, Ok(()));
        assert_eq!(
            seen,
            [
                "USER u",
                "PASS p",
                "CWD d[i]r",
                "CWD with sp",
                "EPSV",
                "LIST",
                "QUIT"
            ]
        );
        // CRLF to LF (even split across reads), a lone CR kept.
        assert_eq!(out, b"a b.txt\nc\rd\nend\r");
        // The login directory: no CWD.
        let (got, _, seen) = session_at("", send_listing, answer_quit);
        assert_eq!(got, Ok(()));
        assert_eq!(seen, ["USER u", "PASS p", "EPSV", "LIST", "QUIT"]);
    }

    #[test]
    fn type_d_is_nlst_and_type_a_gets_lf() {
        // RFC 1738 3.2.4: ;type=d is NLST.
        let (got, out, seen) = session_at("pub/d;type=d", send_listing, answer_quit);
        assert_eq!(got, Ok(()));
        assert_eq!(
            seen,
            [
                "USER u", "PASS p", "CWD pub", "CWD d", "EPSV", "NLST", "QUIT"
            ]
        );
        assert_eq!(out, b"a b.txt\nc\rd\nend\r");
        let (got, out, seen) = session_at("f.txt;type=a", send_listing, answer_quit);
        assert_eq!(got, Ok(()));
        assert_eq!(
            seen,
            ["USER u", "PASS p", "TYPE A", "EPSV", "RETR f.txt", "QUIT"]
        );
        assert_eq!(out, b"a b.txt\nc\rd\nend\r");
        // TYPE I: the bytes as they come.
        let (got, out, _) = session_at("f.txt", send_listing, answer_quit);
        assert_eq!(got, Ok(()));
        assert_eq!(out, b"a b.txt\r\nc\rd\r\nend\r");
    }

    #[test]
    fn an_unreachable_epsv_port_falls_back_to_pasv() {
        // As curl does: the data connection to a 229's port fails, PASV
        // goes out in EPSV's place, and the file comes over PASV's port.
        let (got, out, seen) = session_at("dead-epsv.bin", send_listing, answer_quit);
        assert_eq!(got, Ok(()));
        assert_eq!(
            seen,
            [
                "USER u",
                "PASS p",
                "TYPE I",
                "EPSV",
                "PASV",
                "RETR dead-epsv.bin",
                "QUIT"
            ]
        );
        assert_eq!(out, b"a b.txt\r\nc\rd\r\nend\r");
    }

    #[test]
    fn any_refusal_of_epsv_or_its_port_0_falls_back_to_pasv() {
        // As curl does: the engine falls back on a refusal itself; the
        // example starts the transfer again with PASV for any other
        // answer to EPSV but a 229 it cannot read.
        for path in ["epsv-425.bin", "epsv-501/", "epsv-port0.bin"] {
            let (got, out, seen) = session_at(path, send_listing, answer_quit);
            assert_eq!(got, Ok(()), "{path}");
            assert!(!out.is_empty(), "{path}");
            let passive: Vec<&str> = seen
                .iter()
                .map(String::as_str)
                .filter(|l| matches!(*l, "EPSV" | "PASV"))
                .collect();
            assert_eq!(passive, ["EPSV", "PASV"], "{path}");
        }
        // A 229 with a port out of range: no PASV, as curl.
        let (got, out, seen) = session_at("epsv-70000.bin", send_listing, answer_quit);
        assert!(got.is_err(), "{got:?}");
        assert!(out.is_empty());
        assert!(!seen.iter().any(|l| l == "PASV"), "{seen:?}");
    }

    /// EPSV refused with a 4xx, and PASV (which the engine sent) refused
    /// too: the fetch fails with PASV's refusal, asked once.
    #[test]
    fn pasv_refused_after_a_4xx_to_epsv_is_not_asked_again() {
        let (got, out, seen) = session_at("epsv-425-pasv-425.bin", send_listing, answer_quit);
        let e = got.unwrap_err();
        assert!(e.contains("425"), "{e}");
        assert!(out.is_empty());
        let passive: Vec<&str> = seen
            .iter()
            .map(String::as_str)
            .filter(|l| matches!(*l, "EPSV" | "PASV"))
            .collect();
        assert_eq!(passive, ["EPSV", "PASV"]);
    }

    #[test]
    fn a_450_to_list_or_nlst_is_an_empty_listing() {
        // As curl does: `450 No files found` answers a listing of an empty
        // directory on some servers; exit 0, nothing on standard output.
        for path in ["no-files/", "no-files/;type=d"] {
            let (got, out, seen) = session_at(path, send_listing, answer_quit);
            assert_eq!(got, Ok(()), "{path}");
            assert!(out.is_empty(), "{path}");
            assert_eq!(seen.last().map(String::as_str), Some("QUIT"), "{path}");
        }
        // A 450 to RETR is a failure.
        let (got, _, _) = session_at(
            "no-files/f.bin",
            |c, _| c.write_all(b"450 File busy.\r\n").unwrap(),
            answer_quit,
        );
        assert!(got.is_err(), "{got:?}");
    }

    #[test]
    fn a_450_after_listing_data_drops_what_was_held() {
        // "whatever the data connection got before it, up to the 1 MiB
        // held": 100 bytes before the 450 are dropped, exit 0; past 1 MiB
        // they were written as they came, and the 450 fails the listing.
        fn data_then_450(c: &mut TcpStream, mut d: TcpStream, n: usize) {
            d.write_all(&file(n)).unwrap();
            drop(d);
            thread::sleep(Duration::from_millis(300));
            c.write_all(b"450 No files found\r\n").unwrap();
        }
        let (got, out, _) = session_at("d/", |c, d| data_then_450(c, d, 100), answer_quit);
        assert_eq!((got, out.len()), (Ok(()), 0));
        let (got, out, _) = session_at("d/", |c, d| data_then_450(c, d, HOLD + 100), answer_quit);
        assert!(got.is_err_and(|e| e.contains("450")));
        assert_eq!(out, file(HOLD + 100));
    }

    #[test]
    fn a_directory_that_cwd_refuses_fails() {
        let (got, out, seen) = session_at("missing/", send_listing, answer_quit);
        assert!(got.is_err(), "{got:?}");
        assert!(out.is_empty());
        assert!(!seen.iter().any(|l| l.starts_with("LIST")), "{seen:?}");
    }

    #[test]
    fn a_nested_file_is_fetched_after_one_cwd_per_directory() {
        // RFC 1738 3.2.2, as curl does: CWD a, CWD b c, then RETR of the
        // name alone.
        let (got, out, seen) = session_at("a/b%20c/f.bin", send_listing, answer_quit);
        assert_eq!(got, Ok(()));
        assert_eq!(
            seen,
            [
                "USER u",
                "PASS p",
                "CWD a",
                "CWD b c",
                "TYPE I",
                "EPSV",
                "RETR f.bin",
                "QUIT"
            ]
        );
        assert_eq!(out, b"a b.txt\r\nc\rd\r\nend\r");
        // A directory on the way that CWD refuses: no RETR, exit 1.
        let (got, out, seen) = session_at("a/missing/f.bin", send_listing, answer_quit);
        assert!(got.is_err(), "{got:?}");
        assert!(out.is_empty());
        assert!(!seen.iter().any(|l| l.starts_with("RETR")), "{seen:?}");
    }

    /// The example against the four real servers (tests/servers/start.sh;
    /// skipped when one is not running, failed then with
    /// FTP_REPLY_REQUIRE_SERVERS=1): files in nested and awkward
    /// directories and a listing come out as the served tree holds them.
    #[test]
    fn real_servers_serve_the_tree() {
        use crate::servers::{Server, connect_or_skip, control_addr};
        let root = std::path::PathBuf::from(
            std::env::var("FTP_REPLY_SERVER_DIR")
                .unwrap_or_else(|_| "/tmp/ftp-reply-servers".to_owned()),
        )
        .join("root");
        for server in [
            Server::Vsftpd,
            Server::Proftpd,
            Server::PureFtpd,
            Server::Pyftpdlib,
        ] {
            let Some(probe) = connect_or_skip(server) else {
                continue;
            };
            drop(probe);
            let base = format!("ftp://ftptest:ftptest@{}", control_addr(server));
            for (url_path, file) in [
                ("/hello.txt", "hello.txt"),
                ("quo%22te/inner.txt", "quo\"te/inner.txt"),
                ("gr%C3%BC%C3%9Fe/%C3%A4.txt", "grüße/ä.txt"),
            ] {
                let mut out = Vec::new();
                let got = run(
                    &format!("{base}/{url_path}"),
                    &mut out,
                    Duration::from_secs(10),
                );
                assert_eq!(got, Ok(()), "{} {url_path}", server.name());
                let want = std::fs::read(root.join(file)).unwrap();
                assert!(
                    out == want,
                    "{} {url_path}: not the served file",
                    server.name()
                );
            }
            // A missing directory fails (pure-ftpd takes 3.6 s to log in:
            // a few sessions per server only).
            let mut out = Vec::new();
            let got = run(
                &format!("{base}/no-such-dir/x.txt"),
                &mut out,
                Duration::from_secs(10),
            );
            assert!(got.is_err(), "{}: {got:?}", server.name());
            assert!(out.is_empty());
            // A listing of a directory with a space in its name.
            let mut out = Vec::new();
            let got = run(
                &format!("{base}/with%20spaces/"),
                &mut out,
                Duration::from_secs(10),
            );
            assert_eq!(got, Ok(()), "{} listing", server.name());
            let text = String::from_utf8_lossy(&out);
            assert!(
                text.lines().any(|l| l.ends_with("a file.txt")),
                "{}: {text}",
                server.name()
            );
        }
    }

    /// RETR's answer in the common order: `start` on the control
    /// connection, `n` bytes of [`file`] on the data connection (then
    /// closed), `end` on the control connection.
    fn serve(c: &mut TcpStream, mut d: TcpStream, start: &[u8], n: usize, end: &[u8]) {
        c.write_all(start).unwrap();
        d.write_all(&file(n)).unwrap();
        drop(d);
        c.write_all(end).unwrap();
    }

    fn answer_quit(c: &mut TcpStream) {
        let _ = c.write_all(b"221 bye\r\n");
    }

    #[test]
    fn a_long_227_or_229_block_is_read() {
        // A 229 block of about 10 KB (and a 227 one, after EPSV refused),
        // its address on the closing line: the engine reads replies of up
        // to `RX` bytes whole (with 4 KiB, both were cut and the fetch
        // failed: a cut reply gives no address).
        for path in ["long-block.bin", "long-block-pasv-elsewhere.bin"] {
            let (got, out, seen) = session_at(
                path,
                |c, d| serve(c, d, b"150 ok (10 bytes)\r\n", 10, b"226 ok\r\n"),
                answer_quit,
            );
            assert_eq!(got, Ok(()), "{path}");
            assert_eq!(out, file(10), "{path}");
            assert!(seen.contains(&format!("RETR {path}")), "{path}: {seen:?}");
        }
    }

    /// How long the `slow-replies` server takes over each reply: 800 ms
    /// under the 2 s timeout of `every_wait_has_its_own_timeout` (room for
    /// a loaded machine), two of them 400 ms over.
    const SLOW_REPLY: Duration = Duration::from_millis(1200);

    #[test]
    fn every_wait_has_its_own_timeout() {
        // Each reply comes within the timeout of its command, but the
        // steps that take two (USER and PASS for the login; EPSV refused,
        // then PASV) take longer than one timeout in all; and the data
        // comes within the timeout of the 150, which itself came late.
        let (got, out, seen) = session_timed(
            "slow-replies/f.bin",
            |c, mut d| {
                thread::sleep(SLOW_REPLY);
                c.write_all(b"150 Opening BINARY mode data connection (3 bytes).\r\n")
                    .unwrap();
                thread::sleep(SLOW_REPLY);
                d.write_all(b"abc").unwrap();
                drop(d);
                c.write_all(b"226 Transfer complete.\r\n").unwrap();
            },
            answer_quit,
            Duration::from_secs(2),
        );
        assert_eq!(got, Ok(()));
        assert_eq!(out, b"abc");
        assert_eq!(
            seen,
            [
                "USER u",
                "PASS p",
                "CWD slow-replies",
                "TYPE I",
                "EPSV",
                "PASV",
                "RETR f.bin",
                "QUIT"
            ]
        );
    }

    #[test]
    fn a_reply_after_226_does_not_fail_the_file() {
        // The server says goodbye right after its 226 and hangs up, while
        // the data connection is still open: the file is whole and
        // confirmed, whichever connection the client reads first.
        let (got, out, seen) = session_at(
            "f.bin",
            |c, mut d| {
                c.write_all(b"150 Opening BINARY mode data connection (6 bytes).\r\n")
                    .unwrap();
                d.write_all(b"abcdef").unwrap();
                c.write_all(b"226 Transfer complete.\r\n221 Goodbye.\r\n")
                    .unwrap();
                c.shutdown(std::net::Shutdown::Both).unwrap();
                thread::sleep(Duration::from_millis(300));
                drop(d);
            },
            |_| {},
        );
        assert_eq!(got, Ok(()));
        assert_eq!(out, b"abcdef");
        // The session was closed by the 221: no QUIT goes out.
        assert_eq!(seen.last().map(String::as_str), Some("RETR f.bin"));
    }

    #[test]
    fn a_block_ends_only_at_its_own_code() {
        // RFC 959 4.2's own example, as a 226: the middle line that starts
        // with another code and a space does not end the block.
        let (got, out, _) = session_at(
            "f.bin",
            |c, d| {
                serve(
                    c,
                    d,
                    b"150 Opening BINARY mode data connection (3 bytes).\r\n",
                    3,
                    b"226-First line\r\n234 A line beginning with numbers\r\n\
                      226 The last line\r\n",
                );
            },
            answer_quit,
        );
        assert_eq!(got, Ok(()));
        assert_eq!(out, file(3));
        // A `226-` block that a `250 ` line follows has not ended: the wait
        // for the final reply times out (2 s here), and no QUIT goes out.
        let (got, _, seen) = session_at(
            "f.bin",
            |c, d| {
                serve(
                    c,
                    d,
                    b"150 ok (3 bytes).\r\n",
                    3,
                    b"226-Stats\r\n250 done\r\n",
                );
                thread::sleep(Duration::from_secs(3));
            },
            |_| {},
        );
        let err = got.unwrap_err();
        assert!(err.contains("timed out"), "{err}");
        assert_eq!(seen.last().map(String::as_str), Some("RETR f.bin"));
    }

    #[test]
    fn fetch() {
        let (got, out) = session(
            |c, d| {
                serve(
                    c,
                    d,
                    b"150 Opening BINARY mode data connection for f.bin (3000 bytes).\r\n",
                    3000,
                    b"226 Transfer complete.\r\n",
                )
            },
            answer_quit,
        );
        assert_eq!(got, Ok(()));
        assert_eq!(out, file(3000));
    }

    /// Telnet commands in what the server sends (RFC 959's control
    /// connection is Telnet): option negotiation before the 150 and the
    /// 226, a NOP and a doubled IAC (the data byte 255) inside the 226's
    /// text, a NOP before the 221. Without taking them out, the 226 line
    /// starts with a byte 255, is no reply, and the fetch times out.
    #[test]
    fn telnet_commands_from_the_server_are_taken_out() {
        let (got, out) = session(
            |c, d| {
                serve(
                    c,
                    d,
                    b"\xff\xfb\x01150 Opening data connection for f.bin (3 bytes).\r\n",
                    3,
                    b"\xff\xfd\x03226 Transfer \xff\xff\xff\xf1complete.\r\0\0\r\n",
                )
            },
            |c| {
                let _ = c.write_all(b"\xff\xf1221 bye\0\r\n");
            },
        );
        assert_eq!(got, Ok(()));
        assert_eq!(out, file(3));
    }

    /// `input` through the Telnet reader gives `want`, whole and cut
    /// between two reads at every byte, with nothing pending after it.
    fn telnet_at_every_cut(input: &[u8], want: &[u8]) {
        for cut in 0..=input.len() {
            let mut t = Telnet::default();
            let (a, b) = input.split_at(cut);
            let mut got = t.data(a).into_owned();
            got.extend_from_slice(&t.data(b));
            assert_eq!(got, want, "cut at {cut}");
            assert!(!t.0.is_pending());
        }
    }

    /// The Telnet reader alone: whole and cut between reads at every byte.
    #[test]
    fn telnet_reader_keeps_data_and_drops_commands() {
        telnet_at_every_cut(
            b"\xff\xfb\x01220 a\xff\xffb\xff\xf1c\r\0d\0\r\n\xff\xfe\x22\xff\xff\xff\xfb\0",
            b"220 a\xffbc\rd\r\n\xff",
        );
        // A NUL with no IAC in the read is taken out all the same.
        assert_eq!(
            &Telnet::default().data(b"220 a\0b\r\0\n")[..],
            b"220 ab\r\n"
        );
        // No IAC nor NUL, nothing pending: the bytes themselves, not a copy.
        let plain = b"200 ok\r\n";
        assert!(matches!(
            Telnet::default().data(plain),
            std::borrow::Cow::Borrowed(_)
        ));
        // A command cut after its IAC, or after WILL: the next read
        // starts inside it.
        let mut t = Telnet::default();
        assert_eq!(&t.data(b"200 a\xff")[..], b"200 a");
        assert_eq!(&t.data(b"\xfb")[..], b"");
        assert_eq!(&t.data(b"\x01b\r\n")[..], b"b\r\n");
    }

    /// A 255 that the server did not double, before a byte that is no
    /// Telnet command (a Latin-1 `ÿ` in a name, bare-LF line ends): both
    /// are data, so the LF still ends the line and the next reply is not
    /// swallowed. Whole and cut at every byte; an IAC NUL keeps the 255.
    #[test]
    fn an_undoubled_255_before_no_command_is_data() {
        telnet_at_every_cut(
            b"150 caf\xff\n226 ok\xff\xf1\n550 \xff\0x\xffA\n",
            b"150 caf\xff\n226 ok\n550 \xffx\xffA\n",
        );
    }

    /// The ends of RFC 854's command range: SE (240) and SB (250) after
    /// an IAC are commands, taken out; 239, under it, is data with its
    /// 255 (whole and cut at every byte).
    #[test]
    fn telnet_se_and_sb_are_commands_and_239_is_data() {
        telnet_at_every_cut(b"a\xff\xf0b\xff\xfac\xff\xefd\n", b"abc\xff\xefd\n");
    }

    /// The same through a whole session: the 550's line ends at its LF
    /// and fails the fetch at once, not at the timeout.
    #[test]
    fn a_refusal_with_an_undoubled_255_fails_at_once() {
        let started = Instant::now();
        let (got, out, _) = session_timed(
            "caf.bin",
            |c, _| c.write_all(b"550 caf\xff\n").unwrap(),
            answer_quit,
            Duration::from_secs(20),
        );
        let e = got.unwrap_err();
        assert!(e.contains("550"), "{e}");
        assert!(out.is_empty());
        assert!(started.elapsed() < Duration::from_secs(10));
    }

    #[test]
    fn lines_that_are_not_replies_are_skipped() {
        // Prose with no code and empty lines, between replies and after
        // the last: curl skips them, and so does the engine.
        let (got, out) = session(
            |c, d| {
                serve(
                    c,
                    d,
                    b"please wait\r\n\r\n150 Opening BINARY mode data connection (3000 bytes).\r\n",
                    3000,
                    b"\r\n226 Transfer complete.\r\n\r\n",
                )
            },
            answer_quit,
        );
        assert_eq!(got, Ok(()));
        assert_eq!(out, file(3000));
    }

    #[test]
    fn text_before_the_greeting_fails_at_once() {
        // An SSH server's banner, a blank line, an HTTP answer: no reply
        // opens the session, so it fails at once (the timeout is an hour),
        // without a command sent. The byte the error names counts once
        // Telnet commands and NULs are taken out: two `IAC NOP` and two
        // NULs before the prose leave it at byte 0.
        for first in [
            &b"SSH-2.0-OpenSSH_9.6\r\n"[..],
            b"\r\n220 ready\r\n",
            b"HTTP/1.1 400 Bad Request\r\n\r\n",
            b"\xff\xf1\xff\xf1\0\0hello\r\n",
        ] {
            let ls = TcpListener::bind("127.0.0.1:0").unwrap();
            let port = ls.local_addr().unwrap().port();
            let server = thread::spawn(move || {
                let (mut c, _) = ls.accept().unwrap();
                c.write_all(first).unwrap();
                let mut got = Vec::new();
                let _ = c.read_to_end(&mut got);
                got
            });
            let started = Instant::now();
            let mut out = Vec::new();
            let url = format!("ftp://u:p@127.0.0.1:{port}/f.bin");
            let got = run(&url, &mut out, Duration::from_secs(3600));
            assert_eq!(
                got,
                Err(
                    "the server sent something that is not a reply: invalid reply code at byte 0"
                        .into()
                ),
                "{first:?}"
            );
            assert!(started.elapsed() < Duration::from_secs(60), "{first:?}");
            assert!(out.is_empty());
            assert_eq!(server.join().unwrap(), b"", "no command sent");
        }
    }

    #[test]
    fn a_line_with_a_code_no_reply_has_fails_at_once() {
        // `999 x` starts like a reply: it is the answer to RETR, unreadable,
        // and the fetch fails at once (as in curl), not when the timer
        // fires ("timed out waiting for the reply to RETR", when it was
        // skipped as text).
        let (got, out) = session(
            |c, d| {
                c.write_all(b"999 Unknown\r\n").unwrap();
                drop(d);
            },
            answer_quit,
        );
        assert_eq!(
            got,
            Err("RETR failed: unreadable reply: invalid reply code at byte 85".into())
        );
        assert!(out.is_empty());
    }

    #[test]
    fn a_226_with_no_150_fails_a_fetch() {
        // RFC 959 5.4: RETR's 226 follows a 125 or 150; curl and ftplib
        // refuse it too. (A listing takes it as an empty one.)
        let (got, _) = session(|c, d| serve(c, d, b"", 10, b"226 ok\r\n"), answer_quit);
        assert_eq!(got, Err("RETR failed: the server answered 226".into()));
    }

    #[test]
    fn data_before_the_150_is_read() {
        // 8 MiB written before the 150: more than the socket buffers hold,
        // so a client that waits for the 150 before reading never gets it.
        let (got, out) = session(
            |c, mut d| {
                d.write_all(&file(8 << 20)).unwrap();
                drop(d);
                c.write_all(
                    b"150 Opening BINARY mode data connection.\r\n226 Transfer complete.\r\n",
                )
                .unwrap();
            },
            answer_quit,
        );
        assert_eq!(got, Ok(()));
        assert_eq!(out.len(), 8 << 20);
    }

    #[test]
    fn data_before_a_refusal_is_not_written() {
        // The data connection gets bytes, then the server refuses RETR
        // (no 125 or 150): no file was sent, and nothing goes to standard
        // output. (They were written as they came.)
        let (got, out) = session(
            |c, mut d| {
                d.write_all(b"SECRET-GARBAGE\n").unwrap();
                drop(d);
                thread::sleep(Duration::from_millis(200));
                c.write_all(b"550 Failed to open file.\r\n").unwrap();
            },
            answer_quit,
        );
        assert_eq!(got, Err("RETR failed: the server answered 550".into()));
        assert_eq!(out, b"");
    }

    #[test]
    fn data_before_a_450_to_list_is_an_empty_listing() {
        // A 450 in place of the listing's 150 is an empty listing, even
        // when the data connection got bytes first (they are dropped,
        // as curl, which reads no data before the 150, never sees them).
        let (got, out, _) = session_at(
            "d/",
            |c, mut d| {
                d.write_all(b"junk\r\n").unwrap();
                drop(d);
                thread::sleep(Duration::from_millis(200));
                c.write_all(b"450 No files found\r\n").unwrap();
            },
            answer_quit,
        );
        assert_eq!(got, Ok(()));
        assert_eq!(out, b"");
    }

    #[test]
    fn data_before_the_150_is_held_for_it() {
        // The whole file, then its end, then the 150: the bytes wait for
        // it, and its size is checked against them.
        let (got, out) = session(
            |c, mut d| {
                d.write_all(&file(3000)).unwrap();
                drop(d);
                thread::sleep(Duration::from_millis(300));
                c.write_all(b"150 ok (3000 bytes)\r\n226 Transfer complete.\r\n")
                    .unwrap();
            },
            answer_quit,
        );
        assert_eq!(got, Ok(()));
        assert_eq!(out, file(3000));
        // More than the 150 then announces: only the announced bytes are
        // written.
        let (got, out) = session(
            |c, mut d| {
                d.write_all(&file(6000)).unwrap();
                thread::sleep(Duration::from_millis(300));
                c.write_all(b"150 ok (3000 bytes)\r\n").unwrap();
                thread::sleep(Duration::from_millis(300));
                drop(d);
                let _ = c.write_all(b"226 Transfer complete.\r\n");
            },
            answer_quit,
        );
        cut_at_3000(&got, &out);
        // The 150, then the control connection lost: the transfer had
        // started, and the bytes held for it are written, as those read
        // after it would be.
        let (got, out) = session(
            |c, mut d| {
                d.write_all(b"abc").unwrap();
                thread::sleep(Duration::from_millis(300));
                c.write_all(b"150 ok\r\n").unwrap();
                c.shutdown(std::net::Shutdown::Both).unwrap();
                drop(d);
            },
            |_| {},
        );
        assert_eq!(got, Err("the control connection was lost".into()));
        assert_eq!(out, b"abc");
    }

    #[test]
    fn fewer_bytes_than_the_150_announced_fail() {
        let (got, _) = session(
            |c, d| {
                serve(
                    c,
                    d,
                    b"150 Opening BINARY mode data connection for f.bin (3000 bytes).\r\n",
                    100,
                    b"226 Transfer complete.\r\n",
                )
            },
            answer_quit,
        );
        assert_eq!(
            got,
            Err("received 100 bytes, but the server announced 3000".into())
        );
    }

    /// In ASCII type (`;type=a`, a listing) the count is not held to the
    /// 150's size: the LF written for each CRLF makes them differ, and
    /// curl does not check it there either. The 150 announces 3000 bytes
    /// of a 100-byte file.
    #[test]
    fn ascii_type_is_not_held_to_the_150s_size() {
        fn short(c: &mut TcpStream, d: TcpStream) {
            serve(
                c,
                d,
                b"150 Opening ASCII mode data connection for f.txt (3000 bytes).\r\n",
                100,
                b"226 Transfer complete.\r\n",
            )
        }
        let (got, out, seen) = session_at("f.txt;type=a", short, answer_quit);
        assert_eq!(got, Ok(()));
        assert_eq!(seen[2], "TYPE A");
        // No CR LF among the file's first 100 bytes: all of them come out.
        assert_eq!(out, file(100));
    }

    #[test]
    fn a_200_does_not_end_a_transfer() {
        let (got, _) = session(
            |c, d| serve(c, d, b"150 ok\r\n", 10, b"200 ok\r\n"),
            answer_quit,
        );
        assert_eq!(got, Err("RETR failed: the server answered 200".into()));
    }

    #[test]
    fn more_bytes_than_the_150_announced_fail_at_once() {
        // The server never stops sending: reading stops past the size the
        // 150 announced, and the announced bytes are written.
        let (got, out) = session(
            |c, mut d| {
                c.write_all(b"150 ok (3000 bytes)\r\n").unwrap();
                // The 150 is read before the data: the cut is exact.
                thread::sleep(Duration::from_millis(300));
                let chunk = file(64 * 1024);
                while d.write_all(&chunk).is_ok() {}
            },
            answer_quit,
        );
        cut_at_3000(&got, &out);
    }

    /// A fetch failed for more than its 150's 3000 bytes, with exactly
    /// those written.
    fn cut_at_3000(got: &Result<(), String>, out: &[u8]) {
        let err = got.as_ref().unwrap_err();
        assert!(
            err.starts_with("the server sent more than the 3000 bytes it announced"),
            "{err}"
        );
        assert!(out == file(3000), "{} bytes written", out.len());
    }

    #[test]
    fn a_150_sent_before_the_data_cuts_it_however_they_are_read() {
        // The 150 and then the data at once, never ending: the first read
        // of the data may come before the 150 is read, and still only the
        // announced bytes are written. (Before the 150 was looked for
        // after each read, 64 KiB were.)
        for _ in 0..3 {
            let (got, out) = session(
                |c, mut d| {
                    c.write_all(b"150 ok (3000 bytes)\r\n").unwrap();
                    c.flush().unwrap();
                    let chunk = file(64 * 1024);
                    while d.write_all(&chunk).is_ok() {}
                },
                answer_quit,
            );
            cut_at_3000(&got, &out);
        }
    }

    #[test]
    fn a_flooded_control_connection_still_times_out() {
        // No 150, and the control connection flooded with lines that are
        // no reply for 10 s: the reply to RETR is waited for at most the
        // timeout (2 s here). (Reading the control connection until it had
        // nothing more, the client waited for the flood's end: 10 s.)
        let started = Instant::now();
        let (got, _) = session(
            |c, _d| {
                let chunk = b"please wait\r\n".repeat(64 * 1024);
                let flood = Instant::now();
                while flood.elapsed() < Duration::from_secs(10) && c.write_all(&chunk).is_ok() {}
            },
            |_| {},
        );
        let took = started.elapsed();
        let err = got.unwrap_err();
        assert!(err.contains("timed out"), "{err}");
        assert!(took < Duration::from_secs(7), "{took:?}");
    }

    /// Restart markers (110, which the engine skips) every 10 ms for 10 s.
    fn flood_with_markers(c: &mut TcpStream) {
        let flood = Instant::now();
        while flood.elapsed() < Duration::from_secs(10)
            && c.write_all(b"110 MARK 1 = 2\r\n").is_ok()
        {
            thread::sleep(Duration::from_millis(10));
        }
    }

    #[test]
    fn replies_that_answer_nothing_do_not_hold_the_wait() {
        // Whole replies, but none answers RETR: the 150 is still waited
        // for at most the timeout (2 s here); and after a 150, with the
        // data connection silent, they do not keep the transfer alive.
        type Retr = fn(&mut TcpStream, TcpStream);
        let cases: [(Retr, &str); 2] = [
            (
                |c, _d| flood_with_markers(c),
                "timed out waiting for the reply to RETR",
            ),
            (
                |c, _d| {
                    c.write_all(b"150 ok\r\n").unwrap();
                    flood_with_markers(c);
                },
                "the data connection was silent for 2s",
            ),
        ];
        for (retr, wanted) in cases {
            let started = Instant::now();
            let (got, _) = session(retr, |_| {});
            let took = started.elapsed();
            let err = got.unwrap_err();
            assert!(err.starts_with(wanted), "{err}");
            assert!(took < Duration::from_secs(7), "{took:?}");
        }
    }

    #[test]
    fn data_that_never_ends_without_a_150_times_out() {
        // No 150 ever, and the data connection flooded for 12 s: the reply
        // to RETR is still waited for at most the timeout (2 s here). (Read
        // until the flood ends, as before, it timed out 2 s after it: 14 s.)
        let started = Instant::now();
        let (got, _) = session(
            |_, mut d| {
                let chunk = file(4096);
                let flood = Instant::now();
                while flood.elapsed() < Duration::from_secs(12) && d.write_all(&chunk).is_ok() {
                    thread::sleep(Duration::from_millis(1));
                }
            },
            answer_quit,
        );
        assert_eq!(got, Err("timed out waiting for the reply to RETR".into()));
        let took = started.elapsed();
        assert!(took < Duration::from_secs(8), "{took:?}");
    }

    #[test]
    fn a_transfer_longer_than_the_timeout_is_not_cut_while_data_flows() {
        // The timeout is a silence, not a cap on the transfer: after the
        // 150, data that keeps coming for 3.5 s, past the timeout (2 s
        // here), in pieces 250 ms apart, is all read, and the 226 after it
        // is waited for as long as it flows (no reply comes meanwhile).
        let started = Instant::now();
        let (got, out) = session(
            |c, mut d| {
                c.write_all(b"150 ok (140 bytes)\r\n").unwrap();
                for piece in file(140).chunks(10) {
                    thread::sleep(Duration::from_millis(250));
                    d.write_all(piece).unwrap();
                }
                drop(d);
                c.write_all(b"226 ok\r\n").unwrap();
            },
            answer_quit,
        );
        assert_eq!(got, Ok(()));
        assert_eq!(out, file(140));
        assert!(started.elapsed() > Duration::from_secs(3));
    }

    /// As [`serve`], but the data connection is reset (RST, not FIN:
    /// `SO_LINGER` 0) after `n` bytes, 200 ms after the last write so the
    /// client has read what was sent, and `end` follows 200 ms later.
    fn serve_then_reset(c: &mut TcpStream, mut d: TcpStream, start: &[u8], n: usize, end: &[u8]) {
        c.write_all(start).unwrap();
        d.write_all(&file(n)).unwrap();
        thread::sleep(Duration::from_millis(200));
        let d = socket2::Socket::from(d);
        d.set_linger(Some(Duration::ZERO)).unwrap();
        drop(d);
        thread::sleep(Duration::from_millis(200));
        c.write_all(end).unwrap();
    }

    #[test]
    fn a_reset_after_every_announced_byte_ends_the_data() {
        // As curl, which stops reading at the announced size: a reset once
        // all of it has come loses nothing; the 226 decides.
        let (got, out) = session(
            |c, d| serve_then_reset(c, d, b"150 ok (6 bytes)\r\n", 6, b"226 ok\r\n"),
            answer_quit,
        );
        assert_eq!(got, Ok(()));
        assert_eq!(out, file(6));
        // The whole file and the reset before the 150: its size says
        // nothing was lost. (The reset ended the transfer at once.)
        let (got, out) = session(
            |c, d| serve_then_reset(c, d, b"", 6, b"150 ok (6 bytes)\r\n226 ok\r\n"),
            answer_quit,
        );
        assert_eq!(got, Ok(()));
        assert_eq!(out, file(6));
        // The same reset and a 426: the server says the transfer failed.
        let (got, _) = session(
            |c, d| {
                let aborted = b"426 Connection closed; transfer aborted.\r\n";
                serve_then_reset(c, d, b"150 ok (6 bytes)\r\n", 6, aborted)
            },
            answer_quit,
        );
        assert!(got.is_err(), "{got:?}");
    }

    #[test]
    fn a_reset_before_the_file_is_whole_fails() {
        // Before the announced size, or with no size announced (nothing
        // says the file is whole): a failure at once, while the transfer
        // runs, so with no QUIT (the 226 after it is not waited for).
        let sized: fn(&mut TcpStream, TcpStream) =
            |c, d| serve_then_reset(c, d, b"150 ok (10 bytes)\r\n", 5, b"226 ok\r\n");
        let unsized_: fn(&mut TcpStream, TcpStream) =
            |c, d| serve_then_reset(c, d, b"150 ok\r\n", 5, b"226 ok\r\n");
        // The reset before the 150: known to be short once it comes.
        let sized_after: fn(&mut TcpStream, TcpStream) =
            |c, d| serve_then_reset(c, d, b"", 5, b"150 ok (10 bytes)\r\n226 ok\r\n");
        let unsized_after: fn(&mut TcpStream, TcpStream) =
            |c, d| serve_then_reset(c, d, b"", 5, b"150 ok\r\n226 ok\r\n");
        for (retr, running) in [
            (sized, true),
            (unsized_, true),
            (sized_after, false),
            (unsized_after, false),
        ] {
            let (got, out, seen) = session_at("f.bin", retr, answer_quit);
            let err = got.expect_err("a reset before the end");
            assert!(err.contains("reset"), "{err}");
            assert_eq!(out, file(5));
            // (After a 150 and 226 that came together, the session may be
            // idle when the failure is known, and QUIT may go out.)
            if running {
                let last = seen.last().map(String::as_str);
                assert_eq!(last, Some("RETR f.bin"), "{seen:?}");
            }
        }
    }

    /// 5 of the 10 bytes the 150 announced, the 226, then 3 s of silence
    /// with the data connection open.
    fn short_then_226(c: &mut TcpStream, mut d: TcpStream) {
        c.write_all(b"150 ok (10 bytes)\r\n").unwrap();
        d.write_all(&file(5)).unwrap();
        c.write_all(b"226 ok\r\n").unwrap();
        thread::sleep(Duration::from_secs(3));
    }

    #[test]
    fn a_data_connection_left_open_after_the_whole_file_and_226_ends_it() {
        // As curl, which stops reading at the announced size: a data
        // connection held open 3 s, past the timeout (2 s here), after the
        // whole file and the 226 is the file's end, not a silence.
        let (got, out) = session(
            |c, mut d| {
                c.write_all(b"150 ok (10 bytes)\r\n").unwrap();
                d.write_all(&file(10)).unwrap();
                c.write_all(b"226 ok\r\n").unwrap();
                thread::sleep(Duration::from_secs(3));
            },
            answer_quit,
        );
        assert_eq!(got, Ok(()));
        assert_eq!(out, file(10));
        // Fewer bytes than announced: the silence still fails it.
        let (got, _) = session(short_then_226, answer_quit);
        assert!(got.is_err(), "{got:?}");
    }

    #[test]
    fn the_session_may_end_any_way_once_the_file_is_whole() {
        // The control connection closed right after the 226, before the
        // data's end: no QUIT can go out.
        let (got, out) = session(
            |c, mut d| {
                c.write_all(b"150 ok (10 bytes)\r\n226 ok\r\n").unwrap();
                c.shutdown(std::net::Shutdown::Both).unwrap();
                thread::sleep(Duration::from_millis(200));
                d.write_all(&file(10)).unwrap();
            },
            answer_quit,
        );
        assert_eq!(got, Ok(()));
        assert_eq!(out, file(10));
        // QUIT never answered (the wait is the 2 s timeout, under 5 s).
        let (got, _) = session(
            |c, d| serve(c, d, b"150 ok\r\n", 10, b"226 ok\r\n"),
            |_| thread::sleep(Duration::from_secs(3)),
        );
        assert_eq!(got, Ok(()));
    }

    #[test]
    fn a_failure_that_leaves_the_session_open_still_ends_it_with_quit() {
        // As curl does: a refused CWD, a 229 it cannot read, a 550 to RETR,
        // a file short after its 226, each exit 1 and then QUIT.
        let refused: fn(&mut TcpStream, TcpStream) =
            |c, _| c.write_all(b"550 No such file.\r\n").unwrap();
        for (path, retr) in [
            ("missing/", send_listing as fn(&mut TcpStream, TcpStream)),
            ("epsv-70000.bin", send_listing),
            ("f.bin", refused),
            ("f.bin", short_then_226),
        ] {
            let (got, _, seen) = session_at(path, retr, answer_quit);
            assert!(got.is_err(), "{path}: {got:?}");
            assert_eq!(seen.last().map(String::as_str), Some("QUIT"), "{seen:?}");
        }
        // A QUIT after a failure that is never answered holds the exit
        // for at most 2 s, whatever the timeout (30 s here): the client
        // closes the connection then, not the server.
        let (got, _, seen) = session_timed(
            "missing/",
            send_listing,
            |c| {
                c.set_read_timeout(Some(Duration::from_secs(4))).unwrap();
                let closed = std::io::Read::read(c, &mut [0; 1]);
                assert_eq!(closed.ok(), Some(0), "the client closed within 4 s");
            },
            Duration::from_secs(30),
        );
        assert!(got.is_err(), "{got:?}");
        assert_eq!(seen.last().map(String::as_str), Some("QUIT"), "{seen:?}");
    }

    #[test]
    fn a_greeting_in_two_replies_is_one_greeting() {
        // The engine skips a 220 after the greeting: only the connection's
        // start and REIN have one, and it never sends REIN.
        let (got, out, seen) = session_at("two-greetings/f.bin", send_listing, answer_quit);
        assert_eq!(got, Ok(()));
        assert_eq!(out, b"a b.txt\r\nc\rd\r\nend\r");
        assert_eq!(seen.first().map(String::as_str), Some("USER u"));
        assert_eq!(seen.last().map(String::as_str), Some("QUIT"));
    }

    #[test]
    fn a_failure_that_closes_the_session_sends_no_quit() {
        // A reply nobody asked for (a second 230 after PASS's): the engine
        // closes the session, and nothing more is sent on it.
        let (got, _, seen) = session_at("double-230/f.bin", send_listing, answer_quit);
        let err = got.expect_err("a reply nobody asked for");
        assert!(err.contains("no command asked for"), "{err}");
        assert!(!seen.iter().any(|l| l == "QUIT"), "{seen:?}");
        // RETR never answered (the timeout closes the session), or answered
        // 421: the same.
        let silent: fn(&mut TcpStream, TcpStream) = |_, _| thread::sleep(Duration::from_secs(3));
        let closing: fn(&mut TcpStream, TcpStream) =
            |c, _| c.write_all(b"421 Timeout.\r\n").unwrap();
        for retr in [silent, closing] {
            let (got, _, seen) = session_at("f.bin", retr, answer_quit);
            assert!(got.is_err(), "{got:?}");
            let last = seen.last().map(String::as_str);
            assert_eq!(last, Some("RETR f.bin"), "{seen:?}");
        }
    }

    #[test]
    fn type_i_is_read_from_the_url_and_the_port_defaults_to_21() {
        // RFC 1738's `;type=i` ends the path, read and not sent: TYPE I,
        // then RETR of the name alone.
        for url in ["ftp://h/d/f.bin;type=i", "ftp://h/d/f.bin;TYPE=I"] {
            assert_eq!(steps(url), owned(&["d"], "f.bin", Some(b'i')), "{url}");
        }
        let (got, out, seen) = session_at("f.bin;type=i", send_listing, answer_quit);
        assert_eq!(got, Ok(()));
        assert_eq!(out, b"a b.txt\r\nc\rd\r\nend\r");
        assert_eq!(
            seen,
            ["USER u", "PASS p", "TYPE I", "EPSV", "RETR f.bin", "QUIT"]
        );
        // No port in the URL: 21.
        for url in ["ftp://h/f", "ftp://u:p@h", "ftp://[::1]/f"] {
            assert_eq!(parse_url(url).map(|t| t.port), Ok(21), "{url}");
        }
    }

    #[test]
    fn a_name_of_4000_bytes_is_fetched() {
        // The engine's transmit buffer (4096 bytes) holds the RETR line.
        let name = "n".repeat(4000);
        let (got, out, seen) = session_at(&name, send_listing, answer_quit);
        assert_eq!(got, Ok(()));
        assert_eq!(out, b"a b.txt\r\nc\rd\r\nend\r");
        assert!(seen.contains(&format!("RETR {name}")), "{seen:?}");
    }

    #[test]
    fn data_before_a_refusal_is_held_up_to_1_mib_and_written_past_it() {
        // Exactly 1 MiB before the 550: all held, then dropped.
        let (got, out) = session(
            |c, mut d| {
                d.write_all(&file(HOLD)).unwrap();
                drop(d);
                thread::sleep(Duration::from_millis(500));
                c.write_all(b"550 Failed to open file.\r\n").unwrap();
            },
            answer_quit,
        );
        assert_eq!(got, Err("RETR failed: the server answered 550".into()));
        assert!(out.is_empty(), "{} bytes written", out.len());
        // More than 1 MiB before the 550: written as it comes.
        let (got, out) = session(
            |c, mut d| {
                d.write_all(&file(HOLD + 64 * 1024)).unwrap();
                drop(d);
                thread::sleep(Duration::from_millis(500));
                c.write_all(b"550 Failed to open file.\r\n").unwrap();
            },
            answer_quit,
        );
        assert_eq!(got, Err("RETR failed: the server answered 550".into()));
        assert!(out.len() > HOLD, "{} bytes written", out.len());
        assert!(out == file(out.len()), "not the bytes sent");
    }

    #[test]
    fn quit_after_the_file_is_waited_for_at_most_5_s() {
        // The file is whole and confirmed, QUIT is never answered, and the
        // timeout is 30 s: the client closes the connection within 5 s
        // (the server waits up to 7 s for that), and the fetch succeeds.
        let started = Instant::now();
        let (got, out, seen) = session_timed(
            "f.bin",
            |c, d| serve(c, d, b"150 ok (10 bytes)\r\n", 10, b"226 ok\r\n"),
            |c| {
                c.set_read_timeout(Some(Duration::from_secs(7))).unwrap();
                let closed = std::io::Read::read(c, &mut [0; 1]);
                assert_eq!(closed.ok(), Some(0), "the client closed within 7 s");
            },
            Duration::from_secs(30),
        );
        let took = started.elapsed();
        assert_eq!(got, Ok(()));
        assert_eq!(out, file(10));
        assert_eq!(seen.last().map(String::as_str), Some("QUIT"));
        assert!(took < Duration::from_millis(6500), "{took:?}");
    }

    #[test]
    fn a_refused_login_or_type_still_ends_with_quit() {
        // A 530 to PASS, a TYPE refused: exit 1, and QUIT, as curl does.
        for (path, refused) in [
            ("login-refused/f.bin", "PASS p"),
            ("type-refused/f.bin", "TYPE I"),
        ] {
            let (got, out, seen) = session_at(path, send_listing, answer_quit);
            assert!(got.is_err(), "{path}: {got:?}");
            assert!(out.is_empty(), "{path}");
            let tail: Vec<&str> = seen.iter().rev().take(2).map(String::as_str).collect();
            assert_eq!(tail, ["QUIT", refused], "{path}: {seen:?}");
        }
    }

    #[test]
    fn telnet_negotiation_is_not_answered() {
        // `IAC WILL ECHO` and `IAC DO SGA` from the server get no `IAC
        // DONT` or `IAC WONT` back: the server reads only the commands.
        let (got, out, seen) = session_at(
            "f.bin",
            |c, d| {
                serve(
                    c,
                    d,
                    b"\xff\xfb\x01150 Opening BINARY mode data connection (3 bytes).\r\n",
                    3,
                    b"\xff\xfd\x03226 Transfer complete.\r\n",
                )
            },
            answer_quit,
        );
        assert_eq!(got, Ok(()));
        assert_eq!(out, file(3));
        assert_eq!(
            seen,
            ["USER u", "PASS p", "TYPE I", "EPSV", "RETR f.bin", "QUIT"]
        );
    }

    #[test]
    fn a_227_naming_another_host_connects_to_the_server() {
        // The 227 names 192.0.2.7: the data connection goes to the
        // control connection's peer (127.0.0.1) with the offered port.
        let (got, out, seen) = session_at("pasv-elsewhere/f.bin", send_listing, answer_quit);
        assert_eq!(got, Ok(()));
        assert_eq!(out, b"a b.txt\r\nc\rd\r\nend\r");
        assert_eq!(
            seen,
            [
                "USER u",
                "PASS p",
                "CWD pasv-elsewhere",
                "TYPE I",
                "EPSV",
                "PASV",
                "RETR f.bin",
                "QUIT"
            ]
        );
    }
}
