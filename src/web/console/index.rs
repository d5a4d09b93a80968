//! `GET /console`: the hubs the viewer runs, and for admins the operator and user administration.

use actix_web::{HttpRequest, Responder, web};
use askama::Template;
use askama_web::WebTemplate;

use super::ConsoleUser;
use super::nav::ConsoleNav;
use crate::db::catalog::Hub;
use crate::state::AppState;
use crate::web::layout::Layout;
use crate::web::pages::PageError;

#[derive(Template, WebTemplate)]
#[template(path = "console/index.html")]
pub struct ConsoleIndexPage {
    pub layout: Layout,
    pub nav: ConsoleNav,
    pub hubs: Vec<Hub>,
}

/// `GET /console`
pub async fn console_index(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
) -> Result<impl Responder, PageError> {
    let scope = staff.scope.clone();
    let hubs = state.db(move |conn| scope.hubs(conn)).await?;
    Ok(ConsoleIndexPage { layout: staff.layout(&req), nav: ConsoleNav::general(staff.scope.is_admin(), "home"), hubs })
}
