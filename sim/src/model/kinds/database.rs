//! Databases: how a web server picks the database for a query (the
//! master for writes, a replica for reads by the group's read policy),
//! how a database executes a read or write on its records, and its
//! replication figures. Replication itself (binlog, acknowledgements,
//! failover) is `model/replication.rs`, shared by the group.

use crate::catalog::{
    DB_ROLES, FAILOVER_MODES, Group, Kind, KindSpec, ParamKind, ParamSpec, Preset, PresetValue,
    REPLICATION_MODES, SERVICE_CV, SERVICE_DIST, Unit, number, queue_param, size_param, t,
};
use crate::design::Reader;
use crate::model::ReplicationEvent;
use crate::model::data::{DbNode, Entry, Freshness, Pending, ReplicationMode};
use crate::model::kinds::NodeState;
use crate::model::{ErrorCause, Event, RequestKind, Simulation};
use crate::time::Nanos;

/// Database presets: a relational store (SQL queries with joins, a commit
/// that syncs to disk) and a NoSQL key-value store (single-key reads and
/// writes, no joins: data is denormalized instead).
const DB_PRESETS: &[Preset] = &[
    Preset {
        name: t("Relational (MySQL-like)", "관계형 (MySQL 계열)"),
        help: t(
            "SQL queries with joins: 5 ms reads, 10 ms writes with a synced commit, 8 vCPUs.",
            "조인이 있는 SQL 쿼리: 읽기 5 ms, 동기화된 커밋의 쓰기 10 ms, vCPU 8개.",
        ),
        values: &[
            ("service_ms", PresetValue::Number(5.0)),
            ("write_ms", PresetValue::Number(10.0)),
            ("size", PresetValue::Choice("large")),
            ("queue_capacity", PresetValue::Number(200.0)),
            ("service_dist", PresetValue::Choice("lognormal")),
            ("service_cv", PresetValue::Number(1.0)),
        ],
    },
    Preset {
        name: t("NoSQL (key-value)", "NoSQL (키-값)"),
        help: t(
            "Single-key lookups, no joins (data is denormalized): 1 ms reads, 2 ms writes, steadier times, 8 vCPUs.",
            "단일 키 조회, 조인 없음(데이터를 비정규화): 읽기 1 ms, 쓰기 2 ms, 더 고른 시간, vCPU 8개.",
        ),
        values: &[
            ("service_ms", PresetValue::Number(1.0)),
            ("write_ms", PresetValue::Number(2.0)),
            ("size", PresetValue::Choice("large")),
            ("queue_capacity", PresetValue::Number(1_000.0)),
            ("service_dist", PresetValue::Choice("lognormal")),
            ("service_cv", PresetValue::Number(0.3)),
        ],
    },
];

