//! Every error cause a run produces leaves event-log entries at the node
//! where requests fail: when it starts, how many every ten seconds, and when
//! it is over — and those counts add up to the error counts by cause. Each
//! node also keeps its latest failed request, with its route.

use scalesim::model::{LogEvent, QUIET_AFTER};
use scalesim::time::{SECOND, from_secs};
use scalesim::{DesignDoc, ErrorCause, Simulation, Snapshot};

fn run(json: &str, secs: u64) -> (Simulation, Snapshot) {
    let doc = DesignDoc::from_json(json).unwrap();
    let mut sim = Simulation::from_doc(&doc).unwrap();
    sim.run_until(secs * SECOND);
    let s = sim.snapshot();
    (sim, s)
}

fn index(sim: &Simulation, id: &str) -> u32 {
    sim.node_ids().iter().position(|x| x == id).unwrap() as u32
}

/// The incident log of `cause` at node `at`: (start time [s], the other
/// node, counts reported while it went on, (total, lasted [s]) if over).
#[derive(Debug)]
struct Incident {
    started_s: f64,
    other: Option<u32>,
    reported: Vec<u64>,
    over: Option<(u64, f64)>,
}

fn incidents(sim: &Simulation, at: &str, cause: ErrorCause) -> Vec<Incident> {
    let node = index(sim, at);
    let mut out: Vec<Incident> = Vec::new();
    for e in sim.log().filter(|e| e.node == node) {
        match e.event {
            LogEvent::FailuresStarted { cause: c, other } if c == cause => out.push(Incident {
                started_s: e.t as f64 / 1e9,
                other,
                reported: Vec::new(),
                over: None,
            }),
            LogEvent::Failing {
                cause: c, count, ..
            } if c == cause => out.last_mut().expect("after a start").reported.push(count),
            LogEvent::FailuresStopped {
                cause: c,
                count,
                lasted_s,
                ..
            } if c == cause => {
                out.last_mut().expect("after a start").over = Some((count, lasted_s))
            }
            _ => {}
        }
    }
    out
}

/// Checks the one incident of `cause` at `at`: it started within
/// `started` [s], ended, and counted exactly the requests that failed so.
fn one_incident(
    sim: &Simulation,
    s: &Snapshot,
    at: &str,
    cause: ErrorCause,
    started: (f64, f64),
) -> Incident {
    let mut found = incidents(sim, at, cause);
    assert_eq!(found.len(), 1, "{at} {cause:?}: {found:?}");
    let i = found.remove(0);
    assert!(
        (started.0..=started.1).contains(&i.started_s),
        "{at} {cause:?} started at {}",
        i.started_s
    );
    let (total, _) = i.over.expect("the incident ended and said so");
    assert_eq!(total, s.errors.get(cause), "{at} {cause:?}: log vs panel");
    // The counts reported every 10 s are part of the total (what came
    // after the last report is only in the total).
    let reported: u64 = i.reported.iter().sum();
    assert!(reported <= total && !i.reported.is_empty(), "{i:?}");
    let latest = sim.latest_failure(index(sim, at) as usize).expect("kept");
    assert_eq!(latest.error, Some(cause));
    assert_eq!(latest.failed_at, Some(index(sim, at)));
    assert!(!latest.hops.is_empty() && latest.created < latest.finished);
    i
}

#[test]
fn a_full_queue_is_logged_where_it_refuses() {
    // A spike from 10 s to 20 s overflows web-1's small queue.
    let (sim, s) = run(
        r#"{"version": 1, "seed": 2, "nodes": [
          {"id": "users-1", "kind": "users", "params": {"rate_rps": 60}},
          {"id": "web-1", "kind": "web_server", "params": {"size": "nano", "queue_capacity": 10}}],
          "edges": [{"from": "users-1", "to": "web-1"}],
          "faults": [{"at_s": 10, "action": "spike", "target": "users-1", "factor": 5, "duration_s": 10}]}"#,
        40,
    );
    let i = one_incident(&sim, &s, "web-1", ErrorCause::QueueFull, (10.0, 12.0));
    assert_eq!(i.other, None);
    // It ends a quiet period after the spike.
    let over = sim
        .log()
        .find(|e| matches!(e.event, LogEvent::FailuresStopped { .. }))
        .unwrap();
    let at = over.t as f64 / 1e9;
    assert!(
        (20.0..=20.0 + QUIET_AFTER as f64 / 1e9 + 1.0).contains(&at),
        "{at}"
    );
}

