//! The course: the lessons built into the app (`lessons/*.json`), where the
//! learner works (the free sandbox or a lesson), and their progress. Plain
//! Rust, tested natively; the browser storage is in `persist`.

use scalesim::lesson::Lesson;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

/// A lesson file built into the app.
pub struct LessonFile {
    /// `04-load-balancer`: the file name, used in links (`?lesson=`).
    pub slug: &'static str,
    /// The file.
    pub json: &'static str,
}

macro_rules! lesson {
    ($slug:literal) => {
        LessonFile {
            slug: $slug,
            json: include_str!(concat!("../lessons/", $slug, ".json")),
        }
    };
}

/// Every lesson, in course order.
pub const FILES: &[LessonFile] = &[
    lesson!("01-one-server-dns"),
    lesson!("02-web-and-data-tiers"),
    lesson!("03-scale-up"),
    lesson!("04-load-balancer"),
    lesson!("05-stateless-web-tier"),
    lesson!("06-master-and-replicas"),
    lesson!("07-replication-modes"),
    lesson!("08-cache"),
    lesson!("09-cdn"),
    lesson!("10-data-centers-geodns"),
    lesson!("11-message-queue"),
    lesson!("12-monitoring-automation"),
    lesson!("13-sharding"),
    lesson!("14-resilience"),
    lesson!("15-capstone"),
];

/// The lessons, read once. A built-in lesson that does not read is a bug
/// caught by the tests; it is left out rather than taking the app down.
pub fn lessons() -> &'static [Lesson] {
    static LESSONS: OnceLock<Vec<Lesson>> = OnceLock::new();
    LESSONS.get_or_init(|| {
        FILES
            .iter()
            .filter_map(|f| Lesson::from_json(f.slug, f.json).ok())
            .collect()
    })
}

/// The lesson with this slug.
pub fn find(slug: &str) -> Option<&'static Lesson> {
    lessons().iter().find(|l| l.slug == slug)
}

/// The lesson after this one, if any.
pub fn next(slug: &str) -> Option<&'static Lesson> {
    let all = lessons();
    let i = all.iter().position(|l| l.slug == slug)?;
    all.get(i + 1)
}

/// The lesson before this one, if any.
pub fn previous(slug: &str) -> Option<&'static Lesson> {
    let all = lessons();
    let i = all.iter().position(|l| l.slug == slug)?;
    i.checked_sub(1).and_then(|p| all.get(p))
}

/// Where the learner works: their free design, or a lesson.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Workspace {
    /// The free sandbox: their own design.
    #[default]
    Sandbox,
    /// A lesson, by slug.
    Lesson(String),
}

impl Workspace {
    /// How it is kept in storage: `sandbox` or `lesson:04-load-balancer`.
    pub fn key(&self) -> String {
        match self {
            Workspace::Sandbox => "sandbox".into(),
            Workspace::Lesson(slug) => format!("lesson:{slug}"),
        }
    }

    /// Reads [`Workspace::key`]'s form; an unknown lesson is the sandbox.
    pub fn from_key(key: &str) -> Workspace {
        match key.strip_prefix("lesson:") {
            Some(slug) if find(slug).is_some() => Workspace::Lesson(slug.into()),
            _ => Workspace::Sandbox,
        }
    }

    /// The lesson, if this is one.
    pub fn lesson(&self) -> Option<&'static Lesson> {
        match self {
            Workspace::Lesson(slug) => find(slug),
            Workspace::Sandbox => None,
        }
    }
}

/// What the learner has done, kept in the browser.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(default)]
pub struct Progress {
    /// Lessons passed, by slug.
    pub passed: BTreeSet<String>,
    /// Hints revealed, per lesson.
    pub hints: BTreeMap<String, u8>,
    /// The self-check choice made, per lesson.
    pub answers: BTreeMap<String, usize>,
}

/// A change to the progress. Applied to the progress as it is when it
/// arrives (a reducer), so a pass recorded at the end of a long Check does
/// not undo a hint revealed meanwhile.
#[derive(Debug, Clone, PartialEq)]
pub enum ProgressAction {
    /// The lesson was passed.
    Pass(String),
    /// One more hint of the lesson, which has this many.
    RevealHint(String, usize),
    /// The self-check choice made.
    Answer(String, usize),
}

impl yew::Reducible for Progress {
    type Action = ProgressAction;

