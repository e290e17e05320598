//! Charts over simulated time, drawn on their own canvas four times a
//! second from the simulation's one-second series — never through the
//! virtual DOM, so they update without re-rendering the app. Hover shows
//! the value under the pointer; vertical marks show when faults happened.

use crate::canvas::draw::colour;
use crate::i18n::{Lang, Msg};
use crate::live::Live;
use scalesim::model::SeriesPoint;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d as Ctx, HtmlCanvasElement};
use yew::prelude::*;

/// Time between redraws [ms].
const REDRAW_MS: u32 = 250;
/// Least height the chart is drawn at [CSS px] (the stylesheet sets it).
const MIN_HEIGHT: f64 = 60.0;
/// Most points drawn per line (longer series are strided).
const MAX_POINTS: usize = 600;

/// What a chart plots.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Figure {
    /// Successful answers per second.
    Throughput,
    /// p50, p95 and p99 latency.
    Latency,
    /// Share of answers that failed.
    ErrorRate,
    /// Share of answers that succeeded.
    Availability,
    /// Share of successes that were correct.
    Reliability,
    /// Share of cache lookups that hit.
    CacheHitRate,
    /// Largest replication lag.
    ReplicationLag,
    /// Jobs waiting in queues.
    Backlog,
    /// What the design costs.
    Cost,
}

impl Figure {
    /// Every figure, in the chooser's order.
    pub const ALL: [Figure; 9] = [
        Figure::Throughput,
        Figure::Latency,
        Figure::ErrorRate,
        Figure::Availability,
        Figure::Reliability,
        Figure::CacheHitRate,
        Figure::ReplicationLag,
        Figure::Backlog,
        Figure::Cost,
    ];

    /// The key used in the page.
    pub fn key(self) -> &'static str {
        match self {
            Figure::Throughput => "throughput",
            Figure::Latency => "latency",
            Figure::ErrorRate => "error-rate",
            Figure::Availability => "availability",
            Figure::Reliability => "reliability",
            Figure::CacheHitRate => "cache-hit-rate",
            Figure::ReplicationLag => "replication-lag",
            Figure::Backlog => "backlog",
            Figure::Cost => "cost",
        }
    }

    fn label(self) -> Msg {
        match self {
            Figure::Throughput => Msg::Throughput,
            Figure::Latency => Msg::ChartLatency,
            Figure::ErrorRate => Msg::ErrorRate,
            Figure::Availability => Msg::Availability,
            Figure::Reliability => Msg::ChartReliability,
            Figure::CacheHitRate => Msg::CacheHitRate,
            Figure::ReplicationLag => Msg::ReplicaLag,
            Figure::Backlog => Msg::ChartBacklog,
            Figure::Cost => Msg::CostPerMonth,
        }
    }

    fn unit(self) -> &'static str {
        match self {
            Figure::Throughput => "req/s",
            Figure::Latency | Figure::ReplicationLag => "ms",
            Figure::ErrorRate
            | Figure::Availability
            | Figure::Reliability
            | Figure::CacheHitRate => "%",
            Figure::Backlog => "",
            Figure::Cost => "USD",
        }
    }

    /// The lines plotted (name, colour) and their values at a point.
    fn lines(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Figure::Latency => &[("p50", "#0072B2"), ("p95", "#E69F00"), ("p99", "#D55E00")],
            Figure::ErrorRate => &[("", "#D55E00")],
            Figure::Availability | Figure::Reliability => &[("", "#009E73")],
            _ => &[("", "#0072B2")],
        }
    }

    fn values(self, p: &SeriesPoint) -> [f64; 3] {
        match self {
            Figure::Throughput => [p.throughput_rps, 0.0, 0.0],
            Figure::Latency => [p.p50_ms, p.p95_ms, p.p99_ms],
            Figure::ErrorRate => [p.error_rate * 100.0, 0.0, 0.0],
            Figure::Availability => [(1.0 - p.error_rate) * 100.0, 0.0, 0.0],
            Figure::Reliability => [p.reliability * 100.0, 0.0, 0.0],
            Figure::CacheHitRate => [p.cache_hit_rate * 100.0, 0.0, 0.0],
            Figure::ReplicationLag => [p.max_lag_s * 1e3, 0.0, 0.0],
            Figure::Backlog => [p.backlog as f64, 0.0, 0.0],
            Figure::Cost => [p.cost_per_month, 0.0, 0.0],
        }
    }
}

/// Properties of [`Charts`].
#[derive(Properties, PartialEq)]
pub struct ChartsProps {
    /// The run (read on every redraw).
    pub driver: Live,
    /// UI language.
    pub lang: Lang,
}

