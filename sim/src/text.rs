//! How numbers are written in messages, the same in the runner, the core's
//! problems and the app: counts with their digits grouped, and figures as
//! written unless they are huge or tiny.

use std::fmt;

/// A count with its digits grouped in threes: 14,000,000.
pub fn grouped(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A number as a message shows it: as written for everyday sizes, in
/// scientific notation when very large or very small (`1e308`, not 309
/// digits).
#[derive(Debug, Clone, Copy)]
pub struct Num(pub f64);

impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (v, a) = (self.0, self.0.abs());
        if a == 0.0 || (1e-4..1e12).contains(&a) || !v.is_finite() {
            write!(f, "{v}")
        } else {
            write!(f, "{v:e}")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_written_until_they_are_huge_or_tiny() {
        assert_eq!(Num(1_000_000.0).to_string(), "1000000");
        assert_eq!(Num(0.1).to_string(), "0.1");
        assert_eq!(Num(1e308).to_string(), "1e308");
        assert_eq!(Num(-5e-301).to_string(), "-5e-301");
        assert_eq!(Num(0.0).to_string(), "0");
    }

    #[test]
    fn counts_group_their_digits_in_threes() {
        assert_eq!(grouped(14_000_000), "14,000,000");
        assert_eq!(grouped(1_240), "1,240");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(0), "0");
    }
}
