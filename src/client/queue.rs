//! The transmit buffer: the command lines of the running operation, the
//! first of them released to the caller once it may be sent.

use crate::Command;
use crate::error::{Error, ErrorKind, PayloadError};

/// `T` bytes of command lines, each `NAME[ SP arg] CRLF`. The first line
/// is sent (handed to the caller) only once released; later lines wait
/// for the replies that decide whether they go out.
#[derive(Debug, Clone)]
pub(super) struct TxQueue<const T: usize> {
    buf: [u8; T],
    /// Bytes of `buf` in use.
    len: u16,
    /// The released line is `buf[..out]`; 0 when none is.
    out: u16,
    /// Bytes of the released line the caller took.
    taken: u16,
}

impl<const T: usize> TxQueue<T> {
    pub(super) const fn new() -> Self {
        const {
            assert!(
                T <= u16::MAX as usize,
                "the transmit buffer holds at most 65535 bytes"
            )
        };
        TxQueue {
            buf: [0; T],
            len: 0,
            out: 0,
            taken: 0,
        }
    }

    /// Every index is at most `T`, which fits in a `u16`.
    const fn index(n: usize) -> u16 {
        if n > T { T as u16 } else { n as u16 }
    }

    const fn len(&self) -> usize {
        self.len as usize
    }

    const fn end_out(&self) -> usize {
        self.out as usize
    }

    /// Appends `NAME[ SP arg] CRLF`, as [`Command::write_to`] writes it
    /// (but for an empty password: `PASS SP CRLF`).
    pub(super) fn push(&mut self, cmd: Command, arg: Option<&[u8]>) -> Result<(), Error> {
        let name = cmd.name().as_bytes();
        // An empty argument is none, as in `Command::write_to`; but for
        // PASS, whose space stays, as curl and Python's ftplib write an
        // empty password (`Client::login`).
        match arg.filter(|a| !a.is_empty() || cmd == Command::Pass) {
            Some(arg) => self.put_line(&[name, b" "], arg),
            None => self.put_line(&[name], b""),
        }
    }

    /// Appends `line CRLF`, the line checked and written as a command's
    /// argument is.
    pub(super) fn push_raw(&mut self, line: &[u8]) -> Result<(), Error> {
        self.put_line(&[], line)
    }

    /// Appends `head`, then `arg` as Telnet data (a byte 255 written twice,
    /// CR, LF and NUL refused with `ForbiddenArgument` at their offset in
    /// `arg`), then CRLF; nothing when it does not fit (`BufferFull`). One
    /// plain loop: the command writer's result, byte for byte, in less
    /// flash.
    fn put_line(&mut self, head: &[&[u8]], arg: &[u8]) -> Result<(), Error> {
        if let Some(at) = crate::scan::find3(b'\r', b'\n', 0, arg) {
            return Err(Error::new(
                ErrorKind::Payload(PayloadError::ForbiddenArgument),
                at,
            ));
        }
        let start = self.len();
        let mut at = start;
        let mut put = |b: u8| match self.buf.get_mut(at) {
            Some(slot) => {
                *slot = b;
                at += 1;
                Ok(())
            }
            None => Err(Error::new(ErrorKind::BufferFull, at - start)),
        };
        for piece in head {
            for &b in *piece {
                put(b)?;
            }
        }
        for &b in arg {
            put(b)?;
            if b == 255 {
                put(b)?;
            }
        }
        put(b'\r')?;
        put(b'\n')?;
        self.len = Self::index(at);
        Ok(())
    }

    /// The released line again, named `cmd` instead: EPSV resent as PASV
    /// (no argument, the same length). False when the released line is
    /// not `cmd`'s length with no argument.
    pub(super) fn resend_as(&mut self, cmd: Command) -> bool {
        let name = cmd.name().as_bytes();
        // The line is a name of the same length, no argument, then CRLF.
        let same = self.end_out() == name.len() + 2;
        match self.buf.get_mut(..name.len()) {
            Some(head) if same => {
                head.copy_from_slice(name);
                self.taken = 0;
                true
            }
            _ => false,
        }
    }

    /// Hands the first line to the caller, if none is yet.
    pub(super) fn release(&mut self) {
        if self.out == 0 {
            let queued = self.buf.get(..self.len()).unwrap_or_default();
            self.out = Self::index(crate::scan::find(b'\n', queued).map_or(0, |i| i + 1));
            self.taken = 0;
        }
    }

    /// What the caller has yet to send of the released line.
    pub(super) fn out(&self) -> &[u8] {
        self.buf
            .get(usize::from(self.taken)..self.end_out())
            .unwrap_or_default()
    }

    pub(super) fn taken(&mut self, n: usize) {
        let taken = usize::from(self.taken)
            .saturating_add(n)
            .min(self.end_out());
        self.taken = Self::index(taken);
    }

