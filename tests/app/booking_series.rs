//! Repeating bookings, over HTTP on both databases: the member's form previews every date
//! (bookable, taken with a free alternative, against a rule) without writing anything, books the
//! bookable dates at once (the member's upcoming-bookings limit counting each date), shows the
//! series as one item in "my bookings", and cancels this and the following dates or all of them;
//! the JSON API does the same with `dry_run`. Each date is its own booking with its own mails.

use reqwest::StatusCode;
use serde_json::json;

use crate::browser::{Browser, csrf_token_in, logged_in_member, mails_to};
use crate::helpers::{Backend, TestApp};
use crate::on_both_backends;

on_both_backends!(
    a_member_previews_books_and_cancels_a_weekly_series,
    the_api_previews_and_books_a_series,
    the_demo_member_has_a_weekly_series_in_polch,
);

fn series_fields<'a>(date: &'a str, count: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("date", date),
        ("from", "09:00"),
        ("to", "11:00"),
        ("frequency", "weekly"),
        ("weekday", "2"),
        ("interval", "1"),
        ("ends", "count"),
        ("count", count),
    ]
}

async fn submit_series(browser: &Browser, space: &str, fields: &[(&str, &str)], intent: &str) -> crate::browser::Page {
    let path = format!("/spaces/{space}/series");
    let form = browser.get(&format!("{path}?date=2026-11-24&from=09:00&to=11:00")).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    let token = csrf_token_in(&form.body);
    let mut all = vec![("csrf_token", token.as_str()), ("intent", intent)];
    all.extend_from_slice(fields);
    browser.post(&path, &all).await
}

fn count_bookings(app: &TestApp) -> i64 {
    use diesel::prelude::*;
    use regiohub::db::schema::bookings;
    bookings::table.count().get_result(&mut *app.conn()).unwrap()
}

/// The `<li>` of the preview for a date ("Di., 24.11.2026").
fn preview_line<'a>(body: &'a str, date: &str) -> &'a str {
    body.split("<li class=\"series-date").find(|l| l.contains(date)).unwrap_or_else(|| panic!("{date}: {body}"))
}

