//! House rules and a room booking's purpose, over HTTP on both databases: staff of an operator's
//! hubs publish versions in the console (an empty text refused next to the field, another
//! operator's manager gets 404); a member accepts the current version once with a booking (the
//! form and the API refuse without it, writing nothing) and again after a new version; a room
//! that asks gets a purpose and head count, shown to the hub's staff and to no member.

use diesel::prelude::*;
use regiohub::db::catalog::{self, Hub, Operator};
use regiohub::db::schema::{audit_log, booking_purposes, bookings, house_rule_acceptances};
use regiohub::db::{self};
use regiohub::domain::ids::{HubId, OperatorId};
use regiohub::domain::role::Role;
use reqwest::StatusCode;
use serde_json::json;

use crate::browser::{Browser, csrf_token_in, logged_in_member};
use crate::console::{ConsoleFixture, staff_browser};
use crate::helpers::{Backend, TestApp, code, db_time, default_now};
use crate::on_both_backends;

on_both_backends!(
    a_member_accepts_each_version_once_with_a_booking,
    the_api_names_the_version_to_accept,
    only_staff_of_the_operators_hubs_publish,
    a_room_asks_for_a_purpose_that_only_its_staff_see,
    the_demo_shows_polchs_house_rules,
);

fn count_bookings(app: &TestApp) -> i64 {
    bookings::table.count().get_result(&mut *app.conn()).unwrap()
}

fn count_acceptances(app: &TestApp) -> i64 {
    house_rule_acceptances::table.count().get_result(&mut *app.conn()).unwrap()
}

async fn publish(staff: &Browser, operator: &OperatorId, body: &str) -> crate::browser::Page {
    let path = format!("/console/operators/{operator}/house-rules");
    staff.submit(&path, &path, &[("body", body)]).await
}

async fn book(
    browser: &Browser,
    space: &str,
    date: &str,
    from: &str,
    to: &str,
    extra: &[(&str, &str)],
) -> crate::browser::Page {
    let path = format!("/spaces/{space}/book");
    let form = browser.get(&format!("{path}?date={date}&from={from}")).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let token = csrf_token_in(&form.body);
    let mut fields = vec![("csrf_token", token.as_str()), ("date", date), ("from", from), ("to", to)];
    fields.extend_from_slice(extra);
    browser.post(&path, &fields).await
}

