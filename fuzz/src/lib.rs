//! Scale Lab's fuzzer: every input a user can hand the app — a design file,
//! an imported file, a share link, a lesson, an edit while a design runs —
//! generated or mutated by the thousand, with each one required to end in
//! a result or a message a user can act on, never a panic.
//!
//! Inputs are made from a seed and an index ([`make::Dice::new`]), so any
//! failing input can be made again on its own: `cargo xtask fuzz --seed S
//! --only <target> --index I`.
//!
//! Besides "no panic", the targets check what a user would notice:
//! rejected input comes with at least one problem, written out in English
//! and Korean; a design survives a round trip through its file format and
//! through a share link unchanged; at every look at a running simulation,
//! every request sent is answered, failed by a named cause, or still in
//! flight, and every job accepted by a queue is in exactly one place
//! ([`conservation`]); editing a running design never takes its clock back.

pub mod make;
pub mod mutate;

use make::Dice;
use scale_lab::driver::Driver;
use scale_lab::i18n::{Lang, problem};
use scale_lab::share;
use scalesim::design::{FaultKind, Problems};
use scalesim::lesson::{Grader, Lesson};
use scalesim::time::MILLISECOND;
use scalesim::{DesignDoc, Simulation, Snapshot};

/// A named fuzz target.
pub struct Target {
    /// Name, as given to `--only`.
    pub name: &'static str,
    /// What it feeds and to what.
    pub about: &'static str,
    /// Runs one input; panics (caught by the runner) on a failure.
    pub run: fn(&mut Dice, &Corpus) -> Verdict,
}

/// What became of one input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Refused with a message.
    Refused,
    /// Accepted and simulated.
    Simulated,
}

/// Every target, in the order a run reports them.
pub const TARGETS: &[Target] = &[
    Target {
        name: "design-file",
        about: "mutated design files (JSON) → parser → validator → a short run",
        run: design_file,
    },
    Target {
        name: "import",
        about: "arbitrary bytes as an imported file → parser → the app's open path (list, picture, editor)",
        run: import,
    },
    Target {
        name: "share-link",
        about: "generated designs → link → back (unchanged); damaged links → decoder",
        run: share_link,
    },
    Target {
        name: "simulation",
        about: "random valid designs with random faults and edits while running; conservation at every look",
        run: simulation,
    },
    Target {
        name: "live-edit",
        about: "the app's driver: random edits (valid or not) to a running design, frame by frame",
        run: live_edit,
    },
    Target {
        name: "lesson",
        about: "mutated lessons → lesson reader; random designs → grader",
        run: lesson,
    },
];

/// Real inputs the mutations start from: the scenarios and the lessons.
pub struct Corpus {
    /// Design files (`scenarios/*.json`).
    pub designs: Vec<String>,
    /// Lesson files (`lessons/*.json`), with their slugs.
    pub lessons: Vec<(String, String)>,
}

impl Corpus {
    /// Reads the corpus from the repository.
    pub fn load() -> Result<Corpus, String> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let read = |dir: &str| -> Result<Vec<(String, String)>, String> {
            let path = root.join(dir);
            let mut out = Vec::new();
            let entries =
                std::fs::read_dir(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            for entry in entries {
                let p = entry.map_err(|e| e.to_string())?.path();
                if p.extension().is_some_and(|e| e == "json") {
                    let text =
                        std::fs::read_to_string(&p).map_err(|e| format!("{}: {e}", p.display()))?;
                    let slug = p.file_stem().unwrap_or_default().to_string_lossy().into();
                    out.push((slug, text));
                }
            }
            out.sort();
            Ok(out)
        };
        let designs: Vec<String> = read("scenarios")?.into_iter().map(|(_, t)| t).collect();
        let lessons = read("lessons")?;
        if designs.is_empty() || lessons.is_empty() {
            return Err("no scenarios/*.json or lessons/*.json to start from".into());
        }
        Ok(Corpus { designs, lessons })
    }
}

/// Events one input may simulate, at most: enough to cross faults and
/// edits, small enough for a million inputs.
const EVENT_BUDGET: u64 = 20_000;

