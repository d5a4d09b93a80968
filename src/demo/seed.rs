//! Service level: demo data: the county's five hubs with desks, rooms and doors, three people
//! to log in as (`logins`), and a few bookings, so `regiohub demo` shows a living system.
//! Seeding twice changes nothing. Polch's doors are on a bridge (see `door_bridge`), which the
//! demo runs in process.

use chrono::{DateTime, Datelike, Days, NaiveDate, NaiveTime, Utc, Weekday};

use super::door_bridge::DEMO_DOOR_HUB;
use super::logins::DEMO_LOGINS;
use super::{card, history};
use crate::db::catalog::{self, Closure, Door, Hub, OpeningHours, Operator, Space};
use crate::db::users as user_rows;
use crate::db::{self, DbConn};
use crate::domain::ids::{DoorId, HubId, OperatorId, SpaceId};
use crate::domain::local_time::resolve_local;
use crate::domain::role::Role;
use crate::domain::vocabulary::{BookingUnit, SpaceKind};
use crate::service::ErrorCode;
use crate::service::UnitOfWork;
use crate::service::booking::{BookingTime, NewBookingRequest, create_booking};
use crate::service::calendar::hub_calendar;
use crate::service::{ServiceContext, ServiceError, accounts, to_db_time};

struct DemoHub {
    slug: &'static str,
    name: &'static str,
    operator: &'static str,
    street: &'static str,
    postcode: &'static str,
    town: &'static str,
    /// (weekday 1–7, opens hh:mm, closes hh:mm)
    hours: &'static [(i32, &'static str, &'static str)],
    desks: u32,
    rooms: &'static [(&'static str, i32)],
    equipment: &'static [&'static str],
}

const WEEKDAYS_8_TO_20_SAT_9_TO_14: &[(i32, &str, &str)] = &[
    (1, "08:00", "20:00"),
    (2, "08:00", "20:00"),
    (3, "08:00", "20:00"),
    (4, "08:00", "20:00"),
    (5, "08:00", "18:00"),
    (6, "09:00", "14:00"),
];

/// Polch lets members with a booking in around the clock (the door loop can be tried at any hour).
const AROUND_THE_CLOCK: &[(i32, &str, &str)] = &[
    (1, "00:00", "24:00"),
    (2, "00:00", "24:00"),
    (3, "00:00", "24:00"),
    (4, "00:00", "24:00"),
    (5, "00:00", "24:00"),
    (6, "00:00", "24:00"),
    (7, "00:00", "24:00"),
];

const VILLAGE_HOURS: &[(i32, &str, &str)] = &[
    (1, "08:00", "12:00"),
    (1, "13:00", "18:00"),
    (2, "08:00", "12:00"),
    (2, "13:00", "18:00"),
    (3, "08:00", "12:00"),
    (3, "13:00", "20:00"),
    (4, "08:00", "12:00"),
    (4, "13:00", "18:00"),
    (5, "08:00", "14:00"),
];

const HUBS: [DemoHub; 5] = [
    DemoHub {
        slug: "polch",
        name: "RegioHub Polch – @Viedel",
        operator: "Verbandsgemeinde Maifeld",
        street: "Bachstraße 1",
        postcode: "56751",
        town: "Polch",
        hours: AROUND_THE_CLOCK,
        desks: 6,
        rooms: &[("Besprechungsraum Maifeld", 8), ("Vereinsraum", 20)],
        equipment: &["Beamer"],
    },
    DemoHub {
        slug: "rieden",
        name: "RegioHub Rieden – Altes Pfarrhaus",
        operator: "Ortsgemeinde Rieden",
        street: "Kirchstraße 2",
        postcode: "56745",
        town: "Rieden",
        hours: VILLAGE_HOURS,
        desks: 4,
        rooms: &[("Besprechungsraum", 6)],
        equipment: &[],
    },
    DemoHub {
        slug: "andernach",
        name: "RegioHub Andernach – Stadthausgalerie",
        operator: "Stadt Andernach",
        street: "Läufstraße 11",
        postcode: "56626",
        town: "Andernach",
        hours: WEEKDAYS_8_TO_20_SAT_9_TO_14,
        desks: 10,
        rooms: &[("Schulungsraum", 16), ("Besprechungsraum Rhein", 6)],
        equipment: &["Videokonferenz-Set"],
    },
    DemoHub {
        slug: "bendorf",
        name: "RegioHub Bendorf – Ideenkino",
        operator: "Stadt Bendorf",
        street: "Poststraße 20",
        postcode: "56170",
        town: "Bendorf",
        hours: WEEKDAYS_8_TO_20_SAT_9_TO_14,
        desks: 5,
        rooms: &[("BeteiligungsRaum", 30)],
        equipment: &[],
    },
    DemoHub {
        slug: "mayen",
        name: "RegioHub Mayen",
        operator: "Stadt Mayen",
        street: "Göbelstraße 5",
        postcode: "56727",
        town: "Mayen",
        hours: WEEKDAYS_8_TO_20_SAT_9_TO_14,
        desks: 6,
        rooms: &[("MakerSpace", 12)],
        equipment: &["3D-Drucker", "Lötstation"],
    },
];

