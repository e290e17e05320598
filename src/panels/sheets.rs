//! On a phone or a small tablet the canvas gets the screen, and the panels
//! around it become sheets that slide up over its lower part, one at a
//! time, from a row of tabs at the bottom. (On a wide screen the tabs are
//! hidden and every panel has its own place; see `www/style.css`.)

use crate::i18n::{Lang, Msg};
use yew::prelude::*;

/// A panel shown as a sheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sheet {
    /// The lesson (in a lesson).
    Lesson,
    /// The component palette.
    Palette,
    /// The inspector (and the problem list).
    Inspector,
    /// The figures.
    Figures,
    /// The charts and the event log.
    Drawer,
}

impl Sheet {
    /// The CSS class the app carries while this sheet is open.
    pub fn class(self) -> &'static str {
        match self {
            Sheet::Lesson => "sheet-lesson",
            Sheet::Palette => "sheet-palette",
            Sheet::Inspector => "sheet-inspector",
            Sheet::Figures => "sheet-figures",
            Sheet::Drawer => "sheet-drawer",
        }
    }

    fn label(self) -> Msg {
        match self {
            Sheet::Lesson => Msg::LessonTab,
            Sheet::Palette => Msg::Palette,
            Sheet::Inspector => Msg::Inspector,
            Sheet::Figures => Msg::Metrics,
            Sheet::Drawer => Msg::ChartsTab,
        }
    }

    fn id(self) -> &'static str {
        match self {
            Sheet::Lesson => "tab-lesson",
            Sheet::Palette => "tab-palette",
            Sheet::Inspector => "tab-inspector",
            Sheet::Figures => "tab-figures",
            Sheet::Drawer => "tab-drawer",
        }
    }
}

/// Properties of [`SheetTabs`].
#[derive(Properties, PartialEq)]
pub struct SheetTabsProps {
    /// UI language.
    pub lang: Lang,
    /// The sheet open now.
    pub open: Option<Sheet>,
    /// Whether the learner is in a lesson (then it has a tab).
    pub in_lesson: bool,
    /// Whether something is selected (the inspector's tab shows a dot).
    pub selected: bool,
    /// Opens a sheet, or closes it if it is open.
    pub on_toggle: Callback<Sheet>,
}

/// The row of tabs that opens the sheets.
#[function_component(SheetTabs)]
pub fn sheet_tabs(props: &SheetTabsProps) -> Html {
    let lang = props.lang;
    let tabs = [
        Sheet::Lesson,
        Sheet::Palette,
        Sheet::Inspector,
        Sheet::Figures,
        Sheet::Drawer,
    ];
    html! {
        <nav class="sheet-tabs" aria-label={Msg::Panels.text(lang)}>
            { for tabs.into_iter().filter(|s| props.in_lesson || *s != Sheet::Lesson).map(|s| {
                let open = props.open == Some(s);
                let dot = s == Sheet::Inspector && props.selected;
                html! {
                    <button id={s.id()} class={classes!("sheet-tab", open.then_some("open"))}
                        aria-expanded={open.to_string()}
                        onclick={props.on_toggle.reform(move |_: MouseEvent| s)}>
                        { s.label().text(lang) }
                        if dot { <span class="tab-dot" aria-hidden="true"></span> }
                    </button>
                }
            }) }
        </nav>
    }
}
