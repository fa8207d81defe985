//! Every typed view on every reply that the walk of arbitrary bytes yields:
//! no panic, and the values agree with the reply and with each other.
//!
//! - `lines()`: `line_count()` items, each inside the raw bytes, without
//!   LF; `text()` is the first; it and `middle_lines()` are exact (`len`)
//!   and fused;
//! - `passive()`: only a 227 gives an address, `payload()` gives the same;
//!   an error offset is inside the reply;
//! - `long_passive()`: only a 228 gives an address, from a tuple of 9 or
//!   21 numbers (at least 8 commas), and `payload()` gives the same;
//! - `help()`: only for 214; every command name matches the table rule (an
//!   ASCII capital, then 1 to 15 capitals or digits) and stands in the raw
//!   bytes, followed by `*` (at once, or as the next word of its line) when
//!   marked unimplemented.
//! - a 200's `PBSZ=` size (RFC 2228) comes only from a text that holds
//!   `PBSZ=`, and with no command known a 200 gives no error;
//! - every payload the encoder accepts parses back equal, with the default
//!   parser and with `any_code_ends_block` (seed
//!   `common_code_like_middle_lines`: status and help lines that start
//!   like reply lines).
//!
//! A new payload in `src/payload/` gets its own function below, called from
//! `check`.

#![no_main]

mod common;

use ftp_reply::payload::{Help, Payload};
use ftp_reply::{Command, ErrorKind, KnownCode, ParserConfig, PayloadError, Reply, parse_complete};
use libfuzzer_sys::fuzz_target;

/// `part` lies inside `raw` (an empty slice may point anywhere).
fn inside(raw: &[u8], part: &[u8]) -> bool {
    if part.is_empty() {
        return true;
    }
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
    exact_and_fused(reply.lines());
    exact_and_fused(reply.middle_lines());
}

/// `len` is what is left at every step, and once `None`, always `None`.
fn exact_and_fused<I: ExactSizeIterator + std::iter::FusedIterator>(mut it: I) {
    let mut left = it.len();
    while it.next().is_some() {
        assert!(left > 0, "an item after len() said 0");
        left -= 1;
        assert_eq!(it.len(), left);
    }
    assert_eq!(left, 0, "None while len() said {left}");
    assert!(it.next().is_none() && it.next().is_none());
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
                assert!(matches!(e.kind(), ErrorKind::Payload(_)), "{e:?}");
                assert!(e.offset() <= reply.as_bytes().len());
            } else {
                assert_eq!(e.kind(), ErrorKind::WrongCode);
            }
        }
    }
}

