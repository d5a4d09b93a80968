//! The guests of one of the member's own bookings (issue 16): `/bookings/{id}/guests` lists the
//! invitations with a "withdraw" button each and a form to invite one more. Bad input comes back
//! with the message next to its field (422) and nothing written; someone else's booking is 404.
//! The rules and the PINs live in `service::guests`.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::bookings::{BookingRow, row};
use super::{PageError, see_other};
use crate::domain::ids::BookingId;
use crate::i18n::{self, Lang};
use crate::service::console::catalog::{CatalogError, Problem};
use crate::service::guests::{self as guest_service, GuestInput, GuestsOfBooking};
use crate::service::pin::OsRngPins;
use crate::state::AppState;
use crate::web::accounts::{FormErrors, render};
use crate::web::layout::Layout;
use crate::web::session::{CurrentUser, MaybeUser, TokenOnly, require_csrf};

/// One invitation as the member sees it: they typed the address, so they see it.
pub struct GuestLine {
    pub id: String,
    pub name: String,
    pub email: String,
    pub active: bool,
}

#[derive(Template)]
#[template(path = "bookings/guests.html")]
pub struct GuestsPage {
    pub layout: Layout,
    pub booking: BookingRow,
    pub guests: Vec<GuestLine>,
    /// The sentence about the room's seats.
    pub limit: String,
    /// Why no guest can be invited (not a room, guests off, …); `None` when the form is shown
    /// or the room is merely full.
    pub closed: Option<String>,
    /// Whether the form to invite one more is shown.
    pub form_open: bool,
    /// Why the form is not shown although guests are possible (every seat taken).
    pub full: Option<String>,
    pub form: GuestInput,
    /// The choice of the guest's mail language: (code, name in the page's language).
    pub languages: Vec<(String, String)>,
    pub errors: FormErrors,
}

/// The invitation form as posted.
#[derive(Debug, Deserialize)]
pub struct InviteForm {
    #[serde(default)]
    pub csrf_token: String,
    #[serde(flatten)]
    pub input: GuestInput,
}

/// Flags a redirect may carry to the guests page.
#[derive(Debug, Deserialize)]
pub struct GuestsQuery {
    pub invited: Option<String>,
    pub withdrawn: Option<String>,
}

fn page(
    layout: Layout,
    state: &GuestsOfBooking,
    form: GuestInput,
    errors: FormErrors,
    now: chrono::DateTime<chrono::Utc>,
) -> GuestsPage {
    let lang = layout.lang;
    let now_row = row(lang, &state.view, now);
    let capacity = state.view.space.capacity.max(0).to_string();
    let limit = i18n::t_args(lang, "guests-limit", &[("limit", state.limit.to_string()), ("capacity", capacity)]);
    let closed = state.closed.map(|refusal| i18n::t(lang, &format!("guests-error-{}", refusal.code())));
    let full = match (&state.closed, &state.may_invite) {
        (None, Err(refusal)) => Some(i18n::t(lang, &format!("guests-error-{}", refusal.code()))),
        _ => None,
    };
    let form =
        GuestInput { language: if form.language.is_empty() { lang.code().to_owned() } else { form.language }, ..form };
    GuestsPage {
        booking: now_row,
        guests: state
            .guests
            .iter()
            .map(|g| GuestLine {
                id: g.id.clone(),
                name: g.name.clone(),
                email: g.email.clone(),
                active: g.withdrawn_at.is_none(),
            })
            .collect(),
        limit,
        closed,
        form_open: state.may_invite.is_ok(),
        full,
        form,
        languages: Lang::ALL
            .iter()
            .map(|l| (l.code().to_owned(), i18n::t(lang, &format!("guests-language-{}", l.code()))))
            .collect(),
        errors,
        layout,
    }
}

fn form_errors(lang: Lang, problems: Vec<Problem>) -> FormErrors {
    let mut errors = FormErrors::default();
    for problem in problems {
        errors.add(problem.field, i18n::t(lang, &format!("guests-error-{}", problem.code)));
    }
    errors
}

/// `GET /bookings/{id}/guests`
pub async fn guests_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    current: CurrentUser,
    id: web::Path<BookingId>,
    query: web::Query<GuestsQuery>,
) -> Result<HttpResponse, PageError> {
    let user = current.user.clone();
    let id = id.into_inner();
    let mut layout = Layout::new(&req, &MaybeUser(Some(current)));
    let now = state.clock.now();
    let target = id.clone();
    let guests = state.db(move |conn| guest_service::own_booking_guests(conn, &user, &target, now)).await?;
    if query.invited.is_some() {
        let message = layout.t("guests-invited-flash");
        layout = layout.with_flash(message);
    } else if query.withdrawn.is_some() {
        let message = layout.t("guests-withdrawn-flash");
        layout = layout.with_flash(message);
    }
    let layout = layout.with_return_path(format!("/bookings/{id}/guests"));
    render(&page(layout, &guests, GuestInput::default(), FormErrors::default(), now), StatusCode::OK)
}

/// `POST /bookings/{id}/guests`: invites one guest.
pub async fn invite(
    req: HttpRequest,
    state: web::Data<AppState>,
    current: CurrentUser,
    id: web::Path<BookingId>,
    form: web::Form<InviteForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    if require_csrf(&current, &form.csrf_token).is_err() {
        return Ok(HttpResponse::Forbidden().finish());
    }
    let user = current.user.clone();
    let id = id.into_inner();
    let layout = Layout::new(&req, &MaybeUser(Some(current))).with_return_path(format!("/bookings/{id}/guests"));
    let lang = layout.lang;
    let now = state.clock.now();
    let ctx = state.context.clone();
    let (target, input, invitee) = (id.clone(), form.input.clone(), user.clone());
    let outcome = state
        .db(move |conn| match guest_service::invite(conn, &ctx, &invitee, &target, &input, now, &mut OsRngPins) {
            Ok(_) => Ok(Ok(())),
            Err(CatalogError::Invalid(problems)) => Ok(Err(problems)),
            Err(CatalogError::Service(error)) => Err(error),
        })
        .await?;
    match outcome {
        Ok(()) => Ok(see_other(&format!("/bookings/{id}/guests?invited=1"))),
        Err(problems) => {
            let guests = state.db(move |conn| guest_service::own_booking_guests(conn, &user, &id, now)).await?;
            let page = page(layout, &guests, form.input, form_errors(lang, problems), now);
            render(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

/// `POST /bookings/{id}/guests/{guest}/withdraw`
pub async fn withdraw(
    state: web::Data<AppState>,
    current: CurrentUser,
    path: web::Path<(BookingId, String)>,
    form: web::Form<TokenOnly>,
) -> Result<HttpResponse, PageError> {
    if require_csrf(&current, &form.csrf_token).is_err() {
        return Ok(HttpResponse::Forbidden().finish());
    }
    let (id, guest_id) = path.into_inner();
    let user = current.user;
    let now = state.clock.now();
    let ctx = state.context.clone();
    let target = id.clone();
    state.db(move |conn| guest_service::withdraw(conn, &ctx, &user, &target, &guest_id, now)).await?;
    Ok(see_other(&format!("/bookings/{id}/guests?withdrawn=1")))
}
