use super::*;
use scalesim::time::MILLISECOND;

fn doc() -> DesignDoc {
    DesignDoc::from_json(
        r#"{"version": 1, "seed": 1, "nodes": [
          {"id": "users-1", "kind": "users", "params": {"rate_rps": 1000}},
          {"id": "web-1", "kind": "web_server"}],
          "edges": [{"from": "users-1", "to": "web-1"}]}"#,
    )
    .unwrap()
}

#[test]
fn simulated_time_advances_by_wall_time_times_speed() {
    let mut d = Driver::default();
    d.set_speed(2.0);
    d.play(&doc()).unwrap();
    d.frame(1_000.0); // first frame only starts the clock
    assert_eq!(d.sim().unwrap().now(), 0);
    d.frame(1_016.0);
    assert_eq!(d.sim().unwrap().now(), 32 * MILLISECOND);
    // A 5-second gap (background tab) is capped at 100 ms of wall time.
    d.frame(6_016.0);
    assert_eq!(d.sim().unwrap().now(), 232 * MILLISECOND);
    let (dots, total) = d.dots();
    assert!(total > 0 && !dots.is_empty(), "requests are on the wire");
}

#[test]
fn a_step_is_exactly_one_event_or_ten_milliseconds_and_pauses() {
    let mut d = Driver::default();
    d.play(&doc()).unwrap();
    let t = d.step_event(&doc()).unwrap().expect("an event");
    assert!(!d.is_running());
    let sim = d.sim().unwrap();
    assert_eq!((sim.events_processed(), sim.now()), (1, t));
    d.step_time(&doc()).unwrap();
    assert_eq!(d.sim().unwrap().now(), t + 10 * MILLISECOND);
    let n = d.sim().unwrap().events_processed();
    d.step_event(&doc()).unwrap();
    assert_eq!(d.sim().unwrap().events_processed(), n + 1);
}

#[test]
fn as_fast_as_possible_runs_a_fixed_number_of_events_per_frame() {
    let mut d = Driver::default();
    d.set_speed(f64::INFINITY);
    d.play(&doc()).unwrap();
    d.frame(0.0);
    d.frame(16.0);
    assert_eq!(d.sim().unwrap().events_processed(), FRAME_EVENTS);
    // A finite speed asking for more than that per frame falls behind.
    let mut slow = Driver::default();
    slow.set_speed(1000.0);
    slow.play(&doc()).unwrap();
    slow.frame(0.0);
    slow.frame(100.0);
    let sim = slow.sim().unwrap();
    assert_eq!(sim.events_processed(), FRAME_EVENTS);
    assert!(sim.now() < 100 * scalesim::time::SECOND);
}

#[test]
fn a_frame_says_whether_it_fell_behind_the_time_it_aimed_for() {
    // What lets a worker run ahead between the page's frames: only a
    // frame that spent its budget before its target says so.
    let clock = ticking();
    let mut fast = Driver::default();
    fast.set_speed(f64::INFINITY);
    let mut fast = two_frames(fast, &clock);
    assert!(fast.behind(), "at max every frame ends on its budget");
    fast.pause();
    assert!(!fast.behind(), "paused, nothing is behind");
    let mut slow = Driver::default();
    slow.set_speed(1000.0);
    slow.play(&doc()).unwrap();
    slow.frame(0.0);
    slow.frame(100.0);
    assert!(slow.behind(), "100 s of a busy design in one frame");
    let mut easy = Driver::default();
    easy.play(&doc()).unwrap();
    easy.frame_within(0.0, &clock);
    easy.frame_within(16.0, &clock);
    let expected = scalesim::time::from_ms(16.0 * easy.speed());
    assert_eq!(easy.sim().unwrap().now(), expected, "reached its target");
    assert!(!easy.behind());
}

