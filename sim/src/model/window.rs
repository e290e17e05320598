//! Figures over a window of simulated time: the last few seconds behind the
//! headline figures ("what is happening now"), or the window a lesson goal
//! declares ("from 60 s to 120 s").
//!
//! ```text
//!   counters:  snapshot at the window's end − snapshot at its start
//!   latency:   the per-second histograms of the intervals in between, merged
//!   state:     queues, roles, lag, cost — as they are at the window's end
//! ```
//!
//! Counts, sums and time integrals subtract exactly, so a figure over the
//! window is the same ratio the since-start figure is, of the window's
//! share of its parts. Percentiles do not subtract; they come from the
//! one-second histograms the time series is built from, so the window's
//! figures and the chart's points describe the same requests.

use super::report::{CacheFigures, DataFigures, NodeSnapshot, Snapshot};
use super::{Simulation, report::Breakdown};
use crate::metrics::LatencyHistogram;
use crate::time::{MILLISECOND, Nanos, to_secs};

/// Length of the recent window the headline figures cover [s].
pub const RECENT_S: u64 = 10;

/// Latencies of one sampling interval, or of several merged.
#[derive(Debug, Clone, Default)]
pub struct IntervalLatency {
    /// End of the (last) interval [ns].
    pub end: Nanos,
    /// Successful requests [ns].
    pub all: LatencyHistogram,
    /// Successful page reads [ns].
    pub read: LatencyHistogram,
    /// Successful writes [ns].
    pub write: LatencyHistogram,
    /// Largest staleness of a stale read [ns].
    pub max_staleness: Nanos,
}

impl IntervalLatency {
    /// Forgets every latency recorded, keeping the histograms' memory.
    pub fn clear(&mut self) {
        self.end = 0;
        self.all.clear();
        self.read.clear();
        self.write.clear();
        self.max_staleness = 0;
    }

    /// Adds `other`'s requests to these.
    pub fn merge(&mut self, other: &IntervalLatency) {
        self.end = self.end.max(other.end);
        self.all.merge(&other.all);
        self.read.merge(&other.read);
        self.write.merge(&other.write);
        self.max_staleness = self.max_staleness.max(other.max_staleness);
    }
}

fn ratio(num: u64, den: u64, empty: f64) -> f64 {
    if den == 0 {
        empty
    } else {
        num as f64 / den as f64
    }
}