/// Public holidays in Rhineland-Palatinate, on which the demo hubs are closed.
const HOLIDAYS: [(&str, &str); 22] = [
    ("2026-01-01", "Neujahr"),
    ("2026-04-03", "Karfreitag"),
    ("2026-04-06", "Ostermontag"),
    ("2026-05-01", "Tag der Arbeit"),
    ("2026-05-14", "Christi Himmelfahrt"),
    ("2026-05-25", "Pfingstmontag"),
    ("2026-06-04", "Fronleichnam"),
    ("2026-10-03", "Tag der Deutschen Einheit"),
    ("2026-11-01", "Allerheiligen"),
    ("2026-12-25", "1. Weihnachtstag"),
    ("2026-12-26", "2. Weihnachtstag"),
    ("2027-01-01", "Neujahr"),
    ("2027-03-26", "Karfreitag"),
    ("2027-03-29", "Ostermontag"),
    ("2027-05-01", "Tag der Arbeit"),
    ("2027-05-06", "Christi Himmelfahrt"),
    ("2027-05-17", "Pfingstmontag"),
    ("2027-05-27", "Fronleichnam"),
    ("2027-10-03", "Tag der Deutschen Einheit"),
    ("2027-11-01", "Allerheiligen"),
    ("2027-12-25", "1. Weihnachtstag"),
    ("2027-12-26", "2. Weihnachtstag"),
];

/// Seeds the demo unless it is there already. Returns whether anything was written. The demo
/// bookings get PINs and confirmation mails like any other.
///
/// # Errors
/// On a database failure.
pub fn seed_demo(conn: &mut DbConn, ctx: &ServiceContext, now: DateTime<Utc>) -> Result<bool, ServiceError> {
    if catalog::find_hub(conn, "polch")?.is_some() {
        return Ok(false);
    }
    db::write_transaction(conn, |conn| {
        for hub in &HUBS {
            seed_hub(conn, hub, now)?;
        }
        for login in &DEMO_LOGINS {
            let role = Role::parse(login.role).map_err(|e| ServiceError::Invalid {
                field: "role",
                code: ErrorCode::InvalidRole,
                message: e.to_string(),
            })?;
            let name = match login.role {
                "member" => "Mia Mitglied",
                "admin" => "Anna Admin",
                _ => "Paul Polch",
            };
            accounts::add_user(&mut UnitOfWork::new(conn), login.email, name, &role, login.password, now)?;
        }
        Ok::<(), ServiceError>(())
    })?;
    seed_bookings(conn, ctx, now)?;
    super::series::seed_demo_series(conn, ctx, now)?;
    card::seed_demo_card(conn, ctx, now)?;
    super::guest::seed_demo_guest(conn, ctx, now)?;
    history::seed_last_month(conn, now)?;
    super::space_details::seed_polch_details(conn, now)?;
    super::floor_plan::seed_polch_plan(conn, now)?;
    // Last: the demo's bookings above were made before the house rules existed.
    super::house_rules::seed_demo_house_rules(conn, now)?;
    Ok(true)
}

