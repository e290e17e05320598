//! Worker pools: machines that take jobs from a queue, finish or fail
//! them, crash, and autoscale on the backlog.

use super::NodeState;
use super::queue::JobHop;
use crate::catalog::{HOURS_PER_MONTH, size};
use crate::design::Node;
use crate::model::QueueEvent;
use crate::model::log::LogEvent;
use crate::model::report::WorkerFigures;
use crate::model::{Event, INTERNAL_LATENCY, Simulation};
use crate::rng::SimRng;
use crate::time::{Nanos, SECOND, from_secs};
use rand_core::Rng;

/// How often autoscalers look at the backlog [ns].
pub const AUTOSCALE_INTERVAL: Nanos = 10 * SECOND;

/// One worker machine.
#[derive(Debug, Clone, Copy)]
pub(in crate::model) struct Instance {
    /// When it starts taking jobs [ns].
    pub ready_at: Nanos,
    /// Jobs it works on.
    pub busy: u32,
    /// Incremented when it crashes, so its finishing events are ignored.
    pub epoch: u32,
}

/// A pool of worker machines.
#[derive(Debug)]
pub(in crate::model) struct WorkersNode {
    pub rng: SimRng,
    pub instances: Vec<Instance>,
    pub min_instances: usize,
    pub concurrency: u32,
    pub failure_pct: f64,
    /// (most instances, target backlog per instance, start-up time [ns]).
    pub autoscale: Option<(usize, u64, Nanos)>,
    pub price_per_instance: f64,
    pub up: bool,
    pub processed: u64,
    pub failed: u64,
    // Time integrals for utilization.
    busy_area: u128,
    slot_area: u128,
    last_change: Nanos,
    since: Nanos,
}

impl WorkersNode {
    pub fn build(n: &Node, rng: SimRng) -> Self {
        let count = n.number("instances") as usize;
        let price = size(n.choice("size")).map_or(0.0, |s| s.price_per_hour);
        WorkersNode {
            rng,
            instances: vec![
                Instance {
                    ready_at: 0,
                    busy: 0,
                    epoch: 0,
                };
                count
            ],
            min_instances: count,
            concurrency: n.number("concurrency") as u32,
            failure_pct: n.number("failure_pct"),
            autoscale: (n.choice("autoscale") == "on").then(|| {
                (
                    (n.number("max_instances") as usize).max(count),
                    n.number("backlog_per_instance") as u64,
                    from_secs(n.number("startup_s")),
                )
            }),
            price_per_instance: price,
            up: true,
            processed: 0,
            failed: 0,
            busy_area: 0,
            slot_area: 0,
            last_change: 0,
            since: 0,
        }
    }

    /// Takes over the machines and counters of the same pool before an
    /// edit; parameters come from the edit.
    pub fn inherit(&mut self, old: WorkersNode) {
        let (min, concurrency, failure, autoscale, price) = (
            self.min_instances,
            self.concurrency,
            self.failure_pct,
            self.autoscale,
            self.price_per_instance,
        );
        let mut instances = old.instances.clone();
        // A new minimum adds machines at once.
        while instances.len() < min {
            instances.push(Instance {
                ready_at: old.last_change,
                busy: 0,
                epoch: 0,
            });
        }
        *self = old;
        self.instances = instances;
        self.min_instances = min;
        self.concurrency = concurrency;
        self.failure_pct = failure;
        self.autoscale = autoscale;
        self.price_per_instance = price;
    }

    fn slots(&self) -> u64 {
        self.instances.len() as u64 * u64::from(self.concurrency)
    }

    fn busy(&self) -> u64 {
        self.instances.iter().map(|i| u64::from(i.busy)).sum()
    }

    /// Brings the utilization integrals up to `now`.
    pub fn account(&mut self, now: Nanos) {
        let dt = u128::from(now - self.last_change);
        self.busy_area += u128::from(self.busy()) * dt;
        self.slot_area += u128::from(self.slots()) * dt;
        self.last_change = now;
    }

    pub fn reset_measurements(&mut self, now: Nanos) {
        self.account(now);
        self.busy_area = 0;
        self.slot_area = 0;
        self.processed = 0;
        self.failed = 0;
        self.since = now;
    }

    /// What the pool costs now [USD/hour].
    pub fn price_per_hour(&self) -> f64 {
        self.instances.len() as f64 * self.price_per_instance
    }

    /// Figures at `now`.
    /// Slot-time busy and slot-time available up to `now` [slot·ns].
    pub fn areas(&self, now: Nanos) -> (u128, u128) {
        let dt = u128::from(now - self.last_change);
        (
            self.busy_area + u128::from(self.busy()) * dt,
            self.slot_area + u128::from(self.slots()) * dt,
        )
    }

    pub fn figures(&self, now: Nanos) -> WorkerFigures {
        let (busy, slots) = self.areas(now);
        WorkerFigures {
            instances: self.instances.len() as u32,
            starting: self.instances.iter().filter(|i| i.ready_at > now).count() as u32,
            busy: self.busy() as u32,
            slots: self.slots() as u32,
            utilization: if slots == 0 {
                0.0
            } else {
                busy as f64 / slots as f64
            },
            processed: self.processed,
            failed: self.failed,
            cost_per_month: self.price_per_hour() * HOURS_PER_MONTH,
        }
    }
}

/// A worker pool's events.
#[derive(Debug, Clone, Copy)]
pub(in crate::model) enum WorkersEvent {
    /// A worker finished (or failed) a job.
    JobDone {
        workers: u32,
        instance: u32,
        epoch: u32,
        queue: u32,
        job: u32,
        delivery: u64,
    },
    /// An autoscaler looks at the backlog.
    Autoscale { workers: u32 },
    /// Started instances are ready for jobs.
    InstancesReady { workers: u32 },
}

