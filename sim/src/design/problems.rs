//! What can be wrong with a design: each problem names the node or edge and
//! the reason, in words a user can act on.

use super::FORMAT_VERSION;
use super::limits::{JsonShape, Part};
use crate::catalog::Kind;
use crate::text::Num;
use serde::Serialize;
use std::fmt;

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
    /// The text is well-formed but holds something other than a JSON
    /// object, so it cannot be a design.
    NotAnObject {
        /// What it holds.
        found: JsonShape,
    },
    /// The design has more of a part than a design may have.
    TooMany {
        /// Which part.
        part: Part,
        /// How many it has.
        count: usize,
        /// The most it may have.
        max: usize,
    },
    /// An id (the location, quoted short) is longer than a design allows.
    IdTooLong {
        /// Its length [characters].
        chars: usize,
        /// The longest allowed [characters].
        max: usize,
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

    pub(super) fn warning(location: impl Into<String>, kind: ProblemKind) -> Self {
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
                let (min, max, got) = (Num(*min), Num(*max), Num(*got));
                write!(f, "{loc}: {key} must be {min}..={max}, got {got}")
            }
            ProblemKind::NotInteger { key, got } => {
                let got = Num(*got);
                write!(f, "{loc}: {key} must be a whole number, got {got}")
            }
            ProblemKind::NotAnObject { found } => write!(
                f,
                "this file holds {}, not a design: a design file is one JSON object, {{\"version\": 1, \"nodes\": [...], \"edges\": [...]}}",
                found.text().en
            ),
            ProblemKind::TooMany { part, count, max } => write!(
                f,
                "this design has {count} {}; a design may have at most {max}. Split it into smaller designs",
                part.text().en
            ),
            ProblemKind::IdTooLong { chars, max } => write!(
                f,
                "{loc}: this id is {chars} characters long; ids may have at most {max}. Use a shorter name"
            ),
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
