//! 214 Help message (RFC 959 section 4.2.2), and the command tables that
//! servers print in its middle lines.

use crate::encode::{BlockWriter, Sink, write_lines};
use crate::error::Error;
use crate::reply::{Lines, Reply};

/// A 214 reply: its lines, and the command names its table lists.
///
/// vsftpd and pyftpdlib print the table as space-separated names on lines
/// that start with a space; ProFTPD repeats `214-` on every line and marks
/// a command it does not implement with `*` (`SMNT*`), as wu-ftpd does;
/// IIS lists one name per line and writes the mark after a space
/// (`ADAT *`); FileZilla Server lists its own `P@SW` among the names;
/// pure-ftpd lists its SITE commands one per line. A single-line 214 (the answer to
/// `HELP RETR`) is a help reply without a table.
#[derive(Debug, Clone, Copy)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Help<'a> {
    reply: Reply<'a>,
}

/// One command name from a help table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct HelpCommand<'a> {
    /// The name, without the `*` mark (`SMNT`).
    pub name: &'a str,
    /// True when the server marked the name with `*`, right after it
    /// (ProFTPD and wu-ftpd: `SMNT*`) or as the next word (IIS: `ADAT *`):
    /// "not implemented".
    pub unimplemented: bool,
}

impl<'a> Help<'a> {
    /// The help view of a reply (any code is accepted here;
    /// [`Reply::help`] checks for 214).
    #[must_use]
    pub const fn new(reply: Reply<'a>) -> Self {
        Help { reply }
    }

    /// The reply.
    #[must_use]
    pub const fn reply(&self) -> Reply<'a> {
        self.reply
    }

    /// The text of every line (see [`Reply::lines`]).
    pub fn lines(&self) -> Lines<'a> {
        self.reply.lines()
    }

    /// The command names listed in the middle lines of the block, in order.
    ///
    /// A middle line is read as words split at spaces and tabs. A word
    /// that looks like a command name (an ASCII capital, then 1 to 9
    /// capitals or digits, then an optional `*`) is listed; a lone `*` right
    /// after a name marks that name too (IIS writes `ADAT *`). Any other
    /// word is dropped, not its line (FileZilla Server lists its own `P@SW`
    /// among the names), unless it reads as prose: a word with an ASCII
    /// lowercase letter, or one that ends with `.`, `,` or `:`, makes the
    /// whole line prose, which gives no names (`Use HELP <command> for
    /// details.`, `Commands: RETR STOR`). The first and last lines (the
    /// header and `Help OK.`) give no names either.
    ///
    /// Each line is read twice at most (one pass over its bytes to tell
    /// prose from table, one for the names), so the time is linear in the
    /// reply's length.
    pub fn commands(&self) -> HelpCommands<'a> {
        HelpCommands {
            lines: self.reply.middle_lines(),
            words: &[],
            all: core::str::from_utf8(self.reply.as_bytes()).ok(),
            text: None,
            end: 0,
        }
    }

    /// True when the table lists `name` (ASCII case-insensitive).
    #[must_use]
    pub fn lists(&self, name: &str) -> bool {
        self.commands().any(|c| c.name.eq_ignore_ascii_case(name))
    }
}

impl Help<'_> {
    /// Writes the reply's lines again (see
    /// [`write_lines`](crate::encode::write_lines)).
    pub(crate) fn emit<S: Sink + ?Sized>(&self, out: BlockWriter<'_, S>) -> Result<(), Error> {
        write_lines(out, &self.reply)
    }
}

/// Iterator over a help table, from [`Help::commands`].
#[derive(Debug, Clone)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct HelpCommands<'a> {
    lines: Lines<'a>,
    /// The rest of the current table line (empty on a prose line).
    words: &'a [u8],
    /// The whole reply as text, when it is UTF-8 (checked once).
    all: Option<&'a str>,
    /// The text names are sliced out of, so that no name is checked for
    /// UTF-8 on its own: `all`, or else the current table line when it is
    /// UTF-8.
    text: Option<&'a str>,
    /// Where the current table line ends in `text`.
    end: usize,
}

