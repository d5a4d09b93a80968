//! `/console/hubs/{hub}/sensors`: the hub's presence sensors with what a technician copies into
//! the bridge's configuration, the form to add or edit one, and removing one.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::items::{CreateFn, HubItem, RemovableItem, RemoveFn, TokenForm, UpdateFn};
use super::{Done, load, render};
use crate::db::DbConn;
use crate::db::catalog::Hub;
use crate::db::catalog_admin::Sensor;
use crate::i18n::{self, Lang};
use crate::service::ServiceError;
use crate::service::console::catalog::Staff;
use crate::service::console::catalog::sensors::{self, SensorInput, SensorsOfHub};
use crate::state::AppState;
use crate::web::accounts::FormErrors;
use crate::web::console::ConsoleUser;
use crate::web::console::nav::ConsoleNav;
use crate::web::layout::Layout;

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
        errors: FormErrors,
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
            errors,
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

impl TokenForm for SensorForm {
    fn csrf_token(&self) -> String {
        self.csrf_token.clone()
    }
}

impl From<SensorForm> for SensorInput {
    fn from(form: SensorForm) -> SensorInput {
        SensorInput { name: form.name, space_id: form.space_id, bridge_id: form.bridge_id }
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

/// The sensors area: its forms and removal are served by [`items`](super::items).
pub struct Sensors;

impl HubItem for Sensors {
    type Form = SensorForm;
    type Input = SensorInput;
    type Item = Sensor;
    const AREA: &'static str = "sensors";
    const CREATE: CreateFn<Self> = sensors::create;
    const UPDATE: UpdateFn<Self> = sensors::update;

    type Context = SensorsOfHub;

    fn context(
        conn: &mut DbConn,
        staff: Staff<'_>,
        hub: &str,
        id: Option<&str>,
    ) -> Result<(SensorsOfHub, Option<SensorInput>), ServiceError> {
        match id {
            Some(id) => {
                sensors::find(conn, staff, hub, id).map(|(of_hub, sensor)| (of_hub, Some(SensorInput::of(&sensor))))
            }
            None => Ok((sensors::list(conn, staff, hub)?, None)),
        }
    }

    fn blank() -> SensorInput {
        SensorInput::default()
    }

    fn page(
        layout: Layout,
        staff: &ConsoleUser,
        of_hub: SensorsOfHub,
        id: Option<String>,
        form: SensorInput,
        errors: FormErrors,
    ) -> impl Template {
        SensorFormPage::new(layout, staff, of_hub, id, form, errors)
    }
}

impl RemovableItem for Sensors {
    const REMOVE_KEYS: (&'static str, &'static str, &'static str) =
        ("console-catalog-sensor-remove-title", "console-catalog-sensor-remove-intro", "console-catalog-sensor-remove");
    const REMOVE: RemoveFn<Self> = sensors::remove;
    const NAV_KEY: &'static str = "console-nav-sensors";

    fn name_of(conn: &mut DbConn, staff: Staff<'_>, hub: &str, id: &str) -> Result<(Hub, String), ServiceError> {
        sensors::find(conn, staff, hub, id).map(|(of_hub, sensor)| (of_hub.hub, sensor.name))
    }
}
