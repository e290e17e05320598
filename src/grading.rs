//! Grading a lesson off the page's main thread.
//!
//! ```text
//!   lesson panel ── Request (lesson JSON, design JSON) ──▶ grade worker
//!                ◀── Progress(share) … Done(grade) ────────  (src/bin/grade_worker.rs)
//! ```
//!
//! *Check* runs the lesson's grader: a simulation of the learner's design
//! for the lesson's length, which takes seconds. A Web Worker
//! (`grade_worker`, built by Trunk next to the app and loaded only when a
//! design is first checked) runs it on another thread and reports progress
//! a few times a second; the page stays free to draw and take input.
//! Where workers are unavailable, or the worker cannot start, the page
//! grades in slices between frames instead ([`Local`]). Both run the same
//! grader on the same design, so they give the same grade.

use scalesim::design::DesignDoc;
use scalesim::lesson::{Grade, Grader, Lesson, LessonError};
use serde::{Deserialize, Serialize};

/// Events simulated between two looks at the clock [events].
pub const SLICE_EVENTS: u64 = 20_000;

/// Least time between two progress reports from the worker [ms].
pub const PROGRESS_MS: f64 = 100.0;

/// Wall-clock time one slice of grading in the page may take before the
/// page gets a turn to draw the progress bar [ms].
pub const SLICE_MS: f64 = 30.0;

/// The worker's script, relative to the page: it loads the `grade_worker`
/// binary Trunk builds, and reports a load that fails
/// (`www/grade-worker-loader.js`).
pub const WORKER_SCRIPT: &str = "./grade-worker-loader.js";

/// How long a worker may take to say it is ready before the page grades
/// by itself [ms]: a backstop for a worker that hangs while loading.
pub const READY_WITHIN_MS: u32 = 20_000;

/// What the page asks the worker: grade this design for this lesson.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Request {
    /// The lesson's slug.
    pub slug: String,
    /// The lesson file (JSON).
    pub lesson: String,
    /// The learner's design (JSON).
    pub design: String,
}

/// What the worker answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Reply {
    /// The worker has started and listens: the request can be sent. (A
    /// message sent before would be lost while its wasm loads.)
    Ready,
    /// The share of the lesson simulated so far, 0..=1.
    Progress(f64),
    /// The grade.
    Done(Grade),
    /// The request could not be graded: why (the page then grades itself,
    /// and shows the problems of the design if that is the reason).
    Failed(String),
}

/// Grades a request to the end, calling `progress` after every slice: the
/// worker's whole job.
pub fn run(req: &Request, mut progress: impl FnMut(f64)) -> Reply {
    let lesson = match Lesson::from_json(&req.slug, &req.lesson) {
        Ok(l) => l,
        Err(e) => return Reply::Failed(format!("lesson {}: {e:?}", req.slug)),
    };
    let doc = match DesignDoc::from_json(&req.design) {
        Ok(d) => d,
        Err(e) => return Reply::Failed(format!("design: {e}")),
    };
    let mut grader = match Grader::new(&lesson, &doc) {
        Ok(g) => g,
        Err(LessonError::Design(p)) => return Reply::Failed(format!("{} problems", p.len())),
        Err(e) => return Reply::Failed(format!("{e:?}")),
    };
    while !grader.advance(SLICE_EVENTS) {
        progress(grader.progress());
    }
    Reply::Done(grader.grade())
}

/// Grading in the page: a grader advanced in slices of at most
/// [`SLICE_MS`] between frames.
pub struct Local {
    grader: Grader,
}

impl Local {
    /// A grader for `doc` in `lesson`, or why the design cannot be graded.
    pub fn new(lesson: &Lesson, doc: &DesignDoc) -> Result<Local, LessonError> {
        Grader::new(lesson, doc).map(|grader| Local { grader })
    }

    /// Runs one slice, looking at `clock` [ms] between chunks; the grade
    /// once done, else the share simulated.
    pub fn slice(&mut self, clock: &dyn Fn() -> f64) -> Result<Grade, f64> {
        let start = clock();
        loop {
            if self.grader.advance(SLICE_EVENTS) {
                return Ok(self.grader.grade());
            }
            if clock() - start >= SLICE_MS {
                return Err(self.grader.progress());
            }
        }
    }
}

#[cfg(target_arch = "wasm32")]
pub use web::{Job, worker_main};

#[cfg(target_arch = "wasm32")]
mod web {
    use super::{PROGRESS_MS, READY_WITHIN_MS, Reply, Request, WORKER_SCRIPT, run};
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    use web_sys::{DedicatedWorkerGlobalScope, Event, MessageEvent, Worker};

