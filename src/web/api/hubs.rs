//! `GET /hubs`, `GET /hubs/{hub}/spaces`, `GET /hubs/{hub}/availability?date=`.

use chrono::{DateTime, NaiveDate, SecondsFormat, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use actix_web::web;

use super::auth::ApiUser;
use super::error::{ApiError, ErrorBody};
use crate::db::catalog::{Hub, Space};
use crate::domain::slot::Slot;
use crate::service::ServiceError;
use crate::service::availability::{self, HubDay};
use crate::state::AppState;

/// A hub as the API shows it.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct HubDto {
    pub id: String,
    /// Short name usable in place of the id, e.g. `polch`.
    pub slug: String,
    pub name: String,
    pub street: String,
    pub postcode: String,
    pub town: String,
    /// IANA time zone the hub's opening hours and days are in.
    pub time_zone: String,
}

/// The booking rules of a space.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SpaceRulesDto {
    /// `hour` (book from–to on a grid) or `day` (whole local days).
    pub unit: String,
    pub slot_minutes: i32,
    pub min_minutes: i32,
    pub max_minutes: i32,
    pub max_days_ahead: i32,
    pub approval_required: bool,
}

/// A desk, room or piece of equipment.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SpaceDto {
    pub id: String,
    pub hub_id: String,
    pub name: String,
    /// `desk`, `room` or `equipment`.
    pub kind: String,
    pub capacity: i32,
    pub enabled: bool,
    pub rules: SpaceRulesDto,
}

/// A half-open interval `[start, end)` in UTC.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct IntervalDto {
    pub start: String,
    pub end: String,
}

/// One space's free and taken intervals on the day.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SpaceAvailabilityDto {
    pub space_id: String,
    pub name: String,
    pub kind: String,
    pub enabled: bool,
    pub free: Vec<IntervalDto>,
    pub taken: Vec<IntervalDto>,
}

/// A hub's day.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct AvailabilityDto {
    pub hub_id: String,
    pub date: String,
    pub time_zone: String,
    /// The whole local day; 23 or 25 hours long on a DST change.
    pub day: IntervalDto,
    /// Why the hub is closed that day (a holiday), if it is.
    pub closed: Option<String>,
    pub opening: Vec<IntervalDto>,
    pub spaces: Vec<SpaceAvailabilityDto>,
}

/// The day to show, in the query string (without `parameter_in` utoipa documents it as a path
/// parameter, which no client can send).
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AvailabilityQuery {
    /// Local date, `YYYY-MM-DD`.
    #[param(format = Date, example = "2026-11-24")]
    pub date: String,
}

/// Lists every hub.
#[utoipa::path(get, path = "/api/v1/hubs", tag = "hubs", security(("bearer" = [])),
    responses((status = 200, body = [HubDto]), (status = 401, body = ErrorBody)))]
pub async fn list_hubs(state: web::Data<AppState>, _user: ApiUser) -> Result<web::Json<Vec<HubDto>>, ApiError> {
    let hubs = state
        .db_with_catalogue(|_, catalogue| Ok(catalogue.hubs().iter().map(|h| h.hub.clone()).collect::<Vec<_>>()))
        .await?;
    Ok(web::Json(hubs.into_iter().map(hub_dto).collect()))
}

/// Lists a hub's spaces with their booking rules.
#[utoipa::path(get, path = "/api/v1/hubs/{hub}/spaces", tag = "hubs", security(("bearer" = [])),
    params(("hub" = String, Path, description = "hub id or slug")),
    responses((status = 200, body = [SpaceDto]), (status = 401, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list_spaces(
    state: web::Data<AppState>,
    _user: ApiUser,
    hub: web::Path<String>,
) -> Result<web::Json<Vec<SpaceDto>>, ApiError> {
    let hub = hub.into_inner();
    let spaces = state
        .db_with_catalogue(move |_, catalogue| {
            let hub = catalogue.hub_named(&hub).ok_or(ServiceError::NotFound)?;
            let mut spaces: Vec<Space> = catalogue.spaces_of(&hub.hub.id).cloned().collect();
            // The order the day view shows them in.
            spaces.sort_by(crate::service::console::catalog::spaces::display_order);
            Ok(spaces)
        })
        .await?;
    Ok(web::Json(spaces.into_iter().map(space_dto).collect()))
}

/// Each space's free and taken intervals on one local day. Taken intervals never say who
/// booked them.
#[utoipa::path(get, path = "/api/v1/hubs/{hub}/availability", tag = "hubs", security(("bearer" = [])),
    params(("hub" = String, Path, description = "hub id or slug"), AvailabilityQuery),
    responses((status = 200, body = AvailabilityDto),
        (status = 400, body = ErrorBody, description = "`date` is missing (`bad_request`)"),
        (status = 401, body = ErrorBody), (status = 404, body = ErrorBody, description = "no such hub"),
        (status = 422, body = ErrorBody, description = "`date` is not a day as YYYY-MM-DD (`invalid_date`)")))]
