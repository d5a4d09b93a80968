//! `POST /booking-series`: a repeating booking. With `dry_run` it answers the preview (each date
//! and what would happen with it) and writes nothing; without, it books every bookable date in
//! one transaction and answers each date's outcome, the booked ones with their PIN.

use actix_web::{HttpResponse, web};
use chrono::{NaiveDate, NaiveDateTime};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::auth::ApiUser;
use super::error::{ApiError, ErrorBody};
use crate::domain::ids::SpaceId;
use crate::domain::recurrence::{Frequency, MAX_DATES, Recurrence, SeriesEnd};
use crate::metrics::BookingChannel;
use crate::service::booking::{BookingTime, NewBookingRequest};
use crate::service::booking_series::{self, DateOutcome, SeriesDate, SeriesRequest};
use crate::state::AppState;

/// How often a series repeats.
#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FrequencyDto {
    Daily,
    Weekly,
}

/// A repeating booking: the first date's start and end as local wall-clock times in the hub's
/// time zone, how it repeats, and where it ends (`until` or `count`, exactly one).
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateSeriesBody {
    #[schema(min_length = 1)]
    pub space_id: String,
    #[schema(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2})?$", example = "2026-11-24T18:00")]
    pub start: String,
    #[schema(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}(:[0-9]{2})?$", example = "2026-11-24T20:00")]
    pub end: String,
    pub frequency: FrequencyDto,
    /// Weekly: ISO weekday numbers (1 = Monday); empty or absent means the first date's weekday.
    #[serde(default)]
    #[schema(max_items = 7)]
    pub weekdays: Vec<i64>,
    /// Every n days or weeks (1–8); 1 when absent.
    #[serde(default)]
    #[schema(minimum = 1, maximum = 8)]
    pub interval: Option<u32>,
    /// The last day a date may fall on.
    #[serde(default)]
    #[schema(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$", example = "2026-12-22")]
    pub until: Option<String>,
    /// How many dates (2–60).
    #[serde(default)]
    #[schema(minimum = 2, maximum = 60)]
    pub count: Option<u32>,
    /// Only show what would be booked; write nothing.
    #[serde(default)]
    pub dry_run: bool,
    /// The version of the operator's house rules the caller accepts with this series: required
    /// while the caller has not accepted the current version (else 422 `house_rules_not_accepted`);
    /// a `dry_run` needs it not (it keeps nothing).
    #[serde(default)]
    #[schema(minimum = 1, maximum = 2147483647)]
    pub accept_house_rules_version: Option<i32>,
    /// What the dates are for (at most 200 characters), where the space asks; staff only see it.
    #[serde(default)]
    #[schema(max_length = 200)]
    pub purpose: Option<String>,
    /// How many people come (1 to the room's capacity), where the space asks.
    #[serde(default)]
    #[schema(minimum = 1, maximum = 2147483647)]
    pub head_count: Option<i64>,
}

/// One date of a series.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SeriesDateDto {
    /// The local date, `YYYY-MM-DD`.
    pub date: String,
    /// `bookable` (dry run), `booked`, `requested` (needs approval), `taken`, `closed`, `rule`
    /// (another booking rule refuses it) or `no_such_time` (a DST change).
    pub outcome: String,
    /// For `closed`, `rule` and `no_such_time`: the broken rule's code, as a single booking's
    /// error would name it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// For `taken`: another free space of the same kind at the hub at the same time.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alternative_space_id: Option<String>,
    /// For `booked` and `requested`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub booking_id: Option<String>,
    /// For `booked`: the date's door PIN, shown only in this answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pin: Option<String>,
}

/// A series' preview or its booked dates.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct SeriesDto {
    /// Absent for a dry run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub series_id: Option<String>,
    pub dry_run: bool,
    pub dates: Vec<SeriesDateDto>,
}

/// Previews (`dry_run`) or books a repeating booking for the caller.
#[utoipa::path(post, path = "/api/v1/booking-series", tag = "bookings", security(("bearer" = [])),
    request_body = CreateSeriesBody,
    responses(
        (status = 200, body = SeriesDto, description = "the preview (`dry_run`): every date and what would happen"),
        (status = 201, body = SeriesDto, description = "the series: every bookable date booked, each date's outcome"),
        (status = 400, body = ErrorBody, description = "malformed JSON"),
        (status = 401, body = ErrorBody),
        (status = 404, body = ErrorBody, description = "no such space"),
        (status = 409, body = ErrorBody, description = "no date can be booked (`series_nothing_bookable`)"),
        (status = 422, body = ErrorBody, description = "a malformed time, a rule that gives no usable dates, house rules not accepted (`house_rules_not_accepted`) or a missing purpose; `code` names it"),
    ))]
