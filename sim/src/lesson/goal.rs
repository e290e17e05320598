//! Goals: a figure over a window, at most or at least a threshold, and
//! how each figure is measured from a window's snapshot.

use crate::catalog::{Kind, Text};
use crate::model::{ErrorCause, Snapshot};
use crate::time::to_secs;
use serde::{Deserialize, Serialize};

/// A figure a goal checks, measured over the goal's window.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// Share of answered requests that failed [%].
    ErrorRatePct,
    /// Share of one-second intervals in which the service was up [%].
    UptimePct,
    /// Median latency of successful requests [ms].
    P50Ms,
    /// 95th-percentile latency of successful requests [ms].
    P95Ms,
    /// 99th-percentile latency of successful requests [ms].
    P99Ms,
    /// 95th-percentile latency of successful page reads [ms].
    ReadP95Ms,
    /// 95th-percentile latency of successful writes [ms].
    WriteP95Ms,
    /// Successful answers per second [req/s].
    ThroughputRps,
    /// Acknowledged writes lost (in failovers) [count].
    LostWrites,
    /// Users logged out because their session was gone [count].
    LoggedOut,
    /// Share of successful reads that returned an older version than the
    /// newest acknowledged one [%].
    StaleReadPct,
    /// What the design costs, the most it cost in the window [USD/month].
    CostPerMonth,
    /// Share of cache lookups that hit [%].
    CacheHitPct,
    /// Busy share of the busiest database [%].
    MaxDbBusyPct,
    /// Busy share of the busiest web server [%].
    MaxWebBusyPct,
    /// Jobs lost in a queue crash or dead-lettered [count].
    JobsLost,
    /// Jobs waiting in queues at the window's end [count].
    JobBacklog,
    /// Mean time from a crash to the monitoring alert about it [s].
    DetectS,
    /// Time the latest resharding took to move its records [s].
    ReshardS,
}

impl Metric {
    /// Every metric, in the order the docs list them.
    pub const ALL: [Metric; 19] = [
        Metric::ErrorRatePct,
        Metric::UptimePct,
        Metric::P50Ms,
        Metric::P95Ms,
        Metric::P99Ms,
        Metric::ReadP95Ms,
        Metric::WriteP95Ms,
        Metric::ThroughputRps,
        Metric::LostWrites,
        Metric::LoggedOut,
        Metric::StaleReadPct,
        Metric::CostPerMonth,
        Metric::CacheHitPct,
        Metric::MaxDbBusyPct,
        Metric::MaxWebBusyPct,
        Metric::JobsLost,
        Metric::JobBacklog,
        Metric::DetectS,
        Metric::ReshardS,
    ];

