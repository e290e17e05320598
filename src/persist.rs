//! Keeping work: the design is saved to the browser's local storage on every
//! change and restored on load. An unreadable saved design is moved aside,
//! never overwritten.

use scalesim::design::DesignDoc;
use web_sys::Storage;

/// Storage key of the autosaved design.
pub const DESIGN_KEY: &str = "scale-lab.design";
/// Storage key of the chosen UI language (`en` or `ko`).
pub const LANG_KEY: &str = "scale-lab.lang";
/// Storage key an unreadable saved design is moved to.
pub const UNREADABLE_KEY: &str = "scale-lab.design.unreadable";

fn storage() -> Option<Storage> {
    gloo::utils::window().local_storage().ok().flatten()
}

/// What was found in storage at start-up.
#[derive(Debug, Clone, PartialEq)]
pub enum Restored {
    /// Nothing saved (or storage unavailable, e.g. a sandboxed iframe).
    Nothing,
    /// The saved design.
    Design(DesignDoc),
    /// Something was saved but could not be read; it was moved aside.
    Unreadable,
}

/// Reads the autosaved design.
pub fn restore() -> Restored {
    let Some(s) = storage() else {
        return Restored::Nothing;
    };
    let Ok(Some(text)) = s.get_item(DESIGN_KEY) else {
        return Restored::Nothing;
    };
    match DesignDoc::from_json(&text) {
        Ok(doc) => Restored::Design(doc),
        Err(_) => {
            // Keep the user's text: move it aside before anything is saved
            // over it. Only remove the original once the copy is stored.
            if s.set_item(UNREADABLE_KEY, &text).is_ok() {
                let _ = s.remove_item(DESIGN_KEY);
            }
            Restored::Unreadable
        }
    }
}

/// Saves the design; storage failures (quota, privacy mode) are ignored
/// because the design stays in memory.
pub fn save(doc: &DesignDoc) {
    if let Some(s) = storage() {
        let _ = s.set_item(DESIGN_KEY, &doc.to_json());
    }
}

/// The language the user chose last time, if any.
pub fn saved_lang() -> Option<crate::i18n::Lang> {
    let tag = storage()?.get_item(LANG_KEY).ok()??;
    Some(crate::i18n::Lang::from_tag(&tag))
}

/// Remembers the user's language choice.
pub fn save_lang(lang: crate::i18n::Lang) {
    if let Some(s) = storage() {
        let _ = s.set_item(LANG_KEY, lang.tag());
    }
}

/// Storage key of the chosen simulation speed.
pub const SPEED_KEY: &str = "scale-lab.speed";

/// The speed the user chose last time, if it is one the app offers.
pub fn saved_speed() -> Option<f64> {
    let text = storage()?.get_item(SPEED_KEY).ok()??;
    text.parse()
        .ok()
        .filter(|s| crate::driver::SPEEDS.contains(s))
}

/// Remembers the user's speed choice.
pub fn save_speed(speed: f64) {
    if let Some(s) = storage() {
        let _ = s.set_item(SPEED_KEY, &speed.to_string());
    }
}

/// Storage key of whether the bottom drawer (charts and event log) is open.
pub const DRAWER_KEY: &str = "scale-lab.drawer";

/// Whether the user left the drawer open (it is, unless they closed it).
pub fn saved_drawer_open() -> bool {
    storage()
        .and_then(|s| s.get_item(DRAWER_KEY).ok().flatten())
        .is_none_or(|v| v != "closed")
}

/// Remembers whether the drawer is open.
pub fn save_drawer_open(open: bool) {
    if let Some(s) = storage() {
        let _ = s.set_item(DRAWER_KEY, if open { "open" } else { "closed" });
    }
}

/// Storage key of whether figures cover the last seconds or the whole run.
pub const FIGURES_KEY: &str = "scale-lab.figures";

/// Whether the user wants figures over the last seconds (the default) or
/// since the start of the run.
pub fn saved_recent() -> bool {
    storage()
        .and_then(|s| s.get_item(FIGURES_KEY).ok().flatten())
        .is_none_or(|v| v != "all")
}

/// Remembers the figures' window.
pub fn save_recent(recent: bool) {
    if let Some(s) = storage() {
        let _ = s.set_item(FIGURES_KEY, if recent { "recent" } else { "all" });
    }
}

/// Storage key of where the learner works (`sandbox`, `lesson:…`).
pub const WORKSPACE_KEY: &str = "scale-lab.workspace";
/// Storage key of the course progress (JSON, see [`crate::course::Progress`]).
pub const PROGRESS_KEY: &str = "scale-lab.progress";
/// Prefix of the storage key of the learner's design for a lesson.
pub const LESSON_DESIGN_PREFIX: &str = "scale-lab.lesson.";

/// Where the learner worked last time.
pub fn saved_workspace() -> crate::course::Workspace {
    storage()
        .and_then(|s| s.get_item(WORKSPACE_KEY).ok().flatten())
        .map_or_else(Default::default, |k| crate::course::Workspace::from_key(&k))
}

/// Remembers where the learner works.
pub fn save_workspace(ws: &crate::course::Workspace) {
    if let Some(s) = storage() {
        let _ = s.set_item(WORKSPACE_KEY, &ws.key());
    }
}

/// The course progress (nothing done if none was saved or it is
/// unreadable).
pub fn saved_progress() -> crate::course::Progress {
    storage()
        .and_then(|s| s.get_item(PROGRESS_KEY).ok().flatten())
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or_default()
}

/// Saves the course progress.
pub fn save_progress(p: &crate::course::Progress) {
    if let (Some(s), Ok(text)) = (storage(), serde_json::to_string(p)) {
        let _ = s.set_item(PROGRESS_KEY, &text);
    }
}

/// The learner's own design for lesson `slug`, if they have worked on it.
pub fn saved_lesson_design(slug: &str) -> Option<DesignDoc> {
    let text = storage()?
        .get_item(&format!("{LESSON_DESIGN_PREFIX}{slug}"))
        .ok()??;
    DesignDoc::from_json(&text).ok()
}

/// Saves the learner's design for lesson `slug`.
pub fn save_lesson_design(slug: &str, doc: &DesignDoc) {
    if let Some(s) = storage() {
        let _ = s.set_item(&format!("{LESSON_DESIGN_PREFIX}{slug}"), &doc.to_json());
    }
}

/// Whether a sandbox design was ever saved (a returning user).
pub fn has_saved_design() -> bool {
    storage()
        .and_then(|s| s.get_item(DESIGN_KEY).ok().flatten())
        .is_some()
}

/// The sandbox design saved, for going back to it from a lesson.
pub fn saved_sandbox() -> DesignDoc {
    match restore() {
        Restored::Design(doc) => doc,
        Restored::Nothing | Restored::Unreadable => DesignDoc::default(),
    }
}
