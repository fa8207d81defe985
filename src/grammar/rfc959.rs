//! RFC 959 section 4.2: reply lines and multi-line blocks.
//!
//! RFC 959 gives the reply format in prose, not ABNF. Each rule below
//! quotes the sentence it implements; the ABNF-like lines under "this
//! crate's rendering" are this crate's own reading of that prose (with the
//! leniencies real servers need, each named), not rules from the RFC.

use nom::{Emit, Err, Mode, Needed, OutputM, OutputMode, PResult, Parser};

use super::GrammarError;
use crate::code::ReplyCode;
use crate::config::ParserConfig;
use crate::error::ErrorKind;
use crate::reply::Reply;
use crate::scan::strip_cr;

/// Asks for more input in streaming mode; in complete mode fails with
/// `kind` at the end of the input. (Always for one byte more: no caller
/// reads nom's count, and [`Progress::Partial`](crate::Progress) has none.)
#[inline]
fn need_more<'a, OM: OutputMode, O>(
    input: &'a [u8],
    kind: ErrorKind,
) -> PResult<OM, &'a [u8], O, GrammarError<'a>> {
    if <OM::Incomplete as nom::IsStreaming>::is_streaming() {
        Err(Err::Incomplete(Needed::new(1)))
    } else {
        let end = input.get(input.len()..).unwrap_or_default();
        Err(Err::Error(OM::Error::bind(|| GrammarError::new(end, kind))))
    }
}

#[inline]
fn fail<'a, OM: OutputMode, O>(
    at: &'a [u8],
    kind: ErrorKind,
) -> PResult<OM, &'a [u8], O, GrammarError<'a>> {
    Err(Err::Error(OM::Error::bind(|| GrammarError::new(at, kind))))
}

/// The reply code. RFC 959 section 4.2:
///
/// > An FTP reply consists of a three digit number (transmitted as three
/// > alphanumeric characters) followed by some text.
///
/// and section 4.2.1 gives the first digit the values 1 to 5; RFC 2228
/// section 3 adds a sixth class, 6yz, for protected replies. This crate's
/// rendering: `reply-code = %x31-36 2DIGIT`.
pub(crate) struct ReplyCodeRule;

impl<'a> Parser<&'a [u8]> for ReplyCodeRule {
    type Output = ReplyCode;
    type Error = GrammarError<'a>;

    #[inline]
    fn process<OM: OutputMode>(
        &mut self,
        input: &'a [u8],
    ) -> PResult<OM, &'a [u8], ReplyCode, GrammarError<'a>> {
        let mut digits = [0u8; 3];
        for (i, slot) in digits.iter_mut().enumerate() {
            let Some(&b) = input.get(i) else {
                return need_more::<OM, _>(input, ErrorKind::UnterminatedLine);
            };
            let ok = if i == 0 {
                (b'1'..=b'6').contains(&b)
            } else {
                b.is_ascii_digit()
            };
            if !ok {
                return fail::<OM, _>(input.get(i..).unwrap_or_default(), ErrorKind::InvalidCode);
            }
            *slot = b;
        }
        match ReplyCode::from_digits(digits) {
            Some(code) => Ok((
                input.get(3..).unwrap_or_default(),
                OM::Output::bind(|| code),
            )),
            None => fail::<OM, _>(input, ErrorKind::InvalidCode),
        }
    }
}

/// What follows the three digits of a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Separator {
    /// `SP`: a single-line reply, or the last line of a block.
    Space,
    /// `-`: the first line of a multi-line block.
    Hyphen,
    /// The line ends right after the code (`226\r\n`): taken as a
    /// single-line reply with empty text, as Python's ftplib does.
    Bare,
}

