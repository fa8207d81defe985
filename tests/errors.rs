//! Every framing `ErrorKind` with its offset, `Display`, the size of
//! `Error`, and recovery by walking past bad lines.

mod common;

use common::{FRAMING_ERRORS, Item, walk, walk_with};
use ftp_reply::{
    Error, ErrorKind, ParserConfig, PayloadError, Progress, parse_complete, parse_streaming,
    resume_after,
};

/// The table: `parse_complete` gives that kind at that offset, the error
/// standing for the whole input (each case is one item); streaming gives
/// the same error once the item has ended (its LF, or its closing line),
/// and `Partial` before.
#[test]
fn framing_errors_with_offsets() {
    for (i, &(input, kind, offset)) in FRAMING_ERRORS.iter().enumerate() {
        let e = parse_complete(input).unwrap_err();
        assert_eq!(
            e.kind(),
            kind,
            "case {i}: kind for {:?}",
            common::Bytes(input.to_vec())
        );
        assert_eq!(e.offset(), offset, "case {i}: offset");
        assert_eq!(e.end(), input.len(), "case {i}: end");
        assert_eq!(resume_after(input, &e), input.len(), "case {i}: resume");
        let streaming = parse_streaming(input);
        let ended = input.ends_with(b"\n")
            && !matches!(
                kind,
                ErrorKind::UnterminatedLine | ErrorKind::UnterminatedBlock
            );
        if ended {
            assert_eq!(streaming, Err(e), "case {i}: streaming");
        } else {
            assert_eq!(streaming, Ok(Progress::Partial), "case {i}: streaming");
        }
    }
}

#[test]
fn invalid_code() {
    let cases: &[(&[u8], usize)] = &[
        (b"hello\r\n", 0),
        (b"2x0 ok", 1),
        (b"700 x", 0),
        (b"099 x", 0),
    ];
    for (i, &(input, offset)) in cases.iter().enumerate() {
        let e = parse_complete(input).unwrap_err();
        assert_eq!(
            (e.kind(), e.offset()),
            (ErrorKind::InvalidCode, offset),
            "case {i}"
        );
        assert_eq!(e.code(), None, "case {i}: no code");
        // Known from the first bad byte, reported once its line has ended.
        assert_eq!(
            parse_streaming(&input[..=offset]),
            Ok(Progress::Partial),
            "case {i}: short streaming"
        );
        let mut line = input.to_vec();
        line.extend_from_slice(b"\r\n220 next\r\n");
        let s = parse_streaming(&line).unwrap_err();
        assert_eq!((s.kind(), s.offset()), (e.kind(), e.offset()), "case {i}");
        let lf = line.iter().position(|&b| b == b'\n').unwrap();
        assert_eq!(s.end(), lf + 1, "case {i}: end");
    }
}

#[test]
fn missing_separator() {
    let e = parse_complete(b"220Welcome").unwrap_err();
    assert_eq!((e.kind(), e.offset()), (ErrorKind::MissingSeparator, 3));
    // The line was meant as a 220: the error says which answer it consumed.
    assert_eq!(e.code().map(|c| c.get()), Some(220));
    assert_eq!(parse_streaming(b"220W"), Ok(Progress::Partial));
    let e = parse_streaming(b"220Welcome\r\n230 ok\r\n").unwrap_err();
    assert_eq!(
        (e.kind(), e.offset(), e.end()),
        (ErrorKind::MissingSeparator, 3, 12)
    );
}

#[test]
fn nul_byte_in_a_single_line() {
    let input = b"220 Welcome\0 to FTP\r\n";
    let e = parse_complete(input).unwrap_err();
    assert_eq!(
        (e.kind(), e.offset(), e.end()),
        (ErrorKind::NulByte, 11, 21)
    );
    assert_eq!(e.code().map(|c| c.get()), Some(220));
    assert_eq!(parse_streaming(&input[..12]), Ok(Progress::Partial));
    assert_eq!(parse_streaming(input), Err(e));
}

#[test]
fn nul_byte_in_a_middle_line() {
    // RFC 2640: a CR inside a pathname is sent as CR NUL.
    let input = b"250-Listing\r\n /tmp/a\r\0b\r\n250 End\r\n";
    let e = parse_complete(input).unwrap_err();
    assert_eq!((e.kind(), e.offset()), (ErrorKind::NulByte, 21));
    assert_eq!(input[21], 0);
    assert_eq!(parse_streaming(input), Err(e));
}