pub async fn create_series(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    body: web::Json<serde_json::Value>,
) -> Result<HttpResponse, ApiError> {
    let body: CreateSeriesBody = super::body::object(body.into_inner())?;
    let dry_run = body.dry_run;
    let request = series_request(body)?;
    let now = state.clock.now();
    let ctx = state.context.clone();
    if dry_run {
        let dates = state.db(move |conn| booking_series::preview_series(conn, &ctx, &user, &request, now)).await?;
        let dates = dates.iter().map(date_dto).collect();
        return Ok(HttpResponse::Ok().json(SeriesDto { series_id: None, dry_run, dates }));
    }
    let series = state.db(move |conn| booking_series::book_series(conn, &ctx, &user, &request, now)).await?;
    for date in &series.dates {
        if matches!(date.outcome, DateOutcome::Booked { .. }) {
            state.metrics.booking_created(BookingChannel::Api);
        }
    }
    let dates = series.dates.iter().map(date_dto).collect();
    Ok(HttpResponse::Created().json(SeriesDto { series_id: Some(series.series_id), dry_run, dates }))
}

fn series_request(body: CreateSeriesBody) -> Result<SeriesRequest, ApiError> {
    let terms = crate::service::house_rules::BookingTerms {
        accept_house_rules_version: body.accept_house_rules_version,
        purpose: body.purpose.clone(),
        head_count: body.head_count,
    };
    let start = local_time("start", &body.start)?;
    let end = local_time("end", &body.end)?;
    let mut weekdays = Vec::with_capacity(body.weekdays.len());
    for number in body.weekdays {
        let day = i32::try_from(number).ok().and_then(crate::service::calendar::weekday_from_iso).ok_or_else(|| {
            ApiError::invalid("weekdays", "series_weekday", "weekdays are ISO numbers, 1 (Monday) to 7")
        })?;
        weekdays.push(day);
    }
    let end_rule = match (body.until, body.count) {
        (Some(until), None) => SeriesEnd::Until(
            NaiveDate::parse_from_str(&until, "%Y-%m-%d")
                .map_err(|_| ApiError::invalid("until", "invalid_date", "until must be a date such as 2026-12-22"))?,
        ),
        (None, Some(count)) => SeriesEnd::Count(count),
        _ => {
            return Err(ApiError::invalid(
                "count",
                "series_count",
                format!("give exactly one of until and count (2 to {MAX_DATES} dates)"),
            ));
        }
    };
    let frequency = match body.frequency {
        FrequencyDto::Daily => Frequency::Daily,
        FrequencyDto::Weekly => Frequency::Weekly,
    };
    let interval = body.interval.unwrap_or(1);
    let recurrence = Recurrence::new(frequency, interval, weekdays, end_rule).map_err(|error| {
        let field = if error == crate::domain::recurrence::RecurrenceError::Interval { "interval" } else { "count" };
        ApiError::invalid(field, error.code(), error.to_string())
    })?;
    let first = NewBookingRequest {
        space_id: SpaceId::new(body.space_id),
        start: BookingTime::Local(start),
        end: BookingTime::Local(end),
    };
    Ok(SeriesRequest { first, recurrence, terms })
}

fn local_time(field: &'static str, value: &str) -> Result<NaiveDateTime, ApiError> {
    ["%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M"]
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(value, format).ok())
        .ok_or_else(|| {
            ApiError::invalid(field, "invalid_time", format!("{field} must be a local time such as 2026-11-24T18:00"))
        })
}

fn date_dto(date: &SeriesDate) -> SeriesDateDto {
    let mut dto = SeriesDateDto {
        date: date.date.format("%Y-%m-%d").to_string(),
        outcome: date.outcome.code().to_owned(),
        code: None,
        message: None,
        alternative_space_id: None,
        booking_id: None,
        pin: None,
    };
    match &date.outcome {
        DateOutcome::Bookable => {}
        DateOutcome::Booked { booking_id, pin, .. } => {
            dto.booking_id = Some(booking_id.to_string());
            dto.pin = pin.as_ref().map(|p| p.as_str().to_owned());
        }
        DateOutcome::Taken { alternative } => dto.alternative_space_id = alternative.as_ref().map(|s| s.id.to_string()),
        DateOutcome::Closed(rule) | DateOutcome::Refused(rule) => {
            dto.code = Some(rule.code().to_owned());
            dto.message = Some(rule.to_string());
        }
        DateOutcome::NoSuchTime(error) => {
            dto.code = Some("no_such_time".to_owned());
            dto.message = Some(error.to_string());
        }
    }
    dto
}
