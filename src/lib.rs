//! A parser for the replies an FTP server sends on its control connection
//! (RFC 959 section 4.2, with RFC 2228, 2389, 2428, 2640 and 3659, and RFC
//! 1639's long passive reply).
//!
//! `#![no_std]`, no allocation, no `unsafe`, no panic on any input. Replies
//! borrow the input; typed payloads are small values or views over it.
//!
//! # Example
//!
//! ```
//! use core::net::Ipv4Addr;
//! use ftp_reply::{parse_complete, KnownCode};
//!
//! let input = b"227 Entering Passive Mode (192,168,1,2,19,137).\r\n";
//! let (rest, reply) = parse_complete(input)?;
//! assert!(rest.is_empty());
//! assert_eq!(reply.code().known(), KnownCode::EnteringPassiveMode);
//! let addr = reply.passive()?;
//! assert_eq!(addr.ip, Ipv4Addr::new(192, 168, 1, 2));
//! assert_eq!(addr.port, 19 * 256 + 137);
//! # Ok::<(), ftp_reply::Error>(())
//! ```
//!
//! Streaming input asks for more instead of failing:
//!
//! ```
//! use ftp_reply::{parse_streaming, Progress};
//!
//! let partial = b"214-The following commands are recognized.\r\n ABOR ACCT";
//! assert_eq!(parse_streaming(partial)?, Progress::Partial);
//!
//! let whole = b"214-The following commands are recognized.\r\n ABOR ACCT\r\n214 Help OK.\r\n";
//! let Progress::Complete((_, reply)) = parse_streaming(whole)? else { unreachable!() };
//! let help = reply.help().unwrap();
//! let names: Vec<&str> = help.commands().map(|c| c.name).collect();
//! assert_eq!(names, ["ABOR", "ACCT"]);
//! # Ok::<(), ftp_reply::Error>(())
//! ```
//!
//! # Where things are
//!
//! Each public type has one home:
//!
//! - the crate root: the entry points ([`parse_complete`],
//!   [`parse_streaming`], [`resume_after`], [`ParserConfig`] and its
//!   [`Progress`]), the reply ([`Reply`], [`Lines`]), the decoder
//!   ([`Decoder`], its [`ReplyReady`] token, [`ReadError`]), the command
//!   writer's [`WriteError`], the codes ([`ReplyCode`], [`Class`],
//!   [`Category`], [`KnownCode`]), [`Command`], and the error ([`Error`],
//!   [`ErrorKind`], [`PayloadError`]);
//! - [`payload`]: every typed payload, the views and their iterators
//!   ([`payload::Payload`], [`payload::PassiveAddr`],
//!   [`payload::Timestamp`], [`payload::Help`], ...);
//! - [`client`]: the sans-IO client engine ([`client::Client`]), its
//!   events and errors, and (feature `embedded-io`) the blocking
//!   `client::Session`;
//! - [`telnet`]: [`telnet::Telnet`], which takes the Telnet commands out
//!   of what a server sends before it is parsed;
//! - [`encode`]: the writers ([`encode::Sink`], [`encode::SliceWriter`],
//!   [`encode::FmtSink`], [`encode::write_reply`],
//!   [`encode::write_base64`]).
//!
//! Every fallible parser, payload, view and encoder returns
//! `Result<_, Error>`; see [`Error`] for what its offsets count from. The
//! rest report what they are about: the client engine's calls
//! [`client::ClientError`], the readers [`ReadError`] (with the reader's
//! own error), `Command::write_io` a [`WriteError`], `client::Session` a
//! `SessionError`, and the `fmt::Write` writers `fmt::Result`.
//! Iterators are named types, called for what they yield (`Lines`,
//! `HelpCommands`, `FeatureLines`, `EntryFacts`), never `impl Iterator`
//! (`.ci/run` checks the public API for `impl Trait` returns with
//! `scripts/api-check.py`). Each is `FusedIterator`, and `Lines` is
//! `ExactSizeIterator` (the decoder laws and the `payloads` fuzz target
//! check both on every reply they see).
//!
//! # Guarantees
//!
//! Every public function is safe to call on untrusted input, and each
//! promise below names the test that proves it:
//!
//! - **No panic.** clippy denies `unwrap`, `expect`, `panic!` and indexing
//!   in `src/`; the fuzz targets (`fuzz/`) run every entry point, payload
//!   and view on arbitrary bytes, and so, in `cargo test`, do the
//!   proptests `law3_random_bytes` and `law3_corrupted_streams`
//!   (`tests/laws.rs`: the decoder in any chunking, then every reply's
//!   lines, passive address, payload and help table).
//! - **No allocation.** Nothing here uses `alloc`; `tests/no_alloc.rs`
//!   counts allocations with a global allocator over every input, accessor,
//!   payload and the encoder.
//! - **Work linear in the input**, for input built to be slow as much as
//!   for input built to crash: every byte is looked at a bounded number of
//!   times, however the input is chunked. `tests/complexity.rs` times every
//!   parser, payload, view, the decoder (1-, 16- and 1460-byte pushes) and the
//!   client engine (a server that talks without end while it waits) on
//!   hostile shapes at 4 KiB and 64 KiB and fails when the cost per byte
//!   grows; `fuzz/run.sh` runs with `-timeout`.
//! - **One reply per reply.** An error stands for a whole item: the line at
//!   fault, or once `ddd-` has opened a block, the block through its
//!   closing line, so a broken block's closing line never comes out as a
//!   reply of its own ([`Error::end`], [`resume_after`]). Proven by
//!   `tests/errors.rs` (`walk_after_nul_in_a_block`, `too_many_lines`) and
//!   the `one_reply` fuzz target, which checks every item's boundaries
//!   against a naive reading of RFC 959 section 4.2.
//! - **No later reply lost**, with a [`Decoder`] of any size: a reply
//!   longer than its buffer still comes out, truncated, with its code
//!   ([`Reply::is_truncated`]), and every item after it is the walk's.
//!   `tests/laws.rs` (laws 1, 4 and 5: any chunking, `N` and `with_limit`
//!   from 1 to 16 bytes) and the `decoder_chunks` and `one_reply` fuzz
//!   targets.
//! - **Bounded memory.** The parser keeps nothing; the decoder keeps its
//!   fixed buffer and a few words (const assertions in `src/decoder.rs`
//!   for 32- and 64-bit targets).
//! - **Round trips.** Every payload written by the encoder parses back to
//!   an equal payload, whatever its lines hold (`tests/roundtrip.rs`, the
//!   `payloads` and `roundtrip` fuzz targets).
//! - **Numbers are exact or refused**: a sign, a thousands separator or an
//!   overflow in a 350, 150/125, 213 SIZE, 120, 228, 229, 522 or 200
//!   `PBSZ=` number is an error, not a guess
//!   (`tests/payload_guarantees.rs`); so is any value read from a reply
//!   the decoder cut ([`PayloadError::Truncated`]: the law
//!   `a_cut_reply_never_gives_a_value` and `a_cut_reply_gives_no_value`
//!   there, and `a_cut_reply_gives_no_value` in `tests/client_sessions.rs`).
//!   One reading is a heuristic, and says none rather than an error:
//!   after REST, a 350 that names no `rest` or `restart` gives its one
//!   number when it starts a word (the text's start, or a space, a
//!   control byte or a byte that is not ASCII just before it) and no
//!   letter follows it (`Resuming at 100`; not `file5.bin`), since such a
//!   text is prose (`numbers::tests::restart`).
//!
//! # Features
//!
//! | feature | what it adds |
//! |---|---|
//! | `defmt` | `defmt::Format` on every public type (and, with `embedded-io` or `embedded-io-async` on too, their types'; `tests/defmt_types.rs` checks every one); `encode::FmtSink` shows its count, not its writer |
//! | `embedded-io` | `Decoder::read_from` over `embedded_io::Read`, `Command::write_io` over `embedded_io::Write`, `client::Session` over both |
//! | `embedded-io-async` | `Decoder::read_from_async` over `embedded_io_async::Read` |
//! | `std` | `Decoder::read_from_std` over `std::io::Read` (the crate's own code links `std` only here; `arbitrary` links it through the arbitrary crate) |
//! | `arbitrary` | `arbitrary::Arbitrary` on the typed values, for fuzzing (needs `std` through arbitrary) |
//!
//! # MSRV
//!
//! Rust 1.88 (edition 2024's `let` chains, which the decoder uses).
//!
//! # RFCs
//!
//! - [RFC 959](https://www.rfc-editor.org/rfc/rfc959) section 4.2: framing and codes
//! - [RFC 2228](https://www.rfc-editor.org/rfc/rfc2228): 6yz and security codes
//! - [RFC 2389](https://www.rfc-editor.org/rfc/rfc2389): FEAT
//! - [RFC 2428](https://www.rfc-editor.org/rfc/rfc2428): 229 and 522
//! - [RFC 2640](https://www.rfc-editor.org/rfc/rfc2640): text is bytes, UTF-8 preferred
//! - [RFC 3659](https://www.rfc-editor.org/rfc/rfc3659): SIZE, MDTM, MLST

