//! Shared helpers for the integration tests: a known-answer helper (after
//! imap-codec's `testing.rs`), the complete walk of a byte stream, a chunked
//! decoder run, and the inputs every test file parses (so `no_alloc.rs` can
//! parse them all).

#![allow(dead_code)]

use std::fmt;
use std::ops::Range;
use std::path::{Path, PathBuf};

use ftp_reply::{Decoder, ErrorKind, ParserConfig, Progress, Reply, resume_after};

/// Bytes printed as an escaped string in assert messages.
#[derive(Clone, PartialEq, Eq)]
pub struct Bytes(pub Vec<u8>);

impl fmt::Debug for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "b\"{}\"", self.0.escape_ascii())
    }
}

/// One thing a walk or a decoder yields: a reply or an error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    /// A reply: its code, its number of lines and its raw bytes.
    Reply {
        code: u16,
        line_count: usize,
        raw: Bytes,
    },
    /// An error: its kind, its absolute offset in the stream, where the
    /// item it stands for ends, and the code it carries.
    Error {
        kind: ErrorKind,
        offset: usize,
        end: usize,
        code: Option<u16>,
    },
    /// A reply longer than the decoder's buffer: its code and the bytes
    /// it holds (the head of its first line, see [`truncated_head`]).
    Truncated { code: u16, head: Bytes },
}

/// What a decoder with room for `limit` bytes holds of a reply `raw` longer
/// than that (`Reply::is_truncated`'s doc): its first line when that fits
/// in half the buffer, else the first `limit / 2` bytes of it, the last
/// made a LF.
pub fn truncated_head(raw: &[u8], limit: usize) -> Bytes {
    let first = raw
        .iter()
        .position(|&b| b == b'\n')
        .map_or(raw.len(), |i| i + 1);
    let mut head = raw[..first.min(limit / 2)].to_vec();
    if head.len() < first
        && let Some(last) = head.last_mut()
    {
        *last = b'\n';
    }
    Bytes(head)
}

impl Item {
    pub fn reply(r: &Reply<'_>) -> Item {
        if r.is_truncated() {
            return Item::Truncated {
                code: r.code().get(),
                head: Bytes(r.as_bytes().to_vec()),
            };
        }
        Item::Reply {
            code: r.code().get(),
            line_count: r.line_count(),
            raw: Bytes(r.as_bytes().to_vec()),
        }
    }

    pub fn error(kind: ErrorKind, offset: usize, end: usize, code: Option<u16>) -> Item {
        Item::Error {
            kind,
            offset,
            end,
            code,
        }
    }

    /// An error with absolute offsets (`e` is already absolute).
    pub fn of(e: &ftp_reply::Error) -> Item {
        Item::error(e.kind(), e.offset(), e.end(), e.code().map(|c| c.get()))
    }
}

/// The complete walk of `input` with the default config: `parse_complete`,
/// then on an error `resume_after`, with absolute offsets.
pub fn walk(input: &[u8]) -> Vec<Item> {
    walk_with(&ParserConfig::new(), input)
}

/// [`walk`] with `config`.
pub fn walk_with(config: &ParserConfig, input: &[u8]) -> Vec<Item> {
    walk_spans(config, input)
        .into_iter()
        .map(|(_, item)| item)
        .collect()
}

/// [`walk_with`], each item with the byte range of the stream it covers
/// (a reply: its raw bytes; an error: from where parsing started to where
/// the walk resumed). Panics if the walk takes more than `input.len() + 1`
/// steps or makes no progress.
pub fn walk_spans(config: &ParserConfig, input: &[u8]) -> Vec<(Range<usize>, Item)> {
    let mut out = Vec::new();
    let mut pos = 0usize;
    let mut steps = 0usize;
    while pos < input.len() {
        steps += 1;
        assert!(
            steps <= input.len() + 1,
            "walk took more than {} steps on {:?}",
            input.len() + 1,
            Bytes(input.to_vec())
        );
        let rest = &input[pos..];
        match config.parse_complete(rest) {
            Ok((after, reply)) => {
                let end = input.len() - after.len();
                assert!(end > pos, "a reply consumed nothing at {pos}");
                assert_eq!(
                    reply.as_bytes(),
                    &input[pos..end],
                    "raw bytes are not what was consumed"
                );
                out.push((pos..end, Item::reply(&reply)));
                pos = end;
            }
            Err(e) => {
                assert!(
                    e.offset() <= rest.len(),
                    "error offset {} past the input",
                    e.offset()
                );
                let skip = resume_after(rest, &e);
                assert!(skip > 0, "resume_after made no progress at {pos}");
                assert_eq!(
                    skip,
                    e.end().min(rest.len()),
                    "resume_after is the error's end"
                );
                out.push((pos..pos + skip, Item::of(&e.shifted(pos))));
                pos += skip;
            }
        }
    }
    out
}

