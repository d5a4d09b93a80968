//! The e-mails accounts send: the verification link, "you already have an account", the password
//! reset link, the link that confirms a new address, and the security notices (a second
//! registration, a finished reset, an address change asked for). Every one goes through
//! [`send_account_mail`] into the mail outbox, inside the transaction of the change it belongs to.
//!
//! Verification and reset use the mail module's messages; the others are rendered here from
//! one template pair (`templates/mail/account_link.*`) with texts from the catalogue.

use askama::Template;
use chrono::{DateTime, Utc};

use crate::domain::account::TokenPurpose;
use crate::i18n::{self, Lang};
use crate::mail::messages::{PasswordResetMail, RenderedMail, VerificationMail};
use crate::mail::{self};
use crate::service::ErrorCode;
use crate::service::ServiceError;
use crate::service::UnitOfWork;

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
    /// Someone registered again before the address was confirmed; the link's page asks the
    /// mailbox's owner to choose the password.
    VerifyChoosePassword,
    /// The password was reset: sessions and API tokens ended (`tokens` says how many).
    PasswordResetDone,
    /// Sent to the old address: a change to another one (`new_email`, masked) was asked for.
    EmailChangeRequested,
}

impl AccountMailKind {
    /// The catalogue key of the subject, so tests and tools can recognise the mail.
    pub fn subject_key(self) -> &'static str {
        match self {
            AccountMailKind::Verify => "mail-verify-subject",
            AccountMailKind::PasswordReset => "mail-reset-subject",
            AccountMailKind::AlreadyRegistered => "mail-account-exists-subject",
            AccountMailKind::ConfirmNewEmail => "mail-account-new-email-subject",
            AccountMailKind::VerifyChoosePassword => "mail-account-verify-again-subject",
            AccountMailKind::PasswordResetDone => "mail-account-reset-done-subject",
            AccountMailKind::EmailChangeRequested => "mail-account-email-change-subject",
        }
    }
}

/// Who gets an account e-mail: their address, the name to greet and their language.
#[derive(Debug, Clone, Copy)]
pub struct Recipient<'a> {
    pub email: &'a str,
    pub name: &'a str,
    pub lang: Lang,
}

/// Renders one account e-mail in the recipient's language and puts it into the outbox.
///
/// # Errors
/// A database error writing the outbox (which rolls the caller's transaction back), or a
/// template that fails to render.
pub fn send_account_mail(
    tx: &mut UnitOfWork<'_>,
    to: Recipient<'_>,
    kind: AccountMailKind,
    link: &str,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    send_account_mail_with(tx, to, kind, link, Vec::new(), now)
}

/// [`send_account_mail`] for the notices whose sentences take values (`args`).
///
/// # Errors
/// Like [`send_account_mail`].
pub(super) fn send_account_mail_with(
    tx: &mut UnitOfWork<'_>,
    to: Recipient<'_>,
    kind: AccountMailKind,
    link: &str,
    args: Vec<(&'static str, String)>,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let (lang, name, link) = (to.lang, to.name.to_owned(), link.to_owned());
    let notice = |texts: &'static str, valid_hours: Option<u32>| AccountLinkMail {
        lang,
        name: name.clone(),
        link: link.clone(),
        texts,
        valid_hours,
        args: args.clone(),
    };
    let valid_hours = u32::try_from(TokenPurpose::Verify.lifetime().num_hours()).unwrap_or(24);
    let rendered = match kind {
        AccountMailKind::Verify => {
            VerificationMail { lang, name: name.clone(), link: link.clone(), valid_hours }.render()
        }
        AccountMailKind::PasswordReset => {
            PasswordResetMail { lang, name: name.clone(), link: link.clone(), valid_hours }.render()
        }
        AccountMailKind::AlreadyRegistered => notice("mail-account-exists", None).render(),
        AccountMailKind::ConfirmNewEmail => notice("mail-account-new-email", Some(valid_hours)).render(),
        AccountMailKind::VerifyChoosePassword => notice("mail-account-verify-again", Some(valid_hours)).render(),
        AccountMailKind::PasswordResetDone => notice("mail-account-reset-done", None).render(),
        AccountMailKind::EmailChangeRequested => notice("mail-account-email-change", None).render(),
    }
    .map_err(|error| {
        tracing::error!(error = %error, "account mail template failed");
        ServiceError::Invalid {
            field: "mail",
            code: ErrorCode::MailRenderFailed,
            message: "mail template failed".to_owned(),
        }
    })?;
    mail::enqueue(tx, rendered.to(to.email), now)?;
    tracing::info!(mail.kind = ?kind, "account e-mail queued");
    Ok(())
}

