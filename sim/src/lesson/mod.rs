//! Lessons: a design plus a story, a timeline of announced events, goals
//! over declared windows, hints, and what to take away. The grader is the
//! simulation: it runs the learner's design headlessly with the lesson's
//! seed, traffic and timeline, and checks each goal on measured figures — so
//! any design that works passes, whatever its shape.
//!
//! ```text
//!   lessons/04-load-balancer.json
//!   { "version": 1, "seed": 4, "nodes": [...], "edges": [...],   ← starting design
//!     "faults": [{"at_s": 30, "action": "kill", "target": "web-1"}],  ← the timeline
//!     "lesson": { "number": 4, "title": {...}, "story": {...},
//!                 "duration_s": 90, "goals": [...], "hints": [...], ... } }
//!
//!   learner's design ──prepare──► graded design ──Grader──► Grade
//!     (seed, timeline, traffic and the lesson's fixed workload applied)
//! ```

mod goal;
mod grader;
#[cfg(test)]
mod tests;

pub use goal::{Goal, Metric, Unmeasured};
pub use grader::{GoalResult, Grade, Grader, grade};

use crate::catalog::Kind;
use crate::design::{DesignDoc, ParamValue, Problem, ProblemKind};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;

/// A text in both languages of the app.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Texts {
    /// English.
    pub en: String,
    /// Korean.
    pub ko: String,
}

/// A self-check question asked after the lesson is passed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SelfCheck {
    /// The question.
    pub question: Texts,
    /// The choices offered.
    pub choices: Vec<Texts>,
    /// Index of the right choice.
    pub answer: usize,
    /// Why that one, shown once a choice is made.
    pub explain: Texts,
}

/// An announcement on the lesson's time bar, beyond the design's faults
/// (which are announced from the faults themselves).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Announcement {
    /// When [s from the start].
    pub at_s: f64,
    /// What happens, or what to watch.
    pub text: Texts,
}

/// The lesson fields of a lesson file (beside the design).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LessonInfo {
    /// Its place in the course, from 1.
    pub number: u32,
    /// The title.
    pub title: Texts,
    /// The study notes it comes from (`004` for `../shared/seeds/004_…`).
    pub notes: Vec<String>,
    /// What changed for the business: why this lesson's trouble matters.
    pub story: Texts,
    /// What to look at while it runs.
    pub watch: Texts,
    /// Whether the learner goes on with their own design from the
    /// previous lesson (this file's design is the one to use otherwise).
    #[serde(default)]
    pub continues: bool,
    /// How long a graded run lasts [s].
    pub duration_s: f64,
    /// A speed at which the lesson's point shows within about 30 s of
    /// watching (simulated seconds per wall second).
    pub speed: f64,
    /// Announcements beyond the design's faults.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub timeline: Vec<Announcement>,
    /// The workload and the world, which the learner does not choose:
    /// parameters set when grading on every node of a kind (key: the kind,
    /// `web_server`) or on one node (key: its id, `db-3`), parameter →
    /// value.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub fixed: BTreeMap<String, BTreeMap<String, ParamValue>>,
    /// Connections of the world outside the design: they must stay, and
    /// their starting nodes get no other (users reach the site by its
    /// name: `users-1 → dns-1`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub keep_edges: Vec<(String, String)>,
    /// What a passing design must achieve.
    pub goals: Vec<Goal>,
    /// Hints, revealed one at a time: a question, the concept, the step.
    pub hints: Vec<Texts>,
    /// Why a passing design works: shown after passing.
    pub why: Texts,
    /// One self-check question.
    pub check: SelfCheck,
}

/// A lesson: its file's slug, its starting design and its lesson fields.
#[derive(Debug, Clone, PartialEq)]
pub struct Lesson {
    /// `04-load-balancer`: the file name without `.json`, used in links.
    pub slug: String,
    /// The starting design, with the timeline as its faults.
    pub design: DesignDoc,
    /// Story, goals, hints and the rest.
    pub info: LessonInfo,
}

/// Why a lesson file or a design to grade was refused.
#[derive(Debug, Clone, PartialEq)]
pub enum LessonError {
    /// The lesson file is not a lesson (bad JSON, missing or wrong fields,
    /// or fields that do not fit together).
    BadLesson(String),
    /// The design cannot be graded for this lesson: what to change.
    Design(Vec<Problem>),
}

impl fmt::Display for LessonError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LessonError::BadLesson(why) => write!(f, "not a usable lesson: {why}"),
            LessonError::Design(problems) => {
                write!(f, "{}", crate::design::Problems(problems.clone()))
            }
        }
    }
}

