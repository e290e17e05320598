//! `cargo xtask bench frames`: frame times of the built site in headless
//! Chromium with 5,000 dots on the canvas (tests/e2e/bench-frames.mjs).

use crate::util::{Result, command, heading, root, run};
use crate::{dist, tools};

/// Port of the static server the benchmark starts (the end-to-end tests use
/// 8093, the dev server 8080).
const PORT: &str = "8094";
/// Seconds measured per case.
const SECONDS: &str = "10";

/// Builds dist/, then times every animation frame of the "Little's law"
/// example at 1× and 10× and prints percentiles.
pub fn bench() -> Result {
    heading("tools");
    tools::ensure_site_tools()?;
    dist::build()?;
    tools::ensure_chromium()?;
    tools::ensure_playwright()?;
    heading("frame times (headless Chromium)");
    let dir = root().join("tests").join("e2e");
    run(command("node")
        .args(["bench-frames.mjs", PORT, SECONDS])
        .current_dir(&dir))?;
    println!("record these in docs/performance.md");
    Ok(())
}
