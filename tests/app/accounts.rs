//! Accounts over HTTP as a person uses them: register, confirm by e-mail, log in, the account
//! page, password reset and change, address change, API tokens, export and deletion, and the
//! answers that must not tell whether an address has an account.

use diesel::prelude::*;
use regiohub::db::schema::{bookings, users};
use regiohub::service::UnitOfWork;
use regiohub::service::accounts::{self, AccountMailKind};
use reqwest::StatusCode;

use crate::browser::{Browser, PASSWORD, logged_in_member, mailed_link, mails_to, register_and_verify, unique_email};
use crate::helpers::{Backend, TestApp};
use crate::on_both_backends;

on_both_backends!(
    register_verify_log_in_and_see_the_account_page,
    registration_errors_are_shown_next_to_the_fields_and_keep_what_was_typed,
    a_password_reset_link_works_once_and_ends_every_session,
    an_address_change_applies_only_when_the_new_address_confirms_it,
    changing_the_password_needs_the_current_one_and_ends_other_sessions,
    tokens_created_on_the_account_page_work_on_the_api_until_revoked,
    the_export_has_profile_bookings_and_tokens_but_no_hash,
    deleting_the_account_anonymises_bookings_and_ends_everything,
    the_language_switch_works_for_visitors_and_members,
);

async fn register_verify_log_in_and_see_the_account_page(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let browser = Browser::new(&app);
    let email = unique_email("erika");
    let page = browser
        .submit("/register", "/register", &[("name", "Erika Mustermann"), ("email", &email), ("password", PASSWORD)])
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Bitte sehen Sie in Ihr Postfach"), "{}", page.body);

    // Pending until the address is confirmed: even the right password does not log in.
    let page = browser.log_in(&email, PASSWORD).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse"), "{}", page.body);

    let link = mailed_link(&app, &email, AccountMailKind::Verify).await;
    assert!(link.starts_with("/verify/"), "{link}");
    let page = browser.get(&link).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Ihr Konto ist jetzt aktiv"), "{}", page.body);
    // The link is single-use.
    let page = browser.get(&link).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("schon benutzt"), "{}", page.body);

    let login = browser.get("/login?next=/account").await;
    assert!(login.body.contains("name=\"next\" value=\"/account\""), "{}", login.body);
    let page = browser
        .submit("/login?next=/account", "/login", &[("email", &email), ("password", PASSWORD), ("next", "/account")])
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(page.location.as_deref(), Some("/account"));
    let cookie = page.cookie("regiohub_session").expect("a session cookie");
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(attribute), "{cookie} lacks {attribute}");
    }
    assert!(!cookie.contains("Secure"), "plain HTTP in tests: cookie_secure is off: {cookie}");

    let page = browser.get("/account").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("value=\"Erika Mustermann\""), "{}", page.body);
    assert!(page.body.contains(&format!("value=\"{email}\"")));
    assert!(page.body.matches("name=\"csrf_token\"").count() >= 3);
    assert!(page.body.contains("Abmelden"), "the header offers logout");
}

async fn registration_errors_are_shown_next_to_the_fields_and_keep_what_was_typed(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let browser = Browser::new(&app);
    let page = browser
        .submit("/register", "/register", &[("name", "Erika"), ("email", "not-an-address"), ("password", "short")])
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("id=\"email-error\""), "{}", page.body);
    assert!(page.body.contains("id=\"password-error\""));
    assert!(page.body.contains("mindestens 12 Zeichen"));
    assert!(page.body.contains("value=\"Erika\"") && page.body.contains("value=\"not-an-address\""));
    assert!(!page.body.contains("value=\"short\""), "a password is never echoed");
    assert!(page.body.contains("aria-invalid=\"true\""));
    assert!(page.body.contains("<label for=\"email\">"), "labels are tied to their inputs");
}

