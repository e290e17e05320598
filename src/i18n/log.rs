//! The log: entries, incidents and scheduled faults in words.

use super::Lang;

/// What kind of thing a log entry reports, for the log's filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum LogCategory {
    /// Crashes, restarts, slow-downs, cut links, spikes.
    Fault,
    /// Requests failing: where, why and how many.
    Errors,
    /// Health checks, alerts, breakers, the on-call engineer.
    Detection,
    /// Replication, failover, lost writes, caches.
    Data,
    /// Queues, autoscalers, resharding.
    Capacity,
}

impl LogCategory {
    /// Every category, in filter order.
    pub const ALL: [LogCategory; 5] = [
        LogCategory::Fault,
        LogCategory::Errors,
        LogCategory::Detection,
        LogCategory::Data,
        LogCategory::Capacity,
    ];

    /// The filter's label.
    pub fn label(self, lang: Lang) -> &'static str {
        let (en, ko) = match self {
            LogCategory::Fault => ("Faults", "장애"),
            LogCategory::Errors => ("Errors", "오류"),
            LogCategory::Detection => ("Detection", "탐지"),
            LogCategory::Data => ("Data", "데이터"),
            LogCategory::Capacity => ("Capacity", "용량"),
        };
        match lang {
            Lang::En => en,
            Lang::Ko => ko,
        }
    }

    /// The key used in the page (`data-category`).
    pub fn key(self) -> &'static str {
        match self {
            LogCategory::Fault => "fault",
            LogCategory::Errors => "errors",
            LogCategory::Detection => "detection",
            LogCategory::Data => "data",
            LogCategory::Capacity => "capacity",
        }
    }
}

/// Groups digits in threes: 12,345.
pub fn count(n: u64) -> String {
    scalesim::text::grouped(n)
}

/// Which part of an incident a failure log entry reports.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum IncidentPhase {
    /// The first failure.
    Started,
    /// `count` failures in the last `window_s` seconds.
    Ongoing {
        /// Failed requests.
        count: u64,
        /// The window [s].
        window_s: f64,
    },
    /// The incident ended: `count` failures over `lasted_s` seconds.
    Over {
        /// Failed requests in all.
        count: u64,
        /// First to last failure [s].
        lasted_s: f64,
    },
}

