//! A hub's day view over HTTP: the time grid (free, taken and closed in words, never who), the
//! phone list of free ranges, the opening wording on the day view and the start page, the
//! natural order of spaces and the page budget.

use chrono::NaiveDate;
use regiohub::db::{self, catalog};
use reqwest::StatusCode;

use crate::helpers::{Backend, Fixture, TestApp, utc};
use crate::on_both_backends;

async fn page(app: &TestApp, path: &str) -> String {
    let response = app.client.get(app.url(path)).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.text().await.unwrap()
}

async fn page_in_english(app: &TestApp, path: &str) -> String {
    let response = app.client.get(app.url(path)).header("accept-language", "en").send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.text().await.unwrap()
}

/// The grid part of a day view (the phone list follows it).
fn grid(html: &str) -> &str {
    let start = html.find("<table class=\"day-grid\"").expect("the page has a grid");
    let end = html[start..].find("</table>").unwrap() + start;
    &html[start..end]
}

/// The phone list part of a day view.
fn list(html: &str) -> &str {
    let start = html.find("<div class=\"day-list\">").expect("the page has a phone list");
    &html[start..]
}

/// The grid row of the space `name`.
fn row<'a>(html: &'a str, name: &str) -> &'a str {
    let grid = grid(html);
    let start = grid.find(&format!("<th scope=\"row\">{name} ")).unwrap_or_else(|| panic!("no row {name}: {grid}"));
    let end = grid[start..].find("</tr>").unwrap() + start;
    &grid[start..end]
}

/// The phone list entry of the space `name`.
fn entry<'a>(html: &'a str, name: &str) -> &'a str {
    let list = list(html);
    let start = list.find(&format!(">{name} <span")).unwrap_or_else(|| panic!("no entry {name}: {list}"));
    let end = list[start..].find("</section>").unwrap() + start;
    &list[start..end]
}

fn space(f: &Fixture, hub_id: &str, name: &str) -> catalog::Space {
    catalog::Space { id: db::new_id(), hub_id: hub_id.to_owned(), name: name.to_owned(), ..f.desk.clone() }
}

/// A second hub of the fixture's operator with these weekly hours (ISO weekday, minutes).
fn other_hub(app: &TestApp, f: &Fixture, slug: &str, name: &str, hours: &[(i32, i32, i32)]) -> catalog::Hub {
    let mut conn = app.conn();
    let hub = catalog::Hub { id: db::new_id(), slug: slug.to_owned(), name: name.to_owned(), ..f.hub.clone() };
    catalog::insert_hub(&mut conn, &hub).unwrap();
    let rows: Vec<catalog::OpeningHours> = hours
        .iter()
        .map(|&(weekday, opens_minute, closes_minute)| catalog::OpeningHours {
            hub_id: hub.id.clone(),
            weekday,
            opens_minute,
            closes_minute,
        })
        .collect();
    catalog::insert_opening_hours(&mut conn, &rows).unwrap();
    hub
}

fn free_cell(space_id: &str, date: &str, from: &str) -> String {
    format!("<td class=\"free\"><a href=\"/spaces/{space_id}/book?date={date}&#38;from={from}\">frei</a></td>")
}

