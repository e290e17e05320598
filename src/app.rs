//! The application shell: toolbar on top, palette on the left, the canvas in
//! the middle, inspector and metrics on the right.

use crate::canvas::{DesignCanvas, SharedDriver};
use crate::i18n::{Lang, Msg, problem};
use crate::panels::{inspector::Inspector, metrics::Metrics, palette::Palette, toolbar::Toolbar};
use crate::persist::{self, Restored};
use crate::state::{Action, Editor, Notice};
use scalesim::Snapshot;
use scalesim::catalog::Kind;
use scalesim::design::Problems;
use scalesim::time::to_secs;
use yew::prelude::*;

fn browser_lang() -> Lang {
    gloo::utils::window()
        .navigator()
        .language()
        .map_or(Lang::En, |tag| Lang::from_tag(&tag))
}

fn initial_editor() -> Editor {
    let mut editor = Editor::new(persist::saved_lang().unwrap_or_else(browser_lang));
    match persist::restore() {
        Restored::Design(doc) => editor.apply(Action::Load(doc)),
        Restored::Unreadable => editor.apply(Action::Notify(Notice::Text(Msg::RestoreFailed))),
        Restored::Nothing => {}
    }
    editor
}

/// Where a component added without dragging goes: the next free slot of a
/// loose grid, so repeated additions do not pile up.
fn free_spot(count: usize) -> (f64, f64) {
    let (col, row) = (count % 4, count / 4);
    (120.0 + 200.0 * col as f64, 110.0 + 120.0 * (row % 5) as f64)
}

/// The whole application.
#[function_component(App)]
pub fn app() -> Html {
    let editor = use_reducer(initial_editor);
    let driver = use_memo((), |_| SharedDriver::default());
    let snapshot = use_state(|| None::<Snapshot>);
    let running = use_state(|| false);
    let run_problems = use_state(|| None::<Problems>);
    let lang = editor.lang;

    // Autosave, and keep a running simulation in step with the design.
    {
        let (editor, driver, snapshot, running, run_problems) = (
            editor.clone(),
            driver.clone(),
            snapshot.clone(),
            running.clone(),
            run_problems.clone(),
        );
        use_effect_with(editor.version, move |_| {
            persist::save(&editor.doc);
            let mut d = driver.0.borrow_mut();
            match d.design_changed(&editor.doc) {
                Ok(()) => snapshot.set(d.snapshot()),
                Err(p) => {
                    // The running simulation pauses as it was; its figures stay.
                    running.set(false);
                    snapshot.set(d.snapshot());
                    run_problems.set(Some(p));
                }
            }
        });
    }
    {
        use_effect_with(lang, move |lang| {
            if let Some(html) = gloo::utils::document().document_element() {
                let _ = html.set_attribute("lang", lang.tag());
            }
        });
    }

    let on_action = {
        let editor = editor.clone();
        Callback::from(move |a: Action| editor.dispatch(a))
    };
    let on_toggle = {
        let (editor, driver, running, run_problems, snapshot) = (
            editor.clone(),
            driver.clone(),
            running.clone(),
            run_problems.clone(),
            snapshot.clone(),
        );
        Callback::from(move |()| {
            let mut d = driver.0.borrow_mut();
            if d.is_running() {
                d.pause();
                running.set(false);
                snapshot.set(d.snapshot());
                return;
            }
            match d.play(&editor.doc) {
                Ok(()) => {
                    running.set(true);
                    run_problems.set(None);
                    snapshot.set(d.snapshot());
                }
                Err(p) => run_problems.set(Some(p)),
            }
        })
    };
    let on_reset = {
        let (driver, running, snapshot) = (driver.clone(), running.clone(), snapshot.clone());
        Callback::from(move |()| {
            driver.0.borrow_mut().reset();
            running.set(false);
            snapshot.set(None);
        })
    };
    let on_speed = {
        let driver = driver.clone();
        Callback::from(move |s: f64| driver.0.borrow_mut().set_speed(s))
    };
    let on_lang = {
        let editor = editor.clone();
        Callback::from(move |l: Lang| {
            persist::save_lang(l);
            editor.dispatch(Action::SetLang(l))
        })
    };
    let on_tick = {
        let snapshot = snapshot.clone();
        Callback::from(move |s: Snapshot| snapshot.set(Some(s)))
    };
    let on_drop = {
        let editor = editor.clone();
        Callback::from(move |(kind, x, y): (Kind, f64, f64)| {
            editor.dispatch(Action::AddNode { kind, x, y })
        })
    };
    let on_add = {
        let editor = editor.clone();
        Callback::from(move |kind: Kind| {
            let (x, y) = free_spot(editor.doc.nodes.len());
            editor.dispatch(Action::AddNode { kind, x, y })
        })
    };
    let dismiss_problems = {
        let run_problems = run_problems.clone();
        Callback::from(move |_: MouseEvent| run_problems.set(None))
    };
    let dismiss_notice = {
        let editor = editor.clone();
        Callback::from(move |_: MouseEvent| editor.dispatch(Action::DismissNotice))
    };

    let selected = editor.selected_node();
    let selected_doc = selected.map(|i| editor.doc.nodes[i].clone());
    let notice = editor.notice.as_ref().map(|n| match n {
        Notice::Text(m) => m.text(lang).to_string(),
        Notice::Problem(p) => problem(lang, p),
    });
    // Problems shown while editing: every error and warning of the design as
    // it stands, so wiring mistakes are visible before Run.
    // A blank canvas has its own instructions; no problem list there.
    let live_problems = match editor.doc.validate() {
        _ if editor.doc.nodes.is_empty() => Vec::new(),
        Ok(d) => d.warnings,
        Err(p) => p.0,
    };

    html! {
        <div class="app">
            <Toolbar
                {lang}
                running={*running}
                speed={driver.0.borrow().speed()}
                clock_s={snapshot.as_ref().map(|s| to_secs(s.now_ns))}
                seed={editor.doc.seed}
                {on_toggle} {on_reset} {on_speed} {on_lang} />
            <Palette {lang} {on_drop} {on_add} />
            <main class="stage">
                <DesignCanvas
                    doc={editor.doc.clone()}
                    version={editor.version}
                    {selected}
                    {lang}
                    driver={(*driver).clone()}
                    on_action={on_action.clone()}
                    {on_tick} />
                if let Some(p) = &*run_problems {
                    <div class="banner error" role="alert" id="run-problems">
                        <strong>{ Msg::CannotRun.text(lang) }</strong>
                        <ul>{ for p.0.iter().map(|p| html! { <li>{ problem(lang, p) }</li> }) }</ul>
                        <button class="small" onclick={dismiss_problems}>{ Msg::Dismiss.text(lang) }</button>
                    </div>
                }
                if let Some(text) = notice {
                    <div class="banner notice" role="status" id="notice">
                        <span>{ text }</span>
                        <button class="small" onclick={dismiss_notice}>{ Msg::Dismiss.text(lang) }</button>
                    </div>
                }
            </main>
            <aside class="side">
                <Inspector node={selected_doc} {lang} on_action={on_action.clone()} />
                <Metrics snapshot={(*snapshot).clone()} {lang} />
                if !live_problems.is_empty() {
                    <section class="problems" aria-label={Msg::Problems.text(lang)}>
                        <h2>{ Msg::Problems.text(lang) }</h2>
                        <ul>{ for live_problems.iter().map(|p| html! {
                            <li class={format!("{:?}", p.severity).to_lowercase()}>{ problem(lang, p) }</li>
                        }) }</ul>
                    </section>
                }
            </aside>
        </div>
    }
}
