//! The component catalog: every kind of node with its parameters.
//!
//! The editor renders its palette and inspector from this data, and the
//! validator checks design documents against it, so a parameter's name, unit,
//! range, default and help text are written down exactly once.

mod connections;

pub use crate::model::{CATALOG, Kind};

pub use connections::{CALL_POLICY, DNS_TARGET_PARAMS, JITTERS, edge_params};

use serde::Serialize;

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
    /// Kinds that may send requests to this kind besides those whose own
    /// `connects_to` names it: a new kind puts itself in front of existing
    /// ones (`called_by: &[Kind::Users]`) without editing their entries.
    pub called_by: &'static [Kind],
    /// Whether a node of this kind must send requests on: without a
    /// connection out it is an error (users, DNS, CDNs, shard routers).
    pub needs_target: bool,
    /// Parameters, in the order the inspector shows them.
    pub params: &'static [ParamSpec],
    /// Named sets of parameter values the inspector offers in one click.
    pub presets: &'static [Preset],
    /// Whether a node of this kind runs inside a data center (servers),
    /// rather than being a service reachable from everywhere (users, DNS,
    /// CDN edges, monitoring).
    pub in_datacenter: bool,
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

pub(crate) const fn t(en: &'static str, ko: &'static str) -> Text {
    Text { en, ko }
}

pub(crate) const fn number(min: f64, max: f64, default: f64, unit: Unit) -> ParamKind {
    ParamKind::Number {
        min,
        max,
        default,
        integer: false,
        unit,
    }
}

pub(crate) const fn count(min: f64, max: f64, default: f64) -> ParamKind {
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

pub(crate) const fn size_param(help: Text, default: &'static str) -> ParamSpec {
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

pub(crate) const SERVICE_DIST: ParamSpec = ParamSpec {
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

pub(crate) const SERVICE_CV: ParamSpec = ParamSpec {
    key: "service_cv",
    label: t("Variability (log-normal)", "변동 계수 (로그 정규)"),
    help: t(
        "Coefficient of variation (standard deviation ÷ mean) of a log-normal service time.",
        "로그 정규 처리 시간의 변동 계수(표준편차 ÷ 평균).",
    ),
    kind: number(0.0, 10.0, 1.0, Unit::Ratio),
    only_with: Some(("service_dist", "lognormal")),
};

pub(crate) const fn queue_param(help: Text, default: f64) -> ParamSpec {
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

/// Load-balancing algorithms.
pub const LB_ALGORITHMS: &[&str] = &[
    "round_robin",
    "random",
    "least_connections",
    "power_of_two",
    "sticky",
];

/// Roles of a database node.
pub const DB_ROLES: &[&str] = &["master", "replica"];
/// Replication modes of a master.
pub const REPLICATION_MODES: &[&str] = &["async", "semi_sync", "sync"];
/// How a dead master is replaced.
pub const FAILOVER_MODES: &[&str] = &["auto", "manual"];

/// Cache write policies.
pub const WRITE_POLICIES: &[&str] = &["invalidate", "write_through", "none"];
/// Off or on.
pub const OFF_ON: &[&str] = &["off", "on"];

/// A plain on/off switch that starts off.
pub(crate) const SWITCH_OFF: ParamKind = ParamKind::Choice {
    options: OFF_ON,
    labels: &[t("Off", "끔"), t("On", "켬")],
    default: "off",
};

/// How a shard router answers cross-shard reads.
pub const JOIN_MODES: &[&str] = &["fan_out", "denormalized"];

/// What a monitoring node costs [USD/hour].
pub const MONITORING_PRICE: f64 = 0.10;

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
        self.spec().connects_to.contains(&to) || to.spec().called_by.contains(&self)
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
        for kind in Kind::ALL {
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
