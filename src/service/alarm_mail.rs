//! Telling people about door alarms: a new alarm goes by e-mail to the hub's managers and the
//! admins, in each one's language, at most once per alarm kind and door every 15 minutes
//! (`alarms.last_notified_at`). Written into the outbox inside the events' transaction.

use chrono::{DateTime, Duration, Utc};

use super::booking_mail::language_of;
use super::{ServiceError, to_db_time};
use crate::db::access as rows;
use crate::db::catalog::{self, Door};
use crate::domain::vocabulary::AlarmKind;
use crate::i18n;
use crate::mail::{self, messages::DoorAlarmMail};
use crate::service::UnitOfWork;

/// No more than one mail per alarm kind and door within this time.
pub const NOTIFY_AT_MOST_EVERY: Duration = Duration::minutes(15);

/// Mails the hub's managers about the just-raised alarm `alarm_id`, unless people were told of
/// this kind at this door less than 15 minutes ago. Returns how many mails were queued.
///
/// # Errors
/// On a database failure.
pub fn notify_alarm(
    tx: &mut UnitOfWork<'_>,
    door: &Door,
    alarm_id: &str,
    kind: AlarmKind,
    raised_at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<usize, ServiceError> {
    if let Some(last) = rows::last_alarm_notice(tx, &door.id, kind)?
        && last.and_utc() + NOTIFY_AT_MOST_EVERY > now
    {
        tracing::debug!(door.id = %door.id, alarm.kind = %kind, "alarm mail held back: people were told recently");
        return Ok(0);
    }
    let hub = catalog::find_hub_by_id(tx, &door.hub_id)?.ok_or(ServiceError::NotFound)?;
    let tz = hub.zone();
    let mut queued = 0;
    for user in rows::alarm_recipients(tx, &hub.id)? {
        let lang = language_of(&user);
        let message = DoorAlarmMail {
            lang,
            name: user.name.clone(),
            hub: hub.name.clone(),
            door: door.name.clone(),
            kind,
            at: i18n::format_date_time(lang, raised_at, tz),
        };
        match message.render() {
            Ok(rendered) => {
                mail::enqueue(tx, rendered.to(&user.email), now)?;
                queued += 1;
            }
            Err(error) => tracing::error!(alarm.id = %alarm_id, error = %error, "alarm mail could not be rendered"),
        }
    }
    rows::set_alarm_notified(tx, alarm_id, to_db_time(now))?;
    tracing::info!(alarm.id = %alarm_id, recipients = queued, "alarm mail queued");
    Ok(queued)
}
