//! Where mails go: an SMTP server (production), `.eml` files under `<data_dir>/mail/` (the demo)
//! or a mailbox in memory that tests read back. Chosen once from the settings.

use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use super::MailError;
use crate::config::{MailSettings, MailTransport, SmtpSecurity};

/// How long one SMTP conversation may take before it counts as failed and is retried later.
const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

/// The configured way out.
#[derive(Clone)]
pub enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    File(AsyncFileTransport<Tokio1Executor>),
    Memory(MemoryMailbox),
}

impl Transport {
    /// Builds the transport the settings name; the file transport's folder is created.
    ///
    /// # Errors
    /// When the SMTP host is not a valid name for TLS, or the mail folder cannot be made.
    pub fn from_settings(settings: &MailSettings, data_dir: &Path) -> Result<Transport, MailError> {
        match settings.transport {
            MailTransport::Memory => Ok(Transport::Memory(MemoryMailbox::default())),
            MailTransport::File => {
                let dir = data_dir.join("mail");
                std::fs::create_dir_all(&dir).map_err(|e| MailError::Setup(format!("{}: {e}", dir.display())))?;
                Ok(Transport::File(AsyncFileTransport::<Tokio1Executor>::new(dir)))
            }
            MailTransport::Smtp => {
                let host = settings.smtp_host.trim();
                let tls = || {
                    TlsParameters::new(host.to_owned())
                        .map_err(|e| MailError::Setup(format!("mail.smtp_host: not usable for TLS: {e}")))
                };
                let tls = match settings.smtp_security {
                    SmtpSecurity::Starttls => Tls::Required(tls()?),
                    SmtpSecurity::Tls => Tls::Wrapper(tls()?),
                    SmtpSecurity::None => Tls::None,
                };
                let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
                    .port(settings.smtp_port)
                    .tls(tls)
                    .timeout(Some(SMTP_TIMEOUT));
                if !settings.smtp_username.is_empty() {
                    builder = builder
                        .credentials(Credentials::new(settings.smtp_username.clone(), settings.smtp_password.clone()));
                }
                Ok(Transport::Smtp(builder.build()))
            }
        }
    }

    /// Hands one message over.
    ///
    /// # Errors
    /// A [`MailError`] that says whether trying again can help; it never carries the server's
    /// words, which may quote the recipient's address.
    pub async fn send(&self, message: Message) -> Result<(), MailError> {
        match self {
            Transport::Smtp(smtp) => smtp.send(message).await.map(|_| ()).map_err(|e| MailError::from_smtp(&e)),
            Transport::File(file) => file.send(message).await.map(|_| ()).map_err(|_| MailError::File),
            Transport::Memory(mailbox) => mailbox.deliver(&message),
        }
    }
}

/// A mail as the memory transport kept it.
#[derive(Debug, Clone)]
pub struct SentMail {
    /// The envelope's recipients.
    pub to: Vec<String>,
    /// The whole message as it would go over the wire (RFC 5322, MIME).
    pub raw: Vec<u8>,
}

#[derive(Debug, Default)]
struct MailboxInner {
    sent: Vec<SentMail>,
    refuse_next: u32,
}

/// The memory transport's store, shared with the tests that read it.
#[derive(Debug, Clone, Default)]
pub struct MemoryMailbox {
    inner: Arc<Mutex<MailboxInner>>,
}

impl MemoryMailbox {
    /// Every mail delivered so far, oldest first.
    pub fn messages(&self) -> Vec<SentMail> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner).sent.clone()
    }

    /// Makes the next `count` deliveries fail like a mail server that is down, to test retries.
    pub fn refuse_next(&self, count: u32) {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner).refuse_next = count;
    }

    fn deliver(&self, message: &Message) -> Result<(), MailError> {
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        if inner.refuse_next > 0 {
            inner.refuse_next -= 1;
            return Err(MailError::Refused);
        }
        let to = message.envelope().to().iter().map(ToString::to_string).collect();
        inner.sent.push(SentMail { to, raw: message.formatted() });
        Ok(())
    }
}
