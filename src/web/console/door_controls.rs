//! `/console/hubs/{hub}/door-controls`: the hub manager's switches for the hub's doors — open a
//! door now with a reason, disable or enable a door, put the hub in lockdown or lift it — and
//! the latest doors opened by staff with what became of them. Handlers check the CSRF token and
//! hand over to `service::door_controls`; a form with problems comes back (422) with the message
//! next to the field of the door it was for.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::ConsoleUser;
use super::nav::ConsoleNav;
use crate::domain::ids::DoorId;
use crate::domain::vocabulary::CommandStatus;
use crate::i18n::{self, Lang};
use crate::service::console::catalog::{CatalogError, Staff};
use crate::service::door_controls::{self as service, DoorControls};
use crate::service::from_db_time;
use crate::state::AppState;
use crate::web::accounts::{FormErrors, render};
use crate::web::layout::Layout;
use crate::web::pages::{PageError, see_other};

/// This area's routes, below `/console`.
pub fn routes(cfg: &mut web::ServiceConfig) {
    use web::{get, post, resource};
    cfg.service(resource("/hubs/{hub}/door-controls").route(get().to(controls_page)));
    cfg.service(resource("/hubs/{hub}/door-controls/lockdown").route(post().to(switch_lockdown)));
    cfg.service(resource("/hubs/{hub}/door-controls/{door}/open").route(post().to(open_door)));
    cfg.service(resource("/hubs/{hub}/door-controls/{door}/disable").route(post().to(disable_door)));
    cfg.service(resource("/hubs/{hub}/door-controls/{door}/enable").route(post().to(enable_door)));
}

/// The page's path for a hub.
pub fn controls_url(hub: &str) -> String {
    format!("/console/hubs/{hub}/door-controls")
}

/// One door with its switches.
struct DoorControlRow {
    id: DoorId,
    name: String,
    state: String,
    disabled: bool,
    /// The reason as typed, when this door's form came back with problems.
    reason: String,
    /// Whether the errors on the page belong to this door's form.
    failed: bool,
}

/// One door opened by staff.
struct OpeningRow {
    when: String,
    door: String,
    actor: String,
    reason: String,
    status: String,
}

#[derive(Template)]
#[template(path = "console/door_controls.html")]
struct DoorControlsPage {
    layout: Layout,
    nav: ConsoleNav,
    slug: String,
    hub_name: String,
    /// "In lockdown since …", when it is.
    lockdown: Option<String>,
    doors: Vec<DoorControlRow>,
    openings: Vec<OpeningRow>,
    errors: FormErrors,
}

/// Which change just worked, for the message at the top.
#[derive(Debug, Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

/// The open form.
#[derive(Debug, Deserialize)]
pub struct OpenForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    reason: String,
}

/// The lockdown switch: `on` or `off`.
#[derive(Debug, Deserialize)]
pub struct LockdownForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    lockdown: String,
}

/// What the page shows after a failed open form: the door, the reason as typed, the problems.
type Failed = Option<(DoorId, String, FormErrors)>;

/// Loads the page's data with the viewer's scope.
async fn load(state: &AppState, staff: &ConsoleUser, hub: String) -> Result<DoorControls, PageError> {
    let (scope, user_id) = (staff.scope.clone(), staff.user_id().clone());
    Ok(state.db(move |conn| service::overview(conn, Staff { scope: &scope, user_id: &user_id }, &hub)).await?)
}

fn page(layout: Layout, staff: &ConsoleUser, controls: DoorControls, failed: Failed) -> DoorControlsPage {
    let lang = layout.lang;
    let tz = controls.hub.zone();
    let (failed_door, typed, errors) = match failed {
        Some((door, typed, errors)) => (Some(door), typed, errors),
        None => (None, String::new(), FormErrors::default()),
    };
    let doors = controls
        .doors
        .iter()
        .map(|line| {
            let failed = failed_door.as_ref() == Some(&line.door.id);
            DoorControlRow {
                id: line.door.id.clone(),
                name: line.door.name.clone(),
                state: i18n::t(
                    lang,
                    &format!("console-catalog-door-state-{}", line.state.as_deref().unwrap_or("none")),
                ),
                disabled: line.disabled,
                reason: if failed { typed.clone() } else { String::new() },
                failed,
            }
        })
        .collect();
    let openings = controls
        .openings
        .iter()
        .map(|opening| OpeningRow {
            when: i18n::format_date_time(lang, from_db_time(opening.command.requested_at), tz),
            door: opening.door_name.clone(),
            actor: opening.actor_name.clone().unwrap_or_else(|| i18n::t(lang, "door-controls-deleted-account")),
            reason: opening.command.reason.clone().unwrap_or_default(),
            status: command_status(lang, opening.command.status),
        })
        .collect();
    DoorControlsPage {
        nav: ConsoleNav::hub(&controls.hub, staff.scope.is_admin(), "door_controls"),
        slug: controls.hub.slug.clone(),
        hub_name: controls.hub.name.clone(),
        lockdown: controls.lockdown_since.map(|since| lockdown_banner(lang, since, tz)),
        doors,
        openings,
        errors,
        layout,
    }
}

/// "The hub is in lockdown since …": the banner of the console's pages of a hub in lockdown.
pub fn lockdown_banner(lang: Lang, since: chrono::DateTime<chrono::Utc>, tz: chrono_tz::Tz) -> String {
    i18n::t_args(lang, "door-controls-lockdown-banner", &[("since", i18n::format_date_time(lang, since, tz))])
}