#[test]
fn unterminated_line() {
    let e = parse_complete(b"220 ready").unwrap_err();
    assert_eq!((e.kind(), e.offset()), (ErrorKind::UnterminatedLine, 9));
    assert_eq!(parse_streaming(b"220 ready"), Ok(Progress::Partial));
    let e = parse_complete(b"").unwrap_err();
    assert_eq!((e.kind(), e.offset()), (ErrorKind::UnterminatedLine, 0));
    assert_eq!(parse_streaming(b""), Ok(Progress::Partial));
}

/// The input ends right after the code (`226`, `226\r`): the line is not
/// finished, as streaming says (`Partial`), so the complete parse should
/// say `UnterminatedLine`, not `MissingSeparator`.
#[test]
fn input_ending_after_the_code_is_unterminated() {
    let cases: &[(&[u8], usize)] = &[(b"226", 3), (b"226\r", 4)];
    for (i, &(input, offset)) in cases.iter().enumerate() {
        assert_eq!(parse_streaming(input), Ok(Progress::Partial), "case {i}");
        let e = parse_complete(input).unwrap_err();
        assert_eq!(
            (e.kind(), e.offset()),
            (ErrorKind::UnterminatedLine, offset),
            "case {i}"
        );
    }
}

#[test]
fn unterminated_block() {
    let input = b"211-Features:\r\n MDTM\r\n";
    let e = parse_complete(input).unwrap_err();
    assert_eq!((e.kind(), e.offset()), (ErrorKind::UnterminatedBlock, 22));
    assert_eq!(parse_streaming(input), Ok(Progress::Partial));
}

#[test]
fn too_many_lines() {
    let config = ParserConfig::new().max_lines(core::num::NonZeroU32::new(3));
    let input = b"211-a\r\n b\r\n c\r\n d\r\n211 End\r\n";
    let e = config.parse_complete(input).unwrap_err();
    assert_eq!(
        (e.kind(), e.offset()),
        (ErrorKind::TooManyLines { limit: 3 }, 15)
    );
    assert_eq!(
        (e.end(), e.code().map(|c| c.get())),
        (input.len(), Some(211))
    );
    assert_eq!(config.parse_streaming(input), Err(e));
    assert_eq!(
        config.parse_streaming(&input[..input.len() - 1]),
        Ok(Progress::Partial)
    );
    // Issue #10: the error consumes the block through its closing line, so
    // `211 End` is not a reply of its own (it was, before).
    let mut stream = input.to_vec();
    stream.extend_from_slice(b"257 \"/\"\r\n");
    assert_eq!(
        walk_with(&config, &stream),
        [
            Item::error(ErrorKind::TooManyLines { limit: 3 }, 15, 28, Some(211)),
            Item::Reply {
                code: 257,
                line_count: 1,
                raw: common::Bytes(b"257 \"/\"\r\n".to_vec())
            },
        ]
    );
}

/// `max_lines` counts a block's first and last line: a block of exactly
/// the limit parses; one line more is `TooManyLines` at the start of that
/// line (the closing one here), in the walk and through a decoder fed byte
/// by byte.
#[test]
fn max_lines_counts_first_and_last_line() {
    let three = ParserConfig::new().max_lines(core::num::NonZeroU32::new(3));
    let (_, reply) = three.parse_complete(b"211-a\r\n b\r\n211 End\r\n").unwrap();
    assert_eq!(reply.line_count(), 3);
    let input = b"211-a\r\n b\r\n c\r\n211 End\r\n";
    let want = [Item::error(
        ErrorKind::TooManyLines { limit: 3 },
        15,
        input.len(),
        Some(211),
    )];
    assert_eq!(walk_with(&three, input), want);
    let mut dec = ftp_reply::Decoder::<64>::with_config(three);
    assert_eq!(common::decode(&mut dec, input, &[1]), want);
    let one = ParserConfig::new().max_lines(core::num::NonZeroU32::new(1));
    assert_eq!(
        one.parse_complete(b"211 End\r\n")
            .map(|(_, r)| r.line_count()),
        Ok(1)
    );
    let input = b"211-a\r\n211 End\r\n";
    let want = [Item::error(
        ErrorKind::TooManyLines { limit: 1 },
        7,
        input.len(),
        Some(211),
    )];
    assert_eq!(walk_with(&one, input), want);
    let mut dec = ftp_reply::Decoder::<64>::with_config(one);
    assert_eq!(common::decode(&mut dec, input, &[1]), want);
}

