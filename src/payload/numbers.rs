//! The numbers some replies carry, exact or refused: 150/125 `(N bytes)`,
//! 213 after SIZE, 350 `Restarting at N`, 120 `in nnn minutes` and 200
//! `PBSZ=N`; and how each is written back.
//!
//! RFC 3659 section 4.1 (SIZE), verbatim:
//!
//! ```text
//! size          = "Size" SP pathname CRLF
//! size-response = "213" SP 1*DIGIT CRLF /
//!                 error-response
//! ```
//!
//! and section 5.1 (REST in STREAM mode):
//!
//! ```text
//! rest          = "Rest" SP 1*DIGIT CRLF
//! rest-response = "350" SP *TCHAR CRLF /
//!                 error-response
//! ```
//!
//! RFC 2228 (section 3, PBSZ) fixes the form of one: when the size a
//! client asks for is too large, the server "must use a string of the form
//! "PBSZ=number" in the text part of the reply" (a 200) to give a smaller
//! one; servers also echo the size so (`200 PBSZ=0`: Pure-FTPd, FileZilla
//! Server, z/OS).
//!
//! RFC 959 gives the others in prose: 350 "Requested file action pending
//! further information", 120 "Service ready in nnn minutes", and 150/125
//! carry no size in the RFC at all; the `(N bytes)` form is what servers
//! (vsftpd, ProFTPD, Pure-FTPd) write. A number here is exact or refused:
//! a sign, a thousands separator, a decimal point or an overflow is an
//! error, leading zeros are fine. One reading is looser on purpose: after
//! REST, a 350 whose text names no `rest` or `restart` gives its one
//! number when no printable ASCII byte is before it and no letter after
//! it, and none otherwise, since such a text is prose
//! ([`offset_in_350`]).

use crate::encode::{BlockWriter, Sink};
use crate::error::{Error, PayloadError};

/// A decimal `u64` (the whole of `digits`, which must be 1 or more digits).
pub(crate) fn decimal_u64(digits: &[u8]) -> Option<u64> {
    if digits.is_empty() {
        return None;
    }
    let mut n: u64 = 0;
    for &b in digits {
        let d = b.wrapping_sub(b'0');
        if d > 9 {
            return None;
        }
        n = n.checked_mul(10)?.checked_add(u64::from(d))?;
    }
    Some(n)
}

/// The first run of digits in `text` at or after `from`: (start, end).
fn digit_run(text: &[u8], from: usize) -> Option<(usize, usize)> {
    let mut start = from;
    while !text.get(start)?.is_ascii_digit() {
        start += 1;
    }
    Some((start, digits_end(text, start)))
}

/// Where the run of digits at `start` ends (`start` when none is there).
fn digits_end(text: &[u8], start: usize) -> usize {
    let mut end = start;
    while byte_at(text, end).is_ascii_digit() {
        end += 1;
    }
    end
}

/// Where `needle` (ASCII, lower case) first occurs in `hay`, ignoring case.
pub(crate) fn find_ignore_case(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() {
        return Some(0);
    }
    hay.windows(needle.len())
        .position(|w| w.eq_ignore_ascii_case(needle))
}

/// A byte that, between digits, makes them one number in some locale or
/// notation (`1,024`, `1.024`, `1'024`, `1_024`, `1.5`).
pub(super) fn is_separator(b: u8) -> bool {
    matches!(b, b',' | b'.' | b'\'' | b'_')
}

/// A byte that, between digits, makes them one number: a separator, or a
/// space (`1 000`, as SI writes a thousands separator), in the numbers
/// that are read from prose (120, 350, `PBSZ=`).
fn joins(b: u8) -> bool {
    is_separator(b) || b == b' '
}

/// The byte at `i`, or 0 (never a digit, a sign nor a separator) past
/// either end: `i` may be `s.wrapping_sub(1)`, the byte before `s`.
fn byte_at(text: &[u8], i: usize) -> u8 {
    text.get(i).copied().unwrap_or(0)
}

/// A `+` or `-`.
fn is_sign(b: u8) -> bool {
    b == b'+' || b == b'-'
}

