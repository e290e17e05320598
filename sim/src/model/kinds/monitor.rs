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

use crate::catalog::Kind;
use crate::design::{Design, Node};
use crate::metrics::LatencyHistogram;
use crate::model::{Event, LogEvent, NodeState, Simulation};
use crate::time::{Nanos, SECOND, from_secs, to_secs};
use rustc_hash::{FxHashMap, FxHashSet};
use serde::Serialize;

/// Length of the day active users are counted over [ns].
pub const DAY: Nanos = 86_400 * SECOND;

/// What an alert is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
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

#[derive(Debug, Clone, Copy)]
struct Autoscale {
    /// Busy share to steer to, 0..1.
    target: f64,
    max: u32,
    boot: Nanos,
}

/// A monitoring node's parameters, as designed.
#[derive(Debug, Clone, Copy)]
struct Settings {
    scrape: Nanos,
    alert_for: Nanos,
    error_share: f64,
    p95_ms: f64,
    /// The on-call engineer's response time, if someone is paged.
    response: Option<Nanos>,
    slo: f64,
    autoscale: Option<Autoscale>,
}

/// A monitoring node's settings and state.
#[derive(Debug)]
pub(in crate::model) struct MonitorNode {
    pub up: bool,
    pub epoch: u32,
    set: Settings,
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
    /// Restarts the counts of alerts, logged errors and detection times;
    /// what the monitor watches (rules, down nodes, today's users) stays.
    pub fn reset_measurements(&mut self) {
        self.alerts_fired = 0;
        self.errors_logged = 0;
        self.detections.clear();
    }

