//! A hub's floor plan on its day view: the drawing (as an image, never inline) with a mark per
//! placed space saying free, taken or closed for the chosen hour and linking to the space's
//! booking form; and the drawing's own address (`/plans/{hub}/{hash}.svg`). The day view's list
//! stays the accessible alternative: the plan adds where, not what.

use std::rc::Rc;

use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use super::PageError;
use super::hubs::{HourState, end_label, hour_state, whole_day_state};
use super::messages::iso_date;
use crate::db::floor_plans::PlanInfo;
use crate::domain::floor_plan::{SPOT_SCALE, Spot};
use crate::domain::ids::HubId;
use crate::domain::slot::Slot;
use crate::domain::vocabulary::BookingUnit;
use crate::i18n::{self, Lang};
use crate::service::availability::HubDay;
use crate::service::floor_plan::{self, HubPlan};
use crate::state::AppState;
use crate::web::content_addressed;
use crate::web::pages::space_details::alt_text;

/// What a browser may do with a plan's drawing when it is opened on its own: nothing but draw
/// it (no script, no fetch, no form, no plugin) — on top of the cleaning at upload.
const PLAN_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox";

/// Where text is anchored beside a mark: near the left or right edge it runs inward.
const EDGE: i32 = 120;

/// The plan as a page draws it: the drawing, its proportions and its marks.
pub struct PlanView {
    pub src: String,
    pub width: i32,
    pub height: i32,
    /// What the drawing shows, in the viewer's language.
    pub alt: String,
    pub marks: Vec<PlanMark>,
    /// How many of the listed spaces have no place on the plan.
    pub unplaced: usize,
}

/// One space on the plan, in the drawing's coordinates.
pub struct PlanMark {
    pub x: i32,
    pub y: i32,
    /// Where the name's and the state's lines go (below the mark, or above near the bottom).
    pub name_y: i32,
    pub state_y: i32,
    /// `start`, `middle` or `end`: text near an edge runs inward.
    pub anchor: &'static str,
    pub name: String,
    /// "frei", "belegt", "geschlossen"; empty on the console's preview, which shows no state.
    pub state: Rc<str>,
    /// `free`, `taken` or `closed` (CSS), or `placed` on the preview.
    pub class: &'static str,
    /// The booking form, filled in with the hour when the space is free; none on the preview.
    pub href: Option<String>,
}

/// The chosen hour of the day view's plan and the hours to choose from.
pub struct PlanHours {
    /// (value for the form, label, selected)
    pub choices: Vec<(String, String, bool)>,
    /// "09:00–10:00"
    pub label: String,
}

/// A plan's image address: a new drawing is a new address, so it may be cached forever.
pub fn plan_src(hub_id: &HubId, content_hash: &str) -> String {
    format!("/plans/{hub_id}/{content_hash}.svg")
}

impl PlanView {
    /// The drawing without marks; `mark` adds them.
    pub fn of(lang: Lang, info: &PlanInfo) -> PlanView {
        PlanView {
            src: plan_src(&info.hub_id, &info.content_hash),
            width: info.width,
            height: info.height,
            alt: alt_text(lang, &info.alt_de, info.alt_en.as_deref()),
            marks: Vec::new(),
            unplaced: 0,
        }
    }

    /// A mark at `spot` with its texts placed to stay on the drawing.
    pub fn mark(&mut self, spot: Spot, name: String, state: Rc<str>, class: &'static str, href: Option<String>) {
        let x = spot.x() * self.width / SPOT_SCALE;
        let y = spot.y() * self.height / SPOT_SCALE;
        let below = y + 80 <= self.height;
        let name_y = if below { y + 42 } else { y - 50 };
        let anchor = if x < EDGE {
            "start"
        } else if x > self.width - EDGE {
            "end"
        } else {
            "middle"
        };
        self.marks.push(PlanMark { x, y, name_y, state_y: name_y + 26, anchor, name, state, class, href });
    }
}

/// What names each hour in the address (`hour=10:00`): its start on the clock, with the UTC
/// offset where the clock shows a start twice (the hour repeated when summer time ends).
pub fn hour_values(hours: &[Slot], labels: &[Rc<str>], tz: Tz) -> Vec<String> {
    hours
        .iter()
        .zip(labels)
        .map(|(hour, label)| {
            if labels.iter().filter(|other| *other == label).count() > 1 {
                format!("{label}{}", hour.start().with_timezone(&tz).format("%:z"))
            } else {
                label.to_string()
            }
        })
        .collect()
}

/// An hour's value as a query parameter: `+` (of an offset) would read as a space.
pub fn hour_param(value: &str) -> String {
    value.replace('+', "%2B")
}

/// The hour the plan shows: the asked one if it is one of the day's; else the current hour on
/// today, the first hour still to come, or the first of the day.
pub fn chosen_hour(hours: &[Slot], values: &[String], asked: Option<&str>, now: DateTime<Utc>) -> Option<usize> {
    if hours.is_empty() {
        return None;
    }
    asked
        .and_then(|asked| values.iter().position(|value| value == asked))
        .or_else(|| hours.iter().position(|h| h.end() > now))
        .or(Some(0))
}

/// The hour form's choices and the chosen hour's words.
pub fn plan_hours(
    hours: &[Slot],
    labels: &[Rc<str>],
    values: &[String],
    chosen: usize,
    day: &Slot,
    tz: Tz,
) -> PlanHours {
    let choices = hours
        .iter()
        .zip(labels)
        .zip(values)
        .enumerate()
        .map(|(i, ((hour, label), value))| {
            (value.clone(), format!("{label}–{}", end_label(hour.end(), day, tz)), i == chosen)
        })
        .collect();
    let label = hours
        .get(chosen)
        .zip(labels.get(chosen))
        .map(|(hour, label)| format!("{label}–{}", end_label(hour.end(), day, tz)))
        .unwrap_or_default();
    PlanHours { choices, label }
}

