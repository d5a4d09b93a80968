//! `/console/hubs/{hub}/doors`: the hub's doors with their last reported state, the form to add
//! or edit one (its spaces, bridge and Modbus unit id), and removing one after a confirmation.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::items::{CreateFn, HubItem, RemovableItem, RemoveFn, UpdateFn};
use super::{Done, FormPairs, load, render};
use crate::db::DbConn;
use crate::db::catalog::{Door, Hub};
use crate::domain::ids::{DoorId, SpaceId};
use crate::i18n::{self, Lang};
use crate::service::ServiceError;
use crate::service::console::catalog::Staff;
use crate::service::console::catalog::doors::{self, DoorInput, DoorLine, DoorsOfHub};
use crate::state::AppState;
use crate::web::accounts::FormErrors;
use crate::web::console::ConsoleUser;
use crate::web::console::nav::ConsoleNav;
use crate::web::layout::Layout;

/// One door in the list.
struct DoorRow {
    id: DoorId,
    name: String,
    entrance: bool,
    spaces: String,
    bridge: String,
    unit_id: String,
    state: String,
    disabled: bool,
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
    id: SpaceId,
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
    door_id: Option<DoorId>,
    form: DoorInput,
    spaces: Vec<SpaceChoice>,
    bridges: Vec<(String, String)>,
    errors: FormErrors,
}

impl DoorFormPage {
    fn new(
        layout: Layout,
        staff: &ConsoleUser,
        of_hub: DoorsOfHub,
        door_id: Option<DoorId>,
        form: DoorInput,
        errors: FormErrors,
    ) -> Self {
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
            errors,
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
        disabled: line.disabled,
    }
}

impl From<FormPairs> for DoorInput {
    fn from(form: FormPairs) -> DoorInput {
        DoorInput {
            name: form.value("name"),
            is_entrance: form.has("is_entrance").then(|| "on".to_owned()),
            space_ids: form.values("space_ids").iter().map(|id| SpaceId::new(id.trim())).collect(),
            bridge_id: form.value("bridge_id"),
            modbus_unit_id: form.value("modbus_unit_id"),
        }
    }
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

/// The doors area: its forms and removal are served by [`items`](super::items).
pub struct Doors;

impl HubItem for Doors {
    type Form = FormPairs;
    type Input = DoorInput;
    type Item = Door;
    type Id = DoorId;
    const AREA: &'static str = "doors";
    const CREATE: CreateFn<Self> = doors::create;
    const UPDATE: UpdateFn<Self> = doors::update;

    type Context = DoorsOfHub;

    fn context(
        conn: &mut DbConn,
        staff: Staff<'_>,
        hub: &str,
        id: Option<&DoorId>,
    ) -> Result<(DoorsOfHub, Option<DoorInput>), ServiceError> {
        match id {
            Some(id) => doors::find(conn, staff, hub, id)
                .map(|(of_hub, line)| (of_hub, Some(DoorInput::of(&line.door, &line.space_ids)))),
            None => Ok((doors::list(conn, staff, hub)?, None)),
        }
    }

    fn blank() -> DoorInput {
        DoorInput::default()
    }

    fn page(
        layout: Layout,
        staff: &ConsoleUser,
        of_hub: DoorsOfHub,
        id: Option<DoorId>,
        form: DoorInput,
        errors: FormErrors,
    ) -> impl Template {
        DoorFormPage::new(layout, staff, of_hub, id, form, errors)
    }
}

impl RemovableItem for Doors {
    const REMOVE_KEYS: (&'static str, &'static str, &'static str) =
        ("console-catalog-door-remove-title", "console-catalog-door-remove-intro", "console-catalog-door-remove");
    const REMOVE: RemoveFn<Self> = doors::remove;
    const NAV_KEY: &'static str = "console-nav-doors";

    fn name_of(conn: &mut DbConn, staff: Staff<'_>, hub: &str, id: &DoorId) -> Result<(Hub, String), ServiceError> {
        doors::find(conn, staff, hub, id).map(|(of_hub, line)| (of_hub.hub, line.door.name))
    }
}
