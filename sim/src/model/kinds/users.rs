//! Users: a population sending requests (Poisson arrivals, each user
//! with one way in), and what happens when the answer comes back.

use super::Wiring;
use crate::catalog::{
    Group, KEY_DISTRIBUTIONS, Kind, KindSpec, ParamKind, ParamSpec, TRAFFIC_MODES, USER_REGIONS,
    Unit, count, number, t,
};
use crate::design::Reader;
use crate::model::data::{Freshness, KeyDist, KeySampler, Record};
use crate::model::log::LogEvent;
use crate::model::{
    ErrorCause, Event, JOURNEY_EVERY, JOURNEYS_KEPT, Journey, NodeState, Phase, RequestKind,
    Simulation, failures,
};

use crate::rng::{SimRng, below};
use crate::time::{Nanos, from_secs};
use rand_core::Rng;
use rand_distr::{Distribution, Exp};
use rustc_hash::FxHashMap;

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

/// The catalog entry of this kind: its parameters and texts in both
/// languages.
pub(crate) const SPEC: KindSpec = KindSpec {
    kind: Kind::Users,
    group: Group::Entry,
    id_prefix: "users",
    name: t("Users", "사용자"),
    description: t(
        "People using the site: the source of requests.",
        "사이트를 쓰는 사람들: 요청의 출발점.",
    ),
    connects_to: &[Kind::Dns, Kind::LoadBalancer, Kind::WebServer, Kind::Cdn],
    called_by: &[],
    needs_target: true,
    params: USERS_PARAMS,
    presets: &[],
    in_datacenter: false,
};

#[derive(Debug)]
pub(in crate::model) struct UsersNode {
    pub rng: SimRng,
    /// Requests per second without any spike [req/s].
    base_rate: f64,
    interarrival: Exp<f64>,
    /// Incremented whenever the rate changes, so stale arrivals are ignored.
    pub epoch: u32,
    pub population: u64,
    pub network: Nanos,
    pub timeout: Nanos,
    pub write_pct: f64,
    pub static_pct: f64,
    /// Which records requests pick.
    pub keys: KeySampler,
    /// Share of successful writes followed by a read of the same record [%].
    pub read_back_pct: f64,
    /// Reads staler than this are incorrect [ns].
    pub stale_bound: Nanos,
    /// When each user last had a write acknowledged [ns] (what a
    /// read-your-writes cookie remembers).
    pub last_write: FxHashMap<u32, Nanos>,
    /// Where dynamic requests go (DNS, load balancer or web server).
    pub targets: Vec<u32>,
    /// CDNs that serve static files.
    pub cdns: Vec<u32>,
    /// Their region (index into `GEO_REGIONS`), if not next to the site.
    pub geo: Option<usize>,
    /// Each user's cached DNS answer: (entry node, expiry time [ns]).
    pub dns_cache: FxHashMap<u32, (u32, Nanos)>,
    /// Where each user's current login session lives (the node that created
    /// it). Logging in again elsewhere replaces it: the browser's session
    /// cookie can name only one.
    pub session_at: FxHashMap<u32, u32>,
}

/// A Users node's parameters, read once when the design is validated.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Params {
    /// Requests per second at peak [req/s]: as given, or from daily users.
    pub rate_rps: f64,
    /// Distinct users [count]: as given, or the daily users.
    pub population: u64,
    /// Share of requests that write [%].
    pub write_pct: f64,
    /// Share of requests for static files [%].
    pub static_pct: f64,
    /// Records users ask about [count].
    pub keys: u64,
    /// How users pick a record.
    pub key_dist: KeyDist,
    /// Zipf exponent.
    pub zipf_alpha: f64,
    /// Share of records in the hot set [%].
    pub hot_keys_pct: f64,
    /// Share of traffic to the hot set [%].
    pub hot_traffic_pct: f64,
    /// Share of writes read back by the same user at once [%].
    pub read_back_pct: f64,
    /// How old a read may be before it counts as stale [ns].
    pub stale_bound: Nanos,
    /// Where the users are (index into [`crate::catalog::GEO_REGIONS`]);
    /// `None` for "local", next to every data center.
    pub region: Option<usize>,
    /// One-way network time between users and the site [ns].
    pub network: Nanos,
    /// How long a user waits for an answer [ns].
    pub timeout: Nanos,
}

