//! What `tests/reference_payloads.rs` and `tests/reference_views.rs`
//! share: a reply's lines as the framing rules give them, the replies of
//! the recordings, and replies built for the generators.

#![allow(dead_code)]

use ftp_reply::{Reply, parse_complete, resume_after};

use crate::common::{data_files, published};

/// Each line's text and where it starts in the reply's bytes: without its
/// line end (LF, and one CR before it), without code and separator on the
/// first and last line and on middle lines that start with the block's
/// code and `-`.
pub fn model_lines(raw: &[u8]) -> Vec<(usize, &[u8])> {
    let mut spans = Vec::new();
    let mut start = 0;
    for i in 0..raw.len() {
        if raw[i] == b'\n' {
            let mut end = i;
            if end > start && raw[end - 1] == b'\r' {
                end -= 1;
            }
            spans.push((start, end));
            start = i + 1;
        }
    }
    let n = spans.len();
    let code = &raw[..3];
    let mut out = Vec::new();
    for (k, &(s, e)) in spans.iter().enumerate() {
        let line = &raw[s..e];
        let strip = if k == 0 || k == n - 1 {
            true
        } else {
            line.len() >= 4 && &line[..3] == code && line[3] == b'-'
        };
        if strip {
            let t = if line.len() > 4 { 4 } else { line.len() };
            out.push((s + t, &raw[s + t..e]));
        } else {
            out.push((s, line));
        }
    }
    out
}

pub fn main_text(raw: &[u8]) -> (usize, &[u8]) {
    model_lines(raw)[0]
}

pub fn one(raw: &[u8]) -> Reply<'_> {
    let (rest, reply) = parse_complete(raw).expect("a reply");
    assert!(rest.is_empty());
    reply
}

/// Every reply of `stream`, walked as a client would.
pub fn replies(stream: &[u8]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut at = 0;
    while at < stream.len() {
        match parse_complete(&stream[at..]) {
            Ok((rest, reply)) => {
                out.push(reply.as_bytes().to_vec());
                at = stream.len() - rest.len();
            }
            Err(e) => at += resume_after(&stream[at..], &e).max(1),
        }
    }
    out
}

pub fn real_replies() -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    for (_, bytes) in data_files() {
        out.extend(replies(&bytes));
    }
    for p in published() {
        out.extend(replies(&p.input));
    }
    out
}

/// A reply of `code` built from `texts`: one line, or a block whose
/// middle lines start with a space, nothing, or the code and `-`.
pub fn frame(code: &[u8], texts: &[Vec<u8>], middle: u8, lf: bool) -> Vec<u8> {
    let eol: &[u8] = if lf { b"\n" } else { b"\r\n" };
    let mut r = Vec::new();
    let n = texts.len();
    for (k, t) in texts.iter().enumerate() {
        if k == 0 {
            r.extend_from_slice(code);
            r.push(if n == 1 { b' ' } else { b'-' });
        } else if k == n - 1 {
            r.extend_from_slice(code);
            r.push(b' ');
        } else {
            match middle % 3 {
                0 => r.push(b' '),
                1 => {}
                _ => {
                    r.extend_from_slice(code);
                    r.push(b'-');
                }
            }
        }
        r.extend_from_slice(t);
        r.extend_from_slice(eol);
    }
    r
}

/// Every distinct line of every real reply, put under each of `codes` as a
/// one-line reply.
pub fn real_lines_under(codes: &[&[u8]]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for raw in real_replies() {
        for (_, t) in model_lines(&raw) {
            if !seen.insert(t.to_vec()) {
                continue;
            }
            for code in codes {
                let mut r = code.to_vec();
                r.push(b' ');
                r.extend_from_slice(t);
                r.extend_from_slice(b"\r\n");
                out.push(r);
            }
        }
    }
    out
}

/// Fails with every mismatch `failures` lists.
pub fn assert_none(failures: &[String]) {
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
