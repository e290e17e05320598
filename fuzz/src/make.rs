//! Random designs: mostly ones the validator accepts (the catalog's kinds,
//! parameters inside their ranges, connections the catalog allows, no
//! cycles), and, when asked for, wild ones (values out of range or of the
//! wrong type, unknown ids and keys, back edges, self loops).

use rand_core::Rng;
use scalesim::catalog::{CATALOG, GEO_REGIONS, ParamKind, ParamSpec, PresetValue, edge_params};
use scalesim::design::{FaultAction, FaultDoc, RegionDoc};
use scalesim::rng::{SimRng, below, stream};
use scalesim::{DesignDoc, EdgeDoc, Kind, NodeDoc, ParamValue};
use std::collections::BTreeMap;

/// A seeded source of the choices a generator makes.
pub struct Dice(SimRng);

impl Dice {
    /// The dice for input `index` of a run with `seed`: each input can be
    /// made again on its own.
    pub fn new(seed: u64, index: u64) -> Self {
        Dice(stream(
            seed ^ index.wrapping_mul(0x9e37_79b9_7f4a_7c15),
            "fuzz",
        ))
    }

    /// A whole number in `0..n` (0 when `n` is 0).
    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            below(&mut self.0, n as u64) as usize
        }
    }

    /// A whole number in `lo..=hi`.
    pub fn between(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// True with probability `p`.
    pub fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    /// A number in `0..1`.
    pub fn unit(&mut self) -> f64 {
        (self.u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// 64 random bits.
    pub fn u64(&mut self) -> u64 {
        self.0.next_u64()
    }

    /// One of `items`.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

/// Numbers that break careless code: extremes, signs, non-finite values in
/// their JSON-less form (the generator writes them as documents, so only
/// finite ones), whole numbers past 2^53.
pub const AWKWARD_NUMBERS: &[f64] = &[
    0.0,
    -0.0,
    -1.0,
    0.5,
    1e-320,
    1e-9,
    1e9,
    4_294_967_296.0,
    9_007_199_254_740_993.0,
    1.8e19,
    1e308,
    -1e308,
    f64::MAX,
    f64::MIN_POSITIVE,
];

/// Ids that break careless code.
const AWKWARD_IDS: &[&str] = &[
    "",
    " ",
    "web-1",
    "users-1",
    "a → b",
    "데이터베이스",
    "\u{0}",
    "\u{202e}evil",
    "x\ny",
];

/// Where a kind sits from the users inward: connections go from a lower
/// tier to a higher one, so a design made in this order has no cycles.
fn tier(kind: Kind) -> u8 {
    match kind {
        Kind::Users => 0,
        Kind::Dns => 1,
        Kind::Cdn => 2,
        Kind::RateLimiter => 3,
        Kind::LoadBalancer => 4,
        Kind::WebServer => 5,
        Kind::Queue => 6,
        Kind::Workers => 7,
        Kind::ShardRouter => 8,
        Kind::Cache | Kind::SessionStore => 9,
        Kind::Database => 10,
        Kind::Monitoring => 11,
    }
}

/// A random design. `wild` designs break the rules on purpose; the others
/// mostly pass the validator (about nine in ten).
pub fn design(d: &mut Dice, wild: bool) -> DesignDoc {
    let n = if d.chance(0.1) {
        d.between(12, 48)
    } else {
        d.between(2, 11)
    };
    let mut kinds: Vec<Kind> = (0..n)
        .map(|i| {
            if i == 0 || d.chance(0.08) {
                Kind::Users
            } else if i == 1 && !wild {
                Kind::WebServer
            } else {
                d.pick(CATALOG).kind
            }
        })
        .collect();
    if !wild {
        kinds.sort_by_key(|k| tier(*k));
        // One monitoring node at most.
        let first = kinds.iter().position(|k| *k == Kind::Monitoring);
        let mut i = 0;
        kinds.retain(|k| {
            i += 1;
            *k != Kind::Monitoring || Some(i - 1) == first
        });
    }
    let mut nodes: Vec<NodeDoc> = Vec::with_capacity(n);
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, kind) in kinds.into_iter().enumerate() {
        let prefix = kind.spec().id_prefix;
        let c = counts.entry(prefix).or_default();
        *c += 1;
        let mut id = format!("{prefix}-{c}");
        if wild && d.chance(0.05) {
            id = (*d.pick(AWKWARD_IDS)).to_string();
        }
        let x = 80.0 + (i % 6) as f64 * 160.0;
        let y = 80.0 + (i / 6) as f64 * 120.0;
        let mut params = params(d, kind.spec().params, wild);
        // Presets: the shapes the lessons build.
        let spec = kind.spec();
        if !spec.presets.is_empty() && d.chance(0.3) {
            for (key, value) in d.pick(spec.presets).values {
                let v = match value {
                    PresetValue::Number(x) => ParamValue::Number(*x),
                    PresetValue::Choice(c) => ParamValue::Text((*c).to_string()),
                };
                params.insert((*key).to_string(), v);
            }
        }
        nodes.push(NodeDoc {
            id,
            kind,
            x,
            y,
            params,
        });
    }
    if !wild {
        for node in &mut nodes {
            tidy(node);
        }
        // Masters before replicas, so replication runs forward.
        nodes.sort_by_key(|n| (tier(n.kind), n.is_replica()));
    }
    let edges = edges(d, &mut nodes, wild);
    let regions: Vec<RegionDoc> = (0..if d.chance(0.3) { d.between(1, 3) } else { 0 })
        .map(|i| RegionDoc {
            id: format!("dc-{}", i + 1),
            region: (*d.pick(GEO_REGIONS)).to_string(),
            x: d.below(800) as f64,
            y: d.below(400) as f64,
            w: 100.0 + d.below(800) as f64,
            h: 100.0 + d.below(400) as f64,
        })
        .collect();
    let faults = (0..d.below(5))
        .filter_map(|_| fault(d, &nodes, &edges, regions.len(), wild))
        .collect();
    let mut doc = DesignDoc {
        seed: d.u64() % 1_000_000,
        nodes,
        edges,
        faults,
        regions,
        ..DesignDoc::default()
    };
    if wild && d.chance(0.05) {
        doc.version = d.below(4) as u32;
    }
    doc
}

/// Makes a node's parameters agree with each other: a user mix within
/// 100 %.
fn tidy(node: &mut NodeDoc) {
    let num = |node: &NodeDoc, k: &str| match node.params.get(k) {
        Some(ParamValue::Number(x)) => *x,
        _ => match node.kind.spec().params.iter().find(|p| p.key == k) {
            Some(ParamSpec {
                kind: ParamKind::Number { default, .. },
                ..
            }) => *default,
            _ => 0.0,
        },
    };
    let (w, s) = (num(node, "write_pct"), num(node, "static_pct"));
    if w + s > 100.0 {
        node.params.insert(
            "static_pct".into(),
            ParamValue::Number((100.0 - w).max(0.0)),
        );
    }
}

/// Values for some of `specs`; wild ones may be out of range, of the wrong
/// type, or unknown.
fn params(d: &mut Dice, specs: &[ParamSpec], wild: bool) -> BTreeMap<String, ParamValue> {
    let mut out = BTreeMap::new();
    for spec in specs {
        if !d.chance(0.4) {
            continue;
        }
        out.insert(spec.key.to_string(), value(d, spec, wild));
    }
    if wild && d.chance(0.05) {
        out.insert("no_such_param".into(), ParamValue::Number(1.0));
    }
    out
}

/// A value for `spec`.
pub fn value(d: &mut Dice, spec: &ParamSpec, wild: bool) -> ParamValue {
    if wild && d.chance(0.15) {
        return if d.chance(0.5) {
            ParamValue::Number(*d.pick(AWKWARD_NUMBERS))
        } else {
            ParamValue::Text((*d.pick(AWKWARD_IDS)).to_string())
        };
    }
    match spec.kind {
        ParamKind::Number {
            min, max, integer, ..
        } => {
            // The ends of the range are where trouble hides; rates and
            // sizes in the top half are capped so a run stays small.
            let top = if max > 1e4 {
                min.max(max.min(1e4))
            } else {
                max
            };
            let v = match d.below(6) {
                0 => min,
                1 => max,
                _ => min + d.unit() * (top - min),
            };
            ParamValue::Number(if integer {
                v.round().clamp(min, max)
            } else {
                v
            })
        }
        ParamKind::Choice { options, .. } => ParamValue::Text((*d.pick(options)).to_string()),
    }
}

/// Connections: forward ones the catalog allows (no cycles, replication
/// from a master to its replicas, each replica with one master), and in
/// wild designs any pair at all. Nodes that must send on but have nowhere
/// to send are removed from valid designs.
fn edges(d: &mut Dice, nodes: &mut Vec<NodeDoc>, wild: bool) -> Vec<EdgeDoc> {
    let mut out: Vec<EdgeDoc> = Vec::new();
    let allowed = |a: &NodeDoc, b: &NodeDoc| {
        a.kind.can_connect_to(b.kind)
            && (wild
                || match (a.kind, b.kind) {
                    (Kind::Database, Kind::Database) => !a.is_replica() && b.is_replica(),
                    (_, Kind::Database) => !b.is_replica() || a.kind != Kind::ShardRouter,
                    _ => true,
                })
    };
    for i in 0..nodes.len() {
        let a = &nodes[i];
        let mut targets: Vec<usize> = (i + 1..nodes.len())
            .filter(|&j| allowed(a, &nodes[j]))
            .filter(|&j| {
                // A replica has one master.
                wild || !(a.kind == Kind::Database && nodes[j].kind == Kind::Database)
                    || !out
                        .iter()
                        .any(|e| e.to == nodes[j].id && e.from.starts_with("db"))
            })
            .collect();
        if !wild && a.kind == Kind::Users && targets.iter().all(|&j| nodes[j].kind == Kind::Cdn) {
            // A CDN serves only static files: users need another way in.
            targets.clear();
        }
        let want = if targets.is_empty() {
            0
        } else {
            d.between(1, 3)
        };
        for _ in 0..want {
            let j = *d.pick(&targets);
            if out.iter().any(|e| e.from == a.id && e.to == nodes[j].id) {
                continue;
            }
            let mut e = EdgeDoc::new(a.id.clone(), nodes[j].id.clone());
            for spec in edge_params(a.kind, nodes[j].kind) {
                if d.chance(0.3) {
                    e.params.insert(spec.key.to_string(), value(d, spec, wild));
                }
            }
            out.push(e);
        }
    }
    if wild {
        for _ in 0..d.below(3) {
            let (a, b) = (d.pick(nodes), d.pick(nodes));
            let to = if d.chance(0.2) {
                "nowhere".to_string()
            } else {
                b.id.clone()
            };
            out.push(EdgeDoc::new(a.id.clone(), to));
        }
        return out;
    }
    // Users that reach only CDNs, replicas without a master: made valid;
    // a web server that hands work to a queue has work to hand over.
    for node in nodes.iter_mut() {
        if node.kind == Kind::WebServer
            && out
                .iter()
                .any(|e| e.from == node.id && e.to.starts_with("queue"))
            && !matches!(node.params.get("job_pct"), Some(ParamValue::Number(x)) if *x > 0.0)
        {
            let pct = 10.0 + d.unit() * 80.0;
            node.params
                .insert("job_pct".into(), ParamValue::Number(pct));
        }
        if node.kind == Kind::Users {
            let mine: Vec<&EdgeDoc> = out.iter().filter(|e| e.from == node.id).collect();
            if !mine.is_empty() && mine.iter().all(|e| e.to.starts_with("cdn")) {
                node.params
                    .insert("static_pct".into(), ParamValue::Number(100.0));
                node.params
                    .insert("write_pct".into(), ParamValue::Number(0.0));
            }
        }
        if node.is_replica()
            && !out
                .iter()
                .any(|e| e.to == node.id && e.from.starts_with("db"))
        {
            node.params
                .insert("role".into(), ParamValue::Text("master".into()));
        }
    }
    // Nodes that must send on and cannot: gone, with what called them,
    // until none is left.
    loop {
        let dangling: Vec<String> = nodes
            .iter()
            .filter(|n| n.kind.spec().needs_target && !out.iter().any(|e| e.from == n.id))
            .map(|n| n.id.clone())
            .collect();
        if dangling.is_empty() {
            break;
        }
        nodes.retain(|n| !dangling.contains(&n.id));
        out.retain(|e| !dangling.contains(&e.from) && !dangling.contains(&e.to));
    }
    out
}

/// A scheduled fault; in a valid design, one the validator accepts (a
/// spike on users, a purge of a cache, a promotion of a replica, a cut of
/// an existing connection, a new connection the catalog allows).
fn fault(
    d: &mut Dice,
    nodes: &[NodeDoc],
    edges: &[EdgeDoc],
    regions: usize,
    wild: bool,
) -> Option<FaultDoc> {
    if nodes.is_empty() {
        return None;
    }
    let of = |d: &mut Dice, pred: &dyn Fn(&NodeDoc) -> bool| -> Option<String> {
        let ids: Vec<&NodeDoc> = nodes.iter().filter(|n| wild || pred(n)).collect();
        (!ids.is_empty()).then(|| d.pick(&ids).id.clone())
    };
    let duration_s = d.chance(0.7).then(|| 0.05 + d.unit() * 2.0);
    let dc = || "dc-1".to_string();
    let action = match d.below(10) {
        0 => FaultAction::Kill {
            target: of(d, &|n| n.kind != Kind::Users)?,
        },
        1 => FaultAction::Restart {
            target: of(d, &|n| n.kind != Kind::Users)?,
        },
        2 => FaultAction::Slow {
            target: of(d, &|n| {
                !matches!(n.kind, Kind::Users | Kind::LoadBalancer | Kind::Dns)
            })?,
            factor: 1.0 + d.unit() * 50.0,
            duration_s,
        },
        3 => {
            let e = if wild {
                EdgeDoc::new(d.pick(nodes).id.clone(), d.pick(nodes).id.clone())
            } else if edges.is_empty() {
                return None;
            } else {
                d.pick(edges).clone()
            };
            FaultAction::Cut {
                from: e.from,
                to: e.to,
                duration_s,
            }
        }
        4 if wild || regions > 0 => FaultAction::KillRegion { target: dc() },
        5 if wild || regions > 0 => FaultAction::RestartRegion { target: dc() },
        6 => FaultAction::Purge {
            target: of(d, &|n| matches!(n.kind, Kind::Cache | Kind::Cdn))?,
        },
        7 => FaultAction::Promote {
            target: of(d, &|n| n.is_replica())?,
        },
        8 => FaultAction::Spike {
            target: of(d, &|n| n.kind == Kind::Users)?,
            factor: 0.01 + d.unit() * 20.0,
            duration_s: duration_s.unwrap_or(1.0),
        },
        _ if wild => FaultAction::Connect {
            from: d.pick(nodes).id.clone(),
            to: d.pick(nodes).id.clone(),
        },
        _ => return None,
    };
    let at_s = if wild && d.chance(0.1) {
        *d.pick(AWKWARD_NUMBERS)
    } else {
        d.unit() * 3.0
    };
    Some(FaultDoc { at_s, action })
}

/// One edit a user could make to `doc` while it runs: a parameter changed,
/// a node added or removed, a connection added or removed, a database's
/// role switched.
pub fn edit(d: &mut Dice, doc: &mut DesignDoc) {
    if doc.nodes.is_empty() {
        // Starting again on the same canvas: the seed stays.
        let seed = doc.seed;
        *doc = design(d, false);
        doc.seed = seed;
        return;
    }
    match d.below(6) {
        0 => {
            let i = d.below(doc.nodes.len());
            let spec = doc.nodes[i].kind.spec();
            if !spec.params.is_empty() {
                let p = d.pick(spec.params);
                let v = value(d, p, false);
                doc.nodes[i].params.insert(p.key.to_string(), v);
            }
        }
        1 => {
            let kind = d.pick(CATALOG).kind;
            let id = doc.next_id(kind);
            doc.nodes.push(NodeDoc {
                id,
                kind,
                x: 40.0,
                y: 40.0,
                params: BTreeMap::new(),
            });
        }
        2 => {
            let i = d.below(doc.nodes.len());
            let id = doc.nodes.remove(i).id;
            doc.edges.retain(|e| e.from != id && e.to != id);
            doc.faults
                .retain(|f| !f.action.node_ids().contains(&id.as_str()));
        }
        3 => {
            let (a, b) = (d.below(doc.nodes.len()), d.below(doc.nodes.len()));
            let (from, to) = (&doc.nodes[a], &doc.nodes[b]);
            if a != b
                && from.kind.can_connect_to(to.kind)
                && !doc.edges.iter().any(|e| e.from == from.id && e.to == to.id)
            {
                doc.edges.push(EdgeDoc::new(from.id.clone(), to.id.clone()));
            }
        }
        4 if !doc.edges.is_empty() => {
            let i = d.below(doc.edges.len());
            doc.edges.remove(i);
        }
        _ => {
            let dbs: Vec<usize> = (0..doc.nodes.len())
                .filter(|&i| doc.nodes[i].kind == Kind::Database)
                .collect();
            if !dbs.is_empty() {
                let i = *d.pick(&dbs);
                let role = if doc.nodes[i].is_replica() {
                    "master"
                } else {
                    "replica"
                };
                doc.nodes[i]
                    .params
                    .insert("role".into(), ParamValue::Text(role.into()));
            }
        }
    }
}
