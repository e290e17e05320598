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

/// The Zipf popularity law over `n` keys: `p_i = i^(−alpha) / Σ_j j^(−alpha)`
/// for ranks `i = 1..=n` (index 0 is rank 1, the most popular).
///
/// `alpha` [dimensionless] ≥ 0; `alpha` 0 gives the uniform law. Empty for
/// `n` 0. Uses `libm`, so the values are identical on every platform.
pub fn zipf_probabilities(n: usize, alpha: f64) -> Vec<f64> {
    let mut p: Vec<f64> = (1..=n).map(|i| libm::pow(i as f64, -alpha)).collect();
    let total: f64 = p.iter().sum();
    if total > 0.0 && total.is_finite() {
        for x in &mut p {
            *x /= total;
        }
    }
    p
}

/// The number of keys with non-zero probability.
fn support(probs: &[f64]) -> usize {
    probs.iter().filter(|&&p| p > 0.0).count()
}

/// Che's characteristic time `T` [requests] of an LRU cache holding
/// `capacity` keys, for request probabilities `probs` (summing to 1): the
/// root of
///
/// ```text
///   Σ_i (1 − e^(−p_i·T)) = C
/// ```
///
/// i.e. the number of requests after which a key not requested again is
/// evicted (Che, Tung & Wang 2002). Multiply by the mean time between
/// requests to get seconds. `f64::INFINITY` if `capacity` is at least the
/// number of keys with non-zero probability (nothing is ever evicted); 0 for
/// capacity 0.
///
/// Solved by Newton's method from `T = C` (a lower bound, since
/// `1 − e^(−x) ≤ x`), safeguarded by bisection; the left-hand side is
/// increasing and concave in `T`, so the iteration converges monotonically,
/// to a relative precision of about 1e-12. Each iteration costs O(n) `exp`
/// calls; typically 3 to 12 iterations, plus a few doublings to bracket `T`.
pub fn che_characteristic_time(probs: &[f64], capacity: usize) -> f64 {
    if capacity >= support(probs) {
        return f64::INFINITY;
    }
    if capacity == 0 {
        return 0.0;
    }
    let c = capacity as f64;
    // g(T) = Σ(1 − e^(−p T)) − C and g'(T) = Σ p e^(−p T).
    let g = |t: f64| -> (f64, f64) {
        let mut value = -c;
        let mut slope = 0.0;
        for &p in probs.iter().filter(|&&p| p > 0.0) {
            value -= libm::expm1(-p * t);
            slope += p * libm::exp(-p * t);
        }
        (value, slope)
    };
    // Bracket the root: g(lo) ≤ 0 < g(hi).
    let mut lo = c;
    let mut hi = 2.0 * c;
    while g(hi).0 <= 0.0 {
        lo = hi;
        hi *= 2.0;
        if !hi.is_finite() {
            return f64::INFINITY;
        }
    }
    let mut t = lo;
    for _ in 0..200 {
        let (value, slope) = g(t);
        // The sum itself carries rounding error of about n·ε, so stop on a
        // small residual or a negligible step, not only on an exact zero.
        if value.abs() <= 1e-12 * c {
            return t;
        }
        if value < 0.0 {
            lo = t;
        } else {
            hi = t;
        }
        let newton = t - value / slope;
        if (newton - t).abs() <= 1e-13 * t || hi - lo <= 1e-13 * hi {
            return t;
        }
        // Newton from the left never overshoots (concavity); bisect if
        // rounding ever takes it out of the bracket.
        t = if newton > lo && newton < hi {
            newton
        } else {
            0.5 * (lo + hi)
        };
    }
    t
}

/// Che's approximation of the hit rate [fraction of requests, 0..=1] of an
/// LRU cache holding `capacity` keys, for request probabilities `probs`
/// (summing to 1) under the independent reference model:
///
/// ```text
///   h = Σ_i p_i·(1 − e^(−p_i·T)),   T = che_characteristic_time(probs, C)
/// ```
///
/// (Che, Tung & Wang 2002; accuracy explained by Fricker, Robert & Roberts
/// 2012). 1.0 if the cache holds every key with non-zero probability, 0 for
/// capacity 0. Cold-start misses are not counted: this is the steady state.
pub fn che_lru_hit_rate(probs: &[f64], capacity: usize) -> f64 {
    if capacity == 0 || probs.is_empty() {
        return 0.0;
    }
    if capacity >= support(probs) {
        return 1.0;
    }
    let t = che_characteristic_time(probs, capacity);
    probs
        .iter()
        .filter(|&&p| p > 0.0)
        .map(|&p| -p * libm::expm1(-p * t))
        .sum()
}

