//! A blocking driver for the engine over `embedded-io` (feature
//! `embedded-io`): the control connection is an `embedded_io::Read +
//! Write`, the data connection comes from a function the caller supplies.

use core::fmt;
use core::net::{IpAddr, SocketAddr};

use embedded_io::{Error as _, ErrorKind, Read, Write};

use super::{Client, ClientError, CloseReason, EventKind, Failure, FeatureSet, Waiting};
use crate::Error;
use crate::io::{flush_whole, write_whole};
use crate::payload::Timestamp;

/// Why a [`Session`] call failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum SessionError<E> {
    /// The control connection's error.
    Io(E),
    /// The data connection's error (opening, reading, writing or flushing
    /// it). When it failed and the server refused the transfer too (a
    /// reset data connection, then `426`), this is the error returned.
    Data(ErrorKind),
    /// The operation could not start.
    Client(ClientError),
    /// The server refused the operation.
    Failed(Failure),
    /// The session is over.
    Closed(CloseReason),
    /// The engine gave an event this call did not expect (a server that
    /// answers a command with another command's kind of reply).
    Unexpected,
    /// A value of the reply (the path of a 257) does not fit in the buffer
    /// the caller gave; `offset` is its length as far as it was copied.
    BufferFull(Error),
}

impl<E> From<ClientError> for SessionError<E> {
    fn from(e: ClientError) -> Self {
        SessionError::Client(e)
    }
}

impl<E: fmt::Debug> fmt::Display for SessionError<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SessionError::Io(e) => write!(f, "control connection: {e:?}"),
            SessionError::Data(e) => write!(f, "data connection: {e:?}"),
            SessionError::Client(e) => fmt::Display::fmt(e, f),
            SessionError::Failed(e) => fmt::Display::fmt(e, f),
            SessionError::Closed(e) => fmt::Display::fmt(e, f),
            SessionError::Unexpected => f.write_str("unexpected reply"),
            SessionError::BufferFull(e) => write!(f, "the reply's value does not fit: {e}"),
        }
    }
}

impl<E: fmt::Debug> core::error::Error for SessionError<E> {}

/// What an event said, owned (the driver returns it past the next call).
enum Got {
    LoggedIn,
    Features(FeatureSet),
    Connect(SocketAddr),
    Started(Option<u64>),
    TransferDone,
    Size(u64),
    Modified(Timestamp),
    /// A 257's path, copied into the caller's buffer: its length.
    Path(usize),
    Done,
}

