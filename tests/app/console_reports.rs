//! Console tests: the utilization page (numbers in its data tables, SVG charts with title and
//! description, field errors for a bad range), the bookings and hourly CSV exports, and that a
//! manager of one hub reaches none of it for another hub.

use chrono::{NaiveDateTime, Timelike};
use regiohub::db::bookings::{self, Booking};
use regiohub::db::presence::{self, PresenceAggregate};
use regiohub::db::users;
use regiohub::db::{self, DbConn};
use regiohub::domain::ids::{BookingId, SpaceId, UserId};
use regiohub::domain::vocabulary::BookingStatus;
use reqwest::StatusCode;

use crate::browser::Browser;
use crate::console::ConsoleFixture;
use crate::helpers::{Backend, TestApp, db_time, default_now, utc};
use crate::on_both_backends;

/// Inserts a booking of `space` from `start` to `end` (RFC 3339, UTC) with this status.
fn book(conn: &mut DbConn, space: &SpaceId, user: &UserId, start: &str, end: &str, status: &str, by: Option<&UserId>) {
    let now = db_time(default_now());
    bookings::insert_booking(
        conn,
        &Booking {
            id: BookingId::from(db::new_id()),
            space_id: space.clone(),
            user_id: Some(user.clone()),
            start_at: db_time(utc(start)),
            end_at: db_time(utc(end)),
            status: BookingStatus::parse(status).unwrap(),
            created_by: by.cloned(),
            created_at: now,
            updated_at: now,
            cancelled_at: (status == "cancelled").then_some(now),
        },
    )
    .unwrap();
}

/// Marks `space` present for `buckets` whole 5-minute buckets from `start` (UTC).
fn present(conn: &mut DbConn, space: &SpaceId, start: &str, buckets: i64) {
    for n in 0..buckets {
        let bucket_start: NaiveDateTime = db_time(utc(start)) + chrono::Duration::minutes(5 * n);
        let row =
            PresenceAggregate { space_id: space.clone(), bucket_start, present_seconds: 300, observed_seconds: 300 };
        presence::add_to_aggregate(conn, &row).unwrap();
    }
}

fn user_id(conn: &mut DbConn, email: &str) -> UserId {
    users::find_user_by_email(conn, email).unwrap().unwrap().id
}

/// October 2026 (the default range at the test clock's 2026-11-23), Berlin summer time until the
/// 25th: Desk 1 booked Monday 5th 09–11 (present 09:00–10:30) and Tuesday 6th 09–10 (no-show);
/// Desk 2 booked by the manager on Monday 12th 09–10, across the autumn change on Sunday 25th
/// 01:00–04:00 (four real hours), and cancelled on Wednesday 14th; the projector (equipment) for
/// all of Wednesday 7th. Outside: Desk 1 on 30 September, and the other hub's desk on Monday 5th
/// with presence.
fn october(app: &TestApp, console: &ConsoleFixture) {
    let mut conn = app.conn();
    let f = &console.fixture;
    let alice = user_id(&mut conn, "alice@example.org");
    let manager = user_id(&mut conn, &console.manager_email);
    let (desk, desk2, beamer, other) = (&f.desk.id, &f.desk2.id, &f.equipment.id, &console.other_space.id);
    book(&mut conn, desk, &alice, "2026-10-05T07:00:00Z", "2026-10-05T09:00:00Z", "completed", None);
    book(&mut conn, desk, &alice, "2026-10-06T07:00:00Z", "2026-10-06T08:00:00Z", "no_show", None);
    book(&mut conn, desk2, &alice, "2026-10-12T07:00:00Z", "2026-10-12T08:00:00Z", "completed", Some(&manager));
    book(&mut conn, desk2, &alice, "2026-10-24T23:00:00Z", "2026-10-25T03:00:00Z", "completed", None);
    book(&mut conn, desk2, &alice, "2026-10-14T12:00:00Z", "2026-10-14T13:00:00Z", "cancelled", None);
    book(&mut conn, beamer, &alice, "2026-10-06T22:00:00Z", "2026-10-07T22:00:00Z", "completed", None);
    book(&mut conn, desk, &alice, "2026-09-30T07:00:00Z", "2026-09-30T09:00:00Z", "completed", None);
    book(&mut conn, other, &alice, "2026-10-05T07:00:00Z", "2026-10-05T10:00:00Z", "completed", None);
    present(&mut conn, desk, "2026-10-05T07:00:00Z", 18);
    present(&mut conn, other, "2026-10-05T07:00:00Z", 36);
}

