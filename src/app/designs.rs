//! The learner's designs in the shell: saving the open one as it changes,
//! and what a switch opens — a lesson, a design from the list, or a new
//! design made from an example, a file or a link — without replacing any.

use super::start::lesson_design;
use crate::course::Workspace;
use crate::i18n::{Lang, Msg};
use crate::library::{LESSON_PREFIX, Library};
use crate::persist::{self, Restored, StoreError};
use crate::state::{Action, Notice};
use scalesim::design::DesignDoc;
use scalesim::lesson::Lesson;
use std::cell::RefCell;
use std::rc::Rc;
use yew::prelude::*;

/// The time now [ms since the Unix epoch].
pub(super) fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// Where a switch goes.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Target {
    /// A lesson, or the sandbox with the design open in it.
    Workspace(Workspace),
    /// A design from the list, by id (a lesson's work opens its lesson).
    Design(String),
    /// A new design (from an example, a file, a link), with its name.
    New {
        /// The design.
        doc: DesignDoc,
        /// Its name before it is made unique.
        name: String,
    },
    /// A new empty design.
    Blank,
}

/// The design last saved (or opened unchanged), by id: an autosave of the
/// very same design is skipped, so opening a design does not change the
/// time it was saved.
pub(super) type LastSaved = Option<(String, DesignDoc)>;

/// What a switch opens: where, which design, what to say, and whether
/// storage kept what had to be saved.
pub(super) struct Opened {
    /// The workspace to work in.
    pub workspace: Workspace,
    /// The design to open.
    pub doc: DesignDoc,
    /// Notices to show once it is open.
    pub notices: Vec<Notice>,
    /// Whether storing the change worked (`None`: nothing was stored).
    pub stored: Option<Result<(), StoreError>>,
}

/// Resolves `target` against the list, adding or choosing the design, and
/// records what is open in `last`.
pub(super) fn resolve(lib: &mut Library, last: &mut LastSaved, target: Target) -> Opened {
    match target {
        Target::Workspace(Workspace::Lesson(slug)) => {
            let doc = lesson_design(&slug);
            // The learner's own work is unchanged by opening it; a lesson
            // opened for the first time is added to the list by its first
            // save.
            *last = persist::saved_lesson_design(&slug)
                .filter(|own| *own == doc)
                .map(|own| (format!("{LESSON_PREFIX}{slug}"), own));
            Opened {
                workspace: Workspace::Lesson(slug),
                doc,
                notices: Vec::new(),
                stored: None,
            }
        }
        Target::Workspace(Workspace::Sandbox) => {
            let mut notices = Vec::new();
            let mut stored = None;
            let doc = match lib.current.clone() {
                Some(id) => match persist::load(&id) {
                    Restored::Design(doc) => {
                        *last = Some((id, doc.clone()));
                        doc
                    }
                    Restored::Unreadable => {
                        notices.push(Notice::Text(Msg::RestoreFailed));
                        lib.remove(&id);
                        stored = Some(persist::save_library(lib));
                        DesignDoc::default()
                    }
                    Restored::Nothing => {
                        // Listed but not stored (storage cleared by hand):
                        // a new design.
                        lib.current = None;
                        DesignDoc::default()
                    }
                },
                None => DesignDoc::default(),
            };
            Opened {
                workspace: Workspace::Sandbox,
                doc,
                notices,
                stored,
            }
        }
        Target::Design(id) => match id.strip_prefix(LESSON_PREFIX) {
            Some(slug) => resolve(lib, last, Target::Workspace(Workspace::Lesson(slug.into()))),
            None => {
                lib.current = Some(id);
                let saved = persist::save_library(lib);
                let mut opened = resolve(lib, last, Target::Workspace(Workspace::Sandbox));
                opened.stored = opened.stored.or(Some(saved));
                opened
            }
        },
        Target::New { doc, name } => {
            let id = lib.add(&name, now_ms(), &doc);
            let stored = persist::save_design(lib, &id, &doc, now_ms());
            *last = stored.is_ok().then(|| (id, doc.clone()));
            Opened {
                workspace: Workspace::Sandbox,
                doc,
                notices: Vec::new(),
                stored: Some(stored),
            }
        }
        Target::Blank => {
            lib.current = None;
            *last = None;
            Opened {
                workspace: Workspace::Sandbox,
                doc: DesignDoc::default(),
                notices: Vec::new(),
                stored: Some(persist::save_library(lib)),
            }
        }
    }
}

