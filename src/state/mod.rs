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
    /// Copy what is selected next to it and select the copy: components
    /// (parameters included) with the connections between them; a data
    /// center with every component inside it and their connections —
    /// placed beside it, in the next region not used yet.
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
    /// The data-center drag under way: its gesture and the components the
    /// data center held when the drag began (only those travel with it).
    pub region_drag: Option<(u64, Vec<String>)>,
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
            region_drag: None,
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
                let id = self.free_region_id();
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
            Action::MoveRegion { id, x, y, gesture } => {
                // The nodes inside when the drag began travel with their
                // data center; those it passes over stay where they are.
                let members = match &self.region_drag {
                    Some((g, ids)) if *g == gesture => ids.clone(),
                    _ => self
                        .doc
                        .regions
                        .iter()
                        .find(|r| r.id == id)
                        .map(|r| {
                            self.doc
                                .nodes
                                .iter()
                                .filter(|n| r.contains(n.x, n.y))
                                .map(|n| n.id.clone())
                                .collect()
                        })
                        .unwrap_or_default(),
                };
                if let Some(r) = self.doc.regions.iter_mut().find(|r| r.id == id) {
                    let (dx, dy) = (snap(x) - r.x, snap(y) - r.y);
                    r.x += dx;
                    r.y += dy;
                    for n in &mut self.doc.nodes {
                        if members.contains(&n.id) {
                            n.x += dx;
                            n.y += dy;
                        }
                    }
                }
                self.region_drag = Some((gesture, members));
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
            Action::DuplicateSelected => self.duplicate(),
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

    /// Copies the components `ids` moved by (`dx`, `dy`), with the
    /// connections between them (and, with `outer`, those to and from
    /// other components too). Returns the copies' ids, in order.
    fn copy_nodes(&mut self, ids: &[String], dx: f64, dy: f64, outer: bool) -> Vec<String> {
        let mut renamed: BTreeMap<String, String> = BTreeMap::new();
        let originals: Vec<NodeDoc> = self
            .doc
            .nodes
            .iter()
            .filter(|n| ids.contains(&n.id))
            .cloned()
            .collect();
        for n in originals {
            let mut copy = n.clone();
            copy.id = self.doc.next_id(copy.kind);
            copy.x += dx;
            copy.y += dy;
            renamed.insert(n.id, copy.id.clone());
            self.doc.nodes.push(copy);
        }
        let edges: Vec<EdgeDoc> = self
            .doc
            .edges
            .iter()
            .filter_map(|e| {
                let (from, to) = (renamed.get(&e.from), renamed.get(&e.to));
                let inner = from.is_some() && to.is_some();
                (inner || (outer && (from.is_some() || to.is_some()))).then(|| EdgeDoc {
                    from: from.cloned().unwrap_or_else(|| e.from.clone()),
                    to: to.cloned().unwrap_or_else(|| e.to.clone()),
                    params: e.params.clone(),
                })
            })
            .collect();
        self.doc.edges.extend(edges);
        ids.iter()
            .filter_map(|id| renamed.get(id).cloned())
            .collect()
    }

    /// The first `dc-N` no data center or component has.
    fn free_region_id(&self) -> String {
        (1..)
            .map(|n| format!("dc-{n}"))
            .find(|id| {
                self.doc.regions.iter().all(|r| &r.id != id)
                    && self.doc.nodes.iter().all(|n| &n.id != id)
            })
            .expect("a free id")
    }

    fn duplicate(&mut self) {
        if let Some(i) = self.selected_region() {
            let r = self.doc.regions[i].clone();
            let inside: Vec<String> = self
                .doc
                .nodes
                .iter()
                .filter(|n| r.contains(n.x, n.y))
                .map(|n| n.id.clone())
                .collect();
            let dx = snap(r.w + 60.0);
            // The first region no data center is in yet, so the copy is a
            // second place users can be served from.
            let used: Vec<&str> = self.doc.regions.iter().map(|d| d.region.as_str()).collect();
            let region = scalesim::catalog::GEO_REGIONS
                .iter()
                .find(|g| !used.contains(g))
                .map_or_else(|| r.region.clone(), |g| g.to_string());
            let id = self.free_region_id();
            // The components inside come with every connection: callers
            // outside (a DNS, the users) reach the copy too.
            self.copy_nodes(&inside, dx, 0.0, true);
            self.doc.regions.push(RegionDoc {
                id: id.clone(),
                region,
                x: r.x + dx,
                ..r
            });
            self.selected = Some(Selection::Region(id));
            return;
        }
        let ids = self.selected_ids();
        if ids.is_empty() {
            return;
        }
        let copies = self.copy_nodes(&ids, 40.0, 40.0, false);
        self.select_ids(copies);
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
mod tests;