/// A failure incident in plain words: where (`node`, of `kind`), why
/// (`cause`), concerning which node (`other`), and how many. Uses the
/// same names as the error causes in the metrics panel.
pub fn incident_text(
    lang: Lang,
    node: &str,
    kind: scalesim::Kind,
    cause: scalesim::ErrorCause,
    other: Option<&str>,
    phase: IncidentPhase,
) -> String {
    use scalesim::ErrorCause as C;
    let ko = lang == Lang::Ko;
    let other = other.unwrap_or("?");
    let secs = |s: f64| format!("{s:.0}");
    if cause == C::SessionLost {
        let why = match (ko, other == node) {
            (false, false) => format!("their session was on {other}"),
            (false, true) => format!("their session on {node} was wiped"),
            (true, false) => format!("세션이 {other}에 있었음"),
            (true, true) => format!("{node}의 세션이 지워짐"),
        };
        return match (phase, ko) {
            (IncidentPhase::Started, false) => format!("users logged out at {node}: {why}"),
            (IncidentPhase::Started, true) => format!("{node}에서 사용자 로그아웃: {why}"),
            (IncidentPhase::Ongoing { count: n, window_s }, false) => format!(
                "{} users logged out at {node} in the last {} s: {why}",
                count(n),
                secs(window_s)
            ),
            (IncidentPhase::Ongoing { count: n, window_s }, true) => format!(
                "최근 {}초 동안 {node}에서 사용자 {}명 로그아웃: {why}",
                secs(window_s),
                count(n)
            ),
            (IncidentPhase::Over { count: n, lasted_s }, false) => format!(
                "logouts at {node} ended: {} users logged out in {} s ({why})",
                count(n),
                secs(lasted_s)
            ),
            (IncidentPhase::Over { count: n, lasted_s }, true) => format!(
                "{node} 로그아웃 끝남: {}초 동안 {}명 ({why})",
                secs(lasted_s),
                count(n)
            ),
        };
    }
    let users = kind == scalesim::Kind::Users;
    let (subject, what) = match (cause, ko) {
        // At a Users node a timeout is the users giving up.
        (C::Timeout, false) if users => (
            format!("{node} users gave up waiting"),
            "requests timed out",
        ),
        (C::Timeout, true) if users => (format!("{node} 사용자가 기다리다 포기"), "요청 시간 초과"),
        _ => {
            let t = cause.text();
            let subject = lang.pick(t.subject);
            let subject = subject.replace("{node}", node).replace("{other}", other);
            (subject, lang.pick(t.failed))
        }
    };
    match (phase, ko) {
        (IncidentPhase::Started, false) => format!("{subject}: {what}"),
        (IncidentPhase::Started, true) => format!("{subject}: {what} 시작"),
        (IncidentPhase::Ongoing { count: n, window_s }, false) => format!(
            "{subject}: {} {what} in the last {} s",
            count(n),
            secs(window_s)
        ),
        (IncidentPhase::Ongoing { count: n, window_s }, true) => format!(
            "{subject}: 최근 {}초 동안 {what} {}건",
            secs(window_s),
            count(n)
        ),
        (IncidentPhase::Over { count: n, lasted_s }, false) => format!(
            "{subject}: over after {} s, {} {what}",
            secs(lasted_s),
            count(n)
        ),
        (IncidentPhase::Over { count: n, lasted_s }, true) => format!(
            "{subject}: {}초 만에 끝남, {what} {}건",
            secs(lasted_s),
            count(n)
        ),
    }
}

