//! `/login` and `/logout`. A login is counted and throttled before the password is checked (429
//! with `Retry-After`), and answered 503 with `Retry-After` when the password pool is full.
//! Unknown addresses cost the same argon2 work and get the same answer as wrong passwords; a
//! successful login always starts a new session with a new id and ends the one the browser had,
//! and leaves a device cookie: later logins to that account from that browser are counted on
//! their own, so guesses from elsewhere do not lock the owner out.

use actix_web::cookie::time::Duration as CookieDuration;
use actix_web::cookie::{Cookie, SameSite};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::{
    FormErrors, client_address, forbidden, gate_error, login_throttle, render, too_many_message, with_retry_after,
};
use crate::service::accounts::{self, LoginOutcome, LoginStart, ThrottleKeys};
use crate::service::password_gate::BUSY_RETRY_AFTER_SECS;
use crate::service::sessions;
use crate::state::AppState;
use crate::web::layout::Layout;
use crate::web::pages::{PageError, see_other};
use crate::web::session::{MaybeUser, require_csrf, safe_next, session_cookie, session_id_of, session_removal_cookie};

#[derive(Template)]
#[template(path = "accounts/login.html")]
struct LoginPage {
    layout: Layout,
    email: String,
    next: String,
    errors: FormErrors,
}

/// Where to go after logging in, and a message to show (after a password reset).
#[derive(Debug, Deserialize)]
pub struct LoginQuery {
    next: Option<String>,
    done: Option<String>,
}

/// The submitted form.
#[derive(Debug, Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

/// The submitted logout form.
#[derive(Debug, Deserialize)]
pub struct LogoutForm {
    #[serde(default)]
    csrf_token: String,
}

/// `GET /login`
pub async fn login_form(
    req: HttpRequest,
    viewer: MaybeUser,
    query: web::Query<LoginQuery>,
) -> Result<HttpResponse, PageError> {
    let mut layout = Layout::new(&req, &viewer);
    if query.done.as_deref() == Some("reset") {
        let message = layout.t("account-done-reset");
        layout = layout.with_flash(message);
    }
    let page = LoginPage {
        layout,
        email: String::new(),
        next: safe_next(query.next.as_deref()),
        errors: FormErrors::default(),
    };
    render(&page, StatusCode::OK)
}

/// `POST /login`
pub async fn login(
    req: HttpRequest,
    state: web::Data<AppState>,
    viewer: MaybeUser,
    form: web::Form<LoginForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    if viewer.require_csrf(&req, &form.csrf_token).is_err() {
        return Ok(forbidden());
    }
    let layout = Layout::new(&req, &viewer);
    let next = safe_next(Some(&form.next));
    // A browser its owner logged in on before is counted on its own: guesses from elsewhere do
    // not lock the owner out there.
    let secret = &state.context.secret;
    let client = client_address(&req, &state);
    let keys = match req.cookie(DEVICE_COOKIE).and_then(|c| accounts::known_device(secret, &form.email, c.value())) {
        Some(device) => ThrottleKeys::for_login_from_known_device(&device, &client, login_throttle()),
        None => ThrottleKeys::for_login(&form.email, &client, login_throttle()),
    };
    let now = state.clock.now();

    // A place at the password gate first: when every place is taken the attempt is refused
    // before it costs the database anything (and it is not counted: nothing was checked).
    let place = match state.passwords.reserve() {
        Ok(place) => place,
        Err(_) => {
            tracing::warn!("password gate busy");
            let message = layout.t("throttling-busy");
            let page = form_page(layout, form.email, next, message);
            return Ok(with_retry_after(render(&page, StatusCode::SERVICE_UNAVAILABLE)?, BUSY_RETRY_AFTER_SECS));
        }
    };
    // Counted before the password is checked, in one step with every concurrent attempt.
    let typed = form.email.clone();
    let start = state.db(move |conn| accounts::login_throttled(conn, &keys, &typed, now)).await?;
    let (account, attempt) = match start {
        LoginStart::Throttled { retry_after_secs } => {
            let message = too_many_message(&layout, retry_after_secs);
            let page = form_page(layout, form.email, next, message);
            return Ok(with_retry_after(render(&page, StatusCode::TOO_MANY_REQUESTS)?, retry_after_secs));
        }
        LoginStart::Check { account, attempt } => (account, attempt),
    };
    let stored_hash = account.as_ref().and_then(|u| u.password_hash.clone());
    let matches = place.verify(stored_hash, form.password).await.map_err(gate_error)?;
    let outcome = state.db(move |conn| accounts::finish_login(conn, account, matches, &attempt)).await?;
    let message_key = match outcome {
        LoginOutcome::LoggedIn(user) => {
            let previous = session_id_of(&req);
            let lifetime = state.settings.session_lifetime();
            let user_id = user.id.clone();
            let session = state
                .db(move |conn| sessions::start_session(conn, &user_id, previous.as_deref(), lifetime, now))
                .await?;
            tracing::info!(user.id = %user.id, "logged in");
            let mut response = see_other(&next);
            response.add_cookie(&session_cookie(&state.settings, &session.id)).map_err(|_| PageError::Internal)?;
            let device = accounts::device_cookie_value(&state.context.secret, &user.email);
            response.add_cookie(&device_cookie(&state, device)).map_err(|_| PageError::Internal)?;
            return Ok(response);
        }
        LoginOutcome::WrongCredentials => "account-login-failed",
        LoginOutcome::NotVerified => "account-login-not-verified",
        LoginOutcome::Blocked => "account-login-blocked",
    };
    let message = layout.t(message_key);
    render(&form_page(layout, form.email, next, message), StatusCode::UNPROCESSABLE_ENTITY)
}

/// Marks a browser its owner logged in on; it names no account (see `accounts::known_device`).
const DEVICE_COOKIE: &str = "regiohub_device";

/// Kept for a year: HttpOnly, SameSite=Lax, Secure behind HTTPS.
fn device_cookie(state: &AppState, value: String) -> Cookie<'static> {
    Cookie::build(DEVICE_COOKIE, value)
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(state.settings.cookie_secure())
        .max_age(CookieDuration::days(365))
        .finish()
}

/// The login form again, with one message above it.
fn form_page(layout: Layout, email: String, next: String, message: String) -> LoginPage {
    let mut errors = FormErrors::default();
    errors.add("", message);
    LoginPage { layout, email, next, errors }
}

/// `POST /logout`: ends the session on the server and makes the browser forget the cookie.
pub async fn logout(
    req: HttpRequest,
    state: web::Data<AppState>,
    viewer: MaybeUser,
    form: web::Form<LogoutForm>,
) -> Result<HttpResponse, PageError> {
    if let Some(current) = &viewer.0 {
        if require_csrf(current, &form.csrf_token).is_err() {
            return Ok(forbidden());
        }
        let session_id = current.session_id.clone();
        state.db(move |conn| sessions::end_session(conn, &session_id)).await?;
        tracing::info!(user.id = %current.user.id, "logged out");
    }
    let mut response = see_other("/");
    if session_id_of(&req).is_some() {
        response.add_cookie(&session_removal_cookie(&state.settings)).map_err(|_| PageError::Internal)?;
    }
    Ok(response)
}
