//! The dump example as a program: its options, its exit status (0 when
//! every reply parsed with its payload, 1 otherwise, 2 on a usage error),
//! standard input read as a file is, and output written as it is made
//! (README, "The dump example"). `tests/golden.rs` and `tests/chunking.rs`
//! check what it prints through its renderer; this runs the binary, built
//! by the cargo that runs the tests.

#[path = "common/example_bin.rs"]
mod example_bin;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;

/// The dump binary, built once.
fn dump_bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| example_bin::build("dump"))
}

fn data(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data")
        .join(rel)
}

/// Runs the dump with `args` and `stdin` as its standard input.
fn dump(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(dump_bin())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run the dump");
    let mut input = child.stdin.take().expect("stdin");
    let stdin = stdin.to_vec();
    let writer = std::thread::spawn(move || {
        // A dump that stops reading (a usage error) closes the pipe early.
        let _ = input.write_all(&stdin);
    });
    let out = child.wait_with_output().expect("wait for the dump");
    writer.join().expect("the writer does not panic");
    out
}

fn status(out: &Output) -> i32 {
    out.status.code().expect("the dump exits, not killed")
}

fn stdout(out: &Output) -> String {
    String::from_utf8(out.stdout.clone()).expect("the dump writes UTF-8")
}

#[test]
fn a_clean_session_exits_0_and_prints_the_golden_objects() {
    for server in ["vsftpd", "proftpd", "pure-ftpd", "pyftpdlib"] {
        let raw = data(&format!("{server}/session.raw"));
        let golden = std::fs::read_to_string(data(&format!("{server}/session.jsonl"))).unwrap();
        let out = dump(&[raw.to_str().unwrap()], b"");
        assert_eq!(
            status(&out),
            0,
            "{server}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(stdout(&out), golden, "{server}");
        // The same bytes on standard input, and through the decoder.
        let bytes = std::fs::read(&raw).unwrap();
        assert_eq!(stdout(&dump(&[], &bytes)), golden, "{server} on stdin");
        assert_eq!(stdout(&dump(&["-"], &bytes)), golden, "{server} from -");
        let after_options = dump(&["--chunk", "7", "--", raw.to_str().unwrap()], b"");
        assert_eq!(stdout(&after_options), golden, "{server} after --");
        let chunked = dump(&["--chunk", "3"], &bytes);
        assert_eq!(status(&chunked), 0);
        assert_eq!(stdout(&chunked), golden, "{server} in 3-byte pushes");
    }
    // Typed after the commands of the session.
    let cmds = data("vsftpd/session.cmds");
    let raw = data("vsftpd/session.raw");
    let golden = std::fs::read_to_string(data("vsftpd/session.after.jsonl")).unwrap();
    let out = dump(
        &["--cmds", cmds.to_str().unwrap(), raw.to_str().unwrap()],
        b"",
    );
    assert_eq!(status(&out), 0);
    assert_eq!(stdout(&out), golden);
}

/// MDTM with a time before the name sets the time (vsftpd answers `213
/// File modification time set.`): no time is read from its 213, whether
/// the command comes from `--after` or from `--cmds`. MDTM with a name
/// alone still reads one.
/// The README: bytes that are not UTF-8 become U+FFFD in every JSON
/// string, values as well as text (a Latin-1 name in a 257, an ISO-8859-2
/// system name): the value is still read, from the bytes, and the exit
/// status is 0.
#[test]
fn bytes_that_are_not_utf8_print_as_u_fffd() {
    let out = dump(
        &["--after", "PWD"],
        b"257 \"/caf\xe9\" is the current directory\r\n",
    );
    assert_eq!(status(&out), 0);
    assert_eq!(
        stdout(&out),
        "{\"code\":257,\"lines\":1,\"kind\":\"pathname_created\",\"text\":\"\\\"/caf\u{fffd}\\\" is the current directory\",\"path\":\"/caf\u{fffd}\"}\n"
    );
    let out = dump(&["--after", "SYST"], b"215 UNIX\xb1 Type: L8\r\n");
    assert_eq!(status(&out), 0);
    assert!(stdout(&out).ends_with("\"system\":\"UNIX\u{fffd}\"}\n"));
}

#[test]
fn mdtm_that_sets_the_time_gives_no_time() {
    let set = b"213 File modification time set.\r\n";
    let text =
        r#"{"code":213,"lines":1,"kind":"file_status","text":"File modification time set."}"#;
    for after in ["MDTM 20240101120000 hello.txt", "MDTM 20240101120000.5 a b"] {
        let out = dump(&["--after", after], set);
        assert_eq!(out.status.code(), Some(0), "{after}");
        assert_eq!(stdout(&out).trim_end(), text, "{after}");
    }
    let dir = std::env::temp_dir().join(format!("dump-cli-mdtm-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let cmds = dir.join("session.cmds");
    std::fs::write(&cmds, "MDTM 20240101120000 hello.txt\nMDTM hello.txt\n").unwrap();
    let out = dump(
        &["--cmds", cmds.to_str().unwrap()],
        b"213 File modification time set.\r\n213 20240101120000\r\n",
    );
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(
        stdout(&out),
        format!(
            "{text}\n{}\n",
            r#"{"code":213,"lines":1,"kind":"file_status","text":"20240101120000","time":"2024-01-01T12:00:00Z"}"#
        )
    );
    // A query whose 213 holds no time is still an error.
    let out = dump(&["--after", "MDTM hello.txt"], set);
    assert_eq!(out.status.code(), Some(1));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn input_that_is_no_reply_exits_1_and_the_dump_goes_on() {
    let out = dump(
        &[],
        b"hello\r\n227 Entering Passive Mode (1,2,3,4,300,1)\r\n200 ok\r\n",
    );
    assert_eq!(status(&out), 1);
    assert_eq!(
        stdout(&out),
        concat!(
            r#"{"error":"invalid reply code","offset":0}"#,
            "\n",
            r#"{"code":227,"lines":1,"kind":"entering_passive_mode","text":"Entering Passive Mode (1,2,3,4,300,1)","error":"bad payload: 227 field above 255"}"#,
            "\n",
            r#"{"code":200,"lines":1,"kind":"command_ok","text":"ok"}"#,
            "\n",
        )
    );
    // An unterminated tail is an error too.
    let out = dump(&[], b"200 ok\r\n211-a\r\n");
    assert_eq!(status(&out), 1);
    assert!(
        stdout(&out).ends_with("{\"error\":\"unterminated multi-line block\",\"offset\":15}\n")
    );
    // Empty input: nothing to print, nothing wrong.
    let out = dump(&[], b"");
    assert_eq!((status(&out), stdout(&out)), (0, String::new()));
}

#[test]
fn a_reply_longer_than_the_buffer_is_one_truncated_object() {
    let out = dump(
        &["--chunk", "5", "--buffer", "16"],
        b"220 a greeting longer than sixteen bytes\r\n200 ok\r\n",
    );
    assert_eq!(status(&out), 1);
    assert_eq!(
        stdout(&out),
        concat!(
            r#"{"code":220,"kind":"service_ready","error":"reply longer than the 16-byte buffer","truncated":true}"#,
            "\n",
            r#"{"code":200,"lines":1,"kind":"command_ok","text":"ok"}"#,
            "\n",
        )
    );
}

/// `--buffer` without `--chunk`: the decoder takes the whole input in one
/// push, and prints what it does with `--chunk` set to the input's length.
#[test]
fn a_buffer_without_chunk_feeds_the_input_in_one_push() {
    let input = b"220 a greeting longer than sixteen bytes\r\n200 ok\r\n";
    let alone = dump(&["--buffer", "16"], input);
    let len = input.len().to_string();
    let chunked = dump(&["--chunk", &len, "--buffer", "16"], input);
    assert_eq!(status(&alone), 1);
    assert!(stdout(&alone).contains(r#""truncated":true"#));
    assert_eq!(
        (status(&alone), stdout(&alone)),
        (status(&chunked), stdout(&chunked))
    );
}

/// An output that cannot be written (the reader gone, `dump | head`)
/// exits 2, as the help says: the dump stops, and does not panic.
#[test]
#[cfg(unix)]
fn an_output_that_cannot_be_written_exits_2() {
    use std::process::{Command, Stdio};
    // 64 KiB of replies, more than a pipe holds, into a pipe whose
    // reader has gone.
    let mut child = Command::new(dump_bin())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let mut stdin = child.stdin.take().unwrap();
    let _ = std::io::Write::write_all(&mut stdin, &b"200 ok\r\n".repeat(8192));
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(2), "{:?}", out);
    assert!(!String::from_utf8_lossy(&out.stderr).contains("panicked"));
}

/// The same for `--help`'s text (2, not the 0 of a help that was read),
/// and a standard error that cannot be written changes no status: a usage
/// error and an input that cannot be read still exit 2, a clean dump 0
/// (`println!` and `eprintln!` panicked there, exit 101). Linux only
/// (`/dev/full`).
#[test]
#[cfg(target_os = "linux")]
fn help_and_complaints_that_cannot_be_written_do_not_panic() {
    use std::process::{Command, Stdio};
    let run = |args: &[&str], out: Stdio, err: Stdio| {
        let got = Command::new(dump_bin())
            .args(args)
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .output()
            .unwrap();
        got.status.code()
    };
    let full = || Stdio::from(std::fs::File::create("/dev/full").unwrap());
    let missing = data("no-such-file.raw");
    let golden = data("vsftpd/session.raw");
    assert_eq!(run(&["--help"], full(), Stdio::null()), Some(2));
    assert_eq!(run(&["--chunk", "0"], Stdio::null(), full()), Some(2));
    assert_eq!(run(&["--bogus"], Stdio::null(), full()), Some(2));
    assert_eq!(
        run(&[missing.to_str().unwrap()], Stdio::null(), full()),
        Some(2)
    );
    assert_eq!(
        run(&[golden.to_str().unwrap()], Stdio::null(), full()),
        Some(0)
    );
    assert_eq!(run(&["--help"], Stdio::null(), full()), Some(0));
}

/// The control connection is Telnet: vsftpd's doubled 255 in a name is
/// one byte (U+FFFD once, not twice), and a reply after `IAC NOP` or
/// option negotiation is a reply (it was an error at byte 0, and lost),
/// chunked or not; offsets count after the commands are taken out.
#[test]
fn telnet_commands_are_taken_out() {
    let input = b"\xff\xf1220 ok\r\n257 \"/\xff\xff\" is the current directory\r\n\
                  \xff\xfb\x01221 x\r\n\xff\xf1oops\r\n";
    let want = [
        r#"{"code":220,"lines":1,"kind":"service_ready","text":"ok"}"#,
        r#"{"code":257,"lines":1,"kind":"pathname_created","text":"\"/\u{fffd}\" is the current directory","path":"/\u{fffd}"}"#,
        r#"{"code":221,"lines":1,"kind":"service_closing","text":"x"}"#,
        // 8 + 35 + 7 bytes before it, once the commands are out.
        r#"{"error":"invalid reply code","offset":50}"#,
    ]
    .join("\n")
        + "\n";
    let want = want.replace("\\u{fffd}", "\u{fffd}");
    for args in [&[][..], &["--chunk", "1"], &["--chunk", "3"]] {
        let out = dump(args, input);
        assert_eq!((status(&out), stdout(&out)), (1, want.clone()), "{args:?}");
    }
}

/// `CR NUL` is Telnet's lone CR (RFC 854), as RFC 2640 sends a CR in a
/// name (vsftpd's and BusyBox's stands for CR LF, their NUL being an LF in
/// a name; helper 118 recorded it live, helper 119 read their source): the
/// 257 and the MLST entry are replies with their codes (the path refuses
/// the CR, `ForbiddenByte`), not a NUL error with no code as before; the
/// next reply is read, chunked or not; a NUL not after a CR is still the
/// grammar's error.
#[test]
fn cr_nul_is_a_cr() {
    let input = b"257 \"/a\r\0b\" created\r\n250-Listing\r\n type=dir; /tmp/a\r\0b\r\n250 End\r\n\
                  200 a\0b\r\n221 bye\r\n";
    let want = [
        r#"{"code":257,"lines":1,"kind":"pathname_created","text":"\"/a\rb\" created","error":"bad payload: pathname holds cr, lf or nul"}"#,
        r#"{"code":250,"lines":3,"kind":"file_action_ok","text":"Listing","error":"bad payload: pathname holds cr, lf or nul"}"#,
        // 20 + 43 bytes before it, the NULs after a CR out; the NUL at 5.
        r#"{"error":"nul byte in line","offset":68}"#,
        r#"{"code":221,"lines":1,"kind":"service_closing","text":"bye"}"#,
    ]
    .join("\n")
        + "\n";
    let cmds = Path::new(env!("CARGO_TARGET_TMPDIR")).join("dump-cli-cr-nul.cmds");
    std::fs::write(&cmds, "MKD x\nMLST x\nNOOP\nQUIT\n").unwrap();
    let cmds = cmds.to_str().unwrap();
    for chunk in ["0", "1", "2", "7"] {
        let mut args = vec!["--cmds", cmds];
        if chunk != "0" {
            args.extend(["--chunk", chunk]);
        }
        let out = dump(&args, input);
        assert_eq!((status(&out), stdout(&out)), (1, want.clone()), "{args:?}");
    }
}

/// A 255 the server did not double is data, and so is the byte after it
/// (an LF still ends the line); `IAC WILL` before a CR takes no option:
/// the CR stays data; `IAC SB` and `IAC SE` are taken out; an IAC at the very end
/// of the input is no data (no unterminated line, exit 0). The same for
/// every `--chunk` from 1 to 40, and with `--buffer`.
#[test]
fn single_255s_and_an_iac_at_the_end() {
    let input = b"550 caf\xff\r\n\xff\xf1200-a\xff\xff\xff\xfb\r\n\n200 end\r\n\
                  \xff\xfa\xff\xf0221 x\xff\n\xff";
    let want = [
        r#"{"code":550,"lines":1,"kind":"file_unavailable","text":"caf\u{fffd}"}"#,
        r#"{"code":200,"lines":3,"kind":"command_ok","text":"a\u{fffd}"}"#,
        r#"{"code":221,"lines":1,"kind":"service_closing","text":"x\u{fffd}"}"#,
    ]
    .join("\n")
        + "\n";
    let want = want.replace("\\u{fffd}", "\u{fffd}");
    let out = dump(&[], input);
    assert_eq!((status(&out), stdout(&out)), (0, want.clone()));
    for n in 1..=40 {
        let n = n.to_string();
        for args in [&["--chunk", &n][..], &["--chunk", &n, "--buffer", "64"]] {
            let out = dump(args, input);
            assert_eq!((status(&out), stdout(&out)), (0, want.clone()), "{args:?}");
        }
    }
}

/// A Latin-1 `ÿû` (255, 251) the server did not double, right before a
/// bare LF: no option byte, so the LF still ends the line and the next
/// reply is its own (the LF was taken as `IAC WILL`'s option, and the two
/// replies read as one `550` whose text ran on into `200 ok`).
#[test]
fn an_undoubled_will_before_a_line_end_loses_no_reply() {
    let input = b"550 x\xff\xfb\n200 ok\r\n211-a\xff\xfd\n211 end\r\n";
    let want = [
        r#"{"code":550,"lines":1,"kind":"file_unavailable","text":"x"}"#,
        r#"{"code":200,"lines":1,"kind":"command_ok","text":"ok"}"#,
        r#"{"code":211,"lines":2,"kind":"system_status","text":"a"}"#,
    ]
    .join("\n")
        + "\n";
    for args in [&[][..], &["--chunk", "1"], &["--chunk", "6"]] {
        let out = dump(args, input);
        assert_eq!((status(&out), stdout(&out)), (0, want.clone()), "{args:?}");
    }
}

#[test]
fn usage_errors_exit_2_and_print_nothing_on_stdout() {
    let missing = data("no-such-file.raw");
    for args in [
        &["--bogus"][..],
        &["--chunk"],
        &["--chunk", "0"],
        &["--chunk", "x"],
        &["--buffer", "2000000"],
        &["--buffer", "0"],
        &["--chunk", "4", "--buffer", "0"],
        &["--after"],
        &["--cmds"],
        &["a.raw", "b.raw"],
        &["a.raw", "--", "b.raw"],
        &["--", "a.raw", "b.raw"],
        &[missing.to_str().unwrap()],
        // A `--cmds` file that cannot be read.
        &["--cmds", missing.to_str().unwrap()],
    ] {
        let out = dump(args, b"200 ok\r\n");
        assert_eq!(status(&out), 2, "{args:?}");
        assert_eq!(stdout(&out), "", "{args:?}");
        assert!(!out.stderr.is_empty(), "{args:?}: says why");
    }
    let help = dump(&["--help"], b"");
    assert_eq!(status(&help), 0);
    assert!(stdout(&help).starts_with("usage: dump "));
}

/// Output is written as it is made, not gathered first: 2 MB of empty
/// lines give 2 million error objects, 94,888,890 bytes (README.md says
/// so; counted below), which the dump prints
/// under a 60 MB address-space limit, unchunked and through the decoder
/// (it held them all before, and aborted there, out of memory). Linux only
/// (`ulimit -v` through `sh`; `MALLOC_ARENA_MAX=1` keeps glibc from giving
/// the decoder's thread an arena of its own, 64 MB of address space, which
/// under the limit it cannot reserve and then maps every allocation
/// alone).
#[test]
#[cfg(target_os = "linux")]
fn output_is_streamed_not_held() {
    let input = Path::new(env!("CARGO_TARGET_TMPDIR")).join("dump-cli-empty-lines.raw");
    std::fs::write(&input, vec![b'\n'; 2_000_000]).unwrap();
    for chunk in [None, Some("4096")] {
        let mut cmd = Command::new("sh");
        cmd.arg("-c")
            .arg(r#"ulimit -v 60000 && exec "$@""#)
            .arg("sh")
            .arg(dump_bin());
        if let Some(n) = chunk {
            cmd.args(["--chunk", n]);
        }
        let mut child = cmd
            .arg(&input)
            .env("MALLOC_ARENA_MAX", "1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("run sh");
        // Count the output's lines without keeping them.
        let mut stdout = child.stdout.take().expect("stdout");
        let mut buf = vec![0; 1 << 16];
        let (mut bytes, mut lines) = (0usize, 0usize);
        loop {
            let n = std::io::Read::read(&mut stdout, &mut buf).expect("read the dump's output");
            if n == 0 {
                break;
            }
            bytes += n;
            lines += buf[..n].iter().filter(|&&b| b == b'\n').count();
        }
        let out = child.wait_with_output().expect("wait for the dump");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{chunk:?}: {stderr}");
        assert_eq!(lines, 2_000_000, "{chunk:?}");
        // `{"error":"invalid reply code","offset":N}` and an LF: 41
        // bytes and the digits of N, for N from 0 to 1,999,999.
        let digits: usize = (0..2_000_000usize).map(|n| n.to_string().len()).sum();
        assert_eq!(bytes, 2_000_000 * 41 + digits, "{chunk:?}");
        assert_eq!(bytes, 94_888_890, "{chunk:?}");
    }
    let _ = std::fs::remove_file(&input);
}

/// One reply's list is written name by name, not held as JSON values: a
/// 4 MB HELP block of 800,000 names (5.6 MB of output, one line) and a
/// 4 MB FEAT list of 400,000 features, each under the 60 MB limit of
/// [`output_is_streamed_not_held`] (the dump held each list as values
/// before, about 100 bytes a name, and aborted there, out of memory).
#[test]
#[cfg(target_os = "linux")]
fn one_huge_reply_is_not_held_as_values() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let help = dir.join("dump-cli-huge-help.raw");
    let mut bytes = b"214-The following commands are recognized.\r\n".to_vec();
    for _ in 0..80_000 {
        bytes.extend_from_slice(b" ABCD ABCD ABCD ABCD ABCD ABCD ABCD ABCD ABCD ABCD\r\n");
    }
    bytes.extend_from_slice(b"214 Help OK.\r\n");
    std::fs::write(&help, &bytes).unwrap();
    let feat = dir.join("dump-cli-huge-feat.raw");
    let mut bytes = b"211-Features:\r\n".to_vec();
    for i in 0..400_000 {
        bytes.extend_from_slice(format!(" X{i:07}\r\n").as_bytes());
    }
    bytes.extend_from_slice(b"211 End\r\n");
    std::fs::write(&feat, &bytes).unwrap();
    for (input, after, key, count) in [
        (&help, "HELP", "commands", 800_000),
        (&feat, "FEAT", "features", 400_000),
    ] {
        let out = Command::new("sh")
            .arg("-c")
            .arg(r#"ulimit -v 60000 && exec "$@""#)
            .arg("sh")
            .arg(dump_bin())
            .args(["--after", after])
            .arg(input)
            .env("MALLOC_ARENA_MAX", "1")
            .output()
            .expect("run sh");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(0), "{after}: {stderr}");
        let text = String::from_utf8(out.stdout).expect("JSON is UTF-8");
        assert_eq!(text.lines().count(), 1, "{after}");
        let value: serde_json::Value = serde_json::from_str(&text).expect("one JSON object");
        let list = value[key].as_array().expect("the list");
        assert_eq!(list.len(), count, "{after}");
        assert_eq!(
            list.last().and_then(|v| v.as_str()),
            Some(if after == "HELP" { "ABCD" } else { "X0399999" })
        );
        let _ = std::fs::remove_file(input);
    }
}

/// An MLST entry's facts are the README's one exception to "the input
/// and little more": they are gathered first (a fact named twice keeps its
/// first place and its last value, as a JSON reader takes a key given
/// twice), about twenty times their size. A 2.9 MB entry of 300,000
/// distinct facts prints them all, in order, under a 100 MB address-space
/// limit (as in [`output_is_streamed_not_held`]; it takes about 60 MB).
#[test]
#[cfg(target_os = "linux")]
fn an_mlst_entry_of_many_facts_stays_in_proportion() {
    let input = Path::new(env!("CARGO_TARGET_TMPDIR")).join("dump-cli-huge-mlst.raw");
    let mut bytes = b"250-Listing /x\r\n ".to_vec();
    for i in 0..300_000 {
        bytes.extend_from_slice(format!("f{i}=v{i};").as_bytes());
    }
    // The last fact named again: its first place, this value.
    bytes.extend_from_slice(b"f299999=last; /x\r\n250 End\r\n");
    std::fs::write(&input, &bytes).unwrap();
    let out = Command::new("sh")
        .arg("-c")
        .arg(r#"ulimit -v 100000 && exec "$@""#)
        .arg("sh")
        .arg(dump_bin())
        .args(["--after", "MLST"])
        .arg(&input)
        .env("MALLOC_ARENA_MAX", "1")
        .output()
        .expect("run sh");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let text = String::from_utf8(out.stdout).expect("JSON is UTF-8");
    assert_eq!(text.lines().count(), 1);
    let value: serde_json::Value = serde_json::from_str(&text).expect("one JSON object");
    assert_eq!(value["path"], "/x");
    let facts = value["facts"].as_object().expect("the facts");
    assert_eq!(facts.len(), 300_000);
    assert_eq!(facts.get("f0").and_then(|v| v.as_str()), Some("v0"));
    let (last_name, last_value) = facts.iter().next_back().expect("a last fact");
    assert_eq!(
        (last_name.as_str(), last_value.as_str()),
        ("f299999", Some("last"))
    );
    let _ = std::fs::remove_file(&input);
}

/// A `--cmds` file is kept as the command each line names, not as its
/// text: 2,000,000 lines of `-` (one per reply, none named) after a
/// `SIZE x` are read under the 60 MB limit of
/// [`output_is_streamed_not_held`] (a `String` a line took about 56
/// bytes a line, 112 MB, and aborted there), and the first reply is
/// still read as SIZE's.
#[test]
#[cfg(target_os = "linux")]
fn a_cmds_file_of_many_lines_stays_in_proportion() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let (cmds, input) = (
        dir.join("dump-cli-many.cmds"),
        dir.join("dump-cli-one-213.raw"),
    );
    let mut lines = b"SIZE x\n".to_vec();
    lines.extend_from_slice(&b"-\n".repeat(2_000_000));
    std::fs::write(&cmds, &lines).unwrap();
    std::fs::write(&input, b"213 5\r\n213 6\r\n").unwrap();
    let out = Command::new("sh")
        .arg("-c")
        .arg(r#"ulimit -v 60000 && exec "$@""#)
        .arg("sh")
        .arg(dump_bin())
        .arg("--cmds")
        .arg(&cmds)
        .arg(&input)
        .env("MALLOC_ARENA_MAX", "1")
        .output()
        .expect("run sh");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let text = String::from_utf8(out.stdout).expect("JSON is UTF-8");
    let kinds: Vec<serde_json::Value> = text
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("one JSON object"))
        .collect();
    assert_eq!(kinds.len(), 2);
    assert_eq!(kinds[0]["size"], 5, "{text}");
    assert_eq!(kinds[1].get("size"), None, "{text}");
    let _ = std::fs::remove_file(&cmds);
    let _ = std::fs::remove_file(&input);
}

/// `--lenient`: any code closes a block, curl's rule for glftpd, which
/// closes a `553-` block with a `150 ` line (the bytes of
/// `tests/multiline.rs`). The object is the closing line's: its code, its
/// text and its size; `lines` counts both. Without `--lenient` the block
/// never closes (RFC 959 4.2): one error, exit 1. Whole and chunked alike.
#[test]
fn lenient_closes_a_block_at_any_code() {
    let glftpd = b"553-Could not create file.\r\n\
        150 Opening BINARY mode data connection for x (12 bytes).\r\n";
    let lenient = concat!(
        r#"{"code":150,"lines":2,"kind":"file_status_ok","text":"Opening BINARY mode data connection for x (12 bytes).","size":12}"#,
        "\n"
    );
    for args in [&["--lenient"][..], &["--lenient", "--chunk", "3"]] {
        let out = dump(args, glftpd);
        assert_eq!(status(&out), 0, "{args:?}");
        assert_eq!(stdout(&out), lenient, "{args:?}");
    }
    for args in [&[][..], &["--chunk", "3"]] {
        let out = dump(args, glftpd);
        assert_eq!(status(&out), 1, "{args:?}");
        // The offset is the input's end, where the block is still open.
        assert_eq!(
            stdout(&out),
            format!(
                "{{\"error\":\"unterminated multi-line block\",\"offset\":{}}}\n",
                glftpd.len()
            ),
            "{args:?}"
        );
    }
}

/// An unknown option is a usage error, never read as a file's name, even
/// when a file has that name; after `--` it is the file.
#[test]
fn an_unknown_option_is_not_a_file() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("dump-cli-option-named-file");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("--bogus"), b"220 (vsFTPd 3.0.3)\r\n").unwrap();
    let run = |args: &[&str]| {
        Command::new(dump_bin())
            .args(args)
            .current_dir(&dir)
            .stdin(Stdio::null())
            .output()
            .expect("run the dump")
    };
    let out = run(&["--bogus"]);
    assert_eq!(status(&out), 2);
    assert_eq!(stdout(&out), "");
    assert!(String::from_utf8_lossy(&out.stderr).contains("unknown option --bogus"));
    let out = run(&["--", "--bogus"]);
    assert_eq!(status(&out), 0);
    assert_eq!(
        stdout(&out),
        "{\"code\":220,\"lines\":1,\"kind\":\"service_ready\",\"text\":\"(vsFTPd 3.0.3)\"}\n"
    );
}

/// `--help` prints the usage, then every option with what it does and the
/// exit statuses (main.rs: "prints the options").
#[test]
fn help_lists_every_option() {
    let out = dump(&["--help"], b"");
    assert_eq!(status(&out), 0);
    let help = stdout(&out);
    for line in [
        "usage: dump [--after CMD | --cmds FILE] [--lenient] [--chunk N] [--buffer B] [FILE]",
        "  --after CMD    type every reply as an answer to CMD",
        "  --cmds FILE    the command each reply answers, one line per reply (- for none)",
        "  --lenient      any code closes a block",
        "  --chunk N      feed the streaming decoder N bytes at a time",
        "  --buffer B     give the decoder B bytes",
        "Exits 0 when every reply parsed with its payload, 1 otherwise, 2 on a",
        "usage error, an input that cannot be read or an output that cannot be",
    ] {
        assert!(help.contains(line), "{line}\n{help}");
    }
}

/// `--buffer` is at most 1 MiB (the usage error says so): 1,048,576
/// itself is taken, and the session prints as without it.
#[test]
fn a_buffer_of_exactly_the_largest_size_is_taken() {
    let raw = data("vsftpd/session.raw");
    let golden = std::fs::read_to_string(data("vsftpd/session.jsonl")).unwrap();
    let out = dump(
        &["--chunk", "7", "--buffer", "1048576", raw.to_str().unwrap()],
        b"",
    );
    assert_eq!(status(&out), 0, "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(stdout(&out), golden);
    let out = dump(&["--chunk", "7", "--buffer", "1048577"], b"200 ok\r\n");
    assert_eq!(status(&out), 2);
    assert!(String::from_utf8_lossy(&out.stderr).contains("--buffer is at most 1048576"));
}

/// MDTM with a name only reads a time from its 213, when the name is made
/// of digits too: 14 digits and a space set the time only when a name
/// follows, and fewer digits are a name (`MDTM 2024 report.pdf`).
#[test]
fn mdtm_of_a_name_made_of_digits_reads_a_time() {
    let reply = b"213 20210304050607\r\n";
    let time = r#"{"code":213,"lines":1,"kind":"file_status","text":"20210304050607","time":"2021-03-04T05:06:07Z"}"#;
    for after in [
        "MDTM 2024 report.pdf",
        "MDTM 20240101120000 ",
        "MDTM 20240101120000",
    ] {
        let out = dump(&["--after", after], reply);
        assert_eq!(status(&out), 0, "{after:?}");
        assert_eq!(stdout(&out).trim_end(), time, "{after:?}");
    }
}

/// The README's `offset`: a line's start for a code that is not one, the
/// NUL itself (in a single line and inside a block, which the error then
/// uses up through its closing line), the input's end for a line or block
/// the input ends inside. And its U+FFFD: one per maximal invalid
/// sequence, as `String::from_utf8_lossy` counts them.
#[test]
fn error_offsets_and_replacement_characters_as_the_readme_says() {
    let out = dump(
        &[],
        b"xyz\r\n200 a\x00b\r\n211-x\r\n a\x00\r\n211 e\r\n200 ok",
    );
    assert_eq!(
        stdout(&out),
        concat!(
            "{\"error\":\"invalid reply code\",\"offset\":0}\n",
            "{\"error\":\"nul byte in line\",\"offset\":10}\n",
            "{\"error\":\"nul byte in line\",\"offset\":23}\n",
            "{\"error\":\"unterminated line\",\"offset\":39}\n",
        )
    );
    let out = dump(&[], b"211-x\r\n a\r\n");
    assert_eq!(
        stdout(&out),
        "{\"error\":\"unterminated multi-line block\",\"offset\":11}\n"
    );
    let out = dump(&[], b"257 \"/\xe6\x97\"\r\n257 \"/\xc0\xaf\"\r\n");
    let text = stdout(&out);
    let paths: Vec<&str> = text
        .lines()
        .map(|l| {
            l.split("\"path\":\"")
                .nth(1)
                .unwrap()
                .trim_end_matches("\"}")
        })
        .collect();
    assert_eq!(paths, ["/\u{FFFD}", "/\u{FFFD}\u{FFFD}"]);
}