fn seed_hub(conn: &mut DbConn, demo: &DemoHub, now: DateTime<Utc>) -> Result<(), ServiceError> {
    let created_at = to_db_time(now);
    let operator = Operator {
        id: OperatorId::from(db::new_id()),
        name: demo.operator.to_owned(),
        legal_contact: format!("{}, {} {} {}", demo.operator, demo.street, demo.postcode, demo.town),
        privacy_contact: format!("datenschutz@{}.demo.regiohub.example", demo.slug),
        created_at,
        imprint: format!(
            "{}\n{}\n{} {}\n\nVertreten durch die Bürgermeisterin oder den Bürgermeister.\n\n\
             Dies ist eine Demo-Installation von RegioHub; alle Angaben sind Beispiele.",
            demo.operator, demo.street, demo.postcode, demo.town
        ),
        privacy_policy: format!(
            "Verantwortlich: {op}, {street}, {postcode} {town}. Datenschutz: datenschutz@{slug}.demo.regiohub.example\n\n\
             Wir verarbeiten Ihre E-Mail-Adresse, Ihren Namen und Ihre Buchungen, um Räume zu vergeben und die Türen \
             für gültige Buchungen zu öffnen (Art. 6 Abs. 1 lit. b und e DSGVO). Türereignisse werden nach 90 Tagen \
             gelöscht. Belegungssensoren erfassen keine Personen, nur ob ein Platz belegt ist.\n\n\
             Sie können Ihre Daten im Konto jederzeit herunterladen und Ihr Konto löschen.",
            op = demo.operator,
            street = demo.street,
            postcode = demo.postcode,
            town = demo.town,
            slug = demo.slug
        ),
        accessibility_statement: format!(
            "{} ist bemüht, diese Website barrierefrei zugänglich zu machen (BITV 2.0, WCAG 2.1 AA).\n\n\
             Barrieren melden Sie bitte an barrierefreiheit@{}.demo.regiohub.example. \
             Schlichtungsstelle: Landesbeauftragte für die Belange von Menschen mit Behinderungen Rheinland-Pfalz.",
            demo.operator, demo.slug
        ),
        access_log_retention_days: 90,
    };
    catalog::insert_operator(conn, &operator)?;
    let hub = Hub {
        id: HubId::from(db::new_id()),
        operator_id: operator.id,
        slug: demo.slug.to_owned(),
        name: demo.name.to_owned(),
        street: demo.street.to_owned(),
        postcode: demo.postcode.to_owned(),
        town: demo.town.to_owned(),
        time_zone: "Europe/Berlin".to_owned(),
        max_concurrent_per_user: 1,
        max_upcoming_per_user: 10,
        created_at,
        no_show_minutes: 30,
    };
    catalog::insert_hub(conn, &hub)?;
    let hours: Vec<OpeningHours> = demo
        .hours
        .iter()
        .map(|(weekday, opens, closes)| OpeningHours {
            hub_id: hub.id.clone(),
            weekday: *weekday,
            opens_minute: minute_of(opens),
            closes_minute: minute_of(closes),
        })
        .collect();
    catalog::insert_opening_hours(conn, &hours)?;
    for (day, label) in HOLIDAYS {
        if let Ok(day) = day.parse::<NaiveDate>() {
            let closure = Closure {
                id: db::new_id(),
                hub_id: hub.id.clone(),
                first_day: day,
                last_day: day,
                label: label.to_owned(),
            };
            catalog::insert_closure(conn, &closure)?;
        }
    }
    let mut all_spaces = Vec::new();
    for n in 1..=demo.desks {
        let desk = space(
            &hub.id,
            &format!("Arbeitsplatz {n}"),
            SpaceKind::Desk,
            1,
            BookingUnit::Hourly,
            60,
            60,
            600,
            30,
            false,
            created_at,
        );
        catalog::insert_space(conn, &desk)?;
        if demo.slug == DEMO_DOOR_HUB {
            // Polch's desks show every way to check in: door, sensor and "Ich bin da".
            let every_way = crate::domain::check_in::CheckInModes::of(crate::domain::check_in::CheckInMode::ALL);
            crate::service::check_in::set_space_modes(conn, &desk.id, every_way)?;
        }
        all_spaces.push(desk.id);
    }
    for (name, capacity) in demo.rooms {
        let room = space(
            &hub.id,
            name,
            SpaceKind::Room,
            *capacity,
            BookingUnit::Hourly,
            30,
            30,
            480,
            60,
            *capacity >= 20,
            created_at,
        );
        catalog::insert_space(conn, &room)?;
        let door = Door {
            id: DoorId::from(db::new_id()),
            hub_id: hub.id.clone(),
            name: format!("Tür {name}"),
            is_entrance: false,
            created_at,
            bridge_id: None,
            modbus_unit_id: None,
        };
        catalog::insert_door(conn, &door, std::slice::from_ref(&room.id))?;
        all_spaces.push(room.id);
    }
    for name in demo.equipment {
        let item = space(
            &hub.id,
            name,
            SpaceKind::Equipment,
            1,
            BookingUnit::Daily,
            1440,
            1440,
            3 * 1440,
            30,
            false,
            created_at,
        );
        catalog::insert_space(conn, &item)?;
        all_spaces.push(item.id);
    }
    let entrance = Door {
        id: DoorId::from(db::new_id()),
        hub_id: hub.id,
        name: "Eingang".to_owned(),
        is_entrance: true,
        created_at,
        bridge_id: None,
        modbus_unit_id: None,
    };
    catalog::insert_door(conn, &entrance, &all_spaces)?;
    Ok(())
}