/// The conservation laws at one look at a running simulation: every
/// request sent is answered, failed by cause, or in flight; every job a
/// queue accepted is done, waiting, out with a worker, dead-lettered or
/// lost. Returns which law broke, with the figures.
pub fn conservation(s: &Snapshot) -> Result<(), String> {
    let accounted = s.completed + s.errors.total() + s.in_flight;
    if s.arrivals != accounted {
        return Err(format!(
            "at {} ns: {} requests sent, but {} answered + {} failed ({:?}) + {} in flight = {accounted}",
            s.now_ns,
            s.arrivals,
            s.completed,
            s.errors.total(),
            s.errors.iter().filter(|(_, n)| *n > 0).collect::<Vec<_>>(),
            s.in_flight
        ));
    }
    for n in &s.nodes {
        if let Some(q) = n.queue {
            let placed = q.completed + q.backlog + q.in_flight + q.dead_lettered + q.lost;
            if q.enqueued != placed {
                return Err(format!(
                    "at {} ns, queue {}: {} jobs accepted but {placed} placed: {q:?}",
                    s.now_ns, n.id, q.enqueued
                ));
            }
        }
    }
    Ok(())
}

/// Problems a refusal gives: at least one, and each readable in both
/// languages.
fn explained(p: &Problems) {
    assert!(!p.0.is_empty(), "refused without a reason");
    for x in &p.0 {
        for lang in [Lang::En, Lang::Ko] {
            assert!(
                !problem(lang, x).trim().is_empty(),
                "empty message for {x:?}"
            );
        }
    }
}

/// A document the parser accepted: the file format gives it back
/// unchanged, and the validator either refuses it with reasons or it runs.
fn accepted(d: &mut Dice, doc: &DesignDoc) -> Verdict {
    let again = DesignDoc::from_json(&doc.to_json()).expect("a saved design reads back");
    assert_eq!(&again, doc, "a saved design reads back unchanged");
    match doc.validate() {
        Err(p) => {
            explained(&p);
            Verdict::Refused
        }
        Ok(design) => {
            let mut sim = Simulation::new(&design);
            let end = (1 + d.below(3)) as u64 * 500 * MILLISECOND;
            sim.run_until_bounded(end, EVENT_BUDGET);
            let s = sim.snapshot();
            conservation(&s).unwrap_or_else(|e| panic!("{e}"));
            Verdict::Simulated
        }
    }
}

fn design_file(d: &mut Dice, c: &Corpus) -> Verdict {
    let base = d.pick(&c.designs);
    let other = d.pick(&c.designs);
    let text = if d.chance(0.7) {
        mutate::json(d, base, other)
    } else {
        String::from_utf8_lossy(&mutate::bytes(
            d,
            base.clone().into_bytes(),
            other.as_bytes(),
        ))
        .into_owned()
    };
    match DesignDoc::from_json(&text) {
        Err(p) => {
            explained(&p);
            Verdict::Refused
        }
        Ok(doc) => accepted(d, &doc),
    }
}

fn import(d: &mut Dice, c: &Corpus) -> Verdict {
    let bytes = match d.below(4) {
        0 => (0..d.below(2048)).map(|_| d.u64() as u8).collect(),
        _ => {
            let (base, other) = (d.pick(&c.designs).clone(), d.pick(&c.designs));
            mutate::bytes(d, base.into_bytes(), other.as_bytes())
        }
    };
    // The browser reads a chosen file as text, replacing what is not UTF-8.
    let text = String::from_utf8_lossy(&bytes);
    let file_name = *d.pick(&["design.json", "x.JSON", ".json", "", "설계.json", "a b.txt"]);
    match DesignDoc::from_json(&text) {
        Err(p) => {
            explained(&p);
            Verdict::Refused
        }
        Ok(doc) => {
            let mut lib = scale_lab::library::Library::default();
            let name = scale_lab::library::name_from_file(file_name);
            assert!(!name.trim().is_empty(), "a design is always named");
            let id = lib.add(&name, 1.0, &doc);
            assert!(lib.get(&id).is_some(), "the imported design is listed");
            let _ = scale_lab::library::Thumb::of(&doc);
            let mut editor = scale_lab::state::Editor::new(Lang::Ko);
            editor.apply(scale_lab::state::Action::Load(doc.clone()));
            assert_eq!(editor.doc, doc, "the editor shows what was imported");
            accepted(d, &doc)
        }
    }
}

fn share_link(d: &mut Dice, _: &Corpus) -> Verdict {
    let wild = d.chance(0.3);
    let doc = make::design(d, wild);
    let fragment = share::encode(&doc);
    if doc.version == scalesim::design::FORMAT_VERSION {
        assert_eq!(
            share::decode(&fragment),
            Ok(doc.clone()),
            "a link opens what it was made of"
        );
    }
    let packed = share::pack(doc.to_json().as_bytes());
    let damaged = mutate::link(d, &fragment, packed);
    match share::decode(&damaged) {
        Err(share::LinkError::Design(p)) => {
            explained(&p);
            Verdict::Refused
        }
        Err(_) => Verdict::Refused,
        Ok(doc) => accepted(d, &doc),
    }
}

