//! Measurements taken from the requests themselves: counters and HDR
//! latency histograms.

use crate::time::Nanos;
use hdrhistogram::Histogram;
use serde::{Deserialize, Serialize};

/// A latency histogram with bounded relative error (3 significant digits,
/// i.e. ≤ 0.1 %) and an exact mean; memory grows with the range of values
/// seen (logarithmically), never with their count.
///
/// While it holds at most [`FEW`] latencies it also keeps them as recorded,
/// so that its percentiles come from sorting those few instead of walking
/// every bucket up to the largest — the same values (a percentile is the
/// largest value of the bucket holding the latency of that rank), found in
/// time that grows with the count instead of the range. The one-second
/// histograms behind the time series are mostly like that.
#[derive(Debug, Clone)]
pub struct LatencyHistogram {
    /// Recorded latencies [µs].
    hist: Histogram<u64>,
    /// Exact sum of recorded latencies [ns], for the mean.
    sum_ns: u128,
    /// The recorded latencies [µs], unsorted, while there are at most
    /// [`FEW`] (and none was clamped); `None` once there were more.
    few: Option<Vec<u64>>,
}

/// Most latencies a [`LatencyHistogram`] keeps one by one.
pub const FEW: usize = 512;

impl Default for LatencyHistogram {
    fn default() -> Self {
        Self {
            hist: Histogram::new(3).expect("3 significant digits is a valid precision"),
            sum_ns: 0,
            few: Some(Vec::new()),
        }
    }
}

/// Latency figures of a set of requests [ms].
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
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
            self.few = None;
        }
        if let Some(few) = &mut self.few {
            if few.len() < FEW {
                few.push(us);
            } else {
                self.few = None;
            }
        }
        self.sum_ns += u128::from(latency);
    }

    /// Forgets every latency recorded, keeping the memory for reuse.
    pub fn clear(&mut self) {
        self.hist.reset();
        self.sum_ns = 0;
        match &mut self.few {
            Some(few) => few.clear(),
            None => self.few = Some(Vec::new()),
        }
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
        self.few = match (self.few.take(), &other.few) {
            (Some(mut a), Some(b)) if a.len() + b.len() <= FEW => {
                a.extend_from_slice(b);
                Some(a)
            }
            _ => None,
        };
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
        const QS: [f64; 4] = [0.50, 0.95, 0.99, 0.999];
        let [p50, p95, p99, p999] = match &self.few {
            Some(few) => {
                let mut sorted = [0u64; FEW];
                let sorted = &mut sorted[..few.len()];
                sorted.copy_from_slice(few);
                sorted.sort_unstable();
                // The rank `value_at_quantile` looks for, 1-based.
                QS.map(|q| {
                    let rank = ((q * n as f64).ceil() as usize).clamp(1, sorted.len());
                    self.hist.highest_equivalent(sorted[rank - 1])
                })
            }
            None => {
                // One pass over the buckets for all four (the same values
                // as four `value_at_quantile` calls, which walk them four
                // times).
                let mut at = self.hist.value_at_quantiles(QS);
                QS.map(|_| at.next().unwrap_or(0))
            }
        }
        .map(|us| us as f64 / 1_000.0);
        LatencySummary {
            mean: self.sum_ns as f64 / n as f64 / 1e6,
            p50,
            p95,
            p99,
            p999,
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

    #[test]
    fn the_summary_gives_the_same_percentiles_as_one_quantile_at_a_time() {
        // A long tail over several decades, with repeated values.
        // Few latencies (sorted one by one), many (the buckets walked), and
        // merges of each; a long tail over several decades, with repeats.
        let mut x: u64 = 12_345;
        let mut draw = move || {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            1_000 + (x >> 40) * (x >> 58).pow(3)
        };
        let mut merged = LatencyHistogram::default();
        for n in [1, 2, 7, 100, FEW / 2, FEW, FEW + 1, 20_000] {
            let mut h = LatencyHistogram::default();
            for _ in 0..n {
                h.record(draw());
            }
            assert_eq!(h.few.is_some(), n <= FEW);
            merged.merge(&h);
            for h in [&h, &merged] {
                let s = h.summary();
                assert_eq!(
                    [s.p50, s.p95, s.p99, s.p999],
                    [0.50, 0.95, 0.99, 0.999].map(|q| h.quantile_ms(q)),
                    "{} latencies",
                    h.count()
                );
                assert!(s.p50 <= s.p95 && s.p95 <= s.p99 && s.p99 <= s.p999);
            }
        }
        let mut h = merged;
        h.clear();
        h.record(5_000_000);
        assert_eq!(h.summary().p50, h.quantile_ms(0.5));
        assert_eq!(h.count(), 1);
    }
}
