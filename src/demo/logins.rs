//! Service level: the demo's three logins, which the seed creates, the history books for and
//! `regiohub demo` prints. Kept apart so the seed and the history both read them without
//! importing each other.

/// A login printed by `regiohub demo`.
#[derive(Debug, Clone)]
pub struct DemoLogin {
    pub role: &'static str,
    pub email: &'static str,
    pub password: &'static str,
}

/// The demo's people. The passwords are public by design: never seed them into a real system.
pub const DEMO_LOGINS: [DemoLogin; 3] = [
    DemoLogin { role: "member", email: "mitglied@demo.regiohub.example", password: "Demo-Mitglied-2026" },
    DemoLogin { role: "manager:polch", email: "verwaltung.polch@demo.regiohub.example", password: "Demo-Polch-2026" },
    DemoLogin { role: "admin", email: "admin@demo.regiohub.example", password: "Demo-Admin-2026" },
];
