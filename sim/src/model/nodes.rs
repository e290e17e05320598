//! The state each kind of node keeps while a simulation runs.

use super::data::{CacheNode, DbNode, KeySampler, WritePolicy};
use super::jobs::{QueueNode, WorkersNode};
use super::log::LogEvent;
use super::report::{CacheFigures, NodeSnapshot};
use crate::cache::{CacheStore, Eviction};
use crate::catalog::{
    CACHE_PRICE, CACHE_PRICE_PER_MILLION, DATABASE_PRICE_FACTOR, HOURS_PER_MONTH, Kind,
    LOAD_BALANCER_PRICE, QUEUE_PRICE, SESSION_STORE_PRICE, size,
};
use crate::design::{Design, Node};
use crate::rng::{SimRng, below, stream};
use crate::service::ServiceTime;
use crate::time::{Nanos, SECOND, from_ms, from_secs};
use rand_distr::{Distribution, Exp};
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::VecDeque;

/// Seconds in a day, for DAU-based rates [s].
const SECONDS_PER_DAY: f64 = 86_400.0;

#[derive(Debug)]
pub(super) enum NodeState {
    Users(UsersNode),
    Dns(DnsNode),
    Lb(LbNode),
    Station(Station),
    Cdn(CdnNode),
    Queue(QueueNode),
    Workers(WorkersNode),
    Router(RouterNode),
    Monitor(Box<super::monitor::MonitorNode>),
}

/// A shard router: a proxy that sends each query to the shard holding its
/// record.
#[derive(Debug)]
pub(super) struct RouterNode {
    pub placement: crate::sharding::Placement,
    /// Each shard's master as designed (node index), in placement order.
    pub shards: Vec<u32>,
    /// Queries sent to each shard since measurement started.
    pub per_shard: Vec<u64>,
    pub next_replica: u32,
    pub up: bool,
    pub epoch: u32,
    pub rng: SimRng,
    /// Share of page reads that join every shard [%].
    pub join_pct: f64,
    /// Whether joined data is copied into each record (reads need one
    /// shard; such writes update every shard) instead of fanned out.
    pub denormalized: bool,
    /// Cross-shard operations fanned out since measurement started.
    pub fan_outs: u64,
    /// Records copied per second when shards change [1/s].
    pub migrate_rate: f64,
    /// Records moving to a new shard after an edit changed the shards.
    pub migration: Option<super::reshard::Migration>,
    /// Writes on their way, by record (a record does not move under one).
    pub writes_in_flight: super::reshard::WritesInFlight,
}

impl RouterNode {
    /// The designed master of the shard holding `key` now: where it still
    /// is if it has not moved yet.
    pub fn owner(&self, key: u32) -> u32 {
        if let Some(from) = self.migration.as_ref().and_then(|m| m.still_at(key)) {
            return from;
        }
        self.shards[self.placement.shard_of(key)]
    }
}

/// A CDN: edge caches for static files, fetching misses from an origin.
#[derive(Debug)]
pub(super) struct CdnNode {
    pub store: CacheStore,
    /// One-way delay user ↔ edge [ns].
    pub edge: Nanos,
    /// One-way delay edge ↔ origin [ns].
    pub origin: Nanos,
    /// Size of one file [bytes].
    pub object_bytes: f64,
    pub price_per_gb: f64,
    /// Where misses are fetched from, in turn.
    pub origins: Vec<u32>,
    pub next_origin: usize,
    pub up: bool,
    pub epoch: u32,
    pub hits: u64,
    pub misses: u64,
    /// Measurements since.
    pub since: Nanos,
    pub served: u64,
}

impl CdnNode {
    /// The traffic bill at the rate served since `since` [USD/hour].
    pub fn price_per_hour(&self, now: Nanos) -> f64 {
        let secs = crate::time::to_secs(now.saturating_sub(self.since));
        if secs <= 0.0 {
            return 0.0;
        }
        self.served as f64 * self.object_bytes / 1e9 * self.price_per_gb / secs * 3_600.0
    }
}