#![no_std]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]
// Doc examples fail on a warning (an unused `#[must_use]` result, say);
// a helper function an example defines and does not call is fine.
#![doc(test(attr(deny(warnings), allow(dead_code))))]
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::panic,
        clippy::indexing_slicing,
        clippy::unreachable,
        clippy::todo,
        clippy::unimplemented,
        clippy::dbg_macro
    )
)]

#[cfg(feature = "std")]
extern crate std; // feature std only: the std::io::Read reader

#[cfg(feature = "arbitrary")]
#[cfg_attr(docsrs, doc(cfg(feature = "arbitrary")))]
mod arbitrary;
pub mod client;
mod code;
mod command;
mod config;
mod decoder;
#[cfg(feature = "defmt")]
mod defmt_impls;
pub mod encode;
mod error;
mod grammar;
mod io;
pub mod payload;
mod progress;
mod reply;
mod scan;
pub mod telnet;

pub use code::{Category, Class, KnownCode, ReplyCode};
pub use command::Command;
pub use config::ParserConfig;
pub use decoder::{Decoder, ReplyReady};
pub use error::{Error, ErrorKind, PayloadError};
pub use io::{ReadError, WriteError};
pub use progress::Progress;
pub use reply::{Lines, Reply};

/// Parses one reply from the start of `input`, which holds everything there
/// is, with the default [`ParserConfig`].
///
/// # Errors
/// See [`ParserConfig::parse_complete`].
#[must_use = "parsing has no effect but its result"]
pub fn parse_complete(input: &[u8]) -> Result<(&[u8], Reply<'_>), Error> {
    ParserConfig::new().parse_complete(input)
}

/// Parses one reply from the start of `input`, which may be only a prefix of
/// what the server will send, with the default [`ParserConfig`]. For a
/// stream that arrives in pieces, use [`Decoder`]: calling this again on a
/// growing buffer reads a long reply once per call
/// ([`ParserConfig::parse_streaming`]).
///
/// # Errors
/// See [`ParserConfig::parse_streaming`].
#[must_use = "parsing has no effect but its result"]
pub fn parse_streaming(input: &[u8]) -> Result<Progress<(&[u8], Reply<'_>)>, Error> {
    ParserConfig::new().parse_streaming(input)
}

/// Where to resume after `error`, returned for `input`: where the item the
/// error stands for ends ([`Error::end`]): past the line at fault, or past
/// the closing line of a broken block. Walking a byte stream, skip that
/// many bytes and parse again: the next reply is not lost, and the closing
/// line of a broken block is not taken for a reply of its own. An error
/// made by hand with [`Error::new`] stands for no bytes: for it, just past
/// the first line end at or after its offset, or the end of `input` when
/// none follows.
#[must_use]
pub fn resume_after(input: &[u8], error: &Error) -> usize {
    grammar::resume_after(input, error)
}

#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
