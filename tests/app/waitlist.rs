//! Waitlists over HTTP on both databases: a member who finds a slot taken joins its waitlist from
//! the booking form; when the slot frees (here: a cancellation) the offer job offers it to the
//! first one waiting by mail and holds it for them (others are refused meanwhile); an offer that
//! runs out passes to the next one; accepting books it; members see and leave their places.

use reqwest::StatusCode;

use crate::browser::{Browser, csrf_token_in, logged_in_member, mails_to};
use crate::helpers::{Backend, TestApp, code, json_of};
use crate::on_both_backends;

on_both_backends!(
    a_freed_slot_is_offered_in_turn_and_held_for_the_one_asked,
    the_api_joins_lists_accepts_and_leaves_waitlists,
);

async fn book(browser: &Browser, space: &str) -> crate::browser::Page {
    let path = format!("/spaces/{space}/book");
    let form = browser.get(&format!("{path}?date=2026-11-24&from=10:00")).await;
    let token = csrf_token_in(&form.body);
    browser.post(&path, &[("csrf_token", &token), ("date", "2026-11-24"), ("from", "10:00"), ("to", "12:00")]).await
}

async fn join(browser: &Browser, space: &str) -> crate::browser::Page {
    let taken = book(browser, space).await;
    assert_eq!(taken.status, StatusCode::CONFLICT, "{}", taken.body);
    assert!(taken.body.contains(&format!("action=\"/spaces/{space}/waitlist\"")), "{}", taken.body);
    let token = csrf_token_in(&taken.body);
    let fields =
        [("csrf_token", token.as_str()), ("date", "2026-11-24"), ("end_date", ""), ("from", "10:00"), ("to", "12:00")];
    browser.post(&format!("/spaces/{space}/waitlist"), &fields).await
}

/// Runs the offer job's pass and counts the offers standing after it. Counted from the places,
/// not from what this pass made: the app's own pass (every minute) may have made an offer first.
async fn offers_in(app: &TestApp) -> usize {
    use diesel::prelude::*;
    use regiohub::db::schema::waitlist_entries;
    regiohub::jobs::waitlist::offer_freed_slots(&app.state).await.unwrap();
    let offered: i64 = waitlist_entries::table
        .filter(waitlist_entries::status.eq("offered"))
        .count()
        .get_result(&mut app.conn())
        .unwrap();
    usize::try_from(offered).unwrap()
}

