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
//!
//! The decoder and the encoder are hand-written, not the `base64ct` crate
//! (issue 11, item 9, measured on ac35603 for thumbv7em-none-eabihf,
//! `scripts/size.sh`). With `base64ct` 1.8.3 (`default-features = false`)
//! doing `decode_into` and `encode::write_base64` (`validate` stays: a
//! crate error gives no offset), the `size-base64` probe went from 2,276
//! to 4,248 B of `.text` (+1,972 B, closure 2,096 to 4,068 B) and
//! `size-all` from 11,220 to 12,936 B (+1,716 B), to remove 30 lines
//! (56 deleted, 26 added: `decode_each`, `encode_char`, the encoder's
//! loop). Its constant-time code, its `memcpy` and its re-encoding of the
//! last block cost more than the code it replaces; the hand-written
//! decoder is kept.

use super::numbers::find_ignore_case;
use crate::encode::{BlockWriter, Sink};
use crate::error::{Error, ErrorKind, PayloadError};

/// What [`validate`] found wrong, and where in the text it was given.
#[derive(Clone, Copy)]
struct BadBase64 {
    kind: PayloadError,
    at: usize,
}

impl BadBase64 {
    /// The public error, `shift` bytes further on.
    fn error(self, shift: usize) -> Error {
        Error::payload(self.kind, self.at.saturating_add(shift))
    }
}

/// Base64 data in the text of a reply: a protected reply (631, 632, 633)
/// or the `ADAT=` data of a security-data reply (235, 334, 335).
///
/// Valid by construction: the field is private and every constructor
/// checks the base64, so [`SecurityData::decode_into`] fails only for a
/// buffer too small.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SecurityData<'a> {
    base64: &'a [u8],
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
///
/// The error is a [`BadBase64`]: small enough to come back in registers,
/// so each caller builds the [`Error`] in its own result, with no memcpy
/// of a 20-byte error on the way out.
fn validate(text: &[u8]) -> Result<(), BadBase64> {
    let bad = |at: usize| BadBase64 {
        kind: PayloadError::BadBase64,
        at,
    };
    if text.is_empty() {
        return Err(BadBase64 {
            kind: PayloadError::Missing,
            at: 0,
        });
    }
    let pad = padding(text);
    let body_len = text.len().saturating_sub(pad);
    // The padding is `=` by construction: only the body is checked, and
    // the value of its last character kept for the unused bits.
    let body = text.get(..body_len).unwrap_or_default();
    let mut last = 0;
    for (i, &b) in body.iter().enumerate() {
        last = decode_char(b).ok_or(bad(i))?;
    }
    if !text.len().is_multiple_of(4) {
        return Err(bad(text.len()));
    }
    // Three characters and `=` carry 16 bits: the last 2 of its third
    // character are unused; two and `==` carry 8: 4 bits unused. (With
    // padding, the body has at least two characters: a shorter text is
    // refused above.)
    let unused_mask = (1u8 << (2 * pad)) - 1;
    if last & unused_mask != 0 {
        return Err(bad(body_len.saturating_sub(1)));
    }
    Ok(())
}

impl<'a> SecurityData<'a> {
    /// The data of `base64` exactly (no blanks trimmed), checked as
    /// [`SecurityData::from_protected`] checks it: to encode.
    ///
    /// # Errors
    /// As [`SecurityData::from_protected`], with the offset into `base64`.
    #[must_use = "checking has no effect but its result"]
    pub fn new(base64: &'a [u8]) -> Result<Self, Error> {
        validate(base64).map_err(|bad| bad.error(0))?;
        Ok(SecurityData { base64 })
    }

