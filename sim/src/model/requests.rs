//! The request arena: requests in flight, their call stacks and routes,
//! slots reused once answered; and the journeys kept for the app.

use super::{ErrorCause, NodeState, RequestKind, Simulation, calls, data, failures};
use crate::time::Nanos;
use data::{CacheOp, Freshness, Record};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy)]
pub(super) struct Transit {
    pub(super) from: u32,
    pub(super) to: u32,
    pub(super) depart: Nanos,
    pub(super) arrive: Nanos,
    pub(super) reply: bool,
    /// Lost on a cut link: not drawn, bounces back as an error.
    pub(super) hidden: bool,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Phase {
    /// Asking DNS for the entry's address.
    Resolving,
    /// Talking to the site.
    Requesting,
}

/// One frame of a request's call stack: the node working on it.
#[derive(Debug, Clone, Copy)]
pub(super) struct Frame {
    pub(super) node: u32,
    /// For servers: index of the next dependency to consider. For load
    /// balancers: the server (node index) the request went to.
    pub(super) next: u32,
    /// The node's epoch when the frame was pushed; a crash increments it.
    pub(super) epoch: u32,
    /// When the request reached the node [ns].
    pub(super) arrived: Nanos,
    /// When a worker took it [ns] (equal to `arrived` if it did not queue).
    pub(super) started: Nanos,
}

/// One visited node on a request's route, with its timestamps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
pub(super) struct Request {
    pub(super) origin: u32,
    pub(super) user: u32,
    pub(super) kind: RequestKind,
    /// The record read or written; [`Simulation::key_of`] looks up a
    /// drawn one.
    pub(super) key: Record,
    /// The version read, or written.
    pub(super) version: u64,
    /// How the read compared with what was acknowledged.
    pub(super) fresh: Option<Freshness>,
    /// A read of what the user just wrote.
    pub(super) read_back: bool,
    /// Whether the cache had the record (`None`: no cache asked).
    pub(super) cache_hit: Option<bool>,
    /// What the request asks of the cache it is sent to.
    pub(super) cache_op: CacheOp,
    /// The cache fill lease this reader holds (0 = none).
    pub(super) lease: u64,
    /// Whether this write carries a slow job, and how long it takes [ns].
    pub(super) job: bool,
    pub(super) job_ns: Nanos,
    pub(super) created: Nanos,
    pub(super) deadline: Nanos,
    pub(super) phase: Phase,
    pub(super) entry: u32,
    pub(super) stack: Vec<Frame>,
    pub(super) hops: Vec<Hop>,
    pub(super) transit: Option<Transit>,
    pub(super) error: Option<ErrorCause>,
    /// Where the request failed (node index), and the node that failure
    /// concerns ([`failures::NO_NODE`] if none): the dependency a call was
    /// to, the far end of a cut link, the server a lost session was on.
    pub(super) error_at: u32,
    pub(super) error_other: u32,
    pub(super) live: bool,
    /// For a call under a policy: the request that waits for it
    /// ([`calls::NO_PARENT`] otherwise), and the call's id.
    pub(super) parent: u32,
    pub(super) call_id: u64,
    /// The call under a policy this request waits for.
    pub(super) call: Option<calls::Call>,
    /// A cross-shard operation this request waits for at a shard router:
    /// its id and the shards yet to answer.
    pub(super) join: Option<(u64, u32)>,
    pub(super) net_ns: Nanos,
    pub(super) dns_ns: Nanos,
    pub(super) queue_ns: Nanos,
    pub(super) service_ns: Nanos,
}

/// A request's route: where it went, how long it spent at each hop, and
/// why it failed if it did.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
    pub(super) fn empty() -> Journey {
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

    /// Copies `r`'s route, reusing this journey's allocation; `key` is
    /// `r`'s record, looked up.
    pub(super) fn fill(&mut self, r: &Request, key: u32, now: Nanos) {
        self.kind = r.kind;
        self.key = key;
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
pub(super) const JOURNEY_EVERY: u64 = 64;

impl Simulation {
    /// The record request `req` reads or writes. A record drawn from its
    /// Users node's popularity table is looked up here, the first time
    /// something needs it, and kept.
    pub(in crate::model) fn key_of(&mut self, req: u32) -> u32 {
        let key = self.peek_key(req);
        self.requests[req as usize].key = Record::Key(key);
        key
    }

    /// [`Simulation::key_of`] without keeping what was looked up.
    pub(in crate::model) fn peek_key(&self, req: u32) -> u32 {
        let r = &self.requests[req as usize];
        match (r.key, &self.nodes[r.origin as usize]) {
            (Record::Key(k), _) => k,
            (drawn, NodeState::Users(u)) => u.keys.look_up(drawn),
            _ => unreachable!("requests are sent by Users nodes"),
        }
    }

    /// Looks up every record still waiting in a request's draw (before an
    /// edit rebuilds the Users nodes and their tables).
    pub(in crate::model) fn look_up_drawn_keys(&mut self) {
        for req in 0..self.requests.len() as u32 {
            if matches!(self.requests[req as usize].key, Record::Drawn(_)) {
                self.key_of(req);
            }
        }
    }

    pub(in crate::model) fn alloc_request(
        &mut self,
        origin: u32,
        user: u32,
        kind: RequestKind,
        timeout: Nanos,
    ) -> u32 {
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
            key: Record::Key(0),
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

    pub(in crate::model) fn caller_of(&self, req: u32) -> u32 {
        let r = &self.requests[req as usize];
        r.stack.last().map_or(r.origin, |f| f.node)
    }

    pub(in crate::model) fn leave_hop(&mut self, req: u32) {
        let now = self.now;
        if let Some(h) = self.requests[req as usize].hops.last_mut() {
            h.left = now;
        }
    }
}