fn check_long_passive(reply: &Reply<'_>) {
    let is_228 = reply.code().get() == 228;
    match reply.long_passive() {
        Ok(addr) => {
            assert!(is_228);
            assert_eq!(addr.socket_addr().port(), addr.port());
            let commas = reply.as_bytes().iter().filter(|&&b| b == b',').count();
            assert!(commas >= 8, "an address from fewer than 8 commas");
            assert_eq!(reply.payload(), Ok(Payload::LongPassive(addr)));
        }
        Err(e) => {
            if is_228 {
                assert!(matches!(e.kind(), ErrorKind::Payload(_)), "{e:?}");
                assert!(e.offset() <= reply.as_bytes().len());
                assert_eq!(reply.payload(), Err(e));
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

/// What follows a command name marks it: `*` right after it (`SMNT*`), or
/// after blanks on the same line a lone `*` (`ADAT *`): one that a blank,
/// or only white space to the line end, follows.
fn marked(after: &[u8]) -> bool {
    if after.first() == Some(&b'*') {
        return true;
    }
    let start = after
        .iter()
        .position(|b| !matches!(b, b' ' | b'\t'))
        .unwrap_or(after.len());
    match &after[start..] {
        // Then a blank, or only white space (trimmed, a form feed and CRs
        // included) to the line end.
        [b'*', b' ' | b'\t', ..] => start > 0,
        [b'*', rest @ ..] => {
            start > 0
                && rest
                    .iter()
                    .find(|b| !b.is_ascii_whitespace() || **b == b'\n')
                    .is_none_or(|b| *b == b'\n')
        }
        _ => false,
    }
}

fn check_help_view(reply: &Reply<'_>, help: &Help<'_>) {
    let raw = reply.as_bytes();
    assert_eq!(help.reply(), *reply);
    assert_eq!(help.lines().count(), reply.line_count());
    for c in help.commands() {
        let name = c.name.as_bytes();
        assert!((2..=16).contains(&name.len()), "{:?}", c.name);
        assert!(name[0].is_ascii_uppercase());
        assert!(
            name.iter()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        );
        assert!(inside(raw, name), "a command name outside the reply");
        let after = name.as_ptr() as usize + name.len() - raw.as_ptr() as usize;
        assert_eq!(marked(&raw[after..]), c.unimplemented, "{:?}", c.name);
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
            // A 257 is text only when it quotes nothing, whole: no quote
            // starts its text or follows a space or tab.
            if reply.code().get() == 257 {
                assert!(!reply.is_truncated());
                let text = reply.text();
                assert!(!text.starts_with(b"\""));
                assert!(!text.windows(2).any(|w| matches!(w, [b' ' | b'\t', b'"'])));
                let e = reply.pathname().unwrap_err();
                assert_eq!(e.kind(), ErrorKind::Payload(PayloadError::Missing));
            }
        }
        Ok(_) => {}
        Err(e) => {
            assert!(e.offset() <= reply.as_bytes().len(), "{e:?}");
            // A 200 promises no value when the command is not known.
            assert!(reply.code().get() != 200 || reply.is_truncated(), "{e:?}");
        }
    }
}

/// The command contexts that `payload_after` tells apart (every command
/// `Payload::parse_after` names: REST and RNFR change a 350's answer).
const CONTEXTS: [Option<Command>; 10] = [
    None,
    Some(Command::Size),
    Some(Command::Mdtm),
    Some(Command::Stat),
    Some(Command::Feat),
    Some(Command::Mlst),
    Some(Command::Pbsz),
    Some(Command::Help),
    Some(Command::Rest),
    Some(Command::Rnfr),
];

/// The views of one payload agree with each other.
fn check_views(reply: &Reply<'_>, payload: &Payload<'_>) {
    let raw = reply.as_bytes();
    match payload {
        Payload::ExtendedPassive(e) => assert_eq!(reply.extended_passive(), Ok(*e)),
        Payload::LongPassive(a) => assert_eq!(reply.long_passive(), Ok(*a)),
        Payload::NetworkProtocols(Some(p)) => {
            assert_eq!(p.iter().count(), p.mask().count_ones() as usize);
            assert!(p.iter().all(|n| p.contains(n)));
        }
        Payload::Pathname(p) => {
            assert_eq!(reply.pathname(), Ok(*p));
            let n = p.len();
            assert_eq!(p.bytes().count(), n);
            let mut buf = vec![0u8; n];
            assert_eq!(p.copy_to(&mut buf), Ok(n));
            assert!(buf.iter().copied().eq(p.bytes()));
            assert!(
                !buf.iter().any(|b| matches!(b, b'\r' | b'\n' | 0)),
                "{buf:?}"
            );
            if n > 0 {
                assert!(p.copy_to(&mut buf[..n - 1]).is_err());
            }
        }
        Payload::Features(f) => {
            assert_eq!(reply.features(), Some(*f));
            for feature in f.iter() {
                assert!(inside(raw, feature.line));
                assert!(inside(raw, feature.name) && inside(raw, feature.params));
                assert!(!feature.name.is_empty());
            }
            for fact in f.mlst_facts() {
                assert!(inside(raw, fact.name));
            }
        }
        Payload::Mlst(m) => {
            assert_eq!(reply.mlst_entry(), Ok(*m));
            for fact in m.facts() {
                assert!(inside(raw, fact.name) && inside(raw, fact.value));
            }
            let _ = (
                m.kind(),
                m.size(),
                m.modify(),
                m.perm(),
                m.unique(),
                m.unix_mode(),
            );
        }
        Payload::Protected(data) | Payload::Adat(Some(data)) => {
            let n = data.decoded_len();
            let mut buf = vec![0u8; n];
            assert_eq!(data.decode_into(&mut buf), Ok(n));
            if n > 0 {
                assert!(data.decode_into(&mut buf[..n - 1]).is_err());
            }
        }
        Payload::Status(lines) => {
            assert_eq!(lines.reply(), *reply);
            assert_eq!(lines.lines().count(), reply.line_count());
        }
        Payload::Help(help) => check_help_view(reply, help),
        Payload::BufferSize(n) => {
            // Only a 200; a size only from a text that holds `PBSZ=`.
            assert_eq!(reply.code().get(), 200);
            let named = reply
                .text()
                .windows(5)
                .any(|w| w.eq_ignore_ascii_case(b"pbsz="));
            assert_eq!(n.is_some(), named, "{:?}", reply.text());
        }
        _ => {}
    }
}

/// A payload the encoder accepts is written, parsed back whole, and equal.
fn check_roundtrip(reply: &Reply<'_>, context: Option<Command>, payload: &Payload<'_>) {
    let mut buf = vec![0u8; reply.as_bytes().len() * 2 + 256];
    let Ok(n) = payload.encode_to(reply.code(), &mut buf) else {
        return;
    };
    let encoded = &buf[..n];
    let shown = String::from_utf8_lossy(encoded);
    let (rest, again) = match parse_complete(encoded) {
        Ok(done) => done,
        Err(e) => panic!("{payload:?} encoded as {shown:?}, which does not parse: {e:?}"),
    };
    assert!(
        rest.is_empty(),
        "{payload:?} encoded as {shown:?}: bytes left over"
    );
    assert_eq!(again.code(), reply.code());
    assert_eq!(
        again.payload_after(context),
        Ok(*payload),
        "{payload:?} after {context:?} encoded as {shown:?}"
    );
    // The encoder's framing holds when any `ddd SP` line ends a block, too:
    // no middle line it writes looks like a last line.
    let any_code = ParserConfig::new().any_code_ends_block(true);
    let (rest, again) = match any_code.parse_complete(encoded) {
        Ok(done) => done,
        Err(e) => panic!("{payload:?} encoded as {shown:?}: any_code_ends_block: {e:?}"),
    };
    assert!(
        rest.is_empty(),
        "{payload:?} encoded as {shown:?}: any_code_ends_block: bytes left over"
    );
    assert_eq!(again.code(), reply.code());
    assert_eq!(
        again.payload_after(context),
        Ok(*payload),
        "{payload:?} after {context:?} encoded as {shown:?}: any_code_ends_block"
    );
}

fn check(reply: &Reply<'_>) {
    check_lines(reply);
    check_passive(reply);
    check_long_passive(reply);
    check_help(reply);
    check_payload(reply);
    for context in CONTEXTS {
        match reply.payload_after(context) {
            Ok(payload) => {
                // A help view: a 214, or a 211 that answers HELP.
                let help = reply.code().get() == 214
                    || (reply.code().get() == 211 && context == Some(Command::Help));
                assert_eq!(matches!(payload, Payload::Help(_)), help, "{context:?}");
                check_views(reply, &payload);
                check_roundtrip(reply, context, &payload);
            }
            Err(e) => assert!(e.offset() <= reply.as_bytes().len(), "{e:?}"),
        }
    }
}

fuzz_target!(|data: &[u8]| {
    common::walk(data, |r| {
        if let Ok(reply) = r {
            check(&reply);
        }
    });
});
