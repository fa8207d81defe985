//! 227 Entering Passive Mode: `h1,h2,h3,h4,p1,p2` (RFC 959 section 4.1.2
//! and 4.2.2; RFC 1123 section 4.1.2.6).

use core::net::Ipv4Addr;

use crate::encode::{BlockWriter, Sink};
use crate::error::{Error, PayloadError};
use crate::reply::Reply;

/// The address and port of a 227 reply.
///
/// `0.0.0.0` and any other address parse, and so does port 0 (`...,0,0`),
/// which nothing can connect to: what to connect to is the caller's
/// decision; [`PassiveAddr::guard`] helps with it, and the client engine
/// fails the operation on port 0 (`FailReason::PortZero`). A 229's port
/// stands alone, so [`ExtendedPassive`](crate::payload::ExtendedPassive)
/// refuses 0 as it parses (`BadPort`).
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
    /// scanning, not by its punctuation: each run of digits next to a comma
    /// is a candidate, taken from where the letters, digits, signs and
    /// commas just before it begin (so `-1,` and `,2` are seen and
    /// explained). The first candidate that parses, in the first line that
    /// has one, is the answer; so `Nov 26, 2024` before the real tuple
    /// (on the same line or an earlier one) does not hide it. (Of a block
    /// another code closed, [`Reply::closed_by_other_code`], only the
    /// closing line is read.) A candidate
    /// that fails hands on where its parse stopped: the scan goes forward
    /// only, in time linear in the text. Once a candidate has begun its
    /// numbers (a field before the fault, or a digit in the field at
    /// fault), the rest of its run (fields and commas, with the spaces the
    /// fields allow around a comma) is skipped: `(256,1,2,3,4,5,6)`,
    /// `(-1,2,3,4,5,6,7)`, `(0a,1,2,3,4,5,6)`, `(1,,2,3,4,5,6,7)` and
    /// `(1, 2, 300, 4, 5, 6, 7, 8, 9)` are errors, as `(1,2,3,4,5,6,7)` is,
    /// not the address of their last six numbers.
    ///
    /// When no candidate parses, the error is the first candidate's; when
    /// there is none, the numbers from the first digit are parsed to say
    /// what is wrong.
    ///
    /// # Errors
    /// [`ErrorKind::Payload`](crate::ErrorKind::Payload) with the reason, at the offset (into the
    /// reply's bytes) of the field at fault or of where the tuple stopped;
    /// [`PayloadError::Truncated`] for a reply the decoder cut.
    #[must_use = "parsing has no effect but its result"]
    pub fn parse(reply: &Reply<'_>) -> Result<Self, Error> {
        // The common case where speed is asked for (on microcontrollers
        // the general scan alone gives the same answers in less flash): a
        // single-line reply whose tuple `canonical_tuple` reads, taken
        // from the bytes after `227 ` with no line iterator (10% of the
        // instructions of `parse_complete` + `passive()`). Its line end is
        // no field byte, no digit and no comma, so the fast path reads the
        // text with it as it reads the text alone (`fast_path_agrees`).
        #[cfg(target_pointer_width = "64")]
        if reply.line_count() == 1
            && !reply.is_truncated()
            && let Some(addr) = reply.as_bytes().get(4..).and_then(canonical_tuple)
        {
            return Ok(addr);
        }
        Self::parse_lines(reply)
    }

    /// [`parse`](Self::parse) line by line (for a single-line reply, the
    /// general scan alone: `fast_path_agrees` compares the two).
    fn parse_lines(reply: &Reply<'_>) -> Result<Self, Error> {
        reply.whole()?;
        let mut found = Found {
            kind: PayloadError::Missing,
            at: reply.as_bytes().len(),
            rank: 0,
        };
        let mut lines = reply.payload_lines();
        while let Some((at, text)) = lines.next_at() {
            // A speed-up where speed is asked for; on microcontrollers the
            // general scan alone gives the same answers in less flash. (A
            // single-line reply's one line was tried by `parse`.)
            #[cfg(target_pointer_width = "64")]
            if reply.line_count() > 1
                && let Some(addr) = canonical_tuple(text)
            {
                return Ok(addr);
            }
            found.note(PayloadError::Missing, at, 1);
            if let Some(addr) = scan_line(text, at, &mut found) {
                return Ok(addr);
            }
            if found.rank < 2
                && let Some(digit) = text.iter().position(u8::is_ascii_digit)
            {
                // No candidate yet: the numbers from the first digit say
                // what is wrong (a run of digits without a comma next to
                // it never parses).
                let from = text.get(digit..).unwrap_or_default();
                if let Err((e, off, _)) = parse_fields(from, false) {
                    found.note(e, at + digit + off, 2);
                }
            }
        }
        Err(Error::payload(found.kind, found.at))
    }
}

