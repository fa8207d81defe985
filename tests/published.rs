//! Replies of real servers that this project cannot run: mainframes (z/OS,
//! IBM i, z/VM), OpenVMS, the BSD and System V line, Windows servers (IIS,
//! FileZilla Server, Serv-U, WS_FTP, Cerberus), hosting and cloud servers,
//! routers, NAS boxes and embedded stacks, taken from published transcripts
//! and logs (issue threads of FTP clients, manuals, tutorials, scanner
//! fixtures, curl's test server), and a few from a server's source where
//! no transcript was found (marked so in each title).
//!
//! `tests/data/published/replies.txt` holds them, one section each:
//!
//! ```text
//! ## what it shows
//! source: where the bytes were published
//! > the command they answer (`-` for none)
//! | a reply line (sent with CRLF)
//! = the dump example's JSON for each reply, as `dump --after CMD` prints
//! ```
//!
//! Each section's lines go through the dump example's rendering and must
//! give its `=` lines exactly; the decoder, fed them in small pushes, must
//! give the same replies as the walk. The values that matter most are also
//! checked here through the API, written out by hand from the published
//! bytes.

#[allow(dead_code)]
#[path = "../examples/dump/render.rs"]
mod render;

mod common;

use common::{decode, published, walk};
use ftp_reply::payload::Payload;
use ftp_reply::{Command, Decoder, ErrorKind, PayloadError, Reply, parse_complete};

/// The bytes of the one section whose title starts with `what`, and the
/// command they answer.
fn load(what: &str) -> (Vec<u8>, Option<Command>) {
    let mut found: Vec<_> = published()
        .into_iter()
        .filter(|s| s.what.starts_with(what))
        .collect();
    assert_eq!(found.len(), 1, "{what}");
    let s = found.remove(0);
    let command = s
        .command
        .as_deref()
        .and_then(|c| Command::from_name(c.as_bytes()));
    (s.input, command)
}

fn first_reply(input: &[u8]) -> Reply<'_> {
    parse_complete(input).expect("a reply").1
}