/// What follows the code. RFC 959 section 4.2:
///
/// > A reply is defined to contain the 3-digit code, followed by Space
/// > `<SP>`, followed by one line of text (where some maximum line length
/// > has been specified), and terminated by the Telnet end-of-line code.
///
/// and, for the first line of a multi-line reply, "followed immediately by
/// a Hyphen". This crate's rendering: `separator = SP / "-" / &eol`; the
/// last form (the line ends right after the code, not consumed) is a
/// leniency: ftplib and real servers treat `226` CRLF as a reply with
/// empty text.
pub(crate) struct SeparatorRule;

impl<'a> Parser<&'a [u8]> for SeparatorRule {
    type Output = Separator;
    type Error = GrammarError<'a>;

    #[inline]
    fn process<OM: OutputMode>(
        &mut self,
        input: &'a [u8],
    ) -> PResult<OM, &'a [u8], Separator, GrammarError<'a>> {
        let rest = input.get(1..).unwrap_or_default();
        match input {
            [] | [b'\r'] => need_more::<OM, _>(input, ErrorKind::UnterminatedLine),
            [b' ', ..] => Ok((rest, OM::Output::bind(|| Separator::Space))),
            [b'-', ..] => Ok((rest, OM::Output::bind(|| Separator::Hyphen))),
            [b'\n', ..] | [b'\r', b'\n', ..] => Ok((input, OM::Output::bind(|| Separator::Bare))),
            _ => fail::<OM, _>(input, ErrorKind::MissingSeparator),
        }
    }
}

pub(crate) fn separator() -> SeparatorRule {
    SeparatorRule
}

/// The text and the line end. RFC 959 ends every line with "the Telnet
/// end-of-line code", CRLF (section 4.2, and RFC 854); RFC 2640 section
/// 2.2 lets the text be UTF-8 (any bytes, in practice). This crate's
/// rendering: `text-line = *(%x01-09 / %x0B-FF) [CR] LF`: a bare LF is
/// accepted because real servers send it, and a NUL is refused: a reader
/// of C strings would end the line there, and a client that speaks Telnet
/// takes NUL, its no-operation, out before the parser sees the bytes (the
/// `client` example does). The output is the text without the line end.
pub(crate) struct TextLineRule;

impl<'a> Parser<&'a [u8]> for TextLineRule {
    type Output = &'a [u8];
    type Error = GrammarError<'a>;

    #[inline]
    fn process<OM: OutputMode>(
        &mut self,
        input: &'a [u8],
    ) -> PResult<OM, &'a [u8], &'a [u8], GrammarError<'a>> {
        match split_line(input) {
            LineEnd::Line { text, rest } => Ok((rest, OM::Output::bind(|| strip_cr(text)))),
            LineEnd::Nul(at) => fail::<OM, _>(at, ErrorKind::NulByte),
            LineEnd::Open => need_more::<OM, _>(input, ErrorKind::UnterminatedLine),
        }
    }
}

/// The first line end (or NUL) of `input`.
pub(crate) enum LineEnd<'a> {
    /// A whole line: `text` up to (not including) the LF, and what follows.
    Line { text: &'a [u8], rest: &'a [u8] },
    /// A NUL byte before any LF; the slice starts at it.
    Nul(&'a [u8]),
    /// No LF yet.
    Open,
}

#[inline]
pub(crate) fn split_line(input: &[u8]) -> LineEnd<'_> {
    match crate::scan::find2(b'\n', 0, input) {
        None => LineEnd::Open,
        Some(i) => match (input.get(..i), input.get(i..)) {
            (Some(text), Some([b'\n', rest @ ..])) => LineEnd::Line { text, rest },
            (_, Some(at)) => LineEnd::Nul(at),
            _ => LineEnd::Open,
        },
    }
}

