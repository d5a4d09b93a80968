//! `/console/hubs/{hub}/floor-plan`: the hub's floor plan — upload an SVG drawing with its alt
//! texts (a multipart form read within a size cap; the drawing is cleaned on a blocking thread
//! by `service::floor_plan_svg` before the use case stores it), remove it, and place each space
//! by coordinates in percent. A preview shows the drawing with the placed spaces.

use actix_multipart::form::bytes::Bytes as FileBytes;
use actix_multipart::form::text::Text;
use actix_multipart::form::{MultipartForm, MultipartFormConfig};
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;

use super::space_details::{is_overflow, text};
use super::{Done, FormPairs, load, render, run};
use crate::db::catalog::Hub;
use crate::domain::floor_plan::{CoordinateProblem, MAX_PLAN_BYTES, percent_text};
use crate::i18n::{self, Lang};
use crate::service::console::catalog::floor_plan::{self as plans, SpotInput, SpotProblem, StaffPlan};
use crate::service::floor_plan_svg;
use crate::state::AppState;
use crate::web::accounts::FormErrors;
use crate::web::console::nav::ConsoleNav;
use crate::web::console::{ConsoleUser, TokenOnly};
use crate::web::layout::Layout;
use crate::web::pages::floor_plan::PlanView;
use crate::web::pages::{PageError, see_other};

/// The multipart form's room beyond the drawing itself (token and alt texts).
const FORM_OVERHEAD: usize = 64 * 1024;

/// The routes of this page, below `/console`.
pub fn routes(cfg: &mut web::ServiceConfig) {
    use web::{get, post, resource};
    let upload_limits = MultipartFormConfig::default()
        .total_limit(MAX_PLAN_BYTES + FORM_OVERHEAD)
        .memory_limit(MAX_PLAN_BYTES + FORM_OVERHEAD);
    cfg.service(
        resource("/hubs/{hub}/floor-plan").app_data(upload_limits).route(get().to(page)).route(post().to(upload)),
    );
    cfg.service(resource("/hubs/{hub}/floor-plan/remove").route(post().to(remove)));
    cfg.service(resource("/hubs/{hub}/floor-plan/spots").route(post().to(place)));
}

/// One space's line of the coordinates form.
struct SpotLine {
    space_id: String,
    name: String,
    /// 1, 2, … for the inputs' ids.
    row: usize,
    x: String,
    y: String,
    /// The line's problems, in one sentence.
    error: Option<String>,
}

#[derive(Template)]
#[template(path = "console/catalog/floor_plan.html")]
struct FloorPlanPage {
    layout: Layout,
    nav: ConsoleNav,
    hub: Hub,
    /// The drawing with the placed spaces (no states, no links).
    plan: Option<PlanView>,
    lines: Vec<SpotLine>,
    alt_de: String,
    alt_en: String,
    errors: FormErrors,
    max_megabytes: usize,
}

/// What a form sent back with its problems shows instead of the stored values.
#[derive(Default)]
struct Sent {
    alt_de: String,
    alt_en: String,
    spots: Vec<SpotInput>,
    spot_problems: Vec<SpotProblem>,
}

fn page_of(layout: Layout, staff: &ConsoleUser, stored: StaffPlan, sent: Sent, errors: FormErrors) -> FloorPlanPage {
    let lang = layout.lang;
    let decimal_comma = lang == Lang::De;
    let plan = stored.plan.as_ref().map(|info| {
        let mut view = PlanView::of(lang, info);
        for (space, spot) in &stored.spaces {
            match spot {
                Some(spot) => view.mark(*spot, space.name.clone(), "".into(), "placed", None),
                None => view.unplaced += 1,
            }
        }
        view
    });
    let lines = stored
        .spaces
        .iter()
        .enumerate()
        .map(|(i, (space, spot))| {
            let id = space.id.to_string();
            let sent_line = sent.spots.iter().find(|line| line.space_id == id);
            let (x, y) = match (sent_line, spot) {
                (Some(line), _) => (line.x.clone(), line.y.clone()),
                (None, Some(spot)) => (percent_text(spot.x(), decimal_comma), percent_text(spot.y(), decimal_comma)),
                (None, None) => (String::new(), String::new()),
            };
            let problems: Vec<String> =
                sent.spot_problems.iter().filter(|p| p.space_id == space.id).map(|p| spot_message(lang, p)).collect();
            SpotLine {
                space_id: id,
                name: space.name.clone(),
                row: i + 1,
                x,
                y,
                error: (!problems.is_empty()).then(|| problems.join(" ")),
            }
        })
        .collect();
    FloorPlanPage {
        nav: ConsoleNav::hub(&stored.hub, staff.scope.is_admin(), "spaces"),
        hub: stored.hub,
        plan,
        lines,
        alt_de: sent.alt_de,
        alt_en: sent.alt_en,
        errors,
        max_megabytes: MAX_PLAN_BYTES / (1024 * 1024),
        layout,
    }
}

