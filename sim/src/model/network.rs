//! Network hops: latency inside a data center, to users and between
//! regions, cut links, and the count of requests over each connection.

use super::{ErrorCause, Event, Frame, Simulation, Transit, failures, kinds};
use crate::time::{MICROSECOND, Nanos, SECOND};
use kinds::NodeState;

/// One-way network delay between two nodes inside a data center [ns].
pub const INTERNAL_LATENCY: Nanos = 500 * MICROSECOND;

/// How long a caller waits for a connection over a cut link before it gives
/// up with [`ErrorCause::LinkDown`] [ns].
pub const CONNECT_TIMEOUT: Nanos = SECOND;

/// Half the round trip between two regions [ns].
pub(super) fn rtt_half(a: usize, b: usize) -> Nanos {
    crate::time::from_ms(crate::catalog::GEO_RTT_MS[a][b] / 2.0)
}

impl Simulation {
    pub(in crate::model) fn link_cut(&self, a: u32, b: u32) -> bool {
        !self.cut.is_empty() && self.cut.contains(&(a.min(b), a.max(b)))
    }

    /// Puts request `req` on the network from `from` to `to`. Over a cut
    /// link it never arrives: after [`CONNECT_TIMEOUT`] the side that sent
    /// it gets (or passes on) a [`ErrorCause::LinkDown`] error.
    pub(in crate::model) fn send(&mut self, req: u32, from: u32, to: u32, reply: bool) {
        let latency = match (&self.nodes[from as usize], &self.nodes[to as usize]) {
            (NodeState::Users(_), NodeState::Cdn(c)) | (NodeState::Cdn(c), NodeState::Users(_)) => {
                c.edge
            }
            (NodeState::Users(u), _) => u.network + self.user_distance(u.geo, to),
            (_, NodeState::Users(u)) => u.network + self.user_distance(u.geo, from),
            (NodeState::Cdn(c), _) | (_, NodeState::Cdn(c)) => c.origin,
            _ => INTERNAL_LATENCY.max(self.dc_distance(from, to)),
        };
        let transit = if self.link_cut(from, to) {
            // Failed where it is given up on: the sender of a request, the
            // receiver of a reply.
            let (at, other) = if reply { (to, from) } else { (from, to) };
            self.fail_at(req, at, other, ErrorCause::LinkDown);
            // A request that never arrived comes back to its sender; a reply
            // that never arrived is given up on by its receiver.
            let (src, dst) = if reply { (from, to) } else { (to, from) };
            Transit {
                from: src,
                to: dst,
                depart: self.now,
                arrive: self.now + CONNECT_TIMEOUT,
                reply: true,
                hidden: true,
            }
        } else {
            let r = &mut self.requests[req as usize];
            r.net_ns += latency;
            if !reply {
                self.count_send(from, to);
            } else if r.error.is_some() && self.nodes[from as usize].is_up() {
                // (A dead node's "answer" is the caller giving up on it.)
                let i = from as usize;
                if self.node_errors.len() <= i {
                    self.node_errors.resize(i + 1, 0);
                }
                self.node_errors[i] += 1;
            }
            Transit {
                from,
                to,
                depart: self.now,
                arrive: self.now + latency,
                reply,
                hidden: false,
            }
        };
        self.requests[req as usize].transit = Some(transit);
        self.in_transit += 1;
        self.events.schedule(transit.arrive, Event::Deliver { req });
    }

    pub(in crate::model) fn count_send(&mut self, from: u32, to: u32) {
        let f = from as usize;
        if self.edge_sends.len() <= f {
            self.edge_sends.resize_with(f + 1, Vec::new);
        }
        match self.edge_sends[f].iter_mut().find(|e| e.0 == to) {
            Some(e) => e.1 += 1,
            None => self.edge_sends[f].push((to, 1)),
        }
    }

    /// Requests sent over each connection since the start: (calling node,
    /// called node, count), by node index.
    pub fn edge_sends(&self) -> impl Iterator<Item = (u32, u32, u64)> + '_ {
        self.edge_sends
            .iter()
            .enumerate()
            .flat_map(|(f, v)| v.iter().map(move |&(t, n)| (f as u32, t, n)))
    }

    /// Half the round trip between a user population's region and the data
    /// center of `node` [ns]; 0 for users next to the site or a node in no
    /// data center.
    pub(in crate::model) fn user_distance(&self, geo: Option<usize>, node: u32) -> Nanos {
        match (geo, self.dc_of.get(node as usize).copied().flatten()) {
            (Some(g), Some(dc)) => rtt_half(g, self.dc_geo[dc]),
            _ => 0,
        }
    }

    /// Half the round trip between the data centers of `a` and `b` [ns]; 0
    /// inside one data center or outside any.
    pub(in crate::model) fn dc_distance(&self, a: u32, b: u32) -> Nanos {
        let dc = |n: u32| self.dc_of.get(n as usize).copied().flatten();
        match (dc(a), dc(b)) {
            (Some(x), Some(y)) if x != y => rtt_half(self.dc_geo[x], self.dc_geo[y]),
            _ => 0,
        }
    }

    /// Passes `req` on from `node` (a proxy: load balancer, CDN, shard
    /// router, rate limiter) to `target`: `node` joins the request's call
    /// stack with its `epoch`, so the answer comes back through it.
    pub(in crate::model) fn forward(&mut self, req: u32, node: u32, target: u32, epoch: u32) {
        let now = self.now;
        self.requests[req as usize].stack.push(Frame {
            node,
            next: target,
            epoch,
            arrived: now,
            started: now,
        });
        self.leave_hop(req);
        self.send(req, node, target, false);
    }

    /// Fails `req` at `node` with `cause` and sends the error to its caller.
    pub(in crate::model) fn reject(&mut self, req: u32, node: u32, cause: ErrorCause) {
        self.fail_at(req, node, failures::NO_NODE, cause);
        let caller = self.caller_of(req);
        self.send(req, node, caller, true);
    }
}
