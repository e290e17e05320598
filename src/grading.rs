//! Grading a lesson off the page's main thread.
//!
//! ```text
//!   lesson panel ── Request (lesson JSON, design JSON) ──▶ grade worker
//!                ◀── Progress(share) … Done(grade) ────────  (src/bin/engine.rs)
//! ```
//!
//! *Check* runs the lesson's grader: a simulation of the learner's design
//! for the lesson's length, which takes seconds. A Web Worker
//! (the engine's wasm, `src/bin/engine.rs`, built by Trunk next to the
//! app and loaded only when a design is first checked) runs it on another thread and reports progress
//! a few times a second; the page stays free to draw and take input.
//! Where workers are unavailable, or the worker cannot start, the page
//! loads the same engine itself (`crate::engine`) and grades in slices
//! between frames ([`Local`], behind the engine's `PageGrader`). Both run
//! the same grader on the same design, so they give the same grade.

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

/// The worker's script, relative to the page: it loads the engine's wasm
/// and starts its grading side, and reports a load that fails
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

/// A grader for a request, or why it cannot grade.
fn grader_for(req: &Request) -> Result<Grader, String> {
    let lesson = Lesson::from_json(&req.slug, &req.lesson)
        .map_err(|e| format!("lesson {}: {e:?}", req.slug))?;
    let doc = DesignDoc::from_json(&req.design).map_err(|e| format!("design: {e}"))?;
    Grader::new(&lesson, &doc).map_err(|e| match e {
        LessonError::Design(p) => format!("{} problems", p.len()),
        e => format!("{e:?}"),
    })
}

