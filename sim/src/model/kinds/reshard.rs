//! Resharding while traffic runs: when an edit adds or removes a shard
//! router's shards, the records whose shard changes are copied to their new
//! shard at `migrate_keys_per_s`; until a record has moved, its queries go
//! to where it still is, so reads and writes stay correct throughout.
//!
//! ```text
//!   edit: shards A B C D → A B C D E
//!   moving = records whose owner changes (consistent hashing ≈ 1/5, modulo ≈ 4/5)
//!   every 100 ms: copy the next records (rate × 0.1 s) from the old owner's
//!                 master to every database of the new owner; a record with
//!                 a write on its way waits for the next step
//!   query for record k: not yet moved → old owner, else → new owner
//! ```

use crate::model::{Event, LogEvent, NodeState, Simulation};
use crate::time::{MILLISECOND, Nanos};
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};

/// Time between migration steps [ns].
pub const STEP: Nanos = 100 * MILLISECOND;

/// Records on their way to a new shard.
#[derive(Debug, Clone)]
pub(in crate::model) struct Migration {
    /// Distinguishes this migration's steps from an older one's.
    pub id: u64,
    /// Records to move with their current owner (designed master), by key.
    moving: Vec<(u32, u32)>,
    /// Bit per record: still to move.
    pending: Vec<u64>,
    /// Next position in `moving` to try.
    cursor: usize,
    /// Positions skipped because a write was on its way.
    deferred: Vec<usize>,
    /// Records per second [1/s].
    rate: f64,
    /// Fraction of a record carried to the next step.
    credit: f64,
    pub scheduled: bool,
    pub figures: ReshardFigures,
}

/// A resharding's progress, for the snapshot.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct ReshardFigures {
    /// Records whose shard changes.
    pub moving: u64,
    /// Records copied so far.
    pub moved: u64,
    /// Whether every record has moved.
    pub done: bool,
    /// When it started [s].
    pub started_s: f64,
    /// When it finished [s] (0 while running).
    pub finished_s: f64,
}

impl Migration {
    /// The records whose owner differs between `old` and `new` (owner =
    /// designed master, by node index), over `keys` records.
    pub fn new(
        old: impl Fn(u32) -> u32,
        new: impl Fn(u32) -> u32,
        keys: u64,
        rate: f64,
        now: Nanos,
    ) -> Self {
        let keys = keys.min(u64::from(u32::MAX)) as u32;
        let mut moving = Vec::new();
        let mut pending = vec![0u64; (keys as usize).div_ceil(64)];
        for k in 0..keys {
            let from = old(k);
            if from != new(k) {
                moving.push((k, from));
                pending[k as usize / 64] |= 1 << (k % 64);
            }
        }
        let figures = ReshardFigures {
            moving: moving.len() as u64,
            moved: 0,
            done: moving.is_empty(),
            started_s: crate::time::to_secs(now),
            finished_s: if moving.is_empty() {
                crate::time::to_secs(now)
            } else {
                0.0
            },
        };
        Migration {
            id: 0,
            moving,
            pending,
            cursor: 0,
            deferred: Vec::new(),
            rate,
            credit: 0.0,
            scheduled: false,
            figures,
        }
    }

    /// Where record `key` still is, if it has not moved yet.
    pub fn still_at(&self, key: u32) -> Option<u32> {
        let word = self.pending.get(key as usize / 64)?;
        if word & (1 << (key % 64)) == 0 {
            return None;
        }
        let i = self.moving.binary_search_by_key(&key, |m| m.0).ok()?;
        Some(self.moving[i].1)
    }

    fn mark_moved(&mut self, key: u32) {
        self.pending[key as usize / 64] &= !(1 << (key % 64));
        self.figures.moved += 1;
    }
}

/// A shard router's events.
#[derive(Debug, Clone, Copy)]
pub(in crate::model) enum RouterEvent {
    /// A shard router copies the next records of migration `id`.
    MigrateStep { router: u32, id: u64 },
}

impl Simulation {
    /// Handles one of these events.
    pub(in crate::model) fn on_router_event(&mut self, e: RouterEvent) {
        match e {
            RouterEvent::MigrateStep { router, id } => self.on_migrate_step(router, id),
        }
    }

