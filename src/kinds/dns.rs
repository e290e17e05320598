//! DNS: answers lookups with the site's entry point; its connections carry answers and, for weighted routing, a weight.

use super::KindUi;
use crate::i18n::Msg;
use scalesim::catalog::Kind;

/// How a `dns` node looks and what it offers in the editor.
pub const UI: KindUi = KindUi {
    // A globe.
    icon: "M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM3 12h18M12 3c3.5 3.5 3.5 14.5 0 18M12 3c-3.5 3.5-3.5 14.5 0 18",
    colour: "#CC79A7",
    title: super::catalog_title,
    operation: super::no_operation,
    sends,
    edge_heading: Msg::EdgeWeight,
};

/// A DNS server's connections carry its answers.
fn sends(to: Kind) -> Msg {
    match to {
        Kind::Dns => Msg::EdgeLookups,
        _ => Msg::EdgeAnswers,
    }
}
