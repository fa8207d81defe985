//! 213 reply to MDTM, and the `modify` fact of MLST: a time stamp in UTC
//! (RFC 3659 section 2.3).
//!
//! ```text
//! time-val       = 14DIGIT [ "." 1*DIGIT ]
//! ```
//!
//! and the MDTM reply of section 3.1, verbatim:
//!
//! ```text
//! mdtm          = "MdTm" SP pathname CRLF
//! mdtm-response = "213" SP time-val CRLF /
//!                 error-response
//! ```
//!
//! Symbolically `YYYYMMDDHHMMSS.sss`: the year (RFC 3659 gives it the range
//! 1000--9999), the month 01--12, the day 01--31, the hour 00--23, the
//! minute 00--59, the second 00--60 ("with 60 being used only at a leap
//! second"), then optionally a period and decimal fractions of a second,
//! "to whatever precision is appropriate". The time is always UTC.

use core::fmt;

use crate::encode::{BlockWriter, Sink, SliceWriter, unencodable};
use crate::error::{Error, PayloadError};

/// The most fraction digits kept: nine, which is nanoseconds.
const MAX_FRACTION_DIGITS: u8 = 9;

/// A time stamp of RFC 3659 (`time-val`), in UTC.
///
/// The fraction of a second is kept as it was sent, to the nanosecond:
/// [`nanos`](Self::nanos) holds it scaled to nanoseconds and
/// [`fraction_digits`](Self::fraction_digits) how many digits there were
/// (at most 9: digits finer than a nanosecond are dropped), so
/// [`Timestamp::write_wire`] gives back the same digits (`.014` stays
/// `.014`, not `.014000000` or `.14`).
///
/// Valid by construction: the fields are private, and a value comes only
/// from a parse or from [`Timestamp::new`] and [`Timestamp::with_fraction`],
/// which check every field; the getters give them.
///
/// There is no `Ord`: two stamps that differ only in `fraction_digits`
/// (`.5` and `.50`) are the same instant but not equal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Timestamp {
    year: u16,
    month: u8,
    day: u8,
    hour: u8,
    minute: u8,
    second: u8,
    nanos: u32,
    fraction_digits: u8,
}

/// Whether `year` is a leap year of the (proleptic) Gregorian calendar.
const fn is_leap_year(year: u16) -> bool {
    year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400))
}

/// The number of days in `month` (1 to 12) of `year`; 0 for a month out of
/// range.
const fn days_in_month(year: u16, month: u8) -> u8 {
    month_days(month, is_leap_year(year))
}

/// The number of days in `month` (1 to 12) of a leap year or not; 0 for
/// a month out of range.
const fn month_days(month: u8, leap: bool) -> u8 {
    match month {
        2 if leap => 29,
        2 => 28,
        // 31 days where the month's bit is set in 0x15AA (1, 3, 5, 7, 8,
        // 10, 12), 30 in the others: arithmetic, not a table.
        1..=12 => 30 + ((0x15AA_u16 >> month) & 1) as u8,
        _ => 0,
    }
}

/// `10^(9 - digits)`: what one unit of the last of `digits` fraction digits
/// is worth in nanoseconds (digits above 9 count as 9).
const fn nanos_per_unit(digits: u8) -> u32 {
    let exp = MAX_FRACTION_DIGITS.saturating_sub(digits);
    let mut value = 1u32;
    let mut i = 0;
    while i < exp {
        value = value.saturating_mul(10);
        i += 1;
    }
    value
}

impl Timestamp {
    /// A time stamp without a fraction of a second, or `None` when a field
    /// is out of range: year above 9999, month outside 1 to 12, a day the
    /// month does not have (31 April, 29 February 2023), hour above 23,
    /// minute above 59, second above 60.
    #[must_use]
    pub const fn new(
        year: u16,
        month: u8,
        day: u8,
        hour: u8,
        minute: u8,
        second: u8,
    ) -> Option<Self> {
        let stamp = Timestamp {
            year,
            month,
            day,
            hour,
            minute,
            second,
            nanos: 0,
            fraction_digits: 0,
        };
        if stamp.is_valid() { Some(stamp) } else { None }
    }

