//! A sans-IO FTP client engine: log in, passive mode, transfers, with no
//! heap, no sockets and no clock.
//!
//! [`Client`] is a state machine in the style of quinn-proto and rustls:
//! the caller moves the bytes and owns the timers.
//!
//! - bytes received on the control connection go in with
//!   [`Client::receive`];
//! - bytes to send come out of [`Client::transmit`], and the caller says how
//!   many it wrote with [`Client::sent`];
//! - the data connection's state goes in with [`Client::data_connected`],
//!   [`Client::data_end`] and [`Client::data_failed`];
//! - what happened comes out of [`Client::poll_event`], one [`Event`] at a
//!   time, each lending the reply that caused it.
//!
//! One operation runs at a time ([`Client::login`], [`Client::retrieve`],
//! ...); starting a second one before the first has given its last event
//! is [`ClientError::Busy`], not a queue.
//!
//! Memory is fixed: the [`Decoder<N>`](crate::Decoder) inside and a
//! transmit buffer of `T` bytes, which also holds the command lines an
//! operation sends later (the password while USER is answered, the RETR
//! line while EPSV is). `size_of::<Client<N>>()` (`T` = 96) is under
//! `N + 256` bytes on 32- and 64-bit targets (const assertions below).
//! Work is linear in what the server sends, however long it talks while
//! the engine waits (a banner, `120` after `120`, prose between replies,
//! 1xx lines while a transfer runs, a feature list): each reply is read
//! once, as the decoder gives it (`tests/complexity.rs`, the `CLIENT_`
//! shapes, 1- to 1460-byte receives).
//!
//! # Flash
//!
//! Each operation sets its own reply handler when it starts, so a firmware
//! links the reply handling (and the payload parsers) of the operations it
//! calls and no others: log in, passive mode and retrieve take 9,172 bytes
//! of `.text` on a Cortex-M4F at opt-level "z", the decoder and the 227
//! and 229 parsers included (`scripts/size.sh`, `size-client`, gated at
//! 9,400 B; issue 13 asked for 10 KiB).
//!
//! # Passive mode
//!
//! Every transfer tries EPSV first (RFC 2428). When EPSV is refused with a
//! 5xx (RFC 2428's 500, 502 and 522, or the 501, 504 or 550 of a server
//! that has it turned off), answered with a 3xx (a 350 or a 331, which
//! RFC 2428 never gives EPSV: a server that does not know it), or
//! answered with a 2xx other than a 229 whose
//! address cannot be read (LBBS's 227 that holds a 229's tuple, or one
//! the decoder cut), it falls back to PASV and
//! remembers that for the rest of the session, and so it does when the
//! data connection to a 229's port cannot be opened
//! ([`Client::data_failed`] before [`Client::data_connected`]: a second
//! `Connect` follows PASV's 227), as curl does. A 4xx to EPSV (425: no
//! port free just now) sends PASV for that transfer only. A 229 that
//! cannot be read fails the transfer, as in curl. The data
//! connection goes to the control connection's peer with the port offered,
//! whatever address a 227 names (as curl, Python's ftplib and Apache
//! Commons Net do); [`Client::trust_offered_address`] opts into the
//! offered address, and [`DataTarget::concern`] says what was suspect
//! either way. A port of 0 fails the operation. A 229's port is read from
//! the first `(` of the reply's bytes, on whatever line it stands (every
//! server sends a one-line 229); with
//! [`ParserConfig::any_code_ends_block`](crate::ParserConfig::any_code_ends_block),
//! of a block another code closed, from the closing line only, as
//! [`Reply::extended_passive`] reads it (`553-(|||9|)` closed by
//! `229 (|||1|)` connects to port 1). Of such a block, a 227's address and
//! a 125's or 150's size are the closing line's too; of any other block,
//! the first line that holds one gives it, as [`Reply::passive`] and
//! [`Reply::transfer_size`] read them (`227-Entering (9,9,9,9,9,9)` closed
//! by `227 ok (127,0,0,1,4,1)` connects to port 2313; a 150 block's first
//! `(99 bytes)` is the size, whatever its closing line says).
//!
//! # A transfer
//!
//! ```text
//! retrieve("f", 0)      -> EPSV
//! 229 (|||40001|)       <- Event Connect(peer:40001)     caller connects
//! data_connected()      -> RETR f
//! 150 ... (12 bytes)    <- Event TransferStarted(Some(12))  caller reads
//! data_end() / 226      <- Event TransferDone (after both, in either order)
//! ```
//!
//! Only 226 or 250 ends a transfer, and only after a 125 or 150 (RFC 959
//! 5.4): a 226 in place of the 150 fails RETR, STOR and APPE
//! (`retrieve_or_store_226_in_place_of_150_fails`), and is an empty
//! listing for LIST, NLST and MLSD (`list_226_with_no_150`). A value is
//! never read from a reply longer than `N` that the decoder cut
//! (`PayloadError::Truncated`; `a_cut_reply_gives_no_value`).
//!
//! A 421 at any point closes the session ([`CloseReason::ServiceClosing`]);
//! a reply that arrives before its command was sent, or when none was
//! asked for, closes it too ([`CloseReason::Unexpected`]): pairing replies
//! with commands is what every later step relies on. Either, right after a
//! transfer's 226 and before its data's end (a 421 or a 221 as the server
//! hangs up), closes the session only once the transfer has ended with its
//! data, as when the server just closes the connection there: the order in
//! which the caller reads its two sockets does not decide whether the file
//! arrived (`a_421_after_226_waits_for_the_data_end`,
//! `a_reply_after_226_closes_once_the_data_ends`). A 220 after the
//! greeting is the one exception: only the connection's start and REIN
//! have one (RFC 959 5.4), and the engine never sends REIN, so it is more
//! greeting, sent as a reply of its own (ESP8266 nodemcu-lua's FTP server
//! greets with two one-line 220s), and is skipped whenever it comes
//! (`a_greeting_in_two_replies_is_one_greeting`).
//!
//! A line whose first byte is no digit (an empty line, prose, the rest of
//! a banner written without its code) is no answer
//! ([`ErrorKind::InvalidCode`] consumes none): after the greeting the
//! engine skips it, as curl does, and pairing is kept
//! (`text_between_replies_is_skipped`). Before the greeting it closes the
//! session: that peer is no FTP server (`text_before_the_greeting_closes`).
//! A line that starts with a digit but cannot be read (`2x0 ...`, `999
//! x`, one with a NUL) stands for the answer it was meant as, and fails
//! that operation at once, as curl fails the first two
//! (`a_line_with_a_code_no_reply_has_fails_the_command`). Right after a
//! transfer's 226 it is a reply no command asked for, and waits for the
//! data's end as one does when it holds a valid code (`421 b\0ye`,
//! `200 x\0y`); with none (`2x6 junk`) it closes the session at once, the
//! engine keeping only a code for later
//! (`a_bad_line_after_226_waits_for_the_data_end_as_a_reply_does`,
//! `not_a_reply_after_the_final_reply_of_a_transfer_closes`). A caller that
//! reads the control connection as Telnet takes a NUL, Telnet's
//! no-operation, out before the engine sees it (the `client` example
//! does).
//!
//! ```
//! use core::net::{IpAddr, Ipv4Addr};
//! use ftp_reply::client::{Client, EventKind};
//!
//! let mut c = Client::<512>::new(IpAddr::V4(Ipv4Addr::LOCALHOST));
//! c.login(b"ftp", b"guest@", None)?;
//! assert_eq!(c.receive(b"220 Welcome\r\n"), 13);
//! assert!(c.poll_event().is_none());
//! assert_eq!(c.transmit(), b"USER ftp\r\n");
//! c.sent(10);
//! assert_eq!(c.receive(b"331 Password please\r\n"), 21);
//! assert!(c.poll_event().is_none());
//! assert_eq!(c.transmit(), b"PASS guest@\r\n");
//! c.sent(13);
//! assert_eq!(c.receive(b"230 Logged in\r\n"), 15);
//! let ev = c.poll_event().unwrap();
//! assert_eq!(ev.kind, EventKind::LoggedIn);
//! assert_eq!(ev.reply.unwrap().code().get(), 230);
//! # Ok::<(), ftp_reply::client::ClientError>(())
//! ```

#[cfg(feature = "embedded-io")]
mod blocking;
mod queue;
mod types;

#[cfg(feature = "embedded-io")]
#[cfg_attr(docsrs, doc(cfg(feature = "embedded-io")))]
pub use blocking::{Session, SessionError};
pub use types::{
    ClientError, CloseReason, DataTarget, Event, EventKind, FailReason, Failure, FeatureSet,
    Waiting,
};

