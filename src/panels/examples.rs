//! The built-in examples: each a design that shows one idea within half a
//! minute of watching, with what it shows, when its events come and what to
//! watch — and the card that says so.

use crate::i18n::{Lang, Msg};
use scalesim::catalog::Text;
use scalesim::design::DesignDoc;
use yew::prelude::*;

/// A built-in example design.
pub struct Example {
    /// Key used in the menu (and in `?example=` later).
    pub key: &'static str,
    /// Menu label.
    pub name: Text,
    /// What it shows.
    pub shows: Text,
    /// What to watch, and where.
    pub watch: Text,
    /// A speed at which its point shows within about 30 s of watching
    /// (simulated seconds per wall second; one of the offered speeds).
    pub speed: f64,
    /// The design file.
    pub json: &'static str,
}

/// Built-in examples, simplest first.
pub const EXAMPLES: &[Example] = &[
    Example {
        key: "single-server",
        name: Text {
            en: "One server and a database",
            ko: "서버 한 대와 데이터베이스",
        },
        shows: Text {
            en: "One user request at a time: users → DNS → web server → database and back, each hop a dot.",
            ko: "요청 하나의 길: 사용자 → DNS → 웹 서버 → 데이터베이스와 되돌아오는 길, 홉마다 점 하나.",
        },
        watch: Text {
            en: "Click a node to see its live figures; 'Where the time goes' splits each request's time.",
            ko: "노드를 클릭하면 실시간 수치가 보이고, '시간이 쓰이는 곳'이 요청 시간을 나눠 보여 줍니다.",
        },
        speed: 1.0,
        json: include_str!("../../scenarios/single-server.json"),
    },
    Example {
        key: "lb-two-servers",
        name: Text {
            en: "Load balancer, two stateless servers",
            ko: "로드밸런서와 무상태 서버 두 대",
        },
        shows: Text {
            en: "A load balancer spreading requests over two stateless web servers that share a session store.",
            ko: "세션 저장소를 함께 쓰는 무상태 웹 서버 두 대에 요청을 나누는 로드밸런서.",
        },
        watch: Text {
            en: "The rate on each load-balancer connection: about half each.",
            ko: "로드밸런서의 각 연결에 적힌 초당 요청 수: 대략 반씩.",
        },
        speed: 1.0,
        json: include_str!("../../scenarios/lb-two-servers.json"),
    },
    Example {
        key: "lb-master-replica",
        name: Text {
            en: "Load balancer, two servers, master and replica",
            ko: "로드밸런서, 서버 두 대, 마스터와 복제본",
        },
        shows: Text {
            en: "Writes go to the master, reads to the replica, which applies the master's binlog.",
            ko: "쓰기는 마스터로, 읽기는 마스터의 binlog를 적용하는 복제본으로 갑니다.",
        },
        watch: Text {
            en: "Pink write dots end at the master, blue read dots at the replica; the replica's label shows its lag.",
            ko: "분홍 쓰기 점은 마스터에서, 파란 읽기 점은 복제본에서 끝납니다. 복제본 라벨에 지연이 보입니다.",
        },
        speed: 1.0,
        json: include_str!("../../scenarios/lb-master-replica.json"),
    },
    Example {
        key: "sticky-sessions-crash",
        name: Text {
            en: "Sticky sessions: a server crashes",
            ko: "고정 세션: 서버 한 대가 죽을 때",
        },
        shows: Text {
            en: "Sessions kept in each server's memory: when web-1 crashes, its users are logged out elsewhere.",
            ko: "세션을 서버 메모리에 둘 때: web-1이 죽으면 그 사용자들은 다른 서버에서 로그아웃됩니다.",
        },
        watch: Text {
            en: "After the crash, the event log counts users logged out at web-2 and web-3 because their session was on web-1.",
            ko: "장애 뒤 이벤트 로그가 세션이 web-1에 있어서 web-2, web-3에서 로그아웃된 사용자를 셉니다.",
        },
        speed: 2.0,
        json: include_str!("../../scenarios/sticky-sessions-crash.json"),
    },
    Example {
        key: "stateless-session-store-crash",
        name: Text {
            en: "Session store: the same crash, no one logged out",
            ko: "세션 저장소: 같은 장애, 로그아웃 없음",
        },
        shows: Text {
            en: "The same crash with sessions in a shared store: nobody is logged out.",
            ko: "세션을 공유 저장소에 둔 같은 장애: 아무도 로그아웃되지 않습니다.",
        },
        watch: Text {
            en: "Errors last only until the load balancer drops web-1; 'logged out' stays at zero.",
            ko: "오류는 로드밸런서가 web-1을 뺄 때까지만 이어지고, '로그아웃'은 0에 머뭅니다.",
        },
        speed: 2.0,
        json: include_str!("../../scenarios/stateless-session-store-crash.json"),
    },
    Example {
        key: "dead-server-health-checks",
        name: Text {
            en: "A dead server until health checks notice",
            ko: "헬스 체크가 알아챌 때까지의 죽은 서버",
        },
        shows: Text {
            en: "A dead server keeps receiving requests until three health checks in a row have failed.",
            ko: "죽은 서버는 헬스 체크가 연속 세 번 실패할 때까지 요청을 계속 받습니다.",
        },
        watch: Text {
            en: "Crosses on the connection to web-2 until the log says it was marked unhealthy; again after it restarts, until it passes two checks.",
            ko: "web-2로 가는 연결의 X 표시가 로그에 비정상 표시가 뜰 때까지 이어지고, 재시작 뒤에는 검사 두 번을 통과할 때까지 빠져 있습니다.",
        },
        speed: 1.0,
        json: include_str!("../../scenarios/dead-server-health-checks.json"),
    },
    Example {
        key: "traffic-spike-overload",
        name: Text {
            en: "A traffic spike (1 M daily users)",
            ko: "트래픽 급증 (일간 사용자 100만)",
        },
        shows: Text {
            en: "A traffic spike beyond the web tier's capacity: queues fill, then requests are refused.",
            ko: "웹 계층 용량을 넘는 트래픽 급증: 대기열이 차고, 요청이 거절됩니다.",
        },
        watch: Text {
            en: "The web servers' queue bars, latency in the chart, then 'queue full' in the log.",
            ko: "웹 서버 대기열 막대, 차트의 지연 시간, 이어서 로그의 '대기열 가득 참'.",
        },
        speed: 1.0,
        json: include_str!("../../scenarios/traffic-spike-overload.json"),
    },
    Example {
        key: "rate-limiter-spike",
        name: Text {
            en: "A rate limiter shields the database from a spike",
            ko: "트래픽 급증에서 데이터베이스를 지키는 처리율 제한기",
        },
        shows: Text {
            en: "A token bucket (400 req/s, burst 100) in front of the web tier. From 20 s to 40 s users send five times their usual 200 req/s; the limiter lets its rate through and refuses the rest at once.",
            ko: "웹 계층 앞의 토큰 버킷(초당 400개, 버스트 100). 20초부터 40초까지 사용자가 평소 초당 200개의 다섯 배를 보냅니다. 제한기는 자기 속도만큼만 통과시키고 나머지는 즉시 거절합니다.",
        },
        watch: Text {
            en: "During the spike: 'throttled' in the errors and the log, error marks (×) at the limiter, while the database stays below full and latency of admitted requests stays low. Up time falls to 0 % then, because more than half of all requests are refused — that is the price of shielding the database. Delete the limiter and connect users to the load balancer to compare.",
            ko: "급증 동안: 오류와 로그에 '처리율 제한으로 거절', 제한기의 오류 표시(×). 그동안 데이터베이스는 가득 차지 않고 통과한 요청의 지연도 낮게 유지됩니다. 이때 정상 가동 시간은 0 %로 떨어집니다. 요청의 절반 넘게 거절되기 때문이고, 데이터베이스를 지키는 대가입니다. 제한기를 지우고 사용자를 로드밸런서에 연결해 비교해 보세요.",
        },
        speed: 2.0,
        json: include_str!("../../scenarios/rate-limiter-spike.json"),
    },
    Example {
        key: "slow-database",
        name: Text {
            en: "A slow database makes users wait",
            ko: "느린 데이터베이스가 사용자를 기다리게 할 때",
        },
        shows: Text {
            en: "A database slowed down: every web worker waits on it, so the whole site slows.",
            ko: "느려진 데이터베이스: 웹 워커가 모두 그것을 기다려 사이트 전체가 느려집니다.",
        },
        watch: Text {
            en: "The database's queue, then the web servers' busy bars filling although they do nothing.",
            ko: "데이터베이스 대기열, 이어서 아무것도 안 하면서 차오르는 웹 서버의 바쁜 막대.",
        },
        speed: 1.0,
        json: include_str!("../../scenarios/slow-database.json"),
    },
    Example {
        key: "replication-async-failover",
        name: Text {
            en: "Async replication: the master dies, writes are lost",
            ko: "비동기 복제: 마스터가 죽고 쓰기가 유실될 때",
        },
        shows: Text {
            en: "Async replication: the master dies and a replica is promoted; writes it never received are lost.",
            ko: "비동기 복제: 마스터가 죽고 복제본이 승격되며, 받지 못한 쓰기는 유실됩니다.",
        },
        watch: Text {
            en: "After the promotion, the log counts acknowledged writes lost; the metrics list their records.",
            ko: "승격 뒤 로그가 유실된 확인된 쓰기를 세고, 지표에 그 레코드가 나옵니다.",
        },
        speed: 1.0,
        json: include_str!("../../scenarios/replication-async-failover.json"),
    },
    Example {
        key: "replication-semi-sync-failover",
        name: Text {
            en: "Semi-sync replication: the same crash, nothing lost",
            ko: "반동기 복제: 같은 장애, 유실 없음",
        },
        shows: Text {
            en: "Semi-sync replication: the same crash loses nothing, because one replica had every acknowledged write.",
            ko: "반동기 복제: 같은 장애에서 아무것도 잃지 않습니다. 복제본 하나가 확인된 쓰기를 모두 가졌으니까요.",
        },
        watch: Text {
            en: "Lost writes stay at zero; write latency is a round trip to the replica higher.",
            ko: "유실된 쓰기는 0에 머물고, 쓰기 지연이 복제본 왕복만큼 깁니다.",
        },
        speed: 1.0,
        json: include_str!("../../scenarios/replication-semi-sync-failover.json"),
    },
    Example {
        key: "replication-sync-failover",
        name: Text {
            en: "Sync replication: no stale reads, slower writes",
            ko: "동기 복제: 오래된 읽기 없음, 느린 쓰기",
        },
        shows: Text {
            en: "Sync replication: every replica applies a write before it is acknowledged — no loss, no stale reads, slower writes.",
            ko: "동기 복제: 모든 복제본이 적용한 뒤에야 쓰기를 확인합니다. 유실도, 오래된 읽기도 없고, 쓰기는 느립니다.",
        },
        watch: Text {
            en: "Write latency in the metrics compared with the async and semi-sync examples.",
            ko: "지표의 쓰기 지연을 비동기, 반동기 예제와 비교해 보세요.",
        },
        speed: 1.0,
        json: include_str!("../../scenarios/replication-sync-failover.json"),
    },
    Example {
        key: "cache-stampede",
        name: Text {
            en: "A hot record expires: cache stampede",
            ko: "인기 레코드 만료: 캐시 몰림 현상",
        },
        shows: Text {
            en: "A hot record expires every few seconds and every reader misses at once: a stampede on the database.",
            ko: "인기 레코드가 몇 초마다 만료되고 모든 읽기가 한꺼번에 미스합니다. 데이터베이스에 몰림이 생깁니다.",
        },
        watch: Text {
            en: "The database's queue jumping at each expiry; the cache's duplicate misses. Turn on coalescing to stop it.",
            ko: "만료마다 튀는 데이터베이스 대기열과 캐시의 중복 미스. coalescing을 켜면 멈춥니다.",
        },
        speed: 1.0,
        json: include_str!("../../scenarios/cache-stampede.json"),
    },
    Example {
        key: "cdn-and-cache",
        name: Text {
            en: "CDN for static files, cache for records",
            ko: "정적 파일은 CDN, 레코드는 캐시",
        },
        shows: Text {
            en: "Static files from a CDN edge, records from a cache: the servers only see what both miss.",
            ko: "정적 파일은 CDN 엣지에서, 레코드는 캐시에서: 서버는 둘 다 놓친 것만 봅니다.",
        },
        watch: Text {
            en: "The CDN and cache hit rates rising as they warm up, and the database's load falling.",
            ko: "데워지면서 오르는 CDN과 캐시 적중률, 그리고 내려가는 데이터베이스 부하.",
        },
        speed: 1.0,
        json: include_str!("../../scenarios/cdn-and-cache.json"),
    },
    Example {
        key: "queue-workers-crash",
        name: Text {
            en: "A queue takes slow jobs; its workers crash",
            ko: "큐가 느린 작업을 받고, 워커가 죽을 때",
        },
        shows: Text {
            en: "Slow jobs handed to a queue; its workers crash and come back, and no job is lost.",
            ko: "느린 작업을 큐에 넘기고, 워커가 죽었다 돌아와도 작업은 하나도 잃지 않습니다.",
        },
        watch: Text {
            en: "Orange job dots stop while the workers are down, the backlog grows, then drains; some jobs run twice.",
            ko: "워커가 내려간 동안 주황 작업 점이 멈추고 백로그가 늘었다가 줄어듭니다. 일부 작업은 두 번 실행됩니다.",
        },
        speed: 1.0,
        json: include_str!("../../scenarios/queue-workers-crash.json"),
    },
    Example {
        key: "sharded-celebrity",
        name: Text {
            en: "Four shards and a celebrity: one shard melts",
            ko: "샤드 네 개와 유명인 한 명: 샤드 하나가 녹아내릴 때",
        },
        shows: Text {
            en: "Records split over shards by key — but a celebrity's record sends half the queries to one shard.",
            ko: "키로 샤드에 나뉜 레코드. 하지만 유명인의 레코드 하나가 쿼리의 절반을 한 샤드로 보냅니다.",
        },
        watch: Text {
            en: "One shard's busy bar full while the others idle.",
            ko: "한 샤드의 바쁜 막대만 가득 차고 나머지는 놉니다.",
        },
        speed: 1.0,
        json: include_str!("../../scenarios/sharded-celebrity.json"),
    },
    Example {
        key: "sharded-joins",
        name: Text {
            en: "Cross-shard joins wait for the slowest shard",
            ko: "샤드 간 조인은 가장 느린 샤드를 기다린다",
        },
        shows: Text {
            en: "Reads that join every shard wait for the slowest; here one shard slows down.",
            ko: "모든 샤드를 조인하는 읽기는 가장 느린 샤드를 기다립니다. 여기서는 샤드 하나가 느려집니다.",
        },
        watch: Text {
            en: "Read latency rising for every joining read once db-4 is slow.",
            ko: "db-4가 느려지면 조인하는 모든 읽기의 지연이 오릅니다.",
        },
        speed: 2.0,
        json: include_str!("../../scenarios/sharded-joins.json"),
    },
    Example {
        key: "geodns-datacenter-outage",
        name: Text {
            en: "Two data centers behind GeoDNS; one goes dark",
            ko: "GeoDNS 뒤의 데이터 센터 두 곳, 한 곳이 꺼질 때",
        },
        shows: Text {
            en: "GeoDNS sends each region's users to the nearest data center; one data center goes down.",
            ko: "GeoDNS가 지역마다 사용자를 가까운 데이터 센터로 보내고, 데이터 센터 하나가 내려갑니다.",
        },
        watch: Text {
            en: "Errors for the dead data center's users until GeoDNS drops it and their cached answers expire (detection + TTL).",
            ko: "GeoDNS가 빼고 기억한 답이 만료될 때까지(탐지 + TTL) 죽은 데이터 센터 사용자의 오류.",
        },
        speed: 5.0,
        json: include_str!("../../scenarios/geodns-datacenter-outage.json"),
    },
    Example {
        key: "cross-region-failover",
        name: Text {
            en: "Failover to a replica in another region loses what had not crossed",
            ko: "다른 리전 복제본으로 장애 조치: 건너가지 못한 쓰기를 잃는다",
        },
        shows: Text {
            en: "A master in one region and its replica in another: the region dies and the replica is promoted.",
            ko: "한 리전의 마스터와 다른 리전의 복제본: 리전이 죽고 복제본이 승격됩니다.",
        },
        watch: Text {
            en: "Writes that had not crossed the ocean are lost; reads of those records are stale afterwards.",
            ko: "바다를 건너지 못한 쓰기는 유실되고, 그 레코드의 읽기는 이후 오래된 값을 돌려줍니다.",
        },
        speed: 2.0,
        json: include_str!("../../scenarios/cross-region-failover.json"),
    },
    Example {
        key: "weighted-dns",
        name: Text {
            en: "Weighted DNS: 70/30 between two data centers",
            ko: "가중치 DNS: 데이터 센터 두 곳에 70/30",
        },
        shows: Text {
            en: "Weighted DNS splits users 70/30 between data centers; one goes down.",
            ko: "가중치 DNS가 사용자를 데이터 센터에 70/30으로 나누고, 한 곳이 내려갑니다.",
        },
        watch: Text {
            en: "The rates on the DNS's connections, then the shift after the outage is detected and answers expire.",
            ko: "DNS 연결의 요청 수, 그리고 장애가 탐지되고 답이 만료된 뒤의 이동.",
        },
        speed: 5.0,
        json: include_str!("../../scenarios/weighted-dns.json"),
    },
    Example {
        key: "retry-storm",
        name: Text {
            en: "Retries without a budget: a short spike becomes a retry storm",
            ko: "예산 없는 재시도: 짧은 급증이 재시도 폭풍이 될 때",
        },
        shows: Text {
            en: "A five-second burst tips a busy database over; timeouts and retries keep it overloaded afterwards.",
            ko: "5초의 급증이 바쁜 데이터베이스를 넘어뜨리고, 타임아웃과 재시도가 그 뒤에도 과부하를 유지합니다.",
        },
        watch: Text {
            en: "The error rate staying high after traffic is back to normal; the connection's retries and wasted answers.",
            ko: "트래픽이 평소로 돌아온 뒤에도 높은 오류율, 그리고 연결의 재시도와 버려진 응답.",
        },
        speed: 1.0,
        json: include_str!("../../scenarios/retry-storm.json"),
    },
    Example {
        key: "circuit-breaker",
        name: Text {
            en: "A circuit breaker in front of a database that dies",
            ko: "죽는 데이터베이스 앞의 서킷 브레이커",
        },
        shows: Text {
            en: "A circuit breaker opens when its database dies, fails calls fast, and closes after the restart.",
            ko: "데이터베이스가 죽으면 서킷 브레이커가 열려 호출을 즉시 실패시키고, 재시작 뒤에 닫힙니다.",
        },
        watch: Text {
            en: "The breaker's state on the connection and in the log: open, half-open trials, closed.",
            ko: "연결과 로그에 나오는 브레이커 상태: 열림, 반열림 시험, 닫힘.",
        },
        speed: 1.0,
        json: include_str!("../../scenarios/circuit-breaker.json"),
    },
    Example {
        key: "bulkhead-slow-database",
        name: Text {
            en: "A bulkhead keeps a slow database from taking every thread",
            ko: "벌크헤드: 느린 데이터베이스가 스레드를 다 차지하지 못하게",
        },
        shows: Text {
            en: "A bulkhead caps the threads waiting on a slow database, so cache hits are still served.",
            ko: "벌크헤드가 느린 데이터베이스를 기다리는 스레드 수를 제한해, 캐시 적중은 계속 처리됩니다.",
        },
        watch: Text {
            en: "Throughput holding at about the hit share after the database slows; 'bulkhead full' in the errors.",
            ko: "데이터베이스가 느려진 뒤에도 적중 비율만큼 유지되는 처리량, 오류의 '벌크헤드 가득 참'.",
        },
        speed: 1.0,
        json: include_str!("../../scenarios/bulkhead-slow-database.json"),
    },
    Example {
        key: "monitoring-on-call",
        name: Text {
            en: "Monitoring pages the on-call engineer when the master dies",
            ko: "마스터가 죽으면 모니터링이 당번 엔지니어를 호출",
        },
        shows: Text {
            en: "Monitoring detects a dead master and pages an engineer, who fails it over.",
            ko: "모니터링이 죽은 마스터를 탐지해 엔지니어를 호출하고, 엔지니어가 장애 조치합니다.",
        },
        watch: Text {
            en: "The log: alert after scrape + 'for', the on-call engineer acting after their response time.",
            ko: "로그: 수집 + 'for' 뒤의 경보, 응답 시간 뒤에 조치하는 당번 엔지니어.",
        },
        speed: 2.0,
        json: include_str!("../../scenarios/monitoring-on-call.json"),
    },
    Example {
        key: "autoscale-web-tier",
        name: Text {
            en: "The web tier autoscales through a traffic spike",
            ko: "트래픽 급증에 웹 계층이 자동 확장될 때",
        },
        shows: Text {
            en: "The autoscaler adds web servers when traffic triples, with a lag: scrape, then boot.",
            ko: "트래픽이 세 배가 되면 자동 확장기가 웹 서버를 더합니다. 수집과 부팅만큼 늦게요.",
        },
        watch: Text {
            en: "Errors and latency right after the spike, until the added servers have booted (the metrics count them).",
            ko: "급증 직후의 오류와 지연, 추가된 서버가 부팅을 마칠 때까지(지표가 셉니다).",
        },
        speed: 5.0,
        json: include_str!("../../scenarios/autoscale-web-tier.json"),
    },
    Example {
        key: "chapter-1-full-picture",
        name: Text {
            en: "The chapter-1 picture: two data centers, CDN, caches, replicas, a queue",
            ko: "1장의 전체 그림: 데이터 센터 두 곳, CDN, 캐시, 복제본, 큐",
        },
        shows: Text {
            en: "The chapter's whole picture: two data centers, GeoDNS, CDN, caches, replicas, a queue and monitoring.",
            ko: "이 장의 전체 그림: 데이터 센터 둘, GeoDNS, CDN, 캐시, 복제본, 큐, 모니터링.",
        },
        watch: Text {
            en: "Use the chaos menu to kill a server, the master or a data center, and watch the system absorb it.",
            ko: "카오스 메뉴로 서버, 마스터, 데이터 센터를 죽이고 시스템이 흡수하는 모습을 보세요.",
        },
        speed: 1.0,
        json: include_str!("../../scenarios/chapter-1-full-picture.json"),
    },
    Example {
        key: "littles-law",
        name: Text {
            en: "Little's law: 20,000 requests a second, half a second each — 10,000 in flight",
            ko: "리틀의 법칙: 초당 2만 요청 × 0.5초 = 동시에 1만 개가 오가는 중",
        },
        shows: Text {
            en: "Little's law on the canvas: 20,000 requests a second with 250 ms each way keep about 10,000 on the wire.",
            ko: "캔버스 위의 리틀의 법칙: 편도 250 ms로 초당 20,000개 요청이면 약 10,000개가 선 위에 있습니다.",
        },
        watch: Text {
            en: "The legend's count of requests on a hop: about 10,000, every one of them drawn as a dot.",
            ko: "범례의 이동 중 요청 수: 약 10,000개이고, 하나하나가 모두 점으로 그려집니다.",
        },
        speed: 0.25,
        json: include_str!("../../scenarios/littles-law.json"),
    },
];

