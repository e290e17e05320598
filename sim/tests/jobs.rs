//! Message queues and workers: slow work leaves the web request, jobs are
//! delivered at least once and conserved through a durable queue, lost with
//! a non-durable one, retried and dead-lettered, and workers autoscale on
//! the backlog.

use scalesim::model::ErrorCause;
use scalesim::model::{LogEvent, QueueFigures, Snapshot, WorkerFigures};
use scalesim::time::SECOND;
use scalesim::{DesignDoc, Simulation};

/// users-1 (writes only) → web-1 → db-1, and web-1 → queue-1 → workers-1
/// when `queued`. Every write carries a 500 ms job.
fn design(queued: bool, users: &str, queue: &str, workers: &str, faults: &str) -> DesignDoc {
    let mut edges = vec![
        r#"{"from": "users-1", "to": "web-1"}"#,
        r#"{"from": "web-1", "to": "db-1"}"#,
    ];
    if queued {
        edges.push(r#"{"from": "web-1", "to": "queue-1"}"#);
        edges.push(r#"{"from": "queue-1", "to": "workers-1"}"#);
    }
    let json = format!(
        r#"{{"version": 1, "seed": 3,
          "nodes": [
            {{"id": "users-1", "kind": "users", "params": {{"write_pct": 100, "static_pct": 0,
               "timeout_ms": 600000, {users}}}}},
            {{"id": "web-1", "kind": "web_server", "params": {{"size": "4xlarge", "service_ms": 2,
               "job_pct": 100, "job_ms": 500, "queue_capacity": 10000}}}},
            {{"id": "db-1", "kind": "database", "params": {{"size": "4xlarge", "write_ms": 2}}}},
            {{"id": "queue-1", "kind": "queue", "params": {{{queue}}}}},
            {{"id": "workers-1", "kind": "workers", "params": {{{workers}}}}}],
          "edges": [{}],
          "faults": [{faults}]}}"#,
        edges.join(", ")
    );
    DesignDoc::from_json(&json).unwrap_or_else(|e| panic!("{e}\n{json}"))
}

fn run(doc: &DesignDoc, seconds: u64) -> (Simulation, Snapshot) {
    let mut sim = Simulation::from_doc(doc).unwrap_or_else(|e| panic!("{e}"));
    sim.run_until(seconds * SECOND);
    let s = sim.snapshot();
    (sim, s)
}

fn queue(s: &Snapshot) -> QueueFigures {
    s.nodes
        .iter()
        .find(|n| n.id == "queue-1")
        .unwrap()
        .queue
        .unwrap()
}

fn pool(s: &Snapshot) -> WorkerFigures {
    s.nodes
        .iter()
        .find(|n| n.id == "workers-1")
        .unwrap()
        .pool
        .unwrap()
}

/// Every job accepted is somewhere: done, waiting, out with a worker,
/// dead-lettered, or lost with a non-durable queue.
fn conserved(q: &QueueFigures) -> bool {
    q.enqueued == q.completed + q.backlog + q.in_flight + q.dead_lettered + q.lost
}

#[test]
fn a_queue_takes_the_slow_job_out_of_the_web_request() {
    let users = r#""rate_rps": 20"#;
    let workers = r#""instances": 4, "concurrency": 4"#;
    let (_, inline) = run(&design(false, users, "", workers, ""), 60);
    let (_, queued) = run(&design(true, users, "", workers, ""), 60);
    // Inline, every write waits for its 500 ms job.
    assert!(
        inline.write_latency_ms.p50 > 550.0,
        "{:?}",
        inline.write_latency_ms
    );
    // Handed off, the write returns after the enqueue: 50 ms of internet
    // plus a few ms of work.
    assert!(
        queued.write_latency_ms.p50 < 65.0,
        "{:?}",
        queued.write_latency_ms
    );
    let q = queue(&queued);
    assert!(q.enqueued > 1_100, "{q:?}");
    assert!(q.completed + 20 >= q.enqueued, "the workers keep up: {q:?}");
    assert!(conserved(&q));
}

