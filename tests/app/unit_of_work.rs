//! The unit of work: what a use case changed (door access, a queued mail) is announced after its
//! transaction commits, not when a step that recorded it is rolled back, and also when the work
//! ran on a thread of its own.

use std::pin::pin;
use std::sync::{Arc, Mutex};

use diesel::Connection;
use diesel::connection::InstrumentationEvent;
use futures::FutureExt;
use regiohub::db::users::find_user_by_email;
use regiohub::domain::ids::{BookingId, HubId};
use regiohub::domain::vocabulary::BookingStatus;
use regiohub::service::booking::{BookingTime, NewBookingRequest};
use regiohub::service::{ErrorCode, ServiceError, UnitOfWork, booking};
use reqwest::StatusCode;

use crate::helpers::{Backend, TestApp, default_now, utc};
use crate::mail::parse;
use crate::on_both_backends;

on_both_backends!(
    a_cancellation_rolled_back_by_a_later_step_wakes_no_bridge_and_queues_no_mail,
    a_cancellation_run_on_another_thread_still_wakes_the_bridge_and_the_mail_job,
    a_booking_reads_its_space_and_hub_once,
);

/// Books Alice's desk; returns the hub's and the booking's id.
async fn alices_booking(app: &TestApp) -> (HubId, BookingId) {
    let f = app.fixture();
    let (status, booking) =
        app.book(&f.alice_token, f.desk.id.as_str(), "2026-11-24T10:00:00+01:00", "2026-11-24T12:00:00+01:00").await;
    assert_eq!(status, StatusCode::CREATED, "{booking}");
    (f.hub.id, BookingId::new(booking["id"].as_str().unwrap()))
}

async fn a_cancellation_rolled_back_by_a_later_step_wakes_no_bridge_and_queues_no_mail(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (hub_id, booking_id) = alices_booking(&app).await;
    let mails_before = app.outbox().len();
    let signal = app.state.hub_signals.of(&hub_id);
    let mut bridge_wait = pin!(signal.notified());
    bridge_wait.as_mut().enable();

    let (ctx, id) = (app.state.context.clone(), booking_id.clone());
    app.state
        .db(move |tx| {
            let alice = find_user_by_email(tx, "alice@example.org")?.ok_or(ServiceError::NotFound)?;
            let refused = tx.write_transaction(|tx| {
                // Revokes the PIN and queues the cancellation mail: both recorded on the unit of work.
                booking::cancel_own_booking(tx, &ctx, &alice, &id, default_now())?;
                Err::<(), _>(ServiceError::Conflict {
                    code: ErrorCode::SlotTaken,
                    message: "a later step refused".into(),
                })
            });
            assert!(refused.is_err());
            Ok(())
        })
        .await
        .unwrap();

    assert!(bridge_wait.as_mut().now_or_never().is_none(), "no bridge is told of a change that was rolled back");
    assert_eq!(app.outbox().len(), mails_before, "no cancellation mail is queued");
    let stored = regiohub::db::access::find_booking(&mut app.conn(), &booking_id).unwrap().unwrap();
    assert_eq!(stored.status, BookingStatus::Confirmed, "the booking is untouched");

    // The same cancellation, committed, is announced.
    let (ctx, id) = (app.state.context.clone(), booking_id.clone());
    app.state
        .db(move |tx| {
            let alice = find_user_by_email(tx, "alice@example.org")?.ok_or(ServiceError::NotFound)?;
            booking::cancel_own_booking(tx, &ctx, &alice, &id, default_now())
        })
        .await
        .unwrap();
    assert!(bridge_wait.as_mut().now_or_never().is_some(), "the hub's waiting bridge is woken after the commit");
}

async fn a_cancellation_run_on_another_thread_still_wakes_the_bridge_and_the_mail_job(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (hub_id, booking_id) = alices_booking(&app).await;
    // The confirmation first, so that the next mail can only come from the cancellation.
    wait_for_mails(&app, 1).await;
    let signal = app.state.hub_signals.of(&hub_id);
    let mut bridge_wait = pin!(signal.notified());
    bridge_wait.as_mut().enable();

    let ctx = app.state.context.clone();
    app.state
        .db(move |tx| {
            let alice = find_user_by_email(tx, "alice@example.org")?.ok_or(ServiceError::NotFound)?;
            std::thread::scope(|threads| {
                threads
                    .spawn(|| booking::cancel_own_booking(tx, &ctx, &alice, &booking_id, default_now()))
                    .join()
                    .unwrap()
            })
        })
        .await
        .unwrap();

    assert!(bridge_wait.as_mut().now_or_never().is_some(), "the access change made on another thread is announced");
    // No pass of the mail job by hand: only the wake-up brings the cancellation before its tick.
    wait_for_mails(&app, 2).await;
    let cancellation = parse(&app.mailbox()[1]);
    assert!(cancellation.subject.starts_with("Buchung storniert"), "{}", cancellation.subject);
}

