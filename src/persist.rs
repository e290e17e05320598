//! Keeping work: every design (see [`crate::library`]) is saved to the
//! browser's local storage on every change and the one open is restored on
//! load. An unreadable saved text is moved aside, never overwritten; when
//! storage is full or blocked, saving says so and the design stays in
//! memory.

use crate::library::{LESSON_PREFIX, Library};
use scalesim::design::DesignDoc;
use wasm_bindgen::JsCast;
use web_sys::Storage;

/// Storage key of the design saved before designs were kept as a list (read
/// once, then moved into the list).
pub const DESIGN_KEY: &str = "scale-lab.design";
/// Storage key of the chosen UI language (`en` or `ko`).
pub const LANG_KEY: &str = "scale-lab.lang";
/// Storage key of the list of designs ([`Library`], JSON).
pub const LIBRARY_KEY: &str = "scale-lab.library";
/// Prefix of the storage key of each design of the learner's own (then its
/// id).
pub const SAVED_PREFIX: &str = "scale-lab.saved.";
/// Suffix of the key an unreadable saved text is moved to.
pub const UNREADABLE_SUFFIX: &str = ".unreadable";

fn storage() -> Option<Storage> {
    gloo::utils::window().local_storage().ok().flatten()
}

/// Why the browser did not keep something.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StoreError {
    /// Storage cannot be used here: private browsing, disabled by the
    /// user, or a sandboxed page.
    Blocked,
    /// Storage is full (the browser's quota for this site).
    Full,
}

impl StoreError {
    /// What the user is told.
    pub fn message(self) -> crate::i18n::Msg {
        match self {
            StoreError::Blocked => crate::i18n::Msg::StoreBlocked,
            StoreError::Full => crate::i18n::Msg::StoreFull,
        }
    }
}

/// The browser's storage, or why it cannot be used.
fn usable() -> Result<Storage, StoreError> {
    // Reading `localStorage` itself throws in a sandboxed iframe.
    storage().ok_or(StoreError::Blocked)
}

/// Stores `value` under `key`, telling a full storage from a blocked one.
fn set(s: &Storage, key: &str, value: &str) -> Result<(), StoreError> {
    s.set_item(key, value).map_err(|e| {
        let name = e
            .dyn_ref::<js_sys::Error>()
            .map(|e| String::from(e.name()))
            .unwrap_or_default();
        // Chromium and Firefox say QuotaExceededError; old Firefox said
        // NS_ERROR_DOM_QUOTA_REACHED.
        if name.contains("Quota") || name.contains("QUOTA") {
            StoreError::Full
        } else {
            StoreError::Blocked
        }
    })
}

/// Whether this browser keeps what is saved: `Ok` when a test value can be
/// written and removed.
pub fn probe() -> Result<(), StoreError> {
    let s = usable()?;
    set(&s, "scale-lab.probe", "1")?;
    let _ = s.remove_item("scale-lab.probe");
    Ok(())
}

/// The storage key of design `id` (a lesson's work lives in its lesson's
/// slot).
pub fn doc_key(id: &str) -> String {
    match id.strip_prefix(LESSON_PREFIX) {
        Some(slug) => format!("{LESSON_DESIGN_PREFIX}{slug}"),
        None => format!("{SAVED_PREFIX}{id}"),
    }
}

/// What was found in storage for a design.
#[derive(Debug, Clone, PartialEq)]
pub enum Restored {
    /// Nothing saved (or storage unavailable, e.g. a sandboxed iframe).
    Nothing,
    /// The saved design.
    Design(DesignDoc),
    /// Something was saved but could not be read; it was moved aside.
    Unreadable,
}

/// Reads design `id`. An unreadable text is moved aside (to its key with
/// [`UNREADABLE_SUFFIX`]) before anything can be saved over it.
pub fn load(id: &str) -> Restored {
    let Some(s) = storage() else {
        return Restored::Nothing;
    };
    let key = doc_key(id);
    let Ok(Some(text)) = s.get_item(&key) else {
        return Restored::Nothing;
    };
    match DesignDoc::from_json(&text) {
        Ok(doc) => Restored::Design(doc),
        Err(_) => {
            // Only remove the original once the copy is stored.
            if s.set_item(&format!("{key}{UNREADABLE_SUFFIX}"), &text)
                .is_ok()
            {
                let _ = s.remove_item(&key);
            }
            Restored::Unreadable
        }
    }
}

