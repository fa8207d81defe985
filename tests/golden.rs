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
    assert!(
        files.len() >= 9,
        "expected the recordings of three servers, found {files:?}"
    );
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
