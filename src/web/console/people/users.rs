//! `/console/users…`: finding people, one person's status and roles, giving and taking roles,
//! blocking and unblocking. Admins only; the service answers `NotFound` to everyone else.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::{error_status, refusal};
use crate::db::catalog::Hub;
use crate::domain::ids::UserId;
use crate::domain::local_time::DEFAULT_TIME_ZONE;
use crate::domain::vocabulary::RoleKind;
use crate::domain::vocabulary::UserStatus;
use crate::i18n::{self, Lang};
use crate::service::console::people::{self, RoleView, USERS_PER_PAGE, UserDetail};
use crate::service::from_db_time;
use crate::state::AppState;
use crate::web::accounts::{FormErrors, render};
use crate::web::console::ConsoleUser;
use crate::web::console::TokenOnly;
use crate::web::console::nav::ConsoleNav;
use crate::web::layout::Layout;
use crate::web::pages::bookings::url_encode;
use crate::web::pages::{PageError, see_other};

/// One person in the search results.
pub struct UserLine {
    pub id: UserId,
    pub name: String,
    pub email: String,
    pub status: UserStatus,
    pub status_label: String,
    pub roles: String,
}

#[derive(Template)]
#[template(path = "console/people/users.html")]
pub struct UsersPage {
    pub layout: Layout,
    pub nav: ConsoleNav,
    pub query: String,
    pub lines: Vec<UserLine>,
    pub summary: String,
    pub previous: Option<String>,
    pub next: Option<String>,
}

/// One role in the person's list.
pub struct RoleLine {
    pub id: String,
    pub label: String,
}

/// One choice of the "give a role" list.
pub struct RoleChoice {
    pub value: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "console/people/user.html")]
pub struct UserPage {
    pub layout: Layout,
    pub nav: ConsoleNav,
    pub id: UserId,
    pub name: String,
    pub email: String,
    pub status: UserStatus,
    pub status_label: String,
    pub blocked: bool,
    pub since: String,
    pub roles: Vec<RoleLine>,
    pub choices: Vec<RoleChoice>,
    pub chosen: String,
    pub errors: FormErrors,
}

/// The search form.
#[derive(Debug, Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    pub q: String,
    pub page: Option<i64>,
}

/// What a redirect may tell the person page.
#[derive(Debug, Deserialize)]
pub struct DoneQuery {
    pub done: Option<String>,
}

/// The "give a role" form.
#[derive(Debug, Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    pub csrf_token: String,
    #[serde(default)]
    pub role: String,
}

/// `GET /console/users?q=&page=`
pub async fn users_index(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    query: web::Query<SearchQuery>,
) -> Result<HttpResponse, PageError> {
    let query = query.into_inner();
    let scope = staff.scope.clone();
    let (needle, page) = (query.q.clone(), query.page.unwrap_or(1));
    let found = state.db(move |conn| people::search_users(conn, &scope, &needle, page)).await?;
    let layout = staff.layout(&req);
    let lang = layout.lang;
    let pages = (found.total + USERS_PER_PAGE - 1) / USERS_PER_PAGE;
    let link = |page: i64| format!("/console/users?q={}&page={page}", url_encode(&query.q));
    let page = UsersPage {
        nav: ConsoleNav::general(true, "users"),
        summary: i18n::t_args(
            lang,
            "console-people-users-found",
            &[
                ("count", found.total.to_string()),
                ("page", found.page.to_string()),
                ("pages", pages.max(1).to_string()),
            ],
        ),
        previous: (found.page > 1).then(|| link(found.page - 1)),
        next: (found.page < pages).then(|| link(found.page + 1)),
        lines: found
            .users
            .into_iter()
            .map(|u| UserLine {
                status_label: status_label(lang, u.user.status),
                roles: u.roles.iter().map(|r| role_label(lang, r)).collect::<Vec<_>>().join(", "),
                id: u.user.id,
                name: u.user.name,
                email: u.user.email,
                status: u.user.status,
            })
            .collect(),
        query: query.q,
        layout,
    };
    render(&page, StatusCode::OK)
}

/// `GET /console/users/{id}`
pub async fn user_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<UserId>,
    query: web::Query<DoneQuery>,
) -> Result<HttpResponse, PageError> {
    let mut layout = staff.layout(&req);
    if let Some(done) = query.done.as_deref().filter(|d| DONE.contains(d)) {
        let message = layout.t(&format!("console-people-user-done-{done}"));
        layout = layout.with_flash(message);
    }
    show_user(&state, &staff, layout, path.into_inner(), FormErrors::default(), String::new(), StatusCode::OK).await
}

/// The flashes a redirect to the person page may ask for.
const DONE: [&str; 4] = ["role-added", "role-removed", "blocked", "unblocked"];

/// `POST /console/users/{id}/roles`
pub async fn add_role(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<UserId>,
    form: web::Form<RoleForm>,
) -> Result<HttpResponse, actix_web::Error> {
    staff.require_csrf(&form.csrf_token)?;
    let user_id = path.into_inner();
    let (scope, actor, id, role) = (staff.scope.clone(), staff.user_id().clone(), user_id.clone(), form.role.clone());
    let now = state.clock.now();
    let outcome = state.db(move |conn| people::add_role(conn, &scope, &actor, &id, &role, now)).await;
    after_change(&req, &state, &staff, user_id, outcome, "role-added", form.into_inner().role, |f| f).await
}

