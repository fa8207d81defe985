//! Hostile input shapes for the complexity checks (issue #10): inputs on
//! which a parser that goes back, or scans again from the start, does work
//! quadratic in the input's length. Shared by `tests/complexity.rs`, which
//! times each at 4 KiB and 64 KiB against a limit, and
//! `benches/complexity.rs`, which reports the cost per byte at both sizes.
//!
//! Each shape builds an input of about `n` bytes (a head, a unit repeated,
//! a tail) and runs one parser over it, returning a count (of replies,
//! errors, commands, facts...) so the work cannot be optimised away and so
//! the tests can check the shape reaches the code it aims at.

#![allow(dead_code)] // each user takes a part

use core::net::{IpAddr, Ipv4Addr};

use ftp_reply::client::{Client, ClientError, EventKind};
use ftp_reply::payload::Payload;
use ftp_reply::telnet::Telnet;
use ftp_reply::{
    Command, Decoder, ParserConfig, Progress, Reply, parse_complete, parse_streaming, resume_after,
};

/// The mixed stream of 10,000 replies the stream bench walks.
pub const STREAM: &[u8] = include_bytes!("../../benches/data/stream.raw");

/// One hostile shape: how to build it and what to run over it.
#[derive(Clone, Copy)]
pub struct Shape {
    /// The name, as the test and the bench group are named.
    pub name: &'static str,
    /// Builds an input of about `n` bytes.
    pub make: fn(usize) -> Vec<u8>,
    /// Parses it; returns a count of what was found.
    pub run: fn(&[u8]) -> usize,
}

/// `head`, then `unit` as many times as fits in `n` bytes with `tail`,
/// then `tail` (at least one unit).
pub fn fill(head: &[u8], unit: &[u8], tail: &[u8], n: usize) -> Vec<u8> {
    let k = (n.saturating_sub(head.len() + tail.len()) / unit.len()).max(1);
    let mut v = Vec::with_capacity(head.len() + k * unit.len() + tail.len());
    v.extend_from_slice(head);
    for _ in 0..k {
        v.extend_from_slice(unit);
    }
    v.extend_from_slice(tail);
    v
}

/// The complete walk: every reply and error, skipping as `resume_after`
/// says. Returns how many items it gave.
pub fn walk(mut bytes: &[u8]) -> usize {
    let mut n = 0;
    while !bytes.is_empty() {
        match parse_complete(bytes) {
            Ok((rest, reply)) => {
                std::hint::black_box(&reply);
                bytes = rest;
            }
            Err(e) => bytes = &bytes[resume_after(bytes, &e)..],
        }
        n += 1;
    }
    n
}

/// The streaming walk over the whole input: as [`walk`], stopping at the
/// first `Partial` (the unfinished tail, counted as an item).
pub fn walk_streaming(mut bytes: &[u8]) -> usize {
    let mut n = 0;
    while !bytes.is_empty() {
        match parse_streaming(bytes) {
            Ok(Progress::Complete((rest, reply))) => {
                std::hint::black_box(&reply);
                bytes = rest;
            }
            Ok(Progress::Partial) => return n + 1,
            Err(e) => bytes = &bytes[resume_after(bytes, &e)..],
        }
        n += 1;
    }
    n
}

/// The walk with a non-default configuration (a block ends at any code).
/// Not with `max_lines`: a limit of L lines bounds each failed block scan,
/// so a quadratic walk costs n * L there and hides below L lines.
pub fn walk_config(mut bytes: &[u8]) -> usize {
    let config = ParserConfig::new().any_code_ends_block(true);
    let mut n = 0;
    while !bytes.is_empty() {
        match config.parse_complete(bytes) {
            Ok((rest, reply)) => {
                std::hint::black_box(&reply);
                bytes = rest;
            }
            Err(e) => bytes = &bytes[resume_after(bytes, &e)..],
        }
        n += 1;
    }
    n
}

/// The decoder with an `N`-byte buffer fed `chunk`-byte pushes, draining
/// with `next()` after each push, then `finish()`. Returns how many
/// replies and errors it gave.
pub fn decode<const N: usize>(bytes: &[u8], chunk: usize) -> usize {
    decode_with(Decoder::<N>::new(), bytes, chunk)
}

/// [`decode`] with a decoder made as the caller wants it (`with_limit`,
/// `with_config`).
pub fn decode_with<const N: usize>(mut dec: Decoder<N>, bytes: &[u8], chunk: usize) -> usize {
    let mut n = 0;
    for mut piece in bytes.chunks(chunk) {
        while !piece.is_empty() {
            let took = dec.push(piece);
            piece = &piece[took..];
            while let Some(r) = dec.next() {
                std::hint::black_box(&r);
                n += 1;
            }
        }
    }
    while let Some(r) = dec.next() {
        std::hint::black_box(&r);
        n += 1;
    }
    n + usize::from(dec.finish().is_some())
}

