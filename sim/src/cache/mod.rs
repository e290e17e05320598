//! A bounded key→version cache store, and the theory used to validate it.
//!
//! [`CacheStore`] is the state of one cache: a Redis-like cache node, or one
//! CDN edge. It maps a record key (`u32`) to the version (`u64`) of that
//! record it holds, holds at most `capacity` entries, evicts by
//! [`Eviction`] policy when full, and optionally expires entries a fixed time
//! to live after they were written. It is pure and deterministic: it never
//! reads a clock (the caller passes `now`), draws no randomness, uses no
//! floating point, and never iterates a `HashMap`, so the same sequence of
//! calls gives bit-identical results natively and in WebAssembly.
//!
//! ```text
//!   index: FxHashMap<key, slot>          (lookups only, never iterated)
//!   slots: Vec<Entry>  ── free list of vacated slots
//!
//!   LRU / FIFO:  head ⇄ … ⇄ tail       intrusive doubly linked list over slots
//!                (next victim)  (newest)  LRU moves a used entry to the tail,
//!                                         FIFO never reorders
//!   LFU:         BTreeSet<(freq, last_use, key)>   first element = victim
//! ```
//!
//! Every entry also carries its use count, the tick of its last use and the
//! tick of its insertion (a tick is a per-store counter bumped by every
//! insertion and use) whatever the policy, so a live policy change
//! ([`CacheStore::reconfigure`]) can rebuild the new policy's order exactly.
//! Every operation is O(1) (LRU, FIFO) or O(log n) (LFU); a policy change is
//! O(n log n).
//!
//! # Theory
//!
//! Under the *independent reference model* (each request names key `i` with
//! a fixed probability `p_i`, independently of the past), the hit rate of an
//! LRU cache holding `C` keys is predicted well by the approximation of
//! Che, Tung & Wang (2002, "Hierarchical Web caching systems: modeling,
//! design and experimental results", IEEE JSAC 20(7)): a key stays in the
//! cache for a *characteristic time* `T` after its last request, where `T`
//! solves
//!
//! ```text
//!   Σ_i (1 − e^(−p_i·T)) = C          (T in requests)
//! ```
//!
//! and the hit rate is `Σ_i p_i·(1 − e^(−p_i·T))`. Fricker, Robert & Roberts
//! (2012, "A versatile and accurate approximation for LRU cache performance",
//! ITC 24) explain why it is accurate even for small caches. See
//! [`che_characteristic_time`], [`che_lru_hit_rate`], and [`ttl_hit_rate`]
//! for a cache bounded by a time to live instead of a size. The tests below
//! drive [`CacheStore`] with Zipf-distributed keys and check it against them.

#[cfg(test)]
mod tests;
mod theory;

pub use theory::{che_characteristic_time, che_lru_hit_rate, ttl_hit_rate, zipf_probabilities};

use crate::time::Nanos;
use rustc_hash::FxHashMap;
use std::collections::BTreeSet;

/// The names of the eviction policies, as accepted by [`Eviction::from_name`].
pub const EVICTION_POLICIES: &[&str] = &["lru", "lfu", "fifo"];

/// Which entry a full cache drops to make room for a new key.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Eviction {
    /// Least recently used: drop the entry read or written longest ago.
    Lru,
    /// Least frequently used: drop the entry with the fewest uses since it
    /// was inserted; ties go to the least recently used.
    Lfu,
    /// First in, first out: drop the entry inserted longest ago, however
    /// often it has been read since.
    Fifo,
}

impl Eviction {
    /// The policy named `name` (`"lru"`, `"lfu"` or `"fifo"`), if any.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "lru" => Some(Eviction::Lru),
            "lfu" => Some(Eviction::Lfu),
            "fifo" => Some(Eviction::Fifo),
            _ => None,
        }
    }

    /// The policy's name, as in [`EVICTION_POLICIES`].
    pub fn name(self) -> &'static str {
        match self {
            Eviction::Lru => "lru",
            Eviction::Lfu => "lfu",
            Eviction::Fifo => "fifo",
        }
    }
}

