//! The simulation's side of the page ↔ simulation protocol.
//!
//! ```text
//!   page (src/live.rs) ── Command (design, play, tick(t), fault, …) ──▶ Host
//!                      ◀── Update (frame: dots, loads, clock; figures) ─┘
//! ```
//!
//! A [`Host`] owns the [`Driver`] and answers [`Command`]s with
//! [`Update`]s: one per animation-frame [`Command::Tick`], carrying what
//! the canvas draws, and every [`FIGURES_MS`] (or after any other command)
//! the figures the panels show. The same host runs in the simulation's Web
//! Worker and, where workers are unavailable, in the page itself (both
//! from the engine's own wasm, `src/bin/engine.rs`): the page sees the same updates either way.

use super::{Chaos, Driver, NodeFault, Operation};
use crate::i18n::Lang;
use crate::panels::log::LogRow;
use scalesim::design::DesignDoc;
use scalesim::model::SeriesPoint;
use scalesim::model::{BreakerState, Journey, LogEvent};
use scalesim::{Dot, DotKind, Load, Snapshot};
use serde::{Deserialize, Serialize};

/// Least wall time between two sendings of the figures while running [ms].
pub const FIGURES_MS: f64 = 250.0;

/// Routes of drawn failed or stale requests kept for questions [routes].
pub const KEPT_ROUTES: usize = 256;

/// Newest log entries sent [entries].
pub const LOG_ROWS: usize = 2_000;

/// What the page asks of the simulation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Command {
    /// The design to run: built at the next play or step, patched into a
    /// simulation that exists (see [`Driver::design_changed`]). It crosses
    /// as its file's JSON, the format every reader of designs is tested on.
    Design(#[serde(with = "doc_json")] Box<DesignDoc>),
    /// Run from where it is.
    Play,
    /// Stop advancing time.
    Pause,
    /// Pause and process one event.
    StepEvent,
    /// Pause and advance [`super::STEP_MS`].
    StepTime,
    /// Move to simulated time [ns].
    Seek(u64),
    /// Throw the simulation away.
    Reset,
    /// Simulated seconds per wall-clock second.
    Speed(f64),
    /// Figures over the last seconds (true) or since the start.
    Recent(bool),
    /// The language of the log's rows.
    Lang(Lang),
    /// An operator's operation on a node (by id).
    Operate(String, Operation),
    /// A fault from a node's menu (by id).
    Fault(String, NodeFault),
    /// A chaos experiment.
    Chaos(Chaos),
    /// An animation frame at this timestamp [ms]: advance and answer.
    Tick(f64),
    /// The route of the request a dot shows.
    Journey {
        /// Echoed in the answer.
        ask: u32,
        /// [`Dot::request`].
        request: u32,
        /// [`Dot::sent`] [ns].
        sent: u64,
    },
    /// The latest request that failed at a canvas node.
    LatestFailure {
        /// Echoed in the answer.
        ask: u32,
        /// Canvas index of the node.
        node: u32,
    },
}

/// A design as the JSON of its file.
mod doc_json {
    use scalesim::design::DesignDoc;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(doc: &DesignDoc, s: S) -> Result<S::Ok, S::Error> {
        // Compact: this crosses on every edit.
        let text = serde_json::to_string(doc).map_err(serde::ser::Error::custom)?;
        s.serialize_str(&text)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Box<DesignDoc>, D::Error> {
        // Plain serde: the page's design as it is, over the file reader's
        // size limits or not (the page runs what its editor made).
        let text = String::deserialize(d)?;
        serde_json::from_str(&text).map_err(serde::de::Error::custom)
    }
}

/// What the canvas draws, sent with every tick.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Frame {
    /// Commands other than ticks the host had handled when it sent this.
    pub epoch: u32,
    /// Whether a simulation exists.
    pub exists: bool,
    /// Whether time is advancing.
    pub running: bool,
    /// Simulated time [ns].
    pub now_ns: u64,
    /// Simulated seconds per wall second reached over the last second.
    pub pace: Option<f64>,
    /// Whether the design on the canvas is invalid, so what runs is its
    /// last valid version.
    pub held: bool,
    /// Requests on a network hop in all (drawn or not).
    pub on_hop: u64,
    /// Whether each canvas node is up.
    pub up: Vec<bool>,
    /// Each canvas node's load, if it has a worker pool.
    pub loads: Vec<Option<Load>>,
    /// Requests per second over each connection (calling, called canvas
    /// index, req/s).
    pub rates: Vec<(u32, u32, f64)>,
    /// Each connection with a circuit breaker (canvas indices) and its
    /// state.
    pub breakers: Vec<(u32, u32, BreakerState)>,
    /// Database → database connections (canvas indices).
    pub db_links: Vec<(u32, u32)>,
    /// Requests on a hop, sampled; canvas indices (sent apart, packed; see
    /// [`pack_dots`]).
    #[serde(skip)]
    pub dots: Vec<Dot>,
}

