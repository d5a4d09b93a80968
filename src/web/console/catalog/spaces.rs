//! `/console/hubs/{hub}/spaces`: the hub's spaces with their state in words, the form to add or
//! edit one, and taking one out of use (a confirmation that counts its upcoming bookings and asks
//! whether to keep them or cancel them with notice) or back into use.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::items::{CreateFn, HubItem, TokenForm, UpdateFn, area_url};
use super::{Done, load, render, status_of};
use crate::db::DbConn;
use crate::db::catalog::{Hub, Space};
use crate::domain::check_in::{CheckInMode, CheckInModes};
use crate::domain::ids::SpaceId;
use crate::domain::vocabulary::{BookingUnit, SpaceKind};
use crate::i18n::{self, Lang};
use crate::service::ServiceError;
use crate::service::console::catalog::Staff;
use crate::service::console::catalog::rules::{SpaceInput, checkbox};
use crate::service::console::catalog::spaces::{self, FutureBookings};
use crate::state::AppState;
use crate::web::accounts::FormErrors;
use crate::web::console::ConsoleUser;
use crate::web::console::TokenOnly;
use crate::web::console::nav::ConsoleNav;
use crate::web::layout::Layout;
use crate::web::pages::messages::{duration, kind_label};
use crate::web::pages::see_other;

/// One space in the list.
struct SpaceLine {
    id: SpaceId,
    name: String,
    kind: String,
    unit: String,
    rules: String,
    /// How a booker checks in, in words ("kein Check-in" when not at all).
    check_in: String,
    enabled: bool,
}

#[derive(Template)]
#[template(path = "console/catalog/spaces.html")]
struct SpacesPage {
    layout: Layout,
    nav: ConsoleNav,
    hub: Hub,
    lines: Vec<SpaceLine>,
}

#[derive(Template)]
#[template(path = "console/catalog/space_form.html")]
struct SpaceFormPage {
    layout: Layout,
    nav: ConsoleNav,
    hub: Hub,
    /// `None` for a new space.
    space_id: Option<SpaceId>,
    form: SpaceInput,
    kinds: Vec<(String, String)>,
    units: Vec<(String, String)>,
    errors: FormErrors,
}

impl SpaceFormPage {
    fn new(
        layout: Layout,
        staff: &ConsoleUser,
        hub: Hub,
        space_id: Option<SpaceId>,
        form: SpaceInput,
        errors: FormErrors,
    ) -> Self {
        let lang = layout.lang;
        SpaceFormPage {
            nav: ConsoleNav::hub(&hub, staff.scope.is_admin(), "spaces"),
            kinds: SpaceKind::ALL.iter().map(|k| (k.as_str().to_owned(), kind_label(lang, *k))).collect(),
            units: BookingUnit::ALL.iter().map(|u| (u.as_str().to_owned(), unit_label(lang, *u))).collect(),
            layout,
            hub,
            space_id,
            form,
            errors,
        }
    }
}

#[derive(Template)]
#[template(path = "console/catalog/space_disable.html")]
struct DisablePage {
    layout: Layout,
    nav: ConsoleNav,
    hub: Hub,
    space: Space,
    upcoming: usize,
    errors: FormErrors,
}

/// The submitted space form.
#[derive(Debug, Deserialize)]
pub struct SpaceForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    capacity: String,
    #[serde(default)]
    booking_unit: String,
    #[serde(default)]
    slot_minutes: String,
    #[serde(default)]
    min_minutes: String,
    #[serde(default)]
    max_minutes: String,
    #[serde(default)]
    max_days_ahead: String,
    #[serde(default)]
    position: String,
    approval_required: Option<String>,
    asks_purpose: Option<String>,
    check_in_door: Option<String>,
    check_in_presence: Option<String>,
    check_in_manual: Option<String>,
    guests_allowed: Option<String>,
}

impl TokenForm for SpaceForm {
    fn csrf_token(&self) -> String {
        self.csrf_token.clone()
    }
}

impl From<SpaceForm> for SpaceInput {
    fn from(form: SpaceForm) -> SpaceInput {
        SpaceInput {
            name: form.name,
            kind: form.kind,
            capacity: form.capacity,
            booking_unit: form.booking_unit,
            slot_minutes: form.slot_minutes,
            min_minutes: form.min_minutes,
            max_minutes: form.max_minutes,
            max_days_ahead: form.max_days_ahead,
            position: form.position,
            approval_required: checkbox(form.approval_required.as_deref()),
            guests_allowed: checkbox(form.guests_allowed.as_deref()),
            asks_purpose: checkbox(form.asks_purpose.as_deref()),
            check_in_modes: CheckInModes::of(
                [
                    (CheckInMode::Door, form.check_in_door),
                    (CheckInMode::Presence, form.check_in_presence),
                    (CheckInMode::Manual, form.check_in_manual),
                ]
                .into_iter()
                .filter_map(|(mode, ticked)| checkbox(ticked.as_deref()).then_some(mode)),
            ),
        }
    }
}

/// The submitted disable form.
#[derive(Debug, Deserialize)]
pub struct DisableForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    future_bookings: String,
}

fn unit_label(lang: Lang, unit: BookingUnit) -> String {
    i18n::t(lang, &format!("console-catalog-unit-{unit}"))
}

fn check_in_words(lang: Lang, modes: CheckInModes) -> String {
    if modes.is_empty() {
        return i18n::t(lang, "console-check-in-modes-none");
    }
    modes
        .iter()
        .map(|mode| i18n::t(lang, &format!("console-check-in-mode-{}", mode.as_str())))
        .collect::<Vec<_>>()
        .join(", ")
}

