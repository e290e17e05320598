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
    /// A load balancer spreading requests over web servers.
    LoadBalancer,
    /// A web server with a pool of workers and a bounded request queue.
    WebServer,
    /// A shared session store (Redis-like) that makes web servers stateless.
    SessionStore,
    /// A database server with a pool of connections and a bounded queue.
    Database,
    /// A cache (Redis-like) in front of the database: cache-aside reads.
    Cache,
    /// A content delivery network: edge caches serving static files.
    Cdn,
    /// A message queue holding jobs for workers.
    Queue,
    /// A pool of workers processing jobs from a queue.
    Workers,
    /// A shard router: sends each record's queries to the shard holding it.
    ShardRouter,
    /// Monitoring: scrapes every node's metrics, fires alerts, pages the
    /// on-call engineer and autoscales the web tier.
    Monitoring,
}

/// Where a kind sits in the palette.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Group {
    /// Where traffic enters: users, DNS, load balancers.
    Entry,
    /// Application servers.
    Compute,
    /// Databases and stores.
    Data,
    /// Queues and background workers.
    Async,
    /// Running the system: monitoring, alerts, automation.
    Operations,
    /// Data centers and regions.
    Geography,
}

impl Group {
    /// The group's heading.
    pub fn name(self) -> Text {
        match self {
            Group::Entry => t("Entry", "진입"),
            Group::Compute => t("Compute", "컴퓨팅"),
            Group::Data => t("Data", "데이터"),
            Group::Async => t("Async", "비동기"),
            Group::Operations => t("Operations", "운영"),
            Group::Geography => t("Geography", "지리"),
        }
    }
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
    /// Percent.
    Percent,
    /// Events per second (replication).
    EventsPerSecond,
    /// Kilobytes.
    Kilobytes,
    /// US dollars per gigabyte.
    UsdPerGb,
}

impl Unit {
    /// The short symbol shown after a value ("ms", "req/s").
    pub fn symbol(self) -> &'static str {
        match self {
            Unit::RequestsPerSecond => "req/s",
            Unit::Milliseconds => "ms",
            Unit::Seconds => "s",
            Unit::Percent => "%",
            Unit::EventsPerSecond => "events/s",
            Unit::Kilobytes => "KB",
            Unit::UsdPerGb => "USD/GB",
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
    /// The parameter only matters when another parameter (key) has one of
    /// the given options (value, several separated by `|`); the inspector
    /// hides it otherwise.
    pub only_with: Option<(&'static str, &'static str)>,
}

impl ParamSpec {
    /// The value a design gets when it leaves this parameter out, in the
    /// parameter's unit.
    pub fn default_value(&self) -> crate::design::ParamValue {
        match self.kind {
            ParamKind::Number { default, .. } => crate::design::ParamValue::Number(default),
            ParamKind::Choice { default, .. } => {
                crate::design::ParamValue::Text(default.to_string())
            }
        }
    }
}

/// A component kind as the palette and validator see it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct KindSpec {
    /// Which kind this describes.
    pub kind: Kind,
    /// Palette group.
    pub group: Group,
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
    /// Named sets of parameter values the inspector offers in one click.
    pub presets: &'static [Preset],
}

/// A value a preset gives a parameter.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(untagged)]
pub enum PresetValue {
    /// For a numeric parameter, in its unit.
    Number(f64),
    /// For a choice parameter: the option name.
    Choice(&'static str),
}

/// A named set of parameter values: a typical product of this kind.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Preset {
    /// Name as shown on the button.
    pub name: Text,
    /// What it stands for, shown as the button's help.
    pub help: Text,
    /// The parameters it sets; the others keep their values.
    pub values: &'static [(&'static str, PresetValue)],
}

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

/// An instance size: what vertical scaling picks from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Size {
    /// Name as written in design files (`large`).
    pub name: &'static str,
    /// Virtual CPUs; each runs one request at a time (one worker).
    pub vcpus: u32,
    /// Price of a web-server instance of this size [USD/hour].
    pub price_per_hour: f64,
}

/// Instance sizes, smallest first. The last is the scale-up ceiling; past
/// `large`, price grows faster than capacity, as on real clouds.
pub const SIZES: &[Size] = &[
    Size {
        name: "nano",
        vcpus: 1,
        price_per_hour: 0.0125,
    },
    Size {
        name: "small",
        vcpus: 2,
        price_per_hour: 0.025,
    },
    Size {
        name: "medium",
        vcpus: 4,
        price_per_hour: 0.05,
    },
    Size {
        name: "large",
        vcpus: 8,
        price_per_hour: 0.10,
    },
    Size {
        name: "xlarge",
        vcpus: 16,
        price_per_hour: 0.25,
    },
    Size {
        name: "2xlarge",
        vcpus: 32,
        price_per_hour: 0.65,
    },
    Size {
        name: "4xlarge",
        vcpus: 64,
        price_per_hour: 1.70,
    },
];

const SIZE_NAMES: &[&str] = &[
    "nano", "small", "medium", "large", "xlarge", "2xlarge", "4xlarge",
];
const SIZE_LABELS: &[Text] = &[
    t("nano · 1 vCPU", "nano · vCPU 1개"),
    t("small · 2 vCPU", "small · vCPU 2개"),
    t("medium · 4 vCPU", "medium · vCPU 4개"),
    t("large · 8 vCPU", "large · vCPU 8개"),
    t("xlarge · 16 vCPU", "xlarge · vCPU 16개"),
    t("2xlarge · 32 vCPU", "2xlarge · vCPU 32개"),
    t("4xlarge · 64 vCPU (largest)", "4xlarge · vCPU 64개 (최대)"),
];

/// The size named `name`.
pub fn size(name: &str) -> Option<&'static Size> {
    SIZES.iter().find(|s| s.name == name)
}

