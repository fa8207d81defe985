//! Feature `defmt`: `defmt::Format` on every public type, as the README
//! and `src/lib.rs` promise. Each type below must implement it (a compile
//! error otherwise), and the list must name every `pub struct` and
//! `pub enum` in `src/` (a test failure otherwise), so a new public type
//! without `defmt::Format` cannot go unnoticed.
//!
//! The impls written by hand (not derived) are also run: a
//! `#[defmt::global_logger]` keeps the bytes they write, to check they
//! write the values they promise. A global logger covers the whole binary
//! and needs `unsafe impl defmt::Logger`: `Cargo.toml`'s `[lints.rust]`
//! says `unsafe_code = "deny"` so that this file can allow it (as
//! `tests/no_alloc.rs` does for its allocator).

#![allow(unsafe_code)]

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::net::{IpAddr, Ipv4Addr};
use std::path::Path;

use ftp_reply::client::{
    Client, ClientError, CloseReason, DataTarget, Event, EventKind, FailReason, Failure,
    FeatureSet, Session, SessionError, Waiting,
};
use ftp_reply::encode::{FmtSink, Sink, SliceWriter};
use ftp_reply::payload::{
    EntryFacts, ExtendedPassive, Fact, FactSupport, Feature, FeatureLines, Features, Help,
    HelpCommand, HelpCommands, LongPassiveAddr, LongPassiveTarget, MlstEntry, MlstFacts,
    NetworkProtocols, NetworkProtocolsIter, PassiveAddr, PassiveConcern, PassiveTarget, Pathname,
    PathnameBytes, Payload, Pieces, RestartMarker, SecurityData, StatusLines, System, Timestamp,
};
use ftp_reply::telnet::Telnet;
use ftp_reply::{
    Category, Class, Command, Decoder, Error, ErrorKind, KnownCode, Lines, ParserConfig,
    PayloadError, Progress, ReadError, Reply, ReplyCode, ReplyReady, WriteError,
};

fn implements_format<T: defmt::Format + ?Sized>() {}

/// A transport for `Session`: defmt needs nothing of it. It reads
/// nothing and takes whatever it is given.
struct Nothing;

impl embedded_io::ErrorType for Nothing {
    type Error = core::convert::Infallible;
}

impl embedded_io::Read for Nothing {
    fn read(&mut self, _: &mut [u8]) -> Result<usize, Self::Error> {
        Ok(0)
    }
}

impl embedded_io::Write for Nothing {
    fn write(&mut self, buf: &[u8]) -> Result<usize, Self::Error> {
        Ok(buf.len())
    }

    fn flush(&mut self) -> Result<(), Self::Error> {
        Ok(())
    }
}

/// Checks that each type (a name, with its generic arguments) implements
/// `defmt::Format`, and returns the names.
macro_rules! every_type {
    ($($name:ident $(<$($arg:tt),*>)?),* $(,)?) => {{
        $(implements_format::<$name $(<$($arg),*>)?>();)*
        [$(stringify!($name)),*]
    }};
}

fn listed() -> BTreeSet<&'static str> {
    every_type! {
        Category,
        Class,
        Client<64, 16>,
        ClientError,
        CloseReason,
        Command,
        DataTarget,
        Decoder<64>,
        EntryFacts<'static>,
        Error,
        ErrorKind,
        Event<'static>,
        EventKind<'static>,
        ExtendedPassive,
        Fact<'static>,
        FactSupport<'static>,
        FailReason,
        Failure,
        Feature<'static>,
        FeatureLines<'static>,
        FeatureSet,
        Features<'static>,
        FmtSink<'static, String>,
        Help<'static>,
        HelpCommand<'static>,
        HelpCommands<'static>,
        KnownCode,
        Lines<'static>,
        MlstEntry<'static>,
        MlstFacts<'static>,
        ParserConfig,
        PassiveAddr,
        LongPassiveAddr,
        LongPassiveTarget,
        NetworkProtocols,
        NetworkProtocolsIter,
        PassiveConcern,
        PassiveTarget,
        Pathname<'static>,
        PathnameBytes<'static>,
        Payload<'static>,
        PayloadError,
        Pieces<'static>,
        Progress<u8>,
        ReadError<u8>,
        Reply<'static>,
        ReplyCode,
        ReplyReady,
        RestartMarker<'static>,
        SecurityData<'static>,
        Session<Nothing, 64, 16>,
        SessionError<u8>,
        SliceWriter<'static>,
        StatusLines<'static>,
        System<'static>,
        Telnet,
        Timestamp,
        Waiting,
        WriteError<u8>,
    }
    .into_iter()
    .collect()
}

/// The names of the `pub struct` and `pub enum` items in the `.rs` files
/// under `dir`, before each file's `#[cfg(test)]` module (always last, as
/// `.ci/run`'s greps assume).
fn declared(dir: &Path, out: &mut BTreeSet<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            declared(&path, out);
            continue;
        }
        if path.extension().is_none_or(|e| e != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for line in text.lines() {
            if line.starts_with("#[cfg(test)]") {
                break;
            }
            let line = line.trim_start();
            let Some(rest) = line
                .strip_prefix("pub struct ")
                .or_else(|| line.strip_prefix("pub enum "))
            else {
                continue;
            };
            let name: String = rest
                .chars()
                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
                .collect();
            out.insert(name);
        }
    }
}

