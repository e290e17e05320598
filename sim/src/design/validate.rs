//! Turning a [`DesignDoc`] into a trusted [`Design`]: every parameter
//! checked against the catalog, every connection against what its kinds may
//! carry, the graph against cycles and unreachable parts.

use super::*;
use crate::catalog::{ParamKind, ParamSpec};
use std::collections::HashMap;

impl DesignDoc {
    /// Reads a design document from JSON text.
    pub fn from_json(text: &str) -> Result<Self, Problems> {
        // A byte-order mark, as some editors on Windows write, is not content.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if let Some(found) = limits::not_an_object(text) {
            return Err(Problems(vec![Problem::error(
                "",
                ProblemKind::NotAnObject { found },
            )]));
        }
        // Look at the version before the shape, so a newer file says "newer"
        // instead of failing on a field this version does not know.
        if let Ok(v) = serde_json_version(text)
            && v != FORMAT_VERSION
        {
            return Err(Problems(vec![Problem::error(
                "",
                ProblemKind::UnsupportedVersion { found: v },
            )]));
        }
        let doc: DesignDoc = serde_json::from_str(text).map_err(|e| {
            Problems(vec![Problem::error(
                "",
                ProblemKind::Parse {
                    message: e.to_string(),
                    line: e.line(),
                    column: e.column(),
                },
            )])
        })?;
        // Over a limit, the design is refused whole: nothing is loaded.
        let over = limits::check(&doc);
        if over.is_empty() {
            Ok(doc)
        } else {
            Err(Problems(over))
        }
    }

    /// Writes the document as pretty JSON.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a DesignDoc always serializes")
    }

    /// Checks every rule and returns the trusted design, or every problem
    /// found (errors first, then warnings).
    pub fn validate(&self) -> Result<Design, Problems> {
        let mut problems = Vec::new();
        if self.version != FORMAT_VERSION {
            problems.push(Problem::error(
                "",
                ProblemKind::UnsupportedVersion {
                    found: self.version,
                },
            ));
            return Err(Problems(problems));
        }
        // A design made over a limit in the editor: say so, and nothing
        // else (other messages would quote the long ids).
        let over = limits::check(self);
        if !over.is_empty() {
            return Err(Problems(over));
        }

        let mut index: HashMap<&str, usize> = HashMap::new();
        let mut nodes = Vec::with_capacity(self.nodes.len());
        for (i, n) in self.nodes.iter().enumerate() {
            if n.id.trim().is_empty() {
                problems.push(Problem::error("", ProblemKind::EmptyId));
            } else if index.insert(n.id.as_str(), i).is_some() {
                problems.push(Problem::error(&n.id, ProblemKind::DuplicateId));
            }
            nodes.push(Node {
                id: n.id.clone(),
                kind: n.kind,
                params: read_params(n, &mut problems),
            });
        }

        let mut out = vec![Vec::new(); nodes.len()];
        let mut out_params: Vec<Vec<EdgeParams>> = vec![Vec::new(); nodes.len()];
        for e in &self.edges {
            let loc = format!("{} → {}", e.from, e.to);
            let (Some(&a), Some(&b)) = (index.get(e.from.as_str()), index.get(e.to.as_str()))
            else {
                for id in [&e.from, &e.to] {
                    if !index.contains_key(id.as_str()) {
                        problems.push(Problem::error(
                            &loc,
                            ProblemKind::UnknownNode { id: id.clone() },
                        ));
                    }
                }
                continue;
            };
            if a == b {
                problems.push(Problem::error(&loc, ProblemKind::SelfLoop));
            } else if out[a].contains(&b) {
                problems.push(Problem::error(&loc, ProblemKind::DuplicateEdge));
            } else if !nodes[a].kind.can_connect_to(nodes[b].kind) {
                problems.push(Problem::error(
                    &loc,
                    ProblemKind::NotAllowed {
                        from: nodes[a].kind,
                        to: nodes[b].kind,
                    },
                ));
            } else {
                out[a].push(b);
                out_params[a].push(validate_edge_params(
                    e,
                    &loc,
                    crate::catalog::edge_params(nodes[a].kind, nodes[b].kind),
                    &mut problems,
                ));
            }
        }

        check_replication(&nodes, &out, &mut problems);
        for (a, targets) in out.iter().enumerate() {
            for &b in targets {
                if nodes[a].kind == Kind::ShardRouter && nodes[b].is_replica() {
                    problems.push(Problem::error(
                        format!("{} → {}", nodes[a].id, nodes[b].id),
                        ProblemKind::RouterToReplica,
                    ));
                }
            }
        }

        if let Some(path) = find_cycle(&out) {
            problems.push(Problem::error(
                "",
                ProblemKind::Cycle {
                    path: path.iter().map(|&i| nodes[i].id.clone()).collect(),
                },
            ));
        }

        let entries: Vec<usize> = (0..nodes.len())
            .filter(|&i| nodes[i].kind == Kind::Users)
            .collect();
        if entries.is_empty() {
            problems.push(Problem::error("", ProblemKind::NoEntry));
        }
        let mut warnings = Vec::new();
        for (i, n) in nodes.iter().enumerate() {
            if n.kind.spec().needs_target && out[i].is_empty() {
                problems.push(Problem::error(&n.id, ProblemKind::Dangling));
            }
        }
        // A connection the timeline makes later reaches its node too.
        let mut later = out.clone();
        for f in &self.faults {
            if let FaultAction::Connect { from, to } = &f.action
                && let (Some(&a), Some(&b)) = (index.get(from.as_str()), index.get(to.as_str()))
                && !later[a].contains(&b)
            {
                later[a].push(b);
            }
        }
        if let Some(path) = find_cycle(&later).filter(|_| later != out) {
            problems.push(Problem::error(
                "",
                ProblemKind::Cycle {
                    path: path.iter().map(|&i| nodes[i].id.clone()).collect(),
                },
            ));
        }
        let reached = reachable(&entries, &later);
        for (i, n) in nodes.iter().enumerate() {
            // Monitoring watches everything without being sent requests.
            if !reached[i] && n.kind != Kind::Monitoring {
                warnings.push(Problem::warning(&n.id, ProblemKind::Unreachable));
            }
        }

        for (i, n) in nodes.iter().enumerate() {
            let Some(u) = n.params.users() else {
                continue;
            };
            if !out[i].is_empty()
                && out[i].iter().all(|&t| nodes[t].kind == Kind::Cdn)
                && u.static_pct < 100.0
            {
                problems.push(Problem::error(&n.id, ProblemKind::OnlyCdn));
            }
            {
                let (w, st) = (u.write_pct, u.static_pct);
                if w + st > 100.0 {
                    problems.push(Problem::error(
                        &n.id,
                        ProblemKind::MixOver100 {
                            write_pct: w,
                            static_pct: st,
                        },
                    ));
                }
            }
        }
        for (i, n) in nodes.iter().enumerate() {
            if n.params.web_server().is_none_or(|p| p.job_pct > 0.0) {
                continue;
            }
            if let Some(&q) = out[i].iter().find(|&&q| nodes[q].kind == Kind::Queue) {
                warnings.push(Problem::warning(
                    &n.id,
                    ProblemKind::IdleQueue {
                        queue: nodes[q].id.clone(),
                    },
                ));
            }
        }
        for n in nodes.iter().filter(|n| n.kind == Kind::Monitoring).skip(1) {
            problems.push(Problem::error(&n.id, ProblemKind::TwoMonitors));
        }
        let faults = self.validate_faults(&index, &nodes, &mut problems);
        let datacenters = self.validate_regions(&mut problems);
        let datacenter_of = self
            .nodes
            .iter()
            .map(|n| self.regions.iter().position(|r| r.contains(n.x, n.y)))
            .collect();

        if problems.is_empty() {
            Ok(Design {
                seed: self.seed,
                nodes,
                out,
                out_params,
                faults,
                warnings,
                datacenters,
                datacenter_of,
            })
        } else {
            problems.extend(warnings);
            Err(Problems(problems))
        }
    }

    fn validate_faults(
        &self,
        index: &HashMap<&str, usize>,
        nodes: &[Node],
        problems: &mut Vec<Problem>,
    ) -> Vec<Fault> {
        use crate::time::from_secs;
        let mut faults = Vec::new();
        for (i, f) in self.faults.iter().enumerate() {
            let mut bad = |reason: String| {
                problems.push(Problem::error(
                    "",
                    ProblemKind::BadFault { index: i, reason },
                ));
            };
            if !(f.at_s.is_finite() && f.at_s >= 0.0) {
                bad(format!("at_s must be a time from 0 on, got {}", f.at_s));
                continue;
            }
            let node = |id: &str, bad: &mut dyn FnMut(String)| match index.get(id) {
                Some(&n) => Some(n),
                None => {
                    bad(format!("there is no node '{id}'"));
                    None
                }
            };
            let duration = |d: Option<f64>, bad: &mut dyn FnMut(String)| match d {
                None => Some(None),
                Some(d) if d.is_finite() && d > 0.0 => Some(Some(from_secs(d))),
                Some(d) => {
                    bad(format!("duration_s must be positive, got {d}"));
                    None
                }
            };
            let factor = |v: f64, min: f64, max: f64, bad: &mut dyn FnMut(String)| {
                if (min..=max).contains(&v) {
                    Some(v)
                } else {
                    bad(format!("factor must be {min}..={max}, got {v}"));
                    None
                }
            };
            let kind = match &f.action {
                FaultAction::Kill { target } | FaultAction::Restart { target } => {
                    let Some(n) = node(target, &mut bad) else {
                        continue;
                    };
                    if nodes[n].kind == Kind::Users {
                        bad(format!("{target} is a Users node; only servers can crash"));
                        continue;
                    }
                    if matches!(f.action, FaultAction::Kill { .. }) {
                        FaultKind::Kill(n)
                    } else {
                        FaultKind::Restart(n)
                    }
                }
                FaultAction::Slow {
                    target,
                    factor: k,
                    duration_s,
                } => {
                    let Some(n) = node(target, &mut bad) else {
                        continue;
                    };
                    if matches!(
                        nodes[n].kind,
                        Kind::Users | Kind::Dns | Kind::LoadBalancer | Kind::Monitoring
                    ) {
                        bad(format!("{target} does no processing to slow down"));
                        continue;
                    }
                    let (Some(k), Some(d)) = (
                        factor(*k, 1.0, 1000.0, &mut bad),
                        duration(*duration_s, &mut bad),
                    ) else {
                        continue;
                    };
                    FaultKind::Slow(n, k, d)
                }
                FaultAction::Cut {
                    from,
                    to,
                    duration_s,
                } => {
                    let (Some(a), Some(b)) = (node(from, &mut bad), node(to, &mut bad)) else {
                        continue;
                    };
                    let Some(d) = duration(*duration_s, &mut bad) else {
                        continue;
                    };
                    FaultKind::Cut(a, b, d)
                }
                FaultAction::KillRegion { target } | FaultAction::RestartRegion { target } => {
                    let Some(dc) = self.regions.iter().position(|r| &r.id == target) else {
                        bad(format!("there is no data center '{target}'"));
                        continue;
                    };
                    if matches!(f.action, FaultAction::KillRegion { .. }) {
                        FaultKind::KillDc(dc)
                    } else {
                        FaultKind::RestartDc(dc)
                    }
                }
                FaultAction::Purge { target } => {
                    let Some(n) = node(target, &mut bad) else {
                        continue;
                    };
                    if !matches!(nodes[n].kind, Kind::Cache | Kind::Cdn) {
                        bad(format!("{target} holds no cache to purge"));
                        continue;
                    }
                    FaultKind::Purge(n)
                }
                FaultAction::Promote { target } => {
                    let Some(n) = node(target, &mut bad) else {
                        continue;
                    };
                    if !nodes[n].is_replica() {
                        bad(format!(
                            "{target} is not a database replica; only a replica can be promoted"
                        ));
                        continue;
                    }
                    FaultKind::Promote(n)
                }
                FaultAction::Connect { from, to } => {
                    let (Some(a), Some(b)) = (node(from, &mut bad), node(to, &mut bad)) else {
                        continue;
                    };
                    if a == b {
                        bad(format!("{from} cannot connect to itself"));
                        continue;
                    }
                    if !nodes[a].kind.can_connect_to(nodes[b].kind) {
                        bad(format!(
                            "a {} cannot send requests to a {}",
                            nodes[a].kind.spec().name.en,
                            nodes[b].kind.spec().name.en
                        ));
                        continue;
                    }
                    if self.edges.iter().any(|e| &e.from == from && &e.to == to) {
                        bad(format!("{from} → {to} is already connected"));
                        continue;
                    }
                    FaultKind::Connect(a, b)
                }
                FaultAction::Spike {
                    target,
                    factor: k,
                    duration_s,
                } => {
                    let Some(n) = node(target, &mut bad) else {
                        continue;
                    };
                    if nodes[n].kind != Kind::Users {
                        bad(format!("{target} sends no traffic; spike a Users node"));
                        continue;
                    }
                    let (Some(k), Some(Some(d))) = (
                        factor(*k, 0.01, 1000.0, &mut bad),
                        duration(Some(*duration_s), &mut bad),
                    ) else {
                        continue;
                    };
                    FaultKind::Spike(n, k, d)
                }
            };
            faults.push(Fault {
                at: from_secs(f.at_s),
                kind,
            });
        }
        faults.sort_by_key(|f| f.at);
        faults
    }

    fn validate_regions(&self, problems: &mut Vec<Problem>) -> Vec<DataCenter> {
        use crate::catalog::GEO_REGIONS;
        let mut out = Vec::new();
        for (i, r) in self.regions.iter().enumerate() {
            if r.id.trim().is_empty() {
                problems.push(Problem::error("", ProblemKind::EmptyId));
            } else if self.regions[..i].iter().any(|o| o.id == r.id)
                || self.nodes.iter().any(|n| n.id == r.id)
            {
                problems.push(Problem::error(&r.id, ProblemKind::DuplicateId));
            }
            let geo = GEO_REGIONS.iter().position(|g| *g == r.region);
            if geo.is_none() {
                problems.push(Problem::error(
                    &r.id,
                    ProblemKind::BadValue {
                        key: "region".into(),
                        expected: format!("one of {}", GEO_REGIONS.join(", ")),
                    },
                ));
            }
            let sane = |v: f64| v.is_finite() && v > 0.0;
            if !(sane(r.w) && sane(r.h) && r.x.is_finite() && r.y.is_finite()) {
                problems.push(Problem::error(
                    &r.id,
                    ProblemKind::BadValue {
                        key: "w".into(),
                        expected: "a box with finite position and positive width and height".into(),
                    },
                ));
            }
            out.push(DataCenter {
                id: r.id.clone(),
                geo: geo.unwrap_or(0),
            });
        }
        out
    }

    /// A fresh node id for `kind`: its prefix and the smallest unused number.
    pub fn next_id(&self, kind: Kind) -> String {
        let prefix = kind.spec().id_prefix;
        let taken: std::collections::HashSet<&str> =
            self.nodes.iter().map(|n| n.id.as_str()).collect();
        (1..)
            .map(|n| format!("{prefix}-{n}"))
            .find(|id| !taken.contains(id.as_str()))
            .expect("an unused id exists")
    }

    /// Each node's index by id (the first node of an id, as a search from
    /// the front finds it): for looking nodes up in large designs without a
    /// search per lookup.
    pub fn node_index(&self) -> HashMap<&str, usize> {
        let mut index = HashMap::with_capacity(self.nodes.len());
        for (i, n) in self.nodes.iter().enumerate() {
            index.entry(n.id.as_str()).or_insert(i);
        }
        index
    }
}

