//! RFC 959 section 4.2: the examples and the reply codes, plus the codes of
//! RFC 2228 and RFC 2428.

mod common;

use common::{
    RFC959_4_2_2, RFC959_FOUR_LINES, RFC959_SCENARIO, assert_prefixes_partial, kat, walk,
};
use ftp_reply::{Category, Class, KnownCode, ParserConfig, ReplyCode, parse_complete};

/// RFC 959 section 4.2: "123-First line / Second line / 234 A line beginning
/// with numbers / 123 The last line" is one reply of four lines.
#[test]
fn section_4_2_multiline_example_is_one_reply() {
    let reply = kat(
        "4.2 example",
        RFC959_FOUR_LINES,
        b"",
        123,
        &[
            b"First line",
            b"Second line",
            b"  234 A line beginning with numbers",
            b"The last line",
        ],
    );
    assert_eq!(reply.code().class(), Class::PositivePreliminary);
    assert_eq!(reply.code().category(), Category::Connections);
    assert_eq!(reply.as_bytes().len(), RFC959_FOUR_LINES.len());
}

/// The same example followed by another reply: the rest is that reply.
#[test]
fn section_4_2_multiline_example_then_next_reply() {
    let mut input = RFC959_FOUR_LINES.to_vec();
    input.extend_from_slice(b"200 Command okay.\r\n");
    kat(
        "4.2 example + 200",
        &input,
        b"200 Command okay.\r\n",
        123,
        &[
            b"First line",
            b"Second line",
            b"  234 A line beginning with numbers",
            b"The last line",
        ],
    );
}

/// The example with its middle line not padded (`234 A line...` at the
/// start of the line): still one reply, since 234 is not the block's code.
#[test]
fn section_4_2_unpadded_middle_line_stays_inside() {
    let input = b"123-First line\r\nSecond line\r\n234 A line beginning with numbers\r\n123 The last line\r\n";
    kat(
        "4.2 unpadded",
        input,
        b"",
        123,
        &[
            b"First line",
            b"Second line",
            b"234 A line beginning with numbers",
            b"The last line",
        ],
    );
}

/// RFC 959 section 4.2.2: every reply with the RFC's own text parses as a
/// single-line reply with that code and text.
#[test]
fn section_4_2_2_single_line_replies() {
    for (i, &(code, line)) in RFC959_4_2_2.iter().enumerate() {
        let text = &line[4..line.len() - 2];
        let reply = kat(
            &format!("4.2.2 case {i} ({code})"),
            line,
            b"",
            code,
            &[text],
        );
        assert_eq!(
            reply.code().known().code().get(),
            code,
            "case {i}: known code keeps its number"
        );
        assert_ne!(
            reply.code().known(),
            KnownCode::Unknown(reply.code()),
            "case {i}: {code} is a code RFC 959 names"
        );
    }
}

/// RFC 959 section 4.2.2 concatenated into one stream: the walk finds every
/// reply in order.
#[test]
fn section_4_2_2_as_one_stream() {
    let stream: Vec<u8> = RFC959_4_2_2
        .iter()
        .flat_map(|(_, l)| l.iter().copied())
        .collect();
    let items = walk(&stream);
    assert_eq!(items.len(), RFC959_4_2_2.len());
    for (i, (item, &(code, line))) in items.iter().zip(RFC959_4_2_2).enumerate() {
        assert_eq!(
            item,
            &common::Item::Reply {
                code,
                line_count: 1,
                raw: common::Bytes(line.to_vec())
            },
            "case {i}"
        );
    }
}

/// RFC 959 section 7, the typical scenario: the server's replies in order.
#[test]
fn section_7_typical_scenario() {
    let expected: &[(u16, &[u8])] = &[
        (220, b"Service ready"),
        (331, b"User name ok, need password"),
        (230, b"User logged in"),
        (150, b"File status okay; about to open data connection"),
        (226, b"Closing data connection, file transfer successful"),
        (200, b"Command OK"),
        (550, b"Access denied"),
    ];
    let mut rest = RFC959_SCENARIO;
    for (i, &(code, text)) in expected.iter().enumerate() {
        let (after, reply) = parse_complete(rest).unwrap_or_else(|e| panic!("case {i}: {e}"));
        assert_eq!(reply.code().get(), code, "case {i}: code");
        assert_eq!(reply.text(), text, "case {i}: text");
        assert_eq!(
            reply.text_str(),
            Ok(std::str::from_utf8(text).unwrap()),
            "case {i}: text_str"
        );
        assert_eq!(reply.line_count(), 1, "case {i}: line_count");
        rest = after;
    }
    assert!(rest.is_empty());
}

