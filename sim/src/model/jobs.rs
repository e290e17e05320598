//! Message queues and worker pools: slow jobs handed off by web servers,
//! delivered at least once, acknowledged by the worker that finished them,
//! redelivered after a visibility timeout, dead-lettered after too many
//! attempts; workers that autoscale on the backlog.
//!
//! ```text
//!   web (write with a job) ──enqueue──► queue: visible FIFO ──deliver──► workers
//!        (answers at once)               ▲    in flight (deadline)        │ job_ms
//!                                        └──── ack / fail ◄───────────────┘
//! ```

use super::kinds::NodeState;
use super::log::LogEvent;
use super::report::{QueueFigures, WorkerFigures};
use super::{ErrorCause, Event, INTERNAL_LATENCY, Simulation};
use crate::catalog::{HOURS_PER_MONTH, size};
use crate::design::Node;
use crate::rng::SimRng;
use crate::time::{Nanos, SECOND, from_secs};
use rand_core::Rng;
use std::collections::VecDeque;

/// How often autoscalers look at the backlog [ns].
pub const AUTOSCALE_INTERVAL: Nanos = 10 * SECOND;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum JobState {
    Visible,
    InFlight,
    Free,
}

/// One job in a queue's slab.
#[derive(Debug, Clone, Copy)]
pub(super) struct Job {
    pub state: JobState,
    /// When it was enqueued [ns].
    pub created: Nanos,
    /// How long the work takes [ns].
    pub duration: Nanos,
    /// Deliveries that failed or timed out so far.
    pub attempts: u32,
    /// Number of its current delivery (unique per queue).
    pub delivery: u64,
}

/// A job (or its acknowledgement) on the hop between a queue and a
/// worker pool, kept only so the canvas can draw it.
#[derive(Debug, Clone, Copy)]
pub(super) struct JobHop {
    pub from: u32,
    pub to: u32,
    /// When it left [ns]; it arrives [`INTERNAL_LATENCY`] later.
    pub depart: Nanos,
    /// An acknowledgement (or failure report) going back to the queue.
    pub reply: bool,
    /// The worker failed the job.
    pub failed: bool,
}

impl JobHop {
    /// When it arrives [ns].
    pub fn arrive(&self) -> Nanos {
        self.depart + INTERNAL_LATENCY
    }
}

/// A message queue.
#[derive(Debug)]
pub(super) struct QueueNode {
    pub durable: bool,
    pub capacity: usize,
    pub visibility: Nanos,
    pub max_attempts: u32,
    pub jobs: Vec<Job>,
    free: Vec<u32>,
    /// Waiting jobs, oldest first.
    pub visible: VecDeque<u32>,
    pub in_flight: u64,
    next_delivery: u64,
    /// Worker pools it delivers to.
    pub pools: Vec<u32>,
    next_pool: usize,
    pub up: bool,
    pub epoch: u32,
    pub enqueued: u64,
    pub completed: u64,
    pub redelivered: u64,
    pub duplicates: u64,
    pub dead: u64,
    pub lost: u64,
    pub refused: u64,
}

/// One worker machine.
#[derive(Debug, Clone, Copy)]
pub(super) struct Instance {
    /// When it starts taking jobs [ns].
    pub ready_at: Nanos,
    /// Jobs it works on.
    pub busy: u32,
    /// Incremented when it crashes, so its finishing events are ignored.
    pub epoch: u32,
}

/// A pool of worker machines.
#[derive(Debug)]
pub(super) struct WorkersNode {
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

impl QueueNode {
    pub fn build(n: &Node, pools: Vec<u32>) -> Self {
        QueueNode {
            durable: n.choice("durable") == "on",
            capacity: n.number("capacity") as usize,
            visibility: from_secs(n.number("visibility_timeout_s")),
            max_attempts: n.number("max_attempts") as u32,
            jobs: Vec::new(),
            free: Vec::new(),
            visible: VecDeque::new(),
            in_flight: 0,
            next_delivery: 0,
            pools,
            next_pool: 0,
            up: true,
            epoch: 0,
            enqueued: 0,
            completed: 0,
            redelivered: 0,
            duplicates: 0,
            dead: 0,
            lost: 0,
            refused: 0,
        }
    }

    /// Takes over the jobs and counters of the same queue before an edit.
    pub fn inherit(&mut self, old: QueueNode) {
        let (durable, capacity, visibility, max_attempts, pools) = (
            self.durable,
            self.capacity,
            self.visibility,
            self.max_attempts,
            std::mem::take(&mut self.pools),
        );
        *self = old;
        self.durable = durable;
        self.capacity = capacity;
        self.visibility = visibility;
        self.max_attempts = max_attempts;
        self.pools = pools;
    }

    /// Restarts the counts; the jobs stay.
    pub fn reset_measurements(&mut self) {
        self.enqueued = 0;
        self.completed = 0;
        self.redelivered = 0;
        self.duplicates = 0;
        self.dead = 0;
        self.lost = 0;
        self.refused = 0;
    }