/// A blocking FTP session: [`Client`] driven over an `embedded-io`
/// control connection, one call per operation.
///
/// Nothing here keeps time: give the control connection a read timeout.
/// A read that fails with [`ErrorKind::TimedOut`] fires the engine's
/// timer ([`Client::timer_fired`]), so the call returns
/// [`SessionError::Closed`] with [`CloseReason::TimedOut`] and the session
/// is over (a late reply could not be paired with its command). An
/// `Interrupted` read or write, on either connection, is made again (as
/// `std::io` does). Any other read error, and any write (or flush) error
/// on the control connection, closes the session too
/// ([`Client::control_closed`]), after returning [`SessionError::Io`]: later
/// calls get [`ClientError::Closed`], not [`ClientError::Busy`] for an
/// operation that can no longer end. A writer that takes no byte
/// (`Ok(0)`, which embedded-io's contract rules out and its `write_all`
/// panics on) is a connection that ended: [`CloseReason::ConnectionLost`]
/// on the control connection, [`ErrorKind::WriteZero`] on the data one.
/// Nothing here panics on what either connection does.
///
/// The control connection is Telnet (RFC 959): what the server sends goes
/// through [`Telnet`](crate::telnet::Telnet) before the engine reads it,
/// so `IAC IAC` is the byte 255 (a 257's path from vsftpd, which doubles
/// it) and `IAC NOP` or option negotiation is dropped, not answered.
///
/// ```no_run
/// use core::net::SocketAddr;
/// use embedded_io::{Read, Write};
/// use ftp_reply::client::{Session, SessionError};
///
/// /// Fetches `path` into `out`; returns its length.
/// fn fetch<C, D>(
///     control: C,
///     peer: core::net::IpAddr,
///     mut connect: impl FnMut(SocketAddr) -> Result<D, D::Error>,
///     path: &[u8],
///     out: &mut [u8],
/// ) -> Result<usize, SessionError<C::Error>>
/// where
///     C: Read + Write,
///     D: Read + Write,
/// {
///     let mut s = Session::<C, 1024>::new(control, peer);
///     s.login(b"anonymous", b"guest@")?;
///     s.binary()?;
///     let mut len = 0;
///     s.retrieve(path, 0, &mut connect, |chunk| {
///         let end = (len + chunk.len()).min(out.len());
///         out[len..end].copy_from_slice(&chunk[..end - len]);
///         len = end;
///     })?;
///     s.quit()?;
///     Ok(len)
/// }
/// ```
///
/// CI builds this example, as it stands here, for `thumbv7em-none-eabihf`
/// (`firmware-check/` takes it out of this file).
#[derive(Debug)]
pub struct Session<C, const N: usize, const T: usize = 96> {
    client: Client<N, T>,
    control: C,
    /// What was read from the control connection: its Telnet data in
    /// `rx[rx_at..rx_len]` (bytes are read into `rx[1..]`, and the data
    /// written from `rx[0]` on: room for the one byte that gives two).
    rx: [u8; 64],
    rx_at: u8,
    rx_len: u8,
    telnet: crate::telnet::Telnet,
    /// The size the last transfer's 150 announced.
    announced: Option<u64>,
}

impl<C, const N: usize, const T: usize> Session<C, N, T> {
    /// The engine, to look at (what it waits for, what FEAT offered).
    #[must_use]
    pub const fn engine(&self) -> &Client<N, T> {
        &self.client
    }
}

impl<C: Read + Write, const N: usize, const T: usize> Session<C, N, T> {
    /// A session over `control`, connected to `peer`.
    #[must_use]
    pub fn new(control: C, peer: IpAddr) -> Self {
        Session {
            client: Client::new(peer),
            control,
            rx: [0; 64],
            rx_at: 0,
            rx_len: 0,
            telnet: crate::telnet::Telnet::new(),
            announced: None,
        }
    }

    /// The size the last transfer's 125 or 150 announced, if it did (a
    /// retrieve after a restart may announce the whole file or what is
    /// left, depending on the server).
    #[must_use]
    pub fn announced_size(&self) -> Option<u64> {
        self.announced
    }

    /// The engine, to set options ([`Client::trust_offered_address`]) or
    /// read what it remembers ([`Client::features`]).
    #[must_use]
    pub fn client(&mut self) -> &mut Client<N, T> {
        &mut self.client
    }

    /// The control connection back. Bytes read from it that no event has
    /// used yet (a reply that came in the same read as the last one the
    /// session took, up to 63 bytes, and a Telnet command cut at its end) stay
    /// in the session and are dropped.
    #[must_use]
    pub fn into_inner(self) -> C {
        self.control
    }

    /// Logs in (waiting for the greeting first).
    ///
    /// # Errors
    /// [`SessionError`].
    pub fn login(&mut self, user: &[u8], pass: &[u8]) -> Result<(), SessionError<C::Error>> {
        self.client.login(user, pass, None)?;
        self.expect(|g| matches!(g, Got::LoggedIn))
    }

    /// FEAT (and `OPTS UTF8 ON` when offered).
    ///
    /// # Errors
    /// [`SessionError`].
    pub fn feat(&mut self) -> Result<FeatureSet, SessionError<C::Error>> {
        self.client.feat()?;
        match self.next()? {
            Got::Features(f) => Ok(f),
            _ => Err(SessionError::Unexpected),
        }
    }