/// Feeds `stream` to `dec` in chunks of the sizes `chunks` yields (cycled;
/// sizes of 0 are taken as 1), draining after every push, then calls
/// `finish`. Panics when the decoder stops making progress.
pub fn decode<const N: usize>(dec: &mut Decoder<N>, stream: &[u8], chunks: &[usize]) -> Vec<Item> {
    decode_lazily(dec, stream, chunks, &[true])
}

/// [`decode`], but after a push that took its whole chunk the decoder is
/// drained only when `drains` (cycled) says so: bytes arrive while a line
/// already waits to be read, as from a caller that pushes several reads
/// before it looks. (A push that took less is always followed by a drain.)
pub fn decode_lazily<const N: usize>(
    dec: &mut Decoder<N>,
    stream: &[u8],
    chunks: &[usize],
    drains: &[bool],
) -> Vec<Item> {
    decode_every_way(dec, stream, chunks, drains, &[false])
}

/// [`decode_lazily`], each chunk going in by `push` or, where `fills`
/// (cycled) says so, by `fill` (as a reader's `read` writes into the
/// buffer: as much of the chunk as there is room for).
pub fn decode_every_way<const N: usize>(
    dec: &mut Decoder<N>,
    stream: &[u8],
    chunks: &[usize],
    drains: &[bool],
    fills: &[bool],
) -> Vec<Item> {
    let mut out = Vec::new();
    let mut pos = 0usize;
    let mut i = 0usize;
    // `next` has said `None` since the last push: the next push or fill
    // takes at least one byte (the decoder's promise). This is also the
    // progress guard: a decoder that stops taking bytes fails here.
    let mut drained = false;
    while pos < stream.len() {
        let size = chunks.get(i % chunks.len().max(1)).copied().unwrap_or(1);
        let lazy = !drains.get(i % drains.len().max(1)).copied().unwrap_or(true);
        let fill = fills.get(i % fills.len().max(1)).copied().unwrap_or(false);
        i += 1;
        let end = (pos + size.max(1)).min(stream.len());
        let mut chunk = &stream[pos..end];
        while !chunk.is_empty() {
            let n = if fill {
                let read = |buf: &mut [u8]| {
                    let k = buf.len().min(chunk.len());
                    buf[..k].copy_from_slice(&chunk[..k]);
                    Ok::<usize, ()>(k)
                };
                dec.fill(read).unwrap_or_default()
            } else {
                dec.push(chunk)
            };
            assert!(
                n > 0 || !drained,
                "no room after next() said None, at stream offset {pos}"
            );
            drained = false;
            chunk = &chunk[n..];
            pos += n;
            if lazy && chunk.is_empty() {
                break;
            }
            // A push that took nothing after a lazy step (the buffer full,
            // `next` not called yet) is fine: this drain makes room.
            drain(dec, &mut out);
            drained = true;
        }
    }
    drain(dec, &mut out);
    if let Some(e) = dec.finish() {
        out.push(Item::of(&e));
    }
    assert!(dec.is_empty(), "finish left bytes in the decoder");
    out
}

/// Takes every reply and error the decoder has ready.
pub fn drain<const N: usize>(dec: &mut Decoder<N>, out: &mut Vec<Item>) {
    let mut guard = 0usize;
    while let Some(r) = dec.next() {
        guard += 1;
        assert!(guard <= N + 2, "next() never returned None");
        out.push(match r {
            Ok(reply) => {
                iterators_keep_their_contracts(&reply);
                Item::reply(&reply)
            }
            Err(e) => Item::of(&e),
        });
    }
}

