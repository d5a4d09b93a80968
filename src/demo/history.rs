//! Service level: demo history: a realistic last calendar month for the demo's Polch hub
//! (bookings of desks, rooms and the projector by a handful of people, mostly attended, some no-shows and
//! cancellations, a few booked by the manager for walk-ins, the presence aggregates the
//! sensors would have left, and the door events of the people who came: a PIN at the entrance
//! (and at the room's door) shortly before their booking began, now and then a mistyped PIN
//! first, a few check-ins by the desk's QR code), so the console's utilization page and access
//! log have something to show. No-shows and cancelled bookings leave no door events; presence
//! stays tied to spaces, never to people.
//!
//! Deterministic (a fixed-seed RNG per month) and written once: when Polch already has bookings in
//! that month nothing is added. Bookings are written as rows, not through the booking use case:
//! they lie in the past, have no PINs and send no mail. Attended bookings are `completed`, not
//! `confirmed`: a confirmed past booking would be released as a no-show, with a mail. The door
//! events draw on an RNG of their own, so adding them left the bookings of a month as they were.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveDateTime, NaiveTime, Utc, Weekday};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use super::logins::DEMO_LOGINS;
use crate::db::access::{self as access_rows, AccessEventRow};
use crate::db::bookings::{self as booking_rows, Booking};
use crate::db::catalog::{self, Space};
use crate::db::presence::{self as presence_rows, PresenceAggregate};
use crate::db::users::{self as user_rows, User};
use crate::db::{self, DbConn, dashboard};
use crate::domain::ids::{BookingId, DoorId, HubId, SpaceId, UserId};
use crate::domain::local_time::{local_day_bounds, resolve_local};
use crate::domain::slot::Slot;
use crate::domain::utilization::DateRange;
use crate::domain::vocabulary::{BookingStatus, SpaceKind, UserStatus};
use crate::service::calendar::hub_calendar;
use crate::service::{ServiceError, to_db_time};

/// The hub that gets a history.
const HUB: &str = "polch";

/// Members who only exist in the history (they have no password and cannot log in).
const PEOPLE: [(&str, &str); 5] = [
    ("Jonas Becker", "jonas.becker@demo.regiohub.example"),
    ("Lea Schmitz", "lea.schmitz@demo.regiohub.example"),
    ("Murat Yilmaz", "murat.yilmaz@demo.regiohub.example"),
    ("Sabine Wagner", "sabine.wagner@demo.regiohub.example"),
    ("Heimatverein Polch e. V.", "vorstand.heimatverein@demo.regiohub.example"),
];

const BUCKET_MINUTES: i64 = 5;

/// How many in a hundred entries begin with a mistyped PIN.
const MISTYPED_PERCENT: u32 = 8;
/// How many in a hundred desk bookings are checked in by the desk's QR code instead of a PIN (the
/// door was held open by someone else).
const QR_PERCENT: u32 = 10;

/// The local hours in which the history's people come, whatever the opening hours.
const DAY_STARTS: u32 = 8;
const DAY_ENDS: u32 = 20;

/// The full local hour of the day as an instant (08:00 and 20:00 are never in a DST gap).
fn local_at(day: NaiveDate, hour: u32, tz: chrono_tz::Tz) -> DateTime<Utc> {
    let time = NaiveTime::from_hms_opt(hour, 0, 0).unwrap_or(NaiveTime::MIN);
    resolve_local(day, time, tz).unwrap_or_else(|_| local_day_bounds(day, tz).start())
}

