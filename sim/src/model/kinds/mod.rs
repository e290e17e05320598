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
mod rate_limiter;
mod reshard;
mod router;
mod session_store;
mod station;
mod users;
mod web_server;
mod wiring;
mod workers;

pub(super) use cache::CacheEvent;
pub(super) use cdn::CdnNode;
pub(super) use dns::{DnsEvent, DnsNode};
pub(super) use lb::{Backend, LbEvent, LbNode};
pub use monitor::{Alert, MonitoringFigures};
pub(super) use monitor::{MonitorEvent, MonitorNode};
pub(super) use queue::{JobHop, QueueEvent, QueueNode};
pub(super) use rate_limiter::RateLimiterNode;
pub use reshard::ReshardFigures;

pub(super) use reshard::RouterEvent;
pub(super) use router::RouterNode;
pub(super) use station::{Serves, Station, StationEvent};
pub(super) use users::{UsersEvent, UsersNode};
use wiring::SECONDS_PER_DAY;
pub(super) use wiring::Wiring;
pub(super) use workers::{WorkersEvent, WorkersNode};

use crate::catalog::{HOURS_PER_MONTH, KindSpec, LOAD_BALANCER_PRICE, QUEUE_PRICE};
use crate::design::{Design, Node};
use crate::model::Simulation;
use crate::model::calls::CallEvent;
use crate::model::faults::FaultEvent;
use crate::model::replication::ReplicationEvent;
use crate::model::report::NodeSnapshot;
use crate::rng::stream;
use crate::time::Nanos;
use serde::{Deserialize, Serialize};

/// The kind of a node on the canvas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A population of users sending requests: the entry of traffic.
    Users,
    /// A DNS server that resolves the site's name to its entry point.
    Dns,
    /// A load balancer spreading requests over web servers.
    LoadBalancer,
    /// A web server with a pool of workers and a bounded request queue.
    WebServer,
    /// A shared session store (Redis-like) that makes web servers stateless.
    SessionStore,
    /// A database server with a pool of connections and a bounded queue.
    Database,
    /// A cache (Redis-like) in front of the database: cache-aside reads.
    Cache,
    /// A content delivery network: edge caches serving static files.
    Cdn,
    /// A message queue holding jobs for workers.
    Queue,
    /// A pool of workers processing jobs from a queue.
    Workers,
    /// A shard router: sends each record's queries to the shard holding it.
    ShardRouter,
    /// Monitoring: scrapes every node's metrics, fires alerts, pages the
    /// on-call engineer and autoscales the web tier.
    Monitoring,
    /// A rate limiter: a token bucket in front of web servers that
    /// refuses requests over its rate.
    RateLimiter,
}

/// Every component kind, in palette order: each kind's catalog entry
/// (`SPEC` in its module).
pub const CATALOG: &[KindSpec] = &[
    users::SPEC,
    dns::SPEC,
    lb::SPEC,
    rate_limiter::SPEC,
    cdn::SPEC,
    web_server::SPEC,
    session_store::SPEC,
    database::SPEC,
    router::SPEC,
    cache::SPEC,
    queue::SPEC,
    workers::SPEC,
    monitor::SPEC,
];

impl Kind {
    /// Every kind, in catalog order (read from [`CATALOG`]).
    pub const ALL: [Kind; CATALOG.len()] = {
        let mut all = [Kind::Users; CATALOG.len()];
        let mut i = 0;
        while i < CATALOG.len() {
            all[i] = CATALOG[i].kind;
            i += 1;
        }
        all
    };

    /// The kind's name as written in design files (`web_server`).
    pub fn key(self) -> &'static str {
        match self {
            Kind::Users => "users",
            Kind::Dns => "dns",
            Kind::LoadBalancer => "load_balancer",
            Kind::WebServer => "web_server",
            Kind::SessionStore => "session_store",
            Kind::Database => "database",
            Kind::Cache => "cache",
            Kind::Cdn => "cdn",
            Kind::Queue => "queue",
            Kind::Workers => "workers",
            Kind::ShardRouter => "shard_router",
            Kind::Monitoring => "monitoring",
            Kind::RateLimiter => "rate_limiter",
        }
    }
}

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
    Limiter(RateLimiterNode),
}

