//! A stream longer than `usize::MAX` bytes, for real: on a 32-bit target
//! that is 4 GiB, which a server can send. The decoder's offsets wrap and
//! its counts of an item's bytes stop at `usize::MAX`; nothing overflows
//! (CI runs this on i686, release, with overflow checks on:
//! `CARGO_PROFILE_RELEASE_OVERFLOW_CHECKS=true cargo test --release
//! --target i686-unknown-linux-gnu --test wrap -- --ignored`, about 10 s),
//! and the replies after come out as before. On a 64-bit target the same
//! code runs with the counters set near their ends
//! (`decoder::tests::offsets_wrap_and_counts_saturate`).

#![cfg(target_pointer_width = "32")]

use ftp_reply::{Decoder, ErrorKind};

/// Pushes all of `bytes` into `dec`, handing each item to `take`.
fn feed<const N: usize>(
    dec: &mut Decoder<N>,
    mut bytes: &[u8],
    take: &mut dyn FnMut(Result<(u16, bool), (ErrorKind, usize, usize)>),
) {
    while !bytes.is_empty() {
        bytes = &bytes[dec.push(bytes)..];
        while let Some(r) = dec.next() {
            take(
                r.map(|r| (r.code().get(), r.is_truncated()))
                    .map_err(|e| (e.kind(), e.offset(), e.end())),
            );
        }
    }
}

#[test]
#[ignore = "pushes 4 GiB: run in release (CI does, on i686)"]
fn a_line_longer_than_usize_max() {
    let mut dec = Decoder::<64>::new();
    let chunk = vec![b'x'; 1 << 16];
    let mut got = Vec::new();
    feed(&mut dec, b"220 ", &mut |r| got.push(r));
    let mut total = 4u64;
    while total < u64::from(u32::MAX) + (1 << 20) {
        feed(&mut dec, &chunk, &mut |r| got.push(r));
        total += chunk.len() as u64;
    }
    feed(&mut dec, b"\r\n221 bye\r\n", &mut |r| got.push(r));
    assert_eq!(got, [Ok((220, true)), Ok((221, false))]);
}

#[test]
#[ignore = "pushes 4 GiB: run in release (CI does, on i686)"]
fn an_error_across_the_wrap() {
    let mut dec = Decoder::<4096>::new();
    let mut line = b"200 ".to_vec();
    line.resize(3998, b'x');
    line.extend_from_slice(b"\r\n");
    let mut total = 0u64;
    let mut replies = 0u64;
    // Up to 10,000 bytes before the wrap.
    while total + line.len() as u64 <= (1u64 << 32) - 10_000 {
        feed(&mut dec, &line, &mut |r| {
            assert_eq!(r, Ok((200, false)));
            replies += 1;
        });
        total += line.len() as u64;
    }
    assert_eq!(replies, total / 4000);
    // An error item (no code) of 20,001 bytes across the wrap, then a
    // reply.
    let mut bad = vec![b'z'; 20_000];
    bad.extend_from_slice(b"\n220 ok\r\n");
    let mut got = Vec::new();
    feed(&mut dec, &bad, &mut |r| got.push(r));
    let at = usize::try_from(total).unwrap();
    let end = usize::try_from(total + 20_001 - (1u64 << 32)).unwrap();
    assert_eq!(
        got,
        [Err((ErrorKind::InvalidCode, at, end)), Ok((220, false))]
    );
}
