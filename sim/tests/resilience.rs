//! Call policies on a web server's connections: a circuit breaker's
//! transitions, retry storms that emerge without a retry budget and do not
//! with one, and a bulkhead that keeps one slow dependency from taking
//! every thread.

use scalesim::model::ErrorCause;
use scalesim::model::{BreakerState, CallFigures, LogEvent, Snapshot};
use scalesim::time::{SECOND, to_secs};
use scalesim::{DesignDoc, ProblemKind, Simulation};

/// users-1 → web-1 → db-1 (and cache-1 if `cache` is given), with
/// `policy` on web-1 → db-1.
fn design(
    users: &str,
    web: &str,
    db: &str,
    policy: &str,
    cache: Option<&str>,
    faults: &str,
) -> DesignDoc {
    let (cache_node, cache_edge) = match cache {
        Some(c) => (
            format!(r#", {{"id": "cache-1", "kind": "cache", "params": {{{c}}}}}"#),
            r#", {"from": "web-1", "to": "cache-1"}"#.to_string(),
        ),
        None => (String::new(), String::new()),
    };
    let json = format!(
        r#"{{"version": 1, "seed": 21,
          "nodes": [
            {{"id": "users-1", "kind": "users", "params": {{{users}}}}},
            {{"id": "web-1", "kind": "web_server", "params": {{{web}}}}},
            {{"id": "db-1", "kind": "database", "params": {{{db}}}}}{cache_node}],
          "edges": [{{"from": "users-1", "to": "web-1"}}{cache_edge},
                    {{"from": "web-1", "to": "db-1", "params": {{{policy}}}}}],
          "faults": [{faults}]}}"#
    );
    DesignDoc::from_json(&json).unwrap_or_else(|e| panic!("{e}\n{json}"))
}

fn calls(s: &Snapshot) -> CallFigures {
    s.nodes
        .iter()
        .find(|n| n.id == "web-1")
        .and_then(|n| n.calls.iter().find(|c| c.to == "db-1"))
        .map(|c| c.figures)
        .expect("web-1 → db-1 has a policy")
}

/// Times of web-1's breaker events [s].
fn breaker_log(sim: &Simulation) -> Vec<(f64, BreakerState)> {
    sim.log()
        .filter_map(|e| {
            let state = match e.event {
                LogEvent::BreakerOpened { .. } => BreakerState::Open,
                LogEvent::BreakerHalfOpen { .. } => BreakerState::HalfOpen,
                LogEvent::BreakerClosed { .. } => BreakerState::Closed,
                _ => return None,
            };
            Some((to_secs(e.t), state))
        })
        .collect()
}

const BIG_WEB: &str = r#""size": "4xlarge", "service_ms": 1"#;
const BIG_DB: &str = r#""size": "4xlarge", "service_ms": 1"#;