/// The example with this key.
pub fn find_example(key: &str) -> Option<&'static Example> {
    EXAMPLES.iter().find(|e| e.key == key)
}

/// An example's card: what it shows, when its events come (from the
/// design's own faults), what to watch. `id` names the card in the page.
pub fn example_card(key: &str, lang: Lang, id: &'static str, extra: Html) -> Html {
    let Some(e) = find_example(key) else {
        return Html::default();
    };
    let events = example(key).map(|d| d.faults).unwrap_or_default();
    html! {
        <section class="example-card" {id} data-example={e.key}>
            <strong>{ lang.pick(e.name) }</strong>
            <p><span class="card-label">{ Msg::ExampleShows.text(lang) }</span>{ " " }{ lang.pick(e.shows) }</p>
            if !events.is_empty() {
                <p><span class="card-label">{ Msg::ExampleWhen.text(lang) }</span>{ " " }
                    { events.iter().map(|f| match lang {
                        Lang::En => format!("t = {:.0} s: {}", f.at_s, crate::i18n::fault_text(lang, f)),
                        Lang::Ko => format!("{:.0}초: {}", f.at_s, crate::i18n::fault_text(lang, f)),
                    }).collect::<Vec<_>>().join("; ") }
                </p>
            }
            <p><span class="card-label">{ Msg::ExampleWatch.text(lang) }</span>{ " " }{ lang.pick(e.watch) }</p>
            { extra }
        </section>
    }
}

