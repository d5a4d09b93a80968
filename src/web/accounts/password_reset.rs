//! `/password/forgot` and `/password/reset/{token}`: asking for a reset link (same answer and
//! same work for every address, limited per typed and per client address: 429 with
//! `Retry-After`) and choosing a new password with it, which ends every session and personal
//! API token of the account (the owner is told by mail).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::{
    FormErrors, client_address, forbidden, gate_error, input_message, notice, render, too_many_message,
    with_retry_after,
};
use crate::domain::account::check_new_password;
use crate::domain::email::EmailAddress;
use crate::i18n;
use crate::service::ErrorCode;
use crate::service::ServiceError;
use crate::service::accounts::{self, Admission, ThrottleKeys};
use crate::state::AppState;
use crate::web::layout::Layout;
use crate::web::pages::{PageError, see_other};
use crate::web::session::{MaybeUser, session_id_of, session_removal_cookie};

#[derive(Template)]
#[template(path = "accounts/forgot.html")]
struct ForgotPage {
    layout: Layout,
    email: String,
    errors: FormErrors,
}

#[derive(Template)]
#[template(path = "accounts/reset.html")]
struct ResetPage {
    layout: Layout,
    token: String,
    errors: FormErrors,
}

/// The submitted "forgot" form.
#[derive(Debug, Deserialize)]
pub struct ForgotForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    email: String,
}

/// The submitted new password.
#[derive(Debug, Deserialize)]
pub struct ResetForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    password: String,
}

/// `GET /password/forgot`
pub async fn forgot_form(req: HttpRequest, viewer: MaybeUser) -> Result<HttpResponse, PageError> {
    let layout = Layout::new(&req, &viewer);
    render(&ForgotPage { layout, email: String::new(), errors: FormErrors::default() }, StatusCode::OK)
}

/// `POST /password/forgot`
pub async fn forgot(
    req: HttpRequest,
    state: web::Data<AppState>,
    viewer: MaybeUser,
    form: web::Form<ForgotForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    if viewer.require_csrf(&req, &form.csrf_token).is_err() {
        return Ok(forbidden());
    }
    let layout = Layout::new(&req, &viewer);
    if EmailAddress::parse(&form.email).is_err() {
        let mut errors = FormErrors::default();
        errors.add("email", i18n::t(layout.lang, "account-error-email"));
        return render(&ForgotPage { layout, email: form.email, errors }, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let keys = ThrottleKeys::for_reset_request(&form.email, &client_address(&req, &state));
    let now = state.clock.now();
    let typed = form.email.clone();
    match state.db(move |conn| accounts::request_reset_link(conn, &keys, &typed, now)).await? {
        Admission::Admitted(_) => {
            notice(layout, "account-forgot-sent-title", "account-forgot-sent", None, StatusCode::OK)
        }
        Admission::Refused { retry_after_secs } => {
            let mut errors = FormErrors::default();
            errors.add("", too_many_message(&layout, retry_after_secs));
            let page = ForgotPage { layout, email: form.email, errors };
            Ok(with_retry_after(render(&page, StatusCode::TOO_MANY_REQUESTS)?, retry_after_secs))
        }
    }
}

/// `GET /password/reset/{token}`
pub async fn reset_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    viewer: MaybeUser,
    token: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let layout = Layout::new(&req, &viewer);
    let token = token.into_inner();
    let now = state.clock.now();
    let secret = token.clone();
    match state.db(move |conn| accounts::check_reset_link(conn, &secret, now)).await {
        Ok(()) => render(&ResetPage { layout, token, errors: FormErrors::default() }, StatusCode::OK),
        Err(error) => link_problem(layout, error),
    }
}

/// `POST /password/reset/{token}`
pub async fn reset(
    req: HttpRequest,
    state: web::Data<AppState>,
    viewer: MaybeUser,
    token: web::Path<String>,
    form: web::Form<ResetForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    if viewer.require_csrf(&req, &form.csrf_token).is_err() {
        return Ok(forbidden());
    }
    let layout = Layout::new(&req, &viewer);
    let token = token.into_inner();
    if let Err(error) = check_new_password(&form.password) {
        let mut errors = FormErrors::default();
        errors.add("password", input_message(layout.lang, error));
        return render(&ResetPage { layout, token, errors }, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let hash = state.passwords.hash(form.password).await.map_err(gate_error)?;
    let now = state.clock.now();
    let public_url = state.settings.public_url.clone();
    match state.db(move |conn| accounts::reset_password(conn, &token, &hash, &public_url, now)).await {
        Ok(_) => {
            let mut response = see_other("/login?done=reset");
            if session_id_of(&req).is_some() {
                response.add_cookie(&session_removal_cookie(&state.settings)).map_err(|_| PageError::Internal)?;
            }
            Ok(response)
        }
        Err(error) => link_problem(layout, error),
    }
}

/// The page for a link that cannot be used (unknown, used, expired); other errors are errors.
pub(super) fn link_problem(layout: Layout, error: ServiceError) -> Result<HttpResponse, PageError> {
    let key = match error {
        ServiceError::Invalid { code: ErrorCode::LinkUsed, .. } => "account-link-used",
        ServiceError::Invalid { code: ErrorCode::LinkExpired, .. } => "account-link-expired",
        ServiceError::Invalid { code: ErrorCode::LinkUnknown, .. } | ServiceError::NotFound => "account-link-unknown",
        other => return Err(other.into()),
    };
    notice(
        layout,
        "account-link-title",
        key,
        Some(("/password/forgot", "account-forgot-title")),
        StatusCode::UNPROCESSABLE_ENTITY,
    )
}