#[test]
fn a_breaker_opens_on_errors_probes_after_its_cool_down_and_closes_when_the_dependency_is_back() {
    let doc = design(
        r#""rate_rps": 500, "write_pct": 0, "static_pct": 0"#,
        BIG_WEB,
        BIG_DB,
        r#""breaker": "on", "breaker_error_pct": 50, "breaker_window_s": 5,
           "breaker_min_calls": 20, "breaker_cooldown_s": 2"#,
        None,
        r#"{"at_s": 10, "action": "kill", "target": "db-1"},
           {"at_s": 20, "action": "restart", "target": "db-1"}"#,
    );
    let mut sim = Simulation::from_doc(&doc).unwrap_or_else(|e| panic!("{e}"));
    sim.run_until(30 * SECOND);
    let log = breaker_log(&sim);
    let s = sim.snapshot();

    // Healthy for 10 s: nothing happens. Then every call fails; the 5 s
    // window still holds the good calls before the crash, so failures reach
    // 50 % of it after about half a window (good calls age out as failures
    // come in): at about 12.5 s, after some 1 250 failed calls.
    let (t_open, first) = log[0];
    assert_eq!(first, BreakerState::Open, "{log:?}");
    assert!(
        (12.0..13.0).contains(&t_open),
        "opened at {t_open} s: {log:?}"
    );
    // Then it alternates: half-open one cool-down later, the trial call
    // fails (db-1 is still down), open again — until db-1 is back.
    for pair in log.windows(2) {
        let ((t0, a), (t1, b)) = (pair[0], pair[1]);
        match (a, b) {
            (BreakerState::Open, BreakerState::HalfOpen) => {
                assert!(
                    t1 - t0 >= 2.0 && t1 - t0 < 2.1,
                    "half-open one cool-down after opening: {log:?}"
                );
            }
            (BreakerState::HalfOpen, BreakerState::Open) => {
                assert!(
                    t1 < 20.1,
                    "trial calls fail only while db-1 is down: {log:?}"
                );
            }
            (BreakerState::HalfOpen, BreakerState::Closed) => {
                assert!(t1 >= 20.0, "closes only once db-1 is back: {log:?}");
            }
            other => panic!("impossible transition {other:?}: {log:?}"),
        }
    }
    let (t_closed, last) = *log.last().expect("events");
    assert_eq!(last, BreakerState::Closed, "{log:?}");
    assert!(
        t_closed < 22.1,
        "closed within a cool-down of the restart: {log:?}"
    );
    let reopenings = log.iter().filter(|e| e.1 == BreakerState::Open).count();
    assert!(
        reopenings >= 4,
        "about one trial per cool-down while down: {log:?}"
    );

    // While open, calls failed at once instead of waiting for a dead node.
    let f = calls(&s);
    assert!(f.short_circuited > 3_000, "{f:?}");
    assert_eq!(s.errors[ErrorCause::CircuitOpen], f.short_circuited);
    assert_eq!(f.breaker, BreakerState::Closed);
    let tripping = 500.0 * 2.5;
    assert!(
        (s.errors[ErrorCause::NodeDown] as f64) < tripping * 1.2,
        "only the calls that tripped it, and the trial calls: {:?}",
        s.errors
    );
}

/// A database at 65 % load, a five-second traffic spike of `factor`, and
/// what follows with a given retry policy: (error share 35–65 s after the
/// spike ended, retries per first call then, the call figures).
fn after_a_spike(policy: &str, factor: f64) -> (f64, f64, CallFigures) {
    let spike = if factor > 1.0 {
        format!(
            r#"{{"at_s": 20, "action": "spike", "target": "users-1", "factor": {factor}, "duration_s": 5}}"#
        )
    } else {
        String::new()
    };
    let doc = design(
        r#""rate_rps": 130, "write_pct": 0, "static_pct": 0, "keys": 100000"#,
        r#""size": "4xlarge", "service_ms": 1, "queue_capacity": 10000"#,
        r#""size": "small", "service_ms": 10, "service_dist": "exponential", "queue_capacity": 1000"#,
        policy,
        None,
        &spike,
    );
    let mut sim = Simulation::from_doc(&doc).unwrap_or_else(|e| panic!("{e}"));
    sim.run_until(60 * SECOND);
    sim.reset_measurements();
    sim.run_until(90 * SECOND);
    let s = sim.snapshot();
    let f = calls(&s);
    let answered = (s.completed + s.errors.total()) as f64;
    let error_share = s.errors.total() as f64 / answered;
    let first = (f.attempts - f.retries) as f64;
    (error_share, f.retries as f64 / first.max(1.0), f)
}

