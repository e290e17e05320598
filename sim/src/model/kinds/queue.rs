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

use super::NodeState;
use crate::catalog::{Group, Kind, KindSpec, OFF_ON, ParamKind, ParamSpec, Unit, count, number, t};
use crate::design::Reader;
use crate::model::WorkersEvent;
use crate::model::log::LogEvent;
use crate::model::report::QueueFigures;
use crate::model::{ErrorCause, Event, INTERNAL_LATENCY, Simulation};
use crate::time::Nanos;
use std::collections::VecDeque;

const QUEUE_PARAMS: &[ParamSpec] = &[
    ParamSpec {
        key: "durable",
        label: t("Durable", "내구성"),
        help: t(
            "A durable queue keeps its jobs on disk through a crash; a non-durable one loses its backlog.",
            "내구성 있는 큐는 장애 때도 작업을 디스크에 보존합니다. 아니면 쌓인 작업을 잃습니다.",
        ),
        kind: ParamKind::Choice {
            options: OFF_ON,
            labels: &[
                t("No (in memory)", "아니요 (메모리)"),
                t("Yes (on disk)", "예 (디스크)"),
            ],
            default: "on",
        },
        only_with: None,
    },
    ParamSpec {
        key: "capacity",
        label: t("Capacity", "용량"),
        help: t(
            "Jobs it can hold; when full, new jobs are refused and the web request fails.",
            "담을 수 있는 작업 수. 가득 차면 새 작업을 거절하고 웹 요청은 실패합니다.",
        ),
        kind: count(1.0, 100_000_000.0, 100_000.0),
        only_with: None,
    },
    ParamSpec {
        key: "visibility_timeout_s",
        label: t("Visibility timeout", "가시성 제한 시간"),
        help: t(
            "A delivered job that is not acknowledged within this time is delivered again (its worker may have died).",
            "전달된 작업이 이 시간 안에 확인되지 않으면 다시 전달됩니다(워커가 죽었을 수 있으므로).",
        ),
        kind: number(0.1, 43_200.0, 30.0, Unit::Seconds),
        only_with: None,
    },
    ParamSpec {
        key: "max_attempts",
        label: t("Attempts before dead-letter", "데드 레터 전 시도 횟수"),
        help: t(
            "After this many failed deliveries a job goes to the dead-letter queue instead of being retried.",
            "이만큼 전달에 실패한 작업은 재시도하지 않고 데드 레터 큐로 갑니다.",
        ),
        kind: count(1.0, 100.0, 5.0),
        only_with: None,
    },
];