use core::net::{IpAddr, SocketAddr};

use crate::error::{Error, ErrorKind, PayloadError};
use crate::payload::{self, PassiveConcern, Timestamp};
use crate::{Class, Command, Decoder, ParserConfig, Reply, ReplyCode};
use queue::TxQueue;

/// What the command in flight (or the next one) is, for reading its reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
enum Step {
    /// No operation.
    Idle,
    User,
    Pass,
    Acct,
    Feat,
    Opts,
    /// One command, one final reply (TYPE, CWD, SIZE, raw, ...).
    Single,
    Rnfr,
    Rnto,
    Epsv,
    Pasv,
    /// Waiting for the caller to connect the data connection.
    Connect,
    Rest,
    /// The transfer command is out: a 1xx (or a final reply) is next.
    Start,
    /// After the 1xx: the final reply and the end of the data.
    Running,
    Quit,
    Closed,
}

/// Reads a reply to the running operation. Each operation sets its own
/// when it starts, so a firmware links the reply handling (and the payload
/// parsers) of the operations it starts, not of all of them.
type Handler<const T: usize> = fn(&mut Core<T>, &Reply<'_>) -> Option<Emit>;

/// Reads the value of a positive reply: `None` when its code is not the
/// one that carries the value (the operation fails as refused).
type ReadValue = for<'a> fn(&Reply<'a>) -> Option<Result<EventKind<'a>, Error>>;

/// An event decided on, before the reply it lends is borrowed again.
#[derive(Debug, Clone)]
enum Emit {
    Kind(EventKind<'static>),
    /// The value `read` takes out of the reply (it did once already).
    Lend(ReadValue),
}

/// Flags of a transfer and of the session.
mod flag {
    pub const GREETED: u8 = 1;
    pub const PASV_ONLY: u8 = 1 << 1;
    pub const TRUST_OFFERED: u8 = 1 << 2;
    pub const DATA_END: u8 = 1 << 3;
    pub const DATA_FAILED: u8 = 1 << 4;
    pub const FINAL_OK: u8 = 1 << 5;
    /// The greeting was a 230: the session is logged in already, and the
    /// next `login` sends nothing.
    pub const LOGGED_IN: u8 = 1 << 6;
    /// The control connection ended: the session closes once the replies
    /// received before its end are read.
    pub const EOF: u8 = 1 << 7;
}

/// The engine without its decoder, so that it can read a reply that
/// borrows the decoder.
#[derive(Debug, Clone)]
struct Core<const T: usize> {
    tx: TxQueue<T>,
    peer: IpAddr,
    step: Step,
    handler: Handler<T>,
    /// The command of the operation (the transfer command for a transfer),
    /// for [`Failure::command`].
    command: Option<Command>,
    flags: u8,
    /// [`FeatureSet::bits`].
    features: u8,
    /// An event that no reply caused (the data connection's end, a timer),
    /// given out first by the next `poll_event`.
    pending: Pending,
    /// A reply that came after a transfer's 226, before its data's end
    /// (a 421, a 221, any reply no command asked for): the session closes
    /// with it once the transfer ends; 0 for none (two bytes, not the four
    /// of an `Option`, keep the docs' size bound).
    closing: u16,
}

/// An event that no reply caused, kept small (no `Error`, no address).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Pending {
    None,
    /// `login` after a 230 greeting.
    LoggedIn,
    TransferDone,
    DataFailed(Option<Command>),
    TimedOut(Waiting),
}

impl Pending {
    const fn is_close(self) -> bool {
        matches!(self, Pending::TimedOut(_))
    }

    fn event(self) -> Option<EventKind<'static>> {
        Some(match self {
            Pending::None => return None,
            Pending::LoggedIn => EventKind::LoggedIn,
            Pending::TransferDone => EventKind::TransferDone,
            Pending::DataFailed(command) => EventKind::Failed(Failure {
                command,
                code: None,
                reason: FailReason::DataConnection,
            }),
            Pending::TimedOut(w) => EventKind::Closed(CloseReason::TimedOut(w)),
        })
    }
}

/// A sans-IO FTP client session over a control connection to `peer`.
///
/// `N` is the reply buffer ([`Decoder<N>`](crate::Decoder)); a reply longer
/// than that still comes out, truncated, and the engine acts on its code
/// (a 320-byte Pure-FTPd banner through `N = 64` logs in:
/// `login_banner_longer_than_the_buffer` in `tests/client_sessions.rs`).
/// `T` is the transmit buffer: the longest command line an operation queues, plus
/// the lines it sends later (USER + PASS + ACCT for a login; EPSV, or
/// PASV, + REST + RETR for a resumed retrieve). An argument that does not fit is refused when
/// the operation starts ([`ClientError::Argument`], `BufferFull`).
#[derive(Clone)]
pub struct Client<const N: usize, const T: usize = 96> {
    dec: Decoder<N>,
    core: Core<T>,
}

/// Whether `Client<N>` keeps the docs' bound (`N + 256`; 64-bit takes 247
/// to 251 bytes over `N` for the N measured, 32-bit 203 to 204).
const fn within_bound<const N: usize>() -> bool {
    core::mem::size_of::<Client<N>>() < N + 256
}

// Odd and even sizes, since padding depends on N.
const _: () = assert!(
    within_bound::<1>()
        && within_bound::<255>()
        && within_bound::<512>()
        && within_bound::<513>()
        && within_bound::<1021>()
        && within_bound::<4096>()
);

/// What the engine waits for, what FEAT offered and its reply buffer's
/// fill, not the bytes, as its `defmt::Format` does.
impl<const N: usize, const T: usize> core::fmt::Debug for Client<N, T> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.debug_struct("Client")
            .field("waiting", &self.waiting())
            .field("features", &self.features())
            .field("buffered", &self.buffered())
            .finish()
    }
}

impl<const N: usize, const T: usize> Client<N, T> {
    /// A session on a fresh control connection to `peer` (the address the
    /// caller connected to). The server's greeting is the first reply
    /// read; an operation started before it waits for it.
    #[must_use]
    pub const fn new(peer: IpAddr) -> Self {
        Self::with_config(peer, ParserConfig::new())
    }

    /// [`new`](Self::new) with a parser configuration (lenient block
    /// closing, a line limit).
    #[must_use]
    #[inline(always)]
    pub const fn with_config(peer: IpAddr, config: ParserConfig) -> Self {
        Client {
            dec: Decoder::with_config(config),
            core: Core {
                tx: TxQueue::new(),
                peer,
                step: Step::Idle,
                handler: Core::on_nothing,
                command: None,
                flags: 0,
                features: 0,
                pending: Pending::None,
                closing: 0,
            },
        }
    }

    /// Connect the data connection to the address a 227 offers instead of
    /// the control peer (off by default). Use it only for a server whose
    /// data connections come from another host you trust: a 227 can name
    /// any address (CVE-2020-8284). A 227 naming `0.0.0.0` names no host,
    /// and still connects to the control peer.
    pub fn trust_offered_address(&mut self, on: bool) {
        self.core.set(flag::TRUST_OFFERED, on);
    }

    /// The control connection's peer, as given to [`new`](Self::new).
    #[must_use]
    pub const fn peer(&self) -> IpAddr {
        self.core.peer
    }

    /// What the server's FEAT reply offered (empty before
    /// [`feat`](Self::feat) has run). Whether the session has fallen back
    /// from EPSV to PASV is [`passive_fallback`](Self::passive_fallback).
    #[must_use]
    pub const fn features(&self) -> FeatureSet {
        self.core.features()
    }

    /// Send PASV, not EPSV, from the next transfer on: for a server whose
    /// EPSV answer is not usable (a NAT that forwards PASV's ports only).
    /// The session falls back on its own when EPSV is refused with a 5xx,
    /// answered with a 3xx, or with a 2xx other than a 229 whose address
    /// cannot be read
    /// (a 227 it can read is taken as PASV's answer, with no fall-back),
    /// or its port cannot be reached (see the [module](self) doc); a 229
    /// it cannot read fails the transfer instead.
    pub fn use_pasv(&mut self) {
        self.core.set(flag::PASV_ONLY, true);
    }

    /// True when the session sends PASV: it fell back (EPSV refused with a
    /// 5xx, answered with a 3xx or with a 2xx other than a 229 whose
    /// address could not be read, or its port could not be reached), or
    /// [`use_pasv`](Self::use_pasv) asked for it.
    #[must_use]
    pub const fn passive_fallback(&self) -> bool {
        self.core.flags & flag::PASV_ONLY != 0
    }