async fn a_member_accepts_each_version_once_with_a_booking(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let f = &console.fixture;
    let operator = f.hub.operator_id.clone();
    let desk = f.desk.id.as_str();

    // No house rules yet: the form asks nothing, the page does not exist.
    let (member, _) = logged_in_member(&app, "rules").await;
    let form = member.get(&format!("/spaces/{desk}/book?date=2026-11-24")).await;
    assert!(!form.body.contains("accept_house_rules"), "{}", form.body);
    assert_eq!(member.get(&format!("/legal/{operator}/house-rules")).await.status, StatusCode::NOT_FOUND);

    // The manager publishes: an empty text is refused next to the field, nothing written.
    let empty = publish(&console.manager, &operator, "  \r\n ").await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", empty.body);
    assert!(empty.body.contains("id=\"body-error\""), "{}", empty.body);
    let forged = console
        .manager
        .post(&format!("/console/operators/{operator}/house-rules"), &[("csrf_token", "x"), ("body", "Text")])
        .await;
    assert_ne!(forged.status, StatusCode::SEE_OTHER);
    let published = publish(&console.manager, &operator, "Bitte leise sein.\r\n\r\nMüll trennen.").await;
    assert_eq!(published.status, StatusCode::SEE_OTHER, "{}", published.body);
    let shown = console.manager.get(published.location.as_deref().unwrap()).await;
    assert!(shown.body.contains("Aktuelle Fassung 1"), "{}", shown.body);
    assert!(shown.body.contains("<p>Müll trennen.</p>"), "{}", shown.body);
    let audited: i64 = audit_log::table
        .filter(audit_log::action.eq("house_rules_published"))
        .count()
        .get_result(&mut *app.conn())
        .unwrap();
    assert_eq!(audited, 2, "one entry in the audit trail of each of the operator's two hubs");
    let trail = console.manager.get("/console/hubs/testhub/audit").await;
    assert!(trail.body.contains("<code>house_rules_published</code>"), "the manager sees it: {}", trail.body);
    let page = member.get(&format!("/legal/{operator}/house-rules")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Bitte leise sein."), "{}", page.body);

    // The member's form shows the rules and the checkbox; without it: 422, nothing written.
    let form = member.get(&format!("/spaces/{desk}/book?date=2026-11-24")).await;
    assert!(form.body.contains("Ich habe die Hausordnung (Fassung 1) gelesen und akzeptiere sie"), "{}", form.body);
    assert!(form.body.contains("Bitte leise sein."), "{}", form.body);
    let before = count_bookings(&app);
    let refused = book(&member, desk, "2026-11-24", "09:00", "10:00", &[]).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", refused.body);
    assert!(refused.body.contains("id=\"accept_house_rules-error\""), "{}", refused.body);
    assert!(refused.body.contains("aktuelle Hausordnung gelesen haben"), "{}", refused.body);
    assert_eq!(count_bookings(&app), before, "nothing written");
    assert_eq!(count_acceptances(&app), 0);

    // With it: booked and accepted; the next booking asks nothing.
    let booked = book(&member, desk, "2026-11-24", "09:00", "10:00", &[("accept_house_rules", "1")]).await;
    assert_eq!(booked.status, StatusCode::SEE_OTHER, "{}", booked.body);
    assert_eq!(count_bookings(&app), before + 1);
    assert_eq!(count_acceptances(&app), 1);
    let form = member.get(&format!("/spaces/{desk}/book?date=2026-11-25")).await;
    assert!(!form.body.contains("accept_house_rules"), "{}", form.body);
    let again = book(&member, desk, "2026-11-25", "09:00", "10:00", &[]).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER, "{}", again.body);

    // A new version: asked again; ticking the old one does not count.
    let v2 = publish(&console.admin, &operator, "Neue Regeln: Fenster schließen.").await;
    assert_eq!(v2.status, StatusCode::SEE_OTHER, "{}", v2.body);
    let form = member.get(&format!("/spaces/{desk}/book?date=2026-11-26")).await;
    assert!(form.body.contains("Hausordnung (Fassung 2)"), "{}", form.body);
    let stale = book(&member, desk, "2026-11-26", "09:00", "10:00", &[("accept_house_rules", "1")]).await;
    assert_eq!(stale.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", stale.body);
    assert!(stale.body.contains("Fenster schließen."), "{}", stale.body);
    let booked = book(&member, desk, "2026-11-26", "09:00", "10:00", &[("accept_house_rules", "2")]).await;
    assert_eq!(booked.status, StatusCode::SEE_OTHER, "{}", booked.body);
    assert_eq!(count_acceptances(&app), 2);

    // The console keeps the earlier version.
    let history = console.admin.get(&format!("/console/operators/{operator}/house-rules")).await;
    assert!(history.body.contains("Fassung 1 vom"), "{}", history.body);

    // Staff booking on behalf are exempt, and the form says so.
    let on_behalf = console.manager.get("/console/hubs/testhub/bookings/new").await;
    assert!(on_behalf.body.contains("keine Bestätigung der Hausordnung"), "{}", on_behalf.body);
}

async fn the_api_names_the_version_to_accept(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let f = &console.fixture;
    let operator = f.hub.operator_id.clone();
    assert_eq!(publish(&console.admin, &operator, "Regel eins.").await.status, StatusCode::SEE_OTHER);
    let desk = f.desk.id.as_str();
    let post = |body: serde_json::Value, path: &'static str| {
        let request = app.client.post(app.url(path)).bearer_auth(&f.alice_token).json(&body);
        async move { crate::helpers::json_of(request.send().await.unwrap()).await }
    };
    let before = count_bookings(&app);
    let body = json!({"space_id": desk, "start": "2026-11-24T09:00", "end": "2026-11-24T10:00"});
    let (status, answer) = post(body, "/api/v1/bookings").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert_eq!(code(&answer), "house_rules_not_accepted");
    assert!(answer["error"]["message"].as_str().unwrap().contains("version 1"), "{answer}");
    assert_eq!(answer["error"]["field"], "accept_house_rules_version");
    let stale = json!({"space_id": desk, "start": "2026-11-24T09:00", "end": "2026-11-24T10:00", "accept_house_rules_version": 7});
    let (status, _) = post(stale, "/api/v1/bookings").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(count_bookings(&app), before, "nothing written");
    let accepted = json!({"space_id": desk, "start": "2026-11-24T09:00", "end": "2026-11-24T10:00", "accept_house_rules_version": 1});
    let (status, answer) = post(accepted, "/api/v1/bookings").await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    assert_eq!(count_acceptances(&app), 1);

    // A new version: the series asks for it too.
    assert_eq!(publish(&console.admin, &operator, "Regel zwei.").await.status, StatusCode::SEE_OTHER);
    let series = json!({"space_id": desk, "start": "2026-11-25T09:00", "end": "2026-11-25T10:00",
        "frequency": "weekly", "weekdays": [3], "count": 2});
    // Its preview shows the dates without the acceptance (it keeps none); booking asks for it.
    let mut dry_run = series.clone();
    dry_run["dry_run"] = json!(true);
    let (status, answer) = post(dry_run, "/api/v1/booking-series").await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["dates"].as_array().map(Vec::len), Some(2), "{answer}");
    assert!(answer["dates"].as_array().unwrap().iter().all(|d| d["outcome"] == "bookable"), "{answer}");
    assert_eq!(count_acceptances(&app), 1, "a preview keeps no acceptance");
    let (status, answer) = post(series.clone(), "/api/v1/booking-series").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert_eq!(code(&answer), "house_rules_not_accepted");
    let mut accepted = series;
    accepted["accept_house_rules_version"] = json!(2);
    let (status, answer) = post(accepted, "/api/v1/booking-series").await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    assert_eq!(count_acceptances(&app), 2);
}

