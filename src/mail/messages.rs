//! The mails the service writes, each a struct with the facts it needs and a text and an HTML
//! template (`templates/mail/`), in the recipient's language. Every sentence comes from the
//! Fluent catalogue (`mail-…` keys); the templates only arrange them.
//!
//! A PIN appears only in [`BookingConfirmedMail`]; the outbox deletes the body once sent.

use askama::Template;

use super::facts::booking_subject;
// Re-exported: the use cases know the shared types from here.
pub use super::facts::{BookingFacts, RenderedMail};
use crate::domain::account::TokenPurpose;
use crate::domain::vocabulary::AlarmKind;
use crate::i18n::{self, Lang};

macro_rules! catalogue_access {
    ($($mail:ident),*) => {$(
        impl $mail {
            /// A fixed sentence of the catalogue in the mail's language (used by the templates).
            pub fn t(&self, key: &str) -> String {
                i18n::t(self.lang, key)
            }

            fn greeting(&self) -> String {
                i18n::t_args(self.lang, "mail-greeting", &[("name", self.name.clone())])
            }
        }
    )*};
}

/// Asks a new member to confirm their address (single-use link).
#[derive(Debug, Clone)]
pub struct VerificationMail {
    pub lang: Lang,
    pub name: String,
    pub link: String,
    pub valid_hours: u32,
}

/// Lets a member set a new password (single-use link).
#[derive(Debug, Clone)]
pub struct PasswordResetMail {
    pub lang: Lang,
    pub name: String,
    pub link: String,
    pub valid_hours: u32,
}

/// Confirms a booking, with the door PIN and (attached by the caller) the calendar entry.
#[derive(Clone)]
pub struct BookingConfirmedMail {
    pub lang: Lang,
    pub name: String,
    pub booking: BookingFacts,
    /// The PIN in clear: only in this mail, and only until it is sent.
    pub pin: Option<String>,
    /// From when the PIN opens the door (day and time in the hub's zone).
    pub pin_valid_from: String,
    /// For a person staff booked for without an account: where they choose their password.
    pub claim_link: Option<String>,
}

/// The PIN must not reach a log through `{:?}`.
impl std::fmt::Debug for BookingConfirmedMail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BookingConfirmedMail").field("lang", &self.lang).finish_non_exhaustive()
    }
}

/// Confirms a cancellation; the attached entry removes the booking from the calendar.
#[derive(Debug, Clone)]
pub struct BookingCancelledMail {
    pub lang: Lang,
    pub name: String,
    pub booking: BookingFacts,
    /// Where to book again.
    pub hubs_url: String,
    /// Why the hub cancelled it, in the mail's language; `None` when the member cancelled.
    pub reason: Option<String>,
}

/// Reminds of a booking shortly before it starts.
#[derive(Debug, Clone)]
pub struct BookingReminderMail {
    pub lang: Lang,
    pub name: String,
    pub booking: BookingFacts,
}

/// Tells a member their booking was released because nobody checked in.
#[derive(Debug, Clone)]
pub struct BookingNoShowMail {
    pub lang: Lang,
    pub name: String,
    pub booking: BookingFacts,
    /// The hub's no-show window in minutes.
    pub minutes: i32,
    /// Where to book again.
    pub hubs_url: String,
}

catalogue_access!(
    VerificationMail,
    PasswordResetMail,
    BookingConfirmedMail,
    BookingCancelledMail,
    BookingReminderMail,
    BookingNoShowMail,
    DoorAlarmMail
);

/// Warns a hub's managers of a door alarm (held open, forced open, controller silent, device
/// fault).
#[derive(Debug, Clone)]
pub struct DoorAlarmMail {
    pub lang: Lang,
    pub name: String,
    pub hub: String,
    pub door: String,
    pub kind: AlarmKind,
    /// When it was raised, in the hub's zone and the recipient's language.
    pub at: String,
}

