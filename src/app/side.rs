//! The side panel's pieces: what the inspector is given for the selection
//! (the connections it may configure, the lesson's locked settings) and
//! the lists of problems and notices. The selection logic is plain Rust,
//! tested natively.

use crate::i18n::{Lang, Msg, problem};
use crate::state::{Action, Notice, Selection};
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

/// The node a problem concerns: the first id of its location
/// (`web-1 → db-1` names `web-1`).
pub(super) fn problem_node(p: &Problem) -> String {
    p.location
        .split(" → ")
        .next()
        .unwrap_or_default()
        .to_string()
}

/// The design's problems as it stands, each a button that selects the
/// node it concerns; nothing when there are none.
pub(super) fn problem_list(lang: Lang, problems: &[Problem], on_action: &Callback<Action>) -> Html {
    if problems.is_empty() {
        return Html::default();
    }
    html! {
        <section class="problems" aria-label={Msg::Problems.text(lang)}>
            <h2>{ Msg::Problems.text(lang) }</h2>
            <ul>{ for problems.iter().map(|p| {
                let id = problem_node(p);
                let select = on_action.reform(move |_: MouseEvent| {
                    Action::Select(Some(Selection::Node(id.clone())))
                });
                html! {
                    <li class={format!("{:?}", p.severity).to_lowercase()}>
                        <button class="link" onclick={select}>{ problem(lang, p) }</button>
                    </li>
                }
            }) }</ul>
        </section>
    }
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
    fn a_problem_selects_the_node_it_names_first() {
        let p = Problem {
            severity: scalesim::Severity::Error,
            location: "web-1 → db-1".into(),
            kind: scalesim::design::ProblemKind::Dangling,
        };
        assert_eq!(problem_node(&p), "web-1");
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
