//! What a user does to a running design beyond editing it: an operator's
//! action on a node, a fault from a node's menu, a chaos experiment.

use super::Driver;
use scalesim::Simulation;
use scalesim::design::{DesignDoc, FaultKind, Problems};

/// What an operator can do to a running node from the inspector.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Operation {
    /// Promote a database replica to master (manual failover; refused and
    /// logged unless its master is down).
    Promote,
    /// Empty a cache or CDN.
    Purge,
}

/// A fault the user injects into one node from its context menu.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum NodeFault {
    /// Crash it.
    Kill,
    /// Start it again.
    Restart,
    /// Multiply its service times by [`SLOW_FACTOR`] for [`FAULT_S`].
    Slow,
    /// Cut every connection to and from it for [`FAULT_S`].
    Cut,
}

/// A chaos-menu experiment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Chaos {
    /// Kill one live web server (which one depends on the moment).
    KillServer,
    /// Kill a live master database.
    KillMaster,
    /// Kill every node of one data center.
    KillDataCenter,
    /// Every Users node sends ten times as much for a minute.
    TrafficSpike,
}

/// How long a slow-down or a cut made from the menu lasts [s].
pub const FAULT_S: f64 = 60.0;
/// How much a slow-down from the menu multiplies service times.
pub const SLOW_FACTOR: f64 = 10.0;

impl Driver {
    /// Applies `op` to node `id` now; returns whether a simulation exists
    /// and has that node.
    pub fn operate(&mut self, id: &str, op: Operation) -> bool {
        let Some(sim) = self.sim.as_mut() else {
            return false;
        };
        let Some(i) = sim.node_of(id) else {
            return false;
        };
        sim.inject(match op {
            Operation::Promote => FaultKind::Promote(i),
            Operation::Purge => FaultKind::Purge(i),
        });
        true
    }

    /// Injects `fault` into node `id` now (building the simulation, paused at
    /// time 0, if none exists); `false` if the node does not exist.
    pub fn inject_fault(
        &mut self,
        doc: &DesignDoc,
        id: &str,
        fault: NodeFault,
    ) -> Result<bool, Problems> {
        let sim = self.ensure(doc)?;
        let Some(i) = sim.node_of(id) else {
            return Ok(false);
        };
        let d = scalesim::time::from_secs(FAULT_S);
        match fault {
            NodeFault::Kill => sim.inject(FaultKind::Kill(i)),
            NodeFault::Restart => sim.inject(FaultKind::Restart(i)),
            NodeFault::Slow => sim.inject(FaultKind::Slow(i, SLOW_FACTOR, Some(d))),
            NodeFault::Cut => {
                for e in &doc.edges {
                    let other = if e.from == id {
                        &e.to
                    } else if e.to == id {
                        &e.from
                    } else {
                        continue;
                    };
                    if let Some(j) = sim.node_of(other) {
                        sim.inject(FaultKind::Cut(i, j, Some(d)));
                    }
                }
            }
        }
        self.sample_dots();
        Ok(true)
    }

    /// Runs a chaos experiment now; returns what it hit (a node or data
    /// center id), or `None` if the design has nothing to hit.
    pub fn chaos(&mut self, doc: &DesignDoc, chaos: Chaos) -> Result<Option<String>, Problems> {
        use scalesim::catalog::Kind;
        let sim = self.ensure(doc)?;
        let ids: Vec<String> = sim.node_ids().to_vec();
        // "Random" from the moment: the same run clicked at the same
        // event picks the same victim.
        let pick = |n: usize, sim: &Simulation| (sim.events_processed() as usize) % n.max(1);
        let hit = match chaos {
            Chaos::KillServer | Chaos::KillMaster => {
                let candidates: Vec<usize> = (0..ids.len())
                    .filter(|&i| sim.is_up(i))
                    .filter(|&i| match (chaos, sim.load(i)) {
                        (Chaos::KillServer, Some(_)) => sim.node_kinds()[i] == Kind::WebServer,
                        (Chaos::KillMaster, Some(l)) => {
                            l.role == Some(scalesim::model::DbRole::Master)
                        }
                        _ => false,
                    })
                    .collect();
                if candidates.is_empty() {
                    return Ok(None);
                }
                let i = candidates[pick(candidates.len(), sim)];
                sim.inject(FaultKind::Kill(i));
                Some(ids[i].clone())
            }
            Chaos::KillDataCenter => {
                if doc.regions.is_empty() {
                    return Ok(None);
                }
                let dc = pick(doc.regions.len(), sim);
                sim.inject(FaultKind::KillDc(dc));
                Some(doc.regions[dc].id.clone())
            }
            Chaos::TrafficSpike => {
                let d = scalesim::time::from_secs(FAULT_S);
                let users: Vec<usize> = doc
                    .nodes
                    .iter()
                    .filter(|n| n.kind == Kind::Users)
                    .filter_map(|n| ids.iter().rposition(|x| *x == n.id))
                    .collect();
                for &u in &users {
                    sim.inject(FaultKind::Spike(u, 10.0, d));
                }
                users.first().map(|&u| ids[u].clone())
            }
        };
        self.sample_dots();
        Ok(hit)
    }
}
