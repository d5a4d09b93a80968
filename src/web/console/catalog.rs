//! Running a hub's things: operators, hubs (details, hours, closures, legal texts, settings), spaces, doors, sensors and bridges.
//!
//! The pages of the console's catalogue. Handlers check the CSRF token, hand the form to a use
//! case of `service::console::catalog` (which resolves the hub and every id through the viewer's
//! scope) and render; a form with problems comes back with status 422 and the messages next to
//! their fields, a change that worked redirects to the page that shows it.

mod bridges;
mod doors;
mod floor_plan;
mod house_rules;
mod hubs;
mod items;
mod operators;
mod sensors;
mod space_details;
mod space_qr;
mod spaces;

use std::future::Future;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::ConsoleUser;
use super::nav::ConsoleNav;
use crate::i18n::{self, Lang};
use crate::service::UnitOfWork;
use crate::service::console::catalog::{CatalogError, Problem, Staff};
use crate::state::AppState;
// Console pages carry form tokens (and sometimes a bridge token): rendered uncached.
use crate::web::accounts::{FormErrors, render};
use crate::web::layout::Layout;
use crate::web::pages::{PageError, see_other};

/// This area's routes, below `/console`. Fixed paths (`new`) come before the ids they look like.
pub fn routes(cfg: &mut web::ServiceConfig) {
    use web::{get, post, resource};
    cfg.service(resource("/operators").route(get().to(operators::list)));
    cfg.service(resource("/operators/new").route(get().to(operators::new_form)).route(post().to(operators::create)));
    cfg.service(resource("/operators/{id}").route(get().to(operators::edit_form)).route(post().to(operators::update)));
    cfg.service(
        resource("/operators/{id}/house-rules")
            .route(get().to(house_rules::show))
            .route(post().to(house_rules::publish)),
    );
    cfg.service(resource("/hubs/new").route(get().to(hubs::new_form)).route(post().to(hubs::create)));
    cfg.service(resource("/hubs/{hub}/settings").route(get().to(hubs::settings)));
    cfg.service(resource("/hubs/{hub}/settings/details").route(post().to(hubs::update_details)));
    cfg.service(resource("/hubs/{hub}/settings/limits").route(post().to(hubs::update_limits)));
    cfg.service(resource("/hubs/{hub}/settings/times").route(post().to(hubs::update_times)));
    cfg.service(resource("/hubs/{hub}/settings/hours").route(post().to(hubs::update_hours)));
    cfg.service(resource("/hubs/{hub}/closures").route(post().to(hubs::add_closure)));
    cfg.service(resource("/hubs/{hub}/closures/{id}/remove").route(post().to(hubs::remove_closure)));
    cfg.service(resource("/hubs/{hub}/spaces").route(get().to(spaces::list)));
    item_routes::<spaces::Spaces>(cfg);
    cfg.service(
        resource("/hubs/{hub}/spaces/{id}/disable")
            .route(get().to(spaces::confirm_disable))
            .route(post().to(spaces::disable)),
    );
    cfg.service(resource("/hubs/{hub}/spaces/{id}/enable").route(post().to(spaces::enable)));
    space_details::routes(cfg);
    floor_plan::routes(cfg);
    cfg.service(resource("/hubs/{hub}/spaces/{id}/qr").route(get().to(space_qr::qr_sheet)));
    cfg.service(resource("/hubs/{hub}/spaces/{id}/qr.svg").route(get().to(space_qr::qr_sheet_svg)));
    cfg.service(resource("/hubs/{hub}/doors").route(get().to(doors::list)));
    item_routes::<doors::Doors>(cfg);
    removal_routes::<doors::Doors>(cfg);
    cfg.service(resource("/hubs/{hub}/sensors").route(get().to(sensors::list)));
    item_routes::<sensors::Sensors>(cfg);
    removal_routes::<sensors::Sensors>(cfg);
    cfg.service(resource("/hubs/{hub}/bridges").route(get().to(bridges::list)).route(post().to(bridges::create)));
    cfg.service(
        resource("/hubs/{hub}/bridges/{id}/rotate")
            .route(get().to(bridges::confirm_rotate))
            .route(post().to(bridges::rotate)),
    );
}

/// The add and edit forms of one area of a hub's things (`new` before the ids it looks like).
fn item_routes<I: items::HubItem>(cfg: &mut web::ServiceConfig) {
    use web::{get, post, resource};
    let base = format!("/hubs/{{hub}}/{}", I::AREA);
    cfg.service(
        resource(format!("{base}/new")).route(get().to(items::new_form::<I>)).route(post().to(items::create::<I>)),
    );
    cfg.service(
        resource(format!("{base}/{{id}}")).route(get().to(items::edit_form::<I>)).route(post().to(items::update::<I>)),
    );
}

/// Removing one of an area's things after a confirmation.
fn removal_routes<I: items::RemovableItem>(cfg: &mut web::ServiceConfig) {
    use web::{get, post, resource};
    let path = format!("/hubs/{{hub}}/{}/{{id}}/remove", I::AREA);
    cfg.service(resource(path).route(get().to(items::confirm_remove::<I>)).route(post().to(items::remove::<I>)));
}

