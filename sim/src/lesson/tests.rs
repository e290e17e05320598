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
            .any(|(at, k)| *at == "visitors" && matches!(k, ProblemKind::LessonExtraUsers { .. }))
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

#[test]
fn whether_a_design_can_be_graded_is_known_without_simulating_and_agrees_with_the_grader() {
    let lesson = Lesson::from_json("01-t", LESSON).unwrap();
    let agree = |doc: &DesignDoc| {
        let quick = lesson.can_grade(doc);
        let full = Grader::new(&lesson, doc).map(|_| ());
        assert_eq!(quick, full, "{doc:?}");
        quick
    };
    // The starting design can be graded.
    assert_eq!(agree(&lesson.design), Ok(()));
    // A timeline that cannot apply, and a design with its own problems
    // (no connection: the users reach nothing), are refused the same way.
    let mut renamed = lesson.design.clone();
    renamed.nodes[1].id = "web-9".into();
    renamed.edges[0].to = "web-9".into();
    assert!(matches!(agree(&renamed), Err(LessonError::Design(p)) if !p.is_empty()));
    let mut cut = lesson.design.clone();
    cut.edges.clear();
    assert!(matches!(agree(&cut), Err(LessonError::Design(p)) if !p.is_empty()));
}
