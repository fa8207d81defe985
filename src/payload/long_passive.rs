//! 228 Entering Long Passive Mode: `(af,hal,h1,...,pal,p1,p2)` (RFC 1639
//! section 3, the answer to LPSV).
//!
//! RFC 1639 gives the form as the suggested text
//! `228 Entering Long Passive Mode (af,hal,h1,h2,h3,h4...,pal,p1,p2...)`:
//! the address family (4 for IPv4; BSD's and wu-ftpd's ftpd send 6 for
//! IPv6), the address length in bytes, the address a byte at a time, the
//! port length, and the port a byte at a time, each an unsigned decimal
//! number of 8 bits. This crate's rendering, the two forms servers send:
//! `4,4,h1,h2,h3,h4,2,p1,p2` and `6,16,h1,...,h16,2,p1,p2`, with optional
//! spaces around a comma, as for a 227.

use core::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use super::passive::{PassiveAddr, PassiveConcern};
use crate::encode::{BlockWriter, Sink};
use crate::error::{Error, PayloadError};
use crate::reply::Reply;

/// What to connect to for a 228, from [`LongPassiveAddr::guard`]: a
/// [`PassiveTarget`](super::PassiveTarget) whose offered address may be
/// IPv6.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct LongPassiveTarget {
    /// The control connection's peer with the offered port: the safe
    /// default.
    pub connect_to: SocketAddr,
    /// The address the server offered, with its port.
    pub offered: SocketAddr,
    /// Why the offered address is suspect, `None` when it is the peer's.
    pub concern: Option<PassiveConcern>,
}

/// The address and port of a 228 reply (RFC 1639).
///
/// Any address parses, as for a 227: what to connect to is the caller's
/// decision, and the safe one is the control connection's peer with
/// [`port`](Self::port), which [`guard`](Self::guard) gives (see
/// [`PassiveAddr::guard`] for why).
///
/// An IPv4 address is held as its IPv4-mapped IPv6 form (`::ffff:a.b.c.d`),
/// so the value is 18 bytes of plain data (a const assertion below);
/// [`ip`](Self::ip) gives it back as a `V4`. So does a family-6 tuple
/// of such an address: the same host, as `Ipv6Addr::to_canonical` has it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct LongPassiveAddr {
    octets: [u8; 16],
    port: u16,
}

// 16 address bytes and the port. (An `IpAddr` field, 17 bytes of
// alignment 1 beside the port, made copies of the value link `memcpy` into
// `size-all`: 600 B more flash.)
const _: () = assert!(core::mem::size_of::<LongPassiveAddr>() == 18);

impl LongPassiveAddr {
    /// The value for `ip` and `port`. An IPv4-mapped IPv6 `ip`
    /// (`::ffff:a.b.c.d`) is the IPv4 address it maps, as for a family-6
    /// tuple: [`ip`](Self::ip) gives it back as a `V4`, and the value equals
    /// the one built from that `V4`.
    #[must_use]
    pub const fn new(ip: IpAddr, port: u16) -> Self {
        let octets = match ip {
            IpAddr::V4(v4) => v4.to_ipv6_mapped().octets(),
            IpAddr::V6(v6) => v6.octets(),
        };
        LongPassiveAddr { octets, port }
    }

    /// The address: a `V4` for family 4 (and for an IPv4-mapped address
    /// in family 6), a `V6` otherwise.
    #[must_use]
    pub fn ip(&self) -> IpAddr {
        Ipv6Addr::from(self.octets).to_canonical()
    }

    /// `p1 * 256 + p2`.
    #[must_use]
    pub const fn port(&self) -> u16 {
        self.port
    }

    /// The address and port as a socket address.
    #[must_use]
    pub fn socket_addr(&self) -> SocketAddr {
        SocketAddr::new(self.ip(), self.port)
    }