    /// True when no operation runs: another one may start.
    #[must_use]
    pub const fn is_idle(&self) -> bool {
        matches!(self.core.step, Step::Idle)
            && matches!(self.core.pending, Pending::None)
            && !self.core.has(flag::EOF)
    }

    /// True once the session is closed (after its `Closed` event).
    #[must_use]
    pub const fn is_closed(&self) -> bool {
        matches!(self.core.step, Step::Closed)
    }

    /// How many received bytes the engine holds (replies not read yet, or
    /// the part of one received so far): 0 once `poll_event` has returned
    /// `None` after the session closed or began closing, as nothing more
    /// is read.
    #[must_use]
    pub const fn buffered(&self) -> usize {
        self.dec.len()
    }

    /// What the engine waits for now, for the caller's timer.
    #[must_use]
    pub fn waiting(&self) -> Waiting {
        self.core.waiting()
    }

    /// Takes bytes received on the control connection and returns how many
    /// it took. Fewer than `bytes.len()` means the reply buffer is full:
    /// take events out with [`poll_event`](Self::poll_event) until it
    /// returns `None`, then give the rest. After the session is closed, or
    /// once it is closing ([`control_closed`](Self::control_closed), or a
    /// reply no command asked for after a transfer's 226), bytes are taken
    /// and ignored.
    #[must_use = "the bytes not taken must be given again"]
    pub fn receive(&mut self, bytes: &[u8]) -> usize {
        if self.core.step == Step::Closed || self.core.has(flag::EOF) {
            return bytes.len();
        }
        self.dec.push(bytes)
    }

    /// Lets `read` write received bytes straight into the reply buffer (a
    /// socket's `read`), as [`Decoder::fill`](crate::Decoder::fill). Call
    /// it once [`poll_event`](Self::poll_event) has returned `None`: `read`
    /// is then given room for at least one byte, so its `Ok(0)` means the
    /// end of the stream. After the session is closed, or once it is
    /// closing (the control connection's end reported, or a reply no
    /// command asked for after a transfer's 226) and `poll_event` has
    /// returned `None`, what `read` writes is dropped.
    ///
    /// # Errors
    /// Whatever `read` returns.
    pub fn receive_with<E>(
        &mut self,
        read: impl FnOnce(&mut [u8]) -> Result<usize, E>,
    ) -> Result<usize, E> {
        if self.core.step == Step::Closed || self.core.has(flag::EOF) {
            if self.core.step != Step::Closed && !self.dec.is_empty() {
                // Replies received before the end still wait in the buffer
                // (`poll_event` empties it once they are read).
                return read(&mut []);
            }
            // The buffer holds nothing that will be read again.
            self.dec.clear();
            let n = self.dec.fill(read);
            self.dec.clear();
            return n;
        }
        self.dec.fill(read)
    }

    /// The bytes to send on the control connection now (empty when there
    /// is nothing to send). Say how many were written with
    /// [`sent`](Self::sent).
    ///
    /// Send them once [`poll_event`](Self::poll_event) has returned `None`
    /// since the last bytes were received: a reply received before its
    /// command went out, but read after, would pass for its answer (the
    /// engine tells replies from commands by the order it reads them in).
    ///
    /// Empty once the control connection's end is reported
    /// ([`control_closed`](Self::control_closed)), even before
    /// `poll_event` gives the `Closed` event.
    #[must_use]
    #[inline(never)]
    pub fn transmit(&self) -> &[u8] {
        if self.core.has(flag::EOF) {
            return &[];
        }
        self.core.tx.out()
    }

    /// `n` bytes of [`transmit`](Self::transmit) were written.
    pub fn sent(&mut self, n: usize) {
        self.core.tx.taken(n);
    }

