//! A rate limiter: a token bucket in front of web servers.

use super::KindUi;

/// How a `rate_limiter` node looks and what it offers in the editor.
pub const UI: KindUi = KindUi {
    // A funnel: many requests in, a steady stream out.
    icon: "M3 4h18l-7 8v6l-4 2v-8z",
    colour: "#CC79A7",
    title: super::catalog_title,
    operation: super::no_operation,
    sends: super::sends_requests,
    edge_heading: super::EDGE_POLICY,
};
