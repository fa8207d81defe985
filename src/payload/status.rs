//! 211, 212, and 213 after STAT: status lines, a view that compares and
//! hashes the reply by its text.

use core::hash::{Hash, Hasher};

use crate::encode::{BlockWriter, Sink, write_lines};
use crate::error::Error;
use crate::reply::{Lines, Reply};

/// The lines of a reply, compared and hashed by their text: the payload of
/// a status reply ([`Payload::Status`](super::Payload::Status)).
#[derive(Debug, Clone, Copy)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct StatusLines<'a> {
    reply: Reply<'a>,
}

impl<'a> StatusLines<'a> {
    /// The view of `reply`.
    pub(crate) const fn new(reply: Reply<'a>) -> Self {
        StatusLines { reply }
    }

    /// The reply.
    #[must_use]
    pub const fn reply(&self) -> Reply<'a> {
        self.reply
    }

    /// The text of every line (see [`Reply::lines`]).
    pub fn lines(&self) -> Lines<'a> {
        self.reply.lines()
    }

    /// Writes the reply's lines again (see [`write_lines`]).
    pub(crate) fn emit<S: Sink + ?Sized>(&self, out: BlockWriter<'_, S>) -> Result<(), Error> {
        write_lines(out, &self.reply)
    }
}

impl PartialEq for StatusLines<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.lines().eq(other.lines())
    }
}

impl Eq for StatusLines<'_> {}

impl Hash for StatusLines<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        for line in self.lines() {
            line.hash(state);
        }
    }
}

#[cfg(test)]
mod tests {
    extern crate std;

    use super::*;
    use crate::parse_complete;
    use crate::payload::testing::assert_compared_by_value;

    fn status(input: &[u8]) -> StatusLines<'_> {
        StatusLines::new(parse_complete(input).unwrap().1)
    }

    /// Compared and hashed by text, as its doc says: the same lines
    /// written another way (ProFTPD's repeated `211-` on a middle line, a
    /// LF alone for CRLF) are equal and hash alike; a line changed, added
    /// or taken away is neither. (Mutation testing found `eq` and `hash`
    /// untested.)
    #[test]
    fn compared_and_hashed_by_text() {
        assert_compared_by_value(
            status(b"211-Status\r\n up 3 days\r\n211 End\r\n"),
            status(b"211-Status\n211- up 3 days\n211 End\n"),
            [
                &b"211-Status\r\n up 4 days\r\n211 End\r\n"[..],
                b"211-Status\r\n up 3 days\r\n more\r\n211 End\r\n",
                b"211-Status\r\n211 End\r\n",
                b"211 Status\r\n",
            ]
            .map(status),
        );
    }
}
