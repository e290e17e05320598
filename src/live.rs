//! The page's side of the simulation: what the canvas and the panels read
//! of the run, and the commands they give it.
//!
//! ```text
//!   app, canvas, charts ── Live::play / design_changed / frame(t) … ──┐
//!           ▲                                                         │ Command
//!           └── frame, figures, answers (Update) ── Host ◀────────────┘
//!                                                  (a Web Worker, or the page)
//! ```
//!
//! The simulation runs in a Web Worker (`src/bin/sim_worker.rs`): the
//! page's main thread only takes input and draws. [`Live`] sends it
//! [`Command`]s and keeps the latest [`Frame`] and [`Figures`] it answers
//! with, which is what everything on the page reads. Where workers are
//! unavailable, or the worker fails to start or crashes, the same
//! [`Host`] runs in the page instead; a run under way is carried over by
//! replaying it to where it was (the same design and seed give the same
//! run).
//!
//! Whether a command can run (a design with problems cannot) is decided
//! here, at once, from the design: the simulation's side would refuse the
//! same commands.

use crate::driver::host::{Answer, Command, Figures, Frame, Host, Update};
use crate::driver::{Chaos, DEFAULT_SPEED, NodeFault, Operation};
use crate::i18n::Lang;
use crate::panels::journey::JourneyView;
use crate::panels::log::LogRow;
use scalesim::design::{DesignDoc, Problems};
use scalesim::model::BreakerState;
use scalesim::model::SeriesPoint;
use scalesim::{Dot, Load, Snapshot};
use std::cell::RefCell;
use std::rc::Rc;

/// Where the simulation runs.
pub enum Backend {
    /// Nowhere yet: it starts (in a worker if `worker`) on the first
    /// command that needs a run, so its wasm is not part of the first load.
    Idle {
        /// Whether to start it in a Web Worker.
        worker: bool,
    },
    /// In the page, between frames.
    Page(Box<Host>),
    /// In a Web Worker.
    #[cfg(target_arch = "wasm32")]
    Worker(web::Remote),
}

type Reply = Box<dyn FnOnce(Option<JourneyView>)>;

/// What the page knows of the run, and where it runs.
pub struct Inner {
    backend: Backend,
    /// This, for a worker's handlers.
    me: std::rc::Weak<RefCell<Inner>>,
    /// A worker given up on, kept until its handlers can be dropped.
    #[cfg(target_arch = "wasm32")]
    retired: Option<web::Remote>,
    frame: Frame,
    snapshot: Option<Snapshot>,
    /// Whether `snapshot` covers the last seconds or the whole run.
    snapshot_recent: bool,
    series: Vec<SeriesPoint>,
    generation: Option<u32>,
    faults: Vec<f64>,
    log_entries: u32,
    log: Rc<Vec<LogRow>>,
    log_version: u32,
    failures: Vec<bool>,
    /// Figures arrived that the panels have not been handed yet.
    fresh: bool,
    speed: f64,
    recent: bool,
    lang: Option<Lang>,
    running: bool,
    exists: bool,
    built_seed: u64,
    doc: Option<Rc<DesignDoc>>,
    /// The last design sent that could run: what a replay rebuilds.
    valid_doc: Option<Rc<DesignDoc>>,
    /// Commands sent (other than ticks).
    sent: u32,
    /// Updates from before this many commands are dropped (they show a
    /// run that was thrown away).
    fence: u32,
    next_ask: u32,
    asks: Vec<(u32, Reply)>,
    answered: Vec<(Reply, Option<JourneyView>)>,
}

/// The run as the page sees it; cloned handles share it.
#[derive(Clone)]
pub struct Live(pub Rc<RefCell<Inner>>);

impl PartialEq for Live {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Live {
    /// The simulation in the page.
    pub fn in_page() -> Live {
        Live(Rc::new(RefCell::new(Inner::new(Backend::Page(
            Box::default(),
        )))))
    }

    /// The simulation in a Web Worker (or in the page where workers are
    /// unavailable), started when first needed.
    pub fn start() -> Live {
        let worker = cfg!(target_arch = "wasm32");
        let live = Live(Rc::new(RefCell::new(Inner::new(Backend::Idle { worker }))));
        live.0.borrow_mut().me = Rc::downgrade(&live.0);
        live
    }