    /// The next event, or `None` when the engine needs bytes (received, or
    /// taken out with [`transmit`](Self::transmit)) or a data-connection
    /// report. The event borrows the engine until the next call.
    #[must_use = "an event is given once and lost if dropped"]
    pub fn poll_event(&mut self) -> Option<Event<'_>> {
        let pending = core::mem::replace(&mut self.core.pending, Pending::None);
        if let Some(kind) = pending.event() {
            if pending.is_close() {
                self.core.close();
            }
            return Some(Event { kind, reply: None });
        }
        loop {
            if self.core.step == Step::Closed {
                // Nothing received is read any more (`buffered` says 0).
                self.dec.clear();
                return None;
            }
            let Some(found) = self.dec.poll() else {
                if self.core.has(flag::EOF) {
                    // Nothing after the end (or after a reply that closes
                    // the session) is read: a line begun is dropped, and
                    // the buffer has room for `receive_with`'s reader.
                    self.dec.clear();
                }
                // Every reply received is read: the end of the control
                // connection comes after them.
                let kind = self.core.end_of_stream()?;
                return Some(Event { kind, reply: None });
            };
            let emit = match found {
                Ok(ready) => {
                    let reply = self.dec.reply(ready);
                    self.core.on_reply(&reply)
                }
                Err(e) => self.core.on_error(e, self.dec.last_error_is_text()),
            };
            if let Some(emit) = emit {
                return Some(self.lend(emit));
            }
        }
    }

    /// The event for `emit`, with the reply that caused it.
    fn lend(&self, emit: Emit) -> Event<'_> {
        let reply = self.dec.handed_out();
        let kind = match (emit, reply) {
            (Emit::Kind(kind), _) => kind,
            (Emit::Lend(read), Some(r)) => match read(&r) {
                Some(Ok(kind)) => kind,
                Some(Err(e)) => self.core.malformed(e),
                None => EventKind::Done,
            },
            (Emit::Lend(_), None) => EventKind::Done,
        };
        Event { kind, reply }
    }

    /// The data connection is open (after a `Connect` event): the engine
    /// sends the transfer command (after REST, for a resumed retrieve).
    ///
    /// # Errors
    /// [`ClientError::NoTransfer`] when no `Connect` event is waiting for it.
    pub fn data_connected(&mut self) -> Result<(), ClientError> {
        self.core.data_connected()
    }

    /// The data connection reached its end: end of stream on a retrieve or
    /// listing, or, on a store, the caller wrote the last byte and closed
    /// its side. The transfer is done once this and the final reply (226 or
    /// 250) have both happened, in either order.
    ///
    /// # Errors
    /// [`ClientError::NoTransfer`] when no transfer runs, or before
    /// [`data_connected`](Self::data_connected) (there is no data
    /// connection to end yet).
    pub fn data_end(&mut self) -> Result<(), ClientError> {
        self.core.data_end(false)
    }

    /// The data connection failed (could not connect, reset, closed before
    /// its end). The transfer fails with [`FailReason::DataConnection`]
    /// once the server has answered with its 226 or 250 (the data is lost
    /// all the same; a 4xx or 5xx in their place fails it as that
    /// refusal, [`FailReason::Refused`]); before anything of REST or of the transfer
    /// command went out, at once, and neither is sent (a STOR would create
    /// or empty the file); after REST went out, at its 350, and the
    /// transfer command is not sent; when the connection never opened, at once, but
    /// for a 229's port while the control connection lasts (no
    /// [`control_closed`](Self::control_closed)): then PASV goes out in
    /// EPSV's place (and for the
    /// rest of the session, [`passive_fallback`](Self::passive_fallback)),
    /// and a second [`EventKind::Connect`] follows its 227, as curl does
    /// for a firewall or NAT that lets PASV's ports through only.
    ///
    /// # Errors
    /// [`ClientError::NoTransfer`] when no transfer runs, or before its
    /// [`EventKind::Connect`] (EPSV or PASV not yet answered).
    pub fn data_failed(&mut self) -> Result<(), ClientError> {
        self.core.data_end(true)
    }

    /// The control connection reached its end (or failed). The session is
    /// closed: no operation starts any more ([`ClientError::Closed`]). The
    /// events of what came before it still come out first (the replies
    /// received, a transfer's end already reported), then `Closed`:
    /// [`CloseReason::Quit`] after QUIT was sent, else
    /// [`CloseReason::ConnectionLost`] (unless the session closed for
    /// another reason first, such as a timer).
    pub fn control_closed(&mut self) {
        if self.core.step != Step::Closed {
            self.core.set(flag::EOF, true);
        }
    }

    /// The caller's timer fired: returns what the engine was waiting for.
    /// When it was waiting for anything at all, the session is closed
    /// ([`CloseReason::TimedOut`], the next event): a reply that comes late
    /// could no longer be paired with its command.
    pub fn timer_fired(&mut self) -> Waiting {
        let waiting = self.core.waiting();
        if !matches!(waiting, Waiting::Nothing | Waiting::Closed) {
            self.core.tx.clear();
            self.core.pending = Pending::TimedOut(waiting);
        }
        waiting
    }

    // The operations.

    /// Logs in: USER, then PASS when the server asks (331), and ACCT when it
    /// asks for an account (332). A 2xx right after USER (a 230, or a 202:
    /// "superfluous") logs in without a password. Waits for the greeting
    /// (a 120 first is fine) when it has not come yet. Gives `LoggedIn`,
    /// or `Failed`. After a greeting of 230 (logged in already, as curl
    /// reads it: a server that trusts the client's address), the first
    /// login sends nothing and gives `LoggedIn`.
    ///
    /// An empty password is sent as `PASS SP CRLF`, the space kept, as curl
    /// and Python's ftplib send it (every other empty argument is none, as
    /// [`Command::write_to`] writes it): RFC 959 has no empty password, and
    /// a server that takes one reads it after the space; a server split at
    /// the space finds an empty one there, not a missing one.
    ///
    /// # Errors
    /// [`ClientError`]: busy, closed, or an argument with CR, LF or NUL, or
    /// too long for the transmit buffer (all three lines must fit).
    pub fn login(
        &mut self,
        user: &[u8],
        pass: &[u8],
        account: Option<&[u8]>,
    ) -> Result<(), ClientError> {
        self.core.begin()?;
        let q = &mut self.core.tx;
        q.push(Command::User, Some(user))
            .and_then(|()| q.push(Command::Pass, Some(pass)))
            .and_then(|()| match account {
                Some(a) => q.push(Command::Acct, Some(a)),
                None => Ok(()),
            })
            .map_err(|e| self.core.refuse(e))?;
        // After a 230 greeting: the arguments are checked as ever, and
        // nothing is sent.
        if self.core.has(flag::LOGGED_IN) {
            self.core.tx.clear();
            self.core.set(flag::LOGGED_IN, false);
            self.core.pending = Pending::LoggedIn;
            return Ok(());
        }
        self.core
            .start(Step::User, Some(Command::User), Core::on_login);
        Ok(())
    }

    /// FEAT (RFC 2389), then `OPTS UTF8 ON` when UTF8 is offered (RFC
    /// 2640). Remembers EPSV, MLST, SIZE, MDTM, REST STREAM and UTF8
    /// ([`features`](Self::features)). Gives `Features` (empty when the
    /// server has no FEAT: 500 or 502), or `Failed` on another error reply
    /// or one it cannot read.
    ///
    /// # Errors
    /// [`ClientError::Busy`] or [`ClientError::Closed`].
    pub fn feat(&mut self) -> Result<(), ClientError> {
        self.single(Step::Feat, Command::Feat, None, Core::on_feat)
    }

    /// `TYPE I`: binary transfers. Gives `Done` or `Failed`.
    ///
    /// # Errors
    /// [`ClientError::Busy`] or [`ClientError::Closed`].
    pub fn binary(&mut self) -> Result<(), ClientError> {
        self.single(Step::Single, Command::Type, Some(b"I"), Core::on_done)
    }

    /// RETR `path`, from byte `offset` when it is not 0 (`REST offset`
    /// first, RFC 3659). Gives `Connect`, `TransferStarted`, then
    /// `TransferDone` or `Failed`.
    ///
    /// # Errors
    /// [`ClientError`], as [`login`](Self::login).
    pub fn retrieve(&mut self, path: &[u8], offset: u64) -> Result<(), ClientError> {
        self.transfer(Command::Retr, Some(path), offset)
    }

    /// STOR `path`: after `TransferStarted`, write the file on the data
    /// connection, close it, and call [`data_end`](Self::data_end).
    ///
    /// # Errors
    /// [`ClientError`], as [`login`](Self::login).
    pub fn store(&mut self, path: &[u8]) -> Result<(), ClientError> {
        self.transfer(Command::Stor, Some(path), 0)
    }

    /// APPE `path`, as [`store`](Self::store).
    ///
    /// # Errors
    /// [`ClientError`], as [`login`](Self::login).
    pub fn append(&mut self, path: &[u8]) -> Result<(), ClientError> {
        self.transfer(Command::Appe, Some(path), 0)
    }

    /// LIST, of `path` or the working directory, on the data connection.
    ///
    /// # Errors
    /// [`ClientError`], as [`login`](Self::login).
    pub fn list(&mut self, path: Option<&[u8]>) -> Result<(), ClientError> {
        self.transfer(Command::List, path, 0)
    }

    /// NLST, as [`list`](Self::list).
    ///
    /// # Errors
    /// [`ClientError`], as [`login`](Self::login).
    pub fn nlst(&mut self, path: Option<&[u8]>) -> Result<(), ClientError> {
        self.transfer(Command::Nlst, path, 0)
    }

    /// MLSD (RFC 3659), as [`list`](Self::list).
    ///
    /// # Errors
    /// [`ClientError`], as [`login`](Self::login).
    pub fn mlsd(&mut self, path: Option<&[u8]>) -> Result<(), ClientError> {
        self.transfer(Command::Mlsd, path, 0)
    }

    /// MLST (RFC 3659): gives `Entry` with the facts of `path`.
    ///
    /// # Errors
    /// [`ClientError`], as [`login`](Self::login).
    pub fn mlst(&mut self, path: Option<&[u8]>) -> Result<(), ClientError> {
        self.single(
            Step::Single,
            Command::Mlst,
            path,
            Core::on_value::<EntryValue>,
        )
    }

    /// SIZE (RFC 3659): gives `Size`.
    ///
    /// # Errors
    /// [`ClientError`], as [`login`](Self::login).
    pub fn size(&mut self, path: &[u8]) -> Result<(), ClientError> {
        self.single(
            Step::Single,
            Command::Size,
            Some(path),
            Core::on_value::<SizeValue>,
        )
    }

    /// MDTM (RFC 3659): gives `Modified`.
    ///
    /// # Errors
    /// [`ClientError`], as [`login`](Self::login).
    pub fn mdtm(&mut self, path: &[u8]) -> Result<(), ClientError> {
        self.single(
            Step::Single,
            Command::Mdtm,
            Some(path),
            Core::on_value::<TimeValue>,
        )
    }

    /// CWD: gives `Done`.
    ///
    /// # Errors
    /// [`ClientError`], as [`login`](Self::login).
    pub fn cwd(&mut self, path: &[u8]) -> Result<(), ClientError> {
        self.single(Step::Single, Command::Cwd, Some(path), Core::on_done)
    }

    /// CDUP: gives `Done`.
    ///
    /// # Errors
    /// [`ClientError::Busy`] or [`ClientError::Closed`].
    pub fn cdup(&mut self) -> Result<(), ClientError> {
        self.single(Step::Single, Command::Cdup, None, Core::on_done)
    }

    /// PWD: gives `Path`.
    ///
    /// # Errors
    /// [`ClientError::Busy`] or [`ClientError::Closed`].
    pub fn pwd(&mut self) -> Result<(), ClientError> {
        self.single(
            Step::Single,
            Command::Pwd,
            None,
            Core::on_value::<PathValue>,
        )
    }

    /// MKD: gives `Path` (the 257's), or `Done` when the server answers
    /// with another positive code, or with a 257 that quotes no name at
    /// all (BusyBox ftpd writes `257 Operation successful`, libunftp the
    /// bare path, `257 /new`, and old UNIX ftpd `257 MKD command
    /// successful.`): the directory was made, and its
    /// name is the one sent. A quoted name that cannot be read (a CR
    /// inside it, no closing quote) still fails the command, as for PWD.
    ///
    /// # Errors
    /// [`ClientError`], as [`login`](Self::login).
    pub fn mkd(&mut self, path: &[u8]) -> Result<(), ClientError> {
        self.single(
            Step::Single,
            Command::Mkd,
            Some(path),
            Core::on_value::<MadeValue>,
        )
    }

    /// RMD: gives `Done`.
    ///
    /// # Errors
    /// [`ClientError`], as [`login`](Self::login).
    pub fn rmd(&mut self, path: &[u8]) -> Result<(), ClientError> {
        self.single(Step::Single, Command::Rmd, Some(path), Core::on_done)
    }

    /// DELE: gives `Done`.
    ///
    /// # Errors
    /// [`ClientError`], as [`login`](Self::login).
    pub fn dele(&mut self, path: &[u8]) -> Result<(), ClientError> {
        self.single(Step::Single, Command::Dele, Some(path), Core::on_done)
    }

    /// RNFR `from`, then RNTO `to` after its 350: gives `Done`.
    ///
    /// # Errors
    /// [`ClientError`], as [`login`](Self::login) (both lines must fit).
    pub fn rename(&mut self, from: &[u8], to: &[u8]) -> Result<(), ClientError> {
        self.core.begin()?;
        let q = &mut self.core.tx;
        q.push(Command::Rnfr, Some(from))
            .and_then(|()| q.push(Command::Rnto, Some(to)))
            .map_err(|e| self.core.refuse(e))?;
        self.core
            .start(Step::Rnfr, Some(Command::Rnfr), Core::on_rename);
        Ok(())
    }

    /// NOOP: gives `Done`.
    ///
    /// # Errors
    /// [`ClientError::Busy`] or [`ClientError::Closed`].
    pub fn noop(&mut self) -> Result<(), ClientError> {
        self.single(Step::Single, Command::Noop, None, Core::on_done)
    }

    /// QUIT: gives `Closed(Quit)` on the server's reply (or when the
    /// control connection closes).
    ///
    /// # Errors
    /// [`ClientError::Busy`] or [`ClientError::Closed`].
    pub fn quit(&mut self) -> Result<(), ClientError> {
        self.single(Step::Quit, Command::Quit, None, Core::on_quit)
    }

    /// Any other command: `line` is the command and its arguments, without
    /// CRLF (`SITE CHMOD 644 f`). Preliminary replies are skipped; the
    /// final one gives `Done` (2xx, 3xx) or `Failed` (4xx, 5xx), and lends
    /// the reply either way. It must not open a data connection or change
    /// the session's state behind the engine, so the commands that would
    /// are refused: USER, PASS, ACCT, REIN and QUIT; PASV, EPSV, PORT,
    /// EPRT, REST and the transfers (RETR, STOR, STOU, APPE, LIST, NLST,
    /// MLSD); AUTH and CCC.
    ///
    /// # Errors
    /// [`ClientError::Busy`] or [`ClientError::Closed`] first, then
    /// [`ClientError::EngineCommand`] for those commands (in any letter
    /// case), then [`ClientError::Argument`], as [`login`](Self::login).
    pub fn raw(&mut self, line: &[u8]) -> Result<(), ClientError> {
        self.core.begin()?;
        let name = line.split(|b| *b == b' ').next().unwrap_or_default();
        let cmd = Command::from_name(name);
        if let Some(c) = cmd
            && matches!(
                c,
                Command::User
                    | Command::Pass
                    | Command::Acct
                    | Command::Rein
                    | Command::Quit
                    | Command::Pasv
                    | Command::Epsv
                    | Command::Port
                    | Command::Eprt
                    | Command::Rest
                    | Command::Retr
                    | Command::Stor
                    | Command::Stou
                    | Command::Appe
                    | Command::List
                    | Command::Nlst
                    | Command::Mlsd
                    | Command::Auth
                    | Command::Ccc
            )
        {
            return Err(ClientError::EngineCommand(c));
        }
        self.core
            .tx
            .push_raw(line)
            .map_err(|e| self.core.refuse(e))?;
        self.core.start(Step::Single, cmd, Core::on_raw);
        Ok(())
    }

    fn single(
        &mut self,
        step: Step,
        cmd: Command,
        arg: Option<&[u8]>,
        handler: Handler<T>,
    ) -> Result<(), ClientError> {
        self.core.begin()?;
        self.core
            .tx
            .push(cmd, arg)
            .map_err(|e| self.core.refuse(e))?;
        self.core.start(step, Some(cmd), handler);
        Ok(())
    }

    fn transfer(
        &mut self,
        cmd: Command,
        arg: Option<&[u8]>,
        offset: u64,
    ) -> Result<(), ClientError> {
        self.core.begin()?;
        let passive = self.core.passive_command();
        let q = &mut self.core.tx;
        let mut digits = [0u8; 20];
        // The lines wait in the order they go out: EPSV (or PASV), REST
        // when resuming, the transfer command.
        q.push(passive, None)
            .and_then(|()| match offset {
                0 => Ok(()),
                n => q.push(Command::Rest, Some(format_u64(n, &mut digits))),
            })
            .and_then(|()| q.push(cmd, arg))
            .map_err(|e| self.core.refuse(e))?;
        let step = if passive == Command::Epsv {
            Step::Epsv
        } else {
            Step::Pasv
        };
        self.core.start(step, Some(cmd), Core::on_transfer);
        Ok(())
    }
}