/// Parses the first reply of `bytes` both ways (complete and streaming)
/// and hands it to `f`; counts each parse that gave a reply, plus what `f`
/// counts.
fn one(bytes: &[u8], f: impl Fn(&Reply<'_>) -> usize) -> usize {
    let streamed = match parse_streaming(bytes) {
        Ok(Progress::Complete((_, reply))) => 1 + f(&reply),
        _ => 0,
    };
    match parse_complete(bytes) {
        Ok((_, reply)) => 1 + f(&reply) + streamed,
        Err(_) => 0,
    }
}

/// A count for any payload result (and a decode of base64 data).
fn payload_count(p: Result<Payload<'_>, ftp_reply::Error>) -> usize {
    match p {
        Ok(Payload::Help(h)) => h.commands().count(),
        Ok(Payload::Features(f)) => f.iter().count() + f.mlst_facts().count(),
        Ok(Payload::Mlst(m)) => m.facts().count(),
        Ok(Payload::Status(s)) => s.lines().count(),
        Ok(Payload::Protected(d) | Payload::Adat(Some(d))) => {
            let mut out = vec![0u8; d.decoded_len()];
            d.decode_into(&mut out).unwrap_or(0)
        }
        Ok(Payload::Pathname(p)) => p.bytes().count(),
        Ok(_) => 1,
        Err(e) => e.offset(),
    }
}

/// Every typed view the crate has on one reply: the accessors and
/// `payload_after` under each command context.
fn every_view(r: &Reply<'_>) -> usize {
    let mut n = r.lines().count();
    n += usize::from(r.passive().is_ok());
    n += usize::from(r.extended_passive().is_ok());
    n += usize::from(r.long_passive().is_ok());
    n += r.pathname().map_or(0, |p| p.len());
    n += r.help().map_or(0, |h| h.commands().count());
    n += r.features().map_or(0, |f| f.iter().count());
    n += r.mlst_entry().map_or(0, |m| m.facts().count());
    n += payload_count(r.payload());
    for c in [
        Command::Size,
        Command::Mdtm,
        Command::Stat,
        Command::Feat,
        Command::Mlst,
    ] {
        n += payload_count(r.payload_after(Some(c)));
    }
    n
}

macro_rules! shape {
    ($name:ident, $make:expr, $run:expr) => {
        pub const $name: Shape = Shape {
            name: stringify!($name),
            make: $make,
            run: $run,
        };
    };
}

// --- 227: the tuple scan -------------------------------------------------

shape!(PASV_X_COMMAS, |n| fill(b"227 ", b"x,", b"1,\r\n", n), |b| {
    one(b, |r| payload_count(r.passive().map(Payload::Passive)))
});
shape!(PASV_ONE_COMMAS, |n| fill(b"227 ", b"1,", b"\r\n", n), |b| {
    one(b, |r| payload_count(r.passive().map(Payload::Passive)))
});
shape!(
    PASV_BIG_NUMBERS,
    |n| fill(b"227 ", b"256,", b"\r\n", n),
    |b| one(b, |r| payload_count(r.passive().map(Payload::Passive)))
);
shape!(
    PASV_FIVE_FIELDS,
    |n| fill(b"227 ", b"1,2,3,4,5 ", b"\r\n", n),
    |b| one(b, |r| payload_count(r.passive().map(Payload::Passive)))
);
shape!(PASV_DIGITS, |n| fill(b"227 (", b"1", b"\r\n", n), |b| one(
    b,
    |r| payload_count(r.passive().map(Payload::Passive))
));
shape!(PASV_PARENS, |n| fill(b"227 ", b"(", b"\r\n", n), |b| one(
    b,
    |r| payload_count(r.passive().map(Payload::Passive))
));
shape!(
    PASV_LINES,
    |n| fill(b"227-a\r\n", b"1,2,\r\n", b"227 end\r\n", n),
    |b| one(b, |r| payload_count(r.passive().map(Payload::Passive)))
);

// --- 229 ----------------------------------------------------------------

shape!(EPSV_PIPES, |n| fill(b"229 (", b"|", b"\r\n", n), |b| one(
    b,
    |r| payload_count(r.extended_passive().map(Payload::ExtendedPassive))
));
shape!(EPSV_PARENS, |n| fill(b"229 ", b"(", b"\r\n", n), |b| one(
    b,
    |r| payload_count(r.extended_passive().map(Payload::ExtendedPassive))
));
shape!(
    EPSV_DIGITS,
    |n| fill(b"229 (|||", b"1", b"|)\r\n", n),
    |b| one(b, |r| payload_count(
        r.extended_passive().map(Payload::ExtendedPassive)
    ))
);
shape!(
    EPSV_OPEN_TRIPLES,
    |n| fill(b"229 ", b"(|||1", b"\r\n", n),
    |b| one(b, |r| payload_count(
        r.extended_passive().map(Payload::ExtendedPassive)
    ))
);

// --- 228 ----------------------------------------------------------------

shape!(LPSV_PARENS, |n| fill(b"228 ", b"(", b"1\r\n", n), |b| one(
    b,
    |r| payload_count(r.long_passive().map(Payload::LongPassive))
));
shape!(LPSV_SPACES, |n| fill(b"228 (4,", b" ", b"4\r\n", n), |b| {
    one(b, |r| {
        payload_count(r.long_passive().map(Payload::LongPassive))
    })
});
shape!(LPSV_DIGITS, |n| fill(b"228 (", b"0", b"4\r\n", n), |b| one(
    b,
    |r| payload_count(r.long_passive().map(Payload::LongPassive))
));
shape!(
    LPSV_LINES,
    |n| fill(b"228-a\r\n", b"x\r\n", b"228 (6,16,1,2)\r\n", n),
    |b| one(b, |r| payload_count(
        r.long_passive().map(Payload::LongPassive)
    ))
);

// --- 522 ----------------------------------------------------------------

shape!(
    EPRT_EMPTY_GROUPS,
    |n| fill(b"522 ", b"(x)", b"(1)\r\n", n),
    |b| { one(b, |r| payload_count(r.payload())) }
);
shape!(
    EPRT_OPEN_GROUPS,
    |n| fill(b"522 ", b"(", b"1)\r\n", n),
    |b| { one(b, |r| payload_count(r.payload())) }
);
shape!(
    EPRT_NUMBERS,
    |n| fill(b"522 use (", b"1, ", b"2)\r\n", n),
    |b| one(b, |r| payload_count(r.payload()))
);

// --- 150 (N bytes) -------------------------------------------------------

shape!(TRANSFER_PARENS, |n| fill(b"150 ", b"(", b"\r\n", n), |b| {
    one(b, |r| payload_count(r.payload()))
});
shape!(
    TRANSFER_OPEN_NUMBERS,
    |n| fill(b"150 ", b"(1 ", b"\r\n", n),
    |b| one(b, |r| payload_count(r.payload()))
);
shape!(
    TRANSFER_DIGITS,
    |n| fill(b"150 (", b"1", b" bytes)\r\n", n),
    |b| one(b, |r| payload_count(r.payload()))
);

// --- 257 -----------------------------------------------------------------

shape!(PWD_QUOTES, |n| fill(b"257 ", b"\"", b"\r\n", n), |b| one(
    b,
    |r| payload_count(r.pathname().map(Payload::Pathname))
));
shape!(
    PWD_DOUBLED_QUOTES,
    |n| fill(b"257 \"", b"\"\"", b"\" created\r\n", n),
    |b| one(b, |r| payload_count(r.pathname().map(Payload::Pathname)))
);
shape!(
    PWD_QUOTE_WORDS,
    |n| fill(b"257 ", b"\"a", b"\r\n", n),
    |b| one(b, |r| payload_count(r.pathname().map(Payload::Pathname)))
);

// --- 213 -----------------------------------------------------------------

shape!(MDTM_DIGITS, |n| fill(b"213 ", b"2", b"\r\n", n), |b| one(
    b,
    |r| payload_count(r.payload_after(Some(Command::Mdtm)))
));
shape!(
    MDTM_FRACTION,
    |n| fill(b"213 20231109220448.", b"1", b"\r\n", n),
    |b| one(b, |r| payload_count(r.payload_after(Some(Command::Mdtm))))
);
shape!(SIZE_DIGITS, |n| fill(b"213 ", b"1", b"\r\n", n), |b| one(
    b,
    |r| payload_count(r.payload_after(Some(Command::Size)))
));
shape!(
    STAT_BLOCK,
    |n| fill(b"213-status\r\n", b" a\r\n", b"213 End\r\n", n),
    |b| one(b, |r| payload_count(r.payload_after(Some(Command::Stat))))
);

// --- 214 HELP ------------------------------------------------------------

/// A help table's work: every name, and a search for one it does not list.
fn help_work(r: &Reply<'_>) -> usize {
    r.help()
        .map_or(0, |h| h.commands().count() + usize::from(h.lists("NOPE")))
}

shape!(
    HELP_LINES,
    |n| fill(
        b"214-The following commands are recognized.\r\n",
        b" ABOR\r\n",
        b"214 Help OK.\r\n",
        n
    ),
    |b| one(b, help_work)
);
shape!(
    HELP_WORDS,
    |n| fill(b"214-x\r\n", b" AB", b"\r\n214 end\r\n", n),
    |b| one(b, help_work)
);
shape!(
    HELP_STARS,
    |n| fill(b"214-x\r\n ", b"A*", b"\r\n214 end\r\n", n),
    |b| one(b, help_work)
);
shape!(
    HELP_MARKS,
    |n| fill(b"214-x\r\n", b" AB * *", b"\r\n214 end\r\n", n),
    |b| one(b, help_work)
);
shape!(
    HELP_LONG_WORD,
    |n| fill(b"214-x\r\n ", b"A", b"\r\n214 end\r\n", n),
    |b| one(b, help_work)
);
shape!(
    HELP_PROSE_TAIL,
    |n| fill(b"214-x\r\n", b" RETR", b" see\r\n214 end\r\n", n),
    |b| one(b, help_work)
);
shape!(
    HELP_BLANKS,
    |n| fill(b"214-x\r\nA", b" ", b"B\r\n214 end\r\n", n),
    |b| one(b, help_work)
);
shape!(
    HELP_EMPTY_LINES,
    |n| fill(b"214-x\r\n", b"\r\n", b"214 end\r\n", n),
    |b| one(b, help_work)
);

// --- 211 FEAT ------------------------------------------------------------

shape!(
    FEAT_LINES,
    |n| fill(b"211-Features:\r\n", b" MDTM\r\n", b"211 End\r\n", n),
    |b| one(b, |r| payload_count(r.payload_after(Some(Command::Feat))))
);
shape!(
    FEAT_MLST_FACTS,
    |n| fill(b"211-Features:\r\n MLST ", b"type*;", b"\r\n211 End\r\n", n),
    |b| one(b, |r| payload_count(r.payload_after(Some(Command::Feat))))
);

// --- 250 MLST ------------------------------------------------------------

shape!(
    MLST_FACTS,
    |n| fill(b"250-Listing /x\r\n ", b"a=b;", b" /x\r\n250 End\r\n", n),
    |b| one(b, |r| r.mlst_entry().map_or(0, |m| m.facts().count()))
);
shape!(
    MLST_SEMICOLONS,
    |n| fill(b"250-Listing /x\r\n ", b";", b" /x\r\n250 End\r\n", n),
    |b| one(b, |r| payload_count(r.payload_after(Some(Command::Mlst))))
);
shape!(
    MLST_EQUALS,
    |n| fill(b"250-Listing /x\r\n a", b"=", b"; /x\r\n250 End\r\n", n),
    |b| one(b, |r| payload_count(r.payload_after(Some(Command::Mlst))))
);

// --- 631 / ADAT base64 ---------------------------------------------------

shape!(
    PROTECTED_BASE64,
    |n| fill(b"631 ", b"QUFB", b"\r\n", n),
    |b| one(b, |r| payload_count(r.payload()))
);
shape!(
    ADAT_BASE64,
    |n| fill(b"335 ADAT=", b"QUFB", b"\r\n", n),
    |b| one(b, |r| payload_count(r.payload()))
);

// --- framing: lines, blocks, walks ---------------------------------------

shape!(LONG_LINE, |n| fill(b"200 ", b"a", b"\r\n", n), |b| one(
    b, every_view
));
shape!(
    LONG_LINE_EVERY_CODE_VIEW,
    |n| fill(b"227-", b"(|1,\"", b"\r\n227 end\r\n", n),
    |b| one(b, every_view)
);
shape!(
    BLOCK_CODE_LIKE_LINES,
    |n| fill(b"211-a\r\n", b"211-b\r\n", b"211 end\r\n", n),
    |b| one(b, |r| r.lines().count())
);
shape!(
    BLOCK_BLANK_LINES,
    |n| fill(b"211-a\r\n", b"\n", b"211 end\r\n", n),
    |b| one(b, |r| r.lines().count())
);
shape!(
    WALK_SHORT_REPLIES,
    |n| fill(b"", b"200 ok\r\n", b"", n),
    walk
);
shape!(
    WALK_NUL_BLOCKS,
    |n| fill(b"", b"211-a\r\n\0\r\n", b"", n),
    walk
);
shape!(
    WALK_STREAMING_NUL_BLOCKS,
    |n| fill(b"", b"211-a\r\n\0\r\n", b"", n),
    walk_streaming
);
shape!(
    WALK_CONFIG_NUL_BLOCKS,
    |n| fill(b"", b"211-a\r\n\0\r\n", b"", n),
    walk_config
);
shape!(WALK_OPEN_BLOCKS, |n| fill(b"", b"211-a\r\n", b"", n), walk);
shape!(
    WALK_STREAMING_OPEN_BLOCKS,
    |n| fill(b"", b"211-a\r\n", b"", n),
    walk_streaming
);
shape!(WALK_BAD_CODES, |n| fill(b"", b"2x\r\n", b"", n), walk);
shape!(WALK_NO_LF, |n| fill(b"", b"2", b"", n), walk);

// --- the decoder ---------------------------------------------------------

/// The first `n` bytes of the mixed stream (the decoder's `finish()`
/// reports the cut reply).
fn stream_prefix(n: usize) -> Vec<u8> {
    STREAM[..n.min(STREAM.len())].to_vec()
}

/// A block of short lines (the 214 of `HELP_LINES`).
fn short_line_block(n: usize) -> Vec<u8> {
    fill(b"214-Commands:\r\n", b" ABOR\r\n", b"214 Help OK.\r\n", n)
}

shape!(DECODER_STREAM_1B_1024, stream_prefix, |b| decode::<1024>(
    b, 1
));
shape!(DECODER_STREAM_16B_1024, stream_prefix, |b| decode::<1024>(
    b, 16
));
shape!(DECODER_STREAM_1B_64, stream_prefix, |b| decode::<64>(b, 1));
shape!(DECODER_STREAM_16B_64, stream_prefix, |b| decode::<64>(
    b, 16
));
shape!(DECODER_BLOCK_1B_1024, short_line_block, |b| decode::<1024>(
    b, 1
));
shape!(DECODER_BLOCK_16B_1024, short_line_block, |b| {
    decode::<1024>(b, 16)
});
shape!(DECODER_BLOCK_1B_64, short_line_block, |b| decode::<64>(
    b, 1
));
shape!(DECODER_BLOCK_16B_64, short_line_block, |b| decode::<64>(
    b, 16
));
shape!(DECODER_BIG_BLOCK_1B_65536, short_line_block, |b| decode::<
    65536,
>(b, 1));
shape!(DECODER_BIG_BLOCK_16B_65536, short_line_block, |b| decode::<
    65536,
>(b, 16));
shape!(
    DECODER_SHORT_REPLIES_1B_1024,
    |n| fill(b"", b"200 ok\r\n", b"", n),
    |b| decode::<1024>(b, 1)
);
shape!(
    DECODER_NUL_BLOCKS_1B_1024,
    |n| fill(b"", b"211-a\r\n\0\r\n", b"", n),
    |b| decode::<1024>(b, 1)
);
shape!(
    DECODER_LONG_LINE_1B_1024,
    |n| fill(b"200 ", b"a", b"\r\n", n),
    |b| decode::<1024>(b, 1)
);
shape!(
    DECODER_LONG_LINE_1B_65536,
    |n| fill(b"200 ", b"a", b"\r\n", n),
    |b| decode::<65536>(b, 1)
);
// A line (then a block's middle line) of 0x02 and 0x08, fed 16 bytes at
// a time: each push's look stops at them (one mask catches them with LF
// and NUL), so `next` scans after every push; the scan must go on from
// where the last one stopped.
shape!(
    DECODER_STOP_BYTES_LINE_16B_65536,
    |n| fill(b"200 ", b"a\x02b\x08", b"\r\n", n),
    |b| decode::<65536>(b, 16)
);
shape!(
    DECODER_STOP_BYTES_BLOCK_16B_65536,
    |n| fill(b"211-x\r\n ", b"\x08a\x02", b"\r\n211 e\r\n", n),
    |b| decode::<65536>(b, 16)
);
// Large pushes (a TCP segment), where a new item with more than 64 bytes
// held after it is read with the walk's grammar: a line or a block longer
// than any push, which the grammar finds incomplete, must be read on by
// the resumable scan (not tried again whole after every push), and items
// the grammar refuses (a block with NULs) are read by the general step.
shape!(
    DECODER_LONG_LINE_1460B_131072,
    |n| fill(b"200 ", b"a", b"\r\n", n),
    |b| decode::<131072>(b, 1460)
);
shape!(
    DECODER_BIG_BLOCK_1460B_131072,
    short_line_block,
    |b| decode::<131072>(b, 1460)
);
shape!(
    DECODER_NUL_BLOCKS_1460B_131072,
    |n| fill(b"", b"211-a\r\n\0\r\n", b"", n),
    |b| decode::<131072>(b, 1460)
);
shape!(
    DECODER_SHORT_REPLIES_1460B_1024,
    |n| fill(b"", b"200 ok\r\n", b"", n),
    |b| decode::<1024>(b, 1460)
);

// Empty lines (a bare LF each, then CR LF each): every one is an error
// item of its own, the costliest per byte of the linear shapes (session
// 44's probe: about 450 instructions a byte at 1460-byte pushes).
shape!(
    DECODER_BARE_LF_1460B_1024,
    |n| fill(b"", b"\n", b"", n),
    |b| decode::<1024>(b, 1460)
);
shape!(
    DECODER_BLANK_LINES_1B_64,
    |n| fill(b"", b"\r\n", b"", n),
    |b| decode::<64>(b, 1)
);
// Pushes of 7 bytes: no power of two, so a line end falls at every place
// in a push.
shape!(DECODER_STREAM_7B_64, stream_prefix, |b| decode::<64>(b, 7));
// `with_limit`: a large buffer of which 64 or 100 bytes are used, so
// every reply longer than that is cut (its head kept, the rest skipped).
shape!(
    DECODER_LIMITED_LONG_LINE_1460B_131072,
    |n| fill(b"200 ", b"a", b"\r\n", n),
    |b| decode_with(Decoder::<131072>::new().with_limit(64), b, 1460)
);
shape!(DECODER_LIMITED_BLOCK_7B_65536, short_line_block, |b| {
    decode_with(Decoder::<65536>::new().with_limit(100), b, 7)
});
// `max_lines`: a block cut every 200 lines, and the rest of it skipped
// (every line is read once, not again from the block's start).
shape!(
    DECODER_MAX_LINES_BLOCK_1460B_131072,
    short_line_block,
    |b| {
        let config = ParserConfig::new().max_lines(core::num::NonZeroU32::new(200));
        decode_with(Decoder::<131072>::with_config(config), b, 1460)
    }
);
// A block of lines that look like its own code, under
// `any_code_ends_block`: each ends the block that the one before opened.
shape!(
    DECODER_ANY_CODE_LINES_16B_1024,
    |n| fill(b"211-a\r\n", b"211-b\r\n", b"211 end\r\n", n),
    |b| {
        let config = ParserConfig::new().any_code_ends_block(true);
        decode_with(Decoder::<1024>::with_config(config), b, 16)
    }
);

// --- the client engine ----------------------------------------------------
//
// A server that sends the engine endless bytes while it waits: a banner,
// greetings that say "wait", prose between replies, 1xx lines while a
// transfer runs, a long feature list. The engine reads each reply once,
// as the decoder gives it, and keeps nothing per reply.

/// What ends a scripted engine session as it should.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Last {
    LoggedIn,
    Features,
    TransferDone,
    Path,
}

