//! The inspector: the selected node's parameters, rendered from the
//! catalog with units, ranges and help; bad values are refused with the
//! reason shown beside the field.

use crate::driver::Operation;
use crate::i18n::{Lang, Msg, problem};
use crate::state::Action;
use scalesim::catalog::Kind;
use scalesim::catalog::{ParamKind, ParamSpec, PresetValue};
use scalesim::design::{
    EdgeDoc, NodeDoc, Param, ParamValue, Problem, ProblemKind, RegionDoc, Severity, check_param,
    default_param,
};
use std::collections::{BTreeMap, HashMap};
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// Properties of [`Inspector`].
#[derive(Properties, PartialEq)]
pub struct InspectorProps {
    /// The selected node.
    pub node: Option<NodeDoc>,
    /// UI language.
    pub lang: Lang,
    /// Receives edits.
    pub on_action: Callback<Action>,
    /// How many nodes are selected (the fields show when it is one).
    #[prop_or_default]
    pub selected_count: usize,
    /// What is wrong with the selected node, connection or data center, in
    /// full words (the canvas marks it with a few).
    #[prop_or_default]
    pub problems: Vec<String>,
    /// Whether a simulation exists (operator actions need one).
    #[prop_or_default]
    pub live: bool,
    /// Receives operator actions on the running node.
    #[prop_or_default]
    pub on_operate: Callback<(String, Operation)>,
    /// The selected connection, if one is selected instead of nodes.
    #[prop_or_default]
    pub edge: Option<EdgeDoc>,
    /// The kinds at the selected connection's ends.
    #[prop_or_default]
    pub edge_kinds: Option<(Kind, Kind)>,
    /// The selected data center, if one is selected.
    #[prop_or_default]
    pub region: Option<RegionDoc>,
    /// Where the selected node sends requests (ids), for its connection
    /// list.
    #[prop_or_default]
    pub targets: Vec<String>,
    /// The selected node's figures while a simulation exists.
    #[prop_or_default]
    pub live_node: Option<scalesim::model::NodeSnapshot>,
    /// The selected connection while a simulation exists: its requests
    /// per second and the called node's figures.
    #[prop_or_default]
    pub live_edge: Option<(f64, Option<scalesim::model::NodeSnapshot>)>,
    /// Opens the selected node's latest failed request, if it has one.
    #[prop_or_default]
    pub on_latest_failure: Option<Callback<()>>,
    /// Parameters the lesson sets on the selected node (its workload), with
    /// the values it grades with: shown, not editable.
    #[prop_or_default]
    pub locked: BTreeMap<String, ParamValue>,
}

