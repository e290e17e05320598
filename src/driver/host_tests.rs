use super::host::*;
use super::*;
use crate::live::Live;
use scalesim::design::DesignDoc;
use std::rc::Rc;

fn example(key: &str) -> DesignDoc {
    let e = crate::panels::examples::find_example(key).expect("an example");
    DesignDoc::from_json(e.json).expect("a valid example")
}

/// `key`'s example playing at 10× in the page, nothing simulated yet.
fn playing(key: &str) -> (Live, Rc<DesignDoc>) {
    let live = Live::in_page();
    let doc = Rc::new(example(key));
    live.design_changed(&doc).unwrap();
    live.set_speed(10.0);
    live.play(&doc).unwrap();
    (live, doc)
}

/// A clock that never runs out: every frame simulates all its wall time.
fn no_budget() -> f64 {
    0.0
}

/// Runs `doc` for `frames` animation frames 16 ms apart at `speed`, with
/// a fault early on: through a host (as in the worker), and through a
/// driver directly (as the page did before).
fn both(doc: &DesignDoc, speed: f64, frames: u32) -> (Host, Driver, Vec<Update>) {
    let mut host = Host::default();
    let mut updates = Vec::new();
    for cmd in [
        Command::Design(Box::new(doc.clone())),
        Command::Speed(speed),
        Command::Lang(crate::i18n::Lang::Ko),
        Command::Play,
    ] {
        assert!(host.handle(cmd, &no_budget).is_none(), "only ticks answer");
    }
    let mut d = Driver::default();
    d.set_speed(speed);
    d.design_changed(doc).unwrap();
    d.play(doc).unwrap();
    for k in 0..frames {
        let ts = f64::from(k) * 16.0;
        if k == 5 {
            let web = doc
                .nodes
                .iter()
                .find(|n| n.kind == scalesim::Kind::WebServer);
            let id = web.expect("a web server").id.clone();
            assert!(
                host.handle(Command::Fault(id.clone(), NodeFault::Kill), &no_budget)
                    .is_none()
            );
            d.inject_fault(doc, &id, NodeFault::Kill).unwrap();
        }
        updates.push(host.handle(Command::Tick(ts), &no_budget).expect("a frame"));
        d.frame_within(ts, &no_budget);
    }
    (host, d, updates)
}

#[test]
fn the_host_runs_exactly_what_the_driver_runs() {
    let doc = example("chapter-1-full-picture");
    let (_, d, updates) = both(&doc, 2.0, 120);
    let last = updates.last().unwrap();
    let sim = d.sim().unwrap();
    assert!(last.frame.exists && last.frame.running);
    assert_eq!(last.frame.now_ns, sim.now());
    assert!(last.frame.now_ns > 3 * scalesim::time::SECOND);
    let (dots, on_hop) = d.dots();
    assert_eq!((&last.frame.dots[..], last.frame.on_hop), (dots, on_hop));
    assert!(!dots.is_empty());
    for i in 0..doc.nodes.len() {
        assert_eq!(last.frame.loads[i], d.load(i));
        assert_eq!(last.frame.up[i], d.is_up(i));
    }
    assert!(last.frame.up.contains(&false), "the killed server is down");
    // Figures come after each command and every 250 ms of wall time.
    let with_figures: Vec<usize> = (0..updates.len())
        .filter(|&k| updates[k].figures.is_some())
        .collect();
    assert_eq!(with_figures[..2], [0, 5], "after play and after the fault");
    assert!(with_figures.windows(2).all(|w| w[1] - w[0] <= 16));
    assert!(with_figures.len() >= 120 * 16 / 250);
    // The series arrives in pieces that add up to the driver's.
    let mut series = Vec::new();
    for f in updates.iter().filter_map(|u| u.figures.as_ref()) {
        series.truncate(f.series_from as usize);
        series.extend(f.series.iter().copied());
    }
    let sent = sim.series();
    assert_eq!(series[..], sent[..series.len()]);
    assert!(series.len() + 2 >= sent.len() && series.len() >= 2);
    // The log comes in the language asked for, newest first.
    let rows = updates
        .iter()
        .rev()
        .find_map(|u| u.figures.as_ref()?.log.clone())
        .expect("log rows");
    assert!(
        rows.iter()
            .any(|r| r.text.contains("장애") || r.text.contains("중단")),
        "{rows:?}"
    );
    assert!(rows.windows(2).all(|w| w[0].t_s >= w[1].t_s));
}

