//! Shard routers: each record's queries go to the shard holding it.

use super::Wiring;
use crate::catalog::Kind;
use crate::design::Node;
use crate::model::report::NodeSnapshot;
use crate::rng::SimRng;
use crate::time::Nanos;

/// A shard router: a proxy that sends each query to the shard holding its
/// record.
#[derive(Debug)]
pub(in crate::model) struct RouterNode {
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
    pub migration: Option<crate::model::reshard::Migration>,
    /// Writes on their way, by record (a record does not move under one).
    pub writes_in_flight: crate::model::reshard::WritesInFlight,
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

impl RouterNode {
    /// Builds the node from its design entry (parameters) and wiring.
    pub fn build(n: &Node, rng: SimRng, w: &Wiring) -> Self {
        let design = w.design;
        let _map = w.map;
        let i = w.i;
        let targets = w.targets.clone();
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
        RouterNode {
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
        }
    }

    /// Takes over the dynamic state of `old` (the same node before an
    /// edit): parameters and wiring stay as built from the edit.
    pub fn inherit(&mut self, mut old: Self, now: Nanos) {
        self.up = old.up;
        self.epoch = old.epoch;
        self.next_replica = old.next_replica;
        self.rng = old.rng.clone();
        self.fan_outs = old.fan_outs;
        self.writes_in_flight = std::mem::take(&mut old.writes_in_flight);
        if self.shards == old.shards {
            self.per_shard = old.per_shard;
            self.migration = old.migration;
        } else if !self.shards.is_empty() {
            let keys = self.placement.keys();
            let rate = self.migrate_rate;
            let new_owner = |k: u32| self.shards[self.placement.shard_of(k)];
            self.migration = Some(crate::model::reshard::Migration::new(
                |k| old.owner(k),
                new_owner,
                keys,
                rate,
                now,
            ));
        }
    }

    /// Fills in this node's figures.
    pub fn snapshot_into(&self, snap: &mut NodeSnapshot) {
        let r = self;
        snap.served = r.per_shard.iter().sum();
        snap.shard_queries = r.per_shard.clone();
        snap.reshard = r.migration.as_ref().map(|m| m.figures);
    }
}