/// A node's figures now: what the live panel shows.
fn live_node(
    n: &scalesim::model::NodeSnapshot,
    lang: Lang,
    latest_failure: Option<&Callback<()>>,
) -> Html {
    let row = |label: Msg, key: &'static str, value: String| {
        html! {
            <div class="metric"><dt>{ label.text(lang) }</dt><dd data-live={key}>{ value }</dd></div>
        }
    };
    html! {
        <div class="live" aria-live="off">
            <h3>{ Msg::LiveNow.text(lang) }</h3>
            <dl>
                { row(Msg::LiveState, "state", if n.up { Msg::LiveUp.text(lang).to_string() } else { Msg::Down.text(lang).to_string() }) }
                if n.workers > 0 && n.pool.is_none() {
                    { row(Msg::Utilization, "utilization", format!("{:.0} %", n.utilization * 100.0)) }
                    { row(Msg::Queue, "queue", format!("{} / {}", n.queue_len, n.queue_capacity)) }
                    { row(Msg::LiveWait, "wait", format!("{:.1} ms", n.mean_wait_ms)) }
                    { row(Msg::LiveBusy, "busy", format!("{:.1} ms", n.mean_busy_ms)) }
                    { row(Msg::LiveLatency, "latency", format!("{:.1} ms", n.mean_wait_ms + n.mean_busy_ms)) }
                }
                { row(Msg::LiveServed, "served", n.served.to_string()) }
                { row(Msg::LiveErrors, "errors", n.errors.to_string()) }
                { row(Msg::LiveDropped, "dropped", n.dropped.to_string()) }
                if let Some(c) = &n.cache {
                    { row(Msg::LiveHitRate, "hit-rate", format!("{:.1} %", c.hit_rate * 100.0)) }
                    { row(Msg::LiveHeld, "held", c.held.to_string()) }
                    { row(Msg::LiveEvictions, "evictions", c.evictions.to_string()) }
                    { row(Msg::LiveExpirations, "expirations", c.expirations.to_string()) }
                    { row(Msg::LiveDuplicateMisses, "duplicate-misses", c.duplicate_misses.to_string()) }
                    { row(Msg::LiveCoalesced, "coalesced", c.coalesced.to_string()) }
                }
                if let Some(q) = &n.queue {
                    { row(Msg::LiveBacklog, "backlog", q.backlog.to_string()) }
                    { row(Msg::LiveInFlight, "in-flight", q.in_flight.to_string()) }
                    { row(Msg::LiveOldest, "oldest", format!("{:.1} s", q.oldest_age_s)) }
                    { row(Msg::LiveRedelivered, "redelivered", q.redelivered.to_string()) }
                    { row(Msg::LiveDeadLettered, "dead-lettered", q.dead_lettered.to_string()) }
                    { row(Msg::LiveJobsLost, "jobs-lost", q.lost.to_string()) }
                }
                if let Some(w) = &n.pool {
                    { row(Msg::Utilization, "utilization", format!("{:.0} %", w.utilization * 100.0)) }
                    { row(Msg::LiveInstances, "instances", format!("{} ({})", w.instances, w.starting)) }
                    { row(Msg::LiveJobsDone, "jobs-done", w.processed.to_string()) }
                    { row(Msg::LiveJobsFailed, "jobs-failed", w.failed.to_string()) }
                }
                if n.cost_per_month > 0.0 {
                    { row(Msg::LiveCost, "cost", match lang {
                        Lang::En => format!("{:.0} USD/month", n.cost_per_month),
                        Lang::Ko => format!("{:.0} USD/월", n.cost_per_month),
                    }) }
                }
            </dl>
            if let Some(cb) = latest_failure {
                <button class="small" id="latest-failure" onclick={cb.reform(|_: MouseEvent| ())}>
                    { Msg::LatestFailure.text(lang) }
                </button>
            }
        </div>
    }
}

