//! The headless runner on the example designs, and on broken input.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn scenarios() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("scenarios/ exists")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    assert!(files.len() >= 5, "the example designs are there");
    files
}

fn scalesim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_scalesim"))
        .args(args)
        .output()
        .expect("scalesim runs")
}

fn run_json(path: &Path, extra: &[&str]) -> serde_json::Value {
    let mut args = vec![
        "run",
        path.to_str().unwrap(),
        "--duration",
        "30",
        "--warmup",
        "5",
    ];
    args.extend_from_slice(extra);
    let out = scalesim(&args);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("run prints one JSON object")
}

#[test]
fn every_scenario_runs_and_reports_the_documented_fields() {
    for path in scenarios() {
        let v = run_json(&path, &[]);
        for key in [
            "throughput_rps",
            "availability",
            "latency_ms",
            "errors",
            "nodes",
            "ci95",
        ] {
            assert!(v.get(key).is_some(), "{}: no {key}", path.display());
        }
        for key in ["mean", "p50", "p95", "p99"] {
            assert!(v["latency_ms"][key].is_number(), "{}", path.display());
        }
        let node = v["nodes"].as_object().unwrap().values().next().unwrap();
        for key in ["utilization", "mean_queue", "served", "dropped"] {
            assert!(node.get(key).is_some());
        }
        assert!(v["ci95"]["mean_latency_ms"]["ci95"].is_number());
        assert!(
            v["throughput_rps"].as_f64().unwrap() > 0.0,
            "{}",
            path.display()
        );
    }
}

#[test]
fn the_same_seed_replays_and_seed_overrides_the_file() {
    let path = &scenarios()[0];
    let a = run_json(path, &["--seed", "5"]);
    let b = run_json(path, &["--seed", "5"]);
    let c = run_json(path, &["--seed", "6"]);
    assert_eq!(a, b);
    assert_ne!(a["latency_ms"], c["latency_ms"]);
    assert_eq!(c["seed"], 6);
}

#[test]
fn a_session_store_removes_the_lost_logins_of_a_crash() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios");
    // The crash is at 30 s; measure well past it.
    let long = ["--duration", "60"];
    let sticky = run_json(&dir.join("sticky-sessions-crash.json"), &long);
    let stateless = run_json(&dir.join("stateless-session-store-crash.json"), &long);
    assert!(sticky["errors"]["session_lost"].as_u64().unwrap() > 100);
    assert_eq!(stateless["errors"]["session_lost"], 0);
}

#[test]
fn the_replication_scenarios_show_what_each_mode_costs_and_loses() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios");
    let run = |mode: &str| run_json(&dir.join(format!("replication-{mode}-failover.json")), &[]);
    let (a, semi, sync) = (run("async"), run("semi-sync"), run("sync"));
    let lost = |v: &serde_json::Value| v["data"]["lost_writes"].as_u64().unwrap();
    let write_p50 = |v: &serde_json::Value| v["write_latency_ms"]["p50"].as_f64().unwrap();
    // The master dies at 15 s: async loses acknowledged writes, the others
    // lose none.
    assert!(lost(&a) > 0, "{}", a["data"]);
    assert!(!a["data"]["lost_keys"].as_array().unwrap().is_empty());
    assert_eq!(lost(&semi), 0);
    assert_eq!(lost(&sync), 0);
    assert!(a["data"]["reliability"].as_f64().unwrap() < 1.0);
    assert_eq!(sync["data"]["reliability"], 1.0);
    // ... and pays for it in write latency.
    assert!(
        write_p50(&a) + 100.0 < write_p50(&semi),
        "{} {}",
        write_p50(&a),
        write_p50(&semi)
    );
    assert!(write_p50(&semi) <= write_p50(&sync));
    // The promoted replica is the master now.
    assert_eq!(a["nodes"]["db-2"]["role"], "master");
    assert_eq!(a["nodes"]["db-3"]["role"], "replica");
}

