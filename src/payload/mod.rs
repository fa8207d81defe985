//! Typed views of the replies that carry data (the smoltcp "repr" layer).
//!
//! The framing parsed fine, so a payload that does not parse is an error of
//! its own, and the [`Reply`] stays usable. Every payload borrows the reply
//! or is a small `Copy` value; none allocates.
//!
//! Some replies mean different things after different commands (213 after
//! SIZE, MDTM or STAT; 211 after FEAT or HELP; 250 after MLST): say what was sent
//! with [`Reply::payload_after`]. Without it, [`Reply::payload`] types every
//! reply whose code alone decides it.
//!
//! The free functions ([`transfer_size`], [`file_size`],
//! [`restart_offset`], [`ready_in_minutes`], [`protection_buffer_size`])
//! read the text they are given and know nothing of the reply it came
//! from: given the text of a reply the [`Decoder`](crate::Decoder) cut
//! ([`Reply::is_truncated`]), they read the number it was cut to. The
//! reply's own accessors ([`Reply::payload_after`],
//! [`Reply::transfer_size`]) refuse such a reply with
//! [`PayloadError::Truncated`].

mod emit;
mod extended;
mod features;
mod help;
mod long_passive;
mod marker;
mod mlst;
mod numbers;
pub(crate) mod offset;
mod passive;
mod pathname;
mod security;
mod status;
mod system;
mod time;

pub use extended::{ExtendedPassive, NetworkProtocols, NetworkProtocolsIter};
pub use features::{FactSupport, Feature, FeatureLines, Features, MlstFacts};
pub use help::{Help, HelpCommand, HelpCommands};
pub use long_passive::{LongPassiveAddr, LongPassiveTarget};
pub use marker::RestartMarker;
pub use mlst::{EntryFacts, Fact, MlstEntry};
pub use numbers::{
    file_size, protection_buffer_size, ready_in_minutes, restart_offset, transfer_size,
};
pub use passive::{PassiveAddr, PassiveConcern, PassiveTarget};
pub use pathname::{Pathname, PathnameBytes, Pieces};
pub use security::SecurityData;
pub use status::StatusLines;
pub use system::System;
pub use time::Timestamp;

use crate::command::Command;
use crate::error::{Error, ErrorKind, PayloadError};
use crate::reply::Reply;

