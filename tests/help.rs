//! 214 Help: the command tables of vsftpd, proftpd, pure-ftpd and
//! pyftpdlib, ftp-srv's 211 after HELP, a single-line 214, and a long table.

mod common;

use common::{PROFTPD_HELP, PUREFTPD_SITE_HELP, VSFTPD_HELP, data_files};
use ftp_reply::payload::{Help, HelpCommand, Payload};
use ftp_reply::{Command, parse_complete};

fn help_of(case: &str, input: &[u8]) -> Help<'static> {
    let input: &'static [u8] = Box::leak(input.to_vec().into_boxed_slice());
    let (rest, reply) = parse_complete(input).unwrap_or_else(|e| panic!("{case}: {e}"));
    assert!(rest.is_empty(), "{case}: rest");
    assert_eq!(reply.code().get(), 214, "{case}: code");
    let help = reply
        .help()
        .unwrap_or_else(|| panic!("{case}: no help view"));
    assert_eq!(reply.payload(), Ok(Payload::Help(help)), "{case}: payload");
    assert_eq!(help.reply(), reply, "{case}: reply");
    help
}

/// The help view of a 211 that answers HELP (RFC 959's "system help
/// reply"), which only `payload_after` gives.
fn help_after_help(case: &str, input: &[u8]) -> Help<'static> {
    let input: &'static [u8] = Box::leak(input.to_vec().into_boxed_slice());
    let (rest, reply) = parse_complete(input).unwrap_or_else(|e| panic!("{case}: {e}"));
    assert!(rest.is_empty(), "{case}: rest");
    match reply.payload_after(Some(Command::Help)) {
        Ok(Payload::Help(help)) => help,
        other => panic!("{case}: 211 after HELP: {other:?}"),
    }
}

fn names<'a>(help: &Help<'a>) -> Vec<&'a str> {
    help.commands().map(|c| c.name).collect()
}

const VSFTPD_NAMES: &[&str] = &[
    "ABOR", "ACCT", "ALLO", "APPE", "CDUP", "CWD", "DELE", "EPRT", "EPSV", "FEAT", "HELP", "LIST",
    "MDTM", "MKD", "MODE", "NLST", "NOOP", "OPTS", "PASS", "PASV", "PORT", "PWD", "QUIT", "REIN",
    "REST", "RETR", "RMD", "RNFR", "RNTO", "SITE", "SIZE", "SMNT", "STAT", "STOR", "STOU", "STRU",
    "SYST", "TYPE", "USER", "XCUP", "XCWD", "XMKD", "XPWD", "XRMD",
];

#[test]
fn vsftpd_help() {
    let help = help_of("vsftpd", VSFTPD_HELP);
    assert_eq!(help.reply().line_count(), 6);
    let lines: Vec<&[u8]> = help.lines().collect();
    assert_eq!(lines[0], b"The following commands are recognized.");
    assert_eq!(lines[4], b" XPWD XRMD");
    assert_eq!(lines[5], b"Help OK.");
    assert_eq!(names(&help), VSFTPD_NAMES);
    assert_eq!(help.commands().count(), 44);
    assert!(help.commands().all(|c| !c.unimplemented));
    for (i, name) in ["retr", "RETR", "Stor", "xrmd", "ABOR", "cwd"]
        .iter()
        .enumerate()
    {
        assert!(help.lists(name), "case {i}: {name}");
    }
    for (i, name) in ["MLSD", "RET", "RETRX", "", "Help OK."].iter().enumerate() {
        assert!(!help.lists(name), "case {i}: {name}");
    }
}

#[test]
fn proftpd_help_with_prefixes_and_marks() {
    let help = help_of("proftpd", PROFTPD_HELP);
    assert_eq!(help.reply().line_count(), 9);
    let lines: Vec<&[u8]> = help.lines().collect();
    assert_eq!(
        lines[0],
        &b"The following commands are recognized (* =>'s unimplemented):"[..]
    );
    assert_eq!(
        lines[1],
        &b"CWD     XCWD    CDUP    XCUP    SMNT*   QUIT    PORT    PASV    "[..]
    );
    assert_eq!(lines[8], &b"Direct comments to root@localhost"[..]);
    let expected: &[(&str, bool)] = &[
        ("CWD", false),
        ("XCWD", false),
        ("CDUP", false),
        ("XCUP", false),
        ("SMNT", true),
        ("QUIT", false),
        ("PORT", false),
        ("PASV", false),
        ("EPRT", false),
        ("EPSV", false),
        ("ALLO", true),
        ("RNFR", false),
        ("RNTO", false),
        ("DELE", false),
        ("MDTM", false),
        ("RMD", false),
        ("XRMD", false),
        ("MKD", false),
        ("XMKD", false),
        ("PWD", false),
        ("XPWD", false),
        ("SIZE", false),
        ("SYST", false),
        ("HELP", false),
        ("NOOP", false),
        ("FEAT", false),
        ("OPTS", false),
        ("AUTH", false),
        ("CCC", true),
        ("CONF", true),
        ("ENC", true),
        ("MIC", true),
        ("PBSZ", false),
        ("PROT", false),
        ("TYPE", false),
        ("STRU", false),
        ("MODE", false),
        ("RETR", false),
        ("STOR", false),
        ("STOU", false),
        ("APPE", false),
        ("REST", false),
        ("ABOR", false),
        ("USER", false),
        ("PASS", false),
        ("ACCT", true),
        ("REIN", true),
        ("LIST", false),
        ("NLST", false),
        ("STAT", false),
        ("SITE", false),
        ("MLSD", false),
        ("MLST", false),
    ];
    let got: Vec<HelpCommand<'_>> = help.commands().collect();
    assert_eq!(got.len(), expected.len());
    for (i, (c, &(name, unimplemented))) in got.iter().zip(expected).enumerate() {
        assert_eq!(c.name, name, "case {i}");
        assert_eq!(c.unimplemented, unimplemented, "case {i}: {name}");
    }
    assert!(help.lists("smnt"), "a marked command is still listed");
    assert!(help.lists("retr"));
    assert!(!help.lists("SMNT*"));
}

