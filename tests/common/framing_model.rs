//! The framing model of `tests/reference_framing.rs`: the documented
//! framing rules written again as a naive loop (lines split at LF, then
//! grouped), which `reference_framing.rs` compares with the crate and
//! `reference_decoder.rs` builds its decoder model on.

#![allow(dead_code)]

use std::fmt;
use std::num::NonZeroU32;

use ftp_reply::{ErrorKind, ParserConfig};
use proptest::prelude::*;

// ---------------------------------------------------------------------------
// The items of a walk, as compared.

/// Bytes shown as an escaped byte string.
#[derive(Clone, PartialEq, Eq)]
pub struct B(pub Vec<u8>);

impl fmt::Debug for B {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "b\"{}\"", self.0.escape_ascii())
    }
}

pub fn b(bytes: &[u8]) -> B {
    B(bytes.to_vec())
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    InvalidCode,
    MissingSeparator,
    NulByte,
    UnterminatedLine,
    UnterminatedBlock,
    TooManyLines(u32),
    /// Any other kind: never a framing error, so always a divergence.
    Other,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Item {
    Reply {
        code: u16,
        line_count: usize,
        lines: Vec<B>,
        middle: Vec<B>,
        text: B,
        closed_by_other_code: bool,
        bytes: B,
        /// How much of the input the reply consumed (input less `rest`).
        consumed: usize,
    },
    Error {
        kind: Kind,
        offset: usize,
        end: usize,
        code: Option<u16>,
        /// What `resume_after` returns for this error.
        resume: usize,
    },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Item(Item),
    Partial,
}

pub fn kind_of(kind: ErrorKind) -> Kind {
    match kind {
        ErrorKind::InvalidCode => Kind::InvalidCode,
        ErrorKind::MissingSeparator => Kind::MissingSeparator,
        ErrorKind::NulByte => Kind::NulByte,
        ErrorKind::UnterminatedLine => Kind::UnterminatedLine,
        ErrorKind::UnterminatedBlock => Kind::UnterminatedBlock,
        ErrorKind::TooManyLines { limit } => Kind::TooManyLines(limit),
        _ => Kind::Other,
    }
}

// ---------------------------------------------------------------------------
// The model.

/// A configuration: `any_code_ends_block` and `max_lines`.
#[derive(Clone, Copy, Debug)]
pub struct Cfg {
    pub lenient: bool,
    pub max: Option<u32>,
}

impl Cfg {
    pub const STRICT: Cfg = Cfg {
        lenient: false,
        max: None,
    };
    pub const LENIENT: Cfg = Cfg {
        lenient: true,
        max: None,
    };

    pub fn config(self) -> ParserConfig {
        ParserConfig::new()
            .any_code_ends_block(self.lenient)
            .max_lines(self.max.and_then(NonZeroU32::new))
    }
}

/// One line of the input: `start..end` with its line end (if any),
/// `start..content_end` without it.
#[derive(Clone, Copy, Debug)]
pub struct Line {
    pub start: usize,
    pub content_end: usize,
    pub end: usize,
    pub terminated: bool,
}

/// Splits `s` into lines at LF. A line end is LF, or CR LF (one CR); a CR
/// anywhere else is text. The last line may lack its LF (`terminated`
/// false); doc silent: a CR at its very end is then a byte of the line,
/// not half a line end (`b"\r"` is an `InvalidCode` at 0).
pub fn split_lines(s: &[u8]) -> Vec<Line> {
    let mut out = Vec::new();
    let mut start = 0;
    while start < s.len() {
        let mut i = start;
        while i < s.len() && s[i] != b'\n' {
            i += 1;
        }
        let terminated = i < s.len();
        let content_end = if terminated && i > start && s[i - 1] == b'\r' {
            i - 1
        } else {
            i
        };
        let end = if terminated { i + 1 } else { i };
        out.push(Line {
            start,
            content_end,
            end,
            terminated,
        });
        start = end;
    }
    out
}

pub fn is_code(d: &[u8]) -> bool {
    d.len() >= 3 && (b'1'..=b'6').contains(&d[0]) && d[1].is_ascii_digit() && d[2].is_ascii_digit()
}

pub fn number(d: &[u8]) -> u16 {
    d[..3]
        .iter()
        .fold(0u16, |n, &c| n * 10 + u16::from(c - b'0'))
}

/// Whether a later line (its content, without line end) closes a block
/// opened with `code`: "ends at the first later line that starts with
/// `xyz` and a space, or is `xyz` alone"; with `any_code_ends_block`, "any
/// reply code (three digits, the first 1 to 6) and a space, or is such a
/// code alone".
pub fn closes(content: &[u8], code: &[u8], cfg: Cfg) -> bool {
    if content.len() < 3 || !(content.len() == 3 || content[3] == b' ') {
        return false;
    }
    let digits = &content[..3];
    if cfg.lenient {
        is_code(digits)
    } else {
        digits == code
    }
}

pub fn nul_in(s: &[u8], from: usize, to: usize) -> Option<usize> {
    (from..to).find(|&i| s[i] == 0)
}

/// The model of `parse_complete` (`streaming` false) and `parse_streaming`
/// (`streaming` true) on `s`.
pub fn model(s: &[u8], cfg: Cfg, streaming: bool) -> Outcome {
    let error = |kind, offset, end, code| {
        Outcome::Item(Item::Error {
            kind,
            offset,
            end,
            code,
            resume: end,
        })
    };
    // The input ends before the item does: `Partial` when streaming ("input
    // that ends inside a reply gives Progress::Partial"; "reports an error
    // once its item has ended"), else an error standing for the rest.
    let ran_out = |kind, offset, code| {
        if streaming {
            Outcome::Partial
        } else {
            error(kind, offset, s.len(), code)
        }
    };
    let lines = split_lines(s);
    let Some(&first) = lines.first() else {
        // doc silent: the empty input (never reached by a walk).
        return ran_out(Kind::UnterminatedLine, 0, None);
    };
    let head = &s[first.start..first.content_end];

    // Three digits, the first 1 to 6.
    for i in 0..3 {
        if i >= head.len() {
            // The line (or the input) ended before three digits.
            return if first.terminated {
                error(Kind::InvalidCode, i, first.end, None)
            } else {
                ran_out(Kind::UnterminatedLine, s.len(), None)
            };
        }
        let ok = if i == 0 {
            (b'1'..=b'6').contains(&head[i])
        } else {
            head[i].is_ascii_digit()
        };
        if !ok {
            // documented: "the first byte that cannot be part of a code".
            return if first.terminated {
                error(Kind::InvalidCode, i, first.end, None)
            } else {
                ran_out(Kind::InvalidCode, i, None)
            };
        }
    }
    let code_digits = &head[..3];
    let code = Some(number(code_digits));

    // The separator: a space, a hyphen or the line's end.
    let block = match head.get(3) {
        None if first.terminated => false,
        None => return ran_out(Kind::UnterminatedLine, s.len(), code),
        // doc silent: where a separator is due, a CR that ends the input
        // may be half a CR LF (`b"200\r"` is an `UnterminatedLine`).
        Some(b'\r') if !first.terminated && head.len() == 4 => {
            return ran_out(Kind::UnterminatedLine, s.len(), code);
        }
        Some(b' ') => false,
        Some(b'-') => true,
        Some(_) => {
            return if first.terminated {
                error(Kind::MissingSeparator, 3, first.end, code)
            } else {
                ran_out(Kind::MissingSeparator, 3, code)
            };
        }
    };
    let text_of = |l: &Line| &s[(l.start + 4).min(l.content_end)..l.content_end];
    let first_nul = nul_in(s, first.start, first.content_end);
    if !first.terminated {
        return match first_nul {
            Some(at) => ran_out(Kind::NulByte, at, code),
            None => ran_out(Kind::UnterminatedLine, s.len(), code),
        };
    }
    if !block {
        if let Some(at) = first_nul {
            return error(Kind::NulByte, at, first.end, code);
        }
        let text = b(text_of(&first));
        return Outcome::Item(Item::Reply {
            code: number(code_digits),
            line_count: 1,
            lines: vec![text.clone()],
            middle: vec![],
            text,
            closed_by_other_code: false,
            bytes: b(&s[..first.end]),
            consumed: first.end,
        });
    }

    // A block: every later line belongs to it, up to its closing line.
    let mut problem = first_nul.map(|at| (Kind::NulByte, at));
    // documented: "A multi-line block's `limit`-th line does not close it
    // ..., so the block has more than `limit` lines: the offset is where
    // the first line over the limit starts, the end of the `limit`-th line.
    // In complete parsing the input may end there".
    let over_after =
        |k: usize, line: &Line| cfg.max.is_some_and(|max| k + 1 == max as usize) && line.terminated;
    if problem.is_none() && over_after(0, &first) {
        problem = cfg.max.map(|max| (Kind::TooManyLines(max), first.end));
    }
    for (k, line) in lines.iter().enumerate().skip(1) {
        if let Some(max) = cfg.max
            && k + 1 > max as usize
            && problem.is_none()
        {
            // "the offset is the start of the first line over the limit"
            problem = Some((Kind::TooManyLines(max), line.start));
        }
        if problem.is_none()
            && let Some(at) = nul_in(s, line.start, line.content_end)
        {
            problem = Some((Kind::NulByte, at));
        }
        if !line.terminated {
            break;
        }
        let content = &s[line.start..line.content_end];
        if !closes(content, code_digits, cfg) {
            if problem.is_none() && over_after(k, line) {
                problem = cfg.max.map(|max| (Kind::TooManyLines(max), line.end));
            }
            continue;
        }
        if let Some((kind, at)) = problem {
            // documented: with any_code_ends_block, "the answer of a block
            // that another code closed is that code".
            return error(kind, at, line.end, Some(number(content)));
        }
        let all = &lines[..=k];
        let mut texts = Vec::new();
        for (j, l) in all.iter().enumerate() {
            let c = &s[l.start..l.content_end];
            let edge = j == 0 || j == k;
            // Middle lines lose "the block's code with a hyphen".
            let repeats = c.len() >= 4 && &c[..3] == code_digits && c[3] == b'-';
            texts.push(b(if edge || repeats { text_of(l) } else { c }));
        }
        let last_code = number(content);
        let other = &content[..3] != code_digits;
        return Outcome::Item(Item::Reply {
            code: last_code,
            line_count: k + 1,
            middle: texts[1..k].to_vec(),
            text: texts[if other { k } else { 0 }].clone(),
            lines: texts,
            closed_by_other_code: other,
            bytes: b(&s[..line.end]),
            consumed: line.end,
        });
    }
    match problem {
        // documented: "A NUL byte in the block, or a line over
        // max_lines, is reported instead", standing for the rest of the
        // input (the first one found).
        Some((kind, at)) => ran_out(kind, at, code),
        None => ran_out(Kind::UnterminatedBlock, s.len(), code),
    }
}

// ---------------------------------------------------------------------------
// The model on complete input, and the step to the next item.

pub fn model_complete(cfg: Cfg, s: &[u8]) -> Item {
    match model(s, cfg, false) {
        Outcome::Item(item) => item,
        Outcome::Partial => unreachable!("complete parsing never asks for more"),
    }
}

pub fn advance(item: &Item) -> usize {
    match item {
        Item::Reply { consumed, .. } => *consumed,
        Item::Error { resume, .. } => *resume,
    }
}

// ---------------------------------------------------------------------------
// The pieces of the two tests' stream generators (each builds its own
// streams from them, `reference_decoder.rs` with longer texts).

pub fn eol() -> impl Strategy<Value = &'static [u8]> {
    prop_oneof![
        8 => Just(&b"\r\n"[..]),
        4 => Just(&b"\n"[..]),
        1 => Just(&b"\r\r\n"[..]),
        1 => Just(&b"\r"[..]),
        1 => Just(&b""[..]),
    ]
}