impl Params {
    /// Reads the checked values.
    pub(crate) fn read(r: &Reader) -> Self {
        // Both ways of giving the traffic are read; the mode picks one.
        let dau = r.number("dau");
        let from_dau = dau * r.number("requests_per_user_day") / super::SECONDS_PER_DAY
            * r.number("peak_factor");
        let given = (r.number("rate_rps"), r.count("population"));
        let (rate_rps, population) = if r.is("mode", "dau") {
            (from_dau, dau as u64)
        } else {
            given
        };
        let region = r.choice("region");
        Params {
            rate_rps,
            population,
            write_pct: r.number("write_pct"),
            static_pct: r.number("static_pct"),
            keys: r.count("keys"),
            key_dist: if r.is("key_dist", "zipf") {
                KeyDist::Zipf
            } else if r.is("key_dist", "hot_set") {
                KeyDist::HotSet
            } else {
                KeyDist::Uniform
            },
            zipf_alpha: r.number("zipf_alpha"),
            hot_keys_pct: r.number("hot_keys_pct"),
            hot_traffic_pct: r.number("hot_traffic_pct"),
            read_back_pct: r.number("read_back_pct"),
            stale_bound: r.ms("stale_bound_ms"),
            region: crate::catalog::GEO_REGIONS
                .iter()
                .position(|g| *g == region),
            network: r.ms("network_ms"),
            timeout: r.ms("timeout_ms"),
        }
    }
}

impl UsersNode {
    /// The next arrival after `now` at this node (node `node`).
    pub fn arrival_after(&mut self, node: u32, now: Nanos) -> (Nanos, Event) {
        let at = now + self.next_gap();
        let epoch = self.epoch;
        (at, Event::Users(UsersEvent::Arrival { users: node, epoch }))
    }

    /// Time to the next arrival [ns].
    pub fn next_gap(&mut self) -> Nanos {
        from_secs(self.interarrival.sample(&mut self.rng))
    }

    /// Multiplies the base rate by `factor` (1 = back to normal).
    pub fn set_rate_factor(&mut self, factor: f64) {
        self.interarrival =
            Exp::new(self.base_rate * factor).expect("validated: positive finite rate");
        self.epoch += 1;
    }
}

impl UsersNode {
    /// Builds the node from its design entry (parameters) and wiring.
    pub fn build(p: &Params, rng: SimRng, w: &Wiring) -> Self {
        let targets = w.targets.clone();
        let kind_of = |t: u32| w.kind_of(t);
        UsersNode {
            rng,
            base_rate: p.rate_rps,
            interarrival: Exp::new(p.rate_rps).expect("validated: positive finite rate"),
            epoch: 0,
            population: p.population.clamp(1, u64::from(u32::MAX)),
            network: p.network,
            timeout: p.timeout,
            write_pct: p.write_pct,
            static_pct: p.static_pct,
            keys: KeySampler::new(
                p.key_dist,
                p.keys,
                p.zipf_alpha,
                p.hot_keys_pct,
                p.hot_traffic_pct,
            ),
            read_back_pct: p.read_back_pct,
            stale_bound: p.stale_bound,
            last_write: FxHashMap::default(),
            geo: p.region,
            cdns: targets
                .iter()
                .copied()
                .filter(|&t| kind_of(t) == Kind::Cdn)
                .collect(),
            targets: targets
                .iter()
                .copied()
                .filter(|&t| kind_of(t) != Kind::Cdn)
                .collect(),
            dns_cache: FxHashMap::default(),
            session_at: FxHashMap::default(),
        }
    }

    /// Takes over the dynamic state of `old` (the same node before an
    /// edit): parameters and wiring stay as built from the edit.
    pub fn inherit(&mut self, old: Self, _now: Nanos) {
        self.rng = old.rng;
        self.dns_cache = old.dns_cache;
        self.session_at = old.session_at;
        self.last_write = old.last_write;
        self.epoch = old.epoch + 1; // the caller draws a fresh arrival
    }
}