const fn is_blank(b: &u8) -> bool {
    matches!(b, b' ' | b'\t')
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGH: u64 = ONES * 0x80;
const LOW7: u64 = !HIGH;

/// Bit 7 of each byte of `v` that is zero, and no other bit (exact: no
/// carry crosses a byte).
const fn zero_bytes(v: u64) -> u64 {
    !(((v & LOW7).wrapping_add(LOW7)) | v) & HIGH
}

/// Bit 7 of each byte of `x` equal to `b`.
const fn eq_bytes(x: u64, b: u8) -> u64 {
    zero_bytes(x ^ (ONES * b as u64))
}

/// Bit 7 of each byte of `x` that is an ASCII lowercase letter: its low
/// seven bits are 0x61 to 0x7A (adding 0x1F reaches bit 7 from 0x61 on,
/// adding 0x05 from 0x7B on; neither carries out of the byte) and its
/// bit 7 is clear.
const fn lower_bytes(x: u64) -> u64 {
    let y = x & LOW7;
    y.wrapping_add(ONES * 0x1F) & !y.wrapping_add(ONES * 0x05) & !x & HIGH
}

/// Bit 7 of each byte of `x` that is a space or a tab.
const fn blank_bytes(x: u64) -> u64 {
    eq_bytes(x, b' ') | eq_bytes(x, b'\t')
}

/// Bit 7 of each byte of `x` that is an ASCII capital or digit (as
/// [`lower_bytes`]: 0x41 to 0x5A, 0x30 to 0x39, bit 7 clear).
const fn name_bytes(x: u64) -> u64 {
    let y = x & LOW7;
    let upper = y.wrapping_add(ONES * 0x3F) & !y.wrapping_add(ONES * 0x25);
    let digit = y.wrapping_add(ONES * 0x50) & !y.wrapping_add(ONES * 0x46);
    (upper | digit) & !x & HIGH
}

/// The first eight bytes of `bytes`, little-endian, zero bytes past its
/// end.
fn load(bytes: &[u8]) -> u64 {
    match bytes.first_chunk::<8>() {
        Some(chunk) => u64::from_le_bytes(*chunk),
        None => bytes.iter().rev().fold(0, |v, &b| (v << 8) | u64::from(b)),
    }
}

/// The index of the first byte whose bit 7 is set in `mask` (8 if none).
const fn first_byte(mask: u64) -> usize {
    (mask.trailing_zeros() / 8) as usize
}

/// True when no word of `line` (split at spaces and tabs) reads as prose:
/// a word with an ASCII lowercase letter, or one that ends with `.`, `,` or
/// `:`. (A command name never reads as prose: its bytes are capitals,
/// digits and a final `*`.) That is: no lowercase letter anywhere, and no
/// clause mark followed by a blank or the line's end. Read eight bytes at
/// a time (the last few padded with zero bytes, which are neither).
fn is_table_line(line: &[u8]) -> bool {
    if matches!(line.last(), Some(b'.' | b',' | b':')) {
        return false;
    }
    let (chunks, tail) = line.as_chunks::<8>();
    // A clause mark in the last byte of the previous chunk, at bit 7.
    let mut carry = 0u64;
    for chunk in chunks {
        if chunk_is_prose(u64::from_le_bytes(*chunk), &mut carry) {
            return false;
        }
    }
    !chunk_is_prose(load(tail), &mut carry)
}

/// True when the eight bytes `x` hold a lowercase letter, or a clause
/// mark followed by a blank (`carry`: one in the byte before `x`);
/// `carry` is then set for the next eight.
fn chunk_is_prose(x: u64, carry: &mut u64) -> bool {
    // `,` (0x2C) and `.` (0x2E) differ only in bit 1.
    let clause = eq_bytes(x | (ONES * 0x02), b'.') | eq_bytes(x, b':');
    // Little-endian: the next byte is 8 bits up.
    let ends = (clause << 8) | *carry;
    *carry = clause >> 56;
    lower_bytes(x) != 0 || (ends != 0 && ends & blank_bytes(x) != 0)
}

/// `bytes` without its leading blanks.
fn skip_blanks(bytes: &[u8]) -> &[u8] {
    // Most often one or two blanks.
    match bytes {
        [a, b, rest @ ..] if is_blank(a) && is_blank(b) => {
            let start = rest.iter().position(|b| !is_blank(b)).unwrap_or(rest.len());
            rest.get(start..).unwrap_or_default()
        }
        [a, rest @ ..] if is_blank(a) => rest,
        _ => bytes,
    }
}

const fn is_name_byte(b: &u8) -> bool {
    b.is_ascii_uppercase() || b.is_ascii_digit()
}

/// The first word of `words` (which starts with a word: not blank, not
/// empty), read in one pass: the length of its command name and its `*`
/// mark when it is a command name (a capital, then 1 to 9 capitals or
/// digits, then an optional `*`), and what follows the word.
fn take_word(words: &[u8]) -> (Option<(usize, bool)>, &[u8]) {
    let capital = words.first().is_some_and(u8::is_ascii_uppercase);
    let tail = words.get(1..).unwrap_or_default();
    // Zero bytes past the end are no name bytes.
    let len = first_byte(!name_bytes(load(words)) & HIGH);
    let len = if len < 8 {
        len
    } else {
        tail.iter()
            .position(|b| !is_name_byte(b))
            .map_or(words.len(), |p| p.saturating_add(1))
    };
    let after = words.get(len..).unwrap_or_default();
    let named = capital && (2..=10).contains(&len);
    match after {
        [] if named => (Some((len, false)), after),
        [b, ..] if named && is_blank(b) => (Some((len, false)), after),
        [b'*'] if named => (Some((len, true)), &[]),
        [b'*', b, rest @ ..] if named && is_blank(b) => (Some((len, true)), rest),
        _ => {
            // Not a name (a stray `*`, FileZilla's `P@SW`): to the word's
            // end.
            let end = after.iter().position(is_blank).unwrap_or(after.len());
            (None, after.get(end..).unwrap_or_default())
        }
    }
}

impl<'a> Iterator for HelpCommands<'a> {
    type Item = HelpCommand<'a>;

    fn next(&mut self) -> Option<HelpCommand<'a>> {
        loop {
            // `words` holds the rest of a table line, from a word's start.
            let words = self.words;
            if words.is_empty() {
                let (at, line) = self.lines.next_at()?;
                if is_table_line(line) {
                    self.words = skip_blanks(line);
                    if self.all.is_some() {
                        self.text = self.all;
                        self.end = at.saturating_add(line.len());
                    } else {
                        self.text = core::str::from_utf8(line).ok();
                        self.end = line.len();
                    }
                } else {
                    self.words = &[];
                }
                continue;
            }
            let (command, rest) = take_word(words);
            let after = skip_blanks(rest);
            self.words = after;
            // Not a name: dropped.
            let Some((len, mut unimplemented)) = command else {
                continue;
            };
            let name = match self.text {
                Some(text) => {
                    let at = self.end.saturating_sub(words.len());
                    text.get(at..at.saturating_add(len))
                }
                // A line that is not UTF-8: the name alone is (ASCII).
                None => core::str::from_utf8(words.get(..len).unwrap_or_default()).ok(),
            };
            let Some(name) = name else {
                continue;
            };
            // A lone `*` after the name marks it (IIS: `ADAT *`).
            if let Some((b'*', tail)) = after.split_first()
                && tail.first().is_none_or(is_blank)
            {
                unimplemented = true;
                self.words = skip_blanks(tail);
            }
            return Some(HelpCommand {
                name,
                unimplemented,
            });
        }
    }
}

