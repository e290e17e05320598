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
    mul_wide(rng.next_u64(), n).0
}

/// The 128-bit product of `a` and `b`, as its (high, low) 64-bit halves.
///
/// WebAssembly has no 64 × 64 → 128-bit multiply, so a `u128` product there
/// is a call to `__multi3` (a whole 128 × 128-bit multiply); four 32-bit
/// products do it in line. Natively it is one instruction. Both give the
/// same bits (a unit test compares them).
#[inline]
pub fn mul_wide(a: u64, b: u64) -> (u64, u64) {
    #[cfg(target_family = "wasm")]
    {
        (mul_hi_by_halves(a, b), a.wrapping_mul(b))
    }
    #[cfg(not(target_family = "wasm"))]
    {
        let m = u128::from(a) * u128::from(b);
        ((m >> 64) as u64, m as u64)
    }
}

/// The high 64 bits of `a` × `b` from four 32 × 32-bit products.
#[cfg(any(test, target_family = "wasm"))]
#[inline]
fn mul_hi_by_halves(a: u64, b: u64) -> u64 {
    const LOW: u64 = 0xffff_ffff;
    let (a_lo, a_hi, b_lo, b_hi) = (a & LOW, a >> 32, b & LOW, b >> 32);
    let lo_lo = a_lo * b_lo;
    let hi_lo = a_hi * b_lo;
    let lo_hi = a_lo * b_hi;
    // At most (2³² − 1)² + 2 (2³² − 1): no overflow.
    let middle = (lo_lo >> 32) + (hi_lo & LOW) + lo_hi;
    a_hi * b_hi + (hi_lo >> 32) + (middle >> 32)
}

/// Whether `a` × `b` surely fits in 64 bits (their significant bits add up
/// to at most 64).
#[inline]
fn fits_in_64(a: u64, b: u64) -> bool {
    a.leading_zeros() + b.leading_zeros() >= 64
}

/// `count` × `dt` as a `u128`, for time integrals (busy worker-ns and the
/// like). In WebAssembly a 64-bit multiply when the product fits, as it
/// nearly always does, and a 128-bit one (a `__multi3` call) otherwise;
/// natively the 128-bit multiply, one instruction.
#[inline]
pub fn area(count: u64, dt: u64) -> u128 {
    if cfg!(target_family = "wasm") && fits_in_64(count, dt) {
        u128::from(count * dt)
    } else {
        u128::from(count) * u128::from(dt)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_products_are_the_same_in_halves_and_in_128_bits() {
        let mut rng = stream(1, "mul");
        let edges = [
            0,
            1,
            2,
            0xffff_ffff,
            1 << 32,
            (1 << 32) + 1,
            u64::MAX - 1,
            u64::MAX,
        ];
        let mut pairs: Vec<(u64, u64)> = edges
            .iter()
            .flat_map(|&a| edges.iter().map(move |&b| (a, b)))
            .collect();
        for _ in 0..100_000 {
            let (a, b) = (rng.next_u64(), rng.next_u64());
            // Also products that just fit in 64 bits, and just do not.
            let shift = (a % 64) as u32;
            pairs.extend([
                (a, b),
                (a >> shift, b >> (63 - shift)),
                (a >> shift, b >> (64 - shift).min(63)),
            ]);
        }
        let mut fitting = 0;
        for (a, b) in pairs {
            let m = u128::from(a) * u128::from(b);
            assert_eq!(mul_hi_by_halves(a, b), (m >> 64) as u64, "{a} × {b}");
            assert_eq!(mul_wide(a, b), ((m >> 64) as u64, m as u64), "{a} × {b}");
            assert_eq!(area(a, b), m, "{a} × {b}");
            if fits_in_64(a, b) {
                fitting += 1;
                assert_eq!(u128::from(a.wrapping_mul(b)), m, "{a} × {b}");
            }
        }
        assert!(fitting > 50_000, "both ways are tried: {fitting} fit");
    }

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
