//! The access log page (`/console/hubs/{hub}/access-log`) and its CSV export: the filter form
//! (door, person, kind, from/to in the hub's zone) read into a typed filter, entries in words,
//! newest first, paged.

use std::collections::HashSet;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime};
use chrono_tz::Tz;
use regiohub_hardware::protocol::DenyReason;
use serde::{Deserialize, Serialize};

use super::dashboard::alarm_label;
use crate::db::DbConn;
use crate::db::access_log::AccessLogEntry;
use crate::db::catalog::Hub;
use crate::domain::ids::{BookingId, DoorId};
use crate::domain::local_time::resolve_local;
use crate::i18n::{self, Lang};
use crate::service::console::StaffScope;
use crate::service::console::live::access_log::{
    self as service, ACCESS_EVENT_KINDS, AccessLogFilter, AccessLogPage as Loaded,
};
use crate::service::console::live::dashboard::door_state;
use crate::service::{ServiceError, from_db_time};
use crate::state::AppState;
use crate::web::accounts::{FormErrors, render as render_uncached};
use crate::web::console::ConsoleUser;
use crate::web::console::csv_export::{csv_download, csv_time};
use crate::web::console::nav::ConsoleNav;
use crate::web::layout::Layout;
use crate::web::pages::PageError;
use crate::web::pages::messages::local_time_message;

/// Entries per page.
const PAGE_SIZE: u32 = 50;
/// The longest person search accepted.
const MAX_PERSON_CHARS: usize = 100;

/// The filter as typed (query string), kept to fill the form in again.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct AccessLogParams {
    #[serde(default)]
    pub door: String,
    #[serde(default)]
    pub person: String,
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default, skip_serializing)]
    pub page: String,
}

/// One entry in words.
pub struct LogLine {
    pub when: String,
    pub door: String,
    pub event: String,
    pub detail: String,
    pub offline: bool,
    pub person: String,
}

/// An option of a select.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

#[derive(Template)]
#[template(path = "console/live/access_log.html")]
pub struct AccessLogPage {
    pub layout: Layout,
    pub nav: ConsoleNav,
    pub slug: String,
    pub params: AccessLogParams,
    pub doors: Vec<Choice>,
    pub kinds: Vec<Choice>,
    pub errors: FormErrors,
    pub lines: Vec<LogLine>,
    /// The filter as a query string (without the page), for the CSV link and paging.
    pub filter_query: String,
    pub newer_page: Option<u32>,
    pub older_page: Option<u32>,
    pub retention: String,
    pub last_cleaned: String,
}

/// `GET /console/hubs/{hub}/access-log`: 422 with the messages beside the fields when the
/// filter cannot be read (and then no entries), the entries otherwise.
pub async fn access_log_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<String>,
    query: web::Query<AccessLogParams>,
) -> Result<HttpResponse, PageError> {
    let layout = staff.layout(&req);
    let lang = layout.lang;
    let scope = staff.scope.clone();
    let (slug, params) = (path.into_inner(), query.into_inner());
    // One trip to the pool: the hub's zone is needed to read the filter, and the filter to list.
    let shown = state
        .db(move |conn| {
            let hub = service::hub(conn, &scope, &slug)?;
            let (filter, errors) = parse_filter(lang, &params, hub.zone());
            load_page(conn, &scope, hub, params, &filter, errors)
        })
        .await?;
    render(layout, staff.scope.is_admin(), shown)
}

/// `GET /console/hubs/{hub}/access-log.csv`: the filtered range as a spreadsheet; a bad filter
/// gets the page with its errors instead.
pub async fn access_log_csv(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<String>,
    query: web::Query<AccessLogParams>,
) -> Result<HttpResponse, PageError> {
    let layout = staff.layout(&req);
    let lang = layout.lang;
    let scope = staff.scope.clone();
    let (slug, params) = (path.into_inner(), query.into_inner());
    let outcome = state
        .db(move |conn| {
            let hub = service::hub(conn, &scope, &slug)?;
            let (filter, errors) = parse_filter(lang, &params, hub.zone());
            if !errors.is_empty() {
                return Ok(Err(load_page(conn, &scope, hub, params, &filter, errors)?));
            }
            let entries = service::access_log_export(conn, &scope, &hub, &filter)?;
            let with_guests = with_guests(conn, &entries)?;
            Ok(Ok((hub, entries, with_guests)))
        })
        .await?;
    let (hub, entries, with_guests) = match outcome {
        Ok(export) => export,
        Err(shown) => return render(layout, staff.scope.is_admin(), shown),
    };
    let tz = hub.zone();
    let header: Vec<String> = ["when", "door", "event", "detail", "offline", "person", "email"]
        .iter()
        .map(|column| i18n::t(lang, &format!("console-live-log-csv-{column}")))
        .collect();
    let rows: Vec<Vec<String>> = entries
        .iter()
        .map(|entry| {
            let line = log_line(lang, entry, tz, &with_guests);
            vec![
                csv_time(from_db_time(entry.event.occurred_at), tz),
                line.door,
                line.event,
                line.detail,
                if line.offline { i18n::t(lang, "console-live-log-yes") } else { String::new() },
                with_guest_note(lang, entry.person_name.clone().unwrap_or_default(), entry, &with_guests),
                entry.person_email.clone().unwrap_or_default(),
            ]
        })
        .collect();
    csv_download(&format!("zutrittsprotokoll-{}.csv", hub.slug), &header, &rows)
}

