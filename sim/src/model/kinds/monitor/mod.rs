//! Monitoring: a node that scrapes every node's state at an interval,
//! evaluates alert rules over what it saw, pages an on-call engineer who
//! fixes dead nodes after a response time, autoscales the web tier, and
//! keeps the business figures (active users, requests per user, error
//! budget).
//!
//! ```text
//!   every scrape: which nodes are down; errors and p95 since the last scrape;
//!                 each web tier's busy share since the last scrape
//!   a rule true at every scrape for `alert_for_s` → alert fires (logged)
//!   node-down alert → page → `response_s` later: fail a dead master over,
//!                                                restart the node
//!   web tier busy above target → ⌈servers × busy ÷ target⌉ servers; new
//!                 ones take traffic after `boot_s`
//! ```
//!
//! Without a monitoring node nobody is told: a dead node stays dead until
//! someone restarts it by hand.

mod autoscale;

use crate::catalog::{
    Group, Kind, KindSpec, OFF_ON, ParamKind, ParamSpec, SWITCH_OFF, Unit, count, number, t,
};
use crate::design::{Design, Reader};
use crate::metrics::LatencyHistogram;
use crate::model::{Event, LogEvent, NodeState, Simulation};
use crate::time::{Nanos, SECOND, to_secs};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

const MONITORING_PARAMS: &[ParamSpec] = &[
    ParamSpec {
        key: "scrape_interval_s",
        label: t("Scrape interval", "수집 간격"),
        help: t(
            "How often it collects every node's metrics; between scrapes it sees nothing new.",
            "모든 노드의 지표를 모으는 주기. 그 사이에는 새로 보이는 것이 없습니다.",
        ),
        kind: number(1.0, 300.0, 15.0, Unit::Seconds),
        only_with: None,
    },
    ParamSpec {
        key: "alert_for_s",
        label: t("Alert after", "경보 지연"),
        help: t(
            "A rule must hold at the scrapes of this long before its alert fires (filters blips).",
            "규칙이 이만큼의 수집 동안 계속 참이어야 경보가 울립니다(잠깐의 튐을 거릅니다).",
        ),
        kind: number(0.0, 3_600.0, 30.0, Unit::Seconds),
        only_with: None,
    },
    ParamSpec {
        key: "alert_error_pct",
        label: t("Error-rate alert", "오류율 경보"),
        help: t(
            "Fires when this share of the requests since the last scrape failed.",
            "지난 수집 이후 요청 중 이 비율 이상이 실패하면 울립니다.",
        ),
        kind: number(0.1, 100.0, 5.0, Unit::Percent),
        only_with: None,
    },
    ParamSpec {
        key: "alert_p95_ms",
        label: t("Latency alert (p95)", "지연 경보(p95)"),
        help: t(
            "Fires when the 95th-percentile latency since the last scrape is above this.",
            "지난 수집 이후 95번째 백분위 지연이 이보다 크면 울립니다.",
        ),
        kind: number(1.0, 600_000.0, 1_000.0, Unit::Milliseconds),
        only_with: None,
    },
    ParamSpec {
        key: "on_call",
        label: t("On-call engineer", "당번 엔지니어"),
        help: t(
            "Paged when a node is down: after the response time they restart it, and fail a dead master over to its best replica.",
            "노드가 죽으면 호출됩니다. 대응 시간 뒤 노드를 재시작하고, 죽은 마스터는 가장 앞선 복제본으로 장애 조치합니다.",
        ),
        kind: ParamKind::Choice {
            options: OFF_ON,
            labels: &[t("Nobody", "없음"), t("Paged", "호출")],
            default: "on",
        },
        only_with: None,
    },
    ParamSpec {
        key: "response_s",
        label: t("Response time", "대응 시간"),
        help: t(
            "From the page to the engineer's fix: waking up, logging in, finding the node.",
            "호출에서 조치까지: 일어나서, 접속하고, 노드를 찾는 시간.",
        ),
        kind: number(0.0, 86_400.0, 300.0, Unit::Seconds),
        only_with: Some(("on_call", "on")),
    },
    ParamSpec {
        key: "slo_pct",
        label: t("Availability objective", "가용성 목표(SLO)"),
        help: t(
            "The share of requests that should succeed; the failures it allows are the error budget.",
            "성공해야 하는 요청 비율. 이 목표가 허용하는 실패가 오류 예산입니다.",
        ),
        kind: number(50.0, 99.999, 99.9, Unit::Percent),
        only_with: None,
    },
    ParamSpec {
        key: "autoscale",
        label: t("Autoscale web tier", "웹 계층 자동 확장"),
        help: t(
            "Adds web servers behind each load balancer when their busy share at a scrape is above the target, removes added ones when it is well below.",
            "수집 때 웹 서버들의 사용률이 목표보다 높으면 로드밸런서 뒤에 서버를 더하고, 한참 낮으면 더한 서버를 뺍니다.",
        ),
        kind: SWITCH_OFF,
        only_with: None,
    },
    ParamSpec {
        key: "target_busy_pct",
        label: t("Target busy share", "목표 사용률"),
        help: t(
            "The web servers' busy share the autoscaler steers to: servers = ⌈servers × busy ÷ target⌉.",
            "자동 확장이 맞추려는 웹 서버 사용률: 서버 수 = ⌈서버 수 × 사용률 ÷ 목표⌉.",
        ),
        kind: number(10.0, 95.0, 60.0, Unit::Percent),
        only_with: Some(("autoscale", "on")),
    },
    ParamSpec {
        key: "max_servers",
        label: t("Most servers", "최대 서버 수"),
        help: t(
            "The autoscaler never runs more web servers than this behind one load balancer.",
            "로드밸런서 하나 뒤에 이보다 많은 웹 서버를 두지 않습니다.",
        ),
        kind: count(1.0, 200.0, 10.0),
        only_with: Some(("autoscale", "on")),
    },
    ParamSpec {
        key: "boot_s",
        label: t("Boot time", "부팅 시간"),
        help: t(
            "A new web server starts taking traffic this long after the autoscaler asks for it (and costs money from the start).",
            "새 웹 서버는 요청 후 이만큼 지나야 트래픽을 받습니다(비용은 처음부터 듭니다).",
        ),
        kind: number(0.0, 3_600.0, 60.0, Unit::Seconds),
        only_with: Some(("autoscale", "on")),
    },
];

