//! The application shell: toolbar on top, palette on the left, the canvas in
//! the middle, inspector and metrics on the right.

use crate::canvas::{DesignCanvas, SharedDriver};
use crate::course::{self, Progress, ProgressAction, Workspace};
use crate::i18n::{Lang, Msg, problem};
use crate::mode::Mode;
use crate::panels::course_map::CourseMap;
use crate::panels::embed::EmbedBar;
use crate::panels::file::FileMenu;
use crate::panels::journey::{JourneyCard, JourneyView};
use crate::panels::lesson::LessonPanel;
use crate::panels::palette::PaletteItem;
use crate::panels::timebar::{TimeBar, Timeline};
use crate::panels::{
    charts::Charts, inspector::Inspector, log::EventLog, metrics::Metrics, palette::Palette,
    toolbar::Toolbar,
};
use crate::persist::{self, Restored};
use crate::share::{self, LinkError};
use crate::state::{Action, Editor, Notice, Selection};
use scalesim::Snapshot;
use scalesim::catalog::Kind;
use scalesim::design::{DesignDoc, Problems};
use scalesim::time::to_secs;
use wasm_bindgen::JsCast;
use yew::prelude::*;

fn browser_lang() -> Lang {
    gloo::utils::window()
        .navigator()
        .language()
        .map_or(Lang::En, |tag| Lang::from_tag(&tag))
}

/// Where the page starts: the workspace (a lesson from `?lesson=`, or where
/// the learner was last time) and whether to welcome a newcomer.
#[derive(Debug, Clone, PartialEq)]
struct Start {
    workspace: Workspace,
    welcome: bool,
    /// A `?lesson=` that names no lesson.
    unknown_lesson: bool,
}

fn start(mode: &Mode) -> Start {
    let asked = mode.lesson.as_deref();
    let from_link = asked.filter(|s| course::find(s).is_some());
    let unknown_lesson = asked.is_some() && from_link.is_none();
    if mode.embed {
        return Start {
            workspace: from_link.map_or(Workspace::Sandbox, |s| Workspace::Lesson(s.into())),
            welcome: false,
            unknown_lesson,
        };
    }
    // A design link opens in the sandbox (never in a lesson's own slot).
    let hash = gloo::utils::window().location().hash().unwrap_or_default();
    let design_link = share::is_design_fragment(hash.trim_start_matches('#'));
    let workspace = match from_link {
        Some(slug) => Workspace::Lesson(slug.into()),
        None if design_link => Workspace::Sandbox,
        None => persist::saved_workspace(),
    };
    // A newcomer: nothing saved, nothing done, not following a link.
    let welcome = asked.is_none()
        && !persist::has_saved_design()
        && persist::saved_progress().is_empty()
        && workspace == Workspace::Sandbox
        && !design_link;
    Start {
        workspace,
        welcome,
        unknown_lesson,
    }
}

/// The design of a lesson to open: the learner's own if they worked on it;
/// for a lesson that continues, their design of the previous lesson; else
/// the lesson's starting design.
fn lesson_design(slug: &str) -> DesignDoc {
    let Some(lesson) = course::find(slug) else {
        return DesignDoc::default();
    };
    persist::saved_lesson_design(slug)
        .or_else(|| {
            lesson
                .info
                .continues
                .then(|| course::previous(slug))
                .flatten()
                .and_then(|p| persist::saved_lesson_design(&p.slug))
        })
        .unwrap_or_else(|| lesson.design.clone())
}

fn initial_editor(mode: &Mode, start: &Start) -> Editor {
    let mut editor = Editor::new(persist::saved_lang().unwrap_or_else(browser_lang));
    // (Outside an embed the course map opens and says so.)
    if start.unknown_lesson && mode.embed {
        editor.apply(Action::Notify(Notice::Text(Msg::NoSuchLesson)));
    }
    if mode.embed {
        // An embed shows the design it was given and never touches the
        // visitor's own saved design.
        let hash = gloo::utils::window().location().hash().unwrap_or_default();
        let fragment = hash.trim_start_matches('#');
        let given = if let Some(lesson) = start.workspace.lesson() {
            Ok(lesson.design.clone())
        } else if share::is_design_fragment(fragment) {
            share::decode(fragment).map_err(|_| Msg::LinkBroken)
        } else {
            mode.example
                .as_deref()
                .and_then(crate::panels::file::example)
                .ok_or(Msg::NoSuchExample)
        };
        match given {
            Ok(doc) => editor.apply(Action::Restore(doc)),
            Err(m) => editor.apply(Action::Notify(Notice::Text(m))),
        }
        return editor;
    }
    // Where the page opened is where the learner works now.
    persist::save_workspace(&start.workspace);
    if let Workspace::Lesson(slug) = &start.workspace {
        editor.apply(Action::Restore(lesson_design(slug)));
        forget_lesson_query();
        return editor;
    }
    match persist::restore() {
        Restored::Design(doc) => editor.apply(Action::Restore(doc)),
        Restored::Unreadable => editor.apply(Action::Notify(Notice::Text(Msg::RestoreFailed))),
        Restored::Nothing => {}
    }
    for action in link_actions() {
        editor.apply(action);
    }
    editor
}

