//! The member site's pages as a visitor sees them: German by default, English on request,
//! accessible structure, and nothing that tells who booked what.

use reqwest::StatusCode;

use crate::helpers::{Backend, TestApp};

async fn page(app: &TestApp, path: &str, accept_language: Option<&str>) -> (StatusCode, String) {
    let mut request = app.client.get(app.url(path));
    if let Some(lang) = accept_language {
        request = request.header("accept-language", lang);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    (status, response.text().await.unwrap())
}

#[tokio::test]
async fn the_hub_list_shows_hours_and_free_desks_in_german_by_default() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let f = app.fixture();
    // now: Monday 08:00; Bob takes Desk 1 for the whole opening time, Desk 2 stays free.
    let (status, _) =
        app.book(&f.bob_token, f.desk.id.as_str(), "2026-11-23T08:00:00+01:00", "2026-11-23T12:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, html) = page(&app, "/", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<html lang=\"de\">"), "German by default");
    assert!(html.contains("Test Hub"));
    assert!(html.contains("Heute geöffnet: 08:00–20:00"), "{html}");
    // Desk 1 is still free after 12:00, Desk 2 all day; Desk 9 is disabled.
    assert!(html.contains("Heute noch 2 Arbeitsplätze frei"), "{html}");
    assert!(html.contains("class=\"skip-link\" href=\"#content\""));
    assert!(html.contains("name=\"viewport\" content=\"width=device-width, initial-scale=1\""));
}

#[tokio::test]
async fn visitors_get_english_when_their_browser_asks_for_it() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let _ = app.fixture();
    let (_, html) = page(&app, "/", Some("en-GB,en;q=0.9,de;q=0.5")).await;
    assert!(html.contains("<html lang=\"en\">"));
    assert!(html.contains("Open today: 08:00–20:00"), "{html}");
    assert!(html.contains("2 desks still free today"), "{html}");
}

#[tokio::test]
async fn the_day_view_shows_free_and_taken_by_text_and_never_who() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let f = app.fixture();
    let (status, _) =
        app.book(&f.bob_token, f.desk.id.as_str(), "2026-11-24T10:00:00+01:00", "2026-11-24T12:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, html) = page(&app, "/hubs/testhub?date=2026-11-24", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Di., 24.11.2026"), "{html}");
    // Taken and free are said in words, not only shown by colour: in the grid (a free hour is a
    // button that fills in its start) and in the phone list of free ranges.
    assert!(html.contains("<td class=\"taken\">belegt"), "{html}");
    assert!(html.contains("name=from value=12:00>frei</button>"), "{html}");
    assert!(html.contains("<li>frei 08:00–10:00 <a href="), "{html}");
    assert!(!html.contains("bob") && !html.contains("Test Member"), "never who booked");
    // The grid's free hours submit a form to the space's booking form with the date; the list's
    // ranges link to it with the times.
    assert!(
        html.contains(&format!(
            "action=\"/spaces/{}/book\"><input type=hidden name=date value=2026-11-24></form>",
            f.desk.id
        )),
        "{html}"
    );
    assert!(html.contains(&format!("/spaces/{}/book?date=2026-11-24&#38;from=12:00", f.desk.id)), "{html}");
    // A closed day says why.
    let (_, closed) = page(&app, "/hubs/testhub?date=2026-12-24", None).await;
    assert!(closed.contains("An diesem Tag geschlossen: Heiligabend"), "{closed}");
    // Previous and next day links.
    assert!(html.contains("/hubs/testhub?date=2026-11-23") && html.contains("/hubs/testhub?date=2026-11-25"));
}

#[tokio::test]
async fn unknown_pages_get_a_friendly_404_in_the_visitors_language() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let _ = app.fixture();
    let (status, html) = page(&app, "/hubs/atlantis", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("Diese Seite gibt es nicht"), "{html}");
    let (status, html) = page(&app, "/no/such/page", Some("en")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(html.contains("This page does not exist"), "{html}");
    // The API keeps answering JSON.
    let response = app.client.get(app.url("/api/v1/nothing")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(response.headers()["content-type"].to_str().unwrap().starts_with("application/json"));
}

#[tokio::test]
async fn booking_pages_need_a_login() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let f = app.fixture();
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    for path in ["/bookings".to_owned(), format!("/spaces/{}/book", f.desk.id)] {
        let response = client.get(app.url(&path)).send().await.unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{path}");
        let location = response.headers()["location"].to_str().unwrap();
        assert!(location.starts_with("/login?next="), "{location}");
    }
}

#[tokio::test]
async fn the_footer_links_the_operators_legal_pages() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let f = app.fixture();
    let (_, html) = page(&app, "/hubs/testhub", None).await;
    let imprint = format!("/legal/{}/imprint", f.hub.operator_id);
    assert!(html.contains(&imprint), "{html}");
    let (status, legal) = page(&app, &imprint, None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(legal.contains("Teststadt<br>Rathausplatz 1"), "{legal}");
    for which in ["privacy", "accessibility"] {
        let (status, _) = page(&app, &format!("/legal/{}/{which}", f.hub.operator_id), None).await;
        assert_eq!(status, StatusCode::OK);
    }
    let (status, _) = page(&app, &format!("/legal/{}/other", f.hub.operator_id), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, index) = page(&app, "/legal", None).await;
    assert_eq!(status, StatusCode::OK);
    assert!(index.contains("Teststadt"));
}

#[tokio::test]
async fn the_stylesheet_is_served_locally_and_pages_load_nothing_from_elsewhere() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let _ = app.fixture();
    let response = app.client.get(app.url("/static/css/app.css")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let css = response.text().await.unwrap();
    assert!(!css.contains("http"), "no third-party assets in the stylesheet");
    for path in ["/", "/hubs/testhub", "/legal"] {
        let (_, html) = page(&app, path, None).await;
        for attribute in ["src=\"http", "href=\"http", "src=\"//", "href=\"//"] {
            // Only the map link may point elsewhere, and it is a link, not a loaded asset.
            assert!(!html.contains(attribute), "{path} loads from elsewhere: {attribute}");
        }
    }
    let response = app.client.get(app.url("/")).send().await.unwrap();
    let csp = response.headers()["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("default-src 'self'"));
}
