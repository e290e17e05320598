//! The list of designs: every design kept in this browser with its picture,
//! name, when it was saved and its size; open, rename, delete, or start a
//! new one. Lessons' work is listed apart and opens its lesson.

use crate::course;
use crate::i18n::{Lang, Msg};
use crate::library::{Entry, Library, THUMB_H, THUMB_W, Thumb};
use crate::panels::lesson::text;
use crate::persist::StoreError;
use web_sys::HtmlInputElement;
use yew::prelude::*;

/// Properties of [`DesignList`].
#[derive(Properties, PartialEq)]
pub struct DesignListProps {
    /// UI language.
    pub lang: Lang,
    /// The list.
    pub library: Library,
    /// The id of the design open now (a lesson's work: `lesson:` and slug).
    #[prop_or_default]
    pub open_id: Option<String>,
    /// Why the browser is not keeping the work, if it is not.
    #[prop_or_default]
    pub store_error: Option<StoreError>,
    /// Opens a design, by id.
    pub on_open: Callback<String>,
    /// Starts a new empty design.
    pub on_new: Callback<()>,
    /// Renames a design: id, new name.
    pub on_rename: Callback<(String, String)>,
    /// Deletes a design, by id.
    pub on_delete: Callback<String>,
    /// Closes the list.
    pub on_close: Callback<()>,
}

/// When `ms` [ms since the Unix epoch] was, as the reader's locale writes a
/// date and time.
pub fn when(ms: f64, lang: Lang) -> String {
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"dateStyle".into(), &"medium".into());
    let _ = js_sys::Reflect::set(&options, &"timeStyle".into(), &"short".into());
    js_sys::Date::new(&ms.into())
        .to_locale_string(lang.tag(), &options)
        .into()
}

/// A design's small picture.
pub fn thumbnail(thumb: &Thumb) -> Html {
    let node = |i: u16| thumb.nodes.get(i as usize).map(|&(x, y, _)| (x, y));
    html! {
        <svg class="thumb" viewBox={format!("0 0 {THUMB_W} {THUMB_H}")} aria-hidden="true">
            { for thumb.boxes.iter().map(|[x, y, w, h]| html! {
                <rect class="thumb-dc" x={x.to_string()} y={y.to_string()}
                    width={w.to_string()} height={h.to_string()} rx="2" />
            }) }
            { for thumb.edges.iter().filter_map(|[a, b]| {
                let ((x1, y1), (x2, y2)) = (node(*a)?, node(*b)?);
                Some(html! { <line class="thumb-edge" x1={x1.to_string()} y1={y1.to_string()}
                    x2={x2.to_string()} y2={y2.to_string()} /> })
            }) }
            { for thumb.nodes.iter().map(|&(x, y, kind)| html! {
                <circle cx={x.to_string()} cy={y.to_string()} r="3.2"
                    fill={crate::kinds::colour(kind)} />
            }) }
        </svg>
    }
}

/// The name shown for an entry: its own, or its lesson's number and title.
pub fn shown_name(entry: &Entry, lang: Lang) -> String {
    match entry.lesson().and_then(course::find) {
        Some(l) => format!(
            "{} {} · {}",
            Msg::LessonOf.text(lang),
            l.info.number,
            text(lang, &l.info.title)
        ),
        None => entry.name.clone(),
    }
}

