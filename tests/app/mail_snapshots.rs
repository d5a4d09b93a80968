//! Every mail the service writes, rendered whole (subject, text and HTML part) in German and
//! English through the same `render` the use cases call, compared with the snapshots in
//! `snapshots/`. A `contains(…)` check misses a lost line break, a doubled greeting or a broken
//! table in the HTML part; a snapshot shows it. The inputs are fixed, so nothing needs redacting.
//!
//! After a deliberate change to a mail: `cargo insta review` (or `INSTA_UPDATE=always cargo test
//! --test app mail_snapshots`) and commit the changed `.snap` files with it.

use regiohub::domain::vocabulary::AlarmKind;
use regiohub::i18n::Lang;
use regiohub::mail::approval_messages::{ApprovalRequestedMail, RequestReceivedMail};
use regiohub::mail::booking_change_messages::{BookingUpdate, BookingUpdatedMail};
use regiohub::mail::console_messages::BookingDeclinedMail;
use regiohub::mail::facts::{BookingFacts, RenderedMail};
use regiohub::mail::messages::{
    BookingCancelledMail, BookingConfirmedMail, BookingNoShowMail, BookingReminderMail, DoorAlarmMail,
    PasswordResetMail, VerificationMail,
};

/// A booking as the booking mails show it, in `lang`; the space's name has characters the HTML
/// part must escape.
fn booking(lang: Lang) -> BookingFacts {
    BookingFacts {
        space: "Arbeitsplatz <2> & Fenster".into(),
        hub: "RegioHub Polch – @Viedel".into(),
        address: "Bachstraße 1, 56751 Polch".into(),
        when: match lang {
            Lang::De => "Di., 24.11.2026, 09:00–12:00".into(),
            Lang::En => "Tue, 24 Nov 2026, 09:00–12:00".into(),
        },
        booking_url: "https://buchen.example/bookings/b1?x=1&y=2".into(),
    }
}

/// The same booking before it was moved.
fn earlier_booking(lang: Lang) -> BookingFacts {
    BookingFacts {
        space: "Arbeitsplatz 1".into(),
        when: match lang {
            Lang::De => "Mo., 23.11.2026, 14:00–16:00".into(),
            Lang::En => "Mon, 23 Nov 2026, 14:00–16:00".into(),
        },
        ..booking(lang)
    }
}

/// The latest moment of a decision, as the approval mails show it.
fn decide_by(lang: Lang) -> String {
    match lang {
        Lang::De => "Di., 24.11.2026, 09:00".into(),
        Lang::En => "Tue, 24 Nov 2026, 09:00".into(),
    }
}

/// One or more variants of a mail as one snapshot: each with a heading, its subject, its text
/// part and its HTML part.
fn show(variants: &[(&str, RenderedMail)]) -> String {
    variants
        .iter()
        .map(|(variant, mail)| {
            format!(
                "===== {variant}\nSubject: {}\n----- text\n{}\n----- html\n{}\n",
                mail.subject, mail.text, mail.html
            )
        })
        .collect()
}

