//! Account hardening over HTTP: whoever does not control a mailbox never gets a password that
//! logs in to its account (registering twice in either order, and a booking made on behalf);
//! a password reset ends personal API tokens and says so; an address change needs the current
//! password and tells the old address.

use regiohub::i18n::{self, Lang};
use regiohub::service::UnitOfWork;
use regiohub::service::accounts::{self, AccountMailKind};
use reqwest::StatusCode;

use crate::browser::{Browser, PASSWORD, logged_in_member, mailed_link, mails_to, unique_email};
use crate::console::ConsoleFixture;
use crate::helpers::{Backend, TestApp};
use crate::mail::ReceivedMail;
use crate::on_both_backends;

on_both_backends!(
    an_intruder_registering_after_the_owner_never_gets_a_password_that_logs_in,
    an_intruder_registering_before_the_owner_never_gets_a_password_that_logs_in,
    registering_an_address_booked_on_behalf_never_takes_the_claimed_account,
    an_intruder_registering_before_a_booking_on_behalf_never_gets_in,
    a_password_reset_ends_api_tokens_and_address_changes_and_tells_the_owner,
    an_address_change_needs_the_current_password_and_tells_the_old_address,
);

const INTRUDER_PASSWORD: &str = "mallorys own password";
const CHOSEN_PASSWORD: &str = "chosen on the link's page";

async fn register(app: &TestApp, name: &str, email: &str, password: &str) {
    let page = Browser::new(app)
        .submit("/register", "/register", &[("name", name), ("email", email), ("password", password)])
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Bitte sehen Sie in Ihr Postfach"), "the same answer every time: {}", page.body);
}

/// Opens a verification link that asks for a password and chooses one.
async fn choose_password_on(browser: &Browser, link: &str) {
    let page = browser.get(link).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains(&format!("action=\"{link}\"")), "the link's page asks for a password: {}", page.body);
    let page = browser.submit(link, link, &[("password", "too short")]).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("id=\"password-error\""), "{}", page.body);
    let page = browser.submit(link, link, &[("password", CHOSEN_PASSWORD)]).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Ihr Konto ist jetzt aktiv"), "{}", page.body);
    assert_eq!(browser.get(link).await.status, StatusCode::UNPROCESSABLE_ENTITY, "the link works once");
}

/// The link of the newest mail to `email` that has a verification link, whatever its kind.
async fn newest_verify_link(app: &TestApp, email: &str) -> String {
    let mails = mails_to(app, email).await;
    let mail = mails.iter().rev().find(|m| m.text.contains("/verify/")).expect("a verification mail");
    link_in(app, mail, "/verify/")
}

async fn logs_in(app: &TestApp, email: &str, password: &str) -> bool {
    let page = Browser::new(app).log_in(email, password).await;
    page.status == StatusCode::SEE_OTHER
}

async fn an_intruder_registering_after_the_owner_never_gets_a_password_that_logs_in(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let email = unique_email("owner-first");
    register(&app, "Erika", &email, PASSWORD).await;
    let owners_link = mailed_link(&app, &email, AccountMailKind::Verify).await;
    register(&app, "Mallory", &email, INTRUDER_PASSWORD).await;
    let newest = newest_verify_link(&app, &email).await;
    assert_eq!(newest, mailed_link(&app, &email, AccountMailKind::VerifyChoosePassword).await);

    let owner = Browser::new(&app);
    assert_eq!(owner.get(&owners_link).await.status, StatusCode::UNPROCESSABLE_ENTITY, "older links stop");
    assert!(!logs_in(&app, &email, INTRUDER_PASSWORD).await);
    choose_password_on(&owner, &newest).await;
    assert!(!logs_in(&app, &email, INTRUDER_PASSWORD).await, "the second registration set no password");
    assert!(!logs_in(&app, &email, PASSWORD).await, "no password chosen at registration counts");
    assert!(logs_in(&app, &email, CHOSEN_PASSWORD).await);
    let page = owner.log_in(&email, CHOSEN_PASSWORD).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER);
    assert!(owner.get("/account").await.body.contains("value=\"Erika\""), "nor a name");
}