/// Only the block's own code is read off a middle line (ProFTPD's
/// `214-`): a line that starts with another code and `-` is read as it
/// stands, so `215-RETR` is one word that is not a name and is dropped.
/// (Mutation testing: the guard `[a, b, c] == first` as `true` listed
/// `RETR` here.)
#[test]
fn only_the_blocks_own_code_is_read_off_a_line() {
    let help = help_of(
        "another code",
        b"214-The following commands are recognized (* =>'s unimplemented):\r\n\
          214-CWD     XCWD    CDUP\r\n\
          215-RETR STOR\r\n\
          214 Direct comments to root@localhost\r\n",
    );
    assert_eq!(names(&help), ["CWD", "XCWD", "CDUP", "STOR"]);
}

#[test]
fn pureftpd_site_help() {
    let help = help_of("pure-ftpd", PUREFTPD_SITE_HELP);
    assert_eq!(help.reply().line_count(), 6);
    assert_eq!(
        help.reply().text(),
        b"The following SITE commands are recognized"
    );
    assert_eq!(names(&help), ["ALIAS", "CHMOD", "IDLE", "UTIME"]);
    assert!(help.lists("chmod"));
    assert!(!help.lists("retr"));
}

/// wu-ftpd's `SITE HELP` (ftpcmd.y, `sitetab`), its columns as wide as its
/// longest name: `CHECKMETHOD` has 11 letters and `BUFSIZEMEASURE` (built
/// with AUTOBUF) 14. Names were capped at 10 letters, so both were dropped.
#[test]
fn wuftpd_site_help_long_names() {
    let help = help_of(
        "wu-ftpd SITE HELP",
        b"214-The following SITE commands are recognized (* =>'s unimplemented).\r\n\
   UMASK           GROUP           INDEX           GROUPS\r\n\
   IDLE            GPASS           EXEC            CHECKMETHOD\r\n\
   CHMOD           NEWER           ALIAS           CHECKSUM\r\n\
   HELP            MINFO           CDPATH          BUFSIZEMEASURE\r\n\
214 Direct comments to ftp-bugs@localhost.\r\n",
    );
    assert_eq!(
        names(&help),
        [
            "UMASK",
            "GROUP",
            "INDEX",
            "GROUPS",
            "IDLE",
            "GPASS",
            "EXEC",
            "CHECKMETHOD",
            "CHMOD",
            "NEWER",
            "ALIAS",
            "CHECKSUM",
            "HELP",
            "MINFO",
            "CDPATH",
            "BUFSIZEMEASURE",
        ]
    );
    assert!(help.lists("checkmethod"));
}

/// `HELP RETR`: a single-line 214 is a help reply with no table.
#[test]
fn single_line_help_has_no_table() {
    let cases: &[(&[u8], &[u8])] = &[
        (
            b"214 Syntax: RETR <sp> file-name\r\n",
            b"Syntax: RETR <sp> file-name",
        ),
        (b"214 RETR\r\n", b"RETR"),
        (b"214 Help OK.\n", b"Help OK."),
    ];
    for (i, &(input, text)) in cases.iter().enumerate() {
        let help = help_of(&format!("case {i}"), input);
        assert_eq!(help.lines().collect::<Vec<_>>(), [text], "case {i}");
        assert_eq!(help.commands().count(), 0, "case {i}");
        assert!(!help.lists("retr"), "case {i}");
    }
    // A block of two lines has no middle lines, so no table either.
    let help = help_of("two lines", b"214-RETR STOR\r\n214 LIST\r\n");
    assert_eq!(help.commands().count(), 0);
}

