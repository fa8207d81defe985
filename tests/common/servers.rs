//! The four local test servers (tests/servers/): which, where, and the
//! skip rule. Included by `tests/real_servers.rs` and
//! `tests/client_real.rs` with `#[path]`.

use std::io::Write as _;
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpStream};
use std::time::Duration;

const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Server {
    Vsftpd,
    Proftpd,
    PureFtpd,
    Pyftpdlib,
}

impl Server {
    pub fn name(self) -> &'static str {
        match self {
            Server::Vsftpd => "vsftpd",
            Server::Proftpd => "proftpd",
            Server::PureFtpd => "pure-ftpd",
            Server::Pyftpdlib => "pyftpdlib",
        }
    }

    pub fn env(self) -> &'static str {
        match self {
            Server::Vsftpd => "FTP_REPLY_VSFTPD",
            Server::Proftpd => "FTP_REPLY_PROFTPD",
            Server::PureFtpd => "FTP_REPLY_PUREFTPD",
            Server::Pyftpdlib => "FTP_REPLY_PYFTPDLIB",
        }
    }

    pub fn default_addr(self) -> &'static str {
        match self {
            Server::Vsftpd => "127.0.0.1:2121",
            Server::Proftpd => "127.0.0.1:2122",
            Server::PureFtpd => "127.0.0.1:2123",
            Server::Pyftpdlib => "127.0.0.1:2124",
        }
    }

    /// The passive port range of its configuration (tests/servers/README.md).
    pub fn passive_ports(self) -> std::ops::RangeInclusive<u16> {
        match self {
            Server::Vsftpd => 40000..=40019,
            Server::Proftpd => 40020..=40039,
            Server::PureFtpd => 40040..=40059,
            Server::Pyftpdlib => 40060..=40079,
        }
    }
}

/// The control address from the environment (127.0.0.1 only).
pub fn control_addr(server: Server) -> SocketAddr {
    let text = std::env::var(server.env()).unwrap_or_else(|_| server.default_addr().to_owned());
    let addr: SocketAddr = text
        .parse()
        .unwrap_or_else(|e| panic!("{}={text:?} is not an address: {e}", server.env()));
    assert_eq!(
        addr.ip(),
        IpAddr::V4(Ipv4Addr::LOCALHOST),
        "{}: these tests talk to 127.0.0.1 only",
        server.env()
    );
    addr
}

/// Connects, or skips (prints why and returns `None`), or fails when
/// `FTP_REPLY_REQUIRE_SERVERS=1`.
pub fn connect_or_skip(server: Server) -> Option<TcpStream> {
    let addr = control_addr(server);
    match TcpStream::connect_timeout(&addr, CONNECT_TIMEOUT) {
        Ok(s) => Some(s),
        Err(e) => {
            let msg = format!(
                "skipping {}: not running on {addr} (start it with tests/servers/start.sh)",
                server.name()
            );
            if std::env::var("FTP_REPLY_REQUIRE_SERVERS").as_deref() == Ok("1") {
                panic!("{msg} [FTP_REPLY_REQUIRE_SERVERS=1; connect: {e}]");
            }
            // Straight to stderr: libtest's capture would hide eprintln!
            // for a passing test.
            let _ = writeln!(std::io::stderr(), "{msg}");
            None
        }
    }
}
