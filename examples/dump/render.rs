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
    /// `after`. Each line is kept as the command it names, not as its
    /// text: a few bytes a line, whatever the line's length.
    pub cmds: Option<Vec<Option<Command>>>,
}

impl Options {
    /// The commands of a `--cmds` file: one per line. Read as bytes, not
    /// UTF-8: an argument may be a Latin-1 name, and only each line's first
    /// word (the command) is read.
    pub fn cmds_from(file: &[u8]) -> Vec<Option<Command>> {
        String::from_utf8_lossy(file)
            .lines()
            .map(command_of)
            .collect()
    }

    /// The command that the `index`th reply answers: the first word of
    /// its line (`--after "SIZE hello.txt"` is SIZE). `MDTM` with a time
    /// before the name (`MDTM 20240101120000 f`) sets the file's time
    /// (vsftpd, ProFTPD, pure-ftpd, as they tell the two forms apart: 14
    /// digits and a space), and its 213 (`213 File modification time set.`)
    /// carries no time: it is read as a reply to no known command.
    fn command(&self, index: usize) -> Option<Command> {
        match &self.cmds {
            Some(cmds) => cmds.get(index).copied().flatten(),
            None => command_of(self.after.as_deref()?),
        }
    }
}

/// The command a line names (see [`Options::command`]).
fn command_of(line: &str) -> Option<Command> {
    let (name, arg) = line.split_once(' ').unwrap_or((line, ""));
    let command = Command::from_name(name.as_bytes())?;
    if command == Command::Mdtm && sets_time(arg) {
        return None;
    }
    Some(command)
}

/// Whether MDTM's argument starts with a time to set: 14 digits (with an
/// optional fraction, `.sss`) and a space before the name.
fn sets_time(arg: &str) -> bool {
    let Some((time, name)) = arg.split_once(' ') else {
        return false;
    };
    let digits = time.split_once('.').map_or(time, |(whole, _)| whole);
    digits.len() == 14 && digits.bytes().all(|b| b.is_ascii_digit()) && !name.is_empty()
}

/// Text bytes as a JSON string: invalid UTF-8 becomes U+FFFD.
fn text(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(bytes)
}

/// One JSON object written key by key as it is made, so that a reply's
/// list (a HELP table or FEAT list of millions of names) is never held as
/// JSON values: the memory is the input's, not twenty times it. An MLST
/// entry's facts are the one exception: they are gathered in a map first
/// (a fact named twice keeps its first place and its last value), about
/// twenty times their size in memory (a 5 MB entry of distinct facts
/// took 100 MB), still in proportion to the input.
struct Object<'w, W: Write> {
    out: &'w mut W,
    empty: bool,
}

impl<'w, W: Write> Object<'w, W> {
    fn open(out: &'w mut W) -> io::Result<Self> {
        out.write_all(b"{")?;
        Ok(Object { out, empty: true })
    }

    fn key(&mut self, key: &str) -> io::Result<()> {
        if !self.empty {
            self.out.write_all(b",")?;
        }
        self.empty = false;
        serde_json::to_writer(&mut *self.out, key)?;
        self.out.write_all(b":")
    }

    fn put(&mut self, key: &str, value: impl Into<Value>) -> io::Result<()> {
        self.key(key)?;
        Ok(serde_json::to_writer(&mut *self.out, &value.into())?)
    }

    /// An array of `items`, each written as it comes.
    fn put_all<T: Into<Value>>(
        &mut self,
        key: &str,
        items: impl IntoIterator<Item = T>,
    ) -> io::Result<()> {
        self.key(key)?;
        self.out.write_all(b"[")?;
        for (i, item) in items.into_iter().enumerate() {
            if i > 0 {
                self.out.write_all(b",")?;
            }
            serde_json::to_writer(&mut *self.out, &item.into())?;
        }
        self.out.write_all(b"]")
    }

