//! A rate limiter is a token bucket: it lets `rate_rps` through after a
//! `burst`, refuses the rest at once as throttled, and so keeps a spike
//! from reaching the database (scenarios/rate-limiter-spike.json).

use scalesim::model::{ErrorCause, LogEvent};
use scalesim::time::SECOND;
use scalesim::{DesignDoc, Simulation, Snapshot};
use serde_json::Value;

fn spike_example() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../scenarios/rate-limiter-spike.json"
    );
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The same design with the limiter taken out: users straight to the load
/// balancer.
fn without_limiter(mut v: Value) -> Value {
    let nodes = v["nodes"].as_array_mut().unwrap();
    nodes.retain(|n| n["kind"] != "rate_limiter");
    let edges = v["edges"].as_array_mut().unwrap();
    edges.retain(|e| e["from"] != "limiter-1" && e["to"] != "limiter-1");
    edges.push(serde_json::json!({"from": "users-1", "to": "lb-1"}));
    v
}

/// Runs to `from` s, then measures up to `to` s.
fn measure(v: &Value, from: u64, to: u64) -> (Snapshot, Simulation) {
    let doc = DesignDoc::from_json(&v.to_string()).unwrap();
    let mut sim = Simulation::from_doc(&doc).unwrap();
    sim.run_until(from * SECOND);
    sim.reset_measurements();
    sim.run_until(to * SECOND);
    (sim.snapshot(), sim)
}

fn node<'a>(s: &'a Snapshot, id: &str) -> &'a scalesim::model::NodeSnapshot {
    s.nodes.iter().find(|n| n.id == id).unwrap()
}

#[test]
fn a_rate_limiter_shields_the_database_during_a_spike() {
    let example = spike_example();
    // Before the spike (200 req/s, under the 400 req/s rate) nothing is
    // throttled.
    let (calm, _) = measure(&example, 5, 20);
    assert_eq!(calm.errors[ErrorCause::Throttled], 0);
    assert_eq!(node(&calm, "limiter-1").dropped, 0);

    // During the spike (×5 for 20 s) the limiter refuses the excess at
    // once; the database stays below saturation and answers stay fast.
    let (limited, sim) = measure(&example, 20, 40);
    let limiter = node(&limited, "limiter-1");
    assert!(
        limited.errors[ErrorCause::Throttled] > 5_000,
        "{:?}",
        limited.errors
    );
    // Refused at the limiter, counted when the refusal reaches the user:
    // the difference is the refusals still on their way back.
    let (refused, counted) = (limiter.dropped, limited.errors[ErrorCause::Throttled]);
    assert!(
        refused >= counted && refused - counted <= limited.in_flight,
        "{refused} refused, {counted} counted"
    );
    // The bucket lets about its rate through: 400/s over 20 s, plus the
    // burst it held when the spike began.
    let through = limiter.served as f64 / 20.0;
    assert!(
        (390.0..=420.0).contains(&through),
        "let through {through}/s"
    );
    let db = node(&limited, "db-1");
    assert!(db.utilization < 0.95, "database busy {}", db.utilization);
    // Throttling is logged where it happens.
    let limiter_index = sim
        .node_ids()
        .iter()
        .position(|i| i == "limiter-1")
        .unwrap() as u32;
    assert!(sim.log().any(|e| e.node == limiter_index
        && matches!(
            e.event,
            LogEvent::FailuresStarted {
                cause: ErrorCause::Throttled,
                ..
            }
        )));

    // Without it the spike reaches the database: saturated, queues full,
    // and every answer slow.
    let (open, _) = measure(&without_limiter(example), 20, 40);
    let db_open = node(&open, "db-1");
    assert!(
        db_open.utilization > 0.98,
        "database busy {}",
        db_open.utilization
    );
    assert!(
        open.errors[ErrorCause::QueueFull] > 1_000,
        "{:?}",
        open.errors
    );
    assert!(
        limited.latency_ms.p95 * 2.0 < open.latency_ms.p95,
        "p95 {} ms with the limiter, {} ms without",
        limited.latency_ms.p95,
        open.latency_ms.p95
    );
}

#[test]
fn the_bucket_lets_a_burst_through_then_the_rate() {
    let doc = DesignDoc::from_json(
        r#"{"version": 1, "seed": 3, "nodes": [
          {"id": "users-1", "kind": "users", "params": {"rate_rps": 1000}},
          {"id": "limiter-1", "kind": "rate_limiter", "params": {"rate_rps": 100, "burst": 50}},
          {"id": "web-1", "kind": "web_server", "params": {"size": "4xlarge"}},
          {"id": "db-1", "kind": "database", "params": {"size": "4xlarge"}}],
          "edges": [{"from": "users-1", "to": "limiter-1"}, {"from": "limiter-1", "to": "web-1"},
                    {"from": "web-1", "to": "db-1"}]}"#,
    )
    .unwrap();
    let mut sim = Simulation::from_doc(&doc).unwrap();
    sim.run_until(SECOND);
    let first = node(&sim.snapshot(), "limiter-1").served;
    // The full bucket (50) and a second of refill (100), give or take
    // the first request's arrival time.
    assert!((140..=151).contains(&first), "first second {first}");
    sim.run_until(11 * SECOND);
    let later = node(&sim.snapshot(), "limiter-1").served - first;
    assert!((990..=1010).contains(&later), "next ten seconds {later}");
    let s = sim.snapshot();
    assert_eq!(
        s.errors.total(),
        s.errors[ErrorCause::Throttled],
        "every failure is a throttled request"
    );
}