/// A whole reply (RFC 959 section 4.2):
///
/// > Thus the format for multi-line replies is that the first line will
/// > begin with the exact required reply code, followed immediately by a
/// > Hyphen, "-" (also known as Minus), followed by text. The last line will
/// > begin with the same code, followed immediately by Space `<SP>`,
/// > optionally some text, and the Telnet end-of-line code.
///
/// and, on the lines in between:
///
/// > The user-process then simply needs to search for the second
/// > occurrence of the same reply code, followed by `<SP>` (Space), at the
/// > beginning of a line, and ignore all intermediary lines. If an
/// > intermediary line begins with a 3-digit number, the Server must pad
/// > the front to avoid confusion.
///
/// This crate's rendering of that prose (not ABNF from the RFC):
///
/// ```text
/// reply        = single-line / block
/// single-line  = code (SP text / "") eol
/// block        = code "-" text eol *middle-line last-line
/// last-line    = same-code (SP text / "") eol        ; strict (default)
///              / any-code (SP text / "") eol         ; any_code_ends_block
/// middle-line  = any line that is not a last-line
/// code         = reply-code
/// text         = *(%x01-09 / %x0B-FF)                ; no LF, no NUL
/// eol          = [CR] LF                             ; bare LF: leniency
/// ```
///
/// The lenient last line is curl's, Apache Commons Net's and suppaftp's
/// reading, for glftpd, which closes a `553-` block with a `150` line
/// ([`ParserConfig::any_code_ends_block`]).
///
/// Every line in between belongs to the block, whatever it starts with.
///
/// Errors stand for whole items: once `ddd-` has been read, the block is
/// scanned through its closing line (or, in complete mode, the end of the
/// input) before any error inside it (a NUL, one line too many) is
/// reported, so the closing line never comes out as a reply of its own.
/// In streaming mode an error is reported only when the item it stands for
/// has ended (a LF after it, or the closing line), so streaming and
/// complete parsing agree error for error.
pub(crate) fn reply(config: &ParserConfig) -> ReplyRule {
    ReplyRule {
        any_code_ends_block: config.any_code_ends_block,
        max_lines: match config.max_lines {
            0 => usize::MAX,
            n => usize::try_from(n).unwrap_or(usize::MAX),
        },
    }
}

pub(crate) struct ReplyRule {
    any_code_ends_block: bool,
    max_lines: usize,
}

/// The code that closes a block opened by `first`, if `line` (without its
/// LF) is the block's last line: `first` then SP (or the end of the line),
/// or with `any_code` any code then SP. The one place this rule is written:
/// the grammar, the decoder and the encoder all ask it. (The grammar's
/// block loop on 64-bit targets in strict mode compares the digits as
/// bytes instead, `ReplyRule::closes`, tested against this.)
#[inline]
pub(crate) fn closes_block(any_code: bool, line: &[u8], first: ReplyCode) -> Option<ReplyCode> {
    let (head, tail) = strip_cr(line).split_at_checked(3)?;
    if !matches!(tail.first(), Some(b' ') | None) {
        return None;
    }
    let head: [u8; 3] = head.try_into().ok()?;
    // Compared as numbers: the digits of `first` need no division.
    let code = ReplyCode::from_digits(head)?;
    (any_code || code == first).then_some(code)
}

/// The code of an item whose first three bytes are a valid code.
#[inline]
pub(crate) fn leading_code(input: &[u8]) -> Option<ReplyCode> {
    match input {
        [a, b, c, ..] => ReplyCode::from_digits([*a, *b, *c]),
        _ => None,
    }
}

/// Fails with `kind` at `at`, the error standing for the bytes up to
/// `rest` (the rest of the input after the item) and carrying `code`.
#[inline]
fn fail_item<'a, OM: OutputMode, O>(
    at: &'a [u8],
    kind: ErrorKind,
    rest: &'a [u8],
    code: Option<ReplyCode>,
) -> PResult<OM, &'a [u8], O, GrammarError<'a>> {
    Err(Err::Error(OM::Error::bind(|| {
        GrammarError::new(at, kind).ending(rest, code)
    })))
}

impl<'a> Parser<&'a [u8]> for ReplyRule {
    type Output = Reply<'a>;
    type Error = GrammarError<'a>;

