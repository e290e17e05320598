//! The pointer tool: a small state machine turning pointer input on the
//! canvas into editor actions.
//!
//! ```text
//!   idle ──down on node──► pointing ──moved ≥ threshold──► dragging ──up──► idle
//!     │                        └──up──► idle (select)
//!     ├──down on port──► connecting ──up on node──► idle (connect)
//!     ├──Shift+down on node──► idle (toggle it in the selection)
//!     └──down on empty──► selecting (a box) ──up──► idle (select what it holds)
//!
//! Dragging a node that belongs to a multiple selection moves them all.
//! ```

use super::geometry::{EDGE_SLOP, RegionPart, hit_edge, hit_node, hit_port, hit_region};
use crate::state::{Action, Selection};
use scalesim::design::DesignDoc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Each press starts a new gesture; the moves of one drag share its number,
/// so they undo as one step.
static NEXT_GESTURE: AtomicU64 = AtomicU64::new(1);

/// A fresh gesture number.
pub fn new_gesture() -> u64 {
    NEXT_GESTURE.fetch_add(1, Ordering::Relaxed)
}

/// Distance a pointer must move before a press becomes a drag [canvas px].
pub const DRAG_THRESHOLD: f64 = 3.0;

/// What the pointer is doing.
#[derive(Debug, Clone, PartialEq)]
pub enum Tool {
    /// Nothing pressed.
    Idle,
    /// Pressed on a node, not yet moved far enough to drag it.
    Pointing {
        /// Node id.
        id: String,
        /// Where the press happened [canvas px].
        start: (f64, f64),
        /// The nodes a drag would move, each with its centre minus the press
        /// point [canvas px].
        group: Vec<(String, (f64, f64))>,
        /// This press's gesture.
        gesture: u64,
    },
    /// Moving one or more nodes.
    Dragging {
        /// The nodes moved, each with its centre minus the pointer [canvas px].
        group: Vec<(String, (f64, f64))>,
        /// This drag's gesture.
        gesture: u64,
    },
    /// Drawing a selection box.
    Selecting {
        /// Corner where the press happened [canvas px].
        start: (f64, f64),
        /// Opposite corner, at the pointer [canvas px].
        at: (f64, f64),
    },
    /// Moving a data center by its title strip.
    MovingRegion {
        /// Data center id.
        id: String,
        /// Pointer offset from its top-left corner [canvas px].
        grab: (f64, f64),
        /// The drag.
        gesture: u64,
    },
    /// Resizing a data center by its handle.
    ResizingRegion {
        /// Data center id.
        id: String,
        /// Pointer offset from its bottom-right corner [canvas px].
        grab: (f64, f64),
        /// Its top-left corner [canvas px].
        origin: (f64, f64),
        /// The drag.
        gesture: u64,
    },
    /// Drawing a new edge from a node's port.
    Connecting {
        /// Id of the node the edge starts at.
        from: String,
        /// Current pointer position [canvas px].
        at: (f64, f64),
    },
}

impl Tool {
    /// Pointer pressed at (`x`, `y`) with `selected` (indices) selected;
    /// `shift` toggles nodes in the selection instead.
    pub fn down(
        &mut self,
        doc: &DesignDoc,
        x: f64,
        y: f64,
        selected: &[usize],
        shift: bool,
    ) -> Vec<Action> {
        if let Some(i) = hit_port(doc, x, y) {
            *self = Tool::Connecting {
                from: doc.nodes[i].id.clone(),
                at: (x, y),
            };
            return vec![];
        }
        if let Some(i) = hit_node(doc, x, y) {
            let n = &doc.nodes[i];
            if shift {
                *self = Tool::Idle;
                return vec![Action::ToggleSelect(n.id.clone())];
            }
            let in_group = selected.len() > 1 && selected.contains(&i);
            let members: Vec<usize> = if in_group { selected.to_vec() } else { vec![i] };
            let group = members
                .iter()
                .map(|&m| {
                    let g = &doc.nodes[m];
                    (g.id.clone(), (g.x - x, g.y - y))
                })
                .collect();
            *self = Tool::Pointing {
                id: n.id.clone(),
                start: (x, y),
                group,
                gesture: new_gesture(),
            };
            return if in_group {
                vec![] // keep the group selected: a drag moves it all
            } else {
                vec![Action::Select(Some(Selection::Node(n.id.clone())))]
            };
        }
        if !shift && let Some((i, part)) = hit_region(doc, x, y) {
            let r = &doc.regions[i];
            *self = match part {
                RegionPart::Title => Tool::MovingRegion {
                    id: r.id.clone(),
                    grab: (x - r.x, y - r.y),
                    gesture: new_gesture(),
                },
                RegionPart::Handle => Tool::ResizingRegion {
                    id: r.id.clone(),
                    grab: (x - (r.x + r.w), y - (r.y + r.h)),
                    origin: (r.x, r.y),
                    gesture: new_gesture(),
                },
            };
            return vec![Action::Select(Some(Selection::Region(r.id.clone())))];
        }
        if !shift && let Some(i) = hit_edge(doc, x, y, EDGE_SLOP) {
            let e = &doc.edges[i];
            *self = Tool::Idle;
            return vec![Action::Select(Some(Selection::Edge {
                from: e.from.clone(),
                to: e.to.clone(),
            }))];
        }
        *self = Tool::Selecting {
            start: (x, y),
            at: (x, y),
        };
        if shift {
            vec![]
        } else {
            vec![Action::Select(None)]
        }
    }

