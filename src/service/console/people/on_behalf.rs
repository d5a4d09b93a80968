//! Booking on behalf of a person (a walk-in, a phone call, a club): by e-mail address. A known
//! person gets the booking and the confirmation mail with the PIN; an unknown address gets a new
//! account in status `pending` without a password, and the confirmation mail carries the link
//! to claim it (choose a password), which activates it.

use chrono::{DateTime, Utc};

use crate::db::DbConn;
use crate::db::catalog::{self, Hub, Space};
use crate::db::users as user_rows;
use crate::domain::account::DisplayName;
use crate::domain::email::EmailAddress;
use crate::domain::ids::{SpaceId, UserId};
use crate::domain::vocabulary::UserStatus;
use crate::i18n::Lang;
use crate::service::ErrorCode;
use crate::service::UnitOfWork;
use crate::service::booking::{self, BookingView, NewBookingRequest, OnBehalf};
use crate::service::console::StaffScope;
use crate::service::console::audit::{self, Change};
use crate::service::{ServiceContext, ServiceError, accounts, from_db_time};

/// What a member of staff asks to book.
#[derive(Debug, Clone)]
pub struct OnBehalfRequest {
    pub email: String,
    /// Used only when the address has no account yet.
    pub name: String,
    /// The language of the mails to a new person.
    pub lang: Lang,
    pub booking: NewBookingRequest,
}

/// A booking made on behalf of someone.
#[derive(Debug, Clone)]
pub struct OnBehalfBooked {
    pub view: BookingView,
    /// Whether an account was made for the address (it waits to be claimed).
    pub new_account: bool,
}

/// The hub and its spaces that can be booked now (enabled), by name.
///
/// # Errors
/// `NotFound` for a hub outside the scope; on a database error.
pub fn bookable_spaces(
    conn: &mut DbConn,
    scope: &StaffScope,
    hub_ref: &str,
) -> Result<(Hub, Vec<Space>), ServiceError> {
    let hub = scope.hub(conn, hub_ref)?;
    let mut spaces: Vec<Space> = catalog::list_spaces(conn, &hub.id)?.into_iter().filter(|s| s.enabled).collect();
    spaces.sort_by(|a, b| a.name.cmp(&b.name));
    Ok((hub, spaces))
}

/// A space of the hub, enabled or not (a disabled one is refused by the booking rules, next to
/// the field).
///
/// # Errors
/// `NotFound` for an unknown space or one of another hub; on a database error.
pub fn hub_space(conn: &mut DbConn, scope: &StaffScope, hub: &Hub, space_id: &SpaceId) -> Result<Space, ServiceError> {
    let space = catalog::find_space(conn, space_id)?.ok_or(ServiceError::NotFound)?;
    scope.require_in(&space.hub_id, hub)?;
    Ok(space)
}

/// Books for the person with this address, making a pending account when there is none. The
/// booking rules apply as for members (hours, closures, overlaps, limits), except that a space
/// needing approval is confirmed at once. Nothing is written unless the booking is.
///
/// # Errors
/// `NotFound` for a hub outside the scope or a space of another hub; `Invalid` on the `email`
/// (`invalid_email`, `person_blocked`) or `name` field (the `DisplayName` codes); and whatever
/// [`booking::create_booking`] refuses with.
pub fn book_on_behalf(
    tx: &mut UnitOfWork<'_>,
    ctx: &ServiceContext,
    scope: &StaffScope,
    actor_id: &UserId,
    hub_ref: &str,
    request: &OnBehalfRequest,
    now: DateTime<Utc>,
) -> Result<OnBehalfBooked, ServiceError> {
    let hub = scope.hub(tx, hub_ref)?;
    let space = hub_space(tx, scope, &hub, &request.booking.space_id)?;
    let email = EmailAddress::parse(&request.email).map_err(|_| invalid("email", ErrorCode::InvalidEmail))?;
    tx.write_transaction(|tx| {
        let (person, new_account) = match user_rows::find_user_by_email(tx, email.as_str())? {
            Some(user) => (user, false),
            None => {
                // No password: nobody can log in with it until the link in the mail is used.
                let name = DisplayName::parse(&request.name).map_err(|e| invalid("name", e.into()))?;
                let person = accounts::insert_pending_member(tx, &email, &name, request.lang, None, now)?;
                tracing::info!(user.id = %person.id, "account made on behalf, waiting to be claimed");
                (person, true)
            }
        };
        let claim_link = match person.status {
            UserStatus::Blocked => return Err(invalid("email", ErrorCode::PersonBlocked)),
            UserStatus::Pending => Some(accounts::issue_claim_link(tx, &person.id, &ctx.public_url, now)?),
            UserStatus::Active => None,
        };
        let on_behalf = OnBehalf { staff_id: actor_id, claim_link: claim_link.as_deref() };
        let created = booking::create_booking(tx, ctx, &person, &request.booking, Some(&on_behalf), now)?;
        let tz = hub.zone();
        let (start, end) = (from_db_time(created.view.booking.start_at), from_db_time(created.view.booking.end_at));
        let details = format!(
            "for {}{}, {}–{}",
            person.email,
            if new_account { " (new account, to be claimed)" } else { "" },
            start.with_timezone(&tz).format("%Y-%m-%d %H:%M"),
            end.with_timezone(&tz).format("%Y-%m-%d %H:%M"),
        );
        let change =
            Change { actor_id, hub_id: Some(&hub.id), action: "booking_on_behalf", subject: &space.name, details };
        audit::record(tx, change, now)?;
        Ok(OnBehalfBooked { view: created.view, new_account })
    })
}

fn invalid(field: &'static str, code: ErrorCode) -> ServiceError {
    ServiceError::Invalid { field, code, message: format!("{field}: {code}") }
}