/// A 20-line HELP: 18 middle lines, one of them prose (skipped).
#[test]
fn twenty_line_help() {
    let mut input = b"214-The following commands are recognized.\r\n".to_vec();
    let mut expected = Vec::new();
    for j in 0..18 {
        if j == 9 {
            input.extend_from_slice(b" Use HELP <command> for details.\r\n");
            continue;
        }
        input.push(b' ');
        for k in 0..4 {
            let name = format!("C{j:02}X{k}");
            input.extend_from_slice(name.as_bytes());
            input.extend_from_slice(if k % 2 == 0 { b"*  " } else { b"   " });
            expected.push((name, k % 2 == 0));
        }
        input.extend_from_slice(b"\r\n");
    }
    input.extend_from_slice(b"214 Help OK.\r\n");
    let help = help_of("20 lines", &input);
    assert_eq!(help.reply().line_count(), 20);
    let got: Vec<(String, bool)> = help
        .commands()
        .map(|c| (c.name.to_string(), c.unimplemented))
        .collect();
    assert_eq!(got.len(), 68);
    assert_eq!(got, expected);
    assert!(help.lists("c17x3"));
    assert!(!help.lists("use"));
}

/// Middle lines that are not tables (prose, lowercase words, overlong words)
/// give no names; table lines around them still do.
#[test]
fn prose_lines_are_skipped() {
    let cases: &[(&[u8], &[&str])] = &[
        (b"214-Help\r\n Commands: RETR STOR\r\n214 End\r\n", &[]),
        (b"214-Help\r\n retr stor\r\n214 End\r\n", &[]),
        // Over 16 letters (wu-ftpd's longest, BUFSIZEMEASURE, has 14).
        (b"214-Help\r\n ABCDEFGHIJKLMNOPQ\r\n214 End\r\n", &[]),
        (
            b"214-Help\r\n ABCDEFGHIJKLMNOP\r\n214 End\r\n",
            &["ABCDEFGHIJKLMNOP"],
        ),
        (
            b"214-Help\r\n RETR\r\n see RFC 959\r\n STOR\r\n214 End\r\n",
            &["RETR", "STOR"],
        ),
        (b"214-Help\r\n R\r\n214 End\r\n", &[]),
        (
            b"214-Help\r\n ABCDEFGHIJ\tXMKD\r\n214 End\r\n",
            &["ABCDEFGHIJ", "XMKD"],
        ),
        (b"214-Help\r\n \r\n RETR\r\n214 End\r\n", &["RETR"]),
    ];
    for (i, &(input, want)) in cases.iter().enumerate() {
        let help = help_of(&format!("case {i}"), input);
        assert_eq!(names(&help), want, "case {i}");
    }
}

#[test]
fn help_on_another_code_is_none() {
    let (_, reply) = parse_complete(b"211-Features:\r\n MDTM\r\n211 End\r\n").unwrap();
    assert_eq!(reply.help(), None);
    assert!(!matches!(reply.payload(), Ok(Payload::Help(_))));
    // Help::new accepts any code.
    let names: Vec<&str> = Help::new(reply).commands().map(|c| c.name).collect();
    assert_eq!(names, ["MDTM"]);
}

/// RFC 959 lists 211 ("system status, or system help reply") among the
/// answers to HELP, and ftp-srv 4.6.3 (Node.js) gives its table so, every
/// line prefixed with `211-`, names split by tabs (recorded over loopback).
/// After HELP the 211 is a help reply; with no command it stays a status
/// reply, and after FEAT a feature list.
#[test]
fn ftp_srv_help_is_a_211_after_help() {
    const FTP_SRV_HELP: &[u8] = b"211-Supported commands:\r\n\
        211-ABOR\tALLO\tAPPE\tAUTH\tCDUP\r\n211-XCUP\tCWD\tXCWD\tDELE\tFEAT\r\n\
        211-HELP\tLIST\tMDTM\tMKD\tXMKD\r\n211-MODE\tNLST\tNOOP\tOPTS\tPASS\r\n\
        211-PASV\tPORT\tPWD\tXPWD\tQUIT\r\n211-REST\tRETR\tRMD\tXRMD\tRNFR\r\n\
        211-RNTO\tSITE\tSIZE\tSTAT\tSTOR\r\n211-STOU\tSTRU\tSYST\tTYPE\tUSER\r\n\
        211-PBSZ\tPROT\tEPRT\tEPSV\r\n211 Use \"HELP [command]\" for syntax help.\r\n";
    let help = help_after_help("ftp-srv", FTP_SRV_HELP);
    let reply = help.reply();
    assert_eq!(reply.line_count(), 11);
    assert_eq!(
        names(&help),
        [
            "ABOR", "ALLO", "APPE", "AUTH", "CDUP", "XCUP", "CWD", "XCWD", "DELE", "FEAT", "HELP",
            "LIST", "MDTM", "MKD", "XMKD", "MODE", "NLST", "NOOP", "OPTS", "PASS", "PASV", "PORT",
            "PWD", "XPWD", "QUIT", "REST", "RETR", "RMD", "XRMD", "RNFR", "RNTO", "SITE", "SIZE",
            "STAT", "STOR", "STOU", "STRU", "SYST", "TYPE", "USER", "PBSZ", "PROT", "EPRT", "EPSV",
        ]
    );
    assert!(help.lists("EPSV") && !help.lists("MLST"));
    // The accessor is for 214 only; the command decides for a 211.
    assert_eq!(reply.help(), None);
    assert!(matches!(reply.payload(), Ok(Payload::Status(_))));
    assert!(matches!(
        reply.payload_after(Some(Command::Stat)),
        Ok(Payload::Status(_))
    ));
    assert!(matches!(
        reply.payload_after(Some(Command::Feat)),
        Ok(Payload::Features(_))
    ));
    // Written back under its code, it reads the same after HELP.
    let mut buf = [0u8; 512];
    let n = Payload::Help(help)
        .encode_to(reply.code(), &mut buf)
        .unwrap();
    let (_, again) = parse_complete(&buf[..n]).unwrap();
    assert_eq!(
        again.payload_after(Some(Command::Help)),
        Ok(Payload::Help(help))
    );
    // HELP answered by another code: as before (a 200 is text, a 214 help).
    let (_, ok) = parse_complete(b"200 Help OK.\r\n").unwrap();
    assert_eq!(ok.payload_after(Some(Command::Help)), Ok(Payload::Text));
    let (_, one) = parse_complete(b"214 Help OK.\r\n").unwrap();
    assert!(matches!(
        one.payload_after(Some(Command::Help)),
        Ok(Payload::Help(_))
    ));
}

