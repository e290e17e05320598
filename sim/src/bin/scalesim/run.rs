//! `scalesim run`: a design through its warm-up and measured period, with
//! an estimate up front, progress on stderr, and the figures so far if it
//! is interrupted.

use crate::args::RunArgs;
use crate::read;
use scalesim::Simulation;
use scalesim::Snapshot;
use scalesim::batch::{BatchReport, BatchRun};
use scalesim::text::grouped;
use scalesim::time::{from_secs, to_secs};
use serde::Serialize;
use std::process::ExitCode;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// Batches for the confidence intervals.
const BATCHES: u32 = 20;
/// Events simulated between two looks at the clock and the interrupt flag.
const CHUNK_EVENTS: u64 = 200_000;
/// Wall time spent running before estimating the rest [s].
const PILOT_S: f64 = 0.5;
/// Runs estimated to take longer than this say so up front and show their
/// progress [s].
const FEW_S: f64 = 3.0;
/// Wall time between two progress lines [s].
const PROGRESS_EVERY_S: f64 = 2.0;
/// Runs estimated to take longer than this are refused without `--force`
/// [s].
pub const LIMIT_S: f64 = 600.0;

/// Set when SIGINT or SIGTERM arrives.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// What `scalesim run` prints: the run's settings, every figure of the
/// snapshot at its end (so a figure added to [`Snapshot`] is printed
/// without touching this file), and the confidence intervals.
#[derive(Serialize)]
struct RunOutput {
    seed: u64,
    warmup_s: f64,
    duration_s: f64,
    /// Present only when the run stopped early.
    #[serde(skip_serializing_if = "Option::is_none")]
    partial: Option<Partial>,
    #[serde(flatten)]
    figures: Snapshot,
    ci95: BatchReport,
}

/// How far an interrupted run got.
#[derive(Serialize)]
struct Partial {
    /// Why it stopped.
    reason: &'static str,
    /// Simulated time reached [s].
    simulated_s: f64,
    /// Of which measured, after the warm-up [s]; the figures cover this
    /// (or, when 0, the warm-up so far).
    measured_s: f64,
}

/// Wall time the rest of a run will take [s], from the pace so far:
/// `done_s` of `total_s` simulated seconds in `wall_s`.
pub fn remaining_s(wall_s: f64, done_s: f64, total_s: f64) -> f64 {
    if done_s <= 0.0 {
        return f64::INFINITY;
    }
    wall_s / done_s * (total_s - done_s).max(0.0)
}

/// A wall-clock duration in words: "40 s", "3 min 20 s", "1 h 32 min".
pub fn duration_text(s: f64) -> String {
    if !s.is_finite() {
        return "longer than can be estimated".into();
    }
    let s = s.round() as u64;
    match s {
        0..60 => format!("{s} s"),
        60..3600 if s.is_multiple_of(60) => format!("{} min", s / 60),
        60..3600 => format!("{} min {} s", s / 60, s % 60),
        _ => format!("{} h {} min", s / 3600, s % 3600 / 60),
    }
}

fn install_interrupt_handler() {
    #[cfg(not(target_family = "wasm"))]
    if let Err(e) = ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::SeqCst)) {
        eprintln!("scalesim: cannot catch Ctrl+C ({e}); an interrupted run will print nothing");
    }
}

/// Runs `args`; prints the figures (the figures so far if interrupted).
pub fn run(args: &RunArgs) -> ExitCode {
    let mut doc = match read(&args.path) {
        Ok(d) => d,
        Err(code) => return code,
    };
    if let Some(seed) = args.seed {
        doc.seed = seed;
    }
    let mut sim = match Simulation::from_doc(&doc) {
        Ok(s) => s,
        Err(p) => {
            eprintln!("{}: the design cannot run:\n{p}", args.path);
            return ExitCode::from(1);
        }
    };
    install_interrupt_handler();
    let total_s = args.warmup_s + args.duration_s;
    let mut batches = BatchRun::new(
        from_secs(args.warmup_s),
        from_secs(args.duration_s),
        BATCHES,
    );
    let started = Instant::now();
    let (mut estimated, mut last_progress) = (false, 0.0);
    let mut partial = None;
    while !batches.advance(&mut sim, CHUNK_EVENTS) {
        let done_s = to_secs(sim.now());
        if INTERRUPTED.load(Ordering::SeqCst) {
            partial = Some(Partial {
                reason: "interrupted",
                simulated_s: done_s,
                measured_s: (done_s - args.warmup_s).max(0.0),
            });
            break;
        }
        let wall = started.elapsed().as_secs_f64();
        if !estimated && wall >= PILOT_S {
            estimated = true;
            let rest = remaining_s(wall, done_s, total_s);
            if rest > LIMIT_S && !args.force {
                eprintln!(
                    "scalesim: this run would take about {} ({} events in the first {:.1} simulated seconds, \
                     {total_s} s to simulate); the limit is {}. Shorten --duration or --warmup, lower the \
                     traffic, or add --force to run it anyway",
                    duration_text(wall + rest),
                    grouped(sim.events_processed()),
                    done_s,
                    duration_text(LIMIT_S),
                );
                return ExitCode::from(2);
            }
            if wall + rest > FEW_S {
                eprintln!(
                    "scalesim: about {} to simulate {total_s} s; progress follows",
                    duration_text(wall + rest)
                );
                last_progress = wall;
            }
        }
        if estimated && last_progress > 0.0 && wall - last_progress >= PROGRESS_EVERY_S {
            last_progress = wall;
            eprintln!(
                "scalesim: {done_s:.0} of {total_s} simulated seconds ({:.0} %), {} events, about {} left",
                100.0 * done_s / total_s,
                grouped(sim.events_processed()),
                duration_text(remaining_s(wall, done_s, total_s)),
            );
        }
    }
    let interrupted = partial.is_some();
    let out = RunOutput {
        seed: doc.seed,
        warmup_s: args.warmup_s,
        duration_s: args.duration_s,
        partial,
        figures: sim.snapshot(),
        ci95: batches.report(),
    };
    println!(
        "{}",
        serde_json::to_string_pretty(&out).expect("figures serialize")
    );
    if interrupted {
        eprintln!("scalesim: interrupted; the figures above are those so far (\"partial\")");
        ExitCode::from(130)
    } else {
        ExitCode::SUCCESS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rest_of_a_run_is_estimated_from_its_pace() {
        // 10 of 100 simulated seconds in 2 s of wall time: 18 s to go.
        assert_eq!(remaining_s(2.0, 10.0, 100.0), 18.0);
        assert_eq!(remaining_s(2.0, 100.0, 100.0), 0.0);
        assert!(remaining_s(0.5, 0.0, 100.0).is_infinite());
    }

    #[test]
    fn durations_read_in_the_unit_that_suits_them() {
        assert_eq!(duration_text(40.4), "40 s");
        assert_eq!(duration_text(200.0), "3 min 20 s");
        assert_eq!(duration_text(600.0), "10 min");
        assert_eq!(duration_text(5520.0), "1 h 32 min");
        assert_eq!(duration_text(f64::INFINITY), "longer than can be estimated");
    }
}
