//! Undo and redo through reversible diffs.
//!
//! A [`Diff`] records what an edit changed in a design document — nodes
//! removed, added and updated (matched by id), edges removed and added,
//! the seed and the faults — with both sides, so it can be applied
//! forwards (redo) or backwards (undo). Edits never reorder the nodes that
//! stay, which is what makes positions in the lists stable.

use scalesim::design::{DesignDoc, EdgeDoc, FaultDoc, NodeDoc, RegionDoc};
use std::collections::HashMap;
use std::rc::Rc;

/// A reversible change from one design document to another.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Diff {
    /// Nodes gone, with their index in the document before.
    removed_nodes: Vec<(usize, NodeDoc)>,
    /// Nodes new, with their index in the document after.
    added_nodes: Vec<(usize, NodeDoc)>,
    /// Nodes changed: index after, before, after.
    updated_nodes: Vec<(usize, NodeDoc, NodeDoc)>,
    /// Edges gone, with their index before.
    removed_edges: Vec<(usize, EdgeDoc)>,
    /// Edges new, with their index after.
    added_edges: Vec<(usize, EdgeDoc)>,
    /// Seed before and after, if it changed.
    seed: Option<(u64, u64)>,
    /// Faults before and after, if they changed.
    faults: Option<(Vec<FaultDoc>, Vec<FaultDoc>)>,
    /// Data centers before and after, if they changed.
    regions: Option<(Vec<RegionDoc>, Vec<RegionDoc>)>,
}

impl Diff {
    /// What changed from `before` to `after`, in time linear in their size:
    /// nodes are matched by id and connections by their two ends, through
    /// maps (a drag in a design of thousands of components records each
    /// move at once). A repeated id or pair of ends (an imported design may
    /// have them) matches its k-th occurrence with the k-th, so applying and
    /// reverting give back exactly the lists they came from.
    pub fn between(before: &DesignDoc, after: &DesignDoc) -> Self {
        let mut d = Diff::default();
        fn node_key(n: &NodeDoc) -> &str {
            &n.id
        }
        fn ends(e: &EdgeDoc) -> (&str, &str) {
            (&e.from, &e.to)
        }
        let (nodes_before, nodes_after) = (
            Occurrences::of(&before.nodes, node_key),
            Occurrences::of(&after.nodes, node_key),
        );
        for (i, n) in before.nodes.iter().enumerate() {
            if nodes_after.partner(&nodes_before, i).is_none() {
                d.removed_nodes.push((i, n.clone()));
            }
        }
        for (i, n) in after.nodes.iter().enumerate() {
            match nodes_before
                .partner(&nodes_after, i)
                .map(|j| &before.nodes[j])
            {
                None => d.added_nodes.push((i, n.clone())),
                Some(old) if old != n => d.updated_nodes.push((i, old.clone(), n.clone())),
                Some(_) => {}
            }
        }
        if before.edges != after.edges {
            let (edges_before, edges_after) = (
                Occurrences::of(&before.edges, ends),
                Occurrences::of(&after.edges, ends),
            );
            for (i, e) in before.edges.iter().enumerate() {
                let kept = edges_after.partner(&edges_before, i);
                if kept.is_none_or(|j| after.edges[j] != *e) {
                    d.removed_edges.push((i, e.clone()));
                }
            }
            for (i, e) in after.edges.iter().enumerate() {
                let kept = edges_before.partner(&edges_after, i);
                if kept.is_none_or(|j| before.edges[j] != *e) {
                    d.added_edges.push((i, e.clone()));
                }
            }
        }
        if before.seed != after.seed {
            d.seed = Some((before.seed, after.seed));
        }
        if before.faults != after.faults {
            d.faults = Some((before.faults.clone(), after.faults.clone()));
        }
        if before.regions != after.regions {
            d.regions = Some((before.regions.clone(), after.regions.clone()));
        }
        d
    }

    /// Whether nothing changed.
    pub fn is_empty(&self) -> bool {
        *self == Diff::default()
    }

    /// Turns the document before into the document after.
    pub fn apply(&self, doc: &mut DesignDoc) {
        for (i, _) in self.removed_nodes.iter().rev() {
            doc.nodes.remove(*i);
        }
        for (i, n) in &self.added_nodes {
            doc.nodes.insert(*i, n.clone());
        }
        for (i, _, after) in &self.updated_nodes {
            doc.nodes[*i] = after.clone();
        }
        for (i, _) in self.removed_edges.iter().rev() {
            doc.edges.remove(*i);
        }
        for (i, e) in &self.added_edges {
            doc.edges.insert(*i, e.clone());
        }
        if let Some((_, after)) = self.seed {
            doc.seed = after;
        }
        if let Some((_, after)) = &self.faults {
            doc.faults = after.clone();
        }
        if let Some((_, after)) = &self.regions {
            doc.regions = after.clone();
        }
    }