/// "x: Bitte eine Zahl von 0 bis 100 angeben."
fn spot_message(lang: Lang, problem: &SpotProblem) -> String {
    let code = match problem.problem {
        CoordinateProblem::NotANumber | CoordinateProblem::OutOfRange => "plan-coordinate-range",
        CoordinateProblem::Half => "plan-coordinate-half",
    };
    let field = i18n::t(lang, &format!("console-plan-{}", problem.field));
    format!("{field}: {}", i18n::t(lang, &format!("console-catalog-error-{code}")))
}

fn plan_url(hub: &str) -> String {
    format!("/console/hubs/{hub}/floor-plan")
}

/// The page with the stored plan, or with what a form sent and its problems.
async fn show(
    req: &HttpRequest,
    state: &AppState,
    staff: &ConsoleUser,
    hub: String,
    sent: Sent,
    errors: FormErrors,
    status: StatusCode,
) -> actix_web::Result<HttpResponse> {
    // The language switch comes back to the page, not to the address the form was sent to.
    let layout = staff.layout(req).with_return_path(plan_url(&hub));
    let stored = load(state, staff, move |conn, staff| plans::load(conn, staff, &hub)).await?;
    Ok(render(&page_of(layout, staff, stored, sent, errors), status)?)
}

/// `GET /console/hubs/{hub}/floor-plan`
pub async fn page(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    hub: web::Path<String>,
    done: web::Query<Done>,
) -> actix_web::Result<HttpResponse> {
    let hub = hub.into_inner();
    let stored = load(&state, &staff, move |conn, staff| plans::load(conn, staff, &hub)).await?;
    let layout = done.flash(staff.layout(&req), &["plan-uploaded", "plan-cleaned", "plan-removed", "plan-placed"]);
    Ok(render(&page_of(layout, &staff, stored, Sent::default(), FormErrors::default()), StatusCode::OK)?)
}

/// The plan upload form.
#[derive(MultipartForm)]
pub struct PlanUpload {
    csrf_token: Option<Text<String>>,
    alt_de: Option<Text<String>>,
    alt_en: Option<Text<String>>,
    plan: Option<FileBytes>,
}

