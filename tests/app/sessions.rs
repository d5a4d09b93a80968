//! Sessions and CSRF over HTTP: cookies, expiry, logout, fixation, blocking, cross-site refusal,
//! throttled logins, and answers that do not tell known from unknown addresses.

use chrono::Duration;
use regiohub::domain::role::Role;
use regiohub::service::UnitOfWork;
use regiohub::service::accounts::{self, AccountMailKind};
use reqwest::StatusCode;

use crate::browser::{Browser, PASSWORD, csrf_token_in, logged_in_member, mailed_link, mails_to, unique_email};
use crate::helpers::{Backend, TestApp};
use crate::on_both_backends;

on_both_backends!(
    pages_need_a_login_and_come_back_after_it,
    sessions_end_after_30_idle_minutes_and_after_12_hours,
    logout_ends_the_session_on_the_server,
    login_always_starts_a_new_session_id,
    blocking_a_user_ends_their_sessions,
    state_changing_requests_without_the_right_token_are_refused,
    cross_site_requests_are_refused,
    login_register_and_reset_answer_the_same_for_known_and_unknown_addresses,
    failed_logins_are_throttled_per_account_and_per_address,
);

async fn pages_need_a_login_and_come_back_after_it(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, email) = logged_in_member(&app, "comeback").await;
    let browser = Browser::new(&app);
    let page = browser.get("/account?done=profile").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location.as_deref(), Some("/login?next=%2Faccount%3Fdone%3Dprofile"));
    let page = browser.get(page.location.as_deref().unwrap()).await;
    assert!(page.body.contains("name=\"next\" value=\"/account?done=profile\""), "{}", page.body);
    let page = browser.log_in(&email, PASSWORD).await;
    assert_eq!(page.location.as_deref(), Some("/"), "the plain login page goes home");
    let page = browser
        .submit("/login", "/login", &[("email", &email), ("password", PASSWORD), ("next", "//evil.example/x")])
        .await;
    assert_eq!(page.location.as_deref(), Some("/"), "never to another site");

    // A form sent after the session ended comes back to the page it was on.
    let stale = Browser::new(&app);
    let response = stale
        .client
        .post(stale.url("/account/profile"))
        .header("referer", app.url("/account"))
        .form(&[("csrf_token", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()["location"], "/login?next=%2Faccount");
}

async fn sessions_end_after_30_idle_minutes_and_after_12_hours(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (browser, _) = logged_in_member(&app, "idle").await;
    let start = app.clock.now();
    app.clock.set(start + Duration::minutes(29));
    assert_eq!(browser.get("/account").await.status, StatusCode::OK);
    app.clock.set(start + Duration::minutes(58));
    assert_eq!(browser.get("/account").await.status, StatusCode::OK, "activity pushes the idle end back");
    app.clock.set(start + Duration::minutes(88));
    let page = browser.get("/account").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "30 minutes idle");
    assert!(page.location.unwrap().starts_with("/login?next="));

    let (browser, _) = logged_in_member(&app, "busy").await;
    let start = app.clock.now();
    let mut at = start;
    while at + Duration::minutes(20) < start + Duration::hours(12) {
        at += Duration::minutes(20);
        app.clock.set(at);
        assert_eq!(browser.get("/account").await.status, StatusCode::OK, "active at {at}");
    }
    app.clock.set(start + Duration::hours(12));
    assert_eq!(browser.get("/account").await.status, StatusCode::SEE_OTHER, "12 hours at most");
}

