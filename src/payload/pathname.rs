//! 257 "PATHNAME" (RFC 959 appendix II): the quoted directory name, with a
//! doubled quote standing for one.

use core::hash::{Hash, Hasher};

use crate::encode::{BlockWriter, Sink, check_text, unencodable};
use crate::error::{Error, ErrorKind, PayloadError};

/// The pathname of a 257 reply, and the comment after it.
///
/// RFC 959 appendix II: the name is between double quotes, and a double
/// quote inside the name is written twice. Unescaping does not copy:
/// [`pieces`](Self::pieces) yields borrowed slices, and
/// [`copy_to`](Self::copy_to) / [`write_utf8`](Self::write_utf8) write
/// into the caller's storage.
///
/// pure-ftpd 1.0.50 and GNU inetutils' ftpd 2.4 do not double the quote
/// (`257 "/quo"te" is your current location`), nor do aioftp, Twisted,
/// unFTP and the GridFTP server. A lone quote that a blank (a space or a
/// tab) or the end of the line does not follow, while a later one does,
/// is taken as part of the name, so that reply gives `/quo"te` too (and
/// `257 "/a"\tb" c` the name `/a`). When the text cannot be
/// read as RFC 959 writes it (a `""` stands just before the only quote
/// that a blank follows: `257 "/x"" is current directory.`), no quote is
/// taken as doubled, and that reply gives `/x"`.
///
/// The name opens at the first quote that starts the text or follows a
/// space, a tab (`257 Directory "/d" created`, GridFTP's form) or a byte
/// that is not ASCII (ProFTPD's Chinese messages: `257 当前目录是"/home"`);
/// a quote inside a word of ASCII opens none, so libunftp's bare `257
/// /new"dir` quotes no name.
///
/// Equality and hashing compare the unescaped name and the comment.
#[derive(Debug, Clone, Copy)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Pathname<'a> {
    quoted: &'a [u8],
    comment: &'a [u8],
    escaped: bool,
}

/// Where the name's closing quote is, in `text` after the opening quote,
/// and whether the name doubles its quotes.
///
/// RFC 959's reading first: `""` is one quote, and the first other quote
/// that a blank or the end follows closes the name, or any other quote
/// after a `""` that a blank follows (`"/a"" b".`). When none does, the
/// name is read as a server that does not double writes it: the first
/// quote that a blank or the end follows closes it, and every quote before
/// is part of the name (inetutils' `"/x"" is current directory.` for the
/// directory `x"`, `"/a"b"" is ...` for `a"b"`). When no quote is followed
/// by a blank or the end, the first lone quote closes it.
fn closing_quote(inner: &[u8]) -> Option<(usize, bool)> {
    let mut i = 0;
    let mut first_lone = None;
    // The second quote of the first pair that a blank or the end follows.
    let mut undoubled = None;
    while let Some(off) = inner.get(i..).and_then(|s| crate::scan::find(b'"', s)) {
        let q = i + off;
        match inner.get(q + 1) {
            Some(b'"') => {
                if matches!(inner.get(q + 2), None | Some(b' ' | b'\t')) {
                    undoubled.get_or_insert(q + 1);
                }
                i = q + 2;
            }
            None | Some(b' ' | b'\t') => return Some((q, true)),
            // A lone quote after a `""` that a blank follows: RFC 959's
            // reading, whose closing quote punctuation may follow
            // (`"/a"" b".` is `/a" b`).
            Some(_) if undoubled.is_some() => return Some((q, true)),
            Some(_) => {
                first_lone.get_or_insert(q);
                i = q + 1;
            }
        }
    }
    match undoubled {
        Some(q) => Some((q, false)),
        None => first_lone.map(|q| (q, true)),
    }
}

