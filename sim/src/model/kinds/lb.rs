//! Load balancers: choosing a server by algorithm among those believed
//! healthy, health checks, sticky sessions.

use super::Wiring;
use crate::catalog::{
    Group, Kind, KindSpec, LB_ALGORITHMS, ParamKind, ParamSpec, Unit, count, number, t,
};
use crate::design::Reader;
use crate::model::log::LogEvent;
use crate::model::{ErrorCause, Event, NodeState, Simulation, failures};
use crate::rng::{SimRng, below};
use crate::time::Nanos;
use rustc_hash::FxHashMap;

const LB_PARAMS: &[ParamSpec] = &[
    ParamSpec {
        key: "algorithm",
        label: t("Algorithm", "분산 방식"),
        help: t(
            "How the next server is chosen. Sticky sends each user to the same server every time.",
            "다음 서버를 고르는 방식. 고정 세션(sticky)은 같은 사용자를 늘 같은 서버로 보냅니다.",
        ),
        kind: ParamKind::Choice {
            options: LB_ALGORITHMS,
            labels: &[
                t("Round robin", "라운드 로빈"),
                t("Random", "무작위"),
                t("Least connections", "최소 연결"),
                t("Power of two choices", "두 개 중 덜 바쁜 쪽"),
                t("Sticky (by user)", "고정 세션 (사용자별)"),
            ],
            default: "round_robin",
        },
        only_with: None,
    },
    ParamSpec {
        key: "health_interval_s",
        label: t("Health-check interval", "헬스 체크 간격"),
        help: t(
            "How often the load balancer probes each server.",
            "로드밸런서가 각 서버를 확인하는 주기.",
        ),
        kind: number(0.1, 600.0, 5.0, Unit::Seconds),
        only_with: None,
    },
    ParamSpec {
        key: "unhealthy_after",
        label: t("Failed checks to remove", "제외까지 실패 횟수"),
        help: t(
            "Consecutive failed checks before a server stops getting traffic; until then a dead server still gets requests.",
            "서버가 트래픽에서 빠지기까지 연속 실패 횟수. 그 전까지는 죽은 서버에도 요청이 갑니다.",
        ),
        kind: count(1.0, 20.0, 3.0),
        only_with: None,
    },
    ParamSpec {
        key: "healthy_after",
        label: t("Passed checks to return", "복귀까지 성공 횟수"),
        help: t(
            "Consecutive passed checks before a removed server gets traffic again.",
            "빠진 서버가 다시 트래픽을 받기까지 연속 성공 횟수.",
        ),
        kind: count(1.0, 20.0, 2.0),
        only_with: None,
    },
];

