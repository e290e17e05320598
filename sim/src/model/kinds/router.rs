//! Shard routers: each record's queries go to the shard holding it.

use super::NodeState;
use super::{Event, Wiring};
use crate::catalog::{
    Group, JOIN_MODES, Kind, KindSpec, ParamKind, ParamSpec, Unit, count, number, t,
};
use crate::design::Reader;
use crate::model::data::Record;
use crate::model::report::NodeSnapshot;
use crate::model::{RequestKind, Simulation};
use crate::rng::SimRng;
use crate::time::Nanos;
use rand_core::Rng;

const ROUTER_PARAMS: &[ParamSpec] = &[
    ParamSpec {
        key: "strategy",
        label: t("Sharding strategy", "샤딩 방식"),
        help: t(
            "How records map to shards: key mod N, equal key ranges, or a hash ring with virtual nodes (adding a shard moves only about 1/(N+1) of the records).",
            "레코드를 샤드에 나누는 방식: 키 mod N, 같은 크기의 키 범위, 또는 가상 노드가 있는 해시 링(샤드를 더해도 레코드의 약 1/(N+1)만 옮겨짐).",
        ),
        kind: ParamKind::Choice {
            options: crate::sharding::STRATEGIES,
            labels: &[
                t("Modulo N", "모듈로 N"),
                t("Key ranges", "키 범위"),
                t("Consistent hashing", "안정 해시"),
            ],
            default: "consistent",
        },
        only_with: None,
    },
    ParamSpec {
        key: "vnodes",
        label: t("Virtual nodes per shard", "샤드당 가상 노드"),
        help: t(
            "Points each shard owns on the hash ring; more points spread records more evenly.",
            "각 샤드가 해시 링에 갖는 점의 수. 많을수록 레코드가 고르게 퍼집니다.",
        ),
        kind: count(1.0, 1_000.0, 100.0),
        only_with: Some(("strategy", "consistent")),
    },
    ParamSpec {
        key: "migrate_keys_per_s",
        label: t("Resharding speed", "재샤딩 속도"),
        help: t(
            "When an edit adds or removes shards while it runs, records that change shard are copied at this rate; until a record has moved, its queries go where it still is.",
            "실행 중 편집으로 샤드를 더하거나 빼면, 샤드가 바뀌는 레코드를 이 속도로 복사합니다. 옮겨지기 전까지 그 레코드의 질의는 원래 샤드로 갑니다.",
        ),
        kind: number(1.0, 10_000_000.0, 1_000.0, Unit::EventsPerSecond),
        only_with: None,
    },
    ParamSpec {
        key: "join_pct",
        label: t("Cross-shard reads", "샤드 간 조인 읽기"),
        help: t(
            "Share of page reads that join records from every shard (a feed of friends who live on other shards).",
            "모든 샤드의 레코드를 조인하는 페이지 읽기 비율(다른 샤드에 있는 친구들의 피드 등).",
        ),
        kind: number(0.0, 100.0, 0.0, Unit::Percent),
        only_with: None,
    },
    ParamSpec {
        key: "joins",
        label: t("Joins", "조인 방식"),
        help: t(
            "Fan out: a joining read queries every shard and answers when the slowest has. Denormalized: each record keeps copies of what it joins, so the read needs one shard, but a write of such a record updates every shard.",
            "팬아웃: 조인 읽기가 모든 샤드에 묻고 가장 느린 샤드가 답하면 끝납니다. 비정규화: 레코드가 조인할 내용의 사본을 가지고 있어 읽기는 샤드 하나면 되지만, 그런 레코드의 쓰기는 모든 샤드를 고칩니다.",
        ),
        kind: ParamKind::Choice {
            options: JOIN_MODES,
            labels: &[t("Fan out", "팬아웃"), t("Denormalized", "비정규화")],
            default: "fan_out",
        },
        only_with: None,
    },
];

/// The catalog entry of this kind: its parameters and texts in both
/// languages.
pub(crate) const SPEC: KindSpec = KindSpec {
    kind: Kind::ShardRouter,
    group: Group::Data,
    id_prefix: "router",
    name: t("Shard router", "샤드 라우터"),
    description: t(
        "Splits the records between several master databases (shards) by the user's key.",
        "사용자 키에 따라 레코드를 여러 마스터 데이터베이스(샤드)에 나눕니다.",
    ),
    connects_to: &[Kind::Database],
    called_by: &[],
    needs_target: true,
    params: ROUTER_PARAMS,
    presets: &[],
    in_datacenter: true,
};

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
    pub migration: Option<super::reshard::Migration>,
    /// Writes on their way, by record (a record does not move under one).
    pub writes_in_flight: super::reshard::WritesInFlight,
}

