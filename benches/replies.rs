//! One group per single reply input: this crate, the memchr floor and the
//! common way (read_line, plus a regex for the 227), side by side.
//!
//! `cargo bench --bench replies -- --warm-up-time 1 --measurement-time 3`

mod common;

use std::hint::black_box;
use std::net::Ipv4Addr;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use ftp_reply::{Reply, parse_complete};
use regex::bytes::Regex;

const PASV: &[u8] = include_bytes!("data/pasv.raw");
const EPSV: &[u8] = include_bytes!("data/epsv.raw");
const PWD: &[u8] = include_bytes!("data/pwd.raw");
const HELP: &[u8] = include_bytes!("data/help.raw");
const FEAT: &[u8] = include_bytes!("data/feat.raw");

/// The regex way for a 227: read the line, check the code, capture the six
/// numbers, parse them into an address and a port.
fn regex_pasv(re: &Regex, mut bytes: &[u8]) -> Option<(Ipv4Addr, u16)> {
    let mut line = String::new();
    let mut block = String::new();
    let code = common::read_reply(&mut bytes, &mut line, &mut block)?;
    if code != 227 {
        return None;
    }
    let caps = re.captures(block.as_bytes())?;
    let mut n = [0u8; 6];
    for (i, slot) in n.iter_mut().enumerate() {
        *slot = std::str::from_utf8(caps.get(i + 1)?.as_bytes())
            .ok()?
            .parse()
            .ok()?;
    }
    Some((
        Ipv4Addr::new(n[0], n[1], n[2], n[3]),
        u16::from(n[4]) << 8 | u16::from(n[5]),
    ))
}

fn pasv(c: &mut Criterion) {
    let re = Regex::new(r"(\d+),(\d+),(\d+),(\d+),(\d+),(\d+)").unwrap();
    let mut g = c.benchmark_group("227");
    g.throughput(Throughput::Bytes(PASV.len() as u64));
    g.bench_function("ftp-reply parse+passive", |b| {
        b.iter(|| {
            let (_, reply) = parse_complete(black_box(PASV)).unwrap();
            black_box(reply.passive().unwrap())
        })
    });
    g.bench_function("memchr floor", |b| {
        b.iter(|| black_box(common::floor(black_box(PASV))))
    });
    g.bench_function("read_line+regex", |b| {
        b.iter(|| black_box(regex_pasv(&re, black_box(PASV)).unwrap()))
    });
    g.finish();
}

/// An input with this crate's parse, the parse plus the typed payload
/// (`typed`, with its label), the floor and read_line.
fn group(
    c: &mut Criterion,
    name: &str,
    input: &'static [u8],
    label: &str,
    typed: impl Fn(&Reply<'_>) -> usize,
) {
    let mut g = c.benchmark_group(name);
    g.throughput(Throughput::Bytes(input.len() as u64));
    g.bench_function("ftp-reply parse", |b| {
        b.iter(|| black_box(parse_complete(black_box(input)).unwrap()))
    });
    g.bench_function(label, |b| {
        b.iter(|| {
            let (_, reply) = parse_complete(black_box(input)).unwrap();
            black_box(typed(&reply))
        })
    });
    g.bench_function("memchr floor", |b| {
        b.iter(|| black_box(common::floor(black_box(input))))
    });
    g.bench_function("read_line", |b| {
        b.iter(|| black_box(common::read_all(black_box(input))))
    });
    g.finish();
}

fn epsv(c: &mut Criterion) {
    group(c, "229", EPSV, "ftp-reply parse+extended_passive", |r| {
        usize::from(r.extended_passive().unwrap().port())
    });
}

fn pwd(c: &mut Criterion) {
    group(c, "257", PWD, "ftp-reply parse+pathname", |r| {
        let mut buf = [0u8; 64];
        r.pathname().unwrap().copy_to(&mut buf).unwrap()
    });
}

fn help(c: &mut Criterion) {
    group(c, "214 block", HELP, "ftp-reply parse+commands", |r| {
        let help = r.help().unwrap();
        help.commands().map(|c| black_box(c).name.len()).sum()
    });
}

fn feat(c: &mut Criterion) {
    group(c, "211 FEAT block", FEAT, "ftp-reply parse+features", |r| {
        let features = r.features().unwrap();
        features.iter().map(|f| black_box(f).name.len()).sum()
    });
}

criterion_group!(benches, pasv, epsv, pwd, help, feat);
criterion_main!(benches);
