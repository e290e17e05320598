//! Replication, failover and the routing of reads and writes: the
//! simulation's half of the data tier (the data structures are in `data`).

use super::data::{Group, Pending, ReplicationMode};
use super::kinds::NodeState;
use super::log::LogEvent;
use super::{ErrorCause, Event, LOST_KEYS_KEPT, Simulation};
use crate::design::Design;
use crate::time::Nanos;
use std::collections::VecDeque;

/// Most binlog entries a group keeps for replicas that are far behind; a
/// replica that falls off the end re-clones from the master when it
/// returns (MySQL: the binlog it needs was purged).
const BINLOG_CAPACITY: usize = 1_000_000;

/// Replication's events: binlog shipping, applying, acknowledgements, failure detection.
#[derive(Debug, Clone, Copy)]
pub(in crate::model) enum ReplicationEvent {
    /// Binlog events up to `upto` reach replica `db`'s IO step, unless
    /// the master crashed since it sent them (`epoch`: the master's).
    Binlog {
        db: u32,
        upto: u64,
        term: u32,
        epoch: u32,
    },
    /// Replica `db`'s SQL step applied one event.
    Applied { db: u32, epoch: u32 },
    /// Replica `db`'s confirmation reaches its master.
    ReplAck {
        db: u32,
        received: u64,
        applied: u64,
        term: u32,
    },
    /// A semi-sync write waited the timeout.
    SemiSyncTimeout { group: u32, seq: u64, term: u32 },
    /// The detection delay after a master crash ran out.
    MasterCheck { group: u32, term: u32 },
    /// The detection delay after a replica crash ran out.
    ReplicaCheck { db: u32, epoch: u32 },
}

impl Simulation {
    /// Handles one of these events.
    pub(in crate::model) fn on_replication_event(&mut self, e: ReplicationEvent) {
        match e {
            ReplicationEvent::Binlog {
                db,
                upto,
                term,
                epoch,
            } => self.on_binlog(db, upto, term, epoch),
            ReplicationEvent::Applied { db, epoch } => self.on_applied(db, epoch),
            ReplicationEvent::ReplAck {
                db,
                received,
                applied,
                term,
            } => self.on_repl_ack(db, received, applied, term),
            ReplicationEvent::SemiSyncTimeout { group, seq, term } => {
                self.on_semi_sync_timeout(group, seq, term)
            }
            ReplicationEvent::MasterCheck { group, term } => self.on_master_check(group, term),
            ReplicationEvent::ReplicaCheck { db, epoch } => self.on_replica_check(db, epoch),
        }
    }

    /// Builds one replication group per master of the design.
    pub(super) fn build_groups(&mut self, design: &Design) {
        for (master_id, replica_ids) in self.group_layout.clone() {
            let index = |id: &str| self.ids.iter().position(|x| x == id).expect("laid out") as u32;
            let master = index(&master_id);
            let mut members = vec![master];
            members.extend(replica_ids.iter().map(|id| index(id)));
            self.add_group(members, design, &master_id);
        }
    }

    /// Starts a replication group of `members` (the master first).
    pub(super) fn add_group(&mut self, members: Vec<u32>, design: &Design, master_id: &str) {
        let master = members[0];
        {
            let g = self.groups.len() as u32;
            for &m in &members {
                if let Some(d) = self.db_mut(m) {
                    d.group = g;
                }
            }
            let mut group = Group {
                master,
                origin: master,
                members,
                mode: ReplicationMode::Async,
                semi_timeout: 0,
                auto_failover: true,
                detect: 0,
                read_your_writes: 0,
                term: 0,
                log: VecDeque::new(),
                base: 0,
                head: 0,
                semi_active: true,
                fallback_seq: 0,
                pending: VecDeque::new(),
                ready: true,
                lost: 0,
            };
            configure(&mut group, design, master_id);
            self.groups.push(group);
        }
    }

    /// Takes each group's parameters from an edited design whose layout of
    /// masters and replicas is unchanged.
    pub(super) fn configure_groups(&mut self, design: &Design) {
        for g in 0..self.groups.len() {
            let id = self.ids[self.groups[g].origin as usize].clone();
            configure(&mut self.groups[g], design, &id);
        }
    }

