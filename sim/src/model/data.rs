//! The data tier: records with versions, binlog replication from a master to
//! its replicas, failover, and the ledger that judges every answer against
//! what was acknowledged.
//!
//! ```text
//!   write ─► master: commit (version v of key k) ─► binlog[seq]
//!              │ async: acknowledge now
//!              │ semi-sync: acknowledge when one replica has received seq
//!              │ sync: acknowledge when every replica has applied seq
//!              ▼  (one-way link delay per replica)
//!   replica IO step: received = seq (relay log) ─► SQL step: applies one
//!   event per 1/apply_rate s ─► replica store: k = v
//! ```
//!
//! The [`Oracle`] numbers versions per key and remembers which were
//! acknowledged; a read is judged against it at the moment a store answers.

use crate::cache::CacheStore;
use crate::rng::{SimRng, below, mul_wide};
use crate::time::Nanos;
use rand_core::Rng;
use rand_distr::{Distribution, Zipf};
use rustc_hash::FxHashMap;
use std::cell::RefCell;
use std::collections::VecDeque;
use std::sync::{Arc, Weak};

/// How a Users node picks records.
#[derive(Debug, Clone)]
pub(super) enum KeySampler {
    /// Zipf over ranks 1..=n (rank 1 most popular), drawn from a table:
    /// for data sets of up to [`ZIPF_TABLE_MAX`] records.
    ZipfTable(SharedTable),
    /// Zipf over ranks 1..=n by rejection-inversion (`rand_distr`), for
    /// larger data sets.
    Zipf(Zipf<f64>),
    /// Every record equally likely.
    Uniform(u64),
    /// The first `hot` records get `p_hot` of the traffic.
    HotSet { n: u64, hot: u64, p_hot: f64 },
}

/// How users pick the record a request is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyDist {
    /// Popularity falls as a power of rank (Zipf).
    Zipf,
    /// Every record equally likely.
    Uniform,
    /// A hot set of records gets a fixed share of the traffic.
    HotSet,
}

impl KeySampler {
    /// Builds a sampler from a validated Users node's parameters.
    pub fn new(dist: KeyDist, keys: u64, alpha: f64, hot_pct: f64, hot_traffic_pct: f64) -> Self {
        let n = keys.max(1);
        match dist {
            KeyDist::Zipf if alpha > 0.0 && alpha.is_finite() && n <= ZIPF_TABLE_MAX => {
                KeySampler::ZipfTable(zipf_table(n as u32, alpha))
            }
            KeyDist::Zipf if alpha > 0.0 => match Zipf::new(n as f64, alpha) {
                Ok(z) => KeySampler::Zipf(z),
                Err(_) => KeySampler::Uniform(n),
            },
            KeyDist::HotSet => {
                let hot = ((n as f64 * hot_pct / 100.0).ceil() as u64).clamp(1, n);
                KeySampler::HotSet {
                    n,
                    hot,
                    p_hot: hot_traffic_pct / 100.0,
                }
            }
            KeyDist::Zipf | KeyDist::Uniform => KeySampler::Uniform(n),
        }
    }

    /// Draws a record: 0 is `user:1`, the most popular.
    #[cfg(test)]
    pub fn sample(&self, rng: &mut SimRng) -> u32 {
        self.look_up(self.draw(rng))
    }

    /// Draws the record a request is for. From a table, only the random
    /// bits are drawn now; [`KeySampler::look_up`] reads the table when
    /// something needs the record (a static file that no CDN or cache
    /// sees needs it only to be shown). The draws from `rng` are the same
    /// either way, and so is the record.
    pub fn draw(&self, rng: &mut SimRng) -> Record {
        match self {
            KeySampler::ZipfTable(_) => Record::Drawn(rng.next_u64()),
            KeySampler::Zipf(z) => Record::Key(clamp_key((z.sample(rng) as u64).saturating_sub(1))),
            KeySampler::Uniform(n) => Record::Key(clamp_key(below(rng, *n))),
            KeySampler::HotSet { n, hot, p_hot } => {
                let roll = rng.next_u64() as f64 / u64::MAX as f64;
                Record::Key(clamp_key(if roll < *p_hot || hot == n {
                    below(rng, *hot)
                } else {
                    hot + below(rng, n - hot)
                }))
            }
        }
    }

