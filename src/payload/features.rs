//! 211 after FEAT (RFC 2389 section 3.2): one feature per line.
//!
//! RFC 2389 section 3.2, verbatim:
//!
//! ```text
//! feat-response   = error-response / no-features / feature-listing
//! no-features     = "211" SP *TCHAR CRLF
//! feature-listing = "211-" *TCHAR CRLF
//!                   1*( SP feature CRLF )
//!                   "211 End" CRLF
//! feature         = feature-label [ SP feature-parms ]
//! feature-label   = 1*VCHAR
//! feature-parms   = 1*TCHAR
//! ```
//!
//! and the MLST feature line of RFC 3659 section 7.8:
//!
//! ```text
//! mlst-feat       = SP "MLST" [SP factlist] CRLF
//! factlist        = 1*( factname ["*"] ";" )
//! ```
//!
//! Leniencies, each for a server that needs it: a feature line without the
//! leading space, a line that repeats `211-` (ProFTPD), and any closing
//! line text instead of `End`.

use crate::encode::{BlockWriter, Sink};
use crate::error::Error;
use crate::reply::{Lines, Reply};

/// The feature list of a 211 reply to FEAT.
///
/// RFC 2389: `211-` text, then one feature per line, each starting with a
/// space, then `211 End`. Lines without the space, and lines that repeat
/// `211-` (as some ProFTPD versions send), are read the same way.
#[derive(Debug, Clone, Copy)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Features<'a> {
    reply: Reply<'a>,
}

/// One feature line: `name [SP params]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Feature<'a> {
    /// The name (`MLST`, `REST`, `UTF8`); case-insensitive by RFC 2389.
    pub name: &'a [u8],
    /// What follows the name and the blanks after it (`STREAM` for `REST
    /// STREAM` and for `REST  STREAM`). Only a space ends the name.
    pub params: &'a [u8],
    /// The whole line, trimmed (`REST STREAM`).
    pub line: &'a [u8],
}

/// One fact of the MLST feature line (RFC 3659 section 7.8):
/// `type*;size*;modify*;perm;`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct FactSupport<'a> {
    /// The fact name (`type`, `UNIX.mode`).
    pub name: &'a [u8],
    /// True when marked with `*`: the server sends it by default.
    pub enabled: bool,
}

impl<'a> Features<'a> {
    /// The feature view of a reply (any code; [`Reply::features`] checks
    /// for 211).
    #[must_use]
    pub const fn new(reply: Reply<'a>) -> Self {
        Features { reply }
    }

    /// The reply.
    #[must_use]
    pub const fn reply(&self) -> Reply<'a> {
        self.reply
    }

    /// The features, in order. A single-line 211 (`211 no-features`) has
    /// none.
    pub fn iter(&self) -> FeatureLines<'a> {
        FeatureLines {
            lines: self.reply.middle_lines(),
        }
    }

    /// The feature named `name` (ASCII case-insensitive), if listed.
    #[must_use]
    pub fn get(&self, name: &str) -> Option<Feature<'a>> {
        self.iter()
            .find(|f| f.name.eq_ignore_ascii_case(name.as_bytes()))
    }

    /// True when the server lists `name` (ASCII case-insensitive): the
    /// feature's keyword alone (`"REST"`, not `"REST STREAM"`; its
    /// parameters are [`Feature::params`]).
    #[must_use]
    pub fn supports(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// The facts of the `MLST` feature line, with their `*` marks; empty
    /// when MLST is not listed. Each fact is trimmed of blanks and an
    /// empty one skipped; a `*` alone is a fact with an empty name, marked
    /// (`MLST *;size*;` gives it, then `size`).
    pub fn mlst_facts(&self) -> MlstFacts<'a> {
        MlstFacts {
            rest: self.get("MLST").map(|f| f.params).unwrap_or_default(),
        }
    }
}

impl<'a> IntoIterator for &Features<'a> {
    type Item = Feature<'a>;
    type IntoIter = FeatureLines<'a>;
    fn into_iter(self) -> FeatureLines<'a> {
        self.iter()
    }
}

impl Features<'_> {
    /// Writes the features as a FEAT block: `Features:`, each feature on
    /// a line that starts with a space (RFC 2389), `End`.
    pub(crate) fn emit<S: Sink + ?Sized>(&self, mut out: BlockWriter<'_, S>) -> Result<(), Error> {
        out.first(b"Features:")?;
        for feature in self.iter() {
            out.line(&[b" ", feature.line])?;
        }
        out.last(&[b"End"])
    }
}

