//! The toolbar: run controls, speed, simulated clock, seed and language.

use crate::driver::SPEEDS;
use crate::i18n::{Lang, Msg};
use crate::state::Action;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

/// Properties of [`Toolbar`].
#[derive(Properties, PartialEq)]
pub struct ToolbarProps {
    /// UI language.
    pub lang: Lang,
    /// Whether the simulation is running.
    pub running: bool,
    /// Simulated seconds per wall second.
    pub speed: f64,
    /// Simulated seconds per wall second actually reached lately, if known.
    pub pace: Option<f64>,
    /// Simulated time [s], if a simulation exists.
    pub clock_s: Option<f64>,
    /// The design's seed.
    pub seed: u64,
    /// Run / Pause pressed.
    pub on_toggle: Callback<()>,
    /// Reset pressed.
    pub on_reset: Callback<()>,
    /// A new speed chosen.
    pub on_speed: Callback<f64>,
    /// Step: `false` = one event, `true` = 10 ms.
    #[prop_or_default]
    pub on_step: Callback<bool>,
    /// Receives a chaos experiment chosen from the chaos menu.
    #[prop_or_default]
    pub on_chaos: Callback<crate::driver::Chaos>,
    /// Events processed so far, if a simulation exists.
    #[prop_or_default]
    pub events: Option<u64>,
    /// Whether the simulation is still loading (its worker starting).
    #[prop_or_default]
    pub starting: bool,
    /// Whether the simulation could not load (nothing can run).
    #[prop_or_default]
    pub unavailable: bool,
    /// Language switched.
    pub on_lang: Callback<Lang>,
    /// Whether there is an edit to undo.
    pub can_undo: bool,
    /// Whether there is an undone edit to redo.
    pub can_redo: bool,
    /// Receives Undo and Redo.
    pub on_action: Callback<Action>,
    /// The file menu, shown beside the title.
    #[prop_or_default]
    pub children: Html,
}

/// Formats a speed factor: `0.1×`, `10×`.
pub fn speed_label(speed: f64, lang: Lang) -> String {
    if speed.is_finite() {
        format!("{speed}×")
    } else {
        Msg::SpeedMax.text(lang).to_string()
    }
}