async fn the_grid_says_free_taken_and_closed_and_never_who(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let carol = app.member(&mut app.conn(), "carol@example.org");
    let (status, _) =
        app.book(&f.bob_token, &f.desk.id, "2026-11-24T10:00:00+01:00", "2026-11-24T12:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) = app.book(&carol, &f.equipment.id, "2026-11-24T00:00:00+01:00", "2026-11-25T00:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED);
    let path = "/hubs/testhub?date=2026-11-24";
    let html = page(&app, path).await;
    assert!(html.contains("Geöffnet: 08:00–20:00"), "{html}");
    // Its own scrolling box, named by the caption, so the page itself never scrolls sideways.
    assert!(html.contains(
        "<div class=\"table-scroll day-grid-box\" role=\"region\" tabindex=\"0\" aria-labelledby=\"day-grid-caption\">"
    ));
    assert!(html.contains("<caption id=\"day-grid-caption\">Belegung am Di., 24.11.2026</caption>"), "{html}");
    // Twelve hour columns, 08:00 to 19:00, each with where it ends.
    let grid = grid(&html);
    assert_eq!(grid.matches("<th scope=\"col\" data-end=").count(), 12, "{grid}");
    assert!(grid.contains("data-end=\"09:00\">08:00</th>") && grid.contains("data-end=\"20:00\">19:00</th>"));
    // Desk 1: free in words and a link that fills the cell, taken in words with no link.
    let desk = row(&html, "Desk 1");
    assert!(desk.contains(&free_cell(&f.desk.id, "2026-11-24", "09:00")), "{desk}");
    assert!(desk.contains(&free_cell(&f.desk.id, "2026-11-24", "12:00")), "{desk}");
    assert_eq!(desk.matches("<td class=\"taken\">belegt</td>").count(), 2, "{desk}");
    assert_eq!(desk.matches("<td class=\"free\">").count(), 10, "{desk}");
    // A whole-day space is one cell for the day; a disabled one says so.
    let beamer = row(&html, "Beamer");
    assert!(beamer.contains("<td class=\"taken\" colspan=\"12\">Ganzer Tag belegt</td>"), "{beamer}");
    let disabled = row(&html, "Desk 9");
    assert!(disabled.contains("<td class=\"closed\" colspan=\"12\">Derzeit nicht buchbar.</td>"), "{disabled}");
    // Never who: no name, no address of the people who booked.
    for who in ["bob", "carol", "Test Member"] {
        assert!(!html.contains(who), "the day view names {who}");
    }
    // One legend, a sample of each kind of cell, in the words the cells use.
    for sample in [
        "<span class=\"cell-sample free\">frei</span>",
        "<span class=\"cell-sample taken\">belegt</span>",
        "<span class=\"cell-sample closed\">zu</span>",
    ] {
        assert!(html.contains(sample), "{sample}: {html}");
    }
    assert!(!html.contains("gestrichelt"), "the old legend is gone");
    // A booking made through the API is taken on the next request.
    assert!(row(&html, "Desk 2").contains(&free_cell(&f.desk2.id, "2026-11-24", "14:00")));
    let (status, _) =
        app.book(&f.alice_token, &f.desk2.id, "2026-11-24T14:00:00+01:00", "2026-11-24T15:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED);
    let again = page(&app, path).await;
    let desk2 = row(&again, "Desk 2");
    assert!(!desk2.contains(&free_cell(&f.desk2.id, "2026-11-24", "14:00")), "{desk2}");
    assert_eq!(desk2.matches("<td class=\"taken\">belegt</td>").count(), 1, "{desk2}");
    // The same in English.
    let english = page_in_english(&app, path).await;
    assert!(english.contains("<td class=\"taken\">taken</td>"), "{english}");
    assert!(english.contains("Whole day taken") && english.contains("Open: 08:00–20:00"));
}

async fn phones_get_free_ranges_with_one_book_link_each(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let (status, _) =
        app.book(&f.bob_token, &f.desk.id, "2026-11-24T10:00:00+01:00", "2026-11-24T12:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED);
    let html = page(&app, "/hubs/testhub?date=2026-11-24").await;
    let desk = entry(&html, "Desk 1");
    // Two ranges around the booking; each link asks for as much as one booking may hold (4 h).
    assert!(desk.contains("<li>frei 08:00–10:00 <a href="), "{desk}");
    assert!(desk.contains(&format!("/spaces/{}/book?date=2026-11-24&#38;from=08:00&#38;to=10:00\">Buchen", f.desk.id)));
    assert!(desk.contains("<li>frei 12:00–20:00 <a href="), "{desk}");
    assert!(desk.contains(&format!("/spaces/{}/book?date=2026-11-24&#38;from=12:00&#38;to=16:00\">Buchen", f.desk.id)));
    assert_eq!(desk.matches("<li>").count(), 2, "one link per range, not one per hour: {desk}");
    let beamer = entry(&html, "Beamer");
    assert!(
        beamer.contains(&format!("<li>frei ganzer Tag <a href=\"/spaces/{}/book?date=2026-11-24\">", f.equipment.id))
    );
    assert!(entry(&html, "Desk 9").contains("Derzeit nicht buchbar."));
    // The English list.
    let english = page_in_english(&app, "/hubs/testhub?date=2026-11-24").await;
    assert!(entry(&english, "Desk 1").contains("<li>free 12:00–20:00 <a href="), "{english}");
    assert!(entry(&english, "Desk 1").contains(">Book<span"), "{english}");
}

async fn today_marks_the_current_hour_and_the_past(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let _ = app.fixture();
    app.clock.set(utc("2026-11-23T12:20:00Z"));
    let html = page(&app, "/hubs/testhub").await;
    let cells = grid(&html);
    assert!(
        cells.contains(
            "<th scope=\"col\" data-end=\"14:00\" class=\"now\">13:00 <span class=\"now-tag\">jetzt 13:20</span></th>"
        ),
        "{cells}"
    );
    assert_eq!(cells.matches("class=\"now\"").count(), 1);
    let desk = row(&html, "Desk 1");
    assert_eq!(desk.matches("<td class=\"closed\">vorbei</td>").count(), 5, "08:00 to 12:00 are past: {desk}");
    assert!(desk.contains("<td class=\"free now\"><a href="), "{desk}");
    assert!(entry(&html, "Desk 1").contains("<li>frei 13:00–20:00 <a href="), "{html}");
    // Another day has no marker.
    let tomorrow = page(&app, "/hubs/testhub?date=2026-11-24").await;
    assert!(!grid(&tomorrow).contains("now"));
}

async fn open_around_the_clock_and_closed_days_are_said_in_words(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let all_day = other_hub(&app, &f, "allday", "Hub Rund", &(1..=7).map(|d| (d, 0, 1440)).collect::<Vec<_>>());
    catalog::insert_space(&mut app.conn(), &space(&f, &all_day.id, "Platz A")).unwrap();
    let not_mondays =
        other_hub(&app, &f, "montags", "Hub Montag", &(2..=7).map(|d| (d, 480, 1080)).collect::<Vec<_>>());
    catalog::insert_space(&mut app.conn(), &space(&f, &not_mondays.id, "Platz B")).unwrap();
    catalog::insert_closure(
        &mut app.conn(),
        &catalog::Closure {
            id: db::new_id(),
            hub_id: f.hub.id.clone(),
            first_day: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            last_day: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            label: "Betriebsausflug".into(),
        },
    )
    .unwrap();

    // Around the clock: no "00:00–00:00", 24 columns, a free range up to 24:00.
    let html = page(&app, "/hubs/allday?date=2026-11-24").await;
    assert!(html.contains("<p>Rund um die Uhr geöffnet</p>"), "{html}");
    assert!(!html.contains("00:00–00:00"));
    assert_eq!(grid(&html).matches("<th scope=\"col\" data-end=").count(), 24);
    assert!(grid(&html).contains("data-end=\"24:00\">23:00</th>"), "{html}");
    assert!(entry(&html, "Platz A").contains("<li>frei 00:00–24:00 <a href="), "{html}");
    assert!(page_in_english(&app, "/hubs/allday?date=2026-11-24").await.contains("<p>Open around the clock</p>"));

    // Closed today, closed on another day, with and without a reason.
    let html = page(&app, "/hubs/testhub").await;
    assert!(html.contains("Heute geschlossen: Betriebsausflug"), "{html}");
    assert!(!html.contains("<table"), "no grid on a closed day");
    let html = page(&app, "/hubs/testhub?date=2026-12-24").await;
    assert!(html.contains("An diesem Tag geschlossen: Heiligabend"), "{html}");
    let html = page(&app, "/hubs/montags").await;
    assert!(html.contains("Heute geschlossen."), "{html}");
    let html = page(&app, "/hubs/montags?date=2026-11-30").await;
    assert!(html.contains("An diesem Tag geschlossen."), "{html}");
    assert!(page_in_english(&app, "/hubs/montags").await.contains("Closed today."));

    // The start page: closed hubs are closed, not "no desk free".
    let start = page(&app, "/").await;
    assert!(start.contains("<p>Heute rund um die Uhr geöffnet</p>"), "{start}");
    assert!(start.contains("Heute geschlossen: Betriebsausflug"), "{start}");
    assert!(start.contains("<p>Heute geschlossen</p>"), "{start}");
    assert!(!start.contains("kein Arbeitsplatz"), "{start}");
    assert!(start.contains("Heute noch 1 Arbeitsplatz frei"), "the open hub still counts: {start}");
    let english = page_in_english(&app, "/").await;
    assert!(english.contains("Open around the clock today") && english.contains("<p>Closed today</p>"), "{english}");
    assert!(!english.contains("No desk free today"), "{english}");
}

async fn spaces_sort_by_kind_and_then_naturally(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    for name in ["Desk 10", "Desk 3"] {
        catalog::insert_space(&mut app.conn(), &space(&f, &f.hub.id, name)).unwrap();
    }
    let html = page(&app, "/hubs/testhub?date=2026-11-24").await;
    let grid = grid(&html);
    let order: Vec<&str> =
        grid.split("<th scope=\"row\">").skip(1).map(|rest| rest.split(" <span").next().unwrap()).collect();
    assert_eq!(order, ["Desk 1", "Desk 2", "Desk 3", "Desk 9", "Desk 10", "Room", "Beamer"]);
    let list = list(&html);
    let first = |name: &str| list.find(&format!(">{name} <span")).unwrap();
    assert!(first("Desk 2") < first("Desk 10") && first("Desk 10") < first("Room"));
}

async fn ten_spaces_stay_under_the_page_budget(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    for n in 3..=7 {
        catalog::insert_space(&mut app.conn(), &space(&f, &f.hub.id, &format!("Desk {n}"))).unwrap();
    }
    let (status, _) =
        app.book(&f.bob_token, &f.desk.id, "2026-11-24T10:00:00+01:00", "2026-11-24T12:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED);
    let html = page(&app, "/hubs/testhub?date=2026-11-24").await;
    assert_eq!(grid(&html).matches("<th scope=\"row\">").count(), 10);
    eprintln!("day view bytes: {}", html.len());
    assert!(html.len() < 25_000, "the day view of 10 spaces is {} bytes", html.len());
    // Around the clock, ten spaces by the hour: 240 free cells, each a link with the full booking
    // address, do not fit 25 KB (about 120 bytes a cell); the page stays well below the chips it
    // replaces (about 200 bytes an hour).
    let all_day = other_hub(&app, &f, "allday", "Hub Rund", &(1..=7).map(|d| (d, 0, 1440)).collect::<Vec<_>>());
    for n in 1..=10 {
        catalog::insert_space(&mut app.conn(), &space(&f, &all_day.id, &format!("Arbeitsplatz {n}"))).unwrap();
    }
    let html = page(&app, "/hubs/allday?date=2026-11-24").await;
    assert_eq!(grid(&html).matches("<td class=\"free\">").count(), 240);
    eprintln!("day view bytes around the clock: {}", html.len());
    assert!(html.len() < 45_000, "the day view of 10 spaces open around the clock is {} bytes", html.len());
}

on_both_backends!(
    the_grid_says_free_taken_and_closed_and_never_who,
    phones_get_free_ranges_with_one_book_link_each,
    today_marks_the_current_hour_and_the_past,
    open_around_the_clock_and_closed_days_are_said_in_words,
    spaces_sort_by_kind_and_then_naturally,
    ten_spaces_stay_under_the_page_budget,
);
