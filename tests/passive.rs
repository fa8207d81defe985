//! 227 Entering Passive Mode: every variant of the tuple, every way it can
//! be wrong, and real servers' lines.

mod common;

use std::net::{Ipv4Addr, SocketAddrV4};

use common::{PASSIVE_ERR, PASSIVE_OK, REAL_PASV, data_files};
use ftp_reply::payload::Payload;
use ftp_reply::{ErrorKind, PayloadError, parse_complete};

#[test]
fn variants_that_parse() {
    for (i, &(input, ip, port)) in PASSIVE_OK.iter().enumerate() {
        let (rest, reply) = parse_complete(input).unwrap_or_else(|e| panic!("case {i}: {e}"));
        assert!(rest.is_empty(), "case {i}: rest");
        assert_eq!(reply.code().get(), 227, "case {i}: code");
        let addr = reply.passive().unwrap_or_else(|e| panic!("case {i}: {e}"));
        assert_eq!(addr.ip, Ipv4Addr::from(ip), "case {i}: ip");
        assert_eq!(addr.port, port, "case {i}: port");
        assert_eq!(
            addr.socket_addr(),
            SocketAddrV4::new(Ipv4Addr::from(ip), port),
            "case {i}: socket_addr"
        );
        assert_eq!(
            reply.payload(),
            Ok(Payload::Passive(addr)),
            "case {i}: payload"
        );
    }
}

#[test]
fn variants_that_fail() {
    for (i, &(input, why, offset)) in PASSIVE_ERR.iter().enumerate() {
        let (rest, reply) = parse_complete(input).unwrap_or_else(|e| panic!("case {i}: {e}"));
        assert!(rest.is_empty(), "case {i}: rest");
        assert_eq!(reply.code().get(), 227, "case {i}: code");
        let e = reply.passive().unwrap_err();
        assert_eq!(e.kind(), ErrorKind::Payload(why), "case {i}: kind");
        assert_eq!(e.offset(), offset, "case {i}: offset");
        assert!(offset <= input.len(), "case {i}: offset in the reply");
        assert_eq!(reply.payload(), Err(e), "case {i}: payload");
    }
}

/// The offsets of the table point at what they say.
#[test]
fn error_offsets_point_at_the_field() {
    let cases: &[(usize, &[u8])] = &[
        (2, b"256"),
        (3, b"1000"),
        (7, b"-1"),
        (9, b"0x7f"),
        (10, b"12a"),
        (0, b")"),
    ];
    for &(index, at) in cases {
        let (input, _, offset) = PASSIVE_ERR[index];
        assert_eq!(&input[offset..offset + at.len()], at, "case {index}");
    }
}

#[test]
fn real_servers() {
    for (i, &(server, input, ip, port)) in REAL_PASV.iter().enumerate() {
        let (_, reply) = parse_complete(input).unwrap_or_else(|e| panic!("case {i} {server}: {e}"));
        let addr = reply
            .passive()
            .unwrap_or_else(|e| panic!("case {i} {server}: {e}"));
        assert_eq!(addr.ip, Ipv4Addr::from(ip), "case {i} {server}");
        assert_eq!(addr.port, port, "case {i} {server}");
    }
}

/// The six numbers between the parentheses, read without the crate.
fn independent_tuple(line: &[u8]) -> Option<([u8; 4], u16)> {
    let text = std::str::from_utf8(line).ok()?;
    let inner = &text[text.find('(')? + 1..text.find(')')?];
    let n: Vec<u8> = inner
        .split(',')
        .map(|f| f.trim().parse().ok())
        .collect::<Option<_>>()?;
    (n.len() == 6).then(|| {
        (
            [n[0], n[1], n[2], n[3]],
            u16::from(n[4]) * 256 + u16::from(n[5]),
        )
    })
}

