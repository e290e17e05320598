//! `cargo xtask test`: everything CI checks, in order, stopping at the first
//! failure. `cargo xtask test <step>...` runs only the named steps.

use std::fs;
use std::process::Command;
use std::time::Instant;

use crate::dist;
use crate::tools;
use crate::util::{Result, cargo, command, heading, root, run};

struct Step {
    name: &'static str,
    title: &'static str,
    /// How to run this step by hand.
    reproduce: &'static str,
    run: fn() -> Result,
}

const STEPS: &[Step] = &[
    Step {
        name: "fmt",
        title: "formatting",
        reproduce: "cargo fmt --all --check   (fix: cargo fmt --all)",
        run: fmt,
    },
    Step {
        name: "clippy",
        title: "lints (host)",
        reproduce: "cargo clippy --workspace --all-targets -- -D warnings",
        run: clippy,
    },
    Step {
        name: "clippy-wasm",
        title: "lints (wasm32)",
        reproduce: "cargo clippy --target wasm32-unknown-unknown -p scale-lab -p scalelab-sim \
                    --all-targets -- -D warnings",
        run: clippy_wasm,
    },
    Step {
        name: "native",
        title: "native tests (debug, then the simulation core in release)",
        reproduce: "cargo test --workspace && cargo test --release -p scalelab-sim",
        run: native,
    },
    Step {
        name: "fuzz",
        title: "fuzzing: a minute of generated inputs, none may panic or break a law",
        reproduce: "cargo xtask fuzz --seconds 60",
        run: crate::fuzz::test,
    },
    Step {
        name: "same-results",
        title: "native and WebAssembly builds give identical results on every scenario",
        reproduce: "cargo xtask test same-results",
        run: crate::sim::same_results,
    },
    Step {
        name: "browser",
        title: "in-browser tests (headless Chromium)",
        reproduce: "CHROMEDRIVER=/usr/bin/chromedriver cargo test --target wasm32-unknown-unknown \
                    -p scale-lab",
        run: browser,
    },
    Step {
        name: "dist",
        title: "release build of the site",
        reproduce: "cargo xtask dist",
        run: site,
    },
    Step {
        name: "e2e",
        title: "end-to-end tests (Playwright on dist/)",
        reproduce: "cargo xtask test dist e2e   (or, after a build: cd tests/e2e && npx playwright test)",
        run: e2e,
    },
];

pub fn main(only: &[String]) -> Result {
    for name in only {
        if !STEPS.iter().any(|s| s.name == name) {
            let names: Vec<&str> = STEPS.iter().map(|s| s.name).collect();
            return Err(format!(
                "unknown step `{name}`; steps are: {}",
                names.join(" ")
            ));
        }
    }
    let selected: Vec<&Step> = STEPS
        .iter()
        .filter(|s| only.is_empty() || only.iter().any(|n| n == s.name))
        .collect();

    let started = Instant::now();
    let total = selected.len();
    let mut outcomes: Vec<(&Step, Outcome)> =
        selected.iter().map(|s| (*s, Outcome::NotRun)).collect();
    let mut failure = None;
    for (i, step) in selected.iter().enumerate() {
        heading(&format!(
            "[{}/{total}] {}: {}",
            i + 1,
            step.name,
            step.title
        ));
        let t = Instant::now();
        let result = (step.run)();
        let secs = t.elapsed().as_secs_f64();
        match result {
            Ok(()) => outcomes[i].1 = Outcome::Passed(secs),
            Err(message) => {
                outcomes[i].1 = Outcome::Failed(secs);
                failure = Some((i, message));
                break;
            }
        }
    }

    heading("summary");
    for (step, outcome) in &outcomes {
        let (mark, time) = match outcome {
            Outcome::Passed(s) => ("ok  ", format!("{s:.1}s")),
            Outcome::Failed(s) => ("FAIL", format!("{s:.1}s")),
            Outcome::NotRun => ("--  ", "not run".to_owned()),
        };
        println!("  {mark}  {:<12} {time}", step.name);
    }
    let passed = outcomes
        .iter()
        .filter(|(_, o)| matches!(o, Outcome::Passed(_)))
        .count();
    let failed = outcomes
        .iter()
        .filter(|(_, o)| matches!(o, Outcome::Failed(_)))
        .count();
    let not_run = total - passed - failed;
    let mut line = format!("{passed} passed, {failed} failed");
    if not_run > 0 {
        line += &format!(", {not_run} not run");
    }
    println!("{line} ({:.0}s)", started.elapsed().as_secs_f64());

    match failure {
        None => Ok(()),
        Some((i, message)) => {
            let step = selected[i];
            Err(format!(
                "step {}/{total} `{}` ({}) failed: {message}\n  reproduce: {}",
                i + 1,
                step.name,
                step.title,
                step.reproduce
            ))
        }
    }
}

