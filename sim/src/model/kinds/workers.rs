//! Worker pools: machines that take jobs from a queue, finish or fail
//! them, crash, and autoscale on the backlog.

use super::NodeState;
use super::queue::JobHop;
use crate::catalog::{
    Group, HOURS_PER_MONTH, Kind, KindSpec, ParamSpec, SWITCH_OFF, Size, Unit, count, number,
    size_param, t,
};
use crate::design::Reader;
use crate::model::QueueEvent;
use crate::model::log::LogEvent;
use crate::model::report::WorkerFigures;
use crate::model::{Event, INTERNAL_LATENCY, Simulation};
use crate::rng::{SimRng, area};
use crate::time::{Nanos, SECOND};
use rand_core::Rng;

const WORKERS_PARAMS: &[ParamSpec] = &[
    ParamSpec {
        key: "instances",
        label: t("Instances", "인스턴스 수"),
        help: t(
            "Worker machines running at the start (with autoscaling, the first count).",
            "시작할 때 도는 워커 머신 수(자동 확장이면 처음 수).",
        ),
        kind: count(1.0, 1_000.0, 2.0),
        only_with: None,
    },
    ParamSpec {
        key: "concurrency",
        label: t("Jobs at once per instance", "인스턴스당 동시 작업 수"),
        help: t(
            "How many jobs one instance works on at the same time.",
            "인스턴스 하나가 동시에 처리하는 작업 수.",
        ),
        kind: count(1.0, 1_000.0, 4.0),
        only_with: None,
    },
    ParamSpec {
        key: "failure_pct",
        label: t("Failed attempts", "실패하는 시도"),
        help: t(
            "Share of attempts that fail (a flaky email service): the job is retried, and dead-lettered after the queue's attempts.",
            "실패하는 시도의 비율(불안정한 이메일 서비스 등). 작업은 다시 시도되고, 큐의 시도 횟수를 넘으면 데드 레터로 갑니다.",
        ),
        kind: number(0.0, 100.0, 0.0, Unit::Percent),
        only_with: None,
    },
    ParamSpec {
        key: "autoscale",
        label: t("Autoscale on backlog", "백로그 기반 자동 확장"),
        help: t(
            "Add instances when jobs pile up and remove idle ones, every 10 s.",
            "작업이 쌓이면 인스턴스를 늘리고 한가하면 줄입니다(10초마다).",
        ),
        kind: SWITCH_OFF,
        only_with: None,
    },
    ParamSpec {
        key: "max_instances",
        label: t("Most instances", "최대 인스턴스 수"),
        help: t(
            "The autoscaler never goes above this.",
            "자동 확장은 이보다 늘리지 않습니다.",
        ),
        kind: count(1.0, 1_000.0, 20.0),
        only_with: Some(("autoscale", "on")),
    },
    ParamSpec {
        key: "backlog_per_instance",
        label: t("Target backlog per instance", "인스턴스당 목표 백로그"),
        help: t(
            "The autoscaler wants about this many waiting jobs per instance.",
            "자동 확장은 인스턴스당 대기 작업이 이 정도가 되도록 맞춥니다.",
        ),
        kind: count(1.0, 1_000_000.0, 20.0),
        only_with: Some(("autoscale", "on")),
    },
    ParamSpec {
        key: "startup_s",
        label: t("Start-up time", "기동 시간"),
        help: t(
            "A new instance takes this long before it takes jobs.",
            "새 인스턴스가 작업을 받기까지 걸리는 시간.",
        ),
        kind: number(0.0, 3_600.0, 60.0, Unit::Seconds),
        only_with: Some(("autoscale", "on")),
    },
    size_param(
        t(
            "Instance size: sets the price of each instance (jobs at once is set above).",
            "인스턴스 크기: 인스턴스 하나의 가격을 정합니다(동시 작업 수는 위에서 정합니다).",
        ),
        "small",
    ),
];

/// The catalog entry of this kind: its parameters and texts in both
/// languages.
pub(crate) const SPEC: KindSpec = KindSpec {
    kind: Kind::Workers,
    group: Group::Async,
    id_prefix: "workers",
    name: t("Workers", "워커"),
    description: t(
        "A pool of machines that take jobs from a queue, do them, and acknowledge them.",
        "큐에서 작업을 가져와 처리하고 확인하는 머신들의 풀.",
    ),
    connects_to: &[],
    called_by: &[],
    needs_target: false,
    params: WORKERS_PARAMS,
    presets: &[],
    in_datacenter: true,
};

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

/// A worker pool's parameters, read once when the design is validated.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// Machines at the start, and the fewest autoscaling leaves [count].
    pub instances: usize,
    /// Jobs each machine runs at once [count].
    pub concurrency: u32,
    /// Share of jobs that fail and are not acknowledged [%].
    pub failure_pct: f64,
    /// Whether the pool grows with the queue's backlog.
    pub autoscale: bool,
    /// Most machines autoscaling adds up to [count].
    pub max_instances: usize,
    /// Waiting jobs per machine that autoscaling aims for [count].
    pub backlog_per_instance: u64,
    /// Time from an added machine being asked for to its first job [ns].
    pub startup: Nanos,
    /// Machine size (its price).
    pub size: &'static Size,
}

impl Params {
    /// Reads the checked values.
    pub(crate) fn read(r: &Reader) -> Self {
        Params {
            instances: r.count("instances") as usize,
            concurrency: r.count("concurrency") as u32,
            failure_pct: r.number("failure_pct"),
            autoscale: r.on("autoscale"),
            max_instances: r.count("max_instances") as usize,
            backlog_per_instance: r.count("backlog_per_instance"),
            startup: r.secs("startup_s"),
            size: r.size(),
        }
    }
}

impl WorkersNode {
    /// Its autoscaler's first look after `now`, if it autoscales (it is
    /// node `node`).
    pub fn autoscale_after(&self, node: u32, now: Nanos) -> Option<(Nanos, Event)> {
        let at = now + AUTOSCALE_INTERVAL;
        self.autoscale.is_some().then_some((
            at,
            Event::Workers(WorkersEvent::Autoscale { workers: node }),
        ))
    }

    pub fn build(p: &Params, rng: SimRng) -> Self {
        let count = p.instances;
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
            concurrency: p.concurrency,
            failure_pct: p.failure_pct,
            autoscale: p.autoscale.then(|| {
                (
                    p.max_instances.max(count),
                    p.backlog_per_instance,
                    p.startup,
                )
            }),
            price_per_instance: p.size.price_per_hour,
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
        let dt = now - self.last_change;
        self.busy_area += area(self.busy(), dt);
        self.slot_area += area(self.slots(), dt);
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
