//! The simulation engine loaded into the page, where it cannot run in a
//! Web Worker.
//!
//! The engine (`src/bin/engine.rs`) is its own wasm, not part of the
//! app's: the first load carries only the editor. It normally runs in
//! workers (`sim-worker-loader.js`, `grade-worker-loader.js`); where
//! `Worker` is missing, or a worker fails, the page loads the same files
//! itself — `engine.js` as a classic script, then `engine_bg.wasm` — and
//! uses the classes it exports ([`new_host`], [`new_grader`]). It is loaded
//! once, on first need; everyone who asks while it loads is answered when
//! it is ready, or told why it could not load.

use std::cell::RefCell;
use wasm_bindgen::JsValue;

/// The engine's wasm-bindgen script, relative to the page.
pub const SCRIPT: &str = "./engine.js";

/// The engine's wasm, relative to the page.
pub const WASM: &str = "./engine_bg.wasm";

/// The name of the page's meta element that names the engine's build
/// (written by `cargo xtask stamp-engine`, Trunk's post-build hook).
pub const BUILD_META: &str = "scale-lab-engine";

/// `path` (a file of the engine: its script, its wasm, a worker's loader)
/// with the engine's build on it (`?v=…`), so that no cache serves an old
/// engine to a new app: Trunk leaves a worker's files unhashed. The build
/// is read once from the page; where the page names none (a build without
/// the hook, a test page), `path` is returned as it is.
pub fn url(path: &str) -> String {
    thread_local! {
        static QUERY: String = build_query(page_build().as_deref());
    }
    QUERY.with(|q| format!("{path}{q}"))
}

/// The query for a build id: `?v=` and its hex digits, or nothing for a
/// missing or malformed id (anything but 1–64 hex digits is ignored).
fn build_query(id: Option<&str>) -> String {
    match id.map(str::trim) {
        Some(id) if (1..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_hexdigit()) => {
            format!("?v={id}")
        }
        _ => String::new(),
    }
}

