//! The simulation: requests moving through the nodes of a validated design.
//!
//! ```text
//!   Users ──(DNS lookup if the user's cached answer expired)──► entry
//!   entry = Web server: wait for a worker (bounded FIFO queue) → process
//!           → call each dependency in turn (Database …), holding the worker
//!           → reply
//!   Database: wait for a connection (bounded FIFO queue) → execute → reply
//! ```
//!
//! Every figure in a [`Snapshot`] is counted from these requests; nothing is
//! drawn from a configured rate of errors or hits.

use crate::catalog::Kind;
use crate::design::{Design, DesignDoc, Problems};
use crate::engine::EventQueue;
use crate::metrics::{LatencyHistogram, LatencySummary};
use crate::rng::{SimRng, below, stream};
use crate::service::ServiceTime;
use crate::time::{MICROSECOND, Nanos, from_ms, from_secs, to_secs};
use rand_distr::{Distribution, Exp};
use serde::Serialize;
use std::collections::{HashMap, VecDeque};

/// One-way network delay between two nodes inside a data center [ns].
pub const INTERNAL_LATENCY: Nanos = 500 * MICROSECOND;

/// Why a request failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCause {
    /// A server's queue was full, so it rejected the request.
    QueueFull,
}

/// Counts of failed requests by cause.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct ErrorCounts {
    /// Rejected because a queue was full.
    pub queue_full: u64,
}

impl ErrorCounts {
    /// All failed requests.
    pub fn total(&self) -> u64 {
        self.queue_full
    }

    fn add(&mut self, cause: ErrorCause) {
        match cause {
            ErrorCause::QueueFull => self.queue_full += 1,
        }
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
}

/// How loaded a node with a worker pool is right now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Load {
    /// Workers (or connections) busy.
    pub busy: u32,
    /// Workers (or connections) in all.
    pub workers: u32,
    /// Requests waiting in the queue.
    pub queue_len: u32,
    /// Queue capacity.
    pub queue_capacity: u32,
}

/// Per-node figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeSnapshot {
    /// Node id.
    pub id: String,
    /// Node kind.
    pub kind: Kind,
    /// Workers (or connections) busy right now.
    pub busy: u32,
    /// Workers (or connections) in all; 0 for nodes without a pool.
    pub workers: u32,
    /// Requests waiting in the queue right now.
    pub queue_len: u32,
    /// Queue capacity; 0 for nodes without a queue.
    pub queue_capacity: u32,
    /// Requests this node finished processing.
    pub served: u64,
    /// Requests this node rejected because its queue was full.
    pub dropped: u64,
    /// Mean share of workers busy since the start, 0..=1.
    pub utilization: f64,
    /// Time-averaged number of requests waiting in the queue.
    pub mean_queue: f64,
}

/// Figures of the whole run so far.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Snapshot {
    /// Simulated time [ns].
    pub now_ns: Nanos,
    /// Requests sent by users.
    pub arrivals: u64,
    /// Requests answered successfully.
    pub completed: u64,
    /// Requests answered with an error, by cause.
    pub errors: ErrorCounts,
    /// Requests sent but not yet answered.
    pub in_flight: u64,
    /// Successful answers per second of simulated time [req/s].
    pub throughput_rps: f64,
    /// Share of answered requests that failed, 0..=1.
    pub error_rate: f64,
    /// Latency of successful requests, from the user's send to the user's
    /// receipt of the answer [ms].
    pub latency_ms: LatencySummary,
    /// Per-node figures, in design order.
    pub nodes: Vec<NodeSnapshot>,
    /// Events processed so far.
    pub events: u64,
}

#[derive(Debug, Clone, Copy)]
enum Event {
    /// The next request from a Users node.
    Arrival { users: u32 },
    /// A request (or reply) reaches the end of its network hop.
    Deliver { req: u32 },
    /// A DNS server finished one lookup.
    LookupDone { req: u32, dns: u32 },
    /// A worker finished processing a request.
    ServiceDone { req: u32, node: u32 },
}

