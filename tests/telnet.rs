//! `telnet::Telnet` against its docs: a naive model written from them
//! (a `Vec` and a loop), the law that any split of a stream gives the
//! data of the whole, and the law that what `Command::write_to` writes
//! (a byte 255 doubled, as RFC 854 asks) strips back to the argument.
//! Replies a real server writes so (vsftpd's `ftpcmdio.c` and BusyBox's
//! `cmdio_write` double every 255 of a reply) parse to the name itself.

use ftp_reply::telnet::Telnet;
use ftp_reply::{Command, Decoder, parse_complete};
use proptest::collection::vec;
use proptest::prelude::*;
use proptest::sample::select;

/// The docs, as a model: IAC IAC is 255; IAC and WILL/WONT/DO/DONT and
/// one more byte are dropped, unless that byte is a CR or LF, which stays
/// data; IAC and 240..=250 are dropped; IAC and any other byte are both
/// data; a NUL right after a CR given as data (the byte before it in the
/// input) is dropped; a command cut at the end is dropped (and `pending`
/// says so).
fn model(input: &[u8]) -> (Vec<u8>, bool) {
    let mut out = Vec::new();
    let mut i = 0;
    // Where the last CR given as data stood in the input.
    let mut data_cr = None;
    while i < input.len() {
        if input[i] == 0 && i > 0 && data_cr == Some(i - 1) {
            i += 1;
            continue;
        }
        if input[i] != 255 {
            out.push(input[i]);
            if input[i] == b'\r' {
                data_cr = Some(i);
            }
            i += 1;
            continue;
        }
        match input.get(i + 1) {
            None => return (out, true),
            Some(255) => {
                out.push(255);
                i += 2;
            }
            Some(251..=254) => {
                match input.get(i + 2) {
                    None => return (out, true),
                    Some(&b @ (b'\r' | b'\n')) => {
                        out.push(b);
                        if b == b'\r' {
                            data_cr = Some(i + 2);
                        }
                    }
                    Some(_) => {}
                }
                i += 3;
            }
            Some(240..=250) => i += 2,
            Some(&b) => {
                out.push(255);
                out.push(b);
                if b == b'\r' {
                    data_cr = Some(i + 1);
                }
                i += 2;
            }
        }
    }
    (out, false)
}

/// `input` cut at `cuts` (offsets taken modulo its length plus one, any
/// order): the pieces in order, empty ones too.
fn pieces<'a>(input: &'a [u8], cuts: &[usize]) -> Vec<&'a [u8]> {
    let mut at: Vec<usize> = cuts.iter().map(|c| c % (input.len() + 1)).collect();
    at.push(0);
    at.push(input.len());
    at.sort_unstable();
    at.windows(2).map(|w| &input[w[0]..w[1]]).collect()
}

/// `input` through one `Telnet`, cut at `cuts`.
fn stripped(input: &[u8], cuts: &[usize]) -> (Vec<u8>, bool) {
    let mut t = Telnet::new();
    let mut out = Vec::new();
    for piece in pieces(input, cuts) {
        let mut data = vec![0u8; piece.len() + 1];
        let (read, n) = t.strip(piece, &mut data);
        assert_eq!(
            read,
            piece.len(),
            "one byte more than the input takes it all"
        );
        out.extend_from_slice(&data[..n]);
    }
    (out, t.is_pending())
}

/// The same through `strip_in_place`: each piece read into a buffer after
/// `from` bytes of room (a firmware's one buffer), what is not read given
/// again with one byte of room (`from` 0 can stop at a held IAC).
fn stripped_in_place(input: &[u8], cuts: &[usize], from: usize) -> (Vec<u8>, bool) {
    let mut t = Telnet::new();
    let mut out = Vec::new();
    for mut piece in pieces(input, cuts) {
        let mut from = from;
        while !piece.is_empty() {
            let mut buf = vec![b'?'; from];
            buf.extend_from_slice(piece);
            let (read, n) = t.strip_in_place(&mut buf, from);
            assert!(read == piece.len() || (from == 0 && read == 0 && n == 0));
            if read == 0 {
                assert_eq!(&buf[..], piece, "nothing read, nothing changed");
            }
            out.extend_from_slice(&buf[..n]);
            piece = &piece[read..];
            from = 1;
        }
    }
    (out, t.is_pending())
}

