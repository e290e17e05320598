//! Design problems, stale reads and error causes in words.

use super::Lang;
use scalesim::design::{Problem, ProblemKind};
use scalesim::text::Num;

/// A design problem in words, in `lang`.
pub fn problem(lang: Lang, p: &Problem) -> String {
    if lang == Lang::En {
        return p.to_string();
    }
    let loc = &p.location;
    match &p.kind {
        ProblemKind::Parse {
            message,
            line,
            column,
        } => format!("올바른 설계 파일이 아닙니다 ({line}행 {column}열): {message}"),
        ProblemKind::UnsupportedVersion { found } => format!(
            "이 설계는 형식 버전 {found}을(를) 사용하지만, 이 Scale Lab은 버전 {}을(를) 읽습니다. 더 새로운 Scale Lab에서 여세요",
            scalesim::design::FORMAT_VERSION
        ),
        ProblemKind::EmptyId => "id가 비어 있는 노드가 있습니다".into(),
        ProblemKind::DuplicateId => format!("{loc}: 같은 id를 가진 노드가 둘 있습니다"),
        ProblemKind::UnknownParam { key } => format!("{loc}: 알 수 없는 설정 '{key}'"),
        ProblemKind::OutOfRange { key, min, max, got } => {
            let (min, max, got) = (Num(*min), Num(*max), Num(*got));
            format!("{loc}: {key}은(는) {min}..={max} 범위여야 합니다. 입력값: {got}")
        }
        ProblemKind::NotInteger { key, got } => {
            let got = Num(*got);
            format!("{loc}: {key}은(는) 정수여야 합니다. 입력값: {got}")
        }
        ProblemKind::NotAnObject { found } => format!(
            "이 파일에는 설계가 아니라 {}이(가) 들어 있습니다. 설계 파일은 하나의 JSON 객체입니다: {{\"version\": 1, \"nodes\": [...], \"edges\": [...]}}",
            found.text().ko
        ),
        ProblemKind::TooMany { part, count, max } => format!(
            "이 설계에는 {}이(가) {count}개 있습니다. 설계 하나에는 최대 {max}개까지 둘 수 있습니다. 더 작은 설계로 나누세요",
            part.text().ko
        ),
        ProblemKind::IdTooLong { chars, max } => format!(
            "{loc}: 이 id는 {chars}자입니다. id는 최대 {max}자까지입니다. 더 짧은 이름을 쓰세요"
        ),
        ProblemKind::BadValue { key, expected } => {
            format!("{loc}: {key}의 값이 올바르지 않습니다 ({expected})")
        }
        ProblemKind::UnknownNode { id } => format!("{loc}: '{id}' 노드가 없습니다"),
        ProblemKind::SelfLoop => format!("{loc}: 노드는 자기 자신을 호출할 수 없습니다"),
        ProblemKind::DuplicateEdge => format!("{loc}: 같은 연결이 두 번 있습니다"),
        ProblemKind::NotAllowed { from, to } => format!(
            "{loc}: {}에서 {}(으)로는 요청을 보낼 수 없습니다",
            from.spec().name.ko,
            to.spec().name.ko
        ),
        ProblemKind::Cycle { path } => {
            format!("요청이 원을 그리며 돌게 됩니다: {}", path.join(" → "))
        }
        ProblemKind::NoEntry => {
            "요청을 보내는 곳이 없습니다: 사용자 노드를 추가하고 연결하세요".into()
        }
        ProblemKind::Dangling => format!(
            "{loc}이(가) 아무것에도 연결되지 않았습니다: 포트에서 요청이 갈 곳으로 끌어 연결하세요"
        ),
        ProblemKind::Unreachable => {
            format!("{loc}에는 사용자의 요청이 도달하지 않습니다")
        }
        ProblemKind::MixOver100 {
            write_pct,
            static_pct,
        } => format!(
            "{loc}: 쓰기({write_pct} %)와 정적 파일({static_pct} %)의 합이 100 %를 넘습니다"
        ),
        ProblemKind::OnlyCdn => format!(
            "{loc}은(는) 정적 파일만 제공하는 CDN에만 연결되어 있습니다: 페이지와 쓰기를 위해 사이트(DNS, 로드밸런서, 웹 서버)에도 연결하세요"
        ),
        ProblemKind::RouterToReplica => format!(
            "{loc}: 샤드 라우터는 각 샤드의 마스터에 연결합니다. 샤드의 읽기는 마스터의 복제본이 처리합니다"
        ),
        ProblemKind::ReplicaWithoutMaster => format!(
            "{loc}은(는) 마스터가 없는 복제본입니다: 마스터 데이터베이스에서 이 노드로 연결하세요"
        ),
        ProblemKind::TwoMasters { masters } => format!(
            "{loc}은(는) 두 마스터({})에서 복제받습니다: 연결 하나만 남기세요",
            masters.join(", ")
        ),
        ProblemKind::ReplicationFromReplica => format!(
            "{loc}: 쓰기를 복제본으로 흘려보내는 것은 마스터뿐입니다. 복제본을 마스터에 연결하세요"
        ),
        ProblemKind::ReplicationIntoMaster => {
            format!("{loc}: 받는 쪽 데이터베이스가 마스터입니다. 역할을 복제본으로 바꾸세요")
        }
        ProblemKind::TwoMonitors => {
            format!("{loc}: 모니터링 노드 하나가 이미 모든 노드를 지켜봅니다. 이 노드를 지우세요")
        }
        ProblemKind::EdgeParamNotHere { key } => format!(
            "{loc}: 이 연결에는 '{key}' 설정이 없습니다. 호출 정책(타임아웃, 재시도, 브레이커, 벌크헤드)은 웹 서버에서 호출 대상으로 가는 연결에, 가중치는 DNS 서버에서 나가는 연결에 둡니다"
        ),
        ProblemKind::BadFault { index, reason } => {
            format!("장애 #{}: {reason}", index + 1)
        }
        ProblemKind::LessonKeepNode => format!(
            "{loc}은(는) 이 강의 세계의 일부입니다(설정은 강의가 정합니다). 이 id의 구성 요소를 남겨 두세요"
        ),
        ProblemKind::LessonKeepInDataCenter { datacenter } => format!(
            "이 강의에서 {loc}은(는) 데이터 센터 {datacenter}에 속합니다. 상자 안으로 다시 옮기세요"
        ),
        ProblemKind::LessonNeedsDataCenter => format!(
            "{loc}이(가) 어느 데이터 센터에도 없습니다. 이 강의에서 서버는 데이터 센터 안에 있어야 하니, 상자 안으로 끌어 넣으세요"
        ),
        ProblemKind::IdleQueue { queue } => format!(
            "{loc}이(가) 느린 작업을 {queue}에 넘기지만, 작업이 딸린 쓰기가 없습니다('느린 작업이 딸린 쓰기'가 0 %). 워커가 놀게 됩니다. {loc}의 설정에서 그 값을 올리세요"
        ),
        ProblemKind::LessonExtraUsers { lesson_users } => format!(
            "{loc}: 이 강의의 트래픽은 {}에서만 옵니다. {loc}을(를) 지우세요",
            lesson_users.join(", ")
        ),
        ProblemKind::LessonMissingUsers => format!(
            "{loc}: 이 강의의 트래픽은 {loc}이라는 사용자 노드에서 옵니다. 그 노드를 남겨 두세요 (설정은 강의가 정합니다)"
        ),
        ProblemKind::LessonMissingTarget { at_s } => format!(
            "{loc}: 강의 타임라인이 {at_s}초에 {loc}에 작용합니다. 이 id의 구성 요소를 남겨 두세요"
        ),
        ProblemKind::LessonKeepEdge { kept } => format!(
            "{loc}: 이 강의에서 사용자는 {}을(를) 통해서만 사이트에 닿습니다. 그 연결만 남겨 두세요",
            kept.join(", ")
        ),
    }
}