async fn a_member_previews_books_and_cancels_a_weekly_series(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let (browser, email) = logged_in_member(&app, "series").await;
    // Someone else has the desk on the second Tuesday; the other desk is free then.
    let (status, _) =
        app.book(&f.bob_token, f.desk.id.as_str(), "2026-12-01T09:00:00+01:00", "2026-12-01T11:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED);
    let before = count_bookings(&app);

    // The form is preset from the booking form's link: Tuesday, the first date's weekday.
    let form = browser.get(&format!("/spaces/{}/series?date=2026-11-24&from=09:00&to=11:00", f.desk.id)).await;
    assert!(form.body.contains("id=\"weekday-2\" name=\"weekday\" value=\"2\" checked"), "{}", form.body);

    // Bad input: the message next to its field, nothing written.
    let refused = submit_series(&browser, f.desk.id.as_str(), &series_fields("2026-11-24", "1"), "preview").await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("id=\"count-error\">Eine Serie hat 2 bis 60 Termine."), "{}", refused.body);
    let forged = browser.post(&format!("/spaces/{}/series", f.desk.id), &[("csrf_token", "x")]).await;
    assert_eq!(forged.status, StatusCode::FORBIDDEN);

    // The preview: five Tuesdays, each with what would happen; nothing is written.
    let preview = submit_series(&browser, f.desk.id.as_str(), &series_fields("2026-11-24", "5"), "preview").await;
    assert_eq!(preview.status, StatusCode::OK, "{}", preview.body);
    assert!(preview_line(&preview.body, "24.11.2026").contains("frei"));
    let taken = preview_line(&preview.body, "01.12.2026");
    assert!(taken.contains("schon belegt"), "{taken}");
    assert!(
        taken.contains(&format!("/spaces/{}/book?date=2026-12-01&#38;from=09:00&#38;to=11:00", f.desk2.id)),
        "{taken}"
    );
    assert!(preview_line(&preview.body, "08.12.2026").contains("frei"));
    assert!(preview_line(&preview.body, "15.12.2026").contains("frei"));
    // The member may hold three upcoming bookings: the fourth date counts the three before it.
    let limited = preview_line(&preview.body, "22.12.2026");
    assert!(limited.contains("nicht erlaubt") && limited.contains("3 anstehende Buchungen"), "{limited}");
    assert!(preview.body.contains("Alle 3 freien Termine buchen"), "{}", preview.body);
    assert_eq!(count_bookings(&app), before, "a preview writes nothing");

    // Booked: the three bookable dates, one series, one confirmation mail per date.
    let booked = submit_series(&browser, f.desk.id.as_str(), &series_fields("2026-11-24", "5"), "book").await;
    assert_eq!(booked.status, StatusCode::SEE_OTHER, "{}", booked.body);
    let location = booked.location.clone().unwrap();
    assert!(location.starts_with("/series/") && location.ends_with("?new=1"), "{location}");
    let series_path = location.split('?').next().unwrap().to_owned();
    assert_eq!(count_bookings(&app), before + 3);
    let page = browser.get(&location).await;
    assert!(page.body.contains("Die Serie ist gebucht"), "{}", page.body);
    assert!(page.body.contains("wöchentlich am Dienstag, 5 Termine"), "{}", page.body);
    for date in ["24.11.2026, 09:00–11:00", "08.12.2026, 09:00–11:00", "15.12.2026, 09:00–11:00"] {
        assert!(page.body.contains(date), "{date}: {}", page.body);
    }
    app.send_mail().await;
    let confirmations = mails_to(&app, &email).await.into_iter().filter(|m| m.subject.contains("bestätigt")).count();
    assert_eq!(confirmations, 3, "one confirmation (with its PIN and calendar entry) per date");

    // "My bookings": the series is one item.
    let mine = browser.get("/bookings").await;
    assert!(mine.body.contains(&format!("href=\"{series_path}\"")), "{}", mine.body);
    assert!(mine.body.contains("3 kommende Termine, nächster: Di., 24.11.2026, 09:00–11:00"), "{}", mine.body);
    assert_eq!(mine.body.matches("<a href=\"/bookings/").count(), 0, "no date listed on its own: {}", mine.body);

    // Someone else's series is 404 everywhere.
    let (stranger, _) = logged_in_member(&app, "stranger").await;
    assert_eq!(stranger.get(&series_path).await.status, StatusCode::NOT_FOUND);
    assert_eq!(stranger.get(&format!("{series_path}/cancel")).await.status, StatusCode::NOT_FOUND);
    let token = csrf_token_in(&stranger.get("/bookings").await.body);
    let post = stranger.post(&format!("{series_path}/cancel"), &[("csrf_token", &token)]).await;
    assert_eq!(post.status, StatusCode::NOT_FOUND);

    // This and the following: from the second date on.
    let second = page.body.split("/series/").filter_map(|s| s.split("cancel?from=").nth(1)).nth(1).unwrap();
    let second_id = second.split('"').next().unwrap().to_owned();
    let confirm = browser.get(&format!("{series_path}/cancel?from={second_id}")).await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert!(confirm.body.contains("Diese 2 Termine stornieren?"), "{}", confirm.body);
    let done = browser
        .submit(
            &format!("{series_path}/cancel?from={second_id}"),
            &format!("{series_path}/cancel"),
            &[("from", &second_id)],
        )
        .await;
    assert_eq!(done.status, StatusCode::SEE_OTHER);
    assert_eq!(done.location.as_deref(), Some(format!("{series_path}?cancelled=2").as_str()));
    app.send_mail().await;
    let cancellations: Vec<_> = mails_to(&app, &email)
        .await
        .into_iter()
        .filter(|m| m.calendar.as_ref().is_some_and(|(method, _)| method == "CANCEL"))
        .collect();
    assert_eq!(cancellations.len(), 2, "each cancelled date's calendar entry is removed");
    let page = browser.get(&series_path).await;
    assert_eq!(page.body.matches("Storniert").count(), 2, "{}", page.body);

    // All: what is left (the first date).
    let done = browser.submit(&format!("{series_path}/cancel"), &format!("{series_path}/cancel"), &[]).await;
    assert_eq!(done.location.as_deref(), Some(format!("{series_path}?cancelled=1").as_str()));
    let page = browser.get(&series_path).await;
    assert_eq!(page.body.matches("Storniert").count(), 3, "{}", page.body);
    assert!(!page.body.contains("Ganze Serie stornieren"), "nothing left to cancel");
}

