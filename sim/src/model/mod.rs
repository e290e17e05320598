//! The simulation: requests moving through the nodes of a validated design.
//!
//! ```text
//!   Users ──(DNS lookup when the user's cached answer expired)──► entry
//!   Load balancer: pick a server it believes healthy (health checks every
//!                  interval; a dead server keeps getting traffic until it
//!                  fails `unhealthy_after` checks in a row)
//!   Web server:    wait for a vCPU (bounded FIFO queue) → process → check the
//!                  user's session (in memory, or in the session store) →
//!                  query the database → reply; the vCPU is held throughout
//!   Database:      wait for a vCPU → execute → reply
//! ```
//!
//! Every figure in a [`Snapshot`] is counted from these requests; nothing is
//! drawn from a configured rate of errors or hits.

mod caching;
mod calls;
mod data;
mod failures;
mod jobs;
mod kinds;
mod log;
mod monitor;
mod replication;
mod report;
mod reshard;
mod window;

pub use calls::{BUDGET_CAP, BreakerState, CallFigures};
pub use data::key_name;
pub use failures::{QUIET_AFTER, REPORT_EVERY};
pub use monitor::{Alert, MonitoringFigures};
pub use reshard::ReshardFigures;
pub use window::{IntervalLatency, Meter, RECENT_S};

pub use log::{LOG_CAPACITY, LogEntry, LogEvent};
pub use report::{
    Breakdown, CacheFigures, CallSnapshot, DataFigures, DbRole, Dot, DotKind, ErrorCause,
    ErrorCounts, Load, NO_REQUEST, NodeSnapshot, NodeTotals, QueueFigures, RequestKind,
    SeriesPoint, Snapshot, StaleRead, Totals, WorkerFigures,
};

use crate::catalog::{HOURS_PER_MONTH, Kind};
use crate::design::{Design, DesignDoc, FaultKind, Problems};
use crate::engine::EventQueue;
use crate::metrics::LatencyHistogram;
use crate::time::{MICROSECOND, MILLISECOND, Nanos, SECOND, to_secs};
use data::{CacheOp, Freshness, Group, Oracle};
use kinds::{Backend, NodeState};
use rustc_hash::FxHashSet;
use std::collections::VecDeque;

/// One-way network delay between two nodes inside a data center [ns].
pub const INTERNAL_LATENCY: Nanos = 500 * MICROSECOND;

/// How long a caller waits for a connection over a cut link before it gives
/// up with [`ErrorCause::LinkDown`] [ns].
pub const CONNECT_TIMEOUT: Nanos = SECOND;

/// Interval of the time series [ns].
pub const SAMPLE_INTERVAL: Nanos = SECOND;

/// Most time-series points kept (about 28 hours at one per second).
pub const SERIES_CAPACITY: usize = 100_000;

#[derive(Debug, Clone, Copy)]
enum Event {
    /// The next request from a Users node (stale when `epoch` differs).
    Arrival { users: u32, epoch: u32 },
    /// A request (or reply) reaches the end of its network hop.
    Deliver { req: u32 },
    /// A DNS server finished one lookup (failed if the DNS crashed since).
    LookupDone { req: u32, dns: u32, epoch: u32 },
    /// A worker finished processing (failed if the node crashed since).
    ServiceDone { req: u32, node: u32, epoch: u32 },
    /// A load balancer probes its servers.
    HealthCheck { lb: u32, epoch: u32 },
    /// End of a time-series interval.
    Sample,
    /// A scheduled or injected fault.
    Fault(FaultKind),
    /// A slow-down ends.
    SlowEnd { node: u32 },
    /// A cut link is restored.
    CutEnd { a: u32, b: u32 },
    /// A traffic spike ends.
    SpikeEnd { users: u32 },
    /// Binlog events up to `upto` reach replica `db`'s IO step, unless
    /// the master crashed since it sent them (`epoch`: the master's).
    Binlog {
        db: u32,
        upto: u64,
        term: u32,
        epoch: u32,
    },
    /// Replica `db`'s SQL step applied one event.
    Applied { db: u32, epoch: u32 },
    /// Replica `db`'s confirmation reaches its master.
    ReplAck {
        db: u32,
        received: u64,
        applied: u64,
        term: u32,
    },
    /// A semi-sync write waited the timeout.
    SemiSyncTimeout { group: u32, seq: u64, term: u32 },
    /// The detection delay after a master crash ran out.
    MasterCheck { group: u32, term: u32 },
    /// The detection delay after a replica crash ran out.
    ReplicaCheck { db: u32, epoch: u32 },
    /// A cache's fill lease for `key` ran out.
    LeaseEnd { cache: u32, key: u32, lease: u64 },
    /// A delivered job's visibility timeout ran out.
    VisibilityTimeout { queue: u32, job: u32, delivery: u64 },
    /// A worker finished (or failed) a job.
    JobDone {
        workers: u32,
        instance: u32,
        epoch: u32,
        queue: u32,
        job: u32,
        delivery: u64,
    },
    /// A worker's acknowledgement reaches the queue.
    JobAck {
        queue: u32,
        job: u32,
        delivery: u64,
        ok: bool,
    },
    /// An autoscaler looks at the backlog.
    Autoscale { workers: u32 },
    /// Started instances are ready for jobs.
    InstancesReady { workers: u32 },
    /// A GeoDNS checks its targets.
    DnsCheck { dns: u32, epoch: u32 },
    /// A web server stops waiting for call `call` of request `req`.
    CallTimeout { req: u32, call: u64 },
    /// The backoff before retrying call `call` of request `req` ended.
    RetryCall { req: u32, call: u64 },
    /// The monitoring node scrapes everything.
    Scrape { mon: u32, epoch: u32 },
    /// The on-call engineer paged about `node` acts.
    OnCall { mon: u32, node: u32 },
    /// A shard router copies the next records of migration `id`.
    MigrateStep { router: u32, id: u64 },
    /// A web server the autoscaler added finished booting.
    ServerReady { lb: u32, server: u32 },
}