    /// Schedules the first step of every new migration (after an edit).
    pub(in crate::model) fn start_migrations(&mut self) {
        let now = self.now;
        for i in 0..self.nodes.len() {
            if self.retired[i] {
                continue;
            }
            let NodeState::Router(r) = &mut self.nodes[i] else {
                continue;
            };
            let Some(m) = r.migration.as_mut().filter(|m| !m.scheduled) else {
                continue;
            };
            self.next_call_id += 1;
            m.id = self.next_call_id;
            m.scheduled = true;
            let (id, keys) = (m.id, m.figures.moving);
            if keys > 0 {
                self.events.schedule(
                    now + STEP,
                    Event::Router(RouterEvent::MigrateStep {
                        router: i as u32,
                        id,
                    }),
                );
                self.push_log(i as u32, LogEvent::ReshardStarted { keys });
            }
        }
    }

    /// One migration step at router `router`.
    pub(in crate::model) fn on_migrate_step(&mut self, router: u32, id: u64) {
        let now = self.now;
        let NodeState::Router(r) = &mut self.nodes[router as usize] else {
            return;
        };
        let up = r.up;
        let Some(m) = r
            .migration
            .as_mut()
            .filter(|m| m.id == id && !m.figures.done)
        else {
            return;
        };
        self.events.schedule(
            now + STEP,
            Event::Router(RouterEvent::MigrateStep { router, id }),
        );
        if !up {
            return; // the router drives the copy; it resumes after a restart
        }
        m.credit += m.rate * crate::time::to_secs(STEP);
        let budget = m.credit.floor() as usize;
        m.credit -= budget as f64;
        // Deferred records first, then onwards.
        let mut todo: Vec<usize> = std::mem::take(&mut m.deferred);
        while todo.len() < budget && m.cursor < m.moving.len() {
            todo.push(m.cursor);
            m.cursor += 1;
        }
        // More deferred than the budget: the rest waits for the next step.
        m.deferred = todo.split_off(budget.min(todo.len()));
        let mut blocked = Vec::new();
        let mut copies = Vec::new();
        for i in todo {
            let (key, from) = m.moving[i];
            if r.writes_in_flight.contains_key(&key) {
                blocked.push(i);
            } else {
                copies.push((i, key, from, r.shards[r.placement.shard_of(key)]));
            }
        }
        let mut moved = Vec::new();
        for (i, key, from, to) in copies {
            if self.copy_record(key, from, to) {
                moved.push(key);
            } else {
                blocked.push(i);
            }
        }
        let Some(m) = self.router_migration(router) else {
            return;
        };
        for key in moved {
            m.mark_moved(key);
        }
        m.deferred.extend(blocked);
        if m.cursor >= m.moving.len() && m.deferred.is_empty() {
            m.figures.done = true;
            m.figures.finished_s = crate::time::to_secs(now);
            let keys = m.figures.moved;
            self.push_log(router, LogEvent::ReshardDone { keys });
        }
    }

    fn router_migration(&mut self, router: u32) -> Option<&mut Migration> {
        match &mut self.nodes[router as usize] {
            NodeState::Router(r) => r.migration.as_mut(),
            _ => None,
        }
    }

    /// Copies record `key` from the shard whose designed master is `from`
    /// to every database of the shard whose designed master is `to`;
    /// `false` if the source has no live master to read from.
    fn copy_record(&mut self, key: u32, from: u32, to: u32) -> bool {
        let (Some(src), Some(dst)) = (self.db_group(from), self.db_group(to)) else {
            return true; // nothing to copy from or to: the record just moves
        };
        let master = self.groups[src as usize].master;
        if !self.nodes[master as usize].is_up() {
            return false;
        }
        let version = self.db_version(master, key);
        if version == 0 {
            return true;
        }
        for m in self.groups[dst as usize].members.clone() {
            self.db_store_put(m, key, version);
        }
        true
    }

    /// Counts a write on its way through router `router` for `key`
    /// (`delta` +1 out, −1 back).
    pub(in crate::model) fn track_write(&mut self, router: u32, key: u32, delta: i32) {
        if let NodeState::Router(r) = &mut self.nodes[router as usize] {
            let n = r.writes_in_flight.entry(key).or_insert(0);
            *n = n.saturating_add_signed(delta);
            if *n == 0 {
                r.writes_in_flight.remove(&key);
            }
        }
    }
}

/// Writes on their way through a router, by record.
pub(super) type WritesInFlight = FxHashMap<u32, u32>;