/// The catalog entry of this kind: its parameters and texts in both
/// languages.
pub(crate) const SPEC: KindSpec = KindSpec {
    kind: Kind::Monitoring,
    group: Group::Operations,
    id_prefix: "monitor",
    name: t("Monitoring", "모니터링"),
    description: t(
        "Scrapes every node's metrics, fires alerts, pages the on-call engineer and can autoscale the web tier. Needs no connections.",
        "모든 노드의 지표를 수집하고, 경보를 울리고, 당번 엔지니어를 호출하며, 웹 계층을 자동 확장할 수 있습니다. 연결이 필요 없습니다.",
    ),
    connects_to: &[],
    called_by: &[],
    needs_target: false,
    params: MONITORING_PARAMS,
    presets: &[],
    in_datacenter: false,
};

/// Length of the day active users are counted over [ns].
pub const DAY: Nanos = 86_400 * SECOND;

/// What an alert is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum Alert {
    /// A node stopped answering scrapes.
    NodeDown {
        /// The node (index).
        node: u32,
    },
    /// Too many requests failed since the last scrape.
    ErrorRate,
    /// The 95th-percentile latency since the last scrape was too high.
    Latency,
}

#[derive(Debug)]
struct RuleState {
    alert: Alert,
    /// First scrape at which the rule was true (in this stretch).
    since: Nanos,
    firing: bool,
}