    /// The base64 text, a slice of the reply (without the `ADAT=` prefix
    /// and without trailing spaces).
    #[must_use]
    pub const fn base64(&self) -> &'a [u8] {
        self.base64
    }

    /// The base64 of a protected reply (631, 632, 633): the whole `text` of
    /// the reply, trailing spaces and tabs aside.
    ///
    /// # Errors
    /// With the offset into `text`: [`PayloadError::Missing`] at 0 when
    /// the text is empty or blank; [`PayloadError::BadBase64`] at a byte
    /// outside the alphabet, at a misplaced `=`, at the end when the
    /// length is not a multiple of four, or at a last character with
    /// unused bits set (`Zh==`).
    #[must_use = "parsing has no effect but its result"]
    pub fn from_protected(text: &'a [u8]) -> Result<Self, Error> {
        let end = text
            .iter()
            .rposition(|&b| b != b' ' && b != b'\t')
            .map_or(0, |i| i.saturating_add(1));
        let base64 = text.get(..end).unwrap_or_default();
        validate(base64).map_err(|bad| bad.error(0))?;
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
    #[must_use = "parsing has no effect but its result"]
    pub fn from_adat(text: &'a [u8]) -> Result<Option<Self>, Error> {
        let Some(start) = find_adat(text) else {
            return Ok(None);
        };
        let rest = text.get(start..).unwrap_or_default();
        let len = rest
            .iter()
            .position(|&b| b == b' ' || b == b'\t')
            .unwrap_or(rest.len());
        let base64 = rest.get(..len).unwrap_or_default();
        validate(base64).map_err(|bad| bad.error(start))?;
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
    /// [`ErrorKind::BufferFull`] when `out` is shorter than
    /// [`SecurityData::decoded_len`], at offset 0: nothing is written then
    /// (the write stopped before its first byte).
    #[must_use = "the length says how much of `out` holds the data"]
    pub fn decode_into(&self, out: &mut [u8]) -> Result<usize, Error> {
        let len = self.decoded_len();
        if out.len() < len {
            return Err(Error::new(ErrorKind::BufferFull, 0));
        }
        // Six bits per character into an accumulator, a byte out each
        // time eight are there (the padding carries none).
        let body_len = self.base64.len().saturating_sub(padding(self.base64));
        let body = self.base64.get(..body_len).unwrap_or_default();
        let (mut acc, mut bits, mut n) = (0u32, 0u32, 0usize);
        for &b in body {
            acc = (acc << 6) | u32::from(decode_char(b).unwrap_or(0));
            bits += 6;
            if bits >= 8 {
                bits -= 8;
                if let Some(slot) = out.get_mut(n) {
                    *slot = (acc >> bits) as u8;
                }
                n += 1;
            }
        }
        Ok(len)
    }
}

impl SecurityData<'_> {
    /// Writes the base64 as the whole text of a protected reply.
    pub(crate) fn emit_protected<S: Sink + ?Sized>(
        &self,
        out: BlockWriter<'_, S>,
    ) -> Result<(), Error> {
        out.last(&[self.base64])
    }
}

/// Writes a 235/334/335 text: `ADAT=` and the data, or a text without it.
pub(crate) fn emit_adat<S: Sink + ?Sized>(
    data: Option<&SecurityData<'_>>,
    out: BlockWriter<'_, S>,
) -> Result<(), Error> {
    match data {
        Some(d) => out.last(&[b"ADAT=", d.base64]),
        None => out.last_fmt(format_args!("Security data exchange complete.")),
    }
}

/// Where the data after the first `ADAT=` (any case, at a word start) in
/// `text` begins.
fn find_adat(text: &[u8]) -> Option<usize> {
    const KEY: &[u8] = b"adat=";
    // Each `ADAT=` in turn, until one starts the text or follows a byte
    // that is not a letter or digit: each byte is looked at a bounded
    // number of times.
    let mut from = 0;
    loop {
        let at = from + find_ignore_case(text.get(from..)?, KEY)?;
        let starts_word = at
            .checked_sub(1)
            .and_then(|j| text.get(j))
            .is_none_or(|b| !b.is_ascii_alphanumeric());
        if starts_word {
            return Some(at + KEY.len());
        }
        from = at + 1;
    }
}

#[cfg(test)]
mod tests {
    extern crate std;

    use super::*;
    use std::string::String;