    /// Turns the document after back into the document before.
    pub fn revert(&self, doc: &mut DesignDoc) {
        if let Some((before, _)) = &self.regions {
            doc.regions = before.clone();
        }
        if let Some((before, _)) = &self.faults {
            doc.faults = before.clone();
        }
        if let Some((before, _)) = self.seed {
            doc.seed = before;
        }
        for (i, _) in self.added_edges.iter().rev() {
            doc.edges.remove(*i);
        }
        for (i, e) in &self.removed_edges {
            doc.edges.insert(*i, e.clone());
        }
        for (i, before, _) in &self.updated_nodes {
            doc.nodes[*i] = before.clone();
        }
        for (i, _) in self.added_nodes.iter().rev() {
            doc.nodes.remove(*i);
        }
        for (i, n) in &self.removed_nodes {
            doc.nodes.insert(*i, n.clone());
        }
    }
}

/// Where each key occurs in a list: the k-th item of a key is paired
/// with the k-th item of the same key in another list.
struct Occurrences<K> {
    /// Each item's key and its rank among the items of that key.
    keys: Vec<(K, usize)>,
    /// Item index by key and rank.
    index: HashMap<(K, usize), usize>,
}

impl<K: std::hash::Hash + Eq + Clone> Occurrences<K> {
    fn of<'a, T>(items: &'a [T], key: impl Fn(&'a T) -> K) -> Self {
        let mut seen: HashMap<K, usize> = HashMap::with_capacity(items.len());
        let mut keys = Vec::with_capacity(items.len());
        let mut index = HashMap::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let k = key(item);
            let rank = seen.entry(k.clone()).or_insert(0);
            keys.push((k.clone(), *rank));
            index.insert((k, *rank), i);
            *rank += 1;
        }
        Self { keys, index }
    }

    /// The item of this list paired with item `i` of `other`.
    fn partner(&self, other: &Self, i: usize) -> Option<usize> {
        self.index.get(&other.keys[i]).copied()
    }
}

/// One undo step: a diff, and the gesture it belongs to (edits of one drag
/// become one step).
#[derive(Debug, Clone, PartialEq)]
struct Step {
    diff: Diff,
    gesture: Option<u64>,
}

/// Most undo steps kept.
pub const HISTORY_LIMIT: usize = 500;

/// The undo and redo stacks. Steps are shared, so copying the editor's
/// state (on every edit) copies pointers, not the designs an import or a
/// deletion recorded.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct History {
    undo: Vec<Rc<Step>>,
    redo: Vec<Rc<Step>>,
}

impl History {
    /// Records an edit that turned `before` into `after`. An edit of the
    /// same `gesture` as the previous step is merged into it.
    pub fn record(&mut self, before: &DesignDoc, after: &DesignDoc, gesture: Option<u64>) {
        let diff = Diff::between(before, after);
        if diff.is_empty() {
            return;
        }
        self.redo.clear();
        if let Some(last) = self.undo.last_mut()
            && gesture.is_some()
            && last.gesture == gesture
        {
            // Merge: from the state before the gesture to now.
            let mut start = before.clone();
            last.diff.revert(&mut start);
            *last = Rc::new(Step {
                diff: Diff::between(&start, after),
                gesture,
            });
            return;
        }
        self.undo.push(Rc::new(Step { diff, gesture }));
        if self.undo.len() > HISTORY_LIMIT {
            self.undo.remove(0);
        }
    }

    /// Undoes the last step on `doc`; returns whether there was one.
    pub fn undo(&mut self, doc: &mut DesignDoc) -> bool {
        let Some(step) = self.undo.pop() else {
            return false;
        };
        step.diff.revert(doc);
        self.redo.push(step);
        true
    }

    /// Redoes the last undone step on `doc`; returns whether there was one.
    pub fn redo(&mut self, doc: &mut DesignDoc) -> bool {
        let Some(step) = self.redo.pop() else {
            return false;
        };
        step.diff.apply(doc);
        self.undo.push(Rc::new(Step {
            diff: step.diff.clone(),
            gesture: None, // a redone step never merges with a new edit
        }));
        true
    }

    /// Whether there is something to undo.
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// Whether there is something to redo.
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scalesim::Kind;

    fn node(id: &str, x: f64) -> NodeDoc {
        NodeDoc {
            id: id.into(),
            kind: Kind::WebServer,
            x,
            y: 0.0,
            params: Default::default(),
        }
    }

    fn edge(a: &str, b: &str) -> EdgeDoc {
        EdgeDoc::new(a, b)
    }

    fn doc(nodes: &[(&str, f64)], edges: &[(&str, &str)]) -> DesignDoc {
        DesignDoc {
            nodes: nodes.iter().map(|(id, x)| node(id, *x)).collect(),
            edges: edges.iter().map(|(a, b)| edge(a, b)).collect(),
            ..DesignDoc::default()
        }
    }

