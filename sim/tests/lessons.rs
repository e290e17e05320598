//! Every lesson in `lessons/` is a working lesson: it reads, its starting
//! design fails (the first run is the question), its reference solution in
//! `lessons/solutions/` passes every goal, and it speaks both languages.
//! Grading runs whole lessons, so these run in release builds (`cargo xtask
//! test` does); in debug builds the grading ones are ignored as too slow.

use scalesim::DesignDoc;
use scalesim::lesson::{Lesson, LessonError, grade};
use std::path::{Path, PathBuf};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../lessons")
}

/// Every lesson, by file name order (which is course order).
fn lessons() -> Vec<Lesson> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir())
        .expect("lessons/ exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| {
            let slug = p.file_stem().unwrap().to_string_lossy().into_owned();
            let text = std::fs::read_to_string(p).unwrap();
            Lesson::from_json(&slug, &text).unwrap_or_else(|e| panic!("{slug}: {e}"))
        })
        .collect()
}

fn solution(l: &Lesson) -> DesignDoc {
    let path = dir().join("solutions").join(format!("{}.json", l.slug));
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: no reference solution ({e})", l.slug));
    DesignDoc::from_json(&text).unwrap_or_else(|p| panic!("{}: {p}", l.slug))
}

#[test]
fn the_course_is_numbered_in_order_and_speaks_both_languages() {
    let all = lessons();
    assert!(
        all.len() >= 14,
        "the course has at least 14 lessons: {}",
        all.len()
    );
    for (i, l) in all.iter().enumerate() {
        let n = i as u32 + 1;
        assert_eq!(l.info.number, n, "{}", l.slug);
        assert!(
            l.slug.starts_with(&format!("{n:02}-")),
            "{}: the file name starts with its number",
            l.slug
        );
        let mut texts = vec![
            &l.info.title,
            &l.info.story,
            &l.info.watch,
            &l.info.why,
            &l.info.check.question,
            &l.info.check.explain,
        ];
        texts.extend(&l.info.hints);
        texts.extend(&l.info.check.choices);
        texts.extend(l.info.timeline.iter().map(|a| &a.text));
        for t in texts {
            assert!(
                !t.en.trim().is_empty() && !t.ko.trim().is_empty(),
                "{}: a text misses a language: {t:?}",
                l.slug
            );
            let hangul = t.ko.chars().any(|c| ('\u{ac00}'..='\u{d7a3}').contains(&c));
            assert!(
                hangul,
                "{}: the Korean text is not Korean: {:?}",
                l.slug, t.ko
            );
        }
        assert!(
            l.info.hints.len() >= 3,
            "{}: hints climb (question, concept, step)",
            l.slug
        );
        assert!(
            l.info
                .notes
                .iter()
                .all(|s| ["000", "001", "002", "003", "004"].contains(&s.as_str())),
            "{}: notes name the study notes it comes from",
            l.slug
        );
        // A continuing lesson starts from the previous lesson's solution.
        if l.info.continues {
            let previous = solution(&all[i - 1]);
            assert!(
                l.prepare(&previous).is_ok(),
                "{}: the previous lesson's solution cannot continue here",
                l.slug
            );
        }
    }
}

#[test]
#[cfg_attr(debug_assertions, ignore = "release only")]
fn every_starting_design_fails_and_every_reference_solution_passes() {
    for l in lessons() {
        let start = grade(&l, &l.design).unwrap();
        assert!(
            !start.passed,
            "{}: the starting design should fail: {:?}",
            l.slug, start.goals
        );
        let sol = grade(&l, &solution(&l)).unwrap_or_else(|e| panic!("{}: {e}", l.slug));
        let failed: Vec<_> = sol.goals.iter().filter(|g| !g.passed).collect();
        assert!(
            failed.is_empty(),
            "{}: the reference solution fails {failed:?}",
            l.slug
        );
        // A continuing lesson's start is the previous solution, which must
        // fail here too.
        if l.info.continues {
            assert!(!grade(&l, &l.design).unwrap().passed);
        }
    }
}

