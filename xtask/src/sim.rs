//! The simulation core as a command-line program, natively and as
//! WebAssembly (wasm32-wasip1, run by Node's built-in WASI): the check that
//! both give byte-identical results, and the events-per-second benchmark.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::tools;
use crate::util::{Result, cargo, command, display, output, root, run};

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

/// The M/M/1 system timed against the peer simulators: Poisson arrivals
/// at `MM1_LAMBDA` per second, one server with exponential service at
/// `MM1_MU` per second, for `MM1_SECONDS` simulated seconds (about
/// 1,000,000 requests). `scenarios/bench/mm1.json` is the same system.
const MM1_DESIGN: &str = "scenarios/bench/mm1.json";
const MM1_LAMBDA: &str = "80";
const MM1_MU: &str = "100";
const MM1_SECONDS: &str = "12500";

/// A design sending 1,000,000 requests a second (load balancer, 64 web
/// servers), and how long it is run [simulated s].
const MILLION_DESIGN: &str = "scenarios/bench/million-rps.json";
const MILLION_SECONDS: &str = "2";

/// Targets the figures are printed against (issue 17).
const TARGET_EVENTS_PER_S: f64 = 12e6;
const TARGET_WASM: f64 = 0.8;
const TARGET_REAL_TIME: f64 = 1.0;

/// `cargo xtask bench sim`: events per second on the reference design
/// natively and in wasm; the 1,000,000 req/s design's pace against real
/// time; and requests per second on M/M/1 against SimPy and Ciw, all in
/// one run so the ratios compare figures taken together.
pub fn bench() -> Result {
    let (native, wasm) = build()?;
    let scalesim = |wasm_too: bool, args: &[&str]| -> Result<(String, Option<String>)> {
        println!("$ scalesim {}", args.join(" "));
        let a = output(command(&native).args(args))?;
        let b = if wasm_too {
            Some(output(wasi(&wasm).args(args))?)
        } else {
            None
        };
        Ok((a, b))
    };
    let (a, b) = scalesim(true, &["bench", BENCH_DESIGN, "--duration", BENCH_SECONDS])?;
    let (ev_native, ev_wasm) = (
        number(&a, "events_per_s")?,
        number(&b.unwrap_or_default(), "events_per_s")?,
    );
    let (m, mw) = scalesim(
        true,
        &["bench", MILLION_DESIGN, "--duration", MILLION_SECONDS],
    )?;
    let (rt_native, rt_wasm) = (
        number(&m, "real_time")?,
        number(&mw.unwrap_or_default(), "real_time")?,
    );
    let (q, _) = scalesim(false, &["bench", MM1_DESIGN, "--duration", MM1_SECONDS])?;
    let ours = Peer::read("scalesim (native)", &q)?;
    // The peers last, and on their own: without Python or PyPI the other
    // figures are still printed.
    let peers = peers();

    println!("\nevents per second on {BENCH_DESIGN} ({BENCH_SECONDS} s simulated, best of 3):");

    println!(
        "  native (release)              {:>6.2} M   (target ≥ {:.0} M: {})",
        ev_native / 1e6,
        TARGET_EVENTS_PER_S / 1e6,
        verdict(ev_native >= TARGET_EVENTS_PER_S)
    );
    println!(
        "  wasm32-wasip1 under Node      {:>6.2} M   ({:.2}x native; target ≥ {TARGET_WASM}x: {})",
        ev_wasm / 1e6,
        ev_wasm / ev_native,
        verdict(ev_wasm / ev_native >= TARGET_WASM)
    );
    println!(
        "\n{MILLION_DESIGN} ({MILLION_SECONDS} s simulated, best of 3), simulated seconds per wall second:"
    );
    println!(
        "  native (release)              {rt_native:>6.2}x real time   (target ≥ {TARGET_REAL_TIME}x: {})",
        verdict(rt_native >= TARGET_REAL_TIME)
    );
    println!("  wasm32-wasip1 under Node      {rt_wasm:>6.2}x real time");
    println!(
        "\nM/M/1, λ = {MM1_LAMBDA}/s, μ = {MM1_MU}/s, {MM1_SECONDS} s simulated (theory: mean response {:.1} ms), best of 3:",
        mm1_mean_ms()
    );
    println!(
        "  {:<20} {:>10} req/s   mean {:.1} ms",
        ours.name,
        thousands(ours.per_s()),
        ours.mean_ms
    );
    for (peer, target) in peers.iter().flatten().zip([50.0, 100.0]) {
        let ratio = ours.per_s() / peer.per_s();
        println!(
            "  {:<20} {:>10} req/s   mean {:.1} ms   scalesim {ratio:.1}x as fast (target ≥ {target}x: {})",
            peer.name,
            thousands(peer.per_s()),
            peer.mean_ms,
            verdict(ratio >= target)
        );
    }
    if let Err(e) = &peers {
        println!("  SimPy and Ciw not measured: {e}");
    }
    println!("record these in docs/performance.md");
    peers.map(|_| ())
}