/// Reads only the `version` field, tolerating any other content.
fn serde_json_version(text: &str) -> Result<u32, ()> {
    #[derive(Deserialize)]
    struct VersionOnly {
        version: u32,
    }
    serde_json::from_str::<VersionOnly>(text)
        .map(|v| v.version)
        .map_err(|_| ())
}

/// Checks one value against a parameter's catalog entry: the value to use,
/// or what is wrong with it. The inspector uses this to refuse a bad value
/// with its reason before it reaches the design.
pub fn check_param(spec: &ParamSpec, value: &ParamValue) -> Result<Param, ProblemKind> {
    let key = spec.key.to_string();
    match (spec.kind, value) {
        (
            ParamKind::Number {
                min, max, integer, ..
            },
            ParamValue::Number(v),
        ) => {
            let v = *v;
            if !(min..=max).contains(&v) {
                Err(ProblemKind::OutOfRange {
                    key,
                    min,
                    max,
                    got: v,
                })
            } else if integer && v.fract() != 0.0 {
                Err(ProblemKind::NotInteger { key, got: v })
            } else {
                Ok(Param::Number(v))
            }
        }
        (ParamKind::Number { min, max, .. }, ParamValue::Text(_)) => Err(ProblemKind::BadValue {
            key,
            expected: format!("a number from {min} to {max}"),
        }),
        (ParamKind::Choice { options, .. }, v) => options
            .iter()
            .find(|o| matches!(v, ParamValue::Text(s) if s == *o))
            .map(|o| Param::Choice(o))
            .ok_or_else(|| ProblemKind::BadValue {
                key,
                expected: format!("one of: {}", options.join(", ")),
            }),
    }
}

