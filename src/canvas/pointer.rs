//! The canvas's pointer: mouse, pen and touch. One finger or the left
//! button edits (through [`super::tool::Tool`]); the middle button, or the
//! left with Space held, pans; two fingers pan and pinch; a long press or a
//! right-click opens a node's fault menu; the wheel zooms about the pointer.
//! The gesture arithmetic is pure and tested natively below.

use super::menu::{MenuState, open_menu};
use super::view::View;
use super::{Shared, live};
use crate::live::Live;
use crate::state::Action;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{PointerEvent, WheelEvent};
use yew::prelude::*;

/// How long a finger must rest on a node to open its menu [ms].
const LONG_PRESS_MS: u32 = 600;

/// How far a resting finger may drift and still be a long press [px].
const LONG_PRESS_SLOP: f64 = 10.0;

/// A touch point: (pointer id, screen x, screen y) [canvas px].
pub type Touch = (i32, f64, f64);

/// The view after two fingers moved from `before` to `after`: panned by
/// the move of their midpoint, zoomed about it by the change of their
/// distance.
pub fn two_fingers(view: View, before: [Touch; 2], after: [Touch; 2]) -> View {
    let [a, b] = before;
    let [c, d] = after;
    let m0 = ((a.1 + b.1) / 2.0, (a.2 + b.2) / 2.0);
    let m1 = ((c.1 + d.1) / 2.0, (c.2 + d.2) / 2.0);
    let d0 = (a.1 - b.1).hypot(a.2 - b.2);
    let d1 = (c.1 - d.1).hypot(c.2 - d.2);
    let pinch = if d0 > 0.0 { d1 / d0 } else { 1.0 };
    view.pan_by(m1.0 - m0.0, m1.1 - m0.1)
        .zoom_at(m1.0, m1.1, pinch)
}

/// Whether a finger that went down at `from` and is now at `to` has moved
/// too far for a long press.
pub fn drifted(from: (f64, f64), to: (f64, f64)) -> bool {
    (to.0 - from.0).hypot(to.1 - from.1) > LONG_PRESS_SLOP
}

/// The zoom factor of one wheel step: `delta_y` in pixels, or in lines
/// when `lines` (16 px each); scrolling down zooms out.
pub fn wheel_factor(delta_y: f64, lines: bool) -> f64 {
    let px = if lines { delta_y * 16.0 } else { delta_y };
    (-px * 0.0015).exp()
}

/// The pointer handlers of the live layer.
pub(super) struct Handlers {
    pub down: Callback<PointerEvent>,
    pub moved: Callback<PointerEvent>,
    pub up: Callback<PointerEvent>,
    pub cancel: Callback<PointerEvent>,
    pub context_menu: Callback<MouseEvent>,
}

/// A pending long press: its timer and where the finger went down.
type LongPress = Rc<RefCell<Option<(gloo::timers::callback::Timeout, f64, f64)>>>;

/// Everything the pointer handlers work with.
#[derive(Clone)]
pub(super) struct PointerContext {
    pub shared: Rc<RefCell<Shared>>,
    pub live_ref: NodeRef,
    pub emit_all: Rc<dyn Fn(Vec<Action>)>,
    pub menu: MenuState,
    pub has_menu: bool,
    pub driver: Live,
    pub on_journey: Option<Callback<(u32, u64)>>,
}

impl PointerContext {
    /// Where the pointer is on the live layer [canvas px].
    fn local(&self, client_x: i32, client_y: i32) -> (f64, f64) {
        match self.live_ref.cast::<web_sys::Element>() {
            Some(el) => {
                let r = el.get_bounding_client_rect();
                (
                    f64::from(client_x) - r.left(),
                    f64::from(client_y) - r.top(),
                )
            }
            None => (0.0, 0.0),
        }
    }

    fn open_menu_at(&self, sx: f64, sy: f64) -> bool {
        self.has_menu && open_menu(&self.shared.borrow(), &self.menu, sx, sy)
    }
}

