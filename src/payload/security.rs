//! Base64 payloads of RFC 2228 (FTP Security Extensions).
//!
//! Two places carry base64:
//!
//! - the protected replies 631, 632 and 633: their text is the base64 of
//!   the inner reply, sealed, safe or confidential (RFC 2228 section 4:
//!   "the text part ... is the base 64 encoded protected reply");
//! - the security-data replies 235, 334 and 335, whose text may hold
//!   `ADAT=base64data` (RFC 2228 section 3, ADAT: `335 ADAT=Y2hhbGxlbmdl`).
//!
//! The grammar of RFC 2228 section 9:
//!
//! ```text
//! <base64> ::= <4-chars> | <4-chars><base64>
//! <4-chars> ::= <char><char><char><char> | <char><char><char>"=" | <char><char>"=="
//! <char> ::= any of "A"-"Z", "a"-"z", "0"-"9", "+", "/"
//! ```
//!
//! That is the standard alphabet of RFC 4648 section 4, with padding, and
//! at least one group of four. Decoding needs no allocation: the caller
//! gives the buffer.

use core::fmt;

use crate::error::{Error, ErrorKind, PayloadError};

/// Base64 data in the text of a reply: a protected reply (631, 632, 633)
/// or the `ADAT=` data of a security-data reply (235, 334, 335).
///
/// The constructors check the base64, so [`SecurityData::decode_into`]
/// fails only for a buffer too small. The field is public, so a value
/// built by hand may hold anything: decoding checks again and never panics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SecurityData<'a> {
    /// The base64 text, a slice of the reply (without the `ADAT=` prefix
    /// and without trailing spaces).
    pub base64: &'a [u8],
}

#[cfg(feature = "defmt")]
#[cfg_attr(docsrs, doc(cfg(feature = "defmt")))]
impl defmt::Format for SecurityData<'_> {
    fn format(&self, f: defmt::Formatter<'_>) {
        defmt::write!(f, "SecurityData {{ base64: {=[u8]:a} }}", self.base64);
    }
}

/// The value of one base64 character of the standard alphabet.
const fn decode_char(b: u8) -> Option<u8> {
    match b {
        b'A'..=b'Z' => Some(b - b'A'),
        b'a'..=b'z' => Some(b - b'a' + 26),
        b'0'..=b'9' => Some(b - b'0' + 52),
        b'+' => Some(62),
        b'/' => Some(63),
        _ => None,
    }
}

/// The base64 character of a 6-bit value (only the low 6 bits are used).
const fn encode_char(v: u8) -> char {
    let v = v & 0x3f;
    (match v {
        0..=25 => b'A' + v,
        26..=51 => b'a' + (v - 26),
        52..=61 => b'0' + (v - 52),
        62 => b'+',
        _ => b'/',
    }) as char
}

/// How many `=` end `text` (0, 1 or 2 counted; more is caught by
/// [`validate`]).
fn padding(text: &[u8]) -> usize {
    text.iter()
        .rev()
        .take(2)
        .take_while(|&&b| b == b'=')
        .count()
}

/// Checks `text` against the grammar above. The error's offset is into
/// `text`.
///
/// Besides the grammar, the unused low bits of the last character before
/// the padding must be zero (RFC 4648 section 3.5 lets a decoder refuse
/// them): so each byte string has one encoding, and decoding then encoding
/// gives back the text.
fn validate(text: &[u8]) -> Result<(), (PayloadError, usize)> {
    if text.is_empty() {
        return Err((PayloadError::Missing, 0));
    }
    let pad = padding(text);
    let body_len = text.len().saturating_sub(pad);
    for (i, &b) in text.iter().enumerate() {
        if i < body_len {
            if decode_char(b).is_none() {
                return Err((PayloadError::BadBase64, i));
            }
        } else if b != b'=' {
            return Err((PayloadError::BadBase64, i));
        }
    }
    if !text.len().is_multiple_of(4) {
        return Err((PayloadError::BadBase64, text.len()));
    }
    // Three characters and `=` carry 16 bits: the last 2 of its third
    // character are unused; two and `==` carry 8: 4 bits unused.
    let unused_mask = match pad {
        1 => 0b11,
        2 => 0b1111,
        _ => 0,
    };
    let last = body_len.saturating_sub(1);
    if let Some(v) = text.get(last).and_then(|&b| decode_char(b))
        && v & unused_mask != 0
    {
        return Err((PayloadError::BadBase64, last));
    }
    Ok(())
}