#[test]
fn a_run_behind_runs_ahead_between_frames_and_one_on_time_does_not() {
    let clock = ticking();
    // The frames' own adaptive budget: a slice must neither use nor change
    // it (frames on time would grow it by a step).
    let mut d = Driver::default();
    d.set_speed(f64::INFINITY);
    let mut d = two_frames(d, &clock);
    let (dots, drawn) = (d.dots().0.to_vec(), d.dots().1);
    let (events, budget) = (d.sim().unwrap().events_processed(), d.budget_ms());
    assert!(d.run_ahead(20.0, &clock, 2.0), "still behind at max");
    // Two chunks of events (the clock reads 1 ms later each look), the
    // frames' budget as it was, and the dots of the last frame kept.
    assert_eq!(
        d.sim().unwrap().events_processed(),
        events + 2 * FRAME_CHUNK
    );
    assert_eq!(d.budget_ms(), budget);
    assert_eq!((d.dots().0.to_vec(), d.dots().1), (dots, drawn));
    d.pause();
    let paused = d.sim().unwrap().events_processed();
    assert!(!d.run_ahead(30.0, &clock, 2.0));
    assert_eq!(d.sim().unwrap().events_processed(), paused);
    // Played again, it is not behind before a frame says so.
    d.play(&doc()).unwrap();
    assert!(!d.behind());
    assert!(!d.run_ahead(40.0, &clock, 2.0));
    assert_eq!(d.sim().unwrap().events_processed(), paused);
    // Nor after a change of speed, a seek or a reset.
    let behind_again = |d: &mut Driver, at: f64| {
        d.frame_within(at, &clock);
        d.frame_within(at + 16.7, &clock);
        assert!(d.behind());
    };
    behind_again(&mut d, 50.0);
    d.set_speed(2.0);
    assert!(!d.behind(), "a new speed");
    d.set_speed(f64::INFINITY);
    behind_again(&mut d, 100.0);
    d.seek(&doc(), MILLISECOND).unwrap();
    d.play(&doc()).unwrap();
    assert!(!d.behind(), "a seek");
    behind_again(&mut d, 150.0);
    d.reset();
    assert!(!d.behind(), "a reset");
    // A run on time has nothing to run ahead for.
    let mut easy = Driver::default();
    easy.play(&doc()).unwrap();
    easy.frame_within(0.0, &clock);
    easy.frame_within(16.0, &clock);
    let (now, events) = (
        easy.sim().unwrap().now(),
        easy.sim().unwrap().events_processed(),
    );
    assert!(!easy.run_ahead(20.0, &clock, 2.0));
    assert_eq!(easy.sim().unwrap().now(), now);
    assert_eq!(easy.sim().unwrap().events_processed(), events);
}

#[test]
fn at_a_speed_it_cannot_keep_a_frame_after_slices_behind_stays_behind() {
    // Slices run ahead leave the next frame little to cover, and it may
    // reach its target: the run must stay behind (so the worker goes on
    // running ahead after it) until a slice catches up.
    let clock = ticking();
    let mut d = Driver::default();
    d.set_fixed_budget(3.0);
    d.set_speed(100_000.0);
    let mut d = two_frames(d, &clock);
    assert!(d.behind(), "100,000x cannot be kept");
    assert!(d.run_ahead(18.0, &clock, 2.0));
    let events = d.sim().unwrap().events_processed();
    // The next tick stamped a little before the last slice (a slice's time
    // is reckoned from when its tick arrived): no wall time to cover, so
    // the frame reaches its target at once, and the run stays behind.
    d.frame_within(17.5, &clock);
    assert_eq!(d.sim().unwrap().events_processed(), events);
    assert!(d.behind(), "still behind after slices that were");
    // That frame moved no time back: a slice at the last slice's time has
    // nothing to cover, catches up, and ends it.
    assert!(!d.run_ahead(18.0, &clock, 2.0));
    assert_eq!(d.sim().unwrap().events_processed(), events);
    assert!(!d.behind());
}

/// `d` playing [`doc`], after its first frame (which only starts the
/// clock) and a second 16.7 ms later.
fn two_frames(mut d: Driver, clock: &dyn Fn() -> f64) -> Driver {
    d.play(&doc()).unwrap();
    d.frame_within(0.0, clock);
    d.frame_within(16.7, clock);
    d
}

/// A clock that reads 1 ms later each time it is read [ms].
fn ticking() -> impl Fn() -> f64 {
    let ticks = std::cell::Cell::new(0.0);
    move || {
        ticks.set(ticks.get() + 1.0);
        ticks.get()
    }
}