/// How much more a managed database instance costs than a web server of the
/// same size.
pub const DATABASE_PRICE_FACTOR: f64 = 2.5;
/// Price of a load balancer [USD/hour].
pub const LOAD_BALANCER_PRICE: f64 = 0.025;
/// Price of a session store node [USD/hour].
pub const SESSION_STORE_PRICE: f64 = 0.05;
/// Price of a cache node [USD/hour], plus [`CACHE_PRICE_PER_MILLION`].
pub const CACHE_PRICE: f64 = 0.05;
/// Price of each million records of cache capacity [USD/hour].
pub const CACHE_PRICE_PER_MILLION: f64 = 0.10;
/// Price of a message queue [USD/hour].
pub const QUEUE_PRICE: f64 = 0.05;
/// Seconds in a month of [`HOURS_PER_MONTH`] [s].
pub const SECONDS_PER_MONTH: f64 = HOURS_PER_MONTH * 3_600.0;
/// Hours in a month, for monthly cost [h].
pub const HOURS_PER_MONTH: f64 = 730.0;

const fn size_param(help: Text, default: &'static str) -> ParamSpec {
    ParamSpec {
        key: "size",
        label: t("Instance size", "인스턴스 크기"),
        help,
        kind: ParamKind::Choice {
            options: SIZE_NAMES,
            labels: SIZE_LABELS,
            default,
        },
        only_with: None,
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

const fn queue_param(help: Text, default: f64) -> ParamSpec {
    ParamSpec {
        key: "queue_capacity",
        label: t("Queue capacity", "대기열 크기"),
        help,
        kind: count(0.0, 100_000.0, default),
        only_with: None,
    }
}

/// The palette's data center: a box that holds the nodes placed in it.
pub const DATA_CENTER_NAME: Text = t("Data center", "데이터 센터");
/// What a data center is, for the palette.
pub const DATA_CENTER_DESCRIPTION: Text = t(
    "A box in a region: the nodes inside it run there; distance between regions costs latency.",
    "지역에 있는 상자: 안에 둔 노드가 그곳에서 돕니다. 지역 사이의 거리는 지연이 됩니다.",
);

/// Geographic regions a data center or a user population can be in.
pub const GEO_REGIONS: &[&str] = &["us-east", "us-west", "eu-west", "ap-seoul"];

/// How regions are shown.
pub const GEO_LABELS: &[Text] = &[
    t("US East (Virginia)", "미국 동부 (버지니아)"),
    t("US West (Oregon)", "미국 서부 (오리건)"),
    t("EU West (Ireland)", "유럽 서부 (아일랜드)"),
    t("Asia Pacific (Seoul)", "아시아 태평양 (서울)"),
];

/// Round-trip times between regions [ms], in the order of [`GEO_REGIONS`]
/// (typical public figures between cloud regions). Two data centers in the
/// same region are 2 ms apart.
pub const GEO_RTT_MS: [[f64; 4]; 4] = [
    [2.0, 65.0, 75.0, 180.0],
    [65.0, 2.0, 135.0, 130.0],
    [75.0, 135.0, 2.0, 240.0],
    [180.0, 130.0, 240.0, 2.0],
];

/// Where a Users node's people are: "local" (next to the site, no extra
/// distance) or a region.
pub const USER_REGIONS: &[&str] = &["local", "us-east", "us-west", "eu-west", "ap-seoul"];

/// DNS answer policies.
pub const DNS_ROUTING: &[&str] = &["random", "nearest", "weighted"];

/// How requests pick records.
pub const KEY_DISTRIBUTIONS: &[&str] = &["zipf", "uniform", "hot_set"];

/// Traffic modes of a Users node.
pub const TRAFFIC_MODES: &[&str] = &["rate", "dau"];

const USERS_PARAMS: &[ParamSpec] = &[
    ParamSpec {
        key: "mode",
        label: t("Traffic given as", "트래픽 지정 방식"),
        help: t(
            "A request rate directly, or daily active users × requests per user per day × peak factor.",
            "요청률을 직접 주거나, 일간 활성 사용자 × 사용자당 하루 요청 수 × 피크 배수로 계산합니다.",
        ),
        kind: ParamKind::Choice {
            options: TRAFFIC_MODES,
            labels: &[
                t("Request rate", "요청률"),
                t("Daily active users", "일간 활성 사용자"),
            ],
            default: "rate",
        },
        only_with: None,
    },
    ParamSpec {
        key: "rate_rps",
        label: t("Request rate", "요청률"),
        help: t(
            "Requests per second sent by all these users together; arrivals are random (Poisson).",
            "이 사용자들이 함께 보내는 초당 요청 수. 도착은 무작위(포아송)입니다.",
        ),
        kind: number(0.1, 1_000_000.0, 50.0, Unit::RequestsPerSecond),
        only_with: Some(("mode", "rate")),
    },
    ParamSpec {
        key: "population",
        label: t("Distinct users", "사용자 수"),
        help: t(
            "How many different users send these requests; each keeps its own DNS cache and login session.",
            "요청을 보내는 서로 다른 사용자 수. 사용자마다 DNS 캐시와 로그인 세션을 따로 가집니다.",
        ),
        kind: count(1.0, 100_000_000.0, 1_000.0),
        only_with: Some(("mode", "rate")),
    },
    ParamSpec {
        key: "dau",
        label: t("Daily active users", "일간 활성 사용자(DAU)"),
        help: t(
            "Users who use the site on a given day.",
            "하루 동안 사이트를 쓰는 사용자 수.",
        ),
        kind: count(1.0, 1_000_000_000.0, 100_000.0),
        only_with: Some(("mode", "dau")),
    },
    ParamSpec {
        key: "requests_per_user_day",
        label: t("Requests per user per day", "사용자당 하루 요청 수"),
        help: t(
            "How many requests one active user sends in a day.",
            "활성 사용자 한 명이 하루에 보내는 요청 수.",
        ),
        kind: number(0.01, 100_000.0, 20.0, Unit::Count),
        only_with: Some(("mode", "dau")),
    },
    ParamSpec {
        key: "peak_factor",
        label: t("Peak factor", "피크 배수"),
        help: t(
            "Peak-hour traffic ÷ the day's average; the simulation runs the peak.",
            "피크 시간 트래픽 ÷ 하루 평균. 시뮬레이션은 피크 시간을 재현합니다.",
        ),
        kind: number(1.0, 50.0, 2.0, Unit::Ratio),
        only_with: Some(("mode", "dau")),
    },
    ParamSpec {
        key: "write_pct",
        label: t("Writes", "쓰기 요청"),
        help: t(
            "Share of requests that change data (posting, ordering); the rest of the dynamic requests are page reads.",
            "데이터를 바꾸는 요청(글쓰기, 주문)의 비율. 나머지 동적 요청은 페이지 읽기입니다.",
        ),
        kind: number(0.0, 100.0, 10.0, Unit::Percent),
        only_with: None,
    },
    ParamSpec {
        key: "static_pct",
        label: t("Static files", "정적 파일"),
        help: t(
            "Share of requests for images, scripts and styles: no login and no database needed.",
            "이미지, 스크립트, 스타일 요청의 비율: 로그인도 데이터베이스도 필요 없습니다.",
        ),
        kind: number(0.0, 100.0, 20.0, Unit::Percent),
        only_with: None,
    },
    ParamSpec {
        key: "keys",
        label: t("Records", "레코드 수"),
        help: t(
            "How many records (user:1, user:2, …) the data set has; every read and write targets one of them.",
            "데이터에 있는 레코드(user:1, user:2, …) 수. 모든 읽기와 쓰기는 이 중 하나를 대상으로 합니다.",
        ),
        kind: count(1.0, 100_000_000.0, 100_000.0),
        only_with: None,
    },
    ParamSpec {
        key: "key_dist",
        label: t("Record popularity", "레코드 인기도 분포"),
        help: t(
            "Which records requests pick: Zipf (a few very popular, a long tail), uniform, or a hot set that gets most of the traffic.",
            "요청이 고르는 레코드: 지프(Zipf, 소수가 매우 인기 있고 긴 꼬리), 균등, 또는 트래픽 대부분을 받는 인기 집합.",
        ),
        kind: ParamKind::Choice {
            options: KEY_DISTRIBUTIONS,
            labels: &[
                t("Zipf", "지프(Zipf)"),
                t("Uniform", "균등"),
                t("Hot set", "인기 집합"),
            ],
            default: "zipf",
        },
        only_with: None,
    },
    ParamSpec {
        key: "zipf_alpha",
        label: t("Zipf exponent α", "지프 지수 α"),
        help: t(
            "How skewed popularity is: the k-th most popular record gets traffic ∝ 1/k^α (0 = uniform; 1 ≈ web pages).",
            "인기도의 치우침: k번째로 인기 있는 레코드의 트래픽 ∝ 1/k^α (0 = 균등, 1 ≈ 웹 페이지).",
        ),
        kind: number(0.0, 3.0, 0.9, Unit::Ratio),
        only_with: Some(("key_dist", "zipf")),
    },
    ParamSpec {
        key: "hot_keys_pct",
        label: t("Hot records", "인기 레코드 비율"),
        help: t(
            "Share of the records that are hot (at least one: a single celebrity).",
            "인기 집합에 속하는 레코드의 비율(최소 하나: 유명인 한 명).",
        ),
        kind: number(0.000_001, 100.0, 1.0, Unit::Percent),
        only_with: Some(("key_dist", "hot_set")),
    },
    ParamSpec {
        key: "hot_traffic_pct",
        label: t("Traffic to hot records", "인기 레코드 트래픽"),
        help: t(
            "Share of requests that go to the hot records; the rest spread over all the others.",
            "인기 레코드로 가는 요청의 비율. 나머지는 다른 레코드에 고르게 퍼집니다.",
        ),
        kind: number(0.0, 100.0, 90.0, Unit::Percent),
        only_with: Some(("key_dist", "hot_set")),
    },
    ParamSpec {
        key: "read_back_pct",
        label: t("Read back after writing", "쓰기 후 다시 읽기"),
        help: t(
            "Share of writes after which the user reloads the page to see what they wrote (an extra page read): the read that read-your-writes protects.",
            "쓰기 후 사용자가 페이지를 새로 고쳐 쓴 내용을 확인하는 비율(추가 페이지 읽기). 자기 쓰기 읽기(read-your-writes)가 보호하는 읽기입니다.",
        ),
        kind: number(0.0, 100.0, 0.0, Unit::Percent),
        only_with: None,
    },
    ParamSpec {
        key: "stale_bound_ms",
        label: t("Allowed staleness", "허용 지연 일관성"),
        help: t(
            "A read older than the newest acknowledged write by more than this counts as incorrect (0 = any stale read does).",
            "가장 최근에 확인된 쓰기보다 이만큼 넘게 뒤처진 읽기는 틀린 답으로 셉니다(0 = 오래된 읽기는 모두).",
        ),
        kind: number(0.0, 3_600_000.0, 0.0, Unit::Milliseconds),
        only_with: None,
    },
    ParamSpec {
        key: "region",
        label: t("Where they are", "사용자 위치"),
        help: t(
            "The users' region: reaching a data center in another region adds half the round trip between them to every hop.",
            "사용자가 있는 지역. 다른 지역의 데이터 센터에 가려면 두 지역 간 왕복 시간의 절반이 매 구간에 더해집니다.",
        ),
        kind: ParamKind::Choice {
            options: USER_REGIONS,
            labels: &[
                t("Next to the site", "사이트 근처"),
                t("US East", "미국 동부"),
                t("US West", "미국 서부"),
                t("EU West", "유럽 서부"),
                t("Seoul", "서울"),
            ],
            default: "local",
        },
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
    ParamSpec {
        key: "timeout_ms",
        label: t("Patience", "대기 한도"),
        help: t(
            "A user gives up on a request that takes longer than this; it counts as a timeout error.",
            "이보다 오래 걸리는 요청은 사용자가 포기합니다. 시간 초과 오류로 셉니다.",
        ),
        kind: number(1.0, 600_000.0, 10_000.0, Unit::Milliseconds),
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
    ParamSpec {
        key: "routing",
        label: t("Answers", "응답 방식"),
        help: t(
            "Random: any target, dead or alive. Nearest (GeoDNS): the healthy target in the data center closest to the user, by health checks. Weighted: healthy targets in proportion to each connection's weight (e.g. 70/30).",
            "무작위: 죽었든 살았든 아무 대상. 가장 가까운 곳(GeoDNS): 헬스 체크로 확인한 정상 대상 중 사용자에게 가장 가까운 데이터 센터. 가중치: 정상 대상에 연결마다 정한 가중치 비율로(예: 70/30).",
        ),
        kind: ParamKind::Choice {
            options: DNS_ROUTING,
            labels: &[
                t("Random", "무작위"),
                t("Nearest healthy (GeoDNS)", "가장 가까운 정상 대상 (GeoDNS)"),
                t("Weighted, healthy only", "가중치, 정상 대상만"),
            ],
            default: "random",
        },
        only_with: None,
    },
    ParamSpec {
        key: "health_interval_s",
        label: t("Health-check interval", "헬스 체크 간격"),
        help: t(
            "How often GeoDNS checks each target; a target fails after 3 missed checks in a row and returns after 2 passed ones.",
            "GeoDNS가 각 대상을 확인하는 주기. 연속 3번 실패하면 빠지고 2번 통과하면 돌아옵니다.",
        ),
        kind: number(0.1, 600.0, 10.0, Unit::Seconds),
        only_with: Some(("routing", "nearest|weighted")),
    },
];

/// Load-balancing algorithms.
pub const LB_ALGORITHMS: &[&str] = &[
    "round_robin",
    "random",
    "least_connections",
    "power_of_two",
    "sticky",
];

const LB_PARAMS: &[ParamSpec] = &[
    ParamSpec {
        key: "algorithm",
        label: t("Algorithm", "분산 방식"),
        help: t(
            "How the next server is chosen. Sticky sends each user to the same server every time.",
            "다음 서버를 고르는 방식. 고정 세션(sticky)은 같은 사용자를 늘 같은 서버로 보냅니다.",
        ),
        kind: ParamKind::Choice {
            options: LB_ALGORITHMS,
            labels: &[
                t("Round robin", "라운드 로빈"),
                t("Random", "무작위"),
                t("Least connections", "최소 연결"),
                t("Power of two choices", "두 개 중 덜 바쁜 쪽"),
                t("Sticky (by user)", "고정 세션 (사용자별)"),
            ],
            default: "round_robin",
        },
        only_with: None,
    },
    ParamSpec {
        key: "health_interval_s",
        label: t("Health-check interval", "헬스 체크 간격"),
        help: t(
            "How often the load balancer probes each server.",
            "로드밸런서가 각 서버를 확인하는 주기.",
        ),
        kind: number(0.1, 600.0, 5.0, Unit::Seconds),
        only_with: None,
    },
    ParamSpec {
        key: "unhealthy_after",
        label: t("Failed checks to remove", "제외까지 실패 횟수"),
        help: t(
            "Consecutive failed checks before a server stops getting traffic; until then a dead server still gets requests.",
            "서버가 트래픽에서 빠지기까지 연속 실패 횟수. 그 전까지는 죽은 서버에도 요청이 갑니다.",
        ),
        kind: count(1.0, 20.0, 3.0),
        only_with: None,
    },
    ParamSpec {
        key: "healthy_after",
        label: t("Passed checks to return", "복귀까지 성공 횟수"),
        help: t(
            "Consecutive passed checks before a removed server gets traffic again.",
            "빠진 서버가 다시 트래픽을 받기까지 연속 성공 횟수.",
        ),
        kind: count(1.0, 20.0, 2.0),
        only_with: None,
    },
];

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

/// Roles of a database node.
pub const DB_ROLES: &[&str] = &["master", "replica"];
/// Replication modes of a master.
pub const REPLICATION_MODES: &[&str] = &["async", "semi_sync", "sync"];
/// How a dead master is replaced.
pub const FAILOVER_MODES: &[&str] = &["auto", "manual"];

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

/// Cache write policies.
pub const WRITE_POLICIES: &[&str] = &["invalidate", "write_through", "none"];
/// Off or on.
pub const OFF_ON: &[&str] = &["off", "on"];

/// A plain on/off switch that starts off.
const SWITCH_OFF: ParamKind = ParamKind::Choice {
    options: OFF_ON,
    labels: &[t("Off", "끔"), t("On", "켬")],
    default: "off",
};

const CACHE_PARAMS: &[ParamSpec] = &[
    ParamSpec {
        key: "capacity",
        label: t("Capacity", "용량"),
        help: t(
            "Records it can hold; when full, one is evicted for each new one.",
            "담을 수 있는 레코드 수. 가득 차면 새 레코드마다 하나를 내보냅니다.",
        ),
        kind: count(1.0, 100_000_000.0, 10_000.0),
        only_with: None,
    },
    ParamSpec {
        key: "eviction",
        label: t("Eviction", "축출 정책"),
        help: t(
            "Which record leaves when full: least recently used, least frequently used, or the oldest.",
            "가득 찼을 때 내보낼 레코드: 가장 오래전에 쓴 것(LRU), 가장 적게 쓴 것(LFU), 가장 먼저 들어온 것(FIFO).",
        ),
        kind: ParamKind::Choice {
            options: crate::cache::EVICTION_POLICIES,
            labels: &[t("LRU", "LRU"), t("LFU", "LFU"), t("FIFO", "FIFO")],
            default: "lru",
        },
        only_with: None,
    },
    ParamSpec {
        key: "ttl_s",
        label: t("Time to live", "만료 시간(TTL)"),
        help: t(
            "A cached record expires this long after it was stored (0 = never).",
            "저장된 레코드는 이 시간이 지나면 만료됩니다(0 = 만료 없음).",
        ),
        kind: number(0.0, 86_400.0, 300.0, Unit::Seconds),
        only_with: None,
    },
    ParamSpec {
        key: "write_policy",
        label: t("On writes", "쓰기 시"),
        help: t(
            "After a write to the database: delete the cached copy, store the new version, or do nothing (stale reads until the TTL).",
            "데이터베이스에 쓴 뒤: 캐시 사본을 지우거나, 새 버전을 저장하거나, 아무것도 하지 않습니다(TTL까지 오래된 읽기).",
        ),
        kind: ParamKind::Choice {
            options: WRITE_POLICIES,
            labels: &[
                t("Invalidate", "무효화"),
                t("Write through", "함께 쓰기(write-through)"),
                t("Nothing", "아무것도 안 함"),
            ],
            default: "invalidate",
        },
        only_with: None,
    },
    ParamSpec {
        key: "coalesce",
        label: t("Request coalescing", "요청 병합"),
        help: t(
            "On a miss, only the first reader goes to the database; others for the same record wait for its answer (prevents stampedes).",
            "미스가 나면 첫 번째 요청만 데이터베이스로 가고, 같은 레코드의 다른 요청은 그 답을 기다립니다(몰림 현상 방지).",
        ),
        kind: SWITCH_OFF,
        only_with: None,
    },
    ParamSpec {
        key: "lease_ms",
        label: t("Fill lease", "채우기 임대 시간"),
        help: t(
            "How long waiting readers trust the first reader to fill the cache before going to the database themselves.",
            "기다리는 요청이 첫 요청의 캐시 채우기를 믿고 기다리는 시간. 지나면 직접 데이터베이스로 갑니다.",
        ),
        kind: number(1.0, 60_000.0, 2_000.0, Unit::Milliseconds),
        only_with: Some(("coalesce", "on")),
    },
    ParamSpec {
        key: "service_ms",
        label: t("Mean command time", "평균 명령 시간"),
        help: t(
            "Mean time per command; the cache serves one at a time, like Redis.",
            "명령 하나의 평균 시간. Redis처럼 한 번에 하나씩 처리합니다.",
        ),
        kind: number(0.001, 1_000.0, 0.1, Unit::Milliseconds),
        only_with: None,
    },
    queue_param(
        t(
            "Commands that may wait; when full, new ones fail (and readers go to the database).",
            "기다릴 수 있는 명령 수. 가득 차면 새 명령은 실패합니다(읽기는 데이터베이스로 갑니다).",
        ),
        10_000.0,
    ),
];

const CDN_PARAMS: &[ParamSpec] = &[
    ParamSpec {
        key: "capacity",
        label: t("Capacity", "용량"),
        help: t(
            "Files the edge can hold; the least recently used leaves when full.",
            "엣지가 담을 수 있는 파일 수. 가득 차면 가장 오래전에 쓴 파일이 나갑니다.",
        ),
        kind: count(1.0, 100_000_000.0, 100_000.0),
        only_with: None,
    },
    ParamSpec {
        key: "ttl_s",
        label: t("Time to live", "만료 시간(TTL)"),
        help: t(
            "A file expires at the edge this long after it was fetched (0 = never).",
            "엣지의 파일은 가져온 뒤 이 시간이 지나면 만료됩니다(0 = 만료 없음).",
        ),
        kind: number(0.0, 31_536_000.0, 86_400.0, Unit::Seconds),
        only_with: None,
    },
    ParamSpec {
        key: "edge_ms",
        label: t("Latency to users", "사용자까지 지연"),
        help: t(
            "One-way delay between a user and the nearest edge.",
            "사용자와 가장 가까운 엣지 사이의 단방향 지연.",
        ),
        kind: number(0.0, 1_000.0, 5.0, Unit::Milliseconds),
        only_with: None,
    },
    ParamSpec {
        key: "origin_ms",
        label: t("Latency to origin", "원본 서버까지 지연"),
        help: t(
            "One-way delay between the edge and the origin it fetches misses from.",
            "엣지와, 미스 때 파일을 가져오는 원본 서버 사이의 단방향 지연.",
        ),
        kind: number(0.0, 1_000.0, 30.0, Unit::Milliseconds),
        only_with: None,
    },
    ParamSpec {
        key: "object_kb",
        label: t("File size", "파일 크기"),
        help: t(
            "Size of one static file, for the traffic bill.",
            "정적 파일 하나의 크기. 전송 요금 계산에 씁니다.",
        ),
        kind: number(0.1, 1_000_000.0, 200.0, Unit::Kilobytes),
        only_with: None,
    },
    ParamSpec {
        key: "price_per_gb",
        label: t("Price per GB", "GB당 가격"),
        help: t(
            "What the CDN charges per gigabyte it serves.",
            "CDN이 전송한 기가바이트당 받는 요금.",
        ),
        kind: number(0.0, 10.0, 0.085, Unit::UsdPerGb),
        only_with: None,
    },
];

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

const ROUTER_PARAMS: &[ParamSpec] = &[
    ParamSpec {
        key: "strategy",
        label: t("Sharding strategy", "샤딩 방식"),
        help: t(
            "How records map to shards: key mod N, equal key ranges, or a hash ring with virtual nodes (adding a shard moves only about 1/(N+1) of the records).",
            "레코드를 샤드에 나누는 방식: 키 mod N, 같은 크기의 키 범위, 또는 가상 노드가 있는 해시 링(샤드를 더해도 레코드의 약 1/(N+1)만 옮겨짐).",
        ),
        kind: ParamKind::Choice {
            options: crate::sharding::STRATEGIES,
            labels: &[
                t("Modulo N", "모듈로 N"),
                t("Key ranges", "키 범위"),
                t("Consistent hashing", "안정 해시"),
            ],
            default: "consistent",
        },
        only_with: None,
    },
    ParamSpec {
        key: "vnodes",
        label: t("Virtual nodes per shard", "샤드당 가상 노드"),
        help: t(
            "Points each shard owns on the hash ring; more points spread records more evenly.",
            "각 샤드가 해시 링에 갖는 점의 수. 많을수록 레코드가 고르게 퍼집니다.",
        ),
        kind: count(1.0, 1_000.0, 100.0),
        only_with: Some(("strategy", "consistent")),
    },
    ParamSpec {
        key: "migrate_keys_per_s",
        label: t("Resharding speed", "재샤딩 속도"),
        help: t(
            "When an edit adds or removes shards while it runs, records that change shard are copied at this rate; until a record has moved, its queries go where it still is.",
            "실행 중 편집으로 샤드를 더하거나 빼면, 샤드가 바뀌는 레코드를 이 속도로 복사합니다. 옮겨지기 전까지 그 레코드의 질의는 원래 샤드로 갑니다.",
        ),
        kind: number(1.0, 10_000_000.0, 1_000.0, Unit::EventsPerSecond),
        only_with: None,
    },
    ParamSpec {
        key: "join_pct",
        label: t("Cross-shard reads", "샤드 간 조인 읽기"),
        help: t(
            "Share of page reads that join records from every shard (a feed of friends who live on other shards).",
            "모든 샤드의 레코드를 조인하는 페이지 읽기 비율(다른 샤드에 있는 친구들의 피드 등).",
        ),
        kind: number(0.0, 100.0, 0.0, Unit::Percent),
        only_with: None,
    },
    ParamSpec {
        key: "joins",
        label: t("Joins", "조인 방식"),
        help: t(
            "Fan out: a joining read queries every shard and answers when the slowest has. Denormalized: each record keeps copies of what it joins, so the read needs one shard, but a write of such a record updates every shard.",
            "팬아웃: 조인 읽기가 모든 샤드에 묻고 가장 느린 샤드가 답하면 끝납니다. 비정규화: 레코드가 조인할 내용의 사본을 가지고 있어 읽기는 샤드 하나면 되지만, 그런 레코드의 쓰기는 모든 샤드를 고칩니다.",
        ),
        kind: ParamKind::Choice {
            options: JOIN_MODES,
            labels: &[t("Fan out", "팬아웃"), t("Denormalized", "비정규화")],
            default: "fan_out",
        },
        only_with: None,
    },
];

/// How a shard router answers cross-shard reads.
pub const JOIN_MODES: &[&str] = &["fan_out", "denormalized"];

/// Every component kind, in palette order.
pub const CATALOG: &[KindSpec] = &[
    KindSpec {
        kind: Kind::Users,
        group: Group::Entry,
        id_prefix: "users",
        name: t("Users", "사용자"),
        description: t(
            "People using the site: the source of requests.",
            "사이트를 쓰는 사람들: 요청의 출발점.",
        ),
        connects_to: &[Kind::Dns, Kind::LoadBalancer, Kind::WebServer, Kind::Cdn],
        params: USERS_PARAMS,
        presets: &[],
    },
    KindSpec {
        kind: Kind::Dns,
        group: Group::Entry,
        id_prefix: "dns",
        name: t("DNS", "DNS"),
        description: t(
            "Turns the site's name into an address; answers are cached for the TTL.",
            "도메인 이름을 주소로 바꿉니다. 답은 TTL 동안 캐시됩니다.",
        ),
        connects_to: &[Kind::LoadBalancer, Kind::WebServer],
        params: DNS_PARAMS,
        presets: &[],
    },
    KindSpec {
        kind: Kind::LoadBalancer,
        group: Group::Entry,
        id_prefix: "lb",
        name: t("Load balancer", "로드밸런서"),
        description: t(
            "Spreads requests over web servers and stops using ones that fail health checks.",
            "요청을 웹 서버들에 나누고, 헬스 체크에 실패한 서버는 빼냅니다.",
        ),
        connects_to: &[Kind::WebServer],
        params: LB_PARAMS,
        presets: &[],
    },
    KindSpec {
        kind: Kind::Cdn,
        group: Group::Entry,
        id_prefix: "cdn",
        name: t("CDN", "CDN"),
        description: t(
            "Edge caches near users that serve static files, fetching misses from the origin.",
            "사용자 가까이에서 정적 파일을 제공하는 엣지 캐시. 미스면 원본 서버에서 가져옵니다.",
        ),
        connects_to: &[Kind::LoadBalancer, Kind::WebServer],
        params: CDN_PARAMS,
        presets: &[],
    },
    KindSpec {
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
        params: WEB_PARAMS,
        presets: &[],
    },
    KindSpec {
        kind: Kind::SessionStore,
        group: Group::Data,
        id_prefix: "sessions",
        name: t("Session store", "세션 저장소"),
        description: t(
            "Keeps login sessions outside the web servers, so any server can serve any user.",
            "로그인 세션을 웹 서버 밖에 두어 어느 서버든 어느 사용자든 처리할 수 있게 합니다.",
        ),
        connects_to: &[],
        params: SESSION_STORE_PARAMS,
        presets: &[],
    },
    KindSpec {
        kind: Kind::Database,
        group: Group::Data,
        id_prefix: "db",
        name: t("Database", "데이터베이스"),
        description: t(
            "Stores the records; a master takes writes and replicates them to its replicas, which serve reads.",
            "레코드를 저장합니다. 마스터는 쓰기를 받아 복제본에 복제하고, 복제본은 읽기를 처리합니다.",
        ),
        connects_to: &[Kind::Database],
        params: DB_PARAMS,
        presets: DB_PRESETS,
    },
    KindSpec {
        kind: Kind::ShardRouter,
        group: Group::Data,
        id_prefix: "router",
        name: t("Shard router", "샤드 라우터"),
        description: t(
            "Splits the records between several master databases (shards) by the user's key.",
            "사용자 키에 따라 레코드를 여러 마스터 데이터베이스(샤드)에 나눕니다.",
        ),
        connects_to: &[Kind::Database],
        params: ROUTER_PARAMS,
        presets: &[],
    },
    KindSpec {
        kind: Kind::Cache,
        group: Group::Data,
        id_prefix: "cache",
        name: t("Cache", "캐시"),
        description: t(
            "Keeps popular records in memory: reads try it first and fill it from the database on a miss.",
            "인기 있는 레코드를 메모리에 둡니다. 읽기는 먼저 여기를 보고, 미스면 데이터베이스에서 채웁니다.",
        ),
        connects_to: &[],
        params: CACHE_PARAMS,
        presets: &[],
    },
    KindSpec {
        kind: Kind::Queue,
        group: Group::Async,
        id_prefix: "queue",
        name: t("Message queue", "메시지 큐"),
        description: t(
            "Holds slow jobs handed off by web servers until a worker takes them; redelivers what is not acknowledged.",
            "웹 서버가 넘긴 느린 작업을 워커가 가져갈 때까지 보관하고, 확인되지 않은 작업은 다시 전달합니다.",
        ),
        connects_to: &[Kind::Workers],
        params: QUEUE_PARAMS,
        presets: &[],
    },
    KindSpec {
        kind: Kind::Workers,
        group: Group::Async,
        id_prefix: "workers",
        name: t("Workers", "워커"),
        description: t(
            "A pool of machines that take jobs from a queue, do them, and acknowledge them.",
            "큐에서 작업을 가져와 처리하고 확인하는 머신들의 풀.",
        ),
        connects_to: &[],
        params: WORKERS_PARAMS,
        presets: &[],
    },
    KindSpec {
        kind: Kind::Monitoring,
        group: Group::Operations,
        id_prefix: "monitor",
        name: t("Monitoring", "모니터링"),
        description: t(
            "Scrapes every node's metrics, fires alerts, pages the on-call engineer and can autoscale the web tier. Needs no connections.",
            "모든 노드의 지표를 수집하고, 경보를 울리고, 당번 엔지니어를 호출하며, 웹 계층을 자동 확장할 수 있습니다. 연결이 필요 없습니다.",
        ),
        connects_to: &[],
        params: MONITORING_PARAMS,
        presets: &[],
    },
];

/// What a monitoring node costs [USD/hour].
pub const MONITORING_PRICE: f64 = 0.10;

const MONITORING_PARAMS: &[ParamSpec] = &[
    ParamSpec {
        key: "scrape_interval_s",
        label: t("Scrape interval", "수집 간격"),
        help: t(
            "How often it collects every node's metrics; between scrapes it sees nothing new.",
            "모든 노드의 지표를 모으는 주기. 그 사이에는 새로 보이는 것이 없습니다.",
        ),
        kind: number(1.0, 300.0, 15.0, Unit::Seconds),
        only_with: None,
    },
    ParamSpec {
        key: "alert_for_s",
        label: t("Alert after", "경보 지연"),
        help: t(
            "A rule must hold at the scrapes of this long before its alert fires (filters blips).",
            "규칙이 이만큼의 수집 동안 계속 참이어야 경보가 울립니다(잠깐의 튐을 거릅니다).",
        ),
        kind: number(0.0, 3_600.0, 30.0, Unit::Seconds),
        only_with: None,
    },
    ParamSpec {
        key: "alert_error_pct",
        label: t("Error-rate alert", "오류율 경보"),
        help: t(
            "Fires when this share of the requests since the last scrape failed.",
            "지난 수집 이후 요청 중 이 비율 이상이 실패하면 울립니다.",
        ),
        kind: number(0.1, 100.0, 5.0, Unit::Percent),
        only_with: None,
    },
    ParamSpec {
        key: "alert_p95_ms",
        label: t("Latency alert (p95)", "지연 경보(p95)"),
        help: t(
            "Fires when the 95th-percentile latency since the last scrape is above this.",
            "지난 수집 이후 95번째 백분위 지연이 이보다 크면 울립니다.",
        ),
        kind: number(1.0, 600_000.0, 1_000.0, Unit::Milliseconds),
        only_with: None,
    },
    ParamSpec {
        key: "on_call",
        label: t("On-call engineer", "당번 엔지니어"),
        help: t(
            "Paged when a node is down: after the response time they restart it, and fail a dead master over to its best replica.",
            "노드가 죽으면 호출됩니다. 대응 시간 뒤 노드를 재시작하고, 죽은 마스터는 가장 앞선 복제본으로 장애 조치합니다.",
        ),
        kind: ParamKind::Choice {
            options: OFF_ON,
            labels: &[t("Nobody", "없음"), t("Paged", "호출")],
            default: "on",
        },
        only_with: None,
    },
    ParamSpec {
        key: "response_s",
        label: t("Response time", "대응 시간"),
        help: t(
            "From the page to the engineer's fix: waking up, logging in, finding the node.",
            "호출에서 조치까지: 일어나서, 접속하고, 노드를 찾는 시간.",
        ),
        kind: number(0.0, 86_400.0, 300.0, Unit::Seconds),
        only_with: Some(("on_call", "on")),
    },
    ParamSpec {
        key: "slo_pct",
        label: t("Availability objective", "가용성 목표(SLO)"),
        help: t(
            "The share of requests that should succeed; the failures it allows are the error budget.",
            "성공해야 하는 요청 비율. 이 목표가 허용하는 실패가 오류 예산입니다.",
        ),
        kind: number(50.0, 99.999, 99.9, Unit::Percent),
        only_with: None,
    },
    ParamSpec {
        key: "autoscale",
        label: t("Autoscale web tier", "웹 계층 자동 확장"),
        help: t(
            "Adds web servers behind each load balancer when their busy share at a scrape is above the target, removes added ones when it is well below.",
            "수집 때 웹 서버들의 사용률이 목표보다 높으면 로드밸런서 뒤에 서버를 더하고, 한참 낮으면 더한 서버를 뺍니다.",
        ),
        kind: SWITCH_OFF,
        only_with: None,
    },
    ParamSpec {
        key: "target_busy_pct",
        label: t("Target busy share", "목표 사용률"),
        help: t(
            "The web servers' busy share the autoscaler steers to: servers = ⌈servers × busy ÷ target⌉.",
            "자동 확장이 맞추려는 웹 서버 사용률: 서버 수 = ⌈서버 수 × 사용률 ÷ 목표⌉.",
        ),
        kind: number(10.0, 95.0, 60.0, Unit::Percent),
        only_with: Some(("autoscale", "on")),
    },
    ParamSpec {
        key: "max_servers",
        label: t("Most servers", "최대 서버 수"),
        help: t(
            "The autoscaler never runs more web servers than this behind one load balancer.",
            "로드밸런서 하나 뒤에 이보다 많은 웹 서버를 두지 않습니다.",
        ),
        kind: count(1.0, 200.0, 10.0),
        only_with: Some(("autoscale", "on")),
    },
    ParamSpec {
        key: "boot_s",
        label: t("Boot time", "부팅 시간"),
        help: t(
            "A new web server starts taking traffic this long after the autoscaler asks for it (and costs money from the start).",
            "새 웹 서버는 요청 후 이만큼 지나야 트래픽을 받습니다(비용은 처음부터 듭니다).",
        ),
        kind: number(0.0, 3_600.0, 60.0, Unit::Seconds),
        only_with: Some(("autoscale", "on")),
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
    /// Every kind, in catalog order.
    pub const ALL: [Kind; 12] = [
        Kind::Users,
        Kind::Dns,
        Kind::LoadBalancer,
        Kind::Cdn,
        Kind::WebServer,
        Kind::SessionStore,
        Kind::Database,
        Kind::ShardRouter,
        Kind::Cache,
        Kind::Queue,
        Kind::Workers,
        Kind::Monitoring,
    ];

    /// This kind's place in [`Kind::ALL`] and in [`CATALOG`]. The match is
    /// exhaustive, so adding a kind makes the compiler ask for its place: a
    /// reminder to add it to both, and a test checks that they agree.
    pub const fn position(self) -> usize {
        match self {
            Kind::Users => 0,
            Kind::Dns => 1,
            Kind::LoadBalancer => 2,
            Kind::Cdn => 3,
            Kind::WebServer => 4,
            Kind::SessionStore => 5,
            Kind::Database => 6,
            Kind::ShardRouter => 7,
            Kind::Cache => 8,
            Kind::Queue => 9,
            Kind::Workers => 10,
            Kind::Monitoring => 11,
        }
    }

    /// The catalog entry of this kind.
    pub fn spec(self) -> &'static KindSpec {
        spec(self)
    }

    /// The kind's name as written in design files (`web_server`).
    pub fn key(self) -> &'static str {
        match self {
            Kind::Users => "users",
            Kind::Dns => "dns",
            Kind::LoadBalancer => "load_balancer",
            Kind::WebServer => "web_server",
            Kind::SessionStore => "session_store",
            Kind::Database => "database",
            Kind::Cache => "cache",
            Kind::Cdn => "cdn",
            Kind::Queue => "queue",
            Kind::Workers => "workers",
            Kind::ShardRouter => "shard_router",
            Kind::Monitoring => "monitoring",
        }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_match_their_names_and_price_grows_faster_than_capacity_at_the_top() {
        assert_eq!(SIZES.len(), SIZE_NAMES.len());
        assert_eq!(SIZES.len(), SIZE_LABELS.len());
        for (s, n) in SIZES.iter().zip(SIZE_NAMES) {
            assert_eq!(s.name, *n);
        }
        let per_cpu = |s: &Size| s.price_per_hour / f64::from(s.vcpus);
        let (large, top) = (size("large").unwrap(), SIZES.last().unwrap());
        assert!(per_cpu(top) > 2.0 * per_cpu(large));
        assert!(SIZES.windows(2).all(|w| w[0].vcpus < w[1].vcpus));
    }

    #[test]
    fn every_preset_sets_valid_values_of_its_kind() {
        use crate::design::{ParamValue, check_param};
        for spec in CATALOG {
            for preset in spec.presets {
                assert!(!preset.name.ko.is_empty() && !preset.help.ko.is_empty());
                for (key, value) in preset.values {
                    let p = spec
                        .params
                        .iter()
                        .find(|p| p.key == *key)
                        .unwrap_or_else(|| panic!("{key} is not a parameter"));
                    let value = match value {
                        PresetValue::Number(v) => ParamValue::Number(*v),
                        PresetValue::Choice(c) => ParamValue::Text((*c).to_string()),
                    };
                    assert!(check_param(p, &value).is_ok(), "{key}");
                }
            }
        }
        assert_eq!(Kind::Database.spec().presets.len(), 2);
    }

    #[test]
    fn each_palette_group_is_one_run_of_the_catalog() {
        let mut seen = Vec::new();
        for w in CATALOG.windows(2) {
            if w[0].group != w[1].group {
                seen.push(w[0].group);
                assert!(
                    !seen.contains(&w[1].group),
                    "{:?} appears twice",
                    w[1].group
                );
            }
        }
    }

    #[test]
    fn keys_are_the_names_design_files_use() {
        for spec in CATALOG {
            let json = serde_json::to_string(&spec.kind).unwrap();
            assert_eq!(json, format!("\"{}\"", spec.kind.key()));
        }
    }

    #[test]
    fn every_kind_has_one_entry_with_sane_params() {
        for kind in [
            Kind::Users,
            Kind::Dns,
            Kind::LoadBalancer,
            Kind::WebServer,
            Kind::SessionStore,
            Kind::Database,
            Kind::Cache,
            Kind::Cdn,
            Kind::Queue,
            Kind::Workers,
            Kind::ShardRouter,
            Kind::Monitoring,
        ] {
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

    #[test]
    fn every_kind_is_listed_once_in_all_and_in_the_catalog() {
        for (i, k) in Kind::ALL.iter().enumerate() {
            assert_eq!(k.position(), i, "{k:?} out of place in Kind::ALL");
            assert_eq!(CATALOG[i].kind, *k, "the catalog follows Kind::ALL");
        }
        assert_eq!(CATALOG.len(), Kind::ALL.len());
    }
}
