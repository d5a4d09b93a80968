//! What the pages of a hub's spaces, doors and sensors share: the form to add one, the form to
//! edit one, their posts, and (doors, sensors) removing one after a confirmation. Each area says
//! through [`HubItem`] how its form reads and which use cases it calls; the handlers here are
//! registered once per area (`items::create::<Doors>`).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono::{DateTime, Utc};
use serde::de::DeserializeOwned;

use super::{ConfirmPage, load, render, status_of, submit};
use crate::db::DbConn;
use crate::db::catalog::Hub;
use crate::service::ServiceError;
use crate::service::UnitOfWork;
use crate::service::console::catalog::{CatalogError, Staff};
use crate::state::AppState;
use crate::web::accounts::FormErrors;
use crate::web::console::ConsoleUser;
use crate::web::console::TokenOnly;
use crate::web::console::nav::ConsoleNav;
use crate::web::layout::Layout;
use crate::web::pages::see_other;

/// A posted form that carries the CSRF token.
pub trait TokenForm {
    fn csrf_token(&self) -> String;
}

/// One area of a hub's things with an add and an edit form.
pub trait HubItem: 'static {
    /// The form as it is posted.
    type Form: DeserializeOwned + TokenForm + Into<Self::Input> + 'static;
    /// The form as the use cases read it.
    type Input: Clone + Send + 'static;
    /// What the use cases return.
    type Item: Send + 'static;
    /// The id of one of the area's things, wrapped from the URL path once.
    type Id: From<String> + Clone + Send + std::fmt::Display + 'static;
    /// The area's path below `/console/hubs/{hub}/`, also its key in the navigation.
    const AREA: &'static str;
    /// Adds one to the hub (`NotFound` outside the scope, `Invalid` with the form's problems).
    const CREATE: CreateFn<Self>;
    /// Changes one of the hub's, by id.
    const UPDATE: UpdateFn<Self>;
    /// What the form page shows beside the form (the hub, its spaces and bridges…).
    type Context: Send + 'static;

    /// The context of the add form (`id` `None`), or of the edit form with the stored values.
    ///
    /// # Errors
    /// `NotFound` outside the viewer's scope or for another hub's.
    fn context(
        conn: &mut DbConn,
        staff: Staff<'_>,
        hub: &str,
        id: Option<&Self::Id>,
    ) -> Result<(Self::Context, Option<Self::Input>), ServiceError>;

    /// The form of a new one.
    fn blank() -> Self::Input;

    /// The add form as a link may start it (the sensors page's "register" link names the space);
    /// `None` (the blank form) unless the area reads its query.
    fn prefilled(_query: &str) -> Option<Self::Input> {
        None
    }

    /// The form page.
    fn page(
        layout: Layout,
        staff: &ConsoleUser,
        context: Self::Context,
        id: Option<Self::Id>,
        form: Self::Input,
        errors: FormErrors,
    ) -> impl Template;
}

