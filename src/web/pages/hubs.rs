//! The start page (every hub with today's hours and free desks) and a hub's day view.

use actix_web::{HttpRequest, Responder, web};
use askama::Template;
use askama_web::WebTemplate;
use chrono::{DateTime, Days, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::Deserialize;

use super::PageError;
use super::messages::{duration, iso_date, kind_label};
use crate::db::catalog;
use crate::domain::booking::Slot;
use crate::i18n::{self, Lang};
use crate::service::ServiceError;
use crate::service::availability::{self, HubDay, SpaceDay};
use crate::state::AppState;
use crate::web::layout::Layout;
use crate::web::session::MaybeUser;

/// One hub on the start page.
pub struct HubCard {
    pub slug: String,
    pub name: String,
    pub address: String,
    pub today: String,
    pub free_desks: String,
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
    let hubs = state.db(move |conn| availability::hubs_today(conn, now)).await?;
    let hubs = hubs
        .into_iter()
        .map(|h| {
            let tz = zone(&h.hub.time_zone);
            let today = match (&h.closed, h.opening.is_empty()) {
                (Some(reason), _) => i18n::t_args(lang, "hubs-closed-today-reason", &[("reason", reason.clone())]),
                (None, true) => i18n::t(lang, "hubs-closed-today"),
                (None, false) => i18n::t_args(lang, "hubs-open-today", &[("hours", hours_text(&h.opening, tz))]),
            };
            HubCard {
                address: format!("{}, {} {}", h.hub.street, h.hub.postcode, h.hub.town),
                free_desks: i18n::t_args(lang, "hubs-free-desks", &[("count", h.free_desks.to_string())]),
                slug: h.hub.slug,
                name: h.hub.name,
                today,
            }
        })
        .collect();
    Ok(HubListPage { layout, hubs })
}

/// One cell of a space's row in the day view.
pub struct Cell {
    pub label: String,
    /// `free`, `taken` or `closed` (past or outside the hours): the CSS class and the icon.
    pub state: &'static str,
    pub state_text: String,
    pub book_href: Option<String>,
}

/// One space's row in the day view.
pub struct SpaceRow {
    pub name: String,
    pub kind: String,
    pub rules: String,
    pub enabled: bool,
    pub cells: Vec<Cell>,
    pub book_href: String,
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
    pub closed: Option<String>,
    pub hours: String,
    pub spaces: Vec<SpaceRow>,
}

/// The day to show, `YYYY-MM-DD`; today when absent or malformed.
#[derive(Debug, Deserialize)]
pub struct DayQuery {
    pub date: Option<String>,
}

/// `GET /hubs/{slug}?date=`: a grid of the hub's spaces over the day's opening hours. Free and
/// taken are shown by text and pattern; a taken slot never says who booked it.
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
    let (day, operator) = state
        .db(move |conn| {
            let hub = catalog::find_hub(conn, &slug)?.ok_or(ServiceError::NotFound)?;
            let tz = zone(&hub.time_zone);
            let date = requested.unwrap_or_else(|| now.with_timezone(&tz).date_naive());
            let operator = catalog::find_operator(conn, &hub.operator_id)?;
            Ok((availability::hub_day(conn, &hub.id, date)?, operator))
        })
        .await?;
    let tz = zone(&day.hub.time_zone);
    let layout = match &operator {
        Some(op) => layout.with_operator(&op.id, &op.name),
        None => layout,
    };
    let spaces = day.spaces.iter().map(|s| space_row(lang, &day, s, tz, now)).collect();
    let page = HubDayPage {
        hub_name: day.hub.name.clone(),
        hub_slug: day.hub.slug.clone(),
        address: format!("{}, {} {}", day.hub.street, day.hub.postcode, day.hub.town),
        date_label: i18n::format_date(lang, day.date),
        date_iso: iso_date(day.date),
        prev_iso: day.date.checked_sub_days(Days::new(1)).map(iso_date).unwrap_or_default(),
        next_iso: day.date.checked_add_days(Days::new(1)).map(iso_date).unwrap_or_default(),
        closed: day.closed.clone(),
        hours: if day.opening.is_empty() { i18n::t(lang, "day-closed") } else { hours_text(&day.opening, tz) },
        spaces,
        layout,
    };
    Ok(page)
}

fn space_row(lang: Lang, day: &HubDay, space: &SpaceDay, tz: Tz, now: DateTime<Utc>) -> SpaceRow {
    let s = &space.space;
    let book_href = format!("/spaces/{}/book?date={}", s.id, iso_date(day.date));
    let rules = if s.booking_unit == "day" {
        i18n::t_args(lang, "day-rules-daily", &[("max", duration(lang, u32::try_from(s.max_minutes).unwrap_or(0)))])
    } else {
        i18n::t_args(
            lang,
            "day-rules-hourly",
            &[
                ("min", duration(lang, u32::try_from(s.min_minutes).unwrap_or(0))),
                ("max", duration(lang, u32::try_from(s.max_minutes).unwrap_or(0))),
            ],
        )
    };
    let cells = if !s.enabled {
        Vec::new()
    } else if s.booking_unit == "day" {
        let free = !day.opening.is_empty() && space.taken.is_empty() && day.day.end() > now;
        vec![cell(
            lang,
            i18n::t(lang, "day-whole-day"),
            if free {
                "free"
            } else if space.taken.is_empty() {
                "closed"
            } else {
                "taken"
            },
            Some(book_href.clone()),
        )]
    } else {
        hourly_cells(lang, day, space, tz, now, &book_href)
    };
    SpaceRow { name: s.name.clone(), kind: kind_label(lang, &s.kind), rules, enabled: s.enabled, cells, book_href }
}

/// Cells of an hour each (or of the space's grid step when that is longer) over the opening
/// intervals.
fn hourly_cells(lang: Lang, day: &HubDay, space: &SpaceDay, tz: Tz, now: DateTime<Utc>, book_href: &str) -> Vec<Cell> {
    let step_minutes = i64::from(space.space.slot_minutes.max(60));
    let step = chrono::Duration::minutes(step_minutes);
    let mut cells = Vec::new();
    for open in &day.opening {
        let mut start = open.start();
        while start + step <= open.end() {
            let Ok(slot) = Slot::new(start, start + step) else { break };
            let label = i18n::format_time(start, tz);
            let state = if space.taken.iter().any(|t| t.overlaps(&slot)) {
                "taken"
            } else if slot.end() <= now || !space.free.iter().any(|f| f.contains(&slot)) {
                "closed"
            } else {
                "free"
            };
            let href = format!("{book_href}&from={label}");
            cells.push(cell(lang, label, state, Some(href)));
            start += step;
        }
    }
    cells
}

fn cell(lang: Lang, label: String, state: &'static str, href: Option<String>) -> Cell {
    Cell {
        label,
        state,
        state_text: i18n::t(lang, &format!("slot-{state}")),
        book_href: if state == "free" { href } else { None },
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