    /// True when a line is released and none of it is taken yet.
    pub(super) const fn is_untouched(&self) -> bool {
        self.out > 0 && self.taken == 0
    }

    /// True when a line is released and wholly taken.
    pub(super) const fn is_sent(&self) -> bool {
        self.out > 0 && self.taken == self.out
    }

    /// Drops the released line, once answered.
    pub(super) fn drop_current(&mut self) {
        let n = self.out;
        if n > 0 {
            let len = self.len();
            move_down(&mut self.buf, usize::from(n), len);
            self.len -= n;
            self.out = 0;
            self.taken = 0;
        }
    }

    pub(super) fn clear(&mut self) {
        self.len = 0;
        self.out = 0;
        self.taken = 0;
    }

    /// The command of the first line.
    pub(super) fn current(&self) -> Option<Command> {
        let queued = self.buf.get(..self.len()).unwrap_or_default();
        let end = queued.iter().position(|b| matches!(b, b' ' | b'\r'))?;
        Command::from_name(queued.get(..end)?)
    }

    /// True when the first line is `cmd`'s.
    pub(super) fn front_is(&self, cmd: Command) -> bool {
        let queued = self.buf.get(..self.len()).unwrap_or_default();
        is_line_of(queued, cmd)
    }

    /// Drops queued lines up to the first of `cmd`'s (none may be
    /// released); false, with the queue emptied, when there is none. An
    /// operation queues its lines in the order they may go out (USER,
    /// PASS, ACCT), so skipping forward is all a reply can ask for.
    pub(super) fn skip_to(&mut self, cmd: Command) -> bool {
        while self.len > 0 {
            if self.front_is(cmd) {
                return true;
            }
            let queued = self.buf.get(..self.len()).unwrap_or_default();
            self.out = Self::index(crate::scan::find(b'\n', queued).map_or(self.len(), |i| i + 1));
            self.drop_current();
        }
        false
    }
}

/// True when `line` is `cmd`'s: its name, then a space or the CR.
fn is_line_of(line: &[u8], cmd: Command) -> bool {
    let name = cmd.name().as_bytes();
    // Byte by byte, not `starts_with`: its slice compare links `memcmp`
    // (132 B with the compare in `size-client`, which has no other use
    // for it). The line is longer than the name once the byte after the
    // name is there, so `zip` reads every byte of the name.
    matches!(line.get(name.len()), Some(b' ' | b'\r')) && line.iter().zip(name).all(|(a, b)| a == b)
}

/// `buf[from..end]` moved to the front.
fn move_down(buf: &mut [u8], from: usize, end: usize) {
    for i in from..end {
        if let Some(&b) = buf.get(i)
            && let Some(slot) = buf.get_mut(i - from)
        {
            *slot = b;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `line`'s bytes, `name` then `tail`, in a fixed buffer.
    fn line_of(name: &[u8], tail: &[u8]) -> ([u8; 16], usize) {
        let mut buf = [0; 16];
        buf[..name.len()].copy_from_slice(name);
        buf[name.len()..name.len() + tail.len()].copy_from_slice(tail);
        (buf, name.len() + tail.len())
    }

    /// Review of 9cca1d8 (`is_line_of` byte by byte, not `starts_with`):
    /// a line is `cmd`'s when it starts with `cmd`'s name followed by a
    /// space or the CR, for every pair of commands (MLST and MLSD, STOR
    /// and STOU, PASV and EPSV, CWD and XCWD ...): no other command's
    /// line, no line cut inside the name or right after it, no name
    /// followed by another byte, no lower-case name.
    #[test]
    fn is_line_of_is_its_name_then_a_space_or_the_cr() {
        for &a in Command::ALL {
            let name = a.name().as_bytes();
            for &b in Command::ALL {
                for tail in [&b" x\r\n"[..], b"\r\n", b" ", b"\r"] {
                    let (buf, len) = line_of(name, tail);
                    assert_eq!(is_line_of(&buf[..len], b), a == b, "{a:?} {b:?}");
                }
            }
            for tail in [&b""[..], b"\n", b"X\r\n", b"\0\r\n", b"\t\r\n"] {
                let (buf, len) = line_of(name, tail);
                assert!(!is_line_of(&buf[..len], a), "{a:?} {tail:?}");
            }
            for cut in 0..name.len() {
                assert!(!is_line_of(&name[..cut], a), "{a:?} {cut}");
                let (buf, len) = line_of(&name[..cut], b"\r\n");
                assert!(!is_line_of(&buf[..len], a), "{a:?} {cut}");
            }
            let mut lower = [0; 8];
            let lower = &mut lower[..name.len()];
            lower.copy_from_slice(name);
            lower.make_ascii_lowercase();
            let (buf, len) = line_of(lower, b"\r\n");
            assert!(!is_line_of(&buf[..len], a), "{a:?}");
        }
    }
}