#[derive(Debug, Clone, Copy)]
struct Transit {
    from: u32,
    to: u32,
    depart: Nanos,
    arrive: Nanos,
    reply: bool,
    /// Lost on a cut link: not drawn, bounces back as an error.
    hidden: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Phase {
    /// Asking DNS for the entry's address.
    Resolving,
    /// Talking to the site.
    Requesting,
}

/// One frame of a request's call stack: the node working on it.
#[derive(Debug, Clone, Copy)]
struct Frame {
    node: u32,
    /// For servers: index of the next dependency to consider. For load
    /// balancers: the server (node index) the request went to.
    next: u32,
    /// The node's epoch when the frame was pushed; a crash increments it.
    epoch: u32,
    /// When the request reached the node [ns].
    arrived: Nanos,
    /// When a worker took it [ns] (equal to `arrived` if it did not queue).
    started: Nanos,
}

/// One visited node on a request's route, with its timestamps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Hop {
    /// Node index.
    pub node: u32,
    /// When the request reached it [ns].
    pub arrived: Nanos,
    /// When a worker took it [ns].
    pub started: Nanos,
    /// When it left [ns].
    pub left: Nanos,
}

#[derive(Debug, Clone)]
struct Request {
    origin: u32,
    user: u32,
    kind: RequestKind,
    /// The record read or written.
    key: u32,
    /// The version read, or written.
    version: u64,
    /// How the read compared with what was acknowledged.
    fresh: Option<Freshness>,
    /// A read of what the user just wrote.
    read_back: bool,
    /// Whether the cache had the record (`None`: no cache asked).
    cache_hit: Option<bool>,
    /// What the request asks of the cache it is sent to.
    cache_op: CacheOp,
    /// The cache fill lease this reader holds (0 = none).
    lease: u64,
    /// Whether this write carries a slow job, and how long it takes [ns].
    job: bool,
    job_ns: Nanos,
    created: Nanos,
    deadline: Nanos,
    phase: Phase,
    entry: u32,
    stack: Vec<Frame>,
    hops: Vec<Hop>,
    transit: Option<Transit>,
    error: Option<ErrorCause>,
    /// Where the request failed (node index), and the node that failure
    /// concerns ([`failures::NO_NODE`] if none): the dependency a call was
    /// to, the far end of a cut link, the server a lost session was on.
    error_at: u32,
    error_other: u32,
    live: bool,
    /// For a call under a policy: the request that waits for it
    /// ([`calls::NO_PARENT`] otherwise), and the call's id.
    parent: u32,
    call_id: u64,
    /// The call under a policy this request waits for.
    call: Option<calls::Call>,
    /// A cross-shard operation this request waits for at a shard router:
    /// its id and the shards yet to answer.
    join: Option<(u64, u32)>,
    net_ns: Nanos,
    dns_ns: Nanos,
    queue_ns: Nanos,
    service_ns: Nanos,
}

/// A request's route: where it went, how long it spent at each hop, and
/// why it failed if it did.
#[derive(Debug, Clone, PartialEq)]
pub struct Journey {
    /// The request's kind.
    pub kind: RequestKind,
    /// The record it read or wrote (`user:7`).
    pub key: u32,
    /// The Users node that sent it (index).
    pub users: u32,
    /// When the user sent it [ns].
    pub created: Nanos,
    /// When the answer reached the user, or (still on its way) now [ns].
    pub finished: Nanos,
    /// Whether it is still on its way.
    pub in_flight: bool,
    /// Nodes visited, in order.
    pub hops: Vec<Hop>,
    /// How it ended (or, on its way, the error it carries back).
    pub error: Option<ErrorCause>,
    /// Where it failed (node index).
    pub failed_at: Option<u32>,
    /// The node the failure concerns: the dependency a call was to, the
    /// far end of a cut link, the server a lost session was on.
    pub other: Option<u32>,
}

impl Journey {
    fn empty() -> Journey {
        Journey {
            kind: RequestKind::Page,
            key: 0,
            users: 0,
            created: 0,
            finished: 0,
            in_flight: false,
            hops: Vec::new(),
            error: None,
            failed_at: None,
            other: None,
        }
    }

    /// Copies `r`'s route, reusing this journey's allocation.
    fn fill(&mut self, r: &Request, now: Nanos) {
        self.kind = r.kind;
        self.key = r.key;
        self.users = r.origin;
        self.created = r.created;
        self.finished = now;
        self.in_flight = false;
        self.hops.clear();
        self.hops.extend_from_slice(&r.hops);
        self.error = None;
        self.failed_at = None;
        self.other = None;
    }
}

/// Most finished journeys kept.
pub const JOURNEYS_KEPT: usize = 32;
/// One in this many finished requests is kept as a journey.
const JOURNEY_EVERY: u64 = 64;

/// Counters since the start of measurement.
#[derive(Debug, Clone, Default)]
struct Stats {
    since: Nanos,
    /// Events processed before measurement started.
    events_before: u64,
    arrivals: u64,
    completed: u64,
    errors: ErrorCounts,
    latency: LatencyHistogram,
    net_ns: u128,
    dns_ns: u128,
    queue_ns: u128,
    service_ns: u128,
    sessions_lost: u64,
    windows: u64,
    up_windows: u64,
    data: DataStats,
    read_latency: LatencyHistogram,
    write_latency: LatencyHistogram,
}

