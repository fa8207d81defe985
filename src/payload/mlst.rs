//! 250 after MLST (RFC 3659 section 7.2): one entry, `facts SP pathname`.

use super::time::Timestamp;
use super::transfer::decimal_u64;
use crate::error::PayloadError;

/// The entry of a 250 reply to MLST: its facts and its pathname.
///
/// RFC 3659 section 7.2: `entry = [facts] SP pathname`, `facts = 1*(fact
/// ";")`, `fact = factname "=" value`. The entry line is the one middle line
/// of the block that starts with a space.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct MlstEntry<'a> {
    facts: &'a [u8],
    /// The pathname, as the server wrote it (absolute for ProFTPD).
    pub path: &'a [u8],
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
    ///
    /// # Errors
    /// `Missing` for an empty line or one without the space before the
    /// pathname, `BadFact` (at the fact) for a fact without `=` or with an
    /// empty name, with the offset into `line`.
    pub fn parse(line: &'a [u8]) -> Result<Self, (PayloadError, usize)> {
        let body = line.strip_prefix(b" ").unwrap_or(line);
        let skipped = line.len() - body.len();
        let sp = crate::scan::find(b' ', body).ok_or((PayloadError::Missing, line.len()))?;
        let facts = body.get(..sp).unwrap_or_default();
        let path = body.get(sp + 1..).unwrap_or_default();
        if path.is_empty() {
            return Err((PayloadError::Missing, line.len()));
        }
        let mut at = skipped;
        for fact in facts.split(|b| *b == b';') {
            if !fact.is_empty() {
                match crate::scan::find(b'=', fact) {
                    Some(eq) if eq > 0 => {}
                    _ => return Err((PayloadError::BadFact, at)),
                }
            }
            at += fact.len() + 1;
        }
        Ok(MlstEntry { facts, path })
    }

    /// An entry to encode.
    #[must_use]
    pub const fn new(facts: &'a [u8], path: &'a [u8]) -> Self {
        MlstEntry { facts, path }
    }

    /// The facts as written: `type=file;size=1234;`.
    #[must_use]
    pub const fn raw_facts(&self) -> &'a [u8] {
        self.facts
    }

    /// The facts, in order.
    pub fn facts(&self) -> impl Iterator<Item = Fact<'a>> + 'a {
        self.facts.split(|b| *b == b';').filter_map(|f| {
            let eq = crate::scan::find(b'=', f)?;
            Some(Fact {
                name: f.get(..eq)?,
                value: f.get(eq + 1..)?,
            })
        })
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

    /// `UNIX.mode`, as octal digits parsed (`0644` gives 0o644).
    #[must_use]
    pub fn unix_mode(&self) -> Option<u32> {
        let v = self.fact("UNIX.mode")?;
        if v.is_empty() || v.len() > 11 {
            return None;
        }
        v.iter().try_fold(0u32, |acc, b| match b {
            b'0'..=b'7' => acc.checked_mul(8)?.checked_add(u32::from(b - b'0')),
            _ => None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3659_example() {
        // RFC 3659 section 7.7.3 style entry, as pure-ftpd sends it.
        let e = MlstEntry::parse(
            b" type=file;size=1234;modify=20210304050607;UNIX.mode=0644;UNIX.uid=1001;UNIX.gid=1001;unique=803g2d2; hello.txt",
        )
        .unwrap();
        assert_eq!(e.path, b"hello.txt");
        assert_eq!(e.kind(), Some(&b"file"[..]));
        assert_eq!(e.size(), Some(1234));
        assert_eq!(e.unix_mode(), Some(0o644));
        assert_eq!(e.unique(), Some(&b"803g2d2"[..]));
        assert_eq!(e.modify().map(|t| (t.year, t.second)), Some((2021, 7)));
        assert_eq!(e.facts().count(), 7);
        assert_eq!(
            MlstEntry::parse(b" type;size=1; x"),
            Err((PayloadError::BadFact, 1))
        );
        assert_eq!(
            MlstEntry::parse(b" nospace"),
            Err((PayloadError::Missing, 8))
        );
        let no_facts = MlstEntry::parse(b"  /tmp").unwrap();
        assert_eq!(
            (no_facts.raw_facts(), no_facts.path),
            (&b""[..], &b"/tmp"[..])
        );
    }
}
