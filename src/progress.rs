//! The result of a streaming parse.

/// Whether a streaming parse found a whole reply.
///
/// Running out of input is not an error: [`Progress::Partial`] asks the
/// caller to read more and try again with the longer input (httparse's
/// model, whose `Status` this is: named `Progress` here because a status
/// is something else in FTP, the 211, 212 and 213 replies that
/// [`Payload::Status`](crate::payload::Payload::Status) types).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[must_use]
pub enum Progress<T> {
    /// A whole reply, and what follows it.
    Complete(T),
    /// The input ends inside a reply: more bytes are needed.
    Partial,
}

impl<T> Progress<T> {
    /// True for [`Progress::Complete`].
    #[must_use]
    pub const fn is_complete(&self) -> bool {
        matches!(self, Progress::Complete(_))
    }

    /// The value of a [`Progress::Complete`], or `None`.
    #[must_use]
    pub fn complete(self) -> Option<T> {
        match self {
            Progress::Complete(t) => Some(t),
            Progress::Partial => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Progress;

    #[test]
    fn complete_and_partial() {
        let whole = crate::parse_streaming(b"200 ok\r\n").unwrap();
        assert!(whole.is_complete());
        let (rest, reply) = whole.complete().expect("a whole reply");
        assert_eq!((rest, reply.code().get()), (&b""[..], 200));
        let cut = crate::parse_streaming(b"200 o").unwrap();
        assert!(!cut.is_complete());
        assert_eq!(cut.complete(), None);
        assert_eq!(Progress::Complete(7).complete(), Some(7));
    }
}
