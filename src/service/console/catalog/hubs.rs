//! Hubs: creating one (admins), and a hub's settings (managers of the hub and admins): details,
//! limits per person, the no-show and PIN grace windows, weekly opening hours, closures.
//! Only admins move a hub to another operator or give it another slug.

use chrono::{DateTime, NaiveDate, Utc};

use super::rules::{self, DayHoursInput, clock_text, day, number};
use super::{CatalogError, Problems, Staff, changed_fields, record};
use crate::db::catalog::{self, Closure, Hub, HubWithCalendar, OpeningHours, Operator};
use crate::db::catalog_admin::{self, HubDetailChanges, HubLimitChanges, HubTimeChanges};
use crate::db::{self, DbConn, pins};
use crate::domain::ids::{HubId, OperatorId};
use crate::service::UnitOfWork;
use crate::service::{ServiceError, to_db_time};

/// The form field of each weekday's hours (1 = Monday), where its problem is shown.
pub const WEEKDAY_FIELDS: [&str; 7] = ["hours-1", "hours-2", "hours-3", "hours-4", "hours-5", "hours-6", "hours-7"];

/// Limits a new hub starts with (the schema's defaults).
const NEW_HUB_MAX_CONCURRENT: i32 = 1;
const NEW_HUB_MAX_UPCOMING: i32 = 10;
const NEW_HUB_NO_SHOW_MINUTES: i32 = 30;

/// A new hub's form as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct NewHubInput {
    pub operator_id: String,
    pub slug: String,
    pub name: String,
    pub street: String,
    pub postcode: String,
    pub town: String,
    pub time_zone: String,
}

/// The details form as typed; `operator_id` and `slug` count only when an admin sends them.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct DetailsInput {
    pub operator_id: String,
    pub slug: String,
    pub name: String,
    pub street: String,
    pub postcode: String,
    pub town: String,
}

impl DetailsInput {
    pub fn of(hub: &Hub) -> DetailsInput {
        DetailsInput {
            operator_id: hub.operator_id.to_string(),
            slug: hub.slug.clone(),
            name: hub.name.clone(),
            street: hub.street.clone(),
            postcode: hub.postcode.clone(),
            town: hub.town.clone(),
        }
    }
}

/// The limits form as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct LimitsInput {
    pub max_concurrent_per_user: String,
    pub max_upcoming_per_user: String,
}

/// The time windows form as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct TimesInput {
    pub no_show_minutes: String,
    pub pin_grace_minutes: String,
}

/// A new closure as typed.
#[derive(Debug, Clone, Default, serde::Deserialize)]
#[serde(default)]
pub struct ClosureInput {
    pub label: String,
    pub first_day: String,
    pub last_day: String,
}

/// Everything the settings page shows.
#[derive(Debug, Clone)]
pub struct HubSettings {
    pub calendar: HubWithCalendar,
    pub pin_grace_minutes: i32,
    /// For the operator choice; empty for managers, who cannot move a hub.
    pub operators: Vec<Operator>,
}

impl HubSettings {
    pub fn hub(&self) -> &Hub {
        &self.calendar.hub
    }

    /// The week as the hours form shows it: two `HH:MM` pairs per weekday.
    pub fn week(&self) -> [DayHoursInput; 7] {
        let mut week: [DayHoursInput; 7] = Default::default();
        for (index, day) in week.iter_mut().enumerate() {
            let weekday = i32::try_from(index + 1).unwrap_or(0);
            let rows = self.calendar.opening_hours.iter().filter(|h| h.weekday == weekday);
            for (slot, row) in day.intervals.iter_mut().zip(rows) {
                *slot = (clock_text(row.opens_minute), clock_text(row.closes_minute));
            }
        }
        week
    }
}

/// The operators an admin can put a new hub under.
///
/// # Errors
/// `NotFound` for anyone but an admin.
pub fn operators_for_new_hub(conn: &mut DbConn, staff: Staff<'_>) -> Result<Vec<Operator>, ServiceError> {
    staff.scope.require_admin()?;
    Ok(catalog::list_operators(conn)?)
}

