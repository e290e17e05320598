//! Simulated time: integer nanoseconds since the start of a run.
//!
//! Time is never an `f64` inside the engine, so two runs of the same design
//! order their events identically on every platform.

/// A point in simulated time, or a duration [ns].
pub type Nanos = u64;

/// One microsecond [ns].
pub const MICROSECOND: Nanos = 1_000;
/// One millisecond [ns].
pub const MILLISECOND: Nanos = 1_000_000;
/// One second [ns].
pub const SECOND: Nanos = 1_000_000_000;

/// Converts milliseconds (possibly fractional) to nanoseconds, rounding to the
/// nearest nanosecond; negative and non-finite inputs become 0.
pub fn from_ms(ms: f64) -> Nanos {
    from_secs(ms / 1_000.0)
}

/// Converts seconds (possibly fractional) to nanoseconds, rounding to the
/// nearest nanosecond; negative and non-finite inputs become 0, and values
/// beyond `u64::MAX` ns (about 584 years) saturate.
pub fn from_secs(secs: f64) -> Nanos {
    let ns = secs * 1e9;
    if ns.is_nan() || ns <= 0.0 {
        0
    } else if ns >= u64::MAX as f64 {
        u64::MAX
    } else {
        // `as` rounds toward zero; add one half first to round to nearest.
        (ns + 0.5) as u64
    }
}

/// Converts nanoseconds to seconds [s].
pub fn to_secs(ns: Nanos) -> f64 {
    ns as f64 / 1e9
}

/// Converts nanoseconds to milliseconds [ms].
pub fn to_ms(ns: Nanos) -> f64 {
    ns as f64 / 1e6
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions_round_to_nearest_and_clamp() {
        assert_eq!(from_ms(1.5), 1_500_000);
        assert_eq!(from_secs(2.0), 2 * SECOND);
        assert_eq!(from_secs(1.0e-9 * 0.6), 1);
        assert_eq!(from_secs(-3.0), 0);
        assert_eq!(from_secs(f64::NAN), 0);
        assert_eq!(from_secs(f64::INFINITY), u64::MAX);
        assert_eq!(to_ms(from_ms(12.25)), 12.25);
    }
}
