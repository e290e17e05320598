//! The panels around the canvas.

pub mod charts;
pub mod embed;
pub mod file;
pub mod inspector;
pub mod journey;
pub mod log;
pub mod metrics;
pub mod palette;
pub mod toolbar;