async fn logout_ends_the_session_on_the_server(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let browser = Browser::new(&app);
    let email = unique_email("bye");
    crate::browser::register_and_verify(&app, &browser, "Bye", &email).await;
    let login = browser.log_in(&email, PASSWORD).await;
    let old_id = login.cookie_value("regiohub_session").unwrap();

    let account = browser.get("/account").await;
    let token = csrf_token_in(&account.body);
    let page = browser.post("/logout", &[("csrf_token", &token)]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert!(page.cookie("regiohub_session").unwrap().contains("Max-Age=0"), "the browser forgets it");

    // Someone who kept a copy of the cookie gets nothing.
    let replay = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let response =
        replay.get(app.url("/account")).header("cookie", format!("regiohub_session={old_id}")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
}

async fn login_always_starts_a_new_session_id(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (browser, email) = logged_in_member(&app, "fixation").await;
    let first = browser.log_in(&email, PASSWORD).await.cookie_value("regiohub_session").unwrap();
    let second = browser.log_in(&email, PASSWORD).await.cookie_value("regiohub_session").unwrap();
    assert_ne!(first, second, "a login never keeps the id the browser had");
    let replay = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let response =
        replay.get(app.url("/account")).header("cookie", format!("regiohub_session={first}")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "and the previous session is ended");

    // An id planted in a victim's browser before login is not adopted.
    let planted = "planted-session-id-planted-session-id";
    let login = app.client.get(app.url("/login")).send().await.unwrap();
    let csrf_cookie = login.headers()["set-cookie"].to_str().unwrap().split(';').next().unwrap().to_owned();
    let token = csrf_token_in(&login.text().await.unwrap());
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let response = client
        .post(app.url("/login"))
        .header("cookie", format!("{csrf_cookie}; regiohub_session={planted}"))
        .form(&[("csrf_token", token.as_str()), ("email", &email), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let set = response.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(set.starts_with("regiohub_session=") && !set.contains(planted), "{set}");
}

async fn blocking_a_user_ends_their_sessions(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (browser, email) = logged_in_member(&app, "blocked").await;
    assert_eq!(browser.get("/account").await.status, StatusCode::OK);
    let user = regiohub::db::users::find_user_by_email(&mut app.conn(), &email).unwrap().unwrap();
    accounts::block_user(&mut UnitOfWork::new(&mut app.conn()), &user.id, app.clock.now()).unwrap();
    assert_eq!(regiohub::db::sessions::count_user_sessions(&mut app.conn(), &user.id).unwrap(), 0);
    assert_eq!(browser.get("/account").await.status, StatusCode::SEE_OTHER);
    let page = Browser::new(&app).log_in(&email, PASSWORD).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("gesperrt"), "{}", page.body);
}

async fn state_changing_requests_without_the_right_token_are_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (browser, _) = logged_in_member(&app, "csrf").await;
    let fields = [("name", "Mallory"), ("email", "x@example.org"), ("locale", "en")];
    let page = browser.post("/account/profile", &fields).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN, "missing token");
    let mut wrong = vec![("csrf_token", "not-the-token")];
    wrong.extend_from_slice(&fields);
    assert_eq!(browser.post("/account/profile", &wrong).await.status, StatusCode::FORBIDDEN, "wrong token");
    assert_eq!(browser.post("/logout", &[]).await.status, StatusCode::FORBIDDEN);
    assert_eq!(browser.get("/account").await.status, StatusCode::OK, "still logged in");
    assert!(!browser.get("/account").await.body.contains("Mallory"), "nothing changed");

    // Visitors' forms are protected by their own token.
    let visitor = Browser::new(&app);
    let page = visitor.post("/login", &[("email", "a@example.org"), ("password", PASSWORD)]).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    let page = visitor.post("/register", &[("csrf_token", "guess"), ("name", "A"), ("email", "a@example.org")]).await;
    assert_eq!(page.status, StatusCode::FORBIDDEN);
    assert!(page.body.contains("aus Sicherheitsgründen abgelehnt"), "a readable page: {}", page.body);
}

async fn cross_site_requests_are_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let (browser, _) = logged_in_member(&app, "origin").await;
    let token = csrf_token_in(&browser.get("/account").await.body);
    let form = [("csrf_token", token.as_str()), ("lang", "en"), ("back", "/account")];
    let post = |origin: Option<&str>, fetch_site: Option<&str>| {
        let mut request = browser.client.post(browser.url("/language")).form(&form);
        if let Some(origin) = origin {
            request = request.header("origin", origin);
        }
        if let Some(site) = fetch_site {
            request = request.header("sec-fetch-site", site);
        }
        async move { request.send().await.unwrap().status() }
    };
    assert_eq!(post(Some("https://evil.example"), None).await, StatusCode::FORBIDDEN, "foreign Origin");
    assert_eq!(post(Some("null"), None).await, StatusCode::FORBIDDEN, "opaque Origin");
    assert_eq!(post(None, Some("cross-site")).await, StatusCode::FORBIDDEN, "Sec-Fetch-Site");
    assert_eq!(post(Some(&app.address), Some("same-origin")).await, StatusCode::SEE_OTHER, "own origin with the token");

    // The bearer-token API needs no CSRF token, but a browser on another site is still refused.
    let body = serde_json::json!({"space_id": f.desk.id, "start": "2026-11-24T09:00", "end": "2026-11-24T10:00"});
    let response = app
        .client
        .post(app.url("/api/v1/bookings"))
        .bearer_auth(&f.alice_token)
        .header("origin", "https://evil.example")
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    let (status, _) = app.book(&f.alice_token, f.desk.id.as_str(), "2026-11-24T09:00", "2026-11-24T10:00").await;
    assert_eq!(status, StatusCode::CREATED, "programs send no Origin");
}

