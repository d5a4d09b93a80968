//! `/console/operators`: the operators with their contacts, legal texts and access-log retention
//! (admins only; everyone else gets 404).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::{Done, load, render, status_of, submit};
use crate::db::catalog::Operator;
use crate::domain::ids::OperatorId;
use crate::service::console::catalog::operators::{self, OperatorInput};
use crate::state::AppState;
use crate::web::accounts::FormErrors;
use crate::web::console::ConsoleUser;
use crate::web::console::WithToken;
use crate::web::console::nav::ConsoleNav;
use crate::web::layout::Layout;

#[derive(Template)]
#[template(path = "console/catalog/operators.html")]
struct OperatorsPage {
    layout: Layout,
    nav: ConsoleNav,
    operators: Vec<Operator>,
}

#[derive(Template)]
#[template(path = "console/catalog/operator_form.html")]
struct OperatorFormPage {
    layout: Layout,
    nav: ConsoleNav,
    /// `None` for a new operator.
    operator_id: Option<OperatorId>,
    form: OperatorInput,
    errors: FormErrors,
}

fn nav(staff: &ConsoleUser) -> ConsoleNav {
    ConsoleNav::general(staff.scope.is_admin(), "operators")
}

/// `GET /console/operators`
pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    done: web::Query<Done>,
) -> actix_web::Result<HttpResponse> {
    let operators = load(&state, &staff, |tx, staff| operators::list(tx, staff)).await?;
    let layout = done.flash(staff.layout(&req), &["created"]);
    Ok(render(&OperatorsPage { layout, nav: nav(&staff), operators }, StatusCode::OK)?)
}

/// The form of a new operator (`operator_id` `None`) or of a stored one, as `typed` or as
/// stored, with `errors` beside its fields.
async fn form_page(
    state: &AppState,
    staff: &ConsoleUser,
    layout: Layout,
    operator_id: Option<OperatorId>,
    typed: Option<OperatorInput>,
    errors: FormErrors,
) -> actix_web::Result<HttpResponse> {
    let stored = match operator_id {
        Some(id) => Some(load(state, staff, move |conn, staff| operators::find(conn, staff, &id)).await?),
        None => {
            load(state, staff, |_, staff| staff.scope.require_admin()).await?;
            None
        }
    };
    let form = typed.unwrap_or_else(|| stored.as_ref().map_or_else(OperatorInput::blank, OperatorInput::of));
    let page = OperatorFormPage { layout, nav: nav(staff), operator_id: stored.map(|o| o.id), form, errors };
    Ok(render(&page, status_of(&page.errors))?)
}

/// `GET /console/operators/new`
pub async fn new_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
) -> actix_web::Result<HttpResponse> {
    form_page(&state, &staff, staff.layout(&req), None, None, FormErrors::default()).await
}

/// `POST /console/operators/new`
pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    form: web::Form<WithToken<OperatorInput>>,
) -> actix_web::Result<HttpResponse> {
    staff.require_csrf(&form.csrf_token)?;
    let (input, now) = (form.into_inner().form, state.clock.now());
    let attempt = input.clone();
    submit(
        &state,
        &staff,
        move |conn, staff| operators::create(conn, staff, &attempt, now),
        |_| "/console/operators?done=created".to_owned(),
        |errors| form_page(&state, &staff, staff.layout(&req), None, Some(input), errors),
    )
    .await
}

/// `GET /console/operators/{id}`
pub async fn edit_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<OperatorId>,
    done: web::Query<Done>,
) -> actix_web::Result<HttpResponse> {
    let layout = done.flash(staff.layout(&req), &["saved"]);
    form_page(&state, &staff, layout, Some(path.into_inner()), None, FormErrors::default()).await
}

/// `POST /console/operators/{id}`
pub async fn update(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<OperatorId>,
    form: web::Form<WithToken<OperatorInput>>,
) -> actix_web::Result<HttpResponse> {
    staff.require_csrf(&form.csrf_token)?;
    let (operator_id, input, now) = (path.into_inner(), form.into_inner().form, state.clock.now());
    let (id, attempt) = (operator_id.clone(), input.clone());
    submit(
        &state,
        &staff,
        move |conn, staff| operators::update(conn, staff, &id, &attempt, now),
        |operator: &Operator| format!("/console/operators/{}?done=saved", operator.id),
        |errors| form_page(&state, &staff, staff.layout(&req), Some(operator_id), Some(input), errors),
    )
    .await
}
