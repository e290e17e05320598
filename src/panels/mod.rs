//! The panels around the canvas.

pub mod charts;
pub mod course_map;
pub mod designs;
pub mod embed;
pub mod examples;
pub mod file;
pub mod inspector;
pub mod journey;
pub mod lesson;
pub mod log;
pub mod metrics;
pub mod palette;
pub mod sheets;
pub mod timebar;
pub mod toolbar;
