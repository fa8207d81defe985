//! Firmware test for `ftp-reply` on an emulated Cortex-M3 (QEMU
//! `lm3s6965evb`), issue 7.
//!
//! For every recorded transcript under `tests/data` (embedded by `build.rs`)
//! it walks the stream with `parse_complete` and decodes it with a
//! `Decoder<1024>` living in a `static`, fed in chunks of 1, 7 and 64 bytes,
//! and compares every item with what the host computed at build time from
//! the same files. It measures the stack each entry point uses by painting
//! the free stack with a pattern and looking for the lowest word that
//! changed. Output goes through semihosting; the exit status says whether
//! everything matched.

#![no_std]
#![no_main]

mod icount;
#[cfg(feature = "client")]
mod session;
mod shared;
mod stack;

use core::fmt;
use core::hint::black_box;

use cortex_m_rt::{ExceptionFrame, entry, exception};
use cortex_m_semihosting::{debug, hprintln};
use ftp_reply::{Decoder, parse_complete, resume_after};

use shared::{Item, Typed};

/// One recorded transcript and what the host saw in it.
pub struct Transcript {
    name: &'static str,
    data: &'static [u8],
    expected: &'static [Item],
}

include!(concat!(env!("OUT_DIR"), "/transcripts.rs"));

/// The decoder's buffer: larger than any reply in the recordings.
const DECODER_CAP: usize = 1024;

/// Chunk sizes the decoder is fed with.
const CHUNKS: [usize; 3] = [1, 7, 64];

/// Stack target for parsing a reply (bytes), checked again by the script.
const PARSE_STACK_TARGET: usize = 1024;

/// Compares the items of one run with the expected ones, counting
/// mismatches and keeping the first for the report.
struct Check<'e> {
    expected: &'e [Item],
    index: usize,
    mismatches: u32,
    first: Option<(usize, Item, Option<Item>)>,
}

impl<'e> Check<'e> {
    fn new(expected: &'e [Item]) -> Self {
        Check {
            expected,
            index: 0,
            mismatches: 0,
            first: None,
        }
    }

    fn see(&mut self, got: Item) {
        let want = self.expected.get(self.index).copied();
        if want != Some(got) {
            self.mismatches += 1;
            if self.first.is_none() {
                self.first = Some((self.index, got, want));
            }
        }
        self.index += 1;
    }

    /// Mismatches, counting items expected and never seen.
    fn finish(&mut self) -> u32 {
        let missing = self.expected.len().saturating_sub(self.index);
        if missing > 0 && self.first.is_none() {
            self.first = Some((
                self.index,
                Item::Error { kind: 0, offset: 0 },
                self.expected.get(self.index).copied(),
            ));
        }
        self.mismatches + u32::try_from(missing).unwrap_or(u32::MAX)
    }
}

/// Entry point 1: the walk with `parse_complete` over every transcript,
/// counting mismatches per transcript into `bad`.
#[inline(never)]
fn run_complete(bad: &mut [u32]) {
    for (t, bad) in TRANSCRIPTS.iter().zip(bad.iter_mut()) {
        let mut check = Check::new(t.expected);
        shared::walk_complete(t.data, &mut |item| check.see(item));
        let n = check.finish();
        if n > 0 {
            report(t.name, "complete", &check);
        }
        *bad += n;
    }
}

/// Entry point 2: the decoder over every transcript, fed `chunk` bytes at a
/// time.
#[inline(never)]
fn run_decoder(dec: &mut Decoder<DECODER_CAP>, chunk: usize, bad: &mut [u32]) {
    for (t, bad) in TRANSCRIPTS.iter().zip(bad.iter_mut()) {
        let mut check = Check::new(t.expected);
        let stuck = decode(dec, t.data, chunk, &mut |item| check.see(item));
        let mut n = check.finish();
        if stuck {
            hprintln!(
                "STUCK {} (decoder, chunk {}): push accepted nothing",
                t.name,
                chunk
            );
            n += 1;
        }
        if n > 0 {
            report(t.name, chunk_name(chunk), &check);
        }
        *bad += n;
    }
}