    /// Re-forms replication after an edit changed roles or the connections
    /// between databases, as an operator reconfiguring a running cluster
    /// would: groups the edit leaves alone carry on untouched; the others
    /// are dissolved (writes waiting for their replicas are acknowledged, as
    /// when semi-sync gives up) and `layout`'s new groups (master id,
    /// members with the master first) start: each master keeps its data,
    /// each replica copies its new master's data. An acknowledged write no
    /// master holds any more is lost, and counted so.
    pub(super) fn relayout(&mut self, design: &Design, layout: Vec<(String, Vec<u32>)>) {
        let live = |g: &Group| !g.members.is_empty();
        let same = |g: &Group, members: &[u32]| g.members == members;
        let term = self.groups.iter().map(|g| g.term).max().unwrap_or(0) + 1;
        // Dissolve the groups that change, keeping the acknowledged writes
        // of their binlogs (older ones every member had applied).
        let mut dissolved = Vec::new();
        let mut written: Vec<(u32, u64)> = Vec::new();
        for g in 0..self.groups.len() {
            let group = &self.groups[g];
            // A group whose databases were all removed drains as it is.
            let removed = group.members.iter().all(|&m| self.retired[m as usize]);
            if !live(group) || removed || layout.iter().any(|(_, m)| same(group, m)) {
                continue;
            }
            let waiting: Vec<Pending> = self.groups[g].pending.drain(..).collect();
            for p in waiting {
                self.acknowledge(g as u32, p.seq, p.req, true);
            }
            let group = &mut self.groups[g];
            written.extend(
                group
                    .log
                    .iter()
                    .filter(|e| e.acked)
                    .map(|e| (e.key, e.version)),
            );
            dissolved.push((group.master, std::mem::take(&mut group.members)));
            // Replication messages in flight carry an older term: ignored.
            group.term = term;
        }
        // Start the new ones.
        let mut new_masters = Vec::new();
        for (master_id, members) in layout {
            if self.groups.iter().any(|g| same(g, &members)) {
                continue;
            }
            let master = members[0];
            new_masters.push(master);
            let was_master_of = dissolved
                .iter()
                .find(|(_, m)| m.contains(&master))
                .map(|(old, _)| *old);
            self.add_group(members.clone(), design, &master_id);
            let g = self.groups.len() - 1;
            self.groups[g].term = term;
            if let Some(d) = self.db_mut(master) {
                d.received = 0;
                d.applied = 0;
                d.term = term;
                d.acked_received = 0;
                d.acked_applied = 0;
                d.counted = true;
            }
            if let Some(old) = was_master_of.filter(|&old| old != master) {
                self.push_log(master, LogEvent::Promoted { old_master: old });
            }
            for &m in &members[1..] {
                let applying = self.db(m).is_some_and(|d| d.applying);
                self.reclone(m);
                if let Some(d) = self.db_mut(m) {
                    // An apply already scheduled runs on in the new log.
                    d.applying = applying;
                }
                self.push_log(m, LogEvent::Rejoined { master });
            }
        }
        // Writes acknowledged to users that no master holds now.
        let masters: Vec<u32> = self
            .groups
            .iter()
            .filter(|g| live(g))
            .map(|g| g.master)
            .collect();
        written.retain(|&(key, version)| {
            !masters
                .iter()
                .filter_map(|&m| self.db(m))
                .any(|d| d.store.get(&key).is_some_and(|&v| v >= version))
        });
        let lost = self.lose_writes(&written);
        if lost > 0
            && let Some(&m) = new_masters.first()
        {
            self.push_log(m, LogEvent::WritesLost { count: lost });
        }
    }

    /// Enters acknowledged writes (key, version) that no master holds any
    /// more in the lost-write ledger; returns how many.
    fn lose_writes(&mut self, writes: &[(u32, u64)]) -> u64 {
        for &(key, version) in writes {
            self.oracle.mark_lost(key, version);
            if self.lost_keys.len() == LOST_KEYS_KEPT {
                self.lost_keys.pop_front();
            }
            self.lost_keys.push_back(key);
        }
        let count = writes.len() as u64;
        self.stats.data.lost_writes += count;
        self.window.incorrect += count;
        count
    }

