//! The design document: the one format for a design, shared by the editor,
//! files, share links and the headless runner.
//!
//! Parsing happens in two steps, as in a compiler front end: `DesignDoc` is
//! the raw serde shape (anything well-formed JSON-wise), and
//! [`DesignDoc::validate`] turns it into a trusted [`Design`] or a list of
//! [`Problem`]s, each naming the node or edge and the reason.

use crate::catalog::{Kind, ParamKind, ParamSpec};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::fmt;

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

/// What a fault does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FaultDoc {
    /// When it happens [s from the start].
    pub at_s: f64,
    /// What happens.
    #[serde(flatten)]
    pub action: FaultAction,
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

/// How serious a [`Problem`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The design cannot run until this is fixed.
    Error,
    /// The design runs, but probably not as intended.
    Warning,
}

/// What is wrong, with everything needed to explain it.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum ProblemKind {
    /// The text is not a design document (bad JSON or wrong shape).
    Parse {
        /// What the JSON reader reported.
        message: String,
        /// 1-based line of the fault (0 if unknown).
        line: usize,
        /// 1-based column of the fault (0 if unknown).
        column: usize,
    },
    /// The file was written by a newer (or unknown) format version.
    UnsupportedVersion {
        /// The version in the file.
        found: u32,
    },
    /// A node id is empty.
    EmptyId,
    /// Two nodes share an id.
    DuplicateId,
    /// A parameter key the node's kind does not have.
    UnknownParam {
        /// The unknown key.
        key: String,
    },
    /// A number outside the accepted range.
    OutOfRange {
        /// Parameter key.
        key: String,
        /// Smallest accepted value.
        min: f64,
        /// Largest accepted value.
        max: f64,
        /// The value given.
        got: f64,
    },
    /// A fractional number where a whole one is needed.
    NotInteger {
        /// Parameter key.
        key: String,
        /// The value given.
        got: f64,
    },
    /// A number where an option name is needed, or the other way round, or an
    /// option that does not exist.
    BadValue {
        /// Parameter key.
        key: String,
        /// What the parameter accepts, for the message.
        expected: String,
    },
    /// An edge names a node that does not exist.
    UnknownNode {
        /// The missing id.
        id: String,
    },
    /// An edge from a node to itself.
    SelfLoop,
    /// The same edge twice.
    DuplicateEdge,
    /// These kinds cannot be connected in this direction.
    NotAllowed {
        /// Kind of the calling node.
        from: Kind,
        /// Kind of the called node.
        to: Kind,
    },
    /// Requests could go round in a circle.
    Cycle {
        /// The node ids on the cycle, in order.
        path: Vec<String>,
    },
    /// There is no Users node, so nothing sends requests.
    NoEntry,
    /// A Users or DNS node has nowhere to send requests.
    Dangling,
    /// No request can reach this node.
    Unreachable,
    /// The request mix adds up to more than 100 %.
    MixOver100 {
        /// Writes [%].
        write_pct: f64,
        /// Static files [%].
        static_pct: f64,
    },
    /// A Users node connected only to CDNs sends pages and writes too.
    OnlyCdn,
    /// A shard router connected to a replica: shards are named by masters.
    RouterToReplica,
    /// A database with the replica role that no master replicates to.
    ReplicaWithoutMaster,
    /// A replica with more than one master replicating to it.
    TwoMasters {
        /// The masters' ids.
        masters: Vec<String>,
    },
    /// A replication edge that does not start at a master.
    ReplicationFromReplica,
    /// A replication edge into a database whose role is master.
    ReplicationIntoMaster,
    /// More than one monitoring node (one watches everything).
    TwoMonitors,
    /// A connection given a parameter its kind of connection does not take.
    EdgeParamNotHere {
        /// The parameter key.
        key: String,
    },
    /// A lesson's traffic comes from its own Users nodes: this one is not
    /// among them.
    LessonExtraUsers {
        /// The lesson's Users nodes.
        lesson_users: Vec<String>,
    },
    /// A lesson's Users node is missing from the design.
    LessonMissingUsers,
    /// The lesson's timeline names this node (or data center), which the
    /// design does not have.
    LessonMissingTarget {
        /// When the timeline's event happens [s].
        at_s: f64,
    },
    /// How users reach the site is fixed in this lesson: a kept connection
    /// is missing, or another one was added beside it.
    LessonKeepEdge {
        /// The connections the lesson keeps (`users-1 → dns-1`).
        kept: Vec<String>,
    },
    /// A node of the lesson's world (named by its fixed parameters) is
    /// missing.
    LessonKeepNode,
    /// A node the lesson placed in a data center was moved out of it.
    LessonKeepInDataCenter {
        /// The data center it belongs in.
        datacenter: String,
    },
    /// In a lesson with data centers, a server must be in one.
    LessonNeedsDataCenter,
    /// A web server hands slow jobs to a queue, but none of its writes
    /// carries one: the queue's workers will stay idle.
    IdleQueue {
        /// The queue.
        queue: String,
    },
    /// A fault names something that cannot take it.
    BadFault {
        /// Index of the fault in the design's list (0-based).
        index: usize,
        /// Why, in English; the UI shows the fault's own fields beside it.
        reason: String,
    },
}

