// The scripted control connection that runs the README's `fetch`: here
// (tests/readme_session.rs) and on thumbv7em (firmware-check/src/main.rs),
// both through `include!`.

/// A control connection that answers each command line with the next
/// scripted reply (the greeting first, and the reply after a 1xx
/// unasked).
struct Scripted {
    replies: &'static [&'static [u8]],
    next: usize,
    answer: bool,
}

impl embedded_io::ErrorType for Scripted {
    type Error = core::convert::Infallible;
}

impl embedded_io::Read for Scripted {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, Self::Error> {
        let Some(reply) = self.replies.get(self.next).filter(|_| self.answer) else {
            return Ok(0);
        };
        let n = reply.len().min(buf.len());
        buf[..n].copy_from_slice(&reply[..n]);
        self.next += 1;
        // A preliminary reply (1xx) is followed by the final one unasked.
        self.answer = reply.first() == Some(&b'1');
        Ok(n)
    }
}

impl embedded_io::Write for Scripted {
    fn write(&mut self, buf: &[u8]) -> Result<usize, Self::Error> {
        if buf.contains(&b'\n') {
            self.answer = true;
        }
        Ok(buf.len())
    }
    fn flush(&mut self) -> Result<(), Self::Error> {
        Ok(())
    }
}

const SESSION: &[&[u8]] = &[
    b"220 ready\r\n",
    b"331 password\r\n",
    b"230 logged in\r\n",
    b"200 binary\r\n",
    b"229 Entering Extended Passive Mode (|||40001|)\r\n",
    // The transfer's two replies come in one read.
    b"150 Opening BINARY mode data connection for f (5 bytes).\r\n226 Transfer complete.\r\n",
    b"221 Goodbye.\r\n",
];
