//! `/console/hubs/{hub}/spaces/{id}/qr`: a printable A4 sheet with the space's check-in QR code
//! (drawn as inline SVG here, no image service), the space's and hub's names and the address
//! in writing for anyone who cannot scan.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

use super::{load, render};
use crate::db::catalog::Hub;
use crate::domain::check_in::CheckInMode;
use crate::service::console::catalog::spaces;
use crate::state::AppState;
use crate::web::console::ConsoleUser;
use crate::web::console::nav::ConsoleNav;
use crate::web::layout::Layout;

#[derive(Template)]
#[template(path = "console/catalog/space_qr.html")]
struct QrSheetPage {
    layout: Layout,
    nav: ConsoleNav,
    hub: Hub,
    space_id: String,
    space: String,
    url: String,
    /// The code as an SVG element, made here from the address alone.
    svg: String,
    manual: bool,
    no_show_minutes: i32,
}

/// The QR code of `url` as an SVG element to put inline (without the XML declaration).
fn qr_svg(url: &str) -> Result<String, qrcode::types::QrError> {
    let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M)?;
    let image = code.render::<svg::Color<'_>>().min_dimensions(256, 256).quiet_zone(true).build();
    Ok(match image.find("<svg") {
        Some(start) => image[start..].to_owned(),
        None => image,
    })
}

/// `GET /console/hubs/{hub}/spaces/{id}/qr`
pub async fn qr_sheet(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<(String, String)>,
) -> actix_web::Result<HttpResponse> {
    let (hub, space_id) = path.into_inner();
    let ctx = state.context.clone();
    let sheet = load(&state, &staff, move |conn, staff| spaces::qr_sheet(conn, &ctx, staff, &hub, &space_id)).await?;
    let svg = qr_svg(&sheet.url).map_err(|error| {
        tracing::error!(error = %error, "QR code not drawn");
        actix_web::error::ErrorInternalServerError("QR code")
    })?;
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
    Ok(render(&page, StatusCode::OK)?)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn the_code_is_an_inline_svg_element() {
        let svg = qr_svg("https://buchen.regiohub.example/check-in/0190").unwrap();
        assert!(svg.starts_with("<svg"), "{svg}");
        assert!(!svg.contains("<?xml"));
    }
}