/// One problem with a design: where it is and what is wrong.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    /// Whether it blocks running.
    pub severity: Severity,
    /// The node id or edge (`a → b`) concerned; empty for the whole design.
    pub location: String,
    /// What is wrong.
    pub kind: ProblemKind,
}

impl Problem {
    pub(crate) fn error(location: impl Into<String>, kind: ProblemKind) -> Self {
        Self {
            severity: Severity::Error,
            location: location.into(),
            kind,
        }
    }

    fn warning(location: impl Into<String>, kind: ProblemKind) -> Self {
        Self {
            severity: Severity::Warning,
            location: location.into(),
            kind,
        }
    }
}

impl fmt::Display for Problem {
    /// The English message; the UI translates from [`ProblemKind`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let loc = &self.location;
        match &self.kind {
            ProblemKind::Parse {
                message,
                line,
                column,
            } => write!(
                f,
                "not a valid design file (line {line}, column {column}): {message}"
            ),
            ProblemKind::UnsupportedVersion { found } => write!(
                f,
                "this design uses format version {found}, but this version of Scale Lab reads version {FORMAT_VERSION}; open it in a newer Scale Lab"
            ),
            ProblemKind::EmptyId => write!(f, "a node has an empty id"),
            ProblemKind::DuplicateId => write!(f, "{loc}: two nodes have this id"),
            ProblemKind::UnknownParam { key } => {
                write!(f, "{loc}: unknown parameter '{key}'")
            }
            ProblemKind::OutOfRange { key, min, max, got } => {
                write!(f, "{loc}: {key} must be {min}..={max}, got {got}")
            }
            ProblemKind::NotInteger { key, got } => {
                write!(f, "{loc}: {key} must be a whole number, got {got}")
            }
            ProblemKind::BadValue { key, expected } => {
                write!(f, "{loc}: {key} must be {expected}")
            }
            ProblemKind::UnknownNode { id } => {
                write!(f, "{loc}: there is no node '{id}'")
            }
            ProblemKind::SelfLoop => write!(f, "{loc}: a node cannot call itself"),
            ProblemKind::DuplicateEdge => write!(f, "{loc}: this connection exists twice"),
            ProblemKind::NotAllowed { from, to } => write!(
                f,
                "{loc}: a {} cannot send requests to a {}",
                from.spec().name.en,
                to.spec().name.en
            ),
            ProblemKind::Cycle { path } => {
                write!(
                    f,
                    "requests would go round in a circle: {}",
                    path.join(" → ")
                )
            }
            ProblemKind::NoEntry => {
                write!(f, "nothing sends requests: add a Users node and connect it")
            }
            ProblemKind::Dangling => write!(
                f,
                "{loc} is not connected to anything: drag from its port to where its requests should go"
            ),
            ProblemKind::Unreachable => {
                write!(
                    f,
                    "{loc} is unreachable from Users: no request will get here"
                )
            }
            ProblemKind::MixOver100 {
                write_pct,
                static_pct,
            } => write!(
                f,
                "{loc}: writes ({write_pct} %) and static files ({static_pct} %) add up to more than 100 %"
            ),
            ProblemKind::OnlyCdn => write!(
                f,
                "{loc} is connected only to a CDN, which serves static files: connect it to the site (DNS, load balancer or web server) for pages and writes too"
            ),
            ProblemKind::RouterToReplica => write!(
                f,
                "{loc}: a shard router connects to each shard's master; the master's replicas serve the shard's reads"
            ),
            ProblemKind::ReplicaWithoutMaster => write!(
                f,
                "{loc} is a replica without a master: draw an edge from a master database to it"
            ),
            ProblemKind::TwoMasters { masters } => write!(
                f,
                "{loc} replicates from two masters ({}): keep one of the edges",
                masters.join(", ")
            ),
            ProblemKind::ReplicationFromReplica => write!(
                f,
                "{loc}: only a master streams its writes to replicas; connect the replica to the master instead"
            ),
            ProblemKind::ReplicationIntoMaster => write!(
                f,
                "{loc}: the receiving database is a master; set its role to Replica"
            ),
            ProblemKind::TwoMonitors => write!(
                f,
                "{loc}: one monitoring node already watches every node; remove this one"
            ),
            ProblemKind::EdgeParamNotHere { key } => write!(
                f,
                "{loc}: this connection takes no parameter '{key}'; call policies (timeouts, retries, breakers, bulkheads) go on connections from a web server to what it calls, weights on connections from a DNS server"
            ),
            ProblemKind::BadFault { index, reason } => {
                write!(f, "fault #{}: {reason}", index + 1)
            }
            ProblemKind::LessonKeepNode => write!(
                f,
                "{loc} is part of this lesson's world (its settings are the lesson's); keep a component with that id"
            ),
            ProblemKind::LessonKeepInDataCenter { datacenter } => write!(
                f,
                "{loc} belongs in data center {datacenter} in this lesson; move it back inside the box"
            ),
            ProblemKind::LessonNeedsDataCenter => write!(
                f,
                "{loc} is outside every data center; in this lesson servers live in a data center — drag it into one"
            ),
            ProblemKind::IdleQueue { queue } => write!(
                f,
                "{loc} hands slow jobs to {queue}, but none of its writes carries one ('Writes with a slow job' is 0 %): the workers will stay idle. Raise it in {loc}'s settings"
            ),
            ProblemKind::LessonExtraUsers { lesson_users } => write!(
                f,
                "{loc}: this lesson's traffic comes from {} only; remove {loc}",
                lesson_users.join(", ")
            ),
            ProblemKind::LessonMissingUsers => write!(
                f,
                "{loc}: this lesson's traffic comes from a Users node called {loc}; keep it (its settings are the lesson's)"
            ),
            ProblemKind::LessonMissingTarget { at_s } => write!(
                f,
                "{loc}: the lesson's timeline acts on {loc} at {at_s} s; keep a component with that id"
            ),
            ProblemKind::LessonKeepEdge { kept } => write!(
                f,
                "{loc}: in this lesson users reach the site only through {}; keep that connection and no other from there",
                kept.join(", ")
            ),
        }
    }
}