#[test]
fn display_strings() {
    let cases: &[(ErrorKind, usize, &str)] = &[
        (ErrorKind::InvalidCode, 0, "invalid reply code at byte 0"),
        (
            ErrorKind::MissingSeparator,
            3,
            "missing space or hyphen after reply code at byte 3",
        ),
        (ErrorKind::NulByte, 5, "nul byte in line at byte 5"),
        (
            ErrorKind::UnterminatedLine,
            9,
            "unterminated line at byte 9",
        ),
        (
            ErrorKind::UnterminatedBlock,
            22,
            "unterminated multi-line block at byte 22",
        ),
        (
            ErrorKind::TooManyLines { limit: 3 },
            15,
            "block has more than 3 lines at byte 15",
        ),
        (
            ErrorKind::Payload(PayloadError::WrongFieldCount(5)),
            36,
            "bad payload: 227 tuple has 5 numbers instead of 6 at byte 36",
        ),
        (
            // No number at all: plural, as for every count but 1.
            ErrorKind::Payload(PayloadError::WrongFieldCount(0)),
            30,
            "bad payload: 227 tuple has 0 numbers instead of 6 at byte 30",
        ),
        (
            // LBBS's 227 to EPSV: `(|||200|)`, one number.
            ErrorKind::Payload(PayloadError::WrongFieldCount(1)),
            35,
            "bad payload: 227 tuple has 1 number instead of 6 at byte 35",
        ),
        (
            ErrorKind::WrongCode,
            0,
            "reply code does not carry this payload at byte 0",
        ),
        (
            ErrorKind::Payload(PayloadError::BadPort),
            7,
            "bad payload: port out of range at byte 7",
        ),
        (ErrorKind::BufferFull, 1, "buffer full at byte 1"),
    ];
    for (i, &(kind, offset, text)) in cases.iter().enumerate() {
        let e = Error::new(kind, offset);
        assert_eq!(e.to_string(), text, "case {i}");
        // Lowercase, no final period (STYLE 2.5).
        assert!(!text.ends_with('.'), "case {i}");
        assert_eq!(
            text.chars().next().map(char::is_lowercase),
            Some(true),
            "case {i}"
        );
        // It is a core::error::Error.
        let dynerr: &dyn core::error::Error = &e;
        assert_eq!(dynerr.to_string(), text, "case {i}");
    }
}

#[test]
fn error_is_small() {
    // kind (8), offset, end, code: 32 bytes on 64-bit targets, 20 on
    // 32-bit ones (a const assertion in src/error.rs checks those).
    assert!(size_of::<Error>() <= 32, "{}", size_of::<Error>());
    assert!(size_of::<Result<(), Error>>() <= 32);
}

#[test]
fn shifted_moves_the_offset() {
    let e = Error::new(ErrorKind::NulByte, 5);
    assert_eq!(e.shifted(10), Error::new(ErrorKind::NulByte, 15));
    assert_eq!(
        Error::new(ErrorKind::NulByte, usize::MAX)
            .shifted(1)
            .offset(),
        usize::MAX
    );
}

#[test]
fn resume_after_goes_past_the_line_end() {
    let cases: &[(&[u8], usize)] = &[
        (b"hello\r\n220 ok\r\n", 7),
        (b"hello\n220 ok\r\n", 6),
        (b"hello", 5),
        (b"\n", 1),
        (b"220 a\0b\r\n220 ok\r\n", 9),
    ];
    for (i, &(input, want)) in cases.iter().enumerate() {
        let e = parse_complete(input).unwrap_err();
        assert_eq!(resume_after(input, &e), want, "case {i}");
    }
}

/// An error made by hand stands for no bytes: parsing resumes just past
/// the first line end at or after its offset, or at the end of the input
/// when there is none.
#[test]
fn resume_after_a_hand_made_error() {
    let input = b"220 a\r\n220 b\r\n";
    let at = |offset| resume_after(input, &Error::new(ErrorKind::InvalidCode, offset));
    assert_eq!(at(0), 7);
    assert_eq!(at(6), 7);
    assert_eq!(at(7), 14);
    assert_eq!(at(14), 14);
    assert_eq!(at(99), 14);
}