    /// The same time stamp with a fraction of `digits` digits worth `nanos`
    /// nanoseconds, or `None` when `digits` is above 9, `nanos` is not below
    /// one second, or `nanos` does not fit in `digits` digits (it must be a
    /// multiple of `10^(9 - digits)`; with `digits` 0 it must be 0).
    ///
    /// `Timestamp::new(1998, 6, 15, 10, 0, 45)?.with_fraction(14_000_000, 3)`
    /// is `19980615100045.014`.
    #[must_use]
    pub const fn with_fraction(self, nanos: u32, digits: u8) -> Option<Self> {
        let stamp = Timestamp {
            nanos,
            fraction_digits: digits,
            ..self
        };
        if stamp.is_valid() { Some(stamp) } else { None }
    }

    /// The year, 0 to 9999 (four digits on the wire).
    #[must_use]
    pub const fn year(&self) -> u16 {
        self.year
    }

    /// The month, 1 to 12.
    #[must_use]
    pub const fn month(&self) -> u8 {
        self.month
    }

    /// The day of the month, 1 to 28, 29, 30 or 31 (Gregorian calendar).
    #[must_use]
    pub const fn day(&self) -> u8 {
        self.day
    }

    /// The hour, 0 to 23.
    #[must_use]
    pub const fn hour(&self) -> u8 {
        self.hour
    }

    /// The minute, 0 to 59.
    #[must_use]
    pub const fn minute(&self) -> u8 {
        self.minute
    }

    /// The second, 0 to 60 (60 at a leap second).
    #[must_use]
    pub const fn second(&self) -> u8 {
        self.second
    }

    /// The fraction of the second, in nanoseconds (below 1 000 000 000, and
    /// a multiple of `10^(9 - fraction_digits)`).
    #[must_use]
    pub const fn nanos(&self) -> u32 {
        self.nanos
    }

    /// How many fraction digits were given, 0 to 9 (0: no `.` at all).
    #[must_use]
    pub const fn fraction_digits(&self) -> u8 {
        self.fraction_digits
    }

    /// Whether every field is in range: what the constructors check.
    const fn is_valid(&self) -> bool {
        self.year <= 9999
            && self.month >= 1
            && self.month <= 12
            && self.day >= 1
            && self.day <= days_in_month(self.year, self.month)
            && self.hour <= 23
            && self.minute <= 59
            && self.second <= 60
            && self.fraction_digits <= MAX_FRACTION_DIGITS
            && self.nanos < 1_000_000_000
            && self
                .nanos
                .is_multiple_of(nanos_per_unit(self.fraction_digits))
    }

    /// The fraction as the integer its digits spell (`.014` is 14).
    const fn fraction_value(&self) -> u32 {
        self.nanos / nanos_per_unit(self.fraction_digits)
    }

    /// Parses a `time-val` that makes up the whole of `text` (the text of a
    /// 213 reply to MDTM: `20210304050607`); spaces and other ASCII white
    /// space may follow it, nothing else.
    ///
    /// See [`Timestamp::parse_prefix`] for what is accepted.
    ///
    /// # Errors
    /// As [`Timestamp::parse_prefix`]; and [`PayloadError::BadNumber`] at
    /// the first byte after the time stamp that is not white space (`15`
    /// digits, `20210304050607Z`, `20210304050607 UTC`).
    #[must_use = "parsing has no effect but its result"]
    pub fn parse(text: &[u8]) -> Result<Self, Error> {
        let (stamp, len) = Self::parse_prefix(text)?;
        let rest = text.get(len..).unwrap_or_default();
        // The first byte that is not white space, by the trim other views
        // call too.
        let after = rest.trim_ascii_start();
        if after.is_empty() {
            Ok(stamp)
        } else {
            Err(Error::payload(
                PayloadError::BadNumber,
                text.len() - after.len(),
            ))
        }
    }

