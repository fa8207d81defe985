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
