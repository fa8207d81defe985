//! Typed views of the replies that carry data (the smoltcp "repr" layer).
//!
//! The framing parsed fine, so a payload that does not parse is an error of
//! its own, and the [`Reply`] stays usable. Every payload borrows the reply
//! or is a small `Copy` value; none allocates.
//!
//! Some replies mean different things after different commands (213 after
//! SIZE, MDTM or STAT; 211 after FEAT; 250 after MLST): say what was sent
//! with [`Reply::payload_after`]. Without it, [`Reply::payload`] types every
//! reply whose code alone decides it.

mod extended;
mod features;
mod help;
mod mlst;
mod passive;
mod pathname;
mod security;
mod time;
mod transfer;

pub use extended::ExtendedPassive;
pub use features::{FactSupport, Feature, FeatureLines, Features, MlstFacts};
pub use help::{Help, HelpCommand, HelpCommands};
pub use mlst::{EntryFacts, Fact, MlstEntry};
pub use passive::{PassiveAddr, PassiveConcern, PassiveTarget};
pub use pathname::{Pathname, PathnameBytes, Pieces};
pub use security::SecurityData;
pub use time::Timestamp;
pub use transfer::{
    RestartMarker, System, file_size, ready_in_minutes, restart_offset, transfer_size,
};

use core::hash::{Hash, Hasher};

use crate::code::ReplyCode;
use crate::command::Command;
use crate::encode::{BlockWriter, Counted, FmtSink, Sink, SliceWriter, put_fmt, write_reply};
use crate::error::{Error, ErrorKind, PayloadError};
use crate::reply::Reply;

/// Where `part` (a slice of `base`) starts inside `base`.
pub(crate) fn offset_of(base: &[u8], part: &[u8]) -> usize {
    (part.as_ptr() as usize)
        .saturating_sub(base.as_ptr() as usize)
        .min(base.len())
}

/// An error found in `text` (a slice of the reply), with its offset moved
/// to count from the reply's first byte.
fn in_reply(raw: &[u8], text: &[u8], e: Error) -> Error {
    e.shifted(offset_of(raw, text))
}

/// The lines of a reply, compared and hashed by their text: the payload of
/// a status reply ([`Payload::Status`]).
#[derive(Debug, Clone, Copy)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct StatusLines<'a> {
    reply: Reply<'a>,
}

impl<'a> StatusLines<'a> {
    /// The reply.
    #[must_use]
    pub const fn reply(&self) -> Reply<'a> {
        self.reply
    }

    /// The text of every line (see [`Reply::lines`]).
    pub fn lines(&self) -> crate::Lines<'a> {
        self.reply.lines()
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

