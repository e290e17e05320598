//! The message catalog: every piece of UI text, in English and Korean.
//!
//! Component names, parameter labels and help come from the simulation's
//! catalog (`scalesim::catalog`), and the words for each error cause from
//! the cause itself (`scalesim::ErrorCause::text`): both carry the two
//! languages too, so a new kind or cause brings its own words.

use scalesim::catalog::Text;
use scalesim::design::{Problem, ProblemKind};

/// A language the app speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// English.
    En,
    /// Korean.
    Ko,
}

impl Lang {
    /// The language for a BCP 47 tag such as the browser's `navigator.language`.
    pub fn from_tag(tag: &str) -> Self {
        if tag.to_ascii_lowercase().starts_with("ko") {
            Lang::Ko
        } else {
            Lang::En
        }
    }

    /// The BCP 47 tag, for `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Ko => "ko",
        }
    }

    /// Picks this language's side of a catalog text.
    pub fn pick(self, text: Text) -> &'static str {
        match self {
            Lang::En => text.en,
            Lang::Ko => text.ko,
        }
    }
}

/// Every fixed UI string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Msg {
    AppTitle,
    Tagline,
    Palette,
    PaletteHint,
    Run,
    Pause,
    Reset,
    Speed,
    Clock,
    Seed,
    Language,
    Inspector,
    NothingSelected,
    Metrics,
    Completed,
    Throughput,
    LatencyP50,
    LatencyP95,
    LatencyP99,
    ErrorRate,
    Errors,
    InFlight,
    Utilization,
    Queue,
    CanvasLabel,
    EmptyCanvas1,
    EmptyCanvas2,
    EmptyCanvas3,
    CannotRun,
    Dismiss,
    Delete,
    Sampled,
    RestoreFailed,
    AlreadyConnected,
    Problems,
    Availability,
    Uptime,
    CostPerMonth,
    ErrorsByCause,
    TimeBreakdown,
    Network,
    Queueing,
    Processing,
    Dns,
    SessionsLost,
    Down,
    Undo,
    Redo,
    UndoHint,
    RedoHint,
    Examples,
    ExampleOpened,
    Import,
    Imported,
    ImportFailed,
    Export,
    Share,
    ShareHint,
    LinkOpened,
    LinkBroken,
    LinkNewer,
    Unreadable,
    Outline,
    ZoomIn,
    ZoomOut,
    Fit,
    FitHint,
    OpenFull,
    NoSuchExample,
    Done,
    ManySelected,
    ManySelectedHint,
    MasterDb,
    ReplicaDb,
    Hits,
    NowMaster,
    NowReplica,
    Lag,
    DataHeading,
    Reliability,
    StaleReads,
    Staleness,
    OwnWriteMisses,
    LostWrites,
    LostRecords,
    ReplicaLag,
    CacheHitRate,
    CdnHitRate,
    ReadP50,
    WriteP50,
    Presets,
    LatestStaleRead,
    EventsBehind,
    PromoteNow,
    PromoteHint,
    PurgeNow,
    PurgeHint,
    Connection,
    EdgeReplication,
    EdgeJobs,
    EdgeEnqueue,
    EdgeOrigin,
    EdgeStatic,
    EdgeLookups,
    EdgeSessions,
    EdgeCache,
    EdgeQueries,
    EdgeRequests,
    EdgeAnswers,
    EdgePolicy,
    EdgeWeight,
    MonitoringHeading,
    LabelWeight,
    SpeedMax,
    ReplicationLag,
    LiveNow,
    LiveState,
    LiveUp,
    LiveWait,
    LiveBusy,
    LiveServed,
    LiveLatency,
    LiveErrors,
    LiveDropped,
    LiveCost,
    LiveHitRate,
    LiveHeld,
    LiveEvictions,
    LiveExpirations,
    LiveDuplicateMisses,
    LiveCoalesced,
    LiveBacklog,
    LiveInFlight,
    LiveOldest,
    LiveRedelivered,
    LiveDeadLettered,
    LiveJobsLost,
    LiveInstances,
    LiveJobsDone,
    LiveJobsFailed,
    LiveRate,
    LiveCallLatency,
    DotRead,
    DotWrite,
    DotStatic,
    /// Legend: a queued job's dot.
    DotJob,
    DotStale,
    Drawer,
    PaceBehind,
    PaceHint,
    DotError,
    Charts,
    ChartChoose,
    ChartHint,
    ChartEmpty,
    ChartLatency,
    ChartReliability,
    ChartBacklog,
    FaultMenu,
    FaultKill,
    FaultRestart,
    FaultSlow,
    FaultCut,
    Chaos,
    ChaosKillServer,
    ChaosKillMaster,
    ChaosKillDc,
    ChaosSpike,
    ChaosNothing,
    EventLog,
    LogFilter,
    LogKind,
    LogAll,
    LogEmpty,
    EventsShort,
    StepEvent,
    StepEventHint,
    StepTimeHint,
    EventsHint,
    SeedHint,
    ErrorsLogged,
    LabelTimeout,
    LabelRetries,
    LabelBudget,
    LabelBreaker,
    LabelBulkhead,
    Resharding,
    ReshardMoving,
    ReshardMoved,
    AlertsFiring,
    NoAlerts,
    AlertNodeDown,
    AlertErrorRate,
    AlertLatency,
    AlertsFired,
    TimeToDetect,
    ServersAdded,
    Booting,
    ActiveUsers,
    RequestsPerUser,
    ErrorBudgetUsed,
    Slo,
    BreakerClosed,
    BreakerOpen,
    BreakerHalfOpen,
    RegionPlace,
    RegionHelp,
    Connections,
    Disconnect,
    Close,
    JourneyTitle,
    JourneyNode,
    JourneyArrived,
    JourneyQueued,
    JourneyHere,
    JourneyHint,
    LatestFailure,
    FiguresRecent,
    FiguresAll,
    FiguresWindow,
    FiguresRecentNote,
    SinceStartTag,
    Course,
    CourseTitle,
    CourseIntro,
    Sandbox,
    SandboxHint,
    WelcomeTitle,
    WelcomeText,
    WelcomeStart,
    WelcomeContinue,
    WelcomeMap,
    LessonOf,
    LessonStory,
    LessonWatch,
    LessonGoals,
    LessonCheck,
    LessonChecking,
    LessonCheckHint,
    LessonPassed,
    LessonNotYet,
    LessonGoalsMet,
    LessonMeasured,
    LessonHint,
    LessonHintsAll,
    LessonWhy,
    LessonSelfCheck,
    LessonRight,
    LessonWrong,
    LessonNext,
    LessonStartOver,
    LessonStartOverHint,
    LessonUsePrevious,
    LessonLeave,
    LessonOverridden,
    LessonRefused,
    LessonDone,
    LessonUpNext,
    LessonLocked,
    Timeline,
    TimelineJump,
    TimelineGoalWindow,
    TimelineGoalWindows,
    CourseProgress,
    NoSuchLesson,
    NoSuchLessonMap,
    ExampleShows,
    ExampleWhen,
    ExampleWatch,
}