    /// TYPE I.
    ///
    /// # Errors
    /// [`SessionError`].
    pub fn binary(&mut self) -> Result<(), SessionError<C::Error>> {
        self.client.binary()?;
        self.expect(|g| matches!(g, Got::Done))
    }

    /// CWD.
    ///
    /// # Errors
    /// [`SessionError`].
    pub fn cwd(&mut self, path: &[u8]) -> Result<(), SessionError<C::Error>> {
        self.client.cwd(path)?;
        self.expect(|g| matches!(g, Got::Done))
    }

    /// SIZE.
    ///
    /// # Errors
    /// [`SessionError`].
    pub fn size(&mut self, path: &[u8]) -> Result<u64, SessionError<C::Error>> {
        self.client.size(path)?;
        match self.next()? {
            Got::Size(n) => Ok(n),
            _ => Err(SessionError::Unexpected),
        }
    }

    /// MDTM.
    ///
    /// # Errors
    /// [`SessionError`].
    pub fn mdtm(&mut self, path: &[u8]) -> Result<Timestamp, SessionError<C::Error>> {
        self.client.mdtm(path)?;
        match self.next()? {
            Got::Modified(t) => Ok(t),
            _ => Err(SessionError::Unexpected),
        }
    }

    /// Retrieves `path` from byte `offset`, giving each piece of the file
    /// to `on_data`; returns the count of bytes given. `connect` opens the
    /// data connection to the address the engine names (the control peer,
    /// with the port the server offered).
    ///
    /// # Errors
    /// [`SessionError`].
    pub fn retrieve<D: Read + Write>(
        &mut self,
        path: &[u8],
        offset: u64,
        connect: impl FnMut(SocketAddr) -> Result<D, D::Error>,
        on_data: impl FnMut(&[u8]),
    ) -> Result<u64, SessionError<C::Error>> {
        self.client.retrieve(path, offset)?;
        self.read_transfer(connect, on_data)
    }

    /// LIST of `path` (or of the working directory), the listing given
    /// to `on_data` as it comes; returns its length.
    ///
    /// # Errors
    /// [`SessionError`].
    pub fn list<D: Read + Write>(
        &mut self,
        path: Option<&[u8]>,
        connect: impl FnMut(SocketAddr) -> Result<D, D::Error>,
        on_data: impl FnMut(&[u8]),
    ) -> Result<u64, SessionError<C::Error>> {
        self.client.list(path)?;
        self.read_transfer(connect, on_data)
    }

    /// NLST, as [`list`](Self::list).
    ///
    /// # Errors
    /// [`SessionError`].
    pub fn nlst<D: Read + Write>(
        &mut self,
        path: Option<&[u8]>,
        connect: impl FnMut(SocketAddr) -> Result<D, D::Error>,
        on_data: impl FnMut(&[u8]),
    ) -> Result<u64, SessionError<C::Error>> {
        self.client.nlst(path)?;
        self.read_transfer(connect, on_data)
    }

    /// MLSD (RFC 3659), as [`list`](Self::list): one fact line per entry.
    ///
    /// # Errors
    /// [`SessionError`] (`Failed`, with the code, for a server without
    /// MLSD: 500 or 502).
    pub fn mlsd<D: Read + Write>(
        &mut self,
        path: Option<&[u8]>,
        connect: impl FnMut(SocketAddr) -> Result<D, D::Error>,
        on_data: impl FnMut(&[u8]),
    ) -> Result<u64, SessionError<C::Error>> {
        self.client.mlsd(path)?;
        self.read_transfer(connect, on_data)
    }

