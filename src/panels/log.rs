//! The event log: what happened, in plain words, newest first — filterable
//! by words and by kind; clicking an entry selects its node on the canvas.

use crate::i18n::{Lang, LogCategory, Msg};
use crate::state::{Action, Selection};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Most entries the panel lists (the newest).
pub const SHOWN: usize = 200;

/// One log entry, ready to show.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct LogRow {
    /// When [s].
    pub t_s: f64,
    /// The node it happened to.
    pub node: String,
    /// What kind of thing it reports.
    pub category: LogCategory,
    /// What happened, in the UI language.
    pub text: String,
}

/// Properties of [`EventLog`].
#[derive(Properties, PartialEq)]
pub struct EventLogProps {
    /// Entries, newest first.
    pub rows: std::rc::Rc<Vec<LogRow>>,
    /// UI language.
    pub lang: Lang,
    /// Receives the selection of an entry's node.
    pub on_action: Callback<Action>,
}

/// The event log panel.
#[function_component(EventLog)]
pub fn event_log(props: &EventLogProps) -> Html {
    let lang = props.lang;
    let words = use_state(String::new);
    let category = use_state(|| None::<LogCategory>);
    let on_words = {
        let words = words.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            words.set(input.value());
        })
    };
    let on_category = {
        let category = category.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            let value = select.value();
            category.set(LogCategory::ALL.into_iter().find(|c| c.key() == value));
        })
    };
    let needle = words.trim().to_lowercase();
    let shown: Vec<&LogRow> = props
        .rows
        .iter()
        .filter(|r| category.is_none_or(|c| r.category == c))
        .filter(|r| needle.is_empty() || r.text.to_lowercase().contains(&needle))
        .take(SHOWN)
        .collect();
    html! {
        <section class="event-log" aria-label={Msg::EventLog.text(lang)}>
            <h2>{ Msg::EventLog.text(lang) }</h2>
            <div class="log-filters">
                <input id="log-filter" type="search" placeholder={Msg::LogFilter.text(lang)}
                    aria-label={Msg::LogFilter.text(lang)} value={(*words).clone()} oninput={on_words} />
                <select id="log-category" aria-label={Msg::LogKind.text(lang)} onchange={on_category}>
                    <option value="" selected={category.is_none()}>{ Msg::LogAll.text(lang) }</option>
                    { for LogCategory::ALL.iter().map(|c| html! {
                        <option value={c.key()} selected={*category == Some(*c)}>{ c.label(lang) }</option>
                    }) }
                </select>
            </div>
            if shown.is_empty() {
                <p class="hint">{ Msg::LogEmpty.text(lang) }</p>
            } else {
                <ol id="log-entries">
                    { for shown.into_iter().map(|r| {
                        let id = r.node.clone();
                        let onclick = props.on_action.reform(move |_: MouseEvent| {
                            Action::Select(Some(Selection::Node(id.clone())))
                        });
                        html! {
                            <li data-category={r.category.key()} data-node={r.node.clone()}>
                                <button class="link" {onclick}>
                                    <span class="log-time">{ format!("{:.3} s", r.t_s) }</span>
                                    { " " }{ &r.text }
                                </button>
                            </li>
                        }
                    }) }
                </ol>
            }
        </section>
    }
}
