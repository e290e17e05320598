//! A cache in front of the database: it can be purged by hand.

use super::KindUi;
use crate::driver::Operation;

/// How a `cache` node looks and what it offers in the editor.
pub const UI: KindUi = KindUi {
    // A lightning bolt: fast memory.
    icon: "M13 2L4 14h7l-1 8 9-12h-7z",
    colour: "#D55E00",
    title: super::catalog_title,
    operation: |_| Some(Operation::Purge),
    sends: super::sends_requests,
    edge_heading: super::EDGE_POLICY,
};
