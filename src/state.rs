//! Editor state: the design being edited, the selection and the language.
//! Every change goes through one [`Action`] and [`Editor::apply`], which is
//! plain Rust and tested natively; the Yew `Reducible` impl only wraps it.

use crate::history::History;
use crate::i18n::{Lang, Msg};
use scalesim::catalog::Kind;
use scalesim::design::{
    DesignDoc, EdgeDoc, NodeDoc, ParamValue, Problem, ProblemKind, RegionDoc, Severity,
};
use std::collections::BTreeMap;
use std::rc::Rc;
use yew::Reducible;

/// What is selected on the canvas.
#[derive(Debug, Clone, PartialEq)]
pub enum Selection {
    /// A node, by id.
    Node(String),
    /// Several nodes (a box selection, or Shift+click), by id.
    Nodes(Vec<String>),
    /// A data center, by id.
    Region(String),
    /// A connection, by its ends' ids.
    Edge {
        /// Calling node id.
        from: String,
        /// Called node id.
        to: String,
    },
}

/// A short message for the user about their last action.
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    /// A fixed catalog message.
    Text(Msg),
    /// A design problem caused by the action (e.g. a refused connection),
    /// rendered in the current language when shown.
    Problem(Problem),
    /// A built-in example was opened (by key): what it shows, when its
    /// events come, what to watch.
    Example(&'static str),
    /// Something offered (a file, a link) was refused; nothing was replaced.
    Refused {
        /// What was refused.
        heading: Msg,
        /// The file name or link concerned.
        subject: String,
        /// Why (empty when the data could not be read at all).
        problems: Vec<Problem>,
    },
}

/// Every edit and UI change the editor knows.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Add a node of `kind` centred at (`x`, `y`) [canvas px] and select it.
    AddNode {
        /// Component kind.
        kind: Kind,
        /// Centre x [canvas px].
        x: f64,
        /// Centre y [canvas px].
        y: f64,
    },
    /// Add a data center centred at (`x`, `y`) [canvas px] and select it.
    AddRegion {
        /// Centre x [canvas px].
        x: f64,
        /// Centre y [canvas px].
        y: f64,
    },
    /// Move data center `id` so its top-left corner is at (`x`, `y`)
    /// [canvas px], with the nodes inside it. Moves with the same
    /// `gesture` are one undo step.
    MoveRegion {
        /// Data center id.
        id: String,
        /// New left edge [canvas px].
        x: f64,
        /// New top edge [canvas px].
        y: f64,
        /// The drag this move belongs to.
        gesture: u64,
    },
    /// Resize data center `id` to `w` × `h` [canvas px] (at least
    /// [`MIN_REGION_W`] × [`MIN_REGION_H`]).
    ResizeRegion {
        /// Data center id.
        id: String,
        /// New width [canvas px].
        w: f64,
        /// New height [canvas px].
        h: f64,
        /// The drag this resize belongs to.
        gesture: u64,
    },
    /// Put data center `id` in another region (`us-east`, …).
    SetRegionPlace {
        /// Data center id.
        id: String,
        /// The region's key.
        region: String,
    },
    /// Move node `id` so its centre is at (`x`, `y`) [canvas px]. Moves
    /// with the same `gesture` (one drag) are one undo step.
    MoveNode {
        /// Node id.
        id: String,
        /// New centre x [canvas px].
        x: f64,
        /// New centre y [canvas px].
        y: f64,
        /// The drag (or key press) this move belongs to.
        gesture: u64,
    },
    /// Copy the selected node (parameters included) next to it and select
    /// the copy.
    DuplicateSelected,
    /// Undo the last edit.
    Undo,
    /// Redo the last undone edit.
    Redo,
    /// Connect `from` → `to` if the catalog allows it.
    Connect {
        /// Calling node id.
        from: String,
        /// Called node id.
        to: String,
    },
    /// Change the selection.
    Select(Option<Selection>),
    /// Add a node to the selection, or take it out (Shift+click).
    ToggleSelect(String),
    /// Set a parameter of node `id`.
    SetParam {
        /// Node id.
        id: String,
        /// Parameter key from the catalog.
        key: String,
        /// New value.
        value: ParamValue,
    },
    /// Set several parameters of node `id` at once (a preset): one undo
    /// step.
    SetParams {
        /// Node id.
        id: String,
        /// Parameter keys and their new values.
        values: Vec<(String, ParamValue)>,
    },
    /// Set a parameter of the connection `from` → `to` (a call policy, a
    /// DNS weight).
    SetEdgeParam {
        /// Calling node id.
        from: String,
        /// Called node id.
        to: String,
        /// Parameter key from [`scalesim::catalog::edge_params`].
        key: String,
        /// New value.
        value: ParamValue,
    },
    /// Remove the connection `from` → `to`.
    Disconnect {
        /// Calling node id.
        from: String,
        /// Called node id.
        to: String,
    },
    /// Delete the selected nodes and their edges.
    DeleteSelected,
    /// Switch the UI language.
    SetLang(Lang),
    /// Set the seed of every random stream (a new run).
    SetSeed(u64),
    /// Replace the whole design (an import, an example, a share link): an
    /// edit like any other, so Undo brings the previous design back.
    Load(DesignDoc),
    /// Start from a design restored at start-up: not an undo step.
    Restore(DesignDoc),
    /// Switch to another design (the sandbox, a lesson): it comes with its
    /// own undo history (empty), and the view fits it.
    Open(DesignDoc),
    /// Show a notice.
    Notify(Notice),
    /// Hide the notice.
    DismissNotice,
}