/// The recorded `help.raw` of each server: the names are the words of the
/// middle lines, read without the crate. (ftp-srv's is a 211, read after
/// HELP; BusyBox's is its FEAT list under 214, `REST STREAM` two words.)
#[test]
fn recorded_help_files() {
    for (path, bytes) in data_files()
        .into_iter()
        .filter(|(p, _)| p.file_name().is_some_and(|n| n == "help.raw"))
    {
        let name = path.display().to_string();
        // aioftp, Twisted, owftpd and nodeftpd have no HELP: their
        // help.raw is the 502.
        let no_help: [(&str, &[u8]); 4] = [
            ("aioftp", b"502 'help' not implemented\r\n"),
            ("twisted", b"502 Command 'HELP' not implemented\r\n"),
            ("owftpd", b"502 Command not implemented.\r\n"),
            ("nodeftpd", b"502 Command not implemented.\r\n"),
        ];
        if let Some((_, refusal)) = no_help.iter().find(|(s, _)| name.contains(s)) {
            assert_eq!(bytes, *refusal, "{name}");
            let (rest, reply) = parse_complete(&bytes).unwrap();
            assert!(rest.is_empty() && reply.code().get() == 502, "{name}");
            assert_eq!(reply.payload_after(Some(Command::Help)), Ok(Payload::Text));
            continue;
        }
        // unFTP's HELP is prose (its version and a link to its docs): a
        // help view with no names.
        if name.contains("unftp") {
            let help = help_of(&name, &bytes);
            assert_eq!(names(&help), Vec::<&str>::new(), "{name}");
            assert!(!help.lists("retr") && !help.lists("powered"), "{name}");
            continue;
        }
        let help = if bytes.starts_with(b"211") {
            help_after_help(&name, &bytes)
        } else {
            help_of(&name, &bytes)
        };
        let text = String::from_utf8(bytes.clone()).unwrap();
        let all: Vec<&str> = text.lines().collect();
        let want: Vec<(String, bool)> = all[1..all.len() - 1]
            .iter()
            .flat_map(|l| {
                l.trim_start_matches("214-")
                    .trim_start_matches("211-")
                    .split_whitespace()
            })
            .map(|w| (w.trim_end_matches('*').to_string(), w.ends_with('*')))
            .collect();
        let got: Vec<(String, bool)> = help
            .commands()
            .map(|c| (c.name.to_string(), c.unimplemented))
            .collect();
        assert!(!got.is_empty(), "{name}: a table");
        assert_eq!(got, want, "{name}");
        // BusyBox's ftpd answers HELP with its FEAT list, RETR not in it.
        if !name.contains("pure-ftpd") && !name.contains("busybox-ftpd") {
            assert!(help.lists("retr"), "{name}");
        }
    }
}

/// The names and marks of a help table, as `(name, unimplemented)`.
fn table<'a>(help: &Help<'a>) -> Vec<(&'a str, bool)> {
    help.commands().map(|c| (c.name, c.unimplemented)).collect()
}

/// `(name, false)` for each name, then the marked ones flipped.
fn flags<'a>(names: &[&'a str], marked: &[&str]) -> Vec<(&'a str, bool)> {
    names.iter().map(|n| (*n, marked.contains(n))).collect()
}

