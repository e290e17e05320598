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

use crate::catalog::{Kind, Text};
use crate::design::{DesignDoc, ParamValue, Problem, ProblemKind};
use crate::model::{ErrorCause, Meter, Simulation, Snapshot};
use crate::time::{Nanos, SECOND, from_secs, to_secs};
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

/// A figure a goal checks, measured over the goal's window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// Share of answered requests that failed [%].
    ErrorRatePct,
    /// Share of one-second intervals in which the service was up [%].
    UptimePct,
    /// Median latency of successful requests [ms].
    P50Ms,
    /// 95th-percentile latency of successful requests [ms].
    P95Ms,
    /// 99th-percentile latency of successful requests [ms].
    P99Ms,
    /// 95th-percentile latency of successful page reads [ms].
    ReadP95Ms,
    /// 95th-percentile latency of successful writes [ms].
    WriteP95Ms,
    /// Successful answers per second [req/s].
    ThroughputRps,
    /// Acknowledged writes lost (in failovers) [count].
    LostWrites,
    /// Users logged out because their session was gone [count].
    LoggedOut,
    /// Share of successful reads that returned an older version than the
    /// newest acknowledged one [%].
    StaleReadPct,
    /// What the design costs, the most it cost in the window [USD/month].
    CostPerMonth,
    /// Share of cache lookups that hit [%].
    CacheHitPct,
    /// Busy share of the busiest database [%].
    MaxDbBusyPct,
    /// Busy share of the busiest web server [%].
    MaxWebBusyPct,
    /// Jobs lost in a queue crash or dead-lettered [count].
    JobsLost,
    /// Jobs waiting in queues at the window's end [count].
    JobBacklog,
    /// Mean time from a crash to the monitoring alert about it [s].
    DetectS,
    /// Time the latest resharding took to move its records [s].
    ReshardS,
}

impl Metric {
    /// Every metric, in the order the docs list them.
    pub const ALL: [Metric; 19] = [
        Metric::ErrorRatePct,
        Metric::UptimePct,
        Metric::P50Ms,
        Metric::P95Ms,
        Metric::P99Ms,
        Metric::ReadP95Ms,
        Metric::WriteP95Ms,
        Metric::ThroughputRps,
        Metric::LostWrites,
        Metric::LoggedOut,
        Metric::StaleReadPct,
        Metric::CostPerMonth,
        Metric::CacheHitPct,
        Metric::MaxDbBusyPct,
        Metric::MaxWebBusyPct,
        Metric::JobsLost,
        Metric::JobBacklog,
        Metric::DetectS,
        Metric::ReshardS,
    ];

