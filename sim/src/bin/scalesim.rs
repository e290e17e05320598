//! `scalesim`: run or check a Scale Lab design without a browser.
//!
//! ```text
//! scalesim run <design.json> [--seed N] [--duration SECONDS] [--warmup SECONDS]
//! scalesim validate <design.json>
//! scalesim grade <lesson.json> [design.json] [--json] [--exit-zero]
//! scalesim bench <design.json> [--duration SECONDS] [--recent]
//! ```
//!
//! `grade` runs a design (the lesson's starting design if none is given)
//! through a lesson as the app's *Check* does, and prints every goal with
//! its measured figure. Exit codes: 0 every goal met, 1 some not, 2 bad
//! usage or input (a file that cannot be read, or a design the lesson
//! cannot grade, with what to change).
//!
//! `bench` runs the design from time 0 three times and prints the events
//! processed per second of wall-clock time (the best of three). With
//! `--recent` it keeps the last seconds' figures as the app does while it
//! runs (one snapshot per simulated second), to measure what that costs.
//!
//! `run` prints one JSON object with the figures of the measured period
//! (after the warm-up) and 95 % confidence intervals by batch means.
//! `validate` prints each problem on its own line. Exit codes: 0 success,
//! 1 the design has errors, 2 bad usage or an unreadable file.

use scalesim::batch::{BatchReport, run_batches};
use scalesim::design::{DesignDoc, Problems};
use scalesim::time::from_secs;
use scalesim::{Simulation, Snapshot};
use serde::Serialize;
use std::process::ExitCode;

const USAGE: &str = "usage:
  scalesim run <design.json> [--seed N] [--duration SECONDS] [--warmup SECONDS]
  scalesim validate <design.json>
  scalesim grade <lesson.json> [design.json] [--json] [--exit-zero]
  scalesim bench <design.json> [--duration SECONDS] [--recent]";

/// Batches for the confidence intervals.
const BATCHES: u32 = 20;

#[derive(Debug, PartialEq)]
struct RunArgs {
    path: String,
    seed: Option<u64>,
    duration_s: f64,
    warmup_s: f64,
    /// Bench only: keep the recent window's figures, as the app does.
    recent: bool,
}

#[derive(Debug, PartialEq)]
struct GradeArgs {
    lesson: String,
    design: Option<String>,
    json: bool,
    /// Exit 0 whether or not the goals are met (for comparing outputs).
    exit_zero: bool,
}

#[derive(Debug, PartialEq)]
enum Command {
    Run(RunArgs),
    Validate(String),
    Bench(RunArgs),
    Grade(GradeArgs),
}

fn parse(args: &[String]) -> Result<Command, String> {
    let (cmd, rest) = args.split_first().ok_or("no command given")?;
    match cmd.as_str() {
        "validate" => match rest {
            [path] => Ok(Command::Validate(path.clone())),
            _ => Err("validate takes exactly one file".into()),
        },
        "grade" => {
            let json = rest.iter().any(|a| a == "--json");
            let exit_zero = rest.iter().any(|a| a == "--exit-zero");
            let files: Vec<&String> = rest
                .iter()
                .filter(|a| *a != "--json" && *a != "--exit-zero")
                .collect();
            if let Some(opt) = files.iter().find(|a| a.starts_with("--")) {
                return Err(format!("unknown option {opt}"));
            }
            match files.as_slice() {
                [lesson] => Ok(Command::Grade(GradeArgs {
                    lesson: (*lesson).clone(),
                    design: None,
                    json,
                    exit_zero,
                })),
                [lesson, design] => Ok(Command::Grade(GradeArgs {
                    lesson: (*lesson).clone(),
                    design: Some((*design).clone()),
                    json,
                    exit_zero,
                })),
                [] => Err("grade needs a lesson file".into()),
                _ => Err("grade takes a lesson file and at most one design file".into()),
            }
        }
        "run" | "bench" => {
            let mut path = None;
            let mut run = RunArgs {
                path: String::new(),
                seed: None,
                duration_s: 60.0,
                warmup_s: 10.0,
                recent: false,
            };
            let mut it = rest.iter();
            while let Some(a) = it.next() {
                let mut value = |name: &str| {
                    it.next()
                        .ok_or_else(|| format!("{name} needs a value"))
                        .cloned()
                };
                match a.as_str() {
                    "--seed" => {
                        let v = value("--seed")?;
                        run.seed = Some(v.parse().map_err(|_| {
                            format!(
                                "--seed must be a whole number from 0 to {}, got {v}",
                                u64::MAX
                            )
                        })?);
                    }
                    "--duration" | "--warmup" => {
                        let v = value(a)?;
                        let secs: f64 = v
                            .parse()
                            .ok()
                            .filter(|s: &f64| s.is_finite() && *s >= 0.0 && *s <= 1e7)
                            .ok_or_else(|| {
                                format!("{a} must be seconds from 0 to 10000000, got {v}")
                            })?;
                        if a == "--duration" {
                            run.duration_s = secs;
                        } else {
                            run.warmup_s = secs;
                        }
                    }
                    "--recent" if cmd == "bench" => run.recent = true,
                    s if s.starts_with("--") => return Err(format!("unknown option {s}")),
                    s if path.is_none() => path = Some(s.to_string()),
                    s => return Err(format!("unexpected argument {s}")),
                }
            }
            if run.duration_s <= 0.0 {
                return Err("--duration must be more than 0 seconds".into());
            }
            run.path = path.ok_or_else(|| format!("{cmd} needs a design file"))?;
            Ok(if cmd == "run" {
                Command::Run(run)
            } else {
                Command::Bench(run)
            })
        }
        other => Err(format!("unknown command {other}")),
    }
}

