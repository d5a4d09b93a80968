//! The mail a member gets when a booking of theirs changed after it was made: moved to another
//! time or space (by them or by the hub), moved into waiting for approval, or released early.
//! The caller attaches the calendar update (same UID, raised `SEQUENCE`). The new door PIN is in
//! it only in the rare case a move had to draw one.

use askama::Template;

use super::facts::{BookingFacts, RenderedMail};
use crate::i18n::{self, Lang};

/// What happened to the booking; each has its own first sentence and subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BookingUpdate {
    /// Moved and still confirmed; the PIN stays (unless `pin` says otherwise).
    Moved,
    /// Moved into a space that needs approval: waits again, the PIN no longer works and the
    /// calendar entry is removed until the hub confirms.
    AwaitsApproval,
    /// A request waiting for approval was moved; it keeps waiting.
    RequestMoved,
    /// Ended early by the member; the rest is free again.
    Released,
}

impl BookingUpdate {
    fn key(self) -> &'static str {
        match self {
            BookingUpdate::Moved => "moved",
            BookingUpdate::AwaitsApproval => "awaits-approval",
            BookingUpdate::RequestMoved => "request-moved",
            BookingUpdate::Released => "released",
        }
    }
}

/// Tells the member what changed, with the booking as it is now and, for a move, as it was.
#[derive(Clone)]
pub struct BookingUpdatedMail {
    pub lang: Lang,
    pub name: String,
    pub update: BookingUpdate,
    /// Whether hub staff made the change (the member did otherwise).
    pub by_hub: bool,
    pub booking: BookingFacts,
    /// The booking before a move; `None` for a release.
    pub previous: Option<BookingFacts>,
    /// A new PIN, only when the old one could not stay (it clashed at the new time).
    pub pin: Option<String>,
}

/// The PIN must not reach a log through `{:?}`.
impl std::fmt::Debug for BookingUpdatedMail {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BookingUpdatedMail")
            .field("lang", &self.lang)
            .field("update", &self.update)
            .finish_non_exhaustive()
    }
}

impl BookingUpdatedMail {
    /// A fixed sentence of the catalogue in the mail's language (used by the templates).
    pub fn t(&self, key: &str) -> String {
        i18n::t(self.lang, key)
    }

    fn greeting(&self) -> String {
        i18n::t_args(self.lang, "mail-greeting", &[("name", self.name.clone())])
    }

    /// The first sentence: what happened, and who did it.
    pub fn intro(&self) -> String {
        let by = if self.by_hub { "hub" } else { "member" };
        i18n::t(self.lang, &format!("booking-change-mail-{}-{by}", self.update.key()))
    }

    /// What the attachment and the PIN mean now.
    pub fn outlook(&self) -> String {
        i18n::t(self.lang, &format!("booking-change-mail-{}-outlook", self.update.key()))
    }

    /// # Errors
    /// When a template fails to render (a bug the tests catch).
    pub fn render(&self) -> Result<RenderedMail, askama::Error> {
        Ok(RenderedMail {
            subject: i18n::t_args(
                self.lang,
                &format!("booking-change-mail-{}-subject", self.update.key()),
                &[("space", self.booking.space.clone()), ("when", self.booking.when.clone())],
            ),
            text: BookingUpdatedText { m: self }.render()?,
            html: BookingUpdatedHtml { m: self }.render()?,
        })
    }
}

#[derive(Template)]
#[template(path = "mail/booking_updated.txt")]
struct BookingUpdatedText<'a> {
    m: &'a BookingUpdatedMail,
}

#[derive(Template)]
#[template(path = "mail/booking_updated.html")]
struct BookingUpdatedHtml<'a> {
    m: &'a BookingUpdatedMail,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn facts(when: &str) -> BookingFacts {
        BookingFacts {
            space: "Desk 1".into(),
            hub: "RegioHub Polch".into(),
            address: "Bachstraße 1, 56751 Polch".into(),
            when: when.into(),
            booking_url: "https://x/bookings/b1".into(),
        }
    }

    #[test]
    fn every_update_renders_in_both_languages_with_old_and_new_time() {
        for lang in [Lang::De, Lang::En] {
            for update in [
                BookingUpdate::Moved,
                BookingUpdate::AwaitsApproval,
                BookingUpdate::RequestMoved,
                BookingUpdate::Released,
            ] {
                for by_hub in [false, true] {
                    let mail = BookingUpdatedMail {
                        lang,
                        name: "Mia".into(),
                        update,
                        by_hub,
                        booking: facts("NEW-TIME"),
                        previous: (update != BookingUpdate::Released).then(|| facts("OLD-TIME")),
                        pin: None,
                    };
                    let rendered = mail.render().unwrap();
                    for part in [&rendered.text, &rendered.html] {
                        assert!(part.contains("NEW-TIME") && part.contains("https://x/bookings/b1"), "{part}");
                        assert!(part.contains("Mia"), "{part}");
                        assert!(!part.contains("booking-change-mail"), "every key is translated: {part}");
                        assert_eq!(part.contains("OLD-TIME"), update != BookingUpdate::Released, "{part}");
                    }
                    assert!(rendered.subject.contains("Desk 1"), "{}", rendered.subject);
                }
            }
        }
    }

    #[test]
    fn a_new_pin_is_shown_but_never_debugged() {
        let mail = BookingUpdatedMail {
            lang: Lang::De,
            name: "Mia".into(),
            update: BookingUpdate::Moved,
            by_hub: false,
            booking: facts("NEW"),
            previous: Some(facts("OLD")),
            pin: Some("424242".into()),
        };
        assert!(mail.render().unwrap().text.contains("424242"));
        assert!(!format!("{mail:?}").contains("424242"));
    }
}