    /// Pointer moved to (`x`, `y`).
    pub fn moved(&mut self, x: f64, y: f64) -> Vec<Action> {
        match self {
            Tool::Pointing {
                start,
                group,
                gesture,
                ..
            } => {
                let far = (x - start.0).hypot(y - start.1) >= DRAG_THRESHOLD;
                if !far {
                    return vec![];
                }
                let (group, gesture) = (std::mem::take(group), *gesture);
                let moves = moves(&group, x, y, gesture);
                *self = Tool::Dragging { group, gesture };
                moves
            }
            Tool::Dragging { group, gesture } => moves(group, x, y, *gesture),
            Tool::Selecting { at, .. } => {
                *at = (x, y);
                vec![]
            }
            Tool::Connecting { at, .. } => {
                *at = (x, y);
                vec![]
            }
            Tool::MovingRegion { id, grab, gesture } => vec![Action::MoveRegion {
                id: id.clone(),
                x: x - grab.0,
                y: y - grab.1,
                gesture: *gesture,
            }],
            Tool::ResizingRegion {
                id,
                grab,
                origin,
                gesture,
            } => vec![Action::ResizeRegion {
                id: id.clone(),
                w: x - grab.0 - origin.0,
                h: y - grab.1 - origin.1,
                gesture: *gesture,
            }],
            Tool::Idle => vec![],
        }
    }

    /// Pointer released at (`x`, `y`).
    pub fn up(&mut self, doc: &DesignDoc, x: f64, y: f64) -> Vec<Action> {
        let tool = std::mem::replace(self, Tool::Idle);
        match tool {
            Tool::Selecting { start, .. } => {
                let (x0, x1) = (start.0.min(x), start.0.max(x));
                let (y0, y1) = (start.1.min(y), start.1.max(y));
                let ids: Vec<String> = doc
                    .nodes
                    .iter()
                    .filter(|n| n.x >= x0 && n.x <= x1 && n.y >= y0 && n.y <= y1)
                    .map(|n| n.id.clone())
                    .collect();
                match ids.len() {
                    0 => vec![],
                    1 => vec![Action::Select(Some(Selection::Node(ids[0].clone())))],
                    _ => vec![Action::Select(Some(Selection::Nodes(ids)))],
                }
            }
            // A click (no drag) on a member of a group selects just it.
            Tool::Pointing { id, group, .. } if group.len() > 1 => {
                vec![Action::Select(Some(Selection::Node(id)))]
            }
            Tool::Connecting { from, .. } => match hit_node(doc, x, y) {
                Some(i) if doc.nodes[i].id != from => vec![Action::Connect {
                    from,
                    to: doc.nodes[i].id.clone(),
                }],
                _ => vec![],
            },
            _ => vec![],
        }
    }

    /// Pointer cancelled (e.g. the browser took over a touch).
    pub fn cancel(&mut self) {
        *self = Tool::Idle;
    }
}

