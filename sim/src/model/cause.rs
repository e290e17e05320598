//! Why a request failed: every error cause, its key in figures and files,
//! and its words in English and Korean. A kind that fails requests for a
//! reason of its own adds its cause here.

use crate::catalog::{Text, t};
use serde::{Deserialize, Serialize};

/// Why a request failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCause {
    /// A server's queue was full, so it rejected the request.
    QueueFull,
    /// The user gave up waiting, or the request waited in a queue past the
    /// server's queue timeout.
    Timeout,
    /// A load balancer had no server it considered healthy.
    NoHealthyBackend,
    /// The node was down (crashed) when the request reached it, or crashed
    /// while holding it.
    NodeDown,
    /// The user's login session was gone (its server crashed, or a
    /// non-sticky load balancer sent the user to a server that never saw it).
    SessionLost,
    /// The network link was cut; the caller gave up after the connect
    /// timeout.
    LinkDown,
    /// A write found no master to take it: the master is being replaced.
    NoMaster,
    /// A web server stopped waiting for a dependency (its call timeout),
    /// and had no retry left.
    CallTimeout,
    /// A web server's circuit breaker to the dependency was open: the call
    /// failed at once.
    CircuitOpen,
    /// A web server's bulkhead for the dependency was full: the call failed
    /// at once.
    BulkheadFull,
    /// A rate limiter had no token for it: refused at once.
    Throttled,
}

impl ErrorCause {
    /// Every cause, in report order.
    pub const ALL: [ErrorCause; 11] = [
        ErrorCause::QueueFull,
        ErrorCause::Timeout,
        ErrorCause::NoHealthyBackend,
        ErrorCause::NodeDown,
        ErrorCause::SessionLost,
        ErrorCause::LinkDown,
        ErrorCause::NoMaster,
        ErrorCause::CallTimeout,
        ErrorCause::CircuitOpen,
        ErrorCause::BulkheadFull,
        ErrorCause::Throttled,
    ];
}

impl ErrorCause {
    /// The cause's name in figures and files (`queue_full`).
    pub fn key(self) -> &'static str {
        match self {
            ErrorCause::QueueFull => "queue_full",
            ErrorCause::Timeout => "timeout",
            ErrorCause::NoHealthyBackend => "no_healthy_backend",
            ErrorCause::NodeDown => "node_down",
            ErrorCause::SessionLost => "session_lost",
            ErrorCause::LinkDown => "link_down",
            ErrorCause::NoMaster => "no_master",
            ErrorCause::CallTimeout => "call_timeout",
            ErrorCause::CircuitOpen => "circuit_open",
            ErrorCause::BulkheadFull => "bulkhead_full",
            ErrorCause::Throttled => "throttled",
        }
    }
}

/// The words for an error cause, in English and Korean: its name in the
/// figures, and for the event log what is failing where (`{node}` and
/// `{other}` stand for the node the failures are counted at and the one
/// they concern) and what the failed requests are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CauseText {
    /// "queue full".
    pub name: Text,
    /// "{node} queue full".
    pub subject: Text,
    /// "requests refused".
    pub failed: Text,
}

impl ErrorCause {
    /// The words for this cause.
    pub fn text(self) -> CauseText {
        let (name, subject, failed) = match self {
            ErrorCause::QueueFull => (
                t("queue full", "대기열 가득 참"),
                t("{node} queue full", "{node} 대기열 가득 참"),
                t("requests refused", "요청 거절"),
            ),
            ErrorCause::Timeout => (
                t("timed out", "시간 초과"),
                t("{node} queue timeout", "{node} 대기 시간 초과"),
                t("requests dropped", "요청 버림"),
            ),
            ErrorCause::NoHealthyBackend => (
                t("no healthy server", "정상 서버 없음"),
                t("{node} no healthy server", "{node} 정상 서버 없음"),
                t("requests failed", "요청 실패"),
            ),
            ErrorCause::NodeDown => (
                t("node down", "노드 다운"),
                t("{node} down", "{node} 다운"),
                t("requests failed", "요청 실패"),
            ),
            ErrorCause::SessionLost => (
                t("logged out (session lost)", "로그아웃됨 (세션 유실)"),
                t("{node} users logged out", "{node} 사용자 로그아웃"),
                t("users logged out", "사용자 로그아웃"),
            ),
            ErrorCause::LinkDown => (
                t("network link cut", "네트워크 단절"),
                t("link {node} – {other} cut", "{node} – {other} 연결 끊김"),
                t("requests lost", "요청 유실"),
            ),
            ErrorCause::NoMaster => (
                t("no master for writes", "쓰기를 받을 마스터 없음"),
                t(
                    "{node} no master for writes",
                    "{node} 쓰기를 받을 마스터 없음",
                ),
                t("writes failed", "쓰기 실패"),
            ),
            ErrorCause::CallTimeout => (
                t(
                    "a call to a dependency timed out",
                    "의존 대상 호출 시간 초과",
                ),
                t(
                    "{node} → {other} calls timing out",
                    "{node} → {other} 호출 시간 초과",
                ),
                t("requests failed", "요청 실패"),
            ),
            ErrorCause::CircuitOpen => (
                t(
                    "circuit breaker open (failed fast)",
                    "서킷 브레이커 열림 (즉시 실패)",
                ),
                t(
                    "{node} → {other} breaker open",
                    "{node} → {other} 브레이커 열림",
                ),
                t("requests failed fast", "요청 즉시 실패"),
            ),
            ErrorCause::BulkheadFull => (
                t(
                    "bulkhead full (failed fast)",
                    "벌크헤드 가득 참 (즉시 실패)",
                ),
                t(
                    "{node} → {other} bulkhead full",
                    "{node} → {other} 벌크헤드 가득 참",
                ),
                t("requests failed fast", "요청 즉시 실패"),
            ),
            ErrorCause::Throttled => (
                t("throttled (rate limit)", "처리율 제한으로 거절"),
                t("{node} rate limit", "{node} 처리율 제한"),
                t("requests throttled", "요청 제한됨"),
            ),
        };
        CauseText {
            name,
            subject,
            failed,
        }
    }
}
