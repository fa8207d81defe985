//! A parsed reply: a checked view over the bytes of one reply.

use core::fmt;

use crate::code::ReplyCode;

/// One reply, single-line or multi-line, borrowing the input it was parsed
/// from.
///
/// It holds the raw bytes, the code and the number of lines; the lines are
/// found again on demand by [`Reply::lines`], so there is no capacity limit
/// and nothing is copied.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Reply<'a> {
    raw: &'a [u8],
    code: ReplyCode,
    line_count: usize,
    truncated: bool,
    /// A whole block closed by a line with another code than its first
    /// line's (what [`closed_by_other_code`](Self::closed_by_other_code)
    /// reads from the bytes, for a reply that is not cut): set by the
    /// grammar or the decoder as it closes the block, so that the payloads
    /// test a bool ([`payload_lines`](Self::payload_lines)). It takes
    /// padding: a `Reply` is still four words.
    other_closed: bool,
}

// Four words on 32-bit and 64-bit targets alike, the flag in padding.
const _: () = assert!(core::mem::size_of::<Reply<'static>>() == 4 * core::mem::size_of::<usize>());

impl<'a> Reply<'a> {
    pub(crate) const fn from_parts(
        raw: &'a [u8],
        code: ReplyCode,
        line_count: usize,
        other_closed: bool,
    ) -> Self {
        Reply {
            raw,
            code,
            line_count,
            truncated: false,
            other_closed,
        }
    }

    /// A reply the [`Decoder`](crate::Decoder) found, whole or not
    /// (`truncated`: then `line_count` is 1).
    pub(crate) const fn held(
        raw: &'a [u8],
        code: ReplyCode,
        line_count: usize,
        truncated: bool,
        other_closed: bool,
    ) -> Self {
        Reply {
            raw,
            code,
            line_count,
            truncated,
            other_closed,
        }
    }

    /// True when this reply was longer than the [`Decoder`](crate::Decoder)'s
    /// buffer. Its [`code`](Self::code) is right (the code of the line that
    /// closed it); its bytes are only what fitted: the first line, cut to
    /// fit (a cut line ends with a LF the decoder wrote where it cut), so
    /// [`line_count`](Self::line_count) is 1 (in a one-byte buffer nothing
    /// fits: no bytes, and [`lines`](Self::lines) yields none). No value
    /// is read from a cut reply (a number cut short is another number):
    /// the payloads that carry one give
    /// [`PayloadError::Truncated`](crate::PayloadError::Truncated);
    /// [`Payload::Text`](crate::payload::Payload::Text) and the views
    /// (status, help, features) read the line held
    /// (`a_cut_reply_gives_no_value` in `tests/payload_guarantees.rs`). A
    /// client can still act on the code: a 2 KiB multi-line 220 banner
    /// through a `Decoder<512>` is a 220.
    #[must_use]
    pub const fn is_truncated(&self) -> bool {
        self.truncated
    }

    /// The reply code. For a multi-line block it is the code of the line
    /// that closed it, which is the code of its first line unless
    /// [`ParserConfig::any_code_ends_block`](crate::ParserConfig::any_code_ends_block)
    /// let a line with another code close it (glftpd's `553-` block closed
    /// by a `150 ` line is a 150).
    #[must_use]
    pub const fn code(&self) -> ReplyCode {
        self.code
    }

    /// Whether a line with another code closed this whole block (what
    /// [`closed_by_other_code`](Self::closed_by_other_code) says of a reply
    /// that is not cut), as the grammar or the decoder found it.
    pub(crate) const fn other_closed(&self) -> bool {
        self.other_closed
    }

    /// The number of lines: 1 for a single-line reply, 2 or more for a block.
    #[must_use]
    pub const fn line_count(&self) -> usize {
        self.line_count
    }

    /// True when the reply is a multi-line block.
    #[must_use]
    pub const fn is_multiline(&self) -> bool {
        self.line_count > 1
    }

    /// The raw bytes of the whole reply, line ends included.
    #[must_use]
    pub const fn as_bytes(&self) -> &'a [u8] {
        self.raw
    }

    /// The text of each line, without its line end, and without the code
    /// and separator where the line has them: on the first and last line,
    /// and on middle lines that repeat the block's code with a hyphen
    /// (`211-MDTM`, as ProFTPD sends).
    pub fn lines(&self) -> Lines<'a> {
        Lines {
            rest: self.raw,
            first: self.code_digits(),
            index: 0,
            count: self.line_count,
            stop: self.line_count,
            len: self.raw.len(),
        }
    }

    /// The lines between the first and the last, as [`lines`](Self::lines)
    /// gives them (a middle line that starts with the block's own code and
    /// `-` without them); none for a single-line reply.
    pub fn middle_lines(&self) -> Lines<'a> {
        // Built in place, past the first line: no copy of a `Lines`.
        let (rest, stop) = if self.line_count < 3 {
            (&[][..], 0)
        } else {
            (crate::scan::next_line(self.raw).1, self.line_count - 1)
        };
        Lines {
            rest,
            first: self.code_digits(),
            index: 1,
            count: self.line_count,
            stop,
            len: self.raw.len(),
        }
    }

    /// The digits of the first line's code.
    /// (Only a truncated reply can be shorter than three bytes; it has no
    /// middle line to compare with them.)
    fn code_digits(&self) -> [u8; 3] {
        match self.raw {
            [a, b, c, ..] => [*a, *b, *c],
            _ => [0; 3],
        }
    }

    /// True when a line with another code than the first line's closed
    /// the block (possible only with
    /// [`any_code_ends_block`](crate::ParserConfig::any_code_ends_block)).
    /// A reply the decoder cut ([`is_truncated`](Self::is_truncated))
    /// says so too, from the code of the first line it holds: glftpd's
    /// `553-` block closed by a `150 ` line, cut, is a 150 closed by
    /// another code, its text what it holds of the 553 line.
    #[must_use]
    pub fn closed_by_other_code(&self) -> bool {
        // By the digits read back into a code: no division to write the
        // code's digits. A cut reply holds one line, or none (no code:
        // false).
        (self.line_count > 1 || self.truncated)
            && ReplyCode::from_digits(self.code_digits()).is_some_and(|c| c != self.code)
    }

    /// The text of the reply's main line, without code, separator and line
    /// end: the first line, or, when a line with another code closed the
    /// block ([`closed_by_other_code`](Self::closed_by_other_code)), that
    /// closing line, whose code the reply carries. Typed payloads read it
    /// too, so glftpd's `553-Could not create file.` closed by
    /// `150 Opening BINARY mode data connection for x (12 bytes).` gives a
    /// 150 with its size (those that look on any line of a block, the 227,
    /// 228 and 229 tuples and a 125's or 150's size, look on the closing
    /// line alone then: see
    /// [`any_code_ends_block`](crate::ParserConfig::any_code_ends_block)).
    /// [`lines`](Self::lines) still yields every line, the first one
    /// included.
    #[must_use]
    pub fn text(&self) -> &'a [u8] {
        self.text_at().1
    }

    /// `Ok` for a whole reply; `PayloadError::Truncated` at the end of the
    /// bytes held for one the decoder cut: no value is read from it.
    pub(crate) const fn whole(&self) -> Result<(), crate::Error> {
        if self.truncated {
            Err(crate::Error::payload(
                crate::PayloadError::Truncated,
                self.raw.len(),
            ))
        } else {
            Ok(())
        }
    }

    /// [`text`](Self::text) and where it starts in
    /// [`as_bytes`](Self::as_bytes): the first line
    /// [`payload_lines`](Self::payload_lines) gives.
    pub(crate) fn text_at(&self) -> (usize, &'a [u8]) {
        self.payload_lines()
            .next_at()
            .unwrap_or((self.raw.len(), &[]))
    }

    /// The lines a payload reads: every line, or, when a line with another
    /// code closed the block, that closing line alone, so that the readers
    /// that look on any line of a block (the 227, 228 and 229 tuples, a
    /// 125's or 150's size) do not take the other code's value.
    ///
    /// The closing line is the last: it starts past the LF before the one
    /// that ends the reply, found from the end (no forward scan). The
    /// iterator starts there with its index 0, so the line reads as an
    /// edge line (less its code and separator), and none follows it. A
    /// flag the grammar and the decoder set, not
    /// [`closed_by_other_code`](Self::closed_by_other_code): a bool to
    /// test, and the 227-only and every-payload firmware probes, whose
    /// strict parser never sets it, carry no code for it.
    pub(crate) fn payload_lines(&self) -> Lines<'a> {
        let mut lines = self.lines();
        if self.other_closed
            && let [body @ .., _] = self.raw
        {
            let mut i = body.len();
            while i > 0 && body.get(i - 1) != Some(&b'\n') {
                i -= 1;
            }
            // `i` is at most `body.len()`, less than the length: no panic
            // (and no bounds check left in a firmware).
            lines.rest = self.raw.split_at(i).1;
        }
        lines
    }

    /// Where [`payload_lines`](Self::payload_lines) starts: 0, or for a
    /// block another code closed the offset of its closing line.
    pub(crate) fn payload_start(&self) -> usize {
        self.raw
            .len()
            .saturating_sub(self.payload_lines().rest.len())
    }

    /// [`text`](Self::text) (the main line: the first, or the closing line
    /// whose code the reply carries) as `&str`, when it is UTF-8 (RFC 2640
    /// asks for UTF-8, but servers send Latin-1 and other bytes too).
    ///
    /// # Errors
    /// `PayloadError::NotUtf8` when the text is not UTF-8, at the offset
    /// (into [`as_bytes`](Self::as_bytes)) of its first byte that is not.
    #[must_use = "parsing has no effect but its result"]
    pub fn text_str(&self) -> Result<&'a str, crate::Error> {
        let (start, text) = self.text_at();
        core::str::from_utf8(text).map_err(|e| {
            let at = start.saturating_add(e.valid_up_to());
            crate::Error::new(crate::ErrorKind::Payload(crate::PayloadError::NotUtf8), at)
        })
    }
}