#[test]
fn broken_input_gets_a_message_and_an_exit_code_not_a_panic() {
    let dir = std::env::temp_dir().join(format!("scalesim-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let write = |name: &str, text: &str| {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p.to_str().unwrap().to_string()
    };
    let cases = [
        (
            write("truncated.json", r#"{"version": 1, "nodes": [{"id": "#),
            1,
            "not a valid design file (line 1",
        ),
        (
            write("newer.json", r#"{"version": 9, "nodes": []}"#),
            1,
            "format version 9",
        ),
        (
            write(
                "wiring.json",
                r#"{"version": 1, "nodes": [{"id": "users-1", "kind": "users"},
                   {"id": "db-1", "kind": "database"}],
                   "edges": [{"from": "users-1", "to": "db-1"}]}"#,
            ),
            1,
            "users-1 → db-1: a Users cannot send requests to a Database",
        ),
        (
            dir.join("missing.json").to_str().unwrap().to_string(),
            2,
            "cannot read",
        ),
    ];
    for (path, code, message) in &cases {
        for cmd in ["validate", "run"] {
            let out = scalesim(&[cmd, path]);
            let text = String::from_utf8_lossy(&out.stdout).to_string()
                + &String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(*code), "{cmd} {path}: {text}");
            assert!(text.contains(message), "{cmd} {path}: {text}");
            assert!(!text.contains("panicked"), "{text}");
        }
    }
    let out = scalesim(&["run"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("usage:"));
}

#[test]
fn no_truncation_or_byte_flip_of_a_design_panics_the_core() {
    use scalesim::{DesignDoc, Simulation, time::SECOND};
    for path in scenarios() {
        let text = std::fs::read_to_string(&path).unwrap();
        let bytes = text.as_bytes();
        let mut variants: Vec<Vec<u8>> = (0..bytes.len())
            .step_by(7)
            .map(|n| bytes[..n].to_vec())
            .collect();
        // Deterministic byte flips over printable characters.
        let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
        for _ in 0..300 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let mut v = bytes.to_vec();
            let i = (x % v.len() as u64) as usize;
            let alphabet = b" -0123456789.eE,:{}[]\"abcxyz";
            v[i] = alphabet[(x >> 32) as usize % alphabet.len()];
            variants.push(v);
        }
        for v in variants {
            let Ok(text) = String::from_utf8(v) else {
                continue;
            };
            if let Ok(doc) = DesignDoc::from_json(&text)
                && let Ok(mut sim) = Simulation::from_doc(&doc)
            {
                sim.run_until(2 * SECOND);
                let _ = sim.snapshot();
            }
        }
    }
}

#[test]
fn grade_prints_every_goal_and_exits_by_the_verdict() {
    let lessons = Path::new(env!("CARGO_MANIFEST_DIR")).join("../lessons");
    let lesson = lessons.join("01-one-server-dns.json");
    let solution = lessons.join("solutions/01-one-server-dns.json");
    let (l, s) = (lesson.to_str().unwrap(), solution.to_str().unwrap());
    // Without a design, the lesson's starting design: it fails (exit 1).
    let out = scalesim(&["grade", l]);
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("FAIL  from 30 s to 90 s: p95 latency ≤ 120.0 ms   measured:"));
    assert!(text.contains("1 of 2 goals met: not passed"), "{text}");
    // The reference solution passes (exit 0); --json gives every figure.
    let out = scalesim(&["grade", l, s, "--json"]);
    assert_eq!(out.status.code(), Some(0));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["passed"], true);
    assert!(v["goals"][0]["value"]["Ok"].as_f64().unwrap() < 120.0);
    // Bad input exits 2 and says why: a missing file, a design file given
    // as the lesson, a design the timeline cannot apply to.
    let out = scalesim(&["grade", "no-such-lesson.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read no-such-lesson.json"));
    let out = scalesim(&["grade", s]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no \"lesson\" object"));
    let four = lessons.join("04-load-balancer.json");
    let renamed = std::env::temp_dir().join("scalesim-grade-renamed.json");
    let design = std::fs::read_to_string(&solution)
        .unwrap()
        .replace("web-1", "web-9");
    std::fs::write(&renamed, design).unwrap();
    let out = scalesim(&["grade", four.to_str().unwrap(), renamed.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("web-1: the lesson's timeline acts on web-1 at 30 s"),
        "{err}"
    );
}