/// A client engine with an `N`-byte reply buffer: `start` starts an
/// operation, then the server sends each of `replies` in `chunk`-byte
/// pieces (each piece given again while the engine takes part of it,
/// events taken out between), and the line the engine released goes out
/// after each one. A `Connect` is answered with `data_connected`, a
/// `TransferStarted` with `data_end`. Returns the number of events, or 0
/// when the last one is not `last` (the session did not get where the
/// shape aims).
fn engine<const N: usize>(
    start: fn(&mut Client<N>) -> Result<(), ClientError>,
    replies: &[&[u8]],
    chunk: usize,
    last: Last,
) -> usize {
    let mut c = Client::<N>::new(IpAddr::V4(Ipv4Addr::LOCALHOST));
    if start(&mut c).is_err() {
        return 0;
    }
    let mut events = 0;
    let mut got = None;
    for reply in replies {
        for mut piece in reply.chunks(chunk) {
            loop {
                let took = c.receive(piece);
                piece = &piece[took..];
                while let Some(ev) = c.poll_event() {
                    events += 1;
                    got = match ev.kind {
                        EventKind::LoggedIn => Some(Last::LoggedIn),
                        EventKind::Features(_) => Some(Last::Features),
                        EventKind::TransferDone => Some(Last::TransferDone),
                        EventKind::Path(p) => {
                            std::hint::black_box(p.len());
                            Some(Last::Path)
                        }
                        EventKind::Connect(_) => {
                            let _ = c.data_connected();
                            None
                        }
                        EventKind::TransferStarted(_) => {
                            let _ = c.data_end();
                            None
                        }
                        _ => None,
                    };
                }
                if piece.is_empty() {
                    break;
                }
            }
        }
        let out = c.transmit().len();
        c.sent(out);
    }
    if got == Some(last) { events } else { 0 }
}