/// 150/125: the size in `(N bytes)`, any letter case (vsftpd writes
/// `(1234 bytes)`, others `Bytes`), or in `N bytes` at the start of the
/// text (`1234 bytes to download`: SimpleFTPServer and the other Arduino
/// and ESP32 servers that come from Jean-Michel Gallego's). Servers put
/// `(N bytes)` last, after the file name, which may itself hold
/// `(5 bytes)`: the last one counts, and one inside quotes (a quoted file
/// name: FileZilla Server 0.9 writes `150 Opening data channel for file
/// download from server of "/x (5 bytes).txt"`, the BSD ftpd of netkit
/// and GNU inetutils `150 Opening BINARY mode data connection for 'x (5
/// bytes)'.`) does not. A `"` or a `'` opens a quote where none is open,
/// and the same character closes it where the byte after it is the text's
/// end or an ASCII byte below `0` (a space, `.`, `,`, `)`, ...), not a
/// letter or a digit: the apostrophe of BSD's `'a's (5 bytes)'.` closes
/// nothing (a `'` in N as written, which starts right after its `(`:
/// `(1'024 bytes)`, `('5 bytes)`, is a separator, no quote). A quote that none closes is a name's own (vsftpd writes `150
/// Opening BINARY mode data connection for a"b.txt (5 bytes).`, and `it's
/// (5 bytes).`): it hides nothing.
/// `Ok(None)` when the text gives none (a number and `bytes` elsewhere, as
/// in a file name `20 bytes.txt`, are none). One space or none stands
/// between N and `bytes` (`(5bytes)` is 5, `(5  bytes)` none).
///
/// N is exact or refused: only decimal digits (leading zeros are fine).
///
/// # Errors
/// `BadNumber` (at N) when N does not fit in a `u64`, or holds a sign, a
/// thousands separator or a decimal point (`(-5 bytes)`, `(1,024 bytes)`,
/// `(1.5 bytes)`, `1,024 bytes to download`).
#[must_use = "parsing has no effect but its result"]
pub fn transfer_size(text: &[u8]) -> Result<Option<u64>, Error> {
    // One pass, byte by byte (plain loops: this is on every 150 a firmware
    // client reads, and iterator adapters cost flash on a Cortex-M). Each
    // `(` starts a candidate: N as written (the digits and whatever a
    // number may be written with), then ` bytes)` or `bytes)`. A run ends
    // at the first other byte, so each byte is looked at a bounded number
    // of times. The digits at the start of the text are a candidate too,
    // which `bytes` and no other letter ends.
    let lead = number_end(text, 0);
    let mut last = (lead > 0 && !unit_after(text, lead).is_ascii_alphabetic()).then_some((0, lead));
    let mut i = 0;
    // Inside a quoted name (FileZilla Server 0.9: `... of "/x (5
    // bytes).txt"`; BSD ftpd: `for 'x (5 bytes)'.`), a candidate counts
    // only until the quote closes,
    // which gives back the one from before it; a quote that never closes
    // is a name's own (vsftpd and ProFTPD write `for a"b.txt (5
    // bytes).`), and what came after it counts.
    let mut quote = 0u8;
    let mut before_quote = last;
    while let Some(&b) = text.get(i) {
        i += 1;
        // A quote closes where no letter or digit follows it (not the
        // apostrophe of BSD's `'a's (5 bytes)'`).
        if quote == 0 && (b == b'"' || b == b'\'') {
            quote = b;
            before_quote = last;
        } else if quote != 0 && b == quote && byte_at(text, i) < b'0' {
            quote = 0;
            last = before_quote;
        }
        if b != b'(' {
            continue;
        }
        let start = i;
        i = number_end(text, start);
        if i > start && unit_after(text, i) == b')' {
            last = Some((start, i));
        }
    }
    match last {
        Some((at, end)) => decimal_u64(text.get(at..end).unwrap_or_default())
            .map(Some)
            .ok_or(Error::payload(PayloadError::BadNumber, at)),
        None => Ok(None),
    }
}

/// Where N as written ends: the digits at `start` and whatever a number
/// may be written with (a sign, a separator), for `transfer_size` to read
/// exactly or refuse.
#[inline(never)]
fn number_end(text: &[u8], start: usize) -> usize {
    let mut i = start;
    while text
        .get(i)
        .is_some_and(|&b| b.is_ascii_digit() || is_separator(b) || is_sign(b))
    {
        i += 1;
    }
    i
}