impl fmt::Debug for Reply<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Reply")
            .field("code", &self.code.get())
            .field("line_count", &self.line_count)
            .field("truncated", &self.truncated)
            .field("raw", &Escaped(self.raw))
            .finish()
    }
}

#[cfg(feature = "defmt")]
#[cfg_attr(docsrs, doc(cfg(feature = "defmt")))]
impl defmt::Format for Reply<'_> {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(
            f,
            "Reply {{ code: {=u16}, line_count: {=usize}, truncated: {=bool}, raw: {=[u8]:a} }}",
            self.code.get(),
            self.line_count,
            self.truncated,
            self.raw
        )
    }
}

/// Writes bytes as an escaped string: printable ASCII as is, the rest as
/// `\r`, `\n` or `\xNN`.
pub(crate) struct Escaped<'a>(pub(crate) &'a [u8]);

impl fmt::Debug for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("\"")?;
        for &b in self.0 {
            match b {
                b'\r' => f.write_str("\\r")?,
                b'\n' => f.write_str("\\n")?,
                b'"' => f.write_str("\\\"")?,
                b'\\' => f.write_str("\\\\")?,
                0x20..=0x7e => write!(f, "{}", b as char)?,
                _ => write!(f, "\\x{b:02x}")?,
            }
        }
        f.write_str("\"")
    }
}