#[test]
fn a_frame_stops_simulating_when_its_time_budget_is_spent() {
    // The frame looks at the clock after every chunk and stops once its
    // budget has gone by.
    let clock = ticking();
    let mut d = Driver::default();
    d.set_speed(f64::INFINITY);
    let mut d = two_frames(d, &clock);
    // On time: the budget grew by one step, and was used whole.
    assert_eq!(d.budget_ms(), FRAME_BUDGET_MS + BUDGET_STEP_MS);
    let chunks = d.budget_ms().ceil() as u64;
    assert_eq!(d.sim().unwrap().events_processed(), chunks * FRAME_CHUNK);
    // A late frame (a missed refresh) shrinks it by a quarter.
    d.frame_within(50.0, &clock);
    assert_eq!(d.budget_ms(), (FRAME_BUDGET_MS + BUDGET_STEP_MS) * 0.75);
    // Frames on time grow it back, up to the most (at a speed that
    // needs few events, to keep the test quick).
    d.set_speed(0.001);
    for i in 0..1_000 {
        d.frame_within(50.0 + 16.7 * f64::from(i + 1), &clock);
    }
    assert_eq!(d.budget_ms(), MAX_BUDGET_MS);
    // A speed the budget covers is not held back.
    let mut easy = Driver::default();
    easy.play(&doc()).unwrap();
    easy.frame_within(0.0, &clock);
    easy.frame_within(16.0, &clock);
    let expected = scalesim::time::from_ms(16.0 * easy.speed());
    assert_eq!(easy.sim().unwrap().now(), expected);
}

#[test]
fn the_pace_reached_is_measured_over_each_second_of_running() {
    let clock = ticking();
    let mut d = Driver::default();
    d.set_speed(0.5);
    d.play(&doc()).unwrap();
    for i in 0..=70 {
        d.frame_within(16.0 * f64::from(i), &clock);
    }
    let pace = d.pace().expect("a second has passed");
    assert!((pace - 0.5).abs() < 1e-9, "an easy speed is kept: {pace}");
    d.set_speed(f64::INFINITY);
    assert_eq!(d.pace(), None, "a new speed is measured afresh");
    for i in 71..=150 {
        d.frame_within(16.0 * f64::from(i), &clock);
    }
    let events = d.sim().unwrap().events_processed();
    let now = scalesim::time::to_secs(d.sim().unwrap().now());
    let pace = d.pace().expect("measured");
    assert!(
        pace > 0.0 && pace.is_finite(),
        "{pace} after {events} events, {now} s"
    );
    d.pause();
    assert_eq!(d.pace(), None);
}

#[test]
fn another_seed_restarts_the_run_from_time_zero() {
    let mut d = Driver::default();
    d.play(&doc()).unwrap();
    d.frame(0.0);
    d.frame(50.0);
    assert!(d.sim().unwrap().now() > 0);
    let mut other = doc();
    other.seed = 2;
    d.design_changed(&other).unwrap();
    assert_eq!(d.sim().unwrap().now(), 0);
    assert!(d.is_running());
}

#[test]
fn a_killed_server_fails_requests_until_it_is_restarted() {
    let mut d = Driver::default();
    d.set_speed(1.0);
    assert!(d.inject_fault(&doc(), "web-1", NodeFault::Kill).unwrap());
    assert!(!d.is_up(1), "injected before running: built paused at 0");
    assert!(!d.inject_fault(&doc(), "nope", NodeFault::Kill).unwrap());
    d.play(&doc()).unwrap();
    d.frame(0.0);
    d.frame(100.0);
    let errors = d.snapshot().unwrap().errors.total();
    assert!(errors > 0);
    d.inject_fault(&doc(), "web-1", NodeFault::Restart).unwrap();
    assert!(d.is_up(1));
    let log: Vec<String> = d
        .log_rows(crate::i18n::Lang::En, 10)
        .into_iter()
        .map(|r| r.text)
        .collect();
    // Newest first: the restart, the failures it ended, the crash.
    assert_eq!(log[0], "web-1 restarted");
    assert_eq!(log[1], "web-1 down: requests failed");
    assert_eq!(log[2], "web-1 crashed");
}

#[test]
fn chaos_kills_a_live_server_and_spikes_traffic() {
    let mut d = Driver::default();
    assert_eq!(
        d.chaos(&doc(), Chaos::KillServer).unwrap().as_deref(),
        Some("web-1")
    );
    assert!(!d.is_up(1));
    assert_eq!(
        d.chaos(&doc(), Chaos::KillServer).unwrap(),
        None,
        "none left"
    );
    assert_eq!(
        d.chaos(&doc(), Chaos::KillMaster).unwrap(),
        None,
        "no database"
    );
    assert_eq!(d.chaos(&doc(), Chaos::KillDataCenter).unwrap(), None);
    assert_eq!(
        d.chaos(&doc(), Chaos::TrafficSpike).unwrap().as_deref(),
        Some("users-1")
    );
}

