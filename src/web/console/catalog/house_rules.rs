//! `/console/operators/{id}/house-rules`: an operator's house rules — the current version, the
//! earlier ones, and the form that publishes a new version. Admins and the managers of one of the
//! operator's hubs; everyone else gets 404.

use actix_web::{HttpRequest, HttpResponse, web};
use askama::Template;
use serde::Deserialize;

use super::{Done, load, render, status_of, submit};
use crate::domain::ids::OperatorId;
use crate::i18n::{self, Lang};
use crate::service::console::catalog::house_rules::{self, HouseRulesOverview};
use crate::state::AppState;
use crate::web::accounts::FormErrors;
use crate::web::console::ConsoleUser;
use crate::web::console::WithToken;
use crate::web::console::nav::ConsoleNav;
use crate::web::layout::Layout;

/// One version as the page shows it.
struct VersionView {
    /// "Version 2 of 1 December 2026" (or the current version's wording).
    heading: String,
    paragraphs: Vec<Vec<String>>,
}

#[derive(Template)]
#[template(path = "console/catalog/house_rules.html")]
struct HouseRulesPage {
    layout: Layout,
    nav: ConsoleNav,
    operator_id: String,
    operator_name: String,
    current: Option<VersionView>,
    earlier: Vec<VersionView>,
    /// The new version's text as typed.
    body: String,
    errors: FormErrors,
}

/// The publishing form.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PublishForm {
    pub body: String,
}

fn version_view(lang: Lang, row: &crate::db::house_rules::HouseRulesRow, key: &str) -> VersionView {
    let date = i18n::format_date(lang, row.published_at.date());
    VersionView {
        heading: i18n::t_args(lang, key, &[("version", row.version.to_string()), ("date", date)]),
        // Paragraphs split at blank lines, lines kept: the text is the operator's, never HTML.
        paragraphs: row
            .body
            .split("\n\n")
            .filter(|p| !p.trim().is_empty())
            .map(|p| p.lines().map(str::to_owned).collect())
            .collect(),
    }
}

async fn page(
    state: &AppState,
    staff: &ConsoleUser,
    layout: Layout,
    operator_id: OperatorId,
    body: String,
    errors: FormErrors,
) -> actix_web::Result<HttpResponse> {
    let HouseRulesOverview { operator, versions } =
        load(state, staff, move |conn, staff| house_rules::overview(conn, staff, &operator_id)).await?;
    let lang = layout.lang;
    let current = versions.first().map(|row| version_view(lang, row, "console-house-rules-current"));
    let earlier = versions.iter().skip(1).map(|row| version_view(lang, row, "console-house-rules-version")).collect();
    let page = HouseRulesPage {
        layout,
        nav: ConsoleNav::general(staff.scope.is_admin(), "operators"),
        operator_id: String::from(operator.id),
        operator_name: operator.name,
        current,
        earlier,
        body,
        errors,
    };
    Ok(render(&page, status_of(&page.errors))?)
}

/// `GET /console/operators/{id}/house-rules`
pub async fn show(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<OperatorId>,
    done: web::Query<Done>,
) -> actix_web::Result<HttpResponse> {
    let layout = done.flash(staff.layout(&req), &["published"]);
    page(&state, &staff, layout, path.into_inner(), String::new(), FormErrors::default()).await
}

/// `POST /console/operators/{id}/house-rules`
pub async fn publish(
    req: HttpRequest,
    state: web::Data<AppState>,
    staff: ConsoleUser,
    path: web::Path<OperatorId>,
    form: web::Form<WithToken<PublishForm>>,
) -> actix_web::Result<HttpResponse> {
    staff.require_csrf(&form.csrf_token)?;
    let (operator_id, body, now) = (path.into_inner(), form.into_inner().form.body, state.clock.now());
    let (id, attempt) = (operator_id.clone(), body.clone());
    submit(
        &state,
        &staff,
        move |conn, staff| house_rules::publish(conn, staff, &id, &attempt, now),
        |row| format!("/console/operators/{}/house-rules?done=published", row.operator_id),
        |errors| page(&state, &staff, staff.layout(&req), operator_id, body, errors),
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_version_shows_its_paragraphs_and_lines() {
        let row = crate::db::house_rules::HouseRulesRow {
            operator_id: OperatorId::new("op"),
            version: 2,
            body: "Erstens\nzweite Zeile\n\nZweitens".to_owned(),
            published_at: chrono::NaiveDate::from_ymd_opt(2026, 12, 1)
                .and_then(|d| d.and_hms_opt(9, 0, 0))
                .unwrap_or_default(),
            published_by: None,
        };
        let view = version_view(Lang::De, &row, "console-house-rules-version");
        assert_eq!(
            view.paragraphs,
            vec![vec!["Erstens".to_owned(), "zweite Zeile".to_owned()], vec!["Zweitens".to_owned()]]
        );
    }
}
