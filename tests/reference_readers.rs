//! An independent reference model of the byte-source readers' documented
//! behaviour (`Decoder::read_with`, `read_from`, `read_from_async`,
//! `read_from_std`, over `Decoder::fill`) and of `Command::write_io`,
//! differential-tested against the crate.
//!
//! The model was written from the documentation alone (the `//!` docs of
//! `src/io.rs`, the `///` docs of the readers, `ReadError`, `WriteError`,
//! `write_io`, `Decoder::fill`/`poll`/`reply`/`finish`/`with_limit`, and
//! README's "In firmware: the decoder" and feature table), before the
//! readers' code was read (but for a few lines of `read_with` and the body
//! of `fill`, which a search showed first: the model's guess for a count
//! past the buffer, clamped, is `fill`'s). It is deliberately naive: the decoder is a
//! `Vec` of every byte read and the start of the item not handed out; a
//! call takes the item there when the framing model
//! (`tests/common/framing_model.rs`) says it is whole, hands `on_error`
//! every error (skipped: go on; not: `Parse`), reads only when no item is
//! whole, and at the end of the stream (`Ok(0)`) gives `Eof` when nothing
//! is held, else the error `parse_complete` would give for what is held,
//! through `on_error` (skipped: `Eof`, not: `Parse`). A reply longer than
//! the capacity (`N`, or `with_limit`'s) comes out with its code and
//! `is_truncated`, holding its first line cut to at most half the
//! capacity. A failed read is `Io` and the decoder keeps what it holds, so
//! the next call goes on; the typed readers (`read_from_std`,
//! `read_from`, `read_from_async`) read again after an `Interrupted` read
//! ("`Interrupted` reads are made again"), `read_with` returns it. A
//! source that says it read more than it was given is taken at the size
//! of its buffer (`fill`: "a count past it is taken as the whole slice").
//!
//! The environment is scripted and the same for both: a stream of real
//! replies (`tests/data/*/session.raw`), generated lines and blocks (bad
//! codes, NULs, missing separators, unclosed blocks, a cut last line),
//! split at generated boundaries, with injected read errors
//! (`Interrupted`, `WouldBlock`, `TimedOut`, `Other`), mid-stream ends
//! (`Ok(0)` then more bytes) and lies (`Ok(n)` with `n` past the buffer,
//! the buffer filled), and an `on_error` that skips or not by a generated
//! pattern. The model reads with the sizes the crate offered (checked:
//! at least 1, at most the capacity, or 64 for the async reader).
//!
//! What is compared, call by call: the result (reply code, bytes and
//! truncated flag; error kind, offset and end; `Io`'s kind; `Eof`), the
//! errors `on_error` saw, and every read made (what it returned).
//! `write_io` is compared with the line the docs describe on writers that
//! take a few bytes at a time, fail, are `Interrupted`, or take nothing.
//!
//! Divergences, each pinned in a `dN_` test, the doc sentence quoted
//! there. No reply, error, offset, `Eof` or `on_error` call differed from
//! the docs' model, for any reader, any chunking, `N` of 24 or 512, any
//! limit, read errors anywhere; the four were where the docs were silent,
//! and session 58 wrote each down (and fixed D1 and D4):
//! D1 (a bug, fixed) a source's `Ok(n)` past its buffer was taken as the
//! whole buffer by `fill` and so by `read_with`, `read_from` and
//! `read_from_std`, but the async reader dropped that read whole (the
//! bytes the source did write were lost, silently); none panics or loops;
//! D2 (now written) the async reader offers at most 64 bytes a read, the
//! others the decoder's whole free room;
//! D3 (now written) `fill` returns the count it kept (`read`'s, capped at
//! the slice); D4 (fixed) only `read_from_std` read again after
//! `Interrupted`; `read_from` and `read_from_async` returned it as `Io`,
//! where `write_io` and `client::Session` make it again: now every typed
//! reader makes it again, and `read_with` (which cannot tell it apart)
//! returns it, the next call reading on.
//! `write_io` agrees with its docs (a lying writer makes no panic and no
//! endless loop: `write_io_to_a_lying_writer`).
//!
//! Cases: [`DEFAULT_CASES`] scripts per reader through `Decoder<512>` (some
//! with `with_limit`), [`SMALL_N_CASES`] through `Decoder<24>`,
//! [`WRITE_CASES`] `write_io` scripts (override with `PROPTEST_CASES`),
//! fixed seeds (override with `PROPTEST_RNG_SEED`), no regression file;
//! `the_generator_reaches_every_case` runs [`COVERAGE_SCRIPTS`] scripts of
//! each kind and checks that every case the model tells apart was met.
//! About 5 s in a debug build.

#![cfg(all(
    feature = "std",
    feature = "embedded-io",
    feature = "embedded-io-async"
))]

use std::collections::VecDeque;
use std::future::Future;
use std::pin::{Pin, pin};
use std::task::{Context, Poll, Waker};

use ftp_reply::{Command, Decoder, ErrorKind as FErrorKind, PayloadError, ReadError, WriteError};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

#[path = "common/framing_model.rs"]
mod framing_model;
#[macro_use]
#[path = "common/reference.rs"]
mod reference;
#[path = "common/stream_gen.rs"]
mod stream_gen;

use framing_model::*;
use stream_gen::*;

/// Scripts per reader and property when `PROPTEST_CASES` is not set.
const DEFAULT_CASES: u32 = 2_000;

/// Scripts through a 24-byte decoder when `PROPTEST_CASES` is not set.
const SMALL_N_CASES: u32 = 1_500;

/// `write_io` scripts when `PROPTEST_CASES` is not set.
const WRITE_CASES: u32 = 5_000;

/// The async reader's chunk (`ASYNC_CHUNK`, private: D2).
const ASYNC_CHUNK: usize = 64;