/// Streaming: every strict prefix of every example is `Partial`.
#[test]
fn streaming_prefixes_are_partial() {
    let config = ParserConfig::new();
    assert_prefixes_partial(&config, "4.2 example", RFC959_FOUR_LINES);
    for (i, &(_, line)) in RFC959_4_2_2.iter().enumerate() {
        assert_prefixes_partial(&config, &format!("4.2.2 case {i}"), line);
    }
    let mut rest = RFC959_SCENARIO;
    let mut i = 0;
    while !rest.is_empty() {
        let (after, reply) = parse_complete(rest).unwrap();
        assert_prefixes_partial(&config, &format!("section 7 reply {i}"), reply.as_bytes());
        rest = after;
        i += 1;
    }
    assert_eq!(i, 7);
}

/// Every code named by RFC 959 section 4.2.2, RFC 1123 section 4.1.3.4,
/// RFC 1639, RFC 2228 and RFC 2428: its class, its category, its known
/// name and its number.
#[test]
fn codes_table() {
    use Category::*;
    use Class::*;
    use KnownCode as K;
    let table: &[(u16, K, &str, Class, Category)] = &[
        (
            110,
            K::RestartMarker,
            "restart_marker",
            PositivePreliminary,
            Information,
        ),
        (
            120,
            K::ServiceReadyIn,
            "service_ready_in",
            PositivePreliminary,
            Connections,
        ),
        (
            125,
            K::DataConnectionAlreadyOpen,
            "data_connection_already_open",
            PositivePreliminary,
            Connections,
        ),
        (
            150,
            K::FileStatusOk,
            "file_status_ok",
            PositivePreliminary,
            FileSystem,
        ),
        (200, K::CommandOk, "command_ok", PositiveCompletion, Syntax),
        (
            202,
            K::CommandSuperfluous,
            "command_superfluous",
            PositiveCompletion,
            Syntax,
        ),
        (
            211,
            K::SystemStatus,
            "system_status",
            PositiveCompletion,
            Information,
        ),
        (
            212,
            K::DirectoryStatus,
            "directory_status",
            PositiveCompletion,
            Information,
        ),
        (
            213,
            K::FileStatus,
            "file_status",
            PositiveCompletion,
            Information,
        ),
        (
            214,
            K::HelpMessage,
            "help_message",
            PositiveCompletion,
            Information,
        ),
        (
            215,
            K::SystemType,
            "system_type",
            PositiveCompletion,
            Information,
        ),
        (
            220,
            K::ServiceReady,
            "service_ready",
            PositiveCompletion,
            Connections,
        ),
        (
            221,
            K::ServiceClosing,
            "service_closing",
            PositiveCompletion,
            Connections,
        ),
        (
            225,
            K::DataConnectionOpen,
            "data_connection_open",
            PositiveCompletion,
            Connections,
        ),
        (
            226,
            K::ClosingDataConnection,
            "closing_data_connection",
            PositiveCompletion,
            Connections,
        ),
        (
            227,
            K::EnteringPassiveMode,
            "entering_passive_mode",
            PositiveCompletion,
            Connections,
        ),
        (
            228,
            K::EnteringLongPassiveMode,
            "entering_long_passive_mode",
            PositiveCompletion,
            Connections,
        ),
        (
            229,
            K::EnteringExtendedPassiveMode,
            "entering_extended_passive_mode",
            PositiveCompletion,
            Connections,
        ),
        (
            230,
            K::UserLoggedIn,
            "user_logged_in",
            PositiveCompletion,
            Authentication,
        ),
        (
            232,
            K::UserLoggedInAuthorized,
            "user_logged_in_authorized",
            PositiveCompletion,
            Authentication,
        ),
        (
            234,
            K::SecurityDataExchangeComplete,
            "security_data_exchange_complete",
            PositiveCompletion,
            Authentication,
        ),
        (
            235,
            K::SecurityDataExchangeSuccessful,
            "security_data_exchange_successful",
            PositiveCompletion,
            Authentication,
        ),
        (
            250,
            K::FileActionOk,
            "file_action_ok",
            PositiveCompletion,
            FileSystem,
        ),
        (
            257,
            K::PathnameCreated,
            "pathname_created",
            PositiveCompletion,
            FileSystem,
        ),
        (
            331,
            K::NeedPassword,
            "need_password",
            PositiveIntermediate,
            Authentication,
        ),
        (
            332,
            K::NeedAccount,
            "need_account",
            PositiveIntermediate,
            Authentication,
        ),
        (
            334,
            K::SecurityMechanismOk,
            "security_mechanism_ok",
            PositiveIntermediate,
            Authentication,
        ),
        (
            335,
            K::SecurityDataAcceptable,
            "security_data_acceptable",
            PositiveIntermediate,
            Authentication,
        ),
        (
            336,
            K::NeedPasswordChallenge,
            "need_password_challenge",
            PositiveIntermediate,
            Authentication,
        ),
        (
            350,
            K::FileActionPending,
            "file_action_pending",
            PositiveIntermediate,
            FileSystem,
        ),
        (
            421,
            K::ServiceNotAvailable,
            "service_not_available",
            TransientNegative,
            Connections,
        ),
        (
            425,
            K::CantOpenDataConnection,
            "cant_open_data_connection",
            TransientNegative,
            Connections,
        ),
        (
            426,
            K::TransferAborted,
            "transfer_aborted",
            TransientNegative,
            Connections,
        ),
        (
            431,
            K::NeedUnavailableResource,
            "need_unavailable_resource",
            TransientNegative,
            Authentication,
        ),
        (
            450,
            K::FileActionNotTaken,
            "file_action_not_taken",
            TransientNegative,
            FileSystem,
        ),
        (
            451,
            K::LocalError,
            "local_error",
            TransientNegative,
            FileSystem,
        ),
        (
            452,
            K::InsufficientStorage,
            "insufficient_storage",
            TransientNegative,
            FileSystem,
        ),
        (
            500,
            K::SyntaxError,
            "syntax_error",
            PermanentNegative,
            Syntax,
        ),
        (
            501,
            K::SyntaxErrorInParameters,
            "syntax_error_in_parameters",
            PermanentNegative,
            Syntax,
        ),
        (
            502,
            K::CommandNotImplemented,
            "command_not_implemented",
            PermanentNegative,
            Syntax,
        ),
        (
            503,
            K::BadSequence,
            "bad_sequence",
            PermanentNegative,
            Syntax,
        ),
        (
            504,
            K::NotImplementedForParameter,
            "not_implemented_for_parameter",
            PermanentNegative,
            Syntax,
        ),
        (
            522,
            K::NetworkProtocolNotSupported,
            "network_protocol_not_supported",
            PermanentNegative,
            Connections,
        ),
        (
            530,
            K::NotLoggedIn,
            "not_logged_in",
            PermanentNegative,
            Authentication,
        ),
        (
            532,
            K::NeedAccountForStoring,
            "need_account_for_storing",
            PermanentNegative,
            Authentication,
        ),
        (
            533,
            K::ProtectionLevelDenied,
            "protection_level_denied",
            PermanentNegative,
            Authentication,
        ),
        (
            534,
            K::RequestDenied,
            "request_denied",
            PermanentNegative,
            Authentication,
        ),
        (
            535,
            K::FailedSecurityCheck,
            "failed_security_check",
            PermanentNegative,
            Authentication,
        ),
        (
            536,
            K::ProtLevelNotSupported,
            "prot_level_not_supported",
            PermanentNegative,
            Authentication,
        ),
        (
            537,
            K::ProtectionLevelNotSupported,
            "protection_level_not_supported",
            PermanentNegative,
            Authentication,
        ),
        (
            550,
            K::FileUnavailable,
            "file_unavailable",
            PermanentNegative,
            FileSystem,
        ),
        (
            551,
            K::PageTypeUnknown,
            "page_type_unknown",
            PermanentNegative,
            FileSystem,
        ),
        (
            552,
            K::ExceededStorageAllocation,
            "exceeded_storage_allocation",
            PermanentNegative,
            FileSystem,
        ),
        (
            553,
            K::FileNameNotAllowed,
            "file_name_not_allowed",
            PermanentNegative,
            FileSystem,
        ),
        // RFC 1123 section 4.1.3.4, for a command after REST: the file
        // cannot be repositioned as REST asked (pyftpdlib's answer to a
        // RETR after a REST past the end), and a type or structure that
        // does not fit the file (also for APPE).
        (
            554,
            K::InvalidRestParameter,
            "invalid_rest_parameter",
            PermanentNegative,
            FileSystem,
        ),
        (
            555,
            K::TypeOrStruMismatch,
            "type_or_stru_mismatch",
            PermanentNegative,
            FileSystem,
        ),
        (
            631,
            K::IntegrityProtectedReply,
            "integrity_protected_reply",
            Protected,
            Authentication,
        ),
        (
            632,
            K::ConfidentialityAndIntegrityProtectedReply,
            "confidentiality_and_integrity_protected_reply",
            Protected,
            Authentication,
        ),
        (
            633,
            K::ConfidentialityProtectedReply,
            "confidentiality_protected_reply",
            Protected,
            Authentication,
        ),
    ];
    for (i, &(n, known, name, class, category)) in table.iter().enumerate() {
        let code = ReplyCode::new(n).unwrap_or_else(|| panic!("case {i}: {n} out of range"));
        assert_eq!(code.get(), n, "case {i}: get");
        assert_eq!(code.known(), known, "case {i}: known");
        assert_eq!(KnownCode::from(code), known, "case {i}: From<ReplyCode>");
        assert_eq!(ReplyCode::from(known), code, "case {i}: From<KnownCode>");
        assert_eq!(known.code(), code, "case {i}: code");
        assert_eq!(known.name(), name, "case {i}: name");
        assert_eq!(known.to_string(), name, "case {i}: Display");
        assert_eq!(code.to_string(), n.to_string(), "case {i}: code Display");
        assert_eq!(code.class(), class, "case {i}: class");
        assert_eq!(code.category(), category, "case {i}: category");
        assert_eq!(code.is_positive(), n < 400, "case {i}: is_positive");
        assert_eq!(
            code.to_digits(),
            *n.to_string().as_bytes().first_chunk::<3>().unwrap(),
            "case {i}: digits"
        );
        let line = format!("{n} text\r\n");
        let (_, reply) =
            parse_complete(line.as_bytes()).unwrap_or_else(|e| panic!("case {i}: {e}"));
        assert_eq!(reply.code(), code, "case {i}: parsed code");
    }
    // Every code from RFC 959 section 4.2.2 is in the table.
    for (i, &(n, _)) in RFC959_4_2_2.iter().enumerate() {
        assert!(
            table.iter().any(|t| t.0 == n),
            "4.2.2 case {i}: {n} missing from the table"
        );
    }
}