/// A shard router's parameters, read once when the design is validated.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// How keys are placed on shards.
    pub strategy: crate::sharding::Strategy,
    /// Points on the ring per shard, for consistent hashing [count].
    pub vnodes: u32,
    /// Records moved per second while resharding [keys/s].
    pub migrate_keys_per_s: f64,
    /// Share of reads that join data from other shards [%].
    pub join_pct: f64,
    /// Whether joined data is copied beside each record (no fan-out).
    pub denormalized: bool,
}

impl Params {
    /// Reads the checked values.
    pub(crate) fn read(r: &Reader) -> Self {
        Params {
            strategy: crate::sharding::Strategy::from_name(r.choice("strategy"))
                .unwrap_or(crate::sharding::Strategy::Consistent),
            vnodes: r.count("vnodes") as u32,
            migrate_keys_per_s: r.number("migrate_keys_per_s"),
            join_pct: r.number("join_pct"),
            denormalized: r.is("joins", "denormalized"),
        }
    }
}

impl RouterNode {
    /// Crashes: queries in progress fail.
    pub fn crash(&mut self) {
        self.up = false;
        self.epoch += 1;
    }

    /// Comes back; no timer of its own.
    pub fn restart(&mut self) -> Option<(Nanos, Event)> {
        self.up = true;
        None
    }

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
    pub fn build(p: &Params, rng: SimRng, w: &Wiring) -> Self {
        let design = w.design;
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
            .filter_map(|u| u.params.users().map(|u| u.keys))
            .max()
            .unwrap_or(1);
        RouterNode {
            placement: crate::sharding::Placement::new(p.strategy, &names, keys, p.vnodes),
            per_shard: vec![0; targets.len()],
            shards: targets,
            next_replica: 0,
            up: true,
            epoch: 0,
            rng,
            join_pct: p.join_pct,
            migrate_rate: p.migrate_keys_per_s,
            migration: None,
            writes_in_flight: Default::default(),
            denormalized: p.denormalized,
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
            self.migration = Some(super::reshard::Migration::new(
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

impl Simulation {
    /// A query reaches shard router `node`: it goes to the shard holding
    /// its record — the shard's current master for a write (or inside the
    /// read-your-writes window), else the next live replica, else the
    /// master.
    pub(in crate::model) fn forward_at_router(&mut self, req: u32, node: u32) {
        let key = self.key_of(req);
        let NodeState::Router(router) = &mut self.nodes[node as usize] else {
            unreachable!()
        };
        if !router.up || router.shards.is_empty() {
            return self.reject(req, node, crate::model::ErrorCause::NodeDown);
        }
        let kind = self.requests[req as usize].kind;
        let joins = match (kind, router.denormalized) {
            (RequestKind::Page, false) | (RequestKind::Write, true) => router.join_pct,
            _ => 0.0,
        };
        if joins > 0.0 && router.shards.len() > 1 {
            let roll = router.rng.next_u64() as f64 / u64::MAX as f64 * 100.0;
            if roll < joins {
                return self.fan_out(req, node);
            }
        }
        let owner = router.owner(key);
        if let Some(i) = router.shards.iter().position(|&s| s == owner) {
            router.per_shard[i] += 1;
        }
        let epoch = router.epoch;
        let Some(target) = self.shard_target(node, owner, req) else {
            return self.reject(req, node, crate::model::ErrorCause::NodeDown);
        };
        if kind == RequestKind::Write {
            self.track_write(node, key, 1);
        }
        self.forward(req, node, target, epoch);
    }

    /// Where router `node` sends `req` on the shard whose designed master
    /// is `owner`: its master for a write (or a read inside the
    /// read-your-writes window), else the next live replica, else the
    /// master. `None` if the shard has no database.
    pub(in crate::model) fn shard_target(
        &mut self,
        node: u32,
        owner: u32,
        req: u32,
    ) -> Option<u32> {
        let g = self.db(owner).map(|d| d.group)?;
        let master = self.groups[g as usize].master;
        if self.needs_master(g, req) {
            return Some(master);
        }
        let members = &self.groups[g as usize].members;
        let NodeState::Router(router) = &self.nodes[node as usize] else {
            unreachable!()
        };
        Some(match self.pick_reader(g, members, router.next_replica) {
            Some((replica, next)) => {
                if let NodeState::Router(router) = &mut self.nodes[node as usize] {
                    router.next_replica = next;
                }
                replica
            }
            None => master,
        })
    }

    /// A cross-shard operation: one copy of `req` to every shard, each for
    /// a record that shard holds (the request's own record on its own
    /// shard); the request goes on when the slowest has answered.
    pub(in crate::model) fn fan_out(&mut self, req: u32, node: u32) {
        let now = self.now;
        let NodeState::Router(router) = &mut self.nodes[node as usize] else {
            unreachable!()
        };
        router.fan_outs += 1;
        let (shards, epoch) = (router.shards.len(), router.epoch);
        let key = self.key_of(req);
        self.requests[req as usize].stack.push(crate::model::Frame {
            node,
            next: u32::MAX,
            epoch,
            arrived: now,
            started: now,
        });
        self.leave_hop(req);
        self.next_call_id += 1;
        let id = self.next_call_id;
        self.requests[req as usize].join = Some((id, shards as u32));
        for shard in 0..shards {
            let NodeState::Router(router) = &mut self.nodes[node as usize] else {
                unreachable!()
            };
            router.per_shard[shard] += 1;
            let shard_key = router.placement.key_on(shard, key);
            let owner = router.owner(shard_key);
            let child = self.alloc_child(req, node, epoch, id);
            self.requests[child as usize].key = Record::Key(shard_key);
            if self.requests[child as usize].kind == RequestKind::Write {
                self.track_write(node, shard_key, 1);
            }
            match self.shard_target(node, owner, child) {
                Some(target) => self.send(child, node, target, false),
                None => self.reject(child, node, crate::model::ErrorCause::NodeDown),
            }
        }
    }

    /// One shard answered a cross-shard operation; the last answer lets the
    /// request go on.
    pub(in crate::model) fn on_join_answer(&mut self, child: u32, node: u32) {
        let (parent, id) = {
            let c = &self.requests[child as usize];
            (c.parent, c.call_id)
        };
        let waiting = {
            let p = &self.requests[parent as usize];
            p.live && p.join.is_some_and(|(j, _)| j == id)
        };
        if !waiting {
            return self.release_request(child);
        }
        if self.requests[child as usize].kind == RequestKind::Write {
            let key = self.key_of(child);
            self.track_write(node, key, -1);
        }
        let done = {
            let [p, c] = self
                .requests
                .get_disjoint_mut([parent as usize, child as usize])
                .expect("parent and child are different slots");
            if let Some(e) = c.error
                && p.error.is_none()
            {
                p.error = Some(e);
                p.error_at = c.error_at;
                p.error_other = c.error_other;
            }
            if c.key == p.key {
                // The request's own record: its version, freshness and time.
                p.version = c.version;
                p.fresh = c.fresh;
                p.net_ns += c.net_ns;
                p.queue_ns += c.queue_ns;
                p.service_ns += c.service_ns;
            }
            p.hops.extend(c.hops.iter().copied());
            let (j, pending) = p.join.expect("checked");
            p.join = (pending > 1).then_some((j, pending - 1));
            pending == 1
        };
        self.release_request(child);
        if done {
            self.on_reply_at_router(parent, node);
        }
    }

    /// A shard answered through the router.
    pub(in crate::model) fn on_reply_at_router(&mut self, req: u32, node: u32) {
        let frame = self.requests[req as usize]
            .stack
            .pop()
            .expect("a reply at a router has its frame");
        let NodeState::Router(router) = &self.nodes[node as usize] else {
            unreachable!()
        };
        if frame.epoch != router.epoch {
            let none = crate::model::failures::NO_NODE;
            self.fail_at(req, node, none, crate::model::ErrorCause::NodeDown);
        }
        let r = &self.requests[req as usize];
        if r.kind == RequestKind::Write && frame.next != u32::MAX {
            let key = self.key_of(req);
            self.track_write(node, key, -1);
        }
        let caller = self.caller_of(req);
        self.send(req, node, caller, true);
    }
}