/// Every recorded `tests/data/<server>/pasv.raw`.
#[test]
fn recorded_pasv_files() {
    let files: Vec<_> = data_files()
        .into_iter()
        .filter(|(p, _)| p.file_name().is_some_and(|n| n == "pasv.raw"))
        .collect();
    for (path, bytes) in &files {
        let name = path.display();
        let (rest, reply) = parse_complete(bytes).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(rest.is_empty(), "{name}: one reply");
        assert_eq!(reply.code().get(), 227, "{name}");
        // The first line that holds a tuple (aioftp's is the closing line
        // of a two-line 227).
        let (ip, port) = bytes
            .split(|&b| b == b'\n')
            .find_map(independent_tuple)
            .unwrap_or_else(|| panic!("{name}: no tuple"));
        let addr = reply.passive().unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(addr.ip, Ipv4Addr::from(ip), "{name}");
        assert_eq!(
            addr.ip,
            Ipv4Addr::LOCALHOST,
            "{name}: recorded over loopback"
        );
        assert_eq!(addr.port, port, "{name}");
    }
}

/// Every 227 in the recorded sessions has a tuple that parses.
#[test]
fn recorded_sessions_227() {
    for (path, bytes) in data_files() {
        for (i, item) in common::walk(&bytes).iter().enumerate() {
            if let common::Item::Reply { code: 227, raw, .. } = item {
                let (_, reply) = parse_complete(&raw.0).unwrap();
                assert!(reply.passive().is_ok(), "{}: item {i}", path.display());
            }
        }
    }
}

/// `passive()` on another code is `WrongCode` at 0; `payload()` is not a 227's.
#[test]
fn wrong_code() {
    let cases: &[&[u8]] = &[
        b"200 Entering Passive Mode (1,2,3,4,5,6)\r\n",
        b"229 Entering Extended Passive Mode (|||6446|)\r\n",
        b"228 Entering Long Passive Mode (4,4,1,2,3,4,2,24,15)\r\n",
    ];
    for (i, input) in cases.iter().enumerate() {
        let (_, reply) = parse_complete(input).unwrap();
        let e = reply.passive().unwrap_err();
        assert_eq!(
            (e.kind(), e.offset()),
            (ErrorKind::WrongCode, 0),
            "case {i}"
        );
    }
    let (_, reply) = parse_complete(cases[0]).unwrap();
    assert!(!matches!(reply.payload(), Ok(Payload::Passive(_))));
}

/// `Display` of every `PayloadError`, in an `Error`.
#[test]
fn display() {
    let cases: &[(PayloadError, &str)] = &[
        (
            PayloadError::Missing,
            "bad payload: payload missing at byte 4",
        ),
        (
            PayloadError::FieldTooLarge,
            "bad payload: 227 field above 255 at byte 4",
        ),
        (
            PayloadError::EmptyField,
            "bad payload: 227 field empty at byte 4",
        ),
        (
            PayloadError::NegativeField,
            "bad payload: 227 field negative at byte 4",
        ),
        (
            PayloadError::NonDecimalField,
            "bad payload: 227 field not a decimal number at byte 4",
        ),
        (
            PayloadError::WrongFieldCount(5),
            "bad payload: 227 tuple has 5 numbers instead of 6 at byte 4",
        ),
        (
            PayloadError::TruncatedTuple,
            "bad payload: 227 tuple cut short at byte 4",
        ),
    ];
    for (i, &(why, text)) in cases.iter().enumerate() {
        let e = ftp_reply::Error::new(ErrorKind::Payload(why), 4);
        assert_eq!(e.to_string(), text, "case {i}");
    }
}

/// A multi-line 227 whose first line holds a date with a comma
/// (`Nov 26, 2024`) before the tuple on the last line: the tuple should
/// still be found, as it is when the first line holds `2024` alone
/// (`PASSIVE_OK` case 8).
#[test]
fn tuple_after_a_date_with_a_comma() {
    let input = b"227-Server time Nov 26, 2024\r\n227 Entering Passive Mode (10,0,0,7,8,9)\r\n";
    let (_, reply) = parse_complete(input).unwrap();
    let addr = reply.passive().unwrap();
    assert_eq!(addr.ip, Ipv4Addr::new(10, 0, 0, 7));
    assert_eq!(addr.port, 2057);
}