#[test]
fn users_giving_up_and_queue_timeouts_are_logged_where_they_happen() {
    // users-1 gives up after 300 ms while web-1 is slowed; web-2's queue
    // drops requests that waited past its 100 ms queue timeout once a spike
    // brings more than it can serve (120/s for its 100/s; at 30/s a wait of
    // 100 ms is too rare to happen before the spike).
    let (sim, s) = run(
        r#"{"version": 1, "seed": 3, "nodes": [
          {"id": "users-1", "kind": "users", "params": {"rate_rps": 20, "timeout_ms": 300}},
          {"id": "web-1", "kind": "web_server", "params": {"service_dist": "constant"}}],
          "edges": [{"from": "users-1", "to": "web-1"}],
          "faults": [{"at_s": 5, "action": "slow", "target": "web-1", "factor": 50, "duration_s": 10}]}"#,
        40,
    );
    one_incident(&sim, &s, "users-1", ErrorCause::Timeout, (5.0, 6.0));
    let (sim, s) = run(
        r#"{"version": 1, "seed": 3, "nodes": [
          {"id": "users-1", "kind": "users", "params": {"rate_rps": 30}},
          {"id": "web-2", "kind": "web_server", "params": {"size": "nano", "queue_timeout_ms": 100}}],
          "edges": [{"from": "users-1", "to": "web-2"}],
          "faults": [{"at_s": 5, "action": "spike", "target": "users-1", "factor": 4, "duration_s": 10}]}"#,
        40,
    );
    one_incident(&sim, &s, "web-2", ErrorCause::Timeout, (5.0, 8.0));
}

#[test]
fn a_dead_server_then_no_healthy_server_are_logged_in_turn() {
    // web-1 dies at 10 s: requests fail at web-1 until the load balancer's
    // checks (every 2 s, 3 in a row) take it out; then lb-1 has no healthy
    // server until web-1 is back at 30 s and passes 2 checks. (Static
    // files only: no logins, so no logouts after the restart.)
    let (sim, s) = run(
        r#"{"version": 1, "seed": 4, "nodes": [
          {"id": "users-1", "kind": "users", "params": {"rate_rps": 50, "static_pct": 100, "write_pct": 0}},
          {"id": "lb-1", "kind": "load_balancer", "params": {"health_interval_s": 2}},
          {"id": "web-1", "kind": "web_server"}],
          "edges": [{"from": "users-1", "to": "lb-1"}, {"from": "lb-1", "to": "web-1"}],
          "faults": [{"at_s": 10, "action": "kill", "target": "web-1"},
                     {"at_s": 30, "action": "restart", "target": "web-1"}]}"#,
        60,
    );
    one_incident(&sim, &s, "web-1", ErrorCause::NodeDown, (10.0, 10.5));
    let i = one_incident(&sim, &s, "lb-1", ErrorCause::NoHealthyBackend, (14.0, 16.5));
    assert!(i.over.unwrap().1 > 10.0, "until the restart is noticed");
}

