//! The dump example's `--chunk N` output is byte-for-byte its default
//! output, for every recorded transcript and several chunk sizes; a buffer
//! smaller than a reply gives one error object for it and the later replies
//! still print.

#[allow(dead_code)]
#[path = "../examples/dump/render.rs"]
mod render;

use std::path::Path;

fn inputs() -> Vec<(String, Vec<u8>)> {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let mut out = Vec::new();
    for dir in std::fs::read_dir(data).expect("tests/data") {
        let dir = dir.expect("entry").path();
        if !dir.is_dir() {
            continue;
        }
        for f in std::fs::read_dir(&dir).expect("dir") {
            let f = f.expect("entry").path();
            if f.extension().is_some_and(|e| e == "raw") {
                out.push((f.display().to_string(), std::fs::read(&f).expect("read")));
            }
        }
    }
    // Odd cases beside the recordings: garbage, a NUL, bare LF, an
    // unterminated block at the end.
    out.push((
        "synthetic".into(),
        b"hello\r\n220 ok\n227 x (1,2,3,4,5)\r\n211-a\0b\r\n 2\r\n211 e\r\n214-x\r\n 200 y\r\n214 z\r\n331-open"
            .to_vec(),
    ));
    // Issue #10: inputs where no reply parses, or whose tail is cut, gave a
    // different chunked output when the buffer was sized from the longest
    // reply (1 byte when there was none).
    for (name, bytes) in [
        ("only garbage", &b"hello\r\nworld"[..]),
        ("bad code, no line end", b"2x0 ok"),
        ("NUL in a block, unterminated", b"211-a\r\n b\0c\r\n d\r\n"),
        (
            "NUL in a block, then a reply",
            b"211-a\r\n b\0c\r\n211 End\r\n257 \"/\"\r\n",
        ),
        ("unterminated line", b"220 ready"),
        ("unterminated block", b"230-Welcome\r\n230-more"),
        ("code then end", b"226"),
        ("lone CR", b"\r"),
    ] {
        out.push((name.into(), bytes.to_vec()));
    }
    out
}

#[test]
fn chunked_dump_equals_whole_dump() {
    let opts = render::Options::default();
    for (name, input) in inputs() {
        let whole = render::dump(&input, &opts);
        for chunk in [1, 2, 3, 7, 64] {
            let chunked = render::dump_chunked(&input, &opts, chunk, None);
            assert_eq!(chunked, whole, "{name} in chunks of {chunk}");
        }
    }
}

#[test]
fn small_buffer_gives_one_error_per_long_reply() {
    let input = b"220 ok\r\n214-The following commands are recognized.\r\n ABOR ACCT ALLO\r\n214 Help OK.\r\n221 bye\r\n";
    for chunk in [1, 7, 64] {
        let (out, ok) = render::dump_chunked(input, &render::Options::default(), chunk, Some(32));
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 3, "chunk {chunk}: {out}");
        assert!(lines[0].contains(r#""code":220"#));
        // Issue #10: the reply too long for the buffer still says it was a
        // 214 (it was an error without a code before).
        assert_eq!(
            lines[1],
            r#"{"code":214,"kind":"help_message","error":"reply longer than the 32-byte buffer","truncated":true}"#
        );
        assert!(lines[2].contains(r#""code":221"#));
        assert!(!ok);
    }
}

mod generated {
    use super::render;
    use proptest::collection::vec;
    use proptest::prelude::*;

    /// Pieces of replies, whole and broken: codes, separators, block
    /// openers and closers, NUL, bare CR and LF, payloads, garbage.
    const PIECES: &[&[u8]] = &[
        b"220 ok\r\n",
        b"211-Features:\r\n",
        b" MDTM\r\n",
        b" SI\0ZE\r\n",
        b"211 End\r\n",
        b"211-x\n",
        b"211 \r\n",
        b"214-214 x\r\n",
        b"214 end\n",
        b"\0",
        b"\r",
        b"\n",
        b"2",
        b"21",
        b"211",
        b"-",
        b" ",
        b"abc",
        b"999 x\r\n",
        b"100-",
        b"227 Entering Passive Mode (127,0,0,1,4,1)\r\n",
        b"227 =1,2,3,4,5,",
        b"213 12\r\n",
        b"257 \"/a \"\"b\"\"\" ok\r\n",
        b"150 Opening (12 bytes)\r\n",
        b"553-Could not create file.\r\n",
        b"\xff\xfe",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// Issue #10, item 9, for any input made of those pieces: without
        /// `--buffer`, `--chunk N` prints exactly what the whole dump does,
        /// strict and lenient, with and without `--after`.
        #[test]
        fn chunked_dump_equals_whole_dump_for_generated_input(
            picks in vec(0..PIECES.len(), 0..40),
            lenient: bool,
            after_size: bool,
            chunk in 1usize..70,
        ) {
            let input: Vec<u8> = picks.iter().flat_map(|&i| PIECES[i].iter().copied()).collect();
            let opts = render::Options {
                lenient,
                after: after_size.then(|| "SIZE f".to_string()),
                ..render::Options::default()
            };
            let whole = render::dump(&input, &opts);
            let chunked = render::dump_chunked(&input, &opts, chunk, None);
            prop_assert_eq!(chunked, whole, "{:?} in chunks of {}", String::from_utf8_lossy(&input), chunk);
        }
    }
}

/// `Debug` on a decoder and on the client engine shows what they hold,
/// not their buffers (a `Decoder<4096>` printed 4,096 numbers), as their
/// `defmt::Format` does.
#[test]
fn debug_shows_the_fill_not_the_buffer() {
    let mut dec = ftp_reply::Decoder::<4096>::new();
    assert_eq!(dec.push(b"220 Hi\r\n331"), 11);
    assert_eq!(format!("{dec:?}"), "Decoder { len: 11, capacity: 4096 }");
    let c = ftp_reply::client::Client::<4096>::new(core::net::IpAddr::V4(
        core::net::Ipv4Addr::LOCALHOST,
    ));
    let shown = format!("{c:?}");
    assert!(shown.starts_with("Client { waiting: "), "{shown}");
    assert!(shown.ends_with(", buffered: 0 }"), "{shown}");
    assert!(shown.len() < 200, "{shown}");
}
