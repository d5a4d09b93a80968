//! Calendar entries for bookings (RFC 5545, iTIP methods from RFC 5546), built with the
//! `icalendar` crate. One booking is one event with a UID that never changes, so a calendar
//! replaces the entry on a change and removes it on a cancellation. Times are written in UTC.

use chrono::{DateTime, Utc};
use icalendar::{Calendar, Component, Event, EventLike, EventStatus, Property};

use crate::domain::ids::BookingId;

/// What the calendar is asked to do with the entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IcsMethod {
    /// Add or update the entry (the confirmation mail).
    Request,
    /// Remove it (the cancellation mail).
    Cancel,
    /// Just a copy to import (the booking page's download).
    Publish,
}

impl IcsMethod {
    /// The `METHOD` value, also used in the attachment's content type.
    pub fn as_str(self) -> &'static str {
        match self {
            IcsMethod::Request => "REQUEST",
            IcsMethod::Cancel => "CANCEL",
            IcsMethod::Publish => "PUBLISH",
        }
    }

    /// The stored value back; anything unknown is `None`.
    pub fn parse(value: &str) -> Option<IcsMethod> {
        match value {
            "REQUEST" => Some(IcsMethod::Request),
            "CANCEL" => Some(IcsMethod::Cancel),
            "PUBLISH" => Some(IcsMethod::Publish),
            _ => None,
        }
    }
}

/// Everything a booking's calendar entry says.
#[derive(Debug, Clone)]
pub struct BookingCalendarEntry {
    /// From [`booking_uid`]; the same for every version of the entry.
    pub uid: String,
    /// E.g. "Arbeitsplatz 2 – RegioHub Polch".
    pub summary: String,
    /// The hub's postal address.
    pub location: String,
    pub description: String,
    /// The booking page.
    pub url: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// 0 for the first version, raised with every change (RFC 5545 `SEQUENCE`).
    pub sequence: u32,
    pub cancelled: bool,
    /// The service's sender address (iTIP needs an organizer for REQUEST and CANCEL).
    pub organizer_email: String,
    pub organizer_name: String,
    /// The member, as the attendee.
    pub attendee_email: String,
    pub attendee_name: String,
    /// When this version was made (`DTSTAMP`).
    pub stamp: DateTime<Utc>,
}

/// A booking's UID: its id at the service's host name, unique across calendars and stable.
pub fn booking_uid(booking_id: &BookingId, public_url: &str) -> String {
    let without_scheme = public_url.split_once("://").map_or(public_url, |(_, rest)| rest);
    let host = without_scheme.split(['/', ':', '?', '#']).next().filter(|h| !h.is_empty()).unwrap_or("regiohub");
    format!("{booking_id}@{host}")
}

/// The entry as an iCalendar file (CRLF lines, folded at 75 octets).
pub fn booking_ics(entry: &BookingCalendarEntry, method: IcsMethod) -> String {
    let mut calendar = Calendar::empty();
    calendar
        .append_property(Property::new("PRODID", "-//RegioHub//Buchung//DE"))
        .append_property(Property::new("VERSION", "2.0"))
        .append_property(Property::new("CALSCALE", "GREGORIAN"))
        .append_property(Property::new("METHOD", method.as_str()));
    let mut event = booking_event(entry);
    event.append_property(
        Property::new("ORGANIZER", format!("mailto:{}", one_line(&entry.organizer_email)))
            .add_parameter("CN", &parameter_text(&entry.organizer_name))
            .done(),
    );
    event.append_multi_property(
        Property::new("ATTENDEE", format!("mailto:{}", one_line(&entry.attendee_email)))
            .add_parameter("CN", &parameter_text(&entry.attendee_name))
            .add_parameter("ROLE", "REQ-PARTICIPANT")
            .add_parameter("PARTSTAT", if entry.cancelled { "DECLINED" } else { "ACCEPTED" })
            .done(),
    );
    busy(&mut event);
    calendar.push(event.done());
    calendar.to_string()
}

/// How often calendar apps are asked to fetch a subscribed feed again (RFC 7986
/// `REFRESH-INTERVAL`, and Outlook's `X-PUBLISHED-TTL`).
pub const FEED_REFRESH: &str = "PT1H";

/// A member's calendar feed: one `VEVENT` per booking, each with the UID and `SEQUENCE` of the
/// booking's mails, so a change replaces the entry. No organizer or attendee: a subscribed
/// calendar is not an invitation, and the feed's address should reveal as little as it can.
/// `tentative` entries (requests waiting for approval) say `STATUS:TENTATIVE`.
pub fn feed_ics(name: &str, entries: &[(BookingCalendarEntry, bool)]) -> String {
    let mut calendar = Calendar::empty();
    calendar
        .append_property(Property::new("PRODID", "-//RegioHub//Buchungen//DE"))
        .append_property(Property::new("VERSION", "2.0"))
        .append_property(Property::new("CALSCALE", "GREGORIAN"))
        .append_property(Property::new("METHOD", IcsMethod::Publish.as_str()))
        .append_property(Property::new("NAME", one_line(name)))
        .append_property(Property::new("X-WR-CALNAME", one_line(name)))
        .append_property(Property::new("REFRESH-INTERVAL", FEED_REFRESH).add_parameter("VALUE", "DURATION").done())
        .append_property(Property::new("X-PUBLISHED-TTL", FEED_REFRESH));
    for (entry, tentative) in entries {
        let mut event = booking_event(entry);
        if *tentative && !entry.cancelled {
            event.status(EventStatus::Tentative);
        }
        busy(&mut event);
        calendar.push(event.done());
    }
    calendar.to_string()
}

