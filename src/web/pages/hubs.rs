//! The start page (every hub with today's hours and free desks) and a hub's day view: a time
//! grid for wide screens and, in the same page, free ranges per space for phones (CSS shows one
//! of the two). What is free or taken comes from the availability service; this module only
//! lays it out.

use std::cell::RefCell;
use std::rc::Rc;

use actix_web::{HttpRequest, Responder, web};
use askama::Template;
use askama_web::WebTemplate;
use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use serde::Deserialize;

use super::PageError;
use super::day_filter::{self, DayFilterView};
use super::floor_plan::{PlanHours, PlanView, chosen_hour, day_plan, hour_param, hour_values, plan_hours};
use super::messages::{duration, iso_date, kind_label};
use crate::db::catalog::Space;
use crate::domain::slot::Slot;
use crate::domain::vocabulary::BookingUnit;
use crate::i18n::{self, Lang};
use crate::service::ServiceError;
use crate::service::availability::{self, HubDay, SpaceDay};
use crate::service::console::catalog::spaces;
use crate::service::floor_plan::HubPlan;
use crate::service::{floor_plan, space_details};
use crate::state::AppState;
use crate::web::layout::Layout;
use crate::web::session::MaybeUser;

/// One hub on the start page.
pub struct HubCard {
    pub slug: String,
    pub name: String,
    pub address: String,
    pub today: String,
    /// How many desks are still free; absent on a closed day, where "none free" would mislead.
    pub free_desks: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "hubs/index.html")]
pub struct HubListPage {
    pub layout: Layout,
    pub hubs: Vec<HubCard>,
}

/// `GET /`: every hub, its opening hours today and how many desks are still free today.
pub async fn hub_list(
    req: HttpRequest,
    state: web::Data<AppState>,
    viewer: MaybeUser,
) -> Result<impl Responder, PageError> {
    let layout = Layout::new(&req, &viewer);
    let lang = layout.lang;
    let now = state.clock.now();
    let hubs = state.db_with_catalogue(move |conn, catalogue| availability::hubs_today(conn, catalogue, now)).await?;
    let hubs = hubs
        .into_iter()
        .map(|h| {
            let tz = zone(&h.hub.time_zone);
            let open = h.closed.is_none() && !h.opening.is_empty();
            let today = match &h.closed {
                Some(reason) => i18n::t_args(lang, "hubs-closed-today-reason", &[("reason", reason.clone())]),
                None if !open => i18n::t(lang, "hubs-closed-today"),
                None if around_the_clock(&h.opening, tz) => i18n::t(lang, "hubs-open-around-the-clock"),
                None => i18n::t_args(lang, "hubs-open-today", &[("hours", hours_text(&h.opening, tz))]),
            };
            HubCard {
                address: format!("{}, {} {}", h.hub.street, h.hub.postcode, h.hub.town),
                free_desks: open.then(|| i18n::t_args(lang, "hubs-free-desks", &[("count", h.free_desks.to_string())])),
                slug: h.hub.slug,
                name: h.hub.name,
                today,
            }
        })
        .collect();
    Ok(HubListPage { layout, hubs })
}

/// One hour of the opening time: a column of the grid.
pub struct GridColumn {
    /// "09:00"; shared with the free cells of the column, whose buttons fill it in.
    pub label: Rc<str>,
    /// Where the hour ends ("24:00" at midnight), so the script can fill in the end of a range;
    /// only where the next column does not start then (the last hour, before a break), as the
    /// script reads the other ends from the next column's label (bytes count on a 24-hour grid).
    pub end: Option<String>,
    /// "jetzt 14:20" on the column that holds the current time.
    pub now: Option<String>,
}

/// One cell of a space's row in the grid. A 24-hour grid of ten spaces has 240 of them, so a
/// cell owns nothing: its words are the page's, translated once, and its start is its column's.
pub struct GridCell {
    /// `taken` or `closed`, plus `now` in the current hour's column: the CSS classes. A free
    /// cell has none: its button says and shows that it is free.
    pub class: &'static str,
    /// The state in words, so it never rests on colour or pattern alone.
    pub text: Rc<str>,
    /// How many columns the cell covers (a whole-day or disabled space covers all).
    pub span: usize,
    /// Free cells are a button of the row's booking form; the whole day's has no start.
    pub free: bool,
    /// The start the button fills in (`from`), on free hours.
    pub from: Option<Rc<str>>,
}

