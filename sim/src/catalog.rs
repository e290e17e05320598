//! The component catalog: every kind of node with its parameters.
//!
//! The editor renders its palette and inspector from this data, and the
//! validator checks design documents against it, so a parameter's name, unit,
//! range, default and help text are written down exactly once.

use serde::{Deserialize, Serialize};

/// The kind of a node on the canvas.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// A population of users sending requests: the entry of traffic.
    Users,
    /// A DNS server that resolves the site's name to its entry point.
    Dns,
    /// A web server with a pool of workers and a bounded request queue.
    WebServer,
    /// A database server with a pool of connections and a bounded queue.
    Database,
}

/// Text in every language the app speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Text {
    /// English.
    pub en: &'static str,
    /// Korean.
    pub ko: &'static str,
}

/// The unit a numeric parameter is expressed in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// Requests per second.
    RequestsPerSecond,
    /// Milliseconds.
    Milliseconds,
    /// Seconds.
    Seconds,
    /// A plain count (workers, users, queue slots).
    Count,
    /// A dimensionless ratio.
    Ratio,
}

impl Unit {
    /// The short symbol shown after a value ("ms", "req/s").
    pub fn symbol(self) -> &'static str {
        match self {
            Unit::RequestsPerSecond => "req/s",
            Unit::Milliseconds => "ms",
            Unit::Seconds => "s",
            Unit::Count | Unit::Ratio => "",
        }
    }
}

/// What values a parameter takes.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ParamKind {
    /// A number within `min..=max`; `integer` numbers must be whole.
    Number {
        /// Smallest accepted value, in the parameter's unit.
        min: f64,
        /// Largest accepted value, in the parameter's unit.
        max: f64,
        /// Value used when a design leaves the parameter out.
        default: f64,
        /// Whether only whole numbers are accepted.
        integer: bool,
        /// The unit of `min`, `max`, `default` and values.
        unit: Unit,
    },
    /// One of a fixed set of named options.
    Choice {
        /// The accepted option names, as written in design files.
        options: &'static [&'static str],
        /// How each option is shown, in the order of `options`.
        labels: &'static [Text],
        /// Option used when a design leaves the parameter out.
        default: &'static str,
    },
}

/// One parameter of a component kind.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ParamSpec {
    /// The key used in design files, e.g. `workers`.
    pub key: &'static str,
    /// The label shown in the inspector.
    pub label: Text,
    /// One line of help shown beside the field.
    pub help: Text,
    /// Accepted values.
    pub kind: ParamKind,
    /// The parameter only matters when another parameter (key) has a given
    /// option (value); the inspector hides it otherwise.
    pub only_with: Option<(&'static str, &'static str)>,
}

/// A component kind as the palette and validator see it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct KindSpec {
    /// Which kind this describes.
    pub kind: Kind,
    /// Prefix of generated node ids (`web` → `web-1`).
    pub id_prefix: &'static str,
    /// Display name.
    pub name: Text,
    /// One-line description for the palette.
    pub description: Text,
    /// Kinds this kind may send requests to (outgoing edges).
    pub connects_to: &'static [Kind],
    /// Parameters, in the order the inspector shows them.
    pub params: &'static [ParamSpec],
}

const fn t(en: &'static str, ko: &'static str) -> Text {
    Text { en, ko }
}

const fn number(min: f64, max: f64, default: f64, unit: Unit) -> ParamKind {
    ParamKind::Number {
        min,
        max,
        default,
        integer: false,
        unit,
    }
}

const fn count(min: f64, max: f64, default: f64) -> ParamKind {
    ParamKind::Number {
        min,
        max,
        default,
        integer: true,
        unit: Unit::Count,
    }
}

/// Service-time distributions a server can use.
pub const SERVICE_DISTRIBUTIONS: &[&str] = &["exponential", "constant", "lognormal"];

const SERVICE_DIST: ParamSpec = ParamSpec {
    key: "service_dist",
    label: t("Service-time distribution", "처리 시간 분포"),
    help: t(
        "How request processing times vary around the mean: exponential (memoryless), constant, or log-normal (long tail).",
        "처리 시간이 평균을 중심으로 어떻게 흩어지는지: 지수 분포(무기억성), 고정값, 로그 정규 분포(긴 꼬리).",
    ),
    kind: ParamKind::Choice {
        options: SERVICE_DISTRIBUTIONS,
        labels: &[
            t("Exponential", "지수 분포"),
            t("Constant", "고정값"),
            t("Log-normal", "로그 정규 분포"),
        ],
        default: "exponential",
    },
    only_with: None,
};

