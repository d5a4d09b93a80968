//! `/console/hubs/{hub}/spaces/{id}/details`: a space's description, equipment and
//! accessibility facts, and its photos (upload with alt texts, removal). The upload is a
//! multipart form read within a size cap; the image is processed on a blocking thread by
//! `service::space_photos` before the use case stores it.

use actix_multipart::MultipartError;
use actix_multipart::form::bytes::Bytes as FileBytes;
use actix_multipart::form::text::Text;
use actix_multipart::form::{MultipartForm, MultipartFormConfig};
use actix_web::error::PayloadError;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::{Done, FormPairs, load, render, run};
use crate::db::catalog::Hub;
use crate::domain::ids::SpaceId;
use crate::domain::space_details::{AccessibilityFact, Equipment, MAX_PHOTOS, MAX_UPLOAD_BYTES};
use crate::i18n;
use crate::service::console::catalog::space_details::{self as details, FactsInput, StaffDetails};
use crate::service::space_photos::{self, PHOTO_SLOTS};
use crate::state::AppState;
use crate::web::accounts::FormErrors;
use crate::web::console::ConsoleUser;
use crate::web::console::TokenOnly;
use crate::web::console::nav::ConsoleNav;
use crate::web::layout::Layout;
use crate::web::pages::space_details::{alt_text, photo_src};
use crate::web::pages::{PageError, see_other};

/// The multipart form's room beyond the photo itself (token and alt texts).
const FORM_OVERHEAD: usize = 64 * 1024;

/// The routes of this page, below `/console`.
pub fn routes(cfg: &mut web::ServiceConfig) {
    use web::{get, post, resource};
    let upload_limits = MultipartFormConfig::default()
        .total_limit(MAX_UPLOAD_BYTES + FORM_OVERHEAD)
        .memory_limit(MAX_UPLOAD_BYTES + FORM_OVERHEAD);
    cfg.service(resource("/hubs/{hub}/spaces/{id}/details").route(get().to(page)).route(post().to(update_facts)));
    cfg.service(resource("/hubs/{hub}/spaces/{id}/photos").app_data(upload_limits).route(post().to(upload)));
    cfg.service(resource("/hubs/{hub}/spaces/{id}/photos/{photo}/remove").route(post().to(remove)));
}

/// A ticked or unticked choice of the details form.
struct Choice {
    value: &'static str,
    label: String,
    checked: bool,
}

/// A stored photo in the console.
struct PhotoLine {
    id: String,
    src: String,
    width: i32,
    height: i32,
    alt: String,
}

#[derive(Template)]
#[template(path = "console/catalog/space_details.html")]
struct DetailsPage {
    layout: Layout,
    nav: ConsoleNav,
    hub: Hub,
    space_id: SpaceId,
    space_name: String,
    description: String,
    equipment: Vec<Choice>,
    accessibility: Vec<Choice>,
    photos: Vec<PhotoLine>,
    /// Whether the upload form is offered (fewer than three photos).
    room_for_photo: bool,
    /// What the upload form had, when it comes back with a message.
    alt_de: String,
    alt_en: String,
    errors: FormErrors,
    /// "Up to 3 photos, each at most 8 MB …"
    photos_hint: String,
    max_photos: usize,
    max_megabytes: usize,
}

/// What a form sent back with its problems shows instead of the stored values.
#[derive(Default)]
struct Sent {
    facts: Option<FactsInput>,
    alt_de: String,
    alt_en: String,
}

