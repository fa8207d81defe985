//! 215 system type (RFC 959 section 4.1.3): the first word names the
//! system.

use crate::encode::{BlockWriter, Sink, check_text, unencodable};
use crate::error::{Error, PayloadError};

/// 215: the system type (RFC 959 section 4.1.3: "the first word of the reply
/// should be one of the system names" of the Assigned Numbers list).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct System<'a> {
    /// The first word: `UNIX`, `Windows_NT`, ...
    pub name: &'a [u8],
    /// The rest of the text: `Type: L8`.
    pub rest: &'a [u8],
}

impl<'a> System<'a> {
    /// Splits the text at its first space.
    ///
    /// # Errors
    /// `Missing` when the text is empty.
    #[must_use = "parsing has no effect but its result"]
    pub fn parse(text: &'a [u8]) -> Result<Self, Error> {
        // Both trims, as other views call them: no third copy (trim_ascii)
        // in firmware.
        let t = text.trim_ascii_start().trim_ascii_end();
        if t.is_empty() {
            return Err(Error::payload(PayloadError::Missing, 0));
        }
        let (name, rest) = super::cut(t, b' ');
        Ok(System {
            name,
            rest: rest.trim_ascii_start(),
        })
    }
}

impl System<'_> {
    /// Writes `name[ SP rest]`; an empty name, or one with a blank, is
    /// unencodable (it would not parse back).
    pub(crate) fn emit<S: Sink + ?Sized>(&self, out: BlockWriter<'_, S>) -> Result<(), Error> {
        if self.name.is_empty() || self.name.iter().any(u8::is_ascii_whitespace) {
            return Err(unencodable(0));
        }
        check_text(self.rest)?;
        if self.rest.is_empty() {
            out.last(&[self.name])
        } else {
            out.last(&[self.name, b" ", self.rest])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system() {
        let s = System::parse(b"UNIX Type: L8").unwrap();
        assert_eq!((s.name, s.rest), (&b"UNIX"[..], &b"Type: L8"[..]));
    }
}
