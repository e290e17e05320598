//! DNS servers: lookups with a TTL, GeoDNS and weighted answers with
//! health checks.

use super::Wiring;
use super::lb::Backend;
use crate::catalog::{DNS_ROUTING, Group, Kind, KindSpec, ParamKind, ParamSpec, Unit, number, t};
use crate::design::Reader;
use crate::model::{ErrorCause, Event, NodeState, Simulation};
use crate::rng::{SimRng, below};
use crate::time::Nanos;
use rand_core::Rng;

const DNS_PARAMS: &[ParamSpec] = &[
    ParamSpec {
        key: "lookup_ms",
        label: t("Lookup time", "조회 시간"),
        help: t(
            "Time the DNS server takes to answer one lookup.",
            "DNS 서버가 조회 한 건에 답하는 데 걸리는 시간.",
        ),
        kind: number(0.0, 5_000.0, 20.0, Unit::Milliseconds),
        only_with: None,
    },
    ParamSpec {
        key: "ttl_s",
        label: t("Record TTL", "레코드 TTL"),
        help: t(
            "How long a user's browser keeps the answer before asking again.",
            "사용자 브라우저가 답을 보관했다가 다시 묻기까지의 시간.",
        ),
        kind: number(0.0, 86_400.0, 300.0, Unit::Seconds),
        only_with: None,
    },
    ParamSpec {
        key: "routing",
        label: t("Answers", "응답 방식"),
        help: t(
            "Random: any target, dead or alive. Nearest (GeoDNS): the healthy target in the data center closest to the user, by health checks. Weighted: healthy targets in proportion to each connection's weight (e.g. 70/30).",
            "무작위: 죽었든 살았든 아무 대상. 가장 가까운 곳(GeoDNS): 헬스 체크로 확인한 정상 대상 중 사용자에게 가장 가까운 데이터 센터. 가중치: 정상 대상에 연결마다 정한 가중치 비율로(예: 70/30).",
        ),
        kind: ParamKind::Choice {
            options: DNS_ROUTING,
            labels: &[
                t("Random", "무작위"),
                t("Nearest healthy (GeoDNS)", "가장 가까운 정상 대상 (GeoDNS)"),
                t("Weighted, healthy only", "가중치, 정상 대상만"),
            ],
            default: "random",
        },
        only_with: None,
    },
    ParamSpec {
        key: "health_interval_s",
        label: t("Health-check interval", "헬스 체크 간격"),
        help: t(
            "How often GeoDNS checks each target; a target fails after 3 missed checks in a row and returns after 2 passed ones.",
            "GeoDNS가 각 대상을 확인하는 주기. 연속 3번 실패하면 빠지고 2번 통과하면 돌아옵니다.",
        ),
        kind: number(0.1, 600.0, 10.0, Unit::Seconds),
        only_with: Some(("routing", "nearest|weighted")),
    },
];

/// The catalog entry of this kind: its parameters and texts in both
/// languages.
pub(crate) const SPEC: KindSpec = KindSpec {
    kind: Kind::Dns,
    group: Group::Entry,
    id_prefix: "dns",
    name: t("DNS", "DNS"),
    description: t(
        "Turns the site's name into an address; answers are cached for the TTL.",
        "도메인 이름을 주소로 바꿉니다. 답은 TTL 동안 캐시됩니다.",
    ),
    connects_to: &[Kind::LoadBalancer, Kind::WebServer],
    called_by: &[],
    needs_target: true,
    params: DNS_PARAMS,
    presets: &[],
    in_datacenter: false,
};

#[derive(Debug)]
pub(in crate::model) struct DnsNode {
    pub rng: SimRng,
    pub lookup: Nanos,
    pub ttl: Nanos,
    pub targets: Vec<u32>,
    pub up: bool,
    pub epoch: u32,
    /// GeoDNS: answer with the nearest target it believes healthy.
    pub nearest: bool,
    /// Weighted answers: each target's weight, in `targets` order; the
    /// answer is a healthy target drawn in proportion.
    pub weights: Option<Vec<f64>>,
    /// GeoDNS health checks: interval [ns] and its view of each target.
    pub interval: Nanos,
    pub health: Vec<Backend>,
}

