//! The canvas's keyboard: what each key does, decided by pure functions
//! (tested natively below), and the listeners that apply it.
//!
//! - Delete / Backspace delete the selection; Escape clears it.
//! - Tab and Shift+Tab walk nodes, then data centers; past the last one Tab
//!   leaves the canvas.
//! - Arrows move the selection (Shift: farther); a selected data center
//!   moves, or with Alt resizes.
//! - `c` starts a connection from the selected node: Tab or arrows pick the
//!   target, Enter connects, Escape gives up.
//! - The context-menu key (or Shift+F10) opens the selected node's fault
//!   menu.
//! - Space held: dragging pans.

use super::Shared;
use super::menu::open_menu;
use super::tool::{self, KeyConnect};
use super::view::View;
use crate::state::{Action, Selection};
use scalesim::design::DesignDoc;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::KeyboardEvent;
use yew::prelude::*;

/// A key press, as the canvas reads it.
#[derive(Debug, Clone, Copy)]
pub struct KeyPress<'a> {
    /// `KeyboardEvent.key`.
    pub key: &'a str,
    /// Shift held.
    pub shift: bool,
    /// Alt held.
    pub alt: bool,
    /// No Ctrl, Meta or Alt: a key of the canvas, not a shortcut.
    pub plain: bool,
}

/// What the canvas shows that a key press acts on.
#[derive(Debug, Clone, Copy)]
pub struct Scene<'a> {
    /// The design.
    pub doc: &'a DesignDoc,
    /// Selected nodes, by index.
    pub selected: &'a [usize],
    /// The selected data center, by index.
    pub selected_region: Option<usize>,
    /// The view (for where a menu opens).
    pub view: View,
}

/// What a key press does.
#[derive(Debug, Clone, PartialEq)]
pub enum KeyEffect {
    /// Not the canvas's key: the browser handles it as usual.
    Unhandled,
    /// Editor actions; `prevent` stops the browser's own use of the key.
    Act {
        /// The actions, applied in order (a move of several nodes is one
        /// undo step: they share a gesture).
        actions: Vec<Action>,
        /// Whether to call `preventDefault`.
        prevent: bool,
    },
    /// Escape: stop any gesture and clear the selection.
    Cancel,
    /// Start a keyboard connection from this node.
    StartConnect(KeyConnect),
    /// Open the fault menu at this screen point [canvas px].
    OpenMenu(f64, f64),
}

/// What a key does while a keyboard connection is being made.
#[derive(Debug, Clone, PartialEq)]
pub enum ConnectKey {
    /// Not a key of connecting: handled as usual.
    Other,
    /// The next (or previous) candidate target.
    Step {
        /// Forward (Tab, →, ↓) or back (Shift+Tab, ←, ↑).
        forward: bool,
    },
    /// Connect to the current target.
    Finish,
    /// Give up.
    Abandon,
}

/// The meaning of `k` while connecting from the keyboard.
pub fn connect_key(k: &KeyPress) -> ConnectKey {
    match k.key {
        "Tab" | "ArrowRight" | "ArrowDown" | "ArrowLeft" | "ArrowUp" => ConnectKey::Step {
            forward: !(k.shift || k.key == "ArrowLeft" || k.key == "ArrowUp"),
        },
        "Enter" => ConnectKey::Finish,
        "Escape" => ConnectKey::Abandon,
        _ => ConnectKey::Other,
    }
}