/// A run of free time of one space, for the phone list: one "book" link per run.
pub struct FreeRange {
    /// "08:00–12:00", or "ganzer Tag" for a space booked by the day.
    pub label: String,
    pub href: String,
}

/// One space: its row in the grid and its entry in the phone list.
pub struct SpaceRow {
    pub name: String,
    pub kind: String,
    /// "1 h to 8 h per booking": most spaces of a hub share their rules, so rows share the text.
    pub rules: Rc<str>,
    pub cells: Vec<GridCell>,
    pub ranges: Vec<FreeRange>,
    /// Why nothing can be booked (disabled, or nothing free that day).
    pub note: Option<String>,
    /// The booking form's address, `/spaces/{id}/book`: the row's GET form, which its free
    /// cells submit (one form per row instead of a full link per cell keeps a 24-hour grid of
    /// ten spaces inside the page budget).
    pub action: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "hubs/day.html")]
pub struct HubDayPage {
    pub layout: Layout,
    pub hub_name: String,
    pub hub_slug: String,
    pub address: String,
    pub date_label: String,
    pub date_iso: String,
    pub prev_iso: String,
    pub next_iso: String,
    /// The closed-day sentence ("heute geschlossen", with the closure's reason when known).
    pub closed: Option<String>,
    pub hours: String,
    pub columns: Vec<GridColumn>,
    pub spaces: Vec<SpaceRow>,
    /// Only members can book in one step from the grid; the script needs their CSRF token.
    pub member: bool,
    /// The filter form (kind, equipment, accessibility) and what it asks for.
    pub filter: DayFilterView,
    /// The hub's floor plan for the chosen hour, when it has one and is open that day.
    pub plan: Option<PlanView>,
    pub plan_hours: Option<PlanHours>,
    /// The way to the plan when the hub has one and the page does not show it.
    pub plan_link: Option<String>,
    /// `&hour=10:00` while the plan is shown, for the links to other days; else empty.
    pub plan_query: String,
}

/// The hub's plan on a day view: shown for an hour, or only linked.
enum PlanToShow {
    Shown(HubPlan),
    Linked,
}

/// The day to show, `YYYY-MM-DD`; today when absent or malformed.
#[derive(Debug, Deserialize)]
pub struct DayQuery {
    pub date: Option<String>,
    /// The hour the floor plan shows, `HH:MM` as the grid's columns say it.
    pub hour: Option<String>,
}

