//! The guests page (issue 16) in a real browser (headless Chromium through chromedriver; ignored
//! in a plain `cargo test`, like the other Chromium tests): a member invites a guest through the
//! form without script, and the page with a guest, with the form sent back with its messages and
//! with every seat taken fits 320 px and has no axe finding.

use std::time::Duration;

use diesel::prelude::*;
use fantoccini::Locator;
use regiohub::db::schema::spaces;

use crate::chromium::{axe_source, browser, log_in, overflow, start_driver, violations};
use crate::helpers::{Backend, TestApp, code};

#[tokio::test]
#[ignore = "needs chromium, chromedriver and axe-core: .ci/run installs them and runs it"]
async fn the_guests_page_fits_320_px_and_passes_the_automated_wcag_21_aa_checks() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let f = app.fixture();
    diesel::update(spaces::table.find(&f.room.id))
        .set((spaces::capacity.eq(2), spaces::approval_required.eq(false)))
        .execute(&mut *app.conn())
        .unwrap();
    let email = "chromium-guests@example.org";
    let password = "a long browser password";
    app.user(email, "Chris Chromium", regiohub::domain::role::Role::Member, password);
    let token = regiohub::service::accounts::create_api_token(
        &mut regiohub::service::UnitOfWork::new(&mut app.conn()),
        email,
        "test",
        crate::helpers::default_now(),
    )
    .unwrap()
    .1;
    let (status, booked) =
        app.book(&token, f.room.id.as_str(), "2026-11-24T10:00:00+01:00", "2026-11-24T12:00:00+01:00").await;
    assert_eq!(status, reqwest::StatusCode::CREATED, "{} {booked}", code(&booked));
    let path = format!("/bookings/{}/guests", booked["id"].as_str().unwrap());

    let axe = axe_source();
    let driver = start_driver();
    let client = browser(&driver, 320).await;
    log_in(&app, &client, email, password).await;
    let mut problems = Vec::new();
    let mut check = async |client: &fantoccini::Client, state: &str| {
        if overflow(client).await != 0 {
            problems.push(format!("{path} ({state}) scrolls sideways at 320 px"));
        }
        problems.extend(violations(client, &axe).await.into_iter().map(|v| format!("{path} ({state}): {v}")));
    };

    // The empty page, then the form sent empty: the messages next to the fields.
    client.goto(&app.url(&path)).await.unwrap();
    check(&client, "empty").await;
    client.find(Locator::Css("main form[action$='/guests'] button[type=submit]")).await.unwrap().click().await.unwrap();
    client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("#name-error")).await.unwrap();
    check(&client, "errors").await;

    // A guest invited through the form: the list, and no form any more (two seats: the member's
    // and one guest's).
    client.find(Locator::Css("input[name=name]")).await.unwrap().send_keys("Gustav Gast").await.unwrap();
    client.find(Locator::Css("input[name=email]")).await.unwrap().send_keys("gustav@example.org").await.unwrap();
    client.find(Locator::Css("main form[action$='/guests'] button[type=submit]")).await.unwrap().click().await.unwrap();
    client.wait().at_most(Duration::from_secs(10)).for_element(Locator::Css("ul.cards li.card")).await.unwrap();
    assert!(client.find(Locator::Css("input[name=email]")).await.is_err(), "every seat is taken");
    check(&client, "full").await;

    // The booking page with its link to the guests.
    let booking_page = path.trim_end_matches("/guests").to_owned();
    client.goto(&app.url(&booking_page)).await.unwrap();
    client.find(Locator::Css(&format!("a[href='{path}']"))).await.unwrap();
    client.close().await.unwrap();
    assert!(problems.is_empty(), "{problems:#?}");
}