impl Msg {
    /// The text of this message in `lang`.
    pub fn text(self, lang: Lang) -> &'static str {
        let (en, ko) = match self {
            Msg::AppTitle => ("Scale Lab", "Scale Lab"),
            Msg::Tagline => (
                "Build a web service and watch it scale",
                "웹 서비스를 만들고 확장되는 모습을 지켜보세요",
            ),
            Msg::Palette => ("Components", "구성 요소"),
            Msg::PaletteHint => (
                "Drag onto the canvas, or press Enter to add.",
                "캔버스로 끌어 놓거나 Enter로 추가하세요.",
            ),
            Msg::Run => ("Run", "실행"),
            Msg::Pause => ("Pause", "일시 정지"),
            Msg::Reset => ("Reset", "초기화"),
            Msg::Speed => ("Speed", "속도"),
            Msg::Clock => ("Simulated time", "시뮬레이션 시간"),
            Msg::Seed => ("Seed", "시드"),
            Msg::Language => ("한국어", "English"),
            Msg::Inspector => ("Inspector", "속성"),
            Msg::NothingSelected => (
                "Select a component to see and change its settings.",
                "구성 요소를 선택하면 설정을 보고 바꿀 수 있습니다.",
            ),
            Msg::Metrics => ("Metrics", "지표"),
            Msg::Completed => ("Completed requests", "완료된 요청"),
            Msg::Throughput => ("Throughput", "처리량"),
            Msg::LatencyP50 => ("Latency p50", "지연 시간 p50"),
            Msg::LatencyP95 => ("Latency p95", "지연 시간 p95"),
            Msg::LatencyP99 => ("Latency p99", "지연 시간 p99"),
            Msg::ErrorRate => ("Error rate", "오류율"),
            Msg::Errors => ("Failed requests", "실패한 요청"),
            Msg::InFlight => ("In flight", "처리 중"),
            Msg::Utilization => ("Busy", "사용률"),
            Msg::Queue => ("Queue", "대기열"),
            Msg::CanvasLabel => (
                "Design canvas. Drag from a component's right-hand port to another component to connect them.",
                "설계 캔버스. 구성 요소 오른쪽 포트에서 다른 구성 요소로 끌면 연결됩니다.",
            ),
            Msg::EmptyCanvas1 => (
                "1. Drag Users and a Web server here",
                "1. 사용자와 웹 서버를 여기로 끌어 놓으세요",
            ),
            Msg::EmptyCanvas2 => (
                "2. Drag from the dot on a component's right edge to connect it",
                "2. 구성 요소 오른쪽의 점에서 끌어 연결하세요",
            ),
            Msg::EmptyCanvas3 => (
                "3. Press Run and watch the requests flow",
                "3. 실행을 누르고 요청의 흐름을 지켜보세요",
            ),
            Msg::CannotRun => (
                "The design cannot run yet:",
                "설계를 아직 실행할 수 없습니다:",
            ),
            Msg::Dismiss => ("Dismiss", "닫기"),
            Msg::Delete => ("Delete", "삭제"),
            Msg::Sampled => ("dots drawn: 1 in", "표시된 점: 1 /"),
            Msg::RestoreFailed => (
                "Your saved design could not be read, so an empty one was opened. The saved text is kept under 'scale-lab.design.unreadable' in this browser's storage.",
                "저장된 설계를 읽을 수 없어 빈 설계를 열었습니다. 저장된 내용은 이 브라우저 저장소의 'scale-lab.design.unreadable'에 보관되어 있습니다.",
            ),
            Msg::AlreadyConnected => (
                "These two are already connected.",
                "이미 연결되어 있습니다.",
            ),
            Msg::Problems => ("Problems", "문제"),
            Msg::MasterDb => ("Master DB", "마스터 DB"),
            Msg::ReplicaDb => ("Replica DB", "복제본 DB"),
            Msg::Hits => ("hits", "적중"),
            Msg::NowMaster => ("promoted: now master", "승격됨: 지금 마스터"),
            Msg::NowReplica => ("rejoined as a replica", "복제본으로 재합류"),
            Msg::Lag => ("lag", "지연"),
            Msg::DataHeading => ("Data", "데이터"),
            Msg::Reliability => ("Reliability (correct answers)", "신뢰성 (올바른 답)"),
            Msg::StaleReads => ("Stale reads", "오래된 읽기"),
            Msg::Staleness => ("Staleness (mean / max)", "뒤처진 정도 (평균 / 최대)"),
            Msg::OwnWriteMisses => ("Own write not seen", "자기 쓰기를 못 본 읽기"),
            Msg::LostWrites => ("Acknowledged writes lost", "확인 후 유실된 쓰기"),
            Msg::LostRecords => ("Lost records", "유실된 레코드"),
            Msg::ReplicaLag => ("Largest replica lag", "최대 복제 지연"),
            Msg::CacheHitRate => ("Cache hit rate", "캐시 적중률"),
            Msg::CdnHitRate => ("CDN hit rate", "CDN 적중률"),
            Msg::ReadP50 => ("Read latency p50", "읽기 지연 p50"),
            Msg::WriteP50 => ("Write latency p50", "쓰기 지연 p50"),
            Msg::Presets => ("Presets:", "미리 설정:"),
            Msg::LatestStaleRead => ("Latest stale read", "최근 오래된 읽기"),
            Msg::EventsBehind => ("events behind", "이벤트 뒤처짐"),
            Msg::PromoteNow => ("Promote to master", "마스터로 승격"),
            Msg::PromoteHint => (
                "Manual failover: works when its master is down.",
                "수동 장애 조치: 마스터가 죽었을 때만 됩니다.",
            ),
            Msg::PurgeNow => ("Purge now", "지금 비우기"),
            Msg::Connection => ("Connection", "연결"),
            Msg::RegionPlace => ("Region", "지역"),
            Msg::Connections => ("Sends to", "보내는 곳"),
            Msg::Disconnect => ("Remove", "연결 끊기"),
            Msg::Close => ("Close", "닫기"),
            Msg::JourneyTitle => ("A request's route", "요청의 경로"),
            Msg::JourneyNode => ("Node", "노드"),
            Msg::JourneyArrived => ("Arrived", "도착"),
            Msg::JourneyQueued => ("Queued", "대기"),
            Msg::JourneyHere => ("Worked", "처리"),
            Msg::JourneyHint => (
                "Arrived: time since the user sent it. Worked: from a worker taking it to its answer, calls included.",
                "도착: 사용자가 보낸 뒤 지난 시간. 처리: 워커가 맡은 때부터 응답까지, 호출 포함.",
            ),
            Msg::LatestFailure => ("Latest failure here", "여기서 난 최근 실패"),
            Msg::FiguresRecent => ("Last 10 s", "최근 10초"),
            Msg::FiguresAll => ("Since start", "처음부터"),
            Msg::FiguresWindow => ("Figures over", "집계 범위"),
            Msg::SinceStartTag => ("since start", "처음부터"),
            Msg::Course => ("Course", "코스"),
            Msg::CourseTitle => (
                "Chapter 1: from one server to millions of users",
                "1장: 서버 한 대에서 수백만 사용자까지",
            ),
            Msg::CourseIntro => (
                "Each lesson starts broken on purpose. Run it, see what fails, change the design, and Check: the simulation grades the outcome, so any design that works passes.",
                "강의마다 일부러 고장 난 채로 시작합니다. 실행해서 무엇이 실패하는지 보고, 설계를 바꾸고, 채점하세요. 시뮬레이션이 결과를 채점하므로 작동하는 설계라면 무엇이든 통과합니다.",
            ),
            Msg::Sandbox => ("Free sandbox", "자유 실습"),
            Msg::SandboxHint => (
                "Your own design, with every component and the examples",
                "모든 구성 요소와 예제를 쓰는 나만의 설계",
            ),
            Msg::WelcomeTitle => (
                "Learn how a web service grows from one server to millions of users",
                "웹 서비스가 서버 한 대에서 수백만 사용자로 커지는 과정을 배워 보세요",
            ),
            Msg::WelcomeText => (
                "Fifteen short lessons follow chapter 1 of System Design Interview. In each, something goes wrong on schedule — you watch it happen, fix the design, and the simulation checks that it holds.",
                "《가상 면접 사례로 배우는 대규모 시스템 설계 기초》 1장을 따라가는 짧은 강의 15개입니다. 강의마다 예정된 때에 문제가 생기고, 그것을 지켜본 뒤 설계를 고치면, 시뮬레이션이 제대로 버티는지 확인합니다.",
            ),
            Msg::WelcomeStart => ("Start lesson 1", "1강 시작하기"),
            Msg::WelcomeContinue => ("Continue the course", "강의 이어서 하기"),
            Msg::WelcomeMap => ("See all lessons", "전체 강의 보기"),
            Msg::LessonOf => ("Lesson", "강의"),
            Msg::LessonStory => ("What happened", "무슨 일이 있었나"),
            Msg::LessonWatch => ("What to watch", "지켜볼 것"),
            Msg::LessonGoals => ("Goals", "목표"),
            Msg::LessonCheck => ("Check", "채점"),
            Msg::LessonChecking => ("Checking", "채점 중"),
            Msg::LessonCheckHint => (
                "Runs the whole lesson as fast as this machine can, with the lesson's seed, traffic and timeline.",
                "강의 전체를 이 컴퓨터가 할 수 있는 가장 빠른 속도로, 강의의 시드, 트래픽, 타임라인으로 돌립니다.",
            ),
            Msg::LessonPassed => ("Passed — every goal met.", "통과 — 모든 목표를 이뤘습니다."),
            Msg::LessonNotYet => ("Not yet", "아직 아닙니다"),
            Msg::LessonGoalsMet => ("goals met", "개 목표 달성"),
            Msg::LessonMeasured => ("measured", "측정값"),
            Msg::LessonHint => ("Show a hint", "힌트 보기"),
            Msg::LessonHintsAll => ("All hints shown", "힌트를 모두 보았습니다"),
            Msg::LessonWhy => ("Why it worked", "왜 통과했나"),
            Msg::LessonSelfCheck => ("Check yourself", "스스로 확인"),
            Msg::LessonRight => ("Right.", "맞습니다."),
            Msg::LessonWrong => ("Not quite.", "아직 아닙니다."),
            Msg::LessonNext => ("Next lesson", "다음 강의"),
            Msg::LessonStartOver => ("Start over", "처음부터 다시"),
            Msg::LessonStartOverHint => (
                "Puts the lesson's starting design back (Undo brings yours back).",
                "강의의 시작 설계로 되돌립니다(실행 취소로 내 설계가 돌아옵니다).",
            ),
            Msg::LessonUsePrevious => (
                "Use my design from the previous lesson",
                "이전 강의의 내 설계 쓰기",
            ),
            Msg::LessonLeave => ("Leave to the sandbox", "자유 실습으로 나가기"),
            Msg::LessonOverridden => (
                "Graded with the lesson's traffic and workload; your settings differ on",
                "강의의 트래픽과 작업량으로 채점했습니다. 다음 노드의 설정이 달랐습니다",
            ),
            Msg::LessonRefused => (
                "This design cannot be graded for the lesson:",
                "이 설계는 이 강의로 채점할 수 없습니다:",
            ),
            Msg::LessonDone => ("done", "완료"),
            Msg::LessonUpNext => ("up next", "다음 차례"),
            Msg::LessonLocked => ("Set by the lesson", "강의가 정한 값"),
            Msg::Timeline => ("Timeline", "타임라인"),
            Msg::TimelineJump => ("Jump to just before", "직전으로 건너뛰기"),
            Msg::TimelineGoalWindow => ("goal window", "목표 구간"),
            Msg::TimelineGoalWindows => ("goal windows", "목표 구간"),
            Msg::CourseProgress => ("lessons done", "개 강의 완료"),
            Msg::ExampleShows => ("What it shows:", "보여 주는 것:"),
            Msg::ExampleWhen => ("When:", "언제:"),
            Msg::ExampleWatch => ("Watch:", "지켜볼 것:"),
            Msg::NoSuchLessonMap => (
                "That link names a lesson this version of Scale Lab does not have. Choose one below.",
                "이 링크의 강의는 이 버전의 Scale Lab에 없습니다. 아래에서 고르세요.",
            ),
            Msg::NoSuchLesson => (
                "That link names a lesson this version of Scale Lab does not have. Open the course map to choose one.",
                "이 링크의 강의는 이 버전의 Scale Lab에 없습니다. 강의 지도를 열어 고르세요.",
            ),
            Msg::FiguresRecentNote => (
                "Figures cover the last 10 s of simulated time, like the chart's latest points; ledgers marked \"since start\" count the whole run.",
                "지표는 시뮬레이션 시간 최근 10초 동안의 값입니다 (차트의 최근 점들과 같음). \"처음부터\" 표시가 붙은 누적 값은 전체 실행을 셉니다.",
            ),
            Msg::RegionHelp => (
                "Nodes drawn inside the box run here. Drag its title strip to move it with them, its corner to resize it.",
                "상자 안에 둔 노드는 여기서 돕니다. 제목 줄을 끌면 노드와 함께 옮겨지고, 모서리를 끌면 크기가 바뀝니다.",
            ),
            Msg::EdgeReplication => (
                "The replication stream: the master's binlog events travel to this replica.",
                "복제 스트림: 마스터의 바이너리 로그 이벤트가 이 복제본으로 갑니다.",
            ),
            Msg::EdgeJobs => (
                "The queue delivers jobs to these workers, who acknowledge them.",
                "큐가 이 워커들에게 작업을 전달하고, 워커는 확인을 돌려줍니다.",
            ),
            Msg::EdgeEnqueue => (
                "The web server hands slow jobs to the queue and answers without waiting for them.",
                "웹 서버가 느린 작업을 큐에 넘기고 기다리지 않고 답합니다.",
            ),
            Msg::EdgeOrigin => (
                "Files the CDN does not have are fetched from here (its origin).",
                "CDN에 없는 파일은 여기(원본)에서 가져옵니다.",
            ),
            Msg::EdgeStatic => (
                "Static files go to the CDN; pages and writes take the users' other connections.",
                "정적 파일은 CDN으로 가고, 페이지와 쓰기는 사용자의 다른 연결로 갑니다.",
            ),
            Msg::EdgeLookups => (
                "Users ask the DNS for the site's address when their cached answer expires.",
                "사용자는 캐시된 답이 만료되면 DNS에 사이트 주소를 묻습니다.",
            ),
            Msg::EdgeSessions => (
                "Each page read and write checks the user's login session here.",
                "페이지 읽기와 쓰기마다 여기서 사용자의 로그인 세션을 확인합니다.",
            ),
            Msg::EdgeCache => (
                "Page reads look here first; misses are filled from the database; writes update or delete the copy.",
                "페이지 읽기는 먼저 여기를 보고, 미스는 데이터베이스에서 채우며, 쓰기는 사본을 고치거나 지웁니다.",
            ),
            Msg::EdgeQueries => (
                "Writes go to the master; reads go to replicas connected this way, else to the master.",
                "쓰기는 마스터로, 읽기는 이렇게 연결된 복제본으로(없으면 마스터로) 갑니다.",
            ),
            Msg::EdgeAnswers => (
                "Lookups are answered with this target: at random, the nearest healthy one, or by weight.",
                "조회에 이 대상을 답합니다: 무작위, 가장 가까운 정상 대상, 또는 가중치에 따라.",
            ),
            Msg::EdgePolicy => (
                "The web server's call policy for this dependency",
                "이 의존 대상에 대한 웹 서버의 호출 정책",
            ),
            Msg::EdgeWeight => ("Weighted answers", "가중치 응답"),
            Msg::MonitoringHeading => ("Monitoring", "모니터링"),
            Msg::LabelWeight => ("weight", "가중치"),
            Msg::SpeedMax => ("max", "최대"),
            Msg::ReplicationLag => ("replication lag", "복제 지연"),
            Msg::LiveNow => ("Now", "지금"),
            Msg::LiveState => ("State", "상태"),
            Msg::LiveUp => ("up", "정상"),
            Msg::LiveWait => ("Mean wait in queue", "대기열 평균 대기"),
            Msg::LiveBusy => ("Mean time per request", "요청당 평균 처리 시간"),
            Msg::LiveServed => ("Served", "처리함"),
            Msg::LiveLatency => (
                "Latency here (wait + work)",
                "여기서 걸린 시간(대기 + 처리)",
            ),
            Msg::LiveErrors => ("Answered with an error", "오류로 응답함"),
            Msg::LiveDropped => ("Refused (queue full)", "거절(대기열 가득)"),
            Msg::LiveCost => ("Cost", "비용"),
            Msg::LiveHitRate => ("Hit rate", "적중률"),
            Msg::LiveHeld => ("Records held", "보관 중인 레코드"),
            Msg::LiveEvictions => ("Evicted to make room", "자리를 내려고 밀려남"),
            Msg::LiveExpirations => ("Found expired", "만료되어 있음"),
            Msg::LiveDuplicateMisses => (
                "Duplicate misses (a refill already on its way)",
                "중복 미스(이미 다시 채우는 중)",
            ),
            Msg::LiveCoalesced => (
                "Waited for another reader's fill",
                "다른 읽기의 채우기를 기다림",
            ),
            Msg::LiveBacklog => ("Jobs waiting", "기다리는 작업"),
            Msg::LiveInFlight => ("Jobs at the workers", "작업자가 처리 중인 작업"),
            Msg::LiveOldest => ("Oldest waiting job", "가장 오래 기다린 작업"),
            Msg::LiveRedelivered => ("Redelivered", "다시 전달함"),
            Msg::LiveDeadLettered => ("Dead-lettered", "데드 레터로 보냄"),
            Msg::LiveJobsLost => ("Jobs lost", "잃은 작업"),
            Msg::LiveInstances => ("Instances (starting)", "인스턴스(시작 중)"),
            Msg::LiveJobsDone => ("Jobs done", "끝낸 작업"),
            Msg::LiveJobsFailed => ("Jobs failed", "실패한 작업"),
            Msg::LiveRate => ("Requests on it", "이 연결의 요청"),
            Msg::LiveCallLatency => (
                "Time at the called node per request (wait + work)",
                "호출된 노드에서 요청당 걸린 시간(대기 + 처리)",
            ),
            Msg::DotRead => ("read", "읽기"),
            Msg::DotWrite => ("write", "쓰기"),
            Msg::DotStatic => ("static", "정적"),
            Msg::DotJob => ("job", "작업"),
            Msg::Drawer => ("Charts and event log", "그래프와 이벤트 기록"),
            Msg::PaceBehind => ("can't keep up", "따라가지 못함"),
            Msg::PaceHint => (
                "The speed reached over the last second: this machine cannot simulate the design faster and still draw 60 frames a second",
                "지난 1초 동안 실제로 낸 속도: 이 컴퓨터는 초당 60프레임을 그리면서 이 설계를 더 빨리 시뮬레이션할 수 없습니다",
            ),
            Msg::DotStale => ("stale", "오래된 값"),
            Msg::DotError => ("error", "오류"),
            Msg::Charts => ("Over time", "시간에 따른 변화"),
            Msg::ChartChoose => ("Figure to chart", "그래프로 볼 지표"),
            Msg::ChartHint => (
                "Chart of the chosen figure per simulated second; dashed marks are faults; hover for values",
                "고른 지표의 초당 그래프. 점선은 장애 시점, 마우스를 올리면 값이 보입니다",
            ),
            Msg::ChartEmpty => (
                "Run the design to see it over time",
                "설계를 실행하면 시간에 따른 변화가 보입니다",
            ),
            Msg::ChartLatency => ("Latency p50 / p95 / p99", "지연 p50 / p95 / p99"),
            Msg::ChartReliability => ("Reliability (correct answers)", "신뢰성(올바른 응답)"),
            Msg::ChartBacklog => ("Queue backlog", "큐 적체"),
            Msg::FaultMenu => ("Faults for", "장애 주입:"),
            Msg::FaultKill => ("Kill", "죽이기"),
            Msg::FaultRestart => ("Restart", "재시작"),
            Msg::FaultSlow => ("Slow down ×10 for 60 s", "60초 동안 ×10 느리게"),
            Msg::FaultCut => ("Cut its links for 60 s", "60초 동안 연결 끊기"),
            Msg::Chaos => ("Chaos…", "카오스…"),
            Msg::ChaosKillServer => ("Kill a random web server", "무작위 웹 서버 죽이기"),
            Msg::ChaosKillMaster => ("Kill the master database", "마스터 데이터베이스 죽이기"),
            Msg::ChaosKillDc => ("Kill a data center", "데이터 센터 하나 죽이기"),
            Msg::ChaosSpike => ("Traffic ×10 for a minute", "1분 동안 트래픽 ×10"),
            Msg::ChaosNothing => (
                "Chaos found nothing to hit in this design.",
                "이 설계에는 카오스가 공격할 대상이 없습니다.",
            ),
            Msg::EventLog => ("Event log", "이벤트 기록"),
            Msg::LogFilter => ("Filter: node or words", "거르기: 노드나 단어"),
            Msg::LogKind => ("Kind of event", "이벤트 종류"),
            Msg::LogAll => ("All", "전체"),
            Msg::LogEmpty => (
                "Nothing yet: crashes, health checks, failovers and alerts appear here as they happen.",
                "아직 없음: 장애, 헬스 체크, 장애 조치, 경보가 일어나는 대로 여기 나옵니다.",
            ),
            Msg::EventsShort => ("events", "이벤트"),
            Msg::StepEvent => ("Step", "한 단계"),
            Msg::StepEventHint => (
                "Pause and process exactly one event",
                "멈추고 이벤트 하나만 처리",
            ),
            Msg::StepTimeHint => (
                "Pause and advance the clock by 10 ms",
                "멈추고 시계를 10 ms 진행",
            ),
            Msg::EventsHint => ("Events processed", "처리한 이벤트 수"),
            Msg::SeedHint => (
                "Seed of every random stream: the same design and seed replay identically; another seed is another run",
                "모든 난수 흐름의 시드: 같은 설계와 시드는 똑같이 재현되고, 다른 시드는 다른 실행입니다",
            ),
            Msg::ErrorsLogged => ("Errors collected from logs", "로그에서 모은 오류"),
            Msg::LabelTimeout => ("timeout", "타임아웃"),
            Msg::LabelRetries => ("retries", "재시도"),
            Msg::LabelBudget => (" (budget)", " (예산)"),
            Msg::LabelBreaker => ("breaker", "브레이커"),
            Msg::LabelBulkhead => ("bulkhead", "벌크헤드"),
            Msg::Resharding => ("Resharding", "재샤딩"),
            Msg::ReshardMoving => ("moving records:", "레코드 이동 중:"),
            Msg::ReshardMoved => ("moved records:", "옮긴 레코드:"),
            Msg::AlertsFiring => ("Alerts firing", "울리는 경보"),
            Msg::NoAlerts => ("none", "없음"),
            Msg::AlertNodeDown => ("down", "다운"),
            Msg::AlertErrorRate => ("error rate high", "오류율 높음"),
            Msg::AlertLatency => ("latency high (p95)", "지연 높음(p95)"),
            Msg::AlertsFired => ("Alerts fired", "울린 경보"),
            Msg::TimeToDetect => ("Time to detect", "탐지까지 걸린 시간"),
            Msg::ServersAdded => ("Web servers added", "추가된 웹 서버"),
            Msg::Booting => ("booting", "부팅 중"),
            Msg::ActiveUsers => ("Active users today", "오늘의 활성 사용자"),
            Msg::RequestsPerUser => ("Requests per user", "사용자당 요청 수"),
            Msg::ErrorBudgetUsed => ("Error budget spent", "소진한 오류 예산"),
            Msg::Slo => ("SLO", "SLO"),
            Msg::BreakerClosed => ("breaker closed", "브레이커 닫힘"),
            Msg::BreakerOpen => ("breaker OPEN", "브레이커 열림"),
            Msg::BreakerHalfOpen => ("breaker half-open", "브레이커 반열림"),
            Msg::EdgeRequests => (
                "Requests travel this way, and their answers come back.",
                "요청이 이쪽으로 가고, 답이 돌아옵니다.",
            ),
            Msg::PurgeHint => (
                "Empties it, as after a deploy: watch it warm up again.",
                "배포 후처럼 비웁니다: 다시 채워지는 모습을 보세요.",
            ),
            Msg::Availability => ("Availability", "가용성"),
            Msg::Uptime => ("Up time", "정상 가동 시간"),
            Msg::CostPerMonth => ("Cost per month", "월 비용"),
            Msg::ErrorsByCause => ("Errors by cause", "원인별 오류"),
            Msg::TimeBreakdown => ("Where the time goes", "시간이 쓰이는 곳"),
            Msg::Network => ("network", "네트워크"),
            Msg::Queueing => ("waiting in queues", "대기열 대기"),
            Msg::Processing => ("processing", "처리"),
            Msg::Dns => ("DNS lookups", "DNS 조회"),
            Msg::SessionsLost => ("Sessions wiped by crashes", "장애로 지워진 세션"),
            Msg::Down => ("✕ DOWN", "✕ 다운"),
            Msg::Undo => ("Undo", "실행 취소"),
            Msg::Redo => ("Redo", "다시 실행"),
            Msg::UndoHint => ("Undo (Ctrl+Z / ⌘Z)", "실행 취소 (Ctrl+Z / ⌘Z)"),
            Msg::RedoHint => (
                "Redo (Ctrl+Shift+Z / ⌘⇧Z)",
                "다시 실행 (Ctrl+Shift+Z / ⌘⇧Z)",
            ),
            Msg::Examples => ("Open an example…", "예제 열기…"),
            Msg::ExampleOpened => (
                "Example opened. Undo (Ctrl+Z) brings back your previous design.",
                "예제를 열었습니다. 실행 취소(Ctrl+Z)로 이전 설계로 돌아갈 수 있습니다.",
            ),
            Msg::Import => ("Import…", "가져오기…"),
            Msg::Imported => (
                "Design imported. Undo (Ctrl+Z) brings back your previous design.",
                "설계를 가져왔습니다. 실행 취소(Ctrl+Z)로 이전 설계로 돌아갈 수 있습니다.",
            ),
            Msg::ImportFailed => (
                "This file could not be opened; your design is unchanged.",
                "이 파일을 열 수 없습니다. 지금 설계는 그대로입니다.",
            ),
            Msg::Export => ("Export", "내보내기"),
            Msg::Share => ("Share link", "공유 링크"),
            Msg::ShareHint => (
                "This link holds the whole design (copied to the clipboard if the browser allowed it):",
                "이 링크에 설계 전체가 들어 있습니다 (브라우저가 허용하면 클립보드에 복사됨):",
            ),
            Msg::LinkOpened => (
                "Opened the design from the link. Undo (Ctrl+Z) brings back your previous design.",
                "링크의 설계를 열었습니다. 실행 취소(Ctrl+Z)로 이전 설계로 돌아갈 수 있습니다.",
            ),
            Msg::LinkBroken => (
                "This link is broken or incomplete (was it copied in full?); your saved design is unchanged.",
                "링크가 손상되었거나 잘렸습니다(전부 복사되었나요?). 저장된 설계는 그대로입니다.",
            ),
            Msg::LinkNewer => (
                "This link was made by a newer Scale Lab; your saved design is unchanged.",
                "더 새로운 Scale Lab에서 만든 링크입니다. 저장된 설계는 그대로입니다.",
            ),
            Msg::Outline => ("Components in the design", "설계의 구성 요소"),
            Msg::Done => ("Done", "완료"),
            Msg::ManySelected => ("components selected", "개 구성 요소 선택됨"),
            Msg::ManySelectedHint => (
                "Drag one to move them all; Delete removes them; Shift+click adds or removes one.",
                "하나를 끌면 모두 움직입니다. Delete로 삭제하고, Shift+클릭으로 하나씩 더하거나 뺍니다.",
            ),
            Msg::OpenFull => ("Open in Scale Lab ↗", "Scale Lab에서 열기 ↗"),
            Msg::NoSuchExample => (
                "This embed names no design: add #design=… (a share link) or ?example=… to its address.",
                "이 임베드에는 설계가 없습니다: 주소에 #design=…(공유 링크)이나 ?example=…를 붙이세요.",
            ),
            Msg::ZoomIn => ("Zoom in", "확대"),
            Msg::ZoomOut => ("Zoom out", "축소"),
            Msg::Fit => ("Fit", "맞춤"),
            Msg::FitHint => (
                "Show the whole design (wheel or pinch zooms; space-drag or two fingers pan)",
                "설계 전체 보기 (휠이나 핀치로 확대/축소, 스페이스를 누른 채 끌거나 두 손가락으로 이동)",
            ),
            Msg::Unreadable => (
                "It is not a Scale Lab design file.",
                "Scale Lab 설계 파일이 아닙니다.",
            ),
        };
        match lang {
            Lang::En => en,
            Lang::Ko => ko,
        }
    }
}

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
            format!("{loc}: {key}은(는) {min}..={max} 범위여야 합니다. 입력값: {got}")
        }
        ProblemKind::NotInteger { key, got } => {
            format!("{loc}: {key}은(는) 정수여야 합니다. 입력값: {got}")
        }
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
    fn browser_language_picks_korean_or_falls_back_to_english() {
        assert_eq!(Lang::from_tag("ko-KR"), Lang::Ko);
        assert_eq!(Lang::from_tag("KO"), Lang::Ko);
        assert_eq!(Lang::from_tag("en-US"), Lang::En);
        assert_eq!(Lang::from_tag("fr"), Lang::En);
    }

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
}

/// What kind of thing a log entry reports, for the log's filter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
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