/// `POST /console/users/{id}/roles/{role}/remove`
pub async fn remove_role(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<(String, String)>,
    form: web::Form<TokenOnly>,
) -> Result<HttpResponse, actix_web::Error> {
    staff.require_csrf(&form.csrf_token)?;
    let (user_id, role_id) = path.into_inner();
    let user_id = UserId::new(user_id);
    let (scope, actor, id) = (staff.scope.clone(), staff.user_id().clone(), user_id.clone());
    let now = state.clock.now();
    let outcome = state.db(move |conn| people::remove_role(conn, &scope, &actor, &id, &role_id, now)).await;
    // The refusal belongs next to the list of roles, not to the "give a role" field.
    let field = |f: &'static str| if f == "role" { "roles" } else { f };
    after_change(&req, &state, &staff, user_id, outcome, "role-removed", String::new(), field).await
}

/// `POST /console/users/{id}/block` and `…/unblock`
pub async fn block_or_unblock(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<(String, String)>,
    form: web::Form<TokenOnly>,
) -> Result<HttpResponse, actix_web::Error> {
    staff.require_csrf(&form.csrf_token)?;
    let (user_id, change) = path.into_inner();
    let user_id = UserId::new(user_id);
    let block = change == "block";
    let (scope, actor, id) = (staff.scope.clone(), staff.user_id().clone(), user_id.clone());
    let now = state.clock.now();
    let outcome = state
        .db(move |conn| {
            if block {
                people::block_user(conn, &scope, &actor, &id, now)
            } else {
                people::unblock_user(conn, &scope, &actor, &id, now)
            }
        })
        .await;
    let done = if block { "blocked" } else { "unblocked" };
    after_change(&req, &state, &staff, user_id, outcome, done, String::new(), |f| f).await
}

/// Back to the person page with a flash, or the page again with the refusal next to `field(f)`.
#[allow(clippy::too_many_arguments, reason = "the change's outcome plus what the page needs to show it")]
async fn after_change(
    req: &HttpRequest,
    state: &AppState,
    staff: &ConsoleUser,
    user_id: UserId,
    outcome: Result<(), crate::service::ServiceError>,
    done: &str,
    chosen: String,
    field: impl Fn(&'static str) -> &'static str,
) -> Result<HttpResponse, actix_web::Error> {
    let layout = staff.layout(req);
    let mut errors = FormErrors::default();
    let conflict = match outcome {
        Ok(()) => return Ok(see_other(&format!("/console/users/{user_id}?done={done}"))),
        Err(error) => refusal(layout.lang, error, &mut errors)?,
    };
    errors.0.iter_mut().for_each(|e| e.field = field(e.field));
    Ok(show_user(state, staff, layout, user_id, errors, chosen, error_status(conflict)).await?)
}

async fn show_user(
    state: &AppState,
    staff: &ConsoleUser,
    layout: Layout,
    user_id: UserId,
    errors: FormErrors,
    chosen: String,
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let scope = staff.scope.clone();
    let detail = state.db(move |conn| people::user_detail(conn, &scope, &user_id)).await?;
    render(&user_page_of(layout, detail, errors, chosen), status)
}

fn user_page_of(layout: Layout, detail: UserDetail, errors: FormErrors, chosen: String) -> UserPage {
    let lang = layout.lang;
    let user = detail.user;
    let mut choices = vec![
        RoleChoice { value: "member".into(), label: i18n::t(lang, "console-people-role-member") },
        RoleChoice { value: "admin".into(), label: i18n::t(lang, "console-people-role-admin") },
    ];
    choices.extend(
        detail
            .hubs
            .iter()
            .map(|hub| RoleChoice { value: format!("manager:{}", hub.id), label: manager_label(lang, Some(hub)) }),
    );
    UserPage {
        nav: ConsoleNav::general(true, "users"),
        since: i18n::format_date(lang, from_db_time(user.created_at).with_timezone(&DEFAULT_TIME_ZONE).date_naive()),
        roles: detail.roles.iter().map(|r| RoleLine { id: r.id.clone(), label: role_label(lang, r) }).collect(),
        status_label: status_label(lang, user.status),
        blocked: user.status == UserStatus::Blocked,
        id: user.id,
        name: user.name,
        email: user.email,
        status: user.status,
        choices,
        chosen,
        errors,
        layout,
    }
}

fn status_label(lang: Lang, status: UserStatus) -> String {
    i18n::t(lang, &format!("console-people-status-{status}"))
}

fn role_label(lang: Lang, role: &RoleView) -> String {
    match role.role {
        RoleKind::HubManager => manager_label(lang, role.hub.as_ref()),
        other => i18n::t(lang, &format!("console-people-role-{other}")),
    }
}

fn manager_label(lang: Lang, hub: Option<&Hub>) -> String {
    let name = hub.map_or_else(|| "?".to_owned(), |h| h.name.clone());
    i18n::t_args(lang, "console-people-role-hub_manager", &[("hub", name)])
}
