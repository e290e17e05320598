//! The panels around the canvas.

pub mod charts;
pub mod course_map;
pub mod designs;
pub mod embed;
pub mod examples;
pub mod file;
pub mod inspector;
pub mod journey;
pub mod lesson;
pub mod log;
pub mod metrics;
pub mod palette;
pub mod sheets;
pub mod timebar;
pub mod toolbar;

use crate::i18n::{Lang, Msg};
use yew::prelude::*;

/// A dialog over the app: a backdrop that closes it when clicked, the
/// dialog (`id`, also its class) titled by an `<h1>` with a close button
/// (`{id}-title`, `{id}-close`), then `body`. Keys go to `onkeydown`.
pub fn modal(
    id: &'static str,
    title: &str,
    lang: Lang,
    on_close: &Callback<()>,
    onkeydown: Callback<KeyboardEvent>,
    body: Html,
) -> Html {
    let close = on_close.reform(|_: MouseEvent| ());
    let title_id = format!("{id}-title");
    html! {
        <div class="modal-backdrop" onclick={close.clone()}>
            <div class={classes!("modal", id)} {id} role="dialog" aria-modal="true"
                aria-labelledby={title_id.clone()} {onkeydown}
                onclick={Callback::from(|e: MouseEvent| e.stop_propagation())}>
                <div class="modal-head">
                    <h1 id={title_id}>{ title.to_string() }</h1>
                    <button class="small" id={format!("{id}-close")} aria-label={Msg::Close.text(lang)}
                        onclick={close}>{ "×" }</button>
                </div>
                { body }
            </div>
        </div>
    }
}
