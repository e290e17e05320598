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