/// What the page shows: the loaded log and the filter as typed, with what could not be read.
struct Shown {
    loaded: Loaded,
    /// The entries' bookings that have guests (issue 16).
    with_guests: HashSet<BookingId>,
    params: AccessLogParams,
    errors: FormErrors,
    page: u32,
}

/// The page of the hub's log the parameters ask for; no entries are loaded when the filter had
/// errors (nothing would show them).
fn load_page(
    conn: &mut DbConn,
    scope: &StaffScope,
    hub: Hub,
    params: AccessLogParams,
    filter: &AccessLogFilter,
    errors: FormErrors,
) -> Result<Shown, ServiceError> {
    let page: u32 = params.page.trim().parse().unwrap_or(0);
    let listed = errors.is_empty().then_some(filter);
    let loaded = service::access_log_page(conn, scope, hub, listed, page, PAGE_SIZE)?;
    let with_guests = with_guests(conn, &loaded.entries)?;
    Ok(Shown { loaded, with_guests, params, errors, page })
}

/// The bookings among the entries' that have guests: their entries may be a guest's.
fn with_guests(conn: &mut DbConn, entries: &[AccessLogEntry]) -> Result<HashSet<BookingId>, ServiceError> {
    let mut ids: Vec<BookingId> = entries.iter().filter_map(|e| e.event.booking_id.clone()).collect();
    ids.sort();
    ids.dedup();
    crate::service::guests::bookings_with_guests(conn, &ids)
}

fn render(layout: Layout, is_admin: bool, shown: Shown) -> Result<HttpResponse, PageError> {
    let Shown { loaded, with_guests, params, errors, page } = shown;
    let lang = layout.lang;
    let tz = loaded.hub.zone();
    let doors = loaded
        .doors
        .iter()
        .map(|door| Choice {
            value: door.id.to_string(),
            label: door.name.clone(),
            selected: door.id.as_str() == params.door,
        })
        .collect();
    let kinds = ACCESS_EVENT_KINDS
        .iter()
        .map(|kind| Choice { value: (*kind).to_owned(), label: kind_label(lang, kind), selected: *kind == params.kind })
        .collect();
    let lines = loaded.entries.iter().map(|e| log_line(lang, e, tz, &with_guests)).collect();
    let last_cleaned = match &loaded.last_cleaned {
        Some(run) => i18n::t_args(
            lang,
            "console-live-log-last-cleaned",
            &[
                ("time", i18n::format_date_time(lang, from_db_time(run.finished_at), tz)),
                ("count", run.rows_deleted.to_string()),
            ],
        ),
        None => i18n::t(lang, "console-live-log-never-cleaned"),
    };
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    let page_view = AccessLogPage {
        nav: ConsoleNav::hub(&loaded.hub, is_admin, "access_log"),
        slug: loaded.hub.slug.clone(),
        filter_query: serde_urlencoded::to_string(&params).unwrap_or_default(),
        doors,
        kinds,
        errors,
        newer_page: page.checked_sub(1),
        older_page: (loaded.has_more).then_some(page + 1),
        retention: i18n::t_args(lang, "console-live-log-retention", &[("days", loaded.retention_days.to_string())]),
        last_cleaned,
        lines,
        params,
        layout,
    };
    // The page carries a CSRF token and people's names: nothing may cache it.
    render_uncached(&page_view, status)
}

