//! The design canvas: two stacked `<canvas>` layers outside the virtual DOM,
//! driven by one `requestAnimationFrame` loop.

pub mod draw;
pub mod geometry;
pub mod tool;

use crate::driver::Driver;
use crate::i18n::{Lang, Msg};
use crate::state::Action;
use scalesim::Snapshot;
use scalesim::design::DesignDoc;
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use tool::Tool;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, KeyboardEvent, PointerEvent};
use yew::prelude::*;

/// Id of the top canvas layer, which receives pointer input.
pub const LIVE_CANVAS_ID: &str = "canvas-live";

/// How often the metrics panel is refreshed while running [ms of wall time].
const TICK_MS: f64 = 250.0;

/// The driver shared between the app (play, pause) and the canvas loop.
#[derive(Clone, Default)]
pub struct SharedDriver(pub Rc<RefCell<Driver>>);

impl PartialEq for SharedDriver {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// Properties of [`DesignCanvas`].
#[derive(Properties, PartialEq)]
pub struct CanvasProps {
    /// The design to draw.
    pub doc: DesignDoc,
    /// The design's change counter.
    pub version: u64,
    /// Index of the selected node.
    pub selected: Option<usize>,
    /// UI language.
    pub lang: Lang,
    /// The simulation driver.
    pub driver: SharedDriver,
    /// Receives the editor actions made with the pointer and keyboard.
    pub on_action: Callback<Action>,
    /// Receives a fresh snapshot a few times a second while running.
    pub on_tick: Callback<Snapshot>,
}

/// Canvas-local coordinates [canvas px] of a point in the viewport, if it
/// lies over the canvas.
pub fn client_to_canvas(client_x: f64, client_y: f64) -> Option<(f64, f64)> {
    let el = gloo::utils::document().get_element_by_id(LIVE_CANVAS_ID)?;
    let r = el.get_bounding_client_rect();
    let (x, y) = (client_x - r.left(), client_y - r.top());
    (x >= 0.0 && y >= 0.0 && x <= r.width() && y <= r.height()).then_some((x, y))
}

/// The animation-frame callback, built once and handed to every
/// `requestAnimationFrame` call.
type FrameSlot = Rc<RefCell<Option<Closure<dyn FnMut(f64)>>>>;

struct Shared {
    doc: DesignDoc,
    version: u64,
    selected: Option<usize>,
    lang: Lang,
    tool: Tool,
    static_dirty: bool,
    live_drawn: bool,
    /// CSS width, CSS height, device pixel ratio.
    size: (f64, f64, f64),
    contexts: Option<(CanvasRenderingContext2d, CanvasRenderingContext2d)>,
    on_tick: Callback<Snapshot>,
    last_tick_ms: f64,
}

fn context(c: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    c.get_context("2d").ok()??.dyn_into().ok()
}

/// One animation frame: resize if needed, redraw the static layer if dirty,
/// advance the simulation, redraw the live layer. Returns a snapshot when
/// the metrics panel is due for a refresh.
fn frame(
    ts: f64,
    sh: &mut Shared,
    driver: &mut Driver,
    static_c: &HtmlCanvasElement,
    live_c: &HtmlCanvasElement,
) -> Option<Snapshot> {
    let (w, h) = (
        f64::from(live_c.client_width()),
        f64::from(live_c.client_height()),
    );
    let dpr = gloo::utils::window().device_pixel_ratio().max(1.0);
    if (w, h, dpr) != sh.size {
        for c in [static_c, live_c] {
            c.set_width((w * dpr) as u32);
            c.set_height((h * dpr) as u32);
        }
        sh.size = (w, h, dpr);
        sh.static_dirty = true;
        sh.live_drawn = true;
    }
    if sh.contexts.is_none() {
        sh.contexts = context(static_c).zip(context(live_c));
    }
    let (sctx, lctx) = sh.contexts.as_ref()?;
    if sh.static_dirty {
        let _ = sctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0);
        draw::draw_static(sctx, &sh.doc, sh.selected, sh.lang, w, h);
        sh.static_dirty = false;
    }
    driver.frame(ts);
    let live = driver.sim().is_some() || !matches!(sh.tool, Tool::Idle);
    if live || sh.live_drawn {
        let _ = lctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0);
        draw::draw_live(lctx, &sh.doc, driver, &sh.tool, sh.lang, w, h);
        sh.live_drawn = live;
    }
    if driver.is_running() && ts - sh.last_tick_ms >= TICK_MS {
        sh.last_tick_ms = ts;
        return driver.snapshot();
    }
    None
}

