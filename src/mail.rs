//! E-mail: the messages (an askama text and HTML template pair per mail, in the recipient's
//! language), calendar entries, the outbox they wait in, and the transports that send them.
//!
//! Use cases render a message and [`outbox::enqueue`] it on their unit of work, inside their
//! transaction; the mail job (`jobs::send_due_mail`), woken after the commit, hands due mails to
//! the [`Mailer`]. Nothing here knows about HTTP.

pub mod approval_messages;
pub mod booking_change_messages;
pub mod compose;
pub mod console_messages;
pub mod facts;
pub mod guest_messages;
pub mod ics;
pub mod messages;
pub mod outbox;
pub mod transport;
pub mod waitlist_messages;

use std::sync::Arc;

use lettre::message::Mailbox;
use tokio::sync::{Mutex, Notify};

pub use ics::{BookingCalendarEntry, IcsMethod, booking_ics, booking_uid, feed_ics};
pub use outbox::{OutgoingMail, enqueue};
pub use transport::{MemoryMailbox, SentMail, Transport};

use crate::config::Settings;
use crate::db::outbox::OutboxRow;

/// Why a mail was not sent. The text is stored in the outbox and logged, so it never quotes the
/// mail server (which may echo the recipient's address) or the message.
#[derive(Debug, Clone, thiserror::Error)]
pub enum MailError {
    #[error("the recipient or sender address is not valid")]
    Address,
    #[error("the message could not be built")]
    Build,
    #[error("the mail server refused the message for good (SMTP {0})")]
    SmtpPermanent(String),
    #[error("the mail server asked to try again later (SMTP {0})")]
    SmtpTransient(String),
    #[error("the mail server could not be reached ({0})")]
    SmtpConnection(&'static str),
    #[error("the mail file could not be written")]
    File,
    #[error("the test mailbox refused the message")]
    Refused,
    #[error("mail setup: {0}")]
    Setup(String),
}

impl MailError {
    /// Whether trying again cannot help, so the outbox gives up at once.
    pub fn is_permanent(&self) -> bool {
        matches!(self, MailError::Address | MailError::Build | MailError::SmtpPermanent(_))
    }

    fn from_smtp(error: &lettre::transport::smtp::Error) -> MailError {
        let code = error.status().map(|c| c.to_string()).unwrap_or_else(|| "no code".to_owned());
        if error.is_permanent() {
            MailError::SmtpPermanent(code)
        } else if error.is_transient() {
            MailError::SmtpTransient(code)
        } else if error.is_timeout() {
            MailError::SmtpConnection("timeout")
        } else if error.is_tls() {
            MailError::SmtpConnection("TLS")
        } else {
            MailError::SmtpConnection("connection")
        }
    }
}

/// The way out for mails, shared by the mail job and the tests: the transport, the sender
/// address, and the bell that wakes the job when a mail was queued.
#[derive(Clone)]
pub struct Mailer {
    transport: Transport,
    from: Mailbox,
    wake: Arc<Notify>,
    pass: Arc<Mutex<()>>,
}

impl Mailer {
    /// The mailer the settings describe.
    ///
    /// # Errors
    /// When `mail.from` is not an address, or the transport cannot be set up.
    pub fn from_settings(settings: &Settings) -> Result<Mailer, MailError> {
        let from: Mailbox =
            settings.mail.from.parse().map_err(|_| MailError::Setup("mail.from: not a valid address".to_owned()))?;
        let transport = Transport::from_settings(&settings.mail, &settings.data_dir)?;
        Ok(Mailer { transport, from, wake: Arc::new(Notify::new()), pass: Arc::new(Mutex::new(())) })
    }

    /// The sender, for calendar entries' organizer.
    pub fn from_address(&self) -> &Mailbox {
        &self.from
    }

    /// The memory transport's mailbox, when that is the transport (tests).
    pub fn memory_mailbox(&self) -> Option<&MemoryMailbox> {
        match &self.transport {
            Transport::Memory(mailbox) => Some(mailbox),
            _ => None,
        }
    }

    /// Builds and sends one outbox mail.
    ///
    /// # Errors
    /// See [`MailError`].
    pub async fn send(&self, row: &OutboxRow) -> Result<(), MailError> {
        let message = compose::compose(&self.from, row)?;
        self.transport.send(message).await
    }

    /// Tells the mail job that something was queued. Cheap; a wake with nobody waiting is kept
    /// for the next wait.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Resolves on the next [`Mailer::wake`].
    pub(crate) async fn woken(&self) {
        self.wake.notified().await;
    }

    /// Held for a whole send pass, so a pass run by hand (tests) and the job never interleave;
    /// a test holds it to look at what a request wrote before the job acts on it.
    pub fn pass_lock(&self) -> &Mutex<()> {
        &self.pass
    }
}
