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
    /// A middle line, less the white space at its end (a `\r` before
    /// `\r\n` included), is read as words split at spaces and tabs. A word
    /// that looks like a command name (an ASCII capital, then 1 to 15
    /// capitals or digits, then an optional `*`) is listed (wu-ftpd's SITE
    /// table lists `CHECKMETHOD` and `BUFSIZEMEASURE`); a lone `*` right
    /// after a name marks that name too (IIS writes `ADAT *`). Any other
    /// word is dropped, not its line (FileZilla Server lists its own `P@SW`
    /// among the names), unless it reads as prose: a word with an ASCII
    /// lowercase letter, or one that ends with `.`, `,` or `:`, makes the
    /// whole line prose, which gives no names (`Use HELP <command> for
    /// details.`, `Commands: RETR STOR`). The first and last lines (the
    /// header and `Help OK.`) give no names either.
    ///
    /// Each line is read twice at most (one pass over its bytes finds its
    /// end and tells prose from table, one reads the names), so the time
    /// is linear in the reply's length.
    pub fn commands(&self) -> HelpCommands<'a> {
        let raw = self.reply.as_bytes();
        // The middle lines: past the first, before the last.
        let left = self.reply.line_count().saturating_sub(2);
        // What follows the first line: only it is read, so only it is
        // checked for UTF-8.
        let rest = match crate::scan::find(b'\n', raw) {
            Some(lf) if left > 0 => raw.get(lf + 1..).unwrap_or_default(),
            _ => &[],
        };
        HelpCommands {
            rest,
            left,
            first: match raw {
                [a, b, c, ..] => [*a, *b, *c],
                _ => [0; 3],
            },
            text: core::str::from_utf8(rest).ok(),
            words: "",
            more: &[],
            #[cfg(target_pointer_width = "64")]
            tail: None,
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
    /// [`write_lines`]).
    pub(crate) fn emit<S: Sink + ?Sized>(&self, out: BlockWriter<'_, S>) -> Result<(), Error> {
        write_lines(out, &self.reply)
    }
}

/// Iterator over a help table, from [`Help::commands`].
#[derive(Debug, Clone)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct HelpCommands<'a> {
    /// The reply's bytes after the current line.
    rest: &'a [u8],
    /// The middle lines not read yet.
    left: usize,
    /// The digits of the first line's code: a middle line that repeats
    /// them with `-` (ProFTPD's `214-`) is read without them.
    first: [u8; 3],
    /// What follows the first line as text, when it is UTF-8 (checked
    /// once).
    text: Option<&'a str>,
    /// The rest of the current table line, from a word's start (empty on
    /// a prose line): text, so that names are sliced out of it and no name
    /// is checked for UTF-8 on its own.
    words: &'a str,
    /// In a table line that is not UTF-8, what follows the word that is
    /// not, to be read when `words` is done.
    more: &'a [u8],
    /// The last eight bytes of what `words` was set to, when it had eight
    /// (little-endian): `words` is always a suffix of it, so a last word
    /// of under eight bytes is read from this with no byte loop (64-bit
    /// targets: the byte loop reads words elsewhere).
    #[cfg(target_pointer_width = "64")]
    tail: Option<u64>,
}

const fn is_blank(b: &u8) -> bool {
    matches!(b, b' ' | b'\t')
}

const fn is_clause(b: &u8) -> bool {
    matches!(b, b'.' | b',' | b':')
}

/// The number of blanks `bytes` starts with.
fn blanks(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .position(|b| !is_blank(b))
        .unwrap_or(bytes.len())
}

/// The longest command name a table lists: wu-ftpd's SITE table has
/// `CHECKMETHOD` (11) and, built with AUTOBUF, `BUFSIZEMEASURE` (14).
const MAX_NAME: usize = 16;

/// The length of the command name that `word` is (a capital, then 1 to 15
/// capitals or digits, then an optional `*`), and its mark.
fn name_of(word: &[u8]) -> Option<(usize, bool)> {
    let (name, star) = match word.split_last() {
        Some((b'*', name)) => (name, true),
        _ => (word, false),
    };
    let ok = (2..=MAX_NAME).contains(&name.len())
        && name.first().is_some_and(u8::is_ascii_uppercase)
        && name
            .iter()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    ok.then_some((name.len(), star))
}

