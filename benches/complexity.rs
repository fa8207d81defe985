//! The cost per byte of every hostile shape of `tests/common/shapes.rs`
//! (issue #10) at 4 KiB and at 64 KiB, side by side: one group per shape,
//! functions `4KiB` and `64KiB`, throughput in bytes. A linear parser shows
//! the same throughput at both sizes; a quadratic one drops 16 times.
//!
//! `cargo bench --bench complexity -- --warm-up-time 1 --measurement-time 2`
//!
//! (about 3 s per function, 111 shapes: 11 minutes; a filter such as
//! `-- pasv` or `-- decoder` runs a part.) The same shapes are timed, with
//! limits, by `tests/complexity.rs`.

#[path = "../tests/common/shapes.rs"]
mod shapes;

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

fn complexity(c: &mut Criterion) {
    for shape in shapes::ALL {
        let mut g = c.benchmark_group(shape.name);
        // Quadratic shapes take a good part of a second at 64 KiB: keep
        // the number of samples at criterion's least.
        g.sample_size(10);
        for (label, size) in [("4KiB", 4 * 1024), ("64KiB", 64 * 1024)] {
            let input = (shape.make)(size);
            g.throughput(Throughput::Bytes(input.len() as u64));
            g.bench_function(label, |b| {
                b.iter(|| black_box((shape.run)(black_box(&input))))
            });
        }
        g.finish();
    }
}

criterion_group!(benches, complexity);
criterion_main!(benches);
