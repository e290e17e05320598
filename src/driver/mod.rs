//! The driver: owns the running simulation and advances it by the wall-clock
//! time between animation frames × the chosen speed. Plain Rust, so its
//! timekeeping is tested natively; the canvas calls [`Driver::frame`] once
//! per `requestAnimationFrame`.

use scalesim::design::{DesignDoc, Problems};
use scalesim::time::from_ms;
use scalesim::{Dot, Load, Simulation, Snapshot};
use std::collections::{HashMap, HashSet};

mod faults;
pub mod host;
#[cfg(all(test, not(target_arch = "wasm32")))]
mod host_tests;
#[cfg(test)]
mod tests;

pub use faults::{Chaos, FAULT_S, NodeFault, Operation, SLOW_FACTOR};

/// Most dots drawn per frame; beyond this a sample is drawn.
pub const MAX_DOTS: usize = 20_000;

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

/// The running (or paused) simulation and its clock.
#[derive(Debug)]
pub struct Driver {
    sim: Option<Simulation>,
    running: bool,
    speed: f64,
    last_frame_ms: Option<f64>,
    /// Whether the last frame stopped on its budget (time or events)
    /// before the simulated time it aimed for, or followed a slice run
    /// ahead that did (see [`Driver::behind`]).
    behind: bool,
    /// Whether the last advance was a slice run ahead that ended behind.
    slice_behind: bool,
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
    /// The connections (from id, to id) of the design the simulation runs:
    /// the last valid version.
    running_edges: Vec<(String, String)>,
    /// The validated design last patched in: an edit that leaves it the
    /// same (a component moved) needs no patch.
    patched: Option<scalesim::design::Design>,
    /// Connections the simulation still has but the design on the canvas
    /// no longer does, by canvas indices: nothing is drawn on them.
    hidden: Vec<(u32, u32)>,
    /// Whether the design on the canvas is invalid, so the simulation runs
    /// its last valid version.
    held: bool,
    /// Counts simulations built and thrown away: a run's series starts
    /// over when it changes.
    generation: u32,
    /// Least and most wall time a frame may spend simulating [ms].
    budget_range: (f64, f64),
}