async fn a_freed_slot_is_offered_in_turn_and_held_for_the_one_asked(backend: Backend) {
    // A hold shorter than the default 30 minutes: the members' sessions (30 minutes idle) live on.
    let app = TestApp::spawn_with(backend, |settings| settings.waitlist_hold_minutes = 10).await;
    let f = app.fixture();
    let desk = f.desk.id.as_str();
    let (holder, _) = logged_in_member(&app, "holder").await;
    assert_eq!(book(&holder, desk).await.status, StatusCode::SEE_OTHER);
    let (first, first_email) = logged_in_member(&app, "first").await;
    let (second, second_email) = logged_in_member(&app, "second").await;
    let (other, _) = logged_in_member(&app, "other").await;

    // Two members join, in order; joining twice is refused, a free slot is not waited for.
    let joined = join(&first, desk).await;
    assert_eq!(joined.location.as_deref(), Some("/waitlist?done=joined"));
    let page = first.get("/waitlist?done=joined").await;
    assert!(page.body.contains("Sie stehen auf der Warteliste") && page.body.contains("Sie warten."), "{}", page.body);
    assert!(page.body.contains("Di., 24.11.2026, 10:00–12:00"), "{}", page.body);
    assert_eq!(join(&first, desk).await.location.as_deref(), Some("/waitlist?refused=waitlist_already_waiting"));
    assert_eq!(join(&second, desk).await.location.as_deref(), Some("/waitlist?done=joined"));
    let token = csrf_token_in(&first.get("/waitlist").await.body);
    let free = first
        .post(
            &format!("/spaces/{}/waitlist", f.desk2.id),
            &[("csrf_token", &token), ("date", "2026-11-24"), ("from", "10:00"), ("to", "12:00")],
        )
        .await;
    assert!(free.location.unwrap().starts_with(&format!("/spaces/{}/book", f.desk2.id)), "a free slot: book it");

    // Only a time one could book were it free: not beyond the space's 30 days ahead.
    let token = csrf_token_in(&first.get("/waitlist").await.body);
    let far = first
        .post(
            &format!("/spaces/{desk}/waitlist"),
            &[("csrf_token", &token), ("date", "2027-03-02"), ("from", "10:00"), ("to", "12:00")],
        )
        .await;
    assert_eq!(far.location.as_deref(), Some("/waitlist?refused=too_far_ahead"));

    // Nothing frees it yet: no offer.
    assert_eq!(offers_in(&app).await, 0);

    // The holder cancels: the first one waiting is offered it by mail and it is held for them.
    let mine = holder.get("/bookings").await;
    let id = mine.body.split("/bookings/").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let cancelled = holder.submit(&format!("/bookings/{id}/cancel"), &format!("/bookings/{id}/cancel"), &[]).await;
    assert_eq!(cancelled.status, StatusCode::SEE_OTHER);
    assert_eq!(offers_in(&app).await, 1);
    assert_eq!(offers_in(&app).await, 1, "one offer at a time for a slot");
    app.send_mail().await;
    let offer = mails_to(&app, &first_email)
        .await
        .into_iter()
        .find(|m| m.subject.starts_with("Frei geworden"))
        .expect("an offer mail");
    assert!(offer.text.contains("Di., 24.11.2026, 10:00–12:00 Uhr"), "{}", offer.text);
    assert!(offer.text.contains("bis Mo., 23.11.2026, 08:10"), "held for the set 10 minutes: {}", offer.text);
    assert!(offer.text.contains("/waitlist"), "{}", offer.text);
    assert!(mails_to(&app, &second_email).await.iter().all(|m| !m.subject.starts_with("Frei geworden")));
    // Held: someone else cannot book it meanwhile.
    assert_eq!(book(&other, desk).await.status, StatusCode::CONFLICT);
    // Nor move a booking of theirs into it.
    let (status, moved) = app.book(&f.bob_token, desk, "2026-11-24T13:00:00+01:00", "2026-11-24T15:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED, "{moved}");
    let change = serde_json::json!({"start": "2026-11-24T10:00", "end": "2026-11-24T12:00"});
    let path = format!("/api/v1/bookings/{}", moved["id"].as_str().unwrap());
    let response = app.client.patch(app.url(&path)).bearer_auth(&f.bob_token).json(&change).send().await.unwrap();
    let (status, body) = crate::helpers::json_of(response).await;
    assert_eq!((status, crate::helpers::code(&body)), (StatusCode::CONFLICT, "slot_taken"), "{body}");
    let page = first.get("/waitlist").await;
    assert!(page.body.contains("für Sie freigehalten bis Mo., 23.11.2026, 08:10"), "{}", page.body);

    // The offer runs out: no longer listed as held (even before the job's pass marks it), and
    // the next one is asked.
    app.clock.set(app.clock.now() + chrono::Duration::minutes(11));
    let ran_out = first.get("/waitlist").await;
    assert!(
        !ran_out.body.contains("/accept") && !ran_out.body.contains("für Sie freigehalten bis"),
        "{}",
        ran_out.body
    );
    assert!(ran_out.body.contains("Sie warten auf keinen Termin."), "{}", ran_out.body);
    assert_eq!(offers_in(&app).await, 1);
    app.send_mail().await;
    assert!(mails_to(&app, &second_email).await.iter().any(|m| m.subject.starts_with("Frei geworden")));
    let stale = first.get("/waitlist").await;
    assert!(!stale.body.contains("/accept"), "the first offer is gone: {}", stale.body);

    // Someone else's place cannot be accepted or left.
    let second_page = second.get("/waitlist").await;
    assert!(second_page.body.contains("/accept"), "{:?} {}", second_page.status, second_page.body);
    let entry = second_page.body.split("/waitlist/").nth(1).unwrap().split('/').next().unwrap().to_owned();
    let token = csrf_token_in(&other.get("/bookings").await.body);
    assert_eq!(
        other.post(&format!("/waitlist/{entry}/accept"), &[("csrf_token", &token)]).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        other.post(&format!("/waitlist/{entry}/leave"), &[("csrf_token", &token)]).await.status,
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        second.post(&format!("/waitlist/{entry}/accept"), &[("csrf_token", "forged")]).await.status,
        StatusCode::FORBIDDEN
    );

    // Accepting books it with the usual rules: the PIN is shown, the place is done.
    let accepted = second.submit("/waitlist", &format!("/waitlist/{entry}/accept"), &[]).await;
    assert_eq!(accepted.status, StatusCode::SEE_OTHER, "{}", accepted.body);
    let booking = second.get(accepted.location.as_deref().unwrap()).await;
    assert!(booking.body.contains("<p class=\"pin\">"), "{}", booking.body);
    assert!(second.get("/waitlist").await.body.contains("Sie warten auf keinen Termin."));
    assert_eq!(offers_in(&app).await, 0, "booked: nothing more to offer");

    // Leaving: the first member (whose offer ran out) has no open place; a new waiter leaves.
    assert_eq!(join(&other, desk).await.location.as_deref(), Some("/waitlist?done=joined"));
    let page = other.get("/waitlist").await;
    let entry = page.body.split("/waitlist/").nth(1).unwrap().split('/').next().unwrap().to_owned();
    let left = other.submit("/waitlist", &format!("/waitlist/{entry}/leave"), &[]).await;
    assert_eq!(left.location.as_deref(), Some("/waitlist?done=left"));
    assert!(other.get("/waitlist").await.body.contains("Sie warten auf keinen Termin."));
}

async fn the_api_joins_lists_accepts_and_leaves_waitlists(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let desk = f.desk.id.as_str();
    let waiter = app.member(&mut app.conn(), "api-waiter@example.org");
    let other = app.member(&mut app.conn(), "api-other@example.org");
    let call = |method: reqwest::Method, path: &str, token: &str, body: Option<serde_json::Value>| {
        let mut request = app.client.request(method, app.url(path)).bearer_auth(token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        async move { json_of(request.send().await.unwrap()).await }
    };
    let slot = serde_json::json!({"space_id": desk, "start": "2026-11-24T10:00", "end": "2026-11-24T12:00"});

    // A free time is to be booked, not waited for.
    let (status, answer) = call(reqwest::Method::POST, "/api/v1/waitlist", &waiter, Some(slot.clone())).await;
    assert_eq!(status, StatusCode::CONFLICT, "{answer}");
    assert_eq!(code(&answer), "waitlist_slot_free");
    let (status, booked) = app.book(&f.bob_token, desk, "2026-11-24T10:00:00+01:00", "2026-11-24T12:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED, "{booked}");

    let (status, place) = call(reqwest::Method::POST, "/api/v1/waitlist", &waiter, Some(slot.clone())).await;
    assert_eq!(status, StatusCode::CREATED, "{place}");
    assert_eq!(place["status"], "waiting");
    assert_eq!(place["start_local"], "2026-11-24T10:00:00+01:00");
    assert_eq!(place["space_name"], "Desk 1");
    let id = place["id"].as_str().unwrap().to_owned();
    let (status, answer) = call(reqwest::Method::POST, "/api/v1/waitlist", &waiter, Some(slot.clone())).await;
    assert_eq!((status, code(&answer)), (StatusCode::CONFLICT, "waitlist_already_waiting"), "{answer}");
    // A time one could not book were it free cannot be waited for either.
    let too_long = serde_json::json!({"space_id": desk, "start": "2026-11-24T08:00", "end": "2026-11-24T17:00"});
    let (status, answer) = call(reqwest::Method::POST, "/api/v1/waitlist", &waiter, Some(too_long)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");

    let (status, listed) = call(reqwest::Method::GET, "/api/v1/waitlist", &waiter, None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "{listed}");
    let (_, others) = call(reqwest::Method::GET, "/api/v1/waitlist", &other, None).await;
    assert_eq!(others, serde_json::json!([]), "another member sees none of it");
    // Someone else's place: 404 to leave or accept.
    let (status, _) = call(reqwest::Method::DELETE, &format!("/api/v1/waitlist/{id}"), &other, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = call(reqwest::Method::POST, &format!("/api/v1/waitlist/{id}/accept"), &other, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // No offer yet (with no body, or `null`, or the terms); a body that is not an object is 400.
    let accept = format!("/api/v1/waitlist/{id}/accept");
    for body in [None, Some(serde_json::Value::Null), Some(serde_json::json!({"accept_house_rules_version": 1}))] {
        let (status, answer) = call(reqwest::Method::POST, &accept, &waiter, body).await;
        assert_eq!((status, code(&answer)), (StatusCode::CONFLICT, "waitlist_no_offer"), "{answer}");
    }
    let (status, answer) = call(reqwest::Method::POST, &accept, &waiter, Some(serde_json::json!([1]))).await;
    assert_eq!((status, code(&answer)), (StatusCode::BAD_REQUEST, "malformed_json"), "{answer}");
    let as_text = app.client.post(app.url(&accept)).bearer_auth(&waiter).header("content-type", "text/plain");
    let (status, answer) = json_of(as_text.body("{}").send().await.unwrap()).await;
    assert_eq!((status, code(&answer)), (StatusCode::BAD_REQUEST, "malformed_json"), "{answer}");

    // The slot frees; the job offers it; the place says until when; accepting books it.
    let booking = booked["id"].as_str().unwrap();
    let cancelled = app.client.delete(app.url(&format!("/api/v1/bookings/{booking}"))).bearer_auth(&f.bob_token);
    assert_eq!(cancelled.send().await.unwrap().status(), StatusCode::OK);
    assert_eq!(offers_in(&app).await, 1);
    let (_, listed) = call(reqwest::Method::GET, "/api/v1/waitlist", &waiter, None).await;
    assert_eq!(listed[0]["status"], "offered", "{listed}");
    assert!(listed[0]["offer_expires_at"].is_string(), "{listed}");
    // The operator has published house rules meanwhile: accepting is a booking, which needs them.
    let rules = regiohub::db::house_rules::HouseRulesRow {
        operator_id: f.hub.operator_id.clone(),
        version: 1,
        body: "Bitte leise sein.".into(),
        published_at: crate::helpers::db_time(crate::helpers::default_now()),
        published_by: None,
    };
    regiohub::db::house_rules::insert_version(&mut app.conn(), &rules).unwrap();
    let (status, answer) = call(reqwest::Method::POST, &accept, &waiter, Some(serde_json::json!({}))).await;
    assert_eq!((status, code(&answer)), (StatusCode::UNPROCESSABLE_ENTITY, "house_rules_not_accepted"), "{answer}");
    let terms = serde_json::json!({"accept_house_rules_version": 1});
    let (status, created) = call(reqwest::Method::POST, &accept, &waiter, Some(terms)).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["status"], "confirmed");
    assert_eq!(created["start_local"], "2026-11-24T10:00:00+01:00");
    assert!(created["pin"].as_str().is_some_and(|pin| pin.len() >= 6), "{created}");
    let (_, listed) = call(reqwest::Method::GET, "/api/v1/waitlist", &waiter, None).await;
    assert_eq!(listed, serde_json::json!([]), "a booked place is no longer open");

    // Leaving: a new place, left, gone from the list; leaving again is harmless.
    let later = serde_json::json!({"space_id": desk, "start": "2026-11-24T13:00", "end": "2026-11-24T14:00"});
    let taken = serde_json::json!({"space_id": desk, "start": "2026-11-24T13:00", "end": "2026-11-24T14:00",
        "accept_house_rules_version": 1});
    let (status, answer) = call(reqwest::Method::POST, "/api/v1/bookings", &f.bob_token, Some(taken)).await;
    assert_eq!(status, StatusCode::CREATED, "{answer}");
    let (status, place) = call(reqwest::Method::POST, "/api/v1/waitlist", &waiter, Some(later)).await;
    assert_eq!(status, StatusCode::CREATED, "{place}");
    let path = format!("/api/v1/waitlist/{}", place["id"].as_str().unwrap());
    let left = app.client.delete(app.url(&path)).bearer_auth(&waiter).send().await.unwrap();
    assert_eq!(left.status(), StatusCode::NO_CONTENT);
    let again = app.client.delete(app.url(&path)).bearer_auth(&waiter).send().await.unwrap();
    assert_eq!(again.status(), StatusCode::NO_CONTENT);
    let (_, listed) = call(reqwest::Method::GET, "/api/v1/waitlist", &waiter, None).await;
    assert_eq!(listed, serde_json::json!([]));
    // Without a token: 401.
    let anonymous = app.client.get(app.url("/api/v1/waitlist")).send().await.unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
}
