//! Unit tests of the engine's pieces; whole sessions are in
//! `tests/client_sessions.rs`.

extern crate std;

use super::*;
use core::net::Ipv4Addr;

const PEER: IpAddr = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1));

#[test]
fn decimal() {
    let mut b = [0; 20];
    assert_eq!(format_u64(0, &mut b), b"0");
    assert_eq!(format_u64(524_288, &mut b), b"524288");
    assert_eq!(format_u64(u64::MAX, &mut b), b"18446744073709551615");
}

#[test]
fn size_bound() {
    assert!(core::mem::size_of::<Client<512>>() < 512 + 256);
    assert!(core::mem::size_of::<Client<4096>>() < 4096 + 256);
}

#[test]
fn queue_front_and_back() {
    let mut q = TxQueue::<64>::new();
    q.push(Command::Retr, Some(b"f")).unwrap();
    q.push_front(Command::Epsv, None).unwrap();
    q.release();
    assert_eq!(q.out(), b"EPSV\r\n");
    assert_eq!(q.current(), Some(Command::Epsv));
    q.taken(6);
    assert!(q.is_sent());
    q.drop_current();
    q.push_front(Command::Rest, Some(b"10")).unwrap();
    q.release();
    assert_eq!(q.out(), b"REST 10\r\n");
    q.drop_current();
    q.release();
    assert_eq!(q.out(), b"RETR f\r\n");
}

#[test]
fn queue_brings_a_line_forward() {
    let mut q = TxQueue::<64>::new();
    q.push(Command::Pass, Some(b"p")).unwrap();
    q.push(Command::Acct, Some(b"a")).unwrap();
    assert!(q.bring_to_front(Command::Acct));
    q.release();
    assert_eq!(q.out(), b"ACCT a\r\n");
    assert!(!q.bring_to_front(Command::User));
}

#[test]
fn queue_refuses_what_does_not_fit() {
    let mut q = TxQueue::<16>::new();
    let e = q
        .push(Command::Retr, Some(b"a-very-long-name"))
        .unwrap_err();
    assert_eq!(e.kind(), crate::ErrorKind::BufferFull);
    assert_eq!(q.out(), b"");
    let mut c = Client::<64, 16>::new(PEER);
    assert!(matches!(
        c.retrieve(b"a-very-long-name", 0),
        Err(ClientError::Argument(_))
    ));
    assert!(c.is_idle());
    assert!(c.noop().is_ok());
}

#[test]
fn forbidden_bytes_are_refused() {
    let mut c = Client::<64>::new(PEER);
    let e = c.cwd(b"a\r\nDELE b").unwrap_err();
    let ClientError::Argument(e) = e else {
        panic!("{e:?}")
    };
    assert_eq!(e.offset(), 1);
    assert!(c.raw(b"SITE x\0").is_err());
    assert!(c.is_idle());
}

#[test]
fn feature_bits_round_trip() {
    for b in 0..128u8 {
        assert_eq!(FeatureSet::from_bits(b).bits(), b);
    }
    let all = FeatureSet::from_bits(127);
    assert!(
        all.epsv && all.mlst && all.size && all.mdtm && all.rest_stream && all.utf8 && all.utf8_on
    );
}