/// The editor's whole state.
#[derive(Debug, Clone, PartialEq)]
pub struct Editor {
    /// The design document being edited.
    pub doc: DesignDoc,
    /// Incremented on every change to `doc`, so views know when to redraw.
    pub version: u64,
    /// Current selection.
    pub selected: Option<Selection>,
    /// UI language.
    pub lang: Lang,
    /// A message about the last action, if any.
    pub notice: Option<Notice>,
    /// Undo and redo.
    pub history: History,
    /// Incremented when a whole design is loaded (the view then fits it).
    pub loads: u64,
}

/// Node centres snap to multiples of this [canvas px].
pub const SNAP: f64 = 10.0;

/// Size of a new data center [canvas px].
pub const DEFAULT_REGION_W: f64 = 600.0;
/// Height of a new data center [canvas px].
pub const DEFAULT_REGION_H: f64 = 320.0;
/// Smallest data center [canvas px].
pub const MIN_REGION_W: f64 = 160.0;
/// Smallest data center height [canvas px].
pub const MIN_REGION_H: f64 = 100.0;

fn snap(v: f64) -> f64 {
    (v / SNAP).round() * SNAP
}

impl Editor {
    /// An empty design in `lang`.
    pub fn new(lang: Lang) -> Self {
        Self {
            doc: DesignDoc::default(),
            version: 0,
            selected: None,
            lang,
            notice: None,
            history: History::default(),
            loads: 0,
        }
    }

    /// Ids of the selected nodes.
    fn selected_ids(&self) -> Vec<String> {
        match &self.selected {
            Some(Selection::Node(id)) => vec![id.clone()],
            Some(Selection::Nodes(ids)) => ids.clone(),
            Some(Selection::Edge { .. } | Selection::Region(_)) | None => Vec::new(),
        }
    }

    /// The selected data center's index in the design, if one is selected.
    pub fn selected_region(&self) -> Option<usize> {
        match &self.selected {
            Some(Selection::Region(id)) => self.doc.regions.iter().position(|r| &r.id == id),
            _ => None,
        }
    }

    /// The selected connection's index in the design, if one is selected.
    pub fn selected_edge(&self) -> Option<usize> {
        match &self.selected {
            Some(Selection::Edge { from, to }) => self
                .doc
                .edges
                .iter()
                .position(|e| &e.from == from && &e.to == to),
            _ => None,
        }
    }

    /// Indices of every selected node, in document order.
    pub fn selected_nodes(&self) -> Vec<usize> {
        let ids = self.selected_ids();
        (0..self.doc.nodes.len())
            .filter(|&i| ids.contains(&self.doc.nodes[i].id))
            .collect()
    }

    /// The selected node's index, if exactly one node is selected.
    pub fn selected_node(&self) -> Option<usize> {
        match self.selected_nodes().as_slice() {
            [i] => Some(*i),
            _ => None,
        }
    }

    fn select_ids(&mut self, mut ids: Vec<String>) {
        self.selected = match ids.len() {
            0 => None,
            1 => Some(Selection::Node(ids.remove(0))),
            _ => Some(Selection::Nodes(ids)),
        };
    }

