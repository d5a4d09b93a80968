//! `/console/hubs/{hub}/bookings…`: the hub's bookings with who booked them (requests waiting
//! for approval first), approving, declining and cancelling with a reason, re-issuing a PIN.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::NaiveDate;
use serde::Deserialize;

use super::{error_status, refusal};
use crate::db::catalog::Hub;
use crate::domain::approval::WaitingAge;
use crate::domain::ids::BookingId;
use crate::domain::vocabulary::BookingStatus;
use crate::i18n::{self, Lang};
use crate::service::booking::BookingView;
use crate::service::console::people::{self, BookingListQuery, HubBookingRow, Notice};
use crate::service::from_db_time;
use crate::state::AppState;
use crate::web::accounts::{FormErrors, render};
use crate::web::console::ConsoleUser;
use crate::web::console::TokenOnly;
use crate::web::console::nav::ConsoleNav;
use crate::web::layout::Layout;
use crate::web::pages::bookings::row;
use crate::web::pages::messages::status_label;
use crate::web::pages::{PageError, see_other};

/// One booking as the console's list shows it.
pub struct BookingLine {
    pub id: BookingId,
    pub when: String,
    pub space: String,
    pub person: String,
    pub email: String,
    pub status: BookingStatus,
    pub status_label: String,
    pub pending: bool,
    /// For a request still waiting: how long, in words ("wartet seit 3 Std.").
    pub waiting: Option<String>,
    pub cancellable: bool,
    pub pin_reissuable: bool,
    /// Not started yet and its person still there: may be moved ("Verschieben").
    pub movable: bool,
    /// What the booking is for and how many come, where the room asked (staff only).
    pub purpose: Option<String>,
}

/// A status of the filter.
pub struct StatusChoice {
    pub value: &'static str,
    pub label: String,
}

#[derive(Template)]
#[template(path = "console/people/bookings.html")]
pub struct BookingsPage {
    pub layout: Layout,
    pub nav: ConsoleNav,
    pub hub_slug: String,
    pub hub_name: String,
    pub date: String,
    pub status: String,
    pub statuses: Vec<StatusChoice>,
    pub lines: Vec<BookingLine>,
    pub pending_count: i64,
    pub limited: bool,
    pub errors: FormErrors,
}

#[derive(Template)]
#[template(path = "console/people/reason.html")]
pub struct ReasonPage {
    pub layout: Layout,
    pub nav: ConsoleNav,
    pub hub_slug: String,
    /// `decline` or `cancel`: the form's path.
    pub action: &'static str,
    pub title: String,
    pub explain: String,
    pub submit: String,
    pub booking: BookingLine,
    pub reason: String,
    pub errors: FormErrors,
}

/// The list's filter, as typed.
#[derive(Debug, Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub date: String,
    #[serde(default)]
    pub status: String,
    pub done: Option<String>,
}

/// The decline and cancel forms.
#[derive(Debug, Deserialize)]
pub struct ReasonForm {
    #[serde(default)]
    pub csrf_token: String,
    #[serde(default)]
    pub reason: String,
}

/// The flashes a redirect to the list may ask for.
const DONE: [&str; 7] = ["approved", "declined", "cancelled", "pin", "booked", "booked-new", "moved"];

/// `GET /console/hubs/{hub}/bookings?date=&status=`
pub async fn bookings_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<String>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, PageError> {
    let query = query.into_inner();
    let mut layout = staff.layout(&req);
    if let Some(done) = query.done.as_deref().filter(|d| DONE.contains(d)) {
        let message = layout.t(&format!("console-people-bookings-done-{done}"));
        layout = layout.with_flash(message);
    }
    let mut errors = FormErrors::default();
    let day = match query.date.trim() {
        "" => None,
        text => {
            let day = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok();
            if day.is_none() {
                errors.add("date", layout.t("book-error-date"));
            }
            day
        }
    };
    let status = BookingStatus::parse(query.status.trim()).ok();
    let list = BookingListQuery { day, status };
    let status_code = if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
    list_page(&state, &staff, layout, path.into_inner(), list, (query.date, query.status), errors, status_code).await
}