fn login<const N: usize>(c: &mut Client<N>) -> Result<(), ClientError> {
    c.login(b"ftp", b"guest@", None)
}

/// A greeting block of `n` bytes of banner lines.
fn banner(n: usize) -> Vec<u8> {
    fill(
        b"220-Welcome\r\n",
        b" a banner line\r\n",
        b"220 ready\r\n",
        n,
    )
}

/// A login whose greeting is `greeting` (all of the shape's input), fed in
/// `chunk`-byte receives; USER and PASS answered.
fn greeted<const N: usize>(greeting: &[u8], chunk: usize) -> usize {
    let replies: [&[u8]; 3] = [greeting, b"331 pw\r\n", b"230 ok\r\n"];
    engine::<N>(login, &replies, chunk, Last::LoggedIn)
}

// Longer than the buffer: the decoder cuts the greeting, the engine reads
// the cut reply once.
shape!(CLIENT_BANNER_1B_512, banner, |b| greeted::<512>(b, 1));
shape!(CLIENT_BANNER_16B_131072, banner, |b| greeted::<131072>(
    b, 16
));
// "Service ready in 1 (minutes)", again and again, before the 220.
shape!(
    CLIENT_120_GREETINGS_16B_512,
    |n| fill(b"", b"120 ready in 1\r\n", b"220 ready\r\n", n),
    |b| greeted::<512>(b, 16)
);
// Prose with no code while USER is answered: each line skipped.
shape!(
    CLIENT_TEXT_LINES_16B_512,
    |n| fill(b"", b"no code here\r\n", b"331 pw\r\n", n),
    |b| engine::<512>(
        login,
        &[b"220 hi\r\n", b, b"230 ok\r\n"],
        16,
        Last::LoggedIn
    )
);
// 1xx lines while a transfer runs, then its 226.
shape!(
    CLIENT_RUNNING_1XX_16B_512,
    |n| fill(b"", b"110 MARK 1 = 2\r\n", b"226 done\r\n", n),
    |b| engine::<512>(
        |c| c.retrieve(b"f", 0),
        &[
            b"220 hi\r\n",
            b"229 Entering Extended Passive Mode (|||40001|)\r\n",
            b"150 Opening BINARY mode data connection (12 bytes)\r\n",
            b,
        ],
        16,
        Last::TransferDone
    )
);
// A feature list of `n` bytes (units of 16 bytes at most, so that every
// shape is within 16 bytes of its size), read by the engine for the flags
// it keeps.
shape!(
    CLIENT_FEAT_LINES_1460B_131072,
    |n| fill(
        b"211-Features:\r\n",
        b" MDTM\r\n X-ODD\r\n",
        b"211 End\r\n",
        n
    ),
    |b| engine::<131072>(|c| c.feat(), &[b"220 hi\r\n", b], 1460, Last::Features)
);

