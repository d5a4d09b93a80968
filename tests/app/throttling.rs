//! Throttles and the password pool over HTTP: concurrent logins are counted before the hash (so
//! at most the limit are checked), a full password queue answers 503 with `Retry-After` and
//! never 500, and registrations and reset requests are limited per typed and per client
//! address. No timings are asserted; the storm's figures are in the benchmark.

use chrono::Duration;
use futures::future::join_all;
use regiohub::service::accounts::AccountMailKind;
use reqwest::StatusCode;

use crate::browser::{Browser, PASSWORD, csrf_token_in, logged_in_member, mails_to, unique_email};
use crate::helpers::{Backend, TestApp};
use crate::on_both_backends;

on_both_backends!(
    a_full_password_queue_answers_503_with_retry_after_and_never_500,
    simultaneous_wrong_logins_for_one_account_check_at_most_the_limit,
    reset_requests_are_limited_per_address_and_per_client,
    a_reset_request_does_the_same_work_for_known_and_unknown_addresses,
    registrations_are_limited_per_address,
    guesses_from_elsewhere_do_not_lock_the_owner_out_of_a_known_browser,
);

/// One answer with the header these tests look at.
#[derive(Debug)]
struct Answer {
    status: StatusCode,
    retry_after: Option<u64>,
    body: String,
}

async fn post(browser: &Browser, action: &str, form: &[(&str, &str)]) -> Answer {
    let response = browser.client.post(browser.url(action)).form(form).send().await.unwrap();
    let status = response.status();
    let retry_after = response.headers().get("retry-after").and_then(|v| v.to_str().ok()).and_then(|v| v.parse().ok());
    Answer { status, retry_after, body: response.text().await.unwrap() }
}

/// Opens `form_page` for its CSRF token and posts `fields` with it.
async fn submit(browser: &Browser, form_page: &str, action: &str, fields: &[(&str, &str)]) -> Answer {
    let token = csrf_token_in(&browser.get(form_page).await.body);
    let mut form = vec![("csrf_token", token.as_str())];
    form.extend_from_slice(fields);
    post(browser, action, &form).await
}

/// Sends every form at once from one browser (one CSRF token); answers in sending order.
async fn post_all(browser: &Browser, form_page: &str, action: &str, forms: &[Vec<(&str, String)>]) -> Vec<Answer> {
    let token = csrf_token_in(&browser.get(form_page).await.body);
    join_all(forms.iter().map(|fields| {
        let token = token.clone();
        async move {
            let mut form: Vec<(&str, &str)> = vec![("csrf_token", token.as_str())];
            form.extend(fields.iter().map(|(k, v)| (*k, v.as_str())));
            post(browser, action, &form).await
        }
    }))
    .await
}

async fn a_full_password_queue_answers_503_with_retry_after_and_never_500(backend: Backend) {
    let app = TestApp::spawn_with(backend, |s| {
        s.password_workers = 1;
        s.password_queue = 1;
    })
    .await;
    let browser = Browser::new(&app);
    // Different addresses, fewer than the per-client limit: only the pool can refuse.
    let forms: Vec<_> = (0..19)
        .map(|i| vec![("email", format!("storm{i}@example.org")), ("password", "guess guess guess".to_owned())])
        .collect();
    let pages = post_all(&browser, "/login", "/login", &forms).await;
    let busy: Vec<&Answer> = pages.iter().filter(|p| p.status == StatusCode::SERVICE_UNAVAILABLE).collect();
    for page in &pages {
        assert!(
            [StatusCode::UNPROCESSABLE_ENTITY, StatusCode::SERVICE_UNAVAILABLE].contains(&page.status),
            "{}: {}",
            page.status,
            page.body
        );
    }
    assert!(!busy.is_empty(), "one worker and one queue place cannot take 19 at once");
    for page in &busy {
        assert!(page.retry_after.is_some_and(|s| s >= 1), "503 says when to come back");
        assert!(page.body.contains("Gerade melden sich sehr viele Menschen an"), "{}", page.body);
        assert!(page.body.contains("name=\"password\""), "the login form again");
    }
    assert_eq!(app.state.passwords.peak_running(), 1, "the pool never ran more than its one thread");

    // A refused attempt was never checked, so it does not count: the owner logs in afterwards.
    let (_, owner) = logged_in_member(&app, "after-storm").await;
    assert_eq!(Browser::new(&app).log_in(&owner, PASSWORD).await.status, StatusCode::SEE_OTHER);
}

