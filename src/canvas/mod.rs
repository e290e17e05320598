//! The design canvas: two stacked `<canvas>` layers outside the virtual DOM,
//! driven by one `requestAnimationFrame` loop.

pub mod draw;
pub mod geometry;
pub mod tool;
pub mod view;

use crate::driver::Driver;
use crate::i18n::{Lang, Msg};
use crate::state::Action;
use scalesim::design::DesignDoc;
use scalesim::{DotKind, Snapshot};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use tool::Tool;
use view::View;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use web_sys::{
    CanvasRenderingContext2d, HtmlCanvasElement, KeyboardEvent, PointerEvent, WheelEvent,
};
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
    /// Indices of the selected nodes.
    pub selected: Vec<usize>,
    /// Index of the selected connection, if any.
    #[prop_or_default]
    pub selected_edge: Option<usize>,
    /// Index of the selected data center, if any.
    #[prop_or_default]
    pub selected_region: Option<usize>,
    /// UI language.
    pub lang: Lang,
    /// The simulation driver.
    pub driver: SharedDriver,
    /// Receives the editor actions made with the pointer and keyboard.
    pub on_action: Callback<Action>,
    /// Receives a fresh snapshot a few times a second while running.
    pub on_tick: Callback<Snapshot>,
    /// Changes when a whole design was loaded: the view then fits it if it
    /// does not already show all of it.
    pub fit_request: u64,
    /// Embedded in another page: fit the design on open, and keep the view
    /// out of the visitor's storage.
    #[prop_or_default]
    pub embedded: bool,
    /// Receives a fault chosen from a node's context menu (right-click,
    /// long press, or the context-menu key); `None` disables the menu.
    #[prop_or_default]
    pub on_fault: Option<Callback<(String, crate::driver::NodeFault)>>,
    /// Receives the request (slot, send time) of a failed (or stale) dot
    /// that was clicked.
    #[prop_or_default]
    pub on_journey: Option<Callback<(u32, u64)>>,
}

/// How long a finger must rest on a node to open its menu [ms].
const LONG_PRESS_MS: u32 = 600;

thread_local! {
    /// The view the canvas shows now, for code outside it (palette drops).
    static CURRENT_VIEW: Cell<View> = Cell::new(View::default());
}

/// Storage key of the saved view.
const VIEW_KEY: &str = "scale-lab.view";

fn saved_view() -> View {
    gloo::utils::window()
        .local_storage()
        .ok()
        .flatten()
        .and_then(|s| s.get_item(VIEW_KEY).ok().flatten())
        .and_then(|t| serde_json::from_str(&t).ok())
        .filter(|v: &View| v.zoom.is_finite() && v.x.is_finite() && v.y.is_finite())
        .unwrap_or_default()
}

fn save_view(view: View) {
    if let Some(s) = gloo::utils::window().local_storage().ok().flatten() {
        let _ = s.set_item(VIEW_KEY, &serde_json::to_string(&view).unwrap_or_default());
    }
}

/// World coordinates [canvas px] of a point in the viewport, if it lies over
/// the canvas.
pub fn client_to_canvas(client_x: f64, client_y: f64) -> Option<(f64, f64)> {
    let el = gloo::utils::document().get_element_by_id(LIVE_CANVAS_ID)?;
    let r = el.get_bounding_client_rect();
    let (x, y) = (client_x - r.left(), client_y - r.top());
    let inside = x >= 0.0 && y >= 0.0 && x <= r.width() && y <= r.height();
    inside.then(|| CURRENT_VIEW.with(|v| v.get()).to_world(x, y))
}

/// The animation-frame callback, built once and handed to every
/// `requestAnimationFrame` call.
type FrameSlot = Rc<RefCell<Option<Closure<dyn FnMut(f64)>>>>;