    /// Applies one action.
    pub fn apply(&mut self, action: Action) {
        let before = self.doc.clone();
        let gesture = match &action {
            Action::MoveNode { gesture, .. }
            | Action::MoveRegion { gesture, .. }
            | Action::ResizeRegion { gesture, .. } => Some(*gesture),
            _ => None,
        };
        let mut record = true;
        match action {
            Action::AddNode { kind, x, y } => {
                let id = self.doc.next_id(kind);
                self.doc.nodes.push(NodeDoc {
                    id: id.clone(),
                    kind,
                    x: snap(x),
                    y: snap(y),
                    params: BTreeMap::new(),
                });
                self.selected = Some(Selection::Node(id));
            }
            Action::AddRegion { x, y } => {
                let id = (1..)
                    .map(|n| format!("dc-{n}"))
                    .find(|id| {
                        self.doc.regions.iter().all(|r| &r.id != id)
                            && self.doc.nodes.iter().all(|n| &n.id != id)
                    })
                    .expect("a free id");
                self.doc.regions.push(RegionDoc {
                    id: id.clone(),
                    region: scalesim::catalog::GEO_REGIONS[0].to_string(),
                    x: snap(x - DEFAULT_REGION_W / 2.0),
                    y: snap(y - DEFAULT_REGION_H / 2.0),
                    w: DEFAULT_REGION_W,
                    h: DEFAULT_REGION_H,
                });
                self.selected = Some(Selection::Region(id));
            }
            Action::MoveRegion { id, x, y, .. } => {
                if let Some(r) = self.doc.regions.iter_mut().find(|r| r.id == id) {
                    let (dx, dy) = (snap(x) - r.x, snap(y) - r.y);
                    let old = r.clone();
                    r.x += dx;
                    r.y += dy;
                    // The nodes inside travel with their data center.
                    for n in &mut self.doc.nodes {
                        if old.contains(n.x, n.y) {
                            n.x += dx;
                            n.y += dy;
                        }
                    }
                }
            }
            Action::ResizeRegion { id, w, h, .. } => {
                if let Some(r) = self.doc.regions.iter_mut().find(|r| r.id == id) {
                    r.w = snap(w).max(MIN_REGION_W);
                    r.h = snap(h).max(MIN_REGION_H);
                }
            }
            Action::SetRegionPlace { id, region } => {
                if let Some(r) = self.doc.regions.iter_mut().find(|r| r.id == id) {
                    r.region = region;
                }
            }
            Action::DeleteSelected if self.selected_region().is_some() => {
                let i = self.selected_region().expect("checked");
                self.doc.regions.remove(i);
                self.selected = None;
            }
            Action::MoveNode { id, x, y, .. } => {
                if let Some(n) = self.doc.nodes.iter_mut().find(|n| n.id == id) {
                    n.x = snap(x);
                    n.y = snap(y);
                }
            }
            Action::DuplicateSelected => {
                if let Some(i) = self.selected_node() {
                    let mut copy = self.doc.nodes[i].clone();
                    copy.id = self.doc.next_id(copy.kind);
                    copy.x += 40.0;
                    copy.y += 40.0;
                    self.selected = Some(Selection::Node(copy.id.clone()));
                    self.doc.nodes.push(copy);
                }
            }
            Action::Undo => {
                record = false;
                self.history.undo(&mut self.doc);
            }
            Action::Redo => {
                record = false;
                self.history.redo(&mut self.doc);
            }
            Action::Connect { from, to } => self.connect(from, to),
            Action::Select(sel) => self.selected = sel,
            Action::ToggleSelect(id) => {
                let mut ids = self.selected_ids();
                match ids.iter().position(|x| *x == id) {
                    Some(i) => {
                        ids.remove(i);
                    }
                    None => ids.push(id),
                }
                self.select_ids(ids);
            }
            Action::SetParam { id, key, value } => {
                if let Some(n) = self.doc.nodes.iter_mut().find(|n| n.id == id) {
                    n.params.insert(key, value);
                }
            }
            Action::SetParams { id, values } => {
                if let Some(n) = self.doc.nodes.iter_mut().find(|n| n.id == id) {
                    n.params.extend(values);
                }
            }
            Action::SetEdgeParam {
                from,
                to,
                key,
                value,
            } => {
                if let Some(e) = self
                    .doc
                    .edges
                    .iter_mut()
                    .find(|e| e.from == from && e.to == to)
                {
                    e.params.insert(key, value);
                }
            }
            Action::Disconnect { from, to } => {
                self.doc.edges.retain(|e| !(e.from == from && e.to == to));
            }
            Action::DeleteSelected if self.selected_edge().is_some() => {
                let i = self.selected_edge().expect("checked");
                self.doc.edges.remove(i);
                self.selected = None;
            }
            Action::DeleteSelected => {
                let ids = self.selected_ids();
                self.selected = None;
                self.doc.nodes.retain(|n| !ids.contains(&n.id));
                self.doc
                    .edges
                    .retain(|e| !ids.contains(&e.from) && !ids.contains(&e.to));
            }
            Action::SetLang(lang) => self.lang = lang,
            Action::SetSeed(seed) => self.doc.seed = seed,
            Action::Load(doc) => {
                self.doc = doc;
                self.selected = None;
                self.loads += 1;
            }
            Action::Restore(doc) => {
                record = false;
                self.doc = doc;
                self.selected = None;
            }
            Action::Open(doc) => {
                record = false;
                self.history = History::default();
                self.doc = doc;
                self.selected = None;
                self.notice = None;
                self.loads += 1;
            }
            Action::Notify(n) => self.notice = Some(n),
            Action::DismissNotice => self.notice = None,
        }
        if self.doc != before {
            self.version += 1;
            if record {
                self.history.record(&before, &self.doc, gesture);
            }
            // An undo may have removed what was selected.
            match &self.selected {
                Some(Selection::Region(_)) => {
                    if self.selected_region().is_none() {
                        self.selected = None;
                    }
                }
                Some(Selection::Edge { .. }) => {
                    if self.selected_edge().is_none() {
                        self.selected = None;
                    }
                }
                _ => {
                    let present: Vec<String> = self
                        .selected_ids()
                        .into_iter()
                        .filter(|id| self.doc.nodes.iter().any(|n| &n.id == id))
                        .collect();
                    self.select_ids(present);
                }
            }
        }
    }

