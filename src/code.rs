//! Reply codes: the three digits, their class and category, and the codes
//! the RFCs name.

use core::fmt;

/// A reply code: three digits, the first 1 to 6 (RFC 959 section 4.2,
/// RFC 2228 for 6yz).
///
/// The parser only builds codes in `100..=699`; [`ReplyCode::new`] checks
/// the same range.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub struct ReplyCode(u16);

impl ReplyCode {
    /// The smallest code, 100.
    pub const MIN: ReplyCode = ReplyCode(100);
    /// The largest code, 699.
    pub const MAX: ReplyCode = ReplyCode(699);

    /// The code `n`, if it is in `100..=699`.
    #[must_use]
    pub const fn new(n: u16) -> Option<Self> {
        if n >= 100 && n <= 699 {
            Some(ReplyCode(n))
        } else {
            None
        }
    }

    /// A code read back from where the crate stored one (`get()` of a
    /// `ReplyCode`, as the decoder keeps it), with no check. (A wrong value
    /// would be no memory error, only a wrong code.)
    pub(crate) const fn stored(n: u16) -> Self {
        ReplyCode(n)
    }

    /// The code from its three ASCII digits, if they are digits and the first
    /// is 1 to 6.
    #[must_use]
    pub const fn from_digits(d: [u8; 3]) -> Option<Self> {
        let [a, b, c] = d;
        if a < b'1' || a > b'6' || !b.is_ascii_digit() || !c.is_ascii_digit() {
            return None;
        }
        Some(ReplyCode(
            (a - b'0') as u16 * 100 + (b - b'0') as u16 * 10 + (c - b'0') as u16,
        ))
    }

    /// The number, 100 to 699.
    #[must_use]
    pub const fn get(self) -> u16 {
        self.0
    }

    /// The code as its three ASCII digits.
    #[must_use]
    pub const fn to_digits(self) -> [u8; 3] {
        let n = self.0;
        [
            b'0' + (n / 100 % 10) as u8,
            b'0' + (n / 10 % 10) as u8,
            b'0' + (n % 10) as u8,
        ]
    }

    /// The class: the first digit.
    #[must_use]
    pub const fn class(self) -> Class {
        match self.0 / 100 {
            1 => Class::PositivePreliminary,
            2 => Class::PositiveCompletion,
            3 => Class::PositiveIntermediate,
            4 => Class::TransientNegative,
            5 => Class::PermanentNegative,
            _ => Class::Protected,
        }
    }

    /// The category: the second digit.
    #[must_use]
    pub const fn category(self) -> Category {
        match self.0 / 10 % 10 {
            0 => Category::Syntax,
            1 => Category::Information,
            2 => Category::Connections,
            3 => Category::Authentication,
            4 => Category::Unspecified,
            5 => Category::FileSystem,
            d => Category::Other(d as u8),
        }
    }

    /// The code as one of the codes the RFCs name, or
    /// [`KnownCode::Unknown`].
    #[must_use]
    pub const fn known(self) -> KnownCode {
        KnownCode::from_code(self)
    }

    /// True for 1yz, 2yz and 3yz.
    #[must_use]
    pub const fn is_positive(self) -> bool {
        self.0 < 400
    }
}

impl fmt::Display for ReplyCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl From<ReplyCode> for u16 {
    fn from(c: ReplyCode) -> u16 {
        c.0
    }
}

impl From<KnownCode> for ReplyCode {
    fn from(k: KnownCode) -> ReplyCode {
        k.code()
    }
}

impl From<ReplyCode> for KnownCode {
    fn from(c: ReplyCode) -> KnownCode {
        c.known()
    }
}

/// The first digit of a reply code (RFC 959 section 4.2.1, RFC 2228).
///
/// Not `#[non_exhaustive]`: the grammar allows first digits 1 to 6 only,
/// and each has its variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Class {
    /// 1yz: the action is being started; expect another reply.
    PositivePreliminary,
    /// 2yz: the action completed.
    PositiveCompletion,
    /// 3yz: accepted, but held pending more information.
    PositiveIntermediate,
    /// 4yz: not accepted, but the error is temporary.
    TransientNegative,
    /// 5yz: not accepted, and repeating it will not help.
    PermanentNegative,
    /// 6yz: a protected reply (RFC 2228).
    Protected,
}