/// The byte after ` bytes` or `bytes` (any letter case) at `end`, 0 at
/// the end of the text; `b'a'` (a letter) when the word is not there.
fn unit_after(text: &[u8], end: usize) -> u8 {
    let at = end + usize::from(byte_at(text, end) == b' ');
    if text
        .get(at..at + 5)
        .is_some_and(|u| u.eq_ignore_ascii_case(b"bytes"))
    {
        byte_at(text, at + 5)
    } else {
        b'a'
    }
}

/// 213 after SIZE (RFC 3659 section 4): the size in octets, the whole text
/// (ASCII white space around it aside: `213 12 ` is 12, and so is `213  12`,
/// as a .NET Micro Framework server writes it and as curl, Python's ftplib
/// and basic-ftp read it), or the size, one space and the word `bytes` in
/// any letter case (`213 1234 Bytes`: Zope's server; `12  bytes` and
/// `12\tbytes` are `BadNumber`).
///
/// # Errors
/// `Missing` for empty text or white space alone, `BadNumber` (at the
/// text's first byte) for anything but digits fitting a `u64` (a sign, a
/// separator, another word before or after them).
#[must_use = "parsing has no effect but its result"]
pub fn file_size(text: &[u8]) -> Result<u64, Error> {
    let mut t = text.trim_ascii_start().trim_ascii_end();
    if t.is_empty() {
        return Err(Error::payload(PayloadError::Missing, 0));
    }
    if let Some((number, unit)) = t.len().checked_sub(6).and_then(|n| t.split_at_checked(n))
        && unit.eq_ignore_ascii_case(b" bytes")
    {
        t = number;
    }
    decimal_u64(t).ok_or(Error::payload(PayloadError::BadNumber, 0))
}

/// 350: the restart offset, when the text speaks of a restart and gives a
/// number after that word: `Restarting at 100.` (ProFTPD, pure-ftpd, IIS),
/// `Restart position accepted (100).` (vsftpd), `REST command accepted,
/// parameter 100.` (z/OS). The word is `restart` (with any ending, and
/// inside a longer word too: `prerestart`, `Unrestartable`), or `rest` as
/// a word of its own, in any letter case, whichever comes first.
/// `Ok(None)` otherwise (a 350 after RNFR carries no number). Known to
/// answer REST, [`Reply::payload_after`](crate::Reply::payload_after)
/// reads more: with no such word, the text's one number when it starts a
/// word ([`Payload::Restart`](crate::payload::Payload::Restart)).
///
/// The number is exact or refused: the first run of digits after the word,
/// which a period may end (`100.`), but not a sign, a thousands separator,
/// a decimal point or a letter (before it: the digits of a name, `mp3`,
/// `file5.bin`; or after it).
///
/// # Errors
/// `BadNumber` when the number does not fit in a `u64`; when a sign, a
/// comma, a decimal point or a letter stands before it (at that byte:
/// `-1294967296`, `.5`, `mp3`, `file5.bin`); when a separator or a space and
/// more digits (`1,024`, `1.5`, `1 024`) or a letter (`0x400`, `12a`) follow its digits (at the
/// digits).
#[must_use = "parsing has no effect but its result"]
pub fn restart_offset(text: &[u8]) -> Result<Option<u64>, Error> {
    offset_in_350(text, false)
}

/// A 350's offset: [`restart_offset`]'s number, or, known to answer REST
/// (`after_rest`) and with no word `rest` or `restart` in the text, its
/// one number: a server may write neither word (`Resuming at 100`:
/// ftpvita, the PS Vita's server; `Start transfer from 100`:
/// goftp/server; `Neustart bei 100.`: Pure-FTPd in German), and the
/// offset is then the number it echoes. That number is read only when it
/// is the text's one run of digits, starts a word and fits a `u64`: no
/// printable ASCII before it (the text's start, a space, a control byte,
/// or a byte that is not ASCII: `从100开始`), no letter after it (`100.`
/// and `100,` are 100); not `-5`, `.5`, `(5`, `1,024`, `12a`,
/// `x5`, `file5.bin`. Anything else is none, not an error: with no word
/// naming it, prose (`Ready for 2nd file`, `C[1] ...`) is not refused as a
/// bad offset. It is a heuristic: prose whose one number stands alone
/// (`Ready for 2 files`) gives that number. A text with the word reads as
/// [`restart_offset`] reads it, a number before the word not counting.
/// One function for both: flash.
pub(crate) fn offset_in_350(text: &[u8], after_rest: bool) -> Result<Option<u64>, Error> {
    match restart_word(text) {
        Some(word) => number_from(text, word),
        None if after_rest => Ok(one_number(text)),
        None => Ok(None),
    }
}