/// The toolbar.
#[function_component(Toolbar)]
pub fn toolbar(props: &ToolbarProps) -> Html {
    let lang = props.lang;
    let toggle = props.on_toggle.reform(|_: MouseEvent| ());
    let reset = props.on_reset.reform(|_: MouseEvent| ());
    let on_speed = props.on_speed.reform(|e: Event| {
        let s: HtmlSelectElement = e.target_unchecked_into();
        s.value().parse().unwrap_or(crate::driver::DEFAULT_SPEED)
    });
    let other = match lang {
        Lang::En => Lang::Ko,
        Lang::Ko => Lang::En,
    };
    let on_lang = props.on_lang.reform(move |_: MouseEvent| other);
    let undo = props.on_action.reform(|_: MouseEvent| Action::Undo);
    let redo = props.on_action.reform(|_: MouseEvent| Action::Redo);
    let on_chaos = {
        let on_chaos = props.on_chaos.clone();
        Callback::from(move |e: Event| {
            use crate::driver::Chaos as C;
            let select: HtmlSelectElement = e.target_unchecked_into();
            let chaos = match select.value().as_str() {
                "kill-server" => Some(C::KillServer),
                "kill-master" => Some(C::KillMaster),
                "kill-dc" => Some(C::KillDataCenter),
                "spike" => Some(C::TrafficSpike),
                _ => None,
            };
            // The menu is a list of actions: back to its title.
            select.set_value("");
            if let Some(c) = chaos {
                on_chaos.emit(c);
            }
        })
    };
    let step_event = props.on_step.reform(|_: MouseEvent| false);
    let step_time = props.on_step.reform(|_: MouseEvent| true);
    let on_seed = {
        let (on_action, seed) = (props.on_action.clone(), props.seed);
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            match input.value().trim().parse::<u64>() {
                Ok(s) => on_action.emit(Action::SetSeed(s)),
                // Not a whole number from 0: put the seed back.
                Err(_) => input.set_value(&seed.to_string()),
            }
        })
    };
    let clock = props
        .clock_s
        .map_or("0.000 s".to_string(), |t| format!("{t:.3} s"));
    html! {
        <header class="toolbar">
            <div class="brand">
                <h1 class="brand-title">{ Msg::AppTitle.text(lang) }</h1>
                <span class="tagline">{ Msg::Tagline.text(lang) }</span>
            </div>
            { props.children.clone() }
            <div class="controls">
                <button id="undo" disabled={!props.can_undo} onclick={undo}
                    title={Msg::UndoHint.text(lang)}>{ Msg::Undo.text(lang) }</button>
                <button id="redo" disabled={!props.can_redo} onclick={redo}
                    title={Msg::RedoHint.text(lang)}>{ Msg::Redo.text(lang) }</button>
                <button id="run" class="primary" aria-pressed={props.running.to_string()} onclick={toggle}>
                    { if props.running { Msg::Pause.text(lang) } else { Msg::Run.text(lang) } }
                </button>
                <button id="step-event" onclick={step_event} title={Msg::StepEventHint.text(lang)}>
                    { Msg::StepEvent.text(lang) }</button>
                <button id="step-time" onclick={step_time} title={Msg::StepTimeHint.text(lang)}>
                    { "+10 ms" }</button>
                <button id="reset" onclick={reset}>{ Msg::Reset.text(lang) }</button>
                <select id="chaos" aria-label={Msg::Chaos.text(lang)} onchange={on_chaos}>
                    <option value="" selected=true>{ Msg::Chaos.text(lang) }</option>
                    <option value="kill-server">{ Msg::ChaosKillServer.text(lang) }</option>
                    <option value="kill-master">{ Msg::ChaosKillMaster.text(lang) }</option>
                    <option value="kill-dc">{ Msg::ChaosKillDc.text(lang) }</option>
                    <option value="spike">{ Msg::ChaosSpike.text(lang) }</option>
                </select>
                <label class="speed">
                    { Msg::Speed.text(lang) }
                    <select id="speed" onchange={on_speed}>
                        { for SPEEDS.iter().map(|s| html! {
                            <option value={s.to_string()} selected={*s == props.speed}>{ speed_label(*s, lang) }</option>
                        }) }
                    </select>
                </label>
                if let Some(text) = props.pace.filter(|_| props.running).and_then(|p| pace_text(p, props.speed, lang)) {
                    <span class="pace" data-metric="pace" title={Msg::PaceHint.text(lang)}>{ text }</span>
                }
                if props.starting {
                    <span class="starting" id="sim-starting" role="status">{ Msg::SimStarting.text(lang) }</span>
                }
                <span class="clock" title={Msg::Clock.text(lang)} data-metric="clock">{ clock }</span>
                <span class="events" data-metric="events" title={Msg::EventsHint.text(lang)}>
                    { format!("{} {}", props.events.unwrap_or(0), Msg::EventsShort.text(lang)) }</span>
                <label class="seed" title={Msg::SeedHint.text(lang)}>{ Msg::Seed.text(lang) }
                    <input id="seed" type="number" min="0" step="1" value={props.seed.to_string()}
                        onchange={on_seed} /></label>
                <button id="lang" onclick={on_lang} lang={other.tag()}>{ Msg::Language.text(lang) }</button>
            </div>
            if props.unavailable {
                <p class="unavailable" id="sim-unavailable" role="alert">{ Msg::EngineUnavailable.text(lang) }</p>
            }
        </header>
    }
}

/// The pace reached, when worth showing: always at "max", and at a finite
/// speed when it falls more than 10 % short ("≈4.6× — can't keep up").
fn pace_text(pace: f64, speed: f64, lang: Lang) -> Option<String> {
    let figure = if pace >= 10.0 {
        format!("≈{pace:.0}×")
    } else if pace >= 0.1 {
        format!("≈{pace:.1}×")
    } else {
        format!("≈{pace:.2}×")
    };
    if !speed.is_finite() {
        Some(figure)
    } else if pace < 0.9 * speed {
        Some(format!("{figure} — {}", Msg::PaceBehind.text(lang)))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pace_shows_only_when_it_falls_short_or_at_max() {
        assert_eq!(pace_text(9.7, 10.0, Lang::En), None);
        assert_eq!(
            pace_text(4.57, 10.0, Lang::En).as_deref(),
            Some("≈4.6× — can't keep up")
        );
        assert_eq!(
            pace_text(37.2, f64::INFINITY, Lang::En).as_deref(),
            Some("≈37×")
        );
        assert_eq!(
            pace_text(0.05, 1.0, Lang::Ko).as_deref(),
            Some("≈0.05× — 따라가지 못함")
        );
    }
}
