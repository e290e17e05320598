//! The driver: owns the running simulation and advances it by the wall-clock
//! time between animation frames × the chosen speed. Plain Rust, so its
//! timekeeping is tested natively; the canvas calls [`Driver::frame`] once
//! per `requestAnimationFrame`.

use scalesim::design::{DesignDoc, FaultKind, Problems};
use scalesim::time::from_ms;
use scalesim::{Dot, Load, Simulation, Snapshot};

/// Most dots drawn per frame; beyond this a sample is drawn.
pub const MAX_DOTS: usize = 5_000;

/// Longest wall-clock gap one frame may simulate [ms]: after a background
/// tab or a breakpoint, the simulation resumes instead of leaping ahead.
pub const MAX_FRAME_GAP_MS: f64 = 100.0;

/// Speeds offered in the toolbar (simulated seconds per wall second);
/// infinity is "as fast as possible".
pub const SPEEDS: &[f64] = &[
    0.01,
    0.1,
    0.25,
    1.0,
    2.0,
    5.0,
    10.0,
    100.0,
    1000.0,
    f64::INFINITY,
];

/// Events one frame may process at most [events]: "as fast as possible"
/// runs up to this many per frame, and a finite speed that would need more
/// falls behind instead of freezing the page.
pub const FRAME_EVENTS: u64 = 100_000;

/// Wall-clock time a frame may spend simulating at first [ms]. The budget
/// then adapts: it shrinks by a quarter after a frame that came late (a
/// missed display refresh) and grows by [`BUDGET_STEP_MS`] after one on time,
/// within [`MIN_BUDGET_MS`]..=[`MAX_BUDGET_MS`] — so a speed the machine
/// cannot keep up with makes the simulated clock fall behind, not the page
/// stutter, and a fast machine simulates more per frame.
pub const FRAME_BUDGET_MS: f64 = 3.0;

/// Least simulating time per frame [ms].
pub const MIN_BUDGET_MS: f64 = 1.0;

/// Most simulating time per frame [ms].
pub const MAX_BUDGET_MS: f64 = 10.0;

/// How much the budget grows after a frame on time [ms].
pub const BUDGET_STEP_MS: f64 = 0.02;

/// Events simulated between two looks at the clock [events].
pub const FRAME_CHUNK: u64 = 2_000;

/// How far one "step time" press advances [ms].
pub const STEP_MS: f64 = 10.0;

/// Default speed: slow enough that a 25 ms internet hop is visible.
pub const DEFAULT_SPEED: f64 = 0.1;

/// What an operator can do to a running node from the inspector.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    /// Promote a database replica to master (manual failover; refused and
    /// logged unless its master is down).
    Promote,
    /// Empty a cache or CDN.
    Purge,
}

/// A fault the user injects into one node from its context menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeFault {
    /// Crash it.
    Kill,
    /// Start it again.
    Restart,
    /// Multiply its service times by [`SLOW_FACTOR`] for [`FAULT_S`].
    Slow,
    /// Cut every connection to and from it for [`FAULT_S`].
    Cut,
}

/// A chaos-menu experiment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chaos {
    /// Kill one live web server (which one depends on the moment).
    KillServer,
    /// Kill a live master database.
    KillMaster,
    /// Kill every node of one data center.
    KillDataCenter,
    /// Every Users node sends ten times as much for a minute.
    TrafficSpike,
}

/// How long a slow-down or a cut made from the menu lasts [s].
pub const FAULT_S: f64 = 60.0;
/// How much a slow-down from the menu multiplies service times.
pub const SLOW_FACTOR: f64 = 10.0;

