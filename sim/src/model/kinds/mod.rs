//! Node kinds, one module each: a kind's state, how it is built from its
//! design entry and wiring, how it takes over its state when a running
//! design is edited, and the requests and events it handles. This module
//! holds [`NodeState`] and the one dispatch over kinds; every match on the
//! state is exhaustive, so a new kind makes the compiler list each place
//! still to fill.

mod cache;
mod cdn;
mod database;
mod dns;
mod lb;
mod monitor;
mod queue;
mod reshard;
mod router;
mod session_store;
mod station;
mod users;
mod web_server;
mod workers;

pub(super) use cache::CacheEvent;
pub(super) use cdn::CdnNode;
pub(super) use dns::{DnsEvent, DnsNode};
pub(super) use lb::{Backend, LbEvent, LbNode};
pub use monitor::{Alert, MonitoringFigures};
pub(super) use monitor::{MonitorEvent, MonitorNode};
pub(super) use queue::{JobHop, QueueEvent, QueueNode};
pub use reshard::ReshardFigures;

// Each kind's catalog entry, for `catalog::CATALOG`.
pub(crate) use cache::SPEC as CACHE_SPEC;
pub(crate) use cdn::SPEC as CDN_SPEC;
pub(crate) use database::SPEC as DATABASE_SPEC;
pub(crate) use dns::SPEC as DNS_SPEC;
pub(crate) use lb::SPEC as LOADBALANCER_SPEC;
pub(crate) use monitor::SPEC as MONITORING_SPEC;
pub(crate) use queue::SPEC as QUEUE_SPEC;
pub(super) use reshard::RouterEvent;
pub(super) use router::RouterNode;
pub(crate) use router::SPEC as SHARDROUTER_SPEC;
pub(crate) use session_store::SPEC as SESSIONSTORE_SPEC;
pub(super) use station::{Station, StationEvent};
pub(crate) use users::SPEC as USERS_SPEC;
pub(super) use users::{UsersEvent, UsersNode};
pub(crate) use web_server::SPEC as WEBSERVER_SPEC;
pub(crate) use workers::SPEC as WORKERS_SPEC;
pub(super) use workers::{AUTOSCALE_INTERVAL, WorkersEvent, WorkersNode};

use crate::catalog::{HOURS_PER_MONTH, Kind, LOAD_BALANCER_PRICE, QUEUE_PRICE, size};
use crate::design::{Design, Node};
use crate::model::report::NodeSnapshot;
use crate::rng::stream;
use crate::time::Nanos;

/// Seconds in a day, for DAU-based rates [s].
const SECONDS_PER_DAY: f64 = 86_400.0;

#[derive(Debug)]
pub(in crate::model) enum NodeState {
    Users(UsersNode),
    Dns(DnsNode),
    Lb(LbNode),
    Station(Station),
    Cdn(CdnNode),
    Queue(QueueNode),
    Workers(WorkersNode),
    Router(RouterNode),
    Monitor(Box<MonitorNode>),
}

/// Where a node sits in the design being built: what building its state
/// needs to know beyond its own parameters.
pub(in crate::model) struct Wiring<'a> {
    /// The validated design.
    pub design: &'a Design,
    /// The node's index in the design.
    pub i: usize,
    /// The simulation index of each design node (identity for a new run;
    /// different when a running simulation is patched).
    pub map: &'a [u32],
    /// The nodes it sends to (simulation indices), in edge order.
    pub targets: Vec<u32>,
}

impl Wiring<'_> {
    /// The kind of the node at simulation index `sim_index`.
    pub fn kind_of(&self, sim_index: u32) -> Kind {
        let d = self
            .map
            .iter()
            .position(|&m| m == sim_index)
            .expect("mapped");
        self.design.nodes[d].kind
    }

    /// The targets of one kind, in edge order.
    pub fn targets_of(&self, kind: Kind) -> Vec<u32> {
        self.targets
            .iter()
            .copied()
            .filter(|&t| self.kind_of(t) == kind)
            .collect()
    }
}

/// A web server's or database's vCPUs and hourly price.
fn size_of(n: &Node) -> (u32, f64) {
    let s = size(n.choice("size")).expect("validated: a catalog size");
    (s.vcpus, s.price_per_hour)
}

impl NodeState {
    /// The state of node `i` of a validated design at time 0. `map` gives
    /// the simulation index of each design node (identity for a new run;
    /// different when a running simulation is patched).
    pub fn build(design: &Design, i: usize, n: &Node, map: &[u32]) -> Self {
        let rng = stream(design.seed, &n.id);
        let w = Wiring {
            design,
            i,
            map,
            targets: design.out[i].iter().map(|&t| map[t]).collect(),
        };
        match n.kind {
            Kind::Users => NodeState::Users(UsersNode::build(n, rng, &w)),
            Kind::Dns => NodeState::Dns(DnsNode::build(n, rng, &w)),
            Kind::LoadBalancer => NodeState::Lb(LbNode::build(n, rng, &w)),
            Kind::Cdn => NodeState::Cdn(CdnNode::build(n, &w)),
            Kind::Queue => NodeState::Queue(QueueNode::build(n, w.targets_of(Kind::Workers))),
            Kind::Workers => NodeState::Workers(WorkersNode::build(n, rng)),
            Kind::Monitoring => NodeState::Monitor(Box::new(MonitorNode::build(n))),
            Kind::ShardRouter => NodeState::Router(RouterNode::build(n, rng, &w)),
            Kind::WebServer | Kind::Database | Kind::SessionStore | Kind::Cache => {
                NodeState::Station(Station::build(n, rng, &w))
            }
        }
    }