    fn connect(&mut self, from: String, to: String) {
        let kind_of = |id: &str| self.doc.nodes.iter().find(|n| n.id == id).map(|n| n.kind);
        let (Some(a), Some(b)) = (kind_of(&from), kind_of(&to)) else {
            return;
        };
        if from == to {
            return;
        }
        if self.doc.edges.iter().any(|e| e.from == from && e.to == to) {
            self.notice = Some(Notice::Text(Msg::AlreadyConnected));
        } else if !a.can_connect_to(b) {
            self.notice = Some(Notice::Problem(Problem {
                severity: Severity::Error,
                location: format!("{from} → {to}"),
                kind: ProblemKind::NotAllowed { from: a, to: b },
            }));
        } else {
            self.doc.edges.push(EdgeDoc::new(from, to));
            self.notice = None;
        }
    }
}

impl Reducible for Editor {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        next.apply(action);
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn editor_with(kinds: &[Kind]) -> Editor {
        let mut e = Editor::new(Lang::En);
        for (i, k) in kinds.iter().enumerate() {
            e.apply(Action::AddNode {
                kind: *k,
                x: 100.0 * i as f64,
                y: 50.0,
            });
        }
        e
    }

    #[test]
    fn adding_nodes_gives_fresh_ids_selects_and_bumps_version() {
        let e = editor_with(&[Kind::WebServer, Kind::WebServer, Kind::Users]);
        let ids: Vec<_> = e.doc.nodes.iter().map(|n| n.id.as_str()).collect();
        assert_eq!(ids, ["web-1", "web-2", "users-1"]);
        assert_eq!(e.selected, Some(Selection::Node("users-1".into())));
        assert_eq!(e.version, 3);
    }

    #[test]
    fn connecting_follows_the_catalog_and_explains_refusals() {
        let mut e = editor_with(&[Kind::Users, Kind::WebServer, Kind::Database]);
        e.apply(Action::Connect {
            from: "users-1".into(),
            to: "web-1".into(),
        });
        assert_eq!(e.doc.edges.len(), 1);
        e.apply(Action::Connect {
            from: "users-1".into(),
            to: "db-1".into(),
        });
        assert_eq!(e.doc.edges.len(), 1);
        let Some(Notice::Problem(p)) = &e.notice else {
            panic!("a refused connection explains itself: {:?}", e.notice)
        };
        assert_eq!(
            p.to_string(),
            "users-1 → db-1: a Users cannot send requests to a Database"
        );
        e.apply(Action::Connect {
            from: "users-1".into(),
            to: "web-1".into(),
        });
        assert_eq!(e.notice, Some(Notice::Text(Msg::AlreadyConnected)));
        assert_eq!(e.doc.edges.len(), 1);
    }