impl Lesson {
    /// Reads a lesson file: a design document with a `lesson` object.
    pub fn from_json(slug: &str, text: &str) -> Result<Lesson, LessonError> {
        let bad = |why: String| LessonError::BadLesson(why);
        let mut value: serde_json::Value =
            serde_json::from_str(text.trim_start_matches('\u{feff}'))
                .map_err(|e| bad(format!("line {}, column {}: {e}", e.line(), e.column())))?;
        let object = value
            .as_object_mut()
            .ok_or_else(|| bad("a lesson file is a JSON object".into()))?;
        let info = object
            .remove("lesson")
            .ok_or_else(|| bad("it has no \"lesson\" object beside the design".into()))?;
        let info: LessonInfo =
            serde_json::from_value(info).map_err(|e| bad(format!("in \"lesson\": {e}")))?;
        let design = DesignDoc::from_json(&value.to_string())
            .map_err(|p| bad(format!("its design: {p}")))?;
        let lesson = Lesson {
            slug: slug.to_string(),
            design,
            info,
        };
        lesson.check().map_err(bad)?;
        Ok(lesson)
    }

    /// Checks that the lesson's fields fit together.
    fn check(&self) -> Result<(), String> {
        let i = &self.info;
        let d = i.duration_s;
        if !((1.0..=3_600.0).contains(&d) && d.fract() == 0.0) {
            return Err(format!(
                "duration_s must be whole seconds from 1 to 3600, got {d}"
            ));
        }
        if !(i.speed.is_finite() && i.speed > 0.0) {
            return Err(format!("speed must be positive, got {}", i.speed));
        }
        if i.goals.is_empty() {
            return Err("a lesson needs at least one goal".into());
        }
        for (n, g) in i.goals.iter().enumerate() {
            let whole = |s: f64| s.is_finite() && s.fract() == 0.0 && s >= 0.0;
            if !(whole(g.from_s) && whole(g.to_s) && g.from_s < g.to_s && g.to_s <= d) {
                return Err(format!(
                    "goal {n}: its window must be whole seconds with from_s < to_s ≤ duration_s, got {}..{}",
                    g.from_s, g.to_s
                ));
            }
            if g.max.is_none() == g.min.is_none() {
                return Err(format!("goal {n}: give exactly one of max and min"));
            }
        }
        if i.hints.is_empty() {
            return Err("a lesson needs hints".into());
        }
        let c = &i.check;
        if c.choices.len() < 2 || c.answer >= c.choices.len() {
            return Err("the self-check needs choices and an answer among them".into());
        }
        for key in i.fixed.keys() {
            let kind = crate::catalog::CATALOG.iter().any(|s| s.kind.key() == key);
            if !kind && !self.design.nodes.iter().any(|n| &n.id == key) {
                return Err(format!(
                    "fixed: '{key}' is neither a component kind nor a node of the design"
                ));
            }
        }
        // The starting design with the lesson applied must be a runnable
        // design.
        let graded = self
            .prepare(&self.design)
            .map_err(|e| format!("its starting design cannot be graded: {e}"))?;
        graded
            .validate()
            .map_err(|p| format!("its starting design does not validate: {p}"))?;
        Ok(())
    }

    /// Whether `design` can be graded in this lesson, as
    /// [`Grader::new`] decides, without building a simulation: what to
    /// change if not.
    pub fn can_grade(&self, design: &DesignDoc) -> Result<(), LessonError> {
        let graded = self.prepare(design)?;
        graded
            .validate()
            .map(|_| ())
            .map_err(|p| LessonError::Design(p.0))
    }