impl<const T: usize> Core<T> {
    fn set(&mut self, f: u8, on: bool) {
        if on {
            self.flags |= f;
        } else {
            self.flags &= !f;
        }
    }

    const fn has(&self, f: u8) -> bool {
        self.flags & f != 0
    }

    /// Checks that an operation may start.
    fn begin(&mut self) -> Result<(), ClientError> {
        match self.step {
            Step::Closed => Err(ClientError::Closed),
            _ if self.pending.is_close() || self.has(flag::EOF) => Err(ClientError::Closed),
            Step::Idle if self.pending == Pending::None => Ok(()),
            _ => Err(ClientError::Busy),
        }
    }

    fn refuse(&mut self, e: Error) -> ClientError {
        self.tx.clear();
        ClientError::Argument(e)
    }

    /// The operation's lines are queued: send the first once greeted.
    fn start(&mut self, step: Step, command: Option<Command>, handler: Handler<T>) {
        self.step = step;
        self.command = command;
        self.handler = handler;
        self.set(flag::DATA_END | flag::DATA_FAILED | flag::FINAL_OK, false);
        if self.has(flag::GREETED) {
            self.tx.release();
        }
    }

    fn passive_command(&self) -> Command {
        if self.has(flag::PASV_ONLY) {
            Command::Pasv
        } else {
            Command::Epsv
        }
    }

    fn close(&mut self) {
        self.step = Step::Closed;
        self.tx.clear();
        self.pending = Pending::None;
    }