/// The words of the marks, translated once per page.
pub struct MarkWords {
    free: Rc<str>,
    taken: Rc<str>,
    past: Rc<str>,
    closed: Rc<str>,
    disabled: Rc<str>,
}

impl MarkWords {
    pub fn new(lang: Lang) -> MarkWords {
        let word = |key: &str| Rc::from(i18n::t(lang, key));
        MarkWords {
            free: word("slot-free"),
            taken: word("slot-taken"),
            past: word("day-cell-past"),
            closed: word("day-cell-closed"),
            disabled: word("day-space-disabled"),
        }
    }
}

/// The plan of a day for `hour`: each listed space with a place gets its mark and its link.
pub fn day_plan(lang: Lang, day: &HubDay, plan: &HubPlan, hour: &Slot, tz: Tz, now: DateTime<Utc>) -> PlanView {
    let words = MarkWords::new(lang);
    let mut view = PlanView::of(lang, &plan.info);
    for space in &day.spaces {
        let s = &space.space;
        let Some(spot) = plan.spots.get(&s.id) else {
            view.unplaced += 1;
            continue;
        };
        let form = format!("/spaces/{}/book?date={}", s.id, iso_date(day.date));
        // A taken or closed space still leads to its form (it offers other times and the
        // waitlist); a disabled one, which takes no booking, to its details page.
        let (state, class, href) = if !s.enabled {
            (Rc::clone(&words.disabled), "closed", format!("/spaces/{}", s.id))
        } else if s.booking_unit == BookingUnit::Daily {
            match whole_day_state(space, &day.day, now) {
                HourState::Free => (Rc::clone(&words.free), "free", form),
                HourState::Taken => (Rc::clone(&words.taken), "taken", form),
                HourState::Past => (Rc::clone(&words.past), "closed", form),
                HourState::Closed => (Rc::clone(&words.closed), "closed", form),
            }
        } else {
            match hour_state(space, hour, now) {
                HourState::Free => {
                    // The hour, or the shortest booking from its start when that is longer.
                    let shortest = chrono::Duration::minutes(i64::from(s.min_minutes));
                    let end = hour.end().max(hour.start() + shortest);
                    let from = i18n::format_time(hour.start(), tz);
                    let to = end_label(end, &day.day, tz);
                    (Rc::clone(&words.free), "free", format!("{form}&from={from}&to={to}"))
                }
                HourState::Taken => (Rc::clone(&words.taken), "taken", form),
                HourState::Past => (Rc::clone(&words.past), "closed", form),
                HourState::Closed => (Rc::clone(&words.closed), "closed", form),
            }
        };
        view.mark(*spot, s.name.clone(), state, class, Some(href));
    }
    view
}

/// `GET /plans/{hub}/{hash}.svg`: the cleaned drawing, cached for a year, and only ever an
/// image: opened on its own it runs nothing and loads nothing (`sandbox`, `default-src 'none'`).
pub async fn plan_image(
    req: HttpRequest,
    state: web::Data<AppState>,
    path: web::Path<(HubId, String)>,
) -> Result<HttpResponse, PageError> {
    let (hub_id, file) = path.into_inner();
    let hash = content_addressed::hash_in(&file, "svg").ok_or(PageError::NotFound)?;
    let at = hash.clone();
    if content_addressed::is_cached(&req, &hash) {
        state.db(move |conn| floor_plan::plan_is_current(conn, &hub_id, &at)).await?;
        return Ok(content_addressed::not_modified(&hash));
    }
    let svg = state.db(move |conn| floor_plan::plan_svg(conn, &hub_id, &at)).await?;
    Ok(content_addressed::file(&hash, "image/svg+xml")
        .insert_header((actix_web::http::header::CONTENT_SECURITY_POLICY, PLAN_POLICY))
        .insert_header(("cross-origin-resource-policy", "same-origin"))
        .body(svg))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use chrono::TimeZone;

    use super::*;
    use crate::web::pages::hubs::hour_columns;

    #[test]
    fn the_hour_repeated_when_summer_time_ends_can_be_chosen() {
        let tz = chrono_tz::Europe::Berlin;
        let start = tz.with_ymd_and_hms(2026, 10, 25, 0, 0, 0).unwrap().with_timezone(&Utc);
        let end = tz.with_ymd_and_hms(2026, 10, 26, 0, 0, 0).unwrap().with_timezone(&Utc);
        let hours = hour_columns(&[Slot::new(start, end).unwrap()]);
        assert_eq!(hours.len(), 25);
        let labels: Vec<Rc<str>> = hours.iter().map(|h| Rc::from(i18n::format_time(h.start(), tz))).collect();
        let values = hour_values(&hours, &labels, tz);
        assert_eq!(&values[..5], ["00:00", "01:00", "02:00+02:00", "02:00+01:00", "03:00"]);
        assert_eq!(chosen_hour(&hours, &values, Some("02:00+01:00"), start), Some(3));
        assert_eq!(hour_param(&values[3]), "02:00%2B01:00");
        // An hour that is not the day's: the first still to come.
        assert_eq!(chosen_hour(&hours, &values, Some("25:00"), start + chrono::Duration::minutes(150)), Some(2));
    }
}
