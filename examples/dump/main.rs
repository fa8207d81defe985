//! Prints one JSON object per reply found in raw FTP server bytes.
//!
//! ```text
//! cargo run --example dump -- [--after CMD] [--lenient] [FILE]
//! ```
//!
//! Reads FILE, or standard input without one. Exits 0 when every reply
//! parsed with its payload, 1 otherwise, 2 on a usage error.

mod render;

use std::io::{Read, Write};
use std::process::ExitCode;

fn usage(msg: &str) -> ExitCode {
    eprintln!("dump: {msg}");
    eprintln!("usage: dump [--after CMD] [--lenient] [FILE]");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let mut opts = render::Options::default();
    let mut file = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--after" => match args.next() {
                Some(cmd) => opts.after = Some(cmd),
                None => return usage("--after needs a command"),
            },
            "--lenient" => opts.lenient = true,
            "-h" | "--help" => return usage("help"),
            s if s.starts_with("--") => return usage(&format!("unknown option {s}")),
            _ if file.is_some() => return usage("more than one file"),
            _ => file = Some(arg),
        }
    }
    let mut input = Vec::new();
    let read = match &file {
        Some(path) => std::fs::read(path).map(|d| input = d),
        None => std::io::stdin().read_to_end(&mut input).map(|_| ()),
    };
    if let Err(e) = read {
        eprintln!(
            "dump: cannot read {}: {e}",
            file.as_deref().unwrap_or("stdin")
        );
        return ExitCode::from(2);
    }
    let (out, ok) = render::dump(&input, &opts);
    let mut stdout = std::io::stdout().lock();
    if stdout
        .write_all(out.as_bytes())
        .and_then(|()| stdout.flush())
        .is_err()
    {
        return ExitCode::from(2);
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
