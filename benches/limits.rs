//! Issue #12 "Close to the limit": each path of the crate beside the
//! fastest thing that does the same job without it (its *limit*), in one
//! criterion group, so every ratio comes out of one run.
//!
//! `scripts/limits.sh` runs it and prints the table (criterion medians and
//! callgrind instruction counts); by hand:
//!
//! `cargo bench --bench limits -- --warm-up-time 1 --measurement-time 3`
//!
//! The same binary is the callgrind harness: with `LIMITS_ROW=<group>/<row>`
//! and `LIMITS_ITERS=<n>` in the environment it runs that row `n` times and
//! exits without starting criterion (`LIMITS_LIST=1` prints the pairs the
//! table is made of). Only the entry points `parse_complete`,
//! `resume_after`, `Decoder::{new, push, next}`, `Reply::{passive, help}`
//! and `commands()` are used, so renames elsewhere do not reach here.

mod common;

use std::hint::black_box;
use std::io::BufRead;

use common::{
    decode_bytes, decode_pushes, lean_decode_pushes, mini_decode_pushes, per_byte_floor,
    per_push_floor, streaming_framer, walk,
};
use criterion::{Criterion, Throughput};
use ftp_reply::parse_complete;

const PASV: &[u8] = include_bytes!("data/pasv.raw");
const HELP: &[u8] = include_bytes!("data/help.raw");
const STREAM: &[u8] = include_bytes!("data/stream.raw");

// ---------------------------------------------------------------- the crate

/// 227: frame the line, then the typed address.
fn crate_pasv(input: &[u8]) -> usize {
    let (_, reply) = parse_complete(input).unwrap();
    let addr = reply.passive().unwrap();
    black_box(addr);
    1
}

/// 214 block: framing only.
fn crate_frame(input: &[u8]) -> usize {
    let (rest, reply) = parse_complete(input).unwrap();
    black_box(reply);
    rest.len()
}

/// 214 block: framing plus every command name of `help().commands()`.
fn crate_commands(input: &[u8]) -> usize {
    let (_, reply) = parse_complete(input).unwrap();
    let help = reply.help().unwrap();
    let mut n = 0;
    for c in help.commands() {
        black_box(c);
        n += 1;
    }
    n
}

// ----------------------------------------------------------------- the limits

/// A hand-written 227 reader: `227 `, find `(`, six numbers of one to
/// three digits each at most 255, separated by commas, closed by `)`. No
/// framing (no line-end search, no CRLF check): the floor for "the address
/// of a 227".
fn hand_pasv(line: &[u8]) -> Option<([u8; 4], u16)> {
    let rest = line.strip_prefix(b"227 ")?;
    let open = rest.iter().position(|&b| b == b'(')?;
    let mut p = &rest[open + 1..];
    let mut n = [0u8; 6];
    for (i, slot) in n.iter_mut().enumerate() {
        let mut v = 0u32;
        let mut digits = 0;
        while let [d @ b'0'..=b'9', tail @ ..] = p {
            if digits == 3 {
                return None;
            }
            v = v * 10 + u32::from(d - b'0');
            digits += 1;
            p = tail;
        }
        if digits == 0 || v > 255 {
            return None;
        }
        *slot = v as u8;
        if i < 5 {
            p = p.strip_prefix(b",")?;
        }
    }
    p.strip_prefix(b")")?;
    Some((
        [n[0], n[1], n[2], n[3]],
        u16::from(n[4]) << 8 | u16::from(n[5]),
    ))
}

fn limit_pasv(input: &[u8]) -> usize {
    black_box(hand_pasv(input).unwrap());
    1
}

/// The per-line floor: visit every line end (`memchr_iter`, each position
/// touched through `black_box`, so no vectorised count over the whole
/// buffer). What any parser that stops at each line pays at least.
fn per_line_floor(bytes: &[u8]) -> usize {
    let mut sum = 0usize;
    for i in memchr::memchr_iter(b'\n', bytes) {
        sum = sum.wrapping_add(black_box(i));
    }
    sum
}