#[test]
fn lost_sessions_name_the_server_that_had_them() {
    // Round robin over two servers that keep sessions in memory: a user
    // bounced to the other server is logged out there.
    let (sim, s) = run(
        r#"{"version": 1, "seed": 5, "nodes": [
          {"id": "users-1", "kind": "users", "params": {"rate_rps": 40, "population": 50, "static_pct": 0}},
          {"id": "lb-1", "kind": "load_balancer", "params": {"algorithm": "random"}},
          {"id": "web-1", "kind": "web_server"},
          {"id": "web-2", "kind": "web_server"}],
          "edges": [{"from": "users-1", "to": "lb-1"}, {"from": "lb-1", "to": "web-1"},
                    {"from": "lb-1", "to": "web-2"}]}"#,
        30,
    );
    let web1 = index(&sim, "web-1");
    let at2 = incidents(&sim, "web-2", ErrorCause::SessionLost);
    assert_eq!(at2.len(), 1);
    assert_eq!(at2[0].other, Some(web1), "their session was on web-1");
    assert!(at2[0].reported.iter().sum::<u64>() > 100);
    let at1 = incidents(&sim, "web-1", ErrorCause::SessionLost);
    assert_eq!(at1[0].other, Some(index(&sim, "web-2")));
    // Still going on: not over, and every logout is counted in an
    // incident's reports or since its last report.
    assert!(at1[0].over.is_none() && at2[0].over.is_none());
    assert!(s.errors[ErrorCause::SessionLost] > 0);
}

#[test]
fn a_cut_link_is_logged_at_the_side_that_gives_up() {
    let (sim, s) = run(
        r#"{"version": 1, "seed": 6, "nodes": [
          {"id": "users-1", "kind": "users", "params": {"rate_rps": 30}},
          {"id": "web-1", "kind": "web_server"},
          {"id": "db-1", "kind": "database"}],
          "edges": [{"from": "users-1", "to": "web-1"}, {"from": "web-1", "to": "db-1"}],
          "faults": [{"at_s": 10, "action": "cut", "from": "web-1", "to": "db-1", "duration_s": 10}]}"#,
        40,
    );
    let i = one_incident(&sim, &s, "web-1", ErrorCause::LinkDown, (10.0, 11.5));
    assert_eq!(i.other, Some(index(&sim, "db-1")));
}

#[test]
fn writes_without_a_master_are_logged_at_the_database() {
    // The master dies at 10 s; the replica, applying 100 of the 150 writes
    // a second, is promoted after 2 s but has a backlog to apply first:
    // writes meanwhile find no master.
    let (sim, s) = run(
        r#"{"version": 1, "seed": 7, "nodes": [
          {"id": "users-1", "kind": "users", "params": {"rate_rps": 300, "write_pct": 50, "static_pct": 0}},
          {"id": "web-1", "kind": "web_server", "params": {"size": "2xlarge"}},
          {"id": "db-1", "kind": "database", "params": {"detect_s": 2}},
          {"id": "db-2", "kind": "database", "params": {"role": "replica", "apply_rate": 100}}],
          "edges": [{"from": "users-1", "to": "web-1"}, {"from": "web-1", "to": "db-1"},
                    {"from": "web-1", "to": "db-2"}, {"from": "db-1", "to": "db-2"}],
          "faults": [{"at_s": 10, "action": "kill", "target": "db-1"}]}"#,
        60,
    );
    let found = incidents(&sim, "db-2", ErrorCause::NoMaster);
    assert_eq!(found.len(), 1, "{found:?}");
    let (total, _) = found[0].over.expect("over once the relay log is applied");
    assert_eq!(total, s.errors[ErrorCause::NoMaster]);
    assert!(found[0].started_s >= 12.0);
}