    /// The address guard for a 228, as [`PassiveAddr::guard`] is for a
    /// 227: given the control connection's peer, the address to connect to
    /// (the peer's IP with the offered port) and whether the offered
    /// address is suspect. A 228 can name any address, of either family,
    /// and following it lets a server aim the client's data connection
    /// anywhere.
    ///
    /// An IPv4 address (family 4, or IPv4-mapped in family 6) gets exactly
    /// a 227's concerns. An IPv6 one: `::` is
    /// [`Unspecified`](PassiveConcern::Unspecified), `::1`
    /// [`Loopback`](PassiveConcern::Loopback), `fe80::/10`
    /// [`LinkLocal`](PassiveConcern::LinkLocal), a multicast address
    /// [`Broadcast`](PassiveConcern::Broadcast), any other but the peer's
    /// [`DiffersFromPeer`](PassiveConcern::DiffersFromPeer). The peer
    /// matches as its canonical address (an IPv4-mapped IPv6 peer is its
    /// IPv4 address).
    #[must_use]
    pub fn guard(&self, peer: IpAddr) -> LongPassiveTarget {
        let concern = match self.ip() {
            IpAddr::V4(ip) => {
                PassiveAddr {
                    ip,
                    port: self.port,
                }
                .guard(peer)
                .concern
            }
            // `ip()` is canonical: never an IPv4-mapped address here.
            IpAddr::V6(ip) => {
                if peer.to_canonical() == IpAddr::V6(ip) {
                    None
                } else if ip.is_unspecified() {
                    Some(PassiveConcern::Unspecified)
                } else if ip.is_loopback() {
                    Some(PassiveConcern::Loopback)
                } else if ip.is_unicast_link_local() {
                    Some(PassiveConcern::LinkLocal)
                } else if ip.is_multicast() {
                    Some(PassiveConcern::Broadcast)
                } else {
                    Some(PassiveConcern::DiffersFromPeer)
                }
            }
        };
        LongPassiveTarget {
            connect_to: SocketAddr::new(peer, self.port),
            offered: self.socket_addr(),
            concern,
        }
    }

    /// Parses the tuple of a 228 reply (any code is accepted here;
    /// [`Reply::long_passive`] checks it): in each line that holds a
    /// digit, from the first `(`, or from the first digit in a line with
    /// none, until one parses (`228-Server 2 ready` before the tuple's
    /// line is skipped, as a 227 or a 229 skips it). Of a block another
    /// code closed ([`Reply::closed_by_other_code`]), only the closing line
    /// is read.
    ///
    /// # Errors
    /// When no line parses, the first line's error:
    /// [`PayloadError::Missing`] when no line holds a digit;
    /// [`PayloadError::BadNumber`] at a field that is not decimal digits
    /// of a value of at most 255, where a field is missing (the text ends, or
    /// no comma follows), and at a comma after the port's last byte;
    /// [`PayloadError::UnsupportedAddress`] at the family when the tuple
    /// is not `4,4,...,2,...` or `6,16,...,2,...`;
    /// [`PayloadError::Truncated`] for a reply the decoder cut. The offset
    /// is into the reply's bytes.
    #[must_use = "parsing has no effect but its result"]
    pub fn parse(reply: &Reply<'_>) -> Result<Self, Error> {
        reply.whole()?;
        let mut first = (PayloadError::Missing, 0);
        let mut lines = reply.payload_lines();
        while let Some((at, text)) = lines.next_at() {
            let Some(digit) = text.iter().position(u8::is_ascii_digit) else {
                continue;
            };
            let start = text
                .iter()
                .position(|&b| b == b'(')
                .map_or(digit, |open| open + 1);
            let tuple = text.get(start..).unwrap_or_default();
            // A line before the tuple's may hold a digit (`228-Server 2
            // ready`): a later line may still hold the tuple, as a 227's
            // or a 229's may.
            // (A line's error is never `Missing`: `first` is unset.)
            match Self::parse_tuple(tuple) {
                Ok(addr) => return Ok(addr),
                Err((kind, off)) if first.0 == PayloadError::Missing => {
                    first = (kind, at + start + off);
                }
                Err(_) => {}
            }
        }
        Err(Error::payload(first.0, first.1))
    }

