//! Writing a [`Payload`] back as a reply: one call per variant, each into
//! its type's own writer (`emit` in its module), all framed by the one
//! [`BlockWriter`].

use super::Payload;
use super::numbers::{
    BUFFER_SIZE_TEXT, READY_IN_TEXT, RESTART_TEXT, TRANSFER_TEXT, emit_number, emit_size,
};
use super::security::emit_adat;
use crate::code::ReplyCode;
#[cfg(feature = "arbitrary")]
use crate::command::Command;
use crate::encode::{BlockWriter, Counted, FmtSink, Sink, SliceWriter, unencodable};
use crate::error::Error;

impl Payload<'_> {
    /// The code that carries this payload in its RFC, and the command its
    /// parse needs as context: what a harness uses to write a payload and
    /// read it back. `None` for [`Payload::Text`] and the views
    /// ([`Payload::Help`], [`Payload::Features`], [`Payload::Status`]),
    /// whose code is the reply's own.
    ///
    /// Test-harness support, with the feature `arbitrary` only.
    #[cfg(feature = "arbitrary")]
    #[cfg_attr(docsrs, doc(cfg(feature = "arbitrary")))]
    #[must_use]
    pub fn typical_reply(&self) -> Option<(ReplyCode, Option<Command>)> {
        let (code, command) = match self {
            Payload::Passive(_) => (227, None),
            Payload::ExtendedPassive(_) => (229, None),
            Payload::LongPassive(_) => (228, None),
            Payload::NetworkProtocols(_) => (522, None),
            Payload::Pathname(_) => (257, None),
            Payload::Transfer(_) => (150, None),
            Payload::Size(_) => (213, Some(Command::Size)),
            Payload::Time(_) => (213, Some(Command::Mdtm)),
            Payload::System(_) => (215, None),
            Payload::Restart(_) => (350, Some(Command::Rest)),
            Payload::RestartMarker(_) => (110, None),
            Payload::ReadyIn(_) => (120, None),
            Payload::Mlst(_) => (250, Some(Command::Mlst)),
            Payload::Protected(_) => (632, None),
            Payload::Adat(_) => (335, None),
            Payload::BufferSize(_) => (200, Some(Command::Pbsz)),
            Payload::Help(_) | Payload::Features(_) | Payload::Status(_) | Payload::Text => {
                return None;
            }
        };
        Some((ReplyCode::new(code)?, command))
    }

    /// Writes the payload as a reply with `code` into `out`; returns the
    /// length. Parsing it back, with the same command context, gives an
    /// equal payload when `code` is one that carries it (227 for
    /// `Passive`, 150 or 125 for `Transfer`, ...); under another code the
    /// reply reads back as that code's payload (a 227's tuple written
    /// with 200 is `Text`).
    ///
    /// # Errors
    /// At the offset in `out` where the write stopped:
    /// [`ErrorKind::BufferFull`](crate::ErrorKind::BufferFull) when it
    /// does not fit; `PayloadError::Unencodable` for a value no reply can
    /// carry (a CR or LF in text, an empty system name, [`Payload::Text`],
    /// ...).
    #[must_use = "the length says how much of `out` holds the reply"]
    pub fn encode_to(&self, code: ReplyCode, out: &mut [u8]) -> Result<usize, Error> {
        let mut w = SliceWriter::new(out);
        self.encode(code, &mut w)?;
        Ok(w.len())
    }

    /// Writes the payload as a reply with `code` through a
    /// `core::fmt::Write`.
    ///
    /// # Errors
    /// As [`encode_to`](Self::encode_to); bytes that are not UTF-8 give
    /// `PayloadError::NotUtf8`.
    pub fn encode_fmt<W: core::fmt::Write>(&self, code: ReplyCode, w: &mut W) -> Result<(), Error> {
        self.encode(code, &mut FmtSink::new(w))
    }

    /// Writes the payload as a reply with `code` into any [`Sink`].
    ///
    /// # Errors
    /// As [`encode_to`](Self::encode_to), at the count of bytes this call
    /// put into `sink` before it stopped.
    pub fn encode<S: Sink + ?Sized>(&self, code: ReplyCode, sink: &mut S) -> Result<(), Error> {
        let mut counted = Counted::new(sink);
        let result = self.emit(code, &mut counted);
        counted.stopped(result)
    }

    /// The dispatch: one call per variant.
    fn emit<S: Sink + ?Sized>(&self, code: ReplyCode, sink: &mut S) -> Result<(), Error> {
        let out = BlockWriter::new(sink, code);
        match self {
            Payload::Passive(a) => a.emit(out),
            Payload::ExtendedPassive(e) => e.emit(out),
            Payload::LongPassive(a) => a.emit(out),
            Payload::NetworkProtocols(p) => super::NetworkProtocols::emit(*p, out),
            Payload::Pathname(p) => p.emit(out),
            Payload::Transfer(n) => emit_number(*n, &TRANSFER_TEXT, out),
            Payload::Size(n) => emit_size(*n, out),
            Payload::Time(t) => t.emit(out),
            Payload::Features(f) => f.emit(out),
            Payload::Status(s) => s.emit(out),
            Payload::Help(h) => h.emit(out),
            Payload::System(s) => s.emit(out),
            Payload::Restart(n) => emit_number(*n, &RESTART_TEXT, out),
            Payload::RestartMarker(m) => m.emit(out),
            Payload::ReadyIn(n) => emit_number(n.map(u64::from), &READY_IN_TEXT, out),
            Payload::Mlst(e) => e.emit(out),
            Payload::Protected(s) => s.emit_protected(out),
            Payload::Adat(s) => emit_adat(s.as_ref(), out),
            Payload::BufferSize(n) => emit_number(n.map(u64::from), &BUFFER_SIZE_TEXT, out),
            Payload::Text => Err(unencodable(0)),
        }
    }
}
