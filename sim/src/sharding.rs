//! Which shard holds a record: modulo N, key ranges, or consistent hashing
//! with virtual nodes — and how many records move when shards are added or
//! removed.
//!
//! ```text
//!   modulo:      shard = key mod N                 (N → N+1 moves ≈ N/(N+1))
//!   range:       shard = ⌊key · N / keys⌋           (contiguous ranges)
//!   consistent:  each shard owns `vnodes` points on a 64-bit ring; a key
//!                belongs to the first point at or after hash(key)
//!                                                  (N → N+1 moves ≈ 1/(N+1))
//! ```
//!
//! Everything here is integer arithmetic on stable hashes, so the same
//! shards and keys give the same placement on every platform.

use crate::rng::stable_hash;

/// How records are split between shards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Strategy {
    /// `key mod N`.
    Modulo,
    /// Contiguous key ranges of equal size.
    Range,
    /// A hash ring with virtual nodes.
    Consistent,
}

/// Strategy names as written in design files.
pub const STRATEGIES: &[&str] = &["modulo", "range", "consistent"];

impl Strategy {
    /// Parses a catalog option name.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "modulo" => Some(Strategy::Modulo),
            "range" => Some(Strategy::Range),
            "consistent" => Some(Strategy::Consistent),
            _ => None,
        }
    }
}

/// A 64-bit mix of a record key (SplitMix64's finaliser): spreads
/// neighbouring keys over the whole ring.
pub fn key_hash(key: u32) -> u64 {
    mix64(u64::from(key))
}

/// SplitMix64's finaliser: every input bit affects every output bit.
fn mix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The placement of records on `shards` (named, in order).
#[derive(Debug, Clone)]
pub struct Placement {
    strategy: Strategy,
    shards: usize,
    /// Records in the key space (for ranges).
    keys: u64,
    /// The ring: (point, shard index), sorted by point.
    ring: Vec<(u64, u32)>,
}

impl Placement {
    /// A placement over shards named `names` (the ring hashes the names, so
    /// adding a shard leaves the other shards' points where they were).
    /// `keys` is the size of the key space [records] and `vnodes` the points
    /// per shard on the ring.
    pub fn new(strategy: Strategy, names: &[String], keys: u64, vnodes: u32) -> Self {
        let mut ring = Vec::new();
        if strategy == Strategy::Consistent {
            for (i, name) in names.iter().enumerate() {
                for v in 0..vnodes.max(1) {
                    // FNV alone clusters similar names; mixing spreads them.
                    ring.push((mix64(stable_hash(&format!("{name}#{v}"))), i as u32));
                }
            }
            ring.sort_unstable();
        }
        Placement {
            strategy,
            shards: names.len(),
            keys: keys.max(1),
            ring,
        }
    }

    /// Records in the key space.
    pub fn keys(&self) -> u64 {
        self.keys
    }

    /// How many shards.
    pub fn shards(&self) -> usize {
        self.shards
    }

    /// The first record at or after `near` (wrapping round the key space)
    /// that `shard` holds; `near` itself if none is found. Modulo and range
    /// placement compute it; consistent hashing looks at most
    /// [`KEY_ON_TRIES`] records on (a shard holding less than that share of
    /// the records holds, in effect, none).
    pub fn key_on(&self, shard: usize, near: u32) -> u32 {
        let keys = self.keys.min(u64::from(u32::MAX));
        if shard >= self.shards || u64::from(near) >= keys {
            return near;
        }
        let n = self.shards as u64;
        let found = match self.strategy {
            Strategy::Modulo => {
                let step = (shard as u64 + n - u64::from(near) % n) % n;
                let k = u64::from(near) + step;
                if k < keys {
                    Some(k)
                } else {
                    // Round the key space to the shard's first record.
                    ((shard as u64) < keys).then_some(shard as u64)
                }
            }
            Strategy::Range => {
                if self.shard_of(near) == shard {
                    Some(u64::from(near))
                } else {
                    // The shard's first record: the least k with
                    // k · shards / keys ≥ shard.
                    let first = (shard as u64 * self.keys).div_ceil(n);
                    (first < keys && self.shard_of(first as u32) == shard).then_some(first)
                }
            }
            Strategy::Consistent => (0..keys.min(KEY_ON_TRIES))
                .map(|i| (u64::from(near) + i) % keys)
                .find(|&k| self.shard_of(k as u32) == shard),
        };
        found.map_or(near, |k| k as u32)
    }

