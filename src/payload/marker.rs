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
    /// optional).
    ///
    /// # Errors
    /// `Missing` without `MARK`, `BadNumber` when a marker is empty or the
    /// `=` is missing.
    #[must_use = "parsing has no effect but its result"]
    pub fn parse(text: &'a [u8]) -> Result<Self, Error> {
        let start =
            find_ignore_case(text, b"mark ").ok_or(Error::payload(PayloadError::Missing, 0))?;
        let body = text.get(start + 5..).unwrap_or_default();
        // Without a `=` the server's marker is empty: the same error.
        let (user, server) = super::cut(body, b'=');
        // Both trims, as other views call them: no third copy (trim_ascii)
        // in firmware.
        let user = user.trim_ascii_start().trim_ascii_end();
        // The server's marker: its first word.
        let server = server.trim_ascii_start();
        let word = server
            .iter()
            .position(u8::is_ascii_whitespace)
            .unwrap_or(server.len());
        let server = server.get(..word).unwrap_or_default();
        if user.is_empty() || server.is_empty() || user.iter().any(u8::is_ascii_whitespace) {
            return Err(Error::payload(PayloadError::BadNumber, start + 5));
        }
        Ok(RestartMarker { user, server })
    }
}

impl RestartMarker<'_> {
    /// Writes `MARK yyyy = mmmm`; a marker that is empty or holds a blank,
    /// `=` or NUL is unencodable (it would not parse back).
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
    }
}
