//! Confidence intervals by the method of batch means: the measured period
//! is cut into equal batches, each batch's mean is one observation, and a
//! Student-t interval is put around their average. Batches long compared to
//! the system's memory are nearly independent, which individual requests
//! (queued behind each other) are not.

use crate::model::Simulation;
use crate::time::{Nanos, to_secs};
use serde::Serialize;

/// A mean with the half-width of its 95 % confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Estimate {
    /// The estimate.
    pub mean: f64,
    /// Half-width of the 95 % confidence interval (same unit as `mean`).
    pub ci95: f64,
}

/// Two-sided 97.5 % quantiles of Student's t for 1..=30 degrees of freedom.
const T975: [f64; 30] = [
    12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
    2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
    2.052, 2.048, 2.045, 2.042,
];

/// Mean and 95 % half-width of independent observations (at least two).
pub fn estimate(xs: &[f64]) -> Estimate {
    let n = xs.len();
    let mean = xs.iter().sum::<f64>() / n as f64;
    if n < 2 {
        return Estimate {
            mean,
            ci95: f64::INFINITY,
        };
    }
    let var = xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64;
    let t = T975.get(n - 2).copied().unwrap_or(1.960);
    Estimate {
        mean,
        ci95: t * (var / n as f64).sqrt(),
    }
}

/// Mean latency and throughput of a run, with 95 % confidence intervals.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BatchReport {
    /// Mean latency of successful requests [ms].
    pub mean_latency_ms: Estimate,
    /// Successful requests per second [req/s].
    pub throughput_rps: Estimate,
}

/// Runs `sim` (at time 0) through `warmup`, restarts measurement, then runs
/// `duration` more in `batches` equal batches (≥ 2) and estimates from them.
pub fn run_batches(
    sim: &mut Simulation,
    warmup: Nanos,
    duration: Nanos,
    batches: u32,
) -> BatchReport {
    let batches = batches.max(2);
    sim.run_until(warmup);
    sim.reset_measurements();
    let step = (duration / u64::from(batches)).max(1);
    let (mut latency, mut throughput) = (Vec::new(), Vec::new());
    let mut prev = sim.snapshot();
    for b in 1..=u64::from(batches) {
        sim.run_until(warmup + step * b);
        let s = sim.snapshot();
        let n = s.completed - prev.completed;
        if n > 0 {
            let sum = s.latency_sum_ns - prev.latency_sum_ns;
            latency.push(sum as f64 / n as f64 / 1e6);
        }
        throughput.push(n as f64 / to_secs(step));
        prev = s;
    }
    BatchReport {
        mean_latency_ms: estimate(&latency),
        throughput_rps: estimate(&throughput),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn interval_matches_a_hand_computation() {
        // mean 3, sample sd √2.5, n = 5: 2.776 × √(2.5/5).
        let e = estimate(&[1.0, 2.0, 3.0, 4.0, 5.0]);
        assert_eq!(e.mean, 3.0);
        assert!((e.ci95 - 2.776 * 0.5f64.sqrt()).abs() < 1e-12);
        assert!(estimate(&[1.0]).ci95.is_infinite());
    }
}
