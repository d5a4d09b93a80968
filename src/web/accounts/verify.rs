//! `/verify/{token}`: the link from a verification or address-change e-mail. When the account
//! has no password (registered more than once, or made by staff), the link's page asks for one
//! and the account becomes active only with it.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::password_reset::link_problem;
use super::{FormErrors, forbidden, gate_error, input_message, notice, render};
use crate::domain::account::check_new_password;
use crate::service::{ServiceError, accounts};
use crate::state::AppState;
use crate::web::layout::Layout;
use crate::web::pages::PageError;
use crate::web::session::MaybeUser;

#[derive(Template)]
#[template(path = "accounts/verify_password.html")]
struct ChoosePasswordPage {
    layout: Layout,
    token: String,
    errors: FormErrors,
}

/// The password chosen on the link's page.
#[derive(Debug, Deserialize)]
pub struct ChoosePasswordForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    password: String,
}

/// `GET /verify/{token}`
pub async fn verify(
    req: HttpRequest,
    state: web::Data<AppState>,
    viewer: MaybeUser,
    token: web::Path<String>,
) -> Result<HttpResponse, PageError> {
    let layout = Layout::new(&req, &viewer);
    let token = token.into_inner();
    let now = state.clock.now();
    let secret = token.clone();
    match state.db(move |conn| accounts::use_verification_link(conn, &secret, now)).await {
        Ok(accounts::Verified::Account) => verified(layout),
        Ok(accounts::Verified::PasswordNeeded) => {
            render(&ChoosePasswordPage { layout, token, errors: FormErrors::default() }, StatusCode::OK)
        }
        Ok(accounts::Verified::NewEmail) => {
            notice(layout, "account-email-changed-title", "account-email-changed", None, StatusCode::OK)
        }
        Err(ServiceError::Conflict { .. }) => {
            notice(layout, "account-link-title", "account-email-taken", None, StatusCode::CONFLICT)
        }
        Err(error) => link_problem(layout, error),
    }
}

/// `POST /verify/{token}`: the password for an account that has none; activates it.
pub async fn choose_password(
    req: HttpRequest,
    state: web::Data<AppState>,
    viewer: MaybeUser,
    token: web::Path<String>,
    form: web::Form<ChoosePasswordForm>,
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
        return render(&ChoosePasswordPage { layout, token, errors }, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let hash = state.passwords.hash(form.password).await.map_err(gate_error)?;
    let now = state.clock.now();
    match state.db(move |conn| accounts::verify_with_password(conn, &token, &hash, now)).await {
        Ok(()) => verified(layout),
        Err(error) => link_problem(layout, error),
    }
}

fn verified(layout: Layout) -> Result<HttpResponse, PageError> {
    notice(layout, "account-verified-title", "account-verified", Some(("/login", "account-to-login")), StatusCode::OK)
}