    /// The record a draw of [`KeySampler::draw`] names. Only a table's
    /// draws wait to be looked up, and a Users node's table stays while
    /// they wait: an edit looks up every waiting draw first
    /// ([`super::Simulation::patch`]), so no other sampler meets one.
    pub fn look_up(&self, record: Record) -> u32 {
        let bits = match record {
            Record::Key(k) => return k,
            Record::Drawn(bits) => bits,
        };
        match self {
            KeySampler::ZipfTable(SharedTable(slots)) => {
                // One draw picks a slot (its high 64 bits times n) and,
                // from the fraction left over, whether to keep the slot's
                // rank or take its alias.
                let (high, low) = mul_wide(bits, slots.len() as u64);
                let rank = high as usize;
                let slot = slots[rank];
                let coin = (low >> 32) as u32;
                if coin < slot.keep {
                    rank as u32
                } else {
                    slot.alias
                }
            }
            KeySampler::Zipf(_) | KeySampler::Uniform(_) | KeySampler::HotSet { .. } => {
                debug_assert!(false, "a table's draw met a sampler without a table");
                0
            }
        }
    }
}

/// A record number as a key (records past 2³² − 1 share the last key).
fn clamp_key(k: u64) -> u32 {
    k.min(u64::from(u32::MAX)) as u32
}

/// The record a request is for: its key, or a draw from its Users node's
/// popularity table not looked up yet ([`KeySampler::look_up`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Record {
    /// Record `k` (0 is `user:1`).
    Key(u32),
    /// 64 random bits that pick a slot of the table and its coin.
    Drawn(u64),
}

/// The largest data set whose Zipf popularity is drawn from a table [records]:
/// 8 bytes a record (2 MiB at most), built once per (records, α) and shared
/// by every Users node and simulation that uses it.
pub(super) const ZIPF_TABLE_MAX: u64 = 1 << 18;

/// One slot of an alias table (Walker's alias method): a draw that lands on
/// slot i keeps rank i + 1 with chance `keep` / 2³², and takes rank
/// `alias` + 1 otherwise.
#[derive(Debug, Clone, Copy)]
pub(super) struct AliasSlot {
    keep: u32,
    alias: u32,
}

/// The alias table of Zipf(α) over ranks 1..=n (slot i is rank i + 1):
/// each rank's weight k^−α by `libm` (the same bits natively and in wasm),
/// laid out by Vose's method. A rank's chance is exact but for the
/// rounding of each slot's `keep` down to 1/2³² of a slot: 1/(n·2³²) of
/// the total per slot, 2⁻³² in all. The table is shared while anyone
/// holds it: an edit rebuilds every node, and finds it here.
fn zipf_table(n: u32, alpha: f64) -> SharedTable {
    let key = (n, alpha.to_bits());
    TABLES.with(|tables| {
        let mut tables = tables.borrow_mut();
        tables.retain(|(_, t)| t.strong_count() > 0);
        if let Some(t) = tables
            .iter()
            .find(|(k, _)| *k == key)
            .and_then(|(_, t)| t.upgrade())
        {
            return SharedTable(t);
        }
        let t: Arc<[AliasSlot]> = build_alias(n, alpha).into();
        tables.push((key, Arc::downgrade(&t)));
        SharedTable(t)
    })
}

/// Alias tables by (records, α's bits), while someone holds them.
type Tables = Vec<((u32, u64), Weak<[AliasSlot]>)>;

thread_local! {
    static TABLES: RefCell<Tables> = const { RefCell::new(Vec::new()) };
}

/// An alias table, shared by every sampler drawing from it. The last one
/// to let go takes it out of [`TABLES`], so that its memory goes too (a
/// `Weak` left there would keep the allocation).
#[derive(Debug, Clone)]
pub(super) struct SharedTable(Arc<[AliasSlot]>);

impl Drop for SharedTable {
    fn drop(&mut self) {
        if Arc::strong_count(&self.0) == 1 {
            let mine = Arc::as_ptr(&self.0);
            // (Not at all while the thread's storage is being torn down.)
            let _ = TABLES.try_with(|tables| {
                if let Ok(mut tables) = tables.try_borrow_mut() {
                    tables.retain(|(_, t)| !std::ptr::addr_eq(t.as_ptr(), mine));
                }
            });
        }
    }
}