/// Bytes where 255 and the command bytes are common.
fn telnet_bytes() -> impl Strategy<Value = Vec<u8>> {
    vec(
        prop_oneof![
            3 => select(vec![255u8, 251, 252, 253, 254, 240, 241, 250, 239, 0]),
            2 => any::<u8>(),
            2 => select(b"220 ok\r\n".to_vec()),
        ],
        0..64,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(10_000))]

    /// The model, and any split of the stream, give the same data and the
    /// same pending state as the whole in one call.
    #[test]
    fn any_split_strips_as_the_model(input in telnet_bytes(), cuts in vec(any::<usize>(), 0..6)) {
        let whole = stripped(&input, &[]);
        prop_assert_eq!(&whole, &model(&input));
        prop_assert_eq!(stripped(&input, &cuts), whole);
    }

    /// `strip_in_place`, with no room and with one byte of room before
    /// the bytes, gives what `strip` gives.
    #[test]
    fn in_place_strips_as_the_model(input in telnet_bytes(), cuts in vec(any::<usize>(), 0..6)) {
        let want = model(&input);
        prop_assert_eq!(stripped_in_place(&input, &cuts, 1), want.clone());
        prop_assert_eq!(stripped_in_place(&input, &cuts, 0), want);
    }

    /// What `Command::write_to` writes strips back to the line with the
    /// argument as it was (the doubled 255s single again).
    #[test]
    fn a_written_command_strips_to_its_argument(arg in vec(any::<u8>(), 1..40)) {
        let arg: Vec<u8> = arg.into_iter().filter(|b| !matches!(b, b'\r' | b'\n' | 0)).collect();
        prop_assume!(!arg.is_empty());
        let mut out = [0u8; 128];
        let n = Command::Cwd.write_to(Some(&arg), &mut out).unwrap();
        let mut want = b"CWD ".to_vec();
        want.extend_from_slice(&arg);
        want.extend_from_slice(b"\r\n");
        prop_assert_eq!(stripped(&out[..n], &[]), (want, false));
    }

    /// Bytes with no 255 and no CR NUL are left as they are.
    #[test]
    fn no_iac_no_change(input in vec(0u8..255, 0..64)) {
        prop_assume!(!input.windows(2).any(|w| w == b"\r\0"));
        prop_assert_eq!(stripped(&input, &[]), (input, false));
    }
}

/// vsftpd doubles a 255 in a name (`257 "/\xff\xff"` for the directory
/// `/\xff`, Latin-1 `/ÿ`), and a server may send `IAC NOP` or option
/// negotiation before a reply: stripped, the path is the name, and no
/// reply is lost (unstripped, the first is the name with two bytes and the
/// second an error at byte 0).
#[test]
fn vsftpd_doubled_path_and_commands_between_replies() {
    let bytes =
        b"\xff\xf1220 (vsFTPd 3.0.3)\r\n\xff\xfb\x01257 \"/\xff\xff\" is the current directory\r\n";
    let mut data = [0u8; 128];
    let (_, n) = Telnet::new().strip(bytes, &mut data);
    let (rest, greeting) = parse_complete(&data[..n]).unwrap();
    assert_eq!(greeting.code().get(), 220);
    let (rest, pwd) = parse_complete(rest).unwrap();
    assert!(rest.is_empty());
    let mut name = [0u8; 8];
    let len = pwd.pathname().unwrap().copy_to(&mut name).unwrap();
    assert_eq!(&name[..len], b"/\xff");

    // Unstripped, as the README says the parser reads raw lines.
    let raw = b"\xff\xf1220 ok\r\n";
    assert_eq!(parse_complete(raw).unwrap_err().offset(), 0);
}

/// Stripping into a `Decoder`'s pushes, byte by byte: the same replies as
/// the whole stripped at once (the use the module docs give).
#[test]
fn stripped_pushes_into_a_decoder() {
    let stream = b"\xff\xfd\x03220-hi\r\n\xff\xf1220 there\r\n257 \"/\xff\xff\"\r\n";
    let mut t = Telnet::new();
    let mut dec = Decoder::<64>::new();
    let mut codes = Vec::new();
    let mut paths = Vec::new();
    for b in stream.chunks(1) {
        let mut data = [0u8; 2];
        let (_, n) = t.strip(b, &mut data);
        let _ = dec.push(&data[..n]);
        while let Some(Ok(r)) = dec.next() {
            codes.push(r.code().get());
            if let Ok(p) = r.pathname() {
                let mut name = [0u8; 8];
                let len = p.copy_to(&mut name).unwrap();
                paths.push(name[..len].to_vec());
            }
        }
    }
    assert_eq!(codes, [220, 257]);
    assert_eq!(paths, [b"/\xff".to_vec()]);
}