/// Adds a hub without opening hours (nobody can book it until they are set).
///
/// # Errors
/// `NotFound` for anyone but an admin; `Invalid` with the form's problems (a taken slug among
/// them).
pub fn create(
    tx: &mut UnitOfWork<'_>,
    staff: Staff<'_>,
    input: &NewHubInput,
    now: DateTime<Utc>,
) -> Result<Hub, CatalogError> {
    staff.scope.require_admin()?;
    let mut problems = Problems::default();
    let operator = operator_choice(tx, &input.operator_id, &mut problems)?;
    let slug = free_slug(tx, &input.slug, None, &mut problems)?;
    let (name, street, postcode, town) =
        address(&mut problems, &input.name, &input.street, &input.postcode, &input.town);
    let time_zone = problems.take("time_zone", rules::time_zone(&input.time_zone));
    problems.finish()?;
    // A missing operator is one of the problems above.
    let Some(operator) = operator else { return Err(CatalogError::field("operator_id", "choose-one")) };
    let hub = Hub {
        id: HubId::from(db::new_id()),
        operator_id: operator.id,
        slug: slug.unwrap_or_default(),
        name: name.unwrap_or_default(),
        street: street.unwrap_or_default(),
        postcode: postcode.unwrap_or_default(),
        town: town.unwrap_or_default(),
        time_zone: time_zone.map(|tz| tz.name().to_owned()).unwrap_or_default(),
        max_concurrent_per_user: NEW_HUB_MAX_CONCURRENT,
        max_upcoming_per_user: NEW_HUB_MAX_UPCOMING,
        created_at: to_db_time(now),
        no_show_minutes: NEW_HUB_NO_SHOW_MINUTES,
    };
    tx.write_transaction(|tx| {
        catalog::insert_hub(tx, &hub)?;
        let details = format!(
            "slug: {}; time zone: {}; address: {}, {} {}",
            hub.slug, hub.time_zone, hub.street, hub.postcode, hub.town
        );
        Ok::<_, CatalogError>(record(tx, staff, &hub, &hub.name, "hub_created", details, now)?)
    })?;
    Ok(hub)
}

/// The hub's settings.
///
/// # Errors
/// `NotFound` outside the caller's scope.
pub fn settings(conn: &mut DbConn, staff: Staff<'_>, hub: &str) -> Result<HubSettings, ServiceError> {
    let hub = staff.scope.hub(conn, hub)?;
    let calendar = catalog::find_hub_with_calendar(conn, &hub.id)?.ok_or(ServiceError::NotFound)?;
    let pin_grace_minutes = pins::hub_pin_grace_minutes(conn, &hub.id)?.ok_or(ServiceError::NotFound)?;
    let operators = if staff.scope.is_admin() { catalog::list_operators(conn)? } else { Vec::new() };
    Ok(HubSettings { calendar, pin_grace_minutes, operators })
}

/// Changes the hub's name and address; admins also its operator and slug.
///
/// # Errors
/// `NotFound` outside the caller's scope; `Invalid` with the form's problems.
pub fn update_details(
    tx: &mut UnitOfWork<'_>,
    staff: Staff<'_>,
    hub: &str,
    input: &DetailsInput,
    now: DateTime<Utc>,
) -> Result<Hub, CatalogError> {
    let before = staff.scope.hub(tx, hub)?;
    let mut problems = Problems::default();
    let (operator_id, slug) = if staff.scope.is_admin() {
        let operator = operator_choice(tx, &input.operator_id, &mut problems)?;
        let slug = free_slug(tx, &input.slug, Some(&before.id), &mut problems)?;
        (operator.map(|o| o.id), slug)
    } else {
        (Some(before.operator_id.clone()), Some(before.slug.clone()))
    };
    let (name, street, postcode, town) =
        address(&mut problems, &input.name, &input.street, &input.postcode, &input.town);
    problems.finish()?;
    let after = Hub {
        operator_id: operator_id.unwrap_or_else(|| before.operator_id.clone()),
        slug: slug.unwrap_or_default(),
        name: name.unwrap_or_default(),
        street: street.unwrap_or_default(),
        postcode: postcode.unwrap_or_default(),
        town: town.unwrap_or_default(),
        ..before.clone()
    };
    tx.write_transaction(|tx| {
        let changes = HubDetailChanges {
            operator_id: &after.operator_id,
            slug: &after.slug,
            name: &after.name,
            street: &after.street,
            postcode: &after.postcode,
            town: &after.town,
        };
        catalog_admin::update_hub_details(tx, &after.id, &changes)?;
        let details = changed_fields(&[
            ("operator", before.operator_id.to_string(), after.operator_id.to_string()),
            ("slug", before.slug.clone(), after.slug.clone()),
            ("name", before.name.clone(), after.name.clone()),
            ("street", before.street.clone(), after.street.clone()),
            ("postcode", before.postcode.clone(), after.postcode.clone()),
            ("town", before.town.clone(), after.town.clone()),
        ]);
        Ok::<_, CatalogError>(record(tx, staff, &after, &after.name, "hub_details_updated", details, now)?)
    })?;
    Ok(after)
}