    /// The data connection of a retrieve or listing, read to its end.
    fn read_transfer<D: Read + Write>(
        &mut self,
        connect: impl FnMut(SocketAddr) -> Result<D, D::Error>,
        mut on_data: impl FnMut(&[u8]),
    ) -> Result<u64, SessionError<C::Error>> {
        let mut data = self.open_data(connect)?;
        let mut buf = [0u8; 256];
        let mut total = 0u64;
        let read = loop {
            match data.read(&mut buf) {
                Ok(0) => break Ok(()),
                Ok(n) => {
                    // A count past the buffer (no contract allows it) is
                    // the buffer, as `Decoder::fill` takes it.
                    let n = n.min(buf.len());
                    on_data(buf.get(..n).unwrap_or_default());
                    total += n as u64;
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(e) => break Err(e.kind()),
            }
        };
        drop(data);
        self.end_transfer(read)?;
        Ok(total)
    }

    /// Stores `path` (or appends to it, with `append`), with the bytes
    /// `source` writes into the buffer it is given (returning how many; 0
    /// at the end); returns the count of bytes sent. After the last byte
    /// the data connection is flushed, then closed; a failed flush fails
    /// the store as a failed write does ([`SessionError::Data`]), whatever
    /// the server answers.
    ///
    /// # Errors
    /// [`SessionError`].
    pub fn store<D: Read + Write>(
        &mut self,
        path: &[u8],
        append: bool,
        connect: impl FnMut(SocketAddr) -> Result<D, D::Error>,
        mut source: impl FnMut(&mut [u8]) -> usize,
    ) -> Result<u64, SessionError<C::Error>> {
        if append {
            self.client.append(path)?;
        } else {
            self.client.store(path)?;
        }
        let mut data = self.open_data(connect)?;
        let mut buf = [0u8; 256];
        let mut total = 0u64;
        let written = loop {
            let n = source(&mut buf).min(buf.len());
            if n == 0 {
                break flush_whole(&mut data).map_err(|e| e.kind());
            }
            if let Err(e) = write_whole(&mut data, buf.get(..n).unwrap_or_default()) {
                break Err(e.map_or(ErrorKind::WriteZero, |e| e.kind()));
            }
            total += n as u64;
        };
        drop(data);
        self.end_transfer(written)?;
        Ok(total)
    }

    /// APPE `path`: [`store`](Self::store) with `append`.
    ///
    /// # Errors
    /// [`SessionError`].
    pub fn append<D: Read + Write>(
        &mut self,
        path: &[u8],
        connect: impl FnMut(SocketAddr) -> Result<D, D::Error>,
        source: impl FnMut(&mut [u8]) -> usize,
    ) -> Result<u64, SessionError<C::Error>> {
        self.store(path, true, connect, source)
    }

    /// PWD: the working directory, unescaped, copied into `out`; returns
    /// its length.
    ///
    /// # Errors
    /// [`SessionError`]; [`SessionError::BufferFull`] when the path is
    /// longer than `out` (the pieces that fit whole are copied, as
    /// [`Pathname::copy_to`](crate::payload::Pathname::copy_to) does: none
    /// of a name without a doubled quote).
    pub fn pwd(&mut self, out: &mut [u8]) -> Result<usize, SessionError<C::Error>> {
        self.client.pwd()?;
        match self.next_into(out)? {
            Got::Path(n) => Ok(n),
            _ => Err(SessionError::Unexpected),
        }
    }

    /// MKD `path`: the created directory's name as the 257 gives it
    /// (absolute on most servers, as given on some), unescaped, copied
    /// into `out`; returns its length, or `None` when the server answered
    /// with another positive code or with a 257 that quotes no name
    /// (BusyBox's `257 Operation successful`).
    ///
    /// # Errors
    /// [`SessionError`], as [`pwd`](Self::pwd).
    pub fn mkd(
        &mut self,
        path: &[u8],
        out: &mut [u8],
    ) -> Result<Option<usize>, SessionError<C::Error>> {
        self.client.mkd(path)?;
        match self.next_into(out)? {
            Got::Path(n) => Ok(Some(n)),
            Got::Done => Ok(None),
            _ => Err(SessionError::Unexpected),
        }
    }

    /// RMD.
    ///
    /// # Errors
    /// [`SessionError`].
    pub fn rmd(&mut self, path: &[u8]) -> Result<(), SessionError<C::Error>> {
        self.client.rmd(path)?;
        self.expect(|g| matches!(g, Got::Done))
    }

    /// DELE.
    ///
    /// # Errors
    /// [`SessionError`].
    pub fn dele(&mut self, path: &[u8]) -> Result<(), SessionError<C::Error>> {
        self.client.dele(path)?;
        self.expect(|g| matches!(g, Got::Done))
    }

    /// RNFR `from`, then RNTO `to`.
    ///
    /// # Errors
    /// [`SessionError`] (`Failed` names RNFR or RNTO, whichever was
    /// refused).
    pub fn rename(&mut self, from: &[u8], to: &[u8]) -> Result<(), SessionError<C::Error>> {
        self.client.rename(from, to)?;
        self.expect(|g| matches!(g, Got::Done))
    }

    /// NOOP (keeps an idle session alive).
    ///
    /// # Errors
    /// [`SessionError`].
    pub fn noop(&mut self) -> Result<(), SessionError<C::Error>> {
        self.client.noop()?;
        self.expect(|g| matches!(g, Got::Done))
    }

    /// QUIT. `Ok` when the session closes: the answer to QUIT, or a `421`
    /// (the server closing it), even one that came before QUIT went out
    /// (then QUIT is not sent).
    ///
    /// # Errors
    /// [`SessionError`] (not for the session's close, which is the point;
    /// [`ClientError::Closed`] when it was closed already).
    pub fn quit(&mut self) -> Result<(), SessionError<C::Error>> {
        self.client.quit()?;
        match self.next() {
            Err(SessionError::Closed(CloseReason::Quit | CloseReason::ServiceClosing(_))) => Ok(()),
            Err(e) => Err(e),
            Ok(_) => Err(SessionError::Unexpected),
        }
    }

    /// Passive mode, the data connection, and the transfer's start.
    fn open_data<D: Read + Write>(
        &mut self,
        mut connect: impl FnMut(SocketAddr) -> Result<D, D::Error>,
    ) -> Result<D, SessionError<C::Error>> {
        // A transfer that fails before its 125 or 150 announced nothing:
        // the last transfer's size must not stay.
        self.announced = None;
        // A 229's port that cannot be reached: the engine sends PASV in
        // EPSV's place, and a second `Connect` comes.
        let data = loop {
            let Got::Connect(to) = self.next()? else {
                return Err(SessionError::Unexpected);
            };
            match connect(to) {
                Ok(d) => break d,
                Err(e) => {
                    let pasv_before = self.client.passive_fallback();
                    let _ = self.client.data_failed();
                    if pasv_before || !self.client.passive_fallback() {
                        let _ = self.next();
                        return Err(SessionError::Data(e.kind()));
                    }
                }
            }
        };
        self.client.data_connected()?;
        match self.next()? {
            Got::Started(size) => self.announced = size,
            _ => return Err(SessionError::Unexpected),
        }
        Ok(data)
    }

    /// After the data: its end (or failure), and the final reply.
    fn end_transfer(&mut self, data: Result<(), ErrorKind>) -> Result<(), SessionError<C::Error>> {
        match data {
            Ok(()) => self.client.data_end()?,
            Err(_) => self.client.data_failed()?,
        }
        let done = self.expect(|g| matches!(g, Got::TransferDone));
        match (data, done) {
            (Err(kind), Err(SessionError::Failed(_))) => Err(SessionError::Data(kind)),
            (_, done) => done,
        }
    }

    fn expect(&mut self, want: impl FnOnce(&Got) -> bool) -> Result<(), SessionError<C::Error>> {
        let got = self.next()?;
        if want(&got) {
            Ok(())
        } else {
            Err(SessionError::Unexpected)
        }
    }

    /// Sends what the engine has to send, and reads until it gives an
    /// event.
    fn next(&mut self) -> Result<Got, SessionError<C::Error>> {
        self.next_into(&mut [])
    }

    /// [`next`](Self::next), a 257's path copied into `out`.
    fn next_into(&mut self, out: &mut [u8]) -> Result<Got, SessionError<C::Error>> {
        loop {
            // Every byte received is read before a line goes out: a reply
            // that came before its command was sent is then seen as such
            // (`Closed(Unexpected)`), not taken for its answer.
            if let Some(event) = self.client.poll_event() {
                return match event.kind {
                    EventKind::LoggedIn => Ok(Got::LoggedIn),
                    EventKind::Features(f) => Ok(Got::Features(f)),
                    EventKind::Connect(t) => Ok(Got::Connect(t.connect_to)),
                    EventKind::TransferStarted(size) => Ok(Got::Started(size)),
                    EventKind::TransferDone => Ok(Got::TransferDone),
                    EventKind::Size(n) => Ok(Got::Size(n)),
                    EventKind::Modified(t) => Ok(Got::Modified(t)),
                    EventKind::Path(p) => match p.copy_to(out) {
                        Ok(n) => Ok(Got::Path(n)),
                        Err(e) => Err(SessionError::BufferFull(e)),
                    },
                    EventKind::Failed(f) => Err(SessionError::Failed(f)),
                    EventKind::Closed(r) => Err(SessionError::Closed(r)),
                    _ => Ok(Got::Done),
                };
            }
            let (at, len) = (usize::from(self.rx_at), usize::from(self.rx_len));
            if at < len {
                let taken = self
                    .client
                    .receive(self.rx.get(at..len).unwrap_or_default());
                self.rx_at = u8::try_from(at + taken).unwrap_or(u8::MAX);
                continue;
            }
            self.flush()?;
            let n = match self.control.read(self.rx.get_mut(1..).unwrap_or_default()) {
                Ok(n) => n,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                // The caller's read timeout is the engine's timer: the
                // session closes (`Closed(TimedOut)`, next time round),
                // since a late reply could no longer be paired.
                Err(e) if e.kind() == ErrorKind::TimedOut => match self.client.timer_fired() {
                    Waiting::Nothing | Waiting::Closed => return Err(SessionError::Io(e)),
                    _ => continue,
                },
                Err(e) => {
                    // The control connection is broken: later calls get
                    // `Closed` rather than a session waiting forever.
                    self.client.control_closed();
                    return Err(SessionError::Io(e));
                }
            };
            if n == 0 {
                self.client.control_closed();
            }
            self.rx_at = 0;
            // A reader that says it read more than it was given (no
            // contract allows it) gave what fits. With one byte of room
            // before them, every byte read is taken.
            let end = n.saturating_add(1).min(self.rx.len());
            let (_, data) = self
                .telnet
                .strip_in_place(self.rx.get_mut(..end).unwrap_or_default(), 1);
            self.rx_len = u8::try_from(data).unwrap_or(0);
        }
    }

    fn flush(&mut self) -> Result<(), SessionError<C::Error>> {
        let out = self.client.transmit();
        if out.is_empty() {
            return Ok(());
        }
        let n = out.len();
        let sent = match write_whole(&mut self.control, out) {
            Ok(()) => flush_whole(&mut self.control).map_err(Some),
            Err(e) => Err(e),
        };
        if let Err(e) = sent {
            // As after a failed read: later calls get `Closed` rather
            // than an operation in flight for good (`Client(Busy)`).
            self.client.control_closed();
            return Err(e.map_or(
                SessionError::Closed(CloseReason::ConnectionLost),
                SessionError::Io,
            ));
        }
        self.client.sent(n);
        Ok(())
    }
}
