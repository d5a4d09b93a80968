//! `/verify/{token}`: the link from a verification or address-change e-mail.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};

use super::notice;
use super::password_reset::link_problem;
use crate::service::{ServiceError, accounts};
use crate::state::AppState;
use crate::web::layout::Layout;
use crate::web::pages::PageError;
use crate::web::session::MaybeUser;

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
    match state.db(move |conn| accounts::use_verification_link(conn, &token, now)).await {
        Ok(accounts::Verified::Account) => notice(
            layout,
            "account-verified-title",
            "account-verified",
            Some(("/login", "account-to-login")),
            StatusCode::OK,
        ),
        Ok(accounts::Verified::NewEmail) => {
            notice(layout, "account-email-changed-title", "account-email-changed", None, StatusCode::OK)
        }
        Err(ServiceError::Conflict { .. }) => {
            notice(layout, "account-link-title", "account-email-taken", None, StatusCode::CONFLICT)
        }
        Err(error) => link_problem(layout, error),
    }
}