/// Each kind's typed parameters, by the kind's own name for them.
pub mod params {
    pub use super::cache::Params as Cache;
    pub use super::cdn::Params as Cdn;
    pub use super::database::{Params as Database, Role};
    pub use super::dns::{Params as Dns, Routing};
    pub use super::lb::{LbAlgorithm, Params as LoadBalancer};
    pub use super::monitor::{Autoscale, Params as Monitoring};
    pub use super::queue::Params as Queue;
    pub use super::rate_limiter::Params as RateLimiter;
    pub use super::router::Params as ShardRouter;
    pub use super::session_store::Params as SessionStore;
    pub use super::users::Params as Users;
    pub use super::web_server::Params as WebServer;
    pub use super::workers::Params as Workers;
    pub use crate::model::data::{KeyDist, ReplicationMode, WritePolicy};
}

/// A node's parameters, typed: one variant per kind, read once from the
/// checked values when the design is validated, so nothing looks a
/// parameter up by its key while the design runs.
#[derive(Debug, Clone, PartialEq)]
pub enum Params {
    /// A Users node's.
    Users(params::Users),
    /// A DNS server's.
    Dns(params::Dns),
    /// A load balancer's.
    LoadBalancer(params::LoadBalancer),
    /// A web server's.
    WebServer(params::WebServer),
    /// A session store's.
    SessionStore(params::SessionStore),
    /// A database's.
    Database(params::Database),
    /// A cache's.
    Cache(params::Cache),
    /// A CDN's.
    Cdn(params::Cdn),
    /// A message queue's.
    Queue(params::Queue),
    /// A worker pool's.
    Workers(params::Workers),
    /// A shard router's.
    ShardRouter(params::ShardRouter),
    /// The monitoring node's.
    Monitoring(params::Monitoring),
    /// A rate limiter's.
    RateLimiter(params::RateLimiter),
}

impl Kind {
    /// This kind's typed parameters, read from checked values.
    pub fn read(self, r: &crate::design::Reader) -> Params {
        match self {
            Kind::Users => Params::Users(users::Params::read(r)),
            Kind::Dns => Params::Dns(dns::Params::read(r)),
            Kind::LoadBalancer => Params::LoadBalancer(lb::Params::read(r)),
            Kind::WebServer => Params::WebServer(web_server::Params::read(r)),
            Kind::SessionStore => Params::SessionStore(session_store::Params::read(r)),
            Kind::Database => Params::Database(database::Params::read(r)),
            Kind::Cache => Params::Cache(cache::Params::read(r)),
            Kind::Cdn => Params::Cdn(cdn::Params::read(r)),
            Kind::Queue => Params::Queue(queue::Params::read(r)),
            Kind::Workers => Params::Workers(workers::Params::read(r)),
            Kind::ShardRouter => Params::ShardRouter(router::Params::read(r)),
            Kind::Monitoring => Params::Monitoring(monitor::Params::read(r)),
            Kind::RateLimiter => Params::RateLimiter(rate_limiter::Params::read(r)),
        }
    }
}

impl Params {
    /// A Users node's parameters, if these are.
    pub fn users(&self) -> Option<&params::Users> {
        if let Params::Users(p) = self {
            Some(p)
        } else {
            None
        }
    }

    /// A database's parameters, if these are.
    pub fn database(&self) -> Option<&params::Database> {
        if let Params::Database(p) = self {
            Some(p)
        } else {
            None
        }
    }

    /// A web server's parameters, if these are.
    pub fn web_server(&self) -> Option<&params::WebServer> {
        if let Params::WebServer(p) = self {
            Some(p)
        } else {
            None
        }
    }
}

