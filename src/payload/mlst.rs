//! 250 after MLST (RFC 3659 section 7.2): one entry, `facts SP pathname`.
//!
//! RFC 3659 sections 7.1 and 7.2, verbatim (the parts a reply uses):
//!
//! ```text
//! mlst             = "MLst" [ SP pathname ] CRLF
//! control-response = "250-" [ response-message ] CRLF
//!                    1*( SP entry CRLF )
//!                    "250" [ SP response-message ] CRLF
//! entry            = [ facts ] SP pathname
//! facts            = 1*( fact ";" )
//! fact             = factname "=" value
//! value            = *SCHAR
//! ```
//!
//! (`factname` is one of the facts of section 7.5, an OS fact or an `X.`
//! fact; this crate keeps unknown ones, by name.)

use super::numbers::decimal_u64;
use super::offset::suffix_offset;
use super::time::Timestamp;
use crate::encode::{BlockWriter, Sink};
use crate::error::{Error, PayloadError};

/// The entry of a 250 reply to MLST: its facts and its pathname.
///
/// RFC 3659 section 7.2: `entry = [facts] SP pathname`, `facts = 1*(fact
/// ";")`, `fact = factname "=" value`. The entry line is the first middle line
/// of the block that starts with a space, or, failing that, the first
/// middle line ([`Reply::mlst_entry`](crate::Reply::mlst_entry)).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct MlstEntry<'a> {
    facts: &'a [u8],
    path: &'a [u8],
}

/// One `name=value` fact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Fact<'a> {
    /// The fact name as sent (`type`, `UNIX.mode`); case-insensitive.
    pub name: &'a [u8],
    /// The value as sent.
    pub value: &'a [u8],
}

impl<'a> MlstEntry<'a> {
    /// Parses an entry line (the line's text, its leading space included).
    /// Facts after more than one space are read as facts (`  size=0; /w`
    /// is `size=0;` and `/w`), as real servers indent so; RFC 3659's
    /// `SP SP pathname` (no facts) still reads as a path when what follows
    /// the spaces is no word of facts ending in `;` with a space and a
    /// byte of path after it (`  a=b; ` is the path `a=b; `).
    ///
    /// # Errors
    /// `Missing` for an empty line or one without the space before the
    /// pathname, `BadFact` (at the fact) for a fact without `=` or with an
    /// empty name, `ForbiddenByte` at a CR in the facts or the pathname
    /// (which [`new`](Self::new) refuses too), with the offset into `line`.
    #[must_use = "parsing has no effect but its result"]
    pub fn parse(line: &'a [u8]) -> Result<Self, Error> {
        Self::parse_at(line, 0)
    }

    /// [`parse`](Self::parse), with offsets counted from `base` (where
    /// `line` starts in the reply): no shift of the error afterwards.
    pub(crate) fn parse_at(line: &'a [u8], base: usize) -> Result<Self, Error> {
        let body = line.strip_prefix(b" ").unwrap_or(line);
        // More spaces, then what reads as facts: an entry indented by two
        // or four spaces (the servers of rclone #8403 and jlaffaye/ftp
        // #338; Commons Net and jlaffaye/ftp read it so), not an entry
        // with no facts whose path starts `size=0;` (`new` refuses that).
        let body = match trim_spaces(body) {
            more if more.len() < body.len() && reads_as_facts(more) => more,
            _ => body,
        };
        let at = base + suffix_offset(line, body);
        // Without a space the path is empty too: the same error.
        let (facts, path) = super::cut(body, b' ');
        if path.is_empty() {
            return Err(Error::payload(PayloadError::Missing, base + line.len()));
        }
        if let Some(i) = bad_fact(facts) {
            return Err(Error::payload(PayloadError::BadFact, at + i));
        }
        // No CR in a fact or in the path, as `new` checks (so that what
        // parses can be written back): a line's CR that no LF follows
        // (`/p\r` from `/p\r\r\n`), which a 257's path refuses too. One
        // kind for both places: flash (size-all's gate).
        if let Some(i) = crate::scan::find(b'\r', body) {
            return Err(Error::payload(PayloadError::ForbiddenByte, at + i));
        }
        Ok(MlstEntry { facts, path })
    }

