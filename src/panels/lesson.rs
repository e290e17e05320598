//! The lesson panel: the story, what to watch, the goals, *Check* (the
//! grader run in a Web Worker, or where there is none in slices between
//! frames, with a progress bar; see `grading`), each goal's result with its
//! measured figure, hints one at a time, and after a pass why it worked and
//! a self-check question.

use crate::course::{self, Progress, ProgressAction};
use crate::grading::{self, Reply};
use crate::i18n::{Lang, Msg, problem};
use crate::state::Action;
#[cfg(target_arch = "wasm32")]
use gloo::timers::callback::Timeout;
use scalesim::design::{DesignDoc, Problem};
use scalesim::lesson::{Grade, LessonError, Texts};
use yew::prelude::*;

/// A text in the UI language.
pub fn text(lang: Lang, t: &Texts) -> &str {
    match lang {
        Lang::En => &t.en,
        Lang::Ko => &t.ko,
    }
}

/// Where *Check* stands.
#[derive(Debug, Clone, PartialEq)]
enum Checking {
    /// Not run for this version of the design.
    Idle,
    /// Running: the share simulated, 0..=1.
    Running(f64),
    /// Done: the grade, and the nodes whose settings the lesson replaced.
    Done(Grade, Vec<String>),
    /// The design cannot be graded for this lesson: why.
    Refused(Vec<Problem>),
    /// It could be graded nowhere (the engine could not load): why.
    Failed(String),
}

/// Properties of [`LessonPanel`].
#[derive(Properties, PartialEq)]
pub struct LessonProps {
    /// The lesson's slug.
    pub slug: String,
    /// The learner's design now.
    pub doc: std::rc::Rc<DesignDoc>,
    /// Its change counter: results are for one version.
    pub version: u64,
    /// UI language.
    pub lang: Lang,
    /// The course progress.
    pub progress: Progress,
    /// Receives changes to the progress (a pass, a hint, an answer).
    pub on_progress: Callback<ProgressAction>,
    /// Receives edits (starting over, using an earlier design).
    pub on_action: Callback<Action>,
    /// Opens another lesson, by slug.
    pub on_open: Callback<String>,
    /// Opens the course map.
    pub on_map: Callback<()>,
    /// Goes back to the free sandbox.
    pub on_leave: Callback<()>,
    /// The learner's own design of the previous lesson, if they have one.
    #[prop_or_default]
    pub previous_design: Option<DesignDoc>,
}

/// Where the last check was graded: `worker` or `page` (the lesson
/// section's `data-graded-in`).
fn graded_in(worker: bool) -> &'static str {
    if worker { "worker" } else { "page" }
}

