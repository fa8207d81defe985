//! Parse any reply and compute every payload: walk the input with
//! `parse_complete` and `resume_after`, and take each reply's `payload()`
//! (iterating a help table to the end).

#![no_std]
#![no_main]

use ftp_reply::{Payload, Reply};

ftp_reply_size::harness!();

fn use_payload(reply: &Reply<'_>) -> u32 {
    match reply.payload() {
        Ok(Payload::Passive(addr)) => u32::from(addr.ip) ^ u32::from(addr.port),
        Ok(Payload::Help(help)) => help.commands().map(|c| c.name.len() as u32).sum(),
        Ok(other) => {
            core::hint::black_box(&other);
            1
        }
        Err(e) => e.offset() as u32,
    }
}

#[unsafe(no_mangle)]
#[inline(never)]
pub fn entry(input: &[u8]) -> u32 {
    let mut acc = 0u32;
    let mut rest = input;
    while !rest.is_empty() {
        match ftp_reply::parse_complete(rest) {
            Ok((after, reply)) => {
                acc = acc.wrapping_add(use_payload(&reply));
                for line in reply.lines() {
                    acc = acc.wrapping_add(line.len() as u32);
                }
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
