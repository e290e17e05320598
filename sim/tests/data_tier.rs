//! The data tier: replication modes, failover and the lost-write ledger,
//! replica lag, stale reads and read-your-writes.

use scalesim::model::ErrorCause;
use scalesim::model::{DbRole, LogEvent, Snapshot};
use scalesim::time::SECOND;
use scalesim::{DesignDoc, ProblemKind, Simulation};

/// Users → web-1 → master db-1, replicas db-2 and db-3 (db-1 → db-2, db-3).
/// Everything is big enough that queueing plays no part: 1 000 writes/s.
struct Setup {
    users: String,
    master: String,
    db2: String,
    db3: String,
    /// Whether web-1 also reads from the replicas.
    read_replicas: bool,
    faults: String,
}

impl Default for Setup {
    fn default() -> Self {
        Setup {
            users: r#""rate_rps": 2000, "write_pct": 50, "static_pct": 0, "population": 100000"#
                .into(),
            master: String::new(),
            db2: r#""link_ms": 100"#.into(),
            db3: r#""link_ms": 20"#.into(),
            read_replicas: true,
            faults: String::new(),
        }
    }
}

impl Setup {
    fn doc(&self) -> DesignDoc {
        let big =
            r#""size": "4xlarge", "service_ms": 1, "write_ms": 2, "service_dist": "constant""#;
        let sep = |s: &str| {
            if s.is_empty() {
                String::new()
            } else {
                format!(", {s}")
            }
        };
        let mut edges = vec![
            r#"{"from": "users-1", "to": "web-1"}"#.to_string(),
            r#"{"from": "web-1", "to": "db-1"}"#.into(),
            r#"{"from": "db-1", "to": "db-2"}"#.into(),
            r#"{"from": "db-1", "to": "db-3"}"#.into(),
        ];
        if self.read_replicas {
            edges.push(r#"{"from": "web-1", "to": "db-2"}"#.into());
            edges.push(r#"{"from": "web-1", "to": "db-3"}"#.into());
        }
        let json = format!(
            r#"{{"version": 1, "seed": 5,
              "nodes": [
                {{"id": "users-1", "kind": "users", "params": {{{users}}}}},
                {{"id": "web-1", "kind": "web_server", "params": {{"size": "4xlarge", "service_ms": 1}}}},
                {{"id": "db-1", "kind": "database", "params": {{{big}{master}}}}},
                {{"id": "db-2", "kind": "database", "params": {{{big}, "role": "replica"{db2}}}}},
                {{"id": "db-3", "kind": "database", "params": {{{big}, "role": "replica"{db3}}}}}],
              "edges": [{edges}],
              "faults": [{faults}]}}"#,
            users = self.users,
            master = sep(&self.master),
            db2 = sep(&self.db2),
            db3 = sep(&self.db3),
            edges = edges.join(","),
            faults = self.faults,
        );
        DesignDoc::from_json(&json).unwrap_or_else(|e| panic!("{e}\n{json}"))
    }

    fn run(&self, seconds: u64) -> (Simulation, Snapshot) {
        let mut sim = Simulation::from_doc(&self.doc()).unwrap_or_else(|e| panic!("{e}"));
        sim.run_until(seconds * SECOND);
        let snap = sim.snapshot();
        (sim, snap)
    }
}

fn node<'a>(s: &'a Snapshot, id: &str) -> &'a scalesim::model::NodeSnapshot {
    s.nodes.iter().find(|n| n.id == id).expect("node exists")
}

fn logged(sim: &Simulation, id: &str, want: impl Fn(&LogEvent) -> bool) -> bool {
    let idx = sim.node_ids().iter().position(|x| x == id).unwrap() as u32;
    sim.log().any(|e| e.node == idx && want(&e.event))
}

const KILL_MASTER_AT_20: &str = r#"{"at_s": 20, "action": "kill", "target": "db-1"}"#;