impl<'a> Pathname<'a> {
    /// Parses the first line's text of a 257 reply: the first `"` that
    /// starts the text or follows a space, a tab or a byte that is not
    /// ASCII opens the name (RFC 959's quoted name is a word of its own:
    /// `257 Directory "/d" created`; ProFTPD's Chinese messages write
    /// `257 当前目录是"/home"`, no space between); a quote inside a word
    /// of ASCII opens none (libunftp's `257 /new"dir`, a bare name with a
    /// quote in it, quotes nothing).
    ///
    /// # Errors
    /// `Missing` (no quote opens a name), `UnterminatedQuote`, or
    /// `ForbiddenByte` (a CR, LF or NUL inside the name, which a client
    /// sending the name back in a command would pass on as a second
    /// command), with the offset into `text`.
    #[must_use = "parsing has no effect but its result"]
    pub fn parse(text: &'a [u8]) -> Result<Self, Error> {
        let mut prev = b' ';
        let open = text
            .iter()
            .position(|&b| {
                let opens = b == b'"' && (matches!(prev, b' ' | b'\t') || !prev.is_ascii());
                prev = b;
                opens
            })
            .ok_or(Error::payload(PayloadError::Missing, 0))?;
        let inner = text.get(open + 1..).unwrap_or_default();
        let (close, escaped) = closing_quote(inner)
            .ok_or(Error::payload(PayloadError::UnterminatedQuote, text.len()))?;
        let quoted = inner.get(..close).unwrap_or_default();
        if let Some(bad) = crate::scan::find3(b'\r', b'\n', 0, quoted) {
            return Err(Error::payload(PayloadError::ForbiddenByte, open + 1 + bad));
        }
        let comment = inner
            .get(close + 1..)
            .unwrap_or_default()
            .trim_ascii_start();
        Ok(Pathname {
            quoted,
            comment,
            escaped,
        })
    }

    /// A pathname to encode: `path` unescaped, as the name really is.
    ///
    /// # Errors
    /// `ForbiddenByte` when `path` holds a CR, LF or NUL.
    #[must_use = "checking has no effect but its result"]
    pub fn new(path: &'a [u8], comment: &'a [u8]) -> Result<Self, Error> {
        if let Some(bad) = crate::scan::find3(b'\r', b'\n', 0, path) {
            return Err(Error::new(
                ErrorKind::Payload(PayloadError::ForbiddenByte),
                bad,
            ));
        }
        Ok(Pathname {
            quoted: path,
            comment,
            escaped: false,
        })
    }

    /// The comment after the closing quote, the ASCII white space after
    /// the quote removed (spaces, tabs, form feeds).
    #[must_use]
    pub const fn comment(&self) -> &'a [u8] {
        self.comment
    }

    /// The name as it stood between the quotes, quotes still doubled (for
    /// a pathname built with [`Pathname::new`], or read as a server that
    /// does not double quotes writes it, the name itself).
    #[must_use]
    pub const fn as_quoted(&self) -> &'a [u8] {
        self.quoted
    }

    /// The unescaped name in borrowed pieces: each `""` becomes one `"`.
    pub fn pieces(&self) -> Pieces<'a> {
        Pieces {
            rest: self.quoted,
            escaped: self.escaped,
        }
    }

    /// The unescaped name, byte by byte.
    pub fn bytes(&self) -> PathnameBytes<'a> {
        PathnameBytes {
            pieces: self.pieces(),
            piece: [].iter(),
        }
    }

    /// The length of the unescaped name.
    #[must_use]
    pub fn len(&self) -> usize {
        self.pieces().map(<[u8]>::len).sum()
    }

    /// True for `""` (an empty name).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.quoted.is_empty()
    }

    /// Copies the unescaped name into `out`; returns its length.
    ///
    /// # Errors
    /// [`ErrorKind::BufferFull`] when it does not fit, at the offset in
    /// `out` where the copy stopped (the pieces that fitted whole are
    /// copied).
    #[must_use = "the length says how much of `out` holds the name"]
    pub fn copy_to(&self, out: &mut [u8]) -> Result<usize, Error> {
        let mut n = 0;
        for piece in self.pieces() {
            let dst = out
                .get_mut(n..n + piece.len())
                .ok_or(Error::new(ErrorKind::BufferFull, n))?;
            dst.copy_from_slice(piece);
            n += piece.len();
        }
        Ok(n)
    }

    /// Writes the unescaped name, exactly, through `w` (a
    /// `heapless::String`, a formatter, any `core::fmt::Write`).
    ///
    /// # Errors
    /// With the offset where the write stopped (the bytes of the name
    /// written before it): `PayloadError::NotUtf8` at the first byte that
    /// is not UTF-8 (RFC 2640 asks for UTF-8; use
    /// [`copy_to`](Self::copy_to) for other bytes, or
    /// [`write_quoted`](Self::write_quoted), which writes U+FFFD for
    /// them); [`ErrorKind::BufferFull`] when `w` refuses a piece.
    pub fn write_utf8<W: core::fmt::Write>(&self, w: &mut W) -> Result<(), Error> {
        let mut done = 0usize;
        for piece in self.pieces() {
            // Each piece ends at a `"` or at the end of the name, never
            // inside a multi-byte character, so each must be UTF-8 alone.
            let (s, bad) = match core::str::from_utf8(piece) {
                Ok(s) => (s, None),
                Err(e) => {
                    let valid = piece.get(..e.valid_up_to()).unwrap_or_default();
                    (
                        core::str::from_utf8(valid).unwrap_or_default(),
                        Some(e.valid_up_to()),
                    )
                }
            };
            w.write_str(s)
                .map_err(|_| Error::new(ErrorKind::BufferFull, done))?;
            if let Some(at) = bad {
                return Err(Error::payload(PayloadError::NotUtf8, done + at));
            }
            done += piece.len();
        }
        Ok(())
    }

    /// Writes the name as it stands between a 257's quotes: each `"`
    /// doubled, without the enclosing quotes (`/ab""cd` for the name
    /// `/ab"cd`).
    ///
    /// # Errors
    /// What `w` returns.
    pub fn write_quoted<W: core::fmt::Write>(&self, w: &mut W) -> core::fmt::Result {
        self.quoted_pieces()
            .try_for_each(|piece| write_bytes(w, piece))
    }

    /// The name as a 257 quotes it, in borrowed pieces: the one place a
    /// `"` is doubled (RFC 959 appendix II), for
    /// [`write_quoted`](Self::write_quoted) and the encoder alike. A piece
    /// that ends with `"` is followed by a piece that is `"` alone.
    fn quoted_pieces(&self) -> impl Iterator<Item = &'a [u8]> + use<'a> {
        self.pieces()
            .flat_map(|piece| piece.split_inclusive(|b| *b == b'"'))
            .flat_map(|chunk| {
                let doubled: &'a [u8] = if chunk.ends_with(b"\"") { b"\"" } else { b"" };
                [chunk, doubled]
            })
    }

    /// Writes `"name" comment`: the name quoted, each piece checked before
    /// it is written; a comment that starts with ASCII white space (a
    /// space, tab, form feed, CR or LF) is unencodable (the parse trims it).
    pub(crate) fn emit<S: Sink + ?Sized>(&self, out: BlockWriter<'_, S>) -> Result<(), Error> {
        check_text(self.comment)?;
        if self.comment.first().is_some_and(u8::is_ascii_whitespace) {
            return Err(unencodable(0));
        }
        out.last_with(|sink| {
            sink.put(b"\"")?;
            for piece in self.quoted_pieces() {
                check_text(piece)?;
                sink.put(piece)?;
            }
            sink.put(b"\"")?;
            if !self.comment.is_empty() {
                sink.put(b" ")?;
                sink.put(self.comment)?;
            }
            Ok(())
        })
    }
}

