//! The metrics panel: figures counted by the simulation, refreshed a few
//! times a second while it runs.

use crate::i18n::{Lang, Msg, error_cause, stale_read};
use scalesim::{ErrorCause, Snapshot};
use yew::prelude::*;

/// Properties of [`Metrics`].
#[derive(Properties, PartialEq)]
pub struct MetricsProps {
    /// The latest snapshot, if a simulation exists.
    pub snapshot: Option<Snapshot>,
    /// UI language.
    pub lang: Lang,
    /// Whether the figures asked for cover the last seconds (true) or the
    /// whole run.
    #[prop_or(true)]
    pub recent: bool,
    /// The window `snapshot` covers (it follows `recent` with the next
    /// figures).
    #[prop_or(true)]
    pub shown_recent: bool,
    /// Chooses the last seconds (true) or the whole run.
    #[prop_or_default]
    pub on_recent: Callback<bool>,
}

/// A label, and whether it counts since the start whatever the window.
type Label = (Msg, bool);

fn row(lang: Lang, label: impl Into<Label>, key: &'static str, value: String) -> Html {
    let (label, since_start) = label.into();
    html! {
        <div class="metric">
            <dt>
                { label.text(lang) }
                if since_start { <span class="since-start">{ Msg::SinceStartTag.text(lang) }</span> }
            </dt>
            <dd data-metric={key}>{ value }</dd>
        </div>
    }
}

/// A ledger's label: counted since the start even when the other figures
/// cover the last seconds.
fn ledger(m: Msg) -> Label {
    (m, true)
}

impl From<Msg> for Label {
    fn from(m: Msg) -> Self {
        (m, false)
    }
}

/// Most nodes listed in the table of load per node (the busiest).
const TABLE_ROWS: usize = 20;