    /// The `Closed` event once the control connection has ended and every
    /// reply received before its end is read.
    fn end_of_stream(&mut self) -> Option<EventKind<'static>> {
        if !self.has(flag::EOF) || self.step == Step::Closed || self.confirmed_before_data_end() {
            // A 226 came before the control connection's end: the
            // transfer ends (with `data_end`) before the session does.
            return None;
        }
        // QUIT asked for but not (wholly) sent: the server did not end the
        // session on it.
        let reason = if self.closing == 421 {
            CloseReason::ServiceClosing(ReplyCode::stored(421))
        } else if self.closing != 0 {
            CloseReason::Unexpected(ReplyCode::stored(self.closing))
        } else if self.step == Step::Quit && self.tx.is_sent() {
            CloseReason::Quit
        } else {
            CloseReason::ConnectionLost
        };
        self.close();
        Some(EventKind::Closed(reason))
    }

    /// A reply (or a line with a code) after a transfer's 226, before its
    /// data's end: the session closes with the first such code once the
    /// transfer ends ([`end_of_stream`](Self::end_of_stream)).
    fn close_after_data(&mut self, code: u16) -> Option<Emit> {
        if self.closing == 0 {
            self.closing = code;
        }
        self.set(flag::EOF, true);
        None
    }

    #[inline(never)]
    fn closed(&mut self, reason: CloseReason) -> Option<Emit> {
        self.close();
        // The event is made first and `reason` written into it in place:
        // `Some(Emit::Kind(EventKind::Closed(reason)))` moves the reason
        // through a temporary that starts at the event's 2-byte tag, two
        // `memcpy` calls at 2-byte alignment, and the only ones in a
        // firmware that links the login and a transfer (`size-client`:
        // the `memcpy` is 742 bytes of flash).
        let mut out = Some(Emit::Kind(EventKind::Closed(CloseReason::Quit)));
        if let Some(Emit::Kind(EventKind::Closed(r))) = &mut out {
            *r = reason;
        }
        out
    }

    /// The operation ends with `kind`, built in the caller's return slot
    /// (an event moved through a call is a `memcpy`: flash).
    #[inline(always)]
    fn finish(&mut self, kind: EventKind<'static>) -> Option<Emit> {
        self.end();
        Some(Emit::Kind(kind))
    }

    /// The operation ends.
    #[inline(never)]
    fn end(&mut self) {
        self.step = Step::Idle;
        self.tx.clear();
    }

    #[inline(never)]
    fn fail(&mut self, code: Option<ReplyCode>, reason: FailReason) -> Option<Emit> {
        // During REST the operation's command is still the transfer's.
        let command = if self.step == Step::Rest {
            Some(Command::Rest)
        } else {
            self.command
        };
        self.finish(EventKind::Failed(Failure {
            command,
            code,
            reason,
        }))
    }

    fn malformed(&self, e: Error) -> EventKind<'static> {
        EventKind::Failed(Failure {
            command: self.command,
            code: e.code(),
            reason: FailReason::Malformed(e),
        })
    }

    /// True when the server confirmed a transfer whose data has not ended:
    /// the control connection's end waits for the data's.
    const fn confirmed_before_data_end(&self) -> bool {
        matches!(self.step, Step::Running) && self.has(flag::FINAL_OK) && !self.has(flag::DATA_END)
    }

    fn waiting(&self) -> Waiting {
        if self.pending.is_close() || self.has(flag::EOF) && !self.confirmed_before_data_end() {
            return Waiting::Closed;
        }
        match self.step {
            Step::Closed => Waiting::Closed,
            _ if !self.has(flag::GREETED) => Waiting::Greeting,
            Step::Idle => Waiting::Nothing,
            Step::Connect => Waiting::DataConnection,
            Step::Running => Waiting::TransferEnd {
                reply: !self.has(flag::FINAL_OK),
                data: !self.has(flag::DATA_END),
            },
            _ => Waiting::Reply(self.tx.current()),
        }
    }

    /// A reply the decoder gave: what the engine does, and the event it
    /// gives, if any.
    fn on_reply(&mut self, reply: &Reply<'_>) -> Option<Emit> {
        let code = reply.code();
        if code.get() == 421 && !self.confirmed_before_data_end() {
            return self.closed(CloseReason::ServiceClosing(code));
        }
        if !self.has(flag::GREETED) {
            return self.on_greeting(reply);
        }
        if code.get() == 220 {
            // Only the connection's start and REIN have a 220 (RFC 959
            // 5.4), and the engine never sends REIN (`raw` refuses it): a
            // 220 after the greeting is more greeting, sent as a reply of
            // its own (ESP8266 nodemcu-lua's FTP server greets with two
            // one-line 220s). It answers nothing, whenever it comes.
            return None;
        }
        match self.step {
            Step::Closed => return None,
            // The transfer was confirmed (226) before this reply, which no
            // command asked for (a 421 or a 221 as the server gives up
            // right after it, or any other): the transfer ends with its
            // data, as when the server just hangs up, and the session
            // closes with this reply once it has (the first of them, when
            // more were received with it). Nothing more is read.
            Step::Running if self.has(flag::FINAL_OK) => return self.close_after_data(code.get()),
            Step::Running => {}
            // No command is out: nobody asked for this reply.
            Step::Idle | Step::Connect => return self.closed(CloseReason::Unexpected(code)),
            // The command is not (wholly) sent yet: the server answered
            // something else, or before it could know the command.
            _ if !self.tx.is_sent() => return self.closed(CloseReason::Unexpected(code)),
            // Only a transfer command and a raw one (and QUIT, which ends
            // the session anyway) may have a 1xx: to USER, PASS, FEAT,
            // RNFR, EPSV, REST, ... it is `preliminary`'s case.
            _ if code.class() == Class::PositivePreliminary
                && !matches!(self.step, Step::Start | Step::Single | Step::Quit) =>
            {
                return self.preliminary(code);
            }
            _ => {}
        }
        (self.handler)(self, reply)
    }

    /// No operation runs (never called: a reply then is unexpected).
    fn on_nothing(&mut self, reply: &Reply<'_>) -> Option<Emit> {
        self.closed(CloseReason::Unexpected(reply.code()))
    }

    fn on_login(&mut self, reply: &Reply<'_>) -> Option<Emit> {
        let code = reply.code();
        match (self.step, code.class()) {
            (Step::User | Step::Pass | Step::Acct, Class::PositiveCompletion) => {
                self.finish(EventKind::LoggedIn)
            }
            (Step::User, Class::PositiveIntermediate) if code.get() == 331 => {
                self.next_line(Step::Pass, Command::Pass);
                self.fail_unless(Step::Pass, code, FailReason::Refused)
            }
            (Step::User | Step::Pass, Class::PositiveIntermediate) if code.get() == 332 => {
                self.next_line(Step::Acct, Command::Acct);
                self.fail_unless(Step::Acct, code, FailReason::NoAccount)
            }
            _ => self.fail(Some(code), FailReason::Refused),
        }
    }

    fn on_feat(&mut self, reply: &Reply<'_>) -> Option<Emit> {
        if self.step == Step::Feat {
            return self.on_features(reply);
        }
        let mut set = self.features();
        if reply.code().class() == Class::PositiveCompletion {
            set.utf8_on = true;
            self.features = set.bits();
        }
        self.finish(EventKind::Features(set))
    }

    fn on_rename(&mut self, reply: &Reply<'_>) -> Option<Emit> {
        let code = reply.code();
        match (self.step, code.class()) {
            (Step::Rnfr, Class::PositiveIntermediate) => {
                self.next_line(Step::Rnto, Command::Rnto);
                self.fail_unless(Step::Rnto, code, FailReason::Refused)
            }
            (Step::Rnto, Class::PositiveCompletion) => self.finish(EventKind::Done),
            _ => self.fail(Some(code), FailReason::Refused),
        }
    }

    fn on_quit(&mut self, _: &Reply<'_>) -> Option<Emit> {
        self.closed(CloseReason::Quit)
    }

    /// One command whose positive reply says nothing more: `Done`.
    fn on_done(&mut self, reply: &Reply<'_>) -> Option<Emit> {
        match reply.code().class() {
            Class::PositivePreliminary => self.preliminary(reply.code()),
            Class::PositiveCompletion => self.finish(EventKind::Done),
            _ => self.fail(Some(reply.code()), FailReason::Refused),
        }
    }

    /// A 1xx to a command that has none (TYPE, CWD, NOOP, PWD, SIZE, ...):
    /// RFC 959's first state diagram (section 6) makes it an error, and
    /// the final reply it promises would answer nothing the engine sent.
    /// The session closes, as for any reply no command asked for.
    fn preliminary(&mut self, code: ReplyCode) -> Option<Emit> {
        self.closed(CloseReason::Unexpected(code))
    }

    /// A raw command: 2xx and 3xx are `Done`.
    fn on_raw(&mut self, reply: &Reply<'_>) -> Option<Emit> {
        match reply.code().class() {
            Class::PositivePreliminary => None,
            Class::PositiveCompletion | Class::PositiveIntermediate => self.finish(EventKind::Done),
            _ => self.fail(Some(reply.code()), FailReason::Refused),
        }
    }

    /// One command whose positive reply carries a value `V` reads.
    fn on_value<V: Value>(&mut self, reply: &Reply<'_>) -> Option<Emit> {
        self.value(reply, V::read)
    }

    /// `on_value`'s work, once for every `V` (flash).
    fn value(&mut self, reply: &Reply<'_>, read: ReadValue) -> Option<Emit> {
        let code = reply.code();
        match code.class() {
            Class::PositivePreliminary => return self.preliminary(code),
            Class::PositiveCompletion => {}
            _ => return self.fail(Some(code), FailReason::Refused),
        }
        let read_ok = match read(reply) {
            None => return self.fail(Some(code), FailReason::Refused),
            // No value (MKD answered with 250): cut or not, it is done.
            Some(Ok(EventKind::Done)) => Ok(()),
            // A reply the decoder cut holds no value to trust (a size cut
            // short is another size).
            Some(r) => reply.whole().and(r.map(drop)),
        };
        match read_ok {
            Ok(()) => {
                self.step = Step::Idle;
                self.tx.clear();
                Some(Emit::Lend(read))
            }
            Err(e) => self.fail(Some(code), FailReason::Malformed(e.with_code(Some(code)))),
        }
    }

    /// EPSV or PASV, REST, the transfer command and its end.
    fn on_transfer(&mut self, reply: &Reply<'_>) -> Option<Emit> {
        let code = reply.code();
        let class = code.class();
        match (self.step, class) {
            // Any refusal of EPSV (a 421 closed the session before this),
            // as curl: RFC 2428's 500, 502 and 522, the 501, 504 or 550 of
            // a server that has EPSV turned off, for the session; a 4xx
            // (425: no port free now) for this transfer only. A 3xx (a
            // 350, a 331) is no answer RFC 2428 gives EPSV and names no
            // port: a server that does not know EPSV, which answers it so
            // again, so for the session too (curl drops EPSV for the
            // connection on any answer but a 229).
            (Step::Epsv, Class::PermanentNegative | Class::PositiveIntermediate) => {
                self.fall_back_to_pasv(code, true)
            }
            (Step::Epsv, Class::TransientNegative) => self.fall_back_to_pasv(code, false),
            (Step::Epsv | Step::Pasv, Class::PositiveCompletion) => self.on_passive(reply),
            // The data connection failed while REST was answered: the
            // transfer line is not sent.
            (Step::Rest, Class::PositiveIntermediate) if self.has(flag::DATA_FAILED) => {
                self.step = Step::Start;
                self.fail(Some(code), FailReason::DataConnection)
            }
            (Step::Rest, Class::PositiveIntermediate) => {
                // The transfer line is next.
                self.tx.drop_current();
                self.step = Step::Start;
                self.tx.release();
                None
            }
            (Step::Start, Class::PositivePreliminary) => {
                if matches!(code.get(), 125 | 150) {
                    self.step = Step::Running;
                    self.tx.drop_current();
                    // The size a 150 says, if it says one; a malformed one
                    // is no size (the transfer goes on).
                    // A cut one is no size either.
                    let size = reply.transfer_size().ok().flatten();
                    Some(Emit::Kind(EventKind::TransferStarted(size)))
                } else {
                    None
                }
            }
            // RFC 959 (5.4) ends a transfer with 226 or 250 only: another
            // 2xx (a 200) does not say the file went whole, and curl
            // refuses it too ("server did not report OK").
            (Step::Start | Step::Running, Class::PositiveCompletion)
                if !matches!(code.get(), 226 | 250) =>
            {
                self.fail(Some(code), FailReason::Refused)
            }
            // A final reply with no 1xx: RFC 959 (5.4) puts 125 or 150
            // before RETR's, STOR's and APPE's 226, and a file that was
            // never opened did not go whole (curl and Python's ftplib
            // refuse it too).
            (Step::Start, Class::PositiveCompletion)
                if !matches!(
                    self.command,
                    Some(Command::List | Command::Nlst | Command::Mlsd)
                ) =>
            {
                self.fail(Some(code), FailReason::Refused)
            }
            (Step::Start, Class::PositiveCompletion) => {
                // A listing (some servers, for an empty directory): the
                // transfer started and the server is done.
                self.step = Step::Running;
                self.tx.drop_current();
                self.set(flag::FINAL_OK, true);
                if self.has(flag::DATA_END) {
                    self.pending = self.transfer_end();
                    self.step = Step::Idle;
                }
                Some(Emit::Kind(EventKind::TransferStarted(None)))
            }
            (Step::Running, Class::PositivePreliminary) => None,
            (Step::Running, Class::PositiveCompletion) => {
                self.set(flag::FINAL_OK, true);
                if !self.has(flag::DATA_END) {
                    None
                } else if self.has(flag::DATA_FAILED) {
                    // `transfer_end`'s `DataFailed`, built in place (an
                    // event moved is a `memcpy`: flash).
                    self.fail(None, FailReason::DataConnection)
                } else {
                    self.finish(EventKind::TransferDone)
                }
            }
            _ => self.fail(Some(code), FailReason::Refused),
        }
    }

    /// A decoder error stands for one whole reply that could not be read:
    /// it fails the operation the reply answers (or closes the session
    /// before the greeting). `text`: the error is a line whose first byte
    /// is no digit (an empty line, prose), which is no reply.
    fn on_error(&mut self, e: Error, text: bool) -> Option<Emit> {
        if self.confirmed_before_data_end() && !text {
            // After a transfer's 226, before its data's end: a line with a
            // code waits for the data's end as a reply does (`on_reply`),
            // and after the first, nothing is read. A line with no code
            // cannot wait (`closing` keeps a code): the session closes.
            return match e.code() {
                Some(code) => self.close_after_data(code.get()),
                None if self.closing != 0 => None,
                None => self.closed(CloseReason::Malformed(e)),
            };
        }
        if e.code().map(ReplyCode::get) == Some(421) {
            return self.closed(CloseReason::ServiceClosing(
                e.code().unwrap_or(ReplyCode::MIN),
            ));
        }
        match self.step {
            Step::Closed => None,
            _ if !self.has(flag::GREETED) => self.closed(CloseReason::Malformed(e)),
            // Text is no command's answer (`ErrorKind::InvalidCode` consumes
            // none), so pairing is intact: it is skipped, as curl skips it,
            // and the answer still to come is read as before.
            _ if text => None,
            Step::Idle | Step::Connect => self.closed(CloseReason::Malformed(e)),
            _ if self.step != Step::Running && !self.tx.is_sent() => {
                self.closed(CloseReason::Malformed(e))
            }
            Step::Quit => self.closed(CloseReason::Quit),
            // A broken 1xx (before a transfer, or to any other command):
            // its final reply is still to come, and would be unexpected;
            // close rather than guess.
            _ if e
                .code()
                .is_some_and(|c| c.class() == Class::PositivePreliminary) =>
            {
                self.closed(CloseReason::Malformed(e))
            }
            _ => self.fail(e.code(), FailReason::Malformed(e)),
        }
    }

    fn on_greeting(&mut self, reply: &Reply<'_>) -> Option<Emit> {
        let code = reply.code();
        match code.get() {
            // "Service ready in nnn minutes": the 220 follows.
            120 => None,
            // RFC 959's 220; a 230, logged in already (curl takes it so);
            // a 200 (Conpot's and fake_ftp's greeting; ftplib takes any
            // positive reply).
            200 | 220 | 230 => {
                self.set(flag::GREETED, true);
                if code.get() == 230 {
                    if self.step == Step::User {
                        // The login waiting for the greeting is done.
                        return self.finish(EventKind::LoggedIn);
                    }
                    self.set(flag::LOGGED_IN, true);
                }
                if self.step != Step::Idle {
                    self.tx.release();
                }
                None
            }
            _ => self.closed(CloseReason::Refused(code)),
        }
    }

    const fn features(&self) -> FeatureSet {
        FeatureSet::from_bits(self.features)
    }

    fn on_features(&mut self, reply: &Reply<'_>) -> Option<Emit> {
        let code = reply.code();
        let mut set = FeatureSet::EMPTY;
        if code.get() == 211
            && let Some(f) = reply.features()
        {
            for feature in f.iter() {
                let name = feature.name;
                let is = |n: &str| name.eq_ignore_ascii_case(n.as_bytes());
                if is("EPSV") {
                    set.epsv = true;
                } else if is("MLST") {
                    set.mlst = true;
                } else if is("SIZE") {
                    set.size = true;
                } else if is("MDTM") {
                    set.mdtm = true;
                } else if is("UTF8") {
                    set.utf8 = true;
                } else if is("REST") && feature.params.eq_ignore_ascii_case(b"STREAM") {
                    set.rest_stream = true;
                }
            }
        } else if code.class() == Class::PositiveCompletion {
            // A 2xx other than 211: no list.
        } else if !matches!(code.get(), 500 | 502) {
            return self.fail(Some(code), FailReason::Refused);
        }
        self.features = set.bits();
        if set.utf8 {
            self.tx.drop_current();
            if self.tx.push(Command::Opts, Some(b"UTF8 ON")).is_ok() {
                self.step = Step::Opts;
                self.command = Some(Command::Opts);
                self.tx.release();
                return None;
            }
        }
        self.finish(EventKind::Features(set))
    }

    fn on_passive(&mut self, reply: &Reply<'_>) -> Option<Emit> {
        let code = reply.code();
        // A cut reply (longer than `N`): `passive()` refuses it
        // (`PayloadError::Truncated`), and so does the 229's read below (a
        // 229 cut after its tuple still holds one). By the code, not by the
        // command: a server that answers EPSV with a 227 (or PASV with a
        // 229) still names a port, guarded the same way.
        let target = if code.get() == 229 {
            // The first `(` from the payload's start (the reply's first
            // byte, or the closing line of a block another code closed)
            // starts the tuple: every server sends a one-line 229, and this
            // reads the tuple on any line of a block whose earlier lines
            // hold no `(`. Cheaper in flash than
            // `Reply::extended_passive`'s line by line search; the error's
            // offsets are moved to count from the reply's first byte.
            let from = reply.payload_start();
            let read = reply.whole().and_then(|()| {
                crate::payload::ExtendedPassive::parse(reply.as_bytes().split_at(from).1)
                    .map_err(|e| e.shifted(from))
            });
            match read {
                Ok(e) => DataTarget {
                    connect_to: e.target(self.peer),
                    offered: None,
                    concern: None,
                },
                // `ExtendedPassive` cannot hold port 0: the parser refuses it.
                Err(e) if names_port_zero(reply, e) => {
                    return self.fail(Some(code), FailReason::PortZero);
                }
                Err(e) => return self.fail(Some(code), FailReason::Malformed(e)),
            }
        } else {
            match reply.passive() {
                Ok(a) => {
                    let g = a.guard(self.peer);
                    // 0.0.0.0 names no host to trust: connecting to it
                    // reaches the client's own host.
                    let trusted = self.has(flag::TRUST_OFFERED)
                        && g.concern != Some(PassiveConcern::Unspecified);
                    let connect_to = if g.concern.is_some() && trusted {
                        SocketAddr::V4(g.offered)
                    } else {
                        g.connect_to
                    };
                    DataTarget {
                        connect_to,
                        offered: Some(g.offered),
                        concern: g.concern,
                    }
                }
                // Not a 229, and no address: EPSV was not understood (LBBS
                // answers it with `227 Entering Extended Passive Mode
                // (|||port|)`), and PASV is asked, as curl asks it.
                Err(_) if self.step == Step::Epsv => return self.fall_back_to_pasv(code, true),
                Err(e) => return self.fail(Some(code), FailReason::Malformed(e)),
            }
        };
        if target.connect_to.port() == 0 {
            return self.fail(Some(code), FailReason::PortZero);
        }
        // After a 229, EPSV's line stays first until the data connection
        // opens (`data_connected` drops it): should it fail, PASV goes out
        // in its place (`data_end`; as curl does, after a 229 only).
        if !(self.step == Step::Epsv && code.get() == 229) {
            self.tx.drop_current();
        }
        self.step = Step::Connect;
        Some(Emit::Kind(EventKind::Connect(target)))
    }

    /// EPSV's answer was no port: PASV goes out in its place, and with
    /// `session` for the rest of the session too.
    fn fall_back_to_pasv(&mut self, code: ReplyCode, session: bool) -> Option<Emit> {
        if session {
            self.set(flag::PASV_ONLY, true);
        }
        // "PASV\r\n" in place of "EPSV\r\n", sent anew.
        if self.tx.resend_as(Command::Pasv) {
            self.step = Step::Pasv;
            None
        } else {
            self.fail(Some(code), FailReason::Refused)
        }
    }

    /// The current line is answered: sends the queued line for `cmd` next
    /// and moves to `step`; false (and nothing sent) when there is no such
    /// line.
    fn next_line(&mut self, step: Step, cmd: Command) -> bool {
        self.tx.drop_current();
        if self.tx.skip_to(cmd) {
            self.step = step;
            self.command = Some(cmd);
            self.tx.release();
            true
        } else {
            false
        }
    }

    /// Nothing, when `next_line` reached `step`; else the operation fails.
    fn fail_unless(&mut self, step: Step, code: ReplyCode, reason: FailReason) -> Option<Emit> {
        if self.step == step {
            None
        } else {
            self.fail(Some(code), reason)
        }
    }

    /// The transfer's end once both halves are in.
    fn transfer_end(&self) -> Pending {
        if self.has(flag::DATA_FAILED) {
            Pending::DataFailed(self.command)
        } else {
            Pending::TransferDone
        }
    }

    fn data_connected(&mut self) -> Result<(), ClientError> {
        if self.step != Step::Connect || self.pending != Pending::None || self.has(flag::EOF) {
            return Err(ClientError::NoTransfer);
        }
        if self.tx.front_is(Command::Epsv) {
            self.tx.release();
            self.tx.drop_current();
        }
        if self.tx.front_is(Command::Rest) {
            self.step = Step::Rest;
        } else {
            self.step = Step::Start;
        }
        self.tx.release();
        Ok(())
    }

    fn data_end(&mut self, failed: bool) -> Result<(), ClientError> {
        if self.pending.is_close() {
            // The timer closed the session: its `Closed` is next, and must
            // not be replaced by the transfer's end.
            return Err(ClientError::NoTransfer);
        }
        match self.step {
            Step::Connect if failed => {
                // Never connected after an EPSV: PASV in its place, once a
                // session (a firewall or NAT that lets PASV's ports through
                // only; curl falls back the same way). Not once the
                // control connection has ended: nothing goes out on it.
                if self.tx.front_is(Command::Epsv) && !self.has(flag::EOF) {
                    self.set(flag::PASV_ONLY, true);
                    self.tx.release();
                    if self.tx.resend_as(Command::Pasv) {
                        self.step = Step::Pasv;
                        return Ok(());
                    }
                }
                // Never connected: the transfer command was not sent.
                self.step = Step::Idle;
                self.tx.clear();
                self.pending = Pending::DataFailed(self.command);
                Ok(())
            }
            // The data connection failed before anything of REST or of
            // the transfer line went out: nothing is sent (a STOR would
            // create or empty the server's file), and the transfer fails
            // at once.
            Step::Rest | Step::Start if failed && self.tx.is_untouched() => {
                self.step = Step::Idle;
                self.tx.clear();
                self.pending = Pending::DataFailed(self.command);
                Ok(())
            }
            // Entered only through `data_connected`: the data connection
            // is open.
            Step::Rest | Step::Start | Step::Running => {
                self.set(flag::DATA_END, true);
                self.set(flag::DATA_FAILED, failed || self.has(flag::DATA_FAILED));
                if self.step == Step::Running && self.has(flag::FINAL_OK) {
                    self.pending = self.transfer_end();
                    self.step = Step::Idle;
                    self.tx.clear();
                }
                Ok(())
            }
            _ => Err(ClientError::NoTransfer),
        }
    }
}