/// Writes bytes through `fmt::Write`: UTF-8 runs as they are, other bytes
/// as U+FFFD (a `fmt::Write` only takes `str`; use the byte encoder for
/// exact bytes).
pub(crate) fn write_bytes<W: core::fmt::Write>(w: &mut W, bytes: &[u8]) -> core::fmt::Result {
    for chunk in bytes.utf8_chunks() {
        w.write_str(chunk.valid())?;
        if !chunk.invalid().is_empty() {
            w.write_char(char::REPLACEMENT_CHARACTER)?;
        }
    }
    Ok(())
}

impl PartialEq for Pathname<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.comment == other.comment && self.bytes().eq(other.bytes())
    }
}

impl Eq for Pathname<'_> {}

impl Hash for Pathname<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        for b in self.bytes() {
            state.write_u8(b);
        }
        self.comment.hash(state);
    }
}

/// The unescaped name of a [`Pathname`], byte by byte, from
/// [`Pathname::bytes`].
#[derive(Debug, Clone)]
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct PathnameBytes<'a> {
    pieces: Pieces<'a>,
    piece: core::slice::Iter<'a, u8>,
}

#[cfg(feature = "defmt")]
impl defmt::Format for PathnameBytes<'_> {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(
            f,
            "PathnameBytes {{ piece: {=[u8]:a}, pieces: {} }}",
            self.piece.as_slice(),
            self.pieces
        );
    }
}

impl Iterator for PathnameBytes<'_> {
    type Item = u8;

    fn next(&mut self) -> Option<u8> {
        loop {
            if let Some(&b) = self.piece.next() {
                return Some(b);
            }
            self.piece = self.pieces.next()?.iter();
        }
    }
}

// Once `None`, always `None`.
impl core::iter::FusedIterator for PathnameBytes<'_> {}

/// The unescaped pieces of a [`Pathname`], from [`Pathname::pieces`].
#[derive(Debug, Clone)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[must_use = "iterators are lazy and do nothing unless consumed"]
pub struct Pieces<'a> {
    rest: &'a [u8],
    escaped: bool,
}

impl<'a> Iterator for Pieces<'a> {
    type Item = &'a [u8];