/// Well-formed codes no RFC names keep their number, and their digits still
/// give a class and a category.
#[test]
fn unknown_codes_keep_their_number() {
    let cases: &[(u16, Class, Category)] = &[
        (100, Class::PositivePreliminary, Category::Syntax),
        (199, Class::PositivePreliminary, Category::Other(9)),
        (299, Class::PositiveCompletion, Category::Other(9)),
        (360, Class::PositiveIntermediate, Category::Other(6)),
        (470, Class::TransientNegative, Category::Other(7)),
        (580, Class::PermanentNegative, Category::Other(8)),
        // RFC 1639's 521 is left unnamed: servers mostly send it with other
        // meanings (KnownCode's doc).
        (521, Class::PermanentNegative, Category::Connections),
        (600, Class::Protected, Category::Syntax),
        (699, Class::Protected, Category::Other(9)),
    ];
    for (i, &(n, class, category)) in cases.iter().enumerate() {
        let line = format!("{n} x\r\n");
        let (_, reply) =
            parse_complete(line.as_bytes()).unwrap_or_else(|e| panic!("case {i}: {e}"));
        assert_eq!(reply.code().get(), n, "case {i}");
        assert_eq!(
            reply.code().known(),
            KnownCode::Unknown(reply.code()),
            "case {i}"
        );
        assert_eq!(
            ReplyCode::from(reply.code().known()),
            reply.code(),
            "case {i}"
        );
        assert_eq!(reply.code().known().name(), "unknown", "case {i}");
        assert_eq!(reply.code().class(), class, "case {i}");
        assert_eq!(reply.code().category(), category, "case {i}");
    }
    assert_eq!(ReplyCode::new(99), None);
    assert_eq!(ReplyCode::new(700), None);
    assert_eq!(ReplyCode::MIN.get(), 100);
    assert_eq!(ReplyCode::MAX.get(), 699);
}

