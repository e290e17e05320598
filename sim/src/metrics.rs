//! Measurements taken from the requests themselves: counters and HDR
//! latency histograms.

use crate::time::Nanos;
use hdrhistogram::Histogram;
use serde::Serialize;

/// A latency histogram with bounded relative error (3 significant digits,
/// i.e. ≤ 0.1 %) and an exact mean; memory grows with the range of values
/// seen (logarithmically), never with their count.
#[derive(Debug, Clone)]
pub struct LatencyHistogram {
    /// Recorded latencies [µs].
    hist: Histogram<u64>,
    /// Exact sum of recorded latencies [ns], for the mean.
    sum_ns: u128,
}

impl Default for LatencyHistogram {
    fn default() -> Self {
        Self {
            hist: Histogram::new(3).expect("3 significant digits is a valid precision"),
            sum_ns: 0,
        }
    }
}

/// Latency figures of a set of requests [ms].
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct LatencySummary {
    /// Mean [ms].
    pub mean: f64,
    /// Median [ms].
    pub p50: f64,
    /// 95th percentile [ms].
    pub p95: f64,
    /// 99th percentile [ms].
    pub p99: f64,
    /// 99.9th percentile [ms].
    pub p999: f64,
    /// Largest [ms].
    pub max: f64,
}

impl LatencyHistogram {
    /// Records one latency [ns].
    pub fn record(&mut self, latency: Nanos) {
        // Sub-microsecond latencies count as 1 µs. `record` grows the
        // (auto-resizing) histogram; it fails only on a value beyond its
        // largest possible range, which is then clamped.
        let us = (latency / 1_000).max(1);
        if self.hist.record(us).is_err() {
            self.hist.saturating_record(us);
        }
        self.sum_ns += u128::from(latency);
    }

    /// Adds every latency recorded in `other` to this histogram.
    pub fn merge(&mut self, other: &LatencyHistogram) {
        if other.count() == 0 {
            return;
        }
        // Both auto-resize, so adding fails only beyond the largest
        // trackable value, which `record` has already clamped.
        let _ = self.hist.add(&other.hist);
        self.sum_ns += other.sum_ns;
    }

    /// Exact sum of recorded latencies [ns].
    pub fn sum_ns(&self) -> u128 {
        self.sum_ns
    }

    /// Number of recorded latencies.
    pub fn count(&self) -> u64 {
        self.hist.len()
    }

    /// The latency [ms] below which a share `q` (0..=1) of requests fall.
    pub fn quantile_ms(&self, q: f64) -> f64 {
        if self.hist.is_empty() {
            return 0.0;
        }
        self.hist.value_at_quantile(q) as f64 / 1_000.0
    }

    /// Mean, percentiles and maximum [ms]; all 0 when empty.
    pub fn summary(&self) -> LatencySummary {
        let n = self.count();
        if n == 0 {
            return LatencySummary::default();
        }
        LatencySummary {
            mean: self.sum_ns as f64 / n as f64 / 1e6,
            p50: self.quantile_ms(0.50),
            p95: self.quantile_ms(0.95),
            p99: self.quantile_ms(0.99),
            p999: self.quantile_ms(0.999),
            max: self.hist.max() as f64 / 1_000.0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_are_within_the_stated_precision() {
        let mut h = LatencyHistogram::default();
        for ms in 1..=1000u64 {
            h.record(ms * 1_000_000);
        }
        let s = h.summary();
        assert!((s.mean - 500.5).abs() < 1e-9);
        for (got, want) in [
            (s.p50, 500.0),
            (s.p95, 950.0),
            (s.p99, 990.0),
            (s.max, 1000.0),
        ] {
            assert!((got - want).abs() / want < 0.001 + 1e-9, "{got} vs {want}");
        }
        assert_eq!(
            LatencyHistogram::default().summary(),
            LatencySummary::default()
        );
    }
}
