//! The JSON API v1 as a member's app uses it.

use regiohub::service::ErrorCode;
use regiohub::web::api::openapi::REFUSAL_CODES_SCHEMA;
use reqwest::StatusCode;
use serde_json::Value;

use crate::helpers::{Backend, TestApp, code};
use crate::on_both_backends;

on_both_backends!(
    requests_without_a_valid_token_get_401,
    api_token_use_is_written_at_most_once_a_minute,
    hubs_spaces_and_availability_are_listed,
    book_list_and_cancel_own_bookings,
    another_members_booking_answers_404,
    back_to_back_bookings_are_allowed_overlaps_are_not,
    malformed_json_gets_400,
    approval_spaces_book_as_pending,
);

async fn requests_without_a_valid_token_get_401(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let _ = app.fixture();
    let response = app.client.get(app.url("/api/v1/hubs")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(response.headers().get("www-authenticate").is_some());
    let (status, body) = app.get("/api/v1/hubs", "rh_not-a-real-token").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(code(&body), "unauthorized");
    let (status, _) = app.get("/api/v1/bookings", "").await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

async fn hubs_spaces_and_availability_are_listed(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let (status, hubs) = app.get("/api/v1/hubs", &f.alice_token).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(hubs.as_array().unwrap().len(), 1);
    assert_eq!(hubs[0]["slug"], "testhub");

    let (status, spaces) = app.get("/api/v1/hubs/testhub/spaces", &f.alice_token).await;
    assert_eq!(status, StatusCode::OK);
    let names: Vec<&str> = spaces.as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    // The day view's order: staff-set position, then desks, rooms, equipment, names naturally.
    assert_eq!(names, ["Desk 1", "Desk 2", "Desk 9", "Room", "Beamer"]);
    let desk = spaces.as_array().unwrap().iter().find(|s| s["id"] == f.desk.id.as_str()).unwrap();
    assert_eq!(desk["rules"]["slot_minutes"], 30);
    assert_eq!(desk["rules"]["unit"], "hour");

    let (status, _) = app.get("/api/v1/hubs/nowhere/spaces", &f.alice_token).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Bob takes 10:00–12:00 local; Alice sees it as taken, without who took it.
    let (status, _) =
        app.book(&f.bob_token, f.desk.id.as_str(), "2026-11-24T10:00:00+01:00", "2026-11-24T12:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, day) =
        app.get(&format!("/api/v1/hubs/{}/availability?date=2026-11-24", f.hub.id), &f.alice_token).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(day["opening"], serde_json::json!([{"start": "2026-11-24T07:00:00Z", "end": "2026-11-24T19:00:00Z"}]));
    assert_eq!(day["closed"], Value::Null);
    let desk_day = day["spaces"].as_array().unwrap().iter().find(|s| s["space_id"] == f.desk.id.as_str()).unwrap();
    assert_eq!(
        desk_day["taken"],
        serde_json::json!([{"start": "2026-11-24T09:00:00Z", "end": "2026-11-24T11:00:00Z"}])
    );
    assert_eq!(
        desk_day["free"],
        serde_json::json!([
            {"start": "2026-11-24T07:00:00Z", "end": "2026-11-24T09:00:00Z"},
            {"start": "2026-11-24T11:00:00Z", "end": "2026-11-24T19:00:00Z"}
        ])
    );
    let text = day.to_string();
    assert!(!text.contains("bob"), "availability must not reveal who booked: {text}");
    let disabled =
        day["spaces"].as_array().unwrap().iter().find(|s| s["space_id"] == f.disabled_desk.id.as_str()).unwrap();
    assert_eq!(disabled["free"], serde_json::json!([]));

    let (status, closed) = app.get("/api/v1/hubs/testhub/availability?date=2026-12-24", &f.alice_token).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(closed["closed"], "Heiligabend");
    assert_eq!(closed["opening"], serde_json::json!([]));

    let (status, body) = app.get("/api/v1/hubs/testhub/availability?date=24.11.2026", &f.alice_token).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(code(&body), "invalid_date");
    let (status, _) = app.get("/api/v1/hubs/testhub/availability", &f.alice_token).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

async fn book_list_and_cancel_own_bookings(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let (status, booking) =
        app.book(&f.alice_token, f.desk.id.as_str(), "2026-11-24T09:00:00+01:00", "2026-11-24T11:30:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED, "{booking}");
    assert_eq!(booking["status"], "confirmed");
    assert_eq!(booking["start"], "2026-11-24T08:00:00Z");
    assert_eq!(booking["end_local"], "2026-11-24T11:30:00+01:00");
    assert_eq!(booking["hub_id"], f.hub.id.as_str());
    let id = booking["id"].as_str().unwrap().to_owned();

    let (status, list) = app.get("/api/v1/bookings", &f.alice_token).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["id"], id.as_str());
    let (_, bobs) = app.get("/api/v1/bookings", &f.bob_token).await;
    assert_eq!(bobs, serde_json::json!([]));

    let (status, cancelled) = app.delete(&format!("/api/v1/bookings/{id}"), &f.alice_token).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(cancelled["status"], "cancelled");
    // Cancelled frees the slot for someone else.
    let (status, _) =
        app.book(&f.bob_token, f.desk.id.as_str(), "2026-11-24T09:00:00+01:00", "2026-11-24T11:30:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED);
    // Cancelling twice is harmless.
    let (status, again) = app.delete(&format!("/api/v1/bookings/{id}"), &f.alice_token).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(again["status"], "cancelled");
}

async fn another_members_booking_answers_404(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let (_, booking) =
        app.book(&f.alice_token, f.desk.id.as_str(), "2026-11-24T09:00:00+01:00", "2026-11-24T10:00:00+01:00").await;
    let id = booking["id"].as_str().unwrap();
    let (status, body) = app.delete(&format!("/api/v1/bookings/{id}"), &f.bob_token).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(code(&body), "not_found");
    let (status, _) = app.delete("/api/v1/bookings/does-not-exist", &f.bob_token).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Alice's booking is untouched.
    let (_, list) = app.get("/api/v1/bookings", &f.alice_token).await;
    assert_eq!(list[0]["status"], "confirmed");
}

async fn back_to_back_bookings_are_allowed_overlaps_are_not(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let (first, _) =
        app.book(&f.alice_token, f.desk.id.as_str(), "2026-11-24T10:00:00+01:00", "2026-11-24T12:00:00+01:00").await;
    let (second, _) =
        app.book(&f.bob_token, f.desk.id.as_str(), "2026-11-24T12:00:00+01:00", "2026-11-24T14:00:00+01:00").await;
    assert_eq!((first, second), (StatusCode::CREATED, StatusCode::CREATED));
    let carol = app.member(&mut app.conn(), "carol@example.org");
    for (start, end) in
        [("11:00", "13:00"), ("10:00", "12:00"), ("09:00", "10:30"), ("13:30", "15:00"), ("09:00", "13:00")]
    {
        let (status, body) = app
            .book(
                &carol,
                f.desk.id.as_str(),
                &format!("2026-11-24T{start}:00+01:00"),
                &format!("2026-11-24T{end}:00+01:00"),
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT, "{start}–{end}: {body}");
        assert_eq!(code(&body), "slot_taken");
    }
    let (status, _) =
        app.book(&carol, f.desk.id.as_str(), "2026-11-24T14:00:00+01:00", "2026-11-24T15:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED);
}

async fn malformed_json_gets_400(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    for body in ["{not json", "{\"space_id\": 5}", "[]"] {
        let response = app
            .client
            .post(app.url("/api/v1/bookings"))
            .bearer_auth(&f.alice_token)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{body}");
        let (_, error) = crate::helpers::json_of(response).await;
        assert_eq!(code(&error), "malformed_json");
    }
    let (_, list) = app.get("/api/v1/bookings", &f.alice_token).await;
    assert_eq!(list, serde_json::json!([]), "nothing was booked");
}

async fn approval_spaces_book_as_pending(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let (status, booking) =
        app.book(&f.alice_token, f.room.id.as_str(), "2026-11-24T10:00:00+01:00", "2026-11-24T11:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(booking["status"], "pending");
    // A pending booking holds the slot.
    let (status, _) =
        app.book(&f.bob_token, f.room.id.as_str(), "2026-11-24T10:00:00+01:00", "2026-11-24T11:00:00+01:00").await;
    assert_eq!(status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn the_openapi_document_describes_every_route() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let response = app.client.get(app.url("/api/v1/openapi.json")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let doc: Value = response.json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    let paths = doc["paths"].as_object().unwrap();
    for (path, method) in [
        ("/api/v1/hubs", "get"),
        ("/api/v1/hubs/{hub}/spaces", "get"),
        ("/api/v1/hubs/{hub}/availability", "get"),
        ("/api/v1/bookings", "post"),
        ("/api/v1/bookings", "get"),
        ("/api/v1/bookings/{id}", "delete"),
        ("/api/v1/waitlist", "get"),
        ("/api/v1/waitlist", "post"),
        ("/api/v1/waitlist/{id}", "delete"),
        ("/api/v1/waitlist/{id}/accept", "post"),
    ] {
        assert!(paths.get(path).and_then(|p| p.get(method)).is_some(), "{method} {path} missing");
    }
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    assert!(doc["paths"]["/api/v1/bookings"]["post"]["responses"]["409"].is_object());
    // Leaving answers 204 without a body; accepting an offer needs no body.
    let leave = &doc["paths"]["/api/v1/waitlist/{id}"]["delete"]["responses"]["204"];
    assert!(leave.is_object() && leave.get("content").is_none(), "{leave}");
    let accept = &doc["paths"]["/api/v1/waitlist/{id}/accept"]["post"]["requestBody"];
    assert_ne!(accept["required"], serde_json::json!(true), "{accept}");
}

#[tokio::test]
async fn the_openapi_document_lists_every_refusal_code() {
    let (_app, doc) = document().await;
    let listed: Vec<&str> = doc["components"]["schemas"][REFUSAL_CODES_SCHEMA]["enum"]
        .as_array()
        .expect("the refusal codes are a string enum")
        .iter()
        .map(|code| code.as_str().unwrap())
        .collect();
    let codes: Vec<&str> = ErrorCode::all().into_iter().map(ErrorCode::as_str).collect();
    for code in &codes {
        assert!(listed.contains(code), "{code} is not documented");
    }
    assert_eq!(listed.len(), codes.len(), "the document lists codes the service never sends: {listed:?}");
}

/// The OpenAPI document of a freshly spawned app, and the app (for requests against it).
async fn document() -> (TestApp, Value) {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let (status, doc) = app.get("/api/v1/openapi.json", "").await;
    assert_eq!(status, StatusCode::OK);
    (app, doc)
}

/// Every operation of the document as (method, path, operation).
fn operations(doc: &Value) -> Vec<(String, String, Value)> {
    let mut all = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            all.push((method.clone(), path.clone(), operation.clone()));
        }
    }
    all
}

fn is_error_body(response: &Value) -> bool {
    response["content"]["application/json"]["schema"]["$ref"] == "#/components/schemas/ErrorBody"
}

#[tokio::test]
async fn availability_documents_date_as_a_required_query_day_and_answers_its_absence_with_400() {
    let (app, doc) = document().await;
    let f = app.fixture();
    let operation = &doc["paths"]["/api/v1/hubs/{hub}/availability"]["get"];
    let params = operation["parameters"].as_array().unwrap();
    let date = params.iter().find(|p| p["name"] == "date").unwrap();
    assert_eq!(date["in"], "query", "{date}");
    assert_eq!(date["required"], true, "{date}");
    assert_eq!(date["schema"]["format"], "date", "{date}");
    for status in ["400", "401", "404", "422"] {
        assert!(is_error_body(&operation["responses"][status]), "{status}: {}", operation["responses"]);
    }

    let path = format!("/api/v1/hubs/{}/availability", f.hub.id);
    let (status, body) = app.get(&path, &f.alice_token).await;
    assert_eq!((status, code(&body)), (StatusCode::BAD_REQUEST, "bad_request"));
    let (status, body) = app.get(&format!("{path}?date="), &f.alice_token).await;
    assert_eq!((status, code(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "invalid_date"));
    let (status, _) = app.get(&format!("{path}?date=2026-11-24"), &f.alice_token).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn booking_times_are_documented_as_non_empty_strings_of_the_shapes_the_server_reads() {
    let (app, doc) = document().await;
    let f = app.fixture();
    let schemas = &doc["components"]["schemas"];
    let pattern = schemas["CreateBookingBody"]["properties"]["start"]["pattern"].as_str().unwrap().to_owned();
    for schema in ["CreateBookingBody", "ChangeBookingBody"] {
        let properties = &schemas[schema]["properties"];
        assert_eq!(properties["space_id"]["minLength"], 1, "{schema}");
        for field in ["start", "end"] {
            assert_eq!(properties[field]["minLength"], 1, "{schema}.{field}");
            assert_eq!(properties[field]["pattern"], pattern.as_str(), "{schema}.{field}");
        }
    }
    assert_eq!(schemas["CreateBookingBody"]["required"], serde_json::json!(["space_id", "start", "end"]));

    // What the schema forbids is refused with the documented 422 and names the field …
    for (start, end, field) in [("", "2026-11-24T10:00:00+01:00", "start"), ("2026-11-24T09:00:00+01:00", "", "end")] {
        let (status, body) = app.book(&f.alice_token, f.desk.id.as_str(), start, end).await;
        assert_eq!((status, code(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "invalid_time"), "{body}");
        assert_eq!(body["error"]["field"], field);
    }
    let (_, booking) =
        app.book(&f.alice_token, f.desk.id.as_str(), "2026-11-24T09:00:00+01:00", "2026-11-24T10:00:00+01:00").await;
    let id = booking["id"].as_str().unwrap();
    let response = app
        .client
        .patch(app.url(&format!("/api/v1/bookings/{id}")))
        .bearer_auth(&f.alice_token)
        .json(&serde_json::json!({"start": ""}))
        .send()
        .await
        .unwrap();
    let (status, body) = crate::helpers::json_of(response).await;
    assert_eq!((status, code(&body)), (StatusCode::UNPROCESSABLE_ENTITY, "invalid_time"), "{body}");
    let (status, _) = app.delete(&format!("/api/v1/bookings/{id}"), &f.alice_token).await;
    assert_eq!(status, StatusCode::OK, "make room under the limit of upcoming bookings");

    // … and each shape the pattern allows is read: a local time to the minute or second, RFC 3339
    // with `T`, `t` or a space, `Z` or `z`, and a fraction.
    for (start, end) in [
        ("2026-11-25T09:00", "2026-11-25T10:00:00"),
        ("2026-11-25 10:00:00Z", "2026-11-25t11:00:00.000z"),
        ("2026-11-25T13:00:00.0+01:00", "2026-11-25T13:00:00-00:00"),
    ] {
        let (status, body) = app.book(&f.alice_token, f.desk.id.as_str(), start, end).await;
        assert_eq!(status, StatusCode::CREATED, "{start}–{end}: {body}");
    }
}

#[tokio::test]
async fn every_operation_documents_its_error_answers_with_the_error_body() {
    let (_app, doc) = document().await;
    for (method, path, operation) in operations(&doc) {
        let responses = operation["responses"].as_object().unwrap();
        for status in ["401", "403", "503"] {
            assert!(responses.contains_key(status), "{method} {path} lacks {status}");
        }
        if operation.get("requestBody").is_some() {
            assert!(responses.contains_key("400"), "{method} {path} lacks 400 for a malformed body");
            assert!(responses.contains_key("422"), "{method} {path} lacks 422");
        }
        if path.contains('{') {
            assert!(responses.contains_key("404"), "{method} {path} lacks 404");
        }
        for (status, response) in responses {
            if !status.starts_with('2') {
                assert!(is_error_body(response), "{method} {path} {status}: {response}");
            }
        }
    }
}

#[tokio::test]
async fn a_blocked_account_gets_the_documented_403_from_every_operation() {
    use diesel::prelude::*;
    use regiohub::db::schema::users;
    let (app, doc) = document().await;
    let f = app.fixture();
    diesel::update(users::table.filter(users::email.eq("alice@example.org")))
        .set(users::status.eq("blocked"))
        .execute(&mut *app.conn())
        .unwrap();
    for (method, path, _) in operations(&doc) {
        let url = app.url(&path.replace("{hub}", f.hub.id.as_str()).replace("{id}", "any"));
        let request = match method.as_str() {
            "get" => app.client.get(url),
            "post" => app.client.post(url),
            "patch" => app.client.patch(url),
            "delete" => app.client.delete(url),
            other => panic!("unexpected method {other}"),
        };
        // A body every operation with one can read (a series also needs its rule).
        let body = serde_json::json!({"space_id": f.desk.id, "start": "2026-11-24T10:00", "end": "2026-11-24T11:00",
                                      "frequency": "weekly", "count": 2});
        let response = request.bearer_auth(&f.alice_token).json(&body).send().await.unwrap();
        let (status, body) = crate::helpers::json_of(response).await;
        assert_eq!((status, code(&body)), (StatusCode::FORBIDDEN, "account_blocked"), "{method} {path}");
    }
}

/// On SQLite every write waits for the one writer's turn, so reading the API must not write on
/// every call: when a token was last used is kept to the minute.
async fn api_token_use_is_written_at_most_once_a_minute(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let last_used = || {
        let alice = regiohub::db::users::find_user_by_email(&mut app.conn(), "alice@example.org").unwrap().unwrap();
        let tokens = regiohub::db::users::list_api_tokens(&mut app.conn(), &alice.id).unwrap();
        tokens[0].last_used_at
    };
    assert_eq!(last_used(), None);
    let at = |seconds: i64| crate::helpers::default_now() + chrono::Duration::seconds(seconds);
    for (seconds, written) in [(0, 0), (30, 0), (59, 0), (60, 60), (61, 60)] {
        app.clock.set(at(seconds));
        let (status, _) = app.get("/api/v1/bookings", &f.alice_token).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(last_used(), Some(crate::helpers::db_time(at(written))), "after a call at +{seconds} s");
    }
}