/// The chart panel: a chooser and one chart.
#[function_component(Charts)]
pub fn charts(props: &ChartsProps) -> Html {
    let lang = props.lang;
    let figure = use_state(|| Figure::Throughput);
    let canvas_ref = use_node_ref();
    // Pointer x over the chart [CSS px], if hovering.
    let hover = use_mut_ref(|| None::<f64>);
    let figure_now = use_mut_ref(|| Figure::Throughput);
    *figure_now.borrow_mut() = *figure;
    let lang_now = use_mut_ref(|| lang);
    *lang_now.borrow_mut() = lang;
    {
        let (canvas_ref, driver, hover, figure_now, lang_now) = (
            canvas_ref.clone(),
            props.driver.clone(),
            hover.clone(),
            figure_now.clone(),
            lang_now.clone(),
        );
        use_effect_with((), move |_| {
            let last = Rc::new(Cell::new((usize::MAX, None::<u64>, 0usize, 0u8)));
            let interval = gloo::timers::callback::Interval::new(REDRAW_MS, move || {
                let Some(canvas) = canvas_ref.cast::<HtmlCanvasElement>() else {
                    return;
                };
                let d = driver.0.borrow();
                if !d.exists() {
                    let _ = canvas.set_attribute("data-points", "0");
                    clear(&canvas);
                    return;
                }
                let series = d.series();
                let h = *hover.borrow();
                let fig = *figure_now.borrow();
                // Redraw only when something changed.
                let key = (
                    series.len(),
                    h.map(f64::to_bits),
                    d.log_entries() as usize,
                    Figure::ALL.iter().position(|f| *f == fig).unwrap_or(0) as u8,
                );
                if last.get() == key
                    && canvas.get_attribute("data-lang").as_deref() == Some(lang_now.borrow().tag())
                {
                    return;
                }
                last.set(key);
                let lang = *lang_now.borrow();
                let _ = canvas.set_attribute("data-lang", lang.tag());
                draw(&canvas, series, fig, d.fault_times(), h, lang);
            });
            move || drop(interval)
        });
    }
    let onmousemove = {
        let hover = hover.clone();
        Callback::from(move |e: MouseEvent| {
            *hover.borrow_mut() = Some(f64::from(e.offset_x()));
        })
    };
    let onmouseleave = {
        let hover = hover.clone();
        Callback::from(move |_: MouseEvent| *hover.borrow_mut() = None)
    };
    let onchange = {
        let figure = figure.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            if let Some(f) = Figure::ALL.into_iter().find(|f| f.key() == select.value()) {
                figure.set(f);
            }
        })
    };
    html! {
        <section class="charts" aria-label={Msg::Charts.text(lang)}>
            <div class="charts-head">
                <h2>{ Msg::Charts.text(lang) }</h2>
                <select id="chart-figure" aria-label={Msg::ChartChoose.text(lang)} {onchange}>
                    { for Figure::ALL.iter().map(|f| html! {
                        <option value={f.key()} selected={*f == *figure}>{ f.label().text(lang) }</option>
                    }) }
                </select>
            </div>
            <canvas id="chart" ref={canvas_ref} data-figure={figure.key()}
                role="img" aria-label={Msg::ChartHint.text(lang)}
                {onmousemove} {onmouseleave}></canvas>
        </section>
    }
}

fn context(canvas: &HtmlCanvasElement) -> Option<(Ctx, f64, f64)> {
    let dpr = gloo::utils::window().device_pixel_ratio().max(1.0);
    let width = f64::from(canvas.client_width()).max(100.0);
    let height = f64::from(canvas.client_height()).max(MIN_HEIGHT);
    let (pw, ph) = ((width * dpr) as u32, (height * dpr) as u32);
    if canvas.width() != pw || canvas.height() != ph {
        canvas.set_width(pw);
        canvas.set_height(ph);
    }
    let ctx: Ctx = canvas.get_context("2d").ok()??.dyn_into().ok()?;
    let _ = ctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0);
    ctx.clear_rect(0.0, 0.0, width, height);
    Some((ctx, width, height))
}

fn clear(canvas: &HtmlCanvasElement) {
    let _ = context(canvas);
}