/// One web tier: the web servers behind a load balancer.
#[derive(Debug)]
struct Tier {
    lb: u32,
    /// The designed web server new ones are copies of (node index).
    template: u32,
    /// Servers the autoscaler added and that take traffic, oldest first.
    ready: Vec<u32>,
    /// Servers still booting.
    booting: Vec<u32>,
    /// Copies made so far (names the next one).
    made: u32,
}

/// Autoscaling of the web tier by the monitor.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Autoscale {
    /// Busy share to steer to, 0..1.
    pub target: f64,
    /// Most web servers it runs [count].
    pub max: u32,
    /// Time from an added server being asked for to its first request [ns].
    pub boot: Nanos,
}

/// A monitoring node's parameters, read once when the design is validated.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// Time between scrapes of every node's figures [ns].
    pub scrape: Nanos,
    /// How long a rule must hold before its alert fires [ns].
    pub alert_for: Nanos,
    /// Share of failed requests that fires the error alert, 0..1.
    pub error_share: f64,
    /// 95th-percentile latency that fires the latency alert [ms].
    pub p95_ms: f64,
    /// The on-call engineer's response time, if someone is paged [ns].
    pub response: Option<Nanos>,
    /// Availability objective, 0..1.
    pub slo: f64,
    /// Autoscaling of the web tier, if on.
    pub autoscale: Option<Autoscale>,
}

impl Params {
    /// Reads the checked values.
    pub(crate) fn read(r: &Reader) -> Self {
        let response = r.secs("response_s");
        let autoscale = Autoscale {
            target: r.number("target_busy_pct") / 100.0,
            max: r.count("max_servers") as u32,
            boot: r.secs("boot_s"),
        };
        Params {
            scrape: r.secs("scrape_interval_s"),
            alert_for: r.secs("alert_for_s"),
            error_share: r.number("alert_error_pct") / 100.0,
            p95_ms: r.number("alert_p95_ms"),
            response: r.on("on_call").then_some(response),
            slo: r.number("slo_pct") / 100.0,
            autoscale: r.on("autoscale").then_some(autoscale),
        }
    }
}

/// A monitoring node's settings and state.
#[derive(Debug)]
pub(in crate::model) struct MonitorNode {
    pub up: bool,
    pub epoch: u32,
    set: Params,
    rules: Vec<RuleState>,
    alerts_fired: u64,
    /// Failed requests collected from the logs at scrapes.
    errors_logged: u64,
    /// Time from each node's crash to its alert [ns].
    detections: Vec<Nanos>,
    /// When each node that is down went down.
    down_at: FxHashMap<u32, Nanos>,
    /// Each web server's busy integral [worker·ns] and time at the last
    /// scrape.
    busy_seen: FxHashMap<u32, (u128, Nanos)>,
    tiers: Vec<Tier>,
    /// Users seen today: (Users node << 32 | user).
    users_today: FxHashSet<u64>,
    requests_today: u64,
    day: u64,
    /// Requests answered and failed since the last scrape, and their
    /// latencies.
    window_ok: u64,
    window_failed: u64,
    window_latency: LatencyHistogram,
}

impl MonitorNode {
    /// Crashes: scrapes stop.
    pub fn crash(&mut self) {
        self.up = false;
        self.epoch += 1;
    }

    /// Comes back at `now`; returns its next scrape (it is node `node`).
    pub fn restart(&mut self, now: Nanos, node: u32) -> Option<(Nanos, Event)> {
        self.up = true;
        let (at, epoch) = (now + self.interval(), self.epoch);
        Some((
            at,
            Event::Monitor(MonitorEvent::Scrape { mon: node, epoch }),
        ))
    }

    /// Restarts the counts of alerts, logged errors and detection times;
    /// what the monitor watches (rules, down nodes, today's users) stays.
    pub fn reset_measurements(&mut self) {
        self.alerts_fired = 0;
        self.errors_logged = 0;
        self.detections.clear();
    }

