//! The simulation against queueing theory. Run in release mode (`cargo
//! xtask test` does); in debug builds these are ignored as too slow.
//!
//! ```text
//!   users-1 ──(Poisson λ, no network delay)──► web-1 (c vCPUs, exponential
//!                                               service, mean 1/μ = 10 ms,
//!                                               queue large enough to be ∞)
//! ```
//!
//! Tolerances: each run is long enough that the 95 % confidence interval of
//! the simulated mean (batch means, 20 batches) is well inside the
//! tolerance, which is asserted too — so a pass means the model agrees with
//! theory, not that the run was too noisy to tell. A failing tolerance is a
//! bug in the model, never a reason to widen it.

use scalesim::batch::run_batches;
use scalesim::catalog::SIZES;
use scalesim::time::SECOND;
use scalesim::{DesignDoc, Simulation};

/// Service rate of one vCPU [1/s] (mean service 10 ms).
const MU: f64 = 100.0;

fn mmc(c: u32, rho: f64, seed: u64) -> (DesignDoc, f64) {
    let size = SIZES
        .iter()
        .find(|s| s.vcpus == c)
        .expect("a size with c vCPUs")
        .name;
    let lambda = rho * f64::from(c) * MU;
    let json = format!(
        r#"{{"version": 1, "seed": {seed},
          "nodes": [
            {{"id": "users-1", "kind": "users", "params": {{"rate_rps": {lambda}, "static_pct": 100,
               "write_pct": 0, "network_ms": 0, "timeout_ms": 600000}}}},
            {{"id": "web-1", "kind": "web_server", "params": {{"size": "{size}", "service_ms": 10,
               "queue_capacity": 100000, "queue_timeout_ms": 0}}}}
          ],
          "edges": [{{"from": "users-1", "to": "web-1"}}]}}"#
    );
    (DesignDoc::from_json(&json).expect("valid"), lambda)
}

/// Mean response time of M/M/c [s] by the Erlang C formula.
fn erlang_c_response(c: u32, lambda: f64, mu: f64) -> f64 {
    let a = lambda / mu;
    let rho = a / f64::from(c);
    let mut term = 1.0; // a^k / k!
    let mut sum = 0.0;
    for k in 0..c {
        if k > 0 {
            term *= a / f64::from(k);
        }
        sum += term;
    }
    let last = term * a / f64::from(c) / (1.0 - rho); // a^c / c! / (1 − ρ)
    let p_wait = last / (sum + last);
    p_wait / (f64::from(c) * mu - lambda) + 1.0 / mu
}

/// Simulated seconds per case: about `n` requests, more near saturation,
/// where the system remembers longer and the mean converges slowly.
fn duration_for(rho: f64, lambda: f64) -> u64 {
    let n = if rho > 0.9 {
        24_000_000.0
    } else if rho > 0.7 {
        3_000_000.0
    } else {
        1_000_000.0
    };
    (n / lambda) as u64
}

fn check_mean_response(c: u32, rho: f64, tolerance: f64) {
    let (doc, lambda) = mmc(c, rho, 7);
    let mut sim = Simulation::from_doc(&doc).unwrap();
    let report = run_batches(
        &mut sim,
        200 * SECOND,
        duration_for(rho, lambda) * SECOND,
        20,
    );
    let theory_ms = erlang_c_response(c, lambda, MU) * 1e3;
    let got = report.mean_latency_ms;
    let err = (got.mean - theory_ms).abs() / theory_ms;
    eprintln!(
        "M/M/{c} ρ={rho}: sim {:.3} ± {:.3} ms, theory {theory_ms:.3} ms, error {:.2} %",
        got.mean,
        got.ci95,
        err * 100.0
    );
    assert!(
        got.ci95 / theory_ms < tolerance / 2.0,
        "run too short to judge: ±{:.3} ms",
        got.ci95
    );
    assert!(
        err < tolerance,
        "M/M/{c} at ρ={rho}: {:.3} ms vs {theory_ms:.3} ms",
        got.mean
    );
    // Throughput equals the offered load (nothing is lost).
    assert!((report.throughput_rps.mean - lambda).abs() / lambda < 0.01);
}

// Tolerances: 2 % at ρ = 0.5, 3 % at 0.8, 5 % at 0.95.

#[test]
#[cfg_attr(debug_assertions, ignore = "release only")]
fn mm1_mean_response_matches_theory() {
    check_mean_response(1, 0.5, 0.02);
    check_mean_response(1, 0.8, 0.03);
    check_mean_response(1, 0.95, 0.05);
}

#[test]
#[cfg_attr(debug_assertions, ignore = "release only")]
fn mmc_mean_response_matches_erlang_c() {
    for c in [2, 4, 8] {
        check_mean_response(c, 0.5, 0.02);
        check_mean_response(c, 0.8, 0.03);
        check_mean_response(c, 0.95, 0.05);
    }
}

#[test]
#[cfg_attr(debug_assertions, ignore = "release only")]
fn littles_law_holds() {
    // L = λW with L the time-averaged number in the system (queued + in
    // service), λ the throughput and W the mean response time. Tolerance
    // 1 %: both sides are measured over the same period, so only the
    // requests in flight at its ends differ.
    for (c, rho) in [(1, 0.8), (4, 0.9)] {
        let (doc, _) = mmc(c, rho, 3);
        let mut sim = Simulation::from_doc(&doc).unwrap();
        sim.run_until(100 * SECOND);
        sim.reset_measurements();
        sim.run_until(3_100 * SECOND);
        let s = sim.snapshot();
        let web = &s.nodes[1];
        let l = web.mean_queue + web.utilization * f64::from(web.workers);
        let lw = s.throughput_rps * s.latency_ms.mean / 1e3;
        assert!(
            (l - lw).abs() / l < 0.01,
            "c={c} ρ={rho}: L={l:.4}, λW={lw:.4}"
        );
    }
}

#[test]
#[cfg_attr(debug_assertions, ignore = "release only")]
fn mm1_p99_matches_the_exponential_quantile() {
    // M/M/1 response time is exponential with rate μ − λ, so its 99th
    // percentile is ln(100)/(μ − λ). Tolerance 3 %: the histogram adds
    // ≤ 0.1 %, the rest is sampling error of a tail quantile over ~1.3 M
    // requests.
    for rho in [0.5, 0.8] {
        let (doc, lambda) = mmc(1, rho, 5);
        let mut sim = Simulation::from_doc(&doc).unwrap();
        sim.run_until(100 * SECOND);
        sim.reset_measurements();
        sim.run_until(20_100 * SECOND);
        let p99 = sim.snapshot().latency_ms.p99;
        let theory = 100f64.ln() / (MU - lambda) * 1e3;
        let err = (p99 - theory).abs() / theory;
        eprintln!("M/M/1 ρ={rho}: p99 sim {p99:.3} ms, theory {theory:.3} ms");
        assert!(err < 0.03, "ρ={rho}: p99 {p99:.3} vs {theory:.3}");
    }
}
