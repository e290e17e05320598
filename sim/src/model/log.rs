//! The event log: what happened to which node, in words the UI can render
//! in any language.

use crate::time::Nanos;
use serde::Serialize;

/// Most entries kept; older ones are dropped first.
pub const LOG_CAPACITY: usize = 10_000;

/// Something that happened.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum LogEvent {
    /// The node crashed.
    Crashed,
    /// The node started again.
    Restarted,
    /// A crash wiped login sessions held in memory.
    SessionsLost {
        /// How many.
        count: u64,
    },
    /// The node's service times were multiplied.
    Slowed {
        /// The multiplier.
        factor: f64,
    },
    /// The node's service times are back to normal.
    SlowEnded,
    /// The link between this node and `other` was cut.
    LinkCut {
        /// The node at the other end (index).
        other: u32,
    },
    /// The link between this node and `other` works again.
    LinkRestored {
        /// The node at the other end (index).
        other: u32,
    },
    /// This Users node's rate was multiplied.
    SpikeStarted {
        /// The multiplier.
        factor: f64,
    },
    /// This Users node's rate is back to normal.
    SpikeEnded,
    /// This load balancer stopped sending to `backend`.
    MarkedUnhealthy {
        /// The server (index).
        backend: u32,
        /// Consecutive failed checks that decided it.
        failed_checks: u32,
    },
    /// This load balancer sends to `backend` again.
    MarkedHealthy {
        /// The server (index).
        backend: u32,
    },
    /// This replica became the master of its group.
    Promoted {
        /// The master it replaces (index).
        old_master: u32,
    },
    /// Acknowledged writes the new master (this node) never received are
    /// gone.
    WritesLost {
        /// How many.
        count: u64,
    },
    /// This new master applied what it had received and takes writes.
    AcceptingWrites,
    /// This master's master died and no live replica could be promoted.
    NoReplicaToPromote,
    /// A promotion by hand was refused: the node is not a replica whose
    /// master is down.
    PromotionRefused,
    /// No replica confirmed a write in time: this master replicates
    /// asynchronously until one catches up.
    SemiSyncFallback,
    /// `replica` caught up: this master waits for confirmations again.
    SemiSyncRestored {
        /// The replica (index).
        replica: u32,
    },
    /// This master stopped waiting for `replica`, confirmed dead.
    ReplicaDropped {
        /// The replica (index).
        replica: u32,
    },
    /// An operator emptied this cache or CDN.
    Purged,
    /// This queue gave up on a job after its attempts: dead-lettered.
    DeadLettered,
    /// This non-durable queue crashed with jobs in it.
    JobsLost {
        /// How many.
        count: u64,
    },
    /// This worker pool's autoscaler added machines.
    ScaledUp {
        /// Machines now (some still starting).
        instances: u32,
    },
    /// This worker pool's autoscaler removed idle machines.
    ScaledDown {
        /// Machines now.
        instances: u32,
    },
    /// This web server's circuit breaker to `dependency` opened: calls
    /// fail at once for the cool-down.
    BreakerOpened {
        /// The dependency (index).
        dependency: u32,
    },
    /// The cool-down ended: one trial call to `dependency` goes through.
    BreakerHalfOpen {
        /// The dependency (index).
        dependency: u32,
    },
    /// The trial call succeeded: calls to `dependency` flow again.
    BreakerClosed {
        /// The dependency (index).
        dependency: u32,
    },
    /// The monitoring node's alert started firing.
    AlertFiring {
        /// What it is about.
        alert: super::Alert,
    },
    /// The monitoring node's alert stopped firing.
    AlertResolved {
        /// What it was about.
        alert: super::Alert,
    },
    /// The on-call engineer paged by this monitoring node restarted `node`
    /// (failing it over first if it was a master).
    OnCallRestarted {
        /// The node (index).
        node: u32,
    },
    /// The autoscaler started another web server behind this load balancer.
    ServerAdded {
        /// The new server (index).
        server: u32,
    },
    /// The autoscaler took a web server it had added out of this load
    /// balancer.
    ServerRemoved {
        /// The server (index).
        server: u32,
    },
    /// This shard router started moving `keys` records to new shards.
    ReshardStarted {
        /// Records to move.
        keys: u64,
    },
    /// This shard router finished moving `keys` records.
    ReshardDone {
        /// Records moved.
        keys: u64,
    },
    /// Requests started failing here for `cause` (the first one reached
    /// its user).
    FailuresStarted {
        /// Why.
        cause: super::ErrorCause,
        /// The node the failures concern (a dependency, the far end of a
        /// cut link, the server a lost session was on), if any.
        other: Option<u32>,
    },
    /// Requests keep failing here: `count` in the last `window_s` seconds.
    Failing {
        /// Why.
        cause: super::ErrorCause,
        /// The node the failures concern, if any.
        other: Option<u32>,
        /// Failed requests in the window.
        count: u64,
        /// The window [s].
        window_s: f64,
    },
    /// No request has failed here for `cause` for
    /// [`super::QUIET_AFTER`]: the incident is over.
    FailuresStopped {
        /// Why.
        cause: super::ErrorCause,
        /// The node the failures concern, if any.
        other: Option<u32>,
        /// Failed requests in the whole incident.
        count: u64,
        /// From the first failure to the last [s].
        lasted_s: f64,
    },
    /// The timeline connected this node to `to` while it ran.
    Connected {
        /// The called node (index).
        to: u32,
    },
    /// This database came back after a failover and rebuilt itself as a
    /// replica of `master`.
    Rejoined {
        /// The current master (index).
        master: u32,
    },
}

/// One log entry.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct LogEntry {
    /// When [ns].
    pub t: Nanos,
    /// The node it happened to (index).
    pub node: u32,
    /// What happened.
    pub event: LogEvent,
}