    #[test]
    fn every_edit_undoes_and_redoes_and_a_drag_is_one_step() {
        let mut e = editor_with(&[Kind::Users, Kind::WebServer]);
        e.apply(Action::Connect {
            from: "users-1".into(),
            to: "web-1".into(),
        });
        for x in [103.0, 117.0, 160.0] {
            e.apply(Action::MoveNode {
                id: "web-1".into(),
                x,
                y: 50.0,
                gesture: 7,
            });
        }
        assert_eq!(e.doc.nodes[1].x, 160.0);
        e.apply(Action::DeleteSelected); // web-1 is not selected: nothing
        e.apply(Action::Select(Some(Selection::Node("web-1".into()))));
        e.apply(Action::DeleteSelected);
        assert!(e.doc.edges.is_empty());
        e.apply(Action::Undo);
        assert_eq!(e.doc.edges.len(), 1, "the edge comes back with the node");
        e.apply(Action::Undo);
        assert_eq!(e.doc.nodes[1].x, 100.0, "the whole drag is undone at once");
        e.apply(Action::Undo);
        assert!(e.doc.edges.is_empty());
        e.apply(Action::Redo);
        e.apply(Action::Redo);
        assert_eq!((e.doc.edges.len(), e.doc.nodes[1].x), (1, 160.0));
        e.apply(Action::Undo);
        e.apply(Action::Undo);
        e.apply(Action::Undo);
        e.apply(Action::Undo);
        assert_eq!(e.doc.nodes.len(), 0, "back to the empty design");
        assert_eq!(e.selected, None, "no selection of a node that is gone");
    }

    #[test]
    fn several_nodes_are_selected_toggled_and_deleted_together() {
        let mut e = editor_with(&[Kind::Users, Kind::WebServer, Kind::Database]);
        e.apply(Action::Connect {
            from: "users-1".into(),
            to: "web-1".into(),
        });
        e.apply(Action::Select(Some(Selection::Nodes(vec![
            "web-1".into(),
            "db-1".into(),
        ]))));
        assert_eq!(e.selected_nodes(), vec![1, 2]);
        assert_eq!(e.selected_node(), None, "the inspector shows one node only");
        e.apply(Action::ToggleSelect("db-1".into()));
        assert_eq!(e.selected, Some(Selection::Node("web-1".into())));
        e.apply(Action::ToggleSelect("users-1".into()));
        e.apply(Action::DeleteSelected);
        assert_eq!(e.doc.nodes.len(), 1);
        assert!(e.doc.edges.is_empty());
        e.apply(Action::Undo);
        assert_eq!(
            (e.doc.nodes.len(), e.doc.edges.len()),
            (3, 1),
            "one step back"
        );
    }

    #[test]
    fn nodes_snap_to_the_grid_and_duplicates_get_fresh_ids() {
        let mut e = Editor::new(Lang::En);
        e.apply(Action::AddNode {
            kind: Kind::WebServer,
            x: 147.0,
            y: 203.4,
        });
        assert_eq!((e.doc.nodes[0].x, e.doc.nodes[0].y), (150.0, 200.0));
        e.apply(Action::SetParam {
            id: "web-1".into(),
            key: "size".into(),
            value: ParamValue::Text("large".into()),
        });
        e.apply(Action::DuplicateSelected);
        assert_eq!(e.doc.nodes[1].id, "web-2");
        assert_eq!(e.doc.nodes[1].params, e.doc.nodes[0].params);
        assert_eq!(e.selected, Some(Selection::Node("web-2".into())));
    }

    #[test]
    fn a_data_center_carries_its_nodes_and_one_drag_is_one_undo_step() {
        let mut e = editor_with(&[Kind::WebServer, Kind::Database]);
        e.apply(Action::AddRegion { x: 100.0, y: 50.0 });
        let dc = e.doc.regions[0].clone();
        assert_eq!(dc.id, "dc-1");
        assert!(dc.contains(0.0, 50.0) && dc.contains(100.0, 50.0), "{dc:?}");
        let before = e.doc.clone();
        for step in 1..=3 {
            e.apply(Action::MoveRegion {
                id: "dc-1".into(),
                x: dc.x + 100.0 * f64::from(step),
                y: dc.y,
                gesture: 77,
            });
        }
        assert_eq!(e.doc.nodes[0].x, 300.0, "web-1 moved with its data center");
        assert_eq!(e.doc.regions[0].x, dc.x + 300.0);
        e.apply(Action::ResizeRegion {
            id: "dc-1".into(),
            w: 20.0,
            h: 500.0,
            gesture: 78,
        });
        assert_eq!(e.doc.regions[0].w, MIN_REGION_W);
        e.apply(Action::SetRegionPlace {
            id: "dc-1".into(),
            region: "eu-west".into(),
        });
        assert_eq!(
            e.selected_region(),
            Some(0),
            "still selected after its edits"
        );
        e.apply(Action::DeleteSelected);
        assert!(e.doc.regions.is_empty());
        assert_eq!(
            e.doc.nodes.len(),
            2,
            "deleting a data center keeps its nodes"
        );
        for _ in 0..4 {
            e.apply(Action::Undo);
        }
        assert_eq!(e.doc, before);
    }

