//! Typed identifiers for the domain's entities.
//!
//! Ids are opaque text (UUIDv7 made by the storage layer); wrapping each kind in its own type keeps
//! a hub id from being passed where a space id is expected. Generating and parsing ids is not done
//! here.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! text_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub String);

        impl $name {
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
    };
}

text_id!(
    /// Names a person who can log in, so user-scoped data is never keyed by a bare string.
    UserId
);
text_id!(
    /// Names a hub, the place whose calendar and doors a booking depends on.
    HubId
);
text_id!(
    /// Names a bookable desk, room or piece of equipment.
    SpaceId
);
text_id!(
    /// Names a door that a bridge can unlock.
    DoorId
);
text_id!(
    /// Names one booking, so cancelling or checking in cannot hit the wrong one.
    BookingId
);
text_id!(
    /// Names the town or municipality that runs a hub.
    OperatorId
);

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
    }
}
