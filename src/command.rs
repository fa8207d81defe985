//! FTP commands: the context that decides what some replies mean, and the
//! wire form a client sends.

use core::fmt;

use crate::encode::Sink;
use crate::error::{Error, ErrorKind, PayloadError};

macro_rules! commands {
    ($( $(#[$doc:meta])* $name:ident = $wire:literal; )*) => {
        /// The commands of RFC 959 and its extensions (RFC 2228, 2389,
        /// 2428, 2640, 3659, and the X-variants of RFC 1123).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[cfg_attr(feature = "defmt", derive(defmt::Format))]
        #[non_exhaustive]
        pub enum Command {
            $( $(#[$doc])* $name, )*
        }

        impl Command {
            /// Every command, in alphabetical order.
            pub const ALL: &'static [Command] = &[$(Command::$name),*];

            /// The command's name as sent on the wire (`RETR`).
            #[must_use]
            pub const fn name(self) -> &'static str {
                match self {
                    $( Command::$name => $wire, )*
                }
            }
        }
    };
}

commands! {
    /// ABOR: abort (RFC 959).
    Abor = "ABOR";
    /// ACCT: account (RFC 959).
    Acct = "ACCT";
    /// ADAT: authentication/security data (RFC 2228).
    Adat = "ADAT";
    /// ALLO: allocate (RFC 959).
    Allo = "ALLO";
    /// APPE: append (RFC 959).
    Appe = "APPE";
    /// AUTH: authentication/security mechanism (RFC 2228).
    Auth = "AUTH";
    /// CCC: clear command channel (RFC 2228).
    Ccc = "CCC";
    /// CDUP: change to parent directory (RFC 959).
    Cdup = "CDUP";
    /// CONF: confidentiality protected command (RFC 2228).
    Conf = "CONF";
    /// CWD: change working directory (RFC 959).
    Cwd = "CWD";
    /// DELE: delete (RFC 959).
    Dele = "DELE";
    /// ENC: privacy protected command (RFC 2228).
    Enc = "ENC";
    /// EPRT: extended port (RFC 2428).
    Eprt = "EPRT";
    /// EPSV: extended passive (RFC 2428).
    Epsv = "EPSV";
    /// FEAT: feature list (RFC 2389).
    Feat = "FEAT";
    /// HELP (RFC 959).
    Help = "HELP";
    /// LANG: language (RFC 2640).
    Lang = "LANG";
    /// LIST (RFC 959).
    List = "LIST";
    /// MDTM: modification time (RFC 3659).
    Mdtm = "MDTM";
    /// MIC: integrity protected command (RFC 2228).
    Mic = "MIC";
    /// MKD: make directory (RFC 959).
    Mkd = "MKD";
    /// MLSD: machine listing of a directory (RFC 3659).
    Mlsd = "MLSD";
    /// MLST: machine listing of one entry (RFC 3659).
    Mlst = "MLST";
    /// MODE: transfer mode (RFC 959).
    Mode = "MODE";
    /// NLST: name list (RFC 959).
    Nlst = "NLST";
    /// NOOP (RFC 959).
    Noop = "NOOP";
    /// OPTS: options (RFC 2389).
    Opts = "OPTS";
    /// PASS: password (RFC 959).
    Pass = "PASS";
    /// PASV: passive (RFC 959).
    Pasv = "PASV";
    /// PBSZ: protection buffer size (RFC 2228).
    Pbsz = "PBSZ";
    /// PORT: data port (RFC 959).
    Port = "PORT";
    /// PROT: data channel protection level (RFC 2228).
    Prot = "PROT";
    /// PWD: print working directory (RFC 959).
    Pwd = "PWD";
    /// QUIT: logout (RFC 959).
    Quit = "QUIT";
    /// REIN: reinitialize (RFC 959).
    Rein = "REIN";
    /// REST: restart (RFC 959, RFC 3659 for STREAM mode).
    Rest = "REST";
    /// RETR: retrieve (RFC 959).
    Retr = "RETR";
    /// RMD: remove directory (RFC 959).
    Rmd = "RMD";
    /// RNFR: rename from (RFC 959).
    Rnfr = "RNFR";
    /// RNTO: rename to (RFC 959).
    Rnto = "RNTO";
    /// SITE: site parameters (RFC 959).
    Site = "SITE";
    /// SIZE: size of file (RFC 3659).
    Size = "SIZE";
    /// SMNT: structure mount (RFC 959).
    Smnt = "SMNT";
    /// STAT: status (RFC 959).
    Stat = "STAT";
    /// STOR: store (RFC 959).
    Stor = "STOR";
    /// STOU: store unique (RFC 959).
    Stou = "STOU";
    /// STRU: file structure (RFC 959).
    Stru = "STRU";
    /// SYST: system (RFC 959).
    Syst = "SYST";
    /// TYPE: representation type (RFC 959).
    Type = "TYPE";
    /// USER: user name (RFC 959).
    User = "USER";
    /// XCUP: CDUP (RFC 1123).
    Xcup = "XCUP";
    /// XCWD: CWD (RFC 1123).
    Xcwd = "XCWD";
    /// XMKD: MKD (RFC 1123).
    Xmkd = "XMKD";
    /// XPWD: PWD (RFC 1123).
    Xpwd = "XPWD";
    /// XRMD: RMD (RFC 1123).
    Xrmd = "XRMD";
}

impl Command {
    /// The command with this name, ASCII case-insensitive (`b"size"`).
    #[must_use]
    pub fn from_name(name: &[u8]) -> Option<Command> {
        Command::ALL
            .iter()
            .copied()
            .find(|c| c.name().as_bytes().eq_ignore_ascii_case(name))
    }

    /// Writes `NAME[ SP arg] CRLF` into `out` and returns its length.
    ///
    /// An empty `arg` is written as none (`NAME CRLF`): in RFC 959's
    /// grammar an argument after the space is at least one character, so
    /// `CWD SP CRLF` is not a command line (`tests/command.rs`:
    /// `write_to_fmt_writes_refuses_and_counts`, `any_argument`).
    ///
    /// RFC 959 control lines are Telnet strings (RFC 854): a byte 255 in
    /// `arg` is Telnet's IAC, so it is written twice (`255 255`, the Telnet
    /// form of a data byte 255), as lftp does; a server reads it back as one
    /// byte 255. The length returned counts the doubled bytes.
    ///
    /// # Errors
    /// `PayloadError::ForbiddenArgument` (at the byte) when `arg` holds CR,
    /// LF or NUL: that is how a second command is smuggled into a session.
    /// [`ErrorKind::BufferFull`] when `out` is too small for the line with
    /// its bytes 255 doubled, at the offset in `out` where the write
    /// stopped.
    #[must_use = "the length says how much of `out` holds the command"]
    pub fn write_to(self, arg: Option<&[u8]>, out: &mut [u8]) -> Result<usize, Error> {
        check_argument(arg)?;
        let mut w = crate::encode::SliceWriter::new(out);
        self.emit(arg, &mut w)?;
        Ok(w.len())
    }

    /// Writes `NAME[ SP arg] CRLF` into `sink`, a byte 255 in `arg` doubled
    /// (the caller has checked `arg`). The one place a command line is put
    /// together: [`write_to`](Self::write_to) and the `embedded-io` writer
    /// both call it.
    pub(crate) fn emit<S: crate::encode::Sink + ?Sized>(
        self,
        arg: Option<&[u8]>,
        sink: &mut S,
    ) -> Result<(), Error> {
        sink.put(self.name().as_bytes())?;
        if let Some(arg) = arg.filter(|a| !a.is_empty()) {
            sink.put(b" ")?;
            put_telnet(arg, sink)?;
        }
        sink.put(b"\r\n")
    }

    /// Writes `NAME[ SP arg] CRLF` through `w`.
    ///
    /// A `&str` is UTF-8, which never uses the byte 255 (Telnet's IAC), so
    /// nothing in `arg` needs the doubling that
    /// [`write_to`](Self::write_to) does: the bytes are written as they are.
    ///
    /// Named `write_to_fmt`, not `write_fmt`: that is the method `write!`
    /// calls, and a `Command` is not a writer.
    ///
    /// # Errors
    /// `ForbiddenArgument` as [`write_to`](Self::write_to); a formatter error
    /// becomes [`ErrorKind::BufferFull`], at the count of bytes written
    /// through `w` before it.
    pub fn write_to_fmt<W: fmt::Write>(self, arg: Option<&str>, w: &mut W) -> Result<(), Error> {
        check_argument(arg.map(str::as_bytes))?;
        let mut sink = crate::encode::FmtSink::new(w);
        sink.put(self.name().as_bytes())?;
        if let Some(arg) = arg.filter(|a| !a.is_empty()) {
            sink.put(b" ")?;
            sink.put(arg.as_bytes())?;
        }
        sink.put(b"\r\n")
    }
}

/// Telnet's "interpret as command" byte (RFC 854).
const IAC: u8 = 255;

/// Writes `bytes` as Telnet data: each byte 255 (IAC) written twice.
pub(crate) fn put_telnet<S: crate::encode::Sink + ?Sized>(
    bytes: &[u8],
    sink: &mut S,
) -> Result<(), Error> {
    // Each piece ends with its IAC, if it has one; the IAC is written
    // again after it.
    for piece in bytes.split_inclusive(|b| *b == IAC) {
        sink.put(piece)?;
        if piece.last() == Some(&IAC) {
            sink.put(&[IAC])?;
        }
    }
    Ok(())
}

pub(crate) fn check_argument(arg: Option<&[u8]>) -> Result<(), Error> {
    match arg.and_then(|a| crate::scan::find3(b'\r', b'\n', 0, a)) {
        Some(at) => Err(Error::new(
            ErrorKind::Payload(PayloadError::ForbiddenArgument),
            at,
        )),
        None => Ok(()),
    }
}

impl fmt::Display for Command {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `Display` writes the command's name. (Mutation testing.)
    #[test]
    fn display_is_the_name() {
        extern crate std;
        use std::string::ToString;
        assert_eq!(Command::Retr.to_string(), "RETR");
        assert_eq!(Command::Mlst.to_string(), Command::Mlst.name());
    }

    #[test]
    fn wire() {
        let mut buf = [0u8; 32];
        let n = Command::Retr
            .write_to(Some(b"hello.txt"), &mut buf)
            .unwrap();
        assert_eq!(&buf[..n], b"RETR hello.txt\r\n");
        let n = Command::Pasv.write_to(None, &mut buf).unwrap();
        assert_eq!(&buf[..n], b"PASV\r\n");
        let e = Command::Cwd
            .write_to(Some(b"x\r\nDELE y"), &mut buf)
            .unwrap_err();
        assert_eq!(
            e.kind(),
            ErrorKind::Payload(PayloadError::ForbiddenArgument)
        );
        assert_eq!(e.offset(), 1);
        assert_eq!(
            Command::Retr
                .write_to(Some(b"a-very-long-name.txt"), &mut [0u8; 8])
                .unwrap_err()
                .kind(),
            ErrorKind::BufferFull
        );
        assert_eq!(Command::from_name(b"size"), Some(Command::Size));
        assert_eq!(Command::from_name(b"nope"), None);
        for c in Command::ALL {
            assert_eq!(Command::from_name(c.name().as_bytes()), Some(*c));
        }
    }

    /// A byte 255 (Telnet IAC) in an argument is written as 255 255.
    #[test]
    fn iac_is_doubled() {
        let mut buf = [0u8; 32];
        let n = Command::Retr
            .write_to(Some(b"a\xffb\xff\xff"), &mut buf)
            .unwrap();
        assert_eq!(n, 15);
        assert_eq!(&buf[..n], b"RETR a\xff\xffb\xff\xff\xff\xff\r\n");
        let n = Command::Cwd.write_to(Some(b"\xff"), &mut buf).unwrap();
        assert_eq!(&buf[..n], b"CWD \xff\xff\r\n");
        // The undoubled line would fit in 7 bytes, the doubled one needs 8.
        assert_eq!(n, 8);
        let e = Command::Cwd
            .write_to(Some(b"\xff"), &mut [0u8; 7])
            .unwrap_err();
        assert_eq!(e.kind(), ErrorKind::BufferFull);
        assert_eq!(Command::Cwd.write_to(Some(b"\xff"), &mut [0u8; 8]), Ok(8));
        // CR, LF and NUL are still refused, wherever an IAC stands.
        for (arg, at) in [(&b"\xff\r"[..], 1), (b"\xff\xff\n", 2), (b"a\0\xff", 1)] {
            let e = Command::Stor.write_to(Some(arg), &mut buf).unwrap_err();
            assert_eq!(
                e.kind(),
                ErrorKind::Payload(PayloadError::ForbiddenArgument),
                "{arg:?}"
            );
            assert_eq!(e.offset(), at, "{arg:?}");
        }
    }
}