#[test]
fn jobs_are_conserved_through_a_durable_queue_across_a_worker_crash() {
    // The workers die at 10 s with jobs in hand and return at 12 s; those
    // jobs come back when their 5 s visibility timeout runs out.
    let doc = design(
        true,
        r#""rate_rps": 20"#,
        r#""visibility_timeout_s": 5"#,
        r#""instances": 4, "concurrency": 4"#,
        r#"{"at_s": 10, "action": "kill", "target": "workers-1"},
           {"at_s": 12, "action": "restart", "target": "workers-1"}"#,
    );
    let mut sim = Simulation::from_doc(&doc).unwrap();
    for t in [5, 10, 11, 14, 16, 30, 60] {
        sim.run_until(t * SECOND);
        let q = queue(&sim.snapshot());
        assert!(conserved(&q), "at {t} s: {q:?}");
        if t == 11 {
            // Down: jobs pile up, and the dead workers' jobs are in limbo.
            assert!(q.backlog >= 15 && q.in_flight >= 5, "{q:?}");
            assert!(q.oldest_age_s > 0.5, "{q:?}");
        }
    }
    let q = queue(&sim.snapshot());
    // About 10 jobs (20/s × 0.5 s) were in the dead workers' hands.
    assert!((5..=20).contains(&q.redelivered), "{q:?}");
    assert_eq!(q.lost, 0);
    assert_eq!(q.dead_lettered, 0);
    assert!(q.backlog < 5, "caught up again: {q:?}");
}

