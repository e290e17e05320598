//! The design document: the one format for a design, shared by the editor,
//! files, share links and the headless runner.
//!
//! Parsing happens in two steps, as in a compiler front end: `DesignDoc` is
//! the raw serde shape (anything well-formed JSON-wise), and
//! [`DesignDoc::validate`] turns it into a trusted [`Design`] or a list of
//! [`Problem`]s, each naming the node or edge and the reason.

mod limits;
mod params;
mod problems;
mod validate;

pub use limits::{JsonShape, MAX_EDGES, MAX_FAULTS, MAX_ID_CHARS, MAX_NODES, MAX_REGIONS, Part};
pub use params::Reader;

pub use problems::{Problem, ProblemKind, Problems, Severity};
pub use validate::{check_param, default_param};

use crate::catalog::Kind;
use crate::model::Params;
use crate::model::params::Role;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The design-format version this build reads and writes.
pub const FORMAT_VERSION: u32 = 1;

/// A parameter value as written in a design file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ParamValue {
    /// A number, in the unit the catalog gives for the parameter.
    Number(f64),
    /// A named option, for choice parameters.
    Text(String),
}

/// One node as written in a design file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NodeDoc {
    /// Unique id, e.g. `web-1`; shown in the UI and in error messages.
    pub id: String,
    /// Component kind.
    pub kind: Kind,
    /// Position of the node's centre on the canvas [canvas px]; ignored by
    /// the simulation.
    #[serde(default)]
    pub x: f64,
    /// Position of the node's centre on the canvas [canvas px].
    #[serde(default)]
    pub y: f64,
    /// Parameters by key; missing ones take the catalog default.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub params: BTreeMap<String, ParamValue>,
}

impl NodeDoc {
    /// Whether this is a database designed as a replica (the default role
    /// is master).
    pub fn is_replica(&self) -> bool {
        self.kind == Kind::Database
            && matches!(self.params.get("role"), Some(ParamValue::Text(r)) if r == "replica")
    }
}

/// One directed edge as written in a design file: `from` sends requests to `to`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct EdgeDoc {
    /// Id of the calling node.
    pub from: String,
    /// Id of the called node.
    pub to: String,
    /// Parameters by key (see [`crate::catalog::edge_params`]): a web
    /// server's call policy, a DNS target's weight; missing ones take the
    /// catalog default.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub params: BTreeMap<String, ParamValue>,
}

impl EdgeDoc {
    /// A plain connection from `from` to `to`.
    pub fn new(from: impl Into<String>, to: impl Into<String>) -> Self {
        Self {
            from: from.into(),
            to: to.into(),
            params: BTreeMap::new(),
        }
    }
}

/// What a fault does. Written inside its [`FaultDoc`] as
/// `"action": "kill", "target": "web-1"`.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum FaultAction {
    /// Crash a node: it drops what it holds and refuses connections.
    Kill {
        /// Node id.
        target: String,
    },
    /// Start a crashed node again (empty: no sessions, nothing queued).
    Restart {
        /// Node id.
        target: String,
    },
    /// Multiply a node's service times by `factor`, for `duration_s` seconds
    /// (or until the end when absent).
    Slow {
        /// Node id.
        target: String,
        /// Service-time multiplier, 1..=1000.
        factor: f64,
        /// How long it lasts [s]; absent = until the end.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        duration_s: Option<f64>,
    },
    /// Cut the network link `from → to` (both directions), for `duration_s`
    /// seconds (or until the end).
    Cut {
        /// Calling node id.
        from: String,
        /// Called node id.
        to: String,
        /// How long it lasts [s]; absent = until the end.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        duration_s: Option<f64>,
    },
    /// Crash every node in a data center.
    KillRegion {
        /// Data center (region box) id.
        target: String,
    },
    /// Restart every node in a data center.
    RestartRegion {
        /// Data center id.
        target: String,
    },
    /// Empty a cache or CDN (a purge, as after a deploy).
    Purge {
        /// Cache or CDN id.
        target: String,
    },
    /// Promote a replica to master by hand (when its master is down).
    Promote {
        /// Replica database id.
        target: String,
    },
    /// Multiply a Users node's request rate by `factor` for `duration_s`.
    Spike {
        /// Users node id.
        target: String,
        /// Rate multiplier, 0.01..=1000.
        factor: f64,
        /// How long it lasts [s].
        duration_s: f64,
    },
    /// An operator connects `from` to `to` while the design runs (a new
    /// shard joins its router, a new server its load balancer): from then
    /// on the design has that connection.
    Connect {
        /// Calling node id.
        from: String,
        /// Called node id.
        to: String,
    },
}

