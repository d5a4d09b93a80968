//! Sessions and CSRF for the HTML side: who is logged in (the `CurrentUser` and `MaybeUser`
//! extractors), the session and visitor cookies, and the per-session token every state-changing
//! form repeats. Whether a session is still valid is decided in `service::sessions`.
//!
//! Visitors (login, registration, the language switch) get a CSRF token too: a random value in
//! their own cookie that the form must repeat (double submit). The Origin / Sec-Fetch-Site check
//! in `web::cross_site` backs both up.

use std::future::Future;
use std::pin::Pin;

use actix_web::body::MessageBody;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpMessage, HttpRequest, HttpResponse, http::header, web};
use subtle::ConstantTimeEq;

use crate::config::Settings;
use crate::db::users::User;
use crate::i18n::Lang;
use crate::service::accounts::random_urlsafe;
use crate::service::console::StaffScope;
use crate::service::sessions;
use crate::state::AppState;

/// The session cookie behind HTTPS: `__Host-` makes browsers insist on Secure, Path=/ and no
/// Domain, so no other host or path can set or shadow it.
pub const SESSION_COOKIE_SECURE: &str = "__Host-regiohub_session";
/// The session cookie over plain HTTP (development), where `__Host-` is not allowed.
pub const SESSION_COOKIE_PLAIN: &str = "regiohub_session";
/// The visitor's CSRF cookie behind HTTPS.
pub const VISITOR_CSRF_COOKIE_SECURE: &str = "__Host-regiohub_csrf";
/// The visitor's CSRF cookie over plain HTTP.
pub const VISITOR_CSRF_COOKIE_PLAIN: &str = "regiohub_csrf";

/// The logged-in user of a request. Extracting it from a request without a valid session
/// answers with a redirect (303) to `/login?next=<this path>`.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub user: User,
    /// The session id from the cookie (not stored anywhere in this form).
    pub session_id: String,
    pub csrf_token: String,
    pub lang: Lang,
    /// The hubs this user may run in the console; `None` for members.
    pub staff: Option<StaffScope>,
}

/// The logged-in user, if any; never fails.
#[derive(Debug, Clone)]
pub struct MaybeUser(pub Option<CurrentUser>);

/// The visitor's CSRF token, kept in request extensions; `fresh` ones still need their cookie.
#[derive(Debug, Clone)]
struct VisitorToken {
    value: String,
    fresh: bool,
}

impl MaybeUser {
    /// The CSRF token for this viewer's forms: the session's, or the visitor's own.
    pub fn csrf_token(&self, req: &HttpRequest) -> String {
        match &self.0 {
            Some(current) => current.csrf_token.clone(),
            None => visitor_token(req),
        }
    }

    /// Checks a submitted CSRF token against this viewer's.
    ///
    /// # Errors
    /// 403 when it is missing or wrong.
    pub fn require_csrf(&self, req: &HttpRequest, given: &str) -> Result<(), actix_web::Error> {
        match &self.0 {
            Some(current) => require_csrf(current, given),
            None => require_visitor_csrf(req, given),
        }
    }
}

/// Compares two tokens in constant time; an empty expected token never matches.
pub fn csrf_ok(expected: &str, given: &str) -> bool {
    !expected.is_empty() && bool::from(expected.as_bytes().ct_eq(given.as_bytes()))
}

/// A form that carries nothing but its CSRF token: the buttons that change one thing (cancel,
/// open a door, accept an offer, approve, remove, enable, rotate, acknowledge).
#[derive(Debug, serde::Deserialize)]
pub struct TokenOnly {
    #[serde(default)]
    pub csrf_token: String,
}

/// Call first in every state-changing handler of a logged-in user.
///
/// # Errors
/// 403 when the token is missing or wrong.
pub fn require_csrf(current: &CurrentUser, given: &str) -> Result<(), actix_web::Error> {
    if csrf_ok(&current.csrf_token, given) {
        Ok(())
    } else {
        tracing::warn!(user.id = %current.user.id, "CSRF token missing or wrong");
        Err(actix_web::error::ErrorForbidden("invalid CSRF token"))
    }
}