    pub fn build(p: &Params) -> Self {
        MonitorNode {
            up: true,
            epoch: 0,
            set: *p,
            rules: Vec::new(),
            alerts_fired: 0,
            errors_logged: 0,
            detections: Vec::new(),
            down_at: FxHashMap::default(),
            busy_seen: FxHashMap::default(),
            tiers: Vec::new(),
            users_today: FxHashSet::default(),
            requests_today: 0,
            day: 0,
            window_ok: 0,
            window_failed: 0,
            window_latency: LatencyHistogram::default(),
        }
    }

    /// Takes over what `old` saw and did, under the new settings.
    pub fn inherit(&mut self, old: MonitorNode) {
        let set = self.set;
        *self = old;
        self.set = set;
    }

    pub fn interval(&self) -> Nanos {
        self.set.scrape
    }
}

/// What the monitoring node knows, for the snapshot.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MonitoringFigures {
    /// Alerts firing now, with the id of the node each is about (if any).
    pub firing: Vec<(Alert, Option<String>)>,
    /// Alerts fired since the start of measurement.
    pub alerts_fired: u64,
    /// Failed requests the scrapes collected from the error logs since
    /// the start of measurement (those since the last scrape are not in
    /// yet).
    pub errors_logged: u64,
    /// Mean time from a node's crash to its alert, over the alerts of the
    /// measured period [s] (`None` before any).
    pub mean_detect_s: Option<f64>,
    /// Distinct users who sent a request today (the simulated day so far).
    pub active_users: u64,
    /// Requests today per active user.
    pub requests_per_user: f64,
    /// The availability objective [%].
    pub slo_pct: f64,
    /// Share of the error budget spent since the start of measurement:
    /// failures ÷ (answered × (1 − objective)); above 1 the objective is
    /// missed.
    pub error_budget_used: f64,
    /// Web servers the autoscaler added that take traffic.
    pub servers_added: u32,
    /// Web servers the autoscaler asked for that are still booting.
    pub servers_booting: u32,
}

/// The monitoring node's events.
#[derive(Debug, Clone, Copy)]
pub(in crate::model) enum MonitorEvent {
    /// The monitoring node scrapes everything.
    Scrape { mon: u32, epoch: u32 },
    /// The on-call engineer paged about `node` acts.
    OnCall { mon: u32, node: u32 },
    /// A web server the autoscaler added finished booting.
    ServerReady { lb: u32, server: u32 },
}

impl Simulation {
    /// Handles one of these events.
    pub(in crate::model) fn on_monitor_event(&mut self, e: MonitorEvent) {
        match e {
            MonitorEvent::Scrape { mon, epoch } => self.on_scrape(mon, epoch),
            MonitorEvent::OnCall { mon, node } => self.on_call(mon, node),
            MonitorEvent::ServerReady { lb, server } => self.on_server_ready(lb, server),
        }
    }

    fn monitor_mut(&mut self) -> Option<&mut MonitorNode> {
        match &mut self.nodes[self.monitor? as usize] {
            NodeState::Monitor(m) => Some(m),
            _ => None,
        }
    }

    fn monitor_ref(&self) -> Option<&MonitorNode> {
        match &self.nodes[self.monitor? as usize] {
            NodeState::Monitor(m) => Some(m),
            _ => None,
        }
    }

