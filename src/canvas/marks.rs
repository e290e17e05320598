//! Problems where they are: which node, connection or data center each
//! problem of a design concerns, and the mark drawn there (a badge and a
//! few words). Pure, and tested natively.

use crate::i18n::{Lang, problem_short};
use crate::state::Selection;
use scalesim::Severity;
use scalesim::design::{DesignDoc, Problem, ProblemKind};
use std::collections::HashMap;

/// A thing on the canvas a problem can concern.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum At {
    /// The node at this index of the design's nodes.
    Node(usize),
    /// The connection at this index of the design's edges.
    Edge(usize),
    /// The data center at this index of the design's regions.
    Region(usize),
}

/// One mark on the canvas: what it is on, the words of its first problem
/// (its first error if it has one), and how many more problems it has.
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    /// What the problems concern.
    pub at: At,
    /// Whether any of them blocks running (red); warnings only are amber.
    pub error: bool,
    /// The first problem in a few words.
    pub label: String,
    /// How many other problems concern the same thing.
    pub more: usize,
}

/// Where things are in a design, by id: built once, then each problem is
/// placed without a search through the whole design.
pub struct Index<'a> {
    doc: &'a DesignDoc,
    nodes: HashMap<&'a str, usize>,
    edges: HashMap<(&'a str, &'a str), usize>,
    regions: HashMap<&'a str, usize>,
}

impl<'a> Index<'a> {
    /// The index of `doc` (the first of an id or of two ends, as a search
    /// from the front finds it).
    pub fn of(doc: &'a DesignDoc) -> Self {
        let nodes = doc.node_index();
        let mut edges = HashMap::with_capacity(doc.edges.len());
        for (i, e) in doc.edges.iter().enumerate() {
            edges.entry((e.from.as_str(), e.to.as_str())).or_insert(i);
        }
        let mut regions = HashMap::new();
        for (i, r) in doc.regions.iter().enumerate() {
            regions.entry(r.id.as_str()).or_insert(i);
        }
        Self {
            doc,
            nodes,
            edges,
            regions,
        }
    }

    /// What a problem concerns on the canvas: a node (`web-1`), a
    /// connection (`web-1 → db-1`), a data center, or each connection on a
    /// cycle's path. Empty when it concerns the whole design (no users) or
    /// something the design no longer has.
    pub fn places(&self, p: &Problem) -> Vec<At> {
        let edge = |from: &str, to: &str| self.edges.get(&(from, to)).map(|&i| At::Edge(i));
        let node = |id: &str| self.nodes.get(id).map(|&i| At::Node(i));
        if let ProblemKind::Cycle { path } = &p.kind {
            return path.windows(2).filter_map(|w| edge(&w[0], &w[1])).collect();
        }
        if let Some((from, to)) = p.location.split_once(" → ") {
            // A connection to a node that does not exist is not drawn: its
            // mark goes on the end that is.
            return edge(from, to)
                .filter(|_| node(from).is_some() && node(to).is_some())
                .or_else(|| node(from))
                .or_else(|| node(to))
                .into_iter()
                .collect();
        }
        if p.location.is_empty() {
            return Vec::new();
        }
        node(&p.location)
            .or_else(|| {
                self.regions
                    .get(p.location.as_str())
                    .map(|&i| At::Region(i))
            })
            .into_iter()
            .collect()
    }

    /// What to select to show a problem: its node, connection or data
    /// center (a cycle's first connection); `None` for the whole design.
    pub fn selection_of(&self, p: &Problem) -> Option<Selection> {
        let doc = self.doc;
        Some(match self.places(p).first()? {
            At::Node(i) => Selection::Node(doc.nodes[*i].id.clone()),
            At::Edge(i) => Selection::Edge {
                from: doc.edges[*i].from.clone(),
                to: doc.edges[*i].to.clone(),
            },
            At::Region(i) => Selection::Region(doc.regions[*i].id.clone()),
        })
    }

    /// The problems that concern a selected thing, for the inspector: a
    /// node's own and those of its connections (the fix is often on the
    /// node: a replication stream into a master asks for the receiver's
    /// role).
    pub fn problems_at<'p>(
        &'p self,
        problems: &'p [Problem],
        at: At,
    ) -> impl Iterator<Item = &'p Problem> + 'p {
        let doc = self.doc;
        let touches = move |place: &At| {
            *place == at
                || match (at, place) {
                    (At::Node(n), At::Edge(e)) => {
                        let (edge, id) = (&doc.edges[*e], &doc.nodes[n].id);
                        &edge.from == id || &edge.to == id
                    }
                    _ => false,
                }
        };
        problems
            .iter()
            .filter(move |p| self.places(p).iter().any(touches))
    }
}

/// The marks of a design's problems, one per thing concerned, in the
/// order the things are first named.
pub fn marks(doc: &DesignDoc, problems: &[Problem], lang: Lang) -> Vec<Mark> {
    let index = Index::of(doc);
    let mut marks: Vec<Mark> = Vec::new();
    // Where each thing's mark is in `marks`.
    let mut mark_of: HashMap<At, usize> = HashMap::new();
    for p in problems {
        let error = p.severity == Severity::Error;
        for at in index.places(p) {
            match mark_of.get(&at).map(|&k| &mut marks[k]) {
                Some(m) => {
                    m.more += 1;
                    // An error's words come before a warning's.
                    if error && !m.error {
                        m.label = problem_short(lang, p);
                    }
                    m.error |= error;
                }
                None => {
                    mark_of.insert(at, marks.len());
                    marks.push(Mark {
                        at,
                        error,
                        label: problem_short(lang, p),
                        more: 0,
                    });
                }
            }
        }
    }
    marks
}