/// Seeds the month before `now`'s month; returns whether anything was written.
///
/// # Errors
/// On a database failure nothing is written.
pub fn seed_last_month(conn: &mut DbConn, now: DateTime<Utc>) -> Result<bool, ServiceError> {
    let Some(hub) = catalog::find_hub(conn, HUB)? else { return Ok(false) };
    let Some(hub) = catalog::find_hub_with_calendar(conn, &hub.id)? else { return Ok(false) };
    let calendar = hub_calendar(&hub)?;
    let range = DateRange::previous_month(calendar.local_date_of(now));
    let window = range.window(calendar.tz);
    let (start, end) = (to_db_time(window.start()), to_db_time(window.end()));
    if dashboard::hub_has_bookings_between(conn, &hub.hub.id, start, end)? {
        return Ok(false);
    }
    let spaces = catalog::list_spaces(conn, &hub.hub.id)?;
    let doors = DoorPlan::of_hub(catalog::list_doors(conn, &hub.hub.id)?);
    let seed = u64::from(range.first().year().unsigned_abs()) * 100 + u64::from(range.first().month());
    db::write_transaction(conn, |conn| {
        let people = people(conn, now)?;
        let manager = user_rows::find_user_by_email(conn, DEMO_LOGINS[1].email)?.map(|u| u.id);
        let mut month = Month {
            rng: StdRng::seed_from_u64(seed),
            door_rng: StdRng::seed_from_u64(seed ^ DOOR_SEED),
            hub_id: hub.hub.id.clone(),
            doors,
            door_events: Vec::new(),
            people,
            manager,
            bookings: Vec::new(),
            presence: BTreeMap::new(),
        };
        let mut day = range.first();
        while day <= range.last() {
            let opening = calendar.opening_slots_on(day);
            // The demo lets members in around the clock; people still come by day.
            let daytime = (local_at(day, DAY_STARTS, calendar.tz), local_at(day, DAY_ENDS, calendar.tz));
            if let (Some(first), Some(last)) = (opening.first(), opening.last())
                && let Ok(open) = Slot::new(first.start().max(daytime.0), last.end().min(daytime.1))
            {
                let whole_day = local_day_bounds(day, calendar.tz);
                for (n, space) in spaces.iter().enumerate() {
                    month.plan_day(space, n, day.weekday(), open, whole_day);
                }
            }
            let Some(next) = day.succ_opt() else { break };
            day = next;
        }
        for booking in &month.bookings {
            booking_rows::insert_booking(conn, booking)?;
        }
        // A few hundred rows, after the bookings they name.
        for event in &month.door_events {
            access_rows::insert_access_event(conn, event)?;
        }
        // About ten thousand buckets: one statement per thousand instead of two per bucket.
        let buckets: Vec<PresenceAggregate> = month
            .presence
            .into_iter()
            .map(|((space_id, bucket_start), present_seconds)| PresenceAggregate {
                space_id,
                bucket_start,
                present_seconds,
                observed_seconds: 300,
            })
            .collect();
        presence_rows::add_to_aggregates(conn, &buckets)?;
        Ok::<(), ServiceError>(())
    })?;
    Ok(true)
}

/// The demo member and the history's people, created when missing; their ids.
fn people(conn: &mut DbConn, now: DateTime<Utc>) -> Result<Vec<UserId>, ServiceError> {
    let mut ids = Vec::new();
    if let Some(member) = user_rows::find_user_by_email(conn, DEMO_LOGINS[0].email)? {
        ids.push(member.id);
    }
    for (name, email) in PEOPLE {
        let id = match user_rows::find_user_by_email(conn, email)? {
            Some(user) => user.id,
            None => {
                let user = User {
                    id: UserId::from(db::new_id()),
                    email: email.to_owned(),
                    name: name.to_owned(),
                    locale: "de".to_owned(),
                    status: UserStatus::Active,
                    password_hash: None,
                    created_at: to_db_time(now),
                    updated_at: to_db_time(now),
                };
                user_rows::insert_user(conn, &user)?;
                user.id
            }
        };
        ids.push(id);
    }
    Ok(ids)
}

/// Mixed into the month's seed for the door events' RNG.
const DOOR_SEED: u64 = 0x0D00_2DEC;

/// Which doors a person opens to reach a space: the entrance, and the space's own door if it has
/// one (the rooms).
#[derive(Debug, Clone, Default)]
struct DoorPlan {
    entrance: Option<DoorId>,
    own_door: HashMap<SpaceId, DoorId>,
}

impl DoorPlan {
    fn of_hub(doors: Vec<(crate::db::catalog::Door, Vec<SpaceId>)>) -> DoorPlan {
        let mut plan = DoorPlan::default();
        for (door, space_ids) in doors {
            if door.is_entrance {
                plan.entrance.get_or_insert(door.id);
            } else {
                for space_id in space_ids {
                    plan.own_door.entry(space_id).or_insert_with(|| door.id.clone());
                }
            }
        }
        plan
    }