const DB_PARAMS: &[ParamSpec] = &[
    ParamSpec {
        key: "role",
        label: t("Role", "역할"),
        help: t(
            "A master takes every write and streams them to its replicas (draw an edge master → replica); replicas serve reads.",
            "마스터는 모든 쓰기를 받아 복제본으로 흘려보냅니다(마스터 → 복제본으로 연결). 복제본은 읽기를 처리합니다.",
        ),
        kind: ParamKind::Choice {
            options: DB_ROLES,
            labels: &[
                t("Master (writes)", "마스터 (쓰기)"),
                t("Replica (reads)", "복제본 (읽기)"),
            ],
            default: "master",
        },
        only_with: None,
    },
    size_param(
        t(
            "Bigger instances run more queries at once (one per vCPU) and cost more; the largest is the ceiling.",
            "큰 인스턴스는 한 번에 더 많은 쿼리를 실행하고(vCPU당 하나) 더 비쌉니다. 가장 큰 크기가 한계입니다.",
        ),
        "large",
    ),
    queue_param(
        t(
            "Queries that may wait for a free vCPU; when full, new queries fail.",
            "빈 vCPU를 기다릴 수 있는 쿼리 수. 가득 차면 새 쿼리는 실패합니다.",
        ),
        200.0,
    ),
    ParamSpec {
        key: "service_ms",
        label: t("Mean read time", "평균 읽기 시간"),
        help: t(
            "Mean time one read query takes on one vCPU.",
            "읽기 쿼리 하나가 vCPU 하나에서 걸리는 평균 시간.",
        ),
        kind: number(0.01, 60_000.0, 5.0, Unit::Milliseconds),
        only_with: None,
    },
    ParamSpec {
        key: "write_ms",
        label: t("Mean write time", "평균 쓰기 시간"),
        help: t(
            "Mean time one write takes on the master, including its commit to the binlog.",
            "쓰기 하나가 마스터에서 걸리는 평균 시간(바이너리 로그 기록 포함).",
        ),
        kind: number(0.01, 60_000.0, 10.0, Unit::Milliseconds),
        only_with: None,
    },
    SERVICE_DIST,
    SERVICE_CV,
    ParamSpec {
        key: "replication",
        label: t("Replication", "복제 방식"),
        help: t(
            "When a write is acknowledged: async after the master's binlog write; semi-sync once a replica has received it; sync once every replica has applied it.",
            "쓰기를 확인하는 시점: 비동기는 마스터의 바이너리 로그 기록 후, 반동기는 복제본 하나가 받은 후, 동기는 모든 복제본이 적용한 후.",
        ),
        kind: ParamKind::Choice {
            options: REPLICATION_MODES,
            labels: &[
                t("Asynchronous", "비동기"),
                t("Semi-synchronous", "반동기"),
                t("Synchronous", "동기"),
            ],
            default: "async",
        },
        only_with: Some(("role", "master")),
    },
    ParamSpec {
        key: "semi_sync_timeout_ms",
        label: t("Semi-sync timeout", "반동기 대기 한도"),
        help: t(
            "If no replica confirms a write within this time, the master falls back to asynchronous replication until a replica catches up.",
            "이 시간 안에 어떤 복제본도 쓰기를 확인하지 않으면, 복제본이 따라잡을 때까지 마스터는 비동기 복제로 바뀝니다.",
        ),
        kind: number(1.0, 600_000.0, 10_000.0, Unit::Milliseconds),
        only_with: Some(("replication", "semi_sync")),
    },
    ParamSpec {
        key: "failover",
        label: t("Failover", "장애 조치"),
        help: t(
            "When the master dies: promote the most caught-up replica automatically after the detection delay, or wait for an operator.",
            "마스터가 죽으면: 감지 지연 후 가장 많이 따라잡은 복제본을 자동으로 승격하거나, 운영자를 기다립니다.",
        ),
        kind: ParamKind::Choice {
            options: FAILOVER_MODES,
            labels: &[t("Automatic", "자동"), t("Manual", "수동")],
            default: "auto",
        },
        only_with: Some(("role", "master")),
    },
    ParamSpec {
        key: "detect_s",
        label: t("Failure detection", "장애 감지 시간"),
        help: t(
            "How long it takes to decide a silent master (or replica) is dead.",
            "응답 없는 마스터(또는 복제본)를 죽었다고 판단하기까지 걸리는 시간.",
        ),
        kind: number(0.1, 3_600.0, 10.0, Unit::Seconds),
        only_with: Some(("role", "master")),
    },
    ParamSpec {
        key: "read_your_writes_s",
        label: t("Read your writes", "자기 쓰기 읽기"),
        help: t(
            "For this long after a user writes, their reads go to the master so they see their own write (0 = off).",
            "사용자가 쓴 뒤 이 시간 동안은 그 사용자의 읽기를 마스터로 보내 자기 쓰기를 보게 합니다(0 = 끔).",
        ),
        kind: number(0.0, 3_600.0, 0.0, Unit::Seconds),
        only_with: Some(("role", "master")),
    },
    ParamSpec {
        key: "link_ms",
        label: t("Replication link delay", "복제 링크 지연"),
        help: t(
            "One-way network delay from the master to this replica (0.5 ms in one data center, tens of ms across regions).",
            "마스터에서 이 복제본까지의 단방향 네트워크 지연(같은 데이터 센터는 0.5 ms, 지역 간은 수십 ms).",
        ),
        kind: number(0.0, 10_000.0, 0.5, Unit::Milliseconds),
        only_with: Some(("role", "replica")),
    },
    ParamSpec {
        key: "apply_rate",
        label: t("Apply rate", "적용 속도"),
        help: t(
            "Binlog events this replica's SQL step applies per second; below the write rate, its lag grows without bound.",
            "이 복제본의 SQL 단계가 초당 적용하는 바이너리 로그 이벤트 수. 쓰기 속도보다 낮으면 지연이 끝없이 늘어납니다.",
        ),
        kind: number(1.0, 1_000_000.0, 5_000.0, Unit::EventsPerSecond),
        only_with: Some(("role", "replica")),
    },
];