/// The contracts of the views' iterators, on any reply (a cut one and
/// the empty one a stale `ReplyReady` gives included): `Lines` is exact
/// (`len` is what is left at every step, then 0) and every iterator is
/// fused (once `None`, always `None`). The bounds make the two traits part
/// of the check: a dropped `impl` fails to build.
pub fn iterators_keep_their_contracts(reply: &Reply<'_>) {
    exact(reply.lines());
    exact(reply.middle_lines());
    if let Some(help) = reply.help() {
        fused(help.commands());
    }
    if let Some(features) = reply.features() {
        fused(features.iter());
        fused(features.mlst_facts());
    }
    if let Ok(path) = reply.pathname() {
        fused(path.pieces());
        fused(path.bytes());
    }
    if let Ok(entry) = reply.mlst_entry() {
        fused(entry.facts());
    }
    if let Ok(ftp_reply::payload::Payload::NetworkProtocols(Some(list))) = reply.payload() {
        fused(list.iter());
    }
}

#[track_caller]
fn exact<I: ExactSizeIterator + std::iter::FusedIterator>(mut it: I) {
    loop {
        let left = it.len();
        assert_eq!(it.size_hint(), (left, Some(left)));
        match it.next() {
            Some(_) => assert!(left > 0, "an item after len() said 0"),
            None => {
                assert_eq!(left, 0, "None while len() said {left}");
                break;
            }
        }
    }
    fused(it);
}

#[track_caller]
fn fused<I: std::iter::FusedIterator>(mut it: I) {
    let mut guard = 0usize;
    while it.next().is_some() {
        guard += 1;
        assert!(guard < 1 << 20, "an iterator that does not end");
    }
    for _ in 0..3 {
        assert!(it.next().is_none(), "an item after None");
    }
}

/// Known-answer test of one reply: parses `input` with `config` both ways
/// and checks the rest, the code, the line count, the text of every line,
/// `text()` and `as_bytes()`. `case` goes into every assert message.
#[track_caller]
pub fn kat_with<'a>(
    config: &ParserConfig,
    case: &str,
    input: &'a [u8],
    rest: &[u8],
    code: u16,
    lines: &[&[u8]],
) -> Reply<'a> {
    let (got_rest, reply) = match config.parse_complete(input) {
        Ok(done) => done,
        Err(e) => panic!(
            "{case}: parse_complete failed: {e} on {:?}",
            Bytes(input.to_vec())
        ),
    };
    assert_eq!(
        Bytes(got_rest.to_vec()),
        Bytes(rest.to_vec()),
        "{case}: rest"
    );
    assert_eq!(reply.code().get(), code, "{case}: code");
    assert_eq!(reply.line_count(), lines.len(), "{case}: line_count");
    assert_eq!(
        reply.is_multiline(),
        lines.len() > 1,
        "{case}: is_multiline"
    );
    let got: Vec<Bytes> = reply.lines().map(|l| Bytes(l.to_vec())).collect();
    let want: Vec<Bytes> = lines.iter().map(|l| Bytes(l.to_vec())).collect();
    assert_eq!(got, want, "{case}: lines");
    assert_eq!(
        reply.lines().size_hint(),
        (lines.len(), Some(lines.len())),
        "{case}: size_hint"
    );
    // The main line: the first, or the closing line when a line with
    // another code closed the block (lenient mode).
    let other_close = lines.len() > 1 && input[..3] != *code.to_string().as_bytes();
    let main = if other_close {
        lines[lines.len() - 1]
    } else {
        lines[0]
    };
    assert_eq!(
        reply.closed_by_other_code(),
        other_close,
        "{case}: closed_by_other_code"
    );
    assert_eq!(
        Bytes(reply.text().to_vec()),
        Bytes(main.to_vec()),
        "{case}: text"
    );
    assert_eq!(
        reply.as_bytes(),
        &input[..input.len() - rest.len()],
        "{case}: as_bytes"
    );
    match config.parse_streaming(input) {
        Ok(Progress::Complete((r, s))) => {
            assert_eq!(r, got_rest, "{case}: streaming rest");
            assert_eq!(s, reply, "{case}: streaming reply");
        }
        other => panic!("{case}: parse_streaming gave {other:?}"),
    }
    reply
}

/// [`kat_with`] with the default config.
#[track_caller]
pub fn kat<'a>(case: &str, input: &'a [u8], rest: &[u8], code: u16, lines: &[&[u8]]) -> Reply<'a> {
    kat_with(&ParserConfig::new(), case, input, rest, code, lines)
}