/// The value a parameter takes when a design leaves it out.
pub fn default_param(spec: &ParamSpec) -> Param {
    match spec.kind {
        ParamKind::Number { default, .. } => Param::Number(default),
        ParamKind::Choice { default, .. } => Param::Choice(default),
    }
}

/// Checks a node's parameter values and reads them into its kind's typed
/// parameters.
fn read_params(n: &NodeDoc, problems: &mut Vec<Problem>) -> crate::model::Params {
    let values = check_params(n, problems);
    n.kind.read(&super::Reader::new(n.kind, &values))
}

fn check_params(n: &NodeDoc, problems: &mut Vec<Problem>) -> Vec<(&'static str, Param)> {
    let spec = n.kind.spec();
    for key in n.params.keys() {
        if !spec.params.iter().any(|p| p.key == key) {
            problems.push(Problem::error(
                &n.id,
                ProblemKind::UnknownParam { key: key.clone() },
            ));
        }
    }
    spec.params
        .iter()
        .map(|p| {
            let value = match n.params.get(p.key) {
                None => default_param(p),
                Some(v) => check_param(p, v).unwrap_or_else(|kind| {
                    problems.push(Problem::error(&n.id, kind));
                    default_param(p)
                }),
            };
            (p.key, value)
        })
        .collect()
}

