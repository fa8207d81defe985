//! The transmit buffer: the command lines of the running operation, the
//! first of them released to the caller once it may be sent.

use crate::Command;
use crate::encode::SliceWriter;
use crate::error::Error;

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

    /// Appends `NAME[ SP arg] CRLF`.
    pub(super) fn push(&mut self, cmd: Command, arg: Option<&[u8]>) -> Result<(), Error> {
        let len = self.len();
        let free = self.buf.get_mut(len..).unwrap_or_default();
        let n = cmd.write_to(arg, free)?;
        self.len = Self::index(len + n);
        Ok(())
    }

    /// Appends `line CRLF`, a byte 255 doubled as [`Command::write_to`]
    /// does.
    pub(super) fn push_raw(&mut self, line: &[u8]) -> Result<(), Error> {
        crate::command::check_argument(Some(line))?;
        let len = self.len();
        let free = self.buf.get_mut(len..).unwrap_or_default();
        let mut w = SliceWriter::new(free);
        crate::command::put_telnet(line, &mut w)?;
        w.put(b"\r\n")?;
        let n = w.len();
        self.len = Self::index(len + n);
        Ok(())
    }

    /// Puts `NAME[ SP arg] CRLF` before the queued lines (none may be
    /// released).
    pub(super) fn push_front(&mut self, cmd: Command, arg: Option<&[u8]>) -> Result<(), Error> {
        let old = self.len();
        self.push(cmd, arg)?;
        let (from, len) = (self.end_out(), self.len());
        if let Some(region) = self.buf.get_mut(from..len) {
            rotate_right(region, len - old);
        }
        Ok(())
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

    /// Moves the queued line of `cmd` to the front (none may be released);
    /// false when there is none.
    pub(super) fn bring_to_front(&mut self, cmd: Command) -> bool {
        let name = cmd.name().as_bytes();
        let mut at = 0;
        while at < self.len() {
            let rest = self.buf.get(at..self.len()).unwrap_or_default();
            let line_len = crate::scan::find(b'\n', rest).map_or(rest.len(), |i| i + 1);
            let is_it =
                rest.starts_with(name) && matches!(rest.get(name.len()), Some(b' ' | b'\r'));
            if is_it {
                if let Some(region) = self.buf.get_mut(..at + line_len) {
                    rotate_right(region, line_len);
                }
                return true;
            }
            at += line_len;
        }
        false
    }
}

/// `region` rotated right by `k` (three reversals: no memmove linked).
fn rotate_right(region: &mut [u8], k: usize) {
    let n = region.len();
    if k == 0 || k >= n {
        return;
    }
    region.reverse();
    if let Some(a) = region.get_mut(..k) {
        a.reverse();
    }
    if let Some(b) = region.get_mut(k..) {
        b.reverse();
    }
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