/// Compared by content: the same lines, however they were framed.
impl PartialEq for Help<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.lines().eq(other.lines())
    }
}

impl Eq for Help<'_> {}

impl core::hash::Hash for Help<'_> {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        for item in self.lines() {
            item.hash(state);
        }
    }
}

#[cfg(test)]
mod tests {
    extern crate std;

    use super::*;
    use crate::parse_complete;
    use proptest::prelude::*;
    use std::vec;
    use std::vec::Vec;

    /// The reading before the one-pass scans: each line split into words,
    /// every word checked for prose, then the names, each on its own.
    fn reference(lines: &[&[u8]]) -> Vec<(Vec<u8>, bool)> {
        fn name(word: &[u8]) -> Option<(&[u8], bool)> {
            let (name, star) = match word.split_last() {
                Some((b'*', name)) => (name, true),
                _ => (word, false),
            };
            let ok = (2..=10).contains(&name.len())
                && name.first().is_some_and(u8::is_ascii_uppercase)
                && name.iter().all(is_name_byte);
            ok.then_some((name, star))
        }
        fn prose(word: &[u8]) -> bool {
            word.iter().any(u8::is_ascii_lowercase)
                || matches!(word.last(), Some(b'.' | b',' | b':'))
        }
        let mut out = Vec::new();
        for line in lines {
            let words: Vec<&[u8]> = line.split(is_blank).filter(|w| !w.is_empty()).collect();
            if words.iter().any(|w| name(w).is_none() && prose(w)) {
                continue;
            }
            let mut i = 0;
            while let Some(w) = words.get(i) {
                i += 1;
                if let Some((n, mut star)) = name(w) {
                    if words.get(i) == Some(&&b"*"[..]) {
                        star = true;
                        i += 1;
                    }
                    out.push((n.to_vec(), star));
                }
            }
        }
        out
    }