/// `POST /console/hubs/{hub}/bookings/{id}/approve` and `…/pin` (send a new PIN): the buttons
/// of the list, which answer with the list.
pub async fn approve_or_reissue_pin(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<(String, String, String)>,
    form: web::Form<TokenOnly>,
) -> Result<HttpResponse, actix_web::Error> {
    staff.require_csrf(&form.csrf_token)?;
    let (hub, id, action) = path.into_inner();
    let id = BookingId::new(id);
    let approve = action == "approve";
    let (scope, actor, ctx, hub_ref) =
        (staff.scope.clone(), staff.user_id().clone(), state.context.clone(), hub.clone());
    let now = state.clock.now();
    let outcome = state
        .db(move |conn| {
            if approve {
                people::approve_booking(conn, &ctx, &scope, &actor, &hub_ref, &id, now)
            } else {
                people::reissue_pin(conn, &ctx, &scope, &actor, &hub_ref, &id, now)
            }
        })
        .await;
    let layout = staff.layout(&req);
    let mut errors = FormErrors::default();
    let conflict = match outcome {
        Ok(_) => {
            let done = if approve { "approved" } else { "pin" };
            return Ok(see_other(&format!("/console/hubs/{hub}/bookings?done={done}")));
        }
        Err(error) => refusal(layout.lang, error, &mut errors)?,
    };
    let list = BookingListQuery::default();
    Ok(list_page(&state, &staff, layout, hub, list, Default::default(), errors, error_status(conflict)).await?)
}

/// `GET /console/hubs/{hub}/bookings/{id}/decline` and `…/cancel`: the form that asks why.
pub async fn reason_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<(String, String, String)>,
) -> Result<HttpResponse, PageError> {
    let (hub, id, action) = path.into_inner();
    let id = BookingId::new(id);
    let notice = Notice::parse(&action).ok_or(PageError::NotFound)?;
    let layout = staff.layout(&req);
    let form_state = (String::new(), FormErrors::default(), StatusCode::OK);
    reason_page(&state, &staff, layout, (hub, id), notice, form_state).await
}

/// `POST /console/hubs/{hub}/bookings/{id}/decline` and `…/cancel`
pub async fn end_with_notice(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<(String, String, String)>,
    form: web::Form<ReasonForm>,
) -> Result<HttpResponse, actix_web::Error> {
    let form = form.into_inner();
    staff.require_csrf(&form.csrf_token)?;
    let (hub, id, action) = path.into_inner();
    let id = BookingId::new(id);
    let notice = Notice::parse(&action).ok_or(PageError::NotFound)?;
    let (scope, actor, ctx) = (staff.scope.clone(), staff.user_id().clone(), state.context.clone());
    let (hub_ref, booking_id, reason) = (hub.clone(), id.clone(), form.reason.clone());
    let now = state.clock.now();
    let outcome = state
        .db(move |conn| {
            people::end_with_notice(conn, &ctx, &scope, &actor, &hub_ref, &booking_id, notice, &reason, now)
        })
        .await;
    let layout = staff.layout(&req);
    let mut errors = FormErrors::default();
    let conflict = match outcome {
        Ok(_) => {
            if notice == Notice::Cancel {
                state.metrics.bookings_cancelled(crate::metrics::CancelledBy::Staff, 1);
            }
            let done = if notice == Notice::Decline { "declined" } else { "cancelled" };
            return Ok(see_other(&format!("/console/hubs/{hub}/bookings?done={done}")));
        }
        Err(error) => refusal(layout.lang, error, &mut errors)?,
    };
    let form_state = (form.reason, errors, error_status(conflict));
    Ok(reason_page(&state, &staff, layout, (hub, id), notice, form_state).await?)
}

