//! Figures over a window: what the headline figures show by default (the
//! last ten seconds) and what a lesson's goals measure (their declared
//! window) must describe exactly the requests of that window.

use scalesim::model::{Meter, RECENT_S};
use scalesim::time::{SECOND, from_secs};
use scalesim::{DesignDoc, Simulation};

/// One server behind a load balancer (sessions in a store), killed at 20 s
/// and back at 40 s.
fn outage() -> DesignDoc {
    DesignDoc::from_json(
        r#"{"version": 1, "seed": 5, "nodes": [
          {"id": "users-1", "kind": "users", "params": {"rate_rps": 200}},
          {"id": "lb-1", "kind": "load_balancer"},
          {"id": "web-1", "kind": "web_server", "params": {"size": "medium"}},
          {"id": "sessions-1", "kind": "session_store"},
          {"id": "db-1", "kind": "database"}],
          "edges": [{"from": "users-1", "to": "lb-1"}, {"from": "lb-1", "to": "web-1"},
                    {"from": "web-1", "to": "sessions-1"}, {"from": "web-1", "to": "db-1"}],
          "faults": [{"at_s": 20, "action": "kill", "target": "web-1"},
                     {"at_s": 40, "action": "restart", "target": "web-1"}]}"#,
    )
    .unwrap()
}

#[test]
fn after_a_fix_the_recent_figures_match_the_chart_not_the_whole_run() {
    let mut sim = Simulation::from_doc(&outage()).unwrap();
    sim.track_recent(true);
    sim.run_until(60 * SECOND);
    let all = sim.snapshot();
    let now = sim.snapshot_recent();
    // Since the start a third of the run failed; the last ten seconds are
    // clean, as the chart shows.
    assert!(all.error_rate > 0.25, "since start: {}", all.error_rate);
    assert_eq!(now.errors.total(), 0);
    assert_eq!(now.error_rate, 0.0);
    assert_eq!(now.measured_ns, RECENT_S * SECOND);

    // Exactly the chart's last ten points.
    let points = &sim.series()[sim.series().len() - RECENT_S as usize..];
    let answered: u64 = points.iter().map(|p| p.answered).sum();
    let errors: u64 = points.iter().map(|p| p.errors).sum();
    assert_eq!(now.completed + now.errors.total(), answered);
    assert_eq!(now.errors.total(), errors);
    let throughput: f64 = points.iter().map(|p| p.throughput_rps).sum::<f64>() / 10.0;
    assert!((now.throughput_rps - throughput).abs() < 1e-9);

    // During the outage the recent figures show it while it lasts.
    let mut sim = Simulation::from_doc(&outage()).unwrap();
    sim.track_recent(true);
    sim.run_until(35 * SECOND);
    let during = sim.snapshot_recent();
    let points = &sim.series()[sim.series().len() - RECENT_S as usize..];
    let answered: u64 = points.iter().map(|p| p.answered).sum();
    let errors: u64 = points.iter().map(|p| p.errors).sum();
    assert!(during.error_rate > 0.95, "{}", during.error_rate);
    assert!((during.error_rate - errors as f64 / answered as f64).abs() < 1e-12);
    let web = during.nodes.iter().find(|n| n.id == "web-1").unwrap();
    assert_eq!(web.served, 0, "a dead server serves nothing in the window");
    let all_web = sim.snapshot();
    let all_web = all_web.nodes.iter().find(|n| n.id == "web-1").unwrap();
    assert!(all_web.served > 3_000);
}

#[test]
fn the_recent_window_is_the_whole_run_until_ten_seconds_have_passed() {
    let mut sim = Simulation::from_doc(&outage()).unwrap();
    sim.track_recent(true);
    sim.run_until(4 * SECOND + SECOND / 2);
    let (now, all) = (sim.snapshot_recent(), sim.snapshot());
    assert_eq!(now.completed, all.completed);
    assert_eq!(now.latency_ms, all.latency_ms);
    // Between two boundaries the window also holds the part of the
    // current second that has passed.
    sim.run_until(30 * SECOND + SECOND / 2);
    let now = sim.snapshot_recent();
    assert_eq!(now.measured_ns, RECENT_S * SECOND + SECOND / 2);
}

