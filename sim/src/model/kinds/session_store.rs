//! Session stores: their catalog entry (a session store is a station,
//! `station.rs`, that keeps users' login sessions).

use crate::catalog::{Group, Kind, KindSpec, ParamSpec, Unit, number, queue_param, t};
use crate::design::Reader;

const SESSION_STORE_PARAMS: &[ParamSpec] = &[
    ParamSpec {
        key: "service_ms",
        label: t("Mean lookup time", "평균 조회 시간"),
        help: t(
            "Mean time to read or write one session; the store serves one command at a time, like Redis.",
            "세션 하나를 읽거나 쓰는 평균 시간. Redis처럼 한 번에 명령 하나를 처리합니다.",
        ),
        kind: number(0.001, 1_000.0, 0.1, Unit::Milliseconds),
        only_with: None,
    },
    queue_param(
        t(
            "Commands that may wait; when full, new ones fail.",
            "기다릴 수 있는 명령 수. 가득 차면 새 명령은 실패합니다.",
        ),
        10_000.0,
    ),
];

/// The catalog entry of this kind: its parameters and texts in both
/// languages.
pub(crate) const SPEC: KindSpec = KindSpec {
    kind: Kind::SessionStore,
    group: Group::Data,
    id_prefix: "sessions",
    name: t("Session store", "세션 저장소"),
    description: t(
        "Keeps login sessions outside the web servers, so any server can serve any user.",
        "로그인 세션을 웹 서버 밖에 두어 어느 서버든 어느 사용자든 처리할 수 있게 합니다.",
    ),
    connects_to: &[],
    called_by: &[],
    needs_target: false,
    params: SESSION_STORE_PARAMS,
    presets: &[],
    in_datacenter: true,
};

/// A session store's parameters, read once when the design is validated.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// Mean time to check a login [ms].
    pub service_ms: f64,
    /// Requests that may wait [count].
    pub queue_capacity: usize,
}

impl Params {
    /// Reads the checked values.
    pub(crate) fn read(r: &Reader) -> Self {
        Params {
            service_ms: r.number("service_ms"),
            queue_capacity: r.count("queue_capacity") as usize,
        }
    }
}
