//! How the page was opened: the full editor, or an embed in someone's blog
//! post (`?embed`), with its options.
//!
//! ```text
//! index.html?embed&example=sticky-sessions-crash&autoplay
//! index.html?embed&edit#design=1.…
//! index.html?lesson=04-load-balancer
//! index.html?embed&lesson=05-stateless-web-tier&autoplay
//! ```

/// The page's mode, from its query string.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Mode {
    /// Minimal chrome for embedding: the design, Play/Pause, key metrics, a
    /// link to the full editor. Never reads or writes the visitor's saved
    /// design.
    pub embed: bool,
    /// Whether an embed may be edited (read-only by default).
    pub editable: bool,
    /// Start running as soon as the page opens.
    pub autoplay: bool,
    /// A built-in example to show (when the fragment carries no design).
    pub example: Option<String>,
    /// A lesson to open (`?lesson=04-load-balancer`), in the editor or an
    /// embed.
    pub lesson: Option<String>,
    /// Starting speed (simulated seconds per wall second), if given and one
    /// of the offered speeds.
    pub speed: Option<u32>,
}

impl Mode {
    /// Parses a query string such as `?embed&example=x&autoplay`. Unknown
    /// keys are ignored; flags may be written `embed` or `embed=1`.
    pub fn from_query(query: &str) -> Self {
        let mut mode = Mode::default();
        for pair in query
            .trim_start_matches('?')
            .split('&')
            .filter(|p| !p.is_empty())
        {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let on = !matches!(value, "0" | "false" | "no");
            match key {
                "embed" => mode.embed = on,
                "edit" => mode.editable = on,
                "autoplay" => mode.autoplay = on,
                "example" if !value.is_empty() => mode.example = Some(value.to_string()),
                "lesson" if !value.is_empty() => mode.lesson = Some(value.to_string()),
                "speed" => {
                    mode.speed = value
                        .parse::<f64>()
                        .ok()
                        .filter(|s| s.is_finite() && crate::driver::SPEEDS.contains(s))
                        .map(|s| (s * 1000.0) as u32);
                }
                _ => {}
            }
        }
        if !mode.embed {
            mode.editable = true;
        }
        mode
    }

    /// The starting speed, if the query gave a valid one.
    pub fn speed(&self) -> Option<f64> {
        self.speed.map(|m| f64::from(m) / 1000.0)
    }

    /// Whether `action` may change the design in this mode.
    pub fn allows_edits(&self) -> bool {
        self.editable
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_strings_set_the_mode() {
        let m = Mode::from_query("?embed&example=sticky-sessions-crash&autoplay");
        assert!(m.embed && m.autoplay && !m.editable);
        assert_eq!(m.example.as_deref(), Some("sticky-sessions-crash"));
        assert!(Mode::from_query("?embed=1&edit").editable);
        assert!(!Mode::from_query("?embed&autoplay=0").autoplay);
        let editor = Mode::from_query("");
        assert!(!editor.embed && editor.editable && editor.example.is_none());
        assert_eq!(Mode::from_query("?utm_source=blog&&example="), editor);
        assert_eq!(Mode::from_query("?embed&speed=10").speed(), Some(10.0));
        let l = Mode::from_query("?embed&lesson=05-stateless-web-tier");
        assert!(l.embed && l.lesson.as_deref() == Some("05-stateless-web-tier"));
        assert_eq!(
            Mode::from_query("?lesson=01-one-server-dns")
                .lesson
                .as_deref(),
            Some("01-one-server-dns")
        );
        assert_eq!(
            Mode::from_query("?embed&speed=7").speed(),
            None,
            "only offered speeds"
        );
    }
}
