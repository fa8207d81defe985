//! The mixed stream of 10,000 replies: this crate walking it whole, the
//! decoder fed 64-byte chunks, the memchr floor and the read_line way.
//!
//! `cargo bench --bench stream -- --warm-up-time 1 --measurement-time 3`

mod common;

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ftp_reply::{Decoder, parse_complete, resume_after};

const STREAM: &[u8] = include_bytes!("data/stream.raw");

/// The walk: every reply (and error, skipped as `resume_after` says).
fn walk(mut bytes: &[u8]) -> usize {
    let mut n = 0;
    while !bytes.is_empty() {
        match parse_complete(bytes) {
            Ok((rest, reply)) => {
                black_box(reply);
                bytes = rest;
            }
            Err(e) => {
                bytes = &bytes[resume_after(bytes, &e)..];
            }
        }
        n += 1;
    }
    n
}

/// The decoder with a 1 KiB buffer, fed 64 bytes at a time.
fn decode(bytes: &[u8]) -> usize {
    let mut dec = Decoder::<1024>::new();
    let mut n = 0;
    for mut chunk in bytes.chunks(64) {
        while !chunk.is_empty() {
            let took = dec.push(chunk);
            chunk = &chunk[took..];
            while let Some(r) = dec.next() {
                black_box(r.unwrap());
                n += 1;
            }
        }
    }
    n
}

fn stream(c: &mut Criterion) {
    assert_eq!(walk(STREAM), 10_000);
    assert_eq!(decode(STREAM), 10_000);
    assert_eq!(common::read_all(STREAM), 10_000);
    let mut g = c.benchmark_group("stream of 10000");
    g.throughput(Throughput::Bytes(STREAM.len() as u64));
    g.bench_function("ftp-reply walk", |b| {
        b.iter(|| black_box(walk(black_box(STREAM))))
    });
    g.bench_function("ftp-reply Decoder<1024> 64B chunks", |b| {
        b.iter(|| black_box(decode(black_box(STREAM))))
    });
    g.bench_function("memchr floor", |b| {
        b.iter(|| black_box(common::floor(black_box(STREAM))))
    });
    g.bench_function("read_line", |b| {
        b.iter(|| black_box(common::read_all(black_box(STREAM))))
    });
    g.finish();
}

criterion_group!(benches, stream);
criterion_main!(benches);