/// SimPy and Ciw on the M/M/1 system, best of three runs each, from the
/// project-local venv (made first if missing).
fn peers() -> Result<Vec<Peer>> {
    let python = tools::ensure_peers()?;
    let mut peers = Vec::new();
    for (name, version) in tools::PEERS {
        let script = root()
            .join("xtask")
            .join("peers")
            .join(format!("mm1_{name}.py"));
        let mut best: Option<Peer> = None;
        for _ in 0..3 {
            let mut cmd = command(&python);
            cmd.arg(&script)
                .args([MM1_LAMBDA, MM1_MU, MM1_SECONDS, "1"]);
            println!("$ {}", display(&cmd));
            let run = Peer::read(&format!("{name} {version}"), &output(&mut cmd)?)?;
            if best.as_ref().is_none_or(|b| run.per_s() > b.per_s()) {
                best = Some(run);
            }
        }
        peers.extend(best);
    }
    Ok(peers)
}

/// One simulator's M/M/1 run: requests completed, wall time, mean response.
struct Peer {
    name: String,
    requests: f64,
    wall_s: f64,
    mean_ms: f64,
}

impl Peer {
    fn read(name: &str, json: &str) -> Result<Peer> {
        Ok(Peer {
            name: name.to_string(),
            requests: number(json, "requests")?,
            wall_s: number(json, "wall_s")?,
            mean_ms: number(json, "mean_ms")?,
        })
    }

    /// Requests completed per wall-clock second.
    fn per_s(&self) -> f64 {
        self.requests / self.wall_s
    }
}

/// M/M/1 mean response time 1 / (μ − λ) [ms].
fn mm1_mean_ms() -> f64 {
    let (l, m): (f64, f64) = (
        MM1_LAMBDA.parse().unwrap_or(f64::NAN),
        MM1_MU.parse().unwrap_or(f64::NAN),
    );
    1e3 / (m - l)
}

fn verdict(met: bool) -> &'static str {
    if met { "met" } else { "NOT met" }
}

/// `1234567.8` as `1,234,568`.
fn thousands(x: f64) -> String {
    let digits = format!("{:.0}", x.max(0.0));
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
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

/// Reads `"key": N` from a benchmark's one-line JSON output.
fn number(json: &str, key: &str) -> Result<f64> {
    json.split(&format!("\"{key}\":"))
        .nth(1)
        .and_then(|rest| {
            let end = rest.find([',', '}']).unwrap_or(rest.len());
            rest[..end].trim().parse().ok()
        })
        .ok_or_else(|| format!("no {key} in benchmark output: {json}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bench_output_is_read() {
        let line = r#"{"events": 10, "requests": 4, "wall_s": 0.5, "events_per_s": 12105216, "real_time": 0.75}"#;
        assert_eq!(number(line, "events_per_s"), Ok(12_105_216.0));
        assert_eq!(number(line, "requests"), Ok(4.0));
        assert_eq!(number(line, "real_time"), Ok(0.75));
        assert!(number("{}", "wall_s").is_err());
        let peer = r#"{"requests": 1000271, "wall_s": 8.5, "mean_ms": 50.11}"#;
        let p = Peer::read("SimPy", peer).unwrap();
        assert!((p.per_s() - 117_679.0).abs() < 1.0);
        assert_eq!(thousands(1_234_567.8), "1,234,568");
        assert_eq!(thousands(999.0), "999");
    }

    #[test]
    fn the_peers_simulate_the_system_in_the_mm1_design() {
        // The Python peers take λ and μ on their command line; the design
        // file must describe the same M/M/1 system.
        let text = std::fs::read_to_string(root().join(MM1_DESIGN)).unwrap();
        let squeezed: String = text.split_whitespace().collect();
        assert!(squeezed.contains(&format!("\"rate_rps\":{MM1_LAMBDA},")));
        let mu: f64 = MM1_MU.parse().unwrap();
        assert!(squeezed.contains(&format!("\"service_ms\":{},", 1e3 / mu)));
        assert!(
            squeezed.contains("\"size\":\"nano\""),
            "one vCPU: one server"
        );
        assert!((mm1_mean_ms() - 50.0).abs() < 1e-9);
    }
}