impl Snapshot {
    /// The figures of the period from `earlier` to this snapshot, both
    /// taken from one run: counts and rates of what happened in between,
    /// latency percentiles from `latency` (that period's requests), and the
    /// state (queues, roles, lag, cost, monitoring) as it is now. If
    /// `earlier` lies before a measurement reset, the period is the one
    /// since the reset.
    pub fn over(&self, earlier: &Snapshot, latency: &IntervalLatency) -> Snapshot {
        let start = self.now_ns.saturating_sub(self.measured_ns);
        let earlier = if earlier.now_ns < start || earlier.now_ns > self.now_ns {
            &Snapshot::empty_at(start)
        } else {
            earlier
        };
        let window = self.now_ns - earlier.now_ns;
        let secs = to_secs(window.max(1));
        let sub = |a: u64, b: u64| a.saturating_sub(b);
        let mut errors = self.errors;
        errors.subtract(&earlier.errors);
        let completed = sub(self.completed, earlier.completed);
        let answered = completed + errors.total();
        let (t, e) = (&self.totals, &earlier.totals);
        let per = |a: u128, b: u128| {
            if completed == 0 {
                0.0
            } else {
                a.saturating_sub(b) as f64 / completed as f64 / MILLISECOND as f64
            }
        };
        let nodes: Vec<NodeSnapshot> = self
            .nodes
            .iter()
            .map(|n| match earlier.nodes.iter().find(|m| m.id == n.id) {
                Some(m) => n.over(m, window),
                None => n.clone(),
            })
            .collect();
        let hit_rate = |kind: crate::catalog::Kind| {
            let (hits, lookups) = nodes
                .iter()
                .filter(|n| n.kind == kind)
                .filter_map(|n| n.cache)
                .fold((0, 0), |(h, l), c| (h + c.hits, l + c.hits + c.misses));
            ratio(hits, lookups, 0.0)
        };
        let (d, o) = (&self.data, &earlier.data);
        let stale = sub(d.stale_reads, o.stale_reads);
        let incorrect = sub(d.stale_incorrect, o.stale_incorrect)
            + sub(d.lost_reads, o.lost_reads)
            + sub(d.lost_writes, o.lost_writes);
        let window_start_s = to_secs(earlier.now_ns);
        let data = DataFigures {
            reads: sub(d.reads, o.reads),
            stale_reads: stale,
            stale_incorrect: sub(d.stale_incorrect, o.stale_incorrect),
            lost_reads: sub(d.lost_reads, o.lost_reads),
            mean_staleness_ms: if stale == 0 {
                0.0
            } else {
                t.staleness_ns.saturating_sub(e.staleness_ns) as f64
                    / stale as f64
                    / MILLISECOND as f64
            },
            max_staleness_ms: latency.max_staleness as f64 / MILLISECOND as f64,
            read_backs: sub(d.read_backs, o.read_backs),
            own_write_misses: sub(d.own_write_misses, o.own_write_misses),
            writes: sub(d.writes, o.writes),
            lost_writes: sub(d.lost_writes, o.lost_writes),
            lost_keys: d.lost_keys.clone(),
            reliability: if completed == 0 {
                1.0
            } else {
                completed.saturating_sub(incorrect) as f64 / completed as f64
            },
            max_lag_s: d.max_lag_s,
            last_stale: d.last_stale.clone().filter(|s| s.at_s >= window_start_s),
            cache_hit_rate: hit_rate(crate::catalog::Kind::Cache),
            cdn_hit_rate: hit_rate(crate::catalog::Kind::Cdn),
        };
        let intervals = sub(t.intervals, e.intervals);
        Snapshot {
            monitoring: self.monitoring.clone(),
            now_ns: self.now_ns,
            measured_ns: window,
            arrivals: sub(self.arrivals, earlier.arrivals),
            completed,
            errors,
            in_flight: self.in_flight,
            throughput_rps: completed as f64 / secs,
            error_rate: ratio(errors.total(), answered, 0.0),
            availability: ratio(completed, answered, 1.0),
            uptime: ratio(sub(t.up_intervals, e.up_intervals), intervals, 1.0),
            latency_ms: latency.all.summary(),
            breakdown_ms: Breakdown {
                network: per(t.net_ns, e.net_ns),
                dns: per(t.dns_ns, e.dns_ns),
                queue: per(t.queue_ns, e.queue_ns),
                service: per(t.service_ns, e.service_ns),
            },
            read_latency_ms: latency.read.summary(),
            write_latency_ms: latency.write.summary(),
            data,
            sessions_lost: sub(self.sessions_lost, earlier.sessions_lost),
            cost_per_month: self.cost_per_month,
            nodes,
            events: sub(self.events, earlier.events),
            latency_sum_ns: latency.all.sum_ns(),
            totals: super::report::Totals {
                net_ns: t.net_ns.saturating_sub(e.net_ns),
                dns_ns: t.dns_ns.saturating_sub(e.dns_ns),
                queue_ns: t.queue_ns.saturating_sub(e.queue_ns),
                service_ns: t.service_ns.saturating_sub(e.service_ns),
                intervals,
                up_intervals: sub(t.up_intervals, e.up_intervals),
                staleness_ns: t.staleness_ns.saturating_sub(e.staleness_ns),
            },
        }
    }

    /// A snapshot of nothing measured yet, at `now` [ns].
    fn empty_at(now: Nanos) -> Snapshot {
        Snapshot {
            monitoring: None,
            now_ns: now,
            measured_ns: 0,
            arrivals: 0,
            completed: 0,
            errors: Default::default(),
            in_flight: 0,
            throughput_rps: 0.0,
            error_rate: 0.0,
            availability: 1.0,
            uptime: 1.0,
            latency_ms: Default::default(),
            breakdown_ms: Default::default(),
            read_latency_ms: Default::default(),
            write_latency_ms: Default::default(),
            data: DataFigures::default(),
            sessions_lost: 0,
            cost_per_month: 0.0,
            nodes: Vec::new(),
            events: 0,
            latency_sum_ns: 0,
            totals: Default::default(),
        }
    }
}