/// The lines of a [`Reply`], from [`Reply::lines`].
#[derive(Debug, Clone)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct Lines<'a> {
    rest: &'a [u8],
    first: [u8; 3],
    index: usize,
    /// The reply's number of lines (the last one is an edge line).
    count: usize,
    /// Where the iteration stops: `count`, or `count - 1` for the middle
    /// lines.
    stop: usize,
    /// The length of the reply's bytes: the offset of a line is this less
    /// what is left (the one way offsets are computed: by length).
    len: usize,
}

impl<'a> Lines<'a> {
    /// The next line's text and where it starts in the reply's bytes: the
    /// line starts at the reply's length less what is left, and its text
    /// is a suffix of the line (less its line end), so both are length
    /// differences.
    #[inline]
    pub(crate) fn next_at(&mut self) -> Option<(usize, &'a [u8])> {
        if self.rest.is_empty() || self.index >= self.stop {
            return None;
        }
        let line_start = self.len.saturating_sub(self.rest.len());
        // The last line is what is left, less its line end: no search.
        // (64-bit targets: on thumbv7em this costs 56 B in the 227 probe.)
        let (line, rest) = if crate::scan::SHORTCUTS && self.index + 1 >= self.count {
            let line = self.rest.strip_suffix(b"\n").unwrap_or(self.rest);
            (crate::scan::strip_cr(line), &[][..])
        } else {
            crate::scan::next_line(self.rest)
        };
        self.rest = rest;
        let index = self.index;
        self.index += 1;
        let is_edge = index == 0 || self.index == self.count;
        let text = if is_edge {
            // The first and last lines always start with a code, then a
            // space, a hyphen or nothing.
            let after = line.get(3..).unwrap_or_default();
            match after.first() {
                Some(b' ' | b'-') => after.get(1..).unwrap_or_default(),
                _ => after,
            }
        } else {
            match line {
                [a, b, c, b'-', text @ ..] if [*a, *b, *c] == self.first => text,
                _ => line,
            }
        };
        Some((line_start + line.len().saturating_sub(text.len()), text))
    }
}

