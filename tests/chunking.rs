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
        assert_eq!(
            lines[1],
            r#"{"error":"reply longer than the 32-byte buffer","offset":8}"#
        );
        assert!(lines[2].contains(r#""code":221"#));
        assert!(!ok);
    }
}