/// An area whose things can be removed; the catalogue keys name the confirmation's texts.
pub trait RemovableItem: HubItem {
    /// Title (with `$name`), what removing does, and the button.
    const REMOVE_KEYS: (&'static str, &'static str, &'static str);
    /// The navigation label of the area (for the way back).
    const NAV_KEY: &'static str;
    /// Removes one of the hub's, by id (`NotFound` outside the scope or for another hub's).
    const REMOVE: RemoveFn<Self>;

    /// The hub and the name of one of its things.
    ///
    /// # Errors
    /// `NotFound` outside the viewer's scope or for another hub's.
    fn name_of(conn: &mut DbConn, staff: Staff<'_>, hub: &str, id: &Self::Id) -> Result<(Hub, String), ServiceError>;
}

/// The area's list page.
pub fn area_url<I: HubItem>(hub: &str) -> String {
    format!("/console/hubs/{hub}/{}", I::AREA)
}

/// The add form (`id` `None`) or the edit form, as `typed` or as stored, with `errors`.
async fn form_page<I: HubItem>(
    state: &AppState,
    staff: &ConsoleUser,
    layout: Layout,
    hub: String,
    id: Option<I::Id>,
    typed: Option<I::Input>,
    errors: FormErrors,
) -> actix_web::Result<HttpResponse> {
    let item_id = id.clone();
    let (context, stored) =
        load(state, staff, move |conn, staff| I::context(conn, staff, &hub, item_id.as_ref())).await?;
    let form = typed.or(stored).unwrap_or_else(I::blank);
    let status = status_of(&errors);
    Ok(render(&I::page(layout, staff, context, id, form, errors), status)?)
}

/// `GET /console/hubs/{hub}/{area}/new`
pub async fn new_form<I: HubItem>(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<String>,
) -> actix_web::Result<HttpResponse> {
    let prefilled = I::prefilled(req.query_string());
    form_page::<I>(&state, &staff, staff.layout(&req), path.into_inner(), None, prefilled, FormErrors::default()).await
}

/// `POST /console/hubs/{hub}/{area}/new`
pub async fn create<I: HubItem>(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<String>,
    form: web::Form<I::Form>,
) -> actix_web::Result<HttpResponse> {
    staff.require_csrf(&form.csrf_token())?;
    let (hub, input, now) = (path.into_inner(), form.into_inner().into(), state.clock.now());
    let (url_hub, attempt) = (hub.clone(), input.clone());
    submit(
        &state,
        &staff,
        move |conn, staff| I::CREATE(conn, staff, &url_hub, &attempt, now),
        |_| format!("{}?done=created", area_url::<I>(&hub)),
        |errors| form_page::<I>(&state, &staff, staff.layout(&req), hub.clone(), None, Some(input), errors),
    )
    .await
}

/// `GET /console/hubs/{hub}/{area}/{id}`
pub async fn edit_form<I: HubItem>(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<(String, String)>,
) -> actix_web::Result<HttpResponse> {
    let (hub, id) = path.into_inner();
    form_page::<I>(&state, &staff, staff.layout(&req), hub, Some(I::Id::from(id)), None, FormErrors::default()).await
}

/// `POST /console/hubs/{hub}/{area}/{id}`
pub async fn update<I: HubItem>(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<(String, String)>,
    form: web::Form<I::Form>,
) -> actix_web::Result<HttpResponse> {
    staff.require_csrf(&form.csrf_token())?;
    let ((hub, id), input, now) = (path.into_inner(), form.into_inner().into(), state.clock.now());
    let id = I::Id::from(id);
    let (url_hub, item_id, attempt) = (hub.clone(), id.clone(), input.clone());
    submit(
        &state,
        &staff,
        move |conn, staff| I::UPDATE(conn, staff, &url_hub, &item_id, &attempt, now),
        |_| format!("{}?done=saved", area_url::<I>(&hub)),
        |errors| form_page::<I>(&state, &staff, staff.layout(&req), hub.clone(), Some(id), Some(input), errors),
    )
    .await
}

/// `GET /console/hubs/{hub}/{area}/{id}/remove`
pub async fn confirm_remove<I: RemovableItem>(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<(String, String)>,
) -> actix_web::Result<HttpResponse> {
    let (hub, id) = path.into_inner();
    let id = I::Id::from(id);
    let item_id = id.clone();
    let (hub, name) = load(&state, &staff, move |conn, staff| I::name_of(conn, staff, &hub, &item_id)).await?;
    let layout = staff.layout(&req);
    let (title, intro, button) = I::REMOVE_KEYS;
    let page = ConfirmPage {
        title: layout.t1(title, "name", &name),
        message: vec![layout.t(intro)],
        action: format!("{}/{id}/remove", area_url::<I>(&hub.slug)),
        button: layout.t(button),
        back: area_url::<I>(&hub.slug),
        back_label: layout.t(I::NAV_KEY),
        nav: ConsoleNav::hub(&hub, staff.scope.is_admin(), I::AREA),
        layout,
    };
    Ok(render(&page, StatusCode::OK)?)
}

/// `POST /console/hubs/{hub}/{area}/{id}/remove`
pub async fn remove<I: RemovableItem>(
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<(String, String)>,
    form: web::Form<TokenOnly>,
) -> actix_web::Result<HttpResponse> {
    staff.require_csrf(&form.csrf_token)?;
    let ((hub, id), now) = (path.into_inner(), state.clock.now());
    let id = I::Id::from(id);
    let url_hub = hub.clone();
    load(&state, &staff, move |conn, staff| I::REMOVE(conn, staff, &url_hub, &id, now)).await?;
    Ok(see_other(&format!("{}?done=removed", area_url::<I>(&hub))))
}

/// [`HubItem::CREATE`] of an area.
pub type CreateFn<I> = fn(
    &mut UnitOfWork<'_>,
    Staff<'_>,
    &str,
    &<I as HubItem>::Input,
    DateTime<Utc>,
) -> Result<<I as HubItem>::Item, CatalogError>;
/// [`HubItem::UPDATE`] of an area.
pub type UpdateFn<I> = fn(
    &mut UnitOfWork<'_>,
    Staff<'_>,
    &str,
    &<I as HubItem>::Id,
    &<I as HubItem>::Input,
    DateTime<Utc>,
) -> Result<<I as HubItem>::Item, CatalogError>;
/// [`RemovableItem::REMOVE`] of an area.
pub type RemoveFn<I> = fn(
    &mut UnitOfWork<'_>,
    Staff<'_>,
    &str,
    &<I as HubItem>::Id,
    DateTime<Utc>,
) -> Result<<I as HubItem>::Item, ServiceError>;