    /// Where it runs: `"worker"`, `"page"`, or `"none"` before anything ran.
    pub fn runs_in(&self) -> &'static str {
        match self.0.borrow().backend {
            Backend::Idle { .. } => "none",
            Backend::Page(_) => "page",
            #[cfg(target_arch = "wasm32")]
            Backend::Worker(_) => "worker",
        }
    }

    /// Whether commands wait for the worker to start.
    pub fn starting(&self) -> bool {
        match &self.0.borrow().backend {
            Backend::Idle { .. } | Backend::Page(_) => false,
            #[cfg(target_arch = "wasm32")]
            Backend::Worker(r) => !r.ready(),
        }
    }

    fn with<R>(&self, f: impl FnOnce(&mut Inner) -> R) -> R {
        let (r, answered) = {
            let mut inner = self.0.borrow_mut();
            let r = f(&mut inner);
            (r, std::mem::take(&mut inner.answered))
        };
        // Borrows released: a reply may re-render the app.
        for (reply, view) in answered {
            reply(view);
        }
        r
    }

    /// Sends `cmd` to `doc`'s run (built first if there is none), which
    /// then runs or is paused as `running` says.
    fn act(&self, doc: &Rc<DesignDoc>, running: bool, cmd: Command) -> Result<(), Problems> {
        self.with(|i| {
            i.ensure(doc)?;
            i.running = running;
            i.send(cmd);
            Ok(())
        })
    }

    /// Starts (or resumes) running `doc`.
    pub fn play(&self, doc: &Rc<DesignDoc>) -> Result<(), Problems> {
        self.act(doc, true, Command::Play)
    }

    /// Pauses and processes one event.
    pub fn step_event(&self, doc: &Rc<DesignDoc>) -> Result<(), Problems> {
        self.act(doc, false, Command::StepEvent)
    }

    /// Pauses and advances the clock by [`crate::driver::STEP_MS`].
    pub fn step_time(&self, doc: &Rc<DesignDoc>) -> Result<(), Problems> {
        self.act(doc, false, Command::StepTime)
    }

    /// Moves the run to simulated time `t` [ns] (see
    /// [`crate::driver::Driver::seek`]).
    pub fn seek(&self, doc: &Rc<DesignDoc>, t: u64) -> Result<(), Problems> {
        self.with(|i| {
            if i.exists && i.frame.now_ns > t {
                doc.validate()?;
                i.exists = false;
            }
            i.ensure(doc)?;
            i.send(Command::Seek(t));
            Ok(())
        })
    }

    /// Stops advancing time.
    pub fn pause(&self) {
        self.with(|i| {
            i.running = false;
            i.send(Command::Pause);
        })
    }

    /// Throws the run away: nothing of it shows any more.
    pub fn reset(&self) {
        self.with(Inner::reset)
    }

    /// The design changed (see [`crate::driver::Driver::design_changed`]):
    /// why it cannot run, if it cannot (the run then goes on with its last
    /// valid version).
    pub fn design_changed(&self, doc: &Rc<DesignDoc>) -> Result<(), Problems> {
        self.with(|i| {
            if i.exists && doc.seed != i.built_seed {
                // Another seed is another run, from time 0.
                let running = i.running;
                i.forget();
                i.send_doc(doc);
                i.fence = i.sent;
                if running && doc.validate().is_ok() {
                    i.exists = true;
                    i.built_seed = doc.seed;
                    i.valid_doc = Some(doc.clone());
                    i.running = true;
                }
                return Ok(());
            }
            i.send_doc(doc);
            if !i.exists {
                return Ok(());
            }
            doc.validate()?;
            i.valid_doc = Some(doc.clone());
            Ok(())
        })
    }

    /// Sets the speed (simulated seconds per wall-clock second).
    pub fn set_speed(&self, speed: f64) {
        if speed > 0.0 {
            self.with(|i| {
                i.speed = speed;
                i.send(Command::Speed(speed));
            })
        }
    }