    /// Its key in lesson files (`error_rate_pct`).
    pub fn key(self) -> &'static str {
        match self {
            Metric::ErrorRatePct => "error_rate_pct",
            Metric::UptimePct => "uptime_pct",
            Metric::P50Ms => "p50_ms",
            Metric::P95Ms => "p95_ms",
            Metric::P99Ms => "p99_ms",
            Metric::ReadP95Ms => "read_p95_ms",
            Metric::WriteP95Ms => "write_p95_ms",
            Metric::ThroughputRps => "throughput_rps",
            Metric::LostWrites => "lost_writes",
            Metric::LoggedOut => "logged_out",
            Metric::StaleReadPct => "stale_read_pct",
            Metric::CostPerMonth => "cost_per_month",
            Metric::CacheHitPct => "cache_hit_pct",
            Metric::MaxDbBusyPct => "max_db_busy_pct",
            Metric::MaxWebBusyPct => "max_web_busy_pct",
            Metric::JobsLost => "jobs_lost",
            Metric::JobBacklog => "job_backlog",
            Metric::DetectS => "detect_s",
            Metric::ReshardS => "reshard_s",
        }
    }

    /// What it is called, in both languages.
    pub fn label(self) -> Text {
        let t = |en, ko| Text { en, ko };
        match self {
            Metric::ErrorRatePct => t("error rate", "오류율"),
            Metric::UptimePct => t("up time", "가동 시간"),
            Metric::P50Ms => t("median latency", "지연 시간 중앙값"),
            Metric::P95Ms => t("p95 latency", "p95 지연 시간"),
            Metric::P99Ms => t("p99 latency", "p99 지연 시간"),
            Metric::ReadP95Ms => t("p95 read latency", "읽기 p95 지연 시간"),
            Metric::WriteP95Ms => t("p95 write latency", "쓰기 p95 지연 시간"),
            Metric::ThroughputRps => t("throughput", "처리량"),
            Metric::LostWrites => t("acknowledged writes lost", "유실된 확인된 쓰기"),
            Metric::LoggedOut => t("users logged out", "로그아웃된 사용자"),
            Metric::StaleReadPct => t("stale reads", "오래된 읽기"),
            Metric::CostPerMonth => t("cost", "비용"),
            Metric::CacheHitPct => t("cache hit rate", "캐시 적중률"),
            Metric::MaxDbBusyPct => t("busiest database's load", "가장 바쁜 데이터베이스의 부하"),
            Metric::MaxWebBusyPct => t("busiest web server's load", "가장 바쁜 웹 서버의 부하"),
            Metric::JobsLost => t("jobs lost or dead-lettered", "유실되거나 DLQ로 간 작업"),
            Metric::JobBacklog => t("jobs still waiting at the end", "끝에 아직 기다리는 작업"),
            Metric::DetectS => t("time to detect a crash", "장애 탐지 시간"),
            Metric::ReshardS => t("time to reshard", "리샤딩 시간"),
        }
    }

    /// Its unit, as shown after a value.
    pub fn unit(self) -> &'static str {
        match self {
            Metric::ErrorRatePct
            | Metric::UptimePct
            | Metric::StaleReadPct
            | Metric::CacheHitPct
            | Metric::MaxDbBusyPct
            | Metric::MaxWebBusyPct => "%",
            Metric::P50Ms
            | Metric::P95Ms
            | Metric::P99Ms
            | Metric::ReadP95Ms
            | Metric::WriteP95Ms => "ms",
            Metric::ThroughputRps => "req/s",
            Metric::LostWrites | Metric::LoggedOut | Metric::JobsLost | Metric::JobBacklog => "",
            Metric::CostPerMonth => "USD/month",
            Metric::DetectS | Metric::ReshardS => "s",
        }
    }

    /// Digits shown after the decimal point.
    pub fn digits(self) -> usize {
        match self {
            Metric::ErrorRatePct | Metric::StaleReadPct | Metric::UptimePct => 2,
            Metric::CostPerMonth
            | Metric::LostWrites
            | Metric::LoggedOut
            | Metric::JobsLost
            | Metric::JobBacklog
            | Metric::MaxDbBusyPct
            | Metric::MaxWebBusyPct
            | Metric::CacheHitPct => 0,
            _ => 1,
        }
    }

    /// `value` with its unit: "12.5 ms".
    pub fn format(self, value: f64) -> String {
        self.format_in(value, false)
    }

    /// `value` with its unit, in Korean if `ko` ("255 USD/월").
    pub fn format_in(self, value: f64, ko: bool) -> String {
        let v = format!("{:.*}", self.digits(), value);
        match (self.unit(), ko) {
            ("", _) => v,
            ("%", _) => format!("{v} %"),
            ("USD/month", true) => format!("{v} USD/월"),
            ("req/s", true) => format!("{v} 요청/초"),
            (u, _) => format!("{v} {u}"),
        }
    }
}

/// Why a goal's figure could not be measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Unmeasured {
    /// No request was answered in the window (no latency to measure).
    NoRequests,
    /// There is no monitoring node, or it raised no alert about a crash.
    NothingDetected,
    /// No resharding happened, or it did not finish in the window.
    NoResharding,
    /// There is no cache.
    NoCache,
}

impl Unmeasured {
    /// The reason in both languages.
    pub fn text(self) -> Text {
        let t = |en, ko| Text { en, ko };
        match self {
            Unmeasured::NoRequests => t(
                "no request was answered in this window",
                "이 구간에 응답된 요청이 없음",
            ),
            Unmeasured::NothingDetected => t(
                "no alert about a crash: nothing was watching, or nothing was detected",
                "장애 경보 없음: 지켜보는 것이 없거나 탐지되지 않음",
            ),
            Unmeasured::NoResharding => t(
                "the resharding did not finish in this window",
                "이 구간 안에 리샤딩이 끝나지 않음",
            ),
            Unmeasured::NoCache => t("there is no cache", "캐시가 없음"),
        }
    }
}