/// A design problem in a few words, for a label on the canvas beside the
/// node, connection or data center it concerns ("not connected"); the
/// full sentence is [`problem`].
pub fn problem_short(lang: Lang, p: &Problem) -> String {
    let say = |en: &str, ko: &str| match lang {
        Lang::En => en.to_string(),
        Lang::Ko => ko.to_string(),
    };
    match &p.kind {
        ProblemKind::Parse { .. } | ProblemKind::NotAnObject { .. } => {
            say("not a design", "설계가 아님")
        }
        ProblemKind::UnsupportedVersion { found } => match lang {
            Lang::En => format!("format version {found}"),
            Lang::Ko => format!("형식 버전 {found}"),
        },
        ProblemKind::TooMany { part, .. } => match lang {
            Lang::En => format!("too many {}", part.text().en),
            Lang::Ko => format!("{} 너무 많음", part.text().ko),
        },
        ProblemKind::IdTooLong { .. } => say("id too long", "id가 너무 김"),
        ProblemKind::EmptyId => say("empty id", "빈 id"),
        ProblemKind::DuplicateId => say("same id twice", "id 중복"),
        ProblemKind::UnknownParam { key } => match lang {
            Lang::En => format!("unknown setting {key}"),
            Lang::Ko => format!("알 수 없는 설정 {key}"),
        },
        ProblemKind::OutOfRange { key, .. } => match lang {
            Lang::En => format!("{key} out of range"),
            Lang::Ko => format!("{key} 범위 밖"),
        },
        ProblemKind::NotInteger { key, .. } => match lang {
            Lang::En => format!("{key} must be whole"),
            Lang::Ko => format!("{key}은(는) 정수"),
        },
        ProblemKind::BadValue { key, .. } => match lang {
            Lang::En => format!("bad {key}"),
            Lang::Ko => format!("{key} 값 오류"),
        },
        ProblemKind::UnknownNode { id } => match lang {
            Lang::En => format!("no node '{id}'"),
            Lang::Ko => format!("'{id}' 노드 없음"),
        },
        ProblemKind::SelfLoop => say("calls itself", "자기 자신을 호출"),
        ProblemKind::DuplicateEdge => say("connected twice", "두 번 연결됨"),
        // Drawn on the connection, which starts at the caller.
        ProblemKind::NotAllowed { to, .. } => match lang {
            Lang::En => format!("cannot call {}", to.spec().name.en.to_lowercase()),
            Lang::Ko => format!("{}(으)로 보낼 수 없음", to.spec().name.ko),
        },
        ProblemKind::Cycle { .. } => say("requests go round", "요청이 원을 그림"),
        ProblemKind::NoEntry => say("no users", "사용자 없음"),
        ProblemKind::Dangling => say("not connected", "연결 안 됨"),
        ProblemKind::Unreachable => say("no requests reach it", "요청이 닿지 않음"),
        ProblemKind::MixOver100 { .. } => say("mix over 100 %", "비율 합 100 % 초과"),
        ProblemKind::OnlyCdn => say("only the CDN", "CDN에만 연결됨"),
        ProblemKind::RouterToReplica => say("route to masters", "마스터로 라우팅"),
        ProblemKind::ReplicaWithoutMaster => say("replica without master", "마스터 없는 복제본"),
        ProblemKind::TwoMasters { .. } => say("two masters", "마스터가 둘"),
        ProblemKind::ReplicationFromReplica => {
            say("replica cannot replicate", "복제본은 복제 불가")
        }
        ProblemKind::ReplicationIntoMaster => say("into a master", "받는 쪽이 마스터"),
        ProblemKind::TwoMonitors => say("second monitor", "모니터링 중복"),
        ProblemKind::EdgeParamNotHere { key } => match lang {
            Lang::En => format!("no {key} here"),
            Lang::Ko => format!("{key} 설정 불가"),
        },
        ProblemKind::BadFault { index, .. } => match lang {
            Lang::En => format!("event #{}", index + 1),
            Lang::Ko => format!("이벤트 #{}", index + 1),
        },
        ProblemKind::LessonKeepNode
        | ProblemKind::LessonMissingUsers
        | ProblemKind::LessonMissingTarget { .. } => say("the lesson needs it", "강의에 필요함"),
        ProblemKind::LessonKeepInDataCenter { datacenter } => match lang {
            Lang::En => format!("belongs in {datacenter}"),
            Lang::Ko => format!("{datacenter} 안에 두기"),
        },
        ProblemKind::LessonNeedsDataCenter => say("outside data centers", "데이터 센터 밖"),
        ProblemKind::IdleQueue { .. } => say("workers idle", "워커가 놂"),
        ProblemKind::LessonExtraUsers { .. } => {
            say("not the lesson's users", "강의의 사용자가 아님")
        }
        ProblemKind::LessonKeepEdge { kept } => match lang {
            Lang::En => format!("only via {}", kept.join(", ")),
            Lang::Ko => format!("{}만 거치기", kept.join(", ")),
        },
    }
}