/// How a DNS server picks among its targets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Routing {
    /// Any healthy target, at random.
    Random,
    /// The healthy target nearest the asking user (GeoDNS).
    Nearest,
    /// At random, in proportion to each connection's weight.
    Weighted,
}

/// A DNS server's parameters, read once when the design is validated.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// Time to answer a lookup [ns].
    pub lookup: Nanos,
    /// How long users keep an answer [ns].
    pub ttl: Nanos,
    /// How it picks a target.
    pub routing: Routing,
    /// Time between health checks of each target [ns].
    pub health_interval: Nanos,
}

impl Params {
    /// Reads the checked values.
    pub(crate) fn read(r: &Reader) -> Self {
        Params {
            lookup: r.ms("lookup_ms"),
            ttl: r.secs("ttl_s"),
            routing: if r.is("routing", "nearest") {
                Routing::Nearest
            } else if r.is("routing", "weighted") {
                Routing::Weighted
            } else {
                Routing::Random
            },
            health_interval: r.secs("health_interval_s"),
        }
    }
}

impl DnsNode {
    /// Its next check of its targets after `now`, if it checks them (it is
    /// node `node`).
    pub fn check_after(&self, node: u32, now: Nanos) -> Option<(Nanos, Event)> {
        let (at, epoch) = (now + self.interval, self.epoch);
        self.checks_health()
            .then_some((at, Event::Dns(DnsEvent::DnsCheck { dns: node, epoch })))
    }

    /// Crashes: lookups in progress fail.
    pub fn crash(&mut self) {
        self.up = false;
        self.epoch += 1;
    }

    /// Comes back at `now`; if it checks its targets, it believes them
    /// healthy again and returns its next check (it is node `node`).
    pub fn restart(&mut self, now: Nanos, node: u32) -> Option<(Nanos, Event)> {
        self.up = true;
        if self.checks_health() {
            for b in &mut self.health {
                *b = Backend::new(b.node);
            }
        }
        self.check_after(node, now)
    }

    /// Whether it checks its targets' health (GeoDNS and weighted answers).
    pub fn checks_health(&self) -> bool {
        self.nearest || self.weights.is_some()
    }
}

impl DnsNode {
    /// Builds the node from its design entry (parameters) and wiring.
    pub fn build(p: &Params, rng: SimRng, w: &Wiring) -> Self {
        let design = w.design;
        let i = w.i;
        let targets = w.targets.clone();
        DnsNode {
            rng,
            lookup: p.lookup,
            ttl: p.ttl,
            health: targets.iter().map(|&t| Backend::new(t)).collect(),
            targets,
            up: true,
            epoch: 0,
            nearest: p.routing == Routing::Nearest,
            weights: (p.routing == Routing::Weighted).then(|| {
                design.out_params[i]
                    .iter()
                    .map(|p| p.number("weight").unwrap_or(1.0))
                    .collect()
            }),
            interval: p.health_interval,
        }
    }

    /// Takes over the dynamic state of `old` (the same node before an
    /// edit): parameters and wiring stay as built from the edit.
    pub fn inherit(&mut self, old: Self, _now: Nanos) {
        self.rng = old.rng;
        self.up = old.up;
        self.epoch = old.epoch;
        for b in &mut self.health {
            if let Some(o) = old.health.iter().find(|o| o.node == b.node) {
                *b = *o;
            }
        }
    }
}

/// A target drawn in proportion to its weight among those believed healthy
/// (all of them if none is, or if the healthy ones weigh nothing).
fn weighted_pick(rng: &mut crate::rng::SimRng, health: &[Backend], weights: &[f64]) -> u32 {
    let pick = |healthy_only: bool, rng: &mut crate::rng::SimRng| {
        let weight = |(b, w): (&Backend, &f64)| if b.healthy || !healthy_only { *w } else { 0.0 };
        let total: f64 = health.iter().zip(weights).map(weight).sum();
        if total <= 0.0 {
            return None;
        }
        let mut roll = rng.next_u64() as f64 / u64::MAX as f64 * total;
        for (b, w) in health.iter().zip(weights) {
            let w = weight((b, w));
            if roll < w {
                return Some(b.node);
            }
            roll -= w;
        }
        health
            .iter()
            .zip(weights)
            .rev()
            .find(|bw| weight(*bw) > 0.0)
            .map(|(b, _)| b.node)
    };
    pick(true, rng)
        .or_else(|| pick(false, rng))
        .unwrap_or(health[0].node)
}