/// No slot: the end of the linked list.
const NIL: usize = usize::MAX;
/// The expiry of an entry that never expires [ns].
const NEVER: Nanos = Nanos::MAX;

/// One cached record, in a slot of [`CacheStore::slots`].
#[derive(Debug, Clone)]
struct Entry {
    key: u32,
    version: u64,
    /// The instant the entry expires [ns]; [`NEVER`] if it does not.
    expires: Nanos,
    /// Uses since insertion: 1 for the insertion, +1 per hit or overwrite.
    freq: u64,
    /// Tick of the last use (insertion, hit or overwrite).
    last_use: u64,
    /// Tick of the insertion (an overwrite keeps it).
    inserted: u64,
    /// Neighbours in the LRU/FIFO list (towards the head / the tail).
    prev: usize,
    next: usize,
    /// False while the slot is on the free list.
    live: bool,
}

impl Entry {
    fn expired(&self, now: Nanos) -> bool {
        self.expires != NEVER && self.expires <= now
    }
}

/// A bounded key→version cache with LRU, LFU or FIFO eviction and an
/// optional time to live. See the [module documentation](self).
#[derive(Debug, Clone)]
pub struct CacheStore {
    capacity: usize,
    policy: Eviction,
    ttl: Nanos,
    /// Key → slot. Only looked up, never iterated (its order is random).
    index: FxHashMap<u32, usize>,
    slots: Vec<Entry>,
    /// Vacated slots, reused last-in first-out.
    free: Vec<usize>,
    /// LRU/FIFO list: `head` is the next victim, `tail` the newest.
    head: usize,
    tail: usize,
    /// LFU order: `(freq, last_use, key)`, the first element is the victim.
    by_freq: BTreeSet<(u64, u64, u32)>,
    tick: u64,
    /// Entries dropped to make room (by [`CacheStore::put`] on a full store,
    /// or by [`CacheStore::reconfigure`] shrinking it).
    pub evictions: u64,
    /// Entries found expired and removed (by [`CacheStore::get`],
    /// [`CacheStore::put`] or [`CacheStore::put_if_newer`]).
    pub expirations: u64,
}

impl CacheStore {
    /// An empty store holding at most `capacity` entries, evicting by
    /// `policy`, whose entries expire `ttl` [ns] after they are written
    /// (`ttl` 0: never). Capacity 0 stores nothing.
    pub fn new(capacity: usize, policy: Eviction, ttl: Nanos) -> Self {
        CacheStore {
            capacity,
            policy,
            ttl,
            index: FxHashMap::default(),
            slots: Vec::new(),
            free: Vec::new(),
            head: NIL,
            tail: NIL,
            by_freq: BTreeSet::new(),
            tick: 0,
            evictions: 0,
            expirations: 0,
        }
    }

    /// The version cached for `key` at `now` [ns], counting the read as a use
    /// (LRU: most recently used; LFU: one more use; FIFO: no reordering).
    ///
    /// An entry whose expiry is at or before `now` is removed, counted in
    /// [`expirations`](Self::expirations), and reported as a miss.
    pub fn get(&mut self, key: u32, now: Nanos) -> Option<u64> {
        let slot = *self.index.get(&key)?;
        if self.slots[slot].expired(now) {
            self.remove_slot(slot);
            self.expirations += 1;
            return None;
        }
        self.touch(slot);
        Some(self.slots[slot].version)
    }

    /// The version cached for `key` at `now` [ns], without counting a use or
    /// removing an expired entry (which is reported as absent).
    pub fn peek(&self, key: u32, now: Nanos) -> Option<u64> {
        let entry = &self.slots[*self.index.get(&key)?];
        (!entry.expired(now)).then_some(entry.version)
    }

