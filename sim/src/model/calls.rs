//! Call policies: what a web server does about a dependency that is slow or
//! failing — timeouts, retries with exponential backoff and jitter, a retry
//! budget, a circuit breaker and a bulkhead, set on the connection.
//!
//! A call under a policy is a separate child request: the web server's
//! thread waits for it (holding its vCPU, as for any call), but can stop
//! waiting. A child the caller gave up on still travels and still does its
//! work at the dependency — the wasted work is what turns retries into a
//! retry storm — and its late answer is thrown away.
//!
//! ```text
//!   start: breaker open (or its one trial call out)  → fail fast (circuit open)
//!          bulkhead full                              → fail fast (bulkhead full)
//!          else: child request → dependency, timer for the timeout
//!   answer, or timeout (child abandoned):
//!          record the outcome in the breaker's window
//!          failed, tries left and the budget allows → wait backoff, try again
//!          else → the request goes on with the result
//! ```

use super::{ErrorCause, Event, LogEvent, NodeState, Request, Simulation};
use crate::design::EdgeParams;
use crate::rng::SimRng;
use crate::time::{Nanos, SECOND, from_ms, from_secs};
use rand_core::Rng;
use serde::{Deserialize, Serialize};

/// Most retries a retry budget saves up.
pub const BUDGET_CAP: f64 = 10.0;

/// Marks a request that is nobody's child.
pub(super) const NO_PARENT: u32 = u32::MAX;

/// How a retry's wait is randomized.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Jitter {
    None,
    /// Anywhere in `0..=backoff`.
    Full,
    /// Anywhere in `backoff/2..=backoff`.
    Equal,
}

/// A circuit breaker's settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct BreakerSpec {
    /// Opens at this share of failed calls in the window [%].
    error_pct: f64,
    /// Window length [one-second buckets].
    window: usize,
    /// Calls in the window needed to judge it.
    min_calls: u64,
    /// Time open before a trial call [ns].
    cooldown: Nanos,
}

/// A connection's call policy, as designed.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Policy {
    /// Stop waiting after this long [ns]; 0 = never.
    timeout: Nanos,
    /// Extra attempts after a failure.
    retries: u32,
    /// Wait before the first retry [ns]; doubles per retry.
    backoff: Nanos,
    /// Longest wait [ns].
    backoff_max: Nanos,
    jitter: Jitter,
    /// Retry budget: the share of a retry each first call earns.
    budget: Option<f64>,
    breaker: Option<BreakerSpec>,
    /// Most calls waiting at once; 0 = no limit.
    bulkhead: u32,
}

impl Policy {
    /// The policy of a connection, or `None` for a plain call (nothing set).
    pub fn from_params(p: &EdgeParams) -> Option<Self> {
        let num = |k: &str| p.number(k).unwrap_or(0.0);
        let on = |k: &str| p.choice(k) == Some("on");
        let policy = Policy {
            timeout: from_ms(num("timeout_ms")),
            retries: num("retries") as u32,
            backoff: from_ms(num("backoff_ms")),
            backoff_max: from_ms(num("backoff_max_ms")),
            jitter: match p.choice("jitter") {
                Some("full") => Jitter::Full,
                Some("equal") => Jitter::Equal,
                _ => Jitter::None,
            },
            budget: on("retry_budget").then(|| num("retry_budget_pct") / 100.0),
            breaker: on("breaker").then(|| BreakerSpec {
                error_pct: num("breaker_error_pct"),
                window: (num("breaker_window_s") as usize).max(1),
                min_calls: num("breaker_min_calls") as u64,
                cooldown: from_secs(num("breaker_cooldown_s")),
            }),
            bulkhead: num("bulkhead") as u32,
        };
        let plain = policy.timeout == 0
            && policy.retries == 0
            && policy.breaker.is_none()
            && policy.bulkhead == 0;
        (!plain).then_some(policy)
    }

