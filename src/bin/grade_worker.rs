//! The grade worker: a Web Worker that grades lesson designs off the page's
//! main thread (see `scale_lab::grading`). Built by Trunk next to the app
//! (`data-type="worker"` in index.html) and started by the lesson panel.

#[cfg(target_arch = "wasm32")]
fn main() {
    scale_lab::grading::worker_main();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("grade_worker runs in the browser, as a Web Worker started by the app");
    std::process::exit(2);
}