/// A second operator with a hub of its own.
fn other_operator(app: &TestApp, like: &Hub) -> (Operator, Hub) {
    let mut conn = app.conn();
    let operator = Operator {
        id: OperatorId::from(db::new_id()),
        name: "Nachbarstadt".into(),
        legal_contact: "Rathaus".into(),
        privacy_contact: "dsb@example.org".into(),
        created_at: db_time(default_now()),
        imprint: "Nachbarstadt".into(),
        privacy_policy: "Kurz.".into(),
        accessibility_statement: "Barrierefrei.".into(),
        access_log_retention_days: 90,
    };
    catalog::insert_operator(&mut conn, &operator).unwrap();
    let hub = Hub {
        id: HubId::from(db::new_id()),
        operator_id: operator.id.clone(),
        slug: "nachbarhub".into(),
        name: "Nachbar Hub".into(),
        ..like.clone()
    };
    catalog::insert_hub(&mut conn, &hub).unwrap();
    (operator, hub)
}

async fn only_staff_of_the_operators_hubs_publish(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let f = &console.fixture;
    let (other, other_hub) = other_operator(&app, &f.hub);
    let outsider = staff_browser(&app, "outsider@example.org", Role::HubManager(other_hub.id.clone())).await;

    // The other operator's manager reaches neither the page nor the form of this operator.
    let path = format!("/console/operators/{}/house-rules", f.hub.operator_id);
    assert_eq!(outsider.get(&path).await.status, StatusCode::NOT_FOUND);
    let token = csrf_token_in(&outsider.get(&format!("/console/operators/{}/house-rules", other.id)).await.body);
    let refused = outsider.post(&path, &[("csrf_token", token.as_str()), ("body", "Fremde Regeln")]).await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    // This operator's manager does not reach the other's either; members never.
    let other_path = format!("/console/operators/{}/house-rules", other.id);
    assert_eq!(console.manager.get(&other_path).await.status, StatusCode::NOT_FOUND);
    let (member, _) = logged_in_member(&app, "nosy").await;
    assert_ne!(member.get(&path).await.status, StatusCode::OK);
    // Their own operator's they may publish.
    assert_eq!(publish(&outsider, &other.id, "Eigene Regeln.").await.status, StatusCode::SEE_OTHER);
    let published: i64 = regiohub::db::schema::house_rules::table.count().get_result(&mut *app.conn()).unwrap();
    assert_eq!(published, 1, "only the outsider's own operator has house rules");
}

