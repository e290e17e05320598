//! `cargo xtask bench frames`: frame times of the built site in headless
//! Chromium with 10,000 and 20,000 dots on the canvas
//! (tests/e2e/bench-frames.mjs); and
//! `cargo xtask bench editing`: frame times while a component is dragged in
//! designs of growing size (tests/e2e/bench-editing.mjs); and
//! `cargo xtask bench latency`: a first visit's time to interactive, and
//! input latency while dragging as the simulation runs
//! (tests/e2e/bench-latency.mjs).

use crate::util::{Result, command, heading, root, run};
use crate::{dist, tools};

/// Port of the static server the benchmark starts (the end-to-end tests use
/// 8093, the dev server 8080).
const PORT: &str = "8094";
/// Seconds measured per case.
const SECONDS: &str = "10";

/// Port of the editing benchmark's static server.
const EDITING_PORT: &str = "8095";
/// Seconds a component is dragged per case.
const EDITING_SECONDS: &str = "4";

/// Builds dist/, then times every animation frame of the "Little's law"
/// example at 1× and 10× and prints percentiles.
pub fn bench() -> Result {
    prepare()?;
    heading("frame times (headless Chromium)");
    node(&["bench-frames.mjs", PORT, SECONDS])
}

/// Builds dist/, then drags a component in designs of 100 to 10,000
/// components, paused and running, and prints frame-interval percentiles
/// and the largest design kept at 30 frames per second.
pub fn editing() -> Result {
    prepare()?;
    heading("frame times while editing (headless Chromium)");
    node(&["bench-editing.mjs", EDITING_PORT, EDITING_SECONDS])
}

/// Port of the load and latency benchmark's static server.
const LATENCY_PORT: &str = "8096";
/// Seconds a component is dragged per case.
const LATENCY_SECONDS: &str = "5";

/// Builds dist/, then times a first visit (empty profile, gzip) on
/// loopback and two emulated networks, and the latency of pointer input
/// while the chapter-1 example runs paused, at 1× and at max.
pub fn latency() -> Result {
    prepare()?;
    heading("first visit and input latency (headless Chromium)");
    node(&["bench-latency.mjs", LATENCY_PORT, LATENCY_SECONDS])
}

fn prepare() -> Result {
    heading("tools");
    tools::ensure_site_tools()?;
    dist::build()?;
    tools::ensure_chromium()?;
    tools::ensure_playwright()
}

fn node(args: &[&str]) -> Result {
    let dir = root().join("tests").join("e2e");
    run(command("node").args(args).current_dir(&dir))?;
    println!("record these in docs/performance.md");
    Ok(())
}