/// Renders the variants of one kind of mail in every language and compares each language's
/// rendering with the snapshot `<kind>_<lang>`.
fn assert_mail_snapshots(kind: &str, variants: impl Fn(Lang) -> Vec<(&'static str, RenderedMail)>) {
    for lang in Lang::ALL {
        insta::assert_snapshot!(format!("{kind}_{lang}"), show(&variants(lang)));
    }
}

#[test]
fn verification() {
    assert_mail_snapshots("verification", |lang| {
        let mail = VerificationMail {
            lang,
            name: "Mia".into(),
            link: "https://buchen.example/verify/t0k3n".into(),
            valid_hours: 24,
        };
        vec![("verification", mail.render().unwrap())]
    });
}

#[test]
fn password_reset() {
    assert_mail_snapshots("password_reset", |lang| {
        let mail = PasswordResetMail {
            lang,
            name: "Mia".into(),
            link: "https://buchen.example/password/reset/t0k3n".into(),
            valid_hours: 24,
        };
        vec![("password reset", mail.render().unwrap())]
    });
}

#[test]
fn booking_confirmed() {
    assert_mail_snapshots("booking_confirmed", |lang| {
        let with_pin = BookingConfirmedMail {
            lang,
            name: "Mia".into(),
            booking: booking(lang),
            pin: Some("246810".into()),
            pin_valid_from: decide_by(lang),
            claim_link: None,
        };
        let booked_by_staff = BookingConfirmedMail {
            claim_link: Some("https://buchen.example/password/reset/cl41m".into()),
            ..with_pin.clone()
        };
        let request_confirmed = BookingConfirmedMail { pin: None, ..with_pin.clone() };
        vec![
            ("with PIN", with_pin.render().unwrap()),
            ("for someone without an account, with claim link", booked_by_staff.render().unwrap()),
            ("without PIN", request_confirmed.render().unwrap()),
        ]
    });
}

#[test]
fn booking_cancelled() {
    assert_mail_snapshots("booking_cancelled", |lang| {
        let by_member = BookingCancelledMail {
            lang,
            name: "Mia".into(),
            booking: booking(lang),
            hubs_url: "https://buchen.example/".into(),
            reason: None,
        };
        let by_hub = BookingCancelledMail { reason: Some("Wasserschaden <Keller>".into()), ..by_member.clone() };
        vec![("by the member", by_member.render().unwrap()), ("by the hub, with reason", by_hub.render().unwrap())]
    });
}

#[test]
fn booking_reminder() {
    assert_mail_snapshots("booking_reminder", |lang| {
        let mail = BookingReminderMail { lang, name: "Mia".into(), booking: booking(lang) };
        vec![("reminder", mail.render().unwrap())]
    });
}

#[test]
fn booking_no_show() {
    assert_mail_snapshots("booking_no_show", |lang| {
        let mail = BookingNoShowMail {
            lang,
            name: "Mia".into(),
            booking: booking(lang),
            minutes: 30,
            hubs_url: "https://buchen.example/".into(),
        };
        vec![("no-show release", mail.render().unwrap())]
    });
}

#[test]
fn door_alarm() {
    assert_mail_snapshots("door_alarm", |lang| {
        AlarmKind::ALL
            .iter()
            .map(|&kind| {
                let mail = DoorAlarmMail {
                    lang,
                    name: "Maria".into(),
                    hub: "RegioHub Polch – @Viedel".into(),
                    door: "Eingang <Hof>".into(),
                    kind,
                    at: decide_by(lang),
                };
                (kind.as_str(), mail.render().unwrap())
            })
            .collect()
    });
}

#[test]
fn booking_declined() {
    assert_mail_snapshots("booking_declined", |lang| {
        let mail = BookingDeclinedMail {
            lang,
            name: "Mia".into(),
            booking: booking(lang),
            reason: "Raum <belegt> & renoviert".into(),
            hubs_url: "https://buchen.example/".into(),
        };
        vec![("declined", mail.render().unwrap())]
    });
}

#[test]
fn approval_requested() {
    assert_mail_snapshots("approval_requested", |lang| {
        let mail = ApprovalRequestedMail {
            lang,
            name: "Maria".into(),
            booking: booking(lang),
            requester: "Erika & Max".into(),
            decide_url: "https://buchen.example/console/hubs/polch/bookings?status=pending#booking-b1".into(),
            decide_by: decide_by(lang),
        };
        vec![("approval requested", mail.render().unwrap())]
    });
}

#[test]
fn request_received() {
    assert_mail_snapshots("request_received", |lang| {
        let mail =
            RequestReceivedMail { lang, name: "Erika".into(), booking: booking(lang), decide_by: decide_by(lang) };
        vec![("request received", mail.render().unwrap())]
    });
}

#[test]
fn booking_updated() {
    assert_mail_snapshots("booking_updated", |lang| {
        let moved = BookingUpdatedMail {
            lang,
            name: "Mia".into(),
            update: BookingUpdate::Moved,
            by_hub: false,
            booking: booking(lang),
            previous: Some(earlier_booking(lang)),
            pin: None,
        };
        let moved_by_hub_new_pin = BookingUpdatedMail { by_hub: true, pin: Some("135790".into()), ..moved.clone() };
        let awaits_approval =
            BookingUpdatedMail { update: BookingUpdate::AwaitsApproval, by_hub: true, ..moved.clone() };
        let request_moved = BookingUpdatedMail { update: BookingUpdate::RequestMoved, ..moved.clone() };
        let released = BookingUpdatedMail { update: BookingUpdate::Released, previous: None, ..moved.clone() };
        vec![
            ("moved by the member", moved.render().unwrap()),
            ("moved by the hub, with a new PIN", moved_by_hub_new_pin.render().unwrap()),
            ("moved by the hub into waiting for approval", awaits_approval.render().unwrap()),
            ("a request moved by the member", request_moved.render().unwrap()),
            ("released early by the member", released.render().unwrap()),
        ]
    });
}