    /// The doors on the way to the space, in the order they are opened.
    fn way_to(&self, space_id: &SpaceId) -> Vec<DoorId> {
        self.entrance.iter().chain(self.own_door.get(space_id)).cloned().collect()
    }
}

/// The month being planned: the bookings, the present seconds per (space, bucket) and the door
/// events.
struct Month {
    rng: StdRng,
    /// Draws only for door events, so they change nothing else.
    door_rng: StdRng,
    hub_id: HubId,
    doors: DoorPlan,
    door_events: Vec<AccessEventRow>,
    people: Vec<UserId>,
    manager: Option<UserId>,
    bookings: Vec<Booking>,
    presence: BTreeMap<(SpaceId, NaiveDateTime), i32>,
}

impl Month {
    /// The bookings of one space on one open day (`open` its opening hours, `whole_day` its local
    /// midnights, for things booked by the day); `n` is the space's place in the list, so the
    /// first desks are the popular ones.
    fn plan_day(&mut self, space: &Space, n: usize, weekday: Weekday, open: Slot, whole_day: Slot) {
        let busy = match weekday {
            Weekday::Mon | Weekday::Tue | Weekday::Wed | Weekday::Thu => 0.75,
            Weekday::Fri => 0.55,
            _ => 0.3,
        };
        match space.kind.as_str() {
            "desk" => {
                let chance = busy * (1.0 - 0.08 * n as f64);
                if self.rng.random_bool(chance.clamp(0.05, 0.95)) {
                    let start = open.start() + Duration::hours(self.rng.random_range(0..4));
                    let hours = self.rng.random_range(2..7);
                    self.book(space, start, (start + Duration::hours(hours)).min(open.end()));
                } else if self.rng.random_bool(0.12) {
                    // A walk-in: somebody sat down without booking.
                    let start = open.start() + Duration::hours(self.rng.random_range(1..4));
                    let until = start + Duration::minutes(BUCKET_MINUTES * self.rng.random_range(6..18));
                    self.attend(&space.id, start, until);
                }
            }
            "room" => {
                if self.rng.random_bool(busy * 0.6) {
                    let start = open.start() + Duration::hours(self.rng.random_range(1..3));
                    let end = start + Duration::minutes(30 * self.rng.random_range(2..6));
                    self.book(space, start, end.min(open.end()));
                }
                if matches!(weekday, Weekday::Tue | Weekday::Thu) && self.rng.random_bool(0.7) {
                    // The club evening, when the hub is open late enough.
                    let start = open.end() - Duration::hours(3);
                    if start > open.start() + Duration::hours(6) {
                        self.book(space, start, open.end());
                    }
                }
            }
            _ => {
                if self.rng.random_bool(0.15) {
                    self.book(space, whole_day.start(), whole_day.end());
                }
            }
        }
    }

    /// One booking: mostly attended, some no-shows and cancellations, a few booked by the
    /// manager for a walk-in.
    fn book(&mut self, space: &Space, start: DateTime<Utc>, end: DateTime<Utc>) {
        if end - start < Duration::hours(1) {
            return;
        }
        let fate = self.rng.random_range(0..100);
        let status = match fate {
            0..6 => BookingStatus::Cancelled,
            6..14 => BookingStatus::NoShow,
            _ => BookingStatus::Completed,
        };
        let person = self.people.get(self.rng.random_range(0..self.people.len().max(1))).cloned();
        let by_manager = status == BookingStatus::Completed && self.rng.random_bool(0.08);
        let created = start - Duration::hours(self.rng.random_range(2..240));
        let booking = Booking {
            id: BookingId::from(db::new_id()),
            space_id: space.id.clone(),
            user_id: person,
            start_at: to_db_time(start),
            end_at: to_db_time(end),
            status,
            created_by: if by_manager { self.manager.clone() } else { None },
            created_at: to_db_time(created),
            updated_at: to_db_time(if status == BookingStatus::Completed { end } else { start }),
            cancelled_at: (status == BookingStatus::Cancelled).then(|| to_db_time(start - Duration::hours(3))),
        };
        let booking_id = booking.id.clone();
        self.bookings.push(booking);
        if status == BookingStatus::Completed && space.kind != SpaceKind::Equipment {
            // People come a little late and leave a little early; long days have a lunch break.
            let arrive = start + Duration::minutes(BUCKET_MINUTES * self.rng.random_range(0..4));
            self.come_in(space, &booking_id, arrive);
            let leave = end - Duration::minutes(BUCKET_MINUTES * self.rng.random_range(0..6));
            if leave - arrive >= Duration::hours(5) {
                let lunch = arrive + (leave - arrive) / 2;
                let back = lunch + Duration::minutes(BUCKET_MINUTES * self.rng.random_range(6..13));
                self.attend(&space.id, arrive, lunch);
                self.attend(&space.id, back, leave);
            } else {
                self.attend(&space.id, arrive, leave);
            }
        }
    }