#[derive(Debug, Clone, Copy)]
struct Transit {
    from: u32,
    to: u32,
    depart: Nanos,
    arrive: Nanos,
    reply: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Phase {
    /// Asking DNS for the entry's address.
    Resolving,
    /// Talking to the site.
    Requesting,
}

/// One frame of a request's call stack: the node working on it and the index
/// of the next dependency it will call.
#[derive(Debug, Clone, Copy)]
struct Frame {
    node: u32,
    next_dep: u32,
}

#[derive(Debug, Clone)]
struct Request {
    origin: u32,
    user: u32,
    created: Nanos,
    phase: Phase,
    /// Entry node the user talks to once its address is known.
    entry: u32,
    stack: Vec<Frame>,
    transit: Option<Transit>,
    error: Option<ErrorCause>,
    live: bool,
}

#[derive(Debug)]
struct UsersNode {
    rng: SimRng,
    interarrival: Exp<f64>,
    population: u64,
    network: Nanos,
    targets: Vec<u32>,
    /// Each user's cached DNS answer: (entry node, expiry time [ns]).
    dns_cache: HashMap<u32, (u32, Nanos)>,
}

#[derive(Debug)]
struct DnsNode {
    rng: SimRng,
    lookup: Nanos,
    ttl: Nanos,
    targets: Vec<u32>,
}

#[derive(Debug)]
struct Station {
    rng: SimRng,
    workers: u32,
    busy: u32,
    queue: VecDeque<u32>,
    capacity: usize,
    service: ServiceTime,
    deps: Vec<u32>,
    served: u64,
    dropped: u64,
    /// ∫ busy dt [worker·ns] up to `last_change`.
    busy_area: u128,
    /// ∫ queue length dt [request·ns] up to `last_change`.
    queue_area: u128,
    last_change: Nanos,
}

impl Station {
    /// Brings the time integrals up to `now`; call before busy or queue change.
    fn account(&mut self, now: Nanos) {
        let dt = u128::from(now - self.last_change);
        self.busy_area += u128::from(self.busy) * dt;
        self.queue_area += self.queue.len() as u128 * dt;
        self.last_change = now;
    }
}

#[derive(Debug)]
enum NodeState {
    Users(UsersNode),
    Dns(DnsNode),
    Station(Station),
}

/// A running simulation of one design.
#[derive(Debug)]
pub struct Simulation {
    now: Nanos,
    events: EventQueue<Event>,
    ids: Vec<String>,
    kinds: Vec<Kind>,
    nodes: Vec<NodeState>,
    requests: Vec<Request>,
    free: Vec<u32>,
    in_transit: u64,
    processed: u64,
    arrivals: u64,
    completed: u64,
    errors: ErrorCounts,
    latency: LatencyHistogram,
}

impl Simulation {
    /// Validates a design document and builds a simulation from it.
    pub fn from_doc(doc: &DesignDoc) -> Result<Self, Problems> {
        doc.validate().map(|d| Self::new(&d))
    }

