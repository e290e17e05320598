//! The simulation engine's wasm: everything that simulates, kept out of the
//! app's wasm so the first load stays small. Built by Trunk next to the app
//! (`data-type="worker"` in index.html) and loaded only when something is
//! first run or checked:
//!
//! ```text
//!   sim-worker-loader.js   ─▶ engine.js + engine_bg.wasm ─▶ sim_worker_main()
//!   grade-worker-loader.js ─▶ engine.js + engine_bg.wasm ─▶ grade_worker_main()
//!   the page (no workers)  ─▶ engine.js + engine_bg.wasm ─▶ new PageHost() / new PageGrader(request)
//! ```
//!
//! In a worker it answers the simulation's or the grader's protocol
//! (`scale_lab::live`, `scale_lab::grading`); in the page
//! (`scale_lab::engine`), the same host and grader run behind the two
//! classes exported here and answer with the same messages.

#[cfg(target_arch = "wasm32")]
mod exports {
    use scale_lab::driver::host::Host;
    use scale_lab::grading::{self, Local, Reply, Request};
    use wasm_bindgen::prelude::*;

    /// Starts answering the simulation's protocol (`scale_lab::live`): the
    /// worker started by `sim-worker-loader.js`.
    #[wasm_bindgen]
    pub fn sim_worker_main() {
        scale_lab::live::worker_main();
    }

    /// Starts answering the grading protocol (`scale_lab::grading`): the
    /// worker started by `grade-worker-loader.js`.
    #[wasm_bindgen]
    pub fn grade_worker_main() {
        grading::worker_main();
    }

    /// The simulation's host, run in the page where workers are
    /// unavailable: it answers each command with what a worker would post.
    #[wasm_bindgen]
    pub struct PageHost(Host);

    #[wasm_bindgen]
    impl PageHost {
        /// A host with nothing built (it adapts its budget per frame, as
        /// the page's frames also draw).
        #[wasm_bindgen(constructor)]
        pub fn new() -> PageHost {
            PageHost(Host::default())
        }

        /// Answers one command (as the page serialized it): the update a
        /// worker would post, or `undefined`.
        pub fn handle(&mut self, cmd: JsValue) -> JsValue {
            scale_lab::live::answer(&mut self.0, cmd)
        }
    }

    impl Default for PageHost {
        fn default() -> Self {
            Self::new()
        }
    }

    /// A lesson check run in the page in slices of at most
    /// [`grading::SLICE_MS`], where workers are unavailable.
    #[wasm_bindgen]
    pub struct PageGrader(Result<Local, String>);

    #[wasm_bindgen]
    impl PageGrader {
        /// A grader for a request as the page serialized it; its first
        /// slice says why when it cannot grade.
        #[wasm_bindgen(constructor)]
        pub fn new(request: JsValue) -> PageGrader {
            let local = serde_wasm_bindgen::from_value::<Request>(request)
                .map_err(|e| format!("unreadable request: {e}"))
                .and_then(|r| Local::from_request(&r));
            PageGrader(local)
        }

        /// Grades for one slice: a `Reply` (progress, the grade, or why it
        /// failed), as the worker would post it.
        pub fn slice(&mut self) -> JsValue {
            let reply = match &mut self.0 {
                Err(why) => Reply::Failed(why.clone()),
                Ok(local) => match local.slice(&scale_lab::live::clock_ms) {
                    Ok(grade) => Reply::Done(grade),
                    Err(share) => Reply::Progress(share),
                },
            };
            grading::to_js(&reply)
        }
    }
}

fn main() {
    // Nothing starts by itself: the loader that instantiated the wasm calls
    // what it needs (see above).
}
