//! The command line: what each command accepts, its help, and why a bad
//! option is refused.

/// Longest warm-up or measured period a run accepts [s]: one simulated
/// day. Longer runs say nothing a day does not, and would take hours.
pub const MAX_RUN_S: f64 = 86_400.0;

/// What `scalesim --help` prints.
pub const USAGE: &str = "scalesim: run or check a Scale Lab design without a browser.

usage:
  scalesim run <design.json> [--seed N] [--duration SECONDS] [--warmup SECONDS] [--force]
  scalesim validate <design.json>
  scalesim grade <lesson.json> [design.json] [--json] [--exit-zero]
  scalesim bench <design.json> [--duration SECONDS] [--recent]
  scalesim help [command]

`scalesim <command> --help` says more about one command.";

const RUN_HELP: &str =
    "usage: scalesim run <design.json> [--seed N] [--duration SECONDS] [--warmup SECONDS] [--force]

Runs the design through a warm-up, then through the measured period, and
prints one JSON object: every figure of the measured period, and 95 %
confidence intervals of mean latency and throughput by batch means.

  --seed N            the random seed (default: the design's own)
  --duration SECONDS  the measured period: more than 0, at most 86400 (default 60)
  --warmup SECONDS    run this long first, unmeasured: 0 to 86400 (default 10)
  --force             run even if it would take more than 10 minutes

A run says up front how long it will take when that is more than a few
seconds, then shows its progress on stderr. Interrupted (Ctrl+C or SIGTERM),
it prints the figures so far, marked \"partial\".

exit codes: 0 done, 1 the design has errors, 2 bad usage, an unreadable file
or a run refused as too long, 130 interrupted (the figures so far printed)";

const VALIDATE_HELP: &str = "usage: scalesim validate <design.json>

Checks the design and prints each problem on its own line, errors first,
then warnings.

exit codes: 0 it can run (warnings aside), 1 it has errors, 2 bad usage or an
unreadable file";

const GRADE_HELP: &str = "usage: scalesim grade <lesson.json> [design.json] [--json] [--exit-zero]

Runs a design (the lesson's starting design if none is given) through a
lesson as the app's Check does, and prints every goal with its measured
figure.

  --json       print the grade as JSON
  --exit-zero  exit 0 whether or not the goals are met

exit codes: 0 every goal met, 1 some not, 2 bad usage or a file that cannot
be read or graded (with what to change)";

const BENCH_HELP: &str = "usage: scalesim bench <design.json> [--duration SECONDS] [--recent]

Runs the design from time 0 three times and prints the events processed per
second of wall-clock time (the best of three).

  --duration SECONDS  simulated time per run (default 60)
  --recent            keep the last seconds' figures as the app does while it
                      runs, to measure what that costs

exit codes: 0 done, 1 the design has errors, 2 bad usage or an unreadable file";

/// The help of `command`, or `None` if there is no such command.
pub fn help(command: Option<&str>) -> Option<&'static str> {
    match command {
        None | Some("help") => Some(USAGE),
        Some("run") => Some(RUN_HELP),
        Some("validate") => Some(VALIDATE_HELP),
        Some("grade") => Some(GRADE_HELP),
        Some("bench") => Some(BENCH_HELP),
        Some(_) => None,
    }
}

/// What `run` and `bench` were asked to do.
#[derive(Debug, PartialEq)]
pub struct RunArgs {
    /// The design file.
    pub path: String,
    /// A seed replacing the design's own.
    pub seed: Option<u64>,
    /// The measured period [s].
    pub duration_s: f64,
    /// The warm-up [s].
    pub warmup_s: f64,
    /// Bench only: keep the recent window's figures, as the app does.
    pub recent: bool,
    /// Run only: run even if the estimate is over the limit.
    pub force: bool,
}

/// What `grade` was asked to do.
#[derive(Debug, PartialEq)]
pub struct GradeArgs {
    /// The lesson file.
    pub lesson: String,
    /// The design to grade; the lesson's own if `None`.
    pub design: Option<String>,
    /// Print JSON.
    pub json: bool,
    /// Exit 0 whether or not the goals are met (for comparing outputs).
    pub exit_zero: bool,
}

/// A command.
#[derive(Debug, PartialEq)]
pub enum Command {
    /// Print a command's help (or the general one).
    Help(Option<String>),
    /// Run a design.
    Run(RunArgs),
    /// Check a design.
    Validate(String),
    /// Time a design.
    Bench(RunArgs),
    /// Grade a design for a lesson.
    Grade(GradeArgs),
}

fn wants_help(rest: &[String]) -> bool {
    rest.iter().any(|a| a == "--help" || a == "-h")
}

/// The command the arguments ask for, or why they cannot be understood.
pub fn parse(args: &[String]) -> Result<Command, String> {
    let (cmd, rest) = args.split_first().ok_or("no command given")?;
    match cmd.as_str() {
        "--help" | "-h" => Ok(Command::Help(None)),
        "help" => match rest {
            [] => Ok(Command::Help(None)),
            [c] if help(Some(c)).is_some() => Ok(Command::Help(Some(c.clone()))),
            [c] => Err(format!("no command {c} to explain")),
            _ => Err("help takes at most one command".into()),
        },
        "validate" | "grade" | "run" | "bench" if wants_help(rest) => {
            Ok(Command::Help(Some(cmd.clone())))
        }
        "validate" => match rest {
            [path] if !path.starts_with("--") => Ok(Command::Validate(path.clone())),
            [opt] => Err(format!("unknown option {opt}")),
            _ => Err("validate takes exactly one file".into()),
        },
        "grade" => parse_grade(rest),
        "run" | "bench" => parse_run(cmd, rest),
        other => Err(format!("unknown command {other}")),
    }
}

fn parse_grade(rest: &[String]) -> Result<Command, String> {
    let json = rest.iter().any(|a| a == "--json");
    let exit_zero = rest.iter().any(|a| a == "--exit-zero");
    let files: Vec<&String> = rest
        .iter()
        .filter(|a| *a != "--json" && *a != "--exit-zero")
        .collect();
    if let Some(opt) = files.iter().find(|a| a.starts_with("--")) {
        return Err(format!("unknown option {opt}"));
    }
    let (lesson, design) = match files.as_slice() {
        [lesson] => (lesson, None),
        [lesson, design] => (lesson, Some((*design).clone())),
        [] => return Err("grade needs a lesson file".into()),
        _ => return Err("grade takes a lesson file and at most one design file".into()),
    };
    Ok(Command::Grade(GradeArgs {
        lesson: (*lesson).clone(),
        design,
        json,
        exit_zero,
    }))
}

fn parse_run(cmd: &str, rest: &[String]) -> Result<Command, String> {
    let mut path = None;
    let mut run = RunArgs {
        path: String::new(),
        seed: None,
        duration_s: 60.0,
        warmup_s: 10.0,
        recent: false,
        force: false,
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
                    .filter(|s: &f64| s.is_finite() && *s >= 0.0 && *s <= MAX_RUN_S)
                    .ok_or_else(|| {
                        format!(
                            "{a} must be seconds from 0 to {MAX_RUN_S} (one simulated day), got {v}"
                        )
                    })?;
                if a == "--duration" {
                    run.duration_s = secs;
                } else {
                    run.warmup_s = secs;
                }
            }
            "--recent" if cmd == "bench" => run.recent = true,
            "--force" if cmd == "run" => run.force = true,
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
                recent: false,
                force: false,
            }))
        );
        assert!(matches!(
            parse(&args("bench d.json --recent")),
            Ok(Command::Bench(RunArgs { recent: true, .. }))
        ));
        assert!(matches!(
            parse(&args("run d.json --force")),
            Ok(Command::Run(RunArgs { force: true, .. }))
        ));
        for (line, why) in [
            ("run d.json --recent", "unknown option --recent"),
            ("bench d.json --force", "unknown option --force"),
            ("run d.json --seed -3", "--seed must be"),
            ("run d.json --duration 0", "more than 0"),
            (
                "run d.json --duration 1e7",
                "from 0 to 86400 (one simulated day), got 1e7",
            ),
            ("run d.json --warmup NaN", "--warmup must be seconds"),
            ("run --duration", "needs a value"),
            ("run", "needs a design file"),
            ("fly", "unknown command"),
            ("grade", "lesson file"),
            ("grade a b c", "at most one"),
            ("run a b", "unexpected"),
            ("validate --json", "unknown option --json"),
            ("help fly", "no command fly"),
        ] {
            let err = parse(&args(line)).unwrap_err();
            assert!(err.contains(why), "{line}: {err}");
        }
        assert_eq!(
            parse(&args("validate x.json")),
            Ok(Command::Validate("x.json".into()))
        );
        assert_eq!(
            parse(&args("grade l.json d.json --json")),
            Ok(Command::Grade(GradeArgs {
                lesson: "l.json".into(),
                design: Some("d.json".into()),
                json: true,
                exit_zero: false
            }))
        );
    }

    #[test]
    fn every_command_has_help_that_names_its_options() {
        assert_eq!(parse(&args("--help")), Ok(Command::Help(None)));
        assert_eq!(parse(&args("-h")), Ok(Command::Help(None)));
        assert_eq!(parse(&args("help")), Ok(Command::Help(None)));
        for (cmd, options) in [
            ("run", &["--seed", "--duration", "--warmup", "--force"][..]),
            ("validate", &[][..]),
            ("grade", &["--json", "--exit-zero"][..]),
            ("bench", &["--duration", "--recent"][..]),
        ] {
            let want = Ok(Command::Help(Some(cmd.to_string())));
            assert_eq!(parse(&args(&format!("{cmd} --help"))), want);
            assert_eq!(parse(&args(&format!("{cmd} x.json -h"))), want);
            assert_eq!(parse(&args(&format!("help {cmd}"))), want);
            let text = help(Some(cmd)).unwrap();
            assert!(
                text.starts_with(&format!("usage: scalesim {cmd}")),
                "{text}"
            );
            assert!(text.contains("exit codes"), "{cmd}");
            for o in options {
                assert!(text.contains(o), "{cmd} help lacks {o}");
            }
            assert!(USAGE.contains(&format!("scalesim {cmd} ")), "{cmd}");
        }
    }
}
