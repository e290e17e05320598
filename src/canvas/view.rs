//! The canvas view: which part of the design is on screen, and how large.
//! `screen = (world − origin) × zoom`, in CSS pixels relative to the canvas.
//! The initial view (origin 0, zoom 1) shows world coordinates as they are.

use super::geometry::{NODE_H, NODE_W};
use scalesim::design::DesignDoc;

/// Smallest zoom factor.
pub const MIN_ZOOM: f64 = 0.2;
/// Largest zoom factor.
pub const MAX_ZOOM: f64 = 3.0;
/// Room left around the design when fitting it [screen px].
const FIT_MARGIN: f64 = 48.0;

/// The part of the world in sight, with a margin [canvas px]
/// ([`View::sight`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sight {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
}

impl Sight {
    /// Whether anything in the box spanned by (`ax`, `ay`) and (`bx`, `by`)
    /// (a node's centre twice, or a connection's two ends) is in sight.
    pub fn shows(self, ax: f64, ay: f64, bx: f64, by: f64) -> bool {
        ax.max(bx) >= self.x0
            && ax.min(bx) <= self.x1
            && ay.max(by) >= self.y0
            && ay.min(by) <= self.y1
    }
}

/// Pan and zoom.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct View {
    /// World x at the canvas's left edge [canvas px].
    pub x: f64,
    /// World y at the canvas's top edge [canvas px].
    pub y: f64,
    /// Screen pixels per world pixel.
    pub zoom: f64,
}

impl Default for View {
    fn default() -> Self {
        Self {
            x: 0.0,
            y: 0.0,
            zoom: 1.0,
        }
    }
}

impl View {
    /// The world point under screen point (`sx`, `sy`).
    pub fn to_world(self, sx: f64, sy: f64) -> (f64, f64) {
        (self.x + sx / self.zoom, self.y + sy / self.zoom)
    }

    /// The screen point showing world point (`x`, `y`).
    pub fn to_screen(self, x: f64, y: f64) -> (f64, f64) {
        ((x - self.x) * self.zoom, (y - self.y) * self.zoom)
    }

    /// Zooms by `factor` keeping the world point under (`sx`, `sy`) still.
    pub fn zoom_at(self, sx: f64, sy: f64, factor: f64) -> Self {
        let zoom = (self.zoom * factor).clamp(MIN_ZOOM, MAX_ZOOM);
        let (wx, wy) = self.to_world(sx, sy);
        Self {
            x: wx - sx / zoom,
            y: wy - sy / zoom,
            zoom,
        }
    }

    /// Moves the view by a screen distance (content follows the pointer).
    pub fn pan_by(self, dx: f64, dy: f64) -> Self {
        Self {
            x: self.x - dx / self.zoom,
            y: self.y - dy / self.zoom,
            ..self
        }
    }

    /// The view that shows every node and data center of `doc` on a
    /// `width` × `height` canvas, centred, at most at zoom 1; the default
    /// view when empty.
    pub fn fit(doc: &DesignDoc, width: f64, height: f64) -> Self {
        if (doc.nodes.is_empty() && doc.regions.is_empty()) || width <= 0.0 || height <= 0.0 {
            return Self::default();
        }
        let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
        for n in &doc.nodes {
            x0 = x0.min(n.x - NODE_W / 2.0);
            y0 = y0.min(n.y - NODE_H / 2.0);
            x1 = x1.max(n.x + NODE_W / 2.0 + 10.0); // the port
            y1 = y1.max(n.y + NODE_H / 2.0 + 14.0); // the load bars
        }
        for r in &doc.regions {
            x0 = x0.min(r.x);
            y0 = y0.min(r.y);
            x1 = x1.max(r.x + r.w);
            y1 = y1.max(r.y + r.h);
        }
        let zoom = ((width - 2.0 * FIT_MARGIN) / (x1 - x0))
            .min((height - 2.0 * FIT_MARGIN) / (y1 - y0))
            .clamp(MIN_ZOOM, 1.0);
        let (cx, cy) = ((x0 + x1) / 2.0, (y0 + y1) / 2.0);
        Self {
            x: cx - width / 2.0 / zoom,
            y: cy - height / 2.0 / zoom,
            zoom,
        }
    }

    /// The view that brings a world box (`x0`, `y0`, `x1`, `y1`) into sight
    /// on a `width` × `height` canvas when none of it is on screen: the
    /// same zoom, the box centred. `None` when some of it shows already
    /// (the view then stays where the user put it).
    pub fn reveal(
        self,
        (x0, y0, x1, y1): (f64, f64, f64, f64),
        width: f64,
        height: f64,
    ) -> Option<Self> {
        let (vx1, vy1) = self.to_world(width, height);
        let hidden = x1 < self.x || x0 > vx1 || y1 < self.y || y0 > vy1;
        (hidden && width > 0.0 && height > 0.0).then(|| Self {
            x: (x0 + x1) / 2.0 - width / 2.0 / self.zoom,
            y: (y0 + y1) / 2.0 - height / 2.0 / self.zoom,
            zoom: self.zoom,
        })
    }