    // ----- routing --------------------------------------------------------

    // ----- reads and writes at a database ---------------------------------

    pub(super) fn replicas_counted(&self, g: u32) -> usize {
        let group = &self.groups[g as usize];
        group
            .members
            .iter()
            .filter(|&&m| {
                m != group.master
                    && self
                        .db(m)
                        .is_some_and(|d| d.counted && d.term == group.term)
            })
            .count()
    }

    /// Tells the client the write at `seq` succeeded; `parked` if the
    /// write already gave its vCPU back while it waited.
    pub(super) fn acknowledge(&mut self, g: u32, seq: u64, req: u32, parked: bool) {
        let now = self.now;
        let group = &mut self.groups[g as usize];
        let master = group.master;
        if let Some(i) = seq.checked_sub(group.base + 1)
            && let Some(e) = group.log.get_mut(i as usize)
        {
            e.acked = true;
            let (key, version) = (e.key, e.version);
            self.oracle.ack(key, version, now);
        }
        if parked {
            self.reply_parked(req, master);
        } else {
            self.call_next_or_reply(req, master);
        }
    }

    /// Acknowledges waiting writes whose condition now holds, in order.
    pub(super) fn check_pending(&mut self, g: u32) {
        while let Some(&Pending { seq, req }) = self.groups[g as usize].pending.front() {
            if !self.satisfied(g, seq) {
                return;
            }
            self.groups[g as usize].pending.pop_front();
            self.acknowledge(g, seq, req, true);
        }
    }

    pub(super) fn satisfied(&self, g: u32, seq: u64) -> bool {
        let group = &self.groups[g as usize];
        let mut replicas = group
            .members
            .iter()
            .filter(|&&m| m != group.master)
            .filter_map(|&m| self.db(m))
            .filter(|d| d.term == group.term);
        match group.mode {
            ReplicationMode::Async => true,
            ReplicationMode::SemiSync => {
                !group.semi_active || replicas.any(|d| d.acked_received >= seq)
            }
            ReplicationMode::Sync => replicas
                .filter(|d| d.counted)
                .all(|d| d.acked_applied >= seq),
        }
    }

    // ----- the replication stream ------------------------------------------

    /// Sends binlog events up to `upto` from the master to member `m`, if
    /// both are up and the link between them works.
    pub(super) fn stream_to(&mut self, g: u32, m: u32, upto: u64) {
        let group = &self.groups[g as usize];
        let (master, term) = (group.master, group.term);
        if m == master
            || !self.nodes[m as usize].is_up()
            || !self.nodes[master as usize].is_up()
            || self.link_cut(master, m)
        {
            return;
        }
        let Some(d) = self.db(m) else { return };
        if d.term != term {
            return;
        }
        let at = self.now + d.link + self.dc_distance(master, m);
        let epoch = self.epoch_of(master);
        self.events.schedule(
            at,
            Event::Replication(ReplicationEvent::Binlog {
                db: m,
                upto,
                term,
                epoch,
            }),
        );
    }

    pub(super) fn epoch_of(&self, node: u32) -> u32 {
        match &self.nodes[node as usize] {
            NodeState::Station(s) => s.epoch,
            _ => 0,
        }
    }

    /// The link delay stands for everything between the master's commit
    /// and the replica's receipt (the dump thread, buffers, the network):
    /// events the replica has not received when the master crashes die with
    /// the master.
    pub(super) fn on_binlog(&mut self, db: u32, upto: u64, term: u32, epoch: u32) {
        if !self.nodes[db as usize].is_up() {
            return; // the stream broke; the replica asks again on restart
        }
        let Some(d) = self.db(db) else { return };
        let g = d.group;
        let group = &self.groups[g as usize];
        if term != group.term
            || d.term != term
            || upto <= d.received
            || upto > group.head
            || self.epoch_of(group.master) != epoch
            || !self.nodes[group.master as usize].is_up()
        {
            return;
        }
        let d = self.db_mut(db).expect("checked");
        d.received = upto;
        if self.groups[g as usize].mode == ReplicationMode::SemiSync {
            self.send_ack(db);
        }
        self.start_apply(db);
    }