#[test]
fn updates_cross_to_the_page_unchanged() {
    let doc = example("chapter-1-full-picture");
    let (mut host, _, updates) = both(&doc, 5.0, 90);
    let figures = updates
        .iter()
        .rev()
        .find_map(|u| u.figures.clone())
        .unwrap();
    let snapshot = figures.snapshot.clone().expect("figures");
    assert!(snapshot.completed > 0 && snapshot.nodes.len() == doc.nodes.len());
    // A question about a dot's request is answered with its route.
    let dot = updates
        .last()
        .unwrap()
        .frame
        .dots
        .iter()
        .find(|d| d.request != scalesim::model::NO_REQUEST)
        .copied()
        .unwrap();
    let answer = host
        .handle(
            Command::Journey {
                ask: 7,
                request: dot.request,
                sent: dot.sent,
            },
            &no_budget,
        )
        .and_then(|u| u.answer)
        .unwrap();
    assert_eq!(answer.ask, 7);
    assert!(answer.journey.is_some() && !answer.ids.is_empty());
    let update = Update {
        frame: updates.last().unwrap().frame.clone(),
        figures: Some(figures),
        answer: Some(answer),
    };
    let json = serde_json::to_string(&update).unwrap();
    let mut back: Update = serde_json::from_str(&json).unwrap();
    // Dots cross apart, packed.
    unpack_dots(&pack_dots(&update.frame.dots), &mut back.frame.dots);
    // Running totals stay behind: the page shows figures, not their sums.
    let mut expected = update.clone();
    let s = expected
        .figures
        .as_mut()
        .unwrap()
        .snapshot
        .as_mut()
        .unwrap();
    s.latency_sum_ns = 0;
    s.totals = Default::default();
    for n in &mut s.nodes {
        n.totals = Default::default();
    }
    assert_eq!(back, expected);
}

#[test]
fn a_command_refused_in_the_page_runs_nothing_and_an_invalid_edit_holds_the_run() {
    let live = Live::in_page();
    let empty = Rc::new(DesignDoc::default());
    assert!(live.play(&empty).is_err());
    assert!(live.step_event(&empty).is_err());
    live.frame(0.0);
    assert!(!live.0.borrow().exists() && !live.0.borrow().is_running());

    let doc = Rc::new(example("single-server"));
    live.set_speed(10.0);
    live.design_changed(&doc).unwrap();
    live.play(&doc).unwrap();
    live.frame(0.0);
    live.frame(16.0);
    assert!(live.0.borrow().now_ns() > 0);
    // Deleting the only connection leaves a design that cannot run: the
    // run goes on with its last valid version, and says so.
    let mut broken = (*doc).clone();
    broken.edges.clear();
    assert!(live.design_changed(&Rc::new(broken)).is_err());
    let before = live.0.borrow().now_ns();
    live.frame(32.0);
    let run = live.0.borrow();
    assert!(run.held() && run.is_running() && run.now_ns() > before);
}

#[test]
fn after_a_reset_nothing_of_the_old_run_shows() {
    let (live, _) = playing("single-server");
    assert!(live.frame(0.0).is_some(), "figures after play");
    assert!(live.frame(16.0).is_none(), "and then every 250 ms");
    assert!(live.frame(300.0).is_some());
    // An update sent before the reset (as a worker's may arrive after it).
    let stale = { live.0.borrow().stale_update() };
    assert!(stale.frame.exists && !stale.frame.dots.is_empty());
    live.reset();
    live.0.borrow_mut().take_update(stale);
    let run = live.0.borrow();
    assert!(!run.exists() && run.dots().0.is_empty() && run.snapshot().is_none());
    assert!(run.series().is_empty() && run.log_rows().0.is_empty());
}

#[test]
fn a_journey_is_answered_and_a_latest_failure_found() {
    let (live, doc) = playing("single-server");
    live.frame(0.0);
    live.frame(50.0);
    assert!(live.inject_fault(&doc, "web-1", NodeFault::Kill).unwrap());
    for k in 2..40 {
        live.frame(f64::from(k) * 50.0);
    }
    let web = doc.nodes.iter().position(|n| n.id == "web-1").unwrap();
    assert!(live.0.borrow().has_failure(web));
    let got = Rc::new(std::cell::RefCell::new(None));
    let put = got.clone();
    live.latest_failure(web, move |j| *put.borrow_mut() = Some(j));
    let view = got
        .borrow_mut()
        .take()
        .expect("answered at once in the page");
    let view = view.expect("a failed request");
    assert!(view.journey.error.is_some());
    assert!(view.ids.iter().any(|id| id == "web-1"));
}