    /// Parses a `time-val` at the start of `text`, and says how many bytes
    /// it took; what follows is not looked at (for a `modify=` fact, a `;`).
    ///
    /// Choices where RFC 3659 leaves room:
    ///
    /// - any four-digit year is taken, 0000 too, though the RFC gives the
    ///   range 1000--9999: a stamp the server made up from a zero time is
    ///   still a stamp;
    /// - second 60 is taken on any day at any time: whether a leap second
    ///   was inserted then would need a table of leap seconds;
    /// - the fraction may have any number of digits (the RFC's `1*DIGIT`);
    ///   a stamp holds nanoseconds, so the first 9 are kept and the digits
    ///   past the ninth (finer than a nanosecond) are read and dropped,
    ///   not rounded: [`fraction_digits`](Self::fraction_digits) is then
    ///   9. Up to 9 digits, what is parsed is written back unchanged;
    /// - no white space before the digits, and no other form (no `-`, `:`,
    ///   `T`, time zone) is taken.
    ///
    /// # Errors
    /// With the offset into `text`:
    /// - [`PayloadError::Missing`] at 0 when `text` is empty;
    /// - [`PayloadError::BadNumber`] at the first of the 14 leading bytes
    ///   that is not a digit, or at the end of a text shorter than that, or
    ///   just past a `.` that no digit follows;
    /// - [`PayloadError::BadTime`] at the start of a field out of range
    ///   (month at 4, day at 6, hour at 8, minute at 10, second at 12).
    #[must_use = "parsing has no effect but its result"]
    pub fn parse_prefix(text: &[u8]) -> Result<(Self, usize), Error> {
        if text.is_empty() {
            return Err(Error::payload(PayloadError::Missing, 0));
        }
        // The 14 digits as seven two-digit numbers: century, year, month,
        // day, hour, minute, second (one loop: flash counts on firmware).
        let mut pairs = [0u8; 7];
        let mut i = 0;
        for pair in &mut pairs {
            for _ in 0..2 {
                match text.get(i) {
                    Some(&b) if b.is_ascii_digit() => *pair = *pair * 10 + (b - b'0'),
                    _ => return Err(Error::payload(PayloadError::BadNumber, i)),
                }
                i += 1;
            }
        }
        let [century, yy, month, day, hour, minute, second] = pairs;
        let year = u16::from(century) * 100 + u16::from(yy);
        // Each field against its range, in order, at its offset (month at
        // 4, day at 6, ...); the day's range is known once the month is.
        // A leap year by its pairs, without a division: a year that does
        // not end in 00 by its last two digits, one that does by its first
        // two (100 and 400 being multiples of 4).
        let leap = (if yy == 0 { century } else { yy }).is_multiple_of(4);
        let highest = [12, month_days(month, leap), 23, 59, 60];
        let mut k = 0;
        while let (Some(&value), Some(&max)) = (pairs.get(k + 2), highest.get(k)) {
            if value > max || (k < 2 && value == 0) {
                return Err(Error::payload(PayloadError::BadTime, 4 + 2 * k));
            }
            k += 1;
        }
        let mut stamp = Timestamp {
            year,
            month,
            day,
            hour,
            minute,
            second,
            nanos: 0,
            fraction_digits: 0,
        };
        if text.get(14) != Some(&b'.') {
            return Ok((stamp, 14));
        }
        let mut pos = 15usize;
        let mut nanos = 0u32;
        let mut count = 0u8;
        while let Some(&b) = text.get(pos) {
            if !b.is_ascii_digit() {
                break;
            }
            // Past the ninth digit: finer than a nanosecond, dropped.
            if count < MAX_FRACTION_DIGITS {
                nanos = nanos * 10 + u32::from(b - b'0');
                count += 1;
            }
            pos += 1;
        }
        if count == 0 {
            return Err(Error::payload(PayloadError::BadNumber, pos));
        }
        stamp.fraction_digits = count;
        // Scaled to nanoseconds: one zero per missing digit.
        while count < MAX_FRACTION_DIGITS {
            nanos *= 10;
            count += 1;
        }
        stamp.nanos = nanos;
        Ok((stamp, pos))
    }

    /// Writes the fraction digits (without the period), if any.
    fn write_fraction(&self, w: &mut impl fmt::Write) -> fmt::Result {
        if self.fraction_digits == 0 {
            return Ok(());
        }
        let width = usize::from(self.fraction_digits.min(MAX_FRACTION_DIGITS));
        write!(w, ".{:0width$}", self.fraction_value())
    }

    /// Writes the time stamp as RFC 3659 sends it, `YYYYMMDDHHMMSS[.sss]`,
    /// with exactly `fraction_digits` fraction digits.
    ///
    /// # Errors
    /// Only those of `w`.
    pub fn write_wire(&self, w: &mut impl fmt::Write) -> fmt::Result {
        write!(
            w,
            "{:04}{:02}{:02}{:02}{:02}{:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )?;
        self.write_fraction(w)
    }
}

impl Timestamp {
    /// Writes the time stamp as a 213 after MDTM carries it. It goes
    /// through a buffer first, so that a value that cannot be written (a
    /// field out of range) writes nothing of its text and is unencodable.
    pub(crate) fn emit<S: Sink + ?Sized>(&self, out: BlockWriter<'_, S>) -> Result<(), Error> {
        let mut buf = [0u8; 32];
        let mut w = SliceWriter::new(&mut buf);
        let written = self.write_wire(&mut w);
        let n = w.len();
        out.last_with(|sink| {
            written.map_err(|_| unencodable(0))?;
            sink.put(buf.get(..n).unwrap_or_default())
        })
    }
}

/// `YYYY-MM-DDTHH:MM:SS[.sss]Z` (RFC 3339), with exactly `fraction_digits`
/// fraction digits.
impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            self.year, self.month, self.day, self.hour, self.minute, self.second
        )?;
        self.write_fraction(f)?;
        f.write_str("Z")
    }
}

