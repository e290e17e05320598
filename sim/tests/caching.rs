//! Caches and CDNs: hit rates emerge from keys, capacity and TTL (checked
//! against Che's approximation and the TTL-cache formula), write policies
//! decide staleness, coalescing stops stampedes, and a dead cache sends
//! everything to the database.

use scalesim::cache::{che_lru_hit_rate, ttl_hit_rate, zipf_probabilities};
use scalesim::model::{CacheFigures, LogEvent, Snapshot};
use scalesim::time::SECOND;
use scalesim::{DesignDoc, Simulation};

/// users-1 → web-1 → cache-1, db-1.
fn design(users: &str, cache: &str, db: &str, faults: &str) -> DesignDoc {
    let json = format!(
        r#"{{"version": 1, "seed": 9,
          "nodes": [
            {{"id": "users-1", "kind": "users", "params": {{{users}}}}},
            {{"id": "web-1", "kind": "web_server", "params": {{"size": "4xlarge", "service_ms": 1}}}},
            {{"id": "cache-1", "kind": "cache", "params": {{{cache}}}}},
            {{"id": "db-1", "kind": "database", "params": {{"size": "4xlarge"{db}}}}}],
          "edges": [{{"from": "users-1", "to": "web-1"}}, {{"from": "web-1", "to": "cache-1"}},
                    {{"from": "web-1", "to": "db-1"}}],
          "faults": [{faults}]}}"#
    );
    DesignDoc::from_json(&json).unwrap_or_else(|e| panic!("{e}\n{json}"))
}

/// Runs `warmup` seconds, resets the figures, runs `measure` more.
fn measure(doc: &DesignDoc, warmup: u64, measure: u64) -> (Simulation, Snapshot) {
    let mut sim = Simulation::from_doc(doc).unwrap_or_else(|e| panic!("{e}"));
    sim.run_until(warmup * SECOND);
    sim.reset_measurements();
    sim.run_until((warmup + measure) * SECOND);
    let s = sim.snapshot();
    (sim, s)
}

fn cache_of(s: &Snapshot, id: &str) -> CacheFigures {
    s.nodes
        .iter()
        .find(|n| n.id == id)
        .and_then(|n| n.cache)
        .expect("a cache")
}

const READS: &str = r#""rate_rps": 400, "write_pct": 0, "static_pct": 0, "population": 100000"#;