/// The catalog entry of this kind: its parameters and texts in both
/// languages.
pub(crate) const SPEC: KindSpec = KindSpec {
    kind: Kind::Database,
    group: Group::Data,
    id_prefix: "db",
    name: t("Database", "데이터베이스"),
    description: t(
        "Stores the records; a master takes writes and replicates them to its replicas, which serve reads.",
        "레코드를 저장합니다. 마스터는 쓰기를 받아 복제본에 복제하고, 복제본은 읽기를 처리합니다.",
    ),
    connects_to: &[Kind::Database],
    called_by: &[],
    needs_target: false,
    params: DB_PARAMS,
    presets: DB_PRESETS,
    in_datacenter: true,
};

/// A database's role in its replication group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Takes writes and ships its binlog to its replicas.
    Master,
    /// Applies a master's binlog and serves reads.
    Replica,
}

/// A database's parameters, read once when the design is validated.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// Master or replica.
    pub role: Role,
    /// Instance size: its vCPUs are the workers.
    pub size: &'static crate::catalog::Size,
    /// Requests that may wait for a worker [count].
    pub queue_capacity: usize,
    /// Mean time a worker spends on a read [ms].
    pub service_ms: f64,
    /// Mean time a worker spends on a write [ms].
    pub write_ms: f64,
    /// Service-time distribution (a catalog option name).
    pub service_dist: &'static str,
    /// Coefficient of variation of a log-normal service time.
    pub service_cv: f64,
    /// How a master waits for its replicas before answering a write.
    pub replication: ReplicationMode,
    /// How long a semi-synchronous master waits for an acknowledgement [ns].
    pub semi_sync_timeout: Nanos,
    /// Whether a replica is promoted by itself when the master dies.
    pub auto_failover: bool,
    /// Time to notice a dead master [ns].
    pub detect: Nanos,
    /// How long a user's reads go to the master after their write [ns].
    pub read_your_writes: Nanos,
    /// One-way delay of the replication link [ns].
    pub link: Nanos,
    /// Binlog entries a replica applies per second [1/s].
    pub apply_rate: f64,
}

impl Params {
    /// Reads the checked values.
    pub(crate) fn read(r: &Reader) -> Self {
        Params {
            role: if r.is("role", "replica") {
                Role::Replica
            } else {
                Role::Master
            },
            size: r.size(),
            queue_capacity: r.count("queue_capacity") as usize,
            service_ms: r.number("service_ms"),
            write_ms: r.number("write_ms"),
            service_dist: r.choice("service_dist"),
            service_cv: r.number("service_cv"),
            replication: ReplicationMode::from_name(r.choice("replication")),
            semi_sync_timeout: r.ms("semi_sync_timeout_ms"),
            auto_failover: r.is("failover", "auto"),
            detect: r.secs("detect_s"),
            read_your_writes: r.secs("read_your_writes_s"),
            link: r.ms("link_ms"),
            apply_rate: r.number("apply_rate"),
        }
    }
}

impl Simulation {
    pub(in crate::model) fn db(&self, node: u32) -> Option<&DbNode> {
        match &self.nodes[node as usize] {
            NodeState::Station(s) => s.db.as_deref(),
            _ => None,
        }
    }

