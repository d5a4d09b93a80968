//! E-mails as a member receives them: the confirmation with its PIN and calendar entry, the
//! cancellation that removes the entry, retries when the mail server is down, no PIN left in the
//! database once sent, the reminder, and the member's language. Mails are read back from the
//! memory transport and parsed with independent crates (mail-parser for MIME, ical for RFC 5545).

use std::io::BufReader;

use diesel::prelude::*;
use mail_parser::{MessageParser, MimeHeaders};
use regiohub::config::{MailTransport, SmtpSecurity};
use regiohub::db::outbox::{self, OutboxRow};
use regiohub::domain::ids::BookingId;
use regiohub::jobs;
use regiohub::mail::SentMail;
use reqwest::StatusCode;

use crate::helpers::{Backend, TestApp, utc};
use crate::on_both_backends;

on_both_backends!(
    confirmation_and_cancellation_mails_carry_the_pin_and_one_calendar_entry,
    no_pin_is_left_in_the_database_once_the_mail_is_sent,
    a_failing_mail_server_never_fails_the_booking_and_the_mail_is_retried,
    an_unreachable_smtp_server_is_retried_later,
    mail_is_in_the_members_language,
    the_reminder_is_written_once,
    the_mail_job_wakes_when_a_mail_is_queued,
);

/// A mail as the member's mail program sees it.
pub struct ReceivedMail {
    pub to: Vec<String>,
    pub subject: String,
    pub text: String,
    pub html: String,
    /// (content type's `method` parameter, the calendar file)
    pub calendar: Option<(String, String)>,
}

pub fn parse(sent: &SentMail) -> ReceivedMail {
    let message = MessageParser::default().parse(&sent.raw).expect("a MIME message");
    assert_eq!(message.text_body_count(), 1, "one text part");
    assert_eq!(message.html_body_count(), 1, "one HTML part");
    let text = message.body_text(0).unwrap().into_owned();
    let html_part = message.html_part(0).unwrap();
    assert_eq!(html_part.content_type().unwrap().subtype(), Some("html"));
    let html = message.body_html(0).unwrap().into_owned();
    let calendar = message.attachments().find_map(|part| {
        let content_type = part.content_type()?;
        (content_type.ctype() == "text" && content_type.subtype() == Some("calendar")).then(|| {
            (
                content_type.attribute("method").unwrap_or_default().to_owned(),
                String::from_utf8(part.contents().to_vec()).unwrap(),
            )
        })
    });
    ReceivedMail {
        to: sent.to.clone(),
        subject: message.subject().unwrap_or_default().to_owned(),
        text,
        html,
        calendar,
    }
}

/// Properties of a calendar component as (name, value) pairs.
pub type Properties = Vec<(String, String)>;

/// The one event of a calendar file, parsed by the `ical` crate: (calendar properties, event
/// properties).
pub fn parse_calendar(ics: &str) -> (Properties, Properties) {
    let mut calendars = ical::IcalParser::new(BufReader::new(ics.as_bytes()));
    let calendar = calendars.next().expect("one calendar").expect("a valid calendar");
    assert!(calendars.next().is_none(), "exactly one calendar");
    assert_eq!(calendar.events.len(), 1, "exactly one event");
    let pairs = |props: &[ical::property::Property]| {
        props.iter().map(|p| (p.name.clone(), p.value.clone().unwrap_or_default())).collect::<Vec<_>>()
    };
    (pairs(&calendar.properties), pairs(&calendar.events[0].properties))
}

pub fn value<'a>(props: &'a [(String, String)], name: &str) -> &'a str {
    props.iter().find(|(n, _)| n == name).map_or_else(|| panic!("no {name} in {props:?}"), |(_, v)| v.as_str())
}

impl TestApp {
    pub fn mailbox(&self) -> Vec<SentMail> {
        self.state.mailer.memory_mailbox().expect("tests use the memory transport").messages()
    }

    /// Runs the mail job once, as the background job would.
    pub async fn send_mail(&self) {
        jobs::send_due_mail(&self.state).await.unwrap();
    }

    pub fn outbox(&self) -> Vec<OutboxRow> {
        outbox::list_all(&mut self.conn()).unwrap()
    }
}