async fn a_room_asks_for_a_purpose_that_only_its_staff_see(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let f = &console.fixture;
    let desk2 = f.desk2.id.as_str();
    regiohub::db::house_rules::set_asks_purpose(&mut app.conn(), &f.desk2.id, true).unwrap();
    let edit = console.manager.get(&format!("/console/hubs/testhub/spaces/{desk2}")).await;
    assert!(edit.body.contains("name=\"asks_purpose\" value=\"on\" checked"), "{}", edit.body);

    let (member, _) = logged_in_member(&app, "purpose").await;
    let form = member.get(&format!("/spaces/{desk2}/book?date=2026-11-24")).await;
    assert!(form.body.contains("id=\"purpose\""), "{}", form.body);
    let before = count_bookings(&app);
    let missing = book(&member, desk2, "2026-11-24", "09:00", "10:00", &[("head_count", "1")]).await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", missing.body);
    assert!(missing.body.contains("id=\"purpose-error\""), "{}", missing.body);
    let too_many =
        book(&member, desk2, "2026-11-24", "09:00", "10:00", &[("purpose", "Vereinsabend"), ("head_count", "2")]).await;
    assert_eq!(too_many.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", too_many.body);
    assert!(too_many.body.contains("id=\"head_count-error\""), "{}", too_many.body);
    assert!(too_many.body.contains("value=\"Vereinsabend\""), "typed text kept: {}", too_many.body);
    let long = "x".repeat(201);
    let too_long =
        book(&member, desk2, "2026-11-24", "09:00", "10:00", &[("purpose", &long), ("head_count", "1")]).await;
    assert_eq!(too_long.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(count_bookings(&app), before, "nothing written");
    let booked = book(
        &member,
        desk2,
        "2026-11-24",
        "09:00",
        "10:00",
        &[("purpose", "Vereinsabend Schach"), ("head_count", "1")],
    )
    .await;
    assert_eq!(booked.status, StatusCode::SEE_OTHER, "{}", booked.body);
    let stored: i64 = booking_purposes::table.count().get_result(&mut *app.conn()).unwrap();
    assert_eq!(stored, 1);

    // The hub's staff see it; the member's pages and API answers do not carry it.
    let list = console.manager.get("/console/hubs/testhub/bookings?date=2026-11-24").await;
    assert!(list.body.contains("Vereinsabend Schach (1 Pers.)"), "{}", list.body);
    let own = member.get(booked.location.as_deref().unwrap()).await;
    assert_eq!(own.status, StatusCode::OK);
    assert!(!own.body.contains("Vereinsabend"), "{}", own.body);
    for page in ["/bookings", "/hubs/testhub?date=2026-11-24"] {
        assert!(!member.get(page).await.body.contains("Vereinsabend"), "{page}");
    }
    let (other, _) = logged_in_member(&app, "other").await;
    for page in ["/bookings", "/hubs/testhub?date=2026-11-24"] {
        assert!(!other.get(page).await.body.contains("Vereinsabend"), "{page}");
    }
    let (_, day) = app.get("/api/v1/hubs/testhub/availability?date=2026-11-24", &f.bob_token).await;
    assert!(!day.to_string().contains("Vereinsabend"), "{day}");

    // The API asks the same.
    let body = json!({"space_id": desk2, "start": "2026-11-25T09:00", "end": "2026-11-25T10:00"});
    let request = app.client.post(app.url("/api/v1/bookings")).bearer_auth(&f.alice_token).json(&body);
    let (status, answer) = crate::helpers::json_of(request.send().await.unwrap()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert_eq!(code(&answer), "purpose_missing");
    // A series' preview shows the dates without a purpose and keeps none.
    let purposes_before: i64 = booking_purposes::table.count().get_result(&mut *app.conn()).unwrap();
    let dry_run = json!({"space_id": desk2, "start": "2026-11-25T09:00", "end": "2026-11-25T10:00",
        "frequency": "weekly", "count": 2, "dry_run": true});
    let request = app.client.post(app.url("/api/v1/booking-series")).bearer_auth(&f.alice_token).json(&dry_run);
    let (status, answer) = crate::helpers::json_of(request.send().await.unwrap()).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert!(answer["dates"].as_array().unwrap().iter().all(|d| d["outcome"] == "bookable"), "{answer}");
    let purposes_after: i64 = booking_purposes::table.count().get_result(&mut *app.conn()).unwrap();
    assert_eq!(purposes_after, purposes_before, "the preview's stand-in purpose is rolled back");
    let body = json!({"space_id": desk2, "start": "2026-11-25T09:00", "end": "2026-11-25T10:00",
        "purpose": "Lesekreis", "head_count": 1});
    let request = app.client.post(app.url("/api/v1/bookings")).bearer_auth(&f.alice_token).json(&body);
    let (status, answer) = crate::helpers::json_of(request.send().await.unwrap()).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    assert!(!answer.to_string().contains("Lesekreis"), "the answer does not echo it: {answer}");
}

async fn the_demo_shows_polchs_house_rules(backend: Backend) {
    use regiohub::demo::logins::DEMO_LOGINS;
    let app = TestApp::spawn(backend).await;
    assert!(regiohub::demo::seed::seed_demo(&mut app.conn(), &app.state.context, default_now()).unwrap());
    let polch = catalog::find_hub(&mut app.conn(), "polch").unwrap().unwrap();
    let room = catalog::list_spaces(&mut app.conn(), &polch.id)
        .unwrap()
        .into_iter()
        .find(|s| s.name == "Besprechungsraum Maifeld")
        .unwrap();
    let browser = Browser::new(&app);
    let page = browser.log_in(DEMO_LOGINS[0].email, DEMO_LOGINS[0].password).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let rules = browser.get(&format!("/legal/{}/house-rules", polch.operator_id)).await;
    assert_eq!(rules.status, StatusCode::OK);
    assert!(rules.body.contains("Willkommen im RegioHub Polch"), "{}", rules.body);
    let form = browser.get(&format!("/spaces/{}/book?date=2026-11-24", room.id)).await;
    assert!(form.body.contains("Hausordnung (Fassung 1)"), "{}", form.body);
    assert!(form.body.contains("id=\"purpose\""), "{}", form.body);
    assert!(form.body.contains("max=\"8\""), "{}", form.body);
}

/// Publishes two versions of the fixture operator's house rules, lets Desk 2 ask for a purpose
/// and gives `booking_id` one; returns the member pages that then show them, for the browser
/// tests (call it after the member booked through the form: from now on a booking asks).
pub(crate) fn member_pages_with_house_rules(app: &TestApp, f: &crate::helpers::Fixture) -> Vec<String> {
    let mut conn = app.conn();
    for (version, body) in [(1, "Erste Fassung."), (2, "Bitte leise sein.\n\nMüll trennen.\nDanke!")] {
        let row = regiohub::db::house_rules::HouseRulesRow {
            operator_id: f.hub.operator_id.clone(),
            version,
            body: body.to_owned(),
            published_at: db_time(default_now()),
            published_by: None,
        };
        regiohub::db::house_rules::insert_version(&mut conn, &row).unwrap();
    }
    regiohub::db::house_rules::set_asks_purpose(&mut conn, &f.desk2.id, true).unwrap();
    vec![
        format!("/spaces/{}/book?date=2026-11-25&from=13:00", f.desk2.id),
        format!("/spaces/{}/series?date=2026-11-26&from=13:00&to=15:00", f.desk2.id),
        format!("/legal/{}/house-rules", f.hub.operator_id),
    ]
}

/// The console pages of the feature, with a purpose on `booking_id` so the bookings list shows
/// one (call [`member_pages_with_house_rules`] first).
pub(crate) fn console_pages_with_house_rules(
    app: &TestApp,
    f: &crate::helpers::Fixture,
    booking_id: &str,
) -> Vec<String> {
    let row = regiohub::db::house_rules::BookingPurposeRow {
        booking_id: regiohub::domain::ids::BookingId::new(booking_id),
        purpose: "Treffen des Heimatvereins mit einem recht langen Zweck, der umbrechen muss".to_owned(),
        head_count: 1,
    };
    regiohub::db::house_rules::insert_purpose(&mut app.conn(), &row).unwrap();
    vec![
        format!("/console/operators/{}/house-rules", f.hub.operator_id),
        format!("/console/hubs/testhub/spaces/{}", f.desk2.id),
        "/console/hubs/testhub/bookings?date=2026-11-24".to_owned(),
    ]
}