async fn an_intruder_registering_before_the_owner_never_gets_a_password_that_logs_in(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let email = unique_email("intruder-first");
    register(&app, "Mallory", &email, INTRUDER_PASSWORD).await;
    let intruders_link = mailed_link(&app, &email, AccountMailKind::Verify).await;
    register(&app, "Erika", &email, PASSWORD).await;
    let newest = newest_verify_link(&app, &email).await;
    let mails = mails_to(&app, &email).await;
    assert_eq!(mails.len(), 2, "the mailbox hears of both registrations");
    assert!(mails[1].text.contains("Passwort"), "{}", mails[1].text);

    let owner = Browser::new(&app);
    assert_eq!(owner.get(&intruders_link).await.status, StatusCode::UNPROCESSABLE_ENTITY);
    choose_password_on(&owner, &newest).await;
    assert!(!logs_in(&app, &email, INTRUDER_PASSWORD).await, "the intruder's password is gone");
    assert!(!logs_in(&app, &email, PASSWORD).await);
    assert!(logs_in(&app, &email, CHOSEN_PASSWORD).await);
}

const NEW_BOOKING: &str = "/console/hubs/testhub/bookings/new";

/// A manager books for `email` (a new address makes a pending account); returns the claim link
/// from the confirmation mail.
async fn book_on_behalf(app: &TestApp, console: &ConsoleFixture, email: &str, from: &str, to: &str) -> String {
    let fields = [
        ("email", email),
        ("name", "Walk In"),
        ("lang", "de"),
        ("space", console.fixture.desk.id.as_str()),
        ("date", "2026-11-23"),
        ("from", from),
        ("to", to),
    ];
    let page = console.manager.submit(NEW_BOOKING, NEW_BOOKING, &fields).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let mails = mails_to(app, email).await;
    let mail = mails.iter().rev().find(|m| m.text.contains("/password/reset/")).expect("a claim link");
    link_in(app, mail, "/password/reset/")
}

fn link_in(app: &TestApp, mail: &ReceivedMail, path: &str) -> String {
    let base = app.state.settings.public_url.trim_end_matches('/');
    let start = mail.text.find(&format!("{base}{path}")).unwrap_or_else(|| panic!("no {path} in {}", mail.text));
    mail.text[start..].split_whitespace().next().unwrap()[base.len()..].to_owned()
}