    fn process<OM: OutputMode>(
        &mut self,
        input: &'a [u8],
    ) -> PResult<OM, &'a [u8], Reply<'a>, GrammarError<'a>> {
        // The common case first: `ddd SP text` and its line end, read with
        // one scan (what the rules below find for it, without their
        // generic plumbing). Anything else, including a NUL or no line end
        // yet, takes the rules. 64-bit targets only: on the Cortex-M3 the
        // rules alone are as fast (QEMU: 1,003 instructions per item of the
        // walk without it, 1,028 with it) and smaller.
        if crate::scan::SHORTCUTS
            && let [a, b, c, b' ', ref text @ ..] = *input
            && let Some(code) = ReplyCode::from_digits([a, b, c])
            && let LineEnd::Line { rest, .. } = split_line(text)
        {
            let raw = input.get(..input.len() - rest.len()).unwrap_or_default();
            return Ok((
                rest,
                OM::Output::bind(|| Reply::from_parts(raw, code, 1, false)),
            ));
        }
        type Check<OM> = OutputM<Emit, Emit, <OM as OutputMode>::Incomplete>;
        // A block's first line, `ddd-`, read as the single line above is
        // (64-bit targets; the rules give the same answer).
        let block_head = match *input {
            [a, b, c, b'-', ref body @ ..] if crate::scan::SHORTCUTS => {
                ReplyCode::from_digits([a, b, c]).map(|code| (body, (code, Separator::Hyphen)))
            }
            _ => None,
        };
        let head = match block_head {
            Some(done) => Ok(done),
            None => (ReplyCodeRule, separator()).process::<Check<OM>>(input),
        };
        let (body, (code, sep)) = match head {
            Ok(done) => done,
            // Where such an error ends is left to `grammar::to_error`: the
            // first LF at or after it.
            Err(Err::Error(e) | Err::Failure(e)) => {
                return Err(Err::Error(OM::Error::bind(|| {
                    e.with_code(leading_code(input))
                })));
            }
            Err(Err::Incomplete(n)) => return Err(Err::Incomplete(n)),
        };
        let consumed = |rest: &[u8]| input.get(..input.len() - rest.len()).unwrap_or_default();
        if sep != Separator::Hyphen {
            return match TextLineRule.process::<Check<OM>>(body) {
                Ok((rest, _)) => {
                    let raw = consumed(rest);
                    Ok((
                        rest,
                        OM::Output::bind(|| Reply::from_parts(raw, code, 1, false)),
                    ))
                }
                Err(Err::Error(e) | Err::Failure(e)) => {
                    Err(Err::Error(OM::Error::bind(|| e.with_code(Some(code)))))
                }
                Err(Err::Incomplete(n)) => Err(Err::Incomplete(n)),
            };
        }
        // A block. One pass of memchr over its line ends (a fresh memchr2
        // per short line costs more in set-up than in scanning), then one
        // memchr for NUL over what was scanned, before any answer: so the
        // first problem by position wins, in streaming and complete mode
        // alike, and no byte is looked at more than twice.
        // The digits are the code as the input writes it.
        let digits = match input.first_chunk::<3>() {
            Some(digits) => *digits,
            None => code.to_digits(),
        };
        let BlockLines {
            lines,
            line_start,
            over_at,
            close,
        } = self.block_lines(body, code, digits);
        // The code that opened the block: a closing line with another
        // (`any_code_ends_block`) makes a reply that says so, for the
        // payloads that read its closing line alone.
        let opened = code;
        let (scanned, after, code) = match close {
            Some((lf, end_code)) => (lf, body.get(lf + 1..).unwrap_or_default(), end_code),
            None if <OM::Incomplete as nom::IsStreaming>::is_streaming() => {
                return Err(Err::Incomplete(Needed::new(1)));
            }
            None => (body.len(), body.get(body.len()..).unwrap_or_default(), code),
        };
        // The first problem by position: a NUL, or the first line over the
        // limit; with neither, an unclosed block is unterminated.
        let nul = crate::scan::find_rare(0, body.get(..scanned).unwrap_or_default());
        let problem = match (nul, over_at) {
            // At the same byte, the line over the limit is found first.
            (Some(n), Some(o)) if o <= n => Some((o, self.too_many())),
            (Some(n), _) => Some((n, ErrorKind::NulByte)),
            (None, Some(o)) => Some((o, self.too_many())),
            (None, None) if close.is_some() => None,
            // The input ends in the block's first line, or after it.
            (None, None) if line_start.is_none() => Some((scanned, ErrorKind::UnterminatedLine)),
            (None, None) => Some((scanned, ErrorKind::UnterminatedBlock)),
        };
        match problem {
            Some((at, kind)) => {
                fail_item::<OM, _>(body.get(at..).unwrap_or(after), kind, after, Some(code))
            }
            None => {
                let raw = consumed(after);
                Ok((
                    after,
                    OM::Output::bind(|| Reply::from_parts(raw, code, lines, code != opened)),
                ))
            }
        }
    }
}