pub fn pick<'a>(from: &[&'a [u8]], i: u8) -> &'a [u8] {
    from[usize::from(i) % from.len()]
}

/// One line of the stream, as choices turned into bytes by `build`.
#[derive(Clone, Debug)]
pub struct GenLine {
    pub shape: u8,
    pub code: u8,
    pub sep: u8,
    pub text: Vec<u8>,
    pub eol: &'static [u8],
}

#[derive(Clone, Debug)]
pub enum Segment {
    /// A line that starts a reply (or fails to).
    Single(GenLine),
    /// `own-` then middle lines then maybe a closing line.
    Block {
        first: GenLine,
        middle: Vec<GenLine>,
        close: Option<GenLine>,
    },
}

pub fn push_line(out: &mut Vec<u8>, head: &[u8], sep: &[u8], l: &GenLine) {
    out.extend_from_slice(head);
    out.extend_from_slice(sep);
    out.extend_from_slice(&l.text);
    out.extend_from_slice(l.eol);
}

/// The head a cut reply keeps: "the first line, cut to at most `N / 2`
/// bytes" (half the limit, `with_limit`), "a cut line ends with a LF the
/// decoder wrote where it cut"; "in a one-byte buffer nothing fits: no
/// bytes" (the decoder and reader models).
pub fn cut_head(item: &[u8], half: usize) -> Vec<u8> {
    let first = item
        .iter()
        .position(|&c| c == b'\n')
        .map_or(item.len(), |i| i + 1);
    if first <= half && item[..first].ends_with(b"\n") {
        item[..first].to_vec()
    } else if half == 0 {
        Vec::new()
    } else {
        let mut h = item[..(half - 1).min(first)].to_vec();
        h.push(b'\n');
        h
    }
}