/// `227\r\n` (no text at all): `Missing` should point where the text
/// would start (3), not at the LF (4).
#[test]
fn missing_tuple_in_a_bare_227() {
    let (_, reply) = parse_complete(b"227\r\n").unwrap();
    let e = reply.passive().unwrap_err();
    assert_eq!(
        (e.kind(), e.offset()),
        (ErrorKind::Payload(PayloadError::Missing), 3)
    );
}

/// `PassiveAddr::guard`: the peer's IP with the offered port, and each
/// `PassiveConcern` its doc names (`None` for the peer, also as an
/// IPv4-mapped IPv6 peer; a loopback offer from a loopback peer is the
/// peer).
#[test]
fn guard_names_each_concern() {
    use ftp_reply::payload::PassiveConcern;
    use std::net::{IpAddr, Ipv6Addr, SocketAddr};
    let peer = IpAddr::V4(Ipv4Addr::new(203, 0, 113, 9));
    let cases: &[(&[u8], IpAddr, Option<PassiveConcern>)] = &[
        (
            b"227 Entering Passive Mode (203,0,113,9,39,5).\r\n",
            peer,
            None,
        ),
        (
            b"227 Entering Passive Mode (203,0,113,9,39,5).\r\n",
            IpAddr::V6(Ipv4Addr::new(203, 0, 113, 9).to_ipv6_mapped()),
            None,
        ),
        (
            b"227 Entering Passive Mode (127,0,0,1,39,5).\r\n",
            IpAddr::V4(Ipv4Addr::LOCALHOST),
            None,
        ),
        (
            b"227 Entering Passive Mode (0,0,0,0,39,5).\r\n",
            peer,
            Some(PassiveConcern::Unspecified),
        ),
        (
            b"227 Entering Passive Mode (127,1,2,3,39,5).\r\n",
            peer,
            Some(PassiveConcern::Loopback),
        ),
        // Loopback, but not the peer's own address: a peer at another
        // loopback address, or at IPv6's `::1`, is no exception.
        (
            b"227 Entering Passive Mode (127,1,2,3,39,5).\r\n",
            IpAddr::V4(Ipv4Addr::LOCALHOST),
            Some(PassiveConcern::Loopback),
        ),
        (
            b"227 Entering Passive Mode (127,0,0,1,39,5).\r\n",
            IpAddr::V6(Ipv6Addr::LOCALHOST),
            Some(PassiveConcern::Loopback),
        ),
        (
            b"227 Entering Passive Mode (169,254,7,7,39,5).\r\n",
            peer,
            Some(PassiveConcern::LinkLocal),
        ),
        (
            b"227 Entering Passive Mode (255,255,255,255,39,5).\r\n",
            peer,
            Some(PassiveConcern::Broadcast),
        ),
        (
            b"227 Entering Passive Mode (224,0,0,251,39,5).\r\n",
            peer,
            Some(PassiveConcern::Broadcast),
        ),
        (
            b"227 Entering Passive Mode (10,0,0,7,39,5).\r\n",
            peer,
            Some(PassiveConcern::DiffersFromPeer),
        ),
        (
            b"227 Entering Passive Mode (203,0,113,9,39,5).\r\n",
            IpAddr::V6(Ipv6Addr::LOCALHOST),
            Some(PassiveConcern::DiffersFromPeer),
        ),
    ];
    for (i, &(input, peer, concern)) in cases.iter().enumerate() {
        let (_, reply) = parse_complete(input).unwrap();
        let addr = reply.passive().unwrap();
        let target = addr.guard(peer);
        assert_eq!(target.connect_to, SocketAddr::new(peer, 9989), "case {i}");
        assert_eq!(target.offered, addr.socket_addr(), "case {i}");
        assert_eq!(target.concern, concern, "case {i}");
    }
}