/// Only valid time stamps, so that a fuzzer's value can be written and
/// parsed back.
#[cfg(feature = "arbitrary")]
#[cfg_attr(docsrs, doc(cfg(feature = "arbitrary")))]
impl<'a> arbitrary::Arbitrary<'a> for Timestamp {
    fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {
        let year = u.int_in_range(0..=9999u16)?;
        let month = u.int_in_range(1..=12u8)?;
        let day = u.int_in_range(1..=days_in_month(year, month).max(1))?;
        let hour = u.int_in_range(0..=23u8)?;
        let minute = u.int_in_range(0..=59u8)?;
        let second = u.int_in_range(0..=60u8)?;
        let fraction_digits = u.int_in_range(0..=MAX_FRACTION_DIGITS)?;
        let unit = nanos_per_unit(fraction_digits);
        let units = u.int_in_range(0..=(999_999_999 / unit))?;
        Ok(Timestamp {
            year,
            month,
            day,
            hour,
            minute,
            second,
            nanos: if fraction_digits == 0 {
                0
            } else {
                units * unit
            },
            fraction_digits,
        })
    }

    fn size_hint(_depth: usize) -> (usize, Option<usize>) {
        (0, Some(2 + 6 + 4))
    }
}

#[cfg(test)]
mod tests {
    extern crate std;

    use super::*;
    use std::format;
    use std::string::String;

    fn stamp(text: &str) -> Timestamp {
        Timestamp::parse(text.as_bytes()).unwrap()
    }

    /// The fuzzers' time stamps: valid, written and parsed back equal,
    /// with fractions of every length (nanoseconds too), and never more
    /// bytes taken than `size_hint` says, which is the most a draw takes.
    #[cfg(feature = "arbitrary")]
    #[test]
    fn arbitrary_stamps() {
        use arbitrary::{Arbitrary, Unstructured};
        let (_, Some(most)) = Timestamp::size_hint(0) else {
            panic!("no upper bound");
        };
        let mut next = crate::payload::testing::xorshift(0x2545_f491_4f6c_dd1d);
        let mut digits = [0usize; 10];
        let mut took_most = 0;
        for _ in 0..5_000 {
            let mut bytes = [0u8; 16];
            for b in bytes.iter_mut() {
                *b = next() as u8;
            }
            let mut u = Unstructured::new(&bytes);
            let t = Timestamp::arbitrary(&mut u).unwrap();
            assert!(bytes.len() - u.len() <= most, "{t:?}");
            took_most = took_most.max(bytes.len() - u.len());
            assert!(t.is_valid(), "{t:?}");
            assert_eq!(stamp(&wire(&t)), t);
            if !(t.nanos() / nanos_per_unit(t.fraction_digits())).is_multiple_of(10) {
                digits[usize::from(t.fraction_digits())] += 1;
            }
        }
        // A last digit other than 0, for each length of fraction.
        assert_eq!(digits[0], 0);
        assert!(digits[1..].iter().all(|&n| n > 0), "{digits:?}");
        // The bound is the most a draw takes (2 bytes for the year, 1 for
        // each of the six small fields, 4 for a nine-digit fraction).
        assert_eq!(took_most, most);
    }

    fn err(text: &str) -> Error {
        Timestamp::parse(text.as_bytes()).unwrap_err()
    }

    fn wire(t: &Timestamp) -> String {
        let mut s = String::new();
        t.write_wire(&mut s).unwrap();
        s
    }