    /// The door events of someone who sits down at `arrive` for the booking `booking_id`: a
    /// granted PIN at each door on the way a few minutes before (a PIN opens from 15 minutes
    /// before the start), sometimes after a mistyped one; or, at a desk now and then, no PIN but
    /// a check-in by the desk's QR code.
    fn come_in(&mut self, space: &Space, booking_id: &BookingId, arrive: DateTime<Utc>) {
        if space.kind == SpaceKind::Desk && self.door_rng.random_range(0..100) < QR_PERCENT {
            self.door_event(None, Some(booking_id), "checked_in", Some("qr"), arrive);
            return;
        }
        let mut at = arrive - Duration::seconds(self.door_rng.random_range(90..300));
        for door in self.doors.way_to(&space.id) {
            if self.door_rng.random_range(0..100) < MISTYPED_PERCENT {
                // A mistyped PIN matches no booking, so the entry names none.
                let typed_before = at - Duration::seconds(self.door_rng.random_range(8..30));
                self.door_event(Some(&door), None, "denied", Some("no_booking"), typed_before);
            }
            self.door_event(Some(&door), Some(booking_id), "granted", None, at);
            at += Duration::seconds(self.door_rng.random_range(20..60));
        }
    }

    fn door_event(
        &mut self,
        door_id: Option<&DoorId>,
        booking_id: Option<&BookingId>,
        kind: &str,
        reason: Option<&str>,
        at: DateTime<Utc>,
    ) {
        let received = at + Duration::seconds(self.door_rng.random_range(1..4));
        self.door_events.push(AccessEventRow {
            id: db::new_id(),
            hub_id: self.hub_id.clone(),
            door_id: door_id.cloned(),
            booking_id: booking_id.cloned(),
            kind: kind.to_owned(),
            reason: reason.map(str::to_owned),
            offline: false,
            occurred_at: to_db_time(at),
            received_at: to_db_time(received),
        });
    }

