//! 215 system type (RFC 959 section 4.1.3): the first word names the
//! system.

use crate::encode::{BlockWriter, Sink, check_text, unencodable};
use crate::error::{Error, PayloadError};

/// 215: the system type (RFC 959 section 4.1.3: "the first word of the reply
/// should be one of the system names" of the Assigned Numbers list).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct System<'a> {
    /// The first word: `UNIX`, `Windows_NT`, ...
    pub name: &'a [u8],
    /// The rest of the text: `Type: L8`.
    pub rest: &'a [u8],
}

impl<'a> System<'a> {
    /// Splits the text, trimmed, at its first space, tab or other control
    /// byte up to a space (DEL, 0x7F, is no such byte: it stays in the
    /// name), or at a colon
    /// after the name's first byte: the Sming Framework's server (ESP8266)
    /// writes `215 Windows_NT: Sming Framework`, and its system is
    /// `Windows_NT` (no name of RFC 959's Assigned Numbers list holds a
    /// colon). The rest then starts with the colon. The quotes first are
    /// dropped, and a quote that ends the name too: MockFtpServer, the Java
    /// test server, writes `215 "WINDOWS"` (and `215 "WINDOWS" system
    /// type.`), and its system is `WINDOWS`. The quotes do not make a blank
    /// or a colon inside them part of the name: `"UNIX Type: L8"` is `UNIX`
    /// with the rest `Type: L8"`, `"A:B"` is `A`.
    ///
    /// # Errors
    /// `Missing` (at 0) when the text gives no name: empty, quotes alone
    /// (`215 "`, `215 ""`), or a blank or another control byte first or
    /// right after the quotes.
    #[must_use = "parsing has no effect but its result"]
    pub fn parse(text: &'a [u8]) -> Result<Self, Error> {
        // Both trims, as other views call them: no third copy (trim_ascii)
        // in firmware.
        let t = text.trim_ascii_start().trim_ascii_end();
        // The first word ends at any white space, not only a space: a name
        // holding a tab (`UNIX\tType:`) is no word, and `emit` refuses it.
        // One compare (a control byte ends it too): flash.
        // The quotes first are no part of the name: the colon rule counts
        // from the byte after them (`":x"` is `:x`).
        let quoted = t.first() == Some(&b'"');
        let t = match t.iter().position(|&b| b != b'"') {
            Some(i) => t.get(i..).unwrap_or_default(),
            None => &[],
        };
        let end = t
            .iter()
            .enumerate()
            .position(|(i, &b)| ends_name(i, b))
            .unwrap_or(t.len());
        let mut name = t.get(..end).unwrap_or_default();
        if quoted {
            name = name.strip_suffix(b"\"").unwrap_or(name);
        }
        // Empty text, or quotes alone (`215 "`, `215 ""`): no name, which
        // `emit` could not write back either.
        if name.is_empty() {
            return Err(Error::payload(PayloadError::Missing, 0));
        }
        Ok(System {
            name,
            rest: t.get(end..).unwrap_or_default().trim_ascii_start(),
        })
    }
}

/// A byte that ends the system's name at index `i` of it: a space, a tab
/// or any other control byte, or a colon after the first byte. One rule
/// for the parse and for `emit`'s refusal.
const fn ends_name(i: usize, b: u8) -> bool {
    b <= b' ' || (b == b':' && i > 0)
}

