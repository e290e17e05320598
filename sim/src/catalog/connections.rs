//! The parameters a connection takes: a web server's resilience policy
//! for a dependency it calls, a DNS server's weight for a target.

use super::{Kind, ParamKind, ParamSpec, SWITCH_OFF, Unit, count, number, t};

/// Kinds of backoff jitter a retry policy can add.
pub const JITTERS: &[&str] = &["none", "full", "equal"];

/// The parameters of a connection from a web server to a dependency it
/// calls: the caller's resilience policy for that dependency.
pub const CALL_POLICY: &[ParamSpec] = &[
    ParamSpec {
        key: "timeout_ms",
        label: t("Call timeout", "호출 타임아웃"),
        help: t(
            "The web server stops waiting for an answer after this long and frees its thread; the dependency may still do the work. 0 = wait for ever.",
            "웹 서버가 이만큼 기다린 뒤 응답을 포기하고 스레드를 풉니다. 의존 대상은 그 일을 계속할 수 있습니다. 0 = 무한정 대기.",
        ),
        kind: number(0.0, 600_000.0, 0.0, Unit::Milliseconds),
        only_with: None,
    },
    ParamSpec {
        key: "retries",
        label: t("Retries", "재시도 횟수"),
        help: t(
            "How many more times a failed or timed-out call is tried; every retry is real extra work for the dependency.",
            "실패하거나 시간 초과된 호출을 몇 번 더 시도할지. 재시도마다 의존 대상의 일이 실제로 늘어납니다.",
        ),
        kind: count(0.0, 10.0, 0.0),
        only_with: None,
    },
    ParamSpec {
        key: "backoff_ms",
        label: t("Backoff", "백오프"),
        help: t(
            "Wait before the first retry; it doubles for each further retry (exponential backoff).",
            "첫 재시도 전 대기 시간. 이후 재시도마다 두 배가 됩니다(지수 백오프).",
        ),
        kind: number(0.0, 60_000.0, 50.0, Unit::Milliseconds),
        only_with: None,
    },
    ParamSpec {
        key: "backoff_max_ms",
        label: t("Longest backoff", "최대 백오프"),
        help: t(
            "The doubling stops at this wait.",
            "두 배로 늘어나는 대기 시간의 상한.",
        ),
        kind: number(0.0, 600_000.0, 2_000.0, Unit::Milliseconds),
        only_with: None,
    },
    ParamSpec {
        key: "jitter",
        label: t("Jitter", "지터"),
        help: t(
            "Randomizes each wait so retries from many requests do not arrive in lockstep. Full: anywhere from 0 to the backoff; equal: from half the backoff to all of it.",
            "대기 시간을 무작위로 흩어 여러 요청의 재시도가 한꺼번에 몰리지 않게 합니다. 전체: 0부터 백오프까지, 절반: 백오프의 절반부터 전체까지.",
        ),
        kind: ParamKind::Choice {
            options: JITTERS,
            labels: &[
                t("None", "없음"),
                t("Full", "전체"),
                t("Equal (half)", "절반"),
            ],
            default: "full",
        },
        only_with: None,
    },
    ParamSpec {
        key: "retry_budget",
        label: t("Retry budget", "재시도 예산"),
        help: t(
            "Allows retries only while they stay a small share of first calls, so an overloaded dependency is not buried under retries.",
            "재시도가 첫 호출의 일정 비율 안에 있을 때만 허용해, 과부하 걸린 대상이 재시도에 파묻히지 않게 합니다.",
        ),
        kind: SWITCH_OFF,
        only_with: None,
    },
    ParamSpec {
        key: "retry_budget_pct",
        label: t("Budget", "예산"),
        help: t(
            "Retries allowed per 100 first calls (each first call earns this share of a retry; at most 10 saved up).",
            "첫 호출 100번당 허용되는 재시도 수(첫 호출마다 이만큼 적립, 최대 10개까지 모아 둠).",
        ),
        kind: number(0.0, 100.0, 10.0, Unit::Percent),
        only_with: Some(("retry_budget", "on")),
    },
    ParamSpec {
        key: "breaker",
        label: t("Circuit breaker", "서킷 브레이커"),
        help: t(
            "Stops calling a dependency that keeps failing: calls fail at once while it is open, then one trial call decides whether to close it.",
            "계속 실패하는 대상 호출을 멈춥니다. 열려 있는 동안 호출은 즉시 실패하고, 이후 시험 호출 한 번으로 닫을지 정합니다.",
        ),
        kind: SWITCH_OFF,
        only_with: None,
    },
    ParamSpec {
        key: "breaker_error_pct",
        label: t("Opens at error rate", "열리는 오류율"),
        help: t(
            "The breaker opens when at least this share of the calls in the window failed.",
            "창 안의 호출 중 이 비율 이상이 실패하면 브레이커가 열립니다.",
        ),
        kind: number(1.0, 100.0, 50.0, Unit::Percent),
        only_with: Some(("breaker", "on")),
    },
    ParamSpec {
        key: "breaker_window_s",
        label: t("Window", "관찰 창"),
        help: t(
            "How far back the error rate looks (a sliding window of one-second buckets).",
            "오류율을 계산하는 기간(1초 단위 칸으로 된 슬라이딩 창).",
        ),
        kind: count(1.0, 600.0, 10.0),
        only_with: Some(("breaker", "on")),
    },
    ParamSpec {
        key: "breaker_min_calls",
        label: t("Minimum calls", "최소 호출 수"),
        help: t(
            "The breaker does not judge a window with fewer calls than this.",
            "창 안의 호출이 이보다 적으면 판단하지 않습니다.",
        ),
        kind: count(1.0, 100_000.0, 20.0),
        only_with: Some(("breaker", "on")),
    },
    ParamSpec {
        key: "breaker_cooldown_s",
        label: t("Cool-down", "냉각 시간"),
        help: t(
            "How long the breaker stays open before it lets one trial call through (half-open).",
            "브레이커가 열린 뒤 시험 호출 한 번을 허용(반열림)하기까지의 시간.",
        ),
        kind: number(0.1, 3_600.0, 5.0, Unit::Seconds),
        only_with: Some(("breaker", "on")),
    },
    ParamSpec {
        key: "bulkhead",
        label: t("Bulkhead", "벌크헤드"),
        help: t(
            "At most this many of the server's threads may wait on this dependency at once; more calls fail at once, so one slow dependency cannot take every thread. 0 = no limit.",
            "이 대상을 동시에 기다릴 수 있는 서버 스레드 수의 상한. 넘는 호출은 즉시 실패해, 느린 대상 하나가 모든 스레드를 차지하지 못합니다. 0 = 제한 없음.",
        ),
        kind: count(0.0, 10_000.0, 0.0),
        only_with: None,
    },
];

/// The parameters of a connection from a DNS server to one of its targets.
pub const DNS_TARGET_PARAMS: &[ParamSpec] = &[ParamSpec {
    key: "weight",
    label: t("Weight", "가중치"),
    help: t(
        "With weighted answers, the share of users sent here is this weight over the sum of the healthy targets' weights (70 and 30 split 70/30).",
        "가중치 응답일 때 이곳으로 보내는 사용자 비율은 이 가중치 ÷ 정상 대상 가중치의 합입니다(70과 30이면 70/30).",
    ),
    kind: count(0.0, 1_000.0, 1.0),
    only_with: None,
}];

/// The parameters a connection from a `from` node to a `to` node takes
/// (empty for most connections).
pub fn edge_params(from: Kind, to: Kind) -> &'static [ParamSpec] {
    match (from, to) {
        (Kind::WebServer, Kind::Database)
        | (Kind::WebServer, Kind::Cache)
        | (Kind::WebServer, Kind::SessionStore)
        | (Kind::WebServer, Kind::Queue)
        | (Kind::WebServer, Kind::ShardRouter) => CALL_POLICY,
        (Kind::Dns, _) => DNS_TARGET_PARAMS,
        _ => &[],
    }
}
