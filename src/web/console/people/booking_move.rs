//! `/console/hubs/{hub}/bookings/{id}/move`: staff move a booking of their hub to another time
//! or space of the same hub for its member, with the member's form and messages
//! (`pages::booking_change`). A booking of another hub, or a hub outside the scope, is 404.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use crate::db::catalog::Space;
use crate::domain::ids::BookingId;
use crate::domain::vocabulary::BookingUnit;
use crate::i18n;
use crate::service::booking::BookingView;
use crate::service::booking_changes as changes;
use crate::state::AppState;
use crate::web::accounts::{FormErrors, render};
use crate::web::console::ConsoleUser;
use crate::web::console::nav::ConsoleNav;
use crate::web::layout::Layout;
use crate::web::pages::booking_change::{ChangeForm, SpaceChoice, parse_change, refusal, space_choices};
use crate::web::pages::bookings::{BookingRow, row};
use crate::web::pages::{PageError, see_other};

#[derive(Template)]
#[template(path = "console/people/move.html")]
pub struct MovePage {
    pub layout: Layout,
    pub nav: ConsoleNav,
    pub booking: BookingRow,
    pub person: String,
    pub changeable: bool,
    pub action: String,
    pub back: String,
    pub spaces: Vec<SpaceChoice>,
    pub space_id: String,
    pub date: String,
    pub end_date: String,
    pub from: String,
    pub to: String,
    pub errors: FormErrors,
}

/// What the page shows besides the form.
struct Shown {
    view: BookingView,
    person: String,
    spaces: Vec<Space>,
}

/// `GET /console/hubs/{hub}/bookings/{id}/move`
pub async fn move_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let (hub, id) = path.into_inner();
    let id = BookingId::new(id);
    let layout = staff.layout(&req);
    let shown = load(&state, &staff, hub, id).await?;
    let form = ChangeForm::of(&shown.view);
    render(&page(&state, &staff, layout, shown, form, FormErrors::default()), StatusCode::OK)
}

/// `POST /console/hubs/{hub}/bookings/{id}/move`
pub async fn move_booking(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<(String, String)>,
    form: web::Form<ChangeForm>,
) -> Result<HttpResponse, actix_web::Error> {
    let form = form.into_inner();
    staff.require_csrf(&form.csrf_token)?;
    let (hub, id) = path.into_inner();
    let id = BookingId::new(id);
    let layout = staff.layout(&req);
    let lang = layout.lang;
    let shown = load(&state, &staff, hub.clone(), id.clone()).await?;
    let (change, mut errors) = parse_change(lang, &shown.spaces, &form);
    let Some(change) = change else {
        return Ok(render(&page(&state, &staff, layout, shown, form, errors), StatusCode::UNPROCESSABLE_ENTITY)?);
    };
    let (scope, actor, ctx) = (staff.scope.clone(), staff.user_id().clone(), state.context.clone());
    let (hub_ref, booking_id) = (hub.clone(), id);
    let now = state.clock.now();
    let outcome = state
        .db(move |conn| changes::change_hub_booking(conn, &ctx, &scope, &actor, &hub_ref, &booking_id, &change, now))
        .await;
    match outcome {
        Ok(_) => Ok(see_other(&format!("/console/hubs/{hub}/bookings?done=moved"))),
        Err(error) => {
            let daily =
                shown.spaces.iter().any(|s| s.id.as_str() == form.space_id && s.booking_unit == BookingUnit::Daily);
            let status = refusal(lang, error, daily, &mut errors)?;
            Ok(render(&page(&state, &staff, layout, shown, form, errors), status)?)
        }
    }
}

async fn load(state: &AppState, staff: &ConsoleUser, hub: String, id: BookingId) -> Result<Shown, PageError> {
    let scope = staff.scope.clone();
    Ok(state
        .db(move |conn| {
            let (view, _, person) = changes::find_hub_booking(conn, &scope, &hub, &id)?;
            let spaces = changes::spaces_of_hub(conn, &view.hub.id)?;
            let person = person.map(|p| format!("{} ({})", p.name, p.email)).unwrap_or_default();
            Ok(Shown { view, person, spaces })
        })
        .await?)
}

fn page(
    state: &AppState,
    staff: &ConsoleUser,
    layout: Layout,
    shown: Shown,
    form: ChangeForm,
    errors: FormErrors,
) -> MovePage {
    let lang = layout.lang;
    let booking = row(lang, &shown.view, state.clock.now());
    let hub = &shown.view.hub;
    let person =
        if shown.person.is_empty() { i18n::t(lang, "console-people-deleted-person") } else { shown.person.clone() };
    MovePage {
        nav: ConsoleNav::hub(hub, staff.scope.is_admin(), "bookings"),
        changeable: booking.changeable && !shown.person.is_empty(),
        action: format!("/console/hubs/{}/bookings/{}/move", hub.slug, shown.view.booking.id),
        back: format!("/console/hubs/{}/bookings", hub.slug),
        spaces: space_choices(lang, &shown.spaces),
        booking,
        person,
        space_id: form.space_id,
        date: form.date,
        end_date: form.end_date,
        from: form.from,
        to: form.to,
        errors,
        layout,
    }
}
