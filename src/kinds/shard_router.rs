//! A shard router.

use super::KindUi;

/// How a `shard_router` node looks and what it offers in the editor.
pub const UI: KindUi = KindUi {
    // One line fanning out to three stacked disks.
    icon: "M2 12h6M8 12l5-7M8 12h5M8 12l5 7M14 3h7v4h-7zM14 10h7v4h-7zM14 17h7v4h-7z",
    colour: "#E69F00",
    title: super::catalog_title,
    operation: super::no_operation,
    sends: super::sends_requests,
    edge_heading: super::EDGE_POLICY,
};
