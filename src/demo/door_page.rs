//! Web level: the demo's door pages, registered only by `regiohub demo`: `/demo` lists the demo
//! hub's doors with their Modbus unit ids and a presence switch per space; `/demo/door/{door}` is
//! a door's keypad. A PIN typed there reaches the in-process bridge through a simulated door
//! controller over Modbus (`super::door_loop`), and the page shows the bridge's answer, the lock
//! relay and the door contact as the simulated devices report them; a card UID held to the reader
//! (`/demo/door/{door}/card`) goes the same way. Both pages say when the hub is in lockdown or
//! a door is disabled (door controls in the console). No rule is decided here.

use std::sync::{Arc, PoisonError, RwLock};

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::card::DEMO_CARD_UID;
use super::door_loop::{DemoSite, KeypadAnswer, KeypadEntry};
use crate::domain::ids::{DoorId, SpaceId};
use crate::service::door_controls;
use crate::state::AppState;
use crate::web::accounts::render;
use crate::web::console::door_controls::lockdown_banner;
use crate::web::layout::Layout;
use crate::web::pages::{PageError, see_other};
use crate::web::session::MaybeUser;

/// The page keeps refreshing itself this long after a grant, so the door is seen opening.
const WATCH_AFTER_GRANT_S: i64 = 8;

/// Where the pages find the running demo site; they answer 404 until it is installed.
#[derive(Clone, Default)]
pub struct DemoDoorSlot(Arc<RwLock<Option<DemoSite>>>);

impl DemoDoorSlot {
    /// Hands the running site to the pages.
    pub fn install(&self, site: DemoSite) {
        *self.0.write().unwrap_or_else(PoisonError::into_inner) = Some(site);
    }

    fn site(&self) -> Result<DemoSite, PageError> {
        self.0.read().unwrap_or_else(PoisonError::into_inner).clone().ok_or(PageError::NotFound)
    }
}

/// The demo routes, for `Application::with_routes`.
pub fn routes(slot: DemoDoorSlot) -> impl Fn(&mut web::ServiceConfig) + Clone + Send + 'static {
    move |cfg: &mut web::ServiceConfig| {
        cfg.service(
            web::scope("/demo")
                .app_data(web::Data::new(slot.clone()))
                .route("", web::get().to(index))
                .service(web::resource("/door/{door}").route(web::get().to(door)).route(web::post().to(enter_pin)))
                .route("/door/{door}/card", web::post().to(present_card))
                .route("/presence/{space}", web::post().to(set_presence)),
        );
    }
}

/// A door on the index.
pub struct DoorLink {
    pub id: DoorId,
    pub name: String,
    pub unit_id: u8,
    /// A manager disabled the door in the console.
    pub disabled: bool,
}

/// A space's presence switch.
pub struct PresenceSwitch {
    pub id: SpaceId,
    pub name: String,
    pub present: bool,
    pub state_text: String,
    pub button_text: String,
}

#[derive(Template)]
#[template(path = "demo/index.html")]
pub struct DemoIndexPage {
    pub layout: Layout,
    pub hub: String,
    pub modbus: String,
    /// "In lockdown since …" while the hub is.
    pub lockdown: Option<String>,
    pub doors: Vec<DoorLink>,
    pub spaces: Vec<PresenceSwitch>,
}

#[derive(Template)]
#[template(path = "demo/door.html")]
pub struct DemoDoorPage {
    pub layout: Layout,
    pub door: DoorLink,
    /// Where the door's controller reaches the bridge, in words.
    pub controller_at: String,
    /// The last answer in words, whether it was a grant, and when.
    pub answer: Option<(String, bool, String)>,
    pub lock_released: bool,
    pub lock_text: String,
    pub open: bool,
    pub contact_text: String,
    /// Refresh every second while something moves.
    pub refresh: bool,
    pub pin_error: Option<String>,
    /// "In lockdown since …" while the hub is.
    pub lockdown: Option<String>,
    /// The UID the card form offers: the demo member's card.
    pub card_uid: String,
    pub card_error: Option<String>,
}

