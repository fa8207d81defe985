//! 214 Help: the command tables of vsftpd, proftpd and pure-ftpd, a
//! single-line 214, and a long table.

mod common;

use common::{PROFTPD_HELP, PUREFTPD_SITE_HELP, VSFTPD_HELP, data_files};
use ftp_reply::{Help, HelpCommand, Payload, parse_complete};

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
        (b"214-Help\r\n ABCDEFGHIJK\r\n214 End\r\n", &[]),
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

/// The recorded `help.raw` of each server: the names are the words of the
/// middle lines, read without the crate.
#[test]
fn recorded_help_files() {
    for (path, bytes) in data_files()
        .into_iter()
        .filter(|(p, _)| p.file_name().is_some_and(|n| n == "help.raw"))
    {
        let name = path.display().to_string();
        let help = help_of(&name, &bytes);
        let text = String::from_utf8(bytes.clone()).unwrap();
        let all: Vec<&str> = text.lines().collect();
        let want: Vec<(String, bool)> = all[1..all.len() - 1]
            .iter()
            .flat_map(|l| l.trim_start_matches("214-").split_whitespace())
            .map(|w| (w.trim_end_matches('*').to_string(), w.ends_with('*')))
            .collect();
        let got: Vec<(String, bool)> = help
            .commands()
            .map(|c| (c.name.to_string(), c.unimplemented))
            .collect();
        assert!(!got.is_empty(), "{name}: a table");
        assert_eq!(got, want, "{name}");
        if !name.contains("pure-ftpd") {
            assert!(help.lists("retr"), "{name}");
        }
    }
}
