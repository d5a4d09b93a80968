//! The words the web service and the bridge share: the id family and the booking status, defined
//! once so that the access snapshot, the door rule and the web service's own storage speak the
//! same types and nothing maps one enum onto another by hand.
//!
//! With the `storage` feature (the web service's), each id is also a diesel text type, so rows
//! load and queries bind typed ids directly and no id crosses the storage edge as a bare string.
//!
//! Also the `closed_set!` macro that gives every closed set of states (here and in the web
//! service's domain) the same stable text form. Only plain serde types belong here; nothing that
//! needs tokio, Modbus or a database.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! text_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[cfg_attr(feature = "storage", derive(diesel::AsExpression, diesel::FromSqlRow))]
        #[cfg_attr(feature = "storage", diesel(sql_type = diesel::sql_types::Text))]
        #[serde(transparent)]
        pub struct $name(pub String);

        /// Loaded from a text column as it is stored (any backend).
        #[cfg(feature = "storage")]
        impl<DB> diesel::deserialize::FromSql<diesel::sql_types::Text, DB> for $name
        where
            DB: diesel::backend::Backend,
            String: diesel::deserialize::FromSql<diesel::sql_types::Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
                String::from_sql(bytes).map(Self)
            }
        }

        /// Written to a text column and bound in queries as its text (any backend).
        #[cfg(feature = "storage")]
        impl<DB> diesel::serialize::ToSql<diesel::sql_types::Text, DB> for $name
        where
            DB: diesel::backend::Backend,
            str: diesel::serialize::ToSql<diesel::sql_types::Text, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut diesel::serialize::Output<'b, '_, DB>) -> diesel::serialize::Result {
                self.0.as_str().to_sql(out)
            }
        }

        impl $name {
            /// Wraps an id as the web service spells it.
            pub fn new(id: impl Into<String>) -> Self {
                Self(id.into())
            }

            /// The id as stored and sent over the wire.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl From<String> for $name {
            fn from(text: String) -> Self {
                Self(text)
            }
        }

        /// Storage writes the id's text.
        impl From<$name> for String {
            fn from(id: $name) -> Self {
                id.0
            }
        }
    };
}

text_id!(
    /// Names a person who can log in, so user-scoped data is never keyed by a bare string.
    UserId
);
text_id!(
    /// Names a hub, the place whose calendar and doors a booking depends on; a snapshot belongs
    /// to exactly one hub.
    HubId
);
text_id!(
    /// Names a bookable desk, room or piece of equipment; doors lead to spaces.
    SpaceId
);
text_id!(
    /// Names a door that a bridge can unlock; the bridge maps it to a Modbus unit id.
    DoorId
);
text_id!(
    /// Names one booking, so cancelling or checking in cannot hit the wrong one, and events and
    /// grants can be traced back to who was let in.
    BookingId
);
text_id!(
    /// Names the town or municipality that runs a hub.
    OperatorId
);

/// A text that names none of the values of a closed set; `kind` says which set was expected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{given:?} is not a valid {kind}")]
pub struct UnknownValue {
    pub kind: &'static str,
    pub given: String,
}

/// Defines a closed set with fixed text forms: `as_str`, `parse`, `Display`, `ALL`, serde under
/// the same text, and `String: From` for storage.
///
/// Exported so the web service's own closed sets (user status, space kind, ...) share the one
/// definition of what a stable text form is. The invoking crate needs `serde` as a dependency.
#[macro_export]
macro_rules! closed_set {
    (
        $(#[$doc:meta])*
        $name:ident, $kind:literal { $($(#[$vdoc:meta])* $variant:ident => $text:literal),+ $(,)? }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, ::serde::Serialize, ::serde::Deserialize)]
        pub enum $name {
            $($(#[$vdoc])* #[serde(rename = $text)] $variant),+
        }

        impl $name {
            /// Every value, for forms, filters and exhaustive tests.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The stable text used in storage, the CLI and the JSON API.
            pub fn as_str(&self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            /// Reads the text form written by `as_str` (exact match, so stored data stays canonical).
            ///
            /// # Errors
            /// A text that is none of the set's forms.
            pub fn parse(text: &str) -> Result<Self, $crate::vocabulary::UnknownValue> {
                match text {
                    $($text => Ok($name::$variant),)+
                    _ => Err($crate::vocabulary::UnknownValue {
                        kind: $kind,
                        given: text.chars().take(40).collect(),
                    }),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        /// Storage writes the stable text.
        impl From<$name> for String {
            fn from(value: $name) -> Self {
                value.as_str().to_owned()
            }
        }
    };
}

closed_set!(
    /// Where a booking is in its life; decides whether it still holds its space and whether it
    /// opens doors.
    BookingStatus, "booking status" {
        /// Waiting for a hub manager's approval; already holds the space.
        Pending => "pending",
        Confirmed => "confirmed",
        Cancelled => "cancelled",
        CheckedIn => "checked_in",
        /// Nobody came; the space was released.
        NoShow => "no_show",
        Completed => "completed",
    }
);

impl BookingStatus {
    /// Whether a booking in this state may open a door.
    pub fn opens_doors(self) -> bool {
        matches!(self, Self::Confirmed | Self::CheckedIn)
    }

    /// Whether a booking in this state keeps others from booking the same space and time.
    ///
    /// Completed bookings still occupy their (past) time so history never shows a double booking;
    /// cancelled and no-show bookings have released it.
    pub fn occupies_space(&self) -> bool {
        match self {
            BookingStatus::Pending | BookingStatus::Confirmed | BookingStatus::CheckedIn | BookingStatus::Completed => {
                true
            }
            BookingStatus::Cancelled | BookingStatus::NoShow => false,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn id_serializes_as_bare_string_and_displays_its_text() {
        let id = SpaceId("0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b".to_owned());
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, "\"0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b\"");
        let back: SpaceId = serde_json::from_str(&json).unwrap();
        assert_eq!(back, id);
        assert_eq!(id.to_string(), "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
        assert_eq!(id.as_str(), "0190a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b");
        assert_eq!(String::from(id.clone()), id.as_str());
    }

    #[test]
    fn only_confirmed_and_checked_in_bookings_open_doors_and_storage_writes_the_wire_text() {
        let opening: Vec<BookingStatus> = BookingStatus::ALL.iter().copied().filter(|s| s.opens_doors()).collect();
        assert_eq!(opening, [BookingStatus::Confirmed, BookingStatus::CheckedIn]);
        for status in BookingStatus::ALL {
            let wire = serde_json::to_string(status).unwrap();
            assert_eq!(wire, format!("\"{}\"", String::from(*status)));
        }
    }
}
