//! Stations: a pool of workers with a bounded FIFO queue — web servers,
//! databases, session stores and caches — and how a request is served
//! there: queue, work, the calls a web server makes, the reply.

use super::Wiring;
use super::database::Role;
use crate::cache::CacheStore;
use crate::catalog::{
    CACHE_PRICE, CACHE_PRICE_PER_MILLION, DATABASE_PRICE_FACTOR, Kind, SESSION_STORE_PRICE,
};
use crate::model::data::{CacheNode, DbNode};
use crate::model::report::{CacheFigures, NodeSnapshot};
use crate::model::{ErrorCause, Event, Frame, NodeState, RequestKind, Simulation};
use crate::rng::{SimRng, area, stream};
use crate::service::ServiceTime;
use crate::time::{Nanos, SECOND};
use rand_core::Rng;
use rustc_hash::FxHashSet;
use std::collections::VecDeque;

/// A node with a pool of workers and a bounded FIFO queue: web server,
/// database, session store.
#[derive(Debug)]
pub(in crate::model) struct Station {
    /// Which kind of station it is.
    pub kind: StationKind,
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
    pub calls: Vec<crate::model::calls::CallEdge>,
    pub up: bool,
    pub epoch: u32,
    pub price_per_hour: f64,
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

/// The kinds a station stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::model) enum StationKind {
    WebServer,
    Database,
    SessionStore,
    Cache,
}