/// Grades a request to the end, calling `progress` after every slice: the
/// worker's whole job.
pub fn run(req: &Request, mut progress: impl FnMut(f64)) -> Reply {
    let mut grader = match grader_for(req) {
        Ok(g) => g,
        Err(why) => return Reply::Failed(why),
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

    /// A grader for a request (as a worker is sent it), or why it cannot
    /// grade.
    pub fn from_request(req: &Request) -> Result<Local, String> {
        grader_for(req).map(|grader| Local { grader })
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
pub use web::{Job, to_js, worker_main};

#[cfg(target_arch = "wasm32")]
mod web {
    use super::{PROGRESS_MS, READY_WITHIN_MS, Reply, Request, WORKER_SCRIPT, run};
    use gloo::timers::callback::Timeout;
    use std::cell::RefCell;
    use std::rc::{Rc, Weak};
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::{JsCast, JsValue};
    use web_sys::{DedicatedWorkerGlobalScope, Event, MessageEvent, Worker};

    /// A reply as it crosses to the page (serde-wasm-bindgen, so NaN and
    /// ∞ cross intact).
    pub fn to_js(reply: &Reply) -> JsValue {
        serde_wasm_bindgen::to_value(reply)
            .or_else(|e| {
                serde_wasm_bindgen::to_value(&Reply::Failed(format!("unsendable reply: {e}")))
            })
            .unwrap_or(JsValue::UNDEFINED)
    }

    /// The grade worker's entry point: answers each request it is sent.
    pub fn worker_main() {
        let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
        let post_to = scope.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            let post = |reply: &Reply| {
                let _ = post_to.post_message(&to_js(reply));
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
        let _ = scope.post_message(&to_js(&Reply::Ready));
    }

    type OnReply = Rc<dyn Fn(Reply, bool)>;

    /// A grade worker and the page's handlers on it.
    struct InWorker {
        worker: Worker,
        _on_message: Closure<dyn FnMut(MessageEvent)>,
        _on_error: Closure<dyn FnMut(Event)>,
        _watchdog: Timeout,
    }

    impl Drop for InWorker {
        fn drop(&mut self) {
            self.worker.set_onmessage(None);
            self.worker.set_onerror(None);
            self.worker.terminate();
        }
    }

    #[derive(Default)]
    struct State {
        worker: Option<InWorker>,
        /// A worker given up on, kept until its handler has returned.
        retired: Option<InWorker>,
        /// The next slice of grading in the page.
        timer: Option<Timeout>,
    }

    /// A check under way: in a grade worker, or, where workers are
    /// unavailable or the worker fails, with the engine loaded into the
    /// page, in slices between frames. Dropping it stops it.
    pub struct Job {
        _state: Rc<RefCell<State>>,
    }

    impl Job {
        /// Starts grading `req`. `on_reply` receives its progress and its
        /// answer, with whether a worker graded it; [`Reply::Failed`] only
        /// when it could be graded nowhere (the engine could not load).
        pub fn start(req: &Request, on_reply: impl Fn(Reply, bool) + 'static) -> Job {
            let state = Rc::new(RefCell::new(State::default()));
            let on_reply: OnReply = Rc::new(on_reply);
            let msg = match serde_wasm_bindgen::to_value(req) {
                Ok(m) => m,
                Err(e) => {
                    on_reply(
                        Reply::Failed(format!("the request could not be sent: {e}")),
                        false,
                    );
                    return Job { _state: state };
                }
            };
            let worker = InWorker::start(&msg, Rc::downgrade(&state), on_reply.clone());
            match worker {
                Some(w) => state.borrow_mut().worker = Some(w),
                None => in_page(Rc::downgrade(&state), msg, on_reply),
            }
            Job { _state: state }
        }
    }

    /// Grades in the page: loads the engine, then runs slices of at most
    /// [`super::SLICE_MS`] between frames.
    fn in_page(state: Weak<RefCell<State>>, msg: JsValue, on_reply: OnReply) {
        let first = Timeout::new(0, {
            let state = state.clone();
            move || {
                crate::engine::with_engine(move |exports| {
                    if state.upgrade().is_none() {
                        return;
                    }
                    match exports.and_then(|e| crate::engine::new_grader(&e, &msg)) {
                        Ok(grader) => slice(state, grader, on_reply),
                        Err(why) => on_reply(Reply::Failed(why), false),
                    }
                })
            }
        });
        if let Some(s) = state.upgrade() {
            s.borrow_mut().timer = Some(first);
        }
    }

    fn slice(state: Weak<RefCell<State>>, grader: JsValue, on_reply: OnReply) {
        let Some(s) = state.upgrade() else {
            return;
        };
        let reply = crate::engine::call(&grader, "slice", None).and_then(|v| {
            serde_wasm_bindgen::from_value::<Reply>(v).map_err(|e| format!("unreadable reply: {e}"))
        });
        match reply {
            Ok(Reply::Progress(p)) => {
                let next = Timeout::new(0, {
                    let (state, on_reply) = (state.clone(), on_reply.clone());
                    move || slice(state, grader, on_reply)
                });
                s.borrow_mut().timer = Some(next);
                on_reply(Reply::Progress(p), false);
            }
            Ok(Reply::Ready) => {}
            Ok(reply) => on_reply(reply, false),
            Err(why) => on_reply(Reply::Failed(why), false),
        }
    }

    impl InWorker {
        /// Starts grading `msg` in a new worker; `None` when workers are
        /// unavailable here. If the worker cannot run (its files missing,
        /// its wasm failing to load, a crash, or no word from it within
        /// [`READY_WITHIN_MS`]), the page grades instead.
        fn start(
            msg: &JsValue,
            state: Weak<RefCell<State>>,
            on_reply: OnReply,
        ) -> Option<InWorker> {
            let worker = Worker::new(&crate::engine::url(WORKER_SCRIPT)).ok()?;
            let heard = Rc::new(std::cell::Cell::new(false));
            let give_up = {
                let (state, msg, on_reply) = (state.clone(), msg.clone(), on_reply.clone());
                move |why: &str| {
                    let Some(s) = state.upgrade() else {
                        return;
                    };
                    let Some(w) = s.borrow_mut().worker.take() else {
                        return;
                    };
                    gloo::console::warn!(format!(
                        "the grade worker failed ({why}); the page grades"
                    ));
                    w.worker.terminate();
                    s.borrow_mut().retired = Some(w);
                    in_page(state.clone(), msg.clone(), on_reply.clone());
                }
            };
            let on_message = {
                let (to_worker, msg, heard) = (worker.clone(), msg.clone(), heard.clone());
                let (on_reply, give_up) = (on_reply.clone(), give_up.clone());
                Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
                    heard.set(true);
                    match serde_wasm_bindgen::from_value::<Reply>(e.data()) {
                        Ok(Reply::Ready) => {
                            if to_worker.post_message(&msg).is_err() {
                                give_up("the request could not be sent");
                            }
                        }
                        Ok(Reply::Failed(why)) => give_up(&why),
                        Ok(reply) => on_reply(reply, true),
                        Err(e) => give_up(&format!("unreadable reply: {e}")),
                    }
                })
            };
            let on_error = {
                let give_up = give_up.clone();
                // A plain `Event` when the script cannot load, an
                // `ErrorEvent` when it throws.
                Closure::<dyn FnMut(Event)>::new(move |e: Event| {
                    e.prevent_default();
                    give_up("the worker failed to load or crashed");
                })
            };
            let watchdog = Timeout::new(READY_WITHIN_MS, move || {
                if !heard.get() {
                    give_up("the worker did not start");
                }
            });
            worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
            Some(InWorker {
                worker,
                _on_message: on_message,
                _on_error: on_error,
                _watchdog: watchdog,
            })
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
