//! The utilization report as the page shows it: numbers as text in the viewer's language, the
//! two charts with the rows of their data tables, the per-space table and the export links.

use chrono::Weekday;

use super::svg_chart::{self, BarChart, Group};
use super::{decimal, hours};
use crate::domain::utilization::{Figures, all_weekdays};
use crate::i18n::{self, Lang};
use crate::service::console::reports::UtilizationReport;
use crate::web::layout::Layout;

/// How many busiest slots the page lists.
const BUSIEST: usize = 3;
/// Which chart: the prefix of its element ids (unique on the page) and the prefix of its
/// catalogue keys (`<key>-title`, `<key>-desc`, `<key>-category`).
struct ChartKind {
    id: &'static str,
    key: &'static str,
}

const HOUR_CHART: ChartKind = ChartKind { id: "chart-hours", key: "console-reports-chart-hours" };
const WEEKDAY_CHART: ChartKind = ChartKind { id: "chart-weekdays", key: "console-reports-chart-weekdays" };

/// One row of a chart's data table.
pub struct ChartRow {
    pub label: String,
    pub booked: String,
    pub present: String,
}

/// A chart with its texts and its data table.
pub struct ChartView {
    /// Prefix of the element ids, unique on the page.
    pub id: &'static str,
    pub title: String,
    pub desc: String,
    pub category_header: String,
    pub rows: Vec<ChartRow>,
    pub chart: BarChart,
}

/// One row of the per-space table.
pub struct SpaceLine {
    pub name: String,
    /// The report for this space alone.
    pub href: String,
    pub booked: String,
    pub present: String,
    pub bookings: u32,
    pub no_shows: u32,
    pub no_show_rate: String,
}

/// Everything the page shows of a report.
pub struct ReportView {
    pub range_label: String,
    /// The hub's name, or the space's when one is chosen.
    pub subject: String,
    /// Whether the figures are the hub's (which leave out equipment) rather than one space's.
    pub hub_wide: bool,
    pub booked: String,
    pub present: String,
    pub bookings: u32,
    pub no_shows: u32,
    pub no_show_rate: String,
    pub hour_chart: ChartView,
    pub weekday_chart: ChartView,
    pub busiest: Vec<String>,
    pub spaces: Vec<SpaceLine>,
    pub bookings_csv: String,
    pub access_log_csv: String,
    pub utilization_csv: String,
}

impl ReportView {
    pub fn new(layout: &Layout, report: &UtilizationReport) -> ReportView {
        let lang = layout.lang;
        let hub = &report.scope.hub;
        let (from, to) = (report.range.first(), report.range.last());
        let range_label = format!("{} – {}", i18n::format_short_date(lang, from), i18n::format_short_date(lang, to));
        let base = format!("/console/hubs/{}", hub.slug);
        let dates = format!("from={from}&to={to}");
        let space_param = report.scope.focus.as_ref().map(|s| format!("&space={}", s.id)).unwrap_or_default();
        let figures = &report.figures;
        let spaces = report
            .spaces
            .iter()
            .map(|s| SpaceLine {
                name: s.space.name.clone(),
                href: format!("{base}/utilization?{dates}&space={}", s.space.id),
                booked: hours(lang, s.figures.booked.total()),
                present: hours(lang, s.figures.present.total()),
                bookings: s.figures.bookings,
                no_shows: s.figures.no_shows,
                no_show_rate: rate(layout, &s.figures),
            })
            .collect();
        ReportView {
            hub_wide: report.scope.focus.is_none(),
            subject: report.scope.focus.as_ref().map_or_else(|| hub.name.clone(), |s| s.name.clone()),
            booked: hours(lang, figures.booked.total()),
            present: hours(lang, figures.present.total()),
            bookings: figures.bookings,
            no_shows: figures.no_shows,
            no_show_rate: rate(layout, figures),
            hour_chart: hour_chart(layout, figures, &range_label),
            weekday_chart: weekday_chart(layout, figures, &range_label),
            busiest: figures.busiest(BUSIEST).iter().map(|slot| busy_text(layout, slot)).collect(),
            spaces,
            bookings_csv: format!("{base}/bookings.csv?{dates}"),
            access_log_csv: format!("{base}/access-log.csv?{dates}"),
            utilization_csv: format!("{base}/utilization.csv?{dates}{space_param}"),
            range_label,
        }
    }
}

