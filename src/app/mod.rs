//! The application shell: toolbar on top, palette on the left, the canvas in
//! the middle, inspector and metrics on the right.

use crate::canvas::DesignCanvas;
use crate::course::{self, Progress, ProgressAction, Workspace};
use crate::i18n::{Lang, Msg};
use crate::live::Live;
use crate::mode::Mode;
use crate::panels::course_map::CourseMap;
use crate::panels::designs::DesignList;
use crate::panels::embed::EmbedBar;
use crate::panels::file::FileMenu;
use crate::panels::journey::{JourneyCard, JourneyView};
use crate::panels::lesson::LessonPanel;
use crate::panels::palette::PaletteItem;
use crate::panels::sheets::{Sheet, SheetTabs};
use crate::panels::timebar::{TimeBar, Timeline};
use crate::panels::{
    charts::Charts, inspector::Inspector, log::EventLog, metrics::Metrics, palette::Palette,
    toolbar::Toolbar,
};
use crate::persist::{self};
use crate::state::{Action, Notice};
use scalesim::Snapshot;
use scalesim::design::DesignDoc;
use scalesim::time::to_secs;
use std::rc::Rc;
use yew::prelude::*;

mod designs;
mod embed;
mod keyboard;
mod large;
mod problems;
mod run;
mod side;
mod start;