/// Reads a design file, or says why not and gives the exit code: 2 for an
/// unreadable file, 1 for one that is not a design.
fn read(path: &str) -> Result<DesignDoc, ExitCode> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        eprintln!("cannot read {path}: {e}");
        ExitCode::from(2)
    })?;
    DesignDoc::from_json(&text).map_err(|p| {
        eprintln!("{path}:\n{p}");
        ExitCode::from(1)
    })
}

/// What `scalesim run` prints: the run's settings, every figure of the
/// snapshot at its end (so a figure added to [`Snapshot`] is printed
/// without touching this file), and the confidence intervals.
#[derive(Serialize)]
struct RunOutput {
    seed: u64,
    warmup_s: f64,
    duration_s: f64,
    #[serde(flatten)]
    figures: Snapshot,
    ci95: BatchReport,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = match parse(&args) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("scalesim: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match command {
        Command::Grade(args) => grade(&args),
        Command::Validate(path) => {
            let doc = match read(&path) {
                Ok(d) => d,
                Err(code) => return code,
            };
            match doc.validate() {
                Ok(d) => {
                    println!(
                        "{path}: valid ({} nodes, {} faults)",
                        d.nodes.len(),
                        d.faults.len()
                    );
                    if !d.warnings.is_empty() {
                        println!("{}", Problems(d.warnings));
                    }
                    ExitCode::SUCCESS
                }
                Err(p) => {
                    println!("{path}:\n{p}");
                    ExitCode::from(1)
                }
            }
        }
        Command::Bench(run) => {
            let doc = match read(&run.path) {
                Ok(d) => d,
                Err(code) => return code,
            };
            let design = match doc.validate() {
                Ok(d) => d,
                Err(p) => {
                    eprintln!("{}: the design cannot run:\n{p}", run.path);
                    return ExitCode::from(1);
                }
            };
            let mut best: Option<(u64, f64)> = None;
            for _ in 0..3 {
                let mut sim = Simulation::new(&design);
                sim.track_recent(run.recent);
                let start = std::time::Instant::now();
                sim.run_until(from_secs(run.duration_s));
                let wall = start.elapsed().as_secs_f64();
                let events = sim.events_processed();
                if best.is_none_or(|(_, w)| wall < w) {
                    best = Some((events, wall));
                }
            }
            let (events, wall) = best.expect("three runs");
            println!(
                "{{\"events\": {events}, \"wall_s\": {wall:.6}, \"events_per_s\": {:.0}}}",
                events as f64 / wall
            );
            ExitCode::SUCCESS
        }
        Command::Run(run) => {
            let mut doc = match read(&run.path) {
                Ok(d) => d,
                Err(code) => return code,
            };
            if let Some(seed) = run.seed {
                doc.seed = seed;
            }
            let mut sim = match Simulation::from_doc(&doc) {
                Ok(s) => s,
                Err(p) => {
                    eprintln!("{}: the design cannot run:\n{p}", run.path);
                    return ExitCode::from(1);
                }
            };
            let report = run_batches(
                &mut sim,
                from_secs(run.warmup_s),
                from_secs(run.duration_s),
                BATCHES,
            );
            let out = RunOutput {
                seed: doc.seed,
                warmup_s: run.warmup_s,
                duration_s: run.duration_s,
                figures: sim.snapshot(),
                ci95: report,
            };
            println!(
                "{}",
                serde_json::to_string_pretty(&out).expect("figures serialize")
            );
            ExitCode::SUCCESS
        }
    }
}

