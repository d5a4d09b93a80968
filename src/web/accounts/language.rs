//! The language switch in the header: `GET /language?lang=en&back=/path` (the header's links,
//! no script or form needed) and `POST /language` (forms). Visitors keep their choice in a
//! cookie; logged-in users also get it stored, so e-mails follow it. Then back to the page they
//! were on, and only ever to a path on this site.

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

/// The switch as the header's links send it.
#[derive(Debug, Deserialize)]
pub struct LanguageQuery {
    #[serde(default)]
    lang: String,
    #[serde(default)]
    back: String,
}

/// `GET /language`: the header's links.
///
/// A GET carries no CSRF token, so one that another site started (the browser says so in
/// `Sec-Fetch-Site`) changes nothing and only goes back; a language is harmless to change, but a
/// stranger's page should not change it for someone.
pub async fn switch_language_link(
    req: HttpRequest,
    state: web::Data<AppState>,
    viewer: MaybeUser,
    query: web::Query<LanguageQuery>,
) -> Result<HttpResponse, PageError> {
    let started_elsewhere = req
        .headers()
        .get("sec-fetch-site")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|site| site.eq_ignore_ascii_case("cross-site"));
    let back = safe_next(Some(&query.back));
    match Lang::parse(&query.lang) {
        Some(lang) if !started_elsewhere => switch(&state, &viewer, lang, &back).await,
        _ => Ok(see_other(&back)),
    }
}

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
    switch(&state, &viewer, lang, &back).await
}

/// Stores the choice (cookie, and the account's language) and goes back.
async fn switch(state: &AppState, viewer: &MaybeUser, lang: Lang, back: &str) -> Result<HttpResponse, PageError> {
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
    let mut response = see_other(back);
    response.add_cookie(&cookie).map_err(|_| PageError::Internal)?;
    Ok(response)
}