/// IIS (FTP 7.x) lists one name per line, indented, with a trailing space,
/// and marks an unimplemented command with a lone `*` after a space.
/// Written from the format IIS prints, not from a recording.
#[test]
fn iis_help_marks_after_a_space() {
    let input = b"214-The following commands are recognized (* ==>'s unimplemented).\r\n    ABOR \r\n    ACCT \r\n    ADAT *\r\n    ALLO \r\n    APPE \r\n    AUTH \r\n    CCC \r\n    CDUP \r\n    CWD \r\n    DELE \r\n    ENC *\r\n    EPRT \r\n    EPSV \r\n    FEAT \r\n    HELP \r\n    HOST \r\n    LANG \r\n    LIST \r\n    MDTM \r\n    MIC *\r\n    MKD \r\n    MODE \r\n    NLST \r\n    NOOP \r\n    OPTS \r\n    PASS \r\n    PASV \r\n    PBSZ \r\n    PORT \r\n    PROT \r\n    PWD \r\n    QUIT \r\n    REIN \r\n    REST \r\n    RETR \r\n    RMD \r\n    RNFR \r\n    RNTO \r\n    SIZE \r\n    SMNT *\r\n    STAT \r\n    STOR \r\n    STOU \r\n    STRU \r\n    SYST \r\n    TYPE \r\n    USER \r\n    XCUP \r\n    XCWD \r\n    XMKD \r\n    XPWD \r\n    XRMD \r\n214 HELP command successful.\r\n";
    let help = help_of("iis", input);
    let names = [
        "ABOR", "ACCT", "ADAT", "ALLO", "APPE", "AUTH", "CCC", "CDUP", "CWD", "DELE", "ENC",
        "EPRT", "EPSV", "FEAT", "HELP", "HOST", "LANG", "LIST", "MDTM", "MIC", "MKD", "MODE",
        "NLST", "NOOP", "OPTS", "PASS", "PASV", "PBSZ", "PORT", "PROT", "PWD", "QUIT", "REIN",
        "REST", "RETR", "RMD", "RNFR", "RNTO", "SIZE", "SMNT", "STAT", "STOR", "STOU", "STRU",
        "SYST", "TYPE", "USER", "XCUP", "XCWD", "XMKD", "XPWD", "XRMD",
    ];
    assert_eq!(table(&help), flags(&names, &["ADAT", "ENC", "MIC", "SMNT"]));
    assert!(help.lists("adat") && help.lists("retr"));
    assert!(!help.lists("*"));
}

/// FileZilla Server 0.9 prints eight names a row, with its own `P@SW`
/// among them: that word is dropped, not the row (MLST, MLSD and SITE stay).
/// Written from the format FileZilla Server prints, not from a recording.
#[test]
fn filezilla_server_help_keeps_the_row_of_p_at_sw() {
    let input = b"214-The following commands are recognized:\r\n   USER   PASS   QUIT   CWD    PWD    PORT   PASV   TYPE\r\n   LIST   REST   CDUP   RETR   STOR   SIZE   DELE   RMD\r\n   MKD    RNFR   RNTO   ABOR   SYST   NOOP   APPE   NLST\r\n   MDTM   XPWD   XCUP   XMKD   XRMD   NOP    EPSV   EPRT\r\n   AUTH   ADAT   PBSZ   PROT   FEAT   MODE   OPTS   HELP\r\n   ALLO   MLST   MLSD   SITE   P@SW   STRU   CLNT   MFMT\r\n   HASH\r\n214 Have a nice day.\r\n";
    let help = help_of("filezilla", input);
    let names = [
        "USER", "PASS", "QUIT", "CWD", "PWD", "PORT", "PASV", "TYPE", "LIST", "REST", "CDUP",
        "RETR", "STOR", "SIZE", "DELE", "RMD", "MKD", "RNFR", "RNTO", "ABOR", "SYST", "NOOP",
        "APPE", "NLST", "MDTM", "XPWD", "XCUP", "XMKD", "XRMD", "NOP", "EPSV", "EPRT", "AUTH",
        "ADAT", "PBSZ", "PROT", "FEAT", "MODE", "OPTS", "HELP", "ALLO", "MLST", "MLSD", "SITE",
        "STRU", "CLNT", "MFMT", "HASH",
    ];
    assert_eq!(table(&help), flags(&names, &[]));
    for name in ["MLST", "mlsd", "SITE", "CLNT"] {
        assert!(help.lists(name), "{name}");
    }
    assert!(!help.lists("P@SW"));
}