    fn reduce(self: std::rc::Rc<Self>, action: ProgressAction) -> std::rc::Rc<Self> {
        let mut p = (*self).clone();
        p.apply(action);
        std::rc::Rc::new(p)
    }
}

/// A lesson's state on the course map.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    /// Passed.
    Done,
    /// The first lesson not passed yet: where to go on.
    Current,
    /// Later.
    Ahead,
}

impl Progress {
    /// Applies one change.
    pub fn apply(&mut self, action: ProgressAction) {
        match action {
            ProgressAction::Pass(slug) => self.pass(&slug),
            ProgressAction::RevealHint(slug, total) => self.reveal_hint(&slug, total),
            ProgressAction::Answer(slug, choice) => {
                self.answers.insert(slug, choice);
            }
        }
    }

    /// Records a pass.
    pub fn pass(&mut self, slug: &str) {
        self.passed.insert(slug.to_string());
    }

    /// Hints revealed for `slug`.
    pub fn hints_shown(&self, slug: &str) -> usize {
        usize::from(self.hints.get(slug).copied().unwrap_or(0))
    }

    /// Reveals one more hint for `slug`, at most `total`.
    pub fn reveal_hint(&mut self, slug: &str, total: usize) {
        let shown = (self.hints_shown(slug) + 1).min(total);
        self.hints.insert(slug.to_string(), shown as u8);
    }

    /// The first lesson not passed yet (the last one when all are).
    pub fn current(&self) -> Option<&'static Lesson> {
        let all = lessons();
        all.iter()
            .find(|l| !self.passed.contains(&l.slug))
            .or_else(|| all.last())
    }

    /// Where `slug` stands.
    pub fn status(&self, slug: &str) -> Status {
        if self.passed.contains(slug) {
            Status::Done
        } else if self.current().is_some_and(|l| l.slug == slug) {
            Status::Current
        } else {
            Status::Ahead
        }
    }

    /// Whether nothing was done yet (a newcomer).
    pub fn is_empty(&self) -> bool {
        self.passed.is_empty() && self.hints.is_empty() && self.answers.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_lesson_file_is_built_in_and_reads() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("lessons");
        let mut files: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter_map(|n| n.strip_suffix(".json").map(String::from))
            .collect();
        files.sort();
        let built_in: Vec<&str> = FILES.iter().map(|f| f.slug).collect();
        assert_eq!(files, built_in, "lessons/ and the built-in list agree");
        assert_eq!(lessons().len(), FILES.len(), "every built-in lesson reads");
    }

    #[test]
    fn progress_says_what_is_done_and_where_to_go_on() {
        let mut p = Progress::default();
        assert!(p.is_empty());
        let first = lessons()[0].slug.clone();
        let second = lessons()[1].slug.clone();
        assert_eq!(p.status(&first), Status::Current);
        assert_eq!(p.status(&second), Status::Ahead);
        p.pass(&first);
        assert_eq!(p.status(&first), Status::Done);
        assert_eq!(p.status(&second), Status::Current);
        for _ in 0..4 {
            p.apply(ProgressAction::RevealHint(second.clone(), 3));
        }
        assert_eq!(p.hints_shown(&second), 3, "no more hints than there are");
        p.apply(ProgressAction::Answer(first.clone(), 1));
        assert_eq!(p.answers.get(&first), Some(&1));
        // Kept as JSON; an older or partial record still reads.
        let text = serde_json::to_string(&p).unwrap();
        assert_eq!(serde_json::from_str::<Progress>(&text).unwrap(), p);
        let partial: Progress = serde_json::from_str(r#"{"passed": ["x"]}"#).unwrap();
        assert!(partial.passed.contains("x") && partial.hints.is_empty());
    }

    #[test]
    fn workspaces_are_kept_by_key_and_unknown_lessons_fall_back_to_the_sandbox() {
        let ws = Workspace::Lesson("04-load-balancer".into());
        assert_eq!(Workspace::from_key(&ws.key()), ws);
        assert_eq!(Workspace::from_key("sandbox"), Workspace::Sandbox);
        assert_eq!(Workspace::from_key("lesson:99-nope"), Workspace::Sandbox);
        assert_eq!(next("01-one-server-dns").unwrap().info.number, 2);
        assert!(previous("01-one-server-dns").is_none());
    }
}