#[test]
fn a_non_durable_queue_loses_its_backlog_and_a_durable_one_keeps_it() {
    // One slow worker: 2 jobs/s against 20/s offered, so a backlog builds;
    // the queue crashes at 20 s and returns at 21 s.
    let faults = r#"{"at_s": 20, "action": "kill", "target": "queue-1"},
                    {"at_s": 21, "action": "restart", "target": "queue-1"}"#;
    let workers = r#""instances": 1, "concurrency": 1"#;
    let users = r#""rate_rps": 20"#;
    let check = |durable: &str| {
        let doc = design(
            true,
            users,
            &format!(r#""durable": "{durable}""#),
            workers,
            faults,
        );
        let mut sim = Simulation::from_doc(&doc).unwrap();
        sim.run_until(20 * SECOND - 1);
        let before = queue(&sim.snapshot());
        sim.run_until(25 * SECOND);
        let s = sim.snapshot();
        (sim, before, queue(&s), s)
    };
    let (sim, before, after, s) = check("off");
    assert!(before.backlog > 300, "{before:?}");
    assert_eq!(after.lost, before.backlog + before.in_flight, "{after:?}");
    assert!(conserved(&after), "{after:?}");
    assert!(
        sim.log()
            .any(|e| matches!(e.event, LogEvent::JobsLost { .. }))
    );
    // While it was down, writes could not hand off their jobs.
    assert!(s.errors[ErrorCause::NodeDown] > 10, "{:?}", s.errors);

    let (_, before, after, _) = check("on");
    assert_eq!(after.lost, 0);
    assert!(
        after.backlog > before.backlog,
        "kept, and still growing: {after:?}"
    );
    assert!(conserved(&after));
}

#[test]
fn failing_attempts_are_retried_then_dead_lettered() {
    // Half the attempts fail; after 3 a job is dead-lettered: 1/8 of them.
    let doc = design(
        true,
        r#""rate_rps": 20"#,
        r#""max_attempts": 3"#,
        r#""instances": 8, "concurrency": 4, "failure_pct": 50"#,
        "",
    );
    let (_, s) = run(&doc, 200);
    let q = queue(&s);
    assert!(conserved(&q));
    let finished = (q.completed + q.dead_lettered) as f64;
    let dead = q.dead_lettered as f64 / finished;
    assert!((dead - 0.125).abs() < 0.02, "{dead} of {q:?}");
    let w = pool(&s);
    // Attempts per job: 1 + 1/2 + 1/4 = 1.75, half of them failing.
    let attempts = (w.processed + w.failed) as f64 / finished;
    assert!((attempts - 1.75).abs() < 0.05, "{attempts}");
}

#[test]
fn a_visibility_timeout_shorter_than_the_job_delivers_it_twice() {
    // At-least-once: a 0.3 s timeout on 0.5 s jobs hands every job to a
    // second worker before the first one finishes.
    let doc = design(
        true,
        r#""rate_rps": 5"#,
        r#""visibility_timeout_s": 0.3, "max_attempts": 100"#,
        r#""instances": 8, "concurrency": 4"#,
        "",
    );
    let (_, s) = run(&doc, 60);
    let q = queue(&s);
    assert!(q.redelivered > 200 && q.duplicates > 200, "{q:?}");
    assert!(conserved(&q));
}

#[test]
fn workers_autoscale_on_the_backlog_after_their_start_up_delay() {
    // One instance does 2 jobs/s × 4 = 8/s; 30 jobs/s arrive. The
    // autoscaler (every 10 s) asks for more; they start 20 s later.
    let doc = design(
        true,
        r#""rate_rps": 30"#,
        "",
        r#""instances": 1, "concurrency": 4, "autoscale": "on", "max_instances": 10,
           "backlog_per_instance": 20, "startup_s": 20"#,
        "",
    );
    let mut sim = Simulation::from_doc(&doc).unwrap();
    sim.run_until(15 * SECOND);
    let early = pool(&sim.snapshot());
    assert!(
        early.instances > 1 && early.starting == early.instances - 1,
        "{early:?}"
    );
    sim.run_until(25 * SECOND);
    let backlog_25 = queue(&sim.snapshot()).backlog;
    sim.run_until(120 * SECOND);
    let s = sim.snapshot();
    let late = pool(&s);
    // At least four running (32 jobs/s for 30): the pool then swings
    // between four and five as the backlog comes and goes, so a fifth may
    // be starting at any moment.
    assert!(late.instances - late.starting >= 4, "{late:?}");
    assert!(
        queue(&s).backlog < backlog_25 / 4,
        "drained: {:?}",
        queue(&s)
    );
    assert!(
        sim.log()
            .any(|e| matches!(e.event, LogEvent::ScaledUp { .. }))
    );
    // The pool's bill follows its size (small: 0.025 USD/h, starting
    // machines included).
    for f in [early, late] {
        let expected = f64::from(f.instances) * 0.025 * 730.0;
        assert!((f.cost_per_month - expected).abs() < 1e-9, "{f:?}");
    }
    let series = sim.series();
    assert!(series[24].backlog > series[110].backlog);
}

#[test]
fn jobs_on_their_way_to_a_worker_and_back_are_drawn_as_dots() {
    use scalesim::model::DotKind;
    use scalesim::time::MICROSECOND;
    let doc = design(
        true,
        r#""rate_rps": 20"#,
        r#""max_attempts": 3"#,
        r#""instances": 8, "concurrency": 4, "failure_pct": 50"#,
        "",
    );
    let mut sim = Simulation::from_doc(&doc).unwrap();
    let ids = sim.node_ids().to_vec();
    let at = |id: &str| ids.iter().position(|x| x == id).unwrap() as u32;
    let (q, w) = (at("queue-1"), at("workers-1"));
    let mut dots = Vec::new();
    let (mut deliveries, mut acks, mut failed_acks, mut samples) = (0u64, 0u64, 0u64, 0u64);
    let step = 50 * MICROSECOND;
    let (from, to) = (10 * SECOND, 110 * SECOND);
    sim.run_until(from);
    let before = pool(&sim.snapshot());
    let mut t = from;
    while t < to {
        t += step;
        sim.run_until(t);
        let total = sim.sample_in_flight(1_000_000, &mut dots);
        assert_eq!(
            total,
            dots.len() as u64,
            "every dot drawn when there is room"
        );
        samples += 1;
        for d in dots.iter().filter(|d| d.kind == DotKind::Job) {
            assert!((0.0..=1.0).contains(&d.progress), "{d:?}");
            assert!(!d.stale);
            if d.reply {
                assert_eq!((d.from, d.to), (w, q), "an acknowledgement goes back");
                acks += 1;
                failed_acks += u64::from(d.failed);
            } else {
                assert_eq!((d.from, d.to), (q, w), "a delivery goes to the workers");
                assert!(!d.failed);
                deliveries += 1;
            }
        }
    }
    let after = pool(&sim.snapshot());
    // Little's law on the hop: jobs on it = attempts per second × 0.5 ms.
    let attempts = (after.processed + after.failed - before.processed - before.failed) as f64;
    let expected = attempts / 100.0 * 0.0005 * samples as f64;
    for (seen, what) in [(deliveries, "deliveries"), (acks, "acks")] {
        let ratio = seen as f64 / expected;
        assert!((ratio - 1.0).abs() < 0.1, "{what}: {seen} vs {expected}");
    }
    // Half the attempts fail: half the acknowledgements are drawn as errors.
    let share = failed_acks as f64 / acks as f64;
    assert!((share - 0.5).abs() < 0.1, "{share}");
}