/// wu-ftpd 2.6 (its `ftpcmd.y` help table): eight names a row, `*` glued
/// to the unimplemented ones. Written from the format of its source.
#[test]
fn wu_ftpd_help() {
    let input = b"214-The following commands are recognized (* =>'s unimplemented).\r\n   USER    PORT    STOR    MSAM*   RNTO    NLST    MKD     CDUP    \r\n   PASS    PASV    APPE    MRSQ*   ABOR    SITE    XMKD    XCUP    \r\n   ACCT*   TYPE    MLFL*   MRCP*   DELE    SYST    RMD     STOU    \r\n   SMNT*   STRU    MAIL*   ALLO    CWD     STAT    XRMD    SIZE    \r\n   REIN*   MODE    MSND*   REST    XCWD    HELP    PWD     MDTM    \r\n   QUIT    RETR    MSOM*   RNFR    LIST    NOOP    XPWD    \r\n214 Direct comments to ftp-bugs@localhost.\r\n";
    let help = help_of("wu-ftpd", input);
    let names = [
        "USER", "PORT", "STOR", "MSAM", "RNTO", "NLST", "MKD", "CDUP", "PASS", "PASV", "APPE",
        "MRSQ", "ABOR", "SITE", "XMKD", "XCUP", "ACCT", "TYPE", "MLFL", "MRCP", "DELE", "SYST",
        "RMD", "STOU", "SMNT", "STRU", "MAIL", "ALLO", "CWD", "STAT", "XRMD", "SIZE", "REIN",
        "MODE", "MSND", "REST", "XCWD", "HELP", "PWD", "MDTM", "QUIT", "RETR", "MSOM", "RNFR",
        "LIST", "NOOP", "XPWD",
    ];
    let marked = [
        "MSAM", "MRSQ", "ACCT", "MLFL", "MRCP", "SMNT", "MAIL", "REIN", "MSND", "MSOM",
    ];
    assert_eq!(table(&help), flags(&names, &marked));
}

/// Serv-U: eight names a row after a `(* ==>'s unimplemented)` header,
/// then a prose line. Written from the format Serv-U prints, not from a
/// recording.
#[test]
fn serv_u_help() {
    let input = b"214-The following commands are recognized (* ==>'s unimplemented):\r\n   ABOR    ACCT*   ALLO    APPE    AUTH    CCC     CDUP    CLNT\r\n   CWD     DELE    EPRT    EPSV    FEAT    HELP    HOST    LANG\r\n   LIST    MDTM    MFMT    MKD     MLSD    MLST    MODE    NLST\r\n   NOOP    OPTS    PASS    PASV    PBSZ    PORT    PROT    PWD\r\n   QUIT    REIN    REST    RETR    RMD     RNFR    RNTO    SITE\r\n   SIZE    SMNT*   STAT    STOR    STOU    STRU    SYST    TYPE\r\n   USER    XCRC    XMD5    XSHA1   XSHA256 XSHA512\r\n   Use HELP <command> for more information.\r\n214 HELP command successful.\r\n";
    let help = help_of("serv-u", input);
    let names = [
        "ABOR", "ACCT", "ALLO", "APPE", "AUTH", "CCC", "CDUP", "CLNT", "CWD", "DELE", "EPRT",
        "EPSV", "FEAT", "HELP", "HOST", "LANG", "LIST", "MDTM", "MFMT", "MKD", "MLSD", "MLST",
        "MODE", "NLST", "NOOP", "OPTS", "PASS", "PASV", "PBSZ", "PORT", "PROT", "PWD", "QUIT",
        "REIN", "REST", "RETR", "RMD", "RNFR", "RNTO", "SITE", "SIZE", "SMNT", "STAT", "STOR",
        "STOU", "STRU", "SYST", "TYPE", "USER", "XCRC", "XMD5", "XSHA1", "XSHA256", "XSHA512",
    ];
    assert_eq!(table(&help), flags(&names, &["ACCT", "SMNT"]));
}