    fn enc(data: &[u8]) -> String {
        let mut s = String::new();
        crate::encode::write_base64(data, &mut s).unwrap();
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
            Err(Error::payload(PayloadError::Missing, 0))
        );
        assert_eq!(
            SecurityData::from_protected(b"   "),
            Err(Error::payload(PayloadError::Missing, 0))
        );
    }

    #[test]
    fn bad_alphabet() {
        let e = |t: &[u8]| SecurityData::from_protected(t).unwrap_err();
        assert_eq!(e(b"Zm9v!mFy"), Error::payload(PayloadError::BadBase64, 4));
        assert_eq!(e(b"Zm9v-mFy"), Error::payload(PayloadError::BadBase64, 4));
        assert_eq!(e(b"Zm9v_mFy"), Error::payload(PayloadError::BadBase64, 4));
        assert_eq!(e(b"Zm 9v"), Error::payload(PayloadError::BadBase64, 2));
        assert_eq!(
            e(b"Zm9v\xffmFy"),
            Error::payload(PayloadError::BadBase64, 4)
        );
    }

    #[test]
    fn bad_padding() {
        let e = |t: &[u8]| SecurityData::from_protected(t).unwrap_err();
        assert_eq!(e(b"Zg="), Error::payload(PayloadError::BadBase64, 3));
        assert_eq!(e(b"Zg"), Error::payload(PayloadError::BadBase64, 2));
        assert_eq!(e(b"Z==="), Error::payload(PayloadError::BadBase64, 1));
        assert_eq!(e(b"===="), Error::payload(PayloadError::BadBase64, 0));
        assert_eq!(e(b"Zm9v="), Error::payload(PayloadError::BadBase64, 5));
        assert_eq!(e(b"Zg==Zg=="), Error::payload(PayloadError::BadBase64, 2));
        assert_eq!(e(b"Zm9vY"), Error::payload(PayloadError::BadBase64, 5));
        // Unused bits set: not the canonical encoding of "f" or "fo".
        assert_eq!(e(b"Zh=="), Error::payload(PayloadError::BadBase64, 1));
        assert_eq!(e(b"Zm9="), Error::payload(PayloadError::BadBase64, 2));
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
    }

    /// No value holds bad base64: `new` refuses it, at the byte.
    #[test]
    fn new_refuses_garbage() {
        for (base64, at) in [
            (&b"Zm9"[..], 3),
            (b"!!!!", 0),
            (b"=", 1),
            (b"Zg=", 3),
            (b"A=B=", 1),
            (b"\xff\xff\xff\xff=", 0),
        ] {
            assert_eq!(
                SecurityData::new(base64),
                Err(Error::payload(PayloadError::BadBase64, at)),
                "{base64:?}"
            );
        }
        assert_eq!(
            SecurityData::new(b""),
            Err(Error::payload(PayloadError::Missing, 0))
        );
        assert_eq!(
            SecurityData::new(b"Zm9v").map(|d| d.base64()),
            Ok(&b"Zm9v"[..])
        );
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
            Err(Error::payload(PayloadError::Missing, 5))
        );
        assert_eq!(
            SecurityData::from_adat(b"ok ADAT= x"),
            Err(Error::payload(PayloadError::Missing, 8))
        );
        assert_eq!(
            SecurityData::from_adat(b"ok ADAT=Zm9v."),
            Err(Error::payload(PayloadError::BadBase64, 12))
        );
    }

    #[test]
    fn protected_roundtrip() {
        let inner = b"250 CWD command successful.\r\n";
        let mut text = String::new();
        crate::encode::write_base64(inner, &mut text).unwrap();
        let reply = std::format!("632 {text}\r\n");
        let body = &reply.as_bytes()[4..reply.len() - 2];
        let data = SecurityData::from_protected(body).unwrap();
        assert_eq!(data.decoded_len(), inner.len());
        let mut out = [0u8; 64];
        let n = data.decode_into(&mut out).unwrap();
        assert_eq!(&out[..n], inner);
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
