//! The grader: runs a design through a lesson and checks each goal on
//! the figures measured over its window.

use super::goal::measure;
use super::{Goal, Lesson, LessonError, Unmeasured};
use crate::design::DesignDoc;
use crate::model::{Meter, Simulation, Snapshot};
use crate::time::{Nanos, SECOND, from_secs};
use serde::{Deserialize, Serialize};

/// One goal's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GoalResult {
    /// The goal.
    pub goal: Goal,
    /// The measured figure, or why there is none.
    pub value: Result<f64, Unmeasured>,
    /// Whether it was met.
    pub passed: bool,
}

/// The grade of one design for one lesson (it crosses from the app's
/// grading worker to the page, so it reads back what it writes).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Grade {
    /// Every goal with its measured figure.
    pub goals: Vec<GoalResult>,
    /// Whether every goal was met.
    pub passed: bool,
    /// Events simulated.
    pub events: u64,
}

/// A goal window being measured.
#[derive(Debug, Clone)]
struct Window {
    from: Nanos,
    to: Nanos,
    meter: Option<Meter>,
    /// The most the design cost in the window [USD/month].
    max_cost: f64,
    figures: Option<Snapshot>,
}

/// Grades a design for a lesson step by step, so a caller can show
/// progress: [`Grader::advance`] until it returns true, then
/// [`Grader::grade`].
#[derive(Debug)]
pub struct Grader {
    sim: Simulation,
    goals: Vec<Goal>,
    windows: Vec<Window>,
    end: Nanos,
    /// The next whole second at which the windows are fed [ns].
    next_boundary: Nanos,
}

impl Grader {
    /// Prepares `design` for `lesson` and builds its simulation at time 0.
    pub fn new(lesson: &Lesson, design: &DesignDoc) -> Result<Grader, LessonError> {
        let graded = lesson.prepare(design)?;
        let sim = Simulation::from_doc(&graded).map_err(|p| LessonError::Design(p.0))?;
        let mut windows: Vec<Window> = Vec::new();
        for g in &lesson.info.goals {
            let (from, to) = (from_secs(g.from_s), from_secs(g.to_s));
            if !windows.iter().any(|w| w.from == from && w.to == to) {
                windows.push(Window {
                    from,
                    to,
                    meter: None,
                    max_cost: 0.0,
                    figures: None,
                });
            }
        }
        let mut grader = Grader {
            sim,
            goals: lesson.info.goals.clone(),
            windows,
            end: from_secs(lesson.info.duration_s),
            next_boundary: 0,
        };
        grader.at_boundary();
        grader.next_boundary = SECOND;
        Ok(grader)
    }

    /// Simulates at most about `max_events` more events; returns whether
    /// the run is over.
    pub fn advance(&mut self, max_events: u64) -> bool {
        let mut left = max_events;
        // The boundary is kept, not derived from the clock: a slice may end
        // on an event at exactly a whole second, before that second's
        // figures were taken.
        while self.next_boundary <= self.end && left > 0 {
            let before = self.sim.events_processed();
            let reached = self.sim.run_until_bounded(self.next_boundary, left);
            left = left.saturating_sub(self.sim.events_processed() - before);
            if reached {
                self.at_boundary();
                self.next_boundary += SECOND;
            }
        }
        self.next_boundary > self.end
    }

    /// Runs to the end.
    pub fn run(&mut self) {
        while !self.advance(1_000_000) {}
    }

    /// Share of the run simulated, 0..=1.
    pub fn progress(&self) -> f64 {
        (self.sim.now() as f64 / self.end.max(1) as f64).min(1.0)
    }

    /// The simulation being graded.
    pub fn sim(&self) -> &Simulation {
        &self.sim
    }

    /// At a whole second: start, feed and finish the goal windows.
    fn at_boundary(&mut self) {
        let now = self.sim.now();
        let cost = self.sim.cost_per_month();
        for w in &mut self.windows {
            if now == w.from {
                w.meter = Some(Meter::start(&self.sim));
                w.max_cost = cost;
            } else if let Some(m) = w.meter.as_mut().filter(|_| now > w.from && now <= w.to) {
                m.collect(&self.sim);
                w.max_cost = w.max_cost.max(cost);
                if now == w.to {
                    w.figures = Some(m.finish(&self.sim));
                }
            }
        }
    }

    /// Every goal with its figure; call when [`Grader::advance`] returned
    /// true (a window that has not ended counts as unmeasured).
    pub fn grade(&self) -> Grade {
        let goals: Vec<GoalResult> = self
            .goals
            .iter()
            .map(|g| {
                let w = self
                    .windows
                    .iter()
                    .find(|w| w.from == from_secs(g.from_s) && w.to == from_secs(g.to_s));
                let value = match w.and_then(|w| w.figures.as_ref().map(|f| (w, f))) {
                    Some((w, f)) => measure(g.metric, f, w.max_cost),
                    None => Err(Unmeasured::NoRequests),
                };
                let passed = value.is_ok_and(|v| g.met_by(v));
                GoalResult {
                    goal: g.clone(),
                    value,
                    passed,
                }
            })
            .collect();
        Grade {
            passed: goals.iter().all(|g| g.passed),
            goals,
            events: self.sim.events_processed(),
        }
    }
}

/// Grades `design` for `lesson`, running the whole lesson.
pub fn grade(lesson: &Lesson, design: &DesignDoc) -> Result<Grade, LessonError> {
    let mut g = Grader::new(lesson, design)?;
    g.run();
    Ok(g.grade())
}
