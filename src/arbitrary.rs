//! `arbitrary::Arbitrary` for the typed values (feature `arbitrary`), so a
//! fuzzing harness can generate well-formed replies: every value produced
//! here can be encoded and parses back equal.
//!
//! Written by hand rather than derived: the derive needs `std`, and the
//! values must be valid (a 229 port is never 0, a path holds no CR or LF).

use arbitrary::{Arbitrary, Result, Unstructured};
use core::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::code::ReplyCode;
use crate::command::Command;
use crate::payload::{
    ExtendedPassive, LongPassiveAddr, MlstEntry, NetworkProtocols, PassiveAddr, Pathname, Payload,
    RestartMarker, SecurityData, System, Timestamp,
};

impl<'a> Arbitrary<'a> for PassiveAddr {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(PassiveAddr {
            ip: Ipv4Addr::from(u.arbitrary::<[u8; 4]>()?),
            port: u.arbitrary()?,
        })
    }
}

impl<'a> Arbitrary<'a> for LongPassiveAddr {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        let ip = if u.arbitrary()? {
            IpAddr::V6(Ipv6Addr::from(u.arbitrary::<[u8; 16]>()?))
        } else {
            IpAddr::V4(Ipv4Addr::from(u.arbitrary::<[u8; 4]>()?))
        };
        Ok(LongPassiveAddr::new(ip, u.arbitrary()?))
    }
}

/// Printable ASCII or a space, but digits: what a 229 delimiter may be.
const DELIMITERS: &[u8] =
    b" !\"#$%&'()*+,-./:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~";

impl<'a> Arbitrary<'a> for ExtendedPassive {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        ExtendedPassive::new(u.int_in_range(1..=u16::MAX)?, *u.choose(DELIMITERS)?)
            .ok_or(arbitrary::Error::IncorrectFormat)
    }
}

impl<'a> Arbitrary<'a> for Command {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        u.choose(Command::ALL).copied()
    }
}

impl<'a> Arbitrary<'a> for ReplyCode {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        ReplyCode::new(u.int_in_range(100..=699)?).ok_or(arbitrary::Error::IncorrectFormat)
    }
}

/// Borrowed bytes from `u` that satisfy `ok`; when the bytes drawn do
/// not, a slice of `fallback` (which must hold only bytes `ok` takes, so
/// that every slice of it passes) chosen by `u`: so every draw gives a
/// value, and a fuzzer's own bytes are used whenever they fit.
fn bytes_where<'a>(
    u: &mut Unstructured<'a>,
    ok: impl Fn(&[u8]) -> bool,
    fallback: &'static [u8],
) -> Result<&'a [u8]> {
    let len = u.arbitrary_len::<u8>()?.min(64);
    let b = u.bytes(len)?;
    if ok(b) {
        return Ok(b);
    }
    let start = u.choose_index(fallback.len())?;
    let len = u.int_in_range(1..=fallback.len() - start)?;
    let b = fallback
        .get(start..start + len)
        .ok_or(arbitrary::Error::IncorrectFormat)?;
    if ok(b) {
        Ok(b)
    } else {
        Err(arbitrary::Error::IncorrectFormat)
    }
}

fn word(b: &[u8]) -> bool {
    !b.is_empty()
        && b.iter()
            .all(|c| c.is_ascii_graphic() && *c != b'=' && *c != b';')
}

fn line_text(b: &[u8]) -> bool {
    !b.iter().any(|c| matches!(c, b'\r' | b'\n' | 0))
}

/// Graphic ASCII without `=` and `;`: every non-empty slice is a [`word`].
const WORDS: &[u8] = b"UNIX1234!#$%&'()*+,-./:<>?@[]^_`{|}~Windows_NT5678";
/// A [`WORDS`] with no colon, for a system's name: every non-empty slice
/// is one.
const SYSTEMS: &[u8] = b"UNIX1234!#$%&'()*+,-./<>?@[]^_`{|}~Windows_NT5678";
/// Line text: every slice is [`line_text`] (and starts and ends with a
/// letter, for the fields that refuse blanks at their ends).
const TEXT: &[u8] = b"Type: L8 Version 3.0 /tmp/dir with spaces, \"quotes\" and more";
/// `name=value;` facts: slices are cut to whole facts below.
const FACTS: &[u8] = b"type=file;size=1234;modify=20210304050607;UNIX.mode=0644;perm=adfrw;";
/// Base64 with no padding: every slice of a multiple of four bytes from a
/// multiple of four is valid.
const BASE64: &[u8] = b"Zm9vYmFyYmF6cXV4MDEyMzQ1Njc4OSsvQUJDREVGR0hJSktMTU5PUFFS";
/// Padded endings: the last four bytes of each carry unused bits of 0.
const BASE64_PADDED: [&[u8]; 2] = [b"Zm9vYmFyZg==", b"Zm9vYmFyZm8="];