    pub(in crate::model) fn db_mut(&mut self, node: u32) -> Option<&mut DbNode> {
        match &mut self.nodes[node as usize] {
            NodeState::Station(s) => s.db.as_deref_mut(),
            _ => None,
        }
    }

    /// Where web server `web` sends the data call of request `req`: the
    /// master for a write (or for a read by a user inside the
    /// read-your-writes window), else the next live replica it is connected
    /// to, else the master. `None` if the server has no database.
    pub(in crate::model) fn db_target(&mut self, web: u32, req: u32) -> Option<u32> {
        let key = self.key_of(req);
        let NodeState::Station(st) = &self.nodes[web as usize] else {
            return None;
        };
        if let Some(router) = st.router {
            return Some(router);
        }
        // The groups this server reaches, in order of first edge; several
        // masters split the records between them by key.
        let group_of = |n: u32| self.db(n).map(|d| d.group);
        let mut groups = [u32::MAX; 8];
        let mut count = 0;
        for &d in &st.dbs {
            if let Some(g) = group_of(d)
                && !groups[..count].contains(&g)
                && count < groups.len()
            {
                groups[count] = g;
                count += 1;
            }
        }
        if count == 0 {
            return None;
        }
        let g = groups[key as usize % count];
        if self.needs_master(g, req) {
            return Some(self.groups[g as usize].master);
        }
        match self.pick_reader(g, &st.dbs, st.next_replica) {
            Some((target, next)) => {
                self.station(web).next_replica = next;
                Some(target)
            }
            None => Some(self.groups[g as usize].master),
        }
    }

    /// Whether `req`'s query to group `g` must go to the master: a write,
    /// or a read by a user inside the group's read-your-writes window.
    pub(in crate::model) fn needs_master(&self, g: u32, req: u32) -> bool {
        let r = &self.requests[req as usize];
        let window = self.groups[g as usize].read_your_writes;
        r.kind == RequestKind::Write
            || window > 0
                && matches!(&self.nodes[r.origin as usize], NodeState::Users(u)
                    if u.last_write.get(&r.user).is_some_and(|&t| self.now < t + window))
    }

    /// The replica of group `g` among `candidates` that takes the next read
    /// (round robin from `turn` over the live, caught-up-term ones), with
    /// the turn after it; `None` if none can serve.
    pub(in crate::model) fn pick_reader(
        &self,
        g: u32,
        candidates: &[u32],
        turn: u32,
    ) -> Option<(u32, u32)> {
        let group = &self.groups[g as usize];
        let serving = candidates.iter().copied().filter(|&n| {
            n != group.master
                && self.nodes[n as usize].is_up()
                && self
                    .db(n)
                    .is_some_and(|d| d.group == g && d.term == group.term)
        });
        let count = serving.clone().count() as u32;
        if count == 0 {
            return None;
        }
        let pick = turn % count;
        let target = serving.clone().nth(pick as usize).expect("pick < count");
        Some((target, pick + 1))
    }

