//! The README's firmware loop, built for a Cortex-M4F: `wait_for_ready`
//! comes from README.md at build time (build.rs), and the reset handler
//! calls it over an `embedded_io::Read` (a byte slice the optimizer cannot
//! see through), so it is type-checked, monomorphised and linked for
//! `thumbv7em-none-eabihf` with feature `embedded-io` and no std.

#![no_std]
#![no_main]

use panic_halt as _;

include!(concat!(env!("OUT_DIR"), "/readme_loop.rs"));

static SERVER: &[u8] = b"120 Service ready in 2 minutes.\r\n220 ready\r\n";

#[cortex_m_rt::entry]
fn main() -> ! {
    let mut decoder = Decoder::<512>::new();
    loop {
        let mut server: &[u8] = core::hint::black_box(SERVER);
        let code = match wait_for_ready(&mut server, &mut decoder) {
            Ok(code) => u32::from(code),
            Err(ReadError::Parse(e)) => e.offset() as u32,
            Err(_) => 0,
        };
        core::hint::black_box(code);
        decoder.clear();
        // The feature's own reader, beside the README's read_with loop.
        let mut server: &[u8] = core::hint::black_box(SERVER);
        if let Ok(reply) = decoder.read_from(&mut server, |_| true) {
            core::hint::black_box(reply.code().get());
        }
        decoder.clear();
    }
}