/// The error to report so far: a candidate's (rank 3) over the numbers
/// from the first digit (2) over `Missing` at the first line (1) or at the
/// end of the reply (0); the first of each rank wins.
struct Found {
    kind: PayloadError,
    at: usize,
    rank: u8,
}

impl Found {
    fn note(&mut self, kind: PayloadError, at: usize, rank: u8) {
        if rank > self.rank {
            *self = Found { kind, at, rank };
        }
    }
}

impl PassiveAddr {
    /// Writes `Entering Passive Mode (h1,h2,h3,h4,p1,p2).`
    pub(crate) fn emit<S: Sink + ?Sized>(&self, out: BlockWriter<'_, S>) -> Result<(), Error> {
        let [h1, h2, h3, h4] = self.ip.octets();
        let [p1, p2] = self.port.to_be_bytes();
        out.last_fmt(format_args!(
            "Entering Passive Mode ({h1},{h2},{h3},{h4},{p1},{p2})."
        ))
    }
}

/// Why the address a 227 (or a 228) offers is suspect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
#[non_exhaustive]
pub enum PassiveConcern {
    /// `0.0.0.0` (or a 228's `::`): no address at all (some servers behind
    /// NAT send it).
    Unspecified,
    /// `127.0.0.0/8` (or a 228's `::1`), and not the control connection's
    /// peer (a peer at another loopback address, or at IPv6's `::1`,
    /// included).
    Loopback,
    /// `169.254.0.0/16` (or a 228's `fe80::/10`).
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
    b != b',' && is_run_byte(b)
}

/// A field byte or a comma: a letter, a digit, or one of `+,-` (three
/// bytes in a row in ASCII).
pub(super) fn is_run_byte(b: u8) -> bool {
    (b | 0x20).wrapping_sub(b'a') < 26 || b.wrapping_sub(b'0') < 10 || b.wrapping_sub(b'+') < 3
}

#[cfg_attr(not(target_pointer_width = "64"), allow(dead_code))]
/// The common case in one tight pass: the line's first digit starts six
/// fields of 1 to 3 digits, each at most 255, separated by bare commas,
/// with nothing tuple-like around them. `None` sends the line to the
/// general scan, which accepts the same tuples (and more) and explains
/// what is wrong otherwise.
fn canonical_tuple(line: &[u8]) -> Option<PassiveAddr> {
    let start = first_digit(line)?;
    if let Some(&before) = start.checked_sub(1).and_then(|j| line.get(j))
        && (is_field_byte(before) || before == b',')
    {
        return None;
    }
    let mut rest = line.get(start..)?;
    let mut fields = [0u8; 6];
    for (k, slot) in fields.iter_mut().enumerate() {
        let mut value = 0u16;
        let mut digits = 0;
        while let [d @ b'0'..=b'9', tail @ ..] = rest {
            if digits == 3 {
                return None;
            }
            value = value * 10 + u16::from(d - b'0');
            digits += 1;
            rest = tail;
        }
        *slot = u8::try_from(value).ok().filter(|_| digits > 0)?;
        if k < 5 {
            rest = rest.strip_prefix(b",")?;
        }
    }
    let after = rest.iter().find(|&&b| b != b' ');
    if rest.first().is_some_and(|&b| is_field_byte(b)) || after == Some(&b',') {
        return None;
    }
    let [h1, h2, h3, h4, p1, p2] = fields;
    Some(PassiveAddr {
        ip: Ipv4Addr::new(h1, h2, h3, h4),
        port: u16::from(p1) << 8 | u16::from(p2),
    })
}

