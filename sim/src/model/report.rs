//! What a simulation reports: snapshots, per-node figures, error counts,
//! time-series points, dots to draw.

use super::ErrorCause;
use crate::catalog::Kind;
use crate::metrics::LatencySummary;
use crate::time::Nanos;
use serde::{Deserialize, Serialize};

/// Counts of failed requests by cause: one count per [`ErrorCause`], in
/// the order of [`ErrorCause::ALL`]. Index it by cause
/// (`errors[ErrorCause::QueueFull]`); it serializes as an object keyed by
/// the cause's name (`{"queue_full": 3, …}`).
#[derive(Clone, Copy, Default, PartialEq, Eq)]
pub struct ErrorCounts([u64; ErrorCause::ALL.len()]);

impl ErrorCounts {
    /// All failed requests.
    pub fn total(&self) -> u64 {
        self.0.iter().sum()
    }

    /// The count for one cause.
    pub fn get(&self, cause: ErrorCause) -> u64 {
        self.0[cause as usize]
    }

    /// Each cause with its count, in report order.
    pub fn iter(&self) -> impl Iterator<Item = (ErrorCause, u64)> + '_ {
        ErrorCause::ALL.iter().map(|&c| (c, self.get(c)))
    }

    /// Takes `earlier`'s counts away (what happened since then).
    pub fn subtract(&mut self, earlier: &ErrorCounts) {
        for (n, e) in self.0.iter_mut().zip(earlier.0) {
            *n = n.saturating_sub(e);
        }
    }

    pub(crate) fn add(&mut self, cause: ErrorCause) {
        self.0[cause as usize] += 1;
    }
}

impl std::ops::Index<ErrorCause> for ErrorCounts {
    type Output = u64;

    fn index(&self, cause: ErrorCause) -> &u64 {
        &self.0[cause as usize]
    }
}

impl std::fmt::Debug for ErrorCounts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_map()
            .entries(self.iter().map(|(c, n)| (c.key(), n)))
            .finish()
    }
}

impl Serialize for ErrorCounts {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(Some(ErrorCause::ALL.len()))?;
        for (cause, n) in self.iter() {
            map.serialize_entry(cause.key(), &n)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for ErrorCounts {
    /// Reads the object [`Serialize`] writes; a cause it does not name
    /// counts 0, and a name that is no cause is refused.
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let by_name: Vec<(ErrorCause, u64)> = d.deserialize_map(PairsVisitor::default())?;
        let mut counts = ErrorCounts::default();
        for (cause, n) in by_name {
            counts.0[cause as usize] = n;
        }
        Ok(counts)
    }
}

/// Reads a map into its entries, in order.
struct PairsVisitor<K, V>(std::marker::PhantomData<(K, V)>);

impl<K, V> Default for PairsVisitor<K, V> {
    fn default() -> Self {
        PairsVisitor(std::marker::PhantomData)
    }
}

impl<'de, K: Deserialize<'de>, V: Deserialize<'de>> serde::de::Visitor<'de> for PairsVisitor<K, V> {
    type Value = Vec<(K, V)>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a map")
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut pairs = Vec::with_capacity(map.size_hint().unwrap_or(0));
        while let Some(pair) = map.next_entry()? {
            pairs.push(pair);
        }
        Ok(pairs)
    }
}

/// The kind of a request, drawn from the Users node's mix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    /// A page read: needs the user's session and one database query.
    Page,
    /// A write: needs the user's session and one database query.
    Write,
    /// A static file: no session, no database.
    Static,
}

impl RequestKind {
    /// Whether serving it needs the user's login session and the database.
    pub fn is_dynamic(self) -> bool {
        !matches!(self, RequestKind::Static)
    }
}

/// A request on a network hop, for drawing.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Dot {
    /// Index of the node the hop starts at.
    pub from: u32,
    /// Index of the node the hop ends at.
    pub to: u32,
    /// Share of the hop travelled, 0..=1.
    pub progress: f32,
    /// Whether this is a reply travelling back to the caller.
    pub reply: bool,
    /// Whether the request has already failed.
    pub failed: bool,
    /// Whether it carries a read older than what was acknowledged (stale,
    /// or from a lost write).
    pub stale: bool,
    /// What it carries.
    pub kind: DotKind,
    /// The request it is (see [`super::Simulation::journey_of`]), or
    /// [`NO_REQUEST`] for a job.
    pub request: u32,
    /// When that request was sent [ns]: with `request`, names it for good
    /// (a request's slot is reused once it is answered).
    pub sent: Nanos,
}

