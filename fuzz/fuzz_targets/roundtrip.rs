//! Structured input through `arbitrary`: a typed payload (always one the
//! encoder can write: the crate's `Arbitrary` impls only build valid
//! values) and a reply code, encoded, parsed back whole, and compared.
//! Also the command writer: any command with any argument either refuses
//! CR/LF/NUL or writes exactly `NAME[ SP arg] CRLF`, each byte 255 of the
//! argument doubled (Telnet IAC, RFC 854).

#![no_main]

use arbitrary::Arbitrary;
use ftp_reply::payload::Payload;
use ftp_reply::{Command, parse_complete};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Input<'a> {
    payload: Payload<'a>,
    command: Command,
    arg: Option<&'a [u8]>,
}

fuzz_target!(|input: Input<'_>| {
    let (code, after) = input
        .payload
        .typical_reply()
        .expect("arbitrary builds only payloads with a typical reply");
    let mut buf = [0u8; 4096];
    let n = input.payload.encode_to(code, &mut buf).unwrap_or_else(|e| {
        panic!(
            "an arbitrary payload is encodable: {e} for {:?}",
            input.payload
        )
    });
    let wire = &buf[..n];
    let (rest, reply) = parse_complete(wire).expect("encoded bytes parse");
    assert!(rest.is_empty(), "one reply, nothing after it");
    assert_eq!(reply.code(), code);
    assert_eq!(
        reply.payload_after(after),
        Ok(input.payload),
        "{:?}",
        String::from_utf8_lossy(wire)
    );

    let mut out = [0u8; 512];
    match input.command.write_to(input.arg, &mut out) {
        Ok(n) => {
            let name = input.command.name().as_bytes();
            let mut expected = name.to_vec();
            if let Some(arg) = input.arg.filter(|a| !a.is_empty()) {
                assert!(!arg.iter().any(|b| matches!(b, b'\r' | b'\n' | 0)));
                expected.push(b' ');
                // Telnet (RFC 854): a data byte 255 is sent as 255 255.
                for &b in arg {
                    expected.push(b);
                    if b == 255 {
                        expected.push(255);
                    }
                }
            }
            expected.extend_from_slice(b"\r\n");
            assert_eq!(&out[..n], &expected[..]);
        }
        Err(e) => {
            let arg = input.arg.unwrap_or_default();
            let forbidden = arg.iter().any(|b| matches!(b, b'\r' | b'\n' | 0));
            let iacs = arg.iter().filter(|&&b| b == 255).count();
            let too_long = input.command.name().len() + arg.len() + iacs + 3 > out.len();
            assert!(forbidden || too_long, "{e}");
        }
    }
});