/// The typed filter and the messages for what could not be read.
fn parse_filter(lang: Lang, params: &AccessLogParams, tz: Tz) -> (AccessLogFilter, FormErrors) {
    let mut errors = FormErrors::default();
    let mut filter = AccessLogFilter {
        door_id: non_empty(&params.door).map(DoorId::new),
        person: non_empty(&params.person),
        kind: non_empty(&params.kind),
        from: None,
        until: None,
    };
    if filter.person.as_ref().is_some_and(|p| p.chars().count() > MAX_PERSON_CHARS) {
        errors.add(
            "person",
            i18n::t_args(lang, "console-live-log-person-too-long", &[("max", MAX_PERSON_CHARS.to_string())]),
        );
    }
    if filter.kind.as_ref().is_some_and(|k| !ACCESS_EVENT_KINDS.contains(&k.as_str())) {
        errors.add("kind", i18n::t(lang, "console-live-log-kind-invalid"));
        filter.kind = None;
    }
    for (field, text) in [("from", &params.from), ("to", &params.to)] {
        let Some(text) = non_empty(text) else { continue };
        let is_from = field == "from";
        match bound_in_zone(&text, is_from).map(|(local, after)| (resolve_local(local.date(), local.time(), tz), after))
        {
            Some((Ok(instant), _)) if is_from => filter.from = Some(instant),
            Some((Ok(instant), after)) => filter.until = Some(instant + after),
            Some((Err(dst), _)) => errors.add(field, local_time_message(lang, &dst)),
            None => errors.add(field, i18n::t(lang, "console-live-log-time-invalid")),
        }
    }
    if let (Some(from), Some(until)) = (filter.from, filter.until)
        && from >= until
    {
        errors.add("to", i18n::t(lang, "console-live-log-to-before-from"));
    }
    (filter, errors)
}

/// A bound of the time filter as local wall-clock time, and how much after it still counts for
/// an upper bound: "to 09:00" includes what happened during 09:00, and a bare date (as the
/// utilization page's export links give it) means from the start of that day, or to its end.
fn bound_in_zone(text: &str, is_from: bool) -> Option<(NaiveDateTime, Duration)> {
    let minute = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S"));
    if let Ok(local) = minute {
        return Some((local, Duration::minutes(1)));
    }
    let day = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
    // The day's end is the next day's midnight, so a 23- or 25-hour day is whole either way.
    let local = if is_from { day } else { day.succ_opt()? };
    Some((local.and_time(NaiveTime::MIN), Duration::zero()))
}

fn non_empty(text: &str) -> Option<String> {
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// An entry in words. Under a booking with guests the person is "member or guest": the door
/// reports the booking, not whose PIN it was.
fn log_line(lang: Lang, entry: &AccessLogEntry, tz: Tz, with_guests: &HashSet<BookingId>) -> LogLine {
    let event = &entry.event;
    let detail = match (event.kind.as_str(), event.reason.as_deref()) {
        ("denied", Some(reason)) if DenyReason::ALL.iter().any(|known| known.as_str() == reason) => {
            i18n::t(lang, &format!("console-live-reason-{}", reason.replace('_', "-")))
        }
        ("door_state", Some(state)) if let Some(state) = door_state(state) => {
            i18n::t(lang, &format!("console-live-door-{}", state.replace('_', "-")))
        }
        ("alarm_cleared", Some(alarm)) => alarm_label(lang, alarm),
        ("checked_in", Some(via @ ("manual" | "qr"))) => i18n::t(lang, &format!("console-live-checked-in-{via}")),
        (_, reason) => reason.unwrap_or_default().to_owned(),
    };
    let person = match (&entry.person_name, &entry.person_email) {
        (Some(name), Some(email)) => format!("{name} <{email}>"),
        (Some(name), None) => name.clone(),
        _ => String::new(),
    };
    let person = with_guest_note(lang, person, entry, with_guests);
    LogLine {
        when: i18n::format_date_time(lang, from_db_time(event.occurred_at), tz),
        door: entry.door_name.clone().unwrap_or_default(),
        event: kind_label(lang, &event.kind),
        detail,
        offline: event.offline,
        person,
    }
}

/// The person of an entry under a booking with guests, noted as "member or guest".
fn with_guest_note(lang: Lang, person: String, entry: &AccessLogEntry, with_guests: &HashSet<BookingId>) -> String {
    match &entry.event.booking_id {
        Some(id) if with_guests.contains(id) => {
            let label = i18n::t(lang, "guests-log-label");
            if person.is_empty() { label } else { format!("{person} ({label})") }
        }
        _ => person,
    }
}

/// A kind of entry in words; an unknown one as stored.
fn kind_label(lang: Lang, kind: &str) -> String {
    if ACCESS_EVENT_KINDS.contains(&kind) {
        i18n::t(lang, &format!("console-live-kind-{}", kind.replace('_', "-")))
    } else {
        kind.to_owned()
    }
}