#[test]
fn every_published_reply_dumps_as_recorded() {
    let all = published();
    assert!(all.len() >= 75, "{} sections", all.len());
    let mut replies = 0;
    for s in &all {
        assert!(!s.input.is_empty() && !s.expected.is_empty(), "{}", s.what);
        let opts = render::Options {
            after: s.command.clone(),
            ..Default::default()
        };
        let (out, _) = render::dump(&s.input, &opts);
        let got: Vec<&str> = out.lines().collect();
        assert_eq!(got, s.expected, "{}", s.what);
        // Every reply frames: a payload may be refused, the framing never.
        assert!(!out.contains(r#"{"error""#), "{}: {out}", s.what);
        replies += got.len();
    }
    assert!(replies >= 80, "{replies} replies");
    // The README gives the count: "holds the dump to N replies".
    let readme = include_str!("../README.md").replace('\n', " ");
    let said = readme
        .split("holds the dump to ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse::<usize>().ok());
    assert_eq!(
        said,
        Some(replies),
        "the README's count of published replies"
    );
}

#[test]
fn the_decoder_gives_the_walk_s_replies_on_published_bytes() {
    for s in published() {
        let walked = walk(&s.input);
        for size in [1, 2, 3, 7, 16] {
            let got = decode(&mut Decoder::<1024>::new(), &s.input, &[size]);
            assert_eq!(got, walked, "{} in {size}-byte pushes", s.what);
        }
    }
}

#[test]
fn sizes_announced_in_a_150() {
    for (what, size) in [
        // MultiNet: `... ZIP.EXE;1 (70144 bytes) started.`
        ("MultiNet on OpenVMS: RETR", Some(70144)),
        // Solaris: an address in parentheses before the size.
        ("Solaris in.ftpd", Some(0)),
        // NcFTPd: `from 97.124.161.251:57849; ... (4817 bytes).`
        ("NcFTPd: a 150", Some(4817)),
        // Serv-U: `(28 Bytes).`
        ("Serv-U: the size", Some(28)),
        // TINET: `a.dat(4096 bytes)`, no space before the parenthesis.
        ("TINET ftpd", Some(4096)),
        // RT-Thread after REST: `(1034/1234 bytes)` is no size (as in curl,
        // which reads only digits between the parenthesis and ` bytes`).
        ("RT-Thread ftpd: a 150", None),
        // IBM i: no size in the text.
        ("IBM i: a member retrieved", None),
    ] {
        let (input, command) = load(what);
        let reply = first_reply(&input);
        assert_eq!(reply.code().get(), 150, "{what}");
        assert_eq!(
            reply.payload_after(command).expect(what),
            Payload::Transfer(size),
            "{what}"
        );
    }
}

#[test]
fn restart_offsets_after_rest() {
    for (what, offset) in [
        ("bftpd: REST echoes", Some(4096)),
        ("LightFTP: REST", Some(1024)),
        ("ftpiiu (Wii U): REST", Some(1_048_576)),
        // No word `rest` or `restart`: the text's one number, known to
        // answer REST.
        ("ftpvita (PS Vita, VitaShell): REST", Some(1_048_576)),
        ("goftp/server (Go): REST", Some(1024)),
        ("Pure-FTPd (Romanian messages): REST", Some(1234)),
        ("Pure-FTPd (German messages): REST", Some(1234)),
        // RFC 959's text: no number.
        ("Micrium uC/FTPs: REST", None),
    ] {
        let (input, command) = load(what);
        assert_eq!(command, Some(Command::Rest), "{what}");
        let reply = first_reply(&input);
        assert_eq!(
            reply.payload_after(command),
            Ok(Payload::Restart(offset)),
            "{what}"
        );
    }
}

#[test]
fn names_quoted_in_a_257() {
    for (what, name) in [
        ("IBM z/OS: PWD in the MVS realm", &b"'MIKEG1.'"[..]),
        ("IBM z/OS: PWD with an empty prefix", b"''"),
        ("IBM i: PWD names a library", b"QGPL"),
        ("IBM z/VM", b"SFS:TESTUSER."),
        ("MultiNet on OpenVMS: PWD", b"DISK$MISC:[DECUS]"),
        ("Nucleus NET: PWD", b"\\"),
        ("Windows CE", b"/"),
        ("VxWorks ftpdLib: PWD", b"/ata0a/"),
        ("RT-Thread ftpd: MKD", b"/sd/new"),
        (
            "curl's test server: 257 with text before",
            b"/this/is/the/path",
        ),
        // Doubled quotes, RFC 959 appendix II.
        ("curl's test server: 257 with doubled", b"/\"hello\""),
        ("ftpserverlib (SFTPGo): MKD", b"/my\"dir"),
        // Not doubled: the quote that a space follows closes the name.
        ("ftpserverlib (SFTPGo): PWD", b"/my\"dir"),
    ] {
        let (input, _) = load(what);
        let reply = first_reply(&input);
        let path = reply.pathname().expect(what);
        let mut buf = [0u8; 64];
        let n = path.copy_to(&mut buf).expect(what);
        assert_eq!(&buf[..n], name, "{what}");
    }
    // No quoted name: text, and `pathname()` says it is missing.
    for what in [
        "Bifrost (Erlang), and ESP-IDF",
        "FreeRTOS+TCP FTP: MKD with no quotes",
    ] {
        let (input, command) = load(what);
        let reply = first_reply(&input);
        assert_eq!(reply.payload_after(command), Ok(Payload::Text), "{what}");
        let e = reply.pathname().expect_err(what);
        assert_eq!(
            e.kind(),
            ErrorKind::Payload(PayloadError::Missing),
            "{what}"
        );
    }
}

#[test]
fn passive_addresses() {
    for (what, ip, port) in [
        // ESP-IDF: no text before the tuple.
        (
            "ESP-IDF ftp.c (ESP32): a 227",
            [192, 168, 4, 1],
            7 * 256 + 232,
        ),
        // vsftpd behind NAT: the address is the caller's to replace.
        ("vsftpd 3.0.2 behind 1:1 NAT", [0, 0, 0, 0], 59 * 256 + 198),
        ("a cloud VM seen through", [172, 16, 1, 69], 171 * 256 + 37),
        // A 227 where a 229 was asked for still reads as a 227.
        (
            "a server (FileZilla 0.9",
            [91, 190, 231, 97],
            119 * 256 + 66,
        ),
    ] {
        let (input, _) = load(what);
        let addr = first_reply(&input).passive().expect(what);
        assert_eq!((addr.ip.octets(), addr.port), (ip, port), "{what}");
    }
    // Serv-U's 229 with a period after the parenthesis.
    let (input, _) = load("Serv-U 15.1");
    let epsv = first_reply(&input).extended_passive().expect("229");
    assert_eq!(epsv.port(), 50006);
    // Refused, with the reason: fields above 255 (curl's test 237), a
    // port above 65535 (test 238), and Pure-FTPd's `227 Logout.`.
    for (what, kind) in [
        ("curl's test server (test 237)", PayloadError::FieldTooLarge),
        ("curl's test server (test 238)", PayloadError::BadPort),
        ("Pure-FTPd: a 227 with no address", PayloadError::Missing),
    ] {
        let (input, command) = load(what);
        let e = first_reply(&input).payload_after(command).expect_err(what);
        assert_eq!(e.kind(), ErrorKind::Payload(kind), "{what}");
    }
}

#[test]
fn systems_features_and_blocks() {
    // SYST: the first word, past IBM i's second space.
    for (what, name) in [
        ("IBM z/OS: SYST", &b"MVS"[..]),
        ("IBM i V7R1", b"OS/400"),
        ("curl's test server (test 1102)", b"OS/400"),
        ("MikroTik RouterOS 6.34.3: SYST", b"UNIX"),
        ("tnftpd", b"UNIX"),
        // MockFtpServer quotes the name.
        ("MockFtpServer (Java, FakeFtpServer)", b"WINDOWS"),
        ("MockFtpServer (Java, StubFtpServer)", b"WINDOWS"),
        ("ftpii (Wii)", b"UNIX"),
    ] {
        let (input, command) = load(what);
        match first_reply(&input).payload_after(command) {
            Ok(Payload::System(s)) => assert_eq!(s.name, name, "{what}"),
            other => panic!("{what}: {other:?}"),
        }
    }
    // FEAT: the features whatever the indent (none on z/OS, four spaces on
    // IIS 6 and Serv-U 7.3) and however the block ends.
    for (what, count, first, last) in [
        ("IBM z/OS V2R3: FEAT", 3, "AUTH TLS", "PROT"),
        ("IIS 6", 2, "SIZE", "MDTM"),
        (
            "Serv-U 7.3",
            25,
            "UTF8",
            "MLST Type*;Size*;Create;Modify*;Perm;Win32.ea;Win32.dt;Win32.dl",
        ),
        ("WS_FTP Server 6.1.1", 15, "SIZE", "PROT C;P;"),
        ("mtheall ftpd (3DS, Switch): FEAT", 6, "MDTM", "UTF8"),
        ("IBM z/OS: FEAT with no extension", 0, "", ""),
    ] {
        let (input, _) = load(what);
        let reply = first_reply(&input);
        let features: Vec<&[u8]> = reply
            .features()
            .expect(what)
            .iter()
            .map(|f| f.line)
            .collect();
        assert_eq!(features.len(), count, "{what}");
        if count > 0 {
            assert_eq!(features[0], first.as_bytes(), "{what}");
            assert_eq!(features[count - 1], last.as_bytes(), "{what}");
        }
    }
    // Blocks: every line counted, the code taken from the first line.
    for (what, code, lines) in [
        ("AIX ftpd", 230, 4),
        ("glFTPd: a 221", 221, 2),
        ("NcFTPd: a greeting", 220, 6),
        ("Cerberus FTP Server", 220, 4),
        ("IIS 7: a 550 block", 550, 4),
        ("IIS 7: HELP", 214, 55),
        ("MikroTik RouterOS 6.34.3: STAT", 211, 5),
        ("IBM z/OS: STAT", 211, 13),
    ] {
        let (input, _) = load(what);
        let reply = first_reply(&input);
        assert_eq!(
            (reply.code().get(), reply.line_count()),
            (code, lines),
            "{what}"
        );
    }
}
