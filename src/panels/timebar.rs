//! The lesson's time bar, over the canvas: every scheduled event announced
//! where it will happen, the goals' windows shaded, where the run is now,
//! and the next event in words. Clicking an event jumps to just before it.

use crate::course;
use crate::i18n::{Lang, Msg, fault_text};
use crate::panels::lesson::text;
use scalesim::design::{DesignDoc, FaultDoc};
use yew::prelude::*;

/// How long before an event a jump lands [s].
pub const JUMP_LEAD_S: f64 = 3.0;

/// One marker on the bar: a time and what happens then (events close
/// together share a marker).
#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    /// When [s].
    pub at_s: f64,
    /// What happens, in words.
    pub texts: Vec<String>,
}

/// Events in time order — the design's faults and any announcements —
/// merged into one marker when closer than `merge_s`.
pub fn marks(faults: &[FaultDoc], notes: &[(f64, String)], lang: Lang, merge_s: f64) -> Vec<Mark> {
    let mut events: Vec<(f64, String)> = faults
        .iter()
        .map(|f| (f.at_s, fault_text(lang, f)))
        .chain(notes.iter().cloned())
        .collect();
    events.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut out: Vec<Mark> = Vec::new();
    for (at, t) in events {
        match out.last_mut() {
            Some(m) if at - m.at_s < merge_s => m.texts.push(match lang {
                Lang::En => format!("{at:.0} s: {t}"),
                Lang::Ko => format!("{at:.0}초: {t}"),
            }),
            _ => out.push(Mark {
                at_s: at,
                texts: vec![t],
            }),
        }
    }
    out
}

/// What a time bar shows.
#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    /// Scheduled events.
    pub faults: Vec<FaultDoc>,
    /// Announcements beyond the events: (time [s], text).
    pub notes: Vec<(f64, String)>,
    /// Goal windows [s].
    pub windows: Vec<(f64, f64)>,
    /// The length of the bar [s].
    pub duration_s: f64,
}

impl Timeline {
    /// A lesson's timeline, in `lang`.
    pub fn of_lesson(slug: &str, lang: Lang) -> Option<Timeline> {
        let l = course::find(slug)?;
        let mut windows: Vec<(f64, f64)> =
            l.info.goals.iter().map(|g| (g.from_s, g.to_s)).collect();
        windows.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
        windows.dedup();
        Some(Timeline {
            faults: l.design.faults.clone(),
            notes: l
                .info
                .timeline
                .iter()
                .map(|a| (a.at_s, text(lang, &a.text).to_string()))
                .collect(),
            windows,
            duration_s: l.info.duration_s,
        })
    }

    /// A design's own scheduled events, if it has any: the bar runs to
    /// half a minute after the last.
    pub fn of_design(doc: &DesignDoc) -> Option<Timeline> {
        let last = doc
            .faults
            .iter()
            .map(|f| f.at_s)
            .fold(None, |m: Option<f64>, t| Some(m.map_or(t, |m| m.max(t))))?;
        Some(Timeline {
            faults: doc.faults.clone(),
            notes: Vec::new(),
            windows: Vec::new(),
            duration_s: (last + 30.0).max(60.0),
        })
    }
}

/// Properties of [`TimeBar`].
#[derive(Properties, PartialEq)]
pub struct TimeBarProps {
    /// What to show.
    pub timeline: Timeline,
    /// The simulated clock [s], if a run exists.
    pub now_s: Option<f64>,
    /// UI language.
    pub lang: Lang,
    /// Jumps the run to this time [s].
    pub on_seek: Callback<f64>,
}

/// The time bar.
#[function_component(TimeBar)]
pub fn time_bar(props: &TimeBarProps) -> Html {
    let lang = props.lang;
    let tl = &props.timeline;
    let duration = tl.duration_s.max(1.0);
    let pct = |t: f64| (t / duration * 100.0).clamp(0.0, 100.0);
    let marks = marks(&tl.faults, &tl.notes, lang, duration * 0.04);
    let windows = &tl.windows;
    let now = props.now_s.unwrap_or(0.0);
    let upcoming = marks.iter().find(|m| m.at_s > now);
    let at = |t: f64| match lang {
        Lang::En => format!("t = {t:.0} s"),
        Lang::Ko => format!("{t:.0}초"),
    };
    html! {
        <div class="timebar" id="timebar" role="group" aria-label={Msg::Timeline.text(lang)}>
            <div class="track">
                { for windows.iter().map(|(a, b)| html! {
                    <div class="window" style={format!("left: {:.2}%; width: {:.2}%", pct(*a), pct(*b) - pct(*a))}
                        title={format!("{}: {a:.0}–{b:.0} s", Msg::TimelineGoalWindow.text(lang))}></div>
                }) }
                { for marks.iter().map(|m| {
                    let target = (m.at_s - JUMP_LEAD_S).max(0.0);
                    let onclick = props.on_seek.reform(move |_: MouseEvent| target);
                    let label = format!("{}: {}", at(m.at_s), m.texts.join("; "));
                    html! {
                        <button class={classes!("event", (m.at_s <= now).then_some("past"))}
                            style={format!("left: {:.2}%", pct(m.at_s))} data-at={m.at_s.to_string()}
                            title={format!("{label} — {}", Msg::TimelineJump.text(lang))}
                            aria-label={format!("{label}. {}", Msg::TimelineJump.text(lang))} {onclick}>
                            <span class="label">{ match lang {
                                Lang::En => format!("{:.0} s", m.at_s),
                                Lang::Ko => format!("{:.0}초", m.at_s),
                            } }</span>
                        </button>
                    }
                }) }
                if props.now_s.is_some() {
                    <div class="playhead" style={format!("left: {:.2}%", pct(now))}></div>
                }
            </div>
            <div class="timebar-text" id="timebar-next">
                { match upcoming {
                    Some(m) => format!("{} — {}", at(m.at_s), m.texts.join("; ")),
                    None if marks.is_empty() => format!(
                        "{}: {}",
                        if windows.len() > 1 { Msg::TimelineGoalWindows } else { Msg::TimelineGoalWindow }.text(lang),
                        windows.iter().map(|(a, b)| format!("{a:.0}–{b:.0} s")).collect::<Vec<_>>().join(", "),
                    ),
                    None => marks.last().map_or(String::new(), |m| format!("{} — {}", at(m.at_s), m.texts.join("; "))),
                } }
                <span class="timebar-end">{ format!("{duration:.0} s") }</span>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_announced_in_words_and_close_ones_share_a_marker() {
        let marks = |slug: &str, lang: Lang, merge: f64| {
            let t = Timeline::of_lesson(slug, lang).unwrap();
            super::marks(&t.faults, &t.notes, lang, merge)
        };
        let m = marks("04-load-balancer", Lang::En, 5.0);
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].at_s, 30.0);
        assert_eq!(m[0].texts, ["web-1 crashes"]);
        let ko = marks("04-load-balancer", Lang::Ko, 5.0);
        assert_eq!(ko[0].texts, ["web-1 장애 발생"]);
        // Lesson 11: workers down at 50, back at 70; the queue at 90 and 92.
        let m = marks("11-message-queue", Lang::En, 5.0);
        let at: Vec<f64> = m.iter().map(|m| m.at_s).collect();
        assert_eq!(at, [50.0, 70.0, 90.0]);
        assert_eq!(m[2].texts, ["queue-1 crashes", "92 s: queue-1 restarts"]);
        let m = marks("13-sharding", Lang::En, 5.0);
        assert_eq!(m[0].texts, ["db-5 joins router-1"]);
    }
}
