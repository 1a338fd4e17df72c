//! Decimal digit strings to big integers in subquadratic time: the
//! numeric literals of programs (the lexer), decimals, `Read` and JSON.
//!
//! `num-bigint`'s own conversion folds in one machine word of digits at a
//! time, a multiplication of the whole number so far for each: quadratic,
//! about 2.5 s for a million digits. Here the digits are split in two,
//! each half converted the same way, and the halves joined as
//! `high · 10^k + low = (high · 5^k) · 2^k + low`, where `k`, the length
//! of the low half, is always a block size times a power of two: each
//! power of five is computed once (by squaring) and shared by a whole
//! level, and the power of two is a shift. The cost is that of the few
//! largest multiplications (`num-bigint` multiplies by Karatsuba and
//! Toom-3, about n^1.5, so the whole is subquadratic but not n log n).
//! For the million digits of the largest integer a program may hold
//! ([`super::limits::MAX_INT_DIGITS`]) it takes about 0.27 s where
//! `num-bigint` takes 2.5 s (release build, on a busy two-core machine).

use num_bigint::{BigInt, BigUint};

/// Digit strings at most this long are converted directly.
const BLOCK: usize = 256;

/// The value of a string of ASCII decimal digits; `None` if it is empty or
/// holds anything else.
pub fn parse_uint(digits: &str) -> Option<BigUint> {
    let bytes = digits.as_bytes();
    if bytes.is_empty() || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    // Leading zeros add nothing but work.
    let first = bytes.iter().position(|&b| b != b'0').unwrap_or(bytes.len());
    let bytes = &bytes[first..];
    if bytes.len() <= BLOCK {
        return Some(small(bytes));
    }
    // powers[i] = 5^(BLOCK · 2^i), for every level below the top: times
    // 2^(BLOCK · 2^i), a shift, it is the power of ten.
    let mut powers = vec![BigUint::from(5u32).pow(BLOCK as u32)];
    while BLOCK << powers.len() < bytes.len() {
        let last = powers.last().expect("one power at least");
        let next = last * last;
        powers.push(next);
    }
    Some(convert(bytes, &powers, powers.len()))
}

/// [`parse_uint`] with an optional leading `-` or `+`.
pub fn parse_int(text: &str) -> Option<BigInt> {
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let n = BigInt::from(parse_uint(digits)?);
    Some(if negative { -n } else { n })
}

/// At most [`BLOCK`] digits, nineteen at a time (10^19 < 2^64).
fn small(digits: &[u8]) -> BigUint {
    let mut n = BigUint::default();
    for chunk in digits.chunks(19) {
        let value = chunk
            .iter()
            .fold(0u64, |acc, &d| acc * 10 + u64::from(d - b'0'));
        n = n * 10u64.pow(chunk.len() as u32) + value;
    }
    n
}

/// `digits` (at most `BLOCK · 2^level` of them), split so that the low
/// half holds `BLOCK · 2^(level-1)` digits.
fn convert(digits: &[u8], powers: &[BigUint], level: usize) -> BigUint {
    if digits.len() <= BLOCK || level == 0 {
        return small(digits);
    }
    let half = BLOCK << (level - 1);
    if digits.len() <= half {
        return convert(digits, powers, level - 1);
    }
    let (high, low) = digits.split_at(digits.len() - half);
    let high = convert(high, powers, level - 1);
    let low = convert(low, powers, level - 1);
    ((high * &powers[level - 1]) << half) + low
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn agrees_with_num_bigint() {
        // Lengths around the block and level boundaries, with zeros inside.
        let mut digits = String::new();
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for len in [1, 2, 18, 19, 20, 255, 256, 257, 511, 512, 513, 1025, 5000] {
            digits.clear();
            for i in 0..len {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let d = if i % 37 == 5 { 0 } else { x % 10 };
                digits.push(char::from(b'0' + d as u8));
            }
            let want = BigUint::from_str(&digits).unwrap();
            assert_eq!(parse_uint(&digits), Some(want), "{len} digits");
        }
    }

    #[test]
    fn signs_zeros_and_junk() {
        assert_eq!(parse_int("-0042"), Some(BigInt::from(-42)));
        assert_eq!(parse_int("+7"), Some(BigInt::from(7)));
        assert_eq!(parse_uint("0000"), Some(BigUint::default()));
        assert_eq!(parse_uint(""), None);
        assert_eq!(parse_int("-"), None);
        assert_eq!(parse_uint("12a"), None);
        assert_eq!(parse_uint("1_000"), None);
        let big = format!("{}{}", "0".repeat(3000), "9".repeat(2000));
        let want = BigUint::from(10u32).pow(2000) - 1u32;
        assert_eq!(parse_uint(&big), Some(want));
    }
}
