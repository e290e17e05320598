//! `scalelab-fuzz`: runs the fuzz targets (see the library's docs) over
//! generated inputs, on every core, and reports what became of them.
//! `cargo xtask fuzz` builds and runs it.

use fuzz::make::Dice;
use fuzz::{Corpus, TARGETS, Verdict};
use std::cell::RefCell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::process::ExitCode;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

const USAGE: &str = "\
Usage: scalelab-fuzz [--inputs N] [--seconds S] [--seed S] [--only TARGET] [--index I] [--threads T]

  --inputs N     stop after N inputs (default 1000000; with --seconds alone: no limit)
  --seconds S    stop after S seconds, whichever comes first
  --seed S       seed of the generated inputs (default 1)
  --only TARGET  feed one target only
  --index I      run input I alone, without catching its panic (with --only:
                 how a reported failure is made again)
  --threads T    threads (default: the number of cores)";

/// Inputs a thread takes at a time.
const CHUNK: u64 = 32;
/// An input running this long is reported as a hang [s].
const HANG_S: u64 = 60;

#[derive(Default, Clone)]
struct Tally {
    inputs: u64,
    refused: u64,
    simulated: u64,
    failures: u64,
    nanos: u128,
}

struct Options {
    inputs: Option<u64>,
    seconds: Option<f64>,
    seed: u64,
    only: Option<usize>,
    index: Option<u64>,
    threads: usize,
}

fn parse(args: &[String]) -> Result<Options, String> {
    let mut o = Options {
        inputs: None,
        seconds: None,
        seed: 1,
        only: None,
        index: None,
        threads: std::thread::available_parallelism().map_or(1, |n| n.get()),
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let mut value = || {
            it.next()
                .ok_or_else(|| format!("{flag} needs a value"))
                .cloned()
        };
        let number = |v: String| -> Result<u64, String> {
            v.replace(['_', ','], "")
                .parse()
                .map_err(|_| format!("{flag} takes a whole number, got `{v}`"))
        };
        match flag.as_str() {
            "--inputs" => o.inputs = Some(number(value()?)?),
            "--seconds" => {
                let v = value()?;
                let s: f64 = v
                    .parse()
                    .ok()
                    .filter(|s: &f64| s.is_finite() && *s > 0.0)
                    .ok_or_else(|| format!("--seconds takes a positive number, got `{v}`"))?;
                o.seconds = Some(s);
            }
            "--seed" => o.seed = number(value()?)?,
            "--index" => o.index = Some(number(value()?)?),
            "--threads" => o.threads = number(value()?)?.clamp(1, 64) as usize,
            "--only" => {
                let v = value()?;
                let names: Vec<&str> = TARGETS.iter().map(|t| t.name).collect();
                o.only =
                    Some(names.iter().position(|n| *n == v).ok_or_else(|| {
                        format!("no target `{v}`; targets are: {}", names.join(" "))
                    })?);
            }
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown option `{other}`")),
        }
    }
    if o.inputs.is_none() && o.seconds.is_none() {
        o.inputs = Some(1_000_000);
    }
    Ok(o)
}

