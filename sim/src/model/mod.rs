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

mod calls;
mod cause;
mod data;
mod failures;
mod faults;
mod kinds;
mod log;
mod measure;
mod network;
mod patch;
mod replication;
mod report;
mod requests;
mod window;

pub use calls::{BUDGET_CAP, BreakerState, CallFigures};
pub use cause::{CauseText, ErrorCause};
pub use data::key_name;
pub use failures::{QUIET_AFTER, REPORT_EVERY};
pub use kinds::ReshardFigures;
pub use kinds::{Alert, MonitoringFigures};
pub use kinds::{CATALOG, Kind};
pub use kinds::{Params, params};
pub use measure::{LOST_KEYS_KEPT, SAMPLE_INTERVAL, SERIES_CAPACITY};
use measure::{Stats, Window};
pub use network::{CONNECT_TIMEOUT, INTERNAL_LATENCY};
use patch::group_layout;
use requests::{Frame, JOURNEY_EVERY, Phase, Request, Transit};
pub use requests::{Hop, JOURNEYS_KEPT, Journey};
pub use window::{IntervalLatency, Meter, RECENT_S};

pub use log::{LOG_CAPACITY, LogEntry, LogEvent};
pub use report::{
    Breakdown, CacheFigures, CallSnapshot, DataFigures, DbRole, Dot, DotKind, ErrorCounts, Load,
    NO_REQUEST, NodeSnapshot, NodeTotals, QueueFigures, RequestKind, SeriesPoint, Snapshot,
    StaleRead, Totals, WorkerFigures,
};

use crate::design::{Design, DesignDoc, Problems};
use crate::engine::EventQueue;
use crate::time::Nanos;
use data::{Group, Oracle};
use faults::FaultEvent;
use kinds::{Backend, Event, NodeState, QueueEvent, WorkersEvent};
use replication::ReplicationEvent;
use rustc_hash::FxHashSet;
use std::collections::VecDeque;

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
    /// Request slots in use: users' requests and the calls made for them.
    live: u64,
    /// Of those, calls a server made for a request (under a call policy,
    /// or one shard's share of a cross-shard query): not requests a user
    /// waits for, and still alive when their caller gave up on them.
    live_calls: u64,
    in_transit: u64,
    /// Jobs on the hop between a queue and a worker pool, oldest first
    /// (for drawing only; every such hop takes [`INTERNAL_LATENCY`]).
    job_hops: VecDeque<kinds::JobHop>,
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
            live_calls: 0,
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
            sim.start_timers(i);
        }
        for f in &design.faults {
            sim.events
                .schedule(f.at, Event::Faults(FaultEvent::Inject(f.kind)));
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

    /// The node index of `id`: its latest node (one deleted while running
    /// and added again has a new index; the old one is retired).
    pub fn node_of(&self, id: &str) -> Option<usize> {
        self.ids.iter().rposition(|x| x == id)
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
        self.on_event(event);
        Some(time)
    }

    // ----- requests -------------------------------------------------------

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
            self.answer_arrives(req, node);
            return;
        }
        self.requests[req as usize].hops.push(Hop {
            node,
            arrived: self.now,
            started: self.now,
            left: self.now,
        });
        self.arrive(req, node);
    }

    // ----- faults -----------------------------------------------------------

    // ----- measurement ------------------------------------------------------
}