impl DoorAlarmMail {
    /// The alarm in a sentence, for the body.
    fn what(&self) -> String {
        self.alarm_text("mail-alarm-kind")
    }

    /// The alarm in a few words, for the subject line (the body's sentence is too long there).
    fn headline(&self) -> String {
        self.alarm_text("mail-alarm-short")
    }

    /// The catalogue's text for this alarm's kind among the messages named `<family>-<kind>`.
    fn alarm_text(&self, family: &str) -> String {
        i18n::t(self.lang, &format!("{family}-{}", self.kind.as_str().replace('_', "-")))
    }

    fn facts(&self) -> String {
        i18n::t_args(
            self.lang,
            "mail-alarm-facts",
            &[("door", self.door.clone()), ("hub", self.hub.clone()), ("at", self.at.clone())],
        )
    }

    /// # Errors
    /// When a template fails to render (a bug the tests catch).
    pub fn render(&self) -> Result<RenderedMail, askama::Error> {
        Ok(RenderedMail {
            subject: i18n::t_args(
                self.lang,
                "mail-alarm-subject",
                &[("what", self.headline()), ("door", self.door.clone()), ("hub", self.hub.clone())],
            ),
            text: DoorAlarmText { m: self }.render()?,
            html: DoorAlarmHtml { m: self }.render()?,
        })
    }
}

#[derive(Template)]
#[template(path = "mail/door_alarm.txt")]
struct DoorAlarmText<'a> {
    m: &'a DoorAlarmMail,
}

#[derive(Template)]
#[template(path = "mail/door_alarm.html")]
struct DoorAlarmHtml<'a> {
    m: &'a DoorAlarmMail,
}

impl BookingNoShowMail {
    fn explanation(&self) -> String {
        i18n::t_args(self.lang, "mail-no-show-intro", &[("minutes", self.minutes.to_string())])
    }

    /// # Errors
    /// When a template fails to render (a bug the tests catch).
    pub fn render(&self) -> Result<RenderedMail, askama::Error> {
        Ok(RenderedMail {
            subject: booking_subject(self.lang, "mail-no-show-subject", &self.booking),
            text: BookingNoShowText { m: self }.render()?,
            html: BookingNoShowHtml { m: self }.render()?,
        })
    }
}

#[derive(Template)]
#[template(path = "mail/booking_no_show.txt")]
struct BookingNoShowText<'a> {
    m: &'a BookingNoShowMail,
}

#[derive(Template)]
#[template(path = "mail/booking_no_show.html")]
struct BookingNoShowHtml<'a> {
    m: &'a BookingNoShowMail,
}

impl VerificationMail {
    fn valid_for(&self) -> String {
        i18n::t_args(self.lang, "mail-link-valid", &[("hours", self.valid_hours.to_string())])
    }

    /// # Errors
    /// When a template fails to render (a bug the tests catch).
    pub fn render(&self) -> Result<RenderedMail, askama::Error> {
        Ok(RenderedMail {
            subject: self.t("mail-verify-subject"),
            text: VerificationText { m: self }.render()?,
            html: VerificationHtml { m: self }.render()?,
        })
    }
}

impl PasswordResetMail {
    fn valid_for(&self) -> String {
        i18n::t_args(self.lang, "mail-link-valid", &[("hours", self.valid_hours.to_string())])
    }

    /// # Errors
    /// When a template fails to render (a bug the tests catch).
    pub fn render(&self) -> Result<RenderedMail, askama::Error> {
        Ok(RenderedMail {
            subject: self.t("mail-reset-subject"),
            text: PasswordResetText { m: self }.render()?,
            html: PasswordResetHtml { m: self }.render()?,
        })
    }
}

impl BookingConfirmedMail {
    fn pin_valid(&self) -> String {
        i18n::t_args(self.lang, "mail-pin-valid", &[("from", self.pin_valid_from.clone())])
    }