    /// An entry to encode, checked as a parse checks it, so that it can be
    /// written and read back: `facts` as [`raw_facts`](Self::raw_facts)
    /// gives them (`type=file;size=1234;`, possibly empty), `path` not
    /// empty.
    ///
    /// # Errors
    /// `BadFact`, at the offset into `facts` of a fact without `=` or with
    /// an empty name, or of the byte of a fact that is a space, CR, LF or
    /// NUL (`type=a b;` at 6); `Missing` at 0 for
    /// an empty `path`, `ForbiddenByte` at the offset into `path` of a CR,
    /// LF or NUL; `Unencodable` at 0 for no facts and a path whose first
    /// word, past any spaces, reads as facts with a space and a byte of
    /// path after it (`a=b; c`, not `a=b; `), which would read back as
    /// facts.
    #[must_use = "checking has no effect but its result"]
    pub fn new(facts: &'a [u8], path: &'a [u8]) -> Result<Self, Error> {
        let mut at = 0;
        for fact in facts.split(|b| *b == b';') {
            let bad = fact
                .iter()
                .position(|b| matches!(b, b' ' | b'\r' | b'\n' | 0));
            match (bad, crate::scan::find(b'=', fact)) {
                (Some(i), _) => return Err(Error::payload(PayloadError::BadFact, at + i)),
                (None, Some(eq)) if eq > 0 => {}
                (None, _) if fact.is_empty() => {}
                _ => return Err(Error::payload(PayloadError::BadFact, at)),
            }
            at += fact.len() + 1;
        }
        if path.is_empty() {
            return Err(Error::payload(PayloadError::Missing, 0));
        }
        if let Some(bad) = crate::scan::find3(b'\r', b'\n', 0, path) {
            return Err(Error::payload(PayloadError::ForbiddenByte, bad));
        }
        // No facts, and a path that would read back as facts after the
        // spaces (`a=b; c`: see `parse`).
        if facts.is_empty() && reads_as_facts(trim_spaces(path)) {
            return Err(Error::payload(PayloadError::Unencodable, 0));
        }
        Ok(MlstEntry { facts, path })
    }

    /// The pathname, as the server wrote it (absolute for ProFTPD).
    #[must_use]
    pub const fn path(&self) -> &'a [u8] {
        self.path
    }

    /// The facts as written: `type=file;size=1234;`.
    #[must_use]
    pub const fn raw_facts(&self) -> &'a [u8] {
        self.facts
    }

    /// The facts, in order (an empty piece, `;;`, is skipped; an entry
    /// with a piece that has no `=` is refused when parsed).
    pub fn facts(&self) -> EntryFacts<'a> {
        EntryFacts { rest: self.facts }
    }

    /// The value of fact `name` (ASCII case-insensitive).
    #[must_use]
    pub fn fact(&self, name: &str) -> Option<&'a [u8]> {
        self.facts()
            .find(|f| f.name.eq_ignore_ascii_case(name.as_bytes()))
            .map(|f| f.value)
    }

    /// `type`: `file`, `dir`, `cdir`, `pdir`, or an `OS.name=type`.
    #[must_use]
    pub fn kind(&self) -> Option<&'a [u8]> {
        self.fact("type")
    }

    /// `size`, in octets, when present and decimal.
    #[must_use]
    pub fn size(&self) -> Option<u64> {
        self.fact("size").and_then(decimal_u64)
    }

    /// `modify`, when present and a valid time-val.
    #[must_use]
    pub fn modify(&self) -> Option<Timestamp> {
        self.fact("modify").and_then(|v| Timestamp::parse(v).ok())
    }

    /// `perm`: the permission letters (`adfrw`, `elcmp`...).
    #[must_use]
    pub fn perm(&self) -> Option<&'a [u8]> {
        self.fact("perm")
    }

    /// `unique`: the server's identifier for the object.
    #[must_use]
    pub fn unique(&self) -> Option<&'a [u8]> {
        self.fact("unique")
    }

    /// `UNIX.mode`, as octal digits parsed (`0644` gives 0o644; so does
    /// pyftpdlib's `0o644`, Python's octal form): 1 to 11 digits, leading
    /// zeros counted (a `u32` holds 11), `None` for more or for any other
    /// byte.
    #[must_use]
    pub fn unix_mode(&self) -> Option<u32> {
        let v = self.fact("UNIX.mode")?;
        let v = v.strip_prefix(b"0o").unwrap_or(v);
        if v.is_empty() || v.len() > 11 {
            return None;
        }
        v.iter().try_fold(0u32, |acc, b| match b {
            b'0'..=b'7' => acc.checked_mul(8)?.checked_add(u32::from(b - b'0')),
            _ => None,
        })
    }
}