/// The catalog entry of this kind: its parameters and texts in both
/// languages.
pub(crate) const SPEC: KindSpec = KindSpec {
    kind: Kind::LoadBalancer,
    group: Group::Entry,
    id_prefix: "lb",
    name: t("Load balancer", "로드밸런서"),
    description: t(
        "Spreads requests over web servers and stops using ones that fail health checks.",
        "요청을 웹 서버들에 나누고, 헬스 체크에 실패한 서버는 빼냅니다.",
    ),
    connects_to: &[Kind::WebServer],
    called_by: &[],
    needs_target: false,
    params: LB_PARAMS,
    presets: &[],
    in_datacenter: true,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LbAlgorithm {
    RoundRobin,
    Random,
    LeastConnections,
    PowerOfTwo,
    Sticky,
}

/// A load balancer's view of one server.
#[derive(Debug, Clone, Copy)]
pub(in crate::model) struct Backend {
    pub node: u32,
    /// Whether the load balancer currently sends to it.
    pub healthy: bool,
    fails: u32,
    passes: u32,
    /// Requests sent to it and not yet answered.
    pub outstanding: u32,
}

impl Backend {
    pub fn new(node: u32) -> Self {
        Self {
            node,
            healthy: true,
            fails: 0,
            passes: 0,
            outstanding: 0,
        }
    }

    /// Records one health probe; returns the log event if the verdict changed.
    pub fn probe(
        &mut self,
        ok: bool,
        unhealthy_after: u32,
        healthy_after: u32,
    ) -> Option<LogEvent> {
        if ok {
            self.fails = 0;
            self.passes += 1;
            if !self.healthy && self.passes >= healthy_after {
                self.healthy = true;
                return Some(LogEvent::MarkedHealthy { backend: self.node });
            }
        } else {
            self.passes = 0;
            self.fails += 1;
            if self.healthy && self.fails >= unhealthy_after {
                self.healthy = false;
                return Some(LogEvent::MarkedUnhealthy {
                    backend: self.node,
                    failed_checks: self.fails,
                });
            }
        }
        None
    }
}

#[derive(Debug)]
pub(in crate::model) struct LbNode {
    pub rng: SimRng,
    pub algorithm: LbAlgorithm,
    pub backends: Vec<Backend>,
    next_rr: usize,
    pub interval: Nanos,
    pub unhealthy_after: u32,
    pub healthy_after: u32,
    /// Sticky assignments: user key → backend node.
    sticky: FxHashMap<u64, u32>,
    pub up: bool,
    pub epoch: u32,
    pub forwarded: u64,
}

impl LbNode {
    /// Its next health check after `now` (it is node `node`).
    pub fn check_after(&self, node: u32, now: Nanos) -> (Nanos, Event) {
        let (at, epoch) = (now + self.interval, self.epoch);
        (at, Event::Lb(LbEvent::HealthCheck { lb: node, epoch }))
    }

    /// Crashes: what it was doing is ignored from now on.
    pub fn crash(&mut self) {
        self.up = false;
        self.epoch += 1;
    }

    /// Comes back at `now` believing every server healthy; returns its
    /// next health check (it is node `node`).
    pub fn restart(&mut self, now: Nanos, node: u32) -> Option<(Nanos, Event)> {
        self.up = true;
        for b in &mut self.backends {
            *b = Backend::new(b.node);
        }
        Some(self.check_after(node, now))
    }

    /// Chooses a backend (index) among those believed healthy, or `None`.
    pub fn pick(&mut self, user_key: u64) -> Option<usize> {
        let n = self.backends.len();
        let healthy = self.backends.iter().filter(|b| b.healthy).count();
        if healthy == 0 {
            return None;
        }
        // The k-th healthy backend, in design order.
        let nth = |backends: &[Backend], k: usize| {
            backends
                .iter()
                .enumerate()
                .filter(|(_, b)| b.healthy)
                .nth(k)
                .map(|(i, _)| i)
                .expect("k < healthy count")
        };
        match self.algorithm {
            LbAlgorithm::RoundRobin => {
                for _ in 0..n {
                    let i = self.next_rr % n;
                    self.next_rr = self.next_rr.wrapping_add(1);
                    if self.backends[i].healthy {
                        return Some(i);
                    }
                }
                None
            }
            LbAlgorithm::Random => {
                let k = below(&mut self.rng, healthy as u64) as usize;
                Some(nth(&self.backends, k))
            }
            LbAlgorithm::LeastConnections => self
                .backends
                .iter()
                .enumerate()
                .filter(|(_, b)| b.healthy)
                .min_by_key(|(i, b)| (b.outstanding, *i))
                .map(|(i, _)| i),
            LbAlgorithm::PowerOfTwo => {
                let a = nth(
                    &self.backends,
                    below(&mut self.rng, healthy as u64) as usize,
                );
                let b = nth(
                    &self.backends,
                    below(&mut self.rng, healthy as u64) as usize,
                );
                Some(
                    if self.backends[b].outstanding < self.backends[a].outstanding {
                        b
                    } else {
                        a
                    },
                )
            }
            LbAlgorithm::Sticky => {
                if let Some(i) = self
                    .sticky
                    .get(&user_key)
                    .and_then(|&node| self.backends.iter().position(|b| b.node == node))
                    && self.backends[i].healthy
                {
                    return Some(i);
                }
                // New user, or their server was taken out: assign round robin.
                let i = (0..n)
                    .map(|k| (self.next_rr + k) % n)
                    .find(|&i| self.backends[i].healthy)?;
                self.next_rr = self.next_rr.wrapping_add(1);
                self.sticky.insert(user_key, self.backends[i].node);
                Some(i)
            }
        }
    }
}

impl LbAlgorithm {
    /// Parses a catalog option name.
    fn from_name(name: &str) -> Self {
        match name {
            "random" => LbAlgorithm::Random,
            "least_connections" => LbAlgorithm::LeastConnections,
            "power_of_two" => LbAlgorithm::PowerOfTwo,
            "sticky" => LbAlgorithm::Sticky,
            _ => LbAlgorithm::RoundRobin,
        }
    }
}

/// A load balancer's parameters, read once when the design is validated.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// How it picks a backend.
    pub algorithm: LbAlgorithm,
    /// Time between health checks of each backend [ns].
    pub health_interval: Nanos,
    /// Failed checks in a row before a backend is taken out [count].
    pub unhealthy_after: u32,
    /// Passed checks in a row before it is put back [count].
    pub healthy_after: u32,
}

