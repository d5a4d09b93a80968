//! The e-mails accounts send: the verification link, "you already have an account", the password
//! reset link and the link that confirms a new address. Every one goes through
//! [`send_account_mail`], so the switch to the mail outbox happens in one place.
//!
//! Until the mail outbox lands, messages are rendered from the catalogue and kept in a process-wide
//! list ([`sent_account_mails`]) that tests read; nothing is logged but the kind.

use std::sync::{Mutex, PoisonError};

use crate::db::DbConn;
use crate::i18n::{self, Lang};
use crate::service::ServiceError;

/// Which account e-mail to send.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AccountMailKind {
    /// Confirms the address of a new account; the link activates it.
    Verify,
    /// Someone registered with an address that has an account; the link leads to the reset.
    AlreadyRegistered,
    /// The link lets the owner of the address choose a new password.
    PasswordReset,
    /// Sent to a new address; the link makes it the account's login.
    ConfirmNewEmail,
}

impl AccountMailKind {
    fn key(self) -> &'static str {
        match self {
            AccountMailKind::Verify => "mail-account-verify",
            AccountMailKind::AlreadyRegistered => "mail-account-exists",
            AccountMailKind::PasswordReset => "mail-account-reset",
            AccountMailKind::ConfirmNewEmail => "mail-account-new-email",
        }
    }
}

/// An account e-mail as it was handed over for sending.
#[derive(Debug, Clone)]
pub struct SentAccountMail {
    pub to: String,
    pub kind: AccountMailKind,
    pub subject: String,
    pub text: String,
    pub link: String,
}

static SENT: Mutex<Vec<SentAccountMail>> = Mutex::new(Vec::new());

/// Sends one account e-mail in the recipient's language. Called inside the transaction of the
/// change it belongs to.
///
/// # Errors
/// Reserved for the outbox (a database error); the interim capture cannot fail.
pub fn send_account_mail(
    _conn: &mut DbConn,
    to: &str,
    lang: Lang,
    kind: AccountMailKind,
    link: &str,
) -> Result<(), ServiceError> {
    let subject = i18n::t(lang, &format!("{}-subject", kind.key()));
    let text = i18n::t_args(lang, &format!("{}-text", kind.key()), &[("link", link.to_owned())]);
    SENT.lock().unwrap_or_else(PoisonError::into_inner).push(SentAccountMail {
        to: to.to_owned(),
        kind,
        subject,
        text,
        link: link.to_owned(),
    });
    tracing::info!(mail.kind = ?kind, "account e-mail queued");
    Ok(())
}

/// The account e-mails sent so far to `to`, oldest first (interim, for tests).
pub fn sent_account_mails(to: &str) -> Vec<SentAccountMail> {
    SENT.lock().unwrap_or_else(PoisonError::into_inner).iter().filter(|m| m.to == to).cloned().collect()
}
