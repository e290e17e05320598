//! One request's journey: its route, how long it queued and stayed at each
//! hop, and where and why it failed — opened by clicking a failed (or
//! stale) dot, or a node's "latest failure".

use crate::i18n::{Lang, Msg, error_cause};
use scalesim::model::{Journey, key_name};
use scalesim::{ErrorCause, RequestKind};
use yew::prelude::*;

/// A journey with the names of the nodes it mentions.
#[derive(Debug, Clone, PartialEq)]
pub struct JourneyView {
    /// The request's route and outcome (node indices are simulation
    /// indices).
    pub journey: Journey,
    /// The simulation's node ids, by index.
    pub ids: Vec<String>,
}

impl JourneyView {
    fn name(&self, node: u32) -> &str {
        self.ids.get(node as usize).map_or("?", String::as_str)
    }

    /// The outcome in words: "failed at web-1: queue full".
    pub fn outcome(&self, lang: Lang) -> String {
        let j = &self.journey;
        let ms = (j.finished - j.created) as f64 / 1e6;
        let Some(cause) = j.error else {
            return match (j.in_flight, lang) {
                (true, Lang::En) => format!("on its way, {ms:.1} ms so far"),
                (true, Lang::Ko) => format!("이동 중, 지금까지 {ms:.1} ms"),
                (false, Lang::En) => format!("answered in {ms:.1} ms"),
                (false, Lang::Ko) => format!("{ms:.1} ms 만에 응답"),
            };
        };
        let at = j.failed_at.map_or("?", |n| self.name(n));
        let why = error_cause(lang, cause);
        let about = match (cause, j.other.map(|o| self.name(o))) {
            (ErrorCause::SessionLost, Some(o)) if o != at => match lang {
                Lang::En => format!(" — the session was on {o}"),
                Lang::Ko => format!(" — 세션이 {o}에 있었음"),
            },
            (ErrorCause::SessionLost, _) => match lang {
                Lang::En => format!(" — the session on {at} was wiped"),
                Lang::Ko => format!(" — {at}의 세션이 지워짐"),
            },
            (_, Some(o)) => format!(" ({o})"),
            (_, None) => String::new(),
        };
        match (j.in_flight, lang) {
            (true, Lang::En) => format!("failed at {at}: {why}{about} — on its way back"),
            (true, Lang::Ko) => format!("{at}에서 실패: {why}{about} — 돌아가는 중"),
            (false, Lang::En) => format!("failed at {at} after {ms:.1} ms: {why}{about}"),
            (false, Lang::Ko) => format!("{ms:.1} ms 후 {at}에서 실패: {why}{about}"),
        }
    }

    /// The heading: "write of user:42 from users-1".
    pub fn title(&self, lang: Lang) -> String {
        let j = &self.journey;
        let users = self.name(j.users);
        let key = key_name(j.key);
        let (en, ko) = match j.kind {
            RequestKind::Page => ("Page read", "페이지 읽기"),
            RequestKind::Write => ("Write", "쓰기"),
            RequestKind::Static => ("Static file", "정적 파일"),
        };
        match lang {
            Lang::En => format!("{en} of {key} from {users}"),
            Lang::Ko => format!("{users}의 {key} {ko}"),
        }
    }
}

/// Properties of [`JourneyCard`].
#[derive(Properties, PartialEq)]
pub struct JourneyProps {
    /// The journey to show.
    pub view: JourneyView,
    /// UI language.
    pub lang: Lang,
    /// Closes the card.
    pub on_close: Callback<()>,
}

/// The journey card, over the canvas.
#[function_component(JourneyCard)]
pub fn journey_card(props: &JourneyProps) -> Html {
    let (v, lang) = (&props.view, props.lang);
    let j = &v.journey;
    let ms = |ns: u64| format!("{:.1} ms", ns as f64 / 1e6);
    let close = props.on_close.reform(|_: MouseEvent| ());
    let failed = j.error.is_some();
    let rows = j.hops.iter().map(|h| {
        let here_failed = failed && j.failed_at == Some(h.node);
        html! {
            <tr data-node={v.name(h.node).to_string()} class={classes!(here_failed.then_some("failed"))}>
                <td><code>{ v.name(h.node) }</code></td>
                <td>{ format!("+{}", ms(h.arrived.saturating_sub(j.created))) }</td>
                <td>{ ms(h.started.saturating_sub(h.arrived)) }</td>
                <td>{ ms(h.left.saturating_sub(h.started)) }</td>
            </tr>
        }
    });
    html! {
        <section class="journey card" id="journey" aria-label={Msg::JourneyTitle.text(lang)}>
            <header>
                <h2>{ Msg::JourneyTitle.text(lang) }</h2>
                <button class="small" id="journey-close" onclick={close}
                    aria-label={Msg::Close.text(lang)}>{ "×" }</button>
            </header>
            <p class="journey-title">{ v.title(lang) }</p>
            <p class={classes!("journey-outcome", failed.then_some("failed"))} id="journey-outcome">
                { if failed { "✕ " } else { "✓ " } }{ v.outcome(lang) }
            </p>
            <table class="hops">
                <thead><tr>
                    <th>{ Msg::JourneyNode.text(lang) }</th>
                    <th>{ Msg::JourneyArrived.text(lang) }</th>
                    <th>{ Msg::JourneyQueued.text(lang) }</th>
                    <th>{ Msg::JourneyHere.text(lang) }</th>
                </tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
            <p class="hint">{ Msg::JourneyHint.text(lang) }</p>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scalesim::model::Hop;

    fn view(error: Option<ErrorCause>, other: Option<u32>) -> JourneyView {
        JourneyView {
            journey: Journey {
                kind: RequestKind::Write,
                key: 41,
                users: 0,
                created: 0,
                finished: 61_200_000,
                in_flight: false,
                hops: vec![Hop {
                    node: 1,
                    arrived: 25_000_000,
                    started: 25_000_000,
                    left: 25_000_000,
                }],
                error,
                failed_at: error.map(|_| 2),
                other,
            },
            ids: vec![
                "users-1".into(),
                "lb-1".into(),
                "web-2".into(),
                "web-1".into(),
            ],
        }
    }

    #[test]
    fn the_outcome_says_where_and_why_in_both_languages() {
        let v = view(Some(ErrorCause::SessionLost), Some(3));
        assert_eq!(v.title(Lang::En), "Write of user:42 from users-1");
        assert_eq!(
            v.outcome(Lang::En),
            "failed at web-2 after 61.2 ms: logged out (session lost) — the session was on web-1"
        );
        assert!(v.outcome(Lang::Ko).contains("web-2에서 실패"));
        assert_eq!(view(None, None).outcome(Lang::En), "answered in 61.2 ms");
        let q = view(Some(ErrorCause::QueueFull), None);
        assert_eq!(
            q.outcome(Lang::En),
            "failed at web-2 after 61.2 ms: queue full"
        );
    }
}