#[test]
fn after_a_warm_up_the_load_balancer_counts_what_its_servers_count() {
    // One second measured after 59 s: the load balancer forwarded what its
    // two servers took in that second, not everything since t = 0. The two
    // differ only by the requests in flight at either edge of the second
    // (forwarded before it and served in it, or forwarded in it and served
    // after).
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios/lb-two-servers.json");
    let out = scalesim(&[
        "run",
        path.to_str().unwrap(),
        "--warmup",
        "59",
        "--duration",
        "1",
    ]);
    assert!(out.status.success());
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let served = |id: &str| v["nodes"][id]["served"].as_u64().unwrap();
    let (lb, web) = (served("lb-1"), served("web-1") + served("web-2"));
    assert!(lb.abs_diff(web) < 30, "lb-1 {lb}, web servers {web}");
    assert!(
        (150..260).contains(&lb),
        "lb-1 forwarded {lb} in one second at about 200 req/s"
    );
    let total_events = v["events"].as_u64().unwrap();
    assert!(total_events < 5_000, "events in one second: {total_events}");
}

/// A scratch directory for one test's files.
fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("scalesim-{test}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn every_command_explains_itself_on_help() {
    for args in [&["--help"][..], &["-h"], &["help"]] {
        let out = scalesim(args);
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        let text = String::from_utf8_lossy(&out.stdout);
        for cmd in ["run", "validate", "grade", "bench"] {
            assert!(
                text.contains(&format!("scalesim {cmd} ")),
                "{args:?}: {text}"
            );
        }
    }
    for cmd in ["run", "validate", "grade", "bench"] {
        for args in [vec![cmd, "--help"], vec!["help", cmd]] {
            let out = scalesim(&args);
            assert_eq!(out.status.code(), Some(0), "{args:?}");
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(
                text.starts_with(&format!("usage: scalesim {cmd}")),
                "{text}"
            );
            assert!(text.contains("exit codes"), "{text}");
        }
    }
}

#[test]
fn odd_files_get_words_a_user_can_act_on() {
    let dir = scratch("odd");
    let write = |name: &str, text: &str| {
        let p = dir.join(name);
        std::fs::write(&p, text).unwrap();
        p.to_str().unwrap().to_string()
    };
    let design = r#"{"version": 1, "nodes": [
        {"id": "users-1", "kind": "users", "params": {"rate_rps": RATE}},
        {"id": "ID", "kind": "web_server"}],
      "edges": [{"from": "users-1", "to": "ID"}]}"#;
    let fine = design.replace("RATE", "10").replace("ID", "web-1");
    // A byte-order mark, as some Windows editors write, is not an error.
    let bom = write("bom.json", &format!("\u{feff}{fine}"));
    let out = scalesim(&["validate", &bom]);
    assert_eq!(out.status.code(), Some(0), "{out:?}");

    let long_id = "w".repeat(100_000);
    let many: Vec<String> = (0..10_001)
        .map(|i| format!(r#"{{"id": "n-{i}", "kind": "web_server"}}"#))
        .collect();
    let cases = [
        (
            write("array.json", "[1, 2]"),
            "this file holds a JSON array, not a design: a design file is one JSON object",
        ),
        (write("empty.json", "  \n"), "this file holds nothing"),
        (
            write(
                "huge.json",
                &design.replace("RATE", "1e308").replace("ID", "web-1"),
            ),
            "users-1: rate_rps must be 0.1..=1000000, got 1e308",
        ),
        (
            write(
                "long-id.json",
                &design.replace("RATE", "10").replace("ID", &long_id),
            ),
            "this id is 100000 characters long; ids may have at most 64",
        ),
        (
            write(
                "many.json",
                &format!(r#"{{"version": 1, "nodes": [{}]}}"#, many.join(",")),
            ),
            "this design has 10001 components; a design may have at most 10000",
        ),
    ];
    for (path, message) in &cases {
        for cmd in ["validate", "run"] {
            let out = scalesim(&[cmd, path]);
            let text = String::from_utf8_lossy(&out.stdout).to_string()
                + &String::from_utf8_lossy(&out.stderr);
            assert_eq!(out.status.code(), Some(1), "{cmd} {path}: {text}");
            assert!(text.contains(message), "{cmd} {path}: {text}");
            // No message repeats a huge input back.
            assert!(text.len() < 2_000, "{cmd} {path}: {} bytes", text.len());
        }
    }
}

/// A design that takes about an hour of wall time for an hour simulated:
/// a million requests a second.
fn heavy_design(dir: &Path) -> String {
    let p = dir.join("heavy.json");
    std::fs::write(
        &p,
        r#"{"version": 1, "nodes": [
            {"id": "users-1", "kind": "users", "params": {"rate_rps": 1000000}},
            {"id": "web-1", "kind": "web_server"}],
          "edges": [{"from": "users-1", "to": "web-1"}]}"#,
    )
    .unwrap();
    p.to_str().unwrap().to_string()
}