#[test]
fn pause_holds_time_and_reset_starts_over() {
    let mut d = Driver::default();
    d.play(&doc()).unwrap();
    d.frame(0.0);
    d.frame(50.0);
    let t = d.sim().unwrap().now();
    d.pause();
    d.frame(80.0);
    assert_eq!(d.sim().unwrap().now(), t);
    d.play(&doc()).unwrap();
    d.frame(500.0);
    d.frame(510.0);
    assert_eq!(d.sim().unwrap().now(), t + from_ms(10.0 * DEFAULT_SPEED));
    d.reset();
    assert!(d.snapshot().is_none());
}

#[test]
fn an_operator_promotes_a_replica_after_the_master_died() {
    let doc = DesignDoc::from_json(
        r#"{"version": 1, "seed": 1, "nodes": [
          {"id": "users-1", "kind": "users", "params": {"rate_rps": 100}},
          {"id": "web-1", "kind": "web_server"},
          {"id": "db-1", "kind": "database", "params": {"failover": "manual"}},
          {"id": "db-2", "kind": "database", "params": {"role": "replica"}}],
          "edges": [{"from": "users-1", "to": "web-1"}, {"from": "web-1", "to": "db-1"},
                    {"from": "db-1", "to": "db-2"}],
          "faults": [{"at_s": 0.5, "action": "kill", "target": "db-1"}]}"#,
    )
    .unwrap();
    let mut d = Driver::default();
    assert!(!d.operate("db-2", Operation::Promote), "nothing runs yet");
    d.set_speed(10.0);
    d.play(&doc).unwrap();
    for t in 0..20 {
        d.frame(f64::from(t) * 16.0);
    }
    let role = |d: &Driver| {
        let s = d.snapshot().unwrap();
        s.nodes.iter().find(|n| n.id == "db-2").unwrap().role
    };
    assert_eq!(role(&d), Some(scalesim::model::DbRole::Replica));
    assert!(d.operate("db-2", Operation::Promote));
    assert_eq!(role(&d), Some(scalesim::model::DbRole::Master));
    assert!(
        d.operate("db-2", Operation::Purge),
        "refused quietly: not a cache"
    );
}

#[test]
fn after_a_fix_the_panel_shows_the_last_ten_seconds_like_the_chart() {
    // web-1 is down from 1 s to 6 s; at 20 s the panel's default figures
    // are the chart's last ten points, and "since start" still counts
    // the outage.
    let mut doc = doc();
    doc.faults = serde_json::from_str(
        r#"[{"at_s": 1, "action": "kill", "target": "web-1"},
            {"at_s": 6, "action": "restart", "target": "web-1"}]"#,
    )
    .unwrap();
    let mut d = Driver::default();
    d.set_speed(f64::INFINITY);
    d.play(&doc).unwrap();
    d.pause();
    d.sim
        .as_mut()
        .unwrap()
        .run_until(20 * scalesim::time::SECOND);
    let now = d.snapshot().unwrap();
    let sim = d.sim().unwrap();
    let points = &sim.series()[sim.series().len() - 10..];
    let errors: u64 = points.iter().map(|p| p.errors).sum();
    let answered: u64 = points.iter().map(|p| p.answered).sum();
    assert_eq!(now.errors.total(), errors);
    assert_eq!(now.completed + now.errors.total(), answered);
    d.set_recent(false);
    let all = d.snapshot().unwrap();
    assert!(all.error_rate > 0.2 && now.error_rate < all.error_rate);
    // The ledger of wiped sessions stays whole in both.
    assert!(all.sessions_lost > 0);
    d.set_recent(true);
    assert_eq!(d.snapshot().unwrap().sessions_lost, all.sessions_lost);
}

