//! Patching a running simulation with an edited design: nodes keep their
//! state, new ones join, removed ones drain; a change of roles re-forms
//! the replication groups it touches, as an operator would.

use super::{Simulation, kinds};
use crate::catalog::Kind;
use crate::design::Design;
use kinds::NodeState;
use std::collections::HashMap;

/// Each master's id with its replicas' ids, in design order.
pub(super) fn group_layout(design: &Design) -> Vec<(String, Vec<String>)> {
    design
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| n.is_master())
        .map(|(i, n)| {
            let replicas = design.out[i]
                .iter()
                .filter(|&&r| design.nodes[r].kind == Kind::Database)
                .map(|&r| design.nodes[r].id.clone())
                .collect();
            (n.id.clone(), replicas)
        })
        .collect()
}

impl Simulation {
    /// Applies an edited design to the running simulation without
    /// stopping it: nodes that stay keep their state (queues, sessions,
    /// health views, caches, figures) and take the edited parameters and
    /// wiring; new nodes join (a load balancer starts sending to a new
    /// server at once, as when an operator registers it); removed nodes get
    /// nothing new and finish what they hold. Faults in the edited design
    /// are not rescheduled. A change of roles or of the connections between
    /// databases re-forms the replication groups it touches
    /// ([`Simulation::relayout`]). Returns `false`, changing nothing, if a
    /// node kept its id but changed kind: then build a new simulation
    /// instead.
    pub fn patch(&mut self, design: &Design) -> bool {
        // Connections the timeline has made by now stay made.
        let connected;
        let design = if design.connects_later() {
            self.scheduled = Some(design.clone());
            connected = design.connected_by(self.now);
            &connected
        } else {
            self.scheduled = None;
            design
        };
        let layout = group_layout(design);
        // `None`: roles or the connections between databases changed;
        // replication is laid out anew once the nodes are in place.
        let added_groups = self.added_groups(&layout);
        let old_len = self.nodes.len();
        let mut map = Vec::with_capacity(design.nodes.len());
        let mut next = old_len as u32;
        // The simulation node of each id: the latest (a node deleted and
        // added again joins at a new index; its old one stays retired).
        let mut by_id: HashMap<&str, usize> = HashMap::with_capacity(self.ids.len());
        for (i, id) in self.ids.iter().enumerate() {
            by_id.insert(id.as_str(), i);
        }
        for n in &design.nodes {
            match by_id
                .get(n.id.as_str())
                .copied()
                .filter(|&i| !self.retired[i])
            {
                Some(i) if self.kinds[i] == n.kind => map.push(i as u32),
                Some(_) => return false,
                _ => {
                    map.push(next);
                    next += 1;
                }
            }
        }
        drop(by_id);
        // A request's record drawn from its Users node's table is looked
        // up in the table it was drawn from, not an edited one.
        self.look_up_drawn_keys();
        let now = self.now;
        let mut kept = vec![false; old_len];
        for (k, n) in design.nodes.iter().enumerate() {
            let fresh = NodeState::build(design, k, n, &map);
            let idx = map[k] as usize;
            if idx < old_len {
                kept[idx] = true;
                let old = std::mem::replace(&mut self.nodes[idx], fresh);
                self.nodes[idx].inherit(old, now);
            } else {
                self.nodes.push(fresh);
                self.ids.push(n.id.clone());
                self.kinds.push(n.kind);
                self.retired.push(false);
                self.join(idx as u32, now);
            }
            self.resume(idx as u32, now);
        }
        self.configure_groups(design);
        self.dc_geo = design.datacenters.iter().map(|d| d.geo).collect();
        self.dc_of.resize(self.nodes.len(), None);
        for (k, &idx) in map.iter().enumerate() {
            self.dc_of[idx as usize] = design.datacenter_of[k];
        }
        for (i, keep) in kept.iter().enumerate() {
            if !keep && !self.retired[i] && !self.autoscaled(i as u32) {
                self.retired[i] = true;
                if let NodeState::Users(u) = &mut self.nodes[i] {
                    u.epoch += 1; // no more arrivals
                }
            }
        }
        // A group by simulation indices: its master first.
        let mut design_index: HashMap<&str, usize> = HashMap::with_capacity(design.nodes.len());
        for (k, n) in design.nodes.iter().enumerate() {
            design_index.entry(n.id.as_str()).or_insert(k);
        }
        let members = |(master, replicas): &(String, Vec<String>)| {
            let index = |id: &String| map[*design_index.get(id.as_str()).expect("laid out")];
            let members = std::iter::once(master).chain(replicas).map(index);
            (master.clone(), members.collect::<Vec<u32>>())
        };
        match added_groups {
            Some(added) => {
                for (master, members) in added.iter().map(members) {
                    self.add_group(members, design, &master);
                }
            }
            None => self.relayout(design, layout.iter().map(members).collect()),
        }
        self.group_layout = layout;
        let before = self.monitor;
        self.attach_monitor(design, &map, before);
        self.start_migrations();
        true
    }

    /// The groups an edit to `layout` adds, if it changes masters and
    /// replicas only by adding whole new groups (new nodes only) or removing
    /// whole groups — what adding or removing a shard does; `None` for any
    /// other change (replication must restart).
    pub(in crate::model) fn added_groups(
        &self,
        layout: &[(String, Vec<String>)],
    ) -> Option<Vec<(String, Vec<String>)>> {
        let members = |g: &(String, Vec<String>)| {
            std::iter::once(g.0.clone())
                .chain(g.1.iter().cloned())
                .collect::<Vec<_>>()
        };
        let old_ids: Vec<String> = self.group_layout.iter().flat_map(members).collect();
        let new_ids: Vec<String> = layout.iter().flat_map(members).collect();
        for g in &self.group_layout {
            let kept = layout.contains(g);
            let gone = members(g).iter().all(|id| !new_ids.contains(id));
            if !kept && !gone {
                return None;
            }
        }
        let mut added = Vec::new();
        for g in layout {
            if self.group_layout.contains(g) {
                continue;
            }
            // A new group is made of nodes new to the simulation.
            let fresh = members(g).iter().all(|id| {
                !old_ids.contains(id)
                    && self
                        .ids
                        .iter()
                        .enumerate()
                        .all(|(i, x)| x != id || self.retired[i])
            });
            if !fresh {
                return None;
            }
            added.push(g.clone());
        }
        Some(added)
    }
}