/// What happens next, in time order: a request's hop ending, the sampling
/// tick, and each group's own events, which live with the module that
/// handles them (`LbEvent` in `lb.rs`, …); [`Simulation::on_event`] hands
/// each to its handler.
#[derive(Debug, Clone, Copy)]
pub(in crate::model) enum Event {
    /// A request (or reply) reaches the end of its network hop.
    Deliver { req: u32 },
    /// End of a time-series interval.
    Sample,
    /// A Users node's events.
    Users(UsersEvent),
    /// A DNS server's events.
    Dns(DnsEvent),
    /// A load balancer's events.
    Lb(LbEvent),
    /// A station's events.
    Station(StationEvent),
    /// Replication's events: binlog shipping, applying,
    /// acknowledgements, failure detection.
    Replication(ReplicationEvent),
    /// A cache's events.
    Cache(CacheEvent),
    /// A message queue's events.
    Queue(QueueEvent),
    /// A worker pool's events.
    Workers(WorkersEvent),
    /// Events of a web server's calls under a policy.
    Call(CallEvent),
    /// The monitoring node's events.
    Monitor(MonitorEvent),
    /// A shard router's events.
    Router(RouterEvent),
    /// Faults: one starting, or one ending.
    Faults(FaultEvent),
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
        match &n.params {
            Params::Users(p) => NodeState::Users(UsersNode::build(p, rng, &w)),
            Params::Dns(p) => NodeState::Dns(DnsNode::build(p, rng, &w)),
            Params::LoadBalancer(p) => NodeState::Lb(LbNode::build(p, rng, &w)),
            Params::Cdn(p) => NodeState::Cdn(CdnNode::build(p, &w)),
            Params::Queue(p) => NodeState::Queue(QueueNode::build(p, w.targets_of(Kind::Workers))),
            Params::Workers(p) => NodeState::Workers(WorkersNode::build(p, rng)),
            Params::Monitoring(p) => NodeState::Monitor(Box::new(MonitorNode::build(p))),
            Params::ShardRouter(p) => NodeState::Router(RouterNode::build(p, rng, &w)),
            Params::RateLimiter(p) => NodeState::Limiter(RateLimiterNode::build(p, &w)),
            Params::WebServer(p) => {
                NodeState::Station(Station::build(&n.id, Serves::WebServer(p), rng, &w))
            }
            Params::Database(p) => {
                NodeState::Station(Station::build(&n.id, Serves::Database(p), rng, &w))
            }
            Params::SessionStore(p) => {
                NodeState::Station(Station::build(&n.id, Serves::SessionStore(p), rng, &w))
            }
            Params::Cache(p) => {
                NodeState::Station(Station::build(&n.id, Serves::Cache(p), rng, &w))
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
            (NodeState::Limiter(new), NodeState::Limiter(old)) => new.inherit(old, now),
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
            NodeState::Limiter(l) => l.reset_measurements(),
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
            NodeState::Limiter(l) => l.up,
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
            NodeState::Limiter(_) => rate_limiter::PRICE,
        }
    }

    /// Figures of this node; `elapsed` is the measured time (> 0) [ns].
    pub fn snapshot(&self, id: &str, kind: Kind, now: Nanos, elapsed: Nanos) -> NodeSnapshot {
        let mut snap = NodeSnapshot::new(
            id,
            kind,
            self.is_up(),
            self.price_per_hour(now) * HOURS_PER_MONTH,
        );
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
            NodeState::Limiter(l) => l.snapshot_into(&mut snap),
            NodeState::Users(_) | NodeState::Dns(_) | NodeState::Monitor(_) => {}
        }
        snap
    }
}

impl Simulation {
    /// Hands an event to the module that handles it.
    // Inlined into the event loop: out of line it cost 2 % of the event
    // rate on the reference design (instructions counted by cachegrind).
    #[inline(always)]
    pub(in crate::model) fn on_event(&mut self, event: Event) {
        match event {
            Event::Deliver { req } => self.on_deliver(req),
            Event::Sample => self.on_sample(),
            Event::Users(e) => self.on_users_event(e),
            Event::Dns(e) => self.on_dns_event(e),
            Event::Lb(e) => self.on_lb_event(e),
            Event::Station(e) => self.on_station_event(e),
            Event::Replication(e) => self.on_replication_event(e),
            Event::Cache(e) => self.on_cache_event(e),
            Event::Queue(e) => self.on_queue_event(e),
            Event::Workers(e) => self.on_workers_event(e),
            Event::Call(e) => self.on_call_event(e),
            Event::Monitor(e) => self.on_monitor_event(e),
            Event::Router(e) => self.on_router_event(e),
            Event::Faults(e) => self.on_fault_event(e),
        }
    }