/// Where the first digit of `line` is, eight bytes at a time (the fast
/// path's search past the words before the tuple).
#[cfg_attr(not(target_pointer_width = "64"), allow(dead_code))]
fn first_digit(line: &[u8]) -> Option<usize> {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let mut words = line.chunks_exact(8);
    let mut at = 0;
    for word in words.by_ref() {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(word);
        // Each byte less b'0': a digit is below 10, so its high bit is
        // clear and so is the high bit of it plus 0x76 (no byte carries
        // into the next, as the high bits are cleared first).
        let t = u64::from_le_bytes(bytes) ^ 0x3030_3030_3030_3030;
        let digits = !(((t & LOW7) + 0x7676_7676_7676_7676) | t) & HIGH;
        if digits != 0 {
            return Some(at + (digits.trailing_zeros() / 8) as usize);
        }
        at += 8;
    }
    words
        .remainder()
        .iter()
        .position(u8::is_ascii_digit)
        .map(|i| at + i)
}

/// Scans one line for the tuple: `Ok` with the first candidate that
/// parses, or `Err` with the first candidate's error and its offset into
/// `line` (`None`: no candidate at all).
///
/// A candidate starts at a run of digits that a comma follows (after
/// optional spaces) or precedes (the anchor), from where the run of field
/// bytes and commas that holds it begins (not before where the search
/// started), so that an empty or negative first field is seen.
///
/// Linear: the search only looks forward, and after a candidate fails
/// the next one starts where its parse stopped. While that is still before
/// the anchor the last search found, it is the next candidate itself
/// (everything from there to the anchor is field bytes and commas, so the
/// search would walk back to it), and nothing is searched again.
#[cfg_attr(target_pointer_width = "64", inline(never))]
fn scan_line(line: &[u8], at: usize, found: &mut Found) -> Option<PassiveAddr> {
    let mut from = 0;
    let mut anchor = 0;
    loop {
        let mut start = from;
        if from >= anchor {
            let mut i = from;
            loop {
                let b = *line.get(i)?;
                i += 1;
                if b.is_ascii_digit() {
                    let digit = i - 1;
                    let comma_before = digit > from && line.get(digit - 1) == Some(&b',');
                    while line.get(i).is_some_and(u8::is_ascii_digit) {
                        i += 1;
                    }
                    let mut next = i;
                    while line.get(next) == Some(&b' ') {
                        next += 1;
                    }
                    if comma_before || line.get(next) == Some(&b',') {
                        anchor = digit;
                        break;
                    }
                } else if !is_run_byte(b) {
                    start = i;
                }
            }
        }
        let opened = start.checked_sub(1).and_then(|j| line.get(j)) == Some(&b'(');
        match parse_fields(line.get(start..).unwrap_or_default(), opened) {
            Ok(addr) => return Some(addr),
            Err((e, off, stop)) => {
                found.note(e, at + start + off, 3);
                from = start + stop.max(1);
            }
        }
    }
}