// --- shapes the first harness lacked (session 57's hunt) ------------------
//
// Measured first at 16, 64 and 256 KiB in a release build (and with
// callgrind's instruction counts up to 4 MiB): all linear. Kept here so
// that they stay so: the Telnet layer, the newer readers of 150/125
// (quotes), 350, 120, 110, 200 and ADAT on text built to make them look
// again, the lookups on MLST facts and FEAT lines, a payload read off the
// long closing line of a block another code closed, the writers
// (`encode_to`) on hostile payloads, a walk under `max_lines`, an open
// block through a small decoder, and the engine at 1-byte receives with a
// large buffer and on a long path.

/// The Telnet layer three ways: into a buffer with room for every byte,
/// in place, and into a two-byte buffer call after call (every call
/// reads what fits). Returns the bytes read and written.
fn telnet(bytes: &[u8]) -> usize {
    let mut out = vec![0u8; bytes.len() + 1];
    let (read, written) = Telnet::new().strip(bytes, &mut out);
    let mut copy = bytes.to_vec();
    let (read2, written2) = Telnet::new().strip_in_place(&mut copy, 0);
    let mut t = Telnet::new();
    let mut rest = bytes;
    let mut small = [0u8; 2];
    let mut written3 = 0;
    while !rest.is_empty() {
        let (r, w) = t.strip(rest, &mut small);
        if r == 0 {
            break;
        }
        rest = &rest[r..];
        written3 += w;
    }
    read + written + read2 + written2 + written3
}

