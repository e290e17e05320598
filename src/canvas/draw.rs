//! The static canvas layer (grid, data centers, edges with their settings,
//! nodes), redrawn only when the design, selection or size changes, and the
//! drawing primitives both layers share. The live layer, redrawn every
//! frame, is in `live.rs`.

use super::geometry::{NODE_H, NODE_W, PORT_R, edge_ends, port};
use super::view::View;
use crate::i18n::{Lang, Msg};
use scalesim::catalog::Kind;
use scalesim::design::{DesignDoc, NodeDoc};
use std::cell::RefCell;
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use web_sys::CanvasRenderingContext2d as Ctx;

/// Colours from the Okabe–Ito palette, which colour-blind viewers can tell
/// apart.
pub mod colour {
    /// Canvas background.
    pub const BACKGROUND: &str = "#f7f8fa";
    /// Grid dots.
    pub const GRID: &str = "#d9dde3";
    /// Edges.
    pub const EDGE: &str = "#6b7280";
    /// Node text.
    pub const TEXT: &str = "#1f2937";
    /// Secondary text.
    pub const MUTED: &str = "#6b7280";
    /// Selection outline.
    pub const SELECTED: &str = "#111827";
    /// A request on its way.
    pub const REQUEST: &str = "#0072B2";
    /// A successful reply on its way back.
    pub const REPLY: &str = "#009E73";
    /// A failed request or reply.
    pub const FAILED: &str = "#D55E00";
    /// Queue fill.
    pub const QUEUE: &str = "#E69F00";
}

const GRID_STEP: f64 = 20.0;

pub(super) fn rounded_rect(ctx: &Ctx, x: f64, y: f64, w: f64, h: f64, r: f64) {
    ctx.begin_path();
    ctx.move_to(x + r, y);
    ctx.line_to(x + w - r, y);
    ctx.quadratic_curve_to(x + w, y, x + w, y + r);
    ctx.line_to(x + w, y + h - r);
    ctx.quadratic_curve_to(x + w, y + h, x + w - r, y + h);
    ctx.line_to(x + r, y + h);
    ctx.quadratic_curve_to(x, y + h, x, y + h - r);
    ctx.line_to(x, y + r);
    ctx.quadratic_curve_to(x, y, x + r, y);
    ctx.close_path();
}

pub(super) fn arrow(ctx: &Ctx, from: (f64, f64), to: (f64, f64)) {
    ctx.begin_path();
    ctx.move_to(from.0, from.1);
    ctx.line_to(to.0, to.1);
    ctx.stroke();
    let angle = (to.1 - from.1).atan2(to.0 - from.0);
    let (l, spread) = (9.0, 0.45);
    ctx.begin_path();
    ctx.move_to(to.0, to.1);
    ctx.line_to(
        to.0 - l * (angle - spread).cos(),
        to.1 - l * (angle - spread).sin(),
    );
    ctx.line_to(
        to.0 - l * (angle + spread).cos(),
        to.1 - l * (angle + spread).sin(),
    );
    ctx.close_path();
    ctx.fill();
}

pub(super) fn set_dash(ctx: &Ctx, dash: &[f64]) {
    let arr = js_sys::Array::new();
    for d in dash {
        arr.push(&(*d).into());
    }
    // Only fails for non-finite values, which these are not.
    let _ = ctx.set_line_dash(&arr);
}

/// Sets the context to draw in world coordinates through `view`, on a
/// canvas whose backing store has `dpr` device pixels per CSS pixel.
pub fn world_transform(ctx: &Ctx, view: View, dpr: f64) {
    let k = dpr * view.zoom;
    let _ = ctx.set_transform(k, 0.0, 0.0, k, -view.x * k, -view.y * k);
}