    /// Builds a simulation of a validated design at time 0.
    pub fn new(design: &Design) -> Self {
        let seed = design.seed;
        let out: Vec<Vec<u32>> = design
            .out
            .iter()
            .map(|v| v.iter().map(|&i| i as u32).collect())
            .collect();
        let mut nodes = Vec::with_capacity(design.nodes.len());
        for (i, n) in design.nodes.iter().enumerate() {
            let rng = stream(seed, &n.id);
            let state = match n.kind {
                Kind::Users => NodeState::Users(UsersNode {
                    rng,
                    interarrival: Exp::new(n.number("rate_rps"))
                        .expect("validated: rate is positive and finite"),
                    population: n.number("population") as u64,
                    network: from_ms(n.number("network_ms")),
                    targets: out[i].clone(),
                    dns_cache: HashMap::new(),
                }),
                Kind::Dns => NodeState::Dns(DnsNode {
                    rng,
                    lookup: from_ms(n.number("lookup_ms")),
                    ttl: from_secs(n.number("ttl_s")),
                    targets: out[i].clone(),
                }),
                Kind::WebServer | Kind::Database => {
                    let workers_key = if n.kind == Kind::WebServer {
                        "workers"
                    } else {
                        "connections"
                    };
                    NodeState::Station(Station {
                        rng,
                        workers: n.number(workers_key) as u32,
                        busy: 0,
                        queue: VecDeque::new(),
                        capacity: n.number("queue_capacity") as usize,
                        service: ServiceTime::new(
                            n.choice("service_dist"),
                            n.number("service_ms"),
                            n.number("service_cv"),
                        ),
                        deps: out[i].clone(),
                        served: 0,
                        dropped: 0,
                        busy_area: 0,
                        queue_area: 0,
                        last_change: 0,
                    })
                }
            };
            nodes.push(state);
        }
        let mut sim = Simulation {
            now: 0,
            events: EventQueue::new(),
            ids: design.nodes.iter().map(|n| n.id.clone()).collect(),
            kinds: design.nodes.iter().map(|n| n.kind).collect(),
            nodes,
            requests: Vec::new(),
            free: Vec::new(),
            in_transit: 0,
            processed: 0,
            arrivals: 0,
            completed: 0,
            errors: ErrorCounts::default(),
            latency: LatencyHistogram::default(),
        };
        for i in 0..sim.nodes.len() {
            if let NodeState::Users(u) = &mut sim.nodes[i] {
                let first = from_secs(u.interarrival.sample(&mut u.rng));
                sim.events
                    .schedule(first, Event::Arrival { users: i as u32 });
            }
        }
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

    /// Processes exactly one event and returns its time [ns], or `None` if
    /// nothing is scheduled.
    pub fn step(&mut self) -> Option<Nanos> {
        let (time, event) = self.events.pop()?;
        self.now = time;
        self.processed += 1;
        match event {
            Event::Arrival { users } => self.on_arrival(users),
            Event::Deliver { req } => self.on_deliver(req),
            Event::LookupDone { req, dns } => self.on_lookup_done(req, dns),
            Event::ServiceDone { req, node } => self.on_service_done(req, node),
        }
        Some(time)
    }

    /// Events processed so far.
    pub fn events_processed(&self) -> u64 {
        self.processed
    }

    fn alloc_request(&mut self, origin: u32, user: u32) -> u32 {
        let fresh = Request {
            origin,
            user,
            created: self.now,
            phase: Phase::Requesting,
            entry: 0,
            stack: Vec::new(),
            transit: None,
            error: None,
            live: true,
        };
        match self.free.pop() {
            Some(id) => {
                // Reuse the slot and its stack's allocation.
                let slot = &mut self.requests[id as usize];
                let mut stack = std::mem::take(&mut slot.stack);
                stack.clear();
                *slot = Request { stack, ..fresh };
                id
            }
            None => {
                self.requests.push(fresh);
                (self.requests.len() - 1) as u32
            }
        }
    }

    /// Puts request `req` on the network from `from` to `to`.
    fn send(&mut self, req: u32, from: u32, to: u32, reply: bool) {
        let latency = match (&self.nodes[from as usize], &self.nodes[to as usize]) {
            (NodeState::Users(u), _) | (_, NodeState::Users(u)) => u.network,
            _ => INTERNAL_LATENCY,
        };
        let arrive = self.now + latency;
        self.requests[req as usize].transit = Some(Transit {
            from,
            to,
            depart: self.now,
            arrive,
            reply,
        });
        self.in_transit += 1;
        self.events.schedule(arrive, Event::Deliver { req });
    }

    fn on_arrival(&mut self, users: u32) {
        let now = self.now;
        let NodeState::Users(u) = &mut self.nodes[users as usize] else {
            unreachable!("arrival events are only scheduled for Users nodes")
        };
        let next = now + from_secs(u.interarrival.sample(&mut u.rng));
        let user = below(&mut u.rng, u.population) as u32;
        // Each user has one way in: the target its id maps to.
        let target = u.targets[user as usize % u.targets.len()];
        let cached = u
            .dns_cache
            .get(&user)
            .filter(|(_, expiry)| *expiry > now)
            .map(|(entry, _)| *entry);
        self.events.schedule(next, Event::Arrival { users });
        self.arrivals += 1;

        let req = self.alloc_request(users, user);
        if self.kinds[target as usize] == Kind::Dns {
            match cached {
                Some(entry) => {
                    self.requests[req as usize].entry = entry;
                    self.send(req, users, entry, false);
                }
                None => {
                    self.requests[req as usize].phase = Phase::Resolving;
                    self.send(req, users, target, false);
                }
            }
        } else {
            self.requests[req as usize].entry = target;
            self.send(req, users, target, false);
        }
    }

    fn on_deliver(&mut self, req: u32) {
        let transit = self.requests[req as usize]
            .transit
            .take()
            .expect("a delivered request was in transit");
        self.in_transit -= 1;
        let node = transit.to;
        if transit.reply {
            match self.kinds[node as usize] {
                Kind::Users => self.on_reply_at_users(req, node),
                _ => self.call_next_or_reply(req, node),
            }
        } else {
            match self.kinds[node as usize] {
                Kind::Dns => {
                    let NodeState::Dns(d) = &self.nodes[node as usize] else {
                        unreachable!()
                    };
                    let done = self.now + d.lookup;
                    self.events
                        .schedule(done, Event::LookupDone { req, dns: node });
                }
                Kind::WebServer | Kind::Database => self.arrive_at_station(req, node),
                Kind::Users => unreachable!("requests never travel towards Users"),
            }
        }
    }

    fn on_lookup_done(&mut self, req: u32, dns: u32) {
        let NodeState::Dns(d) = &mut self.nodes[dns as usize] else {
            unreachable!()
        };
        let pick = below(&mut d.rng, d.targets.len() as u64) as usize;
        let entry = d.targets[pick];
        let origin = self.requests[req as usize].origin;
        self.requests[req as usize].entry = entry;
        self.send(req, dns, origin, true);
    }

    fn on_reply_at_users(&mut self, req: u32, users: u32) {
        let r = &mut self.requests[req as usize];
        if r.phase == Phase::Resolving {
            // The DNS answer arrived: cache it for the TTL, then connect.
            r.phase = Phase::Requesting;
            let (user, entry) = (r.user, r.entry);
            let dns_ttl = self.dns_ttl_for(users);
            let NodeState::Users(u) = &mut self.nodes[users as usize] else {
                unreachable!()
            };
            u.dns_cache.insert(user, (entry, self.now + dns_ttl));
            self.send(req, users, entry, false);
            return;
        }
        let latency = self.now - r.created;
        match r.error {
            None => {
                self.completed += 1;
                self.latency.record(latency);
            }
            Some(cause) => self.errors.add(cause),
        }
        r.live = false;
        self.free.push(req);
    }

    /// TTL [ns] of the DNS node the given Users node resolves through.
    fn dns_ttl_for(&self, users: u32) -> Nanos {
        let NodeState::Users(u) = &self.nodes[users as usize] else {
            return 0;
        };
        u.targets
            .iter()
            .find_map(|&t| match &self.nodes[t as usize] {
                NodeState::Dns(d) => Some(d.ttl),
                _ => None,
            })
            .unwrap_or(0)
    }

    fn station(&mut self, node: u32) -> &mut Station {
        match &mut self.nodes[node as usize] {
            NodeState::Station(s) => s,
            _ => unreachable!("node {node} is not a server"),
        }
    }

    fn arrive_at_station(&mut self, req: u32, node: u32) {
        let now = self.now;
        let s = self.station(node);
        if s.busy < s.workers {
            s.account(now);
            s.busy += 1;
            let done = now + s.service.sample(&mut s.rng);
            self.requests[req as usize]
                .stack
                .push(Frame { node, next_dep: 0 });
            self.events.schedule(done, Event::ServiceDone { req, node });
        } else if s.queue.len() < s.capacity {
            s.account(now);
            s.queue.push_back(req);
            self.requests[req as usize]
                .stack
                .push(Frame { node, next_dep: 0 });
        } else {
            s.dropped += 1;
            let r = &mut self.requests[req as usize];
            r.error = Some(ErrorCause::QueueFull);
            // Rejected at the door: reply to whoever sent it.
            let caller = r.stack.last().map_or(r.origin, |f| f.node);
            self.send(req, node, caller, true);
        }
    }

    fn on_service_done(&mut self, req: u32, node: u32) {
        self.call_next_or_reply(req, node);
    }

    /// After processing, or after a dependency answered: call the next
    /// dependency, or release the worker and reply to the caller.
    fn call_next_or_reply(&mut self, req: u32, node: u32) {
        let deps_len = self.station(node).deps.len() as u32;
        let r = &mut self.requests[req as usize];
        let frame = r
            .stack
            .last_mut()
            .expect("a request at a server has a frame");
        debug_assert_eq!(frame.node, node);
        if r.error.is_none() && frame.next_dep < deps_len {
            let dep = frame.next_dep;
            frame.next_dep += 1;
            let target = self.station(node).deps[dep as usize];
            self.send(req, node, target, false);
            return;
        }
        r.stack.pop();
        let caller = r.stack.last().map_or(r.origin, |f| f.node);
        self.send(req, node, caller, true);

        let now = self.now;
        let s = self.station(node);
        s.served += 1;
        s.account(now);
        match s.queue.pop_front() {
            Some(next) => {
                let done = now + s.service.sample(&mut s.rng);
                self.events
                    .schedule(done, Event::ServiceDone { req: next, node });
            }
            None => s.busy -= 1,
        }
    }

    /// Writes a sample of at most `max` requests currently on a network hop
    /// into `out` (cleared first) and returns how many are on a hop in all.
    /// The sample takes every k-th request so it spreads over all of them;
    /// `out` is reused, so no allocation happens once it has grown.
    pub fn sample_in_flight(&self, max: usize, out: &mut Vec<Dot>) -> u64 {
        out.clear();
        let total = self.in_transit;
        if max == 0 || total == 0 {
            return total;
        }
        let stride = total.div_ceil(max as u64).max(1);
        let mut seen = 0u64;
        for r in &self.requests {
            let Some(t) = r.transit.filter(|_| r.live) else {
                continue;
            };
            if seen.is_multiple_of(stride) && out.len() < max {
                let span = (t.arrive - t.depart).max(1) as f64;
                let progress = ((self.now.saturating_sub(t.depart)) as f64 / span).min(1.0);
                out.push(Dot {
                    from: t.from,
                    to: t.to,
                    progress: progress as f32,
                    reply: t.reply,
                    failed: r.error.is_some(),
                });
            }
            seen += 1;
        }
        total
    }

    /// The live load of node `node` (by index), if it has a worker pool:
    /// what the canvas draws on each node every frame, without the
    /// allocation of a full [`Snapshot`].
    pub fn load(&self, node: usize) -> Option<Load> {
        match self.nodes.get(node)? {
            NodeState::Station(s) => Some(Load {
                busy: s.busy,
                workers: s.workers,
                queue_len: s.queue.len() as u32,
                queue_capacity: s.capacity as u32,
            }),
            _ => None,
        }
    }

    /// Every figure of the run so far.
    pub fn snapshot(&self) -> Snapshot {
        let elapsed = self.now.max(1);
        let answered = self.completed + self.errors.total();
        let nodes = self
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| {
                let mut snap = NodeSnapshot {
                    id: self.ids[i].clone(),
                    kind: self.kinds[i],
                    busy: 0,
                    workers: 0,
                    queue_len: 0,
                    queue_capacity: 0,
                    served: 0,
                    dropped: 0,
                    utilization: 0.0,
                    mean_queue: 0.0,
                };
                if let NodeState::Station(s) = n {
                    let dt = u128::from(self.now - s.last_change);
                    let busy_area = s.busy_area + u128::from(s.busy) * dt;
                    let queue_area = s.queue_area + s.queue.len() as u128 * dt;
                    snap.busy = s.busy;
                    snap.workers = s.workers;
                    snap.queue_len = s.queue.len() as u32;
                    snap.queue_capacity = s.capacity as u32;
                    snap.served = s.served;
                    snap.dropped = s.dropped;
                    snap.utilization = busy_area as f64 / (f64::from(s.workers) * elapsed as f64);
                    snap.mean_queue = queue_area as f64 / elapsed as f64;
                }
                snap
            })
            .collect();
        Snapshot {
            now_ns: self.now,
            arrivals: self.arrivals,
            completed: self.completed,
            errors: self.errors,
            in_flight: self.arrivals - answered,
            throughput_rps: self.completed as f64 / to_secs(elapsed),
            error_rate: if answered == 0 {
                0.0
            } else {
                self.errors.total() as f64 / answered as f64
            },
            latency_ms: self.latency.summary(),
            nodes,
            events: self.processed,
        }
    }
}