/// Every strict prefix of `input` (which holds one whole reply) is
/// `Partial` under `parse_streaming`, and the whole is `Complete`.
#[track_caller]
pub fn assert_prefixes_partial(config: &ParserConfig, case: &str, input: &[u8]) {
    for end in 0..input.len() {
        let got = config.parse_streaming(&input[..end]);
        assert_eq!(
            got,
            Ok(Progress::Partial),
            "{case}: prefix of {end} bytes {:?}",
            Bytes(input[..end].to_vec())
        );
    }
    match config.parse_streaming(input) {
        Ok(Progress::Complete((rest, _))) => assert!(rest.is_empty(), "{case}: rest not empty"),
        other => panic!("{case}: whole input gave {other:?}"),
    }
}

// ---------------------------------------------------------------------------
// Inputs shared by the test files.
// ---------------------------------------------------------------------------

/// RFC 959 section 4.2: the multi-line example.
pub const RFC959_FOUR_LINES: &[u8] = b"123-First line\r\nSecond line\r\n  234 A line beginning with numbers\r\n123 The last line\r\n";

/// RFC 959 section 4.2.2: one reply per code, with the RFC's own text.
pub const RFC959_4_2_2: &[(u16, &[u8])] = &[
    (110, b"110 MARK yyyy = mmmm\r\n"),
    (120, b"120 Service ready in nnn minutes.\r\n"),
    (125, b"125 Data connection already open; transfer starting.\r\n"),
    (150, b"150 File status okay; about to open data connection.\r\n"),
    (200, b"200 Command okay.\r\n"),
    (500, b"500 Syntax error, command unrecognized.\r\n"),
    (501, b"501 Syntax error in parameters or arguments.\r\n"),
    (202, b"202 Command not implemented, superfluous at this site.\r\n"),
    (502, b"502 Command not implemented.\r\n"),
    (503, b"503 Bad sequence of commands.\r\n"),
    (504, b"504 Command not implemented for that parameter.\r\n"),
    (211, b"211 System status, or system help reply.\r\n"),
    (212, b"212 Directory status.\r\n"),
    (213, b"213 File status.\r\n"),
    (214, b"214 Help message.\r\n"),
    (215, b"215 NAME system type.\r\n"),
    (220, b"220 Service ready for new user.\r\n"),
    (221, b"221 Service closing control connection.\r\n"),
    (421, b"421 Service not available, closing control connection.\r\n"),
    (225, b"225 Data connection open; no transfer in progress.\r\n"),
    (425, b"425 Can't open data connection.\r\n"),
    (226, b"226 Closing data connection.\r\n"),
    (426, b"426 Connection closed; transfer aborted.\r\n"),
    (227, b"227 Entering Passive Mode (h1,h2,h3,h4,p1,p2).\r\n"),
    (230, b"230 User logged in, proceed.\r\n"),
    (530, b"530 Not logged in.\r\n"),
    (332, b"332 Need account for login.\r\n"),
    (532, b"532 Need account for storing files.\r\n"),
    (250, b"250 Requested file action okay, completed.\r\n"),
    (257, b"257 \"PATHNAME\" created.\r\n"),
    (331, b"331 User name okay, need password.\r\n"),
    (350, b"350 Requested file action pending further information.\r\n"),
    (450, b"450 Requested file action not taken.\r\n"),
    (550, b"550 Requested action not taken. File unavailable (e.g., file not found, no access).\r\n"),
    (451, b"451 Requested action aborted: local error in processing.\r\n"),
    (551, b"551 Requested action aborted: page type unknown.\r\n"),
    (452, b"452 Requested action not taken. Insufficient storage space in system.\r\n"),
    (552, b"552 Requested file action aborted. Exceeded storage allocation (for current directory or dataset).\r\n"),
    (553, b"553 Requested action not taken. File name not allowed.\r\n"),
];

/// RFC 959 section 7, the typical scenario: the server's side.
pub const RFC959_SCENARIO: &[u8] = b"220 Service ready\r\n\
331 User name ok, need password\r\n\
230 User logged in\r\n\
150 File status okay; about to open data connection\r\n\
226 Closing data connection, file transfer successful\r\n\
200 Command OK\r\n\
550 Access denied\r\n";

/// vsftpd's answer to HELP.
pub const VSFTPD_HELP: &[u8] = b"214-The following commands are recognized.\r\n ABOR ACCT ALLO APPE CDUP CWD  DELE EPRT EPSV FEAT HELP LIST MDTM MKD\r\n MODE NLST NOOP OPTS PASS PASV PORT PWD  QUIT REIN REST RETR RMD  RNFR\r\n RNTO SITE SIZE SMNT STAT STOR STOU STRU SYST TYPE USER XCUP XCWD XMKD\r\n XPWD XRMD\r\n214 Help OK.\r\n";