    #[test]
    fn a_selected_connection_is_deleted_alone_and_comes_back_on_undo() {
        let mut e = editor_with(&[Kind::Users, Kind::WebServer]);
        e.apply(Action::Connect {
            from: "users-1".into(),
            to: "web-1".into(),
        });
        let before = e.doc.clone();
        e.apply(Action::Select(Some(Selection::Edge {
            from: "users-1".into(),
            to: "web-1".into(),
        })));
        assert_eq!(e.selected_edge(), Some(0));
        assert!(e.selected_nodes().is_empty());
        e.apply(Action::DeleteSelected);
        assert!(e.doc.edges.is_empty());
        assert_eq!(e.doc.nodes.len(), 2, "the nodes stay");
        e.apply(Action::Undo);
        assert_eq!(e.doc, before);
    }

    #[test]
    fn a_connection_keeps_its_policy_selected_and_undo_takes_it_back() {
        let mut e = editor_with(&[Kind::WebServer, Kind::Database]);
        e.apply(Action::Connect {
            from: "web-1".into(),
            to: "db-1".into(),
        });
        e.apply(Action::Select(Some(Selection::Edge {
            from: "web-1".into(),
            to: "db-1".into(),
        })));
        let before = e.doc.clone();
        e.apply(Action::SetEdgeParam {
            from: "web-1".into(),
            to: "db-1".into(),
            key: "retries".into(),
            value: ParamValue::Number(3.0),
        });
        assert_eq!(
            e.doc.edges[0].params.get("retries"),
            Some(&ParamValue::Number(3.0))
        );
        assert_eq!(e.selected_edge(), Some(0), "still selected");
        e.apply(Action::Undo);
        assert_eq!(e.doc, before);
        e.apply(Action::Redo);
        assert_eq!(e.doc.edges[0].params.len(), 1);
    }

    #[test]
    fn a_preset_sets_its_parameters_in_one_undo_step() {
        let mut e = editor_with(&[Kind::Database]);
        let before = e.doc.clone();
        e.apply(Action::SetParams {
            id: "db-1".into(),
            values: vec![
                ("service_ms".into(), ParamValue::Number(1.0)),
                ("write_ms".into(), ParamValue::Number(2.0)),
            ],
        });
        assert_eq!(
            e.doc.nodes[0].params.get("write_ms"),
            Some(&ParamValue::Number(2.0))
        );
        e.apply(Action::Undo);
        assert_eq!(e.doc, before);
    }

    #[test]
    fn a_restored_design_is_not_an_undo_step_but_a_loaded_one_is() {
        let mut e = editor_with(&[Kind::Users]);
        let saved = e.doc.clone();
        let mut fresh = Editor::new(Lang::En);
        fresh.apply(Action::Restore(saved.clone()));
        fresh.apply(Action::Undo);
        assert_eq!(fresh.doc, saved);
        e.apply(Action::Load(DesignDoc::default()));
        e.apply(Action::Undo);
        assert_eq!(e.doc, saved, "an import can be undone");
    }

    #[test]
    fn deleting_a_node_removes_its_edges_and_selection_only_changes_no_version() {
        let mut e = editor_with(&[Kind::Users, Kind::WebServer]);
        e.apply(Action::Connect {
            from: "users-1".into(),
            to: "web-1".into(),
        });
        let v = e.version;
        e.apply(Action::Select(Some(Selection::Node("web-1".into()))));
        assert_eq!(e.version, v, "selecting is not an edit");
        e.apply(Action::DeleteSelected);
        assert!(e.doc.edges.is_empty());
        assert_eq!(e.doc.nodes.len(), 1);
        assert_eq!(e.selected, None);
    }
}