#[test]
fn a_drag_while_running_does_not_resend_the_figures_every_frame() {
    let doc = example("lb-two-servers");
    let mut host = Host::default();
    host.handle(Command::Design(Box::new(doc.clone())), &no_budget);
    host.handle(Command::Play, &no_budget);
    let tick = |host: &mut Host, ts: f64| host.handle(Command::Tick(ts), &no_budget).unwrap();
    assert!(tick(&mut host, 0.0).figures.is_some(), "after play");
    let mut moved = doc.clone();
    for k in 1..10 {
        moved.nodes[0].x += 5.0;
        host.handle(Command::Design(Box::new(moved.clone())), &no_budget);
        let u = tick(&mut host, f64::from(k) * 16.0);
        assert!(u.figures.is_none(), "frame {k}");
        assert!(u.frame.running);
    }
    // Paused, an edit's figures come with the next frame.
    host.handle(Command::Pause, &no_budget);
    tick(&mut host, 170.0);
    moved.nodes[0].x += 5.0;
    host.handle(Command::Design(Box::new(moved)), &no_budget);
    assert!(tick(&mut host, 186.0).figures.is_some());
}

#[test]
fn a_failed_dot_drawn_is_answered_after_its_request_has_finished() {
    let doc = example("single-server");
    let mut host = Host::default();
    host.handle(Command::Design(Box::new(doc.clone())), &no_budget);
    host.handle(Command::Speed(1.0), &no_budget);
    host.handle(Command::Play, &no_budget);
    host.handle(Command::Tick(0.0), &no_budget);
    host.handle(Command::Fault("web-1".into(), NodeFault::Kill), &no_budget);
    // Find a failed dot drawn, as the page would click it.
    let mut ts = 0.0;
    let dot = loop {
        ts += 16.0;
        assert!(ts < 60_000.0, "no failed dot drawn");
        let u = host.handle(Command::Tick(ts), &no_budget).unwrap();
        let failed = u
            .frame
            .dots
            .iter()
            .find(|d| d.failed && d.request != scalesim::model::NO_REQUEST);
        if let Some(d) = failed {
            break *d;
        }
    };
    // The question arrives after the request has finished (as it may a
    // frame or two later, from the page).
    let mut frames = 0;
    while host
        .driver_mut()
        .journey_of(dot.request, dot.sent)
        .is_some()
    {
        ts += 16.0;
        frames += 1;
        assert!(frames < 30, "still on its way");
        host.handle(Command::Tick(ts), &no_budget);
    }
    let ask = Command::Journey {
        ask: 1,
        request: dot.request,
        sent: dot.sent,
    };
    let answer = host.handle(ask, &no_budget).and_then(|u| u.answer).unwrap();
    let journey = answer.journey.expect("the route drawn");
    assert!(journey.error.is_some());
}

#[test]
fn when_the_engine_cannot_load_nothing_runs_and_the_page_is_told() {
    let (live, doc) = playing("single-server");
    let told = Rc::new(std::cell::Cell::new(0));
    let count = told.clone();
    live.on_status(move || count.set(count.get() + 1));
    live.frame(0.0);
    live.frame(50.0);
    assert!(live.0.borrow().now_ns() > 0);
    // A question asked of the engine that is then lost.
    let got = Rc::new(std::cell::RefCell::new(None));
    let put = got.clone();
    live.with(|i| {
        let ask = i.ask(Box::new(move |j| *put.borrow_mut() = Some(j)));
        i.give_up("engine_bg.wasm: 404");
        ask
    });
    assert_eq!(told.get(), 1, "the page is told once");
    assert_eq!(live.unavailable().as_deref(), Some("engine_bg.wasm: 404"));
    assert_eq!(live.runs_in(), "unavailable");
    assert!(
        matches!(got.borrow_mut().take(), Some(None)),
        "the question gets no answer"
    );
    // Nothing of the lost run shows, and Run starts nothing.
    let run_now = |live: &Live| {
        let r = live.0.borrow();
        (r.exists(), r.is_running(), r.now_ns(), r.dots().0.len())
    };
    assert_eq!(run_now(&live), (false, false, 0, 0));
    live.play(&doc).unwrap();
    live.step_event(&doc).unwrap();
    live.frame(100.0);
    assert_eq!(run_now(&live), (false, false, 0, 0));
    // A design with problems still says what they are.
    assert!(live.play(&Rc::new(DesignDoc::default())).is_err());
}

