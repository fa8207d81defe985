//! The README's firmware code and `client::Session`'s doc example, built
//! for a Cortex-M4F: `wait_for_ready` and `fetch` come from README.md,
//! the Session example from src/client/blocking.rs's doc comment, at build
//! time (build.rs), and the reset handler calls them over `embedded_io`
//! traits (byte slices and a scripted server the optimizer cannot see
//! through), so they are type-checked, monomorphised and linked for
//! `thumbv7em-none-eabihf` with feature `embedded-io` and no std.

#![no_std]
#![no_main]

use panic_halt as _;

include!(concat!(env!("OUT_DIR"), "/readme_loop.rs"));

include!(concat!(env!("OUT_DIR"), "/readme_session.rs"));
include!(concat!(env!("OUT_DIR"), "/session_doc.rs"));

/// A data connection that gives `hello` (and takes any write).
struct Data(&'static [u8]);

impl embedded_io::ErrorType for Data {
    type Error = core::convert::Infallible;
}

impl embedded_io::Read for Data {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, Self::Error> {
        let n = self.0.len().min(buf.len());
        buf[..n].copy_from_slice(&self.0[..n]);
        self.0 = &self.0[n..];
        Ok(n)
    }
}

impl embedded_io::Write for Data {
    fn write(&mut self, buf: &[u8]) -> Result<usize, Self::Error> {
        Ok(buf.len())
    }
    fn flush(&mut self) -> Result<(), Self::Error> {
        Ok(())
    }
}

include!("../../tests/readme_session/scripted.rs");

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

        let mut control = Scripted {
            replies: core::hint::black_box(SESSION),
            next: 0,
            answer: true,
        };
        let peer = core::net::IpAddr::V4(core::net::Ipv4Addr::new(192, 0, 2, 1));
        let mut got = 0usize;
        let ok = fetch(
            &mut control,
            peer,
            |_| Some(core::hint::black_box(&b"hello"[..])),
            b"f",
            |chunk| got += chunk.len(),
        );
        let _ = core::hint::black_box((ok, got));

        // client::Session's doc example, as src/client/blocking.rs has it.
        let control = Scripted {
            replies: core::hint::black_box(SESSION),
            next: 0,
            answer: true,
        };
        let mut out = [0u8; 64];
        let fetched = session_doc::run(
            control,
            peer,
            |_| Ok(Data(core::hint::black_box(&b"hello"[..]))),
            b"f",
            &mut out,
        );
        let _ = core::hint::black_box((fetched.is_ok(), out));
    }
}