/// The typed payload of a reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum Payload<'a> {
    /// 227: the passive-mode address (RFC 959).
    Passive(PassiveAddr),
    /// 229: the extended passive port (RFC 2428).
    ExtendedPassive(ExtendedPassive),
    /// 257: the quoted pathname (RFC 959 appendix II).
    Pathname(Pathname<'a>),
    /// 150 and 125: the size in `(N bytes)`, when the text gives one.
    Transfer(Option<u64>),
    /// 213 after SIZE: the size in octets (RFC 3659 section 4).
    Size(u64),
    /// 213 after MDTM: the modification time (RFC 3659 section 3).
    Time(Timestamp),
    /// 211 after FEAT: the feature list (RFC 2389).
    Features(Features<'a>),
    /// 211 otherwise, 212, and 213 after STAT: status lines.
    Status(StatusLines<'a>),
    /// 214: a help message.
    Help(Help<'a>),
    /// 215: the system type.
    System(System<'a>),
    /// 350: the restart offset, when the text gives one.
    Restart(Option<u64>),
    /// 110: a restart marker.
    RestartMarker(RestartMarker<'a>),
    /// 120: the minutes until the service is ready, when given.
    ReadyIn(Option<u32>),
    /// 250 after MLST: the entry (RFC 3659 section 7).
    Mlst(MlstEntry<'a>),
    /// 631, 632, 633: a protected reply, base64 (RFC 2228).
    Protected(SecurityData<'a>),
    /// 235, 334, 335: the `ADAT=` data, when given (RFC 2228).
    Adat(Option<SecurityData<'a>>),
    /// A reply whose text carries nothing for a machine.
    Text,
}

impl<'a> Reply<'a> {
    /// The typed payload, chosen by the code alone: 213, 211 and 250 need
    /// the command (see [`payload_after`](Self::payload_after)); without
    /// it, 211 gives its status lines, and 213 and 250 give
    /// [`Payload::Text`].
    ///
    /// # Errors
    /// The payload's error, with the offset into the reply's bytes, when
    /// the code promises a payload that the text does not hold.
    #[must_use = "parsing has no effect but its result"]
    pub fn payload(&self) -> Result<Payload<'a>, Error> {
        self.payload_after(None)
    }

    /// The typed payload of a reply to `command` (`None`: not known).
    ///
    /// # Errors
    /// As [`payload`](Self::payload).
    #[must_use = "parsing has no effect but its result"]
    pub fn payload_after(&self, command: Option<Command>) -> Result<Payload<'a>, Error> {
        let raw = self.as_bytes();
        let text = self.text();
        let err = |e| in_reply(raw, text, e);
        Ok(match (self.code().get(), command) {
            (227, _) => Payload::Passive(PassiveAddr::parse(self)?),
            (229, _) => Payload::ExtendedPassive(self.extended_passive()?),
            (257, _) => Payload::Pathname(Pathname::parse(text).map_err(err)?),
            (125 | 150, _) => Payload::Transfer(transfer_size(text).map_err(err)?),
            (213, Some(Command::Size)) => Payload::Size(file_size(text).map_err(err)?),
            (213, Some(Command::Mdtm)) => {
                Payload::Time(Timestamp::parse(text.trim_ascii_end()).map_err(err)?)
            }
            (213, Some(Command::Stat)) | (211, _) | (212, _) if command != Some(Command::Feat) => {
                Payload::Status(StatusLines { reply: *self })
            }
            (211, Some(Command::Feat)) => Payload::Features(Features::new(*self)),
            (214, _) => Payload::Help(Help::new(*self)),
            (215, _) => Payload::System(System::parse(text).map_err(err)?),
            (350, _) => Payload::Restart(restart_offset(text).map_err(err)?),
            (110, _) => Payload::RestartMarker(RestartMarker::parse(text).map_err(err)?),
            (120, _) => Payload::ReadyIn(ready_in_minutes(text).map_err(err)?),
            (250, Some(Command::Mlst)) => Payload::Mlst(self.mlst_entry()?),
            (631..=633, _) => Payload::Protected(SecurityData::from_protected(text).map_err(err)?),
            (235 | 334 | 335, _) => Payload::Adat(SecurityData::from_adat(text).map_err(err)?),
            _ => Payload::Text,
        })
    }

    fn expect(&self, code: u16) -> Result<(), Error> {
        if self.code().get() == code {
            Ok(())
        } else {
            Err(Error::new(ErrorKind::WrongCode, 0))
        }
    }

    /// The address of a 227 reply.
    ///
    /// # Errors
    /// [`ErrorKind::WrongCode`] for another code, [`ErrorKind::Payload`]
    /// when the tuple is malformed.
    #[must_use = "parsing has no effect but its result"]
    pub fn passive(&self) -> Result<PassiveAddr, Error> {
        self.expect(227)?;
        PassiveAddr::parse(self)
    }

    /// The port of a 229 reply; the tuple may stand on any line.
    ///
    /// # Errors
    /// [`ErrorKind::WrongCode`], or the tuple's error.
    #[must_use = "parsing has no effect but its result"]
    pub fn extended_passive(&self) -> Result<ExtendedPassive, Error> {
        self.expect(229)?;
        let raw = self.as_bytes();
        let mut first_err = None;
        for line in self.lines() {
            match ExtendedPassive::parse(line) {
                Ok(v) => return Ok(v),
                Err(e) => {
                    first_err.get_or_insert(in_reply(raw, line, e));
                }
            }
        }
        Err(first_err.unwrap_or(Error::payload(PayloadError::Missing, 0)))
    }

    /// The pathname of a 257 reply.
    ///
    /// # Errors
    /// [`ErrorKind::WrongCode`], or the pathname's error.
    #[must_use = "parsing has no effect but its result"]
    pub fn pathname(&self) -> Result<Pathname<'a>, Error> {
        self.expect(257)?;
        let text = self.text();
        Pathname::parse(text).map_err(|e| in_reply(self.as_bytes(), text, e))
    }

    /// The help view of a 214 reply, `None` for another code.
    #[must_use]
    pub fn help(&self) -> Option<Help<'a>> {
        (self.code().get() == 214).then(|| Help::new(*self))
    }

    /// The feature view of a 211 reply (to FEAT), `None` for another code.
    #[must_use]
    pub fn features(&self) -> Option<Features<'a>> {
        (self.code().get() == 211).then(|| Features::new(*self))
    }

    /// The entry of a 250 reply to MLST: the first middle line that starts
    /// with a space (or, failing that, the first middle line).
    ///
    /// # Errors
    /// [`ErrorKind::WrongCode`]; `Missing` for a reply without a middle
    /// line; the entry's error.
    #[must_use = "parsing has no effect but its result"]
    pub fn mlst_entry(&self) -> Result<MlstEntry<'a>, Error> {
        self.expect(250)?;
        let middle = self.line_count().saturating_sub(2);
        let mut lines = self.lines().skip(1).take(middle);
        let line = lines
            .clone()
            .find(|l| l.starts_with(b" "))
            .or_else(|| lines.next())
            .ok_or(Error::payload(PayloadError::Missing, self.as_bytes().len()))?;
        MlstEntry::parse(line).map_err(|e| in_reply(self.as_bytes(), line, e))
    }
}

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
            Payload::Help(_) | Payload::Features(_) | Payload::Status(_) | Payload::Text => {
                return None;
            }
        };
        Some((ReplyCode::new(code)?, command))
    }

    /// Writes the payload as a reply with `code` into `out`; returns the
    /// length. Parsing it back, with the same command context, gives an
    /// equal payload.
    ///
    /// # Errors
    /// At the offset in `out` where the write stopped:
    /// [`ErrorKind::BufferFull`] when it does not fit;
    /// `PayloadError::Unencodable` for a value no reply can carry (a CR or
    /// LF in text, an empty system name, [`Payload::Text`], ...).
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
        let result = self.encode_counted(code, &mut counted);
        counted.stopped(result)
    }

    fn encode_counted<S: Sink + ?Sized>(&self, code: ReplyCode, sink: &mut S) -> Result<(), Error> {
        let unencodable = Error::new(ErrorKind::Payload(PayloadError::Unencodable), 0);
        let d = code.to_digits();
        let one = |sink: &mut S, args: core::fmt::Arguments<'_>| -> Result<(), Error> {
            sink.put(&d)?;
            sink.put(b" ")?;
            put_fmt(sink, args)?;
            sink.put(b"\r\n")
        };
        match self {
            Payload::Passive(a) => {
                let [h1, h2, h3, h4] = a.ip.octets();
                let [p1, p2] = a.port.to_be_bytes();
                one(
                    sink,
                    format_args!("Entering Passive Mode ({h1},{h2},{h3},{h4},{p1},{p2})."),
                )
            }
            Payload::ExtendedPassive(e) => {
                let dl = char::from(e.delimiter());
                one(
                    sink,
                    format_args!(
                        "Entering Extended Passive Mode ({dl}{dl}{dl}{}{dl})",
                        e.port()
                    ),
                )
            }
            Payload::Pathname(p) => {
                crate::encode::check_text(p.comment())?;
                if p.comment().first().is_some_and(u8::is_ascii_whitespace) {
                    return Err(unencodable);
                }
                sink.put(&d)?;
                sink.put(b" \"")?;
                for piece in p.pieces() {
                    crate::encode::check_text(piece)?;
                    for chunk in piece.split_inclusive(|b| *b == b'"') {
                        sink.put(chunk)?;
                        if chunk.ends_with(b"\"") {
                            sink.put(b"\"")?;
                        }
                    }
                }
                sink.put(b"\"")?;
                if !p.comment().is_empty() {
                    sink.put(b" ")?;
                    sink.put(p.comment())?;
                }
                sink.put(b"\r\n")
            }
            Payload::Transfer(Some(n)) => one(
                sink,
                format_args!("Opening BINARY mode data connection ({n} bytes)."),
            ),
            Payload::Transfer(None) => {
                one(sink, format_args!("Opening BINARY mode data connection."))
            }
            Payload::Size(n) => one(sink, format_args!("{n}")),
            Payload::Time(t) => {
                sink.put(&d)?;
                sink.put(b" ")?;
                let mut buf = [0u8; 32];
                let mut w = SliceWriter::new(&mut buf);
                t.write_wire(&mut w).map_err(|_| unencodable)?;
                let n = w.len();
                sink.put(buf.get(..n).unwrap_or_default())?;
                sink.put(b"\r\n")
            }
            Payload::Features(f) => {
                // RFC 2389: each feature line starts with a space.
                let mut block = BlockWriter::start(sink, code, b"Features:")?;
                for feature in f.iter() {
                    block.line(&[b" ", feature.line])?;
                }
                block.end(b"End")
            }
            Payload::Status(s) => write_view(sink, code, s.reply()),
            Payload::Help(h) => write_view(sink, code, h.reply()),
            Payload::System(s) => {
                if s.name.is_empty() || s.name.iter().any(u8::is_ascii_whitespace) {
                    return Err(unencodable);
                }
                crate::encode::check_text(s.rest)?;
                sink.put(&d)?;
                sink.put(b" ")?;
                sink.put(s.name)?;
                if !s.rest.is_empty() {
                    sink.put(b" ")?;
                    sink.put(s.rest)?;
                }
                sink.put(b"\r\n")
            }
            Payload::Restart(Some(n)) => one(
                sink,
                format_args!("Restarting at {n}. Send STORE or RETRIEVE."),
            ),
            Payload::Restart(None) => one(
                sink,
                format_args!("Requested file action pending further information."),
            ),
            Payload::RestartMarker(m) => {
                for part in [m.user, m.server] {
                    if part.is_empty()
                        || part
                            .iter()
                            .any(|b| b.is_ascii_whitespace() || *b == b'=' || *b == 0)
                    {
                        return Err(unencodable);
                    }
                }
                sink.put(&d)?;
                sink.put(b" MARK ")?;
                sink.put(m.user)?;
                sink.put(b" = ")?;
                sink.put(m.server)?;
                sink.put(b"\r\n")
            }
            Payload::ReadyIn(Some(n)) => one(sink, format_args!("Service ready in {n} minutes.")),
            Payload::ReadyIn(None) => one(sink, format_args!("Service ready soon.")),
            Payload::Mlst(e) => {
                // Valid by construction (MlstEntry::new, MlstEntry::parse).
                // RFC 3659 section 7.2: the entry line starts with a space.
                let mut block = BlockWriter::start(sink, code, b"Listing")?;
                block.line(&[b" ", e.raw_facts(), b" ", e.path()])?;
                block.end(b"End")
            }
            Payload::Protected(s) => {
                sink.put(&d)?;
                sink.put(b" ")?;
                sink.put(s.base64())?;
                sink.put(b"\r\n")
            }
            Payload::Adat(Some(s)) => {
                sink.put(&d)?;
                sink.put(b" ADAT=")?;
                sink.put(s.base64())?;
                sink.put(b"\r\n")
            }
            Payload::Adat(None) => one(sink, format_args!("Security data exchange complete.")),
            Payload::Text => Err(unencodable),
        }
    }
}

/// Writes the lines of a reply again, with `code`, so that the new reply's
/// [`Reply::lines`] are the same texts (see [`write_reply`] for the framing
/// of middle lines).
fn write_view<S: Sink + ?Sized>(
    sink: &mut S,
    code: ReplyCode,
    reply: Reply<'_>,
) -> Result<(), Error> {
    let mut lines = reply.lines();
    let first = lines.next().unwrap_or_default();
    if reply.line_count() < 2 {
        return write_reply(sink, code, first, core::iter::empty(), None);
    }
    let middle = reply.line_count() - 2;
    let last = lines.clone().nth(middle).unwrap_or_default();
    write_reply(sink, code, first, lines.take(middle), Some(last))
}
