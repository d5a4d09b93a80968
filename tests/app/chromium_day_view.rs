//! The day view in a real browser (headless Chromium through chromedriver; ignored in a plain
//! `cargo test`, like the other Chromium tests): the phone list at 320 px without sideways
//! scrolling or axe findings, the grid at 1280 px (a free cell's button fills the cell), a
//! booking of the last space by keyboard in few key presses, a range booked with two clicks
//! through day-grid.js (a visitor's reaches the form with both times after the login), and the
//! row's GET form opening the booking form from the phone list.

use std::time::Duration;

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use fantoccini::{Client, Locator};
use regiohub::db::{self, catalog};
use regiohub::domain::ids::SpaceId;
use regiohub::domain::role::Role;
use regiohub::domain::vocabulary::SpaceKind;
use regiohub::service::UnitOfWork;
use reqwest::StatusCode;

use crate::chromium::{axe_source, browser, log_in, overflow, start_driver, violations};
use crate::helpers::{Backend, Fixture, TestApp, default_now};

const DAY: &str = "/hubs/testhub?date=2026-11-24";
const PASSWORD: &str = "a long browser password";

/// The fixture hub with ten spaces, the last one (in the page's order) booked by the hour.
fn ten_spaces(app: &TestApp, f: &Fixture) -> catalog::Space {
    for name in ["Desk 3", "Desk 4", "Desk 5", "Desk 6"] {
        let desk = catalog::Space { id: SpaceId::from(db::new_id()), name: name.to_owned(), ..f.desk.clone() };
        catalog::insert_space(&mut app.conn(), &desk).unwrap();
    }
    let bench = catalog::Space {
        id: SpaceId::from(db::new_id()),
        name: "Werkbank".to_owned(),
        kind: SpaceKind::Equipment,
        ..f.desk.clone()
    };
    catalog::insert_space(&mut app.conn(), &bench).unwrap();
    bench
}

fn member(app: &TestApp, email: &str) {
    regiohub::service::accounts::add_user(
        &mut UnitOfWork::new(&mut app.conn()),
        email,
        "Kim Keyboard",
        &Role::Member,
        PASSWORD,
        default_now(),
    )
    .unwrap();
}

async fn press(client: &Client, key: Key) {
    let value: char = key.into();
    let keys = KeyActions::new("keyboard".to_owned()).then(KeyAction::Down { value }).then(KeyAction::Up { value });
    client.perform_actions(keys).await.unwrap();
}

/// The row (0-based) of the day grid that holds the focus, or -1 outside the grid's body.
async fn focused_row(client: &Client) -> i64 {
    let script = "const row = document.activeElement.closest('#day-grid tbody tr');\n\
                  return row ? Array.prototype.indexOf.call(row.parentNode.rows, row) : -1;";
    client.execute(script, vec![]).await.unwrap().as_i64().unwrap()
}

async fn display_of(client: &Client, selector: &str) -> String {
    let script = format!("return getComputedStyle(document.querySelector('{selector}')).display;");
    client.execute(&script, vec![]).await.unwrap().as_str().unwrap().to_owned()
}