    /// Figures over the last seconds (true) or since the start.
    pub fn set_recent(&self, recent: bool) {
        self.with(|i| {
            i.recent = recent;
            i.send(Command::Recent(recent));
        })
    }

    /// The language the log's rows are written in.
    pub fn set_lang(&self, lang: Lang) {
        if self.0.borrow().lang != Some(lang) {
            self.with(|i| {
                i.lang = Some(lang);
                i.send(Command::Lang(lang));
            })
        }
    }

    /// An operator's operation on node `id`; whether a run has that node.
    pub fn operate(&self, id: &str, op: Operation) -> bool {
        self.with(|i| {
            let has = i.exists
                && i.doc
                    .as_ref()
                    .is_some_and(|d| d.nodes.iter().any(|n| n.id == id));
            if has {
                i.send(Command::Operate(id.to_string(), op));
            }
            has
        })
    }

    /// A fault into node `id` now (building the run, paused at 0, if none
    /// exists); `false` if the design has no such node.
    pub fn inject_fault(
        &self,
        doc: &Rc<DesignDoc>,
        id: &str,
        fault: NodeFault,
    ) -> Result<bool, Problems> {
        self.with(|i| {
            if !doc.nodes.iter().any(|n| n.id == id) {
                return Ok(false);
            }
            i.ensure(doc)?;
            i.send(Command::Fault(id.to_string(), fault));
            Ok(true)
        })
    }

    /// A chaos experiment now; `false` if the design has nothing it could
    /// hit.
    pub fn chaos(&self, doc: &Rc<DesignDoc>, chaos: Chaos) -> Result<bool, Problems> {
        use scalesim::Kind;
        self.with(|i| {
            doc.validate()?;
            let f = &i.frame;
            let live = |n: usize| f.up.get(n).copied().unwrap_or(true);
            let load = |n: usize| f.loads.get(n).copied().flatten();
            let nodes = doc.nodes.iter().enumerate();
            let any = match chaos {
                Chaos::KillServer => nodes
                    .filter(|(_, n)| n.kind == Kind::WebServer)
                    .any(|(k, _)| live(k)),
                Chaos::KillMaster => {
                    nodes
                        .filter(|(_, n)| n.kind == Kind::Database)
                        .any(|(k, _)| {
                            live(k)
                                && load(k).is_none_or(|l| {
                                    l.role != Some(scalesim::model::DbRole::Replica)
                                })
                        })
                }
                Chaos::KillDataCenter => !doc.regions.is_empty(),
                Chaos::TrafficSpike => doc.nodes.iter().any(|n| n.kind == Kind::Users),
            };
            if any {
                i.ensure(doc)?;
                i.send(Command::Chaos(chaos));
            }
            Ok(any)
        })
    }

    /// Asks for the route of the request a dot shows; `reply` receives it
    /// (at once in the page, when the worker answers otherwise).
    pub fn journey_of(
        &self,
        request: u32,
        sent: u64,
        reply: impl FnOnce(Option<JourneyView>) + 'static,
    ) {
        self.with(|i| {
            let ask = i.ask(Box::new(reply));
            i.send_now(Command::Journey { ask, request, sent });
        })
    }

    /// Asks for the latest request that failed at canvas node `node`.
    pub fn latest_failure(&self, node: usize, reply: impl FnOnce(Option<JourneyView>) + 'static) {
        self.with(|i| {
            let ask = i.ask(Box::new(reply));
            i.send_now(Command::LatestFailure {
                ask,
                node: node as u32,
            });
        })
    }

    /// An animation frame at `ts` [ms]: the run advances (in the page, now;
    /// in the worker, while the page draws) and the latest frame is there
    /// to draw. Returns figures that arrived since the last frame.
    pub fn frame(&self, ts: f64) -> Option<Snapshot> {
        self.with(|i| {
            i.tick(ts);
            if std::mem::take(&mut i.fresh) {
                i.snapshot.clone()
            } else {
                None
            }
        })
    }
}