    /// The grade worker's entry point: answers each request it is sent.
    pub fn worker_main() {
        let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
        let post_to = scope.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            let post = |reply: &Reply| {
                let v = serde_wasm_bindgen::to_value(reply).or_else(|e| {
                    serde_wasm_bindgen::to_value(&Reply::Failed(format!("unsendable reply: {e}")))
                });
                if let Ok(v) = v {
                    let _ = post_to.post_message(&v);
                }
            };
            let reply = match serde_wasm_bindgen::from_value::<Request>(e.data()) {
                Ok(req) => {
                    let mut last = js_sys::Date::now();
                    run(&req, |share| {
                        let now = js_sys::Date::now();
                        if now - last >= PROGRESS_MS {
                            last = now;
                            post(&Reply::Progress(share));
                        }
                    })
                }
                Err(e) => Reply::Failed(format!("unreadable request: {e}")),
            };
            post(&reply);
        });
        scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        if let Ok(ready) = serde_wasm_bindgen::to_value(&Reply::Ready) {
            let _ = scope.post_message(&ready);
        }
    }

    /// A grading under way in a worker; dropping it stops the worker.
    pub struct Job {
        worker: Worker,
        _on_message: Closure<dyn FnMut(MessageEvent)>,
        _on_error: Closure<dyn FnMut(Event)>,
        _watchdog: gloo::timers::callback::Timeout,
    }

    impl Job {
        /// Starts grading `req` in a new worker. `on_reply` receives its
        /// progress and its answer, or [`Reply::Failed`] if the worker
        /// cannot run (its files missing, its wasm failing to load, a
        /// crash, or no word from it within [`READY_WITHIN_MS`]), so the
        /// caller can grade in the page instead. `None` when workers are
        /// unavailable here.
        pub fn start(req: &Request, on_reply: impl Fn(Reply) + 'static) -> Option<Job> {
            let worker = Worker::new(WORKER_SCRIPT).ok()?;
            let msg = serde_wasm_bindgen::to_value(req).ok()?;
            let on_reply = std::rc::Rc::new(on_reply);
            let heard = std::rc::Rc::new(std::cell::Cell::new(false));
            let on_message = {
                let (to_worker, on_reply, heard) =
                    (worker.clone(), on_reply.clone(), heard.clone());
                Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
                    heard.set(true);
                    match serde_wasm_bindgen::from_value::<Reply>(e.data()) {
                        Ok(Reply::Ready) => {
                            if to_worker.post_message(&msg).is_err() {
                                on_reply(Reply::Failed("the request could not be sent".into()));
                            }
                        }
                        Ok(reply) => on_reply(reply),
                        Err(e) => on_reply(Reply::Failed(format!("unreadable reply: {e}"))),
                    }
                })
            };
            let on_error = {
                let on_reply = on_reply.clone();
                // A plain `Event` when the script cannot load, an
                // `ErrorEvent` when it throws.
                Closure::<dyn FnMut(Event)>::new(move |e: Event| {
                    e.prevent_default();
                    on_reply(Reply::Failed("the worker failed to load or crashed".into()));
                })
            };
            let watchdog = gloo::timers::callback::Timeout::new(READY_WITHIN_MS, move || {
                if !heard.get() {
                    on_reply(Reply::Failed("the worker did not start".into()));
                }
            });
            worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
            Some(Job {
                worker,
                _on_message: on_message,
                _on_error: on_error,
                _watchdog: watchdog,
            })
        }
    }

    impl Drop for Job {
        fn drop(&mut self) {
            self.worker.set_onmessage(None);
            self.worker.set_onerror(None);
            self.worker.terminate();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::course;

    fn request(slug: &str, design: &DesignDoc) -> Request {
        let file = course::FILES.iter().find(|f| f.slug == slug).unwrap();
        Request {
            slug: slug.to_string(),
            lesson: file.json.to_string(),
            design: design.to_json(),
        }
    }

    #[test]
    fn the_worker_grades_exactly_as_the_page_does() {
        let lesson = course::find("01-one-server-dns").unwrap();
        let req = request(&lesson.slug, &lesson.design);
        let mut shares = Vec::new();
        let Reply::Done(worker) = run(&req, |p| shares.push(p)) else {
            panic!("not graded");
        };
        assert!(!shares.is_empty(), "progress is reported");
        assert!(
            shares.windows(2).all(|w| w[0] <= w[1])
                && shares.iter().all(|p| (0.0..=1.0).contains(p))
        );
        // In the page, with a clock that runs out after every chunk.
        let mut local = Local::new(lesson, &lesson.design).unwrap();
        let t = std::cell::Cell::new(0.0);
        let clock = || {
            t.set(t.get() + SLICE_MS);
            t.get()
        };
        let mut slices = 0;
        let page = loop {
            slices += 1;
            match local.slice(&clock) {
                Ok(g) => break g,
                Err(share) => assert!((0.0..=1.0).contains(&share)),
            }
        };
        assert!(slices > 1, "graded in slices");
        assert_eq!(worker, page);
        assert!(worker.events > 0);
        // The reply crosses to the page and back unchanged.
        let json = serde_json::to_string(&Reply::Done(worker.clone())).unwrap();
        assert_eq!(
            serde_json::from_str::<Reply>(&json).unwrap(),
            Reply::Done(worker)
        );
    }

    #[test]
    fn a_request_that_cannot_be_graded_says_why() {
        let lesson = course::find("01-one-server-dns").unwrap();
        let mut req = request(&lesson.slug, &lesson.design);
        req.design = "{ not json".to_string();
        assert!(matches!(run(&req, |_| {}), Reply::Failed(m) if m.starts_with("design")));
        let mut req = request(&lesson.slug, &lesson.design);
        req.lesson = "{}".to_string();
        assert!(matches!(run(&req, |_| {}), Reply::Failed(m) if m.starts_with("lesson")));
        let mut req = request(&lesson.slug, &lesson.design);
        req.design = DesignDoc::default().to_json();
        assert!(matches!(run(&req, |_| {}), Reply::Failed(_)));
    }
}
