//! A load balancer spreading requests over web servers.

use super::KindUi;

/// How a `load_balancer` node looks and what it offers in the editor.
pub const UI: KindUi = KindUi {
    // One stream split three ways.
    icon: "M2 12h7M9 12l6-7h6M9 12h12M9 12l6 7h6",
    colour: "#56B4E9",
    title: super::catalog_title,
    operation: super::no_operation,
    sends: super::sends_requests,
    edge_heading: super::EDGE_POLICY,
};
