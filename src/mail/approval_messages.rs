//! The mails of a booking request (a space that needs a manager's approval): the hub's managers
//! are asked to decide, with a link to the request in the console, and the member is told that
//! the request was received and until when it will be decided. Neither carries a PIN or a
//! calendar entry: a request opens no door until it is confirmed. A request nobody decided in
//! time is declined with the "declined" mail of `console_messages`.

use askama::Template;

use super::facts::{BookingFacts, RenderedMail};
use crate::i18n::{self, Lang};

/// Asks a manager of the hub (or an admin) to approve or decline a new request.
#[derive(Debug, Clone)]
pub struct ApprovalRequestedMail {
    pub lang: Lang,
    /// The manager's name, for the greeting.
    pub name: String,
    pub booking: BookingFacts,
    /// Who asked: their name as they gave it (their address is in the console).
    pub requester: String,
    /// The request in the console's bookings list of the hub.
    pub decide_url: String,
    /// The latest moment of the decision (the start), in the hub's zone and the mail's language.
    pub decide_by: String,
}

/// Tells the member their request arrived and waits for the hub's decision.
#[derive(Debug, Clone)]
pub struct RequestReceivedMail {
    pub lang: Lang,
    pub name: String,
    pub booking: BookingFacts,
    /// The latest moment of the decision (the start), in the hub's zone and the mail's language.
    pub decide_by: String,
}

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

            fn subject(&self, key: &str) -> String {
                i18n::t_args(
                    self.lang,
                    key,
                    &[("space", self.booking.space.clone()), ("when", self.booking.when.clone())],
                )
            }

            fn deadline(&self, key: &str) -> String {
                i18n::t_args(self.lang, key, &[("deadline", self.decide_by.clone())])
            }
        }
    )*};
}

catalogue_access!(ApprovalRequestedMail, RequestReceivedMail);

impl ApprovalRequestedMail {
    fn intro(&self) -> String {
        i18n::t_args(
            self.lang,
            "approvals-mail-requested-intro",
            &[("person", self.requester.clone()), ("hub", self.booking.hub.clone())],
        )
    }

    /// # Errors
    /// When a template fails to render (a bug the tests catch).
    pub fn render(&self) -> Result<RenderedMail, askama::Error> {
        Ok(RenderedMail {
            subject: self.subject("approvals-mail-requested-subject"),
            text: ApprovalRequestedText { m: self }.render()?,
            html: ApprovalRequestedHtml { m: self }.render()?,
        })
    }
}

impl RequestReceivedMail {
    /// # Errors
    /// When a template fails to render (a bug the tests catch).
    pub fn render(&self) -> Result<RenderedMail, askama::Error> {
        Ok(RenderedMail {
            subject: self.subject("approvals-mail-received-subject"),
            text: RequestReceivedText { m: self }.render()?,
            html: RequestReceivedHtml { m: self }.render()?,
        })
    }
}

#[derive(Template)]
#[template(path = "mail/approval_requested.txt")]
struct ApprovalRequestedText<'a> {
    m: &'a ApprovalRequestedMail,
}

#[derive(Template)]
#[template(path = "mail/approval_requested.html")]
struct ApprovalRequestedHtml<'a> {
    m: &'a ApprovalRequestedMail,
}

#[derive(Template)]
#[template(path = "mail/request_received.txt")]
struct RequestReceivedText<'a> {
    m: &'a RequestReceivedMail,
}

#[derive(Template)]
#[template(path = "mail/request_received.html")]
struct RequestReceivedHtml<'a> {
    m: &'a RequestReceivedMail,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn facts() -> BookingFacts {
        BookingFacts {
            space: "Raum <1>".into(),
            hub: "RegioHub Polch".into(),
            address: "Bachstraße 1, 56751 Polch".into(),
            when: "Di., 24.11.2026, 09:00–12:00 Uhr".into(),
            booking_url: "https://x/bookings/b1".into(),
        }
    }

    #[test]
    fn both_mails_render_in_both_languages_with_their_links_and_without_missing_keys() {
        for lang in Lang::ALL {
            let asked = ApprovalRequestedMail {
                lang,
                name: "Maria".into(),
                booking: facts(),
                requester: "Erika & Max".into(),
                decide_url: "https://x/console/hubs/polch/bookings?status=pending#booking-b1".into(),
                decide_by: "Di., 24.11.2026, 09:00".into(),
            }
            .render()
            .unwrap();
            assert!(asked.text.contains("https://x/console/hubs/polch/bookings?status=pending#booking-b1"));
            assert!(asked.text.contains("Erika & Max") && asked.html.contains("Erika &#38; Max"), "{}", asked.html);
            assert!(asked.text.contains("Di., 24.11.2026, 09:00"), "{}", asked.text);
            let received = RequestReceivedMail {
                lang,
                name: "Erika".into(),
                booking: facts(),
                decide_by: "Di., 24.11.2026, 09:00".into(),
            }
            .render()
            .unwrap();
            assert!(received.text.contains("https://x/bookings/b1"), "{}", received.text);
            assert!(received.text.contains("Di., 24.11.2026, 09:00"), "{}", received.text);
            assert!(!received.html.contains("<1>"), "{}", received.html);
            for mail in [asked, received] {
                for part in [&mail.subject, &mail.text, &mail.html] {
                    assert!(!part.contains("approvals-") && !part.contains("mail-"), "untranslated ({lang}): {part}");
                }
            }
        }
    }
}