    fn check(middle: &[Vec<u8>]) -> Result<(), TestCaseError> {
        let mut raw = b"214-Help.\r\n".to_vec();
        for line in middle {
            raw.push(b' ');
            raw.extend_from_slice(line);
            raw.extend_from_slice(b"\r\n");
        }
        raw.extend_from_slice(b"214 End.\r\n");
        let Ok((_, reply)) = parse_complete(&raw) else {
            return Ok(());
        };
        let lines: Vec<&[u8]> = reply.middle_lines().collect();
        let got: Vec<(Vec<u8>, bool)> = Help::new(reply)
            .commands()
            .map(|c| (c.name.as_bytes().to_vec(), c.unimplemented))
            .collect();
        prop_assert_eq!(got, reference(&lines));
        Ok(())
    }

    #[test]
    fn table_lines() {
        for line in [
            &b" ABOR  ACCT  CDUP* CWD"[..],
            b"ADAT *",
            b"P@SW QUIT",
            b"RETR STOR.",
            b"RETR, STOR",
            b"RETR:STOR",
            b"ABCDEFG. X",
            b"ABCDEFG.",
            b"ABCDEFG,\tX",
            b"Use HELP",
        ] {
            let r = check(&[line.to_vec()]);
            assert!(r.is_ok(), "{line:?}: {r:?}");
        }
        assert!(is_table_line(b"ABCDEFG.X"));
        assert!(!is_table_line(b"ABCDEFG. X"));
        assert!(!is_table_line(b"ABCDEFG:"));
        assert!(!is_table_line(b"ABCDEFGHIJKLMNO:\tX"));
        assert!(!is_table_line(b"ABCDEFGHIJKLMNOPQRSTx"));
        assert!(is_table_line(b"ABCDEFGHIJKLMNOPQRST\xe9"));
    }

    proptest! {
        #[test]
        fn same_as_reference(middle in proptest::collection::vec(
            proptest::collection::vec(
                prop_oneof![
                    Just(b' '), Just(b'\t'), Just(b'*'), Just(b'.'), Just(b','),
                    Just(b':'), Just(b'@'), Just(0xC3), Just(0xA9), Just(0xFB),
                    b'A'..=b'Z', b'0'..=b'9', b'a'..=b'z',
                ],
                0..40,
            ),
            0..6,
        )) {
            check(&middle)?;
        }
    }
}