    /// What of the world a `width` × `height` canvas shows, with room for a
    /// node half outside it and the labels under it: both layers draw only
    /// what is in it.
    pub fn sight(self, width: f64, height: f64) -> Sight {
        let ((x0, y0), (x1, y1)) = (self.to_world(0.0, 0.0), self.to_world(width, height));
        Sight {
            x0: x0 - NODE_W,
            y0: y0 - NODE_H - 40.0,
            x1: x1 + NODE_W,
            y1: y1 + NODE_H + 40.0,
        }
    }

    /// Whether every node and data center of `doc` is inside a `width` ×
    /// `height` canvas.
    pub fn shows_all(self, doc: &DesignDoc, width: f64, height: f64) -> bool {
        let (x1, y1) = self.to_world(width, height);
        doc.nodes.iter().all(|n| {
            n.x - NODE_W / 2.0 >= self.x
                && n.y - NODE_H / 2.0 >= self.y
                && n.x + NODE_W / 2.0 + 10.0 <= x1
                && n.y + NODE_H / 2.0 <= y1
        }) && doc
            .regions
            .iter()
            .all(|r| r.x >= self.x && r.y >= self.y && r.x + r.w <= x1 && r.y + r.h <= y1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zooming_keeps_the_point_under_the_pointer() {
        let v = View::default().pan_by(-40.0, 10.0);
        let before = v.to_world(300.0, 200.0);
        let z = v.zoom_at(300.0, 200.0, 1.7);
        let after = z.to_world(300.0, 200.0);
        assert!((before.0 - after.0).abs() < 1e-9 && (before.1 - after.1).abs() < 1e-9);
        assert_eq!(View::default().zoom_at(0.0, 0.0, 100.0).zoom, MAX_ZOOM);
    }

    #[test]
    fn a_box_out_of_sight_is_centred_and_one_in_sight_left_alone() {
        let v = View {
            x: 0.0,
            y: 0.0,
            zoom: 0.5,
        };
        // The canvas shows world 0..1600 × 0..1200.
        assert_eq!(v.reveal((100.0, 100.0, 228.0, 156.0), 800.0, 600.0), None);
        assert_eq!(
            v.reveal((1500.0, 1100.0, 1700.0, 1300.0), 800.0, 600.0),
            None,
            "partly in sight"
        );
        let r = v
            .reveal((3000.0, 500.0, 3128.0, 556.0), 800.0, 600.0)
            .expect("moved");
        assert_eq!(r.zoom, 0.5);
        let (sx, sy) = r.to_screen(3064.0, 528.0);
        assert!(
            (sx - 400.0).abs() < 1e-9 && (sy - 300.0).abs() < 1e-9,
            "centred: {sx} {sy}"
        );
    }

    #[test]
    fn fit_shows_a_wide_design_whole_and_centred() {
        let doc =
            DesignDoc::from_json(include_str!("../../scenarios/reference-8-servers.json")).unwrap();
        assert!(!View::default().shows_all(&doc, 500.0, 300.0));
        let v = View::fit(&doc, 500.0, 300.0);
        assert!(v.shows_all(&doc, 500.0, 300.0), "{v:?}");
        assert!(v.zoom < 1.0);
        // A design that fits is not blown up beyond zoom 1.
        let small =
            DesignDoc::from_json(include_str!("../../scenarios/single-server.json")).unwrap();
        assert_eq!(View::fit(&small, 2000.0, 1500.0).zoom, 1.0);
        assert_eq!(
            View::fit(&DesignDoc::default(), 800.0, 600.0),
            View::default()
        );
    }

    #[test]
    fn fit_shows_data_centers_whole() {
        let mut doc =
            DesignDoc::from_json(include_str!("../../scenarios/single-server.json")).unwrap();
        doc.regions.push(scalesim::design::RegionDoc {
            id: "dc-1".into(),
            region: "us-east".into(),
            x: 900.0,
            y: -400.0,
            w: 600.0,
            h: 320.0,
        });
        let v = View::fit(&doc, 800.0, 600.0);
        assert!(v.shows_all(&doc, 800.0, 600.0), "{v:?}");
        let (x1, y1) = v.to_world(800.0, 600.0);
        assert!(v.x <= 900.0 && x1 >= 1500.0 && v.y <= -400.0 && y1 >= -80.0);
        // A data center alone is fitted too.
        doc.nodes.clear();
        assert!(View::fit(&doc, 800.0, 600.0).shows_all(&doc, 800.0, 600.0));
    }
}