/// Where the login page, once the browser is there, sends on to.
async fn login_next(client: &Client) -> String {
    for _ in 0..100 {
        let url = client.current_url().await.unwrap();
        if url.path() == "/login" {
            return url.query_pairs().find(|(k, _)| k == "next").map(|(_, v)| v.into_owned()).unwrap_or_default();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no login page; at {}", client.current_url().await.unwrap());
}

async fn wait_for_booking_page(client: &Client) -> String {
    for _ in 0..100 {
        let url = client.current_url().await.unwrap();
        if url.path().starts_with("/bookings/") {
            return client.find(Locator::Css("main")).await.unwrap().text().await.unwrap();
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("no booking page; at {}", client.current_url().await.unwrap());
}

#[tokio::test]
#[ignore = "needs chromium, chromedriver and axe-core: .ci/run installs them and runs it"]
async fn the_day_view_is_a_list_at_320_px_and_a_grid_at_1280_px_without_sideways_scrolling_or_axe_findings() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let f = app.fixture();
    let _ = ten_spaces(&app, &f);
    crate::floor_plan::give_a_plan(&app, &f);
    let (status, _) =
        app.book(&f.bob_token, f.desk.id.as_str(), "2026-11-24T10:00:00+01:00", "2026-11-24T12:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED);
    let axe = axe_source();
    let driver = start_driver();
    for (width, grid, list) in [(320, "none", "block"), (1280, "block", "none")] {
        let client = browser(&driver, width).await;
        for path in
            [DAY, "/hubs/testhub?date=2026-11-24&hour=10:00", "/hubs/testhub", "/hubs/testhub?date=2026-12-24", "/"]
        {
            client.goto(&app.url(path)).await.unwrap();
            assert_eq!(overflow(&client).await, 0, "{path} scrolls sideways at {width} px");
            let found = violations(&client, &axe).await;
            assert!(found.is_empty(), "{path} at {width} px: {found:#?}");
        }
        client.goto(&app.url(DAY)).await.unwrap();
        // Screen readers get one of the two: the other is display: none.
        assert_eq!(display_of(&client, ".day-grid-box").await, grid, "{width} px");
        assert_eq!(display_of(&client, ".day-list").await, list, "{width} px");
        if width == 1280 {
            // The whole free cell is the button: its box is the cell's, less the cell's border.
            let script = "const b = document.querySelector('#day-grid td > button');\n\
                          const l = b.getBoundingClientRect(), c = b.parentNode.getBoundingClientRect();\n\
                          return [c.width - l.width, c.height - l.height, l.width, l.height];";
            let sizes = client.execute(script, vec![]).await.unwrap();
            let sizes: Vec<f64> = sizes.as_array().unwrap().iter().map(|v| v.as_f64().unwrap()).collect();
            assert!(sizes[0].abs() <= 1.5 && sizes[1].abs() <= 1.5, "button vs cell: {sizes:?}");
            assert!(sizes[2] >= 44.0 && sizes[3] >= 44.0, "a target of at least 44 px: {sizes:?}");
            // A free space's mark on the plan opens its booking form with the plan's hour (the
            // first of the day): a visitor is asked to log in first.
            client.goto(&app.url(&format!("{DAY}&hour=08:00"))).await.unwrap();
            let mark = "//*[local-name()='a'][*[local-name()='text'][.='Desk 2']]";
            client.find(Locator::XPath(mark)).await.unwrap().click().await.unwrap();
            assert_eq!(
                login_next(&client).await,
                format!("/spaces/{}/book?date=2026-11-24&from=08:00&to=09:00", f.desk2.id)
            );
        } else {
            // On a phone the grid is hidden, yet "another time" submits its row's GET form: the
            // booking form for that space and day (a visitor is asked to log in first).
            let other = "//section[h3[starts-with(., 'Desk 2 ')]]//p/button";
            client.find(Locator::XPath(other)).await.unwrap().click().await.unwrap();
            assert_eq!(login_next(&client).await, format!("/spaces/{}/book?date=2026-11-24", f.desk2.id));
        }
        client.close().await.unwrap();
    }
}

#[tokio::test]
#[ignore = "needs chromium and chromedriver: .ci/run installs them and runs it"]
async fn a_keyboard_reaches_and_books_the_last_space_in_few_key_presses() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let f = app.fixture();
    let _ = ten_spaces(&app, &f);
    let email = "keyboard@example.org";
    member(&app, email);
    let driver = start_driver();
    let client = browser(&driver, 1280).await;
    log_in(&app, &client, email, PASSWORD).await;
    client.goto(&app.url(DAY)).await.unwrap();
    let rows = client.execute("return document.querySelectorAll('#day-grid tbody tr').length;", vec![]).await.unwrap();
    let last = rows.as_i64().unwrap() - 1;
    assert_eq!(last, 9, "ten spaces");
    // From the top of the page, Tab until the focus is in the grid (one Tab stop for all of it).
    let mut tabs = 0;
    while focused_row(&client).await < 0 {
        press(&client, Key::Tab).await;
        tabs += 1;
        assert!(tabs < 40, "still not in the grid after {tabs} Tab presses");
    }
    // Down to the last space, in the same column.
    let mut arrows = 0;
    while focused_row(&client).await < last {
        press(&client, Key::Down).await;
        arrows += 1;
        assert!(arrows <= last, "the arrow keys do not reach the last space");
    }
    let focused = client
        .execute("const b = document.activeElement; return b.matches('#day-grid td > button') ? b.value : '';", vec![])
        .await
        .unwrap();
    let from = focused.as_str().unwrap().to_owned();
    assert_eq!(from, "08:00", "a free cell of the last space holds the focus");
    // Enter marks the start, Right and Enter the end: 08:00 to 10:00 booked in one step.
    press(&client, Key::Enter).await;
    let status = client.find(Locator::Id("day-grid-status")).await.unwrap().text().await.unwrap();
    assert!(status.contains("Anfang 08:00 gewählt"), "{status}");
    press(&client, Key::Right).await;
    press(&client, Key::Enter).await;
    let booking = wait_for_booking_page(&client).await;
    assert!(booking.contains("Werkbank") && booking.contains("08:00") && booking.contains("10:00"), "{booking}");
    let presses = tabs + arrows + 3;
    eprintln!("last space booked with {tabs} Tab, {arrows} arrow and 3 other key presses");
    assert!(presses < 40, "{tabs} Tab and {arrows} arrow presses (today's chips took 198 Tabs)");
    client.close().await.unwrap();
}

#[tokio::test]
#[ignore = "needs chromium and chromedriver: .ci/run installs them and runs it"]
async fn two_clicks_on_free_cells_book_the_range_between_them() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let f = app.fixture();
    let email = "clicks@example.org";
    member(&app, email);
    let driver = start_driver();
    let client = browser(&driver, 1280).await;
    let cell = |from: &str| format!("//tr[th[starts-with(., 'Desk 2 ')]]/td/button[@value='{from}']");
    // A visitor's two clicks go to the booking form with both times filled in, by way of the
    // login.
    client.goto(&app.url(DAY)).await.unwrap();
    client.find(Locator::XPath(&cell("13:00"))).await.unwrap().click().await.unwrap();
    client.find(Locator::XPath(&cell("15:00"))).await.unwrap().click().await.unwrap();
    let next = login_next(&client).await;
    // (The script's URLSearchParams writes the colons as %3A.)
    let asked = next.replace("%3A", ":");
    assert_eq!(asked, format!("/spaces/{}/book?date=2026-11-24&from=13:00&to=16:00", f.desk2.id));
    log_in(&app, &client, email, PASSWORD).await;
    client.goto(&app.url(next.as_str())).await.unwrap();
    let to = client.find(Locator::Id("to")).await.unwrap().prop("value").await.unwrap();
    assert_eq!(to.as_deref(), Some("16:00"), "the end is filled in");
    client.goto(&app.url(DAY)).await.unwrap();
    // A range over a taken hour is refused in words and nothing is booked.
    let (status, _) =
        app.book(&f.bob_token, f.desk2.id.as_str(), "2026-11-24T11:00:00+01:00", "2026-11-24T12:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED);
    client.refresh().await.unwrap();
    client.find(Locator::XPath(&cell("09:00"))).await.unwrap().click().await.unwrap();
    client.find(Locator::XPath(&cell("13:00"))).await.unwrap().click().await.unwrap();
    let said = client.find(Locator::Id("day-grid-status")).await.unwrap().text().await.unwrap();
    assert!(said.contains("Dazwischen ist etwas belegt"), "{said}");
    assert!(client.current_url().await.unwrap().path().starts_with("/hubs/"));
    // Start and end in the other order: 13:00 to 16:00.
    client.find(Locator::XPath(&cell("15:00"))).await.unwrap().click().await.unwrap();
    client.find(Locator::XPath(&cell("13:00"))).await.unwrap().click().await.unwrap();
    let booking = wait_for_booking_page(&client).await;
    assert!(booking.contains("Desk 2") && booking.contains("13:00") && booking.contains("16:00"), "{booking}");
    client.close().await.unwrap();
}
