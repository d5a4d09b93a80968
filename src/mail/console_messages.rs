//! The mails a member gets about what hub staff did with their booking in the console: a request
//! declined (with the hub's reason). Cancellations by staff reuse the cancellation mail with its
//! reason line, and a booking staff made for someone without an account reuses the confirmation
//! with its claim link (`messages`).

use askama::Template;

use super::facts::{BookingFacts, RenderedMail, booking_subject};
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
            subject: booking_subject(self.lang, "console-people-mail-declined-subject", &self.booking),
            text: BookingDeclinedText { m: self }.render()?,
            html: BookingDeclinedHtml { m: self }.render()?,
        })
    }
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
}
