//! Multi-line blocks (RFC 959 section 4.2): what may stand on middle lines,
//! line ends, text bytes, sizes and limits.

mod common;

use common::{assert_prefixes_partial, block_of, kat, kat_with, long_line};
use ftp_reply::{ErrorKind, ParserConfig, Progress, parse_complete, parse_streaming};

#[test]
fn middle_lines_starting_with_digits() {
    kat(
        "digits",
        b"211-Status\r\n1234 bytes\r\n12 files\r\n2 dirs\r\n211 End\r\n",
        b"",
        211,
        &[b"Status", b"1234 bytes", b"12 files", b"2 dirs", b"End"],
    );
}

#[test]
fn middle_lines_with_the_same_code_and_a_hyphen() {
    kat(
        "xyz- again",
        b"250-First\r\n250-Second\r\n250-Third\r\n250 Last\r\n",
        b"",
        250,
        &[b"First", b"Second", b"Third", b"Last"],
    );
}

#[test]
fn middle_lines_with_other_codes_and_a_hyphen() {
    kat(
        "other code hyphen",
        b"250-First\r\n220-other\r\n550-more\r\n250 Last\r\n",
        b"",
        250,
        &[b"First", b"220-other", b"550-more", b"Last"],
    );
}

/// `200 ...` inside a `214-` block stays inside by default.
#[test]
fn other_code_and_space_stays_inside_by_default() {
    let input = b"214-Help follows\r\n200 is not the end\r\n214 Done\r\n";
    kat(
        "strict",
        input,
        b"",
        214,
        &[b"Help follows", b"200 is not the end", b"Done"],
    );
}

/// With `any_code_ends_block`, `200 ...` ends the block, and the reply's code
/// is the closing line's code (as curl does); the rest is what follows.
#[test]
fn other_code_and_space_ends_block_when_lenient() {
    let input = b"214-Help follows\r\n200 is not the end\r\n214 Done\r\n";
    let config = ParserConfig::new().any_code_ends_block(true);
    kat_with(
        &config,
        "lenient",
        input,
        b"214 Done\r\n",
        200,
        &[b"Help follows", b"is not the end"],
    );
    // glftpd closes a 553- block with a 150 line.
    kat_with(
        &config,
        "glftpd",
        b"553-Could not create\r\n150 File status okay\r\n",
        b"",
        150,
        &[b"Could not create", b"File status okay"],
    );
    // Issue #10: the reply is the 150, so its text and payload come from
    // the closing line (the size was lost before: `text()` read the 553).
    let glftpd =
        b"553-Could not create file.\r\n150 Opening BINARY mode data connection for x (12 bytes).\r\n";
    let (_, reply) = config.parse_complete(glftpd).unwrap();
    assert_eq!(reply.code().get(), 150);
    assert_eq!(
        reply.text(),
        b"Opening BINARY mode data connection for x (12 bytes)."
    );
    assert_eq!(
        reply.payload(),
        Ok(ftp_reply::payload::Payload::Transfer(Some(12)))
    );
    assert_eq!(reply.transfer_size(), Ok(Some(12)));
    // The accessor is the 150's and 125's: another code is `WrongCode`,
    // and a size's error is at its offset in the reply's bytes.
    let (_, r226) = parse_complete(b"226 Sent (12 bytes)\r\n").unwrap();
    assert_eq!(
        r226.transfer_size().map_err(|e| e.kind()),
        Err(ErrorKind::WrongCode)
    );
    let (_, bad) = parse_complete(b"150-Connected\r\n150 For x (1,024 bytes)\r\n").unwrap();
    let e = bad.transfer_size().unwrap_err();
    assert_eq!(
        (e.kind(), e.offset()),
        (
            ErrorKind::Payload(ftp_reply::PayloadError::BadNumber),
            15 + 11
        )
    );
    assert_eq!(
        reply.lines().next(),
        Some(&b"Could not create file."[..]),
        "lines() still starts with the 553 line"
    );
    // Strict: the same input is an unterminated block.
    let e = parse_complete(b"553-Could not create\r\n150 File status okay\r\n").unwrap_err();
    assert_eq!((e.kind(), e.offset()), (ErrorKind::UnterminatedBlock, 44));
    // Lenient still ends at the block's own code.
    kat_with(
        &config,
        "lenient own code",
        b"214-a\r\n b\r\n214 c\r\n",
        b"",
        214,
        &[b"a", b" b", b"c"],
    );
    // Lenient: a `ddd-` middle line does not end the block.
    kat_with(
        &config,
        "lenient hyphen",
        b"214-a\r\n200-b\r\n214 c\r\n",
        b"",
        214,
        &[b"a", b"200-b", b"c"],
    );
}