/// What [`ReplyRule::block_lines`] found in a block's body.
pub(crate) struct BlockLines {
    /// The lines begun: the first, and one more at each LF seen.
    pub(crate) lines: usize,
    /// Where the line after the last LF seen begins (`None`: no LF seen).
    pub(crate) line_start: Option<usize>,
    /// Past the LF that begins the first line over the limit.
    pub(crate) over_at: Option<usize>,
    /// The closing line's LF, and its code.
    pub(crate) close: Option<(usize, ReplyCode)>,
}

impl ReplyRule {
    /// The lines of a block opened by `code`, written `digits`, read from
    /// `body` (after its `ddd-`) up to its closing line, or to the end of
    /// `body` when none closes it: the grammar's block loop, which the
    /// decoder also runs on what a large push brought.
    #[inline(always)]
    pub(crate) fn block_lines(&self, body: &[u8], code: ReplyCode, digits: [u8; 3]) -> BlockLines {
        // `lines` counts the lines begun; `line_start` is where the line
        // after the last LF seen begins.
        let mut lines = 1usize;
        let mut line_start: Option<usize> = None;
        let mut over_at: Option<usize> = None;
        let mut close = None;
        // A line can close the block only if it starts with the block's
        // digits (strict mode): most middle lines are turned away by one
        // compare. 64-bit targets only: on thumbv7em it made parse_complete
        // 330 bytes bigger (scripts/size.sh, size-parse).
        // Whether the line after the last LF seen may close the block: it
        // starts with the first of `digits` (tested at that LF, from the
        // byte after it: no slice of the line until it may close; the
        // whole test, `closes`, then compares its first three bytes).
        let mut may_close = false;
        for lf in crate::scan::find_iter(b'\n', body) {
            if let Some(start) = line_start
                && (may_close || !crate::scan::SHORTCUTS || self.any_code_ends_block)
                && let Some(end_code) =
                    self.closes(body.get(start..lf).unwrap_or_default(), code, digits)
            {
                close = Some((lf, end_code));
                break;
            }
            lines += 1;
            if lines > self.max_lines && over_at.is_none() {
                over_at = Some(lf + 1);
            }
            line_start = Some(lf + 1);
            may_close = body.get(lf + 1) == Some(&digits[0]);
        }
        BlockLines {
            lines,
            line_start,
            over_at,
            close,
        }
    }

    /// Whether `line` closes a block of `code`, whose first line starts
    /// with `digits`: [`closes_block`], and on 64-bit targets in strict
    /// mode the same answer from the line's first bytes compared with
    /// `digits` (the same code written the same way; no number is read).
    #[inline(always)]
    fn closes(&self, line: &[u8], code: ReplyCode, digits: [u8; 3]) -> Option<ReplyCode> {
        if crate::scan::SHORTCUTS && !self.any_code_ends_block {
            return match strip_cr(line) {
                [a, b, c, rest @ ..]
                    if [*a, *b, *c] == digits && matches!(rest, [b' ', ..] | []) =>
                {
                    Some(code)
                }
                _ => None,
            };
        }
        closes_block(self.any_code_ends_block, line, code)
    }