// `IAC IAC` pairs (the byte 255 each), `IAC WILL x` commands, `CR NUL`
// (a CR alone), and `IAC SB` with no `IAC SE`.
shape!(TELNET_IAC_PAIRS, |n| vec![255u8; n], telnet);
shape!(
    TELNET_COMMANDS,
    |n| fill(b"", b"\xff\xfb\x01", b"", n),
    telnet
);
shape!(TELNET_CR_NUL, |n| fill(b"", b"\r\0", b"", n), telnet);
shape!(TELNET_SB_NO_SE, |n| fill(b"", b"\xff\xfaa", b"", n), telnet);

/// A 125's or 150's size, as `Reply::transfer_size` reads it.
fn sized(r: &Reply<'_>) -> usize {
    match r.transfer_size() {
        Ok(Some(n)) => 2 + usize::from(n > 0),
        Ok(None) => 1,
        Err(e) => 1 + e.offset(),
    }
}

// Quotes that open and close (a quote closes before a blank), each
// hiding a `(1 bytes)`; apostrophes alone; a block whose size is on its
// last line, after lines of open parentheses.
shape!(
    TRANSFER_QUOTED_SIZES,
    |n| fill(b"150 ", b"\"(1 bytes)\" ", b"\r\n", n),
    |b| one(b, sized)
);
shape!(TRANSFER_QUOTES, |n| fill(b"150 ", b"'", b"\r\n", n), |b| {
    one(b, sized)
});
shape!(
    TRANSFER_LAST_LINE,
    |n| fill(b"150-a\r\n", b" x (\r\n", b"150 (5 bytes)\r\n", n),
    |b| one(b, sized)
);

