//! `/console/hubs/{hub}/bridges`: the hub's bridges (created, last seen, token rotated), creating
//! one and rotating its token. A new token is shown once, in the answer to the form itself
//! (never in a redirect or a URL), and the answer is not cached.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::NaiveDateTime;
use serde::Deserialize;

use super::{ConfirmPage, load, render, run, status_of};
use crate::db::access::Bridge;
use crate::db::catalog::Hub;
use crate::i18n::{self, Lang};
use crate::service::console::catalog::bridges::{self, BridgeToken};
use crate::service::from_db_time;
use crate::state::AppState;
use crate::web::accounts::FormErrors;
use crate::web::console::ConsoleUser;
use crate::web::console::TokenOnly;
use crate::web::console::nav::ConsoleNav;
use crate::web::layout::Layout;
use crate::web::pages::hubs::zone;

/// One bridge in the list.
struct BridgeRow {
    id: String,
    name: String,
    created: String,
    last_seen: String,
    rotated: String,
}

#[derive(Template)]
#[template(path = "console/catalog/bridges.html")]
struct BridgesPage {
    layout: Layout,
    nav: ConsoleNav,
    hub: Hub,
    rows: Vec<BridgeRow>,
    name: String,
    errors: FormErrors,
}

#[derive(Template)]
#[template(path = "console/catalog/bridge_token.html")]
struct TokenPage {
    layout: Layout,
    nav: ConsoleNav,
    hub: Hub,
    bridge_name: String,
    /// Shown this once.
    token: String,
    rotated: bool,
}

/// The submitted "create bridge" form.
#[derive(Debug, Deserialize)]
pub struct BridgeForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    name: String,
}

fn rows(lang: Lang, hub: &Hub, bridges: &[Bridge]) -> Vec<BridgeRow> {
    let tz = zone(&hub.time_zone);
    let when = |at: Option<NaiveDateTime>| {
        at.map_or_else(
            || i18n::t(lang, "console-catalog-never"),
            |at| i18n::format_date_time(lang, from_db_time(at), tz),
        )
    };
    bridges
        .iter()
        .map(|b| BridgeRow {
            id: b.id.clone(),
            name: b.name.clone(),
            created: when(Some(b.created_at)),
            last_seen: when(b.last_seen_at),
            rotated: when(b.rotated_at),
        })
        .collect()
}

fn bridges_url(hub: &str) -> String {
    format!("/console/hubs/{hub}/bridges")
}

/// The list of the hub in the path with the create form as typed.
async fn list_page(
    req: &HttpRequest,
    state: &AppState,
    staff: &ConsoleUser,
    hub: String,
    name: String,
    errors: FormErrors,
) -> actix_web::Result<HttpResponse> {
    let (hub, bridges) = load(state, staff, move |conn, staff| bridges::list(conn, staff, &hub)).await?;
    let layout = staff.layout(req);
    let page = BridgesPage {
        nav: ConsoleNav::hub(&hub, staff.scope.is_admin(), "bridges"),
        rows: rows(layout.lang, &hub, &bridges),
        layout,
        hub,
        name,
        errors,
    };
    Ok(render(&page, status_of(&page.errors))?)
}

fn token_page(
    req: &HttpRequest,
    staff: &ConsoleUser,
    hub: Hub,
    bridge: &Bridge,
    token: BridgeToken,
    rotated: bool,
) -> actix_web::Result<HttpResponse> {
    let page = TokenPage {
        layout: staff.layout(req),
        nav: ConsoleNav::hub(&hub, staff.scope.is_admin(), "bridges"),
        hub,
        bridge_name: bridge.name.clone(),
        token: token.0,
        rotated,
    };
    Ok(render(&page, StatusCode::OK)?)
}

/// `GET /console/hubs/{hub}/bridges`
pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<String>,
) -> actix_web::Result<HttpResponse> {
    list_page(&req, &state, &staff, path.into_inner(), String::new(), FormErrors::default()).await
}

/// `POST /console/hubs/{hub}/bridges`: creates a bridge and shows its token once.
pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<String>,
    form: web::Form<BridgeForm>,
) -> actix_web::Result<HttpResponse> {
    staff.require_csrf(&form.csrf_token)?;
    let (hub, name, now) = (path.into_inner(), form.into_inner().name, state.clock.now());
    let (url_hub, attempt) = (hub.clone(), name.clone());
    match run(&state, &staff, move |conn, staff| bridges::create(conn, staff, &url_hub, &attempt, now)).await? {
        Ok((hub, bridge, token)) => token_page(&req, &staff, hub, &bridge, token, false),
        Err(errors) => list_page(&req, &state, &staff, hub, name, errors).await,
    }
}

/// `GET /console/hubs/{hub}/bridges/{id}/rotate`
pub async fn confirm_rotate(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<(String, String)>,
) -> actix_web::Result<HttpResponse> {
    let (hub, bridge_id) = path.into_inner();
    let (hub, bridge) = load(&state, &staff, move |conn, staff| bridges::find(conn, staff, &hub, &bridge_id)).await?;
    let layout = staff.layout(&req);
    let page = ConfirmPage {
        title: layout.t1("console-catalog-bridge-rotate-title", "name", &bridge.name),
        message: vec![layout.t("console-catalog-bridge-rotate-intro")],
        action: format!("{}/{}/rotate", bridges_url(&hub.slug), bridge.id),
        button: layout.t("console-catalog-bridge-rotate"),
        back: bridges_url(&hub.slug),
        back_label: layout.t("console-nav-bridges"),
        nav: ConsoleNav::hub(&hub, staff.scope.is_admin(), "bridges"),
        layout,
    };
    Ok(render(&page, StatusCode::OK)?)
}

/// `POST /console/hubs/{hub}/bridges/{id}/rotate`: the new token, shown once.
pub async fn rotate(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<(String, String)>,
    form: web::Form<TokenOnly>,
) -> actix_web::Result<HttpResponse> {
    staff.require_csrf(&form.csrf_token)?;
    let ((hub, bridge_id), now) = (path.into_inner(), state.clock.now());
    let (hub, bridge, token) =
        load(&state, &staff, move |conn, staff| bridges::rotate(conn, staff, &hub, &bridge_id, now)).await?;
    token_page(&req, &staff, hub, &bridge, token, true)
}