/// "Really remove / rotate …?": a title, what will happen, and one button that posts.
#[derive(Template)]
#[template(path = "console/catalog/confirm.html")]
struct ConfirmPage {
    layout: Layout,
    nav: ConsoleNav,
    title: String,
    message: Vec<String>,
    action: String,
    button: String,
    back: String,
    back_label: String,
}

/// Which change just worked, for the message at the top of the page it redirected to.
#[derive(Debug, Deserialize)]
pub struct Done {
    pub done: Option<String>,
    pub count: Option<u32>,
}

impl Done {
    /// The layout with the message for `done` when it is one of `known` (others are ignored).
    pub fn flash(&self, layout: Layout, known: &[&str]) -> Layout {
        match self.done.as_deref().filter(|done| known.contains(done)) {
            Some(done) => {
                let count = self.count.unwrap_or(0).to_string();
                let message = i18n::t_args(layout.lang, &format!("console-catalog-done-{done}"), &[("count", count)]);
                layout.with_flash(message)
            }
            None => layout,
        }
    }
}

/// Runs a use case of the catalogue with the viewer as the one who acts, off the executor. A
/// form's problems come back as `Ok(Err(errors))`, ready for the page; anything else the
/// service refuses is a page error (`NotFound` → 404).
async fn run<T, E>(
    state: &AppState,
    staff: &ConsoleUser,
    work: impl FnOnce(&mut UnitOfWork<'_>, Staff<'_>) -> Result<T, E> + Send + 'static,
) -> Result<Result<T, FormErrors>, PageError>
where
    T: Send + 'static,
    E: Into<CatalogError> + Send + 'static,
{
    let (scope, user_id, lang) = (staff.scope.clone(), staff.user_id().clone(), staff.current.lang);
    let outcome =
        state.db(move |conn| Ok(work(conn, Staff { scope: &scope, user_id: &user_id }).map_err(Into::into))).await?;
    match outcome {
        Ok(value) => Ok(Ok(value)),
        Err(CatalogError::Invalid(problems)) => Ok(Err(form_errors(lang, problems))),
        Err(CatalogError::Service(error)) => Err(error.into()),
    }
}

/// Runs the use case of a submitted form: when it worked, go to `done_url` of its result (Post/
/// Redirect/Get); when the form has problems, show `form_page` with them.
async fn submit<T, E, Fut>(
    state: &AppState,
    staff: &ConsoleUser,
    work: impl FnOnce(&mut UnitOfWork<'_>, Staff<'_>) -> Result<T, E> + Send + 'static,
    done_url: impl FnOnce(&T) -> String,
    form_page: impl FnOnce(FormErrors) -> Fut,
) -> actix_web::Result<HttpResponse>
where
    T: Send + 'static,
    E: Into<CatalogError> + Send + 'static,
    Fut: Future<Output = actix_web::Result<HttpResponse>>,
{
    match run(state, staff, work).await? {
        Ok(value) => Ok(see_other(&done_url(&value))),
        Err(errors) => form_page(errors).await,
    }
}

/// [`run`] for use cases that take no form: every refusal is a page error.
async fn load<T, E>(
    state: &AppState,
    staff: &ConsoleUser,
    work: impl FnOnce(&mut UnitOfWork<'_>, Staff<'_>) -> Result<T, E> + Send + 'static,
) -> Result<T, PageError>
where
    T: Send + 'static,
    E: Into<CatalogError> + Send + 'static,
{
    run(state, staff, work).await?.map_err(|_| PageError::Internal)
}

/// The sentences for a form's problems, each for its field.
fn form_errors(lang: Lang, problems: Vec<Problem>) -> FormErrors {
    let mut errors = FormErrors::default();
    for problem in problems {
        let key = format!("console-catalog-error-{}", problem.code);
        let message = match problem.range {
            Some((min, max)) => i18n::t_args(lang, &key, &[("min", min.to_string()), ("max", max.to_string())]),
            None => i18n::t(lang, &key),
        };
        errors.add(problem.field, message);
    }
    errors
}

/// 200 for a page, 422 for a form sent back with its problems.
fn status_of(errors: &FormErrors) -> StatusCode {
    if errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY }
}

/// The values of a form that repeats keys (checkboxes of one name, many time fields), in order.
#[derive(Debug, Default)]
pub struct FormPairs(Vec<(String, String)>);

impl FormPairs {
    /// The first value sent for `name`, or "".
    pub fn value(&self, name: &str) -> String {
        self.0.iter().find(|(key, _)| key == name).map(|(_, v)| v.clone()).unwrap_or_default()
    }

    /// Every value sent for `name`.
    pub fn values(&self, name: &str) -> Vec<String> {
        self.0.iter().filter(|(key, _)| key == name).map(|(_, v)| v.clone()).collect()
    }

    /// Whether `name` was sent (a ticked checkbox).
    pub fn has(&self, name: &str) -> bool {
        self.0.iter().any(|(key, _)| key == name)
    }
}

impl items::TokenForm for FormPairs {
    fn csrf_token(&self) -> String {
        self.value("csrf_token")
    }
}

impl<'de> Deserialize<'de> for FormPairs {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<(String, String)>::deserialize(deserializer).map(FormPairs)
    }
}