/// The text of each cell of the table row whose first cell reads `header`.
fn row(html: &str, header: &str) -> Vec<String> {
    html.split("<tr")
        .skip(1)
        .map(|chunk| chunk.split("</tr>").next().unwrap_or(""))
        .map(cells)
        .find(|cells| cells.first().is_some_and(|first| first == header))
        .unwrap_or_else(|| panic!("no row {header:?} in {html}"))
}

fn cells(row: &str) -> Vec<String> {
    let mut cells = Vec::new();
    let mut rest = row;
    while let Some(start) = rest.find(['<']) {
        rest = &rest[start..];
        let is_cell = rest.starts_with("<td") || rest.starts_with("<th");
        if !is_cell {
            rest = &rest[1..];
            continue;
        }
        let close = if rest.starts_with("<td") { "</td>" } else { "</th>" };
        let body_start = rest.find('>').unwrap() + 1;
        let body_end = rest.find(close).unwrap();
        cells.push(strip_tags(&rest[body_start..body_end]));
        rest = &rest[body_end + close.len()..];
    }
    cells
}

fn strip_tags(html: &str) -> String {
    let mut text = String::new();
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.trim().to_owned()
}

/// A download's raw bytes (the BOM included) and status.
async fn download(browser: &Browser, path: &str) -> (StatusCode, Vec<u8>) {
    let response = browser.client.get(browser.url(path)).send().await.unwrap();
    (response.status(), response.bytes().await.unwrap().to_vec())
}