#[test]
fn a_run_far_too_long_is_refused_up_front_unless_forced() {
    let dir = scratch("long");
    let path = heavy_design(&dir);
    let out = scalesim(&["run", &path, "--duration", "3600"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("this run would take about"), "{err}");
    assert!(err.contains("add --force to run it anyway"), "{err}");
    assert!(out.stdout.is_empty());
}

#[cfg(unix)]
#[test]
fn an_interrupted_run_shows_progress_then_prints_its_figures_so_far() {
    let dir = scratch("interrupt");
    let path = heavy_design(&dir);
    let child = Command::new(env!("CARGO_BIN_EXE_scalesim"))
        .args([
            "run",
            &path,
            "--duration",
            "3600",
            "--warmup",
            "0",
            "--force",
        ])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("scalesim starts");
    std::thread::sleep(std::time::Duration::from_millis(4_500));
    let kill = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .expect("kill runs");
    assert!(kill.success());
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(130), "{err}");
    assert!(
        err.contains("to simulate 3600 s; progress follows"),
        "{err}"
    );
    assert!(err.contains("of 3600 simulated seconds ("), "{err}");
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("figures so far");
    assert_eq!(v["partial"]["reason"], "interrupted", "{v}");
    let simulated = v["partial"]["simulated_s"].as_f64().unwrap();
    assert!(simulated > 0.0 && simulated < 3600.0, "{simulated}");
    assert!(v["completed"].as_u64().unwrap() > 0, "{v}");
}

#[test]
fn bench_reports_the_requests_it_simulated_and_its_pace() {
    // The M/M/1 design `cargo xtask bench` times against SimPy and Ciw:
    // λ = 80/s for 50 s is about 4,000 requests (Poisson: ± 3 σ ≈ 190),
    // with a mean response near 1 / (μ − λ) = 50 ms.
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scenarios/bench");
    let mm1 = dir.join("mm1.json");
    let out = scalesim(&["bench", mm1.to_str().unwrap(), "--duration", "50"]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    let field = |key: &str| -> f64 {
        let rest = text.split(&format!("\"{key}\":")).nth(1).expect(key);
        let end = rest.find([',', '}']).unwrap();
        rest[..end].trim().parse().expect(key)
    };
    let requests = field("requests");
    assert!((3_800.0..=4_200.0).contains(&requests), "{text}");
    assert!((20.0..=120.0).contains(&field("mean_ms")), "{text}");
    let pace = field("real_time");
    // Both are printed rounded (wall_s to the µs, real_time to 4 decimals),
    // and a release build runs 50 s in about 2 ms: compare within 1 %.
    assert!(
        pace > 0.0 && (pace * field("wall_s") / 50.0 - 1.0).abs() < 0.01,
        "{text}"
    );
    // Every benchmark design is valid.
    for name in ["mm1.json", "million-rps.json"] {
        let path = dir.join(name);
        let out = scalesim(&["validate", path.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(0), "{name}");
    }
}