    /// The wait before retry number `n` (1 = the first) [ns], jittered.
    fn backoff(&self, n: u32, rng: &mut SimRng) -> Nanos {
        let doubled = self
            .backoff
            .saturating_mul(1u64 << (n - 1).min(40))
            .min(self.backoff_max.max(self.backoff));
        let mut unit = || rng.next_u64() as f64 / u64::MAX as f64;
        match self.jitter {
            Jitter::None => doubled,
            Jitter::Full => (doubled as f64 * unit()) as Nanos,
            Jitter::Equal => doubled / 2 + (doubled as f64 / 2.0 * unit()) as Nanos,
        }
    }
}

/// A circuit breaker's state.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum BreakerState {
    /// Calls go through; failures are counted.
    #[default]
    Closed,
    /// Calls fail at once until the cool-down ends.
    Open,
    /// One trial call decides: success closes, failure opens again.
    HalfOpen,
}

/// What one connection's caller has done and seen, for the snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct CallFigures {
    /// Attempts sent (first tries and retries).
    pub attempts: u64,
    /// Retries among them.
    pub retries: u64,
    /// Attempts the caller stopped waiting for.
    pub timeouts: u64,
    /// Answers that came back after the caller had given up (wasted work).
    pub wasted: u64,
    /// Failed attempts (error answers and timeouts).
    pub failures: u64,
    /// Calls failed at once by the open breaker.
    pub short_circuited: u64,
    /// Calls failed at once by the full bulkhead.
    pub bulkhead_rejected: u64,
    /// Retries the budget did not allow.
    pub budget_denied: u64,
    /// Calls waiting now.
    pub in_flight: u32,
    /// The breaker's state (closed when there is none).
    pub breaker: BreakerState,
    /// Times the breaker opened.
    pub breaker_opened: u64,
}

/// A web server's policy and state for one dependency.
#[derive(Debug)]
pub(super) struct CallEdge {
    /// The dependency (node index).
    pub to: u32,
    pub policy: Policy,
    rng: SimRng,
    tokens: f64,
    open_until: Nanos,
    /// Whether the half-open breaker's trial call is out.
    probing: bool,
    /// The breaker's window: (second, calls, failures), oldest first.
    buckets: Vec<(u64, u64, u64)>,
    pub figures: CallFigures,
}

impl CallEdge {
    pub fn new(to: u32, policy: Policy, rng: SimRng) -> Self {
        CallEdge {
            to,
            policy,
            rng,
            tokens: BUDGET_CAP,
            open_until: 0,
            probing: false,
            buckets: Vec::new(),
            figures: CallFigures::default(),
        }
    }

    /// Keeps the running state of `old` (same dependency) under the new
    /// policy.
    pub fn inherit(&mut self, old: CallEdge) {
        let policy = self.policy;
        *self = old;
        self.policy = policy;
        if self.policy.breaker.is_none() {
            self.figures.breaker = BreakerState::Closed;
        }
    }

    /// Whether the policy has a circuit breaker.
    pub fn has_breaker(&self) -> bool {
        self.policy.breaker.is_some()
    }

    /// The caller crashed: its threads, and what it knew, are gone.
    pub fn reset(&mut self) {
        self.tokens = BUDGET_CAP;
        self.open_until = 0;
        self.probing = false;
        self.buckets.clear();
        self.figures.in_flight = 0;
        self.figures.breaker = BreakerState::Closed;
    }

    pub fn reset_measurements(&mut self) {
        self.figures = CallFigures {
            in_flight: self.figures.in_flight,
            breaker: self.figures.breaker,
            ..CallFigures::default()
        };
    }

    /// Whether the breaker lets a call through now; `Some(event)` when its
    /// state changes.
    fn admit(&mut self, now: Nanos) -> (bool, Option<BreakerState>) {
        if self.policy.breaker.is_none() {
            return (true, None);
        }
        match self.figures.breaker {
            BreakerState::Closed => (true, None),
            BreakerState::Open if now >= self.open_until => {
                self.figures.breaker = BreakerState::HalfOpen;
                self.probing = true;
                (true, Some(BreakerState::HalfOpen))
            }
            BreakerState::HalfOpen if !self.probing => {
                self.probing = true;
                (true, None)
            }
            _ => (false, None),
        }
    }

