//! Web servers: their catalog entry, the login session a request needs,
//! and which dependency a request calls next. (Queueing and work are the
//! station's, `station.rs`; calls under a policy, `calls.rs`.)

use crate::catalog::{
    Group, Kind, KindSpec, ParamSpec, SERVICE_CV, SERVICE_DIST, Unit, number, queue_param,
    size_param, t,
};
use crate::design::Reader;
use crate::model::{ErrorCause, NodeState, Simulation};
use crate::time::Nanos;

const WEB_PARAMS: &[ParamSpec] = &[
    size_param(
        t(
            "Bigger instances have more vCPUs (one request each at a time) and cost more; the largest is the ceiling of scaling up.",
            "큰 인스턴스는 vCPU가 많고(각각 한 번에 요청 하나) 더 비쌉니다. 가장 큰 크기가 수직 확장의 한계입니다.",
        ),
        "small",
    ),
    queue_param(
        t(
            "Requests that may wait for a free vCPU; when full, new requests are rejected as errors.",
            "빈 vCPU를 기다릴 수 있는 요청 수. 가득 차면 새 요청은 오류로 거절됩니다.",
        ),
        100.0,
    ),
    ParamSpec {
        key: "service_ms",
        label: t("Mean service time", "평균 처리 시간"),
        help: t(
            "Mean CPU time one request takes; the worker also stays busy while it waits for the database.",
            "요청 하나의 평균 CPU 시간. 데이터베이스를 기다리는 동안에도 워커는 점유됩니다.",
        ),
        kind: number(0.01, 60_000.0, 10.0, Unit::Milliseconds),
        only_with: None,
    },
    SERVICE_DIST,
    SERVICE_CV,
    ParamSpec {
        key: "queue_timeout_ms",
        label: t("Queue timeout", "대기 시간 한도"),
        help: t(
            "A request that waited longer than this is dropped when its turn comes (0 = never).",
            "이보다 오래 기다린 요청은 차례가 와도 버려집니다(0 = 버리지 않음).",
        ),
        kind: number(0.0, 600_000.0, 5_000.0, Unit::Milliseconds),
        only_with: None,
    },
    ParamSpec {
        key: "job_pct",
        label: t("Writes with a slow job", "느린 작업이 딸린 쓰기"),
        help: t(
            "Share of writes that also need slow work (sending an email, processing a photo): done inline, or handed to a queue if one is connected.",
            "느린 작업(이메일 보내기, 사진 처리)이 함께 필요한 쓰기의 비율. 직접 처리하거나, 큐가 연결되어 있으면 큐에 넘깁니다.",
        ),
        kind: number(0.0, 100.0, 0.0, Unit::Percent),
        only_with: None,
    },
    ParamSpec {
        key: "job_ms",
        label: t("Slow job time", "느린 작업 시간"),
        help: t(
            "How long the slow work takes, inline on a web worker or on a queue worker.",
            "느린 작업에 걸리는 시간. 웹 워커에서 직접 하든 큐 워커에서 하든 같습니다.",
        ),
        kind: number(1.0, 600_000.0, 500.0, Unit::Milliseconds),
        only_with: None,
    },
];

/// The catalog entry of this kind: its parameters and texts in both
/// languages.
pub(crate) const SPEC: KindSpec = KindSpec {
    kind: Kind::WebServer,
    group: Group::Compute,
    id_prefix: "web",
    name: t("Web server", "웹 서버"),
    description: t(
        "Runs the application: workers, a queue, login sessions, calls to the data tier.",
        "애플리케이션을 실행합니다: 워커, 대기열, 로그인 세션, 데이터 계층 호출.",
    ),
    connects_to: &[
        Kind::SessionStore,
        Kind::Cache,
        Kind::Database,
        Kind::ShardRouter,
        Kind::Queue,
    ],
    called_by: &[],
    needs_target: false,
    params: WEB_PARAMS,
    presets: &[],
    in_datacenter: true,
};