    /// Finds the monitoring node and its web tiers after a build or edit;
    /// schedules its first scrape if it is not `before`.
    pub(in crate::model) fn attach_monitor(
        &mut self,
        design: &Design,
        map: &[u32],
        before: Option<u32>,
    ) {
        self.monitor = self
            .kinds
            .iter()
            .enumerate()
            .position(|(i, k)| *k == Kind::Monitoring && !self.retired[i])
            .map(|i| i as u32);
        let Some(mon) = self.monitor else {
            self.layout = None;
            return;
        };
        let first = before != Some(mon);
        self.layout = Some((design.clone(), map.to_vec()));
        // Web tiers: each load balancer with web servers behind it.
        let mut tiers = Vec::new();
        for (k, n) in design.nodes.iter().enumerate() {
            if n.kind != Kind::LoadBalancer {
                continue;
            }
            if let Some(&t) = design.out[k]
                .iter()
                .find(|&&t| design.nodes[t].kind == Kind::WebServer)
            {
                tiers.push(Tier {
                    lb: map[k],
                    template: map[t],
                    ready: Vec::new(),
                    booting: Vec::new(),
                    made: 0,
                });
            }
        }
        let m = self.monitor_mut().expect("found");
        // Keep what the autoscaler already added to tiers that stay.
        for t in &mut tiers {
            if let Some(old) = m.tiers.iter_mut().find(|o| o.lb == t.lb) {
                t.ready = std::mem::take(&mut old.ready);
                t.booting = std::mem::take(&mut old.booting);
                t.made = old.made;
            }
        }
        let orphans: Vec<u32> = m
            .tiers
            .iter()
            .flat_map(|t| t.ready.iter().chain(&t.booting).copied())
            .collect();
        m.tiers = tiers;
        let ready: Vec<(u32, u32)> = m
            .tiers
            .iter()
            .flat_map(|t| t.ready.iter().map(move |&s| (t.lb, s)))
            .collect();
        let (epoch, interval) = (m.epoch, m.interval());
        for s in orphans {
            self.retired[s as usize] = true;
        }
        // An edit rebuilt the load balancers from the design: register the
        // added servers again.
        for (lb, s) in ready {
            self.retired[s as usize] = false;
            self.register(lb, s);
        }
        if first {
            let at = self.now + interval;
            self.events
                .schedule(at, Event::Monitor(MonitorEvent::Scrape { mon, epoch }));
        }
    }

    /// A user sent a request: count them among today's active users.
    pub(in crate::model) fn note_user(&mut self, users: u32, user: u32) {
        let now = self.now;
        let Some(m) = self.monitor_mut() else { return };
        let day = now / DAY;
        if day != m.day {
            m.day = day;
            m.users_today.clear();
            m.requests_today = 0;
        }
        m.users_today
            .insert((u64::from(users) << 32) | u64::from(user));
        m.requests_today += 1;
    }

    /// A request's answer reached its user: what the next scrape sees.
    pub(in crate::model) fn note_answer(&mut self, latency: Nanos, failed: bool) {
        let Some(m) = self.monitor_mut() else { return };
        if failed {
            m.window_failed += 1;
        } else {
            m.window_ok += 1;
            m.window_latency.record(latency);
        }
    }

    /// Node `node` crashed (remembered for the time to detect).
    pub(in crate::model) fn note_down(&mut self, node: u32) {
        let now = self.now;
        if let Some(m) = self.monitor_mut() {
            m.down_at.entry(node).or_insert(now);
        }
    }

    /// Node `node` is up again.
    pub(in crate::model) fn note_up(&mut self, node: u32) {
        if let Some(m) = self.monitor_mut() {
            m.down_at.remove(&node);
        }
    }