const SERVICE_CV: ParamSpec = ParamSpec {
    key: "service_cv",
    label: t("Variability (log-normal)", "변동 계수 (로그 정규)"),
    help: t(
        "Coefficient of variation (standard deviation ÷ mean) of a log-normal service time.",
        "로그 정규 처리 시간의 변동 계수(표준편차 ÷ 평균).",
    ),
    kind: number(0.0, 10.0, 1.0, Unit::Ratio),
    only_with: Some(("service_dist", "lognormal")),
};

const USERS_PARAMS: &[ParamSpec] = &[
    ParamSpec {
        key: "rate_rps",
        label: t("Request rate", "요청률"),
        help: t(
            "Requests per second sent by all these users together; arrivals are random (Poisson).",
            "이 사용자들이 함께 보내는 초당 요청 수. 도착은 무작위(포아송)입니다.",
        ),
        kind: number(0.1, 1_000_000.0, 50.0, Unit::RequestsPerSecond),
        only_with: None,
    },
    ParamSpec {
        key: "population",
        label: t("Distinct users", "사용자 수"),
        help: t(
            "How many different users send these requests; each keeps its own DNS cache.",
            "요청을 보내는 서로 다른 사용자 수. 사용자마다 DNS 캐시를 따로 가집니다.",
        ),
        kind: count(1.0, 1_000_000.0, 1_000.0),
        only_with: None,
    },
    ParamSpec {
        key: "network_ms",
        label: t("Internet latency", "인터넷 지연"),
        help: t(
            "One-way network delay between a user and the site.",
            "사용자와 사이트 사이의 단방향 네트워크 지연.",
        ),
        kind: number(0.0, 1_000.0, 25.0, Unit::Milliseconds),
        only_with: None,
    },
];

const DNS_PARAMS: &[ParamSpec] = &[
    ParamSpec {
        key: "lookup_ms",
        label: t("Lookup time", "조회 시간"),
        help: t(
            "Time the DNS server takes to answer one lookup.",
            "DNS 서버가 조회 한 건에 답하는 데 걸리는 시간.",
        ),
        kind: number(0.0, 5_000.0, 20.0, Unit::Milliseconds),
        only_with: None,
    },
    ParamSpec {
        key: "ttl_s",
        label: t("Record TTL", "레코드 TTL"),
        help: t(
            "How long a user's browser keeps the answer before asking again.",
            "사용자 브라우저가 답을 보관했다가 다시 묻기까지의 시간.",
        ),
        kind: number(0.0, 86_400.0, 300.0, Unit::Seconds),
        only_with: None,
    },
];

const WEB_PARAMS: &[ParamSpec] = &[
    ParamSpec {
        key: "workers",
        label: t("Workers", "워커 수"),
        help: t(
            "Requests processed at the same time; a worker stays busy while it waits for the database.",
            "동시에 처리하는 요청 수. 데이터베이스 응답을 기다리는 동안에도 워커는 점유됩니다.",
        ),
        kind: count(1.0, 512.0, 8.0),
        only_with: None,
    },
    ParamSpec {
        key: "queue_capacity",
        label: t("Queue capacity", "대기열 크기"),
        help: t(
            "Requests that may wait for a free worker; when full, new requests are rejected as errors.",
            "빈 워커를 기다릴 수 있는 요청 수. 가득 차면 새 요청은 오류로 거절됩니다.",
        ),
        kind: count(0.0, 100_000.0, 100.0),
        only_with: None,
    },
    ParamSpec {
        key: "service_ms",
        label: t("Mean service time", "평균 처리 시간"),
        help: t(
            "Mean CPU time one request takes on one worker.",
            "요청 하나가 워커 하나에서 쓰는 평균 처리 시간.",
        ),
        kind: number(0.01, 60_000.0, 10.0, Unit::Milliseconds),
        only_with: None,
    },
    SERVICE_DIST,
    SERVICE_CV,
];