/// Garbage lines, then replies: one error per bad line, then the replies,
/// none lost.
#[test]
fn walk_recovers_after_garbage() {
    let input = b"hello\r\nworld\r\n\r\n2x0 bad\n220Welcome\r\n220 a\0b\r\n220 ok\r\n211-a\r\n b\r\n211 c\r\n";
    let reply = |code, line_count, raw: &[u8]| Item::Reply {
        code,
        line_count,
        raw: common::Bytes(raw.to_vec()),
    };
    assert_eq!(
        walk(input),
        [
            Item::error(ErrorKind::InvalidCode, 0, 7, None),
            Item::error(ErrorKind::InvalidCode, 7, 14, None),
            Item::error(ErrorKind::InvalidCode, 14, 16, None),
            Item::error(ErrorKind::InvalidCode, 17, 24, None),
            Item::error(ErrorKind::MissingSeparator, 27, 36, Some(220)),
            Item::error(ErrorKind::NulByte, 41, 45, Some(220)),
            reply(220, 1, b"220 ok\r\n"),
            reply(211, 3, b"211-a\r\n b\r\n211 c\r\n"),
        ]
    );
}

/// A NUL inside a block: the error stands for the whole block, through its
/// closing line, and the walk resumes after it: no phantom `211 c` (issue
/// #10; the old behaviour, pinned here before, paired that phantom with the
/// next command).
#[test]
fn walk_after_nul_in_a_block() {
    let input = b"211-a\r\n b\0\r\n211 c\r\n220 ok\r\n";
    let reply = |code, line_count, raw: &[u8]| Item::Reply {
        code,
        line_count,
        raw: common::Bytes(raw.to_vec()),
    };
    assert_eq!(
        walk(input),
        [
            Item::error(ErrorKind::NulByte, 9, 19, Some(211)),
            reply(220, 1, b"220 ok\r\n"),
        ]
    );
}

/// The unterminated tail of a stream is one error.
#[test]
fn walk_ends_with_an_unterminated_reply() {
    assert_eq!(
        walk(b"220 ok\r\n211-a\r\n b\r\n"),
        [
            Item::Reply {
                code: 220,
                line_count: 1,
                raw: common::Bytes(b"220 ok\r\n".to_vec())
            },
            Item::error(ErrorKind::UnterminatedBlock, 19, 19, Some(211)),
        ]
    );
    assert_eq!(
        walk(b"220 ok\r\n220 re"),
        [
            Item::Reply {
                code: 220,
                line_count: 1,
                raw: common::Bytes(b"220 ok\r\n".to_vec())
            },
            Item::error(ErrorKind::UnterminatedLine, 14, 14, Some(220)),
        ]
    );
}

/// A `Decoder<64>` with `config`, fed `input` in pushes of 1, 2, 5 and 64
/// bytes, gives what the walk gave.
fn decoder_agrees(config: &ParserConfig, input: &[u8], walked: &[Item]) {
    for size in [1, 2, 5, 64] {
        let mut dec = ftp_reply::Decoder::<64>::with_config(*config);
        assert_eq!(
            common::decode(&mut dec, input, &[size]),
            walked,
            "chunks of {size}"
        );
    }
}

/// A NUL in a line before the first line over `max_lines`: the first
/// problem by position is the NUL, in the walk and in the decoder.
#[test]
fn nul_before_the_line_over_the_limit() {
    let config = ParserConfig::new().max_lines(core::num::NonZeroU32::new(3));
    let input = b"211-a\r\n b\0\r\n c\r\n d\r\n211 End\r\n200 ok\r\n";
    let e = config.parse_complete(input).unwrap_err();
    assert_eq!((e.kind(), e.offset(), e.end()), (ErrorKind::NulByte, 9, 29));
    let walked = walk_with(&config, input);
    assert_eq!(walked[0], Item::error(ErrorKind::NulByte, 9, 29, Some(211)));
    assert_eq!(walked.len(), 2);
    decoder_agrees(&config, input, &walked);
}

/// A NUL that starts the first line over `max_lines`: both problems are at
/// the same byte, and the walk and the decoder agree that the line over the
/// limit is what is reported (found by the `one_reply` fuzz target).
#[test]
fn nul_at_the_start_of_the_line_over_the_limit() {
    let config = ParserConfig::new().max_lines(core::num::NonZeroU32::new(3));
    let input = b"211-a\r\n b\r\n c\r\n\0 d\r\n211 End\r\n200 ok\r\n";
    let walked = walk_with(&config, input);
    assert_eq!(
        walked[0],
        Item::error(ErrorKind::TooManyLines { limit: 3 }, 15, 29, Some(211))
    );
    decoder_agrees(&config, input, &walked);
}