thread_local! {
    static PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

fn target_of(o: &Options, index: u64) -> usize {
    o.only.unwrap_or((index % TARGETS.len() as u64) as usize)
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let o = match parse(&args) {
        Ok(o) => o,
        Err(e) if e.is_empty() => {
            println!("{USAGE}\n\nTargets:");
            for t in TARGETS {
                println!("  {:<12} {}", t.name, t.about);
            }
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            eprintln!("scalelab-fuzz: {e}\n\n{USAGE}");
            return ExitCode::FAILURE;
        }
    };
    let corpus = match Corpus::load() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("scalelab-fuzz: cannot read the corpus: {e}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(index) = o.index {
        let t = &TARGETS[target_of(&o, index)];
        let verdict = (t.run)(&mut Dice::new(o.seed, index), &corpus);
        println!("{} input {index} (seed {}): {verdict:?}", t.name, o.seed);
        return ExitCode::SUCCESS;
    }
    run(&o, &corpus)
}

fn run(o: &Options, corpus: &Corpus) -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        let at = info
            .location()
            .map(|l| format!(" ({}:{})", l.file(), l.line()))
            .unwrap_or_default();
        let message = info
            .payload()
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| {
                info.payload()
                    .downcast_ref::<&str>()
                    .map(|s| (*s).to_string())
            })
            .unwrap_or_default();
        PANIC.with(|p| *p.borrow_mut() = Some(format!("{message}{at}")));
    }));
    let started = Instant::now();
    let deadline = o.seconds.map(|s| started + Duration::from_secs_f64(s));
    let limit = o.inputs.unwrap_or(u64::MAX);
    let next = AtomicU64::new(0);
    let done = AtomicU64::new(0);
    let stop = AtomicBool::new(false);
    let failures: Mutex<Vec<(usize, u64, String)>> = Mutex::new(Vec::new());
    // What each thread is on: (index + 1, since [ms from start]); 0 = idle.
    let current: Vec<(AtomicU64, AtomicU64)> = (0..o.threads)
        .map(|_| (AtomicU64::new(0), AtomicU64::new(0)))
        .collect();
    println!(
        "fuzz: seed {}, {} thread(s), {}{}",
        o.seed,
        o.threads,
        o.inputs
            .map_or("no input limit".into(), |n| format!("{n} inputs")),
        o.seconds
            .map_or(String::new(), |s| format!(", at most {s} s")),
    );
    let tallies: Vec<Vec<Tally>> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..o.threads)
            .map(|w| {
                let (next, done, stop, failures, current) =
                    (&next, &done, &stop, &failures, &current);
                scope.spawn(move || {
                    let mut tally = vec![Tally::default(); TARGETS.len()];
                    while !stop.load(Ordering::Relaxed) {
                        let first = next.fetch_add(CHUNK, Ordering::Relaxed);
                        if first >= limit {
                            break;
                        }
                        for index in first..(first + CHUNK).min(limit) {
                            let ti = target_of(o, index);
                            let t = &TARGETS[ti];
                            let since = started.elapsed().as_millis() as u64;
                            current[w].1.store(since, Ordering::Relaxed);
                            current[w].0.store(index + 1, Ordering::Relaxed);
                            let began = Instant::now();
                            let outcome = catch_unwind(AssertUnwindSafe(|| {
                                (t.run)(&mut Dice::new(o.seed, index), corpus)
                            }));
                            let tl = &mut tally[ti];
                            tl.nanos += began.elapsed().as_nanos();
                            tl.inputs += 1;
                            match outcome {
                                Ok(Verdict::Refused) => tl.refused += 1,
                                Ok(Verdict::Simulated) => tl.simulated += 1,
                                Err(_) => {
                                    tl.failures += 1;
                                    let why = PANIC.with(|p| p.borrow_mut().take());
                                    failures.lock().expect("failures").push((
                                        ti,
                                        index,
                                        why.unwrap_or_else(|| "panicked".into()),
                                    ));
                                }
                            }
                            done.fetch_add(1, Ordering::Relaxed);
                        }
                        current[w].0.store(0, Ordering::Relaxed);
                    }
                    tally
                })
            })
            .collect();
        // Progress every 5 s; the deadline; hangs.
        let mut last_report = Instant::now();
        while !workers.iter().all(|h| h.is_finished()) {
            std::thread::sleep(Duration::from_millis(100));
            if deadline.is_some_and(|d| Instant::now() >= d) {
                stop.store(true, Ordering::Relaxed);
            }
            let now_ms = started.elapsed().as_millis() as u64;
            for (idx, since) in &current {
                let i = idx.load(Ordering::Relaxed);
                if i > 0 && now_ms.saturating_sub(since.load(Ordering::Relaxed)) > HANG_S * 1000 {
                    let index = i - 1;
                    let t = TARGETS[target_of(o, index)].name;
                    eprintln!(
                        "fuzz: input {index} of `{t}` has run for over {HANG_S} s: a hang\n  \
                         reproduce: cargo xtask fuzz --seed {} --only {t} --index {index}",
                        o.seed
                    );
                    std::process::exit(1);
                }
            }
            if last_report.elapsed() >= Duration::from_secs(5) {
                last_report = Instant::now();
                let n = done.load(Ordering::Relaxed);
                let fails = failures.lock().map_or(0, |f| f.len());
                eprintln!(
                    "fuzz: {n} inputs in {:.0} s ({:.0}/s), {fails} failure(s)",
                    started.elapsed().as_secs_f64(),
                    n as f64 / started.elapsed().as_secs_f64()
                );
            }
        }
        workers
            .into_iter()
            .map(|h| h.join().expect("a fuzz thread catches its panics"))
            .collect()
    });
    let mut total = vec![Tally::default(); TARGETS.len()];
    for t in &tallies {
        for (sum, x) in total.iter_mut().zip(t) {
            sum.inputs += x.inputs;
            sum.refused += x.refused;
            sum.simulated += x.simulated;
            sum.failures += x.failures;
            sum.nanos += x.nanos;
        }
    }
    let secs = started.elapsed().as_secs_f64();
    println!(
        "\n{:<12} {:>9} {:>9} {:>9} {:>8} {:>10}",
        "target", "inputs", "refused", "simulated", "failures", "µs/input"
    );
    for (t, x) in TARGETS.iter().zip(&total) {
        println!(
            "{:<12} {:>9} {:>9} {:>9} {:>8} {:>10.0}",
            t.name,
            x.inputs,
            x.refused,
            x.simulated,
            x.failures,
            x.nanos as f64 / 1e3 / x.inputs.max(1) as f64
        );
    }
    let inputs: u64 = total.iter().map(|x| x.inputs).sum();
    let failures = failures.into_inner().expect("failures");
    println!(
        "{inputs} inputs in {secs:.1} s ({:.0}/s), {} failure(s)",
        inputs as f64 / secs,
        failures.len()
    );
    if failures.is_empty() {
        return ExitCode::SUCCESS;
    }
    let mut failures = failures;
    failures.sort_by_key(|f| f.1);
    for (ti, index, why) in failures.iter().take(10) {
        let t = TARGETS[*ti].name;
        let why: String = if why.chars().count() > 1200 {
            why.chars().take(1200).chain("…".chars()).collect()
        } else {
            why.clone()
        };
        eprintln!(
            "\nFAILED {t} input {index}: {why}\n  reproduce: cargo xtask fuzz --seed {} --only {t} --index {index}",
            o.seed
        );
    }
    ExitCode::FAILURE
}