/// The running (or paused) simulation and its clock.
#[derive(Debug)]
pub struct Driver {
    sim: Option<Simulation>,
    running: bool,
    speed: f64,
    last_frame_ms: Option<f64>,
    /// Wall time the next frame may spend simulating [ms].
    budget_ms: f64,
    /// Where the pace measurement started: (wall [ms], simulated [ns]).
    pace_base: Option<(f64, u64)>,
    /// Simulated seconds per wall second over the last second of running.
    pace: Option<f64>,
    /// The display's refresh interval, as the shortest recent gap between
    /// frames [ms].
    period_ms: f64,
    dots: Vec<Dot>,
    on_hop: u64,
    /// Canvas (document) index of each simulation node; `None` for nodes
    /// retired by an edit.
    doc_index: Vec<Option<u32>>,
    /// Simulation index of each canvas node.
    sim_index: Vec<Option<usize>>,
    /// Database → database connections by canvas indices (see `db_links`).
    db_links: Vec<(usize, usize)>,
    /// The seed the simulation was built with.
    seed: u64,
    /// Sends per connection at the start of the current rate window: (sim
    /// time [ns], (from, to, count) by simulation index).
    rate_base: (u64, Vec<(u32, u32, u64)>),
    /// Requests per second over each connection in the last window, by
    /// canvas indices.
    rates: Vec<(usize, usize, f64)>,
    /// Figures over the last [`scalesim::model::RECENT_S`] seconds (true)
    /// or since the start of the run.
    recent: bool,
}

impl Default for Driver {
    fn default() -> Self {
        Self {
            sim: None,
            running: false,
            speed: DEFAULT_SPEED,
            last_frame_ms: None,
            budget_ms: FRAME_BUDGET_MS,
            pace_base: None,
            pace: None,
            period_ms: 1000.0 / 60.0,
            dots: Vec::with_capacity(MAX_DOTS),
            on_hop: 0,
            doc_index: Vec::new(),
            sim_index: Vec::new(),
            db_links: Vec::new(),
            seed: 0,
            rate_base: (0, Vec::new()),
            rates: Vec::new(),
            recent: true,
        }
    }
}

impl Driver {
    /// Starts (or resumes) running `doc`. A paused simulation resumes where
    /// it was; otherwise a new one is built.
    pub fn play(&mut self, doc: &DesignDoc) -> Result<(), Problems> {
        self.ensure(doc)?;
        self.running = true;
        self.last_frame_ms = None;
        self.forget_pace();
        Ok(())
    }

    /// Builds the simulation if there is none.
    fn ensure(&mut self, doc: &DesignDoc) -> Result<&mut Simulation, Problems> {
        if self.sim.is_none() {
            let mut sim = Simulation::from_doc(doc)?;
            sim.track_recent(true);
            self.sim = Some(sim);
            self.seed = doc.seed;
            self.map_indices(doc);
        }
        Ok(self.sim.as_mut().expect("just built"))
    }

    /// Pauses and processes exactly one event (building the simulation
    /// first if none exists); returns the time it happened at [ns].
    pub fn step_event(&mut self, doc: &DesignDoc) -> Result<Option<u64>, Problems> {
        self.running = false;
        let step = self.ensure(doc)?.step();
        self.sample_dots();
        Ok(step)
    }

    /// Pauses and advances the clock by [`STEP_MS`].
    pub fn step_time(&mut self, doc: &DesignDoc) -> Result<(), Problems> {
        self.running = false;
        let sim = self.ensure(doc)?;
        let target = sim.now() + from_ms(STEP_MS);
        sim.run_until(target);
        self.sample_dots();
        Ok(())
    }

    /// Moves the run to simulated time `t` [ns]: forward by simulating as
    /// fast as possible, backward by replaying from 0 (the same design and
    /// seed give the same run). Running or paused stays as it was.
    pub fn seek(&mut self, doc: &DesignDoc, t: u64) -> Result<(), Problems> {
        let running = self.running;
        if self.sim.as_ref().is_some_and(|s| s.now() > t) {
            // Replay only a design that runs: otherwise keep the run there is.
            doc.validate()?;
            self.reset();
        }
        let sim = self.ensure(doc)?;
        sim.run_until(t);
        self.running = running;
        self.last_frame_ms = None;
        self.forget_pace();
        self.rate_base = (0, Vec::new());
        self.sample_dots();
        Ok(())
    }

    /// Stops advancing time; figures stay.
    pub fn pause(&mut self) {
        self.running = false;
        self.forget_pace();
    }