/// Call first in a state-changing handler that visitors use (login, registration): the form's
/// token must repeat the visitor's cookie.
///
/// # Errors
/// 403 when the cookie or the token is missing, or they differ.
pub fn require_visitor_csrf(req: &HttpRequest, given: &str) -> Result<(), actix_web::Error> {
    let expected = req.cookie(visitor_cookie_name(&settings_of(req))).map(|c| c.value().to_owned()).unwrap_or_default();
    if csrf_ok(&expected, given) {
        Ok(())
    } else {
        tracing::warn!("visitor CSRF token missing or wrong");
        Err(actix_web::error::ErrorForbidden("invalid CSRF token"))
    }
}

/// The session cookie's name under these settings.
pub fn session_cookie_name(settings: &Settings) -> &'static str {
    if settings.cookie_secure() { SESSION_COOKIE_SECURE } else { SESSION_COOKIE_PLAIN }
}

/// The visitor CSRF cookie's name under these settings.
pub fn visitor_cookie_name(settings: &Settings) -> &'static str {
    if settings.cookie_secure() { VISITOR_CSRF_COOKIE_SECURE } else { VISITOR_CSRF_COOKIE_PLAIN }
}

/// The cookie that carries a new session id: HttpOnly (no script reads it), SameSite=Lax (not
/// sent on cross-site posts), Path=/, Secure behind HTTPS; no expiry, the server ends it.
pub fn session_cookie(settings: &Settings, session_id: &str) -> Cookie<'static> {
    base_cookie(session_cookie_name(settings), session_id.to_owned(), settings)
}

/// A cookie that makes the browser forget its session cookie.
pub fn session_removal_cookie(settings: &Settings) -> Cookie<'static> {
    let mut cookie = base_cookie(session_cookie_name(settings), String::new(), settings);
    cookie.make_removal();
    cookie
}

fn base_cookie(name: &'static str, value: String, settings: &Settings) -> Cookie<'static> {
    Cookie::build(name, value)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(settings.cookie_secure())
        .finish()
}

fn settings_of(req: &HttpRequest) -> std::sync::Arc<Settings> {
    req.app_data::<web::Data<AppState>>().map(|state| state.settings.clone()).unwrap_or_default()
}

/// The session id the browser sent, if any.
pub fn session_id_of(req: &HttpRequest) -> Option<String> {
    req.cookie(session_cookie_name(&settings_of(req))).map(|c| c.value().to_owned()).filter(|v| !v.is_empty())
}

/// The visitor's token: from this request's extensions, else the cookie, else a new one (whose
/// cookie the middleware [`visitor_csrf_cookie`] sets on the response).
fn visitor_token(req: &HttpRequest) -> String {
    if let Some(token) = req.extensions().get::<VisitorToken>() {
        return token.value.clone();
    }
    let from_cookie = req
        .cookie(visitor_cookie_name(&settings_of(req)))
        .map(|c| c.value().to_owned())
        .filter(|v| v.len() >= 32 && v.len() <= 64);
    let token = match from_cookie {
        Some(value) => VisitorToken { value, fresh: false },
        None => VisitorToken { value: random_urlsafe(32), fresh: true },
    };
    let value = token.value.clone();
    req.extensions_mut().insert(token);
    value
}

/// Middleware: sets the visitor CSRF cookie when a page handed out a new visitor token.
///
/// # Errors
/// Whatever the wrapped service returns.
pub async fn visitor_csrf_cookie(
    req: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, actix_web::Error> {
    let mut response = next.call(req).await?;
    let fresh = response.request().extensions().get::<VisitorToken>().filter(|t| t.fresh).map(|t| t.value.clone());
    if let Some(value) = fresh {
        let settings = settings_of(response.request());
        let cookie = base_cookie(visitor_cookie_name(&settings), value, &settings);
        response.response_mut().add_cookie(&cookie)?;
    }
    Ok(response)
}

/// The resolved session of a request, cached so that several extractors look it up once.
#[derive(Debug, Clone)]
struct ResolvedSession(Option<CurrentUser>);

async fn resolve(req: HttpRequest) -> Result<Option<CurrentUser>, actix_web::Error> {
    if let Some(resolved) = req.extensions().get::<ResolvedSession>() {
        return Ok(resolved.0.clone());
    }
    let current = match (req.app_data::<web::Data<AppState>>().cloned(), session_id_of(&req)) {
        (Some(state), Some(session_id)) => {
            let now = state.clock.now();
            let lifetime = state.settings.session_lifetime();
            let id = session_id.clone();
            let live = state
                .db(move |conn| {
                    let Some(live) = sessions::resume_session(conn, &id, lifetime, now)? else {
                        return Ok(None);
                    };
                    let staff = StaffScope::of_user(conn, &live.user.id)?;
                    Ok(Some((live, staff)))
                })
                .await
                .map_err(crate::web::pages::PageError::from)?;
            live.map(|(live, staff)| CurrentUser {
                lang: Lang::parse(&live.user.locale).unwrap_or_default(),
                user: live.user,
                session_id,
                csrf_token: live.session.csrf_token,
                staff,
            })
        }
        _ => None,
    };
    req.extensions_mut().insert(ResolvedSession(current.clone()));
    Ok(current)
}

/// Where to send someone who must log in first, back to here afterwards. A form sent after the
/// session ended cannot be repeated by a redirect, so it comes back to the page the form was on.
fn login_redirect(req: &HttpRequest) -> HttpResponse {
    let here = if req.method() == actix_web::http::Method::GET || req.method() == actix_web::http::Method::HEAD {
        safe_next(req.uri().path_and_query().map(|p| p.as_str()))
    } else {
        safe_next(req.headers().get(header::REFERER).and_then(|v| v.to_str().ok()).and_then(local_part))
    };
    let query = serde_urlencoded::to_string([("next", here.as_str())]).unwrap_or_default();
    let mut response = HttpResponse::SeeOther();
    response.insert_header((header::LOCATION, format!("/login?{query}")));
    if session_id_of(req).is_some() {
        response.cookie(session_removal_cookie(&settings_of(req)));
    }
    response.finish()
}

impl FromRequest for CurrentUser {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<CurrentUser, actix_web::Error>>>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            match resolve(req.clone()).await? {
                Some(current) => Ok(current),
                None => {
                    Err(actix_web::error::InternalError::from_response("login required", login_redirect(&req)).into())
                }
            }
        })
    }
}

