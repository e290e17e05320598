//! Confidence intervals by the method of batch means: the measured period
//! is cut into equal batches, each batch's mean is one observation, and a
//! Student-t interval is put around their average. Batches long compared to
//! the system's memory are nearly independent, which individual requests
//! (queued behind each other) are not.

use crate::model::{Simulation, Snapshot};
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
    let mut run = BatchRun::new(warmup, duration, batches);
    while !run.advance(sim, u64::MAX) {}
    run.report()
}

/// [`run_batches`] in steps of a bounded number of events, so a caller can
/// show progress, estimate how long the rest will take, or stop early with
/// the batches so far. Stepping does not change the result: the same
/// events run in the same order whatever the steps.
#[derive(Debug, Clone)]
pub struct BatchRun {
    warmup: Nanos,
    /// One batch's length [ns].
    step: Nanos,
    batches: u64,
    /// Batches measured so far.
    done: u64,
    /// Whether the warm-up is over (and measurement restarted).
    warmed: bool,
    /// The figures at the end of the last batch.
    prev: Option<Snapshot>,
    latency: Vec<f64>,
    throughput: Vec<f64>,
}

impl BatchRun {
    /// A run of `warmup`, then `duration` [ns] measured in `batches` (≥ 2).
    pub fn new(warmup: Nanos, duration: Nanos, batches: u32) -> Self {
        let batches = u64::from(batches.max(2));
        Self {
            warmup,
            step: (duration / batches).max(1),
            batches,
            done: 0,
            warmed: false,
            prev: None,
            latency: Vec::new(),
            throughput: Vec::new(),
        }
    }

    /// Advances `sim` by at most `max_events` events; returns whether the
    /// whole run is done.
    pub fn advance(&mut self, sim: &mut Simulation, max_events: u64) -> bool {
        let mut budget = max_events;
        let run_to = |sim: &mut Simulation, t: Nanos, budget: &mut u64| {
            let before = sim.events_processed();
            let reached = sim.run_until_bounded(t, *budget);
            *budget = budget.saturating_sub(sim.events_processed() - before);
            reached
        };
        if !self.warmed {
            if !run_to(sim, self.warmup, &mut budget) {
                return false;
            }
            sim.reset_measurements();
            self.warmed = true;
            self.prev = Some(sim.snapshot());
        }
        while self.done < self.batches {
            if !run_to(sim, self.warmup + self.step * (self.done + 1), &mut budget) {
                return false;
            }
            let s = sim.snapshot();
            if let Some(prev) = &self.prev {
                let n = s.completed - prev.completed;
                if n > 0 {
                    let sum = s.latency_sum_ns - prev.latency_sum_ns;
                    self.latency.push(sum as f64 / n as f64 / 1e6);
                }
                self.throughput.push(n as f64 / to_secs(self.step));
            }
            self.prev = Some(s);
            self.done += 1;
        }
        true
    }

    /// The estimates from the batches measured so far (all of them once
    /// the run is done).
    pub fn report(&self) -> BatchReport {
        BatchReport {
            mean_latency_ms: estimate(&self.latency),
            throughput_rps: estimate(&self.throughput),
        }
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

    #[test]
    fn stepping_a_batch_run_gives_exactly_the_whole_runs_figures() {
        let doc = crate::design::DesignDoc::from_json(
            r#"{"version": 1, "seed": 7, "nodes": [
                {"id": "users-1", "kind": "users", "params": {"rate_rps": 300}},
                {"id": "web-1", "kind": "web_server"}],
              "edges": [{"from": "users-1", "to": "web-1"}]}"#,
        )
        .unwrap();
        let (warmup, duration) = (crate::time::from_secs(2.0), crate::time::from_secs(6.0));
        let mut whole = Simulation::from_doc(&doc).unwrap();
        let report = run_batches(&mut whole, warmup, duration, 5);
        let mut stepped = Simulation::from_doc(&doc).unwrap();
        let mut run = BatchRun::new(warmup, duration, 5);
        let mut steps = 0;
        while !run.advance(&mut stepped, 97) {
            steps += 1;
        }
        assert!(steps > 10, "the run should take many steps, took {steps}");
        assert_eq!(run.report(), report);
        let (a, b) = (whole.snapshot(), stepped.snapshot());
        assert_eq!(a.completed, b.completed);
        assert_eq!(a.events, b.events);
        assert_eq!(
            serde_json::to_string(&a).unwrap(),
            serde_json::to_string(&b).unwrap()
        );
    }
}