    fn forget_pace(&mut self) {
        self.pace_base = None;
        self.pace = None;
    }

    /// Simulated seconds per wall-clock second actually reached over the
    /// last second of running (`None` until a second has passed): below the
    /// speed asked for when the machine cannot keep up.
    pub fn pace(&self) -> Option<f64> {
        self.pace
    }

    /// Throws the simulation away; the next `play` starts from time 0.
    pub fn reset(&mut self) {
        self.forget_pace();
        self.sim = None;
        self.rates.clear();
        self.rate_base = (0, Vec::new());
        self.running = false;
        self.dots.clear();
        self.on_hop = 0;
    }

    /// The design changed while a simulation exists: the edit is applied to
    /// it in place (a new server starts taking load, a removed one drains),
    /// so what runs is what is drawn and figures carry on. If the edit
    /// cannot be patched in (a node changed kind) the simulation restarts.
    /// A design that cannot run pauses the simulation and returns why.
    pub fn design_changed(&mut self, doc: &DesignDoc) -> Result<(), Problems> {
        if self.sim.is_some() && doc.seed != self.seed {
            // Another seed is another run: start it from time 0.
            let running = self.running;
            self.reset();
            if running {
                self.play(doc)?;
            }
            return Ok(());
        }
        let Some(sim) = self.sim.as_mut() else {
            return Ok(());
        };
        let design = match doc.validate() {
            Ok(d) => d,
            Err(p) => {
                self.running = false;
                return Err(p);
            }
        };
        if !sim.patch(&design) {
            *sim = Simulation::new(&design);
            sim.track_recent(true);
        }
        self.map_indices(doc);
        Ok(())
    }

    fn map_indices(&mut self, doc: &DesignDoc) {
        let Some(sim) = &self.sim else { return };
        self.doc_index = sim
            .node_ids()
            .iter()
            .map(|id| doc.nodes.iter().position(|n| &n.id == id).map(|i| i as u32))
            .collect();
        self.sim_index = doc
            .nodes
            .iter()
            .map(|n| sim.node_ids().iter().position(|id| *id == n.id))
            .collect();
        let index = |id: &str| doc.nodes.iter().position(|n| n.id == id);
        let is_db = |i: usize| doc.nodes[i].kind == scalesim::Kind::Database;
        self.db_links = doc
            .edges
            .iter()
            .filter_map(|e| index(&e.from).zip(index(&e.to)))
            .filter(|&(a, b)| is_db(a) && is_db(b))
            .collect();
    }

    /// The load of canvas node `doc_index`, if it has a worker pool; a
    /// cache's hit rate over the figures' window.
    pub fn load(&self, doc_index: usize) -> Option<Load> {
        let i = (*self.sim_index.get(doc_index)?)?;
        let sim = self.sim.as_ref()?;
        let mut load = sim.load(i)?;
        if self.recent && load.hit_rate.is_some() {
            load.hit_rate = sim.recent_hit_rate(i);
        }
        Some(load)
    }

    /// Whether figures cover the last [`scalesim::model::RECENT_S`]
    /// seconds (true) or the whole run.
    pub fn recent(&self) -> bool {
        self.recent
    }

    /// Shows figures over the last seconds (true) or since the start.
    pub fn set_recent(&mut self, recent: bool) {
        self.recent = recent;
    }

