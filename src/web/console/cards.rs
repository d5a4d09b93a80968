//! `/console/hubs/{hub}/cards`: the hub's door cards (whose, which label, the UID's last
//! characters), the form to register a member's card by their e-mail address and the UID as the
//! reader shows it, and revoking one. A form with problems comes back (422) with the message next
//! to its field; the UID typed is never shown back, stored or logged.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::nav::ConsoleNav;
use super::{ConsoleUser, TokenOnly, WithToken};
use crate::i18n;
use crate::service::cards::{self as service, CardInput, CardsOfHub};
use crate::service::console::catalog::{CatalogError, Staff};
use crate::service::from_db_time;
use crate::state::AppState;
use crate::web::accounts::{FormErrors, render};
use crate::web::layout::Layout;
use crate::web::pages::{PageError, see_other};

/// This area's routes, below `/console`.
pub fn routes(cfg: &mut web::ServiceConfig) {
    use web::{get, post, resource};
    cfg.service(resource("/hubs/{hub}/cards").route(get().to(cards_page)).route(post().to(register)));
    cfg.service(resource("/hubs/{hub}/cards/{card}/revoke").route(post().to(revoke)));
}

/// One card in the list.
struct CardRow {
    id: String,
    holder: String,
    email: String,
    label: String,
    hint: String,
    created: String,
}

#[derive(Template)]
#[template(path = "console/cards.html")]
struct CardsPage {
    layout: Layout,
    nav: ConsoleNav,
    slug: String,
    hub_name: String,
    cards: Vec<CardRow>,
    /// The form as typed, without the UID.
    email: String,
    /// Not `label`: the form macro's own parameter of that name would shadow it.
    card_label: String,
    errors: FormErrors,
}

/// Which change just worked.
#[derive(Debug, Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

async fn load(state: &AppState, staff: &ConsoleUser, hub: String) -> Result<CardsOfHub, PageError> {
    let (scope, user_id) = (staff.scope.clone(), staff.user_id().clone());
    Ok(state.db(move |conn| service::list(conn, Staff { scope: &scope, user_id: &user_id }, &hub)).await?)
}

fn page(layout: Layout, staff: &ConsoleUser, of_hub: CardsOfHub, typed: CardInput, errors: FormErrors) -> CardsPage {
    let tz = of_hub.hub.zone();
    let cards = of_hub
        .cards
        .iter()
        .map(|(card, holder, email)| CardRow {
            id: card.id.clone(),
            holder: holder.clone(),
            email: email.clone(),
            label: card.label.clone(),
            hint: format!("…{}", card.uid_hint),
            created: i18n::format_date_time(layout.lang, from_db_time(card.created_at), tz),
        })
        .collect();
    CardsPage {
        nav: ConsoleNav::hub(&of_hub.hub, staff.scope.is_admin(), "cards"),
        slug: of_hub.hub.slug.clone(),
        hub_name: of_hub.hub.name.clone(),
        cards,
        email: typed.email,
        card_label: typed.label,
        errors,
        layout,
    }
}

/// `GET /console/hubs/{hub}/cards`
pub async fn cards_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<String>,
    done: web::Query<DoneQuery>,
) -> Result<HttpResponse, PageError> {
    let of_hub = load(&state, &staff, path.into_inner()).await?;
    let mut layout = staff.layout(&req);
    if let Some(done) = done.done.as_deref().filter(|d| ["registered", "revoked"].contains(d)) {
        let message = layout.t(&format!("cards-done-{done}"));
        layout = layout.with_flash(message);
    }
    render(&page(layout, &staff, of_hub, CardInput::default(), FormErrors::default()), StatusCode::OK)
}

/// `POST /console/hubs/{hub}/cards`: registers a card.
pub async fn register(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<String>,
    form: web::Form<WithToken<CardInput>>,
) -> actix_web::Result<HttpResponse> {
    staff.require_csrf(&form.csrf_token)?;
    let hub = path.into_inner();
    let input = form.into_inner().form;
    let (scope, user_id, now, ctx) =
        (staff.scope.clone(), staff.user_id().clone(), state.clock.now(), state.context.clone());
    let (url_hub, attempt) = (hub.clone(), input.clone());
    let outcome = state
        .db(move |conn| {
            let staff = Staff { scope: &scope, user_id: &user_id };
            match service::register(conn, &ctx.secret, staff, &url_hub, &attempt, now) {
                Ok(_) => Ok(Ok(())),
                Err(CatalogError::Invalid(problems)) => Ok(Err(problems)),
                Err(CatalogError::Service(error)) => Err(error),
            }
        })
        .await
        .map_err(PageError::from)?;
    match outcome {
        Ok(()) => Ok(see_other(&format!("/console/hubs/{hub}/cards?done=registered"))),
        Err(problems) => {
            let lang = staff.current.lang;
            let mut errors = FormErrors::default();
            for problem in problems {
                errors.add(problem.field, i18n::t(lang, &format!("cards-error-{}", problem.code)));
            }
            let of_hub = load(&state, &staff, hub).await?;
            let typed = CardInput { uid: String::new(), ..input };
            Ok(render(&page(staff.layout(&req), &staff, of_hub, typed, errors), StatusCode::UNPROCESSABLE_ENTITY)?)
        }
    }
}

/// `POST /console/hubs/{hub}/cards/{card}/revoke`
pub async fn revoke(
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<(String, String)>,
    form: web::Form<TokenOnly>,
) -> actix_web::Result<HttpResponse> {
    staff.require_csrf(&form.csrf_token)?;
    let (hub, card_id) = path.into_inner();
    let (scope, user_id, now, url_hub) = (staff.scope.clone(), staff.user_id().clone(), state.clock.now(), hub.clone());
    state
        .db(move |conn| {
            service::revoke_by_staff(conn, Staff { scope: &scope, user_id: &user_id }, &url_hub, &card_id, now)
        })
        .await
        .map_err(PageError::from)?;
    Ok(see_other(&format!("/console/hubs/{hub}/cards?done=revoked")))
}
