//! The simulation core as a command-line program, natively and as
//! WebAssembly (wasm32-wasip1, run by Node's built-in WASI): the check that
//! both give byte-identical results, and the events-per-second benchmark.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::tools;
use crate::util::{Result, cargo, command, display, root, run};

/// The benchmark's reference design and simulated duration [s].
const BENCH_DESIGN: &str = "scenarios/reference-8-servers.json";
const BENCH_SECONDS: &str = "120";

/// Builds `scalesim` in release mode natively and for WASI; returns both.
fn build() -> Result<(PathBuf, PathBuf)> {
    tools::ensure_wasi_target()?;
    let args = [
        "build",
        "--release",
        "-p",
        "scalelab-sim",
        "--bin",
        "scalesim",
    ];
    run(cargo().args(args))?;
    run(cargo().args(args).args(["--target", tools::WASI_TARGET]))?;
    let target = root().join("target");
    Ok((
        target.join("release").join("scalesim"),
        target
            .join(tools::WASI_TARGET)
            .join("release")
            .join("scalesim.wasm"),
    ))
}

/// `node xtask/wasi/run-wasi.mjs <wasm> args…`
fn wasi(wasm: &Path) -> Command {
    let mut cmd = command("node");
    cmd.arg("--no-warnings")
        .arg(root().join("xtask").join("wasi").join("run-wasi.mjs"))
        .arg(wasm);
    cmd
}

fn output(cmd: &mut Command) -> Result<String> {
    let line = display(cmd);
    let out = cmd
        .output()
        .map_err(|e| format!("could not start `{line}`: {e}"))?;
    if !out.status.success() {
        return Err(format!(
            "`{line}` failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    String::from_utf8(out.stdout).map_err(|_| format!("`{line}` printed something not UTF-8"))
}

fn scenarios() -> Result<Vec<String>> {
    let dir = root().join("scenarios");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .map(|n| format!("scenarios/{n}"))
        .collect();
    files.sort();
    Ok(files)
}

/// Every scenario, run 30 simulated seconds natively and as WebAssembly,
/// must print exactly the same figures; and every lesson must grade its
/// starting design and its reference solution exactly alike on both.
pub fn same_results() -> Result {
    let (native, wasm) = build()?;
    let compare = |what: &str, args: &[&str]| -> Result {
        let a = output(command(&native).args(args))?;
        let b = output(wasi(&wasm).args(args))?;
        if a != b {
            let (la, lb) = a
                .lines()
                .zip(b.lines())
                .find(|(x, y)| x != y)
                .unwrap_or(("(length)", "(length)"));
            return Err(format!(
                "{what}: native and wasm results differ; first difference:\n  native: {la}\n  wasm:   {lb}"
            ));
        }
        println!("identical natively and in wasm: {what}");
        Ok(())
    };
    for file in scenarios()? {
        compare(&file, &["run", &file, "--duration", "30", "--warmup", "5"])?;
    }
    for (lesson, solution) in lessons()? {
        // `grade` exits 1 for a design that fails: that is an answer too.
        compare(&lesson, &["grade", &lesson, "--json", "--exit-zero"])?;
        compare(
            &solution,
            &["grade", &lesson, &solution, "--json", "--exit-zero"],
        )?;
    }
    Ok(())
}

/// Every lesson file with its reference solution, in course order.
fn lessons() -> Result<Vec<(String, String)>> {
    let dir = root().join("lessons");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    files.sort();
    Ok(files
        .into_iter()
        .map(|n| (format!("lessons/{n}"), format!("lessons/solutions/{n}")))
        .collect())
}

/// Events per second on the reference design, natively and in wasm.
pub fn bench() -> Result {
    let (native, wasm) = build()?;
    let args = ["bench", BENCH_DESIGN, "--duration", BENCH_SECONDS];
    println!("$ scalesim {}", args.join(" "));
    let a = events_per_s(&output(command(&native).args(args))?)?;
    let b = events_per_s(&output(wasi(&wasm).args(args))?)?;
    println!("\nevents per second on {BENCH_DESIGN} ({BENCH_SECONDS} s simulated, best of 3):");
    println!("  native (release)              {:>6.2} M", a / 1e6);
    println!(
        "  wasm32-wasip1 under Node      {:>6.2} M   ({:.2}x native)",
        b / 1e6,
        b / a
    );
    println!("record these in docs/performance.md");
    Ok(())
}

/// `cargo xtask bench memory`: heap in use over an hour of simulated time
/// at 100,000 requests a second, and heap per request in flight
/// (`sim/examples/memory.rs`, natively; about 20 minutes).
pub fn memory() -> Result {
    run(cargo().args([
        "run",
        "--release",
        "-p",
        "scalelab-sim",
        "--example",
        "memory",
        "--",
        "60",
    ]))?;
    println!("record these in docs/performance.md");
    Ok(())
}

/// Reads `"events_per_s": N` from the bench output.
fn events_per_s(json: &str) -> Result<f64> {
    json.split("\"events_per_s\":")
        .nth(1)
        .and_then(|rest| rest.trim().trim_end_matches('}').trim().parse().ok())
        .ok_or_else(|| format!("no events_per_s in bench output: {json}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bench_output_is_read() {
        let line = r#"{"events": 10, "wall_s": 0.5, "events_per_s": 12105216}"#;
        assert_eq!(events_per_s(line), Ok(12_105_216.0));
        assert!(events_per_s("{}").is_err());
    }
}