/// The metrics panel.
#[function_component(Metrics)]
pub fn metrics(props: &MetricsProps) -> Html {
    let lang = props.lang;
    let s = props.snapshot.as_ref();
    let num = |f: &dyn Fn(&Snapshot) -> f64, digits: usize, unit: &str| match s {
        Some(s) => format!("{:.*} {unit}", digits, f(s)).trim_end().to_string(),
        None => "–".to_string(),
    };
    let count = |f: &dyn Fn(&Snapshot) -> u64| s.map_or("0".to_string(), |s| f(s).to_string());
    // Each node with workers; in a large design the busiest (and those
    // down) only, so the panel stays short and cheap to refresh.
    let mut rows: Vec<&scalesim::model::NodeSnapshot> = s
        .iter()
        .flat_map(|s| s.nodes.iter().filter(|n| n.workers > 0))
        .collect();
    let pooled = rows.len();
    let nodes = s.map(|_| {
        if rows.len() > TABLE_ROWS {
            let load = |n: &scalesim::model::NodeSnapshot| {
                let queue = f64::from(n.queue_len) / f64::from(n.queue_capacity.max(1));
                (!n.up, n.utilization.max(queue))
            };
            rows.sort_by(|a, b| {
                let ((down_a, a), (down_b, b)) = (load(a), load(b));
                down_b.cmp(&down_a).then(b.total_cmp(&a))
            });
            rows.truncate(TABLE_ROWS);
        }
        rows.into_iter()
            .map(|n| (n, if n.up { "" } else { "down" }))
            .map(|(n, state)| {
                html! {
                    <tr key={n.id.clone()} class={state}>
                        <td><code>{ &n.id }</code></td>
                        <td>{ format!("{:.0} %", n.utilization * 100.0) }</td>
                        <td>{ format!("{}/{}", n.queue_len, n.queue_capacity) }</td>
                    </tr>
                }
            })
            .collect::<Html>()
    });
    html! {
        <section class="metrics" aria-label={Msg::Metrics.text(lang)} aria-live="off">
            <h2>{ Msg::Metrics.text(lang) }</h2>
            <div class="figures-window" role="group" aria-label={Msg::FiguresWindow.text(lang)}>
                { for [(true, Msg::FiguresRecent, "figures-recent"), (false, Msg::FiguresAll, "figures-all")]
                    .into_iter().map(|(recent, label, id)| {
                        let on = props.recent == recent;
                        html! {
                            <button class="small" {id} aria-pressed={on.to_string()}
                                onclick={props.on_recent.reform(move |_: MouseEvent| recent)}>
                                { label.text(lang) }
                            </button>
                        }
                    }) }
            </div>
            if props.recent && s.is_some() {
                <p class="hint window-note">{ Msg::FiguresRecentNote.text(lang) }</p>
            }
            <dl data-window={if props.shown_recent { "recent" } else { "all" }}>
                { row(lang, Msg::Completed, "completed", count(&|s| s.completed)) }
                { row(lang, Msg::Throughput, "throughput", num(&|s| s.throughput_rps, 1, "req/s")) }
                { row(lang, Msg::LatencyP50, "p50", num(&|s| s.latency_ms.p50, 1, "ms")) }
                { row(lang, Msg::LatencyP95, "p95", num(&|s| s.latency_ms.p95, 1, "ms")) }
                { row(lang, Msg::LatencyP99, "p99", num(&|s| s.latency_ms.p99, 1, "ms")) }
                { row(lang, Msg::ErrorRate, "error-rate", num(&|s| s.error_rate * 100.0, 2, "%")) }
                { row(lang, Msg::Errors, "errors", count(&|s| s.errors.total())) }
                { row(lang, Msg::InFlight, "in-flight", count(&|s| s.in_flight)) }
                { row(lang, Msg::Availability, "availability", num(&|s| s.availability * 100.0, 2, "%")) }
                { row(lang, Msg::Uptime, "uptime", num(&|s| s.uptime * 100.0, 1, "%")) }
                { row(lang, ledger(Msg::SessionsLost), "sessions-lost", count(&|s| s.sessions_lost)) }
                { row(lang, Msg::CostPerMonth, "cost", num(&|s| s.cost_per_month, 0, "USD")) }
            </dl>
            if let Some(s) = s.filter(|s| s.data.reads + s.data.writes > 0 || s.data.cdn_hit_rate > 0.0) {
                { data_section(lang, s) }
            }
            { for s.iter().flat_map(|s| s.nodes.iter()).filter_map(|n| n.reshard.map(|r| (n, r))).map(|(n, r)| {
                let text = if r.done {
                    format!("{} {} {} ({:.0} s)", n.id, Msg::ReshardMoved.text(lang), r.moved, r.finished_s - r.started_s)
                } else {
                    format!("{} {} {} / {}", n.id, Msg::ReshardMoving.text(lang), r.moved, r.moving)
                };
                html! {
                    <div class="metric stacked">
                        <dt>{ Msg::Resharding.text(lang) }</dt>
                        <dd data-metric="reshard">{ text }</dd>
                    </div>
                }
            }) }
            if let Some(m) = s.and_then(|s| s.monitoring.as_ref()) {
                { monitoring_section(lang, m) }
            }
            if let Some(s) = s.filter(|s| s.errors.total() > 0) {
                <h3>{ Msg::ErrorsByCause.text(lang) }</h3>
                <dl class="causes">
                    { for ErrorCause::ALL.iter().filter(|c| s.errors.get(**c) > 0).map(|c| html! {
                        <div class="metric">
                            <dt>{ error_cause(lang, *c) }</dt>
                            <dd>{ s.errors.get(*c) }</dd>
                        </div>
                    }) }
                </dl>
            }
            if let Some(s) = s.filter(|s| s.completed > 0) {
                <h3>{ Msg::TimeBreakdown.text(lang) }</h3>
                <dl class="breakdown">
                    { for [
                        (Msg::Network, s.breakdown_ms.network),
                        (Msg::Dns, s.breakdown_ms.dns),
                        (Msg::Queueing, s.breakdown_ms.queue),
                        (Msg::Processing, s.breakdown_ms.service),
                    ].into_iter().map(|(m, v)| html! {
                        <div class="metric"><dt>{ m.text(lang) }</dt><dd>{ format!("{v:.1} ms") }</dd></div>
                    }) }
                </dl>
            }
            if let Some(nodes) = nodes {
                if pooled > TABLE_ROWS {
                    <p class="hint" id="node-table-busiest">{ crate::i18n::busiest_of(lang, TABLE_ROWS, pooled) }</p>
                }
                <table class="node-table">
                    <thead><tr><th><span class="sr-only">{ Msg::TableComponent.text(lang) }</span></th><th>{ Msg::Utilization.text(lang) }</th><th>{ Msg::Queue.text(lang) }</th></tr></thead>
                    <tbody>{ nodes }</tbody>
                </table>
            }
        </section>
    }
}

