//! A hand-written, dependency-free 227 parser: check the code, find six
//! comma-separated decimal numbers, each at most 255, and return the
//! address XOR the port (0 on failure). No framing, no line end check, no
//! error detail: the floor for "parse a 227".

#![no_std]
#![no_main]

ftp_reply_size::harness!();

#[unsafe(no_mangle)]
#[inline(never)]
pub fn entry(input: &[u8]) -> u32 {
    let [b'2', b'2', b'7', text @ ..] = input else {
        return 0;
    };
    let mut ip = 0u32; // h1..h4, then p1 and p2 shifted in
    let mut port = 0u32;
    let mut cur = 0u32;
    let mut n = 0u32; // numbers finished
    let mut digits = false;
    for &b in text {
        if b.is_ascii_digit() {
            cur = cur * 10 + u32::from(b - b'0');
            if cur > 255 {
                return 0;
            }
            digits = true;
        } else if digits && (b == b',' || n == 5) {
            if n < 4 {
                ip = ip << 8 | cur;
            } else {
                port = port << 8 | cur;
            }
            n += 1;
            cur = 0;
            digits = false;
            if n == 6 {
                return ip ^ port;
            }
        } else {
            // Not a tuple (yet): start again.
            ip = 0;
            port = 0;
            cur = 0;
            n = 0;
            digits = false;
        }
    }
    0
}