fn build_alias(n: u32, alpha: f64) -> Vec<AliasSlot> {
    let weights: Vec<f64> = (1..=n).map(|k| libm::pow(f64::from(k), -alpha)).collect();
    let total: f64 = weights.iter().sum();
    // Each slot holds 1 on average: a rank's share times n.
    let mut share: Vec<f64> = weights.iter().map(|w| w * f64::from(n) / total).collect();
    let mut slots: Vec<AliasSlot> = (0..n)
        .map(|i| AliasSlot {
            keep: u32::MAX,
            alias: i,
        })
        .collect();
    let (mut small, mut large): (Vec<u32>, Vec<u32>) =
        (0..n).partition(|&i| share[i as usize] < 1.0);
    while let (Some(&s), Some(&l)) = (small.last(), large.last()) {
        small.pop();
        // Slot s keeps its own rank for its share and gives the rest of
        // the slot to l, whose share shrinks by as much.
        let kept = share[s as usize];
        slots[s as usize].keep = (kept * 4_294_967_296.0) as u32;
        slots[s as usize].alias = l;
        share[l as usize] = (share[l as usize] + kept) - 1.0;
        if share[l as usize] < 1.0 {
            large.pop();
            small.push(l);
        }
    }
    // What is left holds a whole slot (up to rounding): it keeps its rank.
    slots
}

/// The name of record `key` as the app shows it.
pub fn key_name(key: u32) -> String {
    format!("user:{}", u64::from(key) + 1)
}

/// Acknowledged versions of one record.
#[derive(Debug, Clone, Default)]
pub(super) struct KeyTruth {
    /// Highest version ever assigned (acknowledged or not).
    issued: u64,
    /// Highest acknowledged version.
    acked: u64,
    /// The latest acknowledgements (version, time [ns]), oldest first.
    history: VecDeque<(u64, Nanos)>,
    /// Whether the highest acknowledged version was lost in a failover.
    lost: bool,
}

/// Most acknowledgements remembered per record, for "how stale".
const HISTORY: usize = 4;

/// How a read compares with what was acknowledged.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Freshness {
    /// At least as new as the newest acknowledged write.
    Fresh,
    /// Older: the first newer acknowledged write was this long ago [ns].
    Stale(Nanos),
    /// Older, and the newest acknowledged write was lost in a failover: the
    /// answer comes from data that no longer matches what users were told.
    Lost,
}

/// What clients were told: the yardstick for every read and write.
#[derive(Debug, Default)]
pub(super) struct Oracle {
    keys: FxHashMap<u32, KeyTruth>,
}

impl Oracle {
    /// A new version number for a write to `key`; never reused, even when a
    /// failover loses the write that had it.
    pub fn issue(&mut self, key: u32) -> u64 {
        let t = self.keys.entry(key).or_default();
        t.issued += 1;
        t.issued
    }

    /// The master acknowledged `version` of `key` at `now`.
    pub fn ack(&mut self, key: u32, version: u64, now: Nanos) {
        let t = self.keys.entry(key).or_default();
        if version > t.acked {
            t.acked = version;
            t.lost = false;
            if t.history.len() == HISTORY {
                t.history.pop_front();
            }
            t.history.push_back((version, now));
        }
    }

    /// `version` of `key`, acknowledged earlier, did not survive a failover.
    pub fn mark_lost(&mut self, key: u32, version: u64) {
        if let Some(t) = self.keys.get_mut(&key)
            && t.acked == version
        {
            t.lost = true;
        }
    }

    /// The newest acknowledged version of `key` (0 = none).
    pub fn acked(&self, key: u32) -> u64 {
        self.keys.get(&key).map_or(0, |t| t.acked)
    }

    /// Judges a read of `key` that returned `version` at `now`.
    pub fn judge(&self, key: u32, version: u64, now: Nanos) -> Freshness {
        let Some(t) = self.keys.get(&key) else {
            return Freshness::Fresh;
        };
        if version >= t.acked {
            return Freshness::Fresh;
        }
        if t.lost {
            return Freshness::Lost;
        }
        // The first acknowledged version newer than the one read; if the
        // history no longer reaches back that far, its oldest entry (a lower
        // bound on the staleness).
        let since = t
            .history
            .iter()
            .find(|(v, _)| *v > version)
            .or(t.history.front())
            .map_or(now, |(_, at)| *at);
        Freshness::Stale(now.saturating_sub(since))
    }
}

/// When a master acknowledges a write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReplicationMode {
    /// After its own binlog write.
    Async,
    /// After one replica received the event (or the timeout, then async).
    SemiSync,
    /// After every live replica applied the event.
    Sync,
}

