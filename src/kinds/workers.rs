//! A pool of workers processing jobs.

use super::KindUi;

/// How a `workers` node looks and what it offers in the editor.
pub const UI: KindUi = KindUi {
    // A gear.
    icon: "M12 8a4 4 0 1 0 0 8 4 4 0 0 0 0-8zM12 2v3M12 19v3M2 12h3M19 12h3M4.9 4.9l2.1 2.1M17 17l2.1 2.1M4.9 19.1L7 17M17 7l2.1-2.1",
    colour: "#009E73",
    title: super::catalog_title,
    operation: super::no_operation,
    sends: super::sends_requests,
    edge_heading: super::EDGE_POLICY,
};