/// What the canvas and the panels read: the latest frame and figures.
impl Inner {
    fn new(backend: Backend) -> Inner {
        Inner {
            backend,
            me: std::rc::Weak::new(),
            #[cfg(target_arch = "wasm32")]
            retired: None,
            frame: Frame::default(),
            snapshot: None,
            snapshot_recent: true,
            series: Vec::new(),
            generation: None,
            faults: Vec::new(),
            log_entries: 0,
            log: Rc::new(Vec::new()),
            log_version: 0,
            failures: Vec::new(),
            fresh: false,
            speed: DEFAULT_SPEED,
            recent: true,
            lang: None,
            running: false,
            exists: false,
            built_seed: 0,
            doc: None,
            valid_doc: None,
            sent: 0,
            fence: 0,
            next_ask: 0,
            asks: Vec::new(),
            answered: Vec::new(),
        }
    }

    /// Whether a run exists (built, running or paused).
    pub fn exists(&self) -> bool {
        self.exists
    }

    /// Whether time is advancing.
    pub fn is_running(&self) -> bool {
        self.running
    }

    /// Simulated seconds per wall-clock second asked for.
    pub fn speed(&self) -> f64 {
        self.speed
    }

    /// Simulated seconds per wall-clock second reached over the last
    /// second of running.
    pub fn pace(&self) -> Option<f64> {
        self.frame.pace.filter(|_| self.running)
    }

    /// Whether figures cover the last seconds (true) or the whole run.
    pub fn recent(&self) -> bool {
        self.recent
    }

    /// Whether what runs is the last valid version of a design that now
    /// has problems.
    pub fn held(&self) -> bool {
        self.exists && self.frame.held
    }

    /// The latest figures.
    pub fn snapshot(&self) -> Option<Snapshot> {
        self.snapshot.clone()
    }

    /// Whether the latest figures cover the last seconds (true) or the
    /// whole run: after a switch, the previous window's until the next
    /// figures arrive.
    pub fn snapshot_recent(&self) -> bool {
        self.snapshot_recent
    }

    /// Simulated time [ns].
    pub fn now_ns(&self) -> u64 {
        self.frame.now_ns
    }

    /// The dots to draw (canvas indices) and how many requests were on a
    /// hop in all.
    pub fn dots(&self) -> (&[Dot], u64) {
        (&self.frame.dots, self.frame.on_hop)
    }

    /// Whether canvas node `i` is up (true when nothing runs).
    pub fn is_up(&self, i: usize) -> bool {
        !self.exists || self.frame.up.get(i).copied().unwrap_or(true)
    }

    /// Canvas node `i`'s load, if it has a worker pool.
    pub fn load(&self, i: usize) -> Option<Load> {
        self.frame.loads.get(i).copied().flatten()
    }

