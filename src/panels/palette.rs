//! The palette: one button per catalog kind. Drag a button onto the canvas
//! (mouse, pen or touch: pointer events) to place a component where it is
//! dropped, or press Enter / click it to add one at a free spot.

use crate::canvas::{client_to_canvas, draw::kind_colour};
use crate::i18n::{Lang, Msg};
use gloo::events::EventListener;
use scalesim::catalog::{CATALOG, Kind};
use std::cell::RefCell;
use std::rc::Rc;
use web_sys::PointerEvent;
use yew::prelude::*;

/// Properties of [`Palette`].
#[derive(Properties, PartialEq)]
pub struct PaletteProps {
    /// UI language.
    pub lang: Lang,
    /// A kind dropped on the canvas at (x, y) [canvas px].
    pub on_drop: Callback<(Kind, f64, f64)>,
    /// A kind chosen without dragging (click, Enter).
    pub on_add: Callback<Kind>,
}

/// A drag in progress: the kind and the pointer position [client px].
type Ghost = Option<(Kind, f64, f64)>;

/// The component palette.
#[function_component(Palette)]
pub fn palette(props: &PaletteProps) -> Html {
    let ghost = use_state(|| None as Ghost);
    let dragging: Rc<RefCell<Option<Kind>>> = use_mut_ref(|| None);
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
            move || drop((moving, up))
        });
    }

    let lang = props.lang;
    let mut last_group = None;
    let items = CATALOG
        .iter()
        .map(|spec| {
            let heading = (last_group != Some(spec.group)).then(|| {
            last_group = Some(spec.group);
            html! { <li class="group" role="presentation">{ lang.pick(spec.group.name()) }</li> }
        });
            let kind = spec.kind;
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
                        style={format!("--accent: {}", kind_colour(kind))}
                        title={lang.pick(spec.description)}
                        {onpointerdown}
                        {onclick}
                    >
                        <span class="swatch" aria-hidden="true">
                        <svg viewBox="0 0 24 24" width="22" height="22">
                            <path d={crate::icons::path(kind)} />
                        </svg>
                    </span>
                        <span class="name">{ lang.pick(spec.name) }</span>
                        <span class="desc">{ lang.pick(spec.description) }</span>
                    </button>
                </li>
                </>
            }
        })
        .collect::<Vec<Html>>();

    let ghost_view = match *ghost {
        Some((kind, x, y)) => html! {
            <div class="drag-ghost" aria-hidden="true"
                 style={format!("left: {x}px; top: {y}px; --accent: {}", kind_colour(kind))}>
                { lang.pick(kind.spec().name) }
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