/// A block another code closed answers that code, and `text()` and the
/// payloads read the closing line, the readers that look for their value
/// on any line of a block (the 227, 228 and 229 tuples, a 125's or 150's
/// size) included: the other code's lines are not searched (they were, and
/// first, until a flag on the reply said, with no flash to spare for a
/// search, which line closed it: `553-(|||9|)` then `229 (|||1|)` gave
/// port 9). The same through a `Decoder`, pushed whole, in pieces and a
/// byte at a time; a block its own code closed still looks on every line.
#[test]
fn any_line_payloads_of_a_block_another_code_closed_read_the_closing_line() {
    use ftp_reply::{Decoder, PayloadError, Reply};
    use std::net::Ipv4Addr;
    let config = ParserConfig::new().any_code_ends_block(true);
    // `check` on the reply of `input` as `parse_complete` and a decoder
    // read it; `other`: closed by another code.
    let each = |input: &[u8], other: bool, check: &dyn Fn(&Reply<'_>)| {
        let (rest, reply) = config.parse_complete(input).unwrap();
        assert!(rest.is_empty());
        assert_eq!(reply.closed_by_other_code(), other);
        check(&reply);
        for piece in [1, 5, 64, input.len()] {
            let mut dec = Decoder::<256>::with_config(config);
            let mut seen = 0;
            for chunk in input.chunks(piece) {
                assert_eq!(dec.push(chunk), chunk.len());
                while let Some(r) = dec.next() {
                    let r = r.unwrap();
                    assert_eq!((r.as_bytes(), r.closed_by_other_code()), (input, other));
                    check(&r);
                    seen += 1;
                }
            }
            assert_eq!(seen, 1, "{piece}");
        }
    };
    let one = |input: &[u8], check: &dyn Fn(&Reply<'_>)| each(input, true, check);
    // The other code's line holds a value too: the closing line's is taken.
    one(b"553-(|||9|)\r\n229 (|||1|)\r\n", &|r| {
        assert_eq!(r.text(), b"(|||1|)");
        assert_eq!(r.extended_passive().map(|p| p.port()), Ok(1));
    });
    one(
        b"553-(9,9,9,9,9,9)\r\n227 Entering (1,2,3,4,5,6)\r\n",
        &|r| {
            let a = r.passive().unwrap();
            assert_eq!((a.ip, a.port), (Ipv4Addr::new(1, 2, 3, 4), 5 * 256 + 6));
        },
    );
    one(
        b"553-Opening (5 bytes)\r\n150 Opening (7 bytes)\r\n",
        &|r| {
            assert_eq!(r.transfer_size(), Ok(Some(7)));
        },
    );
    one(
        b"553-(4,4,9,9,9,9,2,0,9)\r\n228 (4,4,1,2,3,4,2,0,1)\r\n",
        &|r| {
            assert_eq!(r.long_passive().map(|a| a.port()), Ok(1));
        },
    );
    // Longer than a push the decoder reads with the grammar (more than 64
    // bytes after the first line), and with middle lines.
    let mut long = b"553-(|||9|)\r\n".to_vec();
    for _ in 0..3 {
        long.extend_from_slice(b" (|||8|) ");
        long.extend_from_slice(&[b'x'; 40]);
        long.extend_from_slice(b"\r\n");
    }
    long.extend_from_slice(b"229 (|||1|)\r\n");
    one(&long, &|r| {
        assert_eq!(r.line_count(), 5);
        assert_eq!(r.extended_passive().map(|p| p.port()), Ok(1));
    });
    // The closing line holds none: none, at the closing line's text (the
    // first line's value is not taken).
    let missing = |at| Err(ErrorKind::Payload(PayloadError::Missing)).map_err(|k| (k, at));
    one(
        b"553-(|||9|)\r\n229 Entering Extended Passive Mode\r\n",
        &|r| {
            let got = r.extended_passive().map(|p| p.port());
            assert_eq!(got.map_err(|e| (e.kind(), e.offset())), missing(17));
        },
    );
    one(
        b"553-(9,9,9,9,9,9)\r\n227 Entering Passive Mode\r\n",
        &|r| {
            let got = r.passive().map(|a| a.port);
            assert_eq!(got.map_err(|e| (e.kind(), e.offset())), missing(23));
        },
    );
    one(b"553-(4,4,9,9,9,9,2,0,9)\r\n228 Entering\r\n", &|r| {
        // (A 228's `Missing` is at the reply's first byte.)
        let got = r.long_passive().map(|a| a.port());
        assert_eq!(got.map_err(|e| (e.kind(), e.offset())), missing(0));
    });
    one(b"553-Opening (5 bytes)\r\n150 Opening\r\n", &|r| {
        assert_eq!(r.transfer_size(), Ok(None));
    });
    // As glftpd writes it, the other code's line holds none.
    one(b"553-Could not create file.\r\n229 (|||1|)\r\n", &|r| {
        assert_eq!(r.extended_passive().map(|p| p.port()), Ok(1));
    });
    one(
        b"553-Could not create file.\r\n150 Opening (7 bytes)\r\n",
        &|r| {
            assert_eq!(r.transfer_size(), Ok(Some(7)));
        },
    );
    // The readers that read the main line read the closing one.
    one(b"553-\"/a\" x\r\n257 \"/b\" y\r\n", &|r| {
        assert_eq!(r.pathname().map(|p| p.as_quoted()), Ok(&b"/b"[..]));
    });
    // A block its own code closed: every line, the first one's value first.
    each(b"229-(|||9|)\r\n229 (|||1|)\r\n", false, &|r| {
        assert_eq!(r.extended_passive().map(|p| p.port()), Ok(9));
    });
    each(
        b"150-Opening (5 bytes)\r\n150 Opening (7 bytes)\r\n",
        false,
        &|r| {
            assert_eq!(r.transfer_size(), Ok(Some(5)));
        },
    );
}

#[test]
fn middle_lines_with_leading_spaces() {
    kat(
        "leading spaces",
        b"211-Features:\r\n MDTM\r\n   SIZE\r\n 211 not the end\r\n211 End\r\n",
        b"",
        211,
        &[
            b"Features:",
            b" MDTM",
            b"   SIZE",
            b" 211 not the end",
            b"End",
        ],
    );
}

#[test]
fn bare_lf_line_ends() {
    kat("single bare lf", b"220 bare lf\n", b"", 220, &[b"bare lf"]);
    kat(
        "block bare lf",
        b"211-Features:\n MDTM\n SIZE\n211 End\n",
        b"",
        211,
        &[b"Features:", b" MDTM", b" SIZE", b"End"],
    );
    assert_prefixes_partial(
        &ParserConfig::new(),
        "bare lf",
        b"211-Features:\n MDTM\n211 End\n",
    );
}

#[test]
fn mixed_crlf_and_lf() {
    kat(
        "mixed",
        b"211-mixed\n middle\r\n other\n211 End\r\n220 next\n",
        b"220 next\n",
        211,
        &[b"mixed", b" middle", b" other", b"End"],
    );
}

/// A CR that is not before the LF stays in the text.
#[test]
fn lone_cr_inside_text_is_kept() {
    kat("inner cr", b"220 a\rb\r\n", b"", 220, &[b"a\rb"]);
    kat("double cr", b"220 ab\r\r\n", b"", 220, &[b"ab\r"]);
}

/// Latin-1 bytes are kept as bytes; `text_str` refuses them.
#[test]
fn non_utf8_text() {
    let input = b"220 Bienvenue \xe0 Paris, \xe9t\xe9\r\n";
    let reply = kat(
        "latin-1",
        input,
        b"",
        220,
        &[b"Bienvenue \xe0 Paris, \xe9t\xe9"],
    );
    let e = reply.text_str().unwrap_err();
    // 10 valid bytes of text after `220 `: the offset counts from the
    // reply's first byte.
    assert_eq!(
        e.kind(),
        ErrorKind::Payload(ftp_reply::PayloadError::NotUtf8)
    );
    assert_eq!(e.offset(), 4 + 10);
    let block = b"211-Caf\xe9\r\n na\xefve\r\n211 Fin\r\n";
    let reply = kat(
        "latin-1 block",
        block,
        b"",
        211,
        &[b"Caf\xe9", b" na\xefve", b"Fin"],
    );
    // The first byte that is not UTF-8: 0xE9, at 7 in the reply's bytes.
    assert_eq!(
        reply.text_str(),
        Err(ftp_reply::Error::new(
            ErrorKind::Payload(ftp_reply::PayloadError::NotUtf8),
            7
        ))
    );
    // UTF-8 (RFC 2640) is fine.
    let reply = kat(
        "utf-8",
        "257 \"/caf\u{e9}\"\r\n".as_bytes(),
        b"",
        257,
        &["\"/caf\u{e9}\"".as_bytes()],
    );
    assert_eq!(reply.text_str(), Ok("\"/caf\u{e9}\""));
}

#[test]
fn block_of_1000_lines() {
    let input = block_of(1000);
    let (rest, reply) = parse_complete(&input).unwrap();
    assert!(rest.is_empty());
    assert_eq!(reply.code().get(), 214);
    assert_eq!(reply.line_count(), 1000);
    assert_eq!(reply.lines().count(), 1000);
    assert_eq!(reply.lines().nth(1), Some(&b"0001 middle line"[..]));
    assert_eq!(reply.lines().nth(998), Some(&b"0998 middle line"[..]));
    assert_eq!(reply.lines().last(), Some(&b"End"[..]));
    assert_eq!(reply.as_bytes().len(), input.len());
    // Streaming: the whole is complete, and cut before the last line is partial.
    assert!(parse_streaming(&input).unwrap().is_complete());
    assert_eq!(
        parse_streaming(&input[..input.len() - 9]),
        Ok(Progress::Partial)
    );
    assert_eq!(
        parse_streaming(&input[..input.len() - 1]),
        Ok(Progress::Partial)
    );
}

#[test]
fn line_of_20000_bytes() {
    let input = long_line(20_000);
    let (rest, reply) = parse_complete(&input).unwrap();
    assert!(rest.is_empty());
    assert_eq!(reply.code().get(), 250);
    assert_eq!(reply.line_count(), 1);
    assert_eq!(reply.text().len(), 20_000);
    assert_eq!(&reply.text()[..4], b"abcd");
    assert_eq!(parse_streaming(&input[..10_000]), Ok(Progress::Partial));
    // As a middle line too.
    let mut block = b"211-big\r\n ".to_vec();
    block.extend(std::iter::repeat_n(b'x', 20_000));
    block.extend_from_slice(b"\r\n211 End\r\n");
    let (_, reply) = parse_complete(&block).unwrap();
    assert_eq!(reply.line_count(), 3);
    assert_eq!(reply.lines().nth(1).map(<[u8]>::len), Some(20_001));
}

/// `text_str` is `text()` as `&str`: with `any_code_ends_block`, the
/// closing line's text (the line whose code the reply carries), and a byte
/// that is not UTF-8 is at its offset in the reply's bytes.
#[test]
fn text_str_reads_the_main_line() {
    let config = ParserConfig::new().any_code_ends_block(true);
    let input = b"553-Caf\xe9 full.\r\n150 Opening data connection (12 bytes).\r\n";
    let (_, reply) = config.parse_complete(input).unwrap();
    assert_eq!(reply.text_str(), Ok("Opening data connection (12 bytes)."));
    let input = b"553-Could not create.\r\n150 Caf\xe9\r\n";
    let (_, reply) = config.parse_complete(input).unwrap();
    assert_eq!(
        reply.text_str(),
        Err(ftp_reply::Error::new(
            ErrorKind::Payload(ftp_reply::PayloadError::NotUtf8),
            input.iter().position(|&b| b == 0xe9).unwrap()
        ))
    );
}

/// `226\r\n`: a bare code, taken as a single-line reply with empty text.
#[test]
fn bare_code_has_empty_text() {
    let reply = kat("bare crlf", b"226\r\n", b"", 226, &[b""]);
    assert_eq!(reply.text_str(), Ok(""));
    kat("bare lf", b"226\n226 x\n", b"226 x\n", 226, &[b""]);
    kat("empty text", b"226 \r\n", b"", 226, &[b""]);
    // A bare code closes a block too.
    kat(
        "bare close",
        b"211-a\r\n b\r\n211\r\n",
        b"",
        211,
        &[b"a", b" b", b""],
    );
    assert_prefixes_partial(&ParserConfig::new(), "bare", b"226\r\n");
    // And, when any code ends a block, any bare code.
    let lenient = ParserConfig::new().any_code_ends_block(true);
    let (rest, reply) = lenient.parse_complete(b"553-a\r\n150\r\nx").unwrap();
    assert_eq!(
        (reply.code().get(), reply.line_count(), rest),
        (150, 2, &b"x"[..])
    );
}

/// ProFTPD repeats `211-` on middle lines: `lines()` strips it there, but
/// keeps another code's prefix.
#[test]
fn proftpd_prefixed_middle_lines_are_stripped() {
    kat(
        "proftpd feat",
        b"211-Features:\r\n211-MDTM\r\n211-SIZE\r\n 211-REST STREAM\r\n212-other\r\n211 End\r\n",
        b"",
        211,
        &[
            b"Features:",
            b"MDTM",
            b"SIZE",
            b" 211-REST STREAM",
            b"212-other",
            b"End",
        ],
    );
}

/// `max_lines` refuses a block with more lines, at the offset of the first
/// line over the limit; a block of exactly the limit passes.
#[test]
fn max_lines_limit() {
    let input = b"211-a\r\n b\r\n c\r\n d\r\n211 e\r\n";
    // line starts: 0, 7, 11, 15, 19
    let cases: &[(u32, Result<usize, usize>)] = &[
        (5, Ok(5)),
        (6, Ok(5)),
        (4, Err(19)),
        (3, Err(15)),
        (2, Err(11)),
        (1, Err(7)),
        // No `NonZeroU32` for 0: `max_lines(None)`, no limit (it used to be
        // clamped to 1).
        (0, Ok(5)),
    ];
    for (i, &(limit, want)) in cases.iter().enumerate() {
        let config = ParserConfig::new().max_lines(core::num::NonZeroU32::new(limit));
        let got = config.parse_complete(input);
        match want {
            Ok(lines) => {
                let (rest, reply) = got.unwrap_or_else(|e| panic!("case {i}: {e}"));
                assert!(rest.is_empty(), "case {i}");
                assert_eq!(reply.line_count(), lines, "case {i}");
            }
            Err(offset) => {
                let e = got.unwrap_err();
                assert_eq!(e.kind(), ErrorKind::TooManyLines { limit }, "case {i}");
                assert_eq!(e.offset(), offset, "case {i}");
                // Streaming finds it too, once the lines are there.
                assert_eq!(config.parse_streaming(input), Err(e), "case {i}: streaming");
            }
        }
    }
    // A single-line reply is never refused.
    let config = ParserConfig::new().max_lines(core::num::NonZeroU32::new(1));
    assert!(config.parse_complete(b"220 ok\r\n").is_ok());
}

/// An unterminated block: an error for complete input, `Partial` for
/// streaming input.
#[test]
fn unterminated_block() {
    let cases: &[&[u8]] = &[
        b"211-a\r\n",
        b"211-a\r\n b\r\n",
        b"211-a\r\n b\r\n211",
        b"211-a\r\n b\r\n211 End",
        b"211-a\r\n b\r\n211 End\r",
        b"211-a\r\n b\r\n 211 End\r\n",
        b"211-a\r\n b\r\n211-End\r\n",
    ];
    for (i, input) in cases.iter().enumerate() {
        let e = parse_complete(input).unwrap_err();
        assert_eq!(e.kind(), ErrorKind::UnterminatedBlock, "case {i}");
        assert_eq!(e.offset(), input.len(), "case {i}");
        assert_eq!(parse_streaming(input), Ok(Progress::Partial), "case {i}");
    }
}

/// Two blocks back to back, then a single line: each `rest` starts the next.
#[test]
fn replies_back_to_back() {
    let input = b"211-a\r\n211 b\r\n214-c\n214 d\n220 e\r\n";
    let items = common::walk(input);
    let codes: Vec<(u16, usize)> = items
        .iter()
        .map(|it| match it {
            common::Item::Reply {
                code, line_count, ..
            } => (*code, *line_count),
            other => panic!("unexpected {other:?}"),
        })
        .collect();
    assert_eq!(codes, [(211, 2), (214, 2), (220, 1)]);
}

/// `middle_lines` gives the lines between the first and the last, as
/// `lines` does (issue #11).
#[test]
fn middle_lines() {
    let (_, r) = parse_complete(b"211-Features:\r\n MDTM\r\n211-SIZE\r\n211 End\r\n").unwrap();
    let mid: Vec<&[u8]> = r.middle_lines().collect();
    assert_eq!(mid, [&b" MDTM"[..], b"SIZE"]);
    assert_eq!(r.middle_lines().size_hint(), (2, Some(2)));
    let (_, r) = parse_complete(b"211-a\r\n211 b\r\n").unwrap();
    assert_eq!(r.middle_lines().count(), 0);
    let (_, r) = parse_complete(b"200 ok\r\n").unwrap();
    assert_eq!(r.middle_lines().next(), None);
}

/// The README's "which lines a payload reads": the tuples and a 150's size
/// on any line of a block, every other payload on the main text, the first
/// line: `120-Wait` then `120 ready in 7 minutes` gives no minutes, a 631
/// block the first line's base64 (the other lines through `lines()`).
#[test]
fn payloads_other_than_the_tuples_read_the_first_line() {
    use ftp_reply::payload::Payload;
    let (_, r) = parse_complete(b"120-Wait\r\n120 ready in 7 minutes\r\n").unwrap();
    assert_eq!(r.payload(), Ok(Payload::ReadyIn(None)));
    let (_, r) = parse_complete(b"120-ready in 7 minutes\r\n120 x\r\n").unwrap();
    assert_eq!(r.payload(), Ok(Payload::ReadyIn(Some(7))));
    let (_, r) = parse_complete(b"631-YWJj\r\n631 ZGVm\r\n").unwrap();
    match r.payload() {
        Ok(Payload::Protected(data)) => assert_eq!(data.base64(), b"YWJj"),
        other => panic!("{other:?}"),
    }
    assert_eq!(r.lines().count(), 2);
    // The tuples and a 150's size: any line.
    let (_, r) = parse_complete(b"227-Entering\r\n227 (127,0,0,1,4,1)\r\n").unwrap();
    assert_eq!(r.passive().map(|a| a.socket_addr().port()), Ok(1025));
    let (_, r) = parse_complete(b"150-Opening\r\n150 (12 bytes)\r\n").unwrap();
    assert_eq!(r.transfer_size(), Ok(Some(12)));
}