async fn confirmation_and_cancellation_mails_carry_the_pin_and_one_calendar_entry(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let (status, booking) =
        app.book(&f.alice_token, f.desk.id.as_str(), "2026-11-24T10:00:00+01:00", "2026-11-24T12:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED, "{booking}");
    let pin = booking["pin"].as_str().expect("a confirmed booking answers with its PIN").to_owned();
    assert!(pin.len() == 6 && pin.bytes().all(|b| b.is_ascii_digit()), "{pin}");
    let id = booking["id"].as_str().unwrap().to_owned();

    app.send_mail().await;
    let mails = app.mailbox();
    assert_eq!(mails.len(), 1);
    let confirmation = parse(&mails[0]);
    assert_eq!(confirmation.to, ["alice@example.org"]);
    assert!(confirmation.subject.starts_with("Buchung bestätigt: Desk 1"), "{}", confirmation.subject);
    for part in [&confirmation.text, &confirmation.html] {
        assert!(part.contains(&pin), "the PIN is in every part: {part}");
        assert!(part.contains("Hauptstraße 1") && part.contains("Di., 24.11.2026, 10:00–12:00 Uhr"), "{part}");
        assert!(part.contains(&format!("/bookings/{id}")), "{part}");
    }
    assert!(confirmation.text.contains("ab Di., 24.11.2026, 09:45 Uhr"), "grace of 15 minutes: {}", confirmation.text);
    let (method, ics) = confirmation.calendar.expect("a calendar attachment");
    assert_eq!(method, "REQUEST");
    let (calendar, event) = parse_calendar(&ics);
    assert_eq!(value(&calendar, "METHOD"), "REQUEST");
    assert_eq!(value(&calendar, "VERSION"), "2.0");
    let uid = value(&event, "UID").to_owned();
    assert_eq!(uid, format!("{id}@127.0.0.1"));
    assert_eq!(value(&event, "DTSTART"), "20261124T090000Z");
    assert_eq!(value(&event, "DTEND"), "20261124T110000Z");
    assert!(value(&event, "LOCATION").contains("Hauptstraße 1") && value(&event, "LOCATION").contains("Teststadt"));
    assert_eq!(value(&event, "SEQUENCE"), "0");
    assert_eq!(value(&event, "STATUS"), "CONFIRMED");
    assert!(value(&event, "ORGANIZER").starts_with("mailto:"));
    assert!(!ics.contains(&pin), "the PIN never goes into the calendar");

    let (status, _) = app.delete(&format!("/api/v1/bookings/{id}"), &f.alice_token).await;
    assert_eq!(status, StatusCode::OK);
    app.send_mail().await;
    let mails = app.mailbox();
    assert_eq!(mails.len(), 2);
    let cancellation = parse(&mails[1]);
    assert!(cancellation.subject.starts_with("Buchung storniert: Desk 1"), "{}", cancellation.subject);
    assert!(!cancellation.text.contains(&pin) && !cancellation.html.contains(&pin));
    let (method, ics) = cancellation.calendar.expect("a calendar attachment");
    assert_eq!(method, "CANCEL");
    let (calendar, event) = parse_calendar(&ics);
    assert_eq!(value(&calendar, "METHOD"), "CANCEL");
    assert_eq!(value(&event, "UID"), uid, "the same entry is removed");
    assert!(value(&event, "SEQUENCE").parse::<u32>().unwrap() > 0, "SEQUENCE is raised");
    assert_eq!(value(&event, "STATUS"), "CANCELLED");
    assert_eq!(value(&event, "DTSTART"), "20261124T090000Z");

    // Cancelling again changes nothing and sends nothing.
    let (status, _) = app.delete(&format!("/api/v1/bookings/{id}"), &f.alice_token).await;
    assert_eq!(status, StatusCode::OK);
    app.send_mail().await;
    assert_eq!(app.mailbox().len(), 2);
}

async fn no_pin_is_left_in_the_database_once_the_mail_is_sent(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    // Hold the mail back so the test can see it waiting with the PIN in it first.
    app.state.mailer.memory_mailbox().unwrap().refuse_next(1);
    let (status, booking) =
        app.book(&f.alice_token, f.desk.id.as_str(), "2026-11-24T10:00:00+01:00", "2026-11-24T12:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED);
    let pin = booking["pin"].as_str().unwrap().to_owned();
    app.send_mail().await;
    let waiting = app.outbox();
    assert_eq!(waiting.len(), 1);
    assert!(waiting[0].sent_at.is_none());
    assert!(waiting[0].text_body.contains(&pin), "until it is sent, the mail waits with its PIN");

    app.clock.set(app.clock.now() + chrono::Duration::minutes(1));
    app.send_mail().await;
    assert_eq!(app.mailbox().len(), 1);
    let rows = app.outbox();
    assert_eq!(rows.len(), 1);
    let row = &rows[0];
    assert!(row.sent_at.is_some());
    for stored in [&row.subject, &row.text_body, &row.html_body, row.ics.as_ref().unwrap_or(&String::new())] {
        assert!(!stored.contains(&pin), "the PIN must be gone from the outbox: {stored}");
    }
    assert!(row.text_body.is_empty() && row.html_body.is_empty() && row.ics.is_none());
    // The booking keeps only the keyed hash.
    let id = BookingId::new(booking["id"].as_str().unwrap());
    let verifier = regiohub::db::pins::pin_verifier(&mut app.conn(), &id).unwrap().unwrap();
    assert!(!verifier.contains(&pin));
    assert_eq!(verifier, regiohub::service::pin::verifier_for(&app.state.context, &f.hub.id, &pin));
}

async fn a_failing_mail_server_never_fails_the_booking_and_the_mail_is_retried(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    app.state.mailer.memory_mailbox().unwrap().refuse_next(2);
    let (status, _) =
        app.book(&f.alice_token, f.desk.id.as_str(), "2026-11-24T10:00:00+01:00", "2026-11-24T12:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED, "a mail failure never fails the booking");

    app.send_mail().await;
    let row = app.outbox().remove(0);
    assert_eq!((row.attempts, row.sent_at), (1, None));
    assert_eq!(row.last_error.as_deref(), Some("the test mailbox refused the message"));
    assert_eq!(
        row.next_attempt_at,
        (app.clock.now() + chrono::Duration::minutes(1)).naive_utc(),
        "first retry after a minute"
    );
    assert!(app.mailbox().is_empty());

    // Not due yet: running the job again does not try again.
    app.send_mail().await;
    assert_eq!(app.outbox()[0].attempts, 1);

    app.clock.set(app.clock.now() + chrono::Duration::minutes(1));
    app.send_mail().await;
    let row = app.outbox().remove(0);
    assert_eq!((row.attempts, row.sent_at), (2, None));
    assert_eq!(row.next_attempt_at, (app.clock.now() + chrono::Duration::minutes(2)).naive_utc(), "then after two");

    app.clock.set(app.clock.now() + chrono::Duration::minutes(2));
    app.send_mail().await;
    let row = app.outbox().remove(0);
    assert_eq!(row.attempts, 3);
    assert!(row.sent_at.is_some() && row.last_error.is_none());
    assert_eq!(app.mailbox().len(), 1, "delivered exactly once");
}

async fn an_unreachable_smtp_server_is_retried_later(backend: Backend) {
    // A port that was free a moment ago: nothing listens there.
    let closed_port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let app = TestApp::spawn_with(backend, |settings| {
        settings.mail.transport = MailTransport::Smtp;
        settings.mail.smtp_host = "127.0.0.1".into();
        settings.mail.smtp_port = closed_port;
        settings.mail.smtp_security = SmtpSecurity::None;
        settings.mail.max_attempts = 3;
    })
    .await;
    let f = app.fixture();
    let (status, booking) =
        app.book(&f.alice_token, f.desk.id.as_str(), "2026-11-24T10:00:00+01:00", "2026-11-24T12:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED);
    assert!(booking["pin"].is_string());
    app.send_mail().await;
    let row = app.outbox().remove(0);
    assert_eq!((row.attempts, row.sent_at, row.failed_at), (1, None, None));
    let error = row.last_error.unwrap();
    assert!(error.contains("could not be reached"), "{error}");
    assert!(!error.contains("alice"), "errors never name the recipient: {error}");

    // After the last allowed try the mail is given up, and its PIN with it.
    for minutes in [1, 2] {
        app.clock.set(app.clock.now() + chrono::Duration::minutes(minutes));
        app.send_mail().await;
    }
    let row = app.outbox().remove(0);
    assert_eq!(row.attempts, 3);
    assert!(row.failed_at.is_some() && row.sent_at.is_none());
    assert!(row.text_body.is_empty() && row.html_body.is_empty() && row.ics.is_none());
}

async fn mail_is_in_the_members_language(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    {
        use regiohub::db::schema::users;
        diesel::update(users::table.filter(users::email.eq("alice@example.org")))
            .set(users::locale.eq("en"))
            .execute(&mut *app.conn())
            .unwrap();
    }
    let (status, _) =
        app.book(&f.alice_token, f.desk.id.as_str(), "2026-11-24T10:00:00+01:00", "2026-11-24T12:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED);
    let (status, _) =
        app.book(&f.bob_token, f.desk2.id.as_str(), "2026-11-24T10:00:00+01:00", "2026-11-24T12:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED);
    app.send_mail().await;
    let mails: Vec<_> = app.mailbox().iter().map(parse).collect();
    let alice = mails.iter().find(|m| m.to == ["alice@example.org"]).unwrap();
    assert!(alice.subject.starts_with("Booking confirmed: Desk 1, Tue, 24 Nov 2026, 10:00–12:00"), "{}", alice.subject);
    assert!(alice.text.contains("Hello Test Member,") && alice.text.contains("Your door PIN"), "{}", alice.text);
    assert!(alice.html.contains("lang=\"en\""));
    let bob = mails.iter().find(|m| m.to == ["bob@example.org"]).unwrap();
    assert!(
        bob.subject.starts_with("Buchung bestätigt: Desk 2, Di., 24.11.2026"),
        "German by default: {}",
        bob.subject
    );
    assert!(bob.text.contains("Guten Tag Test Member,") && bob.text.contains("Ihre Tür-PIN"), "{}", bob.text);
    assert!(bob.html.contains("lang=\"de\""));
}

async fn the_reminder_is_written_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    // Booked on Monday for Thursday: reminded on Wednesday, 24 hours before.
    let (status, early) =
        app.book(&f.alice_token, f.desk.id.as_str(), "2026-11-26T10:00:00+01:00", "2026-11-26T12:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(jobs::send_reminders(&app.state).await.unwrap(), 0, "too early");

    app.clock.set(utc("2026-11-25T09:30:00Z"));
    // Booked less than a day ahead: the confirmation is fresh, no reminder.
    let (status, late) =
        app.book(&f.bob_token, f.desk2.id.as_str(), "2026-11-26T08:00:00+01:00", "2026-11-26T09:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED);
    jobs::send_reminders(&app.state).await.unwrap();
    jobs::send_reminders(&app.state).await.unwrap();
    app.clock.set(utc("2026-11-26T08:30:00Z"));
    jobs::send_reminders(&app.state).await.unwrap();
    app.send_mail().await;

    let reminders: Vec<_> = app.mailbox().iter().map(parse).filter(|m| m.subject.starts_with("Erinnerung")).collect();
    assert_eq!(reminders.len(), 1, "exactly one reminder");
    assert_eq!(reminders[0].to, ["alice@example.org"]);
    assert!(reminders[0].subject.contains("Desk 1, Do., 26.11.2026, 10:00–12:00 Uhr"), "{}", reminders[0].subject);
    assert!(reminders[0].text.contains(&format!("/bookings/{}", early["id"].as_str().unwrap())));
    assert!(reminders[0].calendar.is_none());
    assert!(late["id"].is_string());
}

async fn the_mail_job_wakes_when_a_mail_is_queued(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let (status, _) =
        app.book(&f.alice_token, f.desk.id.as_str(), "2026-11-24T10:00:00+01:00", "2026-11-24T12:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED);
    // No pass by hand: the background job must deliver on its own, well before its 30-second tick.
    for _ in 0..100 {
        if !app.mailbox().is_empty() {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(app.mailbox().len(), 1, "the job was woken by the queued mail");
}
