//! `/console/operators`: the operators with their contacts, legal texts and access-log retention
//! (admins only; everyone else gets 404).

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::{Done, load, render, run, status_of};
use crate::db::catalog::Operator;
use crate::service::console::catalog::operators::{self, OperatorInput};
use crate::state::AppState;
use crate::web::accounts::FormErrors;
use crate::web::console::ConsoleUser;
use crate::web::console::nav::ConsoleNav;
use crate::web::layout::Layout;
use crate::web::pages::see_other;

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
    operator_id: Option<String>,
    form: OperatorInput,
    errors: FormErrors,
}

/// The submitted operator form.
#[derive(Debug, Deserialize)]
pub struct OperatorForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    legal_contact: String,
    #[serde(default)]
    privacy_contact: String,
    #[serde(default)]
    imprint: String,
    #[serde(default)]
    privacy_policy: String,
    #[serde(default)]
    accessibility_statement: String,
    #[serde(default)]
    access_log_retention_days: String,
}

impl OperatorForm {
    fn input(self) -> OperatorInput {
        OperatorInput {
            name: self.name,
            legal_contact: self.legal_contact,
            privacy_contact: self.privacy_contact,
            imprint: self.imprint,
            privacy_policy: self.privacy_policy,
            accessibility_statement: self.accessibility_statement,
            access_log_retention_days: self.access_log_retention_days,
        }
    }
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
    let operators = load(&state, &staff, operators::list).await?;
    let layout = done.flash(staff.layout(&req), &["created"]);
    Ok(render(&OperatorsPage { layout, nav: nav(&staff), operators }, status_of(&FormErrors::default()))?)
}

/// `GET /console/operators/new`
pub async fn new_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
) -> actix_web::Result<HttpResponse> {
    load(&state, &staff, |_, staff| staff.scope.require_admin()).await?;
    let page = OperatorFormPage {
        layout: staff.layout(&req),
        nav: nav(&staff),
        operator_id: None,
        form: OperatorInput::blank(),
        errors: FormErrors::default(),
    };
    Ok(render(&page, status_of(&page.errors))?)
}

/// `POST /console/operators/new`
pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    form: web::Form<OperatorForm>,
) -> actix_web::Result<HttpResponse> {
    staff.require_csrf(&form.csrf_token)?;
    let (input, now) = (form.into_inner().input(), state.clock.now());
    let attempt = input.clone();
    match run(&state, &staff, move |conn, staff| operators::create(conn, staff, &attempt, now)).await? {
        Ok(_) => Ok(see_other("/console/operators?done=created")),
        Err(errors) => {
            let page = OperatorFormPage {
                layout: staff.layout(&req),
                nav: nav(&staff),
                operator_id: None,
                form: input,
                errors,
            };
            Ok(render(&page, status_of(&page.errors))?)
        }
    }
}

/// `GET /console/operators/{id}`
pub async fn edit_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<String>,
    done: web::Query<Done>,
) -> actix_web::Result<HttpResponse> {
    let operator_id = path.into_inner();
    let operator = load(&state, &staff, move |conn, staff| operators::find(conn, staff, &operator_id)).await?;
    let page = OperatorFormPage {
        layout: done.flash(staff.layout(&req), &["saved"]),
        nav: nav(&staff),
        operator_id: Some(operator.id.clone()),
        form: OperatorInput::of(&operator),
        errors: FormErrors::default(),
    };
    Ok(render(&page, status_of(&page.errors))?)
}

/// `POST /console/operators/{id}`
pub async fn update(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<String>,
    form: web::Form<OperatorForm>,
) -> actix_web::Result<HttpResponse> {
    staff.require_csrf(&form.csrf_token)?;
    let (operator_id, input, now) = (path.into_inner(), form.into_inner().input(), state.clock.now());
    let (id, attempt) = (operator_id.clone(), input.clone());
    match run(&state, &staff, move |conn, staff| operators::update(conn, staff, &id, &attempt, now)).await? {
        Ok(operator) => Ok(see_other(&format!("/console/operators/{}?done=saved", operator.id))),
        Err(errors) => {
            let page = OperatorFormPage {
                layout: staff.layout(&req),
                nav: nav(&staff),
                operator_id: Some(operator_id),
                form: input,
                errors,
            };
            Ok(render(&page, status_of(&page.errors))?)
        }
    }
}