/// `GET /hubs/{slug}?date=`: the hub's spaces over the day's opening hours. Free, taken and
/// closed are shown by colour, pattern and text; a taken slot never says who booked it.
pub async fn hub_day(
    req: HttpRequest,
    state: web::Data<AppState>,
    viewer: MaybeUser,
    slug: web::Path<String>,
    query: web::Query<DayQuery>,
) -> Result<impl Responder, PageError> {
    let layout = Layout::new(&req, &viewer);
    let lang = layout.lang;
    let now = state.clock.now();
    let requested = query.date.as_deref().and_then(|d| d.parse::<NaiveDate>().ok());
    let slug = slug.into_inner();
    let filter = day_filter::filter_of(req.query_string());
    let filter_view = DayFilterView::new(lang, &filter, day_filter::form_asked(req.query_string()));
    let plan_asked = query.hour.is_some();
    let (mut day, operator, plan) = state
        .db_with_catalogue(move |conn, catalogue| {
            let hub = &catalogue.hub_named(&slug).ok_or(ServiceError::NotFound)?.hub;
            let date = requested.unwrap_or_else(|| now.with_timezone(&hub.zone()).date_naive());
            let operator = catalogue.operator(&hub.operator_id).cloned();
            let mut day = availability::hub_day(conn, catalogue, &hub.id, date)?;
            space_details::retain_admitted(conn, &hub.id, &filter, &mut day.spaces)?;
            // The spots only when the plan is shown; otherwise whether there is one to link.
            let plan = match plan_asked {
                true => floor_plan::hub_plan(conn, &hub.id)?.map(PlanToShow::Shown),
                false => floor_plan::has_plan(conn, &hub.id)?.then_some(PlanToShow::Linked),
            };
            Ok((day, operator, plan))
        })
        .await?;
    let tz = zone(&day.hub.time_zone);
    let layout = match &operator {
        Some(op) => layout.with_operator(&op.id, &op.name),
        None => layout,
    };
    day.spaces.sort_by(|a, b| spaces::display_order(&a.space, &b.space));
    let today = day.day.start() <= now && now < day.day.end();
    let hours = hour_columns(&day.opening);
    let labels: Vec<Rc<str>> = hours.iter().map(|h| Rc::from(i18n::format_time(h.start(), tz))).collect();
    let columns = hours
        .iter()
        .zip(&labels)
        .enumerate()
        .map(|(i, (h, label))| GridColumn {
            label: Rc::clone(label),
            end: (hours.get(i + 1).map(Slot::start) != Some(h.end())).then(|| end_label(h.end(), &day.day, tz)),
            now: (h.start() <= now && now < h.end())
                .then(|| i18n::t_args(lang, "day-now", &[("time", i18n::format_time(now, tz))])),
        })
        .collect();
    let grid = Grid {
        lang,
        words: CellWords::new(lang),
        day: &day,
        hours: &hours,
        labels: &labels,
        tz,
        now,
        rules: RefCell::new(Vec::new()),
    };
    let spaces = day.spaces.iter().map(|s| space_row(&grid, s)).collect();
    let closed = closed_text(lang, &day, today);
    let values = hour_values(&hours, &labels, tz);
    let chosen = chosen_hour(&hours, &values, query.hour.as_deref(), now).filter(|_| closed.is_none());
    // The plan is one link away (the same page with its hour), as the filter form is: the day
    // view of a big hub open around the clock has no room for it within its byte budget.
    let (plan, plan_hours, plan_link) = match (plan, chosen.and_then(|i| Some((i, hours.get(i)?, values.get(i)?)))) {
        (Some(PlanToShow::Shown(plan)), Some((i, hour, _))) => (
            Some(day_plan(lang, &day, &plan, hour, tz, now)),
            Some(plan_hours(&hours, &labels, &values, i, &day.day, tz)),
            None,
        ),
        (Some(_), Some((_, _, value))) => {
            let (slug, date) = (&day.hub.slug, iso_date(day.date));
            let link = format!("/hubs/{slug}?date={date}&hour={}{}#plan-heading", hour_param(value), filter_view.query);
            (None, None, Some(link))
        }
        _ => (None, None, None),
    };
    // The day links keep the plan open (at the same hour when the other day has it).
    let plan_query = match (&plan_hours, chosen.and_then(|i| values.get(i))) {
        (Some(_), Some(value)) => format!("&hour={}", hour_param(value)),
        _ => String::new(),
    };
    let page = HubDayPage {
        hub_name: day.hub.name.clone(),
        hub_slug: day.hub.slug.clone(),
        address: format!("{}, {} {}", day.hub.street, day.hub.postcode, day.hub.town),
        date_label: i18n::format_date(lang, day.date),
        date_iso: iso_date(day.date),
        prev_iso: day.date.checked_sub_days(Days::new(1)).map(iso_date).unwrap_or_default(),
        next_iso: day.date.checked_add_days(Days::new(1)).map(iso_date).unwrap_or_default(),
        hours: if around_the_clock(&day.opening, tz) {
            i18n::t(lang, "day-open-around-the-clock")
        } else {
            i18n::t_args(lang, "day-hours", &[("hours", hours_text(&day.opening, tz))])
        },
        closed,
        columns,
        spaces,
        member: layout.user_name.is_some(),
        filter: filter_view,
        plan,
        plan_hours,
        plan_link,
        plan_query,
        layout,
    };
    Ok(page)
}

/// "Heute geschlossen" for today, "An diesem Tag geschlossen" for another day, with the
/// closure's reason when there is one; `None` when the hub opens that day.
fn closed_text(lang: Lang, day: &HubDay, today: bool) -> Option<String> {
    match (&day.closed, day.opening.is_empty(), today) {
        (Some(reason), _, true) => Some(i18n::t_args(lang, "day-closed-today-reason", &[("reason", reason.clone())])),
        (Some(reason), _, false) => Some(i18n::t_args(lang, "day-closed-reason", &[("reason", reason.clone())])),
        (None, true, true) => Some(i18n::t(lang, "day-closed-today")),
        (None, true, false) => Some(i18n::t(lang, "day-closed-date")),
        (None, false, _) => None,
    }
}

/// The opening time cut into hours (a shorter last piece when a hub closes at half past).
pub fn hour_columns(opening: &[Slot]) -> Vec<Slot> {
    let hour = chrono::Duration::hours(1);
    let mut columns = Vec::new();
    for open in opening {
        let mut start = open.start();
        while start < open.end() {
            if let Ok(slot) = Slot::new(start, (start + hour).min(open.end())) {
                columns.push(slot);
            }
            start += hour;
        }
    }
    columns
}

