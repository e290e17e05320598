//! Project commands for Scale Lab: `cargo xtask serve | test | dist | bench`.
//!
//! Each command first makes sure the tools it needs are installed (and says
//! what it installs and why), so a fresh clone needs only rustup, cargo,
//! Node.js with npm, and apt.

mod dist;
mod frames;
mod fuzz;
mod serve;
mod sim;
mod size;
mod stamp;
mod test;
mod tools;
mod util;

use std::process::ExitCode;

const USAGE: &str = "\
Usage: cargo xtask <command> [args]

Commands:
  serve [trunk args]  build the app and serve it with live reload at http://127.0.0.1:8080/
  test [step...]      run everything CI checks, stopping at the first failure;
                      steps: fmt clippy clippy-wasm native fuzz same-results browser dist e2e
                      (default: all)
  fuzz [options]      run the fuzzer: generated design files, imports, share links,
                      lessons and live edits, a million inputs (options: --help)
  dist                release build of the site into dist/, with file sizes (raw and gzip)
  bench [sim|frames|editing|latency|size|memory]
                      sim: simulation events per second, natively and as WebAssembly,
                      a 1,000,000 req/s design against real time, and M/M/1 requests
                      per second against SimPy and Ciw (installed from PyPI into
                      .tools/venv);
                      frames: frame-time percentiles in headless Chromium with 20,000
                      dots on the canvas; editing: frame times while a component is
                      dragged in designs of 100 to 10,000 components; latency: a first
                      visit's time to interactive, and pointer-input latency while the
                      chapter-1 example runs at max; size: what the wasm holds, by
                      twiggy (installed into .tools/cargo); memory: heap over
                      an hour simulated at 100,000 req/s (about 20 min) (default: all)
  stamp-engine        Trunk's post-build hook: names the engine's build in index.html
                      (so no browser runs a cached old engine under a new app)
  help                show this message

Tools are installed on first use: the wasm32 target, trunk, wasm-bindgen-cli,
wasm-opt (npm binaryen, into .tools/), and for `test` Chromium, chromedriver and Playwright.";

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let command = args.next();
    let rest: Vec<String> = args.collect();
    let result = match command.as_deref() {
        Some("serve") => serve::main(&rest),
        Some("test") => test::main(&rest),
        Some("fuzz") => fuzz::main(&rest),
        Some("dist") if rest.is_empty() => dist::main(),
        Some("stamp-engine") if rest.is_empty() => stamp::main(),
        Some("bench") if rest.len() <= 1 => match rest.first().map(String::as_str) {
            None => sim::bench()
                .and_then(|()| frames::bench())
                .and_then(|()| frames::editing())
                .and_then(|()| frames::latency())
                .and_then(|()| size::main())
                .and_then(|()| sim::memory()),
            Some("sim") => sim::bench(),
            Some("frames") => frames::bench(),
            Some("editing") => frames::editing(),
            Some("latency") => frames::latency(),
            Some("size") => size::main(),
            Some("memory") => sim::memory(),
            Some(other) => Err(format!(
                "unknown benchmark `{other}`; choose sim, frames, editing, latency, size or memory"
            )),
        },
        Some("help" | "-h" | "--help") => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        None => {
            eprintln!("{USAGE}");
            return ExitCode::FAILURE;
        }
        Some(other) => {
            let what = if other == "bench" {
                format!(
                    "`bench` takes at most one argument (got: {})",
                    rest.join(" ")
                )
            } else if other == "dist" || other == "stamp-engine" {
                format!("`{other}` takes no arguments (got: {})", rest.join(" "))
            } else {
                format!("unknown command `{other}`")
            };
            eprintln!("xtask: {what}\n\n{USAGE}");
            return ExitCode::FAILURE;
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("\nxtask: error: {message}");
            ExitCode::FAILURE
        }
    }
}