/// The old vectorised floor (`.count()`), kept as a reference row.
fn count_floor(bytes: &[u8]) -> usize {
    common::floor(bytes)
}

/// `BufRead::read_line` over the block into a reused `String`; the middle
/// lines (not the first, not the `214 ` last) split into words
/// (`split_ascii_whitespace`, each word touched) when `split`, or only
/// touched whole when not.
fn read_line_block(mut bytes: &[u8], split: bool) -> usize {
    let mut line = String::new();
    let mut n = 0;
    let mut first = true;
    loop {
        line.clear();
        if bytes.read_line(&mut line).unwrap() == 0 {
            break;
        }
        if first {
            first = false;
            black_box(line.as_str());
            continue;
        }
        if line.starts_with("214 ") {
            black_box(line.as_str());
            break;
        }
        if split {
            for w in line.split_ascii_whitespace() {
                black_box(w);
                n += 1;
            }
        } else {
            black_box(line.as_str());
            n += 1;
        }
    }
    n
}

// ------------------------------------------------------------------ the table

/// One function of a group.
struct Row {
    name: &'static str,
    run: fn() -> usize,
}

/// One criterion group: the input size (throughput) and its rows.
struct Group {
    name: &'static str,
    bytes: usize,
    /// Replies per iteration (for per-reply figures).
    replies: usize,
    /// Criterion samples (fewer for the slow rows).
    samples: usize,
    rows: &'static [Row],
}

/// One line of the table: a crate row beside its limit, in one group.
struct Pair {
    path: &'static str,
    group: &'static str,
    krate: &'static str,
    limit: &'static str,
}

const GROUPS: &[Group] = &[
    Group {
        name: "limits 227",
        bytes: PASV.len(),
        replies: 1,
        samples: 100,
        rows: &[
            Row {
                name: "ftp-reply parse+passive",
                run: || crate_pasv(black_box(PASV)),
            },
            Row {
                name: "hand-written 227 loop",
                run: || limit_pasv(black_box(PASV)),
            },
        ],
    },
    Group {
        name: "limits 214 framing",
        bytes: HELP.len(),
        replies: 1,
        samples: 100,
        rows: &[
            Row {
                name: "ftp-reply parse",
                run: || crate_frame(black_box(HELP)),
            },
            Row {
                name: "per-line floor (memchr_iter)",
                run: || per_line_floor(black_box(HELP)),
            },
            Row {
                name: "memchr count (vectorised)",
                run: || count_floor(black_box(HELP)),
            },
        ],
    },
    Group {
        name: "limits 214 commands",
        bytes: HELP.len(),
        replies: 1,
        samples: 100,
        rows: &[
            Row {
                name: "ftp-reply parse+commands",
                run: || crate_commands(black_box(HELP)),
            },
            Row {
                name: "read_line+split",
                run: || read_line_block(black_box(HELP), true),
            },
            Row {
                name: "read_line",
                run: || read_line_block(black_box(HELP), false),
            },
        ],
    },
    Group {
        name: "limits stream walk",
        bytes: STREAM.len(),
        replies: 10_000,
        samples: 100,
        rows: &[
            Row {
                name: "ftp-reply walk",
                run: || walk(black_box(STREAM)),
            },
            Row {
                name: "per-line floor (memchr_iter)",
                run: || per_line_floor(black_box(STREAM)),
            },
        ],
    },
    Group {
        name: "limits decoder",
        bytes: STREAM.len(),
        replies: 10_000,
        samples: 50,
        rows: &[
            Row {
                name: "ftp-reply walk",
                run: || walk(black_box(STREAM)),
            },
            Row {
                name: "Decoder 1460B pushes",
                run: || decode_pushes(black_box(STREAM), black_box(1460)),
            },
            Row {
                name: "Decoder 536B pushes",
                run: || decode_pushes(black_box(STREAM), black_box(536)),
            },
            Row {
                name: "Decoder 16B pushes",
                run: || decode_pushes(black_box(STREAM), black_box(16)),
            },
            Row {
                name: "walk + 16B push floor",
                run: || walk(black_box(STREAM)) + per_push_floor(black_box(STREAM), black_box(16)),
            },
            Row {
                name: "hand-written framer 16B pushes",
                run: || streaming_framer(black_box(STREAM), black_box(16)),
            },
            Row {
                name: "minimal decoder 16B pushes",
                run: || mini_decode_pushes(black_box(STREAM), black_box(16)),
            },
            Row {
                name: "lean decoder 16B pushes",
                run: || lean_decode_pushes(black_box(STREAM), black_box(16)),
            },
            Row {
                name: "minimal decoder 1460B pushes",
                run: || mini_decode_pushes(black_box(STREAM), black_box(1460)),
            },
        ],
    },
    Group {
        name: "limits decoder 1B",
        bytes: STREAM.len(),
        replies: 10_000,
        samples: 20,
        rows: &[
            Row {
                name: "Decoder 1B pushes",
                run: || decode_bytes(black_box(STREAM)),
            },
            Row {
                name: "Decoder 1B slices",
                run: || decode_pushes(black_box(STREAM), black_box(1)),
            },
            Row {
                name: "per-byte floor",
                run: || per_byte_floor(black_box(STREAM)),
            },
        ],
    },
];

