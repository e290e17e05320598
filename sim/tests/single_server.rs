//! Whole-run behaviour of the smallest design: Users → Web server (→ Database).
//!
//! ```text
//!   users-1 ──► web-1 ──► db-1
//! ```

use scalesim::model::ErrorCause;
use scalesim::time::SECOND;
use scalesim::{DesignDoc, Simulation, Snapshot};

/// Instance size with `workers` vCPUs.
fn size(workers: u32) -> &'static str {
    scalesim::catalog::SIZES
        .iter()
        .find(|s| s.vcpus == workers)
        .expect("a size with that many vCPUs")
        .name
}

fn design(rate_rps: f64, workers: u32, service_ms: f64, queue: u32, seed: u64) -> DesignDoc {
    let size = size(workers);
    DesignDoc::from_json(&format!(
        r#"{{
          "version": 1, "seed": {seed},
          "nodes": [
            {{"id": "users-1", "kind": "users", "params": {{"rate_rps": {rate_rps}, "static_pct": 0}}}},
            {{"id": "web-1", "kind": "web_server", "params": {{
              "size": "{size}", "service_ms": {service_ms}, "queue_capacity": {queue}}}}}
          ],
          "edges": [{{"from": "users-1", "to": "web-1"}}]
        }}"#
    ))
    .expect("test design parses")
}

fn run(doc: &DesignDoc, seconds: u64) -> Snapshot {
    let mut sim = Simulation::from_doc(doc).expect("test design is valid");
    sim.run_until(seconds * SECOND);
    sim.snapshot()
}

#[test]
fn same_seed_gives_identical_results_and_another_seed_differs() {
    let a = run(&design(200.0, 2, 8.0, 20, 42), 30);
    let b = run(&design(200.0, 2, 8.0, 20, 42), 30);
    let c = run(&design(200.0, 2, 8.0, 20, 43), 30);
    assert_eq!(a, b, "same design and seed must replay exactly");
    assert_ne!(
        a.completed, c.completed,
        "a different seed must change the run"
    );
    assert_ne!(a.latency_ms, c.latency_ms);
}

#[test]
fn below_saturation_throughput_matches_offered_load_without_drops() {
    // 4 workers × 10 ms = 400 req/s capacity; offer 200 req/s (ρ = 0.5).
    let s = run(&design(200.0, 4, 10.0, 100, 1), 200);
    // Poisson count over 200 s: sd = √40000 = 200 requests = 1 req/s; 2 %
    // of 200 req/s is 4 sd.
    assert!(
        (s.throughput_rps - 200.0).abs() < 4.0,
        "throughput {}",
        s.throughput_rps
    );
    assert_eq!(s.errors.total(), 0);
    let web = &s.nodes[1];
    assert!(
        (web.utilization - 0.5).abs() < 0.02,
        "utilization {}",
        web.utilization
    );
    // Latency includes two 25 ms internet hops.
    assert!(
        s.latency_ms.p50 > 50.0 && s.latency_ms.p50 < 80.0,
        "{:?}",
        s.latency_ms
    );
}

#[test]
fn above_saturation_the_queue_overflows_and_drops_count_as_errors() {
    // Capacity 400 req/s, offered 800 req/s: about half must be rejected.
    let s = run(&design(800.0, 4, 10.0, 50, 1), 60);
    let web = &s.nodes[1];
    assert!(web.dropped > 0);
    // Users count an error when the rejection reaches them, one internet
    // hop after the server counted the drop: the difference is in flight.
    assert!(s.errors[ErrorCause::QueueFull] <= web.dropped);
    assert!(web.dropped - s.errors[ErrorCause::QueueFull] <= s.in_flight);
    assert!(s.errors[ErrorCause::QueueFull] > web.dropped * 99 / 100);
    assert!(
        (s.throughput_rps - 400.0).abs() < 12.0,
        "served throughput is capped at capacity: {}",
        s.throughput_rps
    );
    assert!(
        (s.error_rate - 0.5).abs() < 0.03,
        "error rate {}",
        s.error_rate
    );
    assert!(web.utilization > 0.98, "saturated: {}", web.utilization);
    assert!(
        web.mean_queue > 40.0,
        "queue stays near full: {}",
        web.mean_queue
    );
}

#[test]
fn a_database_behind_the_web_server_adds_its_time_and_holds_the_worker() {
    let mut doc = design(50.0, 4, 10.0, 100, 5);
    doc.nodes.push(scalesim::NodeDoc {
        id: "db-1".into(),
        kind: scalesim::Kind::Database,
        x: 0.0,
        y: 0.0,
        // Writes take as long as reads here, so every query is 5 ms.
        params: [
            (
                "service_dist".to_string(),
                scalesim::ParamValue::Text("constant".into()),
            ),
            ("write_ms".to_string(), scalesim::ParamValue::Number(5.0)),
        ]
        .into_iter()
        .collect(),
    });
    doc.edges.push(scalesim::EdgeDoc::new("web-1", "db-1"));
    let with_db = run(&doc, 100);
    let without = run(&design(50.0, 4, 10.0, 100, 5), 100);
    let db = &with_db.nodes[2];
    assert_eq!(db.served, with_db.nodes[1].served, "one query per page");
    // DB adds 5 ms of query plus two 0.5 ms hops to the mean.
    let added = with_db.latency_ms.mean - without.latency_ms.mean;
    assert!((added - 6.0).abs() < 0.3, "added {added} ms");
    // The web worker is held during the query: utilization grows by λ·6ms/4.
    let du = with_db.nodes[1].utilization - without.nodes[1].utilization;
    assert!((du - 50.0 * 0.006 / 4.0).abs() < 0.01, "du {du}");
}

#[test]
fn dns_lookups_happen_once_per_user_per_ttl() {
    let doc = DesignDoc::from_json(
        r#"{"version": 1, "seed": 3,
          "nodes": [
            {"id": "users-1", "kind": "users", "params": {"rate_rps": 100, "population": 50}},
            {"id": "dns-1", "kind": "dns", "params": {"lookup_ms": 40, "ttl_s": 3600}},
            {"id": "web-1", "kind": "web_server"}
          ],
          "edges": [{"from": "users-1", "to": "dns-1"}, {"from": "dns-1", "to": "web-1"}]}"#,
    )
    .unwrap();
    let s = run(&doc, 60);
    // 50 users each resolve once in the hour-long TTL: ≤ 50 of ~6000
    // requests pay 2×25 ms + 40 ms more, so the median is unaffected but the
    // maximum shows the lookup.
    assert!(s.completed > 5_500);
    assert!(s.latency_ms.p50 < 70.0, "{:?}", s.latency_ms);
    assert!(s.latency_ms.max > 140.0, "{:?}", s.latency_ms);
}
