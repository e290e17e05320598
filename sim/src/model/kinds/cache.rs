//! Caches: cache-aside reads with fills, what a write does to the cached
//! copy, request coalescing with fill leases, and the hit rates of caches
//! and CDNs. (A cache's worker pool and queue are a station's.)

use super::NodeState;
use crate::catalog::{
    Group, Kind, KindSpec, ParamKind, ParamSpec, SWITCH_OFF, Unit, WRITE_POLICIES, count, number,
    queue_param, t,
};
use crate::design::Reader;
use crate::model::data::{CacheOp, WritePolicy};
use crate::model::log::LogEvent;
use crate::model::{ErrorCause, Event, RequestKind, Simulation};
use crate::time::Nanos;

const CACHE_PARAMS: &[ParamSpec] = &[
    ParamSpec {
        key: "capacity",
        label: t("Capacity", "용량"),
        help: t(
            "Records it can hold; when full, one is evicted for each new one.",
            "담을 수 있는 레코드 수. 가득 차면 새 레코드마다 하나를 내보냅니다.",
        ),
        kind: count(1.0, 100_000_000.0, 10_000.0),
        only_with: None,
    },
    ParamSpec {
        key: "eviction",
        label: t("Eviction", "축출 정책"),
        help: t(
            "Which record leaves when full: least recently used, least frequently used, or the oldest.",
            "가득 찼을 때 내보낼 레코드: 가장 오래전에 쓴 것(LRU), 가장 적게 쓴 것(LFU), 가장 먼저 들어온 것(FIFO).",
        ),
        kind: ParamKind::Choice {
            options: crate::cache::EVICTION_POLICIES,
            labels: &[t("LRU", "LRU"), t("LFU", "LFU"), t("FIFO", "FIFO")],
            default: "lru",
        },
        only_with: None,
    },
    ParamSpec {
        key: "ttl_s",
        label: t("Time to live", "만료 시간(TTL)"),
        help: t(
            "A cached record expires this long after it was stored (0 = never).",
            "저장된 레코드는 이 시간이 지나면 만료됩니다(0 = 만료 없음).",
        ),
        kind: number(0.0, 86_400.0, 300.0, Unit::Seconds),
        only_with: None,
    },
    ParamSpec {
        key: "write_policy",
        label: t("On writes", "쓰기 시"),
        help: t(
            "After a write to the database: delete the cached copy, store the new version, or do nothing (stale reads until the TTL).",
            "데이터베이스에 쓴 뒤: 캐시 사본을 지우거나, 새 버전을 저장하거나, 아무것도 하지 않습니다(TTL까지 오래된 읽기).",
        ),
        kind: ParamKind::Choice {
            options: WRITE_POLICIES,
            labels: &[
                t("Invalidate", "무효화"),
                t("Write through", "함께 쓰기(write-through)"),
                t("Nothing", "아무것도 안 함"),
            ],
            default: "invalidate",
        },
        only_with: None,
    },
    ParamSpec {
        key: "coalesce",
        label: t("Request coalescing", "요청 병합"),
        help: t(
            "On a miss, only the first reader goes to the database; others for the same record wait for its answer (prevents stampedes).",
            "미스가 나면 첫 번째 요청만 데이터베이스로 가고, 같은 레코드의 다른 요청은 그 답을 기다립니다(몰림 현상 방지).",
        ),
        kind: SWITCH_OFF,
        only_with: None,
    },
    ParamSpec {
        key: "lease_ms",
        label: t("Fill lease", "채우기 임대 시간"),
        help: t(
            "How long waiting readers trust the first reader to fill the cache before going to the database themselves.",
            "기다리는 요청이 첫 요청의 캐시 채우기를 믿고 기다리는 시간. 지나면 직접 데이터베이스로 갑니다.",
        ),
        kind: number(1.0, 60_000.0, 2_000.0, Unit::Milliseconds),
        only_with: Some(("coalesce", "on")),
    },
    ParamSpec {
        key: "service_ms",
        label: t("Mean command time", "평균 명령 시간"),
        help: t(
            "Mean time per command; the cache serves one at a time, like Redis.",
            "명령 하나의 평균 시간. Redis처럼 한 번에 하나씩 처리합니다.",
        ),
        kind: number(0.001, 1_000.0, 0.1, Unit::Milliseconds),
        only_with: None,
    },
    queue_param(
        t(
            "Commands that may wait; when full, new ones fail (and readers go to the database).",
            "기다릴 수 있는 명령 수. 가득 차면 새 명령은 실패합니다(읽기는 데이터베이스로 갑니다).",
        ),
        10_000.0,
    ),
];

/// The catalog entry of this kind: its parameters and texts in both
/// languages.
pub(crate) const SPEC: KindSpec = KindSpec {
    kind: Kind::Cache,
    group: Group::Data,
    id_prefix: "cache",
    name: t("Cache", "캐시"),
    description: t(
        "Keeps popular records in memory: reads try it first and fill it from the database on a miss.",
        "인기 있는 레코드를 메모리에 둡니다. 읽기는 먼저 여기를 보고, 미스면 데이터베이스에서 채웁니다.",
    ),
    connects_to: &[],
    called_by: &[],
    needs_target: false,
    params: CACHE_PARAMS,
    presets: &[],
    in_datacenter: true,
};

