//! Where things are on the canvas: node boxes, ports and hit testing.
//! Coordinates are canvas pixels (CSS pixels at zoom 1).

use scalesim::design::{DesignDoc, NodeDoc};

/// Width of a node box [canvas px].
pub const NODE_W: f64 = 128.0;
/// Height of a node box [canvas px].
pub const NODE_H: f64 = 56.0;
/// Radius of a node's output port [canvas px].
pub const PORT_R: f64 = 8.0;
/// Extra radius around a port that still counts as hitting it [canvas px].
const PORT_SLOP: f64 = 4.0;

/// Centre of `n`'s output port (the middle of its right edge).
pub fn port(n: &NodeDoc) -> (f64, f64) {
    (n.x + NODE_W / 2.0, n.y)
}

/// Whether (`x`, `y`) lies inside `n`'s box.
pub fn inside(n: &NodeDoc, x: f64, y: f64) -> bool {
    (x - n.x).abs() <= NODE_W / 2.0 && (y - n.y).abs() <= NODE_H / 2.0
}

/// The topmost node (last drawn) whose port is at (`x`, `y`).
pub fn hit_port(doc: &DesignDoc, x: f64, y: f64) -> Option<usize> {
    let r = PORT_R + PORT_SLOP;
    doc.nodes.iter().rposition(|n| {
        if !n.kind.has_output() {
            return false;
        }
        let (px, py) = port(n);
        (x - px).powi(2) + (y - py).powi(2) <= r * r
    })
}

/// The topmost node whose box contains (`x`, `y`).
pub fn hit_node(doc: &DesignDoc, x: f64, y: f64) -> Option<usize> {
    doc.nodes.iter().rposition(|n| inside(n, x, y))
}

/// Height of a data center's title strip, where it is grabbed [canvas px].
pub const REGION_TITLE_H: f64 = 28.0;
/// Side of a data center's resize handle (bottom-right corner) [canvas px].
pub const REGION_HANDLE: f64 = 14.0;

/// Where a click on a data center lands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RegionPart {
    /// The title strip: select and move it.
    Title,
    /// The bottom-right handle: resize it.
    Handle,
}

/// The topmost data center whose title strip or resize handle is at
/// (`x`, `y`); clicks elsewhere inside a box go to what is under them.
pub fn hit_region(doc: &DesignDoc, x: f64, y: f64) -> Option<(usize, RegionPart)> {
    doc.regions.iter().enumerate().rev().find_map(|(i, r)| {
        let inside_x = x >= r.x && x <= r.x + r.w;
        if inside_x && y >= r.y && y <= r.y + REGION_TITLE_H {
            Some((i, RegionPart::Title))
        } else if x >= r.x + r.w - REGION_HANDLE
            && x <= r.x + r.w + 2.0
            && y >= r.y + r.h - REGION_HANDLE
            && y <= r.y + r.h + 2.0
        {
            Some((i, RegionPart::Handle))
        } else {
            None
        }
    })
}

/// How far from an edge's line a click still selects it [canvas px].
pub const EDGE_SLOP: f64 = 6.0;

/// The topmost edge (last drawn) passing within `slop` of (`x`, `y`).
pub fn hit_edge(doc: &DesignDoc, x: f64, y: f64, slop: f64) -> Option<usize> {
    let find = |id: &str| doc.nodes.iter().find(|n| n.id == id);
    doc.edges.iter().rposition(|e| {
        let (Some(a), Some(b)) = (find(&e.from), find(&e.to)) else {
            return false;
        };
        let (s, t) = edge_ends(a, b);
        distance_to_segment((x, y), s, t) <= slop
    })
}

/// Distance from `p` to the segment `a`–`b` [canvas px].
fn distance_to_segment(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let len2 = dx * dx + dy * dy;
    let t = if len2 == 0.0 {
        0.0
    } else {
        (((p.0 - a.0) * dx + (p.1 - a.1) * dy) / len2).clamp(0.0, 1.0)
    };
    (p.0 - (a.0 + t * dx)).hypot(p.1 - (a.1 + t * dy))
}

/// Where an edge from `a` to `b` leaves `a` and enters `b`: from `a`'s port
/// to the point where the line towards `b`'s centre crosses `b`'s border.
pub fn edge_ends(a: &NodeDoc, b: &NodeDoc) -> ((f64, f64), (f64, f64)) {
    let start = port(a);
    (start, border_point(b, start))
}

/// The point on `n`'s border on the straight line from `from` to its centre.
pub fn border_point(n: &NodeDoc, from: (f64, f64)) -> (f64, f64) {
    let (dx, dy) = (from.0 - n.x, from.1 - n.y);
    if dx == 0.0 && dy == 0.0 {
        return (n.x, n.y);
    }
    let sx = if dx != 0.0 {
        (NODE_W / 2.0) / dx.abs()
    } else {
        f64::INFINITY
    };
    let sy = if dy != 0.0 {
        (NODE_H / 2.0) / dy.abs()
    } else {
        f64::INFINITY
    };
    let s = sx.min(sy).min(1.0);
    (n.x + dx * s, n.y + dy * s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use scalesim::Kind;

    fn doc_with(xs: &[(f64, f64)]) -> DesignDoc {
        let mut d = DesignDoc::default();
        for (i, (x, y)) in xs.iter().enumerate() {
            d.nodes.push(NodeDoc {
                id: format!("web-{i}"),
                kind: Kind::WebServer,
                x: *x,
                y: *y,
                params: Default::default(),
            });
        }
        d
    }

    #[test]
    fn ports_and_bodies_are_hit_where_they_are_drawn() {
        let d = doc_with(&[(100.0, 100.0), (120.0, 100.0)]);
        // Overlapping boxes: the later (drawn on top) wins.
        assert_eq!(hit_node(&d, 110.0, 100.0), Some(1));
        assert_eq!(hit_node(&d, 100.0 - 63.0, 100.0), Some(0));
        assert_eq!(hit_node(&d, 300.0, 300.0), None);
        assert_eq!(hit_port(&d, 120.0 + 64.0 + 3.0, 101.0), Some(1));
        assert_eq!(hit_port(&d, 100.0 + 64.0, 100.0), Some(0));
    }

    #[test]
    fn an_edge_is_hit_near_its_line_only() {
        let mut d = doc_with(&[(0.0, 0.0), (300.0, 0.0)]);
        d.edges
            .push(scalesim::design::EdgeDoc::new("web-0", "web-1"));
        assert_eq!(hit_edge(&d, 150.0, 4.0, EDGE_SLOP), Some(0));
        assert_eq!(hit_edge(&d, 150.0, 12.0, EDGE_SLOP), None);
        assert_eq!(hit_edge(&d, 250.0, 0.0, EDGE_SLOP), None, "past its end");
    }

    #[test]
    fn edges_end_on_the_target_border() {
        let d = doc_with(&[(0.0, 0.0), (300.0, 0.0)]);
        let (s, e) = edge_ends(&d.nodes[0], &d.nodes[1]);
        assert_eq!(s, (64.0, 0.0));
        assert_eq!(e, (236.0, 0.0));
    }
}
