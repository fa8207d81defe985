//! 227 Entering Passive Mode: `h1,h2,h3,h4,p1,p2` (RFC 959 section 4.1.2
//! and 4.2.2; RFC 1123 section 4.1.2.6).

use core::net::Ipv4Addr;

use super::offset_of;
use crate::error::{Error, ErrorKind, PassiveError};
use crate::reply::Reply;

/// The address and port of a 227 reply.
///
/// `0.0.0.0` and any other address parse: what to connect to is the
/// caller's decision; [`PassiveAddr::guard`] helps with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct PassiveAddr {
    /// `h1.h2.h3.h4`.
    pub ip: Ipv4Addr,
    /// `p1 * 256 + p2`.
    pub port: u16,
}

impl PassiveAddr {
    /// The address and port as a socket address.
    #[must_use]
    pub const fn socket_addr(&self) -> core::net::SocketAddrV4 {
        core::net::SocketAddrV4::new(self.ip, self.port)
    }

    /// Parses the tuple from the text of a 227 reply (any code is accepted
    /// here; [`Reply::passive`] checks it).
    ///
    /// The text around the six numbers varies between servers: with or
    /// without parentheses, `=` before them, a period after, other words
    /// before. As RFC 1123 section 4.1.2.6 advises, the tuple is found by
    /// scanning, not by its punctuation: it starts at the first run of
    /// digits next to a comma, in the first line that has one.
    ///
    /// # Errors
    /// [`ErrorKind::Passive`] with the reason, at the offset (into the
    /// reply's bytes) of the field at fault or of where the tuple stopped.
    pub fn parse(reply: &Reply<'_>) -> Result<Self, Error> {
        let raw = reply.as_bytes();
        let mut fallback = None;
        for line in reply.lines() {
            if let Some(start) = tuple_start(line) {
                let text = line.get(start..).unwrap_or_default();
                let opened = start.checked_sub(1).and_then(|j| line.get(j)) == Some(&b'(');
                return parse_fields(text, opened).map_err(|(e, at)| {
                    Error::new(ErrorKind::Passive(e), offset_of(raw, text) + at)
                });
            }
            if fallback.is_none() {
                fallback = line
                    .iter()
                    .position(u8::is_ascii_digit)
                    .and_then(|i| line.get(i..));
            }
        }
        match fallback {
            Some(text) => parse_fields(text, false)
                .map_err(|(e, at)| Error::new(ErrorKind::Passive(e), offset_of(raw, text) + at)),
            None => Err(Error::new(
                ErrorKind::Passive(PassiveError::Missing),
                raw.len().min(4),
            )),
        }
    }
}

/// Why the address a 227 offers is suspect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum PassiveConcern {
    /// `0.0.0.0`: no address at all (some servers behind NAT send it).
    Unspecified,
    /// `127.0.0.0/8` while the control connection's peer is elsewhere.
    Loopback,
    /// `169.254.0.0/16`.
    LinkLocal,
    /// `255.255.255.255`, or a multicast address.
    Broadcast,
    /// A usable address, but not the control connection's peer: following
    /// it would let the server aim the client's data connection at a third
    /// host (CVE-2020-8284, CVE-2021-4189).
    DiffersFromPeer,
}

/// What to connect to for a 227, from [`PassiveAddr::guard`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct PassiveTarget {
    /// The control connection's peer with the offered port: the safe
    /// default, as curl, Python's ftplib and Apache Commons Net do.
    pub connect_to: core::net::SocketAddr,
    /// The address the server offered, with its port.
    pub offered: core::net::SocketAddrV4,
    /// Why the offered address is suspect, `None` when it is the peer's.
    pub concern: Option<PassiveConcern>,
}

impl PassiveAddr {
    /// The PASV address guard: given the control connection's peer, the
    /// address to connect to (the peer's IP with the offered port) and
    /// whether the offered IP is suspect, so the caller can choose to use
    /// it anyway (say, a server behind a load balancer it trusts).
    ///
    /// A 227 can name any address; trusting it lets a server aim the
    /// client's data connection anywhere (a port scan or a request to an
    /// internal host from the client's network).
    #[must_use]
    pub fn guard(&self, peer: core::net::IpAddr) -> PassiveTarget {
        let ip = self.ip;
        let peer_v4 = match peer {
            core::net::IpAddr::V4(v4) => Some(v4),
            core::net::IpAddr::V6(v6) => v6.to_ipv4_mapped(),
        };
        let concern = if peer_v4 == Some(ip) {
            None
        } else if ip.is_unspecified() {
            Some(PassiveConcern::Unspecified)
        } else if ip.is_loopback() {
            Some(PassiveConcern::Loopback)
        } else if ip.is_link_local() {
            Some(PassiveConcern::LinkLocal)
        } else if ip.is_broadcast() || ip.is_multicast() {
            Some(PassiveConcern::Broadcast)
        } else {
            Some(PassiveConcern::DiffersFromPeer)
        };
        PassiveTarget {
            connect_to: core::net::SocketAddr::new(peer, self.port),
            offered: self.socket_addr(),
            concern,
        }
    }
}