/// Every storage key, for rebuilding the list.
fn keys(s: &Storage) -> Vec<String> {
    let n = s.length().unwrap_or(0);
    (0..n).filter_map(|i| s.key(i).ok().flatten()).collect()
}

/// The list of designs. The first time (or if the list itself cannot be
/// read, after moving it aside) it is made from what is stored: designs of
/// the learner's own, lessons' work, and the single design kept before
/// there was a list (named `first_name`). Storage that cannot be used
/// gives an empty list and says why.
pub fn load_library(now_ms: f64, first_name: &str) -> (Library, Result<(), StoreError>) {
    let Ok(s) = usable() else {
        return (Library::default(), Err(StoreError::Blocked));
    };
    if let Ok(Some(text)) = s.get_item(LIBRARY_KEY) {
        match serde_json::from_str::<Library>(&text) {
            Ok(lib) => return (lib, Ok(())),
            Err(_) => {
                let _ = s.set_item(&format!("{LIBRARY_KEY}{UNREADABLE_SUFFIX}"), &text);
            }
        }
    }
    let mut lib = Library::default();
    for key in keys(&s) {
        if key.ends_with(UNREADABLE_SUFFIX) {
            continue;
        }
        let id = if let Some(id) = key.strip_prefix(SAVED_PREFIX) {
            id.to_string()
        } else if let Some(slug) = key.strip_prefix(LESSON_DESIGN_PREFIX) {
            format!("{LESSON_PREFIX}{slug}")
        } else {
            continue;
        };
        if let Restored::Design(doc) = load(&id) {
            if id.starts_with(LESSON_PREFIX) {
                lib.touch(&id, now_ms, &doc);
            } else {
                lib.insert(&id, first_name, now_ms, &doc);
            }
        }
    }
    // The design kept before there was a list becomes an entry; the old
    // key goes only once the copy is stored.
    if let Ok(Some(text)) = s.get_item(DESIGN_KEY) {
        match DesignDoc::from_json(&text) {
            Ok(doc) => {
                let id = lib.add(first_name, now_ms, &doc);
                if set(&s, &doc_key(&id), &text).is_ok() {
                    let _ = s.remove_item(DESIGN_KEY);
                } else {
                    lib.remove(&id);
                }
            }
            Err(_) => {
                if s.set_item(&format!("{DESIGN_KEY}{UNREADABLE_SUFFIX}"), &text)
                    .is_ok()
                {
                    let _ = s.remove_item(DESIGN_KEY);
                }
            }
        }
    }
    if lib.current.is_none() {
        lib.current = lib.designs().first().map(|e| e.id.clone());
    }
    let saved = save_library(&lib);
    (lib, saved)
}

/// Stores the list of designs.
pub fn save_library(lib: &Library) -> Result<(), StoreError> {
    let s = usable()?;
    let text = serde_json::to_string(lib).map_err(|_| StoreError::Blocked)?;
    set(&s, LIBRARY_KEY, &text)
}

/// Saves `doc` as design `id` and records it in the list, at `now_ms`.
/// On failure the design stays in memory; the caller tells the user.
pub fn save_design(
    lib: &mut Library,
    id: &str,
    doc: &DesignDoc,
    now_ms: f64,
) -> Result<(), StoreError> {
    let s = usable()?;
    set(&s, &doc_key(id), &doc.to_json())?;
    lib.touch(id, now_ms, doc);
    save_library(lib)
}

/// Removes design `id` from storage and from the list.
pub fn delete_design(lib: &mut Library, id: &str) -> Result<(), StoreError> {
    lib.remove(id);
    if let Ok(s) = usable() {
        let _ = s.remove_item(&doc_key(id));
    }
    save_library(lib)
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

/// Whether anything was ever saved here (a returning user).
pub fn has_saved_design() -> bool {
    storage().is_some_and(|s| {
        [LIBRARY_KEY, DESIGN_KEY]
            .iter()
            .any(|k| s.get_item(k).ok().flatten().is_some())
    })
}
