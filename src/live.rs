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
//! The simulation runs in a Web Worker (the engine's own wasm,
//! `src/bin/engine.rs`, which the app's wasm does not contain): the page's
//! main thread only takes input and draws. [`Live`] sends it [`Command`]s
//! and keeps the latest [`Frame`] and [`Figures`] it answers with, which is
//! what everything on the page reads. Where workers are unavailable, or
//! the worker fails to start or crashes, the page loads the same engine
//! itself ([`crate::engine`]) and the same host answers there, with the
//! same messages; a run under way is carried over by replaying it to where
//! it was (the same design and seed give the same run). Where the engine
//! cannot load at all, nothing runs and the page says so
//! ([`Live::unavailable`]).
//!
//! Whether a command can run (a design with problems cannot) is decided
//! here, at once, from the design: the simulation's side would refuse the
//! same commands.

#[cfg(not(target_arch = "wasm32"))]
use crate::driver::host::Host;
use crate::driver::host::{Answer, Command, Figures, Frame, Update};
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
    /// In the page, the host linked into this build (native builds: the
    /// tests). The web app never links the engine (see [`crate::engine`]).
    #[cfg(not(target_arch = "wasm32"))]
    Page(Box<Host>),
    /// The engine's own wasm, in a Web Worker or loaded into the page.
    #[cfg(target_arch = "wasm32")]
    Engine(web::Remote),
    /// The engine could not be loaded anywhere, and why: nothing can run
    /// until the page is loaded again.
    Unavailable(String),
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
    /// Frames from before this many commands are not drawn: they were made
    /// before the design's components last changed places, and their
    /// marks, by component index, would sit on the wrong ones.
    layout_from: u32,
    next_ask: u32,
    asks: Vec<(u32, Reply)>,
    answered: Vec<(Reply, Option<JourneyView>)>,
    /// Told when where it runs changes (started, or unavailable).
    on_status: Option<Rc<dyn Fn()>>,
    status_changed: bool,
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
    /// The simulation in the page (native builds: the tests).
    #[cfg(not(target_arch = "wasm32"))]
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

    /// Where it runs: `"worker"`, `"page"`, `"none"` before anything ran,
    /// or `"unavailable"` when the engine could not be loaded.
    pub fn runs_in(&self) -> &'static str {
        match &self.0.borrow().backend {
            Backend::Idle { .. } => "none",
            #[cfg(not(target_arch = "wasm32"))]
            Backend::Page(_) => "page",
            #[cfg(target_arch = "wasm32")]
            Backend::Engine(r) if r.in_worker() => "worker",
            #[cfg(target_arch = "wasm32")]
            Backend::Engine(_) => "page",
            Backend::Unavailable(_) => "unavailable",
        }
    }

    /// Whether commands wait for the engine to load.
    pub fn starting(&self) -> bool {
        match &self.0.borrow().backend {
            #[cfg(target_arch = "wasm32")]
            Backend::Engine(r) => !r.ready(),
            _ => false,
        }
    }

    /// Why nothing can run, when the engine could not be loaded.
    pub fn unavailable(&self) -> Option<String> {
        match &self.0.borrow().backend {
            Backend::Unavailable(why) => Some(why.clone()),
            _ => None,
        }
    }

    pub(crate) fn with<R>(&self, f: impl FnOnce(&mut Inner) -> R) -> R {
        let (r, answered, status) = {
            let mut inner = self.0.borrow_mut();
            let r = f(&mut inner);
            let status = std::mem::take(&mut inner.status_changed)
                .then(|| inner.on_status.clone())
                .flatten();
            (r, std::mem::take(&mut inner.answered), status)
        };
        // Borrows released: a reply may re-render the app.
        for (reply, view) in answered {
            reply(view);
        }
        if let Some(told) = status {
            told();
        }
        r
    }

    /// Calls `told` whenever where the simulation runs changes: it has
    /// started, or it cannot run (see [`Live::starting`],
    /// [`Live::unavailable`]).
    pub fn on_status(&self, told: impl Fn() + 'static) {
        self.0.borrow_mut().on_status = Some(Rc::new(told));
    }

    /// Sends `cmd` to `doc`'s run (built first if there is none), which
    /// then runs or is paused as `running` says.
    fn act(&self, doc: &Rc<DesignDoc>, running: bool, cmd: Command) -> Result<(), Problems> {
        self.with(|i| {
            i.ensure(doc)?;
            i.running = running && i.exists;
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
            layout_from: 0,
            next_ask: 0,
            asks: Vec::new(),
            answered: Vec::new(),
            on_status: None,
            status_changed: false,
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
        if matches!(self.backend, Backend::Unavailable(_)) {
            // Nothing can run: a design with problems still says so.
            return doc.validate().map(|_| ());
        }
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
        #[cfg(not(target_arch = "wasm32"))]
        {
            let _ = worker;
            self.backend = Backend::Page(Box::default());
        }
        #[cfg(target_arch = "wasm32")]
        {
            self.backend = Backend::Engine(web::Remote::start(self.me.clone(), worker));
        }
        self.replay(false);
    }

    /// Sends a new host what the page has set, and with `run`, replays the
    /// run to where it was.
    fn replay(&mut self, run: bool) {
        let (now, running, exists) = (self.frame.now_ns, self.running, self.exists);
        // The new host counts commands from zero.
        (self.sent, self.fence, self.layout_from) = (0, 0, 0);
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
            let relaid = self.doc.as_ref().is_none_or(|d| {
                d.nodes.len() != doc.nodes.len()
                    || d.nodes.iter().zip(&doc.nodes).any(|(a, b)| a.id != b.id)
            });
            self.doc = Some(doc.clone());
            self.send(Command::Design(Box::new((**doc).clone())));
            if relaid {
                // What the canvas shows by component index goes until a
                // frame of the new design comes.
                self.layout_from = self.sent;
                let f = &mut self.frame;
                f.dots.clear();
                f.loads.clear();
                f.up.clear();
                f.rates.clear();
                f.breakers.clear();
                f.db_links.clear();
                self.failures.clear();
            }
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

    pub(crate) fn ask(&mut self, reply: Reply) -> u32 {
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
            Backend::Idle { .. } | Backend::Unavailable(_) => match cmd {
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
            #[cfg(not(target_arch = "wasm32"))]
            Backend::Page(host) => host.handle(cmd, &clock_ms),
            #[cfg(target_arch = "wasm32")]
            Backend::Engine(remote) => match remote.post(cmd) {
                Ok(u) => u,
                Err(why) => {
                    self.engine_failed(&why);
                    None
                }
            },
        };
        if let Some(u) = update {
            self.receive(u);
        }
    }

    fn tick(&mut self, ts: f64) {
        match &mut self.backend {
            Backend::Idle { .. } | Backend::Unavailable(_) => {}
            #[cfg(not(target_arch = "wasm32"))]
            Backend::Page(_) => self.send_now(Command::Tick(ts)),
            #[cfg(target_arch = "wasm32")]
            Backend::Engine(remote) => match remote.tick(ts) {
                Ok(Some(u)) => self.receive(u),
                Ok(None) => {}
                Err(why) => self.engine_failed(&why),
            },
        }
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
        let before = |mark: u32| u.frame.epoch.wrapping_sub(mark) > u32::MAX / 2;
        if before(self.fence) {
            return;
        }
        // A frame from before the components changed places would mark
        // the wrong ones: only its figures (by component id, and the
        // series, which comes in pieces) are taken.
        let fits = !before(self.layout_from);
        // A frame that follows every command sent and has no run: the run
        // could not be built there (the page's own check let it through).
        if u.frame.epoch == self.sent && self.exists && !u.frame.exists {
            self.exists = false;
            self.running = false;
        }
        if fits {
            self.frame = u.frame;
        }
        if let Some(f) = u.figures {
            self.take_figures(f, fits);
        }
    }

    fn take_figures(&mut self, f: Figures, fits: bool) {
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
        if fits {
            self.failures = f.failures;
        }
        if f.snapshot.is_some() {
            self.snapshot = f.snapshot;
            self.snapshot_recent = f.recent;
            self.fresh = true;
        }
    }

    /// An update showing what the page shows now, as the simulation sent
    /// it (for tests of updates that arrive late).
    #[cfg(all(test, not(target_arch = "wasm32")))]
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
    #[cfg(all(test, not(target_arch = "wasm32")))]
    pub(crate) fn take_update(&mut self, u: Update) {
        self.receive(u);
    }

    /// The engine failed: a worker is replaced by the engine in the page;
    /// the engine in the page is given up on.
    #[cfg(target_arch = "wasm32")]
    fn engine_failed(&mut self, why: &str) {
        if matches!(&self.backend, Backend::Engine(r) if r.in_worker()) {
            gloo::console::warn!(format!(
                "the simulation worker stopped ({why}); the simulation runs in the page"
            ));
            self.fall_back();
        } else {
            gloo::console::error!(format!("the simulation could not run: {why}"));
            self.give_up(why);
        }
    }

    /// Nothing can run: the engine could not be loaded. The design is
    /// untouched; the run is forgotten, and questions get no answer.
    #[cfg_attr(not(any(test, target_arch = "wasm32")), allow(dead_code))]
    pub(crate) fn give_up(&mut self, why: &str) {
        let old = std::mem::replace(&mut self.backend, Backend::Unavailable(why.to_string()));
        // Kept: this may run inside one of its handlers.
        #[cfg(target_arch = "wasm32")]
        if let Backend::Engine(r) = old {
            self.retired = Some(r);
        }
        #[cfg(not(target_arch = "wasm32"))]
        drop(old);
        self.forget();
        self.status_changed = true;
        for (_, reply) in std::mem::take(&mut self.asks) {
            self.answered.push((reply, None));
        }
    }

    /// The engine loaded into the page is ready (or could not load): what
    /// waited for it runs.
    #[cfg(target_arch = "wasm32")]
    fn engine_loaded(&mut self, id: u32, host: Result<wasm_bindgen::JsValue, String>) {
        let Backend::Engine(r) = &mut self.backend else {
            return;
        };
        if r.id() != id {
            return;
        }
        match host {
            Ok(host) => {
                self.status_changed = true;
                for cmd in r.linked(host) {
                    self.send_now(cmd);
                }
            }
            Err(why) => self.engine_failed(&why),
        }
    }

    /// The run goes on in the page: the worker could not start or stopped.
    /// What the page sent is sent again, and a run under way is replayed
    /// to where it was.
    #[cfg(target_arch = "wasm32")]
    fn fall_back(&mut self) {
        let page = web::Remote::start(self.me.clone(), false);
        let old = std::mem::replace(&mut self.backend, Backend::Engine(page));
        let Backend::Engine(mut remote) = old else {
            return;
        };
        remote.stop();
        let started = remote.ready();
        let waiting = remote.take_waiting();
        self.retired = Some(remote);
        (self.sent, self.fence, self.layout_from) = (0, 0, 0);
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
pub use web::{answer, worker_main};

#[cfg(target_arch = "wasm32")]
mod web {
    use super::Inner;
    use crate::driver::host::{Command, Host, Update, pack_dots, unpack_dots};
    use serde::{Deserialize, Serialize};
    use std::cell::RefCell;
    use std::rc::Weak;
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::{JsCast, JsValue};
    use web_sys::{DedicatedWorkerGlobalScope, Event, MessageChannel, MessageEvent, Worker};

    /// The worker's script, relative to the page (`www/sim-worker-loader.js`).
    pub const WORKER_SCRIPT: &str = "./sim-worker-loader.js";

    /// How long the worker may take to start before the page runs the
    /// simulation itself [ms].
    pub const READY_WITHIN_MS: u32 = 20_000;

    /// Wall time each of the worker's frames spends simulating [ms]: most
    /// of a 60 Hz frame, leaving time for the frame to cross to the page
    /// before its next animation frame asks for the next.
    pub const WORKER_BUDGET_MS: f64 = 12.0;

    /// Wall time of each slice the worker runs ahead between the page's
    /// frames while the simulation is behind (at *max*, or a speed it
    /// cannot keep) [ms]: short, so the page's next tick waits at most this
    /// long for its answer to start.
    pub const RUN_AHEAD_MS: f64 = 2.0;

    /// What the engine says besides updates.
    #[derive(Debug, Serialize, Deserialize)]
    enum Note {
        /// It listens: commands can be sent.
        Ready,
        /// It cannot run (its wasm did not load, or it could not read or
        /// answer a command), and why.
        Failed(String),
    }

    /// A message from the engine, read.
    enum Message {
        Update(Box<Update>),
        Ready,
        Failed(String),
    }

    fn serializer() -> serde_wasm_bindgen::Serializer {
        // Seeds and counts are 64-bit: exact as BigInt.
        serde_wasm_bindgen::Serializer::new().serialize_large_number_types_as_bigints(true)
    }

    fn note(n: &Note) -> JsValue {
        n.serialize(&serializer()).unwrap_or(JsValue::UNDEFINED)
    }

    /// The engine's side: answers one command, as the page serialized it,
    /// with the message the page reads — `[update, dots]` (the dots packed
    /// in a `Uint32Array`), `undefined` when there is nothing to answer, or
    /// a failure.
    pub fn answer(host: &mut Host, cmd: JsValue) -> JsValue {
        let cmd = match serde_wasm_bindgen::from_value::<Command>(cmd) {
            Ok(c) => c,
            Err(e) => return note(&Note::Failed(format!("unreadable command: {e}"))),
        };
        let Some(update) = host.handle(cmd, &super::clock_ms) else {
            return JsValue::UNDEFINED;
        };
        let words = js_sys::Uint32Array::from(&pack_dots(&update.frame.dots)[..]);
        match update.serialize(&serializer()) {
            Ok(v) => js_sys::Array::of2(&v, &words).into(),
            Err(e) => note(&Note::Failed(format!("an update could not be sent: {e}"))),
        }
    }

    /// The page's side: reads what the engine answered.
    fn read(data: JsValue) -> Result<Option<Message>, String> {
        if data.is_undefined() {
            return Ok(None);
        }
        if js_sys::Array::is_array(&data) {
            let parts: js_sys::Array = data.unchecked_into();
            let mut u = serde_wasm_bindgen::from_value::<Update>(parts.get(0))
                .map_err(|e| format!("unreadable update: {e}"))?;
            let words: js_sys::Uint32Array = parts.get(1).unchecked_into();
            unpack_dots(&words.to_vec(), &mut u.frame.dots);
            return Ok(Some(Message::Update(Box::new(u))));
        }
        match serde_wasm_bindgen::from_value::<Note>(data) {
            Ok(Note::Ready) => Ok(Some(Message::Ready)),
            Ok(Note::Failed(why)) => Ok(Some(Message::Failed(why))),
            Err(e) => Err(format!("unreadable message: {e}")),
        }
    }

    /// The simulation worker's entry point: a host answering commands.
    ///
    /// Between the page's ticks, while the run is behind (it spent a whole
    /// frame's budget without reaching the time it aimed for), the worker
    /// runs ahead in slices of [`RUN_AHEAD_MS`], each a task posted to
    /// itself through a `MessageChannel`, so a tick arriving meanwhile is
    /// answered after at most one slice. Without this the worker would sit
    /// idle from sending a frame until the page's next animation frame asks
    /// for the next.
    pub fn worker_main() {
        let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
        let post_to = scope.clone();
        let host = std::rc::Rc::new(RefCell::new(Host::default()));
        host.borrow_mut()
            .driver_mut()
            .set_fixed_budget(WORKER_BUDGET_MS);
        // Whether a slice is already queued (one chain at a time).
        let queued = std::rc::Rc::new(std::cell::Cell::new(false));
        let channel = MessageChannel::new().ok();
        let ahead_port = channel.as_ref().map(|c| c.port2());
        let run_ahead = {
            let (host, queued, port) = (host.clone(), queued.clone(), ahead_port.clone());
            move || {
                if let Some(port) = &port
                    && !queued.get()
                    && host.borrow().behind(&super::clock_ms)
                    && port.post_message(&JsValue::NULL).is_ok()
                {
                    queued.set(true);
                }
            }
        };
        if let Some(channel) = &channel {
            let (host, queued, again) = (host.clone(), queued.clone(), run_ahead.clone());
            let on_slice = Closure::<dyn FnMut(MessageEvent)>::new(move |_: MessageEvent| {
                queued.set(false);
                host.borrow_mut().run_ahead(&super::clock_ms, RUN_AHEAD_MS);
                again();
            });
            channel
                .port1()
                .set_onmessage(Some(on_slice.as_ref().unchecked_ref()));
            on_slice.forget();
        }
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
            let msg = answer(&mut host.borrow_mut(), e.data());
            run_ahead();
            if msg.is_undefined() {
                return;
            }
            let sent = if js_sys::Array::is_array(&msg) {
                let words: js_sys::Uint32Array = js_sys::Array::from(&msg).get(1).unchecked_into();
                let transfer = js_sys::Array::of1(&words.buffer());
                post_to.post_message_with_transfer(&msg, &transfer).is_ok()
            } else {
                post_to.post_message(&msg).is_ok()
            };
            if !sent {
                // The page then runs the simulation itself.
                let _ = post_to
                    .post_message(&note(&Note::Failed("an update could not be sent".into())));
            }
        });
        scope.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        on_message.forget();
        let _ = scope.post_message(&note(&Note::Ready));
    }

    thread_local! {
        static NEXT_ID: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
    }

    /// Where the engine the page talks to runs.
    enum Link {
        /// A Web Worker, with the handlers the page set on it.
        Worker {
            worker: Worker,
            _on_message: Closure<dyn FnMut(MessageEvent)>,
            _on_error: Closure<dyn FnMut(Event)>,
        },
        /// The page itself: the engine's `PageHost`, once loaded.
        Page(Option<JsValue>),
    }

    /// The engine as the page holds it.
    pub struct Remote {
        id: u32,
        link: Link,
        ready: bool,
        waiting: Vec<Command>,
        /// A tick was sent and its update has not come back.
        ticking: bool,
        /// When the last tick was sent (animation-frame time [ms]).
        ticked_at: f64,
        /// Until it is ready: a worker's start watchdog, or the deferred
        /// load of the engine into the page.
        starting: Option<gloo::timers::callback::Timeout>,
    }

    impl Remote {
        /// Starts the engine: in a Web Worker if `worker` and one can be
        /// made, else loaded into the page. Commands wait until it is ready.
        pub fn start(live: Weak<RefCell<Inner>>, worker: bool) -> Remote {
            let id = NEXT_ID.with(|n| {
                n.set(n.get().wrapping_add(1));
                n.get()
            });
            if worker && let Some(remote) = Remote::start_worker(live.clone(), id) {
                return remote;
            }
            // Loaded after this command is handled: the page's state is
            // borrowed now, and the engine may already be loaded.
            let timeout = gloo::timers::callback::Timeout::new(0, move || {
                crate::engine::with_engine(move |exports| {
                    let host = exports.and_then(|e| crate::engine::new_host(&e));
                    if let Some(l) = live.upgrade() {
                        super::Live(l).with(|i| i.engine_loaded(id, host));
                    }
                });
            });
            Remote {
                id,
                link: Link::Page(None),
                ready: false,
                waiting: Vec::new(),
                ticking: false,
                ticked_at: 0.0,
                starting: Some(timeout),
            }
        }

        fn start_worker(live: Weak<RefCell<Inner>>, id: u32) -> Option<Remote> {
            let worker = Worker::new(&crate::engine::url(WORKER_SCRIPT)).ok()?;
            let fail = {
                let live = live.clone();
                move |why: &str| {
                    if let Some(l) = live.upgrade() {
                        super::Live(l).with(|i| {
                            if matches!(&i.backend, super::Backend::Engine(r) if r.id == id) {
                                i.engine_failed(why);
                            }
                        });
                    }
                }
            };
            let on_message = {
                let (live, fail) = (live.clone(), fail.clone());
                Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
                    let msg = match read(e.data()) {
                        Ok(Some(m)) => m,
                        Ok(None) => return,
                        Err(why) => return fail(&why),
                    };
                    let Some(l) = live.upgrade() else {
                        return;
                    };
                    match msg {
                        Message::Update(u) => super::Live(l).with(|i| {
                            if let super::Backend::Engine(r) = &mut i.backend
                                && r.id == id
                                && u.answer.is_none()
                            {
                                r.ticking = false;
                            }
                            i.receive(*u);
                        }),
                        Message::Ready => super::Live(l).with(|i| {
                            if let super::Backend::Engine(r) = &mut i.backend
                                && r.id == id
                            {
                                r.ready = true;
                                r.starting = None;
                                let waiting = std::mem::take(&mut r.waiting);
                                i.status_changed = true;
                                for cmd in waiting {
                                    i.send_now(cmd);
                                }
                            }
                        }),
                        Message::Failed(why) => fail(&why),
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
                    let stuck = live.upgrade().is_some_and(|l| {
                        matches!(&l.borrow().backend, super::Backend::Engine(r) if r.id == id && !r.ready)
                    });
                    if stuck {
                        fail("it did not start");
                    }
                })
            };
            worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
            Some(Remote {
                id,
                link: Link::Worker {
                    worker,
                    _on_message: on_message,
                    _on_error: on_error,
                },
                ready: false,
                waiting: Vec::new(),
                ticking: false,
                ticked_at: 0.0,
                starting: Some(watchdog),
            })
        }

        /// Which start this is (handlers of an engine replaced since are
        /// ignored).
        pub fn id(&self) -> u32 {
            self.id
        }

        /// Whether the engine runs in a Web Worker.
        pub fn in_worker(&self) -> bool {
            matches!(self.link, Link::Worker { .. })
        }

        /// Whether the engine has started.
        pub fn ready(&self) -> bool {
            self.ready
        }

        /// The engine loaded into the page is `host`: it is ready, and the
        /// commands that waited for it are handed back to be sent.
        pub fn linked(&mut self, host: JsValue) -> Vec<Command> {
            self.link = Link::Page(Some(host));
            self.ready = true;
            self.starting = None;
            std::mem::take(&mut self.waiting)
        }

        /// Sends a command (kept until the engine has started); in the
        /// page, the update it answers with at once.
        pub fn post(&mut self, cmd: Command) -> Result<Option<Update>, String> {
            if !self.ready {
                self.waiting.push(cmd);
                return Ok(None);
            }
            let v = cmd
                .serialize(&serializer())
                .map_err(|e| format!("a command could not be sent: {e}"))?;
            match &self.link {
                Link::Worker { worker, .. } => {
                    let _ = worker.post_message(&v);
                    Ok(None)
                }
                Link::Page(None) => Ok(None),
                Link::Page(Some(host)) => {
                    let answer = crate::engine::call(host, "handle", Some(&v))?;
                    match read(answer)? {
                        Some(Message::Update(u)) => Ok(Some(*u)),
                        Some(Message::Failed(why)) => Err(why),
                        Some(Message::Ready) | None => Ok(None),
                    }
                }
            }
        }

        /// The commands kept for an engine that never started.
        pub fn take_waiting(&mut self) -> Vec<Command> {
            std::mem::take(&mut self.waiting)
        }

        /// Asks for a frame. In the page it comes at once; a worker's
        /// comes later, and is not asked again before it has — an error if
        /// the last one asked was more than [`READY_WITHIN_MS`] ago (the
        /// worker is stuck or lost).
        pub fn tick(&mut self, ts: f64) -> Result<Option<Update>, String> {
            if !self.ready {
                return Ok(None);
            }
            if self.in_worker() {
                if self.ticking {
                    if ts - self.ticked_at < f64::from(READY_WITHIN_MS) {
                        return Ok(None);
                    }
                    return Err("it stopped answering".into());
                }
                self.ticking = true;
                self.ticked_at = ts;
            }
            self.post(Command::Tick(ts))
        }

        /// Stops a worker and its handlers.
        pub fn stop(&self) {
            if let Link::Worker { worker, .. } = &self.link {
                worker.set_onmessage(None);
                worker.set_onerror(None);
                worker.terminate();
            }
        }
    }

    impl Drop for Remote {
        fn drop(&mut self) {
            self.stop();
        }
    }
}