async fn a_password_reset_link_works_once_and_ends_every_session(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (old_browser, email) = logged_in_member(&app, "reset").await;
    let visitor = Browser::new(&app);
    let page = visitor.submit("/password/forgot", "/password/forgot", &[("email", &email)]).await;
    assert_eq!(page.status, StatusCode::OK);
    let link = mailed_link(&app, &email, AccountMailKind::PasswordReset).await;
    assert!(link.starts_with("/password/reset/"), "{link}");

    let page = visitor.submit(&link, &link, &[("password", "too short")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = visitor.submit(&link, &link, &[("password", "a brand new passphrase")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(page.location.as_deref(), Some("/login?done=reset"));

    // The session from before the reset is over; the old password is too.
    let page = old_browser.get("/account").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    let page = visitor.log_in(&email, PASSWORD).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = visitor.log_in(&email, "a brand new passphrase").await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);

    // Used once; and a new link expires after 24 hours.
    let page = visitor.get(&link).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("schon benutzt"));
    let page = Browser::new(&app).submit("/password/forgot", "/password/forgot", &[("email", &email)]).await;
    assert_eq!(page.status, StatusCode::OK);
    let second = mailed_link(&app, &email, AccountMailKind::PasswordReset).await;
    assert_ne!(second, link);
    app.clock.set(app.clock.now() + chrono::Duration::hours(24));
    let page = visitor.get(&second).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("abgelaufen"), "{}", page.body);
}

async fn an_address_change_applies_only_when_the_new_address_confirms_it(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (browser, email) = logged_in_member(&app, "mover").await;
    let new_email = unique_email("moved");
    let page = browser
        .submit(
            "/account",
            "/account/profile",
            &[("name", "Erika M."), ("email", &new_email), ("locale", "de"), ("email_password", PASSWORD)],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let page = browser.get(page.location.as_deref().unwrap()).await;
    assert!(page.body.contains("Bestätigungslink an die neue Adresse"), "{}", page.body);
    assert!(page.body.contains("value=\"Erika M.\""), "the name applies at once");
    assert!(page.body.contains(&format!("value=\"{email}\"")), "the address does not, yet");

    let link = mailed_link(&app, &new_email, AccountMailKind::ConfirmNewEmail).await;
    let page = Browser::new(&app).get(&link).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let visitor = Browser::new(&app);
    assert_eq!(visitor.log_in(&email, PASSWORD).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(visitor.log_in(&new_email, PASSWORD).await.status, StatusCode::SEE_OTHER);

    // A malformed address is an error next to the field, and nothing changes.
    let page =
        browser.submit("/account", "/account/profile", &[("name", "Erika"), ("email", "x@"), ("locale", "de")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("id=\"email-error\""));
}

async fn changing_the_password_needs_the_current_one_and_ends_other_sessions(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (browser, email) = logged_in_member(&app, "changer").await;
    let other = Browser::new(&app);
    assert_eq!(other.log_in(&email, PASSWORD).await.status, StatusCode::SEE_OTHER);

    let page = browser
        .submit(
            "/account",
            "/account/password",
            &[("current_password", "not my password"), ("new_password", "another long passphrase")],
        )
        .await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("id=\"current_password-error\""), "{}", page.body);

    let page = browser
        .submit(
            "/account",
            "/account/password",
            &[("current_password", PASSWORD), ("new_password", "another long passphrase")],
        )
        .await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(browser.get("/account").await.status, StatusCode::OK, "this session goes on");
    assert_eq!(other.get("/account").await.status, StatusCode::SEE_OTHER, "the other one is over");
    assert_eq!(Browser::new(&app).log_in(&email, "another long passphrase").await.status, StatusCode::SEE_OTHER);
}

async fn tokens_created_on_the_account_page_work_on_the_api_until_revoked(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (browser, _) = logged_in_member(&app, "tokens").await;
    let page = browser.submit("/account", "/account/tokens", &[("token_name", "")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("id=\"token_name-error\""), "{}", page.body);

    let page = browser.submit("/account", "/account/tokens", &[("token_name", "Kalender-App")]).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert_eq!(page.body.matches("class=\"secret\"").count(), 1);
    let secret = page.body.split("<code class=\"secret\">").nth(1).unwrap().split('<').next().unwrap().to_owned();
    assert!(secret.starts_with("rh_"), "{secret}");

    let api = |secret: String| {
        let app = &app;
        async move { app.client.get(app.url("/api/v1/bookings")).bearer_auth(secret).send().await.unwrap().status() }
    };
    assert_eq!(api(secret.clone()).await, StatusCode::OK);

    let page = browser.get("/account").await;
    assert!(page.body.contains("Kalender-App"));
    assert!(!page.body.contains(&secret), "the secret is shown only once");
    assert!(!page.body.contains("noch nie"), "last use is recorded and shown");
    let action = page.body.split("action=\"/account/tokens/").nth(1).unwrap().split('"').next().unwrap().to_owned();
    let page = browser.submit("/account", &format!("/account/tokens/{action}"), &[]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert_eq!(api(secret).await, StatusCode::UNAUTHORIZED);
    assert!(!browser.get("/account").await.body.contains("Kalender-App"));

    // Revoking someone else's token (or an unknown one) is a 404.
    let page = browser.submit("/account", "/account/tokens/no-such-token/revoke", &[]).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
}

async fn the_export_has_profile_bookings_and_tokens_but_no_hash(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let (browser, email) = logged_in_member(&app, "export").await;
    let token = {
        let mut conn = app.conn();
        accounts::create_api_token(&mut UnitOfWork::new(&mut conn), &email, "export test", app.clock.now()).unwrap().1
    };
    let (status, _) =
        app.book(&token, f.desk.id.as_str(), "2026-11-24T09:00:00+01:00", "2026-11-24T11:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED);

    let response = browser.client.get(browser.url("/account/export")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers()["content-disposition"].to_str().unwrap().starts_with("attachment"));
    let text = response.text().await.unwrap();
    let export: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(export["profile"]["email"], email.as_str());
    assert_eq!(export["roles"][0]["role"], "member");
    assert_eq!(export["bookings"][0]["space"], "Desk 1");
    assert_eq!(export["bookings"][0]["start"], "2026-11-24T08:00:00Z");
    assert_eq!(export["api_tokens"][0]["name"], "export test");

    let password_hash: Option<String> =
        users::table.filter(users::email.eq(&email)).select(users::password_hash).first(&mut *app.conn()).unwrap();
    let password_hash = password_hash.unwrap();
    assert!(!text.contains(&password_hash) && !text.contains("$argon2"), "no password hash: {text}");
    assert!(!text.contains(&accounts::token_hash(&token)), "no token hash");
    assert!(!text.contains(&token), "no token");
}

async fn deleting_the_account_anonymises_bookings_and_ends_everything(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let (browser, email) = logged_in_member(&app, "leaver").await;
    let token =
        accounts::create_api_token(&mut UnitOfWork::new(&mut app.conn()), &email, "leaver", app.clock.now()).unwrap().1;
    let (status, booked) =
        app.book(&token, f.desk.id.as_str(), "2026-11-24T09:00:00+01:00", "2026-11-24T11:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED);
    let booking_id = booked["id"].as_str().unwrap().to_owned();

    let page = browser.get("/account/delete").await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Konto endgültig löschen"));
    let page = browser.submit("/account/delete", "/account/delete", &[("password", "wrong password!")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    let page = browser.submit("/account/delete", "/account/delete", &[("password", PASSWORD)]).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Ihr Konto ist gelöscht"));

    let (user_id, status, verifier): (Option<String>, String, Option<String>) = bookings::table
        .find(&booking_id)
        .select((bookings::user_id, bookings::status, bookings::pin_verifier))
        .first(&mut *app.conn())
        .unwrap();
    assert_eq!(user_id, None, "the booking stays, without the person");
    assert_eq!(status, "cancelled", "an upcoming booking opens no door for a deleted person");
    assert_eq!(verifier, None, "and its door PIN is revoked");
    let remaining: i64 = users::table.filter(users::email.eq(&email)).count().get_result(&mut *app.conn()).unwrap();
    assert_eq!(remaining, 0);
    assert_eq!(browser.get("/account").await.status, StatusCode::SEE_OTHER, "the session is gone");
    let status = app.client.get(app.url("/api/v1/bookings")).bearer_auth(&token).send().await.unwrap().status();
    assert_eq!(status, StatusCode::UNAUTHORIZED, "the tokens are gone");
    assert_eq!(Browser::new(&app).log_in(&email, PASSWORD).await.status, StatusCode::UNPROCESSABLE_ENTITY);
}

async fn the_language_switch_works_for_visitors_and_members(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let visitor = Browser::new(&app);
    let page = visitor.submit("/login", "/language", &[("lang", "en"), ("back", "/register")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert_eq!(page.location.as_deref(), Some("/register"));
    assert!(page.cookie("regiohub_lang").unwrap().starts_with("regiohub_lang=en"));
    assert!(visitor.get("/register").await.body.contains("<html lang=\"en\">"));
    // Going back never leaves the site.
    let page = visitor.submit("/login", "/language", &[("lang", "de"), ("back", "//evil.example/")]).await;
    assert_eq!(page.location.as_deref(), Some("/"));

    let (member, email) = logged_in_member(&app, "polyglot").await;
    let page = member.submit("/account", "/language", &[("lang", "en"), ("back", "/account")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert!(member.get("/account").await.body.contains("Your account"));
    let locale: String =
        users::table.filter(users::email.eq(&email)).select(users::locale).first(&mut *app.conn()).unwrap();
    assert_eq!(locale, "en", "stored, so e-mails follow it");

    // Registering in English keeps English for the account and its mails.
    let english = Browser::new(&app);
    english.submit("/login", "/language", &[("lang", "en"), ("back", "/")]).await;
    let new_email = unique_email("english");
    register_and_verify(&app, &english, "Jane Doe", &new_email).await;
    let mails = mails_to(&app, &new_email).await;
    assert_eq!(mails[0].subject, "Please confirm your e-mail address");
    assert!(mails[0].text.starts_with("Hello Jane Doe,"), "{}", mails[0].text);
}
