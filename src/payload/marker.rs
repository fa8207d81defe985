//! 110 restart marker (RFC 959 section 4.2): `MARK yyyy = mmmm`.

use super::numbers::find_ignore_case;
use crate::encode::{BlockWriter, Sink, unencodable};
use crate::error::{Error, PayloadError};

/// 110 restart marker (RFC 959 section 4.2): `MARK yyyy = mmmm`, where
/// yyyy is the user-process data stream marker and mmmm the server's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct RestartMarker<'a> {
    /// yyyy: the user-process data stream marker.
    pub user: &'a [u8],
    /// mmmm: the server's equivalent marker.
    pub server: &'a [u8],
}

impl<'a> RestartMarker<'a> {
    /// Parses `MARK yyyy = mmmm` (any letter case, spaces around `=`
    /// optional): the first `MARK` and a space, anywhere (RFC 959 fixes
    /// the text, so it is not looked for as a word: `Bookmark 1 = 2` reads
    /// too), yyyy all that stands between it and the `=`, mmmm the first
    /// word after the `=` (`MARK 1 = 2 then more` gives 2).
    ///
    /// # Errors
    /// `Missing` (at 0) without `MARK `; `BadNumber`, at the byte
    /// after `MARK `, when a marker is empty, yyyy holds a blank (`MARK 1 2
    /// = 3`), the `=` is missing or there is more than one (`MARK a=b = c`,
    /// `MARK 1 == 2`: a marker holds no `=`, as `emit` requires).
    #[must_use = "parsing has no effect but its result"]
    pub fn parse(text: &'a [u8]) -> Result<Self, Error> {
        let start =
            find_ignore_case(text, b"mark ").ok_or(Error::payload(PayloadError::Missing, 0))?;
        let body = text.get(start + 5..).unwrap_or_default();
        // Without a `=` the server's marker is empty: the same error.
        let (user, rest) = super::cut(body, b'=');
        // Both trims, as other views call them: no third copy (trim_ascii)
        // in firmware.
        let user = user.trim_ascii_start().trim_ascii_end();
        // The server's marker: its first word.
        let server = rest.trim_ascii_start();
        let word = server
            .iter()
            .position(u8::is_ascii_whitespace)
            .unwrap_or(server.len());
        let server = server.get(..word).unwrap_or_default();
        // A second `=` leaves no telling where yyyy ends (`a=b = c` read as
        // `a` and `b`), and `emit` refuses a marker that holds one.
        if user.is_empty()
            || server.is_empty()
            || user.iter().any(u8::is_ascii_whitespace)
            || crate::scan::find(b'=', rest).is_some()
        {
            return Err(Error::payload(PayloadError::BadNumber, start + 5));
        }
        Ok(RestartMarker { user, server })
    }
}

impl RestartMarker<'_> {
    /// Writes `MARK yyyy = mmmm`; a marker that is empty or holds ASCII
    /// white space (a space, tab, form feed, CR or LF), `=` or NUL is
    /// unencodable (it would not parse back; another control byte is
    /// written).
    pub(crate) fn emit<S: Sink + ?Sized>(&self, out: BlockWriter<'_, S>) -> Result<(), Error> {
        for part in [self.user, self.server] {
            if part.is_empty()
                || part
                    .iter()
                    .any(|b| b.is_ascii_whitespace() || *b == b'=' || *b == 0)
            {
                return Err(unencodable(0));
            }
        }
        out.last(&[b"MARK ", self.user, b" = ", self.server])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marker() {
        assert_eq!(
            RestartMarker::parse(b"MARK 1234 = 5678"),
            Ok(RestartMarker {
                user: b"1234",
                server: b"5678"
            })
        );
        assert_eq!(
            RestartMarker::parse(b"MARK = 5678"),
            Err(Error::payload(PayloadError::BadNumber, 5))
        );
        // No `MARK`: Missing; no `=`: a bad marker.
        assert_eq!(
            RestartMarker::parse(b"Restart marker"),
            Err(Error::payload(PayloadError::Missing, 0))
        );
        assert_eq!(
            RestartMarker::parse(b"MARK 1 2"),
            Err(Error::payload(PayloadError::BadNumber, 5))
        );
    }

    /// Each fault on its own: an empty server marker after a good user
    /// marker (`MARK 1234 =`, `MARK 1234`, which has no `=`), a blank in
    /// yyyy before a good server marker (`MARK 1 2 = 3`). (Mutation
    /// testing found that the cases above only had them together.)
    #[test]
    fn each_fault_alone_is_refused() {
        for text in [&b"MARK 1234 ="[..], b"MARK 1234", b"MARK 1 2 = 3"] {
            assert_eq!(
                RestartMarker::parse(text),
                Err(Error::payload(PayloadError::BadNumber, 5)),
                "{text:?}"
            );
        }
    }

    /// The writer refuses, each on its own and on either side, an empty
    /// marker and one that holds a blank, `=` or NUL (none parses back).
    #[test]
    fn unencodable_markers_are_refused() {
        use crate::code::ReplyCode;
        use crate::payload::Payload;
        let code = ReplyCode::new(110).unwrap();
        let mut buf = [0u8; 64];
        let ok = Payload::RestartMarker(RestartMarker {
            user: b"1",
            server: b"2",
        });
        assert_eq!(ok.encode_to(code, &mut buf), Ok(16));
        assert_eq!(&buf[..16], b"110 MARK 1 = 2\r\n");
        for bad in [&b""[..], b"1 2", b"1\t2", b"1=2", b"1\x002"] {
            for (user, server) in [(bad, &b"2"[..]), (&b"1"[..], bad)] {
                let p = Payload::RestartMarker(RestartMarker { user, server });
                assert_eq!(
                    p.encode_to(code, &mut buf),
                    Err(Error::payload(PayloadError::Unencodable, 0)),
                    "{user:?} {server:?}"
                );
            }
        }
    }

    /// A second `=` is refused: `MARK a=b = c` gave the markers `a` and
    /// `b` (RFC 959 4.2 puts spaces around the `=`, so yyyy was `a=b`),
    /// and `MARK 1 == 2` the server's marker `=`, which `emit` refuses:
    /// the parsed payload could not be written back. Found by
    /// differential testing.
    #[test]
    fn a_second_equals_sign_is_refused() {
        for text in [
            &b"MARK a=b = c"[..],
            b"MARK 1 == 2",
            b"MARK 1 = 2=3",
            b"MARK =1 = 2",
        ] {
            assert_eq!(
                RestartMarker::parse(text),
                Err(Error::payload(PayloadError::BadNumber, 5)),
                "{text:?}"
            );
        }
        // One `=`, with or without spaces, and text after the marker.
        for text in [&b"MARK 1=2"[..], b"mark 1 = 2 ", b"MARK 1 = 2 more"] {
            assert_eq!(
                RestartMarker::parse(text),
                Ok(RestartMarker {
                    user: b"1",
                    server: b"2"
                }),
                "{text:?}"
            );
        }
    }
}