/// The typed payload of a reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum Payload<'a> {
    /// 227: the passive-mode address (RFC 959).
    Passive(PassiveAddr),
    /// 229: the extended passive port (RFC 2428).
    ExtendedPassive(ExtendedPassive),
    /// 228: the long passive address and port (RFC 1639).
    LongPassive(LongPassiveAddr),
    /// 522: the network protocols the server supports, when the text
    /// lists them (RFC 2428).
    NetworkProtocols(Option<NetworkProtocols>),
    /// 257: the quoted pathname (RFC 959 appendix II). A 257 whose text
    /// quotes no name (`257 Operation successful` from busybox ftpd,
    /// `257 /new` and `257 /new"dir` from libunftp, all to MKD: a name
    /// opens at a quote that starts the text or follows a space, a tab or
    /// a byte that is not ASCII, see [`Pathname`]) names no path and gives [`Payload::Text`];
    /// [`Reply::pathname`] refuses it with `Missing`. A quote that opens
    /// a name that cannot be read is an error.
    Pathname(Pathname<'a>),
    /// 150 and 125: the size in `(N bytes)` or a leading `N bytes`, when
    /// a line gives one ([`Reply::transfer_size`]).
    Transfer(Option<u64>),
    /// 213 after SIZE: the size in octets (RFC 3659 section 4;
    /// [`file_size`]).
    Size(u64),
    /// 213 after MDTM: the modification time (RFC 3659 section 3), as
    /// [`Timestamp::parse`] reads the text less its trailing white space
    /// (a blank text is `Missing`).
    Time(Timestamp),
    /// 211 after FEAT: the feature list (RFC 2389).
    Features(Features<'a>),
    /// 211 otherwise, 212, and 213 after STAT: status lines. After FEAT
    /// a 211 is [`Payload::Features`] and a 212 [`Payload::Text`]; after
    /// HELP a 211 is [`Payload::Help`] and a 212 still status lines.
    Status(StatusLines<'a>),
    /// 214, and 211 after HELP (RFC 959's "system help reply"): a help
    /// message.
    Help(Help<'a>),
    /// 215: the system type.
    System(System<'a>),
    /// 350: the restart offset, when the text gives one (a 350 to RNFR,
    /// known from the command, is [`Payload::Text`]): the number after the
    /// word `restart` or `rest` ([`restart_offset`]), or, known to answer
    /// REST and with no such word, the text's one number when no printable
    /// ASCII byte stands before it and no letter after it (`Resuming at
    /// 100`, `从1024开始`; `file5.bin` gives none).
    Restart(Option<u64>),
    /// 110: a restart marker.
    RestartMarker(RestartMarker<'a>),
    /// 120: the minutes until the service is ready, when given.
    ReadyIn(Option<u32>),
    /// 250 after MLST: the entry (RFC 3659 section 7).
    Mlst(MlstEntry<'a>),
    /// 631, 632, 633: a protected reply, base64 (RFC 2228): the first
    /// line's. A block is sealed a line at a time (the ftpd of MIT
    /// Kerberos and of Heimdal write each line of the inner reply as
    /// `632-<base64>`), each line's text base64 of its own:
    /// [`Reply::lines`] with [`SecurityData::from_protected`] reads every
    /// line. (Checking them all here cost 516 B in the every-payload
    /// firmware probe, for replies no server in use sends.)
    Protected(SecurityData<'a>),
    /// 235, 334, 335: the `ADAT=` data, when given (RFC 2228).
    Adat(Option<SecurityData<'a>>),
    /// 200 after PBSZ: the protection buffer size in `PBSZ=N`, when given
    /// (RFC 2228 section 3). With no command known, a 200 whose text gives
    /// a size this way gives it too; any other 200 gives [`Payload::Text`]
    /// (one with a malformed `PBSZ=` too: the code alone promises no
    /// value).
    BufferSize(Option<u32>),
    /// A reply whose text carries nothing for a machine.
    Text,
}

impl<'a> Reply<'a> {
    /// The typed payload, chosen by the code alone: 213, 211, 250, 350 and
    /// 200 read more with the command (see
    /// [`payload_after`](Self::payload_after)); without it, 211 gives its
    /// status lines, 213 and 250 give [`Payload::Text`], a 350 gives the
    /// number after the word `rest` or `restart` only ([`restart_offset`]:
    /// `Resuming at 100` is `Restart(None)` here, 100 after REST; a 350 to
    /// RNFR, the command unknown, is read the same way, by the word only),
    /// and a 200 gives
    /// [`Payload::BufferSize`] only when its text gives a size as `PBSZ=N`.
    ///
    /// # Errors
    /// The payload's error, with the offset into the reply's bytes, when
    /// the code promises a payload that the text does not hold;
    /// [`PayloadError::Truncated`] when it promises a value and the
    /// [`Decoder`](crate::Decoder) cut the reply
    /// ([`Reply::is_truncated`]). The views (status, help, features) of a
    /// cut reply read what it holds: its first line.
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
        let code = self.code().get();
        let feat = command == Some(Command::Feat);
        // The payloads read from the whole reply first; then those read
        // from its main text, whose errors are shifted in one place (a
        // flash cost paid once, not once per payload).
        match code {
            227 => return PassiveAddr::parse(self).map(Payload::Passive),
            229 => return self.extended_passive().map(Payload::ExtendedPassive),
            228 => return LongPassiveAddr::parse(self).map(Payload::LongPassive),
            250 if command == Some(Command::Mlst) => return self.mlst_entry().map(Payload::Mlst),
            211 if feat => return Ok(Payload::Features(Features::new(*self))),
            // A 211 that answers HELP is RFC 959's "system help reply", a
            // help view as a 214 is (ftp-srv answers HELP with a 211 table).
            211 if command == Some(Command::Help) => return Ok(Payload::Help(Help::new(*self))),
            // 211 (but after FEAT or HELP: the arms above) and 212 (but
            // after FEAT), and 213 after STAT.
            211..=213
                if (code != 213 && !feat) || (code == 213 && command == Some(Command::Stat)) =>
            {
                return Ok(Payload::Status(StatusLines::new(*self)));
            }
            214 => return Ok(Payload::Help(Help::new(*self))),
            125 | 150 => return self.sized_transfer().map(Payload::Transfer),
            _ => {}
        }
        let (start, text) = self.text_at();
        match text_payload(code, command, text) {
            // A cut reply: no value is read from it.
            Ok(Payload::Text) => Ok(Payload::Text),
            // `Reply::whole`'s error, built here: `self.whole().and(r)`
            // costs 12 B more in size-all.
            _ if self.is_truncated() => Err(Error::payload(
                PayloadError::Truncated,
                self.as_bytes().len(),
            )),
            // A 257 that quotes nothing names no path: busybox ftpd and
            // libunftp answer MKD so, as old UNIX ftpd did. `pathname()`
            // still refuses it.
            Err(e) if code == 257 && e.kind() == ErrorKind::Payload(PayloadError::Missing) => {
                Ok(Payload::Text)
            }
            r => r.map_err(|e| e.shifted(start)),
        }
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
    /// when the tuple is malformed or the reply was cut
    /// ([`PayloadError::Truncated`]).
    #[must_use = "parsing has no effect but its result"]
    pub fn passive(&self) -> Result<PassiveAddr, Error> {
        self.expect(227)?;
        PassiveAddr::parse(self)
    }

    /// The address and port of a 228 reply (RFC 1639, the answer to
    /// LPSV); see [`LongPassiveAddr::parse`].
    ///
    /// # Errors
    /// [`ErrorKind::WrongCode`] for another code, [`ErrorKind::Payload`]
    /// when the tuple is malformed or the reply was cut
    /// ([`PayloadError::Truncated`]).
    #[must_use = "parsing has no effect but its result"]
    pub fn long_passive(&self) -> Result<LongPassiveAddr, Error> {
        self.expect(228)?;
        LongPassiveAddr::parse(self)
    }

    /// The port of a 229 reply; the tuple may stand on any line: the first
    /// line that holds a valid one gives it (of a block another code
    /// closed, [`Reply::closed_by_other_code`], the closing line alone).
    ///
    /// # Errors
    /// [`ErrorKind::WrongCode`], [`PayloadError::Truncated`], or, when no
    /// line holds a valid tuple, the first line's error (`229-x` then
    /// `229 (|||0|)` is the first line's `Missing`).
    #[must_use = "parsing has no effect but its result"]
    pub fn extended_passive(&self) -> Result<ExtendedPassive, Error> {
        self.expect(229)?;
        self.whole()?;
        let mut first_err = None;
        // Each line with where its text starts: the first error's offset.
        let mut lines = self.payload_lines();
        while let Some((at, line)) = lines.next_at() {
            match ExtendedPassive::parse_at(line, at) {
                Ok(v) => return Ok(v),
                Err(e) if first_err.is_none() => first_err = Some(e),
                Err(_) => {}
            }
        }
        Err(first_err.unwrap_or(Error::payload(PayloadError::Missing, 0)))
    }

    /// The size that a 125 or 150 reply announces, when it gives one
    /// ([`transfer_size`]): the first line's that gives one, so that a
    /// block may give it on its last line (SimpleFTPServer's
    /// `150-Connected to port 50009` closed by `150 1234 bytes to
    /// download`). A line whose size is malformed ends the search with its
    /// error (`150-x (1,024 bytes)` closed by `150 5 bytes`: `BadNumber`).
    /// A block another code closed ([`Reply::closed_by_other_code`]) gives
    /// its closing line's size, or none.
    ///
    /// # Errors
    /// [`ErrorKind::WrongCode`] for another code,
    /// [`PayloadError::Truncated`] for a reply the decoder cut (a number
    /// cut short is another number), or the size's error, at its offset
    /// into the reply's bytes.
    #[must_use = "parsing has no effect but its result"]
    pub fn transfer_size(&self) -> Result<Option<u64>, Error> {
        if !matches!(self.code().get(), 125 | 150) {
            return Err(Error::new(ErrorKind::WrongCode, 0));
        }
        self.sized_transfer()
    }

    /// [`transfer_size`](Self::transfer_size) past the code's check.
    fn sized_transfer(&self) -> Result<Option<u64>, Error> {
        self.whole()?;
        let mut lines = self.payload_lines();
        while let Some((at, text)) = lines.next_at() {
            let size = transfer_size(text);
            if size != Ok(None) {
                return size.map_err(|e| e.shifted(at));
            }
        }
        Ok(None)
    }

    /// The pathname of a 257 reply.
    ///
    /// # Errors
    /// [`ErrorKind::WrongCode`], [`PayloadError::Truncated`], or the
    /// pathname's error: `Missing` for a 257 that quotes nothing, which
    /// [`payload`](Self::payload) gives as [`Payload::Text`].
    #[must_use = "parsing has no effect but its result"]
    pub fn pathname(&self) -> Result<Pathname<'a>, Error> {
        self.expect(257)?;
        self.whole()?;
        let (at, text) = self.text_at();
        Pathname::parse(text).map_err(|e| e.shifted(at))
    }

    /// The help view of a 214 reply, `None` for another code. (A 211
    /// can be a help reply too, but only the command says so:
    /// `payload_after(Some(Command::Help))` gives its view.)
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
    /// [`ErrorKind::WrongCode`]; [`PayloadError::Truncated`]; `Missing`
    /// for a reply without a middle line; the entry's error.
    #[must_use = "parsing has no effect but its result"]
    pub fn mlst_entry(&self) -> Result<MlstEntry<'a>, Error> {
        self.expect(250)?;
        self.whole()?;
        // One pass, no copy of the iterator: the first middle line is kept
        // in case no line starts with a space, each with where its text
        // starts in the reply's bytes.
        let mut first = None;
        let mut spaced = None;
        let mut lines = self.middle_lines();
        while let Some((at, line)) = lines.next_at() {
            if line.starts_with(b" ") {
                spaced = Some((at, line));
                break;
            }
            if first.is_none() {
                first = Some((at, line));
            }
        }
        let (at, line) = spaced
            .or(first)
            .ok_or(Error::payload(PayloadError::Missing, self.as_bytes().len()))?;
        MlstEntry::parse_at(line, at)
    }
}

/// Where the run of spaces at `i` in `text` ends (`i` itself when none
/// stands there): the spaces a tuple allows around its commas.
pub(crate) fn skip_spaces(text: &[u8], mut i: usize) -> usize {
    while text.get(i) == Some(&b' ') {
        i += 1;
    }
    i
}

/// `hay` cut at its first `sep`: the bytes before it and the bytes after
/// it; without one, `hay` and nothing. One copy for every view that splits
/// a line (facts at `;`, a feature or a system name at a space). Byte by
/// byte: what it cuts is short, and a view that cuts many times over
/// (64 Ki empty MLST facts) pays a compare per byte, not memchr's set-up
/// per cut (0.55 to 0.16 ms for that line, release build; the same code as
/// before on microcontrollers, where `scan::find` is this loop).
#[inline(never)]
pub(crate) fn cut(hay: &[u8], sep: u8) -> (&[u8], &[u8]) {
    match hay.iter().position(|&b| b == sep) {
        Some(i) => (
            hay.get(..i).unwrap_or_default(),
            hay.get(i + 1..).unwrap_or_default(),
        ),
        None => (hay, &[]),
    }
}

/// The payloads read from a reply's main text (`code` and `command` as in
/// [`Reply::payload_after`], less the codes it answers first), with
/// offsets into `text`.
#[inline(never)]
fn text_payload(code: u16, command: Option<Command>, text: &[u8]) -> Result<Payload<'_>, Error> {
    Ok(match (code, command) {
        (257, _) => Payload::Pathname(Pathname::parse(text)?),
        (213, Some(Command::Size)) => Payload::Size(file_size(text)?),
        (213, Some(Command::Mdtm)) => Payload::Time(Timestamp::parse(text.trim_ascii_end())?),
        (215, _) => Payload::System(System::parse(text)?),
        // A 350 to RNFR asks for RNTO: no restart, whatever its text says
        // (`350 File "restart-2021.log" exists, ...`).
        (350, Some(Command::Rnfr)) => Payload::Text,
        (350, _) => Payload::Restart(numbers::offset_in_350(
            text,
            command == Some(Command::Rest),
        )?),
        (110, _) => Payload::RestartMarker(RestartMarker::parse(text)?),
        (120, _) => Payload::ReadyIn(ready_in_minutes(text)?),
        (631..=633, _) => Payload::Protected(SecurityData::from_protected(text)?),
        (235 | 334 | 335, _) => Payload::Adat(SecurityData::from_adat(text)?),
        (522, _) => Payload::NetworkProtocols(NetworkProtocols::parse(text)?),
        // With no command known, only a text that gives a size: a 200
        // promises no value, so a malformed `PBSZ=` is text there.
        (200, None | Some(Command::Pbsz)) => match protection_buffer_size(text) {
            Ok(Some(n)) => Payload::BufferSize(Some(n)),
            _ if command.is_none() => Payload::Text,
            r => Payload::BufferSize(r?),
        },
        _ => Payload::Text,
    })
}

#[cfg(test)]
pub(crate) mod testing {
    extern crate std;

    use core::fmt::Debug;
    use core::hash::{BuildHasher, Hash};

    /// A xorshift64 generator: the same inputs on every run, no dependency.
    pub(crate) fn xorshift(mut state: u64) -> impl FnMut() -> u64 {
        move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        }
    }

    /// The views that compare and hash by value: `a` is equal to `same`
    /// (the same value written another way) and hashes alike, and each of
    /// `others` is neither.
    pub(crate) fn assert_compared_by_value<T: PartialEq + Hash + Debug + Copy>(
        a: T,
        same: T,
        others: impl IntoIterator<Item = T>,
    ) {
        let hasher = std::hash::RandomState::new();
        assert_eq!(a, same);
        assert_eq!(hasher.hash_one(a), hasher.hash_one(same), "{a:?}");
        for other in others {
            assert_ne!(a, other, "{other:?}");
            assert_ne!(hasher.hash_one(a), hasher.hash_one(other), "{other:?}");
        }
    }
}
