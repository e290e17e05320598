//! How big a design may be, and what a file must look like before it is
//! read as one. A file over a limit is refused with the limit it broke,
//! before anything else is checked, so no message echoes a huge id and no
//! editor or run is asked to hold more than it can.

use super::{DesignDoc, Problem, ProblemKind};
use crate::catalog::{Text, t};
use serde::Serialize;

/// The most nodes a design may have [nodes].
pub const MAX_NODES: usize = 10_000;
/// The most connections a design may have [connections].
pub const MAX_EDGES: usize = 50_000;
/// The most data centers a design may have [data centers].
pub const MAX_REGIONS: usize = 100;
/// The most scheduled events a design may have [events].
pub const MAX_FAULTS: usize = 10_000;
/// The longest id of a node or a data center [characters].
pub const MAX_ID_CHARS: usize = 64;

/// What a design has too many of.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Part {
    /// Nodes.
    Nodes,
    /// Connections.
    Edges,
    /// Data centers.
    Regions,
    /// Scheduled events.
    Faults,
}

impl Part {
    /// The part's name, plural in English.
    pub fn text(self) -> Text {
        match self {
            Part::Nodes => t("components", "구성 요소"),
            Part::Edges => t("connections", "연결"),
            Part::Regions => t("data centers", "데이터 센터"),
            Part::Faults => t("scheduled events", "예약된 이벤트"),
        }
    }
}

/// What a well-formed JSON text holds when it is not an object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum JsonShape {
    /// `[...]`.
    Array,
    /// `"..."`.
    Text,
    /// A number.
    Number,
    /// `true`, `false` or `null`.
    Literal,
    /// Nothing but white space.
    Nothing,
}

impl JsonShape {
    /// What the text holds.
    pub fn text(self) -> Text {
        match self {
            JsonShape::Array => t("a JSON array", "JSON 배열"),
            JsonShape::Text => t("a JSON string", "JSON 문자열"),
            JsonShape::Number => t("a number", "숫자"),
            JsonShape::Literal => t("true, false or null", "true, false 또는 null"),
            JsonShape::Nothing => t("nothing", "빈 내용"),
        }
    }
}

/// What `text` holds if it is plainly not a JSON object, judged by its
/// first character; `None` when it starts like an object (or is not JSON
/// at all, which the JSON reader then reports with its position).
pub(super) fn not_an_object(text: &str) -> Option<JsonShape> {
    match text.trim_start().chars().next() {
        None => Some(JsonShape::Nothing),
        Some('[') => Some(JsonShape::Array),
        Some('"') => Some(JsonShape::Text),
        Some(c) if c == '-' || c.is_ascii_digit() => Some(JsonShape::Number),
        Some('t' | 'f' | 'n') => Some(JsonShape::Literal),
        Some(_) => None,
    }
}

/// An id as a message may quote it: at most 24 characters, then "…".
fn quoted_id(id: &str) -> String {
    match id.char_indices().nth(24) {
        Some((end, _)) => format!("{}…", &id[..end]),
        None => id.to_string(),
    }
}

/// Every limit `doc` breaks: too many of a part, or an id (of a node, a
/// data center, or named by a connection or an event) that is too long.
pub(super) fn check(doc: &DesignDoc) -> Vec<Problem> {
    let mut problems = Vec::new();
    for (part, count, max) in [
        (Part::Nodes, doc.nodes.len(), MAX_NODES),
        (Part::Edges, doc.edges.len(), MAX_EDGES),
        (Part::Regions, doc.regions.len(), MAX_REGIONS),
        (Part::Faults, doc.faults.len(), MAX_FAULTS),
    ] {
        if count > max {
            problems.push(Problem::error(
                "",
                ProblemKind::TooMany { part, count, max },
            ));
        }
    }
    let ids = doc
        .nodes
        .iter()
        .map(|n| n.id.as_str())
        .chain(doc.regions.iter().map(|r| r.id.as_str()))
        .chain(
            doc.edges
                .iter()
                .flat_map(|e| [e.from.as_str(), e.to.as_str()]),
        )
        .chain(doc.faults.iter().flat_map(|f| f.action.node_ids()));
    let mut long = ids.filter(|id| id.chars().count() > MAX_ID_CHARS);
    if let Some(id) = long.next() {
        // One message is enough: every long id has the same fix.
        problems.push(Problem::error(
            quoted_id(id),
            ProblemKind::IdTooLong {
                chars: id.chars().count(),
                max: MAX_ID_CHARS,
            },
        ));
    }
    problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_long_id_is_quoted_short() {
        let long = "é".repeat(100);
        let q = quoted_id(&long);
        assert_eq!(q.chars().count(), 25);
        assert!(q.ends_with('…'));
        assert_eq!(quoted_id("web-1"), "web-1");
    }

    #[test]
    fn what_is_not_an_object_is_named() {
        assert_eq!(not_an_object(" [1]"), Some(JsonShape::Array));
        assert_eq!(not_an_object("\n"), Some(JsonShape::Nothing));
        assert_eq!(not_an_object("12"), Some(JsonShape::Number));
        assert_eq!(not_an_object("null"), Some(JsonShape::Literal));
        assert_eq!(not_an_object("\"x\""), Some(JsonShape::Text));
        assert_eq!(not_an_object("{}"), None);
        assert_eq!(not_an_object("<html>"), None);
    }
}