fn line(lang: Lang, space: &Space, modes: CheckInModes) -> SpaceLine {
    let minutes = |v: i32| u32::try_from(v).unwrap_or(0);
    SpaceLine {
        id: space.id.clone(),
        name: space.name.clone(),
        kind: kind_label(lang, space.kind),
        unit: unit_label(lang, space.booking_unit),
        rules: i18n::t_args(
            lang,
            "console-catalog-space-rules",
            &[
                ("min", duration(lang, minutes(space.min_minutes))),
                ("max", duration(lang, minutes(space.max_minutes))),
                ("days", space.max_days_ahead.to_string()),
            ],
        ),
        check_in: check_in_words(lang, modes),
        enabled: space.enabled,
    }
}

/// `GET /console/hubs/{hub}/spaces`
pub async fn list(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<String>,
    done: web::Query<Done>,
) -> actix_web::Result<HttpResponse> {
    let hub = path.into_inner();
    let (hub, spaces) = load(&state, &staff, move |conn, staff| spaces::list(conn, staff, &hub)).await?;
    let layout = done.flash(staff.layout(&req), &["created", "saved", "disabled", "enabled"]);
    let lines = spaces.iter().map(|(space, modes)| line(layout.lang, space, *modes)).collect();
    let page = SpacesPage { nav: ConsoleNav::hub(&hub, staff.scope.is_admin(), "spaces"), layout, hub, lines };
    Ok(render(&page, StatusCode::OK)?)
}

/// The spaces area: its add and edit forms are served by [`items`](super::items).
pub struct Spaces;

impl HubItem for Spaces {
    type Form = SpaceForm;
    type Input = SpaceInput;
    type Item = Space;
    type Id = SpaceId;
    const AREA: &'static str = "spaces";
    const CREATE: CreateFn<Self> = spaces::create;
    const UPDATE: UpdateFn<Self> = spaces::update;

    type Context = Hub;

    fn context(
        conn: &mut DbConn,
        staff: Staff<'_>,
        hub: &str,
        id: Option<&SpaceId>,
    ) -> Result<(Hub, Option<SpaceInput>), ServiceError> {
        let (hub, input) = match id {
            Some(id) => spaces::edit_input(conn, staff, hub, id)?,
            None => spaces::new_input(conn, staff, hub)?,
        };
        Ok((hub, Some(input)))
    }

    fn blank() -> SpaceInput {
        spaces::blank_input()
    }

    fn page(
        layout: Layout,
        staff: &ConsoleUser,
        hub: Hub,
        id: Option<SpaceId>,
        form: SpaceInput,
        errors: FormErrors,
    ) -> impl Template {
        SpaceFormPage::new(layout, staff, hub, id, form, errors)
    }
}

/// The disable confirmation of the space in the path.
async fn disable_page(
    req: &HttpRequest,
    state: &AppState,
    staff: &ConsoleUser,
    hub: String,
    space_id: SpaceId,
    errors: FormErrors,
) -> actix_web::Result<HttpResponse> {
    let now = state.clock.now();
    let (hub, space, upcoming) =
        load(state, staff, move |conn, staff| spaces::disable_preview(conn, staff, &hub, &space_id, now)).await?;
    let page = DisablePage {
        layout: staff.layout(req),
        nav: ConsoleNav::hub(&hub, staff.scope.is_admin(), "spaces"),
        hub,
        space,
        upcoming,
        errors,
    };
    Ok(render(&page, status_of(&page.errors))?)
}

/// `GET /console/hubs/{hub}/spaces/{id}/disable`
pub async fn confirm_disable(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<(String, String)>,
) -> actix_web::Result<HttpResponse> {
    let (hub, space_id) = path.into_inner();
    disable_page(&req, &state, &staff, hub, SpaceId::new(space_id), FormErrors::default()).await
}

/// `POST /console/hubs/{hub}/spaces/{id}/disable`
pub async fn disable(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<(String, String)>,
    form: web::Form<DisableForm>,
) -> actix_web::Result<HttpResponse> {
    staff.require_csrf(&form.csrf_token)?;
    let (hub, space_id) = path.into_inner();
    let space_id = SpaceId::new(space_id);
    let Some(choice) = FutureBookings::parse(&form.future_bookings) else {
        let mut errors = FormErrors::default();
        errors.add("future_bookings", i18n::t(staff.current.lang, "console-catalog-error-choose-one"));
        return disable_page(&req, &state, &staff, hub, space_id, errors).await;
    };
    let (ctx, now, url_hub) = (state.context.clone(), state.clock.now(), hub.clone());
    let cancelled =
        load(&state, &staff, move |conn, staff| spaces::disable(conn, &ctx, staff, &url_hub, &space_id, choice, now))
            .await?;
    state.metrics.bookings_cancelled(crate::metrics::CancelledBy::Staff, cancelled);
    Ok(see_other(&format!("{}?done=disabled&count={cancelled}", area_url::<Spaces>(&hub))))
}

/// `POST /console/hubs/{hub}/spaces/{id}/enable`
pub async fn enable(
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<(String, String)>,
    form: web::Form<TokenOnly>,
) -> actix_web::Result<HttpResponse> {
    staff.require_csrf(&form.csrf_token)?;
    let ((hub, space_id), now) = (path.into_inner(), state.clock.now());
    let space_id = SpaceId::new(space_id);
    let url_hub = hub.clone();
    load(&state, &staff, move |conn, staff| spaces::enable(conn, staff, &url_hub, &space_id, now)).await?;
    Ok(see_other(&format!("{}?done=enabled", area_url::<Spaces>(&hub))))
}