/// True when `e`, from [`Reply::extended_passive`], stands for a port of
/// 0: a `BadPort` whose digits are all zeros (above 65535 is the other
/// `BadPort`).
fn names_port_zero(reply: &Reply<'_>, e: Error) -> bool {
    if e.kind() != ErrorKind::Payload(PayloadError::BadPort) {
        return false;
    }
    let digits = reply.as_bytes().get(e.offset()..).unwrap_or_default();
    let n = digits.iter().take_while(|b| b.is_ascii_digit()).count();
    n > 0 && digits.iter().take(n).all(|&b| b == b'0')
}

/// What a command's positive reply carries, read by [`Core::on_value`]
/// (and again when the event lends it).
trait Value {
    /// The event for `reply`, or `None` when its code carries no value.
    fn read<'a>(reply: &Reply<'a>) -> Option<Result<EventKind<'a>, Error>>;
}

/// PWD's and MKD's 257; another 2xx (a server answering MKD with 250) is
/// `Done`.
struct PathValue;

impl Value for PathValue {
    fn read<'a>(reply: &Reply<'a>) -> Option<Result<EventKind<'a>, Error>> {
        Some(match reply.code().get() {
            257 => reply.pathname().map(EventKind::Path),
            _ => Ok(EventKind::Done),
        })
    }
}

