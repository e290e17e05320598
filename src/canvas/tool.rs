//! The pointer tool: a small state machine turning pointer input on the
//! canvas into editor actions.
//!
//! ```text
//!   idle ──down on node──► pointing ──moved ≥ threshold──► dragging ──up──► idle
//!     │                        └──up──► idle (select)
//!     ├──down on port──► connecting ──up on node──► idle (connect)
//!     └──down on empty──► idle (clear selection)
//! ```

use super::geometry::{hit_node, hit_port};
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
        /// Node centre minus press point [canvas px].
        grab: (f64, f64),
        /// This press's gesture.
        gesture: u64,
    },
    /// Moving a node.
    Dragging {
        /// Node id.
        id: String,
        /// Node centre minus pointer [canvas px].
        grab: (f64, f64),
        /// This drag's gesture.
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
    /// Pointer pressed at (`x`, `y`).
    pub fn down(&mut self, doc: &DesignDoc, x: f64, y: f64) -> Vec<Action> {
        if let Some(i) = hit_port(doc, x, y) {
            *self = Tool::Connecting {
                from: doc.nodes[i].id.clone(),
                at: (x, y),
            };
            return vec![];
        }
        if let Some(i) = hit_node(doc, x, y) {
            let n = &doc.nodes[i];
            *self = Tool::Pointing {
                id: n.id.clone(),
                start: (x, y),
                grab: (n.x - x, n.y - y),
                gesture: new_gesture(),
            };
            return vec![Action::Select(Some(Selection::Node(n.id.clone())))];
        }
        *self = Tool::Idle;
        vec![Action::Select(None)]
    }

    /// Pointer moved to (`x`, `y`).
    pub fn moved(&mut self, x: f64, y: f64) -> Vec<Action> {
        match self {
            Tool::Pointing {
                id,
                start,
                grab,
                gesture,
            } => {
                let far = (x - start.0).hypot(y - start.1) >= DRAG_THRESHOLD;
                if !far {
                    return vec![];
                }
                let (id, grab, gesture) = (id.clone(), *grab, *gesture);
                *self = Tool::Dragging {
                    id: id.clone(),
                    grab,
                    gesture,
                };
                vec![Action::MoveNode {
                    id,
                    x: x + grab.0,
                    y: y + grab.1,
                    gesture,
                }]
            }
            Tool::Dragging { id, grab, gesture } => vec![Action::MoveNode {
                id: id.clone(),
                x: x + grab.0,
                y: y + grab.1,
                gesture: *gesture,
            }],
            Tool::Connecting { at, .. } => {
                *at = (x, y);
                vec![]
            }
            Tool::Idle => vec![],
        }
    }

    /// Pointer released at (`x`, `y`).
    pub fn up(&mut self, doc: &DesignDoc, x: f64, y: f64) -> Vec<Action> {
        let tool = std::mem::replace(self, Tool::Idle);
        match tool {
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
        let a = t.down(&d, 100.0, 100.0);
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
        assert!(t.down(&d, 164.0, 100.0).is_empty());
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
        t.down(&d, 164.0, 100.0);
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
        d.edges.push(scalesim::design::EdgeDoc {
            from: "users-1".into(),
            to: "web-1".into(),
        });
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
    fn pressing_empty_canvas_clears_the_selection() {
        let mut t = Tool::Idle;
        assert_eq!(t.down(&doc(), 700.0, 500.0), vec![Action::Select(None)]);
    }
}