/// The inspector panel.
#[function_component(Inspector)]
pub fn inspector(props: &InspectorProps) -> Html {
    let lang = props.lang;
    if props.selected_count > 1 {
        let on_delete = props
            .on_action
            .reform(|_: MouseEvent| Action::DeleteSelected);
        return html! {
            <section class="inspector" aria-label={Msg::Inspector.text(lang)}>
                <h2>{ Msg::Inspector.text(lang) }</h2>
                <div class="inspector-head">
                    <strong id="selection-count">
                        { format!("{} {}", props.selected_count, Msg::ManySelected.text(lang)) }
                    </strong>
                    <button class="small" onclick={on_delete}>{ Msg::Delete.text(lang) }</button>
                </div>
                <p class="hint">{ Msg::ManySelectedHint.text(lang) }</p>
                <button class="small" id="duplicate-selection"
                    onclick={props.on_action.reform(|_: MouseEvent| Action::DuplicateSelected)}>
                    { Msg::Duplicate.text(lang) }</button>
            </section>
        };
    }
    let problems = selection_problems(&props.problems);
    if let Some(r) = &props.region {
        return region_panel(r, lang, &props.on_action, problems);
    }
    if let Some(edge) = &props.edge {
        let on_delete = props
            .on_action
            .reform(|_: MouseEvent| Action::DeleteSelected);
        let meaning = props
            .edge_kinds
            .map(|(a, b)| crate::kinds::edge_meaning(a, b));
        let specs = props
            .edge_kinds
            .map_or(&[][..], |(a, b)| scalesim::catalog::edge_params(a, b));
        let location = format!("{} → {}", edge.from, edge.to);
        let heading = props.edge_kinds.map_or(Msg::EdgePolicy, |(from, _)| {
            crate::kinds::ui(from).edge_heading
        });
        let on_set = {
            let (on_action, from, to) =
                (props.on_action.clone(), edge.from.clone(), edge.to.clone());
            Callback::from(move |(key, value): (String, ParamValue)| {
                on_action.emit(Action::SetEdgeParam {
                    from: from.clone(),
                    to: to.clone(),
                    key,
                    value,
                })
            })
        };
        return html! {
            <section class="inspector" aria-label={Msg::Inspector.text(lang)}>
                <h2>{ Msg::Inspector.text(lang) }</h2>
                <div class="inspector-head">
                    <strong>{ Msg::Connection.text(lang) }</strong>
                    <code id="selected-edge">{ &location }</code>
                    <button class="small" onclick={on_delete}>{ Msg::Delete.text(lang) }</button>
                </div>
                { problems }
                if let Some(m) = meaning {
                    <p class="hint">{ m.text(lang) }</p>
                }
                if let Some((rate, callee)) = &props.live_edge {
                    <div class="live" aria-live="off">
                        <h3>{ Msg::LiveNow.text(lang) }</h3>
                        <dl>
                            <div class="metric"><dt>{ Msg::LiveRate.text(lang) }</dt>
                                <dd data-live="rate">{ format!("{rate:.1} req/s") }</dd></div>
                            if let Some(c) = callee.as_ref().filter(|c| c.workers > 0) {
                                <div class="metric"><dt>{ Msg::LiveCallLatency.text(lang) }</dt>
                                    <dd data-live="latency">{ format!("{:.1} ms", c.mean_wait_ms + c.mean_busy_ms) }</dd></div>
                            }
                        </dl>
                    </div>
                }
                if !specs.is_empty() {
                    <h3>{ heading.text(lang) }</h3>
                    <ParamFields key={location.clone()} {specs} values={edge.params.clone()}
                        location={location.clone()} {lang} {on_set} />
                }
            </section>
        };
    }
    let Some(node) = &props.node else {
        return html! {
            <section class="inspector" aria-label={Msg::Inspector.text(lang)}>
                <h2>{ Msg::Inspector.text(lang) }</h2>
                <p class="hint">{ Msg::NothingSelected.text(lang) }</p>
            </section>
        };
    };
    html! {
        <section class="inspector" aria-label={Msg::Inspector.text(lang)}>
            <h2>{ Msg::Inspector.text(lang) }</h2>
            { problems }
            if let Some(n) = &props.live_node {
                { live_node(n, lang, props.on_latest_failure.as_ref()) }
            }
            <NodeFields key={node.id.clone()} node={node.clone()} {lang} on_action={props.on_action.clone()}
                targets={props.targets.clone()} locked={props.locked.clone()}
                live={props.live} on_operate={props.on_operate.clone()} />
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct FieldsProps {
    node: NodeDoc,
    /// Where this node sends requests (ids).
    targets: Vec<String>,
    lang: Lang,
    on_action: Callback<Action>,
    live: bool,
    on_operate: Callback<(String, Operation)>,
    locked: BTreeMap<String, ParamValue>,
}

#[function_component(NodeFields)]
fn node_fields(props: &FieldsProps) -> Html {
    let lang = props.lang;
    let node = &props.node;
    let spec = node.kind.spec();
    // A preset replaces values wholesale: a new generation of the fields
    // forgets entries refused before it.
    let generation = use_state(|| 0u32);
    let on_set = {
        let (on_action, id) = (props.on_action.clone(), node.id.clone());
        Callback::from(move |(key, value): (String, ParamValue)| {
            on_action.emit(Action::SetParam {
                id: id.clone(),
                key,
                value,
            })
        })
    };
    let on_delete = {
        let on_action = props.on_action.clone();
        Callback::from(move |_: MouseEvent| on_action.emit(Action::DeleteSelected))
    };
    let presets = spec.presets.iter().map(|preset| {
        let (on_action, id, generation) =
            (props.on_action.clone(), node.id.clone(), generation.clone());
        let onclick = Callback::from(move |_: MouseEvent| {
            let values = preset
                .values
                .iter()
                .map(|(key, v)| {
                    let value = match v {
                        PresetValue::Number(n) => ParamValue::Number(*n),
                        PresetValue::Choice(c) => ParamValue::Text((*c).to_string()),
                    };
                    ((*key).to_string(), value)
                })
                .collect();
            generation.set(*generation + 1);
            on_action.emit(Action::SetParams {
                id: id.clone(),
                values,
            });
        });
        html! {
            <button class="small preset" title={lang.pick(preset.help)} {onclick}>
                { lang.pick(preset.name) }
            </button>
        }
    });
    html! {
        <>
            <div class="inspector-head">
                <strong>{ lang.pick(spec.name) }</strong>
                <code>{ &node.id }</code>
                <button class="small" onclick={on_delete}>{ Msg::Delete.text(lang) }</button>
            </div>
            if props.live {
                { operations(node, lang, &props.on_operate) }
            }
            { connections(node, &props.targets, lang, &props.on_action) }
            if !spec.presets.is_empty() {
                <div class="presets" role="group" aria-label={Msg::Presets.text(lang)}>
                    <span class="hint">{ Msg::Presets.text(lang) }</span>
                    { for presets }
                </div>
            }
            <ParamFields key={*generation} specs={spec.params} values={node.params.clone()}
                location={node.id.clone()} {lang} {on_set} locked={props.locked.clone()} />
        </>
    }
}

#[derive(Properties, PartialEq)]
struct ParamFieldsProps {
    /// The parameters to show, from the catalog.
    specs: &'static [ParamSpec],
    /// Their values as written in the design (missing: the default).
    values: BTreeMap<String, ParamValue>,
    /// Where they belong (node id, or `a → b`), for refusal messages.
    location: String,
    lang: Lang,
    /// Receives an accepted value.
    on_set: Callback<(String, ParamValue)>,
    /// Parameters set by a lesson: shown with its value, not editable.
    #[prop_or_default]
    locked: BTreeMap<String, ParamValue>,
}

fn current(values: &BTreeMap<String, ParamValue>, spec: &ParamSpec) -> Param {
    values
        .get(spec.key)
        .and_then(|v| check_param(spec, v).ok())
        .unwrap_or_else(|| default_param(spec))
}

/// One field per parameter with its unit, range and help; a refused value
/// stays in its field with the reason beside it.
#[function_component(ParamFields)]
fn param_fields(props: &ParamFieldsProps) -> Html {
    let lang = props.lang;
    let (specs, values) = (props.specs, &props.values);
    // Refused entries: the text the user typed (kept in the field so it can
    // be corrected) and why it was refused (rendered in the current language).
    let errors = use_state(HashMap::<&'static str, (String, ProblemKind)>::new);

    let commit = {
        let (errors, on_set) = (errors.clone(), props.on_set.clone());
        move |p: &'static ParamSpec, text: String, value: ParamValue| {
            let mut next = (*errors).clone();
            match check_param(p, &value) {
                Ok(_) => {
                    next.remove(p.key);
                    on_set.emit((p.key.to_string(), value));
                }
                Err(kind) => {
                    next.insert(p.key, (text, kind));
                }
            }
            errors.set(next);
        }
    };

    let shown = |p: &&ParamSpec| match p.only_with {
        None => true,
        Some((key, option)) => specs.iter().find(|q| q.key == key).is_some_and(|q| {
            let now = current(values, q);
            option.split('|').any(|o| now == Param::Choice(o))
        }),
    };
    let fields = specs.iter().filter(shown).map(|p| {
        // A parameter the lesson sets shows the lesson's value, locked.
        let lesson_value = props
            .locked
            .get(p.key)
            .and_then(|v| check_param(p, v).ok());
        let locked = lesson_value.is_some();
        let values = &{
            let mut v = values.clone();
            if let Some(x) = props.locked.get(p.key) {
                v.insert(p.key.to_string(), x.clone());
            }
            v
        };
        let input_id = format!("param-{}", p.key);
        let help_id = format!("help-{}", p.key);
        let refused = errors.get(p.key).cloned();
        let error = refused.as_ref().map(|(_, kind)| {
            problem(
                lang,
                &Problem {
                    severity: Severity::Error,
                    location: props.location.clone(),
                    kind: kind.clone(),
                },
            )
        });
        let control = match (p.kind, current(values, p)) {
            (
                ParamKind::Number {
                    min, max, integer, ..
                },
                Param::Number(v),
            ) => {
                let commit = commit.clone();
                let onchange = Callback::from(move |e: Event| {
                    let input: HtmlInputElement = e.target_unchecked_into();
                    let text = input.value();
                    let value = text
                        .trim()
                        .parse::<f64>()
                        .map(ParamValue::Number)
                        .unwrap_or_else(|_| ParamValue::Text(text.clone()));
                    commit(p, text, value);
                });
                html! {
                    <input id={input_id.clone()} type="number"
                        value={refused.map_or_else(|| v.to_string(), |(text, _)| text)}
                        min={min.to_string()} max={max.to_string()}
                        step={if integer { "1" } else { "any" }}
                        aria-describedby={help_id.clone()}
                        aria-invalid={error.is_some().to_string()}
                        disabled={locked}
                        {onchange} />
                }
            }
            (
                ParamKind::Choice {
                    options, labels, ..
                },
                Param::Choice(v),
            ) => {
                let commit = commit.clone();
                let onchange = Callback::from(move |e: Event| {
                    let select: HtmlSelectElement = e.target_unchecked_into();
                    let text = select.value();
                    commit(p, text.clone(), ParamValue::Text(text));
                });
                html! {
                    <select id={input_id.clone()} aria-describedby={help_id.clone()} disabled={locked} {onchange}>
                        { for options.iter().zip(labels.iter()).map(|(o, l)| html! {
                            <option value={*o} selected={*o == v}>{ lang.pick(*l) }</option>
                        }) }
                    </select>
                }
            }
            _ => html! {},
        };
        let unit = match p.kind {
            ParamKind::Number { unit, .. } => unit.symbol(),
            ParamKind::Choice { .. } => "",
        };
        html! {
            <div class={classes!("field", error.is_some().then_some("invalid"))}>
                <label for={input_id}>{ lang.pick(p.label) }</label>
                <div class="control">{ control }<span class="unit">{ unit }</span></div>
                if let Some(e) = error {
                    <p class="field-error" role="alert">{ e }</p>
                }
                if locked {
                    <p class="field-locked" data-locked={p.key}>{ Msg::LessonLocked.text(lang) }</p>
                }
                <p class="help" id={help_id}>{ lang.pick(p.help) }</p>
            </div>
        }
    });
    html! { <>{ for fields }</> }
}

/// Buttons for what an operator can do to this node while it runs.
fn operations(node: &NodeDoc, lang: Lang, on_operate: &Callback<(String, Operation)>) -> Html {
    let Some(op) = (crate::kinds::ui(node.kind).operation)(node) else {
        return Html::default();
    };
    let (label, help) = match op {
        Operation::Promote => (Msg::PromoteNow, Msg::PromoteHint),
        Operation::Purge => (Msg::PurgeNow, Msg::PurgeHint),
    };
    let id = node.id.clone();
    let onclick = on_operate.reform(move |_: MouseEvent| (id.clone(), op));
    html! {
        <div class="operations">
            <button class="small" id="operate" title={help.text(lang)} {onclick}>{ label.text(lang) }</button>
            <span class="hint">{ help.text(lang) }</span>
        </div>
    }
}

/// A data center: its region and its delete button.
/// The selection's problems in full words, where the inspector starts.
fn selection_problems(problems: &[String]) -> Html {
    if problems.is_empty() {
        return Html::default();
    }
    html! {
        <ul id="selection-problems" class="selection-problems">
            { for problems.iter().map(|p| html! { <li>{ p }</li> }) }
        </ul>
    }
}

fn region_panel(r: &RegionDoc, lang: Lang, on_action: &Callback<Action>, problems: Html) -> Html {
    use scalesim::catalog::{GEO_LABELS, GEO_REGIONS};
    let on_delete = on_action.reform(|_: MouseEvent| Action::DeleteSelected);
    let onchange = {
        let (on_action, id) = (on_action.clone(), r.id.clone());
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<HtmlSelectElement>() {
                on_action.emit(Action::SetRegionPlace {
                    id: id.clone(),
                    region: select.value(),
                });
            }
        })
    };
    html! {
        <section class="inspector" aria-label={Msg::Inspector.text(lang)}>
            <h2>{ Msg::Inspector.text(lang) }</h2>
            <div class="inspector-head">
                <strong>{ lang.pick(scalesim::catalog::DATA_CENTER_NAME) }</strong>
                <code id="selected-region">{ &r.id }</code>
                <button class="small" onclick={on_delete}>{ Msg::Delete.text(lang) }</button>
            </div>
            { problems }
            <div class="field">
                <label for="region-place">{ Msg::RegionPlace.text(lang) }</label>
                <select id="region-place" {onchange} aria-describedby="region-help">
                    { for GEO_REGIONS.iter().zip(GEO_LABELS).map(|(key, label)| html! {
                        <option value={*key} selected={*key == r.region}>{ lang.pick(*label) }</option>
                    }) }
                </select>
                <p class="help" id="region-help">{ Msg::RegionHelp.text(lang) }</p>
            </div>
            <div class="field">
                <button class="small" id="duplicate-dc" aria-describedby="duplicate-dc-help"
                    onclick={on_action.reform(|_: MouseEvent| Action::DuplicateSelected)}>
                    { Msg::DuplicateDc.text(lang) }</button>
                <p class="help" id="duplicate-dc-help">{ Msg::DuplicateDcHelp.text(lang) }</p>
            </div>
        </section>
    }
}

/// The node's outgoing connections, each with a button to remove it (the
/// keyboard's way to delete an edge).
fn connections(
    node: &NodeDoc,
    targets: &[String],
    lang: Lang,
    on_action: &Callback<Action>,
) -> Html {
    if targets.is_empty() {
        return Html::default();
    }
    html! {
        <div class="connections">
            <h3>{ Msg::Connections.text(lang) }</h3>
            <ul>
                { for targets.iter().map(|to| {
                    let (from, to2) = (node.id.clone(), to.clone());
                    let onclick = on_action.reform(move |_: MouseEvent| Action::Disconnect {
                        from: from.clone(),
                        to: to2.clone(),
                    });
                    html! {
                        <li>
                            <code>{ format!("→ {to}") }</code>
                            <button class="small" data-disconnect={to.clone()}
                                aria-label={format!("{} {} → {}", Msg::Disconnect.text(lang), node.id, to)}
                                {onclick}>{ Msg::Disconnect.text(lang) }</button>
                        </li>
                    }
                }) }
            </ul>
        </div>
    }
}
