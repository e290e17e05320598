//! Monitoring: time to detect is scrape alignment + the alert's "for";
//! without monitoring a dead node stays dead, with an on-call engineer it
//! is back after detection + response; the web-tier autoscaler follows load
//! with its lag; business figures count users and spend the error budget.

use scalesim::model::{Alert, LogEvent, Snapshot};
use scalesim::time::{SECOND, to_secs};
use scalesim::{DesignDoc, ProblemKind, Simulation};

/// users-1 → lb-1 → web-1, web-2 (+ `extra` nodes and edges), optionally
/// with a monitoring node.
fn design(users: &str, web: &str, monitor: Option<&str>, faults: &str) -> DesignDoc {
    let monitor = monitor.map_or(String::new(), |p| {
        format!(r#", {{"id": "monitor-1", "kind": "monitoring", "params": {{{p}}}}}"#)
    });
    let json = format!(
        r#"{{"version": 1, "seed": 3,
          "nodes": [
            {{"id": "users-1", "kind": "users", "params": {{{users}}}}},
            {{"id": "lb-1", "kind": "load_balancer"}},
            {{"id": "web-1", "kind": "web_server", "params": {{{web}}}}},
            {{"id": "web-2", "kind": "web_server", "params": {{{web}}}}}{monitor}],
          "edges": [{{"from": "users-1", "to": "lb-1"}}, {{"from": "lb-1", "to": "web-1"}},
                    {{"from": "lb-1", "to": "web-2"}}],
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

fn up(s: &Snapshot, id: &str) -> bool {
    s.nodes.iter().find(|n| n.id == id).unwrap().up
}

fn index(sim: &Simulation, id: &str) -> u32 {
    sim.node_ids().iter().position(|n| n == id).unwrap() as u32
}

const USERS: &str = r#""rate_rps": 100, "write_pct": 0, "static_pct": 0"#;
const WEB: &str = r#""size": "medium", "service_ms": 5"#;
const KILL_WEB_1: &str = r#"{"at_s": 30.5, "action": "kill", "target": "web-1"}"#;

#[test]
fn without_monitoring_a_dead_server_stays_dead() {
    let (_, s) = run(&design(USERS, WEB, None, KILL_WEB_1), 900);
    assert!(!up(&s, "web-1"));
    assert!(s.monitoring.is_none());
}

#[test]
fn an_alert_fires_after_scrape_alignment_plus_its_for_and_the_on_call_engineer_restarts_the_node() {
    let monitor = r#""scrape_interval_s": 15, "alert_for_s": 30, "response_s": 120"#;
    let (sim, s) = run(&design(USERS, WEB, Some(monitor), KILL_WEB_1), 900);
    let web1 = index(&sim, "web-1");
    let fired: Vec<f64> = sim
        .log()
        .filter(|e| {
            e.event
                == LogEvent::AlertFiring {
                    alert: Alert::NodeDown { node: web1 },
                }
        })
        .map(|e| to_secs(e.t))
        .collect();
    assert_eq!(fired.len(), 1, "{fired:?}");
    // First scrape that sees it: 45 s (scrapes at 15, 30, 45 …); the rule
    // must then hold for 30 s: fires at the 75 s scrape. Detection 44.5 s,
    // within [for, for + interval].
    let detect = fired[0] - 30.5;
    assert!((30.0..=45.0).contains(&detect), "{detect}");
    assert_eq!(fired[0], 75.0);
    let m = s.monitoring.as_ref().expect("monitoring");
    assert!((m.mean_detect_s.unwrap() - detect).abs() < 1e-9);
    let restarted: Vec<f64> = sim
        .log()
        .filter(|e| e.event == LogEvent::OnCallRestarted { node: web1 })
        .map(|e| to_secs(e.t))
        .collect();
    assert_eq!(restarted, vec![fired[0] + 120.0]);
    assert!(up(&s, "web-1"));
    // Resolved at the first scrape after the restart.
    assert!(sim.log().any(|e| e.event
        == LogEvent::AlertResolved {
            alert: Alert::NodeDown { node: web1 }
        }
        && to_secs(e.t) == 195.0));
}

#[test]
fn a_dead_master_with_manual_failover_waits_for_the_page_and_then_fails_over() {
    let doc = |monitor: Option<&str>| {
        let mon = monitor.map_or(String::new(), |p| {
            format!(r#", {{"id": "monitor-1", "kind": "monitoring", "params": {{{p}}}}}"#)
        });
        let json = format!(
            r#"{{"version": 1, "seed": 4,
              "nodes": [
                {{"id": "users-1", "kind": "users", "params": {{"rate_rps": 100, "write_pct": 50, "static_pct": 0}}}},
                {{"id": "web-1", "kind": "web_server", "params": {{"size": "large"}}}},
                {{"id": "db-1", "kind": "database", "params": {{"size": "large", "failover": "manual"}}}},
                {{"id": "db-2", "kind": "database", "params": {{"size": "large", "role": "replica"}}}}{mon}],
              "edges": [{{"from": "users-1", "to": "web-1"}}, {{"from": "web-1", "to": "db-1"}},
                        {{"from": "db-1", "to": "db-2"}}],
              "faults": [{{"at_s": 20.5, "action": "kill", "target": "db-1"}}]}}"#
        );
        DesignDoc::from_json(&json).unwrap_or_else(|e| panic!("{e}\n{json}"))
    };
    // Nobody watching: writes fail to the end.
    let (sim, _) = run(&doc(None), 300);
    assert!(sim.series()[250..].iter().all(|p| p.error_rate > 0.3));

    // Paged: 10 s scrapes, 10 s "for", 60 s response. First scrape seeing
    // the crash at 30 s, alert at 40 s, failover at 100 s.
    let (sim, s) = run(
        &doc(Some(
            r#""scrape_interval_s": 10, "alert_for_s": 10, "response_s": 60"#,
        )),
        300,
    );
    let series = sim.series();
    let last_error = series.iter().rposition(|p| p.error_rate > 0.0).unwrap();
    assert!((99..=101).contains(&last_error), "{last_error}");
    assert!(
        sim.log()
            .any(|e| matches!(e.event, LogEvent::Promoted { .. }) && to_secs(e.t) == 100.0)
    );
    assert!(up(&s, "db-1"), "restarted, as a replica of db-2");
}

#[test]
fn the_autoscaler_adds_servers_under_load_after_its_lag_and_removes_them_after() {
    // One small web server (2 vCPUs × 10 ms: 200 req/s) at 100 req/s; a
    // tripling for 300 s from 60 s.
    // Static files, so that moving between servers loses no logins.
    let users = r#""rate_rps": 100, "write_pct": 0, "static_pct": 100, "timeout_ms": 3000"#;
    let json = |autoscale: &str| {
        format!(
            r#"{{"version": 1, "seed": 5,
              "nodes": [
                {{"id": "users-1", "kind": "users", "params": {{{users}}}}},
                {{"id": "lb-1", "kind": "load_balancer"}},
                {{"id": "web-1", "kind": "web_server", "params": {{"size": "small", "service_ms": 10, "queue_capacity": 100}}}},
                {{"id": "monitor-1", "kind": "monitoring", "params": {{"scrape_interval_s": 10, {autoscale}}}}}],
              "edges": [{{"from": "users-1", "to": "lb-1"}}, {{"from": "lb-1", "to": "web-1"}}],
              "faults": [{{"at_s": 60, "action": "spike", "target": "users-1", "factor": 3, "duration_s": 300}}]}}"#
        )
    };
    let scaled = DesignDoc::from_json(&json(
        r#""autoscale": "on", "target_busy_pct": 60, "max_servers": 5, "boot_s": 60"#,
    ))
    .unwrap();
    let fixed = DesignDoc::from_json(&json(r#""autoscale": "off""#)).unwrap();

    let mut sim = Simulation::from_doc(&scaled).unwrap();
    sim.run_until(59 * SECOND);
    assert_eq!(
        sim.snapshot().monitoring.unwrap().servers_added,
        0,
        "50 % busy: within target"
    );
    sim.run_until(300 * SECOND);
    let added: Vec<f64> = sim
        .log()
        .filter(|e| matches!(e.event, LogEvent::ServerAdded { .. }))
        .map(|e| to_secs(e.t))
        .collect();
    // Noticed at the first scrape after the spike, at 70 s.
    assert_eq!(added[0], 70.0, "{added:?}");
    let m = sim.snapshot().monitoring.unwrap();
    assert!((1..=4).contains(&m.servers_added), "{m:?}");
    // Boot time is the lag: the spike's first 70 s + boot overload the one
    // server; afterwards the tier keeps up.
    let late = &sim.series()[200..300];
    assert!(
        late.iter().all(|p| p.error_rate < 0.01),
        "{:?}",
        late.iter().map(|p| p.error_rate).collect::<Vec<_>>()
    );
    let mut without = Simulation::from_doc(&fixed).unwrap();
    without.run_until(300 * SECOND);
    let late_fixed = &without.series()[200..300];
    let mean = |s: &[scalesim::model::SeriesPoint]| {
        s.iter().map(|p| p.error_rate).sum::<f64>() / s.len() as f64
    };
    assert!(mean(late_fixed) > 0.2, "one server cannot carry 300 req/s");

    // After the spike, added servers are removed one per scrape.
    sim.run_until(600 * SECOND);
    let m = sim.snapshot().monitoring.unwrap();
    assert_eq!((m.servers_added, m.servers_booting), (0, 0));
    assert!(
        sim.log()
            .any(|e| matches!(e.event, LogEvent::ServerRemoved { .. }))
    );
    assert!(sim.snapshot().nodes.iter().all(|n| !n.id.contains("auto")));
}

#[test]
fn business_figures_count_distinct_users_and_spend_the_error_budget() {
    // 1 000 users drawn uniformly, 5 000 requests: 1000·(1 − e^−5) ≈ 993
    // distinct users.
    // Static files: no logins to lose between the two servers.
    let users = r#""rate_rps": 50, "population": 1000, "write_pct": 0, "static_pct": 100"#;
    let (_, s) = run(
        &design(users, WEB, Some(r#""on_call": "off", "slo_pct": 99.9"#), ""),
        100,
    );
    let m = s.monitoring.as_ref().unwrap();
    let expected = 1000.0 * (1.0 - (-5.0f64).exp());
    assert!((m.active_users as f64 - expected).abs() < 15.0, "{m:?}");
    assert!((m.requests_per_user - s.arrivals as f64 / m.active_users as f64).abs() < 1e-9);
    assert_eq!(m.error_budget_used, 0.0);
    // Both servers dead for the last half: about half the requests fail,
    // 500 times the 0.1 % the objective allows.
    let kill = r#"{"at_s": 50, "action": "kill", "target": "web-1"},
                  {"at_s": 50, "action": "kill", "target": "web-2"}"#;
    let (_, s) = run(
        &design(
            users,
            WEB,
            Some(r#""on_call": "off", "slo_pct": 99.9"#),
            kill,
        ),
        100,
    );
    let m = s.monitoring.unwrap();
    assert!(
        (m.error_budget_used - 500.0).abs() < 50.0,
        "{}",
        m.error_budget_used
    );
    // The scrapes (every 15 s) have collected the failures up to the last
    // one, at 90 s: all but the last 10 s of them.
    let failed = s.errors.total() as f64;
    assert!(
        (m.errors_logged as f64 - failed * 40.0 / 50.0).abs() < 0.05 * failed,
        "{} of {failed}",
        m.errors_logged
    );
}

#[test]
fn one_monitoring_node_is_enough_and_it_needs_no_connections() {
    let mut doc = design(USERS, WEB, Some(""), "");
    let design = doc.validate().expect("a monitoring node needs no edges");
    assert!(design.warnings.is_empty(), "{:?}", design.warnings);
    let mut second = doc.nodes.last().unwrap().clone();
    second.id = "monitor-2".into();
    doc.nodes.push(second);
    let problems = doc.validate().unwrap_err();
    assert!(
        problems
            .0
            .iter()
            .any(|p| p.location == "monitor-2" && p.kind == ProblemKind::TwoMonitors)
    );
}