#[test]
fn an_lru_cache_under_zipf_lands_on_ches_approximation() {
    // Tolerance 0.02 absolute: Che's approximation itself is within about
    // 0.01 for caches this size, and fills take a few milliseconds, during
    // which further requests for the record also miss.
    let probs = zipf_probabilities(10_000, 0.8);
    for capacity in [100, 500, 2_000] {
        let doc = design(
            &format!(r#"{READS}, "keys": 10000, "zipf_alpha": 0.8"#),
            &format!(r#""capacity": {capacity}, "ttl_s": 0"#),
            "",
            "",
        );
        let (_, s) = measure(&doc, 100, 500);
        let got = cache_of(&s, "cache-1").hit_rate;
        let che = che_lru_hit_rate(&probs, capacity);
        eprintln!("LRU C={capacity}: simulated {got:.4}, Che {che:.4}");
        assert!(
            (got - che).abs() < 0.02,
            "C={capacity}: {got:.4} vs Che {che:.4}"
        );
        assert!((s.data.cache_hit_rate - got).abs() < 1e-12);
    }
}

#[test]
fn the_hit_rate_rises_with_capacity_and_skew_and_falls_with_shorter_ttl() {
    let hit = |keys: &str, cache: &str| {
        let doc = design(&format!("{READS}, {keys}"), cache, "", "");
        cache_of(&measure(&doc, 60, 120).1, "cache-1").hit_rate
    };
    let base = hit(r#""zipf_alpha": 0.8"#, r#""capacity": 1000, "ttl_s": 0"#);
    let bigger = hit(r#""zipf_alpha": 0.8"#, r#""capacity": 5000, "ttl_s": 0"#);
    let skewed = hit(r#""zipf_alpha": 1.2"#, r#""capacity": 1000, "ttl_s": 0"#);
    let short = hit(r#""zipf_alpha": 0.8"#, r#""capacity": 1000, "ttl_s": 2"#);
    let uniform = hit(
        r#""key_dist": "uniform""#,
        r#""capacity": 1000, "ttl_s": 0"#,
    );
    assert!(bigger > base + 0.05, "{bigger} vs {base}");
    assert!(skewed > base + 0.1, "{skewed} vs {base}");
    assert!(short < base - 0.05, "{short} vs {base}");
    // Uniform over 100 000 records: C/N = 1 %.
    assert!((uniform - 0.01).abs() < 0.005, "{uniform}");
}

#[test]
fn a_ttl_cache_matches_the_ttl_formula() {
    // Capacity large enough never to evict: only the TTL bounds it. A
    // record fetched stays ttl seconds, so its hit rate is λ·ttl/(1+λ·ttl).
    let doc = design(
        &format!(r#"{READS}, "keys": 5000, "zipf_alpha": 0.8"#),
        r#""capacity": 100000, "ttl_s": 1"#,
        "",
        "",
    );
    let (_, s) = measure(&doc, 20, 300);
    let got = cache_of(&s, "cache-1").hit_rate;
    let theory = ttl_hit_rate(&zipf_probabilities(5_000, 0.8), 400.0, 1.0);
    eprintln!("TTL 1 s: simulated {got:.4}, formula {theory:.4}");
    assert!((got - theory).abs() < 0.02, "{got:.4} vs {theory:.4}");
    assert!(cache_of(&s, "cache-1").expirations > 1_000);
}

#[test]
fn the_cache_starts_cold_and_warms_up() {
    let doc = design(
        &format!(r#"{READS}, "zipf_alpha": 1.0"#),
        r#""capacity": 5000"#,
        "",
        "",
    );
    let mut sim = Simulation::from_doc(&doc).unwrap();
    sim.run_until(60 * SECOND);
    let series = sim.series();
    let first = series[0].cache_hit_rate;
    let later = series[50..60].iter().map(|p| p.cache_hit_rate).sum::<f64>() / 10.0;
    assert!(first < later - 0.1, "{first} then {later}");
}

#[test]
fn a_hot_record_expiring_under_load_stampedes_and_coalescing_stops_it() {
    // Half the traffic reads one record; it expires every 5 s and takes a
    // 100 ms query to rebuild: about 200 req/s × 0.1 s = 20 readers miss at
    // once each time, unless the first one's fill is awaited.
    let users = r#""rate_rps": 400, "write_pct": 0, "static_pct": 0, "key_dist": "hot_set",
                   "keys": 100000, "hot_keys_pct": 0.001, "hot_traffic_pct": 50"#;
    let db = r#", "service_ms": 100, "service_dist": "constant""#;
    let plain = design(users, r#""ttl_s": 5"#, db, "");
    let fixed = design(users, r#""ttl_s": 5, "coalesce": "on""#, db, "");
    let (_, a) = measure(&plain, 20, 100);
    let (_, b) = measure(&fixed, 20, 100);
    let (ca, cb) = (cache_of(&a, "cache-1"), cache_of(&b, "cache-1"));
    // 20 expiries × ~19 extra misses.
    assert!(ca.duplicate_misses > 250, "{ca:?}");
    assert_eq!(cb.duplicate_misses, 0, "{cb:?}");
    assert!(cb.coalesced > 250, "{cb:?}");
    let db_reads = |s: &Snapshot| s.nodes.iter().find(|n| n.id == "db-1").unwrap().served;
    assert!(
        db_reads(&b) + 250 < db_reads(&a),
        "{} vs {}",
        db_reads(&b),
        db_reads(&a)
    );
    assert_eq!(a.errors.total() + b.errors.total(), 0);
}

#[test]
fn writes_leave_stale_copies_unless_the_cache_is_told() {
    // 20 % writes to a small, hot key space; reads come from the cache.
    let users =
        r#""rate_rps": 400, "write_pct": 20, "static_pct": 0, "keys": 1000, "zipf_alpha": 1.0"#;
    let stale = |policy: &str| {
        let doc = design(
            users,
            &format!(r#""ttl_s": 60, "write_policy": "{policy}""#),
            "",
            "",
        );
        measure(&doc, 20, 60).1.data
    };
    let (none, invalidate, through) = (stale("none"), stale("invalidate"), stale("write_through"));
    // Without being told, the cache serves old versions until they expire.
    assert!(none.stale_reads * 5 > none.reads, "{none:?}");
    assert!(none.reliability < 0.85, "{none:?}");
    // Told, only races remain: a fill that read before a write and lands
    // after its delete, or a read in the moment between commit and update.
    assert!(
        invalidate.stale_reads * 50 < none.stale_reads,
        "{invalidate:?}"
    );
    assert!(through.stale_reads * 50 < none.stale_reads, "{through:?}");
}

#[test]
fn a_dead_cache_sends_every_read_to_the_database_and_comes_back_cold() {
    let doc = design(
        &format!(r#"{READS}, "zipf_alpha": 1.0"#),
        r#""capacity": 20000"#,
        "",
        r#"{"at_s": 60, "action": "kill", "target": "cache-1"},
           {"at_s": 90, "action": "restart", "target": "cache-1"}"#,
    );
    let mut sim = Simulation::from_doc(&doc).unwrap();
    let db_served = |sim: &Simulation| {
        sim.snapshot()
            .nodes
            .iter()
            .find(|n| n.id == "db-1")
            .unwrap()
            .served
    };
    sim.run_until(50 * SECOND);
    let a = db_served(&sim);
    sim.run_until(60 * SECOND);
    let warm = db_served(&sim) - a; // 50..60 s with the cache
    sim.run_until(70 * SECOND);
    let b = db_served(&sim);
    sim.run_until(80 * SECOND);
    let dead = db_served(&sim) - b; // 70..80 s without it
    assert!(
        dead > 2 * warm,
        "db reads: {warm} warm, {dead} with the cache dead"
    );
    assert!((dead as f64 - 4_000.0).abs() < 250.0, "every read: {dead}");
    // Nothing failed: the cache is an optimisation, not a dependency.
    let s = sim.snapshot();
    assert!(s.errors.total() < 5, "{:?}", s.errors);
    sim.run_until(150 * SECOND);
    let series = sim.series();
    assert!(series[91].cache_hit_rate < series[140].cache_hit_rate - 0.1);
}

/// users-1 → cdn-1 (static) and → web-1 (pages); cdn-1 → web-1.
fn cdn_design(cdn: &str, faults: &str) -> DesignDoc {
    let json = format!(
        r#"{{"version": 1, "seed": 4,
          "nodes": [
            {{"id": "users-1", "kind": "users", "params": {{"rate_rps": 500, "write_pct": 0,
               "static_pct": 60, "keys": 2000, "zipf_alpha": 1.0}}}},
            {{"id": "cdn-1", "kind": "cdn", "params": {{{cdn}}}}},
            {{"id": "web-1", "kind": "web_server", "params": {{"size": "4xlarge"}}}}],
          "edges": [{{"from": "users-1", "to": "cdn-1"}}, {{"from": "users-1", "to": "web-1"}},
                    {{"from": "cdn-1", "to": "web-1"}}],
          "faults": [{faults}]}}"#
    );
    DesignDoc::from_json(&json).unwrap_or_else(|e| panic!("{e}\n{json}"))
}

#[test]
fn a_cdn_serves_static_files_from_its_edges_and_bills_the_traffic() {
    let (sim, s) = measure(&cdn_design(r#""ttl_s": 0"#, ""), 30, 60);
    let cdn = cache_of(&s, "cdn-1");
    // All 2 000 files fit and never expire, so the only misses are first
    // requests. File i (probability p_i, requested at a_i = 300·p_i per s)
    // is still unseen at time t with probability e^(−a_i·t); over the
    // measured 30..90 s that makes Σ (e^(−30·a_i) − e^(−90·a_i)) misses
    // out of 300 × 60 requests.
    let misses: f64 = zipf_probabilities(2_000, 1.0)
        .iter()
        .map(|p| {
            let a = 300.0 * p;
            (-30.0 * a).exp() - (-90.0 * a).exp()
        })
        .sum();
    let expected = 1.0 - misses / (300.0 * 60.0);
    assert!(
        (cdn.hit_rate - expected).abs() < 0.005,
        "{cdn:?} vs {expected}"
    );
    assert!((s.data.cdn_hit_rate - cdn.hit_rate).abs() < 1e-12);
    // The origin sees pages and the few misses only: 200 req/s + misses.
    let web = s.nodes.iter().find(|n| n.id == "web-1").unwrap();
    assert!(
        (web.served as f64 / 60.0 - 200.0).abs() < 10.0,
        "{}",
        web.served
    );
    // 300 files/s × 200 KB × 0.085 USD/GB over a month of 2 628 000 s.
    let node = s.nodes.iter().find(|n| n.id == "cdn-1").unwrap();
    let expected = 300.0 * 200e3 / 1e9 * 0.085 * 2_628_000.0;
    assert!(
        (node.cost_per_month - expected).abs() / expected < 0.05,
        "{} vs {expected}",
        node.cost_per_month
    );
    let _ = sim;
}

#[test]
fn a_cdn_edge_is_closer_than_the_site_and_a_purge_empties_it() {
    let doc = cdn_design(
        r#""ttl_s": 0"#,
        r#"{"at_s": 40, "action": "purge", "target": "cdn-1"}"#,
    );
    let mut sim = Simulation::from_doc(&doc).unwrap();
    sim.run_until(39 * SECOND);
    let before = cache_of(&sim.snapshot(), "cdn-1");
    sim.run_until(41 * SECOND);
    let after = cache_of(&sim.snapshot(), "cdn-1");
    assert!(after.held < before.held / 2, "{before:?} → {after:?}");
    assert!(
        sim.log().any(|e| e.event == LogEvent::Purged),
        "the purge is logged"
    );
    // Static files from the edge take 2 × 5 ms; pages 2 × 25 ms + work.
    let static_only = Simulation::from_doc(&DesignDoc::from_json(
        r#"{"version": 1, "nodes": [
            {"id": "users-1", "kind": "users", "params": {"rate_rps": 100, "static_pct": 100, "write_pct": 0, "keys": 10}},
            {"id": "cdn-1", "kind": "cdn"}, {"id": "web-1", "kind": "web_server"}],
          "edges": [{"from": "users-1", "to": "cdn-1"}, {"from": "cdn-1", "to": "web-1"}]}"#,
    ).unwrap());
    let mut sim = static_only.unwrap();
    sim.run_until(30 * SECOND);
    let p50 = sim.snapshot().latency_ms.p50;
    assert!((p50 - 10.0).abs() < 0.5, "{p50}");
}

#[test]
fn users_connected_only_to_a_cdn_are_told_where_pages_go() {
    let doc = DesignDoc::from_json(
        r#"{"version": 1, "nodes": [
            {"id": "users-1", "kind": "users"}, {"id": "cdn-1", "kind": "cdn"},
            {"id": "web-1", "kind": "web_server"}],
          "edges": [{"from": "users-1", "to": "cdn-1"}, {"from": "cdn-1", "to": "web-1"}]}"#,
    )
    .unwrap();
    let problems = doc.validate().unwrap_err();
    assert!(
        problems
            .0
            .iter()
            .any(|p| p.kind == scalesim::ProblemKind::OnlyCdn && p.location == "users-1"),
        "{problems}"
    );
}
