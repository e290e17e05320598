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

/// Speeds offered in the toolbar (simulated seconds per wall second).
pub const SPEEDS: &[f64] = &[0.01, 0.1, 0.25, 1.0, 10.0, 100.0];

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

/// The running (or paused) simulation and its clock.
#[derive(Debug)]
pub struct Driver {
    sim: Option<Simulation>,
    running: bool,
    speed: f64,
    last_frame_ms: Option<f64>,
    dots: Vec<Dot>,
    on_hop: u64,
    /// Canvas (document) index of each simulation node; `None` for nodes
    /// retired by an edit.
    doc_index: Vec<Option<u32>>,
    /// Simulation index of each canvas node.
    sim_index: Vec<Option<usize>>,
}

impl Default for Driver {
    fn default() -> Self {
        Self {
            sim: None,
            running: false,
            speed: DEFAULT_SPEED,
            last_frame_ms: None,
            dots: Vec::with_capacity(MAX_DOTS),
            on_hop: 0,
            doc_index: Vec::new(),
            sim_index: Vec::new(),
        }
    }
}

impl Driver {
    /// Starts (or resumes) running `doc`. A paused simulation resumes where
    /// it was; otherwise a new one is built.
    pub fn play(&mut self, doc: &DesignDoc) -> Result<(), Problems> {
        if self.sim.is_none() {
            self.sim = Some(Simulation::from_doc(doc)?);
            self.map_indices(doc);
        }
        self.running = true;
        self.last_frame_ms = None;
        Ok(())
    }

    /// Stops advancing time; figures stay.
    pub fn pause(&mut self) {
        self.running = false;
    }

    /// Throws the simulation away; the next `play` starts from time 0.
    pub fn reset(&mut self) {
        self.sim = None;
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
    }

    /// The load of canvas node `doc_index`, if it has a worker pool.
    pub fn load(&self, doc_index: usize) -> Option<Load> {
        let i = (*self.sim_index.get(doc_index)?)?;
        self.sim.as_ref()?.load(i)
    }

    /// Every connection with a circuit breaker, by canvas node indices
    /// (caller, dependency), with the breaker's state now.
    pub fn breakers(&self) -> Vec<(usize, usize, scalesim::model::BreakerState)> {
        let Some(sim) = &self.sim else {
            return Vec::new();
        };
        sim.breakers()
            .into_iter()
            .filter_map(|(a, b, state)| {
                let a = (*self.doc_index.get(a)?)? as usize;
                let b = (*self.doc_index.get(b)?)? as usize;
                Some((a, b, state))
            })
            .collect()
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

    /// Simulated seconds per wall-clock second.
    pub fn speed(&self) -> f64 {
        self.speed
    }

    /// Sets the speed (simulated seconds per wall-clock second).
    pub fn set_speed(&mut self, speed: f64) {
        if speed.is_finite() && speed > 0.0 {
            self.speed = speed;
        }
    }

    /// Advances by the wall time since the previous frame (`now_ms` is the
    /// animation-frame timestamp [ms]) and samples the dots to draw.
    pub fn frame(&mut self, now_ms: f64) {
        let Some(sim) = self.sim.as_mut() else {
            return;
        };
        if self.running {
            if let Some(last) = self.last_frame_ms {
                let wall = (now_ms - last).clamp(0.0, MAX_FRAME_GAP_MS);
                let target = sim.now() + from_ms(wall * self.speed);
                sim.run_until(target);
            }
            self.last_frame_ms = Some(now_ms);
        }
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

    /// Every figure of the run so far, if a simulation exists.
    pub fn snapshot(&self) -> Option<Snapshot> {
        self.sim.as_ref().map(Simulation::snapshot)
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
    fn an_unrunnable_design_reports_its_problems() {
        let mut bad = doc();
        bad.edges.clear();
        let err = Driver::default().play(&bad).unwrap_err();
        assert!(err.to_string().contains("users-1 is not connected"));
    }
}
