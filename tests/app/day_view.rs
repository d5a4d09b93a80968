//! A hub's day view over HTTP: the time grid (free, taken and closed in words, never who), the
//! phone list of free ranges, the opening wording on the day view and the start page, the
//! natural order of spaces after the position staff set, the page budget, and the booking form filled in from the grid's
//! buttons and the list's ranges.

use chrono::NaiveDate;
use regiohub::db::{self, catalog};
use regiohub::domain::ids::{HubId, SpaceId};
use reqwest::StatusCode;

use crate::browser::logged_in_member;
use crate::helpers::{Backend, Fixture, TestApp, page_in_english, utc};
use crate::on_both_backends;

async fn page(app: &TestApp, path: &str) -> String {
    let response = app.client.get(app.url(path)).send().await.unwrap();
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

/// The head row of the grid.
fn head(html: &str) -> &str {
    let grid = grid(html);
    let start = grid.find("<thead>").expect("the grid has a head");
    let end = grid.find("</thead>").unwrap();
    &grid[start..end]
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
    catalog::Space {
        id: SpaceId::from(db::new_id()),
        hub_id: HubId::from(hub_id.to_owned()),
        name: name.to_owned(),
        ..f.desk.clone()
    }
}

/// A second hub of the fixture's operator with these weekly hours (ISO weekday, minutes).
fn other_hub(app: &TestApp, f: &Fixture, slug: &str, name: &str, hours: &[(i32, i32, i32)]) -> catalog::Hub {
    let mut conn = app.conn();
    let hub =
        catalog::Hub { id: HubId::from(db::new_id()), slug: slug.to_owned(), name: name.to_owned(), ..f.hub.clone() };
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

/// The id of a grid row's booking form: a GET form to the space's booking form with the date,
/// which the row's free cells submit.
fn form_of(row: &str, space_id: &str, date: &str) -> String {
    let form = format!(" action=\"/spaces/{space_id}/book\"><input type=hidden name=date value={date}></form></th>");
    let end = row.find(&form).unwrap_or_else(|| panic!("no form for {space_id} on {date}: {row}"));
    let start = row[..end].rfind("<form id=").unwrap() + "<form id=".len();
    row[start..end].to_owned()
}

/// A free hour of the row whose form is `form`: a button that submits the form with its start.
fn free_cell(form: &str, from: &str) -> String {
    format!("<td><button form={form} name=from value={from}>frei</button>")
}

async fn the_grid_says_free_taken_and_closed_and_never_who(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let carol = app.member(&mut app.conn(), "carol@example.org");
    let (status, _) =
        app.book(&f.bob_token, f.desk.id.as_str(), "2026-11-24T10:00:00+01:00", "2026-11-24T12:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) =
        app.book(&carol, f.equipment.id.as_str(), "2026-11-24T00:00:00+01:00", "2026-11-25T00:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED);
    let path = "/hubs/testhub?date=2026-11-24";
    let html = page(&app, path).await;
    assert!(html.contains("Geöffnet: 08:00–20:00"), "{html}");
    // Its own scrolling box, named by the caption, so the page itself never scrolls sideways.
    assert!(html.contains(
        "<div class=\"table-scroll day-grid-box\" role=\"region\" tabindex=\"0\" aria-labelledby=\"day-grid-caption\">"
    ));
    assert!(html.contains("<caption id=\"day-grid-caption\">Belegung am Di., 24.11.2026</caption>"), "{html}");
    // Twelve hour columns, 08:00 to 19:00; the last says where it ends (the others end where
    // the next one starts).
    let head = head(&html);
    assert_eq!(head.matches("</th>").count(), 13, "{head}");
    assert!(head.contains("<th>08:00</th>") && head.contains("<th data-end=\"20:00\">19:00</th>"), "{head}");
    assert_eq!(head.matches("data-end").count(), 1, "{head}");
    // Desk 1: free in words on a button that fills the cell, taken in words with no button.
    let desk = row(&html, "Desk 1");
    let form = form_of(desk, f.desk.id.as_str(), "2026-11-24");
    assert!(desk.contains(&free_cell(&form, "09:00")), "{desk}");
    assert!(desk.contains(&free_cell(&form, "12:00")), "{desk}");
    assert_eq!(desk.matches("<td class=\"taken\">belegt").count(), 2, "{desk}");
    assert_eq!(desk.matches("<td><button ").count(), 10, "{desk}");
    // Each row has its own form.
    assert_ne!(form, form_of(row(&html, "Desk 2"), f.desk2.id.as_str(), "2026-11-24"));
    // A whole-day space is one cell for the day; a disabled one says so and has no form.
    let beamer = row(&html, "Beamer");
    assert!(beamer.contains("<td class=\"taken\" colspan=\"12\">Ganzer Tag belegt"), "{beamer}");
    assert!(!beamer.contains("<button"), "{beamer}");
    let disabled = row(&html, "Desk 9");
    assert!(disabled.contains("<td class=\"closed\" colspan=\"12\">Derzeit nicht buchbar."), "{disabled}");
    assert!(!disabled.contains("<form"), "{disabled}");
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
    let form2 = form_of(row(&html, "Desk 2"), f.desk2.id.as_str(), "2026-11-24");
    assert!(row(&html, "Desk 2").contains(&free_cell(&form2, "14:00")));
    let (status, _) =
        app.book(&f.alice_token, f.desk2.id.as_str(), "2026-11-24T14:00:00+01:00", "2026-11-24T15:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED);
    let again = page(&app, path).await;
    let desk2 = row(&again, "Desk 2");
    assert!(!desk2.contains(&free_cell(&form2, "14:00")), "{desk2}");
    assert_eq!(desk2.matches("<td class=\"taken\">belegt").count(), 1, "{desk2}");
    // The same in English.
    let english = page_in_english(&app, path).await;
    assert!(english.contains("<td class=\"taken\">taken"), "{english}");
    assert!(english.contains("name=from value=09:00>free</button>"), "{english}");
    assert!(english.contains("Whole day taken") && english.contains("Open: 08:00–20:00"));
}

async fn phones_get_free_ranges_with_one_book_link_each(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let (status, _) =
        app.book(&f.bob_token, f.desk.id.as_str(), "2026-11-24T10:00:00+01:00", "2026-11-24T12:00:00+01:00").await;
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
    let head = head(&html);
    assert!(head.contains("<th class=\"now\">13:00 <span class=\"now-tag\">jetzt 13:20</span></th>"), "{head}");
    assert_eq!(head.matches("class=\"now\"").count(), 1);
    let desk = row(&html, "Desk 1");
    assert_eq!(desk.matches("<td class=\"closed\">vorbei").count(), 5, "08:00 to 12:00 are past: {desk}");
    assert!(desk.contains("<td class=\"now\"><button form="), "{desk}");
    assert_eq!(desk.matches("class=\"now\"").count(), 1, "{desk}");
    assert!(entry(&html, "Desk 1").contains("<li>frei 13:00–20:00 <a href="), "{html}");
    // Another day has no marker.
    let tomorrow = page(&app, "/hubs/testhub?date=2026-11-24").await;
    assert!(!grid(&tomorrow).contains("now"));
}

async fn open_around_the_clock_and_closed_days_are_said_in_words(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let all_day = other_hub(&app, &f, "allday", "Hub Rund", &(1..=7).map(|d| (d, 0, 1440)).collect::<Vec<_>>());
    catalog::insert_space(&mut app.conn(), &space(&f, all_day.id.as_str(), "Platz A")).unwrap();
    let not_mondays =
        other_hub(&app, &f, "montags", "Hub Montag", &(2..=7).map(|d| (d, 480, 1080)).collect::<Vec<_>>());
    catalog::insert_space(&mut app.conn(), &space(&f, not_mondays.id.as_str(), "Platz B")).unwrap();
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
    assert_eq!(head(&html).matches("</th>").count(), 25);
    assert!(head(&html).contains("<th data-end=\"24:00\">23:00</th>"), "{html}");
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
        catalog::insert_space(&mut app.conn(), &space(&f, f.hub.id.as_str(), name)).unwrap();
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

/// The position staff set comes first: a desk numbered 1 follows every space left at 0, rooms
/// and equipment too; spaces at the same number keep the natural order.
async fn the_position_staff_set_comes_before_kind_and_name(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let late = catalog::Space { position: 1, ..space(&f, f.hub.id.as_str(), "Desk 10") };
    catalog::insert_space(&mut app.conn(), &late).unwrap();
    catalog::insert_space(&mut app.conn(), &space(&f, f.hub.id.as_str(), "Desk 3")).unwrap();
    let html = page(&app, "/hubs/testhub?date=2026-11-24").await;
    let order: Vec<&str> =
        grid(&html).split("<th scope=\"row\">").skip(1).map(|rest| rest.split(" <span").next().unwrap()).collect();
    assert_eq!(order, ["Desk 1", "Desk 2", "Desk 3", "Desk 9", "Room", "Beamer", "Desk 10"]);
    let list = list(&html);
    let first = |name: &str| list.find(&format!(">{name} <span")).unwrap();
    assert!(first("Desk 3") < first("Beamer") && first("Beamer") < first("Desk 10"), "{list}");
}

async fn ten_spaces_stay_under_the_page_budget(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    for n in 3..=7 {
        catalog::insert_space(&mut app.conn(), &space(&f, f.hub.id.as_str(), &format!("Desk {n}"))).unwrap();
    }
    let (status, _) =
        app.book(&f.bob_token, f.desk.id.as_str(), "2026-11-24T10:00:00+01:00", "2026-11-24T12:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED);
    let html = page(&app, "/hubs/testhub?date=2026-11-24").await;
    assert_eq!(grid(&html).matches("<th scope=\"row\">").count(), 10);
    eprintln!("day view bytes: {}", html.len());
    assert!(html.len() < 25_000, "the day view of 10 spaces is {} bytes", html.len());
    // Around the clock, ten spaces by the hour: 240 free cells, each a button of its row's form
    // (a full link each, about 120 bytes, did not fit).
    let all_day = other_hub(&app, &f, "allday", "Hub Rund", &(1..=7).map(|d| (d, 0, 1440)).collect::<Vec<_>>());
    for n in 1..=10 {
        catalog::insert_space(&mut app.conn(), &space(&f, all_day.id.as_str(), &format!("Arbeitsplatz {n}"))).unwrap();
    }
    // With a floor plan, the day view links it; the plan itself (24 hours to choose from, ten
    // marks) is the same page with its hour, within a budget of its own.
    let plan = regiohub::service::floor_plan_svg::sanitise(crate::floor_plan::HOSTILE_PLAN.as_bytes()).unwrap();
    let new = regiohub::db::floor_plans::NewPlan {
        hub_id: all_day.id.clone(),
        svg: plan.svg,
        width: plan.width,
        height: plan.height,
        content_hash: plan.content_hash,
        alt_de: "Ein Raum mit zehn Plätzen".into(),
        alt_en: None,
        updated_at: crate::helpers::db_time(crate::helpers::default_now()),
    };
    regiohub::db::floor_plans::put_plan(&mut app.conn(), &new).unwrap();
    for (n, space) in catalog::list_spaces(&mut app.conn(), &all_day.id).unwrap().iter().enumerate() {
        let x = 50 + 90 * i32::try_from(n).unwrap();
        regiohub::db::floor_plans::set_spot(&mut app.conn(), &space.id, Some((x, 500))).unwrap();
    }
    let html = page(&app, "/hubs/allday?date=2026-11-24").await;
    assert_eq!(grid(&html).matches("<td><button form=").count(), 240);
    eprintln!("day view bytes around the clock: {}", html.len());
    assert!(html.len() < 25_000, "the day view of 10 spaces open around the clock is {} bytes", html.len());
    assert!(html.contains("?date=2026-11-24&#38;hour=00:00#plan-heading\">Lageplan zeigen</a>"), "{html}");
    let with_plan = page(&app, "/hubs/allday?date=2026-11-24&hour=10:00").await;
    assert_eq!(with_plan.matches("<circle ").count(), 10, "{with_plan}");
    eprintln!("day view bytes around the clock with the plan: {}", with_plan.len());
    assert!(with_plan.len() < 32_000, "the day view with its plan is {} bytes", with_plan.len());
}

/// The value of the form field `name` on a booking form page.
fn field_value<'a>(html: &'a str, name: &str) -> &'a str {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker).unwrap_or_else(|| panic!("no field {name}: {html}")) + marker.len();
    let end = html[start..].find('"').unwrap() + start;
    &html[start..end]
}

async fn the_booking_form_takes_its_times_from_the_grid_and_the_ranges(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let (browser, _) = logged_in_member(&app, "dayview").await;
    let html = browser.get("/hubs/testhub?date=2026-11-24").await.body;
    // Without JavaScript a free cell's button submits its row's GET form: the address and date
    // of the form, and the button's start.
    let desk = row(&html, "Desk 1");
    let form = form_of(desk, f.desk.id.as_str(), "2026-11-24");
    assert!(desk.contains(&free_cell(&form, "09:00")));
    let page = browser.get(&format!("/spaces/{}/book?date=2026-11-24&from=09:00", f.desk.id)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(field_value(&page.body, "date"), "2026-11-24");
    assert_eq!(field_value(&page.body, "from"), "09:00");
    assert_eq!(field_value(&page.body, "to"), "10:00", "an hour when no end is asked");
    // The phone list's range link fills in its end too (08:00 to 12:00, four hours at most).
    let range = entry(&html, "Desk 1");
    let start = range.find("<li>frei 08:00–20:00 <a href=\"").unwrap() + "<li>frei 08:00–20:00 <a href=\"".len();
    let href = range[start..].split('"').next().unwrap().replace("&#38;", "&");
    assert_eq!(href, format!("/spaces/{}/book?date=2026-11-24&from=08:00&to=12:00", f.desk.id));
    let page = browser.get(&href).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!((field_value(&page.body, "from"), field_value(&page.body, "to")), ("08:00", "12:00"));
    // So does the two-click range a visitor is sent on with, and an end alone.
    let base = format!("/spaces/{}/book?date=2026-11-24", f.desk.id);
    let page = browser.get(&format!("{base}&from=13:00&to=16:00")).await;
    assert_eq!((field_value(&page.body, "from"), field_value(&page.body, "to")), ("13:00", "16:00"));
    let page = browser.get(&format!("{base}&to=%2011:30%20")).await;
    assert_eq!((field_value(&page.body, "from"), field_value(&page.body, "to")), ("", "11:30"));
    // The day's end (the grid's last column ends at 24:00) shows as a time field can say it.
    let page = browser.get(&format!("{base}&from=19:00&to=24:00")).await;
    assert_eq!((field_value(&page.body, "from"), field_value(&page.body, "to")), ("19:00", "00:00"));
    // An end that is no time, or not after the start, is ignored: the form opens as without it.
    for bad in ["banana", "25:00", "24:30", "09:00", "08:00", "%3Cscript%3E", "", "9", "10%3A00%3A00"] {
        let page = browser.get(&format!("{base}&from=09:00&to={bad}")).await;
        assert_eq!(page.status, StatusCode::OK, "to={bad}");
        assert_eq!((field_value(&page.body, "from"), field_value(&page.body, "to")), ("09:00", "10:00"), "to={bad}");
        assert!(!page.body.contains("<script>"), "to={bad}");
    }
    // A booking from the filled-in form is the asked range.
    let page = browser.get(&format!("{base}&from=13:00&to=16:00")).await;
    let token = crate::browser::csrf_token_in(&page.body);
    let booked = browser
        .post(
            &format!("/spaces/{}/book", f.desk.id),
            &[
                ("csrf_token", token.as_str()),
                ("date", field_value(&page.body, "date")),
                ("from", field_value(&page.body, "from")),
                ("to", field_value(&page.body, "to")),
            ],
        )
        .await;
    assert_eq!(booked.status, StatusCode::SEE_OTHER, "{}", booked.body);
    let after = browser.get("/hubs/testhub?date=2026-11-24").await.body;
    let desk = row(&after, "Desk 1");
    assert_eq!(desk.matches("<td class=\"taken\">belegt").count(), 3, "{desk}");
}

/// The grid's last column of a hub open around the clock ends at 24:00, and a time field can
/// only say 00:00: both end the booking at the midnight that ends its day.
async fn a_range_to_the_end_of_the_day_books_until_midnight(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let all_day = other_hub(&app, &f, "allday", "Hub Rund", &(1..=7).map(|d| (d, 0, 1440)).collect::<Vec<_>>());
    let late = space(&f, all_day.id.as_str(), "Platz Spät");
    catalog::insert_space(&mut app.conn(), &late).unwrap();
    let (browser, _) = logged_in_member(&app, "latenight").await;
    let form = browser.get(&format!("/spaces/{}/book?date=2026-11-24&from=22:00&to=24:00", late.id)).await;
    assert_eq!((field_value(&form.body, "from"), field_value(&form.body, "to")), ("22:00", "00:00"));
    for (date, end) in [("2026-11-24", "24:00"), ("2026-11-25", "00:00")] {
        let token = crate::browser::csrf_token_in(&form.body);
        let booked = browser
            .post(
                &format!("/spaces/{}/book", late.id),
                &[("csrf_token", token.as_str()), ("date", date), ("from", "22:00"), ("to", end)],
            )
            .await;
        assert_eq!(booked.status, StatusCode::SEE_OTHER, "to={end}: {}", booked.body);
    }
    for (date, taken) in [("2026-11-24", 2), ("2026-11-25", 2), ("2026-11-26", 0)] {
        let html = browser.get(&format!("/hubs/allday?date={date}")).await.body;
        let late_row = row(&html, "Platz Spät");
        assert_eq!(late_row.matches("<td class=\"taken\">belegt").count(), taken, "{date}: {late_row}");
        if taken > 0 {
            assert!(!late_row.contains("value=23:00>frei"), "23:00–24:00 is booked on {date}");
        }
    }
}

on_both_backends!(
    a_range_to_the_end_of_the_day_books_until_midnight,
    the_grid_says_free_taken_and_closed_and_never_who,
    phones_get_free_ranges_with_one_book_link_each,
    today_marks_the_current_hour_and_the_past,
    open_around_the_clock_and_closed_days_are_said_in_words,
    spaces_sort_by_kind_and_then_naturally,
    the_position_staff_set_comes_before_kind_and_name,
    ten_spaces_stay_under_the_page_budget,
    the_booking_form_takes_its_times_from_the_grid_and_the_ranges,
);