impl System<'_> {
    /// Writes `name[ SP rest]`; an empty name, one with a blank, another
    /// control byte or a colon (where the parse ends the name), one that
    /// starts with a double quote (the parse may read inside it), or a rest
    /// with ASCII white space at either end (a space, tab, form feed, CR or
    /// LF, which the parse trims) is unencodable
    /// (it would not parse back).
    pub(crate) fn emit<S: Sink + ?Sized>(&self, out: BlockWriter<'_, S>) -> Result<(), Error> {
        let blank_end = |b: Option<&u8>| b.is_some_and(u8::is_ascii_whitespace);
        if matches!(self.name.first(), None | Some(b'"'))
            || self.name.iter().enumerate().any(|(i, &b)| ends_name(i, b))
            || blank_end(self.rest.first())
            || blank_end(self.rest.last())
        {
            return Err(unencodable(0));
        }
        check_text(self.rest)?;
        if self.rest.is_empty() {
            out.last(&[self.name])
        } else {
            out.last(&[self.name, b" ", self.rest])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system() {
        let s = System::parse(b"UNIX Type: L8").unwrap();
        assert_eq!((s.name, s.rest), (&b"UNIX"[..], &b"Type: L8"[..]));
        // A colon ends the name (Sming Framework's server, ESP8266), not
        // as its first byte.
        let s = System::parse(b"Windows_NT: Sming Framework").unwrap();
        assert_eq!(
            (s.name, s.rest),
            (&b"Windows_NT"[..], &b": Sming Framework"[..])
        );
        // A name in quotes is read inside them (MockFtpServer's fake and
        // stub servers); a quote after the first byte is the name's.
        let s = System::parse(b"\"WINDOWS\"").unwrap();
        assert_eq!((s.name, s.rest), (&b"WINDOWS"[..], &b""[..]));
        let s = System::parse(b"\"WINDOWS\" system type.").unwrap();
        assert_eq!((s.name, s.rest), (&b"WINDOWS"[..], &b"system type."[..]));
        let s = System::parse(b" \"UNIX Type: L8\" ").unwrap();
        assert_eq!((s.name, s.rest), (&b"UNIX"[..], &b"Type: L8\""[..]));
        let s = System::parse(b"\"UNIX\"x").unwrap();
        assert_eq!((s.name, s.rest), (&b"UNIX\"x"[..], &b""[..]));
        let s = System::parse(b"UN\"IX\" x").unwrap();
        assert_eq!((s.name, s.rest), (&b"UN\"IX\""[..], &b"x"[..]));
        let s = System::parse(b"\":x\"").unwrap();
        assert_eq!((s.name, s.rest), (&b":x"[..], &b""[..]));
        let s = System::parse(b"\"A:B\"").unwrap();
        assert_eq!((s.name, s.rest), (&b"A"[..], &b":B\""[..]));
        // Quotes first are all dropped (`""x` is `x`, which writes back).
        let s = System::parse(b"\"\"x").unwrap();
        assert_eq!((s.name, s.rest), (&b"x"[..], &b""[..]));
        let s = System::parse(b":x: y").unwrap();
        assert_eq!((s.name, s.rest), (&b":x"[..], &b": y"[..]));
        // No name is Missing: empty text, trimmed or not, quotes alone, a
        // blank or a control byte right after them or first (these gave an
        // empty name, which `emit` refuses, until session 57).
        for text in [
            &b""[..],
            b"  \t",
            b"\"",
            b"\"\"",
            b"\" UNIX",
            b"\"\tUNIX",
            b"\x0bUNIX Type: L8",
        ] {
            assert_eq!(
                System::parse(text),
                Err(Error::payload(PayloadError::Missing, 0))
            );
        }
    }

    /// A hand-built value that the parse would read back otherwise is
    /// unencodable, as `emit`'s doc says: a name with a control byte (the
    /// parse ends the name at any byte up to a space: `A\x01B` came back
    /// as `A` and `\x01B`), a rest with a blank at either end (the parse
    /// trims it: ` x` and `x ` came back as `x`). Found by a probe of
    /// hand-built values (audit-e).
    #[test]
    fn emit_refuses_what_would_not_parse_back() {
        let code = crate::ReplyCode::new(215).unwrap();
        let unencodable = Err(Error::payload(PayloadError::Unencodable, 0));
        for (name, rest) in [
            (&b"A\x01B"[..], &b""[..]),
            (b"A\x0bB", b"x"),
            (b"A\x1fB", b"x"),
            (b"UNIX", b" x"),
            (b"UNIX", b"x "),
            (b"UNIX", b"\tx"),
            (b"UNIX", b"x\x0c"),
            // The parse would end the name at the colon.
            (b"Windows_NT:", b"x"),
            (b"A:B", b""),
            // A blank or a control byte first: the parse would trim it or
            // end the name there (`emit` checks the first byte too).
            (b" UNIX", b""),
            (b"\tUNIX", b"x"),
            (b"\x01UNIX", b"x"),
            // A quote first: the parse reads inside the quotes.
            (b"\"UNIX\"", b""),
            (b"\"UNIX", b"x\""),
            (b"\"", b""),
            (b"\"A\"B", b""),
        ] {
            let s = crate::payload::Payload::System(System { name, rest });
            assert_eq!(
                s.encode_to(code, &mut [0u8; 64]),
                unencodable,
                "{name:?} {rest:?}"
            );
        }
        // Bytes the parse keeps in place still go through: a control
        // byte inside or at the start of the rest, DEL and non-ASCII in
        // the name, blanks inside the rest.
        for (name, rest) in [
            (&b"A\x7fB"[..], &b"\x01x"[..]),
            (b"\xa0", b"a  b\x0b"),
            (b"UNIX", b"Type: L8"),
            (b"Windows_NT", b": Sming Framework"),
            // A colon first is the name's: `215 :x y` and `215 :`.
            (b":x", b"y"),
            (b":", b""),
        ] {
            let s = crate::payload::Payload::System(System { name, rest });
            let mut buf = [0u8; 64];
            let n = s.encode_to(code, &mut buf).unwrap();
            let (_, reply) = crate::parse_complete(&buf[..n]).unwrap();
            assert_eq!(reply.payload(), Ok(s), "{name:?} {rest:?}");
        }
    }

    /// The first word ends at a tab as at a space (RFC 959 4.1.3: "the
    /// first word"): `UNIX\tType: L8` named the system `UNIX\tType:`,
    /// a name that `emit` refuses, so the parsed payload could not be
    /// written back. Found by differential testing.
    #[test]
    fn a_tab_ends_the_name() {
        for (text, rest) in [
            (&b"UNIX\tType: L8"[..], &b"Type: L8"[..]),
            (b"UNIX \t Type: L8", b"Type: L8"),
            (b"\tUNIX\t", b""),
            (b"UNIX\x0cType", b"Type"),
        ] {
            let s = System::parse(text).unwrap();
            assert_eq!((s.name, s.rest), (&b"UNIX"[..], rest), "{text:?}");
            let mut buf = [0u8; 64];
            let n = crate::payload::Payload::System(s)
                .encode_to(crate::ReplyCode::new(215).unwrap(), &mut buf)
                .unwrap();
            let (_, reply) = crate::parse_complete(&buf[..n]).unwrap();
            assert_eq!(
                reply.payload(),
                Ok(crate::payload::Payload::System(s)),
                "{text:?}"
            );
        }
    }
}