    /// Ends the object and its line.
    fn close(self) -> io::Result<()> {
        self.out.write_all(b"}\n")
    }
}

/// Writes the JSON object (and its line end) for one reply; returns
/// whether its payload parsed.
pub fn write_reply(
    out: &mut impl Write,
    reply: &Reply<'_>,
    command: Option<Command>,
) -> io::Result<bool> {
    let mut obj = Object::open(out)?;
    obj.put("code", reply.code().get())?;
    obj.put("lines", reply.line_count())?;
    obj.put("kind", reply.code().known().name())?;
    obj.put("text", text(reply.text()))?;
    let payload = match reply.payload_after(command) {
        Ok(p) => p,
        Err(e) => {
            obj.put("error", e.kind().to_string())?;
            obj.close()?;
            return Ok(false);
        }
    };
    match payload {
        Payload::Passive(addr) => {
            obj.put("ip", addr.ip.to_string())?;
            obj.put("port", addr.port)?;
        }
        Payload::ExtendedPassive(e) => obj.put("port", e.port())?,
        Payload::NetworkProtocols(Some(p)) => obj.put_all("protocols", p.iter())?,
        Payload::LongPassive(addr) => {
            obj.put("ip", addr.ip().to_string())?;
            obj.put("port", addr.port())?;
        }
        Payload::Pathname(p) => obj.put("path", text(&p.bytes().collect::<Vec<u8>>()))?,
        Payload::Transfer(Some(n)) | Payload::Size(n) => obj.put("size", n)?,
        Payload::Time(t) => obj.put("time", t.to_string())?,
        Payload::Features(f) => obj.put_all("features", f.iter().map(|f| text(f.line)))?,
        Payload::Help(help) => {
            let mut names = help.commands().map(|c| c.name).peekable();
            if names.peek().is_some() {
                obj.put_all("commands", names)?;
            }
        }
        Payload::System(s) => obj.put("system", text(s.name))?,
        Payload::Restart(Some(n)) => obj.put("restart_at", n)?,
        Payload::ReadyIn(Some(minutes)) => obj.put("minutes", minutes)?,
        Payload::BufferSize(Some(n)) => obj.put("buffer_size", n)?,
        Payload::RestartMarker(m) => {
            obj.put("user_marker", text(m.user))?;
            obj.put("server_marker", text(m.server))?;
        }
        // RFC 2228: the base64 as sent (valid: the payload checked it).
        Payload::Protected(data) | Payload::Adat(Some(data)) => {
            obj.put("base64", text(data.base64()))?;
        }
        Payload::Mlst(entry) => {
            // A map, as JSON objects are: a fact named twice keeps its
            // first place and its last value.
            let facts: Map<String, Value> = entry
                .facts()
                .map(|f| (text(f.name).into_owned(), Value::from(text(f.value))))
                .collect();
            obj.put("facts", facts)?;
            obj.put("path", text(entry.path()))?;
        }
        _ => {}
    }
    obj.close()?;
    Ok(true)
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
        match config.parse_complete(rest) {
            Ok((after, reply)) => {
                pos = input.len() - after.len();
                all_ok &= write_reply(out, &reply, opts.command(replies))?;
                replies += 1;
            }
            Err(e) => {
                all_ok = false;
                // An error with a code consumed the server's answer to a
                // command: the next reply answers the next one.
                replies += usize::from(e.code().is_some());
                // `resume_after` moves on by at least one byte of a non-empty
                // input (tests/errors.rs); `max(1)` turns a broken promise
                // into wrong output, which tests/golden.rs shows, not a hang.
                pos += resume_after(rest, &e).max(1);
                let at = input.len() - rest.len() + e.offset();
                emit(out, &error_json(e.kind().to_string(), at))?;
            }
        }
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
            Err(e) => pos += resume_after(rest, &e).max(1),
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
                        all_ok &= write_reply(out, &reply, opts.command(replies))?;
                        replies += 1;
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