/// The first word of `words` (which starts with a word: not blank, not
/// empty): the length of its command name and its `*` mark when it is a
/// command name (see [`name_of`]), and where the next word starts (the
/// length of `words` when none does). Byte by byte.
fn take_word_bytes(words: &[u8]) -> (Option<(usize, bool)>, usize) {
    let end = words.iter().position(is_blank).unwrap_or(words.len());
    let (word, after) = words.split_at_checked(end).unwrap_or((words, &[]));
    (name_of(word), end + blanks(after))
}

/// The first line of `bytes` (without its LF), what follows its LF, and
/// whether the line reads as prose: a word with an ASCII lowercase letter,
/// or one that ends with `.`, `,` or `:`, split at spaces and tabs. (A
/// command name never reads as prose: its bytes are capitals, digits and
/// a final `*`.) That is: a lowercase letter anywhere, or a clause mark
/// followed by a blank or the line's end. (A clause mark before a CR line
/// end is the caller's to check. The code and `-` that ProFTPD repeats
/// are neither, so the whole line reads as its text does.) Byte by byte.
#[cfg(any(test, not(target_pointer_width = "64")))]
fn split_line_bytes(bytes: &[u8]) -> (&[u8], &[u8], bool) {
    let (line, rest) = match crate::scan::find(b'\n', bytes) {
        Some(i) => (
            bytes.get(..i).unwrap_or_default(),
            bytes.get(i + 1..).unwrap_or_default(),
        ),
        None => (bytes, &[][..]),
    };
    let mut prev = b' ';
    let prose = line.iter().any(|b| {
        let ends = is_clause(&prev) && is_blank(b);
        prev = *b;
        ends || b.is_ascii_lowercase()
    }) || line.last().is_some_and(is_clause);
    (line, rest, prose)
}

#[cfg(not(target_pointer_width = "64"))]
use split_line_bytes as split_line;
#[cfg(target_pointer_width = "64")]
use wide::{split_line, take_word};

/// The byte loop, where no line tail is kept (32-bit targets).
#[cfg(not(target_pointer_width = "64"))]
fn take_word(words: &[u8], _tail: Option<u64>) -> (Option<(usize, bool)>, usize) {
    take_word_bytes(words)
}

/// On 64-bit targets, eight bytes at a time in a register (plain safe
/// integer arithmetic); elsewhere (Cortex-M, where flash is what counts)
/// the byte loops above. Same answers either way (the tests compare
/// them).
#[cfg(target_pointer_width = "64")]
mod wide {
    use super::take_word_bytes;

    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = ONES * 0x80;
    const LOW7: u64 = !HIGH;
    const SPACES: u64 = ONES * b' ' as u64;

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

    /// The first eight bytes of `bytes`, little-endian, spaces past its
    /// end (a blank: the end of a line ends a word as a blank does; and
    /// neither a LF, a name's byte, a lowercase letter nor a clause mark).
    fn load(bytes: &[u8]) -> u64 {
        match bytes.first_chunk::<8>() {
            Some(chunk) => u64::from_le_bytes(*chunk),
            None => bytes
                .iter()
                .rev()
                .fold(SPACES, |v, &b| (v << 8) | u64::from(b)),
        }
    }

    /// The index of the first byte whose bit 7 is set in `mask` (8 if none).
    const fn first_byte(mask: u64) -> usize {
        (mask.trailing_zeros() / 8) as usize
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

    /// `split_line_bytes` (the byte loop, built on 32-bit targets and in
    /// tests) in one pass, eight bytes at a time: the LF, and prose up to
    /// it (the LF and what follows read as spaces, so a clause mark right
    /// before the LF is prose, as the byte loop finds it at the line's
    /// end).
    pub(super) fn split_line(bytes: &[u8]) -> (&[u8], &[u8], bool) {
        // A clause mark in the last byte of the previous eight, at bit 7.
        let mut carry = 0u64;
        let mut prose = false;
        let (chunks, tail) = bytes.as_chunks::<8>();
        let mut at = 0usize;
        let found = 'found: {
            for chunk in chunks {
                let x = u64::from_le_bytes(*chunk);
                if let Some(lf) = scan8(x, &mut carry, &mut prose) {
                    break 'found Some(at + lf);
                }
                at += 8;
            }
            scan8(load(tail), &mut carry, &mut prose).map(|lf| at + lf)
        };
        match found {
            Some(end) => (
                bytes.get(..end).unwrap_or_default(),
                bytes.get(end + 1..).unwrap_or_default(),
                prose,
            ),
            None => (bytes, &[], prose),
        }
    }