/// The second digit of a reply code (RFC 959 section 4.2.1).
///
/// Not `#[non_exhaustive]`: every digit 0 to 9 has its variant
/// ([`Category::Other`] for the digits no RFC gives a meaning).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "defmt", derive(defmt::Format))]
pub enum Category {
    /// x0z: syntax.
    Syntax,
    /// x1z: information.
    Information,
    /// x2z: connections.
    Connections,
    /// x3z: authentication and accounting.
    Authentication,
    /// x4z: unspecified.
    Unspecified,
    /// x5z: file system.
    FileSystem,
    /// x6z to x9z: no meaning assigned by any RFC; the digit is kept.
    Other(u8),
}

macro_rules! known_codes {
    ($( $(#[$doc:meta])* $name:ident = $n:literal, $snake:literal; )*) => {
        /// The reply codes named by RFC 959 section 4.2.2, RFC 1123 section
        /// 4.1.3.4 (554 and 555, for a command after REST), RFC 1639 (its
        /// 228), RFC 2228, RFC 2428 and RFC 3659 (which reuses RFC 959's),
        /// plus [`KnownCode::Unknown`] for any other well-formed code.
        ///
        /// RFC 1639's 521 (`Supported address families are <af1, .., afn>`,
        /// an answer to LPRT) is not named: servers send 521 far more often
        /// for other things (`521 Data connection cannot be opened with
        /// this PROT setting` in FTP over TLS servers, `521 "/d" directory
        /// already exists`), so one name would be wrong for most of them.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[cfg_attr(feature = "defmt", derive(defmt::Format))]
        #[non_exhaustive]
        pub enum KnownCode {
            $( $(#[$doc])* $name, )*
            /// A well-formed code that no RFC this crate knows names.
            ///
            /// Built by hand from a code that an RFC does name
            /// (`Unknown(227)`), it still stands for that code:
            /// [`code`](KnownCode::code) gives it back, but it is not equal
            /// to the named variant.
            Unknown(ReplyCode),
        }

        impl KnownCode {
            /// The named code for `code`; codes no RFC names give
            /// `Unknown(code)`.
            #[must_use]
            pub const fn from_code(code: ReplyCode) -> Self {
                match code.0 {
                    $( $n => KnownCode::$name, )*
                    _ => KnownCode::Unknown(code),
                }
            }

            /// The code: exact for every variant.
            #[must_use]
            pub const fn code(self) -> ReplyCode {
                match self {
                    $( KnownCode::$name => ReplyCode($n), )*
                    KnownCode::Unknown(code) => code,
                }
            }

            /// The variant's name in snake_case (`entering_passive_mode`),
            /// `unknown` for [`KnownCode::Unknown`].
            #[must_use]
            pub const fn name(self) -> &'static str {
                match self {
                    $( KnownCode::$name => $snake, )*
                    KnownCode::Unknown(_) => "unknown",
                }
            }
        }
    };
}

known_codes! {
    /// 110: restart marker reply (`MARK yyyy = mmmm`).
    RestartMarker = 110, "restart_marker";
    /// 120: service ready in nnn minutes.
    ServiceReadyIn = 120, "service_ready_in";
    /// 125: data connection already open; transfer starting.
    DataConnectionAlreadyOpen = 125, "data_connection_already_open";
    /// 150: file status okay; about to open data connection.
    FileStatusOk = 150, "file_status_ok";
    /// 200: command okay.
    CommandOk = 200, "command_ok";
    /// 202: command not implemented, superfluous at this site.
    CommandSuperfluous = 202, "command_superfluous";
    /// 211: system status, or system help reply; the FEAT reply (RFC 2389).
    SystemStatus = 211, "system_status";
    /// 212: directory status.
    DirectoryStatus = 212, "directory_status";
    /// 213: file status; the SIZE and MDTM replies (RFC 3659).
    FileStatus = 213, "file_status";
    /// 214: help message.
    HelpMessage = 214, "help_message";
    /// 215: NAME system type.
    SystemType = 215, "system_type";
    /// 220: service ready for new user.
    ServiceReady = 220, "service_ready";
    /// 221: service closing control connection.
    ServiceClosing = 221, "service_closing";
    /// 225: data connection open; no transfer in progress.
    DataConnectionOpen = 225, "data_connection_open";
    /// 226: closing data connection; requested file action successful.
    ClosingDataConnection = 226, "closing_data_connection";
    /// 227: entering passive mode (h1,h2,h3,h4,p1,p2).
    EnteringPassiveMode = 227, "entering_passive_mode";
    /// 228: entering long passive mode (RFC 1639).
    EnteringLongPassiveMode = 228, "entering_long_passive_mode";
    /// 229: entering extended passive mode (|||port|) (RFC 2428).
    EnteringExtendedPassiveMode = 229, "entering_extended_passive_mode";
    /// 230: user logged in, proceed.
    UserLoggedIn = 230, "user_logged_in";
    /// 232: user logged in, authorized by security data exchange (RFC 2228).
    UserLoggedInAuthorized = 232, "user_logged_in_authorized";
    /// 234: security data exchange complete (RFC 2228).
    SecurityDataExchangeComplete = 234, "security_data_exchange_complete";
    /// 235: security data exchange completed successfully (RFC 2228).
    SecurityDataExchangeSuccessful = 235, "security_data_exchange_successful";
    /// 250: requested file action okay, completed; the MLST reply (RFC 3659).
    FileActionOk = 250, "file_action_ok";
    /// 257: "PATHNAME" created.
    PathnameCreated = 257, "pathname_created";
    /// 331: user name okay, need password.
    NeedPassword = 331, "need_password";
    /// 332: need account for login.
    NeedAccount = 332, "need_account";
    /// 334: requested security mechanism is ok (RFC 2228).
    SecurityMechanismOk = 334, "security_mechanism_ok";
    /// 335: security data is acceptable; more is required (RFC 2228).
    SecurityDataAcceptable = 335, "security_data_acceptable";
    /// 336: user name okay, need password; challenge (RFC 2228).
    NeedPasswordChallenge = 336, "need_password_challenge";
    /// 350: requested file action pending further information.
    FileActionPending = 350, "file_action_pending";
    /// 421: service not available, closing control connection.
    ServiceNotAvailable = 421, "service_not_available";
    /// 425: can't open data connection.
    CantOpenDataConnection = 425, "cant_open_data_connection";
    /// 426: connection closed; transfer aborted.
    TransferAborted = 426, "transfer_aborted";
    /// 431: need some unavailable resource to process security (RFC 2228).
    NeedUnavailableResource = 431, "need_unavailable_resource";
    /// 450: requested file action not taken; file unavailable.
    FileActionNotTaken = 450, "file_action_not_taken";
    /// 451: requested action aborted; local error in processing.
    LocalError = 451, "local_error";
    /// 452: requested action not taken; insufficient storage space.
    InsufficientStorage = 452, "insufficient_storage";
    /// 500: syntax error, command unrecognized.
    SyntaxError = 500, "syntax_error";
    /// 501: syntax error in parameters or arguments.
    SyntaxErrorInParameters = 501, "syntax_error_in_parameters";
    /// 502: command not implemented.
    CommandNotImplemented = 502, "command_not_implemented";
    /// 503: bad sequence of commands.
    BadSequence = 503, "bad_sequence";
    /// 504: command not implemented for that parameter.
    NotImplementedForParameter = 504, "not_implemented_for_parameter";
    /// 522: network protocol not supported (RFC 2428).
    NetworkProtocolNotSupported = 522, "network_protocol_not_supported";
    /// 530: not logged in.
    NotLoggedIn = 530, "not_logged_in";
    /// 532: need account for storing files.
    NeedAccountForStoring = 532, "need_account_for_storing";
    /// 533: command protection level denied for policy reasons (RFC 2228).
    ProtectionLevelDenied = 533, "protection_level_denied";
    /// 534: request denied for policy reasons (RFC 2228).
    RequestDenied = 534, "request_denied";
    /// 535: failed security check (RFC 2228).
    FailedSecurityCheck = 535, "failed_security_check";
    /// 536: requested PROT level not supported by mechanism (RFC 2228).
    ProtLevelNotSupported = 536, "prot_level_not_supported";
    /// 537: command protection level not supported by security mechanism (RFC 2228).
    ProtectionLevelNotSupported = 537, "protection_level_not_supported";
    /// 550: requested action not taken; file unavailable.
    FileUnavailable = 550, "file_unavailable";
    /// 551: requested action aborted; page type unknown.
    PageTypeUnknown = 551, "page_type_unknown";
    /// 552: requested file action aborted; exceeded storage allocation.
    ExceededStorageAllocation = 552, "exceeded_storage_allocation";
    /// 553: requested action not taken; file name not allowed.
    FileNameNotAllowed = 553, "file_name_not_allowed";
    /// 554: requested action not taken: invalid REST parameter (RFC 1123
    /// section 4.1.3.4: the file cannot be repositioned as REST asked).
    InvalidRestParameter = 554, "invalid_rest_parameter";
    /// 555: requested action not taken: type or stru mismatch (RFC 1123
    /// section 4.1.3.4: after REST, or to APPE).
    TypeOrStruMismatch = 555, "type_or_stru_mismatch";
    /// 631: integrity protected reply (RFC 2228).
    IntegrityProtectedReply = 631, "integrity_protected_reply";
    /// 632: confidentiality and integrity protected reply (RFC 2228).
    ConfidentialityAndIntegrityProtectedReply = 632, "confidentiality_and_integrity_protected_reply";
    /// 633: confidentiality protected reply (RFC 2228).
    ConfidentialityProtectedReply = 633, "confidentiality_protected_reply";
}

impl fmt::Display for KnownCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `is_positive` at the edge (399 is, 400 is not) and the `u16` the
    /// code converts to. (Mutation testing found both unchecked.)
    #[test]
    fn positive_edge_and_number() {
        let code = |n| ReplyCode::new(n).unwrap();
        assert!(code(100).is_positive() && code(399).is_positive());
        assert!(!code(400).is_positive() && !code(633).is_positive());
        assert_eq!(u16::from(code(227)), 227);
    }

    /// `KnownCode::Unknown`'s doc: built by hand from a code an RFC names
    /// (`Unknown(227)`), it "still stands for that code: `code` gives it
    /// back, but it is not equal to the named variant" (nor named by it).
    #[test]
    fn unknown_built_from_a_named_code() {
        let c = ReplyCode::new(227).unwrap();
        let by_hand = KnownCode::Unknown(c);
        assert_eq!(by_hand.code(), c);
        assert_eq!(ReplyCode::from(by_hand), c);
        assert_ne!(by_hand, KnownCode::EnteringPassiveMode);
        assert_eq!(KnownCode::from_code(c), KnownCode::EnteringPassiveMode);
        assert_eq!(by_hand.name(), "unknown");
    }

    /// `from_digits`: "if they are digits and the first is 1 to 6", each
    /// position on its own, at the edges of the digits (`/` and `:`) and
    /// of the first digit's range (`0` and `7`).
    #[test]
    fn from_digits_checks_each_position() {
        assert_eq!(ReplyCode::from_digits(*b"100"), ReplyCode::new(100));
        assert_eq!(ReplyCode::from_digits(*b"699"), ReplyCode::new(699));
        for d in [
            *b"099", *b"799", *b"/00", *b":00", *b"1/0", *b"1:0", *b"10/", *b"10:", *b"20a",
            *b"20 ", *b"2 0",
        ] {
            assert_eq!(ReplyCode::from_digits(d), None, "{d:?}");
        }
    }

    #[test]
    fn digits_roundtrip() {
        for n in 100..=699u16 {
            let c = ReplyCode::new(n).unwrap();
            assert_eq!(ReplyCode::from_digits(c.to_digits()), Some(c));
            assert_eq!(KnownCode::from_code(c).code(), c);
            assert_eq!(ReplyCode::from(c.known()), c);
        }
        assert_eq!(ReplyCode::from_digits(*b"099"), None);
        assert_eq!(ReplyCode::from_digits(*b"700"), None);
        assert_eq!(ReplyCode::from_digits(*b"2a0"), None);
    }

    #[test]
    fn class_and_category() {
        let c = ReplyCode::new(227).unwrap();
        assert_eq!(c.class(), Class::PositiveCompletion);
        assert_eq!(c.category(), Category::Connections);
        assert_eq!(c.known(), KnownCode::EnteringPassiveMode);
        assert_eq!(ReplyCode::new(631).unwrap().class(), Class::Protected);
        assert_eq!(
            ReplyCode::new(299).unwrap().known(),
            KnownCode::Unknown(ReplyCode::new(299).unwrap())
        );
        assert_eq!(ReplyCode::new(290).unwrap().category(), Category::Other(9));
    }
}
