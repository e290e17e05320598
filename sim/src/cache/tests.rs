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