/// [`Dot::request`] of a dot that is not a user's request (a job).
pub const NO_REQUEST: u32 = u32::MAX;

/// What a dot carries: a user's request (by kind) or a background job on
/// its way from a queue to a worker (or the worker's acknowledgement back).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DotKind {
    /// A page read.
    Page,
    /// A write.
    Write,
    /// A static file.
    Static,
    /// A queued job (delivery or acknowledgement).
    Job,
}

impl From<RequestKind> for DotKind {
    fn from(k: RequestKind) -> Self {
        match k {
            RequestKind::Page => DotKind::Page,
            RequestKind::Write => DotKind::Write,
            RequestKind::Static => DotKind::Static,
        }
    }
}

/// How loaded a node with a worker pool is right now.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Load {
    /// Workers busy.
    pub busy: u32,
    /// Workers in all.
    pub workers: u32,
    /// Requests waiting in the queue.
    pub queue_len: u32,
    /// Queue capacity.
    pub queue_capacity: u32,
    /// Whether the node is up.
    pub up: bool,
    /// Service-time multiplier in force (1 = normal).
    pub slow: f64,
    /// A database's role right now.
    pub role: Option<DbRole>,
    /// A replica's lag right now [s].
    pub lag_s: f64,
    /// A replica's binlog events not yet applied.
    pub behind_events: u64,
    /// A cache's hit rate so far, 0..=1 (`None` for other nodes or before
    /// any lookup).
    pub hit_rate: Option<f64>,
}

/// Per-node figures since the start (or the end of warm-up).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NodeSnapshot {
    /// Node id.
    #[serde(skip)]
    pub id: String,
    /// Node kind.
    pub kind: Kind,
    /// Whether the node is up.
    pub up: bool,
    /// Workers busy right now.
    pub busy: u32,
    /// Workers in all; 0 for nodes without a pool.
    pub workers: u32,
    /// Requests waiting in the queue right now.
    pub queue_len: u32,
    /// Queue capacity; 0 for nodes without a queue.
    pub queue_capacity: u32,
    /// Requests this node finished.
    pub served: u64,
    /// Requests this node rejected because its queue was full.
    pub dropped: u64,
    /// Requests this node answered with an error, whether it failed them
    /// itself or a node it called did.
    pub errors: u64,
    /// Mean share of workers busy, 0..=1.
    pub utilization: f64,
    /// Time-averaged number of requests waiting in the queue.
    pub mean_queue: f64,
    /// Mean time a request waited in this node's queue [ms].
    pub mean_wait_ms: f64,
    /// Mean time a request held a worker here, including waiting for its
    /// own calls to other nodes [ms].
    pub mean_busy_ms: f64,
    /// Login sessions held in memory right now.
    pub sessions: u64,
    /// What this node costs [USD/month].
    pub cost_per_month: f64,
    /// A database's role right now (a promoted replica is a master).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<DbRole>,
    /// A replica's binlog events not yet applied.
    pub behind_events: u64,
    /// A replica's lag: age of the oldest write it has not applied [s].
    pub behind_s: f64,
    /// A cache's or CDN's figures.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cache: Option<CacheFigures>,
    /// A message queue's figures.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub queue: Option<QueueFigures>,
    /// A worker pool's figures.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pool: Option<WorkerFigures>,
    /// A shard router's queries per shard, in the order of its edges.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub shard_queries: Vec<u64>,
    /// A shard router's latest resharding, if its shards changed while it
    /// ran.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reshard: Option<super::ReshardFigures>,
    /// A web server's calls under a policy, one per connection that has one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub calls: Vec<CallSnapshot>,
    /// The running totals the ratios above come from, so that figures over
    /// a window can be taken as the difference of two snapshots.
    #[serde(skip)]
    pub totals: NodeTotals,
}

impl NodeSnapshot {
    /// A node's figures with nothing counted yet: the ones every kind has
    /// (`cost_per_month` in USD/month), the rest zero or absent.
    pub(crate) fn new(id: &str, kind: Kind, up: bool, cost_per_month: f64) -> Self {
        NodeSnapshot {
            id: id.to_string(),
            kind,
            up,
            busy: 0,
            workers: 0,
            queue_len: 0,
            queue_capacity: 0,
            served: 0,
            dropped: 0,
            errors: 0,
            utilization: 0.0,
            mean_queue: 0.0,
            mean_wait_ms: 0.0,
            mean_busy_ms: 0.0,
            sessions: 0,
            cost_per_month,
            role: None,
            behind_events: 0,
            behind_s: 0.0,
            cache: None,
            queue: None,
            pool: None,
            shard_queries: Vec::new(),
            calls: Vec::new(),
            reshard: None,
            totals: Default::default(),
        }
    }
}