    #[test]
    fn rfc3659_examples() {
        // RFC 3659 section 3.4.
        let t = stamp("19980615100045.014");
        assert_eq!(
            t,
            Timestamp::new(1998, 6, 15, 10, 0, 45)
                .unwrap()
                .with_fraction(14_000_000, 3)
                .unwrap()
        );
        assert_eq!(t.nanos(), 14_000_000);
        assert_eq!(t.fraction_digits(), 3);
        assert_eq!(
            stamp("19980705132316"),
            Timestamp::new(1998, 7, 5, 13, 23, 16).unwrap()
        );
        let t = stamp("19991005213102");
        assert_eq!(t, Timestamp::new(1999, 10, 5, 21, 31, 2).unwrap());
        // Each getter gives its own field (no two of them equal here).
        assert_eq!(
            (
                t.year(),
                t.month(),
                t.day(),
                t.hour(),
                t.minute(),
                t.second()
            ),
            (1999, 10, 5, 21, 31, 2)
        );
        assert_eq!((t.nanos(), t.fraction_digits()), (0, 0));
    }

    #[test]
    fn vsftpd() {
        let t = stamp("20210304050607");
        assert_eq!(t, Timestamp::new(2021, 3, 4, 5, 6, 7).unwrap());
        assert_eq!(t.fraction_digits(), 0);
        assert_eq!(t.nanos(), 0);
    }

    #[test]
    fn leap_days() {
        assert_eq!(stamp("20240229000000").day(), 29);
        assert_eq!(stamp("20000229000000").day(), 29);
        assert_eq!(
            err("20230229000000"),
            Error::payload(PayloadError::BadTime, 6)
        );
        assert_eq!(
            err("19000229000000"),
            Error::payload(PayloadError::BadTime, 6)
        );
        assert_eq!(
            err("20240230000000"),
            Error::payload(PayloadError::BadTime, 6)
        );
    }

    #[test]
    fn fields_out_of_range() {
        assert_eq!(
            err("20240431000000"),
            Error::payload(PayloadError::BadTime, 6)
        );
        assert_eq!(
            err("20240400000000"),
            Error::payload(PayloadError::BadTime, 6)
        );
        assert_eq!(
            err("20241301000000"),
            Error::payload(PayloadError::BadTime, 4)
        );
        assert_eq!(
            err("20240001000000"),
            Error::payload(PayloadError::BadTime, 4)
        );
        assert_eq!(
            err("20240101240000"),
            Error::payload(PayloadError::BadTime, 8)
        );
        assert_eq!(
            err("20240101236000"),
            Error::payload(PayloadError::BadTime, 10)
        );
        assert_eq!(
            err("20240101235961"),
            Error::payload(PayloadError::BadTime, 12)
        );
        assert_eq!(stamp("20241231235959").second(), 59);
        assert_eq!(stamp("20161231235960").second(), 60);
        assert_eq!(stamp("00000101000000").year(), 0);
        assert_eq!(stamp("99991231235959").year(), 9999);
    }

    #[test]
    fn bad_length_and_bytes() {
        assert_eq!(err(""), Error::payload(PayloadError::Missing, 0));
        assert_eq!(
            err("2021030405060"),
            Error::payload(PayloadError::BadNumber, 13)
        );
        assert_eq!(err("2021"), Error::payload(PayloadError::BadNumber, 4));
        assert_eq!(
            err("202103040506070"),
            Error::payload(PayloadError::BadNumber, 14)
        );
        assert_eq!(
            err("2021-03-04 05:06:07"),
            Error::payload(PayloadError::BadNumber, 4)
        );
        assert_eq!(
            err(" 20210304050607"),
            Error::payload(PayloadError::BadNumber, 0)
        );
        assert_eq!(
            err("2021030405060x"),
            Error::payload(PayloadError::BadNumber, 13)
        );
        assert_eq!(
            err("20210304050607Z"),
            Error::payload(PayloadError::BadNumber, 14)
        );
        assert_eq!(
            err("20210304050607 UTC"),
            Error::payload(PayloadError::BadNumber, 15)
        );
        assert_eq!(
            err("20210304050607."),
            Error::payload(PayloadError::BadNumber, 15)
        );
        assert_eq!(
            err("20210304050607.x"),
            Error::payload(PayloadError::BadNumber, 15)
        );
        assert_eq!(
            err("20210304050607.5x"),
            Error::payload(PayloadError::BadNumber, 16)
        );
    }

    #[test]
    fn trailing_white_space() {
        assert_eq!(stamp("20210304050607  ").second(), 7);
        assert_eq!(stamp("20210304050607.5 \t").nanos(), 500_000_000);
    }