/// Changes how many bookings one person may hold at the same time and in total.
///
/// # Errors
/// `NotFound` outside the caller's scope; `Invalid` with the form's problems.
pub fn update_limits(
    tx: &mut UnitOfWork<'_>,
    staff: Staff<'_>,
    hub: &str,
    input: &LimitsInput,
    now: DateTime<Utc>,
) -> Result<(), CatalogError> {
    let hub = staff.scope.hub(tx, hub)?;
    let mut problems = Problems::default();
    let concurrent = problems.take("max_concurrent_per_user", number(&input.max_concurrent_per_user, 1, 50));
    let upcoming = problems.take("max_upcoming_per_user", number(&input.max_upcoming_per_user, 1, 500));
    problems.finish()?;
    let changes = HubLimitChanges {
        max_concurrent_per_user: concurrent.unwrap_or(hub.max_concurrent_per_user),
        max_upcoming_per_user: upcoming.unwrap_or(hub.max_upcoming_per_user),
    };
    tx.write_transaction(|tx| {
        catalog_admin::update_hub_limits(tx, &hub.id, changes)?;
        let details = changed_fields(&[
            ("max_concurrent", hub.max_concurrent_per_user.to_string(), changes.max_concurrent_per_user.to_string()),
            ("max_upcoming", hub.max_upcoming_per_user.to_string(), changes.max_upcoming_per_user.to_string()),
        ]);
        Ok::<_, CatalogError>(record(tx, staff, &hub, &hub.name, "hub_limits_updated", details, now)?)
    })
}

/// Changes the no-show window (5–240 minutes) and the PIN grace period (0–120 minutes). The
/// hub's bridges are woken: their snapshot carries the grace period.
///
/// # Errors
/// `NotFound` outside the caller's scope; `Invalid` with the form's problems.
pub fn update_times(
    tx: &mut UnitOfWork<'_>,
    staff: Staff<'_>,
    hub: &str,
    input: &TimesInput,
    now: DateTime<Utc>,
) -> Result<(), CatalogError> {
    let hub = staff.scope.hub(tx, hub)?;
    let grace_before = pins::hub_pin_grace_minutes(tx, &hub.id)?.ok_or(ServiceError::NotFound)?;
    let mut problems = Problems::default();
    let no_show = problems.take("no_show_minutes", number(&input.no_show_minutes, 5, 240));
    let grace = problems.take("pin_grace_minutes", number(&input.pin_grace_minutes, 0, 120));
    problems.finish()?;
    let changes = HubTimeChanges {
        no_show_minutes: no_show.unwrap_or(hub.no_show_minutes),
        pin_grace_minutes: grace.unwrap_or(grace_before),
    };
    tx.write_transaction(|tx| {
        catalog_admin::update_hub_times(tx, &hub.id, changes)?;
        tx.access_changed(&hub.id);
        let details = changed_fields(&[
            ("no_show_minutes", hub.no_show_minutes.to_string(), changes.no_show_minutes.to_string()),
            ("pin_grace_minutes", grace_before.to_string(), changes.pin_grace_minutes.to_string()),
        ]);
        Ok::<_, CatalogError>(record(tx, staff, &hub, &hub.name, "hub_times_updated", details, now)?)
    })
}

/// Replaces the hub's weekly opening hours. Bookings already made stay as they are.
///
/// # Errors
/// `NotFound` outside the caller's scope; `Invalid` naming each weekday with a problem.
pub fn update_hours(
    tx: &mut UnitOfWork<'_>,
    staff: Staff<'_>,
    hub: &str,
    week: &[DayHoursInput; 7],
    now: DateTime<Utc>,
) -> Result<(), CatalogError> {
    let settings = settings(tx, staff, hub)?;
    let before = settings.week();
    let mut problems = Problems::default();
    let days: Vec<Option<Vec<(i32, i32)>>> =
        week.iter().zip(WEEKDAY_FIELDS).map(|(day, field)| problems.take(field, rules::day_hours(day))).collect();
    problems.finish()?;
    let hub = settings.calendar.hub.clone();
    let rows: Vec<OpeningHours> = days
        .into_iter()
        .zip(1..)
        .flat_map(|(intervals, weekday)| {
            let hub_id = hub.id.clone();
            intervals.unwrap_or_default().into_iter().map(move |(opens, closes)| OpeningHours {
                hub_id: hub_id.clone(),
                weekday,
                opens_minute: opens,
                closes_minute: closes,
            })
        })
        .collect();
    tx.write_transaction(|tx| {
        catalog_admin::clear_opening_hours(tx, &hub.id)?;
        catalog::insert_opening_hours(tx, &rows)?;
        let after = catalog::find_hub_with_calendar(tx, &hub.id)?.ok_or(ServiceError::NotFound)?;
        let after = HubSettings { calendar: after, ..settings.clone() }.week();
        let changed: Vec<(&str, String, String)> = WEEKDAY_FIELDS
            .iter()
            .zip(before.iter().zip(after.iter()))
            .map(|(field, (b, a))| (*field, day_text(b), day_text(a)))
            .collect();
        Ok::<_, CatalogError>(record(tx, staff, &hub, &hub.name, "hub_hours_updated", changed_fields(&changed), now)?)
    })
}

