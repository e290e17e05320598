//! One icon per component kind, as SVG path data on a 24 × 24 grid, drawn
//! as strokes. The palette renders them as inline SVG and the canvas as
//! `Path2d`, from this one table.

use scalesim::catalog::Kind;

/// The icon of `kind` (SVG path data, 24 × 24, stroked).
pub fn path(kind: Kind) -> &'static str {
    match kind {
        // A person.
        Kind::Users => "M12 12a4 4 0 1 0 0-8 4 4 0 0 0 0 8zM4 21c0-4 3.6-6 8-6s8 2 8 6",
        // A globe.
        Kind::Dns => {
            "M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zM3 12h18M12 3c3.5 3.5 3.5 14.5 0 18M12 3c-3.5 3.5-3.5 14.5 0 18"
        }
        // One stream split three ways.
        Kind::LoadBalancer => "M2 12h7M9 12l6-7h6M9 12h12M9 12l6 7h6",
        // Two rack units.
        Kind::WebServer => "M4 4h16v6H4zM4 14h16v6H4zM7.5 7h1M7.5 17h1",
        // A key.
        Kind::SessionStore => {
            "M7.5 15.5a3.5 3.5 0 1 1 0-7 3.5 3.5 0 0 1 0 7zM11 12h10M18 12v3M15 12v2"
        }
        // A cylinder.
        Kind::Database => {
            "M4 6c0-1.7 3.6-3 8-3s8 1.3 8 3-3.6 3-8 3-8-1.3-8-3zM4 6v12c0 1.7 3.6 3 8 3s8-1.3 8-3V6M4 12c0 1.7 3.6 3 8 3s8-1.3 8-3"
        }
        // A lightning bolt: fast memory.
        Kind::Cache => "M13 2L4 14h7l-1 8 9-12h-7z",
        // A cloud.
        Kind::Cdn => "M7 18a4 4 0 0 1-.5-8 6 6 0 0 1 11.5 1.5A3.5 3.5 0 0 1 17.5 18z",
        // Three envelopes in a row: jobs waiting.
        Kind::Queue => {
            "M3 8h5v8H3zM9.5 8h5v8h-5zM16 8h5v8h-5zM3 8l2.5 3L8 8M9.5 8l2.5 3 2.5-3M16 8l2.5 3L21 8"
        }
        // One line fanning out to three stacked disks.
        Kind::ShardRouter => {
            "M2 12h6M8 12l5-7M8 12h5M8 12l5 7M14 3h7v4h-7zM14 10h7v4h-7zM14 17h7v4h-7z"
        }
        // A screen with a pulse line.
        Kind::Monitoring => "M3 4h18v13H3zM8 21h8M12 17v4M5 12h3l2-4 3 7 2-3h4",
        // A gear.
        Kind::Workers => {
            "M12 8a4 4 0 1 0 0 8 4 4 0 0 0 0-8zM12 2v3M12 19v3M2 12h3M19 12h3M4.9 4.9l2.1 2.1M17 17l2.1 2.1M4.9 19.1L7 17M17 7l2.1-2.1"
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_a_distinct_icon_in_the_24_grid() {
        let paths: Vec<&str> = scalesim::CATALOG.iter().map(|s| path(s.kind)).collect();
        for (i, p) in paths.iter().enumerate() {
            assert!(p.starts_with('M'), "{p}");
            assert!(!paths[i + 1..].contains(p), "duplicate icon {p}");
            // Absolute coordinates stay inside the 24 × 24 box.
            let numbers = p
                .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
                .filter(|t| !t.is_empty() && *t != "-")
                .filter_map(|t| t.parse::<f64>().ok());
            assert!(numbers.clone().all(|n| (-24.0..=24.0).contains(&n)), "{p}");
        }
    }
}