    /// Counts an attempt's outcome; returns the breaker's new state if it
    /// changed.
    fn record(&mut self, now: Nanos, failed: bool) -> Option<BreakerState> {
        if failed {
            self.figures.failures += 1;
        }
        let spec = self.policy.breaker?;
        match self.figures.breaker {
            BreakerState::HalfOpen => {
                self.probing = false;
                self.buckets.clear();
                if failed {
                    self.open(now, spec);
                    Some(BreakerState::Open)
                } else {
                    self.figures.breaker = BreakerState::Closed;
                    Some(BreakerState::Closed)
                }
            }
            BreakerState::Open => None, // a call from before it opened
            BreakerState::Closed => {
                let second = now / SECOND;
                let oldest = second.saturating_sub(spec.window as u64 - 1);
                self.buckets.retain(|b| b.0 >= oldest);
                match self.buckets.last_mut() {
                    Some(b) if b.0 == second => {
                        b.1 += 1;
                        b.2 += u64::from(failed);
                    }
                    _ => self.buckets.push((second, 1, u64::from(failed))),
                }
                let (calls, failures) = self
                    .buckets
                    .iter()
                    .fold((0, 0), |(c, f), b| (c + b.1, f + b.2));
                let rate = failures as f64 * 100.0 / calls as f64;
                if calls >= spec.min_calls && rate >= spec.error_pct {
                    self.buckets.clear();
                    self.open(now, spec);
                    Some(BreakerState::Open)
                } else {
                    None
                }
            }
        }
    }

    fn open(&mut self, now: Nanos, spec: BreakerSpec) {
        self.figures.breaker = BreakerState::Open;
        self.figures.breaker_opened += 1;
        self.open_until = now + spec.cooldown;
    }

    /// Whether retry number `n` may go: tries left, and the budget (if any)
    /// has a whole retry saved.
    fn may_retry(&mut self, n: u32) -> bool {
        if n > self.policy.retries {
            return false;
        }
        if self.policy.budget.is_some() {
            if self.tokens < 1.0 {
                self.figures.budget_denied += 1;
                return false;
            }
            self.tokens -= 1.0;
        }
        true
    }
}

/// A call a request is waiting for.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Call {
    /// Unique among all calls of the run.
    pub id: u64,
    /// The dependency (node index).
    pub dep: u32,
    /// Attempt number (1 = first try).
    pub attempt: u32,
    /// The caller's epoch when the call started.
    pub epoch: u32,
}

/// Failures a caller counts against a dependency (a logged-out user is an
/// answer, not a failure).
fn is_failure(cause: Option<ErrorCause>) -> bool {
    !matches!(cause, None | Some(ErrorCause::SessionLost))
}

/// Events of a web server's calls under a policy.
#[derive(Debug, Clone, Copy)]
pub(in crate::model) enum CallEvent {
    /// A web server stops waiting for call `call` of request `req`.
    CallTimeout { req: u32, call: u64 },
    /// The backoff before retrying call `call` of request `req` ended.
    RetryCall { req: u32, call: u64 },
}

impl Simulation {
    /// Handles one of these events.
    pub(in crate::model) fn on_call_event(&mut self, e: CallEvent) {
        match e {
            CallEvent::CallTimeout { req, call } => self.on_call_timeout(req, call),
            CallEvent::RetryCall { req, call } => self.on_retry_call(req, call),
        }
    }

    fn call_edge(&mut self, node: u32, dep: u32) -> Option<&mut CallEdge> {
        match &mut self.nodes[node as usize] {
            NodeState::Station(s) => s.calls.iter_mut().find(|c| c.to == dep),
            _ => None,
        }
    }