fn validate_edge_params(
    e: &EdgeDoc,
    loc: &str,
    specs: &'static [ParamSpec],
    problems: &mut Vec<Problem>,
) -> EdgeParams {
    for key in e.params.keys() {
        if !specs.iter().any(|p| p.key == key) {
            problems.push(Problem::error(
                loc,
                ProblemKind::EdgeParamNotHere { key: key.clone() },
            ));
        }
    }
    EdgeParams(
        specs
            .iter()
            .map(|p| {
                let value = match e.params.get(p.key) {
                    None => default_param(p),
                    Some(v) => check_param(p, v).unwrap_or_else(|kind| {
                        problems.push(Problem::error(loc, kind));
                        default_param(p)
                    }),
                };
                (p.key, value)
            })
            .collect(),
    )
}

/// Replication edges (database → database) must run from a master to a
/// replica, and every replica needs exactly one master.
fn check_replication(nodes: &[Node], out: &[Vec<usize>], problems: &mut Vec<Problem>) {
    let is_db = |i: usize| nodes[i].kind == Kind::Database;
    let mut masters_of: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
    for (a, targets) in out.iter().enumerate() {
        for &b in targets {
            if !(is_db(a) && is_db(b)) {
                continue;
            }
            let loc = format!("{} → {}", nodes[a].id, nodes[b].id);
            if !nodes[a].is_master() {
                problems.push(Problem::error(loc, ProblemKind::ReplicationFromReplica));
            } else if !nodes[b].is_replica() {
                problems.push(Problem::error(loc, ProblemKind::ReplicationIntoMaster));
            } else {
                masters_of[b].push(a);
            }
        }
    }
    for (i, n) in nodes.iter().enumerate() {
        if !n.is_replica() {
            continue;
        }
        match masters_of[i].len() {
            0 => problems.push(Problem::error(&n.id, ProblemKind::ReplicaWithoutMaster)),
            1 => {}
            _ => problems.push(Problem::error(
                &n.id,
                ProblemKind::TwoMasters {
                    masters: masters_of[i].iter().map(|&m| nodes[m].id.clone()).collect(),
                },
            )),
        }
    }
}