async fn simultaneous_wrong_logins_for_one_account_check_at_most_the_limit(backend: Backend) {
    // Places for all 40 at the password gate: here the throttle alone decides.
    let app = TestApp::spawn_with(backend, |s| s.password_queue = 64).await;
    let (_, victim) = logged_in_member(&app, "victim").await;
    let browser = Browser::new(&app);
    let forms: Vec<_> =
        (0..40).map(|i| vec![("email", victim.clone()), ("password", format!("guess number {i}"))]).collect();
    let pages = post_all(&browser, "/login", "/login", &forms).await;
    let checked = pages.iter().filter(|p| p.status == StatusCode::UNPROCESSABLE_ENTITY).count();
    let throttled: Vec<&Answer> = pages.iter().filter(|p| p.status == StatusCode::TOO_MANY_REQUESTS).collect();
    assert!((1..=5).contains(&checked), "{checked} of 40 were checked; the limit is 5");
    assert_eq!(checked + throttled.len(), 40, "{:?}", pages.iter().map(|p| p.status).collect::<Vec<_>>());
    for page in throttled {
        let wait = page.retry_after.unwrap();
        assert!((1..=15 * 60).contains(&wait), "{wait}");
        assert!(page.body.contains("Zu viele Versuche"), "{}", page.body);
    }
}

async fn reset_requests_are_limited_per_address_and_per_client(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, known) = logged_in_member(&app, "forgetful").await;
    let browser = Browser::new(&app);
    let forgot = |email: String| {
        let browser = &browser;
        async move { submit(browser, "/password/forgot", "/password/forgot", &[("email", &email)]).await }
    };
    // Per address: three links an hour, however many are asked for.
    for _ in 0..3 {
        assert_eq!(forgot(known.clone()).await.status, StatusCode::OK);
    }
    let refused = forgot(known.clone()).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS, "{}", refused.body);
    assert!(refused.retry_after.is_some_and(|s| (1..=3600).contains(&s)));
    assert!(refused.body.contains("Zu viele Versuche"), "{}", refused.body);
    let resets = |mails: Vec<crate::mail::ReceivedMail>| {
        let subjects: Vec<String> = regiohub::i18n::Lang::ALL
            .iter()
            .map(|lang| regiohub::i18n::t(*lang, AccountMailKind::PasswordReset.subject_key()))
            .collect();
        mails.iter().filter(|m| subjects.contains(&m.subject)).count()
    };
    assert_eq!(resets(mails_to(&app, &known).await), 3);

    // Per client: ten requests an hour over any addresses (three were made above).
    for i in 0..7 {
        let page = forgot(unique_email(&format!("other{i}"))).await;
        assert_eq!(page.status, StatusCode::OK, "request {i}");
    }
    let stranger = unique_email("stranger");
    assert_eq!(forgot(stranger.clone()).await.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(mails_to(&app, &stranger).await.is_empty());

    app.clock.set(app.clock.now() + Duration::hours(1));
    assert_eq!(forgot(known.clone()).await.status, StatusCode::OK, "the hour passed");
    assert_eq!(resets(mails_to(&app, &known).await), 4);
}

