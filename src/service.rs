//! Use cases: register a user, issue a token, book, cancel, show availability. Each takes a
//! database connection (or, when it changes what others wait for, the [`UnitOfWork`] that records
//! it) and plain values, checks the domain rules and writes in one transaction. No HTTP types
//! here: the web layer and the command line both call these.

pub mod accounts;
pub mod alarm_mail;
pub mod announcements;
pub mod approval_mail;
pub mod approvals;
pub mod availability;
pub mod booking;
pub mod booking_changes;
pub mod booking_context;
pub mod booking_mail;
pub mod booking_series;
pub mod bridge_link;
pub mod calendar;
pub mod calendar_feed;
pub mod cards;
pub mod catalogue;
pub mod check_in;
pub mod console;
pub mod context;
pub mod door_controls;
pub mod error_code;
pub mod floor_plan;
pub mod floor_plan_svg;
pub mod guests;
pub mod house_rules;
pub mod monitoring;
pub mod password_gate;
pub mod pin;
pub mod presence;
pub mod remote_unlock;
pub mod sessions;
pub mod space_details;
pub mod space_photos;
pub mod unit_of_work;
pub mod waitlist;

pub use context::ServiceContext;
pub use error_code::ErrorCode;
pub use unit_of_work::UnitOfWork;

use crate::db::DbError;
use crate::domain::booking::RuleViolation;
use crate::domain::local_time::LocalTimeError;
use crate::domain::slot::SlotError;

/// Why a use case did not happen.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    /// The thing does not exist or the caller may not see it; the two are not told apart.
    #[error("not found")]
    NotFound,
    /// The request is fine but the state does not allow it, e.g. the slot is taken.
    #[error("{message}")]
    Conflict { code: ErrorCode, message: String },
    /// A booking rule refused the request.
    #[error(transparent)]
    Rule(#[from] RuleViolation),
    /// A local time that does not exist or is ambiguous on a DST day.
    #[error(transparent)]
    LocalTime(#[from] LocalTimeError),
    /// A value is malformed or out of range.
    #[error("{field}: {message}")]
    Invalid { field: &'static str, code: ErrorCode, message: String },
    #[error(transparent)]
    Db(#[from] DbError),
}

impl From<diesel::result::Error> for ServiceError {
    fn from(error: diesel::result::Error) -> Self {
        ServiceError::Db(DbError::from(error))
    }
}

impl From<SlotError> for ServiceError {
    fn from(error: SlotError) -> Self {
        ServiceError::Invalid { field: "end", code: ErrorCode::EndNotAfterStart, message: error.to_string() }
    }
}

/// Stored times are UTC without an offset, to the second.
pub(crate) fn to_db_time(t: chrono::DateTime<chrono::Utc>) -> chrono::NaiveDateTime {
    use chrono::SubsecRound;
    t.naive_utc().trunc_subsecs(0)
}

/// The inverse of [`to_db_time`].
pub(crate) fn from_db_time(t: chrono::NaiveDateTime) -> chrono::DateTime<chrono::Utc> {
    t.and_utc()
}
