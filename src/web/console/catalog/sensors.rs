//! `/console/hubs/{hub}/sensors`: the hub's presence sensors with what a technician copies into
//! the bridge's configuration, the form to add or edit one, and removing one.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::{ConfirmPage, Done, TokenOnly, load, render, run, status_of};
use crate::db::catalog::Hub;
use crate::i18n::{self, Lang};
use crate::service::console::catalog::sensors::{self, SensorInput, SensorsOfHub};
use crate::state::AppState;
use crate::web::accounts::FormErrors;
use crate::web::console::ConsoleUser;
use crate::web::console::nav::ConsoleNav;
use crate::web::layout::Layout;
use crate::web::pages::see_other;

/// One sensor in the list.
struct SensorRow {
    id: String,
    name: String,
    space: String,
    /// What the bridge's `[[presence]] space = …` names.
    space_id: String,
    bridge: String,
}

#[derive(Template)]
#[template(path = "console/catalog/sensors.html")]
struct SensorsPage {
    layout: Layout,
    nav: ConsoleNav,
    hub: Hub,
    rows: Vec<SensorRow>,
}

#[derive(Template)]
#[template(path = "console/catalog/sensor_form.html")]
struct SensorFormPage {
    layout: Layout,
    nav: ConsoleNav,
    hub: Hub,
    /// `None` for a new sensor.
    sensor_id: Option<String>,
    form: SensorInput,
    spaces: Vec<(String, String)>,
    bridges: Vec<(String, String)>,
    errors: FormErrors,
}

impl SensorFormPage {
    fn new(
        layout: Layout,
        staff: &ConsoleUser,
        of_hub: SensorsOfHub,
        sensor_id: Option<String>,
        form: SensorInput,
    ) -> Self {
        let mut spaces = vec![(String::new(), layout.t("console-catalog-choose"))];
        spaces.extend(of_hub.spaces.iter().map(|s| (s.id.clone(), s.name.clone())));
        let mut bridges = vec![(String::new(), layout.t("console-catalog-no-bridge"))];
        bridges.extend(of_hub.bridges.iter().map(|b| (b.id.clone(), b.name.clone())));
        SensorFormPage {
            nav: ConsoleNav::hub(&of_hub.hub, staff.scope.is_admin(), "sensors"),
            layout,
            hub: of_hub.hub,
            sensor_id,
            form,
            spaces,
            bridges,
            errors: FormErrors::default(),
        }
    }
}

/// The submitted sensor form.
#[derive(Debug, Deserialize)]
pub struct SensorForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    space_id: String,
    #[serde(default)]
    bridge_id: String,
}

impl SensorForm {
    fn input(self) -> SensorInput {
        SensorInput { name: self.name, space_id: self.space_id, bridge_id: self.bridge_id }
    }
}

fn rows(lang: Lang, of_hub: &SensorsOfHub) -> Vec<SensorRow> {
    of_hub
        .sensors
        .iter()
        .map(|sensor| {
            let space = sensor.space_id.as_ref().and_then(|id| of_hub.spaces.iter().find(|s| &s.id == id));
            let bridge = sensor.bridge_id.as_ref().and_then(|id| of_hub.bridges.iter().find(|b| &b.id == id));
            SensorRow {
                id: sensor.id.clone(),
                name: sensor.name.clone(),
                space: space.map_or_else(|| "–".to_owned(), |s| s.name.clone()),
                space_id: space.map(|s| s.id.clone()).unwrap_or_default(),
                bridge: bridge.map_or_else(|| i18n::t(lang, "console-catalog-no-bridge"), |b| b.name.clone()),
            }
        })
        .collect()
}

fn sensors_url(hub: &str) -> String {
    format!("/console/hubs/{hub}/sensors")
}

/// `GET /console/hubs/{hub}/sensors`
pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<String>,
    done: web::Query<Done>,
) -> actix_web::Result<HttpResponse> {
    let hub = path.into_inner();
    let of_hub = load(&state, &staff, move |conn, staff| sensors::list(conn, staff, &hub)).await?;
    let layout = done.flash(staff.layout(&req), &["created", "saved", "removed"]);
    let rows = rows(layout.lang, &of_hub);
    let page = SensorsPage {
        nav: ConsoleNav::hub(&of_hub.hub, staff.scope.is_admin(), "sensors"),
        layout,
        hub: of_hub.hub,
        rows,
    };
    Ok(render(&page, StatusCode::OK)?)
}