    /// Whether `node` calls `dep` under a policy.
    pub(super) fn has_policy(&self, node: u32, dep: u32) -> bool {
        match &self.nodes[node as usize] {
            NodeState::Station(s) => s.calls.iter().any(|c| c.to == dep),
            _ => false,
        }
    }

    fn breaker_log(&mut self, node: u32, dep: u32, change: Option<BreakerState>) {
        let event = match change {
            Some(BreakerState::Open) => LogEvent::BreakerOpened { dependency: dep },
            Some(BreakerState::HalfOpen) => LogEvent::BreakerHalfOpen { dependency: dep },
            Some(BreakerState::Closed) => LogEvent::BreakerClosed { dependency: dep },
            None => return,
        };
        self.push_log(node, event);
    }

    /// Web server `node` calls `dep` for `req` under the connection's
    /// policy (attempt 1 = first try).
    pub(super) fn start_call(&mut self, req: u32, node: u32, dep: u32, attempt: u32) {
        let now = self.now;
        let epoch = self.station(node).epoch;
        let edge = self
            .call_edge(node, dep)
            .expect("called only with a policy");
        let (admitted, change) = edge.admit(now);
        if !admitted {
            edge.figures.short_circuited += 1;
            return self.fail_call(req, node, dep, ErrorCause::CircuitOpen);
        }
        let bulkhead = edge.policy.bulkhead;
        if bulkhead > 0 && edge.figures.in_flight >= bulkhead {
            edge.figures.bulkhead_rejected += 1;
            if change.is_some() {
                edge.probing = false; // the trial call did not go
            }
            self.breaker_log(node, dep, change);
            return self.fail_call(req, node, dep, ErrorCause::BulkheadFull);
        }
        edge.figures.attempts += 1;
        edge.figures.in_flight += 1;
        if attempt == 1 {
            if let Some(share) = edge.policy.budget {
                edge.tokens = (edge.tokens + share).min(BUDGET_CAP);
            }
        } else {
            edge.figures.retries += 1;
        }
        let timeout = edge.policy.timeout;
        self.breaker_log(node, dep, change);
        self.next_call_id += 1;
        let id = self.next_call_id;
        let child = self.alloc_child(req, node, epoch, id);
        self.requests[child as usize].entry = dep; // the dependency it calls
        self.requests[req as usize].call = Some(Call {
            id,
            dep,
            attempt,
            epoch,
        });
        if timeout > 0 {
            self.events.schedule(
                now + timeout,
                Event::Call(CallEvent::CallTimeout { req, call: id }),
            );
        }
        self.send(child, node, dep, false);
    }

    /// A copy of `req` (record, kind, cache command, deadline) that answers
    /// `caller` (whose epoch is `epoch`) as part of operation `id`: a call
    /// under a policy, or one shard's share of a cross-shard operation.
    pub(super) fn alloc_child(&mut self, req: u32, caller: u32, epoch: u32, id: u64) -> u32 {
        let (origin, user, kind, deadline) = {
            let r = &self.requests[req as usize];
            (r.origin, r.user, r.kind, r.deadline)
        };
        let child = self.alloc_request(origin, user, kind, 0);
        self.live_calls += 1;
        let now = self.now;
        let [p, c] = self
            .requests
            .get_disjoint_mut([req as usize, child as usize])
            .expect("a new child has its own slot");
        copy_payload(p, c);
        c.deadline = deadline;
        c.parent = req;
        c.call_id = id;
        // The caller's frame: where the answer goes.
        c.stack.push(super::Frame {
            node: caller,
            next: 0,
            epoch,
            arrived: now,
            started: now,
        });
        child
    }

    /// The call failed before it started: the request goes on with `cause`.
    fn fail_call(&mut self, req: u32, node: u32, dep: u32, cause: ErrorCause) {
        self.fail_at(req, node, dep, cause);
        self.finish_call(req, node, dep);
    }