    /// Requests per second over each connection (calling, called canvas
    /// index, req/s).
    pub fn rates(&self) -> impl Iterator<Item = (usize, usize, f64)> + '_ {
        self.frame
            .rates
            .iter()
            .map(|&(a, b, r)| (a as usize, b as usize, r))
    }

    /// Each connection with a circuit breaker and its state.
    pub fn breakers(&self) -> impl Iterator<Item = (usize, usize, BreakerState)> + '_ {
        self.frame
            .breakers
            .iter()
            .map(|&(a, b, s)| (a as usize, b as usize, s))
    }

    /// Database → database connections (canvas indices).
    pub fn db_links(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.frame
            .db_links
            .iter()
            .map(|&(a, b)| (a as usize, b as usize))
    }

    /// The run's series of per-second figures.
    pub fn series(&self) -> &[SeriesPoint] {
        &self.series
    }

    /// When each fault started [s].
    pub fn fault_times(&self) -> &[f64] {
        &self.faults
    }

    /// Log entries kept.
    pub fn log_entries(&self) -> u32 {
        self.log_entries
    }

    /// The newest log rows, newest first, and a number that changes
    /// whenever they do.
    pub fn log_rows(&self) -> (Rc<Vec<LogRow>>, u32) {
        (self.log.clone(), self.log_version)
    }

    /// Whether a request has failed at canvas node `i`.
    pub fn has_failure(&self, i: usize) -> bool {
        self.exists && self.failures.get(i).copied().unwrap_or(false)
    }

    fn ensure(&mut self, doc: &Rc<DesignDoc>) -> Result<(), Problems> {
        self.send_doc(doc);
        if !self.exists {
            doc.validate()?;
            self.exists = true;
            self.built_seed = doc.seed;
            self.valid_doc = Some(doc.clone());
        }
        if let Backend::Idle { worker } = self.backend {
            self.wake(worker);
        }
        Ok(())
    }

    /// Starts the simulation, in a worker if `worker` and one can start,
    /// and sends it what the page has set so far.
    fn wake(&mut self, worker: bool) {
        self.backend = Backend::Page(Box::default());
        #[cfg(target_arch = "wasm32")]
        if worker && let Some(remote) = web::Remote::start(self.me.clone()) {
            self.backend = Backend::Worker(remote);
        }
        let _ = worker;
        self.replay(false);
    }

    /// Sends a new host what the page has set, and with `run`, replays the
    /// run to where it was.
    fn replay(&mut self, run: bool) {
        let (now, running, exists) = (self.frame.now_ns, self.running, self.exists);
        // The new host counts commands from zero.
        (self.sent, self.fence) = (0, 0);
        self.send(Command::Speed(self.speed));
        self.send(Command::Recent(self.recent));
        if let Some(lang) = self.lang {
            self.send(Command::Lang(lang));
        }
        // A run is rebuilt from the last design that could run (the one
        // on the canvas may have problems: the run is held), then given
        // the design as it now stands.
        let rebuild = if run && exists {
            self.valid_doc.clone()
        } else {
            None
        };
        if let Some(valid) = rebuild {
            self.send(Command::Design(Box::new((*valid).clone())));
            self.send(Command::Seek(now));
            if running {
                self.send(Command::Play);
            }
        }
        if let Some(doc) = self.doc.clone() {
            self.send(Command::Design(Box::new((*doc).clone())));
        }
    }

    fn send_doc(&mut self, doc: &Rc<DesignDoc>) {
        let same = self
            .doc
            .as_ref()
            .is_some_and(|d| Rc::ptr_eq(d, doc) || **d == **doc);
        if !same {
            self.doc = Some(doc.clone());
            self.send(Command::Design(Box::new((**doc).clone())));
        }
    }

    fn forget(&mut self) {
        self.running = false;
        self.exists = false;
        self.frame = Frame::default();
        self.snapshot = None;
        self.series.clear();
        self.generation = None;
        self.faults.clear();
        self.log_entries = 0;
        self.log = Rc::new(Vec::new());
        self.log_version = self.log_version.wrapping_add(1);
        self.failures.clear();
        self.fresh = false;
    }

    fn reset(&mut self) {
        self.forget();
        self.send(Command::Reset);
        self.fence = self.sent;
    }

    fn ask(&mut self, reply: Reply) -> u32 {
        self.next_ask = self.next_ask.wrapping_add(1);
        self.asks.push((self.next_ask, reply));
        self.next_ask
    }

    /// Sends a command other than a tick.
    fn send(&mut self, cmd: Command) {
        self.sent = self.sent.wrapping_add(1);
        self.send_now(cmd);
    }

    fn send_now(&mut self, cmd: Command) {
        let update = match &mut self.backend {
            // Nothing runs: what was set is sent when it starts, and a
            // question about a request has no answer.
            Backend::Idle { .. } => match cmd {
                Command::Journey { ask, .. } | Command::LatestFailure { ask, .. } => Some(Update {
                    frame: self.frame.clone(),
                    figures: None,
                    answer: Some(Answer {
                        ask,
                        journey: None,
                        ids: Vec::new(),
                    }),
                }),
                _ => None,
            },
            Backend::Page(host) => host.handle(cmd, &clock_ms),
            #[cfg(target_arch = "wasm32")]
            Backend::Worker(remote) => {
                remote.post(cmd);
                None
            }
        };
        if let Some(u) = update {
            self.receive(u);
        }
    }

    fn tick(&mut self, ts: f64) {
        let silent = match &mut self.backend {
            Backend::Idle { .. } => false,
            Backend::Page(_) => {
                self.send_now(Command::Tick(ts));
                false
            }
            #[cfg(target_arch = "wasm32")]
            Backend::Worker(remote) => !remote.tick(ts),
        };
        #[cfg(target_arch = "wasm32")]
        if silent {
            gloo::console::warn!(
                "the simulation worker stopped answering; the simulation runs in the page"
            );
            self.fall_back();
        }
        let _ = silent;
    }

    /// Takes in what the simulation answered.
    fn receive(&mut self, u: Update) {
        if let Some(Answer { ask, journey, ids }) = u.answer
            && let Some(k) = self.asks.iter().position(|a| a.0 == ask)
        {
            let (_, reply) = self.asks.remove(k);
            let view = journey.map(|journey| JourneyView { journey, ids });
            self.answered.push((reply, view));
        }
        // Updates from before a reset show a run thrown away.
        if u.frame.epoch.wrapping_sub(self.fence) > u32::MAX / 2 {
            return;
        }
        // A frame that follows every command sent and has no run: the run
        // could not be built there (the page's own check let it through).
        if u.frame.epoch == self.sent && self.exists && !u.frame.exists {
            self.exists = false;
            self.running = false;
        }
        self.frame = u.frame;
        if let Some(f) = u.figures {
            self.take_figures(f);
        }
    }

    fn take_figures(&mut self, f: Figures) {
        if self.generation != Some(f.generation) {
            self.generation = Some(f.generation);
            self.series.clear();
        }
        self.series.truncate(f.series_from as usize);
        self.series.extend(f.series);
        self.faults = f.faults;
        self.log_entries = f.log_entries;
        if let Some(rows) = f.log {
            self.log = Rc::new(rows);
            self.log_version = self.log_version.wrapping_add(1);
        }
        self.failures = f.failures;
        if f.snapshot.is_some() {
            self.snapshot = f.snapshot;
            self.snapshot_recent = f.recent;
            self.fresh = true;
        }
    }

    /// An update showing what the page shows now, as the simulation sent
    /// it (for tests of updates that arrive late).
    #[cfg(test)]
    pub(crate) fn stale_update(&self) -> Update {
        Update {
            frame: self.frame.clone(),
            figures: Some(Figures {
                snapshot: self.snapshot.clone(),
                generation: self.generation.unwrap_or(0),
                series: self.series.clone(),
                ..Figures::default()
            }),
            answer: None,
        }
    }

    /// Takes in an update as if the simulation had sent it.
    #[cfg(test)]
    pub(crate) fn take_update(&mut self, u: Update) {
        self.receive(u);
    }

    /// The run goes on in the page: the worker could not start or stopped.
    /// What the page sent is sent again, and a run under way is replayed
    /// to where it was.
    #[cfg(target_arch = "wasm32")]
    fn fall_back(&mut self) {
        if !matches!(self.backend, Backend::Worker(_)) {
            return;
        }
        let old = std::mem::replace(&mut self.backend, Backend::Page(Box::default()));
        let mut waiting = Vec::new();
        let mut started = false;
        if let Backend::Worker(mut remote) = old {
            remote.stop();
            started = remote.ready();
            waiting = remote.take_waiting();
            self.retired = Some(remote);
        }
        (self.sent, self.fence) = (0, 0);
        if started {
            // It ran: replay the run to where it was.
            self.replay(true);
        }
        // Commands the worker never got (it failed while starting) run
        // here instead, after what they followed.
        for cmd in waiting {
            match cmd {
                Command::Tick(_) => {}
                Command::Journey { .. } | Command::LatestFailure { .. } => self.send_now(cmd),
                _ => self.send(cmd),
            }
        }
        // Questions the worker did not answer get no answer.
        for (_, reply) in std::mem::take(&mut self.asks) {
            self.answered.push((reply, None));
        }
    }
}