/// The design canvas.
#[function_component(DesignCanvas)]
pub fn design_canvas(props: &CanvasProps) -> Html {
    let static_ref = use_node_ref();
    let live_ref = use_node_ref();
    let shared = use_mut_ref(|| Shared {
        doc: props.doc.clone(),
        version: props.version,
        selected: props.selected,
        lang: props.lang,
        tool: Tool::Idle,
        static_dirty: true,
        live_drawn: false,
        size: (0.0, 0.0, 0.0),
        contexts: None,
        on_tick: props.on_tick.clone(),
        last_tick_ms: 0.0,
    });
    {
        let mut sh = shared.borrow_mut();
        if sh.version != props.version || sh.selected != props.selected || sh.lang != props.lang {
            sh.doc = props.doc.clone();
            sh.version = props.version;
            sh.selected = props.selected;
            sh.lang = props.lang;
            sh.static_dirty = true;
        }
        sh.on_tick = props.on_tick.clone();
    }

    {
        let (shared, driver) = (shared.clone(), props.driver.clone());
        let (static_ref, live_ref) = (static_ref.clone(), live_ref.clone());
        use_effect_with((), move |_| {
            let alive = Rc::new(Cell::new(true));
            let slot: FrameSlot = Rc::new(RefCell::new(None));
            let (alive2, slot2) = (alive.clone(), slot.clone());
            let request = |slot: &FrameSlot| {
                if let Some(cb) = slot.borrow().as_ref() {
                    let _ =
                        gloo::utils::window().request_animation_frame(cb.as_ref().unchecked_ref());
                }
            };
            *slot.borrow_mut() = Some(Closure::new(move |ts: f64| {
                if !alive2.get() {
                    return;
                }
                if let (Some(s), Some(l)) = (
                    static_ref.cast::<HtmlCanvasElement>(),
                    live_ref.cast::<HtmlCanvasElement>(),
                ) {
                    let (tick, on_tick) = {
                        let mut sh = shared.borrow_mut();
                        let tick = frame(ts, &mut sh, &mut driver.0.borrow_mut(), &s, &l);
                        (tick, sh.on_tick.clone())
                    };
                    // Borrows released: the callback may re-render the app.
                    if let Some(snapshot) = tick {
                        on_tick.emit(snapshot);
                    }
                }
                request(&slot2);
            }));
            request(&slot);
            move || {
                alive.set(false);
                slot.borrow_mut().take();
            }
        });
    }

    let local = {
        let live_ref = live_ref.clone();
        move |e: &PointerEvent| -> (f64, f64) {
            match live_ref.cast::<web_sys::Element>() {
                Some(el) => {
                    let r = el.get_bounding_client_rect();
                    (
                        f64::from(e.client_x()) - r.left(),
                        f64::from(e.client_y()) - r.top(),
                    )
                }
                None => (0.0, 0.0),
            }
        }
    };
    let emit_all = {
        let on_action = props.on_action.clone();
        move |actions: Vec<Action>| {
            for a in actions {
                on_action.emit(a);
            }
        }
    };
    let onpointerdown = {
        let (shared, local, emit_all, live_ref) = (
            shared.clone(),
            local.clone(),
            emit_all.clone(),
            live_ref.clone(),
        );
        Callback::from(move |e: PointerEvent| {
            if e.button() != 0 {
                return;
            }
            if let Some(el) = live_ref.cast::<web_sys::HtmlElement>() {
                let _ = el.set_pointer_capture(e.pointer_id());
                let _ = el.focus();
            }
            e.prevent_default();
            let (x, y) = local(&e);
            let actions = {
                let sh = &mut *shared.borrow_mut();
                sh.tool.down(&sh.doc, x, y)
            };
            emit_all(actions);
        })
    };
    let onpointermove = {
        let (shared, local, emit_all) = (shared.clone(), local.clone(), emit_all.clone());
        Callback::from(move |e: PointerEvent| {
            let (x, y) = local(&e);
            let actions = shared.borrow_mut().tool.moved(x, y);
            emit_all(actions);
        })
    };
    let onpointerup = {
        let (shared, local, emit_all) = (shared.clone(), local.clone(), emit_all.clone());
        Callback::from(move |e: PointerEvent| {
            let (x, y) = local(&e);
            let actions = {
                let sh = &mut *shared.borrow_mut();
                sh.tool.up(&sh.doc, x, y)
            };
            emit_all(actions);
        })
    };
    let onpointercancel = {
        let shared = shared.clone();
        Callback::from(move |_: PointerEvent| shared.borrow_mut().tool.cancel())
    };
    let onkeydown = {
        let (shared, emit_all) = (shared.clone(), emit_all.clone());
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            "Delete" | "Backspace" => {
                e.prevent_default();
                emit_all(vec![Action::DeleteSelected]);
            }
            "Escape" => {
                shared.borrow_mut().tool.cancel();
                emit_all(vec![Action::Select(None)]);
            }
            key @ ("ArrowLeft" | "ArrowRight" | "ArrowUp" | "ArrowDown") => {
                // Move the selected node from the keyboard (Shift: farther).
                let moved = {
                    let sh = shared.borrow();
                    sh.selected.map(|i| {
                        let n = &sh.doc.nodes[i];
                        let step = if e.shift_key() { 50.0 } else { 10.0 };
                        let (dx, dy) = match key {
                            "ArrowLeft" => (-step, 0.0),
                            "ArrowRight" => (step, 0.0),
                            "ArrowUp" => (0.0, -step),
                            _ => (0.0, step),
                        };
                        Action::MoveNode {
                            id: n.id.clone(),
                            x: n.x + dx,
                            y: n.y + dy,
                            gesture: tool::new_gesture(),
                        }
                    })
                };
                if let Some(a) = moved {
                    e.prevent_default();
                    emit_all(vec![a]);
                }
            }
            _ => {}
        })
    };

    // The design in words, for assistive technology (the canvas itself is a
    // picture): each node, its kind and where it sends requests.
    let outline = props.doc.nodes.iter().map(|n| {
        let targets: Vec<&str> = props
            .doc
            .edges
            .iter()
            .filter(|e| e.from == n.id)
            .map(|e| e.to.as_str())
            .collect();
        html! {
            <li data-node={n.id.clone()} data-targets={targets.join(" ")}
                data-x={n.x.to_string()} data-y={n.y.to_string()}>
                { format!("{} {}", props.lang.pick(n.kind.spec().name), n.id) }
                if !targets.is_empty() {
                    { format!(" → {}", targets.join(", ")) }
                }
            </li>
        }
    });

    html! {
        <div class="canvas-wrap">
            <ul id="outline" class="sr-only" aria-label={Msg::Outline.text(props.lang)}>
                { for outline }
            </ul>
            <canvas ref={static_ref} class="layer" aria-hidden="true"></canvas>
            <canvas
                ref={live_ref}
                id={LIVE_CANVAS_ID}
                class="layer live"
                tabindex="0"
                role="application"
                aria-label={Msg::CanvasLabel.text(props.lang)}
                {onpointerdown}
                {onpointermove}
                {onpointerup}
                {onpointercancel}
                {onkeydown}
            ></canvas>
        </div>
    }
}
