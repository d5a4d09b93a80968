//! The console's navigation: the areas of one hub, and the admin-only areas, with the one the
//! page belongs to marked for screen readers (`aria-current`).

use crate::db::catalog::Hub;

/// The navigation shown above every console page.
#[derive(Debug, Clone)]
pub struct ConsoleNav {
    /// The hub the page is about; `None` on pages about no single hub.
    pub hub: Option<NavHub>,
    pub is_admin: bool,
    /// The area key of the current page (`dashboard`, `bookings`, `spaces`…).
    pub current: &'static str,
}

/// The hub of the navigation.
#[derive(Debug, Clone)]
pub struct NavHub {
    pub slug: String,
    pub name: String,
}

/// The areas of a hub: (key, path below `/console/hubs/{slug}`, catalogue key of the label).
pub const HUB_AREAS: [(&str, &str, &str); 12] = [
    ("dashboard", "", "console-nav-dashboard"),
    ("bookings", "/bookings", "console-nav-bookings"),
    ("utilization", "/utilization", "console-nav-utilization"),
    ("access_log", "/access-log", "console-nav-access-log"),
    ("spaces", "/spaces", "console-nav-spaces"),
    ("doors", "/doors", "console-nav-doors"),
    ("door_controls", "/door-controls", "console-nav-door-controls"),
    ("cards", "/cards", "console-nav-cards"),
    ("sensors", "/sensors", "console-nav-sensors"),
    ("bridges", "/bridges", "console-nav-bridges"),
    ("settings", "/settings", "console-nav-settings"),
    ("audit", "/audit", "console-nav-audit"),
];

impl ConsoleNav {
    /// The navigation of a page about one hub.
    pub fn hub(hub: &Hub, is_admin: bool, current: &'static str) -> ConsoleNav {
        ConsoleNav { hub: Some(NavHub { slug: hub.slug.clone(), name: hub.name.clone() }), is_admin, current }
    }

    /// The navigation of a page about no single hub (the hub list, operators, users).
    pub fn general(is_admin: bool, current: &'static str) -> ConsoleNav {
        ConsoleNav { hub: None, is_admin, current }
    }

    /// " – Polch" after the title of a page about one hub, so a tab, a bookmark or a screen
    /// reader's window list tells the hubs apart; nothing on pages about no single hub.
    pub fn title_suffix(&self) -> String {
        self.hub.as_ref().map(|hub| format!(" – {}", hub.name)).unwrap_or_default()
    }

    pub fn hub_areas(&self) -> &'static [(&'static str, &'static str, &'static str)] {
        &HUB_AREAS
    }
}
