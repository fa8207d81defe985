//! What the reference-model tests (`tests/reference_*.rs`) share: their
//! proptest configuration, and the payload error as they compare it.

#![allow(dead_code)]

use ftp_reply::{Error, ErrorKind, PayloadError};
use proptest::test_runner::{Config, RngSeed};

/// A model test's proptest configuration: `cases` unless `PROPTEST_CASES`
/// says otherwise, the fixed `seed` unless `PROPTEST_RNG_SEED` does (so a
/// run is deterministic), and no regression file.
pub fn pinned(cases: u32, seed: u64) -> Config {
    let mut config = Config::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = cases;
    }
    if config.rng_seed == RngSeed::Random {
        config.rng_seed = RngSeed::Fixed(seed);
    }
    config.failure_persistence = None;
    config
}

/// What a reader gives: its value, or its payload error and offset.
pub type R<T> = Result<T, (PayloadError, usize)>;

/// A reader's result as compared: the payload error's kind and offset (any
/// other kind of error is a failure of the test).
pub fn got<T>(r: Result<T, Error>) -> R<T> {
    r.map_err(|e| match e.kind() {
        ErrorKind::Payload(p) => (p, e.offset()),
        other => panic!("not a payload error: {other:?} at {}", e.offset()),
    })
}

/// Records a mismatch between the crate (left) and the model (right).
#[allow(unused_macros)]
macro_rules! same {
    ($out:expr, $crate_side:expr, $model:expr, $($fmt:tt)+) => {{
        let (c, m) = (&$crate_side, &$model);
        if c != m {
            $out.push(format!("{}\n   crate: {:?}\n   model: {:?}", format!($($fmt)+), c, m));
        }
    }};
}
