//! A web server.

use super::KindUi;
use crate::i18n::Msg;
use scalesim::catalog::Kind;

/// How a `web_server` node looks and what it offers in the editor.
pub const UI: KindUi = KindUi {
    // Two rack units.
    icon: "M4 4h16v6H4zM4 14h16v6H4zM7.5 7h1M7.5 17h1",
    colour: "#009E73",
    title: super::catalog_title,
    operation: super::no_operation,
    sends,
    edge_heading: super::EDGE_POLICY,
};

/// What a web server sends to each of its dependencies.
fn sends(to: Kind) -> Msg {
    match to {
        Kind::Queue => Msg::EdgeEnqueue,
        Kind::SessionStore => Msg::EdgeSessions,
        Kind::Cache => Msg::EdgeCache,
        Kind::Database => Msg::EdgeQueries,
        _ => super::sends_requests(to),
    }
}
