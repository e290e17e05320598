//! The file menu: built-in examples, import and export of design files, and
//! share links. Every way in goes through the same design format and the
//! same checks; a design that cannot be read replaces nothing.

use crate::i18n::{Lang, Msg};
use crate::share;
use crate::state::{Action, Notice};
use scalesim::catalog::Text;
use scalesim::design::DesignDoc;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{HtmlAnchorElement, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// A built-in example design.
pub struct Example {
    /// Key used in the menu (and in `?example=` later).
    pub key: &'static str,
    /// Menu label.
    pub name: Text,
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
        json: include_str!("../../scenarios/single-server.json"),
    },
    Example {
        key: "lb-two-servers",
        name: Text {
            en: "Load balancer, two stateless servers",
            ko: "로드밸런서와 무상태 서버 두 대",
        },
        json: include_str!("../../scenarios/lb-two-servers.json"),
    },
    Example {
        key: "lb-master-replica",
        name: Text {
            en: "Load balancer, two servers, master and replica",
            ko: "로드밸런서, 서버 두 대, 마스터와 복제본",
        },
        json: include_str!("../../scenarios/lb-master-replica.json"),
    },
    Example {
        key: "sticky-sessions-crash",
        name: Text {
            en: "Sticky sessions: a server crashes",
            ko: "고정 세션: 서버 한 대가 죽을 때",
        },
        json: include_str!("../../scenarios/sticky-sessions-crash.json"),
    },
    Example {
        key: "stateless-session-store-crash",
        name: Text {
            en: "Session store: the same crash, no one logged out",
            ko: "세션 저장소: 같은 장애, 로그아웃 없음",
        },
        json: include_str!("../../scenarios/stateless-session-store-crash.json"),
    },
    Example {
        key: "dead-server-health-checks",
        name: Text {
            en: "A dead server until health checks notice",
            ko: "헬스 체크가 알아챌 때까지의 죽은 서버",
        },
        json: include_str!("../../scenarios/dead-server-health-checks.json"),
    },
    Example {
        key: "traffic-spike-overload",
        name: Text {
            en: "A traffic spike (1 M daily users)",
            ko: "트래픽 급증 (일간 사용자 100만)",
        },
        json: include_str!("../../scenarios/traffic-spike-overload.json"),
    },
    Example {
        key: "slow-database",
        name: Text {
            en: "A slow database makes users wait",
            ko: "느린 데이터베이스가 사용자를 기다리게 할 때",
        },
        json: include_str!("../../scenarios/slow-database.json"),
    },
    Example {
        key: "replication-async-failover",
        name: Text {
            en: "Async replication: the master dies, writes are lost",
            ko: "비동기 복제: 마스터가 죽고 쓰기가 유실될 때",
        },
        json: include_str!("../../scenarios/replication-async-failover.json"),
    },
    Example {
        key: "replication-semi-sync-failover",
        name: Text {
            en: "Semi-sync replication: the same crash, nothing lost",
            ko: "반동기 복제: 같은 장애, 유실 없음",
        },
        json: include_str!("../../scenarios/replication-semi-sync-failover.json"),
    },
    Example {
        key: "replication-sync-failover",
        name: Text {
            en: "Sync replication: no stale reads, slower writes",
            ko: "동기 복제: 오래된 읽기 없음, 느린 쓰기",
        },
        json: include_str!("../../scenarios/replication-sync-failover.json"),
    },
    Example {
        key: "cache-stampede",
        name: Text {
            en: "A hot record expires: cache stampede",
            ko: "인기 레코드 만료: 캐시 몰림 현상",
        },
        json: include_str!("../../scenarios/cache-stampede.json"),
    },
    Example {
        key: "cdn-and-cache",
        name: Text {
            en: "CDN for static files, cache for records",
            ko: "정적 파일은 CDN, 레코드는 캐시",
        },
        json: include_str!("../../scenarios/cdn-and-cache.json"),
    },
    Example {
        key: "queue-workers-crash",
        name: Text {
            en: "A queue takes slow jobs; its workers crash",
            ko: "큐가 느린 작업을 받고, 워커가 죽을 때",
        },
        json: include_str!("../../scenarios/queue-workers-crash.json"),
    },
    Example {
        key: "sharded-celebrity",
        name: Text {
            en: "Four shards and a celebrity: one shard melts",
            ko: "샤드 네 개와 유명인 한 명: 샤드 하나가 녹아내릴 때",
        },
        json: include_str!("../../scenarios/sharded-celebrity.json"),
    },
    Example {
        key: "sharded-joins",
        name: Text {
            en: "Cross-shard joins wait for the slowest shard",
            ko: "샤드 간 조인은 가장 느린 샤드를 기다린다",
        },
        json: include_str!("../../scenarios/sharded-joins.json"),
    },
    Example {
        key: "geodns-datacenter-outage",
        name: Text {
            en: "Two data centers behind GeoDNS; one goes dark",
            ko: "GeoDNS 뒤의 데이터 센터 두 곳, 한 곳이 꺼질 때",
        },
        json: include_str!("../../scenarios/geodns-datacenter-outage.json"),
    },
    Example {
        key: "cross-region-failover",
        name: Text {
            en: "Failover to a replica in another region loses what had not crossed",
            ko: "다른 리전 복제본으로 장애 조치: 건너가지 못한 쓰기를 잃는다",
        },
        json: include_str!("../../scenarios/cross-region-failover.json"),
    },
    Example {
        key: "weighted-dns",
        name: Text {
            en: "Weighted DNS: 70/30 between two data centers",
            ko: "가중치 DNS: 데이터 센터 두 곳에 70/30",
        },
        json: include_str!("../../scenarios/weighted-dns.json"),
    },
    Example {
        key: "retry-storm",
        name: Text {
            en: "Retries without a budget: a short spike becomes a retry storm",
            ko: "예산 없는 재시도: 짧은 급증이 재시도 폭풍이 될 때",
        },
        json: include_str!("../../scenarios/retry-storm.json"),
    },
    Example {
        key: "circuit-breaker",
        name: Text {
            en: "A circuit breaker in front of a database that dies",
            ko: "죽는 데이터베이스 앞의 서킷 브레이커",
        },
        json: include_str!("../../scenarios/circuit-breaker.json"),
    },
    Example {
        key: "bulkhead-slow-database",
        name: Text {
            en: "A bulkhead keeps a slow database from taking every thread",
            ko: "벌크헤드: 느린 데이터베이스가 스레드를 다 차지하지 못하게",
        },
        json: include_str!("../../scenarios/bulkhead-slow-database.json"),
    },
    Example {
        key: "monitoring-on-call",
        name: Text {
            en: "Monitoring pages the on-call engineer when the master dies",
            ko: "마스터가 죽으면 모니터링이 당번 엔지니어를 호출",
        },
        json: include_str!("../../scenarios/monitoring-on-call.json"),
    },
    Example {
        key: "autoscale-web-tier",
        name: Text {
            en: "The web tier autoscales through a traffic spike",
            ko: "트래픽 급증에 웹 계층이 자동 확장될 때",
        },
        json: include_str!("../../scenarios/autoscale-web-tier.json"),
    },
    Example {
        key: "chapter-1-full-picture",
        name: Text {
            en: "The chapter-1 picture: two data centers, CDN, caches, replicas, a queue",
            ko: "1장의 전체 그림: 데이터 센터 두 곳, CDN, 캐시, 복제본, 큐",
        },
        json: include_str!("../../scenarios/chapter-1-full-picture.json"),
    },
    Example {
        key: "littles-law",
        name: Text {
            en: "Little's law: 20,000 requests a second, half a second each — 10,000 in flight",
            ko: "리틀의 법칙: 초당 2만 요청 × 0.5초 = 동시에 1만 개가 오가는 중",
        },
        json: include_str!("../../scenarios/littles-law.json"),
    },
];