/// The moves of a dragged group with the pointer at (`x`, `y`).
fn moves(group: &[(String, (f64, f64))], x: f64, y: f64, gesture: u64) -> Vec<Action> {
    group
        .iter()
        .map(|(id, grab)| Action::MoveNode {
            id: id.clone(),
            x: x + grab.0,
            y: y + grab.1,
            gesture,
        })
        .collect()
}

/// A connection being made from the keyboard: `C` on a selected node, then
/// Tab or arrows through the nodes it may connect to, Enter to connect.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyConnect {
    /// Index of the node the edge starts at.
    pub from: usize,
    /// Nodes it may connect to (allowed kinds, not yet connected), in
    /// design order.
    pub candidates: Vec<usize>,
    /// Which candidate is chosen now.
    pub pick: usize,
}

impl KeyConnect {
    /// Starts from node `from`, if it may connect to anything.
    pub fn start(doc: &DesignDoc, from: usize) -> Option<Self> {
        let a = &doc.nodes[from];
        let candidates: Vec<usize> = doc
            .nodes
            .iter()
            .enumerate()
            .filter(|(i, b)| {
                *i != from
                    && a.kind.can_connect_to(b.kind)
                    && !doc.edges.iter().any(|e| e.from == a.id && e.to == b.id)
            })
            .map(|(i, _)| i)
            .collect();
        (!candidates.is_empty()).then_some(Self {
            from,
            candidates,
            pick: 0,
        })
    }

    /// Chooses the next (or previous) candidate, wrapping around.
    pub fn step(&mut self, forward: bool) {
        let n = self.candidates.len();
        self.pick = if forward {
            (self.pick + 1) % n
        } else {
            (self.pick + n - 1) % n
        };
    }

    /// The chosen target's index.
    pub fn target(&self) -> usize {
        self.candidates[self.pick]
    }

    /// The action that makes the connection.
    pub fn finish(&self, doc: &DesignDoc) -> Action {
        Action::Connect {
            from: doc.nodes[self.from].id.clone(),
            to: doc.nodes[self.target()].id.clone(),
        }
    }
}