    /// Its key in lesson files (`error_rate_pct`).
    pub fn key(self) -> &'static str {
        match self {
            Metric::ErrorRatePct => "error_rate_pct",
            Metric::UptimePct => "uptime_pct",
            Metric::P50Ms => "p50_ms",
            Metric::P95Ms => "p95_ms",
            Metric::P99Ms => "p99_ms",
            Metric::ReadP95Ms => "read_p95_ms",
            Metric::WriteP95Ms => "write_p95_ms",
            Metric::ThroughputRps => "throughput_rps",
            Metric::LostWrites => "lost_writes",
            Metric::LoggedOut => "logged_out",
            Metric::StaleReadPct => "stale_read_pct",
            Metric::CostPerMonth => "cost_per_month",
            Metric::CacheHitPct => "cache_hit_pct",
            Metric::MaxDbBusyPct => "max_db_busy_pct",
            Metric::MaxWebBusyPct => "max_web_busy_pct",
            Metric::JobsLost => "jobs_lost",
            Metric::JobBacklog => "job_backlog",
            Metric::DetectS => "detect_s",
            Metric::ReshardS => "reshard_s",
        }
    }

    /// What it is called, in both languages.
    pub fn label(self) -> Text {
        let t = |en, ko| Text { en, ko };
        match self {
            Metric::ErrorRatePct => t("error rate", "오류율"),
            Metric::UptimePct => t("up time", "가동 시간"),
            Metric::P50Ms => t("median latency", "지연 시간 중앙값"),
            Metric::P95Ms => t("p95 latency", "p95 지연 시간"),
            Metric::P99Ms => t("p99 latency", "p99 지연 시간"),
            Metric::ReadP95Ms => t("p95 read latency", "읽기 p95 지연 시간"),
            Metric::WriteP95Ms => t("p95 write latency", "쓰기 p95 지연 시간"),
            Metric::ThroughputRps => t("throughput", "처리량"),
            Metric::LostWrites => t("acknowledged writes lost", "유실된 확인된 쓰기"),
            Metric::LoggedOut => t("users logged out", "로그아웃된 사용자"),
            Metric::StaleReadPct => t("stale reads", "오래된 읽기"),
            Metric::CostPerMonth => t("cost", "비용"),
            Metric::CacheHitPct => t("cache hit rate", "캐시 적중률"),
            Metric::MaxDbBusyPct => t("busiest database's load", "가장 바쁜 데이터베이스의 부하"),
            Metric::MaxWebBusyPct => t("busiest web server's load", "가장 바쁜 웹 서버의 부하"),
            Metric::JobsLost => t("jobs lost or dead-lettered", "유실되거나 DLQ로 간 작업"),
            Metric::JobBacklog => t("jobs still waiting at the end", "끝에 아직 기다리는 작업"),
            Metric::DetectS => t("time to detect a crash", "장애 탐지 시간"),
            Metric::ReshardS => t("time to reshard", "리샤딩 시간"),
        }
    }

    /// Its unit, as shown after a value.
    pub fn unit(self) -> &'static str {
        match self {
            Metric::ErrorRatePct
            | Metric::UptimePct
            | Metric::StaleReadPct
            | Metric::CacheHitPct
            | Metric::MaxDbBusyPct
            | Metric::MaxWebBusyPct => "%",
            Metric::P50Ms
            | Metric::P95Ms
            | Metric::P99Ms
            | Metric::ReadP95Ms
            | Metric::WriteP95Ms => "ms",
            Metric::ThroughputRps => "req/s",
            Metric::LostWrites | Metric::LoggedOut | Metric::JobsLost | Metric::JobBacklog => "",
            Metric::CostPerMonth => "USD/month",
            Metric::DetectS | Metric::ReshardS => "s",
        }
    }

    /// Digits shown after the decimal point.
    pub fn digits(self) -> usize {
        match self {
            Metric::ErrorRatePct | Metric::StaleReadPct | Metric::UptimePct => 2,
            Metric::CostPerMonth
            | Metric::LostWrites
            | Metric::LoggedOut
            | Metric::JobsLost
            | Metric::JobBacklog
            | Metric::MaxDbBusyPct
            | Metric::MaxWebBusyPct
            | Metric::CacheHitPct => 0,
            _ => 1,
        }
    }

    /// `value` with its unit: "12.5 ms".
    pub fn format(self, value: f64) -> String {
        self.format_in(value, false)
    }

    /// `value` with its unit, in Korean if `ko` ("255 USD/월").
    pub fn format_in(self, value: f64, ko: bool) -> String {
        let v = format!("{:.*}", self.digits(), value);
        match (self.unit(), ko) {
            ("", _) => v,
            ("%", _) => format!("{v} %"),
            ("USD/month", true) => format!("{v} USD/월"),
            ("req/s", true) => format!("{v} 요청/초"),
            (u, _) => format!("{v} {u}"),
        }
    }
}

/// Why a goal's figure could not be measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unmeasured {
    /// No request was answered in the window (no latency to measure).
    NoRequests,
    /// There is no monitoring node, or it raised no alert about a crash.
    NothingDetected,
    /// No resharding happened, or it did not finish in the window.
    NoResharding,
    /// There is no cache.
    NoCache,
}