#[test]
fn a_frame_made_before_a_component_was_deleted_marks_nothing_on_the_canvas() {
    let (live, doc) = playing("lb-two-servers");
    for k in 0..20 {
        live.frame(f64::from(k) * 16.0);
    }
    // A frame as a worker may still send it after the edit below.
    let stale = { live.0.borrow().stale_update() };
    let old_up = stale.frame.up.len();
    assert_eq!(old_up, doc.nodes.len());
    assert!(!stale.frame.dots.is_empty());
    // The first web server goes: every component after it moves up one
    // place, so the old frame's marks would sit one component off.
    let mut edited = (*doc).clone();
    let gone = edited.nodes.iter().position(|n| n.id == "web-1").unwrap();
    edited.nodes.remove(gone);
    edited
        .edges
        .retain(|e| e.from != "web-1" && e.to != "web-1");
    let edited = Rc::new(edited);
    live.design_changed(&edited).unwrap();
    {
        let run = live.0.borrow();
        assert!(run.dots().0.is_empty() && run.load(gone).is_none());
        assert!(run.rates().next().is_none() && run.breakers().next().is_none());
    }
    live.0.borrow_mut().take_update(stale);
    {
        let run = live.0.borrow();
        assert!(run.dots().0.is_empty(), "the old frame is not drawn");
        assert!(run.load(gone).is_none() && run.rates().next().is_none());
    }
    // The next frame is of the new design: its marks come back, in place.
    live.frame(400.0);
    let run = live.0.borrow();
    let web2 = edited.nodes.iter().position(|n| n.id == "web-2").unwrap();
    assert!(
        run.load(web2).is_some(),
        "web-2's load bar, at its new place"
    );
    assert!(!run.dots().0.is_empty());
    assert!(run.now_ns() > 0 && run.is_running());
}

/// A worker's clock starts when the worker does, long after the page's: a
/// slice run ahead between ticks tells time in the page's clock, so after
/// running ahead at *max* a run at 1× goes on at 1×, no faster; and slices
/// stop when no tick comes.
#[test]
fn running_ahead_keeps_to_the_pages_clock_and_stops_without_ticks() {
    let doc = example("single-server");
    let worker_clock = std::cell::Cell::new(0.0);
    // The worker's clock: 1 ms later at every look.
    let clock = || {
        worker_clock.set(worker_clock.get() + 1.0);
        worker_clock.get()
    };
    let mut host = Host::default();
    host.driver_mut().set_fixed_budget(3.0);
    for cmd in [
        Command::Design(Box::new(doc.clone())),
        Command::Speed(1.0),
        Command::Play,
    ] {
        assert!(host.handle(cmd, &clock).is_none());
    }
    assert!(!host.behind(&clock), "no tick yet");
    assert!(!host.run_ahead(&clock, 2.0));
    // Ticks in the page's clock, 100 s after the page loaded.
    let page = 100_000.0;
    host.handle(Command::Tick(page), &clock);
    host.handle(Command::Tick(page + 16.0), &clock);
    let sim = |h: &mut Host| h.driver_mut().sim().unwrap().now();
    let at = sim(&mut host);
    assert_eq!(at, scalesim::time::from_ms(16.0), "on time at 1x");
    // On time, there is nothing to run ahead for.
    assert!(!host.behind(&clock));
    assert!(!host.run_ahead(&clock, 2.0));
    assert_eq!(sim(&mut host), at);
    // At max every frame falls behind, and slices run between ticks; the
    // next tick's frame then counts its wall time from the last slice.
    host.handle(Command::Speed(f64::INFINITY), &clock);
    host.handle(Command::Tick(page + 32.0), &clock);
    host.handle(Command::Tick(page + 48.0), &clock);
    assert!(host.behind(&clock));
    let before = host.driver_mut().sim().unwrap().events_processed();
    assert!(host.run_ahead(&clock, 2.0));
    assert!(host.driver_mut().sim().unwrap().events_processed() > before);
    // Back to 1x: the next frame covers 16 ms of the page's clock and no
    // more (a slice told in the worker's clock would have made it up to
    // 100 ms, the longest gap, and left it behind).
    host.handle(Command::Speed(1.0), &clock);
    let at = sim(&mut host);
    host.handle(Command::Tick(page + 64.0), &clock);
    assert!(sim(&mut host) - at <= scalesim::time::from_ms(16.0));
    let at = sim(&mut host);
    host.handle(Command::Tick(page + 80.0), &clock);
    assert_eq!(sim(&mut host) - at, scalesim::time::from_ms(16.0));
    assert!(!host.behind(&clock));
    // With no tick for longer than a frame's longest gap (a hidden tab),
    // slices stop.
    host.handle(Command::Speed(f64::INFINITY), &clock);
    host.handle(Command::Tick(page + 96.0), &clock);
    host.handle(Command::Tick(page + 112.0), &clock);
    assert!(host.behind(&clock));
    worker_clock.set(worker_clock.get() + MAX_FRAME_GAP_MS + 1.0);
    let before = host.driver_mut().sim().unwrap().events_processed();
    assert!(!host.run_ahead(&clock, 2.0));
    assert_eq!(host.driver_mut().sim().unwrap().events_processed(), before);
}