/// ProFTPD's answer to HELP, in its `214-`-prefixed form (older releases
/// and `MultilineRFC2228 on`).
pub const PROFTPD_HELP: &[u8] =
    b"214-The following commands are recognized (* =>'s unimplemented):\r\n\
214-CWD     XCWD    CDUP    XCUP    SMNT*   QUIT    PORT    PASV    \r\n\
214-EPRT    EPSV    ALLO*   RNFR    RNTO    DELE    MDTM    RMD     \r\n\
214-XRMD    MKD     XMKD    PWD     XPWD    SIZE    SYST    HELP    \r\n\
214-NOOP    FEAT    OPTS    AUTH    CCC*    CONF*   ENC*    MIC*    \r\n\
214-PBSZ    PROT    TYPE    STRU    MODE    RETR    STOR    STOU    \r\n\
214-APPE    REST    ABOR    USER    PASS    ACCT*   REIN*   LIST    \r\n\
214-NLST    STAT    SITE    MLSD    MLST    \r\n\
214 Direct comments to root@localhost\r\n";

/// pure-ftpd's answer to `SITE HELP`.
pub const PUREFTPD_SITE_HELP: &[u8] = b"214-The following SITE commands are recognized\r\n ALIAS\r\n CHMOD\r\n IDLE\r\n UTIME\r\n214 Pure-FTPd - http://pureftpd.org/\r\n";

/// Real 227 lines: (server, line, ip, port).
pub const REAL_PASV: &[(&str, &[u8], [u8; 4], u16)] = &[
    (
        "vsftpd",
        b"227 Entering Passive Mode (127,0,0,1,39,5).\r\n",
        [127, 0, 0, 1],
        39 * 256 + 5,
    ),
    (
        "proftpd",
        b"227 Entering Passive Mode (127,0,0,1,156,64).\r\n",
        [127, 0, 0, 1],
        156 * 256 + 64,
    ),
    (
        "pure-ftpd",
        b"227 Entering Passive Mode (127,0,0,1,117,52)\r\n",
        [127, 0, 0, 1],
        117 * 256 + 52,
    ),
    (
        "pyftpdlib",
        b"227 Entering passive mode (127,0,0,1,156,131).\r\n",
        [127, 0, 0, 1],
        156 * 256 + 131,
    ),
    (
        "IIS",
        b"227 Entering Passive Mode (10,0,0,1,195,80).\r\n",
        [10, 0, 0, 1],
        195 * 256 + 80,
    ),
    (
        "busybox-ftpd",
        b"227 PASV ok (127,0,0,1,138,23)\r\n",
        [127, 0, 0, 1],
        138 * 256 + 23,
    ),
    // A block, the address on its closing line.
    (
        "aioftp",
        b"227-listen socket created\r\n227 (127,0,0,1,156,204)\r\n",
        [127, 0, 0, 1],
        156 * 256 + 204,
    ),
];

