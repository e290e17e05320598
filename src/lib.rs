//! Scale Lab's web app: a Yew front end over the `scalesim` core.
//!
//! ```text
//!   App ─┬─ Toolbar        run / pause / speed / clock / language
//!        ├─ Palette        drag components out of the catalog
//!        ├─ DesignCanvas   static + live <canvas> layers, rAF loop → Live
//!        │                 (Live ⇄ Host + Driver in the simulation's Web Worker)
//!        └─ side panels    Inspector, Metrics, Problems
//!   state::Editor (one Action enum, a reducer) holds the design document.
//! ```

pub mod app;
pub mod canvas;
pub mod course;
pub mod driver;
pub mod engine;
pub mod grading;
pub mod history;
pub mod i18n;
pub mod kinds;
pub mod library;
pub mod live;
pub mod mode;
pub mod panels;
pub mod persist;
pub mod share;
pub mod state;

pub use app::App;

/// Mounts the app on the page's `<body>`.
pub fn run() {
    yew::Renderer::<App>::new().render();
}