    /// How long the claim link of an account staff made works: it is a password-reset link, so
    /// it lasts as long as one.
    fn claim_valid(&self) -> String {
        let hours = TokenPurpose::Reset.lifetime().num_hours();
        i18n::t_args(self.lang, "console-people-mail-claim-valid", &[("hours", hours.to_string())])
    }

    /// # Errors
    /// When a template fails to render (a bug the tests catch).
    pub fn render(&self) -> Result<RenderedMail, askama::Error> {
        Ok(RenderedMail {
            subject: booking_subject(self.lang, "mail-confirmed-subject", &self.booking),
            text: BookingConfirmedText { m: self }.render()?,
            html: BookingConfirmedHtml { m: self }.render()?,
        })
    }
}

impl BookingCancelledMail {
    /// # Errors
    /// When a template fails to render (a bug the tests catch).
    pub fn render(&self) -> Result<RenderedMail, askama::Error> {
        Ok(RenderedMail {
            subject: booking_subject(self.lang, "mail-cancelled-subject", &self.booking),
            text: BookingCancelledText { m: self }.render()?,
            html: BookingCancelledHtml { m: self }.render()?,
        })
    }
}

impl BookingReminderMail {
    /// # Errors
    /// When a template fails to render (a bug the tests catch).
    pub fn render(&self) -> Result<RenderedMail, askama::Error> {
        Ok(RenderedMail {
            subject: booking_subject(self.lang, "mail-reminder-subject", &self.booking),
            text: BookingReminderText { m: self }.render()?,
            html: BookingReminderHtml { m: self }.render()?,
        })
    }
}

#[derive(Template)]
#[template(path = "mail/verification.txt")]
struct VerificationText<'a> {
    m: &'a VerificationMail,
}

#[derive(Template)]
#[template(path = "mail/verification.html")]
struct VerificationHtml<'a> {
    m: &'a VerificationMail,
}

#[derive(Template)]
#[template(path = "mail/password_reset.txt")]
struct PasswordResetText<'a> {
    m: &'a PasswordResetMail,
}

#[derive(Template)]
#[template(path = "mail/password_reset.html")]
struct PasswordResetHtml<'a> {
    m: &'a PasswordResetMail,
}

#[derive(Template)]
#[template(path = "mail/booking_confirmed.txt")]
struct BookingConfirmedText<'a> {
    m: &'a BookingConfirmedMail,
}

#[derive(Template)]
#[template(path = "mail/booking_confirmed.html")]
struct BookingConfirmedHtml<'a> {
    m: &'a BookingConfirmedMail,
}

#[derive(Template)]
#[template(path = "mail/booking_cancelled.txt")]
struct BookingCancelledText<'a> {
    m: &'a BookingCancelledMail,
}

#[derive(Template)]
#[template(path = "mail/booking_cancelled.html")]
struct BookingCancelledHtml<'a> {
    m: &'a BookingCancelledMail,
}

#[derive(Template)]
#[template(path = "mail/booking_reminder.txt")]
struct BookingReminderText<'a> {
    m: &'a BookingReminderMail,
}

