//! A shared session store.

use super::KindUi;

/// How a `session_store` node looks and what it offers in the editor.
pub const UI: KindUi = KindUi {
    // A key.
    icon: "M7.5 15.5a3.5 3.5 0 1 1 0-7 3.5 3.5 0 0 1 0 7zM11 12h10M18 12v3M15 12v2",
    colour: "#555555",
    title: super::catalog_title,
    operation: super::no_operation,
    sends: super::sends_requests,
    edge_heading: super::EDGE_POLICY,
};
