//! The blocking driver (`ftp_reply::client::Session`, feature
//! `embedded-io`) over a control connection and data connections that do
//! whatever the input says: give the server's bytes in any pieces, fail,
//! be `Interrupted`, time out, end, take part of a write or none of it
//! (`Ok(0)`, which embedded-io's contract rules out and its `write_all`
//! panics on), or say they read more than their buffer; with any sequence
//! of operations.
//!
//! Input layout: one cursor over the input, read as it is needed (missing
//! bytes read as 0 / empty, and the connections end: a read gives `Ok(0)`,
//! a write takes everything, a connect is refused):
//!
//! - byte 0: flags. Bit 0: small buffers, `Session<_, 64, 40>` (else
//!   `Session<_, 512>`). Bit 1: the control peer is `2001:db8::1` (else
//!   `192.0.2.1`). Bit 2: `trust_offered_address(true)`. Bit 3:
//!   `use_pasv()`.
//! - then, each operation: an opcode byte (modulo the number of
//!   operations, see `operate`) and its arguments (a length byte then
//!   that many bytes), its connections' behaviour read from the cursor as
//!   they are called (see `Conn::act`): the server's bytes come from the
//!   cursor too.
//!
//! Checked, beyond "no panic" and "every call returns" (`run.sh` passes
//! `-timeout`; each connection call takes a byte of the input or ends):
//!
//! - once a call returned `Closed(_)`, or `Io(_)` for any error but a read
//!   timeout while nothing was awaited, every later call is
//!   `Client(Closed)` (a broken connection closes the session: no
//!   `Busy` for good);
//! - `quit` is `Ok` or an error, and never leaves the session open
//!   after `Ok`;
//! - the counts a transfer returns are the bytes the data connection
//!   gave (retrieve) or the source wrote (store).

#![no_main]

use core::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::cell::RefCell;
use std::rc::Rc;

use embedded_io::{ErrorKind, ErrorType, Read, Write};
use ftp_reply::client::{ClientError, Session, SessionError};
use libfuzzer_sys::fuzz_target;

const PEER_V4: IpAddr = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1));
const PEER_V6: IpAddr = IpAddr::V6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 1));

/// The input, read from the front by every party.
type Cursor = Rc<RefCell<(Vec<u8>, usize)>>;

fn take(c: &Cursor) -> Option<u8> {
    let mut c = c.borrow_mut();
    let (data, at) = &mut *c;
    let b = data.get(*at).copied()?;
    *at += 1;
    Some(b)
}

fn take_bytes(c: &Cursor, n: usize) -> Vec<u8> {
    let mut c = c.borrow_mut();
    let (data, at) = &mut *c;
    let end = (*at + n).min(data.len());
    let bytes = data[*at..end].to_vec();
    *at = end;
    bytes
}

/// A connection whose every call the input decides.
struct Conn {
    input: Cursor,
    /// Bytes the connection gave (read) since it opened.
    given: u64,
    /// Bytes it took (write).
    taken: u64,
}

impl ErrorType for Conn {
    type Error = ErrorKind;
}

impl Conn {
    fn new(input: &Cursor) -> Self {
        Conn {
            input: input.clone(),
            given: 0,
            taken: 0,
        }
    }
}

impl Read for Conn {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, ErrorKind> {
        let Some(op) = take(&self.input) else {
            return Ok(0);
        };
        match op % 16 {
            0 => Ok(0),
            1 => Err(ErrorKind::Interrupted),
            2 => Err(ErrorKind::TimedOut),
            3 => Err(ErrorKind::ConnectionReset),
            4 => {
                // A reader that says it read more than its buffer.
                let n = usize::from(op / 16).min(buf.len());
                let bytes = take_bytes(&self.input, n);
                buf[..bytes.len()].copy_from_slice(&bytes);
                self.given += bytes.len() as u64;
                Ok(buf.len() + 1 + usize::from(op / 16))
            }
            _ => {
                // The next `op / 16 + 1` bytes of the input (at most the
                // buffer), or 64 bytes for an `op` of 240 or more.
                let want = if op >= 240 {
                    64
                } else {
                    usize::from(op / 16) + 1
                };
                let bytes = take_bytes(&self.input, want.min(buf.len()));
                if bytes.is_empty() {
                    return Ok(0);
                }
                buf[..bytes.len()].copy_from_slice(&bytes);
                self.given += bytes.len() as u64;
                Ok(bytes.len())
            }
        }
    }
}

impl Write for Conn {
    fn write(&mut self, buf: &[u8]) -> Result<usize, ErrorKind> {
        if buf.is_empty() {
            return Ok(0);
        }
        let Some(op) = take(&self.input) else {
            self.taken += buf.len() as u64;
            return Ok(buf.len());
        };
        match op % 8 {
            0 => Ok(0),
            1 => Err(ErrorKind::Interrupted),
            2 => Err(ErrorKind::BrokenPipe),
            3 => {
                let n = usize::from(op / 8).clamp(1, buf.len());
                self.taken += n as u64;
                Ok(n)
            }
            _ => {
                self.taken += buf.len() as u64;
                Ok(buf.len())
            }
        }
    }

