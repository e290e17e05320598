//! Faults, scheduled or injected: crashes and restarts of any node,
//! slow-downs, cut links, traffic spikes; and the event log they write to.

use super::{ErrorCause, Event, LOG_CAPACITY, LogEntry, LogEvent, Simulation, kinds};
use crate::design::FaultKind;
use kinds::NodeState;

/// Faults: one starting, or one ending.
#[derive(Debug, Clone, Copy)]
pub(in crate::model) enum FaultEvent {
    /// A scheduled or injected fault.
    Inject(FaultKind),
    /// A slow-down ends.
    SlowEnd { node: u32 },
    /// A cut link is restored.
    CutEnd { a: u32, b: u32 },
    /// A traffic spike ends.
    SpikeEnd { users: u32 },
}

impl Simulation {
    /// Handles one of these events.
    pub(in crate::model) fn on_fault_event(&mut self, e: FaultEvent) {
        match e {
            FaultEvent::Inject(f) => self.inject(f),
            FaultEvent::SlowEnd { node } => self.set_slow(node, 1.0),
            FaultEvent::CutEnd { a, b } => self.set_cut(a, b, false),
            FaultEvent::SpikeEnd { users } => self.set_spike(users, 1.0),
        }
    }

    /// Applies a fault now: the same path scheduled faults take, for faults
    /// injected while running.
    pub fn inject(&mut self, fault: FaultKind) {
        let now = self.now;
        match fault {
            FaultKind::Kill(n) => self.kill(n as u32),
            FaultKind::Restart(n) => self.restart(n as u32),
            FaultKind::Slow(n, k, d) => {
                self.set_slow(n as u32, k);
                if let Some(d) = d {
                    self.events.schedule(
                        now.saturating_add(d),
                        Event::Faults(FaultEvent::SlowEnd { node: n as u32 }),
                    );
                }
            }
            FaultKind::Cut(a, b, d) => {
                self.set_cut(a as u32, b as u32, true);
                if let Some(d) = d {
                    self.events.schedule(
                        now.saturating_add(d),
                        Event::Faults(FaultEvent::CutEnd {
                            a: a as u32,
                            b: b as u32,
                        }),
                    );
                }
            }
            FaultKind::Promote(n) => self.promote_by_hand(n as u32),
            FaultKind::Purge(n) => self.purge(n as u32),
            FaultKind::KillDc(dc) | FaultKind::RestartDc(dc) => {
                let members: Vec<u32> = (0..self.nodes.len() as u32)
                    .filter(|&n| self.dc_of.get(n as usize).copied().flatten() == Some(dc))
                    .collect();
                for n in members {
                    if matches!(fault, FaultKind::KillDc(_)) {
                        self.kill(n);
                    } else {
                        self.restart(n);
                    }
                }
            }
            FaultKind::Spike(u, k, d) => {
                self.set_spike(u as u32, k);
                self.events.schedule(
                    now.saturating_add(d),
                    Event::Faults(FaultEvent::SpikeEnd { users: u as u32 }),
                );
            }
            FaultKind::Connect(a, b) => {
                if let Some(design) = self.scheduled.clone()
                    && self.patch(&design)
                {
                    self.push_log(a as u32, LogEvent::Connected { to: b as u32 });
                }
            }
        }
    }

    pub(in crate::model) fn push_log(&mut self, node: u32, event: LogEvent) {
        if self.log.len() == LOG_CAPACITY {
            self.log.pop_front();
        }
        self.log.push_back(LogEntry {
            t: self.now,
            node,
            event,
        });
    }

    pub(in crate::model) fn kill(&mut self, node: u32) {
        let _now = self.now;
        if !self.nodes[node as usize].is_up() {
            return;
        }
        let Some((queued, lost_sessions)) = self.crash_state(node) else {
            return;
        };
        self.note_down(node);
        self.push_log(node, LogEvent::Crashed);
        self.crashed(node);
        if lost_sessions > 0 {
            self.stats.sessions_lost += lost_sessions;
            self.push_log(
                node,
                LogEvent::SessionsLost {
                    count: lost_sessions,
                },
            );
        }
        for req in queued {
            self.requests[req as usize].stack.pop();
            self.reject(req, node, ErrorCause::NodeDown);
        }
    }

    pub(in crate::model) fn restart(&mut self, node: u32) {
        let _now = self.now;
        if self.nodes[node as usize].is_up() {
            return;
        }
        if !self.restart_state(node) {
            return;
        }
        self.note_up(node);
        self.push_log(node, LogEvent::Restarted);
        self.restarted(node);
    }

    pub(in crate::model) fn set_slow(&mut self, node: u32, factor: f64) {
        if let NodeState::Station(s) = &mut self.nodes[node as usize] {
            if s.slow == factor {
                return;
            }
            s.slow = factor;
            let event = if factor == 1.0 {
                LogEvent::SlowEnded
            } else {
                LogEvent::Slowed { factor }
            };
            self.push_log(node, event);
        }
    }

    pub(in crate::model) fn set_cut(&mut self, a: u32, b: u32, cut: bool) {
        let key = (a.min(b), a.max(b));
        let changed = if cut {
            self.cut.insert(key)
        } else {
            self.cut.remove(&key)
        };
        if changed && !cut {
            self.db_link_restored(a, b);
        }
        if changed {
            let event = if cut {
                LogEvent::LinkCut { other: b }
            } else {
                LogEvent::LinkRestored { other: b }
            };
            self.push_log(a, event);
        }
    }
}
