//! The course map: every lesson with what it is about and where the learner
//! stands (done, up next), the way into any of them, and the free sandbox.
//! For a newcomer it is also the welcome: what Scale Lab is, and one button
//! to start.

use crate::course::{self, Progress, Status};
use crate::i18n::{Lang, Msg};
use crate::panels::lesson::text;
use yew::prelude::*;

/// Properties of [`CourseMap`].
#[derive(Properties, PartialEq)]
pub struct CourseMapProps {
    /// UI language.
    pub lang: Lang,
    /// The course progress.
    pub progress: Progress,
    /// The lesson open now, if any.
    #[prop_or_default]
    pub current: Option<String>,
    /// Shown to a newcomer: with the welcome text.
    #[prop_or_default]
    pub welcome: bool,
    /// Opened because a link named a lesson this version does not have.
    #[prop_or_default]
    pub unknown_link: bool,
    /// Opens a lesson, by slug.
    pub on_open: Callback<String>,
    /// Opens the free sandbox.
    pub on_sandbox: Callback<()>,
    /// Closes the map (back to where the learner was).
    pub on_close: Callback<()>,
}

/// The course map.
#[function_component(CourseMap)]
pub fn course_map(props: &CourseMapProps) -> Html {
    let lang = props.lang;
    let p = &props.progress;
    let done = course::lessons()
        .iter()
        .filter(|l| p.passed.contains(&l.slug))
        .count();
    let next = p.current();
    let onkeydown = {
        let on_close = props.on_close.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                on_close.emit(());
            }
        })
    };
    let start = next.map(|l| {
        let slug = l.slug.clone();
        let label = if p.passed.is_empty() {
            Msg::WelcomeStart.text(lang).to_string()
        } else {
            format!(
                "{} — {} {}",
                Msg::WelcomeContinue.text(lang),
                Msg::LessonOf.text(lang),
                l.info.number
            )
        };
        (
            label,
            props.on_open.reform(move |_: MouseEvent| slug.clone()),
        )
    });
    let title = if props.welcome {
        Msg::WelcomeTitle.text(lang)
    } else {
        Msg::CourseTitle.text(lang)
    };
    let body = html! {
        <>
                if props.unknown_link {
                    <p class="refused" id="course-map-unknown" role="alert">{ Msg::NoSuchLessonMap.text(lang) }</p>
                }
                <p class="intro">
                    { if props.welcome { Msg::WelcomeText.text(lang) } else { Msg::CourseIntro.text(lang) } }
                </p>
                <div class="map-actions">
                    if let Some((label, onclick)) = start {
                        <button class="primary" id="course-start" {onclick}>{ label }</button>
                    }
                    <button class="small" id="course-sandbox" title={Msg::SandboxHint.text(lang)}
                        onclick={props.on_sandbox.reform(|_: MouseEvent| ())}>{ Msg::Sandbox.text(lang) }</button>
                    <span class="hint" id="course-progress">
                        { format!("{done} / {} {}", course::lessons().len(), Msg::CourseProgress.text(lang)) }
                    </span>
                </div>
                <ol class="lessons" id="course-lessons">
                    { for course::lessons().iter().map(|l| {
                        let status = p.status(&l.slug);
                        let here = props.current.as_deref() == Some(l.slug.as_str());
                        let slug = l.slug.clone();
                        let onclick = props.on_open.reform(move |_: MouseEvent| slug.clone());
                        let (class, badge) = match status {
                            Status::Done => ("done", format!("✓ {}", Msg::LessonDone.text(lang))),
                            Status::Current => ("current", format!("→ {}", Msg::LessonUpNext.text(lang))),
                            Status::Ahead => ("ahead", String::new()),
                        };
                        html! {
                            <li class={classes!(class, here.then_some("here"))} data-lesson={l.slug.clone()}
                                data-status={class}>
                                <button class="lesson-link" {onclick}>
                                    <span class="number">{ l.info.number }</span>
                                    <span class="title">{ text(lang, &l.info.title) }</span>
                                    if !badge.is_empty() { <span class="badge">{ badge }</span> }
                                </button>
                            </li>
                        }
                    }) }
                </ol>
        </>
    };
    super::modal("course-map", title, lang, &props.on_close, onkeydown, body)
}
