//! The values the engine gives out: events, failures, reasons, errors.

use core::fmt;
use core::net::{SocketAddr, SocketAddrV4};

use crate::payload::{MlstEntry, PassiveConcern, Pathname, Timestamp};
use crate::{Class, Command, Error, Reply, ReplyCode};

/// What happened, with the reply that caused it (none for an event that
/// the caller's own report caused, such as the data connection's end).
///
/// Both borrow the engine until its next call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub struct Event<'a> {
    /// What happened.
    pub kind: EventKind<'a>,
    /// The reply that caused it.
    pub reply: Option<Reply<'a>>,
}

/// What happened. An operation gives at most one of `Connect`,
/// `TransferStarted` on its way (a second `Connect` only after
/// [`Client::data_failed`](super::Client::data_failed) on a 229's port,
/// once PASV has answered), and ends with exactly one of the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum EventKind<'a> {
    /// The login succeeded: any 2xx to USER, PASS or ACCT (230, or 202:
    /// "superfluous"), as curl reads it.
    LoggedIn,
    /// What FEAT listed (after `OPTS UTF8 ON`, when UTF8 was offered).
    Features(FeatureSet),
    /// Open the data connection to this address, then call
    /// [`Client::data_connected`](super::Client::data_connected) (or
    /// [`Client::data_failed`](super::Client::data_failed)).
    Connect(DataTarget),
    /// The server started the transfer (125 or 150), with the size a 150
    /// says, if it does; for LIST, NLST and MLSD, also a 226 or 250 that
    /// came with no 125 or 150 (an empty listing, `None`, the 226 lent),
    /// then [`TransferDone`](Self::TransferDone) after the data's end. Read (or, for a store, write) the data connection
    /// to its end, then call
    /// [`Client::data_end`](super::Client::data_end).
    ///
    /// The size is the server's own figure: after REST, vsftpd 3.0.3
    /// announces the whole file and ProFTPD 1.3.8 what is left; Pure-FTPd
    /// writes `kbytes to download`, which is no size (`None`).
    TransferStarted(Option<u64>),
    /// The data reached its end and the server confirmed (226 or 250).
    TransferDone,
    /// SIZE's answer.
    Size(u64),
    /// MDTM's answer.
    Modified(Timestamp),
    /// PWD's or MKD's 257.
    Path(Pathname<'a>),
    /// MLST's entry.
    Entry(MlstEntry<'a>),
    /// An operation with nothing more to say succeeded.
    Done,
    /// The operation failed; the session goes on (close the data
    /// connection, if one is open).
    Failed(Failure),
    /// The session is over.
    Closed(CloseReason),
}

/// Where to open the data connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct DataTarget {
    /// The address to connect to: the control peer with the offered port,
    /// unless the caller trusts offered addresses (and the 227 named one
    /// other than `0.0.0.0`).
    pub connect_to: SocketAddr,
    /// What a 227 offered (`None` for a 229, which offers only a port).
    pub offered: Option<SocketAddrV4>,
    /// Why the offered address was suspect, if it was: reported whether or
    /// not the guard replaced it.
    pub concern: Option<PassiveConcern>,
}

/// Why an operation failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Failure {
    /// The command whose reply failed it (USER, PASS, RNTO, ...); for a
    /// transfer, the transfer command (EPSV or PASV refused names RETR,
    /// STOR, ...; so does a data connection that failed, even when REST's
    /// 350 is the reply that reports it), but REST when REST is refused.
    pub command: Option<Command>,
    /// The reply's code, when a reply failed it. A data connection that
    /// failed ([`FailReason::DataConnection`]) while REST's answer was
    /// awaited is reported with that answer, the 350 named here; otherwise
    /// it names no reply (`None`), though a 150 or 226 may have come.
    pub code: Option<ReplyCode>,
    /// Why.
    pub reason: FailReason,
}