async fn the_api_previews_and_books_a_series(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let post_as = |token: &str, body: serde_json::Value| {
        let request = app.client.post(app.url("/api/v1/booking-series")).bearer_auth(token).json(&body);
        async move { crate::helpers::json_of(request.send().await.unwrap()).await }
    };
    let post = |body: serde_json::Value| post_as(&f.alice_token, body);
    let weekly = |dry_run: bool| {
        json!({"space_id": f.desk.id.as_str(), "start": "2026-11-24T09:00", "end": "2026-11-24T11:00",
               "frequency": "weekly", "weekdays": [2, 4], "count": 3, "dry_run": dry_run})
    };
    let (status, preview) = post(weekly(true)).await;
    assert_eq!(status, StatusCode::OK, "{preview}");
    let outcomes: Vec<(&str, &str)> = preview["dates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["date"].as_str().unwrap(), d["outcome"].as_str().unwrap()))
        .collect();
    assert_eq!(outcomes, vec![("2026-11-24", "bookable"), ("2026-11-26", "bookable"), ("2026-12-01", "bookable")]);
    assert!(preview.get("series_id").is_none());
    let (_, mine) = app.get("/api/v1/bookings", &f.alice_token).await;
    assert_eq!(mine.as_array().unwrap().len(), 0, "a dry run writes nothing");

    let (status, booked) = post(weekly(false)).await;
    assert_eq!(status, StatusCode::CREATED, "{booked}");
    assert!(booked["series_id"].is_string());
    for date in booked["dates"].as_array().unwrap() {
        assert_eq!(date["outcome"], "booked", "{booked}");
        assert_eq!(date["pin"].as_str().unwrap().len(), 6, "each date has its own PIN: {booked}");
    }
    let (_, mine) = app.get("/api/v1/bookings", &f.alice_token).await;
    assert_eq!(mine.as_array().unwrap().len(), 3);

    // Booking it again: every date is taken now (nothing bookable, nothing written).
    let (status, again) = post(weekly(false)).await;
    assert_eq!(status, StatusCode::CONFLICT, "{again}");
    assert_eq!(again["error"]["code"], "series_nothing_bookable");

    // A room that needs approval: the dates are requests.
    let room = json!({"space_id": f.room.id.as_str(), "start": "2026-11-25T10:00", "end": "2026-11-25T12:00",
                      "frequency": "daily", "interval": 7, "until": "2026-12-02", "dry_run": false});
    let (status, requested) = post_as(&f.bob_token, room.clone()).await;
    assert_eq!(status, StatusCode::CREATED, "{requested}");
    for date in requested["dates"].as_array().unwrap() {
        assert_eq!(date["outcome"], "requested", "{requested}");
        assert!(date.get("pin").is_none(), "a request gets its PIN when approved: {requested}");
    }
    // Alice holds three upcoming bookings already: her limit refuses every date.
    let (status, refused) = post(room).await;
    assert_eq!(status, StatusCode::CONFLICT, "{refused}");

    // Rules that give no usable series are 422 and name the rule.
    for (body, code) in [
        (
            json!({"space_id": f.desk.id.as_str(), "start": "2026-11-24T09:00", "end": "2026-11-24T11:00", "frequency": "weekly", "interval": 9, "count": 3}),
            "series_interval",
        ),
        (
            json!({"space_id": f.desk.id.as_str(), "start": "2026-11-24T09:00", "end": "2026-11-24T11:00", "frequency": "weekly", "count": 61}),
            "series_count",
        ),
        (
            json!({"space_id": f.desk.id.as_str(), "start": "2026-11-24T09:00", "end": "2026-11-24T11:00", "frequency": "weekly", "count": 3, "until": "2026-12-24"}),
            "series_count",
        ),
        (
            json!({"space_id": f.desk.id.as_str(), "start": "2026-11-24T09:00", "end": "2026-11-24T11:00", "frequency": "weekly", "until": "2026-11-01"}),
            "series_until_before_first",
        ),
        (
            json!({"space_id": f.desk.id.as_str(), "start": "2026-11-24T09:00", "end": "2026-11-24T11:00", "frequency": "weekly", "weekdays": [8], "count": 3}),
            "series_weekday",
        ),
        (
            json!({"space_id": f.desk.id.as_str(), "start": "tomorrow", "end": "2026-11-24T11:00", "frequency": "weekly", "count": 3}),
            "invalid_time",
        ),
    ] {
        let (status, answer) = post(body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
        assert_eq!(answer["error"]["code"], code, "{answer}");
    }
    let (status, _) = post(json!({"space_id": "nope", "start": "2026-11-24T09:00", "end": "2026-11-24T11:00", "frequency": "daily", "count": 2})).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, mine) = app.get("/api/v1/bookings", &f.alice_token).await;
    assert_eq!(mine.as_array().unwrap().len(), 3, "no refused request wrote anything");
}

async fn the_demo_member_has_a_weekly_series_in_polch(backend: Backend) {
    use regiohub::demo::logins::DEMO_LOGINS;
    let app = TestApp::spawn(backend).await;
    assert!(
        regiohub::demo::seed::seed_demo(&mut app.conn(), &app.state.context, crate::helpers::default_now()).unwrap()
    );
    let browser = Browser::new(&app);
    let page = browser.log_in(DEMO_LOGINS[0].email, DEMO_LOGINS[0].password).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let mine = browser.get("/bookings").await;
    assert!(mine.body.contains("Serie: Vereinsraum"), "{}", mine.body);
    // Monday 23 November: the first Thursday two days ahead is the 26th.
    assert!(mine.body.contains("4 kommende Termine, nächster: Do., 26.11.2026, 18:00–20:00"), "{}", mine.body);
}
