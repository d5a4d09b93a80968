//! The geometry of a grouped bar chart (two series per category) for inline SVG, laid out for a
//! phone: categories are rows with their bars running to the right, so 24 hours need height, not
//! width, and the chart's drawing is [`WIDTH`] units wide with text of [`FONT_SIZE`] units. The
//! template gives the SVG that size in CSS pixels and lets it shrink only to fit a narrower
//! column, so labels are 14 px on a 375 px phone and never less than 12 px at 320 px (a
//! `viewBox` scaled to a wide layout's width drew them at 6 px on a phone). The template draws
//! it; the series are told apart there by fill pattern, not by colour.

/// One category: its axis label and its two values (same unit).
#[derive(Debug, Clone, PartialEq)]
pub struct Group {
    pub label: String,
    pub first: f64,
    pub second: f64,
}

/// A bar: coordinates as text for the template; `second` says which series it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bar {
    pub x: String,
    pub y: String,
    pub width: String,
    pub height: String,
    pub second: bool,
}

/// A text placed at a point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub x: String,
    pub y: String,
    pub text: String,
}

/// A vertical grid line with its value label below the plot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tick {
    pub x: String,
    pub label: Label,
}

/// Everything the template needs to draw the chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BarChart {
    pub width: u32,
    pub height: u32,
    /// The size of every text, in the drawing's units (CSS pixels unless the column is narrower).
    pub font_size: u32,
    /// Left, right, top and bottom of the plot area.
    pub left: String,
    pub right: String,
    pub top: String,
    pub bottom: String,
    pub bars: Vec<Bar>,
    /// The category names, left of their rows.
    pub category_labels: Vec<Label>,
    pub ticks: Vec<Tick>,
}

/// The drawing's width: a 375 px phone's column (343 px) shows it at full size.
pub const WIDTH: u32 = 340;
/// The size of the labels: 14 px at full size, 12 px in the 288 px column of a 320 px screen.
pub const FONT_SIZE: u32 = 14;
/// Room for a category name such as "23:00" or "Mo".
const MARGIN_LEFT: f64 = 50.0;
/// Half of the widest value label, which is centred on the last grid line.
const MARGIN_RIGHT: f64 = 18.0;
const MARGIN_TOP: f64 = 4.0;
/// Room for the value labels below the plot.
const MARGIN_BOTTOM: f64 = 24.0;
/// The height of a category's row.
const ROW: f64 = 22.0;
/// The share of a row left empty above and below its pair of bars.
const ROW_PADDING: f64 = 0.12;
/// The gap between the two bars of a pair, so each bar's edge is seen.
const PAIR_GAP: f64 = 1.0;

/// Lays out `groups` as rows of paired bars, with `label` writing the values of the grid lines.
pub fn grouped_bars(groups: &[Group], label: impl Fn(f64) -> String) -> BarChart {
    let rows = groups.len().max(1) as f64;
    let height = MARGIN_TOP + ROW * rows + MARGIN_BOTTOM;
    let (left, right, top, bottom) = (MARGIN_LEFT, f64::from(WIDTH) - MARGIN_RIGHT, MARGIN_TOP, height - MARGIN_BOTTOM);
    let max = groups.iter().flat_map(|g| [g.first, g.second]).fold(0.0_f64, f64::max);
    let (top_value, step) = nice_scale(max);
    let x_of = |value: f64| left + (value.max(0.0) / top_value) * (right - left);
    let bar_height = (ROW * (1.0 - 2.0 * ROW_PADDING) - PAIR_GAP) / 2.0;
    let mut bars = Vec::with_capacity(groups.len() * 2);
    let mut category_labels = Vec::with_capacity(groups.len());
    for (i, group) in groups.iter().enumerate() {
        let row_top = top + ROW * i as f64;
        for (n, value) in [group.first, group.second].into_iter().enumerate() {
            let y = row_top + ROW * ROW_PADDING + (bar_height + PAIR_GAP) * n as f64;
            bars.push(Bar {
                x: coord(left),
                y: coord(y),
                width: coord(x_of(value) - left),
                height: coord(bar_height),
                second: n == 1,
            });
        }
        // The baseline a third of the text's size below the row's middle centres the digits.
        let baseline = row_top + ROW / 2.0 + f64::from(FONT_SIZE) / 3.0;
        category_labels.push(Label { x: coord(left - 6.0), y: coord(baseline), text: group.label.clone() });
    }
    let steps = (top_value / step).round() as u32;
    let ticks = (0..=steps)
        .map(|n| {
            let value = step * f64::from(n);
            let x = x_of(value);
            Tick { x: coord(x), label: Label { x: coord(x), y: coord(bottom + 18.0), text: label(value) } }
        })
        .collect();
    BarChart {
        width: WIDTH,
        height: height.round() as u32,
        font_size: FONT_SIZE,
        left: coord(left),
        right: coord(right),
        top: coord(top),
        bottom: coord(bottom),
        bars,
        category_labels,
        ticks,
    }
}