/// `GET /console/hubs/{hub}/sensors/new`
pub async fn new_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<String>,
) -> actix_web::Result<HttpResponse> {
    let hub = path.into_inner();
    let of_hub = load(&state, &staff, move |conn, staff| sensors::list(conn, staff, &hub)).await?;
    let page = SensorFormPage::new(staff.layout(&req), &staff, of_hub, None, SensorInput::default());
    Ok(render(&page, StatusCode::OK)?)
}

/// `POST /console/hubs/{hub}/sensors/new`
pub async fn create(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<String>,
    form: web::Form<SensorForm>,
) -> actix_web::Result<HttpResponse> {
    staff.require_csrf(&form.csrf_token)?;
    let (hub, input, now) = (path.into_inner(), form.into_inner().input(), state.clock.now());
    let (url_hub, attempt) = (hub.clone(), input.clone());
    match run(&state, &staff, move |conn, staff| sensors::create(conn, staff, &url_hub, &attempt, now)).await? {
        Ok(_) => Ok(see_other(&format!("{}?done=created", sensors_url(&hub)))),
        Err(errors) => {
            let of_hub = load(&state, &staff, move |conn, staff| sensors::list(conn, staff, &hub)).await?;
            let mut page = SensorFormPage::new(staff.layout(&req), &staff, of_hub, None, input);
            page.errors = errors;
            Ok(render(&page, status_of(&page.errors))?)
        }
    }
}

/// `GET /console/hubs/{hub}/sensors/{id}`
pub async fn edit_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<(String, String)>,
) -> actix_web::Result<HttpResponse> {
    let (hub, sensor_id) = path.into_inner();
    let (of_hub, sensor) =
        load(&state, &staff, move |conn, staff| sensors::find(conn, staff, &hub, &sensor_id)).await?;
    let form = SensorInput::of(&sensor);
    let page = SensorFormPage::new(staff.layout(&req), &staff, of_hub, Some(sensor.id), form);
    Ok(render(&page, StatusCode::OK)?)
}

/// `POST /console/hubs/{hub}/sensors/{id}`
pub async fn update(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<(String, String)>,
    form: web::Form<SensorForm>,
) -> actix_web::Result<HttpResponse> {
    staff.require_csrf(&form.csrf_token)?;
    let ((hub, sensor_id), input, now) = (path.into_inner(), form.into_inner().input(), state.clock.now());
    let (url_hub, id, attempt) = (hub.clone(), sensor_id.clone(), input.clone());
    match run(&state, &staff, move |conn, staff| sensors::update(conn, staff, &url_hub, &id, &attempt, now)).await? {
        Ok(_) => Ok(see_other(&format!("{}?done=saved", sensors_url(&hub)))),
        Err(errors) => {
            let (of_hub, sensor) =
                load(&state, &staff, move |conn, staff| sensors::find(conn, staff, &hub, &sensor_id)).await?;
            let mut page = SensorFormPage::new(staff.layout(&req), &staff, of_hub, Some(sensor.id), input);
            page.errors = errors;
            Ok(render(&page, status_of(&page.errors))?)
        }
    }
}

/// `GET /console/hubs/{hub}/sensors/{id}/remove`
pub async fn confirm_remove(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<(String, String)>,
) -> actix_web::Result<HttpResponse> {
    let (hub, sensor_id) = path.into_inner();
    let (of_hub, sensor) =
        load(&state, &staff, move |conn, staff| sensors::find(conn, staff, &hub, &sensor_id)).await?;
    let layout = staff.layout(&req);
    let hub = of_hub.hub;
    let page = ConfirmPage {
        title: layout.t1("console-catalog-sensor-remove-title", "name", &sensor.name),
        message: vec![layout.t("console-catalog-sensor-remove-intro")],
        action: format!("{}/{}/remove", sensors_url(&hub.slug), sensor.id),
        button: layout.t("console-catalog-sensor-remove"),
        back: sensors_url(&hub.slug),
        back_label: layout.t("console-nav-sensors"),
        nav: ConsoleNav::hub(&hub, staff.scope.is_admin(), "sensors"),
        layout,
    };
    Ok(render(&page, StatusCode::OK)?)
}

/// `POST /console/hubs/{hub}/sensors/{id}/remove`
pub async fn remove(
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<(String, String)>,
    form: web::Form<TokenOnly>,
) -> actix_web::Result<HttpResponse> {
    staff.require_csrf(&form.csrf_token)?;
    let ((hub, sensor_id), now) = (path.into_inner(), state.clock.now());
    let url_hub = hub.clone();
    load(&state, &staff, move |conn, staff| sensors::remove(conn, staff, &url_hub, &sensor_id, now)).await?;
    Ok(see_other(&format!("{}?done=removed", sensors_url(&hub))))
}