/// The lesson panel.
#[function_component(LessonPanel)]
pub fn lesson_panel(props: &LessonProps) -> Html {
    let lang = props.lang;
    let state = use_state(|| Checking::Idle);
    // The check under way, numbered so that a deferred stop stops only the
    // job it was meant for.
    #[cfg(target_arch = "wasm32")]
    let job = use_mut_ref(|| None::<(u64, grading::Job)>);
    #[cfg(target_arch = "wasm32")]
    let jobs_started = use_mut_ref(|| 0u64);
    let worker_used = use_state(|| None::<bool>);
    // Leaving the lesson stops a check still under way (and breaks the
    // cycle between the job and its handlers).
    #[cfg(target_arch = "wasm32")]
    {
        let job = job.clone();
        use_effect_with((), move |_| move || drop(job.borrow_mut().take()));
    }
    // A new version of the design (or another lesson) makes earlier
    // results stale: they go, and a check under way stops.
    {
        let state = state.clone();
        #[cfg(target_arch = "wasm32")]
        let job = job.clone();
        use_effect_with((props.version, props.slug.clone()), move |_| {
            #[cfg(target_arch = "wasm32")]
            job.borrow_mut().take();
            state.set(Checking::Idle);
        });
    }
    let Some(lesson) = course::find(&props.slug) else {
        return Html::default();
    };
    let info = &lesson.info;
    let slug = lesson.slug.clone();
    let total = course::lessons().len();

    let on_check = {
        let state = state.clone();
        #[cfg(target_arch = "wasm32")]
        let (job, jobs_started) = (job.clone(), jobs_started.clone());
        let worker_used = worker_used.clone();
        let (doc, on_progress) = (props.doc.clone(), props.on_progress.clone());
        let slug = slug.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(lesson) = course::find(&slug) else {
                return;
            };
            // Refused at once, in the page, when the design cannot be
            // graded for this lesson: the problems are shown.
            match lesson.can_grade(&doc) {
                Ok(()) => {}
                Err(LessonError::Design(p)) => return state.set(Checking::Refused(p)),
                Err(LessonError::BadLesson(_)) => return state.set(Checking::Refused(Vec::new())),
            }
            let Some(file) = course::FILES.iter().find(|f| f.slug == slug) else {
                return state.set(Checking::Refused(Vec::new()));
            };
            let request = grading::Request {
                slug: slug.clone(),
                lesson: file.json.to_string(),
                design: doc.to_json(),
            };
            state.set(Checking::Running(0.0));
            let overridden = lesson.overridden(&doc);
            let on_reply = {
                let (state, on_progress, slug) = (state.clone(), on_progress.clone(), slug.clone());
                let worker_used = worker_used.clone();
                move |reply: Reply, in_worker: bool| match reply {
                    Reply::Progress(p) => state.set(Checking::Running(p)),
                    Reply::Done(grade) => {
                        worker_used.set(Some(in_worker));
                        if grade.passed {
                            on_progress.emit(ProgressAction::Pass(slug.clone()));
                        }
                        state.set(Checking::Done(grade, overridden.clone()));
                    }
                    Reply::Failed(why) => state.set(Checking::Failed(why)),
                    Reply::Ready => {}
                }
            };
            #[cfg(target_arch = "wasm32")]
            {
                let number = {
                    let mut n = jobs_started.borrow_mut();
                    *n += 1;
                    *n
                };
                // Stops this job once the handler that calls it has
                // returned (a handler cannot drop its own worker).
                let stop_later = {
                    let job = job.clone();
                    move || {
                        let job = job.clone();
                        Timeout::new(0, move || {
                            let mut j = job.borrow_mut();
                            if j.as_ref().is_some_and(|(n, _)| *n == number) {
                                j.take();
                            }
                        })
                        .forget();
                    }
                };
                let started = grading::Job::start(&request, move |reply, in_worker| {
                    let over = matches!(reply, Reply::Done(_) | Reply::Failed(_));
                    on_reply(reply, in_worker);
                    if over {
                        stop_later();
                    }
                });
                *job.borrow_mut() = Some((number, started));
            }
            // Natively (tests of other parts build this panel), at once.
            #[cfg(not(target_arch = "wasm32"))]
            on_reply(grading::run(&request, |_| {}), false);
        })
    };

    let results: Option<&Grade> = match &*state {
        Checking::Done(g, _) => Some(g),
        _ => None,
    };
    let goals = info.goals.iter().enumerate().map(|(i, goal)| {
        let r = results.and_then(|g| g.goals.get(i));
        let (mark, class) = match r {
            None => ("○", ""),
            Some(r) if r.passed => ("✓", "met"),
            Some(_) => ("✗", "missed"),
        };
        let measured = r.map(|r| match r.value {
            Ok(v) => format!(
                "{}: {}",
                Msg::LessonMeasured.text(lang),
                r.goal.metric.format_in(v, lang == Lang::Ko)
            ),
            Err(why) => lang.pick(why.text()).to_string(),
        });
        html! {
            <li class={classes!("goal", class)} data-goal={i.to_string()}>
                <span class="mark" aria-hidden="true">{ mark }</span>
                <span>
                    { goal.describe(lang == Lang::Ko) }
                    if let Some(m) = measured {
                        <span class="measured">{ m }</span>
                    }
                </span>
            </li>
        }
    });

    let shown = props.progress.hints_shown(&slug).min(info.hints.len());
    let on_hint = {
        let (slug, n) = (slug.clone(), info.hints.len());
        props
            .on_progress
            .reform(move |_: MouseEvent| ProgressAction::RevealHint(slug.clone(), n))
    };
    let passed_now = results.is_some_and(|g| g.passed);
    let passed_before = props.progress.passed.contains(&slug);
    let answer = props.progress.answers.get(&slug).copied();
    let choose = |i: usize| {
        let slug = slug.clone();
        props
            .on_progress
            .reform(move |_: MouseEvent| ProgressAction::Answer(slug.clone(), i))
    };
    let start_over = {
        let design = lesson.design.clone();
        props
            .on_action
            .reform(move |_: MouseEvent| Action::Load(design.clone()))
    };
    let use_previous = props.previous_design.clone().map(|d| {
        props
            .on_action
            .reform(move |_: MouseEvent| Action::Load(d.clone()))
    });
    let next = course::next(&lesson.slug).map(|n| {
        let slug = n.slug.clone();
        (n, props.on_open.reform(move |_: MouseEvent| slug.clone()))
    });
    let running = matches!(&*state, Checking::Running(_));

    html! {
        <section class="lesson" id="lesson" aria-label={format!("{} {}", Msg::LessonOf.text(lang), info.number)}
            data-lesson={lesson.slug.clone()} data-graded-in={worker_used.map(graded_in)}>
            <div class="lesson-head">
                <span class="lesson-number">{ format!("{} {} / {total}", Msg::LessonOf.text(lang), info.number) }</span>
                <button class="link" id="course-map-link" onclick={props.on_map.reform(|_: MouseEvent| ())}>
                    { Msg::Course.text(lang) }
                </button>
            </div>
            <h2 class="lesson-title">
                { text(lang, &info.title) }
                if passed_before { <span class="badge done">{ format!("✓ {}", Msg::LessonDone.text(lang)) }</span> }
            </h2>
            <details open={true} class="lesson-story">
                <summary>{ Msg::LessonStory.text(lang) }</summary>
                <p>{ text(lang, &info.story) }</p>
            </details>
            <details class="lesson-watch">
                <summary>{ Msg::LessonWatch.text(lang) }</summary>
                <p>{ text(lang, &info.watch) }</p>
            </details>
            <h3>{ Msg::LessonGoals.text(lang) }</h3>
            <ul class="goals" id="lesson-goals">{ for goals }</ul>
            <div class="check-row">
                <button class="primary" id="lesson-check" onclick={on_check} disabled={running}
                    title={Msg::LessonCheckHint.text(lang)}>
                    { Msg::LessonCheck.text(lang) }
                </button>
                if let Checking::Running(p) = &*state {
                    <progress id="check-progress" max="100" value={format!("{:.0}", p * 100.0)}></progress>
                    <span class="hint">{ format!("{} {:.0} %", Msg::LessonChecking.text(lang), p * 100.0) }</span>
                }
            </div>
            { match &*state {
                Checking::Done(g, overridden) => html! {
                    <>
                        <p id="lesson-verdict" class={classes!("verdict", if g.passed { "passed" } else { "failed" })} role="status">
                            { if g.passed {
                                Msg::LessonPassed.text(lang).to_string()
                            } else {
                                format!("{}: {} / {} {}", Msg::LessonNotYet.text(lang),
                                    g.goals.iter().filter(|r| r.passed).count(), g.goals.len(),
                                    Msg::LessonGoalsMet.text(lang))
                            } }
                        </p>
                        if !overridden.is_empty() {
                            <p class="hint" id="lesson-overridden">
                                { format!("{}: {}", Msg::LessonOverridden.text(lang), overridden.join(", ")) }
                            </p>
                        }
                    </>
                },
                Checking::Refused(problems) => html! {
                    <div id="lesson-refused" class="refused" role="alert">
                        <strong>{ Msg::LessonRefused.text(lang) }</strong>
                        <ul>{ for problems.iter().map(|p| html! { <li>{ problem(lang, p) }</li> }) }</ul>
                    </div>
                },
                Checking::Failed(why) => html! {
                    <div id="lesson-failed" class="refused" role="alert" title={why.clone()}>
                        <strong>{ Msg::EngineUnavailable.text(lang) }</strong>
                    </div>
                },
                _ => Html::default(),
            } }
            if passed_now || passed_before {
                <div class="after-pass" id="lesson-why">
                    <h3>{ Msg::LessonWhy.text(lang) }</h3>
                    <p>{ text(lang, &info.why) }</p>
                    <h3>{ Msg::LessonSelfCheck.text(lang) }</h3>
                    <p class="question">{ text(lang, &info.check.question) }</p>
                    <ul class="choices" id="self-check">
                        { for info.check.choices.iter().enumerate().map(|(i, c)| {
                            let picked = answer == Some(i);
                            let class = match (picked, i == info.check.answer) {
                                (true, true) => "right",
                                (true, false) => "wrong",
                                _ => "",
                            };
                            html! {
                                <li><button class={classes!("choice", class)} aria-pressed={picked.to_string()}
                                    data-choice={i.to_string()} onclick={choose(i)}>{ text(lang, c) }</button></li>
                            }
                        }) }
                    </ul>
                    if let Some(a) = answer {
                        <p class="explain" id="self-check-explain">
                            <strong>{ if a == info.check.answer { Msg::LessonRight.text(lang) } else { Msg::LessonWrong.text(lang) } }</strong>
                            { " " }{ text(lang, &info.check.explain) }
                        </p>
                    }
                    if let Some((n, onclick)) = next {
                        <button class="primary" id="lesson-next" {onclick}>
                            { format!("{} {}: {} →", Msg::LessonNext.text(lang), n.info.number, text(lang, &n.info.title)) }
                        </button>
                    }
                </div>
            }
            <div class="hints" id="lesson-hints">
                <ol>
                    { for info.hints.iter().take(shown).map(|h| html! { <li>{ text(lang, h) }</li> }) }
                </ol>
                if shown < info.hints.len() {
                    <button class="small" id="lesson-hint" onclick={on_hint}>
                        { format!("{} ({} / {})", Msg::LessonHint.text(lang), shown + 1, info.hints.len()) }
                    </button>
                } else {
                    <p class="hint">{ Msg::LessonHintsAll.text(lang) }</p>
                }
            </div>
            <div class="lesson-actions">
                <button class="link" id="lesson-start-over" title={Msg::LessonStartOverHint.text(lang)}
                    onclick={start_over}>{ Msg::LessonStartOver.text(lang) }</button>
                if let Some(onclick) = use_previous {
                    <button class="link" id="lesson-use-previous" {onclick}>{ Msg::LessonUsePrevious.text(lang) }</button>
                }
                <button class="link" id="lesson-leave" onclick={props.on_leave.reform(|_: MouseEvent| ())}>
                    { Msg::LessonLeave.text(lang) }
                </button>
            </div>
        </section>
    }
}

/// A lesson's card in an embed: its title, story and goals, over the
/// canvas (the full editor, one click away, has the rest).
pub fn embed_card(slug: &str, lang: Lang) -> Html {
    let Some(lesson) = course::find(slug) else {
        return Html::default();
    };
    let info = &lesson.info;
    html! {
        <section class="embed-lesson" id="embed-lesson" data-lesson={lesson.slug.clone()}
            aria-label={format!("{} {}", Msg::LessonOf.text(lang), info.number)}>
            <details open={true}>
                <summary>
                    <strong>{ format!("{} {}: {}", Msg::LessonOf.text(lang), info.number, text(lang, &info.title)) }</strong>
                </summary>
                <p>{ text(lang, &info.story) }</p>
                <h2>{ Msg::LessonGoals.text(lang) }</h2>
                <ul class="goals">
                    { for info.goals.iter().map(|g| html! {
                        <li class="goal"><span class="mark" aria-hidden="true">{ "○" }</span><span>{ g.describe(lang == Lang::Ko) }</span></li>
                    }) }
                </ul>
                <p class="hint">{ text(lang, &info.watch) }</p>
            </details>
        </section>
    }
}
