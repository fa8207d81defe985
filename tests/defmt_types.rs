//! Feature `defmt`: `defmt::Format` on every public type, as the README
//! and `src/lib.rs` promise. Each type below must implement it (a compile
//! error otherwise), and the list must name every `pub struct` and
//! `pub enum` in `src/` (a test failure otherwise), so a new public type
//! without `defmt::Format` cannot go unnoticed.

use std::collections::BTreeSet;
use std::path::Path;

use ftp_reply::client::{
    Client, ClientError, CloseReason, DataTarget, Event, EventKind, FailReason, Failure,
    FeatureSet, Session, SessionError, Waiting,
};
use ftp_reply::encode::{FmtSink, SliceWriter};
use ftp_reply::payload::{
    EntryFacts, ExtendedPassive, Fact, FactSupport, Feature, FeatureLines, Features, Help,
    HelpCommand, HelpCommands, LongPassiveAddr, LongPassiveTarget, MlstEntry, MlstFacts,
    NetworkProtocols, NetworkProtocolsIter, PassiveAddr, PassiveConcern, PassiveTarget, Pathname,
    PathnameBytes, Payload, Pieces, RestartMarker, SecurityData, StatusLines, System, Timestamp,
};
use ftp_reply::{
    Category, Class, Command, Decoder, Error, ErrorKind, KnownCode, Lines, ParserConfig,
    PayloadError, Progress, ReadError, Reply, ReplyCode, ReplyReady, WriteError,
};

fn implements_format<T: defmt::Format + ?Sized>() {}

/// A transport for `Session`: defmt needs nothing of it.
struct Nothing;

impl embedded_io::ErrorType for Nothing {
    type Error = core::convert::Infallible;
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