#[test]
fn async_failover_loses_the_writes_inside_the_lag_window_and_promotes_the_most_caught_up() {
    // db-3 is 20 ms behind, db-2 100 ms: db-3 is promoted, and the
    // acknowledged writes of the master's last 20 ms (1 000 writes/s × 0.02 s
    // ≈ 20) never reached it.
    let setup = Setup {
        faults: KILL_MASTER_AT_20.into(),
        ..Setup::default()
    };
    let (sim, s) = setup.run(40);
    let lost = s.data.lost_writes;
    assert!((8..=35).contains(&lost), "lost {lost}");
    assert_eq!(s.data.lost_keys.len() as u64, lost);
    assert!(s.data.lost_keys.iter().all(|k| k.starts_with("user:")));
    assert!(logged(&sim, "db-3", |e| matches!(
        e,
        LogEvent::Promoted { old_master: 2 }
    )));
    assert!(logged(&sim, "db-3", |e| *e == LogEvent::WritesLost { count: lost }));
    assert_eq!(node(&s, "db-3").role, Some(DbRole::Master));
    assert_eq!(node(&s, "db-2").role, Some(DbRole::Replica));
    // The old master is out of the group until it comes back.
    assert_eq!(node(&s, "db-1").role, None);
    // Writes stopped for the detection delay (10 s) and then went on.
    let writes_after: f64 = sim.series()[32..40]
        .iter()
        .map(|p| p.throughput_rps)
        .sum::<f64>()
        / 8.0;
    assert!(writes_after > 1_900.0, "{writes_after}");
    assert!(s.errors[ErrorCause::NodeDown] > 5_000, "{:?}", s.errors);
    // The lost writes make answers wrong: reliability drops below 1.
    assert!(s.data.reliability < 1.0);
}

#[test]
fn a_longer_lag_loses_proportionally_more() {
    // Only db-2 (100 ms behind) is left to promote: about 100 writes lost.
    let setup = Setup {
        faults: format!(
            r#"{{"at_s": 5, "action": "kill", "target": "db-3"}}, {KILL_MASTER_AT_20}"#
        ),
        ..Setup::default()
    };
    let (sim, s) = setup.run(40);
    let lost = s.data.lost_writes;
    assert!((70..=130).contains(&lost), "lost {lost}");
    assert!(logged(&sim, "db-2", |e| matches!(
        e,
        LogEvent::Promoted { .. }
    )));
}

#[test]
fn semi_sync_loses_nothing_while_acknowledgements_arrive_and_costs_a_round_trip() {
    let semi = Setup {
        master: r#""replication": "semi_sync""#.into(),
        faults: KILL_MASTER_AT_20.into(),
        ..Setup::default()
    };
    let (sim, s) = semi.run(40);
    assert_eq!(s.data.lost_writes, 0);
    assert!(logged(&sim, "db-3", |e| matches!(
        e,
        LogEvent::Promoted { .. }
    )));
    assert!(!logged(&sim, "db-1", |e| *e == LogEvent::SemiSyncFallback));

    // The price: each write waits for the nearest replica's receipt and
    // its confirmation, 2 × 20 ms.
    let (_, a) = Setup::default().run(10);
    let (_, b) = Setup {
        master: r#""replication": "semi_sync""#.into(),
        ..Setup::default()
    }
    .run(10);
    let extra = b.write_latency_ms.p50 - a.write_latency_ms.p50;
    assert!((extra - 40.0).abs() < 2.0, "extra {extra} ms");
    let reads = b.read_latency_ms.p50 - a.read_latency_ms.p50;
    assert!(reads.abs() < 1.0, "reads unaffected: {reads}");
}

#[test]
fn semi_sync_falls_back_to_async_after_its_timeout_and_can_then_lose_writes() {
    // Both replication links are cut at 5 s: after the 1 s timeout the
    // master acknowledges without replicas, so its crash at 20 s loses the
    // writes since the cut.
    let setup = Setup {
        master: r#""replication": "semi_sync", "semi_sync_timeout_ms": 1000"#.into(),
        faults: format!(
            r#"{{"at_s": 5, "action": "cut", "from": "db-1", "to": "db-2"}},
               {{"at_s": 5, "action": "cut", "from": "db-1", "to": "db-3"}},
               {KILL_MASTER_AT_20}"#
        ),
        ..Setup::default()
    };
    let (sim, s) = setup.run(40);
    assert!(logged(&sim, "db-1", |e| *e == LogEvent::SemiSyncFallback));
    // About 14 s × 1 000 writes/s acknowledged after the fallback.
    let lost = s.data.lost_writes;
    assert!((12_000..=16_000).contains(&lost), "lost {lost}");
}

