//! The console's shared test setting (staff accounts, a second hub to probe across) and the
//! tests of what every console page shares: who gets in, the hub list, the audit trail.

use regiohub::db::catalog::{self, Door, Hub, Space};
use regiohub::db::{self, DbConn};
use regiohub::domain::ids::{DoorId, HubId, SpaceId};
use regiohub::domain::role::Role;
use regiohub::domain::vocabulary::{BookingUnit, SpaceKind};
use regiohub::service::{UnitOfWork, accounts};
use reqwest::StatusCode;

use crate::browser::{Browser, logged_in_member};
use crate::helpers::{Backend, Fixture, TestApp, db_time, default_now};
use crate::on_both_backends;

pub const STAFF_PASSWORD: &str = "a long staff password";

/// The fixture hub with its manager and an admin, plus a second hub ("otherhub") whose ids a
/// manager of the first must never reach.
#[allow(dead_code)] // each area's tests use a different part
pub struct ConsoleFixture {
    pub fixture: Fixture,
    pub other_hub: Hub,
    pub other_space: Space,
    pub other_door: Door,
    /// Logged in as the manager of the fixture hub only.
    pub manager: Browser,
    pub manager_email: String,
    /// Logged in as an admin.
    pub admin: Browser,
}

impl ConsoleFixture {
    pub async fn new(app: &TestApp) -> ConsoleFixture {
        let fixture = app.fixture();
        let (other_hub, other_space, other_door) = second_hub(&mut app.conn(), &fixture.hub);
        let manager_email = "manager@example.org".to_owned();
        let manager = staff_browser(app, &manager_email, Role::HubManager(fixture.hub.id.clone())).await;
        let admin = staff_browser(app, "admin@example.org", Role::Admin).await;
        ConsoleFixture { fixture, other_hub, other_space, other_door, manager, manager_email, admin }
    }
}

/// A second hub of the same operator with one desk and one door.
fn second_hub(conn: &mut DbConn, first: &Hub) -> (Hub, Space, Door) {
    let now = db_time(default_now());
    let hub = Hub {
        id: HubId::from(db::new_id()),
        slug: "otherhub".into(),
        name: "Other Hub".into(),
        street: "Nebenstraße 2".into(),
        created_at: now,
        ..first.clone()
    };
    catalog::insert_hub(conn, &hub).unwrap();
    let space = Space {
        id: SpaceId::from(db::new_id()),
        hub_id: hub.id.clone(),
        name: "Other Desk".into(),
        kind: SpaceKind::Desk,
        capacity: 1,
        enabled: true,
        booking_unit: BookingUnit::Hourly,
        slot_minutes: 30,
        min_minutes: 60,
        max_minutes: 240,
        max_days_ahead: 30,
        approval_required: false,
        created_at: now,
        position: 0,
    };
    catalog::insert_space(conn, &space).unwrap();
    let door = Door {
        id: DoorId::from(db::new_id()),
        hub_id: hub.id.clone(),
        name: "Other Door".into(),
        is_entrance: true,
        created_at: now,
        bridge_id: None,
        modbus_unit_id: None,
    };
    catalog::insert_door(conn, &door, std::slice::from_ref(&space.id)).unwrap();
    (hub, space, door)
}

/// A browser logged in as a new user with this role.
pub async fn staff_browser(app: &TestApp, email: &str, role: Role) -> Browser {
    accounts::add_user(
        &mut UnitOfWork::new(&mut app.conn()),
        email,
        "Staff Person",
        &role,
        STAFF_PASSWORD,
        default_now(),
    )
    .unwrap();
    let browser = Browser::new(app);
    let page = browser.log_in(email, STAFF_PASSWORD).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    browser
}

async fn members_never_see_the_console(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let (member, _) = logged_in_member(&app, "console").await;
    for path in ["/console", "/console/audit", "/console/hubs/testhub/audit"] {
        assert_eq!(member.get(path).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    assert!(!member.get("/").await.body.contains("href=\"/console\""), "members get no console link");
    // Visitors are sent to the login page first.
    let visitor = Browser::new(&app);
    let page = visitor.get("/console").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    // Staff do get the link and in.
    let page = console.manager.get("/").await;
    assert!(page.body.contains("href=\"/console\""), "{}", page.body);
}

async fn a_manager_sees_only_their_hubs(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let page = console.manager.get("/console").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("/console/hubs/testhub"), "{}", page.body);
    assert!(!page.body.contains("otherhub"), "another hub is not even listed: {}", page.body);
    assert!(!page.body.contains("/console/users"), "user administration is for admins");
    for path in ["/console/hubs/otherhub/audit", &format!("/console/hubs/{}/audit", console.other_hub.id)] {
        assert_eq!(console.manager.get(path).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    assert_eq!(console.manager.get("/console/hubs/testhub/audit").await.status, StatusCode::OK);
    let page = console.admin.get("/console").await;
    assert!(page.body.contains("/console/hubs/testhub") && page.body.contains("/console/hubs/otherhub"));
    assert_eq!(console.admin.get("/console/hubs/otherhub/audit").await.status, StatusCode::OK);
}

async fn the_audit_trail_shows_a_hubs_changes_to_its_managers_only(backend: Backend) {
    use regiohub::service::console::audit::{self, Change};
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let mut conn = app.conn();
    let admin_id = regiohub::db::users::find_user_by_email(&mut conn, "admin@example.org").unwrap().unwrap().id;
    let mut with_actor = |hub_id: &HubId, subject: &str| {
        let change = Change {
            actor_id: &admin_id,
            hub_id: Some(hub_id),
            action: "space_disabled",
            subject,
            details: "x".into(),
        };
        audit::record(&mut conn, change, default_now()).unwrap();
    };
    with_actor(&console.fixture.hub.id, "Desk 1 of testhub");
    with_actor(&console.other_hub.id, "Other Desk of otherhub");
    let page = console.manager.get("/console/hubs/testhub/audit").await;
    assert!(page.body.contains("Desk 1 of testhub") && page.body.contains("Staff Person"), "{}", page.body);
    assert!(!page.body.contains("Other Desk of otherhub"));
    let page = console.manager.get("/console/audit").await;
    assert!(page.body.contains("Desk 1 of testhub") && !page.body.contains("Other Desk of otherhub"));
    let page = console.admin.get("/console/audit").await;
    assert!(page.body.contains("Desk 1 of testhub") && page.body.contains("Other Desk of otherhub"));
}

on_both_backends!(
    members_never_see_the_console,
    a_manager_sees_only_their_hubs,
    the_audit_trail_shows_a_hubs_changes_to_its_managers_only,
);
