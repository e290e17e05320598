//! The live layer, redrawn every frame: load on each node, breakers,
//! requests in flight (each dot where it is, drawn by its kind, or counted
//! under reduced motion), their legend, and which dot a click lands on.

use super::draw::{arrow, colour, rounded_rect, set_dash, world_transform};
use super::geometry::{NODE_H, NODE_W, edge_ends, port};
use super::tool::Tool;
use super::view::View;
use crate::i18n::{Lang, Msg};
use crate::live::Inner as Run;
use scalesim::Dot;
use scalesim::design::{DesignDoc, NodeDoc};
use scalesim::model::{BreakerState, DbRole, DotKind, Load};
use web_sys::CanvasRenderingContext2d as Ctx;

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
    driver: &Run,
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

    // Only what shows is drawn; words only where they can be read.
    let sight = view.sight(width, height);
    let shows = |ax: f64, ay: f64, bx: f64, by: f64| sight.shows(ax, ay, bx, by);
    let words = view.zoom >= super::draw::DETAIL_ZOOM;
    if driver.exists() {
        let (dots, _) = driver.dots();
        for (i, n) in doc.nodes.iter().enumerate() {
            if !shows(n.x, n.y, n.x, n.y) {
                continue;
            }
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
            if load.slow > 1.0 && words {
                ctx.set_fill_style_str(colour::FAILED);
                ctx.set_font("700 12px system-ui, sans-serif");
                ctx.set_text_align("right");
                let _ = ctx.fill_text(
                    &crate::i18n::slow_by(lang, load.slow),
                    n.x + NODE_W / 2.0 - 6.0,
                    n.y - NODE_H / 2.0 - 6.0,
                );
            }
            if let Some(badge) = data_badge(&load, n, lang).filter(|_| words) {
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
        let clock_ms = scalesim::time::to_secs(driver.now_ns()) * 1e3;
        for (ia, ib) in driver.db_links() {
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
            if !words {
                continue;
            }
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
            draw_dots(ctx, doc, dots, view, dpr);
            world_transform(ctx, view, dpr);
        }
        // Requests per second on each connection, under its middle, on a
        // halo so the dots beneath do not hide it.
        ctx.set_line_width(3.0);
        ctx.set_stroke_style_str(colour::BACKGROUND);
        ctx.set_line_join("round");
        ctx.set_font("600 11px system-ui, sans-serif");
        ctx.set_text_align("center");
        ctx.set_fill_style_str(colour::MUTED);
        for (a, b, rate) in driver.rates().filter(|_| words) {
            let (Some(na), Some(nb)) = (doc.nodes.get(a), doc.nodes.get(b)) else {
                continue;
            };
            if rate <= 0.0 || !shows(na.x, na.y, nb.x, nb.y) {
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
            // A frame may be of the design before an edit: skip what is gone.
            if let (Some(na), Some(nb)) = (doc.nodes.get(a), doc.nodes.get(b)) {
                draw_breaker(ctx, na, nb, state, lang);
            }
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

/// Side of a dot's square [world px].
pub const DOT_SIDE: f64 = 7.0;

/// How a dot is drawn: a small square in its kind's colour when all is
/// well, with a dark square ring when it carries a stale read, and as a
/// vermilion cross when it failed (shape as well as colour, for colour-blind
/// eyes). Dots are batched per style: one path each, no per-dot strings.
///
/// Squares, not circles: a path of axis-aligned rectangles is the one shape
/// software canvases rasterise quickly in bulk. 20,000 circles took 33–66 ms
/// a frame in headless Chromium, 20,000 squares fit in a 60 fps frame (and
/// 40,000 still do); octagons, diamonds and rounded squares made of two or
/// three rectangles were all slower than circles. The squares are placed in
/// device pixels on whole pixels: under a zoom such as 0.75 squares in world
/// coordinates have antialiased edges, which cost a third of the frame
/// rate back (docs/performance.md).
fn draw_dots(ctx: &Ctx, doc: &DesignDoc, dots: &[Dot], view: View, dpr: f64) {
    // In device pixels, on whole pixels: squares that need no antialiasing.
    let _ = ctx.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
    let k = dpr * view.zoom;
    let side = (DOT_SIDE * k).round().max(2.0);
    let at = |d: &Dot| {
        dot_position(doc, d).map(|(x, y)| {
            (
                ((x - view.x) * k - side / 2.0).round(),
                ((y - view.y) * k - side / 2.0).round(),
            )
        })
    };
    for kind in [DotKind::Page, DotKind::Write, DotKind::Static, DotKind::Job] {
        ctx.begin_path();
        let mut any = false;
        for d in dots.iter().filter(|d| !d.failed && d.kind == kind) {
            let Some((x, y)) = at(d) else { continue };
            ctx.rect(x, y, side, side);
            any = true;
        }
        if any {
            ctx.set_fill_style_str(dot_colour(kind));
            ctx.fill();
        }
    }
    // Stale answers: a dark square ring around the dot.
    ctx.begin_path();
    let mut any = false;
    for d in dots.iter().filter(|d| !d.failed && d.stale) {
        let Some((x, y)) = at(d) else { continue };
        // Two line widths out, so the ring never covers the square.
        let gap = 2.0 * dpr;
        ctx.rect(x - gap, y - gap, side + 2.0 * gap, side + 2.0 * gap);
        any = true;
    }
    if any {
        ctx.set_line_width(2.0 * dpr);
        ctx.set_stroke_style_str(colour::SELECTED);
        ctx.stroke();
    }
    // Failures: crosses.
    ctx.begin_path();
    let mut any = false;
    for d in dots.iter().filter(|d| d.failed) {
        let Some((x, y)) = at(d) else { continue };
        let (x1, y1) = (x + side, y + side);
        ctx.move_to(x, y);
        ctx.line_to(x1, y1);
        ctx.move_to(x1, y);
        ctx.line_to(x, y1);
        any = true;
    }
    if any {
        ctx.set_line_width(2.5 * dpr);
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
                let half = DOT_SIDE / 2.0;
                ctx.rect(x + 4.0 - half, y - 4.0 - half, DOT_SIDE, DOT_SIDE);
                ctx.set_fill_style_str(style);
                ctx.fill();
            }
            1 => {
                ctx.rect(x - 1.0, y - 9.0, 10.0, 10.0);
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
    use scalesim::catalog::Kind;
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