/// `LongPassiveAddr::guard`, a 228's: the peer's IP with the offered port,
/// a 227's concerns for an IPv4 address (family 4, or IPv4-mapped in
/// family 6), and each concern its doc names for an IPv6 one.
#[test]
fn long_passive_guard_names_each_concern() {
    use ftp_reply::payload::PassiveConcern;
    use std::net::{IpAddr, Ipv6Addr, SocketAddr};
    let v4_peer = IpAddr::V4(Ipv4Addr::new(203, 0, 113, 9));
    let v6_peer: IpAddr = "2001:db8::9".parse().unwrap();
    // 2001:db8::9, fe80::1, ff02::1 and ::ffff:203.0.113.9 as 228 fields.
    let six = |h: &str| format!("228 Entering Long Passive Mode (6,16,{h},2,39,5)\r\n");
    let peer6 = six("32,1,13,184,0,0,0,0,0,0,0,0,0,0,0,9");
    let other6 = six("32,1,13,184,0,0,0,0,0,0,0,0,0,0,0,7");
    let zero6 = six("0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,0");
    let lo6 = six("0,0,0,0,0,0,0,0,0,0,0,0,0,0,0,1");
    let link6 = six("254,128,0,0,0,0,0,0,0,0,0,0,0,0,0,1");
    let multi6 = six("255,2,0,0,0,0,0,0,0,0,0,0,0,0,0,1");
    let mapped6 = six("0,0,0,0,0,0,0,0,0,0,255,255,203,0,113,9");
    let four = |h: &str| format!("228 Entering Long Passive Mode (4,4,{h},2,39,5)\r\n");
    let cases: Vec<(String, IpAddr, Option<PassiveConcern>)> = vec![
        (peer6.clone(), v6_peer, None),
        (
            other6.clone(),
            v6_peer,
            Some(PassiveConcern::DiffersFromPeer),
        ),
        (peer6, v4_peer, Some(PassiveConcern::DiffersFromPeer)),
        (zero6, v6_peer, Some(PassiveConcern::Unspecified)),
        (lo6.clone(), v6_peer, Some(PassiveConcern::Loopback)),
        (lo6, IpAddr::V6(Ipv6Addr::LOCALHOST), None),
        (link6, v6_peer, Some(PassiveConcern::LinkLocal)),
        (multi6, v6_peer, Some(PassiveConcern::Broadcast)),
        // The IPv4 forms: a 227's rules, the mapped form the same host.
        (mapped6, v4_peer, None),
        (four("203,0,113,9"), v4_peer, None),
        (
            four("203,0,113,9"),
            IpAddr::V6(Ipv4Addr::new(203, 0, 113, 9).to_ipv6_mapped()),
            None,
        ),
        (
            four("10,0,0,7"),
            v4_peer,
            Some(PassiveConcern::DiffersFromPeer),
        ),
        (four("0,0,0,0"), v4_peer, Some(PassiveConcern::Unspecified)),
        (four("127,0,0,1"), v6_peer, Some(PassiveConcern::Loopback)),
        (
            four("169,254,7,7"),
            v4_peer,
            Some(PassiveConcern::LinkLocal),
        ),
        (
            four("255,255,255,255"),
            v4_peer,
            Some(PassiveConcern::Broadcast),
        ),
    ];
    for (i, (input, peer, concern)) in cases.into_iter().enumerate() {
        let (_, reply) = parse_complete(input.as_bytes()).unwrap();
        let addr = reply.long_passive().unwrap();
        let target = addr.guard(peer);
        assert_eq!(target.connect_to, SocketAddr::new(peer, 9989), "case {i}");
        assert_eq!(target.offered, addr.socket_addr(), "case {i}");
        assert_eq!(target.concern, concern, "case {i}: {input}");
    }
}

/// Port 0 parses in a 227 (its doc: nothing can connect there, the caller
/// decides, the client engine fails on it), where a 229 refuses it.
#[test]
fn port_zero_parses_in_a_227_not_in_a_229() {
    let (_, r) =
        ftp_reply::parse_complete(b"227 Entering Passive Mode (10,0,0,1,0,0).\r\n").unwrap();
    let a = r.passive().unwrap();
    assert_eq!((a.ip, a.port), (std::net::Ipv4Addr::new(10, 0, 0, 1), 0));
    let (_, r) =
        ftp_reply::parse_complete(b"229 Entering Extended Passive Mode (|||0|)\r\n").unwrap();
    let e = r.extended_passive().unwrap_err();
    assert_eq!(
        e.kind(),
        ftp_reply::ErrorKind::Payload(ftp_reply::PayloadError::BadPort)
    );
}