/// A node's running totals since the start of measurement: what its
/// utilization, mean queue and mean wait are ratios of.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct NodeTotals {
    /// Worker-time spent busy [worker·ns].
    pub busy_area: f64,
    /// Worker-time available [worker·ns].
    pub slot_area: f64,
    /// Time integral of the queue length [request·ns].
    pub queue_area: f64,
    /// Time requests waited for a worker, summed [ns].
    pub waited_ns: f64,
    /// Requests that started service.
    pub visits: u64,
    /// Time requests held a worker, summed [ns].
    pub held_ns: f64,
}

/// A web server's calls to one dependency under its connection's policy.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CallSnapshot {
    /// The dependency's id.
    pub to: String,
    /// What the caller did and saw.
    #[serde(flatten)]
    pub figures: super::CallFigures,
}

/// A message queue right now and since the start of measurement.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct QueueFigures {
    /// Jobs waiting for a worker.
    pub backlog: u64,
    /// Jobs delivered and not yet acknowledged.
    pub in_flight: u64,
    /// Age of the oldest waiting job [s].
    pub oldest_age_s: f64,
    /// Jobs accepted.
    pub enqueued: u64,
    /// Jobs acknowledged as done (and removed).
    pub completed: u64,
    /// Deliveries that timed out and were made visible again.
    pub redelivered: u64,
    /// Deliveries finished after their timeout: work done twice.
    pub duplicates: u64,
    /// Jobs moved to the dead-letter queue after too many attempts.
    pub dead_lettered: u64,
    /// Jobs lost when a non-durable queue crashed.
    pub lost: u64,
    /// Jobs refused because the queue was full.
    pub refused: u64,
}

/// A worker pool right now and since the start of measurement.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct WorkerFigures {
    /// Machines (including those starting).
    pub instances: u32,
    /// Machines still starting.
    pub starting: u32,
    /// Jobs being worked on.
    pub busy: u32,
    /// Jobs the machines can work on at once.
    pub slots: u32,
    /// Time-averaged busy ÷ slots, 0..=1.
    pub utilization: f64,
    /// Jobs finished successfully.
    pub processed: u64,
    /// Attempts that failed.
    pub failed: u64,
    /// What the machines cost at the current count [USD/month].
    pub cost_per_month: f64,
}

/// What a cache or CDN edge did since the start of measurement.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CacheFigures {
    /// Lookups answered from the cache.
    pub hits: u64,
    /// Lookups that went on to the database (or origin).
    pub misses: u64,
    /// hits ÷ (hits + misses), 0..=1 (0 with no lookups).
    pub hit_rate: f64,
    /// Records (files) held right now.
    pub held: u64,
    /// Records evicted to make room.
    pub evictions: u64,
    /// Records found expired.
    pub expirations: u64,
    /// Lookups that waited for another reader's fill (coalescing).
    pub coalesced: u64,
    /// Misses on a record whose fill was already on its way (a stampede).
    pub duplicate_misses: u64,
}

impl CacheFigures {
    pub(crate) fn new(
        hits: u64,
        misses: u64,
        held: u64,
        evictions: u64,
        expirations: u64,
        coalesced: u64,
        duplicate_misses: u64,
    ) -> Self {
        let lookups = hits + misses;
        CacheFigures {
            hits,
            misses,
            hit_rate: if lookups == 0 {
                0.0
            } else {
                hits as f64 / lookups as f64
            },
            held,
            evictions,
            expirations,
            coalesced,
            duplicate_misses,
        }
    }
}

/// One read that returned an old version: "read v41 of user:7 from db-2;
/// v43 was acknowledged".
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StaleRead {
    /// The record (`user:7`).
    pub key: String,
    /// The version the read returned.
    pub read_version: u64,
    /// The newest version acknowledged when it was read.
    pub newest_version: u64,
    /// The node that answered (a replica or cache).
    pub served_by: String,
    /// How long ago the first newer version was acknowledged [ms].
    pub staleness_ms: f64,
    /// Whether the newest version was lost in a failover.
    pub lost: bool,
    /// When it was read [s].
    pub at_s: f64,
}

