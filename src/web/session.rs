//! Sessions and CSRF. PLACEHOLDER until the accounts branch lands: nobody is ever logged in,
//! and every CSRF check fails closed.

use std::future::{Ready, ready};

use actix_web::{FromRequest, HttpRequest, HttpResponse, dev::Payload, http::header};

use crate::db::users::User;
use crate::i18n::Lang;

/// The logged-in user of a request.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub user: User,
    pub session_id: String,
    pub csrf_token: String,
    pub lang: Lang,
}

impl FromRequest for CurrentUser {
    type Error = actix_web::Error;
    type Future = Ready<Result<CurrentUser, actix_web::Error>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let next = req.uri().path_and_query().map_or("/", |p| p.as_str()).to_owned();
        let response =
            HttpResponse::SeeOther().insert_header((header::LOCATION, format!("/login?next={next}"))).finish();
        ready(Err(actix_web::error::InternalError::from_response("login required", response).into()))
    }
}

/// The logged-in user, if any.
#[derive(Debug, Clone)]
pub struct MaybeUser(pub Option<CurrentUser>);

impl MaybeUser {
    /// The CSRF token for this viewer's forms.
    pub fn csrf_token(&self, _req: &HttpRequest) -> String {
        self.0.as_ref().map(|c| c.csrf_token.clone()).unwrap_or_default()
    }
}

impl FromRequest for MaybeUser {
    type Error = actix_web::Error;
    type Future = Ready<Result<MaybeUser, actix_web::Error>>;

    fn from_request(_req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        ready(Ok(MaybeUser(None)))
    }
}

/// Refuses a state-changing request whose CSRF token does not match the session's.
///
/// # Errors
/// 403 when the token is missing or wrong.
pub fn require_csrf(current: &CurrentUser, given: &str) -> Result<(), actix_web::Error> {
    if !current.csrf_token.is_empty() && current.csrf_token == given {
        Ok(())
    } else {
        Err(actix_web::error::ErrorForbidden("invalid CSRF token"))
    }
}
