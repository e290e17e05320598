//! Measurements taken from the requests themselves: counters and HDR
//! latency histograms.

use crate::time::Nanos;
use hdrhistogram::Histogram;
use serde::{Deserialize, Serialize};

/// A latency histogram with bounded relative error (3 significant digits,
/// i.e. ≤ 0.1 %) and an exact mean; memory grows with the range of values
/// seen (logarithmically), never with their count.
///
/// While it holds at most [`FEW`] latencies it keeps only them, as
/// recorded, and its HDR histogram stays empty: its percentiles come from
/// selecting among those few instead of walking every bucket up to the
/// largest, and clearing it does not zero every bucket — the same values (a
/// percentile is the largest value of the bucket holding the latency of
/// that rank), in time that grows with the count instead of the range. The
/// one-second histograms behind the time series are mostly like that. The
/// first latency past [`FEW`] moves them all into the HDR histogram.
#[derive(Debug, Clone)]
pub struct LatencyHistogram {
    /// Recorded latencies [µs]; empty while `few` holds them.
    hist: Histogram<u64>,
    /// Exact sum of recorded latencies [ns], for the mean.
    sum_ns: u128,
    /// The recorded latencies [µs], unsorted, while there are at most
    /// [`FEW`]; `None` once there were more (they are in `hist`).
    few: Option<Vec<u64>>,
}

/// Most latencies a [`LatencyHistogram`] keeps one by one.
pub const FEW: usize = 512;

/// Latencies above this [µs] (about 35 years) go straight to the HDR
/// histogram, which clamps what it cannot track.
const FEW_MAX_US: u64 = 1 << 50;

impl Default for LatencyHistogram {
    fn default() -> Self {
        Self {
            hist: Histogram::new(3).expect("3 significant digits is a valid precision"),
            sum_ns: 0,
            few: Some(Vec::new()),
        }
    }
}

/// The latencies of 1-based `ranks` (ascending) among the few latencies
/// (at most [`FEW`]), and the largest, by selection on a copy on the stack:
/// each rank narrows what is left to search, so four ranks cost less than
/// sorting (a summary is taken every simulated second).
fn at_ranks<const K: usize>(few: &[u64], ranks: [usize; K]) -> ([u64; K], u64) {
    let mut buf = [0u64; FEW];
    let all = &mut buf[..few.len()];
    all.copy_from_slice(few);
    let mut out = [0; K];
    // Everything before `from` is at most everything from it on.
    let mut from = 0;
    for (i, &rank) in ranks.iter().enumerate() {
        let index = rank - 1;
        if index < from {
            // The same rank as the one before.
            out[i] = out[i.saturating_sub(1)];
            continue;
        }
        let (_, v, _) = all[from..].select_nth_unstable(index - from);
        out[i] = *v;
        from = index + 1;
    }
    let largest = all[from..]
        .iter()
        .copied()
        .max()
        .unwrap_or_else(|| out.last().copied().unwrap_or(0));
    (out, largest)
}

