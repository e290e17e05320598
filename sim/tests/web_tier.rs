//! The web tier's behaviours, each as a user of Scale Lab would see it.
//!
//! ```text
//!   users-1 ──► lb-1 ──┬──► web-1 ──┐
//!                      ├──► web-2 ──┼──► db-1      (+ sessions-1 when stateless)
//!                      └──► web-3 ──┘
//! ```

use scalesim::model::ErrorCause;
use scalesim::model::LogEvent;
use scalesim::time::SECOND;
use scalesim::{DesignDoc, Simulation, Snapshot};

/// Users → LB → `servers` web servers → DB, with extra JSON for the LB and
/// users params, an optional session store, and faults.
fn lb_design(
    servers: usize,
    users_params: &str,
    lb_params: &str,
    session_store: bool,
    faults: &str,
) -> DesignDoc {
    let mut nodes = vec![
        format!(r#"{{"id": "users-1", "kind": "users", "params": {{{users_params}}}}}"#),
        format!(r#"{{"id": "lb-1", "kind": "load_balancer", "params": {{{lb_params}}}}}"#),
        r#"{"id": "db-1", "kind": "database"}"#.to_string(),
    ];
    let mut edges = vec![r#"{"from": "users-1", "to": "lb-1"}"#.to_string()];
    if session_store {
        nodes.push(r#"{"id": "sessions-1", "kind": "session_store"}"#.into());
    }
    for i in 1..=servers {
        nodes.push(format!(r#"{{"id": "web-{i}", "kind": "web_server"}}"#));
        edges.push(format!(r#"{{"from": "lb-1", "to": "web-{i}"}}"#));
        edges.push(format!(r#"{{"from": "web-{i}", "to": "db-1"}}"#));
        if session_store {
            edges.push(format!(r#"{{"from": "web-{i}", "to": "sessions-1"}}"#));
        }
    }
    let json = format!(
        r#"{{"version": 1, "seed": 11, "nodes": [{}], "edges": [{}], "faults": [{faults}]}}"#,
        nodes.join(","),
        edges.join(",")
    );
    DesignDoc::from_json(&json).unwrap_or_else(|e| panic!("{e}\n{json}"))
}

fn run(doc: &DesignDoc, seconds: u64) -> (Simulation, Snapshot) {
    let mut sim = Simulation::from_doc(doc).unwrap_or_else(|e| panic!("{e}"));
    sim.run_until(seconds * SECOND);
    let snap = sim.snapshot();
    (sim, snap)
}

fn node<'a>(s: &'a Snapshot, id: &str) -> &'a scalesim::model::NodeSnapshot {
    s.nodes.iter().find(|n| n.id == id).expect("node exists")
}

#[test]
fn round_robin_spreads_requests_evenly() {
    let doc = lb_design(3, r#""rate_rps": 300, "population": 5000"#, "", true, "");
    let (_, s) = run(&doc, 60);
    let served: Vec<u64> = (1..=3)
        .map(|i| node(&s, &format!("web-{i}")).served)
        .collect();
    let mean = served.iter().sum::<u64>() as f64 / 3.0;
    for v in &served {
        assert!((*v as f64 - mean).abs() / mean < 0.01, "{served:?}");
    }
    assert_eq!(s.errors.total(), 0, "{:?}", s.errors);
}

#[test]
fn a_dead_server_gets_traffic_until_health_checks_notice() {
    // Checks every 5 s, 3 failures to remove: web-2 dies at 21 s, fails the
    // checks at 25, 30 and 35 s, and is removed at 35 s.
    let doc = lb_design(
        3,
        r#""rate_rps": 200, "population": 5000"#,
        r#""health_interval_s": 5, "unhealthy_after": 3"#,
        true,
        r#"{"at_s": 21, "action": "kill", "target": "web-2"}"#,
    );
    let (sim, s) = run(&doc, 60);
    let marked: Vec<_> = sim
        .log()
        .filter(|e| matches!(e.event, LogEvent::MarkedUnhealthy { .. }))
        .collect();
    assert_eq!(marked.len(), 1);
    assert_eq!(marked[0].t, 35 * SECOND);
    let LogEvent::MarkedUnhealthy { failed_checks, .. } = marked[0].event else {
        unreachable!()
    };
    assert_eq!(failed_checks, 3);
    // About a third of 200 req/s for 14 s met the dead server. (The two
    // survivors can carry 200 req/s; at 300 they would overflow too.)
    let expected = 200.0 / 3.0 * 14.0;
    let got = s.errors[ErrorCause::NodeDown] as f64;
    assert!(
        (got - expected).abs() / expected < 0.1,
        "node_down {got}, expected ≈{expected}"
    );
    // After removal, errors stop: the last 20 s of the series are clean.
    assert!(sim.series()[40..].iter().all(|p| p.error_rate == 0.0));
}

#[test]
fn sticky_sessions_lose_logins_on_a_crash_and_a_session_store_does_not() {
    let kill = r#"{"at_s": 30, "action": "kill", "target": "web-1"}"#;
    let users = r#""rate_rps": 200, "population": 2000"#;
    let sticky = r#""algorithm": "sticky", "health_interval_s": 1, "unhealthy_after": 2"#;
    let (_, stateful) = run(&lb_design(3, users, sticky, false, kill), 90);
    assert!(
        stateful.sessions_lost > 300,
        "sessions lost {}",
        stateful.sessions_lost
    );
    assert!(
        stateful.errors[ErrorCause::SessionLost] > 300,
        "{:?}",
        stateful.errors
    );
    let (_, stateless) = run(&lb_design(3, users, sticky, true, kill), 90);
    assert_eq!(
        stateless.errors[ErrorCause::SessionLost],
        0,
        "{:?}",
        stateless.errors
    );
    assert_eq!(stateless.sessions_lost, 0);
}

#[test]
fn without_sticky_routing_in_memory_sessions_keep_logging_users_out() {
    let users = r#""rate_rps": 200, "population": 500, "static_pct": 0, "write_pct": 0"#;
    let (_, s) = run(&lb_design(3, users, "", false, ""), 60);
    // Round robin: a user's next request lands on another server, which has
    // no session for them, two times in three; only each of the 500 users'
    // first request (a login, nothing to lose) cannot fail so.
    let answered = (s.completed + s.errors.total()) as f64;
    let expected = 2.0 / 3.0 * (1.0 - 500.0 / answered);
    assert!(
        (s.error_rate - expected).abs() < 0.015,
        "error rate {}, expected {expected}",
        s.error_rate
    );
    assert_eq!(s.errors.total(), s.errors[ErrorCause::SessionLost]);
    let (_, fixed) = run(
        &lb_design(3, users, r#""algorithm": "sticky""#, false, ""),
        60,
    );
    assert_eq!(fixed.errors.total(), 0);
}

#[test]
fn a_slowed_server_times_users_out_and_least_connections_routes_around_it() {
    // Two small servers; a dynamic request holds one of its 2 vCPUs for
    // ≈17 ms (10 ms CPU + session store + database), so one manages ≈120
    // req/s; 100 req/s offered. Slowed 50×,
    // web-1 manages 4 req/s.
    let users = r#""rate_rps": 100, "population": 5000, "timeout_ms": 2000"#;
    let slow = r#"{"at_s": 0, "action": "slow", "target": "web-1", "factor": 50}"#;
    let (_, rr) = run(&lb_design(2, users, "", true, slow), 60);
    assert!(
        rr.errors[ErrorCause::Timeout] + rr.errors[ErrorCause::QueueFull] > 1000,
        "{:?}",
        rr.errors
    );
    let (_, lc) = run(
        &lb_design(2, users, r#""algorithm": "least_connections""#, true, slow),
        60,
    );
    let (w1, w2) = (node(&lc, "web-1").served, node(&lc, "web-2").served);
    assert!(
        w1 * 5 < w2,
        "least connections favours the fast server: {w1} vs {w2}"
    );
    assert!(
        lc.errors.total() < rr.errors.total() / 5,
        "{:?} vs {:?}",
        lc.errors,
        rr.errors
    );
}

#[test]
fn a_cut_link_fails_calls_until_the_load_balancer_gives_up_on_the_server() {
    let doc = lb_design(
        2,
        r#""rate_rps": 200, "population": 5000"#,
        r#""health_interval_s": 2, "unhealthy_after": 2"#,
        true,
        r#"{"at_s": 10, "action": "cut", "from": "lb-1", "to": "web-2", "duration_s": 20}"#,
    );
    let (sim, s) = run(&doc, 60);
    assert!(s.errors[ErrorCause::LinkDown] > 0, "{:?}", s.errors);
    let events: Vec<_> = sim.log().map(|e| e.event).collect();
    assert!(events.iter().any(|e| matches!(e, LogEvent::LinkCut { .. })));
    assert!(
        events
            .iter()
            .any(|e| matches!(e, LogEvent::MarkedUnhealthy { .. }))
    );
    assert!(
        events
            .iter()
            .any(|e| matches!(e, LogEvent::LinkRestored { .. }))
    );
    assert!(
        events
            .iter()
            .any(|e| matches!(e, LogEvent::MarkedHealthy { .. }))
    );
    assert!(sim.series()[40..].iter().all(|p| p.error_rate == 0.0));
}

#[test]
fn a_spike_multiplies_arrivals_for_its_duration() {
    let doc = lb_design(
        3,
        r#""rate_rps": 100"#,
        "",
        true,
        r#"{"at_s": 20, "action": "spike", "target": "users-1", "factor": 10, "duration_s": 10}"#,
    );
    let (_, s) = run(&doc, 40);
    // 30 s at 100 req/s + 10 s at 1000 req/s = 13 000 (sd ≈ 114).
    assert!(
        (s.arrivals as f64 - 13_000.0).abs() < 500.0,
        "{}",
        s.arrivals
    );
}

#[test]
fn daily_active_users_set_the_peak_rate() {
    // 1.728 M DAU × 10 requests a day / 86 400 s × peak 2 = 400 req/s.
    let doc = lb_design(
        2,
        r#""mode": "dau", "dau": 1728000, "requests_per_user_day": 10, "peak_factor": 2"#,
        "",
        true,
        "",
    );
    let (_, s) = run(&doc, 50);
    assert!(
        (s.arrivals as f64 / 50.0 - 400.0).abs() < 12.0,
        "{}",
        s.arrivals
    );
}

#[test]
fn a_crash_of_the_only_server_shows_as_downtime_and_cost_adds_up() {
    let doc = DesignDoc::from_json(
        r#"{"version": 1, "seed": 2,
          "nodes": [
            {"id": "users-1", "kind": "users", "params": {"rate_rps": 50}},
            {"id": "web-1", "kind": "web_server", "params": {"size": "large"}},
            {"id": "sessions-1", "kind": "session_store"},
            {"id": "db-1", "kind": "database", "params": {"size": "medium"}}],
          "edges": [{"from": "users-1", "to": "web-1"}, {"from": "web-1", "to": "db-1"},
                    {"from": "web-1", "to": "sessions-1"}],
          "faults": [{"at_s": 40, "action": "kill", "target": "web-1"},
                     {"at_s": 70, "action": "restart", "target": "web-1"}]}"#,
    )
    .unwrap();
    let (_, s) = run(&doc, 100);
    assert!((s.uptime - 0.7).abs() <= 0.02, "uptime {}", s.uptime);
    assert!(s.errors[ErrorCause::NodeDown] > 1000, "{:?}", s.errors);
    // large web (0.10 $/h) + session store (0.05 $/h) + medium database
    // (0.05 × 2.5 $/h), 730 h.
    assert!((s.cost_per_month - (0.10 + 0.05 + 0.125) * 730.0).abs() < 1e-9);
}

#[test]
fn restarting_a_stateful_server_logs_its_users_out() {
    let doc = DesignDoc::from_json(
        r#"{"version": 1, "seed": 2,
          "nodes": [
            {"id": "users-1", "kind": "users", "params": {"rate_rps": 50, "population": 200}},
            {"id": "web-1", "kind": "web_server"}],
          "edges": [{"from": "users-1", "to": "web-1"}],
          "faults": [{"at_s": 40, "action": "kill", "target": "web-1"},
                     {"at_s": 45, "action": "restart", "target": "web-1"}]}"#,
    )
    .unwrap();
    let (sim, s) = run(&doc, 120);
    assert!(s.sessions_lost > 150, "{}", s.sessions_lost);
    // Each of them is logged out once, on their first dynamic request after.
    assert!(s.errors[ErrorCause::SessionLost] <= s.sessions_lost);
    assert!(s.errors[ErrorCause::SessionLost] > 150, "{:?}", s.errors);
    let log: Vec<_> = sim.log().map(|e| e.event).collect();
    assert!(matches!(log[0], LogEvent::Crashed));
    assert!(matches!(log[1], LogEvent::SessionsLost { .. }));
    // While it is down, requests fail there; after the restart its users
    // are logged out, and the log says their sessions were on web-1 itself.
    use scalesim::ErrorCause;
    assert!(matches!(
        log[2],
        LogEvent::FailuresStarted {
            cause: ErrorCause::NodeDown,
            other: None
        }
    ));
    assert!(matches!(log[3], LogEvent::Restarted));
    assert!(log.iter().any(|e| matches!(
        e,
        LogEvent::FailuresStarted {
            cause: ErrorCause::SessionLost,
            other: Some(1)
        }
    )));
}

#[test]
fn a_dead_dns_only_hurts_users_whose_cached_answer_expired() {
    let doc = DesignDoc::from_json(
        r#"{"version": 1, "seed": 4,
          "nodes": [
            {"id": "users-1", "kind": "users", "params": {"rate_rps": 100, "population": 100}},
            {"id": "dns-1", "kind": "dns", "params": {"ttl_s": 3600}},
            {"id": "web-1", "kind": "web_server"}],
          "edges": [{"from": "users-1", "to": "dns-1"}, {"from": "dns-1", "to": "web-1"}],
          "faults": [{"at_s": 30, "action": "kill", "target": "dns-1"}]}"#,
    )
    .unwrap();
    let (_, s) = run(&doc, 60);
    // All 100 users resolved in the first seconds and cached for an hour.
    assert_eq!(s.errors[ErrorCause::NodeDown], 0, "{:?}", s.errors);
    assert!(s.completed > 5_000);
}

#[test]
fn bad_faults_are_explained() {
    let doc = lb_design(
        1,
        r#""rate_rps": 10"#,
        "",
        false,
        r#"{"at_s": 5, "action": "kill", "target": "web-9"},
           {"at_s": 5, "action": "spike", "target": "web-1", "factor": 2, "duration_s": 1},
           {"at_s": -1, "action": "restart", "target": "web-1"}"#,
    );
    let msgs: Vec<String> = doc
        .validate()
        .unwrap_err()
        .0
        .iter()
        .map(|p| p.to_string())
        .collect();
    assert!(
        msgs.contains(&"fault #1: there is no node 'web-9'".to_string()),
        "{msgs:?}"
    );
    assert!(
        msgs.contains(&"fault #2: web-1 sends no traffic; spike a Users node".to_string()),
        "{msgs:?}"
    );
    assert!(
        msgs.iter().any(|m| m.starts_with("fault #3: at_s must be")),
        "{msgs:?}"
    );
}

/// Users → LB → web-1 (+ web-2 when `second`) → DB, sessions in a store.
fn growing_design(second: bool, rate: u32) -> DesignDoc {
    lb_design(
        if second { 2 } else { 1 },
        &format!(r#""rate_rps": {rate}, "population": 5000, "timeout_ms": 3000"#),
        "",
        true,
        "",
    )
}

#[test]
fn a_server_added_while_running_takes_load_at_once() {
    // One small server manages ≈120 req/s; 180 req/s overloads it.
    let mut sim = Simulation::from_doc(&growing_design(false, 180)).unwrap();
    sim.run_until(30 * SECOND);
    let before = sim.snapshot();
    assert!(before.error_rate > 0.2, "overloaded: {}", before.error_rate);
    let grown = growing_design(true, 180).validate().unwrap();
    assert!(sim.patch(&grown));
    sim.run_until(60 * SECOND);
    let after = sim.snapshot();
    assert!(
        after.completed > before.completed,
        "figures carry on, not restart"
    );
    assert!(
        node(&after, "web-2").served > 2_000,
        "{:?}",
        node(&after, "web-2")
    );
    // Once the backlog of web-1 has drained, the pair keeps up.
    assert!(
        sim.series()[40..].iter().all(|p| p.error_rate < 0.01),
        "{:?}",
        &sim.series()[40..]
    );
}

#[test]
fn a_server_removed_while_running_drains_without_errors() {
    let mut sim = Simulation::from_doc(&growing_design(true, 60)).unwrap();
    sim.run_until(20 * SECOND);
    assert!(sim.patch(&growing_design(false, 60).validate().unwrap()));
    sim.run_until(40 * SECOND);
    let s = sim.snapshot();
    assert_eq!(s.errors.total(), 0, "{:?}", s.errors);
    assert!(
        s.nodes.iter().all(|n| n.id != "web-2"),
        "retired nodes leave the figures"
    );
    let served_after_removal = sim.series()[25..]
        .iter()
        .map(|p| p.throughput_rps)
        .sum::<f64>();
    assert!(served_after_removal > 0.0);
}

#[test]
fn a_server_deleted_and_added_back_while_running_is_one_node_through_later_edits() {
    let mut sim = Simulation::from_doc(&growing_design(true, 60)).unwrap();
    sim.run_until(10 * SECOND);
    assert!(sim.patch(&growing_design(false, 60).validate().unwrap()));
    sim.run_until(15 * SECOND);
    // Undo: web-2 comes back, at a new index; later edits keep that one.
    assert!(sim.patch(&growing_design(true, 60).validate().unwrap()));
    let back = sim.node_of("web-2").expect("web-2 is back");
    sim.run_until(25 * SECOND);
    let served = node(&sim.snapshot(), "web-2").served;
    assert!(served > 0, "the live web-2 serves");
    for t in [30u32, 35, 40] {
        let mut resized = growing_design(true, 60);
        let web = resized.nodes.iter_mut().find(|n| n.id == "web-1").unwrap();
        web.params.insert(
            "queue_capacity".into(),
            scalesim::ParamValue::Number(f64::from(t)),
        );
        assert!(sim.patch(&resized.validate().unwrap()));
        sim.run_until(u64::from(t) * SECOND);
    }
    assert_eq!(sim.node_of("web-2"), Some(back), "no new copy per edit");
    assert_eq!(
        sim.node_ids().len(),
        back + 1,
        "the simulation did not grow"
    );
    assert!(
        node(&sim.snapshot(), "web-2").served > served,
        "and it kept its figures"
    );
}

#[test]
fn resizing_a_running_server_keeps_its_queue_and_replays_identically() {
    let run = || {
        let mut sim = Simulation::from_doc(&growing_design(false, 180)).unwrap();
        sim.run_until(20 * SECOND);
        let mut bigger = growing_design(false, 180);
        let web = bigger.nodes.iter_mut().find(|n| n.id == "web-1").unwrap();
        web.params
            .insert("size".into(), scalesim::ParamValue::Text("large".into()));
        assert!(sim.patch(&bigger.validate().unwrap()));
        sim.run_until(50 * SECOND);
        sim
    };
    let (a, b) = (run(), run());
    assert_eq!(a.snapshot(), b.snapshot());
    assert_eq!(node(&a.snapshot(), "web-1").workers, 8);
    assert!(a.series()[30..].iter().all(|p| p.error_rate == 0.0));
}

#[test]
fn a_node_that_changes_kind_cannot_be_patched() {
    let mut sim = Simulation::from_doc(&growing_design(false, 50)).unwrap();
    // Swap the ids of the database and the session store: same ids, other kinds.
    let mut swapped = growing_design(false, 50);
    for n in &mut swapped.nodes {
        if n.id == "db-1" {
            n.id = "sessions-1".into();
        } else if n.id == "sessions-1" {
            n.id = "db-1".into();
        }
    }
    for e in &mut swapped.edges {
        for end in [&mut e.from, &mut e.to] {
            if end == "db-1" {
                *end = "sessions-1".into();
            } else if end == "sessions-1" {
                *end = "db-1".into();
            }
        }
    }
    assert!(!sim.patch(&swapped.validate().unwrap()));
    sim.run_until(5 * SECOND);
    assert!(
        node(&sim.snapshot(), "db-1").served > 0,
        "the refused patch changed nothing"
    );
}

#[test]
fn random_spreads_load_and_power_of_two_avoids_a_slow_server_better() {
    let users = r#""rate_rps": 100, "population": 5000, "timeout_ms": 2000"#;
    let (_, random) = run(
        &lb_design(3, users, r#""algorithm": "random""#, true, ""),
        60,
    );
    let served: Vec<u64> = (1..=3)
        .map(|i| node(&random, &format!("web-{i}")).served)
        .collect();
    let mean = served.iter().sum::<u64>() as f64 / 3.0;
    // Binomial spread over ~6 000 requests: sd ≈ 36, i.e. 1.8 % of 2 000.
    assert!(
        served
            .iter()
            .all(|v| (*v as f64 - mean).abs() / mean < 0.08),
        "{served:?}"
    );

    let slow = r#"{"at_s": 0, "action": "slow", "target": "web-1", "factor": 50}"#;
    let (_, rnd) = run(
        &lb_design(3, users, r#""algorithm": "random""#, true, slow),
        60,
    );
    let (_, p2c) = run(
        &lb_design(3, users, r#""algorithm": "power_of_two""#, true, slow),
        60,
    );
    // Share of requests sent to the slow server (served there or dropped by
    // its full queue): random sends it a third; power of two only when both
    // picks land on it, or the other pick is busier.
    let share = |s: &Snapshot| {
        let w = node(s, "web-1");
        (w.served + w.dropped) as f64 / s.arrivals as f64
    };
    assert!(
        share(&p2c) < share(&rnd) / 2.0,
        "p2c {} vs random {}",
        share(&p2c),
        share(&rnd)
    );
    assert!(
        p2c.errors.total() * 3 < rnd.errors.total().max(1),
        "{:?} vs {:?}",
        p2c.errors,
        rnd.errors
    );
}

#[test]
fn latency_breaks_down_into_network_queueing_and_processing_and_routes_are_kept() {
    let doc = DesignDoc::from_json(
        r#"{"version": 1, "seed": 8,
          "nodes": [
            {"id": "users-1", "kind": "users", "params": {"rate_rps": 20, "static_pct": 0}},
            {"id": "web-1", "kind": "web_server", "params": {"service_dist": "constant", "size": "large"}},
            {"id": "db-1", "kind": "database", "params": {"service_dist": "constant", "write_ms": 5}}],
          "edges": [{"from": "users-1", "to": "web-1"}, {"from": "web-1", "to": "db-1"}]}"#,
    )
    .unwrap();
    let (sim, s) = run(&doc, 120);
    let b = s.breakdown_ms;
    // 2 × 25 ms to and from the users, 2 × 0.5 ms to and from the database.
    assert!((b.network - 51.0).abs() < 1e-6, "{b:?}");
    // Constant 10 ms + 5 ms of processing; at 20 req/s on 8 vCPUs, no queueing.
    assert!((b.service - 15.0).abs() < 1e-6, "{b:?}");
    assert!(b.queue < 0.01 && b.dns == 0.0, "{b:?}");
    assert!((s.latency_ms.mean - (b.network + b.queue + b.service)).abs() < 1e-6);

    let journeys: Vec<_> = sim.journeys().collect();
    assert!(!journeys.is_empty());
    for j in journeys {
        let route: Vec<u32> = j.hops.iter().map(|h| h.node).collect();
        assert_eq!(route, [1, 2], "users → web-1 → db-1");
        assert!(
            j.hops
                .iter()
                .all(|h| h.arrived <= h.started && h.started <= h.left)
        );
        assert!(j.created < j.hops[0].arrived && j.hops[0].left <= j.finished);
        assert_eq!(j.error, None);
    }
}

/// Little's law on the canvas: 20,000 requests a second with 250 ms of
/// network each way keep ≈ 10,000 on a hop; when only 5,000 can be drawn,
/// exactly 5,000 are, spread evenly over the four users' connections.
#[test]
fn a_full_canvas_draws_exactly_its_limit_spread_over_every_connection() {
    let doc = DesignDoc::from_json(include_str!("../../scenarios/littles-law.json")).unwrap();
    let mut sim = Simulation::from_doc(&doc).unwrap();
    sim.run_until(3 * SECOND);
    let mut dots = Vec::new();
    let total = sim.sample_in_flight(5_000, &mut dots);
    // λ·W: 20,000/s × 0.5 s of network per request (both ways).
    assert!((9_000..11_000).contains(&total), "{total} on a hop");
    assert_eq!(dots.len(), 5_000);
    let ids = sim.node_ids();
    for users in ["users-1", "users-2", "users-3", "users-4"] {
        let i = ids.iter().position(|x| x == users).unwrap() as u32;
        let n = dots.iter().filter(|d| d.from == i || d.to == i).count();
        assert!((1_100..1_400).contains(&n), "{users}: {n} of 5,000");
    }
    assert_eq!(sim.sample_in_flight(20_000, &mut dots), total);
    assert_eq!(dots.len() as u64, total, "all drawn when there is room");
}

/// A node's error count is what it answered with an error: with the
/// database dead, both web servers answer every dynamic request with one
/// and the load balancer passes each on; the database itself answers none.
#[test]
fn each_node_counts_the_errors_it_answered_with() {
    let doc = lb_design(
        2,
        r#""rate_rps": 200, "population": 5000, "static_pct": 20"#,
        "",
        true,
        r#"{"at_s": 10, "action": "kill", "target": "db-1"}"#,
    );
    let (_, s) = run(&doc, 30);
    let failed = s.errors.total();
    assert!(failed > 2_000, "{:?}", s.errors);
    let web = node(&s, "web-1").errors + node(&s, "web-2").errors;
    let lb = node(&s, "lb-1").errors;
    // Users count a failure when its answer reaches them; the few still on
    // their way back have been counted by the nodes already.
    assert!(
        failed <= lb && lb <= web && web <= failed + 50,
        "users saw {failed}, the LB answered {lb}, the web servers {web}"
    );
    assert_eq!(node(&s, "db-1").errors, 0);
    let (_, healthy) = run(&lb_design(2, r#""rate_rps": 200"#, "", true, ""), 30);
    assert!(
        healthy.nodes.iter().all(|n| n.errors == 0),
        "{:?} {:?}",
        healthy.errors,
        healthy
            .nodes
            .iter()
            .map(|n| (&n.id, n.errors))
            .collect::<Vec<_>>()
    );
}