/// The offered speed closest to `s` (on a log scale).
fn nearest_speed(s: f64) -> f64 {
    if !s.is_finite() {
        return s; // "as fast as possible" is offered as it is
    }
    crate::driver::SPEEDS
        .iter()
        .copied()
        .filter(|v| v.is_finite())
        .min_by(|a, b| (a.ln() - s.ln()).abs().total_cmp(&(b.ln() - s.ln()).abs()))
        .unwrap_or(crate::driver::DEFAULT_SPEED)
}

/// Saves `doc` where workspace `ws` keeps its design.
fn save_to(ws: &Workspace, doc: &DesignDoc) {
    match ws {
        Workspace::Sandbox => persist::save(doc),
        Workspace::Lesson(slug) => persist::save_lesson_design(slug, doc),
    }
}

/// Takes `?lesson=` out of the address bar once the lesson is open, so a
/// reload after leaving it does not open it again.
fn forget_lesson_query() {
    let window = gloo::utils::window();
    let (Ok(history), Ok(path)) = (window.history(), window.location().pathname()) else {
        return;
    };
    let search = window.location().search().unwrap_or_default();
    let kept: Vec<&str> = search
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty() && !p.starts_with("lesson="))
        .collect();
    let query = if kept.is_empty() {
        String::new()
    } else {
        format!("?{}", kept.join("&"))
    };
    let hash = window.location().hash().unwrap_or_default();
    let url = format!("{path}{query}{hash}");
    let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
}