impl ReplicationMode {
    pub fn from_name(name: &str) -> Self {
        match name {
            "semi_sync" => ReplicationMode::SemiSync,
            "sync" => ReplicationMode::Sync,
            _ => ReplicationMode::Async,
        }
    }
}

/// One committed write in the binlog.
#[derive(Debug, Clone, Copy)]
pub(super) struct Entry {
    pub key: u32,
    pub version: u64,
    /// Commit time [ns].
    pub at: Nanos,
    /// Whether the client was told it succeeded.
    pub acked: bool,
}

/// A committed write waiting for replicas before it is acknowledged; it
/// holds a connection but no vCPU.
#[derive(Debug, Clone, Copy)]
pub(super) struct Pending {
    pub seq: u64,
    pub req: u32,
}

/// A master and its replicas, sharing one binlog numbering (like MySQL's
/// GTIDs): position `seq` means the same write on every member.
#[derive(Debug)]
pub(super) struct Group {
    /// Node index of the current master.
    pub master: u32,
    /// Node index of the master as designed: its parameters are the group's.
    pub origin: u32,
    /// Every database in the group (the master too), in design order.
    pub members: Vec<u32>,
    pub mode: ReplicationMode,
    pub semi_timeout: Nanos,
    pub auto_failover: bool,
    pub detect: Nanos,
    /// Reads of a user who wrote within this window go to the master [ns].
    pub read_your_writes: Nanos,
    /// Incremented at every promotion; stale replication messages carry an
    /// older term and are ignored.
    pub term: u32,
    /// Binlog entries `base + 1 ..= head`.
    pub log: VecDeque<Entry>,
    pub base: u64,
    pub head: u64,
    /// Whether semi-sync waits for replicas (off after a timeout until a
    /// replica catches up).
    pub semi_active: bool,
    /// The last write that was waiting when semi-sync fell back: a replica
    /// that confirms it has caught up (as MySQL decides).
    pub fallback_seq: u64,
    /// Writes waiting for replica acknowledgements, in binlog order.
    pub pending: VecDeque<Pending>,
    /// Whether the master accepts writes (a promoted replica first applies
    /// what it had received).
    pub ready: bool,
    /// Acknowledged writes lost in failovers.
    pub lost: u64,
}

impl Group {
    /// The binlog entry at `seq`, if still kept.
    pub fn entry(&self, seq: u64) -> Option<&Entry> {
        if seq <= self.base {
            return None;
        }
        self.log.get((seq - self.base - 1) as usize)
    }

    /// Appends a committed write and returns its position.
    pub fn append(&mut self, e: Entry) -> u64 {
        self.log.push_back(e);
        self.head += 1;
        self.head
    }

    /// Drops entries every member has applied (`upto` = the lowest applied
    /// position among members that still need the log).
    pub fn trim(&mut self, upto: u64) {
        while self.base < upto && !self.log.is_empty() {
            self.log.pop_front();
            self.base += 1;
        }
    }
}

/// A database node's replication state.
#[derive(Debug)]
pub(super) struct DbNode {
    pub group: u32,
    /// Binlog position received into the relay log.
    pub received: u64,
    /// Binlog position applied to `store`.
    pub applied: u64,
    /// Whether the SQL step is applying an event now.
    pub applying: bool,
    /// Time to apply one event [ns].
    pub apply_time: Nanos,
    /// One-way delay of the replication link from the master [ns].
    pub link: Nanos,
    /// Record → version held.
    pub store: FxHashMap<u32, u64>,
    /// The group term this node's data belongs to.
    pub term: u32,
    /// The master's view of what this replica confirmed.
    pub acked_received: u64,
    pub acked_applied: u64,
    /// Whether the master still counts this replica (sync mode waits for
    /// every counted replica; a dead one is dropped after the detection
    /// delay).
    pub counted: bool,
}

impl DbNode {
    pub fn new(group: u32, apply_time: Nanos, link: Nanos) -> Self {
        DbNode {
            group,
            received: 0,
            applied: 0,
            applying: false,
            apply_time,
            link,
            store: FxHashMap::default(),
            term: 0,
            acked_received: 0,
            acked_applied: 0,
            counted: true,
        }
    }

    /// The version of `key` this node holds (0 = never written).
    pub fn version(&self, key: u32) -> u64 {
        self.store.get(&key).copied().unwrap_or(0)
    }
}

