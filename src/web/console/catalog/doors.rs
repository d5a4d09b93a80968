//! `/console/hubs/{hub}/doors`: the hub's doors with their last reported state, the form to add
//! or edit one (its spaces, bridge and Modbus unit id), and removing one after a confirmation.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::{ConfirmPage, Done, FormPairs, TokenOnly, load, render, run, status_of};
use crate::db::catalog::Hub;
use crate::i18n::{self, Lang};
use crate::service::console::catalog::doors::{self, DoorInput, DoorLine, DoorsOfHub};
use crate::state::AppState;
use crate::web::accounts::FormErrors;
use crate::web::console::ConsoleUser;
use crate::web::console::nav::ConsoleNav;
use crate::web::layout::Layout;
use crate::web::pages::see_other;

/// One door in the list.
struct DoorRow {
    id: String,
    name: String,
    entrance: bool,
    spaces: String,
    bridge: String,
    unit_id: String,
    state: String,
}

#[derive(Template)]
#[template(path = "console/catalog/doors.html")]
struct DoorsPage {
    layout: Layout,
    nav: ConsoleNav,
    hub: Hub,
    rows: Vec<DoorRow>,
}

/// A space to tick in the door form.
struct SpaceChoice {
    id: String,
    name: String,
    checked: bool,
}

#[derive(Template)]
#[template(path = "console/catalog/door_form.html")]
struct DoorFormPage {
    layout: Layout,
    nav: ConsoleNav,
    hub: Hub,
    /// `None` for a new door.
    door_id: Option<String>,
    form: DoorInput,
    spaces: Vec<SpaceChoice>,
    bridges: Vec<(String, String)>,
    errors: FormErrors,
}

impl DoorFormPage {
    fn new(layout: Layout, staff: &ConsoleUser, of_hub: DoorsOfHub, door_id: Option<String>, form: DoorInput) -> Self {
        let spaces = of_hub
            .spaces
            .iter()
            .map(|s| SpaceChoice { id: s.id.clone(), name: s.name.clone(), checked: form.space_ids.contains(&s.id) })
            .collect();
        let mut bridges = vec![(String::new(), layout.t("console-catalog-no-bridge"))];
        bridges.extend(of_hub.bridges.iter().map(|b| (b.id.clone(), b.name.clone())));
        DoorFormPage {
            nav: ConsoleNav::hub(&of_hub.hub, staff.scope.is_admin(), "doors"),
            layout,
            hub: of_hub.hub,
            door_id,
            form,
            spaces,
            bridges,
            errors: FormErrors::default(),
        }
    }
}

fn row(lang: Lang, of_hub: &DoorsOfHub, line: &DoorLine) -> DoorRow {
    let spaces: Vec<&str> =
        of_hub.spaces.iter().filter(|s| line.space_ids.contains(&s.id)).map(|s| s.name.as_str()).collect();
    let bridge = line.door.bridge_id.as_ref().and_then(|id| of_hub.bridges.iter().find(|b| &b.id == id));
    DoorRow {
        id: line.door.id.clone(),
        name: line.door.name.clone(),
        entrance: line.door.is_entrance,
        spaces: spaces.join(", "),
        bridge: bridge.map_or_else(|| i18n::t(lang, "console-catalog-no-bridge"), |b| b.name.clone()),
        unit_id: line.door.modbus_unit_id.map(|u| u.to_string()).unwrap_or_else(|| "–".to_owned()),
        state: i18n::t(lang, &format!("console-catalog-door-state-{}", line.state.as_deref().unwrap_or("none"))),
    }
}

fn input_of(form: &FormPairs) -> DoorInput {
    DoorInput {
        name: form.value("name"),
        is_entrance: form.has("is_entrance").then(|| "on".to_owned()),
        space_ids: form.values("space_ids"),
        bridge_id: form.value("bridge_id"),
        modbus_unit_id: form.value("modbus_unit_id"),
    }
}

fn doors_url(hub: &str) -> String {
    format!("/console/hubs/{hub}/doors")
}

/// `GET /console/hubs/{hub}/doors`
pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<String>,
    done: web::Query<Done>,
) -> actix_web::Result<HttpResponse> {
    let hub = path.into_inner();
    let of_hub = load(&state, &staff, move |conn, staff| doors::list(conn, staff, &hub)).await?;
    let layout = done.flash(staff.layout(&req), &["created", "saved", "removed"]);
    let rows = of_hub.doors.iter().map(|line| row(layout.lang, &of_hub, line)).collect();
    let page =
        DoorsPage { nav: ConsoleNav::hub(&of_hub.hub, staff.scope.is_admin(), "doors"), layout, hub: of_hub.hub, rows };
    Ok(render(&page, StatusCode::OK)?)
}

