//! `defmt::Format` for the public types whose fields cannot derive it,
//! written from their public accessors.

use crate::decoder::Decoder;

/// What a decoder holds: its fill and its capacity (not the bytes: a
/// `Decoder<4096>` would flood the log).
impl<const N: usize> defmt::Format for Decoder<N> {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(
            f,
            "Decoder {{ len: {=usize}, capacity: {=usize} }}",
            self.len(),
            self.capacity()
        );
    }
}

/// What a client engine waits for, and its reply buffer's fill (not the
/// bytes).
impl<const N: usize, const T: usize> defmt::Format for crate::client::Client<N, T> {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(
            f,
            "Client {{ waiting: {}, features: {}, buffered: {=usize} }}",
            self.waiting(),
            self.features(),
            self.buffered()
        );
    }
}

/// The session's engine (not its connection, which need not be
/// `Format`).
#[cfg(feature = "embedded-io")]
impl<C, const N: usize, const T: usize> defmt::Format for crate::client::Session<C, N, T> {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(f, "Session {{ client: {} }}", self.engine());
    }
}

/// Every public type of the client module is `Format` (checked when the
/// feature builds, for the thumb targets in CI too).
const _: fn() = || {
    fn is_format<T: defmt::Format + ?Sized>() {}
    use crate::client::*;
    is_format::<Client<1>>();
    is_format::<Event<'static>>();
    is_format::<EventKind<'static>>();
    is_format::<DataTarget>();
    is_format::<Failure>();
    is_format::<FailReason>();
    is_format::<CloseReason>();
    is_format::<Waiting>();
    is_format::<FeatureSet>();
    is_format::<ClientError>();
    #[cfg(feature = "embedded-io")]
    {
        is_format::<Session<&mut [u8], 1>>();
        is_format::<SessionError<core::convert::Infallible>>();
    }
};
