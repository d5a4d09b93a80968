//! The storage edge of the domain's closed sets: how a text column becomes a typed value when a
//! row is loaded.
//!
//! Each typed column has its own wrapper type (loaded as text, on SQLite and PostgreSQL alike),
//! used as a row field's `#[diesel(deserialize_as = ...)]`; its conversion to the domain type
//! fails with an [`UnknownStoredValue`] that names the table and the column, so a stored text
//! that none of the enum's values writes is a load error and never silently becomes some
//! default. Writing needs no wrapper: the enums convert into their stable text
//! (`#[diesel(serialize_as = String)]`). The domain stays free of diesel; the glue lives here.

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql, FromSqlRow};
use diesel::sql_types::{Nullable, Text};

use crate::domain::vocabulary::{
    AlarmKind, BookingStatus, BookingUnit, CommandStatus, RoleKind, SensedPresence, SpaceKind, UserStatus,
};

/// A stored text that is none of the values its column may hold.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown value {value:?} in {table}.{column}")]
pub struct UnknownStoredValue {
    pub table: &'static str,
    pub column: &'static str,
    /// The stored text, cut to 40 characters.
    pub value: String,
}

/// Defines the wrapper of one typed column (and, with `nullable`, of its nullable form, as a left
/// join reads it).
macro_rules! stored_column {
    ($(#[$doc:meta])* $wrapper:ident => $value:ty, $table:literal . $column:literal $(, nullable $nullable:ident)?) => {
        $(#[$doc])*
        #[derive(Debug, FromSqlRow)]
        pub struct $wrapper(String);

        impl<DB> FromSql<Text, DB> for $wrapper
        where
            DB: Backend,
            String: FromSql<Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
                Ok(Self(String::from_sql(bytes)?))
            }
        }

        impl TryFrom<$wrapper> for $value {
            type Error = UnknownStoredValue;

            fn try_from(stored: $wrapper) -> Result<Self, Self::Error> {
                <$value>::parse(&stored.0).map_err(|unknown| UnknownStoredValue {
                    table: $table,
                    column: $column,
                    value: unknown.given,
                })
            }
        }

        $(
            /// The same column read through a left join, where a missing row reads as NULL.
            #[derive(Debug, FromSqlRow)]
            pub struct $nullable(Option<$wrapper>);

            impl<DB> FromSql<Nullable<Text>, DB> for $nullable
            where
                DB: Backend,
                String: FromSql<Text, DB>,
            {
                fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
                    Ok(Self(Some($wrapper::from_sql(bytes)?)))
                }

                fn from_nullable_sql(bytes: Option<DB::RawValue<'_>>) -> deserialize::Result<Self> {
                    bytes.map_or(Ok(Self(None)), Self::from_sql)
                }
            }

            impl TryFrom<$nullable> for Option<$value> {
                type Error = UnknownStoredValue;

                fn try_from(stored: $nullable) -> Result<Self, Self::Error> {
                    stored.0.map(<$value>::try_from).transpose()
                }
            }
        )?
    };
}

stored_column!(
    /// `bookings.status`.
    BookingsStatus => BookingStatus, "bookings"."status"
);
stored_column!(
    /// `users.status`.
    UsersStatus => UserStatus, "users"."status", nullable UsersStatusIfAny
);
stored_column!(
    /// `spaces.kind`.
    SpacesKind => SpaceKind, "spaces"."kind"
);
stored_column!(
    /// `spaces.booking_unit`.
    SpacesBookingUnit => BookingUnit, "spaces"."booking_unit"
);

stored_column!(
    /// `user_roles.role`.
    UserRolesRole => RoleKind, "user_roles"."role"
);
stored_column!(
    /// `door_commands.status`.
    DoorCommandsStatus => CommandStatus, "door_commands"."status"
);
stored_column!(
    /// `alarms.kind`.
    AlarmsKind => AlarmKind, "alarms"."kind"
);
stored_column!(
    /// `presence_readings.presence`.
    PresenceReadingsPresence => SensedPresence, "presence_readings"."presence"
);

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::db::bookings::OCCUPYING;
    use crate::db::pins::PIN_HOLDING;

    fn texts(keep: impl Fn(BookingStatus) -> bool) -> Vec<&'static str> {
        BookingStatus::ALL.iter().copied().filter(|status| keep(*status)).map(|status| status.as_str()).collect()
    }

    /// The queries filter on these texts; they must say what the vocabulary says.
    #[test]
    fn the_status_filters_of_the_queries_match_the_vocabulary() {
        assert_eq!(texts(|status| status.occupies_space()), OCCUPYING);
        assert_eq!(texts(BookingStatus::opens_doors), PIN_HOLDING);
    }

    #[test]
    fn an_unknown_stored_text_names_table_and_column() {
        let error = BookingStatus::try_from(BookingsStatus("checked-in".to_owned())).unwrap_err();
        assert_eq!(error.to_string(), r#"unknown value "checked-in" in bookings.status"#);
        assert_eq!(SpaceKind::try_from(SpacesKind("desk".to_owned())), Ok(SpaceKind::Desk));
        assert_eq!(Option::<UserStatus>::try_from(UsersStatusIfAny(None)), Ok(None));
    }

    #[test]
    fn every_typed_column_reads_its_texts_and_names_itself_on_an_unknown_one() {
        let unknown = [
            RoleKind::try_from(UserRolesRole("owner".to_owned())).unwrap_err(),
            CommandStatus::try_from(DoorCommandsStatus("sent".to_owned())).unwrap_err(),
            AlarmKind::try_from(AlarmsKind("fire".to_owned())).unwrap_err(),
            SensedPresence::try_from(PresenceReadingsPresence("absent".to_owned())).unwrap_err(),
        ];
        let named: Vec<String> = unknown.iter().map(ToString::to_string).collect();
        assert_eq!(
            named,
            [
                r#"unknown value "owner" in user_roles.role"#,
                r#"unknown value "sent" in door_commands.status"#,
                r#"unknown value "fire" in alarms.kind"#,
                r#"unknown value "absent" in presence_readings.presence"#,
            ]
        );
        assert_eq!(RoleKind::try_from(UserRolesRole("hub_manager".to_owned())), Ok(RoleKind::HubManager));
        assert_eq!(CommandStatus::try_from(DoorCommandsStatus("expired".to_owned())), Ok(CommandStatus::Expired));
        assert_eq!(AlarmKind::try_from(AlarmsKind("keypad_lockout".to_owned())), Ok(AlarmKind::KeypadLockout));
        assert_eq!(SensedPresence::try_from(PresenceReadingsPresence("empty".to_owned())), Ok(SensedPresence::Empty));
    }
}
