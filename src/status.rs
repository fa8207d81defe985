//! The result of a streaming parse.

/// Whether a streaming parse found a whole reply.
///
/// Running out of input is not an error: [`Status::Partial`] asks the
/// caller to read more and try again with the longer input (httparse's
/// model).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[must_use]
pub enum Status<T> {
    /// A whole reply, and what follows it.
    Complete(T),
    /// The input ends inside a reply: more bytes are needed.
    Partial,
}

impl<T> Status<T> {
    /// True for [`Status::Complete`].
    pub const fn is_complete(&self) -> bool {
        matches!(self, Status::Complete(_))
    }

    /// The value of a [`Status::Complete`], or `None`.
    pub fn complete(self) -> Option<T> {
        match self {
            Status::Complete(t) => Some(t),
            Status::Partial => None,
        }
    }
}
