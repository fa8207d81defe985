//! 229 Entering Extended Passive Mode: `(<d><d><d><port><d>)` (RFC 2428
//! section 3).
//!
//! RFC 2428 gives the form in prose, not ABNF:
//!
//! > The text returned in response to the EPSV command MUST be:
//! > `<text indicating server is entering extended passive mode>
//! > (<d><d><d><tcp-port><d>)`
//! >
//! > The first two fields contained in the parenthesis MUST be blank. The
//! > third field MUST be the string representation of the TCP port number
//! > on which the server is listening for a data connection.
//!
//! This crate's rendering: `"(" d d d 1*DIGIT d ")"`, where `d` is one
//! printable ASCII byte that is not a digit, the same all four times
//! (section 2: "The delimiter character MUST be one of the ASCII
//! characters in range 33-126 inclusive"), or a space: MiSPO NORTi's ftpd
//! (a µITRON stack) writes `(   1010 )`, and curl and Python's ftplib
//! read its port, as any byte repeated four times around the digits
//! leaves no doubt about it.

use super::numbers::is_separator;
use crate::encode::{BlockWriter, Sink, put_with};
use crate::error::{Error, PayloadError};

/// The port of a 229 reply, and the delimiter the server used.
///
/// RFC 2428 leaves the address out on purpose: the client connects to the
/// control connection's peer.
///
/// Valid by construction: the port is never 0 and the delimiter is
/// printable ASCII or a space but not a digit, so every value can be written and
/// parsed back ([`ExtendedPassive::new`] checks, [`ExtendedPassive::parse`]
/// refuses anything else).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct ExtendedPassive {
    port: u16,
    delimiter: u8,
}

impl ExtendedPassive {
    /// The value for `port` and `delimiter`, or `None` when the port is 0
    /// or the delimiter is not printable ASCII or a space (32 to 126) or
    /// is a digit.
    #[must_use]
    pub const fn new(port: u16, delimiter: u8) -> Option<Self> {
        if port > 0 && delimiter >= b' ' && delimiter <= 126 && !delimiter.is_ascii_digit() {
            Some(ExtendedPassive { port, delimiter })
        } else {
            None
        }
    }

    /// Where to open the data connection: the control connection's peer
    /// with this port, as RFC 2428 section 3 says ("the client MUST
    /// connect to the same network address as the control connection");
    /// the counterpart of [`PassiveAddr::guard`](super::PassiveAddr::guard)
    /// for a 229.
    ///
    /// ```
    /// use core::net::{IpAddr, Ipv4Addr, SocketAddr};
    /// use ftp_reply::payload::ExtendedPassive;
    ///
    /// let epsv = ExtendedPassive::parse(b"Entering Extended Passive Mode (|||6446|)")?;
    /// let peer = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 7));
    /// assert_eq!(epsv.target(peer), SocketAddr::new(peer, 6446));
    /// # Ok::<(), ftp_reply::Error>(())
    /// ```
    #[must_use]
    pub const fn target(&self, peer: core::net::IpAddr) -> core::net::SocketAddr {
        core::net::SocketAddr::new(peer, self.port)
    }

    /// The TCP port, 1 to 65535.
    #[must_use]
    pub const fn port(&self) -> u16 {
        self.port
    }

    /// The delimiter, a printable ASCII character or a space (32 to 126)
    /// but not a digit; RFC 2428 recommends `|`.
    #[must_use]
    pub const fn delimiter(&self) -> u8 {
        self.delimiter
    }

    /// Parses `(<d><d><d><port><d>)` from a line's text. The first `(` of
    /// the text opens it (a later one is not looked at); the three bytes
    /// after it must be one delimiter, printable ASCII or a space (NORTi's
    /// `(   1010 )`, read by curl and ftplib) but not a digit, then come
    /// the port's digits, the delimiter again and `)`. Text after the `)`
    /// is fine (Serv-U adds a period).
    ///
    /// The port is exact or refused: decimal digits only. Leading zeros are
    /// fine (`(|||006446|)` is port 6446, as curl and Python's ftplib read
    /// it); a sign, a space or a thousands separator is not.
    ///
    /// # Errors
    /// With the offset into `text`: `Missing` (no `(`, at 0); `BadDelimiter` at
    /// the first of the three delimiters that is missing, out of range or
    /// not the same as the first, or at the byte after the digits when it
    /// is not the delimiter, or at the byte after that when it is not `)`;
    /// `BadNumber` at the port when it has no digits (`(|||-80|)`,
    /// `(||| 80|)`) or its digits go on after a separator (`(|||6,446|)`;
    /// but a separator that is the delimiter itself ends the port:
    /// `(...6.446.)` is `BadDelimiter` at the `4`); then `BadPort` at the
    /// port when it is 0 or above 65535 (however many digits it has).
    #[must_use = "parsing has no effect but its result"]
    pub fn parse(text: &[u8]) -> Result<Self, Error> {
        Self::parse_at(text, 0)
    }

