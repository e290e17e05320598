//! Measurement: counters since the start of measurement, the time series
//! sampled every second, the recent window, snapshots, what the canvas
//! draws (loads, dots) and what the design costs.

use super::{
    Breakdown, BreakerState, CallSnapshot, DataFigures, DbRole, Dot, DotKind, ErrorCounts, Event,
    INTERNAL_LATENCY, IntervalLatency, Journey, Load, LogEntry, RECENT_S, SeriesPoint, Simulation,
    Snapshot, StaleRead, Totals, data, key_name, kinds, report,
};
use crate::catalog::{HOURS_PER_MONTH, Kind};
use crate::metrics::LatencyHistogram;
use crate::time::{MILLISECOND, Nanos, SECOND, to_secs};
use data::Freshness;
use kinds::NodeState;
use std::collections::VecDeque;

/// Interval of the time series [ns].
pub const SAMPLE_INTERVAL: Nanos = SECOND;

/// Most time-series points kept (about 28 hours at one per second).
pub const SERIES_CAPACITY: usize = 100_000;

/// Counters since the start of measurement.
#[derive(Debug, Clone, Default)]
pub(super) struct Stats {
    pub(super) since: Nanos,
    /// Events processed before measurement started.
    pub(super) events_before: u64,
    pub(super) arrivals: u64,
    pub(super) completed: u64,
    pub(super) errors: ErrorCounts,
    pub(super) latency: LatencyHistogram,
    pub(super) net_ns: u128,
    pub(super) dns_ns: u128,
    pub(super) queue_ns: u128,
    pub(super) service_ns: u128,
    pub(super) sessions_lost: u64,
    pub(super) windows: u64,
    pub(super) up_windows: u64,
    pub(super) data: DataStats,
    pub(super) read_latency: LatencyHistogram,
    pub(super) write_latency: LatencyHistogram,
}

/// Correctness counters of successful requests.
#[derive(Debug, Clone, Default)]
pub(super) struct DataStats {
    pub(super) reads: u64,
    pub(super) stale: u64,
    pub(super) stale_incorrect: u64,
    pub(super) lost_reads: u64,
    pub(super) staleness_ns: u128,
    pub(super) max_staleness: Nanos,
    pub(super) read_backs: u64,
    pub(super) own_write_misses: u64,
    pub(super) writes: u64,
    pub(super) lost_writes: u64,
}

/// Counters of the current time-series interval.
#[derive(Debug, Clone, Default)]
pub(super) struct Window {
    pub(super) completed: u64,
    pub(super) errors: u64,
    pub(super) incorrect: u64,
    pub(super) cache_hits: u64,
    pub(super) cache_lookups: u64,
    pub(super) cdn_hits: u64,
    pub(super) cdn_lookups: u64,
    /// Latencies of the interval's successes (all, reads, writes).
    pub(super) latency: IntervalLatency,
}

impl Window {
    /// An empty window whose latencies go into `latency` (already empty).
    fn with(latency: IntervalLatency) -> Window {
        Window {
            completed: 0,
            errors: 0,
            incorrect: 0,
            cache_hits: 0,
            cache_lookups: 0,
            cdn_hits: 0,
            cdn_lookups: 0,
            latency,
        }
    }
}

/// Most lost records listed in a [`Snapshot`].
pub const LOST_KEYS_KEPT: usize = 100;

/// Share of `completed` answers that were correct, 0..=1 (1 with none).
pub(super) fn reliability(completed: u64, incorrect: u64) -> f64 {
    if completed == 0 {
        1.0
    } else {
        completed.saturating_sub(incorrect) as f64 / completed as f64
    }
}

impl Simulation {
    /// Requests users have sent and not yet had answered (calls servers
    /// make for them are not counted again).
    pub(in crate::model) fn users_waiting(&self) -> u64 {
        self.live - self.live_calls
    }

    /// Events processed so far.
    pub fn events_processed(&self) -> u64 {
        self.processed
    }

