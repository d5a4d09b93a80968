//! Turns the domain's refusals into sentences of the catalogue, in the viewer's language.

use chrono::NaiveDate;

use crate::domain::booking::RuleViolation;
use crate::domain::local_time::LocalTimeError;
use crate::domain::vocabulary::{BookingStatus, SpaceKind};
use crate::i18n::{self, Lang};

/// The sentence for a broken booking rule.
pub fn rule_message(lang: Lang, rule: &RuleViolation) -> String {
    let key = format!("rule-{}", rule.code());
    match rule {
        RuleViolation::SlotGranularity { minutes } => i18n::t_args(lang, &key, &[("minutes", minutes.to_string())]),
        RuleViolation::TooFarAhead { max_days } => i18n::t_args(lang, &key, &[("days", max_days.to_string())]),
        RuleViolation::HubClosed { date, label } => {
            i18n::t_args(lang, &key, &[("date", i18n::format_date(lang, *date)), ("reason", label.clone())])
        }
        RuleViolation::TooShort { min_minutes } => {
            i18n::t_args(lang, &key, &[("duration", duration(lang, *min_minutes))])
        }
        RuleViolation::TooLong { max_minutes } => {
            i18n::t_args(lang, &key, &[("duration", duration(lang, *max_minutes))])
        }
        RuleViolation::ConcurrentLimit { max } | RuleViolation::UpcomingLimit { max } => {
            i18n::t_args(lang, &key, &[("count", max.to_string())])
        }
        _ => i18n::t(lang, &key),
    }
}

/// The sentence for a wall-clock time that does not exist or happens twice.
pub fn local_time_message(lang: Lang, error: &LocalTimeError) -> String {
    match error {
        LocalTimeError::Nonexistent { date, time, .. } => i18n::t_args(
            lang,
            "rule-nonexistent_local_time",
            &[("date", i18n::format_date(lang, *date)), ("time", time.format("%H:%M").to_string())],
        ),
        LocalTimeError::Ambiguous { date, time, .. } => i18n::t_args(
            lang,
            "rule-ambiguous_local_time",
            &[("date", i18n::format_date(lang, *date)), ("time", time.format("%H:%M").to_string())],
        ),
    }
}

/// "2 Stunden", "30 Minuten", "1 Tag" — whole days for multiples of a day.
pub fn duration(lang: Lang, minutes: u32) -> String {
    if minutes >= 1440 && minutes.is_multiple_of(1440) {
        i18n::t_args(lang, "duration-days", &[("count", (minutes / 1440).to_string())])
    } else if minutes >= 60 && minutes.is_multiple_of(60) {
        i18n::t_args(lang, "duration-hours", &[("count", (minutes / 60).to_string())])
    } else {
        i18n::t_args(lang, "duration-minutes", &[("count", minutes.to_string())])
    }
}

/// The kind of a space as a word.
pub fn kind_label(lang: Lang, kind: SpaceKind) -> String {
    i18n::t(lang, &format!("space-kind-{kind}"))
}

/// The status of a booking as a word.
pub fn status_label(lang: Lang, status: BookingStatus) -> String {
    i18n::t(lang, &format!("booking-status-{status}"))
}

/// `date` as the `value` of an `<input type="date">`.
pub fn iso_date(date: NaiveDate) -> String {
    date.format("%Y-%m-%d").to_string()
}