/// MKD's 257, as [`PathValue`], but a 257 with no quote in its text is
/// `Done` (see [`Client::mkd`]).
struct MadeValue;

impl Value for MadeValue {
    fn read<'a>(reply: &Reply<'a>) -> Option<Result<EventKind<'a>, Error>> {
        match PathValue::read(reply) {
            Some(Err(e)) if e.kind() == ErrorKind::Payload(PayloadError::Missing) => {
                Some(Ok(EventKind::Done))
            }
            r => r,
        }
    }
}

/// SIZE's 213.
struct SizeValue;

impl Value for SizeValue {
    fn read<'a>(reply: &Reply<'a>) -> Option<Result<EventKind<'a>, Error>> {
        (reply.code().get() == 213).then(|| {
            let (at, text) = reply.text_at();
            payload::file_size(text)
                .map(EventKind::Size)
                .map_err(|e| e.shifted(at))
        })
    }
}

/// MDTM's 213.
struct TimeValue;

impl Value for TimeValue {
    fn read<'a>(reply: &Reply<'a>) -> Option<Result<EventKind<'a>, Error>> {
        (reply.code().get() == 213).then(|| {
            let (at, text) = reply.text_at();
            Timestamp::parse(text.trim_ascii_end())
                .map(EventKind::Modified)
                .map_err(|e| e.shifted(at))
        })
    }
}

/// MLST's 250.
struct EntryValue;

impl Value for EntryValue {
    fn read<'a>(reply: &Reply<'a>) -> Option<Result<EventKind<'a>, Error>> {
        (reply.code().get() == 250).then(|| reply.mlst_entry().map(EventKind::Entry))
    }
}

/// `n` in decimal, in `buf`.
fn format_u64(mut n: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut at = buf.len();
    loop {
        at -= 1;
        if let Some(slot) = buf.get_mut(at) {
            // n % 10 < 10: the cast cannot truncate.
            *slot = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 || at == 0 {
            break;
        }
    }
    buf.get(at..).unwrap_or_default()
}

#[cfg(test)]
mod tests;