/// Correctness counters of successful requests.
#[derive(Debug, Clone, Default)]
struct DataStats {
    reads: u64,
    stale: u64,
    stale_incorrect: u64,
    lost_reads: u64,
    staleness_ns: u128,
    max_staleness: Nanos,
    read_backs: u64,
    own_write_misses: u64,
    writes: u64,
    lost_writes: u64,
}

/// Counters of the current time-series interval.
#[derive(Debug, Clone, Default)]
struct Window {
    completed: u64,
    errors: u64,
    incorrect: u64,
    cache_hits: u64,
    cache_lookups: u64,
    cdn_hits: u64,
    cdn_lookups: u64,
    /// Latencies of the interval's successes (all, reads, writes).
    latency: IntervalLatency,
}

/// A running simulation of one design.
#[derive(Debug)]
pub struct Simulation {
    now: Nanos,
    events: EventQueue<Event>,
    ids: Vec<String>,
    kinds: Vec<Kind>,
    /// Nodes removed by an edit while running: they finish what they hold
    /// but get nothing new, and no longer count in figures or cost.
    retired: Vec<bool>,
    nodes: Vec<NodeState>,
    cut: FxHashSet<(u32, u32)>,
    requests: Vec<Request>,
    free: Vec<u32>,
    live: u64,
    in_transit: u64,
    /// Jobs on the hop between a queue and a worker pool, oldest first
    /// (for drawing only; every such hop takes [`INTERNAL_LATENCY`]).
    job_hops: VecDeque<jobs::JobHop>,
    /// Requests each node (by index) answered with an error, since the
    /// start of measurement.
    node_errors: Vec<u64>,
    processed: u64,
    finished: u64,
    stats: Stats,
    window: Window,
    series: Vec<SeriesPoint>,
    log: VecDeque<LogEntry>,
    journeys: VecDeque<Journey>,
    oracle: Oracle,
    groups: Vec<Group>,
    /// Each group's master and replicas by id, as designed: an edit that
    /// changes these rebuilds the simulation.
    group_layout: Vec<(String, Vec<String>)>,
    /// Lost writes' records, oldest first (at most [`LOST_KEYS_KEPT`]).
    lost_keys: VecDeque<u32>,
    /// The latest read that was not fresh.
    last_stale: Option<StaleRead>,
    /// The data center of each node (index into `dc_geo`), if any.
    dc_of: Vec<Option<usize>>,
    /// Each data center's region (index into `GEO_REGIONS`).
    dc_geo: Vec<usize>,
    /// The last call id handed out.
    next_call_id: u64,
    /// Requests sent over each connection since the start: by calling node,
    /// (called node, count).
    edge_sends: Vec<Vec<(u32, u64)>>,
    /// The monitoring node, if the design has one.
    monitor: Option<u32>,
    /// The design as last built or patched, and its node indices: what
    /// the autoscaler copies web servers from (kept only with monitoring).
    layout: Option<(Design, Vec<u32>)>,
    /// Latencies of the last [`RECENT_S`] sampling intervals, oldest first.
    recent: VecDeque<IntervalLatency>,
    /// Running totals at the last [`RECENT_S`] + 1 sampling boundaries,
    /// oldest first, while [`Simulation::track_recent`] is on.
    ticks: Option<VecDeque<Snapshot>>,
    /// The design as last built or patched, when its timeline connects
    /// nodes while running: what those connections are added to.
    scheduled: Option<Design>,
    /// Failures going on, for the event log.
    incidents: failures::Incidents,
    /// Each node's latest failed request (by node index).
    last_failure: Vec<Option<Journey>>,
}

/// Most lost records listed in a [`Snapshot`].
pub const LOST_KEYS_KEPT: usize = 100;

impl Simulation {
    /// Validates a design document and builds a simulation from it.
    pub fn from_doc(doc: &DesignDoc) -> Result<Self, Problems> {
        doc.validate().map(|d| Self::new(&d))
    }

