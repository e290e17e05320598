//! # Scale Lab simulation core
//!
//! A deterministic discrete-event simulation of a web service, as drawn in
//! chapter 1 of *System Design Interview*: users, DNS, web servers and
//! databases, connected by edges along which requests travel.
//!
//! ```text
//!   DesignDoc (JSON)  ──validate──►  Design  ──►  Simulation
//!                                                   │ run_until(t)
//!                                                   │ snapshot()          → figures
//!                                                   │ sample_in_flight()  → dots to draw
//! ```
//!
//! Time is an integer number of nanoseconds ([`time::Nanos`]); events at the
//! same instant run in the order they were scheduled ([`engine::EventQueue`]);
//! every node draws from its own seeded random stream ([`rng::stream`]). The
//! same design and seed therefore give bit-identical results on every
//! platform, natively and in WebAssembly.
//!
//! ```
//! use scalesim::{DesignDoc, Simulation, time::SECOND};
//!
//! let doc = DesignDoc::from_json(r#"{
//!   "version": 1, "seed": 7,
//!   "nodes": [
//!     {"id": "users-1", "kind": "users", "params": {"rate_rps": 100}},
//!     {"id": "web-1", "kind": "web_server"}
//!   ],
//!   "edges": [{"from": "users-1", "to": "web-1"}]
//! }"#).unwrap();
//! let mut sim = Simulation::from_doc(&doc).unwrap();
//! sim.run_until(10 * SECOND);
//! let s = sim.snapshot();
//! assert!(s.completed > 900 && s.errors.total() == 0);
//! ```

pub mod batch;
pub mod cache;
pub mod catalog;
pub mod design;
pub mod engine;
pub mod lesson;
pub mod metrics;
pub mod model;
pub mod rng;
pub mod service;
pub mod sharding;
pub mod text;
pub mod time;

pub use catalog::{CATALOG, Kind, KindSpec, ParamKind, ParamSpec};
pub use design::{
    DesignDoc, EdgeDoc, NodeDoc, ParamValue, Problem, ProblemKind, Problems, Severity,
};
pub use model::{Dot, DotKind, ErrorCause, Load, RequestKind, Simulation, Snapshot};
