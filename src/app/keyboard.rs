//! Editor shortcuts anywhere on the page: Ctrl+Z undo, Ctrl+Shift+Z or
//! Ctrl+Y redo, Ctrl+D duplicate — except while typing in a field, where the
//! browser's own undo applies. (Keys of the canvas itself are in
//! `canvas::keyboard`.)

use crate::state::Action;
use wasm_bindgen::JsCast;
use yew::prelude::*;

/// The editor action of a key press: `key` as `KeyboardEvent.key`, with
/// Ctrl (or Meta on a Mac), Shift and Alt, while focus is (`typing`) or is
/// not in a text field.
pub fn shortcut(key: &str, ctrl: bool, shift: bool, alt: bool, typing: bool) -> Option<Action> {
    if typing || !ctrl || alt {
        return None;
    }
    match (key.to_lowercase().as_str(), shift) {
        ("z", false) => Some(Action::Undo),
        ("z", true) | ("y", false) => Some(Action::Redo),
        ("d", false) => Some(Action::DuplicateSelected),
        _ => None,
    }
}

/// Listens for the shortcuts on the whole document while the app is mounted.
/// Not passive: a shortcut must stop the browser's own (Ctrl+D would
/// bookmark the page, Ctrl+Z undo in the address bar).
#[hook]
pub(super) fn use_shortcuts(on_action: Callback<Action>) {
    use_effect_with((), move |_| {
        let options = gloo::events::EventListenerOptions::enable_prevent_default();
        let listener = gloo::events::EventListener::new_with_options(
            &gloo::utils::document(),
            "keydown",
            options,
            move |e| {
                let Some(e) = e.dyn_ref::<web_sys::KeyboardEvent>() else {
                    return;
                };
                let typing = e
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                    .is_some_and(|el| {
                        matches!(el.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA")
                    });
                let ctrl = e.ctrl_key() || e.meta_key();
                if let Some(action) = shortcut(&e.key(), ctrl, e.shift_key(), e.alt_key(), typing) {
                    e.prevent_default();
                    on_action.emit(action);
                }
            },
        );
        move || drop(listener)
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undo_redo_and_duplicate_with_ctrl_or_meta_but_not_while_typing() {
        assert_eq!(shortcut("z", true, false, false, false), Some(Action::Undo));
        assert_eq!(shortcut("Z", true, true, false, false), Some(Action::Redo));
        assert_eq!(shortcut("y", true, false, false, false), Some(Action::Redo));
        assert_eq!(
            shortcut("d", true, false, false, false),
            Some(Action::DuplicateSelected)
        );
        // In a field, the browser's own undo; without Ctrl, a letter; with
        // Alt, another program's shortcut.
        assert_eq!(shortcut("z", true, false, false, true), None);
        assert_eq!(shortcut("z", false, false, false, false), None);
        assert_eq!(shortcut("z", true, false, true, false), None);
        assert_eq!(shortcut("y", true, true, false, false), None);
    }
}
