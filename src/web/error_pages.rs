//! Friendly error pages for the HTML side: whatever a handler answered with an error status,
//! the person sees a page in their language that says what happened and where to go. Details
//! were logged where they happened; none are shown.

use actix_web::body::{BoxBody, EitherBody};
use actix_web::dev::ServiceResponse;
use actix_web::http::{StatusCode, header};
use actix_web::middleware::{ErrorHandlerResponse, ErrorHandlers};
use askama::Template;

use super::layout::{Layout, request_lang};
use super::session::MaybeUser;
use crate::i18n::{self, Lang};

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    layout: Layout,
    message: String,
}

/// The middleware; JSON API answers keep their JSON bodies.
pub fn error_pages<B: 'static>() -> ErrorHandlers<B> {
    ErrorHandlers::new().default_handler(render)
}

fn render<B: 'static>(response: ServiceResponse<B>) -> actix_web::Result<ErrorHandlerResponse<B>> {
    let status = response.status();
    // JSON answers (the API, /health) keep their bodies: programs read them. So do pages a
    // handler rendered itself (a throttled login says what to do next).
    let content_type = response.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let is_api = content_type.starts_with("application/json")
        || content_type.starts_with("text/html")
        || response.request().path().starts_with("/api/");
    let is_html_error = status.is_client_error() || status.is_server_error();
    if is_api || !is_html_error || status == StatusCode::UNPROCESSABLE_ENTITY || status == StatusCode::CONFLICT {
        // Forms answer 422/409 with their own page; the API answers JSON.
        return Ok(ErrorHandlerResponse::Response(response.map_into_left_body()));
    }
    let lang = request_lang(response.request());
    let key = match status {
        StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED => "error-not-found",
        StatusCode::FORBIDDEN | StatusCode::BAD_REQUEST => "error-forbidden",
        StatusCode::TOO_MANY_REQUESTS => "error-too-many",
        StatusCode::SERVICE_UNAVAILABLE => "error-unavailable",
        _ => "error-internal",
    };
    let mut layout = plain_layout(lang, response.request().path());
    layout.csrf_token = MaybeUser(None).csrf_token(response.request());
    let page = ErrorPage { layout, message: i18n::t(lang, key) };
    let body = page.render().unwrap_or_else(|_| i18n::t(lang, key));
    let (request, old) = response.into_parts();
    let mut new = actix_web::HttpResponse::build(status);
    for (name, value) in old.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            new.insert_header((name.clone(), value.clone()));
        }
    }
    let new = new.content_type("text/html; charset=utf-8").body(body);
    let response: ServiceResponse<EitherBody<B, BoxBody>> = ServiceResponse::new(request, new).map_into_right_body();
    Ok(ErrorHandlerResponse::Response(response))
}

fn plain_layout(lang: Lang, path: &str) -> Layout {
    Layout {
        lang,
        user_name: None,
        csrf_token: String::new(),
        path: path.to_owned(),
        flash: None,
        operator: None,
        staff: false,
    }
}
