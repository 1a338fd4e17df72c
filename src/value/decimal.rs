//! Decimal numbers with the reference's arithmetic and printing.
//!
//! The reference represents Orc decimals as Java `BigDecimal`s: addition,
//! subtraction and multiplication are exact, division is exact when the
//! quotient terminates (and otherwise falls back to floating point, see
//! [`super::arith`]), and printing follows `BigDecimal.toString`. We
//! reproduce that: a decimal is an unscaled big integer and a scale
//! (`value = unscaled × 10^-scale`).

use num_bigint::BigInt;
use num_integer::Integer;
use num_traits::{One, Signed, ToPrimitive, Zero};
use std::borrow::Cow;
use std::cmp::Ordering;
use std::fmt;

use super::limits::{check_int_bits, too_large, MAX_DECIMAL_SCALE};

fn scale_limit() -> String {
    format!("the limit of 10^±{MAX_DECIMAL_SCALE} for decimal exponents")
}

#[derive(Clone, Debug)]
pub struct Decimal {
    unscaled: BigInt,
    scale: i64,
}

fn pow10(n: u32) -> BigInt {
    num_traits::pow(BigInt::from(10u32), n as usize)
}

/// `x` times ten to the `n`: by a machine word where that fits (the usual
/// small difference of scales), much cheaper than making the power as a
/// big integer and multiplying by it.
fn times_pow10(x: &BigInt, n: u32) -> BigInt {
    match 10u64.checked_pow(n) {
        Some(p) => x * p,
        None => x * pow10(n),
    }
}

impl Decimal {
    pub fn new(unscaled: BigInt, scale: i64) -> Decimal {
        Decimal { unscaled, scale }
    }

    /// Parses a decimal literal such as `1.50`, `2e3` or `-0.5E-2`, in
    /// subquadratic time (see [`super::digits`]).
    pub fn parse(text: &str) -> Option<Decimal> {
        let (int_part, frac_part, scale) = Decimal::literal_parts(text)?;
        let unscaled = if frac_part.is_empty() {
            super::digits::parse_int(int_part)?
        } else {
            super::digits::parse_int(&format!("{int_part}{frac_part}"))?
        };
        Some(Decimal { unscaled, scale })
    }

    /// The integer and fraction digits of a decimal literal (the integer
    /// part with its sign, if any) and its scale, if that is within
    /// [`MAX_DECIMAL_SCALE`]: what [`Decimal::parse`] checks before it
    /// converts the digits.
    pub fn literal_parts(text: &str) -> Option<(&str, &str, i64)> {
        let (mantissa, exp) = match text.find(['e', 'E']) {
            Some(i) => (&text[..i], text[i + 1..].parse::<i64>().ok()?),
            None => (text, 0),
        };
        let (int_part, frac_part) = match mantissa.find('.') {
            Some(i) => (&mantissa[..i], &mantissa[i + 1..]),
            None => (mantissa, ""),
        };
        let scale = i64::try_from(frac_part.len()).ok()?.checked_sub(exp)?;
        // Past the limit, arithmetic on the number would explode.
        if scale.abs() > MAX_DECIMAL_SCALE {
            return None;
        }
        Some((int_part, frac_part, scale))
    }

    /// An integer as a decimal of scale 0.
    pub fn from_int(n: &BigInt) -> Decimal {
        Decimal {
            unscaled: n.clone(),
            scale: 0,
        }
    }

    pub fn from_f64(x: f64) -> Option<Decimal> {
        if !x.is_finite() {
            return None;
        }
        // Rust's shortest round-trip formatting matches Java's digits closely
        // enough; keep at least one fractional digit as Java's toString does.
        let s = format!("{x:?}");
        Decimal::parse(&s)
    }

    pub fn to_f64(&self) -> f64 {
        self.to_string().parse().unwrap_or(f64::NAN)
    }

    pub fn is_zero(&self) -> bool {
        self.unscaled.is_zero()
    }

    pub fn is_negative(&self) -> bool {
        self.unscaled.is_negative()
    }