thread_local! {
    /// How often each case the model tells apart was met on this thread
    /// (`the_generator_reaches_every_case`).
    static SEEN: std::cell::RefCell<std::collections::BTreeMap<&'static str, usize>> =
        const { std::cell::RefCell::new(std::collections::BTreeMap::new()) };
}

fn note(case: &'static str) {
    SEEN.with(|s| *s.borrow_mut().entry(case).or_default() += 1);
}

// ---------------------------------------------------------------------------
// The scripted source.

/// An injected read error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Fail {
    Interrupted,
    WouldBlock,
    TimedOut,
    Other,
}

impl Fail {
    fn io(self) -> std::io::Error {
        std::io::Error::from(match self {
            Fail::Interrupted => std::io::ErrorKind::Interrupted,
            Fail::WouldBlock => std::io::ErrorKind::WouldBlock,
            Fail::TimedOut => std::io::ErrorKind::TimedOut,
            Fail::Other => std::io::ErrorKind::Other,
        })
    }

    fn from_io(e: &std::io::Error) -> Fail {
        match e.kind() {
            std::io::ErrorKind::Interrupted => Fail::Interrupted,
            std::io::ErrorKind::WouldBlock => Fail::WouldBlock,
            std::io::ErrorKind::TimedOut => Fail::TimedOut,
            std::io::ErrorKind::Other => Fail::Other,
            k => panic!("not an injected error: {k:?}"),
        }
    }
}

impl std::fmt::Display for Fail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

impl std::error::Error for Fail {}

/// embedded-io 0.7 has no `WouldBlock`: it is `Other` there, told apart by
/// the value.
impl embedded_io::Error for Fail {
    fn kind(&self) -> embedded_io::ErrorKind {
        match self {
            Fail::Interrupted => embedded_io::ErrorKind::Interrupted,
            Fail::WouldBlock => embedded_io::ErrorKind::Other,
            Fail::TimedOut => embedded_io::ErrorKind::TimedOut,
            Fail::Other => embedded_io::ErrorKind::Other,
        }
    }
}

/// What the source does on a read.
#[derive(Clone)]
enum Ev {
    /// Up to the buffer's size of these bytes (the rest on the next read).
    Bytes(Vec<u8>),
    Fail(Fail),
    /// `Ok(0)`.
    End,
    /// Fills the whole buffer from the next `Bytes` (when it holds that
    /// many) and says it read `extra` more bytes than the buffer holds.
    Lie(usize),
}

impl std::fmt::Debug for Ev {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Ev::Bytes(v) => write!(f, "{:?}", b(v)),
            Ev::Fail(x) => write!(f, "{x:?}"),
            Ev::End => f.write_str("End"),
            Ev::Lie(n) => write!(f, "Lie({n})"),
        }
    }
}

/// What one read returned.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Did {
    Gave(usize, B),
    Failed(Fail),
    End,
}

struct Src {
    evs: VecDeque<Ev>,
    /// Every read: the size offered and what it returned.
    log: Vec<(usize, Did)>,
    /// The async source says `Pending` once before every read whose index
    /// is a multiple of this (0: never).
    pend_every: usize,
}

impl Src {
    fn new(evs: &[Ev]) -> Self {
        Src {
            evs: evs.iter().cloned().collect(),
            log: Vec::new(),
            pend_every: 0,
        }
    }

    fn exhausted(&self) -> bool {
        self.evs.is_empty()
    }

    fn read(&mut self, buf: &mut [u8]) -> Result<usize, Fail> {
        assert!(self.log.len() < 100_000, "reads without end");
        let r = self.step(buf);
        let did = match r {
            Ok(0) => Did::End,
            Ok(n) => Did::Gave(n, b(&buf[..n.min(buf.len())])),
            Err(f) => Did::Failed(f),
        };
        self.log.push((buf.len(), did));
        r
    }

    fn step(&mut self, buf: &mut [u8]) -> Result<usize, Fail> {
        match self.evs.pop_front() {
            None | Some(Ev::End) => Ok(0),
            Some(Ev::Fail(f)) => Err(f),
            Some(Ev::Bytes(c)) => {
                let n = c.len().min(buf.len());
                buf[..n].copy_from_slice(&c[..n]);
                if n < c.len() {
                    self.evs.push_front(Ev::Bytes(c[n..].to_vec()));
                }
                Ok(n)
            }
            Some(Ev::Lie(extra)) => match self.evs.front() {
                Some(Ev::Bytes(c)) if !buf.is_empty() && c.len() >= buf.len() => {
                    let n = buf.len();
                    buf.copy_from_slice(&c[..n]);
                    let rest = c[n..].to_vec();
                    self.evs.pop_front();
                    if !rest.is_empty() {
                        self.evs.push_front(Ev::Bytes(rest));
                    }
                    Ok(n + extra)
                }
                _ => self.step(buf),
            },
        }
    }
}

impl std::io::Read for Src {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        Src::read(self, buf).map_err(Fail::io)
    }
}

impl embedded_io::ErrorType for Src {
    type Error = Fail;
}

impl embedded_io::Read for Src {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, Fail> {
        Src::read(self, buf)
    }
}

/// `Pending` once, then ready.
struct YieldOnce(bool);

impl Future for YieldOnce {
    type Output = ();
    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            Poll::Ready(())
        } else {
            self.0 = true;
            note("an async read that was Pending once");
            cx.waker().wake_by_ref();
            Poll::Pending
        }
    }
}

impl embedded_io_async::Read for Src {
    async fn read(&mut self, buf: &mut [u8]) -> Result<usize, Fail> {
        if self.pend_every != 0 && self.log.len().is_multiple_of(self.pend_every) {
            YieldOnce(false).await;
        }
        Src::read(self, buf)
    }
}

