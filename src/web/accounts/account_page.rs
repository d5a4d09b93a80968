//! `/account`: the profile (name, e-mail address, language), the password change and the list
//! of API tokens on one page; the token and data actions have their own modules.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use chrono_tz::Europe::Berlin;
use serde::Deserialize;

use super::{
    FormErrors, client_address, forbidden, gate_error, input_message, login_throttle, render, too_many_attempts,
};
use crate::db::users::ApiToken;
use crate::domain::account::{DisplayName, check_new_password};
use crate::domain::email::EmailAddress;
use crate::i18n::{self, Lang};
use crate::service::accounts::{self, Admission, LoginOutcome, ThrottleKeys};
use crate::service::cards;
use crate::service::from_db_time;
use crate::state::AppState;
use crate::web::layout::Layout;
use crate::web::pages::{PageError, see_other};
use crate::web::session::{CurrentUser, MaybeUser, require_csrf};

/// One of the member's door cards.
pub struct CardRow {
    pub id: String,
    pub hub: String,
    pub label: String,
    pub hint: String,
    pub created: String,
}

/// One row of the token list.
pub struct TokenRow {
    pub id: String,
    pub name: String,
    pub created: String,
    pub last_used: String,
}

#[derive(Template)]
#[template(path = "accounts/account.html")]
pub(super) struct AccountPage {
    pub layout: Layout,
    pub name: String,
    pub email: String,
    pub locale: String,
    pub token_name: String,
    pub new_token: Option<(String, String)>,
    pub tokens: Vec<TokenRow>,
    pub cards: Vec<CardRow>,
    pub errors: FormErrors,
}

impl AccountPage {
    /// The page as the user's stored profile and tokens fill it.
    pub(super) async fn load(
        req: &HttpRequest,
        state: &AppState,
        current: CurrentUser,
    ) -> Result<AccountPage, PageError> {
        let user_id = current.user.id.clone();
        let (tokens, cards) = state
            .db(move |conn| Ok((accounts::list_user_api_tokens(conn, &user_id)?, cards::member_cards(conn, &user_id)?)))
            .await?;
        let (name, email, locale) =
            (current.user.name.clone(), current.user.email.clone(), current.user.locale.clone());
        let layout = Layout::new(req, &MaybeUser(Some(current)));
        let tokens = tokens.iter().map(|t| token_row(layout.lang, t)).collect();
        let cards = cards
            .into_iter()
            .map(|(card, hub)| CardRow {
                id: card.id,
                hub,
                label: card.label,
                hint: format!("…{}", card.uid_hint),
                created: i18n::format_date_time(layout.lang, from_db_time(card.created_at), Berlin),
            })
            .collect();
        Ok(AccountPage {
            layout,
            name,
            email,
            locale,
            token_name: String::new(),
            new_token: None,
            tokens,
            cards,
            errors: FormErrors::default(),
        })
    }
}

fn token_row(lang: Lang, token: &ApiToken) -> TokenRow {
    TokenRow {
        id: token.id.clone(),
        name: token.name.clone(),
        created: i18n::format_date_time(lang, from_db_time(token.created_at), Berlin),
        last_used: token.last_used_at.map_or_else(
            || i18n::t(lang, "account-token-never-used"),
            |at| i18n::format_date_time(lang, from_db_time(at), Berlin),
        ),
    }
}

/// Which change just succeeded, for the message at the top.
#[derive(Debug, Deserialize)]
pub struct DoneQuery {
    done: Option<String>,
}

/// `GET /account`
pub async fn account(
    req: HttpRequest,
    state: web::Data<AppState>,
    current: CurrentUser,
    query: web::Query<DoneQuery>,
) -> Result<HttpResponse, PageError> {
    let mut page = AccountPage::load(&req, &state, current).await?;
    let key = match query.done.as_deref() {
        Some("profile") => Some("account-done-profile"),
        Some("email") => Some("account-done-email"),
        Some("password") => Some("account-done-password"),
        Some("token-revoked") => Some("account-done-token-revoked"),
        Some("card-revoked") => Some("account-done-card-revoked"),
        _ => None,
    };
    if let Some(key) = key {
        let message = page.layout.t(key);
        page.layout = page.layout.with_flash(message);
    }
    render(&page, StatusCode::OK)
}

/// The submitted profile form.
#[derive(Debug, Deserialize)]
pub struct ProfileForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    locale: String,
    /// The current password; needed only when the address changes.
    #[serde(default)]
    email_password: String,
}