/// What a cache does after a database write.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WritePolicy {
    /// Delete the cached copy.
    Invalidate,
    /// Store the new version.
    WriteThrough,
    /// Nothing: the cached copy stays until it expires or is evicted.
    Nothing,
}

impl WritePolicy {
    pub fn from_name(name: &str) -> Self {
        match name {
            "write_through" => WritePolicy::WriteThrough,
            "none" => WritePolicy::Nothing,
            _ => WritePolicy::Invalidate,
        }
    }
}

/// What a request asks of a cache.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum CacheOp {
    /// Look the record up.
    Get,
    /// Store the version read from the database after a miss.
    Fill,
    /// Delete the record (after a write).
    Delete,
    /// Store the version just written.
    Set,
}

/// A cache node's data: the store, and the fills it is waiting for.
#[derive(Debug)]
pub(super) struct CacheNode {
    pub store: CacheStore,
    pub write_policy: WritePolicy,
    pub coalesce: bool,
    /// How long a miss's fill is awaited [ns].
    pub lease: Nanos,
    /// Records with a fill outstanding → the lease's number. A delete
    /// cancels the lease, so a fill racing a write cannot store old data.
    pub leases: FxHashMap<u32, u64>,
    pub next_lease: u64,
    /// Readers parked until a record's fill arrives (with coalescing).
    pub waiting: FxHashMap<u32, Vec<u32>>,
    /// Lookups answered from the cache (including coalesced ones).
    pub hits: u64,
    /// Lookups that went on to the database.
    pub misses: u64,
    /// Lookups that waited for another reader's fill.
    pub coalesced: u64,
    /// Misses on a record whose fill was already on its way: the
    /// stampede.
    pub duplicate_misses: u64,
}