/// ProFTPD (the recorded `help.raw`, lines starting with a space), vsftpd
/// and Pure-FTPd's `HELP` (one long row): exact lists; the header and the
/// last line give nothing.
#[test]
fn proftpd_vsftpd_pure_ftpd_help() {
    let proftpd = b"214-The following commands are recognized (* =>'s unimplemented):\r\n CWD     XCWD    CDUP    XCUP    SMNT*   QUIT    PORT    PASV    \r\n EPRT    EPSV    ALLO    RNFR    RNTO    DELE    MDTM    RMD     \r\n XRMD    MKD     XMKD    PWD     XPWD    SIZE    SYST    HELP    \r\n NOOP    FEAT    OPTS    HOST    CLNT    AUTH*   CCC*    CONF*   \r\n ENC*    MIC*    PBSZ*   PROT*   TYPE    STRU    MODE    RETR    \r\n STOR    STOU    APPE    REST    ABOR    RANG    USER    PASS    \r\n ACCT*   REIN*   LIST    NLST    STAT    SITE    MLSD    MLST    \r\n214 Direct comments to root@127.0.0.1\r\n";
    let help = help_of("proftpd", proftpd);
    let names = [
        "CWD", "XCWD", "CDUP", "XCUP", "SMNT", "QUIT", "PORT", "PASV", "EPRT", "EPSV", "ALLO",
        "RNFR", "RNTO", "DELE", "MDTM", "RMD", "XRMD", "MKD", "XMKD", "PWD", "XPWD", "SIZE",
        "SYST", "HELP", "NOOP", "FEAT", "OPTS", "HOST", "CLNT", "AUTH", "CCC", "CONF", "ENC",
        "MIC", "PBSZ", "PROT", "TYPE", "STRU", "MODE", "RETR", "STOR", "STOU", "APPE", "REST",
        "ABOR", "RANG", "USER", "PASS", "ACCT", "REIN", "LIST", "NLST", "STAT", "SITE", "MLSD",
        "MLST",
    ];
    let marked = [
        "SMNT", "AUTH", "CCC", "CONF", "ENC", "MIC", "PBSZ", "PROT", "ACCT", "REIN",
    ];
    assert_eq!(table(&help), flags(&names, &marked));
    assert!(!help.lists("Direct") && !help.lists("DIRECT"));

    let help = help_of("vsftpd", VSFTPD_HELP);
    assert_eq!(table(&help), flags(VSFTPD_NAMES, &[]));

    let pure = b"214-The following commands are recognized.\r\n ALLO ANON APPE AUTH CCC CDUP CWD DELE EPRT EPSV ESTA ESTP FEAT HELP LIST MDTM MFMT MKD MLSD MLST MODE NLST NOOP OPTS PASS PASV PBSZ PORT PROT PWD QUIT REST RETR RMD RNFR RNTO SITE SIZE STAT STOR STOU STRU SYST TYPE USER XCUP XCWD XDBG XMKD XPWD XRMD\r\n214 Pure-FTPd - http://pureftpd.org/\r\n";
    let help = help_of("pure-ftpd", pure);
    let names = [
        "ALLO", "ANON", "APPE", "AUTH", "CCC", "CDUP", "CWD", "DELE", "EPRT", "EPSV", "ESTA",
        "ESTP", "FEAT", "HELP", "LIST", "MDTM", "MFMT", "MKD", "MLSD", "MLST", "MODE", "NLST",
        "NOOP", "OPTS", "PASS", "PASV", "PBSZ", "PORT", "PROT", "PWD", "QUIT", "REST", "RETR",
        "RMD", "RNFR", "RNTO", "SITE", "SIZE", "STAT", "STOR", "STOU", "STRU", "SYST", "TYPE",
        "USER", "XCUP", "XCWD", "XDBG", "XMKD", "XPWD", "XRMD",
    ];
    assert_eq!(table(&help), flags(&names, &[]));
}

/// pyftpdlib 1.5.7's `HELP` (the recorded `tests/data/pyftpdlib/help.raw`):
/// eight names a line, each written `" %-6s"`, so every table line ends in
/// spaces; sorted, `SITE` once. Its `HELP RETR` is one line of syntax, a
/// help reply without a table.
#[test]
fn pyftpdlib_help() {
    let recorded = b"214-The following commands are recognized:\r\n ABOR   ALLO   APPE   CDUP   CWD    DELE   EPRT   EPSV  \r\n FEAT   HELP   LIST   MDTM   MFMT   MKD    MLSD   MLST  \r\n MODE   NLST   NOOP   OPTS   PASS   PASV   PORT   PWD   \r\n QUIT   REIN   REST   RETR   RMD    RNFR   RNTO   SITE  \r\n SIZE   STAT   STOR   STOU   STRU   SYST   TYPE   USER  \r\n XCUP   XCWD   XMKD   XPWD   XRMD  \r\n214 Help command successful.\r\n";
    let file = data_files()
        .into_iter()
        .find(|(p, _)| p.ends_with("pyftpdlib/help.raw"))
        .expect("tests/data/pyftpdlib/help.raw");
    assert_eq!(&file.1[..], &recorded[..], "the recording");
    let help = help_of("pyftpdlib", recorded);
    let names = [
        "ABOR", "ALLO", "APPE", "CDUP", "CWD", "DELE", "EPRT", "EPSV", "FEAT", "HELP", "LIST",
        "MDTM", "MFMT", "MKD", "MLSD", "MLST", "MODE", "NLST", "NOOP", "OPTS", "PASS", "PASV",
        "PORT", "PWD", "QUIT", "REIN", "REST", "RETR", "RMD", "RNFR", "RNTO", "SITE", "SIZE",
        "STAT", "STOR", "STOU", "STRU", "SYST", "TYPE", "USER", "XCUP", "XCWD", "XMKD", "XPWD",
        "XRMD",
    ];
    assert_eq!(table(&help), flags(&names, &[]));
    // The header and the last line give nothing.
    assert!(!help.lists("The") && !help.lists("following") && !help.lists("successful"));
    assert!(help.lists("retr") && help.lists("XRMD") && !help.lists("SMNT"));

    let help = help_of(
        "pyftpdlib HELP RETR",
        b"214 Syntax: RETR <SP> file-name (retrieve a file).\r\n",
    );
    assert_eq!(help.commands().count(), 0);
    assert!(!help.lists("RETR"));
}