/// `payload()` types by the code alone: 211 and 212 are status lines, 213
/// and 250 are `Text` without their command; `payload_after` gives 211
/// after FEAT its features, 213 after STAT its status lines and 250 after
/// MLST its entry. `mlst_entry` on a 250 with no middle line is `Missing`
/// at the end of the reply's bytes.
#[test]
fn payload_context_table() {
    use ftp_reply::payload::Payload;
    use ftp_reply::{Command, ErrorKind, PayloadError};
    let kind = |input: &[u8], after: Option<Command>| {
        let (_, reply) = parse_complete(input).unwrap();
        match reply.payload_after(after) {
            Ok(Payload::Status(_)) => "status",
            Ok(Payload::Features(_)) => "features",
            Ok(Payload::Mlst(_)) => "mlst",
            Ok(Payload::Size(_)) => "size",
            Ok(Payload::Time(_)) => "time",
            Ok(Payload::Text) => "text",
            other => panic!("{other:?}"),
        }
    };
    let feat = b"211-Features:\r\n MDTM\r\n211 End\r\n";
    let mlst = b"250-Listing /f\r\n type=file; /f\r\n250 End\r\n";
    assert_eq!(kind(feat, None), "status");
    assert_eq!(kind(feat, Some(Command::Feat)), "features");
    assert_eq!(kind(feat, Some(Command::Stat)), "status");
    assert_eq!(kind(b"212 dir status\r\n", None), "status");
    assert_eq!(kind(b"213 1234\r\n", None), "text");
    assert_eq!(kind(b"213 1234\r\n", Some(Command::Size)), "size");
    assert_eq!(kind(b"213 20210304050607\r\n", Some(Command::Mdtm)), "time");
    assert_eq!(
        kind(b"213-status\r\n x\r\n213 End\r\n", Some(Command::Stat)),
        "status"
    );
    assert_eq!(kind(mlst, None), "text");
    assert_eq!(kind(mlst, Some(Command::Mlst)), "mlst");
    let (_, reply) = parse_complete(b"250 Done\r\n").unwrap();
    let e = reply.mlst_entry().unwrap_err();
    assert_eq!(
        (e.kind(), e.offset()),
        (ErrorKind::Payload(PayloadError::Missing), 10)
    );
}