#[test]
fn every_public_type_implements_defmt_format() {
    let mut in_src = BTreeSet::new();
    declared(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut in_src,
    );
    let listed: BTreeSet<String> = listed().into_iter().map(str::to_owned).collect();
    assert!(
        in_src.len() > 50,
        "read too few types from src/: {in_src:?}"
    );
    let unlisted: Vec<_> = in_src.difference(&listed).collect();
    let gone: Vec<_> = listed.difference(&in_src).collect();
    assert!(
        unlisted.is_empty(),
        "public types not checked for defmt::Format here (add them to the list): {unlisted:?}"
    );
    assert!(
        gone.is_empty(),
        "listed here but not declared in src/: {gone:?}"
    );
}

thread_local! {
    /// What the logger was given on this thread.
    static LOGGED: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Keeps the bytes defmt writes, each thread's apart (the tests run at
/// once), for the checks of the `Format` impls written by hand.
#[defmt::global_logger]
struct Keep;

// SAFETY: nothing is shared: each thread writes into its own buffer, so
// `acquire` needs no lock.
unsafe impl defmt::Logger for Keep {
    fn acquire() {}
    unsafe fn flush() {}
    unsafe fn release() {}
    unsafe fn write(bytes: &[u8]) {
        LOGGED.with(|l| l.borrow_mut().extend_from_slice(bytes));
    }
}

// No timestamp: a log writes no bytes for it.
defmt::timestamp!("");

/// The bytes defmt writes to log `value` as `{}`: the index of the log's
/// interned string, then the value's (indexes too, which only the ELF
/// file's table resolves; integers little-endian, `usize` in 4 bytes;
/// `[u8]` as its length and bytes), then a 2-byte 0 ending it.
fn logged<T: defmt::Format + ?Sized>(value: &T) -> Vec<u8> {
    LOGGED.with(|l| l.borrow_mut().clear());
    defmt::error!("{}", value);
    LOGGED.with(|l| std::mem::take(&mut *l.borrow_mut()))
}

/// The `Format` impls written by hand (not derived) write what their doc
/// comments say: a decoder's fill and capacity, a client's buffered
/// count (last), a session's client, a `FmtSink`'s count written, the
/// base64 text of `SecurityData`, a reply's code, line count and bytes,
/// the piece a `PathnameBytes` is in. (Mutation testing: each could write
/// nothing and pass the list above.)
#[test]
fn hand_written_formats_write_their_values() {
    let le = |n: u32| n.to_le_bytes();
    let end = [0u8; 2];

    let mut dec = Decoder::<64>::new();
    assert_eq!(dec.push(b"220 Rea"), 7);
    assert!(logged(&dec).ends_with(&[&le(7)[..], &le(64), &end].concat()));

    let peer = IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1));
    let mut client = Client::<64, 16>::new(peer);
    assert_eq!(client.receive(b"220 Rea"), 7);
    assert!(logged(&client).ends_with(&[&le(7)[..], &end].concat()));

    // The session's log holds its client's, after the log's own index.
    let session = Session::<Nothing, 64, 16>::new(Nothing, peer);
    let inner = logged(session.engine());
    let outer = logged(&session);
    assert!(outer.len() > inner.len());
    assert!(outer.windows(inner.len() - 2).any(|w| w == &inner[2..]));

    let mut text = String::new();
    let mut sink = FmtSink::new(&mut text);
    assert_eq!(sink.put(b"200 ok\r\n"), Ok(()));
    assert!(logged(&sink).ends_with(&[&le(8)[..], &end].concat()));

    // RFC 2228's ADAT data, base64 of "ABC".
    let data = SecurityData::new(b"QUJD").unwrap();
    assert!(logged(&data).ends_with(&[&le(4)[..], b"QUJD", &end].concat()));

    // RFC 959's `257 "/usr/dm" created`: the reply's code, line count,
    // whether it was cut (a bool is a byte) and bytes; the name's bytes
    // not yet read (its pieces follow).
    let reply_fields = |code: u16, lines: u32, cut: bool, raw: &[u8]| {
        [
            &code.to_le_bytes()[..],
            &le(lines),
            &[u8::from(cut)],
            &le(raw.len() as u32),
            raw,
            &end,
        ]
        .concat()
    };
    let (_, reply) = ftp_reply::parse_complete(b"257 \"/usr/dm\" created\r\n").unwrap();
    let raw = reply.as_bytes();
    assert!(logged(&reply).ends_with(&reply_fields(257, 1, false, raw)));
    // A reply cut to a decoder's buffer says so, as `Debug` does.
    let mut small = Decoder::<16>::new();
    let mut input = &b"200 Command okay, and more\r\n"[..];
    let ready = loop {
        let taken = small.push(input);
        input = &input[taken..];
        if let Some(ready) = small.poll() {
            break ready.unwrap();
        }
        assert!(taken > 0, "the decoder took nothing and gave nothing");
    };
    let cut = small.reply(ready);
    assert!(cut.is_truncated());
    assert!(logged(&cut).ends_with(&reply_fields(200, 1, true, cut.as_bytes())));
    let name = Pathname::parse(b"\"/usr/dm\" created").unwrap();
    let mut bytes = name.bytes();
    assert_eq!(bytes.next(), Some(b'/'));
    let piece = [&le(6)[..], b"usr/dm"].concat();
    assert!(logged(&bytes).windows(piece.len()).any(|w| w == piece));
}
