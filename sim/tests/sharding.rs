//! Sharding through a shard router: records are routed by key, every shard
//! is a master/replica group, a celebrity record overloads one shard while
//! the others idle, and one shard's failover leaves the others alone.

use scalesim::model::ErrorCause;
use scalesim::model::{DbRole, Snapshot};
use scalesim::time::SECOND;
use scalesim::{DesignDoc, ProblemKind, Simulation};

/// users-1 → web-1 → router-1 → db-1..db-4 (masters); with `replica`,
/// db-1 → db-5 (a replica of shard 1).
fn design(users: &str, router: &str, db: &str, faults: &str, replica: bool) -> DesignDoc {
    let masters: Vec<String> = (1..=4)
        .map(|i| format!(r#"{{"id": "db-{i}", "kind": "database", "params": {{{db}}}}}"#))
        .collect();
    let edges: Vec<String> = (1..=4)
        .map(|i| format!(r#"{{"from": "router-1", "to": "db-{i}"}}"#))
        .collect();
    let json = format!(
        r#"{{"version": 1, "seed": 12,
          "nodes": [
            {{"id": "users-1", "kind": "users", "params": {{"static_pct": 0, "population": 100000, {users}}}}},
            {{"id": "web-1", "kind": "web_server", "params": {{"size": "4xlarge", "service_ms": 1}}}},
            {{"id": "router-1", "kind": "shard_router", "params": {{{router}}}}},
            {masters}{replica_node}],
          "edges": [{{"from": "users-1", "to": "web-1"}}, {{"from": "web-1", "to": "router-1"}},
                    {edges}{replica_edge}],
          "faults": [{faults}]}}"#,
        masters = masters.join(", "),
        edges = edges.join(", "),
        replica_node = if replica {
            r#", {"id": "db-5", "kind": "database", "params": {"role": "replica"}}"#
        } else {
            ""
        },
        replica_edge = if replica {
            r#", {"from": "db-1", "to": "db-5"}"#
        } else {
            ""
        },
    );
    DesignDoc::from_json(&json).unwrap_or_else(|e| panic!("{e}\n{json}"))
}

fn run(doc: &DesignDoc, seconds: u64) -> (Simulation, Snapshot) {
    let mut sim = Simulation::from_doc(doc).unwrap_or_else(|e| panic!("{e}"));
    sim.run_until(seconds * SECOND);
    let s = sim.snapshot();
    (sim, s)
}

fn node<'a>(s: &'a Snapshot, id: &str) -> &'a scalesim::model::NodeSnapshot {
    s.nodes.iter().find(|n| n.id == id).expect("node exists")
}