/// The build id in the page's `<meta name="scale-lab-engine">`.
#[cfg(target_arch = "wasm32")]
fn page_build() -> Option<String> {
    web_sys::window()?
        .document()?
        .query_selector(&format!(r#"meta[name="{BUILD_META}"]"#))
        .ok()??
        .get_attribute("content")
}

#[cfg(not(target_arch = "wasm32"))]
fn page_build() -> Option<String> {
    None
}

type Waiter = Box<dyn FnOnce(Result<JsValue, String>)>;

enum State {
    NotLoaded,
    Loading(Vec<Waiter>),
    /// The engine's exports (wasm-bindgen's `wasm_bindgen` object).
    Loaded(JsValue),
    /// Why it could not load.
    Failed(String),
}

thread_local! {
    static STATE: RefCell<State> = const { RefCell::new(State::NotLoaded) };
}

/// Calls `then` with the engine's exports once it is loaded in the page
/// (at once if it is), or with why it could not load.
pub fn with_engine(then: impl FnOnce(Result<JsValue, String>) + 'static) {
    let now = STATE.with(|s| {
        let mut s = s.borrow_mut();
        match &mut *s {
            State::Loaded(exports) => Some(Ok(exports.clone())),
            State::Failed(why) => Some(Err(why.clone())),
            State::Loading(waiting) => {
                waiting.push(Box::new(then));
                return None;
            }
            State::NotLoaded => {
                *s = State::Loading(vec![Box::new(then)]);
                return None;
            }
        }
        .map(|r| (r, then))
    });
    match now {
        Some((r, then)) => then(r),
        None => {
            #[cfg(target_arch = "wasm32")]
            web::load();
            #[cfg(not(target_arch = "wasm32"))]
            loaded(Err("the engine loads only in a browser".into()));
        }
    }
}

/// Records how the load ended and answers everyone waiting.
fn loaded(result: Result<JsValue, String>) {
    let waiting = STATE.with(|s| {
        let mut s = s.borrow_mut();
        let next = match &result {
            Ok(exports) => State::Loaded(exports.clone()),
            Err(why) => State::Failed(why.clone()),
        };
        match std::mem::replace(&mut *s, next) {
            State::Loading(waiting) => waiting,
            _ => Vec::new(),
        }
    });
    for then in waiting {
        then(result.clone());
    }
}

#[cfg(target_arch = "wasm32")]
pub use web::{call, new_grader, new_host};

#[cfg(target_arch = "wasm32")]
mod web {
    use super::{SCRIPT, WASM, loaded, url};
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::{JsCast, JsValue};

    fn why(e: &JsValue) -> String {
        e.as_string()
            .or_else(|| {
                js_sys::Reflect::get(e, &"message".into())
                    .ok()
                    .and_then(|m| m.as_string())
            })
            .unwrap_or_else(|| format!("{e:?}"))
    }

    /// Adds `engine.js` to the page, then instantiates `engine_bg.wasm`.
    pub fn load() {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return loaded(Err("no document".into()));
        };
        let Ok(script) = document.create_element("script") else {
            return loaded(Err("no script element".into()));
        };
        let on_load = Closure::once(move || {
            // `engine.js` declares `wasm_bindgen` with `let`: a global
            // binding, not a property of `window`, so it is read by a
            // function made in the global scope.
            let exports =
                js_sys::Function::new_no_args("return wasm_bindgen").call0(&JsValue::NULL);
            let init = match exports.map(|e| e.dyn_into::<js_sys::Function>()) {
                Ok(Ok(f)) => f,
                _ => return loaded(Err(format!("{SCRIPT} did not define the engine"))),
            };
            let options = js_sys::Object::new();
            let wasm = url(WASM);
            let _ = js_sys::Reflect::set(&options, &"module_or_path".into(), &wasm.into());
            let started = match init.call1(&JsValue::NULL, &options) {
                Ok(p) => js_sys::Promise::resolve(&p),
                Err(e) => return loaded(Err(why(&e))),
            };
            let ok = Closure::once(move |_: JsValue| loaded(Ok(init.into())));
            let failed = Closure::once(move |e: JsValue| loaded(Err(why(&e))));
            let _ = started.then2(&ok, &failed);
            ok.forget();
            failed.forget();
        });
        let on_error = Closure::once(move || loaded(Err(format!("{SCRIPT} could not be loaded"))));
        let _ = script.set_attribute("src", &url(SCRIPT));
        let element: &web_sys::HtmlElement = script.unchecked_ref();
        element.set_onload(Some(on_load.as_ref().unchecked_ref()));
        element.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        on_load.forget();
        on_error.forget();
        let head = document.head().map(web_sys::Element::from);
        let parent = head.or_else(|| document.body().map(web_sys::Element::from));
        match parent {
            Some(p) if p.append_child(&script).is_ok() => {}
            _ => loaded(Err("the engine's script could not be added".into())),
        }
    }

    /// `object`'s function `name` (a class of the exports, or a method).
    fn function(object: &JsValue, name: &str) -> Result<js_sys::Function, String> {
        js_sys::Reflect::get(object, &name.into())
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
            .ok_or_else(|| format!("the engine has no {name}"))
    }

    fn construct(exports: &JsValue, class: &str, args: &js_sys::Array) -> Result<JsValue, String> {
        js_sys::Reflect::construct(&function(exports, class)?, args).map_err(|e| why(&e))
    }

    /// A new simulation host in the page (`PageHost`): its `handle(cmd)`
    /// answers as a worker would.
    pub fn new_host(exports: &JsValue) -> Result<JsValue, String> {
        construct(exports, "PageHost", &js_sys::Array::new())
    }

    /// A new grader in the page (`PageGrader`) for a serialized request:
    /// its `slice()` answers with a reply.
    pub fn new_grader(exports: &JsValue, request: &JsValue) -> Result<JsValue, String> {
        construct(exports, "PageGrader", &js_sys::Array::of1(request))
    }

    /// Calls `method` of an object the engine made.
    pub fn call(object: &JsValue, method: &str, arg: Option<&JsValue>) -> Result<JsValue, String> {
        let f = function(object, method)?;
        match arg {
            Some(a) => f.call1(object, a),
            None => f.call0(object),
        }
        .map_err(|e| why(&e))
    }
}

#[cfg(test)]
mod tests {
    use super::build_query;

    #[test]
    fn the_engine_build_goes_on_its_urls_only_when_the_page_names_a_sound_one() {
        assert_eq!(build_query(Some("1f2e3d4c5b6a7988")), "?v=1f2e3d4c5b6a7988");
        assert_eq!(build_query(Some(" 00ff\n")), "?v=00ff");
        // No build named, or one that could smuggle anything else into a URL.
        for bad in [
            None,
            Some(""),
            Some("1f2e 3d"),
            Some("x\"><script>"),
            Some("a&b=c"),
        ] {
            assert_eq!(build_query(bad), "", "{bad:?}");
        }
        assert_eq!(build_query(Some(&"a".repeat(65))), "");
    }
}