    fn next(&mut self) -> Option<&'a [u8]> {
        if self.rest.is_empty() {
            return None;
        }
        if !self.escaped {
            return Some(core::mem::take(&mut self.rest));
        }
        let mut i = 0;
        while let Some(off) = self.rest.get(i..).and_then(|s| crate::scan::find(b'"', s)) {
            let q = i + off;
            if self.rest.get(q + 1) == Some(&b'"') {
                let piece = self.rest.get(..=q).unwrap_or_default();
                self.rest = self.rest.get(q + 2..).unwrap_or_default();
                return Some(piece);
            }
            i = q + 1;
        }
        Some(core::mem::take(&mut self.rest))
    }
}

// Once `None`, always `None`.
impl core::iter::FusedIterator for Pieces<'_> {}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;
    use std::vec::Vec;

    fn unescaped(p: &Pathname<'_>) -> Vec<u8> {
        p.bytes().collect()
    }

    /// `is_empty`, equality and hashing by the unescaped name and the
    /// comment, and `write_utf8`'s offset past several pieces. (Mutation
    /// testing found them unchecked.)
    #[test]
    fn views_compare_by_unescaped_name_and_comment() {
        let p = |t: &'static [u8]| Pathname::parse(t).unwrap();
        assert!(p(br#""" is current"#).is_empty());
        assert!(!p(br#""/" is current"#).is_empty());
        // `""` unescaped is one `"`: the same name written two ways.
        crate::payload::testing::assert_compared_by_value(
            p(br#""/a""b" created"#),
            Pathname::new(br#"/a"b"#, b"created").unwrap(),
            [
                p(br#""/a""c" created"#),
                p(br#""/a""b" made"#),
                p(br#""/a""b""#),
            ],
        );
        // The byte that is not UTF-8 comes after two pieces (`/ab"` and
        // `c"`): its offset counts the unescaped name, 6.
        let mut out = std::string::String::new();
        assert_eq!(
            p(b"\"/ab\"\"c\"\"\xff\" x").write_utf8(&mut out),
            Err(Error::payload(PayloadError::NotUtf8, 6))
        );
        assert_eq!(out, "/ab\"c\"");
    }

    #[test]
    fn rfc959_appendix_ii() {
        // RFC 959 appendix II: MKD foo"bar -> 257 "/usr/dm/foo""bar" directory created
        let p = Pathname::parse(br#""/usr/dm/foo""bar" directory created"#).unwrap();
        assert_eq!(unescaped(&p), br#"/usr/dm/foo"bar"#);
        assert_eq!(p.comment(), b"directory created");
        assert_eq!(p.len(), 15);
        let mut buf = [0u8; 15];
        assert_eq!(p.copy_to(&mut buf), Ok(15));
        assert_eq!(
            p.copy_to(&mut [0u8; 14]).unwrap_err().kind(),
            ErrorKind::BufferFull
        );
        let mut s = heapless::String::<32>::new();
        p.write_utf8(&mut s).unwrap();
        assert_eq!(s.as_str(), r#"/usr/dm/foo"bar"#);
    }

    /// `copy_to` stops at a piece that does not fit, the pieces before it
    /// copied; `write_utf8` stops at the first byte that is not UTF-8;
    /// `write_quoted` doubles the quote; `new` refuses CR, LF and NUL.
    #[test]
    fn writers_stop_where_their_docs_say() {
        let p = Pathname::parse(br#""/usr/dm/foo""bar" directory created"#).unwrap();
        let mut out = [0u8; 14];
        assert_eq!(
            p.copy_to(&mut out),
            Err(Error::new(ErrorKind::BufferFull, 12))
        );
        assert_eq!(&out[..12], br#"/usr/dm/foo""#);
        let mut s = std::string::String::new();
        p.write_quoted(&mut s).unwrap();
        assert_eq!(s, r#"/usr/dm/foo""bar"#);
        let latin1 = Pathname::parse(b"\"/caf\xe9/x\" ok").unwrap();
        let mut s = std::string::String::new();
        assert_eq!(
            latin1.write_utf8(&mut s),
            Err(Error::payload(PayloadError::NotUtf8, 4))
        );
        assert_eq!(s, "/caf");
        for (path, at) in [(&b"/a\0b"[..], 2), (b"\r", 0), (b"/x\n", 2)] {
            assert_eq!(
                Pathname::new(path, b""),
                Err(Error::payload(PayloadError::ForbiddenByte, at))
            );
        }
    }

    /// `as_quoted` is the name as it stood between the quotes: RFC 959's
    /// doubled quote kept doubled, pure-ftpd 1.0.50's undoubled one as
    /// sent, and the name itself for `new`. (Mutation testing found it
    /// unchecked offline: only tests/real_servers.rs read it, against
    /// live servers.)
    #[test]
    fn as_quoted_is_the_name_between_the_quotes() {
        let rfc = Pathname::parse(br#""/usr/dm/foo""bar" directory created"#).unwrap();
        assert_eq!(rfc.as_quoted(), br#"/usr/dm/foo""bar"#);
        let pure = Pathname::parse(br#""/quo"te" is your current location"#).unwrap();
        assert_eq!(pure.as_quoted(), br#"/quo"te"#);
        let built = Pathname::new(br#"/usr/dm/foo"bar"#, b"directory created").unwrap();
        assert_eq!(built.as_quoted(), br#"/usr/dm/foo"bar"#);
    }

    #[test]
    fn servers() {
        let vs = Pathname::parse(br#""/quo""te" is the current directory"#).unwrap();
        let pure = Pathname::parse(br#""/quo"te" is your current location"#).unwrap();
        assert_eq!(unescaped(&vs), br#"/quo"te"#);
        assert_eq!(unescaped(&pure), br#"/quo"te"#);
        let p = Pathname::parse(br#""/""" is odd"#).unwrap();
        assert_eq!(unescaped(&p), br#"/""#);
        // inetutils' ftpd 2.4 does not double: the directories `x"` and
        // `a"b"`, which RFC 959's reading leaves unclosed or cuts at the
        // first lone quote. A `""` read as RFC 959 writes it wins where
        // both readings close.
        for (text, name, comment) in [
            (
                &br#""/x"" is current directory."#[..],
                &br#"/x""#[..],
                &b"is current directory."[..],
            ),
            (
                br#""/a"b"" is current directory."#,
                br#"/a"b""#,
                b"is current directory.",
            ),
            (br#""/x"""#, br#"/x""#, b""),
            (br#""/x""y"" z"#, br#"/x""y""#, b"z"),
            (br#""/x""y" z"#, br#"/x"y"#, b"z"),
            (br#""/x"y"#, b"/x", b"y"),
            // RFC 959's closing quote may have punctuation after it: a
            // `""` that a blank follows is still one quote then.
            (br#""/a"" b"."#, br#"/a" b"#, b"."),
            (br#""/a"" b"x"#, br#"/a" b"#, b"x"),
        ] {
            let p = Pathname::parse(text).unwrap();
            assert_eq!(unescaped(&p), name, "{}", text.escape_ascii());
            assert_eq!(p.comment(), comment, "{}", text.escape_ascii());
            // Encoded as RFC 959 writes it, it reads back the same.
            let mut quoted = std::string::String::new();
            p.write_quoted(&mut quoted).unwrap();
            let again = std::format!("\"{quoted}\" {}", p.comment().escape_ascii());
            assert_eq!(Pathname::parse(again.as_bytes()), Ok(p), "{again}");
        }
    }

    #[test]
    fn errors() {
        assert_eq!(
            Pathname::parse(b"no quote").unwrap_err(),
            Error::payload(PayloadError::Missing, 0)
        );
        assert_eq!(
            Pathname::parse(br#""/never closed"#).unwrap_err(),
            Error::payload(PayloadError::UnterminatedQuote, 14)
        );
        // A quote inside a word opens no name; one after a space or a tab
        // does, and one at the start.
        for text in [&br#"/new"dir"#[..], br#"/a"b"c"#, br#"x"/y""#] {
            assert_eq!(
                Pathname::parse(text).unwrap_err(),
                Error::payload(PayloadError::Missing, 0)
            );
        }
        // ProFTPD's zh_CN PWD (`当前目录是"%s"`): after a byte that is not
        // ASCII, a quote opens the name, doubled quotes and all.
        let p = Pathname::parse("当前目录是\"/tmp/x \"\"y\"\"\"".as_bytes()).unwrap();
        assert_eq!(unescaped(&p), b"/tmp/x \"y\"".to_vec());
        for text in [
            &br#"a"b "/y" z"#[..],
            b"a\t\"/y\" z",
            br#""/y" z"#,
            b"\xe6\x98\xaf\"/y\" z",
            b"\xe9\"/y\" z",
        ] {
            let p = Pathname::parse(text).unwrap();
            assert_eq!((unescaped(&p), p.comment()), (b"/y".to_vec(), &b"z"[..]));
        }
        assert_eq!(
            Pathname::parse(b"\"/a\rb\" x").unwrap_err(),
            Error::payload(PayloadError::ForbiddenByte, 3)
        );
    }
}
