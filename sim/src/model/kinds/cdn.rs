//! CDNs: edge caches for static files in front of an origin.

use super::NodeState;
use super::Wiring;
use crate::cache::{CacheStore, Eviction};
use crate::design::Node;
use crate::model::report::{CacheFigures, NodeSnapshot};
use crate::model::{ErrorCause, Frame, Simulation};
use crate::time::{Nanos, from_ms, from_secs};

/// A CDN: edge caches for static files, fetching misses from an origin.
#[derive(Debug)]
pub(in crate::model) struct CdnNode {
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

impl CdnNode {
    /// Builds the node from its design entry (parameters) and wiring.
    pub fn build(n: &Node, w: &Wiring) -> Self {
        let targets = w.targets.clone();
        CdnNode {
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
        }
    }

    /// Takes over the dynamic state of `old` (the same node before an
    /// edit): parameters and wiring stay as built from the edit.
    pub fn inherit(&mut self, mut old: Self, _now: Nanos) {
        let s = &self.store;
        old.store.reconfigure(s.capacity(), s.policy(), s.ttl());
        self.store = old.store;
        self.next_origin = old.next_origin;
        self.up = old.up;
        self.epoch = old.epoch;
        self.hits = old.hits;
        self.misses = old.misses;
        self.since = old.since;
        self.served = old.served;
    }

    /// Restarts the counts; what the edges hold stays.
    pub fn reset_measurements(&mut self, now: Nanos) {
        self.since = now;
        self.served = 0;
        self.hits = 0;
        self.misses = 0;
        self.store.evictions = 0;
        self.store.expirations = 0;
    }

    /// Fills in this node's figures.
    pub fn snapshot_into(&self, snap: &mut NodeSnapshot) {
        let c = self;
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
}

impl Simulation {
    /// A static request reaches a CDN edge: served from the edge, or
    /// fetched from the origin.
    pub(in crate::model) fn arrive_at_cdn(&mut self, req: u32, node: u32) {
        let now = self.now;
        let key = self.requests[req as usize].key;
        let NodeState::Cdn(c) = &mut self.nodes[node as usize] else {
            unreachable!()
        };
        if !c.up {
            return self.reject(req, node, ErrorCause::NodeDown);
        }
        if c.store.get(key, now).is_some() {
            c.hits += 1;
            c.served += 1;
            self.window.cdn_hits += 1;
            self.window.cdn_lookups += 1;
            self.leave_hop(req);
            let caller = self.caller_of(req);
            return self.send(req, node, caller, true);
        }
        c.misses += 1;
        self.window.cdn_lookups += 1;
        if c.origins.is_empty() {
            return self.reject(req, node, ErrorCause::NodeDown);
        }
        let origin = c.origins[c.next_origin % c.origins.len()];
        c.next_origin = c.next_origin.wrapping_add(1);
        let epoch = c.epoch;
        self.requests[req as usize].stack.push(Frame {
            node,
            next: origin,
            epoch,
            arrived: now,
            started: now,
        });
        self.leave_hop(req);
        self.send(req, node, origin, false);
    }

    /// The origin answered a CDN's fetch.
    pub(in crate::model) fn on_reply_at_cdn(&mut self, req: u32, node: u32) {
        let now = self.now;
        let frame = self.requests[req as usize]
            .stack
            .pop()
            .expect("a reply at a CDN has its frame");
        let (key, failed) = {
            let r = &self.requests[req as usize];
            (r.key, r.error.is_some())
        };
        let NodeState::Cdn(c) = &mut self.nodes[node as usize] else {
            unreachable!()
        };
        if frame.epoch != c.epoch {
            self.fail_at(
                req,
                node,
                crate::model::failures::NO_NODE,
                ErrorCause::NodeDown,
            );
        } else if !failed {
            c.store.put(key, 1, now);
            c.served += 1;
        }
        let caller = self.caller_of(req);
        self.send(req, node, caller, true);
    }
}