impl FromRequest for MaybeUser {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<MaybeUser, actix_web::Error>>>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { Ok(MaybeUser(resolve(req).await?)) })
    }
}

/// The path and query of an absolute URL (`https://host/path?q` → `/path?q`).
fn local_part(url: &str) -> Option<&str> {
    let (_, rest) = url.split_once("://")?;
    rest.find('/').map(|i| &rest[i..])
}

/// A `next` target that stays on this site: a local path, never `//host` or `/\host`, which
/// browsers would read as another site.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(path)
            if path.starts_with('/')
                && !path.starts_with("//")
                && !path.starts_with("/\\")
                && !path.chars().any(|c| c.is_control()) =>
        {
            path.to_owned()
        }
        _ => "/".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn csrf_tokens_must_match_exactly_and_exist() {
        assert!(csrf_ok("abc123", "abc123"));
        assert!(!csrf_ok("abc123", "abc124"));
        assert!(!csrf_ok("abc123", "abc12"));
        assert!(!csrf_ok("", ""));
    }

    #[test]
    fn next_never_leaves_the_site() {
        assert_eq!(safe_next(Some("/bookings/1?x=2")), "/bookings/1?x=2");
        for bad in ["//evil.example", "/\\evil.example", "https://evil.example", "", "javascript:alert(1)"] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad}");
        }
        assert_eq!(safe_next(None), "/");
        assert_eq!(local_part("http://127.0.0.1:8080/account?x=1"), Some("/account?x=1"));
        assert_eq!(local_part("https://host"), None);
    }

    #[test]
    fn cookies_follow_the_secure_setting() {
        let mut settings = Settings { cookie_secure: Some(true), ..Settings::default() };
        let cookie = session_cookie(&settings, "id").to_string();
        assert!(cookie.starts_with("__Host-regiohub_session=id"), "{cookie}");
        for part in ["HttpOnly", "SameSite=Lax", "Secure", "Path=/"] {
            assert!(cookie.contains(part), "{cookie} lacks {part}");
        }
        settings.cookie_secure = Some(false);
        let cookie = session_cookie(&settings, "id").to_string();
        assert!(cookie.starts_with("regiohub_session=id") && !cookie.contains("Secure"), "{cookie}");
        settings.cookie_secure = None;
        settings.public_url = "https://buchen.example".to_owned();
        assert_eq!(session_cookie_name(&settings), SESSION_COOKIE_SECURE);
    }
}