use designs::{Designs, Target};
use start::{boot, free_spot, link_design, nearest_speed, start};

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
    let boot = {
        let (mode, start) = (mode.clone(), start.clone());
        use_memo((), move |_| boot(&mode, &start))
    };
    let editor = {
        let boot = boot.clone();
        use_reducer(move || boot.editor.clone())
    };
    let designs = Designs {
        library: {
            let boot = boot.clone();
            use_mut_ref(move || boot.library.clone())
        },
        last: {
            let boot = boot.clone();
            use_mut_ref(move || boot.last.clone())
        },
        store_error: {
            let boot = boot.clone();
            use_state_eq(move || boot.store_error)
        },
        refresh: use_force_update(),
    };
    let designs_open = use_state(|| false);
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
            let driver = Live::start();
            // The embed's own speed, else a lesson's, else (in the editor)
            // the one chosen last time.
            let lesson_speed = start.workspace.lesson().map(|l| l.info.speed);
            let example_speed = mode
                .example
                .as_deref()
                .and_then(crate::panels::examples::find_example)
                .map(|e| e.speed);
            let start = if mode.embed {
                mode.speed().or(lesson_speed).or(example_speed)
            } else {
                lesson_speed.or_else(persist::saved_speed)
            };
            if let Some(s) = start {
                driver.set_speed(nearest_speed(s));
            }
            if !mode.embed {
                driver.set_recent(persist::saved_recent());
            }
            driver
        })
    };
    let snapshot = use_state(|| None::<Snapshot>);
    let running = use_state(|| false);
    // The toolbar follows where the simulation runs: started, or unable to
    // (then nothing runs).
    let status_changed = use_force_update();
    {
        let (live, running) = (Rc::downgrade(&driver.0), running.clone());
        use_effect_with((), move |_| {
            if let Some(l) = live.upgrade() {
                crate::live::Live(l).on_status(move || {
                    if let Some(l) = live.upgrade() {
                        running.set(l.borrow().is_running());
                    }
                    status_changed.force_update();
                });
            }
        });
    }
    let drawer_open = use_state(persist::saved_drawer_open);
    // On a narrow screen, the panel open as a sheet over the canvas: a
    // lesson opens with its own.
    let sheet = {
        let start = start.clone();
        use_state(move || start.workspace.lesson().map(|_| Sheet::Lesson))
    };
    let refused = use_state(|| false);
    // The large-design warning was dismissed for the design open now.
    let large_dismissed = use_state(|| false);
    let journey = use_state(|| None::<JourneyView>);
    // The latest workspace switch and workspace, for listeners built once.
    let switch_ref = use_mut_ref(|| None::<(Callback<(Target, Vec<Notice>)>, Lang)>);
    let lang = editor.lang;

    // What runs: in a lesson, the design as it is graded (the lesson's
    // seed, timeline, traffic and workload), so the learner watches what
    // Check measures; it has the same nodes in the same order.
    // The design is copied once per change and shared from there (the
    // panels, the canvas and the callbacks built on every render hold the
    // same copy).
    let doc: Rc<DesignDoc> = {
        let editor = editor.clone();
        (*use_memo(editor.version, move |_| Rc::new(editor.doc.clone()))).clone()
    };
    let run_doc: Rc<DesignDoc> = {
        let (doc, lesson) = (doc.clone(), workspace.lesson());
        (*use_memo(
            (editor.version, (*workspace).clone()),
            move |_| match lesson.and_then(|l| l.prepare(&doc).ok()) {
                Some(prepared) => Rc::new(prepared),
                None => doc,
            },
        ))
        .clone()
    };
    // Autosave (the design open in the sandbox, or the lesson's work), and
    // keep a running simulation in step with the design.
    {
        let (editor, driver, snapshot, refused, run_doc, designs) = (
            editor.clone(),
            driver.clone(),
            snapshot.clone(),
            refused.clone(),
            run_doc.clone(),
            designs.clone(),
        );
        let (embed, ws) = (mode.embed, (*workspace).clone());
        use_effect_with(editor.version, move |_| {
            if !embed {
                designs.autosave(&ws, &editor.doc, editor.lang);
            }
            match driver.design_changed(&run_doc) {
                Ok(()) => {
                    snapshot.set(driver.0.borrow().snapshot());
                    // The list opened by a refused Run closes itself once
                    // the design can run.
                    if *refused && run_doc.validate().is_ok() {
                        refused.set(false);
                    }
                }
                Err(_) => {
                    // Mid-edit: the run goes on with the last valid version
                    // (the driver holds it); the problems are drawn where
                    // they are and counted in a corner of the stage, not
                    // over the design.
                    snapshot.set(driver.0.borrow().snapshot());
                }
            }
        });
    }
    // A lesson opened (or the sandbox) starts at the top of the side panel:
    // its title and story, not where the last one was scrolled to.
    let side_ref = use_node_ref();
    {
        let (side_ref, sheet) = (side_ref.clone(), sheet.clone());
        use_effect_with((*workspace).clone(), move |ws| {
            if let Some(side) = side_ref.cast::<web_sys::Element>() {
                side.set_scroll_top(0);
            }
            sheet.set(ws.lesson().map(|_| Sheet::Lesson));
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
    // A design link pasted into this tab changes only the fragment; it
    // opens as a new design in the sandbox.
    {
        let (on_action, switch_ref) = (on_action.clone(), switch_ref.clone());
        use_effect_with((), move |_| {
            let listener =
                gloo::events::EventListener::new(&gloo::utils::window(), "hashchange", move |_| {
                    match link_design() {
                        Some(Ok(doc)) => {
                            let latest = switch_ref.borrow().clone();
                            if let Some((switch, lang)) = latest {
                                switch.emit((
                                    Target::New {
                                        doc,
                                        name: Msg::SharedDesign.text(lang).into(),
                                    },
                                    vec![Notice::Text(Msg::LinkOpened)],
                                ));
                            }
                        }
                        Some(Err(n)) => on_action.emit(Action::Notify(n)),
                        None => {}
                    }
                });
            move || drop(listener)
        });
    }
    keyboard::use_shortcuts(on_action.clone());
    let run = run::Run {
        driver: (*driver).clone(),
        run_doc: run_doc.clone(),
        running: running.clone(),
        snapshot: snapshot.clone(),
        refused: refused.clone(),
    };
    let (on_toggle, on_step, on_reset, on_operate) =
        (run.toggle(), run.step(), run.reset(), run.operate());
    let (on_seek, on_tick, on_fault) = (run.seek(), run.tick(), run.fault());
    let on_chaos = run.chaos(editor.clone());
    let on_speed = {
        let (driver, embed) = (driver.clone(), mode.embed);
        Callback::from(move |s: f64| {
            driver.set_speed(s);
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
            driver.set_recent(recent);
            snapshot.set(driver.0.borrow().snapshot());
        })
    };
    // Switching where the learner works or which design is open: the
    // current design is already saved (on every change), the run starts
    // over, and the other design opens with its own undo history (and a
    // lesson at its own speed). Nothing is replaced: a new design is added
    // to the list.
    let switch_to = {
        let large_dismissed = large_dismissed.clone();
        let (editor, workspace, driver, running, snapshot, map_open, refused) = (
            editor.clone(),
            workspace.clone(),
            driver.clone(),
            running.clone(),
            snapshot.clone(),
            map_open.clone(),
            refused.clone(),
        );
        let (embed, unknown_link, designs, designs_open) = (
            mode.embed,
            unknown_link.clone(),
            designs.clone(),
            designs_open.clone(),
        );
        Callback::from(move |(target, notices): (Target, Vec<Notice>)| {
            let opened = designs.resolve(target);
            let (ws, doc) = (opened.workspace, opened.doc);
            if !embed {
                persist::save_workspace(&ws);
            }
            driver.reset();
            if let Some(l) = ws.lesson() {
                driver.set_speed(nearest_speed(l.info.speed));
            }
            running.set(false);
            snapshot.set(None);
            refused.set(false);
            large_dismissed.set(false);
            workspace.set(ws);
            map_open.set(None);
            designs_open.set(false);
            unknown_link.set(false);
            editor.dispatch(Action::Open(doc));
            for n in opened.notices.into_iter().chain(notices) {
                editor.dispatch(Action::Notify(n));
            }
        })
    };
    *switch_ref.borrow_mut() = Some((switch_to.clone(), lang));
    let on_open_lesson =
        switch_to.reform(|slug| (Target::Workspace(Workspace::Lesson(slug)), Vec::new()));
    let on_sandbox = switch_to.reform(|()| (Target::Workspace(Workspace::Sandbox), Vec::new()));
    // An example, a file or a link opens as a new design.
    let on_open_new = switch_to.reform(|(doc, name, notice): (DesignDoc, String, Notice)| {
        (Target::New { doc, name }, vec![notice])
    });
    let designs_ui = designs::Callbacks::new(
        &designs,
        &switch_to,
        &designs_open,
        workspace.lesson().is_none(),
    );
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
    // A component added from the palette's sheet: the sheet makes way.
    let on_drop = {
        let (editor, sheet) = (editor.clone(), sheet.clone());
        Callback::from(move |(item, x, y): (PaletteItem, f64, f64)| {
            sheet.set(None);
            editor.dispatch(match item {
                PaletteItem::Kind(kind) => Action::AddNode { kind, x, y },
                PaletteItem::DataCenter => Action::AddRegion { x, y },
            })
        })
    };
    let on_add = {
        let (editor, sheet) = (editor.clone(), sheet.clone());
        Callback::from(move |item: PaletteItem| {
            sheet.set(None);
            let (x, y) = free_spot(editor.doc.nodes.len());
            editor.dispatch(match item {
                PaletteItem::Kind(kind) => Action::AddNode { kind, x, y },
                PaletteItem::DataCenter => Action::AddRegion { x, y },
            })
        })
    };
    let dismiss_problems = {
        let refused = refused.clone();
        Callback::from(move |()| refused.set(false))
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

    // The design's problems as it stands, validated once per design
    // change, not on every render: drawn where they are on the canvas,
    // counted on the stage, and in full in the inspector. In a lesson, of
    // the design as it runs (the lesson's workload).
    let live_problems = {
        let doc = run_doc.clone();
        use_memo((editor.version, (*workspace).clone()), move |_| {
            match doc.validate() {
                Ok(d) => d.warnings,
                Err(p) => p.0,
            }
        })
    };
    // The selection's problems for the inspector, found when the design,
    // the selection or the language change (not on every tick).
    let selection_problems = {
        let (doc, problems, selected) = (
            run_doc.clone(),
            live_problems.clone(),
            editor.selected.clone(),
        );
        use_memo(
            (
                editor.version,
                (*workspace).clone(),
                editor.selected.clone(),
                lang,
            ),
            move |_| side::selection_problems(lang, &doc, &problems, selected.as_ref()),
        )
    };
    // A problem chosen from the list: what it concerns is selected and
    // brought into sight.
    let reveal = use_state(|| 0u64);
    let on_select_problem = {
        let (on_action, reveal) = (on_action.clone(), reveal.clone());
        Callback::from(move |sel: crate::state::Selection| {
            on_action.emit(Action::Select(Some(sel)));
            reveal.set(*reveal + 1);
        })
    };
    // A blank canvas has its own instructions: its problems (no users)
    // are listed only when Run was pressed.
    let held = driver.0.borrow().held() && snapshot.is_some();
    let problem_count = html! {
        <problems::ProblemCount {lang} {held} refused={*refused}
            problems={if run_doc.nodes.is_empty() && !*refused { Rc::new(Vec::new()) } else { live_problems.clone() }}
            doc={run_doc.clone()} on_dismiss={dismiss_problems} on_select={on_select_problem} />
    };

    // The log's rows, written by the simulation's side in the language of
    // the page whenever the log (or the language) changed.
    let log_rows = {
        driver.set_lang(lang);
        driver.0.borrow().log_rows().0
    };

    // A request's route: from a clicked failed (or stale) dot, or a node's
    // latest failure.
    let show_journey = {
        let (driver, journey) = (driver.clone(), journey.clone());
        move |found: Option<JourneyView>| {
            if found.is_some() && driver.0.borrow().exists() {
                journey.set(found);
            }
        }
    };
    let on_journey = {
        let (driver, show) = (driver.clone(), show_journey.clone());
        Callback::from(move |(request, sent): (u32, u64)| {
            let show = show.clone();
            driver.journey_of(request, sent, show);
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
            doc={run_doc.clone()}
            version={editor.version}
            selected={editor.selected_nodes()}
            selected_edge={editor.selected_edge()}
            selected_region={editor.selected_region()}
            {lang}
            driver={(*driver).clone()}
            on_action={on_action.clone()}
            fit_request={editor.loads}
            reveal_request={*reveal}
            embedded={mode.embed}
            problems={live_problems.clone()}
            on_tick={on_tick.clone()} />
    };
    if mode.embed {
        let full = embed::full_editor_link(&workspace, &editor.doc);
        let lesson_slug = workspace.lesson().map(|l| l.slug.clone());
        let example_key = embed::embedded_example(&mode);
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
                    { problem_count }
                </main>
                if let Some(slug) = lesson_slug {
                    { crate::panels::lesson::embed_card(&slug, lang) }
                } else if let Some(key) = example_key.clone() {
                    <aside class="embed-lesson">
                        { crate::panels::examples::example_card(&key, lang, "embed-example", Html::default()) }
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
        Some(Notice::Example(key)) => Some(crate::panels::examples::example_card(
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
    let notice = editor.notice.as_ref().map(|n| side::notice_text(lang, n));
    // The name of the design open in the sandbox, and the id open now.
    let design_name = designs.open_name(&workspace);
    let open_id = designs.open_id(&workspace);
    let on_export = {
        let (doc, name) = (doc.clone(), design_name.clone());
        Callback::from(move |_: MouseEvent| {
            crate::panels::file::export(&doc, name.as_deref());
        })
    };
    let lesson_action =
        designs.lesson_action(on_action.clone(), doc.clone(), workspace.lesson(), lang);
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
        <div class={classes!("app", sheet.map(Sheet::class))} data-sim-in={driver.runs_in()}>
            <Toolbar
                {lang}
                running={*running}
                speed={driver.0.borrow().speed()}
                pace={driver.0.borrow().pace()}
                starting={driver.starting()}
                unavailable={driver.unavailable().is_some()}
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
                <button id="designs" class="designs-button" title={Msg::DesignsTitle.text(lang)}
                    onclick={designs_ui.show.reform(|_: MouseEvent| true)}>
                    { Msg::Designs.text(lang) }
                    if let Some(name) = &design_name {
                        <span class="design-current">{ name.clone() }</span>
                    }
                </button>
                <FileMenu doc={doc.clone()} {lang} on_action={on_action.clone()} on_speed={on_speed.clone()}
                    on_open={on_open_new} name={design_name.clone()} />
            </Toolbar>
            <Palette {lang} {on_drop} {on_add} />
            <main class={classes!("stage", timeline.is_some().then_some("with-timebar"))}>
                if let Some(timeline) = timeline {
                    <TimeBar {timeline} now_s={snapshot.as_ref().map(|s| to_secs(s.now_ns))} {lang}
                        on_seek={on_seek.clone()} />
                }
                { designs::store_warning(*designs.store_error, lang, &on_export) }
                { large::large_warning(editor.doc.nodes.len(), *large_dismissed, lang, {
                    let large_dismissed = large_dismissed.clone();
                    Callback::from(move |_: MouseEvent| large_dismissed.set(true))
                }) }
                { canvas }
                { for journey_card }
                { problem_count }
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
                    <LessonPanel key={l.slug.clone()} slug={l.slug.clone()} doc={doc.clone()} version={editor.version} {lang}
                        progress={(*progress).clone()} on_progress={on_progress.clone()}
                        on_action={lesson_action} on_open={on_open_lesson.clone()}
                        on_map={on_map.clone()} on_leave={on_sandbox.clone()}
                        previous_design={course::previous(&l.slug).and_then(|p| persist::saved_lesson_design(&p.slug))} />
                }
                <Inspector node={selected_doc.clone()} {lang} on_action={on_action.clone()}
                    edge={editor.selected_edge().map(|i| editor.doc.edges[i].clone())}
                    region={editor.selected_region().map(|i| editor.doc.regions[i].clone())}
                    targets={selected_doc.as_ref().map(|n| side::targets(&editor.doc, n)).unwrap_or_default()}
                    edge_kinds={editor.selected_edge().and_then(|i| side::edge_kinds(&editor.doc, i))}
                    live_node={selected_doc.as_ref().and_then(|n| snapshot.as_ref()
                        .and_then(|s| s.nodes.iter().find(|m| m.id == n.id).cloned()))}
                    live_edge={editor.selected_edge().and_then(|i| {
                        let e = &editor.doc.edges[i];
                        let s = snapshot.as_ref()?;
                        let index = |id: &str| editor.doc.nodes.iter().position(|n| n.id == id);
                        let (a, b) = (index(&e.from)?, index(&e.to)?);
                        let rate = driver.0.borrow().rates()
                            .find(|r| r.0 == a && r.1 == b).map_or(0.0, |r| r.2);
                        Some((rate, s.nodes.iter().find(|m| m.id == e.to).cloned()))
                    })}
                    selected_count={editor.selected_nodes().len()}
                    problems={(*selection_problems).clone()}
                    locked={selected_doc.as_ref().and_then(|n| workspace.lesson().map(|l| side::lesson_locks(l, n))).unwrap_or_default()}
                    on_latest_failure={selected.filter(|&i| driver.0.borrow().has_failure(i)).map(|i| {
                        let (show, driver) = (show_journey.clone(), driver.clone());
                        Callback::from(move |()| {
                            let show = show.clone();
                            driver.latest_failure(i, show);
                        })
                    })}
                    live={snapshot.is_some()} on_operate={on_operate} />
                <Metrics snapshot={(*snapshot).clone()} {lang}
                    recent={driver.0.borrow().recent()}
                    shown_recent={driver.0.borrow().snapshot_recent()} {on_recent} />
            </aside>
            <SheetTabs {lang} open={*sheet} in_lesson={workspace.lesson().is_some()}
                selected={editor.selected.is_some()}
                on_toggle={{
                    let sheet = sheet.clone();
                    Callback::from(move |s: Sheet| sheet.set((*sheet != Some(s)).then_some(s)))
                }} />
            if *designs_open {
                <DesignList {lang} library={designs.library.borrow().clone()}
                    open_id={open_id} store_error={*designs.store_error}
                    on_open={designs_ui.open.clone()} on_new={designs_ui.new.clone()}
                    on_rename={designs_ui.rename.clone()} on_delete={designs_ui.delete.clone()}
                    on_close={designs_ui.show.reform(|()| false)} />
            }
            if let Some(welcome) = *map_open {
                <CourseMap {lang} progress={(*progress).clone()} {welcome} unknown_link={*unknown_link}
                    current={workspace.lesson().map(|l| l.slug.clone())}
                    on_open={on_open_lesson} on_sandbox={on_sandbox} on_close={close_map} />
            }
        </div>
    }
}
