//! A scripted control connection for `client::Session` tests (shared by
//! `tests/client_sessions.rs` and `tests/client_claims.rs`).

use embedded_io::{ErrorKind, ErrorType, Read, Write};

/// EPSV and vsftpd's answer to it, a script line the tests share.
pub const EPSV: (&[u8], &[u8]) = (
    b"EPSV\r\n",
    b"229 Entering Extended Passive Mode (|||40000|)\r\n",
);

/// A control connection: each line written must be the next one of the
/// script, and queues its answer; a read takes all that is queued (when
/// nothing is: `when_empty`'s error, or the end of the stream).
pub struct Server {
    pub script: Vec<(&'static [u8], &'static [u8])>,
    pub queued: Vec<u8>,
    pub written: Vec<u8>,
    pub when_empty: Option<ErrorKind>,
}

impl Server {
    /// A server that has sent `greeting` and answers `script`, the end of
    /// the stream after it.
    pub fn new(greeting: &[u8], script: Vec<(&'static [u8], &'static [u8])>) -> Self {
        Server {
            script,
            queued: greeting.to_vec(),
            written: Vec::new(),
            when_empty: None,
        }
    }
}

impl ErrorType for Server {
    type Error = ErrorKind;
}

impl Read for Server {
    fn read(&mut self, buf: &mut [u8]) -> Result<usize, ErrorKind> {
        if self.queued.is_empty()
            && let Some(e) = self.when_empty
        {
            return Err(e);
        }
        let n = buf.len().min(self.queued.len());
        buf[..n].copy_from_slice(&self.queued[..n]);
        self.queued.drain(..n);
        Ok(n)
    }
}

impl Write for Server {
    fn write(&mut self, buf: &[u8]) -> Result<usize, ErrorKind> {
        self.written.extend_from_slice(buf);
        if self.written.ends_with(b"\r\n") {
            assert!(
                !self.script.is_empty(),
                "a line the script does not have: {}",
                self.written.escape_ascii()
            );
            let (line, answer) = self.script.remove(0);
            assert_eq!(
                self.written.escape_ascii().to_string(),
                line.escape_ascii().to_string(),
                "line sent"
            );
            self.written.clear();
            self.queued.extend_from_slice(answer);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> Result<(), ErrorKind> {
        Ok(())
    }
}