/// Writes `data` as base64 of the standard alphabet, padded with `=`
/// (RFC 4648 section 4): what a 631, 632 or 633 reply carries as its text,
/// and what follows `ADAT=`.
///
/// # Errors
/// Only those of `w`.
pub fn encode_base64(data: &[u8], w: &mut impl fmt::Write) -> fmt::Result {
    for chunk in data.chunks(3) {
        let (b0, b1, b2) = match *chunk {
            [a] => (a, None, None),
            [a, b] => (a, Some(b), None),
            [a, b, c] => (a, Some(b), Some(c)),
            _ => continue,
        };
        let n1 = b1.unwrap_or(0);
        let n2 = b2.unwrap_or(0);
        w.write_char(encode_char(b0 >> 2))?;
        w.write_char(encode_char((b0 << 4) | (n1 >> 4)))?;
        match b1 {
            Some(_) => w.write_char(encode_char((n1 << 2) | (n2 >> 6)))?,
            None => w.write_char('=')?,
        }
        match b2 {
            Some(_) => w.write_char(encode_char(n2))?,
            None => w.write_char('=')?,
        }
    }
    Ok(())
}

impl<'a> SecurityData<'a> {
    /// The base64 of a protected reply (631, 632, 633): the whole `text` of
    /// the reply, trailing spaces and tabs aside.
    ///
    /// # Errors
    /// With the offset into `text`: [`PayloadError::Missing`] at 0 when
    /// the text is empty or blank; [`PayloadError::BadBase64`] at a byte
    /// outside the alphabet, at a misplaced `=`, at the end when the
    /// length is not a multiple of four, or at a last character with
    /// unused bits set (`Zh==`).
    pub fn from_protected(text: &'a [u8]) -> Result<Self, (PayloadError, usize)> {
        let end = text
            .iter()
            .rposition(|&b| b != b' ' && b != b'\t')
            .map_or(0, |i| i.saturating_add(1));
        let base64 = text.get(..end).unwrap_or_default();
        validate(base64)?;
        Ok(SecurityData { base64 })
    }

    /// The `ADAT=` data of a security-data reply (235, 334, 335), found
    /// anywhere in `text` (`ADAT` in any case, at the start of the text or
    /// after a byte that is not a letter or digit); it runs to the next
    /// space or tab, or to the end. `None` when there is no `ADAT=`.
    ///
    /// # Errors
    /// With the offset into `text`: [`PayloadError::Missing`] just past
    /// `ADAT=` when no data follows; otherwise as
    /// [`SecurityData::from_protected`].
    pub fn from_adat(text: &'a [u8]) -> Result<Option<Self>, (PayloadError, usize)> {
        let Some(start) = find_adat(text) else {
            return Ok(None);
        };
        let rest = text.get(start..).unwrap_or_default();
        let len = rest
            .iter()
            .position(|&b| b == b' ' || b == b'\t')
            .unwrap_or(rest.len());
        let base64 = rest.get(..len).unwrap_or_default();
        validate(base64).map_err(|(e, at)| (e, at.saturating_add(start)))?;
        Ok(Some(SecurityData { base64 }))
    }

    /// How many bytes the data decodes to.
    #[must_use]
    pub fn decoded_len(&self) -> usize {
        (self.base64.len() / 4)
            .saturating_mul(3)
            .saturating_sub(padding(self.base64))
    }

    /// Decodes the data into `out`, and says how many bytes it wrote.
    ///
    /// # Errors
    /// [`ErrorKind::BufferFull`] at offset 0 when `out` is shorter than
    /// [`SecurityData::decoded_len`]; [`ErrorKind::Payload`] with
    /// [`PayloadError::BadBase64`] (offset into [`SecurityData::base64`])
    /// for a value built by hand that is not base64. On error nothing is
    /// written.
    pub fn decode_into(&self, out: &mut [u8]) -> Result<usize, Error> {
        let len = self.decoded_len();
        if out.len() < len {
            return Err(Error::new(ErrorKind::BufferFull, 0));
        }
        self.check()?;
        let mut slots = out.iter_mut();
        self.decode_each(|b| {
            if let Some(slot) = slots.next() {
                *slot = b;
            }
        });
        Ok(len)
    }

    /// Decodes the data onto the end of `out`.
    ///
    /// # Errors
    /// [`ErrorKind::BufferFull`] at offset 0 when the room left in `out` is
    /// less than [`SecurityData::decoded_len`];
    /// [`ErrorKind::Payload`] as for [`SecurityData::decode_into`]. On
    /// error `out` is left as it was.
    pub fn decode_into_vec<const N: usize>(
        &self,
        out: &mut heapless::Vec<u8, N>,
    ) -> Result<(), Error> {
        if out.capacity().saturating_sub(out.len()) < self.decoded_len() {
            return Err(Error::new(ErrorKind::BufferFull, 0));
        }
        self.check()?;
        let mut full = false;
        self.decode_each(|b| {
            if out.push(b).is_err() {
                full = true;
            }
        });
        if full {
            return Err(Error::new(ErrorKind::BufferFull, 0));
        }
        Ok(())
    }