    /// One step of [`split_line`] over the eight bytes `x`: where its
    /// first LF is, and `prose` set when they read as prose up to it.
    fn scan8(mut x: u64, carry: &mut u64, prose: &mut bool) -> Option<usize> {
        // The classic test: a false flag can only sit above a true one, so
        // the lowest flag is a LF, and any flag means one.
        let y = x ^ (ONES * u64::from(b'\n'));
        let lf = y.wrapping_sub(ONES) & !y & HIGH;
        if lf != 0 {
            // The bytes before the LF, the rest read as spaces.
            let keep = ((lf & lf.wrapping_neg()) >> 7).wrapping_sub(1);
            x = (x & keep) | (SPACES & !keep);
        }
        *prose = *prose || chunk_is_prose(x, carry);
        (lf != 0).then(|| first_byte(lf))
    }

    /// [`take_word_bytes`] for the common shape from one load: a word of
    /// capitals and digits and maybe a `*`, then blanks, then the next
    /// word, all within eight bytes (bytes past the end read as spaces:
    /// the line's end ends a word and its blanks). Any other shape (a
    /// longer word or run of blanks, a word that is not a name's shape) is
    /// read byte by byte.
    /// `tail` is the last eight bytes of a line that `words` is a suffix
    /// of, when it had eight.
    pub(super) fn take_word(words: &[u8], tail: Option<u64>) -> (Option<(usize, bool)>, usize) {
        let x = match (words.first_chunk::<8>(), tail) {
            (Some(chunk), _) => u64::from_le_bytes(*chunk),
            // Under eight bytes, the last of `tail`: moved down, and
            // spaces past the end.
            (None, Some(tail)) => {
                let n = words.len() * 8;
                (tail >> ((64 - n) & 63)) | (SPACES << (n & 63))
            }
            (None, None) => load(words),
        };
        // The leading capitals and digits, and the `*` after them.
        let len = first_byte(!name_bytes(x) & HIGH);
        if len < 8 {
            let star = (x >> (len * 8)) as u8 == b'*';
            let end = len + usize::from(star);
            if end < 8 {
                // The blanks from the word's end on.
                let after = blank_bytes(x) >> (end * 8);
                // The next word's start (8 or more: not in these bytes).
                let next = first_byte(!after & HIGH) + end;
                if after & 0x80 != 0 && (next < 8 || words.len() <= 8) {
                    let named = x & 0x40 != 0 && len >= 2;
                    return (named.then_some((len, star)), next.min(words.len()));
                }
            }
        }
        take_word_bytes(words)
    }
}

impl<'a> HelpCommands<'a> {
    /// Reads the next middle line: its words when it is a table line,
    /// none when it is prose. False when there is none left.
    fn next_line(&mut self) -> bool {
        let bytes = self.rest;
        if self.left == 0 || bytes.is_empty() {
            return false;
        }
        self.left = self.left.wrapping_sub(1);
        let (line, rest, prose) = split_line(bytes);
        self.rest = rest;
        // The line end's CR, and any ASCII white space before it (a blank,
        // a CR, a form feed): a line that ends `RETR\r\r\n` (a CR that no
        // LF follows, as a server writing a text with CRLFs through a CRLF
        // line end sends) lists `RETR`, as the other views trim it (FEAT,
        // SYST, MDTM); `ADAT *\x0c` marks ADAT as `ADAT *` does.
        let line = line.trim_ascii_end();
        let (skip, text) = match line {
            [a, b, c, b'-', text @ ..] if [*a, *b, *c] == self.first => (4, text),
            _ => (0, line),
        };
        if prose || text.last().is_some_and(is_clause) {
            return true;
        }
        // The words, from the first that is not blank: sliced out of the
        // text once (a line's offset in it is its length less what is left
        // from the line's start).
        let lead = blanks(text);
        match self.text.and_then(|all| {
            let at = all
                .len()
                .wrapping_sub(bytes.len())
                .wrapping_add(skip)
                .wrapping_add(lead);
            all.get(at..at.wrapping_add(text.len().wrapping_sub(lead)))
        }) {
            Some(words) => self.set_line(words),
            None => self.set_text(text),
        }
        true
    }