/// A log entry in plain words: `node` is the id of the node it happened
/// to (of `kind`), `name` gives the id of any other node it mentions.
pub fn log_text(
    lang: Lang,
    node: &str,
    kind: scalesim::Kind,
    event: &scalesim::model::LogEvent,
    name: &dyn Fn(u32) -> String,
) -> (LogCategory, String) {
    use LogCategory as C;
    use scalesim::model::{Alert, LogEvent as E};
    let ko = lang == Lang::Ko;
    let pick = |en: String, k: String| if ko { k } else { en };
    let alert = |a: &Alert| match a {
        Alert::NodeDown { node } => pick(
            format!("{} down", name(*node)),
            format!("{} 다운", name(*node)),
        ),
        Alert::ErrorRate => pick("error rate high".into(), "오류율 높음".into()),
        Alert::Latency => pick("latency high (p95)".into(), "지연 높음(p95)".into()),
    };
    match event {
        E::Crashed => (
            C::Fault,
            pick(format!("{node} crashed"), format!("{node} 장애 발생(다운)")),
        ),
        E::Restarted => (
            C::Fault,
            pick(format!("{node} restarted"), format!("{node} 재시작")),
        ),
        E::SessionsLost { count } => (
            C::Fault,
            pick(
                format!("{count} login sessions on {node} wiped by the crash"),
                format!("장애로 {node}의 로그인 세션 {count}개가 지워짐"),
            ),
        ),
        E::Slowed { factor } => (
            C::Fault,
            pick(
                format!("{node} slowed down ×{factor}"),
                format!("{node} ×{factor} 느려짐"),
            ),
        ),
        E::SlowEnded => (
            C::Fault,
            pick(
                format!("{node} back to normal speed"),
                format!("{node} 속도 정상화"),
            ),
        ),
        E::LinkCut { other } => (
            C::Fault,
            pick(
                format!("link {node} – {} cut", name(*other)),
                format!("{node} – {} 연결 끊김", name(*other)),
            ),
        ),
        E::LinkRestored { other } => (
            C::Fault,
            pick(
                format!("link {node} – {} restored", name(*other)),
                format!("{node} – {} 연결 복구", name(*other)),
            ),
        ),
        E::SpikeStarted { factor } => (
            C::Fault,
            pick(
                format!("traffic from {node} ×{factor}"),
                format!("{node}의 트래픽 ×{factor}"),
            ),
        ),
        E::SpikeEnded => (
            C::Fault,
            pick(
                format!("traffic from {node} back to normal"),
                format!("{node}의 트래픽 정상화"),
            ),
        ),
        E::MarkedUnhealthy {
            backend,
            failed_checks,
        } => (
            C::Detection,
            pick(
                format!(
                    "{node} marked {} unhealthy after {failed_checks} failed checks",
                    name(*backend)
                ),
                format!(
                    "{node}: 헬스 체크 {failed_checks}번 실패로 {} 제외",
                    name(*backend)
                ),
            ),
        ),
        E::MarkedHealthy { backend } => (
            C::Detection,
            pick(
                format!("{node} sends to {} again", name(*backend)),
                format!("{node}: {}로 다시 보냄", name(*backend)),
            ),
        ),
        E::Promoted { old_master } => (
            C::Data,
            pick(
                format!(
                    "{node} promoted to master (replacing {})",
                    name(*old_master)
                ),
                format!("{node}가 마스터로 승격({} 대체)", name(*old_master)),
            ),
        ),
        E::WritesLost { count } => (
            C::Data,
            pick(
                format!("{count} acknowledged writes lost: {node} never received them"),
                format!("확인된 쓰기 {count}개 유실: {node}가 받지 못함"),
            ),
        ),
        E::AcceptingWrites => (
            C::Data,
            pick(
                format!("{node} accepts writes"),
                format!("{node} 쓰기 수락 시작"),
            ),
        ),
        E::NoReplicaToPromote => (
            C::Data,
            pick(
                format!("{node} is down and no live replica can be promoted"),
                format!("{node} 다운, 승격할 살아 있는 복제본 없음"),
            ),
        ),
        E::PromotionRefused => (
            C::Data,
            pick(
                format!("promotion of {node} refused: its master is not down"),
                format!("{node} 승격 거부: 마스터가 살아 있음"),
            ),
        ),
        E::SemiSyncFallback => (
            C::Data,
            pick(
                format!("{node}: no replica confirmed in time, replicating asynchronously"),
                format!("{node}: 제때 확인한 복제본 없음, 비동기로 복제"),
            ),
        ),
        E::SemiSyncRestored { replica } => (
            C::Data,
            pick(
                format!("{node}: {} caught up, semi-sync again", name(*replica)),
                format!("{node}: {} 따라잡음, 다시 반동기", name(*replica)),
            ),
        ),
        E::ReplicaDropped { replica } => (
            C::Data,
            pick(
                format!("{node} stopped waiting for dead replica {}", name(*replica)),
                format!("{node}: 죽은 복제본 {} 대기 중단", name(*replica)),
            ),
        ),
        E::Purged => (
            C::Data,
            pick(format!("{node} purged"), format!("{node} 비움")),
        ),
        E::DeadLettered => (
            C::Capacity,
            pick(
                format!("{node}: a job went to the dead-letter queue"),
                format!("{node}: 작업 하나가 DLQ로 이동"),
            ),
        ),
        E::JobsLost { count } => (
            C::Capacity,
            pick(
                format!("{node} lost {count} queued jobs"),
                format!("{node}: 대기 작업 {count}개 유실"),
            ),
        ),
        E::ScaledUp { instances } => (
            C::Capacity,
            pick(
                format!("{node} scaled up to {instances} machines"),
                format!("{node} 머신 {instances}대로 확장"),
            ),
        ),
        E::ScaledDown { instances } => (
            C::Capacity,
            pick(
                format!("{node} scaled down to {instances} machines"),
                format!("{node} 머신 {instances}대로 축소"),
            ),
        ),
        E::Connected { to } => (
            C::Capacity,
            pick(
                format!("{node} now sends to {} (scheduled)", name(*to)),
                format!("{node}이(가) 이제 {}(으)로 보냄 (예정된 변경)", name(*to)),
            ),
        ),
        E::Rejoined { master } => (
            C::Data,
            pick(
                format!("{node} rejoined as a replica of {}", name(*master)),
                format!("{node}가 {}의 복제본으로 합류", name(*master)),
            ),
        ),
        E::BreakerOpened { dependency } => (
            C::Detection,
            pick(
                format!("{node}: breaker to {} opened", name(*dependency)),
                format!("{node}: {} 브레이커 열림", name(*dependency)),
            ),
        ),
        E::BreakerHalfOpen { dependency } => (
            C::Detection,
            pick(
                format!(
                    "{node}: breaker to {} half-open, trying one call",
                    name(*dependency)
                ),
                format!("{node}: {} 브레이커 반열림, 시험 호출", name(*dependency)),
            ),
        ),
        E::BreakerClosed { dependency } => (
            C::Detection,
            pick(
                format!("{node}: breaker to {} closed", name(*dependency)),
                format!("{node}: {} 브레이커 닫힘", name(*dependency)),
            ),
        ),
        E::AlertFiring { alert: a } => (
            C::Detection,
            pick(
                format!("alert: {}", alert(a)),
                format!("경보: {}", alert(a)),
            ),
        ),
        E::AlertResolved { alert: a } => (
            C::Detection,
            pick(
                format!("resolved: {}", alert(a)),
                format!("해소: {}", alert(a)),
            ),
        ),
        E::OnCallRestarted { node: n } => (
            C::Detection,
            pick(
                format!("on-call engineer restarted {}", name(*n)),
                format!("당번 엔지니어가 {} 재시작", name(*n)),
            ),
        ),
        E::ServerAdded { server } => (
            C::Capacity,
            pick(
                format!("autoscaler started {} behind {node}", name(*server)),
                format!("자동 확장: {node} 뒤에 {} 시작", name(*server)),
            ),
        ),
        E::ServerRemoved { server } => (
            C::Capacity,
            pick(
                format!("autoscaler removed {} from {node}", name(*server)),
                format!("자동 확장: {node}에서 {} 제거", name(*server)),
            ),
        ),
        E::ReshardStarted { keys } => (
            C::Capacity,
            pick(
                format!("{node} started moving {keys} records to new shards"),
                format!("{node}: 레코드 {keys}개를 새 샤드로 이동 시작"),
            ),
        ),
        E::FailuresStarted { cause, other } => (
            C::Errors,
            incident_text(
                lang,
                node,
                kind,
                *cause,
                other.map(name).as_deref(),
                IncidentPhase::Started,
            ),
        ),
        E::Failing {
            cause,
            other,
            count,
            window_s,
        } => (
            C::Errors,
            incident_text(
                lang,
                node,
                kind,
                *cause,
                other.map(name).as_deref(),
                IncidentPhase::Ongoing {
                    count: *count,
                    window_s: *window_s,
                },
            ),
        ),
        E::FailuresStopped {
            cause,
            other,
            count,
            lasted_s,
        } => (
            C::Errors,
            incident_text(
                lang,
                node,
                kind,
                *cause,
                other.map(name).as_deref(),
                IncidentPhase::Over {
                    count: *count,
                    lasted_s: *lasted_s,
                },
            ),
        ),
        E::ReshardDone { keys } => (
            C::Capacity,
            pick(
                format!("{node} finished moving {keys} records"),
                format!("{node}: 레코드 {keys}개 이동 완료"),
            ),
        ),
    }
}