/// The list of designs, as a dialog.
#[function_component(DesignList)]
pub fn design_list(props: &DesignListProps) -> Html {
    let lang = props.lang;
    // The row being renamed, and the row asked to confirm a delete.
    let renaming = use_state(|| None::<String>);
    let deleting = use_state(|| None::<String>);
    let onkeydown = {
        let (on_close, renaming) = (props.on_close.clone(), renaming.clone());
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" {
                if renaming.is_some() {
                    renaming.set(None);
                } else {
                    on_close.emit(());
                }
            }
        })
    };
    let row = |entry: &Entry| -> Html {
        let id = entry.id.clone();
        let is_open = props.open_id.as_deref() == Some(entry.id.as_str());
        let name = shown_name(entry, lang);
        let meta = format!(
            "{} {} · {} {}",
            Msg::SavedAt.text(lang),
            when(entry.updated_ms, lang),
            crate::i18n::count(entry.nodes as u64),
            Msg::ComponentsCount.text(lang)
        );
        let open = {
            let id = id.clone();
            props.on_open.reform(move |_: MouseEvent| id.clone())
        };
        let body = if renaming.as_deref() == Some(entry.id.as_str()) {
            let commit = {
                let (id, on_rename, renaming) =
                    (id.clone(), props.on_rename.clone(), renaming.clone());
                move |input: HtmlInputElement| {
                    on_rename.emit((id.clone(), input.value()));
                    renaming.set(None);
                }
            };
            let on_key = {
                let commit = commit.clone();
                Callback::from(move |e: KeyboardEvent| {
                    if e.key() == "Enter" {
                        commit(e.target_unchecked_into());
                    }
                })
            };
            let on_blur = Callback::from(move |e: FocusEvent| commit(e.target_unchecked_into()));
            html! {
                <div class="design-open">
                    { thumbnail(&entry.thumb) }
                    <input class="design-rename" value={entry.name.clone()} autofocus=true
                        aria-label={Msg::DesignName.text(lang)} maxlength="80"
                        onkeydown={on_key} onblur={on_blur} />
                </div>
            }
        } else {
            html! {
                <button class="design-open" onclick={open}
                    title={format!("{} · {name}", Msg::OpenDesign.text(lang))}>
                    { thumbnail(&entry.thumb) }
                    <span class="design-text">
                        <span class="design-name">{ name.clone() }</span>
                        <span class="design-meta">{ meta }</span>
                    </span>
                </button>
            }
        };
        let actions = if deleting.as_deref() == Some(entry.id.as_str()) {
            let confirm = {
                let (id, on_delete, deleting) =
                    (id.clone(), props.on_delete.clone(), deleting.clone());
                Callback::from(move |_: MouseEvent| {
                    on_delete.emit(id.clone());
                    deleting.set(None);
                })
            };
            let cancel = {
                let deleting = deleting.clone();
                Callback::from(move |_: MouseEvent| deleting.set(None))
            };
            html! {
                <>
                    <button class="small danger design-delete-sure" onclick={confirm}>
                        { Msg::DeleteDesignSure.text(lang) }</button>
                    <button class="small" onclick={cancel}>{ Msg::Dismiss.text(lang) }</button>
                </>
            }
        } else {
            let rename = {
                let (id, renaming) = (id.clone(), renaming.clone());
                Callback::from(move |_: MouseEvent| renaming.set(Some(id.clone())))
            };
            let delete = {
                let (id, deleting) = (id.clone(), deleting.clone());
                Callback::from(move |_: MouseEvent| deleting.set(Some(id.clone())))
            };
            // The lesson open now keeps its work (start it over from the
            // lesson instead).
            let can_delete = !(is_open && entry.lesson().is_some());
            html! {
                <>
                    if entry.lesson().is_none() {
                        <button class="small design-rename-button" onclick={rename}
                            aria-label={format!("{} · {name}", Msg::RenameDesign.text(lang))}>
                            { Msg::RenameDesign.text(lang) }</button>
                    }
                    if can_delete {
                        <button class="small design-delete" onclick={delete}
                            aria-label={format!("{} · {name}", Msg::DeleteDesign.text(lang))}>
                            { Msg::DeleteDesign.text(lang) }</button>
                    }
                </>
            }
        };
        html! {
            <li class={classes!("design-row", is_open.then_some("open"))} data-id={id.clone()}
                aria-current={is_open.then_some("true")}>
                { body }
                if is_open { <span class="badge">{ Msg::OpenNow.text(lang) }</span> }
                <span class="design-actions">{ actions }</span>
            </li>
        }
    };
    let designs = props.library.designs();
    let lessons = props.library.lessons();
    let warning = props.store_error.map(|e| {
        html! { <p class="refused" role="alert">{ e.message().text(lang) }</p> }
    });
    let body = html! {
        <>
                <p class="intro">{ Msg::DesignsIntro.text(lang) }</p>
                { for warning }
                <div class="map-actions">
                    <button class="primary" id="new-design"
                        onclick={props.on_new.reform(|_: MouseEvent| ())}>
                        { format!("+ {}", Msg::NewDesign.text(lang)) }</button>
                </div>
                if designs.is_empty() {
                    <p class="hint" id="no-designs">{ Msg::NoDesignsYet.text(lang) }</p>
                } else {
                    <ul class="designs" id="designs-mine">{ for designs.into_iter().map(row) }</ul>
                }
                if !lessons.is_empty() {
                    <h2>{ Msg::LessonWork.text(lang) }</h2>
                    <ul class="designs" id="designs-lessons">{ for lessons.into_iter().map(row) }</ul>
                }
        </>
    };
    super::modal(
        "design-list",
        Msg::DesignsTitle.text(lang),
        lang,
        &props.on_close,
        onkeydown,
        body,
    )
}