/// A station kind's parameters, as the station builds from them.
#[derive(Debug, Clone, Copy)]
pub(in crate::model) enum Serves<'a> {
    WebServer(&'a super::web_server::Params),
    Database(&'a super::database::Params),
    Cache(&'a super::cache::Params),
    SessionStore(&'a super::session_store::Params),
}

impl Station {
    /// Crashes at `now`: the work in hand and the login sessions held are
    /// lost. Returns the queued requests (to fail) and the sessions lost.
    pub fn crash(&mut self, now: Nanos) -> (Vec<u32>, u64) {
        self.account(now);
        self.up = false;
        self.epoch += 1;
        self.busy = 0;
        self.calls.iter_mut().for_each(|c| c.reset());
        let queued = self.queue.drain(..).collect();
        let lost_sessions = self.sessions.len() as u64;
        self.sessions.clear();
        (queued, lost_sessions)
    }

    /// Comes back at `now`, empty; no timer of its own.
    pub fn restart(&mut self, now: Nanos) -> Option<(Nanos, Event)> {
        self.account(now);
        self.up = true;
        None
    }

    /// Brings the time integrals up to `now`; call before busy, queue or
    /// the number of workers change.
    pub fn account(&mut self, now: Nanos) {
        let dt = now - self.last_change;
        self.busy_area += area(u64::from(self.busy), dt);
        self.queue_area += area(self.queue.len() as u64, dt);
        self.slot_area += area(u64::from(self.workers), dt);
        self.last_change = now;
    }

    /// Worker-time spent busy up to `now` [worker·ns] (restarts at a
    /// measurement reset).
    pub fn busy_integral(&self, now: Nanos) -> u128 {
        self.busy_area + area(u64::from(self.busy), now - self.last_change)
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

impl Station {
    /// Builds node `id` from its kind's parameters and its wiring.
    pub fn build(id: &str, serves: Serves, rng: SimRng, w: &Wiring) -> Self {
        let design = w.design;
        let map = w.map;
        let i = w.i;
        let targets = w.targets.clone();
        let kind_of = |t: u32| w.kind_of(t);
        let target_of = |kind: Kind| targets.iter().copied().find(|&t| kind_of(t) == kind);
        let targets_of = |kind: Kind| -> Vec<u32> {
            targets
                .iter()
                .copied()
                .filter(|&t| kind_of(t) == kind)
                .collect()
        };
        let session_store = target_of(Kind::SessionStore);
        let (station, workers, price, owns_sessions, queue_timeout, capacity) = match serves {
            Serves::WebServer(p) => (
                StationKind::WebServer,
                p.size.vcpus,
                p.size.price_per_hour,
                session_store.is_none(),
                p.queue_timeout,
                p.queue_capacity,
            ),
            Serves::Database(p) => (
                StationKind::Database,
                p.size.vcpus,
                p.size.price_per_hour * DATABASE_PRICE_FACTOR,
                false,
                0,
                p.queue_capacity,
            ),
            Serves::Cache(p) => (
                StationKind::Cache,
                1,
                CACHE_PRICE + CACHE_PRICE_PER_MILLION * p.capacity as f64 / 1e6,
                false,
                0,
                p.queue_capacity,
            ),
            Serves::SessionStore(p) => (
                StationKind::SessionStore,
                1,
                SESSION_STORE_PRICE,
                true,
                0,
                p.queue_capacity,
            ),
        };
        let service = match serves {
            Serves::SessionStore(p) => ServiceTime::new("exponential", p.service_ms, 0.0),
            Serves::Cache(p) => ServiceTime::new("exponential", p.service_ms, 0.0),
            Serves::WebServer(p) => ServiceTime::new(p.service_dist, p.service_ms, p.service_cv),
            Serves::Database(p) => ServiceTime::new(p.service_dist, p.service_ms, p.service_cv),
        };
        let (dbs, write_service, db) = match serves {
            Serves::WebServer(_) => (targets_of(Kind::Database), None, None),
            Serves::Database(p) => {
                let (apply_time, link) = if p.role == Role::Replica {
                    (
                        (SECOND as f64 / p.apply_rate).round().max(1.0) as Nanos,
                        p.link,
                    )
                } else {
                    (1, 0)
                };
                (
                    Vec::new(),
                    Some(ServiceTime::new(p.service_dist, p.write_ms, p.service_cv)),
                    Some(Box::new(DbNode::new(0, apply_time, link))),
                )
            }
            Serves::SessionStore(_) | Serves::Cache(_) => (Vec::new(), None, None),
        };
        let caches = targets_of(Kind::Cache);
        let cache = match serves {
            Serves::Cache(p) => Some(Box::new(CacheNode::new(
                CacheStore::new(p.capacity, p.eviction, p.ttl),
                p.write_policy,
                p.coalesce,
                p.lease,
            ))),
            Serves::WebServer(_) | Serves::Database(_) | Serves::SessionStore(_) => None,
        };
        let (job_pct, job_time) = match serves {
            Serves::WebServer(p) => (p.job_pct, p.job),
            Serves::Database(_) | Serves::Cache(_) | Serves::SessionStore(_) => (0.0, 0),
        };
        Station {
            kind: station,
            rng,
            workers,
            busy: 0,
            queue: VecDeque::new(),
            capacity,
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
            job_queue: target_of(Kind::Queue),
            router: target_of(Kind::ShardRouter),
            job_pct,
            job_time,
            owns_sessions,
            sessions: FxHashSet::default(),
            calls: design.out[i]
                .iter()
                .zip(&design.out_params[i])
                .filter_map(|(&d, p)| {
                    let policy = crate::model::calls::Policy::from_params(p)?;
                    let name = format!("{id}→{}", design.nodes[d].id);
                    Some(crate::model::calls::CallEdge::new(
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
        }
    }

    /// Takes over the dynamic state of `old` (the same node before an
    /// edit): parameters and wiring stay as built from the edit.
    pub fn inherit(&mut self, mut old: Self, now: Nanos) {
        // The old size's time up to now is counted at the old size.
        old.account(now);
        self.rng = old.rng;
        self.busy = old.busy;
        self.queue = old.queue;
        self.slow = old.slow;
        self.sessions = old.sessions;
        self.next_replica = old.next_replica;
        let mut old_calls = old.calls;
        for c in &mut self.calls {
            if let Some(i) = old_calls.iter().position(|o| o.to == c.to) {
                c.inherit(old_calls.swap_remove(i));
            }
        }
        if let (Some(new_cache), Some(mut old_cache)) = (&mut self.cache, old.cache) {
            let s = &new_cache.store;
            let (capacity, policy, ttl) = (s.capacity(), s.policy(), s.ttl());
            old_cache.store.reconfigure(capacity, policy, ttl);
            old_cache.write_policy = new_cache.write_policy;
            old_cache.coalesce = new_cache.coalesce;
            old_cache.lease = new_cache.lease;
            *new_cache = old_cache;
        }
        if let (Some(new_db), Some(old_db)) = (&mut self.db, old.db) {
            let (apply_time, link) = (new_db.apply_time, new_db.link);
            *new_db = old_db;
            new_db.apply_time = apply_time;
            new_db.link = link;
        }
        self.up = old.up;
        self.epoch = old.epoch;
        self.since = old.since;
        self.served = old.served;
        self.dropped = old.dropped;
        self.visits = old.visits;
        self.wait_ns = old.wait_ns;
        self.busy_ns = old.busy_ns;
        self.busy_area = old.busy_area;
        self.queue_area = old.queue_area;
        self.slot_area = old.slot_area;
        self.last_change = old.last_change;
    }

    /// Fills in this node's figures; `elapsed` is the measured time (> 0)
    /// [ns].
    pub fn snapshot_into(&self, snap: &mut NodeSnapshot, now: Nanos, elapsed: Nanos) {
        let s = self;
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
        snap.totals = crate::model::report::NodeTotals {
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
}

/// A station's events.
#[derive(Debug, Clone, Copy)]
pub(in crate::model) enum StationEvent {
    /// A worker finished processing (failed if the node crashed since).
    ServiceDone { req: u32, node: u32, epoch: u32 },
}

impl Simulation {
    /// Handles one of these events.
    pub(in crate::model) fn on_station_event(&mut self, e: StationEvent) {
        match e {
            StationEvent::ServiceDone { req, node, epoch } => {
                self.on_service_done(req, node, epoch)
            }
        }
    }

    /// Starts queued requests while the server has free workers.
    pub(in crate::model) fn drain_into_free_workers(&mut self, node: u32) {
        let now = self.now;
        loop {
            let s = self.station(node);
            if s.busy >= s.workers || !s.up {
                return;
            }
            let Some(req) = s.queue.pop_front() else {
                return;
            };
            s.account(now);
            s.busy += 1;
            self.start_service(req, node);
        }
    }

    pub(in crate::model) fn station(&mut self, node: u32) -> &mut Station {
        match &mut self.nodes[node as usize] {
            NodeState::Station(s) => s,
            _ => unreachable!("node {node} is not a server"),
        }
    }

    pub(in crate::model) fn arrive_at_station(&mut self, req: u32, node: u32) {
        let now = self.now;
        let s = self.station(node);
        if !s.up {
            return self.reject(req, node, ErrorCause::NodeDown);
        }
        if s.busy >= s.workers && s.queue.len() >= s.capacity {
            s.dropped += 1;
            return self.reject(req, node, ErrorCause::QueueFull);
        }
        let epoch = s.epoch;
        self.requests[req as usize].stack.push(Frame {
            node,
            next: 0,
            epoch,
            arrived: now,
            started: now,
        });
        let s = self.station(node);
        s.account(now);
        if s.busy < s.workers {
            s.busy += 1;
            self.start_service(req, node);
        } else {
            s.queue.push_back(req);
        }
    }

    /// A worker (already counted busy) takes `req`.
    pub(in crate::model) fn start_service(&mut self, req: u32, node: u32) {
        let now = self.now;
        let write = self.requests[req as usize].kind == RequestKind::Write;
        let s = match &mut self.nodes[node as usize] {
            NodeState::Station(s) => s,
            _ => unreachable!(),
        };
        let mut service = s.sample_service(write);
        let mut job = false;
        if write && s.job_pct > 0.0 {
            let roll = s.rng.next_u64() as f64 / u64::MAX as f64 * 100.0;
            if roll < s.job_pct {
                job = true;
                if s.job_queue.is_none() {
                    // No queue: the slow work happens inside the request.
                    service += s.job_time;
                }
            }
        }
        let job_ns = s.job_time;
        let epoch = s.epoch;
        s.visits += 1;
        let r = &mut self.requests[req as usize];
        let frame = r
            .stack
            .last_mut()
            .expect("a request at a server has a frame");
        frame.started = now;
        let waited = now - frame.arrived;
        s.wait_ns += u128::from(waited);
        r.queue_ns += waited;
        r.service_ns += service;
        if job {
            r.job = true;
            r.job_ns = job_ns;
        }
        if let Some(h) = r.hops.last_mut() {
            h.started = now;
        }
        self.events.schedule(
            now + service,
            Event::Station(StationEvent::ServiceDone { req, node, epoch }),
        );
    }

    pub(in crate::model) fn on_service_done(&mut self, req: u32, node: u32, epoch: u32) {
        let s = self.station(node);
        let (crashed, owns_sessions, station) = (s.epoch != epoch, s.owns_sessions, s.kind);
        if crashed {
            // The server crashed while processing: the caller's connection
            // breaks.
            let r = &mut self.requests[req as usize];
            r.stack.pop();
            return self.reject(req, node, ErrorCause::NodeDown);
        }
        let (origin, user, kind) = {
            let r = &self.requests[req as usize];
            (r.origin, r.user, r.kind)
        };
        if kind.is_dynamic() && owns_sessions {
            self.check_session(req, node, origin, user);
        }
        match station {
            StationKind::Database => self.data_op(req, node),
            StationKind::Cache => self.cache_op(req, node),
            StationKind::WebServer | StationKind::SessionStore => {
                self.call_next_or_reply(req, node)
            }
        }
    }

    pub(in crate::model) fn on_reply_at_station(&mut self, req: u32, node: u32) {
        let frame = *self.requests[req as usize]
            .stack
            .last()
            .expect("a reply at a server has its frame");
        if frame.epoch != self.station(node).epoch {
            // The server crashed while it waited for this call.
            self.requests[req as usize].stack.pop();
            return self.reject(req, node, ErrorCause::NodeDown);
        }
        self.call_next_or_reply(req, node);
    }

    /// After processing, or after a dependency answered: call the next
    /// dependency this request needs, or release the worker and reply.
    pub(in crate::model) fn call_next_or_reply(&mut self, req: u32, node: u32) {
        let now = self.now;
        if let Some(dep) = self.next_call(req, node) {
            if self.has_policy(node, dep) {
                return self.start_call(req, node, dep, 1);
            }
            self.send(req, node, dep, false);
            return;
        }
        let r = &mut self.requests[req as usize];
        let frame = r.stack.pop().expect("a request at a server has a frame");
        if let Some(h) = r.hops.iter_mut().rev().find(|h| h.node == node) {
            h.left = now;
        }
        let busy_for = now - frame.started;
        let caller = r.stack.last().map_or(r.origin, |f| f.node);
        self.send(req, node, caller, true);
        let s = self.station(node);
        s.served += 1;
        s.busy_ns += u128::from(busy_for);
        self.release_worker(node);
    }

    /// Ends `req`'s service at `node` without answering: the worker is
    /// free, the request stays (a write waiting for replicas).
    pub(in crate::model) fn finish_service(&mut self, req: u32, node: u32) {
        let now = self.now;
        let r = &mut self.requests[req as usize];
        let started = r.stack.last().map_or(now, |f| f.started);
        let s = self.station(node);
        s.served += 1;
        s.busy_ns += u128::from(now - started);
        self.release_worker(node);
    }

    /// Answers a request whose service at `node` already ended.
    pub(in crate::model) fn reply_parked(&mut self, req: u32, node: u32) {
        let now = self.now;
        let r = &mut self.requests[req as usize];
        r.stack.pop();
        if let Some(h) = r.hops.iter_mut().rev().find(|h| h.node == node) {
            h.left = now;
        }
        let caller = r.stack.last().map_or(r.origin, |f| f.node);
        self.send(req, node, caller, true);
    }

    /// A worker is free: give it the next queued request that is still worth
    /// serving, or let it idle.
    pub(in crate::model) fn release_worker(&mut self, node: u32) {
        let now = self.now;
        loop {
            let s = self.station(node);
            s.account(now);
            // After an edit made the server smaller, workers beyond the new
            // count retire as they finish.
            let Some(next) = s.queue.pop_front().filter(|_| s.busy <= s.workers) else {
                s.busy -= 1;
                return;
            };
            let timeout = s.queue_timeout;
            let arrived = self.requests[next as usize]
                .stack
                .last()
                .map_or(now, |f| f.arrived);
            if timeout > 0 && now - arrived > timeout {
                self.requests[next as usize].stack.pop();
                self.reject(next, node, ErrorCause::Timeout);
                continue;
            }
            self.start_service(next, node);
            return;
        }
    }
}