const PAIRS: &[Pair] = &[
    Pair {
        path: "227 line: parse_complete + passive()",
        group: "limits 227",
        krate: "ftp-reply parse+passive",
        limit: "hand-written 227 loop",
    },
    Pair {
        path: "214 block (20 lines): parse_complete",
        group: "limits 214 framing",
        krate: "ftp-reply parse",
        limit: "per-line floor (memchr_iter)",
    },
    Pair {
        path: "214 block: parse_complete (reference: vectorised count)",
        group: "limits 214 framing",
        krate: "ftp-reply parse",
        limit: "memchr count (vectorised)",
    },
    Pair {
        path: "214 block: help().commands(), all names",
        group: "limits 214 commands",
        krate: "ftp-reply parse+commands",
        limit: "read_line+split",
    },
    Pair {
        path: "214 block: help().commands() (vs read_line, no split)",
        group: "limits 214 commands",
        krate: "ftp-reply parse+commands",
        limit: "read_line",
    },
    Pair {
        path: "stream of 10,000: walk (parse_complete + resume_after)",
        group: "limits stream walk",
        krate: "ftp-reply walk",
        limit: "per-line floor (memchr_iter)",
    },
    Pair {
        path: "stream: Decoder<1024>, 1460-byte pushes",
        group: "limits decoder",
        krate: "Decoder 1460B pushes",
        limit: "ftp-reply walk",
    },
    Pair {
        path: "stream: Decoder<1024>, 536-byte pushes",
        group: "limits decoder",
        krate: "Decoder 536B pushes",
        limit: "ftp-reply walk",
    },
    Pair {
        path: "stream: Decoder<1024>, 16-byte pushes",
        group: "limits decoder",
        krate: "Decoder 16B pushes",
        limit: "ftp-reply walk",
    },
    Pair {
        path: "stream: Decoder<1024>, 16-byte pushes (against the walk plus copying and looking at each push)",
        group: "limits decoder",
        krate: "Decoder 16B pushes",
        limit: "walk + 16B push floor",
    },
    Pair {
        path: "stream: hand-written streaming framer, 16-byte pushes (copy, look, frame, no API: against the walk)",
        group: "limits decoder",
        krate: "hand-written framer 16B pushes",
        limit: "ftp-reply walk",
    },
    Pair {
        path: "stream: minimal decoder, 16-byte pushes (the framer behind push/next: against the walk)",
        group: "limits decoder",
        krate: "minimal decoder 16B pushes",
        limit: "ftp-reply walk",
    },
    Pair {
        path: "stream: Decoder<1024>, 16-byte pushes (against the minimal decoder)",
        group: "limits decoder",
        krate: "Decoder 16B pushes",
        limit: "minimal decoder 16B pushes",
    },
    Pair {
        path: "stream: lean typed decoder, 16-byte pushes (a small push's stops as a bit mask, lines framed and typed, no error detail: against the walk)",
        group: "limits decoder",
        krate: "lean decoder 16B pushes",
        limit: "ftp-reply walk",
    },
    Pair {
        path: "stream: Decoder<1024>, 16-byte pushes (against the lean typed decoder)",
        group: "limits decoder",
        krate: "Decoder 16B pushes",
        limit: "lean decoder 16B pushes",
    },
    Pair {
        path: "stream: minimal decoder, 1460-byte pushes (against the walk)",
        group: "limits decoder",
        krate: "minimal decoder 1460B pushes",
        limit: "ftp-reply walk",
    },
    Pair {
        path: "stream: Decoder<1024>, 1460-byte pushes (against the minimal decoder)",
        group: "limits decoder",
        krate: "Decoder 1460B pushes",
        limit: "minimal decoder 1460B pushes",
    },
    Pair {
        path: "stream: Decoder<1024>, 1-byte pushes",
        group: "limits decoder 1B",
        krate: "Decoder 1B pushes",
        limit: "per-byte floor",
    },
];