/// The feature lines of a [`Features`] view, from [`Features::iter`].
#[derive(Debug, Clone)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct FeatureLines<'a> {
    lines: Lines<'a>,
}

impl<'a> Iterator for FeatureLines<'a> {
    type Item = Feature<'a>;

    fn next(&mut self) -> Option<Feature<'a>> {
        for line in self.lines.by_ref() {
            // Both trims, as other views call them: no third copy (trim_ascii)
            // in firmware.
            let line = line.trim_ascii_start().trim_ascii_end();
            if line.is_empty() {
                continue;
            }
            let (name, params) = super::cut(line, b' ');
            return Some(Feature {
                name,
                params: params.trim_ascii_start(),
                line,
            });
        }
        None
    }
}

// Once `None`, always `None`.
impl core::iter::FusedIterator for FeatureLines<'_> {}

/// Iterator over the facts of the MLST feature, from
/// [`Features::mlst_facts`].
#[derive(Debug, Clone)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct MlstFacts<'a> {
    rest: &'a [u8],
}

impl<'a> Iterator for MlstFacts<'a> {
    type Item = FactSupport<'a>;

    fn next(&mut self) -> Option<FactSupport<'a>> {
        loop {
            if self.rest.is_empty() {
                return None;
            }
            let (item, rest) = super::cut(self.rest, b';');
            self.rest = rest;
            // Both trims, as other views call them: no third copy (trim_ascii)
            // in firmware.
            let item = item.trim_ascii_start().trim_ascii_end();
            if item.is_empty() {
                continue;
            }
            return Some(match item.strip_suffix(b"*") {
                Some(name) => FactSupport {
                    name,
                    enabled: true,
                },
                None => FactSupport {
                    name: item,
                    enabled: false,
                },
            });
        }
    }
}

// Once `None`, always `None`.
impl core::iter::FusedIterator for MlstFacts<'_> {}

/// Compared by content: the same lines, however they were framed.
impl PartialEq for Features<'_> {
    fn eq(&self, other: &Self) -> bool {
        // A feature's name and parameters follow from its line: comparing
        // the lines alone is the same test, in a third of the work.
        self.iter().map(|f| f.line).eq(other.iter().map(|f| f.line))
    }
}

impl Eq for Features<'_> {}

impl core::hash::Hash for Features<'_> {
    fn hash<H: core::hash::Hasher>(&self, state: &mut H) {
        for item in self.iter() {
            item.hash(state);
        }
    }
}

#[cfg(test)]
mod tests {
    extern crate std;

    use super::*;
    use crate::parse_complete;
    use crate::payload::testing::assert_compared_by_value;

    fn features(input: &[u8]) -> Features<'_> {
        Features::new(parse_complete(input).unwrap().1)
    }

    /// `get` and `supports` (any letter case, the parameters kept), and
    /// equality and hashing by the lines, however they were framed.
    /// (Mutation testing found `get`, `supports`, `eq` and `hash`
    /// unchecked outside the real-server tests.)
    #[test]
    fn lookups_and_comparison() {
        let f = features(b"211-Features:\r\n MDTM\r\n REST STREAM\r\n211 End\r\n");
        let rest = f.get("rest").unwrap();
        assert_eq!((rest.name, rest.params), (&b"REST"[..], &b"STREAM"[..]));
        assert!(f.supports("MDTM") && f.supports("mdtm"));
        assert!(!f.supports("MLST") && f.get("MLST").is_none());
        assert_eq!(f.mlst_facts().count(), 0);
        let m = features(b"211-Features:\r\n MLST size*;UNIX.mode;\r\n211 End\r\n");
        let facts: std::vec::Vec<_> = m.mlst_facts().map(|f| (f.name, f.enabled)).collect();
        assert_eq!(facts, [(&b"size"[..], true), (&b"UNIX.mode"[..], false)]);

        assert_compared_by_value(
            f,
            features(b"211-Features:\n211-MDTM\n REST STREAM\n211 End\n"),
            [
                &b"211-Features:\r\n MDTM\r\n REST\r\n211 End\r\n"[..],
                b"211-Features:\r\n MDTM\r\n211 End\r\n",
                b"211-Features:\r\n MDTM\r\n REST STREAM\r\n SIZE\r\n211 End\r\n",
            ]
            .map(features),
        );
    }
}