/// The designs as the shell holds them.
#[derive(Clone)]
pub(super) struct Designs {
    /// The list (shared: listeners built once see the latest).
    pub library: Rc<RefCell<Library>>,
    /// What was saved last, to skip saving it again.
    pub last: Rc<RefCell<LastSaved>>,
    /// Why the browser is not keeping the work, if it is not.
    pub store_error: UseStateHandle<Option<StoreError>>,
    /// Redraws the list after a change made outside a render.
    pub refresh: UseForceUpdateHandle,
}

impl Designs {
    /// Records whether storing worked (a later success clears the warning).
    pub fn stored(&self, result: Option<Result<(), StoreError>>) {
        if let Some(r) = result {
            let error = r.err();
            if *self.store_error != error {
                self.store_error.set(error);
            }
        }
    }

    /// Saves `doc`, the design open in `ws`, unless it is what was saved
    /// last. An empty new design is not listed until something is put on
    /// it.
    pub fn autosave(&self, ws: &Workspace, doc: &DesignDoc, lang: Lang) {
        let mut lib = self.library.borrow_mut();
        let id = match ws {
            Workspace::Lesson(slug) => format!("{LESSON_PREFIX}{slug}"),
            Workspace::Sandbox => match lib.current.clone() {
                Some(id) => id,
                None if doc.nodes.is_empty() && doc.regions.is_empty() => return,
                None => lib.add(Msg::UntitledDesign.text(lang), now_ms(), doc),
            },
        };
        let mut last = self.last.borrow_mut();
        if last.as_ref().is_some_and(|(i, d)| *i == id && d == doc) {
            return;
        }
        let result = persist::save_design(&mut lib, &id, doc, now_ms());
        *last = result.is_ok().then(|| (id, doc.clone()));
        drop((lib, last));
        self.stored(Some(result));
    }

    /// Resolves a switch (see [`resolve`]).
    pub fn resolve(&self, target: Target) -> Opened {
        let opened = resolve(
            &mut self.library.borrow_mut(),
            &mut self.last.borrow_mut(),
            target,
        );
        self.stored(opened.stored);
        opened
    }

    /// Keeps a copy of `doc` in the list as `name`, without opening it
    /// (a lesson's earlier attempt before it is replaced).
    pub fn keep_copy(&self, name: &str, doc: &DesignDoc) {
        let result = {
            let mut lib = self.library.borrow_mut();
            let current = lib.current.clone();
            let id = lib.add(name, now_ms(), doc);
            lib.current = current;
            persist::save_design(&mut lib, &id, doc, now_ms())
        };
        self.stored(Some(result));
    }

    /// What a lesson's panel does: its actions, except that starting the
    /// lesson over (or from the previous lesson's design) first keeps the
    /// attempt it replaces, `doc`, in the list — when it is the learner's
    /// own work.
    pub fn lesson_action(
        &self,
        on_action: Callback<Action>,
        doc: Rc<DesignDoc>,
        lesson: Option<&'static Lesson>,
        lang: Lang,
    ) -> Callback<Action> {
        let designs = self.clone();
        Callback::from(move |a: Action| {
            if let (Action::Load(new), Some(l)) = (&a, lesson)
                && !doc.nodes.is_empty()
                && new != &*doc
                && *doc != l.design
            {
                let name = format!(
                    "{} {} · {} ({})",
                    Msg::LessonOf.text(lang),
                    l.info.number,
                    crate::panels::lesson::text(lang, &l.info.title),
                    Msg::EarlierAttempt.text(lang)
                );
                designs.keep_copy(&name, &doc);
                on_action.emit(a);
                on_action.emit(Action::Notify(Notice::Text(Msg::LessonReplaced)));
            } else {
                on_action.emit(a);
            }
        })
    }

