//! A message queue: its connections deliver jobs to workers.

use super::KindUi;
use crate::i18n::Msg;
use scalesim::catalog::Kind;

/// How a `queue` node looks and what it offers in the editor.
pub const UI: KindUi = KindUi {
    // Three envelopes in a row: jobs waiting.
    icon: "M3 8h5v8H3zM9.5 8h5v8h-5zM16 8h5v8h-5zM3 8l2.5 3L8 8M9.5 8l2.5 3 2.5-3M16 8l2.5 3L21 8",
    colour: "#CC79A7",
    title: super::catalog_title,
    operation: super::no_operation,
    sends,
    edge_heading: super::EDGE_POLICY,
};

/// A queue delivers jobs to worker pools.
fn sends(to: Kind) -> Msg {
    match to {
        Kind::Workers => Msg::EdgeJobs,
        _ => super::sends_requests(to),
    }
}