#[derive(Debug)]
pub(super) struct UsersNode {
    pub rng: SimRng,
    /// Requests per second without any spike [req/s].
    base_rate: f64,
    interarrival: Exp<f64>,
    /// Incremented whenever the rate changes, so stale arrivals are ignored.
    pub epoch: u32,
    pub population: u64,
    pub network: Nanos,
    pub timeout: Nanos,
    pub write_pct: f64,
    pub static_pct: f64,
    /// Which records requests pick.
    pub keys: KeySampler,
    /// Share of successful writes followed by a read of the same record [%].
    pub read_back_pct: f64,
    /// Reads staler than this are incorrect [ns].
    pub stale_bound: Nanos,
    /// When each user last had a write acknowledged [ns] (what a
    /// read-your-writes cookie remembers).
    pub last_write: FxHashMap<u32, Nanos>,
    /// Where dynamic requests go (DNS, load balancer or web server).
    pub targets: Vec<u32>,
    /// CDNs that serve static files.
    pub cdns: Vec<u32>,
    /// Their region (index into `GEO_REGIONS`), if not next to the site.
    pub geo: Option<usize>,
    /// Each user's cached DNS answer: (entry node, expiry time [ns]).
    pub dns_cache: FxHashMap<u32, (u32, Nanos)>,
    /// Where each user's current login session lives (the node that created
    /// it). Logging in again elsewhere replaces it: the browser's session
    /// cookie can name only one.
    pub session_at: FxHashMap<u32, u32>,
}

impl UsersNode {
    /// Time to the next arrival [ns].
    pub fn next_gap(&mut self) -> Nanos {
        from_secs(self.interarrival.sample(&mut self.rng))
    }

    /// Multiplies the base rate by `factor` (1 = back to normal).
    pub fn set_rate_factor(&mut self, factor: f64) {
        self.interarrival =
            Exp::new(self.base_rate * factor).expect("validated: positive finite rate");
        self.epoch += 1;
    }
}

#[derive(Debug)]
pub(super) struct DnsNode {
    pub rng: SimRng,
    pub lookup: Nanos,
    pub ttl: Nanos,
    pub targets: Vec<u32>,
    pub up: bool,
    pub epoch: u32,
    /// GeoDNS: answer with the nearest target it believes healthy.
    pub nearest: bool,
    /// Weighted answers: each target's weight, in `targets` order; the
    /// answer is a healthy target drawn in proportion.
    pub weights: Option<Vec<f64>>,
    /// GeoDNS health checks: interval [ns] and its view of each target.
    pub interval: Nanos,
    pub health: Vec<Backend>,
}

