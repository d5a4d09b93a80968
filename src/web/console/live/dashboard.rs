//! The live dashboard page (`/console/hubs/{hub}`), the fragment it shares with the event
//! stream, and acknowledging an alarm. Words and times are chosen here; the states come from
//! `service::console::live`.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Deserialize;

use crate::domain::ids::SpaceId;
use crate::domain::vocabulary::BookingStatus;
use crate::i18n::{self, Lang};
use crate::service::console::live::dashboard::{self as service, Dashboard, SpaceNow};
use crate::service::console::live::occupancy::SpaceState;
use crate::service::from_db_time;
use crate::state::AppState;
use crate::web::accounts::render;
use crate::web::console::ConsoleUser;
use crate::web::console::door_controls::lockdown_banner;
use crate::web::console::nav::ConsoleNav;
use crate::web::layout::Layout;
use crate::web::pages::messages::{kind_label, status_label};
use crate::web::pages::{PageError, see_other};

/// One space as the dashboard shows it.
pub struct SpaceLine {
    pub id: SpaceId,
    pub name: String,
    pub kind: String,
    /// `free`, `booked`, `checked_in`, `walk_in`, `no_show_risk` or `disabled`.
    pub state: &'static str,
    pub state_text: String,
    pub icon: &'static str,
    /// `present`, `empty` or `unknown`.
    pub presence: &'static str,
    pub presence_text: String,
    pub booking_text: String,
}

/// One door.
pub struct DoorLine {
    pub name: String,
    /// `closed`, `open`, `held_open` or `unknown`.
    pub state: &'static str,
    pub state_text: String,
    pub icon: &'static str,
    pub since: String,
}

/// One open alarm.
pub struct AlarmLine {
    pub id: String,
    pub kind_text: String,
    pub door: String,
    pub raised: String,
    /// "Acknowledged by … at …" once someone did.
    pub acknowledged: Option<String>,
}

/// One of today's bookings.
pub struct TodayLine {
    pub time: String,
    pub space: String,
    pub person: String,
    pub status: BookingStatus,
    pub status_text: String,
}

/// Everything the fragment shows, in words.
pub struct DashboardView {
    pub slug: String,
    pub hub_name: String,
    /// "As of 08:05".
    pub updated: String,
    /// The one line screen readers hear when it changes.
    pub summary: String,
    pub spaces: Vec<SpaceLine>,
    pub doors: Vec<DoorLine>,
    pub alarms: Vec<AlarmLine>,
    pub today: Vec<TodayLine>,
    /// "In lockdown since …" while the hub is.
    pub lockdown: Option<String>,
}

/// The part of the page the event stream replaces.
#[derive(Template)]
#[template(path = "console/live/fragment.html")]
pub struct DashboardFragment {
    pub layout: Layout,
    pub view: DashboardView,
}

#[derive(Template)]
#[template(path = "console/live/dashboard.html")]
pub struct DashboardPage {
    pub layout: Layout,
    pub nav: ConsoleNav,
    pub view: DashboardView,
}

/// Flags the redirect after a form may carry.
#[derive(Debug, Deserialize)]
pub struct DashboardQuery {
    pub acknowledged: Option<String>,
}

/// `GET /console/hubs/{hub}`: every space, door and open alarm of the hub now.
pub async fn dashboard_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<String>,
    query: web::Query<DashboardQuery>,
) -> Result<HttpResponse, PageError> {
    let scope = staff.scope.clone();
    let hub = path.into_inner();
    let now = state.clock.now();
    let board = state.db(move |conn| service::dashboard(conn, &scope, &hub, now)).await?;
    let mut layout = staff.layout(&req);
    if query.acknowledged.is_some() {
        let message = layout.t("console-live-alarm-acknowledged");
        layout = layout.with_flash(message);
    }
    let page = DashboardPage {
        nav: ConsoleNav::hub(&board.hub, staff.scope.is_admin(), "dashboard"),
        view: view(layout.lang, &board),
        layout,
    };
    // Who booked what, and the acknowledge forms' CSRF token: nothing may cache it.
    render(&page, StatusCode::OK)
}

/// `POST /console/hubs/{hub}/alarms/{alarm}/acknowledge`
pub async fn acknowledge(
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<(String, String)>,
    form: web::Form<crate::web::console::TokenOnly>,
) -> Result<HttpResponse, actix_web::Error> {
    staff.require_csrf(&form.csrf_token)?;
    let (hub, alarm) = path.into_inner();
    let scope = staff.scope.clone();
    let actor = staff.user_id().clone();
    let now = state.clock.now();
    let hub = state
        .db(move |tx| service::acknowledge_alarm(tx, &scope, &actor, &hub, &alarm, now))
        .await
        .map_err(PageError::from)?;
    Ok(see_other(&format!("/console/hubs/{}?acknowledged=1#alarms", hub.slug)))
}

