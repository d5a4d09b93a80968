//! The mail a member on a waitlist gets when the slot they wait for has become free: it is held
//! for them until a deadline, and the link leads to their waitlist page where they book it.

use askama::Template;

use super::facts::{BookingFacts, RenderedMail, booking_subject};
use crate::i18n::{self, Lang};

/// Offers a freed slot to the first member waiting for it.
#[derive(Debug, Clone)]
pub struct WaitlistOfferMail {
    pub lang: Lang,
    pub name: String,
    /// The slot; `booking_url` is the member's waitlist page.
    pub booking: BookingFacts,
    /// Until when it is held, in the hub's zone and the member's language.
    pub until: String,
}

impl WaitlistOfferMail {
    /// A fixed sentence of the catalogue in the mail's language (used by the templates).
    pub fn t(&self, key: &str) -> String {
        i18n::t(self.lang, key)
    }

    fn greeting(&self) -> String {
        i18n::t_args(self.lang, "mail-greeting", &[("name", self.name.clone())])
    }

    /// "It is held for you until …".
    pub fn held(&self) -> String {
        i18n::t_args(self.lang, "waitlist-mail-held", &[("until", self.until.clone())])
    }

    /// # Errors
    /// When a template fails to render (a bug the tests catch).
    pub fn render(&self) -> Result<RenderedMail, askama::Error> {
        Ok(RenderedMail {
            subject: booking_subject(self.lang, "waitlist-mail-subject", &self.booking),
            text: WaitlistOfferText { m: self }.render()?,
            html: WaitlistOfferHtml { m: self }.render()?,
        })
    }
}

#[derive(Template)]
#[template(path = "mail/waitlist_offer.txt")]
struct WaitlistOfferText<'a> {
    m: &'a WaitlistOfferMail,
}

#[derive(Template)]
#[template(path = "mail/waitlist_offer.html")]
struct WaitlistOfferHtml<'a> {
    m: &'a WaitlistOfferMail,
}
