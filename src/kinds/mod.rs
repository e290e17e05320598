//! What the app knows of each component kind, one module per kind — as
//! tldraw's ShapeUtil is for a shape type: its icon, its colour, the
//! title drawn on a node, what an operator can do to a running node, and
//! what its connections carry. The canvas, the palette and the inspector
//! read them from here; [`ui`] is the one exhaustive dispatch, so a new
//! kind makes the compiler ask for its module.

mod cache;
mod cdn;
mod database;
mod dns;
mod load_balancer;
mod monitoring;
mod queue;
mod rate_limiter;
mod session_store;
mod shard_router;
mod users;
mod web_server;
mod workers;

use crate::driver::Operation;
use crate::i18n::Msg;
use scalesim::catalog::Kind;
use scalesim::design::NodeDoc;

/// A component kind's look and behaviour in the editor.
pub struct KindUi {
    /// Its icon: SVG path data on a 24 × 24 grid, drawn as strokes (the
    /// palette renders it as inline SVG, the canvas as a `Path2d`).
    pub icon: &'static str,
    /// Its accent colour (CSS hex).
    pub colour: &'static str,
    /// The title drawn on a node, if it is not the catalog's name of the
    /// kind (a database names its role).
    pub title: fn(&NodeDoc) -> Option<Msg>,
    /// What an operator can do to a running node of this kind, if
    /// anything (shown as a button in the inspector).
    pub operation: fn(&NodeDoc) -> Option<Operation>,
    /// What travels from a node of this kind to a node of `to`'s kind.
    pub sends: fn(Kind) -> Msg,
    /// The heading of a connection's settings when it starts at a node of
    /// this kind.
    pub edge_heading: Msg,
}

/// The editor's knowledge of `kind`.
pub fn ui(kind: Kind) -> &'static KindUi {
    match kind {
        Kind::Users => &users::UI,
        Kind::Dns => &dns::UI,
        Kind::LoadBalancer => &load_balancer::UI,
        Kind::WebServer => &web_server::UI,
        Kind::SessionStore => &session_store::UI,
        Kind::Database => &database::UI,
        Kind::Cache => &cache::UI,
        Kind::Cdn => &cdn::UI,
        Kind::Queue => &queue::UI,
        Kind::Workers => &workers::UI,
        Kind::ShardRouter => &shard_router::UI,
        Kind::Monitoring => &monitoring::UI,
        Kind::RateLimiter => &rate_limiter::UI,
    }
}

/// The accent colour of a component kind.
pub fn colour(kind: Kind) -> &'static str {
    ui(kind).colour
}

/// The icon of a component kind (SVG path data, 24 × 24, stroked).
pub fn icon(kind: Kind) -> &'static str {
    ui(kind).icon
}

/// What travels along a connection from a `from` node to a `to` node.
pub fn edge_meaning(from: Kind, to: Kind) -> Msg {
    (ui(from).sends)(to)
}

/// The usual title: the catalog's name of the kind.
fn catalog_title(_: &NodeDoc) -> Option<Msg> {
    None
}

/// Nothing to do by hand.
fn no_operation(_: &NodeDoc) -> Option<Operation> {
    None
}

/// What most connections carry: lookups to a DNS server, requests
/// otherwise.
fn sends_requests(to: Kind) -> Msg {
    match to {
        Kind::Dns => Msg::EdgeLookups,
        _ => Msg::EdgeRequests,
    }
}

/// The heading of most connections' settings.
const EDGE_POLICY: Msg = Msg::EdgePolicy;

#[cfg(test)]
mod tests {
    use super::*;
    use scalesim::catalog::CATALOG;

    /// Every kind has each of its pieces: a catalog entry with its name,
    /// description and parameters in English and Korean, a section in
    /// docs/design-format.md, and a distinct icon and a colour here.
    #[test]
    fn every_kind_has_all_its_pieces() {
        let doc = include_str!("../../docs/design-format.md");
        let mut icons = Vec::new();
        for &kind in Kind::ALL.iter() {
            let spec = CATALOG
                .iter()
                .find(|s| s.kind == kind)
                .unwrap_or_else(|| panic!("{kind:?} has no catalog entry"));
            for text in [spec.name, spec.description] {
                assert!(!text.en.trim().is_empty(), "{kind:?}: English text missing");
                assert!(!text.ko.trim().is_empty(), "{kind:?}: Korean text missing");
            }
            for p in spec.params {
                for text in [p.label, p.help] {
                    assert!(
                        !text.en.trim().is_empty() && !text.ko.trim().is_empty(),
                        "{kind:?}.{}: a text is missing in one language",
                        p.key
                    );
                }
            }
            assert!(
                doc.contains(&format!("### `{}`", kind.key())),
                "{kind:?} has no section in docs/design-format.md"
            );
            let ui = ui(kind);
            assert!(ui.icon.starts_with('M'), "{kind:?}: icon {}", ui.icon);
            assert!(!icons.contains(&ui.icon), "{kind:?}: icon used twice");
            icons.push(ui.icon);
            // Absolute coordinates stay inside the 24 × 24 box.
            let numbers = ui
                .icon
                .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
                .filter(|t| !t.is_empty() && *t != "-")
                .filter_map(|t| t.parse::<f64>().ok());
            assert!(
                numbers.clone().all(|n| (-24.0..=24.0).contains(&n)),
                "{kind:?}: icon outside the grid"
            );
            assert!(
                ui.colour.len() == 7
                    && ui.colour.starts_with('#')
                    && ui.colour[1..].chars().all(|c| c.is_ascii_hexdigit()),
                "{kind:?}: colour {}",
                ui.colour
            );
        }
    }

    #[test]
    fn connections_say_what_they_carry() {
        assert_eq!(edge_meaning(Kind::Users, Kind::Cdn), Msg::EdgeStatic);
        assert_eq!(edge_meaning(Kind::Users, Kind::Dns), Msg::EdgeLookups);
        assert_eq!(
            edge_meaning(Kind::Dns, Kind::LoadBalancer),
            Msg::EdgeAnswers
        );
        assert_eq!(
            edge_meaning(Kind::Database, Kind::Database),
            Msg::EdgeReplication
        );
        assert_eq!(
            edge_meaning(Kind::WebServer, Kind::Database),
            Msg::EdgeQueries
        );
        assert_eq!(edge_meaning(Kind::Queue, Kind::Workers), Msg::EdgeJobs);
        assert_eq!(edge_meaning(Kind::Cdn, Kind::WebServer), Msg::EdgeOrigin);
        assert_eq!(
            edge_meaning(Kind::LoadBalancer, Kind::WebServer),
            Msg::EdgeRequests
        );
        assert_eq!(ui(Kind::Dns).edge_heading, Msg::EdgeWeight);
        assert_eq!(ui(Kind::WebServer).edge_heading, Msg::EdgePolicy);
    }
}