#[test]
fn seeking_forward_runs_and_backward_replays_the_same_run() {
    let mut d = Driver::default();
    d.seek(&doc(), 5 * scalesim::time::SECOND).unwrap();
    let at5 = d.snapshot().unwrap();
    assert_eq!(at5.now_ns, 5 * scalesim::time::SECOND);
    assert!(!d.is_running());
    d.seek(&doc(), 8 * scalesim::time::SECOND).unwrap();
    d.seek(&doc(), 5 * scalesim::time::SECOND).unwrap();
    let again = d.snapshot().unwrap();
    assert_eq!(
        (again.completed, again.events, again.now_ns),
        (at5.completed, at5.events, at5.now_ns)
    );
    d.play(&doc()).unwrap();
    d.seek(&doc(), 9 * scalesim::time::SECOND).unwrap();
    assert!(d.is_running(), "a running simulation keeps running");
    // Back into a design that does not run: refused, and the run stays.
    let mut broken = doc();
    broken.edges.clear();
    assert!(d.seek(&broken, scalesim::time::SECOND).is_err());
    assert_eq!(d.sim().unwrap().now(), 9 * scalesim::time::SECOND);
    assert!(d.is_running());
}

#[test]
fn an_unrunnable_design_reports_its_problems() {
    let mut bad = doc();
    bad.edges.clear();
    let err = Driver::default().play(&bad).unwrap_err();
    assert!(err.to_string().contains("users-1 is not connected"));
}

#[test]
fn mid_edit_the_run_goes_on_with_the_last_valid_design_and_nothing_is_drawn_on_a_deleted_connection()
 {
    let mut d = Driver::default();
    d.set_speed(1.0);
    d.play(&doc()).unwrap();
    d.frame(0.0);
    d.frame(50.0);
    d.frame(100.0);
    assert!(!d.dots().0.is_empty());
    // The user deletes the connection to rewire it: Users now goes nowhere.
    let mut cut = doc();
    cut.edges.clear();
    let problems = d.design_changed(&cut).unwrap_err();
    assert!(problems.to_string().contains("users-1 is not connected"));
    assert!(d.is_running() && d.held(), "the run goes on");
    let before = d.sim().unwrap().now();
    for t in [150.0, 200.0, 1_300.0, 1_400.0, 2_500.0] {
        d.frame(t);
    }
    let sim = d.sim().unwrap();
    assert!(sim.now() > before, "the clock moves on");
    assert!(sim.snapshot().completed > 0, "requests are still served");
    assert!(d.dots().1 > 0, "requests are on the wire in the simulation");
    assert!(
        d.dots().0.is_empty(),
        "but none is drawn on the deleted connection"
    );
    assert!(d.rates().is_empty(), "nor a rate label");
    // Connected again: the fix takes effect at once, the clock carries on.
    let now = d.sim().unwrap().now();
    d.design_changed(&doc()).unwrap();
    assert!(!d.held() && d.is_running());
    d.frame(2_550.0);
    assert!(d.sim().unwrap().now() > now, "not restarted");
    assert!(!d.dots().0.is_empty());
}

#[test]
fn a_fixed_budget_does_not_shrink_after_late_frames() {
    let mut d = Driver::default();
    d.set_fixed_budget(12.0);
    d.set_speed(f64::INFINITY);
    d.play(&doc()).unwrap();
    // Frames 50 ms apart: late for a 60 Hz display.
    for k in 0..10 {
        d.frame(f64::from(k) * 50.0);
    }
    assert_eq!(d.budget_ms(), 12.0);
    let mut adaptive = Driver::default();
    adaptive.set_speed(f64::INFINITY);
    adaptive.play(&doc()).unwrap();
    for k in 0..10 {
        adaptive.frame(f64::from(k) * 16.0);
    }
    for k in 0..10 {
        adaptive.frame(160.0 + f64::from(k) * 50.0);
    }
    assert_eq!(adaptive.budget_ms(), MIN_BUDGET_MS);
}

#[test]
fn the_same_design_again_after_building_leaves_the_run_as_it_is() {
    let mut a = Driver::default();
    let mut b = Driver::default();
    a.seek(&doc(), 0).unwrap();
    b.seek(&doc(), 0).unwrap();
    // An edit that changes nothing that runs (as a page replaying what
    // it sent, or a component moved).
    let mut moved = doc();
    moved.nodes[0].x += 40.0;
    b.design_changed(&moved).unwrap();
    a.seek(&doc(), 5 * scalesim::time::SECOND).unwrap();
    b.seek(&moved, 5 * scalesim::time::SECOND).unwrap();
    assert_eq!(a.snapshot(), b.snapshot());
}