// 350 after REST: `rest` again and again (the word's search), and words
// that each hold a digit (the one-number reading's search).
shape!(REST_WORDS, |n| fill(b"350 ", b"rest", b"\r\n", n), |b| one(
    b,
    |r| payload_count(r.payload_after(Some(Command::Rest)))
));
shape!(
    REST_DIGIT_WORDS,
    |n| fill(b"350 ", b"a1 ", b"\r\n", n),
    |b| one(b, |r| payload_count(r.payload_after(Some(Command::Rest))))
);
// 120: digits that separators join, then `minutes`.
shape!(
    READY_JOINED_DIGITS,
    |n| fill(b"120 ", b"1,", b" minutes\r\n", n),
    |b| one(b, |r| payload_count(r.payload()))
);
// 110: `mar` with no `k `; 200: `pbsz` with no `=`; 335: `ADAT=` inside
// words, none at a word's start.
shape!(
    MARKER_NEAR_WORDS,
    |n| fill(b"110 ", b"mar", b"\r\n", n),
    |b| { one(b, |r| payload_count(r.payload())) }
);
shape!(
    PBSZ_NEAR_WORDS,
    |n| fill(b"200 ", b"pbsz", b"\r\n", n),
    |b| { one(b, |r| payload_count(r.payload_after(Some(Command::Pbsz)))) }
);
shape!(
    ADAT_INSIDE_WORDS,
    |n| fill(b"335 ", b"xADAT=", b"\r\n", n),
    |b| one(b, |r| payload_count(r.payload()))
);

// Every lookup of an MLST entry over many facts, and of a FEAT list over
// many lines (each a search of its own).
shape!(
    MLST_LOOKUPS,
    |n| fill(b"250-x\r\n ", b"size=1;", b" /p\r\n250 End\r\n", n),
    |b| one(b, |r| {
        r.mlst_entry().map_or(0, |m| {
            m.facts().count()
                + usize::from(m.size().is_some())
                + usize::from(m.modify().is_some())
                + usize::from(m.kind().is_some())
                + usize::from(m.perm().is_some())
                + usize::from(m.unique().is_some())
                + usize::from(m.unix_mode().is_some())
                + usize::from(m.fact("nope").is_some())
        })
    })
);
shape!(
    FEAT_LOOKUPS,
    |n| fill(b"211-Features:\r\n", b" A\r\n", b"211 End\r\n", n),
    |b| one(b, |r| {
        r.features().map_or(0, |f| {
            ["EPSV", "MLST", "SIZE", "MDTM", "UTF8", "REST"]
                .iter()
                .filter(|name| f.supports(name))
                .count()
                + f.mlst_facts().count()
                + usize::from(f.get("A").is_some())
        })
    })
);

// A block another code closed (`any_code_ends_block`), its closing line
// long: the payloads read that line alone, found from the end.
shape!(
    OTHER_CODE_LONG_CLOSING_LINE,
    |n| fill(b"553-a\r\n150 ", b"(", b"\r\n", n),
    |b| {
        let config = ParserConfig::new().any_code_ends_block(true);
        match config.parse_complete(b) {
            Ok((_, r)) => {
                1 + sized(&r)
                    + payload_count(r.payload())
                    + r.text().len()
                    + usize::from(r.closed_by_other_code())
            }
            Err(_) => 0,
        }
    }
);

/// A payload read off the first reply and written back (`encode_to`,
/// into room for all of it): the bytes written.
fn encoded(bytes: &[u8], command: Option<Command>) -> usize {
    let Ok((_, r)) = parse_complete(bytes) else {
        return 0;
    };
    let Ok(p) = r.payload_after(command) else {
        return 0;
    };
    let mut out = vec![0u8; 2 * bytes.len() + 64];
    p.encode_to(r.code(), &mut out).unwrap_or(0)
}

shape!(
    ENCODE_HELP_WORDS,
    |n| fill(b"214-x\r\n", b" AB", b"\r\n214 end\r\n", n),
    |b| encoded(b, None)
);
shape!(
    ENCODE_FEAT_LINES,
    |n| fill(b"211-Features:\r\n", b" MDTM\r\n", b"211 End\r\n", n),
    |b| encoded(b, Some(Command::Feat))
);
shape!(
    ENCODE_DOUBLED_QUOTES,
    |n| fill(b"257 \"", b"\"\"", b"\" created\r\n", n),
    |b| encoded(b, None)
);

// A walk under `max_lines`: a block that never ends, refused once it has
// too many lines, and the rest of it skipped (not read again from each
// line).
shape!(
    WALK_MAX_LINES_OPEN_BLOCK,
    |n| fill(b"211-a\r\n", b" x\r\n", b"", n),
    |b| {
        let config = ParserConfig::new().max_lines(core::num::NonZeroU32::new(100));
        let mut bytes = b;
        let mut n = 0;
        while !bytes.is_empty() {
            match config.parse_complete(bytes) {
                Ok((rest, reply)) => {
                    std::hint::black_box(&reply);
                    bytes = rest;
                }
                Err(e) => bytes = &bytes[resume_after(bytes, &e)..],
            }
            n += 1;
        }
        n
    }
);
// A block that never ends, longer than the decoder's buffer, in pushes of
// 9 bytes (no power of two): cut, and the rest skipped to the end.
shape!(
    DECODER_OPEN_BLOCK_9B_2048,
    |n| fill(b"211-a\r\n", b" x\r\n", b"", n),
    |b| decode::<2048>(b, 9)
);