/// Base64 that [`SecurityData::from_protected`] takes: `u`'s own bytes
/// when they are, otherwise a slice of [`BASE64`] or a padded ending.
fn base64<'a>(u: &mut Unstructured<'a>) -> Result<&'a [u8]> {
    let len = u.arbitrary_len::<u8>()?.min(64);
    let b = u.bytes(len)?;
    if SecurityData::from_protected(b).is_ok_and(|d| d.base64() == b) {
        return Ok(b);
    }
    let text: &'static [u8] = match u.int_in_range(0..=2u8)? {
        0 => {
            let groups = BASE64.len() / 4;
            let start = 4 * u.choose_index(groups)?;
            let len = 4 * u.int_in_range(1..=groups - start / 4)?;
            BASE64.get(start..start + len).unwrap_or(b"Zm9v")
        }
        i => {
            let padded = BASE64_PADDED
                .get(usize::from(i - 1))
                .copied()
                .unwrap_or(b"Zg==");
            let groups = padded.len() / 4;
            let keep = 4 * u.int_in_range(1..=groups)?;
            padded.get(padded.len() - keep..).unwrap_or(b"Zg==")
        }
    };
    Ok(text)
}

/// How many variants [`Payload::arbitrary`] draws from.
#[cfg(test)]
const VARIANTS: u8 = 16;

impl<'a> Arbitrary<'a> for Payload<'a> {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(match u.int_in_range(0..=15u8)? {
            0 => Payload::Passive(u.arbitrary()?),
            1 => Payload::ExtendedPassive(u.arbitrary()?),
            2 => {
                let path = bytes_where(u, line_text, TEXT)?;
                let comment = bytes_where(
                    u,
                    |b| line_text(b) && !b.first().is_some_and(u8::is_ascii_whitespace),
                    WORDS,
                )?;
                Payload::Pathname(
                    Pathname::new(path, comment).map_err(|_| arbitrary::Error::IncorrectFormat)?,
                )
            }
            3 => Payload::Transfer(u.arbitrary()?),
            4 => Payload::Size(u.arbitrary()?),
            5 => Payload::Time(u.arbitrary::<Timestamp>()?),
            6 => {
                // No colon: it ends a system's name; no quote first: the
                // parse reads inside it.
                let name = bytes_where(
                    u,
                    |b| word(b) && !b.contains(&b':') && b.first() != Some(&b'"'),
                    SYSTEMS,
                )?;
                let rest = bytes_where(
                    u,
                    |b| {
                        line_text(b)
                            && !b.first().is_some_and(u8::is_ascii_whitespace)
                            && !b.last().is_some_and(u8::is_ascii_whitespace)
                    },
                    WORDS,
                )?;
                Payload::System(System { name, rest })
            }
            7 => Payload::Restart(u.arbitrary()?),
            8 => Payload::RestartMarker(RestartMarker {
                user: bytes_where(u, word, WORDS)?,
                server: bytes_where(u, word, WORDS)?,
            }),
            9 => Payload::ReadyIn(u.arbitrary()?),
            10 => {
                let len = u.arbitrary_len::<u8>()?.min(64);
                let own = u.bytes(len)?;
                let facts = if facts(own) {
                    own
                } else {
                    let start = u.choose_index(FACTS.len())?;
                    whole_facts(FACTS.get(start..).unwrap_or_default())
                };
                let path = bytes_where(u, |b| line_text(b) && !b.is_empty(), TEXT)?;
                Payload::Mlst(
                    MlstEntry::new(facts, path).map_err(|_| arbitrary::Error::IncorrectFormat)?,
                )
            }
            11 => {
                let data = SecurityData::from_protected(base64(u)?)
                    .map_err(|_| arbitrary::Error::IncorrectFormat)?;
                Payload::Protected(data)
            }
            12 => Payload::LongPassive(u.arbitrary()?),
            13 => Payload::NetworkProtocols(NetworkProtocols::from_mask(u.arbitrary()?)),
            14 => Payload::Adat(if u.arbitrary()? {
                Some(SecurityData::new(base64(u)?).map_err(|_| arbitrary::Error::IncorrectFormat)?)
            } else {
                None
            }),
            _ => Payload::BufferSize(u.arbitrary()?),
        })
    }
}

