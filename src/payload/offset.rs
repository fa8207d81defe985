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

/// Where the text of line `index` (as [`Reply::lines`] gives it) starts in
/// [`Reply::as_bytes`]: the line's start, found by counting line ends, plus
/// where its text starts in it (the text is a suffix of the line without
/// its line end: code, separator or `ddd-` removed from the front). Past
/// the last line: the reply's length.
///
/// Linear in the reply; the payloads call it on their error paths only,
/// once per error.
pub(crate) fn line_offset(reply: &Reply<'_>, index: usize) -> usize {
    let raw = reply.as_bytes();
    let mut rest = raw;
    for _ in 0..index {
        let Some(end) = crate::scan::find(b'\n', rest) else {
            return raw.len();
        };
        rest = rest.get(end + 1..).unwrap_or_default();
    }
    let start = suffix_offset(raw, rest);
    let line = match crate::scan::find(b'\n', rest) {
        Some(end) => rest.get(..end).unwrap_or_default(),
        None => rest,
    };
    let line = crate::scan::strip_cr(line);
    let text = reply.lines().nth(index).unwrap_or_default();
    start + suffix_offset(line, text)
}

/// Where the reply's main text ([`Reply::text`]) starts in its bytes: the
/// first line's, or the closing line's when another code closed the block.
pub(crate) fn text_offset(reply: &Reply<'_>) -> usize {
    let main = if reply.closed_by_other_code() {
        reply.line_count().saturating_sub(1)
    } else {
        0
    };
    line_offset(reply, main)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(input: &[u8]) -> Reply<'_> {
        crate::parse_complete(input).unwrap().1
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
        assert_eq!(line_offset(&r, 0), 4);
        assert_eq!(line_offset(&r, 1), 7);
        assert_eq!(line_offset(&r, 2), 12);
        assert_eq!(line_offset(&r, 3), 14);
        let r = reply(b"200\r\n");
        assert_eq!(text_offset(&r), 3);
    }

    #[test]
    fn lines_and_main_text() {
        let r = reply(b"214-Help\r\n214-214 x\r\n ABOR\n214 OK\r\n");
        assert_eq!(line_offset(&r, 0), 4);
        assert_eq!(line_offset(&r, 1), 14);
        assert_eq!(line_offset(&r, 2), 21);
        assert_eq!(line_offset(&r, 3), 31);
        assert_eq!(text_offset(&r), 4);
        let r = crate::ParserConfig::new()
            .any_code_ends_block(true)
            .parse_complete(b"553-No.\r\n150 Opening (12 bytes).\r\n")
            .unwrap()
            .1;
        assert_eq!(text_offset(&r), 13);
        assert_eq!(&r.as_bytes()[13..16], b"Ope");
    }
}
