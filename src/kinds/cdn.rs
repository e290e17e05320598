//! A CDN: its connections fetch from the origin; it can be purged by hand.

use super::KindUi;
use crate::driver::Operation;
use crate::i18n::Msg;
use scalesim::catalog::Kind;

/// How a `cdn` node looks and what it offers in the editor.
pub const UI: KindUi = KindUi {
    // A cloud.
    icon: "M7 18a4 4 0 0 1-.5-8 6 6 0 0 1 11.5 1.5A3.5 3.5 0 0 1 17.5 18z",
    colour: "#0072B2",
    title: super::catalog_title,
    operation: |_| Some(Operation::Purge),
    sends,
    edge_heading: super::EDGE_POLICY,
};

/// A CDN's connections fetch misses from its origin.
fn sends(_to: Kind) -> Msg {
    Msg::EdgeOrigin
}