/// Waits (at most ten seconds, far less than the mail job's 30-second tick) until the mail job
/// has delivered `count` mails.
async fn wait_for_mails(app: &TestApp, count: usize) {
    for _ in 0..100 {
        if app.mailbox().len() >= count {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(app.mailbox().len(), count, "the mail job was woken");
}

async fn a_booking_reads_its_space_and_hub_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let f = app.fixture();
    let alice = find_user_by_email(&mut app.conn(), "alice@example.org").unwrap().unwrap();
    let bob = find_user_by_email(&mut app.conn(), "bob@example.org").unwrap().unwrap();
    let mut conn = app.conn();
    // The statements one booking sends (bind parameters left as placeholders).
    let mut book = |who: &regiohub::db::users::User, start: &str, end: &str| {
        let request = NewBookingRequest {
            space_id: f.desk.id.clone(),
            start: BookingTime::Instant(utc(start)),
            end: BookingTime::Instant(utc(end)),
        };
        let statements = Arc::new(Mutex::new(Vec::new()));
        let seen = statements.clone();
        conn.set_instrumentation(move |event: InstrumentationEvent<'_>| {
            if let InstrumentationEvent::StartQuery { query, .. } = event {
                seen.lock().unwrap().push(query.to_string().replace(['`', '"'], ""));
            }
        });
        let created = booking::create_booking(
            &mut UnitOfWork::new(&mut conn),
            &app.state.context,
            who,
            &request,
            None,
            default_now(),
        );
        // The connection goes back to the pool as it came.
        conn.set_instrumentation(|_: InstrumentationEvent<'_>| {});
        assert!(created.unwrap().pin.is_some(), "a confirmed booking with its PIN and confirmation mail");
        Arc::try_unwrap(statements).unwrap().into_inner().unwrap()
    };
    // Row locks (PostgreSQL's `FOR UPDATE`) are not reads of the row's values.
    let reads = |statements: &[String], from: &str| {
        statements.iter().filter(|sql| sql.contains(from) && !sql.contains("FOR UPDATE")).count()
    };

    // The first booking after the fixture was written loads the catalogue once: every space in
    // one statement, none looked up one by one. ("FROM spaces " with its space: the table, not
    // `spaces_asking_purpose`, whose flag a booking reads by itself.)
    let first = book(&alice, "2026-11-24T09:00:00Z", "2026-11-24T10:00:00Z");
    assert_eq!(reads(&first, "FROM catalogue_version"), 1, "{first:#?}");
    assert_eq!(reads(&first, "FROM spaces "), 1, "the spaces are read once, with the catalogue: {first:#?}");
    assert_eq!(reads(&first, "FROM spaces WHERE"), 0, "{first:#?}");
    // The hub's PIN grace period is read under the hub's PIN lock, live.
    assert_eq!(reads(&first, "FROM hubs WHERE"), 1, "{first:#?}");
    // The next booking takes space and hub from the kept catalogue: one read of its version.
    let second = book(&bob, "2026-11-24T12:00:00Z", "2026-11-24T13:00:00Z");
    assert_eq!(reads(&second, "FROM catalogue_version"), 1, "{second:#?}");
    assert_eq!(reads(&second, "FROM spaces "), 0, "{second:#?}");
    assert_eq!(reads(&second, "FROM hubs WHERE"), 1, "{second:#?}");
}

/// On SQLite the service writes only through its one writer: the pool its requests read on
/// refuses to write, so a write that went around the writer would fail in every test.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_services_sqlite_pool_refuses_to_write() {
    use diesel::RunQueryDsl;
    let app = TestApp::spawn(Backend::Sqlite).await;
    app.fixture();
    let mut reader = app.state.pool.get().unwrap();
    let refused = diesel::sql_query("UPDATE hubs SET name = 'Umbenannt'").execute(&mut *reader);
    let message = refused.expect_err("the pool refuses to write").to_string();
    assert!(message.contains("readonly"), "{message}");
    assert!(app.state.writer.is_some(), "and the service has its writer");
}