#[allow(clippy::too_many_arguments, reason = "the list's query as typed and as understood, plus its errors")]
async fn list_page(
    state: &AppState,
    staff: &ConsoleUser,
    layout: Layout,
    hub: String,
    list: BookingListQuery,
    typed: (String, String),
    errors: FormErrors,
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let scope = staff.scope.clone();
    let now = state.clock.now();
    let (hub, listed, purposes) = state
        .db(move |conn| {
            let (hub, listed) = people::hub_bookings(conn, &scope, &hub, &list, now)?;
            // Only the bookings of the list, which the scope already limited to this hub's.
            let ids: Vec<BookingId> = listed.rows.iter().map(|r| r.booking.id.clone()).collect();
            let purposes = crate::service::house_rules::purposes_of(conn, &ids)?;
            Ok((hub, listed, purposes))
        })
        .await?;
    let lang = layout.lang;
    let purpose_of = |id: &BookingId| {
        purposes.iter().find(|(booking_id, _)| booking_id == id).map(|(_, p)| {
            i18n::t_args(
                lang,
                "console-house-rules-purpose-value",
                &[("purpose", p.purpose.clone()), ("count", p.head_count.to_string())],
            )
        })
    };
    let mut statuses = vec![StatusChoice { value: "", label: layout.t("console-people-bookings-all-statuses") }];
    statuses
        .extend(BookingStatus::ALL.iter().map(|s| StatusChoice { value: s.as_str(), label: status_label(lang, *s) }));
    let page = BookingsPage {
        nav: ConsoleNav::hub(&hub, staff.scope.is_admin(), "bookings"),
        hub_slug: hub.slug.clone(),
        hub_name: hub.name.clone(),
        date: typed.0,
        status: typed.1,
        statuses,
        pending_count: listed.pending,
        limited: listed.limited,
        lines: listed
            .rows
            .into_iter()
            .map(|r| line(lang, &hub, r, now))
            .map(|l| BookingLine { purpose: purpose_of(&l.id), ..l })
            .collect(),
        errors,
        layout,
    };
    render(&page, status)
}

async fn reason_page(
    state: &AppState,
    staff: &ConsoleUser,
    layout: Layout,
    (hub, id): (String, BookingId),
    notice: Notice,
    (reason, errors, status): (String, FormErrors, StatusCode),
) -> Result<HttpResponse, PageError> {
    let scope = staff.scope.clone();
    let (hub, row) = state.db(move |conn| people::find_hub_booking(conn, &scope, &hub, &id)).await?;
    let now = state.clock.now();
    let page = ReasonPage {
        nav: ConsoleNav::hub(&hub, staff.scope.is_admin(), "bookings"),
        hub_slug: hub.slug.clone(),
        action: notice.as_str(),
        title: layout.t(&format!("console-people-{}-title", notice.as_str())),
        explain: layout.t(&format!("console-people-{}-explain", notice.as_str())),
        submit: layout.t(&format!("console-people-{}-submit", notice.as_str())),
        booking: line(layout.lang, &hub, row, now),
        reason,
        errors,
        layout,
    };
    render(&page, status)
}

fn line(lang: Lang, hub: &Hub, booking_row: HubBookingRow, now: chrono::DateTime<chrono::Utc>) -> BookingLine {
    let status = booking_row.status();
    let over = from_db_time(booking_row.booking.end_at) <= now;
    let (person, email) = match &booking_row.person {
        Some(p) => (p.name.clone(), p.email.clone()),
        None => (i18n::t(lang, "console-people-deleted-person"), String::new()),
    };
    let pending = status == BookingStatus::Pending && !over;
    let waiting = pending.then(|| waiting_words(lang, from_db_time(booking_row.booking.created_at), now));
    let view = BookingView { booking: booking_row.booking, space: booking_row.space, hub: hub.clone() };
    let shown = row(lang, &view, now);
    BookingLine {
        id: view.booking.id.clone(),
        when: shown.when,
        space: shown.space,
        person,
        email,
        status: shown.status,
        status_label: shown.status_label,
        pending,
        waiting,
        cancellable: status == BookingStatus::Confirmed && !over,
        pin_reissuable: matches!(status, BookingStatus::Confirmed | BookingStatus::CheckedIn)
            && !over
            && booking_row.person.is_some(),
        movable: shown.changeable && booking_row.person.is_some(),
        purpose: None,
    }
}

/// How long a request has waited, in words: "wartet seit 3 Std." / "waiting 3 h".
fn waiting_words(lang: Lang, created: chrono::DateTime<chrono::Utc>, now: chrono::DateTime<chrono::Utc>) -> String {
    let (unit, count) = WaitingAge::between(created, now).unit_and_count();
    i18n::t_args(lang, "approvals-waiting", &[("unit", unit.to_owned()), ("count", count.to_string())])
}