/// What `k` does on the canvas showing `s` (no connection in progress).
pub fn key_effect(k: &KeyPress, s: &Scene) -> KeyEffect {
    let single = (s.selected.len() == 1).then(|| s.selected[0]);
    if k.key == "ContextMenu" || (k.key == "F10" && k.shift) {
        return match single {
            Some(i) => {
                let n = &s.doc.nodes[i];
                let (x, y) = s.view.to_screen(n.x, n.y);
                KeyEffect::OpenMenu(x, y)
            }
            None => KeyEffect::Unhandled,
        };
    }
    match k.key {
        "Delete" | "Backspace" => KeyEffect::Act {
            actions: vec![Action::DeleteSelected],
            prevent: true,
        },
        "Escape" => KeyEffect::Cancel,
        "Tab" if k.plain => {
            // Nodes first, then data centers.
            let nodes = s.doc.nodes.len();
            let current = match s.selected_region {
                Some(r) => Some(nodes + r),
                None => single,
            };
            let next = tool::tab_target(nodes + s.doc.regions.len(), current, k.shift);
            match next {
                Some(i) => {
                    let sel = match i.checked_sub(nodes) {
                        None => Selection::Node(s.doc.nodes[i].id.clone()),
                        Some(r) => Selection::Region(s.doc.regions[r].id.clone()),
                    };
                    KeyEffect::Act {
                        actions: vec![Action::Select(Some(sel))],
                        prevent: true,
                    }
                }
                // Past the last one, Tab leaves the canvas as usual.
                None => KeyEffect::Unhandled,
            }
        }
        "c" | "C" if k.plain => match single.and_then(|i| KeyConnect::start(s.doc, i)) {
            Some(c) => KeyEffect::StartConnect(c),
            None => KeyEffect::Unhandled,
        },
        "ArrowLeft" | "ArrowRight" | "ArrowUp" | "ArrowDown" => {
            let moved = arrow_moves(k, s);
            if moved.is_empty() {
                KeyEffect::Unhandled
            } else {
                KeyEffect::Act {
                    actions: moved,
                    prevent: true,
                }
            }
        }
        _ => KeyEffect::Unhandled,
    }
}

/// The moves an arrow key makes: 10 px (Shift: 50 px) for every selected
/// node, as one undo step; or the selected data center moved (Alt:
/// resized).
fn arrow_moves(k: &KeyPress, s: &Scene) -> Vec<Action> {
    let step = if k.shift { 50.0 } else { 10.0 };
    let (dx, dy) = match k.key {
        "ArrowLeft" => (-step, 0.0),
        "ArrowRight" => (step, 0.0),
        "ArrowUp" => (0.0, -step),
        _ => (0.0, step),
    };
    let gesture = tool::new_gesture();
    if let Some(r) = s.selected_region.and_then(|r| s.doc.regions.get(r)) {
        let id = r.id.clone();
        return vec![if k.alt {
            Action::ResizeRegion {
                id,
                w: r.w + dx,
                h: r.h + dy,
                gesture,
            }
        } else {
            Action::MoveRegion {
                id,
                x: r.x + dx,
                y: r.y + dy,
                gesture,
            }
        }];
    }
    s.selected
        .iter()
        .map(|&i| {
            let n = &s.doc.nodes[i];
            Action::MoveNode {
                id: n.id.clone(),
                x: n.x + dx,
                y: n.y + dy,
                gesture,
            }
        })
        .collect()
}

/// The canvas's `keydown` handler: reads the event, asks [`connect_key`]
/// or [`key_effect`], and applies the answer.
pub(super) fn on_keydown(
    shared: Rc<RefCell<Shared>>,
    emit_all: Rc<dyn Fn(Vec<Action>)>,
    menu: UseStateHandle<Option<(String, f64, f64)>>,
    has_menu: bool,
) -> Callback<KeyboardEvent> {
    Callback::from(move |e: KeyboardEvent| {
        let key = e.key();
        let k = KeyPress {
            key: &key,
            shift: e.shift_key(),
            alt: e.alt_key(),
            plain: !(e.ctrl_key() || e.meta_key() || e.alt_key()),
        };
        // A keyboard connection in progress takes Tab, arrows, Enter, Escape.
        let connecting = shared.borrow().key_connect.is_some();
        if connecting {
            let mut sh = shared.borrow_mut();
            let done = match connect_key(&k) {
                ConnectKey::Other => return,
                ConnectKey::Step { forward } => {
                    if let Some(c) = sh.key_connect.as_mut() {
                        c.step(forward);
                    }
                    None
                }
                ConnectKey::Finish => sh.key_connect.take().map(|c| c.finish(&sh.doc)),
                ConnectKey::Abandon => {
                    sh.key_connect = None;
                    None
                }
            };
            sh.show_key_connect();
            e.prevent_default();
            drop(sh);
            emit_all(done.into_iter().collect());
            return;
        }
        let effect = {
            let sh = shared.borrow();
            key_effect(
                &k,
                &Scene {
                    doc: &sh.doc,
                    selected: &sh.selected,
                    selected_region: sh.selected_region,
                    view: sh.view,
                },
            )
        };
        match effect {
            KeyEffect::Unhandled => {}
            KeyEffect::Act { actions, prevent } => {
                if prevent {
                    e.prevent_default();
                }
                emit_all(actions);
            }
            KeyEffect::Cancel => {
                shared.borrow_mut().tool.cancel();
                emit_all(vec![Action::Select(None)]);
            }
            KeyEffect::StartConnect(c) => {
                e.prevent_default();
                let mut sh = shared.borrow_mut();
                sh.key_connect = Some(c);
                sh.show_key_connect();
            }
            KeyEffect::OpenMenu(x, y) => {
                if has_menu {
                    e.prevent_default();
                    open_menu(&shared.borrow(), &menu, x, y);
                }
            }
        }
    })
}