    fn alloc(&mut self, job: Job) -> u32 {
        match self.free.pop() {
            Some(i) => {
                self.jobs[i as usize] = job;
                i
            }
            None => {
                self.jobs.push(job);
                (self.jobs.len() - 1) as u32
            }
        }
    }

    fn release(&mut self, id: u32) {
        self.jobs[id as usize].state = JobState::Free;
        self.free.push(id);
    }

    /// Figures at `now`.
    pub fn figures(&self, now: Nanos) -> QueueFigures {
        QueueFigures {
            backlog: self.visible.len() as u64,
            in_flight: self.in_flight,
            oldest_age_s: self.visible.front().map_or(0.0, |&j| {
                crate::time::to_secs(now.saturating_sub(self.jobs[j as usize].created))
            }),
            enqueued: self.enqueued,
            completed: self.completed,
            redelivered: self.redelivered,
            duplicates: self.duplicates,
            dead_lettered: self.dead,
            lost: self.lost,
            refused: self.refused,
        }
    }
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

impl Simulation {
    fn queue(&mut self, node: u32) -> &mut QueueNode {
        match &mut self.nodes[node as usize] {
            NodeState::Queue(q) => q,
            _ => unreachable!("node {node} is not a queue"),
        }
    }

    fn workers(&mut self, node: u32) -> &mut WorkersNode {
        match &mut self.nodes[node as usize] {
            NodeState::Workers(w) => w,
            _ => unreachable!("node {node} is not a worker pool"),
        }
    }

    /// The queue web server `web` hands jobs to, if any.
    pub(super) fn queue_of(&self, web: u32) -> Option<u32> {
        match &self.nodes[web as usize] {
            NodeState::Station(s) => s.job_queue,
            _ => None,
        }
    }

    /// An enqueue call reaches queue `node`: store the job and answer.
    pub(super) fn arrive_at_queue(&mut self, req: u32, node: u32) {
        let now = self.now;
        let duration = self.requests[req as usize].job_ns;
        let q = self.queue(node);
        if !q.up {
            return self.reject(req, node, ErrorCause::NodeDown);
        }
        if q.visible.len() as u64 + q.in_flight >= q.capacity as u64 {
            q.refused += 1;
            return self.reject(req, node, ErrorCause::QueueFull);
        }
        let id = q.alloc(Job {
            state: JobState::Visible,
            created: now,
            duration,
            attempts: 0,
            delivery: 0,
        });
        q.visible.push_back(id);
        q.enqueued += 1;
        self.leave_hop(req);
        let caller = self.caller_of(req);
        self.send(req, node, caller, true);
        self.dispatch(node);
    }

    /// Delivers waiting jobs while some worker has a free slot.
    pub(super) fn dispatch(&mut self, queue: u32) {
        let now = self.now;
        loop {
            let q = self.queue(queue);
            if !q.up || q.visible.is_empty() || q.pools.is_empty() {
                return;
            }
            // The first pool (in turn) with a ready instance that has room.
            let pools = q.pools.len();
            let start = q.next_pool;
            let mut slot = None;
            for k in 0..pools {
                let pool = self.queue(queue).pools[(start + k) % pools];
                let w = self.workers(pool);
                if !w.up {
                    continue;
                }
                let concurrency = w.concurrency;
                if let Some(i) = w
                    .instances
                    .iter()
                    .position(|i| i.ready_at <= now && i.busy < concurrency)
                {
                    slot = Some((pool, i));
                    break;
                }
            }
            let Some((pool, instance)) = slot else {
                return;
            };
            let q = self.queue(queue);
            q.next_pool = q.next_pool.wrapping_add(1);
            let id = q.visible.pop_front().expect("checked");
            q.next_delivery += 1;
            let delivery = q.next_delivery;
            let visibility = q.visibility;
            let job = &mut q.jobs[id as usize];
            job.state = JobState::InFlight;
            job.delivery = delivery;
            let duration = job.duration;
            q.in_flight += 1;
            self.events.schedule(
                now + visibility,
                Event::VisibilityTimeout {
                    queue,
                    job: id,
                    delivery,
                },
            );
            self.job_hop(JobHop {
                from: queue,
                to: pool,
                depart: now,
                reply: false,
                failed: false,
            });
            let w = self.workers(pool);
            w.account(now);
            w.instances[instance].busy += 1;
            let epoch = w.instances[instance].epoch;
            self.events.schedule(
                now + INTERNAL_LATENCY + duration,
                Event::JobDone {
                    workers: pool,
                    instance: instance as u32,
                    epoch,
                    queue,
                    job: id,
                    delivery,
                },
            );
        }
    }

    /// A worker finished (or failed) a job; unless it crashed meanwhile, it
    /// tells the queue.
    #[allow(clippy::too_many_arguments)]
    pub(super) fn on_job_done(
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
            Event::JobAck {
                queue,
                job,
                delivery,
                ok,
            },
        );
        self.dispatch(queue);
    }

