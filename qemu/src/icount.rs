//! Instruction counts from SysTick under `qemu-system-arm -icount shift=7`.
//!
//! With `-icount shift=N` QEMU's virtual clock advances exactly 2^N ns per
//! guest instruction (and a read of a timer register ends its translation
//! block, so the reading is exact). SysTick on the core clock counts down
//! that virtual clock in the board's system clock periods: the
//! lm3s6965evb's system clock out of reset is 200 MHz / (SYSDIV 15 + 1) =
//! 12.5 MHz, 80 ns. So at shift 7 (128 ns per instruction) one
//! instruction is 1.6 ticks, and `instructions = ticks * 5 / 8`.
//!
//! [`calibrate`] checks this against a loop whose instruction count is
//! known by construction (two instructions per iteration, `subs` + `bne`,
//! in inline assembly): two lengths, and the difference must be exactly
//! two instructions per extra iteration. Without `-icount` the virtual
//! clock is the host's and the check fails (the figures are then reported
//! as not valid, nothing else changes).
//!
//! SysTick's counter has 24 bits: one window must stay under 2^24 ticks
//! (10.4 million instructions); windows here are one transcript each (at
//! most about a million instructions, for the decoder fed one byte at a
//! time). A single wrap is handled by the modular difference; the
//! interrupt stays off, so no exception frame lands on the painted stack.

use core::arch::asm;

use cortex_m::peripheral::SYST;
use cortex_m::peripheral::syst::SystClkSource;

/// The `-icount shift` the script passes to QEMU.
pub const SHIFT: u32 = 7;
/// The SysTick clock period in ns (the lm3s6965evb's reset system clock).
pub const TICK_NS: u64 = 80;
/// SysTick's 24-bit counter.
const MASK: u32 = 0x00FF_FFFF;

/// SysTick, free-running from its largest reload, interrupt off.
pub struct Counter {
    syst: SYST,
    /// Ticks of an empty window (the two reads and the call around them).
    overhead: u32,
}

impl Counter {
    pub fn new(mut syst: SYST) -> Self {
        syst.disable_interrupt();
        syst.set_clock_source(SystClkSource::Core);
        syst.set_reload(MASK);
        syst.clear_current();
        syst.enable_counter();
        let mut c = Counter { syst, overhead: 0 };
        let (_, empty) = c.ticks(|| ());
        c.overhead = empty;
        c
    }

    /// Runs `f`, returning its result and the SysTick ticks it took, the
    /// empty window's ticks taken off.
    #[inline(never)]
    pub fn ticks<R>(&mut self, f: impl FnOnce() -> R) -> (R, u32) {
        let _ = self.syst.has_wrapped(); // reading CSR clears COUNTFLAG
        let start = SYST::get_current();
        let r = f();
        let end = SYST::get_current();
        let elapsed = start.wrapping_sub(end) & MASK;
        (r, elapsed.saturating_sub(self.overhead))
    }

    /// Ticks of an empty window.
    pub fn overhead(&self) -> u32 {
        self.overhead
    }
}

/// Instructions for `ticks` SysTick ticks (rounded to nearest).
pub fn instructions(ticks: u64) -> u64 {
    let ns = ticks * TICK_NS;
    let per = 1u64 << SHIFT;
    (ns + per / 2) / per
}

/// `n` iterations of a two-instruction loop (`subs`, `bne`); `n` > 0.
#[inline(never)]
fn spin(n: u32) {
    // SAFETY: only a register is counted down; no memory, no stack.
    unsafe {
        asm!(
            "2:",
            "subs {0}, {0}, #1",
            "bne 2b",
            inout(reg) n => _,
            options(nomem, nostack),
        );
    }
}

/// The check of the method: instructions counted for loops of 1 000 and
/// 11 000 iterations; returns (instructions at 1 000, at 11 000, whether the
/// difference is exactly 2 x 10 000).
pub fn calibrate(c: &mut Counter) -> (u64, u64, bool) {
    let (_, short) = c.ticks(|| spin(1_000));
    let (_, long) = c.ticks(|| spin(11_000));
    let (a, b) = (instructions(short.into()), instructions(long.into()));
    (a, b, b.checked_sub(a) == Some(20_000))
}