    #[test]
    fn prefix() {
        let (t, len) = Timestamp::parse_prefix(b"20210304050607.25;size=3").unwrap();
        assert_eq!(len, 17);
        assert_eq!(t.nanos(), 250_000_000);
        let (_, len) = Timestamp::parse_prefix(b"20210304050607;").unwrap();
        assert_eq!(len, 14);
    }

    #[test]
    fn fractions() {
        let t = stamp("20210304050607.1");
        assert_eq!((t.nanos(), t.fraction_digits()), (100_000_000, 1));
        let t = stamp("20210304050607.014");
        assert_eq!((t.nanos(), t.fraction_digits()), (14_000_000, 3));
        let t = stamp("20210304050607.000");
        assert_eq!((t.nanos(), t.fraction_digits()), (0, 3));
        let t = stamp("20210304050607.123456789");
        assert_eq!((t.nanos(), t.fraction_digits()), (123_456_789, 9));
        let t = stamp("20210304050607.999999999");
        assert_eq!(t.nanos(), 999_999_999);
        // RFC 3659's `1*DIGIT`: any number of digits; past the ninth
        // (finer than a nanosecond) they are read and dropped, not rounded.
        let t = stamp("20210304050607.1234567891");
        assert_eq!((t.nanos(), t.fraction_digits()), (123_456_789, 9));
        let t = stamp("20210304050607.9999999999999");
        assert_eq!((t.nanos(), t.fraction_digits()), (999_999_999, 9));
        let zeros = "20210304050607.00000000000000000000000000000000";
        assert_eq!(
            Timestamp::parse_prefix(zeros.as_bytes()).map(|(t, n)| (
                t.nanos(),
                t.fraction_digits(),
                n
            )),
            Ok((0, 9, zeros.len()))
        );
        assert_eq!(
            err("20210304050607.1234567891x"),
            Error::payload(PayloadError::BadNumber, 25)
        );
        assert_ne!(stamp("20210304050607.5"), stamp("20210304050607.50"));
    }

    #[test]
    fn constructors() {
        assert!(Timestamp::new(2024, 2, 29, 23, 59, 60).is_some());
        assert!(Timestamp::new(2023, 2, 29, 0, 0, 0).is_none());
        assert!(Timestamp::new(10_000, 1, 1, 0, 0, 0).is_none());
        assert!(Timestamp::new(2024, 0, 1, 0, 0, 0).is_none());
        assert!(Timestamp::new(2024, 1, 0, 0, 0, 0).is_none());
        let t = Timestamp::new(2024, 1, 1, 0, 0, 0).unwrap();
        assert!(t.with_fraction(0, 0).is_some());
        assert!(t.with_fraction(1, 0).is_none());
        assert!(t.with_fraction(500_000_000, 1).is_some());
        assert!(t.with_fraction(550_000_000, 1).is_none());
        assert!(t.with_fraction(999_999_999, 9).is_some());
        assert!(t.with_fraction(1_000_000_000, 9).is_none());
        assert!(t.with_fraction(0, 10).is_none());
    }

    #[test]
    fn display() {
        assert_eq!(
            format!("{}", stamp("19980615100045.014")),
            "1998-06-15T10:00:45.014Z"
        );
        assert_eq!(
            format!("{}", stamp("20210304050607")),
            "2021-03-04T05:06:07Z"
        );
        assert_eq!(
            format!("{}", stamp("00010101000000.000000001")),
            "0001-01-01T00:00:00.000000001Z"
        );
    }

    #[test]
    fn wire_roundtrip() {
        for text in [
            "19980615100045.014",
            "19980705132316",
            "20210304050607",
            "20240229235960.0",
            "20210304050607.5",
            "20210304050607.50",
            "20210304050607.000000001",
            "20210304050607.123456789",
            "00000101000000",
            "99991231235959.9",
        ] {
            let t = stamp(text);
            assert!(t.is_valid());
            assert_eq!(wire(&t), text);
            assert_eq!(stamp(&wire(&t)), t);
        }
    }

    #[test]
    fn invalid_fields_format_without_panic() {
        let t = Timestamp {
            year: u16::MAX,
            month: 200,
            day: 0,
            hour: 99,
            minute: 99,
            second: 99,
            nanos: u32::MAX,
            fraction_digits: u8::MAX,
        };
        assert!(!t.is_valid());
        let s = wire(&t);
        assert!(s.starts_with("65535200"));
        let _ = format!("{t}");
    }
}
