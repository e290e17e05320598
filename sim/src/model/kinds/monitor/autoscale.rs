//! The monitoring node's autoscaler for the web tier: each tier's busy
//! share since the last scrape, the number of servers it calls for, new
//! servers that boot and then take traffic, and servers taken away.

use super::MonitorEvent;
use crate::catalog::Kind;
use crate::model::{Event, LogEvent, NodeState, Simulation};
use crate::time::Nanos;

impl Simulation {
    /// Whether node `i` was added by the autoscaler.
    pub(in crate::model) fn autoscaled(&self, i: u32) -> bool {
        self.monitor_ref().is_some_and(|m| {
            m.tiers
                .iter()
                .any(|t| t.ready.contains(&i) || t.booting.contains(&i))
        })
    }

    pub(in crate::model) fn register(&mut self, lb: u32, server: u32) {
        if let NodeState::Lb(l) = &mut self.nodes[lb as usize]
            && !l.backends.iter().any(|b| b.node == server)
        {
            l.backends.push(crate::model::Backend::new(server));
        }
    }

    /// Each tier's busy share since the last scrape, over the servers that
    /// take its traffic (and remembers the integrals for the next scrape).
    pub(in crate::model) fn tier_busy(&mut self, now: Nanos) -> Vec<Option<f64>> {
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
    pub(in crate::model) fn autoscale(&mut self, busy: &[Option<f64>]) {
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
    pub(in crate::model) fn add_server(&mut self, lb: u32, ready_at: Nanos) {
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
    pub(in crate::model) fn remove_server(&mut self, lb: u32) {
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
}
