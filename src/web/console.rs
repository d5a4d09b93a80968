//! The hub manager console under `/console`: staff only (members get 404), every page scoped to
//! the hubs the viewer runs. This module holds what every console page shares (the `ConsoleUser`
//! extractor, the hub navigation, the route table); each area lives in its own module.

pub mod audit;
pub mod cards;
pub mod catalog;
pub mod csv_export;
pub mod door_controls;
pub mod index;
pub mod live;
pub mod nav;
pub mod people;
pub mod reports;

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};

use super::layout::Layout;
use super::pages::PageError;
use super::session::{CurrentUser, MaybeUser};
use crate::domain::ids::UserId;
use crate::service::console::StaffScope;

pub use crate::web::session::TokenOnly;

/// A submitted form: its CSRF token and the fields the use case reads (a service's `…Input`, all
/// text, so the form can be shown again exactly as typed).
#[derive(Debug, serde::Deserialize)]
pub struct WithToken<T> {
    #[serde(default)]
    pub csrf_token: String,
    #[serde(flatten)]
    pub form: T,
}

/// A logged-in member of staff and the hubs they run. Without a session the request goes to the
/// login page; a member without a staff role gets 404, as if the console did not exist.
#[derive(Debug, Clone)]
pub struct ConsoleUser {
    pub current: CurrentUser,
    pub scope: StaffScope,
}

impl ConsoleUser {
    /// The page layout for this viewer.
    pub fn layout(&self, req: &HttpRequest) -> Layout {
        Layout::new(req, &MaybeUser(Some(self.current.clone())))
    }

    /// The user id, for the audit trail.
    pub fn user_id(&self) -> &UserId {
        &self.current.user.id
    }

    /// Checks a submitted CSRF token against the session's.
    ///
    /// # Errors
    /// 403 when it is missing or wrong.
    pub fn require_csrf(&self, given: &str) -> Result<(), actix_web::Error> {
        super::session::require_csrf(&self.current, given)
    }
}

impl FromRequest for ConsoleUser {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<ConsoleUser, actix_web::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let current = CurrentUser::from_request(req, payload);
        Box::pin(async move {
            let current = current.await?;
            match current.staff.clone() {
                Some(scope) => Ok(ConsoleUser { current, scope }),
                None => Err(PageError::NotFound.into()),
            }
        })
    }
}

/// The console's routes, mounted under `/console`.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(web::resource("").route(web::get().to(index::console_index)));
    cfg.service(web::resource("/audit").route(web::get().to(audit::all_audit)));
    cfg.service(web::resource("/hubs/{hub}/audit").route(web::get().to(audit::hub_audit)));
    catalog::routes(cfg);
    door_controls::routes(cfg);
    cards::routes(cfg);
    people::routes(cfg);
    live::routes(cfg);
    reports::routes(cfg);
}
