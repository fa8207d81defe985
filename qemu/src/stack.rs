//! Stack high-water marks by painting.
//!
//! The free stack (from the bottom of the stack region up to the current
//! stack pointer) is filled with a pattern; after the measured call, the
//! lowest word that no longer holds it is as deep as the call went. The
//! figure counts from the stack pointer at the call, so it is what the
//! callee used (its own frames and those below), not what the caller had.
//!
//! The `unsafe` here is raw reads and writes of the unused part of the
//! stack, and reading a linker symbol's address (the firmware's other
//! `unsafe`: `icount.rs`'s inline assembly and cortex-m-rt's `HardFault`
//! signature in `main.rs`). No
//! interrupt is enabled, so nothing else uses that memory meanwhile, and
//! ARM has no red zone below the stack pointer.

use core::ptr;

/// What the free stack is painted with.
const PATTERN: u32 = 0xDEAD_BEEF;

/// How deep `measure_near` paints below the stack pointer.
const NEAR: usize = 4096;

unsafe extern "C" {
    /// Bottom of the stack region (end of `.bss`/`.uninit`), from
    /// cortex-m-rt's `link.x`; the stack grows down towards it.
    static _stack_end: u32;
    /// Top of the stack region (the initial stack pointer).
    static _stack_start: u32;
}

fn stack_bottom() -> usize {
    // Only the address is taken, never the value.
    ptr::addr_of!(_stack_end) as usize
}

/// Bytes in the whole stack region.
pub fn region() -> usize {
    (ptr::addr_of!(_stack_start) as usize).saturating_sub(stack_bottom())
}

/// Paints `[from, to)` (word-aligned) with the pattern.
#[inline(always)]
fn paint(from: usize, to: usize) {
    let mut p = (from + 3) & !3;
    while p + 4 <= to {
        // SAFETY: `[from, to)` lies below the current stack pointer and
        // above the end of `.bss`: memory no Rust object occupies now.
        unsafe { ptr::write_volatile(p as *mut u32, PATTERN) };
        p += 4;
    }
}

/// The lowest address in `[from, to)` that does not hold the pattern, or
/// `to` when all of it does.
#[inline(always)]
fn lowest_touched(from: usize, to: usize) -> usize {
    let mut p = (from + 3) & !3;
    while p + 4 <= to {
        // SAFETY: as in `paint`; reading plain RAM.
        if unsafe { ptr::read_volatile(p as *const u32) } != PATTERN {
            return p;
        }
        p += 4;
    }
    to
}

/// Runs `f` and returns its result and the bytes of stack it used below
/// the stack pointer at the call, painting the whole free stack first.
#[inline(never)]
pub fn measure<R>(f: impl FnOnce() -> R) -> (R, usize) {
    let sp = cortex_m::register::msp::read() as usize;
    let bottom = stack_bottom();
    paint(bottom, sp);
    let r = f();
    (r, sp - lowest_touched(bottom, sp))
}

/// As [`measure`], painting only the `NEAR` bytes below the stack pointer
/// (cheap enough to call once per reply). A call that went past them
/// reports at least `NEAR`, which is over any target here.
#[inline(never)]
pub fn measure_near<R>(f: impl FnOnce() -> R) -> (R, usize) {
    let sp = cortex_m::register::msp::read() as usize;
    let bottom = stack_bottom().max(sp.saturating_sub(NEAR));
    paint(bottom, sp);
    let r = f();
    (r, sp - lowest_touched(bottom, sp))
}