#[derive(Template)]
#[template(path = "mail/booking_reminder.html")]
struct BookingReminderHtml<'a> {
    m: &'a BookingReminderMail,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn facts() -> BookingFacts {
        BookingFacts {
            space: "Arbeitsplatz <2>".into(),
            hub: "RegioHub Polch".into(),
            address: "Bachstraße 1, 56751 Polch".into(),
            when: "Di., 24.11.2026, 09:00–12:00".into(),
            booking_url: "https://buchen.example/bookings/b1?x=1&y=2".into(),
        }
    }

    #[test]
    fn the_confirmation_shows_the_pin_in_both_parts_and_escapes_html() {
        let mail = BookingConfirmedMail {
            lang: Lang::De,
            name: "Mia".into(),
            booking: facts(),
            pin: Some("246810".into()),
            pin_valid_from: "Di., 24.11.2026, 08:45".into(),
            claim_link: None,
        };
        let rendered = mail.render().unwrap();
        assert!(rendered.subject.contains("Arbeitsplatz <2>"), "{}", rendered.subject);
        assert!(rendered.text.contains("246810") && rendered.html.contains("246810"));
        assert!(rendered.text.contains("Arbeitsplatz <2>"), "text is not escaped: {}", rendered.text);
        assert!(rendered.html.contains("Arbeitsplatz &#60;2&#62;") || rendered.html.contains("Arbeitsplatz &lt;2&gt;"));
        assert!(!rendered.html.contains("<2>"), "{}", rendered.html);
        assert!(rendered.text.starts_with("Guten Tag Mia,\n\nIhre Buchung ist bestätigt.\n\n"), "{}", rendered.text);
        assert!(rendered.text.contains("09:00–12:00\n\nIhre Tür-PIN: 246810\n"), "{}", rendered.text);
        assert!(!format!("{mail:?}").contains("246810"));
    }

    #[test]
    fn every_mail_renders_in_both_languages_without_missing_keys() {
        for lang in Lang::ALL {
            let rendered = [
                VerificationMail { lang, name: "Mia".into(), link: "https://x/v?t=1".into(), valid_hours: 24 }
                    .render()
                    .unwrap(),
                PasswordResetMail { lang, name: "Mia".into(), link: "https://x/r?t=1".into(), valid_hours: 24 }
                    .render()
                    .unwrap(),
                BookingConfirmedMail {
                    lang,
                    name: "Mia".into(),
                    booking: facts(),
                    pin: None,
                    pin_valid_from: String::new(),
                    claim_link: Some("https://x/password/reset/t".into()),
                }
                .render()
                .unwrap(),
                BookingCancelledMail {
                    lang,
                    name: "Mia".into(),
                    booking: facts(),
                    hubs_url: "https://x/".into(),
                    reason: Some("Wasserschaden".into()),
                }
                .render()
                .unwrap(),
                BookingCancelledMail {
                    lang,
                    name: "Mia".into(),
                    booking: facts(),
                    hubs_url: "https://x/".into(),
                    reason: None,
                }
                .render()
                .unwrap(),
                BookingReminderMail { lang, name: "Mia".into(), booking: facts() }.render().unwrap(),
            ];
            let (with_reason, without_reason) = (&rendered[3], &rendered[4]);
            assert!(with_reason.text.contains("Wasserschaden") && with_reason.html.contains("Wasserschaden"));
            let reason_label = i18n::t(lang, "console-people-mail-reason");
            assert!(with_reason.text.contains(&reason_label), "{}", with_reason.text);
            assert!(!without_reason.text.contains(&reason_label), "no reason, no label: {}", without_reason.text);
            assert!(!without_reason.html.contains(&reason_label), "{}", without_reason.html);
            for mail in rendered {
                for part in [&mail.subject, &mail.text, &mail.html] {
                    assert!(!part.contains("mail-"), "a key was not translated ({lang}): {part}");
                }
            }
        }
    }

    #[test]
    fn the_confirmation_of_a_new_account_carries_its_claim_link_apart() {
        let mail = BookingConfirmedMail {
            lang: Lang::De,
            name: "Mia".into(),
            booking: facts(),
            pin: Some("246810".into()),
            pin_valid_from: "Di., 24.11.2026, 08:45".into(),
            claim_link: Some("https://x/password/reset/s3cret".into()),
        };
        let rendered = mail.render().unwrap();
        assert!(
            rendered.text.contains("\nhttps://x/password/reset/s3cret\nDer Link ist 24 Stunden"),
            "{}",
            rendered.text
        );
        assert!(
            rendered.text.contains("neuen anfordern. Ihre PIN gilt auch ohne Konto.\n\nBuchung ansehen"),
            "{}",
            rendered.text
        );
        assert!(rendered.html.contains("href=\"https://x/password/reset/s3cret\""), "{}", rendered.html);
    }
}