    /// The replica confirms its positions to the master.
    fn send_ack(&mut self, db: u32) {
        let Some(d) = self.db(db) else { return };
        let (received, applied, term, link) = (d.received, d.applied, d.term, d.link);
        let master = self.groups[d.group as usize].master;
        if self.link_cut(master, db) {
            return;
        }
        self.events.schedule(
            self.now + link + self.dc_distance(master, db),
            Event::Replication(ReplicationEvent::ReplAck {
                db,
                received,
                applied,
                term,
            }),
        );
    }

    fn start_apply(&mut self, db: u32) {
        let now = self.now;
        let NodeState::Station(s) = &mut self.nodes[db as usize] else {
            return;
        };
        let (up, slow, epoch) = (s.up, s.slow, s.epoch);
        let Some(d) = s.db.as_deref_mut() else { return };
        if !up || d.applying || d.applied >= d.received {
            return;
        }
        d.applying = true;
        let t = (d.apply_time as f64 * slow) as Nanos;
        self.events.schedule(
            now + t.max(1),
            Event::Replication(ReplicationEvent::Applied { db, epoch }),
        );
    }

    pub(super) fn on_applied(&mut self, db: u32, epoch: u32) {
        let NodeState::Station(s) = &self.nodes[db as usize] else {
            return;
        };
        if s.epoch != epoch {
            return; // crashed while applying
        }
        let Some(d) = s.db.as_deref() else { return };
        let g = d.group;
        let seq = d.applied + 1;
        let entry = self.groups[g as usize].entry(seq).copied();
        let d = self.db_mut(db).expect("checked");
        d.applying = false;
        let Some(e) = entry else {
            // The entry was cut off by a failover: nothing left to apply.
            d.received = d.applied;
            return;
        };
        let held = d.store.entry(e.key).or_insert(0);
        *held = (*held).max(e.version);
        d.applied = seq;
        let caught_up = d.applied >= d.received;
        let group = &mut self.groups[g as usize];
        if group.master == db && !group.ready && caught_up {
            group.ready = true;
            self.push_log(db, LogEvent::AcceptingWrites);
        }
        if self.groups[g as usize].mode == ReplicationMode::Sync {
            self.send_ack(db);
        }
        self.start_apply(db);
        if seq.is_multiple_of(64) {
            self.trim(g);
        }
    }

    pub(super) fn on_repl_ack(&mut self, db: u32, received: u64, applied: u64, term: u32) {
        let Some(d) = self.db(db) else { return };
        let g = d.group;
        let group = &self.groups[g as usize];
        if term != group.term || d.term != term || !self.nodes[group.master as usize].is_up() {
            return;
        }
        let caught_up = group.fallback_seq;
        let d = self.db_mut(db).expect("checked");
        d.acked_received = d.acked_received.max(received);
        d.acked_applied = d.acked_applied.max(applied);
        let group = &mut self.groups[g as usize];
        if group.mode == ReplicationMode::SemiSync && !group.semi_active && received >= caught_up {
            group.semi_active = true;
            let master = group.master;
            self.push_log(master, LogEvent::SemiSyncRestored { replica: db });
        }
        self.check_pending(g);
    }

    pub(super) fn on_semi_sync_timeout(&mut self, g: u32, seq: u64, term: u32) {
        let group = &mut self.groups[g as usize];
        if group.term != term || !group.semi_active || !group.pending.iter().any(|p| p.seq == seq) {
            return;
        }
        group.semi_active = false;
        group.fallback_seq = group.pending.back().map_or(seq, |p| p.seq);
        let master = group.master;
        self.push_log(master, LogEvent::SemiSyncFallback);
        self.check_pending(g);
    }