    /// Parses the numbers at the start of `text` (spaces before the first
    /// allowed); an error comes with its offset into `text`. Each field
    /// goes straight into its place: no array of all the fields (whose
    /// copies linked `memcpy` into a firmware).
    fn parse_tuple(text: &[u8]) -> Result<Self, (PayloadError, usize)> {
        let (mut fields, first) = Fields::new(text);
        let unsupported = (PayloadError::UnsupportedAddress, first);
        // An IPv4 address is kept as `::ffff:a.b.c.d`.
        let mut octets = [0u8; 16];
        let mut port = 0u16;
        // How many fields the tuple has: known at its second.
        let mut total = 2;
        let mut family = 0;
        // One loop with one read of a field: less flash than a read per
        // part of the tuple.
        let mut k = 0;
        while k < total {
            let b = fields.next()?;
            match k {
                0 => family = b,
                1 => {
                    total = match (family, b) {
                        (4, 4) => 9,
                        (6, 16) => 21,
                        _ => return Err(unsupported),
                    };
                    if b == 4 {
                        octets = Ipv4Addr::UNSPECIFIED.to_ipv6_mapped().octets();
                    }
                }
                // The port's length.
                _ if k + 3 == total && b != 2 => return Err(unsupported),
                _ if k + 3 >= total => port = port << 8 | u16::from(b),
                // The address, right-aligned in `octets`.
                _ => {
                    if let Some(slot) = octets.get_mut(k + 19 - total) {
                        *slot = b;
                    }
                }
            }
            k += 1;
        }
        // Nothing more in the tuple.
        if fields.text.get(fields.at) == Some(&b',') {
            return Err((PayloadError::BadNumber, fields.at));
        }
        Ok(LongPassiveAddr { octets, port })
    }

    /// Writes `Entering Long Passive Mode (af,hal,h1,...,2,p1,p2)`.
    pub(crate) fn emit<S: Sink + ?Sized>(&self, out: BlockWriter<'_, S>) -> Result<(), Error> {
        let [p1, p2] = self.port.to_be_bytes();
        // An IPv4 address: the last four of its mapped form's bytes.
        let (family, address) = match self.ip() {
            IpAddr::V4(_) => (4, self.octets.get(12..).unwrap_or_default()),
            IpAddr::V6(_) => (6, self.octets.as_slice()),
        };
        out.last_fmt(format_args!(
            "Entering Long Passive Mode ({family},{}{},2,{p1},{p2})",
            address.len(),
            Bytes(address)
        ))
    }
}

/// `,b1,b2,...`: each byte as a decimal number after a comma.
struct Bytes<'b>(&'b [u8]);

impl core::fmt::Display for Bytes<'_> {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, ",{b}"))
    }
}

/// The fields of a tuple, read one at a time.
struct Fields<'t> {
    text: &'t [u8],
    /// Where the next field, or the comma before it, starts (spaces
    /// skipped).
    at: usize,
    /// A field was read: the next one needs a comma before it.
    started: bool,
}

impl<'t> Fields<'t> {
    /// The fields of `text`, the first past spaces; and where it starts.
    fn new(text: &'t [u8]) -> (Self, usize) {
        let mut fields = Fields {
            text,
            at: 0,
            started: false,
        };
        fields.skip_spaces();
        let first = fields.at;
        (fields, first)
    }

    fn skip_spaces(&mut self) {
        self.at = super::skip_spaces(self.text, self.at);
    }

    /// The next field: after the first, a comma (spaces around it are
    /// fine); then decimal digits (leading zeros are fine, as in a 227 or
    /// a 229) of a value of at most 255, glued to no letter.
    fn next(&mut self) -> Result<u8, (PayloadError, usize)> {
        if self.started {
            if self.text.get(self.at) != Some(&b',') {
                return Err((PayloadError::BadNumber, self.at));
            }
            self.at += 1;
            self.skip_spaces();
        }
        self.started = true;
        let start = self.at;
        let mut value = 0u16;
        while let Some(d) = self.text.get(self.at).filter(|b| b.is_ascii_digit()) {
            value = (value * 10 + u16::from(d - b'0')).min(256);
            self.at += 1;
        }
        let glued = self.text.get(self.at).is_some_and(u8::is_ascii_alphabetic);
        let byte = u8::try_from(value)
            .ok()
            .filter(|_| self.at > start && !glued)
            .ok_or((PayloadError::BadNumber, start))?;
        self.skip_spaces();
        Ok(byte)
    }
}

#[cfg(test)]
mod tests {
    extern crate std;
    use std::string::{String, ToString};

    use super::*;
    use crate::parse_complete;

    fn parse(s: &str) -> Result<LongPassiveAddr, Error> {
        let (_, reply) = parse_complete(s.as_bytes()).unwrap();
        reply.long_passive()
    }