    /// Both operands with the same scale (the larger one).
    /// (The one with the smaller scale is scaled up; the other is lent.)
    fn aligned<'a>(&'a self, other: &'a Decimal) -> (Cow<'a, BigInt>, Cow<'a, BigInt>, i64) {
        let up = |d: &Decimal, scale: i64| {
            Cow::Owned(times_pow10(&d.unscaled, (scale - d.scale) as u32))
        };
        match self.scale.cmp(&other.scale) {
            Ordering::Equal => (
                Cow::Borrowed(&self.unscaled),
                Cow::Borrowed(&other.unscaled),
                self.scale,
            ),
            Ordering::Less => (
                up(self, other.scale),
                Cow::Borrowed(&other.unscaled),
                other.scale,
            ),
            Ordering::Greater => (
                Cow::Borrowed(&self.unscaled),
                up(other, self.scale),
                self.scale,
            ),
        }
    }

    pub fn add(&self, other: &Decimal) -> Decimal {
        let (a, b, scale) = self.aligned(other);
        Decimal::new(&*a + &*b, scale)
    }

    pub fn sub(&self, other: &Decimal) -> Decimal {
        let (a, b, scale) = self.aligned(other);
        Decimal::new(&*a - &*b, scale)
    }

    pub fn mul(&self, other: &Decimal) -> Decimal {
        Decimal::new(&self.unscaled * &other.unscaled, self.scale + other.scale)
    }

    pub fn neg(&self) -> Decimal {
        Decimal::new(-&self.unscaled, self.scale)
    }

    /// The exact quotient, with the scale closest to `self.scale -
    /// other.scale` that represents it (as Java's `divide`); `None` when
    /// dividing by zero or when the quotient does not terminate.
    pub fn div(&self, other: &Decimal) -> Option<Decimal> {
        if other.is_zero() {
            return None;
        }
        let preferred = self.scale - other.scale;
        // The quotient terminates iff the reduced denominator has no prime
        // factors other than 2 and 5; it then needs max(#2s, #5s) digits.
        let g = self.unscaled.gcd(&other.unscaled);
        let mut den = (&other.unscaled / &g).abs();
        let (mut twos, mut fives) = (0u32, 0u32);
        let (two, five) = (BigInt::from(2), BigInt::from(5));
        while (&den % &two).is_zero() {
            den /= &two;
            twos += 1;
        }
        while (&den % &five).is_zero() {
            den /= &five;
            fives += 1;
        }
        if !den.is_one() {
            return None;
        }
        let extra = twos.max(fives);
        let q = (&self.unscaled * pow10(extra)) / &other.unscaled;
        let mut d = Decimal::new(q, preferred + extra as i64);
        d.strip_zeros_to(preferred);
        Some(d)
    }

    /// Remainder with the sign of the dividend (Java's `remainder`).
    pub fn rem(&self, other: &Decimal) -> Option<Decimal> {
        if other.is_zero() {
            return None;
        }
        let (a, b, scale) = self.aligned(other);
        Some(Decimal::new(&*a % &*b, scale))
    }

    /// `self` to the power `exp`, or an error naming `op` when the result
    /// would pass the size limits (checked before computing it).
    pub fn powi(&self, op: &str, exp: u32) -> Result<Decimal, String> {
        let scale = self.scale.checked_mul(exp as i64).unwrap_or(i64::MAX);
        if scale.abs() > MAX_DECIMAL_SCALE {
            return Err(too_large(op, &scale_limit()));
        }
        // |u|^e has at least (bits(u) - 1)·e + 1 bits.
        let bits = self.unscaled.bits();
        if bits > 1 {
            check_int_bits(op, (bits - 1).saturating_mul(exp as u64).saturating_add(1))?;
        }
        let d = Decimal::new(num_traits::pow(self.unscaled.clone(), exp as usize), scale);
        d.check(op)?;
        Ok(d)
    }

    /// Whether the decimal is within the size limits ([`super::limits`]);
    /// the error names `op`, the operation that made it.
    pub fn check(&self, op: &str) -> Result<(), String> {
        if self.scale.abs() > MAX_DECIMAL_SCALE {
            return Err(too_large(op, &scale_limit()));
        }
        check_int_bits(op, self.unscaled.bits())
    }

    /// Whether `self.mul(other)` stays within the limits (checked before
    /// multiplying, which is the expensive part).
    pub fn check_mul(&self, op: &str, other: &Decimal) -> Result<(), String> {
        if self.scale.saturating_add(other.scale).abs() > MAX_DECIMAL_SCALE {
            return Err(too_large(op, &scale_limit()));
        }
        check_int_bits(
            op,
            (self.unscaled.bits() + other.unscaled.bits()).saturating_sub(1),
        )
    }

    /// Whether aligning `self` and `other` (for `+`, `-`, `%`) makes an
    /// unscaled number within the limits.
    pub fn check_aligned(&self, op: &str, other: &Decimal) -> Result<(), String> {
        let shift = (self.scale - other.scale).unsigned_abs();
        let widest = self.unscaled.bits().max(other.unscaled.bits());
        // 10^shift has more than 3.32·shift bits.
        check_int_bits(op, widest + shift.saturating_mul(332) / 100)
    }

    fn strip_zeros_to(&mut self, preferred: i64) {
        if self.unscaled.is_zero() {
            self.scale = preferred;
            return;
        }
        let ten = BigInt::from(10);
        while self.scale > preferred && !self.unscaled.is_zero() {
            let (q, r) = self.unscaled.div_rem(&ten);
            if !r.is_zero() {
                break;
            }
            self.unscaled = q;
            self.scale -= 1;
        }
    }

    /// Truncates toward negative infinity (`Floor`).
    pub fn floor(&self) -> BigInt {
        if self.scale <= 0 {
            return &self.unscaled * pow10((-self.scale) as u32);
        }
        self.unscaled.div_floor(&pow10(self.scale as u32))
    }

    pub fn ceil(&self) -> BigInt {
        if self.scale <= 0 {
            return &self.unscaled * pow10((-self.scale) as u32);
        }
        let d = pow10(self.scale as u32);
        let (q, r) = self.unscaled.div_mod_floor(&d);
        if r.is_zero() {
            q
        } else {
            q + 1
        }
    }

    /// Rounds to the nearest integer, halves up (`Round`).
    pub fn round(&self) -> BigInt {
        let half = Decimal::new(BigInt::from(5), 1);
        self.add(&half).floor()
    }

    pub fn to_i64(&self) -> Option<i64> {
        if self.scale <= 0 {
            (&self.unscaled * pow10((-self.scale) as u32)).to_i64()
        } else {
            None
        }
    }
}