/// The design of example `key`.
pub fn example(key: &str) -> Option<DesignDoc> {
    let e = EXAMPLES.iter().find(|e| e.key == key)?;
    DesignDoc::from_json(e.json).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_example_says_what_it_shows_and_shows_it_within_half_a_minute() {
        for e in EXAMPLES {
            assert!(
                crate::driver::SPEEDS.contains(&e.speed),
                "{}: speed {} is not offered",
                e.key,
                e.speed
            );
            for t in [e.shows, e.watch] {
                assert!(!t.en.is_empty() && !t.ko.is_empty(), "{}", e.key);
            }
            let doc = example(e.key).unwrap();
            if let Some(first) = doc.faults.iter().map(|f| f.at_s).reduce(f64::min) {
                let wall = first / e.speed;
                assert!(
                    wall <= 30.0,
                    "{}: its first event comes after {wall:.0} s of watching",
                    e.key
                );
            }
        }
    }

    #[test]
    fn every_example_opens_and_runs_and_keys_are_unique() {
        for (i, e) in EXAMPLES.iter().enumerate() {
            let doc = example(e.key).unwrap_or_else(|| panic!("{} does not parse", e.key));
            if let Err(p) = doc.validate() {
                panic!("{} does not validate: {p}", e.key);
            }
            assert!(!e.name.en.is_empty() && !e.name.ko.is_empty());
            assert!(EXAMPLES[i + 1..].iter().all(|o| o.key != e.key));
        }
    }
}