    /// Takes over the dynamic state of `old` (the same node before an edit)
    /// into this freshly built state: what is queued, held, cached, logged
    /// in, known about health, and measured stays; parameters and wiring
    /// come from the edit.
    pub fn inherit(&mut self, old: NodeState, now: Nanos) {
        match (self, old) {
            (NodeState::Users(new), NodeState::Users(old)) => new.inherit(old, now),
            (NodeState::Dns(new), NodeState::Dns(old)) => new.inherit(old, now),
            (NodeState::Lb(new), NodeState::Lb(old)) => new.inherit(old, now),
            (NodeState::Station(new), NodeState::Station(old)) => new.inherit(old, now),
            (NodeState::Cdn(new), NodeState::Cdn(old)) => new.inherit(old, now),
            (NodeState::Queue(new), NodeState::Queue(old)) => new.inherit(old),
            (NodeState::Monitor(new), NodeState::Monitor(old)) => new.inherit(*old),
            (NodeState::Workers(new), NodeState::Workers(old)) => new.inherit(old),
            (NodeState::Router(new), NodeState::Router(old)) => new.inherit(old, now),
            // Not a kind: two different kinds, which `patch` never pairs.
            (new, old) => *new = old,
        }
    }

    /// Starts measuring afresh at `now`: every count and time integral
    /// restarts; what the node holds (queues, caches, sessions, health
    /// views) stays.
    pub fn reset_measurements(&mut self, now: Nanos) {
        match self {
            NodeState::Users(_) | NodeState::Dns(_) => {}
            NodeState::Lb(lb) => lb.forwarded = 0,
            NodeState::Station(s) => s.reset_measurements(now),
            NodeState::Cdn(c) => c.reset_measurements(now),
            NodeState::Queue(q) => q.reset_measurements(),
            NodeState::Workers(w) => w.reset_measurements(now),
            NodeState::Router(r) => {
                r.per_shard.iter_mut().for_each(|c| *c = 0);
                r.fan_outs = 0;
            }
            NodeState::Monitor(m) => m.reset_measurements(),
        }
    }

    pub fn is_up(&self) -> bool {
        match self {
            NodeState::Users(_) => true,
            NodeState::Dns(d) => d.up,
            NodeState::Lb(lb) => lb.up,
            NodeState::Station(s) => s.up,
            NodeState::Cdn(c) => c.up,
            NodeState::Queue(q) => q.up,
            NodeState::Workers(w) => w.up,
            NodeState::Router(r) => r.up,
            NodeState::Monitor(m) => m.up,
        }
    }

    /// What the node costs at `now` [USD/hour]; a CDN bills the traffic it
    /// served, at the rate measured so far.
    pub fn price_per_hour(&self, now: Nanos) -> f64 {
        match self {
            NodeState::Users(_) | NodeState::Dns(_) => 0.0,
            NodeState::Lb(_) => LOAD_BALANCER_PRICE,
            NodeState::Station(s) => s.price_per_hour,
            NodeState::Cdn(c) => c.price_per_hour(now),
            NodeState::Queue(_) => QUEUE_PRICE,
            NodeState::Workers(w) => w.price_per_hour(),
            NodeState::Router(_) => LOAD_BALANCER_PRICE,
            NodeState::Monitor(_) => crate::catalog::MONITORING_PRICE,
        }
    }

    /// Figures of this node; `elapsed` is the measured time (> 0) [ns].
    pub fn snapshot(&self, id: &str, kind: Kind, now: Nanos, elapsed: Nanos) -> NodeSnapshot {
        let mut snap = NodeSnapshot {
            id: id.to_string(),
            kind,
            up: self.is_up(),
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
            cost_per_month: self.price_per_hour(now) * HOURS_PER_MONTH,
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
        };
        match self {
            NodeState::Station(s) => s.snapshot_into(&mut snap, now, elapsed),
            NodeState::Lb(lb) => snap.served = lb.forwarded,
            NodeState::Router(r) => r.snapshot_into(&mut snap),
            NodeState::Queue(q) => {
                let f = q.figures(now);
                snap.served = f.completed;
                snap.queue_len = f.backlog as u32;
                snap.queue_capacity = q.capacity as u32;
                snap.queue = Some(f);
            }
            NodeState::Workers(w) => {
                let f = w.figures(now);
                let (busy_area, slot_area) = w.areas(now);
                snap.totals.busy_area = busy_area as f64;
                snap.totals.slot_area = slot_area as f64;
                snap.served = f.processed;
                snap.busy = f.busy;
                snap.workers = f.slots;
                snap.utilization = f.utilization;
                snap.pool = Some(f);
            }
            NodeState::Cdn(c) => c.snapshot_into(&mut snap),
            NodeState::Users(_) | NodeState::Dns(_) | NodeState::Monitor(_) => {}
        }
        snap
    }
}