async fn registering_an_address_booked_on_behalf_never_takes_the_claimed_account(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let email = unique_email("walkin");
    let claim = book_on_behalf(&app, &console, &email, "09:00", "12:00").await;
    register(&app, "Mallory", &email, INTRUDER_PASSWORD).await;
    assert!(!logs_in(&app, &email, INTRUDER_PASSWORD).await);

    // The walk-in confirms with the newest mail in their mailbox: it asks for their own
    // password instead of activating the registrant's.
    let walkin = Browser::new(&app);
    choose_password_on(&walkin, &newest_verify_link(&app, &email).await).await;
    assert!(!logs_in(&app, &email, INTRUDER_PASSWORD).await, "the registration set no password");
    assert!(logs_in(&app, &email, CHOSEN_PASSWORD).await);
    // The claim link from the booking still lets the mailbox's owner choose a password.
    let page = walkin.submit(&claim, &claim, &[("password", "claimed after all")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    assert!(!logs_in(&app, &email, INTRUDER_PASSWORD).await);
    assert!(logs_in(&app, &email, "claimed after all").await);
}

async fn an_intruder_registering_before_a_booking_on_behalf_never_gets_in(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let console = ConsoleFixture::new(&app).await;
    let email = unique_email("walkin-late");
    register(&app, "Mallory", &email, INTRUDER_PASSWORD).await;
    let registration_link = mailed_link(&app, &email, AccountMailKind::Verify).await;
    book_on_behalf(&app, &console, &email, "13:00", "15:00").await;

    // The walk-in follows the first mail in their mailbox: it asks for their own password
    // instead of activating the intruder's.
    let walkin = Browser::new(&app);
    choose_password_on(&walkin, &registration_link).await;
    assert!(!logs_in(&app, &email, INTRUDER_PASSWORD).await);
    assert!(logs_in(&app, &email, CHOSEN_PASSWORD).await);
}

async fn a_password_reset_ends_api_tokens_and_address_changes_and_tells_the_owner(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (browser, email) = logged_in_member(&app, "token-reset").await;
    let (_, token) =
        accounts::create_api_token(&mut UnitOfWork::new(&mut app.conn()), &email, "Kalender", app.clock.now()).unwrap();
    let api = |secret: String| {
        let app = &app;
        async move { app.client.get(app.url("/api/v1/bookings")).bearer_auth(secret).send().await.unwrap().status() }
    };
    assert_eq!(api(token.clone()).await, StatusCode::OK);
    let new_email = unique_email("elsewhere");
    let fields = [("name", "Erika"), ("email", new_email.as_str()), ("locale", "de"), ("email_password", PASSWORD)];
    let page = browser.submit("/account", "/account/profile", &fields).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    let change_link = mailed_link(&app, &new_email, AccountMailKind::ConfirmNewEmail).await;

    let visitor = Browser::new(&app);
    visitor.submit("/password/forgot", "/password/forgot", &[("email", &email)]).await;
    let reset = mailed_link(&app, &email, AccountMailKind::PasswordReset).await;
    let page = visitor.submit(&reset, &reset, &[("password", "a brand new passphrase")]).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);

    assert_eq!(api(token.clone()).await, StatusCode::UNAUTHORIZED, "the token ended with the reset");
    assert_eq!(visitor.get(&change_link).await.status, StatusCode::UNPROCESSABLE_ENTITY, "so did the change");
    assert!(logs_in(&app, &email, "a brand new passphrase").await);
    assert!(!logs_in(&app, &new_email, "a brand new passphrase").await);

    let subject = i18n::t(Lang::De, AccountMailKind::PasswordResetDone.subject_key());
    let mails = mails_to(&app, &email).await;
    let done = mails.iter().find(|m| m.subject == subject).expect("a mail saying the reset happened");
    for part in [&done.text, &done.html] {
        assert!(part.contains("Ihr persönliches API-Token"), "{part}");
        assert!(!part.contains(&token), "no secret in the mail");
    }
    assert!(done.text.contains("/account"), "{}", done.text);
}

async fn an_address_change_needs_the_current_password_and_tells_the_old_address(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (browser, email) = logged_in_member(&app, "mover").await;
    let new_email = unique_email("moved");
    let change = |password: &'static str| {
        let (browser, new_email) = (&browser, new_email.clone());
        async move {
            let fields = [("name", "Erika N."), ("email", new_email.as_str()), ("locale", "en")];
            let mut fields = fields.to_vec();
            if !password.is_empty() {
                fields.push(("email_password", password));
            }
            browser.submit("/account", "/account/profile", &fields).await
        }
    };

    for password in ["", "not my password"] {
        let page = change(password).await;
        assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", page.body);
        assert!(page.body.contains("id=\"email_password-error\""), "{}", page.body);
        assert!(page.body.contains("value=\"Erika N.\""), "what was typed stays");
        assert!(browser.get("/account").await.body.contains("value=\"Erika Mustermann\""), "nothing applied");
        assert!(mails_to(&app, &new_email).await.is_empty(), "no link without the password");
    }
    let page = change(PASSWORD).await;
    assert_eq!(page.status, StatusCode::SEE_OTHER, "{}", page.body);
    mailed_link(&app, &new_email, AccountMailKind::ConfirmNewEmail).await;

    let subject = i18n::t(Lang::En, AccountMailKind::EmailChangeRequested.subject_key());
    let mails = mails_to(&app, &email).await;
    let notice = mails.iter().find(|m| m.subject == subject).expect("the old address is told, in English");
    for part in [&notice.text, &notice.html] {
        assert!(part.contains("m…@e….org"), "the new address, masked: {part}");
        assert!(!part.contains(&new_email) && !part.contains(new_email.split('@').next().unwrap()), "{part}");
    }
    assert!(notice.text.contains("/password/forgot"), "{}", notice.text);
}