impl PartialEq for Decimal {
    /// Numeric equality (`2.0 = 2.00`), as `compareTo` in the reference.
    fn eq(&self, other: &Decimal) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Decimal {}

impl PartialOrd for Decimal {
    fn partial_cmp(&self, other: &Decimal) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Decimal {
    fn cmp(&self, other: &Decimal) -> Ordering {
        let (a, b, _) = self.aligned(other);
        a.cmp(&b)
    }
}

impl fmt::Display for Decimal {
    /// Java's `BigDecimal.toString`: plain notation unless the exponent is
    /// positive or the number is smaller than 10^-6.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let negative = self.unscaled.is_negative();
        let digits = self.unscaled.abs().to_string();
        let n = digits.len() as i64;
        let adjusted = -self.scale + (n - 1);
        let sign = if negative { "-" } else { "" };
        if self.scale >= 0 && adjusted >= -6 {
            if self.scale == 0 {
                return write!(f, "{sign}{digits}");
            }
            let scale = self.scale as usize;
            if digits.len() > scale {
                let (int, frac) = digits.split_at(digits.len() - scale);
                write!(f, "{sign}{int}.{frac}")
            } else {
                let zeros = "0".repeat(scale - digits.len());
                write!(f, "{sign}0.{zeros}{digits}")
            }
        } else {
            let (first, rest) = digits.split_at(1);
            let exp_sign = if adjusted >= 0 { "+" } else { "" };
            if rest.is_empty() {
                write!(f, "{sign}{first}E{exp_sign}{adjusted}")
            } else {
                write!(f, "{sign}{first}.{rest}E{exp_sign}{adjusted}")
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        Decimal::parse(s).unwrap()
    }

    #[test]
    fn prints_like_java() {
        assert_eq!(d("1.50").to_string(), "1.50");
        assert_eq!(d("0.001").to_string(), "0.001");
        assert_eq!(d("1e3").to_string(), "1E+3");
        assert_eq!(d("1.5e-9").to_string(), "1.5E-9");
        assert_eq!(d("-2.25").to_string(), "-2.25");
        assert_eq!(d("0.0000001").to_string(), "1E-7");
    }

    #[test]
    fn arithmetic_keeps_scales() {
        assert_eq!(d("1.5").add(&d("2.25")).to_string(), "3.75");
        assert_eq!(d("1.5").mul(&d("2.0")).to_string(), "3.00");
        assert_eq!(d("5.0").div(&d("2.0")).unwrap().to_string(), "2.5");
        assert_eq!(d("6.0").div(&d("2")).unwrap().to_string(), "3.0");
        assert_eq!(d("1.1").div(&d("1.1")).unwrap().to_string(), "1");
        assert_eq!(d("0").div(&d("1.1")).unwrap().to_string(), "0E+1");
        assert_eq!(d("1").div(&d("1024")).unwrap().to_string(), "0.0009765625");
        // Non-terminating quotients and division by zero have no decimal.
        assert!(d("1.0").div(&d("3")).is_none());
        assert!(d("1").div(&d("0.0")).is_none());
    }

    #[test]
    fn compares_numerically() {
        assert_eq!(d("2.0"), d("2.00"));
        assert!(d("1.9") < d("2"));
        assert_eq!(d("2.7").floor(), BigInt::from(2));
        assert_eq!(d("-2.7").floor(), BigInt::from(-3));
        assert_eq!(d("2.1").ceil(), BigInt::from(3));
    }
}