    /// Starts measuring afresh from now: counters, histograms and node
    /// figures restart, the system's state (queues, caches, sessions) stays.
    /// Used to leave out a warm-up period.
    pub fn reset_measurements(&mut self) {
        self.stats = Stats {
            since: self.now,
            events_before: self.processed,
            ..Stats::default()
        };
        self.lost_keys.clear();
        self.last_stale = None;
        self.recent.clear();
        if let Some(t) = &mut self.ticks {
            t.clear();
        }
        self.node_errors.iter_mut().for_each(|c| *c = 0);
        for n in &mut self.nodes {
            n.reset_measurements(self.now);
        }
    }

    pub(in crate::model) fn on_sample(&mut self) {
        // The interval leaving the recent ones lends its histograms to the
        // next: a new set would be allocated and grown again every second.
        let spare = if self.recent.len() == RECENT_S as usize {
            self.recent.pop_front()
        } else {
            None
        };
        let latency = match spare {
            Some(mut l) => {
                l.clear();
                l
            }
            None => IntervalLatency::default(),
        };
        let mut w = std::mem::replace(&mut self.window, Window::with(latency));
        let answered = w.completed + w.errors;
        let up = answered == 0 && self.users_waiting() == 0
            || answered > 0 && w.completed * 2 >= answered;
        self.stats.windows += 1;
        if up {
            self.stats.up_windows += 1;
        }
        if self.series.len() < SERIES_CAPACITY {
            let lat = w.latency.all.summary();
            self.series.push(SeriesPoint {
                t_s: to_secs(self.now),
                throughput_rps: w.completed as f64 / to_secs(SAMPLE_INTERVAL),
                error_rate: if answered == 0 {
                    0.0
                } else {
                    w.errors as f64 / answered as f64
                },
                p50_ms: lat.p50,
                p95_ms: lat.p95,
                p99_ms: lat.p99,
                answered,
                errors: w.errors,
                in_flight: self.users_waiting(),
                up,
                reliability: reliability(w.completed, w.incorrect),
                max_lag_s: self.max_lag_s(),
                cache_hit_rate: if w.cache_lookups == 0 {
                    0.0
                } else {
                    w.cache_hits as f64 / w.cache_lookups as f64
                },
                backlog: self.total_backlog(),
                cost_per_month: self.cost_per_month(),
            });
        }
        self.tick_incidents();
        w.latency.end = self.now;
        self.recent.push_back(w.latency);
        if let Some(mut ticks) = self.ticks.take() {
            if ticks.len() > RECENT_S as usize {
                ticks.pop_front();
            }
            ticks.push_back(self.snapshot_counters());
            self.ticks = Some(ticks);
        }
        self.events
            .schedule(self.now + SAMPLE_INTERVAL, Event::Sample);
    }

    /// Latencies of the last [`RECENT_S`] (at most) whole sampling
    /// intervals, oldest first.
    pub fn recent_intervals(&self) -> impl Iterator<Item = &IntervalLatency> {
        self.recent.iter()
    }

    /// Keeps (or stops keeping) the running totals of the last
    /// [`RECENT_S`] seconds, which [`Simulation::snapshot_recent`] needs.
    /// Off by default: headless runs measure their own windows.
    pub fn track_recent(&mut self, on: bool) {
        match (on, self.ticks.is_some()) {
            (true, false) => self.ticks = Some(VecDeque::with_capacity(RECENT_S as usize + 1)),
            (false, true) => self.ticks = None,
            _ => {}
        }
    }

    /// The figures of what is happening now: the last [`RECENT_S`] whole
    /// sampling intervals and the part of the current one that has passed
    /// (the whole run while it is shorter, or while recent tracking was not
    /// on long enough). At a sampling boundary this covers exactly the last
    /// [`RECENT_S`] points of the time series.
    pub fn snapshot_recent(&self) -> Snapshot {
        let full = self.ticks.as_ref().filter(|t| t.len() > RECENT_S as usize);
        let Some(base) = full.and_then(|t| t.front()) else {
            return self.snapshot();
        };
        let mut latency = IntervalLatency::default();
        for i in self.recent.iter().filter(|i| i.end > base.now_ns) {
            latency.merge(i);
        }
        latency.merge(&self.window.latency);
        self.snapshot().over(base, &latency)
    }