/// The words of the grid's cells and notes, translated once per page rather than once per cell
/// (and shared by the cells, not copied into each).
struct CellWords {
    taken: Rc<str>,
    past: Rc<str>,
    free: Rc<str>,
    closed: Rc<str>,
    disabled: Rc<str>,
    whole_day: String,
    whole_taken: Rc<str>,
    whole_free: Rc<str>,
    whole_closed: Rc<str>,
    nothing_free: String,
}

impl CellWords {
    fn new(lang: Lang) -> CellWords {
        let word = |key: &str| Rc::from(i18n::t(lang, key));
        CellWords {
            taken: word("slot-taken"),
            past: word("day-cell-past"),
            free: word("slot-free"),
            closed: word("day-cell-closed"),
            disabled: word("day-space-disabled"),
            whole_day: i18n::t(lang, "day-range-whole-day"),
            whole_taken: word("day-cell-whole-taken"),
            whole_free: word("day-cell-whole-free"),
            whole_closed: word("day-cell-whole-closed"),
            nothing_free: i18n::t(lang, "day-nothing-free"),
        }
    }
}

/// What every row of one day's grid is drawn against.
struct Grid<'a> {
    lang: Lang,
    words: CellWords,
    day: &'a HubDay,
    hours: &'a [Slot],
    /// Each hour's start on the clock, as the columns show it.
    labels: &'a [Rc<str>],
    tz: Tz,
    now: DateTime<Utc>,
    /// The rules sentences written so far.
    rules: RefCell<Vec<(RulesKey, Rc<str>)>>,
}

/// What a rules sentence says: booked by the day, the shortest and the longest booking.
type RulesKey = (bool, i32, i32);

impl Grid<'_> {
    /// "1 h bis 8 h je Buchung" for a space, written once per page for each set of rules.
    fn rules_of(&self, space: &Space) -> Rc<str> {
        let daily = space.booking_unit == BookingUnit::Daily;
        let key = (daily, space.min_minutes, space.max_minutes);
        if let Some((_, text)) = self.rules.borrow().iter().find(|(k, _)| *k == key) {
            return Rc::clone(text);
        }
        let minutes = |m: i32| duration(self.lang, u32::try_from(m).unwrap_or(0));
        let text: Rc<str> = Rc::from(if daily {
            i18n::t_args(self.lang, "day-rules-daily", &[("max", minutes(space.max_minutes))])
        } else {
            i18n::t_args(
                self.lang,
                "day-rules-hourly",
                &[("min", minutes(space.min_minutes)), ("max", minutes(space.max_minutes))],
            )
        });
        self.rules.borrow_mut().push((key, Rc::clone(&text)));
        text
    }
}

fn space_row(grid: &Grid<'_>, space: &SpaceDay) -> SpaceRow {
    let Grid { lang, ref words, day, hours, now, .. } = *grid;
    let s = &space.space;
    let action = format!("/spaces/{}/book", s.id);
    let rules = grid.rules_of(s);
    let mut row = SpaceRow {
        name: s.name.clone(),
        kind: kind_label(lang, s.kind),
        rules,
        cells: Vec::new(),
        ranges: Vec::new(),
        note: None,
        action,
    };
    if hours.is_empty() {
        return row;
    }
    if !s.enabled {
        row.note = Some(words.disabled.to_string());
        row.cells.push(GridCell {
            class: "closed",
            text: Rc::clone(&words.disabled),
            span: hours.len(),
            free: false,
            from: None,
        });
        return row;
    }
    if s.booking_unit == BookingUnit::Daily {
        let state = whole_day_state(space, &day.day, now);
        let free = state == HourState::Free;
        if free {
            let href = format!("{}?date={}", row.action, iso_date(day.date));
            row.ranges.push(FreeRange { label: words.whole_day.clone(), href });
        }
        let (class, text) = match state {
            HourState::Taken => ("taken", &words.whole_taken),
            HourState::Free => ("", &words.whole_free),
            HourState::Past | HourState::Closed => ("closed", &words.whole_closed),
        };
        row.cells.push(GridCell { class, text: Rc::clone(text), span: hours.len(), free, from: None });
    } else {
        hourly(grid, space, &mut row);
    }
    if row.ranges.is_empty() {
        row.note = Some(words.nothing_free.clone());
    }
    row
}