impl NodeSnapshot {
    /// This node's figures over the `window` [ns] since `earlier` (the same
    /// node's snapshot at the window's start).
    fn over(&self, earlier: &NodeSnapshot, window: Nanos) -> NodeSnapshot {
        let sub = |a: u64, b: u64| a.saturating_sub(b);
        let (t, e) = (&self.totals, &earlier.totals);
        let mut n = self.clone();
        n.served = sub(self.served, earlier.served);
        n.dropped = sub(self.dropped, earlier.dropped);
        n.errors = sub(self.errors, earlier.errors);
        let slots = t.slot_area - e.slot_area;
        n.utilization = if slots > 0.0 {
            ((t.busy_area - e.busy_area) / slots).clamp(0.0, 1.0)
        } else {
            0.0
        };
        n.mean_queue = if window > 0 {
            (t.queue_area - e.queue_area).max(0.0) / window as f64
        } else {
            0.0
        };
        let visits = sub(t.visits, e.visits);
        n.mean_wait_ms = if visits > 0 {
            (t.waited_ns - e.waited_ns).max(0.0) / visits as f64 / 1e6
        } else {
            0.0
        };
        n.mean_busy_ms = if n.served > 0 {
            (t.held_ns - e.held_ns).max(0.0) / n.served as f64 / 1e6
        } else {
            0.0
        };
        if let (Some(c), Some(o)) = (self.cache, earlier.cache) {
            n.cache = Some(CacheFigures::new(
                sub(c.hits, o.hits),
                sub(c.misses, o.misses),
                c.held,
                sub(c.evictions, o.evictions),
                sub(c.expirations, o.expirations),
                sub(c.coalesced, o.coalesced),
                sub(c.duplicate_misses, o.duplicate_misses),
            ));
        }
        if let (Some(q), Some(o)) = (self.queue.as_ref(), earlier.queue.as_ref()) {
            let mut w = *q;
            w.enqueued = sub(q.enqueued, o.enqueued);
            w.completed = sub(q.completed, o.completed);
            w.redelivered = sub(q.redelivered, o.redelivered);
            w.duplicates = sub(q.duplicates, o.duplicates);
            w.dead_lettered = sub(q.dead_lettered, o.dead_lettered);
            w.lost = sub(q.lost, o.lost);
            w.refused = sub(q.refused, o.refused);
            n.queue = Some(w);
        }
        if let (Some(p), Some(o)) = (self.pool.as_ref(), earlier.pool.as_ref()) {
            let mut w = *p;
            w.processed = sub(p.processed, o.processed);
            w.failed = sub(p.failed, o.failed);
            w.utilization = n.utilization;
            n.pool = Some(w);
        }
        if self.shard_queries.len() == earlier.shard_queries.len() {
            n.shard_queries = self
                .shard_queries
                .iter()
                .zip(&earlier.shard_queries)
                .map(|(a, b)| a.saturating_sub(*b))
                .collect();
        }
        n.totals = super::report::NodeTotals {
            busy_area: t.busy_area - e.busy_area,
            slot_area: slots,
            queue_area: t.queue_area - e.queue_area,
            waited_ns: t.waited_ns - e.waited_ns,
            visits,
            held_ns: t.held_ns - e.held_ns,
        };
        n
    }
}

/// Measures one window of a run: started at one moment, collecting each
/// second's latencies as the run passes them, finished at another.
///
/// ```
/// use scalesim::{DesignDoc, Simulation, time::SECOND};
/// use scalesim::model::Meter;
///
/// let doc = DesignDoc::from_json(r#"{"version": 1, "nodes": [
///   {"id": "users-1", "kind": "users", "params": {"rate_rps": 100}},
///   {"id": "web-1", "kind": "web_server"}],
///   "edges": [{"from": "users-1", "to": "web-1"}]}"#).unwrap();
/// let mut sim = Simulation::from_doc(&doc).unwrap();
/// sim.run_until(5 * SECOND);
/// let mut meter = Meter::start(&sim);
/// for t in 6..=15 {
///     sim.run_until(t * SECOND);
///     meter.collect(&sim);
/// }
/// let window = meter.finish(&sim);
/// assert_eq!(window.measured_ns, 10 * SECOND);
/// assert!((window.throughput_rps - 100.0).abs() < 15.0);
/// ```
#[derive(Debug, Clone)]
pub struct Meter {
    base: Snapshot,
    latency: IntervalLatency,
    /// End of the last interval collected [ns].
    collected: Nanos,
}

impl Meter {
    /// Starts measuring now. Start on a whole second (a sampling
    /// boundary) so the window's counts and latencies cover the same
    /// requests.
    pub fn start(sim: &Simulation) -> Meter {
        Meter {
            base: sim.snapshot_counters(),
            latency: IntervalLatency::default(),
            collected: sim.now(),
        }
    }

    /// Takes in the latencies of the intervals that ended since the last
    /// call. Call it at least every [`RECENT_S`] simulated seconds.
    pub fn collect(&mut self, sim: &Simulation) {
        for i in sim.recent_intervals() {
            if i.end > self.collected {
                self.latency.merge(i);
                self.collected = i.end;
            }
        }
    }

    /// The figures from the start until now.
    pub fn finish(&mut self, sim: &Simulation) -> Snapshot {
        self.collect(sim);
        sim.snapshot().over(&self.base, &self.latency)
    }

    /// When the window started [ns].
    pub fn started(&self) -> Nanos {
        self.base.now_ns
    }
}