#[test]
fn call_policies_log_timeouts_open_breakers_and_full_bulkheads() {
    // Calls to db-1 time out while it is slowed (from 10 s to 20 s). (A
    // large web-1: its threads wait out those calls without filling its
    // queue, so the calls' timeouts are web-1's latest failures.)
    let (sim, s) = run(
        r#"{"version": 1, "seed": 8, "nodes": [
          {"id": "users-1", "kind": "users", "params": {"rate_rps": 30}},
          {"id": "web-1", "kind": "web_server", "params": {"size": "large"}},
          {"id": "db-1", "kind": "database"}],
          "edges": [{"from": "users-1", "to": "web-1"},
                    {"from": "web-1", "to": "db-1", "params": {"timeout_ms": 200}}],
          "faults": [{"at_s": 10, "action": "slow", "target": "db-1", "factor": 100, "duration_s": 10}]}"#,
        50,
    );
    let db = index(&sim, "db-1");
    let i = one_incident(&sim, &s, "web-1", ErrorCause::CallTimeout, (10.0, 11.0));
    assert_eq!(i.other, Some(db));

    // A breaker opens on a dead database: calls fail fast until it is back.
    let (sim, s) = run(
        r#"{"version": 1, "seed": 9, "nodes": [
          {"id": "users-1", "kind": "users", "params": {"rate_rps": 50}},
          {"id": "web-1", "kind": "web_server"},
          {"id": "db-1", "kind": "database"}],
          "edges": [{"from": "users-1", "to": "web-1"},
                    {"from": "web-1", "to": "db-1", "params": {"breaker": "on", "breaker_window_s": 5}}],
          "faults": [{"at_s": 10, "action": "kill", "target": "db-1"},
                     {"at_s": 20, "action": "restart", "target": "db-1"}]}"#,
        50,
    );
    let i = one_incident(&sim, &s, "web-1", ErrorCause::CircuitOpen, (10.0, 15.0));
    assert_eq!(i.other, Some(db));

    // A bulkhead of 5 on a slowed database refuses the sixth waiting call.
    let (sim, s) = run(
        r#"{"version": 1, "seed": 10, "nodes": [
          {"id": "users-1", "kind": "users", "params": {"rate_rps": 50}},
          {"id": "web-1", "kind": "web_server", "params": {"size": "large"}},
          {"id": "db-1", "kind": "database"}],
          "edges": [{"from": "users-1", "to": "web-1"},
                    {"from": "web-1", "to": "db-1", "params": {"bulkhead": 5}}],
          "faults": [{"at_s": 10, "action": "slow", "target": "db-1", "factor": 50, "duration_s": 10}]}"#,
        50,
    );
    let i = one_incident(&sim, &s, "web-1", ErrorCause::BulkheadFull, (10.0, 11.0));
    assert_eq!(i.other, Some(db));
}

#[test]
fn a_failed_request_on_its_way_back_shows_where_it_went_and_why() {
    // web-1 is down: dots on their way back to the users carry the error;
    // each names its route and where it failed.
    let doc = DesignDoc::from_json(
        r#"{"version": 1, "seed": 11, "nodes": [
          {"id": "users-1", "kind": "users", "params": {"rate_rps": 200}},
          {"id": "lb-1", "kind": "load_balancer"},
          {"id": "web-1", "kind": "web_server"}],
          "edges": [{"from": "users-1", "to": "lb-1"}, {"from": "lb-1", "to": "web-1"}],
          "faults": [{"at_s": 1, "action": "kill", "target": "web-1"}]}"#,
    )
    .unwrap();
    let mut sim = Simulation::from_doc(&doc).unwrap();
    sim.run_until(from_secs(2.0));
    let mut dots = Vec::new();
    sim.sample_in_flight(1_000, &mut dots);
    let failed: Vec<_> = dots.iter().filter(|d| d.failed).collect();
    assert!(!failed.is_empty());
    let web = index(&sim, "web-1");
    for d in failed {
        let j = sim.journey_of(d.request, d.sent).expect("on its way");
        assert!(j.in_flight);
        assert_eq!(j.error, Some(ErrorCause::NodeDown));
        assert_eq!(j.failed_at, Some(web));
        let route: Vec<u32> = j.hops.iter().map(|h| h.node).collect();
        assert_eq!(route, [index(&sim, "lb-1"), web]);
    }
    // A request that succeeds carries no error.
    let ok = dots.iter().find(|d| !d.failed && d.request != u32::MAX);
    if let Some(d) = ok {
        assert_eq!(sim.journey_of(d.request, d.sent).unwrap().error, None);
        // The same slot under another send time is another request.
        assert!(sim.journey_of(d.request, d.sent + 1).is_none());
    }
}