/// 227 replies that parse: (reply, ip, port).
pub const PASSIVE_OK: &[(&[u8], [u8; 4], u16)] = &[
    // 0: parentheses, the RFC 959 form
    (
        b"227 Entering Passive Mode (192,168,1,2,19,137)\r\n",
        [192, 168, 1, 2],
        19 * 256 + 137,
    ),
    // 1: no parentheses
    (
        b"227 Entering Passive Mode 192,168,1,2,19,137\r\n",
        [192, 168, 1, 2],
        5001,
    ),
    // 2: `=` before the tuple
    (
        b"227 Entering Passive Mode=192,168,1,2,19,137\r\n",
        [192, 168, 1, 2],
        5001,
    ),
    // 3: `= (` before, period after
    (b"227 Passive=(10,1,2,3,4,5).\r\n", [10, 1, 2, 3], 1029),
    // 4: trailing period without parentheses
    (
        b"227 Entering Passive Mode 10,1,2,3,4,5.\r\n",
        [10, 1, 2, 3],
        1029,
    ),
    // 5: other words before
    (
        b"227 OK, here you go: 172,16,0,9,200,1 is waiting\r\n",
        [172, 16, 0, 9],
        51201,
    ),
    // 6: leading zeros
    (
        b"227 Entering Passive Mode (010,000,000,001,004,001)\r\n",
        [10, 0, 0, 1],
        1025,
    ),
    // 7: spaces after commas
    (
        b"227 Entering Passive Mode (127, 0, 0, 1, 4, 1)\r\n",
        [127, 0, 0, 1],
        1025,
    ),
    // 8: the tuple on the last line of a block, a year on the first
    (
        b"227-Welcome, it is 2024\r\n227 Entering Passive Mode (10,0,0,7,8,9)\r\n",
        [10, 0, 0, 7],
        2057,
    ),
    // 9: the tuple on a middle line of a block
    (
        b"227-Entering Passive Mode\r\n (10,0,0,7,8,9)\r\n227 OK\r\n",
        [10, 0, 0, 7],
        2057,
    ),
    // 10: all zeros parse (what to do with it is the caller's business)
    (
        b"227 Entering Passive Mode (0,0,0,0,0,0)\r\n",
        [0, 0, 0, 0],
        0,
    ),
    // 11: the largest values
    (
        b"227 Entering Passive Mode (255,255,255,255,255,255)\r\n",
        [255, 255, 255, 255],
        65535,
    ),
    // 12: bare LF line end
    (
        b"227 Entering Passive Mode (1,2,3,4,5,6)\n",
        [1, 2, 3, 4],
        1286,
    ),
    // 13: no text before the tuple
    (b"227 1,2,3,4,5,6\r\n", [1, 2, 3, 4], 1286),
    // 14: space before a comma
    (
        b"227 Entering Passive Mode (1 ,2 ,3 ,4 ,5 ,6)\r\n",
        [1, 2, 3, 4],
        1286,
    ),
    // 15 to 17: punctuation that is no field byte right next to the
    // tuple: `:` (one past the digits in ASCII), `[` and `{` (one past
    // the letters, once folded to lower case), `]` and `}`
    (
        b"227 Entering Passive Mode:10,1,2,3,4,5\r\n",
        [10, 1, 2, 3],
        1029,
    ),
    (
        b"227 Entering Passive Mode [10,1,2,3,4,5]\r\n",
        [10, 1, 2, 3],
        1029,
    ),
    (
        b"227 Entering Passive Mode {10,1,2,3,4,5}\r\n",
        [10, 1, 2, 3],
        1029,
    ),
];

/// 227 replies that do not parse: (reply, why, offset into the reply).
pub const PASSIVE_ERR: &[(&[u8], ftp_reply::PayloadError, usize)] = {
    use ftp_reply::PayloadError::*;
    &[
        // 0: five numbers: stops at the `)` (offset 36)
        (
            b"227 Entering Passive Mode (1,2,3,4,5)\r\n",
            WrongFieldCount(5),
            36,
        ),
        // 1: seven numbers: stops at the `)`
        (
            b"227 Entering Passive Mode (1,2,3,4,5,6,7)\r\n",
            WrongFieldCount(7),
            40,
        ),
        // 2: 256 in the first field
        (
            b"227 Entering Passive Mode (256,0,0,1,4,1)\r\n",
            FieldTooLarge,
            27,
        ),
        // 3: 1000 in the port
        (
            b"227 Entering Passive Mode (127,0,0,1,1000,1)\r\n",
            FieldTooLarge,
            37,
        ),
        // 4: twenty digits
        (
            b"227 Entering Passive Mode (127,0,0,1,4,99999999999999999999)\r\n",
            FieldTooLarge,
            39,
        ),
        // 5: empty field in the middle
        (
            b"227 Entering Passive Mode (127,,0,1,4,1)\r\n",
            EmptyField,
            31,
        ),
        // 6: empty first field
        (
            b"227 Entering Passive Mode (,0,0,1,4,1)\r\n",
            EmptyField,
            27,
        ),
        // 7: negative first field
        (
            b"227 Entering Passive Mode (-1,0,0,1,4,1)\r\n",
            NegativeField,
            27,
        ),
        // 8: negative port field
        (
            b"227 Entering Passive Mode (127,0,0,1,-4,1)\r\n",
            NegativeField,
            37,
        ),
        // 9: hexadecimal
        (
            b"227 Entering Passive Mode (0x7f,0,0,1,4,1)\r\n",
            NonDecimalField,
            27,
        ),
        // 10: digits then a letter
        (
            b"227 Entering Passive Mode (127,0,0,1,12a,1)\r\n",
            NonDecimalField,
            37,
        ),
        // 11: cut short after five numbers, no `)`
        (
            b"227 Entering Passive Mode (127,0,0,1,4\r\n",
            TruncatedTuple,
            38,
        ),
        // 12: cut short after a comma
        (
            b"227 Entering Passive Mode 127,0,0,\r\n",
            TruncatedTuple,
            34,
        ),
        // 13: no number at all
        (b"227 Entering Passive Mode\r\n", Missing, 4),
        // 14: RFC 959's own placeholder text
        (
            b"227 Entering Passive Mode (h1,h2,h3,h4,p1,p2).\r\n",
            NonDecimalField,
            27,
        ),
        // 15: a lone number and no comma anywhere
        (b"227 Entering Passive Mode 5\r\n", WrongFieldCount(1), 27),
        // 16: a plus sign
        (
            b"227 Entering Passive Mode (+1,0,0,1,4,1)\r\n",
            NonDecimalField,
            27,
        ),
        // 17: five numbers with no `(`, the text ending after the fifth:
        // a count, not a cut (the `PayloadError` docs)
        (b"227 =1,2,3,4,5\r\n", WrongFieldCount(5), 14),
    ]
};