/// A DNS server's events.
#[derive(Debug, Clone, Copy)]
pub(in crate::model) enum DnsEvent {
    /// A DNS server finished one lookup (failed if the DNS crashed since).
    LookupDone { req: u32, dns: u32, epoch: u32 },
    /// A GeoDNS checks its targets.
    DnsCheck { dns: u32, epoch: u32 },
}

impl Simulation {
    /// Handles one of these events.
    pub(in crate::model) fn on_dns_event(&mut self, e: DnsEvent) {
        match e {
            DnsEvent::LookupDone { req, dns, epoch } => self.on_lookup_done(req, dns, epoch),
            DnsEvent::DnsCheck { dns, epoch } => self.on_dns_check(dns, epoch),
        }
    }

    /// A lookup reaches the DNS server: answered after the lookup time,
    /// refused if the server is down.
    pub(in crate::model) fn arrive_at_dns(&mut self, req: u32, node: u32) {
        let NodeState::Dns(d) = &self.nodes[node as usize] else {
            unreachable!("only DNS servers take lookups")
        };
        if !d.up {
            return self.reject(req, node, ErrorCause::NodeDown);
        }
        let (done, epoch) = (self.now + d.lookup, d.epoch);
        self.requests[req as usize].dns_ns += d.lookup;
        self.events.schedule(
            done,
            Event::Dns(DnsEvent::LookupDone {
                req,
                dns: node,
                epoch,
            }),
        );
    }

    pub(in crate::model) fn on_lookup_done(&mut self, req: u32, dns: u32, epoch: u32) {
        self.leave_hop(req);
        let NodeState::Dns(d) = &mut self.nodes[dns as usize] else {
            unreachable!()
        };
        if d.epoch != epoch {
            return self.reject(req, dns, ErrorCause::NodeDown);
        }
        let origin = self.requests[req as usize].origin;
        let entry = if d.nearest {
            self.nearest_target(dns, origin)
        } else if let Some(weights) = &d.weights {
            weighted_pick(&mut d.rng, &d.health, weights)
        } else {
            let pick = below(&mut d.rng, d.targets.len() as u64) as usize;
            d.targets[pick]
        };
        self.requests[req as usize].entry = entry;
        self.send(req, dns, origin, true);
    }

    /// GeoDNS: the target it believes healthy that is closest to the users
    /// of `origin` (the first such in design order on a tie); if it
    /// believes none healthy, the closest of all.
    pub(in crate::model) fn nearest_target(&self, dns: u32, origin: u32) -> u32 {
        let NodeState::Dns(d) = &self.nodes[dns as usize] else {
            unreachable!()
        };
        let geo = match &self.nodes[origin as usize] {
            NodeState::Users(u) => u.geo,
            _ => None,
        };
        let distance = |t: u32| self.user_distance(geo, t);
        let best = |healthy_only: bool| {
            d.health
                .iter()
                .filter(|b| b.healthy || !healthy_only)
                .min_by_key(|b| distance(b.node))
                .map(|b| b.node)
        };
        best(true).or_else(|| best(false)).unwrap_or(d.targets[0])
    }

    /// A GeoDNS probes its targets (a target fails after 3 missed checks in
    /// a row and returns after 2 passed ones).
    pub(in crate::model) fn on_dns_check(&mut self, dns: u32, epoch: u32) {
        let now = self.now;
        let probes: Vec<bool> = {
            let NodeState::Dns(d) = &self.nodes[dns as usize] else {
                return;
            };
            if d.epoch != epoch || !d.up {
                return;
            }
            d.health
                .iter()
                .map(|b| self.nodes[b.node as usize].is_up())
                .collect()
        };
        let NodeState::Dns(d) = &mut self.nodes[dns as usize] else {
            unreachable!()
        };
        let mut changes = Vec::new();
        for (b, ok) in d.health.iter_mut().zip(probes) {
            if let Some(event) = b.probe(ok, 3, 2) {
                changes.push(event);
            }
        }
        let next = now + d.interval;
        self.events
            .schedule(next, Event::Dns(DnsEvent::DnsCheck { dns, epoch }));
        for event in changes {
            self.push_log(dns, event);
        }
    }
}