    /// Reads the words of `text`, a table line or what follows a word that
    /// is not UTF-8 in one: up to that word, and that word's end.
    fn set_text(&mut self, text: &'a [u8]) {
        let (valid, more) = match core::str::from_utf8(text) {
            Ok(valid) => (valid, &[][..]),
            Err(e) => {
                let (head, tail) = text
                    .split_at_checked(e.valid_up_to())
                    .unwrap_or((text, &[]));
                // The word that is not UTF-8 (so not a name), from the
                // last blank before it to the first after it.
                let start = head.iter().rposition(is_blank).map_or(0, |i| i + 1);
                let end = tail.iter().position(is_blank).unwrap_or(tail.len());
                let valid = core::str::from_utf8(head.get(..start).unwrap_or_default());
                (
                    valid.unwrap_or_default(),
                    tail.get(end..).unwrap_or_default(),
                )
            }
        };
        self.more = more;
        self.set_words(valid);
    }

    /// Reads the words of `words`, from its first that is not blank.
    fn set_words(&mut self, words: &'a str) {
        self.set_line(words.get(blanks(words.as_bytes())..).unwrap_or_default());
    }

    /// Reads the words of `words`, which starts with one (or is empty).
    fn set_line(&mut self, words: &'a str) {
        self.words = words;
        #[cfg(target_pointer_width = "64")]
        {
            self.tail = words
                .as_bytes()
                .last_chunk::<8>()
                .map(|b| u64::from_le_bytes(*b));
        }
    }

    /// See `tail`.
    const fn tail(&self) -> Option<u64> {
        #[cfg(target_pointer_width = "64")]
        return self.tail;
        #[cfg(not(target_pointer_width = "64"))]
        None
    }
}

impl<'a> Iterator for HelpCommands<'a> {
    type Item = HelpCommand<'a>;

    fn next(&mut self) -> Option<HelpCommand<'a>> {
        loop {
            if let Some(command) = self.next_in_line() {
                return Some(command);
            }
            if !self.more.is_empty() {
                self.set_text(self.more);
            } else if !self.next_line() {
                return None;
            }
        }
    }
}

// Once `None`, always `None`.
impl core::iter::FusedIterator for HelpCommands<'_> {}