    /// The design that is graded for `design`: the learner's components and
    /// connections, with the lesson's seed, timeline (faults), traffic (the
    /// Users nodes' settings), workload (the `fixed` parameters) and
    /// connections to keep. Refused, with what to change, when the
    /// timeline or traffic cannot apply to it.
    pub fn prepare(&self, design: &DesignDoc) -> Result<DesignDoc, LessonError> {
        let mut out = design.clone();
        let mut problems = Vec::new();
        out.seed = self.design.seed;
        out.faults = self.design.faults.clone();
        let users: Vec<&crate::design::NodeDoc> = self
            .design
            .nodes
            .iter()
            .filter(|n| n.kind == Kind::Users)
            .collect();
        for n in &mut out.nodes {
            if n.kind != Kind::Users {
                continue;
            }
            match users.iter().find(|u| u.id == n.id) {
                Some(u) => n.params = u.params.clone(),
                None => problems.push(Problem::error(
                    &n.id,
                    ProblemKind::LessonExtraUsers {
                        lesson_users: users.iter().map(|u| u.id.clone()).collect(),
                    },
                )),
            }
        }
        for u in &users {
            if !out
                .nodes
                .iter()
                .any(|n| n.id == u.id && n.kind == Kind::Users)
            {
                problems.push(Problem::error(&u.id, ProblemKind::LessonMissingUsers));
            }
        }
        for f in &self.design.faults {
            for id in f.action.node_ids() {
                if !out.nodes.iter().any(|n| n.id == id) && !out.regions.iter().any(|r| r.id == id)
                {
                    problems.push(Problem::error(
                        id,
                        ProblemKind::LessonMissingTarget { at_s: f.at_s },
                    ));
                }
            }
        }
        // Nodes the lesson fixes by id are part of its world.
        for key in self.info.fixed.keys() {
            let by_id = self.design.nodes.iter().any(|n| &n.id == key);
            if by_id && !out.nodes.iter().any(|n| &n.id == key) {
                problems.push(Problem::error(key, ProblemKind::LessonKeepNode));
            }
        }
        // So are its data centers: the boxes are the lesson's, a server the
        // lesson put in one stays there, and a new server goes in one.
        if !self.design.regions.is_empty() {
            out.regions = self.design.regions.clone();
            let dc_of = |d: &DesignDoc, id: &str| {
                let n = d.nodes.iter().find(|n| n.id == id)?;
                d.regions
                    .iter()
                    .find(|r| r.contains(n.x, n.y))
                    .map(|r| r.id.clone())
            };
            for n in &out.nodes {
                let placed = self.design.nodes.iter().any(|m| m.id == n.id);
                let now = dc_of(&out, &n.id);
                match (placed, dc_of(&self.design, &n.id)) {
                    (true, Some(dc)) if now.as_ref() != Some(&dc) => problems.push(Problem::error(
                        &n.id,
                        ProblemKind::LessonKeepInDataCenter { datacenter: dc },
                    )),
                    (false, _) if now.is_none() && n.kind.spec().in_datacenter => {
                        problems.push(Problem::error(&n.id, ProblemKind::LessonNeedsDataCenter))
                    }
                    _ => {}
                }
            }
        }
        let kept: Vec<String> = self
            .info
            .keep_edges
            .iter()
            .map(|(a, b)| format!("{a} → {b}"))
            .collect();
        let keep =
            |at: String| Problem::error(at, ProblemKind::LessonKeepEdge { kept: kept.clone() });
        for (from, to) in &self.info.keep_edges {
            if !out.edges.iter().any(|e| &e.from == from && &e.to == to) {
                problems.push(keep(format!("{from} → {to}")));
            }
        }
        for e in &out.edges {
            let from_kept = self.info.keep_edges.iter().any(|(a, _)| *a == e.from);
            let is_kept = self
                .info
                .keep_edges
                .iter()
                .any(|(a, b)| *a == e.from && *b == e.to);
            if from_kept && !is_kept {
                problems.push(keep(format!("{} → {}", e.from, e.to)));
            }
        }
        // Parameters fixed for a kind first, then a node's own, which win.
        for by_id in [false, true] {
            for (key, params) in &self.info.fixed {
                for n in out.nodes.iter_mut().filter(|n| {
                    if by_id {
                        &n.id == key
                    } else {
                        n.kind.key() == key
                    }
                }) {
                    for (k, v) in params {
                        n.params.insert(k.clone(), v.clone());
                    }
                }
            }
        }
        if problems.is_empty() {
            Ok(out)
        } else {
            Err(LessonError::Design(problems))
        }
    }

    /// Whether `design` differs from what is graded in a way the learner
    /// should be told: traffic or fixed parameters it set differently (they
    /// were replaced by the lesson's).
    pub fn overridden(&self, design: &DesignDoc) -> Vec<String> {
        let Ok(graded) = self.prepare(design) else {
            return Vec::new();
        };
        // Only values the learner set count: a parameter left out was not
        // their choice (a component just added from the palette), whatever
        // the lesson fixes it to. Compared by effective value.
        let effective = |n: &crate::design::NodeDoc, spec: &crate::catalog::ParamSpec| {
            n.params
                .get(spec.key)
                .and_then(|v| crate::design::check_param(spec, v).ok())
                .unwrap_or_else(|| crate::design::default_param(spec))
        };
        design
            .nodes
            .iter()
            .zip(&graded.nodes)
            .filter(|(a, b)| {
                a.kind
                    .spec()
                    .params
                    .iter()
                    .filter(|p| a.params.contains_key(p.key))
                    .any(|p| effective(a, p) != effective(b, p))
            })
            .map(|(a, _)| a.id.clone())
            .collect()
    }
}