impl MlstEntry<'_> {
    /// Writes the entry as a 250 block: `Listing`, the entry line, which
    /// starts with a space (RFC 3659 section 7.2), `End`. Valid by
    /// construction ([`MlstEntry::new`], [`MlstEntry::parse`]).
    pub(crate) fn emit<S: Sink + ?Sized>(&self, mut out: BlockWriter<'_, S>) -> Result<(), Error> {
        out.first(b"Listing")?;
        out.line(&[b" ", self.facts, b" ", self.path])?;
        out.last(&[b"End"])
    }
}

/// `b` without the spaces it starts with.
fn trim_spaces(mut b: &[u8]) -> &[u8] {
    while let [b' ', rest @ ..] = b {
        b = rest;
    }
    b
}

/// Where the first fact of `facts` (between `;`s) that is not empty has
/// no `=`, or one as its first byte (no name), starts; `None` when every
/// one is well formed.
#[inline(never)]
fn bad_fact(mut facts: &[u8]) -> Option<usize> {
    let mut at = 0;
    while !facts.is_empty() {
        let (fact, eq, next) = split_fact(facts);
        if !fact.is_empty() && !matches!(eq, Some(1..)) {
            return Some(at);
        }
        at += fact.len() + 1;
        facts = next;
    }
    None
}

/// True when `b` starts with a word that reads as facts (well formed, a
/// fact first and a `;` last) and a space follows it.
fn reads_as_facts(b: &[u8]) -> bool {
    let (first, path) = super::cut(b, b' ');
    !path.is_empty()
        && !first.starts_with(b";")
        && first.ends_with(b";")
        && bad_fact(first).is_none()
}

/// The facts of an [`MlstEntry`], from [`MlstEntry::facts`].
#[derive(Debug, Clone)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct EntryFacts<'a> {
    rest: &'a [u8],
}

impl<'a> Iterator for EntryFacts<'a> {
    type Item = Fact<'a>;

    fn next(&mut self) -> Option<Fact<'a>> {
        while !self.rest.is_empty() {
            let (item, eq, rest) = split_fact(self.rest);
            self.rest = rest;
            if let Some(eq) = eq {
                return Some(Fact {
                    name: item.get(..eq).unwrap_or_default(),
                    value: item.get(eq + 1..).unwrap_or_default(),
                });
            }
        }
        None
    }
}

// Once `None`, always `None`.
impl core::iter::FusedIterator for EntryFacts<'_> {}