/// A door command's status in words.
fn command_status(lang: Lang, status: CommandStatus) -> String {
    i18n::t(lang, &format!("door-controls-status-{status}"))
}

/// `GET /console/hubs/{hub}/door-controls`
pub async fn controls_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<String>,
    done: web::Query<DoneQuery>,
) -> Result<HttpResponse, PageError> {
    let controls = load(&state, &staff, path.into_inner()).await?;
    let mut layout = staff.layout(&req);
    let known = ["opened", "disabled", "enabled", "lockdown-on", "lockdown-off"];
    if let Some(done) = done.done.as_deref().filter(|d| known.contains(d)) {
        let message = layout.t(&format!("door-controls-done-{done}"));
        layout = layout.with_flash(message);
    }
    // The forms carry the CSRF token: nothing may cache the page.
    render(&page(layout, &staff, controls, None), StatusCode::OK)
}

/// `POST /console/hubs/{hub}/door-controls/{door}/open`
pub async fn open_door(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<(String, String)>,
    form: web::Form<OpenForm>,
) -> actix_web::Result<HttpResponse> {
    staff.require_csrf(&form.csrf_token)?;
    let (hub, door_id) = path.into_inner();
    let door_id = DoorId::new(door_id);
    let form = form.into_inner();
    let (scope, user_id, now) = (staff.scope.clone(), staff.user_id().clone(), state.clock.now());
    let (url_hub, door, reason) = (hub.clone(), door_id.clone(), form.reason.clone());
    let outcome = state
        .db(move |conn| {
            let staff = Staff { scope: &scope, user_id: &user_id };
            match service::open_door(conn, staff, &url_hub, &door, &reason, now) {
                Ok(_) => Ok(Ok(())),
                Err(CatalogError::Invalid(problems)) => Ok(Err(problems)),
                Err(CatalogError::Service(error)) => Err(error),
            }
        })
        .await
        .map_err(PageError::from)?;
    match outcome {
        Ok(()) => Ok(see_other(&format!("{}?done=opened", controls_url(&hub)))),
        Err(problems) => {
            let lang = staff.current.lang;
            let mut errors = FormErrors::default();
            for problem in problems {
                errors.add(problem.field, i18n::t(lang, &format!("door-controls-error-{}", problem.code)));
            }
            let controls = load(&state, &staff, hub).await?;
            let shown = page(staff.layout(&req), &staff, controls, Some((door_id, form.reason, errors)));
            Ok(render(&shown, StatusCode::UNPROCESSABLE_ENTITY)?)
        }
    }
}

/// Disables or enables a door, then back to the page.
async fn switch_door(
    state: &AppState,
    staff: &ConsoleUser,
    path: (String, String),
    csrf_token: &str,
    disabled: bool,
) -> actix_web::Result<HttpResponse> {
    staff.require_csrf(csrf_token)?;
    let (hub, door_id) = path;
    let door_id = DoorId::new(door_id);
    let (scope, user_id, now, url_hub) = (staff.scope.clone(), staff.user_id().clone(), state.clock.now(), hub.clone());
    state
        .db(move |conn| {
            let staff = Staff { scope: &scope, user_id: &user_id };
            service::set_door_disabled(conn, staff, &url_hub, &door_id, disabled, now)
        })
        .await
        .map_err(PageError::from)?;
    let done = if disabled { "disabled" } else { "enabled" };
    Ok(see_other(&format!("{}?done={done}", controls_url(&hub))))
}

/// `POST /console/hubs/{hub}/door-controls/{door}/disable`
pub async fn disable_door(
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<(String, String)>,
    form: web::Form<super::TokenOnly>,
) -> actix_web::Result<HttpResponse> {
    switch_door(&state, &staff, path.into_inner(), &form.csrf_token, true).await
}

/// `POST /console/hubs/{hub}/door-controls/{door}/enable`
pub async fn enable_door(
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<(String, String)>,
    form: web::Form<super::TokenOnly>,
) -> actix_web::Result<HttpResponse> {
    switch_door(&state, &staff, path.into_inner(), &form.csrf_token, false).await
}

/// `POST /console/hubs/{hub}/door-controls/lockdown` with `lockdown=on` or `off`.
pub async fn switch_lockdown(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<String>,
    form: web::Form<LockdownForm>,
) -> actix_web::Result<HttpResponse> {
    staff.require_csrf(&form.csrf_token)?;
    let lockdown = match form.lockdown.as_str() {
        "on" => true,
        "off" => false,
        _ => {
            // Only a broken or forged form sends anything else: the page again, saying why.
            let layout = staff.layout(&req);
            let message = layout.t("door-controls-error-lockdown-value");
            let controls = load(&state, &staff, path.into_inner()).await?;
            return Ok(render(
                &page(layout.with_flash(message), &staff, controls, None),
                StatusCode::UNPROCESSABLE_ENTITY,
            )?);
        }
    };
    let hub = path.into_inner();
    let (scope, user_id, now, url_hub) = (staff.scope.clone(), staff.user_id().clone(), state.clock.now(), hub.clone());
    state
        .db(move |tx| {
            let staff = Staff { scope: &scope, user_id: &user_id };
            service::set_lockdown(tx, staff, &url_hub, lockdown, now)
        })
        .await
        .map_err(PageError::from)?;
    let done = if lockdown { "lockdown-on" } else { "lockdown-off" };
    Ok(see_other(&format!("{}?done={done}", controls_url(&hub))))
}
