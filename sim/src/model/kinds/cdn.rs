//! CDNs: edge caches for static files in front of an origin.

use super::Wiring;
use crate::cache::{CacheStore, Eviction};
use crate::design::Node;
use crate::model::report::{CacheFigures, NodeSnapshot};
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