/// The fact at the front of `facts` (up to its `;`, or the end), where its
/// first `=` is, and what follows the `;`. Each search stops at its first
/// hit (`cut` reads byte by byte), so a run of empty facts (`;;;;`) costs
/// a few instructions per byte, not a search set-up per fact.
fn split_fact(facts: &[u8]) -> (&[u8], Option<usize>, &[u8]) {
    let (item, rest) = super::cut(facts, b';');
    (item, item.iter().position(|&b| b == b'='), rest)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `perm`, and `UNIX.mode`'s bound of 11 octal digits (at most 33
    /// bits: 11 digits read, 12 refused, leading zeros counted).
    /// (Mutation testing found them unchecked here.)
    #[test]
    fn perm_and_mode_bounds() {
        let e = MlstEntry::parse(b" perm=adfrw;UNIX.mode=00000000644; f").unwrap();
        assert_eq!(e.perm(), Some(&b"adfrw"[..]));
        assert_eq!(e.unix_mode(), Some(0o644));
        let e = MlstEntry::parse(b" UNIX.mode=000000000644; f").unwrap();
        assert_eq!((e.perm(), e.unix_mode()), (None, None));
    }

    /// A CR in the path or in a fact (a line's CR that no LF follows:
    /// `/p\r` from a `/p\r\r\n` line) parsed, though `new` refuses both,
    /// "checked as a parse checks it": the entry could not be written
    /// back, and the path held a CR that a 257's path refuses. Found by
    /// differential testing.
    #[test]
    fn a_cr_in_the_entry_is_refused_as_new_refuses_it() {
        for (line, kind, at) in [
            (&b" type=file; /p\r"[..], PayloadError::ForbiddenByte, 14),
            (b" type=file; /p\rq", PayloadError::ForbiddenByte, 14),
            (b" type=file\r; /p", PayloadError::ForbiddenByte, 10),
            (b" size=1;type=f\rile; /p", PayloadError::ForbiddenByte, 14),
            // A fact without `=` is reported first, as before.
            (b" type;x=\r; /p", PayloadError::BadFact, 1),
            (b"type=file; \r", PayloadError::ForbiddenByte, 11),
        ] {
            assert_eq!(
                MlstEntry::parse(line),
                Err(Error::payload(kind, at)),
                "{line:?}"
            );
            assert_eq!(
                MlstEntry::parse_at(line, 100),
                Err(Error::payload(kind, at + 100)),
                "{line:?}"
            );
        }
        // Through the reply: the offset is into the reply's bytes.
        let input = b"250-\r\n type=file; /p\r\r\n250 End\r\n";
        let (_, reply) = crate::parse_complete(input).unwrap();
        assert_eq!(
            reply.mlst_entry(),
            Err(Error::payload(PayloadError::ForbiddenByte, 20))
        );
        // What parses is what `new` takes.
        let e = MlstEntry::parse(b" type=file;x=a=b;; /p q ").unwrap();
        assert_eq!(MlstEntry::new(e.raw_facts(), e.path()), Ok(e));
    }

    /// `fact` is ASCII case-insensitive (so are the named getters);
    /// `mlst_entry` takes the first middle line that starts with a space,
    /// the first middle line when none does; `new` refuses a space in the
    /// facts (`BadFact` at it) and an empty path (`Missing` at 0).
    #[test]
    fn facts_indented_by_more_spaces() {
        // The server of rclone #8403 (two spaces, quoted in jlaffaye/ftp
        // PR #422) and that of jlaffaye/ftp #338 (four).
        let input = b"250-Listing Workspace\r\n  size=0;type=dir;perm=rwx;modify=20250218125218; /Workspace\r\n250 End\r\n";
        let (_, reply) = crate::parse_complete(input).unwrap();
        let e = reply.mlst_entry().unwrap();
        assert_eq!(e.path(), b"/Workspace");
        assert_eq!((e.kind(), e.size()), (Some(&b"dir"[..]), Some(0)));
        let e = MlstEntry::parse(b"    size=892;type=file; file.xml").unwrap();
        assert_eq!(
            (e.raw_facts(), e.path()),
            (&b"size=892;type=file;"[..], &b"file.xml"[..])
        );
        // RFC 3659's entry with no facts stays one: what follows the
        // spaces is no word of facts with a space after it.
        for (line, path) in [
            (&b"  /no facts"[..], &b"/no facts"[..]),
            // Not facts as RFC 3659 writes them: a piece with no `=`, or
            // one with no name.
            (b"  a;b=c; x", b"a;b=c; x"),
            (b"  =a; x", b"=a; x"),
            (b"   a b; c", b" a b; c"),
            (b"  a=b;", b"a=b;"),
            (b"  a=b c", b"a=b c"),
        ] {
            let e = MlstEntry::parse(line).unwrap();
            assert_eq!((e.raw_facts(), e.path()), (&b""[..], path));
        }
        // Such a path with no facts cannot be written: it would read back
        // as facts.
        for path in [&b"a=b; c"[..], b"  x=1; y"] {
            assert_eq!(
                MlstEntry::new(b"", path),
                Err(Error::payload(PayloadError::Unencodable, 0))
            );
        }
        assert!(MlstEntry::new(b"type=file;", b"a=b; c").is_ok());
    }

    #[test]
    fn an_indented_word_with_no_equals_sign_is_a_path() {
        // `a;` ends with `;` but holds no `=`: no facts, the path as RFC
        // 3659's `SP SP pathname` writes it; and such a path is written.
        let e = MlstEntry::parse(b"  a; b").unwrap();
        assert_eq!((e.raw_facts(), e.path()), (&b""[..], &b"a; b"[..]));
        assert!(MlstEntry::new(b"", b"a; b").is_ok());
    }

    #[test]
    fn offsets_in_indented_facts_count_every_space() {
        // The facts start after the whole indent: errors in them are at
        // their byte in the line.
        assert_eq!(
            MlstEntry::parse(b"  a=1;\rb=2; p"),
            Err(Error::payload(PayloadError::ForbiddenByte, 6))
        );
        assert_eq!(
            MlstEntry::parse(b"    a=1;\rb=2; p"),
            Err(Error::payload(PayloadError::ForbiddenByte, 8))
        );
        assert_eq!(
            MlstEntry::parse_at(b"    a=1;\rb=2; p", 100),
            Err(Error::payload(PayloadError::ForbiddenByte, 108))
        );
        // Facts that are not well formed are no facts after an indent:
        // the line is RFC 3659's `SP SP pathname`.
        let e = MlstEntry::parse(b"    a=1;=b; p").unwrap();
        assert_eq!((e.raw_facts(), e.path()), (&b""[..], &b"  a=1;=b; p"[..]));
    }

    #[test]
    fn fact_names_entry_line_and_new() {
        let e = MlstEntry::parse(b" Type=file;SIZE=12;unix.MODE=0644; f").unwrap();
        assert_eq!(e.fact("type"), Some(&b"file"[..]));
        assert_eq!(e.fact("TYPE"), Some(&b"file"[..]));
        assert_eq!(
            (e.kind(), e.size(), e.unix_mode()),
            (Some(&b"file"[..]), Some(12), Some(0o644))
        );
        assert_eq!(e.fact("perm"), None);
        let input = b"250-Listing\r\nnot the entry\r\n type=dir; /d\r\n250 End\r\n";
        let (_, reply) = crate::parse_complete(input).unwrap();
        assert_eq!(reply.mlst_entry().map(|e| e.path()), Ok(&b"/d"[..]));
        let input = b"250-Listing\r\ntype=dir; /d\r\n250 End\r\n";
        let (_, reply) = crate::parse_complete(input).unwrap();
        assert_eq!(reply.mlst_entry().map(|e| e.path()), Ok(&b"/d"[..]));
        assert_eq!(
            MlstEntry::new(b"type=a b;", b"/p"),
            Err(Error::payload(PayloadError::BadFact, 6))
        );
        assert_eq!(
            MlstEntry::new(b"size=1;type;", b"/p"),
            Err(Error::payload(PayloadError::BadFact, 7))
        );
        assert_eq!(
            MlstEntry::new(b"size=1;=x;", b"/p"),
            Err(Error::payload(PayloadError::BadFact, 7))
        );
        assert_eq!(
            MlstEntry::new(b"type=file;", b""),
            Err(Error::payload(PayloadError::Missing, 0))
        );
        assert_eq!(
            MlstEntry::new(b"type=file;", b"/a\nb"),
            Err(Error::payload(PayloadError::ForbiddenByte, 2))
        );
    }

    #[test]
    fn rfc3659_example() {
        // RFC 3659 section 7.7.3 style entry, as pure-ftpd sends it.
        let e = MlstEntry::parse(
            b" type=file;size=1234;modify=20210304050607;UNIX.mode=0644;UNIX.uid=1001;UNIX.gid=1001;unique=803g2d2; hello.txt",
        )
        .unwrap();
        assert_eq!(e.path(), b"hello.txt");
        assert_eq!(e.kind(), Some(&b"file"[..]));
        assert_eq!(e.size(), Some(1234));
        assert_eq!(e.unix_mode(), Some(0o644));
        for (fact, mode) in [
            (&b"UNIX.mode=0o644"[..], Some(0o644)),
            (b"UNIX.mode=0o", None),
            (b"UNIX.mode=0o0o1", None),
            (b"UNIX.mode=o644", None),
            (b"UNIX.mode=0O644", None),
            (b"UNIX.mode=4755", Some(0o4755)),
        ] {
            let mut line = [0u8; 64];
            let mut n = 0;
            for part in [
                &b"250-Listing f\r\n type=file;"[..],
                fact,
                b"; f\r\n250 End\r\n",
            ] {
                line[n..n + part.len()].copy_from_slice(part);
                n += part.len();
            }
            let (_, r) = crate::parse_complete(&line[..n]).unwrap();
            assert_eq!(r.mlst_entry().unwrap().unix_mode(), mode, "{fact:?}");
        }
        assert_eq!(e.unique(), Some(&b"803g2d2"[..]));
        assert_eq!(e.modify().map(|t| (t.year(), t.second())), Some((2021, 7)));
        assert_eq!(e.facts().count(), 7);
        assert_eq!(
            MlstEntry::parse(b" type;size=1; x"),
            Err(Error::payload(PayloadError::BadFact, 1))
        );
        assert_eq!(
            MlstEntry::parse(b" nospace"),
            Err(Error::payload(PayloadError::Missing, 8))
        );
        let no_facts = MlstEntry::parse(b"  /tmp").unwrap();
        assert_eq!(no_facts.facts().count(), 0);
        assert_eq!(
            (no_facts.raw_facts(), no_facts.path()),
            (&b""[..], &b"/tmp"[..])
        );
    }

    /// Empty facts, `=` in values and names that are empty: what
    /// `split_fact` gives is what splitting at every `;` and then at the
    /// first `=` gives (the reading before it), for the check and for the
    /// iterator, on every string of up to 7 bytes over `;=a `.
    #[test]
    fn facts_as_split_at_every_semicolon() {
        extern crate std;
        use std::vec::Vec;
        let alphabet = *b";=a ";
        for len in 0..=7u32 {
            for mut k in 0..4usize.pow(len) {
                let mut facts = Vec::new();
                for _ in 0..len {
                    facts.push(alphabet[k % 4]);
                    k /= 4;
                }
                let facts = facts.as_slice();
                let mut pieces: Vec<&[u8]> = facts.split(|&b| b == b';').collect();
                // A trailing `;` ends the last fact; it opens none (and no
                // facts at all are no fact).
                if facts.is_empty() || facts.ends_with(b";") {
                    pieces.pop();
                }
                let eq = |f: &[u8]| f.iter().position(|&b| b == b'=');
                let want: Vec<Fact<'_>> = pieces
                    .iter()
                    .filter_map(|f| {
                        let at = eq(f)?;
                        Some(Fact {
                            name: &f[..at],
                            value: &f[at + 1..],
                        })
                    })
                    .collect();
                let entry = MlstEntry { facts, path: b"p" };
                assert_eq!(entry.facts().collect::<Vec<_>>(), want, "{facts:?}");
                if facts.contains(&b' ') {
                    continue; // the path would start at that space
                }
                let bad = pieces
                    .iter()
                    .position(|f| !f.is_empty() && !matches!(eq(f), Some(1..)));
                let mut line = Vec::from(&b" "[..]);
                line.extend_from_slice(facts);
                line.extend_from_slice(b" p");
                let parsed = MlstEntry::parse(&line).map(|e| e.raw_facts());
                let want = match bad {
                    None => Ok(facts),
                    Some(i) => {
                        let at = 1 + pieces[..i].iter().map(|f| f.len() + 1).sum::<usize>();
                        Err(Error::payload(PayloadError::BadFact, at))
                    }
                };
                assert_eq!(parsed, want, "{facts:?}");
            }
        }
    }
}