    /// The request's call is over (with the child's results, if any): it
    /// continues at `node` like after any answer.
    fn finish_call(&mut self, req: u32, node: u32, dep: u32) {
        if self.kinds[dep as usize] == crate::catalog::Kind::Cache {
            self.forgive_cache_error(req);
        }
        self.on_reply_at_station(req, node);
    }

    /// An answer from a call reached its caller `node`.
    pub(super) fn on_call_answer(&mut self, child: u32, node: u32) {
        let now = self.now;
        let (parent, id) = {
            let c = &self.requests[child as usize];
            (c.parent, c.call_id)
        };
        let call = self.requests[parent as usize]
            .call
            .filter(|c| c.id == id && self.requests[parent as usize].live);
        let Some(call) = call else {
            // The caller gave up on it: the work was wasted.
            let dep = self.requests[child as usize].entry;
            if let Some(e) = self.call_edge(node, dep) {
                e.figures.wasted += 1;
            }
            return self.release_request(child);
        };
        let error = self.requests[child as usize].error;
        {
            let [p, c] = self
                .requests
                .get_disjoint_mut([parent as usize, child as usize])
                .expect("parent and child are different slots");
            copy_payload(c, p);
            p.error = c.error;
            p.error_at = c.error_at;
            p.error_other = c.error_other;
            p.net_ns += c.net_ns;
            p.queue_ns += c.queue_ns;
            p.service_ns += c.service_ns;
            p.dns_ns += c.dns_ns;
            p.hops.extend(c.hops.iter().copied());
            p.call = None;
        }
        self.release_request(child);
        self.settle(parent, node, call, error, now);
    }

    /// The caller stopped waiting for call `id` of `req`.
    pub(super) fn on_call_timeout(&mut self, req: u32, id: u64) {
        let now = self.now;
        let r = &mut self.requests[req as usize];
        let Some(call) = r.call.filter(|c| c.id == id && r.live) else {
            return; // answered in time
        };
        r.call = None;
        let node = r.stack.last().expect("a waiting request has a frame").node;
        if let Some(e) = self.call_edge(node, call.dep) {
            e.figures.timeouts += 1;
        }
        self.settle(req, node, call, Some(ErrorCause::CallTimeout), now);
    }

    /// Counts a finished attempt and decides: retry, or go on.
    fn settle(&mut self, req: u32, node: u32, call: Call, error: Option<ErrorCause>, now: Nanos) {
        let same_life = self.station(node).epoch == call.epoch;
        let failed = is_failure(error);
        let mut retry_at = None;
        if same_life && let Some(edge) = self.call_edge(node, call.dep) {
            edge.figures.in_flight = edge.figures.in_flight.saturating_sub(1);
            let change = edge.record(now, failed);
            if failed && edge.may_retry(call.attempt) {
                let wait = edge.policy.backoff(call.attempt, &mut edge.rng);
                retry_at = Some(now + wait);
            }
            self.breaker_log(node, call.dep, change);
        }
        if let Some(at) = retry_at {
            self.next_call_id += 1;
            let id = self.next_call_id;
            let r = &mut self.requests[req as usize];
            r.error = None;
            r.call = Some(Call {
                id,
                attempt: call.attempt + 1,
                ..call
            });
            self.events
                .schedule(at, Event::Call(CallEvent::RetryCall { req, call: id }));
            return;
        }
        if let Some(e) = error {
            // (An answer's own error is already the request's; a timeout
            // happens here, on the call to `call.dep`.)
            self.fail_at(req, node, call.dep, e);
        }
        self.finish_call(req, node, call.dep);
    }

    /// The backoff before a retry ended.
    pub(super) fn on_retry_call(&mut self, req: u32, id: u64) {
        let r = &mut self.requests[req as usize];
        let Some(call) = r.call.filter(|c| c.id == id && r.live) else {
            return;
        };
        r.call = None;
        let node = r.stack.last().expect("a waiting request has a frame").node;
        if self.station(node).epoch != call.epoch || !self.has_policy(node, call.dep) {
            // The server crashed meanwhile, or the policy was removed.
            return self.on_reply_at_station(req, node);
        }
        self.start_call(req, node, call.dep, call.attempt);
    }

