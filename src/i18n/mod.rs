//! The message catalog: every piece of UI text, in English and Korean.
//!
//! Component names, parameter labels and help come from the simulation's
//! catalog (`scalesim::catalog`), and the words for each error cause from
//! the cause itself (`scalesim::ErrorCause::text`): both carry the two
//! languages too, so a new kind or cause brings its own words.
//!
//! The catalog is one enum, [`Msg`], with its words in `words.rs`; texts
//! built from figures live by area: design problems in `problems.rs`,
//! the log and incidents in `log.rs`.

mod log;
mod msg;
mod problems;
mod words;

pub use log::{IncidentPhase, LogCategory, count, fault_text, incident_text, log_text};
pub use msg::Msg;
pub use problems::{
    busiest_of, dots_sampled, error_cause, joins_at, large_design, problem, problem_count,
    problem_short, slow_by, stale_read,
};

use scalesim::catalog::Text;

/// A language the app speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Lang {
    /// English.
    En,
    /// Korean.
    Ko,
}

impl Lang {
    /// The language for a BCP 47 tag such as the browser's `navigator.language`.
    pub fn from_tag(tag: &str) -> Self {
        if tag.to_ascii_lowercase().starts_with("ko") {
            Lang::Ko
        } else {
            Lang::En
        }
    }

    /// The BCP 47 tag, for `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ko => "ko",
        }
    }

    /// Picks this language's side of a catalog text.
    pub fn pick(self, text: Text) -> &'static str {
        match self {
            Lang::En => text.en,
            Lang::Ko => text.ko,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browser_language_picks_korean_or_falls_back_to_english() {
        assert_eq!(Lang::from_tag("ko-KR"), Lang::Ko);
        assert_eq!(Lang::from_tag("KO"), Lang::Ko);
        assert_eq!(Lang::from_tag("en-US"), Lang::En);
        assert_eq!(Lang::from_tag("fr"), Lang::En);
    }
}
