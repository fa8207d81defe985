//! Runtime leniency and limits.

use core::num::NonZeroU32;

/// How strictly replies are framed, and how large a block may be.
///
/// A runtime value, not a cargo feature: features unify across a firmware's
/// dependency tree, so one crate asking for leniency would change parsing
/// for every other user of this one.
///
/// The default follows RFC 959 for structure (three digits, a space or a
/// hyphen, a block ends at its own code followed by a space or the line's
/// end) and what real servers send for the rest (a bare LF ends a line
/// too, text is any bytes but NUL).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct ParserConfig {
    pub(crate) any_code_ends_block: bool,
    /// 0: no limit (so that the default is all zero bytes and a `static`
    /// decoder lands in `.bss`, not `.data`).
    pub(crate) max_lines: u32,
}

impl Default for ParserConfig {
    fn default() -> Self {
        Self::new()
    }
}

impl ParserConfig {
    /// The strict default: a block ends only at its own code and a space
    /// (or its own code alone on the line), with no limit on its number of
    /// lines.
    #[must_use]
    pub const fn new() -> Self {
        ParserConfig {
            any_code_ends_block: false,
            max_lines: 0,
        }
    }

    /// End a multi-line block at the first later line that starts with any
    /// reply code (three digits, the first 1 to 6) and a space, or is such
    /// a code alone, not only its own code: `099 x` and `700 x` stay middle
    /// lines, as any line that starts no reply does.
    ///
    /// Off by default, as in Python's ftplib, Go's jlaffaye/ftp and lftp
    /// (whose `ftpclass.cc` ends a block only at the same code followed by
    /// a space), which follow RFC 959. curl, Apache Commons Net and
    /// suppaftp end a block at any code, because glftpd closes a `553-`
    /// block with a `150 ` line. With it on, the reply's
    /// [`code`](crate::Reply::code) is the code of the line that closed the block,
    /// as in curl, and [`Reply::text`](crate::Reply::text) and the typed payloads read that
    /// closing line ([`Reply::closed_by_other_code`](crate::Reply::closed_by_other_code)); [`Reply::lines`](crate::Reply::lines)
    /// still yields every line. The readers that look for their value on
    /// any line of a block (the 227, 228 and 229 tuples, a 125's or 150's
    /// size) look on the closing line alone then: the other code's lines
    /// are not theirs (`553-(|||9|)` closed by `229 (|||1|)` gives port 1,
    /// to [`Reply::extended_passive`](crate::Reply::extended_passive) and to
    /// the [`Client`](crate::client::Client) engine alike).
    /// The cost: a middle line such as
    /// `200 files listed` ends the block early, which RFC 959 forbids.
    #[must_use]
    pub const fn any_code_ends_block(mut self, on: bool) -> Self {
        self.any_code_ends_block = on;
        self
    }

    /// Refuse a block of more than `limit` lines (counting its first and
    /// last line) with [`ErrorKind::TooManyLines`](crate::ErrorKind::TooManyLines);
    /// `None`, the default, sets no limit.
    ///
    /// `NonZeroU32` because a limit of 0 lines means nothing: no value
    /// stands for "no limit" by convention, none is changed silently.
    /// `NonZeroU32::new(64)` gives the `Option` directly.
    #[must_use]
    pub const fn max_lines(mut self, limit: Option<NonZeroU32>) -> Self {
        self.max_lines = match limit {
            Some(n) => n.get(),
            None => 0,
        };
        self
    }

    /// The limit set by [`max_lines`](Self::max_lines), `None` for none.
    #[must_use]
    pub const fn line_limit(&self) -> Option<NonZeroU32> {
        NonZeroU32::new(self.max_lines)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `line_limit` gives back what `max_lines` set. (Mutation testing.)
    #[test]
    fn line_limit_is_what_was_set() {
        assert_eq!(ParserConfig::new().line_limit(), None);
        let five = NonZeroU32::new(5);
        assert_eq!(ParserConfig::new().max_lines(five).line_limit(), five);
        assert_eq!(
            ParserConfig::new()
                .max_lines(five)
                .max_lines(None)
                .line_limit(),
            None
        );
    }
}