async fn registrations_are_limited_per_address(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let browser = Browser::new(&app);
    let email = unique_email("again");
    let fields = [("name", "Again"), ("email", email.as_str()), ("password", PASSWORD)];
    let register = || submit(&browser, "/register", "/register", &fields);
    for _ in 0..5 {
        assert_eq!(register().await.status, StatusCode::OK);
    }
    let refused = register().await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS, "{}", refused.body);
    assert!(refused.retry_after.is_some());
    assert!(refused.body.contains("Zu viele Versuche"), "{}", refused.body);
    assert!(refused.body.contains("name=\"name\""), "the registration form again");
}

async fn guesses_from_elsewhere_do_not_lock_the_owner_out_of_a_known_browser(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    // The owner logged in on this browser before (the helper does), so it carries a device cookie.
    let (owner_browser, owner) = logged_in_member(&app, "owner").await;
    // The attacker has an account and a device cookie of their own, which does not help them.
    let (attacker, _) = logged_in_member(&app, "attacker").await;
    for _ in 0..5 {
        let page = submit(&attacker, "/login", "/login", &[("email", &owner), ("password", "guess guess guess")]).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let page = submit(&attacker, "/login", "/login", &[("email", &owner), ("password", PASSWORD)]).await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS, "unknown devices wait");
    let stranger = Browser::new(&app);
    let page = submit(&stranger, "/login", "/login", &[("email", &owner), ("password", PASSWORD)]).await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS, "a browser without the cookie waits too");

    let page = submit(&owner_browser, "/login", "/login", &[("email", &owner), ("password", PASSWORD)]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "the owner's known browser gets in: {}", page.body);

    // The known browser has a limit of its own.
    for _ in 0..5 {
        let page =
            submit(&owner_browser, "/login", "/login", &[("email", &owner), ("password", "typo typo typo")]).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let page = submit(&owner_browser, "/login", "/login", &[("email", &owner), ("password", PASSWORD)]).await;
    assert_eq!(page.status, StatusCode::TOO_MANY_REQUESTS);
}

/// Rows of the tables a reset request could touch: (links, queued mails, waiting requests).
fn reset_rows(app: &TestApp) -> (i64, i64, i64) {
    use diesel::prelude::*;
    use regiohub::db::schema::{email_tokens, mail_outbox, password_reset_requests};
    let mut conn = app.conn();
    let links = email_tokens::table.count().get_result(&mut *conn).unwrap();
    let mails = mail_outbox::table.count().get_result(&mut *conn).unwrap();
    let waiting = password_reset_requests::table.count().get_result(&mut *conn).unwrap();
    (links, mails, waiting)
}

async fn a_reset_request_does_the_same_work_for_known_and_unknown_addresses(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, known) = logged_in_member(&app, "forgetful").await;
    let stranger = unique_email("stranger");
    app.send_mail().await;
    let browser = Browser::new(&app);
    let mut answers = Vec::new();
    // The mail job waits until the rows are counted.
    let job_waits = app.state.mailer.pass_lock().lock().await;
    for email in [&known, &stranger] {
        let before = reset_rows(&app);
        let page = submit(&browser, "/password/forgot", "/password/forgot", &[("email", email)]).await;
        let after = reset_rows(&app);
        // The request writes one waiting request and nothing else, whoever the address is.
        assert_eq!((after.0 - before.0, after.1 - before.1, after.2 - before.2), (0, 0, 1), "{email}");
        answers.push((page.status, page.body.replace(email.as_str(), "<typed>")));
    }
    assert_eq!(answers[0], answers[1], "the same answer");
    assert_eq!(answers[0].0, StatusCode::OK);
    drop(job_waits);

    // The mail job makes the link afterwards: for the account only, and takes both requests.
    let resets = mails_to(&app, &known).await.iter().filter(|m| m.text.contains("/password/reset/")).count();
    assert_eq!(resets, 1);
    assert!(mails_to(&app, &stranger).await.is_empty());
    assert_eq!(reset_rows(&app).2, 0, "no request waits after the job ran");
}