/// Why an operation failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum FailReason {
    /// The server answered with a code that does not mean success here
    /// (4xx or 5xx, mostly).
    Refused,
    /// The reply, or its payload, could not be read. For bytes that are
    /// not a reply, the error is the decoder's: its offset counts from the
    /// first byte the engine received. For a payload (a 229 without its
    /// tuple, a 213 that is not a number), it counts from the reply's
    /// first byte, as [`Reply::payload`](crate::Reply::payload)'s does.
    Malformed(Error),
    /// The passive reply named port 0.
    PortZero,
    /// The server asked for an account (332) and none was given.
    NoAccount,
    /// The data connection failed, or ended before its end.
    DataConnection,
}

/// Why the session closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum CloseReason {
    /// The server sent 421 (service not available, closing).
    ServiceClosing(ReplyCode),
    /// QUIT was answered, or the connection closed after it.
    Quit,
    /// The greeting was not 220 (nor a 230, logged in already, or a 200,
    /// which some servers greet with; any number of 120s may come first).
    Refused(ReplyCode),
    /// The control connection ended.
    ConnectionLost,
    /// The caller's timer fired while the engine waited for this.
    TimedOut(Waiting),
    /// A reply came that no command asked for, before its command was
    /// sent, or a preliminary reply (1xx) to a command that takes none
    /// (a 110 to USER, a 150 to EPSV): pairing replies with commands is no
    /// longer safe. (Any reply to QUIT, a 1xx too, ends the session as
    /// [`Quit`](Self::Quit) does. A 220
    /// after the greeting is skipped instead: the engine never sends
    /// REIN, the only command a 220 answers.)
    Unexpected(ReplyCode),
    /// The first line was not a reply (no FTP server), a reply that could
    /// not be read came when no command could own it, or a 1xx could not
    /// be read (its final reply would come unasked). (Text whose first
    /// byte is no digit, after the greeting, is skipped; a 421 that cannot
    /// be read, `421 b\0ye`, closes the session as a 421 does:
    /// [`ServiceClosing`](Self::ServiceClosing).)
    /// The decoder's error: its offset counts from the first byte received.
    Malformed(Error),
}

/// What the engine waits for, for the caller's timer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum Waiting {
    /// Nothing: no operation runs (the timer may keep the session alive
    /// with NOOP).
    Nothing,
    /// The server's greeting.
    Greeting,
    /// The reply to this command (to be sent, or sent).
    Reply(Option<Command>),
    /// The caller's data connection to open.
    DataConnection,
    /// The end of a transfer: the final reply, the data's end, or both.
    TransferEnd {
        /// The final reply has not come.
        reply: bool,
        /// The data has not reached its end.
        data: bool,
    },
    /// Nothing any more: the session is closed.
    Closed,
}

/// What FEAT offered, as far as the engine cares.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[allow(clippy::struct_excessive_bools)] // a set of flags, read by name
#[non_exhaustive]
pub struct FeatureSet {
    /// EPSV (RFC 2428).
    pub epsv: bool,
    /// MLST and MLSD (RFC 3659).
    pub mlst: bool,
    /// SIZE (RFC 3659).
    pub size: bool,
    /// MDTM (RFC 3659).
    pub mdtm: bool,
    /// REST STREAM (RFC 3659).
    pub rest_stream: bool,
    /// UTF8 (RFC 2640).
    pub utf8: bool,
    /// `OPTS UTF8 ON` was accepted.
    pub utf8_on: bool,
}

impl FeatureSet {
    /// The set as one byte, for the engine to keep.
    pub(crate) const fn bits(self) -> u8 {
        self.epsv as u8
            | (self.mlst as u8) << 1
            | (self.size as u8) << 2
            | (self.mdtm as u8) << 3
            | (self.rest_stream as u8) << 4
            | (self.utf8 as u8) << 5
            | (self.utf8_on as u8) << 6
    }

    /// The set [`bits`](Self::bits) kept.
    pub(crate) const fn from_bits(b: u8) -> Self {
        FeatureSet {
            epsv: b & 1 != 0,
            mlst: b & 1 << 1 != 0,
            size: b & 1 << 2 != 0,
            mdtm: b & 1 << 3 != 0,
            rest_stream: b & 1 << 4 != 0,
            utf8: b & 1 << 5 != 0,
            utf8_on: b & 1 << 6 != 0,
        }
    }

