//! Users: a population sending requests (Poisson arrivals, each user
//! with one way in), and what happens when the answer comes back.

use super::Wiring;
use crate::catalog::Kind;
use crate::design::Node;
use crate::model::data::{Freshness, KeySampler};
use crate::model::log::LogEvent;
use crate::model::{
    ErrorCause, Event, JOURNEY_EVERY, JOURNEYS_KEPT, Journey, NodeState, Phase, RequestKind,
    Simulation, failures,
};

use crate::rng::{SimRng, below};
use crate::time::{Nanos, from_ms, from_secs};
use rand_core::Rng;
use rand_distr::{Distribution, Exp};
use rustc_hash::FxHashMap;

#[derive(Debug)]
pub(in crate::model) struct UsersNode {
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

impl UsersNode {
    /// Builds the node from its design entry (parameters) and wiring.
    pub fn build(n: &Node, rng: SimRng, w: &Wiring) -> Self {
        let targets = w.targets.clone();
        let kind_of = |t: u32| w.kind_of(t);
        let (rate, population) = if n.choice("mode") == "dau" {
            let dau = n.number("dau");
            let rate = dau * n.number("requests_per_user_day") / super::SECONDS_PER_DAY
                * n.number("peak_factor");
            (rate, dau as u64)
        } else {
            (n.number("rate_rps"), n.number("population") as u64)
        };
        UsersNode {
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
        }
    }

    /// Takes over the dynamic state of `old` (the same node before an
    /// edit): parameters and wiring stay as built from the edit.
    pub fn inherit(&mut self, old: Self, _now: Nanos) {
        self.rng = old.rng;
        self.dns_cache = old.dns_cache;
        self.session_at = old.session_at;
        self.last_write = old.last_write;
        self.epoch = old.epoch + 1; // the caller draws a fresh arrival
    }
}

/// A Users node's events.
#[derive(Debug, Clone, Copy)]
pub(in crate::model) enum UsersEvent {
    /// The next request from a Users node (stale when `epoch` differs).
    Arrival { users: u32, epoch: u32 },
}

impl Simulation {
    /// Handles one of these events.
    pub(in crate::model) fn on_users_event(&mut self, e: UsersEvent) {
        match e {
            UsersEvent::Arrival { users, epoch } => self.on_arrival(users, epoch),
        }
    }

    pub(in crate::model) fn on_arrival(&mut self, users: u32, epoch: u32) {
        let now = self.now;
        let NodeState::Users(u) = &mut self.nodes[users as usize] else {
            unreachable!("arrival events are only scheduled for Users nodes")
        };
        if u.epoch != epoch {
            return; // superseded by a rate change
        }
        let next = now + u.next_gap();
        self.events
            .schedule(next, Event::Users(UsersEvent::Arrival { users, epoch }));
        let user = below(&mut u.rng, u.population) as u32;
        let roll = u.rng.next_u64() as f64 / u64::MAX as f64 * 100.0;
        let kind = if roll < u.write_pct {
            RequestKind::Write
        } else if roll < u.write_pct + u.static_pct {
            RequestKind::Static
        } else {
            RequestKind::Page
        };
        let key = u.keys.sample(&mut u.rng);
        self.issue(users, user, kind, key, false);
    }

    /// User `user` of Users node `users` sends a request for record `key`.
    pub(in crate::model) fn issue(
        &mut self,
        users: u32,
        user: u32,
        kind: RequestKind,
        key: u32,
        read_back: bool,
    ) {
        let now = self.now;
        self.note_user(users, user);
        let NodeState::Users(u) = &mut self.nodes[users as usize] else {
            unreachable!("only Users nodes send requests")
        };
        // Static files come from the CDN if there is one. Otherwise each
        // user has one way in: the target its id maps to.
        if kind == RequestKind::Static && !u.cdns.is_empty() || u.targets.is_empty() {
            let cdn = u.cdns[user as usize % u.cdns.len()];
            let timeout = u.timeout;
            self.stats.arrivals += 1;
            let req = self.alloc_request(users, user, kind, timeout);
            self.requests[req as usize].key = key;
            self.requests[req as usize].entry = cdn;
            return self.send(req, users, cdn, false);
        }
        let target = u.targets[user as usize % u.targets.len()];
        let cached = u
            .dns_cache
            .get(&user)
            .filter(|(_, expiry)| *expiry > now)
            .map(|(entry, _)| *entry);
        let timeout = u.timeout;
        self.stats.arrivals += 1;

        let req = self.alloc_request(users, user, kind, timeout);
        self.requests[req as usize].key = key;
        self.requests[req as usize].read_back = read_back;
        if self.kinds[target as usize] != Kind::Dns {
            self.requests[req as usize].entry = target;
            self.send(req, users, target, false);
        } else if let Some(entry) = cached {
            self.requests[req as usize].entry = entry;
            self.send(req, users, entry, false);
        } else {
            self.requests[req as usize].phase = Phase::Resolving;
            self.send(req, users, target, false);
        }
    }

