//! A database: titled by its designed role; a replica can be promoted by hand.

use super::KindUi;
use crate::driver::Operation;
use crate::i18n::Msg;
use scalesim::catalog::Kind;
use scalesim::design::NodeDoc;

/// How a `database` node looks and what it offers in the editor.
pub const UI: KindUi = KindUi {
    // A cylinder.
    icon: "M4 6c0-1.7 3.6-3 8-3s8 1.3 8 3-3.6 3-8 3-8-1.3-8-3zM4 6v12c0 1.7 3.6 3 8 3s8-1.3 8-3V6M4 12c0 1.7 3.6 3 8 3s8-1.3 8-3",
    colour: "#E69F00",
    title,
    operation,
    sends,
    edge_heading: super::EDGE_POLICY,
};

/// "Master DB" or "Replica DB", by the designed role.
fn title(node: &NodeDoc) -> Option<Msg> {
    Some(if node.is_replica() {
        Msg::ReplicaDb
    } else {
        Msg::MasterDb
    })
}

/// A replica can be promoted by hand (refused unless its master is down).
fn operation(node: &NodeDoc) -> Option<Operation> {
    node.is_replica().then_some(Operation::Promote)
}

/// A master's connection to a replica carries its binlog.
fn sends(to: Kind) -> Msg {
    match to {
        Kind::Database => Msg::EdgeReplication,
        _ => super::sends_requests(to),
    }
}