struct Shared {
    doc: DesignDoc,
    version: u64,
    selected: Vec<usize>,
    selected_edge: Option<usize>,
    selected_region: Option<usize>,
    lang: Lang,
    tool: Tool,
    static_dirty: bool,
    live_drawn: bool,
    /// CSS width, CSS height, device pixel ratio.
    size: (f64, f64, f64),
    contexts: Option<(CanvasRenderingContext2d, CanvasRenderingContext2d)>,
    on_tick: Callback<Snapshot>,
    last_tick_ms: f64,
    view: View,
    fit_request: u64,
    /// Fit the view at the next frame (when the canvas size is known).
    fit_pending: bool,
    /// Space bar held: dragging pans.
    space: bool,
    /// Panning with the pointer: its last screen position.
    panning: Option<(f64, f64)>,
    /// Touch points down: (pointer id, screen x, screen y).
    touches: Vec<(i32, f64, f64)>,
    /// Save the view to storage (not when embedded).
    persist_view: bool,
    /// A connection being made from the keyboard.
    key_connect: Option<tool::KeyConnect>,
    /// Nodes with problems: (index, is an error).
    flagged: Vec<(usize, bool)>,
    /// The system asks for reduced motion: no moving dots, and the live
    /// layer redrawn a few times a second instead of every frame.
    reduced_motion: bool,
    last_live_ms: f64,
    /// Job dots drawn so far, summed over frames (for tests).
    job_dots: u64,
    /// The dot counts last written to the canvas's `data-dots`.
    dots_shown: (usize, u64, usize),
    /// Where the first failed dot was last said to be (`data-failed-dot`).
    failed_dot_shown: Option<(i32, i32)>,
}

impl Shared {
    /// Shows the keyboard connection's current target with the rubber band.
    fn show_key_connect(&mut self) {
        if let Some(k) = &self.key_connect {
            let (from, to) = (&self.doc.nodes[k.from], &self.doc.nodes[k.target()]);
            self.tool = Tool::Connecting {
                from: from.id.clone(),
                at: (to.x, to.y),
            };
        } else {
            self.tool = Tool::Idle;
        }
    }
}

/// Which nodes have problems, for badges on the canvas.
fn flagged_nodes(doc: &DesignDoc) -> Vec<(usize, bool)> {
    let problems = match doc.validate() {
        Ok(d) => d.warnings,
        Err(p) => p.0,
    };
    let mut flagged: Vec<(usize, bool)> = Vec::new();
    for p in &problems {
        let id = p.location.split(" → ").next().unwrap_or_default();
        if let Some(i) = doc.nodes.iter().position(|n| n.id == id) {
            let error = p.severity == scalesim::Severity::Error;
            match flagged.iter_mut().find(|(j, _)| *j == i) {
                Some(f) => f.1 |= error,
                None => flagged.push((i, error)),
            }
        }
    }
    flagged
}