/// Redraws the static layer: background grid, edges, nodes. `width` and
/// `height` are the canvas size [CSS px].
#[allow(clippy::too_many_arguments)]
pub fn draw_static(
    ctx: &Ctx,
    doc: &DesignDoc,
    selected: &[usize],
    (selected_edge, selected_region): (Option<usize>, Option<usize>),
    marks: &[super::marks::Mark],
    lang: Lang,
    view: View,
    dpr: f64,
    width: f64,
    height: f64,
) {
    let _ = ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0);
    ctx.set_fill_style_str(colour::BACKGROUND);
    ctx.fill_rect(0.0, 0.0, width, height);
    world_transform(ctx, view, dpr);
    // Grid dots over the visible part of the world; sparser when zoomed out.
    let step = if view.zoom < 0.5 {
        GRID_STEP * 4.0
    } else {
        GRID_STEP
    };
    let (x0, y0) = view.to_world(0.0, 0.0);
    let (x1, y1) = view.to_world(width, height);
    let dot = 2.0 / view.zoom;
    ctx.set_fill_style_str(colour::GRID);
    let mut y = (y0 / step).ceil() * step;
    while y < y1 {
        let mut x = (x0 / step).ceil() * step;
        while x < x1 {
            ctx.fill_rect(x - dot / 2.0, y - dot / 2.0, dot, dot);
            x += step;
        }
        y += step;
    }

    if doc.nodes.is_empty() {
        let _ = ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0);
        ctx.set_fill_style_str(colour::MUTED);
        ctx.set_font("15px system-ui, sans-serif");
        ctx.set_text_align("center");
        for (i, m) in [Msg::EmptyCanvas1, Msg::EmptyCanvas2, Msg::EmptyCanvas3]
            .iter()
            .enumerate()
        {
            let _ = ctx.fill_text(
                m.text(lang),
                width / 2.0,
                height / 2.0 - 30.0 + 30.0 * i as f64,
            );
        }
        world_transform(ctx, view, dpr);
    }

    draw_regions(ctx, doc, selected_region, lang);
    // Nodes by id (the first of an id), for edges: one pass, not a search
    // per edge.
    let by_id = doc.node_index();
    let find = |id: &str| by_id.get(id).map(|&i| &doc.nodes[i]);
    // Only what shows is drawn.
    let sight = view.sight(width, height);
    let shows = |ax: f64, ay: f64, bx: f64, by: f64| sight.shows(ax, ay, bx, by);
    ctx.set_line_width(1.5);
    ctx.set_stroke_style_str(colour::EDGE);
    ctx.set_fill_style_str(colour::EDGE);
    let mut labels = Vec::new();
    for (i, e) in doc.edges.iter().enumerate() {
        let (Some(a), Some(b)) = (find(&e.from), find(&e.to)) else {
            continue;
        };
        if !shows(a.x, a.y, b.x, b.y) {
            continue;
        }
        let (s, t) = edge_ends(a, b);
        if selected_edge == Some(i) {
            ctx.set_line_width(3.5);
            ctx.set_stroke_style_str(colour::SELECTED);
            ctx.set_fill_style_str(colour::SELECTED);
            arrow(ctx, s, t);
            ctx.set_line_width(1.5);
            ctx.set_stroke_style_str(colour::EDGE);
            ctx.set_fill_style_str(colour::EDGE);
        } else {
            arrow(ctx, s, t);
        }
        let parts = edge_label(e, lang);
        if !parts.is_empty() {
            labels.push(((s.0 + t.0) / 2.0, (s.1 + t.1) / 2.0, parts));
        }
    }
    // After a DNS answer, users talk to the entry directly: draw that route.
    set_dash(ctx, &[5.0, 5.0]);
    for e in &doc.edges {
        let (Some(users), Some(dns)) = (find(&e.from), find(&e.to)) else {
            continue;
        };
        if users.kind != Kind::Users || dns.kind != Kind::Dns {
            continue;
        }
        for e2 in doc.edges.iter().filter(|e2| e2.from == dns.id) {
            if let Some(entry) = find(&e2.to) {
                let (s, t) = edge_ends(users, entry);
                arrow(ctx, s, t);
            }
        }
    }
    // Connections the timeline makes later: dashed, labelled with when.
    set_dash(ctx, &[8.0, 5.0]);
    ctx.set_stroke_style_str(colour::QUEUE);
    ctx.set_fill_style_str(colour::QUEUE);
    for f in &doc.faults {
        let scalesim::design::FaultAction::Connect { from, to } = &f.action else {
            continue;
        };
        let (Some(a), Some(b)) = (find(from), find(to)) else {
            continue;
        };
        let (s, t) = edge_ends(a, b);
        arrow(ctx, s, t);
        let text = crate::i18n::joins_at(lang, f.at_s);
        labels.push(((s.0 + t.0) / 2.0, (s.1 + t.1) / 2.0, vec![text]));
    }
    set_dash(ctx, &[]);
    ctx.set_stroke_style_str(colour::EDGE);
    ctx.set_fill_style_str(colour::EDGE);

    let visible: Vec<(usize, &NodeDoc)> = doc
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| shows(n.x, n.y, n.x, n.y))
        .collect();
    draw_nodes(ctx, &visible, selected, lang, view.zoom >= DETAIL_ZOOM);
    // Connection parameters: one short line each, stacked above the middle
    // of the edge on a light backing, over everything else.
    ctx.set_font("600 11px system-ui, sans-serif");
    ctx.set_text_align("center");
    for (x, y, parts) in labels.into_iter().filter(|_| view.zoom >= DETAIL_ZOOM) {
        for (k, part) in parts.iter().rev().enumerate() {
            let ly = y - 10.0 - 14.0 * k as f64;
            let w = ctx.measure_text(part).map_or(60.0, |m| m.width()) + 8.0;
            ctx.set_fill_style_str("rgba(247, 248, 250, 0.92)");
            ctx.fill_rect(x - w / 2.0, ly - 10.0, w, 13.0);
            ctx.set_fill_style_str(colour::TEXT);
            let _ = ctx.fill_text(part, x, ly);
        }
    }
    draw_marks(ctx, doc, marks, &by_id, &shows, view.zoom);
}

