//! The bearer-token extractor: the API's only way in.

use std::future::Future;
use std::pin::Pin;

use actix_web::{FromRequest, HttpRequest, dev::Payload, http::header, web};

use super::error::ApiError;
use crate::db::users::User;
use crate::domain::vocabulary::UserStatus;
use crate::service::accounts;
use crate::state::AppState;

/// The caller, identified by a valid personal API token of an active account.
#[derive(Debug, Clone)]
pub struct ApiUser(pub User);

impl FromRequest for ApiUser {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<ApiUser, ApiError>>>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let token = bearer_token(req);
        Box::pin(async move {
            let (Some(state), Some(token)) = (state, token) else {
                return Err(ApiError::unauthorized());
            };
            let now = state.clock.now();
            let user = state
                .db(move |conn| accounts::authenticate_token(conn, &token, now))
                .await?
                .ok_or_else(ApiError::unauthorized)?;
            match user.status {
                UserStatus::Active => Ok(ApiUser(user)),
                _ => Err(ApiError::account_blocked()),
            }
        })
    }
}

/// The token of an `Authorization: Bearer …` header; also used by the bridge API.
pub(crate) fn bearer_token(req: &HttpRequest) -> Option<String> {
    let value = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_owned()).filter(|t| !t.is_empty())
}
