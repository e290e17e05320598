//! Rate limiters: a token bucket in front of web servers. Tokens refill at
//! `rate_rps` up to `burst`; a request that finds a token goes on to the
//! limiter's next target (in turn), one that finds none is refused at once
//! as throttled — the servers behind it never see it.
//!
//! ```text
//!   tokens(t) = min(burst, tokens(t₀) + rate × (t − t₀))
//!   request:   tokens ≥ 1 → tokens −= 1, forward    else → throttled
//! ```

use super::Wiring;
use crate::catalog::{Group, Kind, KindSpec, ParamSpec, Unit, count, number, t};
use crate::design::Reader;
use crate::model::report::NodeSnapshot;
use crate::model::{ErrorCause, Event, NodeState, Simulation, failures};
use crate::time::{Nanos, SECOND};

/// What a rate limiter costs [USD/hour].
pub const PRICE: f64 = 0.0125;

/// The catalog entry of this kind: its parameters and texts in both
/// languages.
pub(crate) const SPEC: KindSpec = KindSpec {
    kind: Kind::RateLimiter,
    group: Group::Entry,
    id_prefix: "limiter",
    name: t("Rate limiter", "처리율 제한기"),
    description: t(
        "A token bucket in front of web servers: requests over the rate (after a burst) are refused at once as throttled.",
        "웹 서버 앞의 토큰 버킷: 허용량(버스트 이후)을 넘는 요청은 곧바로 제한됨으로 거절됩니다.",
    ),
    connects_to: &[Kind::LoadBalancer, Kind::WebServer],
    called_by: &[Kind::Users, Kind::Dns, Kind::LoadBalancer],
    needs_target: true,
    params: PARAMS,
    presets: &[],
    in_datacenter: true,
};

const PARAMS: &[ParamSpec] = &[
    ParamSpec {
        key: "rate_rps",
        label: t("Rate", "허용 속도"),
        help: t(
            "Tokens added per second: the steady rate of requests let through.",
            "초당 채워지는 토큰 수: 꾸준히 통과시키는 요청의 속도.",
        ),
        kind: number(0.1, 1_000_000.0, 100.0, Unit::RequestsPerSecond),
        only_with: None,
    },
    ParamSpec {
        key: "burst",
        label: t("Burst", "버스트"),
        help: t(
            "Most tokens the bucket holds: how many requests may pass at once after a quiet spell.",
            "버킷이 담을 수 있는 최대 토큰 수: 한가한 뒤에 한꺼번에 통과할 수 있는 요청 수.",
        ),
        kind: count(1.0, 1_000_000.0, 50.0),
        only_with: None,
    },
];

/// A rate limiter's bucket and counts.
#[derive(Debug)]
pub(in crate::model) struct RateLimiterNode {
    /// Tokens added per second [1/s].
    rate: f64,
    /// Most tokens held.
    burst: f64,
    /// Tokens in the bucket at `filled` (fractions count).
    tokens: f64,
    /// When `tokens` was last brought up to date [ns].
    filled: Nanos,
    /// Where requests go, in turn (node indices).
    targets: Vec<u32>,
    next: usize,
    pub up: bool,
    pub epoch: u32,
    /// Requests let through since measurement started.
    forwarded: u64,
    /// Requests refused since measurement started.
    throttled: u64,
}

/// A rate limiter's parameters, read once when the design is validated.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// Tokens added per second [req/s].
    pub rate_rps: f64,
    /// Most tokens the bucket holds [requests].
    pub burst: f64,
}

impl Params {
    /// Reads the checked values.
    pub(crate) fn read(r: &Reader) -> Self {
        Params {
            rate_rps: r.number("rate_rps"),
            burst: r.number("burst"),
        }
    }
}

impl RateLimiterNode {
    /// Builds the node from its parameters and wiring; the bucket starts
    /// full.
    pub fn build(p: &Params, w: &Wiring) -> Self {
        RateLimiterNode {
            rate: p.rate_rps,
            burst: p.burst,
            tokens: p.burst,
            filled: 0,
            targets: w.targets.clone(),
            next: 0,
            up: true,
            epoch: 0,
            forwarded: 0,
            throttled: 0,
        }
    }

    /// Takes over the bucket and counts of the same limiter before an edit;
    /// the new rate and burst apply from now.
    pub fn inherit(&mut self, old: Self, now: Nanos) {
        let mut old = old;
        old.refill(now);
        self.tokens = old.tokens.min(self.burst);
        self.filled = old.filled;
        self.next = old.next;
        self.up = old.up;
        self.epoch = old.epoch;
        self.forwarded = old.forwarded;
        self.throttled = old.throttled;
    }

    /// Brings the bucket up to `now`.
    fn refill(&mut self, now: Nanos) {
        let dt = now.saturating_sub(self.filled) as f64 / SECOND as f64;
        self.tokens = (self.tokens + self.rate * dt).min(self.burst);
        self.filled = now;
    }

    /// Takes a token at `now` if there is one.
    fn admit(&mut self, now: Nanos) -> bool {
        self.refill(now);
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }

    /// Restarts the counts; the bucket stays.
    pub fn reset_measurements(&mut self) {
        self.forwarded = 0;
        self.throttled = 0;
    }

    /// Crashes: requests behind it fail when their answers come back.
    pub fn crash(&mut self) {
        self.up = false;
        self.epoch += 1;
    }

    /// Comes back with a full bucket; no timer of its own.
    pub fn restart(&mut self, now: Nanos) -> Option<(Nanos, Event)> {
        self.up = true;
        self.tokens = self.burst;
        self.filled = now;
        None
    }

    /// Fills in this node's figures: let through (`served`) and throttled
    /// (`dropped`).
    pub fn snapshot_into(&self, snap: &mut NodeSnapshot) {
        snap.served = self.forwarded;
        snap.dropped = self.throttled;
    }
}

impl Simulation {
    /// A request reaches the limiter: on to its next target with a token,
    /// refused as throttled without one.
    pub(in crate::model) fn arrive_at_limiter(&mut self, req: u32, node: u32) {
        let now = self.now;
        let NodeState::Limiter(l) = &mut self.nodes[node as usize] else {
            unreachable!("only rate limiters take requests here")
        };
        if !l.up {
            return self.reject(req, node, ErrorCause::NodeDown);
        }
        if !l.admit(now) {
            l.throttled += 1;
            return self.reject(req, node, ErrorCause::Throttled);
        }
        l.forwarded += 1;
        let target = l.targets[l.next % l.targets.len()];
        l.next = l.next.wrapping_add(1);
        let epoch = l.epoch;
        self.forward(req, node, target, epoch);
    }

    /// An answer comes back through the limiter to its caller.
    pub(in crate::model) fn on_reply_at_limiter(&mut self, req: u32, node: u32) {
        let frame = self.requests[req as usize]
            .stack
            .pop()
            .expect("a reply at a rate limiter has its frame");
        let NodeState::Limiter(l) = &self.nodes[node as usize] else {
            unreachable!("only rate limiters hold these frames")
        };
        if frame.epoch != l.epoch {
            // The limiter crashed while the request was behind it.
            self.fail_at(req, node, failures::NO_NODE, ErrorCause::NodeDown);
        }
        let caller = self.caller_of(req);
        self.send(req, node, caller, true);
    }
}
