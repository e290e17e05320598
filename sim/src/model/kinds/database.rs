//! Databases: how a web server picks the database for a query (the
//! master for writes, a replica for reads by the group's read policy),
//! how a database executes a read or write on its records, and its
//! replication figures. Replication itself (binlog, acknowledgements,
//! failover) is `model/replication.rs`, shared by the group.

use crate::model::ReplicationEvent;
use crate::model::data::{DbNode, Entry, Freshness, Pending, ReplicationMode};
use crate::model::kinds::NodeState;
use crate::model::{ErrorCause, Event, RequestKind, Simulation};
use crate::time::Nanos;

impl Simulation {
    pub(in crate::model) fn db(&self, node: u32) -> Option<&DbNode> {
        match &self.nodes[node as usize] {
            NodeState::Station(s) => s.db.as_deref(),
            _ => None,
        }
    }

    pub(in crate::model) fn db_mut(&mut self, node: u32) -> Option<&mut DbNode> {
        match &mut self.nodes[node as usize] {
            NodeState::Station(s) => s.db.as_deref_mut(),
            _ => None,
        }
    }

    /// Where web server `web` sends the data call of request `req`: the
    /// master for a write (or for a read by a user inside the
    /// read-your-writes window), else the next live replica it is connected
    /// to, else the master. `None` if the server has no database.
    pub(in crate::model) fn db_target(&mut self, web: u32, req: u32) -> Option<u32> {
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
    pub(in crate::model) fn needs_master(&self, g: u32, req: u32) -> bool {
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
    pub(in crate::model) fn pick_reader(
        &self,
        g: u32,
        candidates: &[u32],
        turn: u32,
    ) -> Option<(u32, u32)> {
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

    /// A database finished processing `req`: read the record, or commit the
    /// write and acknowledge it when the replication mode allows.
    pub(in crate::model) fn data_op(&mut self, req: u32, node: u32) {
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
            self.fail_at(
                req,
                node,
                crate::model::failures::NO_NODE,
                ErrorCause::NoMaster,
            );
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
                self.events.schedule(
                    now + timeout,
                    Event::Replication(ReplicationEvent::SemiSyncTimeout { group, seq, term }),
                );
            }
        } else {
            self.acknowledge(g, seq, req, false);
        }
        self.trim(g);
    }

    /// The replication group of database `node`.
    pub(in crate::model) fn db_group(&self, node: u32) -> Option<u32> {
        self.db(node).map(|d| d.group)
    }

    /// The version of `key` database `node` holds (0: none).
    pub(in crate::model) fn db_version(&self, node: u32, key: u32) -> u64 {
        self.db(node).map_or(0, |d| d.version(key))
    }

    /// Bulk-loads version `version` of `key` into database `node` (a
    /// resharding copy), unless it holds a newer one.
    pub(in crate::model) fn db_store_put(&mut self, node: u32, key: u32, version: u64) {
        if let Some(d) = self.db_mut(node) {
            let v = d.store.entry(key).or_insert(0);
            *v = (*v).max(version);
        }
    }

    /// The replication group `node` is the master of, with its term.
    pub(in crate::model) fn master_group_of(&self, node: u32) -> Option<(u32, u32)> {
        let d = self.db(node)?;
        let group = &self.groups[d.group as usize];
        (group.master == node).then_some((d.group, group.term))
    }

    /// Replication figures of database `node`: (role is master, events
    /// behind the master, seconds behind [s]); `None` for other nodes, and
    /// for a database that missed a failover and has not rejoined yet.
    pub(in crate::model) fn db_figures(&self, node: u32) -> Option<(bool, u64, f64)> {
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

    /// Counts a successful read's correctness: `bound` is the Users node's
    /// allowed staleness [ns].
    pub(in crate::model) fn count_read(&mut self, fresh: Freshness, read_back: bool, bound: Nanos) {
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