#[test]
fn records_spread_over_the_shards_by_key() {
    for (strategy, tolerance) in [("modulo", 0.03), ("consistent", 0.15)] {
        let doc = design(
            r#""rate_rps": 400, "key_dist": "uniform", "keys": 1000000"#,
            &format!(r#""strategy": "{strategy}", "vnodes": 200"#),
            "",
            "",
            false,
        );
        let (_, s) = run(&doc, 60);
        let shards = &node(&s, "router-1").shard_queries;
        assert_eq!(shards.len(), 4);
        let total: u64 = shards.iter().sum();
        assert!(total > 20_000);
        for &q in shards {
            let share = q as f64 / total as f64;
            assert!(
                (share - 0.25).abs() < 0.25 * tolerance,
                "{strategy}: {shards:?}"
            );
        }
        assert_eq!(s.errors.total(), 0, "{:?}", s.errors);
    }
}

#[test]
fn a_celebrity_record_melts_one_shard_while_the_others_idle() {
    // Half of all requests read or write one record: its shard gets
    // 1 000 req/s on a medium master (4 vCPUs × 200 q/s = 800 q/s).
    let doc = design(
        r#""rate_rps": 2000, "key_dist": "hot_set", "keys": 1000000, "hot_keys_pct": 0.0001,
           "hot_traffic_pct": 50"#,
        r#""strategy": "consistent""#,
        r#""size": "medium", "service_ms": 5, "write_ms": 5, "service_dist": "constant""#,
        "",
        false,
    );
    let (_, s) = run(&doc, 30);
    let shards = &node(&s, "router-1").shard_queries;
    let hot = (0..4).max_by_key(|&i| shards[i]).unwrap();
    let util: Vec<f64> = (1..=4)
        .map(|i| node(&s, &format!("db-{i}")).utilization)
        .collect();
    assert!(util[hot] > 0.95, "{util:?} {shards:?}");
    for (i, u) in util.iter().enumerate() {
        if i != hot {
            assert!(*u < 0.35, "the others idle: {util:?}");
        }
    }
    // The hot shard's queue overflows: its users see errors, the others'
    // do not.
    assert!(s.errors[ErrorCause::QueueFull] > 1_000, "{:?}", s.errors);
}

#[test]
fn each_shard_is_a_replication_group_and_fails_over_alone() {
    let doc = design(
        r#""rate_rps": 400, "key_dist": "uniform", "keys": 1000000, "write_pct": 20"#,
        r#""strategy": "modulo""#,
        "",
        r#"{"at_s": 10, "action": "kill", "target": "db-1"}"#,
        true,
    );
    let (sim, s) = run(&doc, 40);
    // Shard 1's reads went to its replica until it was promoted.
    assert!(node(&s, "db-5").served > 1_000);
    assert_eq!(node(&s, "db-5").role, Some(DbRole::Master));
    // Only shard 1's writes failed, and only during detection (10 s):
    // a quarter of 80 writes/s for 10 s ≈ 200, plus reads in flight.
    let failed = s.errors.total();
    assert!((150..=400).contains(&failed), "{:?}", s.errors);
    let series = sim.series();
    assert!(series[15].error_rate < 0.1, "{:?}", series[15]);
    assert!(series[35].error_rate == 0.0, "{:?}", series[35]);
}

#[test]
fn a_router_names_masters_only() {
    let doc = DesignDoc::from_json(
        r#"{"version": 1, "nodes": [
            {"id": "users-1", "kind": "users"}, {"id": "web-1", "kind": "web_server"},
            {"id": "router-1", "kind": "shard_router"},
            {"id": "db-1", "kind": "database"},
            {"id": "db-2", "kind": "database", "params": {"role": "replica"}}],
          "edges": [{"from": "users-1", "to": "web-1"}, {"from": "web-1", "to": "router-1"},
                    {"from": "router-1", "to": "db-1"}, {"from": "router-1", "to": "db-2"},
                    {"from": "db-1", "to": "db-2"}]}"#,
    )
    .unwrap();
    let problems = doc.validate().unwrap_err();
    assert!(
        problems
            .0
            .iter()
            .any(|p| p.kind == ProblemKind::RouterToReplica && p.location == "router-1 → db-2"),
        "{problems}"
    );
}

