//! The mails a member gets about what hub staff did with their booking in the console: a request
//! declined (with the hub's reason), and the sentence that goes with an account staff made for
//! them. Cancellations by staff reuse the cancellation mail with its reason line.

use askama::Template;

use super::messages::{BookingFacts, RenderedMail};
use crate::domain::account::TokenPurpose;
use crate::i18n::{self, Lang};

/// Tells a member that the hub declined their booking request, and why.
#[derive(Debug, Clone)]
pub struct BookingDeclinedMail {
    pub lang: Lang,
    pub name: String,
    pub booking: BookingFacts,
    /// What the member of staff wrote; shown as it is.
    pub reason: String,
    /// Where to book something else.
    pub hubs_url: String,
}

impl BookingDeclinedMail {
    /// A fixed sentence of the catalogue in the mail's language (used by the templates).
    pub fn t(&self, key: &str) -> String {
        i18n::t(self.lang, key)
    }

    fn greeting(&self) -> String {
        i18n::t_args(self.lang, "mail-greeting", &[("name", self.name.clone())])
    }

    /// # Errors
    /// When a template fails to render (a bug the tests catch).
    pub fn render(&self) -> Result<RenderedMail, askama::Error> {
        Ok(RenderedMail {
            subject: i18n::t_args(
                self.lang,
                "console-people-mail-declined-subject",
                &[("space", self.booking.space.clone()), ("when", self.booking.when.clone())],
            ),
            text: BookingDeclinedText { m: self }.render()?,
            html: BookingDeclinedHtml { m: self }.render()?,
        })
    }
}

/// How long the claim link of a new account works, as a sentence: the claim link is a
/// password-reset link, so it lasts as long as one.
pub fn claim_valid(lang: Lang) -> String {
    let hours = TokenPurpose::Reset.lifetime().num_hours();
    i18n::t_args(lang, "console-people-mail-claim-valid", &[("hours", hours.to_string())])
}

#[derive(Template)]
#[template(path = "mail/console_booking_declined.txt")]
struct BookingDeclinedText<'a> {
    m: &'a BookingDeclinedMail,
}

#[derive(Template)]
#[template(path = "mail/console_booking_declined.html")]
struct BookingDeclinedHtml<'a> {
    m: &'a BookingDeclinedMail,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn facts() -> BookingFacts {
        BookingFacts {
            space: "Raum".into(),
            hub: "RegioHub Polch".into(),
            address: "Bachstraße 1, 56751 Polch".into(),
            when: "Di., 24.11.2026, 09:00–12:00".into(),
            booking_url: "https://x/bookings/b1".into(),
        }
    }

    #[test]
    fn the_declined_mail_says_why_in_both_languages_and_escapes_html() {
        for lang in Lang::ALL {
            let mail = BookingDeclinedMail {
                lang,
                name: "Mia".into(),
                booking: facts(),
                reason: "Raum <belegt> & renoviert".into(),
                hubs_url: "https://x/".into(),
            };
            let rendered = mail.render().unwrap();
            assert!(rendered.subject.contains("Raum"), "{}", rendered.subject);
            assert!(rendered.text.contains("Raum <belegt> & renoviert"), "{}", rendered.text);
            assert!(!rendered.html.contains("<belegt>"), "{}", rendered.html);
            for part in [&rendered.subject, &rendered.text, &rendered.html] {
                assert!(!part.contains("console-people-"), "a key was not translated ({lang}): {part}");
            }
        }
    }

    #[test]
    fn the_confirmation_of_a_new_account_carries_its_claim_link_apart() {
        let mail = crate::mail::messages::BookingConfirmedMail {
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
