//! `POST /language`: the language switch in the header. Visitors keep their choice in a cookie;
//! logged-in users also get it stored, so e-mails follow it. Then back to the page they were on.

use actix_web::cookie::{Cookie, SameSite, time::Duration};
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;

use super::forbidden;
use crate::i18n::Lang;
use crate::service::accounts;
use crate::state::AppState;
use crate::web::layout::LANG_COOKIE;
use crate::web::pages::{PageError, see_other};
use crate::web::session::{MaybeUser, safe_next};

/// The submitted switch.
#[derive(Debug, Deserialize)]
pub struct LanguageForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    lang: String,
    #[serde(default)]
    back: String,
}

/// `POST /language`
pub async fn switch_language(
    req: HttpRequest,
    state: web::Data<AppState>,
    viewer: MaybeUser,
    form: web::Form<LanguageForm>,
) -> Result<HttpResponse, PageError> {
    if viewer.require_csrf(&req, &form.csrf_token).is_err() {
        return Ok(forbidden());
    }
    let back = safe_next(Some(&form.back));
    let Some(lang) = Lang::parse(&form.lang) else {
        return Ok(see_other(&back));
    };
    if let Some(current) = &viewer.0 {
        let (user_id, now) = (current.user.id.clone(), state.clock.now());
        state.db(move |conn| accounts::set_language(conn, &user_id, lang, now)).await?;
    }
    let cookie = Cookie::build(LANG_COOKIE, lang.code())
        .path("/")
        .same_site(SameSite::Lax)
        .http_only(true)
        .secure(state.settings.cookie_secure())
        .max_age(Duration::days(365))
        .finish();
    let mut response = see_other(&back);
    response.add_cookie(&cookie).map_err(|_| PageError::Internal)?;
    Ok(response)
}