/// The text's one run of digits when it starts a word (see [`offset_in_350`]),
/// or none.
fn one_number(text: &[u8]) -> Option<u64> {
    let (s, e) = digit_run(text, 0)?;
    // Starts a word: no printable ASCII before it (the text's start, a
    // space, a control byte, or a byte of a UTF-8 character: Chinese sets
    // no space before a number), no letter after it (`exact`). Not
    // `file5.bin`, `x5`, `-5`, `(5`, `1,024`.
    if digit_run(text, e).is_some() || byte_at(text, s.wrapping_sub(1)).is_ascii_graphic() {
        return None;
    }
    exact(text, s, e)
}

/// The first number at or after `from`, exact or refused, as
/// [`restart_offset`] reads it.
fn number_from(text: &[u8], from: usize) -> Result<Option<u64>, Error> {
    let Some((s, e)) = digit_run(text, from) else {
        return Ok(None);
    };
    // A sign (`-5`), a decimal point (`.5`) or a letter (`mp3`,
    // `file5.bin`: a name's digits) before the digits. (The 227 scan's
    // test for a letter, a digit, `+`, `,` or `-`, as 120's: shared
    // flash.)
    let before = byte_at(text, s.wrapping_sub(1));
    if super::passive::is_run_byte(before) || before == b'.' {
        return Err(Error::payload(PayloadError::BadNumber, s - 1));
    }
    exact(text, s, e)
        .map(Some)
        .ok_or(Error::payload(PayloadError::BadNumber, s))
}

/// The number written in the digits from `s` to `e` (a whole run, maybe
/// empty: `None`), when they are the whole number: not when a separator
/// and more digits (`1,024`, `1.5`; not the `.` that ends a sentence) or
/// a letter (`0x400`, `12a`) follow them, nor when they do not fit in a
/// `u64`.
fn exact(text: &[u8], s: usize, e: usize) -> Option<u64> {
    let next = byte_at(text, e);
    if (joins(next) && byte_at(text, e + 1).is_ascii_digit()) || next.is_ascii_alphabetic() {
        return None;
    }
    decimal_u64(text.get(s..e)?)
}

/// 200 after PBSZ (RFC 2228 section 3): the protection buffer size in
/// `PBSZ=N`, any letter case, anywhere in the text (`PBSZ=0`: Pure-FTPd,
/// FileZilla Server, z/OS). `Ok(None)` when the text has no `PBSZ=`
/// (`PBSZ set to 0.`: vsftpd; `PBSZ 0 successful`: ProFTPD): the size
/// asked for was taken.
///
/// The number is exact or refused: the digits right after the `=`, which
/// a period may end, up to 4294967295 (RFC 2228: "a decimal integer
/// representing the maximum size ... 32 bit unsigned").
///
/// # Errors
/// `BadNumber`, at the byte after the `=`, when no digit stands there
/// (`PBSZ=-1`, `PBSZ=`), when a separator and more digits or a letter
/// follow the digits (`PBSZ=1,024`, `PBSZ=1 024`, `PBSZ=16k`), or when the number does
/// not fit in a `u32`.
#[must_use = "parsing has no effect but its result"]
pub fn protection_buffer_size(text: &[u8]) -> Result<Option<u32>, Error> {
    let Some(at) = find_ignore_case(text, b"pbsz=") else {
        return Ok(None);
    };
    let s = at + 5;
    exact(text, s, digits_end(text, s))
        .and_then(|n| u32::try_from(n).ok())
        .map(Some)
        .ok_or(Error::payload(PayloadError::BadNumber, s))
}