    /// The name of the design open in the sandbox, when the learner works
    /// there (a lesson's title is shown elsewhere).
    pub fn open_name(&self, ws: &Workspace) -> Option<String> {
        match ws {
            Workspace::Lesson(_) => None,
            Workspace::Sandbox => self
                .library
                .borrow()
                .current_entry()
                .map(|e| e.name.clone()),
        }
    }

    /// The id of the design open now (a lesson's work: `lesson:` and slug).
    pub fn open_id(&self, ws: &Workspace) -> Option<String> {
        match ws {
            Workspace::Lesson(slug) => Some(format!("{LESSON_PREFIX}{slug}")),
            Workspace::Sandbox => self.library.borrow().current.clone(),
        }
    }

    /// Renames design `id`.
    pub fn rename(&self, id: &str, name: &str) {
        let result = {
            let mut lib = self.library.borrow_mut();
            lib.rename(id, name).then(|| persist::save_library(&lib))
        };
        self.stored(result);
        self.refresh.force_update();
    }

    /// Deletes design `id`; returns whether it was the one open in the
    /// sandbox (then the caller opens another).
    pub fn delete(&self, id: &str) -> bool {
        let (was_open, result) = {
            let mut lib = self.library.borrow_mut();
            let was_open = lib.current.as_deref() == Some(id);
            (was_open, persist::delete_design(&mut lib, id))
        };
        if self.last.borrow().as_ref().is_some_and(|(i, _)| i == id) {
            *self.last.borrow_mut() = None;
        }
        self.stored(Some(result));
        self.refresh.force_update();
        was_open
    }
}

/// What the list of designs can ask for.
pub(super) struct Callbacks {
    /// Open a design, by id.
    pub open: Callback<String>,
    /// Start a new empty design.
    pub new: Callback<()>,
    /// Rename a design.
    pub rename: Callback<(String, String)>,
    /// Delete a design; if it was open in the sandbox, the newest other
    /// design opens (or a new empty one).
    pub delete: Callback<String>,
    /// Open or close the list.
    pub show: Callback<bool>,
}

impl Callbacks {
    /// The callbacks over `designs`, switching with `switch`; `in_sandbox`
    /// when the sandbox is where the learner works now.
    pub fn new(
        designs: &Designs,
        switch: &Callback<(Target, Vec<Notice>)>,
        shown: &UseStateHandle<bool>,
        in_sandbox: bool,
    ) -> Self {
        let open = switch.reform(|id| (Target::Design(id), Vec::new()));
        let new = switch.reform(|()| (Target::Blank, Vec::new()));
        let rename = {
            let designs = designs.clone();
            Callback::from(move |(id, name): (String, String)| designs.rename(&id, &name))
        };
        let delete = {
            let (designs, switch, shown) = (designs.clone(), switch.clone(), shown.clone());
            Callback::from(move |id: String| {
                if designs.delete(&id) && in_sandbox {
                    let next = designs
                        .library
                        .borrow()
                        .designs()
                        .first()
                        .map(|e| e.id.clone());
                    let target = next.map_or(Target::Blank, Target::Design);
                    switch.emit((target, Vec::new()));
                    // The list stays open on what is left.
                    shown.set(true);
                }
            })
        };
        let show = {
            let shown = shown.clone();
            Callback::from(move |open: bool| shown.set(open))
        };
        Self {
            open,
            new,
            rename,
            delete,
            show,
        }
    }
}

/// The note over the canvas when the browser is not keeping the work, with
/// Export at hand.
pub(super) fn store_warning(
    error: Option<StoreError>,
    lang: Lang,
    on_export: &Callback<MouseEvent>,
) -> Html {
    let Some(e) = error else {
        return Html::default();
    };
    html! {
        <div class="store-warning" id="store-warning" role="alert">
            <span>{ e.message().text(lang) }</span>
            <button class="small" id="store-export" onclick={on_export.clone()}>
                { Msg::Export.text(lang) }</button>
        </div>
    }
}