    /// Starts the timers node `i` runs on its own in a new simulation
    /// (autoscalers and the monitor's scrapes are started before, by
    /// `start_autoscalers` and `attach_monitor`).
    pub(in crate::model) fn start_timers(&mut self, i: u32) {
        let timer = match &mut self.nodes[i as usize] {
            NodeState::Users(u) => Some(u.arrival_after(i, 0)),
            NodeState::Lb(lb) => Some(lb.check_after(i, 0)),
            NodeState::Dns(d) => d.check_after(i, 0),
            // Autoscalers and the monitor's scrapes started before; the
            // others act only when a request or job arrives.
            NodeState::Workers(_)
            | NodeState::Monitor(_)
            | NodeState::Station(_)
            | NodeState::Cdn(_)
            | NodeState::Queue(_)
            | NodeState::Router(_)
            | NodeState::Limiter(_) => None,
        };
        if let Some((at, event)) = timer {
            self.events.schedule(at, event);
        }
    }

    /// Node `idx`, added by an edit at `now`, joins: its measurements
    /// start now and its timers run.
    pub(in crate::model) fn join(&mut self, idx: u32, now: Nanos) {
        let timer = match &mut self.nodes[idx as usize] {
            NodeState::Station(s) => {
                s.reset_measurements(now);
                None
            }
            NodeState::Lb(lb) => Some(lb.check_after(idx, now)),
            NodeState::Dns(d) => d.check_after(idx, now),
            NodeState::Workers(w) => w.autoscale_after(idx, now),
            // Users start sending in `resume`; the monitor's first scrape
            // is `attach_monitor`'s; the others wait for work.
            NodeState::Users(_)
            | NodeState::Cdn(_)
            | NodeState::Queue(_)
            | NodeState::Router(_)
            | NodeState::Monitor(_)
            | NodeState::Limiter(_) => None,
        };
        if let Some((at, event)) = timer {
            self.events.schedule(at, event);
        }
    }

    /// Node `idx` takes up its work again after an edit at `now`.
    pub(in crate::model) fn resume(&mut self, idx: u32, now: Nanos) {
        match &mut self.nodes[idx as usize] {
            // Arrivals are memoryless: a fresh draw at the new rate is exact
            // (the old pending arrival is now stale).
            NodeState::Users(u) => {
                let (at, event) = u.arrival_after(idx, now);
                self.events.schedule(at, event);
            }
            NodeState::Station(_) => self.drain_into_free_workers(idx),
            // Their timers run on (new ones were started in `join`).
            NodeState::Dns(_)
            | NodeState::Lb(_)
            | NodeState::Cdn(_)
            | NodeState::Queue(_)
            | NodeState::Workers(_)
            | NodeState::Router(_)
            | NodeState::Monitor(_)
            | NodeState::Limiter(_) => {}
        }
    }

    /// A request reaches `node`.
    pub(in crate::model) fn arrive(&mut self, req: u32, node: u32) {
        match self.kinds[node as usize] {
            Kind::Dns => self.arrive_at_dns(req, node),
            Kind::LoadBalancer => self.forward_at_lb(req, node),
            Kind::Cdn => self.arrive_at_cdn(req, node),
            Kind::Queue => self.arrive_at_queue(req, node),
            Kind::ShardRouter => self.forward_at_router(req, node),
            Kind::RateLimiter => self.arrive_at_limiter(req, node),
            Kind::WebServer | Kind::Database | Kind::SessionStore | Kind::Cache => {
                self.arrive_at_station(req, node)
            }
            Kind::Workers => unreachable!("workers take jobs, not requests"),
            Kind::Users => unreachable!("requests never travel towards Users"),
            Kind::Monitoring => unreachable!("nothing sends requests to monitoring"),
        }
    }

