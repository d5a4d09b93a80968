//! A space's details page (`/spaces/{id}`: description, capacity, equipment, accessibility facts,
//! photos, the way to the booking form) and the photo files (`/photos/{id}/{hash}.jpg`). What a
//! space offers is read by the service; this module lays it out in the viewer's language.

use actix_web::{HttpRequest, HttpResponse, Responder, web};
use askama::Template;
use askama_web::WebTemplate;

use super::PageError;
use super::messages::kind_label;
use crate::domain::ids::SpaceId;
use crate::i18n::{self, Lang};
use crate::service::space_details;
use crate::state::AppState;
use crate::web::content_addressed;
use crate::web::layout::Layout;
use crate::web::session::MaybeUser;

/// A photo as an `<img>` shows it.
pub struct PhotoView {
    pub src: String,
    pub width: i32,
    pub height: i32,
    /// In the viewer's language; English falls back to the German text.
    pub alt: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "spaces/details.html")]
pub struct SpaceDetailsPage {
    pub layout: Layout,
    pub space_id: String,
    pub space_name: String,
    pub kind: String,
    pub capacity: String,
    pub hub_name: String,
    pub hub_slug: String,
    pub address: String,
    /// The description's paragraphs (blank lines part them).
    pub paragraphs: Vec<String>,
    pub equipment: Vec<String>,
    pub accessibility: Vec<String>,
    pub photos: Vec<PhotoView>,
    pub enabled: bool,
}

/// One space on a hub's overview page.
pub struct SpaceSummary {
    pub href: String,
    pub name: String,
    pub kind: String,
    pub capacity: String,
    pub equipment: String,
    pub accessibility: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "spaces/hub.html")]
pub struct HubSpacesPage {
    pub layout: Layout,
    pub hub_name: String,
    pub hub_slug: String,
    pub spaces: Vec<SpaceSummary>,
}

/// "Bildschirm, Whiteboard", or the words for none.
fn words<T: Copy + std::fmt::Display>(lang: Lang, prefix: &str, values: impl Iterator<Item = T>, none: &str) -> String {
    let listed: Vec<String> = values.map(|v| i18n::t(lang, &format!("{prefix}{v}"))).collect();
    if listed.is_empty() { i18n::t(lang, none) } else { listed.join(", ") }
}

/// `GET /hubs/{slug}/spaces`: every space of the hub with its capacity, equipment and
/// accessibility facts, each linked to its details page (the day view links here once, as a
/// link per space would not fit its byte budget).
pub async fn hub_spaces(
    req: HttpRequest,
    state: web::Data<AppState>,
    viewer: MaybeUser,
    slug: web::Path<String>,
) -> Result<impl Responder, PageError> {
    let layout = Layout::new(&req, &viewer);
    let lang = layout.lang;
    let slug = slug.into_inner();
    let (hub, spaces) = state.db(move |conn| space_details::hub_spaces(conn, &slug)).await?;
    let spaces = spaces
        .into_iter()
        .map(|(space, facts)| SpaceSummary {
            href: format!("/spaces/{}", space.id),
            kind: kind_label(lang, space.kind),
            capacity: i18n::t_args(lang, "space-details-capacity-value", &[("count", space.capacity.to_string())]),
            equipment: words(lang, "space-equipment-", facts.equipment.iter(), "space-details-none"),
            accessibility: words(
                lang,
                "space-accessibility-",
                facts.accessibility.iter(),
                "space-details-accessibility-none",
            ),
            name: space.name,
        })
        .collect();
    Ok(HubSpacesPage { hub_name: hub.name, hub_slug: hub.slug, spaces, layout })
}

/// The address of a photo's content: a new photo is a new address, so it may be cached forever.
pub fn photo_src(id: &str, content_hash: &str) -> String {
    format!("/photos/{id}/{content_hash}.jpg")
}

/// The alt text in the viewer's language.
pub fn alt_text(lang: Lang, de: &str, en: Option<&str>) -> String {
    match (lang, en) {
        (Lang::En, Some(en)) => en.to_owned(),
        _ => de.to_owned(),
    }
}

/// `GET /spaces/{id}`
pub async fn space_details(
    req: HttpRequest,
    state: web::Data<AppState>,
    viewer: MaybeUser,
    id: web::Path<SpaceId>,
) -> Result<impl Responder, PageError> {
    let layout = Layout::new(&req, &viewer);
    let lang = layout.lang;
    let id = id.into_inner();
    let details = state.db(move |conn| space_details::details(conn, &id)).await?;
    let space = &details.space;
    Ok(SpaceDetailsPage {
        space_id: space.id.to_string(),
        space_name: space.name.clone(),
        kind: kind_label(lang, space.kind),
        capacity: i18n::t_args(lang, "space-details-capacity-value", &[("count", space.capacity.to_string())]),
        hub_name: details.hub.name.clone(),
        hub_slug: details.hub.slug.clone(),
        address: format!("{}, {} {}", details.hub.street, details.hub.postcode, details.hub.town),
        paragraphs: details
            .facts
            .description
            .split("\n\n")
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .map(str::to_owned)
            .collect(),
        equipment: details.facts.equipment.iter().map(|e| i18n::t(lang, &format!("space-equipment-{e}"))).collect(),
        accessibility: details
            .facts
            .accessibility
            .iter()
            .map(|a| i18n::t(lang, &format!("space-accessibility-{a}")))
            .collect(),
        photos: details
            .photos
            .iter()
            .map(|p| PhotoView {
                src: photo_src(&p.id, &p.content_hash),
                width: p.width,
                height: p.height,
                alt: alt_text(lang, &p.alt_de, p.alt_en.as_deref()),
            })
            .collect(),
        enabled: space.enabled,
        layout,
    })
}

/// `GET /photos/{id}/{hash}.jpg`: the stored JPEG, cached for a year (its address changes with
/// its content). A cached copy is confirmed (304) without reading the image.
pub async fn photo(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let (id, file) = path.into_inner();
    let hash = content_addressed::hash_in(&file, "jpg").ok_or(PageError::NotFound)?;
    if content_addressed::is_cached(&req, &hash) {
        let at = hash.clone();
        state.db(move |conn| space_details::photo_is_current(conn, &id, &at)).await?;
        return Ok(content_addressed::not_modified(&hash));
    }
    let at = hash.clone();
    let image = state.db(move |conn| space_details::photo_image(conn, &id, &at)).await?;
    Ok(content_addressed::file(&hash, "image/jpeg").body(image))
}