const DB_PARAMS: &[ParamSpec] = &[
    ParamSpec {
        key: "connections",
        label: t("Connections", "커넥션 수"),
        help: t(
            "Queries executed at the same time.",
            "동시에 실행되는 쿼리 수.",
        ),
        kind: count(1.0, 1_024.0, 16.0),
        only_with: None,
    },
    ParamSpec {
        key: "queue_capacity",
        label: t("Queue capacity", "대기열 크기"),
        help: t(
            "Queries that may wait for a free connection; when full, new queries fail.",
            "빈 커넥션을 기다릴 수 있는 쿼리 수. 가득 차면 새 쿼리는 실패합니다.",
        ),
        kind: count(0.0, 100_000.0, 200.0),
        only_with: None,
    },
    ParamSpec {
        key: "service_ms",
        label: t("Mean query time", "평균 쿼리 시간"),
        help: t(
            "Mean time one query takes on one connection.",
            "쿼리 하나가 커넥션 하나에서 걸리는 평균 시간.",
        ),
        kind: number(0.01, 60_000.0, 5.0, Unit::Milliseconds),
        only_with: None,
    },
    SERVICE_DIST,
    SERVICE_CV,
];

/// Every component kind, in palette order.
pub const CATALOG: &[KindSpec] = &[
    KindSpec {
        kind: Kind::Users,
        id_prefix: "users",
        name: t("Users", "사용자"),
        description: t(
            "People using the site: the source of requests.",
            "사이트를 쓰는 사람들: 요청의 출발점.",
        ),
        connects_to: &[Kind::Dns, Kind::WebServer],
        params: USERS_PARAMS,
    },
    KindSpec {
        kind: Kind::Dns,
        id_prefix: "dns",
        name: t("DNS", "DNS"),
        description: t(
            "Turns the site's name into an address; answers are cached for the TTL.",
            "도메인 이름을 주소로 바꿉니다. 답은 TTL 동안 캐시됩니다.",
        ),
        connects_to: &[Kind::WebServer],
        params: DNS_PARAMS,
    },
    KindSpec {
        kind: Kind::WebServer,
        id_prefix: "web",
        name: t("Web server", "웹 서버"),
        description: t(
            "Runs the application: workers, a queue, and calls to the database.",
            "애플리케이션을 실행합니다: 워커, 대기열, 데이터베이스 호출.",
        ),
        connects_to: &[Kind::Database],
        params: WEB_PARAMS,
    },
    KindSpec {
        kind: Kind::Database,
        id_prefix: "db",
        name: t("Database", "데이터베이스"),
        description: t(
            "Stores the data; every page request runs one query here.",
            "데이터를 저장합니다. 페이지 요청마다 여기서 쿼리 하나를 실행합니다.",
        ),
        connects_to: &[],
        params: DB_PARAMS,
    },
];

/// The catalog entry of `kind`.
pub fn spec(kind: Kind) -> &'static KindSpec {
    CATALOG
        .iter()
        .find(|s| s.kind == kind)
        .expect("every Kind has a catalog entry (checked by a test)")
}

impl Kind {
    /// The catalog entry of this kind.
    pub fn spec(self) -> &'static KindSpec {
        spec(self)
    }

    /// Whether nodes of this kind send requests onward (and so have a port).
    pub fn has_output(self) -> bool {
        !self.spec().connects_to.is_empty()
    }

    /// Whether a node of this kind may send requests to a node of `to`'s kind.
    pub fn can_connect_to(self, to: Kind) -> bool {
        self.spec().connects_to.contains(&to)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_one_entry_with_sane_params() {
        for kind in [Kind::Users, Kind::Dns, Kind::WebServer, Kind::Database] {
            assert_eq!(CATALOG.iter().filter(|s| s.kind == kind).count(), 1);
            for p in kind.spec().params {
                assert!(
                    !p.label.en.is_empty() && !p.label.ko.is_empty(),
                    "{}",
                    p.key
                );
                assert!(!p.help.en.is_empty() && !p.help.ko.is_empty(), "{}", p.key);
                match p.kind {
                    ParamKind::Number {
                        min, max, default, ..
                    } => assert!(min <= default && default <= max, "{}", p.key),
                    ParamKind::Choice {
                        options,
                        default,
                        labels,
                    } => {
                        assert!(options.contains(&default), "{}", p.key);
                        assert_eq!(options.len(), labels.len(), "{}", p.key);
                    }
                }
            }
        }
    }
}
