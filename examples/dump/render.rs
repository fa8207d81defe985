//! The dump example's JSON rendering, shared with the golden tests
//! (`tests/golden.rs` includes this file), so the tests check exactly what
//! the example prints.

use ftp_reply::{ParserConfig, Payload, Reply, resume_after};
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

/// The JSON object for one reply.
pub fn reply_json(reply: &Reply<'_>, _opts: &Options) -> (Value, bool) {
    let mut obj = Map::new();
    obj.insert("code".into(), json!(reply.code().get()));
    obj.insert("lines".into(), json!(reply.line_count()));
    obj.insert("kind".into(), json!(reply.code().known().name()));
    obj.insert("text".into(), text(reply.text()));
    let mut ok = true;
    match reply.payload() {
        Ok(Payload::Passive(addr)) => {
            obj.insert("ip".into(), json!(addr.ip.to_string()));
            obj.insert("port".into(), json!(addr.port));
        }
        Ok(Payload::Help(help)) => {
            let names: Vec<Value> = help.commands().map(|c| json!(c.name)).collect();
            if !names.is_empty() {
                obj.insert("commands".into(), Value::Array(names));
            }
        }
        Ok(_) => {}
        Err(e) => {
            obj.insert("error".into(), json!(e.kind().to_string()));
            ok = false;
        }
    }
    (Value::Object(obj), ok)
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