pub async fn availability(
    state: web::Data<AppState>,
    _user: ApiUser,
    hub: web::Path<String>,
    request: actix_web::HttpRequest,
) -> Result<web::Json<AvailabilityDto>, ApiError> {
    // Read after the caller is known: a query extractor would answer 400 before the token is
    // checked (its error is ready first), telling a blocked or unknown caller about the API.
    let query =
        web::Query::<AvailabilityQuery>::from_query(request.query_string()).map_err(|e| ApiError::bad_query(&e))?;
    let date: NaiveDate = query
        .date
        .parse()
        .map_err(|_| ApiError::invalid("date", "invalid_date", "date must be a day as YYYY-MM-DD"))?;
    let hub = hub.into_inner();
    let day = state
        .db_with_catalogue(move |conn, catalogue| {
            // The path names the hub by id or slug.
            let hub = catalogue.hub_named(&hub).ok_or(ServiceError::NotFound)?;
            availability::hub_day(conn, catalogue, &hub.hub.id, date)
        })
        .await?;
    Ok(web::Json(availability_dto(&day)))
}

pub(crate) fn hub_dto(hub: Hub) -> HubDto {
    HubDto {
        id: String::from(hub.id),
        slug: hub.slug,
        name: hub.name,
        street: hub.street,
        postcode: hub.postcode,
        town: hub.town,
        time_zone: hub.time_zone,
    }
}

fn space_dto(space: Space) -> SpaceDto {
    SpaceDto {
        id: String::from(space.id),
        hub_id: String::from(space.hub_id),
        name: space.name,
        kind: space.kind.as_str().to_owned(),
        capacity: space.capacity,
        enabled: space.enabled,
        rules: SpaceRulesDto {
            unit: space.booking_unit.as_str().to_owned(),
            slot_minutes: space.slot_minutes,
            min_minutes: space.min_minutes,
            max_minutes: space.max_minutes,
            max_days_ahead: space.max_days_ahead,
            approval_required: space.approval_required,
        },
    }
}

fn availability_dto(day: &HubDay) -> AvailabilityDto {
    AvailabilityDto {
        hub_id: String::from(day.hub.id.clone()),
        date: day.date.to_string(),
        time_zone: day.hub.time_zone.clone(),
        day: interval(&day.day),
        closed: day.closed.clone(),
        opening: day.opening.iter().map(interval).collect(),
        spaces: day
            .spaces
            .iter()
            .map(|s| SpaceAvailabilityDto {
                space_id: String::from(s.space.id.clone()),
                name: s.space.name.clone(),
                kind: s.space.kind.as_str().to_owned(),
                enabled: s.space.enabled,
                free: s.free.iter().map(interval).collect(),
                taken: s.taken.iter().map(interval).collect(),
            })
            .collect(),
    }
}

fn interval(slot: &Slot) -> IntervalDto {
    IntervalDto { start: utc(slot.start()), end: utc(slot.end()) }
}

/// RFC 3339 in UTC to the second, e.g. `2026-11-23T08:00:00Z`.
pub(crate) fn utc(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// RFC 3339 with the hub's offset, e.g. `2026-11-23T09:00:00+01:00`.
pub(crate) fn local(t: DateTime<Utc>, tz: &str) -> String {
    match tz.parse::<Tz>() {
        Ok(tz) => t.with_timezone(&tz).to_rfc3339_opts(SecondsFormat::Secs, true),
        Err(_) => utc(t),
    }
}