#[test]
fn semi_sync_resumes_when_a_replica_catches_up() {
    let setup = Setup {
        master: r#""replication": "semi_sync", "semi_sync_timeout_ms": 500"#.into(),
        faults: r#"{"at_s": 5, "action": "cut", "from": "db-1", "to": "db-3", "duration_s": 5},
                   {"at_s": 5, "action": "cut", "from": "db-1", "to": "db-2", "duration_s": 5}"#
            .into(),
        ..Setup::default()
    };
    let (sim, _) = setup.run(15);
    assert!(logged(&sim, "db-1", |e| *e == LogEvent::SemiSyncFallback));
    assert!(logged(&sim, "db-1", |e| matches!(
        e,
        LogEvent::SemiSyncRestored { .. }
    )));
}

#[test]
fn sync_loses_nothing_has_no_stale_reads_and_waits_for_the_slowest_replica() {
    // 150 writes/s: web workers are held while they wait (200 ms), so
    // fewer writes keep the web tier out of the picture.
    let users = r#""rate_rps": 300, "write_pct": 50, "static_pct": 0, "population": 100000"#;
    let sync = Setup {
        users: users.into(),
        master: r#""replication": "sync""#.into(),
        faults: KILL_MASTER_AT_20.into(),
        ..Setup::default()
    };
    let (_, s) = sync.run(40);
    assert_eq!(s.data.lost_writes, 0);
    assert_eq!(s.data.lost_reads, 0);
    // Before the crash, every acknowledged write was applied everywhere.
    let (_, before) = Setup {
        users: users.into(),
        master: r#""replication": "sync""#.into(),
        ..Setup::default()
    }
    .run(15);
    assert!(before.data.reads > 2_000);
    assert_eq!(before.errors.total(), 0, "{:?}", before.errors);
    assert_eq!(before.data.stale_reads, 0);
    assert_eq!(before.data.reliability, 1.0);
    // 2 × 100 ms to the farther replica and back, plus one apply (0.2 ms).
    let (_, a) = Setup {
        users: users.into(),
        ..Setup::default()
    }
    .run(10);
    let extra = before.write_latency_ms.p50 - a.write_latency_ms.p50;
    assert!((extra - 200.2).abs() < 3.0, "extra {extra} ms");
}

#[test]
fn a_replica_that_applies_slower_than_the_master_writes_falls_behind_without_bound() {
    let slow = Setup {
        db2: r#""link_ms": 1, "apply_rate": 500"#.into(),
        ..Setup::default()
    };
    let mut sim = Simulation::from_doc(&slow.doc()).unwrap();
    sim.run_until(20 * SECOND);
    let at20 = node(&sim.snapshot(), "db-2").clone();
    sim.run_until(40 * SECOND);
    let at40 = node(&sim.snapshot(), "db-2").clone();
    // 1 000 writes/s in, 500/s applied: 500 more events behind each second.
    assert!(
        (9_000..=11_000).contains(&at20.behind_events),
        "{}",
        at20.behind_events
    );
    assert!(
        (19_000..=21_000).contains(&at40.behind_events),
        "{}",
        at40.behind_events
    );
    // The oldest unapplied write is about half the elapsed time old.
    assert!((at20.behind_s - 10.0).abs() < 1.0, "{}", at20.behind_s);
    assert!((at40.behind_s - 20.0).abs() < 1.0, "{}", at40.behind_s);
    assert!(sim.series()[35].max_lag_s > sim.series()[15].max_lag_s);
    // A replica that keeps up stays within milliseconds.
    let db3 = node(&sim.snapshot(), "db-3").clone();
    assert!(db3.behind_s < 0.05, "{}", db3.behind_s);
}