/// The actions that open a design carried in the URL fragment, on top of
/// the current one (so Undo brings that back); a link that cannot be read
/// changes nothing and says why. The fragment is then removed from the
/// address bar. Used at start-up and when the fragment changes in an open
/// tab (a pasted link).
fn link_actions() -> Vec<Action> {
    let window = gloo::utils::window();
    let hash = window.location().hash().unwrap_or_default();
    let fragment = hash.trim_start_matches('#');
    if !share::is_design_fragment(fragment) {
        return Vec::new();
    }
    let mut actions = Vec::new();
    let notice = match share::decode(fragment) {
        Ok(doc) => {
            actions.push(Action::Load(doc));
            Notice::Text(Msg::LinkOpened)
        }
        Err(LinkError::Broken) => Notice::Text(Msg::LinkBroken),
        Err(LinkError::NewerLink(_)) => Notice::Text(Msg::LinkNewer),
        Err(LinkError::Design(p)) => Notice::Refused {
            heading: Msg::LinkBroken,
            subject: String::new(),
            problems: p.0,
        },
    };
    actions.push(Action::Notify(notice));
    if let (Ok(history), Ok(path)) = (window.history(), window.location().pathname()) {
        let search = window.location().search().unwrap_or_default();
        let url = format!("{path}{search}");
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
    actions
}

/// Where a component added without dragging goes: the next free slot of a
/// loose grid, so repeated additions do not pile up.
fn free_spot(count: usize) -> (f64, f64) {
    let (col, row) = (count % 4, count / 4);
    (120.0 + 200.0 * col as f64, 110.0 + 120.0 * (row % 5) as f64)
}

/// The editor action of a key press, if it is a shortcut and focus is not
/// in a text field.
fn shortcut(e: &web_sys::KeyboardEvent) -> Option<Action> {
    let typing = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA"));
    if typing || !(e.ctrl_key() || e.meta_key()) || e.alt_key() {
        return None;
    }
    match (e.key().to_lowercase().as_str(), e.shift_key()) {
        ("z", false) => Some(Action::Undo),
        ("z", true) | ("y", false) => Some(Action::Redo),
        ("d", false) => Some(Action::DuplicateSelected),
        _ => None,
    }
}

/// The whole application.
#[function_component(App)]
pub fn app() -> Html {
    let mode = use_memo((), |_| {
        Mode::from_query(
            &gloo::utils::window()
                .location()
                .search()
                .unwrap_or_default(),
        )
    });
    let start = {
        let mode = mode.clone();
        use_memo((), move |_| start(&mode))
    };
    let editor = {
        let (mode, start) = (mode.clone(), start.clone());
        use_reducer(move || initial_editor(&mode, &start))
    };
    let workspace = {
        let start = start.clone();
        use_state(move || start.workspace.clone())
    };
    let progress = {
        let embed = mode.embed;
        use_reducer(move || {
            if embed {
                Progress::default()
            } else {
                persist::saved_progress()
            }
        })
    };
    // Progress is kept in the browser (not by embeds).
    {
        let embed = mode.embed;
        use_effect_with((*progress).clone(), move |p| {
            if !embed {
                persist::save_progress(p);
            }
        });
    }
    // The course map, if open: `Some(true)` is the newcomer's welcome.
    // A link to a lesson this version does not have opens the map, saying so.
    let unknown_link = use_state(|| start.unknown_lesson && !mode.embed);
    let map_open = {
        let (welcome, unknown) = (start.welcome, *unknown_link);
        use_state(move || welcome.then_some(true).or(unknown.then_some(false)))
    };
    let driver = {
        let (mode, start) = (mode.clone(), start.clone());
        use_memo((), move |_| {
            let driver = SharedDriver::default();
            // The embed's own speed, else a lesson's, else (in the editor)
            // the one chosen last time.
            let lesson_speed = start.workspace.lesson().map(|l| l.info.speed);
            let example_speed = mode
                .example
                .as_deref()
                .and_then(crate::panels::file::find_example)
                .map(|e| e.speed);
            let start = if mode.embed {
                mode.speed().or(lesson_speed).or(example_speed)
            } else {
                lesson_speed.or_else(persist::saved_speed)
            };
            if let Some(s) = start {
                driver.0.borrow_mut().set_speed(nearest_speed(s));
            }
            if !mode.embed {
                driver.0.borrow_mut().set_recent(persist::saved_recent());
            }
            driver
        })
    };
    let snapshot = use_state(|| None::<Snapshot>);
    let running = use_state(|| false);
    let drawer_open = use_state(persist::saved_drawer_open);
    let run_problems = use_state(|| None::<Problems>);
    let journey = use_state(|| None::<JourneyView>);
    // The latest workspace switch and workspace, for listeners built once.
    let switch_ref = use_mut_ref(|| None::<(Callback<Workspace>, Workspace)>);
    let lang = editor.lang;

    // What runs: in a lesson, the design as it is graded (the lesson's
    // seed, timeline, traffic and workload), so the learner watches what
    // Check measures; it has the same nodes in the same order.
    let run_doc = {
        let (doc, lesson) = (editor.doc.clone(), workspace.lesson());
        use_memo((editor.version, (*workspace).clone()), move |_| {
            lesson.and_then(|l| l.prepare(&doc).ok()).unwrap_or(doc)
        })
    };
    // Autosave (to the sandbox or the lesson's own slot), and keep a
    // running simulation in step with the design.
    {
        let (editor, driver, snapshot, running, run_problems, run_doc) = (
            editor.clone(),
            driver.clone(),
            snapshot.clone(),
            running.clone(),
            run_problems.clone(),
            run_doc.clone(),
        );
        let (embed, ws) = (mode.embed, (*workspace).clone());
        use_effect_with(editor.version, move |_| {
            if !embed {
                save_to(&ws, &editor.doc);
            }
            let mut d = driver.0.borrow_mut();
            match d.design_changed(&run_doc) {
                Ok(()) => {
                    snapshot.set(d.snapshot());
                    // A banner of why it could not run follows the edits:
                    // gone once the design runs, the list as it is now.
                    if run_problems.is_some() {
                        run_problems.set(run_doc.validate().err());
                    }
                }
                Err(p) => {
                    // The running simulation pauses as it was; its figures stay.
                    running.set(false);
                    snapshot.set(d.snapshot());
                    run_problems.set(Some(p));
                }
            }
        });
    }
    // A lesson opened (or the sandbox) starts at the top of the side panel:
    // its title and story, not where the last one was scrolled to.
    let side_ref = use_node_ref();
    {
        let side_ref = side_ref.clone();
        use_effect_with((*workspace).clone(), move |_| {
            if let Some(side) = side_ref.cast::<web_sys::Element>() {
                side.set_scroll_top(0);
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
        let (editor, editable) = (editor.clone(), mode.allows_edits());
        Callback::from(move |a: Action| {
            // A read-only embed lets visitors look (select, pan, zoom), not edit.
            let look_only = matches!(
                a,
                Action::Select(_) | Action::Notify(_) | Action::DismissNotice | Action::SetLang(_)
            );
            if editable || look_only {
                editor.dispatch(a);
            }
        })
    };
    // A design link pasted into this tab changes only the fragment.
    {
        let (on_action, switch_ref) = (on_action.clone(), switch_ref.clone());
        use_effect_with((), move |_| {
            let listener =
                gloo::events::EventListener::new(&gloo::utils::window(), "hashchange", move |_| {
                    let actions = link_actions();
                    // A design link opens in the sandbox, never in a lesson's
                    // own slot.
                    let latest = switch_ref.borrow().clone();
                    if let (false, Some((switch, ws))) = (actions.is_empty(), latest)
                        && ws != Workspace::Sandbox
                    {
                        switch.emit(Workspace::Sandbox);
                    }
                    for action in actions {
                        on_action.emit(action);
                    }
                });
            move || drop(listener)
        });
    }
    // Editor shortcuts anywhere on the page, except while typing in a field
    // (where the browser's own undo applies).
    {
        let on_action = on_action.clone();
        use_effect_with((), move |_| {
            let listener =
                gloo::events::EventListener::new(&gloo::utils::document(), "keydown", move |e| {
                    let Some(e) = e.dyn_ref::<web_sys::KeyboardEvent>() else {
                        return;
                    };
                    if let Some(action) = shortcut(e) {
                        e.prevent_default();
                        on_action.emit(action);
                    }
                });
            move || drop(listener)
        });
    }
    let on_toggle = {
        let (run_doc, driver, running, run_problems, snapshot) = (
            run_doc.clone(),
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
            match d.play(&run_doc) {
                Ok(()) => {
                    running.set(true);
                    run_problems.set(None);
                    snapshot.set(d.snapshot());
                }
                Err(p) => run_problems.set(Some(p)),
            }
        })
    };
    let on_step = {
        let (run_doc, driver, running, run_problems, snapshot) = (
            run_doc.clone(),
            driver.clone(),
            running.clone(),
            run_problems.clone(),
            snapshot.clone(),
        );
        Callback::from(move |ten_ms: bool| {
            let mut d = driver.0.borrow_mut();
            let stepped = if ten_ms {
                d.step_time(&run_doc)
            } else {
                d.step_event(&run_doc).map(|_| ())
            };
            running.set(false);
            match stepped {
                Ok(()) => {
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
    let on_operate = {
        let (driver, snapshot) = (driver.clone(), snapshot.clone());
        Callback::from(move |(id, op): (String, crate::driver::Operation)| {
            let mut d = driver.0.borrow_mut();
            if d.operate(&id, op) {
                snapshot.set(d.snapshot());
            }
        })
    };
    let on_speed = {
        let (driver, embed) = (driver.clone(), mode.embed);
        Callback::from(move |s: f64| {
            driver.0.borrow_mut().set_speed(s);
            if !embed {
                persist::save_speed(s);
            }
        })
    };
    let on_lang = {
        let (editor, embed) = (editor.clone(), mode.embed);
        Callback::from(move |l: Lang| {
            if !embed {
                persist::save_lang(l);
            }
            editor.dispatch(Action::SetLang(l))
        })
    };
    let on_recent = {
        let (driver, snapshot) = (driver.clone(), snapshot.clone());
        Callback::from(move |recent: bool| {
            persist::save_recent(recent);
            let mut d = driver.0.borrow_mut();
            d.set_recent(recent);
            snapshot.set(d.snapshot());
        })
    };
    // Switching where the learner works: the current design stays in its
    // own slot, the run starts over, and the other design opens with its
    // own undo history (and a lesson at its own speed).
    let switch_to = {
        let (editor, workspace, driver, running, snapshot, map_open, run_problems) = (
            editor.clone(),
            workspace.clone(),
            driver.clone(),
            running.clone(),
            snapshot.clone(),
            map_open.clone(),
            run_problems.clone(),
        );
        let (embed, unknown_link) = (mode.embed, unknown_link.clone());
        Callback::from(move |ws: Workspace| {
            if !embed {
                save_to(&workspace, &editor.doc);
                persist::save_workspace(&ws);
            }
            let doc = match &ws {
                Workspace::Sandbox => persist::saved_sandbox(),
                Workspace::Lesson(slug) => lesson_design(slug),
            };
            {
                let mut d = driver.0.borrow_mut();
                d.reset();
                if let Some(l) = ws.lesson() {
                    d.set_speed(nearest_speed(l.info.speed));
                }
            }
            running.set(false);
            snapshot.set(None);
            run_problems.set(None);
            workspace.set(ws);
            map_open.set(None);
            unknown_link.set(false);
            editor.dispatch(Action::Open(doc));
        })
    };
    *switch_ref.borrow_mut() = Some((switch_to.clone(), (*workspace).clone()));
    let on_open_lesson = switch_to.reform(Workspace::Lesson);
    let on_sandbox = switch_to.reform(|()| Workspace::Sandbox);
    let on_map = {
        let map_open = map_open.clone();
        Callback::from(move |()| map_open.set(Some(false)))
    };
    let close_map = {
        let (map_open, unknown_link) = (map_open.clone(), unknown_link.clone());
        Callback::from(move |()| {
            map_open.set(None);
            unknown_link.set(false);
        })
    };
    let on_progress = {
        let progress = progress.clone();
        Callback::from(move |a: ProgressAction| progress.dispatch(a))
    };
    let on_seek = {
        let (driver, run_doc, snapshot, run_problems) = (
            driver.clone(),
            run_doc.clone(),
            snapshot.clone(),
            run_problems.clone(),
        );
        Callback::from(move |t: f64| {
            let mut d = driver.0.borrow_mut();
            match d.seek(&run_doc, scalesim::time::from_secs(t)) {
                Ok(()) => snapshot.set(d.snapshot()),
                Err(p) => run_problems.set(Some(p)),
            }
        })
    };
    let on_tick = {
        let snapshot = snapshot.clone();
        Callback::from(move |s: Snapshot| snapshot.set(Some(s)))
    };
    let on_drop = {
        let editor = editor.clone();
        Callback::from(move |(item, x, y): (PaletteItem, f64, f64)| {
            editor.dispatch(match item {
                PaletteItem::Kind(kind) => Action::AddNode { kind, x, y },
                PaletteItem::DataCenter => Action::AddRegion { x, y },
            })
        })
    };
    let on_add = {
        let editor = editor.clone();
        Callback::from(move |item: PaletteItem| {
            let (x, y) = free_spot(editor.doc.nodes.len());
            editor.dispatch(match item {
                PaletteItem::Kind(kind) => Action::AddNode { kind, x, y },
                PaletteItem::DataCenter => Action::AddRegion { x, y },
            })
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

    {
        let (on_toggle, autoplay) = (on_toggle.clone(), mode.autoplay);
        use_effect_with((), move |_| {
            if autoplay {
                on_toggle.emit(());
            }
        });
    }

    // A blank canvas has its own instructions; no problem list there.
    // Validated once per design change, not on every render.
    let live_problems = {
        // In a lesson, the design as it runs (the lesson's workload).
        let doc = (*run_doc).clone();
        use_memo((editor.version, (*workspace).clone()), move |_| {
            match doc.validate() {
                _ if doc.nodes.is_empty() => Vec::new(),
                Ok(d) => d.warnings,
                Err(p) => p.0,
            }
        })
    };

    // The log's rows, formatted again only when the log (or the language,
    // or the run) changed — not on every render.
    let log_rows = {
        let stamp = driver.0.borrow().sim().map(|s| s.log_stamp());
        let (driver, version, has_snapshot) = (driver.clone(), editor.version, snapshot.is_some());
        use_memo((stamp, lang, version, has_snapshot), move |_| {
            driver.0.borrow().log_rows(lang, 2_000)
        })
    };

    let on_fault = {
        let (run_doc, driver, snapshot, run_problems) = (
            run_doc.clone(),
            driver.clone(),
            snapshot.clone(),
            run_problems.clone(),
        );
        Callback::from(move |(id, fault): (String, crate::driver::NodeFault)| {
            let mut d = driver.0.borrow_mut();
            match d.inject_fault(&run_doc, &id, fault) {
                Ok(_) => snapshot.set(d.snapshot()),
                Err(p) => run_problems.set(Some(p)),
            }
        })
    };
    let on_chaos = {
        let (editor, run_doc, driver, snapshot, run_problems) = (
            editor.clone(),
            run_doc.clone(),
            driver.clone(),
            snapshot.clone(),
            run_problems.clone(),
        );
        Callback::from(move |chaos: crate::driver::Chaos| {
            let mut d = driver.0.borrow_mut();
            match d.chaos(&run_doc, chaos) {
                Ok(Some(_)) => snapshot.set(d.snapshot()),
                Ok(None) => editor.dispatch(Action::Notify(crate::state::Notice::Text(
                    Msg::ChaosNothing,
                ))),
                Err(p) => run_problems.set(Some(p)),
            }
        })
    };
    // A request's route: from a clicked failed (or stale) dot, or a node's
    // latest failure.
    let show_journey = {
        let (driver, journey) = (driver.clone(), journey.clone());
        move |found: Option<scalesim::model::Journey>| {
            let d = driver.0.borrow();
            if let (Some(j), Some(sim)) = (found, d.sim()) {
                journey.set(Some(JourneyView {
                    journey: j,
                    ids: sim.node_ids().to_vec(),
                }));
            }
        }
    };
    let on_journey = {
        let (driver, show) = (driver.clone(), show_journey.clone());
        Callback::from(move |(request, sent): (u32, u64)| {
            let found = driver.0.borrow().journey_of(request, sent);
            show(found);
        })
    };
    let close_journey = {
        let journey = journey.clone();
        Callback::from(move |()| journey.set(None))
    };
    let journey_card = (*journey).clone().map(|view| {
        html! { <JourneyCard {view} {lang} on_close={close_journey.clone()} /> }
    });
    // The time bar: a lesson's timeline, or the design's own scheduled
    // events.
    let timeline = match workspace.lesson() {
        Some(l) => Timeline::of_lesson(&l.slug, lang),
        None => Timeline::of_design(&editor.doc),
    };
    let canvas = html! {
        <DesignCanvas
            on_journey={Some(on_journey)}
            on_fault={(!mode.embed).then_some(on_fault)}
            doc={(*run_doc).clone()}
            version={editor.version}
            selected={editor.selected_nodes()}
            selected_edge={editor.selected_edge()}
            selected_region={editor.selected_region()}
            {lang}
            driver={(*driver).clone()}
            on_action={on_action.clone()}
            fit_request={editor.loads}
            embedded={mode.embed}
            on_tick={on_tick.clone()} />
    };
    if mode.embed {
        let full = {
            let loc = gloo::utils::window().location();
            let (origin, path) = (
                loc.origin().unwrap_or_default(),
                loc.pathname().unwrap_or_default(),
            );
            match workspace.lesson() {
                Some(l) => format!("{origin}{path}?lesson={}", l.slug),
                None => format!("{origin}{path}#{}", share::encode(&editor.doc)),
            }
        };
        let lesson_slug = workspace.lesson().map(|l| l.slug.clone());
        // An embedded example (not a design from a link) has its card.
        let example_key = mode
            .example
            .clone()
            .filter(|k| crate::panels::file::find_example(k).is_some())
            .filter(|_| {
                !gloo::utils::window()
                    .location()
                    .hash()
                    .unwrap_or_default()
                    .contains("design=")
            });
        return html! {
            <div class={classes!("app", "embed", (lesson_slug.is_some() || example_key.is_some()).then_some("with-lesson"))}>
                <EmbedBar {lang} running={*running} snapshot={(*snapshot).clone()}
                    speed={driver.0.borrow().speed()} on_speed={on_speed.clone()}
                    full_editor={full} on_toggle={on_toggle.clone()} />
                <main class={classes!("stage", timeline.is_some().then_some("with-timebar"))}>
                    if let Some(timeline) = timeline.clone() {
                        <TimeBar {timeline} now_s={snapshot.as_ref().map(|s| to_secs(s.now_ns))} {lang}
                            on_seek={on_seek.clone()} />
                    }
                    { canvas }
                    { for journey_card.clone() }
                    if let Some(p) = &*run_problems {
                        <div class="banner error" role="alert" id="run-problems">
                            <ul>{ for p.0.iter().map(|p| html! { <li>{ problem(lang, p) }</li> }) }</ul>
                        </div>
                    }
                </main>
                if let Some(slug) = lesson_slug {
                    { crate::panels::lesson::embed_card(&slug, lang) }
                } else if let Some(key) = example_key.clone() {
                    <aside class="embed-lesson">
                        { crate::panels::file::example_card(&key, lang, "embed-example", Html::default()) }
                    </aside>
                }
            </div>
        };
    }

    let selected = editor.selected_node();
    let selected_doc = selected.map(|i| editor.doc.nodes[i].clone());
    // An opened example's card sits at the top of the side panel, not over
    // the design.
    let example_card = match &editor.notice {
        Some(Notice::Example(key)) => Some(crate::panels::file::example_card(
            key,
            lang,
            "example-card",
            html! {
                <div class="card-foot">
                    <span class="hint">{ Msg::ExampleOpened.text(lang) }</span>
                    <button class="small" onclick={dismiss_notice.clone()}>{ Msg::Dismiss.text(lang) }</button>
                </div>
            },
        )),
        _ => None,
    };
    let notice = editor.notice.as_ref().map(|n| match n {
        Notice::Text(m) => html! { <span>{ m.text(lang) }</span> },
        Notice::Example(_) => Html::default(),
        Notice::Problem(p) => html! { <span>{ problem(lang, p) }</span> },
        Notice::Refused {
            heading,
            subject,
            problems,
        } => html! {
            <div>
                <strong>{ heading.text(lang) }</strong>
                if !subject.is_empty() { <code class="subject">{ subject }</code> }
                <ul>
                    if problems.is_empty() { <li>{ Msg::Unreadable.text(lang) }</li> }
                    { for problems.iter().map(|p| html! { <li>{ problem(lang, p) }</li> }) }
                </ul>
            </div>
        },
    });
    // Problems shown while editing: every error and warning of the design as
    // it stands, so wiring mistakes are visible before Run.

    // Charts and the event log live in a drawer under the canvas; closing
    // it keeps them mounted (the chosen figure and filters survive).
    let toggle_drawer = {
        let drawer_open = drawer_open.clone();
        Callback::from(move |_: MouseEvent| {
            let open = !*drawer_open;
            persist::save_drawer_open(open);
            drawer_open.set(open);
        })
    };

    html! {
        <div class="app">
            <Toolbar
                {lang}
                running={*running}
                speed={driver.0.borrow().speed()}
                pace={driver.0.borrow().pace()}
                clock_s={snapshot.as_ref().map(|s| to_secs(s.now_ns))}
                seed={editor.doc.seed}
                events={snapshot.as_ref().map(|s| s.events)}
                {on_chaos}
                {on_step}
                can_undo={editor.history.can_undo()}
                can_redo={editor.history.can_redo()}
                on_action={on_action.clone()}
                on_toggle={on_toggle.clone()} {on_reset} on_speed={on_speed.clone()} {on_lang}>
                <button id="course" class={classes!("course-button", workspace.lesson().is_some().then_some("in-lesson"))}
                    onclick={on_map.reform(|_: MouseEvent| ())}>
                    { match workspace.lesson() {
                        Some(l) => format!("{} {} · {}", Msg::LessonOf.text(lang), l.info.number, Msg::Course.text(lang)),
                        None => Msg::Course.text(lang).to_string(),
                    } }
                </button>
                <FileMenu doc={editor.doc.clone()} {lang} on_action={on_action.clone()} on_speed={on_speed.clone()} />
            </Toolbar>
            <Palette {lang} {on_drop} {on_add} />
            <main class={classes!("stage", timeline.is_some().then_some("with-timebar"))}>
                if let Some(timeline) = timeline {
                    <TimeBar {timeline} now_s={snapshot.as_ref().map(|s| to_secs(s.now_ns))} {lang}
                        on_seek={on_seek.clone()} />
                }
                { canvas }
                { for journey_card }
                if let Some(p) = &*run_problems {
                    <div class="banner error" role="alert" id="run-problems">
                        <div class="banner-head">
                            <strong>{ Msg::CannotRun.text(lang) }</strong>
                            <button class="small" onclick={dismiss_problems}>{ Msg::Dismiss.text(lang) }</button>
                        </div>
                        <ul>{ for p.0.iter().map(|p| html! { <li>{ problem(lang, p) }</li> }) }</ul>
                    </div>
                }
                if let Some(content) = notice.filter(|_| example_card.is_none()) {
                    <div class="banner notice" role="status" id="notice">
                        { content }
                        <button class="small" onclick={dismiss_notice}>{ Msg::Dismiss.text(lang) }</button>
                    </div>
                }
            </main>
            <section class={classes!("drawer", (!*drawer_open).then_some("closed"))}
                aria-label={Msg::Drawer.text(lang)}>
                <button id="drawer-toggle" class="drawer-toggle" aria-expanded={drawer_open.to_string()}
                    aria-controls="drawer-body" onclick={toggle_drawer}>
                    <span aria-hidden="true">{ if *drawer_open { "▾" } else { "▸" } }</span>
                    { " " }{ Msg::Drawer.text(lang) }
                </button>
                <div id="drawer-body" class="drawer-body" hidden={!*drawer_open}>
                    <Charts driver={(*driver).clone()} {lang} />
                    <EventLog rows={log_rows.clone()} {lang} on_action={on_action.clone()} />
                </div>
            </section>
            <aside class="side" ref={side_ref}>
                { for example_card }
                if let Some(l) = workspace.lesson() {
                    <LessonPanel key={l.slug.clone()} slug={l.slug.clone()} doc={editor.doc.clone()} version={editor.version} {lang}
                        progress={(*progress).clone()} on_progress={on_progress.clone()}
                        on_action={on_action.clone()} on_open={on_open_lesson.clone()}
                        on_map={on_map.clone()} on_leave={on_sandbox.clone()}
                        previous_design={course::previous(&l.slug).and_then(|p| persist::saved_lesson_design(&p.slug))} />
                }
                <Inspector node={selected_doc.clone()} {lang} on_action={on_action.clone()}
                    edge={editor.selected_edge().map(|i| editor.doc.edges[i].clone())}
                    region={editor.selected_region().map(|i| editor.doc.regions[i].clone())}
                    targets={selected_doc.as_ref().map(|n| editor
                        .doc
                        .edges
                        .iter()
                        .filter(|e| e.from == n.id)
                        .map(|e| e.to.clone())
                        .collect::<Vec<_>>()).unwrap_or_default()}
                    edge_kinds={editor.selected_edge().and_then(|i| {
                        let e = &editor.doc.edges[i];
                        let kind = |id: &str| editor.doc.nodes.iter().find(|n| n.id == id).map(|n| n.kind);
                        kind(&e.from).zip(kind(&e.to))
                    })}
                    live_node={selected_doc.as_ref().and_then(|n| snapshot.as_ref()
                        .and_then(|s| s.nodes.iter().find(|m| m.id == n.id).cloned()))}
                    live_edge={editor.selected_edge().and_then(|i| {
                        let e = &editor.doc.edges[i];
                        let s = snapshot.as_ref()?;
                        let index = |id: &str| editor.doc.nodes.iter().position(|n| n.id == id);
                        let (a, b) = (index(&e.from)?, index(&e.to)?);
                        let rate = driver.0.borrow().rates().iter()
                            .find(|r| r.0 == a && r.1 == b).map_or(0.0, |r| r.2);
                        Some((rate, s.nodes.iter().find(|m| m.id == e.to).cloned()))
                    })}
                    selected_count={editor.selected_nodes().len()}
                    locked={selected_doc.as_ref().and_then(|n| workspace.lesson().map(|l| {
                        // The lesson sends its own traffic: every setting of
                        // its Users nodes is the lesson's.
                        let traffic = l.design.nodes.iter()
                            .find(|u| n.kind == Kind::Users && u.kind == Kind::Users && u.id == n.id)
                            .map(|u| n.kind.spec().params.iter().map(|p| (
                                p.key.to_string(),
                                u.params.get(p.key).cloned().unwrap_or_else(|| p.default_value()),
                            )).collect::<Vec<_>>())
                            .unwrap_or_default();
                        l.info.fixed.iter()
                            .filter(|(key, _)| **key == n.id || *key == n.kind.key())
                            .flat_map(|(_, params)| params.clone())
                            .chain(traffic)
                            .collect::<std::collections::BTreeMap<_, _>>()
                    })).unwrap_or_default()}
                    on_latest_failure={selected.and_then(|i| {
                        let found = driver.0.borrow().latest_failure(i)?;
                        let show = show_journey.clone();
                        Some(Callback::from(move |()| show(Some(found.clone()))))
                    })}
                    live={snapshot.is_some()} on_operate={on_operate} />
                <Metrics snapshot={(*snapshot).clone()} {lang}
                    recent={driver.0.borrow().recent()} {on_recent} />
                if !live_problems.is_empty() {
                    <section class="problems" aria-label={Msg::Problems.text(lang)}>
                        <h2>{ Msg::Problems.text(lang) }</h2>
                        <ul>{ for live_problems.iter().map(|p| {
                            // Clicking a problem selects the node it concerns.
                            let id = p.location.split(" → ").next().unwrap_or_default().to_string();
                            let select = on_action.reform(move |_: MouseEvent| {
                                Action::Select(Some(Selection::Node(id.clone())))
                            });
                            html! {
                                <li class={format!("{:?}", p.severity).to_lowercase()}>
                                    <button class="link" onclick={select}>{ problem(lang, p) }</button>
                                </li>
                            }
                        }) }</ul>
                    </section>
                }
            </aside>
            if let Some(welcome) = *map_open {
                <CourseMap {lang} progress={(*progress).clone()} {welcome} unknown_link={*unknown_link}
                    current={workspace.lesson().map(|l| l.slug.clone())}
                    on_open={on_open_lesson} on_sandbox={on_sandbox} on_close={close_map} />
            }
        </div>
    }
}
