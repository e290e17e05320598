//! A warning for designs larger than this machine class keeps smooth.
//!
//! A design may have up to [`scalesim::design::MAX_NODES`] components (more
//! is refused when it is opened). Above [`SMOOTH_COMPONENTS`], dragging a
//! component while the design runs was measured below 30 frames per second
//! on the reference machine class (2 vCPUs, headless Chromium, the whole
//! design in view): `cargo xtask bench editing`, figures in
//! docs/performance.md. The editor still works there; it says so, once per
//! design opened, and that zooming in draws less (only what shows is
//! drawn, and words only where they can be read).

use crate::i18n::{Lang, Msg, large_design};
use yew::prelude::*;

/// The largest design the editor was measured to keep at 30 frames per
/// second or more (p95 of the frame interval) while a component is
/// dragged, paused and running at 1× [components].
pub const SMOOTH_COMPONENTS: usize = 3_000;

/// The warning for a design of `components` components, if it is larger
/// than [`SMOOTH_COMPONENTS`] and the warning was not dismissed.
pub(super) fn large_warning(
    components: usize,
    dismissed: bool,
    lang: Lang,
    on_dismiss: Callback<MouseEvent>,
) -> Html {
    if components <= SMOOTH_COMPONENTS || dismissed {
        return Html::default();
    }
    html! {
        <div class="store-warning large-design" id="large-design" role="status">
            <span>{ large_design(lang, components, SMOOTH_COMPONENTS) }</span>
            <button class="small" id="large-design-dismiss" onclick={on_dismiss}>
                { Msg::Dismiss.text(lang) }</button>
        </div>
    }
}
