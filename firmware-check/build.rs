//! Takes the README's firmware code out of ../README.md and writes it to
//! `$OUT_DIR`, where src/main.rs includes it:
//!
//! - section "In firmware: the decoder", its first rust block: the `use`
//!   line and `fn wait_for_ready` through its closing brace, to
//!   `readme_loop.rs`;
//! - section "A whole session in firmware", its first rust block: the `use`
//!   lines and `fn fetch` through its closing brace, to
//!   `readme_session.rs`.
//!
//! So the code this crate builds is the README's text, byte for byte; the
//! build fails when a section, a block or a function cannot be found. Also
//! puts memory.x where cortex-m-rt's link.x looks for it.

use std::{env, fs, path::PathBuf};

/// The first rust block of `section` in `readme`, through the `}` line
/// that closes `fn name`.
fn extract(readme: &str, section: &str, name: &str) -> String {
    let section_text = readme
        .split_once(section)
        .unwrap_or_else(|| panic!("README.md has no section {section:?}"))
        .1;
    let block = section_text
        .split_once("```rust\n")
        .and_then(|(_, rest)| rest.split_once("\n```"))
        .unwrap_or_else(|| panic!("no rust block under {section:?} in README.md"))
        .0;
    let mut code = String::new();
    let mut in_fn = false;
    for line in block.lines() {
        if line.starts_with(&format!("fn {name}")) {
            in_fn = true;
        }
        code.push_str(line);
        code.push('\n');
        if in_fn && line == "}" {
            return code;
        }
    }
    panic!("the rust block under {section:?} in README.md has no `fn {name}` closed by a `}}` line")
}

/// The doc example of `client::Session` (the first `no_run` block of
/// src/client/blocking.rs, its `/// ` taken off), in a module with a
/// `run` that calls its `fetch`.
fn session_doc(source: &str) -> String {
    let mut code = String::from("mod session_doc {\n");
    let mut inside = false;
    for line in source.lines() {
        let Some(text) = line.strip_prefix("///").map(|t| t.strip_prefix(' ').unwrap_or(t)) else {
            continue;
        };
        if text == "```no_run" {
            inside = true;
        } else if inside && text == "```" {
            code.push_str(
                "    pub(crate) fn run<C, D>(\n\
                 control: C,\n\
                 peer: core::net::IpAddr,\n\
                 connect: impl FnMut(SocketAddr) -> Result<D, D::Error>,\n\
                 path: &[u8],\n\
                 out: &mut [u8],\n\
                 ) -> Result<usize, SessionError<C::Error>>\n\
                 where C: Read + Write, D: Read + Write {\n\
                 fetch(control, peer, connect, path, out)\n\
                 }\n}\n",
            );
            return code;
        } else if inside {
            code.push_str(text);
            code.push('\n');
        }
    }
    panic!("src/client/blocking.rs has no ```no_run doc example closed by ```")
}

fn main() {
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("OUT_DIR"));
    let readme = fs::read_to_string("../README.md").expect("read ../README.md");
    let code = extract(&readme, "## In firmware: the decoder", "wait_for_ready");
    fs::write(out.join("readme_loop.rs"), code).expect("write readme_loop.rs");
    let code = extract(&readme, "## A whole session in firmware", "fetch");
    fs::write(out.join("readme_session.rs"), code).expect("write readme_session.rs");
    let blocking =
        fs::read_to_string("../src/client/blocking.rs").expect("read ../src/client/blocking.rs");
    fs::write(out.join("session_doc.rs"), session_doc(&blocking)).expect("write session_doc.rs");

    fs::copy("memory.x", out.join("memory.x")).expect("copy memory.x");
    println!("cargo:rustc-link-search={}", out.display());
    println!("cargo:rerun-if-changed=../README.md");
    println!("cargo:rerun-if-changed=../src/client/blocking.rs");
    println!("cargo:rerun-if-changed=memory.x");
    println!("cargo:rerun-if-changed=build.rs");
}
