//! Encode then parse is the identity, for every typed payload: a generated
//! value is written as a reply, parsed back (with the command context the
//! payload needs), and compared.

use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ftp_reply::encode::write_base64;
use ftp_reply::encode::{SliceWriter, write_reply};
use ftp_reply::payload::{
    ExtendedPassive, LongPassiveAddr, MlstEntry, PassiveAddr, Pathname, Payload, Timestamp,
};
use ftp_reply::payload::{NetworkProtocols, RestartMarker, SecurityData, System};
use ftp_reply::{Command, ParserConfig, ReplyCode, parse_complete};
use proptest::prelude::*;

fn roundtrip(code: u16, payload: Payload<'_>, after: Option<Command>) {
    let code = ReplyCode::new(code).unwrap();
    let mut buf = [0u8; 1024];
    let n = payload.encode_to(code, &mut buf).expect("encodable");
    let (rest, reply) = parse_complete(&buf[..n]).expect("parses");
    assert!(rest.is_empty());
    assert_eq!(reply.code(), code);
    assert_eq!(
        reply.payload_after(after),
        Ok(payload),
        "{:?}",
        String::from_utf8_lossy(&buf[..n])
    );
    // The fmt::Write path writes the same bytes when they are UTF-8.
    if std::str::from_utf8(&buf[..n]).is_ok() {
        let mut s = String::new();
        payload.encode_fmt(code, &mut s).expect("fmt");
        assert_eq!(s.as_bytes(), &buf[..n]);
    }
}

fn text_bytes() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(
        any::<u8>().prop_filter("no CR, LF, NUL", |b| !matches!(b, b'\r' | b'\n' | 0)),
        0..40,
    )
}