    fn too_many(&self) -> ErrorKind {
        ErrorKind::TooManyLines {
            limit: u32::try_from(self.max_lines).unwrap_or(u32::MAX),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The block loop's closing test (`ReplyRule::closes`: on 64-bit
    /// targets in strict mode, the digits compared as bytes) gives
    /// `closes_block`'s answer for every line, in either mode: lines
    /// built from codes, near-codes, separators, CRs and text, each
    /// against blocks of several codes.
    #[test]
    fn closing_test_agrees_with_closes_block() {
        extern crate std;
        const PIECES: &[&[u8]] = &[
            b"214", b"211", b"230", b"21", b"2140", b"x14", b"614", b"014", b" ", b"-", b"\r",
            b"\r\r", b"text", b"\t", b"\0", b"\xff",
        ];
        let mut next = crate::payload::testing::xorshift(0x5851_f42d_4c95_7f2d);
        let mut closing = 0;
        for _ in 0..200_000 {
            let mut line = std::vec::Vec::new();
            for _ in 0..next() % 4 {
                line.extend_from_slice(PIECES[(next() % PIECES.len() as u64) as usize]);
            }
            for (code, any) in [(214, false), (211, false), (230, false), (214, true)] {
                let code = ReplyCode::new(code).unwrap();
                let digits = code.to_digits();
                let rule = reply(&ParserConfig::new().any_code_ends_block(any));
                let got = rule.closes(&line, code, digits);
                assert_eq!(
                    got,
                    closes_block(any, &line, code),
                    "{line:?} {code:?} {any}"
                );
                closing += usize::from(got.is_some());
            }
        }
        assert!(closing > 10_000, "{closing}");
    }

    #[test]
    fn reply_code_rule() {
        assert_eq!(
            ReplyCodeRule.parse(&b"227 "[..]).map(|(r, c)| (r, c.get())),
            Ok((&b" "[..], 227))
        );
        assert!(matches!(
            ReplyCodeRule.parse(&b"22"[..]),
            Err(Err::Incomplete(_))
        ));
        let e = ReplyCodeRule.parse_complete(&b"2x7 "[..]).unwrap_err();
        assert!(matches!(
            e,
            Err::Error(GrammarError {
                input: b"x7 ",
                kind: ErrorKind::InvalidCode,
                ..
            })
        ));
        assert!(ReplyCodeRule.parse(&b"727 "[..]).is_err());
    }

    #[test]
    fn separator_rule() {
        assert_eq!(
            separator().parse(&b" x"[..]),
            Ok((&b"x"[..], Separator::Space))
        );
        assert_eq!(
            separator().parse(&b"-x"[..]),
            Ok((&b"x"[..], Separator::Hyphen))
        );
        assert_eq!(
            separator().parse(&b"\r\n"[..]),
            Ok((&b"\r\n"[..], Separator::Bare))
        );
        assert!(matches!(
            separator().parse(&b"\r"[..]),
            Err(Err::Incomplete(_))
        ));
        assert!(matches!(
            separator().parse(&b"x"[..]),
            Err(Err::Error(GrammarError {
                kind: ErrorKind::MissingSeparator,
                ..
            }))
        ));
    }

    #[test]
    fn text_line_rule() {
        assert_eq!(
            TextLineRule.parse(&b"ok\r\nX"[..]),
            Ok((&b"X"[..], &b"ok"[..]))
        );
        assert_eq!(
            TextLineRule.parse(&b"ok\nX"[..]),
            Ok((&b"X"[..], &b"ok"[..]))
        );
        assert!(matches!(
            TextLineRule.parse(&b"ok"[..]),
            Err(Err::Incomplete(_))
        ));
        assert!(matches!(
            TextLineRule.parse(&b"o\0k\n"[..]),
            Err(Err::Error(GrammarError {
                kind: ErrorKind::NulByte,
                input: b"\0k\n",
                ..
            }))
        ));
    }
}
