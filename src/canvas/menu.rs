//! A node's fault menu: kill, restart, slow down, cut its links. Opened by
//! a right-click, a long press, or the context-menu key; it takes the focus
//! so the keyboard can choose from it.

use super::{Shared, geometry};
use crate::i18n::{Lang, Msg};
use wasm_bindgen::JsCast;
use web_sys::KeyboardEvent;
use yew::prelude::*;

/// The menu's state: (node id, left, top [canvas px]), or closed.
pub(super) type MenuState = UseStateHandle<Option<(String, f64, f64)>>;

/// Opens the menu of the node under screen point (`sx`, `sy`) [canvas px];
/// closes it if there is none. Whether a menu opened.
pub(super) fn open_menu(sh: &Shared, menu: &MenuState, sx: f64, sy: f64) -> bool {
    let (x, y) = sh.view.to_world(sx, sy);
    match geometry::hit_node(&sh.doc, x, y) {
        Some(i) => {
            menu.set(Some((sh.doc.nodes[i].id.clone(), sx, sy)));
            true
        }
        None => {
            menu.set(None);
            false
        }
    }
}

/// An opened menu takes the focus, so the keyboard can choose from it.
#[hook]
pub(super) fn use_menu_focus(menu: &MenuState) {
    use_effect_with((**menu).clone(), |m| {
        if m.is_some()
            && let Ok(Some(first)) = gloo::utils::document().query_selector("#fault-menu button")
            && let Some(el) = first.dyn_ref::<web_sys::HtmlElement>()
        {
            let _ = el.focus();
        }
    });
}

/// The fault menu of node `id` at (`left`, `top`) [canvas px]: kill,
/// restart, slow down, cut its links. Escape or a choice closes it.
pub(super) fn fault_menu(
    id: &str,
    left: f64,
    top: f64,
    lang: Lang,
    on_fault: &Callback<(String, crate::driver::NodeFault)>,
    menu: &MenuState,
) -> Html {
    use crate::driver::NodeFault as F;
    let item = |fault: F, label: Msg, key: &'static str| {
        let (on_fault, menu, id) = (on_fault.clone(), menu.clone(), id.to_string());
        let onclick = Callback::from(move |_: MouseEvent| {
            on_fault.emit((id.clone(), fault));
            menu.set(None);
        });
        html! {
            <button role="menuitem" data-fault={key} {onclick}>{ label.text(lang) }</button>
        }
    };
    let onkeydown = {
        let menu = menu.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                menu.set(None);
            }
        })
    };
    html! {
        <div class="context-menu" role="menu" id="fault-menu" aria-label={format!("{} {id}", Msg::FaultMenu.text(lang))}
            style={format!("left: {left:.0}px; top: {top:.0}px")} {onkeydown}>
            <div class="menu-title"><code>{ id }</code></div>
            { item(F::Kill, Msg::FaultKill, "kill") }
            { item(F::Restart, Msg::FaultRestart, "restart") }
            { item(F::Slow, Msg::FaultSlow, "slow") }
            { item(F::Cut, Msg::FaultCut, "cut") }
        </div>
    }
}