impl FaultAction {
    /// The ids the fault names: nodes, or a data center.
    pub fn node_ids(&self) -> Vec<&str> {
        match self {
            FaultAction::Kill { target }
            | FaultAction::Restart { target }
            | FaultAction::Slow { target, .. }
            | FaultAction::KillRegion { target }
            | FaultAction::RestartRegion { target }
            | FaultAction::Purge { target }
            | FaultAction::Promote { target }
            | FaultAction::Spike { target, .. } => vec![target],
            FaultAction::Cut { from, to, .. } | FaultAction::Connect { from, to } => {
                vec![from, to]
            }
        }
    }
}

/// A fault scheduled in the design: `action` happens `at_s` seconds into
/// the run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FaultDoc {
    /// When it happens [s from the start].
    pub at_s: f64,
    /// What happens.
    #[serde(flatten)]
    pub action: FaultAction,
}

/// The names of [`FaultAction`]'s variants as written.
const FAULT_ACTIONS: &[&str] = &[
    "kill",
    "restart",
    "slow",
    "cut",
    "kill_region",
    "restart_region",
    "purge",
    "promote",
    "spike",
    "connect",
];

/// Read by hand from one flat record, not derived: serde's derive for an
/// internally tagged enum flattened into a struct buffers every field
/// through a generic value, which made this one impl 37 KiB of the app's
/// wasm (docs/performance.md). The messages are serde's own: `unknown
/// variant `x`, expected one of …`, `missing field `target``; fields an
/// action does not take are ignored, as before.
impl<'de> Deserialize<'de> for FaultDoc {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        /// Every field any action takes.
        #[derive(Deserialize)]
        struct Written {
            at_s: f64,
            action: String,
            target: Option<String>,
            from: Option<String>,
            to: Option<String>,
            factor: Option<f64>,
            duration_s: Option<f64>,
        }
        let w = Written::deserialize(d)?;
        fn need<T, E: Error>(v: Option<T>, field: &'static str) -> Result<T, E> {
            v.ok_or_else(|| E::missing_field(field))
        }
        let action = match w.action.as_str() {
            "kill" => FaultAction::Kill {
                target: need(w.target, "target")?,
            },
            "restart" => FaultAction::Restart {
                target: need(w.target, "target")?,
            },
            "slow" => FaultAction::Slow {
                target: need(w.target, "target")?,
                factor: need(w.factor, "factor")?,
                duration_s: w.duration_s,
            },
            "cut" => FaultAction::Cut {
                from: need(w.from, "from")?,
                to: need(w.to, "to")?,
                duration_s: w.duration_s,
            },
            "kill_region" => FaultAction::KillRegion {
                target: need(w.target, "target")?,
            },
            "restart_region" => FaultAction::RestartRegion {
                target: need(w.target, "target")?,
            },
            "purge" => FaultAction::Purge {
                target: need(w.target, "target")?,
            },
            "promote" => FaultAction::Promote {
                target: need(w.target, "target")?,
            },
            "spike" => FaultAction::Spike {
                target: need(w.target, "target")?,
                factor: need(w.factor, "factor")?,
                duration_s: need(w.duration_s, "duration_s")?,
            },
            "connect" => FaultAction::Connect {
                from: need(w.from, "from")?,
                to: need(w.to, "to")?,
            },
            other => return Err(D::Error::unknown_variant(other, FAULT_ACTIONS)),
        };
        Ok(FaultDoc {
            at_s: w.at_s,
            action,
        })
    }
}

/// A data center, drawn as a box: the nodes whose centre lies inside it are
/// in it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RegionDoc {
    /// Unique id (`dc-1`).
    pub id: String,
    /// Which region it is in: one of [`crate::catalog::GEO_REGIONS`].
    pub region: String,
    /// Left edge [canvas px].
    pub x: f64,
    /// Top edge [canvas px].
    pub y: f64,
    /// Width [canvas px].
    pub w: f64,
    /// Height [canvas px].
    pub h: f64,
}

impl RegionDoc {
    /// Whether (`x`, `y`) lies inside the box.
    pub fn contains(&self, x: f64, y: f64) -> bool {
        x >= self.x && x <= self.x + self.w && y >= self.y && y <= self.y + self.h
    }
}

/// A design document as read from JSON, before validation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DesignDoc {
    /// Format version; see [`FORMAT_VERSION`].
    pub version: u32,
    /// Seed of every random stream in the run.
    #[serde(default)]
    pub seed: u64,
    /// The nodes.
    #[serde(default)]
    pub nodes: Vec<NodeDoc>,
    /// The edges.
    #[serde(default)]
    pub edges: Vec<EdgeDoc>,
    /// Faults scheduled during the run.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub faults: Vec<FaultDoc>,
    /// Data centers.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub regions: Vec<RegionDoc>,
}