    /// [`parse`](Self::parse), with offsets counted from `base` (where
    /// `text` starts in the reply): no shift of the error afterwards.
    pub(crate) fn parse_at(text: &[u8], base: usize) -> Result<Self, Error> {
        let err = |kind, at: usize| Error::payload(kind, base + at);
        let open = crate::scan::find(b'(', text).ok_or(err(PayloadError::Missing, 0))?;
        // One index into `text` walks the tuple (offsets are indexes).
        let mut i = open + 1;
        // A missing delimiter reads as 0, which is refused like a bad one.
        let d = text.get(i).copied().unwrap_or(0);
        // ASCII graphic is 33 to 126, the range of RFC 2428 section 2; a
        // space is taken too (NORTi's ftpd).
        if !(d == b' ' || d.is_ascii_graphic()) || d.is_ascii_digit() {
            return Err(err(PayloadError::BadDelimiter, i));
        }
        for _ in 0..2 {
            i += 1;
            if text.get(i) != Some(&d) {
                return Err(err(PayloadError::BadDelimiter, i));
            }
        }
        i += 1;
        let digits = i;
        // Saturates well above 65535, so any number of digits is counted
        // without overflow.
        let mut port = 0u32;
        while let Some(&b) = text.get(i).filter(|b| b.is_ascii_digit()) {
            port = (port * 10 + u32::from(b - b'0')).min(1 << 20);
            i += 1;
        }
        if i == digits {
            return Err(err(PayloadError::BadNumber, digits));
        }
        match (text.get(i), text.get(i + 1)) {
            (Some(&b), Some(next)) if b != d && is_separator(b) && next.is_ascii_digit() => {
                return Err(err(PayloadError::BadNumber, digits));
            }
            (Some(&b), _) if b == d => {}
            _ => return Err(err(PayloadError::BadDelimiter, i)),
        }
        if text.get(i + 1) != Some(&b')') {
            return Err(err(PayloadError::BadDelimiter, i + 1));
        }
        match u16::try_from(port) {
            Ok(port) if port > 0 => Ok(ExtendedPassive { port, delimiter: d }),
            _ => Err(err(PayloadError::BadPort, digits)),
        }
    }

    /// Writes `(<d><d><d><port><d>)`.
    ///
    /// # Errors
    /// What `w` returns.
    pub fn write_tuple<W: core::fmt::Write>(&self, w: &mut W) -> core::fmt::Result {
        let d = char::from(self.delimiter);
        write!(w, "({d}{d}{d}{}{d})", self.port)
    }

    /// Writes `Entering Extended Passive Mode (<d><d><d><port><d>)`.
    pub(crate) fn emit<S: Sink + ?Sized>(&self, out: BlockWriter<'_, S>) -> Result<(), Error> {
        out.last_with(|sink| {
            put_with(sink, |w| {
                core::fmt::Write::write_str(w, "Entering Extended Passive Mode ")?;
                self.write_tuple(w)
            })
        })
    }
}

/// The network protocols a 522 names (RFC 2428 sections 2 and 3): the
/// answer to an EPRT or EPSV with a protocol the server does not support
/// "MUST contain a list of the supported protocols", as in `522 Network
/// protocol not supported, use (1,2)`. The numbers are address family
/// numbers: 1 is IPv4, 2 is IPv6.
///
/// A set of the protocols 1 to 32, never empty: every value can be written
/// and parsed back ([`NetworkProtocols::from_mask`] checks).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct NetworkProtocols {
    /// Bit `n - 1` stands for protocol `n`.
    mask: u32,
}

impl NetworkProtocols {
    /// The set whose bit `n - 1` stands for protocol `n`; `None` for an
    /// empty set.
    #[must_use]
    pub const fn from_mask(mask: u32) -> Option<Self> {
        if mask == 0 {
            None
        } else {
            Some(NetworkProtocols { mask })
        }
    }

    /// The set as a mask: bit `n - 1` stands for protocol `n`.
    #[must_use]
    pub const fn mask(&self) -> u32 {
        self.mask
    }

    /// Whether the server supports protocol `n` (1: IPv4, 2: IPv6).
    #[must_use]
    pub const fn contains(&self, n: u16) -> bool {
        n >= 1 && n <= 32 && self.mask >> (n - 1) & 1 == 1
    }

    /// The protocols, in increasing order.
    pub fn iter(&self) -> NetworkProtocolsIter {
        NetworkProtocolsIter { mask: self.mask }
    }