    /// Checks the base64 again (the field is public).
    fn check(&self) -> Result<(), Error> {
        validate(self.base64).map_err(|(e, at)| Error::new(ErrorKind::Payload(e), at))
    }

    /// Calls `sink` with each decoded byte; the base64 must be valid.
    fn decode_each(&self, mut sink: impl FnMut(u8)) {
        let body_len = self.base64.len().saturating_sub(padding(self.base64));
        let body = self.base64.get(..body_len).unwrap_or_default();
        for group in body.chunks(4) {
            let mut acc = 0u32;
            for &b in group {
                acc = (acc << 6) | u32::from(decode_char(b).unwrap_or(0));
            }
            let bits = group.len() * 6;
            let acc = acc << (24 - bits);
            let [_, b0, b1, b2] = acc.to_be_bytes();
            let count = bits / 8;
            for b in [b0, b1, b2].into_iter().take(count) {
                sink(b);
            }
        }
    }
}

/// Where the data after the first `ADAT=` (any case, at a word start) in
/// `text` begins.
fn find_adat(text: &[u8]) -> Option<usize> {
    const KEY: &[u8] = b"ADAT=";
    text.windows(KEY.len())
        .enumerate()
        .find(|&(i, w)| {
            w.eq_ignore_ascii_case(KEY)
                && (i == 0
                    || i.checked_sub(1)
                        .and_then(|j| text.get(j))
                        .is_some_and(|b| !b.is_ascii_alphanumeric()))
        })
        .map(|(i, _)| i.saturating_add(KEY.len()))
}

#[cfg(test)]
mod tests {
    extern crate std;

    use super::*;
    use std::string::String;

    fn enc(data: &[u8]) -> String {
        let mut s = String::new();
        encode_base64(data, &mut s).unwrap();
        s
    }

    fn dec(text: &str) -> std::vec::Vec<u8> {
        let data = SecurityData::from_protected(text.as_bytes()).unwrap();
        let mut out = [0u8; 64];
        let n = data.decode_into(&mut out).unwrap();
        assert_eq!(n, data.decoded_len());
        out[..n].to_vec()
    }

    const RFC4648: [(&str, &str); 7] = [
        ("", ""),
        ("f", "Zg=="),
        ("fo", "Zm8="),
        ("foo", "Zm9v"),
        ("foob", "Zm9vYg=="),
        ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ];

    #[test]
    fn rfc4648_vectors() {
        for (plain, coded) in RFC4648 {
            assert_eq!(enc(plain.as_bytes()), coded);
            if coded.is_empty() {
                continue;
            }
            assert_eq!(dec(coded), plain.as_bytes());
        }
    }

    #[test]
    fn empty_is_missing() {
        assert_eq!(
            SecurityData::from_protected(b""),
            Err((PayloadError::Missing, 0))
        );
        assert_eq!(
            SecurityData::from_protected(b"   "),
            Err((PayloadError::Missing, 0))
        );
    }

    #[test]
    fn bad_alphabet() {
        let e = |t: &[u8]| SecurityData::from_protected(t).unwrap_err();
        assert_eq!(e(b"Zm9v!mFy"), (PayloadError::BadBase64, 4));
        assert_eq!(e(b"Zm9v-mFy"), (PayloadError::BadBase64, 4));
        assert_eq!(e(b"Zm9v_mFy"), (PayloadError::BadBase64, 4));
        assert_eq!(e(b"Zm 9v"), (PayloadError::BadBase64, 2));
        assert_eq!(e(b"Zm9v\xffmFy"), (PayloadError::BadBase64, 4));
    }

    #[test]
    fn bad_padding() {
        let e = |t: &[u8]| SecurityData::from_protected(t).unwrap_err();
        assert_eq!(e(b"Zg="), (PayloadError::BadBase64, 3));
        assert_eq!(e(b"Zg"), (PayloadError::BadBase64, 2));
        assert_eq!(e(b"Z==="), (PayloadError::BadBase64, 1));
        assert_eq!(e(b"===="), (PayloadError::BadBase64, 0));
        assert_eq!(e(b"Zm9v="), (PayloadError::BadBase64, 5));
        assert_eq!(e(b"Zg==Zg=="), (PayloadError::BadBase64, 2));
        assert_eq!(e(b"Zm9vY"), (PayloadError::BadBase64, 5));
        // Unused bits set: not the canonical encoding of "f" or "fo".
        assert_eq!(e(b"Zh=="), (PayloadError::BadBase64, 1));
        assert_eq!(e(b"Zm9="), (PayloadError::BadBase64, 2));
    }

