//! The design's problems on the stage: a small count in the corner that
//! does not cover the design, which opens the list of them in full words
//! (each a button that selects what it concerns, where the canvas draws
//! it). A Run the design refused opens the list as an alert; it follows
//! the edits and closes itself once nothing is left to fix.

use crate::canvas::marks::Index;
use crate::i18n::{Lang, Msg, problem, problem_count};
use crate::state::Selection;
use scalesim::Severity;
use scalesim::design::{DesignDoc, Problem};
use std::rc::Rc;
use yew::prelude::*;

/// Properties of [`ProblemCount`].
#[derive(Properties, PartialEq)]
pub(super) struct ProblemCountProps {
    pub lang: Lang,
    /// The problems of the design as it stands.
    pub problems: Rc<Vec<Problem>>,
    /// The design they are of (what a problem selects).
    pub doc: Rc<DesignDoc>,
    /// A run goes on with the design's last valid version.
    pub held: bool,
    /// Run was pressed and refused: the list is open as an alert.
    pub refused: bool,
    /// The list was closed (a refusal is then forgotten).
    pub on_dismiss: Callback<()>,
    /// Receives the selection of a problem's node, connection or data
    /// center (which the canvas then brings into sight).
    pub on_select: Callback<Selection>,
}

/// The count of problems and, opened, their list.
#[function_component(ProblemCount)]
pub(super) fn problem_count_view(props: &ProblemCountProps) -> Html {
    let open = use_state(|| false);
    let lang = props.lang;
    // Once nothing is left to fix, the list closes: the next problem does
    // not open it again by itself.
    {
        let open = open.clone();
        use_effect_with(props.problems.is_empty(), move |empty| {
            if *empty {
                open.set(false);
            }
        });
    }
    if props.problems.is_empty() {
        return Html::default();
    }
    let shown = *open || props.refused;
    let errors = props
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .count();
    let warnings = props.problems.len() - errors;
    let toggle = {
        let (open, on_dismiss) = (open.clone(), props.on_dismiss.clone());
        Callback::from(move |_: MouseEvent| {
            if shown {
                open.set(false);
                on_dismiss.emit(());
            } else {
                open.set(true);
            }
        })
    };
    let close = {
        let (open, on_dismiss) = (open.clone(), props.on_dismiss.clone());
        Callback::from(move |_: MouseEvent| {
            open.set(false);
            on_dismiss.emit(());
        })
    };
    // The list is built only while it shows.
    let index = shown.then(|| Index::of(&props.doc));
    let items = index
        .iter()
        .flat_map(|index| props.problems.iter().map(move |p| (index, p)));
    let items = items.map(|(index, p)| {
        let severity = match p.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let words = problem(lang, p);
        match index.selection_of(p) {
            Some(sel) => {
                let select = props.on_select.reform(move |_: MouseEvent| sel.clone());
                html! {
                    <li class={severity}>
                        <button class="link" onclick={select}>{ words }</button>
                    </li>
                }
            }
            None => html! { <li class={severity}>{ words }</li> },
        }
    });
    let heading = if props.refused {
        Msg::CannotRun
    } else {
        Msg::Problems
    };
    html! {
        <div id="problem-count" class={classes!("problem-count", if errors > 0 { "error" } else { "warning" })}>
            if shown {
                <section id="problem-list" class="problem-list" role={props.refused.then_some("alert")}
                    aria-label={heading.text(lang)}>
                    <div class="problem-list-head">
                        <strong>{ heading.text(lang) }</strong>
                        <button class="small" id="problem-list-close" onclick={close}>{ Msg::Dismiss.text(lang) }</button>
                    </div>
                    <ul>{ for items }</ul>
                </section>
            }
            <button id="problem-count-button" class="problem-pill" aria-expanded={shown.to_string()}
                aria-controls="problem-list" onclick={toggle}>
                <span class="badge" aria-hidden="true">{ "!" }</span>
                { problem_count(lang, errors, warnings, props.held) }
            </button>
        </div>
    }
}