impl Default for Driver {
    fn default() -> Self {
        Self {
            sim: None,
            running: false,
            speed: DEFAULT_SPEED,
            last_frame_ms: None,
            behind: false,
            slice_behind: false,
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
            running_edges: Vec::new(),
            patched: None,
            hidden: Vec::new(),
            held: false,
            generation: 0,
            budget_range: (MIN_BUDGET_MS, MAX_BUDGET_MS),
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
            let design = doc.validate()?;
            let mut sim = Simulation::new(&design);
            sim.track_recent(true);
            self.sim = Some(sim);
            self.generation = self.generation.wrapping_add(1);
            // What runs is this design: the same design again is no edit.
            self.patched = Some(design);
            self.seed = doc.seed;
            self.running_edges = edge_ids(doc);
            self.held = false;
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

    /// Forgets the pace reached and whether the last frame fell behind:
    /// both were of the run as it went before (a play, seek, pause, speed
    /// or reset).
    fn forget_pace(&mut self) {
        self.pace_base = None;
        self.pace = None;
        self.behind = false;
        self.slice_behind = false;
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
        self.generation = self.generation.wrapping_add(1);
        self.patched = None;
        self.rates.clear();
        self.rate_base = (0, Vec::new());
        self.running = false;
        self.dots.clear();
        self.on_hop = 0;
        self.held = false;
        self.hidden.clear();
    }

    /// The design changed while a simulation exists: the edit is applied to
    /// it in place (a new server starts taking load, a removed one drains),
    /// so what runs is what is drawn and figures carry on. If the edit
    /// cannot be patched in (a node changed kind) the simulation restarts.
    /// A design that cannot run (mid-edit) returns why, and the simulation
    /// goes on, running or paused as it was, with the last valid version
    /// ([`Driver::held`]) until an edit makes the design valid again.
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
                // Mid-edit (a connection deleted to be rewired, a replica
                // not yet connected): the run goes on with the last valid
                // version, drawn on the design as it now stands.
                self.held = true;
                self.map_indices(doc);
                return Err(p);
            }
        };
        if self.patched.as_ref() != Some(&design) {
            if !sim.patch(&design) {
                *sim = Simulation::new(&design);
                sim.track_recent(true);
                self.generation = self.generation.wrapping_add(1);
            }
            self.patched = Some(design);
        }
        self.running_edges = edge_ids(doc);
        self.held = false;
        self.map_indices(doc);
        Ok(())
    }

    /// Whether the design on the canvas is invalid, so what runs is its
    /// last valid version (see [`Driver::design_changed`]).
    pub fn held(&self) -> bool {
        self.held
    }

    /// Relates the canvas's nodes to the simulation's (and the edges drawn
    /// to those running), through maps by id: linear in the design's size,
    /// since it runs on every edit while the design runs.
    fn map_indices(&mut self, doc: &DesignDoc) {
        let Some(sim) = &self.sim else { return };
        let on_canvas = doc.node_index();
        // The latest simulation node of an id (see `Simulation::node_of`).
        let mut in_sim: HashMap<&str, usize> = HashMap::with_capacity(sim.node_ids().len());
        for (i, id) in sim.node_ids().iter().enumerate() {
            in_sim.insert(id.as_str(), i);
        }
        let index = |id: &str| on_canvas.get(id).copied();
        self.doc_index = sim
            .node_ids()
            .iter()
            .map(|id| index(id).map(|i| i as u32))
            .collect();
        self.sim_index = doc
            .nodes
            .iter()
            .map(|n| in_sim.get(n.id.as_str()).copied())
            .collect();
        let is_db = |i: usize| doc.nodes[i].kind == scalesim::Kind::Database;
        self.db_links = doc
            .edges
            .iter()
            .filter_map(|e| index(&e.from).zip(index(&e.to)))
            .filter(|&(a, b)| is_db(a) && is_db(b))
            .collect();
        let drawn: HashSet<(&str, &str)> = doc
            .edges
            .iter()
            .map(|e| (e.from.as_str(), e.to.as_str()))
            .collect();
        self.hidden = self
            .running_edges
            .iter()
            .filter(|(a, b)| !drawn.contains(&(a.as_str(), b.as_str())))
            .filter_map(|(a, b)| index(a).zip(index(b)))
            .map(|(a, b)| (a as u32, b as u32))
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

    /// Makes every frame spend `ms` simulating [ms] (at least
    /// [`MIN_BUDGET_MS`]), late or not: off the page's main thread the
    /// simulation does not compete with drawing, so a late frame is no
    /// reason to simulate less.
    pub fn set_fixed_budget(&mut self, ms: f64) {
        let ms = ms.max(MIN_BUDGET_MS);
        self.budget_range = (ms, ms);
        self.budget_ms = ms;
    }

    /// Changes whenever a simulation is built or thrown away: what was
    /// read of the previous one (its series) no longer applies.
    pub fn generation(&self) -> u32 {
        self.generation
    }

    /// Whether a request has failed at canvas node `doc_index`.
    pub fn has_failure(&self, doc_index: usize) -> bool {
        let Some(Some(i)) = self.sim_index.get(doc_index).copied() else {
            return false;
        };
        self.sim
            .as_ref()
            .is_some_and(|s| s.latest_failure(i).is_some())
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

    /// Whether the last frame ([`frame_within`](Self::frame_within)) spent
    /// its whole budget, of wall time or of events, before reaching the
    /// simulated time it aimed for: the run is as fast as this thread can
    /// take it (always so at *max*). A frame right after slices run ahead
    /// that were behind has little left to cover and may reach its target;
    /// the run stays behind then until a slice catches up, so at a speed
    /// the machine cannot keep every gap between frames is run ahead, not
    /// every other one.
    pub fn behind(&self) -> bool {
        self.behind && self.running && self.sim.is_some() && self.last_frame_ms.is_some()
    }

    /// [`Driver::frame`], also stopping once the frame's budget of wall
    /// time (read from `clock` [ms]) has gone into simulating; see
    /// [`FRAME_BUDGET_MS`].
    pub fn frame_within(&mut self, now_ms: f64, clock: &dyn Fn() -> f64) {
        self.advance(now_ms, clock, None);
        self.sample_dots();
    }

    /// Runs ahead between frames while [`behind`](Self::behind): advances
    /// as a frame at `now_ms` [ms] (in the frames' clock) would, for at
    /// most `budget_ms` of wall time (read from `clock`), without sampling
    /// dots to draw and without changing the frames' own budget. A Web
    /// Worker does this between the page's frames, so it is not idle while
    /// the page draws. The next frame's gap counts from the slice, so this
    /// is for a fixed budget (a worker's): an adaptive one would read the
    /// short gaps as a faster display. Returns whether it is still behind.
    pub fn run_ahead(&mut self, now_ms: f64, clock: &dyn Fn() -> f64, budget_ms: f64) -> bool {
        if self.behind() {
            self.advance(now_ms, clock, Some(budget_ms));
        }
        self.behind()
    }

    /// Advances a running simulation by the wall time since the previous
    /// frame at the speed set, for at most `budget_ms` of wall time (the
    /// frames' adaptive budget if `None`) and [`FRAME_EVENTS`] events.
    fn advance(&mut self, now_ms: f64, clock: &dyn Fn() -> f64, budget_ms: Option<f64>) {
        let Some(sim) = self.sim.as_mut() else {
            return;
        };
        if !self.running {
            return;
        }
        if let Some(last) = self.last_frame_ms {
            let gap = now_ms - last;
            if gap > 0.0 && budget_ms.is_none() {
                // The shortest gap, allowed to creep up 1 % a frame (a
                // window moved to a slower display).
                self.period_ms = (self.period_ms * 1.01).min(gap);
                self.budget_ms = if gap > 1.5 * self.period_ms {
                    (self.budget_ms * 0.75).max(self.budget_range.0)
                } else {
                    (self.budget_ms + BUDGET_STEP_MS).min(self.budget_range.1)
                };
            }
            let budget = budget_ms.unwrap_or(self.budget_ms);
            let target = if self.speed.is_finite() {
                let wall = (now_ms - last).clamp(0.0, MAX_FRAME_GAP_MS);
                sim.now() + from_ms(wall * self.speed)
            } else {
                // As fast as possible: as many events as the budget allows.
                sim.now() + scalesim::time::SECOND * 3_600
            };
            let start = clock();
            let mut left = FRAME_EVENTS;
            let mut behind = true;
            while left > 0 {
                let chunk = left.min(FRAME_CHUNK);
                left -= chunk;
                if sim.run_until_bounded(target, chunk) {
                    behind = false;
                    break;
                }
                if clock() - start >= budget {
                    break;
                }
            }
            let slice = budget_ms.is_some();
            self.behind = behind || !slice && self.slice_behind;
            self.slice_behind = slice && behind;
        }
        // Never back in time: a slice's time is reckoned from when its tick
        // arrived, and the next tick may be stamped a little before it.
        self.last_frame_ms = Some(self.last_frame_ms.map_or(now_ms, |l| l.max(now_ms)));
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

    fn sample_dots(&mut self) {
        self.update_rates();
        let Some(sim) = self.sim.as_mut() else {
            return;
        };
        self.on_hop = sim.sample_in_flight(MAX_DOTS, &mut self.dots);
        // Dots name simulation nodes; the canvas draws document nodes.
        // Nothing is drawn on a connection deleted from the canvas that the
        // simulation, holding its last valid version, still has.
        let (map, hidden) = (&self.doc_index, &self.hidden);
        self.dots.retain_mut(|d| {
            match (
                map.get(d.from as usize).copied().flatten(),
                map.get(d.to as usize).copied().flatten(),
            ) {
                (Some(a), Some(b)) => {
                    d.from = a;
                    d.to = b;
                    let edge = if d.reply { (b, a) } else { (a, b) };
                    !hidden.contains(&edge)
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
                let a = map.get(f as usize).copied().flatten()?;
                let b = map.get(t as usize).copied().flatten()?;
                if self.hidden.contains(&(a, b)) {
                    return None;
                }
                Some((
                    a as usize,
                    b as usize,
                    n.saturating_sub(before) as f64 / secs,
                ))
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

/// The connections of `doc` as (from id, to id).
fn edge_ids(doc: &DesignDoc) -> Vec<(String, String)> {
    doc.edges
        .iter()
        .map(|e| (e.from.clone(), e.to.clone()))
        .collect()
}