/// The FEAT view (RFC 2389): names are case-insensitive in `supports` and
/// `get`; a line without the leading space and one that repeats `211-`
/// (ProFTPD) read the same; a single-line 211 lists nothing; `mlst_facts`
/// keeps the `*` marks (pyftpdlib's recorded FEAT), and is empty without
/// MLST.
#[test]
fn features_view() {
    use ftp_reply::Command;
    use ftp_reply::payload::Payload;
    let pyftpdlib = b"211-Features supported:\r\n EPRT\r\n EPSV\r\n MDTM\r\n MFMT\r\n MLST type*;perm*;size*;modify*;unique*;unix.mode;unix.uid;unix.gid;\r\n REST STREAM\r\n SIZE\r\n TVFS\r\n UTF8\r\n211 End FEAT.\r\n";
    let (_, reply) = parse_complete(pyftpdlib).unwrap();
    let Ok(Payload::Features(f)) = reply.payload_after(Some(Command::Feat)) else {
        panic!("a 211 after FEAT")
    };
    assert_eq!(f.iter().count(), 9);
    assert!(f.supports("mdtm") && f.supports("Utf8") && !f.supports("MLSD"));
    let rest = f.get("rest").unwrap();
    assert_eq!(
        (rest.name, rest.params, rest.line),
        (&b"REST"[..], &b"STREAM"[..], &b"REST STREAM"[..])
    );
    let facts: Vec<(&[u8], bool)> = f.mlst_facts().map(|m| (m.name, m.enabled)).collect();
    assert_eq!(
        facts,
        [
            (&b"type"[..], true),
            (b"perm", true),
            (b"size", true),
            (b"modify", true),
            (b"unique", true),
            (b"unix.mode", false),
            (b"unix.uid", false),
            (b"unix.gid", false),
        ]
    );
    let lenient = b"211-Features:\r\nMDTM\r\n211-SIZE\r\n UTF8\r\n211 End\r\n";
    let (_, reply) = parse_complete(lenient).unwrap();
    let f = reply.features().unwrap();
    let names: Vec<&[u8]> = f.iter().map(|x| x.name).collect();
    assert_eq!(names, [&b"MDTM"[..], b"SIZE", b"UTF8"]);
    assert_eq!(f.mlst_facts().count(), 0);
    let (_, reply) = parse_complete(b"211 no-features\r\n").unwrap();
    assert_eq!(reply.features().unwrap().iter().count(), 0);
    let (_, reply) = parse_complete(b"214 help\r\n").unwrap();
    assert!(reply.features().is_none());
}