    /// Frees a request's slot.
    pub(super) fn release_request(&mut self, req: u32) {
        let r = &mut self.requests[req as usize];
        r.live = false;
        r.call = None;
        r.join = None;
        self.live -= 1;
        if r.parent != NO_PARENT {
            self.live_calls -= 1;
        }
        self.free.push(req);
    }
}

/// Copies what a dependency reads and writes from one request to another.
pub(super) fn copy_payload(from: &Request, to: &mut Request) {
    to.key = from.key;
    to.version = from.version;
    to.fresh = from.fresh;
    to.read_back = from.read_back;
    to.cache_hit = from.cache_hit;
    to.cache_op = from.cache_op;
    to.lease = from.lease;
    to.job = from.job;
    to.job_ns = from.job_ns;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::design::{EdgeParams, Param};
    use crate::time::MILLISECOND;

    fn policy(extra: &[(&'static str, Param)]) -> Policy {
        let mut params: Vec<(&'static str, Param)> = vec![
            ("timeout_ms", Param::Number(100.0)),
            ("retries", Param::Number(5.0)),
            ("backoff_ms", Param::Number(50.0)),
            ("backoff_max_ms", Param::Number(300.0)),
            ("jitter", Param::Choice("none")),
            ("retry_budget", Param::Choice("off")),
            ("retry_budget_pct", Param::Number(10.0)),
            ("breaker", Param::Choice("off")),
            ("bulkhead", Param::Number(0.0)),
        ];
        for (k, v) in extra {
            params.retain(|(key, _)| key != k);
            params.push((k, v.clone()));
        }
        Policy::from_params(&EdgeParams(params)).expect("a policy")
    }

    #[test]
    fn backoff_doubles_up_to_its_cap_and_jitter_stays_within_its_range() {
        let mut rng = crate::rng::stream(1, "x");
        let p = policy(&[]);
        let waits: Vec<Nanos> = (1..=5).map(|n| p.backoff(n, &mut rng)).collect();
        assert_eq!(
            waits,
            [50, 100, 200, 300, 300].map(|ms| ms * MILLISECOND).to_vec()
        );
        let full = policy(&[("jitter", Param::Choice("full"))]);
        let equal = policy(&[("jitter", Param::Choice("equal"))]);
        let (mut full_sum, mut n) = (0.0, 0.0);
        for _ in 0..2_000 {
            let f = full.backoff(3, &mut rng);
            let e = equal.backoff(3, &mut rng);
            assert!(f <= 200 * MILLISECOND);
            assert!((100 * MILLISECOND..=200 * MILLISECOND).contains(&e));
            full_sum += f as f64;
            n += 1.0;
        }
        let mean_ms = full_sum / n / MILLISECOND as f64;
        assert!((mean_ms - 100.0).abs() < 5.0, "{mean_ms}");
    }

    #[test]
    fn a_budget_allows_retries_as_a_share_of_first_calls() {
        let p = policy(&[("retry_budget", Param::Choice("on"))]);
        let mut edge = CallEdge::new(1, p, crate::rng::stream(1, "e"));
        // Starts with BUDGET_CAP saved; then 10 % of first calls.
        let mut allowed = 0;
        for _ in 0..1_000 {
            edge.tokens = (edge.tokens + 0.1).min(BUDGET_CAP);
            if edge.may_retry(1) {
                allowed += 1;
            }
        }
        assert_eq!(allowed, 100 + BUDGET_CAP as i32 - 1);
        assert!(!edge.may_retry(6), "only 5 retries");
    }

    #[test]
    fn nothing_set_is_a_plain_call() {
        let plain = EdgeParams(vec![
            ("timeout_ms", Param::Number(0.0)),
            ("retries", Param::Number(0.0)),
            ("breaker", Param::Choice("off")),
            ("bulkhead", Param::Number(0.0)),
        ]);
        assert!(Policy::from_params(&plain).is_none());
    }
}