/// One goal: a figure over a window, at most or at least a threshold.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Goal {
    /// What is measured.
    pub metric: Metric,
    /// The figure must be at most this (in the metric's unit).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub max: Option<f64>,
    /// The figure must be at least this.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min: Option<f64>,
    /// Start of the window [s].
    pub from_s: f64,
    /// End of the window [s].
    pub to_s: f64,
}

impl Goal {
    /// Whether `value` meets the goal.
    pub fn met_by(&self, value: f64) -> bool {
        self.max.is_none_or(|m| value <= m + 1e-9) && self.min.is_none_or(|m| value >= m - 1e-9)
    }

    /// The goal in words: "from 30 s to 90 s: p95 latency ≤ 150 ms".
    pub fn describe(&self, ko: bool) -> String {
        let label = self.metric.label();
        let name = if ko { label.ko } else { label.en };
        let bound = match (self.max, self.min) {
            (Some(max), _) => format!("≤ {}", self.metric.format_in(max, ko)),
            (None, Some(min)) => format!("≥ {}", self.metric.format_in(min, ko)),
            (None, None) => String::new(),
        };
        if ko {
            format!("{}초~{}초: {name} {bound}", self.from_s, self.to_s)
        } else {
            format!("from {} s to {} s: {name} {bound}", self.from_s, self.to_s)
        }
    }
}

/// A metric's value over a window's figures.
pub(super) fn measure(metric: Metric, s: &Snapshot, max_cost: f64) -> Result<f64, Unmeasured> {
    let answered = s.completed + s.errors.total();
    let pct = |x: f64| x * 100.0;
    let latency = |v: f64, n: u64| {
        if n == 0 {
            Err(Unmeasured::NoRequests)
        } else {
            Ok(v)
        }
    };
    let busiest = |kind: Kind| {
        s.nodes
            .iter()
            .filter(|n| n.kind == kind && n.workers > 0)
            .map(|n| n.utilization)
            .fold(0.0, f64::max)
    };
    match metric {
        Metric::ErrorRatePct => {
            if answered == 0 {
                Err(Unmeasured::NoRequests)
            } else {
                Ok(pct(s.error_rate))
            }
        }
        Metric::UptimePct => Ok(pct(s.uptime)),
        Metric::P50Ms => latency(s.latency_ms.p50, s.completed),
        Metric::P95Ms => latency(s.latency_ms.p95, s.completed),
        Metric::P99Ms => latency(s.latency_ms.p99, s.completed),
        Metric::ReadP95Ms => latency(s.read_latency_ms.p95, s.data.reads),
        Metric::WriteP95Ms => latency(s.write_latency_ms.p95, s.data.writes),
        Metric::ThroughputRps => Ok(s.throughput_rps),
        Metric::LostWrites => Ok(s.data.lost_writes as f64),
        Metric::LoggedOut => Ok(s.errors[ErrorCause::SessionLost] as f64),
        Metric::StaleReadPct => Ok(if s.data.reads == 0 {
            0.0
        } else {
            pct(s.data.stale_reads as f64 / s.data.reads as f64)
        }),
        Metric::CostPerMonth => Ok(max_cost.max(s.cost_per_month)),
        Metric::CacheHitPct => {
            if s.nodes.iter().any(|n| n.kind == Kind::Cache) {
                Ok(pct(s.data.cache_hit_rate))
            } else {
                Err(Unmeasured::NoCache)
            }
        }
        Metric::MaxDbBusyPct => Ok(pct(busiest(Kind::Database))),
        Metric::MaxWebBusyPct => Ok(pct(busiest(Kind::WebServer))),
        Metric::JobsLost => Ok(s
            .nodes
            .iter()
            .filter_map(|n| n.queue)
            .map(|q| q.lost + q.dead_lettered)
            .sum::<u64>() as f64),
        Metric::JobBacklog => Ok(s
            .nodes
            .iter()
            .filter_map(|n| n.queue)
            .map(|q| q.backlog)
            .sum::<u64>() as f64),
        Metric::DetectS => s
            .monitoring
            .as_ref()
            .and_then(|m| m.mean_detect_s)
            .ok_or(Unmeasured::NothingDetected),
        Metric::ReshardS => s
            .nodes
            .iter()
            .filter_map(|n| n.reshard)
            .filter(|r| r.done && r.started_s >= to_secs(s.now_ns - s.measured_ns))
            .map(|r| r.finished_s - r.started_s)
            .reduce(f64::max)
            .ok_or(Unmeasured::NoResharding),
    }
}
