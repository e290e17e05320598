//! Drawing on the two canvas layers. The static layer (grid, edges, nodes)
//! is redrawn only when the design, selection or size changes; the live layer
//! (requests in flight, node load, the edge being drawn) every frame.

use super::geometry::{NODE_H, NODE_W, PORT_R, edge_ends, port};
use super::tool::Tool;
use super::view::View;
use crate::driver::Driver;
use crate::i18n::{Lang, Msg};
use scalesim::Dot;
use scalesim::catalog::Kind;
use scalesim::design::{DesignDoc, NodeDoc};
use scalesim::model::{BreakerState, DbRole, DotKind, Load};
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

fn rounded_rect(ctx: &Ctx, x: f64, y: f64, w: f64, h: f64, r: f64) {
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

fn arrow(ctx: &Ctx, from: (f64, f64), to: (f64, f64)) {
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

fn set_dash(ctx: &Ctx, dash: &[f64]) {
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
    flagged: &[(usize, bool)],
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
    let find = |id: &str| doc.nodes.iter().find(|n| n.id == id);
    ctx.set_line_width(1.5);
    ctx.set_stroke_style_str(colour::EDGE);
    ctx.set_fill_style_str(colour::EDGE);
    let mut labels = Vec::new();
    for (i, e) in doc.edges.iter().enumerate() {
        let (Some(a), Some(b)) = (find(&e.from), find(&e.to)) else {
            continue;
        };
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
        let text = match lang {
            Lang::En => format!("joins at {:.0} s", f.at_s),
            Lang::Ko => format!("{:.0}초에 합류", f.at_s),
        };
        labels.push(((s.0 + t.0) / 2.0, (s.1 + t.1) / 2.0, vec![text]));
    }
    set_dash(ctx, &[]);
    ctx.set_stroke_style_str(colour::EDGE);
    ctx.set_fill_style_str(colour::EDGE);

    for (i, n) in doc.nodes.iter().enumerate() {
        draw_node(ctx, n, selected.contains(&i), lang);
    }
    // Connection parameters: one short line each, stacked above the middle
    // of the edge on a light backing, over everything else.
    ctx.set_font("600 11px system-ui, sans-serif");
    ctx.set_text_align("center");
    for (x, y, parts) in labels {
        for (k, part) in parts.iter().rev().enumerate() {
            let ly = y - 10.0 - 14.0 * k as f64;
            let w = ctx.measure_text(part).map_or(60.0, |m| m.width()) + 8.0;
            ctx.set_fill_style_str("rgba(247, 248, 250, 0.92)");
            ctx.fill_rect(x - w / 2.0, ly - 10.0, w, 13.0);
            ctx.set_fill_style_str(colour::TEXT);
            let _ = ctx.fill_text(part, x, ly);
        }
    }
    // Wiring problems where they are: a badge on each node concerned (the
    // Problems panel says what is wrong).
    for (i, error) in flagged {
        let Some(n) = doc.nodes.get(*i) else { continue };
        let (x, y) = (n.x - NODE_W / 2.0, n.y - NODE_H / 2.0);
        ctx.begin_path();
        let _ = ctx.arc(x, y, 9.0, 0.0, std::f64::consts::TAU);
        ctx.set_fill_style_str(if *error {
            colour::FAILED
        } else {
            colour::QUEUE
        });
        ctx.fill();
        ctx.set_fill_style_str("#ffffff");
        ctx.set_font("700 13px system-ui, sans-serif");
        ctx.set_text_align("center");
        let _ = ctx.fill_text("!", x, y + 4.5);
    }
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

fn draw_node(ctx: &Ctx, n: &NodeDoc, selected: bool, lang: Lang) {
    let (x, y) = (n.x - NODE_W / 2.0, n.y - NODE_H / 2.0);
    let accent = crate::kinds::colour(n.kind);
    rounded_rect(ctx, x, y, NODE_W, NODE_H, 8.0);
    ctx.set_fill_style_str("#ffffff");
    ctx.fill();
    ctx.set_line_width(if selected { 3.0 } else { 1.5 });
    ctx.set_stroke_style_str(if selected { colour::SELECTED } else { accent });
    ctx.stroke();
    rounded_rect(ctx, x, y, 8.0, NODE_H, 4.0);
    ctx.set_fill_style_str(accent);
    ctx.fill();

    ctx.set_text_align("left");
    ctx.set_fill_style_str(colour::TEXT);
    ctx.set_font("600 14px system-ui, sans-serif");
    let title = match (crate::kinds::ui(n.kind).title)(n) {
        Some(msg) => msg.text(lang),
        None => lang.pick(n.kind.spec().name),
    };
    let _ = ctx.fill_text(title, x + 16.0, y + 22.0);
    ctx.set_fill_style_str(colour::MUTED);
    ctx.set_font("12px ui-monospace, monospace");
    let _ = ctx.fill_text(&n.id, x + 16.0, y + 40.0);

    // The kind's icon, beside the id (the title may use the full width).
    if let Ok(icon) = web_sys::Path2d::new_with_path_string(crate::kinds::icon(n.kind)) {
        ctx.save();
        let _ = ctx.translate(x + NODE_W - 32.0, y + 28.0);
        let _ = ctx.scale(0.75, 0.75);
        ctx.set_line_width(1.8);
        ctx.set_stroke_style_str(accent);
        ctx.set_line_cap("round");
        ctx.set_line_join("round");
        ctx.stroke_with_path(&icon);
        ctx.restore();
    }

    if !n.kind.has_output() {
        return;
    }
    let (px, py) = port(n);
    ctx.begin_path();
    let _ = ctx.arc(px, py, PORT_R, 0.0, std::f64::consts::TAU);
    ctx.set_fill_style_str("#ffffff");
    ctx.fill();
    ctx.set_line_width(2.0);
    ctx.set_stroke_style_str(accent);
    ctx.stroke();
}

/// The line drawn above a running database or cache: its role when a
/// failover changed it, a replica's lag, a cache's hit rate.
fn data_badge(load: &Load, n: &NodeDoc, lang: Lang) -> Option<String> {
    if let Some(hit) = load.hit_rate {
        return Some(format!("{} {:.0} %", Msg::Hits.text(lang), hit * 100.0));
    }
    let role = load.role?;
    let designed_replica = n.is_replica();
    match role {
        DbRole::Master if designed_replica => Some(Msg::NowMaster.text(lang).to_string()),
        DbRole::Master => None,
        DbRole::Replica if !designed_replica => Some(Msg::NowReplica.text(lang).to_string()),
        DbRole::Replica => Some(format!(
            "{} {} · {} {}",
            Msg::Lag.text(lang),
            lag_text(load.lag_s),
            load.behind_events,
            Msg::EventsBehind.text(lang)
        )),
    }
}

/// A lag in the unit that reads best.
fn lag_text(seconds: f64) -> String {
    if seconds < 1.0 {
        format!("{:.0} ms", seconds * 1e3)
    } else {
        format!("{seconds:.1} s")
    }
}

/// Redraws the live layer: load on each node, requests in flight, the edge
/// being drawn.
#[allow(clippy::too_many_arguments)]
pub fn draw_live(
    ctx: &Ctx,
    doc: &DesignDoc,
    driver: &Driver,
    tool: &Tool,
    lang: Lang,
    view: View,
    reduced_motion: bool,
    dpr: f64,
    width: f64,
    height: f64,
) {
    let _ = ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0);
    ctx.clear_rect(0.0, 0.0, width, height);
    world_transform(ctx, view, dpr);

    if driver.sim().is_some() {
        let (dots, _) = driver.dots();
        for (i, n) in doc.nodes.iter().enumerate() {
            if !driver.is_up(i) {
                // A crashed node: greyed out and labelled.
                rounded_rect(
                    ctx,
                    n.x - NODE_W / 2.0,
                    n.y - NODE_H / 2.0,
                    NODE_W,
                    NODE_H,
                    8.0,
                );
                ctx.set_fill_style_str("rgba(107, 114, 128, 0.72)");
                ctx.fill();
                ctx.set_fill_style_str("#ffffff");
                ctx.set_font("700 13px system-ui, sans-serif");
                ctx.set_text_align("center");
                let _ = ctx.fill_text(Msg::Down.text(lang), n.x, n.y + 5.0);
            }
            let Some(load) = driver.load(i) else { continue };
            if load.slow > 1.0 {
                ctx.set_fill_style_str(colour::FAILED);
                ctx.set_font("700 12px system-ui, sans-serif");
                ctx.set_text_align("right");
                let _ = ctx.fill_text(
                    &format!("×{} slow", load.slow),
                    n.x + NODE_W / 2.0 - 6.0,
                    n.y - NODE_H / 2.0 - 6.0,
                );
            }
            if let Some(badge) = data_badge(&load, n, lang) {
                ctx.set_fill_style_str(colour::TEXT);
                ctx.set_font("600 12px system-ui, sans-serif");
                ctx.set_text_align("left");
                let _ = ctx.fill_text(&badge, n.x - NODE_W / 2.0, n.y - NODE_H / 2.0 - 6.0);
            }
            let (x, y) = (n.x - NODE_W / 2.0, n.y + NODE_H / 2.0 + 4.0);
            let busy = (f64::from(load.busy) / f64::from(load.workers.max(1))).min(1.0);
            let queue = if load.queue_capacity == 0 {
                0.0
            } else {
                f64::from(load.queue_len) / f64::from(load.queue_capacity)
            };
            ctx.set_fill_style_str("#e5e7eb");
            ctx.fill_rect(x, y, NODE_W, 4.0);
            ctx.fill_rect(x, y + 6.0, NODE_W, 4.0);
            ctx.set_fill_style_str(crate::kinds::colour(n.kind));
            ctx.fill_rect(x, y, NODE_W * busy, 4.0);
            ctx.set_fill_style_str(colour::QUEUE);
            ctx.fill_rect(x, y + 6.0, NODE_W * queue.min(1.0), 4.0);
        }

        // Replication streams: a moving dashed line from each master to its
        // replicas (still when motion is reduced), labelled with the lag.
        let clock_ms = driver
            .sim()
            .map_or(0.0, |s| scalesim::time::to_secs(s.now()) * 1e3);
        for &(ia, ib) in driver.db_links() {
            let (Some(a), Some(b)) = (doc.nodes.get(ia), doc.nodes.get(ib)) else {
                continue;
            };
            // Only a live current master streams (after a failover the
            // designed edge from the old master carries nothing).
            let streams = driver
                .load(ia)
                .is_some_and(|l| l.up && l.role == Some(DbRole::Master));
            let Some(replica) = driver
                .load(ib)
                .filter(|l| streams && l.role == Some(DbRole::Replica))
            else {
                continue;
            };
            let (s, t) = edge_ends(a, b);
            ctx.set_line_width(3.0);
            ctx.set_stroke_style_str(colour::QUEUE);
            set_dash(ctx, &[6.0, 6.0]);
            if !reduced_motion {
                ctx.set_line_dash_offset(-(clock_ms / 20.0) % 12.0);
            }
            ctx.begin_path();
            ctx.move_to(s.0, s.1);
            ctx.line_to(t.0, t.1);
            ctx.stroke();
            set_dash(ctx, &[]);
            ctx.set_line_dash_offset(0.0);
            ctx.set_font("600 11px system-ui, sans-serif");
            ctx.set_text_align("left");
            ctx.set_fill_style_str(colour::TEXT);
            let _ = ctx.fill_text(
                &format!(
                    "{} {}",
                    Msg::ReplicationLag.text(lang),
                    lag_text(replica.lag_s)
                ),
                (s.0 + t.0) / 2.0 + 8.0,
                (s.1 + t.1) / 2.0,
            );
        }
        if reduced_motion {
            draw_counts(ctx, doc, dots);
        } else {
            draw_dots(ctx, doc, dots);
        }
        // Requests per second on each connection, under its middle, on a
        // halo so the dots beneath do not hide it.
        ctx.set_line_width(3.0);
        ctx.set_stroke_style_str(colour::BACKGROUND);
        ctx.set_line_join("round");
        ctx.set_font("600 11px system-ui, sans-serif");
        ctx.set_text_align("center");
        ctx.set_fill_style_str(colour::MUTED);
        for &(a, b, rate) in driver.rates() {
            let (Some(na), Some(nb)) = (doc.nodes.get(a), doc.nodes.get(b)) else {
                continue;
            };
            if rate <= 0.0 {
                continue;
            }
            let (s, t) = edge_ends(na, nb);
            let text = if rate >= 100.0 {
                format!("{rate:.0}/s")
            } else {
                format!("{rate:.1}/s")
            };
            let (x, y) = ((s.0 + t.0) / 2.0, (s.1 + t.1) / 2.0 + 15.0);
            let _ = ctx.stroke_text(&text, x, y);
            let _ = ctx.fill_text(&text, x, y);
        }
        for (a, b, state) in driver.breakers() {
            draw_breaker(ctx, &doc.nodes[a], &doc.nodes[b], state, lang);
        }
        let total = driver.dots().1;
        let _ = ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0);
        draw_legend(ctx, lang, dots.len(), total);
        world_transform(ctx, view, dpr);
    }
    if let Tool::Selecting { start, at } = tool {
        ctx.set_line_width(1.0 / view.zoom);
        ctx.set_stroke_style_str(colour::SELECTED);
        set_dash(ctx, &[4.0 / view.zoom, 3.0 / view.zoom]);
        ctx.stroke_rect(start.0, start.1, at.0 - start.0, at.1 - start.1);
        set_dash(ctx, &[]);
    }

    if let Tool::Connecting { from, at } = tool
        && let Some(a) = doc.nodes.iter().find(|n| &n.id == from)
    {
        let s = port(a);
        ctx.set_line_width(2.0);
        ctx.set_stroke_style_str(colour::SELECTED);
        ctx.set_fill_style_str(colour::SELECTED);
        set_dash(ctx, &[6.0, 4.0]);
        arrow(ctx, s, *at);
        set_dash(ctx, &[]);
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

/// A circuit breaker's state as a labelled pill in the middle of its edge:
/// closed (green), open (vermilion, a gap in the line), half-open (amber).
fn draw_breaker(ctx: &Ctx, a: &NodeDoc, b: &NodeDoc, state: BreakerState, lang: Lang) {
    let (s, e) = edge_ends(a, b);
    let (x, y) = ((s.0 + e.0) / 2.0, (s.1 + e.1) / 2.0);
    let (fill, label) = match state {
        BreakerState::Closed => (colour::REPLY, Msg::BreakerClosed),
        BreakerState::Open => (colour::FAILED, Msg::BreakerOpen),
        BreakerState::HalfOpen => (colour::QUEUE, Msg::BreakerHalfOpen),
    };
    let text = label.text(lang);
    ctx.set_font("700 11px system-ui, sans-serif");
    let w = ctx.measure_text(text).map_or(60.0, |m| m.width()) + 14.0;
    rounded_rect(ctx, x - w / 2.0, y - 9.0, w, 18.0, 9.0);
    ctx.set_fill_style_str(fill);
    ctx.fill();
    ctx.set_fill_style_str("#ffffff");
    ctx.set_text_align("center");
    let _ = ctx.fill_text(text, x, y + 4.0);
}

/// Where a dot travels on a hop from `a` to `b`: along the drawn edge
/// `a → b` for a request, and back along the edge `b → a` for a reply.
fn hop_ends(a: &NodeDoc, b: &NodeDoc, reply: bool) -> ((f64, f64), (f64, f64)) {
    if reply {
        let (s, t) = edge_ends(b, a);
        (t, s)
    } else {
        edge_ends(a, b)
    }
}

/// Where dot `d` is now [canvas px], if both its nodes are on the canvas.
pub fn dot_position(doc: &DesignDoc, d: &Dot) -> Option<(f64, f64)> {
    let (a, b) = (
        doc.nodes.get(d.from as usize)?,
        doc.nodes.get(d.to as usize)?,
    );
    let (s, t) = hop_ends(a, b, d.reply);
    let p = f64::from(d.progress);
    Some((s.0 + (t.0 - s.0) * p, s.1 + (t.1 - s.1) * p))
}

/// The request (slot, send time) of the failed (else stale) dot nearest to
/// (`x`, `y`) within `radius` [canvas px]: what a click on a cross or a ring
/// opens.
pub fn hit_dot(doc: &DesignDoc, dots: &[Dot], x: f64, y: f64, radius: f64) -> Option<(u32, u64)> {
    let near = |d: &&Dot| {
        dot_position(doc, d)
            .map(|(dx, dy)| (dx - x).hypot(dy - y))
            .filter(|dist| *dist <= radius)
    };
    let nearest = |failed: bool| {
        dots.iter()
            .filter(|d| d.request != scalesim::model::NO_REQUEST)
            .filter(|d| if failed { d.failed } else { d.stale })
            .filter_map(|d| near(&d).map(|dist| (dist, (d.request, d.sent))))
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(_, r)| r)
    };
    nearest(true).or_else(|| nearest(false))
}

/// The colour of a request kind's dots.
pub fn dot_colour(kind: DotKind) -> &'static str {
    match kind {
        DotKind::Page => colour::REQUEST,
        DotKind::Write => "#CC79A7",
        DotKind::Static => "#56B4E9",
        DotKind::Job => colour::QUEUE,
    }
}

/// How a dot is drawn: its kind's colour, filled when all is well, with a
/// dark ring when it carries a stale read, and as a vermilion cross when it
/// failed (shape as well as colour, for colour-blind eyes). Dots are
/// batched per style: one path each, no per-dot strings.
fn draw_dots(ctx: &Ctx, doc: &DesignDoc, dots: &[Dot]) {
    let at = |d: &Dot| dot_position(doc, d);
    for kind in [DotKind::Page, DotKind::Write, DotKind::Static, DotKind::Job] {
        ctx.begin_path();
        let mut any = false;
        for d in dots.iter().filter(|d| !d.failed && d.kind == kind) {
            let Some((x, y)) = at(d) else { continue };
            ctx.move_to(x + 4.0, y);
            let _ = ctx.arc(x, y, 4.0, 0.0, std::f64::consts::TAU);
            any = true;
        }
        if any {
            ctx.set_fill_style_str(dot_colour(kind));
            ctx.fill();
        }
    }
    // Stale answers: a dark ring around the dot.
    ctx.begin_path();
    let mut any = false;
    for d in dots.iter().filter(|d| !d.failed && d.stale) {
        let Some((x, y)) = at(d) else { continue };
        ctx.move_to(x + 6.0, y);
        let _ = ctx.arc(x, y, 6.0, 0.0, std::f64::consts::TAU);
        any = true;
    }
    if any {
        ctx.set_line_width(2.0);
        ctx.set_stroke_style_str(colour::SELECTED);
        ctx.stroke();
    }
    // Failures: crosses.
    ctx.begin_path();
    let mut any = false;
    for d in dots.iter().filter(|d| d.failed) {
        let Some((x, y)) = at(d) else { continue };
        ctx.move_to(x - 4.0, y - 4.0);
        ctx.line_to(x + 4.0, y + 4.0);
        ctx.move_to(x + 4.0, y - 4.0);
        ctx.line_to(x - 4.0, y + 4.0);
        any = true;
    }
    if any {
        ctx.set_line_width(2.5);
        ctx.set_stroke_style_str(colour::FAILED);
        ctx.stroke();
    }
}

/// The dots' legend and, when not every request in flight is drawn, the
/// sampling ratio — in screen space, top left (notices use the bottom).
fn draw_legend(ctx: &Ctx, lang: Lang, drawn: usize, total: u64) {
    let y = 22.0;
    let mut x = 12.0;
    ctx.set_font("12px system-ui, sans-serif");
    ctx.set_text_align("left");
    let items: [(&str, Msg, u8); 6] = [
        (dot_colour(DotKind::Page), Msg::DotRead, 0),
        (dot_colour(DotKind::Write), Msg::DotWrite, 0),
        (dot_colour(DotKind::Static), Msg::DotStatic, 0),
        (dot_colour(DotKind::Job), Msg::DotJob, 0),
        (colour::SELECTED, Msg::DotStale, 1),
        (colour::FAILED, Msg::DotError, 2),
    ];
    let sampled =
        (total > drawn as u64 && drawn > 0).then(|| crate::i18n::dots_sampled(lang, drawn, total));
    let width = |t: &str| ctx.measure_text(t).map_or(40.0, |m| m.width());
    let backdrop = items
        .iter()
        .map(|(_, label, _)| 24.0 + width(label.text(lang)))
        .sum::<f64>()
        + sampled.as_deref().map_or(0.0, width);
    ctx.set_fill_style_str("rgba(247, 248, 250, 0.9)");
    ctx.fill_rect(4.0, y - 12.0, backdrop + 16.0, 18.0);
    for (style, label, shape) in items {
        ctx.begin_path();
        match shape {
            0 => {
                let _ = ctx.arc(x + 4.0, y - 4.0, 4.0, 0.0, std::f64::consts::TAU);
                ctx.set_fill_style_str(style);
                ctx.fill();
            }
            1 => {
                let _ = ctx.arc(x + 4.0, y - 4.0, 5.0, 0.0, std::f64::consts::TAU);
                ctx.set_line_width(2.0);
                ctx.set_stroke_style_str(style);
                ctx.stroke();
            }
            _ => {
                ctx.move_to(x, y - 8.0);
                ctx.line_to(x + 8.0, y);
                ctx.move_to(x + 8.0, y - 8.0);
                ctx.line_to(x, y);
                ctx.set_line_width(2.5);
                ctx.set_stroke_style_str(style);
                ctx.stroke();
            }
        }
        ctx.set_fill_style_str(colour::TEXT);
        let text = label.text(lang);
        let _ = ctx.fill_text(text, x + 12.0, y);
        x += 24.0 + width(text);
    }
    if let Some(text) = sampled {
        ctx.set_fill_style_str(colour::MUTED);
        let _ = ctx.fill_text(&text, x, y);
    }
}

/// Requests in flight without motion (the system asked for reduced
/// motion): how many are on each connection, at its middle.
fn draw_counts(ctx: &Ctx, doc: &DesignDoc, dots: &[Dot]) {
    let mut counts: Vec<(u32, u32, u32)> = Vec::new();
    for d in dots {
        let key = (d.from.min(d.to), d.from.max(d.to));
        match counts.iter_mut().find(|c| (c.0, c.1) == key) {
            Some(c) => c.2 += 1,
            None => counts.push((key.0, key.1, 1)),
        }
    }
    ctx.set_font("600 12px system-ui, sans-serif");
    ctx.set_text_align("center");
    for (a, b, n) in counts {
        let (Some(a), Some(b)) = (doc.nodes.get(a as usize), doc.nodes.get(b as usize)) else {
            continue;
        };
        let (x, y) = ((a.x + b.x) / 2.0, (a.y + b.y) / 2.0);
        rounded_rect(ctx, x - 16.0, y - 10.0, 32.0, 20.0, 10.0);
        ctx.set_fill_style_str(colour::REQUEST);
        ctx.fill();
        ctx.set_fill_style_str("#ffffff");
        let _ = ctx.fill_text(&n.to_string(), x, y + 4.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scalesim::design::NodeDoc;

    fn two_nodes() -> DesignDoc {
        let node = |id: &str, kind, x| NodeDoc {
            id: id.into(),
            kind,
            x,
            y: 100.0,
            params: Default::default(),
        };
        DesignDoc {
            nodes: vec![
                node("users-1", Kind::Users, 100.0),
                node("web-1", Kind::WebServer, 500.0),
            ],
            ..DesignDoc::default()
        }
    }

    fn dot(request: u32, progress: f32, failed: bool, stale: bool) -> Dot {
        Dot {
            from: 0,
            to: 1,
            progress,
            reply: false,
            failed,
            stale,
            kind: DotKind::Page,
            request,
            sent: u64::from(request) * 10,
        }
    }

    #[test]
    fn a_click_on_a_cross_or_a_ring_finds_its_request() {
        let doc = two_nodes();
        let dots = [
            dot(7, 0.5, false, false),
            dot(8, 0.52, true, false),
            dot(9, 0.2, false, true),
        ];
        let (x, y) = dot_position(&doc, &dots[1]).unwrap();
        // The failed dot wins over a plain one right next to it.
        assert_eq!(hit_dot(&doc, &dots, x, y, 8.0), Some((8, 80)));
        let (sx, sy) = dot_position(&doc, &dots[2]).unwrap();
        assert_eq!(hit_dot(&doc, &dots, sx + 3.0, sy, 8.0), Some((9, 90)));
        // A plain dot is not a target (clicks there select the connection).
        let (px, py) = dot_position(&doc, &dots[0]).unwrap();
        assert_eq!(hit_dot(&doc, &dots[..1], px, py, 8.0), None);
        assert_eq!(hit_dot(&doc, &dots, x, y + 40.0, 8.0), None);
    }
}
