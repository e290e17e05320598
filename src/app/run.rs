//! The run controls: play and pause, step, reset, seek, faults and chaos,
//! an operator's operation, and the snapshots the canvas hands up. Each
//! acts on the driver and tells the shell what to show: the new figures,
//! whether it runs, or why the design cannot run.

use crate::driver::{Chaos, NodeFault, Operation};
use crate::i18n::Msg;
use crate::live::Live;
use crate::state::{Action, Editor, Notice};
use scalesim::Snapshot;
use scalesim::design::DesignDoc;
use std::rc::Rc;
use yew::prelude::*;

/// What the run controls act on and update.
#[derive(Clone)]
pub(super) struct Run {
    /// The run.
    pub driver: Live,
    /// The design as it runs (in a lesson, with the lesson's workload).
    pub run_doc: Rc<DesignDoc>,
    /// Whether it runs.
    pub running: UseStateHandle<bool>,
    /// The figures shown.
    pub snapshot: UseStateHandle<Option<Snapshot>>,
    /// Whether the design was asked to run and could not: the list of its
    /// problems is then open on the stage.
    pub refused: UseStateHandle<bool>,
}

impl Run {
    /// Shows the latest figures now (newer ones follow with the next
    /// frame).
    fn show(&self) {
        self.snapshot.set(self.driver.0.borrow().snapshot());
    }

    /// Run (from where it is) or pause.
    pub fn toggle(&self) -> Callback<()> {
        let run = self.clone();
        Callback::from(move |()| {
            let d = &run.driver;
            if d.0.borrow().is_running() {
                d.pause();
                run.running.set(false);
                run.show();
                return;
            }
            match d.play(&run.run_doc) {
                Ok(()) => {
                    // Not when nothing can run (the engine did not load).
                    run.running.set(d.0.borrow().is_running());
                    run.refused.set(false);
                    run.show();
                }
                Err(_) => run.refused.set(true),
            }
        })
    }

    /// One event (`false`) or 10 ms of simulated time (`true`), paused.
    pub fn step(&self) -> Callback<bool> {
        let run = self.clone();
        Callback::from(move |ten_ms: bool| {
            let stepped = if ten_ms {
                run.driver.step_time(&run.run_doc)
            } else {
                run.driver.step_event(&run.run_doc)
            };
            run.running.set(false);
            match stepped {
                Ok(()) => {
                    run.refused.set(false);
                    run.show();
                }
                Err(_) => run.refused.set(true),
            }
        })
    }

    /// Back to time 0, with no figures.
    pub fn reset(&self) -> Callback<()> {
        let run = self.clone();
        Callback::from(move |()| {
            run.driver.reset();
            run.running.set(false);
            run.snapshot.set(None);
        })
    }

    /// An operator's operation on a node (e.g. promote a replica).
    pub fn operate(&self) -> Callback<(String, Operation)> {
        let run = self.clone();
        Callback::from(move |(id, op): (String, Operation)| {
            let done = run.driver.operate(&id, op);
            if done {
                run.show();
            }
        })
    }

    /// To simulated time `t` [s] (replaying from the start when going back).
    pub fn seek(&self) -> Callback<f64> {
        let run = self.clone();
        Callback::from(move |t: f64| {
            let sought = run.driver.seek(&run.run_doc, scalesim::time::from_secs(t));
            match sought {
                Ok(()) => run.show(),
                Err(_) => run.refused.set(true),
            }
        })
    }

    /// Figures from the canvas's frame loop, as they arrive.
    pub fn tick(&self) -> Callback<Snapshot> {
        let snapshot = self.snapshot.clone();
        Callback::from(move |s: Snapshot| snapshot.set(Some(s)))
    }

    /// A fault chosen from a node's menu.
    pub fn fault(&self) -> Callback<(String, NodeFault)> {
        let run = self.clone();
        Callback::from(move |(id, fault): (String, NodeFault)| {
            let injected = run.driver.inject_fault(&run.run_doc, &id, fault);
            match injected {
                Ok(_) => run.show(),
                Err(_) => run.refused.set(true),
            }
        })
    }

    /// A chaos action on a random node of a kind; says so when the design
    /// has none to act on.
    pub fn chaos(&self, editor: UseReducerHandle<Editor>) -> Callback<Chaos> {
        let run = self.clone();
        Callback::from(move |chaos: Chaos| {
            let done = run.driver.chaos(&run.run_doc, chaos);
            match done {
                Ok(true) => run.show(),
                Ok(false) => editor.dispatch(Action::Notify(Notice::Text(Msg::ChaosNothing))),
                Err(_) => run.refused.set(true),
            }
        })
    }
}