/// The canvas's `data-marks`: each mark as `node:<id>:error`,
/// `edge:<from>><to>:warning` or `region:<id>:error`, space-separated
/// (for tests and for reading what is drawn).
pub fn describe(doc: &DesignDoc, marks: &[Mark]) -> String {
    marks
        .iter()
        .filter_map(|m| {
            let what = match m.at {
                At::Node(i) => format!("node:{}", doc.nodes.get(i)?.id),
                At::Edge(i) => {
                    let e = doc.edges.get(i)?;
                    format!("edge:{}>{}", e.from, e.to)
                }
                At::Region(i) => format!("region:{}", doc.regions.get(i)?.id),
            };
            let severity = if m.error { "error" } else { "warning" };
            Some(format!("{what}:{severity}"))
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(json: &str) -> DesignDoc {
        DesignDoc::from_json(json).expect("a design document")
    }

    fn places(doc: &DesignDoc, p: &Problem) -> Vec<At> {
        Index::of(doc).places(p)
    }

    fn selection_of(doc: &DesignDoc, p: &Problem) -> Option<Selection> {
        Index::of(doc).selection_of(p)
    }

    fn problems(d: &DesignDoc) -> Vec<Problem> {
        match d.validate() {
            Ok(v) => v.warnings,
            Err(p) => p.0,
        }
    }

    #[test]
    fn a_connection_that_is_not_allowed_is_marked_on_the_connection() {
        let d = doc(r#"{"version":1,"nodes":[
                {"id":"users-1","kind":"users","x":0,"y":0},
                {"id":"db-1","kind":"database","x":300,"y":0}],
              "edges":[{"from":"users-1","to":"db-1"}]}"#);
        let m = marks(&d, &problems(&d), Lang::En);
        let on_edge = m
            .iter()
            .find(|m| m.at == At::Edge(0))
            .expect("a mark on the edge");
        assert!(on_edge.error);
        assert_eq!(on_edge.label, "cannot call database");
        assert_eq!(
            selection_of(&d, &problems(&d)[0]),
            Some(Selection::Edge {
                from: "users-1".into(),
                to: "db-1".into()
            })
        );
    }

    #[test]
    fn a_loose_node_is_marked_on_the_node_with_its_other_problems_counted() {
        let d = doc(r#"{"version":1,"nodes":[
                {"id":"users-1","kind":"users","x":0,"y":0},
                {"id":"web-1","kind":"web_server","x":300,"y":0},
                {"id":"dns-1","kind":"dns","x":300,"y":200}],
              "edges":[{"from":"users-1","to":"web-1"}]}"#);
        let ps = problems(&d);
        let m = marks(&d, &ps, Lang::Ko);
        assert_eq!(m.len(), 1, "{m:?}");
        assert_eq!(m[0].at, At::Node(2));
        assert!(m[0].error, "an unreachable warning does not hide the error");
        assert_eq!(m[0].label, "연결 안 됨");
        assert_eq!(m[0].more, 1, "not connected, and no requests reach it");
        assert_eq!(describe(&d, &m), "node:dns-1:error");
        assert_eq!(
            Index::of(&d).problems_at(&ps, At::Node(2)).count(),
            m[0].more + 1
        );
        assert_eq!(Index::of(&d).problems_at(&ps, At::Node(1)).count(), 0);
        assert_eq!(Index::of(&d).problems_at(&ps, At::Node(0)).count(), 0);
    }

    #[test]
    fn a_cycle_marks_every_connection_on_its_path_and_nothing_else() {
        let d = doc(r#"{"version":1,"nodes":[
                {"id":"users-1","kind":"users","x":0,"y":0},
                {"id":"web-1","kind":"web_server","x":300,"y":0},
                {"id":"db-1","kind":"database","x":600,"y":0},
                {"id":"db-2","kind":"database","x":900,"y":0,"params":{"role":"replica"}}],
              "edges":[{"from":"users-1","to":"web-1"},{"from":"web-1","to":"db-1"},
                       {"from":"db-1","to":"db-2"},{"from":"db-2","to":"db-1"}]}"#);
        let ps = problems(&d);
        let cycle = ps
            .iter()
            .find(|p| matches!(p.kind, ProblemKind::Cycle { .. }))
            .expect("a cycle");
        let mut on = places(&d, cycle);
        on.sort_by_key(|a| match a {
            At::Edge(i) => *i,
            _ => usize::MAX,
        });
        assert_eq!(on, vec![At::Edge(2), At::Edge(3)]);
    }

    #[test]
    fn the_whole_design_and_a_missing_node_are_not_drawn_on_anything_else() {
        let d = doc(
            r#"{"version":1,"nodes":[{"id":"web-1","kind":"web_server","x":0,"y":0}],
              "edges":[{"from":"web-1","to":"ghost"}]}"#,
        );
        let ps = problems(&d);
        let no_entry = ps
            .iter()
            .find(|p| p.kind == ProblemKind::NoEntry)
            .expect("no entry");
        assert!(places(&d, no_entry).is_empty());
        assert_eq!(selection_of(&d, no_entry), None);
        let ghost = ps
            .iter()
            .find(|p| matches!(p.kind, ProblemKind::UnknownNode { .. }))
            .expect("unknown node");
        assert_eq!(
            places(&d, ghost),
            vec![At::Node(0)],
            "on the end that exists"
        );
    }
}