/// One cycle in the graph (node indices, first repeated at the end), if any.
fn find_cycle(out: &[Vec<usize>]) -> Option<Vec<usize>> {
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Open,
        Done,
    }
    let mut mark = vec![Mark::New; out.len()];
    let mut stack: Vec<(usize, usize)> = Vec::new();
    for start in 0..out.len() {
        if mark[start] != Mark::New {
            continue;
        }
        stack.push((start, 0));
        mark[start] = Mark::Open;
        while let Some(&mut (node, ref mut next)) = stack.last_mut() {
            if let Some(&child) = out[node].get(*next) {
                *next += 1;
                match mark[child] {
                    Mark::New => {
                        mark[child] = Mark::Open;
                        stack.push((child, 0));
                    }
                    Mark::Open => {
                        let from = stack.iter().position(|(n, _)| *n == child).unwrap_or(0);
                        let mut path: Vec<usize> = stack[from..].iter().map(|(n, _)| *n).collect();
                        path.push(child);
                        return Some(path);
                    }
                    Mark::Done => {}
                }
            } else {
                mark[node] = Mark::Done;
                stack.pop();
            }
        }
    }
    None
}

fn reachable(entries: &[usize], out: &[Vec<usize>]) -> Vec<bool> {
    let mut seen = vec![false; out.len()];
    let mut todo: Vec<usize> = entries.to_vec();
    while let Some(n) = todo.pop() {
        if !std::mem::replace(&mut seen[n], true) {
            todo.extend(&out[n]);
        }
    }
    seen
}

#[cfg(test)]
#[path = "tests.rs"]
mod tests;