impl Unmeasured {
    /// The reason in both languages.
    pub fn text(self) -> Text {
        let t = |en, ko| Text { en, ko };
        match self {
            Unmeasured::NoRequests => t(
                "no request was answered in this window",
                "이 구간에 응답된 요청이 없음",
            ),
            Unmeasured::NothingDetected => t(
                "no alert about a crash: nothing was watching, or nothing was detected",
                "장애 경보 없음: 지켜보는 것이 없거나 탐지되지 않음",
            ),
            Unmeasured::NoResharding => t(
                "the resharding did not finish in this window",
                "이 구간 안에 리샤딩이 끝나지 않음",
            ),
            Unmeasured::NoCache => t("there is no cache", "캐시가 없음"),
        }
    }
}

/// One goal: a figure over a window, at most or at least a threshold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Goal {
    /// What is measured.
    pub metric: Metric,
    /// The figure must be at most this (in the metric's unit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// The figure must be at least this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// Start of the window [s].
    pub from_s: f64,
    /// End of the window [s].
    pub to_s: f64,
}

impl Goal {
    /// Whether `value` meets the goal.
    pub fn met_by(&self, value: f64) -> bool {
        self.max.is_none_or(|m| value <= m + 1e-9) && self.min.is_none_or(|m| value >= m - 1e-9)
    }

    /// The goal in words: "from 30 s to 90 s: p95 latency ≤ 150 ms".
    pub fn describe(&self, ko: bool) -> String {
        let label = self.metric.label();
        let name = if ko { label.ko } else { label.en };
        let bound = match (self.max, self.min) {
            (Some(max), _) => format!("≤ {}", self.metric.format_in(max, ko)),
            (None, Some(min)) => format!("≥ {}", self.metric.format_in(min, ko)),
            (None, None) => String::new(),
        };
        if ko {
            format!("{}초~{}초: {name} {bound}", self.from_s, self.to_s)
        } else {
            format!("from {} s to {} s: {name} {bound}", self.from_s, self.to_s)
        }
    }
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

/// One goal's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GoalResult {
    /// The goal.
    pub goal: Goal,
    /// The measured figure, or why there is none.
    pub value: Result<f64, Unmeasured>,
    /// Whether it was met.
    pub passed: bool,
}

/// The grade of one design for one lesson.
#[derive(Debug, Clone, PartialEq, Serialize)]
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