/// Feeds `data` to a fresh decoder in pieces of `chunk` bytes, handing
/// every reply and error to `sink`, then `finish()`. Returns true if the
/// decoder stopped taking bytes (which would otherwise loop forever).
#[inline(never)]
fn decode(
    dec: &mut Decoder<DECODER_CAP>,
    data: &[u8],
    chunk: usize,
    sink: &mut dyn FnMut(Item),
) -> bool {
    dec.clear();
    for piece in data.chunks(chunk) {
        let mut piece = piece;
        loop {
            let n = dec.push(piece);
            piece = piece.get(n..).unwrap_or_default();
            let mut any = false;
            while let Some(result) = dec.next() {
                any = true;
                sink(match result {
                    Ok(reply) => shared::reply_item(&reply),
                    Err(e) => shared::error_item(&e),
                });
            }
            if piece.is_empty() {
                break;
            }
            if n == 0 && !any {
                return true;
            }
        }
    }
    if let Some(e) = dec.finish() {
        sink(shared::error_item(&e));
    }
    false
}

/// The stack that parsing one reply takes at most over all transcripts:
/// each `parse_complete` (and, for 227, `passive()`) is measured on its own
/// from the stack pointer at the call.
#[inline(never)]
fn parse_one_peak() -> usize {
    let mut peak = 0;
    for t in TRANSCRIPTS {
        let mut rest = t.data;
        while !rest.is_empty() {
            let at = t.data.len() - rest.len();
            let ((_, skip), used) = stack::measure_near(|| shared::step(rest, at));
            peak = peak.max(used);
            rest = rest.get(skip..).unwrap_or_default();
        }
    }
    peak
}

/// The bare walk for the instruction counts: `parse_complete` and
/// `resume_after` only, each reply or error handed to `black_box` (no
/// payload, no comparison); returns the items seen.
#[inline(never)]
fn bare_walk(data: &[u8]) -> u32 {
    let mut rest = data;
    let mut n = 0;
    while !rest.is_empty() {
        match parse_complete(rest) {
            Ok((tail, reply)) => {
                black_box(reply);
                rest = tail;
            }
            Err(e) => {
                let skip = resume_after(rest, &e);
                black_box(e);
                rest = rest.get(skip..).unwrap_or_default();
            }
        }
        n += 1;
    }
    n
}

/// The bare decoder for the instruction counts: `clear`, then `push` in
/// `chunk`-byte pieces and `next` until empty after each, then `finish`;
/// every item to `black_box`. Returns the items seen.
#[inline(never)]
fn bare_decode(dec: &mut Decoder<DECODER_CAP>, data: &[u8], chunk: usize) -> u32 {
    dec.clear();
    let mut n = 0;
    for piece in data.chunks(chunk) {
        let mut piece = piece;
        while !piece.is_empty() {
            let took = dec.push(piece);
            piece = piece.get(took..).unwrap_or_default();
            let mut any = false;
            while let Some(item) = dec.next() {
                let _ = black_box(item);
                any = true;
                n += 1;
            }
            if took == 0 && !any {
                return n; // stuck: the checked runs report it
            }
        }
    }
    if let Some(e) = dec.finish() {
        black_box(e);
        n += 1;
    }
    n
}

/// Instructions of the bare walk and of the bare decoder at 1- and 64-byte
/// pushes over every transcript (one SysTick window per transcript), and
/// the items each saw.
struct Counts {
    walk: (u64, u32),
    dec1: (u64, u32),
    dec64: (u64, u32),
}

#[inline(never)]
fn count_instructions(c: &mut icount::Counter, dec: &mut Decoder<DECODER_CAP>) -> Counts {
    let mut ticks = [0u64; 3];
    let mut items = [0u32; 3];
    for t in TRANSCRIPTS {
        let (n, k) = c.ticks(|| bare_walk(t.data));
        ticks[0] += u64::from(k);
        items[0] += n;
        for (i, chunk) in [(1, 1), (2, 64)] {
            let (n, k) = c.ticks(|| bare_decode(dec, t.data, chunk));
            ticks[i] += u64::from(k);
            items[i] += n;
        }
    }
    Counts {
        walk: (icount::instructions(ticks[0]), items[0]),
        dec1: (icount::instructions(ticks[1]), items[1]),
        dec64: (icount::instructions(ticks[2]), items[2]),
    }
}