/// The design of example `key`.
pub fn example(key: &str) -> Option<DesignDoc> {
    let e = EXAMPLES.iter().find(|e| e.key == key)?;
    DesignDoc::from_json(e.json).ok()
}

/// The link that opens `doc` on this page.
pub fn share_link(doc: &DesignDoc) -> String {
    let loc = gloo::utils::window().location();
    let base = format!(
        "{}{}{}",
        loc.origin().unwrap_or_default(),
        loc.pathname().unwrap_or_default(),
        loc.search().unwrap_or_default()
    );
    format!("{base}#{}", share::encode(doc))
}

/// Properties of [`FileMenu`].
#[derive(Properties, PartialEq)]
pub struct FileMenuProps {
    /// The design (for export and share).
    pub doc: DesignDoc,
    /// UI language.
    pub lang: Lang,
    /// Receives loads and notices.
    pub on_action: Callback<Action>,
}

/// The file menu.
#[function_component(FileMenu)]
pub fn file_menu(props: &FileMenuProps) -> Html {
    let lang = props.lang;
    let file_input = use_node_ref();
    let reader: Rc<RefCell<Option<gloo::file::callbacks::FileReader>>> = use_mut_ref(|| None);
    let link = use_state(|| None::<String>);

    let on_example = {
        let on_action = props.on_action.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            if let Some(doc) = example(&select.value()) {
                on_action.emit(Action::Load(doc));
                on_action.emit(Action::Notify(Notice::Text(Msg::ExampleOpened)));
            }
            select.set_value("");
        })
    };
    let on_import_click = {
        let file_input = file_input.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(input) = file_input.cast::<HtmlInputElement>() {
                input.click();
            }
        })
    };
    let on_file = {
        let (on_action, reader) = (props.on_action.clone(), reader.clone());
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|f| f.get(0)) else {
                return;
            };
            let name = file.name();
            let on_action = on_action.clone();
            let task = gloo::file::callbacks::read_as_text(&file.into(), move |text| {
                let parsed = text
                    .map_err(|_| None)
                    .and_then(|t| DesignDoc::from_json(&t).map_err(Some));
                match parsed {
                    Ok(doc) => {
                        on_action.emit(Action::Load(doc));
                        on_action.emit(Action::Notify(Notice::Text(Msg::Imported)));
                    }
                    Err(problems) => on_action.emit(Action::Notify(Notice::Refused {
                        heading: Msg::ImportFailed,
                        subject: name,
                        problems: problems.map(|p| p.0).unwrap_or_default(),
                    })),
                }
            });
            *reader.borrow_mut() = Some(task);
            input.set_value(""); // the same file can be chosen again
        })
    };
    let on_export = {
        let doc = props.doc.clone();
        Callback::from(move |_: MouseEvent| download("scale-lab-design.json", &doc.to_json()))
    };
    let on_share = {
        let (doc, link) = (props.doc.clone(), link.clone());
        Callback::from(move |_: MouseEvent| {
            let url = share_link(&doc);
            // Copying may be refused (permissions, sandboxed iframes); the
            // link is shown to copy by hand either way.
            let _ = gloo::utils::window()
                .navigator()
                .clipboard()
                .write_text(&url);
            link.set(Some(url));
        })
    };
    let close_link = {
        let link = link.clone();
        Callback::from(move |_: MouseEvent| link.set(None))
    };

    html! {
        <div class="file-menu">
            <select id="examples" aria-label={Msg::Examples.text(lang)} onchange={on_example}>
                <option value="" selected=true>{ Msg::Examples.text(lang) }</option>
                { for EXAMPLES.iter().map(|e| html! {
                    <option value={e.key}>{ lang.pick(e.name) }</option>
                }) }
            </select>
            <button id="import" onclick={on_import_click}>{ Msg::Import.text(lang) }</button>
            <input ref={file_input} id="import-file" type="file" accept=".json,application/json"
                hidden=true onchange={on_file} />
            <button id="export" onclick={on_export}>{ Msg::Export.text(lang) }</button>
            <button id="share" onclick={on_share}>{ Msg::Share.text(lang) }</button>
            if let Some(url) = &*link {
                <div class="share-popover" role="dialog" aria-label={Msg::Share.text(lang)}>
                    <p>{ Msg::ShareHint.text(lang) }</p>
                    <input id="share-link" readonly=true value={url.clone()}
                        onfocus={Callback::from(|e: FocusEvent| {
                            let i: HtmlInputElement = e.target_unchecked_into();
                            i.select();
                        })} />
                    <button class="small" onclick={close_link}>{ Msg::Dismiss.text(lang) }</button>
                </div>
            }
        </div>
    }
}

/// Offers `text` as a file download named `name`.
fn download(name: &str, text: &str) {
    let blob = gloo::file::Blob::new_with_options(text, Some("application/json"));
    let url = gloo::file::ObjectUrl::from(blob);
    let document = gloo::utils::document();
    if let Ok(a) = document.create_element("a")
        && let Ok(a) = a.dyn_into::<HtmlAnchorElement>()
    {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    // `url` is revoked when dropped, after the click has started the download.
}

#[cfg(test)]
mod tests {
    use super::*;

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