    /// Caches `version` of `key` at `now` [ns].
    ///
    /// If `key` is cached (and not expired), its version is overwritten, its
    /// expiry renewed to `now + ttl`, and the write counts as a use (LRU: most
    /// recently used; LFU: one more use; FIFO: keeps its place in line). An
    /// expired entry is first removed (counted in
    /// [`expirations`](Self::expirations)) and `key` inserted afresh.
    /// Otherwise, if the store is full, one victim is evicted by the policy
    /// (counted in [`evictions`](Self::evictions)) before inserting. With
    /// capacity 0 nothing is stored.
    pub fn put(&mut self, key: u32, version: u64, now: Nanos) {
        if self.capacity == 0 {
            return;
        }
        if let Some(&slot) = self.index.get(&key) {
            if self.slots[slot].expired(now) {
                self.remove_slot(slot);
                self.expirations += 1;
            } else {
                self.slots[slot].version = version;
                self.slots[slot].expires = self.expiry(now);
                self.touch(slot);
                return;
            }
        }
        if self.index.len() >= self.capacity {
            self.evict_one();
        }
        self.insert(key, version, now);
    }

    /// Caches `version` of `key` at `now` [ns] as [`put`](Self::put) does, but
    /// only if `key` is absent (or expired) or cached with an older version;
    /// returns whether it stored. A cache fill uses this so that a slow
    /// database read can never overwrite a newer value written through.
    pub fn put_if_newer(&mut self, key: u32, version: u64, now: Nanos) -> bool {
        if self.capacity == 0 {
            return false;
        }
        if let Some(cached) = self.peek(key, now)
            && cached >= version
        {
            return false;
        }
        self.put(key, version, now);
        true
    }

    /// Drops `key` (an invalidation); returns whether it was cached (expired
    /// or not). Not counted as an eviction or an expiration.
    pub fn remove(&mut self, key: u32) -> bool {
        match self.index.get(&key) {
            Some(&slot) => {
                self.remove_slot(slot);
                true
            }
            None => false,
        }
    }

    /// Drops every entry (a flush). The counters are kept.
    pub fn clear(&mut self) {
        self.index.clear();
        self.slots.clear();
        self.free.clear();
        self.by_freq.clear();
        self.head = NIL;
        self.tail = NIL;
    }

