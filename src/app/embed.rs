//! What an embed shows beyond the canvas: the link to the full editor and
//! the card of an embedded example.

use crate::course::Workspace;
use crate::mode::Mode;
use crate::share;
use scalesim::design::DesignDoc;

/// The link that opens what the embed shows in the full editor: the
/// lesson, or the design itself in a share link.
pub(super) fn full_editor_link(ws: &Workspace, doc: &DesignDoc) -> String {
    let loc = gloo::utils::window().location();
    let (origin, path) = (
        loc.origin().unwrap_or_default(),
        loc.pathname().unwrap_or_default(),
    );
    match ws.lesson() {
        Some(l) => format!("{origin}{path}?lesson={}", l.slug),
        None => format!("{origin}{path}#{}", share::encode(doc)),
    }
}

/// The key of the embedded example, if the embed shows one (not a design
/// from a link): it then has its card.
pub(super) fn embedded_example(mode: &Mode) -> Option<String> {
    let from_link = gloo::utils::window()
        .location()
        .hash()
        .unwrap_or_default()
        .contains("design=");
    mode.example
        .clone()
        .filter(|k| crate::panels::examples::find_example(k).is_some())
        .filter(|_| !from_link)
}