/// Problems where they are: the connection concerned drawn over in red
/// (amber for a warning), and a badge with a few words on each node,
/// connection or data center concerned that shows. The inspector and the
/// count on the stage say the whole sentence. Zoomed out with many marks in
/// sight, the badges are drawn without their words.
fn draw_marks(
    ctx: &Ctx,
    doc: &DesignDoc,
    marks: &[super::marks::Mark],
    by_id: &HashMap<&str, usize>,
    shows: &dyn Fn(f64, f64, f64, f64) -> bool,
    zoom: f64,
) {
    use super::marks::At;
    let find = |id: &str| by_id.get(id).and_then(|&i| doc.nodes.get(i));
    // The words stay readable (9 px on screen at least) when zoomed out.
    let k = (9.0 / 11.0 / zoom).max(1.0);
    // Each mark that shows: the mark, its colour, the badge's centre, the
    // label's top centre, and the connection it is on.
    type Place<'m> = (
        &'m super::marks::Mark,
        &'static str,
        (f64, f64),
        (f64, f64),
        Option<((f64, f64), (f64, f64))>,
    );
    let mut places: Vec<Place<'_>> = Vec::new();
    for m in marks {
        let strong = if m.error {
            colour::FAILED
        } else {
            colour::QUEUE
        };
        let place = match m.at {
            At::Node(i) => doc
                .nodes
                .get(i)
                .filter(|n| shows(n.x, n.y, n.x, n.y))
                .map(|n| {
                    let (x, y) = (n.x - NODE_W / 2.0, n.y - NODE_H / 2.0);
                    // Below the load bars drawn while running.
                    ((x, y), (n.x, n.y + NODE_H / 2.0 + 17.0), None)
                }),
            At::Edge(i) => doc
                .edges
                .get(i)
                .and_then(|e| find(&e.from).zip(find(&e.to)))
                .filter(|(a, b)| shows(a.x, a.y, b.x, b.y))
                .map(|(a, b)| {
                    let (s, t) = edge_ends(a, b);
                    // Short of the middle, so that two connections drawn
                    // both ways between the same nodes have their marks apart.
                    let at = (s.0 + 0.42 * (t.0 - s.0), s.1 + 0.42 * (t.1 - s.1));
                    (at, (at.0, at.1 + 13.0), Some((s, t)))
                }),
            At::Region(i) => doc
                .regions
                .get(i)
                .filter(|r| shows(r.x, r.y, r.x + r.w, r.y + r.h))
                .map(|r| {
                    (
                        (r.x + r.w, r.y),
                        (r.x + r.w - 60.0, r.y - 6.0 - 16.0 * k),
                        None,
                    )
                }),
        };
        if let Some((badge, label, edge)) = place {
            places.push((m, strong, badge, label, edge));
        }
    }
    let words = zoom >= DETAIL_ZOOM || places.len() <= 50;
    // Labels already drawn (x0, y0, x1, y1): a label that would cover one
    // moves down until it does not.
    let mut placed: Vec<(f64, f64, f64, f64)> = Vec::new();
    for (m, strong, badge, label, edge) in places {
        if let Some((s, t)) = edge {
            ctx.set_line_width(3.0);
            ctx.set_stroke_style_str(strong);
            ctx.set_fill_style_str(strong);
            set_dash(ctx, &[7.0, 4.0]);
            arrow(ctx, s, t);
            set_dash(ctx, &[]);
        }
        if words {
            // The words on a light backing, the badge's colour as its border.
            let text = if m.more > 0 {
                format!("{} +{}", m.label, m.more)
            } else {
                m.label.clone()
            };
            ctx.set_font(&format!("600 {:.1}px system-ui, sans-serif", 11.0 * k));
            ctx.set_text_align("center");
            let (w, h) = (
                ctx.measure_text(&text).map_or(80.0, |t| t.width()) + 12.0 * k,
                16.0 * k,
            );
            let mut label = (label.0 - w / 2.0, label.1);
            for _ in 0..6 {
                let covers = |p: &(f64, f64, f64, f64)| {
                    label.0 < p.2 && label.0 + w > p.0 && label.1 < p.3 && label.1 + h > p.1
                };
                if !placed.iter().any(covers) {
                    break;
                }
                label.1 += h + 2.0 * k;
            }
            placed.push((label.0, label.1, label.0 + w, label.1 + h));
            rounded_rect(ctx, label.0, label.1, w, h, h / 2.0);
            ctx.set_fill_style_str(if m.error { "#fef3f2" } else { "#fffaeb" });
            ctx.fill();
            ctx.set_line_width(k);
            ctx.set_stroke_style_str(strong);
            ctx.stroke();
            ctx.set_fill_style_str(if m.error { "#b42318" } else { "#7a2e0e" });
            let _ = ctx.fill_text(&text, label.0 + w / 2.0, label.1 + 12.0 * k);
        }
        ctx.begin_path();
        let _ = ctx.arc(badge.0, badge.1, 9.0 * k, 0.0, std::f64::consts::TAU);
        ctx.set_fill_style_str(strong);
        ctx.fill();
        ctx.set_fill_style_str("#ffffff");
        ctx.set_font(&format!("700 {:.1}px system-ui, sans-serif", 13.0 * k));
        ctx.set_text_align("center");
        let _ = ctx.fill_text("!", badge.0, badge.1 + 4.5 * k);
    }
    ctx.set_line_width(1.5);
}

