//! What building a node needs to know of the design around it, and
//! helpers the kinds share when they build.

use crate::catalog::Kind;
use crate::design::Design;

/// Seconds in a day, for DAU-based rates [s].
pub(super) const SECONDS_PER_DAY: f64 = 86_400.0;

/// Where a node sits in the design being built: what building its state
/// needs to know beyond its own parameters.
pub(in crate::model) struct Wiring<'a> {
    /// The validated design.
    pub design: &'a Design,
    /// The node's index in the design.
    pub i: usize,
    /// The simulation index of each design node (identity for a new run;
    /// different when a running simulation is patched).
    pub map: &'a [u32],
    /// The nodes it sends to (simulation indices), in edge order.
    pub targets: Vec<u32>,
}

impl Wiring<'_> {
    /// The kind of the node at simulation index `sim_index`.
    pub fn kind_of(&self, sim_index: u32) -> Kind {
        let d = self
            .map
            .iter()
            .position(|&m| m == sim_index)
            .expect("mapped");
        self.design.nodes[d].kind
    }

    /// The targets of one kind, in edge order.
    pub fn targets_of(&self, kind: Kind) -> Vec<u32> {
        self.targets
            .iter()
            .copied()
            .filter(|&t| self.kind_of(t) == kind)
            .collect()
    }
}
