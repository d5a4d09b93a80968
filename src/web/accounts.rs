//! The account pages: register, log in and out, verify an address, reset a forgotten password,
//! the account page (profile, password, API tokens, data export, deletion) and the language
//! switch. Handlers check the CSRF token first, call the account services and render; the rules
//! live in `service::accounts` and `domain::account`.

mod account_page;
mod calendar_feed;
mod cards;
mod language;
mod login;
mod password_reset;
mod personal_data;
mod register;
mod tokens;
mod verify;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::pages::PageError;
use super::pages::book::FieldError;
use crate::domain::account::{AccountInputError, LoginThrottle};
use crate::i18n::{self, Lang};
use crate::service::ServiceError;
use crate::service::password_gate::GateError;
use crate::state::AppState;
use crate::web::layout::Layout;

/// The account routes; called from `web::routes`.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/register")
            .route(web::get().to(register::register_form))
            .route(web::post().to(register::register)),
    );
    cfg.service(web::resource("/login").route(web::get().to(login::login_form)).route(web::post().to(login::login)));
    cfg.service(web::resource("/logout").route(web::post().to(login::logout)));
    cfg.service(
        web::resource("/verify/{token}")
            .route(web::get().to(verify::verify))
            .route(web::post().to(verify::choose_password)),
    );
    cfg.service(
        web::resource("/password/forgot")
            .route(web::get().to(password_reset::forgot_form))
            .route(web::post().to(password_reset::forgot)),
    );
    cfg.service(
        web::resource("/password/reset/{token}")
            .route(web::get().to(password_reset::reset_form))
            .route(web::post().to(password_reset::reset)),
    );
    cfg.service(web::resource("/account").route(web::get().to(account_page::account)));
    cfg.service(web::resource("/account/profile").route(web::post().to(account_page::update_profile)));
    cfg.service(web::resource("/account/password").route(web::post().to(account_page::change_password)));
    cfg.service(web::resource("/account/tokens").route(web::post().to(tokens::create_token)));
    cfg.service(web::resource("/account/tokens/{id}/revoke").route(web::post().to(tokens::revoke_token)));
    cfg.service(
        web::resource("/account/calendar")
            .route(web::get().to(calendar_feed::feed_page))
            .route(web::post().to(calendar_feed::create_feed)),
    );
    cfg.service(web::resource("/account/calendar/revoke").route(web::post().to(calendar_feed::revoke_feed)));
    cfg.service(web::resource("/calendar/{file}").route(web::get().to(calendar_feed::feed)));
    cfg.service(web::resource("/account/cards/{id}/revoke").route(web::post().to(cards::revoke_card)));
    cfg.service(web::resource("/account/export").route(web::get().to(personal_data::export)));
    cfg.service(
        web::resource("/account/delete")
            .route(web::get().to(personal_data::confirm_delete))
            .route(web::post().to(personal_data::delete)),
    );
    cfg.service(
        web::resource("/language")
            .route(web::get().to(language::switch_language_link))
            .route(web::post().to(language::switch_language)),
    );
}

/// The failed-login limits in force.
fn login_throttle() -> LoginThrottle {
    LoginThrottle::default()
}

/// The errors of one form, shown next to their fields and in a summary at the top.
#[derive(Default)]
pub struct FormErrors(pub Vec<FieldError>);

impl FormErrors {
    pub fn add(&mut self, field: &'static str, message: String) {
        self.0.push(FieldError { field, message });
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The message for `field`, if it has one.
    pub fn error_for(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|e| e.field == field).map(|e| e.message.as_str())
    }

    /// Every error, for the summary.
    pub fn all(&self) -> &[FieldError] {
        &self.0
    }
}

/// The sentence for a refused name or password.
fn input_message(lang: Lang, error: AccountInputError) -> String {
    i18n::t(lang, &format!("account-error-{}", error.code()))
}

/// A page with a title, a message and an optional link: "check your inbox", "link expired".
#[derive(Template)]
#[template(path = "accounts/notice.html")]
struct NoticePage {
    layout: Layout,
    title: String,
    message: String,
    link: Option<(String, String)>,
}

fn notice(
    layout: Layout,
    title_key: &str,
    message_key: &str,
    link: Option<(&str, &str)>,
    status: StatusCode,
) -> Result<HttpResponse, PageError> {
    let page = NoticePage {
        title: layout.t(title_key),
        message: layout.t(message_key),
        link: link.map(|(href, key)| (href.to_owned(), layout.t(key))),
        layout,
    };
    render(&page, status)
}

/// Renders a page; account (and console) pages are personal and carry form tokens, so nothing
/// caches them.
pub(crate) fn render(page: &impl Template, status: StatusCode) -> Result<HttpResponse, PageError> {
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(page.render()?))
}

/// Maps a busy or failed password gate to the error page.
fn gate_error(error: GateError) -> PageError {
    match error {
        GateError::Busy => {
            tracing::warn!("password gate busy");
            PageError::Unavailable
        }
        GateError::Failed(message) => {
            tracing::error!(error = %message, "password hashing failed");
            PageError::Internal
        }
    }
}

/// 403 for a missing or wrong CSRF token; the error pages make it readable.
fn forbidden() -> HttpResponse {
    HttpResponse::Forbidden().finish()
}

/// 429 when failed confirming passwords were throttled (the account pages).
fn too_many_attempts() -> HttpResponse {
    HttpResponse::TooManyRequests().insert_header((header::RETRY_AFTER, "900")).finish()
}

/// The message for a throttled attempt, naming the wait in whole minutes.
fn too_many_message(layout: &Layout, retry_after_secs: u64) -> String {
    layout.t1("throttling-too-many", "minutes", retry_after_secs.div_ceil(60).max(1))
}

/// Sets `Retry-After` on a refused answer (429 throttled, 503 password pool full).
fn with_retry_after(mut response: HttpResponse, retry_after_secs: u64) -> HttpResponse {
    if let Ok(value) = header::HeaderValue::from_str(&retry_after_secs.max(1).to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
    response
}

/// The client address failed logins are counted against: the peer, or the last hop a trusted
/// reverse proxy added to `X-Forwarded-For`.
fn client_address(req: &HttpRequest, state: &AppState) -> String {
    if state.settings.trust_forwarded_for
        && let Some(forwarded) = req
            .headers()
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.rsplit(',').next())
            .map(str::trim)
            .filter(|v| !v.is_empty())
    {
        return forwarded.to_owned();
    }
    req.peer_addr().map(|a| a.ip().to_string()).unwrap_or_default()
}

/// Turns a service refusal on a form into field errors, or a page error for anything else.
fn service_field_error(lang: Lang, error: ServiceError, errors: &mut FormErrors) -> Result<(), PageError> {
    match error {
        ServiceError::Invalid { field, code, .. } => {
            errors.add(field, i18n::t(lang, &format!("account-error-{code}")));
            Ok(())
        }
        other => Err(other.into()),
    }
}