    /// Marks the space present in every whole 5-minute bucket from `from` to `until`.
    fn attend(&mut self, space_id: &SpaceId, from: DateTime<Utc>, until: DateTime<Utc>) {
        let mut bucket = from;
        while bucket + Duration::minutes(BUCKET_MINUTES) <= until {
            self.presence.insert((space_id.clone(), to_db_time(bucket)), 300);
            bucket += Duration::minutes(BUCKET_MINUTES);
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::db::catalog::Space;
    use crate::domain::vocabulary::BookingUnit;

    fn space(kind: &str) -> Space {
        let now = to_db_time(Utc::now());
        Space {
            id: SpaceId::new(kind),
            hub_id: HubId::new("h"),
            name: "S".into(),
            kind: SpaceKind::parse(kind).unwrap(),
            capacity: 1,
            enabled: true,
            booking_unit: BookingUnit::Hourly,
            slot_minutes: 60,
            min_minutes: 60,
            max_minutes: 600,
            max_days_ahead: 30,
            approval_required: false,
            created_at: now,
            position: 0,
        }
    }

    fn month(seed: u64) -> Month {
        let doors = DoorPlan {
            entrance: Some(DoorId::new("entrance")),
            own_door: HashMap::from([(SpaceId::new("room"), DoorId::new("room-door"))]),
        };
        Month {
            rng: StdRng::seed_from_u64(seed),
            door_rng: StdRng::seed_from_u64(seed ^ DOOR_SEED),
            hub_id: HubId::new("h"),
            doors,
            door_events: Vec::new(),
            people: vec![UserId::new("p")],
            manager: None,
            bookings: Vec::new(),
            presence: BTreeMap::new(),
        }
    }

    #[test]
    fn the_same_seed_plans_the_same_month_and_bookings_stay_within_opening_hours() {
        let open = Slot::new(
            DateTime::parse_from_rfc3339("2026-10-05T06:00:00Z").unwrap().into(),
            DateTime::parse_from_rfc3339("2026-10-05T18:00:00Z").unwrap().into(),
        )
        .unwrap();
        let plan = |seed| {
            let mut month = month(seed);
            for _ in 0..40 {
                month.plan_day(&space("desk"), 0, Weekday::Mon, open, open);
                month.plan_day(&space("room"), 7, Weekday::Tue, open, open);
            }
            month
        };
        let (a, b) = (plan(7), plan(7));
        let times = |m: &Month| m.bookings.iter().map(|b| (b.start_at, b.end_at, b.status)).collect::<Vec<_>>();
        assert_eq!(times(&a), times(&b));
        assert_eq!(a.presence, b.presence);
        assert!(!a.bookings.is_empty());
        for booking in &a.bookings {
            assert!(to_db_time(open.start()) <= booking.start_at && booking.end_at <= to_db_time(open.end()));
            assert!(booking.end_at - booking.start_at >= Duration::hours(1));
        }
        assert!(a.presence.values().all(|s| *s == 300));
        let events = |m: &Month| m.door_events.iter().map(|e| (e.occurred_at, e.kind.clone())).collect::<Vec<_>>();
        assert_eq!(events(&a), events(&b));
    }

    #[test]
    fn people_who_came_opened_the_doors_on_their_way_and_no_shows_left_no_trace() {
        let open = Slot::new(
            DateTime::parse_from_rfc3339("2026-10-05T06:00:00Z").unwrap().into(),
            DateTime::parse_from_rfc3339("2026-10-05T18:00:00Z").unwrap().into(),
        )
        .unwrap();
        let mut month = month(11);
        for _ in 0..60 {
            month.plan_day(&space("desk"), 0, Weekday::Mon, open, open);
            month.plan_day(&space("room"), 7, Weekday::Tue, open, open);
        }
        let bookings: HashMap<&BookingId, &Booking> = month.bookings.iter().map(|b| (&b.id, b)).collect();
        let kinds = |kind: &str| month.door_events.iter().filter(|e| e.kind == kind).count();
        assert!(kinds("granted") > 50 && kinds("denied") > 0 && kinds("checked_in") > 0, "{:?}", month.door_events);
        for event in &month.door_events {
            match event.kind.as_str() {
                "denied" => {
                    assert_eq!((event.booking_id.as_ref(), event.reason.as_deref()), (None, Some("no_booking")));
                    assert!(event.door_id.is_some());
                }
                "granted" | "checked_in" => {
                    let booking = bookings[event.booking_id.as_ref().unwrap()];
                    assert_eq!(booking.status, BookingStatus::Completed, "{event:?}");
                    let early = booking.start_at - Duration::minutes(15);
                    assert!(early <= event.occurred_at && event.occurred_at <= booking.end_at, "{event:?}");
                    if event.kind == "checked_in" {
                        assert_eq!((event.door_id.as_ref(), event.reason.as_deref()), (None, Some("qr")));
                        assert_eq!(booking.space_id.as_str(), "desk", "QR codes hang at desks");
                    }
                }
                other => panic!("{other}"),
            }
        }
        // A room's guest passes the entrance and the room's door; a desk's only the entrance.
        for booking in month.bookings.iter().filter(|b| b.status == BookingStatus::Completed) {
            let doors: Vec<&str> = month
                .door_events
                .iter()
                .filter(|e| e.kind == "granted" && e.booking_id.as_ref() == Some(&booking.id))
                .filter_map(|e| e.door_id.as_ref().map(DoorId::as_str))
                .collect();
            match booking.space_id.as_str() {
                "room" => assert_eq!(doors, ["entrance", "room-door"]),
                _ => assert!(doors.is_empty() || doors == ["entrance"], "{doors:?}"),
            }
        }
        assert!(
            month.bookings.iter().any(|b| b.status == BookingStatus::NoShow),
            "the rule is tested against no-shows"
        );
    }
}
