//! Byte search. On 64-bit targets, memchr's SIMD and word-at-a-time
//! routines; elsewhere (Cortex-M and other microcontrollers, where memchr
//! has no SIMD to offer and flash is what counts), plain loops that compile
//! to a few instructions each. Same answers either way.

#[cfg(target_pointer_width = "64")]
mod imp {
    /// Below this length a plain loop beats memchr's set-up (a short line,
    /// a few bytes pushed into the decoder).
    const SHORT: usize = 16;

    #[inline]
    pub(crate) fn find(a: u8, hay: &[u8]) -> Option<usize> {
        if hay.len() < SHORT {
            hay.iter().position(|&x| x == a)
        } else {
            memchr::memchr(a, hay)
        }
    }

    #[inline]
    pub(crate) fn find2(a: u8, b: u8, hay: &[u8]) -> Option<usize> {
        if hay.len() < SHORT {
            hay.iter().position(|&x| x == a || x == b)
        } else {
            memchr::memchr2(a, b, hay)
        }
    }

    #[inline]
    pub(crate) fn find3(a: u8, b: u8, c: u8, hay: &[u8]) -> Option<usize> {
        memchr::memchr3(a, b, c, hay)
    }

    #[inline]
    pub(crate) fn find_iter(a: u8, hay: &[u8]) -> impl Iterator<Item = usize> + '_ {
        memchr::memchr_iter(a, hay)
    }
}

#[cfg(not(target_pointer_width = "64"))]
mod imp {
    #[inline]
    pub(crate) fn find(a: u8, hay: &[u8]) -> Option<usize> {
        hay.iter().position(|&x| x == a)
    }

    #[inline]
    pub(crate) fn find2(a: u8, b: u8, hay: &[u8]) -> Option<usize> {
        hay.iter().position(|&x| x == a || x == b)
    }

    #[inline]
    pub(crate) fn find3(a: u8, b: u8, c: u8, hay: &[u8]) -> Option<usize> {
        hay.iter().position(|&x| x == a || x == b || x == c)
    }

    #[inline]
    pub(crate) fn find_iter(a: u8, hay: &[u8]) -> impl Iterator<Item = usize> + '_ {
        hay.iter()
            .enumerate()
            .filter_map(move |(i, &x)| (x == a).then_some(i))
    }
}

pub(crate) use imp::{find, find_iter, find2, find3};

/// The first LF of `hay`, and the first NUL before it: one pass for a line
/// without NUL (the common case).
#[inline]
pub(crate) fn line_end_and_nul(hay: &[u8]) -> (Option<usize>, Option<usize>) {
    match find2(b'\n', 0, hay) {
        Some(i) if hay.get(i) == Some(&0) => {
            let after = hay.get(i + 1..).unwrap_or_default();
            (find(b'\n', after).map(|j| i + 1 + j), Some(i))
        }
        lf => (lf, None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn same_answers() {
        let hay = b"ab\r\ncd\0e\nf";
        assert_eq!(find(b'\n', hay), Some(3));
        assert_eq!(find2(b'\n', 0, hay), Some(3));
        assert_eq!(find3(b'x', 0, b'e', hay), Some(6));
        assert_eq!(
            find_iter(b'\n', hay).collect::<heapless::Vec<usize, 4>>(),
            [3, 8]
        );
    }
}