/// A fault a user could inject from the canvas now.
fn random_fault(d: &mut Dice, sim: &Simulation) -> FaultKind {
    let n = sim.node_ids().len();
    let (a, b) = (d.below(n), d.below(n));
    match d.below(6) {
        0 => FaultKind::Kill(a),
        1 => FaultKind::Restart(a),
        2 => FaultKind::Slow(a, 1.0 + d.unit() * 20.0, Some(200 * MILLISECOND)),
        3 => FaultKind::Cut(a, b, Some(300 * MILLISECOND)),
        4 => FaultKind::Purge(a),
        _ => FaultKind::Promote(a),
    }
}

fn simulation(d: &mut Dice, _: &Corpus) -> Verdict {
    let mut doc = make::design(d, false);
    let design = match doc.validate() {
        Ok(x) => x,
        Err(p) => {
            explained(&p);
            return Verdict::Refused;
        }
    };
    let mut sim = Simulation::new(&design);
    let mut budget = EVENT_BUDGET;
    for step in 1..=12u64 {
        let before = sim.events_processed();
        sim.run_until_bounded(step * 250 * MILLISECOND, budget);
        budget = budget.saturating_sub(sim.events_processed() - before);
        conservation(&sim.snapshot_counters()).unwrap_or_else(|e| panic!("step {step}: {e}"));
        if budget == 0 {
            break;
        }
        if d.chance(0.3) {
            let f = random_fault(d, &sim);
            sim.inject(f);
        }
        if d.chance(0.3) {
            make::edit(d, &mut doc);
            if let Ok(edited) = doc.validate() {
                let now = sim.now();
                // No generated edit changes a node's kind: every one,
                // roles included, is patched in.
                assert!(sim.patch(&edited), "an edit was refused as a patch");
                assert_eq!(sim.now(), now, "a patch keeps the clock");
            }
        }
    }
    conservation(&sim.snapshot()).unwrap_or_else(|e| panic!("at the end: {e}"));
    Verdict::Simulated
}

fn live_edit(d: &mut Dice, _: &Corpus) -> Verdict {
    let mut doc = make::design(d, false);
    if doc.validate().is_err() {
        return Verdict::Refused;
    }
    let mut driver = Driver::default();
    driver.set_speed(*d.pick(&[0.1, 1.0, 10.0, f64::INFINITY]));
    driver.play(&doc).expect("a valid design plays");
    // A clock that moves 5 ms each time the driver looks: a frame
    // simulates a few thousand events, as on a slow machine.
    let clock = std::cell::Cell::new(0.0);
    let tick = || {
        clock.set(clock.get() + 5.0);
        clock.get()
    };
    for _ in 0..d.between(4, 16) {
        clock.set(clock.get() + 16.0 + d.below(40) as f64);
        driver.frame_within(clock.get(), &tick);
        if d.chance(0.4) {
            make::edit(d, &mut doc);
            let before = driver.sim().map(Simulation::now);
            let result = driver.design_changed(&doc);
            if let Err(p) = &result {
                explained(p);
                assert!(
                    driver.held(),
                    "an invalid edit holds the last valid version"
                );
            }
            assert!(driver.sim().is_some(), "an edit never stops the run");
            let after = driver.sim().map(Simulation::now);
            assert!(
                after >= before,
                "an edit took the clock back: {before:?} → {after:?}"
            );
        }
        if let Some(sim) = driver.sim() {
            conservation(&sim.snapshot_counters()).unwrap_or_else(|e| panic!("{e}"));
        }
    }
    Verdict::Simulated
}

fn lesson(d: &mut Dice, c: &Corpus) -> Verdict {
    let (slug, text) = d.pick(&c.lessons);
    let lesson = if d.chance(0.5) {
        let (_, other) = d.pick(&c.lessons);
        match Lesson::from_json(slug, &mutate::json(d, text, other)) {
            Err(e) => {
                assert!(!e.to_string().trim().is_empty(), "refused without a reason");
                return Verdict::Refused;
            }
            Ok(l) => l,
        }
    } else {
        Lesson::from_json(slug, text).expect("a built-in lesson reads")
    };
    let wild = d.chance(0.2);
    let design = make::design(d, wild);
    match Grader::new(&lesson, &design) {
        Err(e) => {
            assert!(!e.to_string().trim().is_empty(), "refused without a reason");
            Verdict::Refused
        }
        Ok(mut g) => {
            for _ in 0..4 {
                if g.advance(EVENT_BUDGET / 4) {
                    break;
                }
            }
            let _ = g.grade();
            Verdict::Simulated
        }
    }
}
