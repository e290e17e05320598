//! Caches: cache-aside reads with fills, what a write does to the cached
//! copy, request coalescing with fill leases, and the hit rates of caches
//! and CDNs. (A cache's worker pool and queue are a station's.)

use super::NodeState;
use crate::catalog::Kind;
use crate::model::data::{CacheOp, WritePolicy};
use crate::model::log::LogEvent;
use crate::model::{ErrorCause, Event, RequestKind, Simulation};

/// A cache's events.
#[derive(Debug, Clone, Copy)]
pub(in crate::model) enum CacheEvent {
    /// A cache's fill lease for `key` ran out.
    LeaseEnd { cache: u32, key: u32, lease: u64 },
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
        let (kind, key, hit, fresh) = {
            let r = &self.requests[req as usize];
            (r.kind, r.key, r.cache_hit, r.fresh)
        };
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
        let (op, key, version, lease) = {
            let r = &self.requests[req as usize];
            (r.cache_op, r.key, r.version, r.lease)
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