/// A cache's events.
#[derive(Debug, Clone, Copy)]
pub(in crate::model) enum CacheEvent {
    /// A cache's fill lease for `key` ran out.
    LeaseEnd { cache: u32, key: u32, lease: u64 },
}

/// A cache's parameters, read once when the design is validated.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// Entries it keeps [count].
    pub capacity: usize,
    /// Which entry a full cache drops.
    pub eviction: crate::cache::Eviction,
    /// How long an entry stays [ns]; 0 = until evicted.
    pub ttl: Nanos,
    /// What a write does to the cached entry.
    pub write_policy: WritePolicy,
    /// Whether concurrent misses for one key wait for a single fill.
    pub coalesce: bool,
    /// How long a fill holds the key's lease [ns].
    pub lease: Nanos,
    /// Mean time to answer a lookup [ms].
    pub service_ms: f64,
    /// Requests that may wait [count].
    pub queue_capacity: usize,
}

impl Params {
    /// Reads the checked values.
    pub(crate) fn read(r: &Reader) -> Self {
        Params {
            capacity: r.count("capacity") as usize,
            eviction: crate::cache::Eviction::from_name(r.choice("eviction"))
                .unwrap_or(crate::cache::Eviction::Lru),
            ttl: r.secs("ttl_s"),
            write_policy: WritePolicy::from_name(r.choice("write_policy")),
            coalesce: r.on("coalesce"),
            lease: r.ms("lease_ms"),
            service_ms: r.number("service_ms"),
            queue_capacity: r.count("queue_capacity") as usize,
        }
    }
}

impl Simulation {
    /// Handles one of these events.
    pub(in crate::model) fn on_cache_event(&mut self, e: CacheEvent) {
        match e {
            CacheEvent::LeaseEnd { cache, key, lease } => self.on_lease_end(cache, key, lease),
        }
    }

    fn cache_node(&mut self, node: u32) -> Option<&mut crate::model::data::CacheNode> {
        match &mut self.nodes[node as usize] {
            NodeState::Station(s) => s.cache.as_deref_mut(),
            _ => None,
        }
    }

    /// The cache web server `web` uses for record `key` (records are split
    /// over several caches by key), if any.
    pub(in crate::model) fn cache_for(&mut self, web: u32, key: u32) -> Option<u32> {
        let caches = &self.station(web).caches;
        if caches.is_empty() {
            None
        } else {
            Some(caches[key as usize % caches.len()])
        }
    }

    /// The cache call web server `web` makes for `req` at `stage`, if any:
    /// a lookup before a page read's query; a fill after a miss; a delete or
    /// a set after a write, as the cache's write policy says.
    pub(in crate::model) fn cache_call(
        &mut self,
        web: u32,
        req: u32,
        before_data: bool,
    ) -> Option<u32> {
        let (kind, hit, fresh) = {
            let r = &self.requests[req as usize];
            (r.kind, r.cache_hit, r.fresh)
        };
        if kind == RequestKind::Static {
            return None; // never cached here, so its record is not looked up
        }
        let key = self.key_of(req);
        let cache = self.cache_for(web, key)?;
        let op = match (kind, before_data) {
            (RequestKind::Page, true) => CacheOp::Get,
            (RequestKind::Page, false) if hit == Some(false) && fresh.is_some() => CacheOp::Fill,
            (RequestKind::Write, false) => {
                let policy = match &self.nodes[cache as usize] {
                    NodeState::Station(s) => s.cache.as_ref().map(|c| c.write_policy),
                    _ => None,
                }?;
                match policy {
                    WritePolicy::Invalidate => CacheOp::Delete,
                    WritePolicy::WriteThrough => CacheOp::Set,
                    WritePolicy::Nothing => return None,
                }
            }
            _ => return None,
        };
        self.requests[req as usize].cache_op = op;
        Some(cache)
    }