/// The wall clock [ms]: `performance.now()` where there is one.
pub fn clock_ms() -> f64 {
    #[cfg(target_arch = "wasm32")]
    {
        use wasm_bindgen::JsCast;
        let performance = js_sys::Reflect::get(&js_sys::global(), &"performance".into())
            .ok()
            .and_then(|p| p.dyn_into::<web_sys::Performance>().ok());
        match performance {
            Some(p) => p.now(),
            None => js_sys::Date::now(),
        }
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        use std::time::{SystemTime, UNIX_EPOCH};
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0.0, |d| d.as_secs_f64() * 1e3)
    }
}

#[cfg(target_arch = "wasm32")]
pub use web::worker_main;

#[cfg(target_arch = "wasm32")]
mod web {
    use super::Inner;
    use crate::driver::host::{Command, Host, Update, pack_dots, unpack_dots};
    use serde::{Deserialize, Serialize};
    use std::cell::RefCell;
    use std::rc::Weak;
    use wasm_bindgen::JsCast;
    use wasm_bindgen::closure::Closure;
    use web_sys::{DedicatedWorkerGlobalScope, Event, MessageEvent, Worker};

    /// The worker's script, relative to the page (`www/sim-worker-loader.js`).
    pub const WORKER_SCRIPT: &str = "./sim-worker-loader.js";