fn chunk_name(chunk: usize) -> &'static str {
    match chunk {
        1 => "decoder chunk 1",
        7 => "decoder chunk 7",
        64 => "decoder chunk 64",
        _ => "decoder",
    }
}

struct Show(Item);

impl fmt::Display for Show {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Item::Reply { code, lines, typed } => {
                write!(f, "reply {code} ({lines} lines)")?;
                match typed {
                    Typed::None => Ok(()),
                    Typed::Pasv { ip, port } => {
                        write!(f, " pasv {}.{}.{}.{}:{port}", ip[0], ip[1], ip[2], ip[3])
                    }
                    Typed::Epsv { port, delimiter } => {
                        write!(f, " epsv port {port} delimiter {}", char::from(delimiter))
                    }
                    Typed::Path { len, hash } => {
                        write!(f, " path of {len} bytes, hash {hash:#010x}")
                    }
                    Typed::Bad { kind, offset } => {
                        write!(f, " payload error {kind:#010x} at {offset}")
                    }
                }
            }
            Item::Error { kind, offset } => write!(f, "error {kind:#010x} at {offset}"),
        }
    }
}

/// The client engine's scripted session (`session.rs`), in chunks of the
/// whole script step, 1 and 7 bytes, each on a fresh engine that lives in
/// this frame (so outside the measured stack). Returns whether every run
/// passed and the deepest stack any run used.
#[cfg(feature = "client")]
#[inline(never)]
fn run_client_session() -> (bool, usize) {
    let mut ok = true;
    let mut peak = 0;
    // 0: each step's bytes whole.
    for chunk in [0, 1, 7] {
        let mut engine = session::Engine::new(session::PEER);
        let (result, used) = stack::measure(|| {
            session::run(&mut engine, if chunk == 0 { usize::MAX } else { chunk })
        });
        peak = peak.max(used);
        if let Err(f) = result {
            ok = false;
            match f.code {
                Some(code) => hprintln!(
                    "MISMATCH client session (chunk {}, 0: whole) step {}: {} (reply {})",
                    chunk,
                    f.step,
                    f.what,
                    code
                ),
                None => hprintln!(
                    "MISMATCH client session (chunk {}, 0: whole) step {}: {}",
                    chunk,
                    f.step,
                    f.what
                ),
            }
        }
    }
    (ok, peak)
}

#[inline(never)]
#[cold]
fn report(name: &str, run: &str, check: &Check<'_>) {
    match check.first {
        Some((i, got, Some(want))) => hprintln!(
            "MISMATCH {} ({}) item {}: device {} / host {}",
            name,
            run,
            i,
            Show(got),
            Show(want)
        ),
        Some((i, got, None)) => hprintln!(
            "MISMATCH {} ({}) item {}: device {} / host has no more items",
            name,
            run,
            i,
            Show(got)
        ),
        None => hprintln!("MISMATCH {} ({})", name, run),
    }
}