enum Outcome {
    Passed(f64),
    Failed(f64),
    NotRun,
}

fn fmt() -> Result {
    tools::ensure_components()?;
    run(cargo().args(["fmt", "--all", "--check"]))
}

fn clippy() -> Result {
    tools::ensure_components()?;
    run(cargo().args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))
}

fn clippy_wasm() -> Result {
    tools::ensure_components()?;
    tools::ensure_wasm_target()?;
    run(cargo().args([
        "clippy",
        "--target",
        tools::WASM_TARGET,
        "-p",
        "scale-lab",
        "-p",
        "scalelab-sim",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))
}

fn native() -> Result {
    run(cargo().args(["test", "--workspace"]))?;
    run(cargo().args(["test", "--release", "-p", "scalelab-sim"]))
}

fn browser() -> Result {
    tools::ensure_wasm_target()?;
    tools::ensure_wasm_bindgen()?;
    tools::ensure_chromium()?;
    let mut cmd = cargo();
    cmd.args(["test", "--target", tools::WASM_TARGET, "-p", "scale-lab"]);
    browser_env(&mut cmd);
    run(&mut cmd)
}

/// What wasm-bindgen-test-runner needs to drive the system Chromium headless,
/// as root too: CHROMEDRIVER names the driver; the runner itself adds the
/// Chrome args `headless`, `no-sandbox` and `disable-dev-shm-usage`, and
/// reads `webdriver.json` from the crate root (the cwd cargo gives it) for
/// the rest (no GPU, no background networking: this machine is offline).
fn browser_env(cmd: &mut Command) {
    cmd.env("CHROMEDRIVER", tools::CHROMEDRIVER);
    if std::env::var_os("WASM_BINDGEN_TEST_TIMEOUT").is_none() {
        // The default (20 s) is tight for a cold browser start on a busy CI machine.
        cmd.env("WASM_BINDGEN_TEST_TIMEOUT", "120");
    }
}

fn site() -> Result {
    tools::ensure_site_tools()?;
    dist::build()
}

fn e2e() -> Result {
    let index = root().join("dist").join("index.html");
    if !index.exists() {
        return Err("dist/ has not been built; run the `dist` step first".to_owned());
    }
    tools::ensure_chromium()?;
    tools::ensure_playwright()?;
    let screenshots = root().join("target").join("e2e-screenshots");
    let _ = fs::remove_dir_all(&screenshots);
    fs::create_dir_all(&screenshots)
        .map_err(|e| format!("cannot create {}: {e}", screenshots.display()))?;
    let dir = root().join("tests").join("e2e");
    run(
        command(dir.join("node_modules").join(".bin").join("playwright"))
            .args(["test", "--config", "playwright.config.mjs"])
            .current_dir(&dir)
            .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1"),
    )?;
    println!("screenshots: {}", screenshots.display());
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_have_unique_names_in_ci_order() {
        let names: Vec<&str> = STEPS.iter().map(|s| s.name).collect();
        assert_eq!(
            names,
            [
                "fmt",
                "clippy",
                "clippy-wasm",
                "native",
                "fuzz",
                "same-results",
                "browser",
                "dist",
                "e2e"
            ]
        );
    }

    #[test]
    fn an_unknown_step_is_refused_before_anything_runs() {
        let err = main(&["nope".to_owned()]).unwrap_err();
        assert!(
            err.contains("unknown step `nope`") && err.contains("e2e"),
            "{err}"
        );
    }
}