/// A metric's value over a window's figures.
fn measure(metric: Metric, s: &Snapshot, max_cost: f64) -> Result<f64, Unmeasured> {
    let answered = s.completed + s.errors.total();
    let pct = |x: f64| x * 100.0;
    let latency = |v: f64, n: u64| {
        if n == 0 {
            Err(Unmeasured::NoRequests)
        } else {
            Ok(v)
        }
    };
    let busiest = |kind: Kind| {
        s.nodes
            .iter()
            .filter(|n| n.kind == kind && n.workers > 0)
            .map(|n| n.utilization)
            .fold(0.0, f64::max)
    };
    match metric {
        Metric::ErrorRatePct => {
            if answered == 0 {
                Err(Unmeasured::NoRequests)
            } else {
                Ok(pct(s.error_rate))
            }
        }
        Metric::UptimePct => Ok(pct(s.uptime)),
        Metric::P50Ms => latency(s.latency_ms.p50, s.completed),
        Metric::P95Ms => latency(s.latency_ms.p95, s.completed),
        Metric::P99Ms => latency(s.latency_ms.p99, s.completed),
        Metric::ReadP95Ms => latency(s.read_latency_ms.p95, s.data.reads),
        Metric::WriteP95Ms => latency(s.write_latency_ms.p95, s.data.writes),
        Metric::ThroughputRps => Ok(s.throughput_rps),
        Metric::LostWrites => Ok(s.data.lost_writes as f64),
        Metric::LoggedOut => Ok(s.errors[ErrorCause::SessionLost] as f64),
        Metric::StaleReadPct => Ok(if s.data.reads == 0 {
            0.0
        } else {
            pct(s.data.stale_reads as f64 / s.data.reads as f64)
        }),
        Metric::CostPerMonth => Ok(max_cost.max(s.cost_per_month)),
        Metric::CacheHitPct => {
            if s.nodes.iter().any(|n| n.kind == Kind::Cache) {
                Ok(pct(s.data.cache_hit_rate))
            } else {
                Err(Unmeasured::NoCache)
            }
        }
        Metric::MaxDbBusyPct => Ok(pct(busiest(Kind::Database))),
        Metric::MaxWebBusyPct => Ok(pct(busiest(Kind::WebServer))),
        Metric::JobsLost => Ok(s
            .nodes
            .iter()
            .filter_map(|n| n.queue)
            .map(|q| q.lost + q.dead_lettered)
            .sum::<u64>() as f64),
        Metric::JobBacklog => Ok(s
            .nodes
            .iter()
            .filter_map(|n| n.queue)
            .map(|q| q.backlog)
            .sum::<u64>() as f64),
        Metric::DetectS => s
            .monitoring
            .as_ref()
            .and_then(|m| m.mean_detect_s)
            .ok_or(Unmeasured::NothingDetected),
        Metric::ReshardS => s
            .nodes
            .iter()
            .filter_map(|n| n.reshard)
            .filter(|r| r.done && r.started_s >= to_secs(s.now_ns - s.measured_ns))
            .map(|r| r.finished_s - r.started_s)
            .reduce(f64::max)
            .ok_or(Unmeasured::NoResharding),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LESSON: &str = r#"{
      "version": 1, "seed": 3,
      "nodes": [
        {"id": "users-1", "kind": "users", "params": {"rate_rps": 50}},
        {"id": "web-1", "kind": "web_server", "params": {"size": "nano"}}],
      "edges": [{"from": "users-1", "to": "web-1"}],
      "faults": [{"at_s": 10, "action": "kill", "target": "web-1"}],
      "lesson": {
        "number": 1, "title": {"en": "T", "ko": "T"}, "notes": ["004"],
        "story": {"en": "S", "ko": "S"}, "watch": {"en": "W", "ko": "W"},
        "duration_s": 30, "speed": 1,
        "fixed": {"web_server": {"service_ms": 10}},
        "goals": [{"metric": "error_rate_pct", "max": 1, "from_s": 15, "to_s": 30}],
        "hints": [{"en": "H", "ko": "H"}],
        "why": {"en": "Y", "ko": "Y"},
        "check": {"question": {"en": "Q", "ko": "Q"},
                  "choices": [{"en": "a", "ko": "a"}, {"en": "b", "ko": "b"}],
                  "answer": 1, "explain": {"en": "E", "ko": "E"}}
      }
    }"#;

    #[test]
    fn the_lesson_sets_seed_timeline_traffic_and_workload_not_the_learner() {
        let lesson = Lesson::from_json("01-t", LESSON).unwrap();
        let mut mine = lesson.design.clone();
        mine.seed = 99;
        mine.faults.clear();
        mine.nodes[0]
            .params
            .insert("rate_rps".into(), ParamValue::Number(1.0));
        mine.nodes[1]
            .params
            .insert("service_ms".into(), ParamValue::Number(0.01));
        let graded = lesson.prepare(&mine).unwrap();
        assert_eq!(graded.seed, 3);
        assert_eq!(graded.faults, lesson.design.faults);
        assert_eq!(graded.nodes[0].params, lesson.design.nodes[0].params);
        assert_eq!(
            graded.nodes[1].params.get("service_ms"),
            Some(&ParamValue::Number(10.0))
        );
        assert_eq!(lesson.overridden(&mine), ["users-1", "web-1"]);
        // Leaving out a parameter the lesson fixes to its default is no
        // difference.
        let mut plain = lesson.design.clone();
        plain.nodes[1].params.remove("service_ms");
        assert!(lesson.overridden(&plain).is_empty());
        // Nor is a component left at its defaults when the lesson fixes
        // them to something else: the learner did not choose them.
        let mut fresh = lesson.clone();
        fresh.info.fixed.insert(
            "web_server".into(),
            [("service_ms".to_string(), ParamValue::Number(25.0))].into(),
        );
        assert!(fresh.overridden(&plain).is_empty());
        assert_eq!(fresh.overridden(&mine), ["users-1", "web-1"]);
        // A value fixed for one node wins over its kind's, whatever the
        // keys' order.
        let mut own = lesson.clone();
        own.info.fixed.insert(
            "web-1".into(),
            [("service_ms".to_string(), ParamValue::Number(40.0))].into(),
        );
        let graded = own.prepare(&mine).unwrap();
        assert_eq!(
            graded.nodes[1].params.get("service_ms"),
            Some(&ParamValue::Number(40.0))
        );
    }

    #[test]
    fn a_design_the_timeline_cannot_apply_to_is_refused_with_what_to_change() {
        let lesson = Lesson::from_json("01-t", LESSON).unwrap();
        let mut mine = lesson.design.clone();
        mine.nodes[1].id = "web-9".into();
        mine.edges[0].to = "web-9".into();
        mine.nodes[0].id = "visitors".into();
        mine.edges[0].from = "visitors".into();
        let Err(LessonError::Design(p)) = lesson.prepare(&mine) else {
            panic!("refused")
        };
        let kinds: Vec<_> = p.iter().map(|p| (p.location.as_str(), &p.kind)).collect();
        assert!(kinds.contains(&("web-1", &ProblemKind::LessonMissingTarget { at_s: 10.0 })));
        assert!(kinds.contains(&("users-1", &ProblemKind::LessonMissingUsers)));
        assert!(
            kinds
                .iter()
                .any(|(at, k)| *at == "visitors"
                    && matches!(k, ProblemKind::LessonExtraUsers { .. }))
        );
    }

    #[test]
    fn a_dead_only_server_fails_the_goal_and_the_figure_says_why() {
        let lesson = Lesson::from_json("01-t", LESSON).unwrap();
        let grade = grade(&lesson, &lesson.design).unwrap();
        assert!(!grade.passed);
        let g = &grade.goals[0];
        assert!(g.value.unwrap() > 99.0, "{g:?}");
        assert_eq!(
            g.goal.describe(false),
            "from 15 s to 30 s: error rate ≤ 1.00 %"
        );
        // Stepping in pieces of any size gives the same grade as one run,
        // including pieces that end on an event at a whole second.
        for slice in [1, 7, 500] {
            let mut stepped = Grader::new(&lesson, &lesson.design).unwrap();
            let mut last = 0.0;
            while !stepped.advance(slice) {
                assert!(stepped.progress() >= last);
                last = stepped.progress();
            }
            assert_eq!(stepped.grade(), grade, "slices of {slice} events");
        }
    }

    #[test]
    fn broken_lesson_files_say_what_is_wrong() {
        let err = |text: &str| match Lesson::from_json("x", text) {
            Err(LessonError::BadLesson(why)) => why,
            other => panic!("{other:?}"),
        };
        assert!(err("[1]").contains("JSON object"));
        assert!(err(r#"{"version": 1}"#).contains("no \"lesson\""));
        assert!(err("{").contains("line 1"));
        let bad_window = LESSON.replace("\"to_s\": 30", "\"to_s\": 31");
        assert!(err(&bad_window).contains("window"));
        let no_target = LESSON.replace("\"target\": \"web-1\"", "\"target\": \"web-7\"");
        assert!(err(&no_target).contains("web-7"));
        let bom = format!("\u{feff}{LESSON}");
        assert!(Lesson::from_json("x", &bom).is_ok());
    }
}