/// `GET /console/hubs/{hub}/doors/new`
pub async fn new_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<String>,
) -> actix_web::Result<HttpResponse> {
    let hub = path.into_inner();
    let of_hub = load(&state, &staff, move |conn, staff| doors::list(conn, staff, &hub)).await?;
    let page = DoorFormPage::new(staff.layout(&req), &staff, of_hub, None, DoorInput::default());
    Ok(render(&page, StatusCode::OK)?)
}

/// `POST /console/hubs/{hub}/doors/new`
pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<String>,
    form: web::Form<FormPairs>,
) -> actix_web::Result<HttpResponse> {
    staff.require_csrf(&form.value("csrf_token"))?;
    let (hub, input, now) = (path.into_inner(), input_of(&form), state.clock.now());
    let (url_hub, attempt) = (hub.clone(), input.clone());
    match run(&state, &staff, move |conn, staff| doors::create(conn, staff, &url_hub, &attempt, now)).await? {
        Ok(_) => Ok(see_other(&format!("{}?done=created", doors_url(&hub)))),
        Err(errors) => {
            let of_hub = load(&state, &staff, move |conn, staff| doors::list(conn, staff, &hub)).await?;
            let mut page = DoorFormPage::new(staff.layout(&req), &staff, of_hub, None, input);
            page.errors = errors;
            Ok(render(&page, status_of(&page.errors))?)
        }
    }
}

/// `GET /console/hubs/{hub}/doors/{id}`
pub async fn edit_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<(String, String)>,
) -> actix_web::Result<HttpResponse> {
    let (hub, door_id) = path.into_inner();
    let (of_hub, line) = load(&state, &staff, move |conn, staff| doors::find(conn, staff, &hub, &door_id)).await?;
    let form = DoorInput::of(&line.door, &line.space_ids);
    let page = DoorFormPage::new(staff.layout(&req), &staff, of_hub, Some(line.door.id), form);
    Ok(render(&page, StatusCode::OK)?)
}

/// `POST /console/hubs/{hub}/doors/{id}`
pub async fn update(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<(String, String)>,
    form: web::Form<FormPairs>,
) -> actix_web::Result<HttpResponse> {
    staff.require_csrf(&form.value("csrf_token"))?;
    let ((hub, door_id), input, now) = (path.into_inner(), input_of(&form), state.clock.now());
    let (url_hub, id, attempt) = (hub.clone(), door_id.clone(), input.clone());
    match run(&state, &staff, move |conn, staff| doors::update(conn, staff, &url_hub, &id, &attempt, now)).await? {
        Ok(_) => Ok(see_other(&format!("{}?done=saved", doors_url(&hub)))),
        Err(errors) => {
            let (of_hub, line) =
                load(&state, &staff, move |conn, staff| doors::find(conn, staff, &hub, &door_id)).await?;
            let mut page = DoorFormPage::new(staff.layout(&req), &staff, of_hub, Some(line.door.id), input);
            page.errors = errors;
            Ok(render(&page, status_of(&page.errors))?)
        }
    }
}

/// `GET /console/hubs/{hub}/doors/{id}/remove`
pub async fn confirm_remove(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<(String, String)>,
) -> actix_web::Result<HttpResponse> {
    let (hub, door_id) = path.into_inner();
    let (of_hub, line) = load(&state, &staff, move |conn, staff| doors::find(conn, staff, &hub, &door_id)).await?;
    let layout = staff.layout(&req);
    let hub = of_hub.hub;
    let page = ConfirmPage {
        title: layout.t1("console-catalog-door-remove-title", "name", &line.door.name),
        message: vec![layout.t("console-catalog-door-remove-intro")],
        action: format!("{}/{}/remove", doors_url(&hub.slug), line.door.id),
        button: layout.t("console-catalog-door-remove"),
        back: doors_url(&hub.slug),
        back_label: layout.t("console-nav-doors"),
        nav: ConsoleNav::hub(&hub, staff.scope.is_admin(), "doors"),
        layout,
    };
    Ok(render(&page, StatusCode::OK)?)
}

/// `POST /console/hubs/{hub}/doors/{id}/remove`
pub async fn remove(
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<(String, String)>,
    form: web::Form<TokenOnly>,
) -> actix_web::Result<HttpResponse> {
    staff.require_csrf(&form.csrf_token)?;
    let ((hub, door_id), now) = (path.into_inner(), state.clock.now());
    let url_hub = hub.clone();
    load(&state, &staff, move |conn, staff| doors::remove(conn, staff, &url_hub, &door_id, now)).await?;
    Ok(see_other(&format!("{}?done=removed", doors_url(&hub))))
}