    /// Every connection with a circuit breaker, by canvas node indices
    /// (caller, dependency), with the breaker's state now.
    pub fn breakers(
        &self,
    ) -> impl Iterator<Item = (usize, usize, scalesim::model::BreakerState)> + '_ {
        self.sim.iter().flat_map(|sim| {
            sim.breakers().filter_map(|(a, b, state)| {
                let a = (*self.doc_index.get(a)?)? as usize;
                let b = (*self.doc_index.get(b)?)? as usize;
                Some((a, b, state))
            })
        })
    }

    /// Connections from a database to a database, by canvas node indices
    /// (the designed replication streams), found once per design change.
    pub fn db_links(&self) -> &[(usize, usize)] {
        &self.db_links
    }

    /// Whether canvas node `doc_index` is up (true when nothing runs).
    pub fn is_up(&self, doc_index: usize) -> bool {
        match (
            self.sim.as_ref(),
            self.sim_index.get(doc_index).copied().flatten(),
        ) {
            (Some(sim), Some(i)) => sim.is_up(i),
            _ => true,
        }
    }

    /// Whether time is advancing.
    pub fn is_running(&self) -> bool {
        self.running
    }

    /// Wall time the next frame may spend simulating [ms].
    pub fn budget_ms(&self) -> f64 {
        self.budget_ms
    }

    /// Simulated seconds per wall-clock second.
    pub fn speed(&self) -> f64 {
        self.speed
    }

    /// Sets the speed (simulated seconds per wall-clock second).
    pub fn set_speed(&mut self, speed: f64) {
        if speed > 0.0 {
            self.forget_pace();
            self.speed = speed;
        }
    }

    /// Advances by the wall time since the previous frame (`now_ms` is the
    /// animation-frame timestamp [ms]) and samples the dots to draw; at most
    /// [`FRAME_EVENTS`] events, whatever time that takes.
    pub fn frame(&mut self, now_ms: f64) {
        self.frame_within(now_ms, &|| now_ms);
    }

    /// [`Driver::frame`], also stopping once the frame's budget of wall
    /// time (read from `clock` [ms]) has gone into simulating; see
    /// [`FRAME_BUDGET_MS`].
    pub fn frame_within(&mut self, now_ms: f64, clock: &dyn Fn() -> f64) {
        let Some(sim) = self.sim.as_mut() else {
            return;
        };
        if self.running {
            if let Some(last) = self.last_frame_ms {
                let gap = now_ms - last;
                if gap > 0.0 {
                    // The shortest gap, allowed to creep up 1 % a frame (a
                    // window moved to a slower display).
                    self.period_ms = (self.period_ms * 1.01).min(gap);
                    self.budget_ms = if gap > 1.5 * self.period_ms {
                        (self.budget_ms * 0.75).max(MIN_BUDGET_MS)
                    } else {
                        (self.budget_ms + BUDGET_STEP_MS).min(MAX_BUDGET_MS)
                    };
                }
                let budget = self.budget_ms;
                let target = if self.speed.is_finite() {
                    let wall = (now_ms - last).clamp(0.0, MAX_FRAME_GAP_MS);
                    sim.now() + from_ms(wall * self.speed)
                } else {
                    // As fast as possible: as many events as the budget allows.
                    sim.now() + scalesim::time::SECOND * 3_600
                };
                let start = clock();
                let mut left = FRAME_EVENTS;
                while left > 0 {
                    let chunk = left.min(FRAME_CHUNK);
                    left -= chunk;
                    if sim.run_until_bounded(target, chunk) || clock() - start >= budget {
                        break;
                    }
                }
            }
            self.last_frame_ms = Some(now_ms);
            match self.pace_base {
                Some((wall, t)) if now_ms - wall >= 1_000.0 => {
                    let simulated = scalesim::time::to_secs(sim.now().saturating_sub(t));
                    self.pace = Some(simulated / ((now_ms - wall) / 1_000.0));
                    self.pace_base = Some((now_ms, sim.now()));
                }
                Some(_) => {}
                None => self.pace_base = Some((now_ms, sim.now())),
            }
        }
        self.sample_dots();
    }

    fn sample_dots(&mut self) {
        self.update_rates();
        let Some(sim) = self.sim.as_mut() else {
            return;
        };
        self.on_hop = sim.sample_in_flight(MAX_DOTS, &mut self.dots);
        // Dots name simulation nodes; the canvas draws document nodes.
        let map = &self.doc_index;
        self.dots.retain_mut(|d| {
            match (
                map.get(d.from as usize).copied().flatten(),
                map.get(d.to as usize).copied().flatten(),
            ) {
                (Some(a), Some(b)) => {
                    d.from = a;
                    d.to = b;
                    true
                }
                _ => false,
            }
        });
    }

    /// Recomputes connection rates once a simulated second has passed.
    fn update_rates(&mut self) {
        let Some(sim) = self.sim.as_ref() else {
            self.rates.clear();
            return;
        };
        let now = sim.now();
        let (t0, base) = &self.rate_base;
        if now < *t0 {
            self.rate_base = (now, sim.edge_sends().collect());
            return;
        }
        let dt = now - t0;
        if dt < scalesim::time::SECOND {
            return;
        }
        let counts: Vec<(u32, u32, u64)> = sim.edge_sends().collect();
        let secs = scalesim::time::to_secs(dt);
        let map = &self.doc_index;
        self.rates = counts
            .iter()
            .filter_map(|&(f, t, n)| {
                let before = base
                    .iter()
                    .find(|b| b.0 == f && b.1 == t)
                    .map_or(0, |b| b.2);
                let a = map.get(f as usize).copied().flatten()? as usize;
                let b = map.get(t as usize).copied().flatten()? as usize;
                Some((a, b, n.saturating_sub(before) as f64 / secs))
            })
            .collect();
        self.rate_base = (now, counts);
    }

    /// Requests per second over each connection in the last simulated
    /// second or so, by canvas indices (calling, called).
    pub fn rates(&self) -> &[(usize, usize, f64)] {
        &self.rates
    }

    /// The simulation, if one exists.
    pub fn sim(&self) -> Option<&Simulation> {
        self.sim.as_ref()
    }

    /// The dots sampled by the last frame (node indices are canvas indices),
    /// and how many requests were on a network hop in all.
    pub fn dots(&self) -> (&[Dot], u64) {
        (&self.dots, self.on_hop)
    }

    /// Applies `op` to node `id` now; returns whether a simulation exists
    /// and has that node.
    pub fn operate(&mut self, id: &str, op: Operation) -> bool {
        let Some(sim) = self.sim.as_mut() else {
            return false;
        };
        let Some(i) = sim.node_ids().iter().position(|x| x == id) else {
            return false;
        };
        sim.inject(match op {
            Operation::Promote => FaultKind::Promote(i),
            Operation::Purge => FaultKind::Purge(i),
        });
        true
    }

    /// The newest `n` log entries, newest first: (time [ns], the node's id,
    /// what happened), with a function naming any node index.
    pub fn log_rows(&self, lang: crate::i18n::Lang, n: usize) -> Vec<crate::panels::log::LogRow> {
        let Some(sim) = &self.sim else {
            return Vec::new();
        };
        let ids = sim.node_ids();
        let name = |i: u32| ids.get(i as usize).cloned().unwrap_or_default();
        let entries: Vec<_> = sim.log().collect();
        entries
            .iter()
            .rev()
            .take(n)
            .map(|e| {
                let node = name(e.node);
                let kind = sim.node_kinds()[e.node as usize];
                let (category, text) = crate::i18n::log_text(lang, &node, kind, &e.event, &name);
                crate::panels::log::LogRow {
                    t_s: scalesim::time::to_secs(e.t),
                    node,
                    category,
                    text,
                }
            })
            .collect()
    }

    /// Injects `fault` into node `id` now (building the simulation, paused at
    /// time 0, if none exists); `false` if the node does not exist.
    pub fn inject_fault(
        &mut self,
        doc: &DesignDoc,
        id: &str,
        fault: NodeFault,
    ) -> Result<bool, Problems> {
        let sim = self.ensure(doc)?;
        let Some(i) = sim.node_ids().iter().position(|x| x == id) else {
            return Ok(false);
        };
        let d = scalesim::time::from_secs(FAULT_S);
        match fault {
            NodeFault::Kill => sim.inject(FaultKind::Kill(i)),
            NodeFault::Restart => sim.inject(FaultKind::Restart(i)),
            NodeFault::Slow => sim.inject(FaultKind::Slow(i, SLOW_FACTOR, Some(d))),
            NodeFault::Cut => {
                for e in &doc.edges {
                    let other = if e.from == id {
                        &e.to
                    } else if e.to == id {
                        &e.from
                    } else {
                        continue;
                    };
                    if let Some(j) = sim.node_ids().iter().position(|x| x == other) {
                        sim.inject(FaultKind::Cut(i, j, Some(d)));
                    }
                }
            }
        }
        self.sample_dots();
        Ok(true)
    }

    /// Runs a chaos experiment now; returns what it hit (a node or data
    /// center id), or `None` if the design has nothing to hit.
    pub fn chaos(&mut self, doc: &DesignDoc, chaos: Chaos) -> Result<Option<String>, Problems> {
        use scalesim::catalog::Kind;
        let sim = self.ensure(doc)?;
        let ids: Vec<String> = sim.node_ids().to_vec();
        // "Random" from the moment: the same run clicked at the same
        // event picks the same victim.
        let pick = |n: usize, sim: &Simulation| (sim.events_processed() as usize) % n.max(1);
        let hit = match chaos {
            Chaos::KillServer | Chaos::KillMaster => {
                let candidates: Vec<usize> = (0..ids.len())
                    .filter(|&i| sim.is_up(i))
                    .filter(|&i| match (chaos, sim.load(i)) {
                        (Chaos::KillServer, Some(_)) => sim.node_kinds()[i] == Kind::WebServer,
                        (Chaos::KillMaster, Some(l)) => {
                            l.role == Some(scalesim::model::DbRole::Master)
                        }
                        _ => false,
                    })
                    .collect();
                if candidates.is_empty() {
                    return Ok(None);
                }
                let i = candidates[pick(candidates.len(), sim)];
                sim.inject(FaultKind::Kill(i));
                Some(ids[i].clone())
            }
            Chaos::KillDataCenter => {
                if doc.regions.is_empty() {
                    return Ok(None);
                }
                let dc = pick(doc.regions.len(), sim);
                sim.inject(FaultKind::KillDc(dc));
                Some(doc.regions[dc].id.clone())
            }
            Chaos::TrafficSpike => {
                let d = scalesim::time::from_secs(FAULT_S);
                let users: Vec<usize> = doc
                    .nodes
                    .iter()
                    .filter(|n| n.kind == Kind::Users)
                    .filter_map(|n| ids.iter().position(|x| *x == n.id))
                    .collect();
                for &u in &users {
                    sim.inject(FaultKind::Spike(u, 10.0, d));
                }
                users.first().map(|&u| ids[u].clone())
            }
        };
        self.sample_dots();
        Ok(hit)
    }

    /// The figures the panels show, if a simulation exists: over the last
    /// [`scalesim::model::RECENT_S`] seconds, or since the start (see
    /// [`Driver::set_recent`]).
    pub fn snapshot(&self) -> Option<Snapshot> {
        let sim = self.sim.as_ref()?;
        if !self.recent {
            return Some(sim.snapshot());
        }
        // Ledgers — acknowledged writes lost, sessions wiped, the latest
        // stale read — stay counted since the start: a failover 30 s ago
        // still lost those writes. Rates, latencies and counts follow the
        // window.
        let mut now = sim.snapshot_recent();
        let all = sim.snapshot_counters();
        now.data.lost_writes = all.data.lost_writes;
        now.data.lost_keys = all.data.lost_keys;
        now.data.last_stale = all.data.last_stale;
        now.sessions_lost = all.sessions_lost;
        Some(now)
    }

    /// The route of the request a dot shows (its [`scalesim::Dot::request`]
    /// and [`scalesim::Dot::sent`]), if it is still on its way.
    pub fn journey_of(&self, request: u32, sent: u64) -> Option<scalesim::model::Journey> {
        self.sim.as_ref()?.journey_of(request, sent)
    }

    /// The latest request that failed at canvas node `doc_index`.
    pub fn latest_failure(&self, doc_index: usize) -> Option<scalesim::model::Journey> {
        let i = (*self.sim_index.get(doc_index)?)?;
        self.sim.as_ref()?.latest_failure(i).cloned()
    }
}

#[cfg(test)]
mod tests {
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
        d.play(&doc()).unwrap();
        d.frame_within(0.0, &clock);
        d.frame_within(16.7, &clock);
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
}