/// The dashboard in the viewer's words.
pub fn view(lang: Lang, board: &Dashboard) -> DashboardView {
    let tz = board.hub.zone();
    let when = |at: DateTime<Utc>| moment(lang, at, board.now, tz);
    let spaces: Vec<SpaceLine> = board.spaces.iter().map(|space| space_line(lang, space, &when)).collect();
    let count = |state: &str| spaces.iter().filter(|s| s.state == state).count().to_string();
    let summary = i18n::t_args(
        lang,
        "console-live-summary",
        &[
            ("free", count("free")),
            ("booked", count("booked")),
            ("checked_in", count("checked_in")),
            ("walk_in", count("walk_in")),
            ("no_show_risk", count("no_show_risk")),
            ("disabled", count("disabled")),
            ("alarms", board.alarms.iter().filter(|a| a.acknowledged.is_none()).count().to_string()),
        ],
    );
    let doors = board
        .doors
        .iter()
        .map(|door| DoorLine {
            name: door.door.name.clone(),
            state: door.state,
            state_text: i18n::t(lang, &format!("console-live-door-{}", door.state.replace('_', "-"))),
            icon: door_icon(door.state),
            since: door.since.map(&when).unwrap_or_default(),
        })
        .collect();
    let alarms = board
        .alarms
        .iter()
        .map(|open| AlarmLine {
            id: open.alarm.id.clone(),
            kind_text: alarm_label(lang, open.alarm.kind.as_str()),
            door: open.door_name.clone().unwrap_or_default(),
            raised: when(from_db_time(open.alarm.raised_at)),
            acknowledged: open.acknowledged.as_ref().map(|(who, at)| {
                let who = who.clone().unwrap_or_else(|| i18n::t(lang, "console-audit-deleted-user"));
                i18n::t_args(lang, "console-live-alarm-acknowledged-by", &[("name", who), ("time", when(*at))])
            }),
        })
        .collect();
    let today = board
        .today
        .iter()
        .map(|entry| {
            let booking = &entry.booking.booking;
            TodayLine {
                time: format!(
                    "{}–{}",
                    i18n::format_time(from_db_time(booking.start_at), tz),
                    i18n::format_time(from_db_time(booking.end_at), tz)
                ),
                space: entry.space_name.clone(),
                person: entry.booking.booker.clone().unwrap_or_else(|| i18n::t(lang, "console-audit-deleted-user")),
                status_text: status_label(lang, booking.status),
                status: booking.status,
            }
        })
        .collect();
    DashboardView {
        slug: board.hub.slug.clone(),
        hub_name: board.hub.name.clone(),
        updated: i18n::t_args(lang, "console-live-updated", &[("time", i18n::format_time(board.now, tz))]),
        summary,
        spaces,
        doors,
        alarms,
        today,
        lockdown: board.lockdown_since.map(|since| lockdown_banner(lang, since, tz)),
    }
}

fn space_line(lang: Lang, space: &SpaceNow, when: &impl Fn(DateTime<Utc>) -> String) -> SpaceLine {
    let state = space.state.as_str();
    let booker = space.booker.clone().filter(|name| !name.is_empty());
    let booking_text = match (space.state, &booker) {
        (SpaceState::Booked { next_start }, Some(name)) => {
            i18n::t_args(lang, "console-live-next-booking-by", &[("time", when(next_start)), ("name", name.clone())])
        }
        (SpaceState::Booked { next_start }, None) => {
            i18n::t_args(lang, "console-live-next-booking", &[("time", when(next_start))])
        }
        (_, Some(name)) => name.clone(),
        (_, None) => String::new(),
    };
    let presence = space.presence.as_str();
    let presence_word = i18n::t(lang, &format!("console-live-presence-{presence}"));
    let presence_text = match space.presence_at {
        Some(at) => i18n::t_args(lang, "console-live-presence-seen", &[("state", presence_word), ("time", when(at))]),
        None => presence_word,
    };
    SpaceLine {
        id: space.space.id.clone(),
        name: space.space.name.clone(),
        kind: kind_label(lang, space.space.kind),
        state,
        state_text: i18n::t(lang, &format!("console-live-state-{}", state.replace('_', "-"))),
        icon: state_icon(space.state),
        presence,
        presence_text,
        booking_text,
    }
}

/// A time today as "09:30", any other as day and time.
fn moment(lang: Lang, at: DateTime<Utc>, now: DateTime<Utc>, tz: Tz) -> String {
    if at.with_timezone(&tz).date_naive() == now.with_timezone(&tz).date_naive() {
        i18n::format_time(at, tz)
    } else {
        i18n::format_date_time(lang, at, tz)
    }
}

/// An alarm kind in words (`held_open`, `forced_open`, `controller_silent`, `device_fault`,
/// `keypad_lockout`).
pub fn alarm_label(lang: Lang, kind: &str) -> String {
    match kind {
        "held_open" | "forced_open" | "controller_silent" | "device_fault" | "keypad_lockout" => {
            i18n::t(lang, &format!("console-live-alarm-{}", kind.replace('_', "-")))
        }
        other => other.to_owned(),
    }
}

/// The symbol beside a space's state; the state is always also said in words.
fn state_icon(state: SpaceState) -> &'static str {
    match state {
        SpaceState::Free => "○",
        SpaceState::Booked { .. } => "◔",
        SpaceState::CheckedIn => "✔",
        SpaceState::WalkIn => "●",
        SpaceState::NoShowRisk => "⚠",
        SpaceState::Disabled => "⊘",
    }
}

/// The symbol beside a door's state.
fn door_icon(state: &str) -> &'static str {
    match state {
        "closed" => "▮",
        "open" => "▯",
        "held_open" => "⚠",
        _ => "?",
    }
}