/// The docs byte by byte, as a model of one call: the data a byte gives
/// in a state (0: data, 1: after an IAC, 2: after `IAC WILL` and the
/// like: a CR or LF there is data, 3: after a CR given as data: a NUL
/// there is dropped), and the state after it.
fn step(state: u8, b: u8) -> (u8, Vec<u8>) {
    let (next, data) = match (state, b) {
        (3, 0) => (0, vec![]),
        (0 | 3, 255) => (1, vec![]),
        (0 | 3, _) => (0, vec![b]),
        (1, 255) => (0, vec![255]),
        (1, 251..=254) => (2, vec![]),
        (1, 240..=250) => (0, vec![]),
        (1, _) => (0, vec![255, b]),
        (2, b'\r' | b'\n') => (0, vec![b]),
        _ => (0, vec![]),
    };
    if data.last() == Some(&b'\r') && b == b'\r' {
        (3, data)
    } else {
        (next, data)
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(10_000))]

    /// `strip` into an `out` of any size, zero and shorter than the input
    /// included: each call reads the bytes whose data fits in `out` and
    /// stops at the first that does not ("the rest of `input` is for the
    /// next call"), writes nothing past what it counts, keeps the state
    /// of what it read, and reads every byte when `out` is one longer
    /// than the input; the calls together give the model's data.
    #[test]
    fn strip_into_any_out_reads_what_fits(
        input in telnet_bytes(),
        outs in vec(0usize..80, 1..40),
    ) {
        let mut t = Telnet::new();
        let mut state = 0u8;
        let mut rest = &input[..];
        let mut data = Vec::new();
        for &len in &outs {
            let mut out = vec![b'?'; len + 2];
            let (read, written) = t.strip(rest, &mut out[..len]);
            let (mut want_read, mut want) = (0, Vec::new());
            for &b in rest {
                let (next, d) = step(state, b);
                if want.len() + d.len() > len {
                    break;
                }
                state = next;
                want.extend(d);
                want_read += 1;
            }
            prop_assert_eq!((read, &out[..written]), (want_read, &want[..]));
            prop_assert!(out[len..].iter().all(|&b| b == b'?'));
            prop_assert_eq!(t.is_pending(), matches!(state, 1 | 2));
            if len > rest.len() {
                prop_assert_eq!(read, rest.len());
            }
            data.extend_from_slice(&want);
            rest = &rest[read..];
        }
        if rest.is_empty() {
            prop_assert_eq!((data, t.is_pending()), model(&input));
        }
    }

    /// `strip_in_place` with any `from`, past the end of `buf` and at it
    /// included: from 1 on, every byte of `buf[from..]` is read; past the
    /// end nothing is read or written and `buf` is as it was; with 0,
    /// the one stop is a held IAC before a byte that is no command.
    #[test]
    fn in_place_from_anywhere(
        held in select(vec![&b""[..], b"\xff", b"\xff\xfb"]),
        input in telnet_bytes(),
        from in 0usize..70,
    ) {
        let mut t = Telnet::new();
        let _ = t.strip(held, &mut [0u8; 2]);
        let mut whole = held.to_vec();
        whole.extend_from_slice(&input);
        let want = model(&whole);
        let mut buf = vec![b'?'; from];
        buf.extend_from_slice(&input);
        let (read, written) = t.strip_in_place(&mut buf, from);
        let stop = from == 0
            && held == b"\xff"
            && input.first().is_some_and(|&b| b < 240);
        if stop {
            prop_assert_eq!((read, written), (0, 0));
            prop_assert_eq!(&buf[..], &input[..]);
            prop_assert!(t.is_pending());
        } else {
            prop_assert_eq!(read, input.len());
            prop_assert_eq!((buf[..written].to_vec(), t.is_pending()), want);
        }
        for past in [buf.len(), buf.len() + 1, usize::MAX] {
            let before = (buf.clone(), t);
            prop_assert_eq!(t.strip_in_place(&mut buf, past), (0, 0));
            prop_assert_eq!((buf.clone(), t), before);
        }
    }
}

/// Each call is linear in its input: a megabyte of 255s and command
/// bytes through one-byte-longer outputs, and through two-byte outputs
/// (every call reads at least one byte: no call is stuck).
#[test]
fn a_megabyte_in_one_call_and_in_two_byte_outputs() {
    let input: Vec<u8> = (0..1 << 20)
        .map(|i: u32| [255, 251, 1, 255, 255, b'a', 255, 10, 241][i as usize % 9])
        .collect();
    let mut out = vec![0u8; input.len() + 1];
    let (read, n) = Telnet::new().strip(&input, &mut out);
    assert_eq!(read, input.len());
    let whole = out[..n].to_vec();
    let mut t = Telnet::new();
    let (mut rest, mut data, mut calls) = (&input[..], Vec::new(), 0);
    while !rest.is_empty() {
        let (read, n) = t.strip(rest, &mut out[..2]);
        assert!(read > 0, "stuck with {} bytes left", rest.len());
        data.extend_from_slice(&out[..n]);
        rest = &rest[read..];
        calls += 1;
    }
    assert!(calls <= input.len());
    assert_eq!(data, whole);
}