impl DnsNode {
    /// Whether it checks its targets' health (GeoDNS and weighted answers).
    pub fn checks_health(&self) -> bool {
        self.nearest || self.weights.is_some()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum LbAlgorithm {
    RoundRobin,
    Random,
    LeastConnections,
    PowerOfTwo,
    Sticky,
}

/// A load balancer's view of one server.
#[derive(Debug, Clone, Copy)]
pub(super) struct Backend {
    pub node: u32,
    /// Whether the load balancer currently sends to it.
    pub healthy: bool,
    fails: u32,
    passes: u32,
    /// Requests sent to it and not yet answered.
    pub outstanding: u32,
}

impl Backend {
    pub fn new(node: u32) -> Self {
        Self {
            node,
            healthy: true,
            fails: 0,
            passes: 0,
            outstanding: 0,
        }
    }

    /// Records one health probe; returns the log event if the verdict changed.
    pub fn probe(
        &mut self,
        ok: bool,
        unhealthy_after: u32,
        healthy_after: u32,
    ) -> Option<LogEvent> {
        if ok {
            self.fails = 0;
            self.passes += 1;
            if !self.healthy && self.passes >= healthy_after {
                self.healthy = true;
                return Some(LogEvent::MarkedHealthy { backend: self.node });
            }
        } else {
            self.passes = 0;
            self.fails += 1;
            if self.healthy && self.fails >= unhealthy_after {
                self.healthy = false;
                return Some(LogEvent::MarkedUnhealthy {
                    backend: self.node,
                    failed_checks: self.fails,
                });
            }
        }
        None
    }
}

#[derive(Debug)]
pub(super) struct LbNode {
    pub rng: SimRng,
    pub algorithm: LbAlgorithm,
    pub backends: Vec<Backend>,
    next_rr: usize,
    pub interval: Nanos,
    pub unhealthy_after: u32,
    pub healthy_after: u32,
    /// Sticky assignments: user key → backend node.
    sticky: FxHashMap<u64, u32>,
    pub up: bool,
    pub epoch: u32,
    pub forwarded: u64,
}

impl LbNode {
    /// Chooses a backend (index) among those believed healthy, or `None`.
    pub fn pick(&mut self, user_key: u64) -> Option<usize> {
        let n = self.backends.len();
        let healthy = self.backends.iter().filter(|b| b.healthy).count();
        if healthy == 0 {
            return None;
        }
        // The k-th healthy backend, in design order.
        let nth = |backends: &[Backend], k: usize| {
            backends
                .iter()
                .enumerate()
                .filter(|(_, b)| b.healthy)
                .nth(k)
                .map(|(i, _)| i)
                .expect("k < healthy count")
        };
        match self.algorithm {
            LbAlgorithm::RoundRobin => {
                for _ in 0..n {
                    let i = self.next_rr % n;
                    self.next_rr = self.next_rr.wrapping_add(1);
                    if self.backends[i].healthy {
                        return Some(i);
                    }
                }
                None
            }
            LbAlgorithm::Random => {
                let k = below(&mut self.rng, healthy as u64) as usize;
                Some(nth(&self.backends, k))
            }
            LbAlgorithm::LeastConnections => self
                .backends
                .iter()
                .enumerate()
                .filter(|(_, b)| b.healthy)
                .min_by_key(|(i, b)| (b.outstanding, *i))
                .map(|(i, _)| i),
            LbAlgorithm::PowerOfTwo => {
                let a = nth(
                    &self.backends,
                    below(&mut self.rng, healthy as u64) as usize,
                );
                let b = nth(
                    &self.backends,
                    below(&mut self.rng, healthy as u64) as usize,
                );
                Some(
                    if self.backends[b].outstanding < self.backends[a].outstanding {
                        b
                    } else {
                        a
                    },
                )
            }
            LbAlgorithm::Sticky => {
                if let Some(i) = self
                    .sticky
                    .get(&user_key)
                    .and_then(|&node| self.backends.iter().position(|b| b.node == node))
                    && self.backends[i].healthy
                {
                    return Some(i);
                }
                // New user, or their server was taken out: assign round robin.
                let i = (0..n)
                    .map(|k| (self.next_rr + k) % n)
                    .find(|&i| self.backends[i].healthy)?;
                self.next_rr = self.next_rr.wrapping_add(1);
                self.sticky.insert(user_key, self.backends[i].node);
                Some(i)
            }
        }
    }
}

/// A node with a pool of workers and a bounded FIFO queue: web server,
/// database, session store.
#[derive(Debug)]
pub(super) struct Station {
    pub rng: SimRng,
    pub workers: u32,
    pub busy: u32,
    pub queue: VecDeque<u32>,
    pub capacity: usize,
    service: ServiceTime,
    /// Service-time multiplier (1 = normal; a "slow" fault raises it).
    pub slow: f64,
    /// Queued requests older than this are dropped when dequeued [ns];
    /// 0 = never.
    pub queue_timeout: Nanos,
    /// The session store a web server checks logins with.
    pub session_store: Option<u32>,
    /// Databases a web server is connected to (masters and replicas).
    pub dbs: Vec<u32>,
    /// Round-robin position over read replicas.
    pub next_replica: u32,
    /// Time for a write, on a database [ns].
    write_service: Option<ServiceTime>,
    /// Replication state, on a database.
    pub db: Option<Box<DbNode>>,
    /// Caches a web server reads through (records split by key).
    pub caches: Vec<u32>,
    /// The store, on a cache.
    pub cache: Option<Box<CacheNode>>,
    /// The queue a web server hands slow jobs to.
    pub job_queue: Option<u32>,
    /// The shard router a web server sends its queries through.
    pub router: Option<u32>,
    /// Share of writes with a slow job [%].
    pub job_pct: f64,
    /// How long a slow job takes [ns].
    pub job_time: Nanos,
    /// Whether this node keeps login sessions (a web server without a
    /// session store, or the session store itself).
    pub owns_sessions: bool,
    /// Sessions held: (Users node << 32 | user).
    pub sessions: FxHashSet<u64>,
    /// A web server's call policies, one per connection that has one.
    pub calls: Vec<super::calls::CallEdge>,
    pub up: bool,
    pub epoch: u32,
    price_per_hour: f64,
    // Measurements since `since`.
    since: Nanos,
    pub served: u64,
    pub dropped: u64,
    pub visits: u64,
    pub wait_ns: u128,
    pub busy_ns: u128,
    busy_area: u128,
    queue_area: u128,
    /// Worker-time available [worker·ns]: the workers there were, over time
    /// (an edit may resize the server).
    slot_area: u128,
    last_change: Nanos,
}

impl Station {
    /// Brings the time integrals up to `now`; call before busy, queue or
    /// the number of workers change.
    pub fn account(&mut self, now: Nanos) {
        let dt = u128::from(now - self.last_change);
        self.busy_area += u128::from(self.busy) * dt;
        self.queue_area += self.queue.len() as u128 * dt;
        self.slot_area += u128::from(self.workers) * dt;
        self.last_change = now;
    }

    /// Worker-time spent busy up to `now` [worker·ns] (restarts at a
    /// measurement reset).
    pub fn busy_integral(&self, now: Nanos) -> u128 {
        self.busy_area + u128::from(self.busy) * u128::from(now - self.last_change)
    }

    /// Draws one service time [ns] (of a write, if `write` and the node
    /// has a separate write time), stretched by any slow-down.
    pub fn sample_service(&mut self, write: bool) -> Nanos {
        let t = match &self.write_service {
            Some(w) if write => w.sample(&mut self.rng),
            _ => self.service.sample(&mut self.rng),
        };
        if self.slow == 1.0 {
            t
        } else {
            (t as f64 * self.slow) as Nanos
        }
    }

    pub fn reset_measurements(&mut self, now: Nanos) {
        self.calls.iter_mut().for_each(|c| c.reset_measurements());
        if let Some(c) = self.cache.as_deref_mut() {
            c.hits = 0;
            c.misses = 0;
            c.coalesced = 0;
            c.duplicate_misses = 0;
            c.store.evictions = 0;
            c.store.expirations = 0;
        }
        self.since = now;
        self.served = 0;
        self.dropped = 0;
        self.visits = 0;
        self.wait_ns = 0;
        self.busy_ns = 0;
        self.busy_area = 0;
        self.queue_area = 0;
        self.slot_area = 0;
        self.last_change = now;
    }
}

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
        let targets: Vec<u32> = design.out[i].iter().map(|&t| map[t]).collect();
        let kind_of = |sim_index: u32| {
            let d = map.iter().position(|&m| m == sim_index).expect("mapped");
            design.nodes[d].kind
        };
        match n.kind {
            Kind::Users => {
                let (rate, population) = if n.choice("mode") == "dau" {
                    let dau = n.number("dau");
                    let rate = dau * n.number("requests_per_user_day") / SECONDS_PER_DAY
                        * n.number("peak_factor");
                    (rate, dau as u64)
                } else {
                    (n.number("rate_rps"), n.number("population") as u64)
                };
                NodeState::Users(UsersNode {
                    rng,
                    base_rate: rate,
                    interarrival: Exp::new(rate).expect("validated: positive finite rate"),
                    epoch: 0,
                    population: population.clamp(1, u64::from(u32::MAX)),
                    network: from_ms(n.number("network_ms")),
                    timeout: from_ms(n.number("timeout_ms")),
                    write_pct: n.number("write_pct"),
                    static_pct: n.number("static_pct"),
                    keys: KeySampler::new(
                        n.choice("key_dist"),
                        n.number("keys") as u64,
                        n.number("zipf_alpha"),
                        n.number("hot_keys_pct"),
                        n.number("hot_traffic_pct"),
                    ),
                    read_back_pct: n.number("read_back_pct"),
                    stale_bound: from_ms(n.number("stale_bound_ms")),
                    last_write: FxHashMap::default(),
                    geo: crate::catalog::GEO_REGIONS
                        .iter()
                        .position(|g| *g == n.choice("region")),
                    cdns: targets
                        .iter()
                        .copied()
                        .filter(|&t| kind_of(t) == Kind::Cdn)
                        .collect(),
                    targets: targets
                        .iter()
                        .copied()
                        .filter(|&t| kind_of(t) != Kind::Cdn)
                        .collect(),
                    dns_cache: FxHashMap::default(),
                    session_at: FxHashMap::default(),
                })
            }
            Kind::Dns => NodeState::Dns(DnsNode {
                rng,
                lookup: from_ms(n.number("lookup_ms")),
                ttl: from_secs(n.number("ttl_s")),
                health: targets.iter().map(|&t| Backend::new(t)).collect(),
                targets,
                up: true,
                epoch: 0,
                nearest: n.choice("routing") == "nearest",
                weights: (n.choice("routing") == "weighted").then(|| {
                    design.out_params[i]
                        .iter()
                        .map(|p| p.number("weight").unwrap_or(1.0))
                        .collect()
                }),
                interval: from_secs(n.number("health_interval_s")),
            }),
            Kind::LoadBalancer => NodeState::Lb(LbNode {
                rng,
                algorithm: super::LbAlgorithm::from_name(n.choice("algorithm")),
                backends: targets.iter().map(|&t| Backend::new(t)).collect(),
                next_rr: 0,
                interval: from_secs(n.number("health_interval_s")),
                unhealthy_after: n.number("unhealthy_after") as u32,
                healthy_after: n.number("healthy_after") as u32,
                sticky: FxHashMap::default(),
                up: true,
                epoch: 0,
                forwarded: 0,
            }),
            Kind::Cdn => NodeState::Cdn(CdnNode {
                store: CacheStore::new(
                    n.number("capacity") as usize,
                    Eviction::Lru,
                    from_secs(n.number("ttl_s")),
                ),
                edge: from_ms(n.number("edge_ms")),
                origin: from_ms(n.number("origin_ms")),
                object_bytes: n.number("object_kb") * 1_000.0,
                price_per_gb: n.number("price_per_gb"),
                origins: targets,
                next_origin: 0,
                up: true,
                epoch: 0,
                hits: 0,
                misses: 0,
                since: 0,
                served: 0,
            }),
            Kind::Queue => NodeState::Queue(QueueNode::build(
                n,
                targets
                    .iter()
                    .copied()
                    .filter(|&t| kind_of(t) == Kind::Workers)
                    .collect(),
            )),
            Kind::Workers => NodeState::Workers(WorkersNode::build(n, rng)),
            Kind::Monitoring => NodeState::Monitor(Box::new(super::monitor::MonitorNode::build(n))),
            Kind::ShardRouter => {
                let names: Vec<String> = design.out[i]
                    .iter()
                    .map(|&d| design.nodes[d].id.clone())
                    .collect();
                // Key ranges split the largest key space any users draw from.
                let keys = design
                    .nodes
                    .iter()
                    .filter(|u| u.kind == Kind::Users)
                    .map(|u| u.number("keys") as u64)
                    .max()
                    .unwrap_or(1);
                let strategy = crate::sharding::Strategy::from_name(n.choice("strategy"))
                    .unwrap_or(crate::sharding::Strategy::Consistent);
                NodeState::Router(RouterNode {
                    placement: crate::sharding::Placement::new(
                        strategy,
                        &names,
                        keys,
                        n.number("vnodes") as u32,
                    ),
                    per_shard: vec![0; targets.len()],
                    shards: targets,
                    next_replica: 0,
                    up: true,
                    epoch: 0,
                    rng,
                    join_pct: n.number("join_pct"),
                    migrate_rate: n.number("migrate_keys_per_s"),
                    migration: None,
                    writes_in_flight: Default::default(),
                    denormalized: n.choice("joins") == "denormalized",
                    fan_outs: 0,
                })
            }
            Kind::WebServer | Kind::Database | Kind::SessionStore | Kind::Cache => {
                let (workers, price, owns_sessions, queue_timeout) = match n.kind {
                    Kind::WebServer => {
                        let (w, p) = size_of(n);
                        let has_store = targets.iter().any(|&t| kind_of(t) == Kind::SessionStore);
                        (w, p, !has_store, from_ms(n.number("queue_timeout_ms")))
                    }
                    Kind::Database => {
                        let (w, p) = size_of(n);
                        (w, p * DATABASE_PRICE_FACTOR, false, 0)
                    }
                    Kind::Cache => (
                        1,
                        CACHE_PRICE + CACHE_PRICE_PER_MILLION * n.number("capacity") / 1e6,
                        false,
                        0,
                    ),
                    _ => (1, SESSION_STORE_PRICE, true, 0),
                };
                let service = match n.kind {
                    Kind::SessionStore | Kind::Cache => {
                        ServiceTime::new("exponential", n.number("service_ms"), 0.0)
                    }
                    _ => ServiceTime::new(
                        n.choice("service_dist"),
                        n.number("service_ms"),
                        n.number("service_cv"),
                    ),
                };
                let session_store = targets
                    .iter()
                    .copied()
                    .find(|&t| kind_of(t) == Kind::SessionStore);
                let (dbs, write_service, db) = match n.kind {
                    Kind::WebServer => (
                        targets
                            .iter()
                            .copied()
                            .filter(|&t| kind_of(t) == Kind::Database)
                            .collect(),
                        None,
                        None,
                    ),
                    Kind::Database => {
                        let replica = n.choice("role") == "replica";
                        let (apply_time, link) = if replica {
                            (
                                (SECOND as f64 / n.number("apply_rate")).round().max(1.0) as Nanos,
                                from_ms(n.number("link_ms")),
                            )
                        } else {
                            (1, 0)
                        };
                        (
                            Vec::new(),
                            Some(ServiceTime::new(
                                n.choice("service_dist"),
                                n.number("write_ms"),
                                n.number("service_cv"),
                            )),
                            Some(Box::new(DbNode::new(0, apply_time, link))),
                        )
                    }
                    _ => (Vec::new(), None, None),
                };
                let caches = targets
                    .iter()
                    .copied()
                    .filter(|&t| kind_of(t) == Kind::Cache)
                    .collect();
                let cache = (n.kind == Kind::Cache).then(|| {
                    Box::new(CacheNode::new(
                        CacheStore::new(
                            n.number("capacity") as usize,
                            Eviction::from_name(n.choice("eviction")).unwrap_or(Eviction::Lru),
                            from_secs(n.number("ttl_s")),
                        ),
                        WritePolicy::from_name(n.choice("write_policy")),
                        n.choice("coalesce") == "on",
                        from_ms(n.number("lease_ms")),
                    ))
                });
                NodeState::Station(Station {
                    rng,
                    workers,
                    busy: 0,
                    queue: VecDeque::new(),
                    capacity: n.number("queue_capacity") as usize,
                    service,
                    slow: 1.0,
                    queue_timeout,
                    session_store,
                    dbs,
                    next_replica: 0,
                    write_service,
                    db,
                    caches,
                    cache,
                    job_queue: targets.iter().copied().find(|&t| kind_of(t) == Kind::Queue),
                    router: targets
                        .iter()
                        .copied()
                        .find(|&t| kind_of(t) == Kind::ShardRouter),
                    job_pct: if n.kind == Kind::WebServer {
                        n.number("job_pct")
                    } else {
                        0.0
                    },
                    job_time: if n.kind == Kind::WebServer {
                        from_ms(n.number("job_ms"))
                    } else {
                        0
                    },
                    owns_sessions,
                    sessions: FxHashSet::default(),
                    calls: design.out[i]
                        .iter()
                        .zip(&design.out_params[i])
                        .filter_map(|(&d, p)| {
                            let policy = super::calls::Policy::from_params(p)?;
                            let name = format!("{}→{}", n.id, design.nodes[d].id);
                            Some(super::calls::CallEdge::new(
                                map[d],
                                policy,
                                stream(design.seed, &name),
                            ))
                        })
                        .collect(),
                    up: true,
                    epoch: 0,
                    price_per_hour: price,
                    since: 0,
                    served: 0,
                    dropped: 0,
                    visits: 0,
                    wait_ns: 0,
                    busy_ns: 0,
                    busy_area: 0,
                    queue_area: 0,
                    slot_area: 0,
                    last_change: 0,
                })
            }
        }
    }