#[test]
fn retries_without_a_budget_keep_an_overloaded_database_down_after_the_spike_and_a_budget_lets_it_recover()
 {
    let base = r#""timeout_ms": 200, "retries": 3, "backoff_ms": 50, "jitter": "full""#;
    let budgeted = format!(r#"{base}, "retry_budget": "on", "retry_budget_pct": 10"#);

    // Without a spike the database copes at 65 %, retries or not. (At 75 %
    // it does not always: a chance burst that queues about 40 calls makes
    // them time out, and their retries can start the storm with no spike,
    // in roughly one 90 s run in ten.)
    let (calm_errors, calm_ratio, _) = after_a_spike(base, 1.0);
    assert!(calm_errors < 0.01, "{calm_errors}");
    assert!(calm_ratio < 0.05, "{calm_ratio}");

    // A spike to 195 % for five seconds: calls time out, each is retried up
    // to three times while the abandoned attempts still occupy the
    // database, so it stays over capacity long after the spike: a retry
    // storm nobody programmed, sustained by the retries alone.
    let (storm_errors, storm_ratio, storm) = after_a_spike(base, 3.0);
    assert!(
        storm_errors > 0.5,
        "still failing 35 s later: {storm_errors}"
    );
    assert!(
        storm_ratio > 2.5,
        "amplified by the retries: {storm_ratio} {storm:?}"
    );
    assert!(
        storm.wasted > 1_000,
        "abandoned work done anyway: {storm:?}"
    );

    // With a 10 % budget the retries cannot multiply the load, and the
    // database recovers as it does with no retries at all.
    let (budget_errors, budget_ratio, budget) = after_a_spike(&budgeted, 3.0);
    assert!(
        budget_errors < 0.01,
        "recovered: {budget_errors} {budget:?}"
    );
    assert!(budget_ratio <= 0.1 + 1e-9, "{budget_ratio}");
    let (plain_errors, _, _) = after_a_spike(r#""timeout_ms": 200"#, 3.0);
    assert!(plain_errors < 0.01, "{plain_errors}");
}

/// 80 % of reads hit the cache; the database is slowed 100-fold. Returns
/// the snapshot over 30 s of the slow-down.
fn slow_database(policy: &str) -> Snapshot {
    let doc = design(
        r#""rate_rps": 400, "write_pct": 0, "static_pct": 0, "keys": 1000, "key_dist": "hot_set",
           "hot_keys_pct": 10, "hot_traffic_pct": 80, "timeout_ms": 5000"#,
        r#""size": "large", "service_ms": 1, "queue_capacity": 200"#,
        r#""size": "medium", "service_ms": 1"#,
        policy,
        Some(r#""capacity": 100, "ttl_s": 0"#),
        r#"{"at_s": 10, "action": "slow", "target": "db-1", "factor": 100}"#,
    );
    let mut sim = Simulation::from_doc(&doc).unwrap_or_else(|e| panic!("{e}"));
    sim.run_until(15 * SECOND);
    sim.reset_measurements();
    sim.run_until(45 * SECOND);
    sim.snapshot()
}

#[test]
fn a_bulkhead_keeps_a_slow_database_from_taking_the_threads_cache_hits_need() {
    // Without a bulkhead, each of web-1's 8 threads soon waits on the slow
    // database, and cache hits queue behind the misses.
    let open = slow_database(r#""timeout_ms": 0"#);
    // With at most 4 threads on the database, the others keep serving hits
    // (misses beyond the 4 fail at once).
    let walled = slow_database(r#""bulkhead": 4"#);
    let f = calls(&walled);
    assert!(f.in_flight <= 4 && f.bulkhead_rejected > 1_000, "{f:?}");
    // (Users count the ones whose answer arrived within the measurement.)
    assert!(walled.errors[ErrorCause::BulkheadFull].abs_diff(f.bulkhead_rejected) < 20);
    assert!(
        walled.completed as f64 > 2.5 * open.completed as f64,
        "served {} with a bulkhead, {} without",
        walled.completed,
        open.completed
    );
    // About the hit share of the 400 req/s gets through, quickly.
    let rate = walled.completed as f64 / 30.0;
    assert!((0.6 * 400.0..400.0).contains(&rate), "{rate} req/s");
    assert!(walled.latency_ms.p50 < 100.0, "{:?}", walled.latency_ms);
    assert!(open.latency_ms.p50 > 1_000.0, "{:?}", open.latency_ms);
}

#[test]
fn policies_go_only_on_a_web_servers_calls() {
    let json = r#"{"version": 1, "nodes": [
        {"id": "users-1", "kind": "users"}, {"id": "web-1", "kind": "web_server"}],
        "edges": [{"from": "users-1", "to": "web-1", "params": {"retries": 3}}]}"#;
    let problems = DesignDoc::from_json(json).unwrap().validate().unwrap_err();
    assert!(
        problems.0.iter().any(|p| p.location == "users-1 → web-1"
            && p.kind
                == ProblemKind::EdgeParamNotHere {
                    key: "retries".into()
                }),
        "{problems}"
    );
    let json = r#"{"version": 1, "nodes": [
        {"id": "users-1", "kind": "users"}, {"id": "web-1", "kind": "web_server"},
        {"id": "db-1", "kind": "database"}],
        "edges": [{"from": "users-1", "to": "web-1"},
                  {"from": "web-1", "to": "db-1", "params": {"retries": 11, "jitter": "lots"}}]}"#;
    let problems = DesignDoc::from_json(json).unwrap().validate().unwrap_err();
    let text = problems.to_string();
    assert!(
        text.contains("web-1 → db-1: retries must be 0..=10, got 11"),
        "{text}"
    );
    assert!(text.contains("web-1 → db-1: jitter must be"), "{text}");
}
