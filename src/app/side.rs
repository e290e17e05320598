//! The side panel's pieces: what the inspector is given for the selection
//! (the connections it may configure, the lesson's locked settings) and
//! the problems of the selection and the notices. The selection logic is plain Rust,
//! tested natively.

use crate::canvas::marks::{At, Index};
use crate::i18n::{Lang, Msg, problem};
use crate::state::{Notice, Selection};
use scalesim::catalog::Kind;
use scalesim::design::{DesignDoc, NodeDoc, ParamValue, Problem};
use scalesim::lesson::Lesson;
use std::collections::BTreeMap;
use yew::prelude::*;

/// The ids node `n` sends to, in the order its connections were drawn.
pub(super) fn targets(doc: &DesignDoc, n: &NodeDoc) -> Vec<String> {
    doc.edges
        .iter()
        .filter(|e| e.from == n.id)
        .map(|e| e.to.clone())
        .collect()
}

/// The kinds at both ends of connection `edge`, if both nodes exist.
pub(super) fn edge_kinds(doc: &DesignDoc, edge: usize) -> Option<(Kind, Kind)> {
    let e = doc.edges.get(edge)?;
    let kind = |id: &str| doc.nodes.iter().find(|n| n.id == id).map(|n| n.kind);
    kind(&e.from).zip(kind(&e.to))
}

/// The settings of node `n` a lesson fixes, parameter → the lesson's
/// value: those the lesson names for its id or its kind, and every setting
/// of the lesson's own Users nodes (the lesson sends its own traffic).
pub(super) fn lesson_locks(lesson: &Lesson, n: &NodeDoc) -> BTreeMap<String, ParamValue> {
    let traffic = lesson
        .design
        .nodes
        .iter()
        .find(|u| n.kind == Kind::Users && u.kind == Kind::Users && u.id == n.id)
        .map(|u| {
            n.kind
                .spec()
                .params
                .iter()
                .map(|p| {
                    let value = u.params.get(p.key).cloned();
                    (
                        p.key.to_string(),
                        value.unwrap_or_else(|| p.default_value()),
                    )
                })
                .collect::<Vec<_>>()
        })
        .unwrap_or_default();
    lesson
        .info
        .fixed
        .iter()
        .filter(|(key, _)| **key == n.id || *key == n.kind.key())
        .flat_map(|(_, params)| params.clone())
        .chain(traffic)
        .collect()
}

/// The problems of the selected node, connection or data center in full
/// words, for the inspector (`doc` is the design the problems are of).
pub(super) fn selection_problems(
    lang: Lang,
    doc: &DesignDoc,
    problems: &[Problem],
    selected: Option<&Selection>,
) -> Vec<String> {
    if problems.is_empty() {
        return Vec::new();
    }
    let at = match selected {
        Some(Selection::Node(id)) => doc.nodes.iter().position(|n| &n.id == id).map(At::Node),
        Some(Selection::Edge { from, to }) => doc
            .edges
            .iter()
            .position(|e| &e.from == from && &e.to == to)
            .map(At::Edge),
        Some(Selection::Region(id)) => doc.regions.iter().position(|r| &r.id == id).map(At::Region),
        Some(Selection::Nodes(_)) | None => None,
    };
    at.map(|at| {
        Index::of(doc)
            .problems_at(problems, at)
            .map(|p| problem(lang, p))
            .collect()
    })
    .unwrap_or_default()
}

