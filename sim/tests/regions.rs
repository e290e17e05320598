//! Data centers in regions: distance adds latency, GeoDNS sends users to
//! the nearest healthy data center, and a data center's outage lasts about
//! health-check detection + DNS TTL for users who had its address cached.

use scalesim::model::Snapshot;
use scalesim::time::SECOND;
use scalesim::{DesignDoc, Simulation};

/// Users (in `users_region`) → dns-1 → lb-us (dc-us, us-east) and lb-eu
/// (dc-eu, eu-west), each with one web server.
fn design(users: &str, dns: &str, faults: &str) -> DesignDoc {
    let json = format!(
        r#"{{"version": 1, "seed": 21,
          "regions": [
            {{"id": "dc-us", "region": "us-east", "x": 200, "y": 0, "w": 400, "h": 200}},
            {{"id": "dc-eu", "region": "eu-west", "x": 200, "y": 300, "w": 400, "h": 200}}],
          "nodes": [
            {{"id": "users-1", "kind": "users", "x": 50, "y": 250, "params": {{"static_pct": 0,
               "write_pct": 0, "population": 20000, "network_ms": 10, {users}}}}},
            {{"id": "dns-1", "kind": "dns", "x": 120, "y": 250, "params": {{{dns}}}}},
            {{"id": "lb-us", "kind": "load_balancer", "x": 300, "y": 100}},
            {{"id": "web-us", "kind": "web_server", "x": 500, "y": 100, "params": {{"size": "xlarge", "service_ms": 5}}}},
            {{"id": "lb-eu", "kind": "load_balancer", "x": 300, "y": 400}},
            {{"id": "web-eu", "kind": "web_server", "x": 500, "y": 400, "params": {{"size": "xlarge", "service_ms": 5}}}}],
          "edges": [{{"from": "users-1", "to": "dns-1"}}, {{"from": "dns-1", "to": "lb-us"}},
                    {{"from": "dns-1", "to": "lb-eu"}}, {{"from": "lb-us", "to": "web-us"}},
                    {{"from": "lb-eu", "to": "web-eu"}}],
          "faults": [{faults}]}}"#
    );
    DesignDoc::from_json(&json).unwrap_or_else(|e| panic!("{e}\n{json}"))
}

fn run(doc: &DesignDoc, seconds: u64) -> (Simulation, Snapshot) {
    let mut sim = Simulation::from_doc(doc).unwrap_or_else(|e| panic!("{e}"));
    sim.run_until(seconds * SECOND);
    let s = sim.snapshot();
    (sim, s)
}

fn served(s: &Snapshot, id: &str) -> u64 {
    s.nodes.iter().find(|n| n.id == id).unwrap().served
}