/// `GET /demo`
pub async fn index(
    req: HttpRequest,
    viewer: MaybeUser,
    slot: web::Data<DemoDoorSlot>,
    state: web::Data<AppState>,
) -> Result<HttpResponse, PageError> {
    let site = slot.site()?;
    let layout = Layout::new(&req, &viewer);
    let (lockdown, disabled) = door_status(&state, &site, &layout).await?;
    let layout_of_hub = site.layout();
    let doors = layout_of_hub
        .doors
        .iter()
        .map(|door| DoorLink {
            id: door.id.clone(),
            name: door.name.clone(),
            unit_id: door.unit_id,
            disabled: disabled.contains(&door.id),
        })
        .collect();
    let spaces = layout_of_hub
        .spaces
        .iter()
        .map(|space| {
            let present = site.presence(&space.id).unwrap_or(false);
            let (state, button) = if present {
                ("demo-presence-present", "demo-presence-leave")
            } else {
                ("demo-presence-empty", "demo-presence-enter")
            };
            PresenceSwitch {
                id: space.id.clone(),
                name: space.name.clone(),
                present,
                state_text: layout.t(state),
                button_text: layout.t(button),
            }
        })
        .collect();
    let page = DemoIndexPage {
        hub: layout_of_hub.name.clone(),
        modbus: site.modbus_addr().to_string(),
        lockdown,
        doors,
        spaces,
        layout,
    };
    render(&page, StatusCode::OK)
}

/// `GET /demo/door/{door}`
pub async fn door(
    req: HttpRequest,
    viewer: MaybeUser,
    slot: web::Data<DemoDoorSlot>,
    state: web::Data<AppState>,
    path: web::Path<DoorId>,
) -> Result<HttpResponse, PageError> {
    let site = slot.site()?;
    let door_id = path.into_inner();
    let page = door_page(Layout::new(&req, &viewer), &state, &site, &door_id, Problem::None).await?;
    render(&page, StatusCode::OK)
}

/// The keypad form.
#[derive(Debug, Deserialize)]
pub struct PinForm {
    #[serde(default)]
    pub csrf_token: String,
    #[serde(default)]
    pub pin: String,
}

/// `POST /demo/door/{door}`: types the PIN at the door's controller, then shows the answer.
pub async fn enter_pin(
    req: HttpRequest,
    viewer: MaybeUser,
    slot: web::Data<DemoDoorSlot>,
    state: web::Data<AppState>,
    path: web::Path<DoorId>,
    form: web::Form<PinForm>,
) -> Result<HttpResponse, PageError> {
    if viewer.require_csrf(&req, &form.csrf_token).is_err() {
        return Ok(HttpResponse::Forbidden().finish());
    }
    let site = slot.site()?;
    let door_id = path.into_inner();
    let now = state.clock.now();
    let pin = form.pin.trim();
    // The bridge's own rule for what a controller may send (4 to 16 digits).
    if !regiohub_hardware::app::demo::is_valid_pin(pin) {
        let layout = Layout::new(&req, &viewer);
        let error = layout.t("demo-pin-invalid");
        let page = door_page(layout, &state, &site, &door_id, Problem::Pin(error)).await?;
        return render(&page, StatusCode::UNPROCESSABLE_ENTITY);
    }
    site.enter_pin(&door_id, pin, now).await.ok_or(PageError::NotFound)?;
    Ok(see_other(&format!("/demo/door/{door_id}")))
}

/// The card form.
#[derive(Debug, Deserialize)]
pub struct CardForm {
    #[serde(default)]
    pub csrf_token: String,
    #[serde(default)]
    pub uid: String,
}

/// `POST /demo/door/{door}/card`: holds a card with this UID to the door's reader, then shows
/// the answer. The UID is read as the bridge reads it; it is neither kept nor logged.
pub async fn present_card(
    req: HttpRequest,
    viewer: MaybeUser,
    slot: web::Data<DemoDoorSlot>,
    state: web::Data<AppState>,
    path: web::Path<DoorId>,
    form: web::Form<CardForm>,
) -> Result<HttpResponse, PageError> {
    if viewer.require_csrf(&req, &form.csrf_token).is_err() {
        return Ok(HttpResponse::Forbidden().finish());
    }
    let site = slot.site()?;
    let door_id = path.into_inner();
    let Ok(uid) = regiohub_hardware::protocol::card_uid_bytes(&form.uid) else {
        let layout = Layout::new(&req, &viewer);
        let error = layout.t("demo-card-invalid");
        let page = door_page(layout, &state, &site, &door_id, Problem::Card(error)).await?;
        return render(&page, StatusCode::UNPROCESSABLE_ENTITY);
    };
    site.present_card(&door_id, &uid, state.clock.now()).await.ok_or(PageError::NotFound)?;
    Ok(see_other(&format!("/demo/door/{door_id}")))
}