/// The 1-based rank of percentile `q` (0..=1) among `n` ≥ 1 latencies:
/// ⌈q·n⌉, at least 1.
fn rank_of(q: f64, n: usize) -> usize {
    ((q.min(1.0) * n as f64).ceil() as usize).clamp(1, n)
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
        // Sub-microsecond latencies count as 1 µs.
        let us = (latency / 1_000).max(1);
        self.sum_ns += u128::from(latency);
        match &mut self.few {
            Some(few) if few.len() < FEW && us <= FEW_MAX_US => few.push(us),
            _ => {
                self.spill();
                self.record_us(us);
            }
        }
    }

    /// Records into the HDR histogram. `record` grows the (auto-resizing)
    /// histogram; it fails only on a value beyond its largest possible
    /// range, which is then clamped.
    fn record_us(&mut self, us: u64) {
        if self.hist.record(us).is_err() {
            self.hist.saturating_record(us);
        }
    }

    /// Moves the few latencies kept one by one into the HDR histogram.
    fn spill(&mut self) {
        if let Some(few) = self.few.take() {
            for us in few {
                self.record_us(us);
            }
        }
    }

    /// Forgets every latency recorded, keeping the memory for reuse.
    pub fn clear(&mut self) {
        self.sum_ns = 0;
        match &mut self.few {
            Some(few) => few.clear(),
            None => {
                self.hist.reset();
                self.few = Some(Vec::new());
            }
        }
    }

    /// Adds every latency recorded in `other` to this histogram.
    pub fn merge(&mut self, other: &LatencyHistogram) {
        if other.count() == 0 {
            return;
        }
        self.sum_ns += other.sum_ns;
        match (&mut self.few, &other.few) {
            (Some(a), Some(b)) if a.len() + b.len() <= FEW => a.extend_from_slice(b),
            (_, Some(b)) => {
                self.spill();
                for &us in b {
                    self.record_us(us);
                }
            }
            (_, None) => {
                self.spill();
                // Both auto-resize, so adding fails only beyond the largest
                // trackable value, which `record` has already clamped.
                let _ = self.hist.add(&other.hist);
            }
        }
    }

    /// Exact sum of recorded latencies [ns].
    pub fn sum_ns(&self) -> u128 {
        self.sum_ns
    }

    /// Number of recorded latencies.
    pub fn count(&self) -> u64 {
        match &self.few {
            Some(few) => few.len() as u64,
            None => self.hist.len(),
        }
    }

    /// The latency [ms] below which a share `q` (0..=1) of requests fall.
    pub fn quantile_ms(&self, q: f64) -> f64 {
        let us = match &self.few {
            Some(few) if few.is_empty() => return 0.0,
            Some(few) => {
                // As the HDR histogram gives it: the largest value of the
                // bucket holding the latency of rank ⌈q·n⌉ (for q = 0, the
                // smallest value of the first's).
                let ([us], _) = at_ranks(few, [rank_of(q, few.len())]);
                if q == 0.0 {
                    self.hist.lowest_equivalent(us)
                } else {
                    self.hist.highest_equivalent(us)
                }
            }
            None if self.hist.is_empty() => return 0.0,
            None => self.hist.value_at_quantile(q),
        };
        us as f64 / 1_000.0
    }

    /// Mean, percentiles and maximum [ms]; all 0 when empty.
    pub fn summary(&self) -> LatencySummary {
        let n = self.count();
        if n == 0 {
            return LatencySummary::default();
        }
        const QS: [f64; 4] = [0.50, 0.95, 0.99, 0.999];
        let ([p50, p95, p99, p999], max) = match &self.few {
            Some(few) => {
                let (at, largest) = at_ranks(few, QS.map(|q| rank_of(q, few.len())));
                (
                    at.map(|us| self.hist.highest_equivalent(us)),
                    self.hist.highest_equivalent(largest),
                )
            }
            None => {
                // One pass over the buckets for all four (the same values
                // as four `value_at_quantile` calls, which walk them four
                // times).
                let mut at = self.hist.value_at_quantiles(QS);
                (QS.map(|_| at.next().unwrap_or(0)), self.hist.max())
            }
        };
        let [p50, p95, p99, p999, max] = [p50, p95, p99, p999, max].map(|us| us as f64 / 1_000.0);
        LatencySummary {
            mean: self.sum_ns as f64 / n as f64 / 1e6,
            p50,
            p95,
            p99,
            p999,
            max,
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
    fn few_or_many_latencies_give_the_hdr_histograms_percentiles() {
        // Few latencies (kept one by one, ranks selected), many (in the HDR
        // histogram's buckets), and merges of each, against a plain HDR
        // histogram of the same latencies; a long tail over several
        // decades, with repeats.
        let mut x: u64 = 12_345;
        let mut draw = move || {
            x = x.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            1_000 + (x >> 40) * (x >> 58).pow(3)
        };
        let plain = || Histogram::<u64>::new(3).unwrap();
        let (mut merged, mut merged_ref) = (LatencyHistogram::default(), plain());
        let (mut mixed, mut mixed_ref) = (LatencyHistogram::default(), plain());
        let check = |h: &LatencyHistogram, r: &Histogram<u64>| {
            let s = h.summary();
            let qs = [0.50, 0.95, 0.99, 0.999];
            let want = qs.map(|q| r.value_at_quantile(q) as f64 / 1_000.0);
            assert_eq!(
                [s.p50, s.p95, s.p99, s.p999],
                want,
                "{} latencies",
                h.count()
            );
            assert_eq!(qs.map(|q| h.quantile_ms(q)), want);
            for q in [0.0, 0.001, 0.5, 1.0] {
                assert_eq!(
                    h.quantile_ms(q),
                    r.value_at_quantile(q) as f64 / 1_000.0,
                    "q {q}"
                );
            }
            assert_eq!(s.max, r.max() as f64 / 1_000.0);
            assert_eq!(h.count(), r.len());
        };
        for n in [1, 2, 7, 100, FEW / 2, FEW, FEW + 1, 20_000, 3] {
            let (mut h, mut r) = (LatencyHistogram::default(), plain());
            for _ in 0..n {
                let ns = draw();
                h.record(ns);
                r.record(ns / 1_000).unwrap();
            }
            assert_eq!(h.few.is_some(), n <= FEW);
            assert_eq!(h.hist.is_empty(), n <= FEW, "few are kept one by one only");
            check(&h, &r);
            merged.merge(&h);
            merged_ref.add(&r).unwrap();
            check(&merged, &merged_ref);
            // Merged into one that already holds many.
            mixed.merge(&h);
            mixed_ref.add(&r).unwrap();
            if n == 20_000 {
                mixed.merge(&merged);
                mixed_ref.add(&merged_ref).unwrap();
            }
            check(&mixed, &mixed_ref);
        }
        // A latency beyond what is kept one by one (over 2⁵⁰ µs) moves the
        // few into the HDR histogram at once.
        let (mut h, mut r) = (LatencyHistogram::default(), plain());
        for ns in [2_000_000, 3_000_000, (1 << 51) * 1_000] {
            h.record(ns);
            r.record(ns / 1_000).unwrap();
        }
        assert!(h.few.is_none());
        check(&h, &r);
        // Cleared, each starts again from nothing.
        for mut h in [merged, mixed] {
            h.clear();
            assert_eq!(h.count(), 0);
            assert_eq!(h.summary(), LatencySummary::default());
            h.record(5_000_000);
            let mut r = plain();
            r.record(5_000).unwrap();
            check(&h, &r);
        }
    }
}