    /// Remembers a job hop for drawing, forgetting those that arrived.
    fn job_hop(&mut self, hop: JobHop) {
        let now = self.now;
        while self.job_hops.front().is_some_and(|h| h.arrive() <= now) {
            self.job_hops.pop_front();
        }
        self.job_hops.push_back(hop);
    }

    /// A worker's acknowledgement (or failure report) reaches the queue.
    pub(super) fn on_job_ack(&mut self, queue: u32, id: u32, delivery: u64, ok: bool) {
        let q = self.queue(queue);
        if !q.up {
            return; // lost with the connection; the timeout will redeliver
        }
        let Some(job) = q.jobs.get(id as usize).copied() else {
            return;
        };
        if job.state != JobState::InFlight || job.delivery != delivery {
            // A delivery that had timed out finished after all: its job was
            // handed to another worker too, so the work is done twice.
            if ok {
                q.duplicates += 1;
            }
            return;
        }
        q.in_flight -= 1;
        if ok {
            q.completed += 1;
            q.release(id);
        } else {
            self.retry_or_dead_letter(queue, id);
        }
        self.dispatch(queue);
    }

    fn retry_or_dead_letter(&mut self, queue: u32, id: u32) {
        let q = self.queue(queue);
        let job = &mut q.jobs[id as usize];
        job.attempts += 1;
        if job.attempts >= q.max_attempts {
            q.dead += 1;
            q.release(id);
            self.push_log(queue, LogEvent::DeadLettered);
        } else {
            job.state = JobState::Visible;
            q.visible.push_back(id);
        }
    }

    /// A delivery was not acknowledged in time: the job is visible again.
    pub(super) fn on_visibility_timeout(&mut self, queue: u32, id: u32, delivery: u64) {
        let q = self.queue(queue);
        let Some(job) = q.jobs.get(id as usize).copied() else {
            return;
        };
        if job.state != JobState::InFlight || job.delivery != delivery {
            return;
        }
        q.in_flight -= 1;
        q.redelivered += 1;
        self.retry_or_dead_letter(queue, id);
        self.dispatch(queue);
    }

    /// Queue `node` crashed: a non-durable one loses every job it held.
    pub(super) fn queue_killed(&mut self, node: u32) {
        let q = self.queue(node);
        q.up = false;
        q.epoch += 1;
        if q.durable {
            return;
        }
        let held = q.visible.len() as u64 + q.in_flight;
        q.lost += held;
        q.visible.clear();
        q.in_flight = 0;
        for i in 0..q.jobs.len() as u32 {
            if q.jobs[i as usize].state != JobState::Free {
                q.release(i);
            }
        }
        if held > 0 {
            self.push_log(node, LogEvent::JobsLost { count: held });
        }
    }

    pub(super) fn queue_restarted(&mut self, node: u32) {
        self.queue(node).up = true;
        self.dispatch(node);
    }

    /// A worker pool crashed: every job on its machines is dropped (each
    /// comes back after its visibility timeout).
    pub(super) fn workers_killed(&mut self, node: u32) {
        let now = self.now;
        let w = self.workers(node);
        w.account(now);
        w.up = false;
        for i in &mut w.instances {
            i.busy = 0;
            i.epoch += 1;
        }
    }

    pub(super) fn workers_restarted(&mut self, node: u32) {
        self.workers(node).up = true;
        self.dispatch_to(node);
    }

    /// Lets every queue feeding `pool` deliver.
    fn dispatch_to(&mut self, pool: u32) {
        let queues: Vec<u32> = (0..self.nodes.len() as u32)
            .filter(|&n| matches!(&self.nodes[n as usize], NodeState::Queue(q) if q.pools.contains(&pool)))
            .collect();
        for q in queues {
            self.dispatch(q);
        }
    }

    /// Every [`AUTOSCALE_INTERVAL`]: size each autoscaled pool to its
    /// backlog.
    pub(super) fn on_autoscale(&mut self, pool: u32) {
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
        self.events
            .schedule(now + AUTOSCALE_INTERVAL, Event::Autoscale { workers: pool });
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
                self.events
                    .schedule(now + startup, Event::InstancesReady { workers: pool });
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

    pub(super) fn on_instances_ready(&mut self, pool: u32) {
        self.dispatch_to(pool);
    }

    /// The jobs waiting in every queue [jobs].
    pub(super) fn total_backlog(&self) -> u64 {
        self.nodes
            .iter()
            .map(|n| match n {
                NodeState::Queue(q) => q.visible.len() as u64,
                _ => 0,
            })
            .sum()
    }

    /// Schedules the first autoscaler look of every autoscaled pool.
    pub(super) fn start_autoscalers(&mut self) {
        for i in 0..self.nodes.len() {
            if let NodeState::Workers(w) = &self.nodes[i]
                && w.autoscale.is_some()
            {
                let workers = i as u32;
                self.events
                    .schedule(self.now + AUTOSCALE_INTERVAL, Event::Autoscale { workers });
            }
        }
    }
}
