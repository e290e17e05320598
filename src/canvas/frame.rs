//! The frame loop: one `requestAnimationFrame` callback that sizes the two
//! layers, redraws the static one when the design or view changed, advances
//! the simulation within the frame's budget and redraws the moving dots.

use super::view::View;
use super::{Shared, tool::Tool};
use super::{draw, live};
use crate::live::Live;
use scalesim::{DotKind, Snapshot};
use std::cell::{Cell, RefCell};
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen::prelude::Closure;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};
use yew::prelude::*;

/// How often the live layer is redrawn when motion is reduced [ms of wall
/// time].
const TICK_MS: f64 = 250.0;

/// The animation-frame callback, built once and handed to every
/// `requestAnimationFrame` call.
type FrameSlot = Rc<RefCell<Option<Closure<dyn FnMut(f64)>>>>;

fn context(c: &HtmlCanvasElement) -> Option<CanvasRenderingContext2d> {
    c.get_context("2d").ok()??.dyn_into().ok()
}

/// One animation frame: resize if needed, redraw the static layer if dirty,
/// advance the simulation, redraw the live layer. Returns the figures when
/// new ones arrived, for the panels.
fn frame(
    ts: f64,
    sh: &mut Shared,
    run: &Live,
    static_c: &HtmlCanvasElement,
    live_c: &HtmlCanvasElement,
) -> Option<Snapshot> {
    let (w, h) = (
        f64::from(live_c.client_width()),
        f64::from(live_c.client_height()),
    );
    let dpr = gloo::utils::window().device_pixel_ratio().max(1.0);
    if (w, h, dpr) != sh.size {
        // A canvas that showed the whole design and shrinks (a sheet opens
        // under it on a phone) shows it whole again.
        let (ow, oh, _) = sh.size;
        let showed_all = ow > 0.0 && oh > 0.0 && sh.view.shows_all(&sh.doc, ow, oh);
        if showed_all && w > 0.0 && h > 0.0 && !sh.view.shows_all(&sh.doc, w, h) {
            sh.set_view(View::fit(&sh.doc, w, h));
        }
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
            &sh.marks,
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
    let figures = run.frame(ts);
    let driver = &*run.0.borrow();
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
        .and_then(|d| live::dot_position(&sh.doc, d))
        .map(|(x, y)| sh.view.to_screen(x, y))
        .map(|(x, y)| (x.round() as i32, y.round() as i32));
    if failed != sh.failed_dot_shown {
        sh.failed_dot_shown = failed;
        let _ = match failed {
            Some((x, y)) => live_c.set_attribute("data-failed-dot", &format!("{x} {y}")),
            None => live_c.remove_attribute("data-failed-dot"),
        };
    }
    let live = driver.exists() || !matches!(sh.tool, Tool::Idle);
    let due =
        !sh.reduced_motion || ts - sh.last_live_ms >= TICK_MS || !matches!(sh.tool, Tool::Idle);
    if (live || sh.live_drawn) && due {
        sh.last_live_ms = ts;
        let reduced = sh.reduced_motion;
        live::draw_live(
            lctx, &sh.doc, driver, &sh.tool, sh.lang, sh.view, reduced, dpr, w, h,
        );
        sh.live_drawn = live;
    }
    if figures.is_some() {
        let _ = live_c.set_attribute("data-job-dots", &sh.job_dots.to_string());
    }
    figures
}

/// Runs [`frame`] at every animation frame while the canvas is mounted,
/// and hands each due snapshot to the canvas's `on_tick`.
#[hook]
pub(super) fn use_frame_loop(
    shared: Rc<RefCell<Shared>>,
    driver: Live,
    static_ref: NodeRef,
    live_ref: NodeRef,
) {
    use_effect_with((), move |_| {
        let alive = Rc::new(Cell::new(true));
        let slot: FrameSlot = Rc::new(RefCell::new(None));
        let (alive2, slot2) = (alive.clone(), slot.clone());
        let request = |slot: &FrameSlot| {
            if let Some(cb) = slot.borrow().as_ref() {
                let _ = gloo::utils::window().request_animation_frame(cb.as_ref().unchecked_ref());
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
                    let tick = frame(ts, &mut sh, &driver, &s, &l);
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