    #[test]
    fn a_diff_applies_and_reverts_exactly() {
        let before = doc(
            &[("a", 0.0), ("b", 1.0), ("c", 2.0)],
            &[("a", "b"), ("b", "c")],
        );
        let mut after = doc(
            &[("a", 5.0), ("c", 2.0), ("d", 3.0)],
            &[("a", "c"), ("c", "d")],
        );
        after.seed = 9;
        let d = Diff::between(&before, &after);
        let mut x = before.clone();
        d.apply(&mut x);
        assert_eq!(x, after);
        d.revert(&mut x);
        assert_eq!(x, before);
        assert!(Diff::between(&before, &before).is_empty());
    }

    #[test]
    fn a_connection_whose_policy_changed_is_replaced_and_a_move_touches_nothing_else() {
        let before = doc(
            &[("a", 0.0), ("b", 1.0), ("c", 2.0)],
            &[("a", "b"), ("a", "c")],
        );
        let mut after = before.clone();
        after.edges[1].params.insert(
            "timeout_ms".into(),
            scalesim::design::ParamValue::Number(250.0),
        );
        after.nodes[2].x = 40.0;
        let d = Diff::between(&before, &after);
        assert_eq!(d.removed_edges.len(), 1, "the old a → c");
        assert_eq!(d.added_edges.len(), 1, "the new a → c");
        assert_eq!(d.updated_nodes.len(), 1, "c moved; a and b untouched");
        let mut x = before.clone();
        d.apply(&mut x);
        assert_eq!(x, after);
        d.revert(&mut x);
        assert_eq!(x, before);
        // A big design: one node moved is one change, found by id.
        let ids: Vec<String> = (0..5_000).map(|i| format!("n-{i}")).collect();
        let nodes: Vec<(&str, f64)> = ids.iter().map(|id| (id.as_str(), 0.0)).collect();
        let chain: Vec<(&str, &str)> = ids
            .windows(2)
            .map(|w| (w[0].as_str(), w[1].as_str()))
            .collect();
        let big = doc(&nodes, &chain);
        let mut moved = big.clone();
        moved.nodes[4_321].x = 7.0;
        let d = Diff::between(&big, &moved);
        assert_eq!(d.updated_nodes.len(), 1);
        assert!(d.added_edges.is_empty() && d.removed_edges.is_empty());
    }

    #[test]
    fn repeated_ids_and_connections_apply_and_revert_exactly() {
        // An imported design may repeat a connection or an id: deleting one
        // of two equal connections is a change, and undoing it restores it.
        let before = doc(
            &[("a", 0.0), ("b", 1.0), ("a", 2.0)],
            &[("a", "b"), ("a", "b"), ("b", "a")],
        );
        let mut after = before.clone();
        after.edges.remove(1);
        after.nodes[2].x = 9.0;
        let d = Diff::between(&before, &after);
        assert!(!d.is_empty());
        let mut x = before.clone();
        d.apply(&mut x);
        assert_eq!(x, after);
        d.revert(&mut x);
        assert_eq!(x, before);
        let mut h = History::default();
        let mut live = before.clone();
        let mut added = live.clone();
        added.edges.push(edge("b", "a"));
        h.record(&live, &added, None);
        live = added.clone();
        let mut fewer = live.clone();
        fewer.edges.remove(0);
        h.record(&live, &fewer, None);
        live = fewer;
        assert!(
            h.undo(&mut live) && h.undo(&mut live),
            "both steps were recorded"
        );
        assert_eq!(live, before);
    }

    #[test]
    fn undo_redo_walk_the_history_and_a_new_edit_clears_redo() {
        let s0 = doc(&[], &[]);
        let s1 = doc(&[("a", 0.0)], &[]);
        let s2 = doc(&[("a", 0.0), ("b", 1.0)], &[("a", "b")]);
        let mut h = History::default();
        h.record(&s0, &s1, None);
        h.record(&s1, &s2, None);
        let mut d = s2.clone();
        assert!(h.undo(&mut d));
        assert_eq!(d, s1);
        assert!(h.undo(&mut d));
        assert_eq!(d, s0);
        assert!(!h.undo(&mut d));
        assert!(h.redo(&mut d));
        assert_eq!(d, s1);
        let s3 = doc(&[("z", 7.0)], &[]);
        h.record(&s1, &s3, None);
        assert!(!h.can_redo());
        assert!(h.undo(&mut d.clone()));
    }

    #[test]
    fn the_moves_of_one_drag_are_one_step() {
        let mut h = History::default();
        let mut cur = doc(&[("a", 0.0)], &[]);
        for x in 1..=20 {
            let next = doc(&[("a", f64::from(x))], &[]);
            h.record(&cur, &next, Some(1));
            cur = next;
        }
        let next = doc(&[("a", 50.0)], &[]);
        h.record(&cur, &next, Some(2));
        cur = next;
        assert!(h.undo(&mut cur));
        assert_eq!(cur.nodes[0].x, 20.0, "the second drag is undone alone");
        assert!(h.undo(&mut cur));
        assert_eq!(cur.nodes[0].x, 0.0, "the first drag is one step");
        assert!(!h.can_undo());
    }
}