/// The cells of a space booked by the hour, and its free hours joined into ranges.
fn hourly(grid: &Grid<'_>, space: &SpaceDay, row: &mut SpaceRow) {
    let Grid { ref words, day, hours, labels, tz, now, .. } = *grid;
    let longest = chrono::Duration::minutes(i64::from(space.space.max_minutes));
    // The free hours in a row so far: (first start, last end).
    let mut run: Option<(DateTime<Utc>, DateTime<Utc>)> = None;
    let mut runs = Vec::new();
    row.cells.reserve(hours.len());
    for (hour, label) in hours.iter().zip(labels) {
        let (state, text) = match hour_state(space, hour, now) {
            HourState::Taken => ("taken", &words.taken),
            HourState::Past => ("closed", &words.past),
            HourState::Free => ("free", &words.free),
            HourState::Closed => ("closed", &words.closed),
        };
        let free = state == "free";
        run = match run {
            Some((start, end)) if free && end == hour.start() => Some((start, hour.end())),
            Some(done) => {
                runs.push(done);
                free.then(|| (hour.start(), hour.end()))
            }
            None => free.then(|| (hour.start(), hour.end())),
        };
        let current = hour.start() <= now && now < hour.end();
        let class = match (state, current) {
            ("free", false) => "",
            ("free", true) => "now",
            ("taken", false) => "taken",
            ("taken", true) => "taken now",
            (_, false) => "closed",
            (_, true) => "closed now",
        };
        row.cells.push(GridCell { class, text: Rc::clone(text), span: 1, free, from: free.then(|| Rc::clone(label)) });
    }
    runs.extend(run);
    for (start, end) in runs {
        let label = format!("{}–{}", i18n::format_time(start, tz), end_label(end, &day.day, tz));
        // The form is filled with as much of the range as one booking may take.
        let booked_end = end.min(start + longest);
        let to = i18n::format_time(booked_end, tz);
        let mut href = format!("{}?date={}&from={}", row.action, iso_date(day.date), i18n::format_time(start, tz));
        if booked_end != day.day.end() {
            href.push_str(&format!("&to={to}"));
        }
        row.ranges.push(FreeRange { label, href });
    }
}

/// What a space is in one hour of the day: what the grid's cell and the plan's mark show.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HourState {
    /// Bookable from the hour's start for at least the space's shortest booking.
    Free,
    /// Booked (in part) in the hour.
    Taken,
    /// Over already.
    Past,
    /// Outside the opening time or too short a gap for the shortest booking.
    Closed,
}

/// The state of a space booked by the hour in `hour`.
pub fn hour_state(space: &SpaceDay, hour: &Slot, now: DateTime<Utc>) -> HourState {
    let shortest = chrono::Duration::minutes(i64::from(space.space.min_minutes));
    if space.taken.iter().any(|t| t.overlaps(hour)) {
        HourState::Taken
    } else if hour.end() <= now {
        HourState::Past
    } else if space.free.iter().any(|f| f.contains(hour) && f.end() - hour.start() >= shortest) {
        HourState::Free
    } else {
        HourState::Closed
    }
}

/// The state of a space booked by the day, for the whole `day`.
pub fn whole_day_state(space: &SpaceDay, day: &Slot, now: DateTime<Utc>) -> HourState {
    if !space.taken.is_empty() {
        HourState::Taken
    } else if day.end() > now {
        HourState::Free
    } else {
        HourState::Closed
    }
}

/// The end of an interval on the clock; the end of the day is "24:00", not "00:00".
pub fn end_label(end: DateTime<Utc>, day: &Slot, tz: Tz) -> String {
    if end == day.end() { "24:00".to_owned() } else { i18n::format_time(end, tz) }
}

/// Whether the hub is open the whole local day (one interval from midnight to midnight).
fn around_the_clock(opening: &[Slot], tz: Tz) -> bool {
    match opening {
        [only] => {
            let start = only.start().with_timezone(&tz);
            let end = only.end().with_timezone(&tz);
            start.time() == NaiveTime::MIN
                && end.time() == NaiveTime::MIN
                && end.date_naive() == start.date_naive().succ_opt().unwrap_or(start.date_naive())
                && end > start
        }
        _ => false,
    }
}

/// "08:00–12:00, 13:00–18:00"
pub fn hours_text(opening: &[Slot], tz: Tz) -> String {
    opening
        .iter()
        .map(|s| format!("{}–{}", i18n::format_time(s.start(), tz), i18n::format_time(s.end(), tz)))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The hub's time zone; stored values are checked when written, Berlin is the fallback.
pub fn zone(name: &str) -> Tz {
    name.parse().unwrap_or(crate::domain::local_time::DEFAULT_TIME_ZONE)
}
