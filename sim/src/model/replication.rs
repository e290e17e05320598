//! Replication, failover and the routing of reads and writes: the
//! simulation's half of the data tier (the data structures are in `data`).

use super::data::{DbNode, Entry, Freshness, Group, Pending, ReplicationMode};
use super::kinds::NodeState;
use super::log::LogEvent;
use super::{ErrorCause, Event, LOST_KEYS_KEPT, RequestKind, Simulation};
use crate::catalog::Kind;
use crate::design::Design;
use crate::time::{Nanos, from_ms, from_secs};
use rand_core::Rng;
use std::collections::VecDeque;

/// Most binlog entries a group keeps for replicas that are far behind; a
/// replica that falls off the end re-clones from the master when it
/// returns (MySQL: the binlog it needs was purged).
const BINLOG_CAPACITY: usize = 1_000_000;

impl Simulation {
    fn db(&self, node: u32) -> Option<&DbNode> {
        match &self.nodes[node as usize] {
            NodeState::Station(s) => s.db.as_deref(),
            _ => None,
        }
    }

    fn db_mut(&mut self, node: u32) -> Option<&mut DbNode> {
        match &mut self.nodes[node as usize] {
            NodeState::Station(s) => s.db.as_deref_mut(),
            _ => None,
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

    // ----- routing --------------------------------------------------------

    /// Where web server `web` sends the data call of request `req`: the
    /// master for a write (or for a read by a user inside the
    /// read-your-writes window), else the next live replica it is connected
    /// to, else the master. `None` if the server has no database.
    pub(super) fn db_target(&mut self, web: u32, req: u32) -> Option<u32> {
        let key = self.requests[req as usize].key;
        let NodeState::Station(st) = &self.nodes[web as usize] else {
            return None;
        };
        if let Some(router) = st.router {
            return Some(router);
        }
        // The groups this server reaches, in order of first edge; several
        // masters split the records between them by key.
        let group_of = |n: u32| self.db(n).map(|d| d.group);
        let mut groups = [u32::MAX; 8];
        let mut count = 0;
        for &d in &st.dbs {
            if let Some(g) = group_of(d)
                && !groups[..count].contains(&g)
                && count < groups.len()
            {
                groups[count] = g;
                count += 1;
            }
        }
        if count == 0 {
            return None;
        }
        let g = groups[key as usize % count];
        if self.needs_master(g, req) {
            return Some(self.groups[g as usize].master);
        }
        match self.pick_reader(g, &st.dbs, st.next_replica) {
            Some((target, next)) => {
                self.station(web).next_replica = next;
                Some(target)
            }
            None => Some(self.groups[g as usize].master),
        }
    }

    /// Whether `req`'s query to group `g` must go to the master: a write,
    /// or a read by a user inside the group's read-your-writes window.
    fn needs_master(&self, g: u32, req: u32) -> bool {
        let r = &self.requests[req as usize];
        let window = self.groups[g as usize].read_your_writes;
        r.kind == RequestKind::Write
            || window > 0
                && matches!(&self.nodes[r.origin as usize], NodeState::Users(u)
                    if u.last_write.get(&r.user).is_some_and(|&t| self.now < t + window))
    }

    /// The replica of group `g` among `candidates` that takes the next read
    /// (round robin from `turn` over the live, caught-up-term ones), with
    /// the turn after it; `None` if none can serve.
    fn pick_reader(&self, g: u32, candidates: &[u32], turn: u32) -> Option<(u32, u32)> {
        let group = &self.groups[g as usize];
        let serving = candidates.iter().copied().filter(|&n| {
            n != group.master
                && self.nodes[n as usize].is_up()
                && self
                    .db(n)
                    .is_some_and(|d| d.group == g && d.term == group.term)
        });
        let count = serving.clone().count() as u32;
        if count == 0 {
            return None;
        }
        let pick = turn % count;
        let target = serving.clone().nth(pick as usize).expect("pick < count");
        Some((target, pick + 1))
    }

    /// A query reaches shard router `node`: it goes to the shard holding
    /// its record — the shard's current master for a write (or inside the
    /// read-your-writes window), else the next live replica, else the
    /// master.
    pub(super) fn forward_at_router(&mut self, req: u32, node: u32) {
        let now = self.now;
        let key = self.requests[req as usize].key;
        let NodeState::Router(router) = &mut self.nodes[node as usize] else {
            unreachable!()
        };
        if !router.up || router.shards.is_empty() {
            return self.reject(req, node, super::ErrorCause::NodeDown);
        }
        let kind = self.requests[req as usize].kind;
        let joins = match (kind, router.denormalized) {
            (RequestKind::Page, false) | (RequestKind::Write, true) => router.join_pct,
            _ => 0.0,
        };
        if joins > 0.0 && router.shards.len() > 1 {
            let roll = router.rng.next_u64() as f64 / u64::MAX as f64 * 100.0;
            if roll < joins {
                return self.fan_out(req, node);
            }
        }
        let owner = router.owner(key);
        if let Some(i) = router.shards.iter().position(|&s| s == owner) {
            router.per_shard[i] += 1;
        }
        let epoch = router.epoch;
        let Some(target) = self.shard_target(node, owner, req) else {
            return self.reject(req, node, super::ErrorCause::NodeDown);
        };
        if kind == RequestKind::Write {
            self.track_write(node, key, 1);
        }
        self.requests[req as usize].stack.push(super::Frame {
            node,
            next: target,
            epoch,
            arrived: now,
            started: now,
        });
        self.leave_hop(req);
        self.send(req, node, target, false);
    }

    /// Where router `node` sends `req` on the shard whose designed master
    /// is `owner`: its master for a write (or a read inside the
    /// read-your-writes window), else the next live replica, else the
    /// master. `None` if the shard has no database.
    fn shard_target(&mut self, node: u32, owner: u32, req: u32) -> Option<u32> {
        let g = self.db(owner).map(|d| d.group)?;
        let master = self.groups[g as usize].master;
        if self.needs_master(g, req) {
            return Some(master);
        }
        let members = &self.groups[g as usize].members;
        let NodeState::Router(router) = &self.nodes[node as usize] else {
            unreachable!()
        };
        Some(match self.pick_reader(g, members, router.next_replica) {
            Some((replica, next)) => {
                if let NodeState::Router(router) = &mut self.nodes[node as usize] {
                    router.next_replica = next;
                }
                replica
            }
            None => master,
        })
    }

    /// A cross-shard operation: one copy of `req` to every shard, each for
    /// a record that shard holds (the request's own record on its own
    /// shard); the request goes on when the slowest has answered.
    fn fan_out(&mut self, req: u32, node: u32) {
        let now = self.now;
        let NodeState::Router(router) = &mut self.nodes[node as usize] else {
            unreachable!()
        };
        router.fan_outs += 1;
        let (shards, epoch) = (router.shards.len(), router.epoch);
        let key = self.requests[req as usize].key;
        self.requests[req as usize].stack.push(super::Frame {
            node,
            next: u32::MAX,
            epoch,
            arrived: now,
            started: now,
        });
        self.leave_hop(req);
        self.next_call_id += 1;
        let id = self.next_call_id;
        self.requests[req as usize].join = Some((id, shards as u32));
        for shard in 0..shards {
            let NodeState::Router(router) = &mut self.nodes[node as usize] else {
                unreachable!()
            };
            router.per_shard[shard] += 1;
            let shard_key = router.placement.key_on(shard, key);
            let owner = router.owner(shard_key);
            let child = self.alloc_child(req, node, epoch, id);
            self.requests[child as usize].key = shard_key;
            if self.requests[child as usize].kind == RequestKind::Write {
                self.track_write(node, shard_key, 1);
            }
            match self.shard_target(node, owner, child) {
                Some(target) => self.send(child, node, target, false),
                None => self.reject(child, node, super::ErrorCause::NodeDown),
            }
        }
    }

    /// One shard answered a cross-shard operation; the last answer lets the
    /// request go on.
    pub(super) fn on_join_answer(&mut self, child: u32, node: u32) {
        let (parent, id) = {
            let c = &self.requests[child as usize];
            (c.parent, c.call_id)
        };
        let waiting = {
            let p = &self.requests[parent as usize];
            p.live && p.join.is_some_and(|(j, _)| j == id)
        };
        if !waiting {
            return self.release_request(child);
        }
        if self.requests[child as usize].kind == RequestKind::Write {
            let key = self.requests[child as usize].key;
            self.track_write(node, key, -1);
        }
        let done = {
            let [p, c] = self
                .requests
                .get_disjoint_mut([parent as usize, child as usize])
                .expect("parent and child are different slots");
            if let Some(e) = c.error
                && p.error.is_none()
            {
                p.error = Some(e);
                p.error_at = c.error_at;
                p.error_other = c.error_other;
            }
            if c.key == p.key {
                // The request's own record: its version, freshness and time.
                p.version = c.version;
                p.fresh = c.fresh;
                p.net_ns += c.net_ns;
                p.queue_ns += c.queue_ns;
                p.service_ns += c.service_ns;
            }
            p.hops.extend(c.hops.iter().copied());
            let (j, pending) = p.join.expect("checked");
            p.join = (pending > 1).then_some((j, pending - 1));
            pending == 1
        };
        self.release_request(child);
        if done {
            self.on_reply_at_router(parent, node);
        }
    }

    /// A shard answered through the router.
    pub(super) fn on_reply_at_router(&mut self, req: u32, node: u32) {
        let frame = self.requests[req as usize]
            .stack
            .pop()
            .expect("a reply at a router has its frame");
        let NodeState::Router(router) = &self.nodes[node as usize] else {
            unreachable!()
        };
        if frame.epoch != router.epoch {
            let none = super::failures::NO_NODE;
            self.fail_at(req, node, none, super::ErrorCause::NodeDown);
        }
        let r = &self.requests[req as usize];
        if r.kind == RequestKind::Write && frame.next != u32::MAX {
            let key = r.key;
            self.track_write(node, key, -1);
        }
        let caller = self.caller_of(req);
        self.send(req, node, caller, true);
    }

    // ----- reads and writes at a database ---------------------------------

    /// A database finished processing `req`: read the record, or commit the
    /// write and acknowledge it when the replication mode allows.
    pub(super) fn data_op(&mut self, req: u32, node: u32) {
        let now = self.now;
        let (kind, key) = {
            let r = &self.requests[req as usize];
            (r.kind, r.key)
        };
        let Some(d) = self.db(node) else {
            return self.call_next_or_reply(req, node);
        };
        let g = d.group;
        if kind != RequestKind::Write {
            let version = d.version(key);
            let fresh = self.judge_read(key, version, node);
            let r = &mut self.requests[req as usize];
            r.version = version;
            r.fresh = Some(fresh);
            return self.call_next_or_reply(req, node);
        }
        let group = &self.groups[g as usize];
        if group.master != node || !group.ready {
            self.fail_at(req, node, super::failures::NO_NODE, ErrorCause::NoMaster);
            return self.call_next_or_reply(req, node);
        }
        let version = self.oracle.issue(key);
        let group = &mut self.groups[g as usize];
        let seq = group.append(Entry {
            key,
            version,
            at: now,
            acked: false,
        });
        let (mode, semi_active, timeout, term) = (
            group.mode,
            group.semi_active,
            group.semi_timeout,
            group.term,
        );
        let d = self.db_mut(node).expect("checked");
        d.store.insert(key, version);
        d.received = seq;
        d.applied = seq;
        self.requests[req as usize].version = version;
        let members = self.groups[g as usize].members.clone();
        for m in members {
            self.stream_to(g, m, seq);
        }
        let counted = self.replicas_counted(g);
        let wait = match mode {
            ReplicationMode::Async => false,
            ReplicationMode::SemiSync => semi_active,
            ReplicationMode::Sync => counted > 0,
        };
        if wait {
            // The vCPU is free for other queries; the connection waits.
            self.finish_service(req, node);
            self.groups[g as usize]
                .pending
                .push_back(Pending { seq, req });
            if mode == ReplicationMode::SemiSync {
                let group = g;
                self.events
                    .schedule(now + timeout, Event::SemiSyncTimeout { group, seq, term });
            }
        } else {
            self.acknowledge(g, seq, req, false);
        }
        self.trim(g);
    }

    fn replicas_counted(&self, g: u32) -> usize {
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
    fn acknowledge(&mut self, g: u32, seq: u64, req: u32, parked: bool) {
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
    fn check_pending(&mut self, g: u32) {
        while let Some(&Pending { seq, req }) = self.groups[g as usize].pending.front() {
            if !self.satisfied(g, seq) {
                return;
            }
            self.groups[g as usize].pending.pop_front();
            self.acknowledge(g, seq, req, true);
        }
    }

    fn satisfied(&self, g: u32, seq: u64) -> bool {
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
    fn stream_to(&mut self, g: u32, m: u32, upto: u64) {
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
            Event::Binlog {
                db: m,
                upto,
                term,
                epoch,
            },
        );
    }

    fn epoch_of(&self, node: u32) -> u32 {
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
            Event::ReplAck {
                db,
                received,
                applied,
                term,
            },
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
        self.events
            .schedule(now + t.max(1), Event::Applied { db, epoch });
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
    fn trim(&mut self, g: u32) {
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
                self.events
                    .schedule(now + detect, Event::MasterCheck { group: g, term });
            }
        } else if self.nodes[group.master as usize].is_up() {
            let at = now + group.detect;
            self.events
                .schedule(at, Event::ReplicaCheck { db: node, epoch });
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

    /// The replication group of database `node`.
    pub(super) fn db_group(&self, node: u32) -> Option<u32> {
        self.db(node).map(|d| d.group)
    }

    /// The version of `key` database `node` holds (0: none).
    pub(super) fn db_version(&self, node: u32, key: u32) -> u64 {
        self.db(node).map_or(0, |d| d.version(key))
    }

    /// Bulk-loads version `version` of `key` into database `node` (a
    /// resharding copy), unless it holds a newer one.
    pub(super) fn db_store_put(&mut self, node: u32, key: u32, version: u64) {
        if let Some(d) = self.db_mut(node) {
            let v = d.store.entry(key).or_insert(0);
            *v = (*v).max(version);
        }
    }

    /// The replication group `node` is the master of, with its term.
    pub(super) fn master_group_of(&self, node: u32) -> Option<(u32, u32)> {
        let d = self.db(node)?;
        let group = &self.groups[d.group as usize];
        (group.master == node).then_some((d.group, group.term))
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
        for &(key, version) in &lost {
            self.oracle.mark_lost(key, version);
            if self.lost_keys.len() == LOST_KEYS_KEPT {
                self.lost_keys.pop_front();
            }
            self.lost_keys.push_back(key);
        }
        let count = lost.len() as u64;
        self.stats.data.lost_writes += count;
        self.window.incorrect += count;
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

    /// Replication figures of database `node`: (role is master, events
    /// behind the master, seconds behind [s]); `None` for other nodes, and
    /// for a database that missed a failover and has not rejoined yet.
    pub(super) fn db_figures(&self, node: u32) -> Option<(bool, u64, f64)> {
        let d = self.db(node)?;
        let group = &self.groups[d.group as usize];
        if group.master == node {
            return Some((true, 0, 0.0));
        }
        if d.term != group.term {
            return None;
        }
        let behind = group.head.saturating_sub(d.applied);
        let seconds = group
            .entry(d.applied + 1)
            .map_or(0.0, |e| crate::time::to_secs(self.now.saturating_sub(e.at)));
        Some((false, behind, seconds))
    }

    /// The largest replication lag of any live replica right now [s].
    pub(super) fn max_lag_s(&self) -> f64 {
        (0..self.nodes.len() as u32)
            .filter(|&n| self.nodes[n as usize].is_up() && !self.retired[n as usize])
            .filter_map(|n| self.db_figures(n))
            .map(|(_, _, s)| s)
            .fold(0.0, f64::max)
    }

    /// Counts a successful read's correctness: `bound` is the Users node's
    /// allowed staleness [ns].
    pub(super) fn count_read(&mut self, fresh: Freshness, read_back: bool, bound: Nanos) {
        let d = &mut self.stats.data;
        d.reads += 1;
        if read_back {
            d.read_backs += 1;
        }
        let incorrect = match fresh {
            Freshness::Fresh => false,
            Freshness::Stale(age) => {
                d.stale += 1;
                d.staleness_ns += u128::from(age);
                d.max_staleness = d.max_staleness.max(age);
                let w = &mut self.window.latency;
                w.max_staleness = w.max_staleness.max(age);
                if read_back {
                    d.own_write_misses += 1;
                }
                age > bound
            }
            Freshness::Lost => {
                d.lost_reads += 1;
                if read_back {
                    d.own_write_misses += 1;
                }
                true
            }
        };
        if incorrect {
            if matches!(fresh, Freshness::Stale(_)) {
                d.stale_incorrect += 1;
            }
            self.window.incorrect += 1;
        }
    }
}

/// Reads a group's parameters from its master node in `design`.
fn configure(group: &mut Group, design: &Design, master_id: &str) {
    let Some(n) = design
        .nodes
        .iter()
        .find(|n| n.id == master_id && n.kind == Kind::Database)
    else {
        return;
    };
    group.mode = ReplicationMode::from_name(n.choice("replication"));
    group.semi_timeout = from_ms(n.number("semi_sync_timeout_ms"));
    group.auto_failover = n.choice("failover") == "auto";
    group.detect = from_secs(n.number("detect_s"));
    group.read_your_writes = from_secs(n.number("read_your_writes_s"));
}