/// `POST /account/profile`: name and language apply at once; a new address needs the current
/// password and gets a link first, and the old address is told.
pub async fn update_profile(
    req: HttpRequest,
    state: web::Data<AppState>,
    current: CurrentUser,
    form: web::Form<ProfileForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    if require_csrf(&current, &form.csrf_token).is_err() {
        return Ok(forbidden());
    }
    let lang = current.lang;
    let mut errors = FormErrors::default();
    let name = DisplayName::parse(&form.name).map_err(|e| errors.add("name", input_message(lang, e))).ok();
    let email =
        EmailAddress::parse(&form.email).map_err(|_| errors.add("email", i18n::t(lang, "account-error-email"))).ok();
    let new_lang = Lang::parse(&form.locale).unwrap_or(lang);
    let (Some(name), Some(email), true) = (name, email, errors.is_empty()) else {
        return profile_errors(&req, &state, current, form, errors).await;
    };
    let email_changes = email.as_str() != current.user.email;
    if email_changes {
        if form.email_password.is_empty() {
            errors.add("email_password", i18n::t(lang, "account-email-password-missing"));
            return profile_errors(&req, &state, current, form, errors).await;
        }
        match confirm_password(&req, &state, &current, form.email_password.clone()).await? {
            PasswordCheck::Throttled => return Ok(too_many_attempts()),
            PasswordCheck::Wrong => {
                errors.add("email_password", i18n::t(lang, "account-password-wrong"));
                return profile_errors(&req, &state, current, form, errors).await;
            }
            PasswordCheck::Right => {}
        }
    }
    let user = current.user.clone();
    let now = state.clock.now();
    let public_url = state.settings.public_url.clone();
    state
        .db(move |conn| {
            accounts::change_name(conn, &user.id, &name, now)?;
            accounts::set_language(conn, &user.id, new_lang, now)?;
            if email_changes {
                accounts::request_email_change(conn, &user, &email, new_lang, &public_url, now)?;
            }
            Ok(())
        })
        .await?;
    Ok(see_other(if email_changes { "/account?done=email" } else { "/account?done=profile" }))
}

async fn profile_errors(
    req: &HttpRequest,
    state: &AppState,
    current: CurrentUser,
    form: ProfileForm,
    errors: FormErrors,
) -> Result<HttpResponse, PageError> {
    let mut page = AccountPage::load(req, state, current).await?;
    page.name = form.name;
    page.email = form.email;
    page.errors = errors;
    render(&page, StatusCode::UNPROCESSABLE_ENTITY)
}

/// The submitted password change.
#[derive(Debug, Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
}

/// `POST /account/password`: needs the current password (throttled like a login, so a taken-over
/// session cannot guess it); ends every other session.
pub async fn change_password(
    req: HttpRequest,
    state: web::Data<AppState>,
    current: CurrentUser,
    form: web::Form<PasswordForm>,
) -> Result<HttpResponse, PageError> {
    let form = form.into_inner();
    if require_csrf(&current, &form.csrf_token).is_err() {
        return Ok(forbidden());
    }
    let lang = current.lang;
    let mut errors = FormErrors::default();
    if let Err(e) = check_new_password(&form.new_password) {
        errors.add("new_password", input_message(lang, e));
    }
    match confirm_password(&req, &state, &current, form.current_password).await? {
        PasswordCheck::Throttled => return Ok(too_many_attempts()),
        PasswordCheck::Wrong => errors.add("current_password", i18n::t(lang, "account-password-wrong")),
        PasswordCheck::Right => {}
    }
    if !errors.is_empty() {
        let mut page = AccountPage::load(&req, &state, current).await?;
        page.errors = errors;
        return render(&page, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let hash = state.passwords.hash(form.new_password).await.map_err(gate_error)?;
    let (user_id, session_id, now) = (current.user.id.clone(), current.session_id.clone(), state.clock.now());
    state.db(move |conn| accounts::change_password(conn, &user_id, &hash, &session_id, now)).await?;
    Ok(see_other("/account?done=password"))
}

/// Whether a password typed to confirm an action is the account's.
pub(super) enum PasswordCheck {
    Right,
    Wrong,
    Throttled,
}

/// Checks a confirming password like a login: throttled, and a wrong one counts as a failure.
pub(super) async fn confirm_password(
    req: &HttpRequest,
    state: &AppState,
    current: &CurrentUser,
    password: String,
) -> Result<PasswordCheck, PageError> {
    let keys = ThrottleKeys::for_login(&current.user.email, &client_address(req, state), login_throttle());
    let now = state.clock.now();
    let attempt = match state.db(move |conn| accounts::take_attempt(conn, &keys, now)).await? {
        Admission::Refused { .. } => return Ok(PasswordCheck::Throttled),
        Admission::Admitted(attempt) => attempt,
    };
    let matches = state.passwords.verify(current.user.password_hash.clone(), password).await.map_err(gate_error)?;
    let user = current.user.clone();
    let outcome = state.db(move |conn| accounts::finish_login(conn, Some(user), matches, &attempt)).await?;
    Ok(if matches!(outcome, LoginOutcome::LoggedIn(_)) { PasswordCheck::Right } else { PasswordCheck::Wrong })
}