/// What the panels show, sent a few times a second.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    /// The figures over the chosen window, if a simulation exists.
    pub snapshot: Option<Snapshot>,
    /// Whether they cover the last seconds (true) or the whole run.
    pub recent: bool,
    /// Which simulation the series belongs to (see [`Driver::generation`]).
    pub generation: u32,
    /// Where `series` goes in the run's series: points before it were sent
    /// already.
    pub series_from: u32,
    /// New points of the run's series.
    pub series: Vec<SeriesPoint>,
    /// When each fault started [s], for the chart's marks.
    pub faults: Vec<f64>,
    /// Log entries kept.
    pub log_entries: u32,
    /// The newest [`LOG_ROWS`] log rows, newest first, when they changed.
    pub log: Option<Vec<LogRow>>,
    /// Whether a request has failed at each canvas node.
    pub failures: Vec<bool>,
}

/// A request's route, with the node ids its indices name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Answer {
    /// The question's `ask`.
    pub ask: u32,
    /// The route, if the request is still known.
    pub journey: Option<Journey>,
    /// Node ids by simulation index.
    pub ids: Vec<String>,
}

/// The host's answer to a tick or a question.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Update {
    /// What the canvas draws.
    pub frame: Frame,
    /// What the panels show, when due.
    pub figures: Option<Figures>,
    /// The answer to a question.
    pub answer: Option<Answer>,
}

/// The simulation's side: a driver, the design it runs, and what the page
/// was already sent.
#[derive(Debug)]
pub struct Host {
    driver: Driver,
    /// The routes of failed and stale requests drawn in the last frames,
    /// by (request, sent): a click on such a dot is answered even if the
    /// request has finished by the time the question arrives.
    drawn_routes: std::collections::VecDeque<((u32, u64), Journey)>,
    doc: DesignDoc,
    lang: Lang,
    epoch: u32,
    figures_due: bool,
    last_figures_ms: f64,
    sent_generation: Option<u32>,
    series_sent: usize,
    log_sent: Option<((usize, u64), Lang)>,
    /// The last tick: its timestamp (the page's clock) and `clock` when it
    /// came [ms]. A slice run ahead tells time in the page's clock from it.
    last_tick: Option<(f64, f64)>,
}

impl Default for Host {
    fn default() -> Self {
        Host {
            driver: Driver::default(),
            drawn_routes: std::collections::VecDeque::new(),
            doc: DesignDoc::default(),
            lang: Lang::En,
            epoch: 0,
            figures_due: false,
            last_figures_ms: f64::NEG_INFINITY,
            sent_generation: None,
            series_sent: 0,
            log_sent: None,
            last_tick: None,
        }
    }
}

impl Host {
    /// The driver (for tests and the max budget).
    pub fn driver_mut(&mut self) -> &mut Driver {
        &mut self.driver
    }

    /// Runs the simulation ahead for at most `budget_ms` of wall time
    /// between two ticks while it is behind ([`Driver::run_ahead`]), and
    /// returns whether another slice should follow. `clock` is this
    /// thread's wall clock [ms]; the time of the slice is told in the
    /// page's clock, which the ticks carry (a worker's clock starts when
    /// the worker does). Once no tick has come for [`MAX_FRAME_GAP_MS`]
    /// (a hidden tab sends none) it stops, as a frame's gap is capped.
    ///
    /// [`MAX_FRAME_GAP_MS`]: super::MAX_FRAME_GAP_MS
    pub fn run_ahead(&mut self, clock: &dyn Fn() -> f64, budget_ms: f64) -> bool {
        match self.page_time(clock) {
            Some(now) => self.driver.run_ahead(now, clock, budget_ms),
            None => false,
        }
    }

    /// Whether a slice run ahead would simulate now (see
    /// [`run_ahead`](Self::run_ahead)).
    pub fn behind(&self, clock: &dyn Fn() -> f64) -> bool {
        self.page_time(clock).is_some() && self.driver.behind()
    }