/// Framing errors: (input, kind, offset), for `parse_complete`.
pub const FRAMING_ERRORS: &[(&[u8], ErrorKind, usize)] = &[
    (b"hello\r\n", ErrorKind::InvalidCode, 0),
    (b"2x0 ok\r\n", ErrorKind::InvalidCode, 1),
    (b"20x ok\r\n", ErrorKind::InvalidCode, 2),
    (b"700 x\r\n", ErrorKind::InvalidCode, 0),
    (b"099 x\r\n", ErrorKind::InvalidCode, 0),
    (b"000 x\r\n", ErrorKind::InvalidCode, 0),
    (b" 220 x\r\n", ErrorKind::InvalidCode, 0),
    (b"\r\n", ErrorKind::InvalidCode, 0),
    (b"22\r\n", ErrorKind::InvalidCode, 2),
    (b"220Welcome\r\n", ErrorKind::MissingSeparator, 3),
    (b"220\tWelcome\r\n", ErrorKind::MissingSeparator, 3),
    (b"2200 x\r\n", ErrorKind::MissingSeparator, 3),
    (b"220\rx\r\n", ErrorKind::MissingSeparator, 3),
    (b"220 a\0b\r\n", ErrorKind::NulByte, 5),
    (b"220\0\r\n", ErrorKind::MissingSeparator, 3),
    (b"220 \0\r\n", ErrorKind::NulByte, 4),
    (
        b"211-first\r\n mid\0dle\r\n211 End\r\n",
        ErrorKind::NulByte,
        15,
    ),
    (
        b"211-first\r\n middle\r\n211 E\0nd\r\n",
        ErrorKind::NulByte,
        25,
    ),
    (b"220 ready", ErrorKind::UnterminatedLine, 9),
    (b"220 ready\r", ErrorKind::UnterminatedLine, 10),
    (b"2", ErrorKind::UnterminatedLine, 1),
    (b"22", ErrorKind::UnterminatedLine, 2),
    (b"220-", ErrorKind::UnterminatedLine, 4),
    (b"211-a\r\n", ErrorKind::UnterminatedBlock, 7),
    (
        b"211-a\r\n b\r\n 211 c\r\n",
        ErrorKind::UnterminatedBlock,
        19,
    ),
    (b"211-a\r\n b\r\n211 En", ErrorKind::UnterminatedBlock, 17),
    (
        b"211-a\r\n212 other code\r\n",
        ErrorKind::UnterminatedBlock,
        23,
    ),
];

/// A block of `n` lines: `214-` first, then `n - 2` middle lines each
/// starting with digits, then `214 End`.
pub fn block_of(n: usize) -> Vec<u8> {
    assert!(n >= 2);
    let mut v = b"214-start\r\n".to_vec();
    for i in 1..n - 1 {
        v.extend_from_slice(format!("{i:04} middle line\r\n").as_bytes());
    }
    v.extend_from_slice(b"214 End\r\n");
    v
}

/// A single-line reply whose line holds `len` bytes of text.
pub fn long_line(len: usize) -> Vec<u8> {
    let mut v = b"250 ".to_vec();
    v.extend((0..len).map(|i| b'a' + (i % 26) as u8));
    v.extend_from_slice(b"\r\n");
    v
}

