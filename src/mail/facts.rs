//! What every kind of mail shares: the rendered result handed to the outbox ([`RenderedMail`])
//! and where and when a booking is ([`BookingFacts`]), with the subject line built from them.
//! The message modules (`messages`, `console_messages`, `approval_messages`,
//! `booking_change_messages`) all build on this one, and it on none of them, so they never
//! import each other for a shared type.

use super::outbox::OutgoingMail;
use crate::i18n::{self, Lang};

/// A mail rendered in one language, ready for the outbox.
pub struct RenderedMail {
    pub subject: String,
    pub text: String,
    pub html: String,
}

impl RenderedMail {
    /// The mail addressed to `recipient`, without attachment.
    pub fn to(self, recipient: &str) -> OutgoingMail {
        OutgoingMail {
            to: recipient.to_owned(),
            subject: self.subject,
            text: self.text,
            html: self.html,
            calendar: None,
        }
    }
}

/// Where and when a booking is, as the booking mails show it.
#[derive(Debug, Clone)]
pub struct BookingFacts {
    /// The space's name, e.g. "Arbeitsplatz 2".
    pub space: String,
    /// The hub's name, e.g. "RegioHub Polch – @Viedel".
    pub hub: String,
    /// Street, postcode and town in one line.
    pub address: String,
    /// Day and times in the hub's zone, in the recipient's language.
    pub when: String,
    /// The booking's page.
    pub booking_url: String,
}

/// The subject of a mail about one booking: the catalogue's sentence `key` with the space and
/// the time filled in, so that a member tells their bookings' mails apart in the inbox.
pub(crate) fn booking_subject(lang: Lang, key: &str, booking: &BookingFacts) -> String {
    i18n::t_args(lang, key, &[("space", booking.space.clone()), ("when", booking.when.clone())])
}
