//! Telnet on the control connection (RFC 959 section 4, RFC 854).
//!
//! RFC 959's control connection is a Telnet connection: in what a server
//! sends, a byte 255 (IAC, "interpret as command") starts a Telnet command,
//! and a data byte 255 is sent twice. vsftpd and BusyBox's ftpd double
//! every 255 of a reply (a directory named `ÿ` in Latin-1 comes as
//! `257 "/\xff\xff"`), and a server may send a command between replies (an
//! `IAC NOP`, option negotiation such as `IAC WILL ECHO`). The parser reads
//! raw lines; [`Telnet`] takes the Telnet layer off the bytes first (into
//! the caller's buffer, or in place), so that a 257's path is the name and
//! a reply after a command is a reply.

/// Takes Telnet commands out of the bytes a server sends, as lftp reads
/// the control connection (and `client::Session` and the `dump` example).
///
/// - `IAC IAC` is the data byte 255;
/// - option negotiation (`IAC WILL`, `WONT`, `DO` or `DONT`, then an option
///   byte) and Telnet's other commands (`IAC` and one byte from 240 to 250:
///   `NOP`, `DM`, `GA`, ...) are taken out, not answered (a client that
///   refuses every option by silence is what a server meets in most FTP
///   clients); an option byte that is a CR or LF is no option (a server
///   that wrote a Latin-1 `ÿû` undoubled before its line end): the
///   negotiation is dropped and the CR or LF stays data, so
///   `550 x\xff\xfb\n200 ok\r\n` is still two replies;
/// - an IAC before a byte that is no Telnet command (below 240: a server
///   that writes a Latin-1 `ÿ` without doubling it) is data, and so is that
///   byte, as curl reads them: `550 caf\xff\r\n` still ends at its LF;
/// - a NUL right after a CR that is data is taken out: `CR NUL` is RFC
///   854's lone CR, the way RFC 2640 asks a CR in a pathname to be sent
///   (`257 "/a\r\0b" created` is `257 "/a\rb" created`). vsftpd and
///   BusyBox's ftpd write an LF in a name as a NUL, so theirs stands for
///   CR LF; a path refuses either (`ForbiddenByte`), and the reply keeps
///   its code, where the NUL was a grammar error with none;
/// - every other byte is data, any other NUL included (the grammar refuses
///   a NUL in a reply).
///
/// A command cut between two calls of [`strip`](Self::strip) is finished
/// by the next (the state is one byte), so any split of a stream gives the
/// same data as the whole (`tests/telnet.rs`, a proptest law). A
/// subnegotiation (`IAC SB ... IAC SE`), which no FTP server sends, has its
/// two commands taken out and its bytes left as data.
///
/// ```
/// use ftp_reply::{parse_complete, telnet::Telnet};
///
/// // vsftpd's answer to PWD in a directory named "\xff" (Latin-1 `ÿ`),
/// // after an IAC NOP.
/// let bytes = b"\xff\xf1257 \"/\xff\xff\" is the current directory\r\n";
/// let mut data = [0u8; 64];
/// let (read, n) = Telnet::new().strip(bytes, &mut data);
/// assert_eq!(read, bytes.len());
/// let (_, reply) = parse_complete(&data[..n])?;
/// let mut name = [0u8; 8];
/// let len = reply.pathname()?.copy_to(&mut name)?;
/// assert_eq!(&name[..len], b"/\xff");
/// # Ok::<(), ftp_reply::Error>(())
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct Telnet {
    /// 0: data; 1: after an IAC; 2: after `IAC WILL/WONT/DO/DONT`; 3:
    /// after a data CR (a NUL next is dropped).
    state: u8,
}

/// Telnet's "interpret as command".
const IAC: u8 = 255;

impl Telnet {
    /// A connection's start: no command begun.
    #[must_use]
    pub const fn new() -> Self {
        Telnet { state: 0 }
    }

