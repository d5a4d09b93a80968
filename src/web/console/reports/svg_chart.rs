//! The geometry of a grouped bar chart (two series per category) for inline SVG: where each bar,
//! tick and label goes in a fixed `viewBox`, so the drawing scales with the page. The template
//! draws it; the series are told apart there by fill pattern, not by colour.

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

/// A horizontal grid line with its value label on the left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tick {
    pub y: String,
    pub label: Label,
}

/// Everything the template needs to draw the chart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BarChart {
    pub width: u32,
    pub height: u32,
    /// Left, right, top and bottom of the plot area.
    pub left: String,
    pub right: String,
    pub top: String,
    pub bottom: String,
    pub bars: Vec<Bar>,
    pub x_labels: Vec<Label>,
    pub ticks: Vec<Tick>,
}

const HEIGHT: f64 = 260.0;
const MARGIN_LEFT: f64 = 44.0;
const MARGIN_RIGHT: f64 = 8.0;
const MARGIN_TOP: f64 = 12.0;
const MARGIN_BOTTOM: f64 = 28.0;
/// The share of a category's width left empty on each side of its pair of bars.
const GROUP_PADDING: f64 = 0.12;
/// The gap between the two bars of a pair, so each bar's edge is seen.
const PAIR_GAP: f64 = 2.0;

/// Lays out `groups` as pairs of bars in a chart `width` units wide, with `label` writing the
/// values of the ticks on the vertical axis.
pub fn grouped_bars(width: u32, groups: &[Group], label: impl Fn(f64) -> String) -> BarChart {
    let w = f64::from(width);
    let (left, right, top, bottom) = (MARGIN_LEFT, w - MARGIN_RIGHT, MARGIN_TOP, HEIGHT - MARGIN_BOTTOM);
    let max = groups.iter().flat_map(|g| [g.first, g.second]).fold(0.0_f64, f64::max);
    let (top_value, step) = nice_scale(max);
    let y_of = |value: f64| bottom - (value.max(0.0) / top_value) * (bottom - top);
    let group_width = (right - left) / groups.len().max(1) as f64;
    let bar_width = (group_width * (1.0 - 2.0 * GROUP_PADDING) - PAIR_GAP) / 2.0;
    let mut bars = Vec::with_capacity(groups.len() * 2);
    let mut x_labels = Vec::with_capacity(groups.len());
    for (i, group) in groups.iter().enumerate() {
        let group_left = left + group_width * i as f64;
        for (n, value) in [group.first, group.second].into_iter().enumerate() {
            let x = group_left + group_width * GROUP_PADDING + (bar_width + PAIR_GAP) * n as f64;
            let y = y_of(value);
            bars.push(Bar {
                x: coord(x),
                y: coord(y),
                width: coord(bar_width),
                height: coord(bottom - y),
                second: n == 1,
            });
        }
        x_labels.push(Label {
            x: coord(group_left + group_width / 2.0),
            y: coord(bottom + 18.0),
            text: group.label.clone(),
        });
    }
    let steps = (top_value / step).round() as u32;
    let ticks = (0..=steps)
        .map(|n| {
            let value = step * f64::from(n);
            let y = y_of(value);
            Tick { y: coord(y), label: Label { x: coord(left - 6.0), y: coord(y + 4.0), text: label(value) } }
        })
        .collect();
    BarChart {
        width,
        height: HEIGHT as u32,
        left: coord(left),
        right: coord(right),
        top: coord(top),
        bottom: coord(bottom),
        bars,
        x_labels,
        ticks,
    }
}

/// The smallest step of the vertical axis, so that labels with one decimal never repeat.
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
    fn bars_stand_on_the_axis_and_scale_to_the_top_tick() {
        let chart = grouped_bars(400, &[group("Mo", 10.0, 5.0), group("Di", 0.0, 2.5)], |v| format!("{v}"));
        assert_eq!(chart.bars.len(), 4);
        let tallest = &chart.bars[0];
        assert_eq!(tallest.y, chart.top, "the largest value reaches the top tick");
        assert_eq!(chart.bars[2].height, "0.0", "a zero is an empty bar");
        assert!(chart.bars[1].second && !chart.bars[0].second);
        let bottom: f64 = chart.bottom.parse().unwrap();
        for bar in &chart.bars {
            let y: f64 = bar.y.parse().unwrap();
            let height: f64 = bar.height.parse().unwrap();
            assert!((y + height - bottom).abs() < 0.11, "{bar:?} stands on the axis");
        }
        let labels: Vec<_> = chart.ticks.iter().map(|t| t.label.text.as_str()).collect();
        assert_eq!(labels, ["0", "2.5", "5", "7.5", "10"]);
        assert_eq!(chart.x_labels.iter().map(|l| l.text.as_str()).collect::<Vec<_>>(), ["Mo", "Di"]);
    }

    #[test]
    fn no_groups_draw_an_empty_chart_without_panicking() {
        let chart = grouped_bars(300, &[], |v| format!("{v}"));
        assert!(chart.bars.is_empty());
        assert_eq!(chart.ticks.len(), 5);
    }
}