fn word() -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(33u8..=126, 1..12)
        .prop_filter("no = or ;", |w| !w.contains(&b'=') && !w.contains(&b';'))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn passive(ip in any::<[u8; 4]>(), port in any::<u16>()) {
        roundtrip(227, Payload::Passive(PassiveAddr { ip: Ipv4Addr::from(ip), port }), None);
    }

    #[test]
    fn long_passive(v4 in any::<[u8; 4]>(), v6 in any::<[u8; 16]>(), six in any::<bool>(), port in any::<u16>()) {
        let ip = if six { IpAddr::V6(Ipv6Addr::from(v6)) } else { IpAddr::V4(Ipv4Addr::from(v4)) };
        let addr = LongPassiveAddr::new(ip, port);
        prop_assert_eq!((addr.ip(), addr.port()), (ip.to_canonical(), port));
        roundtrip(228, Payload::LongPassive(addr), None);
    }

    #[test]
    fn network_protocols(mask in any::<u32>()) {
        roundtrip(522, Payload::NetworkProtocols(NetworkProtocols::from_mask(mask)), None);
    }

    #[test]
    fn extended_passive(port in 1u16.., d in (32u8..=126).prop_filter("not a digit", |d| !d.is_ascii_digit())) {
        roundtrip(229, Payload::ExtendedPassive(ExtendedPassive::new(port, d).unwrap()), None);
    }

    #[test]
    fn pathname(path in text_bytes(), comment in text_bytes()) {
        let comment = comment.trim_ascii_start().to_vec();
        let p = Pathname::new(&path, &comment).unwrap();
        roundtrip(257, Payload::Pathname(p), None);
    }

    #[test]
    fn sizes(n in any::<u64>(), some in any::<bool>()) {
        roundtrip(213, Payload::Size(n), Some(Command::Size));
        roundtrip(150, Payload::Transfer(some.then_some(n)), None);
        roundtrip(125, Payload::Transfer(some.then_some(n)), Some(Command::Retr));
        roundtrip(350, Payload::Restart(some.then_some(n)), Some(Command::Rest));
        roundtrip(120, Payload::ReadyIn(some.then_some(n as u32)), None);
        roundtrip(200, Payload::BufferSize(some.then_some(n as u32)), Some(Command::Pbsz));
        if some {
            // A size needs no command: `PBSZ=` says what it is.
            roundtrip(200, Payload::BufferSize(Some(n as u32)), None);
        }
    }

    #[test]
    fn time(y in 0u16..=9999, mo in 1u8..=12, d in 1u8..=28, h in 0u8..=23, mi in 0u8..=59, s in 0u8..=60, digits in 0u8..=9, frac in any::<u32>()) {
        let unit = 10u32.pow(9 - u32::from(digits));
        let nanos = if digits == 0 { 0 } else { frac % 1_000_000_000 / unit * unit };
        let t = Timestamp::new(y, mo, d, h, mi, s).unwrap().with_fraction(nanos, digits).unwrap();
        roundtrip(213, Payload::Time(t), Some(Command::Mdtm));
    }

    #[test]
    fn system(name in word().prop_filter("no colon: it ends the name; no quote first: the parse may read inside it", |w| !w.contains(&b':') && w[0] != b'"'), rest in text_bytes()) {
        let rest = rest.trim_ascii().to_vec();
        roundtrip(215, Payload::System(System { name: &name, rest: &rest }), None);
    }

    #[test]
    fn marker(user in word(), server in word()) {
        roundtrip(110, Payload::RestartMarker(RestartMarker { user: &user, server: &server }), None);
    }

    #[test]
    fn mlst(facts in proptest::collection::vec(("[a-zA-Z.]{1,8}", "[a-zA-Z0-9.,:!@#$%^&()_+?/-]{0,12}"), 0..6), path in text_bytes().prop_filter("non-empty", |p| !p.is_empty())) {
        let facts: String = facts.iter().map(|(n, v)| format!("{n}={v};")).collect();
        match MlstEntry::new(facts.as_bytes(), &path) {
            Ok(e) => roundtrip(250, Payload::Mlst(e), Some(Command::Mlst)),
            // No facts, and a path that would read back as facts (`a=b;
            // c`, after any spaces): refused, not written.
            Err(e) => {
                let first = path.trim_ascii_start().split(|b| *b == b' ').next().unwrap_or_default();
                prop_assert!(facts.is_empty() && first.ends_with(b";") && first.contains(&b'='), "{e:?}");
                prop_assert_eq!(e.kind(), ftp_reply::ErrorKind::Payload(ftp_reply::PayloadError::Unencodable));
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn protected_and_adat(data in proptest::collection::vec(any::<u8>(), 1..200)) {
        let mut b64 = String::new();
        write_base64(&data, &mut b64).unwrap();
        let sec = SecurityData::new(b64.as_bytes()).unwrap();
        roundtrip(632, Payload::Protected(sec), None);
        roundtrip(335, Payload::Adat(Some(sec)), None);
        // And the data decodes back into a caller's buffer.
        let mut out = vec![0u8; sec.decoded_len()];
        prop_assert_eq!(sec.decode_into(&mut out), Ok(data.len()));
        prop_assert_eq!(out, data);
    }
}

#[test]
fn views_roundtrip() {
    // Features, help and status lines are views over a reply: re-encoding
    // them and parsing again gives equal views (compared line by line).
    let feat =
        b"211-Features:\r\n MDTM\r\n REST STREAM\r\n MLST type*;size*;modify*;perm;\r\n211 End\r\n";
    let help = b"214-The following commands are recognized (* =>'s unimplemented):\r\n214-CWD     XCWD    SMNT*\r\n214 Direct comments to root@localhost\r\n";
    let stat = b"211-FTP server status:\r\n     Connected to 127.0.0.1\r\n211 End of status\r\n";
    for (input, after) in [
        (&feat[..], Some(Command::Feat)),
        (&help[..], None),
        (&stat[..], Some(Command::Stat)),
    ] {
        let (_, reply) = parse_complete(input).unwrap();
        let payload = reply.payload_after(after).unwrap();
        let mut buf = [0u8; 512];
        let n = payload.encode_to(reply.code(), &mut buf).unwrap();
        let (_, again) = parse_complete(&buf[..n]).unwrap();
        assert_eq!(
            again.payload_after(after).unwrap(),
            payload,
            "{}",
            String::from_utf8_lossy(&buf[..n])
        );
    }
}

#[test]
fn unencodable_values_are_refused() {
    // A 229 port of 0, or a digit or a control byte as delimiter, cannot
    // even be built (a space can: NORTi's `(   1010 )`).
    assert_eq!(ExtendedPassive::new(0, b'|'), None);
    assert_eq!(ExtendedPassive::new(21, b'7'), None);
    assert_eq!(ExtendedPassive::new(21, b'\t'), None);
    assert_eq!(ExtendedPassive::new(21, 127), None);
    let e = Payload::Text
        .encode_to(ReplyCode::new(200).unwrap(), &mut [0u8; 64])
        .unwrap_err();
    assert_eq!(
        e,
        ftp_reply::Error::new(
            ftp_reply::ErrorKind::Payload(ftp_reply::PayloadError::Unencodable),
            0
        )
    );
    let p = Payload::Passive(PassiveAddr {
        ip: Ipv4Addr::LOCALHOST,
        port: 21,
    });
    // Where the write stopped: "227 " fits, the text does not.
    assert_eq!(
        p.encode_to(ReplyCode::new(227).unwrap(), &mut [0u8; 10]),
        Err(ftp_reply::Error::new(ftp_reply::ErrorKind::BufferFull, 4))
    );
}

/// `encode_to`'s doc: a payload written under a code that does not carry
/// it reads back as that code's payload, not as the one written.
#[test]
fn a_payload_under_another_code_reads_as_that_code() {
    let mut buf = [0u8; 128];
    for (payload, code, after) in [
        (
            Payload::Passive(PassiveAddr {
                ip: Ipv4Addr::LOCALHOST,
                port: 21,
            }),
            200,
            None,
        ),
        (Payload::Transfer(Some(12)), 226, None),
        (Payload::Restart(Some(7)), 200, None),
    ] {
        let code = ReplyCode::new(code).unwrap();
        let n = payload.encode_to(code, &mut buf).unwrap();
        let (_, reply) = parse_complete(&buf[..n]).unwrap();
        assert_eq!(reply.payload_after(after), Ok(Payload::Text), "{payload:?}");
    }
    // The first line's error when no line holds a valid 229 tuple.
    let (_, reply) = parse_complete(b"229-x\r\n229 (|||0|)\r\n").unwrap();
    assert_eq!(
        reply.extended_passive().map_err(|e| (e.kind(), e.offset())),
        Err((
            ftp_reply::ErrorKind::Payload(ftp_reply::PayloadError::Missing),
            4
        ))
    );
}

/// The README's one exception to "every payload can be written back": a
/// CR with no LF after it, kept as text by a parse, is refused by the
/// encoder (which writes no CR inside a line).
#[test]
fn a_cr_kept_in_text_is_unencodable() {
    let unencodable = ftp_reply::ErrorKind::Payload(ftp_reply::PayloadError::Unencodable);
    for (input, after) in [
        (&b"212-Status\r\n a\rb\r\n212 End\r\n"[..], None),
        (b"211-Status\r\n x\r\r\n211 End\r\n", None),
        (b"215 UNIX Ty\re: L8\r\n", None),
        (
            b"211-Features:\r\n MD\rTM\r\n211 End\r\n",
            Some(Command::Feat),
        ),
    ] {
        let (_, reply) = parse_complete(input).unwrap();
        let payload = reply.payload_after(after).unwrap();
        let e = payload
            .encode_to(reply.code(), &mut [0u8; 256])
            .unwrap_err();
        assert_eq!(e.kind(), unencodable, "{input:?}");
    }
}

/// The views (status lines, help) re-encoded and parsed back, with the
/// default parser and with `any_code_ends_block`: the lines are `want`.
fn view_roundtrip(code: u16, input: &[u8], after: Option<Command>, want: &[&[u8]]) {
    let code = ReplyCode::new(code).unwrap();
    let (rest, reply) = parse_complete(input).unwrap();
    assert!(rest.is_empty());
    let payload = reply.payload_after(after).unwrap();
    let mut buf = vec![0u8; input.len() * 2 + 64];
    let n = payload.encode_to(code, &mut buf).unwrap();
    let shown = String::from_utf8_lossy(&buf[..n]).into_owned();
    for config in [
        ParserConfig::new(),
        ParserConfig::new().any_code_ends_block(true),
    ] {
        let (rest, again) = config
            .parse_complete(&buf[..n])
            .unwrap_or_else(|e| panic!("{shown:?}: {e:?}"));
        assert!(rest.is_empty(), "{shown:?}: left over");
        assert_eq!(again.code(), code, "{shown:?}");
        let lines: Vec<&[u8]> = again.lines().collect();
        assert_eq!(lines, want, "{shown:?}");
        assert_eq!(again.payload_after(after), Ok(payload), "{shown:?}");
    }
    if let Ok(text) = std::str::from_utf8(&buf[..n]) {
        let mut s = String::new();
        payload.encode_fmt(code, &mut s).unwrap();
        assert_eq!(s, text);
    }
}

/// A reply whose every middle line repeats `code-` (as ProFTPD writes), so
/// that its lines are exactly `first`, `middle` and `last`.
fn prefixed_block(code: u16, first: &[u8], middle: &[&[u8]], last: &[u8]) -> Vec<u8> {
    let mut out = format!("{code}-").into_bytes();
    out.extend_from_slice(first);
    out.extend_from_slice(b"\r\n");
    for line in middle {
        out.extend_from_slice(format!("{code}-").as_bytes());
        out.extend_from_slice(line);
        out.extend_from_slice(b"\r\n");
    }
    out.extend_from_slice(format!("{code} ").as_bytes());
    out.extend_from_slice(last);
    out.extend_from_slice(b"\r\n");
    out
}

/// Middle lines that start like a reply line (the block's code or another
/// with `-` or a space, digits alone, an empty line) come back as they
/// were: status (211, 212, 213 after STAT) and help (214).
#[test]
fn views_with_code_like_middle_lines() {
    let middles: &[&[u8]] = &[
        b"211-211-x",
        b"211-x",
        b"211 x",
        b"211",
        b"212-x",
        b"212 x",
        b"213 x",
        b"214-214 x",
        b"214 x",
        b"214-x",
        b"214",
        b"",
        b"0",
        b"12",
        b"999 x",
        b"100 x",
        b"600-x",
        b"2111",
        b" 211 x",
        b"-211 x",
        b"MDTM",
    ];
    for (code, after) in [
        (211, None),
        (211, Some(Command::Stat)),
        (212, None),
        (213, Some(Command::Stat)),
        (214, None),
    ] {
        let mut want: Vec<&[u8]> = vec![b"status"];
        want.extend_from_slice(middles);
        want.push(b"End");
        let input = prefixed_block(code, b"status", middles, b"End");
        view_roundtrip(code, &input, after, &want);
        // One middle line at a time, too.
        for m in middles {
            let input = prefixed_block(code, b"x", &[m], b"y");
            view_roundtrip(code, &input, after, &[b"x", m, b"y"]);
        }
    }
}

/// The exact bytes: a middle line that starts with a digit is written after
/// `code-`; other lines as they are.
#[test]
fn middle_line_framing_bytes() {
    let input = b"214-Help\r\n214-214 x\r\n214-214-y\r\n ABOR\r\n\r\n214-7\r\n214 OK\r\n";
    let (_, reply) = parse_complete(input).unwrap();
    let lines: Vec<&[u8]> = reply.lines().collect();
    assert_eq!(
        lines,
        [&b"Help"[..], b"214 x", b"214-y", b" ABOR", b"", b"7", b"OK"]
    );
    let payload = reply.payload().unwrap();
    let mut buf = [0u8; 128];
    let n = payload
        .encode_to(ReplyCode::new(214).unwrap(), &mut buf)
        .unwrap();
    assert_eq!(
        &buf[..n],
        b"214-Help\r\n214-214 x\r\n214-214-y\r\n ABOR\r\n\r\n214-7\r\n214 OK\r\n"
    );
    // Under another code the prefix is that code.
    let n = payload
        .encode_to(ReplyCode::new(211).unwrap(), &mut buf)
        .unwrap();
    assert_eq!(
        &buf[..n],
        b"211-Help\r\n211-214 x\r\n211-214-y\r\n ABOR\r\n\r\n211-7\r\n211 OK\r\n"
    );
}

/// `encode::write_reply` frames middle lines the same way.
#[test]
fn write_reply_round_trips_code_like_lines() {
    let middle: &[&[u8]] = &[b"211-211-x", b"211 x", b"212 x", b"211", b"", b" a"];
    let mut buf = [0u8; 256];
    let mut w = SliceWriter::new(&mut buf);
    write_reply(
        &mut w,
        ReplyCode::new(211).unwrap(),
        b"first",
        middle.iter().copied(),
        Some(b"last"),
    )
    .unwrap();
    let n = w.len();
    assert_eq!(
        &buf[..n],
        &b"211-first\r\n211-211-211-x\r\n211-211 x\r\n211-212 x\r\n211-211\r\n\r\n a\r\n211 last\r\n"[..]
    );
    for config in [
        ParserConfig::new(),
        ParserConfig::new().any_code_ends_block(true),
    ] {
        let (rest, reply) = config.parse_complete(&buf[..n]).unwrap();
        assert!(rest.is_empty());
        let lines: Vec<&[u8]> = reply.lines().collect();
        let mut want: Vec<&[u8]> = vec![b"first"];
        want.extend_from_slice(middle);
        want.push(b"last");
        assert_eq!(lines, want);
    }
}

/// A middle line of a status or help view: arbitrary bytes, biased to the
/// shapes that look like reply lines.
fn middle_line() -> impl Strategy<Value = Vec<u8>> {
    let code = prop_oneof![
        Just(b"211".to_vec()),
        Just(b"212".to_vec()),
        Just(b"213".to_vec()),
        Just(b"214".to_vec()),
        (100u16..=699).prop_map(|c| c.to_string().into_bytes()),
        "[0-9]{1,5}".prop_map(String::into_bytes),
    ];
    let sep = prop_oneof![
        Just(b"-".to_vec()),
        Just(b" ".to_vec()),
        Just(Vec::new()),
        Just(b"\t".to_vec()),
    ];
    prop_oneof![
        3 => (code, sep, text_bytes()).prop_map(|(mut c, s, t)| {
            c.extend(s);
            c.extend(t);
            c
        }),
        1 => Just(Vec::new()),
        1 => "[0-9]{1,8}".prop_map(String::into_bytes),
        1 => text_bytes().prop_map(|t| [&b" "[..], &t].concat()),
        2 => text_bytes(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn views_with_any_middle_lines(
        code in prop_oneof![Just(211u16), Just(212), Just(213), Just(214)],
        first in text_bytes(),
        middle in proptest::collection::vec(middle_line(), 0..6),
        last in text_bytes(),
    ) {
        let after = (code == 213).then_some(Command::Stat);
        let input = prefixed_block(code, &first, &middle.iter().map(Vec::as_slice).collect::<Vec<_>>(), &last);
        let mut want: Vec<&[u8]> = vec![&first];
        want.extend(middle.iter().map(Vec::as_slice));
        want.push(&last);
        view_roundtrip(code, &input, after, &want);
    }

    #[test]
    fn write_reply_with_any_middle_lines(
        code in 100u16..=699,
        first in text_bytes(),
        middle in proptest::collection::vec(middle_line(), 0..6),
        last in text_bytes(),
    ) {
        let rc = ReplyCode::new(code).unwrap();
        let mut buf = vec![0u8; 1024];
        let mut w = SliceWriter::new(&mut buf);
        write_reply(&mut w, rc, &first, middle.iter().map(Vec::as_slice), Some(&last)).unwrap();
        let n = w.len();
        let mut want: Vec<&[u8]> = vec![&first];
        want.extend(middle.iter().map(Vec::as_slice));
        want.push(&last);
        for config in [ParserConfig::new(), ParserConfig::new().any_code_ends_block(true)] {
            let (rest, reply) = config.parse_complete(&buf[..n]).unwrap();
            prop_assert!(rest.is_empty());
            prop_assert_eq!(reply.code(), rc);
            let lines: Vec<&[u8]> = reply.lines().collect();
            prop_assert_eq!(&lines, &want);
        }
    }
}
