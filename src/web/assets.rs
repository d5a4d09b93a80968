//! Static assets, compiled into the binary so a deployment is one file and nothing is ever
//! loaded from another host.

use actix_web::http::header;
use actix_web::{HttpResponse, web};

/// The files under `static/`, by path below `/static/`.
const ASSETS: &[(&str, &str, &str)] = &[
    ("css/app.css", "text/css; charset=utf-8", include_str!("../../static/css/app.css")),
    ("css/qr-sheet.css", "text/css; charset=utf-8", include_str!("../../static/css/qr-sheet.css")),
    ("js/dashboard.js", "text/javascript; charset=utf-8", include_str!("../../static/js/dashboard.js")),
    ("js/day-grid.js", "text/javascript; charset=utf-8", include_str!("../../static/js/day-grid.js")),
    ("favicon.svg", "image/svg+xml", include_str!("../../static/favicon.svg")),
];

/// `GET /static/{path}`
pub async fn asset(path: web::Path<String>) -> HttpResponse {
    match ASSETS.iter().find(|(name, _, _)| *name == path.as_str()) {
        Some((_, content_type, body)) => HttpResponse::Ok()
            .insert_header((header::CONTENT_TYPE, *content_type))
            .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
            .body(*body),
        None => HttpResponse::NotFound().finish(),
    }
}

/// The icon for browsers that ask for `/favicon.ico` without reading the page's
/// `<link rel="icon">` (the SVG); a 32 × 32 PNG in an ICO container, 177 bytes.
const FAVICON_ICO: &[u8] = include_bytes!("../../static/favicon.ico");

/// `GET /favicon.ico`
pub async fn favicon() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "image/x-icon"))
        .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
        .body(FAVICON_ICO)
}
