//! A person's rights over their data: "download all my data" as JSON, and deleting the account.
//! The export holds what we store about the person — never a password hash, token hash or
//! session id; deletion removes the person and keeps their bookings anonymised.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::db::users::{self as user_rows};
use crate::db::{DbConn, personal_data};
use crate::domain::ids::{HubId, UserId};
use crate::domain::vocabulary::RoleKind;
use crate::service::{ServiceError, UnitOfWork, from_db_time, to_db_time};

/// Everything stored about one person, as handed to them.
#[derive(Debug, Clone, Serialize)]
pub struct PersonalDataExport {
    pub exported_at: DateTime<Utc>,
    pub profile: ProfileExport,
    pub roles: Vec<RoleExport>,
    pub bookings: Vec<BookingExport>,
    /// The guests the person invited to their bookings, as they typed them.
    pub guest_invitations: Vec<GuestInvitationExport>,
    pub api_tokens: Vec<ApiTokenExport>,
}

/// An invitation as the member made it (the guest's PIN was never stored).
#[derive(Debug, Clone, Serialize)]
pub struct GuestInvitationExport {
    pub booking_id: String,
    pub name: String,
    pub email: String,
    pub language: String,
    pub invited_at: DateTime<Utc>,
    pub withdrawn_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProfileExport {
    pub id: UserId,
    pub email: String,
    pub name: String,
    pub language: String,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Clone, Serialize)]
pub struct RoleExport {
    pub role: RoleKind,
    pub hub_id: Option<HubId>,
}

#[derive(Debug, Clone, Serialize)]
pub struct BookingExport {
    pub id: String,
    pub hub: String,
    pub space: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub cancelled_at: Option<DateTime<Utc>>,
}

/// A token's name and dates; the secret was never stored and its hash is not handed out.
#[derive(Debug, Clone, Serialize)]
pub struct ApiTokenExport {
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// Gathers the export for one user.
///
/// # Errors
/// `NotFound` for an unknown user; a database error.
pub fn export_personal_data(
    conn: &mut DbConn,
    user_id: &UserId,
    now: DateTime<Utc>,
) -> Result<PersonalDataExport, ServiceError> {
    let user = user_rows::find_user(conn, user_id)?.ok_or(ServiceError::NotFound)?;
    let roles = user_rows::list_roles(conn, user_id)?
        .into_iter()
        .map(|r| RoleExport { role: r.role, hub_id: r.hub_id })
        .collect();
    let bookings = personal_data::list_bookings_for_export(conn, user_id)?
        .into_iter()
        .map(|b| BookingExport {
            id: b.id,
            hub: b.hub_name,
            space: b.space_name,
            start: from_db_time(b.start_at),
            end: from_db_time(b.end_at),
            status: b.status.as_str().to_owned(),
            created_at: from_db_time(b.created_at),
            cancelled_at: b.cancelled_at.map(from_db_time),
        })
        .collect();
    let guest_invitations = crate::db::guests::guests_invited_by(conn, user_id)?
        .into_iter()
        .map(|g| GuestInvitationExport {
            booking_id: g.booking_id.into(),
            name: g.name,
            email: g.email,
            language: g.locale,
            invited_at: from_db_time(g.created_at),
            withdrawn_at: g.withdrawn_at.map(from_db_time),
        })
        .collect();
    let api_tokens = user_rows::list_api_tokens(conn, user_id)?
        .into_iter()
        .map(|t| ApiTokenExport {
            name: t.name,
            created_at: from_db_time(t.created_at),
            last_used_at: t.last_used_at.map(from_db_time),
            revoked_at: t.revoked_at.map(from_db_time),
        })
        .collect();
    Ok(PersonalDataExport {
        exported_at: now,
        profile: ProfileExport {
            id: user.id,
            email: user.email,
            name: user.name,
            language: user.locale,
            status: user.status.as_str().to_owned(),
            created_at: from_db_time(user.created_at),
            updated_at: from_db_time(user.updated_at),
        },
        roles,
        bookings,
        guest_invitations,
        api_tokens,
    })
}

/// Deletes the account: bookings that have not ended are cancelled (no door opens for a deleted
/// person), the guests the person invited are deleted, every booking loses its link to the
/// person, sessions, links, tokens and roles go, and the user row is deleted — all in one
/// transaction.
///
/// # Errors
/// `NotFound` for an unknown user; a database error.
pub fn delete_account(tx: &mut UnitOfWork<'_>, user_id: &UserId, now: DateTime<Utc>) -> Result<(), ServiceError> {
    tx.write_transaction(|tx| {
        user_rows::find_user(tx, user_id)?.ok_or(ServiceError::NotFound)?;
        let cancelled = personal_data::cancel_unfinished_bookings(tx, user_id, to_db_time(now))?;
        // The guests the person invited (names and addresses they typed) go too; their PINs stop.
        if crate::db::guests::delete_guests_of_user(tx, user_id)? > 0 {
            tx.access_changed_somewhere();
        }
        personal_data::delete_user_and_anonymise(tx, user_id, to_db_time(now))?;
        tracing::info!(user.id = %user_id, bookings.cancelled = cancelled, "account deleted");
        Ok(())
    })
}
