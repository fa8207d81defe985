//! Where a piece of a reply starts in the reply's bytes: the one way the
//! payloads compute an offset, by index and length difference (never by
//! comparing pointers, which says nothing for an empty slice that
//! `unwrap_or_default` made).

use crate::reply::Reply;

/// Where `suffix`, which ends `whole`, starts in `whole`: the difference of
/// their lengths. An empty suffix starts at `whole.len()`.
pub(crate) const fn suffix_offset(whole: &[u8], suffix: &[u8]) -> usize {
    whole.len().saturating_sub(suffix.len())
}

/// Where `text`, the text of line `index` of a reply (as
/// [`Reply::lines`] gives it), starts in the reply's bytes `raw`. A line's
/// text ends where its line does (before CR LF or LF), so it is a suffix
/// of the bytes up to that line end, less the CR: the offset is a length
/// difference, once the line end is found by counting LFs.
///
/// Linear in the reply; the payloads call it on their error paths only,
/// once per error.
pub(crate) fn line_offset(raw: &[u8], index: usize, text: &[u8]) -> usize {
    let mut line_end = 0;
    let mut from = 0;
    for _ in 0..=index {
        line_end = match raw
            .get(from..)
            .and_then(|rest| crate::scan::find(b'\n', rest))
        {
            Some(i) => from + i,
            None => raw.len(),
        };
        from = line_end + 1;
    }
    let line = crate::scan::strip_cr(raw.get(..line_end).unwrap_or_default());
    suffix_offset(line, text)
}

/// Where the reply's main text `text` ([`Reply::text`]) starts in its
/// bytes: on the first line, or on the closing line when another code
/// closed the block.
pub(crate) fn text_offset(reply: &Reply<'_>, text: &[u8]) -> usize {
    let main = if reply.closed_by_other_code() {
        reply.line_count().saturating_sub(1)
    } else {
        0
    };
    line_offset(reply.as_bytes(), main, text)
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
                let at = line_offset(r.as_bytes(), i, text);
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
        assert_eq!(line_offset(r.as_bytes(), 1, empty), 7);
        assert_eq!(line_offset(r.as_bytes(), 2, empty), 12);
        // Past the last line: the end of the bytes.
        assert_eq!(line_offset(r.as_bytes(), 3, empty), 14);
        let r = reply(b"200\r\n");
        assert_eq!(text_offset(&r, r.text()), 3);
    }

    #[test]
    fn lines_and_main_text() {
        let r = reply(b"214-Help\r\n214-214 x\r\n ABOR\n214 OK\r\n");
        assert_eq!(offsets(&r), [4, 14, 21, 31]);
        assert_eq!(text_offset(&r, r.text()), 4);
        let r = crate::ParserConfig::new()
            .any_code_ends_block(true)
            .parse_complete(b"553-No.\r\n150 Opening (12 bytes).\r\n")
            .unwrap()
            .1;
        assert_eq!(text_offset(&r, r.text()), 13);
        assert_eq!(&r.as_bytes()[13..16], b"Ope");
    }
}
