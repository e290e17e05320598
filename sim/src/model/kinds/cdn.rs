//! CDNs: edge caches for static files in front of an origin.

use super::NodeState;
use super::{Event, Wiring};
use crate::cache::{CacheStore, Eviction};
use crate::catalog::{Group, Kind, KindSpec, ParamSpec, Unit, count, number, t};
use crate::design::Reader;
use crate::model::report::{CacheFigures, NodeSnapshot};
use crate::model::{ErrorCause, Simulation};
use crate::time::Nanos;

const CDN_PARAMS: &[ParamSpec] = &[
    ParamSpec {
        key: "capacity",
        label: t("Capacity", "용량"),
        help: t(
            "Files the edge can hold; the least recently used leaves when full.",
            "엣지가 담을 수 있는 파일 수. 가득 차면 가장 오래전에 쓴 파일이 나갑니다.",
        ),
        kind: count(1.0, 100_000_000.0, 100_000.0),
        only_with: None,
    },
    ParamSpec {
        key: "ttl_s",
        label: t("Time to live", "만료 시간(TTL)"),
        help: t(
            "A file expires at the edge this long after it was fetched (0 = never).",
            "엣지의 파일은 가져온 뒤 이 시간이 지나면 만료됩니다(0 = 만료 없음).",
        ),
        kind: number(0.0, 31_536_000.0, 86_400.0, Unit::Seconds),
        only_with: None,
    },
    ParamSpec {
        key: "edge_ms",
        label: t("Latency to users", "사용자까지 지연"),
        help: t(
            "One-way delay between a user and the nearest edge.",
            "사용자와 가장 가까운 엣지 사이의 단방향 지연.",
        ),
        kind: number(0.0, 1_000.0, 5.0, Unit::Milliseconds),
        only_with: None,
    },
    ParamSpec {
        key: "origin_ms",
        label: t("Latency to origin", "원본 서버까지 지연"),
        help: t(
            "One-way delay between the edge and the origin it fetches misses from.",
            "엣지와, 미스 때 파일을 가져오는 원본 서버 사이의 단방향 지연.",
        ),
        kind: number(0.0, 1_000.0, 30.0, Unit::Milliseconds),
        only_with: None,
    },
    ParamSpec {
        key: "object_kb",
        label: t("File size", "파일 크기"),
        help: t(
            "Size of one static file, for the traffic bill.",
            "정적 파일 하나의 크기. 전송 요금 계산에 씁니다.",
        ),
        kind: number(0.1, 1_000_000.0, 200.0, Unit::Kilobytes),
        only_with: None,
    },
    ParamSpec {
        key: "price_per_gb",
        label: t("Price per GB", "GB당 가격"),
        help: t(
            "What the CDN charges per gigabyte it serves.",
            "CDN이 전송한 기가바이트당 받는 요금.",
        ),
        kind: number(0.0, 10.0, 0.085, Unit::UsdPerGb),
        only_with: None,
    },
];

/// The catalog entry of this kind: its parameters and texts in both
/// languages.
pub(crate) const SPEC: KindSpec = KindSpec {
    kind: Kind::Cdn,
    group: Group::Entry,
    id_prefix: "cdn",
    name: t("CDN", "CDN"),
    description: t(
        "Edge caches near users that serve static files, fetching misses from the origin.",
        "사용자 가까이에서 정적 파일을 제공하는 엣지 캐시. 미스면 원본 서버에서 가져옵니다.",
    ),
    connects_to: &[Kind::LoadBalancer, Kind::WebServer],
    called_by: &[],
    needs_target: true,
    params: CDN_PARAMS,
    presets: &[],
    in_datacenter: false,
};

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

/// A CDN's parameters, read once when the design is validated.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// Objects each edge keeps [count].
    pub capacity: usize,
    /// How long an object stays fresh at the edge [ns].
    pub ttl: Nanos,
    /// Round trip from a user to the edge [ns].
    pub edge: Nanos,
    /// Round trip from the edge to the origin [ns].
    pub origin: Nanos,
    /// Size of a static object [kB].
    pub object_kb: f64,
    /// Price of data sent to users [USD/GB].
    pub price_per_gb: f64,
}

impl Params {
    /// Reads the checked values.
    pub(crate) fn read(r: &Reader) -> Self {
        Params {
            capacity: r.count("capacity") as usize,
            ttl: r.secs("ttl_s"),
            edge: r.ms("edge_ms"),
            origin: r.ms("origin_ms"),
            object_kb: r.number("object_kb"),
            price_per_gb: r.number("price_per_gb"),
        }
    }
}

impl CdnNode {
    /// Crashes: the edges lose every cached file.
    pub fn crash(&mut self) {
        self.up = false;
        self.epoch += 1;
        self.store.clear();
    }

    /// Comes back, cold; no timer of its own.
    pub fn restart(&mut self) -> Option<(Nanos, Event)> {
        self.up = true;
        None
    }

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
    pub fn build(p: &Params, w: &Wiring) -> Self {
        let targets = w.targets.clone();
        CdnNode {
            store: CacheStore::new(p.capacity, Eviction::Lru, p.ttl),
            edge: p.edge,
            origin: p.origin,
            object_bytes: p.object_kb * 1_000.0,
            price_per_gb: p.price_per_gb,
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
        let key = self.key_of(req);
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
        self.forward(req, node, origin, epoch);
    }

    /// The origin answered a CDN's fetch.
    pub(in crate::model) fn on_reply_at_cdn(&mut self, req: u32, node: u32) {
        let now = self.now;
        let frame = self.requests[req as usize]
            .stack
            .pop()
            .expect("a reply at a CDN has its frame");
        let key = self.key_of(req);
        let failed = self.requests[req as usize].error.is_some();
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