#[allow(clippy::too_many_arguments, reason = "one row of demo data, read as a table")]
fn space(
    hub_id: &HubId,
    name: &str,
    kind: SpaceKind,
    capacity: i32,
    unit: BookingUnit,
    slot_minutes: i32,
    min_minutes: i32,
    max_minutes: i32,
    max_days_ahead: i32,
    approval_required: bool,
    created_at: chrono::NaiveDateTime,
) -> Space {
    Space {
        id: SpaceId::from(db::new_id()),
        hub_id: hub_id.clone(),
        name: name.to_owned(),
        kind,
        capacity,
        enabled: true,
        booking_unit: unit,
        slot_minutes,
        min_minutes,
        max_minutes,
        max_days_ahead,
        approval_required,
        created_at,
        position: 0,
    }
}

/// A few bookings on the next working days so the day views are not empty. A booking that a
/// rule refuses (a holiday, say) is simply left out.
fn seed_bookings(conn: &mut DbConn, ctx: &ServiceContext, now: DateTime<Utc>) -> Result<(), ServiceError> {
    let Some(member) = user_rows::find_user_by_email(conn, DEMO_LOGINS[0].email)? else {
        return Ok(());
    };
    let plan = [
        ("polch", "Arbeitsplatz 2", 1, "13:00", "17:00"),
        // With a guest invited (`guest::seed_demo_guest`).
        ("polch", super::guest::DEMO_GUEST_ROOM, 1, "09:00", "11:00"),
        ("mayen", "MakerSpace", 2, "09:00", "12:00"),
        ("andernach", "Arbeitsplatz 1", 3, "08:00", "12:00"),
    ];
    for (slug, space_name, working_days_ahead, from, to) in plan {
        let Some(hub) = catalog::find_hub(conn, slug)? else { continue };
        let Some(hub) = catalog::find_hub_with_calendar(conn, &hub.id)? else { continue };
        let calendar = hub_calendar(&hub)?;
        let today = calendar.local_date_of(now);
        let Some(day) = nth_working_day(today, working_days_ahead, |d| calendar.closure_on(d).is_none()) else {
            continue;
        };
        let Some(space) = catalog::list_spaces(conn, &hub.hub.id)?.into_iter().find(|s| s.name == space_name) else {
            continue;
        };
        let (Ok(from), Ok(to)) = (from.parse::<NaiveTime>(), to.parse::<NaiveTime>()) else { continue };
        let (Ok(start), Ok(end)) = (resolve_local(day, from, calendar.tz), resolve_local(day, to, calendar.tz)) else {
            continue;
        };
        let request = NewBookingRequest {
            space_id: space.id,
            start: BookingTime::Instant(start),
            end: BookingTime::Instant(end),
        };
        // Seeding runs before anyone waits on a bridge or the mail job: nothing to announce.
        match create_booking(&mut UnitOfWork::new(conn), ctx, &member, &request, None, now) {
            Ok(_) | Err(ServiceError::Rule(_) | ServiceError::Conflict { .. }) => {}
            Err(other) => return Err(other),
        }
    }
    Ok(())
}

fn nth_working_day(from: NaiveDate, n: u64, open: impl Fn(NaiveDate) -> bool) -> Option<NaiveDate> {
    let mut found = 0;
    for offset in 1..=30 {
        let day = from.checked_add_days(Days::new(offset))?;
        if !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) && open(day) {
            found += 1;
            if found == n {
                return Some(day);
            }
        }
    }
    None
}

fn minute_of(hh_mm: &str) -> i32 {
    let (h, m) = hh_mm.split_once(':').unwrap_or(("0", "0"));
    h.parse::<i32>().unwrap_or(0) * 60 + m.parse::<i32>().unwrap_or(0)
}