/// The compact count of a design's problems on the stage: "2 problems to
/// fix · 1 warning"; while a run goes on with the last valid version, it
/// says so first.
pub fn problem_count(lang: Lang, errors: usize, warnings: usize, held: bool) -> String {
    let mut parts = Vec::new();
    if held {
        parts.push(match lang {
            Lang::En => "Running the last valid design".to_string(),
            Lang::Ko => "마지막으로 올바른 설계로 실행 중".to_string(),
        });
    }
    if errors > 0 {
        parts.push(match (lang, errors) {
            (Lang::En, 1) => "1 problem to fix".to_string(),
            (Lang::En, n) => format!("{n} problems to fix"),
            (Lang::Ko, n) => format!("고칠 문제 {n}개"),
        });
    }
    if warnings > 0 {
        parts.push(match (lang, warnings) {
            (Lang::En, 1) => "1 warning".to_string(),
            (Lang::En, n) => format!("{n} warnings"),
            (Lang::Ko, n) => format!("경고 {n}개"),
        });
    }
    parts.join(" · ")
}

/// One stale read in words: "read v41 of user:7 from db-2 — v43 was
/// acknowledged 53 ms earlier".
pub fn stale_read(lang: Lang, r: &scalesim::model::StaleRead) -> String {
    let (key, read, newest, node) = (&r.key, r.read_version, r.newest_version, &r.served_by);
    match (lang, r.lost) {
        (Lang::En, false) => format!(
            "read v{read} of {key} from {node} — v{newest} was acknowledged {:.0} ms earlier",
            r.staleness_ms
        ),
        (Lang::En, true) => {
            format!("read v{read} of {key} from {node} — v{newest} was acknowledged, then lost")
        }
        (Lang::Ko, false) => format!(
            "{node}에서 {key}의 v{read}을(를) 읽음 — v{newest}이(가) {:.0} ms 전에 확인됨",
            r.staleness_ms
        ),
        (Lang::Ko, true) => {
            format!("{node}에서 {key}의 v{read}을(를) 읽음 — v{newest}은(는) 확인 후 유실됨")
        }
    }
}