/// A database's role in its replication group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DbRole {
    /// Takes writes.
    Master,
    /// Serves reads, applying the master's binlog.
    Replica,
}

/// Correctness of the data: reads judged against acknowledged writes, and
/// the ledger of acknowledged writes lost in failovers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DataFigures {
    /// Successful reads of a record.
    pub reads: u64,
    /// Reads that returned an older version than the newest acknowledged.
    pub stale_reads: u64,
    /// Stale reads beyond the Users node's allowed staleness.
    pub stale_incorrect: u64,
    /// Reads answered from data that lost an acknowledged write.
    pub lost_reads: u64,
    /// Mean staleness of stale reads [ms].
    pub mean_staleness_ms: f64,
    /// Largest staleness seen [ms].
    pub max_staleness_ms: f64,
    /// Reads of a record the same user had just written.
    pub read_backs: u64,
    /// Read-backs that did not show the user's own write.
    pub own_write_misses: u64,
    /// Writes acknowledged to users.
    pub writes: u64,
    /// Acknowledged writes lost in failovers (the ledger's count).
    pub lost_writes: u64,
    /// Records of the latest lost writes, oldest first (`user:7`).
    pub lost_keys: Vec<String>,
    /// Share of successful answers that were also correct: not stale
    /// beyond the bound, not from lost data, and (for writes) not lost
    /// later, 0..=1.
    pub reliability: f64,
    /// Largest replication lag of any live replica right now [s].
    pub max_lag_s: f64,
    /// The latest read that was not fresh, for showing one concretely.
    pub last_stale: Option<StaleRead>,
    /// Share of cache lookups answered by caches, 0..=1 (0 with none).
    pub cache_hit_rate: f64,
    /// Share of static requests the CDN answered from its edges, 0..=1.
    pub cdn_hit_rate: f64,
}

/// Where the time of a successful request went, on average [ms].
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
pub struct Breakdown {
    /// On the network, including the DNS round trip.
    pub network: f64,
    /// Inside DNS servers, looking up.
    pub dns: f64,
    /// Waiting in queues.
    pub queue: f64,
    /// Being processed.
    pub service: f64,
}

/// One point of the time series: figures over one sampling interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct SeriesPoint {
    /// End of the interval [s].
    pub t_s: f64,
    /// Successful answers per second in the interval [req/s].
    pub throughput_rps: f64,
    /// Share of answers in the interval that were errors, 0..=1.
    pub error_rate: f64,
    /// Median latency of successes in the interval [ms].
    pub p50_ms: f64,
    /// 95th-percentile latency [ms].
    pub p95_ms: f64,
    /// 99th-percentile latency [ms].
    pub p99_ms: f64,
    /// Requests answered in the interval (successes and errors).
    pub answered: u64,
    /// Requests that failed in the interval.
    pub errors: u64,
    /// Requests sent but not answered at the end of the interval.
    pub in_flight: u64,
    /// Whether the service counted as up in this interval (see
    /// [`Snapshot::uptime`]).
    pub up: bool,
    /// Share of the interval's successes that were correct, 0..=1.
    pub reliability: f64,
    /// Largest replication lag at the end of the interval [s].
    pub max_lag_s: f64,
    /// Share of the interval's cache lookups that hit, 0..=1.
    pub cache_hit_rate: f64,
    /// Jobs waiting in queues at the end of the interval.
    pub backlog: u64,
    /// What the design costs at the end of the interval [USD/month]
    /// (autoscaled machines included).
    pub cost_per_month: f64,
}