/// A scheduled event in words, for the lesson's time bar: "web-1 crashes".
pub fn fault_text(lang: Lang, f: &scalesim::design::FaultDoc) -> String {
    use scalesim::design::FaultAction as A;
    let ko = lang == Lang::Ko;
    let pick = |en: String, k: String| if ko { k } else { en };
    let lasting = |d: Option<f64>| match (d, ko) {
        (Some(d), false) => format!(" for {d:.0} s"),
        (Some(d), true) => format!(" {d:.0}초 동안"),
        (None, _) => String::new(),
    };
    match &f.action {
        A::Kill { target } => pick(format!("{target} crashes"), format!("{target} 장애 발생")),
        A::Restart { target } => pick(format!("{target} restarts"), format!("{target} 재시작")),
        A::Slow {
            target,
            factor,
            duration_s,
        } => pick(
            format!("{target} slows down ×{factor}{}", lasting(*duration_s)),
            format!("{target}{} ×{factor} 느려짐", lasting(*duration_s)),
        ),
        A::Cut {
            from,
            to,
            duration_s,
        } => pick(
            format!("link {from} – {to} cut{}", lasting(*duration_s)),
            format!("{from} – {to} 연결이{} 끊김", lasting(*duration_s)),
        ),
        A::KillRegion { target } => pick(
            format!("data center {target} goes down"),
            format!("데이터 센터 {target} 전체 다운"),
        ),
        A::RestartRegion { target } => pick(
            format!("data center {target} comes back"),
            format!("데이터 센터 {target} 복구"),
        ),
        A::Purge { target } => pick(format!("{target} is emptied"), format!("{target} 비움")),
        A::Promote { target } => pick(
            format!("{target} is promoted by hand"),
            format!("{target} 수동 승격"),
        ),
        A::Spike {
            target,
            factor,
            duration_s,
        } => pick(
            format!(
                "traffic from {target} ×{factor}{}",
                lasting(Some(*duration_s))
            ),
            format!("{target}의 트래픽{} ×{factor}", lasting(Some(*duration_s))),
        ),
        A::Connect { from, to } => pick(
            format!("{to} joins {from}"),
            format!("{to}이(가) {from}에 합류"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn incidents_say_where_why_and_how_many_in_both_languages() {
        use scalesim::{ErrorCause, Kind};
        let ongoing = IncidentPhase::Ongoing {
            count: 512,
            window_s: 10.0,
        };
        assert_eq!(
            incident_text(
                Lang::En,
                "web-1",
                Kind::WebServer,
                ErrorCause::QueueFull,
                None,
                ongoing
            ),
            "web-1 queue full: 512 requests refused in the last 10 s"
        );
        let lost = IncidentPhase::Ongoing {
            count: 1240,
            window_s: 10.0,
        };
        let cause = ErrorCause::SessionLost;
        assert_eq!(
            incident_text(
                Lang::En,
                "web-2",
                Kind::WebServer,
                cause,
                Some("web-1"),
                lost
            ),
            "1,240 users logged out at web-2 in the last 10 s: their session was on web-1"
        );
        assert_eq!(
            incident_text(
                Lang::Ko,
                "web-2",
                Kind::WebServer,
                cause,
                Some("web-1"),
                lost
            ),
            "최근 10초 동안 web-2에서 사용자 1,240명 로그아웃: 세션이 web-1에 있었음"
        );
        // A user giving up reads differently from a queue timeout.
        let started = IncidentPhase::Started;
        let timeout = ErrorCause::Timeout;
        assert_eq!(
            incident_text(Lang::En, "users-1", Kind::Users, timeout, None, started),
            "users-1 users gave up waiting: requests timed out"
        );
        assert_eq!(
            incident_text(Lang::En, "web-1", Kind::WebServer, timeout, None, started),
            "web-1 queue timeout: requests dropped"
        );
        // Every cause has words in both languages, naming the node.
        for cause in ErrorCause::ALL {
            for lang in [Lang::En, Lang::Ko] {
                let over = IncidentPhase::Over {
                    count: 3,
                    lasted_s: 4.0,
                };
                let t = incident_text(lang, "n-1", Kind::WebServer, cause, Some("n-2"), over);
                assert!(t.contains("n-1") && t.contains('3'), "{t}");
            }
        }
    }
}