#[test]
#[cfg_attr(debug_assertions, ignore = "release only")]
fn grading_is_deterministic_and_ignores_what_the_lesson_fixes() {
    // The same design graded twice gives the same figures; a learner who
    // changes the traffic, the seed or the fixed workload is graded on the
    // lesson's.
    let all = lessons();
    let l = &all[0];
    let a = grade(l, &l.design).unwrap();
    let mut tampered = l.design.clone();
    tampered.seed += 1;
    for n in &mut tampered.nodes {
        if n.kind == scalesim::Kind::Users {
            n.params
                .insert("rate_rps".into(), scalesim::ParamValue::Number(1.0));
        }
    }
    assert_eq!(grade(l, &tampered).unwrap(), a);
}

#[test]
fn a_design_missing_what_the_timeline_needs_is_refused_with_a_reason() {
    let all = lessons();
    let four = all.iter().find(|l| l.info.number == 4).unwrap();
    let mut mine = four.design.clone();
    mine.nodes.retain(|n| n.id != "web-1");
    mine.edges.retain(|e| e.from != "web-1" && e.to != "web-1");
    match grade(four, &mine) {
        Err(LessonError::Design(p)) => {
            let text = scalesim::Problems(p).to_string();
            assert!(text.contains("web-1") && text.contains("30 s"), "{text}");
        }
        other => panic!("{other:?}"),
    }
}

fn lesson(number: u32) -> Lesson {
    lessons()
        .into_iter()
        .find(|l| l.info.number == number)
        .unwrap()
}

fn refused(l: &Lesson, d: &DesignDoc) -> String {
    match l.prepare(d) {
        Err(LessonError::Design(p)) => scalesim::Problems(p).to_string(),
        other => panic!("{}: accepted: {other:?}", l.slug),
    }
}

#[test]
fn the_world_of_a_lesson_cannot_be_edited_away() {
    // Lesson 9: the servers stay in Virginia; moving them out of the data
    // center (or deleting it) does not bring them closer to Korea.
    let nine = lesson(9);
    let mut moved = solution(&nine);
    for n in moved.nodes.iter_mut().filter(|n| n.id == "web-1") {
        n.x = 2_000.0;
    }
    assert!(refused(&nine, &moved).contains("web-1 belongs in data center dc-virginia"));
    let mut deleted = solution(&nine);
    deleted.regions.clear();
    let graded = nine.prepare(&deleted).unwrap();
    assert_eq!(
        graded.regions, nine.design.regions,
        "the boxes are the lesson's"
    );
    // A new server must be in a data center.
    let mut extra = solution(&nine);
    let mut web3 = extra
        .nodes
        .iter()
        .find(|n| n.id == "web-1")
        .unwrap()
        .clone();
    web3.id = "web-3".into();
    web3.x = 2_000.0;
    extra.nodes.push(web3);
    assert!(refused(&nine, &extra).contains("web-3 is outside every data center"));

    // Lesson 10: the American servers stay in dc-us, which loses power.
    let ten = lesson(10);
    let mut fled = solution(&ten);
    let eu = ten
        .design
        .regions
        .iter()
        .find(|r| r.id == "dc-eu")
        .unwrap()
        .clone();
    for n in fled.nodes.iter_mut().filter(|n| n.id == "web-us") {
        n.x = eu.x + 20.0;
        n.y = eu.y + 20.0;
    }
    assert!(refused(&ten, &fled).contains("web-us belongs in data center dc-us"));

    // Lesson 7: the far disaster-recovery replica is part of the world.
    let seven = lesson(7);
    let mut without = solution(&seven);
    without.nodes.retain(|n| n.id != "db-4");
    without.edges.retain(|e| e.to != "db-4");
    assert!(refused(&seven, &without).contains("db-4 is part of this lesson's world"));
}