fn is_field_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'-' || b == b'+'
}

/// Where the tuple starts in `line`: find the first run of digits that a
/// comma follows or precedes, then walk back over the fields and commas
/// before it (so an empty or negative first field is seen).
fn tuple_start(line: &[u8]) -> Option<usize> {
    let mut i = 0;
    let mut anchor = None;
    while i < line.len() {
        if line.get(i).is_some_and(u8::is_ascii_digit) {
            let end = line
                .get(i..)
                .and_then(|s| s.iter().position(|b| !b.is_ascii_digit()))
                .map_or(line.len(), |n| i + n);
            let before = i.checked_sub(1).and_then(|j| line.get(j)).copied();
            let next_comma = line
                .get(end..)
                .and_then(|s| s.iter().find(|&&b| b != b' '))
                .is_some_and(|&b| b == b',');
            if next_comma || before == Some(b',') {
                anchor = Some(i);
                break;
            }
            i = end;
        } else {
            i += 1;
        }
    }
    let mut start = anchor?;
    while let Some(&b) = start.checked_sub(1).and_then(|j| line.get(j)) {
        if is_field_byte(b) || b == b',' {
            start -= 1;
        } else {
            break;
        }
    }
    Some(start)
}

/// Parses `h1,h2,h3,h4,p1,p2` at the start of `text`. An error comes with
/// its offset into `text`. `opened`: a `(` stands before the tuple, so a
/// line that ends before `)` and the sixth number was cut short.
fn parse_fields(text: &[u8], opened: bool) -> Result<PassiveAddr, (PassiveError, usize)> {
    let mut fields = [0u8; 6];
    let mut count = 0usize;
    let mut pos = 0usize;
    loop {
        while text.get(pos) == Some(&b' ') && count > 0 {
            pos += 1;
        }
        let field_start = pos;
        while text.get(pos).is_some_and(|&b| is_field_byte(b)) {
            pos += 1;
        }
        let field = text.get(field_start..pos).unwrap_or_default();
        if field.is_empty() {
            return Err(if pos >= text.len() {
                (PassiveError::Truncated, pos)
            } else {
                (PassiveError::EmptyField, pos)
            });
        }
        let value = field_value(field).map_err(|e| (e, field_start))?;
        if let Some(slot) = fields.get_mut(count) {
            *slot = value;
        }
        count += 1;
        let mut look = pos;
        while text.get(look) == Some(&b' ') {
            look += 1;
        }
        if text.get(look) == Some(&b',') {
            pos = look + 1;
        } else {
            break;
        }
    }
    if count == 6 {
        let [h1, h2, h3, h4, p1, p2] = fields;
        return Ok(PassiveAddr {
            ip: Ipv4Addr::new(h1, h2, h3, h4),
            port: u16::from(p1) << 8 | u16::from(p2),
        });
    }
    if count < 6 && opened && pos >= text.len() {
        Err((PassiveError::Truncated, pos))
    } else {
        Err((PassiveError::WrongCount(count.min(255) as u8), pos))
    }
}

/// One decimal field, 0 to 255, any number of leading zeros.
fn field_value(field: &[u8]) -> Result<u8, PassiveError> {
    if field.first() == Some(&b'-') {
        return Err(PassiveError::NegativeField);
    }
    if !field.iter().all(u8::is_ascii_digit) {
        return Err(PassiveError::NonDecimalField);
    }
    let mut value = 0u16;
    for &b in field {
        value = value * 10 + u16::from(b - b'0');
        if value > 255 {
            return Err(PassiveError::FieldTooLarge);
        }
    }
    u8::try_from(value).map_err(|_| PassiveError::FieldTooLarge)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields() {
        assert_eq!(field_value(b"000255"), Ok(255));
        assert_eq!(field_value(b"256"), Err(PassiveError::FieldTooLarge));
        assert_eq!(
            field_value(b"99999999999999999999999"),
            Err(PassiveError::FieldTooLarge)
        );
        assert_eq!(field_value(b"-1"), Err(PassiveError::NegativeField));
        assert_eq!(field_value(b"0x7f"), Err(PassiveError::NonDecimalField));
    }

    #[test]
    fn start() {
        assert_eq!(
            tuple_start(b"Entering Passive Mode (1,2,3,4,5,6)"),
            Some(23)
        );
        assert_eq!(tuple_start(b"Banner 2024"), None);
        assert_eq!(tuple_start(b"=(,2,3,4,5,6)"), Some(2));
    }
}
