//! `/console/hubs/{hub}/sensors`: the hub's presence sensors — the registered ones and those the
//! bridge reports without being registered, the same list the dashboard reads — with their latest
//! reading and what a technician copies into the bridge's configuration; the form to add or
//! edit one, and removing one.

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
use crate::service::console::catalog::sensors::{self, HubSensor, SensorInput, SensorsOfHub};
use crate::state::AppState;
use crate::web::accounts::FormErrors;
use crate::web::console::ConsoleUser;
use crate::web::console::nav::ConsoleNav;
use crate::web::layout::Layout;

/// One sensor in the list.
struct SensorRow {
    /// `None` for a sensor the bridge reports that is not registered yet.
    id: Option<String>,
    name: String,
    space: String,
    /// What the bridge's `[[presence]] space = …` names.
    space_id: String,
    bridge: String,
    /// The latest reading with its time, or that none came yet.
    reading: String,
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
        spaces.extend(of_hub.spaces.iter().map(|s| (s.id.to_string(), s.name.clone())));
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

/// `?space_id=`: the space of a sensor the bridge reports, to register it.
#[derive(Debug, Deserialize)]
struct RegisterQuery {
    space_id: String,
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

fn rows(lang: Lang, of_hub: &SensorsOfHub, found: &[HubSensor]) -> Vec<SensorRow> {
    let tz = of_hub.hub.zone();
    found
        .iter()
        .map(|sensor| {
            let registered = sensor.registered.as_ref();
            let bridge = registered
                .and_then(|s| s.bridge_id.as_ref())
                .and_then(|id| of_hub.bridges.iter().find(|b| &b.id == id));
            let reading = match &sensor.latest {
                Some((presence, at)) => {
                    let word = match presence.as_str() {
                        "present" | "empty" => presence.as_str(),
                        _ => "unknown",
                    };
                    i18n::t_args(
                        lang,
                        "console-catalog-sensor-reading",
                        &[
                            ("state", i18n::t(lang, &format!("console-live-presence-{word}"))),
                            ("time", i18n::format_date_time(lang, *at, tz)),
                        ],
                    )
                }
                None => i18n::t(lang, "console-catalog-sensor-no-reading"),
            };
            SensorRow {
                id: registered.map(|s| s.id.clone()),
                name: registered
                    .map_or_else(|| i18n::t(lang, "console-catalog-sensor-unregistered"), |s| s.name.clone()),
                space: sensor.space.as_ref().map_or_else(|| "–".to_owned(), |s| s.name.clone()),
                space_id: sensor.space.as_ref().map(|s| s.id.to_string()).unwrap_or_default(),
                bridge: match (registered, bridge) {
                    (_, Some(bridge)) => bridge.name.clone(),
                    (Some(_), None) => i18n::t(lang, "console-catalog-no-bridge"),
                    (None, None) => i18n::t(lang, "console-catalog-sensor-bridge-reports"),
                },
                reading,
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
    let (of_hub, found) = load(&state, &staff, move |conn, staff| sensors::overview(conn, staff, &hub)).await?;
    let layout = done.flash(staff.layout(&req), &["created", "saved", "removed"]);
    let rows = rows(layout.lang, &of_hub, &found);
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
    /// A sensor's id is plain text: it is none of the id family's.
    type Id = String;
    const AREA: &'static str = "sensors";
    const CREATE: CreateFn<Self> = sensors::create;
    const UPDATE: UpdateFn<Self> = |tx, staff, hub, id, input, now| sensors::update(tx, staff, hub, id, input, now);

    type Context = SensorsOfHub;

    fn context(
        conn: &mut DbConn,
        staff: Staff<'_>,
        hub: &str,
        id: Option<&String>,
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

    fn prefilled(query: &str) -> Option<SensorInput> {
        let start = web::Query::<RegisterQuery>::from_query(query).ok()?.into_inner();
        Some(SensorInput { space_id: start.space_id, ..SensorInput::default() })
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
    const REMOVE: RemoveFn<Self> = |tx, staff, hub, id, now| sensors::remove(tx, staff, hub, id, now);
    const NAV_KEY: &'static str = "console-nav-sensors";

    fn name_of(conn: &mut DbConn, staff: Staff<'_>, hub: &str, id: &String) -> Result<(Hub, String), ServiceError> {
        sensors::find(conn, staff, hub, id).map(|(of_hub, sensor)| (of_hub.hub, sensor.name))
    }
}