/// Words that are not names are dropped one by one; a lone `*` marks only
/// the name right before it; prose lines give nothing.
#[test]
fn stray_words_and_lone_marks() {
    type Case<'a> = (&'a [u8], &'a [(&'a str, bool)]);
    let cases: &[Case<'_>] = &[
        (b"214-Help\r\n RETR P@SW STOR\r\n214 End\r\n", &[("RETR", false), ("STOR", false)]),
        (b"214-Help\r\n RETR * STOR\r\n214 End\r\n", &[("RETR", true), ("STOR", false)]),
        (b"214-Help\r\n RETR\t*\r\n STOR\r\n214 End\r\n", &[("RETR", true), ("STOR", false)]),
        // A mark on the next line, or after a dropped word, marks nothing.
        (b"214-Help\r\n RETR\r\n * STOR\r\n214 End\r\n", &[("RETR", false), ("STOR", false)]),
        (b"214-Help\r\n RETR P@SW * STOR\r\n214 End\r\n", &[("RETR", false), ("STOR", false)]),
        (b"214-Help\r\n SMNT* *\r\n214 End\r\n", &[("SMNT", true)]),
        (b"214-Help\r\n RETR ** STOR\r\n214 End\r\n", &[("RETR", false), ("STOR", false)]),
        (b"214-Help\r\n * * *\r\n214 End\r\n", &[]),
        // Prose: lowercase words or clause punctuation.
        (b"214-Help\r\n Use HELP <command> for details.\r\n214 End\r\n", &[]),
        (b"214-Help\r\n NOTE: SITE HELP\r\n214 End\r\n", &[]),
        (b"214-Help\r\n SEE RETR, STOR\r\n214 End\r\n", &[]),
        (b"214-Help\r\n HELP OK.\r\n214 End\r\n", &[]),
        (b"214-The following commands are recognized (* =>'s unimplemented):\r\n RETR\r\n214 Direct comments to root@localhost\r\n", &[("RETR", false)]),
    ];
    for (i, &(input, want)) in cases.iter().enumerate() {
        let help = help_of(&format!("case {i}"), input);
        assert_eq!(table(&help), want, "case {i}");
    }
}

/// 64 KiB of hostile help replies: many short words, one very long line,
/// many lines, many lone marks: the names `commands()` gives and
/// `lists()` refusing a name no table holds. That the work stays linear is
/// `tests/complexity.rs`'s `HELP_` shapes (the same forms, their time per
/// byte at 4 KiB and at 64 KiB compared), not a time limit here: this
/// test runs under qemu-user too, where a debug build's 64 KiB took 0.86
/// s beside other jobs (ci158), over the 0.5 s this test allowed.
#[test]
fn hostile_help_tables() {
    const SIZE: usize = 64 * 1024;
    let mut shapes: Vec<(&str, Vec<u8>)> = Vec::new();
    let block = |body: &dyn Fn(&mut Vec<u8>)| {
        let mut v = b"214-Help\r\n".to_vec();
        body(&mut v);
        v.extend_from_slice(b"\r\n214 End\r\n");
        v
    };
    shapes.push((
        "many names on one line",
        block(&|v| {
            while v.len() < SIZE {
                v.extend_from_slice(b" AB");
            }
        }),
    ));
    shapes.push((
        "many marks on one line",
        block(&|v| {
            while v.len() < SIZE {
                v.extend_from_slice(b" AB * *");
            }
        }),
    ));
    shapes.push((
        "one very long word",
        block(&|v| {
            v.push(b' ');
            v.resize(SIZE, b'A');
        }),
    ));
    shapes.push((
        "a long table line ending in prose",
        block(&|v| {
            while v.len() < SIZE {
                v.extend_from_slice(b" RETR");
            }
            v.extend_from_slice(b" see");
        }),
    ));
    shapes.push((
        "blanks",
        block(&|v| {
            v.push(b'A');
            v.resize(SIZE, b' ');
            v.push(b'B');
        }),
    ));
    shapes.push((
        "many lines",
        block(&|v| {
            while v.len() < SIZE {
                v.extend_from_slice(b" RETR *\r\n");
            }
            v.extend_from_slice(b" X");
        }),
    ));
    shapes.push((
        "many empty lines",
        block(&|v| {
            while v.len() < SIZE {
                v.extend_from_slice(b"\r\n");
            }
        }),
    ));
    // (name, lines, names given): the counts of the shapes built above.
    let want = [
        ("many names on one line", 3, 21842),
        ("many marks on one line", 3, 9361),
        ("one very long word", 3, 0),
        ("a long table line ending in prose", 3, 0),
        ("blanks", 3, 0),
        ("many lines", 7284, 7281),
        ("many empty lines", 32766, 0),
    ];
    assert_eq!(shapes.len(), want.len());
    for ((name, input), (want_name, lines, names)) in shapes.iter().zip(want) {
        assert_eq!(*name, want_name);
        let help = help_of(name, input);
        assert_eq!(help.reply().line_count(), lines, "{name}");
        assert_eq!(help.commands().count(), names, "{name}");
        assert!(!help.lists("NOPE"), "{name}");
    }
}