    /// Takes over the dynamic state of `old` (the same node before an edit)
    /// into this freshly built state: what is queued, held, cached, logged
    /// in, known about health, and measured stays; parameters and wiring
    /// come from the edit.
    pub fn inherit(&mut self, old: NodeState, now: Nanos) {
        match (self, old) {
            (NodeState::Users(new), NodeState::Users(old)) => {
                new.rng = old.rng;
                new.dns_cache = old.dns_cache;
                new.session_at = old.session_at;
                new.last_write = old.last_write;
                new.epoch = old.epoch + 1; // the caller draws a fresh arrival
            }
            (NodeState::Dns(new), NodeState::Dns(old)) => {
                new.rng = old.rng;
                new.up = old.up;
                new.epoch = old.epoch;
                for b in &mut new.health {
                    if let Some(o) = old.health.iter().find(|o| o.node == b.node) {
                        *b = *o;
                    }
                }
            }
            (NodeState::Lb(new), NodeState::Lb(old)) => {
                new.rng = old.rng;
                new.up = old.up;
                new.epoch = old.epoch;
                new.next_rr = old.next_rr;
                new.sticky = old.sticky;
                new.forwarded = old.forwarded;
                for b in &mut new.backends {
                    if let Some(o) = old.backends.iter().find(|o| o.node == b.node) {
                        *b = *o;
                    }
                }
            }
            (NodeState::Station(new), NodeState::Station(mut old)) => {
                // The old size's time up to now is counted at the old size.
                old.account(now);
                new.rng = old.rng;
                new.busy = old.busy;
                new.queue = old.queue;
                new.slow = old.slow;
                new.sessions = old.sessions;
                new.next_replica = old.next_replica;
                let mut old_calls = old.calls;
                for c in &mut new.calls {
                    if let Some(i) = old_calls.iter().position(|o| o.to == c.to) {
                        c.inherit(old_calls.swap_remove(i));
                    }
                }
                if let (Some(new_cache), Some(mut old_cache)) = (&mut new.cache, old.cache) {
                    let s = &new_cache.store;
                    let (capacity, policy, ttl) = (s.capacity(), s.policy(), s.ttl());
                    old_cache.store.reconfigure(capacity, policy, ttl);
                    old_cache.write_policy = new_cache.write_policy;
                    old_cache.coalesce = new_cache.coalesce;
                    old_cache.lease = new_cache.lease;
                    *new_cache = old_cache;
                }
                if let (Some(new_db), Some(old_db)) = (&mut new.db, old.db) {
                    let (apply_time, link) = (new_db.apply_time, new_db.link);
                    *new_db = old_db;
                    new_db.apply_time = apply_time;
                    new_db.link = link;
                }
                new.up = old.up;
                new.epoch = old.epoch;
                new.since = old.since;
                new.served = old.served;
                new.dropped = old.dropped;
                new.visits = old.visits;
                new.wait_ns = old.wait_ns;
                new.busy_ns = old.busy_ns;
                new.busy_area = old.busy_area;
                new.queue_area = old.queue_area;
                new.slot_area = old.slot_area;
                new.last_change = old.last_change;
            }
            (NodeState::Cdn(new), NodeState::Cdn(mut old)) => {
                let s = &new.store;
                old.store.reconfigure(s.capacity(), s.policy(), s.ttl());
                new.store = old.store;
                new.next_origin = old.next_origin;
                new.up = old.up;
                new.epoch = old.epoch;
                new.hits = old.hits;
                new.misses = old.misses;
                new.since = old.since;
                new.served = old.served;
            }
            (NodeState::Queue(new), NodeState::Queue(old)) => new.inherit(old),
            (NodeState::Monitor(new), NodeState::Monitor(old)) => new.inherit(*old),
            (NodeState::Workers(new), NodeState::Workers(old)) => new.inherit(old),
            (NodeState::Router(new), NodeState::Router(mut old)) => {
                new.up = old.up;
                new.epoch = old.epoch;
                new.next_replica = old.next_replica;
                new.rng = old.rng.clone();
                new.fan_outs = old.fan_outs;
                new.writes_in_flight = std::mem::take(&mut old.writes_in_flight);
                if new.shards == old.shards {
                    new.per_shard = old.per_shard;
                    new.migration = old.migration;
                } else if !new.shards.is_empty() {
                    let keys = new.placement.keys();
                    let rate = new.migrate_rate;
                    let new_owner = |k: u32| new.shards[new.placement.shard_of(k)];
                    new.migration = Some(super::reshard::Migration::new(
                        |k| old.owner(k),
                        new_owner,
                        keys,
                        rate,
                        now,
                    ));
                }
            }
            (new, old) => *new = old, // kinds never change under patch
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
            NodeState::Cdn(c) => {
                c.since = now;
                c.served = 0;
                c.hits = 0;
                c.misses = 0;
                c.store.evictions = 0;
                c.store.expirations = 0;
            }
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

    /// What the node costs [USD/hour].
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
            NodeState::Station(s) => {
                let dt = u128::from(now - s.last_change);
                let busy_area = s.busy_area + u128::from(s.busy) * dt;
                let queue_area = s.queue_area + s.queue.len() as u128 * dt;
                let slot_area = s.slot_area + u128::from(s.workers) * dt;
                snap.busy = s.busy;
                snap.workers = s.workers;
                snap.queue_len = s.queue.len() as u32;
                snap.queue_capacity = s.capacity as u32;
                snap.served = s.served;
                snap.dropped = s.dropped;
                // Busy worker-time over available worker-time (the same as
                // busy ÷ (workers × elapsed) unless the server was resized).
                snap.utilization = if slot_area > 0 {
                    busy_area as f64 / slot_area as f64
                } else {
                    0.0
                };
                snap.mean_queue = queue_area as f64 / elapsed as f64;
                if s.visits > 0 {
                    snap.mean_wait_ms = s.wait_ns as f64 / s.visits as f64 / 1e6;
                }
                if s.served > 0 {
                    snap.mean_busy_ms = s.busy_ns as f64 / s.served as f64 / 1e6;
                }
                snap.sessions = s.sessions.len() as u64;
                snap.totals = super::report::NodeTotals {
                    busy_area: busy_area as f64,
                    slot_area: slot_area as f64,
                    queue_area: queue_area as f64,
                    waited_ns: s.wait_ns as f64,
                    visits: s.visits,
                    held_ns: s.busy_ns as f64,
                };
                if let Some(c) = &s.cache {
                    snap.cache = Some(CacheFigures::new(
                        c.hits,
                        c.misses,
                        c.store.len() as u64,
                        c.store.evictions,
                        c.store.expirations,
                        c.coalesced,
                        c.duplicate_misses,
                    ));
                }
                let _ = s.since;
            }
            NodeState::Lb(lb) => snap.served = lb.forwarded,
            NodeState::Router(r) => {
                snap.served = r.per_shard.iter().sum();
                snap.shard_queries = r.per_shard.clone();
                snap.reshard = r.migration.as_ref().map(|m| m.figures);
            }
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
            NodeState::Cdn(c) => {
                snap.served = c.served;
                snap.cache = Some(CacheFigures::new(
                    c.hits,
                    c.misses,
                    c.store.len() as u64,
                    c.store.evictions,
                    c.store.expirations,
                    0,
                    0,
                ));
            }
            _ => {}
        }
        snap
    }
}