    /// Copies the data of `input`, the next bytes the server sent, into
    /// `out`, without the Telnet commands: returns how many bytes of
    /// `input` were read and how many of `out` written. Every byte of
    /// `input` is read when `out` is at least one byte longer than it (the
    /// one case where a byte read gives two: an IAC held from the call
    /// before, then a byte that is no command). With less room the copy
    /// stops at the first byte whose data does not fit in what is left of
    /// `out` (bytes that give no data are read on, `out` full or not), and
    /// that byte and the rest of `input` are for the next call: with an
    /// IAC held and one byte of room, `(0, 0)`. Linear in `input`, no look behind it; an IAC, or `IAC WILL`
    /// and the like, at the end of `input` is held (as one byte of state)
    /// until the next call.
    #[must_use = "the counts say how much was read and how much data written"]
    pub fn strip(&mut self, input: &[u8], out: &mut [u8]) -> (usize, usize) {
        let mut written = 0;
        let mut read = 0;
        for &b in input {
            let Some(data) = self.step(b, out.len().saturating_sub(written)) else {
                break;
            };
            for b in data.into_iter().flatten() {
                if let Some(slot) = out.get_mut(written) {
                    *slot = b;
                }
                written += 1;
            }
            read += 1;
        }
        (read, written)
    }

    /// [`strip`](Self::strip) in one buffer: the bytes are `buf[from..]`,
    /// their data is written from `buf[0]` on; returns how many of the
    /// bytes were read and how many written. For a firmware that reads
    /// the connection into one buffer: read into `buf[1..]` and strip
    /// with `from` 1, and every byte is read. With `from` 0 every byte is
    /// read too, unless an IAC is held from the call before and a byte
    /// that is no command comes first (two bytes for one, and no room):
    /// then nothing is read, nothing written, and `buf` is as it was.
    ///
    /// ```
    /// use ftp_reply::telnet::Telnet;
    ///
    /// let mut buf = *b".220 ok\xff\xf1\r\n";
    /// assert_eq!(Telnet::new().strip_in_place(&mut buf, 1), (10, 8));
    /// assert_eq!(&buf[..8], b"220 ok\r\n");
    /// ```
    ///
    /// With a [`Decoder`](crate::Decoder), strip into a buffer of your own
    /// and [`push`](crate::Decoder::push) the data (the decoder's own free
    /// part can be a single byte, too small for a byte that gives two):
    ///
    /// ```
    /// use ftp_reply::{telnet::Telnet, Decoder};
    ///
    /// let mut wire: &[u8] = b"\xff\xfb\x01220 ready\r\n";
    /// let (mut dec, mut telnet) = (Decoder::<64>::new(), Telnet::new());
    /// let mut buf = [0u8; 65];
    /// let mut codes = 0;
    /// loop {
    ///     let n = std::io::Read::read(&mut wire, &mut buf[1..])?;
    ///     if n == 0 {
    ///         break; // the read's own count tells the end, not the data's
    ///     }
    ///     let (_, len) = telnet.strip_in_place(&mut buf[..n + 1], 1);
    ///     let mut data = &buf[..len];
    ///     while !data.is_empty() {
    ///         data = &data[dec.push(data)..];
    ///         while let Some(reply) = dec.next() {
    ///             assert_eq!(reply?.code().get(), 220);
    ///             codes += 1;
    ///         }
    ///     }
    /// }
    /// assert_eq!(codes, 1);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use = "the counts say how much was read and how much data written"]
    pub fn strip_in_place(&mut self, buf: &mut [u8], from: usize) -> (usize, usize) {
        let mut written = 0;
        let mut read = from;
        while let Some(&b) = buf.get(read) {
            // Room: every byte from `written` up to the one just read.
            let Some(data) = self.step(b, (read + 1).saturating_sub(written)) else {
                break;
            };
            for b in data.into_iter().flatten() {
                if let Some(slot) = buf.get_mut(written) {
                    *slot = b;
                }
                written += 1;
            }
            read += 1;
        }
        (read.saturating_sub(from), written)
    }