fn page_of(layout: Layout, staff: &ConsoleUser, stored: StaffDetails, sent: Sent, errors: FormErrors) -> DetailsPage {
    let lang = layout.lang;
    let facts = sent.facts.unwrap_or_else(|| FactsInput {
        description: stored.facts.description.clone(),
        equipment: stored.facts.equipment.iter().map(|e| e.as_str().to_owned()).collect(),
        accessibility: stored.facts.accessibility.iter().map(|a| a.as_str().to_owned()).collect(),
    });
    DetailsPage {
        nav: ConsoleNav::hub(&stored.hub, staff.scope.is_admin(), "spaces"),
        equipment: Equipment::ALL
            .iter()
            .map(|e| Choice {
                value: e.as_str(),
                label: i18n::t(lang, &format!("space-equipment-{e}")),
                checked: facts.equipment.iter().any(|v| v == e.as_str()),
            })
            .collect(),
        accessibility: AccessibilityFact::ALL
            .iter()
            .map(|a| Choice {
                value: a.as_str(),
                label: i18n::t(lang, &format!("space-accessibility-{a}")),
                checked: facts.accessibility.iter().any(|v| v == a.as_str()),
            })
            .collect(),
        photos: stored
            .photos
            .iter()
            .map(|p| PhotoLine {
                id: p.id.clone(),
                src: photo_src(&p.id, &p.content_hash),
                width: p.width,
                height: p.height,
                alt: alt_text(lang, &p.alt_de, p.alt_en.as_deref()),
            })
            .collect(),
        room_for_photo: stored.photos.len() < MAX_PHOTOS,
        description: facts.description,
        space_id: stored.space.id.clone(),
        space_name: stored.space.name.clone(),
        hub: stored.hub,
        alt_de: sent.alt_de,
        alt_en: sent.alt_en,
        errors,
        photos_hint: i18n::t_args(
            lang,
            "space-console-photos-hint",
            &[("count", MAX_PHOTOS.to_string()), ("megabytes", (MAX_UPLOAD_BYTES / (1024 * 1024)).to_string())],
        ),
        max_photos: MAX_PHOTOS,
        max_megabytes: MAX_UPLOAD_BYTES / (1024 * 1024),
        layout,
    }
}

/// The page with the stored details, or with what a form sent and its problems.
async fn show(
    req: &HttpRequest,
    state: &AppState,
    staff: &ConsoleUser,
    (hub, space_id): (String, SpaceId),
    sent: Sent,
    errors: FormErrors,
    status: StatusCode,
) -> actix_web::Result<HttpResponse> {
    // The language switch comes back to the page, not to the address the form was sent to.
    let layout = staff.layout(req).with_return_path(details_url(&hub, &space_id));
    let stored = load(state, staff, move |conn, staff| details::load(conn, staff, &hub, &space_id)).await?;
    let page = page_of(layout, staff, stored, sent, errors);
    Ok(render(&page, status)?)
}

fn details_url(hub: &str, space_id: &SpaceId) -> String {
    format!("/console/hubs/{hub}/spaces/{space_id}/details")
}

/// `GET /console/hubs/{hub}/spaces/{id}/details`
pub async fn page(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<(String, SpaceId)>,
    done: web::Query<Done>,
) -> actix_web::Result<HttpResponse> {
    let (hub, space_id) = path.into_inner();
    let stored = load(&state, &staff, move |conn, staff| details::load(conn, staff, &hub, &space_id)).await?;
    let layout = done.flash(staff.layout(&req), &["saved", "photo-added", "photo-removed"]);
    let page = page_of(layout, &staff, stored, Sent::default(), FormErrors::default());
    Ok(render(&page, StatusCode::OK)?)
}