/// A trivial executor: polls with a no-op waker until ready.
fn block_on<F: Future>(fut: F) -> F::Output {
    let mut fut = pin!(fut);
    let mut cx = Context::from_waker(Waker::noop());
    for _ in 0..1_000_000 {
        if let Poll::Ready(out) = fut.as_mut().poll(&mut cx) {
            return out;
        }
    }
    panic!("the future never completed");
}

// ---------------------------------------------------------------------------
// What a call gives, as compared.

#[derive(Clone, Debug, PartialEq, Eq)]
enum Out {
    Reply {
        code: u16,
        bytes: B,
        truncated: bool,
    },
    Parse {
        kind: Kind,
        offset: usize,
        end: usize,
    },
    Io(Fail),
    Eof,
}

fn parse_of(e: &ftp_reply::Error) -> Out {
    Out::Parse {
        kind: kind_of(e.kind()),
        offset: e.offset(),
        end: e.end(),
    }
}

fn out_of<E>(r: Result<ftp_reply::Reply<'_>, ReadError<E>>, io: impl Fn(&E) -> Fail) -> Out {
    match r {
        Ok(reply) => Out::Reply {
            code: reply.code().get(),
            bytes: b(reply.as_bytes()),
            truncated: reply.is_truncated(),
        },
        Err(ReadError::Parse(e)) => parse_of(&e),
        Err(ReadError::Io(e)) => Out::Io(io(&e)),
        Err(ReadError::Eof) => Out::Eof,
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Reader {
    With,
    Embedded,
    Async,
    Std,
}

const READERS: [Reader; 4] = [Reader::With, Reader::Embedded, Reader::Async, Reader::Std];

/// `on_error`: the pattern, cycled, and what it saw.
struct OnError {
    pattern: Vec<bool>,
    seen: Vec<Out>,
}

impl OnError {
    fn call(&mut self, e: &Out) -> bool {
        let skip = self.pattern[self.seen.len() % self.pattern.len()];
        self.seen.push(e.clone());
        skip
    }
}

/// One call of `reader` on the crate.
fn crate_call<const N: usize>(
    reader: Reader,
    dec: &mut Decoder<N>,
    src: &mut Src,
    on: &mut OnError,
) -> Out {
    let mut on_error = |e: &ftp_reply::Error| on.call(&parse_of(e));
    match reader {
        Reader::With => out_of(dec.read_with(|buf| src.read(buf), on_error), |f| *f),
        Reader::Embedded => out_of(dec.read_from(src, on_error), |f| *f),
        Reader::Async => out_of(block_on(dec.read_from_async(src, on_error)), |f| *f),
        Reader::Std => out_of(dec.read_from_std(src, &mut on_error), Fail::from_io),
    }
}

// ---------------------------------------------------------------------------
// The model.

struct Model {
    cfg: Cfg,
    cap: usize,
    /// Every byte read (and kept) since the stream started.
    stream: Vec<u8>,
    /// Where the item not handed out yet starts.
    pos: usize,
    /// "`Interrupted` reads are made again" (the typed readers).
    retry: bool,
    /// The sizes the crate offered, read by read.
    sizes: VecDeque<usize>,
}

impl Model {
    fn error(&self, item: &Item) -> Out {
        match item {
            Item::Error {
                kind, offset, end, ..
            } => Out::Parse {
                kind: *kind,
                offset: self.pos + offset,
                end: self.pos + end,
            },
            Item::Reply { .. } => unreachable!(),
        }
    }

    /// "Reads ... until a reply is complete, and returns it."
    fn call(&mut self, src: &mut Src, on: &mut OnError) -> Out {
        loop {
            let pending = &self.stream[self.pos..];
            if !pending.is_empty()
                && let Outcome::Item(item) = model(pending, self.cfg, true)
            {
                match &item {
                    Item::Reply {
                        code,
                        bytes,
                        consumed,
                        ..
                    } => {
                        let out = if *consumed > self.cap {
                            note("a truncated reply");
                            Out::Reply {
                                code: *code,
                                bytes: B(cut_head(pending, self.cap / 2)),
                                truncated: true,
                            }
                        } else {
                            note("a reply");
                            Out::Reply {
                                code: *code,
                                bytes: bytes.clone(),
                                truncated: false,
                            }
                        };
                        self.pos += consumed;
                        return out;
                    }
                    Item::Error { resume, .. } => {
                        let e = self.error(&item);
                        self.pos += resume;
                        // "`on_error` sees every item that is not a reply
                        // ...: return `true` to skip it and read on, `false`
                        // to return it as `ReadError::Parse`".
                        if !on.call(&e) {
                            note("an error returned");
                            return e;
                        }
                        note("an error skipped");
                        continue;
                    }
                }
            }
            // No whole item: read.
            let size = self.sizes.pop_front().unwrap_or(4096);
            let mut buf = vec![0u8; size];
            match src.read(&mut buf) {
                Ok(0) => {
                    // "`ReadError::Eof` at a clean end, or at an end inside
                    // a reply whose error `on_error` skipped"; "Parse ...
                    // (a stream that ends inside a reply included)".
                    if self.pos == self.stream.len() {
                        note(if src.exhausted() {
                            "a clean end"
                        } else {
                            "a clean end, then more bytes"
                        });
                        return Out::Eof;
                    }
                    let item = model_complete(self.cfg, &self.stream[self.pos..]);
                    let e = self.error(&item);
                    if self.stream.len() - self.pos > self.cap {
                        note("an end inside an item longer than the buffer");
                    }
                    self.pos = self.stream.len();
                    note(if src.exhausted() {
                        "an end inside an item"
                    } else {
                        "an end inside an item, then more bytes"
                    });
                    return if on.call(&e) {
                        note("an end inside an item, skipped: Eof");
                        Out::Eof
                    } else {
                        note("an end inside an item: Parse");
                        e
                    };
                }
                // D1: "a count past it is taken as the whole slice".
                Ok(n) => {
                    if n > size {
                        note("a read past its buffer, taken");
                    }
                    self.stream.extend_from_slice(&buf[..n.min(size)]);
                }
                Err(Fail::Interrupted) if self.retry => note("Interrupted, read again"),
                Err(f) => {
                    note(match f {
                        Fail::Interrupted => "Io(Interrupted)",
                        Fail::WouldBlock => "Io(WouldBlock)",
                        Fail::TimedOut => "Io(TimedOut)",
                        Fail::Other => "Io(Other)",
                    });
                    if self.pos < self.stream.len() {
                        note("Io inside an item");
                    }
                    return Out::Io(f);
                }
            }
        }
    }
}

// ---------------------------------------------------------------------------
// A script, run on both.

#[derive(Clone, Debug)]
struct Script {
    cfg: Cfg,
    limit: Option<usize>,
    evs: Vec<Ev>,
    pattern: Vec<bool>,
    pend_every: usize,
}

/// What a run gives: each call's result, what `on_error` saw, each read.
type Trace = (Vec<Out>, Vec<Out>, Vec<Did>);

fn run_crate<const N: usize>(reader: Reader, s: &Script) -> (Trace, Vec<usize>) {
    let mut dec = Decoder::<N>::with_config(s.cfg.config());
    if let Some(l) = s.limit {
        dec = dec.with_limit(l);
    }
    let mut src = Src::new(&s.evs);
    src.pend_every = if reader == Reader::Async {
        s.pend_every
    } else {
        0
    };
    let mut on = OnError {
        pattern: s.pattern.clone(),
        seen: Vec::new(),
    };
    let mut outs = Vec::new();
    let budget = s.evs.len() * 2 + 20 + s.evs.iter().map(ev_len).sum::<usize>();
    while outs.len() < budget {
        let out = crate_call(reader, &mut dec, &mut src, &mut on);
        // `finish`: "The buffer is emptied".
        assert!(
            out != Out::Eof || dec.is_empty(),
            "{reader:?}: {} bytes held after Eof",
            dec.len()
        );
        let done = out == Out::Eof && src.exhausted();
        outs.push(out);
        if done {
            break;
        }
    }
    let sizes = src.log.iter().map(|(s, _)| *s).collect();
    let did = src.log.into_iter().map(|(_, d)| d).collect();
    ((outs, on.seen, did), sizes)
}

fn ev_len(e: &Ev) -> usize {
    match e {
        Ev::Bytes(v) => v.len(),
        _ => 1,
    }
}

fn run_model(reader: Reader, s: &Script, cap: usize, sizes: &[usize], calls: usize) -> Trace {
    let mut m = Model {
        cfg: s.cfg,
        cap,
        stream: Vec::new(),
        pos: 0,
        retry: reader != Reader::With,
        sizes: sizes.iter().copied().collect(),
    };
    let mut src = Src::new(&s.evs);
    let mut on = OnError {
        pattern: s.pattern.clone(),
        seen: Vec::new(),
    };
    let outs = (0..calls).map(|_| m.call(&mut src, &mut on)).collect();
    let did = src.log.into_iter().map(|(_, d)| d).collect();
    (outs, on.seen, did)
}

fn check<const N: usize>(reader: Reader, s: &Script) -> Result<(), String> {
    let cap = s.limit.unwrap_or(N).clamp(1, N);
    let ((outs, seen, did), sizes) = run_crate::<N>(reader, s);
    let mut bad = Vec::new();
    for (i, &size) in sizes.iter().enumerate() {
        let most = if reader == Reader::Async {
            ASYNC_CHUNK.min(cap)
        } else {
            cap
        };
        if size == 0 || size > most {
            bad.push(format!("read {i} offered {size} bytes (1..={most})"));
        }
    }
    let (m_outs, m_seen, m_did) = run_model(reader, s, cap, &sizes, outs.len());
    same!(bad, outs, m_outs, "{reader:?}: results");
    same!(bad, seen, m_seen, "{reader:?}: on_error saw");
    same!(bad, did, m_did, "{reader:?}: reads");
    if bad.is_empty() {
        Ok(())
    } else {
        Err(format!("N = {N}, cap = {cap}\n{}", bad.join("\n")))
    }
}

// ---------------------------------------------------------------------------
// The generators (the stream's pieces as in `tests/reference_decoder.rs`).

const SESSIONS: &[&[u8]] = &[
    include_bytes!("data/aioftp/session.raw"),
    include_bytes!("data/busybox-ftpd/session.raw"),
    include_bytes!("data/ftp-srv/session.raw"),
    include_bytes!("data/gridftp/session.raw"),
    include_bytes!("data/inetutils-ftpd/session.raw"),
    include_bytes!("data/netkit-ftpd/session.raw"),
    include_bytes!("data/nodeftpd/session.raw"),
    include_bytes!("data/owftpd/session.raw"),
    include_bytes!("data/proftpd/session.raw"),
    include_bytes!("data/pure-ftpd/session.raw"),
    include_bytes!("data/pyftpdlib/session.raw"),
    include_bytes!("data/twisted/session.raw"),
    include_bytes!("data/unftp/session.raw"),
    include_bytes!("data/vsftpd/session.raw"),
];

/// A piece of the stream: generated lines, or real replies.
#[derive(Clone, Debug)]
enum Piece {
    Gen(Segment),
    /// Lines `from..from + count` of session `which`.
    Real(usize, usize, usize),
}

fn piece() -> impl Strategy<Value = Piece> {
    prop_oneof![
        4 => segment().prop_map(Piece::Gen),
        3 => (0..SESSIONS.len(), any::<usize>(), 1usize..12)
            .prop_map(|(w, f, c)| Piece::Real(w, f, c)),
    ]
}

fn build(pieces: &[Piece], tail: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    for p in pieces {
        match p {
            Piece::Real(which, from, count) => {
                let lines: Vec<&[u8]> = SESSIONS[*which].split_inclusive(|&c| c == b'\n').collect();
                let from = from % lines.len();
                for l in lines.iter().skip(from).take(*count) {
                    out.extend_from_slice(l);
                }
            }
            Piece::Gen(seg) => push_segment(&mut out, seg),
        }
    }
    out.extend_from_slice(tail);
    out
}

fn stream() -> impl Strategy<Value = Vec<u8>> {
    let tail = prop_oneof![
        4 => Just(Vec::new()),
        1 => select(TAILS).prop_map(<[u8]>::to_vec),
        1 => text(),
        // An unclosed block, longer than a small buffer.
        1 => vec(select(&b"abc "[..]), 20..120).prop_map(|t| {
            [&b"211-"[..], &t, b"\r\n more"].concat()
        }),
    ];
    (vec(piece(), 0..7), tail).prop_map(|(pieces, tail)| build(&pieces, &tail))
}

/// What comes after a piece of the stream.
fn after() -> impl Strategy<Value = Option<Ev>> {
    prop_oneof![
        12 => Just(None),
        2 => Just(Some(Ev::Fail(Fail::Interrupted))),
        1 => Just(Some(Ev::Fail(Fail::WouldBlock))),
        1 => Just(Some(Ev::Fail(Fail::TimedOut))),
        1 => Just(Some(Ev::Fail(Fail::Other))),
        1 => Just(Some(Ev::End)),
        1 => (1usize..100).prop_map(|n| Some(Ev::Lie(n))),
    ]
}

fn events(stream: &[u8], cuts: &[(usize, Option<Ev>)]) -> Vec<Ev> {
    let mut evs = Vec::new();
    let (mut at, mut i) = (0, 0);
    while at < stream.len() {
        let (size, ev) = &cuts[i % cuts.len()];
        i += 1;
        let end = (at + size).min(stream.len());
        evs.push(Ev::Bytes(stream[at..end].to_vec()));
        if let Some(ev) = ev {
            evs.push(ev.clone());
        }
        at = end;
    }
    evs
}

fn cuts() -> impl Strategy<Value = Vec<(usize, Option<Ev>)>> {
    let size = prop_oneof![
        4 => 1usize..4,
        3 => 4usize..20,
        2 => 20usize..200,
        1 => 200usize..1500,
    ];
    vec((size, after()), 1..8)
}

fn cfg() -> impl Strategy<Value = Cfg> {
    prop_oneof![
        4 => Just(Cfg::STRICT),
        1 => Just(Cfg::LENIENT),
        1 => (any::<bool>(), 1u32..4).prop_map(|(lenient, max)| Cfg { lenient, max: Some(max) }),
    ]
}

fn script(limits: impl Strategy<Value = Option<usize>>) -> impl Strategy<Value = Script> {
    (
        stream(),
        cuts(),
        cfg(),
        limits,
        vec(any::<bool>(), 1..5),
        0usize..4,
        prop::option::weighted(0.2, after()),
    )
        .prop_map(|(stream, cuts, cfg, limit, pattern, pend_every, first)| {
            let mut evs = events(&stream, &cuts);
            if let Some(Some(ev)) = first {
                evs.insert(0, ev);
            }
            Script {
                cfg,
                limit,
                evs,
                pattern,
                pend_every,
            }
        })
}

fn check_all<const N: usize>(s: &Script) -> Result<(), String> {
    let errs: Vec<String> = READERS
        .iter()
        .filter_map(|&r| check::<N>(r, s).err())
        .collect();
    if errs.is_empty() {
        Ok(())
    } else {
        Err(errs.join("\n"))
    }
}

proptest! {
    #![proptest_config(reference::pinned(DEFAULT_CASES, 0x4ead_e45d))]

    #[test]
    fn the_readers_agree_with_the_model(
        s in script(prop::option::weighted(0.3, prop_oneof![1usize..40, 40usize..=512])),
    ) {
        if let Err(e) = check_all::<512>(&s) {
            prop_assert!(false, "{e}\nscript: {s:?}");
        }
    }
}

proptest! {
    #![proptest_config(reference::pinned(SMALL_N_CASES, 0x5a11_4ead))]

    #[test]
    fn the_readers_agree_with_the_model_through_a_small_buffer(
        s in script(prop::option::weighted(0.3, 1usize..=24)),
    ) {
        if let Err(e) = check_all::<24>(&s) {
            prop_assert!(false, "{e}\nscript: {s:?}");
        }
    }
}

// ---------------------------------------------------------------------------
// The generator reaches every case the model tells apart.

/// Scripts per size in `the_generator_reaches_every_case`.
const COVERAGE_SCRIPTS: usize = 300;

#[test]
fn the_generator_reaches_every_case() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    SEEN.with(|s| s.borrow_mut().clear());
    let mut runner = TestRunner::new(reference::pinned(1, 0xc0fe_4ead));
    let big = script(prop::option::weighted(0.3, 1usize..=512));
    let small = script(prop::option::weighted(0.3, 1usize..=24));
    for _ in 0..COVERAGE_SCRIPTS {
        let s = big.new_tree(&mut runner).unwrap().current();
        check_all::<512>(&s).unwrap_or_else(|e| panic!("{e}\nscript: {s:?}"));
        let s = small.new_tree(&mut runner).unwrap().current();
        check_all::<24>(&s).unwrap_or_else(|e| panic!("{e}\nscript: {s:?}"));
    }
    let write = (select(Command::ALL), arg(), 1usize..12, fails());
    for _ in 0..COVERAGE_SCRIPTS {
        let (cmd, arg, cap, fails) = write.new_tree(&mut runner).unwrap().current();
        let bad = check_write(cmd, arg.as_deref(), cap, &fails);
        assert!(bad.is_empty(), "{}", bad.join("\n"));
    }
    let seen = SEEN.with(|s| s.borrow().clone());
    let want = [
        "write_io: a refused argument",
        "write_io: a byte 255 doubled",
        "write_io: WriteZero",
        "write_io: Interrupted, written again",
        "write_io: Io",
        "write_io: a line with an argument",
        "write_io: a line",
        "a reply",
        "a truncated reply",
        "an error returned",
        "an error skipped",
        "a clean end",
        "a clean end, then more bytes",
        "an end inside an item",
        "an end inside an item, then more bytes",
        "an end inside an item longer than the buffer",
        "an end inside an item, skipped: Eof",
        "an end inside an item: Parse",
        "a read past its buffer, taken",
        "Interrupted, read again",
        "Io(Interrupted)",
        "Io(WouldBlock)",
        "Io(TimedOut)",
        "Io(Other)",
        "Io inside an item",
        "an async read that was Pending once",
    ];
    let missing: Vec<_> = want.iter().filter(|w| !seen.contains_key(*w)).collect();
    assert!(
        missing.is_empty(),
        "never reached: {missing:?}\nseen: {seen:#?}"
    );
}

// ---------------------------------------------------------------------------
// `Command::write_io`: the model.

/// A writer that takes at most `cap` bytes a write, and whose writes fail
/// where the script says (at a byte of the line, so that the failure does
/// not depend on how the crate cuts its writes).
struct Sink {
    cap: usize,
    /// Sorted by the byte: when that many bytes are taken, the next write
    /// fails so (`None`: `Ok(0)`).
    fails: VecDeque<(usize, Option<Fail>)>,
    got: Vec<u8>,
    flushes: usize,
    writes: usize,
}

impl embedded_io::ErrorType for Sink {
    type Error = Fail;
}

impl embedded_io::Write for Sink {
    fn write(&mut self, buf: &[u8]) -> Result<usize, Fail> {
        self.writes += 1;
        assert!(self.writes < 100_000, "writes without end");
        if let Some(&(at, f)) = self.fails.front()
            && at == self.got.len()
            && !buf.is_empty()
        {
            self.fails.pop_front();
            return match f {
                Some(f) => Err(f),
                None => Ok(0),
            };
        }
        let until = self.fails.front().map_or(usize::MAX, |&(at, _)| at);
        let n = buf
            .len()
            .min(self.cap)
            .min(until.saturating_sub(self.got.len()).max(1));
        self.got.extend_from_slice(&buf[..n]);
        Ok(n)
    }

    fn flush(&mut self) -> Result<(), Fail> {
        self.flushes += 1;
        Ok(())
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Wrote {
    Ok(usize),
    Argument(PayloadError, usize),
    Io(Fail),
    WriteZero,
}

/// What the docs say `write_io` does: "Writes `NAME[ SP arg] CRLF` ... CR,
/// LF and NUL in `arg` are refused before anything is written, and a byte
/// 255 is doubled ... Returns the bytes written. The writer is not
/// flushed"; `write_to`: "An empty `arg` is written as none"; errors:
/// "`WriteError::Argument` for a refused argument (nothing written),
/// `WriteError::Io` when the writer fails (part of the line may have been
/// written; an `Interrupted` write is made again), or
/// `WriteError::WriteZero` when it takes no byte".
fn write_model(cmd: Command, arg: Option<&[u8]>, sink: &mut Sink) -> Wrote {
    if let Some(at) = arg.and_then(|a| a.iter().position(|c| b"\r\n\0".contains(c))) {
        note("write_io: a refused argument");
        return Wrote::Argument(PayloadError::ForbiddenArgument, at);
    }
    let mut line = cmd.name().as_bytes().to_vec();
    if let Some(a) = arg.filter(|a| !a.is_empty()) {
        line.push(b' ');
        for &c in a {
            line.push(c);
            if c == 255 {
                note("write_io: a byte 255 doubled");
                line.push(255);
            }
        }
    }
    line.extend_from_slice(b"\r\n");
    let mut at = 0;
    while at < line.len() {
        match embedded_io::Write::write(sink, &line[at..]) {
            Ok(0) => {
                note("write_io: WriteZero");
                return Wrote::WriteZero;
            }
            Ok(n) => at += n,
            Err(Fail::Interrupted) => note("write_io: Interrupted, written again"),
            Err(f) => {
                note("write_io: Io");
                return Wrote::Io(f);
            }
        }
    }
    note(if at > 0 && arg.is_some_and(|a| !a.is_empty()) {
        "write_io: a line with an argument"
    } else {
        "write_io: a line"
    });
    Wrote::Ok(line.len())
}

fn wrote(r: Result<usize, WriteError<Fail>>) -> Wrote {
    match r {
        Ok(n) => Wrote::Ok(n),
        Err(WriteError::Argument(e)) => match e.kind() {
            FErrorKind::Payload(p) => Wrote::Argument(p, e.offset()),
            k => panic!("not a payload error: {k:?}"),
        },
        Err(WriteError::Io(e)) => Wrote::Io(e),
        Err(WriteError::WriteZero) => Wrote::WriteZero,
    }
}

fn arg() -> impl Strategy<Value = Option<Vec<u8>>> {
    let byte = prop_oneof![
        30 => select(&b"abc/. -\""[..]),
        3 => Just(255u8),
        1 => select(&b"\r\n\0"[..]),
        1 => any::<u8>(),
    ];
    prop::option::weighted(0.8, vec(byte, 0..40))
}

fn fails() -> impl Strategy<Value = Vec<(usize, Option<Fail>)>> {
    let f = prop_oneof![
        4 => Just(Some(Fail::Interrupted)),
        1 => Just(Some(Fail::TimedOut)),
        1 => Just(Some(Fail::Other)),
        1 => Just(None),
    ];
    vec((0usize..60, f), 0..4).prop_map(|mut v| {
        v.sort_by_key(|x| x.0);
        v
    })
}

fn check_write(
    cmd: Command,
    arg: Option<&[u8]>,
    cap: usize,
    fails: &[(usize, Option<Fail>)],
) -> Vec<String> {
    let sink = || Sink {
        cap,
        fails: fails.iter().copied().collect(),
        got: Vec::new(),
        flushes: 0,
        writes: 0,
    };
    let (mut c, mut m) = (sink(), sink());
    let got = wrote(cmd.write_io(arg, &mut c));
    let want = write_model(cmd, arg, &mut m);
    let mut bad = Vec::new();
    same!(bad, got, want, "result");
    same!(bad, b(&c.got), b(&m.got), "bytes written");
    same!(bad, c.flushes, 0, "flushes");
    bad
}

proptest! {
    #![proptest_config(reference::pinned(WRITE_CASES, 0x0041_7e10))]

    #[test]
    fn write_io_agrees_with_the_model(
        cmd in select(Command::ALL),
        arg in arg(),
        cap in 1usize..12,
        fails in fails(),
    ) {
        let bad = check_write(cmd, arg.as_deref(), cap, &fails);
        prop_assert!(bad.is_empty(), "{}", bad.join("\n"));
    }
}

// ---------------------------------------------------------------------------
// The divergences, pinned as the code behaves today.

/// Runs `reader` once over `evs` through a `Decoder<N>` (every error
/// returned), and gives the result with the source's reads.
fn once<const N: usize>(reader: Reader, evs: &[Ev]) -> (Out, Vec<(usize, Did)>) {
    let mut dec = Decoder::<N>::new();
    let mut src = Src::new(evs);
    let mut on = OnError {
        pattern: vec![false],
        seen: Vec::new(),
    };
    let out = crate_call(reader, &mut dec, &mut src, &mut on);
    (out, src.log)
}

fn reply(code: u16, bytes: &[u8]) -> Out {
    Out::Reply {
        code,
        bytes: b(bytes),
        truncated: false,
    }
}

/// D1 (a bug, fixed in session 58): a source that says it read more than
/// the buffer it was given (`Ok(n)`, `n > buf.len()`, which both traits'
/// contracts rule out). `fill`: "a count past it is taken as the whole
/// slice"; `read_from_async`: "a count past the buffer it gave is taken as
/// that buffer, as `fill` takes it". The async reader dropped the read
/// whole (`buf.get(..n)` was `None`, and an empty slice was pushed): the
/// bytes the source did write were lost, silently. None panics, none
/// loops.
#[test]
fn d1_a_read_past_its_buffer() {
    // The source fills the buffer offered with "220 ok\r\n" and says 9.
    let evs = [Ev::Lie(1), Ev::Bytes(b"220 ok\r\n".to_vec())];
    for r in READERS {
        let (out, reads) = once::<8>(r, &evs);
        assert_eq!(out, reply(220, b"220 ok\r\n"), "{r:?}");
        assert_eq!(reads, [(8, Did::Gave(9, b(b"220 ok\r\n")))], "{r:?}");
    }
    // `fill` alone: the count is clamped too (D3).
    let mut dec = Decoder::<8>::new();
    assert_eq!(
        dec.fill(|buf| {
            buf.copy_from_slice(b"220 ok\r\n");
            Ok::<_, ()>(1000)
        }),
        Ok(8)
    );
    assert_eq!(dec.len(), 8);
}

/// D2 (doc silent until session 58): how many bytes a read is offered.
/// `fill` "lets `read` write straight into the free part of the buffer",
/// so the synchronous readers offer the decoder's free room (512 on a new
/// `Decoder<512>`); `read_from_async`: "It cannot lend the decoder's
/// buffer across an `.await`, so it reads at most 64 bytes a call into a
/// buffer of its own", and no more than the room.
#[test]
fn d2_the_async_reader_reads_at_most_64_bytes() {
    let long = [&b"220 "[..], &[b'a'; 200], b"\r\n"].concat();
    let evs = [Ev::Bytes(long.clone())];
    let (out, reads) = once::<512>(Reader::Async, &evs);
    assert_eq!(out, reply(220, &long));
    let sizes: Vec<usize> = reads.iter().map(|r| r.0).collect();
    assert_eq!(sizes, [64, 64, 64, 64]);
    let (out, reads) = once::<512>(Reader::Std, &evs);
    assert_eq!(out, reply(220, &long));
    assert_eq!(reads.iter().map(|r| r.0).collect::<Vec<_>>(), [512]);
    // Through a 24-byte decoder, at most its room.
    let (_, reads) = once::<24>(Reader::Async, &evs);
    assert!(reads.iter().all(|r| (1..=24).contains(&r.0)), "{reads:?}");
}

/// D3 (doc silent until session 58): `fill` "Returns the count of bytes
/// kept: what `read` says it wrote, capped at the slice it was given"
/// (`min(n, room)`); a reader's
/// `Ok(0)` on an empty slice (`fill` before `next` returned `None` on a
/// full buffer) is passed on as 0 ("a reader's `Ok(0)` is no end of
/// stream" there: the docs say so).
#[test]
fn d3_fill_returns_what_it_kept() {
    let mut dec = Decoder::<4>::new();
    assert_eq!(
        dec.fill(|buf| {
            buf[..2].copy_from_slice(b"22");
            Ok::<_, ()>(2)
        }),
        Ok(2)
    );
    assert_eq!(
        dec.fill(|buf| {
            assert_eq!(buf.len(), 2);
            buf.copy_from_slice(b"0 ");
            Ok::<_, ()>(7)
        }),
        Ok(2)
    );
    assert_eq!(dec.fill(|_| Err::<usize, _>("x")), Err("x"));
}

/// D4 (fixed in session 58). `read_from_std`, `read_from`,
/// `read_from_async`: "`Interrupted` reads are made again"; `read_with`:
/// "An error of `read` is returned as `ReadError::Io` with what the
/// decoder holds kept: the next call reads on. (`read_with` cannot tell an
/// `Interrupted` one apart; the typed readers below make it again.)" Only
/// `read_from_std` read again before; `read_from` and `read_from_async`
/// returned it as `Io`, where `Command::write_io` and `client::Session`
/// make an `Interrupted` write or read again.
#[test]
fn d4_the_typed_readers_read_again_after_interrupted() {
    let mut evs = vec![Ev::Fail(Fail::Interrupted); 1000];
    evs.push(Ev::Bytes(b"220 ok\r\n".to_vec()));
    for r in [Reader::Std, Reader::Embedded, Reader::Async] {
        let (out, reads) = once::<64>(r, &evs);
        assert_eq!(out, reply(220, b"220 ok\r\n"), "{r:?}");
        assert_eq!(reads.len(), 1001, "{r:?}");
    }
    let mut dec = Decoder::<64>::new();
    let mut src = Src::new(&evs);
    let mut on = OnError {
        pattern: vec![false],
        seen: Vec::new(),
    };
    for _ in 0..1000 {
        assert_eq!(
            crate_call(Reader::With, &mut dec, &mut src, &mut on),
            Out::Io(Fail::Interrupted)
        );
    }
    assert_eq!(
        crate_call(Reader::With, &mut dec, &mut src, &mut on),
        reply(220, b"220 ok\r\n")
    );
}

// ---------------------------------------------------------------------------
// Hostile sources and writers: what each reader does (the model agrees).

/// `Ok(0)` then more bytes: the end inside a reply is `Parse` (or `Eof`
/// when skipped); the next call reads on, the offsets counting on.
#[test]
fn an_end_then_more_bytes_reads_on() {
    let evs = [
        Ev::Bytes(b"220 a\r\n230".to_vec()),
        Ev::End,
        Ev::Bytes(b" b\r\n".to_vec()),
        Ev::End,
        Ev::Bytes(b"250 c\r\n".to_vec()),
    ];
    for r in READERS {
        let mut dec = Decoder::<64>::new();
        let mut src = Src::new(&evs);
        let mut on = OnError {
            pattern: vec![false],
            seen: Vec::new(),
        };
        let outs: Vec<Out> = (0..6)
            .map(|_| crate_call(r, &mut dec, &mut src, &mut on))
            .collect();
        assert_eq!(
            outs,
            [
                reply(220, b"220 a\r\n"),
                Out::Parse {
                    kind: Kind::UnterminatedLine,
                    offset: 10,
                    end: 10
                },
                Out::Parse {
                    kind: Kind::InvalidCode,
                    offset: 10,
                    end: 14
                },
                Out::Eof,
                reply(250, b"250 c\r\n"),
                Out::Eof,
            ],
            "{r:?}"
        );
    }
}

/// A writer that says it took more than it was given: no panic, no endless
/// loop (doc silent: `write_io` goes on past the end of the line and
/// returns the line's length).
#[test]
fn write_io_to_a_lying_writer() {
    struct Liar(Vec<u8>);
    impl embedded_io::ErrorType for Liar {
        type Error = Fail;
    }
    impl embedded_io::Write for Liar {
        fn write(&mut self, buf: &[u8]) -> Result<usize, Fail> {
            self.0.extend_from_slice(&buf[..1]);
            Ok(buf.len() + 5)
        }
        fn flush(&mut self) -> Result<(), Fail> {
            Ok(())
        }
    }
    let mut w = Liar(Vec::new());
    let r = wrote(Command::Cwd.write_io(Some(b"/pub"), &mut w));
    assert_eq!(r, Wrote::Ok(10));
    assert!(b"CWD /pub\r\n".starts_with(&w.0[..1]), "{:?}", b(&w.0));
}

/// The async reader ends a call without reading only at the source's end:
/// a full decoder, a limit shrunk below what it holds, still reads on (its
/// `want == 0` branch, which would end the stream, is not reached).
#[test]
fn a_full_decoder_under_a_smaller_limit_reads_on() {
    for reader in READERS {
        for limit in [1, 2, 3, 5, 8] {
            let mut dec = Decoder::<8>::new();
            assert_eq!(dec.push(b"220 abcd"), 8);
            assert!(dec.next().is_none());
            dec = dec.with_limit(limit);
            let mut src = Src::new(&[Ev::Bytes(b"ef\r\n230 x\r\n".to_vec())]);
            let mut on = OnError {
                pattern: vec![false],
                seen: Vec::new(),
            };
            let first = crate_call(reader, &mut dec, &mut src, &mut on);
            assert!(
                matches!(
                    first,
                    Out::Reply {
                        code: 220,
                        truncated: true,
                        ..
                    }
                ),
                "{reader:?} {limit}: {first:?}"
            );
            let second = crate_call(reader, &mut dec, &mut src, &mut on);
            assert!(
                matches!(second, Out::Reply { code: 230, .. }),
                "{reader:?} {limit}: {second:?}"
            );
        }
    }
}