/// `scalesim grade`: prints each goal with its figure.
fn grade(args: &GradeArgs) -> ExitCode {
    use scalesim::lesson::{Grader, Lesson};
    let text = match std::fs::read_to_string(&args.lesson) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("cannot read {}: {e}", args.lesson);
            return ExitCode::from(2);
        }
    };
    let slug = std::path::Path::new(&args.lesson)
        .file_stem()
        .map_or(String::new(), |s| s.to_string_lossy().into_owned());
    let lesson = match Lesson::from_json(&slug, &text) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("{}: {e}", args.lesson);
            return ExitCode::from(2);
        }
    };
    let (design, which) = match &args.design {
        Some(path) => match read(path) {
            Ok(d) => (d, path.clone()),
            Err(_) => return ExitCode::from(2),
        },
        None => (
            lesson.design.clone(),
            "the lesson's starting design".to_string(),
        ),
    };
    let mut grader = match Grader::new(&lesson, &design) {
        Ok(g) => g,
        Err(e) => {
            eprintln!(
                "{which} cannot be graded for lesson {}:\n{e}",
                lesson.info.number
            );
            return ExitCode::from(2);
        }
    };
    grader.run();
    let g = grader.grade();
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&g).expect("a grade serializes")
        );
    } else {
        println!(
            "lesson {}: {} ({})",
            lesson.info.number, lesson.info.title.en, args.lesson
        );
        println!("design: {which}");
        for r in &g.goals {
            let measured = match r.value {
                Ok(v) => r.goal.metric.format(v),
                Err(why) => why.text().en.to_string(),
            };
            let mark = if r.passed { "pass" } else { "FAIL" };
            println!(
                "  {mark}  {}   measured: {measured}",
                r.goal.describe(false)
            );
        }
        let met = g.goals.iter().filter(|r| r.passed).count();
        let verdict = if g.passed { "passed" } else { "not passed" };
        println!("{met} of {} goals met: {verdict}", g.goals.len());
    }
    if g.passed || args.exit_zero {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn options_parse_and_bad_ones_say_why() {
        assert_eq!(
            parse(&args("run d.json --seed 9 --duration 30 --warmup 5")),
            Ok(Command::Run(RunArgs {
                path: "d.json".into(),
                seed: Some(9),
                duration_s: 30.0,
                warmup_s: 5.0,
                recent: false
            }))
        );
        assert!(matches!(
            parse(&args("bench d.json --recent")),
            Ok(Command::Bench(RunArgs { recent: true, .. }))
        ));
        assert!(
            parse(&args("run d.json --recent"))
                .unwrap_err()
                .contains("unknown option --recent")
        );
        assert_eq!(
            parse(&args("validate x.json")),
            Ok(Command::Validate("x.json".into()))
        );
        assert!(
            parse(&args("run d.json --seed -3"))
                .unwrap_err()
                .contains("--seed must be")
        );
        assert!(
            parse(&args("run d.json --duration 0"))
                .unwrap_err()
                .contains("more than 0")
        );
        assert!(
            parse(&args("run --duration"))
                .unwrap_err()
                .contains("needs a value")
        );
        assert!(
            parse(&args("run"))
                .unwrap_err()
                .contains("needs a design file")
        );
        assert!(parse(&args("fly")).unwrap_err().contains("unknown command"));
        assert_eq!(
            parse(&args("grade l.json d.json --json")),
            Ok(Command::Grade(GradeArgs {
                lesson: "l.json".into(),
                design: Some("d.json".into()),
                json: true,
                exit_zero: false
            }))
        );
        assert!(parse(&args("grade")).unwrap_err().contains("lesson file"));
        assert!(
            parse(&args("grade a b c"))
                .unwrap_err()
                .contains("at most one")
        );
        assert!(parse(&args("run a b")).unwrap_err().contains("unexpected"));
    }
}