#[test]
fn a_cross_shard_read_waits_for_the_slowest_shard_as_the_maximum_of_n_predicts() {
    // Four shards, each read 10 ms exponential with no queueing. A join
    // waits for the slowest of four: E[max] = H₄ · 10 ms = 20.83 ms, so it
    // takes (H₄ − 1) · 10 = 10.83 ms longer than a one-shard read (±0.5 ms:
    // ~30 000 reads give a standard error near 0.07 ms).
    let users = r#""rate_rps": 50, "write_pct": 0, "key_dist": "uniform", "keys": 100000"#;
    let db = r#""size": "4xlarge", "service_ms": 10, "service_dist": "exponential""#;
    let (_, plain) = run(&design(users, "", db, "", false), 600);
    let (_, joined) = run(&design(users, r#""join_pct": 100"#, db, "", false), 600);
    let extra = joined.read_latency_ms.mean - plain.read_latency_ms.mean;
    let h4 = 1.0 + 1.0 / 2.0 + 1.0 / 3.0 + 1.0 / 4.0;
    assert!((extra - (h4 - 1.0) * 10.0).abs() < 0.5, "{extra}");
    // Every shard saw every read.
    let reads = joined.completed as f64;
    for q in &node(&joined, "router-1").shard_queries {
        assert!((*q as f64 / reads - 1.0).abs() < 0.01, "{q} vs {reads}");
    }
    assert!(
        joined.data.stale_reads == 0,
        "each shard answers for its own records"
    );
}

#[test]
fn denormalizing_takes_the_fan_out_from_reads_and_puts_it_on_writes() {
    // One slow shard (×5). Fanned-out reads all wait for it; denormalized
    // reads only when their record lives there (a quarter), but a write of a
    // record with copies waits for every shard.
    let users = r#""rate_rps": 50, "write_pct": 20, "key_dist": "uniform", "keys": 100000,
        "network_ms": 0"#;
    let db = r#""size": "4xlarge", "service_ms": 10, "write_ms": 10, "service_dist": "constant""#;
    let slow = r#"{"at_s": 0, "action": "slow", "target": "db-4", "factor": 5}"#;
    let (_, fan) = run(&design(users, r#""join_pct": 100"#, db, slow, false), 300);
    let (_, denorm) = run(
        &design(
            users,
            r#""join_pct": 100, "joins": "denormalized""#,
            db,
            slow,
            false,
        ),
        300,
    );
    assert!(fan.read_latency_ms.p50 > 50.0, "{:?}", fan.read_latency_ms);
    assert!(
        denorm.read_latency_ms.p50 < 20.0,
        "{:?}",
        denorm.read_latency_ms
    );
    assert!(
        denorm.read_latency_ms.p95 > 50.0,
        "the quarter on the slow shard"
    );
    assert!(
        denorm.write_latency_ms.p50 > 50.0,
        "{:?}",
        denorm.write_latency_ms
    );
    assert!(
        fan.write_latency_ms.p50 < 20.0,
        "{:?}",
        fan.write_latency_ms
    );
}

/// `n` masters behind router-1, with `router` params.
fn shards(n: usize, users: &str, router: &str) -> DesignDoc {
    let mut doc = design(users, router, r#""size": "xlarge""#, "", false);
    for i in 5..=n {
        let mut db = doc.nodes.iter().find(|d| d.id == "db-1").unwrap().clone();
        db.id = format!("db-{i}");
        doc.nodes.push(db);
        doc.edges
            .push(scalesim::EdgeDoc::new("router-1", format!("db-{i}")));
    }
    doc
}

#[test]
fn adding_a_shard_under_traffic_moves_only_the_records_that_change_shard_and_every_read_stays_correct()
 {
    use scalesim::sharding::{Strategy, keys_moved};
    // 10 000 records, 30 % writes at 300 req/s: by 60 s most records have
    // been written, so a read from a shard that lacks the record would be
    // stale.
    let users = r#""rate_rps": 300, "write_pct": 30, "key_dist": "uniform", "keys": 10000"#;
    let names = |n: usize| (1..=n).map(|i| format!("db-{i}")).collect::<Vec<_>>();
    for (strategy, rate) in [("consistent", 500.0), ("modulo", 2000.0)] {
        let router = format!(r#""strategy": "{strategy}", "migrate_keys_per_s": {rate}"#);
        let mut sim = Simulation::from_doc(&shards(4, users, &router)).unwrap();
        sim.run_until(60 * SECOND);
        let before = sim.snapshot();
        assert_eq!(before.data.stale_reads, 0);
        let five = shards(5, users, &router).validate().unwrap();
        assert!(
            sim.patch(&five),
            "adding a shard edits the running simulation"
        );
        sim.reset_measurements();

        let expected = keys_moved(
            Strategy::from_name(strategy).unwrap(),
            &names(4),
            &names(5),
            10_000,
            100,
        );
        let r = node(&sim.snapshot(), "router-1")
            .reshard
            .expect("resharding");
        assert_eq!(r.moving, expected, "{strategy}");
        let duration = expected as f64 / rate;
        sim.run_until(60 * SECOND + ((duration + 5.0) * 1e9) as u64);
        let s = sim.snapshot();
        let r = node(&s, "router-1").reshard.unwrap();
        assert!(r.done && r.moved == expected, "{strategy}: {r:?}");
        // It takes as long as the bandwidth says (100 ms steps).
        assert!(
            (r.finished_s - r.started_s - duration).abs() < 0.3,
            "{strategy}: {r:?} vs {duration} s"
        );
        // Reads and writes of moving records stayed correct.
        assert_eq!(s.errors.total(), 0, "{strategy}: {:?}", s.errors);
        assert_eq!(s.data.stale_reads, 0, "{strategy}");
        assert_eq!(s.data.lost_writes, 0, "{strategy}");
        // Afterwards the new shard takes its share.
        sim.reset_measurements();
        sim.run_until(sim.now() + 60 * SECOND);
        let s = sim.snapshot();
        let q = &node(&s, "router-1").shard_queries;
        let share = q[4] as f64 / q.iter().sum::<u64>() as f64;
        assert!((share - 0.2).abs() < 0.06, "{strategy}: {q:?}");
        assert_eq!(s.data.stale_reads, 0, "{strategy}");
    }
    // Consistent hashing moved about a fifth, modulo about four fifths.
    let c = keys_moved(Strategy::Consistent, &names(4), &names(5), 10_000, 100);
    let m = keys_moved(Strategy::Modulo, &names(4), &names(5), 10_000, 100);
    assert!(c < 3_000 && m > 7_500, "{c} {m}");
}

#[test]
fn removing_a_shard_moves_its_records_to_the_others_first() {
    let users = r#""rate_rps": 300, "write_pct": 30, "key_dist": "uniform", "keys": 10000"#;
    let router = r#""migrate_keys_per_s": 1000"#;
    let mut sim = Simulation::from_doc(&shards(5, users, router)).unwrap();
    sim.run_until(60 * SECOND);
    let mut four = shards(5, users, router);
    four.nodes.retain(|n| n.id != "db-5");
    four.edges.retain(|e| e.to != "db-5");
    assert!(sim.patch(&four.validate().unwrap()));
    sim.reset_measurements();
    sim.run_until(90 * SECOND);
    let s = sim.snapshot();
    let r = node(&s, "router-1").reshard.unwrap();
    assert!(r.done && r.moved > 1_000, "{r:?}");
    assert_eq!(s.data.stale_reads, 0);
    assert_eq!(s.errors.total(), 0, "{:?}", s.errors);
}

/// A shard scheduled to join: the design holds db-5, unconnected, and a
/// `connect` event at 30 s.
fn joining(router: &str) -> DesignDoc {
    let users = r#""rate_rps": 300, "write_pct": 30, "key_dist": "uniform", "keys": 10000"#;
    let mut doc = shards(5, users, router);
    doc.edges.retain(|e| e.to != "db-5");
    doc.faults = serde_json::from_str(
        r#"[{"at_s": 30, "action": "connect", "from": "router-1", "to": "db-5"}]"#,
    )
    .unwrap();
    doc
}

#[test]
fn a_scheduled_connection_adds_the_shard_at_its_time_and_survives_live_edits() {
    let doc = joining(r#""strategy": "consistent", "migrate_keys_per_s": 1000"#);
    // Not unreachable: the timeline connects it.
    let design = doc.validate().unwrap();
    assert!(design.warnings.iter().all(|w| w.location != "db-5"));
    let mut sim = Simulation::from_doc(&doc).unwrap();
    sim.run_until(29 * SECOND);
    assert_eq!(node(&sim.snapshot(), "router-1").shard_queries.len(), 4);
    sim.run_until(31 * SECOND);
    let s = sim.snapshot();
    let r = node(&s, "router-1")
        .reshard
        .expect("resharding started at 30 s");
    assert!((r.started_s - 30.0).abs() < 1e-6, "{r:?}");
    assert!(
        sim.log()
            .any(|e| matches!(e.event, scalesim::model::LogEvent::Connected { .. }))
    );
    // A live edit afterwards (the same design, a new rate) keeps db-5.
    let mut edited = doc.clone();
    let users = edited.nodes.iter_mut().find(|n| n.id == "users-1").unwrap();
    users
        .params
        .insert("rate_rps".into(), scalesim::ParamValue::Number(200.0));
    assert!(sim.patch(&edited.validate().unwrap()));
    sim.run_until(60 * SECOND);
    let s = sim.snapshot();
    let router = node(&s, "router-1");
    assert_eq!(router.shard_queries.len(), 5);
    assert!(router.reshard.unwrap().done);
    assert_eq!(
        (s.errors.total(), s.data.stale_reads, s.data.lost_writes),
        (0, 0, 0)
    );
}

#[test]
fn a_scheduled_connection_that_cannot_be_made_is_refused_with_why() {
    let mut doc = joining(r#""strategy": "modulo""#);
    let bad = |doc: &DesignDoc| doc.validate().unwrap_err().to_string();
    doc.faults[0].action = scalesim::design::FaultAction::Connect {
        from: "db-5".into(),
        to: "router-1".into(),
    };
    assert!(
        bad(&doc).contains("cannot send requests to a Shard router"),
        "{}",
        bad(&doc)
    );
    doc.faults[0].action = scalesim::design::FaultAction::Connect {
        from: "router-1".into(),
        to: "db-1".into(),
    };
    assert!(bad(&doc).contains("already connected"));
    doc.faults[0].action = scalesim::design::FaultAction::Connect {
        from: "router-1".into(),
        to: "db-9".into(),
    };
    assert!(bad(&doc).contains("there is no node 'db-9'"));
}
