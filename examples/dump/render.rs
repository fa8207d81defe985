//! The dump example's JSON rendering, shared with the golden tests
//! (`tests/golden.rs` includes this file), so the tests check exactly what
//! the example prints.

use ftp_reply::{Command, ParserConfig, Payload, Reply, resume_after};
use serde_json::{Map, Value, json};

/// What the dump was asked to do.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// The command the replies answer (`--after CMD`), if given.
    pub after: Option<String>,
    /// End a block at any `ddd ` line (`--lenient`).
    pub lenient: bool,
}

/// Text bytes as a JSON string: invalid UTF-8 becomes U+FFFD.
fn text(bytes: &[u8]) -> Value {
    Value::String(String::from_utf8_lossy(bytes).into_owned())
}

/// The JSON object for one reply, and whether its payload parsed.
pub fn reply_json(reply: &Reply<'_>, opts: &Options) -> (Value, bool) {
    let mut obj = Map::new();
    obj.insert("code".into(), json!(reply.code().get()));
    obj.insert("lines".into(), json!(reply.line_count()));
    obj.insert("kind".into(), json!(reply.code().known().name()));
    obj.insert("text".into(), text(reply.text()));
    let command = opts
        .after
        .as_deref()
        .and_then(|c| Command::from_name(c.as_bytes()));
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
        Payload::ExtendedPassive(e) => put("port", json!(e.port)),
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
        Payload::Mlst(entry) => {
            let facts: Map<String, Value> = entry
                .facts()
                .map(|f| (String::from_utf8_lossy(f.name).into_owned(), text(f.value)))
                .collect();
            put("facts", Value::Object(facts));
            put("path", text(entry.path));
        }
        _ => {}
    }
    (Value::Object(obj), true)
}

/// The JSON object for input that is not a reply.
pub fn error_json(message: String, offset: usize) -> Value {
    json!({ "error": message, "offset": offset })
}

/// Dumps a whole input: one JSON object per line of output, and whether
/// every reply parsed with its payload.
pub fn dump(input: &[u8], opts: &Options) -> (String, bool) {
    let config = ParserConfig::new().any_code_ends_block(opts.lenient);
    let mut out = String::new();
    let mut all_ok = true;
    let mut pos = 0;
    while let Some(rest) = input.get(pos..).filter(|r| !r.is_empty()) {
        let value = match config.parse_complete(rest) {
            Ok((after, reply)) => {
                pos = input.len() - after.len();
                let (value, ok) = reply_json(&reply, opts);
                all_ok &= ok;
                value
            }
            Err(e) => {
                all_ok = false;
                pos += resume_after(rest, &e);
                error_json(e.kind().to_string(), input.len() - rest.len() + e.offset())
            }
        };
        out.push_str(&value.to_string());
        out.push('\n');
    }
    (out, all_ok)
}