/// The problems found in a design; errors first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problems(pub Vec<Problem>);

impl Problems {
    /// Whether any problem blocks running.
    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|p| p.severity == Severity::Error)
    }
}

impl fmt::Display for Problems {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.0.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            let tag = match p.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            write!(f, "{tag}: {p}")?;
        }
        Ok(())
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

/// A validated node: every parameter present and within range.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Unique id.
    pub id: String,
    /// Component kind.
    pub kind: Kind,
    /// Every parameter of the kind, in catalog order.
    pub params: Vec<(&'static str, Param)>,
}

impl Node {
    /// A numeric parameter's value, in the catalog's unit.
    ///
    /// # Panics
    /// If `key` is not a numeric parameter of this kind: a programming error,
    /// never reachable from a document.
    pub fn number(&self, key: &str) -> f64 {
        match self.params.iter().find(|(k, _)| *k == key) {
            Some((_, Param::Number(v))) => *v,
            _ => panic!("{:?} has no numeric parameter {key}", self.kind),
        }
    }

    /// A choice parameter's option name.
    ///
    /// # Panics
    /// If `key` is not a choice parameter of this kind (a programming error).
    pub fn choice(&self, key: &str) -> &'static str {
        match self.params.iter().find(|(k, _)| *k == key) {
            Some((_, Param::Choice(v))) => v,
            _ => panic!("{:?} has no choice parameter {key}", self.kind),
        }
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

impl DesignDoc {
    /// Reads a design document from JSON text.
    pub fn from_json(text: &str) -> Result<Self, Problems> {
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
        serde_json::from_str(text).map_err(|e| {
            Problems(vec![Problem::error(
                "",
                ProblemKind::Parse {
                    message: e.to_string(),
                    line: e.line(),
                    column: e.column(),
                },
            )])
        })
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
                params: validate_params(n, &mut problems),
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
                if nodes[a].kind == Kind::ShardRouter && nodes[b].choice("role") == "replica" {
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
            if n.kind == Kind::Users
                && !out[i].is_empty()
                && out[i].iter().all(|&t| nodes[t].kind == Kind::Cdn)
                && n.number("static_pct") < 100.0
            {
                problems.push(Problem::error(&n.id, ProblemKind::OnlyCdn));
            }
            if n.kind == Kind::Users {
                let (w, st) = (n.number("write_pct"), n.number("static_pct"));
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
            if n.kind != Kind::WebServer || n.number("job_pct") > 0.0 {
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
                    if nodes[n].kind != Kind::Database || nodes[n].choice("role") != "replica" {
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
        (1..)
            .map(|n| format!("{prefix}-{n}"))
            .find(|id| self.nodes.iter().all(|n| &n.id != id))
            .expect("an unused id exists")
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

fn validate_params(n: &NodeDoc, problems: &mut Vec<Problem>) -> Vec<(&'static str, Param)> {
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
    let role = |i: usize| nodes[i].choice("role");
    let mut masters_of: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
    for (a, targets) in out.iter().enumerate() {
        for &b in targets {
            if !(is_db(a) && is_db(b)) {
                continue;
            }
            let loc = format!("{} → {}", nodes[a].id, nodes[b].id);
            if role(a) != "master" {
                problems.push(Problem::error(loc, ProblemKind::ReplicationFromReplica));
            } else if role(b) != "replica" {
                problems.push(Problem::error(loc, ProblemKind::ReplicationIntoMaster));
            } else {
                masters_of[b].push(a);
            }
        }
    }
    for (i, n) in nodes.iter().enumerate() {
        if !is_db(i) || role(i) != "replica" {
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
mod tests {
    use super::*;

    fn node(id: &str, kind: Kind) -> NodeDoc {
        NodeDoc {
            id: id.into(),
            kind,
            x: 0.0,
            y: 0.0,
            params: BTreeMap::new(),
        }
    }

    fn edge(from: &str, to: &str) -> EdgeDoc {
        EdgeDoc::new(from, to)
    }

    fn doc(nodes: Vec<NodeDoc>, edges: Vec<EdgeDoc>) -> DesignDoc {
        DesignDoc {
            nodes,
            edges,
            ..DesignDoc::default()
        }
    }

    fn messages(d: &DesignDoc) -> Vec<String> {
        d.validate()
            .err()
            .map(|p| p.0.iter().map(|p| p.to_string()).collect())
            .unwrap_or_default()
    }

    #[test]
    fn a_wired_design_validates_with_defaults_filled_in() {
        let d = doc(
            vec![
                node("users-1", Kind::Users),
                node("web-1", Kind::WebServer),
                node("db-1", Kind::Database),
            ],
            vec![edge("users-1", "web-1"), edge("web-1", "db-1")],
        );
        let v = d.validate().expect("valid");
        assert_eq!(v.nodes[1].choice("size"), "small");
        assert_eq!(v.nodes[1].number("queue_capacity"), 100.0);
        assert_eq!(v.nodes[1].choice("service_dist"), "exponential");
        assert_eq!(v.out, vec![vec![1], vec![2], vec![]]);
        assert!(v.warnings.is_empty());
    }

    #[test]
    fn bad_parameters_name_the_node_field_and_range() {
        let mut web = node("web-2", Kind::WebServer);
        web.params
            .insert("queue_capacity".into(), ParamValue::Number(-1.0));
        web.params.insert("wrokers".into(), ParamValue::Number(3.0));
        web.params
            .insert("service_dist".into(), ParamValue::Text("gamma".into()));
        let d = doc(
            vec![node("users-1", Kind::Users), web],
            vec![edge("users-1", "web-2")],
        );
        let m = messages(&d);
        assert!(
            m.contains(&"web-2: queue_capacity must be 0..=100000, got -1".to_string()),
            "{m:?}"
        );
        assert!(
            m.contains(&"web-2: unknown parameter 'wrokers'".to_string()),
            "{m:?}"
        );
        assert!(
            m.iter()
                .any(|s| s.starts_with("web-2: service_dist must be one of: exponential")),
            "{m:?}"
        );
    }

    #[test]
    fn a_queue_no_write_feeds_is_a_warning_at_the_web_server() {
        let doc = |job_pct: f64| {
            DesignDoc::from_json(&format!(
                r#"{{"version": 1, "nodes": [
                  {{"id": "users-1", "kind": "users"}},
                  {{"id": "web-1", "kind": "web_server", "params": {{"job_pct": {job_pct}}}}},
                  {{"id": "queue-1", "kind": "queue"}},
                  {{"id": "workers-1", "kind": "workers"}}],
                  "edges": [{{"from": "users-1", "to": "web-1"}}, {{"from": "web-1", "to": "queue-1"}},
                            {{"from": "queue-1", "to": "workers-1"}}]}}"#
            ))
            .unwrap()
        };
        let idle = doc(0.0).validate().unwrap();
        let w: Vec<String> = idle.warnings.iter().map(|w| w.to_string()).collect();
        assert!(
            w.iter()
                .any(|w| w.starts_with("web-1 hands slow jobs to queue-1")),
            "{w:?}"
        );
        assert!(doc(30.0).validate().unwrap().warnings.is_empty());
    }

    #[test]
    fn wiring_problems_are_reported_not_panicked() {
        let d = doc(
            vec![
                node("users-1", Kind::Users),
                node("db-1", Kind::Database),
                node("db-1", Kind::Database),
                node("web-1", Kind::WebServer),
            ],
            vec![
                edge("users-1", "db-1"),
                edge("web-1", "web-1"),
                edge("web-1", "ghost"),
            ],
        );
        let m = messages(&d);
        assert!(
            m.iter().any(|s| s == "db-1: two nodes have this id"),
            "{m:?}"
        );
        assert!(
            m.iter()
                .any(|s| s == "users-1 → db-1: a Users cannot send requests to a Database"),
            "{m:?}"
        );
        assert!(
            m.iter()
                .any(|s| s == "web-1 → web-1: a node cannot call itself")
        );
        assert!(
            m.iter()
                .any(|s| s == "web-1 → ghost: there is no node 'ghost'")
        );
        assert!(
            m.iter()
                .any(|s| s.starts_with("users-1 is not connected to anything"))
        );
    }

    #[test]
    fn unreachable_node_is_a_warning_and_missing_users_an_error() {
        let d = doc(
            vec![
                node("users-1", Kind::Users),
                node("web-1", Kind::WebServer),
                node("db-9", Kind::Database),
            ],
            vec![edge("users-1", "web-1")],
        );
        let v = d.validate().expect("warnings do not block");
        assert_eq!(v.warnings.len(), 1);
        assert_eq!(
            v.warnings[0].to_string(),
            "db-9 is unreachable from Users: no request will get here"
        );
        let only_web = doc(vec![node("web-1", Kind::WebServer)], vec![]);
        assert_eq!(
            messages(&only_web)[0],
            "nothing sends requests: add a Users node and connect it"
        );
        let empty = doc(vec![], vec![]);
        assert_eq!(
            messages(&empty),
            ["nothing sends requests: add a Users node and connect it"]
        );
    }

    #[test]
    fn cycles_are_found() {
        let out = vec![vec![1], vec![2], vec![0]];
        assert_eq!(find_cycle(&out), Some(vec![0, 1, 2, 0]));
        assert_eq!(find_cycle(&[vec![1], vec![]]), None);
    }

    #[test]
    fn broken_and_newer_files_give_messages() {
        let err = DesignDoc::from_json("{\"version\": 1, \"nodes\": [").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("error: not a valid design file (line 1")
        );
        let err = DesignDoc::from_json("{\"version\": 7, \"gizmos\": []}").unwrap_err();
        assert!(err.to_string().contains("format version 7"), "{err}");
        let err = DesignDoc::from_json(
            "{\"version\": 1, \"nodes\": [{\"id\": \"a\", \"kind\": \"toaster\"}]}",
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("unknown variant `toaster`"),
            "{err}"
        );
    }

    #[test]
    fn json_round_trip_and_next_id() {
        let mut d = doc(
            vec![
                node("web-1", Kind::WebServer),
                node("web-3", Kind::WebServer),
            ],
            vec![],
        );
        d.nodes[0]
            .params
            .insert("workers".into(), ParamValue::Number(4.0));
        let back = DesignDoc::from_json(&d.to_json()).unwrap();
        assert_eq!(back, d);
        assert_eq!(d.next_id(Kind::WebServer), "web-2");
        assert_eq!(d.next_id(Kind::Database), "db-1");
    }
}