impl Default for DesignDoc {
    fn default() -> Self {
        Self {
            version: FORMAT_VERSION,
            seed: 1,
            nodes: Vec::new(),
            edges: Vec::new(),
            faults: Vec::new(),
            regions: Vec::new(),
        }
    }
}

/// A validated parameter value.
#[derive(Debug, Clone, PartialEq)]
pub enum Param {
    /// A number within range.
    Number(f64),
    /// One of the catalog's options.
    Choice(&'static str),
}

/// A validated node: every parameter present and within range, read into
/// its kind's typed parameters.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Unique id.
    pub id: String,
    /// Component kind.
    pub kind: Kind,
    /// The kind's parameters.
    pub params: Params,
}

impl Node {
    /// Whether this is a database in the master role.
    pub fn is_master(&self) -> bool {
        self.params
            .database()
            .is_some_and(|p| p.role == Role::Master)
    }

    /// Whether this is a database in the replica role.
    pub fn is_replica(&self) -> bool {
        self.params
            .database()
            .is_some_and(|p| p.role == Role::Replica)
    }
}

/// A validated connection's parameters: every parameter its kind of
/// connection takes, in catalog order (empty for most connections).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct EdgeParams(pub Vec<(&'static str, Param)>);

impl EdgeParams {
    /// A numeric parameter's value in the catalog's unit, if the connection
    /// has it.
    pub fn number(&self, key: &str) -> Option<f64> {
        self.0.iter().find_map(|(k, v)| match v {
            Param::Number(n) if *k == key => Some(*n),
            _ => None,
        })
    }

    /// A choice parameter's option, if the connection has it.
    pub fn choice(&self, key: &str) -> Option<&'static str> {
        self.0.iter().find_map(|(k, v)| match v {
            Param::Choice(c) if *k == key => Some(*c),
            _ => None,
        })
    }
}

/// A validated design: safe to simulate.
#[derive(Debug, Clone, PartialEq)]
pub struct Design {
    /// Seed of every random stream.
    pub seed: u64,
    /// Nodes; their index is the node's number in the simulation.
    pub nodes: Vec<Node>,
    /// Outgoing edges of each node, by node index, in document order.
    pub out: Vec<Vec<usize>>,
    /// The parameters of each edge in `out`, in the same places.
    pub out_params: Vec<Vec<EdgeParams>>,
    /// Scheduled faults, by node index, sorted by time.
    pub faults: Vec<Fault>,
    /// Warnings that do not block running.
    pub warnings: Vec<Problem>,
    /// Data centers, in document order.
    pub datacenters: Vec<DataCenter>,
    /// The data center each node is in (by index), if any.
    pub datacenter_of: Vec<Option<usize>>,
}

impl Design {
    /// Whether the timeline connects nodes while the design runs.
    pub fn connects_later(&self) -> bool {
        self.faults
            .iter()
            .any(|f| matches!(f.kind, FaultKind::Connect(..)))
    }

    /// The design as it stands at `now` [ns]: with the connections its
    /// timeline has made by then.
    pub fn connected_by(&self, now: crate::time::Nanos) -> Design {
        let mut d = self.clone();
        for f in self.faults.iter().filter(|f| f.at <= now) {
            if let FaultKind::Connect(a, b) = f.kind
                && !d.out[a].contains(&b)
            {
                let specs = crate::catalog::edge_params(d.nodes[a].kind, d.nodes[b].kind);
                d.out[a].push(b);
                d.out_params[a].push(EdgeParams(
                    specs.iter().map(|s| (s.key, default_param(s))).collect(),
                ));
            }
        }
        d
    }
}

/// A validated data center.
#[derive(Debug, Clone, PartialEq)]
pub struct DataCenter {
    /// Its id.
    pub id: String,
    /// Its region (index into [`crate::catalog::GEO_REGIONS`]).
    pub geo: usize,
}

/// A validated fault: node references resolved to indices.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Fault {
    /// When [ns from the start].
    pub at: crate::time::Nanos,
    /// What.
    pub kind: FaultKind,
}

/// A validated fault action.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum FaultKind {
    /// Crash node.
    Kill(usize),
    /// Restart node.
    Restart(usize),
    /// Slow node by factor, for a duration [ns] (None = until the end).
    Slow(usize, f64, Option<crate::time::Nanos>),
    /// Cut link between two nodes, for a duration [ns].
    Cut(usize, usize, Option<crate::time::Nanos>),
    /// Multiply a Users node's rate by factor for a duration [ns].
    Spike(usize, f64, crate::time::Nanos),
    /// Promote a replica to master.
    Promote(usize),
    /// Empty a cache or CDN.
    Purge(usize),
    /// Crash every node of a data center (by index).
    KillDc(usize),
    /// Restart every node of a data center.
    RestartDc(usize),
    /// Connect a node to another (calling, called) while running.
    Connect(usize, usize),
}
