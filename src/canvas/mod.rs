//! The design canvas: two stacked `<canvas>` layers outside the virtual DOM,
//! driven by one `requestAnimationFrame` loop. Its pieces: `frame` (the
//! loop), `pointer` (mouse, pen, touch, wheel), `keyboard`, `menu` (a
//! node's fault menu), `tool` (what a gesture does to the design), `draw`,
//! `geometry` and `view`; the gesture and key logic is pure and tested
//! natively.

pub mod draw;
mod frame;
pub mod geometry;
pub mod keyboard;
pub mod live;
pub mod marks;
mod menu;
pub mod pointer;
pub mod tool;
pub mod view;

use crate::i18n::{Lang, Msg};
use crate::live::Live;
use crate::state::Action;
use scalesim::Snapshot;
use scalesim::design::DesignDoc;
use std::cell::Cell;
use std::rc::Rc;
use tool::Tool;
use view::View;
use web_sys::CanvasRenderingContext2d;
use yew::prelude::*;

/// Id of the top canvas layer, which receives pointer input.
pub const LIVE_CANVAS_ID: &str = "canvas-live";

/// Properties of [`DesignCanvas`].
#[derive(Properties, PartialEq)]
pub struct CanvasProps {
    /// The design to draw (shared with the shell: not copied per render).
    pub doc: Rc<DesignDoc>,
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
    /// The run (drawn at every frame).
    pub driver: Live,
    /// Receives the editor actions made with the pointer and keyboard.
    pub on_action: Callback<Action>,
    /// Receives a fresh snapshot a few times a second while running.
    pub on_tick: Callback<Snapshot>,
    /// Changes when a whole design was loaded: the view then fits it if it
    /// does not already show all of it.
    pub fit_request: u64,
    /// Changes when what is selected should be brought into sight even if
    /// it was selected already (a problem chosen from the list).
    #[prop_or_default]
    pub reveal_request: u64,
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
    /// The design's problems as it stands (of `doc`, at `version`): each
    /// is drawn at the node, connection or data center it concerns.
    #[prop_or_default]
    pub problems: Rc<Vec<scalesim::design::Problem>>,
}

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
    // Over the canvas itself, not over something on top of it (a sheet on
    // a phone, the zoom buttons, a notice).
    let on_top = gloo::utils::document()
        .element_from_point(client_x as f32, client_y as f32)
        .is_some_and(|hit| hit == el);
    let inside = on_top && x >= 0.0 && y >= 0.0 && x <= r.width() && y <= r.height();
    inside.then(|| CURRENT_VIEW.with(|v| v.get()).to_world(x, y))
}

struct Shared {
    doc: Rc<DesignDoc>,
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
    view: View,
    fit_request: u64,
    /// Fit the view at the next frame (when the canvas size is known).
    fit_pending: bool,
    reveal_request: u64,
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
    /// The design's problems drawn where they are (of `doc`, in `lang`).
    marks: Vec<marks::Mark>,
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

impl Shared {
    /// Brings what was just selected into sight if none of it shows (chosen
    /// from the list of problems, the log, or with Tab from the keyboard).
    fn reveal_selection(&mut self) {
        use geometry::{NODE_H, NODE_W};
        let node = |i: usize| {
            self.doc.nodes.get(i).map(|n| {
                (
                    n.x - NODE_W / 2.0,
                    n.y - NODE_H / 2.0,
                    n.x + NODE_W / 2.0,
                    n.y + NODE_H / 2.0,
                )
            })
        };
        let by_id = |id: &str| self.doc.nodes.iter().position(|n| n.id == id);
        let union = |a: (f64, f64, f64, f64), b: (f64, f64, f64, f64)| {
            (a.0.min(b.0), a.1.min(b.1), a.2.max(b.2), a.3.max(b.3))
        };
        let area = if let [i] = self.selected[..] {
            node(i)
        } else if let Some(e) = self.selected_edge.and_then(|i| self.doc.edges.get(i)) {
            by_id(&e.from)
                .and_then(node)
                .zip(by_id(&e.to).and_then(node))
                .map(|(a, b)| union(a, b))
        } else {
            self.selected_region
                .and_then(|i| self.doc.regions.get(i))
                .map(|r| (r.x, r.y, r.x + r.w, r.y + r.h))
        };
        let (w, h, _) = self.size;
        if let Some(view) = area.and_then(|a| self.view.reveal(a, w, h)) {
            self.set_view(view);
        }
    }

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

impl Shared {
    /// The canvas's state at mount, from its first properties.
    fn new(props: &CanvasProps) -> Self {
        Shared {
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
            view: if props.embedded {
                View::default()
            } else {
                saved_view()
            },
            fit_request: props.fit_request,
            reveal_request: props.reveal_request,
            // At start, a design that does not fit the (saved) view is fitted:
            // a lesson or link opened cold shows every component.
            fit_pending: true,
            persist_view: !props.embedded,
            key_connect: None,
            marks: marks::marks(&props.doc, &props.problems, props.lang),
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
        }
    }