#[test]
fn stale_reads_appear_with_replica_reads_and_vanish_with_read_your_writes() {
    // Users read back what they wrote; records are spread uniformly, so
    // nearly every stale read is a user missing their own write.
    let users = r#""rate_rps": 1000, "write_pct": 20, "static_pct": 0, "population": 100000,
                   "key_dist": "uniform", "keys": 1000000, "read_back_pct": 100"#;
    let plain = Setup {
        users: users.into(),
        db2: r#""link_ms": 200"#.into(),
        db3: r#""link_ms": 200"#.into(),
        ..Setup::default()
    };
    let (_, replicas) = plain.run(30);
    let d = &replicas.data;
    assert!(d.read_backs > 4_000, "{d:?}");
    assert!(d.own_write_misses * 10 > d.read_backs * 9, "{d:?}");
    assert!(d.stale_reads >= d.own_write_misses);
    // A read-back reaches the replica about 53 ms after the write was
    // acknowledged (25 ms back to the user, 25 ms out again, hops and
    // processing), long before the write arrives (200 ms).
    assert!(
        (d.mean_staleness_ms - 53.0).abs() < 3.0 && d.max_staleness_ms <= 200.0,
        "{d:?}"
    );
    assert!(d.reliability < 0.9, "{d:?}");
    let example = d.last_stale.as_ref().expect("a stale read to show");
    assert!(example.read_version < example.newest_version, "{example:?}");
    assert!(["db-2", "db-3"].contains(&example.served_by.as_str()));
    assert!(example.key.starts_with("user:") && !example.lost);

    let ryw = Setup {
        master: r#""read_your_writes_s": 5"#.into(),
        ..plain
    };
    let (_, fixed) = ryw.run(30);
    let f = &fixed.data;
    assert_eq!(f.own_write_misses, 0, "{f:?}");
    assert!(f.stale_reads * 100 < d.stale_reads, "{f:?} vs {d:?}");

    let master_only = Setup {
        read_replicas: false,
        users: users.into(),
        ..Setup::default()
    };
    let (_, m) = master_only.run(30);
    assert_eq!(m.data.stale_reads, 0);
    assert_eq!(m.data.last_stale, None);
    assert_eq!(m.data.reliability, 1.0);
    assert_eq!(node(&m, "db-2").served, 0, "no reads reach the replicas");
}

