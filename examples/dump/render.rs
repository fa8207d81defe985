//! The dump example's JSON rendering, shared with the golden tests
//! (`tests/golden.rs` includes this file), so the tests check exactly what
//! the example prints.

use ftp_reply::payload::Payload;
use ftp_reply::{Command, Decoder, ParserConfig, Reply, resume_after};
use serde_json::{Map, Value, json};
use std::io::{self, Write};

/// What the dump was asked to do.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The command the replies answer (`--after CMD`), if given.
    pub after: Option<String>,
    /// End a block at any `ddd ` line (`--lenient`).
    pub lenient: bool,
    /// One command per reply, in order (`--cmds FILE`: one line per reply,
    /// `-` for none); each reply is typed after its own command. An error
    /// that consumed an answer (its item started with a code: a NUL in a
    /// line, a broken block) uses up that answer's command too. Overrides
    /// `after`.
    pub cmds: Option<Vec<String>>,
}

impl Options {
    /// The commands of a `--cmds` file: one per line. Read as bytes, not
    /// UTF-8: an argument may be a Latin-1 name, and only each line's first
    /// word (the command) is read.
    pub fn cmds_from(file: &[u8]) -> Vec<String> {
        String::from_utf8_lossy(file)
            .lines()
            .map(str::to_owned)
            .collect()
    }

    /// The command that the `index`th reply answers.
    fn command(&self, index: usize) -> Option<Command> {
        let name = match &self.cmds {
            Some(cmds) => cmds.get(index)?.split(' ').next()?,
            // `--after "SIZE hello.txt"` names the command by its first word.
            None => self.after.as_deref()?.split(' ').next()?,
        };
        Command::from_name(name.as_bytes())
    }
}

/// Text bytes as a JSON string: invalid UTF-8 becomes U+FFFD.
fn text(bytes: &[u8]) -> Value {
    Value::String(String::from_utf8_lossy(bytes).into_owned())
}

/// The JSON object for one reply, and whether its payload parsed.
pub fn reply_json(reply: &Reply<'_>, command: Option<Command>) -> (Value, bool) {
    let mut obj = Map::new();
    obj.insert("code".into(), json!(reply.code().get()));
    obj.insert("lines".into(), json!(reply.line_count()));
    obj.insert("kind".into(), json!(reply.code().known().name()));
    obj.insert("text".into(), text(reply.text()));
    let payload = match reply.payload_after(command) {
        Ok(p) => p,
        Err(e) => {
            obj.insert("error".into(), json!(e.kind().to_string()));
            return (Value::Object(obj), false);
        }
    };
    let mut put = |k: &str, v: Value| {
        obj.insert(k.into(), v);
    };
    match payload {
        Payload::Passive(addr) => {
            put("ip", json!(addr.ip.to_string()));
            put("port", json!(addr.port));
        }
        Payload::ExtendedPassive(e) => put("port", json!(e.port())),
        Payload::NetworkProtocols(Some(p)) => put("protocols", p.iter().collect()),
        Payload::LongPassive(addr) => {
            put("ip", json!(addr.ip().to_string()));
            put("port", json!(addr.port()));
        }
        Payload::Pathname(p) => put("path", text(&p.bytes().collect::<Vec<u8>>())),
        Payload::Transfer(Some(n)) | Payload::Size(n) => put("size", json!(n)),
        Payload::Time(t) => put("time", json!(t.to_string())),
        Payload::Features(f) => put("features", f.iter().map(|f| text(f.line)).collect()),
        Payload::Help(help) => {
            let names: Vec<Value> = help.commands().map(|c| json!(c.name)).collect();
            if !names.is_empty() {
                put("commands", Value::Array(names));
            }
        }
        Payload::System(s) => put("system", text(s.name)),
        Payload::Restart(Some(n)) => put("restart_at", json!(n)),
        Payload::ReadyIn(Some(minutes)) => put("minutes", json!(minutes)),
        Payload::BufferSize(Some(n)) => put("buffer_size", json!(n)),
        Payload::RestartMarker(m) => {
            put("user_marker", text(m.user));
            put("server_marker", text(m.server));
        }
        // RFC 2228: the base64 as sent (valid: the payload checked it).
        Payload::Protected(data) | Payload::Adat(Some(data)) => {
            put("base64", text(data.base64()));
        }
        Payload::Mlst(entry) => {
            let facts: Map<String, Value> = entry
                .facts()
                .map(|f| (String::from_utf8_lossy(f.name).into_owned(), text(f.value)))
                .collect();
            put("facts", Value::Object(facts));
            put("path", text(entry.path()));
        }
        _ => {}
    }
    (Value::Object(obj), true)
}

/// A reply longer than the decoder's buffer: its code and kind, and the
/// error that says it did not fit (its text is cut, so no payload).
pub fn truncated_json(reply: &Reply<'_>, limit: usize) -> Value {
    json!({
        "code": reply.code().get(),
        "kind": reply.code().known().name(),
        "error": format!("reply longer than the {limit}-byte buffer"),
        "truncated": true,
    })
}

/// The JSON object for input that is not a reply.
pub fn error_json(message: String, offset: usize) -> Value {
    json!({ "error": message, "offset": offset })
}

/// Writes one JSON object and its line end.
fn emit(out: &mut impl Write, value: &Value) -> io::Result<()> {
    serde_json::to_writer(&mut *out, value)?;
    out.write_all(b"\n")
}

