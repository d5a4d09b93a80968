//! "Download all my data" (`/account/export`, JSON) and "delete my account" (`/account/delete`,
//! a confirmation page that asks for the password, then the deletion).

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::account_page::{PasswordCheck, confirm_password};
use super::{FormErrors, forbidden, notice, render, too_many_attempts};
use crate::i18n;
use crate::service::accounts;
use crate::state::AppState;
use crate::web::layout::Layout;
use crate::web::pages::PageError;
use crate::web::session::{CurrentUser, MaybeUser, require_csrf, session_removal_cookie};

#[derive(Template)]
#[template(path = "accounts/delete.html")]
struct DeletePage {
    layout: Layout,
    errors: FormErrors,
}

/// The submitted confirmation.
#[derive(Debug, Deserialize)]
pub struct DeleteForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    password: String,
}

/// `GET /account/export`: the JSON file with everything stored about the person.
pub async fn export(state: web::Data<AppState>, current: CurrentUser) -> Result<HttpResponse, PageError> {
    let (user_id, now) = (current.user.id.clone(), state.clock.now());
    let export = state.db(move |conn| accounts::export_personal_data(conn, &user_id, now)).await?;
    let body = serde_json::to_string_pretty(&export).map_err(|_| PageError::Internal)?;
    Ok(HttpResponse::Ok()
        .content_type("application/json; charset=utf-8")
        .insert_header((header::CONTENT_DISPOSITION, "attachment; filename=\"regiohub-my-data.json\""))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(body))
}

/// `GET /account/delete`: the confirmation step.
pub async fn confirm_delete(req: HttpRequest, current: CurrentUser) -> Result<HttpResponse, PageError> {
    let layout = Layout::new(&req, &MaybeUser(Some(current)));
    render(&DeletePage { layout, errors: FormErrors::default() }, StatusCode::OK)
}

/// `POST /account/delete`: with the right password, deletes the account and ends the session.
pub async fn delete(
    req: HttpRequest,
    state: web::Data<AppState>,
    current: CurrentUser,
    form: web::Form<DeleteForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    if require_csrf(&current, &form.csrf_token).is_err() {
        return Ok(forbidden());
    }
    let lang = current.lang;
    let problem = if form.password.is_empty() {
        Some("account-error-password_required")
    } else {
        match confirm_password(&req, &state, &current, form.password).await? {
            PasswordCheck::Throttled => return Ok(too_many_attempts()),
            PasswordCheck::Wrong => Some("account-password-wrong"),
            PasswordCheck::Right => None,
        }
    };
    if let Some(key) = problem {
        let mut errors = FormErrors::default();
        errors.add("password", i18n::t(lang, key));
        let layout = Layout::new(&req, &MaybeUser(Some(current)));
        return render(&DeletePage { layout, errors }, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let (user_id, now) = (current.user.id.clone(), state.clock.now());
    state.db(move |conn| accounts::delete_account(conn, &user_id, now)).await?;
    let mut layout = Layout::new(&req, &MaybeUser(None));
    layout.lang = lang;
    let mut response = notice(layout, "account-deleted-title", "account-deleted", None, StatusCode::OK)?;
    response.add_cookie(&session_removal_cookie(&state.settings)).map_err(|_| PageError::Internal)?;
    Ok(response)
}
