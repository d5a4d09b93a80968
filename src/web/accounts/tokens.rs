//! Personal API tokens on the account page: creating one (its secret is shown once, in the
//! answer to the form, never in a URL or a stored message) and revoking one.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::account_page::AccountPage;
use super::{FormErrors, forbidden, render, service_field_error};
use crate::service::accounts;
use crate::state::AppState;
use crate::web::pages::{PageError, see_other};
use crate::web::session::{CurrentUser, require_csrf};

/// The submitted "create token" form.
#[derive(Debug, Deserialize)]
pub struct CreateTokenForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    token_name: String,
}

/// The submitted "revoke" button.
#[derive(Debug, Deserialize)]
pub struct RevokeForm {
    #[serde(default)]
    csrf_token: String,
}

/// `POST /account/tokens`
pub async fn create_token(
    req: HttpRequest,
    state: web::Data<AppState>,
    current: CurrentUser,
    form: web::Form<CreateTokenForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    if require_csrf(&current, &form.csrf_token).is_err() {
        return Ok(forbidden());
    }
    let lang = current.lang;
    let (user_id, name, now) = (current.user.id.clone(), form.token_name.clone(), state.clock.now());
    let created = state.db(move |conn| accounts::create_user_api_token(conn, &user_id, &name, now)).await;
    match created {
        Ok((token, secret)) => {
            tracing::info!(user.id = %current.user.id, token.id = %token.id, "API token created");
            let mut page = AccountPage::load(&req, &state, current).await?;
            page.new_token = Some((token.name, secret));
            render(&page, StatusCode::OK)
        }
        Err(error) => {
            let mut errors = FormErrors::default();
            service_field_error(lang, error, &mut errors)?;
            // The form field is `token_name`; the service names it `name`.
            for error in &mut errors.0 {
                error.field = "token_name";
            }
            let mut page = AccountPage::load(&req, &state, current).await?;
            page.token_name = form.token_name;
            page.errors = errors;
            render(&page, StatusCode::UNPROCESSABLE_ENTITY)
        }
    }
}

/// `POST /account/tokens/{id}/revoke`; someone else's token answers 404.
pub async fn revoke_token(
    state: web::Data<AppState>,
    current: CurrentUser,
    token_id: web::Path<String>,
    form: web::Form<RevokeForm>,
) -> Result<HttpResponse, PageError> {
    if require_csrf(&current, &form.csrf_token).is_err() {
        return Ok(forbidden());
    }
    let (user_id, token_id, now) = (current.user.id.clone(), token_id.into_inner(), state.clock.now());
    let revoked_id = token_id.clone();
    state.db(move |conn| accounts::revoke_user_api_token(conn, &user_id, &token_id, now)).await?;
    tracing::info!(user.id = %current.user.id, token.id = %revoked_id, "API token revoked");
    Ok(see_other("/account?done=token-revoked"))
}