impl Params {
    /// Reads the checked values.
    pub(crate) fn read(r: &Reader) -> Self {
        Params {
            algorithm: LbAlgorithm::from_name(r.choice("algorithm")),
            health_interval: r.secs("health_interval_s"),
            unhealthy_after: r.count("unhealthy_after") as u32,
            healthy_after: r.count("healthy_after") as u32,
        }
    }
}

impl LbNode {
    /// Builds the node from its design entry (parameters) and wiring.
    pub fn build(p: &Params, rng: SimRng, w: &Wiring) -> Self {
        let targets = w.targets.clone();
        LbNode {
            rng,
            algorithm: p.algorithm,
            backends: targets.iter().map(|&t| Backend::new(t)).collect(),
            next_rr: 0,
            interval: p.health_interval,
            unhealthy_after: p.unhealthy_after,
            healthy_after: p.healthy_after,
            sticky: FxHashMap::default(),
            up: true,
            epoch: 0,
            forwarded: 0,
        }
    }

    /// Takes over the dynamic state of `old` (the same node before an
    /// edit): parameters and wiring stay as built from the edit.
    pub fn inherit(&mut self, old: Self, _now: Nanos) {
        self.rng = old.rng;
        self.up = old.up;
        self.epoch = old.epoch;
        self.next_rr = old.next_rr;
        self.sticky = old.sticky;
        self.forwarded = old.forwarded;
        for b in &mut self.backends {
            if let Some(o) = old.backends.iter().find(|o| o.node == b.node) {
                *b = *o;
            }
        }
    }
}

/// A load balancer's events.
#[derive(Debug, Clone, Copy)]
pub(in crate::model) enum LbEvent {
    /// A load balancer probes its servers.
    HealthCheck { lb: u32, epoch: u32 },
}

impl Simulation {
    /// Handles one of these events.
    pub(in crate::model) fn on_lb_event(&mut self, e: LbEvent) {
        match e {
            LbEvent::HealthCheck { lb, epoch } => self.on_health_check(lb, epoch),
        }
    }

    pub(in crate::model) fn forward_at_lb(&mut self, req: u32, lb_node: u32) {
        let user_key = {
            let r = &self.requests[req as usize];
            (u64::from(r.origin) << 32) | u64::from(r.user)
        };
        let NodeState::Lb(lb) = &mut self.nodes[lb_node as usize] else {
            unreachable!()
        };
        if !lb.up {
            return self.reject(req, lb_node, ErrorCause::NodeDown);
        }
        let Some(pick) = lb.pick(user_key) else {
            return self.reject(req, lb_node, ErrorCause::NoHealthyBackend);
        };
        lb.backends[pick].outstanding += 1;
        lb.forwarded += 1;
        let (target, epoch) = (lb.backends[pick].node, lb.epoch);
        self.forward(req, lb_node, target, epoch);
    }

    pub(in crate::model) fn on_reply_at_lb(&mut self, req: u32, lb_node: u32) {
        let frame = self.requests[req as usize]
            .stack
            .pop()
            .expect("a reply at a load balancer has its frame");
        let NodeState::Lb(lb) = &mut self.nodes[lb_node as usize] else {
            unreachable!()
        };
        if frame.epoch == lb.epoch {
            if let Some(b) = lb.backends.iter_mut().find(|b| b.node == frame.next) {
                b.outstanding = b.outstanding.saturating_sub(1);
            }
        } else {
            // The load balancer crashed while the request was behind it.
            self.fail_at(req, lb_node, failures::NO_NODE, ErrorCause::NodeDown);
        }
        let caller = self.caller_of(req);
        self.send(req, lb_node, caller, true);
    }

    pub(in crate::model) fn on_health_check(&mut self, lb_node: u32, epoch: u32) {
        let now = self.now;
        let probes: Vec<bool> = {
            let NodeState::Lb(lb) = &self.nodes[lb_node as usize] else {
                unreachable!()
            };
            if lb.epoch != epoch || !lb.up {
                return;
            }
            lb.backends
                .iter()
                .map(|b| self.nodes[b.node as usize].is_up() && !self.link_cut(lb_node, b.node))
                .collect()
        };
        let NodeState::Lb(lb) = &mut self.nodes[lb_node as usize] else {
            unreachable!()
        };
        let mut changes = Vec::new();
        for (b, ok) in lb.backends.iter_mut().zip(probes) {
            if let Some(event) = b.probe(ok, lb.unhealthy_after, lb.healthy_after) {
                changes.push(event);
            }
        }
        let next = now + lb.interval;
        self.events
            .schedule(next, Event::Lb(LbEvent::HealthCheck { lb: lb_node, epoch }));
        for event in changes {
            self.push_log(lb_node, event);
        }
    }
}