#[test]
fn a_measured_window_equals_a_run_measured_from_a_reset() {
    // The same run measured two ways: from a measurement reset at 30 s, and
    // as the difference of snapshots with the seconds' histograms merged.
    let mut reset = Simulation::from_doc(&outage()).unwrap();
    reset.run_until(30 * SECOND);
    reset.reset_measurements();
    reset.run_until(50 * SECOND);
    let a = reset.snapshot();

    let mut sim = Simulation::from_doc(&outage()).unwrap();
    sim.run_until(30 * SECOND);
    let mut meter = Meter::start(&sim);
    for t in 31..=50 {
        sim.run_until(from_secs(f64::from(t)));
        meter.collect(&sim);
    }
    let b = meter.finish(&sim);
    assert_eq!(b.measured_ns, a.measured_ns);
    assert_eq!(b.completed, a.completed);
    assert_eq!(b.errors, a.errors);
    assert_eq!(b.arrivals, a.arrivals);
    assert_eq!(b.latency_ms, a.latency_ms);
    assert_eq!(b.read_latency_ms, a.read_latency_ms);
    assert_eq!(b.write_latency_ms, a.write_latency_ms);
    assert_eq!(b.data.reads, a.data.reads);
    assert_eq!(b.data.writes, a.data.writes);
    assert!((b.uptime - a.uptime).abs() < 1e-12);
    assert!((b.breakdown_ms.queue - a.breakdown_ms.queue).abs() < 1e-9);
    for (x, y) in a.nodes.iter().zip(&b.nodes).filter(|(x, _)| x.id != "lb-1") {
        assert_eq!(x.id, y.id);
        assert_eq!(x.served, y.served, "{}", x.id);
        assert_eq!(x.errors, y.errors, "{}", x.id);
        assert!((x.utilization - y.utilization).abs() < 1e-9, "{}", x.id);
        assert!((x.mean_wait_ms - y.mean_wait_ms).abs() < 1e-9, "{}", x.id);
    }
    // A window also counts what a reset leaves counting from the start of
    // the run (the load balancer's forwards).
    let lb = b.nodes.iter().find(|n| n.id == "lb-1").unwrap();
    let web = b.nodes.iter().find(|n| n.id == "web-1").unwrap();
    assert!(lb.served <= b.arrivals && lb.served >= web.served);
}

#[test]
fn a_server_resized_while_it_runs_reports_its_load_at_its_new_size() {
    // 100 req/s of 10 ms on a small web server (2 workers) is about 50 %
    // busy; resized to xlarge (16 workers) at 30 s, about 6 % — in the last
    // 10 s, and since the start a mix of both.
    let doc = |size: &str| {
        DesignDoc::from_json(&format!(
            r#"{{"version": 1, "seed": 3, "nodes": [
              {{"id": "users-1", "kind": "users", "params": {{"rate_rps": 100, "static_pct": 100, "write_pct": 0}}}},
              {{"id": "web-1", "kind": "web_server", "params": {{"size": "{size}", "service_dist": "constant"}}}}],
              "edges": [{{"from": "users-1", "to": "web-1"}}]}}"#
        ))
        .unwrap()
    };
    let mut sim = Simulation::from_doc(&doc("small")).unwrap();
    sim.track_recent(true);
    sim.run_until(30 * SECOND);
    assert!(sim.patch(&doc("xlarge").validate().unwrap()));
    sim.run_until(60 * SECOND);
    let web = |s: &scalesim::Snapshot| {
        s.nodes
            .iter()
            .find(|n| n.id == "web-1")
            .unwrap()
            .utilization
    };
    let now = web(&sim.snapshot_recent());
    assert!((now - 1.0 / 16.0).abs() < 0.01, "last 10 s: {now}");
    let all = web(&sim.snapshot());
    // (30 s × 1 worker busy) ÷ (30 s × 2 + 30 s × 16 worker·s).
    let expected = 60.0 / (60.0 + 480.0);
    assert!(
        (all - expected).abs() < 0.01,
        "since start: {all} vs {expected}"
    );
}
