//! Takes the README's firmware loop out of ../README.md (section "In
//! firmware: the decoder", its first rust block: the `use` line and
//! `fn wait_for_ready` through its closing brace) and writes it to
//! `$OUT_DIR/readme_loop.rs`, which src/main.rs includes. So the code this
//! crate builds is the README's text, byte for byte; the build fails when
//! the section, the block or the function cannot be found. Also puts
//! memory.x where cortex-m-rt's link.x looks for it.

use std::{env, fs, path::PathBuf};

const SECTION: &str = "## In firmware: the decoder";

fn main() {
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("OUT_DIR"));
    let readme = fs::read_to_string("../README.md").expect("read ../README.md");

    let section = readme
        .split_once(SECTION)
        .unwrap_or_else(|| panic!("README.md has no section {SECTION:?}"))
        .1;
    let block = section
        .split_once("```rust\n")
        .and_then(|(_, rest)| rest.split_once("\n```"))
        .unwrap_or_else(|| panic!("no rust block under {SECTION:?} in README.md"))
        .0;
    let mut code = String::new();
    let mut in_fn = false;
    let mut done = false;
    for line in block.lines() {
        if line.starts_with("fn wait_for_ready") {
            in_fn = true;
        }
        code.push_str(line);
        code.push('\n');
        if in_fn && line == "}" {
            done = true;
            break;
        }
    }
    assert!(
        done,
        "the rust block under {SECTION:?} in README.md has no `fn wait_for_ready` \
         closed by a `}}` line"
    );
    fs::write(out.join("readme_loop.rs"), code).expect("write readme_loop.rs");

    fs::copy("memory.x", out.join("memory.x")).expect("copy memory.x");
    println!("cargo:rustc-link-search={}", out.display());
    println!("cargo:rerun-if-changed=../README.md");
    println!("cargo:rerun-if-changed=memory.x");
    println!("cargo:rerun-if-changed=build.rs");
}
