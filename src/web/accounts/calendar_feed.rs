//! The personal calendar feed: `/account/calendar` (make a new address, shown once; revoke it)
//! and the feed itself at `/calendar/{secret}.ics`, fetched by calendar apps without a session.
//! The secret is in the path because calendar apps can send nothing else; the request log
//! never records paths (see `web::request_span`).

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono_tz::Europe::Berlin;
use serde::Deserialize;

use super::{forbidden, render};
use crate::i18n;
use crate::service::calendar_feed;
use crate::service::from_db_time;
use crate::state::AppState;
use crate::web::layout::Layout;
use crate::web::pages::{PageError, see_other};
use crate::web::session::{CurrentUser, MaybeUser, require_csrf};

/// The feed's addresses, right after they were made: the only time the secret is shown.
pub struct NewFeed {
    /// `webcal://…`: calendar apps open it as a subscription.
    pub webcal: String,
    /// `https://…` (or `http://` in a local demo): for apps that ask for an address.
    pub https: String,
}

#[derive(Template)]
#[template(path = "accounts/calendar_feed.html")]
struct CalendarFeedPage {
    layout: Layout,
    /// When the working feed was made and last fetched, if there is one.
    active: Option<(String, String)>,
    new_feed: Option<NewFeed>,
}

/// The feed's path for a secret.
fn feed_path(secret: &str) -> String {
    format!("/calendar/{secret}.ics")
}

async fn page(
    req: &HttpRequest,
    state: &AppState,
    current: CurrentUser,
    new_feed: Option<NewFeed>,
    flash: Option<&str>,
) -> Result<HttpResponse, PageError> {
    let user_id = current.user.id.clone();
    let feed = state.db(move |conn| calendar_feed::current_feed(conn, &user_id)).await?;
    let mut layout = Layout::new(req, &MaybeUser(Some(current)));
    if let Some(key) = flash {
        let message = layout.t(key);
        layout = layout.with_flash(message);
    }
    let lang = layout.lang;
    let active = feed.map(|feed| {
        let created = i18n::format_date_time(lang, from_db_time(feed.created_at), Berlin);
        let used = feed.last_used_at.map_or_else(
            || i18n::t(lang, "feed-never-fetched"),
            |at| i18n::format_date_time(lang, from_db_time(at), Berlin),
        );
        (created, used)
    });
    render(&CalendarFeedPage { layout, active, new_feed }, StatusCode::OK)
}

/// Which change just succeeded, for the message at the top.
#[derive(Debug, Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

/// `GET /account/calendar`
pub async fn feed_page(
    req: HttpRequest,
    state: web::Data<AppState>,
    current: CurrentUser,
    query: web::Query<DoneQuery>,
) -> Result<HttpResponse, PageError> {
    let flash = (query.done.as_deref() == Some("revoked")).then_some("feed-revoked");
    page(&req, &state, current, None, flash).await
}

/// The create and revoke buttons.
#[derive(Debug, Deserialize)]
pub struct FeedForm {
    #[serde(default)]
    csrf_token: String,
}

/// `POST /account/calendar`: a new address (any earlier one stops working), shown once in the
/// answer, never in a redirect's URL.
pub async fn create_feed(
    req: HttpRequest,
    state: web::Data<AppState>,
    current: CurrentUser,
    form: web::Form<FeedForm>,
) -> Result<HttpResponse, PageError> {
    if require_csrf(&current, &form.csrf_token).is_err() {
        return Ok(forbidden());
    }
    let (user_id, now) = (current.user.id.clone(), state.clock.now());
    let secret = state.db(move |conn| calendar_feed::create_feed(conn, &user_id, now)).await?;
    tracing::info!(user.id = %current.user.id, "calendar feed created");
    let https = state.context.link(&feed_path(&secret));
    let webcal = match https.split_once("://") {
        Some((_, rest)) => format!("webcal://{rest}"),
        None => https.clone(),
    };
    page(&req, &state, current, Some(NewFeed { webcal, https }), Some("feed-created")).await
}

/// `POST /account/calendar/revoke`
pub async fn revoke_feed(
    state: web::Data<AppState>,
    current: CurrentUser,
    form: web::Form<FeedForm>,
) -> Result<HttpResponse, PageError> {
    if require_csrf(&current, &form.csrf_token).is_err() {
        return Ok(forbidden());
    }
    let (user_id, now) = (current.user.id.clone(), state.clock.now());
    if state.db(move |conn| calendar_feed::revoke_feed(conn, &user_id, now)).await? {
        tracing::info!(user.id = %current.user.id, "calendar feed revoked");
    }
    Ok(see_other("/account/calendar?done=revoked"))
}

/// `GET /calendar/{secret}.ics`: the feed; an unknown or revoked address is 404, like any
/// address that does not exist.
pub async fn feed(state: web::Data<AppState>, file: web::Path<String>) -> Result<HttpResponse, PageError> {
    let Some(secret) = file.strip_suffix(".ics").map(str::to_owned) else {
        return Err(PageError::NotFound);
    };
    let (ctx, now) = (state.context.clone(), state.clock.now());
    let calendar = state.db(move |conn| calendar_feed::feed_calendar(conn, &ctx, &secret, now)).await?;
    let calendar = calendar.ok_or(PageError::NotFound)?;
    Ok(HttpResponse::Ok()
        .content_type("text/calendar; charset=utf-8")
        .insert_header(("Content-Disposition", "inline; filename=\"regiohub.ics\""))
        // Personal data behind a secret address: no shared cache may keep it.
        .insert_header((header::CACHE_CONTROL, "private, no-cache"))
        .body(calendar))
}