/// Correctness of the data: reliability, stale reads, the lost-write
/// ledger, replication lag and hit rates.
fn data_section(lang: Lang, s: &Snapshot) -> Html {
    let d = &s.data;
    let pct = |v: f64| format!("{:.2} %", v * 100.0);
    let has_cache = s.nodes.iter().any(|n| n.kind == scalesim::Kind::Cache);
    let has_cdn = s.nodes.iter().any(|n| n.kind == scalesim::Kind::Cdn);
    let has_replicas = s
        .nodes
        .iter()
        .any(|n| n.role == Some(scalesim::model::DbRole::Replica));
    html! {
        <>
            <h3>{ Msg::DataHeading.text(lang) }</h3>
            <dl class="data">
                { row(lang, Msg::Reliability, "reliability", pct(d.reliability)) }
                { row(lang, Msg::ReadP50, "read-p50", format!("{:.1} ms", s.read_latency_ms.p50)) }
                { row(lang, Msg::WriteP50, "write-p50", format!("{:.1} ms", s.write_latency_ms.p50)) }
                { row(lang, Msg::StaleReads, "stale-reads", format!("{} / {}", d.stale_reads, d.reads)) }
                if d.stale_reads > 0 {
                    { row(lang, Msg::Staleness, "staleness", format!("{:.0} / {:.0} ms", d.mean_staleness_ms, d.max_staleness_ms)) }
                }
                if let Some(example) = &d.last_stale {
                    <div class="metric stacked">
                        <dt>{ Msg::LatestStaleRead.text(lang) }</dt>
                        <dd data-metric="last-stale">{ stale_read(lang, example) }</dd>
                    </div>
                }
                if d.read_backs > 0 {
                    { row(lang, Msg::OwnWriteMisses, "own-write-misses", format!("{} / {}", d.own_write_misses, d.read_backs)) }
                }
                { row(lang, ledger(Msg::LostWrites), "lost-writes", d.lost_writes.to_string()) }
                if !d.lost_keys.is_empty() {
                    <div class="metric stacked">
                        <dt>{ Msg::LostRecords.text(lang) }</dt>
                        <dd data-metric="lost-keys">{ lost_keys(&d.lost_keys) }</dd>
                    </div>
                }
                if has_replicas {
                    { row(lang, Msg::ReplicaLag, "max-lag", format!("{:.0} ms", d.max_lag_s * 1e3)) }
                }
                if has_cache {
                    { row(lang, Msg::CacheHitRate, "cache-hit-rate", pct(d.cache_hit_rate)) }
                }
                if has_cdn {
                    { row(lang, Msg::CdnHitRate, "cdn-hit-rate", pct(d.cdn_hit_rate)) }
                }
            </dl>
        </>
    }
}

/// What the monitoring node sees: alerts, time to detect, the web tier it
/// added, and the business figures.
fn monitoring_section(lang: Lang, m: &scalesim::model::MonitoringFigures) -> Html {
    use scalesim::model::Alert;
    let firing: Vec<String> = m
        .firing
        .iter()
        .map(|(alert, node)| match alert {
            Alert::NodeDown { .. } => format!(
                "{} {}",
                node.as_deref().unwrap_or("?"),
                Msg::AlertNodeDown.text(lang)
            ),
            Alert::ErrorRate => Msg::AlertErrorRate.text(lang).to_string(),
            Alert::Latency => Msg::AlertLatency.text(lang).to_string(),
        })
        .collect();
    html! {
        <>
            <h3>{ Msg::MonitoringHeading.text(lang) }</h3>
            <dl class="monitoring">
                <div class={classes!("metric", "stacked", (!firing.is_empty()).then_some("alerting"))}>
                    <dt>{ Msg::AlertsFiring.text(lang) }</dt>
                    <dd data-metric="alerts-firing">{
                        if firing.is_empty() { Msg::NoAlerts.text(lang).to_string() } else { firing.join(", ") }
                    }</dd>
                </div>
                { row(lang, Msg::AlertsFired, "alerts-fired", m.alerts_fired.to_string()) }
                { row(lang, Msg::ErrorsLogged, "errors-logged", m.errors_logged.to_string()) }
                if let Some(d) = m.mean_detect_s {
                    { row(lang, Msg::TimeToDetect, "time-to-detect", format!("{d:.0} s")) }
                }
                if m.servers_added + m.servers_booting > 0 {
                    { row(lang, Msg::ServersAdded, "servers-added",
                        format!("{} (+{} {})", m.servers_added, m.servers_booting, Msg::Booting.text(lang))) }
                }
                { row(lang, Msg::ActiveUsers, "active-users", m.active_users.to_string()) }
                { row(lang, Msg::RequestsPerUser, "requests-per-user", format!("{:.1}", m.requests_per_user)) }
                { row(lang, Msg::ErrorBudgetUsed, "error-budget",
                    format!("{:.0} % ({} {:.3} %)", m.error_budget_used * 100.0, Msg::Slo.text(lang), m.slo_pct)) }
            </dl>
        </>
    }
}

/// The latest lost records, newest first, at most eight.
fn lost_keys(keys: &[String]) -> String {
    let shown: Vec<&str> = keys.iter().rev().take(8).map(String::as_str).collect();
    let more = keys.len().saturating_sub(shown.len());
    if more > 0 {
        format!("{} … (+{more})", shown.join(", "))
    } else {
        shown.join(", ")
    }
}