/// Data centers: a dashed box with its id and region; the nodes drawn
/// inside it are in it.
fn draw_regions(ctx: &Ctx, doc: &DesignDoc, selected: Option<usize>, lang: Lang) {
    use super::geometry::{REGION_HANDLE, REGION_TITLE_H};
    use scalesim::catalog::{GEO_LABELS, GEO_REGIONS};
    for (i, r) in doc.regions.iter().enumerate() {
        let chosen = selected == Some(i);
        rounded_rect(ctx, r.x, r.y, r.w, r.h, 12.0);
        ctx.set_fill_style_str("rgba(86, 180, 233, 0.06)");
        ctx.fill();
        ctx.set_line_width(if chosen { 3.0 } else { 1.5 });
        ctx.set_stroke_style_str(if chosen { colour::SELECTED } else { "#56B4E9" });
        set_dash(ctx, &[8.0, 6.0]);
        ctx.stroke();
        set_dash(ctx, &[]);
        // The title strip (drag here to move the data center) and the
        // resize handle.
        ctx.set_fill_style_str("rgba(86, 180, 233, 0.14)");
        ctx.fill_rect(r.x + 2.0, r.y + 2.0, r.w - 4.0, REGION_TITLE_H - 2.0);
        ctx.set_fill_style_str(if chosen { colour::SELECTED } else { "#56B4E9" });
        ctx.fill_rect(
            r.x + r.w - REGION_HANDLE,
            r.y + r.h - REGION_HANDLE,
            REGION_HANDLE,
            REGION_HANDLE,
        );
        let place = GEO_REGIONS
            .iter()
            .position(|g| *g == r.region)
            .map_or(r.region.as_str(), |i| lang.pick(GEO_LABELS[i]));
        ctx.set_fill_style_str(colour::MUTED);
        ctx.set_font("600 13px system-ui, sans-serif");
        ctx.set_text_align("left");
        let _ = ctx.fill_text(&format!("{} · {place}", r.id), r.x + 12.0, r.y + 20.0);
    }
}

/// Below this zoom a node's words and icon would be a few pixels high:
/// nodes are drawn as their boxes alone (and many draw quickly).
pub const DETAIL_ZOOM: f64 = 0.45;

thread_local! {
    /// Each kind's icon as a `Path2d`, parsed once.
    static ICONS: RefCell<HashMap<Kind, web_sys::Path2d>> = RefCell::new(HashMap::new());
}

