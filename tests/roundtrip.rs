//! Encode then parse is the identity, for every typed payload: a generated
//! value is written as a reply, parsed back (with the command context the
//! payload needs), and compared.

use core::net::Ipv4Addr;

use ftp_reply::payload::{RestartMarker, SecurityData, System, encode_base64};
use ftp_reply::{
    Command, ExtendedPassive, MlstEntry, PassiveAddr, Pathname, Payload, ReplyCode, Timestamp,
    parse_complete,
};
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
    fn extended_passive(port in 1u16.., d in (33u8..=126).prop_filter("not a digit", |d| !d.is_ascii_digit())) {
        roundtrip(229, Payload::ExtendedPassive(ExtendedPassive { port, delimiter: d }), None);
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
    }

    #[test]
    fn time(y in 0u16..=9999, mo in 1u8..=12, d in 1u8..=28, h in 0u8..=23, mi in 0u8..=59, s in 0u8..=60, digits in 0u8..=9, frac in any::<u32>()) {
        let unit = 10u32.pow(9 - u32::from(digits));
        let nanos = if digits == 0 { 0 } else { frac % 1_000_000_000 / unit * unit };
        let t = Timestamp::new(y, mo, d, h, mi, s).unwrap().with_fraction(nanos, digits).unwrap();
        roundtrip(213, Payload::Time(t), Some(Command::Mdtm));
    }

    #[test]
    fn system(name in word(), rest in text_bytes()) {
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
        roundtrip(250, Payload::Mlst(MlstEntry::new(facts.as_bytes(), &path)), Some(Command::Mlst));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn protected_and_adat(data in proptest::collection::vec(any::<u8>(), 1..200)) {
        let mut b64 = String::new();
        encode_base64(&data, &mut b64).unwrap();
        let sec = SecurityData { base64: b64.as_bytes() };
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
    let code = ReplyCode::new(229).unwrap();
    let bad = Payload::ExtendedPassive(ExtendedPassive {
        port: 0,
        delimiter: b'|',
    });
    assert!(bad.encode_to(code, &mut [0u8; 64]).is_err());
    let p = Payload::Passive(PassiveAddr {
        ip: Ipv4Addr::LOCALHOST,
        port: 21,
    });
    assert_eq!(
        p.encode_to(ReplyCode::new(227).unwrap(), &mut [0u8; 10])
            .unwrap_err()
            .kind(),
        ftp_reply::ErrorKind::BufferFull
    );
}