async fn the_page_shows_booked_and_present_hours_by_hour_weekday_and_space(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    october(&app, &console);
    let page = console.manager.get("/console/hubs/testhub/utilization").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let html = &page.body;
    assert!(html.contains("value=\"2026-10-01\"") && html.contains("value=\"2026-10-31\""), "last full month");
    // By hour of day, hub-wide: 09–10 three bookings, present one hour; the autumn change's
    // 02:00 hour happened twice.
    assert_eq!(row(html, "09:00–10:00"), ["09:00–10:00", "3", "1"]);
    assert_eq!(row(html, "10:00–11:00"), ["10:00–11:00", "1", "0,5"]);
    assert_eq!(row(html, "02:00–03:00"), ["02:00–03:00", "2", "0"]);
    assert_eq!(row(html, "14:00–15:00"), ["14:00–15:00", "0", "0"], "cancelled bookings do not count");
    // By weekday.
    assert_eq!(row(html, "Montag"), ["Montag", "3", "1,5"]);
    assert_eq!(row(html, "Dienstag"), ["Dienstag", "1", "0"]);
    assert_eq!(row(html, "Sonntag"), ["Sonntag", "4", "0"]);
    assert_eq!(row(html, "Mittwoch"), ["Mittwoch", "0", "0"], "equipment stays out of the hub's sums");
    assert!(html.contains("Geräte werden tageweise gebucht"), "and the page says so");
    // Per space: booked, present, bookings, no-shows, rate.
    assert_eq!(row(html, "Desk 1"), ["Desk 1", "3", "1,5", "2", "1", "50 %"]);
    assert_eq!(row(html, "Desk 2"), ["Desk 2", "5", "0", "2", "0", "0 %"]);
    assert_eq!(row(html, "Room"), ["Room", "0", "0", "0", "0", "– (keine Buchungen)"]);
    assert_eq!(row(html, "Beamer"), ["Beamer", "24", "0", "1", "0", "0 %"]);
    // The hub's totals: one no-show among four started bookings; other hubs count nowhere.
    assert!(html.contains("<dd>8</dd>") && html.contains("<dd>1,5</dd>") && html.contains("<dd>25 %</dd>"), "{html}");
    // Busiest times, ties in week order.
    let busiest = [
        "Montag, 09:00–10:00 Uhr: 2 Stunden gebucht",
        "Sonntag, 02:00–03:00 Uhr: 2 Stunden gebucht",
        "Montag, 10:00–11:00 Uhr: 1 Stunde gebucht",
    ];
    let positions: Vec<usize> = busiest.iter().map(|b| html.find(b).unwrap_or_else(|| panic!("{b}: {html}"))).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "most booked first");
    // Two charts, each an image with its title and description.
    for id in ["chart-hours", "chart-weekdays"] {
        assert!(html.contains(&format!("role=\"img\" aria-labelledby=\"{id}-title {id}-desc\"")), "{id}");
        assert!(html.contains(&format!("<title id=\"{id}-title\">Gebuchte und anwesende Stunden je")), "{id}");
        assert!(html.contains(&format!("<desc id=\"{id}-desc\">Balkendiagramm für 01.10.2026 – 31.10.2026")));
        assert!(html.contains(&format!("fill=\"url(#{id}-hatch)\"")), "present hours are hatched: {id}");
    }
    assert_eq!(html.matches("role=\"img\"").count(), 2, "two charts; the legend swatches are hidden");
    assert!(html.contains("Gebucht: volle Balken") && html.contains("Anwesend: schraffierte Balken"), "legend");
    assert!(html.contains("<caption id=\"chart-hours-caption\">Gebuchte und anwesende Stunden je Tageszeit</caption>"));
    // Links to the exports of the same range.
    assert!(html.contains("/console/hubs/testhub/bookings.csv?from=2026-10-01&#38;to=2026-10-31"), "{html}");
    assert!(html.contains("/console/hubs/testhub/access-log.csv?from=2026-10-01&#38;to=2026-10-31"));
}