impl<'a> HelpCommands<'a> {
    /// The next name of the current line's words, if any is left.
    fn next_in_line(&mut self) -> Option<HelpCommand<'a>> {
        loop {
            // `words` holds the rest of a table line, from a word's start.
            let words = self.words;
            if words.is_empty() {
                return None;
            }
            let (command, next) = take_word(words.as_bytes(), self.tail());
            let mut after = words.get(next..).unwrap_or_default();
            let mut unimplemented = false;
            // A lone `*` after the name marks it (IIS: `ADAT *`); after a
            // word that is not a name, it is a word that is not a name
            // either, dropped as that one is.
            if let [b'*', tail @ ..] = after.as_bytes()
                && tail.first().is_none_or(is_blank)
            {
                unimplemented = true;
                after = after
                    .get(take_word(after.as_bytes(), self.tail()).1..)
                    .unwrap_or_default();
            }
            self.words = after;
            // Not a name: dropped.
            if let Some((len, star)) = command
                && let Some(name) = words.get(..len)
            {
                return Some(HelpCommand {
                    name,
                    unimplemented: unimplemented || star,
                });
            }
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
            let ok = (2..=MAX_NAME).contains(&name.len())
                && name.first().is_some_and(u8::is_ascii_uppercase)
                && name
                    .iter()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
            ok.then_some((name, star))
        }
        fn prose(word: &[u8]) -> bool {
            word.iter().any(u8::is_ascii_lowercase)
                || matches!(word.last(), Some(b'.' | b',' | b':'))
        }
        let mut out = Vec::new();
        for line in lines {
            let line = line.trim_ascii_end();
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

    /// The line reader's verdict on one line: table, not prose (both
    /// readers, which must agree).
    fn table(line: &[u8]) -> bool {
        let (read, rest, prose) = split_line(line);
        assert_eq!((read, rest, prose), split_line_bytes(line));
        assert_eq!((read, rest), (line, &[][..]));
        !prose && !line.last().is_some_and(is_clause)
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
        assert!(table(b"ABCDEFG.X"));
        assert!(!table(b"ABCDEFG. X"));
        assert!(!table(b"ABCDEFG:"));
        assert!(!table(b"ABCDEFGHIJKLMNO:\tX"));
        assert!(!table(b"ABCDEFGHIJKLMNOPQRSTx"));
        assert!(table(b"ABCDEFGHIJKLMNOPQRST\xe9"));
    }

    /// A CR that no LF follows, before a line's end, is not part of the
    /// last word: `CWD RETR\r\r\n` listed only `CWD` (the word `RETR\r` is
    /// no name), though the FEAT, SYST and MDTM views trim it. Found by
    /// differential testing.
    /// Equality and hashing by the lines, however they were framed (CRLF
    /// or LF). (Mutation testing found `eq` as `true` and `hash` as
    /// nothing unchecked.)
    #[test]
    fn compared_by_content() {
        let help = |input: &'static [u8]| Help::new(parse_complete(input).unwrap().1);
        crate::payload::testing::assert_compared_by_value(
            help(b"214-Commands:\r\n RETR STOR\r\n214 Help OK.\r\n"),
            help(b"214-Commands:\n RETR STOR\n214 Help OK.\n"),
            [
                &b"214-Commands:\r\n RETR\r\n214 Help OK.\r\n"[..],
                b"214-Commands:\r\n RETR STOR\r\n LIST\r\n214 Help OK.\r\n",
                b"214 Help OK.\r\n",
            ]
            .map(help),
        );
    }

    #[test]
    fn a_cr_before_the_line_end_ends_the_last_word() {
        for (input, names) in [
            (
                &b"214-x\r\n CWD RETR\r\r\n214 x\r\n"[..],
                &["CWD", "RETR"][..],
            ),
            (b"214-x\n CWD RETR\r\n214 x\n", &["CWD", "RETR"]),
            (
                b"214-x\r\n214-SMNT*\r\r\n ADAT *\r\r\n214 x\r\n",
                &["SMNT", "ADAT"],
            ),
            (b"214-x\r\n CWD \t\r\r\r\n214 x\r\n", &["CWD"]),
            // White space that ends a line is trimmed, a form feed too
            // (found by the payloads fuzz target, whose reading of the
            // marks did not trim it).
            (b"214-x\r\n CDUN *\x0c\t\r\n214 x\r\n", &["CDUN"]),
            // A clause mark before the CR still makes the line prose.
            (b"214-x\r\n CWD RETR.\r\r\n214 x\r\n", &[]),
            // A CR inside a word is not a blank: that word is no name.
            (b"214-x\r\n CWD RE\rTR STOR\r\n214 x\r\n", &["CWD", "STOR"]),
        ] {
            let (_, reply) = parse_complete(input).unwrap();
            let got: Vec<&str> = Help::new(reply).commands().map(|c| c.name).collect();
            assert_eq!(got, names, "{input:?}");
            let lines: Vec<&[u8]> = reply.middle_lines().collect();
            let want: Vec<Vec<u8>> = names.iter().map(|n| n.as_bytes().to_vec()).collect();
            let reference: Vec<Vec<u8>> = reference(&lines).into_iter().map(|(n, _)| n).collect();
            assert_eq!(reference, want, "{input:?}");
        }
        // The marks: a `*` that only white space follows to the line end
        // is a lone `*`; inside a line a form feed is no blank, so `*\x0c`
        // is a word of its own, no mark.
        let (_, reply) =
            parse_complete(b"214-x\r\n CDUN *\x0c\t\r\n ABOR *\t\r\r\n MKD *\x0c RMD\r\n214 x\r\n")
                .unwrap();
        let marks: Vec<(&str, bool)> = Help::new(reply)
            .commands()
            .map(|c| (c.name, c.unimplemented))
            .collect();
        assert_eq!(
            marks,
            [
                ("CDUN", true),
                ("ABOR", true),
                ("MKD", false),
                ("RMD", false)
            ]
        );
    }

    /// A last word of under eight bytes is read from the line's last eight
    /// bytes, moved down by the word's length: moved a bit short, the marks
    /// `%%!-` (0x25 0x25 0x21 0x2D) read as the capitals `JJBZ`, a name.
    /// Found by mutation testing (`(64 - n) & 63` as `(64 - n) ^ 63`).
    #[test]
    fn a_short_last_word_of_marks_is_no_name() {
        let (_, reply) = parse_complete(b"214-x\r\n RETR STOR %%!-\r\n214 x\r\n").unwrap();
        let got: Vec<&str> = Help::new(reply).commands().map(|c| c.name).collect();
        assert_eq!(got, ["RETR", "STOR"]);
        check_take_word(b"RETR STOR %%!-", b"%%!-");
        assert_eq!(take_word_bytes(b"%%!-"), (None, 4));
    }

    /// The word reader gives the byte loop's answer for `words`, a suffix
    /// of `line`: with no tail and with the line's last eight bytes.
    fn check_take_word(line: &[u8], words: &[u8]) {
        let tail = line.last_chunk::<8>().map(|b| u64::from_le_bytes(*b));
        for tail in [None, tail] {
            assert_eq!(
                take_word(words, tail),
                take_word_bytes(words),
                "{words:?} in {line:?}"
            );
        }
    }

    /// Every byte value at every position of two lines of capitals (one
    /// of words, one of one long word), and each suffix of them: the
    /// readers eight bytes at a time give the byte loops' answers. The
    /// proptest below draws from a few bytes only; this one reaches the
    /// edges of every class the wide readers compute (`@` and `[` around
    /// the capitals, `/` and `:` around the digits, `` ` `` and `{` around
    /// the lowercase letters, a byte with bit 7 set), in each byte of a
    /// word of eight and in the tail.
    #[test]
    fn wide_same_as_bytes_for_every_byte() {
        for base in [&b"ABCDEFGHIJKLMNOPQR"[..], b"AB CD  EF\tGH IJ*KL"] {
            for at in 0..base.len() {
                for b in 0..=255u8 {
                    let mut line = base.to_vec();
                    line[at] = b;
                    for from in 0..line.len() {
                        let bytes = &line[from..];
                        assert_eq!(split_line(bytes), split_line_bytes(bytes), "{bytes:?}");
                        let words = &bytes[blanks(bytes)..];
                        if !words.is_empty() {
                            check_take_word(bytes, words);
                        }
                    }
                }
            }
        }
    }

    /// Lines of up to 24 bytes drawn from the edges of every class the
    /// wide readers compute, many at once (a xorshift, the same lines on
    /// every run): the readers eight bytes at a time give the byte loops'
    /// answers, for the line and for each suffix of it.
    #[test]
    fn wide_same_as_bytes_at_the_class_edges() {
        const EDGES: [u8; 30] = [
            b' ', b'\t', b'*', b'.', b',', b':', b'@', b'A', b'Z', b'[', b'`', b'a', b'z', b'{',
            b'/', b'0', b'9', 0x7F, 0x80, 0xAA, 0xB0, 0xB9, 0xC1, 0xDA, 0xE1, 0xFA, b'\r', b'\n',
            0xFF, 0x00,
        ];
        let mut next = crate::payload::testing::xorshift(0x9e37_79b9_7f4a_7c15);
        let mut line = [0u8; 24];
        for _ in 0..40_000 {
            let len = (next() % 25) as usize;
            for b in line.iter_mut() {
                // Half the bytes from a name's shape, so that the
                // shapes the wide reader takes at once are common.
                let r = next();
                *b = match r % 2 {
                    0 => b"AZ09 *"[(r / 2 % 6) as usize],
                    _ => EDGES[(r / 2 % EDGES.len() as u64) as usize],
                };
            }
            for from in 0..=len {
                let bytes = &line[from..len];
                assert_eq!(split_line(bytes), split_line_bytes(bytes), "{bytes:?}");
                let words = &bytes[blanks(bytes)..];
                if !words.is_empty() {
                    check_take_word(bytes, words);
                }
            }
        }
    }

    const BYTES: [u8; 15] = [
        b' ', b'\t', b'*', b'.', b',', b':', b'@', b'\r', b'\n', 0xC3, 0xA9, b'A', b'Z', b'0', b'a',
    ];

    proptest! {
        #[test]
        fn same_as_reference(middle in proptest::collection::vec(
            proptest::collection::vec(
                prop_oneof![
                    Just(b' '), Just(b'\t'), Just(b'*'), Just(b'.'), Just(b','),
                    Just(b':'), Just(b'@'), Just(0xC3), Just(0xA9), Just(0xFB), Just(b'\r'),
                    b'A'..=b'Z', b'0'..=b'9', b'a'..=b'z',
                ],
                0..40,
            ),
            0..6,
        )) {
            check(&middle)?;
        }

        /// The readers eight bytes at a time (64-bit targets) give the
        /// byte loops' answers (the others').
        #[test]
        fn wide_same_as_bytes(bytes in proptest::collection::vec(
            proptest::sample::select(&BYTES[..]),
            0..40,
        )) {
            prop_assert_eq!(split_line(&bytes), split_line_bytes(&bytes));
            let words = bytes.get(blanks(&bytes)..).unwrap_or_default();
            if !words.is_empty() {
                check_take_word(&bytes, words);
            }
        }
    }
}
