//! The file menu: opening a built-in example, import and export of design
//! files, and share links. Every way in goes through the same design format
//! and the same checks; a design that cannot be read replaces nothing.

use super::examples::{EXAMPLES, example, find_example};
use crate::i18n::{Lang, Msg};
use crate::share;
use crate::state::{Action, Notice};
use scalesim::design::DesignDoc;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{HtmlAnchorElement, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;
/// The link that opens `doc` on this page.
pub fn share_link(doc: &DesignDoc) -> String {
    let loc = gloo::utils::window().location();
    let base = format!(
        "{}{}{}",
        loc.origin().unwrap_or_default(),
        loc.pathname().unwrap_or_default(),
        loc.search().unwrap_or_default()
    );
    format!("{base}#{}", share::encode(doc))
}

/// Properties of [`FileMenu`].
#[derive(Properties, PartialEq)]
pub struct FileMenuProps {
    /// The design (for export and share).
    pub doc: std::rc::Rc<DesignDoc>,
    /// UI language.
    pub lang: Lang,
    /// Receives loads and notices.
    pub on_action: Callback<Action>,
    /// Receives the speed an opened example runs best at.
    #[prop_or_default]
    pub on_speed: Callback<f64>,
    /// Opens a design from an example or a file as a new design: the
    /// design, its name, and the notice to show.
    pub on_open: Callback<(DesignDoc, String, Notice)>,
    /// The open design's name (it names the exported file).
    #[prop_or_default]
    pub name: Option<String>,
}

/// The file menu.
#[function_component(FileMenu)]
pub fn file_menu(props: &FileMenuProps) -> Html {
    let lang = props.lang;
    let file_input = use_node_ref();
    let reader: Rc<RefCell<Option<gloo::file::callbacks::FileReader>>> = use_mut_ref(|| None);
    let link = use_state(|| None::<String>);

    let on_example = {
        let (on_open, on_speed) = (props.on_open.clone(), props.on_speed.clone());
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            let key = select.value();
            if let (Some(doc), Some(ex)) = (example(&key), find_example(&key)) {
                let name = lang.pick(ex.name).to_string();
                on_open.emit((doc, name, Notice::Example(ex.key)));
                on_speed.emit(ex.speed);
            }
            select.set_value("");
        })
    };
    let on_import_click = {
        let file_input = file_input.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(input) = file_input.cast::<HtmlInputElement>() {
                input.click();
            }
        })
    };
    let on_file = {
        let (on_action, on_open, reader) = (
            props.on_action.clone(),
            props.on_open.clone(),
            reader.clone(),
        );
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            let name = file.name();
            let (on_action, on_open) = (on_action.clone(), on_open.clone());
            let task = gloo::file::callbacks::read_as_text(&file.into(), move |text| {
                let parsed = text
                    .map_err(|_| None)
                    .and_then(|t| DesignDoc::from_json(&t).map_err(Some));
                match parsed {
                    Ok(doc) => on_open.emit((
                        doc,
                        crate::library::name_from_file(&name),
                        Notice::Text(Msg::Imported),
                    )),
                    Err(problems) => on_action.emit(Action::Notify(Notice::Refused {
                        heading: Msg::ImportFailed,
                        subject: name,
                        problems: problems.map(|p| p.0).unwrap_or_default(),
                    })),
                }
            });
            *reader.borrow_mut() = Some(task);
            input.set_value(""); // the same file can be chosen again
        })
    };
    let on_export = {
        let (doc, name) = (props.doc.clone(), props.name.clone());
        Callback::from(move |_: MouseEvent| export(&doc, name.as_deref()))
    };
    let on_share = {
        let (doc, link) = (props.doc.clone(), link.clone());
        Callback::from(move |_: MouseEvent| {
            let url = share_link(&doc);
            // Copying may be refused (permissions, sandboxed iframes); the
            // link is shown to copy by hand either way.
            let _ = gloo::utils::window()
                .navigator()
                .clipboard()
                .write_text(&url);
            link.set(Some(url));
        })
    };
    let close_link = {
        let link = link.clone();
        Callback::from(move |_: MouseEvent| link.set(None))
    };

    html! {
        <div class="file-menu">
            <select id="examples" aria-label={Msg::Examples.text(lang)} onchange={on_example}>
                <option value="" selected=true>{ Msg::Examples.text(lang) }</option>
                { for EXAMPLES.iter().map(|e| html! {
                    <option value={e.key}>{ lang.pick(e.name) }</option>
                }) }
            </select>
            <button id="import" onclick={on_import_click}>{ Msg::Import.text(lang) }</button>
            <input ref={file_input} id="import-file" type="file" accept=".json,application/json"
                hidden=true onchange={on_file} />
            <button id="export" onclick={on_export}>{ Msg::Export.text(lang) }</button>
            <button id="share" onclick={on_share}>{ Msg::Share.text(lang) }</button>
            if let Some(url) = &*link {
                <div class="share-popover" role="dialog" aria-label={Msg::Share.text(lang)}>
                    <p>{ Msg::ShareHint.text(lang) }</p>
                    <input id="share-link" readonly=true value={url.clone()}
                        onfocus={Callback::from(|e: FocusEvent| {
                            let i: HtmlInputElement = e.target_unchecked_into();
                            i.select();
                        })} />
                    <button class="small" onclick={close_link}>{ Msg::Dismiss.text(lang) }</button>
                </div>
            }
        </div>
    }
}

/// Offers `doc` as a file download, named after the design's `name`.
pub fn export(doc: &DesignDoc, name: Option<&str>) {
    let file = name.map_or_else(
        || "scale-lab-design.json".to_string(),
        crate::library::file_name,
    );
    download(&file, &doc.to_json());
}

/// Offers `text` as a file download named `name`.
fn download(name: &str, text: &str) {
    let blob = gloo::file::Blob::new_with_options(text, Some("application/json"));
    let url = gloo::file::ObjectUrl::from(blob);
    let document = gloo::utils::document();
    if let Ok(a) = document.create_element("a")
        && let Ok(a) = a.dyn_into::<HtmlAnchorElement>()
    {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    // `url` is revoked when dropped, after the click has started the download.
}