    /// No feature.
    pub const EMPTY: FeatureSet = FeatureSet {
        epsv: false,
        mlst: false,
        size: false,
        mdtm: false,
        rest_stream: false,
        utf8: false,
        utf8_on: false,
    };
}

/// Why an operation could not start, or a report was not expected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum ClientError {
    /// Another operation runs (or its last event has not been taken).
    Busy,
    /// The session is closed, or closing: its control connection ended,
    /// the caller's timer fired while it waited, or a reply that came
    /// after a transfer's 226 closes it once the transfer ends (its
    /// `Closed` event is still to come).
    Closed,
    /// A data-connection report came when no transfer waits for it.
    NoTransfer,
    /// An argument holds CR, LF or NUL (`ForbiddenArgument`), or the
    /// operation's lines do not fit in the transmit buffer
    /// (`BufferFull`).
    Argument(Error),
    /// [`Client::raw`](super::Client::raw) was given a command whose state
    /// the engine keeps: one that logs in or out, opens or aims a data
    /// connection, or changes the control connection.
    EngineCommand(Command),
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientError::Busy => f.write_str("another operation is running"),
            ClientError::Closed => f.write_str("the session is closed"),
            ClientError::NoTransfer => {
                f.write_str("no transfer waits for a data connection report")
            }
            ClientError::Argument(e) => write!(f, "bad argument: {e}"),
            ClientError::EngineCommand(c) => {
                write!(f, "{} is run by the engine's own calls, not raw", c.name())
            }
        }
    }
}

impl core::error::Error for ClientError {}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.command {
            Some(c) => write!(f, "{c} failed")?,
            None => f.write_str("the command failed")?,
        }
        match (self.reason, self.code) {
            (FailReason::Refused, Some(code)) => write!(f, ": the server answered {code}"),
            (FailReason::Refused, None) => f.write_str(": refused"),
            // The code names which reply it was: a transfer fails on its
            // EPSV's or PASV's answer too (`RETR failed: unreadable 227`).
            (FailReason::Malformed(e), Some(code)) => write!(f, ": unreadable {code} reply: {e}"),
            (FailReason::Malformed(e), None) => write!(f, ": unreadable reply: {e}"),
            (FailReason::PortZero, _) => f.write_str(": the passive reply named port 0"),
            (FailReason::NoAccount, _) => f.write_str(": the server asks for an account"),
            (FailReason::DataConnection, _) => f.write_str(": the data connection failed"),
        }
    }
}

impl fmt::Display for CloseReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CloseReason::ServiceClosing(c) => write!(f, "the server is closing the session ({c})"),
            CloseReason::Quit => f.write_str("session ended (QUIT)"),
            CloseReason::Refused(c) => write!(f, "the server refused the session ({c})"),
            CloseReason::ConnectionLost => f.write_str("the control connection was lost"),
            CloseReason::TimedOut(w) => write!(f, "timed out waiting for {w}"),
            // A 1xx may also answer a command that takes none (a 110 to
            // USER); any other code, none was asked for.
            CloseReason::Unexpected(c) if c.class() == Class::PositivePreliminary => write!(
                f,
                "the server sent a {c} reply that no command asked for, or to one that takes none"
            ),
            CloseReason::Unexpected(c) => {
                write!(f, "the server sent a {c} reply that no command asked for")
            }
            CloseReason::Malformed(e) => {
                write!(f, "the server sent something that is not a reply: {e}")
            }
        }
    }
}

impl fmt::Display for Waiting {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Waiting::Nothing => f.write_str("nothing"),
            Waiting::Greeting => f.write_str("the greeting"),
            Waiting::Reply(Some(c)) => write!(f, "the reply to {c}"),
            Waiting::Reply(None) => f.write_str("a reply"),
            Waiting::DataConnection => f.write_str("the data connection to open"),
            Waiting::TransferEnd {
                reply: true,
                data: true,
            } => f.write_str("the end of the data and the final reply"),
            Waiting::TransferEnd {
                reply: true,
                data: false,
            } => f.write_str("the final reply"),
            Waiting::TransferEnd { reply: false, .. } => f.write_str("the end of the data"),
            Waiting::Closed => f.write_str("nothing (closed)"),
        }
    }
}