    /// The page's clock now [ms], told from the last tick by `clock`;
    /// `None` before any tick, or once none has come for
    /// [`MAX_FRAME_GAP_MS`](super::MAX_FRAME_GAP_MS).
    fn page_time(&self, clock: &dyn Fn() -> f64) -> Option<f64> {
        let (ts, at) = self.last_tick?;
        let since = clock() - at;
        (since <= super::MAX_FRAME_GAP_MS).then_some(ts + since)
    }

    /// Handles one command; `clock` reads the wall clock [ms] (a tick
    /// simulates until its budget is spent). Ticks and questions are
    /// answered; other commands are answered by the next tick, which then
    /// carries the figures.
    pub fn handle(&mut self, cmd: Command, clock: &dyn Fn() -> f64) -> Option<Update> {
        let d = &mut self.driver;
        let doc = &self.doc;
        // Refusals are the page's to show (it checks the design itself
        // before asking); here an impossible command does nothing.
        match cmd {
            Command::Tick(ts) => {
                self.last_tick = Some((ts, clock()));
                d.frame_within(ts, clock);
                let due = self.figures_due
                    || self.driver.is_running() && ts - self.last_figures_ms >= FIGURES_MS;
                self.keep_drawn_routes();
                let figures = due.then(|| {
                    self.figures_due = false;
                    self.last_figures_ms = ts;
                    self.figures()
                });
                return Some(Update {
                    frame: self.frame(),
                    figures,
                    answer: None,
                });
            }
            Command::Journey { ask, request, sent } => {
                let journey = d.journey_of(request, sent).or_else(|| {
                    let mut kept = self.drawn_routes.iter().rev();
                    kept.find(|(k, _)| *k == (request, sent))
                        .map(|(_, j)| j.clone())
                });
                return Some(self.answer(ask, journey));
            }
            Command::LatestFailure { ask, node } => {
                let journey = d.latest_failure(node as usize);
                return Some(self.answer(ask, journey));
            }
            Command::Design(doc) => {
                self.doc = *doc;
                let _ = self.driver.design_changed(&self.doc);
                self.epoch = self.epoch.wrapping_add(1);
                // While it runs, figures follow within FIGURES_MS anyway: a
                // drag (an edit per pointer move) need not send them every
                // frame.
                self.figures_due |= !self.driver.is_running();
                return None;
            }
            Command::Play => {
                let _ = d.play(doc);
            }
            Command::Pause => d.pause(),
            Command::StepEvent => {
                let _ = d.step_event(doc);
            }
            Command::StepTime => {
                let _ = d.step_time(doc);
            }
            Command::Seek(t) => {
                let _ = d.seek(doc, t);
            }
            Command::Reset => {
                d.reset();
                self.drawn_routes.clear();
            }
            Command::Speed(s) => d.set_speed(s),
            Command::Recent(r) => d.set_recent(r),
            Command::Lang(l) => self.lang = l,
            Command::Operate(id, op) => {
                d.operate(&id, op);
            }
            Command::Fault(id, f) => {
                let _ = d.inject_fault(doc, &id, f);
            }
            Command::Chaos(c) => {
                let _ = d.chaos(doc, c);
            }
        }
        self.epoch = self.epoch.wrapping_add(1);
        self.figures_due = true;
        None
    }

    /// Keeps the routes of the failed and stale dots just drawn (at most
    /// [`KEPT_ROUTES`]).
    fn keep_drawn_routes(&mut self) {
        let d = &self.driver;
        let marked = d
            .dots()
            .0
            .iter()
            .filter(|t| (t.failed || t.stale) && t.request != scalesim::model::NO_REQUEST);
        for dot in marked.take(KEPT_ROUTES / 4) {
            let key = (dot.request, dot.sent);
            if self.drawn_routes.iter().any(|(k, _)| *k == key) {
                continue;
            }
            if let Some(j) = d.journey_of(dot.request, dot.sent) {
                if self.drawn_routes.len() == KEPT_ROUTES {
                    self.drawn_routes.pop_front();
                }
                self.drawn_routes.push_back((key, j));
            }
        }
    }

    fn answer(&self, ask: u32, journey: Option<Journey>) -> Update {
        let ids = match (&journey, self.driver.sim()) {
            (Some(_), Some(sim)) => sim.node_ids().to_vec(),
            _ => Vec::new(),
        };
        Update {
            frame: self.frame(),
            figures: None,
            answer: Some(Answer { ask, journey, ids }),
        }
    }

