//! A hand-written, dependency-free 227 parser: find six comma-separated
//! decimal numbers, each at most 255, and return the port (0 on failure).
//! No framing, no error detail: the floor for "parse a 227".

#![no_std]
#![no_main]

ftp_reply_size::harness!();

#[unsafe(no_mangle)]
#[inline(never)]
pub fn entry(input: &[u8]) -> u32 {
    if !input.starts_with(b"227") {
        return 0;
    }
    let mut fields = [0u32; 6];
    let mut n = 0;
    let mut in_number = false;
    for &b in input.iter().skip(3) {
        match b {
            b'0'..=b'9' => {
                if n == 6 {
                    break;
                }
                fields[n] = fields[n] * 10 + u32::from(b - b'0');
                if fields[n] > 255 {
                    return 0;
                }
                in_number = true;
            }
            b',' if in_number => {
                n += 1;
                in_number = false;
            }
            _ if in_number && n == 5 => {
                n = 6;
                break;
            }
            _ => {
                n = 0;
                in_number = false;
                fields = [0; 6];
            }
        }
    }
    if n == 6 {
        fields[4] << 8 | fields[5]
    } else {
        0
    }
}