/// A web server's parameters, read once when the design is validated.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// Instance size: its vCPUs are the workers.
    pub size: &'static crate::catalog::Size,
    /// Requests that may wait for a worker [count].
    pub queue_capacity: usize,
    /// Mean time a worker spends on a request [ms].
    pub service_ms: f64,
    /// Service-time distribution (a catalog option name).
    pub service_dist: &'static str,
    /// Coefficient of variation of a log-normal service time.
    pub service_cv: f64,
    /// A queued request older than this is dropped [ns]; 0 = never.
    pub queue_timeout: Nanos,
    /// Share of requests that hand a job to a queue [%].
    pub job_pct: f64,
    /// Work each such job takes at a worker [ns].
    pub job: Nanos,
}

impl Params {
    /// Reads the checked values.
    pub(crate) fn read(r: &Reader) -> Self {
        Params {
            size: r.size(),
            queue_capacity: r.count("queue_capacity") as usize,
            service_ms: r.number("service_ms"),
            service_dist: r.choice("service_dist"),
            service_cv: r.number("service_cv"),
            queue_timeout: r.ms("queue_timeout_ms"),
            job_pct: r.number("job_pct"),
            job: r.ms("job_ms"),
        }
    }
}

impl Simulation {
    /// The user's session must live on `node` (a stateful web server, or
    /// the session store). If it does not, a user who had logged in before
    /// is logged out ([`ErrorCause::SessionLost`]) and logs in here; a new
    /// user simply logs in.
    pub(in crate::model) fn check_session(&mut self, req: u32, node: u32, origin: u32, user: u32) {
        let key = (u64::from(origin) << 32) | u64::from(user);
        let NodeState::Users(u) = &mut self.nodes[origin as usize] else {
            unreachable!()
        };
        let previous = u.session_at.insert(user, node);
        if previous == Some(node) && self.station(node).sessions.contains(&key) {
            return; // logged in here, and the server still has the session
        }
        if let Some(old) = previous {
            if old != node
                && let NodeState::Station(s) = &mut self.nodes[old as usize]
            {
                s.sessions.remove(&key); // its cookie was replaced
            }
            self.fail_at(req, node, old, ErrorCause::SessionLost);
        }
        self.station(node).sessions.insert(key);
    }

    /// The next node a web server calls for `req`, advancing the request's
    /// stage: the session store (to check the login), then the database
    /// (the master for writes, a replica for reads). `None` when done or
    /// failed, and always for static files.
    pub(in crate::model) fn next_call(&mut self, req: u32, node: u32) -> Option<u32> {
        const SESSION: u32 = 0;
        const CACHE_LOOKUP: u32 = 1;
        const DATA: u32 = 2;
        const CACHE_AFTER: u32 = 3;
        const JOB: u32 = 4;
        loop {
            let r = &mut self.requests[req as usize];
            if r.error.is_some() || !r.kind.is_dynamic() {
                return None;
            }
            let frame = r
                .stack
                .last_mut()
                .expect("a request at a server has a frame");
            let stage = frame.next;
            frame.next += 1;
            match stage {
                SESSION => {
                    if let Some(store) = self.station(node).session_store {
                        return Some(store);
                    }
                }
                CACHE_LOOKUP => {
                    if let Some(cache) = self.cache_call(node, req, true) {
                        return Some(cache);
                    }
                }
                DATA => {
                    let hit = self.requests[req as usize].cache_hit == Some(true);
                    if !hit && let Some(db) = self.db_target(node, req) {
                        return Some(db);
                    }
                }
                CACHE_AFTER => {
                    if let Some(cache) = self.cache_call(node, req, false) {
                        return Some(cache);
                    }
                }
                JOB => {
                    if self.requests[req as usize].job
                        && let Some(queue) = self.queue_of(node)
                    {
                        return Some(queue);
                    }
                }
                _ => return None,
            }
        }
    }
}