    /// A database finished processing `req`: read the record, or commit the
    /// write and acknowledge it when the replication mode allows.
    pub(in crate::model) fn data_op(&mut self, req: u32, node: u32) {
        let now = self.now;
        let (kind, key) = (self.requests[req as usize].kind, self.key_of(req));
        let Some(d) = self.db(node) else {
            return self.call_next_or_reply(req, node);
        };
        let g = d.group;
        if kind != RequestKind::Write {
            let version = d.version(key);
            let fresh = self.judge_read(key, version, node);
            let r = &mut self.requests[req as usize];
            r.version = version;
            r.fresh = Some(fresh);
            return self.call_next_or_reply(req, node);
        }
        let group = &self.groups[g as usize];
        if group.master != node || !group.ready {
            self.fail_at(
                req,
                node,
                crate::model::failures::NO_NODE,
                ErrorCause::NoMaster,
            );
            return self.call_next_or_reply(req, node);
        }
        let version = self.oracle.issue(key);
        let group = &mut self.groups[g as usize];
        let seq = group.append(Entry {
            key,
            version,
            at: now,
            acked: false,
        });
        let (mode, semi_active, timeout, term) = (
            group.mode,
            group.semi_active,
            group.semi_timeout,
            group.term,
        );
        let d = self.db_mut(node).expect("checked");
        d.store.insert(key, version);
        d.received = seq;
        d.applied = seq;
        self.requests[req as usize].version = version;
        let members = self.groups[g as usize].members.clone();
        for m in members {
            self.stream_to(g, m, seq);
        }
        let counted = self.replicas_counted(g);
        let wait = match mode {
            ReplicationMode::Async => false,
            ReplicationMode::SemiSync => semi_active,
            ReplicationMode::Sync => counted > 0,
        };
        if wait {
            // The vCPU is free for other queries; the connection waits.
            self.finish_service(req, node);
            self.groups[g as usize]
                .pending
                .push_back(Pending { seq, req });
            if mode == ReplicationMode::SemiSync {
                let group = g;
                self.events.schedule(
                    now + timeout,
                    Event::Replication(ReplicationEvent::SemiSyncTimeout { group, seq, term }),
                );
            }
        } else {
            self.acknowledge(g, seq, req, false);
        }
        self.trim(g);
    }

    /// The replication group of database `node`.
    pub(in crate::model) fn db_group(&self, node: u32) -> Option<u32> {
        self.db(node).map(|d| d.group)
    }

    /// The version of `key` database `node` holds (0: none).
    pub(in crate::model) fn db_version(&self, node: u32, key: u32) -> u64 {
        self.db(node).map_or(0, |d| d.version(key))
    }

    /// Bulk-loads version `version` of `key` into database `node` (a
    /// resharding copy), unless it holds a newer one.
    pub(in crate::model) fn db_store_put(&mut self, node: u32, key: u32, version: u64) {
        if let Some(d) = self.db_mut(node) {
            let v = d.store.entry(key).or_insert(0);
            *v = (*v).max(version);
        }
    }

    /// The replication group `node` is the master of, with its term.
    pub(in crate::model) fn master_group_of(&self, node: u32) -> Option<(u32, u32)> {
        let d = self.db(node)?;
        let group = &self.groups[d.group as usize];
        (group.master == node).then_some((d.group, group.term))
    }

    /// Replication figures of database `node`: (role is master, events
    /// behind the master, seconds behind [s]); `None` for other nodes, and
    /// for a database that missed a failover and has not rejoined yet.
    pub(in crate::model) fn db_figures(&self, node: u32) -> Option<(bool, u64, f64)> {
        let d = self.db(node)?;
        let group = &self.groups[d.group as usize];
        if group.master == node {
            return Some((true, 0, 0.0));
        }
        if d.term != group.term {
            return None;
        }
        let behind = group.head.saturating_sub(d.applied);
        let seconds = group
            .entry(d.applied + 1)
            .map_or(0.0, |e| crate::time::to_secs(self.now.saturating_sub(e.at)));
        Some((false, behind, seconds))
    }

    /// Counts a successful read's correctness: `bound` is the Users node's
    /// allowed staleness [ns].
    pub(in crate::model) fn count_read(&mut self, fresh: Freshness, read_back: bool, bound: Nanos) {
        let d = &mut self.stats.data;
        d.reads += 1;
        if read_back {
            d.read_backs += 1;
        }
        let incorrect = match fresh {
            Freshness::Fresh => false,
            Freshness::Stale(age) => {
                d.stale += 1;
                d.staleness_ns += u128::from(age);
                d.max_staleness = d.max_staleness.max(age);
                let w = &mut self.window.latency;
                w.max_staleness = w.max_staleness.max(age);
                if read_back {
                    d.own_write_misses += 1;
                }
                age > bound
            }
            Freshness::Lost => {
                d.lost_reads += 1;
                if read_back {
                    d.own_write_misses += 1;
                }
                true
            }
        };
        if incorrect {
            if matches!(fresh, Freshness::Stale(_)) {
                d.stale_incorrect += 1;
            }
            self.window.incorrect += 1;
        }
    }
}
