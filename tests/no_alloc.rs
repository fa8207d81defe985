//! Parsing allocates nothing: a counting global allocator watches every
//! entry point and accessor, and the client engine, over every test input.
//!
//! This file has its own test binary because a `#[global_allocator]` covers
//! the whole binary. Only allocations made on the thread that set the flag
//! are counted, so the test harness's own allocations on other threads (and
//! before and after the measured part) do not count.
//!
//! A global allocator needs `unsafe impl GlobalAlloc`: `Cargo.toml`'s
//! `[lints.rust]` says `unsafe_code = "deny"` so that this file can allow
//! it; the library keeps its own `#![forbid(unsafe_code)]` in `src/lib.rs`.

#![allow(unsafe_code)]

mod common;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::fmt::Write as _;
use std::hint::black_box;
use std::sync::atomic::{AtomicUsize, Ordering};

use ftp_reply::payload::Payload;
use ftp_reply::{Command, Decoder, Error, ParserConfig, Progress, Reply};

struct Counting;

static ALLOCS: AtomicUsize = AtomicUsize::new(0);

thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
}

fn counting() -> bool {
    COUNTING.try_with(Cell::get).unwrap_or(false)
}

// SAFETY: every call is forwarded unchanged to `System`.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if counting() {
            ALLOCS.fetch_add(1, Ordering::SeqCst);
        }
        // SAFETY: forwarded with the caller's layout.
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if counting() {
            ALLOCS.fetch_add(1, Ordering::SeqCst);
        }
        // SAFETY: forwarded with the caller's layout.
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if counting() {
            ALLOCS.fetch_add(1, Ordering::SeqCst);
        }
        // SAFETY: forwarded with the caller's pointer and layout.
        unsafe { System.realloc(ptr, layout, new_size) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: forwarded with the caller's pointer and layout.
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Runs `f` with counting on, on this thread; returns how many allocations
/// it made.
fn allocations(f: impl FnOnce()) -> usize {
    let before = ALLOCS.load(Ordering::SeqCst);
    COUNTING.with(|c| c.set(true));
    f();
    COUNTING.with(|c| c.set(false));
    ALLOCS.load(Ordering::SeqCst) - before
}

/// A `fmt::Write` into a fixed stack buffer.
struct StackWriter {
    buf: [u8; 256],
    len: usize,
}

impl std::fmt::Write for StackWriter {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        if end > self.buf.len() {
            return Err(std::fmt::Error);
        }
        self.buf[self.len..end].copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

fn show_error(e: &Error) {
    let mut w = StackWriter {
        buf: [0; 256],
        len: 0,
    };
    let _ = write!(w, "{e}");
    black_box(&w.buf[..w.len]);
}

/// Every accessor on one reply.
fn touch(reply: &Reply<'_>) {
    black_box(reply.code().get());
    black_box(reply.code().class());
    black_box(reply.code().category());
    black_box(reply.code().known().name());
    black_box(reply.line_count());
    black_box(reply.as_bytes());
    black_box(reply.text());
    let _ = black_box(reply.text_str());
    for line in reply.lines() {
        black_box(line);
    }
    match reply.passive() {
        Ok(addr) => {
            black_box(addr.socket_addr());
        }
        Err(e) => show_error(&e),
    }
    if let Some(help) = reply.help() {
        for c in help.commands() {
            black_box((c.name, c.unimplemented));
        }
        for line in help.lines() {
            black_box(line);
        }
        black_box(help.lists("retr"));
    }
    // Every payload, under every command context, with its accessors and
    // the encoder writing it back into a stack buffer.
    for after in [None]
        .into_iter()
        .chain(Command::ALL.iter().copied().map(Some))
    {
        match reply.payload_after(after) {
            Ok(p) => {
                touch_payload(&p);
                let mut buf = [0u8; 8192];
                let _ = black_box(p.encode_to(reply.code(), &mut buf));
            }
            Err(e) => show_error(&e),
        }
    }
    let _ = black_box(reply.extended_passive().map(|e| e.port()));
    let _ = black_box(reply.mlst_entry().map(|e| e.facts().count()));
    if let Some(f) = reply.features() {
        black_box(f.supports("MLST"));
        black_box(f.mlst_facts().count());
    }
    if let Ok(p) = reply.pathname() {
        let mut buf = [0u8; 512];
        let _ = black_box(p.copy_to(&mut buf));
        let mut s = heapless::String::<512>::new();
        let _ = black_box(p.write_utf8(&mut s));
        black_box(p.pieces().count());
    }
    if let Ok(addr) = reply.passive() {
        black_box(addr.guard(std::net::IpAddr::V4(std::net::Ipv4Addr::LOCALHOST)));
    }
    if let Ok(addr) = reply.long_passive() {
        black_box(addr.guard(std::net::IpAddr::V6(std::net::Ipv6Addr::LOCALHOST)));
    }
}

fn touch_payload(p: &Payload<'_>) {
    match p {
        Payload::Help(help) => {
            black_box(help.commands().count());
        }
        Payload::Features(f) => {
            for feat in f.iter() {
                black_box(feat);
            }
        }
        Payload::Mlst(e) => {
            black_box((
                e.kind(),
                e.size(),
                e.modify(),
                e.perm(),
                e.unique(),
                e.unix_mode(),
            ));
        }
        Payload::Time(t) => {
            let mut w = StackWriter {
                buf: [0; 256],
                len: 0,
            };
            let _ = write!(w, "{t}");
            black_box(&w.buf[..w.len]);
        }
        Payload::Protected(d) | Payload::Adat(Some(d)) => {
            let mut buf = [0u8; 512];
            let _ = black_box(d.decode_into(&mut buf));
        }
        Payload::Status(s) => {
            black_box(s.lines().count());
        }
        other => {
            black_box(other);
        }
    }
}

/// The complete walk with every accessor, without collecting anything.
fn walk_all(config: &ParserConfig, input: &[u8]) -> usize {
    let mut pos = 0;
    let mut items = 0;
    while pos < input.len() {
        let rest = &input[pos..];
        match config.parse_complete(rest) {
            Ok((after, reply)) => {
                touch(&reply);
                pos = input.len() - after.len();
            }
            Err(e) => {
                show_error(&e);
                pos += ftp_reply::resume_after(rest, &e);
            }
        }
        items += 1;
    }
    items
}

/// Streaming over every prefix length of the first reply, and over the
/// whole input.
fn stream_all(config: &ParserConfig, input: &[u8]) {
    let step = (input.len() / 64).max(1);
    let mut end = 0;
    while end <= input.len() {
        match config.parse_streaming(&input[..end]) {
            Ok(Progress::Complete((_, reply))) => touch(&reply),
            Ok(Progress::Partial) => {}
            Err(e) => show_error(&e),
        }
        end += step;
    }
}

fn decode_all<const N: usize>(input: &[u8], chunk: usize) -> usize {
    let mut dec = Decoder::<N>::new();
    let mut items = 0;
    for piece in input.chunks(chunk) {
        let mut piece = piece;
        while !piece.is_empty() {
            let n = dec.push(piece);
            piece = &piece[n..];
            while let Some(r) = dec.next() {
                match r {
                    Ok(reply) => touch(&reply),
                    Err(e) => show_error(&e),
                }
                items += 1;
            }
        }
    }
    if let Some(e) = dec.finish() {
        show_error(&e);
        items += 1;
    }
    items
}

/// Runs the client engine over `input` as the server's bytes, once per
/// operation, answering every event as a caller would; returns how many
/// events it gave.
fn client_all(input: &[u8]) -> usize {
    use ftp_reply::client::{Client, EventKind};
    let peer = core::net::IpAddr::V4(core::net::Ipv4Addr::LOCALHOST);
    let mut events = 0;
    for op in 0..6 {
        let mut c = Client::<256>::new(peer);
        let started = match op {
            0 => c.login(b"u", b"p", Some(b"a")),
            1 => c.feat(),
            2 => c.retrieve(b"f", 7),
            3 => c.pwd(),
            4 => c.mlst(Some(b"f")),
            _ => c.rename(b"a", b"b"),
        };
        black_box(started.is_ok());
        for piece in input.chunks(7) {
            let mut piece = piece;
            while !piece.is_empty() {
                let n = c.receive(piece);
                piece = &piece[n..];
                let sent = c.transmit().len();
                c.sent(sent);
                while let Some(ev) = c.poll_event() {
                    events += 1;
                    black_box(ev.reply.map(|r| r.code()));
                    match ev.kind {
                        EventKind::Connect(t) => {
                            black_box(t);
                            let _ = c.data_connected();
                        }
                        EventKind::TransferStarted(_) => {
                            let _ = c.data_end();
                        }
                        other => {
                            black_box(other);
                        }
                    }
                    let sent = c.transmit().len();
                    c.sent(sent);
                }
            }
        }
        black_box(c.timer_fired());
        c.control_closed();
        while c.poll_event().is_some() {
            events += 1;
        }
    }
    events
}

/// One test only: a second test counting on its own thread at the same
/// time would add to the same counter.
#[test]
fn parsing_every_input_allocates_nothing() {
    // The counter works: a Vec on this thread is counted.
    let n = allocations(|| {
        black_box(vec![1u8; 16]);
    });
    assert!(n >= 1, "the counter missed an allocation");

    // Everything is read and built before counting starts.
    let corpus = common::corpus();
    assert!(corpus.len() > 100, "corpus of {}", corpus.len());
    assert!(
        corpus.iter().any(|(name, _)| name.ends_with(".raw")),
        "the recorded transcripts are part of the corpus"
    );
    let strict = ParserConfig::new();
    let lenient = ParserConfig::new()
        .any_code_ends_block(true)
        .max_lines(core::num::NonZeroU32::new(8));
    let mut total = 0usize;
    let n = allocations(|| {
        for (_, input) in &corpus {
            total += walk_all(&strict, input);
            total += walk_all(&lenient, input);
            stream_all(&strict, input);
            total += decode_all::<4096>(input, 7);
            total += decode_all::<64>(input, 7);
            total += client_all(input);
        }
    });
    assert_eq!(n, 0, "{n} allocations while parsing");
    assert!(total > corpus.len(), "items: {total}");
}