    #[test]
    fn trailing_spaces_are_trimmed() {
        let data = SecurityData::from_protected(b"Zm9v \t ").unwrap();
        assert_eq!(data.base64, b"Zm9v");
    }

    #[test]
    fn buffer_full() {
        let data = SecurityData::from_protected(b"Zm9vYmFy").unwrap();
        assert_eq!(data.decoded_len(), 6);
        let mut out = [0u8; 5];
        let e = data.decode_into(&mut out).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::BufferFull);
        assert_eq!(e.offset(), 0);
        assert_eq!(out, [0; 5]);
        let mut exact = [0u8; 6];
        assert_eq!(data.decode_into(&mut exact), Ok(6));
        assert_eq!(&exact, b"foobar");

        let mut v: heapless::Vec<u8, 8> = heapless::Vec::new();
        data.decode_into_vec(&mut v).unwrap();
        assert_eq!(&v[..], b"foobar");
        let e = data.decode_into_vec(&mut v).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::BufferFull);
        assert_eq!(&v[..], b"foobar");
        let mut small: heapless::Vec<u8, 5> = heapless::Vec::new();
        assert!(data.decode_into_vec(&mut small).is_err());
        assert!(small.is_empty());
    }

    #[test]
    fn hand_built_garbage_does_not_panic() {
        for base64 in [
            &b"Zm9"[..],
            b"!!!!",
            b"=",
            b"Zg=",
            b"A=B=",
            b"\xff\xff\xff\xff=",
        ] {
            let data = SecurityData { base64 };
            let mut out = [0u8; 8];
            let e = data.decode_into(&mut out).unwrap_err();
            assert!(matches!(
                e.kind(),
                ErrorKind::Payload(PayloadError::BadBase64 | PayloadError::Missing)
            ));
            let mut v: heapless::Vec<u8, 8> = heapless::Vec::new();
            assert!(data.decode_into_vec(&mut v).is_err());
            assert!(v.is_empty());
        }
    }

    #[test]
    fn adat() {
        let data = SecurityData::from_adat(b"ADAT=Zm9vYmFy").unwrap().unwrap();
        assert_eq!(data.base64, b"Zm9vYmFy");
        assert_eq!(dec("Zm9vYmFy"), b"foobar");

        let data =
            SecurityData::from_adat(b"Security data exchange complete. adat=Y2hhbGxlbmdl ok")
                .unwrap()
                .unwrap();
        assert_eq!(data.base64, b"Y2hhbGxlbmdl");
        let mut out = [0u8; 16];
        let n = data.decode_into(&mut out).unwrap();
        assert_eq!(&out[..n], b"challenge");

        assert_eq!(
            SecurityData::from_adat(b"Security data exchange complete."),
            Ok(None)
        );
        assert_eq!(SecurityData::from_adat(b""), Ok(None));
        assert_eq!(SecurityData::from_adat(b"XADAT=Zm9v"), Ok(None));
        assert_eq!(
            SecurityData::from_adat(b"ADAT="),
            Err((PayloadError::Missing, 5))
        );
        assert_eq!(
            SecurityData::from_adat(b"ok ADAT= x"),
            Err((PayloadError::Missing, 8))
        );
        assert_eq!(
            SecurityData::from_adat(b"ok ADAT=Zm9v."),
            Err((PayloadError::BadBase64, 12))
        );
    }

    #[test]
    fn protected_roundtrip() {
        let inner = b"250 CWD command successful.\r\n";
        let mut text = String::new();
        encode_base64(inner, &mut text).unwrap();
        let reply = std::format!("632 {text}\r\n");
        let body = &reply.as_bytes()[4..reply.len() - 2];
        let data = SecurityData::from_protected(body).unwrap();
        assert_eq!(data.decoded_len(), inner.len());
        let mut out: heapless::Vec<u8, 64> = heapless::Vec::new();
        data.decode_into_vec(&mut out).unwrap();
        assert_eq!(&out[..], inner);
    }

    #[test]
    fn encode_decode_all_lengths() {
        let bytes: std::vec::Vec<u8> = (0..=255u8).collect();
        for len in 1..40 {
            for start in [0usize, 100, 200] {
                let plain = &bytes[start..start + len];
                let coded = enc(plain);
                assert_eq!(coded.len(), len.div_ceil(3) * 4);
                assert_eq!(dec(&coded), plain);
            }
        }
    }
}
