//! The client engine for one flow only: log in, passive mode (EPSV, or
//! PASV after a refusal) and retrieve, with `Client<512>`: the input is
//! the server's bytes, every line handed out is taken, `Connect` is
//! answered with `data_connected` and `TransferStarted` with `data_end`.

#![no_std]
#![no_main]

use core::net::{IpAddr, Ipv4Addr};

use ftp_reply::client::{Client, EventKind};

ftp_reply_size::harness!();

/// What the caller does after an event.
enum Next {
    Nothing,
    Retrieve,
    Connected,
    DataEnd,
}

#[unsafe(no_mangle)]
#[inline(never)]
pub fn entry(input: &[u8]) -> u32 {
    let mut c = Client::<512>::new(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1)));
    let mut acc = 0u32;
    if c.login(b"ftp", b"guest@", None).is_err() {
        return 1;
    }
    let mut rest = input;
    loop {
        let took = c.receive(rest);
        rest = rest.get(took..).unwrap_or_default();
        while let Some(ev) = c.poll_event() {
            let next = match ev.kind {
                EventKind::LoggedIn => Next::Retrieve,
                EventKind::Connect(t) => {
                    acc = acc.wrapping_add(u32::from(t.connect_to.port()));
                    Next::Connected
                }
                EventKind::TransferStarted(size) => {
                    acc = acc.wrapping_add(size.unwrap_or(0) as u32);
                    Next::DataEnd
                }
                EventKind::TransferDone => return acc,
                EventKind::Failed(_) | EventKind::Closed(_) => return acc ^ 0xFFFF,
                _ => Next::Nothing,
            };
            let r = match next {
                Next::Nothing => Ok(()),
                Next::Retrieve => c.retrieve(b"firmware.bin", 0),
                Next::Connected => c.data_connected(),
                Next::DataEnd => c.data_end(),
            };
            if r.is_err() {
                return acc ^ 0xFF;
            }
        }
        let out = c.transmit();
        acc = acc.wrapping_add(out.iter().map(|&b| u32::from(b)).sum::<u32>());
        let n = out.len();
        c.sent(n);
        if rest.is_empty() {
            return acc;
        }
    }
}