    /// How long the worker may take to start before the page runs the
    /// simulation itself [ms].
    pub const READY_WITHIN_MS: u32 = 20_000;

    /// Wall time each of the worker's frames spends simulating [ms]: most
    /// of a 60 Hz frame, leaving time for the frame to cross to the page
    /// before its next animation frame asks for the next.
    pub const WORKER_BUDGET_MS: f64 = 12.0;

    /// What the worker says besides updates.
    #[derive(Debug, Serialize, Deserialize)]
    enum Note {
        /// It listens: commands can be sent.
        Ready,
        /// It cannot run (its wasm did not load), and why.
        Failed(String),
    }

    fn serializer() -> serde_wasm_bindgen::Serializer {
        // Seeds and counts are 64-bit: exact as BigInt.
        serde_wasm_bindgen::Serializer::new().serialize_large_number_types_as_bigints(true)
    }

    /// The simulation worker's entry point: a host answering commands.
    pub fn worker_main() {
        let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
        let post_to = scope.clone();
        let mut host = Host::default();
        host.driver_mut().set_fixed_budget(WORKER_BUDGET_MS);
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            let cmd = match serde_wasm_bindgen::from_value::<Command>(e.data()) {
                Ok(c) => c,
                Err(e) => {
                    // The page then runs the simulation itself.
                    let failed = Note::Failed(format!("unreadable command: {e}"));
                    if let Ok(v) = failed.serialize(&serializer()) {
                        let _ = post_to.post_message(&v);
                    }
                    return;
                }
            };
            let Some(update) = host.handle(cmd, &super::clock_ms) else {
                return;
            };
            let words = js_sys::Uint32Array::from(&pack_dots(&update.frame.dots)[..]);
            let sent = update.serialize(&serializer()).ok().is_some_and(|v| {
                let msg = js_sys::Array::of2(&v, &words);
                let transfer = js_sys::Array::of1(&words.buffer());
                post_to.post_message_with_transfer(&msg, &transfer).is_ok()
            });
            if !sent {
                // The page then runs the simulation itself.
                let failed = Note::Failed("an update could not be sent".into());
                if let Ok(v) = failed.serialize(&serializer()) {
                    let _ = post_to.post_message(&v);
                }
            }
        });
        scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        if let Ok(ready) = Note::Ready.serialize(&serializer()) {
            let _ = scope.post_message(&ready);
        }
    }

    /// The worker as the page holds it.
    pub struct Remote {
        worker: Worker,
        ready: bool,
        waiting: Vec<Command>,
        /// A tick was sent and its update has not come back.
        ticking: bool,
        /// When the last tick was sent (animation-frame time [ms]).
        ticked_at: f64,
        _on_message: Closure<dyn FnMut(MessageEvent)>,
        _on_error: Closure<dyn FnMut(Event)>,
        _watchdog: Option<gloo::timers::callback::Timeout>,
    }

    impl Remote {
        /// Starts the worker; `None` where workers are unavailable.
        pub fn start(live: Weak<RefCell<Inner>>) -> Option<Remote> {
            let worker = Worker::new(WORKER_SCRIPT).ok()?;
            let fail = {
                let live = live.clone();
                move |why: &str| {
                    gloo::console::warn!(format!(
                        "the simulation worker stopped ({why}); the simulation runs in the page"
                    ));
                    if let Some(l) = live.upgrade() {
                        super::Live(l).with(Inner::fall_back);
                    }
                }
            };
            let on_message = {
                let (live, fail) = (live.clone(), fail.clone());
                Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
                    let data = e.data();
                    if js_sys::Array::is_array(&data) {
                        let parts: js_sys::Array = data.unchecked_into();
                        let mut u = match serde_wasm_bindgen::from_value::<Update>(parts.get(0)) {
                            Ok(u) => u,
                            Err(e) => return fail(&format!("unreadable update: {e}")),
                        };
                        let words: js_sys::Uint32Array = parts.get(1).unchecked_into();
                        unpack_dots(&words.to_vec(), &mut u.frame.dots);
                        if let Some(l) = live.upgrade() {
                            super::Live(l).with(|i| {
                                if let super::Backend::Worker(r) = &mut i.backend
                                    && u.answer.is_none()
                                {
                                    r.ticking = false;
                                }
                                i.receive(u);
                            });
                        }
                        return;
                    }
                    match serde_wasm_bindgen::from_value::<Note>(data) {
                        Ok(Note::Ready) => {
                            if let Some(l) = live.upgrade() {
                                super::Live(l).with(|i| {
                                    if let super::Backend::Worker(r) = &mut i.backend {
                                        r.ready = true;
                                        r._watchdog = None;
                                        for cmd in std::mem::take(&mut r.waiting) {
                                            r.post(cmd);
                                        }
                                    }
                                });
                            }
                        }
                        Ok(Note::Failed(why)) => fail(&why),
                        Err(e) => fail(&format!("unreadable message: {e}")),
                    }
                })
            };
            let on_error = {
                let fail = fail.clone();
                Closure::<dyn FnMut(Event)>::new(move |e: Event| {
                    e.prevent_default();
                    fail("it failed to load or crashed");
                })
            };
            let watchdog = {
                let live = live.clone();
                gloo::timers::callback::Timeout::new(READY_WITHIN_MS, move || {
                    let stuck = live.upgrade().is_some_and(
                        |l| matches!(&l.borrow().backend, super::Backend::Worker(r) if !r.ready),
                    );
                    if stuck {
                        fail("it did not start");
                    }
                })
            };
            worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
            Some(Remote {
                worker,
                ready: false,
                waiting: Vec::new(),
                ticking: false,
                ticked_at: 0.0,
                _on_message: on_message,
                _on_error: on_error,
                _watchdog: Some(watchdog),
            })
        }

        /// Whether the worker has started.
        pub fn ready(&self) -> bool {
            self.ready
        }

        /// Sends a command (kept until the worker has started).
        pub fn post(&mut self, cmd: Command) {
            if !self.ready {
                self.waiting.push(cmd);
            } else if let Ok(v) = cmd.serialize(&serializer()) {
                let _ = self.worker.post_message(&v);
            }
        }

        /// The commands kept for a worker that never started.
        pub fn take_waiting(&mut self) -> Vec<Command> {
            std::mem::take(&mut self.waiting)
        }

        /// Asks for a frame, unless the last one asked has not come back.
        /// Asks for a frame, unless the last one asked has not come back;
        /// `false` if that was more than [`READY_WITHIN_MS`] ago (the
        /// worker is stuck or lost).
        pub fn tick(&mut self, ts: f64) -> bool {
            if !self.ready {
                return true;
            }
            if self.ticking {
                return ts - self.ticked_at < f64::from(READY_WITHIN_MS);
            }
            self.ticking = true;
            self.ticked_at = ts;
            self.post(Command::Tick(ts));
            true
        }

        /// Stops the worker and its handlers.
        pub fn stop(&self) {
            self.worker.set_onmessage(None);
            self.worker.set_onerror(None);
            self.worker.terminate();
        }
    }

    impl Drop for Remote {
        fn drop(&mut self) {
            self.stop();
        }
    }
}
