//! People using the site: they look the site up and send requests.

use super::KindUi;
use crate::i18n::Msg;
use scalesim::catalog::Kind;

/// How a `users` node looks and what it offers in the editor.
pub const UI: KindUi = KindUi {
    // A person.
    icon: "M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 21c0-4 3.6-6 8-6s8 2 8 6",
    colour: "#0072B2",
    title: super::catalog_title,
    operation: super::no_operation,
    sends,
    edge_heading: super::EDGE_POLICY,
};

/// What a Users node sends: static files to a CDN, lookups to DNS, requests
/// to the way in.
fn sends(to: Kind) -> Msg {
    match to {
        Kind::Cdn => Msg::EdgeStatic,
        _ => super::sends_requests(to),
    }
}