    /// One byte read: the data it gives (none, one or two bytes), or
    /// `None`, the state left as it was, when that is more than `room`.
    fn step(&mut self, b: u8, room: usize) -> Option<[Option<u8>; 2]> {
        let (mut state, data) = match (self.state, b) {
            // After a data CR, a NUL: RFC 854's lone CR, `CR NUL`.
            (3, 0) => (0, [None, None]),
            (0 | 3, IAC) => (1, [None, None]),
            (0 | 3, _) => (0, [Some(b), None]),
            (1, IAC) => (0, [Some(IAC), None]),
            // WILL, WONT, DO, DONT: an option byte follows.
            (1, 251..=254) => (2, [None, None]),
            // RFC 854's other commands, SE (240) to SB (250).
            (1, 240..=250) => (0, [None, None]),
            // No command: the 255 was data, and so is this byte.
            (1, _) => (0, [Some(IAC), Some(b)]),
            // No option: a CR or LF (a server that wrote a Latin-1 `ÿû`
            // undoubled before its line end) stays data, so the line
            // still ends there.
            (2, b'\r' | b'\n') => (0, [Some(b), None]),
            // The option byte.
            _ => (0, [None, None]),
        };
        if data.iter().flatten().count() > room {
            return None;
        }
        // A CR given as data (in every arm that leaves state 0 with it).
        if state == 0 && b == b'\r' {
            state = 3;
        }
        self.state = state;
        Some(data)
    }

    /// Whether a command is begun and not finished: an IAC, or `IAC WILL`
    /// and the like, ended the bytes given last. At the end of the stream
    /// such a tail is no data (a lone IAC data byte would have been sent
    /// twice).
    #[must_use]
    pub const fn is_pending(&self) -> bool {
        matches!(self.state, 1 | 2)
    }
}

#[cfg(test)]
mod tests {
    use super::Telnet;

    fn strip(input: &[u8]) -> ([u8; 64], usize) {
        let mut out = [0u8; 64];
        let (read, n) = Telnet::new().strip(input, &mut out);
        assert_eq!(read, input.len());
        (out, n)
    }

    #[test]
    fn commands_out_data_in() {
        for (input, want) in [
            (&b"220 ok\r\n"[..], &b"220 ok\r\n"[..]),
            (b"\xff\xff", b"\xff"),
            (b"\xff\xf1220 ok\r\n", b"220 ok\r\n"),
            (b"\xff\xfb\x01\xff\xfe\x03220 ok\r\n", b"220 ok\r\n"),
            (b"550 caf\xff\r\n", b"550 caf\xff\r\n"),
            (b"550 caf\xff\n", b"550 caf\xff\n"),
            (b"\xff\xff\xff\xff", b"\xff\xff"),
            (b"\xff\xfa\x18\x01\xff\xf0x", b"\x18\x01x"),
            (b"a\xff", b"a"),
            // No option: the line end stays (helper 113 found the LF
            // taken as an option byte, two replies merged).
            (b"550 x\xff\xfb\n200 ok\r\n", b"550 x\n200 ok\r\n"),
            // CR NUL is a lone CR (RFC 2640's 257 of a name holding a CR);
            // a NUL anywhere else, or after a command after the CR, stays.
            (b"257 \"/a\r\0b\"\r\n", b"257 \"/a\rb\"\r\n"),
            (b"\r\0\0", b"\r\0"),
            (b"\r\r\0", b"\r\r"),
            (b"a\0", b"a\0"),
            (b"\r\xff\xf1\0", b"\r\0"),
            (b"\xff\xfb\r\0", b"\r"),
            (b"\xff\r\0", b"\xff\r"),
            (b"550 x\xff\xfe\r\n", b"550 x\r\n"),
            (b"a\xff\xfd", b"a"),
        ] {
            let (buf, n) = strip(input);
            assert_eq!(&buf[..n], want, "{input:?}");
        }
    }

    #[test]
    fn a_command_cut_between_calls() {
        let mut t = Telnet::new();
        let mut out = [0u8; 8];
        assert_eq!(t.strip(b"220 a\xff", &mut out), (6, 5));
        assert!(t.is_pending());
        assert_eq!(t.strip(b"\xfb", &mut out), (1, 0));
        assert!(t.is_pending());
        assert_eq!(t.strip(b"\x01b\r\n", &mut out), (4, 3));
        assert_eq!(&out[..3], b"b\r\n");
        assert!(!t.is_pending());
        // A 255 held, then a byte that is no command: two bytes for one,
        // and with room for one only, that byte waits.
        assert_eq!(t.strip(b"\xff", &mut out), (1, 0));
        assert_eq!(t.strip(b"\n", &mut out[..1]), (0, 0));
        assert_eq!(t.strip(b"\n", &mut out[..2]), (1, 2));
        assert_eq!(&out[..2], b"\xff\n");
    }
}
