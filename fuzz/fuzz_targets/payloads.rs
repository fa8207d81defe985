//! Every typed view on every reply that the walk of arbitrary bytes yields:
//! no panic, and the values agree with the reply and with each other.
//!
//! - `lines()`: `line_count()` items, each inside the raw bytes, without
//!   LF; `text()` is the first;
//! - `passive()`: only a 227 gives an address, `payload()` gives the same;
//!   an error offset is inside the reply;
//! - `help()`: only for 214; every command name matches the table rule (an
//!   ASCII capital, then 1 to 9 capitals or digits) and stands in the raw
//!   bytes, followed by `*` when marked unimplemented.
//!
//! A new payload in `src/payload/` gets its own function below, called from
//! `check`.

#![no_main]

mod common;

use ftp_reply::{ErrorKind, Help, KnownCode, Payload, Reply};
use libfuzzer_sys::fuzz_target;

fn inside(raw: &[u8], part: &[u8]) -> bool {
    let start = raw.as_ptr() as usize;
    let p = part.as_ptr() as usize;
    p >= start && p + part.len() <= start + raw.len()
}

fn check_lines(reply: &Reply<'_>) {
    let raw = reply.as_bytes();
    let mut n = 0;
    for line in reply.lines() {
        assert!(inside(raw, line), "a line outside the reply");
        assert!(!line.contains(&b'\n'));
        n += 1;
    }
    assert_eq!(n, reply.line_count());
    assert_eq!(
        reply.lines().size_hint(),
        (reply.line_count(), Some(reply.line_count()))
    );
    assert_eq!(Some(reply.text()), reply.lines().next());
}

fn check_passive(reply: &Reply<'_>) {
    let is_227 = reply.code().known() == KnownCode::EnteringPassiveMode;
    match reply.passive() {
        Ok(addr) => {
            assert!(is_227);
            assert_eq!(addr.socket_addr().port(), addr.port);
            let commas = reply.as_bytes().iter().filter(|&&b| b == b',').count();
            assert!(commas >= 5, "an address from fewer than 5 commas");
        }
        Err(e) => {
            if is_227 {
                assert!(matches!(e.kind(), ErrorKind::Passive(_)), "{e:?}");
                assert!(e.offset() <= reply.as_bytes().len());
            } else {
                assert_eq!(e.kind(), ErrorKind::WrongCode);
            }
        }
    }
}

fn check_help(reply: &Reply<'_>) {
    let is_214 = reply.code().known() == KnownCode::HelpMessage;
    let Some(help) = reply.help() else {
        assert!(!is_214);
        return;
    };
    assert!(is_214);
    check_help_view(reply, &help);
}

fn check_help_view(reply: &Reply<'_>, help: &Help<'_>) {
    let raw = reply.as_bytes();
    assert_eq!(help.reply(), *reply);
    assert_eq!(help.lines().count(), reply.line_count());
    for c in help.commands() {
        let name = c.name.as_bytes();
        assert!((2..=10).contains(&name.len()), "{:?}", c.name);
        assert!(name[0].is_ascii_uppercase());
        assert!(
            name.iter()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        );
        assert!(inside(raw, name), "a command name outside the reply");
        let after = name.as_ptr() as usize + name.len() - raw.as_ptr() as usize;
        assert_eq!(raw.get(after) == Some(&b'*'), c.unimplemented);
        assert!(help.lists(c.name));
    }
}

fn check_payload(reply: &Reply<'_>) {
    match reply.payload() {
        Ok(Payload::Passive(addr)) => assert_eq!(reply.passive(), Ok(addr)),
        Ok(Payload::Help(help)) => {
            assert_eq!(reply.help(), Some(help));
            check_help_view(reply, &help);
        }
        Ok(Payload::Text) => {
            assert!(reply.passive().is_err());
            assert!(reply.help().is_none());
        }
        Ok(_) => {}
        Err(e) => assert!(e.offset() <= reply.as_bytes().len(), "{e:?}"),
    }
}

fn check(reply: &Reply<'_>) {
    check_lines(reply);
    check_passive(reply);
    check_help(reply);
    check_payload(reply);
}

fuzz_target!(|data: &[u8]| {
    common::walk(data, |r| {
        if let Ok(reply) = r {
            check(&reply);
        }
    });
});