/// `POST /console/hubs/{hub}/spaces/{id}/details`
pub async fn update_facts(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<(String, SpaceId)>,
    form: web::Form<FormPairs>,
) -> actix_web::Result<HttpResponse> {
    staff.require_csrf(&form.value("csrf_token"))?;
    let (hub, space_id) = path.into_inner();
    let input = FactsInput {
        description: form.value("description"),
        equipment: form.values("equipment"),
        accessibility: form.values("accessibility"),
    };
    let now = state.clock.now();
    let (url_hub, url_space, sent) = (hub.clone(), space_id.clone(), input.clone());
    match run(&state, &staff, move |tx, staff| details::update_facts(tx, staff, &url_hub, &url_space, &input, now))
        .await?
    {
        Ok(()) => Ok(see_other(&format!("{}?done=saved", details_url(&hub, &space_id)))),
        Err(errors) => {
            let sent = Sent { facts: Some(sent), ..Sent::default() };
            show(&req, &state, &staff, (hub, space_id), sent, errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

/// The photo upload form.
#[derive(MultipartForm)]
pub struct PhotoUpload {
    csrf_token: Option<Text<String>>,
    alt_de: Option<Text<String>>,
    alt_en: Option<Text<String>>,
    photo: Option<FileBytes>,
}

/// Whether the form was refused for going past its size limits (the photo field's error wraps
/// the overflow of the body).
pub(super) fn is_overflow(error: &actix_web::Error) -> bool {
    match error.as_error::<MultipartError>() {
        Some(MultipartError::Payload(PayloadError::Overflow)) => true,
        Some(MultipartError::Field { source, .. }) => is_overflow(source),
        _ => false,
    }
}

pub(super) fn text(field: Option<Text<String>>) -> String {
    field.map(Text::into_inner).unwrap_or_default()
}

/// `POST /console/hubs/{hub}/spaces/{id}/photos`: a multipart form with the photo and its alt
/// texts. Too large a body is 413, a form with problems 422, each with the page and its message;
/// nothing is stored unless everything is right.
pub async fn upload(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<(String, SpaceId)>,
    form: Result<MultipartForm<PhotoUpload>, actix_web::Error>,
) -> actix_web::Result<HttpResponse> {
    let (hub, space_id) = path.into_inner();
    let lang = staff.current.lang;
    let refuse = |field: &'static str, code: &str, status: StatusCode, sent: Sent| {
        let mut errors = FormErrors::default();
        let args = [("megabytes", (MAX_UPLOAD_BYTES / (1024 * 1024)).to_string()), ("count", MAX_PHOTOS.to_string())];
        errors.add(field, i18n::t_args(lang, &format!("console-catalog-error-{code}"), &args));
        show(&req, &state, &staff, (hub.clone(), space_id.clone()), sent, errors, status)
    };
    let form = match form {
        Ok(form) => form.into_inner(),
        Err(error) => {
            // The body could not be read as a form: too large (nothing past the cap was kept),
            // or not multipart at all. No token was read, so nothing is changed either way.
            let too_large = is_overflow(&error);
            tracing::info!(too_large, "photo upload refused unread");
            return if too_large {
                refuse("photo", "photo-too-big", StatusCode::PAYLOAD_TOO_LARGE, Sent::default()).await
            } else {
                refuse("photo", "photo-missing", StatusCode::BAD_REQUEST, Sent::default()).await
            };
        }
    };
    staff.require_csrf(&text(form.csrf_token))?;
    let sent = Sent { facts: None, alt_de: text(form.alt_de), alt_en: text(form.alt_en) };
    let alt = match details::read_alt_texts(&sent.alt_de, &sent.alt_en) {
        Ok(alt) => alt,
        Err(problems) => {
            let errors = super::form_errors(lang, problems);
            let at = (hub.clone(), space_id.clone());
            return show(&req, &state, &staff, at, sent, errors, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let Some(upload) = form.photo.map(|file| file.data).filter(|data| !data.is_empty()) else {
        return refuse("photo", "photo-missing", StatusCode::UNPROCESSABLE_ENTITY, sent).await;
    };
    // The three-photo limit before the slow part; the insert checks it again.
    let (url_hub, url_space) = (hub.clone(), space_id.clone());
    if let Err(errors) =
        run(&state, &staff, move |tx, staff| details::check_room_for_photo(tx, staff, &url_hub, &url_space)).await?
    {
        let at = (hub.clone(), space_id.clone());
        return show(&req, &state, &staff, at, sent, errors, StatusCode::UNPROCESSABLE_ENTITY).await;
    }
    let Some(_slot) = PHOTO_SLOTS.try_take() else {
        return Err(PageError::Unavailable.into());
    };
    let processed = web::block(move || space_photos::process(&upload)).await.map_err(|_| PageError::Internal)?;
    let photo = match processed {
        Ok(photo) => photo,
        Err(refusal) => return refuse("photo", refusal.code(), StatusCode::UNPROCESSABLE_ENTITY, sent).await,
    };
    let now = state.clock.now();
    let (url_hub, url_space) = (hub.clone(), space_id.clone());
    match run(&state, &staff, move |tx, staff| details::add_photo(tx, staff, &url_hub, &url_space, photo, &alt, now))
        .await?
    {
        Ok(_) => Ok(see_other(&format!("{}?done=photo-added", details_url(&hub, &space_id)))),
        Err(errors) => {
            show(&req, &state, &staff, (hub, space_id), sent, errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}

/// `POST /console/hubs/{hub}/spaces/{id}/photos/{photo}/remove`
pub async fn remove(
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<(String, SpaceId, String)>,
    form: web::Form<TokenOnly>,
) -> actix_web::Result<HttpResponse> {
    staff.require_csrf(&form.csrf_token)?;
    let (hub, space_id, photo_id) = path.into_inner();
    let now = state.clock.now();
    let (url_hub, url_space) = (hub.clone(), space_id.clone());
    load(&state, &staff, move |tx, staff| details::remove_photo(tx, staff, &url_hub, &url_space, &photo_id, now))
        .await?;
    Ok(see_other(&format!("{}?done=photo-removed", details_url(&hub, &space_id))))
}