/// The warning over a design larger than the editor keeps smooth on this
/// machine class: how large, from what size frames slow down, and what
/// helps.
pub fn large_design(lang: Lang, components: usize, smooth: usize) -> String {
    let (n, m) = (components, smooth);
    match lang {
        Lang::En => format!(
            "A large design: {n} components. Above about {m}, a computer like this one may draw it at fewer than 30 frames a second while you edit. Zooming in draws less."
        ),
        Lang::Ko => format!(
            "큰 설계입니다: 구성 요소 {n}개. 약 {m}개를 넘으면 이런 컴퓨터에서는 편집하는 동안 초당 30프레임보다 느리게 그려질 수 있습니다. 확대하면 그릴 것이 줄어듭니다."
        ),
    }
}

/// On a connection the timeline makes later: "joins at 30 s".
pub fn joins_at(lang: Lang, at_s: f64) -> String {
    match lang {
        Lang::En => format!("joins at {at_s:.0} s"),
        Lang::Ko => format!("{at_s:.0}초에 합류"),
    }
}

/// Over a node slowed down by a fault: "×10 slow".
pub fn slow_by(lang: Lang, factor: f64) -> String {
    match lang {
        Lang::En => format!("×{factor} slow"),
        Lang::Ko => format!("×{factor} 느림"),
    }
}

/// Above the table of load per node, when it lists the busiest only:
/// "the 20 busiest of 4,000".
pub fn busiest_of(lang: Lang, shown: usize, total: usize) -> String {
    match lang {
        Lang::En => format!("The {shown} busiest of {total}"),
        Lang::Ko => format!("{total}개 중 가장 바쁜 {shown}개"),
    }
}

/// The dots' sampling, when not every request on a hop is drawn:
/// "5000 of 10058 drawn".
pub fn dots_sampled(lang: Lang, drawn: usize, total: u64) -> String {
    match lang {
        Lang::En => format!("{drawn} of {total} drawn"),
        Lang::Ko => format!("{total}개 중 {drawn}개 표시"),
    }
}

/// The name of an error cause, in `lang` (the words are the core's, with
/// the cause: [`scalesim::ErrorCause::text`]).
pub fn error_cause(lang: Lang, cause: scalesim::ErrorCause) -> &'static str {
    lang.pick(cause.text().name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn korean_problem_text_names_the_node() {
        let p = Problem {
            severity: scalesim::Severity::Error,
            location: "users-1".into(),
            kind: ProblemKind::Dangling,
        };
        assert!(problem(Lang::Ko, &p).starts_with("users-1이(가)"));
        assert!(problem(Lang::En, &p).starts_with("users-1 is not connected"));
    }

    #[test]
    fn the_count_says_what_runs_and_what_is_left_to_fix() {
        assert_eq!(problem_count(Lang::En, 1, 0, false), "1 problem to fix");
        assert_eq!(
            problem_count(Lang::En, 2, 3, true),
            "Running the last valid design · 2 problems to fix · 3 warnings"
        );
        assert_eq!(problem_count(Lang::Ko, 0, 1, false), "경고 1개");
    }

    #[test]
    fn short_labels_fit_beside_a_component() {
        use scalesim::catalog::Kind;
        let kinds = [
            ProblemKind::Dangling,
            ProblemKind::Unreachable,
            ProblemKind::NotAllowed {
                from: Kind::RateLimiter,
                to: Kind::ShardRouter,
            },
            ProblemKind::ReplicaWithoutMaster,
            ProblemKind::ReplicationFromReplica,
            ProblemKind::LessonExtraUsers {
                lesson_users: vec!["users-1".into()],
            },
        ];
        for kind in kinds {
            let p = Problem {
                severity: scalesim::Severity::Error,
                location: "web-1".into(),
                kind,
            };
            for lang in [Lang::En, Lang::Ko] {
                let short = problem_short(lang, &p);
                // About the width of a component (128 px at 11 px type).
                assert!(short.chars().count() <= 32, "{short}");
                assert!(!short.contains("web-1"), "the mark sits on web-1: {short}");
            }
        }
    }
}