#[test]
fn geodns_sends_users_to_the_nearest_data_center_and_distance_costs_latency() {
    let eu_users = r#""rate_rps": 100, "region": "eu-west""#;
    let (_, geo) = run(&design(eu_users, r#""routing": "nearest""#, ""), 60);
    assert!(served(&geo, "web-us") == 0 && served(&geo, "web-eu") > 5_000);
    // Random answers send half of them across the Atlantic: 75 ms more per
    // round trip for those.
    let (_, random) = run(&design(eu_users, r#""routing": "random""#, ""), 60);
    let share_us = served(&random, "web-us") as f64
        / (served(&random, "web-us") + served(&random, "web-eu")) as f64;
    assert!((share_us - 0.5).abs() < 0.1, "{share_us}");
    let extra = random.latency_ms.mean - geo.latency_ms.mean;
    assert!((extra - share_us * 75.0).abs() < 4.0, "{extra}");

    // Users in Seoul reaching only us-east pay the 180 ms round trip on
    // every request (and on the way to DNS nothing: DNS is everywhere).
    let seoul = r#""rate_rps": 100, "region": "ap-seoul""#;
    let (_, far) = run(&design(seoul, r#""routing": "nearest""#, ""), 60);
    let (_, near) = run(
        &design(
            r#""rate_rps": 100, "region": "us-east""#,
            r#""routing": "nearest""#,
            "",
        ),
        60,
    );
    assert!(
        served(&far, "web-eu") == 0,
        "Seoul is nearer to us-east (180) than eu-west (240)"
    );
    let diff = far.latency_ms.p50 - near.latency_ms.p50;
    assert!((diff - 178.0).abs() < 3.0, "{diff}");
}

#[test]
fn a_data_center_outage_lasts_about_detection_plus_dns_ttl() {
    // dc-eu dies at 60.5 s. GeoDNS checks every 10 s and drops a target
    // after 3 failed checks (at 90 s); users who looked it up just before
    // keep it for the 60 s TTL: errors end about 150 s in. (Static files
    // only: page reads would add the logins lost by moving to another data
    // center, whose web servers never saw the users' sessions.)
    let doc = design(
        r#""rate_rps": 200, "region": "eu-west", "static_pct": 100"#,
        r#""routing": "nearest", "ttl_s": 60, "health_interval_s": 10"#,
        r#"{"at_s": 60.5, "action": "kill_region", "target": "dc-eu"}"#,
    );
    let (sim, s) = run(&doc, 200);
    let series = sim.series();
    let failing: Vec<usize> = series
        .iter()
        .enumerate()
        .filter(|(_, p)| p.error_rate > 0.0)
        .map(|(i, _)| i)
        .collect();
    let (first, last) = (failing[0], *failing.last().unwrap());
    assert!((60..=62).contains(&first), "{first}");
    assert!(
        (147..=151).contains(&last),
        "outage until {last} s: {:?} {:?}",
        s.errors,
        &series[150..160]
            .iter()
            .map(|p| p.error_rate)
            .collect::<Vec<_>>()
    );
    // Afterwards the US data center serves everyone.
    assert!(series[160..].iter().all(|p| p.error_rate == 0.0));
    assert!(served(&s, "web-us") > 8_000, "{}", served(&s, "web-us"));
    assert!(
        sim.log()
            .any(|e| matches!(e.event, scalesim::model::LogEvent::MarkedUnhealthy { .. }))
    );
}

#[test]
fn weighted_dns_splits_users_by_weight_and_drops_a_dead_target() {
    // 70/30 between the two data centers; dc-us dies at 60.5 s: after the
    // checks notice (3 × 5 s) and the 10 s TTL, everyone is in dc-eu.
    let mut doc = design(
        r#""rate_rps": 200, "region": "eu-west", "static_pct": 100"#,
        r#""routing": "weighted", "ttl_s": 10, "health_interval_s": 5"#,
        r#"{"at_s": 60.5, "action": "kill_region", "target": "dc-us"}"#,
    );
    for (to, w) in [("lb-us", 70.0), ("lb-eu", 30.0)] {
        let e = doc.edges.iter_mut().find(|e| e.to == to).unwrap();
        e.params
            .insert("weight".into(), scalesim::design::ParamValue::Number(w));
    }
    let mut sim = Simulation::from_doc(&doc).unwrap_or_else(|e| panic!("{e}"));
    sim.run_until(60 * SECOND);
    let s = sim.snapshot();
    let share_us =
        served(&s, "web-us") as f64 / (served(&s, "web-us") + served(&s, "web-eu")) as f64;
    assert!((share_us - 0.7).abs() < 0.03, "{share_us}");
    sim.run_until(200 * SECOND);
    let series = sim.series();
    let last_error = series.iter().rposition(|p| p.error_rate > 0.0).unwrap();
    assert!((61..=87).contains(&last_error), "{last_error}");
    assert!(
        series[90..]
            .iter()
            .all(|p| p.error_rate == 0.0 && p.throughput_rps > 150.0)
    );

    // A weight on a load balancer's connection means nothing: refused.
    let mut bad = design(r#""rate_rps": 10"#, "", "");
    bad.edges[3]
        .params
        .insert("weight".into(), scalesim::design::ParamValue::Number(2.0));
    let problems = bad.validate().unwrap_err().to_string();
    assert!(
        problems.contains("lb-us → web-us: this connection takes no parameter 'weight'"),
        "{problems}"
    );
}

#[test]
fn plain_dns_keeps_answering_with_the_dead_data_center() {
    let doc = design(
        r#""rate_rps": 200, "region": "eu-west""#,
        r#""routing": "random", "ttl_s": 60"#,
        r#"{"at_s": 60, "action": "kill_region", "target": "dc-eu"}"#,
    );
    let (sim, _) = run(&doc, 200);
    let late = &sim.series()[150..200];
    let errors = late.iter().map(|p| p.error_rate).sum::<f64>() / late.len() as f64;
    assert!(
        (errors - 0.5).abs() < 0.1,
        "half the answers are dead: {errors}"
    );
}

#[test]
fn a_replica_in_another_region_lags_by_the_distance() {
    let doc = DesignDoc::from_json(
        r#"{"version": 1, "seed": 2,
          "regions": [
            {"id": "dc-us", "region": "us-east", "x": 0, "y": 0, "w": 500, "h": 200},
            {"id": "dc-eu", "region": "eu-west", "x": 0, "y": 300, "w": 500, "h": 200}],
          "nodes": [
            {"id": "users-1", "kind": "users", "x": 100, "y": 100, "params": {"rate_rps": 200, "write_pct": 50, "static_pct": 0}},
            {"id": "web-1", "kind": "web_server", "x": 200, "y": 100, "params": {"size": "xlarge"}},
            {"id": "db-1", "kind": "database", "x": 400, "y": 100},
            {"id": "db-2", "kind": "database", "x": 400, "y": 400, "params": {"role": "replica", "link_ms": 0}}],
          "edges": [{"from": "users-1", "to": "web-1"}, {"from": "web-1", "to": "db-1"},
                    {"from": "db-1", "to": "db-2"}]}"#,
    )
    .unwrap();
    let mut sim = Simulation::from_doc(&doc).unwrap();
    let mut lags = Vec::new();
    for t in 10..40 {
        sim.run_until(t * SECOND);
        lags.push(sim.snapshot().nodes[3].behind_s);
    }
    // Half of the 75 ms round trip: writes reach Ireland ~37.5 ms late.
    let max = lags.iter().copied().fold(0.0, f64::max);
    assert!(max > 0.030 && max < 0.060, "{lags:?}");
}

#[test]
fn data_center_mistakes_are_explained() {
    let bad = r#"{"version": 1,
        "regions": [{"id": "dc-1", "region": "mars", "x": 0, "y": 0, "w": 10, "h": 10},
                    {"id": "dc-1", "region": "us-east", "x": 0, "y": 0, "w": 0, "h": 10}],
        "nodes": [{"id": "users-1", "kind": "users"}, {"id": "web-1", "kind": "web_server"}],
        "edges": [{"from": "users-1", "to": "web-1"}],
        "faults": [{"at_s": 1, "action": "kill_region", "target": "dc-9"}]}"#;
    let problems = DesignDoc::from_json(bad).unwrap().validate().unwrap_err();
    let text = problems.to_string();
    assert!(
        text.contains("dc-1: region must be one of us-east"),
        "{text}"
    );
    assert!(text.contains("dc-1: two nodes have this id"), "{text}");
    assert!(text.contains("positive width and height"), "{text}");
    assert!(text.contains("there is no data center 'dc-9'"), "{text}");
}

/// users-1 → web-1 → master db-1 (dc-us) and its replica db-2 in
/// `replica_region`; db-1 crashes at 30 s and db-2 is promoted.
fn failover_across(replica_region: &str) -> Snapshot {
    let doc = DesignDoc::from_json(&format!(
        r#"{{"version": 1, "seed": 8,
          "regions": [
            {{"id": "dc-us", "region": "us-east", "x": 300, "y": 0, "w": 300, "h": 200}},
            {{"id": "dc-2", "region": "{replica_region}", "x": 300, "y": 300, "w": 300, "h": 200}}],
          "nodes": [
            {{"id": "users-1", "kind": "users", "x": 100, "y": 100,
              "params": {{"rate_rps": 1000, "write_pct": 50, "static_pct": 0, "keys": 2000}}}},
            {{"id": "web-1", "kind": "web_server", "x": 200, "y": 100, "params": {{"size": "4xlarge", "service_ms": 1}}}},
            {{"id": "db-1", "kind": "database", "x": 400, "y": 100,
              "params": {{"size": "4xlarge", "service_ms": 1, "write_ms": 1, "detect_s": 5}}}},
            {{"id": "db-2", "kind": "database", "x": 400, "y": 400,
              "params": {{"size": "4xlarge", "service_ms": 1, "write_ms": 1, "role": "replica", "link_ms": 0}}}}],
          "edges": [{{"from": "users-1", "to": "web-1"}}, {{"from": "web-1", "to": "db-1"}},
                    {{"from": "web-1", "to": "db-2"}}, {{"from": "db-1", "to": "db-2"}}],
          "faults": [{{"at_s": 30, "action": "kill", "target": "db-1"}}]}}"#
    ))
    .unwrap();
    let (_, s) = run(&doc, 90);
    s
}

#[test]
fn a_failover_to_another_region_loses_what_had_not_crossed_yet_and_users_read_the_old_values() {
    // 500 acknowledged writes a second; the replica in Ireland receives each
    // ~37.5 ms later (half the 75 ms round trip), one in the same region
    // (2 ms round trip) ~1 ms later. The writes in that gap are lost.
    let far = failover_across("eu-west");
    let near = failover_across("us-east");
    let expected = 500.0 * 0.0375;
    let lost = far.data.lost_writes as f64;
    assert!(
        (lost - expected).abs() < 0.5 * expected,
        "{lost} lost vs ≈{expected}"
    );
    assert!(
        near.data.lost_writes * 5 < far.data.lost_writes,
        "{} near vs {} far",
        near.data.lost_writes,
        far.data.lost_writes
    );
    // Afterwards users read those records: they get the older value.
    assert!(far.data.lost_reads > 0, "{:?}", far.data);
    assert!(far.data.lost_reads > near.data.lost_reads);
}