/// The node Tab (or Shift+Tab) selects next, or `None` when focus should
/// leave the canvas (past the last node, or before the first): the canvas
/// never traps the keyboard.
pub fn tab_target(count: usize, selected: Option<usize>, backwards: bool) -> Option<usize> {
    match (selected, backwards) {
        _ if count == 0 => None,
        (None, false) => Some(0),
        (None, true) => Some(count - 1),
        (Some(i), false) => (i + 1 < count).then_some(i + 1),
        (Some(i), true) => i.checked_sub(1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scalesim::Kind;
    use scalesim::design::NodeDoc;

    fn doc() -> DesignDoc {
        let mut d = DesignDoc::default();
        for (id, kind, x) in [
            ("users-1", Kind::Users, 100.0),
            ("web-1", Kind::WebServer, 400.0),
        ] {
            d.nodes.push(NodeDoc {
                id: id.into(),
                kind,
                x,
                y: 100.0,
                params: Default::default(),
            });
        }
        d
    }

    #[test]
    fn a_small_wiggle_is_still_a_click_and_a_real_move_drags() {
        let d = doc();
        let mut t = Tool::Idle;
        let a = t.down(&d, 100.0, 100.0, &[], false);
        assert_eq!(
            a,
            vec![Action::Select(Some(Selection::Node("users-1".into())))]
        );
        assert!(t.moved(101.0, 101.0).is_empty());
        assert!(matches!(t, Tool::Pointing { .. }));
        let a = t.moved(110.0, 100.0);
        let Tool::Dragging { gesture, .. } = t else {
            panic!("a real move drags: {t:?}")
        };
        assert_eq!(
            a,
            vec![Action::MoveNode {
                id: "users-1".into(),
                x: 110.0,
                y: 100.0,
                gesture
            }]
        );
        let Action::MoveNode { gesture: g2, .. } = t.moved(120.0, 100.0)[0] else {
            unreachable!()
        };
        assert_eq!(g2, gesture, "one drag, one gesture");
        assert!(t.up(&d, 110.0, 100.0).is_empty());
        assert_eq!(t, Tool::Idle);
    }

    #[test]
    fn dragging_from_a_port_onto_a_node_connects_them() {
        let d = doc();
        let mut t = Tool::Idle;
        assert!(t.down(&d, 164.0, 100.0, &[], false).is_empty());
        t.moved(300.0, 120.0);
        assert_eq!(
            t,
            Tool::Connecting {
                from: "users-1".into(),
                at: (300.0, 120.0)
            }
        );
        assert_eq!(
            t.up(&d, 400.0, 100.0),
            vec![Action::Connect {
                from: "users-1".into(),
                to: "web-1".into()
            }]
        );
        // Released on empty canvas: nothing.
        t.down(&d, 164.0, 100.0, &[], false);
        assert!(t.up(&d, 700.0, 400.0).is_empty());
    }

    #[test]
    fn keyboard_connections_offer_only_allowed_new_targets() {
        let mut d = doc();
        d.nodes.push(NodeDoc {
            id: "db-1".into(),
            kind: Kind::Database,
            x: 700.0,
            y: 100.0,
            params: Default::default(),
        });
        d.nodes.push(NodeDoc {
            id: "web-2".into(),
            kind: Kind::WebServer,
            x: 400.0,
            y: 300.0,
            params: Default::default(),
        });
        // users-1 may call web servers, not the database.
        let mut k = KeyConnect::start(&d, 0).unwrap();
        assert_eq!(k.candidates, vec![1, 3]);
        k.step(true);
        assert_eq!(k.target(), 3);
        k.step(true);
        assert_eq!(k.target(), 1, "wraps around");
        k.step(false);
        assert_eq!(
            k.finish(&d),
            Action::Connect {
                from: "users-1".into(),
                to: "web-2".into()
            }
        );
        // Once connected, a target is no longer offered; a database offers none.
        d.edges
            .push(scalesim::design::EdgeDoc::new("users-1", "web-1"));
        assert_eq!(KeyConnect::start(&d, 0).unwrap().candidates, vec![3]);
        assert_eq!(KeyConnect::start(&d, 2), None);
    }

    #[test]
    fn tab_walks_the_nodes_and_then_lets_focus_leave() {
        assert_eq!(tab_target(3, None, false), Some(0));
        assert_eq!(tab_target(3, Some(0), false), Some(1));
        assert_eq!(tab_target(3, Some(2), false), None);
        assert_eq!(tab_target(3, Some(0), true), None);
        assert_eq!(tab_target(3, None, true), Some(2));
        assert_eq!(tab_target(0, None, false), None);
    }

    #[test]
    fn pressing_empty_canvas_clears_the_selection_and_a_box_selects() {
        let d = doc();
        let mut t = Tool::Idle;
        assert_eq!(
            t.down(&d, 700.0, 500.0, &[], false),
            vec![Action::Select(None)]
        );
        t.moved(50.0, 50.0);
        assert!(matches!(t, Tool::Selecting { .. }));
        // The box from (50,50) to (700,500) holds both node centres.
        assert_eq!(
            t.up(&d, 50.0, 50.0),
            vec![Action::Select(Some(Selection::Nodes(vec![
                "users-1".into(),
                "web-1".into()
            ])))]
        );
        t.down(&d, 700.0, 500.0, &[], false);
        assert!(
            t.up(&d, 650.0, 450.0).is_empty(),
            "an empty box selects nothing"
        );
    }

    #[test]
    fn dragging_a_selected_group_moves_every_member_in_one_gesture() {
        let d = doc();
        let mut t = Tool::Idle;
        assert!(
            t.down(&d, 100.0, 100.0, &[0, 1], false).is_empty(),
            "the group stays selected"
        );
        let a = t.moved(120.0, 130.0);
        assert_eq!(a.len(), 2);
        let gestures: Vec<u64> = a
            .iter()
            .map(|m| match m {
                Action::MoveNode { gesture, .. } => *gesture,
                _ => unreachable!(),
            })
            .collect();
        assert_eq!(gestures[0], gestures[1]);
        assert!(
            matches!(&a[1], Action::MoveNode { id, x, y, .. } if id == "web-1" && *x == 420.0 && *y == 130.0)
        );
        // Shift+click toggles instead.
        let mut t = Tool::Idle;
        assert_eq!(
            t.down(&d, 400.0, 100.0, &[0], true),
            vec![Action::ToggleSelect("web-1".into())]
        );
    }
}