#[entry]
fn main() -> ! {
    // cortex-m-rt's `#[entry]` turns this into a safe `&'static mut`: the
    // decoder and its buffer live in RAM outside the stack.
    static mut DECODER: Decoder<DECODER_CAP> = Decoder::new();
    let dec: &'static mut Decoder<DECODER_CAP> = DECODER;

    // Mismatches per transcript (at most this many transcripts).
    let mut bad = [0u32; 64];
    let count = TRANSCRIPTS.len();
    let mut failed = count > bad.len();
    if failed {
        hprintln!("too many transcripts: {} (room for {})", count, bad.len());
    }

    let ((), complete) = stack::measure(|| run_complete(&mut bad));
    let mut decoder_peaks = [0usize; CHUNKS.len()];
    for (chunk, peak) in CHUNKS.iter().zip(decoder_peaks.iter_mut()) {
        let ((), used) = stack::measure(|| run_decoder(dec, *chunk, &mut bad));
        *peak = used;
    }
    let parse_one = parse_one_peak();
    #[cfg(feature = "client")]
    let (client_ok, client_stack) = run_client_session();

    // Instruction counts (SysTick under `-icount`, see icount.rs), after
    // the stack figures; the SysTick interrupt stays off.
    let Some(core) = cortex_m::Peripherals::take() else {
        hprintln!("PANIC: core peripherals already taken");
        debug::exit(debug::EXIT_FAILURE);
        loop {
            cortex_m::asm::wfi();
        }
    };
    let mut counter = icount::Counter::new(core.SYST);
    let (cal_short, cal_long, cal_ok) = icount::calibrate(&mut counter);
    let counts = count_instructions(&mut counter, dec);
    let per = |(instr, n): (u64, u32)| instr / u64::from(n.max(1));

    let items: usize = TRANSCRIPTS.iter().map(|t| t.expected.len()).sum();
    let mismatches: u32 = bad.iter().sum();
    let ok = bad.iter().take(count).filter(|&&b| b == 0).count();
    let decoder_peak = decoder_peaks.iter().copied().max().unwrap_or(0);

    hprintln!(
        "stack: complete-walk {} B, parse-one-reply {} B, decoder chunk 1/7/64 {}/{}/{} B (painted region {} B)",
        complete,
        parse_one,
        decoder_peaks[0],
        decoder_peaks[1],
        decoder_peaks[2],
        stack::region()
    );
    hprintln!(
        "typed payloads checked: 227{}",
        if cfg!(feature = "typed-229-257") {
            ", 229, 257"
        } else {
            " only (built without feature typed-229-257)"
        }
    );
    hprintln!(
        "ram: Decoder<{}> is {} B in a static",
        DECODER_CAP,
        core::mem::size_of::<Decoder<DECODER_CAP>>()
    );
    hprintln!(
        "icount: shift {}, SysTick {} ns per tick, empty window {} ticks; calibration loop (2 instructions per iteration) 1000 / 11000 iterations: {} / {} instructions, {}",
        icount::SHIFT,
        icount::TICK_NS,
        counter.overhead(),
        cal_short,
        cal_long,
        if cal_ok {
            "exact"
        } else {
            "NOT exact (run under -icount shift=7?)"
        }
    );
    hprintln!(
        "instructions: walk {} for {} items ({} per item), decoder 1-byte {} for {} ({} per item), 64-byte {} for {} ({} per item)",
        counts.walk.0,
        counts.walk.1,
        per(counts.walk),
        counts.dec1.0,
        counts.dec1.1,
        per(counts.dec1),
        counts.dec64.0,
        counts.dec64.1,
        per(counts.dec64)
    );
    if complete > PARSE_STACK_TARGET {
        hprintln!(
            "complete-walk stack {} B is over the {} B target",
            complete,
            PARSE_STACK_TARGET
        );
        failed = true;
    }
    failed |= mismatches > 0 || ok != count || count == 0;
    #[cfg(feature = "client")]
    {
        hprintln!(
            "client: session login, EPSV 502, PASV, RETR, QUIT {} in chunks of a step, 1 and 7 bytes; stack {} B; Client<{}> {} B",
            if client_ok { "OK" } else { "FAILED" },
            client_stack,
            session::CAP,
            core::mem::size_of::<session::Engine>()
        );
        failed |= !client_ok;
    }
    hprintln!(
        "firmware: {} transcripts ({} recorded, {} synthetic), {} OK, {} items x 4 runs, {} mismatches; stack complete {} decoder {} parse-one {}; instructions per item walk {} decoder-1 {} decoder-64 {} calibration {}",
        count,
        RECORDED,
        count - RECORDED,
        ok,
        items,
        mismatches,
        complete,
        decoder_peak,
        parse_one,
        per(counts.walk),
        per(counts.dec1),
        per(counts.dec64),
        if cal_ok { "exact" } else { "off" }
    );
    debug::exit(if failed {
        debug::EXIT_FAILURE
    } else {
        debug::EXIT_SUCCESS
    });
    loop {
        cortex_m::asm::wfi();
    }
}

#[panic_handler]
fn panic(info: &core::panic::PanicInfo<'_>) -> ! {
    hprintln!("PANIC: {}", info);
    debug::exit(debug::EXIT_FAILURE);
    loop {
        cortex_m::asm::wfi();
    }
}

#[exception]
unsafe fn HardFault(frame: &ExceptionFrame) -> ! {
    hprintln!("HARDFAULT: {:?}", frame);
    debug::exit(debug::EXIT_FAILURE);
    loop {
        cortex_m::asm::wfi();
    }
}