/// [`dump_to`] into a string (what the tests compare; the example streams
/// to standard output with `dump_to`).
#[allow(dead_code)]
pub fn dump(input: &[u8], opts: &Options) -> (String, bool) {
    let mut out = Vec::new();
    let ok = dump_to(input, opts, &mut out).expect("a Vec takes every write");
    (String::from_utf8(out).expect("JSON is UTF-8"), ok)
}

/// [`dump_chunked_to`] into a string.
#[allow(dead_code)]
pub fn dump_chunked(
    input: &[u8],
    opts: &Options,
    chunk: usize,
    buffer: Option<usize>,
) -> (String, bool) {
    let mut out = Vec::new();
    let ok =
        dump_chunked_to(input, opts, chunk, buffer, &mut out).expect("a Vec takes every write");
    (String::from_utf8(out).expect("JSON is UTF-8"), ok)
}

/// Dumps a whole input to `out`, one JSON object per line, as each item is
/// read (the output is never held whole: an input of lines that are no
/// reply gives about 40 bytes of output per byte of input); returns whether
/// every reply parsed with its payload.
pub fn dump_to(input: &[u8], opts: &Options, out: &mut impl Write) -> io::Result<bool> {
    let config = ParserConfig::new().any_code_ends_block(opts.lenient);
    let mut all_ok = true;
    let mut pos = 0;
    let mut replies = 0;
    while let Some(rest) = input.get(pos..).filter(|r| !r.is_empty()) {
        let value = match config.parse_complete(rest) {
            Ok((after, reply)) => {
                pos = input.len() - after.len();
                let (value, ok) = reply_json(&reply, opts.command(replies));
                replies += 1;
                all_ok &= ok;
                value
            }
            Err(e) => {
                all_ok = false;
                // An error with a code consumed the server's answer to a
                // command: the next reply answers the next one.
                replies += usize::from(e.code().is_some());
                pos += resume_after(rest, &e);
                error_json(e.kind().to_string(), input.len() - rest.len() + e.offset())
            }
        };
        emit(out, &value)?;
    }
    Ok(all_ok)
}

/// The decoder's buffer for `--chunk`: the limit (`--buffer`, or the
/// longest reply of the input) must be at most this.
pub const MAX_BUFFER: usize = 1024 * 1024;

/// The length of the longest reply in `input` (walking it as [`dump`]
/// does).
pub fn longest_reply(input: &[u8], config: &ParserConfig) -> usize {
    let mut longest = 0;
    let mut pos = 0;
    while let Some(rest) = input.get(pos..).filter(|r| !r.is_empty()) {
        match config.parse_complete(rest) {
            Ok((after, reply)) => {
                longest = longest.max(reply.as_bytes().len());
                pos = input.len() - after.len();
            }
            Err(e) => pos += resume_after(rest, &e),
        }
    }
    longest
}

/// Dumps `input` fed through a [`Decoder`] `chunk` bytes at a time, with
/// a buffer of `buffer` bytes (default: the longest reply), to `out`. For
/// any chunk size the output is the same as [`dump_to`]'s, as long as every
/// reply fits.
pub fn dump_chunked_to(
    input: &[u8],
    opts: &Options,
    chunk: usize,
    buffer: Option<usize>,
    out: &mut (impl Write + Send),
) -> io::Result<bool> {
    // The 1 MiB decoder is built on the stack before it is boxed (safe Rust
    // cannot build it in place), so give it a thread with room for that.
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .stack_size(16 * MAX_BUFFER)
            .spawn_scoped(scope, || decode_chunks(input, opts, chunk, buffer, out))
            .expect("spawn the decoder thread")
            .join()
            .expect("the decoder thread does not panic")
    })
}

fn decode_chunks(
    input: &[u8],
    opts: &Options,
    chunk: usize,
    buffer: Option<usize>,
    out: &mut impl Write,
) -> io::Result<bool> {
    let config = ParserConfig::new().any_code_ends_block(opts.lenient);
    let longest = longest_reply(input, &config);
    if buffer.is_none() && longest > MAX_BUFFER {
        // No buffer here holds that reply whole; without `--buffer` the
        // output must be the unchunked one, so give that.
        return dump_to(input, opts, out);
    }
    // Errors do not depend on the buffer (the decoder reports them as the
    // walk does, for any size), so the longest reply is all it must hold.
    let limit = buffer.unwrap_or(longest).clamp(1, MAX_BUFFER);
    let mut decoder = Box::new(Decoder::<MAX_BUFFER>::with_config(config).with_limit(limit));
    let mut all_ok = true;
    let mut replies = 0;
    for piece in input.chunks(chunk.max(1)) {
        let mut rest = piece;
        loop {
            let n = decoder.push(rest);
            rest = &rest[n..];
            while let Some(item) = decoder.next() {
                match item {
                    Ok(reply) if reply.is_truncated() => {
                        replies += 1;
                        all_ok = false;
                        emit(out, &truncated_json(&reply, limit))?;
                    }
                    Ok(reply) => {
                        let (value, ok) = reply_json(&reply, opts.command(replies));
                        replies += 1;
                        all_ok &= ok;
                        emit(out, &value)?;
                    }
                    Err(e) => {
                        all_ok = false;
                        // As in `dump`: an answer with a code was consumed.
                        replies += usize::from(e.code().is_some());
                        emit(out, &error_json(e.kind().to_string(), e.offset()))?;
                    }
                }
            }
            if rest.is_empty() {
                break;
            }
        }
    }
    if let Some(e) = decoder.finish() {
        all_ok = false;
        emit(out, &error_json(e.kind().to_string(), e.offset()))?;
    }
    Ok(all_ok)
}