    /// The shard (index) holding `key`; 0 if there are no shards.
    pub fn shard_of(&self, key: u32) -> usize {
        if self.shards == 0 {
            return 0;
        }
        match self.strategy {
            Strategy::Modulo => key as usize % self.shards,
            Strategy::Range => {
                ((u64::from(key) * self.shards as u64 / self.keys) as usize).min(self.shards - 1)
            }
            Strategy::Consistent => {
                let h = key_hash(key);
                let i = self.ring.partition_point(|(p, _)| *p < h);
                self.ring[i % self.ring.len()].1 as usize
            }
        }
    }
}

/// Records [`Placement::key_on`] looks at, at most, under consistent
/// hashing.
pub const KEY_ON_TRIES: u64 = 1 << 16;

/// How many of `keys` records change shard when the shards named `before`
/// become `after` (by name: a shard that stays keeps its name).
pub fn keys_moved(
    strategy: Strategy,
    before: &[String],
    after: &[String],
    keys: u64,
    vnodes: u32,
) -> u64 {
    let a = Placement::new(strategy, before, keys, vnodes);
    let b = Placement::new(strategy, after, keys, vnodes);
    (0..keys.min(u64::from(u32::MAX)) as u32)
        .filter(|&k| before.get(a.shard_of(k)) != after.get(b.shard_of(k)))
        .count() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(n: usize) -> Vec<String> {
        (1..=n).map(|i| format!("db-{i}")).collect()
    }

    #[test]
    fn key_on_finds_the_first_record_of_a_shard_at_or_after_a_key() {
        // Against the plain search, on key spaces small enough to search,
        // including ones with fewer records than shards.
        for strategy in [Strategy::Modulo, Strategy::Range, Strategy::Consistent] {
            for (shards, keys) in [(1, 1), (3, 2), (4, 10), (5, 97), (7, 1000)] {
                let p = Placement::new(strategy, &names(shards), keys, 8);
                for shard in 0..shards {
                    for near in 0..keys as u32 {
                        let plain = (0..keys)
                            .map(|i| ((u64::from(near) + i) % keys) as u32)
                            .find(|&k| p.shard_of(k) == shard)
                            .unwrap_or(near);
                        assert_eq!(
                            p.key_on(shard, near),
                            plain,
                            "{strategy:?}, {shards} shards, {keys} keys, shard {shard}, near {near}"
                        );
                    }
                }
            }
        }
        // A huge key space is answered at once: a record of the last range.
        let p = Placement::new(Strategy::Range, &names(4), u64::from(u32::MAX), 8);
        let k = p.key_on(3, 0);
        assert_eq!((p.shard_of(k), p.shard_of(k - 1)), (3, 2));
    }

    #[test]
    fn adding_a_fifth_shard_moves_most_keys_by_modulo_and_a_fifth_by_consistent_hashing() {
        let keys = 100_000;
        let moved = |s| keys_moved(s, &names(4), &names(5), keys, 100) as f64 / keys as f64;
        let modulo = moved(Strategy::Modulo);
        let consistent = moved(Strategy::Consistent);
        let range = moved(Strategy::Range);
        // Modulo keeps a key only if k mod 4 = k mod 5: 4 in 20 residues.
        assert!((modulo - 0.8).abs() < 0.001, "{modulo}");
        // Consistent hashing moves what the new shard takes: about 1/5.
        assert!((consistent - 0.2).abs() < 0.04, "{consistent}");
        // Equal ranges shift: 1/2 of the keys move from 4 to 5 ranges.
        assert!((range - 0.5).abs() < 0.01, "{range}");
    }

    #[test]
    fn consistent_hashing_spreads_keys_evenly_with_enough_virtual_nodes() {
        let keys = 100_000u32;
        let worst = |vnodes| {
            let p = Placement::new(Strategy::Consistent, &names(4), u64::from(keys), vnodes);
            let mut counts = [0u32; 4];
            for k in 0..keys {
                counts[p.shard_of(k)] += 1;
            }
            counts
                .iter()
                .map(|&c| (f64::from(c) / 25_000.0 - 1.0).abs())
                .fold(0.0, f64::max)
        };
        // One point per shard leaves arcs of very different lengths; 200
        // points per shard even them out.
        let (one, many) = (worst(1), worst(200));
        assert!(many < 0.15, "{many}");
        assert!(one > 3.0 * many, "{one} vs {many}");
    }

    #[test]
    fn modulo_and_range_place_as_described() {
        let m = Placement::new(Strategy::Modulo, &names(3), 30, 1);
        assert_eq!((m.shard_of(0), m.shard_of(4), m.shard_of(29)), (0, 1, 2));
        let r = Placement::new(Strategy::Range, &names(3), 30, 1);
        assert_eq!(
            (r.shard_of(0), r.shard_of(9), r.shard_of(10), r.shard_of(29)),
            (0, 0, 1, 2)
        );
    }
}