    pub fn build(n: &Node) -> Self {
        MonitorNode {
            up: true,
            epoch: 0,
            set: Settings {
                scrape: from_secs(n.number("scrape_interval_s")),
                alert_for: from_secs(n.number("alert_for_s")),
                error_share: n.number("alert_error_pct") / 100.0,
                p95_ms: n.number("alert_p95_ms"),
                response: (n.choice("on_call") == "on").then(|| from_secs(n.number("response_s"))),
                slo: n.number("slo_pct") / 100.0,
                autoscale: (n.choice("autoscale") == "on").then(|| Autoscale {
                    target: n.number("target_busy_pct") / 100.0,
                    max: n.number("max_servers") as u32,
                    boot: from_secs(n.number("boot_s")),
                }),
            },
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
#[derive(Debug, Clone, PartialEq, Serialize)]
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

    /// Whether node `i` was added by the autoscaler.
    pub(in crate::model) fn autoscaled(&self, i: u32) -> bool {
        self.monitor_ref().is_some_and(|m| {
            m.tiers
                .iter()
                .any(|t| t.ready.contains(&i) || t.booting.contains(&i))
        })
    }

    fn register(&mut self, lb: u32, server: u32) {
        if let NodeState::Lb(l) = &mut self.nodes[lb as usize]
            && !l.backends.iter().any(|b| b.node == server)
        {
            l.backends.push(crate::model::Backend::new(server));
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

    /// Each tier's busy share since the last scrape, over the servers that
    /// take its traffic (and remembers the integrals for the next scrape).
    fn tier_busy(&mut self, now: Nanos) -> Vec<Option<f64>> {
        let Some(m) = self.monitor_ref() else {
            return Vec::new();
        };
        let tiers: Vec<Vec<u32>> = m
            .tiers
            .iter()
            .map(|t| match &self.nodes[t.lb as usize] {
                NodeState::Lb(lb) => lb
                    .backends
                    .iter()
                    .map(|b| b.node)
                    .filter(|&s| self.nodes[s as usize].is_up())
                    .collect(),
                _ => Vec::new(),
            })
            .collect();
        let mut seen = Vec::new();
        let shares = tiers
            .iter()
            .map(|servers| {
                let (mut busy, mut capacity) = (0u128, 0u128);
                for &s in servers {
                    let NodeState::Station(st) = &self.nodes[s as usize] else {
                        continue;
                    };
                    let integral = st.busy_integral(now);
                    seen.push((s, (integral, now)));
                    let Some(&(last, t)) = self.monitor_ref().and_then(|m| m.busy_seen.get(&s))
                    else {
                        continue; // first look at this server
                    };
                    busy += integral.saturating_sub(last);
                    capacity += u128::from(st.workers) * u128::from(now - t);
                }
                (capacity > 0).then(|| busy as f64 / capacity as f64)
            })
            .collect();
        let m = self.monitor_mut().expect("checked");
        m.busy_seen.clear();
        m.busy_seen.extend(seen);
        shares
    }

    /// Steers each web tier's size to the target busy share.
    fn autoscale(&mut self, busy: &[Option<f64>]) {
        let now = self.now;
        let Some(m) = self.monitor_ref() else { return };
        let Some(a) = m.set.autoscale else { return };
        let mut plans = Vec::new();
        for (t, share) in m.tiers.iter().zip(busy) {
            let Some(share) = *share else { continue };
            let serving = match &self.nodes[t.lb as usize] {
                NodeState::Lb(lb) => lb
                    .backends
                    .iter()
                    .filter(|b| self.nodes[b.node as usize].is_up())
                    .count() as u32,
                _ => continue,
            };
            if serving == 0 {
                continue;
            }
            // Within 10 % of the target: leave it (as Kubernetes' HPA does).
            let ratio = share / a.target;
            if (ratio - 1.0).abs() <= 0.1 {
                continue;
            }
            let desired = ((f64::from(serving) * ratio).ceil() as u32).clamp(1, a.max);
            let coming = serving + t.booting.len() as u32;
            if desired > coming {
                plans.push((t.lb, (desired - coming) as i64));
            } else if desired < serving && t.booting.is_empty() && !t.ready.is_empty() {
                // Scale in gently: one added server per scrape.
                plans.push((t.lb, -1));
            }
        }
        for (lb, change) in plans {
            if change > 0 {
                for _ in 0..change {
                    self.add_server(lb, now + a.boot);
                }
            } else {
                self.remove_server(lb);
            }
        }
    }

    /// Starts a copy of the tier's template server; it joins the load
    /// balancer at `ready_at`.
    fn add_server(&mut self, lb: u32, ready_at: Nanos) {
        let now = self.now;
        let Some((design, map)) = self.layout.take() else {
            return;
        };
        let idx = self.nodes.len() as u32;
        let tier = self
            .monitor_mut()
            .and_then(|m| m.tiers.iter_mut().find(|t| t.lb == lb))
            .and_then(|t| {
                let k = map.iter().position(|&s| s == t.template)?;
                t.made += 1;
                t.booting.push(idx);
                Some((k, t.template, t.made))
            });
        if let Some((k, template, made)) = tier {
            let mut node = design.nodes[k].clone();
            node.id = format!("{}-auto-{made}", node.id);
            let mut state = NodeState::build(&design, k, &node, &map);
            if let NodeState::Station(s) = &mut state {
                s.reset_measurements(now);
            }
            self.nodes.push(state);
            self.ids.push(node.id);
            self.kinds.push(Kind::WebServer);
            self.retired.push(false);
            self.dc_of.push(self.dc_of[template as usize]);
            self.events.schedule(
                ready_at,
                Event::Monitor(MonitorEvent::ServerReady { lb, server: idx }),
            );
            self.push_log(lb, LogEvent::ServerAdded { server: idx });
        }
        self.layout = Some((design, map));
    }

    /// Takes the newest added server out of the load balancer; it finishes
    /// what it holds and stops costing.
    fn remove_server(&mut self, lb: u32) {
        let Some(m) = self.monitor_mut() else { return };
        let Some(t) = m.tiers.iter_mut().find(|t| t.lb == lb) else {
            return;
        };
        let Some(server) = t.ready.pop() else { return };
        if let NodeState::Lb(l) = &mut self.nodes[lb as usize] {
            l.backends.retain(|b| b.node != server);
        }
        self.retired[server as usize] = true;
        self.push_log(lb, LogEvent::ServerRemoved { server });
    }

    /// An added server finished booting: the load balancer sends to it.
    pub(in crate::model) fn on_server_ready(&mut self, lb: u32, server: u32) {
        let Some(m) = self.monitor_mut() else { return };
        let Some(t) = m.tiers.iter_mut().find(|t| t.lb == lb) else {
            return;
        };
        let Some(i) = t.booting.iter().position(|&s| s == server) else {
            return;
        };
        t.booting.remove(i);
        t.ready.push(server);
        self.register(lb, server);
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