    /// The monitoring node scrapes everything and evaluates its rules.
    pub(in crate::model) fn on_scrape(&mut self, mon: u32, epoch: u32) {
        let now = self.now;
        if self.monitor != Some(mon) {
            return; // removed by an edit
        }
        let Some(m) = self.monitor_mut() else { return };
        if m.epoch != epoch || !m.up {
            return;
        }
        let at = now + m.interval();
        self.events
            .schedule(at, Event::Monitor(MonitorEvent::Scrape { mon, epoch }));

        let down: Vec<u32> = (0..self.nodes.len() as u32)
            .filter(|&i| {
                !self.retired[i as usize]
                    && i != mon
                    && self.kinds[i as usize] != Kind::Users
                    && !self.nodes[i as usize].is_up()
            })
            .collect();
        let busy = self.tier_busy(now);
        let m = self.monitor_mut().expect("checked");
        let answered = m.window_ok + m.window_failed;
        let mut truths: Vec<Alert> = down.iter().map(|&node| Alert::NodeDown { node }).collect();
        if answered > 0 && m.window_failed as f64 >= m.set.error_share * answered as f64 {
            truths.push(Alert::ErrorRate);
        }
        if m.window_ok > 0 && m.window_latency.quantile_ms(0.95) >= m.set.p95_ms {
            truths.push(Alert::Latency);
        }
        m.errors_logged += m.window_failed;
        m.window_ok = 0;
        m.window_failed = 0;
        m.window_latency = LatencyHistogram::default();

        let mut log = Vec::new();
        let mut pages = Vec::new();
        m.rules.retain(|r| {
            let keep = truths.contains(&r.alert);
            if !keep && r.firing {
                log.push(LogEvent::AlertResolved { alert: r.alert });
            }
            keep
        });
        for alert in truths {
            if !m.rules.iter().any(|r| r.alert == alert) {
                m.rules.push(RuleState {
                    alert,
                    since: now,
                    firing: false,
                });
            }
            let r = m
                .rules
                .iter_mut()
                .find(|r| r.alert == alert)
                .expect("just added");
            if !r.firing && now - r.since >= m.set.alert_for {
                r.firing = true;
                m.alerts_fired += 1;
                log.push(LogEvent::AlertFiring { alert });
                if let Alert::NodeDown { node } = alert {
                    if let Some(&t) = m.down_at.get(&node) {
                        m.detections.push(now - t);
                    }
                    if let Some(response) = m.set.response {
                        pages.push((now + response, node));
                    }
                }
            }
        }
        for e in log {
            self.push_log(mon, e);
        }
        for (at, node) in pages {
            self.events
                .schedule(at, Event::Monitor(MonitorEvent::OnCall { mon, node }));
        }
        self.autoscale(&busy);
    }

    /// The paged engineer acts on a node-down alert: a dead master is
    /// failed over to its best replica, then the node is restarted.
    pub(in crate::model) fn on_call(&mut self, mon: u32, node: u32) {
        if self.retired[node as usize] || self.nodes[node as usize].is_up() {
            return; // fixed meanwhile, or gone
        }
        if let Some((g, term)) = self.master_group_of(node) {
            self.on_master_check(g, term);
        }
        self.push_log(mon, LogEvent::OnCallRestarted { node });
        self.restart(node);
    }

    /// The monitoring figures, if there is a monitoring node.
    pub(in crate::model) fn monitoring_figures(
        &self,
        answered: u64,
        failed: u64,
    ) -> Option<MonitoringFigures> {
        let m = self.monitor_ref()?;
        let active = m.users_today.len() as u64;
        let allowed = answered as f64 * (1.0 - m.set.slo);
        Some(MonitoringFigures {
            firing: m
                .rules
                .iter()
                .filter(|r| r.firing)
                .map(|r| {
                    let node = match r.alert {
                        Alert::NodeDown { node } => Some(self.ids[node as usize].clone()),
                        _ => None,
                    };
                    (r.alert, node)
                })
                .collect(),
            alerts_fired: m.alerts_fired,
            errors_logged: m.errors_logged,
            mean_detect_s: (!m.detections.is_empty()).then(|| {
                m.detections.iter().map(|&d| to_secs(d)).sum::<f64>() / m.detections.len() as f64
            }),
            active_users: active,
            requests_per_user: if active == 0 {
                0.0
            } else {
                m.requests_today as f64 / active as f64
            },
            slo_pct: m.set.slo * 100.0,
            error_budget_used: if allowed > 0.0 {
                failed as f64 / allowed
            } else {
                0.0
            },
            servers_added: m.tiers.iter().map(|t| t.ready.len() as u32).sum(),
            servers_booting: m.tiers.iter().map(|t| t.booting.len() as u32).sum(),
        })
    }
}
