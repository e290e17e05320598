//! The bar of an embedded design: Play/Pause, the simulated clock, the key
//! figures, and a link that opens the design in the full editor.

use crate::i18n::{Lang, Msg};
use scalesim::Snapshot;
use yew::prelude::*;

/// Properties of [`EmbedBar`].
#[derive(Properties, PartialEq)]
pub struct EmbedBarProps {
    /// UI language.
    pub lang: Lang,
    /// Whether the simulation runs.
    pub running: bool,
    /// The latest figures.
    pub snapshot: Option<Snapshot>,
    /// Link to the full editor with this design.
    pub full_editor: String,
    /// Play / Pause pressed.
    pub on_toggle: Callback<()>,
    /// Simulated seconds per wall second.
    pub speed: f64,
    /// A new speed chosen.
    pub on_speed: Callback<f64>,
}

/// The embed bar.
#[function_component(EmbedBar)]
pub fn embed_bar(props: &EmbedBarProps) -> Html {
    let lang = props.lang;
    let s = props.snapshot.as_ref();
    let fig = |label: Msg, key: &'static str, value: String| {
        html! {
            <span class="embed-figure">
                <span class="label">{ label.text(lang) }</span>
                <strong data-metric={key}>{ value }</strong>
            </span>
        }
    };
    html! {
        <header class="embed-bar">
            <h1 class="sr-only">{ Msg::AppTitle.text(lang) }</h1>
            <button id="run" class="primary" aria-pressed={props.running.to_string()}
                onclick={props.on_toggle.reform(|_: MouseEvent| ())}>
                { if props.running { Msg::Pause.text(lang) } else { Msg::Run.text(lang) } }
            </button>
            <select id="speed" aria-label={Msg::Speed.text(lang)}
                onchange={props.on_speed.reform(|e: Event| {
                    let s: web_sys::HtmlSelectElement = e.target_unchecked_into();
                    s.value().parse().unwrap_or(crate::driver::DEFAULT_SPEED)
                })}>
                { for crate::driver::SPEEDS.iter().map(|s| html! {
                    <option value={s.to_string()} selected={*s == props.speed}>
                        { crate::panels::toolbar::speed_label(*s, lang) }
                    </option>
                }) }
            </select>
            <span class="clock" data-metric="clock">
                { format!("{:.2} s", s.map_or(0.0, |s| s.now_ns as f64 / 1e9)) }
            </span>
            { fig(Msg::Done, "completed", s.map_or("0".into(), |s| s.completed.to_string())) }
            { fig(Msg::Throughput, "throughput", s.map_or("–".into(), |s| format!("{:.0} req/s", s.throughput_rps))) }
            { fig(Msg::LatencyP99, "p99", s.map_or("–".into(), |s| format!("{:.0} ms", s.latency_ms.p99))) }
            { fig(Msg::ErrorRate, "error-rate", s.map_or("–".into(), |s| format!("{:.1} %", s.error_rate * 100.0))) }
            <a id="open-full" href={props.full_editor.clone()} target="_blank" rel="noopener">
                { Msg::OpenFull.text(lang) }
            </a>
        </header>
    }
}
