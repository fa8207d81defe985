//! Compiled twice: into `build.rs` on the host, where it produces the
//! expectations, and into the firmware, where it produces what the device
//! sees. Both sides use the same walk and the same encoding, so a
//! difference can only come from the parser behaving differently on the
//! two machines.
//!
//! Nothing here allocates or panics.

use ftp_reply::{Error, ErrorKind, PayloadError, Reply};

/// The typed payload checked for a reply.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Typed {
    /// A code without a payload that is checked here.
    None,
    /// 227 whose `h1,h2,h3,h4,p1,p2` tuple parsed.
    Pasv { ip: [u8; 4], port: u16 },
    /// 229 whose `(|||port|)` tuple parsed (feature `typed-229-257`).
    Epsv { port: u16, delimiter: u8 },
    /// 257 whose quoted pathname parsed: the unescaped name's length and
    /// FNV-1a hash (feature `typed-229-257`).
    Path { len: u32, hash: u32 },
    /// A payload accessor returned this error (kind code, offset).
    Bad { kind: u32, offset: u32 },
}

/// One item of the walk over a whole stream: a reply or an error.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Item {
    /// A reply: its code, number of lines and typed payload.
    Reply { code: u16, lines: u32, typed: Typed },
    /// An error: its kind (see [`kind_code`]) and absolute offset.
    Error { kind: u32, offset: u32 },
}

/// FNV-1a, 32 bits.
#[derive(Clone, Copy)]
pub struct Fnv(pub u32);

impl Fnv {
    pub const fn new() -> Self {
        Fnv(0x811c_9dc5)
    }
    pub fn bytes(mut self, bytes: &[u8]) -> Self {
        for &b in bytes {
            self.0 ^= u32::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0193);
        }
        self
    }
}

impl core::fmt::Write for Fnv {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        *self = self.bytes(s.as_bytes());
        Ok(())
    }
}

fn tagged(tag: u8, payload: u32) -> u32 {
    Fnv::new().bytes(&[tag]).bytes(&payload.to_le_bytes()).0
}

/// A number for an error kind, the same on host and device: the variant and
/// its detail for the kinds known when this was written, and the hash of
/// the kind's `Display` text for any later one (`ErrorKind` is
/// `#[non_exhaustive]`).
pub fn kind_code(kind: ErrorKind) -> u32 {
    match kind {
        ErrorKind::InvalidCode => tagged(1, 0),
        ErrorKind::MissingSeparator => tagged(2, 0),
        ErrorKind::NulByte => tagged(3, 0),
        ErrorKind::UnterminatedLine => tagged(4, 0),
        ErrorKind::UnterminatedBlock => tagged(5, 0),
        ErrorKind::TooManyLines { limit } => tagged(7, limit),
        ErrorKind::WrongCode => tagged(9, 0),
        ErrorKind::Payload(p) => tagged(10, payload_code(p)),
        ErrorKind::BufferFull => tagged(11, 0),
        other => display_hash(&other),
    }
}

fn payload_code(p: PayloadError) -> u32 {
    match p {
        PayloadError::Missing => 1,
        PayloadError::BadNumber => 2,
        PayloadError::BadDelimiter => 3,
        PayloadError::BadPort => 4,
        PayloadError::UnterminatedQuote => 5,
        PayloadError::ForbiddenByte => 6,
        PayloadError::BadTime => 7,
        PayloadError::BadFact => 8,
        PayloadError::BadBase64 => 9,
        PayloadError::ForbiddenArgument => 10,
        // The 227 kinds (once their own `PassiveError`).
        PayloadError::FieldTooLarge => 12,
        PayloadError::EmptyField => 13,
        PayloadError::NegativeField => 14,
        PayloadError::NonDecimalField => 15,
        PayloadError::WrongFieldCount(n) => 0x100 | u32::from(n),
        PayloadError::TruncatedTuple => 16,
        other => display_hash(&other),
    }
}

#[inline(never)]
#[cold]
fn display_hash(value: &dyn core::fmt::Display) -> u32 {
    use core::fmt::Write;
    let mut h = Fnv::new().bytes(b"display:");
    // Fnv::write_str never fails.
    let _ = write!(h, "{value}");
    h.0
}

fn offset32(offset: usize) -> u32 {
    u32::try_from(offset).unwrap_or(u32::MAX)
}

/// The item for an error (its offset as the error says).
pub fn error_item(e: &Error) -> Item {
    Item::Error {
        kind: kind_code(e.kind()),
        offset: offset32(e.offset()),
    }
}

fn bad(e: &Error) -> Typed {
    Typed::Bad {
        kind: kind_code(e.kind()),
        offset: offset32(e.offset()),
    }
}

/// The item for a reply, with its typed payload when the code has one that
/// is checked here.
pub fn reply_item(reply: &Reply<'_>) -> Item {
    let code = reply.code().get();
    let typed = match code {
        227 => match reply.passive() {
            Ok(a) => Typed::Pasv {
                ip: a.ip.octets(),
                port: a.port,
            },
            Err(e) => bad(&e),
        },
        #[cfg(feature = "typed-229-257")]
        229 => match reply.extended_passive() {
            Ok(e) => Typed::Epsv {
                port: e.port(),
                delimiter: e.delimiter(),
            },
            Err(e) => bad(&e),
        },
        #[cfg(feature = "typed-229-257")]
        257 => match reply.pathname() {
            Ok(p) => {
                let (len, hash) = p.pieces().fold((0usize, Fnv::new()), |(n, h), piece| {
                    (n + piece.len(), h.bytes(piece))
                });
                Typed::Path {
                    len: offset32(len),
                    hash: hash.0,
                }
            }
            Err(e) => bad(&e),
        },
        _ => Typed::None,
    };
    Item::Reply {
        code,
        lines: u32::try_from(reply.line_count()).unwrap_or(u32::MAX),
        typed,
    }
}

/// One step of the walk: parses the reply at the start of `rest` (which
/// starts `at` bytes into the stream) and returns its item and how many
/// bytes to skip: the reply, or `resume_after(rest, &err)` (at least one, so
/// a walk always ends).
#[inline(never)]
pub fn step(rest: &[u8], at: usize) -> (Item, usize) {
    match ftp_reply::parse_complete(rest) {
        Ok((after, reply)) => (reply_item(&reply), rest.len() - after.len()),
        Err(e) => (
            error_item(&e.shifted(at)),
            ftp_reply::resume_after(rest, &e).max(1),
        ),
    }
}

/// The walk of a whole stream with `parse_complete`: each reply, or each
/// error at its absolute offset followed by a skip of
/// `resume_after(rest, &err)` bytes. Returns the number of items.
#[inline(never)]
pub fn walk_complete(data: &[u8], sink: &mut dyn FnMut(Item)) -> usize {
    let mut rest = data;
    let mut count = 0;
    while !rest.is_empty() {
        let (item, skip) = step(rest, data.len() - rest.len());
        sink(item);
        count += 1;
        rest = rest.get(skip..).unwrap_or_default();
    }
    count
}