    /// The number of entries held, including expired ones not yet removed.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    /// Whether the store holds no entries.
    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }

    /// The most entries the store holds.
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// The eviction policy.
    pub fn policy(&self) -> Eviction {
        self.policy
    }

    /// The time to live of newly written entries [ns] (0: never expire).
    pub fn ttl(&self) -> Nanos {
        self.ttl
    }

    /// Applies a live edit, keeping the cached entries.
    ///
    /// Entries keep their versions and expiries; `ttl` applies to later
    /// writes only. Use counts, last-use and insertion ticks are tracked under
    /// every policy, so a policy change rebuilds the new policy's order
    /// exactly: LRU orders by last use, FIFO by insertion, LFU by use count
    /// then last use (as if the new policy had ordered the surviving entries
    /// all along). If the store holds more than `capacity` entries, victims
    /// of the new policy are evicted (counted in
    /// [`evictions`](Self::evictions)) until it fits.
    pub fn reconfigure(&mut self, capacity: usize, policy: Eviction, ttl: Nanos) {
        self.capacity = capacity;
        self.ttl = ttl;
        if policy != self.policy {
            self.policy = policy;
            self.rebuild_order();
        }
        while self.index.len() > self.capacity {
            self.evict_one();
        }
    }

    /// The expiry of an entry written at `now` [ns].
    fn expiry(&self, now: Nanos) -> Nanos {
        if self.ttl == 0 {
            NEVER
        } else {
            now.saturating_add(self.ttl)
        }
    }

    fn next_tick(&mut self) -> u64 {
        self.tick += 1;
        self.tick
    }

    /// Records a use of the entry in `slot` (a hit or an overwrite).
    fn touch(&mut self, slot: usize) {
        let tick = self.next_tick();
        let (old_freq, old_use, key) = {
            let e = &self.slots[slot];
            (e.freq, e.last_use, e.key)
        };
        let e = &mut self.slots[slot];
        e.freq = old_freq.saturating_add(1);
        e.last_use = tick;
        let new_freq = e.freq;
        match self.policy {
            Eviction::Lru => {
                self.unlink(slot);
                self.link_tail(slot);
            }
            Eviction::Lfu => {
                self.by_freq.remove(&(old_freq, old_use, key));
                self.by_freq.insert((new_freq, tick, key));
            }
            Eviction::Fifo => {}
        }
    }

    /// Inserts an absent `key`; the caller has made room.
    fn insert(&mut self, key: u32, version: u64, now: Nanos) {
        let tick = self.next_tick();
        let entry = Entry {
            key,
            version,
            expires: self.expiry(now),
            freq: 1,
            last_use: tick,
            inserted: tick,
            prev: NIL,
            next: NIL,
            live: true,
        };
        let slot = match self.free.pop() {
            Some(slot) => {
                self.slots[slot] = entry;
                slot
            }
            None => {
                self.slots.push(entry);
                self.slots.len() - 1
            }
        };
        self.index.insert(key, slot);
        match self.policy {
            Eviction::Lru | Eviction::Fifo => self.link_tail(slot),
            Eviction::Lfu => {
                self.by_freq.insert((1, tick, key));
            }
        }
    }

    /// Evicts the policy's victim, if any.
    fn evict_one(&mut self) {
        let victim = match self.policy {
            Eviction::Lru | Eviction::Fifo => (self.head != NIL).then_some(self.head),
            Eviction::Lfu => self
                .by_freq
                .first()
                .and_then(|&(_, _, key)| self.index.get(&key).copied()),
        };
        if let Some(slot) = victim {
            self.remove_slot(slot);
            self.evictions += 1;
        }
    }

    /// Removes the entry in `slot` from every structure and frees the slot.
    fn remove_slot(&mut self, slot: usize) {
        let (key, freq, last_use) = {
            let e = &self.slots[slot];
            (e.key, e.freq, e.last_use)
        };
        match self.policy {
            Eviction::Lru | Eviction::Fifo => self.unlink(slot),
            Eviction::Lfu => {
                self.by_freq.remove(&(freq, last_use, key));
            }
        }
        self.index.remove(&key);
        self.slots[slot].live = false;
        self.free.push(slot);
    }

    fn unlink(&mut self, slot: usize) {
        let (prev, next) = (self.slots[slot].prev, self.slots[slot].next);
        if prev == NIL {
            self.head = next;
        } else {
            self.slots[prev].next = next;
        }
        if next == NIL {
            self.tail = prev;
        } else {
            self.slots[next].prev = prev;
        }
        self.slots[slot].prev = NIL;
        self.slots[slot].next = NIL;
    }

    fn link_tail(&mut self, slot: usize) {
        self.slots[slot].prev = self.tail;
        self.slots[slot].next = NIL;
        if self.tail == NIL {
            self.head = slot;
        } else {
            self.slots[self.tail].next = slot;
        }
        self.tail = slot;
    }

    /// Rebuilds the list or the LFU set for `self.policy` from the entries'
    /// ticks and use counts (after a policy change). Iterates the slot
    /// vector, never the index, so the result is deterministic.
    fn rebuild_order(&mut self) {
        self.head = NIL;
        self.tail = NIL;
        self.by_freq.clear();
        let mut live: Vec<usize> = (0..self.slots.len())
            .filter(|&s| self.slots[s].live)
            .collect();
        match self.policy {
            Eviction::Lru | Eviction::Fifo => {
                let by_insertion = self.policy == Eviction::Fifo;
                // Ticks are unique, so the order is total.
                live.sort_by_key(|&s| {
                    let e = &self.slots[s];
                    if by_insertion { e.inserted } else { e.last_use }
                });
                for slot in live {
                    self.link_tail(slot);
                }
            }
            Eviction::Lfu => {
                for slot in live {
                    let e = &mut self.slots[slot];
                    e.prev = NIL;
                    e.next = NIL;
                    self.by_freq.insert((e.freq, e.last_use, e.key));
                }
            }
        }
    }
}
