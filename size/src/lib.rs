//! The harness shared by the size probes: a reset handler that calls the
//! probe's `entry(&[u8]) -> u32` forever on an input hidden from the
//! optimizer by `black_box`, so `entry` and everything it calls stay in
//! `.text` and nothing is folded at compile time.

#![no_std]

/// A 227 reply, the input every probe gets (its bytes do not matter: the
/// optimizer cannot see them through `black_box`).
pub static INPUT: &[u8] = b"227 Entering Passive Mode (192,168,1,2,19,137).\r\n";

/// Defines the reset handler (`main`) that calls `entry` in a loop.
#[macro_export]
macro_rules! harness {
    () => {
        use panic_halt as _;

        #[cortex_m_rt::entry]
        fn main() -> ! {
            let mut acc = 0u32;
            loop {
                acc = acc.wrapping_add(entry(core::hint::black_box($crate::INPUT)));
                core::hint::black_box(acc);
            }
        }
    };
}
