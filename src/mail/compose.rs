//! Turning an outbox row into a MIME message: `multipart/alternative` with the text and HTML
//! parts, wrapped in `multipart/mixed` with the calendar entry as an `.ics` attachment when the
//! mail has one.

use lettre::Message;
use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart};

use super::MailError;
use super::ics::IcsMethod;
use crate::db::outbox::OutboxRow;

/// The message for `row`, from `from`.
///
/// # Errors
/// `Address` for a recipient that is not an address; `Build` for a stored calendar method this
/// version does not know.
pub fn compose(from: &Mailbox, row: &OutboxRow) -> Result<Message, MailError> {
    let to: Mailbox = row.recipient.parse().map_err(|_| MailError::Address)?;
    let body = MultiPart::alternative_plain_html(row.text_body.clone(), row.html_body.clone());
    let body = match (&row.ics, &row.ics_method) {
        (Some(ics), Some(method)) => {
            let method = IcsMethod::parse(method).ok_or(MailError::Build)?;
            let content_type = ContentType::parse(&format!("text/calendar; charset=utf-8; method={}", method.as_str()))
                .map_err(|_| MailError::Build)?;
            let file_name = if method == IcsMethod::Cancel { "absage.ics" } else { "buchung.ics" };
            MultiPart::mixed()
                .multipart(body)
                .singlepart(Attachment::new(file_name.to_owned()).body(ics.clone(), content_type))
        }
        _ => body,
    };
    Message::builder()
        .from(from.clone())
        .to(to)
        .subject(row.subject.clone())
        .multipart(body)
        .map_err(|_| MailError::Build)
}