impl<'a> Iterator for Lines<'a> {
    type Item = &'a [u8];

    // Inlined where speed is asked for (a count of 64 Ki blank lines:
    // 0.24 to 0.035 ms in a release build without LTO); on thumbv7em it
    // cost 204 B in the every-payload probe.
    #[cfg_attr(target_pointer_width = "64", inline)]
    fn next(&mut self) -> Option<&'a [u8]> {
        self.next_at().map(|(_, text)| text)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        // No bytes, no line (`next_at`'s own test): a reply cut in a
        // one-byte buffer, or the empty one a stale `ReplyReady` gives.
        let left = if self.rest.is_empty() {
            0
        } else {
            self.stop.saturating_sub(self.index)
        };
        (left, Some(left))
    }
}

// Once `None`, always `None`; `size_hint` is exact (`tests/common`
// checks it against every reply's lines).
impl core::iter::FusedIterator for Lines<'_> {}
impl ExactSizeIterator for Lines<'_> {}

#[cfg(test)]
mod tests {
    extern crate std;
    use std::format;

    /// `Debug` shows the fields and the bytes as an escaped string:
    /// printable ASCII as it is, CR, LF, quote and backslash escaped, any
    /// other byte in hex.
    #[test]
    fn debug_escapes_the_bytes() {
        let (_, reply) = crate::parse_complete(b"257 \"/a\\b\"\t\x7f\xc3\r\n").unwrap();
        assert_eq!(
            format!("{reply:?}"),
            r#"Reply { code: 257, line_count: 1, truncated: false, raw: "257 \"/a\\b\"\x09\x7f\xc3\r\n" }"#
        );
        let (_, block) = crate::parse_complete(b"211-a\n 211 ~\n211 \n").unwrap();
        assert_eq!(
            format!("{block:?}"),
            r#"Reply { code: 211, line_count: 3, truncated: false, raw: "211-a\n 211 ~\n211 \n" }"#
        );
    }
}