async fn login_register_and_reset_answer_the_same_for_known_and_unknown_addresses(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, known) = logged_in_member(&app, "known").await;
    let unknown = unique_email("unknown");
    let browser = Browser::new(&app);
    let placeholder = |body: String, email: &str| body.replace(email, "EMAIL");

    let a = browser.log_in(&known, "a wrong password").await;
    let b = browser.log_in(&unknown, "a wrong password").await;
    assert_eq!(a.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(a.status, b.status);
    assert_eq!(placeholder(a.body, &known), placeholder(b.body, &unknown));

    let register = |email: String| {
        let browser = &browser;
        async move {
            browser
                .submit("/register", "/register", &[("name", "Someone"), ("email", &email), ("password", PASSWORD)])
                .await
        }
    };
    let a = register(known.clone()).await;
    let b = register(unknown.clone()).await;
    assert_eq!((a.status, &a.body), (b.status, &b.body));
    // The mailbox's owner learns the difference, nobody else.
    assert!(mailed_link(&app, &known, AccountMailKind::AlreadyRegistered).await.ends_with("/password/forgot"));
    mailed_link(&app, &unknown, AccountMailKind::Verify).await;

    let stranger = unique_email("stranger");
    let a = browser.submit("/password/forgot", "/password/forgot", &[("email", &known)]).await;
    let b = browser.submit("/password/forgot", "/password/forgot", &[("email", &stranger)]).await;
    assert_eq!((a.status, &a.body), (b.status, &b.body));
    assert!(mails_to(&app, &stranger).await.is_empty());
    mailed_link(&app, &known, AccountMailKind::PasswordReset).await;
}

async fn failed_logins_are_throttled_per_account_and_per_address(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, victim) = logged_in_member(&app, "victim").await;
    let browser = Browser::new(&app);
    for _ in 0..5 {
        assert_eq!(browser.log_in(&victim, "guess guess guess").await.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let page = browser.log_in(&victim, PASSWORD).await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS, "even the right password waits");
    assert!(page.body.contains("Zu viele Versuche"), "{}", page.body);
    app.clock.set(app.clock.now() + Duration::minutes(15));
    assert_eq!(browser.log_in(&victim, PASSWORD).await.status, StatusCode::SEE_OTHER, "the window passed");

    // Per client address: 20 failures over many accounts; a success in between resets nothing.
    let mut conn = app.conn();
    accounts::add_user(
        &mut UnitOfWork::new(&mut conn),
        "own@example.org",
        "Own",
        &Role::Member,
        PASSWORD,
        app.clock.now(),
    )
    .unwrap();
    drop(conn);
    for i in 0..19 {
        let page = browser.log_in(&format!("nobody{i}@example.org"), "guess guess guess").await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "attempt {i}");
    }
    assert_eq!(browser.log_in("own@example.org", PASSWORD).await.status, StatusCode::SEE_OTHER);
    assert_eq!(browser.log_in("nobody19@example.org", "guess").await.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(browser.log_in("own@example.org", PASSWORD).await.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn behind_https_the_session_cookie_is_host_prefixed_and_secure() {
    let app = TestApp::spawn_with(Backend::Sqlite, |s| s.cookie_secure = Some(true)).await;
    accounts::add_user(
        &mut UnitOfWork::new(&mut app.conn()),
        "secure@example.org",
        "Secure",
        &Role::Member,
        PASSWORD,
        app.clock.now(),
    )
    .unwrap();
    // A plain client: a cookie store would (rightly) not send Secure cookies over plain HTTP.
    let client = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
    let login = client.get(app.url("/login")).send().await.unwrap();
    let csrf_cookie = login.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(csrf_cookie.starts_with("__Host-regiohub_csrf="), "{csrf_cookie}");
    let token = csrf_token_in(&login.text().await.unwrap());
    let response = client
        .post(app.url("/login"))
        .header("cookie", csrf_cookie.split(';').next().unwrap())
        .form(&[("csrf_token", token.as_str()), ("email", "secure@example.org"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let cookie = response.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(cookie.starts_with("__Host-regiohub_session="), "{cookie}");
    let attributes: Vec<&str> = cookie.split(';').skip(1).map(str::trim).collect();
    for expected in ["HttpOnly", "SameSite=Lax", "Secure", "Path=/"] {
        assert!(attributes.contains(&expected), "{cookie} lacks {expected}");
    }
    assert!(!attributes.iter().any(|a| a.starts_with("Domain")), "__Host- cookies carry no Domain");
}
