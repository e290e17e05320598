//! Where a visit starts: the mode from the address, the workspace and
//! design it opens (a lesson, the sandbox, a link), and the small rules the
//! shell follows (the nearest offered speed, where an added component goes).

use super::designs::{self, LastSaved, Target};
use crate::course::{self, Workspace};
use crate::i18n::{Lang, Msg};
use crate::library::Library;
use crate::mode::Mode;
use crate::persist::{self, StoreError};
use crate::share::{self, LinkError};
use crate::state::{Action, Editor, Notice};
use scalesim::design::DesignDoc;

fn browser_lang() -> Lang {
    gloo::utils::window()
        .navigator()
        .language()
        .map_or(Lang::En, |tag| Lang::from_tag(&tag))
}

/// Where the page starts: the workspace (a lesson from `?lesson=`, or where
/// the learner was last time) and whether to welcome a newcomer.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Start {
    /// Where the learner works: a lesson or the sandbox.
    pub workspace: Workspace,
    /// Whether to open the course map as a welcome.
    pub welcome: bool,
    /// A `?lesson=` that names no lesson.
    pub unknown_lesson: bool,
}

pub(super) fn start(mode: &Mode) -> Start {
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
pub(super) fn lesson_design(slug: &str) -> DesignDoc {
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

/// What the page starts with: the editor, the list of designs, what was
/// saved last, and whether storage can be used.
pub(super) struct Boot {
    /// The editor with the design opened.
    pub editor: Editor,
    /// The list of designs (empty in an embed).
    pub library: Library,
    /// What was saved (or opened unchanged) last.
    pub last: LastSaved,
    /// Why the browser is not keeping the work, if it is not.
    pub store_error: Option<StoreError>,
}

pub(super) fn boot(mode: &Mode, start: &Start) -> Boot {
    let mut editor = Editor::new(persist::saved_lang().unwrap_or_else(browser_lang));
    // (Outside an embed the course map opens and says so.)
    if start.unknown_lesson && mode.embed {
        editor.apply(Action::Notify(Notice::Text(Msg::NoSuchLesson)));
    }
    if mode.embed {
        // An embed shows the design it was given and never touches the
        // visitor's own designs.
        let hash = gloo::utils::window().location().hash().unwrap_or_default();
        let fragment = hash.trim_start_matches('#');
        let given = if let Some(lesson) = start.workspace.lesson() {
            Ok(lesson.design.clone())
        } else if share::is_design_fragment(fragment) {
            share::decode(fragment).map_err(|_| Msg::LinkBroken)
        } else {
            mode.example
                .as_deref()
                .and_then(crate::panels::examples::example)
                .ok_or(Msg::NoSuchExample)
        };
        match given {
            Ok(doc) => editor.apply(Action::Restore(doc)),
            Err(m) => editor.apply(Action::Notify(Notice::Text(m))),
        }
        return Boot {
            editor,
            library: Library::default(),
            last: None,
            store_error: None,
        };
    }
    let (mut library, loaded) =
        persist::load_library(designs::now_ms(), Msg::MyDesign.text(editor.lang));
    let mut store_error = loaded.err().or_else(|| persist::probe().err());
    // Where the page opened is where the learner works now; a design link
    // adds a design to the list and opens it.
    let mut notices = Vec::new();
    let target = match &start.workspace {
        Workspace::Lesson(_) => {
            forget_lesson_query();
            Target::Workspace(start.workspace.clone())
        }
        Workspace::Sandbox => match link_design() {
            Some(Ok(doc)) => {
                notices.push(Notice::Text(Msg::LinkOpened));
                Target::New {
                    doc,
                    name: Msg::SharedDesign.text(editor.lang).into(),
                }
            }
            Some(Err(n)) => {
                notices.push(n);
                Target::Workspace(Workspace::Sandbox)
            }
            None => Target::Workspace(Workspace::Sandbox),
        },
    };
    let mut last = None;
    let opened = designs::resolve(&mut library, &mut last, target);
    persist::save_workspace(&opened.workspace);
    if let Some(Err(e)) = opened.stored {
        store_error = Some(e);
    }
    editor.apply(Action::Restore(opened.doc));
    for n in opened.notices.into_iter().chain(notices) {
        editor.apply(Action::Notify(n));
    }
    Boot {
        editor,
        library,
        last,
        store_error,
    }
}

/// The offered speed closest to `s` (on a log scale).
pub(super) fn nearest_speed(s: f64) -> f64 {
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

/// The design carried in the URL fragment, if the fragment is a design
/// link: the design, or a notice of why it cannot be read (then nothing
/// changes). The fragment is then removed from the address bar. Used at
/// start-up and when the fragment changes in an open tab (a pasted link).
pub(super) fn link_design() -> Option<Result<DesignDoc, Notice>> {
    let window = gloo::utils::window();
    let hash = window.location().hash().unwrap_or_default();
    let fragment = hash.trim_start_matches('#');
    if !share::is_design_fragment(fragment) {
        return None;
    }
    let found = share::decode(fragment).map_err(|e| match e {
        LinkError::Broken => Notice::Text(Msg::LinkBroken),
        LinkError::NewerLink(_) => Notice::Text(Msg::LinkNewer),
        LinkError::Design(p) => Notice::Refused {
            heading: Msg::LinkBroken,
            subject: String::new(),
            problems: p.0,
        },
    });
    if let (Ok(history), Ok(path)) = (window.history(), window.location().pathname()) {
        let search = window.location().search().unwrap_or_default();
        let url = format!("{path}{search}");
        let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
    }
    Some(found)
}

/// Where a component added without dragging goes: the next free slot of a
/// loose grid, so repeated additions do not pile up.
pub(super) fn free_spot(count: usize) -> (f64, f64) {
    let (col, row) = (count % 4, count / 4);
    (120.0 + 200.0 * col as f64, 110.0 + 120.0 * (row % 5) as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lesson_speed_becomes_the_nearest_offered_one() {
        for s in crate::driver::SPEEDS {
            assert_eq!(nearest_speed(*s), *s, "an offered speed stays");
        }
        let finite: Vec<f64> = crate::driver::SPEEDS
            .iter()
            .copied()
            .filter(|v| v.is_finite())
            .collect();
        // Between two offered speeds, the nearer on a log scale.
        let (lo, hi) = (finite[0], finite[1]);
        assert_eq!(nearest_speed(lo * 1.01), lo);
        assert_eq!(nearest_speed(hi * 0.99), hi);
        assert_eq!(
            nearest_speed(finite[finite.len() - 1] * 1e6),
            finite[finite.len() - 1]
        );
    }

    #[test]
    fn components_added_without_dragging_do_not_pile_up() {
        let spots: Vec<(f64, f64)> = (0..20).map(free_spot).collect();
        for (i, a) in spots.iter().enumerate() {
            assert!(spots[i + 1..].iter().all(|b| b != a), "slot {i} is reused");
        }
    }
}