/// A Users node's events.
#[derive(Debug, Clone, Copy)]
pub(in crate::model) enum UsersEvent {
    /// The next request from a Users node (stale when `epoch` differs).
    Arrival { users: u32, epoch: u32 },
}

impl Simulation {
    /// Handles one of these events.
    pub(in crate::model) fn on_users_event(&mut self, e: UsersEvent) {
        match e {
            UsersEvent::Arrival { users, epoch } => self.on_arrival(users, epoch),
        }
    }

    pub(in crate::model) fn on_arrival(&mut self, users: u32, epoch: u32) {
        let now = self.now;
        let NodeState::Users(u) = &mut self.nodes[users as usize] else {
            unreachable!("arrival events are only scheduled for Users nodes")
        };
        if u.epoch != epoch {
            return; // superseded by a rate change
        }
        let next = now + u.next_gap();
        self.events
            .schedule(next, Event::Users(UsersEvent::Arrival { users, epoch }));
        let user = below(&mut u.rng, u.population) as u32;
        let roll = u.rng.next_u64() as f64 / u64::MAX as f64 * 100.0;
        let kind = if roll < u.write_pct {
            RequestKind::Write
        } else if roll < u.write_pct + u.static_pct {
            RequestKind::Static
        } else {
            RequestKind::Page
        };
        let key = u.keys.draw(&mut u.rng);
        self.issue(users, user, kind, key, false);
    }

    /// User `user` of Users node `users` sends a request for record `key`.
    pub(in crate::model) fn issue(
        &mut self,
        users: u32,
        user: u32,
        kind: RequestKind,
        key: Record,
        read_back: bool,
    ) {
        let now = self.now;
        self.note_user(users, user);
        let NodeState::Users(u) = &mut self.nodes[users as usize] else {
            unreachable!("only Users nodes send requests")
        };
        // Static files come from the CDN if there is one. Otherwise each
        // user has one way in: the target its id maps to.
        if kind == RequestKind::Static && !u.cdns.is_empty() || u.targets.is_empty() {
            let cdn = u.cdns[user as usize % u.cdns.len()];
            let timeout = u.timeout;
            self.stats.arrivals += 1;
            let req = self.alloc_request(users, user, kind, timeout);
            self.requests[req as usize].key = key;
            self.requests[req as usize].entry = cdn;
            return self.send(req, users, cdn, false);
        }
        let target = u.targets[user as usize % u.targets.len()];
        let cached = u
            .dns_cache
            .get(&user)
            .filter(|(_, expiry)| *expiry > now)
            .map(|(entry, _)| *entry);
        let timeout = u.timeout;
        self.stats.arrivals += 1;

        let req = self.alloc_request(users, user, kind, timeout);
        self.requests[req as usize].key = key;
        self.requests[req as usize].read_back = read_back;
        if self.kinds[target as usize] != Kind::Dns {
            self.requests[req as usize].entry = target;
            self.send(req, users, target, false);
        } else if let Some(entry) = cached {
            self.requests[req as usize].entry = entry;
            self.send(req, users, entry, false);
        } else {
            self.requests[req as usize].phase = Phase::Resolving;
            self.send(req, users, target, false);
        }
    }

