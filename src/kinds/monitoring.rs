//! Monitoring.

use super::KindUi;

/// How a `monitoring` node looks and what it offers in the editor.
pub const UI: KindUi = KindUi {
    // A screen with a pulse line.
    icon: "M3 4h18v13H3zM8 21h8M12 17v4M5 12h3l2-4 3 7 2-3h4",
    colour: "#555555",
    title: super::catalog_title,
    operation: super::no_operation,
    sends: super::sends_requests,
    edge_heading: super::EDGE_POLICY,
};