    /// Drops binlog entries every member has applied.
    pub(super) fn trim(&mut self, g: u32) {
        let group = &self.groups[g as usize];
        let term = group.term;
        let mut upto = group.head;
        for &m in &group.members {
            if let Some(d) = self.db(m)
                && d.term == term
            {
                upto = upto.min(d.applied);
            }
        }
        let group = &mut self.groups[g as usize];
        if group.log.len() > BINLOG_CAPACITY {
            upto = upto.max(group.head - BINLOG_CAPACITY as u64);
        }
        group.trim(upto);
    }

    // ----- failures ---------------------------------------------------------

    /// Database `node` just crashed.
    pub(super) fn db_killed(&mut self, node: u32) {
        let now = self.now;
        let epoch = match &self.nodes[node as usize] {
            NodeState::Station(s) => s.epoch,
            _ => return,
        };
        let Some(d) = self.db_mut(node) else { return };
        d.applying = false;
        let g = d.group;
        let group = &mut self.groups[g as usize];
        if group.master == node {
            // Writes waiting for replicas were never acknowledged: their
            // callers get an error.
            let waiting: Vec<Pending> = group.pending.drain(..).collect();
            let (auto, detect, term) = (group.auto_failover, group.detect, group.term);
            for p in waiting {
                self.requests[p.req as usize].stack.pop();
                self.reject(p.req, node, ErrorCause::NodeDown);
            }
            if auto {
                self.events.schedule(
                    now + detect,
                    Event::Replication(ReplicationEvent::MasterCheck { group: g, term }),
                );
            }
        } else if self.nodes[group.master as usize].is_up() {
            let at = now + group.detect;
            self.events.schedule(
                at,
                Event::Replication(ReplicationEvent::ReplicaCheck { db: node, epoch }),
            );
        }
    }

    /// Database `node` just restarted.
    pub(super) fn db_restarted(&mut self, node: u32) {
        let Some(d) = self.db(node) else { return };
        let g = d.group;
        let group = &self.groups[g as usize];
        let (master, term, base, head) = (group.master, group.term, group.base, group.head);
        if master == node {
            // Back before anyone was promoted: still the master.
            let members = group.members.clone();
            for m in members {
                self.stream_to(g, m, head);
            }
            return;
        }
        if d.term != term || d.applied < base || d.received > head {
            self.reclone(node);
            self.push_log(node, LogEvent::Rejoined { master });
        } else {
            let d = self.db_mut(node).expect("checked");
            d.counted = true;
        }
        self.stream_to(g, node, head);
        self.start_apply(node);
    }

    /// The replica confirmed dead: sync writes stop waiting for it.
    pub(super) fn on_replica_check(&mut self, db: u32, epoch: u32) {
        let NodeState::Station(s) = &self.nodes[db as usize] else {
            return;
        };
        if s.up || s.epoch != epoch {
            return;
        }
        let Some(d) = self.db_mut(db) else { return };
        if !d.counted {
            return;
        }
        d.counted = false;
        let g = d.group;
        let master = self.groups[g as usize].master;
        self.push_log(master, LogEvent::ReplicaDropped { replica: db });
        self.check_pending(g);
    }

    /// The link between `a` and `b` works again: a replica behind it catches
    /// up.
    pub(super) fn db_link_restored(&mut self, a: u32, b: u32) {
        for (x, y) in [(a, b), (b, a)] {
            if let (Some(dx), Some(dy)) = (self.db(x), self.db(y))
                && dx.group == dy.group
                && self.groups[dx.group as usize].master == x
            {
                let g = dx.group;
                let head = self.groups[g as usize].head;
                self.stream_to(g, y, head);
            }
        }
    }

    /// `node` copies the master's data and position (a rebuilt replica).
    fn reclone(&mut self, node: u32) {
        let Some(d) = self.db(node) else { return };
        let g = d.group;
        let group = &self.groups[g as usize];
        let (master, term) = (group.master, group.term);
        let (store, applied) = match self.db(master) {
            Some(m) => (m.store.clone(), m.applied),
            None => return,
        };
        let d = self.db_mut(node).expect("checked");
        d.store = store;
        d.received = applied;
        d.applied = applied;
        d.applying = false;
        d.term = term;
        d.acked_received = 0;
        d.acked_applied = 0;
        d.counted = true;
    }