/// Every row does what it says on these inputs (checked before timing; a
/// callgrind run skips it, the script's criterion run has done it).
fn check() {
    assert_eq!(hand_pasv(PASV), Some(([192, 168, 1, 2], 19 << 8 | 137)));
    assert!(crate_commands(HELP) > 100);
    assert_eq!(read_line_block(HELP, false), 18);
    assert_eq!(crate_frame(HELP), 0);
    assert_eq!(walk(STREAM), 10_000);
    for size in [1460, 536, 16, 1] {
        assert_eq!(decode_pushes(STREAM, size), 10_000, "{size}-byte pushes");
    }
    assert_eq!(decode_bytes(STREAM), 10_000);
    assert_eq!(per_byte_floor(STREAM), common::floor(STREAM));
    assert_eq!(per_push_floor(STREAM, 16), common::floor(STREAM));
    for size in [16, 9, 1460] {
        assert!(
            common::lean_matches_walk(STREAM, size),
            "lean, {size}-byte pushes"
        );
    }
    for size in [16, 1460] {
        assert_eq!(
            streaming_framer(STREAM, size),
            10_000,
            "framer, {size}-byte pushes"
        );
    }
}

fn find(id: &str) -> Option<(&'static Group, &'static Row)> {
    let (g, r) = id.split_once('/')?;
    let group = GROUPS.iter().find(|x| x.name == g)?;
    Some((group, group.rows.iter().find(|x| x.name == r)?))
}

fn main() {
    if std::env::var_os("LIMITS_LIST").is_some() {
        // group \t crate row \t limit row \t path \t replies per iteration
        for p in PAIRS {
            let (g, _) = find(&format!("{}/{}", p.group, p.krate)).expect("pair's crate row");
            find(&format!("{}/{}", p.group, p.limit)).expect("pair's limit row");
            println!(
                "{}\t{}\t{}\t{}\t{}",
                p.group, p.krate, p.limit, p.path, g.replies
            );
        }
        return;
    }
    if let Ok(id) = std::env::var("LIMITS_ROW") {
        let (_, row) = find(&id).unwrap_or_else(|| panic!("no row {id}"));
        let iters: usize = std::env::var("LIMITS_ITERS").map_or(1, |s| s.parse().unwrap());
        let mut acc = 0usize;
        for _ in 0..iters {
            acc = acc.wrapping_add(black_box((row.run)()));
        }
        println!("{id}: {iters} iterations ({acc})");
        return;
    }
    check();
    let mut c = Criterion::default().configure_from_args();
    for group in GROUPS {
        let mut g = c.benchmark_group(group.name);
        g.throughput(Throughput::Bytes(group.bytes as u64));
        g.sample_size(group.samples);
        for row in group.rows {
            g.bench_function(row.name, |b| b.iter(|| black_box((row.run)())));
        }
        g.finish();
    }
    c.final_summary();
}
