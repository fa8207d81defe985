//! The README's "A whole session in firmware" function, run: `fetch.rs`
//! holds it and `readme_holds_this_fetch` checks that README.md shows
//! exactly that text (firmware-check/ builds the README's copy for
//! thumbv7em-none-eabihf).

include!("readme_session/fetch.rs");

include!("readme_session/scripted.rs");

const PEER: IpAddr = IpAddr::V4(core::net::Ipv4Addr::new(192, 0, 2, 1));

fn script(replies: &'static [&'static [u8]]) -> Scripted {
    Scripted {
        replies,
        next: 0,
        answer: true,
    }
}

#[test]
fn readme_holds_this_fetch() {
    let readme = include_str!("../README.md");
    assert!(
        readme.contains(include_str!("readme_session/fetch.rs")),
        "README.md's fetch differs from tests/readme_session/fetch.rs"
    );
}

#[test]
fn fetches_through_epsv() {
    let mut control = script(SESSION);
    let mut got = Vec::new();
    let mut asked = Vec::new();
    let ok = fetch(
        &mut control,
        PEER,
        |to| {
            asked.push(to);
            Some(&b"hello"[..])
        },
        b"f",
        |c| got.extend_from_slice(c),
    );
    assert_eq!(ok, Ok(true));
    assert_eq!(got, b"hello");
    assert_eq!(asked, [SocketAddr::new(PEER, 40001)]);
    assert_eq!(control.next, SESSION.len());
}

#[test]
fn falls_back_to_pasv_and_keeps_to_the_peer() {
    const PASV: &[&[u8]] = &[
        b"220-Welcome\r\n220 ready\r\n",
        b"230 no password needed\r\n",
        b"200 binary\r\n",
        b"502 EPSV not implemented\r\n",
        b"227 Entering Passive Mode (10,9,8,7,156,65).\r\n",
        b"125 Data connection already open; transfer starting.\r\n",
        b"226 Transfer complete.\r\n",
        b"221 Goodbye.\r\n",
    ];
    let mut control = script(PASV);
    let mut asked = Vec::new();
    let ok = fetch(
        &mut control,
        PEER,
        |to| {
            asked.push(to);
            Some(&b"abc"[..])
        },
        b"f",
        |_| {},
    );
    assert_eq!(ok, Ok(true));
    assert_eq!(asked, [SocketAddr::new(PEER, 156 * 256 + 65)]);
}

#[test]
fn refused_retrieve_is_false() {
    const REFUSED: &[&[u8]] = &[
        b"220 ready\r\n",
        b"331 password\r\n",
        b"230 logged in\r\n",
        b"200 binary\r\n",
        b"229 Entering Extended Passive Mode (|||40001|)\r\n",
        b"550 f: No such file or directory.\r\n",
    ];
    let mut control = script(REFUSED);
    let ok = fetch(&mut control, PEER, |_| Some(&b""[..]), b"f", |_| {});
    assert_eq!(ok, Ok(false));
}

#[test]
fn a_421_ends_it() {
    const GONE: &[&[u8]] = &[b"421 Too many users, try later.\r\n"];
    let mut control = script(GONE);
    let ok = fetch(&mut control, PEER, |_| Some(&b""[..]), b"f", |_| {});
    assert_eq!(ok, Ok(false));
}