impl CacheNode {
    pub fn new(store: CacheStore, write_policy: WritePolicy, coalesce: bool, lease: Nanos) -> Self {
        CacheNode {
            store,
            write_policy,
            coalesce,
            lease,
            leases: FxHashMap::default(),
            next_lease: 0,
            waiting: FxHashMap::default(),
            hits: 0,
            misses: 0,
            coalesced: 0,
            duplicate_misses: 0,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rng::stream;

    #[test]
    fn zipf_puts_rank_one_first_and_hot_set_concentrates() {
        let mut rng = stream(3, "keys");
        let z = KeySampler::new(KeyDist::Zipf, 1000, 1.0, 0.0, 0.0);
        let mut counts = [0u32; 3];
        for _ in 0..100_000 {
            let k = z.sample(&mut rng);
            assert!(k < 1000);
            if k < 3 {
                counts[k as usize] += 1;
            }
        }
        // p1 : p2 : p3 = 1 : 1/2 : 1/3 under α = 1.
        assert!(counts[0] > counts[1] && counts[1] > counts[2]);
        let ratio = f64::from(counts[0]) / f64::from(counts[1]);
        assert!((ratio - 2.0).abs() < 0.15, "{ratio}");

        let h = KeySampler::new(KeyDist::HotSet, 1000, 0.0, 1.0, 90.0);
        let hot = (0..100_000).filter(|_| h.sample(&mut rng) < 10).count();
        assert!((hot as f64 / 100_000.0 - 0.90).abs() < 0.01);
    }

    /// Each rank's chance in an alias table: its own slot's keep, plus
    /// what every slot aliasing to it gives away.
    fn table_chances(slots: &[AliasSlot]) -> Vec<f64> {
        let n = slots.len() as f64;
        let mut p = vec![0.0; slots.len()];
        for (i, s) in slots.iter().enumerate() {
            let keep = f64::from(s.keep) / 4_294_967_296.0;
            p[i] += keep / n;
            p[s.alias as usize] += (1.0 - keep) / n;
        }
        p
    }

    #[test]
    fn the_zipf_table_gives_each_record_its_zipf_share() {
        for (n, alpha) in [
            (1, 0.9),
            (2, 1.0),
            (7, 1.2),
            (1000, 0.9),
            (100_000, 0.9),
            (50_000, 2.5),
        ] {
            let slots = build_alias(n, alpha);
            let h: f64 = (1..=n).map(|k| f64::from(k).powf(-alpha)).sum();
            let mut givers = vec![1.0; slots.len()];
            for s in &slots {
                givers[s.alias as usize] += 1.0;
            }
            for (i, p) in table_chances(&slots).iter().enumerate() {
                let want = ((i + 1) as f64).powf(-alpha) / h;
                // Each slot's keep is rounded to 1/2³² of a slot: a rank
                // is off by at most that for its own slot and each slot
                // that gives to it.
                let tolerance = givers[i] / (f64::from(n) * 4_294_967_296.0) + want * 1e-12;
                assert!(
                    (p - want).abs() <= tolerance,
                    "n {n} α {alpha} rank {}: {p} vs {want} (± {tolerance})",
                    i + 1
                );
            }
        }
        // Drawn, rank 1 of 100,000 under α = 0.9 comes up as often as Zipf says
        // (within 4 standard deviations), and so does the top 1 %.
        let z = KeySampler::new(KeyDist::Zipf, 100_000, 0.9, 0.0, 0.0);
        assert!(matches!(z, KeySampler::ZipfTable(_)));
        let h: f64 = (1..=100_000).map(|k| f64::from(k).powf(-0.9)).sum();
        let top: f64 = (1..=1000).map(|k| f64::from(k).powf(-0.9)).sum::<f64>() / h;
        let mut rng = stream(11, "keys");
        let draws = 200_000;
        let (mut first, mut hot) = (0u32, 0u32);
        for _ in 0..draws {
            let k = z.sample(&mut rng);
            assert!(k < 100_000);
            first += u32::from(k == 0);
            hot += u32::from(k < 1000);
        }
        for (seen, p) in [(first, 1.0 / h), (hot, top)] {
            let sd = (f64::from(draws) * p * (1.0 - p)).sqrt();
            assert!(
                (f64::from(seen) - f64::from(draws) * p).abs() < 4.0 * sd,
                "{seen} vs {}",
                f64::from(draws) * p
            );
        }
    }

    #[test]
    fn a_zipf_table_is_built_once_for_everyone_who_uses_it_and_freed_after() {
        let a = KeySampler::new(KeyDist::Zipf, 5000, 0.8, 0.0, 0.0);
        let b = KeySampler::new(KeyDist::Zipf, 5000, 0.8, 0.0, 0.0);
        let c = KeySampler::new(KeyDist::Zipf, 5000, 0.9, 0.0, 0.0);
        let (KeySampler::ZipfTable(a), KeySampler::ZipfTable(b), KeySampler::ZipfTable(c)) =
            (a, b, c)
        else {
            panic!("5000 records are drawn from a table");
        };
        assert!(Arc::ptr_eq(&a.0, &b.0));
        assert!(!Arc::ptr_eq(&a.0, &c.0));
        let cached = |alpha: f64| {
            TABLES.with(|t| {
                t.borrow()
                    .iter()
                    .filter(|(k, _)| *k == (5000, alpha.to_bits()))
                    .count()
            })
        };
        let weak = Arc::downgrade(&a.0);
        drop(a);
        assert_eq!(cached(0.8), 1, "still used by b");
        drop(b);
        assert_eq!(weak.strong_count(), 0, "nobody keeps a table no node uses");
        assert_eq!(cached(0.8), 0);
        assert_eq!(cached(0.9), 1);
        drop(c);
        assert_eq!(cached(0.9), 0);
        // More records than a table holds are drawn by rejection-inversion.
        let big = KeySampler::new(KeyDist::Zipf, ZIPF_TABLE_MAX + 1, 0.8, 0.0, 0.0);
        assert!(matches!(big, KeySampler::Zipf(_)));
    }

    #[test]
    fn oracle_judges_stale_and_lost_reads() {
        let mut o = Oracle::default();
        let v1 = o.issue(7);
        o.ack(7, v1, 100);
        let v2 = o.issue(7);
        o.ack(7, v2, 250);
        assert_eq!(o.judge(7, v2, 300), Freshness::Fresh);
        assert_eq!(o.judge(7, v1, 300), Freshness::Stale(50));
        assert_eq!(o.judge(7, 0, 300), Freshness::Stale(200));
        assert_eq!(o.judge(8, 0, 300), Freshness::Fresh);
        o.mark_lost(7, v2);
        assert_eq!(o.judge(7, v1, 400), Freshness::Lost);
        // A new write is never given the lost version's number.
        let v3 = o.issue(7);
        assert_eq!(v3, 3);
        o.ack(7, v3, 500);
        assert_eq!(o.judge(7, v3, 600), Freshness::Fresh);
    }
}
