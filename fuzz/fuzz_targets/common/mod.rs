//! What the targets share: the reference walk of a whole stream, as
//! `examples/dump/render.rs` does it, and owned items to compare.

#![allow(dead_code)] // each target uses a part

use ftp_reply::{Error, ErrorKind, Reply, parse_complete, resume_after};

/// One thing a walk (or the decoder) yields, owned so that replies borrowed
/// from a decoder's buffer can be kept and compared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// A reply: its code, its number of lines and its raw bytes.
    Reply {
        code: u16,
        line_count: usize,
        raw: Vec<u8>,
    },
    /// An error: its kind, its offset from the start of the stream, where
    /// the item it stands for ends, and the code it carries.
    Error {
        kind: ErrorKind,
        offset: usize,
        end: usize,
        code: Option<u16>,
    },
    /// A reply longer than the decoder's buffer: its code.
    Truncated { code: u16 },
}

impl Item {
    pub fn reply(reply: &Reply<'_>) -> Self {
        if reply.is_truncated() {
            return Item::Truncated {
                code: reply.code().get(),
            };
        }
        Item::Reply {
            code: reply.code().get(),
            line_count: reply.line_count(),
            raw: reply.as_bytes().to_vec(),
        }
    }

    pub fn error(error: &Error, shift: usize) -> Self {
        Item::Error {
            kind: error.kind(),
            offset: error.offset() + shift,
            end: error.end() + shift,
            code: error.code().map(|c| c.get()),
        }
    }
}

/// Walks `input` with `parse_complete`, skipping `resume_after` bytes after
/// each error, and calls `each` with every reply or error (error offsets
/// made absolute). Asserts that each step makes progress and stays inside
/// the input.
pub fn walk<'a>(input: &'a [u8], mut each: impl FnMut(Result<Reply<'a>, (Error, usize)>)) {
    let mut pos = 0;
    while pos < input.len() {
        let rest = &input[pos..];
        match parse_complete(rest) {
            Ok((after, reply)) => {
                let used = rest.len() - after.len();
                assert!(used > 0, "an Ok reply consumed nothing at {pos}");
                assert_eq!(used, reply.as_bytes().len());
                each(Ok(reply));
                pos += used;
            }
            Err(e) => {
                assert!(
                    e.offset() <= rest.len(),
                    "error offset past the input: {e:?}"
                );
                let skip = resume_after(rest, &e);
                assert_eq!(skip, e.end(), "resume_after is the error's end");
                assert!(
                    skip > 0 && skip <= rest.len(),
                    "resume_after gave {skip} for {} bytes left after {e:?}",
                    rest.len()
                );
                each(Err((e, pos)));
                pos += skip;
            }
        }
    }
}

/// The items of the walk of `input`.
pub fn walk_items(input: &[u8]) -> Vec<Item> {
    let mut items = Vec::new();
    walk(input, |r| {
        items.push(match r {
            Ok(reply) => Item::reply(&reply),
            Err((e, at)) => Item::error(&e, at),
        })
    });
    items
}
