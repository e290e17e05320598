//! A warm-up is left out of every figure: after `reset_measurements` at
//! 30 s, the snapshot at 60 s counts exactly what happened from 30 s to
//! 60 s — the same run's snapshot at 60 s minus its snapshot at 30 s.
//!
//! The check walks every whole-number figure of the snapshot (as
//! `scalesim run` prints it), so a counter added later is covered without
//! naming it here: it must either subtract, or be listed below as a figure
//! of the state right now. Run in release mode (`cargo xtask test` does);
//! in debug builds it is ignored as too slow.

use scalesim::catalog::CATALOG;
use scalesim::time::SECOND;
use scalesim::{DesignDoc, Kind, Simulation};
use serde_json::Value;
use std::collections::{BTreeSet, HashMap};

/// Whole-number figures that describe the state at the moment of the
/// snapshot, not a count over the measured period.
const STATE_NOW: &[&str] = &[
    "now_ns",
    "in_flight",
    "busy",
    "workers",
    "queue_len",
    "queue_capacity",
    "sessions",
    "behind_events",
    "backlog",
    "held",
    "instances",
    "starting",
    "slots",
    "servers_added",
    "servers_booting",
    // Distinct users today: the simulated day is the period, not the run.
    "active_users",
    // The latest resharding: how many records move, and have moved.
    "moving",
    "moved",
    // An alert firing now: which node it is about.
    "node",
    // The latest stale read: which versions it saw.
    "read_version",
    "newest_version",
];

fn numbers(v: &Value, path: &str, out: &mut Vec<(String, Value)>) {
    match v {
        Value::Object(m) => m
            .iter()
            .for_each(|(k, v)| numbers(v, &format!("{path}.{k}"), out)),
        Value::Array(a) => a
            .iter()
            .enumerate()
            .for_each(|(i, v)| numbers(v, &format!("{path}[{i}]"), out)),
        Value::Number(_) => out.push((path.to_string(), v.clone())),
        _ => {}
    }
}

/// The field name a path ends in (`nodes[3].queue.backlog` → `backlog`).
fn field(path: &str) -> &str {
    let last = path.rsplit('.').next().unwrap_or(path);
    last.split('[').next().unwrap_or(last)
}

fn json(sim: &Simulation) -> Value {
    serde_json::to_value(sim.snapshot()).expect("a snapshot serializes")
}

/// Checks one design with a warm-up of `warmup` seconds before 60 s: the
/// kinds it has, and what does not add up.
fn check(name: &str, doc: &DesignDoc, warmup: u64) -> (Vec<Kind>, Vec<String>) {
    let mut warm = Simulation::from_doc(doc).unwrap_or_else(|p| panic!("{name}: {p}"));
    warm.run_until(warmup * SECOND);
    warm.reset_measurements();
    warm.run_until(60 * SECOND);
    let measured = json(&warm);

    let mut whole = Simulation::from_doc(doc).unwrap();
    whole.run_until(warmup * SECOND);
    let first = json(&whole);
    whole.run_until(60 * SECOND);
    let all = json(&whole);

    let (mut m, mut a, mut f) = (Vec::new(), Vec::new(), Vec::new());
    numbers(&measured, "", &mut m);
    numbers(&all, "", &mut a);
    numbers(&first, "", &mut f);
    let f: HashMap<_, _> = f.into_iter().collect();
    let a: HashMap<_, _> = a.into_iter().collect();
    let mut wrong = Vec::new();
    for (path, mv) in &m {
        let Some(av) = a.get(path) else {
            wrong.push(format!("{name}: {path} only after a warm-up"));
            continue;
        };
        let (Some(mv), Some(av)) = (mv.as_u64(), av.as_u64()) else {
            continue; // ratios, means and money: not counts
        };
        let expected = if STATE_NOW.contains(&field(path)) {
            av
        } else {
            av - f.get(path).and_then(Value::as_u64).unwrap_or(0)
        };
        if mv != expected {
            wrong.push(format!(
                "{name}, warm-up {warmup} s, {path}: {mv} measured, expected {expected}"
            ));
        }
    }
    // Figures allowed to be missing: the latest stale read, and the mean
    // time to detect a crash, when the only ones were in the warm-up.
    let measured: Vec<&String> = m.iter().map(|x| &x.0).collect();
    let optional = |p: &str| p.starts_with(".data.last_stale.") || p == ".monitoring.mean_detect_s";
    for path in a.keys() {
        if !measured.contains(&path) && !optional(path) {
            wrong.push(format!("{name}: {path} missing after a warm-up"));
        }
    }
    (warm.node_kinds().to_vec(), wrong)
}

#[test]
#[cfg_attr(debug_assertions, ignore = "release only")]
fn after_a_warm_up_every_count_covers_exactly_the_measured_period() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../scenarios");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let (mut kinds, mut wrong) = (BTreeSet::new(), Vec::new());
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let doc = DesignDoc::from_json(&text).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        // 30 s; and 55 s, which puts the monitoring example's first alert
        // (its database dies at 30 s, the alert fires at 50 s) inside the
        // warm-up.
        for warmup in [30, 55] {
            let (k, w) = check(&name, &doc, warmup);
            kinds.extend(k.into_iter().map(|k| format!("{k:?}")));
            wrong.extend(w);
        }
    }
    assert!(
        wrong.is_empty(),
        "figures that do not cover exactly the measured period:\n{}",
        wrong.join("\n")
    );
    let every: BTreeSet<String> = CATALOG.iter().map(|s| format!("{:?}", s.kind)).collect();
    assert_eq!(kinds, every, "the scenarios together use every kind");
}
