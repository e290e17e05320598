//! The conservation property: for random valid designs with random faults
//! (scheduled in the design, and injected while running), at every look
//! at the simulation every request users sent is answered, failed by a
//! named cause, or in flight, and every job a queue accepted is done,
//! waiting, out with a worker, dead-lettered or lost.

use fuzz::conservation;
use fuzz::make::{Dice, design};
use scalesim::design::FaultKind;
use scalesim::time::MILLISECOND;
use scalesim::{Kind, Simulation};

/// Designs tried.
const DESIGNS: u64 = 300;

#[test]
fn requests_and_jobs_are_conserved_at_every_look_under_random_faults() {
    let (mut ran, mut with_jobs, mut with_faults) = (0, 0, 0);
    let mut causes = std::collections::BTreeSet::new();
    let (mut answered, mut failed) = (0u64, 0u64);
    for index in 0..DESIGNS {
        let mut d = Dice::new(0xC0FFEE, index);
        let doc = design(&mut d, false);
        let Ok(valid) = doc.validate() else { continue };
        ran += 1;
        if !doc.faults.is_empty() {
            with_faults += 1;
        }
        let mut sim = Simulation::new(&valid);
        let mut events = 0;
        for step in 1..=30u64 {
            let before = sim.events_processed();
            sim.run_until_bounded(step * 100 * MILLISECOND, 5_000);
            events += sim.events_processed() - before;
            let s = sim.snapshot_counters();
            if let Err(e) = conservation(&s) {
                panic!("design {index}, look {step}: {e}\n{}", doc.to_json());
            }
            if events > 40_000 {
                break;
            }
            // Now and then an operator pulls the plug on something.
            if d.chance(0.15) {
                let n = d.below(sim.node_ids().len());
                if sim.node_kinds()[n] != Kind::Users {
                    let f = if d.chance(0.5) {
                        FaultKind::Kill(n)
                    } else {
                        FaultKind::Restart(n)
                    };
                    sim.inject(f);
                }
            }
        }
        let s = sim.snapshot();
        conservation(&s).unwrap_or_else(|e| panic!("design {index}, at the end: {e}"));
        answered += s.completed;
        failed += s.errors.total();
        causes.extend(
            s.errors
                .iter()
                .filter(|(_, n)| *n > 0)
                .map(|(c, _)| format!("{c:?}")),
        );
        if s.nodes
            .iter()
            .any(|n| n.queue.is_some_and(|q| q.enqueued > 0))
        {
            with_jobs += 1;
        }
    }
    // The property is only as good as the designs it saw: most ran, and
    // among them were queues with jobs, faults, and failures of several
    // kinds as well as successes.
    assert!(
        ran >= DESIGNS * 8 / 10,
        "only {ran} of {DESIGNS} designs were valid"
    );
    assert!(
        with_jobs >= 20,
        "only {with_jobs} designs put jobs in a queue"
    );
    assert!(
        with_faults >= 50,
        "only {with_faults} designs had scheduled faults"
    );
    assert!(
        answered > 10_000 && failed > 1_000,
        "{answered} answered, {failed} failed"
    );
    assert!(
        causes.len() >= 4,
        "failures by only these causes: {causes:?}"
    );
}