/// The smallest step of the value axis, so that labels with one decimal never repeat.
const MIN_STEP: f64 = 0.1;

/// A round top for the axis and its step: about four steps of 1, 2, 2.5 or 5 times a power of
/// ten, so the tick labels stay short; an empty chart gets 0–4.
fn nice_scale(max: f64) -> (f64, f64) {
    if !max.is_finite() || max <= 0.0 {
        return (4.0, 1.0);
    }
    let raw = (max / 4.0).max(MIN_STEP);
    let magnitude = 10_f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0].into_iter().map(|m| m * magnitude).find(|s| *s >= raw).unwrap_or(raw);
    // The small allowance keeps 0.3 / 0.1 from rounding up to a fourth step.
    ((max / step - 1e-9).ceil().max(1.0) * step, step)
}

/// A coordinate with one decimal, enough for any screen.
fn coord(value: f64) -> String {
    format!("{value:.1}")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn group(label: &str, first: f64, second: f64) -> Group {
        Group { label: label.into(), first, second }
    }

    #[test]
    fn scales_end_on_round_numbers() {
        assert_eq!(nice_scale(0.0), (4.0, 1.0));
        assert_eq!(nice_scale(10.0), (10.0, 2.5));
        assert_eq!(nice_scale(7.0), (8.0, 2.0));
        assert_eq!(nice_scale(37.0), (40.0, 10.0));
        let (top, step) = nice_scale(0.3);
        assert!((top - 0.3).abs() < 1e-9 && (step - 0.1).abs() < 1e-9, "{top} {step}");
        let (top, step) = nice_scale(0.01);
        assert!((top - 0.1).abs() < 1e-9 && (step - 0.1).abs() < 1e-9, "never finer than 0.1: {top} {step}");
    }

    #[test]
    fn bars_start_at_the_axis_and_scale_to_the_last_grid_line() {
        let chart = grouped_bars(&[group("Mo", 10.0, 5.0), group("Di", 0.0, 2.5)], |v| format!("{v}"));
        assert_eq!(chart.bars.len(), 4);
        let (left, right): (f64, f64) = (chart.left.parse().unwrap(), chart.right.parse().unwrap());
        let end = |bar: &Bar| bar.x.parse::<f64>().unwrap() + bar.width.parse::<f64>().unwrap();
        assert!((end(&chart.bars[0]) - right).abs() < 0.11, "the largest value reaches the last grid line");
        assert!((end(&chart.bars[1]) - (left + right) / 2.0).abs() < 0.11, "half of it, half the way");
        assert_eq!(chart.bars[2].width, "0.0", "a zero is an empty bar");
        assert!(chart.bars[1].second && !chart.bars[0].second);
        for bar in &chart.bars {
            assert_eq!(bar.x, chart.left, "{bar:?} starts at the axis");
        }
        let labels: Vec<_> = chart.ticks.iter().map(|t| t.label.text.as_str()).collect();
        assert_eq!(labels, ["0", "2.5", "5", "7.5", "10"]);
        assert_eq!(chart.category_labels.iter().map(|l| l.text.as_str()).collect::<Vec<_>>(), ["Mo", "Di"]);
    }

    #[test]
    fn rows_grow_downwards_and_the_width_stays_a_phones() {
        let hours: Vec<Group> = (0..24).map(|h| group(&format!("{h:02}:00"), 1.0, 0.5)).collect();
        let chart = grouped_bars(&hours, |v| format!("{v}"));
        assert_eq!((chart.width, chart.font_size), (WIDTH, FONT_SIZE));
        assert_eq!(chart.height, (MARGIN_TOP + 24.0 * ROW + MARGIN_BOTTOM) as u32);
        let ys: Vec<f64> = chart.category_labels.iter().map(|l| l.y.parse().unwrap()).collect();
        assert!(ys.windows(2).all(|w| (w[1] - w[0] - ROW).abs() < 0.11), "one row per hour: {ys:?}");
        // Two bars of a row fit inside it, and rows do not overlap.
        for pair in chart.bars.chunks(2) {
            let first_top: f64 = pair[0].y.parse().unwrap();
            let second_bottom: f64 = pair[1].y.parse::<f64>().unwrap() + pair[1].height.parse::<f64>().unwrap();
            assert!(second_bottom - first_top < ROW, "{pair:?}");
        }
    }

    #[test]
    fn no_groups_draw_an_empty_chart_without_panicking() {
        let chart = grouped_bars(&[], |v| format!("{v}"));
        assert!(chart.bars.is_empty());
        assert_eq!(chart.ticks.len(), 5);
    }
}
