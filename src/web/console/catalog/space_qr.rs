//! `/console/hubs/{hub}/spaces/{id}/qr`: a printable A4 sheet with the space's check-in QR code,
//! the space's and hub's names and the address in writing for anyone who cannot scan; and
//! `…/qr.svg`, the same sheet as a standalone SVG document to download. Both drawn by [`svg`]
//! (no image service); the staff scoping is the catalogue's (another hub's space is a 404).

mod svg;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::{load, render};
use crate::db::catalog::Hub;
use crate::domain::check_in::CheckInMode;
use crate::domain::ids::SpaceId;
use crate::i18n;
use crate::service::console::catalog::spaces::{self, QrSheet};
use crate::state::AppState;
use crate::web::console::ConsoleUser;
use crate::web::console::nav::ConsoleNav;
use crate::web::layout::Layout;
use crate::web::pages::PageError;

#[derive(Template)]
#[template(path = "console/catalog/space_qr.html")]
struct QrSheetPage {
    layout: Layout,
    nav: ConsoleNav,
    hub: Hub,
    space_id: SpaceId,
    space: String,
    url: String,
    /// The code as an SVG element, made by [`svg::code_element`] from the address alone.
    svg: String,
    manual: bool,
    no_show_minutes: i32,
}

/// The hub, the space and its check-in address, within the viewer's scope.
async fn find_sheet(
    state: &AppState,
    staff: &ConsoleUser,
    path: web::Path<(String, String)>,
) -> Result<QrSheet, PageError> {
    let (hub, space_id) = path.into_inner();
    let space_id = SpaceId::new(space_id);
    let ctx = state.context.clone();
    load(state, staff, move |conn, staff| spaces::qr_sheet(conn, &ctx, staff, &hub, &space_id)).await
}

fn not_drawn(error: qrcode::types::QrError) -> PageError {
    tracing::error!(error = %error, "QR code not drawn");
    PageError::Internal
}

/// `GET /console/hubs/{hub}/spaces/{id}/qr`
pub async fn qr_sheet(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let sheet = find_sheet(&state, &staff, path).await?;
    let svg = svg::code_element(&sheet.url).map_err(not_drawn)?;
    let page = QrSheetPage {
        layout: staff.layout(&req),
        nav: ConsoleNav::hub(&sheet.hub, staff.scope.is_admin(), "spaces"),
        space_id: sheet.space.id,
        space: sheet.space.name,
        url: sheet.url,
        svg,
        manual: sheet.modes.contains(CheckInMode::Manual),
        no_show_minutes: sheet.hub.no_show_minutes,
        hub: sheet.hub,
    };
    render(&page, StatusCode::OK)
}

/// `GET /console/hubs/{hub}/spaces/{id}/qr.svg`: the sheet as an A4 SVG document, its words in
/// the viewer's language.
pub async fn qr_sheet_svg(
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, PageError> {
    let sheet = find_sheet(&state, &staff, path).await?;
    let lang = staff.current.lang;
    let scan = i18n::t(lang, "console-check-in-qr-scan");
    let text = svg::SheetText {
        lang: lang.code(),
        space: &sheet.space.name,
        hub: &sheet.hub.name,
        scan: &scan,
        url: &sheet.url,
    };
    let document = svg::a4_sheet(&text).map_err(not_drawn)?;
    let disposition =
        format!("inline; filename=\"checkin-{}.svg\"", file_stem(&sheet.space.name, sheet.space.id.as_str()));
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "image/svg+xml; charset=utf-8"))
        .insert_header((header::CONTENT_DISPOSITION, disposition))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(document))
}

/// The space's name as a file name any system takes (lower-case ASCII letters, digits and
/// dashes, umlauts spelt out); its id when nothing of the name is left.
fn file_stem(name: &str, id: &str) -> String {
    let mut stem = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        let spelt = match c {
            'ä' => "ae",
            'ö' => "oe",
            'ü' => "ue",
            'ß' => "ss",
            c if c.is_ascii_alphanumeric() => {
                stem.push(c);
                continue;
            }
            _ => "-",
        };
        if spelt == "-" {
            if !stem.is_empty() && !stem.ends_with('-') {
                stem.push('-');
            }
        } else {
            stem.push_str(spelt);
        }
    }
    let stem = stem.trim_end_matches('-');
    if stem.is_empty() { id.to_owned() } else { stem.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_name_is_plain_ascii() {
        assert_eq!(file_stem("Besprechungsraum Süd", "0190"), "besprechungsraum-sued");
        assert_eq!(file_stem("  Desk \"1\" / Fenster ", "0190"), "desk-1-fenster");
        assert_eq!(file_stem("„…“", "0190"), "0190");
    }
}
