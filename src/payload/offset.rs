//! Where a piece of a reply starts in the reply's bytes: the one way the
//! crate computes an offset: by length difference (never by comparing
//! pointers, which says nothing for an empty slice that `unwrap_or_default`
//! made). The grammar does the same for the rest of its input, and
//! [`Lines`](crate::Lines) for each line it reads.

#[cfg(test)]
use crate::reply::Reply;

/// Where `suffix`, which ends `whole`, starts in `whole`: the difference of
/// their lengths. An empty suffix starts at `whole.len()`.
pub(crate) const fn suffix_offset(whole: &[u8], suffix: &[u8]) -> usize {
    whole.len().saturating_sub(suffix.len())
}

/// Where `text`, a suffix of the text of line `index` of `reply` (as
/// [`Reply::lines`] gives it), starts in the reply's bytes: the line's
/// offset, which [`Lines`](crate::Lines) computes as a length difference
/// while it reads the line, plus the length `text` is shorter than the
/// line's text. An index past the last line gives the reply's length.
///
/// Linear in the reply. The payloads read offsets from
/// [`Lines`](crate::Lines) as they walk (one walk, less flash); the tests
/// check those against this.
#[cfg(test)]
pub(crate) fn line_offset(reply: &Reply<'_>, index: usize, text: &[u8]) -> usize {
    let mut lines = reply.lines();
    let mut found = (reply.as_bytes().len(), &[][..]);
    for _ in 0..=index {
        match lines.next_at() {
            Some(line) => found = line,
            None => return reply.as_bytes().len(),
        }
    }
    found.0 + suffix_offset(found.1, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    extern crate std;
    use std::vec::Vec;

    fn reply(input: &[u8]) -> Reply<'_> {
        crate::parse_complete(input).unwrap().1
    }

    /// The offset of each line's text, each checked against the bytes.
    fn offsets(r: &Reply<'_>) -> Vec<usize> {
        r.lines()
            .enumerate()
            .map(|(i, text)| {
                let at = line_offset(r, i, text);
                assert_eq!(&r.as_bytes()[at..at + text.len()], text);
                at
            })
            .collect()
    }

    #[test]
    fn empty_slices() {
        // An empty slice that `unwrap_or_default` made has a dangling
        // pointer: by pointers its offset was 0; by length it is the end.
        assert_eq!(suffix_offset(b"abc", <&[u8]>::default()), 3);
        assert_eq!(suffix_offset(b"abc", &b"abc"[3..]), 3);
        assert_eq!(suffix_offset(b"", b""), 0);
        assert_eq!(suffix_offset(b"abc", b"bc"), 1);
        // An empty text on an empty middle line, and on a closing line.
        let r = reply(b"211-a\r\n\r\n211\r\n");
        assert_eq!(offsets(&r), [4, 7, 12]);
        let empty = <&[u8]>::default();
        assert_eq!(line_offset(&r, 1, empty), 7);
        assert_eq!(line_offset(&r, 2, empty), 12);
        // Past the last line: the end of the bytes.
        assert_eq!(line_offset(&r, 3, empty), 14);
        let r = reply(b"200\r\n");
        assert_eq!(r.text_at(), (3, &b""[..]));
    }

    #[test]
    fn lines_and_main_text() {
        let r = reply(b"214-Help\r\n214-214 x\r\n ABOR\n214 OK\r\n");
        assert_eq!(offsets(&r), [4, 14, 21, 31]);
        assert_eq!(r.text_at().0, 4);
        let r = crate::ParserConfig::new()
            .any_code_ends_block(true)
            .parse_complete(b"553-No.\r\n150 Opening (12 bytes).\r\n")
            .unwrap()
            .1;
        assert_eq!(r.text_at().0, 13);
        assert_eq!(&r.as_bytes()[13..16], b"Ope");
    }
}