/// A mail with a greeting, one sentence, one link (as a button in HTML) and a closing hint; its
/// texts are the catalogue keys `<texts>-subject`, `-intro`, `-button`, `-ignore`.
#[derive(Debug, Clone)]
struct AccountLinkMail {
    lang: Lang,
    name: String,
    link: String,
    texts: &'static str,
    valid_hours: Option<u32>,
    /// Values the sentences name, e.g. the masked new address.
    args: Vec<(&'static str, String)>,
}

impl AccountLinkMail {
    /// A fixed sentence of the catalogue (the shared mail layout uses it).
    fn t(&self, key: &str) -> String {
        i18n::t(self.lang, key)
    }

    /// This mail's own sentence, e.g. `part("intro")`.
    fn part(&self, which: &str) -> String {
        i18n::t_args(self.lang, &format!("{}-{which}", self.texts), &self.args)
    }

    fn greeting(&self) -> String {
        i18n::t_args(self.lang, "mail-greeting", &[("name", self.name.clone())])
    }

    fn valid_for(&self) -> Option<String> {
        self.valid_hours.map(|hours| i18n::t_args(self.lang, "mail-link-valid", &[("hours", hours.to_string())]))
    }

    fn render(&self) -> Result<RenderedMail, askama::Error> {
        Ok(RenderedMail {
            subject: self.part("subject"),
            text: AccountLinkText { m: self }.render()?,
            html: AccountLinkHtml { m: self }.render()?,
        })
    }
}

#[derive(Template)]
#[template(path = "mail/account_link.txt")]
struct AccountLinkText<'a> {
    m: &'a AccountLinkMail,
}

#[derive(Template)]
#[template(path = "mail/account_link.html")]
struct AccountLinkHtml<'a> {
    m: &'a AccountLinkMail,
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    #[test]
    fn the_account_link_mails_render_in_both_languages() {
        for lang in Lang::ALL {
            for texts in [
                "mail-account-exists",
                "mail-account-new-email",
                "mail-account-verify-again",
                "mail-account-reset-done",
                "mail-account-email-change",
            ] {
                let mail = AccountLinkMail {
                    lang,
                    name: "Mia <M>".into(),
                    link: "https://buchen.example/verify/abc?x=1&y=2".into(),
                    texts,
                    valid_hours: Some(24),
                    args: vec![("tokens", "2".to_owned()), ("new_email", "n…@e….org".to_owned())],
                };
                let rendered = mail.render().unwrap();
                assert!(!rendered.subject.contains(texts), "{}", rendered.subject);
                assert!(rendered.text.contains("https://buchen.example/verify/abc?x=1&y=2"), "{}", rendered.text);
                assert!(rendered.text.contains("Mia <M>"), "text is not escaped");
                assert!(rendered.html.contains("x=1&#38;y=2") || rendered.html.contains("x=1&amp;y=2"));
                assert!(!rendered.html.contains("Mia <M>"), "HTML is escaped: {}", rendered.html);
                assert!(rendered.text.contains("24"), "{}", rendered.text);
                for part in [&rendered.text, &rendered.html] {
                    assert!(!part.contains("mail-account"), "a missing key: {part}");
                }
            }
        }
    }
}
