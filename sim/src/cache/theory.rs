//! The theory the cache store is checked against: the Zipf law, Che's
//! approximation of an LRU cache's hit rate, and a TTL cache's hit rate.
//! See the [parent module](super) for the references.

/// The Zipf popularity law over `n` keys: `p_i = i^(−alpha) / Σ_j j^(−alpha)`
/// for ranks `i = 1..=n` (index 0 is rank 1, the most popular).
///
/// `alpha` [dimensionless] ≥ 0; `alpha` 0 gives the uniform law. Empty for
/// `n` 0. Uses `libm`, so the values are identical on every platform.
pub fn zipf_probabilities(n: usize, alpha: f64) -> Vec<f64> {
    let mut p: Vec<f64> = (1..=n).map(|i| libm::pow(i as f64, -alpha)).collect();
    let total: f64 = p.iter().sum();
    if total > 0.0 && total.is_finite() {
        for x in &mut p {
            *x /= total;
        }
    }
    p
}

/// The number of keys with non-zero probability.
fn support(probs: &[f64]) -> usize {
    probs.iter().filter(|&&p| p > 0.0).count()
}

/// Che's characteristic time `T` [requests] of an LRU cache holding
/// `capacity` keys, for request probabilities `probs` (summing to 1): the
/// root of
///
/// ```text
///   Σ_i (1 − e^(−p_i·T)) = C
/// ```
///
/// i.e. the number of requests after which a key not requested again is
/// evicted (Che, Tung & Wang 2002). Multiply by the mean time between
/// requests to get seconds. `f64::INFINITY` if `capacity` is at least the
/// number of keys with non-zero probability (nothing is ever evicted); 0 for
/// capacity 0.
///
/// Solved by Newton's method from `T = C` (a lower bound, since
/// `1 − e^(−x) ≤ x`), safeguarded by bisection; the left-hand side is
/// increasing and concave in `T`, so the iteration converges monotonically,
/// to a relative precision of about 1e-12. Each iteration costs O(n) `exp`
/// calls; typically 3 to 12 iterations, plus a few doublings to bracket `T`.
pub fn che_characteristic_time(probs: &[f64], capacity: usize) -> f64 {
    if capacity >= support(probs) {
        return f64::INFINITY;
    }
    if capacity == 0 {
        return 0.0;
    }
    let c = capacity as f64;
    // g(T) = Σ(1 − e^(−p T)) − C and g'(T) = Σ p e^(−p T).
    let g = |t: f64| -> (f64, f64) {
        let mut value = -c;
        let mut slope = 0.0;
        for &p in probs.iter().filter(|&&p| p > 0.0) {
            value -= libm::expm1(-p * t);
            slope += p * libm::exp(-p * t);
        }
        (value, slope)
    };
    // Bracket the root: g(lo) ≤ 0 < g(hi).
    let mut lo = c;
    let mut hi = 2.0 * c;
    while g(hi).0 <= 0.0 {
        lo = hi;
        hi *= 2.0;
        if !hi.is_finite() {
            return f64::INFINITY;
        }
    }
    let mut t = lo;
    for _ in 0..200 {
        let (value, slope) = g(t);
        // The sum itself carries rounding error of about n·ε, so stop on a
        // small residual or a negligible step, not only on an exact zero.
        if value.abs() <= 1e-12 * c {
            return t;
        }
        if value < 0.0 {
            lo = t;
        } else {
            hi = t;
        }
        let newton = t - value / slope;
        if (newton - t).abs() <= 1e-13 * t || hi - lo <= 1e-13 * hi {
            return t;
        }
        // Newton from the left never overshoots (concavity); bisect if
        // rounding ever takes it out of the bracket.
        t = if newton > lo && newton < hi {
            newton
        } else {
            0.5 * (lo + hi)
        };
    }
    t
}

/// Che's approximation of the hit rate [fraction of requests, 0..=1] of an
/// LRU cache holding `capacity` keys, for request probabilities `probs`
/// (summing to 1) under the independent reference model:
///
/// ```text
///   h = Σ_i p_i·(1 − e^(−p_i·T)),   T = che_characteristic_time(probs, C)
/// ```
///
/// (Che, Tung & Wang 2002; accuracy explained by Fricker, Robert & Roberts
/// 2012). 1.0 if the cache holds every key with non-zero probability, 0 for
/// capacity 0. Cold-start misses are not counted: this is the steady state.
pub fn che_lru_hit_rate(probs: &[f64], capacity: usize) -> f64 {
    if capacity == 0 || probs.is_empty() {
        return 0.0;
    }
    if capacity >= support(probs) {
        return 1.0;
    }
    let t = che_characteristic_time(probs, capacity);
    probs
        .iter()
        .filter(|&&p| p > 0.0)
        .map(|&p| -p * libm::expm1(-p * t))
        .sum()
}

/// The steady-state hit rate [fraction of requests, 0..=1] of an unbounded
/// cache whose entries are filled on a miss and expire `ttl_s` [s] after the
/// fill (a hit does not renew them), for Poisson requests at `rate_per_s`
/// [1/s] in total, key `i` being requested with probability `probs[i]`.
///
/// Key `i` is requested at rate `λ_i = p_i·rate`. Each fill starts a cycle of
/// one miss followed by the requests arriving within `ttl`, on average
/// `λ_i·ttl` hits; after expiry the next request misses again. So
///
/// ```text
///   h_i = λ_i·ttl / (1 + λ_i·ttl),    h = Σ_i p_i·h_i
/// ```
///
/// (the renewal argument of Jung, Berger & Balakrishnan 2003, "Modeling
/// TTL-based Internet caches"; the TTL view of LRU is that of Che et al.
/// 2002 and Fricker, Robert & Roberts 2012). Fills are taken as
/// instantaneous. 0 for a non-positive rate or TTL; an infinite TTL gives
/// the share of keys with non-zero rate (1 for normalized `probs`).
pub fn ttl_hit_rate(probs: &[f64], rate_per_s: f64, ttl_s: f64) -> f64 {
    if !(rate_per_s > 0.0 && ttl_s > 0.0) {
        return 0.0;
    }
    probs
        .iter()
        .filter(|&&p| p > 0.0)
        .map(|&p| {
            let x = p * rate_per_s * ttl_s;
            if x.is_infinite() {
                p
            } else {
                p * x / (1.0 + x)
            }
        })
        .sum()
}
