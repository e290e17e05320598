//! `scalesim`: run or check a Scale Lab design without a browser.
//!
//! ```text
//! scalesim run <design.json> [--seed N] [--duration SECONDS] [--warmup SECONDS] [--force]
//! scalesim validate <design.json>
//! scalesim grade <lesson.json> [design.json] [--json] [--exit-zero]
//! scalesim bench <design.json> [--duration SECONDS] [--recent]
//! scalesim help [command]
//! ```
//!
//! `scalesim <command> --help` describes each command (`args.rs`).
//!
//! `grade` runs a design (the lesson's starting design if none is given)
//! through a lesson as the app's *Check* does, and prints every goal with
//! its measured figure. Exit codes: 0 every goal met, 1 some not, 2 bad
//! usage or input (a file that cannot be read, or a design the lesson
//! cannot grade, with what to change).
//!
//! `bench` runs the design from time 0 three times and prints the events
//! processed per second of wall-clock time, the requests completed and
//! their mean response time, and the simulated seconds per wall second
//! (`real_time`), of the fastest of the three. With
//! `--recent` it keeps the last seconds' figures as the app does while it
//! runs (one snapshot per simulated second), to measure what that costs.
//!
//! `run` prints one JSON object with the figures of the measured period
//! (after the warm-up) and 95 % confidence intervals by batch means; a long
//! run estimates its time up front, refuses past a limit unless `--force`,
//! shows progress on stderr, and prints the figures so far, marked
//! `partial`, when interrupted (`run.rs`).
//! `validate` prints each problem on its own line. Exit codes: 0 success,
//! 1 the design has errors, 2 bad usage or an unreadable file.

mod args;
mod run;

use args::{Command, GradeArgs, USAGE, parse};
use scalesim::Simulation;
use scalesim::design::{DesignDoc, Problems};
use scalesim::time::from_secs;
use std::process::ExitCode;

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

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = match parse(&args) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("scalesim: {e}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match command {
        Command::Help(cmd) => {
            println!("{}", args::help(cmd.as_deref()).unwrap_or(USAGE));
            ExitCode::SUCCESS
        }
        Command::Grade(args) => grade(&args),
        Command::Run(args) => run::run(&args),
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
            let mut best: Option<(u64, u64, f64, f64)> = None;
            for _ in 0..3 {
                let mut sim = Simulation::new(&design);
                sim.track_recent(run.recent);
                let start = std::time::Instant::now();
                sim.run_until(from_secs(run.duration_s));
                let wall = start.elapsed().as_secs_f64();
                let events = sim.events_processed();
                let s = sim.snapshot();
                if best.is_none_or(|(_, _, _, w)| wall < w) {
                    best = Some((events, s.completed, s.latency_ms.mean, wall));
                }
            }
            let (events, requests, mean_ms, wall) = best.expect("three runs");
            println!(
                "{{\"events\": {events}, \"requests\": {requests}, \"mean_ms\": {mean_ms:.4}, \
                 \"wall_s\": {wall:.6}, \"events_per_s\": {:.0}, \"real_time\": {:.4}}}",
                events as f64 / wall,
                run.duration_s / wall
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