/// Space held anywhere outside a text field: dragging on the canvas pans.
#[hook]
pub(super) fn use_space_pans(shared: Rc<RefCell<Shared>>) {
    use_effect_with((), move |_| {
        let doc = gloo::utils::document();
        let set = |down: bool, shared: Rc<RefCell<Shared>>| {
            move |e: &web_sys::Event| {
                let typing = e
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                    .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "SELECT"));
                if let Some(k) = e.dyn_ref::<KeyboardEvent>()
                    && k.key() == " "
                    && !typing
                {
                    shared.borrow_mut().space = down;
                }
            }
        };
        let a = gloo::events::EventListener::new(&doc, "keydown", set(true, shared.clone()));
        let b = gloo::events::EventListener::new(&doc, "keyup", set(false, shared));
        move || drop((a, b))
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use scalesim::Kind;
    use scalesim::design::{EdgeDoc, NodeDoc, RegionDoc};

    fn press(key: &str) -> KeyPress<'_> {
        KeyPress {
            key,
            shift: false,
            alt: false,
            plain: true,
        }
    }

    fn design() -> DesignDoc {
        let mut d = DesignDoc::default();
        for (id, kind, x) in [
            ("users-1", Kind::Users, 0.0),
            ("web-1", Kind::WebServer, 200.0),
            ("db-1", Kind::Database, 400.0),
        ] {
            d.nodes.push(NodeDoc {
                id: id.into(),
                kind,
                x,
                y: 100.0,
                params: Default::default(),
            });
        }
        d.edges.push(EdgeDoc::new("users-1", "web-1"));
        d.regions.push(RegionDoc {
            id: "dc-1".into(),
            region: "us-east".into(),
            x: -50.0,
            y: 0.0,
            w: 600.0,
            h: 300.0,
        });
        d
    }

    fn scene<'a>(doc: &'a DesignDoc, selected: &'a [usize]) -> Scene<'a> {
        Scene {
            doc,
            selected,
            selected_region: None,
            view: View::default(),
        }
    }

    #[test]
    fn arrows_move_every_selected_node_as_one_step() {
        let d = design();
        let KeyEffect::Act { actions, prevent } =
            key_effect(&press("ArrowRight"), &scene(&d, &[0, 2]))
        else {
            panic!("arrows move the selection");
        };
        assert!(prevent, "the page must not scroll");
        let moves: Vec<(String, f64, f64, u64)> = actions
            .iter()
            .map(|a| match a {
                Action::MoveNode { id, x, y, gesture } => (id.clone(), *x, *y, *gesture),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(moves[0].0, "users-1");
        assert_eq!((moves[0].1, moves[0].2), (10.0, 100.0));
        assert_eq!((moves[1].1, moves[1].2), (410.0, 100.0));
        assert_eq!(moves[0].3, moves[1].3, "one gesture: one undo step");
        let far = KeyPress {
            shift: true,
            ..press("ArrowUp")
        };
        let KeyEffect::Act { actions, .. } = key_effect(&far, &scene(&d, &[1])) else {
            panic!()
        };
        assert!(matches!(&actions[0], Action::MoveNode { y, .. } if *y == 50.0));
        // Nothing selected: arrows are the page's.
        assert_eq!(
            key_effect(&press("ArrowDown"), &scene(&d, &[])),
            KeyEffect::Unhandled
        );
    }

    #[test]
    fn arrows_move_or_resize_a_selected_data_center() {
        let d = design();
        let s = Scene {
            selected_region: Some(0),
            ..scene(&d, &[])
        };
        let KeyEffect::Act { actions, .. } = key_effect(&press("ArrowLeft"), &s) else {
            panic!()
        };
        assert!(matches!(&actions[..], [Action::MoveRegion { x, .. }] if *x == -60.0));
        let resize = KeyPress {
            alt: true,
            plain: false,
            ..press("ArrowDown")
        };
        let KeyEffect::Act { actions, .. } = key_effect(&resize, &s) else {
            panic!()
        };
        assert!(matches!(&actions[..], [Action::ResizeRegion { h, .. }] if *h == 310.0));
    }

    #[test]
    fn tab_walks_nodes_then_data_centers_then_leaves() {
        let d = design();
        let select = |e: KeyEffect| match e {
            KeyEffect::Act { actions, .. } => match &actions[..] {
                [Action::Select(Some(s))] => Some(s.clone()),
                other => panic!("{other:?}"),
            },
            KeyEffect::Unhandled => None,
            other => panic!("{other:?}"),
        };
        assert_eq!(
            select(key_effect(&press("Tab"), &scene(&d, &[]))),
            Some(Selection::Node("users-1".into()))
        );
        assert_eq!(
            select(key_effect(&press("Tab"), &scene(&d, &[2]))),
            Some(Selection::Region("dc-1".into()))
        );
        let on_region = Scene {
            selected_region: Some(0),
            ..scene(&d, &[])
        };
        assert_eq!(select(key_effect(&press("Tab"), &on_region)), None);
        let back = KeyPress {
            shift: true,
            ..press("Tab")
        };
        assert_eq!(
            select(key_effect(&back, &on_region)),
            Some(Selection::Node("db-1".into()))
        );
        // Ctrl+Tab is the browser's.
        let ctrl = KeyPress {
            plain: false,
            ..press("Tab")
        };
        assert_eq!(key_effect(&ctrl, &scene(&d, &[])), KeyEffect::Unhandled);
    }

    #[test]
    fn delete_escape_connect_and_menu_keys() {
        let d = design();
        assert!(matches!(
            key_effect(&press("Delete"), &scene(&d, &[1])),
            KeyEffect::Act { actions, prevent: true } if actions == vec![Action::DeleteSelected]
        ));
        assert_eq!(
            key_effect(&press("Escape"), &scene(&d, &[1])),
            KeyEffect::Cancel
        );
        // `c` on the web server starts a connection towards a node it may call.
        let KeyEffect::StartConnect(c) = key_effect(&press("c"), &scene(&d, &[1])) else {
            panic!("c starts a connection")
        };
        assert_eq!(d.nodes[c.target()].id, "db-1");
        assert_eq!(
            key_effect(&press("c"), &scene(&d, &[])),
            KeyEffect::Unhandled
        );
        // The menu opens at the node, on screen.
        assert_eq!(
            key_effect(&press("ContextMenu"), &scene(&d, &[1])),
            KeyEffect::OpenMenu(200.0, 100.0)
        );
        let f10 = KeyPress {
            shift: true,
            ..press("F10")
        };
        assert_eq!(key_effect(&f10, &scene(&d, &[0, 1])), KeyEffect::Unhandled);
    }

    #[test]
    fn connecting_takes_tab_arrows_enter_and_escape() {
        assert_eq!(
            connect_key(&press("Tab")),
            ConnectKey::Step { forward: true }
        );
        let back = KeyPress {
            shift: true,
            ..press("Tab")
        };
        assert_eq!(connect_key(&back), ConnectKey::Step { forward: false });
        assert_eq!(
            connect_key(&press("ArrowUp")),
            ConnectKey::Step { forward: false }
        );
        assert_eq!(connect_key(&press("Enter")), ConnectKey::Finish);
        assert_eq!(connect_key(&press("Escape")), ConnectKey::Abandon);
        assert_eq!(connect_key(&press("x")), ConnectKey::Other);
    }
}
