//! Typed views of the replies that carry data.
//!
//! The framing parsed fine, so a payload that does not parse is an error of
//! its own, and the [`Reply`] stays usable.

mod help;
mod passive;

pub use help::{Help, HelpCommand, HelpCommands};
pub use passive::PassiveAddr;

use crate::code::KnownCode;
use crate::error::{Error, ErrorKind};
use crate::reply::Reply;

/// Where `part` (a slice of `base`) starts inside `base`.
pub(crate) fn offset_of(base: &[u8], part: &[u8]) -> usize {
    (part.as_ptr() as usize)
        .saturating_sub(base.as_ptr() as usize)
        .min(base.len())
}

/// The typed payload of a reply, chosen by its code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum Payload<'a> {
    /// 227: the passive-mode address.
    Passive(PassiveAddr),
    /// 214: a help message.
    Help(Help<'a>),
    /// A reply whose text carries nothing for a machine.
    Text,
}

impl<'a> Reply<'a> {
    /// The typed payload, chosen by the code alone.
    ///
    /// # Errors
    /// The payload's own error (such as [`ErrorKind::Passive`]) when the
    /// code promises a payload that the text does not hold.
    pub fn payload(&self) -> Result<Payload<'a>, Error> {
        Ok(match self.code().known() {
            KnownCode::EnteringPassiveMode => Payload::Passive(PassiveAddr::parse(self)?),
            KnownCode::HelpMessage => Payload::Help(Help::new(*self)),
            _ => Payload::Text,
        })
    }

    /// The address of a 227 reply.
    ///
    /// # Errors
    /// [`ErrorKind::WrongCode`] for another code, [`ErrorKind::Passive`]
    /// when the tuple is malformed.
    pub fn passive(&self) -> Result<PassiveAddr, Error> {
        if self.code().known() != KnownCode::EnteringPassiveMode {
            return Err(Error::new(ErrorKind::WrongCode, 0));
        }
        PassiveAddr::parse(self)
    }

    /// The help view of a 214 reply, `None` for another code.
    #[must_use]
    pub fn help(&self) -> Option<Help<'a>> {
        (self.code().known() == KnownCode::HelpMessage).then(|| Help::new(*self))
    }
}