/// Where [`restart_offset`]'s word starts: the first `rest` that `art`
/// follows, or that stands alone (no letter before or after it). Linear:
/// at most nine bytes looked at per position (shape `350 rest*` of
/// `numbers_are_linear` in `tests/payload_guarantees.rs`).
fn restart_word(text: &[u8]) -> Option<usize> {
    let mut from = 0;
    loop {
        let at = from + find_ignore_case(text.get(from..)?, b"rest")?;
        from = at + 4;
        // Bit 5 set gives a lower-case letter from either case only.
        let art = b"art"
            .iter()
            .zip(from..)
            .all(|(&c, i)| byte_at(text, i) | 0x20 == c);
        let letter = |i: usize| byte_at(text, i).is_ascii_alphabetic();
        if art || !letter(at.wrapping_sub(1)) && !letter(from) {
            return Some(at);
        }
    }
}

/// 120: the minutes in `Service ready in nnn minutes.`, when given: the
/// first number that `min` follows (after an optional space).
///
/// The number is exact or refused: not signed, and not the end of a
/// number with a separator (`1,000 minutes`, `1.5 minutes`, `1 000
/// minutes`).
///
/// # Errors
/// `BadNumber` when the number does not fit in a `u32`; when a sign, a
/// comma, a decimal point or a letter stands before it (at that byte: `-5
/// minutes`, `5-10 minutes`, `.5 minutes`, `0x5 minutes`); when a separator or a space
/// joins it to digits before (at the first digits: `1,000`, `1.5`,
/// `1 000`).
#[must_use = "parsing has no effect but its result"]
pub fn ready_in_minutes(text: &[u8]) -> Result<Option<u32>, Error> {
    let mut from = 0;
    // Where the number the current run of digits belongs to starts: the
    // run itself, or an earlier run that separators join it to.
    let mut number = 0;
    while let Some((s, e)) = digit_run(text, from) {
        // Joined to the run before: a separator, and a digit before it
        // (where a run ended, runs being maximal).
        let joined = joins(byte_at(text, s.wrapping_sub(1)))
            && byte_at(text, s.wrapping_sub(2)).is_ascii_digit();
        if !joined {
            number = s;
        }
        let unit = if byte_at(text, e) == b' ' { e + 1 } else { e };
        if text
            .get(unit..unit + 3)
            .is_some_and(|w| w.eq_ignore_ascii_case(b"min"))
        {
            if joined {
                return Err(Error::payload(PayloadError::BadNumber, number));
            }
            // A sign before (`-5`), or a letter glued to it (`0x5`,
            // `v5`): no plain number. (The 227 scan's test for a letter,
            // a digit, `+`, `,` or `-`: shared flash; no digit stands
            // there, and `,` joined to digits was refused above.)
            // A decimal point before (`.5`) is no whole number either.
            let before = byte_at(text, s.wrapping_sub(1));
            if super::passive::is_run_byte(before) || before == b'.' {
                return Err(Error::payload(PayloadError::BadNumber, s - 1));
            }
            let n = decimal_u64(text.get(s..e).unwrap_or_default())
                .and_then(|n| u32::try_from(n).ok())
                .ok_or(Error::payload(PayloadError::BadNumber, s))?;
            return Ok(Some(n));
        }
        from = e;
    }
    Ok(None)
}

/// How a reply that may carry a number is written: the text around the
/// number, and the text when there is none. One per payload below.
pub(crate) struct NumberText {
    before: &'static str,
    after: &'static str,
    none: &'static str,
}

/// 150/125: the size in `(N bytes)`.
pub(crate) const TRANSFER_TEXT: NumberText = NumberText {
    before: "Opening BINARY mode data connection (",
    after: " bytes).",
    none: "Opening BINARY mode data connection.",
};

/// 350: the restart offset.
pub(crate) const RESTART_TEXT: NumberText = NumberText {
    before: "Restarting at ",
    after: ". Send STORE or RETRIEVE.",
    none: "Requested file action pending further information.",
};

/// 120: the minutes until the service is ready.
pub(crate) const READY_IN_TEXT: NumberText = NumberText {
    before: "Service ready in ",
    after: " minutes.",
    none: "Service ready soon.",
};

/// 200 after PBSZ: the protection buffer size.
pub(crate) const BUFFER_SIZE_TEXT: NumberText = NumberText {
    before: "PBSZ=",
    after: "",
    none: "PBSZ command successful.",
};

