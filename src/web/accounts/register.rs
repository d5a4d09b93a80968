//! `/register`: the registration form and what happens when it is sent. Whether the address
//! has an account or not, the answer is the same page after the same work (a password hash).
//! Registrations are counted per typed and per client address before the hash, like logins.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::{
    FormErrors, client_address, forbidden, gate_error, input_message, notice, render, too_many_message,
    with_retry_after,
};
use crate::domain::account::{DisplayName, check_new_password};
use crate::domain::email::EmailAddress;
use crate::i18n;
use crate::service::accounts::{self, Admission, ThrottleKeys};
use crate::service::password_gate::BUSY_RETRY_AFTER_SECS;
use crate::state::AppState;
use crate::web::layout::Layout;
use crate::web::pages::PageError;
use crate::web::session::MaybeUser;

#[derive(Template)]
#[template(path = "accounts/register.html")]
struct RegisterPage {
    layout: Layout,
    name: String,
    email: String,
    errors: FormErrors,
}

/// The submitted form.
#[derive(Debug, Deserialize)]
pub struct RegisterForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

/// `GET /register`
pub async fn register_form(req: HttpRequest, viewer: MaybeUser) -> Result<HttpResponse, PageError> {
    let layout = Layout::new(&req, &viewer);
    render(
        &RegisterPage { layout, name: String::new(), email: String::new(), errors: FormErrors::default() },
        StatusCode::OK,
    )
}

/// `POST /register`
pub async fn register(
    req: HttpRequest,
    state: web::Data<AppState>,
    viewer: MaybeUser,
    form: web::Form<RegisterForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    if viewer.require_csrf(&req, &form.csrf_token).is_err() {
        return Ok(forbidden());
    }
    let layout = Layout::new(&req, &viewer);
    let lang = layout.lang;
    let mut errors = FormErrors::default();
    let name = DisplayName::parse(&form.name).map_err(|e| errors.add("name", input_message(lang, e))).ok();
    let email =
        EmailAddress::parse(&form.email).map_err(|_| errors.add("email", i18n::t(lang, "account-error-email"))).ok();
    if let Err(e) = check_new_password(&form.password) {
        errors.add("password", input_message(lang, e));
    }
    let (Some(name), Some(email), true) = (name, email, errors.is_empty()) else {
        let page = RegisterPage { layout, name: form.name, email: form.email, errors };
        return render(&page, StatusCode::UNPROCESSABLE_ENTITY);
    };
    // A place at the password gate first, then counted before the password is hashed, like a
    // login: when every place is taken the attempt costs the database nothing and does not count.
    let Ok(place) = state.passwords.reserve() else {
        errors.add("", layout.t("throttling-busy"));
        let page = RegisterPage { layout, name: form.name, email: form.email, errors };
        return Ok(with_retry_after(render(&page, StatusCode::SERVICE_UNAVAILABLE)?, BUSY_RETRY_AFTER_SECS));
    };
    let keys = ThrottleKeys::for_registration(email.as_str(), &client_address(&req, &state));
    let now = state.clock.now();
    if let Admission::Refused { retry_after_secs } =
        state.db(move |conn| accounts::take_attempt(conn, &keys, now)).await?
    {
        errors.add("", too_many_message(&layout, retry_after_secs));
        let page = RegisterPage { layout, name: form.name, email: form.email, errors };
        return Ok(with_retry_after(render(&page, StatusCode::TOO_MANY_REQUESTS)?, retry_after_secs));
    }
    let hash = place.hash(form.password).await.map_err(gate_error)?;
    let public_url = state.settings.public_url.clone();
    state.db(move |conn| accounts::register(conn, &email, &name, &hash, lang, &public_url, now)).await?;
    notice(layout, "account-register-sent-title", "account-register-sent", None, StatusCode::OK)
}