    fn flush(&mut self) -> Result<(), ErrorKind> {
        match take(&self.input).map(|op| op % 8) {
            Some(1) => Err(ErrorKind::Interrupted),
            Some(2) => Err(ErrorKind::BrokenPipe),
            _ => Ok(()),
        }
    }
}

/// What a call returned, as far as the checks care.
#[derive(Debug, PartialEq)]
enum Got {
    Ok,
    ClosedNow,
    ClientClosed,
    Other,
}

fn got<T, E: core::fmt::Debug>(r: &Result<T, SessionError<E>>) -> Got {
    match r {
        Ok(_) => Got::Ok,
        Err(SessionError::Closed(_)) => Got::ClosedNow,
        // A read timeout while nothing was awaited does not close.
        Err(SessionError::Io(e)) if format!("{e:?}") != "TimedOut" => Got::ClosedNow,
        Err(SessionError::Client(ClientError::Closed)) => Got::ClientClosed,
        Err(_) => Got::Other,
    }
}

fn run<const N: usize, const T: usize>(flags: u8, input: &Cursor) {
    let peer = if flags & 2 != 0 { PEER_V6 } else { PEER_V4 };
    let mut s = Session::<Conn, N, T>::new(Conn::new(input), peer);
    if flags & 4 != 0 {
        s.client().trust_offered_address(true);
    }
    if flags & 8 != 0 {
        s.client().use_pasv();
    }
    let mut closed = false;
    for _ in 0..64 {
        let Some(op) = take(input) else { break };
        let arg = {
            let n = usize::from(take(input).unwrap_or(0) % 32);
            take_bytes(input, n)
        };
        let connect = |_: SocketAddr| -> Result<Conn, ErrorKind> {
            match take(input).map(|b| b % 4) {
                Some(0) | None => Err(ErrorKind::ConnectionRefused),
                _ => Ok(Conn::new(input)),
            }
        };
        let g = match op % 19 {
            0 => got(&s.login(&arg, b"guest@")),
            1 => got(&s.feat()),
            2 => got(&s.binary()),
            3 => got(&s.cwd(&arg)),
            4 => got(&s.size(&arg)),
            5 => got(&s.mdtm(&arg)),
            6..=9 => {
                let mut seen = 0u64;
                let on_data = |chunk: &[u8]| seen += chunk.len() as u64;
                let r = match op % 19 {
                    6 => s.retrieve(&arg, u64::from(op / 19), connect, on_data),
                    7 => s.list(
                        Some(arg.as_slice()).filter(|a| !a.is_empty()),
                        connect,
                        on_data,
                    ),
                    8 => s.nlst(None, connect, on_data),
                    _ => s.mlsd(None, connect, on_data),
                };
                if let Ok(n) = r {
                    assert_eq!(n, seen, "a transfer's count is the bytes given");
                }
                got(&r)
            }
            10 | 11 => {
                let mut left = usize::from(op / 19) * 37;
                let mut wrote = 0u64;
                let source = |buf: &mut [u8]| {
                    let n = left.min(buf.len());
                    buf[..n].fill(b'x');
                    left -= n;
                    wrote += n as u64;
                    n
                };
                let r = if op % 19 == 10 {
                    s.store(&arg, false, connect, source)
                } else {
                    s.append(&arg, connect, source)
                };
                if let Ok(n) = r {
                    assert_eq!(n, wrote, "a store's count is the bytes the source wrote");
                }
                got(&r)
            }
            12 => {
                let mut out = [0u8; 40];
                let len = usize::from(op / 19).min(out.len());
                let r = s.pwd(&mut out[..len]);
                if let Ok(n) = r {
                    assert!(n <= len);
                }
                got(&r)
            }
            13 => {
                let mut out = [0u8; 16];
                got(&s.mkd(&arg, &mut out))
            }
            14 => got(&s.rmd(&arg)),
            15 => got(&s.dele(&arg)),
            16 => got(&s.rename(&arg, b"to")),
            17 => got(&s.noop()),
            _ => {
                let r = s.quit();
                if r.is_ok() {
                    assert!(
                        matches!(s.noop(), Err(SessionError::Client(ClientError::Closed))),
                        "the session is closed after quit"
                    );
                    closed = true;
                    continue;
                }
                got(&r)
            }
        };
        if closed {
            assert_eq!(g, Got::ClientClosed, "a call after the session closed");
        }
        if g == Got::ClosedNow {
            closed = true;
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let input: Cursor = Rc::new(RefCell::new((rest.to_vec(), 0)));
    if flags & 1 != 0 {
        run::<64, 40>(flags, &input);
    } else {
        run::<512, 96>(flags, &input);
    }
});