impl Simulation {
    /// Handles one of these events.
    pub(in crate::model) fn on_workers_event(&mut self, e: WorkersEvent) {
        match e {
            WorkersEvent::JobDone {
                workers,
                instance,
                epoch,
                queue,
                job,
                delivery,
            } => self.on_job_done(workers, instance, epoch, queue, job, delivery),
            WorkersEvent::Autoscale { workers } => self.on_autoscale(workers),
            WorkersEvent::InstancesReady { workers } => self.on_instances_ready(workers),
        }
    }

    pub(in crate::model) fn workers(&mut self, node: u32) -> &mut WorkersNode {
        match &mut self.nodes[node as usize] {
            NodeState::Workers(w) => w,
            _ => unreachable!("node {node} is not a worker pool"),
        }
    }

    /// A worker finished (or failed) a job; unless it crashed meanwhile, it
    /// tells the queue.
    #[allow(clippy::too_many_arguments)]
    pub(in crate::model) fn on_job_done(
        &mut self,
        pool: u32,
        instance: u32,
        epoch: u32,
        queue: u32,
        job: u32,
        delivery: u64,
    ) {
        let now = self.now;
        let w = self.workers(pool);
        let Some(inst) = w.instances.get(instance as usize).copied() else {
            return;
        };
        if inst.epoch != epoch || !w.up {
            return; // crashed: the job comes back after its visibility timeout
        }
        w.account(now);
        w.instances[instance as usize].busy -= 1;
        let roll = w.rng.next_u64() as f64 / u64::MAX as f64 * 100.0;
        let ok = roll >= w.failure_pct;
        if ok {
            w.processed += 1;
        } else {
            w.failed += 1;
        }
        self.job_hop(JobHop {
            from: pool,
            to: queue,
            depart: now,
            reply: true,
            failed: !ok,
        });
        self.events.schedule(
            now + INTERNAL_LATENCY,
            Event::Queue(QueueEvent::JobAck {
                queue,
                job,
                delivery,
                ok,
            }),
        );
        self.dispatch(queue);
    }

    /// A worker pool crashed: every job on its machines is dropped (each
    /// comes back after its visibility timeout).
    pub(in crate::model) fn workers_killed(&mut self, node: u32) {
        let now = self.now;
        let w = self.workers(node);
        w.account(now);
        w.up = false;
        for i in &mut w.instances {
            i.busy = 0;
            i.epoch += 1;
        }
    }

    pub(in crate::model) fn workers_restarted(&mut self, node: u32) {
        self.workers(node).up = true;
        self.dispatch_to(node);
    }

    /// Lets every queue feeding `pool` deliver.
    pub(in crate::model) fn dispatch_to(&mut self, pool: u32) {
        let queues: Vec<u32> = (0..self.nodes.len() as u32)
            .filter(|&n| matches!(&self.nodes[n as usize], NodeState::Queue(q) if q.pools.contains(&pool)))
            .collect();
        for q in queues {
            self.dispatch(q);
        }
    }

    /// Every [`AUTOSCALE_INTERVAL`]: size each autoscaled pool to its
    /// backlog.
    pub(in crate::model) fn on_autoscale(&mut self, pool: u32) {
        let now = self.now;
        let backlog: u64 = (0..self.nodes.len())
            .filter_map(|n| match &self.nodes[n] {
                NodeState::Queue(q) if q.pools.contains(&pool) => Some(q.visible.len() as u64),
                _ => None,
            })
            .sum();
        let Some((max, per_instance, startup)) = self.workers(pool).autoscale else {
            return;
        };
        self.events.schedule(
            now + AUTOSCALE_INTERVAL,
            Event::Workers(WorkersEvent::Autoscale { workers: pool }),
        );
        let w = self.workers(pool);
        if !w.up {
            return;
        }
        let current = w.instances.len();
        let busy = w.instances.iter().filter(|i| i.busy > 0).count();
        // Enough machines for the backlog at the target, and at least the
        // ones busy now; never below the designed count or above the most.
        let want =
            (backlog.div_ceil(per_instance.max(1)) as usize + busy).clamp(w.min_instances, max);
        w.account(now);
        if want > current {
            for _ in current..want {
                w.instances.push(Instance {
                    ready_at: now + startup,
                    busy: 0,
                    epoch: 0,
                });
            }
            self.push_log(
                pool,
                LogEvent::ScaledUp {
                    instances: want as u32,
                },
            );
            if startup > 0 {
                self.events.schedule(
                    now + startup,
                    Event::Workers(WorkersEvent::InstancesReady { workers: pool }),
                );
            } else {
                self.dispatch_to(pool);
            }
        } else if want < current {
            // Remove idle machines, newest first.
            let mut excess = current - want;
            let mut i = w.instances.len();
            while excess > 0 && i > 0 {
                i -= 1;
                if w.instances[i].busy == 0 {
                    w.instances.remove(i);
                    excess -= 1;
                }
            }
            let now_count = w.instances.len() as u32;
            if now_count < current as u32 {
                self.push_log(
                    pool,
                    LogEvent::ScaledDown {
                        instances: now_count,
                    },
                );
            }
        }
    }

    pub(in crate::model) fn on_instances_ready(&mut self, pool: u32) {
        self.dispatch_to(pool);
    }

    /// Schedules the first autoscaler look of every autoscaled pool.
    pub(in crate::model) fn start_autoscalers(&mut self) {
        for i in 0..self.nodes.len() {
            if let NodeState::Workers(w) = &self.nodes[i]
                && w.autoscale.is_some()
            {
                let workers = i as u32;
                self.events.schedule(
                    self.now + AUTOSCALE_INTERVAL,
                    Event::Workers(WorkersEvent::Autoscale { workers }),
                );
            }
        }
    }
}