    pub(in crate::model) fn on_reply_at_users(&mut self, req: u32, users: u32) {
        let now = self.now;
        let r = &mut self.requests[req as usize];
        if r.phase == Phase::Resolving && r.error.is_none() {
            // The DNS answer arrived: cache it for the TTL, then connect.
            r.phase = Phase::Requesting;
            let (user, entry) = (r.user, r.entry);
            let ttl = self.dns_ttl_for(users);
            let NodeState::Users(u) = &mut self.nodes[users as usize] else {
                unreachable!()
            };
            u.dns_cache.insert(user, (entry, now + ttl));
            self.send(req, users, entry, false);
            return;
        }
        let gave_up = now > r.deadline; // the user gave up before this arrived
        let outcome = if gave_up {
            Some(ErrorCause::Timeout)
        } else {
            r.error
        };
        let latency = now - r.created;
        let (kind, key, user, fresh, read_back) = (r.kind, r.key, r.user, r.fresh, r.read_back);
        let w = &mut self.window;
        match outcome {
            None => {
                let s = &mut self.stats;
                s.completed += 1;
                s.latency.record(latency);
                match kind {
                    RequestKind::Write => s.write_latency.record(latency),
                    RequestKind::Page => s.read_latency.record(latency),
                    RequestKind::Static => {}
                }
                s.net_ns += u128::from(r.net_ns);
                s.dns_ns += u128::from(r.dns_ns);
                s.queue_ns += u128::from(r.queue_ns);
                s.service_ns += u128::from(r.service_ns);
                w.completed += 1;
                w.latency.all.record(latency);
                match kind {
                    RequestKind::Write => w.latency.write.record(latency),
                    RequestKind::Page => w.latency.read.record(latency),
                    RequestKind::Static => {}
                }
            }
            Some(cause) => {
                self.stats.errors.add(cause);
                w.errors += 1;
                self.note_failure(req, cause, gave_up);
            }
        }
        let r = &self.requests[req as usize];
        self.finished += 1;
        if self.finished.is_multiple_of(JOURNEY_EVERY) {
            if self.journeys.len() == JOURNEYS_KEPT {
                self.journeys.pop_front();
            }
            let mut j = Journey::empty();
            j.fill(r, self.peek_key(req), now);
            j.error = outcome;
            if outcome.is_some() {
                j.failed_at = Some(if gave_up { r.origin } else { r.error_at });
                j.other = (!gave_up && r.error_other != failures::NO_NODE).then_some(r.error_other);
            }
            self.journeys.push_back(j);
        }
        self.release_request(req);
        self.note_answer(latency, outcome.is_some());
        if outcome.is_none() {
            self.count_data(users, user, kind, key, fresh, read_back);
        }
    }

    /// Judges a successful request's data; after a write, the user may
    /// read back what they wrote.
    pub(in crate::model) fn count_data(
        &mut self,
        users: u32,
        user: u32,
        kind: RequestKind,
        key: Record,
        fresh: Option<Freshness>,
        read_back: bool,
    ) {
        let now = self.now;
        let NodeState::Users(u) = &mut self.nodes[users as usize] else {
            unreachable!()
        };
        let bound = u.stale_bound;
        if let Some(f) = fresh {
            return self.count_read(f, read_back, bound);
        }
        if kind != RequestKind::Write {
            return;
        }
        self.stats.data.writes += 1;
        u.last_write.insert(user, now);
        let roll = u.rng.next_u64() as f64 / u64::MAX as f64 * 100.0;
        if roll < u.read_back_pct && !self.retired[users as usize] {
            self.issue(users, user, RequestKind::Page, key, true);
        }
    }

    /// TTL [ns] of the DNS node the given Users node resolves through.
    pub(in crate::model) fn dns_ttl_for(&self, users: u32) -> Nanos {
        let NodeState::Users(u) = &self.nodes[users as usize] else {
            return 0;
        };
        u.targets
            .iter()
            .find_map(|&t| match &self.nodes[t as usize] {
                NodeState::Dns(d) => Some(d.ttl),
                _ => None,
            })
            .unwrap_or(0)
    }

    pub(in crate::model) fn set_spike(&mut self, users: u32, factor: f64) {
        let now = self.now;
        let NodeState::Users(u) = &mut self.nodes[users as usize] else {
            return;
        };
        u.set_rate_factor(factor);
        // Poisson arrivals are memoryless: drawing the next arrival afresh
        // at the new rate is exact.
        let (next, epoch) = (now + u.next_gap(), u.epoch);
        self.events
            .schedule(next, Event::Users(UsersEvent::Arrival { users, epoch }));
        let event = if factor == 1.0 {
            LogEvent::SpikeEnded
        } else {
            LogEvent::SpikeStarted { factor }
        };
        self.push_log(users, event);
    }
}
