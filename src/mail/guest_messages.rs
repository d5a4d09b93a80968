//! The mails a member's guest gets (issue 16): the invitation with the guest's own door PIN, and
//! the note that the invitation ended (withdrawn by the member, or the booking cancelled). They
//! go to someone without an account, so they carry no link to a booking page, only where and
//! when, in the language the member chose for the guest.
//!
//! A guest's PIN appears only in [`GuestInvitationMail`]; the outbox deletes the body once sent.

use askama::Template;

use super::facts::{BookingFacts, RenderedMail, booking_subject};
use crate::i18n::{self, Lang};

/// Invites a guest: who invited them, where and when, and their own PIN.
#[derive(Clone)]
pub struct GuestInvitationMail {
    pub lang: Lang,
    /// The guest's name, for the greeting.
    pub name: String,
    /// The member who invited them.
    pub host: String,
    pub booking: BookingFacts,
    /// The PIN in clear: only in this mail, and only until it is sent.
    pub pin: String,
    /// From when the PIN opens the doors (day and time in the hub's zone).
    pub pin_valid_from: String,
}

/// The PIN must not reach a log through `{:?}`.
impl std::fmt::Debug for GuestInvitationMail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GuestInvitationMail").field("lang", &self.lang).finish_non_exhaustive()
    }
}

/// Why a guest's invitation ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GuestEnd {
    /// The member withdrew it.
    Withdrawn,
    /// The booking was cancelled (by the member or the hub) or released as a no-show.
    BookingCancelled,
    /// The booking was moved to another time or space: the invitation does not follow it (the
    /// guest's PIN, seat and the new space's rules would all need checking again); the member
    /// can invite again.
    BookingMoved,
}

/// Tells a guest their PIN no longer opens anything.
#[derive(Debug, Clone)]
pub struct GuestEndedMail {
    pub lang: Lang,
    pub name: String,
    pub host: String,
    pub booking: BookingFacts,
    pub why: GuestEnd,
}

impl GuestInvitationMail {
    /// A fixed sentence of the catalogue in the mail's language (used by the templates).
    pub fn t(&self, key: &str) -> String {
        i18n::t(self.lang, key)
    }

    fn greeting(&self) -> String {
        i18n::t_args(self.lang, "mail-greeting", &[("name", self.name.clone())])
    }

    fn intro(&self) -> String {
        i18n::t_args(self.lang, "guests-mail-invited-intro", &[("host", self.host.clone())])
    }

    fn pin_valid(&self) -> String {
        i18n::t_args(self.lang, "guests-mail-pin-valid", &[("from", self.pin_valid_from.clone())])
    }

    /// # Errors
    /// When a template fails to render (a bug the tests catch).
    pub fn render(&self) -> Result<RenderedMail, askama::Error> {
        Ok(RenderedMail {
            subject: booking_subject(self.lang, "guests-mail-invited-subject", &self.booking),
            text: GuestInvitationText { m: self }.render()?,
            html: GuestInvitationHtml { m: self }.render()?,
        })
    }
}

impl GuestEndedMail {
    /// A fixed sentence of the catalogue in the mail's language (used by the templates).
    pub fn t(&self, key: &str) -> String {
        i18n::t(self.lang, key)
    }

    fn greeting(&self) -> String {
        i18n::t_args(self.lang, "mail-greeting", &[("name", self.name.clone())])
    }

    fn intro(&self) -> String {
        let key = match self.why {
            GuestEnd::Withdrawn => "guests-mail-withdrawn-intro",
            GuestEnd::BookingCancelled => "guests-mail-cancelled-intro",
            GuestEnd::BookingMoved => "guests-mail-moved-intro",
        };
        i18n::t_args(self.lang, key, &[("host", self.host.clone())])
    }

    /// # Errors
    /// When a template fails to render (a bug the tests catch).
    pub fn render(&self) -> Result<RenderedMail, askama::Error> {
        let key = match self.why {
            GuestEnd::Withdrawn => "guests-mail-withdrawn-subject",
            GuestEnd::BookingCancelled => "guests-mail-cancelled-subject",
            GuestEnd::BookingMoved => "guests-mail-moved-subject",
        };
        Ok(RenderedMail {
            subject: booking_subject(self.lang, key, &self.booking),
            text: GuestEndedText { m: self }.render()?,
            html: GuestEndedHtml { m: self }.render()?,
        })
    }
}

#[derive(Template)]
#[template(path = "mail/guest_invitation.txt")]
struct GuestInvitationText<'a> {
    m: &'a GuestInvitationMail,
}

#[derive(Template)]
#[template(path = "mail/guest_invitation.html")]
struct GuestInvitationHtml<'a> {
    m: &'a GuestInvitationMail,
}

#[derive(Template)]
#[template(path = "mail/guest_ended.txt")]
struct GuestEndedText<'a> {
    m: &'a GuestEndedMail,
}

#[derive(Template)]
#[template(path = "mail/guest_ended.html")]
struct GuestEndedHtml<'a> {
    m: &'a GuestEndedMail,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn facts() -> BookingFacts {
        BookingFacts {
            space: "Besprechungsraum".into(),
            hub: "RegioHub Polch".into(),
            address: "Hauptstraße 1, 56751 Polch".into(),
            when: "Mo., 23.11.2026, 10:00–12:00 Uhr".into(),
            booking_url: "https://example.org/bookings/b1".into(),
        }
    }

    #[test]
    fn both_mails_render_in_both_languages_without_a_booking_link() {
        for lang in Lang::ALL {
            let invitation = GuestInvitationMail {
                lang,
                name: "Gustav <Gast>".into(),
                host: "Erika".into(),
                booking: facts(),
                pin: "123456".into(),
                pin_valid_from: "23.11.2026, 09:45".into(),
            };
            let rendered = invitation.render().unwrap();
            assert!(rendered.text.contains("123456") && rendered.html.contains("123456"));
            assert!(rendered.text.contains("Erika") && rendered.text.contains("Hauptstraße 1"));
            assert!(rendered.html.contains("Gustav &lt;Gast&gt;") || rendered.html.contains("Gustav &#60;Gast&#62;"));
            assert!(!rendered.text.contains("/bookings/b1"), "a guest has no booking page");
            assert!(!format!("{invitation:?}").contains("123456"));
            for why in [GuestEnd::Withdrawn, GuestEnd::BookingCancelled, GuestEnd::BookingMoved] {
                let ended = GuestEndedMail { lang, name: "Gustav".into(), host: "Erika".into(), booking: facts(), why };
                let rendered = ended.render().unwrap();
                assert!(rendered.text.contains("Besprechungsraum") && !rendered.text.contains("/bookings/b1"));
                assert!(!rendered.text.contains("guests-mail"), "no missing key: {}", rendered.text);
            }
            assert!(!rendered.text.contains("guests-mail"), "no missing key: {}", rendered.text);
        }
    }
}