/// Draws `figure` over `series`, with fault marks at `faults` [s] and the
/// value under `hover` [CSS px]. Also leaves what it drew in `data-`
/// attributes (points, latest value, marks) for tests and assistive tools.
fn draw(
    canvas: &HtmlCanvasElement,
    series: &[SeriesPoint],
    figure: Figure,
    faults: &[f64],
    hover: Option<f64>,
    lang: Lang,
) {
    let Some((ctx, w, h)) = context(canvas) else {
        return;
    };
    let _ = canvas.set_attribute("data-points", &series.len().to_string());
    let _ = canvas.set_attribute("data-marks", &faults.len().to_string());
    let (left, right, top, bottom) = (44.0, w - 8.0, 18.0, h - 18.0);
    ctx.set_font("11px system-ui, sans-serif");
    ctx.set_fill_style_str(colour::MUTED);
    if series.is_empty() {
        ctx.set_text_align("center");
        let _ = ctx.fill_text(Msg::ChartEmpty.text(lang), w / 2.0, h / 2.0);
        let _ = canvas.set_attribute("data-last", "");
        return;
    }
    let stride = series.len().div_ceil(MAX_POINTS).max(1);
    let shown: Vec<&SeriesPoint> = series.iter().step_by(stride).chain(series.last()).collect();
    let (t0, t1) = (0.0, series.last().map_or(1.0, |p| p.t_s).max(1.0));
    let lines = figure.lines();
    let max = shown
        .iter()
        .flat_map(|p| figure.values(p).into_iter().take(lines.len()))
        .fold(0.0f64, f64::max);
    let percent = figure.unit() == "%";
    let y_max = if percent { 100.0 } else { nice_ceiling(max) };
    let x = |t: f64| left + (t - t0) / (t1 - t0) * (right - left);
    let y = |v: f64| bottom - v / y_max * (bottom - top);

    // Axes and labels.
    ctx.set_stroke_style_str("#e5e7eb");
    ctx.set_line_width(1.0);
    for k in 0..=2 {
        let v = y_max * f64::from(k) / 2.0;
        ctx.begin_path();
        ctx.move_to(left, y(v));
        ctx.line_to(right, y(v));
        ctx.stroke();
        ctx.set_text_align("right");
        let _ = ctx.fill_text(&short(v), left - 4.0, y(v) + 4.0);
    }
    ctx.set_text_align("left");
    let _ = ctx.fill_text("0 s", left, h - 4.0);
    ctx.set_text_align("right");
    let _ = ctx.fill_text(&format!("{t1:.0} s"), right, h - 4.0);

    // Fault marks.
    ctx.set_stroke_style_str(colour::FAILED);
    let _ = ctx.set_line_dash(&js_sys::Array::of2(&3.0.into(), &3.0.into()));
    for &t in faults {
        ctx.begin_path();
        ctx.move_to(x(t), top);
        ctx.line_to(x(t), bottom);
        ctx.stroke();
    }
    let _ = ctx.set_line_dash(&js_sys::Array::new());

    // The lines.
    ctx.set_line_width(1.6);
    for (k, (_, colour)) in lines.iter().enumerate() {
        ctx.set_stroke_style_str(colour);
        ctx.begin_path();
        for (i, p) in shown.iter().enumerate() {
            let (px, py) = (x(p.t_s), y(figure.values(p)[k]));
            if i == 0 {
                ctx.move_to(px, py);
            } else {
                ctx.line_to(px, py);
            }
        }
        ctx.stroke();
    }

    // Title with the latest value(s).
    let last = series.last().expect("not empty");
    let value_text = |p: &SeriesPoint| {
        let v = figure.values(p);
        lines
            .iter()
            .enumerate()
            .map(|(k, (name, _))| {
                let n = if name.is_empty() {
                    String::new()
                } else {
                    format!("{name} ")
                };
                format!("{n}{} {}", short(v[k]), figure.unit())
            })
            .collect::<Vec<_>>()
            .join(" · ")
    };
    let _ = canvas.set_attribute("data-last", &figure.values(last)[0].to_string());
    ctx.set_fill_style_str(colour::TEXT);
    ctx.set_text_align("left");
    ctx.set_font("600 11px system-ui, sans-serif");
    let _ = ctx.fill_text(&value_text(last), left, 12.0);

    // Hover: the point under the pointer.
    if let Some(hx) = hover.filter(|hx| (left..=right).contains(hx)) {
        let t = t0 + (hx - left) / (right - left) * (t1 - t0);
        let i = series.partition_point(|p| p.t_s < t).min(series.len() - 1);
        let p = &series[i];
        ctx.set_stroke_style_str(colour::SELECTED);
        ctx.set_line_width(1.0);
        ctx.begin_path();
        ctx.move_to(x(p.t_s), top);
        ctx.line_to(x(p.t_s), bottom);
        ctx.stroke();
        let text = format!("{:.0} s: {}", p.t_s, value_text(p));
        let tw = ctx.measure_text(&text).map_or(120.0, |m| m.width()) + 8.0;
        let bx = (x(p.t_s) + 6.0).min(right - tw);
        ctx.set_fill_style_str("rgba(255, 255, 255, 0.95)");
        ctx.fill_rect(bx, top + 2.0, tw, 16.0);
        ctx.set_fill_style_str(colour::TEXT);
        let _ = ctx.fill_text(&text, bx + 4.0, top + 14.0);
        let _ = canvas.set_attribute("data-hover", &text);
    } else {
        let _ = canvas.remove_attribute("data-hover");
    }
}

/// A round number at or above `v` for the top of the axis.
fn nice_ceiling(v: f64) -> f64 {
    if v <= 0.0 {
        return 1.0;
    }
    let magnitude = 10f64.powf(v.log10().floor());
    [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|c| *c >= v)
        .unwrap_or(10.0 * magnitude)
}

/// A number in few characters: 1234 → "1.2k".
fn short(v: f64) -> String {
    if v >= 10_000.0 {
        format!("{:.0}k", v / 1_000.0)
    } else if v >= 1_000.0 {
        format!("{:.1}k", v / 1_000.0)
    } else if v >= 10.0 || v == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_tops_are_round_and_numbers_short() {
        assert_eq!(nice_ceiling(0.0), 1.0);
        assert_eq!(nice_ceiling(7.3), 10.0);
        assert_eq!(nice_ceiling(123.0), 200.0);
        assert_eq!(nice_ceiling(240.0), 250.0);
        assert_eq!(short(1234.0), "1.2k");
        assert_eq!(short(56_000.0), "56k");
        assert_eq!(short(3.25), "3.2");
    }
}