    fn err(s: &str) -> (PayloadError, usize) {
        let e = parse(s).unwrap_err();
        match e.kind() {
            crate::ErrorKind::Payload(k) => (k, e.offset()),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn bsd_ftpd_forms() {
        // FreeBSD's ftpd (`long_passive`), for an IPv4 and an IPv6
        // control connection.
        assert_eq!(
            parse("228 Entering Long Passive Mode (4,4,127,0,0,1,2,195,80)\r\n"),
            Ok(LongPassiveAddr::new(
                IpAddr::V4(Ipv4Addr::new(127, 0, 0, 1)),
                50000
            ))
        );
        assert_eq!(
            parse(
                "228 Entering Long Passive Mode \
                 (6,16,32,1,13,184,0,0,0,0,0,0,0,0,0,0,0,1,2,4,1)\r\n"
            ),
            Ok(LongPassiveAddr::new(
                IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1)),
                1025
            ))
        );
        // Leading zeros.
        assert_eq!(
            parse("228 Entering Long Passive Mode (004,4,127,000,0,01,2,0,021)\r\n")
                .map(|a| a.socket_addr().to_string()),
            Ok(String::from("127.0.0.1:21"))
        );
        // Spaces around commas, no parentheses, a later line.
        assert_eq!(
            parse("228-Entering Long Passive Mode\r\n228 4, 4, 10, 0, 0, 7 ,2,0,21.\r\n")
                .map(|a| a.socket_addr().to_string()),
            Ok(String::from("10.0.0.7:21"))
        );
    }

    #[test]
    fn malformed_tuples_are_refused_at_the_fault() {
        let t = "228 Entering Long Passive Mode (";
        let at = t.len();
        let e = |s: &str| err(&std::format!("{t}{s}\r\n"));
        assert_eq!(
            e("5,4,1,2,3,4,2,0,21)"),
            (PayloadError::UnsupportedAddress, at)
        );
        assert_eq!(
            e("4,16,1,2,3,4,2,0,21)"),
            (PayloadError::UnsupportedAddress, at)
        );
        assert_eq!(
            e("4,4,1,2,3,4,3,0,0,21)"),
            (PayloadError::UnsupportedAddress, at)
        );
        assert_eq!(
            e("4,4,1,256,3,4,2,0,21)"),
            (PayloadError::BadNumber, at + 6)
        );
        assert_eq!(
            e("4,4,1,0256,3,4,2,0,21)"),
            (PayloadError::BadNumber, at + 6)
        );
        assert_eq!(e("4,4,1,2a,3,4,2,0,21)"), (PayloadError::BadNumber, at + 6));
        assert_eq!(e("4,4,1,-2,3,4,2,0,21)"), (PayloadError::BadNumber, at + 6));
        assert_eq!(e("4,4,1,,3,4,2,0,21)"), (PayloadError::BadNumber, at + 6));
        assert_eq!(e("4,4,1,2,3,4,2,0)"), (PayloadError::BadNumber, at + 15));
        assert_eq!(e("4,4,1,2,3,4,2,0,"), (PayloadError::BadNumber, at + 16));
        assert_eq!(
            e("4,4,1,2,3,4,2,0,21,7)"),
            (PayloadError::BadNumber, at + 18)
        );
        assert_eq!(e(")"), (PayloadError::Missing, 0));
        assert_eq!(
            err("228 Entering Long Passive Mode\r\n"),
            (PayloadError::Missing, 0)
        );
        assert_eq!(
            parse("227 Entering Passive Mode (1,2,3,4,5,6)\r\n")
                .unwrap_err()
                .kind(),
            crate::ErrorKind::WrongCode
        );
    }

    #[test]
    fn writes_what_it_reads() {
        for (ip, port) in [
            (IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1)), 0),
            (IpAddr::V4(Ipv4Addr::UNSPECIFIED), 65535),
            (IpAddr::V6(Ipv6Addr::LOCALHOST), 21),
            (
                IpAddr::V6(Ipv6Addr::new(0xfe80, 0, 0, 0, 1, 2, 3, 0xffff)),
                4096,
            ),
        ] {
            let addr = LongPassiveAddr::new(ip, port);
            assert_eq!((addr.ip(), addr.port()), (ip, port));
            let payload = crate::payload::Payload::LongPassive(addr);
            let mut buf = [0u8; 128];
            let code = crate::ReplyCode::new(228).unwrap();
            let n = payload.encode_to(code, &mut buf).unwrap();
            let (rest, reply) = parse_complete(&buf[..n]).unwrap();
            assert!(rest.is_empty());
            assert_eq!(reply.payload(), Ok(payload), "{:?}", reply);
        }
    }
}