    /// A reply (or an error) reaches `node`, which sent the request.
    pub(in crate::model) fn answer_arrives(&mut self, req: u32, node: u32) {
        match self.kinds[node as usize] {
            Kind::Users => self.on_reply_at_users(req, node),
            Kind::LoadBalancer => self.on_reply_at_lb(req, node),
            Kind::Cdn => self.on_reply_at_cdn(req, node),
            Kind::ShardRouter => self.on_reply_at_router(req, node),
            Kind::RateLimiter => self.on_reply_at_limiter(req, node),
            Kind::WebServer | Kind::Database | Kind::SessionStore | Kind::Cache => {
                self.on_reply_at_station(req, node)
            }
            Kind::Dns | Kind::Queue | Kind::Workers | Kind::Monitoring => {
                unreachable!(
                    "a {:?} never waits for an answer",
                    self.kinds[node as usize]
                )
            }
        }
    }

    /// A crash takes node `node` down: what it held is lost. Returns the
    /// requests it had queued and the login sessions it lost, or `None` if
    /// the kind cannot crash.
    pub(in crate::model) fn crash_state(&mut self, node: u32) -> Option<(Vec<u32>, u64)> {
        let now = self.now;
        let nothing_held = (Vec::new(), 0);
        Some(match &mut self.nodes[node as usize] {
            NodeState::Station(s) => s.crash(now),
            NodeState::Lb(lb) => {
                lb.crash();
                nothing_held
            }
            NodeState::Dns(d) => {
                d.crash();
                nothing_held
            }
            NodeState::Cdn(c) => {
                c.crash();
                nothing_held
            }
            NodeState::Router(r) => {
                r.crash();
                nothing_held
            }
            NodeState::Limiter(l) => {
                l.crash();
                nothing_held
            }
            NodeState::Monitor(m) => {
                m.crash();
                nothing_held
            }
            // Their crashes are `queue_killed` and `workers_killed`.
            NodeState::Queue(_) | NodeState::Workers(_) => nothing_held,
            NodeState::Users(_) => return None,
        })
    }

    /// What else a crash of `node` does, by kind.
    pub(in crate::model) fn crashed(&mut self, node: u32) {
        match self.kinds[node as usize] {
            Kind::Cache => self.cache_killed(node),
            Kind::Queue => self.queue_killed(node),
            Kind::Workers => self.workers_killed(node),
            Kind::Database => self.db_killed(node),
            Kind::Users
            | Kind::Dns
            | Kind::LoadBalancer
            | Kind::WebServer
            | Kind::SessionStore
            | Kind::Cdn
            | Kind::ShardRouter
            | Kind::Monitoring
            | Kind::RateLimiter => {}
        }
    }

    /// A restart brings node `node` back up; returns `false` if the kind
    /// cannot crash.
    pub(in crate::model) fn restart_state(&mut self, node: u32) -> bool {
        let now = self.now;
        let timer = match &mut self.nodes[node as usize] {
            NodeState::Station(s) => s.restart(now),
            NodeState::Lb(lb) => lb.restart(now, node),
            NodeState::Dns(d) => d.restart(now, node),
            NodeState::Cdn(c) => c.restart(),
            NodeState::Router(r) => r.restart(),
            NodeState::Limiter(l) => l.restart(now),
            NodeState::Monitor(m) => m.restart(now, node),
            // Their restarts are `queue_restarted` and `workers_restarted`.
            NodeState::Queue(_) | NodeState::Workers(_) => None,
            NodeState::Users(_) => return false,
        };
        if let Some((at, event)) = timer {
            self.events.schedule(at, event);
        }
        true
    }

    /// What else a restart of `node` does, by kind.
    pub(in crate::model) fn restarted(&mut self, node: u32) {
        match self.kinds[node as usize] {
            Kind::Queue => self.queue_restarted(node),
            Kind::Workers => self.workers_restarted(node),
            Kind::Database => self.db_restarted(node),
            Kind::Users
            | Kind::Dns
            | Kind::LoadBalancer
            | Kind::WebServer
            | Kind::SessionStore
            | Kind::Cache
            | Kind::Cdn
            | Kind::ShardRouter
            | Kind::Monitoring
            | Kind::RateLimiter => {}
        }
    }
}