/// Builds the handlers; `long_press` holds a pending long press between
/// renders.
pub(super) fn handlers(cx: PointerContext, long_press: LongPress) -> Handlers {
    let context_menu = {
        let cx = cx.clone();
        Callback::from(move |e: MouseEvent| {
            e.prevent_default();
            let (sx, sy) = cx.local(e.client_x(), e.client_y());
            cx.open_menu_at(sx, sy);
        })
    };
    let down = {
        let (cx, long_press) = (cx.clone(), long_press.clone());
        Callback::from(move |e: PointerEvent| {
            if cx.menu.is_some() && e.button() == 0 {
                cx.menu.set(None);
            }
            let (sx, sy) = cx.local(e.client_x(), e.client_y());
            if e.pointer_type() == "touch" {
                let cx2 = cx.clone();
                let timer = gloo::timers::callback::Timeout::new(LONG_PRESS_MS, move || {
                    if cx2.open_menu_at(sx, sy) {
                        cx2.shared.borrow_mut().tool.cancel();
                    }
                });
                *long_press.borrow_mut() = Some((timer, sx, sy));
            }
            if let Some(el) = cx.live_ref.cast::<web_sys::HtmlElement>() {
                let _ = el.set_pointer_capture(e.pointer_id());
                let _ = el.focus();
            }
            e.prevent_default();
            let actions = {
                let sh = &mut *cx.shared.borrow_mut();
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
                if let Some(cb) = &cx.on_journey {
                    let d = cx.driver.0.borrow();
                    let radius = 8.0 / sh.view.zoom.max(0.25);
                    if let Some(req) = live::hit_dot(&sh.doc, d.dots().0, x, y, radius) {
                        drop(d);
                        cb.emit(req);
                        return;
                    }
                }
                sh.tool.down(&sh.doc, x, y, &sh.selected, e.shift_key())
            };
            (cx.emit_all)(actions);
        })
    };
    let moved = {
        let (cx, long_press) = (cx.clone(), long_press.clone());
        Callback::from(move |e: PointerEvent| {
            let (sx, sy) = cx.local(e.client_x(), e.client_y());
            let moved_away = long_press
                .borrow()
                .as_ref()
                .is_some_and(|(_, x, y)| drifted((*x, *y), (sx, sy)));
            if moved_away {
                long_press.borrow_mut().take();
            }
            let actions = {
                let sh = &mut *cx.shared.borrow_mut();
                if let Some(i) = sh.touches.iter().position(|t| t.0 == e.pointer_id()) {
                    let before = sh.touches.clone();
                    sh.touches[i] = (e.pointer_id(), sx, sy);
                    if let ([a, b, ..], [c, d, ..]) = (before.as_slice(), sh.touches.as_slice()) {
                        let view = two_fingers(sh.view, [*a, *b], [*c, *d]);
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
            (cx.emit_all)(actions);
        })
    };
    let up = {
        let cx = cx.clone();
        Callback::from(move |e: PointerEvent| {
            long_press.borrow_mut().take();
            let (sx, sy) = cx.local(e.client_x(), e.client_y());
            let actions = {
                let sh = &mut *cx.shared.borrow_mut();
                let was_pinching = sh.touches.len() >= 2;
                sh.touches.retain(|t| t.0 != e.pointer_id());
                if sh.panning.take().is_some() || was_pinching {
                    return;
                }
                let (x, y) = sh.view.to_world(sx, sy);
                sh.tool.up(&sh.doc, x, y)
            };
            (cx.emit_all)(actions);
        })
    };
    let cancel = {
        let shared = cx.shared.clone();
        Callback::from(move |e: PointerEvent| {
            let mut sh = shared.borrow_mut();
            sh.tool.cancel();
            sh.panning = None;
            sh.touches.retain(|t| t.0 != e.pointer_id());
        })
    };
    Handlers {
        down,
        moved,
        up,
        cancel,
        context_menu,
    }
}

/// Wheel (and trackpad pinch, which arrives as ctrl+wheel) zooms about the
/// pointer. Not passive: the browser must not zoom the page instead.
#[hook]
pub(super) fn use_wheel_zoom(shared: Rc<RefCell<Shared>>, live_ref: NodeRef) {
    use_effect_with((), move |_| {
        let listener = live_ref.cast::<web_sys::Element>().map(|el| {
            let options = gloo::events::EventListenerOptions::enable_prevent_default();
            gloo::events::EventListener::new_with_options(&el, "wheel", options, move |e| {
                let Some(e) = e.dyn_ref::<WheelEvent>() else {
                    return;
                };
                e.prevent_default();
                let factor = wheel_factor(e.delta_y(), e.delta_mode() == 1);
                let (x, y) = (f64::from(e.offset_x()), f64::from(e.offset_y()));
                let mut sh = shared.borrow_mut();
                let view = sh.view.zoom_at(x, y, factor);
                sh.set_view(view);
            })
        });
        move || drop(listener)
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn two_fingers_moving_together_pan_and_spreading_zooms_about_them() {
        let v = View::default();
        // Both fingers 30 px right: the view pans, the zoom stays.
        let panned = two_fingers(
            v,
            [(1, 100.0, 100.0), (2, 200.0, 100.0)],
            [(1, 130.0, 100.0), (2, 230.0, 100.0)],
        );
        assert_eq!(panned.zoom, v.zoom);
        assert_eq!(panned.to_world(130.0, 100.0), v.to_world(100.0, 100.0));
        // Spread from 100 px apart to 200: twice the zoom, and the point
        // between the fingers stays under them.
        let zoomed = two_fingers(
            v,
            [(1, 100.0, 100.0), (2, 200.0, 100.0)],
            [(1, 50.0, 100.0), (2, 250.0, 100.0)],
        );
        assert!((zoomed.zoom - 2.0 * v.zoom).abs() < 1e-9);
        let (a, b) = (zoomed.to_world(150.0, 100.0), v.to_world(150.0, 100.0));
        assert!((a.0 - b.0).abs() < 1e-9 && (a.1 - b.1).abs() < 1e-9);
        // Fingers on one spot (no distance): no zoom, no NaN.
        let same = two_fingers(
            v,
            [(1, 10.0, 10.0), (2, 10.0, 10.0)],
            [(1, 10.0, 10.0), (2, 10.0, 10.0)],
        );
        assert_eq!(same.zoom, v.zoom);
    }

    #[test]
    fn a_long_press_survives_a_tremble_but_not_a_drag() {
        assert!(!drifted((100.0, 100.0), (106.0, 106.0)));
        assert!(drifted((100.0, 100.0), (100.0, 115.0)));
    }

    #[test]
    fn the_wheel_zooms_out_scrolling_down_and_lines_count_as_16_px() {
        assert!(wheel_factor(100.0, false) < 1.0);
        assert!(wheel_factor(-100.0, false) > 1.0);
        assert_eq!(wheel_factor(0.0, false), 1.0);
        assert!((wheel_factor(3.0, true) - wheel_factor(48.0, false)).abs() < 1e-12);
    }
}
