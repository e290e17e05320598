//! Seeded random-number streams, one per component.
//!
//! Each node draws from its own stream derived from the design's seed and the
//! node's id, so adding or removing one node does not reshuffle the
//! randomness of every other node.

use rand_core::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// The generator used for every stream: fast, small state, and portable
/// (identical output on every platform for the same seed).
pub type SimRng = Xoshiro256PlusPlus;

/// FNV-1a 64-bit hash: a stable (platform- and version-independent) hash of a
/// node id, unlike `std`'s randomly keyed `DefaultHasher`.
pub fn stable_hash(text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The random stream of the component named `stream` in a run with `seed`.
pub fn stream(seed: u64, stream: &str) -> SimRng {
    SimRng::seed_from_u64(seed ^ stable_hash(stream).rotate_left(17))
}

/// A uniform integer in `0..n` (`n > 0`), by multiply-shift; bias below 2^-32
/// for any `n` the model uses.
pub fn below(rng: &mut SimRng, n: u64) -> u64 {
    ((u128::from(rng.next_u64()) * u128::from(n)) >> 64) as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streams_depend_on_seed_and_name_only() {
        let a1 = stream(7, "web-1").next_u64();
        let a2 = stream(7, "web-1").next_u64();
        let b = stream(7, "web-2").next_u64();
        let c = stream(8, "web-1").next_u64();
        assert_eq!(a1, a2);
        assert_ne!(a1, b);
        assert_ne!(a1, c);
    }

    #[test]
    fn below_stays_in_range_and_covers_it() {
        let mut rng = stream(1, "x");
        let mut seen = [false; 5];
        for _ in 0..1000 {
            let v = below(&mut rng, 5);
            assert!(v < 5);
            seen[v as usize] = true;
        }
        assert!(seen.iter().all(|s| *s));
    }
}
