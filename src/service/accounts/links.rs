//! Single-use e-mail links: issuing one (only its SHA-256 is stored) and redeeming one exactly
//! once, before it expires, for the purpose it was issued for.

use chrono::{DateTime, Utc};

use super::{random_urlsafe, token_hash};
use crate::db::DbConn;
use crate::db::email_tokens::{self as token_rows, EmailToken};
use crate::domain::account::{LinkError, TokenPurpose, check_link};
use crate::domain::ids::UserId;
use crate::service::ErrorCode;
use crate::service::{ServiceError, from_db_time, to_db_time};

/// Creates a link secret for `purpose`; older unused links of the same purpose stop working.
///
/// # Errors
/// On a database error.
pub(super) fn issue_link(
    conn: &mut DbConn,
    user_id: &UserId,
    purpose: TokenPurpose,
    new_email: Option<&str>,
    now: DateTime<Utc>,
) -> Result<String, ServiceError> {
    token_rows::retire_user_email_tokens(conn, user_id, purpose.as_str(), to_db_time(now))?;
    let secret = random_urlsafe(32);
    token_rows::insert_email_token(
        conn,
        &EmailToken {
            token_hash: token_hash(&secret),
            user_id: user_id.to_owned(),
            purpose: purpose.as_str().to_owned(),
            new_email: new_email.map(str::to_owned),
            created_at: to_db_time(now),
            expires_at: to_db_time(now + purpose.lifetime()),
            used_at: None,
        },
    )?;
    Ok(secret)
}

/// The stored link for `secret` if it can be used now for one of `wanted`, without using it.
///
/// # Errors
/// `Invalid` with code `link_unknown`, `link_used` or `link_expired`; or a database error.
pub(super) fn peek_link(
    conn: &mut DbConn,
    secret: &str,
    wanted: &[TokenPurpose],
    now: DateTime<Utc>,
) -> Result<(EmailToken, TokenPurpose), ServiceError> {
    let token = token_rows::find_email_token(conn, &token_hash(secret))?;
    let Some(token) = token else {
        return Err(link_error(LinkError::Unknown));
    };
    let purpose = check_link(
        TokenPurpose::parse(&token.purpose),
        wanted,
        from_db_time(token.expires_at),
        token.used_at.is_some(),
        now,
    )
    .map_err(link_error)?;
    Ok((token, purpose))
}

/// Uses the link: checks it like [`peek_link`] and marks it used, once.
///
/// # Errors
/// Like [`peek_link`]; `link_used` also when a concurrent click used it first.
pub(super) fn redeem_link(
    conn: &mut DbConn,
    secret: &str,
    wanted: &[TokenPurpose],
    now: DateTime<Utc>,
) -> Result<(EmailToken, TokenPurpose), ServiceError> {
    let (token, purpose) = peek_link(conn, secret, wanted, now)?;
    if !token_rows::mark_email_token_used(conn, &token.token_hash, to_db_time(now))? {
        return Err(link_error(LinkError::Used));
    }
    Ok((token, purpose))
}

/// The absolute address of a link page, for e-mails.
pub(super) fn link_url(public_url: &str, path: &str, secret: &str) -> String {
    format!("{}/{}/{secret}", public_url.trim_end_matches('/'), path.trim_matches('/'))
}

fn link_error(error: LinkError) -> ServiceError {
    let code = match error {
        LinkError::Unknown => ErrorCode::LinkUnknown,
        LinkError::Used => ErrorCode::LinkUsed,
        LinkError::Expired => ErrorCode::LinkExpired,
    };
    ServiceError::Invalid { field: "token", code, message: error.to_string() }
}