#[test]
fn a_staleness_bound_forgives_reads_within_it() {
    let users = r#""rate_rps": 1000, "write_pct": 20, "static_pct": 0, "key_dist": "uniform",
                   "keys": 1000000, "read_back_pct": 100"#;
    let strict = Setup {
        users: users.into(),
        ..Setup::default()
    };
    let lenient = Setup {
        users: format!(r#"{users}, "stale_bound_ms": 1000"#),
        ..Setup::default()
    };
    let (_, a) = strict.run(20);
    let (_, b) = lenient.run(20);
    assert!(a.data.stale_reads > 100);
    assert_eq!(a.data.stale_incorrect, a.data.stale_reads);
    assert_eq!(
        b.data.stale_reads, a.data.stale_reads,
        "same run, same reads"
    );
    assert_eq!(b.data.stale_incorrect, 0);
    assert_eq!(b.data.reliability, 1.0);
}

#[test]
fn reads_leave_a_dead_replica_for_the_others_and_then_for_the_master() {
    let setup = Setup {
        faults: r#"{"at_s": 10, "action": "kill", "target": "db-2"},
                   {"at_s": 20, "action": "kill", "target": "db-3"}"#
            .into(),
        ..Setup::default()
    };
    let mut sim = Simulation::from_doc(&setup.doc()).unwrap();
    sim.run_until(10 * SECOND);
    let db1_at10 = node(&sim.snapshot(), "db-1").served;
    sim.run_until(20 * SECOND);
    let s20 = sim.snapshot();
    let db1_at20 = node(&s20, "db-1").served;
    // 10..20 s: db-3 takes every read; the master only writes (10 000).
    assert!(
        (db1_at20 - db1_at10).abs_diff(10_000) < 500,
        "{db1_at10} → {db1_at20}"
    );
    sim.run_until(30 * SECOND);
    let s30 = sim.snapshot();
    // 20..30 s: the master serves reads and writes.
    let db1_at30 = node(&s30, "db-1").served;
    assert!((db1_at30 - db1_at20).abs_diff(20_000) < 700, "{db1_at30}");
    // Only requests caught inside a dying replica failed.
    assert!(s30.errors.total() < 50, "{:?}", s30.errors);
}

#[test]
fn a_recovered_master_rejoins_as_a_replica_and_catches_up() {
    let setup = Setup {
        faults: format!(
            r#"{KILL_MASTER_AT_20}, {{"at_s": 35, "action": "restart", "target": "db-1"}}"#
        ),
        ..Setup::default()
    };
    let (sim, s) = setup.run(45);
    assert!(logged(&sim, "db-1", |e| matches!(
        e,
        LogEvent::Rejoined { master: 4 }
    )));
    let db1 = node(&s, "db-1");
    assert_eq!(db1.role, Some(DbRole::Replica));
    assert!(db1.up && db1.behind_s < 0.1, "{db1:?}");
    assert_eq!(node(&s, "db-3").role, Some(DbRole::Master));
}

#[test]
fn manual_failover_waits_for_the_operator() {
    let setup = Setup {
        master: r#""failover": "manual""#.into(),
        faults: format!(
            r#"{KILL_MASTER_AT_20}, {{"at_s": 50, "action": "promote", "target": "db-2"}}"#
        ),
        ..Setup::default()
    };
    let (sim, s) = setup.run(60);
    let series = sim.series();
    // Without an operator, writes fail long past the 10 s detection delay.
    assert!(series[45].error_rate > 0.4, "{:?}", series[45]);
    assert!(series[55].error_rate < 0.01, "{:?}", series[55]);
    assert_eq!(node(&s, "db-2").role, Some(DbRole::Master));
    // db-2 was 100 ms behind: it lost about 100 writes.
    assert!(
        (60..=140).contains(&s.data.lost_writes),
        "{}",
        s.data.lost_writes
    );
}

#[test]
fn promoting_a_replica_whose_master_lives_is_refused() {
    let setup = Setup {
        faults: r#"{"at_s": 5, "action": "promote", "target": "db-2"}"#.into(),
        ..Setup::default()
    };
    let (sim, s) = setup.run(10);
    assert!(logged(&sim, "db-2", |e| *e == LogEvent::PromotionRefused));
    assert_eq!(node(&s, "db-1").role, Some(DbRole::Master));
    assert_eq!(s.errors.total(), 0);
}

#[test]
fn same_seed_same_replication_history() {
    let setup = Setup {
        faults: KILL_MASTER_AT_20.into(),
        ..Setup::default()
    };
    let (_, a) = setup.run(30);
    let (_, b) = setup.run(30);
    assert_eq!(a, b);
}

#[test]
fn replication_wiring_problems_are_explained() {
    let check = |nodes: &str, edges: &str| -> Vec<ProblemKind> {
        let json = format!(
            r#"{{"version": 1, "nodes": [{{"id": "users-1", "kind": "users"}},
               {{"id": "web-1", "kind": "web_server"}}, {nodes}],
               "edges": [{{"from": "users-1", "to": "web-1"}}, {edges}]}}"#
        );
        match DesignDoc::from_json(&json).unwrap().validate() {
            Ok(_) => Vec::new(),
            Err(p) => p.0.into_iter().map(|p| p.kind).collect(),
        }
    };
    let replica = |id: &str| {
        format!(r#"{{"id": "{id}", "kind": "database", "params": {{"role": "replica"}}}}"#)
    };
    let master = |id: &str| format!(r#"{{"id": "{id}", "kind": "database"}}"#);
    let orphan = check(&replica("db-2"), r#"{"from": "web-1", "to": "db-2"}"#);
    assert!(
        orphan.contains(&ProblemKind::ReplicaWithoutMaster),
        "{orphan:?}"
    );
    let chain = check(
        &format!(
            "{}, {}, {}",
            master("db-1"),
            replica("db-2"),
            replica("db-3")
        ),
        r#"{"from": "web-1", "to": "db-1"}, {"from": "db-1", "to": "db-2"}, {"from": "db-2", "to": "db-3"}"#,
    );
    assert!(
        chain.contains(&ProblemKind::ReplicationFromReplica),
        "{chain:?}"
    );
    let into_master = check(
        &format!("{}, {}", master("db-1"), master("db-2")),
        r#"{"from": "web-1", "to": "db-1"}, {"from": "db-1", "to": "db-2"}"#,
    );
    assert!(
        into_master.contains(&ProblemKind::ReplicationIntoMaster),
        "{into_master:?}"
    );
    let two = check(
        &format!(
            "{}, {}, {}",
            master("db-1"),
            master("db-3"),
            replica("db-2")
        ),
        r#"{"from": "web-1", "to": "db-1"}, {"from": "web-1", "to": "db-3"}, {"from": "db-1", "to": "db-2"}, {"from": "db-3", "to": "db-2"}"#,
    );
    assert!(
        two.iter()
            .any(|k| matches!(k, ProblemKind::TwoMasters { masters } if masters.len() == 2)),
        "{two:?}"
    );
    let fine = check(
        &format!("{}, {}", master("db-1"), replica("db-2")),
        r#"{"from": "web-1", "to": "db-1"}, {"from": "db-1", "to": "db-2"}, {"from": "web-1", "to": "db-2"}"#,
    );
    assert!(fine.is_empty(), "{fine:?}");
}

/// `doc` with `new_master` made the master and every other database its
/// replica (the old master included), as a user does on the canvas while
/// the design runs: roles switched and the replication connections redrawn.
fn switch_master(doc: &DesignDoc, new_master: &str) -> scalesim::design::Design {
    use scalesim::{EdgeDoc, Kind, ParamValue};
    let mut doc = doc.clone();
    let dbs: Vec<String> = doc
        .nodes
        .iter()
        .filter(|n| n.kind == Kind::Database)
        .map(|n| n.id.clone())
        .collect();
    for n in doc.nodes.iter_mut().filter(|n| n.kind == Kind::Database) {
        let role = if n.id == new_master {
            "master"
        } else {
            "replica"
        };
        n.params
            .insert("role".into(), ParamValue::Text(role.into()));
    }
    doc.edges
        .retain(|e| !(dbs.contains(&e.from) && dbs.contains(&e.to)));
    for db in dbs.iter().filter(|d| *d != new_master) {
        doc.edges.push(EdgeDoc::new(new_master, db.clone()));
    }
    doc.validate().unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn a_role_change_while_running_is_a_patch_that_keeps_the_clock_and_loses_the_lag_window() {
    // At 10 s the user makes a replica the master by hand while db-1 still
    // runs: the run goes on (same clock, same figures), and the
    // acknowledged writes of the new master's lag window are lost, as in a
    // failover. The 100 ms replica loses about five times what the 20 ms
    // one does.
    let setup = Setup::default();
    let mut lost = Vec::new();
    for new_master in ["db-3", "db-2"] {
        let (mut sim, before) = setup.run(10);
        assert!(sim.patch(&switch_master(&setup.doc(), new_master)));
        assert_eq!(sim.now(), 10 * SECOND, "the clock carries on");
        sim.run_until(20 * SECOND);
        let s = sim.snapshot();
        assert!(s.arrivals > before.arrivals + 15_000, "figures carry on");
        assert_eq!(node(&s, new_master).role, Some(DbRole::Master));
        assert_eq!(node(&s, "db-1").role, Some(DbRole::Replica));
        assert!(logged(&sim, new_master, |e| matches!(
            e,
            LogEvent::Promoted { old_master: 2 }
        )));
        assert!(logged(&sim, "db-1", |e| matches!(
            e,
            LogEvent::Rejoined { .. }
        )));
        // Writes go on at the new master, with nothing refused.
        let writes: f64 = sim.series()[12..20]
            .iter()
            .map(|p| p.throughput_rps)
            .sum::<f64>()
            / 8.0;
        assert!(writes > 1_900.0, "{writes}");
        // Only the writes already on their way to db-1 when it stopped
        // being the master are refused, as a read-only server refuses them.
        assert_eq!(s.errors.total(), s.errors[ErrorCause::NoMaster]);
        assert!(s.errors.total() < 50, "{:?}", s.errors);
        assert_eq!(s.in_flight + s.completed + s.errors.total(), s.arrivals);
        lost.push(s.data.lost_writes);
    }
    let (fast, slow) = (lost[0], lost[1]);
    assert!(
        (8..=35).contains(&fast),
        "lost {fast} switching to the 20 ms replica"
    );
    assert!(
        (60..=140).contains(&slow),
        "lost {slow} switching to the 100 ms replica"
    );
}

#[test]
fn an_edit_elsewhere_leaves_replication_alone() {
    // A parameter of the web server changes while db-2 is 100 ms behind:
    // the group is not re-formed (no rejoin, no loss), the lag stays.
    let setup = Setup::default();
    let (mut sim, _) = setup.run(10);
    let mut doc = setup.doc();
    doc.nodes[1]
        .params
        .insert("service_ms".into(), scalesim::ParamValue::Number(2.0));
    assert!(sim.patch(&doc.validate().unwrap()));
    sim.run_until(12 * SECOND);
    let s = sim.snapshot();
    assert!(!logged(&sim, "db-2", |e| matches!(
        e,
        LogEvent::Rejoined { .. }
    )));
    assert_eq!(s.data.lost_writes, 0);
    assert!(
        node(&s, "db-2").behind_s > 0.05,
        "{}",
        node(&s, "db-2").behind_s
    );
}

/// A request's record is drawn when it is sent. Drawn from a popularity
/// table, it is read from the table only when something needs it; an edit
/// of the data set while requests are on their way must not change the
/// records they were sent for (nor what a clicked dot's route says).
#[test]
fn an_edit_of_the_data_set_keeps_the_records_of_requests_on_their_way() {
    let design = |keys: u32| {
        let json = format!(
            r#"{{"version": 1, "seed": 5, "nodes": [
                {{"id": "users-1", "kind": "users", "params": {{"rate_rps": 400,
                  "static_pct": 0, "write_pct": 0, "keys": {keys}, "key_dist": "zipf",
                  "network_ms": 200}}}},
                {{"id": "web-1", "kind": "web_server", "params": {{"size": "4xlarge"}}}},
                {{"id": "db-1", "kind": "database", "params": {{"size": "4xlarge"}}}}],
              "edges": [{{"from": "users-1", "to": "web-1"}}, {{"from": "web-1", "to": "db-1"}}]}}"#
        );
        DesignDoc::from_json(&json)
            .unwrap_or_else(|e| panic!("{e}\n{json}"))
            .validate()
            .unwrap()
    };
    let mut sim = Simulation::new(&design(100_000));
    sim.run_until(5 * SECOND);
    let mut dots = Vec::new();
    sim.sample_in_flight(10_000, &mut dots);
    // Requests still on their way to web-1: nothing has read their record.
    let before: Vec<(u32, u64, u32)> = dots
        .iter()
        .filter_map(|d| {
            let j = sim.journey_of(d.request, d.sent)?;
            j.hops.is_empty().then_some((d.request, d.sent, j.key))
        })
        .collect();
    assert!(before.len() > 20, "requests on their way: {}", before.len());
    assert!(
        before.iter().any(|&(_, _, key)| key >= 10),
        "records past the tenth are drawn: {before:?}"
    );
    assert!(sim.patch(&design(10)));
    for &(req, sent, key) in &before {
        let j = sim.journey_of(req, sent).expect("still on its way");
        assert_eq!(j.key, key, "request {req} keeps the record it was sent for");
    }
    // New requests draw from the edited data set.
    sim.run_until(10 * SECOND);
    let new: Vec<u32> = sim
        .journeys()
        .filter(|j| j.created > 5 * SECOND)
        .map(|j| j.key)
        .collect();
    assert!(!new.is_empty() && new.iter().all(|&k| k < 10), "{new:?}");
}