/// MLST facts an entry can carry: `name=value;` pieces of letters, digits
/// and `.`, each with a name.
fn facts(b: &[u8]) -> bool {
    b.iter()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'=' | b';' | b'.'))
        && b.split(|c| *c == b';')
            .all(|f| f.is_empty() || f.iter().position(|c| *c == b'=').is_some_and(|i| i > 0))
}

/// `b` when it is valid [`facts`]; for a tail of [`FACTS`] that starts
/// inside a fact, the whole facts after that fact (none when it is the
/// last).
fn whole_facts(b: &[u8]) -> &[u8] {
    if facts(b) {
        return b;
    }
    match b.iter().position(|c| *c == b';') {
        Some(i) => b.get(i + 1..).filter(|f| facts(f)).unwrap_or_default(),
        None => &[],
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;

    /// Every value these impls build encodes and parses back equal (the
    /// fuzz target `roundtrip` checks the same, longer). Returns the
    /// variant drawn, `None` when `bytes` gave no value.
    fn check(bytes: &[u8]) -> Option<usize> {
        let mut u = Unstructured::new(bytes);
        let payload = Payload::arbitrary(&mut u).ok()?;
        let (code, after) = payload.typical_reply().unwrap();
        let mut buf = [0u8; 4096];
        let n = payload.encode_to(code, &mut buf).unwrap();
        let (rest, reply) = crate::parse_complete(&buf[..n]).unwrap();
        assert!(rest.is_empty());
        assert_eq!(reply.payload_after(after), Ok(payload));
        Some(variant(&payload))
    }

    /// The index of `payload`'s variant in [`Payload::arbitrary`]'s draw.
    fn variant(payload: &Payload<'_>) -> usize {
        match payload {
            Payload::Passive(_) => 0,
            Payload::ExtendedPassive(_) => 1,
            Payload::Pathname(_) => 2,
            Payload::Transfer(_) => 3,
            Payload::Size(_) => 4,
            Payload::Time(_) => 5,
            Payload::System(_) => 6,
            Payload::Restart(_) => 7,
            Payload::RestartMarker(_) => 8,
            Payload::ReadyIn(_) => 9,
            Payload::Mlst(_) => 10,
            Payload::Protected(_) => 11,
            Payload::Adat(_) => 14,
            Payload::NetworkProtocols(_) => 13,
            Payload::LongPassive(_) => 12,
            Payload::BufferSize(_) => 15,
            other => panic!("not generated: {other:?}"),
        }
    }

    /// A tail of the facts cut inside a fact keeps the whole facts after
    /// the cut (the generator drew an entry with no facts for most cuts
    /// before: it looked for whole facts before the cut, and a tail has
    /// none there).
    #[test]
    fn a_tail_of_the_facts_keeps_the_whole_facts_after_the_cut() {
        let after_type = &b"size=1234;modify=20210304050607;UNIX.mode=0644;perm=adfrw;"[..];
        assert_eq!(whole_facts(FACTS), FACTS);
        assert_eq!(whole_facts(&FACTS[4..]), after_type); // "=file;size=.."
        assert_eq!(whole_facts(&FACTS[7..]), after_type); // "le;size=.."
        assert_eq!(whole_facts(&FACTS[FACTS.len() - 3..]), b""); // "rw;"
        for start in 0..FACTS.len() {
            let kept = whole_facts(&FACTS[start..]);
            assert!(facts(kept) && FACTS[start..].ends_with(kept), "{start}");
            // Only a cut inside the last fact, `perm=adfrw;`, leaves none.
            assert!(!kept.is_empty() || start > FACTS.len() - 11, "{start}");
        }
    }

    #[test]
    fn fuzz_regression_protected_trailing_blank() {
        // Found by the roundtrip target: base64 followed by a tab was
        // accepted by `from_protected` (which trims) but kept untrimmed.
        check(include_bytes!(
            "../fuzz/seeds/roundtrip/regression-protected-trailing-tab"
        ));
    }

    /// A system's name is never drawn with a colon (the parse would end
    /// the name there), even from input bytes that are all colons: every
    /// such draw round-trips, and some of them are systems.
    #[test]
    fn a_system_drawn_from_colons_roundtrips() {
        let mut systems = 0;
        let mut bytes = [b':'; 6];
        for sel in 0..=255u8 {
            for last in 0..=255u8 {
                bytes[0] = sel;
                bytes[5] = last;
                if check(&bytes) == Some(6) {
                    systems += 1;
                }
            }
        }
        assert!(systems > 0);
    }

    /// The test inputs: `n` byte strings from a fixed xorshift, each of a
    /// length in `lens`, its bytes mapped through `map`.
    fn inputs(
        n: usize,
        lens: core::ops::Range<usize>,
        map: impl Fn(u8) -> u8,
    ) -> impl Iterator<Item = std::vec::Vec<u8>> {
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = move || {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed
        };
        (0..n).map(move |_| {
            let len = lens.start + (next() as usize) % lens.len();
            (0..len).map(|_| map(next() as u8)).collect()
        })
    }

    /// `base64` draws what its doc says: `u`'s own bytes when they are
    /// base64 (here often, from inputs of base64 letters), otherwise a
    /// slice of whole groups of [`BASE64`] or a padded ending, every one
    /// of them reachable, no slice most of the time. (Mutation testing:
    /// the round trips passed with own bytes never used, and with slices
    /// cut off their groups or past the end, which the `unwrap_or`
    /// defaults turned into `Zm9v` or `Zg==`.)
    #[test]
    fn base64_draws_own_bytes_and_every_fallback() {
        use std::collections::BTreeMap;
        const LETTERS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let groups = BASE64.len() / 4;
        let mut slices: BTreeMap<&[u8], usize> = BTreeMap::new();
        for i in 0..groups {
            for j in i + 1..=groups {
                slices.insert(&BASE64[4 * i..4 * j], 0);
            }
        }
        let mut endings: BTreeMap<&[u8], usize> = BTreeMap::new();
        for padded in BASE64_PADDED {
            for keep in [4, 8, 12] {
                endings.insert(&padded[padded.len() - keep..], 0);
            }
        }
        let (mut own, mut fed, mut fed_zm9v) = (0, 0, 0);
        for input in inputs(20_000, 2..200, |b| LETTERS[usize::from(b % 64)]) {
            let mut u = Unstructured::new(&input);
            let drawn = base64(&mut u).unwrap();
            assert!(
                SecurityData::from_protected(drawn).is_ok_and(|d| d.base64() == drawn),
                "{drawn:?}"
            );
            if input.as_ptr_range().contains(&drawn.as_ptr()) {
                own += 1;
            } else if let Some(n) = slices.get_mut(drawn) {
                *n += 1;
                // Bytes left: every choice of the slice had its own byte
                // (an empty `u` picks the lowest, `Zm9v`).
                if !u.is_empty() {
                    fed += 1;
                    fed_zm9v += usize::from(drawn == b"Zm9v");
                }
            } else {
                *endings.get_mut(drawn).expect("a slice or a padded ending") += 1;
            }
        }
        assert!(own > 2_000, "own bytes drawn {own} times");
        for (text, n) in slices.iter().chain(&endings) {
            assert!(*n > 0, "{:?} never drawn", std::str::from_utf8(text));
        }
        // Fed by bytes, `Zm9v` (the first group alone) is about 1 in 196
        // of the slices drawn; slices past the end, which `unwrap_or`
        // turns into `Zm9v`, made it about half of them.
        assert!(
            fed > 1_000 && fed_zm9v < fed / 5,
            "Zm9v {fed_zm9v} of {fed}"
        );
    }

    /// From enough bytes every variant gives a value (each input's first
    /// byte selects it): [`bytes_where`] falls back to a slice that fits
    /// whenever the drawn bytes do not, so a draw fails only for input
    /// too short. (Mutation testing: an MLST path check that took any
    /// non-empty bytes only made more draws fail, under the bound of
    /// `generated_values_roundtrip`.)
    #[test]
    fn every_variant_gives_a_value_from_enough_bytes() {
        for (i, mut input) in inputs(16 * 500, 128..256, |b| b).enumerate() {
            let v = i % usize::from(VARIANTS);
            input[0] = v as u8;
            assert_eq!(check(&input), Some(v), "{input:?}");
        }
    }

    /// Every variant the generator can draw is drawn, and round-trips,
    /// many times: the test cannot pass by generating nothing.
    #[test]
    fn generated_values_roundtrip() {
        const AT_LEAST: usize = 50;
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut bytes = [0u8; 256];
        let mut drawn = [0usize; VARIANTS as usize];
        let mut failed = 0usize;
        for _ in 0..20_000 {
            for b in bytes.iter_mut() {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                *b = seed as u8;
            }
            match check(&bytes[..(seed as usize % 256)]) {
                Some(v) => drawn[v] += 1,
                None => failed += 1,
            }
        }
        for (v, &n) in drawn.iter().enumerate() {
            assert!(n >= AT_LEAST, "variant {v} drawn {n} times: {drawn:?}");
        }
        // Only inputs too short for the bytes a value needs give nothing.
        assert!(failed < 2_000, "{failed} draws gave no value: {drawn:?}");
    }
}