/// The parts of a booking's event that every calendar output shares.
fn booking_event(entry: &BookingCalendarEntry) -> Event {
    let mut event = Event::new();
    event
        .uid(&one_line(&entry.uid))
        .timestamp(entry.stamp)
        .sequence(entry.sequence)
        .summary(&one_line(&entry.summary))
        .location(&one_line(&entry.location))
        .description(&text(&entry.description))
        .url(&one_line(&entry.url))
        .starts(entry.start)
        .ends(entry.end)
        .status(if entry.cancelled { EventStatus::Cancelled } else { EventStatus::Confirmed });
    event
}

/// A room, not a meeting: show the time as busy, and no "transparent" entry.
fn busy(event: &mut Event) {
    event.append_property(Property::new("TRANSP", "OPAQUE"));
}

/// A value on one line: every control character (a stored name may hold a carriage return that
/// would start a property of its own) becomes a space. The crate escapes backslashes, `,` and `;` in
/// text values and folds long lines.
fn one_line(value: &str) -> String {
    value.chars().map(|c| if c.is_control() { ' ' } else { c }).collect()
}

/// A text that may have several lines: every line break (CR LF, CR or LF) becomes one LF, which
/// the crate writes as the escape `\n`; any other control character becomes a space.
fn text(value: &str) -> String {
    value
        .replace("\r\n", "\n")
        .chars()
        .map(|c| match c {
            '\r' | '\n' => '\n',
            c if c.is_control() => ' ',
            c => c,
        })
        .collect()
}

/// Parameter values cannot hold a double quote or control characters (RFC 5545 §3.1).
fn parameter_text(value: &str) -> String {
    value.chars().filter(|c| *c != '"' && !c.is_control()).collect()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;

    fn entry() -> BookingCalendarEntry {
        BookingCalendarEntry {
            uid: booking_uid(&BookingId::new("0193-abc"), "https://buchen.regiohub.example/"),
            summary: "Arbeitsplatz 2 – RegioHub Polch".into(),
            location: "Bachstraße 1, 56751 Polch".into(),
            description: "PIN: see mail; line two".into(),
            url: "https://buchen.regiohub.example/bookings/0193-abc".into(),
            start: "2026-11-24T08:00:00Z".parse().unwrap(),
            end: "2026-11-24T11:00:00Z".parse().unwrap(),
            sequence: 0,
            cancelled: false,
            organizer_email: "noreply@regiohub.example".into(),
            organizer_name: "RegioHub".into(),
            attendee_email: "mia@example.org".into(),
            attendee_name: "Mia \"M\" Mitglied".into(),
            stamp: "2026-11-23T07:00:00Z".parse().unwrap(),
        }
    }

    #[test]
    fn the_uid_uses_the_public_host_only() {
        assert_eq!(booking_uid(&BookingId::new("b1"), "https://buchen.example:8443/app"), "b1@buchen.example");
        assert_eq!(booking_uid(&BookingId::new("b1"), "http://127.0.0.1:8080"), "b1@127.0.0.1");
    }

    #[test]
    fn a_request_has_utc_times_method_and_escaped_text() {
        let ics = booking_ics(&entry(), IcsMethod::Request);
        assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"), "{ics}");
        assert!(ics.contains("\r\nMETHOD:REQUEST\r\n"), "{ics}");
        assert!(ics.contains("\r\nDTSTART:20261124T080000Z\r\n"), "{ics}");
        assert!(ics.contains("\r\nDTEND:20261124T110000Z\r\n"), "{ics}");
        assert!(ics.contains("\r\nUID:0193-abc@buchen.regiohub.example\r\n"), "{ics}");
        assert!(ics.contains("\r\nSTATUS:CONFIRMED\r\n"), "{ics}");
        assert!(ics.contains("Bachstraße 1\\, 56751 Polch"), "commas in text are escaped: {ics}");
        assert!(!ics.contains("\"M\""), "quotes cannot appear in a parameter: {ics}");
        assert!(ics.lines().all(|l| l.len() <= 75), "lines are folded: {ics}");
    }

    #[test]
    fn control_characters_in_stored_texts_start_no_property() {
        let mut injected = entry();
        injected.summary = "Desk 6\rATTENDEE:mailto:x@evil.example\nX-A:1".into();
        injected.location = "Street 1\r\nLOCATION:elsewhere".into();
        injected.description = "line one\r\nline two\rline three\u{7}".into();
        let ics = booking_ics(&injected, IcsMethod::Request);
        let lines: Vec<&str> = ics.split("\r\n").collect();
        assert!(lines.iter().all(|l| !l.contains(['\r', '\n'])), "no bare line break: {ics:?}");
        assert!(
            !lines.iter().any(|l| l.starts_with("ATTENDEE:") || l.starts_with("X-A") || l.starts_with("LOCATION:else"))
        );
        assert!(ics.contains("SUMMARY:Desk 6 ATTENDEE:mailto:x@evil.example X-A:1\r\n"), "{ics}");
        assert!(ics.contains("DESCRIPTION:line one\\nline two\\nline three \r\n"), "{ics}");
    }

    #[test]
    fn a_cancellation_keeps_the_uid_and_says_cancelled() {
        let mut cancelled = entry();
        cancelled.sequence = 1;
        cancelled.cancelled = true;
        let ics = booking_ics(&cancelled, IcsMethod::Cancel);
        assert!(ics.contains("\r\nMETHOD:CANCEL\r\n"));
        assert!(ics.contains("\r\nSTATUS:CANCELLED\r\n"));
        assert!(ics.contains("\r\nSEQUENCE:1\r\n"));
        assert!(ics.contains("\r\nUID:0193-abc@buchen.regiohub.example\r\n"));
    }
}