    /// A cache finished a command for `req`.
    pub(in crate::model) fn cache_op(&mut self, req: u32, node: u32) {
        let now = self.now;
        let key = self.key_of(req);
        let (op, version, lease) = {
            let r = &self.requests[req as usize];
            (r.cache_op, r.version, r.lease)
        };
        let Some(c) = self.cache_node(node) else {
            return self.call_next_or_reply(req, node);
        };
        match op {
            CacheOp::Get => {
                if let Some(v) = c.store.get(key, now) {
                    c.hits += 1;
                    self.window.cache_hits += 1;
                    self.window.cache_lookups += 1;
                    self.answer_from_cache(req, key, v, node);
                    return self.call_next_or_reply(req, node);
                }
                if c.leases.contains_key(&key) {
                    if c.coalesce {
                        // Wait for the fill already on its way.
                        c.coalesced += 1;
                        c.waiting.entry(key).or_default().push(req);
                        return self.finish_service(req, node);
                    }
                    c.duplicate_misses += 1;
                } else {
                    c.next_lease += 1;
                    let lease = c.next_lease;
                    c.leases.insert(key, lease);
                    let at = now + c.lease;
                    self.requests[req as usize].lease = lease;
                    self.events.schedule(
                        at,
                        Event::Cache(CacheEvent::LeaseEnd {
                            cache: node,
                            key,
                            lease,
                        }),
                    );
                }
                let c = self.cache_node(node).expect("checked");
                c.misses += 1;
                self.window.cache_lookups += 1;
                self.requests[req as usize].cache_hit = Some(false);
            }
            CacheOp::Fill => {
                // Only the reader holding the current lease may store: a
                // delete since then means the value read may be old.
                let current = c.leases.get(&key) == Some(&lease);
                if current || !c.coalesce {
                    c.store.put_if_newer(key, version, now);
                }
                if current {
                    c.leases.remove(&key);
                }
                let waiting = c.waiting.remove(&key).unwrap_or_default();
                let served = waiting.len() as u64;
                c.hits += served;
                self.window.cache_hits += served;
                self.window.cache_lookups += served;
                for w in waiting {
                    self.answer_from_cache(w, key, version, node);
                    self.reply_parked(w, node);
                }
            }
            CacheOp::Delete => {
                c.store.remove(key);
                c.leases.remove(&key);
            }
            CacheOp::Set => {
                c.store.put_if_newer(key, version, now);
            }
        }
        self.call_next_or_reply(req, node);
    }

    fn answer_from_cache(&mut self, req: u32, key: u32, version: u64, cache: u32) {
        let fresh = self.judge_read(key, version, cache);
        let r = &mut self.requests[req as usize];
        r.version = version;
        r.fresh = Some(fresh);
        r.cache_hit = Some(true);
    }

    /// A fill lease ran out: readers waiting for it go to the database
    /// themselves.
    pub(in crate::model) fn on_lease_end(&mut self, cache: u32, key: u32, lease: u64) {
        let Some(c) = self.cache_node(cache) else {
            return;
        };
        if c.leases.get(&key) != Some(&lease) {
            return;
        }
        c.leases.remove(&key);
        let waiting = c.waiting.remove(&key).unwrap_or_default();
        c.misses += waiting.len() as u64;
        c.coalesced -= waiting.len() as u64;
        self.window.cache_lookups += waiting.len() as u64;
        for w in waiting {
            self.requests[w as usize].cache_hit = Some(false);
            self.reply_parked(w, cache);
        }
    }

    /// A cache crashed: its memory is gone and parked readers fail over to
    /// the database (their web server treats the error as a miss).
    pub(in crate::model) fn cache_killed(&mut self, node: u32) {
        let Some(c) = self.cache_node(node) else {
            return;
        };
        c.store.clear();
        c.leases.clear();
        let parked: Vec<u32> = {
            let mut keys: Vec<u32> = c.waiting.keys().copied().collect();
            keys.sort_unstable(); // HashMap order differs between runs
            keys.into_iter()
                .flat_map(|k| c.waiting.remove(&k).unwrap_or_default())
                .collect()
        };
        for req in parked {
            self.requests[req as usize].stack.pop();
            self.reject(req, node, ErrorCause::NodeDown);
        }
    }

    /// A web server got an error back from a cache: a cache is an
    /// optimisation, so the request goes on without it (a failed lookup is
    /// a miss; a failed delete leaves the old copy in place).
    pub(in crate::model) fn forgive_cache_error(&mut self, req: u32) {
        let r = &mut self.requests[req as usize];
        if matches!(
            r.error,
            Some(
                ErrorCause::NodeDown
                    | ErrorCause::LinkDown
                    | ErrorCause::QueueFull
                    | ErrorCause::Timeout
                    | ErrorCause::CallTimeout
                    | ErrorCause::CircuitOpen
                    | ErrorCause::BulkheadFull
            )
        ) {
            r.error = None;
            if r.cache_op == CacheOp::Get {
                r.cache_hit = Some(false);
            }
        }
    }

    /// Empties a cache or CDN (an operator's purge).
    pub(in crate::model) fn purge(&mut self, node: u32) {
        match &mut self.nodes[node as usize] {
            NodeState::Station(s) => match s.cache.as_deref_mut() {
                Some(c) => c.store.clear(),
                None => return,
            },
            NodeState::Cdn(c) => c.store.clear(),
            _ => return,
        }
        self.push_log(node, LogEvent::Purged);
    }

    // ----- CDN ----------------------------------------------------------------

    /// Share of lookups that hit, over every cache node (or CDN), 0..=1.
    pub(in crate::model) fn hit_rate(&self, kind: Kind) -> f64 {
        let (mut hits, mut misses) = (0u64, 0u64);
        for (i, n) in self.nodes.iter().enumerate() {
            if self.retired[i] || self.kinds[i] != kind {
                continue;
            }
            match n {
                NodeState::Station(s) => {
                    if let Some(c) = &s.cache {
                        hits += c.hits;
                        misses += c.misses;
                    }
                }
                NodeState::Cdn(c) => {
                    hits += c.hits;
                    misses += c.misses;
                }
                _ => {}
            }
        }
        if hits + misses == 0 {
            0.0
        } else {
            hits as f64 / (hits + misses) as f64
        }
    }
}