    pub(in crate::model) fn on_reply_at_users(&mut self, req: u32, users: u32) {
        let now = self.now;
        let r = &mut self.requests[req as usize];
        if r.phase == Phase::Resolving && r.error.is_none() {
            // The DNS answer arrived: cache it for the TTL, then connect.
            r.phase = Phase::Requesting;
            let (user, entry) = (r.user, r.entry);
            let ttl = self.dns_ttl_for(users);
            let NodeState::Users(u) = &mut self.nodes[users as usize] else {
                unreachable!()
            };
            u.dns_cache.insert(user, (entry, now + ttl));
            self.send(req, users, entry, false);
            return;
        }
        let gave_up = now > r.deadline; // the user gave up before this arrived
        let outcome = if gave_up {
            Some(ErrorCause::Timeout)
        } else {
            r.error
        };
        let latency = now - r.created;
        let (kind, key, user, fresh, read_back) = (r.kind, r.key, r.user, r.fresh, r.read_back);
        let w = &mut self.window;
        match outcome {
            None => {
                let s = &mut self.stats;
                s.completed += 1;
                s.latency.record(latency);
                match kind {
                    RequestKind::Write => s.write_latency.record(latency),
                    RequestKind::Page => s.read_latency.record(latency),
                    RequestKind::Static => {}
                }
                s.net_ns += u128::from(r.net_ns);
                s.dns_ns += u128::from(r.dns_ns);
                s.queue_ns += u128::from(r.queue_ns);
                s.service_ns += u128::from(r.service_ns);
                w.completed += 1;
                w.latency.all.record(latency);
                match kind {
                    RequestKind::Write => w.latency.write.record(latency),
                    RequestKind::Page => w.latency.read.record(latency),
                    RequestKind::Static => {}
                }
            }
            Some(cause) => {
                self.stats.errors.add(cause);
                w.errors += 1;
                self.note_failure(req, cause, gave_up);
            }
        }
        let r = &self.requests[req as usize];
        self.finished += 1;
        if self.finished.is_multiple_of(JOURNEY_EVERY) {
            if self.journeys.len() == JOURNEYS_KEPT {
                self.journeys.pop_front();
            }
            let mut j = Journey::empty();
            j.fill(r, now);
            j.error = outcome;
            if outcome.is_some() {
                j.failed_at = Some(if gave_up { r.origin } else { r.error_at });
                j.other = (!gave_up && r.error_other != failures::NO_NODE).then_some(r.error_other);
            }
            self.journeys.push_back(j);
        }
        self.release_request(req);
        self.note_answer(latency, outcome.is_some());
        if outcome.is_none() {
            self.count_data(users, user, kind, key, fresh, read_back);
        }
    }

    /// Judges a successful request's data; after a write, the user may
    /// read back what they wrote.
    pub(in crate::model) fn count_data(
        &mut self,
        users: u32,
        user: u32,
        kind: RequestKind,
        key: u32,
        fresh: Option<Freshness>,
        read_back: bool,
    ) {
        let now = self.now;
        let NodeState::Users(u) = &mut self.nodes[users as usize] else {
            unreachable!()
        };
        let bound = u.stale_bound;
        if let Some(f) = fresh {
            return self.count_read(f, read_back, bound);
        }
        if kind != RequestKind::Write {
            return;
        }
        self.stats.data.writes += 1;
        u.last_write.insert(user, now);
        let roll = u.rng.next_u64() as f64 / u64::MAX as f64 * 100.0;
        if roll < u.read_back_pct && !self.retired[users as usize] {
            self.issue(users, user, RequestKind::Page, key, true);
        }
    }

    /// TTL [ns] of the DNS node the given Users node resolves through.
    pub(in crate::model) fn dns_ttl_for(&self, users: u32) -> Nanos {
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

    pub(in crate::model) fn set_spike(&mut self, users: u32, factor: f64) {
        let now = self.now;
        let NodeState::Users(u) = &mut self.nodes[users as usize] else {
            return;
        };
        u.set_rate_factor(factor);
        // Poisson arrivals are memoryless: drawing the next arrival afresh
        // at the new rate is exact.
        let (next, epoch) = (now + u.next_gap(), u.epoch);
        self.events
            .schedule(next, Event::Users(UsersEvent::Arrival { users, epoch }));
        let event = if factor == 1.0 {
            LogEvent::SpikeEnded
        } else {
            LogEvent::SpikeStarted { factor }
        };
        self.push_log(users, event);
    }
}