/// Writes a text with the number `n`, or the one without a number.
pub(crate) fn emit_number<S: Sink + ?Sized>(
    n: Option<u64>,
    text: &NumberText,
    out: BlockWriter<'_, S>,
) -> Result<(), Error> {
    match n {
        Some(n) => out.last_fmt(format_args!("{}{n}{}", text.before, text.after)),
        None => out.last_fmt(format_args!("{}", text.none)),
    }
}

/// Writes a 213 SIZE text: the number alone.
pub(crate) fn emit_size<S: Sink + ?Sized>(size: u64, out: BlockWriter<'_, S>) -> Result<(), Error> {
    out.last_fmt(format_args!("{size}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes() {
        assert_eq!(
            transfer_size(b"Opening BINARY mode data connection for hello.txt (1234 bytes)."),
            Ok(Some(1234))
        );
        assert_eq!(
            transfer_size(b"Opening data connection (5 Bytes)"),
            Ok(Some(5))
        );
        assert_eq!(transfer_size(b"Accepted data connection"), Ok(None));
        // `(` then `bytes)` with nothing between is no size, not an empty
        // one, and does not hide the size before it. (Mutation testing.)
        assert_eq!(transfer_size(b"Opening for x( bytes)"), Ok(None));
        assert_eq!(
            transfer_size(b"Opening for x(bytes) (7 bytes)"),
            Ok(Some(7))
        );
        assert_eq!(
            transfer_size(b"Opening for x (7 bytes) (bytes)"),
            Ok(Some(7))
        );
        assert_eq!(
            transfer_size(b"x (99999999999999999999999 bytes)"),
            Err(Error::payload(PayloadError::BadNumber, 3))
        );
        // SimpleFTPServer's (and the other Arduino servers'): the size
        // first, not in parentheses.
        assert_eq!(transfer_size(b"1234 bytes to download"), Ok(Some(1234)));
        assert_eq!(transfer_size(b"0 Bytes"), Ok(Some(0)));
        assert_eq!(transfer_size(b"12bytes."), Ok(Some(12)));
        // Not at the start, not the word `bytes`, not a word of its own,
        // or closed by a `)` that no `(` opened: no size.
        assert_eq!(
            transfer_size(b"Opening data connection for 20 bytes.txt"),
            Ok(None)
        );
        assert_eq!(transfer_size(b"5 files to download"), Ok(None));
        assert_eq!(transfer_size(b"5 bytesize"), Ok(None));
        assert_eq!(transfer_size(b"5 byte"), Ok(None));
        assert_eq!(transfer_size(b"(5 bytes"), Ok(None));
        assert_eq!(transfer_size(b"x (5 bytes.txt"), Ok(None));
        // A size in `(N bytes)` later still counts over the first one.
        assert_eq!(transfer_size(b"5 bytes (7 bytes)"), Ok(Some(7)));
        // BSD ftpd (netkit, GNU inetutils) quotes the name in `'`: the
        // `(5 bytes)` of a name `x (5 bytes)` is the name's (helper 118,
        // live recordings); a `'` that none closes hides nothing, and one
        // inside N is a separator.
        let bsd = b"Opening BINARY mode data connection for 'x (5 bytes)'";
        assert_eq!(transfer_size(bsd), Ok(None));
        assert_eq!(
            transfer_size(b"Opening BINARY mode data connection for 'x (5 bytes)' (58 bytes)."),
            Ok(Some(58))
        );
        assert_eq!(transfer_size(b"for it's (5 bytes)."), Ok(Some(5)));
        // An apostrophe in a quoted name closes nothing (a letter after
        // it); the quote before `.` or a space does (helper 119).
        assert_eq!(transfer_size(b"for 'a's (5 bytes)'."), Ok(None));
        assert_eq!(
            transfer_size(b"for 'a's (5 bytes)' (9 bytes)."),
            Ok(Some(9))
        );
        assert_eq!(transfer_size(b"for \"a\"b (5 bytes)\""), Ok(None));
        assert_eq!(transfer_size(b"for \"it's (5 bytes)\"."), Ok(None));
        assert_eq!(transfer_size(b"for 'a\"b (5 bytes)'."), Ok(None));
        assert_eq!(
            transfer_size(b"for x (1'024 bytes) 'y'"),
            Err(Error::payload(PayloadError::BadNumber, 7))
        );
        // The leading form is read as the `(N bytes)` one: a sign or a
        // separator is refused, not taken as no size.
        assert_eq!(
            transfer_size(b"-5 bytes to download"),
            Err(Error::payload(PayloadError::BadNumber, 0))
        );
        assert_eq!(
            transfer_size(b"99999999999999999999999 bytes to download"),
            Err(Error::payload(PayloadError::BadNumber, 0))
        );
        assert_eq!(file_size(b"1234"), Ok(1234));
        assert_eq!(file_size(b"1234 Bytes"), Ok(1234));
        assert_eq!(file_size(b"  1234"), Ok(1234));
        assert_eq!(file_size(b"1234 bytes \t"), Ok(1234));
        for bad in [
            &b" bytes"[..],
            b"1234 kbytes",
            b"1234 octets",
            b"1234  bytes",
            b"1234bytes",
        ] {
            assert_eq!(
                file_size(bad),
                Err(Error::payload(PayloadError::BadNumber, 0)),
                "{bad:?}"
            );
        }
        assert_eq!(
            file_size(b"12a"),
            Err(Error::payload(PayloadError::BadNumber, 0))
        );
        assert_eq!(
            file_size(b""),
            Err(Error::payload(PayloadError::Missing, 0))
        );
    }

    #[test]
    fn restart() {
        assert_eq!(
            restart_offset(b"Restarting at 100. Send STORE or RETRIEVE"),
            Ok(Some(100))
        );
        assert_eq!(
            restart_offset(b"Restart position accepted (100)."),
            Ok(Some(100))
        );
        assert_eq!(
            restart_offset(b"File exists, ready for destination name"),
            Ok(None)
        );
        // z/OS names the command; FileZilla Server says both.
        assert_eq!(
            restart_offset(b"REST command accepted, parameter 100."),
            Ok(Some(100))
        );
        assert_eq!(
            restart_offset(b"Rest supported. Restarting at 100"),
            Ok(Some(100))
        );
        assert_eq!(restart_offset(b"rest 7"), Ok(Some(7)));
        // `rest` inside a word, or starting a longer one, is not the word:
        // the number after a later `restart` counts, or none.
        assert_eq!(restart_offset(b"Forest 4 restarts at 9"), Ok(Some(9)));
        assert_eq!(restart_offset(b"Interest 4, rested 5"), Ok(None));
        assert_eq!(restart_offset(b"Restored 5"), Ok(None));
        assert_eq!(restart_offset(b"prerestart at 3"), Ok(Some(3)));
        assert_eq!(restart_offset(b"res 1 rest"), Ok(None));
        // Digits after a letter are a name's, not the offset: refused at
        // the letter, as a 120's are (this gave 3 and 5, helper 115).
        assert_eq!(
            restart_offset(b"Restart of mp3 file at 100"),
            Err(Error::payload(PayloadError::BadNumber, 12))
        );
        assert_eq!(
            restart_offset(b"Restarting file5.bin at 100."),
            Err(Error::payload(PayloadError::BadNumber, 14))
        );
        assert_eq!(
            restart_offset(b"Restarting at x100"),
            Err(Error::payload(PayloadError::BadNumber, 14))
        );
        assert_eq!(
            restart_offset(b"Restarting at ,100"),
            Err(Error::payload(PayloadError::BadNumber, 14))
        );
        assert_eq!(restart_offset(b"Restarting at (100)"), Ok(Some(100)));
        assert_eq!(restart_offset(b"Restarting at\t100"), Ok(Some(100)));
        // Known to answer REST, a text with no such word gives its one
        // number (ftpvita, goftp/server, Pure-FTPd in German), and none
        // when it has two (which is the offset is not said) or none.
        assert_eq!(restart_offset(b"Resuming at 1024"), Ok(None));
        assert_eq!(offset_in_350(b"Resuming at 1024", true), Ok(Some(1024)));
        assert_eq!(
            offset_in_350(b"Start transfer from 1024", true),
            Ok(Some(1024))
        );
        assert_eq!(offset_in_350(b"Neustart bei 7.", true), Ok(Some(7)));
        // Pure-FTPd in Chinese (messages_zh_cn.h), and a number with no
        // space before it, as Chinese writes one.
        assert_eq!(
            offset_in_350("重新开始于 1024".as_bytes(), true),
            Ok(Some(1024))
        );
        assert_eq!(offset_in_350("从1024开始".as_bytes(), true), Ok(Some(1024)));
        assert_eq!(offset_in_350(b"1024", true), Ok(Some(1024)));
        assert_eq!(
            offset_in_350(b"Resuming at\t1024, ok", true),
            Ok(Some(1024))
        );
        assert_eq!(offset_in_350(b"C[1] Resuming at 1024", true), Ok(None));
        assert_eq!(offset_in_350(b"Resuming", true), Ok(None));
        // With the word, its own number or none: a number before it does
        // not count (a client number, a session's).
        assert_eq!(
            offset_in_350(b"C[1] restart position accepted (9) for 5.bin", true),
            Ok(Some(9))
        );
        assert_eq!(
            offset_in_350(b"C[1] restart position accepted", true),
            Ok(None)
        );
        assert_eq!(offset_in_350(b"1024: restart accepted", true), Ok(None));
        assert_eq!(offset_in_350(b"Restart position accepted", true), Ok(None));
        // With no word, only a clean number counts; prose is none, not
        // an error (the word's number stays exact or refused).
        for text in [
            &b"Resuming at -5"[..],
            b"Resuming at .5",
            b"Resuming at 12a",
            b"Resuming at 1,024",
            b"Resuming at 1 024",
            b"Resuming at 99999999999999999999",
            b"Ready for 2nd file",
            b"File \"log-2021.txt\" exists",
            b"Ready for file5.bin",
            b"Resuming at x5",
            b"Resuming at ,5",
            b"Resuming at _5",
            b"Resuming at (5)",
            b"Resuming at #5",
        ] {
            assert_eq!(offset_in_350(text, true), Ok(None), "{text:?}");
        }
        let bad = |at| Err(Error::payload(PayloadError::BadNumber, at));
        assert_eq!(offset_in_350(b"Restarting at -5", true), bad(14));
        assert_eq!(offset_in_350(b"Restarting at 1,024", true), bad(14));
        assert_eq!(
            ready_in_minutes(b"Service ready in 5 minutes."),
            Ok(Some(5))
        );
        assert_eq!(ready_in_minutes(b"Try later"), Ok(None));
    }

    #[test]
    fn buffer_size() {
        let bad = |at| Err(Error::payload(PayloadError::BadNumber, at));
        // Pure-FTPd and FileZilla Server; z/OS's message 200-89.
        assert_eq!(protection_buffer_size(b"PBSZ=0"), Ok(Some(0)));
        assert_eq!(protection_buffer_size(b"pbsz=1024."), Ok(Some(1024)));
        assert_eq!(
            protection_buffer_size(b"Protection buffer size set, PBSZ=4294967295"),
            Ok(Some(u32::MAX))
        );
        assert_eq!(protection_buffer_size(b"PBSZ=007 ok"), Ok(Some(7)));
        // vsftpd, ProFTPD, IIS: no size given.
        assert_eq!(protection_buffer_size(b"PBSZ set to 0."), Ok(None));
        assert_eq!(protection_buffer_size(b"PBSZ 0 successful"), Ok(None));
        assert_eq!(
            protection_buffer_size(b"PBSZ command successful."),
            Ok(None)
        );
        // Exact or refused, at the byte after the `=`.
        assert_eq!(protection_buffer_size(b"PBSZ=4294967296"), bad(5));
        assert_eq!(protection_buffer_size(b"PBSZ=-1"), bad(5));
        assert_eq!(protection_buffer_size(b"PBSZ=+1"), bad(5));
        assert_eq!(protection_buffer_size(b"PBSZ="), bad(5));
        assert_eq!(protection_buffer_size(b"x PBSZ= 5"), bad(7));
        assert_eq!(protection_buffer_size(b"PBSZ=1,024"), bad(5));
        assert_eq!(protection_buffer_size(b"PBSZ=1.5"), bad(5));
        assert_eq!(protection_buffer_size(b"PBSZ=16k"), bad(5));
        assert_eq!(protection_buffer_size(b"PBSZ=0x10"), bad(5));
    }
}