    /// Builds a simulation of a validated design at time 0.
    pub fn new(design: &Design) -> Self {
        let identity: Vec<u32> = (0..design.nodes.len() as u32).collect();
        let nodes: Vec<NodeState> = design
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| NodeState::build(design, i, n, &identity))
            .collect();
        let mut sim = Simulation {
            now: 0,
            events: EventQueue::new(),
            ids: design.nodes.iter().map(|n| n.id.clone()).collect(),
            kinds: design.nodes.iter().map(|n| n.kind).collect(),
            retired: vec![false; nodes.len()],
            nodes,
            cut: FxHashSet::default(),
            requests: Vec::new(),
            free: Vec::new(),
            live: 0,
            in_transit: 0,
            job_hops: VecDeque::new(),
            node_errors: Vec::new(),
            processed: 0,
            finished: 0,
            stats: Stats::default(),
            window: Window::default(),
            series: Vec::new(),
            log: VecDeque::new(),
            journeys: VecDeque::new(),
            oracle: Oracle::default(),
            groups: Vec::new(),
            group_layout: group_layout(design),
            lost_keys: VecDeque::new(),
            last_stale: None,
            dc_of: design.datacenter_of.clone(),
            dc_geo: design.datacenters.iter().map(|d| d.geo).collect(),
            next_call_id: 0,
            edge_sends: Vec::new(),
            monitor: None,
            layout: None,
            recent: VecDeque::with_capacity(RECENT_S as usize),
            ticks: None,
            scheduled: design.connects_later().then(|| design.clone()),
            incidents: failures::Incidents::default(),
            last_failure: Vec::new(),
        };
        sim.attach_monitor(design, &identity, None);
        sim.build_groups(design);
        sim.start_autoscalers();
        for i in 0..sim.nodes.len() as u32 {
            match &mut sim.nodes[i as usize] {
                NodeState::Users(u) => {
                    let first = u.next_gap();
                    let epoch = u.epoch;
                    sim.events
                        .schedule(first, Event::Arrival { users: i, epoch });
                }
                NodeState::Lb(lb) => {
                    let (at, epoch) = (lb.interval, lb.epoch);
                    sim.events.schedule(at, Event::HealthCheck { lb: i, epoch });
                }
                NodeState::Dns(d) if d.checks_health() => {
                    let (at, epoch) = (d.interval, d.epoch);
                    sim.events.schedule(at, Event::DnsCheck { dns: i, epoch });
                }
                _ => {}
            }
        }
        for f in &design.faults {
            sim.events.schedule(f.at, Event::Fault(f.kind));
        }
        sim.events.schedule(SAMPLE_INTERVAL, Event::Sample);
        sim
    }

    /// Current simulated time [ns].
    pub fn now(&self) -> Nanos {
        self.now
    }

    /// Node ids, by node index.
    pub fn node_ids(&self) -> &[String] {
        &self.ids
    }

    /// Node kinds, by node index (web servers the autoscaler added
    /// included).
    pub fn node_kinds(&self) -> &[Kind] {
        &self.kinds
    }

    /// Changes whenever the event log does: (entries kept, time of the
    /// newest [ns]).
    pub fn log_stamp(&self) -> (usize, Nanos) {
        (self.log.len(), self.log.back().map_or(0, |e| e.t))
    }

    /// Runs every event up to and including time `t` [ns], then sets the
    /// clock to `t`. Times in the past are ignored.
    pub fn run_until(&mut self, t: Nanos) {
        while let Some(time) = self.events.peek_time() {
            if time > t {
                break;
            }
            self.step();
        }
        self.now = self.now.max(t);
    }

    /// Like [`run_until`](Self::run_until), but stops after at most
    /// `max_events` events; returns whether `t` was reached. Lets a caller
    /// with a frame budget advance "as fast as possible" without freezing.
    pub fn run_until_bounded(&mut self, t: Nanos, max_events: u64) -> bool {
        for _ in 0..max_events {
            match self.events.peek_time() {
                Some(time) if time <= t => {
                    self.step();
                }
                _ => {
                    self.now = self.now.max(t);
                    return true;
                }
            }
        }
        false
    }

    /// Processes exactly one event and returns its time [ns], or `None` if
    /// nothing is scheduled.
    pub fn step(&mut self) -> Option<Nanos> {
        let (time, event) = self.events.pop()?;
        self.now = time;
        self.processed += 1;
        match event {
            Event::Arrival { users, epoch } => self.on_arrival(users, epoch),
            Event::Deliver { req } => self.on_deliver(req),
            Event::LookupDone { req, dns, epoch } => self.on_lookup_done(req, dns, epoch),
            Event::ServiceDone { req, node, epoch } => self.on_service_done(req, node, epoch),
            Event::HealthCheck { lb, epoch } => self.on_health_check(lb, epoch),
            Event::Sample => self.on_sample(),
            Event::Fault(f) => self.inject(f),
            Event::SlowEnd { node } => self.set_slow(node, 1.0),
            Event::CutEnd { a, b } => self.set_cut(a, b, false),
            Event::SpikeEnd { users } => self.set_spike(users, 1.0),
            Event::Binlog {
                db,
                upto,
                term,
                epoch,
            } => self.on_binlog(db, upto, term, epoch),
            Event::Applied { db, epoch } => self.on_applied(db, epoch),
            Event::ReplAck {
                db,
                received,
                applied,
                term,
            } => self.on_repl_ack(db, received, applied, term),
            Event::SemiSyncTimeout { group, seq, term } => {
                self.on_semi_sync_timeout(group, seq, term)
            }
            Event::MasterCheck { group, term } => self.on_master_check(group, term),
            Event::ReplicaCheck { db, epoch } => self.on_replica_check(db, epoch),
            Event::LeaseEnd { cache, key, lease } => self.on_lease_end(cache, key, lease),
            Event::VisibilityTimeout {
                queue,
                job,
                delivery,
            } => self.on_visibility_timeout(queue, job, delivery),
            Event::JobDone {
                workers,
                instance,
                epoch,
                queue,
                job,
                delivery,
            } => self.on_job_done(workers, instance, epoch, queue, job, delivery),
            Event::JobAck {
                queue,
                job,
                delivery,
                ok,
            } => self.on_job_ack(queue, job, delivery, ok),
            Event::Autoscale { workers } => self.on_autoscale(workers),
            Event::InstancesReady { workers } => self.on_instances_ready(workers),
            Event::DnsCheck { dns, epoch } => self.on_dns_check(dns, epoch),
            Event::CallTimeout { req, call } => self.on_call_timeout(req, call),
            Event::RetryCall { req, call } => self.on_retry_call(req, call),
            Event::Scrape { mon, epoch } => self.on_scrape(mon, epoch),
            Event::OnCall { mon, node } => self.on_call(mon, node),
            Event::ServerReady { lb, server } => self.on_server_ready(lb, server),
            Event::MigrateStep { router, id } => self.on_migrate_step(router, id),
        }
        Some(time)
    }

    /// Applies an edited design to the running simulation without
    /// stopping it: nodes that stay keep their state (queues, sessions,
    /// health views, caches, figures) and take the edited parameters and
    /// wiring; new nodes join (a load balancer starts sending to a new
    /// server at once, as when an operator registers it); removed nodes get
    /// nothing new and finish what they hold. Faults in the edited design
    /// are not rescheduled. Returns `false`, changing nothing, if a node
    /// kept its id but changed kind: then build a new simulation instead.
    pub fn patch(&mut self, design: &Design) -> bool {
        // Connections the timeline has made by now stay made.
        let connected;
        let design = if design.connects_later() {
            self.scheduled = Some(design.clone());
            connected = design.connected_by(self.now);
            &connected
        } else {
            self.scheduled = None;
            design
        };
        let layout = group_layout(design);
        let Some(added_groups) = self.added_groups(&layout) else {
            return false; // masters or replicas changed: replication restarts
        };
        let old_len = self.nodes.len();
        let mut map = Vec::with_capacity(design.nodes.len());
        let mut next = old_len as u32;
        for n in &design.nodes {
            match self.ids.iter().position(|id| *id == n.id) {
                Some(i) if self.kinds[i] == n.kind && !self.retired[i] => map.push(i as u32),
                Some(i) if self.kinds[i] != n.kind => return false,
                _ => {
                    map.push(next);
                    next += 1;
                }
            }
        }
        let now = self.now;
        let mut kept = vec![false; old_len];
        for (k, n) in design.nodes.iter().enumerate() {
            let mut fresh = NodeState::build(design, k, n, &map);
            let idx = map[k] as usize;
            if idx < old_len {
                kept[idx] = true;
                let old = std::mem::replace(&mut self.nodes[idx], fresh);
                self.nodes[idx].inherit(old, now);
            } else {
                if let NodeState::Station(s) = &mut fresh {
                    s.reset_measurements(now);
                }
                if let NodeState::Lb(lb) = &fresh {
                    let (at, epoch) = (now + lb.interval, lb.epoch);
                    let lb = idx as u32;
                    self.events.schedule(at, Event::HealthCheck { lb, epoch });
                }
                if let NodeState::Dns(d) = &fresh
                    && d.checks_health()
                {
                    let (at, epoch, dns) = (now + d.interval, d.epoch, idx as u32);
                    self.events.schedule(at, Event::DnsCheck { dns, epoch });
                }
                if let NodeState::Workers(w) = &fresh
                    && w.autoscale.is_some()
                {
                    let workers = idx as u32;
                    let at = now + jobs::AUTOSCALE_INTERVAL;
                    self.events.schedule(at, Event::Autoscale { workers });
                }
                self.nodes.push(fresh);
                self.ids.push(n.id.clone());
                self.kinds.push(n.kind);
                self.retired.push(false);
            }
            match &mut self.nodes[idx] {
                NodeState::Users(u) => {
                    // Arrivals are memoryless: a fresh draw at the new rate
                    // is exact (the old pending arrival is now stale).
                    let (at, epoch) = (now + u.next_gap(), u.epoch);
                    let users = idx as u32;
                    self.events.schedule(at, Event::Arrival { users, epoch });
                }
                NodeState::Station(_) => self.drain_into_free_workers(idx as u32),
                _ => {}
            }
        }
        self.configure_groups(design);
        self.dc_geo = design.datacenters.iter().map(|d| d.geo).collect();
        self.dc_of.resize(self.nodes.len(), None);
        for (k, &idx) in map.iter().enumerate() {
            self.dc_of[idx as usize] = design.datacenter_of[k];
        }
        for (i, keep) in kept.iter().enumerate() {
            if !keep && !self.retired[i] && !self.autoscaled(i as u32) {
                self.retired[i] = true;
                if let NodeState::Users(u) = &mut self.nodes[i] {
                    u.epoch += 1; // no more arrivals
                }
            }
        }
        for (master, replicas) in added_groups {
            let index = |id: &String| {
                let k = design.nodes.iter().position(|n| &n.id == id);
                map[k.expect("laid out")]
            };
            let members = std::iter::once(index(&master))
                .chain(replicas.iter().map(index))
                .collect();
            self.add_group(members, design, &master);
        }
        self.group_layout = layout;
        let before = self.monitor;
        self.attach_monitor(design, &map, before);
        self.start_migrations();
        true
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

    // ----- requests -------------------------------------------------------

    fn alloc_request(&mut self, origin: u32, user: u32, kind: RequestKind, timeout: Nanos) -> u32 {
        let now = self.now;
        self.live += 1;
        let slot = self.free.pop();
        // A reused slot keeps its vectors' allocations.
        let (mut stack, mut hops) = match slot {
            Some(id) => {
                let r = &mut self.requests[id as usize];
                (std::mem::take(&mut r.stack), std::mem::take(&mut r.hops))
            }
            None => (Vec::new(), Vec::new()),
        };
        stack.clear();
        hops.clear();
        let fresh = Request {
            origin,
            user,
            kind,
            key: 0,
            version: 0,
            fresh: None,
            read_back: false,
            cache_hit: None,
            cache_op: CacheOp::Get,
            lease: 0,
            job: false,
            job_ns: 0,
            created: now,
            deadline: now.saturating_add(timeout),
            phase: Phase::Requesting,
            entry: 0,
            stack,
            hops,
            transit: None,
            error: None,
            error_at: 0,
            error_other: failures::NO_NODE,
            live: true,
            parent: calls::NO_PARENT,
            call_id: 0,
            call: None,
            join: None,
            net_ns: 0,
            dns_ns: 0,
            queue_ns: 0,
            service_ns: 0,
        };
        match slot {
            Some(id) => {
                self.requests[id as usize] = fresh;
                id
            }
            None => {
                self.requests.push(fresh);
                (self.requests.len() - 1) as u32
            }
        }
    }

    fn caller_of(&self, req: u32) -> u32 {
        let r = &self.requests[req as usize];
        r.stack.last().map_or(r.origin, |f| f.node)
    }

    fn link_cut(&self, a: u32, b: u32) -> bool {
        !self.cut.is_empty() && self.cut.contains(&(a.min(b), a.max(b)))
    }

    /// Puts request `req` on the network from `from` to `to`. Over a cut
    /// link it never arrives: after [`CONNECT_TIMEOUT`] the side that sent
    /// it gets (or passes on) a [`ErrorCause::LinkDown`] error.
    fn send(&mut self, req: u32, from: u32, to: u32, reply: bool) {
        let latency = match (&self.nodes[from as usize], &self.nodes[to as usize]) {
            (NodeState::Users(_), NodeState::Cdn(c)) | (NodeState::Cdn(c), NodeState::Users(_)) => {
                c.edge
            }
            (NodeState::Users(u), _) => u.network + self.user_distance(u.geo, to),
            (_, NodeState::Users(u)) => u.network + self.user_distance(u.geo, from),
            (NodeState::Cdn(c), _) | (_, NodeState::Cdn(c)) => c.origin,
            _ => INTERNAL_LATENCY.max(self.dc_distance(from, to)),
        };
        let transit = if self.link_cut(from, to) {
            // Failed where it is given up on: the sender of a request, the
            // receiver of a reply.
            let (at, other) = if reply { (to, from) } else { (from, to) };
            self.fail_at(req, at, other, ErrorCause::LinkDown);
            // A request that never arrived comes back to its sender; a reply
            // that never arrived is given up on by its receiver.
            let (src, dst) = if reply { (from, to) } else { (to, from) };
            Transit {
                from: src,
                to: dst,
                depart: self.now,
                arrive: self.now + CONNECT_TIMEOUT,
                reply: true,
                hidden: true,
            }
        } else {
            let r = &mut self.requests[req as usize];
            r.net_ns += latency;
            if !reply {
                self.count_send(from, to);
            } else if r.error.is_some() && self.nodes[from as usize].is_up() {
                // (A dead node's "answer" is the caller giving up on it.)
                let i = from as usize;
                if self.node_errors.len() <= i {
                    self.node_errors.resize(i + 1, 0);
                }
                self.node_errors[i] += 1;
            }
            Transit {
                from,
                to,
                depart: self.now,
                arrive: self.now + latency,
                reply,
                hidden: false,
            }
        };
        self.requests[req as usize].transit = Some(transit);
        self.in_transit += 1;
        self.events.schedule(transit.arrive, Event::Deliver { req });
    }

    fn count_send(&mut self, from: u32, to: u32) {
        let f = from as usize;
        if self.edge_sends.len() <= f {
            self.edge_sends.resize_with(f + 1, Vec::new);
        }
        match self.edge_sends[f].iter_mut().find(|e| e.0 == to) {
            Some(e) => e.1 += 1,
            None => self.edge_sends[f].push((to, 1)),
        }
    }

    /// Requests sent over each connection since the start: (calling node,
    /// called node, count), by node index.
    pub fn edge_sends(&self) -> impl Iterator<Item = (u32, u32, u64)> + '_ {
        self.edge_sends
            .iter()
            .enumerate()
            .flat_map(|(f, v)| v.iter().map(move |&(t, n)| (f as u32, t, n)))
    }

    /// Half the round trip between a user population's region and the data
    /// center of `node` [ns]; 0 for users next to the site or a node in no
    /// data center.
    fn user_distance(&self, geo: Option<usize>, node: u32) -> Nanos {
        match (geo, self.dc_of.get(node as usize).copied().flatten()) {
            (Some(g), Some(dc)) => rtt_half(g, self.dc_geo[dc]),
            _ => 0,
        }
    }

    /// Half the round trip between the data centers of `a` and `b` [ns]; 0
    /// inside one data center or outside any.
    fn dc_distance(&self, a: u32, b: u32) -> Nanos {
        let dc = |n: u32| self.dc_of.get(n as usize).copied().flatten();
        match (dc(a), dc(b)) {
            (Some(x), Some(y)) if x != y => rtt_half(self.dc_geo[x], self.dc_geo[y]),
            _ => 0,
        }
    }

    /// Fails `req` at `node` with `cause` and sends the error to its caller.
    fn reject(&mut self, req: u32, node: u32, cause: ErrorCause) {
        self.fail_at(req, node, failures::NO_NODE, cause);
        let caller = self.caller_of(req);
        self.send(req, node, caller, true);
    }

    fn on_deliver(&mut self, req: u32) {
        let transit = self.requests[req as usize]
            .transit
            .take()
            .expect("a delivered request was in transit");
        self.in_transit -= 1;
        let node = transit.to;
        if transit.reply {
            let r = &self.requests[req as usize];
            if r.parent != calls::NO_PARENT && r.stack.len() == 1 {
                if self.kinds[node as usize] == Kind::ShardRouter {
                    return self.on_join_answer(req, node);
                }
                return self.on_call_answer(req, node);
            }
            if self.kinds[transit.from as usize] == Kind::Cache {
                self.forgive_cache_error(req);
            }
            match self.kinds[node as usize] {
                Kind::Users => self.on_reply_at_users(req, node),
                Kind::LoadBalancer => self.on_reply_at_lb(req, node),
                Kind::Cdn => self.on_reply_at_cdn(req, node),
                Kind::ShardRouter => self.on_reply_at_router(req, node),
                Kind::Dns => unreachable!("nothing calls out from a DNS server"),
                _ => self.on_reply_at_station(req, node),
            }
            return;
        }
        self.requests[req as usize].hops.push(Hop {
            node,
            arrived: self.now,
            started: self.now,
            left: self.now,
        });
        match self.kinds[node as usize] {
            Kind::Dns => {
                let NodeState::Dns(d) = &self.nodes[node as usize] else {
                    unreachable!()
                };
                if !d.up {
                    return self.reject(req, node, ErrorCause::NodeDown);
                }
                let (done, epoch) = (self.now + d.lookup, d.epoch);
                self.requests[req as usize].dns_ns += d.lookup;
                self.events.schedule(
                    done,
                    Event::LookupDone {
                        req,
                        dns: node,
                        epoch,
                    },
                );
            }
            Kind::LoadBalancer => self.forward_at_lb(req, node),
            Kind::Cdn => self.arrive_at_cdn(req, node),
            Kind::Queue => self.arrive_at_queue(req, node),
            Kind::ShardRouter => self.forward_at_router(req, node),
            Kind::Workers => unreachable!("workers take jobs, not requests"),
            Kind::Users => unreachable!("requests never travel towards Users"),
            _ => self.arrive_at_station(req, node),
        }
    }

    fn leave_hop(&mut self, req: u32) {
        let now = self.now;
        if let Some(h) = self.requests[req as usize].hops.last_mut() {
            h.left = now;
        }
    }

    // ----- faults -----------------------------------------------------------

    /// Applies a fault now: the same path scheduled faults take, for faults
    /// injected while running.
    pub fn inject(&mut self, fault: FaultKind) {
        let now = self.now;
        match fault {
            FaultKind::Kill(n) => self.kill(n as u32),
            FaultKind::Restart(n) => self.restart(n as u32),
            FaultKind::Slow(n, k, d) => {
                self.set_slow(n as u32, k);
                if let Some(d) = d {
                    self.events
                        .schedule(now + d, Event::SlowEnd { node: n as u32 });
                }
            }
            FaultKind::Cut(a, b, d) => {
                self.set_cut(a as u32, b as u32, true);
                if let Some(d) = d {
                    self.events.schedule(
                        now + d,
                        Event::CutEnd {
                            a: a as u32,
                            b: b as u32,
                        },
                    );
                }
            }
            FaultKind::Promote(n) => self.promote_by_hand(n as u32),
            FaultKind::Purge(n) => self.purge(n as u32),
            FaultKind::KillDc(dc) | FaultKind::RestartDc(dc) => {
                let members: Vec<u32> = (0..self.nodes.len() as u32)
                    .filter(|&n| self.dc_of.get(n as usize).copied().flatten() == Some(dc))
                    .collect();
                for n in members {
                    if matches!(fault, FaultKind::KillDc(_)) {
                        self.kill(n);
                    } else {
                        self.restart(n);
                    }
                }
            }
            FaultKind::Spike(u, k, d) => {
                self.set_spike(u as u32, k);
                self.events
                    .schedule(now + d, Event::SpikeEnd { users: u as u32 });
            }
            FaultKind::Connect(a, b) => {
                if let Some(design) = self.scheduled.clone()
                    && self.patch(&design)
                {
                    self.push_log(a as u32, LogEvent::Connected { to: b as u32 });
                }
            }
        }
    }

    fn push_log(&mut self, node: u32, event: LogEvent) {
        if self.log.len() == LOG_CAPACITY {
            self.log.pop_front();
        }
        self.log.push_back(LogEntry {
            t: self.now,
            node,
            event,
        });
    }

    fn kill(&mut self, node: u32) {
        let now = self.now;
        if !self.nodes[node as usize].is_up() {
            return;
        }
        let mut queued = Vec::new();
        let mut lost_sessions = 0;
        match &mut self.nodes[node as usize] {
            NodeState::Station(s) => {
                s.account(now);
                s.up = false;
                s.epoch += 1;
                s.busy = 0;
                s.calls.iter_mut().for_each(|c| c.reset());
                queued.extend(s.queue.drain(..));
                lost_sessions = s.sessions.len() as u64;
                s.sessions.clear();
            }
            NodeState::Lb(lb) => {
                lb.up = false;
                lb.epoch += 1;
            }
            NodeState::Dns(d) => {
                d.up = false;
                d.epoch += 1;
            }
            NodeState::Cdn(c) => {
                c.up = false;
                c.epoch += 1;
                c.store.clear();
            }
            NodeState::Router(r) => {
                r.up = false;
                r.epoch += 1;
            }
            NodeState::Monitor(m) => {
                m.up = false;
                m.epoch += 1;
            }
            NodeState::Queue(_) | NodeState::Workers(_) => {}
            NodeState::Users(_) => return,
        }
        self.note_down(node);
        self.push_log(node, LogEvent::Crashed);
        match self.kinds[node as usize] {
            Kind::Cache => self.cache_killed(node),
            Kind::Queue => self.queue_killed(node),
            Kind::Workers => self.workers_killed(node),
            _ => {}
        }
        if self.kinds[node as usize] == Kind::Database {
            self.db_killed(node);
        }
        if lost_sessions > 0 {
            self.stats.sessions_lost += lost_sessions;
            self.push_log(
                node,
                LogEvent::SessionsLost {
                    count: lost_sessions,
                },
            );
        }
        for req in queued {
            self.requests[req as usize].stack.pop();
            self.reject(req, node, ErrorCause::NodeDown);
        }
    }

    fn restart(&mut self, node: u32) {
        let now = self.now;
        if self.nodes[node as usize].is_up() {
            return;
        }
        match &mut self.nodes[node as usize] {
            NodeState::Station(s) => {
                s.account(now);
                s.up = true;
            }
            NodeState::Lb(lb) => {
                lb.up = true;
                for b in &mut lb.backends {
                    *b = Backend::new(b.node);
                }
                let (at, epoch) = (now + lb.interval, lb.epoch);
                self.events
                    .schedule(at, Event::HealthCheck { lb: node, epoch });
            }
            NodeState::Dns(d) => {
                d.up = true;
                if d.checks_health() {
                    for b in &mut d.health {
                        *b = Backend::new(b.node);
                    }
                    let (at, epoch) = (now + d.interval, d.epoch);
                    self.events
                        .schedule(at, Event::DnsCheck { dns: node, epoch });
                }
            }
            NodeState::Cdn(c) => c.up = true,
            NodeState::Router(r) => r.up = true,
            NodeState::Monitor(m) => {
                m.up = true;
                let (at, epoch) = (now + m.interval(), m.epoch);
                self.events.schedule(at, Event::Scrape { mon: node, epoch });
            }
            NodeState::Queue(_) | NodeState::Workers(_) => {}
            NodeState::Users(_) => return,
        }
        self.note_up(node);
        self.push_log(node, LogEvent::Restarted);
        match self.kinds[node as usize] {
            Kind::Queue => self.queue_restarted(node),
            Kind::Workers => self.workers_restarted(node),
            _ => {}
        }
        if self.kinds[node as usize] == Kind::Database {
            self.db_restarted(node);
        }
    }

    fn set_slow(&mut self, node: u32, factor: f64) {
        if let NodeState::Station(s) = &mut self.nodes[node as usize] {
            if s.slow == factor {
                return;
            }
            s.slow = factor;
            let event = if factor == 1.0 {
                LogEvent::SlowEnded
            } else {
                LogEvent::Slowed { factor }
            };
            self.push_log(node, event);
        }
    }

    fn set_cut(&mut self, a: u32, b: u32, cut: bool) {
        let key = (a.min(b), a.max(b));
        let changed = if cut {
            self.cut.insert(key)
        } else {
            self.cut.remove(&key)
        };
        if changed && !cut {
            self.db_link_restored(a, b);
        }
        if changed {
            let event = if cut {
                LogEvent::LinkCut { other: b }
            } else {
                LogEvent::LinkRestored { other: b }
            };
            self.push_log(a, event);
        }
    }

    // ----- measurement ------------------------------------------------------

    fn on_sample(&mut self) {
        let mut w = std::mem::take(&mut self.window);
        let answered = w.completed + w.errors;
        let up = answered == 0 && self.live == 0 || answered > 0 && w.completed * 2 >= answered;
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
                in_flight: self.live,
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
        if self.recent.len() == RECENT_S as usize {
            self.recent.pop_front();
        }
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

    fn snapshot_inner(&self, summaries: bool) -> Snapshot {
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
            in_flight: self.live,
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
}

impl Simulation {
    /// Judges a read of `key` at version `version` answered by `node`, and
    /// keeps it as the latest example if it was not fresh.
    fn judge_read(&mut self, key: u32, version: u64, node: u32) -> Freshness {
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

    fn data_figures(&self) -> DataFigures {
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

/// Share of `completed` answers that were correct, 0..=1 (1 with none).
fn reliability(completed: u64, incorrect: u64) -> f64 {
    if completed == 0 {
        1.0
    } else {
        completed.saturating_sub(incorrect) as f64 / completed as f64
    }
}

/// Each master's id with its replicas' ids, in design order.
fn group_layout(design: &Design) -> Vec<(String, Vec<String>)> {
    design
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| n.kind == Kind::Database && n.choice("role") == "master")
        .map(|(i, n)| {
            let replicas = design.out[i]
                .iter()
                .filter(|&&r| design.nodes[r].kind == Kind::Database)
                .map(|&r| design.nodes[r].id.clone())
                .collect();
            (n.id.clone(), replicas)
        })
        .collect()
}

impl Simulation {
    /// The groups an edit to `layout` adds, if it changes masters and
    /// replicas only by adding whole new groups (new nodes only) or removing
    /// whole groups — what adding or removing a shard does; `None` for any
    /// other change (replication must restart).
    fn added_groups(&self, layout: &[(String, Vec<String>)]) -> Option<Vec<(String, Vec<String>)>> {
        let members = |g: &(String, Vec<String>)| {
            std::iter::once(g.0.clone())
                .chain(g.1.iter().cloned())
                .collect::<Vec<_>>()
        };
        let old_ids: Vec<String> = self.group_layout.iter().flat_map(members).collect();
        let new_ids: Vec<String> = layout.iter().flat_map(members).collect();
        for g in &self.group_layout {
            let kept = layout.contains(g);
            let gone = members(g).iter().all(|id| !new_ids.contains(id));
            if !kept && !gone {
                return None;
            }
        }
        let mut added = Vec::new();
        for g in layout {
            if self.group_layout.contains(g) {
                continue;
            }
            // A new group is made of nodes new to the simulation.
            let fresh = members(g).iter().all(|id| {
                !old_ids.contains(id)
                    && self
                        .ids
                        .iter()
                        .enumerate()
                        .all(|(i, x)| x != id || self.retired[i])
            });
            if !fresh {
                return None;
            }
            added.push(g.clone());
        }
        Some(added)
    }
}

/// Half the round trip between two regions [ns].
fn rtt_half(a: usize, b: usize) -> Nanos {
    crate::time::from_ms(crate::catalog::GEO_RTT_MS[a][b] / 2.0)
}
