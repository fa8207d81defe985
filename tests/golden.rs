//! The dump example's output on recorded real-server transcripts stays what
//! it was: `tests/data/<server>/<name>.raw` against `<name>.jsonl` (plain
//! dump) and `session.after.jsonl` (each reply typed after the command in
//! `session.cmds`). Regenerate with
//! `cargo run --example dump -- FILE.raw > FILE.jsonl` and
//! `cargo run --example dump -- --cmds session.cmds session.raw > session.after.jsonl`.

#[allow(dead_code)]
#[path = "../examples/dump/render.rs"]
mod render;

use std::path::{Path, PathBuf};

fn raw_files() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    for dir in std::fs::read_dir(&data).expect("tests/data") {
        let dir = dir.expect("entry").path();
        if !dir.is_dir() {
            continue;
        }
        for f in std::fs::read_dir(&dir).expect("server dir") {
            let f = f.expect("entry").path();
            if f.extension().is_some_and(|e| e == "raw") {
                out.push(f);
            }
        }
    }
    out.sort();
    out
}

#[test]
fn dump_matches_golden_files() {
    let files = raw_files();
    // session.raw, help.raw and pasv.raw of vsftpd, proftpd, pure-ftpd
    // and pyftpdlib.
    for server in ["vsftpd", "proftpd", "pure-ftpd", "pyftpdlib"] {
        for name in ["session.raw", "help.raw", "pasv.raw"] {
            assert!(
                files
                    .iter()
                    .any(|f| f.ends_with(format!("{server}/{name}"))),
                "expected the recording {server}/{name}, found {files:?}"
            );
        }
    }
    for raw in files {
        let input = std::fs::read(&raw).expect("raw");
        let (out, ok) = render::dump(&input, &render::Options::default());
        let golden = std::fs::read_to_string(raw.with_extension("jsonl")).expect("golden .jsonl");
        assert_eq!(out, golden, "{}", raw.display());
        assert!(
            ok,
            "{}: every recorded reply parses with its payload",
            raw.display()
        );
    }
}

#[test]
fn dump_with_commands_matches_golden_files() {
    for raw in raw_files()
        .into_iter()
        .filter(|f| f.ends_with("session.raw"))
    {
        let dir = raw.parent().expect("dir");
        let input = std::fs::read(&raw).expect("raw");
        let cmds = std::fs::read_to_string(dir.join("session.cmds")).expect("cmds");
        let opts = render::Options {
            cmds: Some(cmds.lines().map(str::to_owned).collect()),
            ..Default::default()
        };
        let (out, ok) = render::dump(&input, &opts);
        let golden = std::fs::read_to_string(dir.join("session.after.jsonl")).expect("golden");
        assert_eq!(out, golden, "{}", raw.display());
        assert!(ok, "{}", raw.display());
        // The context-typed payloads are really there.
        assert!(out.contains(r#""size":1234"#), "{}: SIZE", raw.display());
        assert!(
            out.contains(r#""time":"2021-03-04T05:06:07Z""#),
            "{}: MDTM",
            raw.display()
        );
        assert!(out.contains(r#""features":["#), "{}: FEAT", raw.display());
    }
}

/// `--cmds` pairs replies with commands one to one: an error that consumed
/// the server's answer (a NUL inside a FEAT block, a NUL in a line with a
/// code) uses up that answer's command, so the replies after it are still
/// typed after their own commands, whole and chunked alike. Before, the
/// 213 to SIZE was read after FEAT and the 213 to MDTM as a SIZE
/// (`"size":20210101000000`).
#[test]
fn cmds_stay_in_step_after_an_error_that_consumed_an_answer() {
    let input = b"211-Features:\r\n MD\0TM\r\n211 End\r\n\
        500 bad\0command\r\n\
        hello\r\n\
        213 1234\r\n\
        213 20210101000000\r\n";
    let opts = render::Options {
        cmds: Some(
            ["FEAT", "XYZZY", "SIZE hello.txt", "MDTM hello.txt"]
                .map(str::to_owned)
                .to_vec(),
        ),
        ..Default::default()
    };
    let (whole, ok) = render::dump(&input[..], &opts);
    assert!(!ok);
    let lines: Vec<&str> = whole.lines().collect();
    assert_eq!(lines.len(), 5, "{whole}");
    assert!(lines[3].ends_with(r#""size":1234}"#), "{whole}");
    assert!(
        lines[4].ends_with(r#""time":"2021-01-01T00:00:00Z"}"#),
        "{whole}"
    );
    for chunk in [1, 2, 7, input.len()] {
        let chunked = render::dump_chunked(&input[..], &opts, chunk, None);
        assert_eq!(chunked, (whole.clone(), ok), "chunks of {chunk}");
    }
}