/// The no-show rate as a percentage, or a dash when nothing started in the range.
fn rate(layout: &Layout, figures: &Figures) -> String {
    match figures.no_show_rate() {
        Some(rate) => layout.t1("console-reports-percent", "value", decimal(layout.lang, rate * 100.0, 1)),
        None => layout.t("console-reports-no-rate"),
    }
}

/// "09:00–10:00"
fn hour_span(hour: u32) -> String {
    format!("{hour:02}:00–{:02}:00", (hour + 1) % 24)
}

fn busy_text(layout: &Layout, slot: &crate::domain::utilization::BusySlot) -> String {
    i18n::t_args(
        layout.lang,
        "console-reports-busy-slot",
        &[
            ("weekday", weekday_long(layout.lang, slot.weekday)),
            ("hours", hour_span(slot.hour)),
            ("booked", hours(layout.lang, slot.booked_seconds)),
        ],
    )
}

fn weekday_long(lang: Lang, weekday: Weekday) -> String {
    i18n::t(lang, &format!("weekday-long-{}", weekday.number_from_monday()))
}

fn hour_chart(layout: &Layout, figures: &Figures, range: &str) -> ChartView {
    let (booked, present) = (figures.booked.by_hour(), figures.present.by_hour());
    let categories = (0..24_u32).zip(booked.iter().zip(present.iter()));
    let mut rows = Vec::with_capacity(24);
    let mut groups = Vec::with_capacity(24);
    for (hour, (booked, present)) in categories {
        rows.push(row(layout.lang, hour_span(hour), *booked, *present));
        groups.push(group(format!("{hour:02}:00"), *booked, *present));
    }
    chart(layout, &HOUR_CHART, range, figures, rows, &groups)
}

fn weekday_chart(layout: &Layout, figures: &Figures, range: &str) -> ChartView {
    let (booked, present) = (figures.booked.by_weekday(), figures.present.by_weekday());
    let mut rows = Vec::with_capacity(7);
    let mut groups = Vec::with_capacity(7);
    for (weekday, (booked, present)) in all_weekdays().into_iter().zip(booked.iter().zip(present.iter())) {
        rows.push(row(layout.lang, weekday_long(layout.lang, weekday), *booked, *present));
        let short = layout.t(&format!("weekday-short-{}", weekday.number_from_monday()));
        groups.push(group(short, *booked, *present));
    }
    chart(layout, &WEEKDAY_CHART, range, figures, rows, &groups)
}

fn row(lang: Lang, label: String, booked: i64, present: i64) -> ChartRow {
    ChartRow { label, booked: hours(lang, booked), present: hours(lang, present) }
}

fn group(label: String, booked: i64, present: i64) -> Group {
    Group { label, first: booked as f64 / 3600.0, second: present as f64 / 3600.0 }
}

fn chart(
    layout: &Layout,
    kind: &ChartKind,
    range: &str,
    figures: &Figures,
    rows: Vec<ChartRow>,
    groups: &[Group],
) -> ChartView {
    let (lang, key) = (layout.lang, kind.key);
    let desc = i18n::t_args(
        lang,
        &format!("{key}-desc"),
        &[
            ("range", range.to_owned()),
            ("booked", hours(lang, figures.booked.total())),
            ("present", hours(lang, figures.present.total())),
        ],
    );
    ChartView {
        id: kind.id,
        title: layout.t(&format!("{key}-title")),
        desc,
        category_header: layout.t(&format!("{key}-category")),
        rows,
        chart: svg_chart::grouped_bars(groups, |value| decimal(lang, value, 2)),
    }
}