/// Figures of the whole run so far (since the end of warm-up, if any).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    /// What the monitoring node knows, if the design has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub monitoring: Option<super::MonitoringFigures>,
    /// Simulated time [ns].
    pub now_ns: Nanos,
    /// Simulated time the figures cover [ns].
    pub measured_ns: Nanos,
    /// Requests sent by users.
    pub arrivals: u64,
    /// Requests answered successfully and in time.
    pub completed: u64,
    /// Requests that failed, by cause.
    pub errors: ErrorCounts,
    /// Requests sent but not yet answered.
    pub in_flight: u64,
    /// Successful answers per second [req/s].
    pub throughput_rps: f64,
    /// Share of answered requests that failed, 0..=1.
    pub error_rate: f64,
    /// Share of answered requests answered correctly and in time, 0..=1.
    pub availability: f64,
    /// Share of sampling intervals in which the service was up: something
    /// was answered and at least half of the answers were successes (an
    /// interval with no traffic at all counts as up), 0..=1.
    pub uptime: f64,
    /// Latency of successful requests, from the user's send to the user's
    /// receipt of the answer [ms].
    pub latency_ms: LatencySummary,
    /// Where that latency went, on average.
    pub breakdown_ms: Breakdown,
    /// Latency of successful page reads [ms].
    pub read_latency_ms: LatencySummary,
    /// Latency of successful writes [ms].
    pub write_latency_ms: LatencySummary,
    /// Correctness of the data.
    pub data: DataFigures,
    /// Login sessions lost to crashes.
    pub sessions_lost: u64,
    /// What the design costs [USD/month].
    pub cost_per_month: f64,
    /// Per-node figures, in design order (written as an object keyed by
    /// node id).
    #[serde(serialize_with = "nodes_by_id", deserialize_with = "nodes_from_map")]
    pub nodes: Vec<NodeSnapshot>,
    /// Events processed in the measured period (since the start, or the
    /// end of the warm-up).
    pub events: u64,
    /// Exact sum of successful latencies [ns], for batch means.
    #[serde(skip)]
    pub latency_sum_ns: u128,
    /// The running totals the ratios above come from (see
    /// [`Snapshot::minus`]).
    #[serde(skip)]
    pub totals: Totals,
}

/// Per-node figures as an object keyed by node id, in design order.
fn nodes_by_id<S: serde::Serializer>(nodes: &[NodeSnapshot], s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut map = s.serialize_map(Some(nodes.len()))?;
    for n in nodes {
        map.serialize_entry(&n.id, n)?;
    }
    map.end()
}

/// Per-node figures from the object [`nodes_by_id`] writes, each given
/// its id back.
fn nodes_from_map<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<NodeSnapshot>, D::Error> {
    let pairs: Vec<(String, NodeSnapshot)> = d.deserialize_map(PairsVisitor::default())?;
    Ok(pairs
        .into_iter()
        .map(|(id, mut node)| {
            node.id = id;
            node
        })
        .collect())
}

/// The whole run's running totals since the start of measurement.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Totals {
    /// Time on the network of successful requests, summed [ns].
    pub net_ns: u128,
    /// Time in DNS lookups, summed [ns].
    pub dns_ns: u128,
    /// Time queued, summed [ns].
    pub queue_ns: u128,
    /// Time processed, summed [ns].
    pub service_ns: u128,
    /// Sampling intervals measured.
    pub intervals: u64,
    /// Sampling intervals in which the service counted as up.
    pub up_intervals: u64,
    /// Staleness of stale reads, summed [ns].
    pub staleness_ns: u128,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cause_has_its_words_in_both_languages() {
        let mut names = Vec::new();
        for cause in ErrorCause::ALL {
            let t = cause.text();
            for text in [t.name, t.subject, t.failed] {
                assert!(!text.en.trim().is_empty(), "{cause:?}: English missing");
                assert!(!text.ko.trim().is_empty(), "{cause:?}: Korean missing");
            }
            assert!(
                t.subject.en.contains("{node}") && t.subject.ko.contains("{node}"),
                "{cause:?}: the log names the node"
            );
            assert!(!names.contains(&t.name.en), "{cause:?}: name used twice");
            names.push(t.name.en);
        }
    }

    #[test]
    fn error_counts_are_indexed_and_named_by_cause() {
        let mut e = ErrorCounts::default();
        for (i, cause) in ErrorCause::ALL.iter().enumerate() {
            assert_eq!(*cause as usize, i, "ALL is in declaration order");
            let name = serde_json::to_string(cause).unwrap();
            assert_eq!(name, format!("\"{}\"", cause.key()));
            for _ in 0..=i {
                e.add(*cause);
            }
        }
        assert_eq!(e[ErrorCause::QueueFull], 1);
        assert_eq!(e.get(ErrorCause::BulkheadFull), 10);
        let n = ErrorCause::ALL.len() as u64;
        assert_eq!(e.total(), n * (n + 1) / 2);
        let json = serde_json::to_value(e).unwrap();
        assert_eq!(json["no_master"], 7);
        let mut later = e;
        later.add(ErrorCause::Timeout);
        later.subtract(&e);
        assert_eq!(later.total(), 1);
    }
}