// The engine fed one byte at a time with a buffer that holds the whole
// banner; and a PWD answered with a long path of doubled quotes (read
// once when the engine reads the reply, again when the event lends it).
shape!(CLIENT_BANNER_1B_131072, banner, |b| greeted::<131072>(b, 1));
shape!(
    CLIENT_PWD_DOUBLED_QUOTES_1460B_131072,
    |n| fill(b"257 \"", b"\"\"", b"\" is current\r\n", n),
    |b| engine::<131072>(|c| c.pwd(), &[b"220 hi\r\n", b], 1460, Last::Path)
);

/// Every shape, in the order above.
pub const ALL: &[Shape] = &[
    PASV_X_COMMAS,
    PASV_ONE_COMMAS,
    PASV_BIG_NUMBERS,
    PASV_FIVE_FIELDS,
    PASV_DIGITS,
    PASV_PARENS,
    PASV_LINES,
    EPSV_PIPES,
    EPSV_PARENS,
    EPSV_DIGITS,
    EPSV_OPEN_TRIPLES,
    LPSV_PARENS,
    LPSV_SPACES,
    LPSV_DIGITS,
    LPSV_LINES,
    EPRT_EMPTY_GROUPS,
    EPRT_OPEN_GROUPS,
    EPRT_NUMBERS,
    TRANSFER_PARENS,
    TRANSFER_OPEN_NUMBERS,
    TRANSFER_DIGITS,
    PWD_QUOTES,
    PWD_DOUBLED_QUOTES,
    PWD_QUOTE_WORDS,
    MDTM_DIGITS,
    MDTM_FRACTION,
    SIZE_DIGITS,
    STAT_BLOCK,
    HELP_LINES,
    HELP_WORDS,
    HELP_STARS,
    HELP_MARKS,
    HELP_LONG_WORD,
    HELP_PROSE_TAIL,
    HELP_BLANKS,
    HELP_EMPTY_LINES,
    FEAT_LINES,
    FEAT_MLST_FACTS,
    MLST_FACTS,
    MLST_SEMICOLONS,
    MLST_EQUALS,
    PROTECTED_BASE64,
    ADAT_BASE64,
    LONG_LINE,
    LONG_LINE_EVERY_CODE_VIEW,
    BLOCK_CODE_LIKE_LINES,
    BLOCK_BLANK_LINES,
    WALK_SHORT_REPLIES,
    WALK_NUL_BLOCKS,
    WALK_STREAMING_NUL_BLOCKS,
    WALK_CONFIG_NUL_BLOCKS,
    WALK_OPEN_BLOCKS,
    WALK_STREAMING_OPEN_BLOCKS,
    WALK_BAD_CODES,
    WALK_NO_LF,
    DECODER_STREAM_1B_1024,
    DECODER_STREAM_16B_1024,
    DECODER_STREAM_1B_64,
    DECODER_STREAM_16B_64,
    DECODER_BLOCK_1B_1024,
    DECODER_BLOCK_16B_1024,
    DECODER_BLOCK_1B_64,
    DECODER_BLOCK_16B_64,
    DECODER_BIG_BLOCK_1B_65536,
    DECODER_BIG_BLOCK_16B_65536,
    DECODER_SHORT_REPLIES_1B_1024,
    DECODER_NUL_BLOCKS_1B_1024,
    DECODER_LONG_LINE_1B_1024,
    DECODER_LONG_LINE_1B_65536,
    DECODER_STOP_BYTES_LINE_16B_65536,
    DECODER_STOP_BYTES_BLOCK_16B_65536,
    DECODER_LONG_LINE_1460B_131072,
    DECODER_BIG_BLOCK_1460B_131072,
    DECODER_NUL_BLOCKS_1460B_131072,
    DECODER_SHORT_REPLIES_1460B_1024,
    DECODER_BARE_LF_1460B_1024,
    DECODER_BLANK_LINES_1B_64,
    DECODER_STREAM_7B_64,
    DECODER_LIMITED_LONG_LINE_1460B_131072,
    DECODER_LIMITED_BLOCK_7B_65536,
    DECODER_MAX_LINES_BLOCK_1460B_131072,
    DECODER_ANY_CODE_LINES_16B_1024,
    CLIENT_BANNER_1B_512,
    CLIENT_BANNER_16B_131072,
    CLIENT_120_GREETINGS_16B_512,
    CLIENT_TEXT_LINES_16B_512,
    CLIENT_RUNNING_1XX_16B_512,
    CLIENT_FEAT_LINES_1460B_131072,
    TELNET_IAC_PAIRS,
    TELNET_COMMANDS,
    TELNET_CR_NUL,
    TELNET_SB_NO_SE,
    TRANSFER_QUOTED_SIZES,
    TRANSFER_QUOTES,
    TRANSFER_LAST_LINE,
    REST_WORDS,
    REST_DIGIT_WORDS,
    READY_JOINED_DIGITS,
    MARKER_NEAR_WORDS,
    PBSZ_NEAR_WORDS,
    ADAT_INSIDE_WORDS,
    MLST_LOOKUPS,
    FEAT_LOOKUPS,
    OTHER_CODE_LONG_CLOSING_LINE,
    ENCODE_HELP_WORDS,
    ENCODE_FEAT_LINES,
    ENCODE_DOUBLED_QUOTES,
    WALK_MAX_LINES_OPEN_BLOCK,
    DECODER_OPEN_BLOCK_9B_2048,
    CLIENT_BANNER_1B_131072,
    CLIENT_PWD_DOUBLED_QUOTES_1460B_131072,
];
