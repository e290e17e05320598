//! Sharding through a shard router: records are routed by key, every shard
//! is a master/replica group, a celebrity record overloads one shard while
//! the others idle, and one shard's failover leaves the others alone.

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
    assert!(s.errors.queue_full > 1_000, "{:?}", s.errors);
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