/// The catalog entry of this kind: its parameters and texts in both
/// languages.
pub(crate) const SPEC: KindSpec = KindSpec {
    kind: Kind::Queue,
    group: Group::Async,
    id_prefix: "queue",
    name: t("Message queue", "메시지 큐"),
    description: t(
        "Holds slow jobs handed off by web servers until a worker takes them; redelivers what is not acknowledged.",
        "웹 서버가 넘긴 느린 작업을 워커가 가져갈 때까지 보관하고, 확인되지 않은 작업은 다시 전달합니다.",
    ),
    connects_to: &[Kind::Workers],
    called_by: &[],
    needs_target: false,
    params: QUEUE_PARAMS,
    presets: &[],
    in_datacenter: true,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(in crate::model) enum JobState {
    Visible,
    InFlight,
    Free,
}

/// One job in a queue's slab.
#[derive(Debug, Clone, Copy)]
pub(in crate::model) struct Job {
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
pub(in crate::model) struct JobHop {
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
pub(in crate::model) struct QueueNode {
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

/// A message queue's parameters, read once when the design is validated.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// Whether messages survive a crash of the queue.
    pub durable: bool,
    /// Most messages it holds [count].
    pub capacity: usize,
    /// How long a taken message stays hidden before it is handed out again [ns].
    pub visibility_timeout: Nanos,
    /// Deliveries before a message goes to the dead-letter count [count].
    pub max_attempts: u32,
}

impl Params {
    /// Reads the checked values.
    pub(crate) fn read(r: &Reader) -> Self {
        Params {
            durable: r.on("durable"),
            capacity: r.count("capacity") as usize,
            visibility_timeout: r.secs("visibility_timeout_s"),
            max_attempts: r.count("max_attempts") as u32,
        }
    }
}

impl QueueNode {
    pub fn build(p: &Params, pools: Vec<u32>) -> Self {
        QueueNode {
            durable: p.durable,
            capacity: p.capacity,
            visibility: p.visibility_timeout,
            max_attempts: p.max_attempts,
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

/// A message queue's events.
#[derive(Debug, Clone, Copy)]
pub(in crate::model) enum QueueEvent {
    /// A delivered job's visibility timeout ran out.
    VisibilityTimeout { queue: u32, job: u32, delivery: u64 },
    /// A worker's acknowledgement reaches the queue.
    JobAck {
        queue: u32,
        job: u32,
        delivery: u64,
        ok: bool,
    },
}

impl Simulation {
    /// Handles one of these events.
    pub(in crate::model) fn on_queue_event(&mut self, e: QueueEvent) {
        match e {
            QueueEvent::VisibilityTimeout {
                queue,
                job,
                delivery,
            } => self.on_visibility_timeout(queue, job, delivery),
            QueueEvent::JobAck {
                queue,
                job,
                delivery,
                ok,
            } => self.on_job_ack(queue, job, delivery, ok),
        }
    }

    pub(in crate::model) fn queue(&mut self, node: u32) -> &mut QueueNode {
        match &mut self.nodes[node as usize] {
            NodeState::Queue(q) => q,
            _ => unreachable!("node {node} is not a queue"),
        }
    }

    /// The queue web server `web` hands jobs to, if any.
    pub(in crate::model) fn queue_of(&self, web: u32) -> Option<u32> {
        match &self.nodes[web as usize] {
            NodeState::Station(s) => s.job_queue,
            _ => None,
        }
    }

    /// An enqueue call reaches queue `node`: store the job and answer.
    pub(in crate::model) fn arrive_at_queue(&mut self, req: u32, node: u32) {
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
    pub(in crate::model) fn dispatch(&mut self, queue: u32) {
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
                Event::Queue(QueueEvent::VisibilityTimeout {
                    queue,
                    job: id,
                    delivery,
                }),
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
                Event::Workers(WorkersEvent::JobDone {
                    workers: pool,
                    instance: instance as u32,
                    epoch,
                    queue,
                    job: id,
                    delivery,
                }),
            );
        }
    }

    /// Remembers a job hop for drawing, forgetting those that arrived.
    pub(in crate::model) fn job_hop(&mut self, hop: JobHop) {
        let now = self.now;
        while self.job_hops.front().is_some_and(|h| h.arrive() <= now) {
            self.job_hops.pop_front();
        }
        self.job_hops.push_back(hop);
    }

    /// A worker's acknowledgement (or failure report) reaches the queue.
    pub(in crate::model) fn on_job_ack(&mut self, queue: u32, id: u32, delivery: u64, ok: bool) {
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
    pub(in crate::model) fn on_visibility_timeout(&mut self, queue: u32, id: u32, delivery: u64) {
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
    pub(in crate::model) fn queue_killed(&mut self, node: u32) {
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

    pub(in crate::model) fn queue_restarted(&mut self, node: u32) {
        self.queue(node).up = true;
        self.dispatch(node);
    }

    /// The jobs waiting in every queue [jobs].
    pub(in crate::model) fn total_backlog(&self) -> u64 {
        self.nodes
            .iter()
            .map(|n| match n {
                NodeState::Queue(q) => q.visible.len() as u64,
                _ => 0,
            })
            .sum()
    }
}
