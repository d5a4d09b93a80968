//! Roles: what a user may do, and which hubs a hub manager runs.
//!
//! The role's text form (`member`, `admin`, `manager:<hub>`) is read from the CLI and forms and
//! stored with the user. The closed sets of states live in `vocabulary`.

use crate::domain::ids::HubId;
use serde::{Deserialize, Serialize};
use std::fmt;

/// What a user may do: members book, hub managers also run the hubs they manage, admins run all.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Member,
    HubManager(HubId),
    Admin,
}

/// Why a role text (from the CLI or a form) was not understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RoleError {
    #[error("unknown role {given:?}: use member, admin or manager:<hub>")]
    Unknown { given: String },
    #[error("the manager role needs a hub: use manager:<hub>")]
    MissingHub,
}

impl Role {
    /// Parses `member`, `admin` or `manager:<hub>`; the hub text is kept as given (slug or id) and
    /// the caller resolves it to a real hub id.
    pub fn parse(text: &str) -> Result<Role, RoleError> {
        let trimmed = text.trim();
        if trimmed.eq_ignore_ascii_case("member") {
            return Ok(Role::Member);
        }
        if trimmed.eq_ignore_ascii_case("admin") {
            return Ok(Role::Admin);
        }
        let (keyword, hub) = trimmed.split_once(':').unwrap_or((trimmed, ""));
        if keyword.trim().eq_ignore_ascii_case("manager") {
            let hub = hub.trim();
            if hub.is_empty() {
                return Err(RoleError::MissingHub);
            }
            return Ok(Role::HubManager(HubId(hub.to_owned())));
        }
        Err(RoleError::Unknown { given: trimmed.chars().take(40).collect() })
    }

    /// Whether this role may see and run the given hub (its bookings, spaces and doors).
    pub fn manages(&self, hub: &HubId) -> bool {
        match self {
            Role::Admin => true,
            Role::HubManager(managed) => managed == hub,
            Role::Member => false,
        }
    }
}

/// The same text `Role::parse` reads, so a role can be printed and read back.
impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Role::Member => f.write_str("member"),
            Role::Admin => f.write_str("admin"),
            Role::HubManager(hub) => write!(f, "manager:{hub}"),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn parses_the_three_role_forms() {
        let cases = [
            ("member", Role::Member),
            ("admin", Role::Admin),
            (" Admin ", Role::Admin),
            ("manager:polch", Role::HubManager(HubId("polch".to_owned()))),
            ("manager: 0190a1b2-c3d4-7e5f ", Role::HubManager(HubId("0190a1b2-c3d4-7e5f".to_owned()))),
        ];
        for (input, expected) in cases {
            assert_eq!(Role::parse(input), Ok(expected), "input {input:?}");
        }
    }

    #[test]
    fn refuses_unknown_roles_and_managers_without_hub() {
        assert_eq!(Role::parse("manager"), Err(RoleError::MissingHub));
        assert_eq!(Role::parse("manager:  "), Err(RoleError::MissingHub));
        assert_eq!(Role::parse("root"), Err(RoleError::Unknown { given: "root".to_owned() }));
        assert!(Role::parse("").is_err());
        assert!(Role::parse("members").is_err());
        assert!(Role::parse("admin:polch").is_err());
    }

    #[test]
    fn role_display_round_trips_through_parse() {
        for role in [Role::Member, Role::Admin, Role::HubManager(HubId("rieden".to_owned()))] {
            assert_eq!(Role::parse(&role.to_string()), Ok(role));
        }
    }

    #[test]
    fn managers_manage_only_their_hub_and_admins_all() {
        let polch = HubId("polch".to_owned());
        let mayen = HubId("mayen".to_owned());
        let manager = Role::HubManager(polch.clone());
        assert!(manager.manages(&polch));
        assert!(!manager.manages(&mayen));
        assert!(Role::Admin.manages(&mayen));
        assert!(!Role::Member.manages(&polch));
    }
}
