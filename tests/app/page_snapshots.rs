//! A few pages fetched over HTTP from the test app (fixed clock, the fixture hub) and compared
//! whole with the snapshots in `snapshots/`: the start page in both languages, a hub's day view,
//! the booking form and the login page. The story tests check what a page says with
//! `contains(…)`; these catch what they cannot: a lost closing tag, a field that moved out of its
//! form, a header rendered twice.
//!
//! What differs from run to run is replaced before the comparison: the fixture's ids (by their
//! names, so a link to the wrong space still shows), any other id, and CSRF tokens.
//!
//! After a deliberate change to a page: `cargo insta review` (or `INSTA_UPDATE=always cargo test
//! --test app page_snapshots`) and commit the changed `.snap` files with it.

use reqwest::StatusCode;

use crate::browser::Browser;
use crate::helpers::{Backend, Fixture, TestApp};

/// The fixture member's password (`TestApp::member`).
const MEMBER_PASSWORD: &str = "a long test password";

/// Insta settings that replace what varies per run with fixed placeholders.
fn redactions(f: &Fixture) -> insta::Settings {
    let mut settings = insta::Settings::clone_current();
    // `to_string`, not a borrow: the ids may be typed, and a filter wants text.
    let named = [
        (f.hub.operator_id.to_string(), "[operator id]"),
        (f.hub.id.to_string(), "[hub id]"),
        (f.desk.id.to_string(), "[Desk 1 id]"),
        (f.desk2.id.to_string(), "[Desk 2 id]"),
        (f.room.id.to_string(), "[Room id]"),
        (f.equipment.id.to_string(), "[Beamer id]"),
        (f.disabled_desk.id.to_string(), "[Desk 9 id]"),
    ];
    for (id, name) in named {
        settings.add_filter(&regex_literal(&id), name);
    }
    settings.add_filter(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "[id]");
    settings.add_filter(r#"name="csrf_token" value="[^"]*""#, r#"name="csrf_token" value="[csrf token]""#);
    settings
}

/// `text` as a regular expression that matches only itself (ids hold only hex digits and `-`,
/// but an id format may change).
fn regex_literal(text: &str) -> String {
    text.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c.to_string() } else { format!("\\{c}") }).collect()
}

/// The body of a page that must answer 200.
async fn page(browser: &Browser, path: &str, accept_language: &str) -> String {
    let response =
        browser.client.get(browser.url(path)).header("accept-language", accept_language).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK, "{path}");
    response.text().await.unwrap()
}

#[tokio::test]
async fn the_main_pages_keep_their_layout() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let f = app.fixture();
    // Bob holds Desk 1 on Tuesday 10:00–12:00, so the day view shows taken and free hours.
    let (status, _) =
        app.book(&f.bob_token, f.desk.id.as_str(), "2026-11-24T10:00:00+01:00", "2026-11-24T12:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED);

    let visitor = Browser::new(&app);
    let start_de = page(&visitor, "/", "de").await;
    let start_en = page(&visitor, "/", "en").await;
    let day_view = page(&visitor, "/hubs/testhub?date=2026-11-24", "de").await;
    let login = page(&visitor, "/login", "de").await;

    let member = Browser::new(&app);
    let logged_in = member.log_in("alice@example.org", MEMBER_PASSWORD).await;
    assert_eq!(logged_in.status, StatusCode::SEE_OTHER, "{}", logged_in.body);
    let booking_form = page(&member, &format!("/spaces/{}/book?date=2026-11-24&from=13:00", f.desk.id), "de").await;

    redactions(&f).bind(|| {
        insta::assert_snapshot!("start_page_de", start_de);
        insta::assert_snapshot!("start_page_en", start_en);
        insta::assert_snapshot!("hub_day_view_de", day_view);
        insta::assert_snapshot!("login_de", login);
        insta::assert_snapshot!("booking_form_de", booking_form);
    });
}