    /// The detection delay after the master's crash has passed.
    pub(super) fn on_master_check(&mut self, g: u32, term: u32) {
        let group = &self.groups[g as usize];
        if group.term != term || self.nodes[group.master as usize].is_up() {
            return;
        }
        let master = group.master;
        let best = group
            .members
            .iter()
            .copied()
            .filter(|&m| m != master && self.nodes[m as usize].is_up())
            .filter_map(|m| self.db(m).map(|d| (m, d)))
            .filter(|(_, d)| d.term == term)
            .max_by_key(|(m, d)| (d.received, std::cmp::Reverse(*m)))
            .map(|(m, _)| m);
        match best {
            Some(chosen) => self.promote(g, chosen),
            None => self.push_log(master, LogEvent::NoReplicaToPromote),
        }
    }

    /// Promotes replica `node` by hand; refused (and logged) unless its
    /// master is down.
    pub(super) fn promote_by_hand(&mut self, node: u32) {
        let Some(d) = self.db(node) else { return };
        let g = d.group;
        let group = &self.groups[g as usize];
        let ok = group.master != node
            && d.term == group.term
            && self.nodes[node as usize].is_up()
            && !self.nodes[group.master as usize].is_up();
        if ok {
            self.promote(g, node);
        } else {
            self.push_log(node, LogEvent::PromotionRefused);
        }
    }

    /// Makes replica `chosen` the master of group `g`. Acknowledged writes
    /// it never received are lost: they go into the ledger.
    fn promote(&mut self, g: u32, chosen: u32) {
        let received = self.db(chosen).map_or(0, |d| d.received);
        let group = &mut self.groups[g as usize];
        let old = group.master;
        let mut lost = Vec::new();
        while group.head > received {
            if let Some(e) = group.log.pop_back()
                && e.acked
            {
                lost.push((e.key, e.version));
            }
            group.head -= 1;
        }
        group.term += 1;
        group.master = chosen;
        group.semi_active = true;
        group.pending.clear();
        group.lost += lost.len() as u64;
        let (term, head, members) = (group.term, group.head, group.members.clone());
        lost.reverse();
        let count = self.lose_writes(&lost);
        let d = self.db_mut(chosen).expect("a member");
        d.term = term;
        d.counted = true;
        let ready = d.applied >= d.received;
        self.groups[g as usize].ready = ready;
        self.push_log(chosen, LogEvent::Promoted { old_master: old });
        if count > 0 {
            self.push_log(chosen, LogEvent::WritesLost { count });
        }
        for m in members {
            if m == chosen || m == old || !self.nodes[m as usize].is_up() {
                continue;
            }
            let Some(d) = self.db_mut(m) else { continue };
            if d.term + 1 != term {
                continue;
            }
            if d.applied > head {
                self.reclone(m);
            } else {
                d.term = term;
                d.received = d.received.min(head);
                d.acked_received = 0;
                d.acked_applied = 0;
            }
            self.stream_to(g, m, head);
        }
        self.start_apply(chosen);
        if ready {
            self.push_log(chosen, LogEvent::AcceptingWrites);
        }
    }

    // ----- figures ------------------------------------------------------------

    /// The largest replication lag of any live replica right now [s].
    pub(super) fn max_lag_s(&self) -> f64 {
        (0..self.nodes.len() as u32)
            .filter(|&n| self.nodes[n as usize].is_up() && !self.retired[n as usize])
            .filter_map(|n| self.db_figures(n))
            .map(|(_, _, s)| s)
            .fold(0.0, f64::max)
    }
}

/// Reads a group's parameters from its master node in `design`.
fn configure(group: &mut Group, design: &Design, master_id: &str) {
    let Some(p) = design
        .nodes
        .iter()
        .filter(|n| n.id == master_id)
        .find_map(|n| n.params.database())
    else {
        return;
    };
    group.mode = p.replication;
    group.semi_timeout = p.semi_sync_timeout;
    group.auto_failover = p.auto_failover;
    group.detect = p.detect;
    group.read_your_writes = p.read_your_writes;
}