    /// Takes in new properties: the design, selection and language (the
    /// static layer is then redrawn), and a request to fit the view.
    fn follow(&mut self, props: &CanvasProps) {
        // Another design with the same version (a lesson's workload over the
        // same work) is another design too.
        let other_doc = !Rc::ptr_eq(&self.doc, &props.doc);
        if other_doc
            || self.version != props.version
            || self.selected != props.selected
            || self.selected_edge != props.selected_edge
            || self.selected_region != props.selected_region
            || self.lang != props.lang
        {
            if self.version != props.version {
                self.key_connect = None;
            }
            if other_doc || self.version != props.version || self.lang != props.lang {
                self.marks = marks::marks(&props.doc, &props.problems, props.lang);
            }
            let reselected = self.selected != props.selected
                || self.selected_edge != props.selected_edge
                || self.selected_region != props.selected_region;
            self.doc = props.doc.clone();
            self.version = props.version;
            self.selected = props.selected.clone();
            self.selected_edge = props.selected_edge;
            self.selected_region = props.selected_region;
            self.lang = props.lang;
            self.static_dirty = true;
            if reselected {
                self.reveal_selection();
            }
        }
        self.on_tick = props.on_tick.clone();
        if self.reveal_request != props.reveal_request {
            self.reveal_request = props.reveal_request;
            self.reveal_selection();
        }
        if self.fit_request != props.fit_request {
            self.fit_request = props.fit_request;
            self.fit_pending = true;
        }
    }
}

/// The design canvas.
#[function_component(DesignCanvas)]
pub fn design_canvas(props: &CanvasProps) -> Html {
    let static_ref = use_node_ref();
    let live_ref = use_node_ref();
    let shared = use_mut_ref(|| Shared::new(props));
    CURRENT_VIEW.with(|v| v.set(shared.borrow().view));
    shared.borrow_mut().follow(props);
    frame::use_frame_loop(
        shared.clone(),
        props.driver.clone(),
        static_ref.clone(),
        live_ref.clone(),
    );
    let emit_all: Rc<dyn Fn(Vec<Action>)> = {
        let on_action = props.on_action.clone();
        Rc::new(move |actions: Vec<Action>| {
            for a in actions {
                on_action.emit(a);
            }
        })
    };
    // A node's fault menu: (node id, left, top [canvas px]).
    let menu = use_state(|| None::<(String, f64, f64)>);
    menu::use_menu_focus(&menu);
    let long_press = use_mut_ref(|| None);
    let pointer = pointer::handlers(
        pointer::PointerContext {
            shared: shared.clone(),
            live_ref: live_ref.clone(),
            emit_all: emit_all.clone(),
            menu: menu.clone(),
            has_menu: props.on_fault.is_some(),
            driver: props.driver.clone(),
            on_journey: props.on_journey.clone(),
        },
        long_press,
    );
    pointer::use_wheel_zoom(shared.clone(), live_ref.clone());
    keyboard::use_space_pans(shared.clone());
    let onkeydown = keyboard::on_keydown(
        shared.clone(),
        emit_all,
        menu.clone(),
        props.on_fault.is_some(),
    );
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
    let lang = props.lang;
    let drawn_marks = {
        let sh = shared.borrow();
        marks::describe(&sh.doc, &sh.marks)
    };
    // The outline is rebuilt when the design or the language changes, not
    // on every render (a tick of the figures renders the shell).
    let outline = {
        let doc = props.doc.clone();
        use_memo(
            (props.version, lang, Rc::as_ptr(&doc) as usize),
            move |_| outline(&doc, lang),
        )
    };
    html! {
        <div class="canvas-wrap">
            { (*outline).clone() }
            <canvas ref={static_ref} class="layer" aria-hidden="true"></canvas>
            <canvas
                ref={live_ref}
                id={LIVE_CANVAS_ID}
                class="layer live"
                tabindex="0"
                role="application"
                aria-label={Msg::CanvasLabel.text(lang)}
                data-marks={drawn_marks}
                onpointerdown={pointer.down}
                onpointermove={pointer.moved}
                onpointerup={pointer.up}
                onpointercancel={pointer.cancel}
                oncontextmenu={pointer.context_menu}
                {onkeydown}
            ></canvas>
            if let (Some((id, left, top)), Some(on_fault)) = (&*menu, &props.on_fault) {
                { menu::fault_menu(id, *left, *top, lang, on_fault, &menu) }
            }
            <div class="view-controls">
                <button id="zoom-in" title={Msg::ZoomIn.text(lang)} aria-label={Msg::ZoomIn.text(lang)} onclick={zoom_in}>{ "+" }</button>
                <button id="zoom-out" title={Msg::ZoomOut.text(lang)} aria-label={Msg::ZoomOut.text(lang)} onclick={zoom_out}>{ "−" }</button>
                <button id="fit" title={Msg::FitHint.text(lang)} onclick={fit}>{ Msg::Fit.text(lang) }</button>
            </div>
        </div>
    }
}

/// The design in words, for assistive technology (the canvas itself is a
/// picture): each node, its kind, its data center and where it sends
/// requests; then each data center with what it holds. Tests read node
/// positions from it too.
fn outline(doc: &DesignDoc, lang: Lang) -> Html {
    // Each node's targets, in one pass over the connections.
    let mut targets_of: std::collections::HashMap<&str, Vec<&str>> =
        std::collections::HashMap::new();
    for e in &doc.edges {
        targets_of
            .entry(e.from.as_str())
            .or_default()
            .push(e.to.as_str());
    }
    let nodes = doc.nodes.iter().map(|n| {
        let targets: &[&str] = targets_of.get(n.id.as_str()).map_or(&[], |t| t.as_slice());
        let region = doc
            .regions
            .iter()
            .find(|r| r.contains(n.x, n.y))
            .map(|r| r.id.clone());
        html! {
            <li data-node={n.id.clone()} data-targets={targets.join(" ")}
                data-x={n.x.to_string()} data-y={n.y.to_string()}
                data-region={region.clone().unwrap_or_default()}>
                { format!("{} {}", lang.pick(n.kind.spec().name), n.id) }
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
        <ul id="outline" class="sr-only" aria-label={Msg::Outline.text(lang)}>
            { for nodes }
            { for doc.regions.iter().map(|r| {
                let inside: Vec<&str> = doc
                    .nodes
                    .iter()
                    .filter(|n| r.contains(n.x, n.y))
                    .map(|n| n.id.as_str())
                    .collect();
                html! {
                    <li data-region-id={r.id.clone()} data-x={r.x.to_string()} data-y={r.y.to_string()}
                        data-w={r.w.to_string()} data-h={r.h.to_string()}>
                        { format!("{} {} ({}): {}", lang.pick(scalesim::catalog::DATA_CENTER_NAME), r.id, r.region, inside.join(", ")) }
                    </li>
                }
            }) }
        </ul>
    }
}