/// The presence switch.
#[derive(Debug, Deserialize)]
pub struct PresenceForm {
    #[serde(default)]
    pub csrf_token: String,
    #[serde(default)]
    pub present: String,
}

/// `POST /demo/presence/{space}`: someone enters (`present=1`) or leaves (`0`) the space.
pub async fn set_presence(
    req: HttpRequest,
    viewer: MaybeUser,
    slot: web::Data<DemoDoorSlot>,
    path: web::Path<SpaceId>,
    form: web::Form<PresenceForm>,
) -> Result<HttpResponse, PageError> {
    if viewer.require_csrf(&req, &form.csrf_token).is_err() {
        return Ok(HttpResponse::Forbidden().finish());
    }
    let present = match form.present.as_str() {
        "1" => true,
        "0" => false,
        _ => return Ok(HttpResponse::BadRequest().body("present must be 1 or 0")),
    };
    let site = slot.site()?;
    site.set_presence(&path.into_inner(), present).map_err(|_| PageError::NotFound)?;
    Ok(see_other("/demo#presence"))
}

/// The demo hub's lockdown banner (while it is in lockdown) and its disabled doors.
async fn door_status(
    state: &AppState,
    site: &DemoSite,
    layout: &Layout,
) -> Result<(Option<String>, Vec<DoorId>), PageError> {
    let hub_id = site.layout().hub_id.clone();
    let (since, disabled) = state.db(move |conn| door_controls::door_status(conn, &hub_id)).await?;
    let lockdown = since.map(|since| lockdown_banner(layout.lang, since, site.layout().time_zone));
    Ok((lockdown, disabled))
}

/// Which form of the keypad page came back, and why.
enum Problem {
    None,
    Pin(String),
    Card(String),
}

async fn door_page(
    layout: Layout,
    state: &AppState,
    site: &DemoSite,
    door_id: &DoorId,
    problem: Problem,
) -> Result<DemoDoorPage, PageError> {
    let now = state.clock.now();
    let door = site.door(door_id).ok_or(PageError::NotFound)?;
    let (lockdown, disabled) = door_status(state, site, &layout).await?;
    let (pin_error, card_error) = match problem {
        Problem::None => (None, None),
        Problem::Pin(error) => (Some(error), None),
        Problem::Card(error) => (None, Some(error)),
    };
    let lock_released = site.lock_released(door_id).unwrap_or(false);
    let open = site.door_open(door_id).unwrap_or(false);
    let last = site.last_entry(door_id);
    let recent_grant = last.is_some_and(|entry| {
        entry.answer == KeypadAnswer::Granted && (now - entry.at).num_seconds() < WATCH_AFTER_GRANT_S
    });
    let modbus = site.modbus_addr().to_string();
    Ok(DemoDoorPage {
        controller_at: layout.t2("demo-door-modbus", ("addr", &modbus), ("unit", &door.unit_id.to_string())),
        door: DoorLink {
            id: door.id.clone(),
            name: door.name.clone(),
            unit_id: door.unit_id,
            disabled: disabled.contains(&door.id),
        },
        answer: last.map(|entry| answer_view(&layout, entry, site.layout().time_zone)),
        lock_text: layout.t(if lock_released { "demo-lock-released" } else { "demo-lock-locked" }),
        lock_released,
        contact_text: layout.t(if open { "demo-door-open" } else { "demo-door-closed" }),
        open,
        refresh: lock_released || open || recent_grant,
        pin_error,
        lockdown,
        card_uid: DEMO_CARD_UID.to_owned(),
        card_error,
        layout,
    })
}

fn answer_view(layout: &Layout, entry: KeypadEntry, tz: chrono_tz::Tz) -> (String, bool, String) {
    let text = match entry.answer {
        KeypadAnswer::Granted => layout.t("demo-answer-granted"),
        KeypadAnswer::Denied { reason, offline } => {
            let reason = reason.map_or_else(
                || layout.t("demo-reason-unknown"),
                |reason| layout.t(&format!("demo-reason-{}", reason.as_str().replace('_', "-"))),
            );
            let key = if offline { "demo-answer-denied-offline" } else { "demo-answer-denied" };
            layout.t1(key, "reason", reason)
        }
        KeypadAnswer::LockedOut => layout.t("demo-answer-locked-out"),
        KeypadAnswer::NoAnswer => layout.t("demo-answer-no-answer"),
    };
    let at = entry.at.with_timezone(&tz).format("%H:%M:%S").to_string();
    (text, entry.answer == KeypadAnswer::Granted, at)
}