    /// The time series so far, one point per [`SAMPLE_INTERVAL`].
    pub fn series(&self) -> &[SeriesPoint] {
        &self.series
    }

    /// The event log, oldest first.
    pub fn log(&self) -> impl Iterator<Item = &LogEntry> {
        self.log.iter()
    }

    /// Every connection with a circuit breaker: (caller, dependency, state
    /// right now), by node index.
    pub fn breakers(&self) -> impl Iterator<Item = (usize, usize, BreakerState)> + '_ {
        self.nodes.iter().enumerate().flat_map(|(i, n)| {
            let calls = match n {
                NodeState::Station(s) => s.calls.as_slice(),
                _ => &[],
            };
            calls
                .iter()
                .filter(|c| c.has_breaker())
                .map(move |c| (i, c.to as usize, c.figures.breaker))
        })
    }

    /// A sample of recently finished requests with their routes.
    pub fn journeys(&self) -> impl Iterator<Item = &Journey> {
        self.journeys.iter()
    }

    /// The live load of node `node` (by index), if it has a worker pool:
    /// what the canvas draws on each node every frame, without the
    /// allocation of a full [`Snapshot`].
    pub fn load(&self, node: usize) -> Option<Load> {
        match self.nodes.get(node)? {
            NodeState::Station(s) => {
                let db = self.db_figures(node as u32);
                Some(Load {
                    busy: s.busy,
                    workers: s.workers,
                    queue_len: s.queue.len() as u32,
                    queue_capacity: s.capacity as u32,
                    up: s.up,
                    slow: s.slow,
                    role: db.map(|(master, _, _)| {
                        if master {
                            DbRole::Master
                        } else {
                            DbRole::Replica
                        }
                    }),
                    lag_s: db.map_or(0.0, |(_, _, lag)| lag),
                    behind_events: db.map_or(0, |(_, events, _)| events),
                    hit_rate: s
                        .cache
                        .as_ref()
                        .filter(|c| c.hits + c.misses > 0)
                        .map(|c| c.hits as f64 / (c.hits + c.misses) as f64),
                })
            }
            NodeState::Queue(q) => Some(Load {
                busy: 0,
                workers: 0,
                queue_len: q.visible.len() as u32,
                queue_capacity: q.capacity as u32,
                up: q.up,
                slow: 1.0,
                role: None,
                lag_s: 0.0,
                behind_events: 0,
                hit_rate: None,
            }),
            NodeState::Workers(w) => {
                let f = w.figures(self.now);
                Some(Load {
                    busy: f.busy,
                    workers: f.slots,
                    queue_len: 0,
                    queue_capacity: 0,
                    up: w.up,
                    slow: 1.0,
                    role: None,
                    lag_s: 0.0,
                    behind_events: 0,
                    hit_rate: None,
                })
            }
            _ => None,
        }
    }

    /// A cache's (or CDN's) hit rate over the recent window (see
    /// [`Simulation::snapshot_recent`]), 0..=1; `None` for other nodes or
    /// with no lookups in the window.
    pub fn recent_hit_rate(&self, node: usize) -> Option<f64> {
        let (hits, misses) = match self.nodes.get(node)? {
            NodeState::Station(s) => s.cache.as_ref().map(|c| (c.hits, c.misses))?,
            NodeState::Cdn(c) => (c.hits, c.misses),
            _ => return None,
        };
        let base = self
            .ticks
            .as_ref()
            .filter(|t| t.len() > RECENT_S as usize)
            .and_then(|t| t.front())
            .and_then(|b| b.nodes.iter().find(|n| n.id == self.ids[node]))
            .and_then(|n| n.cache)
            .map_or((0, 0), |c| (c.hits, c.misses));
        let (h, m) = (hits.saturating_sub(base.0), misses.saturating_sub(base.1));
        (h + m > 0).then(|| h as f64 / (h + m) as f64)
    }

    /// Whether node `node` (by index) is up.
    pub fn is_up(&self, node: usize) -> bool {
        self.nodes.get(node).is_some_and(NodeState::is_up)
    }

    /// Writes a sample of at most `max` requests (and jobs) currently on a
    /// network hop into `out` (cleared first) and returns how many are on a
    /// hop in all. When there are more than `max`, exactly `max` are taken,
    /// spread evenly over all of them (the n-th is taken when n·max/total
    /// passes a whole number); `out` is reused, so no allocation happens
    /// once it has grown.
    pub fn sample_in_flight(&self, max: usize, out: &mut Vec<Dot>) -> u64 {
        out.clear();
        let now = self.now;
        let jobs = self.job_hops.iter().filter(|h| h.arrive() > now);
        let total = self.in_transit + jobs.clone().count() as u64;
        if max == 0 || total == 0 {
            return total;
        }
        // Bresenham: add `max` per candidate, take one per `total` gathered.
        let cap = max;
        let max = max as u64;
        let mut gathered = total.saturating_sub(max.min(total));
        let mut take = move || {
            gathered += max;
            if gathered >= total {
                gathered -= total;
                true
            } else {
                false
            }
        };
        for h in jobs {
            if take() && out.len() < cap {
                out.push(Dot {
                    from: h.from,
                    to: h.to,
                    progress: (now.saturating_sub(h.depart) as f64 / INTERNAL_LATENCY as f64)
                        as f32,
                    reply: h.reply,
                    failed: h.failed,
                    stale: false,
                    kind: DotKind::Job,
                    request: report::NO_REQUEST,
                    sent: h.depart,
                });
            }
        }
        for (i, r) in self.requests.iter().enumerate() {
            let Some(t) = r.transit.filter(|t| r.live && !t.hidden) else {
                continue;
            };
            if take() && out.len() < cap {
                let span = (t.arrive - t.depart).max(1) as f64;
                let progress = (self.now.saturating_sub(t.depart) as f64 / span).min(1.0);
                out.push(Dot {
                    from: t.from,
                    to: t.to,
                    progress: progress as f32,
                    reply: t.reply,
                    failed: r.error.is_some(),
                    stale: matches!(r.fresh, Some(Freshness::Stale(_) | Freshness::Lost)),
                    kind: r.kind.into(),
                    request: i as u32,
                    sent: r.created,
                });
            }
        }
        total
    }

    /// What the design costs [USD/month].
    pub fn cost_per_month(&self) -> f64 {
        self.nodes
            .iter()
            .enumerate()
            .filter(|(i, _)| !self.retired[*i])
            .map(|(_, n)| n.price_per_hour(self.now))
            .sum::<f64>()
            * HOURS_PER_MONTH
    }

    /// Every figure of the run so far (since the end of warm-up, if any).
    pub fn snapshot(&self) -> Snapshot {
        self.snapshot_inner(true)
    }

    /// The running totals of the run so far, without the latency
    /// percentiles (which take a while to compute): the base of a window
    /// (see [`Snapshot::over`]).
    pub fn snapshot_counters(&self) -> Snapshot {
        self.snapshot_inner(false)
    }

    pub(in crate::model) fn snapshot_inner(&self, summaries: bool) -> Snapshot {
        let summary = |h: &LatencyHistogram| {
            if summaries {
                h.summary()
            } else {
                Default::default()
            }
        };
        let st = &self.stats;
        let measured = self.now.saturating_sub(st.since);
        let elapsed = measured.max(1);
        let answered = st.completed + st.errors.total();
        let nodes = self
            .nodes
            .iter()
            .enumerate()
            .filter(|(i, _)| !self.retired[*i])
            .map(|(i, n)| {
                let mut snap = n.snapshot(&self.ids[i], self.kinds[i], self.now, elapsed);
                snap.errors = self.node_errors.get(i).copied().unwrap_or(0);
                if let Some((master, events, seconds)) = self.db_figures(i as u32) {
                    snap.role = Some(if master {
                        DbRole::Master
                    } else {
                        DbRole::Replica
                    });
                    snap.behind_events = events;
                    snap.behind_s = seconds;
                }
                if let NodeState::Station(s) = n {
                    snap.calls = s
                        .calls
                        .iter()
                        .map(|c| CallSnapshot {
                            to: self.ids[c.to as usize].clone(),
                            figures: c.figures,
                        })
                        .collect();
                }
                snap
            })
            .collect();
        let per = |ns: u128| {
            if st.completed == 0 {
                0.0
            } else {
                ns as f64 / st.completed as f64 / MILLISECOND as f64
            }
        };
        let ratio = |num: u64, den: u64, empty: f64| {
            if den == 0 {
                empty
            } else {
                num as f64 / den as f64
            }
        };
        Snapshot {
            now_ns: self.now,
            measured_ns: measured,
            arrivals: st.arrivals,
            completed: st.completed,
            errors: st.errors,
            in_flight: self.users_waiting(),
            throughput_rps: st.completed as f64 / to_secs(elapsed),
            error_rate: ratio(st.errors.total(), answered, 0.0),
            availability: ratio(st.completed, answered, 1.0),
            uptime: ratio(st.up_windows, st.windows, 1.0),
            latency_ms: summary(&st.latency),
            breakdown_ms: Breakdown {
                network: per(st.net_ns),
                dns: per(st.dns_ns),
                queue: per(st.queue_ns),
                service: per(st.service_ns),
            },
            read_latency_ms: summary(&st.read_latency),
            write_latency_ms: summary(&st.write_latency),
            data: self.data_figures(),
            sessions_lost: st.sessions_lost,
            cost_per_month: self.cost_per_month(),
            nodes,
            events: self.processed - self.stats.events_before,
            latency_sum_ns: st.latency.sum_ns(),
            monitoring: self.monitoring_figures(answered, st.errors.total()),
            totals: Totals {
                net_ns: st.net_ns,
                dns_ns: st.dns_ns,
                queue_ns: st.queue_ns,
                service_ns: st.service_ns,
                intervals: st.windows,
                up_intervals: st.up_windows,
                staleness_ns: st.data.staleness_ns,
            },
        }
    }

    /// Judges a read of `key` at version `version` answered by `node`, and
    /// keeps it as the latest example if it was not fresh.
    pub(in crate::model) fn judge_read(&mut self, key: u32, version: u64, node: u32) -> Freshness {
        let fresh = self.oracle.judge(key, version, self.now);
        let (staleness, lost) = match fresh {
            Freshness::Fresh => return fresh,
            Freshness::Stale(age) => (age, false),
            Freshness::Lost => (0, true),
        };
        self.last_stale = Some(StaleRead {
            key: key_name(key),
            read_version: version,
            newest_version: self.oracle.acked(key),
            served_by: self.ids[node as usize].clone(),
            staleness_ms: staleness as f64 / MILLISECOND as f64,
            lost,
            at_s: to_secs(self.now),
        });
        fresh
    }

    pub(in crate::model) fn data_figures(&self) -> DataFigures {
        let st = &self.stats;
        let d = &st.data;
        let incorrect = d.stale_incorrect + d.lost_reads + d.lost_writes;
        DataFigures {
            reads: d.reads,
            stale_reads: d.stale,
            stale_incorrect: d.stale_incorrect,
            lost_reads: d.lost_reads,
            mean_staleness_ms: if d.stale == 0 {
                0.0
            } else {
                d.staleness_ns as f64 / d.stale as f64 / MILLISECOND as f64
            },
            max_staleness_ms: d.max_staleness as f64 / MILLISECOND as f64,
            read_backs: d.read_backs,
            own_write_misses: d.own_write_misses,
            writes: d.writes,
            lost_writes: d.lost_writes,
            lost_keys: self.lost_keys.iter().map(|&k| key_name(k)).collect(),
            reliability: reliability(st.completed, incorrect),
            max_lag_s: self.max_lag_s(),
            last_stale: self.last_stale.clone(),
            cache_hit_rate: self.hit_rate(Kind::Cache),
            cdn_hit_rate: self.hit_rate(Kind::Cdn),
        }
    }
}