/// A notice's words (an opened example has its card instead).
pub(super) fn notice_text(lang: Lang, n: &Notice) -> Html {
    match n {
        Notice::Text(m) => html! { <span>{ m.text(lang) }</span> },
        Notice::Example(_) => Html::default(),
        Notice::Problem(p) => html! { <span>{ problem(lang, p) }</span> },
        Notice::Refused {
            heading,
            subject,
            problems,
        } => html! {
            <div>
                <strong>{ heading.text(lang) }</strong>
                if !subject.is_empty() { <code class="subject">{ subject }</code> }
                <ul>
                    if problems.is_empty() { <li>{ Msg::Unreadable.text(lang) }</li> }
                    { for problems.iter().map(|p| html! { <li>{ problem(lang, p) }</li> }) }
                </ul>
            </div>
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lessons_users_are_locked_to_its_traffic_and_other_nodes_to_its_fixed_settings() {
        for l in crate::course::lessons() {
            for n in &l.design.nodes {
                let locks = lesson_locks(l, n);
                if n.kind == Kind::Users {
                    // Every setting of the lesson's own Users is locked, at
                    // the lesson's value.
                    for p in n.kind.spec().params {
                        let want = n.params.get(p.key).cloned();
                        assert_eq!(
                            locks.get(p.key),
                            Some(&want.unwrap_or_else(|| p.default_value())),
                            "{}: {}.{}",
                            l.slug,
                            n.id,
                            p.key
                        );
                    }
                    continue;
                }
                for (key, params) in &l.info.fixed {
                    if *key == n.id || *key == n.kind.key() {
                        for (k, v) in params {
                            assert_eq!(locks.get(k), Some(v), "{}: {}.{k}", l.slug, n.id);
                        }
                    }
                }
            }
        }
        // A Users node the learner added is theirs to set, unless the lesson
        // fixes Users by kind.
        let l = &crate::course::lessons()[0];
        let mine = NodeDoc {
            id: "users-99".into(),
            ..l.design
                .nodes
                .iter()
                .find(|n| n.kind == Kind::Users)
                .unwrap()
                .clone()
        };
        let by_kind = l.info.fixed.get("users").map_or(0, |p| p.len());
        assert_eq!(lesson_locks(l, &mine).len(), by_kind);
    }

    #[test]
    fn the_inspector_is_given_the_problems_of_what_is_selected_only() {
        let doc = DesignDoc::from_json(
            r#"{"version":1,"nodes":[
                {"id":"users-1","kind":"users"},
                {"id":"db-1","kind":"database"},
                {"id":"dns-1","kind":"dns"}],
              "edges":[{"from":"users-1","to":"db-1"}]}"#,
        )
        .unwrap();
        let problems = doc.validate().unwrap_err().0;
        let edge = Selection::Edge {
            from: "users-1".into(),
            to: "db-1".into(),
        };
        let on_edge = selection_problems(Lang::En, &doc, &problems, Some(&edge));
        assert_eq!(
            on_edge,
            vec!["users-1 → db-1: a Users cannot send requests to a Database".to_string()]
        );
        let lb = Selection::Node("dns-1".into());
        let on_lb = selection_problems(Lang::Ko, &doc, &problems, Some(&lb));
        assert!(
            on_lb
                .iter()
                .any(|t| t.starts_with("dns-1이(가) 아무것에도")),
            "{on_lb:?}"
        );
        assert!(!on_lb.iter().any(|t| t.contains("users-1")), "{on_lb:?}");
        // A node is told about its connections' problems too.
        let db = Selection::Node("db-1".into());
        let on_db = selection_problems(Lang::En, &doc, &problems, Some(&db));
        assert_eq!(on_db.len(), 2, "its connection's and its own: {on_db:?}");
        assert!(on_db.contains(&on_edge[0]));
        assert!(selection_problems(Lang::En, &doc, &problems, None).is_empty());
    }

    #[test]
    fn a_nodes_targets_and_a_connections_kinds_follow_the_design() {
        let doc = DesignDoc::from_json(
            r#"{"version":1,"nodes":[
                {"id":"users-1","kind":"users"},
                {"id":"web-1","kind":"web_server"},
                {"id":"db-1","kind":"database"}],
              "edges":[{"from":"users-1","to":"web-1"},{"from":"web-1","to":"db-1"}]}"#,
        )
        .unwrap();
        assert_eq!(targets(&doc, &doc.nodes[1]), vec!["db-1".to_string()]);
        assert_eq!(edge_kinds(&doc, 1), Some((Kind::WebServer, Kind::Database)));
        assert_eq!(edge_kinds(&doc, 2), None);
    }
}