/// `POST /console/hubs/{hub}/floor-plan`: a multipart form with the drawing and its alt texts.
/// Too large a body is 413, a form with problems 422, each with the page and its message;
/// nothing is stored unless everything is right.
pub async fn upload(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    hub: web::Path<String>,
    form: Result<MultipartForm<PlanUpload>, actix_web::Error>,
) -> actix_web::Result<HttpResponse> {
    let hub = hub.into_inner();
    let lang = staff.current.lang;
    let refuse = |code: &str, status: StatusCode, sent: Sent| {
        let mut errors = FormErrors::default();
        let args = [("megabytes", (MAX_PLAN_BYTES / (1024 * 1024)).to_string())];
        errors.add("plan", i18n::t_args(lang, &format!("console-catalog-error-{code}"), &args));
        show(&req, &state, &staff, hub.clone(), sent, errors, status)
    };
    let form = match form {
        Ok(form) => form.into_inner(),
        Err(error) => {
            // Too large (nothing past the cap was kept) or not multipart at all; no token was
            // read, so nothing is changed either way.
            let too_large = is_overflow(&error);
            tracing::info!(too_large, "floor plan upload refused unread");
            return if too_large {
                refuse("plan-too-big", StatusCode::PAYLOAD_TOO_LARGE, Sent::default()).await
            } else {
                refuse("plan-missing", StatusCode::BAD_REQUEST, Sent::default()).await
            };
        }
    };
    staff.require_csrf(&text(form.csrf_token))?;
    let sent = Sent { alt_de: text(form.alt_de), alt_en: text(form.alt_en), ..Sent::default() };
    let alt = match plans::read_alt_texts(&sent.alt_de, &sent.alt_en) {
        Ok(alt) => alt,
        Err(problems) => {
            let errors = super::form_errors(lang, problems);
            return show(&req, &state, &staff, hub.clone(), sent, errors, StatusCode::UNPROCESSABLE_ENTITY).await;
        }
    };
    let Some(upload) = form.plan.map(|file| file.data).filter(|data| !data.is_empty()) else {
        return refuse("plan-missing", StatusCode::UNPROCESSABLE_ENTITY, sent).await;
    };
    let cleaned = web::block(move || floor_plan_svg::sanitise(&upload)).await.map_err(|_| PageError::Internal)?;
    let plan = match cleaned {
        Ok(plan) => plan,
        Err(refusal) => return refuse(refusal.code(), StatusCode::UNPROCESSABLE_ENTITY, sent).await,
    };
    let removed = plan.removed;
    let now = state.clock.now();
    let url_hub = hub.clone();
    match run(&state, &staff, move |tx, staff| plans::upload(tx, staff, &url_hub, plan, &alt, now)).await? {
        Ok(()) if removed == 0 => Ok(see_other(&format!("{}?done=plan-uploaded", plan_url(&hub)))),
        Ok(()) => Ok(see_other(&format!("{}?done=plan-cleaned&count={removed}", plan_url(&hub)))),
        Err(errors) => show(&req, &state, &staff, hub, sent, errors, StatusCode::UNPROCESSABLE_ENTITY).await,
    }
}

/// `POST /console/hubs/{hub}/floor-plan/remove`
pub async fn remove(
    state: web::Data<AppState>,
    staff: ConsoleUser,
    hub: web::Path<String>,
    form: web::Form<TokenOnly>,
) -> actix_web::Result<HttpResponse> {
    staff.require_csrf(&form.csrf_token)?;
    let hub = hub.into_inner();
    let now = state.clock.now();
    let url_hub = hub.clone();
    load(&state, &staff, move |tx, staff| plans::remove(tx, staff, &url_hub, now)).await?;
    Ok(see_other(&format!("{}?done=plan-removed", plan_url(&hub))))
}

/// `POST /console/hubs/{hub}/floor-plan/spots`: a line per space (`space`, `x`, `y`, repeated
/// in order). Nothing is stored unless every line can be read.
pub async fn place(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    hub: web::Path<String>,
    form: web::Form<FormPairs>,
) -> actix_web::Result<HttpResponse> {
    staff.require_csrf(&form.value("csrf_token"))?;
    let hub = hub.into_inner();
    let (ids, xs, ys) = (form.values("space"), form.values("x"), form.values("y"));
    let unique = ids.iter().collect::<std::collections::HashSet<_>>().len() == ids.len();
    if ids.len() != xs.len() || ids.len() != ys.len() || !unique {
        return Err(actix_web::error::ErrorBadRequest("the lines of the coordinates form do not match"));
    }
    let lines: Vec<SpotInput> =
        ids.into_iter().zip(xs).zip(ys).map(|((space_id, x), y)| SpotInput { space_id, x, y }).collect();
    let now = state.clock.now();
    let (url_hub, sent_lines) = (hub.clone(), lines.clone());
    match load(&state, &staff, move |tx, staff| plans::place(tx, staff, &url_hub, &lines, now)).await? {
        Ok(()) => Ok(see_other(&format!("{}?done=plan-placed", plan_url(&hub)))),
        Err(problems) => {
            let lang = staff.current.lang;
            let mut errors = FormErrors::default();
            errors.add("spots", i18n::t(lang, "console-catalog-error-plan-spots"));
            let sent = Sent { spots: sent_lines, spot_problems: problems, ..Sent::default() };
            show(&req, &state, &staff, hub, sent, errors, StatusCode::UNPROCESSABLE_ENTITY).await
        }
    }
}
