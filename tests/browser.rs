//! In-browser tests: the app mounted in a real page (headless Chromium via
//! `cargo test --target wasm32-unknown-unknown`, run by `cargo xtask test`).
#![cfg(target_arch = "wasm32")]

use scale_lab::App;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Lets Yew's scheduler render what was queued.
async fn settle() {
    yew::platform::time::sleep(std::time::Duration::from_millis(20)).await;
}

fn mount() -> web_sys::Element {
    let document = gloo::utils::document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<App>::with_root(root.clone()).render();
    root
}

#[wasm_bindgen_test]
async fn the_app_mounts_and_renders_the_palette_from_the_catalog() {
    let root = mount();
    settle().await;
    let items = root.query_selector_all("[data-palette-kind]").unwrap();
    // Every kind of the catalog, and the data center box (Geography).
    assert_eq!(items.length() as usize, scalesim::CATALOG.len() + 1);
    assert!(
        root.query_selector("[data-palette-kind='datacenter']")
            .unwrap()
            .is_some()
    );
    let web = root
        .query_selector("[data-palette-kind='web_server']")
        .unwrap()
        .expect("a Web server palette entry");
    assert!(
        web.text_content().unwrap().contains("Web server")
            || web.text_content().unwrap().contains("웹 서버")
    );
    assert!(
        root.query_selector("#canvas-live").unwrap().is_some(),
        "the canvas is there"
    );
    let run = root.query_selector("#run").unwrap().expect("a Run button");
    assert_eq!(run.get_attribute("aria-pressed").as_deref(), Some("false"));
}

/// Every lesson graded in the browser's WebAssembly, as *Check* does: the
/// starting design fails and the reference solution passes, here as
/// natively (the same-results step also compares every figure of both
/// with the native grader's, byte for byte, under WASI).
#[wasm_bindgen_test]
fn every_lesson_grades_in_the_browser_as_it_does_natively() {
    macro_rules! solution {
        ($slug:literal) => {
            (
                $slug,
                include_str!(concat!("../lessons/solutions/", $slug, ".json")),
            )
        };
    }
    let solutions = [
        solution!("01-one-server-dns"),
        solution!("02-web-and-data-tiers"),
        solution!("03-scale-up"),
        solution!("04-load-balancer"),
        solution!("05-stateless-web-tier"),
        solution!("06-master-and-replicas"),
        solution!("07-replication-modes"),
        solution!("08-cache"),
        solution!("09-cdn"),
        solution!("10-data-centers-geodns"),
        solution!("11-message-queue"),
        solution!("12-monitoring-automation"),
        solution!("13-sharding"),
        solution!("14-resilience"),
        solution!("15-capstone"),
    ];
    let lessons = scale_lab::course::lessons();
    assert_eq!(lessons.len(), solutions.len());
    for (lesson, (slug, json)) in lessons.iter().zip(solutions) {
        assert_eq!(lesson.slug, slug);
        let start = scalesim::lesson::grade(lesson, &lesson.design).unwrap();
        assert!(!start.passed, "{slug}: the starting design passed");
        let doc = scalesim::DesignDoc::from_json(json).unwrap();
        let sol = scalesim::lesson::grade(lesson, &doc).unwrap();
        assert!(sol.passed, "{slug}: {:?}", sol.goals);
    }
}