/// The nodes `nodes` (index, node): boxes, then (when `detail`) titles,
/// ids, icons and ports, each in one pass so that the canvas state (font,
/// colours) changes once per pass, not once per node.
fn draw_nodes(
    ctx: &Ctx,
    nodes: &[(usize, &NodeDoc)],
    selected: &[usize],
    lang: Lang,
    detail: bool,
) {
    for &(i, n) in nodes {
        let (x, y) = (n.x - NODE_W / 2.0, n.y - NODE_H / 2.0);
        let accent = crate::kinds::colour(n.kind);
        let chosen = selected.contains(&i);
        rounded_rect(ctx, x, y, NODE_W, NODE_H, 8.0);
        ctx.set_fill_style_str("#ffffff");
        ctx.fill();
        ctx.set_line_width(if chosen { 3.0 } else { 1.5 });
        ctx.set_stroke_style_str(if chosen { colour::SELECTED } else { accent });
        ctx.stroke();
        ctx.set_fill_style_str(accent);
        if detail {
            rounded_rect(ctx, x, y, 8.0, NODE_H, 4.0);
            ctx.fill();
        } else {
            ctx.fill_rect(x, y + 4.0, 8.0, NODE_H - 8.0);
        }
    }
    if !detail {
        return;
    }
    ctx.set_text_align("left");
    ctx.set_fill_style_str(colour::TEXT);
    ctx.set_font("600 14px system-ui, sans-serif");
    for &(_, n) in nodes {
        let title = match (crate::kinds::ui(n.kind).title)(n) {
            Some(msg) => msg.text(lang),
            None => lang.pick(n.kind.spec().name),
        };
        let _ = ctx.fill_text(title, n.x - NODE_W / 2.0 + 16.0, n.y - NODE_H / 2.0 + 22.0);
    }
    ctx.set_fill_style_str(colour::MUTED);
    ctx.set_font("12px ui-monospace, monospace");
    for &(_, n) in nodes {
        let _ = ctx.fill_text(&n.id, n.x - NODE_W / 2.0 + 16.0, n.y - NODE_H / 2.0 + 40.0);
    }
    // Each kind's icon, beside the id (the title may use the full width).
    ctx.set_line_width(1.8);
    ctx.set_line_cap("round");
    ctx.set_line_join("round");
    ICONS.with(|icons| {
        let mut icons = icons.borrow_mut();
        for &(_, n) in nodes {
            if let Entry::Vacant(slot) = icons.entry(n.kind) {
                let Ok(path) = web_sys::Path2d::new_with_path_string(crate::kinds::icon(n.kind))
                else {
                    continue;
                };
                slot.insert(path);
            }
            let Some(icon) = icons.get(&n.kind) else {
                continue;
            };
            ctx.save();
            let _ = ctx.translate(n.x + NODE_W / 2.0 - 32.0, n.y);
            let _ = ctx.scale(0.75, 0.75);
            ctx.set_stroke_style_str(crate::kinds::colour(n.kind));
            ctx.stroke_with_path(icon);
            ctx.restore();
        }
    });
    ctx.set_line_cap("butt");
    ctx.set_line_join("miter");
    ctx.set_line_width(2.0);
    ctx.set_fill_style_str("#ffffff");
    for &(_, n) in nodes.iter().filter(|(_, n)| n.kind.has_output()) {
        let (px, py) = port(n);
        ctx.begin_path();
        let _ = ctx.arc(px, py, PORT_R, 0.0, std::f64::consts::TAU);
        ctx.fill();
        ctx.set_stroke_style_str(crate::kinds::colour(n.kind));
        ctx.stroke();
    }
}

/// A short summary of a connection's parameters, one line per setting,
/// drawn above its middle: the call policy (timeout, retries, budget,
/// breaker, bulkhead) or a DNS weight. Empty for a plain connection.
fn edge_label(e: &scalesim::design::EdgeDoc, lang: Lang) -> Vec<String> {
    use scalesim::design::ParamValue;
    let num = |k: &str| match e.params.get(k) {
        Some(ParamValue::Number(v)) if *v > 0.0 => Some(*v),
        _ => None,
    };
    let on = |k: &str| matches!(e.params.get(k), Some(ParamValue::Text(t)) if t == "on");
    let mut parts = Vec::new();
    if let Some(w) = num("weight") {
        parts.push(format!("{} {w}", Msg::LabelWeight.text(lang)));
    }
    if let Some(t) = num("timeout_ms") {
        parts.push(format!("{} {t} ms", Msg::LabelTimeout.text(lang)));
    }
    if let Some(r) = num("retries") {
        let budget = if on("retry_budget") {
            Msg::LabelBudget.text(lang)
        } else {
            ""
        };
        parts.push(format!("{} {r}{budget}", Msg::LabelRetries.text(lang)));
    }
    if on("breaker") {
        parts.push(Msg::LabelBreaker.text(lang).to_string());
    }
    if let Some(b) = num("bulkhead") {
        parts.push(format!("{} {b}", Msg::LabelBulkhead.text(lang)));
    }
    parts
}