impl Shared {
    fn set_view(&mut self, view: View) {
        self.view = view;
        CURRENT_VIEW.with(|v| v.set(view));
        self.static_dirty = true;
        self.live_drawn = true;
        if self.persist_view {
            save_view(view);
        }
    }
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
    if sh.fit_pending && w > 0.0 {
        sh.fit_pending = false;
        if !sh.view.shows_all(&sh.doc, w, h) {
            let fitted = View::fit(&sh.doc, w, h);
            sh.set_view(fitted);
        }
    }
    let (sctx, lctx) = sh.contexts.as_ref()?;
    if sh.static_dirty {
        draw::draw_static(
            sctx,
            &sh.doc,
            &sh.selected,
            (sh.selected_edge, sh.selected_region),
            &sh.flagged,
            sh.lang,
            sh.view,
            dpr,
            w,
            h,
        );
        sh.static_dirty = false;
        // The view, readable by tests and tools: "origin-x origin-y zoom".
        let v = sh.view;
        let _ = live_c.set_attribute("data-view", &format!("{} {} {}", v.x, v.y, v.zoom));
    }
    let performance = gloo::utils::window().performance();
    driver.frame_within(ts, &|| performance.as_ref().map_or(ts, |p| p.now()));
    // What the dots show, readable by tests and the benchmark (set when it
    // changes): "drawn on-a-hop jobs-drawn"; and job dots drawn so far.
    let (dots, total) = driver.dots();
    let jobs = dots.iter().filter(|d| d.kind == DotKind::Job).count();
    sh.job_dots += jobs as u64;
    let shown = (dots.len(), total, jobs);
    if shown != sh.dots_shown {
        sh.dots_shown = shown;
        let _ = live_c.set_attribute("data-dots", &format!("{} {total} {jobs}", dots.len()));
    }
    // Where a failed dot is on screen, for tests that click one: "x y".
    let failed = dots
        .iter()
        .find(|d| d.failed && d.request != scalesim::model::NO_REQUEST)
        .and_then(|d| draw::dot_position(&sh.doc, d))
        .map(|(x, y)| sh.view.to_screen(x, y))
        .map(|(x, y)| (x.round() as i32, y.round() as i32));
    if failed != sh.failed_dot_shown {
        sh.failed_dot_shown = failed;
        let _ = match failed {
            Some((x, y)) => live_c.set_attribute("data-failed-dot", &format!("{x} {y}")),
            None => live_c.remove_attribute("data-failed-dot"),
        };
    }
    let live = driver.sim().is_some() || !matches!(sh.tool, Tool::Idle);
    let due =
        !sh.reduced_motion || ts - sh.last_live_ms >= TICK_MS || !matches!(sh.tool, Tool::Idle);
    if (live || sh.live_drawn) && due {
        sh.last_live_ms = ts;
        let reduced = sh.reduced_motion;
        draw::draw_live(
            lctx, &sh.doc, driver, &sh.tool, sh.lang, sh.view, reduced, dpr, w, h,
        );
        sh.live_drawn = live;
    }
    if driver.is_running() && ts - sh.last_tick_ms >= TICK_MS {
        sh.last_tick_ms = ts;
        let _ = live_c.set_attribute("data-job-dots", &sh.job_dots.to_string());
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
        selected: props.selected.clone(),
        selected_edge: props.selected_edge,
        selected_region: props.selected_region,
        lang: props.lang,
        tool: Tool::Idle,
        static_dirty: true,
        live_drawn: false,
        size: (0.0, 0.0, 0.0),
        contexts: None,
        on_tick: props.on_tick.clone(),
        last_tick_ms: 0.0,
        view: if props.embedded {
            View::default()
        } else {
            saved_view()
        },
        fit_request: props.fit_request,
        // At start, a design that does not fit the (saved) view is fitted:
        // a lesson or link opened cold shows every component.
        fit_pending: true,
        persist_view: !props.embedded,
        key_connect: None,
        flagged: flagged_nodes(&props.doc),
        reduced_motion: gloo::utils::window()
            .match_media("(prefers-reduced-motion: reduce)")
            .ok()
            .flatten()
            .is_some_and(|m| m.matches()),
        last_live_ms: 0.0,
        job_dots: 0,
        dots_shown: (0, 0, 0),
        failed_dot_shown: None,
        space: false,
        panning: None,
        touches: Vec::new(),
    });
    CURRENT_VIEW.with(|v| v.set(shared.borrow().view));
    {
        let mut sh = shared.borrow_mut();
        if sh.version != props.version
            || sh.selected != props.selected
            || sh.selected_edge != props.selected_edge
            || sh.selected_region != props.selected_region
            || sh.lang != props.lang
        {
            if sh.version != props.version {
                sh.flagged = flagged_nodes(&props.doc);
                sh.key_connect = None;
            }
            sh.doc = props.doc.clone();
            sh.version = props.version;
            sh.selected = props.selected.clone();
            sh.selected_edge = props.selected_edge;
            sh.selected_region = props.selected_region;
            sh.lang = props.lang;
            sh.static_dirty = true;
        }
        sh.on_tick = props.on_tick.clone();
        if sh.fit_request != props.fit_request {
            sh.fit_request = props.fit_request;
            sh.fit_pending = true;
        }
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
    // A node's fault menu: (node id, left, top [canvas px]).
    let menu = use_state(|| None::<(String, f64, f64)>);
    let long_press = use_mut_ref(|| None::<(gloo::timers::callback::Timeout, f64, f64)>);
    let open_menu_at = {
        let (shared, menu, has_menu) = (shared.clone(), menu.clone(), props.on_fault.is_some());
        move |sx: f64, sy: f64| -> bool {
            if !has_menu {
                return false;
            }
            let sh = shared.borrow();
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
    };
    // An opened menu takes the focus, so the keyboard can choose from it.
    use_effect_with((*menu).clone(), |m| {
        if m.is_some()
            && let Ok(Some(first)) = gloo::utils::document().query_selector("#fault-menu button")
            && let Some(el) = first.dyn_ref::<web_sys::HtmlElement>()
        {
            let _ = el.focus();
        }
    });
    let oncontextmenu = {
        let (live_ref, open_menu_at) = (live_ref.clone(), open_menu_at.clone());
        Callback::from(move |e: MouseEvent| {
            e.prevent_default();
            if let Some(el) = live_ref.cast::<web_sys::Element>() {
                let r = el.get_bounding_client_rect();
                let sx = f64::from(e.client_x()) - r.left();
                let sy = f64::from(e.client_y()) - r.top();
                open_menu_at(sx, sy);
            }
        })
    };
    let onpointerdown = {
        let (shared, local, emit_all, live_ref, menu, long_press, open_menu_at) = (
            shared.clone(),
            local.clone(),
            emit_all.clone(),
            live_ref.clone(),
            menu.clone(),
            long_press.clone(),
            open_menu_at.clone(),
        );
        let (driver, on_journey) = (props.driver.clone(), props.on_journey.clone());
        Callback::from(move |e: PointerEvent| {
            if menu.is_some() && e.button() == 0 {
                menu.set(None);
            }
            if e.pointer_type() == "touch" {
                let (sx, sy) = local(&e);
                let (shared, open_menu_at) = (shared.clone(), open_menu_at.clone());
                let timer = gloo::timers::callback::Timeout::new(LONG_PRESS_MS, move || {
                    if open_menu_at(sx, sy) {
                        shared.borrow_mut().tool.cancel();
                    }
                });
                *long_press.borrow_mut() = Some((timer, sx, sy));
            }
            if let Some(el) = live_ref.cast::<web_sys::HtmlElement>() {
                let _ = el.set_pointer_capture(e.pointer_id());
                let _ = el.focus();
            }
            e.prevent_default();
            let (sx, sy) = local(&e);
            let actions = {
                let sh = &mut *shared.borrow_mut();
                if e.pointer_type() == "touch" {
                    sh.touches.push((e.pointer_id(), sx, sy));
                    if sh.touches.len() >= 2 {
                        // Two fingers: pan and pinch, not edit.
                        sh.tool.cancel();
                        return;
                    }
                }
                if e.button() == 1 || (e.button() == 0 && sh.space) {
                    sh.panning = Some((sx, sy));
                    return;
                }
                if e.button() != 0 {
                    return;
                }
                let (x, y) = sh.view.to_world(sx, sy);
                // A click on a failed (or stale) dot opens its request's route.
                if let Some(cb) = &on_journey {
                    let d = driver.0.borrow();
                    let radius = 8.0 / sh.view.zoom.max(0.25);
                    if let Some(req) = draw::hit_dot(&sh.doc, d.dots().0, x, y, radius) {
                        drop(d);
                        cb.emit(req);
                        return;
                    }
                }
                sh.tool.down(&sh.doc, x, y, &sh.selected, e.shift_key())
            };
            emit_all(actions);
        })
    };
    let onpointermove = {
        let (shared, local, emit_all, long_press) = (
            shared.clone(),
            local.clone(),
            emit_all.clone(),
            long_press.clone(),
        );
        Callback::from(move |e: PointerEvent| {
            let (sx, sy) = local(&e);
            let moved_away = long_press
                .borrow()
                .as_ref()
                .is_some_and(|(_, x, y)| (sx - x).hypot(sy - y) > 10.0);
            if moved_away {
                long_press.borrow_mut().take();
            }
            let actions = {
                let sh = &mut *shared.borrow_mut();
                if let Some(i) = sh.touches.iter().position(|t| t.0 == e.pointer_id()) {
                    let before = sh.touches.clone();
                    sh.touches[i] = (e.pointer_id(), sx, sy);
                    if let ([a, b, ..], [c, d, ..]) = (before.as_slice(), sh.touches.as_slice()) {
                        let m0 = ((a.1 + b.1) / 2.0, (a.2 + b.2) / 2.0);
                        let m1 = ((c.1 + d.1) / 2.0, (c.2 + d.2) / 2.0);
                        let d0 = (a.1 - b.1).hypot(a.2 - b.2);
                        let d1 = (c.1 - d.1).hypot(c.2 - d.2);
                        let pinch = if d0 > 0.0 { d1 / d0 } else { 1.0 };
                        let view = sh
                            .view
                            .pan_by(m1.0 - m0.0, m1.1 - m0.1)
                            .zoom_at(m1.0, m1.1, pinch);
                        sh.set_view(view);
                        return;
                    }
                }
                if let Some((px, py)) = sh.panning {
                    let view = sh.view.pan_by(sx - px, sy - py);
                    sh.set_view(view);
                    sh.panning = Some((sx, sy));
                    return;
                }
                let (x, y) = sh.view.to_world(sx, sy);
                sh.tool.moved(x, y)
            };
            emit_all(actions);
        })
    };
    let onpointerup = {
        let (shared, local, emit_all, long_press) = (
            shared.clone(),
            local.clone(),
            emit_all.clone(),
            long_press.clone(),
        );
        Callback::from(move |e: PointerEvent| {
            long_press.borrow_mut().take();
            let (sx, sy) = local(&e);
            let actions = {
                let sh = &mut *shared.borrow_mut();
                let was_pinching = sh.touches.len() >= 2;
                sh.touches.retain(|t| t.0 != e.pointer_id());
                if sh.panning.take().is_some() || was_pinching {
                    return;
                }
                let (x, y) = sh.view.to_world(sx, sy);
                sh.tool.up(&sh.doc, x, y)
            };
            emit_all(actions);
        })
    };
    let onpointercancel = {
        let shared = shared.clone();
        Callback::from(move |e: PointerEvent| {
            let mut sh = shared.borrow_mut();
            sh.tool.cancel();
            sh.panning = None;
            sh.touches.retain(|t| t.0 != e.pointer_id());
        })
    };
    // Wheel (and trackpad pinch, which arrives as ctrl+wheel) zooms about
    // the pointer. Not passive: the browser must not zoom the page instead.
    {
        let (shared, live_ref) = (shared.clone(), live_ref.clone());
        use_effect_with((), move |_| {
            let listener = live_ref.cast::<web_sys::Element>().map(|el| {
                let options = gloo::events::EventListenerOptions::enable_prevent_default();
                gloo::events::EventListener::new_with_options(&el, "wheel", options, move |e| {
                    let Some(e) = e.dyn_ref::<WheelEvent>() else {
                        return;
                    };
                    e.prevent_default();
                    let line = if e.delta_mode() == 1 { 16.0 } else { 1.0 };
                    let factor = (-e.delta_y() * line * 0.0015).exp();
                    let (x, y) = (f64::from(e.offset_x()), f64::from(e.offset_y()));
                    let mut sh = shared.borrow_mut();
                    let view = sh.view.zoom_at(x, y, factor);
                    sh.set_view(view);
                })
            });
            move || drop(listener)
        });
    }
    // Space held: dragging pans.
    {
        let shared = shared.clone();
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
    let zoom_button = |factor: Option<f64>| {
        let shared = shared.clone();
        Callback::from(move |_: MouseEvent| {
            let mut sh = shared.borrow_mut();
            let (w, h, _) = sh.size;
            let view = match factor {
                Some(f) => sh.view.zoom_at(w / 2.0, h / 2.0, f),
                None => View::fit(&sh.doc, w, h),
            };
            sh.set_view(view);
        })
    };
    let (zoom_in, zoom_out, fit) = (
        zoom_button(Some(1.25)),
        zoom_button(Some(0.8)),
        zoom_button(None),
    );
    let onkeydown = {
        let (shared, emit_all) = (shared.clone(), emit_all.clone());
        let open_menu_key = open_menu_at.clone();
        Callback::from(move |e: KeyboardEvent| {
            let key = e.key();
            let plain = !(e.ctrl_key() || e.meta_key() || e.alt_key());
            // A keyboard connection in progress takes Tab, arrows, Enter, Escape.
            let connecting = shared.borrow().key_connect.is_some();
            if connecting {
                let mut sh = shared.borrow_mut();
                let action = match key.as_str() {
                    "Tab" | "ArrowRight" | "ArrowDown" | "ArrowLeft" | "ArrowUp" => {
                        let forward = !(e.shift_key() || key == "ArrowLeft" || key == "ArrowUp");
                        if let Some(k) = sh.key_connect.as_mut() {
                            k.step(forward);
                        }
                        sh.show_key_connect();
                        None
                    }
                    "Enter" => {
                        let done = sh.key_connect.take().map(|k| k.finish(&sh.doc));
                        sh.show_key_connect();
                        done
                    }
                    "Escape" => {
                        sh.key_connect = None;
                        sh.show_key_connect();
                        None
                    }
                    _ => return,
                };
                e.prevent_default();
                drop(sh);
                emit_all(action.into_iter().collect());
                return;
            }
            let menu_key = key == "ContextMenu" || (key == "F10" && e.shift_key());
            if menu_key {
                let at = {
                    let sh = shared.borrow();
                    (sh.selected.len() == 1).then(|| {
                        let n = &sh.doc.nodes[sh.selected[0]];
                        sh.view.to_screen(n.x, n.y)
                    })
                };
                if let Some((sx, sy)) = at {
                    e.prevent_default();
                    open_menu_key(sx, sy);
                }
                return;
            }
            match key.as_str() {
                "Delete" | "Backspace" => {
                    e.prevent_default();
                    emit_all(vec![Action::DeleteSelected]);
                }
                "Escape" => {
                    shared.borrow_mut().tool.cancel();
                    emit_all(vec![Action::Select(None)]);
                }
                "Tab" if plain => {
                    // Nodes first, then data centers.
                    let next = {
                        let sh = shared.borrow();
                        let nodes = sh.doc.nodes.len();
                        let current = match sh.selected_region {
                            Some(r) => Some(nodes + r),
                            None => (sh.selected.len() == 1).then(|| sh.selected[0]),
                        };
                        tool::tab_target(nodes + sh.doc.regions.len(), current, e.shift_key()).map(
                            |i| match i.checked_sub(nodes) {
                                None => crate::state::Selection::Node(sh.doc.nodes[i].id.clone()),
                                Some(r) => {
                                    crate::state::Selection::Region(sh.doc.regions[r].id.clone())
                                }
                            },
                        )
                    };
                    // Past the last one, Tab leaves the canvas as usual.
                    if let Some(sel) = next {
                        e.prevent_default();
                        emit_all(vec![Action::Select(Some(sel))]);
                    }
                }
                "c" | "C" if plain => {
                    let mut sh = shared.borrow_mut();
                    let single = (sh.selected.len() == 1).then(|| sh.selected[0]);
                    let start = single.and_then(|i| tool::KeyConnect::start(&sh.doc, i));
                    if start.is_some() {
                        e.prevent_default();
                        sh.key_connect = start;
                        sh.show_key_connect();
                    }
                }
                key @ ("ArrowLeft" | "ArrowRight" | "ArrowUp" | "ArrowDown") => {
                    // Move the selected node from the keyboard (Shift: farther).
                    let moved = {
                        let sh = shared.borrow();
                        let step = if e.shift_key() { 50.0 } else { 10.0 };
                        let (dx, dy) = match key {
                            "ArrowLeft" => (-step, 0.0),
                            "ArrowRight" => (step, 0.0),
                            "ArrowUp" => (0.0, -step),
                            _ => (0.0, step),
                        };
                        let gesture = tool::new_gesture();
                        // A selected data center moves (Alt: resizes).
                        if let Some(r) = sh.selected_region.and_then(|r| sh.doc.regions.get(r)) {
                            let id = r.id.clone();
                            vec![if e.alt_key() {
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
                            }]
                        } else {
                            // Every selected node moves, as one undo step.
                            sh.selected
                                .iter()
                                .map(|&i| {
                                    let n = &sh.doc.nodes[i];
                                    Action::MoveNode {
                                        id: n.id.clone(),
                                        x: n.x + dx,
                                        y: n.y + dy,
                                        gesture,
                                    }
                                })
                                .collect::<Vec<_>>()
                        }
                    };
                    if !moved.is_empty() {
                        e.prevent_default();
                        emit_all(moved);
                    }
                }
                _ => {}
            }
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
        let region = props
            .doc
            .regions
            .iter()
            .find(|r| r.contains(n.x, n.y))
            .map(|r| r.id.clone());
        html! {
            <li data-node={n.id.clone()} data-targets={targets.join(" ")}
                data-x={n.x.to_string()} data-y={n.y.to_string()}
                data-region={region.clone().unwrap_or_default()}>
                { format!("{} {}", props.lang.pick(n.kind.spec().name), n.id) }
                if let Some(r) = region {
                    { format!(" ({r})") }
                }
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
                { for props.doc.regions.iter().map(|r| {
                    let inside: Vec<&str> = props
                        .doc
                        .nodes
                        .iter()
                        .filter(|n| r.contains(n.x, n.y))
                        .map(|n| n.id.as_str())
                        .collect();
                    html! {
                        <li data-region-id={r.id.clone()} data-x={r.x.to_string()} data-y={r.y.to_string()}>
                            { format!("{} {} ({}): {}", props.lang.pick(scalesim::catalog::DATA_CENTER_NAME), r.id, r.region, inside.join(", ")) }
                        </li>
                    }
                }) }
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
                {oncontextmenu}
                {onkeydown}
            ></canvas>
            if let (Some((id, left, top)), Some(on_fault)) = (&*menu, &props.on_fault) {
                { fault_menu(id, *left, *top, props.lang, on_fault, &menu) }
            }
            <div class="view-controls">
                <button id="zoom-in" title={Msg::ZoomIn.text(props.lang)} aria-label={Msg::ZoomIn.text(props.lang)} onclick={zoom_in}>{ "+" }</button>
                <button id="zoom-out" title={Msg::ZoomOut.text(props.lang)} aria-label={Msg::ZoomOut.text(props.lang)} onclick={zoom_out}>{ "−" }</button>
                <button id="fit" title={Msg::FitHint.text(props.lang)} onclick={fit}>{ Msg::Fit.text(props.lang) }</button>
            </div>
        </div>
    }
}

/// The fault menu of node `id` at (`left`, `top`) [canvas px]: kill,
/// restart, slow down, cut its links. Escape or a choice closes it.
fn fault_menu(
    id: &str,
    left: f64,
    top: f64,
    lang: Lang,
    on_fault: &Callback<(String, crate::driver::NodeFault)>,
    menu: &UseStateHandle<Option<(String, f64, f64)>>,
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
