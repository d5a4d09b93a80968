//! What use cases need besides a database connection and "now": the secret that door PINs are
//! keyed with, the addresses that e-mails link to and come from, and the catalogue kept in memory.
//! Built once at start.

use super::catalogue::CatalogueCache;
use crate::config::Settings;
use crate::secrets::SecretKey;

/// Shared, read-only facts for the use cases. Cheap to clone.
#[derive(Debug, Clone)]
pub struct ServiceContext {
    /// Keys the door PIN verifiers ([`SecretKey::hub_pin_key`]).
    pub secret: SecretKey,
    /// Where people reach the service, without a trailing slash; links in e-mails start here.
    pub public_url: String,
    /// The sender's address and name, also the organizer of calendar entries.
    pub sender_email: String,
    pub sender_name: String,
    /// The catalogue (hubs, spaces, doors, operators) this instance keeps in memory.
    pub catalogue: CatalogueCache,
}

impl ServiceContext {
    /// The context for `settings` (whose `mail.from` has been checked by the mailer).
    pub fn new(settings: &Settings, secret: SecretKey) -> ServiceContext {
        let (sender_name, sender_email) = match settings.mail.from.parse::<lettre::message::Mailbox>() {
            Ok(mailbox) => (mailbox.name.unwrap_or_else(|| "RegioHub".to_owned()), mailbox.email.to_string()),
            Err(_) => ("RegioHub".to_owned(), "noreply@regiohub.invalid".to_owned()),
        };
        ServiceContext {
            secret,
            public_url: settings.public_url.trim_end_matches('/').to_owned(),
            sender_email,
            sender_name,
            catalogue: CatalogueCache::default(),
        }
    }

    /// An absolute link to `path` (which starts with `/`).
    pub fn link(&self, path: &str) -> String {
        format!("{}{path}", self.public_url)
    }
}