/// Closes the hub on the days from `first_day` to `last_day` (both included) for new bookings.
///
/// # Errors
/// `NotFound` outside the caller's scope; `Invalid` with the form's problems.
pub fn add_closure(
    tx: &mut UnitOfWork<'_>,
    staff: Staff<'_>,
    hub: &str,
    input: &ClosureInput,
    now: DateTime<Utc>,
) -> Result<Closure, CatalogError> {
    let hub = staff.scope.hub(tx, hub)?;
    let mut problems = Problems::default();
    let label = problems.take("label", rules::name(&input.label, 100));
    let first = problems.take("first_day", day(&input.first_day));
    let last = problems.take("last_day", day(&input.last_day));
    if let (Some(first), Some(last)) = (first, last)
        && last < first
    {
        problems.add("last_day", "last-before-first");
    }
    problems.finish()?;
    let closure = Closure {
        id: db::new_id(),
        hub_id: hub.id.clone(),
        first_day: first.unwrap_or(NaiveDate::MIN),
        last_day: last.unwrap_or(NaiveDate::MIN),
        label: label.unwrap_or_default(),
    };
    tx.write_transaction(|tx| {
        catalog::insert_closure(tx, &closure)?;
        let details = format!("{}: {} – {}", closure.label, closure.first_day, closure.last_day);
        Ok::<_, CatalogError>(record(tx, staff, &hub, &hub.name, "closure_added", details, now)?)
    })?;
    Ok(closure)
}

/// Removes one of the hub's closures.
///
/// # Errors
/// `NotFound` outside the caller's scope or for another hub's closure.
pub fn remove_closure(
    tx: &mut UnitOfWork<'_>,
    staff: Staff<'_>,
    hub: &str,
    closure_id: &str,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let hub = staff.scope.hub(tx, hub)?;
    let closure = catalog_admin::find_closure(tx, &hub.id, closure_id)?.ok_or(ServiceError::NotFound)?;
    tx.write_transaction(|tx| {
        catalog_admin::delete_closure(tx, &closure.id)?;
        let details = format!("{}: {} – {}", closure.label, closure.first_day, closure.last_day);
        record(tx, staff, &hub, &hub.name, "closure_removed", details, now)
    })
}

/// "08:00–12:00, 13:00–18:00", or "closed".
fn day_text(day: &DayHoursInput) -> String {
    let intervals: Vec<String> = day
        .intervals
        .iter()
        .filter(|(opens, _)| !opens.is_empty())
        .map(|(opens, closes)| format!("{opens}–{closes}"))
        .collect();
    if intervals.is_empty() { "closed".to_owned() } else { intervals.join(", ") }
}

/// The chosen operator, or a problem when the choice is not one.
fn operator_choice(
    conn: &mut DbConn,
    operator_id: &str,
    problems: &mut Problems,
) -> Result<Option<Operator>, CatalogError> {
    let operator = catalog::find_operator(conn, &OperatorId::new(operator_id.trim()))?;
    if operator.is_none() {
        problems.add("operator_id", "choose-one");
    }
    Ok(operator)
}

/// A well-formed slug no other hub uses (as its slug or id), or a problem.
fn free_slug(
    conn: &mut DbConn,
    slug: &str,
    own_hub_id: Option<&HubId>,
    problems: &mut Problems,
) -> Result<Option<String>, CatalogError> {
    let Some(slug) = problems.take("slug", rules::slug(slug)) else { return Ok(None) };
    match catalog::find_hub(conn, &slug)? {
        Some(other) if Some(&other.id) != own_hub_id => {
            problems.add("slug", "slug-taken");
            Ok(None)
        }
        _ => Ok(Some(slug)),
    }
}

/// The name and address fields, checked.
fn address(
    problems: &mut Problems,
    name: &str,
    street: &str,
    postcode: &str,
    town: &str,
) -> (Option<String>, Option<String>, Option<String>, Option<String>) {
    (
        problems.take("name", rules::name(name, 200)),
        problems.take("street", rules::name(street, 200)),
        problems.take("postcode", rules::name(postcode, 10)),
        problems.take("town", rules::name(town, 100)),
    )
}