/// The steady-state hit rate [fraction of requests, 0..=1] of an unbounded
/// cache whose entries are filled on a miss and expire `ttl_s` [s] after the
/// fill (a hit does not renew them), for Poisson requests at `rate_per_s`
/// [1/s] in total, key `i` being requested with probability `probs[i]`.
///
/// Key `i` is requested at rate `λ_i = p_i·rate`. Each fill starts a cycle of
/// one miss followed by the requests arriving within `ttl`, on average
/// `λ_i·ttl` hits; after expiry the next request misses again. So
///
/// ```text
///   h_i = λ_i·ttl / (1 + λ_i·ttl),    h = Σ_i p_i·h_i
/// ```
///
/// (the renewal argument of Jung, Berger & Balakrishnan 2003, "Modeling
/// TTL-based Internet caches"; the TTL view of LRU is that of Che et al.
/// 2002 and Fricker, Robert & Roberts 2012). Fills are taken as
/// instantaneous. 0 for a non-positive rate or TTL; an infinite TTL gives
/// the share of keys with non-zero rate (1 for normalized `probs`).
pub fn ttl_hit_rate(probs: &[f64], rate_per_s: f64, ttl_s: f64) -> f64 {
    if !(rate_per_s > 0.0 && ttl_s > 0.0) {
        return 0.0;
    }
    probs
        .iter()
        .filter(|&&p| p > 0.0)
        .map(|&p| {
            let x = p * rate_per_s * ttl_s;
            if x.is_infinite() {
                p
            } else {
                p * x / (1.0 + x)
            }
        })
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::stream;
    use crate::time::{MILLISECOND, SECOND, from_secs};
    use rand_distr::{Distribution, Exp, Zipf};

    /// Checks the structures agree with each other (list or set vs index).
    fn check_invariants(c: &CacheStore) {
        let live = c.slots.iter().filter(|e| e.live).count();
        assert_eq!(live, c.index.len());
        assert!(c.len() <= c.capacity);
        match c.policy {
            Eviction::Lru | Eviction::Fifo => {
                let mut n = 0;
                let mut s = c.head;
                let mut prev = NIL;
                while s != NIL {
                    assert!(c.slots[s].live);
                    assert_eq!(c.slots[s].prev, prev);
                    assert_eq!(c.index[&c.slots[s].key], s);
                    prev = s;
                    s = c.slots[s].next;
                    n += 1;
                }
                assert_eq!(c.tail, prev);
                assert_eq!(n, c.len());
                assert!(c.by_freq.is_empty());
            }
            Eviction::Lfu => {
                assert_eq!(c.by_freq.len(), c.len());
                for &(f, t, k) in &c.by_freq {
                    let e = &c.slots[c.index[&k]];
                    assert_eq!((e.freq, e.last_use), (f, t));
                }
            }
        }
    }

    fn keys(c: &CacheStore) -> Vec<u32> {
        let mut k: Vec<u32> = c.slots.iter().filter(|e| e.live).map(|e| e.key).collect();
        k.sort_unstable();
        k
    }

    #[test]
    fn policy_names_round_trip() {
        for name in EVICTION_POLICIES {
            assert_eq!(Eviction::from_name(name).unwrap().name(), *name);
        }
        assert_eq!(Eviction::from_name("LRU"), None);
        assert_eq!(Eviction::from_name("random"), None);
    }

    #[test]
    fn lru_evicts_least_recently_used() {
        let mut c = CacheStore::new(3, Eviction::Lru, 0);
        c.put(1, 10, 0);
        c.put(2, 20, 0);
        c.put(3, 30, 0);
        assert_eq!(c.get(1, 0), Some(10)); // protects key 1
        c.put(4, 40, 0); // evicts 2
        assert_eq!(keys(&c), vec![1, 3, 4]);
        c.put(3, 31, 0); // an overwrite is a use too
        c.put(5, 50, 0); // evicts 1
        assert_eq!(keys(&c), vec![3, 4, 5]);
        assert_eq!(c.peek(3, 0), Some(31));
        assert_eq!(c.evictions, 2);
        check_invariants(&c);
    }

    #[test]
    fn fifo_evicts_oldest_even_if_recently_read() {
        let mut c = CacheStore::new(3, Eviction::Fifo, 0);
        c.put(1, 10, 0);
        c.put(2, 20, 0);
        c.put(3, 30, 0);
        assert_eq!(c.get(1, 0), Some(10));
        c.put(1, 11, 0); // overwrite keeps its place in line
        c.put(4, 40, 0); // still evicts 1
        assert_eq!(keys(&c), vec![2, 3, 4]);
        assert_eq!(c.get(1, 0), None);
        check_invariants(&c);
    }

    #[test]
    fn lfu_keeps_frequently_read_key() {
        let mut c = CacheStore::new(2, Eviction::Lfu, 0);
        c.put(1, 10, 0);
        for _ in 0..5 {
            assert_eq!(c.get(1, 0), Some(10));
        }
        c.put(2, 20, 0);
        c.put(3, 30, 0); // 2 (one use) goes, not 1 (six uses)
        assert_eq!(keys(&c), vec![1, 3]);
        // Ties go to the least recently used: 3 and 4 both have one use.
        c.reconfigure(3, Eviction::Lfu, 0);
        c.put(4, 40, 0);
        c.put(5, 50, 0); // evicts 3 (older than 4)
        assert_eq!(keys(&c), vec![1, 4, 5]);
        check_invariants(&c);
    }

    #[test]
    fn ttl_expires_at_exactly_expiry() {
        let mut c = CacheStore::new(10, Eviction::Lru, 100 * MILLISECOND);
        c.put(7, 1, SECOND);
        let expires = SECOND + 100 * MILLISECOND;
        assert_eq!(c.get(7, expires - 1), Some(1)); // a hit does not renew
        assert_eq!(c.peek(7, expires), None);
        assert_eq!(c.len(), 1); // peek has no side effects
        assert_eq!(c.get(7, expires), None);
        assert_eq!(c.expirations, 1);
        assert!(c.is_empty());
        // A write renews the expiry; an overwrite after expiry re-inserts.
        c.put(8, 1, 0);
        c.put(8, 2, 50 * MILLISECOND);
        assert_eq!(c.get(8, 120 * MILLISECOND), Some(2));
        c.put(8, 3, 150 * MILLISECOND);
        assert_eq!(c.expirations, 2);
        assert_eq!(c.get(8, 249 * MILLISECOND), Some(3));
        // TTL 0 never expires.
        let mut forever = CacheStore::new(1, Eviction::Fifo, 0);
        forever.put(1, 1, 0);
        assert_eq!(forever.get(1, Nanos::MAX), Some(1));
        check_invariants(&c);
    }

    #[test]
    fn put_if_newer_refuses_older_versions() {
        let mut c = CacheStore::new(4, Eviction::Lru, SECOND);
        assert!(c.put_if_newer(1, 5, 0));
        assert!(!c.put_if_newer(1, 4, 0));
        assert!(!c.put_if_newer(1, 5, 0));
        assert_eq!(c.get(1, 0), Some(5));
        assert!(c.put_if_newer(1, 6, 0));
        assert_eq!(c.get(1, 0), Some(6));
        // Once expired, any version fills again.
        assert!(c.put_if_newer(1, 2, 2 * SECOND));
        assert_eq!(c.get(1, 2 * SECOND), Some(2));
        assert_eq!(c.expirations, 1);
        let mut none = CacheStore::new(0, Eviction::Lru, 0);
        assert!(!none.put_if_newer(1, 1, 0));
    }

    #[test]
    fn reconfigure_shrinks_and_switches_policy() {
        let mut c = CacheStore::new(5, Eviction::Fifo, 0);
        for k in 1..=5 {
            c.put(k, u64::from(k), 0);
        }
        c.get(1, 0);
        c.get(2, 0);
        c.get(1, 0);
        // To LRU: recency order is 3, 4, 5, 2, 1.
        c.reconfigure(3, Eviction::Lru, 0);
        assert_eq!(keys(&c), vec![1, 2, 5]);
        assert_eq!(c.evictions, 2);
        check_invariants(&c);
        // To FIFO: insertion order 1, 2, 5.
        c.reconfigure(2, Eviction::Fifo, 0);
        assert_eq!(keys(&c), vec![2, 5]);
        check_invariants(&c);
        // To LFU: 2 has two uses, 5 one.
        c.reconfigure(1, Eviction::Lfu, SECOND);
        assert_eq!(keys(&c), vec![2]);
        check_invariants(&c);
        // Existing entries keep their expiry (never); new ones get the TTL.
        c.reconfigure(2, Eviction::Lfu, SECOND);
        c.put(9, 9, 0);
        assert_eq!(c.get(2, 10 * SECOND), Some(2));
        assert_eq!(c.get(9, 10 * SECOND), None);
        c.reconfigure(0, Eviction::Lru, 0);
        assert!(c.is_empty());
        check_invariants(&c);
    }

    #[test]
    fn capacity_zero_stores_nothing() {
        let mut c = CacheStore::new(0, Eviction::Lru, 0);
        c.put(1, 1, 0);
        assert!(c.is_empty());
        assert_eq!(c.get(1, 0), None);
        assert_eq!(c.evictions, 0);
    }

    #[test]
    fn remove_and_clear() {
        for policy in [Eviction::Lru, Eviction::Lfu, Eviction::Fifo] {
            let mut c = CacheStore::new(3, policy, 0);
            c.put(1, 1, 0);
            c.put(2, 2, 0);
            assert!(c.remove(1));
            assert!(!c.remove(1));
            check_invariants(&c);
            c.put(3, 3, 0);
            c.put(4, 4, 0);
            assert_eq!(c.evictions, 0);
            assert_eq!(c.slots.len(), 3); // slot of 1 reused
            c.clear();
            assert!(c.is_empty());
            c.put(5, 5, 0);
            assert_eq!(c.get(5, 0), Some(5));
            check_invariants(&c);
        }
    }

    /// Drives an LRU of `capacity` with `total` Zipf(alpha, n) keys (get, on
    /// a miss put) and returns the hit rate after `warmup` requests.
    fn simulated_lru_hit_rate(n: usize, alpha: f64, capacity: usize) -> f64 {
        let (total, warmup) = (200_000, 50_000);
        let zipf = Zipf::new(n as f64, alpha).unwrap();
        let mut rng = stream(1, "test");
        let mut c = CacheStore::new(capacity, Eviction::Lru, 0);
        let mut hits = 0u64;
        for i in 0..total {
            let key = zipf.sample(&mut rng) as u32 - 1;
            let hit = c.get(key, 0).is_some();
            if !hit {
                c.put(key, 1, 0);
            }
            if i >= warmup && hit {
                hits += 1;
            }
        }
        check_invariants(&c);
        assert_eq!(c.len(), capacity);
        hits as f64 / (total - warmup) as f64
    }

    #[test]
    fn lru_matches_che_approximation_under_zipf() {
        let probs = zipf_probabilities(10_000, 0.8);
        for capacity in [100, 500, 2000] {
            let simulated = simulated_lru_hit_rate(10_000, 0.8, capacity);
            let che = che_lru_hit_rate(&probs, capacity);
            eprintln!("capacity {capacity}: simulated {simulated:.4}, Che {che:.4}");
            assert!(
                (simulated - che).abs() < 0.02,
                "capacity {capacity}: simulated {simulated}, Che {che}"
            );
        }
    }

    #[test]
    fn che_time_solves_its_equation() {
        let probs = zipf_probabilities(1000, 1.0);
        for capacity in [1, 10, 100, 999] {
            let t = che_characteristic_time(&probs, capacity);
            let filled: f64 = probs.iter().map(|&p| 1.0 - (-p * t).exp()).sum();
            assert!((filled - capacity as f64).abs() < 1e-6 * capacity as f64);
        }
        assert_eq!(che_characteristic_time(&probs, 1000), f64::INFINITY);
        assert_eq!(che_characteristic_time(&probs, 0), 0.0);
        // Uniform: every key has the same chance, so h = C / n.
        let uniform = zipf_probabilities(100, 0.0);
        assert!((che_lru_hit_rate(&uniform, 25) - 0.25).abs() < 1e-9);
        assert_eq!(che_lru_hit_rate(&uniform, 100), 1.0);
        assert_eq!(che_lru_hit_rate(&uniform, 0), 0.0);
    }

    #[test]
    fn che_hit_rate_grows_with_capacity_and_alpha() {
        let mut last = 0.0;
        let probs = zipf_probabilities(10_000, 0.8);
        for capacity in [0, 10, 100, 500, 2000, 5000, 9999, 10_000] {
            let h = che_lru_hit_rate(&probs, capacity);
            assert!(
                h > last || capacity == 0,
                "capacity {capacity}: {h} ≤ {last}"
            );
            last = h;
        }
        let mut last = 0.0;
        for alpha in [0.0, 0.4, 0.8, 1.0, 1.2, 2.0] {
            let h = che_lru_hit_rate(&zipf_probabilities(10_000, alpha), 500);
            assert!(h > last, "alpha {alpha}: {h} ≤ {last}");
            last = h;
        }
    }

    #[test]
    fn zipf_probabilities_are_normalized_and_decreasing() {
        let p = zipf_probabilities(1000, 0.9);
        assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        assert!(p.windows(2).all(|w| w[0] > w[1]));
        assert!((p[0] / p[1] - 2f64.powf(0.9)).abs() < 1e-12);
        assert!(zipf_probabilities(0, 1.0).is_empty());
    }

    #[test]
    fn ttl_cache_matches_renewal_formula() {
        // Poisson requests at 2000/s over Zipf(0.8, 5000) keys, TTL 1 s, a
        // cache big enough never to evict.
        let (n, rate, ttl) = (5000, 2000.0, 1.0);
        let probs = zipf_probabilities(n, 0.8);
        let zipf = Zipf::new(n as f64, 0.8).unwrap();
        let gap = Exp::new(rate).unwrap();
        let mut rng = stream(2, "ttl-test");
        let mut c = CacheStore::new(n, Eviction::Lru, from_secs(ttl));
        let (mut now, mut hits, mut counted) = (0, 0u64, 0u64);
        while now < 120 * SECOND {
            now += from_secs(gap.sample(&mut rng));
            let key = zipf.sample(&mut rng) as u32 - 1;
            let hit = c.get(key, now).is_some();
            if !hit {
                c.put(key, 1, now);
            }
            if now >= 20 * SECOND {
                counted += 1;
                hits += u64::from(hit);
            }
        }
        let simulated = hits as f64 / counted as f64;
        let theory = ttl_hit_rate(&probs, rate, ttl);
        eprintln!("ttl: simulated {simulated:.4}, theory {theory:.4}");
        assert!((simulated - theory).abs() < 0.01, "{simulated} vs {theory}");
        assert_eq!(c.evictions, 0);
        assert!(c.expirations > 0);
        assert_eq!(ttl_hit_rate(&probs, rate, 0.0), 0.0);
        assert!((ttl_hit_rate(&probs, rate, f64::INFINITY) - 1.0).abs() < 1e-12);
    }

    #[test]
    fn same_calls_give_same_state() {
        let run = || {
            let zipf = Zipf::new(1000.0, 1.0).unwrap();
            let mut rng = stream(3, "det");
            let mut c = CacheStore::new(50, Eviction::Lfu, 5 * MILLISECOND);
            for i in 0..20_000u64 {
                let key = zipf.sample(&mut rng) as u32 - 1;
                if c.get(key, i * 10_000).is_none() {
                    c.put(key, i, i * 10_000);
                }
                if i == 10_000 {
                    c.reconfigure(40, Eviction::Lru, 0);
                }
            }
            let mut order = Vec::new();
            let mut s = c.head;
            while s != NIL {
                order.push(c.slots[s].key);
                s = c.slots[s].next;
            }
            (order, c.evictions, c.expirations)
        };
        assert_eq!(run(), run());
    }
}
