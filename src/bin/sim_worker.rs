//! The simulation worker: a Web Worker that runs the simulation off the
//! page's main thread (see `scale_lab::live` and
//! `scale_lab::driver::host`). Built by Trunk next to the app
//! (`data-type="worker"` in index.html) and started by the page.

#[cfg(target_arch = "wasm32")]
fn main() {
    scale_lab::live::worker_main();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("sim_worker runs in the browser, as a Web Worker started by the app");
    std::process::exit(2);
}
