//! Parse any reply and compute every payload: walk the input with
//! `parse_complete` and `resume_after`, and take each reply's
//! `payload_after` in every context that changes the answer (none, SIZE,
//! MDTM, STAT, FEAT, MLST, PBSZ, HELP, REST, RNFR: `Payload::parse_after`'s
//! match names no other command), using every view (help and feature tables
//! iterated, MLST facts read, pathnames copied, base64 decoded).

#![no_std]
#![no_main]

use ftp_reply::payload::Payload;
use ftp_reply::{Command, Reply};

ftp_reply_size::harness!();

const CONTEXTS: [Option<Command>; 10] = [
    None,
    Some(Command::Size),
    Some(Command::Mdtm),
    Some(Command::Stat),
    Some(Command::Feat),
    Some(Command::Mlst),
    Some(Command::Pbsz),
    Some(Command::Help),
    Some(Command::Rest),
    Some(Command::Rnfr),
];

fn use_payload(payload: &Payload<'_>) -> u32 {
    let mut scratch = [0u8; 256];
    match payload {
        Payload::Passive(addr) => u32::from(addr.ip) ^ u32::from(addr.port),
        Payload::ExtendedPassive(e) => u32::from(e.port()),
        Payload::Pathname(p) => p.copy_to(&mut scratch).unwrap_or(0) as u32,
        Payload::Size(n) => *n as u32,
        Payload::Time(t) => {
            core::hint::black_box(t);
            1
        }
        Payload::Features(f) => {
            f.iter().map(|x| x.params.len() as u32).sum::<u32>() + f.mlst_facts().count() as u32
        }
        Payload::Help(help) => help.commands().map(|c| c.name.len() as u32).sum(),
        Payload::Mlst(m) => m.facts().count() as u32 + m.size().unwrap_or(0) as u32,
        Payload::Protected(data) | Payload::Adat(Some(data)) => {
            data.decode_into(&mut scratch).unwrap_or(0) as u32
        }
        Payload::Status(lines) => lines.lines().count() as u32,
        other => {
            core::hint::black_box(other);
            1
        }
    }
}

fn use_reply(reply: &Reply<'_>) -> u32 {
    let mut acc = 0u32;
    for context in CONTEXTS {
        acc = acc.wrapping_add(match reply.payload_after(context) {
            Ok(payload) => use_payload(&payload),
            Err(e) => e.offset() as u32,
        });
    }
    for line in reply.lines() {
        acc = acc.wrapping_add(line.len() as u32);
    }
    acc
}

#[unsafe(no_mangle)]
#[inline(never)]
pub fn entry(input: &[u8]) -> u32 {
    let mut acc = 0u32;
    let mut rest = input;
    while !rest.is_empty() {
        match ftp_reply::parse_complete(rest) {
            Ok((after, reply)) => {
                acc = acc.wrapping_add(use_reply(&reply));
                rest = after;
            }
            Err(e) => {
                acc = acc.wrapping_add(e.offset() as u32);
                let skip = ftp_reply::resume_after(rest, &e);
                rest = rest.get(skip..).unwrap_or_default();
            }
        }
    }
    acc
}