    /// Parses a 522's text: the numbers in the first `(...)` whose first
    /// digit starts a number (the innermost, when they nest), after any
    /// words (`(1,2)`, ProFTPD's `use (1)`, pure-ftpd's `(1)`, pyftpdlib's
    /// `(use 1)`), separated by commas with spaces around them if any; a
    /// group whose first digit is in a word is passed over (`(IPv6)
    /// (1,2)` gives 1 and 2). `Ok(None)` when the text gives no list
    /// (vsftpd's `522 Bad network protocol.`, `use 1 (IPv4) or 2 (IPv6)`,
    /// `(IPv6 is not supported in PASV mode)`).
    ///
    /// # Errors
    /// `BadNumber` at a number that is not 1 to 32 (leading zeros are
    /// fine), where a number or a `,` or `)` after one was expected, and at
    /// a byte before the group's first number that is neither a letter nor
    /// a space (the words before it are letters and spaces only: `(use:
    /// 1)` at the `:`, `(|||1|)` at the first `|`).
    #[must_use = "parsing has no effect but its result"]
    pub fn parse(text: &[u8]) -> Result<Option<Self>, Error> {
        // The first digit inside a `(...)`, and where that group opens.
        let mut open = None;
        let mut i = 0;
        loop {
            match text.get(i) {
                None => return Ok(None),
                Some(b'(') => open = Some(i + 1),
                Some(b')') => open = None,
                Some(b) if b.is_ascii_digit() && open.is_some() => {
                    // A digit inside a word (`(IPv4)`) starts no list,
                    // and no list follows in that group.
                    if i > 0 && text.get(i - 1).is_some_and(u8::is_ascii_alphabetic) {
                        open = None;
                    } else {
                        break;
                    }
                }
                Some(_) => {}
            }
            i += 1;
        }
        let mut i = open.unwrap_or(i);
        // Words before the numbers (`use `).
        while text
            .get(i)
            .is_some_and(|b| b.is_ascii_alphabetic() || *b == b' ')
        {
            i += 1;
        }
        let mut mask = 0u32;
        loop {
            let digits = i;
            let mut n = 0u32;
            while let Some(&b) = text.get(i).filter(|b| b.is_ascii_digit()) {
                n = (n * 10 + u32::from(b - b'0')).min(99);
                i += 1;
            }
            if i == digits || !(1..=32).contains(&n) {
                return Err(Error::payload(PayloadError::BadNumber, digits));
            }
            mask |= 1 << (n - 1);
            i = super::skip_spaces(text, i);
            match text.get(i) {
                Some(b',') => i += 1,
                Some(b')') => return Ok(Self::from_mask(mask)),
                _ => return Err(Error::payload(PayloadError::BadNumber, i)),
            }
            i = super::skip_spaces(text, i);
        }
    }

    /// Writes `Network protocol not supported, use (1,2)`.
    pub(crate) fn emit<S: Sink + ?Sized>(
        protocols: Option<Self>,
        out: BlockWriter<'_, S>,
    ) -> Result<(), Error> {
        out.last_with(|sink| {
            put_with(sink, |w| {
                core::fmt::Write::write_str(w, "Network protocol not supported")?;
                if let Some(p) = protocols {
                    let mut sep = ", use (";
                    for n in p.iter() {
                        core::fmt::Write::write_fmt(w, format_args!("{sep}{n}"))?;
                        sep = ",";
                    }
                    core::fmt::Write::write_str(w, ")")?;
                }
                Ok(())
            })
        })
    }
}

/// The protocols of a [`NetworkProtocols`], in increasing order.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct NetworkProtocolsIter {
    mask: u32,
}

impl Iterator for NetworkProtocolsIter {
    type Item = u16;

    fn next(&mut self) -> Option<u16> {
        if self.mask == 0 {
            return None;
        }
        let bit = self.mask.trailing_zeros();
        self.mask &= self.mask - 1;
        Some(bit as u16 + 1)
    }
}