async fn one_space_and_a_chosen_range_narrow_the_figures(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    october(&app, &console);
    let desk2 = &console.fixture.desk2.id;
    let page = console.manager.get(&format!("/console/hubs/testhub/utilization?from=&to=&space={desk2}")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(row(&page.body, "09:00–10:00"), ["09:00–10:00", "1", "0"], "Desk 2 alone");
    assert_eq!(row(&page.body, "Sonntag"), ["Sonntag", "4", "0"]);
    assert!(page.body.contains(&format!("<option value=\"{desk2}\" selected>")));
    // The first week of October only: Desk 1 on Monday and Tuesday.
    let page = console.manager.get("/console/hubs/testhub/utilization?from=2026-10-05&to=2026-10-11&space=").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(row(&page.body, "09:00–10:00"), ["09:00–10:00", "2", "1"]);
    assert_eq!(row(&page.body, "Sonntag"), ["Sonntag", "0", "0"]);
    assert!(page.body.contains("<dd>50 %</dd>"), "{}", page.body);
}

async fn a_bad_range_is_a_field_error_and_shows_no_figures(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    october(&app, &console);
    let cases = [
        ("from=2026-10-31&to=2026-10-01", "to", "Der letzte Tag darf nicht vor dem ersten liegen."),
        ("from=2025-01-01&to=2026-10-01", "to", "Der Zeitraum darf höchstens 366 Tage lang sein."),
        ("from=1.10.2026&to=2026-10-31", "from", "Bitte ein Datum angeben"),
        ("from=2026-10-01", "to", "Bitte ein Datum angeben"),
    ];
    for (query, field, message) in cases {
        for path in ["utilization", "bookings.csv", "utilization.csv"] {
            let page = console.manager.get(&format!("/console/hubs/testhub/{path}?{query}")).await;
            assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{path}?{query}: {}", page.body);
            let body = &page.body;
            assert!(body.contains("role=\"alert\"") && body.contains(message), "{query}: {body}");
            assert!(body.contains(&format!("<p class=\"error-message\" id=\"{field}-error\">{message}")), "{body}");
            assert!(body.contains("aria-invalid=\"true\""), "{query}");
            assert!(!body.contains("<svg viewBox="), "no figures for a bad range");
        }
    }
    let page = console.manager.get("/console/hubs/testhub/utilization?from=2026-10-31&to=2026-10-01").await;
    assert!(page.body.contains("value=\"2026-10-31\"") && page.body.contains("value=\"2026-10-01\""), "kept");
}

async fn the_bookings_csv_has_one_row_per_booking_of_the_range(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    october(&app, &console);
    let (status, bytes) =
        download(&console.manager, "/console/hubs/testhub/bookings.csv?from=2026-10-01&to=2026-10-31").await;
    assert_eq!(status, StatusCode::OK);
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"), "UTF-8 with a byte order mark");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let lines: Vec<&str> = text.split("\r\n").filter(|l| !l.is_empty()).collect();
    assert_eq!(lines[0], "Buchungsnummer;Platz;Name;E-Mail;Beginn;Ende;Status;Eingecheckt;Von der Verwaltung gebucht");
    assert_eq!(lines.len(), 1 + 6, "the six bookings starting in October, cancelled included: {text}");
    let body = &lines[1..];
    let expect = [
        ";Desk 1;Test Member;alice@example.org;2026-10-05T09:00:00+02:00;2026-10-05T11:00:00+02:00;Abgeschlossen;ja;nein",
        ";Desk 1;Test Member;alice@example.org;2026-10-06T09:00:00+02:00;2026-10-06T10:00:00+02:00;Nicht erschienen;nein;nein",
        ";Beamer;Test Member;alice@example.org;2026-10-07T00:00:00+02:00;2026-10-08T00:00:00+02:00;Abgeschlossen;ja;nein",
        ";Desk 2;Test Member;alice@example.org;2026-10-12T09:00:00+02:00;2026-10-12T10:00:00+02:00;Abgeschlossen;ja;ja",
        ";Desk 2;Test Member;alice@example.org;2026-10-14T14:00:00+02:00;2026-10-14T15:00:00+02:00;Storniert;nein;nein",
        ";Desk 2;Test Member;alice@example.org;2026-10-25T01:00:00+02:00;2026-10-25T04:00:00+01:00;Abgeschlossen;ja;nein",
    ];
    for (line, expected) in body.iter().zip(expect) {
        assert!(line.ends_with(expected), "{line} should end with {expected}");
        assert_eq!(line.split(';').count(), 9, "{line}");
    }
    assert!(!text.contains("2026-09-30") && !text.contains("Other Desk"), "nothing outside the range or hub");
    // A name that a spreadsheet would run as a formula is written as text.
    let mut conn = app.conn();
    let alice = user_id(&mut conn, "alice@example.org");
    users::update_user_name(&mut conn, &alice, "=SUM(A1)", db_time(default_now())).unwrap();
    let (_, bytes) = download(&console.manager, "/console/hubs/testhub/bookings.csv").await;
    let text = String::from_utf8(bytes).unwrap();
    assert!(text.contains(";Desk 1;'=SUM(A1);alice@example.org;") && !text.contains(";=SUM"), "{text}");
    // An English-speaking admin gets English columns, and the same dates.
    let admin = user_id(&mut conn, "admin@example.org");
    users::update_user_locale(&mut conn, &admin, "en", db_time(default_now())).unwrap();
    let (_, bytes) = download(&console.admin, "/console/hubs/testhub/bookings.csv").await;
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(text.starts_with("Booking ID;Space;Name;Email;Start;End;Status;Checked in;Booked by staff\r\n"), "{text}");
    assert!(text.contains(";2026-10-05T09:00:00+02:00;2026-10-05T11:00:00+02:00;Completed;yes;no\r\n"), "{text}");
}

async fn the_hourly_csv_is_per_space_and_hour_and_names_nobody(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    october(&app, &console);
    let (status, bytes) = download(&console.manager, "/console/hubs/testhub/utilization.csv").await;
    assert_eq!(status, StatusCode::OK);
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    assert!(text.starts_with("Platz;Beginn;Gebucht (Stunden);Anwesend (Stunden)\r\n"), "{text}");
    assert!(text.contains("\r\nDesk 1;2026-10-05T09:00:00+02:00;1;1\r\n"), "{text}");
    assert!(text.contains("\r\nDesk 1;2026-10-05T10:00:00+02:00;1;0,5\r\n"), "{text}");
    // The hour the clocks go back is there twice, told apart by its offset.
    assert!(text.contains("\r\nDesk 2;2026-10-25T02:00:00+02:00;1;0\r\n"), "{text}");
    assert!(text.contains("\r\nDesk 2;2026-10-25T02:00:00+01:00;1;0\r\n"), "{text}");
    assert!(!text.contains("alice") && !text.contains("Test Member") && !text.contains("Other Desk"), "{text}");
}

async fn a_manager_reaches_no_report_of_another_hub(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    october(&app, &console);
    let (other_id, other_space) = (&console.other_hub.id, &console.other_space.id);
    let mut probes = Vec::new();
    for path in ["utilization", "utilization.csv", "bookings.csv"] {
        probes.push(format!("/console/hubs/otherhub/{path}"));
        probes.push(format!("/console/hubs/{other_id}/{path}?from=2026-10-01&to=2026-10-31"));
        probes.push(format!("/console/hubs/testhub/{path}?space={other_space}"));
        // A bad range does not tell either.
        probes.push(format!("/console/hubs/otherhub/{path}?from=x&to=y"));
        probes.push(format!("/console/hubs/testhub/{path}?from=x&to=y&space={other_space}"));
        probes.push(format!("/console/hubs/testhub/{path}?space=no-such-space"));
    }
    for probe in &probes {
        let page = console.manager.get(probe).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{probe}");
        assert!(!page.body.contains("Other Desk"), "{probe}");
    }
    // Nothing here takes a POST: the answer is the same for both hubs and shows nothing.
    for path in ["utilization", "utilization.csv", "bookings.csv"] {
        let own = console.manager.post(&format!("/console/hubs/testhub/{path}"), &[]).await;
        let other = console.manager.post(&format!("/console/hubs/otherhub/{path}"), &[]).await;
        assert_eq!(own.status, other.status, "{path}");
        assert!(!other.status.is_success(), "{path}");
    }
    // The admin may, and members may not even see the console.
    let page = console.admin.get(&format!("/console/hubs/otherhub/utilization?space={other_space}")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(row(&page.body, "09:00–10:00"), ["09:00–10:00", "1", "1"]);
    let (member, _) = crate::browser::logged_in_member(&app, "reports").await;
    for path in ["utilization", "utilization.csv", "bookings.csv"] {
        assert_eq!(member.get(&format!("/console/hubs/testhub/{path}")).await.status, StatusCode::NOT_FOUND);
    }
}

async fn the_demo_manager_sees_last_months_history_of_polch(backend: Backend) {
    use regiohub::demo::history::seed_last_month;
    use regiohub::demo::logins::DEMO_LOGINS;
    use regiohub::demo::seed::seed_demo;
    let app = TestApp::spawn(backend).await;
    assert!(seed_demo(&mut app.conn(), &app.state.context, default_now()).unwrap());
    let polch_bookings = |app: &TestApp| {
        let mut conn = app.conn();
        let hub = regiohub::db::catalog::find_hub(&mut conn, "polch").unwrap().unwrap();
        let (start, end) = (db_time(utc("2026-09-30T22:00:00Z")), db_time(utc("2026-10-31T23:00:00Z")));
        regiohub::db::reports::hub_bookings_overlapping(&mut conn, &hub.id, start, end).unwrap()
    };
    let seeded = polch_bookings(&app);
    assert!(seeded.len() > 50, "a month of bookings: {}", seeded.len());
    for status in ["completed", "no_show", "cancelled"] {
        assert!(seeded.iter().any(|b| b.status.as_str() == status), "some {status}");
    }
    // Polch lets members in around the clock in the demo, but the history's people come by day.
    for booking in seeded.iter().filter(|b| b.end_at - b.start_at < chrono::Duration::hours(23)) {
        let local = |t: chrono::NaiveDateTime| t.and_utc().with_timezone(&chrono_tz::Europe::Berlin).naive_local();
        let (start, end) = (local(booking.start_at), local(booking.end_at));
        assert!(start.hour() >= 8 && end <= start.date().and_hms_opt(20, 0, 0).unwrap(), "{start} – {end}");
    }
    // Seeding again adds nothing.
    assert!(!seed_demo(&mut app.conn(), &app.state.context, default_now()).unwrap());
    assert!(!seed_last_month(&mut app.conn(), default_now()).unwrap());
    assert_eq!(polch_bookings(&app).len(), seeded.len());
    // The buckets are written in batches; adding to them later adds up, as it did one by one.
    let mut conn = app.conn();
    let polch = regiohub::db::catalog::find_hub(&mut conn, "polch").unwrap().unwrap();
    let (space, buckets) = regiohub::db::catalog::list_spaces(&mut conn, &polch.id)
        .unwrap()
        .into_iter()
        .map(|space| (space.id.clone(), presence::aggregates(&mut conn, &space.id).unwrap()))
        .max_by_key(|(_, buckets)| buckets.len())
        .unwrap();
    assert!(buckets.len() > 100, "a month of attendance: {}", buckets.len());
    assert!(buckets.iter().all(|b| b.present_seconds == 300 && b.observed_seconds == 300));
    let first = &buckets[0];
    let earlier = first.bucket_start - chrono::Duration::minutes(5);
    presence::add_to_aggregates(
        &mut conn,
        &[
            PresenceAggregate { present_seconds: 60, observed_seconds: 300, ..first.clone() },
            PresenceAggregate {
                space_id: space.clone(),
                bucket_start: earlier,
                present_seconds: 0,
                observed_seconds: 120,
            },
        ],
    )
    .unwrap();
    let after = presence::aggregates(&mut conn, &space).unwrap();
    assert_eq!(after.len(), buckets.len() + 1);
    assert_eq!((after[0].bucket_start, after[0].present_seconds, after[0].observed_seconds), (earlier, 0, 120));
    assert_eq!(
        (after[1].bucket_start, after[1].present_seconds, after[1].observed_seconds),
        (first.bucket_start, 360, 600)
    );
    drop(conn);
    let manager = Browser::new(&app);
    let login = &DEMO_LOGINS[1];
    assert_eq!(manager.log_in(login.email, login.password).await.status, StatusCode::SEE_OTHER);
    let page = manager.get("/console/hubs/polch/utilization").await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let weekday = row(&page.body, "Dienstag");
    assert!(weekday[1] != "0" && weekday[2] != "0", "booked and present hours on Tuesdays: {weekday:?}");
    let (status, bytes) = download(&manager, "/console/hubs/polch/bookings.csv").await;
    assert_eq!(status, StatusCode::OK);
    let rows = String::from_utf8(bytes).unwrap().split("\r\n").filter(|l| !l.is_empty()).count();
    assert!(rows > 50, "{rows}");
    assert_eq!(manager.get("/console/hubs/mayen/utilization").await.status, StatusCode::NOT_FOUND);
}

on_both_backends!(
    the_demo_manager_sees_last_months_history_of_polch,
    the_page_shows_booked_and_present_hours_by_hour_weekday_and_space,
    one_space_and_a_chosen_range_narrow_the_figures,
    a_bad_range_is_a_field_error_and_shows_no_figures,
    the_bookings_csv_has_one_row_per_booking_of_the_range,
    the_hourly_csv_is_per_space_and_hour_and_names_nobody,
    a_manager_reaches_no_report_of_another_hub,
);
