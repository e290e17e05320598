//! Why requests fail, said where it happens: every failed request carries
//! the node where it failed (and the node it concerns, if any), the event
//! log aggregates failures into incidents — started, how many in each
//! [`REPORT_EVERY`], stopped — and each node keeps its latest failed
//! request's route.
//!
//! ```text
//!   t = 20.0  web-1 is down: requests to it fail            (the first one)
//!   t = 30.0  web-1 is down: 1,204 requests failed in 10 s  (every 10 s)
//!   t = 41.0  web-1 is down: over — 2,310 failed in 21 s    (10 s quiet)
//! ```
//!
//! An incident is counted where users see the failure (a request answered
//! with an error), so the log's counts add up to the error counts.

use super::ErrorCause;
use super::log::LogEvent;
use super::{Journey, Simulation};
use crate::time::{Nanos, SECOND};

/// How often an ongoing incident reports its count [ns].
pub const REPORT_EVERY: Nanos = 10 * SECOND;

/// How long without a failure ends an incident [ns].
pub const QUIET_AFTER: Nanos = 10 * SECOND;

/// No node: a failure that concerns no other node.
pub(super) const NO_NODE: u32 = u32::MAX;

/// Failures of one cause at one node (concerning one other node), going on.
#[derive(Debug, Clone)]
struct Incident {
    node: u32,
    cause: ErrorCause,
    other: u32,
    started: Nanos,
    last: Nanos,
    reported: Nanos,
    since_report: u64,
    total: u64,
}

/// The incidents going on.
#[derive(Debug, Clone, Default)]
pub(super) struct Incidents {
    open: Vec<Incident>,
}

fn other_of(other: u32) -> Option<u32> {
    (other != NO_NODE).then_some(other)
}

impl Incidents {
    /// Counts one failure; returns the log event if it starts an incident.
    fn record(&mut self, now: Nanos, node: u32, cause: ErrorCause, other: u32) -> Option<LogEvent> {
        if let Some(i) = self
            .open
            .iter_mut()
            .find(|i| i.node == node && i.cause == cause && i.other == other)
        {
            i.last = now;
            i.since_report += 1;
            i.total += 1;
            return None;
        }
        self.open.push(Incident {
            node,
            cause,
            other,
            started: now,
            last: now,
            reported: now,
            since_report: 1,
            total: 1,
        });
        Some(LogEvent::FailuresStarted {
            cause,
            other: other_of(other),
        })
    }

    /// At a sampling boundary: the incidents that report their count, and
    /// those that ended, as log events by node.
    fn tick(&mut self, now: Nanos, out: &mut Vec<(u32, LogEvent)>) {
        self.open.retain_mut(|i| {
            if now.saturating_sub(i.last) >= QUIET_AFTER {
                out.push((
                    i.node,
                    LogEvent::FailuresStopped {
                        cause: i.cause,
                        other: other_of(i.other),
                        count: i.total,
                        lasted_s: crate::time::to_secs(i.last - i.started),
                    },
                ));
                return false;
            }
            if now.saturating_sub(i.reported) >= REPORT_EVERY {
                if i.since_report > 0 {
                    out.push((
                        i.node,
                        LogEvent::Failing {
                            cause: i.cause,
                            other: other_of(i.other),
                            count: i.since_report,
                            window_s: crate::time::to_secs(now - i.reported),
                        },
                    ));
                }
                i.reported = now;
                i.since_report = 0;
            }
            true
        });
    }
}

impl Simulation {
    /// Fails `req` with `cause` at `node` (concerning `other`, or
    /// [`NO_NODE`]), unless it has already failed.
    pub(super) fn fail_at(&mut self, req: u32, node: u32, other: u32, cause: ErrorCause) {
        let r = &mut self.requests[req as usize];
        if r.error.is_none() {
            r.error = Some(cause);
            r.error_at = node;
            r.error_other = other;
        }
    }

    /// A request reached its user with an error: count it in its incident
    /// and keep it as the node's latest failure.
    pub(super) fn note_failure(&mut self, req: u32, cause: ErrorCause, gave_up: bool) {
        let r = &self.requests[req as usize];
        let (node, other) = if gave_up {
            (r.origin, NO_NODE)
        } else {
            (r.error_at, r.error_other)
        };
        if let Some(event) = self.incidents.record(self.now, node, cause, other) {
            self.push_log(node, event);
        }
        let i = node as usize;
        if self.last_failure.len() <= i {
            self.last_failure.resize_with(i + 1, || None);
        }
        let key = self.key_of(req);
        let r = &self.requests[req as usize];
        let journey = self.last_failure[i].get_or_insert_with(Journey::empty);
        journey.fill(r, key, self.now);
        journey.error = Some(cause);
        journey.failed_at = Some(node);
        journey.other = other_of(other);
    }

    /// Reports ongoing incidents and ends quiet ones (every sampling
    /// interval).
    pub(super) fn tick_incidents(&mut self) {
        if self.incidents.open.is_empty() {
            return;
        }
        let mut events = Vec::new();
        self.incidents.tick(self.now, &mut events);
        for (node, event) in events {
            self.push_log(node, event);
        }
    }

    /// The latest request that failed at node `node` (by index): its route
    /// with the time at each hop, and why it failed.
    pub fn latest_failure(&self, node: usize) -> Option<&Journey> {
        self.last_failure.get(node)?.as_ref()
    }

    /// The route so far of request `req` sent at `sent` [ns] (a dot's
    /// [`super::Dot::request`] and [`super::Dot::sent`]) while it is on its
    /// way: where it has been, and why it failed if it has. `None` once it
    /// has been answered.
    pub fn journey_of(&self, req: u32, sent: Nanos) -> Option<Journey> {
        let r = self
            .requests
            .get(req as usize)
            .filter(|r| r.live && r.created == sent)?;
        let mut j = Journey::empty();
        j.fill(r, self.peek_key(req), self.now);
        j.in_flight = true;
        if let Some(cause) = r.error {
            j.error = Some(cause);
            j.failed_at = Some(r.error_at);
            j.other = other_of(r.error_other);
        }
        Some(j)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_incident_counts_its_first_failure_and_ends_after_a_quiet_spell() {
        let mut inc = Incidents::default();
        let cause = ErrorCause::QueueFull;
        assert!(matches!(
            inc.record(0, 3, cause, NO_NODE),
            Some(LogEvent::FailuresStarted { .. })
        ));
        assert!(inc.record(SECOND, 3, cause, NO_NODE).is_none());
        assert!(inc.record(2 * SECOND, 3, cause, NO_NODE).is_none());
        let mut out = Vec::new();
        inc.tick(5 * SECOND, &mut out);
        assert!(out.is_empty(), "nothing to report before 10 s");
        inc.tick(10 * SECOND, &mut out);
        assert!(
            matches!(out[..], [(3, LogEvent::Failing { count: 3, .. })]),
            "{out:?}"
        );
        out.clear();
        inc.tick(12 * SECOND, &mut out);
        assert!(
            matches!(out[..], [(3, LogEvent::FailuresStopped { count: 3, .. })]),
            "{out:?}"
        );
        assert!(inc.open.is_empty());
    }
}
