//! The palette: one button per catalog kind. Drag a button onto the canvas
//! (mouse, pen or touch: pointer events) to place a component where it is
//! dropped, or press Enter / click it to add one at a free spot.

use crate::canvas::client_to_canvas;
use crate::i18n::{Lang, Msg};
use gloo::events::EventListener;
use scalesim::catalog::{CATALOG, DATA_CENTER_DESCRIPTION, DATA_CENTER_NAME, Group, Kind, Text};
use std::cell::RefCell;
use std::rc::Rc;
use web_sys::PointerEvent;
use yew::prelude::*;

/// What the palette offers: a component kind, or a data center box.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PaletteItem {
    /// A node of this kind.
    Kind(Kind),
    /// A data center (Geography).
    DataCenter,
}

impl PaletteItem {
    fn key(self) -> &'static str {
        match self {
            PaletteItem::Kind(k) => k.key(),
            PaletteItem::DataCenter => "datacenter",
        }
    }

    fn name(self) -> Text {
        match self {
            PaletteItem::Kind(k) => k.spec().name,
            PaletteItem::DataCenter => DATA_CENTER_NAME,
        }
    }

    fn colour(self) -> &'static str {
        match self {
            PaletteItem::Kind(k) => crate::kinds::colour(k),
            PaletteItem::DataCenter => "#56B4E9",
        }
    }

    fn icon(self) -> &'static str {
        match self {
            PaletteItem::Kind(k) => crate::kinds::icon(k),
            // A dashed box with a pin.
            PaletteItem::DataCenter => {
                "M3 6h4M10 6h4M17 6h4M3 18h4M10 18h4M17 18h4M3 6v4M3 14v4M21 6v4M21 14v4M12 9a2 2 0 1 0 0 4 2 2 0 0 0 0-4z"
            }
        }
    }
}

/// Properties of [`Palette`].
#[derive(Properties, PartialEq)]
pub struct PaletteProps {
    /// UI language.
    pub lang: Lang,
    /// An item dropped on the canvas at (x, y) [canvas px].
    pub on_drop: Callback<(PaletteItem, f64, f64)>,
    /// An item chosen without dragging (click, Enter).
    pub on_add: Callback<PaletteItem>,
}

/// A drag in progress: the item and the pointer position [client px].
type Ghost = Option<(PaletteItem, f64, f64)>;

/// The component palette.
#[function_component(Palette)]
pub fn palette(props: &PaletteProps) -> Html {
    let ghost = use_state(|| None as Ghost);
    let dragging: Rc<RefCell<Option<PaletteItem>>> = use_mut_ref(|| None);
    let on_drop = use_mut_ref(|| props.on_drop.clone());
    *on_drop.borrow_mut() = props.on_drop.clone();

    // Window-level listeners, installed once: a drag may end anywhere.
    {
        let (ghost, dragging, on_drop) = (ghost.clone(), dragging.clone(), on_drop.clone());
        use_effect_with((), move |_| {
            let window = gloo::utils::window();
            let moving = {
                let (ghost, dragging) = (ghost.clone(), dragging.clone());
                EventListener::new(&window, "pointermove", move |e| {
                    let Some(e) = e.dyn_ref::<PointerEvent>() else {
                        return;
                    };
                    if let Some(kind) = *dragging.borrow() {
                        ghost.set(Some((
                            kind,
                            f64::from(e.client_x()),
                            f64::from(e.client_y()),
                        )));
                    }
                })
            };
            // A touch taken over by the browser (scrolling the palette's
            // sheet) is no drag.
            let cancel = {
                let (ghost, dragging) = (ghost.clone(), dragging.clone());
                EventListener::new(&window, "pointercancel", move |_| {
                    dragging.borrow_mut().take();
                    ghost.set(None);
                })
            };
            let up = EventListener::new(&window, "pointerup", move |e| {
                let Some(e) = e.dyn_ref::<PointerEvent>() else {
                    return;
                };
                let Some(kind) = dragging.borrow_mut().take() else {
                    return;
                };
                ghost.set(None);
                let at = client_to_canvas(f64::from(e.client_x()), f64::from(e.client_y()));
                if let Some((x, y)) = at {
                    let cb = on_drop.borrow().clone();
                    cb.emit((kind, x, y));
                }
            });
            move || drop((moving, up, cancel))
        });
    }

    let lang = props.lang;
    let mut last_group = None;
    let entries = CATALOG
        .iter()
        .map(|spec| (PaletteItem::Kind(spec.kind), spec.group, spec.description))
        .chain(std::iter::once((
            PaletteItem::DataCenter,
            Group::Geography,
            DATA_CENTER_DESCRIPTION,
        )));
    let items = entries
        .map(|(kind, group, description)| {
            let heading = (last_group != Some(group)).then(|| {
                last_group = Some(group);
                html! { <li class="group">{ lang.pick(group.name()) }</li> }
            });
            let onpointerdown = {
                let (dragging, ghost) = (dragging.clone(), ghost.clone());
                Callback::from(move |e: PointerEvent| {
                    if e.button() != 0 {
                        return;
                    }
                    e.prevent_default();
                    *dragging.borrow_mut() = Some(kind);
                    ghost.set(Some((
                        kind,
                        f64::from(e.client_x()),
                        f64::from(e.client_y()),
                    )));
                })
            };
            let onclick = {
                let on_add = props.on_add.clone();
                Callback::from(move |_: MouseEvent| on_add.emit(kind))
            };
            let key_name = kind.key();
            html! {
                <>
                { for heading }
                <li key={key_name}>
                    <button
                        class="palette-item"
                        data-palette-kind={key_name}
                        style={format!("--accent: {}", kind.colour())}
                        title={lang.pick(description)}
                        {onpointerdown}
                        {onclick}
                    >
                        <span class="swatch" aria-hidden="true">
                        <svg viewBox="0 0 24 24" width="22" height="22">
                            <path d={kind.icon()} />
                        </svg>
                    </span>
                        <span class="name">{ lang.pick(kind.name()) }</span>
                        <span class="desc">{ lang.pick(description) }</span>
                    </button>
                </li>
                </>
            }
        })
        .collect::<Vec<Html>>();

    let ghost_view = match *ghost {
        Some((kind, x, y)) => html! {
            <div class="drag-ghost" aria-hidden="true"
                 style={format!("left: {x}px; top: {y}px; --accent: {}", kind.colour())}>
                { lang.pick(kind.name()) }
            </div>
        },
        None => html! {},
    };

    html! {
        <nav class="palette" aria-label={Msg::Palette.text(lang)}>
            <h2>{ Msg::Palette.text(lang) }</h2>
            <p class="hint">{ Msg::PaletteHint.text(lang) }</p>
            <ul>{ for items }</ul>
            { ghost_view }
        </nav>
    }
}

use wasm_bindgen::JsCast;