/// The recorded transcripts: every `tests/data/**/*.raw`, sorted.
pub fn data_files() -> Vec<(PathBuf, Vec<u8>)> {
    fn visit(dir: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                visit(&path, out);
            } else if path.extension().is_some_and(|e| e == "raw")
                && let Ok(bytes) = std::fs::read(&path)
            {
                out.push((path, bytes));
            }
        }
    }
    let mut out = Vec::new();
    visit(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data"),
        &mut out,
    );
    out.sort();
    out
}

/// One section of `tests/data/published/replies.txt`, the replies of real
/// servers copied from published transcripts (`tests/published.rs` gives
/// the format): what it shows, the command its replies answer, its reply
/// lines with CRLF, and the dump's JSON line for each reply.
pub struct Published {
    pub what: String,
    pub command: Option<String>,
    pub input: Vec<u8>,
    pub expected: Vec<String>,
}

/// Every section of `tests/data/published/replies.txt`, in order.
pub fn published() -> Vec<Published> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/published/replies.txt");
    let text = std::fs::read_to_string(path).expect("replies.txt");
    let mut out: Vec<Published> = Vec::new();
    for line in text.lines() {
        if let Some(what) = line.strip_prefix("## ") {
            out.push(Published {
                what: what.to_owned(),
                command: None,
                input: Vec::new(),
                expected: Vec::new(),
            });
            continue;
        }
        let Some(s) = out.last_mut() else { continue };
        if let Some(cmd) = line.strip_prefix("> ") {
            s.command = (cmd != "-").then(|| cmd.to_owned());
        } else if let Some(reply) = line.strip_prefix("| ") {
            s.input.extend_from_slice(reply.as_bytes());
            s.input.extend_from_slice(b"\r\n");
        } else if let Some(json) = line.strip_prefix("= ") {
            s.expected.push(json.to_owned());
        }
    }
    out
}

/// Every input the test files parse, with a name: the tables above, the
/// generated big inputs, the recorded transcripts and the published
/// replies.
pub fn corpus() -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    let mut add = |name: String, bytes: &[u8]| out.push((name, bytes.to_vec()));
    add("rfc959 4.2".into(), RFC959_FOUR_LINES);
    add("rfc959 scenario".into(), RFC959_SCENARIO);
    for (i, (_, line)) in RFC959_4_2_2.iter().enumerate() {
        add(format!("rfc959 4.2.2 #{i}"), line);
    }
    add("vsftpd help".into(), VSFTPD_HELP);
    add("proftpd help".into(), PROFTPD_HELP);
    add("pure-ftpd site help".into(), PUREFTPD_SITE_HELP);
    for (i, (_, line, _, _)) in REAL_PASV.iter().enumerate() {
        add(format!("real pasv #{i}"), line);
    }
    for (i, (line, _, _)) in PASSIVE_OK.iter().enumerate() {
        add(format!("passive ok #{i}"), line);
    }
    for (i, (line, _, _)) in PASSIVE_ERR.iter().enumerate() {
        add(format!("passive err #{i}"), line);
    }
    for (i, (line, _, _)) in FRAMING_ERRORS.iter().enumerate() {
        add(format!("framing error #{i}"), line);
    }
    for (i, line) in MISC.iter().enumerate() {
        add(format!("misc #{i}"), line);
    }
    add("block of 1000".into(), &block_of(1000));
    add("line of 20000".into(), &long_line(20_000));
    for (path, bytes) in data_files() {
        add(path.display().to_string(), &bytes);
    }
    for p in published() {
        add(format!("published: {}", p.what), &p.input);
    }
    out
}

/// Other inputs used by the test files.
pub const MISC: &[&[u8]] = &[
    b"226\r\n",
    b"226\n",
    b"220 bare lf\n",
    b"211-mixed\n middle\r\n211 End\n",
    b"220 Bienvenue \xe0 Paris, \xe9t\xe9\r\n",
    b"211-Features:\r\n211-MDTM\r\n211-SIZE\r\n211 End\r\n",
    b"214-help\r\n 200 inside\r\n214 end\r\n",
    b"553-Could not create\r\n150 File status okay\r\n",
    b"hello\r\nworld\r\n220 ok\r\n",
    b"631 ZWRrZXktZm9vYmFy\r\n",
    b"214 Syntax: RETR <sp> file-name\r\n",
];