/// Parses `h1,h2,h3,h4,p1,p2` at the start of `text` in one pass. An error
/// comes with its offset into `text` and where the scan stopped.
/// `opened`: a `(` stands before the tuple, so a line that ends before the
/// sixth number was cut short.
fn parse_fields(text: &[u8], opened: bool) -> Result<PassiveAddr, (PayloadError, usize, usize)> {
    let mut fields = [0u8; 6];
    let mut count = 0usize;
    let mut i = 0usize;
    // The first fault and where its field starts. Once the tuple has begun
    // (a number before, or a digit in the field at fault), the fields and
    // separators after it are read on, and the scan goes on after the
    // whole run: `(256,1,2,3,4,5,6)`, `(-1,2,3,4,5,6,7)` and
    // `(1, 2, 300, 4, 5, 6, 7, 8, 9)` are no address of their last six
    // numbers.
    let mut fault = None;
    loop {
        let start = i;
        let mut value = 0u16;
        let mut decimal = true;
        let mut digits = false;
        while let Some(&b) = text.get(i) {
            if b.is_ascii_digit() {
                value = (value * 10 + u16::from(b - b'0')).min(256);
                digits = true;
            } else if is_field_byte(b) {
                decimal = false;
            } else {
                break;
            }
            i += 1;
        }
        // The field's fault, if any (`None`: a number, kept).
        let kind = if i == start {
            Some(if i >= text.len() {
                PayloadError::TruncatedTuple
            } else {
                PayloadError::EmptyField
            })
        } else if !decimal {
            Some(if text.get(start) == Some(&b'-') {
                PayloadError::NegativeField
            } else {
                PayloadError::NonDecimalField
            })
        } else if value > 255 {
            Some(PayloadError::FieldTooLarge)
        } else {
            if let Some(slot) = fields.get_mut(count) {
                *slot = value as u8;
            }
            count += 1;
            None
        };
        if let (None, Some(kind)) = (fault, kind) {
            if count == 0 && !digits {
                return Err((kind, start, i));
            }
            fault = Some((kind, start));
        }
        let mut look = i;
        while text.get(look) == Some(&b' ') {
            look += 1;
        }
        if text.get(look) != Some(&b',') {
            break;
        }
        i = look + 1;
        while text.get(i) == Some(&b' ') {
            i += 1;
        }
    }
    if let Some((kind, at)) = fault {
        return Err((kind, at, i));
    }
    if count == 6 {
        let [h1, h2, h3, h4, p1, p2] = fields;
        return Ok(PassiveAddr {
            ip: Ipv4Addr::new(h1, h2, h3, h4),
            port: u16::from(p1) << 8 | u16::from(p2),
        });
    }
    let kind = if count < 6 && opened && i >= text.len() {
        PayloadError::TruncatedTuple
    } else {
        PayloadError::WrongFieldCount(count.min(255) as u8)
    };
    Err((kind, i, i))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::payload::testing::xorshift;

    /// [`scan_line`] as the old scan answered: the address, or the first
    /// candidate's error (`None`: no candidate).
    fn scan(line: &[u8]) -> Result<PassiveAddr, Option<Error>> {
        let mut found = Found {
            kind: PayloadError::Missing,
            at: 0,
            rank: 0,
        };
        match scan_line(line, 0, &mut found) {
            Some(addr) => Ok(addr),
            None => Err((found.rank == 3).then(|| Error::payload(found.kind, found.at))),
        }
    }

    #[test]
    fn start() {
        let e = |t: &[u8]| scan(t).map_err(|e| e.map(|e| (e.kind(), e.offset())));
        let payload = crate::ErrorKind::Payload;
        assert_eq!(
            e(b"Entering Passive Mode (1,2,3,4,5,6)").map(|a| a.port),
            Ok(1286)
        );
        assert_eq!(e(b"Banner 2024"), Err(None));
        assert_eq!(
            e(b"=(,2,3,4,5,6)"),
            Err(Some((payload(PayloadError::EmptyField), 2)))
        );
        // The date's `26,` is the first candidate; the tuple still parses.
        assert_eq!(e(b"Nov 26, 2024 (1,2,3,4,5,6)").map(|a| a.port), Ok(1286));
        assert_eq!(
            e(b"Nov 26, 2024"),
            Err(Some((payload(PayloadError::FieldTooLarge), 8)))
        );
        assert_eq!(
            e(b"x x,x,x,1,"),
            Err(Some((payload(PayloadError::NonDecimalField), 2)))
        );
    }

    /// A run longer than six numbers whose first fields are at fault is
    /// refused as a whole, as `(1,2,3,4,5,6,7)` is: its last six numbers
    /// are no address the server sent. Words and empty fields before the
    /// first digit are still passed over.
    #[test]
    fn no_tuple_from_the_middle_of_a_run() {
        let e = |t: &[u8]| scan(t).map_err(|e| e.map(|e| (e.kind(), e.offset())));
        let payload = crate::ErrorKind::Payload;
        for (t, kind, at) in [
            (
                &b"(1,2,3,4,5,6,7)"[..],
                PayloadError::WrongFieldCount(7),
                14,
            ),
            (b"(256,1,2,3,4,5,6)", PayloadError::FieldTooLarge, 1),
            (b"(-1,2,3,4,5,6,7)", PayloadError::NegativeField, 1),
            (b"(1,,2,3,4,5,6,7)", PayloadError::EmptyField, 3),
            (b"(a1,2,3,4,5,6,7)", PayloadError::NonDecimalField, 1),
            (
                b"(1, 2, 300, 4, 5, 6, 7, 8)",
                PayloadError::FieldTooLarge,
                7,
            ),
            (b"1,,,,,1,,,,,,27,0,0,1,156,67", PayloadError::EmptyField, 2),
            (
                b"(1, 2, 300, 4, 5, 6, 7, 8, 9)",
                PayloadError::FieldTooLarge,
                7,
            ),
            (
                b"(1 ,2 , 300 ,4 , 5,6, 7,8 ,9)",
                PayloadError::FieldTooLarge,
                8,
            ),
            (b"(0a,1,2,3,4,5,6)", PayloadError::NonDecimalField, 1),
            (b"(a0,1,2,3,4,5,6)", PayloadError::NonDecimalField, 1),
            (b"(1,2,3,4,5,6, 7)", PayloadError::WrongFieldCount(7), 15),
        ] {
            assert_eq!(e(t), Err(Some((payload(kind), at))), "{t:?}");
        }
        for (t, port) in [
            (&b"(,1,2,3,4,5,6)"[..], 1286),
            (b"Mode,1,2,3,4,5,6", 1286),
            (b"(256,1,2) (1,2,3,4,5,6)", 1286),
            (b"Nov 26, 2024 (1,2,3,4,5,6)", 1286),
            (b"(1,2,300) 4,5,6,7,8,9", 2057),
            (b"(1, 2, 300)  (4, 5, 6, 7, 8, 9)", 2057),
        ] {
            assert_eq!(e(t).map(|a| a.port), Ok(port), "{t:?}");
        }
    }

    #[test]
    fn first_digit_by_words() {
        let mut line = [b'x'; 43];
        for at in 0..43 {
            for b in 0..=255u8 {
                line.fill(b'x');
                line[at] = b;
                let want = line.iter().position(u8::is_ascii_digit);
                assert_eq!(first_digit(&line), want, "{at} {b}");
                assert_eq!(first_digit(&line[..at]), None, "{at} {b}");
            }
        }
        for b in 0..=255u8 {
            let t = [b; 17];
            assert_eq!(
                first_digit(&t),
                t.iter().position(u8::is_ascii_digit),
                "{b}"
            );
        }
        // Random bytes, so that every neighbour of the first digit (any
        // byte value, high bit set or not) is tried.
        let mut state = 0x2545_f491_4f6c_dd1du64;
        let mut line = [0u8; 64];
        for _ in 0..200_000 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let len = (state % 65) as usize;
            for (k, b) in line.iter_mut().enumerate() {
                let r = (state.rotate_left(k as u32 * 7) ^ (k as u64 * 0x9e37_79b9)) as u8;
                // Mostly not digits, so the first one is often far in.
                *b = if r.is_ascii_digit() && state & 3 != 0 {
                    r ^ 0x80
                } else {
                    r
                };
            }
            let t = &line[..len];
            assert_eq!(
                first_digit(t),
                t.iter().position(u8::is_ascii_digit),
                "{t:?}"
            );
        }
    }

    #[test]
    fn canonical() {
        let c = |t: &[u8]| canonical_tuple(t).map(|a| (a.ip.octets(), a.port));
        assert_eq!(
            c(b"Entering Passive Mode (127,0,0,1,156,67)."),
            Some(([127, 0, 0, 1], 40003))
        );
        assert_eq!(c(b"=1,2,3,4,5,6"), Some(([1, 2, 3, 4], 1286)));
        // Left to the general scan: it decides these (or explains them).
        for t in [
            &b"x1,2,3,4,5,6"[..],
            b"1,2,3,4,5,6,7",
            b"1,2,3,4,5,6 ,7",
            b"1,2,3,4,5,6a",
            b"1, 2,3,4,5,6",
            b"0001,2,3,4,5,6",
            b"256,2,3,4,5,6",
            b"Mode 2 (1,2,3,4,5,6)",
            b"-1,2,3,4,5,6",
        ] {
            assert_eq!(c(t), None, "{}", core::str::from_utf8(t).unwrap());
        }
    }

    #[test]
    fn fields() {
        assert_eq!(
            parse_fields(b"1, 2,3 ,4,5,006)", true).map(|a| a.port),
            Ok(5 * 256 + 6)
        );
        // The scan goes on after the whole run (5), not after the field (3).
        assert_eq!(
            parse_fields(b"256,0", false),
            Err((PayloadError::FieldTooLarge, 0, 5))
        );
        assert_eq!(
            parse_fields(b"1,x,2 ) 3,4", false),
            Err((PayloadError::NonDecimalField, 2, 5))
        );
        // A field without a digit before any number (a word glued
        // to the tuple) has not begun it: the scan goes on after it.
        assert_eq!(
            parse_fields(b"Mode,1,2", false),
            Err((PayloadError::NonDecimalField, 0, 4))
        );
        let e = |t: &[u8]| parse_fields(t, false).map_err(|e| e.0);
        assert_eq!(
            e(b"99999999999999999999999,0"),
            Err(PayloadError::FieldTooLarge)
        );
        assert_eq!(e(b"000255,0,0,0,0,0").map(|a| a.ip.octets()[0]), Ok(255));
        assert_eq!(e(b"1,-1"), Err(PayloadError::NegativeField));
        assert_eq!(e(b"0x7f,1"), Err(PayloadError::NonDecimalField));
        assert_eq!(e(b"12a,1"), Err(PayloadError::NonDecimalField));
    }

    /// The scan of commit 56ffebc (quadratic: it searched again from one
    /// byte further on and walked back over the fields), as the reference.
    fn old_tuple_start(line: &[u8], from: usize) -> Option<usize> {
        let tail = line.get(from..)?;
        let mut i = 0;
        let anchor = loop {
            let d = i + tail.get(i..)?.iter().position(u8::is_ascii_digit)?;
            let end = d + tail[d..].iter().take_while(|b| b.is_ascii_digit()).count();
            let before = d.checked_sub(1).and_then(|j| tail.get(j));
            let next = tail[end..].iter().find(|&&b| b != b' ');
            if next == Some(&b',') || before == Some(&b',') {
                break d;
            }
            i = end;
        };
        let mut start = anchor;
        while let Some(&b) = start.checked_sub(1).and_then(|j| tail.get(j)) {
            if is_field_byte(b) || b == b',' {
                start -= 1;
            } else {
                break;
            }
        }
        Some(from + start)
    }

    fn old_scan_line(line: &[u8]) -> Result<PassiveAddr, Option<Error>> {
        let mut first_err = None;
        let mut from = 0;
        while let Some(start) = old_tuple_start(line, from) {
            let opened = start.checked_sub(1).and_then(|j| line.get(j)) == Some(&b'(');
            match parse_fields(&line[start..], opened) {
                Ok(addr) => return Ok(addr),
                Err((e, at, stop)) => {
                    first_err.get_or_insert(Error::payload(e, start + at));
                    from = start + stop.max(1);
                }
            }
        }
        Err(first_err)
    }

    /// The linear scan gives the old scan's answer on every line, and the
    /// fast path only ever agrees with both.
    #[test]
    fn same_answers_as_the_old_scan() {
        const ALPHABET: &[u8] = b"0123456789,,,,  (-+a.";
        let mut next = xorshift(0x9e37_79b9_7f4a_7c15u64);
        let mut line = [0u8; 40];
        for _ in 0..300_000 {
            let len = (next() % 41) as usize;
            for b in &mut line[..len] {
                *b = ALPHABET[(next() % ALPHABET.len() as u64) as usize];
            }
            let t = &line[..len];
            let new = scan(t);
            assert_eq!(new, old_scan_line(t), "{:?}", core::str::from_utf8(t));
            if let Some(fast) = canonical_tuple(t) {
                assert_eq!(new, Ok(fast), "{:?}", core::str::from_utf8(t));
            }
        }
    }

    /// A single-line reply read by the fast path at the top of `parse`
    /// (its text and line end straight from the bytes) gets the answer the
    /// line-by-line reading gives, for any text and either line end.
    #[test]
    fn fast_path_agrees() {
        extern crate std;
        // Pieces of tuples and of the text around them, so that lines the
        // fast path takes and near misses are both common.
        const PIECES: &[&[u8]] = &[
            b"Entering Passive Mode ",
            b"(",
            b")",
            b".",
            b" ",
            b", ",
            b"=",
            b"-",
            b"a",
            b"\r",
            b"256",
            b"0001",
            b"0",
            b"1",
            b"12",
            b"127",
            b"255",
        ];
        let mut next = xorshift(0x2545_f491_4f6c_dd1du64);
        let mut fast = 0;
        for _ in 0..200_000 {
            let mut raw = std::vec::Vec::from(&b"227 "[..]);
            for k in 0..next() % 16 {
                // Mostly number, comma, number, ...: a tuple or close to one.
                let piece: &[u8] = match next() % 5 {
                    0 => PIECES[(next() % PIECES.len() as u64) as usize],
                    _ if k % 2 == 1 => b",",
                    _ => PIECES[12 + (next() % 5) as usize],
                };
                raw.extend_from_slice(piece);
            }
            raw.extend_from_slice(if next() & 1 == 0 { b"\r\n" } else { b"\n" });
            let Ok((_, reply)) = crate::parse_complete(&raw) else {
                continue;
            };
            let got = PassiveAddr::parse(&reply);
            assert_eq!(got, PassiveAddr::parse_lines(&reply), "{raw:?}");
            fast += usize::from(
                reply
                    .as_bytes()
                    .get(4..)
                    .and_then(canonical_tuple)
                    .is_some(),
            );
        }
        // The fast path was taken, and agreed, many times.
        assert!(fast > 1_000, "{fast}");
    }

    /// The general scan alone (what thumb targets run: no fast path) is
    /// linear on the shapes that made the old one quadratic: 64 KiB of
    /// failed candidates before the only anchor. The old scan took
    /// seconds in release; the bound holds in a debug build, under
    /// qemu-user too (about 180 ms a shape in the aarch64 run of
    /// `.ci/run`: 2 s leaves room for a busy machine).
    #[test]
    fn general_scan_is_linear() {
        extern crate std;
        for (unit, tail) in [("x,", "1,"), (",", "1,2,3,4,5,6"), ("-,", "1"), ("a,", "1")] {
            let mut line = std::vec::Vec::new();
            while line.len() < 64 * 1024 {
                line.extend_from_slice(unit.as_bytes());
            }
            line.extend_from_slice(tail.as_bytes());
            let t = std::time::Instant::now();
            let got = scan(&line);
            let took = t.elapsed();
            assert!(took < std::time::Duration::from_secs(2), "{unit}: {took:?}");
            let want = match unit {
                "," => Ok([1, 2, 3, 4, 5, 6]),
                "-," => Err(Some(Error::payload(PayloadError::NegativeField, 0))),
                "x," | "a," => Err(Some(Error::payload(PayloadError::NonDecimalField, 0))),
                _ => unreachable!(),
            };
            let got = got.map(|a| {
                let [h1, h2, h3, h4] = a.ip.octets();
                let [p1, p2] = a.port.to_be_bytes();
                [h1, h2, h3, h4, p1, p2]
            });
            assert_eq!(got, want, "{unit}");
        }
    }
}
