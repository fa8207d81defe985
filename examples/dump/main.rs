//! Prints one JSON object per reply found in raw FTP server bytes.
//!
//! ```text
//! cargo run --example dump -- [--after CMD | --cmds FILE] [--lenient] [--chunk N] [--buffer B] [FILE]
//! ```
//!
//! Reads FILE, or standard input without one or with `-` (`--` ends the
//! options). `--chunk N` feeds the input through the streaming `Decoder` N
//! bytes at a time (same output for any N); `--buffer B` gives the decoder
//! B bytes (default: the longest reply), so a longer reply gives one error
//! object and the dump goes on (without `--chunk`, the decoder takes the
//! input in one push).
//! `--cmds FILE` names the command each reply answers, one line per reply
//! (`-` for none), as `tests/servers/record.py` writes `session.cmds`. Exits 0 when every reply
//! parsed with its payload, 1 otherwise, 2 on a usage error, an input that
//! cannot be read or an output that cannot be written (`dump | head`);
//! Telnet commands are taken out of the input first (`telnet::Telnet`:
//! `IAC IAC` is the byte 255), and offsets count in what is left.
//! `--help` prints the options and exits 0 (2 when they cannot be
//! written). A standard error that cannot be written changes no status.

mod render;

use std::io::{Read, Write};
use std::process::ExitCode;

const USAGE: &str =
    "usage: dump [--after CMD | --cmds FILE] [--lenient] [--chunk N] [--buffer B] [FILE]";

/// What `--help` prints: the usage, then what the options do.
const HELP: &str = "\
Prints one JSON object per reply found in raw FTP server bytes, read from
FILE or, without one or with -, from standard input.

  --after CMD    type every reply as an answer to CMD (SIZE, MDTM, FEAT, ...)
  --cmds FILE    the command each reply answers, one line per reply (- for none)
  --lenient      any code closes a block (curl's rule for glftpd)
  --chunk N      feed the streaming decoder N bytes at a time
  --buffer B     give the decoder B bytes (without --chunk: in one push)

Exits 0 when every reply parsed with its payload, 1 otherwise, 2 on a
usage error, an input that cannot be read or an output that cannot be
written.";

fn usage(msg: &str) -> ExitCode {
    complain(&format!("dump: {msg}\n{USAGE}"));
    ExitCode::from(2)
}

/// Writes `msg` and a line end on standard error. Not `eprintln!`, which
/// panics (exit 101) when standard error cannot be written (`2>/dev/full`):
/// the exit status is the message that still gets through.
fn complain(msg: &str) {
    let _ = writeln!(std::io::stderr(), "{msg}");
}

fn main() -> ExitCode {
    let mut opts = render::Options::default();
    let mut file = None;
    let mut chunk = None;
    let mut buffer = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--after" => match args.next() {
                Some(cmd) => opts.after = Some(cmd),
                None => return usage("--after needs a command"),
            },
            "--lenient" => opts.lenient = true,
            "--cmds" => match args.next().map(std::fs::read) {
                Some(Ok(bytes)) => opts.cmds = Some(render::Options::cmds_from(&bytes)),
                Some(Err(e)) => return usage(&format!("--cmds: {e}")),
                None => return usage("--cmds needs a file"),
            },
            "--chunk" | "--buffer" => {
                let Some(n) = args
                    .next()
                    .and_then(|n| n.parse::<usize>().ok())
                    .filter(|n| *n > 0)
                else {
                    return usage(&format!("{arg} needs a positive number"));
                };
                if arg == "--chunk" {
                    chunk = Some(n);
                } else if n > render::MAX_BUFFER {
                    return usage(&format!("--buffer is at most {}", render::MAX_BUFFER));
                } else {
                    buffer = Some(n);
                }
            }
            "-h" | "--help" => {
                // Not `println!`, which panics when the output cannot be
                // written (`--help > /dev/full`, `--help | true`).
                let mut out = std::io::stdout();
                return match writeln!(out, "{USAGE}\n\n{HELP}").and_then(|()| out.flush()) {
                    Ok(()) => ExitCode::SUCCESS,
                    Err(_) => ExitCode::from(2),
                };
            }
            "--" => {
                // The end of the options: what follows is the file.
                match (args.next(), args.next()) {
                    (_, Some(_)) => return usage("more than one file"),
                    (Some(_), None) if file.is_some() => return usage("more than one file"),
                    (Some(path), None) => file = Some(path),
                    (None, None) => {}
                }
                break;
            }
            s if s.starts_with("--") => return usage(&format!("unknown option {s}")),
            _ if file.is_some() => return usage("more than one file"),
            _ => file = Some(arg),
        }
    }
    // `-` names standard input, as it does for most programs.
    if file.as_deref() == Some("-") {
        file = None;
    }
    let mut input = Vec::new();
    let read = match &file {
        Some(path) => std::fs::read(path).map(|d| input = d),
        None => std::io::stdin().read_to_end(&mut input).map(|_| ()),
    };
    if let Err(e) = read {
        complain(&format!(
            "dump: cannot read {}: {e}",
            file.as_deref().unwrap_or("stdin")
        ));
        return ExitCode::from(2);
    }
    // The control connection is Telnet (RFC 959 section 4, RFC 854):
    // `IAC IAC` is the byte 255 (vsftpd doubles every 255 of a reply) and
    // a Telnet command between replies is no reply text. Offsets count in
    // what is left.
    let input = telnet_data(input);
    // Each object is written as it is made, through a `BufWriter`, not
    // gathered first: the output of a long input may be tens of times its
    // size.
    let mut stdout = std::io::BufWriter::new(std::io::stdout());
    let written = match (chunk, buffer) {
        (None, None) => render::dump_to(&input, &opts, &mut stdout),
        (chunk, buffer) => render::dump_chunked_to(
            &input,
            &opts,
            chunk.unwrap_or(input.len().max(1)),
            buffer,
            &mut stdout,
        ),
    };
    let Ok(ok) = written.and_then(|ok| stdout.flush().map(|()| ok)) else {
        return ExitCode::from(2);
    };
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// The data of `input`, Telnet commands taken out in place (no second
/// copy: the README says memory holds the input and little more). From
/// the stream's start nothing is held, so with no room before the bytes
/// every byte is read (a byte gives two only after an IAC read before it,
/// which gave none).
fn telnet_data(mut input: Vec<u8>) -> Vec<u8> {
    let (_, n) = ftp_reply::telnet::Telnet::new().strip_in_place(&mut input, 0);
    input.truncate(n);
    input
}
