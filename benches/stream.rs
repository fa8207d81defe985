//! The mixed stream of 10,000 replies: this crate walking it whole, the
//! decoder fed 64-byte chunks, the memchr floor and the read_line way.
//! Then the decoder against its own baselines: fed 16-byte pushes beside
//! the complete walk over the same bytes, and fed 1-byte pushes beside a
//! per-byte floor (each byte copied into a 1 KiB array and compared with
//! LF: what any decoder fed one byte at a time must at least do).
//!
//! `cargo bench --bench stream -- --warm-up-time 1 --measurement-time 3`

mod common;

use std::hint::black_box;

use common::{decode_pushes, per_byte_floor, per_push_floor, walk};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

const STREAM: &[u8] = include_bytes!("data/stream.raw");

/// The decoder with a 1 KiB buffer, fed 64 bytes at a time.
fn decode(bytes: &[u8]) -> usize {
    decode_pushes(bytes, 64)
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

/// The decoder on small pushes, each beside its baseline.
fn pushes(c: &mut Criterion) {
    assert_eq!(decode_pushes(STREAM, 16), 10_000);
    assert_eq!(decode_pushes(STREAM, 1), 10_000);
    assert_eq!(per_byte_floor(STREAM), common::floor(STREAM));
    assert_eq!(per_push_floor(STREAM, 16), common::floor(STREAM));
    let mut g = c.benchmark_group("stream of 10000, 16-byte pushes");
    g.throughput(Throughput::Bytes(STREAM.len() as u64));
    g.bench_function("ftp-reply Decoder<1024> 16B pushes", |b| {
        b.iter(|| black_box(decode_pushes(black_box(STREAM), black_box(16))))
    });
    g.bench_function("ftp-reply walk", |b| {
        b.iter(|| black_box(walk(black_box(STREAM))))
    });
    g.bench_function("push floor (copy + LF count per push)", |b| {
        b.iter(|| black_box(per_push_floor(black_box(STREAM), black_box(16))))
    });
    g.finish();

    let mut g = c.benchmark_group("stream of 10000, 1-byte pushes");
    g.throughput(Throughput::Bytes(STREAM.len() as u64));
    g.bench_function("ftp-reply Decoder<1024> 1B pushes", |b| {
        b.iter(|| black_box(decode_pushes(black_box(STREAM), black_box(1))))
    });
    g.bench_function("per-byte floor (copy + compare)", |b| {
        b.iter(|| black_box(per_byte_floor(black_box(STREAM))))
    });
    g.finish();
}

criterion_group!(benches, stream, pushes);
criterion_main!(benches);
