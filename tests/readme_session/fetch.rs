use core::net::{IpAddr, SocketAddr};
use embedded_io::{Read, Write};
use ftp_reply::client::{Client, CloseReason, EventKind};

/// Logs in, fetches `path` into `on_data`, logs out. `Ok(false)`: the
/// server refused a step or broke the session.
fn fetch<C: Read + Write, D: Read>(
    control: &mut C,
    peer: IpAddr,
    mut connect: impl FnMut(SocketAddr) -> Option<D>,
    path: &[u8],
    mut on_data: impl FnMut(&[u8]),
) -> Result<bool, C::Error> {
    let mut ftp = Client::<512>::new(peer);
    let _ = ftp.login(b"anonymous", b"guest@", None);
    let mut data = None;
    loop {
        let _ = match ftp.poll_event().map(|event| event.kind) {
            Some(EventKind::LoggedIn) => ftp.binary(),
            Some(EventKind::Done) => ftp.retrieve(path, 0),
            Some(EventKind::Connect(to)) => {
                data = connect(to.connect_to);
                match data {
                    Some(_) => ftp.data_connected(),
                    None => ftp.data_failed(),
                }
            }
            Some(EventKind::TransferStarted(_)) => loop {
                let mut buf = [0u8; 256];
                match data.as_mut().map(|d| d.read(&mut buf)) {
                    Some(Ok(0)) => break ftp.data_end(),
                    Some(Ok(n)) => on_data(&buf[..n]),
                    _ => break ftp.data_failed(),
                }
            },
            Some(EventKind::TransferDone) => ftp.quit(),
            Some(EventKind::Closed(why)) => return Ok(why == CloseReason::Quit),
            Some(_) => return Ok(false),
            None => {
                let out = ftp.transmit();
                let sent = out.len();
                if sent > 0 {
                    control.write_all(out)?;
                    ftp.sent(sent);
                } else if ftp.receive_with(|buf| control.read(buf))? == 0 {
                    ftp.control_closed();
                }
                Ok(())
            }
        };
    }
}