    /// What the canvas draws now.
    pub fn frame(&self) -> Frame {
        let d = &self.driver;
        let n = self.doc.nodes.len();
        let (dots, on_hop) = d.dots();
        let index = |i: usize| i as u32;
        Frame {
            epoch: self.epoch,
            exists: d.sim().is_some(),
            running: d.is_running(),
            now_ns: d.sim().map_or(0, |s| s.now()),
            pace: d.pace(),
            held: d.held(),
            on_hop,
            up: (0..n).map(|i| d.is_up(i)).collect(),
            loads: (0..n).map(|i| d.load(i)).collect(),
            rates: d
                .rates()
                .iter()
                .map(|&(a, b, r)| (index(a), index(b), r))
                .collect(),
            breakers: d
                .breakers()
                .map(|(a, b, s)| (index(a), index(b), s))
                .collect(),
            db_links: d
                .db_links()
                .iter()
                .map(|&(a, b)| (index(a), index(b)))
                .collect(),
            dots: dots.to_vec(),
        }
    }

    /// The figures now, with what the page has not been sent yet of the
    /// series and the log.
    fn figures(&mut self) -> Figures {
        let d = &self.driver;
        let generation = d.generation();
        if self.sent_generation != Some(generation) {
            self.sent_generation = Some(generation);
            self.series_sent = 0;
            self.log_sent = None;
        }
        let Some(sim) = d.sim() else {
            return Figures {
                generation,
                recent: d.recent(),
                ..Figures::default()
            };
        };
        let series = sim.series();
        let from = self.series_sent.min(series.len());
        self.series_sent = series.len();
        let stamp = (sim.log_stamp(), self.lang);
        let log = (self.log_sent != Some(stamp)).then(|| {
            self.log_sent = Some(stamp);
            d.log_rows(self.lang, LOG_ROWS)
        });
        Figures {
            snapshot: d.snapshot(),
            recent: d.recent(),
            generation,
            series_from: from as u32,
            series: series[from..].to_vec(),
            faults: sim
                .log()
                .filter(|e| is_fault(&e.event))
                .map(|e| scalesim::time::to_secs(e.t))
                .collect(),
            log_entries: sim.log_stamp().0 as u32,
            log,
            failures: (0..self.doc.nodes.len())
                .map(|i| d.has_failure(i))
                .collect(),
        }
    }
}

/// Whether a log event is a fault starting (what the chart's marks show).
fn is_fault(e: &LogEvent) -> bool {
    matches!(
        e,
        LogEvent::Crashed
            | LogEvent::Slowed { .. }
            | LogEvent::LinkCut { .. }
            | LogEvent::SpikeStarted { .. }
    )
}

/// Words per dot in [`pack_dots`].
pub const DOT_WORDS: usize = 7;

/// Dots as 32-bit words, [`DOT_WORDS`] each (from, to, progress's bits,
/// flags and kind, request, sent low and high): the form they cross to
/// the page in, as one typed array.
pub fn pack_dots(dots: &[Dot]) -> Vec<u32> {
    let mut words = Vec::with_capacity(dots.len() * DOT_WORDS);
    for d in dots {
        let kind = match d.kind {
            DotKind::Page => 0,
            DotKind::Write => 1,
            DotKind::Static => 2,
            DotKind::Job => 3,
        };
        let flags = u32::from(d.reply) | u32::from(d.failed) << 1 | u32::from(d.stale) << 2;
        words.extend_from_slice(&[
            d.from,
            d.to,
            d.progress.to_bits(),
            flags | kind << 3,
            d.request,
            d.sent as u32,
            (d.sent >> 32) as u32,
        ]);
    }
    words
}

/// The dots [`pack_dots`] packed; a trailing partial dot is ignored.
pub fn unpack_dots(words: &[u32], dots: &mut Vec<Dot>) {
    dots.clear();
    dots.extend(words.chunks_exact(DOT_WORDS).map(|w| Dot {
        from: w[0],
        to: w[1],
        progress: f32::from_bits(w[2]),
        reply: w[3] & 1 != 0,
        failed: w[3] & 2 != 0,
        stale: w[3] & 4 != 0,
        kind: match w[3] >> 3 {
            0 => DotKind::Page,
            1 => DotKind::Write,
            2 => DotKind::Static,
            _ => DotKind::Job,
        },
        request: w[4],
        sent: u64::from(w[5]) | u64::from(w[6]) << 32,
    }));
}