// Once `None`, always `None`.
impl core::iter::FusedIterator for NetworkProtocolsIter {}

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;

    #[test]
    fn network_protocols_as_servers_send_them() {
        let p = |t: &[u8]| NetworkProtocols::parse(t).map(|o| o.map(|n| n.mask()));
        // ProFTPD 1.3.8, pure-ftpd 1.0.50, pyftpdlib 1.5.7; RFC 2428's own.
        assert_eq!(p(b"Network protocol not supported, use (1)"), Ok(Some(1)));
        assert_eq!(p(b"Only IPv4 is supported (1)"), Ok(Some(1)));
        assert_eq!(p(b"Network protocol not supported (use 1)."), Ok(Some(1)));
        assert_eq!(p(b"Network protocol not supported, use (1,2)"), Ok(Some(3)));
        assert_eq!(p(b"use ( 2 , 01 , 32 )"), Ok(Some(1 << 31 | 3)));
        // No list: vsftpd 3.0.3; a group with no digit is no list.
        assert_eq!(p(b"Bad network protocol."), Ok(None));
        assert_eq!(p(b"Not supported (sorry), use (2)"), Ok(Some(2)));
        // A group whose first digit is in a word is no list: `(IPv4)` is
        // not protocol 4.
        assert_eq!(
            p(b"Network protocol not supported, use 1 (IPv4) or 2 (IPv6)"),
            Ok(None)
        );
        assert_eq!(
            p(b"Network protocol not supported (IPv6 is not supported in PASV mode)"),
            Ok(None)
        );
        assert_eq!(p(b"(IPv6 only) use (2)"), Ok(Some(2)));
        // Exact or refused.
        let bad = |t: &[u8], at| {
            assert_eq!(
                p(t),
                Err(Error::payload(PayloadError::BadNumber, at)),
                "{t:?}"
            )
        };
        bad(b"use (0)", 5);
        bad(b"use (33)", 5);
        bad(b"use (1,)", 7);
        bad(b"use (1;2)", 6);
        bad(b"use (1,2", 8);
        bad(b"use (-1)", 5);
        bad(b"use (1.5)", 6);
        let set = NetworkProtocols::from_mask(0b101).unwrap();
        assert!(set.contains(1) && !set.contains(2) && set.contains(3));
        assert!(!set.contains(0) && !set.contains(33));
        assert_eq!(set.iter().collect::<std::vec::Vec<_>>(), [1, 3]);
        assert_eq!(NetworkProtocols::from_mask(0), None);
    }

    #[test]
    fn rfc2428_and_servers() {
        let p = |t: &[u8]| ExtendedPassive::parse(t);
        // RFC 2428 section 3's example.
        assert_eq!(
            p(b"Entering Extended Passive Mode (|||6446|)"),
            Ok(ExtendedPassive {
                port: 6446,
                delimiter: b'|'
            })
        );
        assert_eq!(
            p(b"Extended Passive mode OK (|||40040|)").map(|e| e.port),
            Ok(40040)
        );
        assert_eq!(
            p(b"Entering Extended Passive Mode (!!!1!).").map(|e| e.delimiter),
            Ok(b'!')
        );
        // The accessors read the same fields. (Mutation testing: only the
        // real-server tests called `delimiter()`.)
        let e = p(b"(###21#)").unwrap();
        assert_eq!((e.port(), e.delimiter()), (21, b'#'));
        let e = ExtendedPassive::new(65535, b'~').unwrap();
        assert_eq!((e.port(), e.delimiter()), (65535, b'~'));
        // No `)` after the closing delimiter: the error is at that byte.
        for text in [&b"(|||80|"[..], b"(|||80|]", b"(|||80| )"] {
            assert_eq!(
                p(text),
                Err(Error::payload(PayloadError::BadDelimiter, 7)),
                "{text:?}"
            );
        }
        assert_eq!(
            p(b"no tuple"),
            Err(Error::payload(PayloadError::Missing, 0))
        );
        assert_eq!(
            p(b"(|!|80|)"),
            Err(Error::payload(PayloadError::BadDelimiter, 2))
        );
        assert_eq!(
            p(b"(|||80!)"),
            Err(Error::payload(PayloadError::BadDelimiter, 6))
        );
        assert_eq!(p(b"(|||0|)"), Err(Error::payload(PayloadError::BadPort, 4)));
        assert_eq!(
            p(b"(|||65536|)"),
            Err(Error::payload(PayloadError::BadPort, 4))
        );
        assert_eq!(
            p(b"(||||)"),
            Err(Error::payload(PayloadError::BadNumber, 4))
        );
        // A space is a delimiter too, as curl and ftplib read it: MiSPO
        // NORTi's ftpd (nonftpd.c) writes `"(   " port " )"`. A tab is not.
        let e = p(b"Entering Extended Passive Mode (   1010 )").unwrap();
        assert_eq!((e.port(), e.delimiter()), (1010, b' '));
        assert_eq!(ExtendedPassive::new(1010, b' '), Some(e));
        assert_eq!(ExtendedPassive::new(1010, 31), None);
        assert_eq!(
            p(b"(\t\t\t80\t)"),
            Err(Error::payload(PayloadError::BadDelimiter, 1))
        );
        // Four spaces: the port starts with a space, as in `(||| 80|)`.
        assert_eq!(
            p(b"(    80 )"),
            Err(Error::payload(PayloadError::BadNumber, 4))
        );
        // The first `(` opens the tuple; a later one is not looked at (the
        // doc of `parse`): a word in parentheses before the tuple fails at
        // its second byte.
        assert_eq!(
            p(b"Entering (mode) (|||80|)"),
            Err(Error::payload(PayloadError::BadDelimiter, 11))
        );
    }
}
